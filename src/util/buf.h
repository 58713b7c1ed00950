/* A growable byte buffer: never NULL after init, always NUL-terminated, capped. */
#ifndef KW_UTIL_BUF_H
#define KW_UTIL_BUF_H

#include <stddef.h>

struct kw_buf {
	char *buf;
	size_t len, alloc, max; /* max 0 = no cap */
};
#define KW_BUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

void kw_buf_init(struct kw_buf *b, size_t max);
void kw_buf_release(struct kw_buf *b);
void kw_buf_reset(struct kw_buf *b);
/* Appends; KW_ETOOBIG (and nothing appended) past max. */
int kw_buf_add(struct kw_buf *b, const void *data, size_t n);
int kw_buf_adds(struct kw_buf *b, const char *s);
int kw_buf_addf(struct kw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes room for n more bytes without appending (KW_ETOOBIG past max). */
int kw_buf_reserve(struct kw_buf *b, size_t n);
/* Hands the memory to the caller (who frees it); b is left empty. */
char *kw_buf_detach(struct kw_buf *b, size_t *len);

/* Allocation that aborts on out-of-memory. */
void *kw_xmalloc(size_t n);
void *kw_xcalloc(size_t n, size_t size);
void *kw_xrealloc(void *p, size_t n);
char *kw_xstrdup(const char *s);
char *kw_xstrndup(const char *s, size_t n);

#endif
