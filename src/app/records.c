#include "app/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/approvals.h"
#include "app/audit.h"
#include "app/authz.h"
#include "app/template.h"
#include "core/mask.h"
#include "render/xlsx.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/csvtab.h"
#include "util/xlsxread.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/textin.h"

#define MAX_PROBLEMS 200
#define EXPORT_MAX   100000
#define IMPORT_MAX   100000

/* ---- SQL pieces ---- */

/* "r.id, r.f1, …, r.created_at[, r.updated_at]": the audited columns, in order. */
static void add_cols(struct kw_buf *b, const struct kw_kind *k)
{
	kw_buf_adds(b, "r.id");
	for (int i = 0; i < k->nfields; i++)
		kw_buf_addf(b, ", r.%s", k->fields[i].name);
	kw_buf_adds(b, ", r.created_at");
	if (!(k->flags & KW_KF_NO_UPDATE))
		kw_buf_adds(b, ", r.updated_at");
}

static int ncols(const struct kw_kind *k)
{
	return 1 + k->nfields + 1 + !(k->flags & KW_KF_NO_UPDATE);
}

static void add_computed(struct kw_buf *b, const struct kw_kind *k)
{
	for (const struct kw_computed *c = k->computed; c && c->name; c++)
		kw_buf_addf(b, ", %s AS %s", c->sql, c->name);
}

/* The SQL expression of the unit a record of k (aliased `alias`) reaches. */
static void add_scope(struct kw_buf *b, const struct kw_kind *k, const char *alias, int depth)
{
	const struct kw_field *f = kw_kind_field(k, k->scope);
	const struct kw_kind *t = kw_kind_by_table(f->ref);
	if (strcmp(f->ref, "units") == 0 || !t || depth > 4) {
		kw_buf_addf(b, "%s.%s", alias, f->name);
		return;
	}
	char sub[16];
	snprintf(sub, sizeof sub, "s%d", depth);
	kw_buf_adds(b, "(SELECT ");
	add_scope(b, t, sub, depth + 1);
	kw_buf_addf(b, " FROM %s %s WHERE %s.id = %s.%s)", t->table, sub, sub, alias, f->name);
}

/* ---- a row as JSON ---- */

static json_t *field_json(const struct kw_field *f, struct kw_stmt *s, int i)
{
	if (kw_stmt_column_is_null(s, i))
		return json_null();
	switch (f->type) {
	case KW_FT_INT:
	case KW_FT_REF:
		return json_integer(kw_stmt_column_int64(s, i));
	case KW_FT_BOOL:
		return json_boolean(kw_stmt_column_int64(s, i) != 0);
	default: {
		size_t n;
		const char *t = kw_stmt_column_text(s, i, &n);
		if (f->flags & KW_FF_MASKED) {
			char m[128];
			kw_mask_id_number(t, m, sizeof m);
			return json_string(m);
		}
		json_t *v = json_stringn(t, n);
		return v ? v : json_null();
	}
	}
}

static const char *col_text(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL);
}

/* The record at the statement's current row (columns: add_cols, then add_computed). */
static json_t *row_json(const struct kw_kind *k, struct kw_stmt *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(kw_stmt_column_int64(s, 0)));
	for (int i = 0; i < k->nfields; i++)
		json_object_set_new(o, k->fields[i].name, field_json(&k->fields[i], s, 1 + i));
	int c = 1 + k->nfields;
	json_object_set_new(o, "created_at", json_string(col_text(s, c)));
	if (!(k->flags & KW_KF_NO_UPDATE))
		json_object_set_new(o, "updated_at", json_string(col_text(s, c + 1)));
	c = ncols(k);
	for (const struct kw_computed *x = k->computed; x && x->name; x++, c++) {
		int64_t v = kw_stmt_column_int64(s, c);
		json_object_set_new(o, x->name, x->type == 'b' ? json_boolean(v) : json_integer(v));
	}
	return o;
}

/* ---- values ---- */

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

static int valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
	    s[7] != '-')
		return 0;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * Checks one value for field f; returns the problem or NULL. A JSON null (or, for text, an
 * empty string) is "no value": "required" for a required field.
 */
static const char *check_value(const struct kw_field *f, const json_t *v)
{
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return f->flags & KW_FF_REQUIRED ? "required" : NULL;
	switch (f->type) {
	case KW_FT_TEXT: {
		if (!json_is_string(v))
			return "type";
		const char *s = json_string_value(v);
		for (const char *p = s; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\n')
				return "control_char";
		return utf8_chars(s) > (size_t)f->max ? "too_long" : NULL;
	}
	case KW_FT_ENUM:
		if (!json_is_string(v))
			return "type";
		for (const char *const *e = f->values; *e; e++)
			if (strcmp(*e, json_string_value(v)) == 0)
				return NULL;
		return "not_allowed";
	case KW_FT_DATE:
		if (!json_is_string(v))
			return "type";
		return valid_date(json_string_value(v)) ? NULL : "date_format";
	case KW_FT_TIME: {
		int64_t us;
		if (!json_is_string(v))
			return "type";
		return kw_clock_parse(json_string_value(v), &us) ? "time_format" : NULL;
	}
	case KW_FT_INT:
		if (!json_is_integer(v))
			return "type";
		return json_integer_value(v) < f->min || json_integer_value(v) > f->max ? "range"
		                                                                        : NULL;
	case KW_FT_BOOL:
		return json_is_boolean(v) ? NULL : "type";
	case KW_FT_REF:
		if (!json_is_integer(v))
			return "type";
		return json_integer_value(v) > 0 ? NULL : "range";
	}
	return "type";
}

/* An instant in its stored form: UTC, "2026-10-15T00:00:00Z" (seconds; a fraction dropped). */
static json_t *time_json(const char *rfc3339)
{
	int64_t us = 0;
	char t[32];
	(void)kw_clock_parse(rfc3339, &us);
	kw_clock_format(us - us % 1000000, t);
	memcpy(t + 19, "Z", 2); /* "2026-10-15T00:00:00.000000Z" → "2026-10-15T00:00:00Z" */
	return json_string(t);
}

/* The JSON value of a default given as text. */
static json_t *default_json(const struct kw_field *f)
{
	switch (f->type) {
	case KW_FT_INT:
	case KW_FT_REF:
		return json_integer(strtoll(f->dflt, NULL, 10));
	case KW_FT_BOOL:
		return json_boolean(strcmp(f->dflt, "1") == 0);
	default:
		return json_string(f->dflt);
	}
}

/*
 * The record after applying body to old (NULL on create): every field present (null when
 * unset), FIXED fields unchanged on update, unknown keys refused. Problems go to fields.
 */
static json_t *merge(const struct kw_kind *k, const json_t *old, const json_t *body, json_t *fields)
{
	json_t *rec = old ? json_deep_copy(old) : json_object();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v)
	{
		const struct kw_field *f = kw_kind_field(k, key);
		if (!f) {
			problem(fields, key, "unknown");
			continue;
		}
		if ((f->flags & KW_FF_SYSTEM) &&
		    !json_equal(v, old ? json_object_get(old, key) : json_null())) {
			problem(fields, key, "system");
			continue;
		}
		if (old && (f->flags & KW_FF_FIXED) && !json_equal(v, json_object_get(old, key))) {
			problem(fields, key, "fixed");
			continue;
		}
		const char *p = check_value(f, v);
		if (p)
			problem(fields, key, p);
		else if (json_is_string(v) && json_string_length(v) == 0)
			json_object_set_new(rec, key, json_null());
		else if (f->type == KW_FT_TIME)
			json_object_set_new(rec, key, time_json(json_string_value(v)));
		else
			json_object_set(rec, key, v);
	}
	for (int i = 0; i < k->nfields; i++) {
		const struct kw_field *f = &k->fields[i];
		json_t *cur = json_object_get(rec, f->name);
		if (!old && (!cur || json_is_null(cur)) && f->dflt)
			json_object_set_new(rec, f->name, default_json(f));
		else if (!cur)
			json_object_set_new(rec, f->name, json_null());
		if (!old && !json_object_get(body, f->name) && !f->dflt &&
		    (f->flags & KW_FF_REQUIRED))
			problem(fields, f->name, "required");
	}
	if (json_array_size(fields) == 0 && k->check)
		k->check(rec, fields);
	return rec;
}

int kw_rec_check_body(const struct kw_kind *k, const json_t *old, const json_t *body, json_t **rec,
                      json_t **problems)
{
	*problems = json_array();
	*rec = merge(k, old, body, *problems);
	return json_array_size(*problems) ? KW_EINVAL : 0;
}

static int validation_failed(json_t *fields, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the record is not valid");
	kw_err_detail(err, "fields", fields);
	return rc;
}

static void bind_field(struct kw_stmt *s, int i, const struct kw_field *f, const json_t *v)
{
	if (!v || json_is_null(v))
		kw_stmt_bind_null(s, i);
	else if (f->type == KW_FT_BOOL)
		kw_stmt_bind_int64(s, i, json_is_true(v));
	else if (json_is_integer(v))
		kw_stmt_bind_int64(s, i, json_integer_value(v));
	else
		kw_stmt_bind_textz(s, i, json_string_value(v));
}

/* ---- scope ---- */

