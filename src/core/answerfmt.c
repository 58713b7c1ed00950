/* Scanner and CBT answer data turned into the answer database's CSV (core/answerfmt.h). */
#include "core/answerfmt.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/score.h"

static const char *const field_names[4] = {"ticket_no", "subject", "form", "answers"};

/* kaowu's symbol for a set of options (bit j = option A + j); 0 when no single symbol
 * stands for it (core/score.h: a set is one base-36 digit of its bitmask). */
static char set_symbol(unsigned mask)
{
	if (mask == 0)
		return '-';
	if ((mask & (mask - 1)) == 0)
		for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++)
			if (mask == 1u << j)
				return (char)('A' + j);
	if (mask <= 9)
		return (char)('0' + mask);
	if (mask <= 35)
		return (char)('a' + (mask - 10));
	return 0;
}

/* "" → '-', "?" → '*', option letters → their set's symbol; 0: not a meaning; -1: a set no
 * symbol stands for. */
static int meaning_symbol(const char *m, size_t n)
{
	if (n == 0)
		return '-';
	if (n == 1 && m[0] == '?')
		return '*';
	unsigned mask = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)m[i];
		if (c < 'A' || c >= 'A' + KW_SCORE_MAX_OPTIONS || (mask & (1u << (c - 'A'))))
			return 0;
		mask |= 1u << (c - 'A');
	}
	char s = set_symbol(mask);
	return s ? s : -1;
}

static int layout_problem(struct kw_err *err, json_t *list, const char *field, const char *what)
{
	json_array_append_new(list, json_pack("{s:s, s:s}", "field", field, "problem", what));
	(void)err;
	return 1;
}

int kw_answer_layout_parse(const json_t *j, struct kw_answer_layout *out, struct kw_err *err)
{
	memset(out, 0, sizeof *out);
	json_t *bad = json_array();
	const json_t *fmt = json_object_get(j, "format");
	if (!json_is_object(j))
		layout_problem(err, bad, "layout", "not_an_object");
	else if (fmt && !(json_is_string(fmt) && strcmp(json_string_value(fmt), "fixed") == 0))
		layout_problem(err, bad, "format", "not_fixed");
	const json_t *fields = json_object_get(j, "fields");
	if (json_is_object(j) && !json_is_object(fields))
		layout_problem(err, bad, "fields", "required");
	for (int f = 0; json_is_object(fields) && f < 4; f++) {
		char name[32];
		snprintf(name, sizeof name, "fields.%s", field_names[f]);
		const json_t *d = json_object_get(fields, field_names[f]);
		const json_t *v = json_object_get(d, "value");
		const json_t *st = json_object_get(d, "start"), *ln = json_object_get(d, "length");
		if (!json_is_object(d)) {
			layout_problem(err, bad, name, "required");
		} else if (v) {
			/* a constant: the subject or the form of a file of one subject or form */
			size_t vl = json_string_length(v);
			if (f != 1 && f != 2)
				layout_problem(err, bad, name, "must_be_read_from_the_line");
			else if (!json_is_string(v) || vl == 0 || vl >= sizeof out->value[0])
				layout_problem(err, bad, name, "bad_value");
			else
				memcpy(out->value[f], json_string_value(v), vl + 1);
		} else if (!json_is_integer(st) || !json_is_integer(ln) ||
		           json_integer_value(st) < 1 || json_integer_value(ln) < 1 ||
		           json_integer_value(ln) > KW_ANSWERFMT_MAX_FIELD ||
		           json_integer_value(st) > 1000000) {
			layout_problem(err, bad, name, "bad_position");
		} else {
			out->start[f] = (size_t)json_integer_value(st) - 1;
			out->len[f] = (size_t)json_integer_value(ln);
			if (out->start[f] + out->len[f] > out->min_line)
				out->min_line = out->start[f] + out->len[f];
		}
	}
	/* no two fields read the same byte */
	for (int a = 0; a < 4; a++)
		for (int b = a + 1; b < 4; b++)
			if (out->len[a] && out->len[b] &&
			    out->start[a] < out->start[b] + out->len[b] &&
			    out->start[b] < out->start[a] + out->len[a]) {
				char name[64];
				snprintf(name, sizeof name, "fields.%s", field_names[b]);
				layout_problem(err, bad, name, "overlaps");
			}
	const json_t *sy = json_object_get(j, "symbols");
	if (!sy) { /* kaowu's own symbols (a space a blank too: cells are trimmed) */
		struct kw_answer_symbols d;
		kw_answer_symbols_default(&d);
		for (int c = 0x21; c < 0x7f; c++)
			out->sym[c] = d.valid[c] && c != ',' && c != '"' ? (unsigned char)c : 0;
		out->sym[' '] = '-';
	}
	if (sy && !json_is_object(sy)) {
		layout_problem(err, bad, "symbols", "not_an_object");
	} else if (sy) {
		out->has_symbols = 1;
		const char *k;
		const json_t *m;
		json_object_foreach((json_t *)sy, k, m)
		{
			char name[64];
			snprintf(name, sizeof name, "symbols.%.40s", k);
			unsigned char c = (unsigned char)k[0];
			int s = json_is_string(m) ? meaning_symbol(json_string_value(m),
			                                           json_string_length(m))
			                          : 0;
			if (strlen(k) != 1 || c < 0x20 || c >= 0x7f)
				layout_problem(err, bad, name, "not_one_ascii_byte");
			else if (s == 0)
				layout_problem(err, bad, name, "bad_meaning");
			else if (s < 0)
				layout_problem(err, bad, name, "set_without_symbol");
			else
				out->sym[c] = (unsigned char)s;
		}
	}
	if (json_array_size(bad)) {
		kw_err_set(err, KW_EINVAL, "LAYOUT_INVALID", "GRD-5",
		           "the layout cannot be used: %s %s",
		           json_string_value(json_object_get(json_array_get(bad, 0), "field")),
		           json_string_value(json_object_get(json_array_get(bad, 0), "problem")));
		kw_err_detail(err, "fields", bad);
		return KW_EINVAL;
	}
	json_decref(bad);
	return 0;
}

