#include "util/textin.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

size_t kw_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t len;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4, min = 0x10000;
		} else {
			return i;
		}
		if (i + len > n)
			return i;
		unsigned cp = c & (0xFF >> (len + 1));
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		/* No overlong forms, no surrogates, nothing past U+10FFFF. */
		if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return i;
		i += len;
	}
	return n;
}

static int from_gb18030(const char *data, size_t n, char **out, size_t *out_n)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return -1;
	size_t cap = n * 2 + 16; /* a GB18030 character of 2 bytes is at most 3 in UTF-8; 4 → 4 */
	char *buf = kw_xmalloc(cap + 1);
	char *in = (char *)data, *o = buf;
	size_t il = n, ol = cap;
	size_t r = iconv(cd, &in, &il, &o, &ol);
	int rc = 0;
	if (r == (size_t)-1 || il != 0)
		rc = -1;
	else if (iconv(cd, NULL, NULL, &o, &ol) == (size_t)-1) /* an unfinished sequence */
		rc = -1;
	iconv_close(cd);
	if (rc) {
		free(buf);
		return rc;
	}
	*o = '\0';
	*out = buf;
	*out_n = (size_t)(o - buf);
	return 0;
}

int kw_text_decode(const char *data, size_t n, char **out, size_t *out_n, const char **encoding,
                   struct kw_err *err)
{
	*out = NULL;
	*out_n = 0;
	const unsigned char *u = (const unsigned char *)data;
	if ((n >= 4 && (!memcmp(u, "\xFF\xFE\0\0", 4) || !memcmp(u, "\0\0\xFE\xFF", 4))) ||
	    (n >= 2 && (!memcmp(u, "\xFF\xFE", 2) || !memcmp(u, "\xFE\xFF", 2))))
		return kw_err_set(err, KW_EINVAL, "ENCODING_UNSUPPORTED", NULL,
		                  "UTF-16/32 text: save the file as UTF-8");
	if (memchr(data, '\0', n)) {
		int rc =
		        kw_err_set(err, KW_EINVAL, "TEXT_NUL", NULL, "a NUL byte: not a text file");
		kw_err_detail(
		        err, "offset",
		        json_integer((json_int_t)((const char *)memchr(data, '\0', n) - data)));
		return rc;
	}
	int bom = n >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3);
	const char *p = data + (bom ? 3 : 0);
	size_t m = n - (bom ? 3 : 0);
	size_t valid = kw_utf8_valid_prefix(p, m);
	if (valid == m) {
		*out = kw_xstrndup(p, m);
		*out_n = m;
		*encoding = bom ? "UTF-8 (BOM)" : "UTF-8";
		return 0;
	}
	int gbom = !bom && n >= 4 && !memcmp(u, "\x84\x31\x95\x33", 4);
	if (!bom && from_gb18030(data + (gbom ? 4 : 0), n - (gbom ? 4 : 0), out, out_n) == 0) {
		*encoding = gbom ? "GB18030 (BOM)" : "GB18030";
		return 0;
	}
	int rc = kw_err_set(err, KW_EINVAL, "ENCODING_UNKNOWN", NULL,
	                    "neither UTF-8 nor GB18030 (byte %zu)", valid + (bom ? 3 : 0));
	kw_err_detail(err, "offset", json_integer((json_int_t)(valid + (bom ? 3 : 0))));
	return rc;
}