int kw_rec_unit(struct kw_conn *c, const struct kw_kind *k, int64_t id, int64_t *unit,
                struct kw_err *err)
{
	if (strcmp(k->table, "units") == 0) {
		/* A unit is reached through itself (its parent decides only where one is made). */
		struct kw_stmt *s = NULL;
		int rc = kw_conn_prepare(c, "SELECT id FROM units WHERE id = $1", &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, id);
			rc = kw_stmt_step(s, err);
			rc = rc == KW_ROW    ? 0
			     : rc == KW_DONE ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                                  "no such unit")
			                     : rc;
		}
		kw_stmt_finalize(s);
		*unit = rc ? 0 : id;
		return rc;
	}
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "SELECT ");
	add_scope(&b, k, "r", 0);
	kw_buf_addf(&b, " FROM %s r WHERE r.id = $1", k->table);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, b.buf, &s, err);
	kw_buf_release(&b);
	*unit = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*unit = kw_stmt_column_int64(s, 0);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such %s",
			                k->name);
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

/* May s do action on the record of k whose scope leads to unit? 404 when not. */
static int reach(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                 int64_t unit, const char *what, struct kw_err *err)
{
	int rc = kw_authz_check(c, s, action, unit, err);
	if (rc == KW_EFORBIDDEN)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such %s", what);
	return rc;
}

/*
 * The refs of rec: each must exist; a ref to a kind must be readable by s; a ref to a record
 * that shares a ref field with rec (an inspection's room and its centre_id) must agree on it.
 * The scope field must lead to a unit where s may write. Problems go to fields (ref_not_found,
 * ref_mismatch); an unreachable scope is NOT_FOUND.
 */
static int check_refs(struct kw_conn *c, const struct kw_session_info *s, const struct kw_kind *k,
                      const json_t *rec, json_t *fields, struct kw_err *err)
{
	for (int i = 0; i < k->nfields; i++) {
		const struct kw_field *f = &k->fields[i];
		json_t *v = json_object_get(rec, f->name);
		if (f->type != KW_FT_REF || !json_is_integer(v))
			continue;
		int64_t id = json_integer_value(v);
		const struct kw_kind *t = kw_kind_by_table(f->ref);
		int64_t unit = 0;
		int rc = 0, found = 1;
		if (strcmp(f->ref, "units") == 0 || strcmp(f->ref, "users") == 0) {
			char sql[80];
			snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE id = $1", f->ref);
			struct kw_stmt *st = NULL;
			rc = kw_conn_prepare(c, sql, &st, err);
			if (!rc) {
				kw_stmt_bind_int64(st, 1, id);
				rc = kw_stmt_step(st, err);
				found = rc == KW_ROW;
				rc = rc < 0 ? rc : 0;
			}
			kw_stmt_finalize(st);
			unit = id;
		} else if (t) {
			rc = kw_rec_unit(c, t, id, &unit, err);
			if (rc == KW_ENOTFOUND) {
				found = 0;
				rc = 0;
			}
		}
		if (rc)
			return rc;
		if (!found) {
			if (strcmp(f->name, k->scope) == 0)
				return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
				                  "no such %s", f->ref);
			problem(fields, f->name, "ref_not_found");
			continue;
		}
		if (strcmp(f->name, k->scope) == 0) {
			rc = reach(c, s, k->write, unit, f->ref, err);
		} else if (t) {
			rc = reach(c, s, t->read, unit, f->ref, err);
			if (rc == KW_ENOTFOUND) {
				kw_err_release(err);
				problem(fields, f->name, "ref_not_found");
				rc = 0;
				continue;
			}
			/* Shared ref fields must agree (not with a national template: EXAM-2). */
			for (int j = 0;
			     !rc && strcmp(f->name, "template_id") != 0 && j < t->nfields; j++) {
				const struct kw_field *g = &t->fields[j];
				json_t *mine = json_object_get(rec, g->name);
				if (g->type != KW_FT_REF || !json_is_integer(mine) || f == g ||
				    !kw_kind_field(k, g->name))
					continue;
				char sql[160];
				snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = $1",
				         g->name, t->table);
				struct kw_stmt *st = NULL;
				rc = kw_conn_prepare(c, sql, &st, err);
				if (!rc) {
					kw_stmt_bind_int64(st, 1, id);
					rc = kw_stmt_step(st, err);
					if (rc == KW_ROW &&
					    kw_stmt_column_int64(st, 0) != json_integer_value(mine))
						problem(fields, f->name, "ref_mismatch");
					rc = rc < 0 ? rc : 0;
				}
				kw_stmt_finalize(st);
			}
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- reading ---- */

static int read_row(struct kw_conn *c, const struct kw_kind *k, int64_t id, json_t **out,
                    char digest[65], struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "SELECT ");
	add_cols(&b, k);
	add_computed(&b, k);
	kw_buf_addf(&b, " FROM %s r WHERE r.id = $1", k->table);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, b.buf, &s, err);
	kw_buf_release(&b);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*out = row_json(k, s);
			int64_t rid;
			rc = kw_audit_digest_row(k->table, s, &rid, digest)
			             ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                          "%s: no digest", k->table)
			             : 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such %s",
			                k->name);
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_rec_read(struct kw_conn *c, const struct kw_kind *k, int64_t id, json_t **out,
                struct kw_err *err)
{
	char digest[65];
	return read_row(c, k, id, out, digest, err);
}

int kw_rec_get(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
               int64_t id, json_t **out, char etag[70], struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t unit;
	char digest[65];
	*out = NULL;
	int rc = kw_rec_unit(c, k, id, &unit, err);
	if (!rc)
		rc = reach(c, s, k->read, unit, k->name, err);
	if (!rc)
		rc = read_row(c, k, id, out, digest, err);
	kw_pool_put(app->pool, c);
	if (!rc && etag)
		snprintf(etag, 70, "\"%s\"", digest);
	return rc;
}

/*
 * "WITH RECURSIVE reach …" for s and action; *all when s reaches every unit (a grant that
 * allows it anywhere, or one held at a root unit: no walk of the whole tree then), *none when
 * s reaches no unit at all.
 */
int kw_rec_reach_sql(struct kw_conn *c, struct kw_buf *b, const struct kw_session_info *s,
                     const char *action, int *all, int *none, struct kw_err *err)
{
	int64_t units[KW_MAX_GRANTS];
	int n;
	kw_authz_units(s, action, units, KW_MAX_GRANTS, &n, all);
	*none = !*all && n == 0;
	if (*all || *none)
		return 0;
	struct kw_buf ids = KW_BUF_INIT;
	kw_buf_init(&ids, 0);
	for (int i = 0; i < n; i++)
		kw_buf_addf(&ids, "%s%lld", i ? ", " : "", (long long)units[i]);
	char sql[64 + 24 * KW_MAX_GRANTS];
	snprintf(sql, sizeof sql,
	         "SELECT COUNT(*) FROM units WHERE parent_id IS NULL AND id IN (%s)", ids.buf);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		*all = kw_stmt_column_int64(st, 0) > 0;
		rc = 0;
	}
	kw_stmt_finalize(st);
	if (!rc && !*all)
		kw_buf_addf(b,
		            "WITH RECURSIVE reach(id) AS (SELECT id FROM units WHERE id IN (%s) "
		            "UNION SELECT u.id FROM units u JOIN reach ON u.parent_id = reach.id) ",
		            ids.buf);
	kw_buf_release(&ids);
	return rc;
}

/* Binds a filter value of field f given as text; 0, or -1 when it is not a valid value. */
static int bind_filter(struct kw_stmt *st, int i, const struct kw_field *f, const char *v)
{
	if (f->type == KW_FT_INT || f->type == KW_FT_REF || f->type == KW_FT_BOOL) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (f->type == KW_FT_BOOL && (strcmp(v, "true") == 0 || strcmp(v, "false") == 0))
			n = v[0] == 't', end = (char *)"";
		if (*v == '\0' || *end)
			return -1;
		kw_stmt_bind_int64(st, i, n);
	} else {
		kw_stmt_bind_textz(st, i, v);
	}
	return 0;
}

int kw_rec_users_list(struct kw_app *app, const struct kw_session_info *s, const char *q,
                      json_t **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	int all, none;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_rec_reach_sql(c, &b, s, "user.list", &all, &none, err);
	json_t *items = json_array();
	if (!rc && !none) {
		if (all)
			kw_buf_adds(
			        &b,
			        "SELECT u.id, u.username, u.display_name FROM users u WHERE 1 = 1");
		else
			kw_buf_adds(&b,
			            "SELECT u.id, u.username, u.display_name FROM users u WHERE "
			            "u.id IN (SELECT g.user_id FROM grants g WHERE g.revoked_at IS "
			            "NULL AND g.unit_id IN (SELECT id FROM reach))");
		if (q && *q)
			kw_buf_adds(&b, " AND (lower(u.username) LIKE $1 ESCAPE '!' OR "
			                "lower(u.display_name) LIKE $1 ESCAPE '!')");
		kw_buf_adds(&b, " ORDER BY u.id LIMIT 1000");
		struct kw_stmt *st = NULL;
		rc = kw_conn_prepare(c, b.buf, &st, err);
		if (!rc && q && *q) {
			struct kw_buf like = KW_BUF_INIT;
			kw_buf_init(&like, 0);
			kw_buf_adds(&like, "%");
			for (const char *x = q; *x; x++) {
				char ch = *x >= 'A' && *x <= 'Z' ? (char)(*x + 32) : *x;
				if (ch == '%' || ch == '_' || ch == '!')
					kw_buf_add(&like, "!", 1);
				kw_buf_add(&like, &ch, 1);
			}
			kw_buf_adds(&like, "%");
			kw_stmt_bind_textz(st, 1, like.buf);
			kw_buf_release(&like);
		}
		while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
			rc = 0;
			json_array_append_new(items,
			                      json_pack("{s:I, s:s, s:s}", "id",
			                                (json_int_t)kw_stmt_column_int64(st, 0),
			                                "username", col_text(st, 1), "display_name",
			                                col_text(st, 2)));
		}
		if (rc == KW_DONE)
			rc = 0;
		kw_stmt_finalize(st);
	}
	kw_pool_put(app->pool, c);
	kw_buf_release(&b);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

