#include "util/json.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "util/buf.h"
#include "util/clock.h"

int kw_utf8_valid(const char *data, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)data;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || !utf8proc_codepoint_valid(cp))
			return 0;
		i += (size_t)n;
	}
	return 1;
}

int kw_json_parse_body(const char *data, size_t len, size_t max, json_t **out, struct kw_err *err)
{
	*out = NULL;
	if (len == 0)
		return kw_err_set(err, KW_EINVAL, "BODY_EMPTY", NULL,
		                  "the request needs a JSON object body");
	if (max && len > max) {
		int rc = kw_err_set(err, KW_ETOOBIG, "BODY_TOO_LARGE", NULL,
		                    "the body is larger than %zu bytes", max);
		kw_err_detail(err, "max_bytes", json_integer((json_int_t)max));
		return rc;
	}
	if (memchr(data, '\0', len))
		return kw_err_set(err, KW_EINVAL, "BODY_NUL_BYTE", NULL,
		                  "the body contains a NUL byte");
	if (!kw_utf8_valid(data, len))
		return kw_err_set(err, KW_EINVAL, "BODY_NOT_UTF8", NULL,
		                  "the body is not valid UTF-8");
	json_error_t je;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!j) {
		/* je.text may quote the input: it stays out of the message. */
		int rc = kw_err_set(err, KW_EINVAL, "JSON_INVALID", NULL,
		                    "malformed JSON at line %d, column %d", je.line, je.column);
		kw_err_detail(err, "line", json_integer(je.line));
		kw_err_detail(err, "column", json_integer(je.column));
		return rc;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body must be a JSON object");
	}
	*out = j;
	return 0;
}

static const char *type_name(enum kw_jtype t)
{
	switch (t) {
	case KW_JSTRING:
		return "string";
	case KW_JINTEGER:
		return "integer";
	case KW_JBOOLEAN:
		return "boolean";
	case KW_JOBJECT:
		return "object";
	case KW_JARRAY:
		return "array";
	}
	return "?";
}

static int type_ok(const json_t *v, enum kw_jtype t)
{
	switch (t) {
	case KW_JSTRING:
		return json_is_string(v);
	case KW_JINTEGER:
		return json_is_integer(v);
	case KW_JBOOLEAN:
		return json_is_boolean(v);
	case KW_JOBJECT:
		return json_is_object(v);
	case KW_JARRAY:
		return json_is_array(v);
	}
	return 0;
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static int has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 && ch != '\n' && ch != '\t')
			return 1;
		if (ch == 0x7f)
			return 1;
	}
	return 0;
}

static void problem(json_t *list, const char *field, const char *what, json_t *extra)
{
	json_t *p = json_pack("{s:s, s:s}", "field", field, "problem", what);
	if (extra)
		json_object_update(p, extra);
	json_decref(extra);
	json_array_append_new(list, p);
}

int kw_json_check(const json_t *obj, const struct kw_jfield *fields, size_t n, struct kw_err *err)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct kw_jfield *f = &fields[i];
		json_t *v = json_object_get(obj, f->name);
		if (!v) {
			if (f->flags & KW_JREQUIRED)
				problem(list, f->name, "required", NULL);
			continue;
		}
		if (json_is_null(v)) {
			if (!(f->flags & KW_JNULLABLE))
				problem(list, f->name,
				        (f->flags & KW_JREQUIRED) ? "required" : "type",
				        json_pack("{s:s}", "expected", type_name(f->type)));
			continue;
		}
		if (!type_ok(v, f->type)) {
			problem(list, f->name, "type",
			        json_pack("{s:s}", "expected", type_name(f->type)));
			continue;
		}
		if (f->type == KW_JSTRING) {
			const char *s = json_string_value(v);
			size_t bytes = json_string_length(v);
			size_t chars = utf8_chars(s, bytes);
			size_t max = f->max ? f->max : 200;
			if (chars > max)
				problem(list, f->name, "too_long",
				        json_pack("{s:I}", "max", (json_int_t)max));
			else if (chars < f->min)
				problem(list, f->name, "too_short",
				        json_pack("{s:I}", "min", (json_int_t)f->min));
			else if (has_control(s, bytes))
				problem(list, f->name, "control_char", NULL);
		} else if (f->type == KW_JARRAY) {
			size_t items = json_array_size(v);
			if (f->max && items > f->max)
				problem(list, f->name, "too_long",
				        json_pack("{s:I}", "max", (json_int_t)f->max));
			else if (items < f->min)
				problem(list, f->name, "too_short",
				        json_pack("{s:I}", "min", (json_int_t)f->min));
		}
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v)
	{
		int known = 0;
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(fields[i].name, key) == 0;
		if (!known)
			problem(list, key, "unknown", NULL);
	}
	if (json_array_size(list) == 0) {
		json_decref(list);
		return 0;
	}
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
	                    "%zu field(s) failed validation", json_array_size(list));
	kw_err_detail(err, "fields", list);
	return rc;
}

json_t *kw_json_page(json_t *items, int more, int64_t last)
{
	char cur[24];
	snprintf(cur, sizeof cur, "%lld", (long long)last);
	return json_pack("{s:o, s:o}", "items", items, "next_cursor",
	                 more ? json_string(cur) : json_null());
}

void kw_json_append_string(struct kw_buf *b, const char *s, size_t n)
{
	kw_buf_add(b, "\"", 1);
	size_t run = 0; /* bytes copied as they are, pending */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[8];
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (c < 0x20) {
				snprintf(u, sizeof u, "\\u%04X", (unsigned)c);
				esc = u;
			}
		}
		if (!esc) {
			run++;
			continue;
		}
		kw_buf_add(b, s + i - run, run);
		run = 0;
		kw_buf_adds(b, esc);
	}
	kw_buf_add(b, s + n - run, run);
	kw_buf_add(b, "\"", 1);
}

json_t *kw_json_time_china(int64_t us)
{
	char t[32], out[40];
	kw_clock_format(us + INT64_C(8) * 3600 * 1000000, t);
	snprintf(out, sizeof out, "%.19s+08:00", t);
	return json_string(out);
}
