/*
 * Large arrays: the seating of 3 M candidates holds several of 12–80 MB. Filled once and
 * then read in random order, they cost a page fault per 4 KiB page (expensive under a
 * hypervisor) and a TLB miss per access. kw_xmalloc_big asks the system for transparent
 * huge pages (Linux: madvise MADV_HUGEPAGE, when THP is in "madvise" mode) for blocks of
 * KW_BIG_MIN bytes or more; the memory is an ordinary malloc block otherwise: freed with
 * free(), resized with kw_xrealloc (which may drop the hint). Aborts on out-of-memory, like
 * kw_xmalloc. Not zeroed.
 */
#ifndef KW_UTIL_BIGALLOC_H
#define KW_UTIL_BIGALLOC_H

#include <stddef.h>

#define KW_BIG_MIN ((size_t)4 << 20)

/* n bytes (n 0: one), aligned to 64 bytes, and to 2 MiB with the huge-page hint from
 * KW_BIG_MIN up. */
void *kw_xmalloc_big(size_t n);

#endif