int kw_rec_query_parse(const struct kw_kind *k, const char *const *keys, const char *const *vals,
                       int n, int max_limit, struct kw_rec_query *q, const char **names,
                       const char **values, int max_filters, struct kw_err *err)
{
	memset(q, 0, sizeof *q);
	q->names = names;
	q->values = values;
	q->limit = 100;
	for (int i = 0; i < n; i++) {
		const char *key = keys[i], *v = vals[i] ? vals[i] : "";
		char *end = NULL;
		if (strcmp(key, "format") == 0 || strcmp(key, "lang") == 0 ||
		    strcmp(key, "dry_run") == 0)
			continue;
		if (strcmp(key, "q") == 0) {
			q->q = v;
		} else if (strcmp(key, "limit") == 0) {
			long x = strtol(v, &end, 10);
			if (*v == '\0' || *end || x < 1 || x > max_limit)
				return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
				                  "limit is 1..%d", max_limit);
			q->limit = (int)x;
		} else if (strcmp(key, "cursor") == 0) {
			long long x = strtoll(v, &end, 10);
			if (*v == '\0' || *end || x < 0)
				return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
				                  "bad cursor");
			q->after = x;
		} else {
			const struct kw_field *f = kw_kind_field(k, key);
			int bad = !f || q->nfilters >= max_filters;
			if (!bad && f->type != KW_FT_TEXT && f->type != KW_FT_ENUM &&
			    f->type != KW_FT_DATE) {
				/* Numbers (and true/false) are checked now, not when bound. */
				int boolword = f->type == KW_FT_BOOL &&
				               (strcmp(v, "true") == 0 || strcmp(v, "false") == 0);
				if (!boolword) {
					(void)strtoll(v, &end, 10);
					bad = *v == '\0' || *end;
				}
			}
			if (bad) {
				int rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
				                    "bad filter: %.60s", key);
				kw_err_detail(err, "name", json_string(key));
				return rc;
			}
			names[q->nfilters] = key;
			values[q->nfilters++] = v;
		}
	}
	return 0;
}

int kw_rec_list(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
                const struct kw_rec_query *q, json_t **out, struct kw_err *err)
{
	for (int i = 0; i < q->nfilters; i++)
		if (!kw_kind_field(k, q->names[i])) {
			int rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
			                    "no such filter: %s", q->names[i]);
			kw_err_detail(err, "name", json_string(q->names[i]));
			return rc;
		}
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	int all, none;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_rec_reach_sql(c, &b, s, k->read, &all, &none, err);
	json_t *items = json_array();
	if (rc || none) {
		kw_pool_put(app->pool, c);
		kw_buf_release(&b);
		if (rc) {
			json_decref(items);
			return rc;
		}
		*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
		return 0;
	}
	kw_buf_adds(&b, "SELECT ");
	add_cols(&b, k);
	add_computed(&b, k);
	kw_buf_addf(&b, " FROM %s r WHERE r.id > $1", k->table);
	if (!all) {
		kw_buf_adds(&b, " AND ");
		add_scope(&b, k, "r", 0);
		kw_buf_adds(&b, " IN (SELECT id FROM reach)");
	}
	int p = 2;
	for (int i = 0; i < q->nfilters; i++)
		kw_buf_addf(&b, " AND r.%s = $%d", q->names[i], p++);
	int qp = 0;
	if (q->q && *q->q) {
		qp = p++;
		int first = 1;
		kw_buf_adds(&b, " AND (");
		for (int i = 0; i < k->nfields; i++)
			if (k->fields[i].flags & KW_FF_SEARCH) {
				kw_buf_addf(&b, "%slower(r.%s) LIKE $%d ESCAPE '!'",
				            first ? "" : " OR ", k->fields[i].name, qp);
				first = 0;
			}
		kw_buf_adds(&b, first ? "1 = 1)" : ")");
	}
	kw_buf_addf(&b, " ORDER BY r.id LIMIT $%d", p);

	struct kw_stmt *st = NULL;
	rc = kw_conn_prepare(c, b.buf, &st, err);
	kw_buf_release(&b);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, q->after);
		for (int i = 0; i < q->nfilters && !rc; i++)
			if (bind_filter(st, 2 + i, kw_kind_field(k, q->names[i]), q->values[i])) {
				rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
				                "bad value for filter %s", q->names[i]);
				kw_err_detail(err, "name", json_string(q->names[i]));
			}
		if (qp) {
			struct kw_buf like = KW_BUF_INIT;
			kw_buf_init(&like, 0);
			kw_buf_adds(&like, "%");
			for (const char *x = q->q; *x; x++) {
				char ch = *x >= 'A' && *x <= 'Z' ? (char)(*x + 32) : *x;
				if (ch == '%' || ch == '_' || ch == '!')
					kw_buf_add(&like, "!", 1);
				kw_buf_add(&like, &ch, 1);
			}
			kw_buf_adds(&like, "%");
			kw_stmt_bind_textz(st, qp, like.buf);
			kw_buf_release(&like);
		}
		kw_stmt_bind_int64(st, p, q->limit + 1);
	}
	int64_t last = 0;
	int more = 0;
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		rc = 0;
		if ((int)json_array_size(items) == q->limit) {
			more = 1;
			break;
		}
		json_t *o = row_json(k, st);
		last = json_integer_value(json_object_get(o, "id"));
		json_array_append_new(items, o);
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = kw_json_page(items, more, last);
	return 0;
}

int kw_rec_history(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
                   int64_t id, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t unit;
	int rc = kw_rec_unit(c, k, id, &unit, err);
	if (!rc)
		rc = reach(c, s, k->read, unit, k->name, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT seq, at, actor_kind, actor_name, request_id, action, detail "
		        "FROM audit_log WHERE entity = $1 AND (entity_id = $2 OR seq IN "
		        "(SELECT seq FROM audit_batch_rows WHERE entity_id = $2)) "
		        "ORDER BY seq DESC LIMIT 200",
		        &st, err);
	json_t *items = json_array();
	if (!rc) {
		kw_stmt_bind_textz(st, 1, k->table);
		kw_stmt_bind_int64(st, 2, id);
	}
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		rc = 0;
		json_t *detail = json_loads(col_text(st, 6), 0, NULL);
		json_array_append_new(items,
		                      json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s, s:o}", "seq",
		                                (json_int_t)kw_stmt_column_int64(st, 0), "at",
		                                col_text(st, 1), "actor_kind", col_text(st, 2),
		                                "actor", col_text(st, 3), "request_id",
		                                col_text(st, 4), "action", col_text(st, 5),
		                                "detail", detail ? detail : json_object()));
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- writing ---- */

struct kw_rec_write {
	const struct kw_kind *k;
	int64_t id;      /* 0: create; after the commit, the record's id */
	json_t *rec;     /* the record as it will be written */
	json_t *changes; /* update: {field: {from, to}} */
	char if_match[70];
	char etag[70]; /* after the commit */
	/* Maker-checker (KW_KF_CHECKED): */
	char *grounds;    /* a request: the job makes a pending approval instead of the write */
	int64_t unit;     /* the unit the change reaches */
	int64_t approval; /* after the commit: the pending approval */
	json_t *extra;    /* an approved change: what its audit detail adds (approval, people) */
};

void kw_rec_write_free(struct kw_rec_write *w)
{
	if (!w)
		return;
	json_decref(w->rec);
	json_decref(w->changes);
	json_decref(w->extra);
	free(w->grounds);
	free(w);
}

int64_t kw_rec_write_id(const struct kw_rec_write *w)
{
	return w->id;
}

int64_t kw_rec_write_approval(const struct kw_rec_write *w)
{
	return w->approval;
}

int kw_rec_write_changes_nothing(const struct kw_rec_write *w)
{
	return w->changes && json_object_size(w->changes) == 0;
}

/* ---- maker-checker: the grounds of a change (INF-5(5)) ---- */

static const struct kw_field grounds_field = {
        "grounds", KW_FT_TEXT, KW_FF_REQUIRED, 0,          KW_GROUNDS_MAX,
        NULL,      NULL,       NULL,           "变更依据", "Grounds",
};

/* The problem of a change's grounds (a JSON value, may be NULL), or NULL. Blank (spaces,
 * ideographic spaces, line breaks) is no grounds. */
static const char *grounds_problem(const json_t *v)
{
	const char *p = check_value(&grounds_field, v);
	if (p)
		return p;
	for (const char *t = json_string_value(v); *t;) {
		if (*t == ' ' || *t == '\n')
			t++;
		else if (strncmp(t, "\xe3\x80\x80", 3) == 0)
			t += 3;
		else
			return NULL;
	}
	return "required";
}

