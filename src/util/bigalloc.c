#include "util/bigalloc.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *kw_xmalloc_big(size_t n)
{
	void *p = NULL;
	int big = n >= KW_BIG_MIN;
	if (posix_memalign(&p, big ? HUGE_PAGE : 64, n ? n : 1) != 0)
		abort();
#ifdef MADV_HUGEPAGE
	if (big)
		(void)madvise(p, n, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
#endif
	return p;
}