/* ---- the conversion ---- */

struct conv {
	json_t *rows;
	size_t count;
	struct kw_buf *csv;
};

static void problem(struct conv *c, size_t line, const char *field, const char *what,
                    const char *note)
{
	c->count++;
	if (json_array_size(c->rows) < KW_ANSWERFMT_MAX_PROBLEMS)
		json_array_append_new(c->rows,
		                      json_pack("{s:I, s:s, s:s, s:s?}", "line", (json_int_t)line,
		                                "field", field, "problem", what, "note", note));
}

/* One CSV cell, quoted when it must be (RFC 4180). */
static void cell(struct kw_buf *b, const char *s, size_t n, int last)
{
	int q = 0;
	for (size_t i = 0; i < n && !q; i++)
		q = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (q) {
		kw_buf_add(b, "\"", 1);
		for (size_t i = 0; i < n; i++)
			kw_buf_add(b, s[i] == '"' ? "\"\"" : s + i, s[i] == '"' ? 2 : 1);
		kw_buf_add(b, "\"", 1);
	} else {
		kw_buf_add(b, s, n);
	}
	kw_buf_add(b, last ? "\n" : ",", 1);
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Calls each(line text, its length, its number) for every line of text (LF or CRLF; the
 * empty remainder after a final newline is not a line). */
static void lines(const char *text, size_t n, void (*each)(void *, const char *, size_t, size_t),
                  void *arg)
{
	size_t no = 0;
	for (const char *p = text, *end = text + n; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		if (len && p[len - 1] == '\r')
			len--;
		each(arg, p, len, ++no);
		p = nl ? nl + 1 : end;
	}
}

static int finish(struct conv *c, struct kw_err *err)
{
	if (!c->count && c->csv->len <= strlen("ticket_no,subject,form,answers\n")) {
		json_decref(c->rows);
		return kw_err_set(err, KW_EINVAL, "CSV_EMPTY", NULL, "the file has no sheets");
	}
	if (!c->count) {
		json_decref(c->rows);
		return 0;
	}
	kw_err_set(err, KW_ERULE, "ANSWERS_INVALID", "GRD-5",
	           "%zu problems in the file; nothing was read", c->count);
	kw_err_detail(err, "count", json_integer((json_int_t)c->count));
	kw_err_detail(err, "rows", c->rows);
	return KW_ERULE;
}

struct fixed_arg {
	struct conv c;
	const struct kw_answer_layout *l;
	char *ans; /* the converted answer field */
};

static void fixed_line(void *arg, const char *s, size_t n, size_t no)
{
	struct fixed_arg *a = arg;
	const struct kw_answer_layout *l = a->l;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == 0) {
			problem(&a->c, no, "line", "not_ascii", NULL);
			return;
		}
	if (n < l->min_line) {
		char note[64];
		snprintf(note, sizeof note, "%zu < %zu", n, l->min_line);
		problem(&a->c, no, "line", "short_line", note);
		return;
	}
	const char *v[3];
	size_t vn[3];
	int ok = 1;
	for (int f = 0; f < 3; f++) {
		if (l->len[f]) {
			v[f] = s + l->start[f];
			vn[f] = l->len[f];
			trim(&v[f], &vn[f]);
		} else {
			v[f] = l->value[f];
			vn[f] = strlen(l->value[f]);
		}
		if (!vn[f]) {
			problem(&a->c, no, field_names[f], "required", NULL);
			ok = 0;
		}
	}
	const char *an = s + l->start[3];
	size_t nn = l->len[3];
	for (size_t i = 0; i < nn; i++) {
		unsigned char c = (unsigned char)an[i];
		a->ans[i] = (char)l->sym[c];
		if (!a->ans[i]) {
			char note[64];
			snprintf(note, sizeof note, "第 %zu 题：'%c'", i + 1, (char)c);
			problem(&a->c, no, "answers", "unknown_symbol", note);
			ok = 0;
			break;
		}
	}
	if (!ok || a->c.count)
		return; /* after a problem only checked: nothing more is written */
	for (int f = 0; f < 3; f++)
		cell(a->c.csv, v[f], vn[f], 0);
	cell(a->c.csv, a->ans, nn, 1);
}