static int grounds_required(const char *what, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_EINVAL, "GROUNDS_REQUIRED", "INF-5",
	                    "a change of this register needs its grounds");
	json_t *fields = json_array();
	problem(fields, "grounds", what);
	kw_err_detail(err, "fields", fields);
	return rc;
}

/* The unit the scope of a new record rec leads to. */
static int scope_unit(struct kw_conn *c, const struct kw_kind *k, const json_t *rec, int64_t *unit,
                      struct kw_err *err)
{
	const struct kw_kind *sk = kw_kind_by_table(kw_kind_field(k, k->scope)->ref);
	*unit = json_integer_value(json_object_get(rec, k->scope));
	if (sk && strcmp(sk->table, "units") != 0)
		return kw_rec_unit(c, sk, *unit, unit, err);
	return 0;
}

static int insert_row(struct kw_tx *tx, const struct kw_kind *k, const json_t *rec,
                      struct kw_stmt **out, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b, "INSERT INTO %s (", k->table);
	for (int i = 0; i < k->nfields; i++)
		kw_buf_addf(&b, "%s, ", k->fields[i].name);
	kw_buf_adds(&b, "created_at");
	if (!(k->flags & KW_KF_NO_UPDATE))
		kw_buf_adds(&b, ", updated_at");
	kw_buf_adds(&b, ") VALUES (");
	int n = k->nfields + 1 + !(k->flags & KW_KF_NO_UPDATE);
	for (int i = 1; i <= n; i++)
		kw_buf_addf(&b, "%s$%d", i > 1 ? ", " : "", i);
	char ret[1024];
	kw_audit_returning(k->table, ret, sizeof ret);
	kw_buf_addf(&b, ") %s", ret);
	int rc = kw_conn_prepare(tx->conn, b.buf, out, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	for (int i = 0; i < k->nfields; i++)
		bind_field(*out, i + 1, &k->fields[i], json_object_get(rec, k->fields[i].name));
	kw_stmt_bind_textz(*out, k->nfields + 1, now);
	if (!(k->flags & KW_KF_NO_UPDATE))
		kw_stmt_bind_textz(*out, k->nfields + 2, now);
	return 0;
}

/* rec with its identity numbers masked: what an audit detail may carry. */
static json_t *masked_copy(const struct kw_kind *k, const json_t *rec)
{
	json_t *d = json_deep_copy(rec);
	for (int i = 0; i < k->nfields; i++) {
		const char *v = json_string_value(json_object_get(d, k->fields[i].name));
		if (v && (k->fields[i].flags & KW_FF_MASKED)) {
			char m[128];
			kw_mask_id_number(v, m, sizeof m);
			json_object_set_new(d, k->fields[i].name, json_string(m));
		}
	}
	return d;
}

static int duplicate(const struct kw_kind *k, const json_t *rec, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_ECONFLICT, "RECORD_DUPLICATE", NULL,
	                    "a %s with this key exists", k->name);
	json_t *key = json_object();
	for (int i = 0; i < 3 && k->key[i]; i++)
		json_object_set(key, k->key[i], json_object_get(rec, k->key[i]));
	kw_err_detail(err, "key", key);
	return rc;
}

/* The record id of k as the caller read it (its ETag if_match)? STALE_RECORD (412) when not. */
static int still_as_read(struct kw_tx *tx, const struct kw_kind *k, int64_t id,
                         const char *if_match, struct kw_err *err)
{
	int exists = 0;
	char digest[65];
	int rc = kw_audit_row_digest(tx->conn, k->table, id, digest, &exists, err);
	if (rc)
		return rc;
	if (!exists)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such %s", k->name);
	char cur[70];
	snprintf(cur, sizeof cur, "\"%s\"", digest);
	if (strcmp(cur, if_match) != 0) {
		rc = kw_err_set(err, KW_ESTALE, "STALE_RECORD", NULL,
		                "the %s changed since it was read", k->name);
		kw_err_detail(err, "etag", json_string(cur));
		return rc;
	}
	return 0;
}

/* An audit detail d with w->extra's keys added (an approved change's). Returns d. */
static json_t *with_extra(json_t *d, const struct kw_rec_write *w)
{
	if (w->extra)
		json_object_update(d, w->extra);
	return d;
}

/* Create or update one record now (re-runnable: it reads what it checks). */
static int write_now(struct kw_tx *tx, struct kw_rec_write *w, struct kw_err *err)
{
	const struct kw_kind *k = w->k;
	struct kw_stmt *s = NULL;
	char action[64], digest[65];
	int rc;
	if (!w->changes) {
		snprintf(action, sizeof action, "%s.create", k->name);
		rc = insert_row(tx, k, w->rec, &s, err);
		if (!rc)
			rc = kw_stmt_step(s, err);
		if (rc == KW_ECONFLICT)
			rc = duplicate(k, w->rec, err);
		if (rc == KW_ROW) {
			int64_t id;
			kw_audit_digest_row(k->table, s, &id, digest);
			json_t *d = with_extra(masked_copy(k, w->rec), w);
			rc = kw_audit_append_row(tx, action, k->table, s, d, err);
			json_decref(d);
			if (!rc) {
				w->id = id;
				snprintf(w->etag, sizeof w->etag, "\"%s\"", digest);
			}
		}
		kw_stmt_finalize(s);
		if (!rc)
			rc = kw_template_after(tx, k, w->id, w->rec, NULL, err);
		if (!rc)
			rc = kw_kind_written(tx, k, w->id, NULL, err);
		return rc;
	}
	/* Update: the record must be as the caller read it. */
	rc = still_as_read(tx, k, w->id, w->if_match, err);
	if (rc)
		return rc;
	char now[32], ret[1024];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning(k->table, ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b, "UPDATE %s SET ", k->table);
	int p = 1;
	const char *key;
	json_t *v;
	json_object_foreach(w->changes, key, v) kw_buf_addf(&b, "%s = $%d, ", key, p++);
	kw_buf_addf(&b, "updated_at = $%d WHERE id = $%d %s", p, p + 1, ret);
	rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (!rc) {
		p = 1;
		json_object_foreach(w->changes, key, v)
		{
			bind_field(s, p++, kw_kind_field(k, key), json_object_get(v, "to"));
		}
		kw_stmt_bind_textz(s, p, now);
		kw_stmt_bind_int64(s, p + 1, w->id);
		rc = kw_stmt_step(s, err);
	}
	if (rc == KW_ECONFLICT)
		rc = duplicate(k, w->rec, err);
	if (rc == KW_ROW) {
		int64_t id;
		kw_audit_digest_row(k->table, s, &id, digest);
		snprintf(action, sizeof action, "%s.update", k->name);
		json_t *d = with_extra(json_pack("{s:O}", "changes", w->changes), w);
		rc = kw_audit_append_row(tx, action, k->table, s, d, err);
		json_decref(d);
		if (!rc)
			snprintf(w->etag, sizeof w->etag, "\"%s\"", digest);
	} else if (rc == KW_DONE) {
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such %s", k->name);
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = kw_template_after(tx, k, w->id, w->rec, w->changes, err);
	if (!rc)
		rc = kw_kind_written(tx, k, w->id, w->changes, err);
	return rc;
}

/* The names of the fields changes changes: what an audit detail may say of them. */
static json_t *changed_names(const json_t *changes)
{
	json_t *names = json_array();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)changes, key, v)
	        json_array_append_new(names, json_string(key));
	return names;
}

/* A change by hand of a KW_KF_CHECKED kind: one pending approval, nothing written. */
static int request_change(struct kw_tx *tx, struct kw_rec_write *w, struct kw_err *err)
{
	const struct kw_kind *k = w->k;
	char akind[64];
	json_t *payload, *detail;
	w->approval = 0;
	if (w->changes) {
		/* The record must still be as the maker read it. */
		int rc = still_as_read(tx, k, w->id, w->if_match, err);
		if (rc)
			return rc;
		snprintf(akind, sizeof akind, "%s.update", k->name);
		payload =
		        json_pack("{s:s, s:[I], s:I, s:s, s:O, s:O}", "grounds", w->grounds,
		                  "units", (json_int_t)w->unit, "id", (json_int_t)w->id, "if_match",
		                  w->if_match, "changes", w->changes, "record", w->rec);
		detail = json_pack("{s:s, s:s, s:I, s:o}", "kind", akind, "entity", k->table,
		                   "entity_id", (json_int_t)w->id, "fields",
		                   changed_names(w->changes));
	} else {
		snprintf(akind, sizeof akind, "%s.create", k->name);
		payload = json_pack("{s:s, s:[I], s:O}", "grounds", w->grounds, "units",
		                    (json_int_t)w->unit, "record", w->rec);
		detail = json_pack("{s:s, s:s}", "kind", akind, "entity", k->table);
	}
	int rc = kw_approval_create(tx, akind, payload, detail, &w->approval, err);
	json_decref(payload);
	json_decref(detail);
	return rc;
}

int kw_rec_write_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct kw_rec_write *w = arg;
	return w->grounds ? request_change(tx, w, err) : write_now(tx, w, err);
}

const char *kw_rec_write_etag(const struct kw_rec_write *w)
{
	return w->etag;
}

