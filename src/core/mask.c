#include "core/mask.h"

#include <string.h>

/* Byte offsets of each UTF-8 character start in s; returns the count (at most max). */
static size_t char_starts(const char *s, size_t *starts, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; s[i] && n < max; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			starts[n++] = i;
	return n;
}

static void mask(const char *s, size_t keep_head, size_t keep_tail, char *out, size_t n)
{
	size_t starts[256];
	size_t chars = char_starts(s, starts, 256);
	size_t len = strlen(s);
	size_t w = 0;
	if (n == 0)
		return;
	if (keep_head + keep_tail >= chars) {
		/* Too short to show both ends: keep only the tail half. */
		keep_head = 0;
		keep_tail = chars / 2;
	}
	for (size_t c = 0; c < chars && w + 5 < n; c++) {
		size_t from = starts[c], to = c + 1 < chars ? starts[c + 1] : len;
		if (c < keep_head || c >= chars - keep_tail) {
			memcpy(out + w, s + from, to - from);
			w += to - from;
		} else {
			out[w++] = '*';
		}
	}
	out[w] = '\0';
}

void kw_mask_id_number(const char *id, char *out, size_t n)
{
	size_t starts[256];
	size_t chars = char_starts(id, starts, 256);
	if (chars <= 10)
		mask(id, 0, 2, out, n);
	else
		mask(id, 6, 4, out, n);
}

void kw_mask_phone(const char *phone, char *out, size_t n)
{
	mask(phone, 3, 4, out, n);
}

void kw_mask_name(const char *name, char *out, size_t n)
{
	size_t starts[256];
	size_t chars = char_starts(name, starts, 256);
	if (chars <= 1) {
		if (n >= 2)
			memcpy(out, chars ? "*" : "", chars ? 2 : 1);
		else if (n)
			out[0] = '\0';
		return;
	}
	mask(name, 1, chars >= 3, out, n);
}
