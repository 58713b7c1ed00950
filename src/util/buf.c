#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static char empty[1];

void *kw_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

void *kw_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort();
	return p;
}

void *kw_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *kw_xstrdup(const char *s)
{
	return kw_xstrndup(s, strlen(s));
}

char *kw_xstrndup(const char *s, size_t n)
{
	char *p = kw_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void kw_buf_init(struct kw_buf *b, size_t max)
{
	b->buf = empty;
	b->len = b->alloc = 0;
	b->max = max;
}

void kw_buf_release(struct kw_buf *b)
{
	if (b->alloc)
		free(b->buf);
	kw_buf_init(b, b->max);
}

void kw_buf_reset(struct kw_buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

static int grow(struct kw_buf *b, size_t extra)
{
	if (b->max && (extra > b->max || b->len > b->max - extra))
		return KW_ETOOBIG;
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	size_t n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	if (b->alloc) {
		b->buf = kw_xrealloc(b->buf, n);
	} else {
		b->buf = kw_xmalloc(n);
		b->buf[0] = '\0';
	}
	b->alloc = n;
	return 0;
}

int kw_buf_reserve(struct kw_buf *b, size_t n)
{
	if (!b->buf)
		kw_buf_init(b, b->max);
	return grow(b, n);
}

int kw_buf_add(struct kw_buf *b, const void *data, size_t n)
{
	if (!b->buf)
		kw_buf_init(b, b->max);
	int rc = grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->buf + b->len, data, n);
	b->len += n;
	if (b->alloc)
		b->buf[b->len] = '\0';
	return 0;
}

int kw_buf_adds(struct kw_buf *b, const char *s)
{
	return kw_buf_add(b, s, strlen(s));
}

int kw_buf_addf(struct kw_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return KW_EINVAL;
	if (!b->buf)
		kw_buf_init(b, b->max);
	int rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *kw_buf_detach(struct kw_buf *b, size_t *len)
{
	char *r;
	if (b->alloc) {
		r = b->buf;
	} else {
		r = kw_xmalloc(1);
		r[0] = '\0';
	}
	if (len)
		*len = b->len;
	kw_buf_init(b, b->max);
	return r;
}