int kw_rec_write_prepare(struct kw_app *app, const struct kw_session_info *s,
                         const struct kw_kind *k, int64_t id, const json_t *body,
                         const char *if_match, struct kw_rec_write **out, struct kw_err *err)
{
	*out = NULL;
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	if (id && (k->flags & KW_KF_NO_UPDATE))
		return kw_err_set(err, KW_EMETHOD, "METHOD_NOT_ALLOWED", NULL,
		                  "%s records are not changed here", k->name);
	/* Maker-checker: the grounds travel beside the fields, not among them. */
	int checked = (k->flags & KW_KF_CHECKED) != 0;
	json_t *fbody = checked ? json_copy((json_t *)body) : json_incref((json_t *)body);
	json_t *grounds = checked ? json_incref(json_object_get(fbody, "grounds")) : NULL;
	if (checked)
		json_object_del(fbody, "grounds");
	const char *gp = checked ? grounds_problem(grounds) : NULL;
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *old = NULL, *fields = json_array();
	char digest[65];
	int64_t unit = 0;
	int rc = 0;
	if (id) {
		rc = kw_rec_unit(c, k, id, &unit, err);
		if (!rc)
			rc = reach(c, s, k->read, unit, k->name, err);
		if (!rc)
			rc = reach(c, s, k->write, unit, k->name, err);
		if (!rc && (!if_match || !*if_match))
			rc = kw_err_set(err, KW_EPRECOND, "PRECONDITION_REQUIRED", NULL,
			                "send If-Match with the record's ETag");
		if (!rc)
			rc = read_row(c, k, id, &old, digest, err);
		if (old) /* computed values and times are not the caller's to set */
			for (const struct kw_computed *x = k->computed; x && x->name; x++)
				json_object_del(old, x->name);
	}
	json_t *rec = NULL;
	if (!rc) {
		rec = merge(k, old, fbody, fields);
		/* EXAM-2: what a national template fixes comes from it. */
		size_t before = json_array_size(fields);
		rc = kw_template_prepare(c, k, old, rec, fields, err);
		if (!rc && before && json_array_size(fields) == 0 && k->check)
			k->check(rec, fields);
		if (!rc && json_array_size(fields) == 0)
			rc = check_refs(c, s, k, rec, fields, err);
		if (!rc && json_array_size(fields) == 0 && checked && !id)
			rc = scope_unit(c, k, rec, &unit, err);
		if (!rc && json_array_size(fields)) {
			/* The grounds' problem after the record's own (INF-5(5)). */
			if (gp && (!id || json_object_size(fbody)))
				problem(fields, "grounds", gp);
			rc = validation_failed(fields, err);
			fields = NULL;
		}
	}
	kw_pool_put(app->pool, c);
	json_decref(fields);
	json_decref(fbody);
	if (rc) {
		json_decref(old);
		json_decref(rec);
		json_decref(grounds);
		return rc;
	}
	struct kw_rec_write *w = kw_xcalloc(1, sizeof *w);
	w->k = k;
	w->id = id;
	w->rec = rec;
	if (id) {
		w->changes = json_object();
		for (int i = 0; i < k->nfields; i++) {
			const char *n = k->fields[i].name;
			json_t *a = json_object_get(old, n), *b = json_object_get(rec, n);
			if (!json_equal(a, b))
				json_object_set_new(w->changes, n,
				                    json_pack("{s:O, s:O}", "from", a, "to", b));
		}
		snprintf(w->if_match, sizeof w->if_match, "%s", if_match);
	}
	json_decref(old);
	/* A change by hand of a checked register waits for a second person (an update that
	 * changes nothing is no change). */
	if (checked && (!id || json_object_size(w->changes))) {
		if (gp) {
			kw_rec_write_free(w);
			json_decref(grounds);
			return grounds_required(gp, err);
		}
		w->grounds = kw_xstrdup(json_string_value(grounds));
		w->unit = unit;
	}
	json_decref(grounds);
	*out = w;
	return 0;
}

int kw_rec_create(struct kw_app *app, const struct kw_session_info *s, const struct kw_actor *actor,
                  const struct kw_kind *k, const json_t *body, json_t **out, struct kw_err *err)
{
	struct kw_rec_write *w;
	int rc = kw_rec_write_prepare(app, s, k, 0, body, NULL, &w, err);
	if (!rc)
		rc = kw_writer_run(app->writer, kw_rec_write_job, w, actor, err);
	if (!rc && w->approval) /* maker-checker: nothing written yet */
		*out = json_pack("{s:I, s:s}", "approval_id", (json_int_t)w->approval, "status",
		                 "pending");
	else if (!rc)
		rc = kw_rec_get(app, s, k, w->id, out, NULL, err);
	kw_rec_write_free(w);
	return rc;
}

int kw_rec_update(struct kw_app *app, const struct kw_session_info *s, const struct kw_actor *actor,
                  const struct kw_kind *k, int64_t id, const json_t *body, const char *if_match,
                  json_t **out, char etag[70], struct kw_err *err)
{
	struct kw_rec_write *w;
	int rc = kw_rec_write_prepare(app, s, k, id, body, if_match, &w, err);
	if (!rc && json_object_size(w->changes) == 0) /* nothing changes: no write, no record */
		rc = kw_rec_get(app, s, k, id, out, etag, err);
	else if (!rc && !(rc = kw_writer_run(app->writer, kw_rec_write_job, w, actor, err)) &&
	         w->approval) { /* maker-checker: nothing written yet, the ETag unchanged */
		*out = json_pack("{s:I, s:s}", "approval_id", (json_int_t)w->approval, "status",
		                 "pending");
		snprintf(etag, 70, "%s", w->if_match);
	} else if (!rc)
		rc = kw_rec_get(app, s, k, id, out, etag, err);
	kw_rec_write_free(w);
	return rc;
}

/* ---- import ---- */

/* A CSV column: the field it fills. */
struct column {
	const struct kw_field *f;
	const char *header;
};

/* Does header h name field f? Its key, its labels, or for a ref "<name>_code". */
static int names_field(const struct kw_field *f, const char *h)
{
	if (strcmp(h, f->name) == 0 || strcmp(h, f->zh) == 0 || strcmp(h, f->en) == 0)
		return 1;
	if (f->type != KW_FT_REF)
		return 0;
	char alt[64];
	size_t n = strlen(f->name);
	if (n > 3 && strcmp(f->name + n - 3, "_id") == 0)
		n -= 3;
	snprintf(alt, sizeof alt, "%.*s_code", (int)n, f->name);
	return strcmp(h, alt) == 0 || (strcmp(f->ref, "users") == 0 && strcmp(h, "username") == 0);
}

struct import_row {
	int line;
	json_t *rec;      /* merged, refs to rows of this file as 0 */
	int pending[40];  /* field index → the file row (1-based) it refers to, 0 none */
	const char *code; /* this row's "code", when the kind has one */
};

struct import {
	const struct kw_kind *k;
	struct import_row *rows;
	size_t n;
	json_t *detail;
	int64_t first_id, last_id; /* after the job: the ids written */
};

static void row_problem(json_t *list, int line, const char *column, const char *field,
                        const char *what)
{
	if (json_array_size(list) < MAX_PROBLEMS)
		json_array_append_new(list,
		                      json_pack("{s:i, s:s?, s:s, s:s}", "line", line, "column",
		                                column, "field", field, "problem", what));
}

/* The id of the record of table `ref` whose code (users: username) is code, in the scope of
 * rec for rooms (code within the centre); 0 when none. */
static int lookup_code(struct kw_conn *c, const char *ref, const char *code, const json_t *rec,
                       int64_t *id, struct kw_err *err)
{
	char sql[160];
	int room = strcmp(ref, "rooms") == 0;
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = $1%s", ref,
	         strcmp(ref, "users") == 0 ? "username" : "code",
	         room ? " AND centre_id = $2" : "");
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	*id = 0;
	if (!rc) {
		kw_stmt_bind_textz(s, 1, code);
		if (room)
			kw_stmt_bind_int64(s, 2,
			                   json_integer_value(json_object_get(rec, "centre_id")));
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(s, 0);
		rc = rc < 0 ? rc : 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

/* A cell's text as the JSON value of field f, or NULL with *what set. */
static json_t *cell_value(const struct kw_field *f, const char *v, const char **what)
{
	*what = NULL;
	if (f->type == KW_FT_INT) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end) {
			*what = "type";
			return NULL;
		}
		return json_integer(n);
	}
	if (f->type == KW_FT_BOOL) {
		static const char *const yes[] = {"1", "true", "yes", "是", "TRUE", NULL};
		static const char *const no[] = {"0", "false", "no", "否", "FALSE", NULL};
		for (int i = 0; yes[i]; i++)
			if (strcmp(v, yes[i]) == 0)
				return json_true();
		for (int i = 0; no[i]; i++)
			if (strcmp(v, no[i]) == 0)
				return json_false();
		*what = "type";
		return NULL;
	}
	if (f->type == KW_FT_ENUM) /* a value may also be given by its label (标准化考点) */
		for (const char *const *e = f->values; *e; e++) {
			char key[96];
			snprintf(key, sizeof key, "V_%s", *e);
			for (int l = 0; l < 2; l++) {
				struct kw_buf b = KW_BUF_INIT;
				kw_buf_init(&b, 256);
				int same = kw_i18n_format(l ? KW_LANG_EN : KW_LANG_ZH, key, NULL,
				                          &b) == 0 &&
				           strcmp(b.buf, v) == 0;
				kw_buf_release(&b);
				if (same)
					return json_string(*e);
			}
			/* The wordings of published tables: "本科及以上", "学士学位", "行政执法类"…
			 */
			snprintf(key, sizeof key, "VA_%s", *e);
			int found = 0;
			for (int l = 0; l < 2 && !found; l++) {
				struct kw_buf b = KW_BUF_INIT;
				kw_buf_init(&b, 1024);
				if (kw_i18n_format(l ? KW_LANG_EN : KW_LANG_ZH, key, NULL, &b) == 0)
					for (char *p = b.buf, *save = NULL, *a;
					     !found && (a = strtok_r(p, "|", &save)); p = NULL)
						found = strcmp(a, v) == 0;
				kw_buf_release(&b);
			}
			if (found)
				return json_string(*e);
		}
	json_t *s = json_string(v);
	if (!s)
		*what = "encoding";
	return s;
}