int kw_answerfmt_fixed(const struct kw_answer_layout *l, const char *text, size_t n,
                       struct kw_buf *csv, struct kw_err *err)
{
	struct fixed_arg a = {{json_array(), 0, csv}, l, NULL};
	char ans[KW_ANSWERFMT_MAX_FIELD];
	a.ans = ans;
	kw_buf_adds(csv, "ticket_no,subject,form,answers\n");
	lines(text, n, fixed_line, &a);
	return finish(&a.c, err);
}

static void cbt_line(void *arg, const char *s, size_t n, size_t no)
{
	struct conv *c = arg;
	json_error_t je;
	json_t *j = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(j)) {
		problem(c, no, "line", "bad_json", j ? "not an object" : je.text);
		json_decref(j);
		return;
	}
	static const char *const names[3] = {"ticket_no", "subject", "form"};
	int ok = 1;
	for (int f = 0; f < 3; f++) {
		const json_t *v = json_object_get(j, names[f]);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			problem(c, no, names[f], "required", NULL);
			ok = 0;
		}
	}
	const json_t *r = json_object_get(j, "responses");
	size_t items = json_array_size(r);
	if (!json_is_array(r) || items == 0 || items > KW_SCORE_MAX_ITEMS) {
		problem(c, no, "responses", "required", NULL);
		ok = 0;
	}
	char ans[KW_SCORE_MAX_ITEMS];
	for (size_t i = 0; ok && i < items; i++) {
		const json_t *x = json_array_get(r, i);
		int sym = json_is_null(x) ? '-'
		          : json_is_string(x)
		                  ? meaning_symbol(json_string_value(x), json_string_length(x))
		                  : 0;
		if (sym <= 0) {
			char note[64];
			snprintf(note, sizeof note, "第 %zu 题", i + 1);
			problem(c, no, "responses", sym < 0 ? "bad_set" : "bad_response", note);
			ok = 0;
		} else {
			ans[i] = (char)sym;
		}
	}
	if (ok && !c->count) {
		for (int f = 0; f < 3; f++) {
			const json_t *v = json_object_get(j, names[f]);
			cell(c->csv, json_string_value(v), json_string_length(v), 0);
		}
		cell(c->csv, ans, items, 1);
	}
	json_decref(j);
}

int kw_answerfmt_cbt(const char *text, size_t n, struct kw_buf *csv, struct kw_err *err)
{
	struct conv c = {json_array(), 0, csv};
	kw_buf_adds(csv, "ticket_no,subject,form,answers\n");
	lines(text, n, cbt_line, &c);
	return finish(&c, err);
}
