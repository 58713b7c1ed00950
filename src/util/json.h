/*
 * JSON request bodies: strict parsing (jansson) with a byte cap, UTF-8 and NUL checks,
 * and a small declarative field check for handlers.
 */
#ifndef KW_UTIL_JSON_H
#define KW_UTIL_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <stddef.h>

#include "util/err.h"

/*
 * Parses a request body that must be one JSON object. Refuses, each with its own code:
 * an empty body (BODY_EMPTY), more than `max` bytes (BODY_TOO_LARGE, 413), a NUL byte
 * (BODY_NUL_BYTE), invalid UTF-8 (BODY_NOT_UTF8), malformed JSON or a duplicate key
 * (JSON_INVALID, details line/column), anything but an object (JSON_NOT_OBJECT).
 * On success *out is a new reference.
 */
int kw_json_parse_body(const char *data, size_t len, size_t max, json_t **out, struct kw_err *err);

/* Is data[0..len) valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
int kw_utf8_valid(const char *data, size_t len);

/*
 * Appends s (n bytes of valid UTF-8) as a JSON string exactly as jansson's json_dumps
 * writes it without flags (the audit's canonical form depends on the bytes): '"' and '\\'
 * escaped, \b \f \n \r \t, other control characters as \u00XX (upper-case hex), everything
 * else as it is.
 */
struct kw_buf;
void kw_json_append_string(struct kw_buf *b, const char *s, size_t n);

enum kw_jtype {
	KW_JSTRING = 1,
	KW_JINTEGER,
	KW_JBOOLEAN,
	KW_JOBJECT,
	KW_JARRAY,
};

enum kw_jflags {
	KW_JREQUIRED = 1,
	KW_JNULLABLE = 2,
};

/*
 * One expected field. For strings `max` caps the length in characters (0 = 200) and
 * `min` asks for at least that many; for arrays they bound the item count.
 */
struct kw_jfield {
	const char *name;
	enum kw_jtype type;
	unsigned flags;
	size_t min, max;
};

/* A string field: at most max characters; a required one not empty. */
#define KW_JSTR(n, max, fl)                                                                        \
	{                                                                                          \
		n, KW_JSTRING, fl, (fl)&KW_JREQUIRED ? 1 : 0, max                                  \
	}

/*
 * Checks obj against fields[0..n): missing required fields, wrong types, lengths,
 * control characters in strings, and fields that are not expected. On failure returns
 * KW_EINVAL with code VALIDATION_FAILED and details.fields = [{field, problem, …}] where
 * problem is one of "required", "type", "too_long", "too_short", "control_char", "unknown".
 */
int kw_json_check(const json_t *obj, const struct kw_jfield *fields, size_t n, struct kw_err *err);

/* A page of a list (ARCHITECTURE's API conventions): {"items": items, "next_cursor": the
 * decimal `last` when there is more, else null}. Takes items. */
json_t *kw_json_page(json_t *items, int more, int64_t last);

/* An instant (microseconds since the epoch) as RFC 3339 in China time, to the second:
 * "2027-06-01T09:05:00+08:00" — what the people on the spot read on their clocks. */
json_t *kw_json_time_china(int64_t us);

#endif