/* Is the scope unit reachable for writing? Cached per unit. */
static int scope_ok(struct kw_conn *c, const struct kw_session_info *s, const struct kw_kind *k,
                    int64_t unit, int64_t *seen_ok, int *nseen, struct kw_err *err)
{
	for (int i = 0; i < *nseen; i++)
		if (seen_ok[i] == unit)
			return 1;
	struct kw_err e = KW_ERR_INIT;
	int rc = kw_authz_check(c, s, k->write, unit, &e);
	kw_err_release(&e);
	(void)err;
	if (rc)
		return 0;
	if (*nseen < 64)
		seen_ok[(*nseen)++] = unit;
	return 1;
}

static void import_free(struct import *im)
{
	for (size_t i = 0; i < im->n; i++)
		json_decref(im->rows[i].rec);
	free(im->rows);
	json_decref(im->detail);
}

static int import_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct import *im = arg;
	const struct kw_kind *k = im->k;
	struct kw_batch_row *out = kw_xcalloc(im->n ? im->n : 1, sizeof *out);
	int rc = 0;
	for (size_t i = 0; i < im->n && !rc; i++) {
		struct import_row *r = &im->rows[i];
		for (int f = 0; f < k->nfields; f++)
			if (r->pending[f])
				json_object_set_new(r->rec, k->fields[f].name,
				                    json_integer(out[r->pending[f] - 1].id));
		struct kw_stmt *s = NULL;
		rc = insert_row(tx, k, r->rec, &s, err);
		if (!rc)
			rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			kw_audit_digest_row(k->table, s, &out[i].id, out[i].digest);
			rc = 0;
		} else if (rc == KW_ECONFLICT) {
			rc = duplicate(k, r->rec, err);
			kw_err_detail(err, "line", json_integer(r->line));
		}
		kw_stmt_finalize(s);
		if (!rc)
			rc = kw_template_after(tx, k, out[i].id, r->rec, NULL, err);
		if (!rc)
			rc = kw_kind_written(tx, k, out[i].id, NULL, err);
	}
	char action[64];
	snprintf(action, sizeof action, "%s.import", k->name);
	if (!rc)
		rc = kw_audit_append_batch(tx, action, k->table, out, im->n, im->detail, err);
	im->first_id = im->n && !rc ? out[0].id : 0;
	im->last_id = im->n && !rc ? out[im->n - 1].id : 0;
	free(out);
	return rc;
}

/* An import of a KW_KF_CHECKED kind: the checked rows wait as one pending approval. */
struct import_request {
	const struct kw_kind *k;
	const json_t *payload;
	int64_t approval;
};

static int import_request_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct import_request *r = arg;
	char akind[64];
	snprintf(akind, sizeof akind, "%s.import", r->k->name);
	json_t *d = json_pack("{s:s, s:s, s:O}", "kind", akind, "entity", r->k->table, "rows",
	                      json_object_get(r->payload, "count"));
	int rc = kw_approval_create(tx, akind, r->payload, d, &r->approval, err);
	json_decref(d);
	return rc;
}

/* Adds the columns of `fixed` to t (see kw_rec_import). */
static int add_fixed(const struct kw_kind *k, struct kw_csvtab *t, const json_t *fixed,
                     struct kw_err *err)
{
	const char *name;
	json_t *v;
	json_object_foreach((json_t *)fixed, name, v)
	{
		const struct kw_field *f = NULL;
		for (int i = 0; i < k->nfields && !f; i++)
			if (names_field(&k->fields[i], name))
				f = &k->fields[i];
		int there = 0;
		for (size_t c = 0; f && c < t->ncols; c++)
			there |= names_field(f, t->header[c]);
		if (!f || there || !json_is_string(v)) {
			kw_err_set(err, KW_EINVAL, "IMPORT_FIXED_INVALID", NULL,
			           f ? "the file has this column already" : "no such field");
			kw_err_detail(err, "parameter", json_string(name));
			return err->rc;
		}
		kw_csvtab_add_column(t, name, json_string_value(v));
	}
	return 0;
}

