/*
 * Uploaded text to UTF-8 (STACK.md: glibc iconv for GB18030/GBK). Exam agencies' files come
 * from Excel and WPS as UTF-8 (with or without a byte-order mark) or as GB18030 (GBK is its
 * subset); kaowu detects which, says so, and refuses what is neither.
 */
#ifndef KW_UTIL_TEXTIN_H
#define KW_UTIL_TEXTIN_H

#include <stddef.h>

#include "util/err.h"

/*
 * Decodes data[0..n) into *out (NUL-terminated UTF-8, *out_n bytes, caller frees) and sets
 * *encoding to "UTF-8", "UTF-8 (BOM)", "GB18030" or "GB18030 (BOM)". Refusals (KW_EINVAL):
 * ENCODING_UNSUPPORTED (a UTF-16 or UTF-32 byte-order mark: save the file as UTF-8),
 * ENCODING_UNKNOWN (neither valid UTF-8 nor GB18030; details.offset is the first byte that
 * is not UTF-8), TEXT_NUL (a NUL byte: not a text file).
 */
int kw_text_decode(const char *data, size_t n, char **out, size_t *out_n, const char **encoding,
                   struct kw_err *err);

/* The length of the valid UTF-8 prefix of s[0..n) (n when it is all valid). */
size_t kw_utf8_valid_prefix(const char *s, size_t n);

#endif