int kw_rec_import(struct kw_app *app, const struct kw_session_info *s, const struct kw_actor *actor,
                  const struct kw_kind *k, const char *data, size_t n, const json_t *fixed,
                  const char *grounds, int dry_run, json_t **out, struct kw_err *err)
{
	char *text = NULL;
	size_t tn = 0;
	const char *encoding = NULL;
	struct kw_csvtab *t = NULL;
	int rc;
	/* Maker-checker: a real import of a checked register needs its grounds (INF-5(5)). */
	int checked = (k->flags & KW_KF_CHECKED) && !dry_run;
	if (checked) {
		json_t *g = grounds ? json_string(grounds) : NULL;
		const char *gp = grounds && !g ? "encoding" : grounds_problem(g);
		json_decref(g);
		if (gp)
			return grounds_required(gp, err);
	}
	if (data && kw_xlsx_sniff(data, n)) {
		/* A workbook as published (EXAM-4's position tables come as spreadsheets). */
		encoding = "xlsx";
		rc = kw_xlsx_read_table(data, n, IMPORT_MAX, &t, err);
	} else {
		rc = kw_text_decode(data ? data : "", n, &text, &tn, &encoding, err);
		if (!rc)
			rc = kw_csvtab_parse(text, tn, IMPORT_MAX, &t, err);
	}
	if (!rc && fixed)
		rc = add_fixed(k, t, fixed, err);
	if (rc) {
		kw_csvtab_free(t);
		free(text);
		return rc;
	}
	/* Columns. */
	struct column *cols = kw_xcalloc(t->ncols ? t->ncols : 1, sizeof *cols);
	json_t *unknown = json_array(), *missing = json_array();
	for (size_t i = 0; i < t->ncols; i++) {
		cols[i].header = t->header[i];
		for (int f = 0; f < k->nfields && !cols[i].f; f++)
			if (names_field(&k->fields[f], t->header[i]))
				cols[i].f = &k->fields[f];
		if (!cols[i].f)
			json_array_append_new(unknown, json_string(t->header[i]));
	}
	for (int f = 0; f < k->nfields; f++) {
		int have = 0;
		for (size_t i = 0; i < t->ncols; i++)
			have |= cols[i].f == &k->fields[f];
		if (!have && (k->fields[f].flags & KW_FF_REQUIRED) && !k->fields[f].dflt)
			json_array_append_new(missing, json_string(k->fields[f].name));
	}
	if (json_array_size(unknown) || json_array_size(missing)) {
		rc = kw_err_set(err, KW_EINVAL, "IMPORT_COLUMNS", NULL,
		                "the header does not match the %s layout", k->name);
		kw_err_detail(err, "unknown", unknown);
		kw_err_detail(err, "missing", missing);
		kw_err_detail(err, "encoding", json_string(encoding));
		unknown = missing = NULL;
	}
	json_decref(unknown);
	json_decref(missing);

	struct import im = {k, NULL, 0, NULL, 0, 0};
	json_t *units = checked ? json_object() : NULL; /* the units the rows reach */
	json_t *problems = json_array();
	struct kw_conn *c = rc ? NULL : kw_pool_get(app->pool);
	int64_t seen_ok[64];
	int nseen = 0;
	size_t nproblems = 0;
	if (!rc)
		im.rows = kw_xcalloc(t->nrows ? t->nrows : 1, sizeof *im.rows);
	json_t *keys = json_object(); /* natural key → line, within the file */
	for (size_t r = 0; !rc && r < t->nrows; r++) {
		struct import_row *row = &im.rows[im.n++];
		row->line = t->rows[r].line;
		json_t *body = json_object(), *fields = json_array(), *orphans = json_object();
		/* Refs resolve after the scope field, so a room can be found in its centre. */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < t->ncols && !rc; i++) {
				const struct kw_field *f = cols[i].f;
				const char *v = t->rows[r].cells[i];
				int is_scope = strcmp(f->name, k->scope) == 0;
				if (!*v || (f->type == KW_FT_REF && pass != !is_scope) ||
				    (f->type != KW_FT_REF && pass))
					continue;
				if (f->type != KW_FT_REF) {
					const char *what;
					json_t *jv = cell_value(f, v, &what);
					if (jv)
						json_object_set_new(body, f->name, jv);
					else
						row_problem(problems, row->line, cols[i].header,
						            f->name, what);
					continue;
				}
				int64_t id = 0;
				rc = lookup_code(c, f->ref, v, body, &id, err);
				int fi = (int)(f - k->fields);
				if (!rc && !id && strcmp(f->ref, k->table) == 0) {
					/* A row earlier in this file? */
					for (size_t e = 0; e + 1 < im.n && !id; e++)
						if (im.rows[e].code &&
						    strcmp(im.rows[e].code, v) == 0) {
							row->pending[fi] = (int)e + 1;
							id = 1; /* stands in until the job knows the
							           id */
						}
				}
				const struct kw_kind *rk = kw_kind_by_table(f->ref);
				if (!rc && id && !is_scope && rk && !row->pending[fi]) {
					/* A record the importer cannot read is no record for them.
					 */
					int64_t ru = 0;
					struct kw_err e = KW_ERR_INIT;
					if (kw_rec_unit(c, rk, id, &ru, &e) ||
					    kw_authz_check(c, s, rk->read, ru, &e))
						id = 0;
					kw_err_release(&e);
				}
				if (!rc && !id) {
					row_problem(problems, row->line, cols[i].header, f->name,
					            "orphan");
					json_object_set_new(orphans, f->name, json_true());
				} else if (!rc)
					json_object_set_new(body, f->name, json_integer(id));
			}
		if (rc) {
			json_decref(body);
			json_decref(fields);
			json_decref(orphans);
			break;
		}
		row->rec = merge(k, NULL, body, fields);
		json_decref(body);
		/* EXAM-2 (a template named by a row of this same file is not read yet). */
		const struct kw_field *tf = kw_kind_field(k, "template_id");
		if (!rc && !(tf && row->pending[tf - k->fields]))
			rc = kw_template_prepare(c, k, NULL, row->rec, fields, err);
		size_t i;
		json_t *p;
		json_array_foreach(fields, i, p)
		{
			const char *fname = json_string_value(json_object_get(p, "field"));
			const char *col = NULL;
			for (size_t x = 0; x < t->ncols; x++)
				if (cols[x].f && strcmp(cols[x].f->name, fname) == 0)
					col = cols[x].header;
			if (!json_object_get(orphans, fname)) /* already said: orphan */
				row_problem(problems, row->line, col, fname,
				            json_string_value(json_object_get(p, "problem")));
		}
		json_decref(fields);
		json_decref(orphans);
		const char *code = json_string_value(json_object_get(row->rec, "code"));
		row->code = code;
		/* Scope: a unit the caller may write at (rows under a row of this file inherit). */
		int sf = (int)(kw_kind_field(k, k->scope) - k->fields);
		json_t *sv = json_object_get(row->rec, k->scope);
		if (!row->pending[sf] && json_is_integer(sv)) {
			int64_t unit = json_integer_value(sv);
			const struct kw_kind *st =
			        kw_kind_by_table(kw_kind_field(k, k->scope)->ref);
			if (st && strcmp(st->table, "units") != 0)
				rc = kw_rec_unit(c, st, unit, &unit, err);
			if (!rc && !scope_ok(c, s, k, unit, seen_ok, &nseen, err))
				row_problem(problems, row->line, NULL, k->scope, "orphan");
			if (units) {
				char key[24];
				snprintf(key, sizeof key, "%lld", (long long)unit);
				json_object_set_new(units, key, json_integer(unit));
			}
		}
		/* The natural key: unique in the file and in the database. */
		if (!rc && k->key[0]) {
			struct kw_buf kb = KW_BUF_INIT;
			kw_buf_init(&kb, 0);
			struct kw_buf sql = KW_BUF_INIT;
			kw_buf_init(&sql, 0);
			kw_buf_addf(&sql, "SELECT 1 FROM %s WHERE ", k->table);
			int pend = 0;
			for (int x = 0; x < 3 && k->key[x]; x++) {
				json_t *v = json_object_get(row->rec, k->key[x]);
				int kf = (int)(kw_kind_field(k, k->key[x]) - k->fields);
				pend |= row->pending[kf] != 0;
				char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
				kw_buf_addf(&kb, "%s%s", d ? d : "null",
				            row->pending[kf] ? "@file" : "");
				kw_buf_add(&kb, "\x1f", 1);
				free(d);
				kw_buf_addf(&sql, "%s%s = $%d", x ? " AND " : "", k->key[x], x + 1);
			}
			json_t *prev = json_object_get(keys, kb.buf);
			if (prev)
				row_problem(problems, row->line, NULL, k->key[0],
				            "duplicate_in_file");
			else
				json_object_set_new(keys, kb.buf, json_integer(row->line));
			if (!pend) {
				struct kw_stmt *st = NULL;
				rc = kw_conn_prepare(c, sql.buf, &st, err);
				for (int x = 0; !rc && x < 3 && k->key[x]; x++)
					bind_field(st, x + 1, kw_kind_field(k, k->key[x]),
					           json_object_get(row->rec, k->key[x]));
				if (!rc) {
					rc = kw_stmt_step(st, err);
					if (rc == KW_ROW)
						row_problem(problems, row->line, NULL, k->key[0],
						            "duplicate");
					rc = rc < 0 ? rc : 0;
				}
				kw_stmt_finalize(st);
			}
			kw_buf_release(&kb);
			kw_buf_release(&sql);
		}
		if (json_array_size(problems) > nproblems)
			nproblems = json_array_size(problems);
	}
	json_decref(keys);
	if (c)
		kw_pool_put(app->pool, c);
	if (!rc && json_array_size(problems)) {
		rc = kw_err_set(err, KW_ERULE, "IMPORT_INVALID", NULL,
		                "the file has problems; nothing was imported");
		kw_err_detail(err, "count", json_integer((json_int_t)json_array_size(problems)));
		kw_err_detail(err, "rows", problems);
		kw_err_detail(err, "encoding", json_string(encoding));
		problems = NULL;
	}
	json_decref(problems);
	if (!rc && t->nrows == 0)
		rc = kw_err_set(err, KW_EINVAL, "CSV_EMPTY", NULL, "the file has no rows");
	int64_t approval = 0;
	if (!rc && checked) {
		/* One pending change for the whole file; written, all or nothing, when another
		 * person approves it (kw_rec_change_apply). */
		json_t *rows = json_array(), *lines = json_array(), *ua = json_array();
		for (size_t i = 0; i < im.n; i++) {
			json_array_append(rows, im.rows[i].rec);
			json_array_append_new(lines, json_integer(im.rows[i].line));
		}
		const char *key;
		json_t *v;
		json_object_foreach(units, key, v) json_array_append(ua, v);
		json_t *payload = json_pack("{s:s, s:o, s:s, s:I, s:o, s:o}", "grounds", grounds,
		                            "units", ua, "encoding", encoding, "count",
		                            (json_int_t)im.n, "rows", rows, "lines", lines);
		struct import_request r = {k, payload, 0};
		rc = kw_writer_run(app->writer, import_request_job, &r, actor, err);
		approval = r.approval;
		json_decref(payload);
	} else if (!rc && !dry_run) {
		im.detail = json_pack("{s:s, s:I}", "encoding", encoding, "rows", (json_int_t)im.n);
		rc = kw_writer_run(app->writer, import_job, &im, actor, err);
	}
	if (!rc)
		*out = json_pack("{s:I, s:I, s:s, s:b}", "imported",
		                 (json_int_t)(dry_run || checked ? 0 : im.n), "rows",
		                 (json_int_t)im.n, "encoding", encoding, "dry_run", dry_run);
	if (!rc && approval) {
		json_object_set_new(*out, "approval_id", json_integer(approval));
		json_object_set_new(*out, "status", json_string("pending"));
	}
	json_decref(units);
	import_free(&im);
	free(cols);
	kw_csvtab_free(t);
	free(text);
	return rc;
}

/* ---- maker-checker: deciding a change (app/approvals.c) ---- */

const struct kw_kind *kw_rec_change_kind(const char *akind, const char **verb)
{
	const char *dot = akind ? strrchr(akind, '.') : NULL;
	if (!dot ||
	    (strcmp(dot + 1, "create") && strcmp(dot + 1, "update") && strcmp(dot + 1, "import")))
		return NULL;
	char name[64];
	if ((size_t)(dot - akind) >= sizeof name)
		return NULL;
	memcpy(name, akind, (size_t)(dot - akind));
	name[dot - akind] = '\0';
	const struct kw_kind *k = kw_kind_by_name(name);
	if (!k || !(k->flags & KW_KF_CHECKED))
		return NULL;
	if (verb)
		*verb = dot + 1;
	return k;
}

int kw_rec_change_allowed(struct kw_conn *c, const struct kw_session_info *s,
                          const struct kw_kind *k, const json_t *payload, struct kw_err *err)
{
	const json_t *units = json_object_get(payload, "units");
	if (!json_array_size(units))
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "a change of no unit");
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		int rc = kw_authz_check(c, s, k->write, json_integer_value(u), err);
		if (rc)
			return rc;
	}
	return 0;
}

int kw_rec_change_apply(struct kw_tx *tx, const struct kw_kind *k, const char *verb,
                        const json_t *payload, int64_t approval_id, const char *maker,
                        const char *checker, json_t **result, struct kw_err *err)
{
	*result = NULL;
	json_t *extra = json_pack("{s:I, s:s, s:s, s:O}", "approval_id", (json_int_t)approval_id,
	                          "maker", maker, "checker", checker, "grounds",
	                          json_object_get(payload, "grounds"));
	int rc = 0;
	if (strcmp(verb, "import") == 0) {
		const json_t *rows = json_object_get(payload, "rows"),
		             *lines = json_object_get(payload, "lines");
		struct import im = {k, NULL, json_array_size(rows), NULL, 0, 0};
		im.rows = kw_xcalloc(im.n ? im.n : 1, sizeof *im.rows);
		for (size_t i = 0; i < im.n; i++) {
			im.rows[i].rec = json_deep_copy(json_array_get(rows, i));
			im.rows[i].line = (int)json_integer_value(json_array_get(lines, i));
		}
		im.detail =
		        json_pack("{s:O, s:I}", "encoding", json_object_get(payload, "encoding"),
		                  "rows", (json_int_t)im.n);
		json_object_update(im.detail, extra);
		rc = import_job(tx, &im, err);
		if (!rc)
			*result = json_pack("{s:I, s:I, s:I}", "imported", (json_int_t)im.n,
			                    "first_id", (json_int_t)im.first_id, "last_id",
			                    (json_int_t)im.last_id);
		import_free(&im);
		json_decref(extra);
		return rc;
	}
	struct kw_rec_write w;
	memset(&w, 0, sizeof w);
	w.k = k;
	w.rec = json_deep_copy(json_object_get(payload, "record"));
	w.extra = extra;
	if (strcmp(verb, "update") == 0) {
		w.id = json_integer_value(json_object_get(payload, "id"));
		w.changes = json_deep_copy(json_object_get(payload, "changes"));
		snprintf(w.if_match, sizeof w.if_match, "%s",
		         json_string_value(json_object_get(payload, "if_match")));
	}
	if (!w.rec || (w.id == 0) != (strcmp(verb, "create") == 0) ||
	    (w.id && !json_is_object(w.changes)))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "a malformed change");
	if (!rc)
		rc = write_now(tx, &w, err);
	if (!rc)
		*result = json_pack("{s:I}", "id", (json_int_t)w.id);
	json_decref(w.rec);
	json_decref(w.changes);
	json_decref(w.extra);
	return rc;
}

/* rec (a copy) with its masked fields masked. */
static void mask_in(const struct kw_kind *k, json_t *rec)
{
	for (int i = 0; i < k->nfields; i++) {
		if (!(k->fields[i].flags & KW_FF_MASKED))
			continue;
		const char *name = k->fields[i].name;
		const char *v = json_string_value(json_object_get(rec, name));
		if (v) {
			char m[128];
			kw_mask_id_number(v, m, sizeof m);
			json_object_set_new(rec, name, json_string(m));
		}
		json_t *ch = json_object_get(rec, name); /* a change: {from, to} */
		for (int j = 0; j < 2 && json_is_object(ch); j++) {
			const char *side = j ? "to" : "from";
			const char *x = json_string_value(json_object_get(ch, side));
			if (x) {
				char m[128];
				kw_mask_id_number(x, m, sizeof m);
				json_object_set_new(ch, side, json_string(m));
			}
		}
	}
}

json_t *kw_rec_change_view(const struct kw_kind *k, const json_t *payload)
{
	json_t *v = json_object();
	const char *key;
	json_t *x;
	json_object_foreach((json_t *)payload, key, x)
	{
		if (strcmp(key, "rows") == 0 || strcmp(key, "lines") == 0)
			continue;
		json_object_set_new(v, key, json_deep_copy(x));
	}
	mask_in(k, json_object_get(v, "record"));
	mask_in(k, json_object_get(v, "changes"));
	const json_t *rows = json_object_get(payload, "rows");
	if (rows) {
		json_t *first = json_array();
		for (size_t i = 0; i < json_array_size(rows) && i < 20; i++) {
			json_t *r = json_deep_copy(json_array_get(rows, i));
			mask_in(k, r);
			json_array_append_new(first, r);
		}
		json_object_set_new(v, "rows", first);
		json_object_set_new(v, "count", json_integer((json_int_t)json_array_size(rows)));
	}
	return v;
}

/* ---- export ---- */

/* The code (users: username) of record id of table ref, for people to read. */
static json_t *ref_label(struct kw_conn *c, const char *ref, int64_t id, json_t *cache)
{
	char key[96];
	snprintf(key, sizeof key, "%s:%lld", ref, (long long)id);
	json_t *hit = json_object_get(cache, key);
	if (hit)
		return json_incref(hit);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = $1",
	         strcmp(ref, "users") == 0 ? "username" : "code", ref);
	struct kw_stmt *s = NULL;
	json_t *v = NULL;
	if (!kw_conn_prepare(c, sql, &s, NULL)) {
		kw_stmt_bind_int64(s, 1, id);
		if (kw_stmt_step(s, NULL) == KW_ROW)
			v = json_string(col_text(s, 0));
	}
	kw_stmt_finalize(s);
	if (!v)
		v = json_integer(id);
	json_object_set(cache, key, v);
	return v;
}

/* An enum value in lang ("V_<value>" in the message catalogues), else the value. */
static json_t *value_label(const char *lang, const char *v)
{
	char key[96];
	snprintf(key, sizeof key, "V_%s", v);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 256);
	json_t *out =
	        kw_i18n_format(lang, key, NULL, &b) == 0 ? json_string(b.buf) : json_string(v);
	kw_buf_release(&b);
	return out;
}

/* Appends the export rows of items (records of k) to rows: refs by code, values by label. */
static void export_rows(struct kw_app *app, const struct kw_kind *k, const json_t *items,
                        const char *lang, json_t *rows, json_t *cache)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o)
	{
		json_t *row = json_array();
		json_array_append(row, json_object_get(o, "id"));
		for (int f = 0; f < k->nfields; f++) {
			const struct kw_field *fd = &k->fields[f];
			json_t *v = json_object_get(o, fd->name);
			if (fd->type == KW_FT_REF && json_is_integer(v))
				json_array_append_new(
				        row, ref_label(c, fd->ref, json_integer_value(v), cache));
			else if (fd->type == KW_FT_ENUM && json_is_string(v))
				json_array_append_new(row, value_label(lang, json_string_value(v)));
			else if (json_is_boolean(v)) /* 是 / 否 */
				json_array_append_new(
				        row, value_label(lang, json_is_true(v) ? "true" : "false"));
			else
				json_array_append(row, v);
		}
		for (const struct kw_computed *x = k->computed; x && x->name; x++) {
			json_t *v = json_object_get(o, x->name);
			if (json_is_boolean(v))
				json_array_append_new(
				        row, value_label(lang, json_is_true(v) ? "true" : "false"));
			else
				json_array_append(row, v);
		}
		json_array_append_new(rows, row);
	}
	kw_pool_put(app->pool, c);
}

/* The workbook of rows under k's column labels in lang. */
static int write_xlsx(const struct kw_kind *k, const char *lang, const json_t *rows, char **xlsx,
                      size_t *n, struct kw_err *err)
{
	int en = lang && strcmp(lang, KW_LANG_EN) == 0;
	const char *headers[64];
	json_t *labels = json_array();
	size_t nh = 0;
	headers[nh++] = "ID";
	for (int i = 0; i < k->nfields && nh < 60; i++)
		headers[nh++] = en ? k->fields[i].en : k->fields[i].zh;
	for (const struct kw_computed *x = k->computed; x && x->name && nh < 64; x++) {
		char key[96];
		snprintf(key, sizeof key, "C_%s", x->name);
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 256);
		json_t *l = kw_i18n_format(lang, key, NULL, &b) == 0 ? json_string(b.buf)
		                                                     : json_string(x->name);
		kw_buf_release(&b);
		json_array_append_new(labels, l);
		headers[nh++] = json_string_value(l);
	}
	int rc = kw_xlsx_table(en ? k->en : k->zh, headers, nh, rows, xlsx, n, err);
	json_decref(labels);
	return rc;
}

int kw_rec_items_xlsx(struct kw_app *app, const struct kw_kind *k, const json_t *items,
                      const char *lang, char **xlsx, size_t *n, struct kw_err *err)
{
	json_t *rows = json_array(), *cache = json_object();
	export_rows(app, k, items, lang, rows, cache);
	int rc = write_xlsx(k, lang, rows, xlsx, n, err);
	json_decref(rows);
	json_decref(cache);
	return rc;
}

int kw_rec_export_xlsx(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
                       const struct kw_rec_query *q, const char *lang, char **xlsx, size_t *n,
                       struct kw_err *err)
{
	json_t *rows = json_array(), *cache = json_object();
	struct kw_rec_query page = *q;
	int remaining = q->limit > 0 && q->limit <= EXPORT_MAX ? q->limit : EXPORT_MAX;
	int rc = 0;
	while (!rc && remaining > 0) {
		json_t *list = NULL;
		page.limit = remaining < 1000 ? remaining : 1000;
		rc = kw_rec_list(app, s, k, &page, &list, err);
		if (rc)
			break;
		json_t *items = json_object_get(list, "items");
		export_rows(app, k, items, lang, rows, cache);
		remaining -= (int)json_array_size(items);
		const char *next = json_string_value(json_object_get(list, "next_cursor"));
		if (next)
			page.after = strtoll(next, NULL, 10);
		json_decref(list);
		if (!next)
			break;
	}
	if (!rc)
		rc = write_xlsx(k, lang, rows, xlsx, n, err);
	json_decref(rows);
	json_decref(cache);
	return rc;
}
