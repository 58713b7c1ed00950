#include "app/approvals.h"
#include "app/certs.h"
#include "app/incidents.h"
#include "app/publish.h"
#include "app/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/records.h"
#include "util/json.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/i18n.h"

/* Is v one of the values of the unit register's field (kinds.c says them once)? */
static int one_of(const char *v, const char *field)
{
	const struct kw_field *f = kw_kind_field(kw_kind_by_name("unit"), field);
	for (const char *const *e = f->values; v && *e; e++)
		if (strcmp(v, *e) == 0)
			return 1;
	return 0;
}

/* Runs a read on a pooled connection: fn(c, arg, err). */
static int with_conn(struct kw_app *app, int (*fn)(struct kw_conn *, void *, struct kw_err *),
                     void *arg, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = fn(c, arg, err);
	kw_pool_put(app->pool, c);
	return rc;
}

static int exists(struct kw_conn *c, const char *sql, int64_t id, int *yes, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*yes = 0;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		*yes = rc == KW_ROW;
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

/* ---- units ---- */

int kw_unit_create_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct kw_unit_job *a = arg;
	char now[32], sql[512], ret[256];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("units", ret, sizeof ret);
	snprintf(sql, sizeof sql,
	         "INSERT INTO units (code, name, kind, level, parent_id, created_at) "
	         "VALUES ($1, $2, $3, $4, $5, $6) %s",
	         ret);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, a->u->code);
		kw_stmt_bind_textz(s, 2, a->u->name);
		kw_stmt_bind_textz(s, 3, a->u->kind);
		kw_stmt_bind_textz(s, 4, a->u->level);
		kw_stmt_bind_int64(s, 5, a->u->parent_id);
		kw_stmt_bind_textz(s, 6, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			/* The row as written: its digest needs no second read. */
			a->id = kw_stmt_column_int64(s, 0);
			json_t *d =
			        json_pack("{s:s, s:s, s:s, s:s, s:I}", "code", a->u->code, "name",
			                  a->u->name, "kind", a->u->kind, "level", a->u->level,
			                  "parent_id", (json_int_t)a->u->parent_id);
			rc = kw_audit_append_row(tx, "unit.create", "units", s, d, err);
			json_decref(d);
		} else if (rc == KW_ECONFLICT) {
			rc = kw_err_set(err, KW_ECONFLICT, "UNIT_CODE_TAKEN", NULL,
			                "unit code taken");
			kw_err_detail(err, "code", json_string(a->u->code));
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_app_unit_create(struct kw_app *app, const struct kw_session_info *s,
                       const struct kw_actor *actor, const struct kw_unit_new *u, int64_t *id,
                       struct kw_err *err)
{
	int rc = kw_app_unit_create_check(app, s, u, err);
	if (rc)
		return rc;
	struct kw_unit_job a = {u, 0};
	rc = kw_writer_run(app->writer, kw_unit_create_job, &a, actor, err);
	*id = a.id;
	return rc;
}

int kw_app_unit_create_check(struct kw_app *app, const struct kw_session_info *s,
                             const struct kw_unit_new *u, struct kw_err *err)
{
	if (!one_of(u->kind, "kind") || !one_of(u->level, "level"))
		return kw_err_set(err, KW_EINVAL, "UNIT_INVALID", NULL,
		                  "unknown unit kind or level");
	struct kw_conn *c = kw_pool_get(app->pool);
	int yes = 0;
	int rc = exists(c, "SELECT 1 FROM units WHERE id = $1", u->parent_id, &yes, err);
	if (!rc && !yes)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such parent unit");
	if (!rc)
		rc = kw_authz_check(c, s, "unit.create", u->parent_id, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc == KW_EFORBIDDEN ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                                        "no such parent unit")
		                           : rc;
	return 0;
}

int kw_app_units_list(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                      struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int64_t *ids = NULL, *parents = NULL;
	json_t *all = json_array();
	size_t n = 0, alloc = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT id, code, name, kind, level, parent_id, doc_prefix FROM units ORDER BY id",
	        &st, err);
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		rc = 0;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			ids = kw_xrealloc(ids, alloc * sizeof *ids);
			parents = kw_xrealloc(parents, alloc * sizeof *parents);
		}
		ids[n] = kw_stmt_column_int64(st, 0);
		parents[n] = kw_stmt_column_is_null(st, 5) ? 0 : kw_stmt_column_int64(st, 5);
		json_array_append_new(
		        all, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s?}", "id",
		                       (json_int_t)ids[n], "code", kw_stmt_column_text(st, 1, NULL),
		                       "name", kw_stmt_column_text(st, 2, NULL), "kind",
		                       kw_stmt_column_text(st, 3, NULL), "level",
		                       kw_stmt_column_text(st, 4, NULL), "parent",
		                       parents[n] ? json_integer(parents[n]) : json_null(),
		                       "doc_prefix", /* 0035: the document-number prefix */
		                       kw_stmt_column_is_null(st, 6)
		                               ? NULL
		                               : kw_stmt_column_text(st, 6, NULL)));
		n++;
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	json_t *items = json_array();
	/* A unit is reached when it or an ancestor holds one of the caller's grants. */
	for (size_t i = 0; i < n && !rc; i++) {
		int64_t u = ids[i];
		int reached = 0;
		for (int depth = 0; u && depth < 16 && !reached; depth++) {
			for (int g = 0; g < s->ngrants && !reached; g++)
				reached = s->grants[g].unit_id == u;
			size_t k = 0;
			while (k < n && ids[k] != u)
				k++;
			u = k < n ? parents[k] : 0;
		}
		if (reached)
			json_array_append(items, json_array_get(all, i));
	}
	free(ids);
	free(parents);
	json_decref(all);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

/* ---- grant requests ---- */

struct check_arg {
	const struct kw_session_info *s;
	const json_t *roles;
	const char *action;
	int64_t user_id;
};

/* Each requested role: known, at an existing unit the caller may grant it at. */
static int check_roles(struct kw_conn *c, void *p, struct kw_err *err)
{
	struct check_arg *a = p;
	int yes = 0;
	int rc = 0;
	if (a->user_id) {
		rc = exists(c, "SELECT 1 FROM users WHERE id = $1", a->user_id, &yes, err);
		if (!rc && !yes)
			return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such user");
	}
	size_t i;
	json_t *r;
	json_array_foreach(a->roles, i, r)
	{
		const char *role = json_string_value(json_object_get(r, "role"));
		int64_t unit = json_integer_value(json_object_get(r, "unit"));
		rc = exists(c, "SELECT 1 FROM units WHERE id = $1", unit, &yes, err);
		if (!rc && !yes) {
			rc = kw_err_set(err, KW_EINVAL, "UNIT_UNKNOWN", NULL, "no such unit");
			kw_err_detail(err, "unit", json_integer(unit));
		}
		if (!rc)
			rc = kw_authz_check_grant(c, a->s, a->action, role, unit, err);
		if (rc == KW_EFORBIDDEN) {
			rc = kw_err_set(err, KW_EFORBIDDEN, "GRANT_OUTSIDE_UNIT", NULL,
			                "cannot grant %s at unit %lld", role, (long long)unit);
			kw_err_detail(err, "role", json_string(role));
			kw_err_detail(err, "unit", json_integer(unit));
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int valid_time(const json_t *v, int64_t *us)
{
	*us = 0;
	return !v || json_is_null(v) ||
	       (json_is_string(v) && kw_clock_parse(json_string_value(v), us) == 0);
}

/* Shape of each requested role: VALIDATION_FAILED naming the item. */
static int check_shape(const json_t *roles, struct kw_err *err)
{
	size_t i;
	json_t *r;
	json_t *fields = json_array();
	if (!json_is_array(roles) || json_array_size(roles) == 0 || json_array_size(roles) > 10)
		json_array_append_new(fields,
		                      json_pack("{s:s, s:s}", "field", "roles", "problem", "size"));
	else
		json_array_foreach(roles, i, r)
		{
			char f[48];
			const char *role = json_string_value(json_object_get(r, "role"));
			int64_t from = 0, to = 0;
			json_t *exam = json_object_get(r, "exam");
			const char *problem = NULL;
			const char *key;
			json_t *v;
			if (!json_is_object(r))
				problem = "type";
			else if (!role || !kw_authz_role_known(role))
				problem = "role_unknown";
			else if (!json_is_integer(json_object_get(r, "unit")))
				problem = "unit_required";
			else if (exam && !json_is_null(exam) && !json_is_integer(exam))
				problem = "exam_type";
			else if (!valid_time(json_object_get(r, "valid_from"), &from) ||
			         !valid_time(json_object_get(r, "valid_to"), &to))
				problem = "time_format";
			else if (from && to && from >= to)
				problem = "time_order";
			if (json_is_object(r) && !problem)
				json_object_foreach(
				        (json_t *)r, key,
				        v) if (strcmp(key, "role") && strcmp(key, "unit") &&
				               strcmp(key, "exam") && strcmp(key, "valid_from") &&
				               strcmp(key, "valid_to")) problem = "unknown_field";
			if (problem) {
				snprintf(f, sizeof f, "roles[%zu]", i);
				json_array_append_new(fields, json_pack("{s:s, s:s}", "field", f,
				                                        "problem", problem));
			}
		}
	if (json_array_size(fields) == 0) {
		json_decref(fields);
		return 0;
	}
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the roles are not valid");
	kw_err_detail(err, "fields", fields);
	return rc;
}

struct request_job {
	int64_t user_id;
	const json_t *roles;
	int64_t id;
};

int kw_approval_create(struct kw_tx *tx, const char *kind, const json_t *payload,
                       const json_t *detail, int64_t *id, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	char *p = json_dumps(payload, JSON_SORT_KEYS | JSON_COMPACT);
	if (!p)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "payload not serialisable");
	struct kw_stmt *s = NULL;
	*id = 0;
	int rc = kw_conn_prepare(
	        tx->conn,
	        "INSERT INTO approvals (kind, payload, status, maker_id, created_at) "
	        "VALUES ($1, $2, 'pending', $3, $4) RETURNING id",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, kind);
		kw_stmt_bind_textz(s, 2, p);
		kw_stmt_bind_int64(s, 3, tx->actor->id);
		kw_stmt_bind_textz(s, 4, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*id = kw_stmt_column_int64(s, 0);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "no approval row");
		}
	}
	kw_stmt_finalize(s);
	free(p);
	if (!rc)
		rc = kw_audit_append(tx, "approval.create", "approvals", *id, detail, err);
	return rc;
}

static int request_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct request_job *a = arg;
	json_t *payload = json_pack("{s:I, s:O}", "user_id", (json_int_t)a->user_id, "roles",
	                            (json_t *)a->roles);
	json_t *d = json_pack("{s:s, s:I}", "kind", "grant.add", "user_id", (json_int_t)a->user_id);
	int rc = kw_approval_create(tx, "grant.add", payload, d, &a->id, err);
	json_decref(d);
	json_decref(payload);
	return rc;
}

int kw_app_grant_request(struct kw_app *app, const struct kw_session_info *s,
                         const struct kw_actor *actor, int64_t user_id, const json_t *roles,
                         int64_t *approval_id, struct kw_err *err)
{
	int rc = check_shape(roles, err);
	if (rc)
		return rc;
	struct check_arg ca = {s, roles, "grant.request", user_id};
	rc = with_conn(app, check_roles, &ca, err);
	if (rc)
		return rc;
	struct request_job a = {user_id, roles, 0};
	rc = kw_writer_run(app->writer, request_job, &a, actor, err);
	*approval_id = a.id;
	return rc;
}

/* ---- deciding ---- */

struct approval {
	int64_t id, maker_id, checker_id;
	char kind[32], status[16];
	json_t *payload;
	char *reason, *created_at, *decided_at;
	char maker[64], checker[64];
};

static void approval_release(struct approval *a)
{
	json_decref(a->payload);
	free(a->reason);
	free(a->created_at);
	free(a->decided_at);
	memset(a, 0, sizeof *a);
}

static json_t *approval_json(const struct approval *a)
{
	/* A change of records is shown as people may see it (identity numbers masked). */
	const struct kw_kind *rk = kw_rec_change_kind(a->kind, NULL);
	json_t *payload = rk && a->payload ? kw_rec_change_view(rk, a->payload)
	                  : a->payload     ? json_incref(a->payload)
	                                   : json_null();
	return json_pack(
	        "{s:I, s:s, s:s, s:o, s:{s:I, s:s}, s:o, s:s?, s:s, s:s?}", "id", (json_int_t)a->id,
	        "kind", a->kind, "status", a->status, "payload", payload, "maker", "id",
	        (json_int_t)a->maker_id, "username", a->maker, "checker",
	        a->checker_id ? json_pack("{s:I, s:s}", "id", (json_int_t)a->checker_id, "username",
	                                  a->checker)
	                      : json_null(),
	        "reason", a->reason, "created_at", a->created_at, "decided_at", a->decided_at);
}

/* Names for people: the approval's subject (who gets which roles at which units), so a
 * checker sees "李四 (li.si): 考试机构工作人员 @ 合肥考区" and not ids. */
static void describe(struct kw_conn *c, json_t *aj)
{
	json_t *payload = json_object_get(aj, "payload");
	const char *verb = NULL;
	const struct kw_kind *rk =
	        kw_rec_change_kind(json_string_value(json_object_get(aj, "kind")), &verb);
	if (rk) {
		/* A change of a register: which, what is done, and to how many records. */
		json_t *units = json_array();
		struct kw_stmt *st = NULL;
		int ok = kw_conn_prepare(c, "SELECT code, name FROM units WHERE id = $1", &st,
		                         NULL) == 0;
		size_t i;
		json_t *u;
		json_array_foreach(json_object_get(payload, "units"), i, u)
		{
			json_t *unit = json_pack("{s:O}", "id", u);
			if (ok && i < 20) {
				kw_stmt_reset(st);
				kw_stmt_bind_int64(st, 1, json_integer_value(u));
				if (kw_stmt_step(st, NULL) == KW_ROW) {
					json_object_set_new(
					        unit, "code",
					        json_string(kw_stmt_column_text(st, 0, NULL)));
					json_object_set_new(
					        unit, "name",
					        json_string(kw_stmt_column_text(st, 1, NULL)));
				}
			}
			json_array_append_new(units, unit);
		}
		kw_stmt_finalize(st);
		json_t *count = json_object_get(payload, "count");
		json_object_set_new(aj, "subject",
		                    json_pack("{s:{s:s, s:s, s:s, s:s}, s:s, s:I, s:o}", "register",
		                              "name", rk->name, "table", rk->table, "zh", rk->zh,
		                              "en", rk->en, "verb", verb, "count",
		                              (json_int_t)(count ? json_integer_value(count) : 1),
		                              "units", units));
		return;
	}
	json_t *subject = json_object(), *roles = json_array();
	struct kw_stmt *st = NULL;
	if (kw_conn_prepare(c, "SELECT username, display_name FROM users WHERE id = $1", &st,
	                    NULL) == 0) {
		kw_stmt_bind_int64(st, 1, json_integer_value(json_object_get(payload, "user_id")));
		if (kw_stmt_step(st, NULL) == KW_ROW)
			json_object_set_new(subject, "user",
			                    json_pack("{s:O, s:s, s:s}", "id",
			                              json_object_get(payload, "user_id"),
			                              "username", kw_stmt_column_text(st, 0, NULL),
			                              "display_name",
			                              kw_stmt_column_text(st, 1, NULL)));
	}
	kw_stmt_finalize(st);
	st = NULL;
	int ok = kw_conn_prepare(c, "SELECT code, name FROM units WHERE id = $1", &st, NULL) == 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(payload, "roles"), i, r)
	{
		const char *role = json_string_value(json_object_get(r, "role"));
		char key[64];
		snprintf(key, sizeof key, "ROLE_%s", role ? role : "");
		json_t *names = json_object();
		static const char *const langs[] = {KW_LANG_ZH, KW_LANG_EN};
		for (int l = 0; l < 2; l++) {
			struct kw_buf b = KW_BUF_INIT;
			kw_buf_init(&b, 256);
			json_object_set_new(names, l ? "en" : "zh",
			                    json_string(kw_i18n_format(langs[l], key, NULL, &b) == 0
			                                        ? b.buf
			                                        : (role ? role : "")));
			kw_buf_release(&b);
		}
		json_t *unit = json_pack("{s:O}", "id", json_object_get(r, "unit"));
		if (ok) {
			kw_stmt_reset(st);
			kw_stmt_bind_int64(st, 1, json_integer_value(json_object_get(r, "unit")));
			if (kw_stmt_step(st, NULL) == KW_ROW) {
				json_object_set_new(unit, "code",
				                    json_string(kw_stmt_column_text(st, 0, NULL)));
				json_object_set_new(unit, "name",
				                    json_string(kw_stmt_column_text(st, 1, NULL)));
			}
		}
		json_array_append_new(roles, json_pack("{s:s?, s:o, s:o}", "role", role,
		                                       "role_name", names, "unit", unit));
	}
	kw_stmt_finalize(st);
	json_object_set_new(subject, "roles", roles);
	json_object_set_new(aj, "subject", subject);
}

static const char approval_select[] =
        "SELECT a.id, a.kind, a.payload, a.status, a.maker_id, m.username, a.checker_id, "
        "c.username, a.reason, a.created_at, a.decided_at FROM approvals a "
        "JOIN users m ON m.id = a.maker_id LEFT JOIN users c ON c.id = a.checker_id ";

static void read_approval(struct kw_stmt *s, struct approval *a)
{
	memset(a, 0, sizeof *a);
	a->id = kw_stmt_column_int64(s, 0);
	snprintf(a->kind, sizeof a->kind, "%s", kw_stmt_column_text(s, 1, NULL));
	a->payload = json_loads(kw_stmt_column_text(s, 2, NULL), 0, NULL);
	snprintf(a->status, sizeof a->status, "%s", kw_stmt_column_text(s, 3, NULL));
	a->maker_id = kw_stmt_column_int64(s, 4);
	snprintf(a->maker, sizeof a->maker, "%s", kw_stmt_column_text(s, 5, NULL));
	a->checker_id = kw_stmt_column_is_null(s, 6) ? 0 : kw_stmt_column_int64(s, 6);
	snprintf(a->checker, sizeof a->checker, "%s", kw_stmt_column_text(s, 7, NULL));
	a->reason =
	        kw_stmt_column_is_null(s, 8) ? NULL : kw_xstrdup(kw_stmt_column_text(s, 8, NULL));
	a->created_at = kw_xstrdup(kw_stmt_column_text(s, 9, NULL));
	a->decided_at =
	        kw_stmt_column_is_null(s, 10) ? NULL : kw_xstrdup(kw_stmt_column_text(s, 10, NULL));
}

static int load_approval(struct kw_conn *c, int64_t id, struct approval *a, struct kw_err *err)
{
	char sql[600];
	snprintf(sql, sizeof sql, "%sWHERE a.id = $1", approval_select);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			read_approval(s, a);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such approval");
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The kinds of approval other modules decide (approvals.h). */
static const struct kw_approval_kind *const module_kinds[] = {
        &kw_publication_approval, &kw_review_approval, &kw_qualified_list_approval,
        &kw_certificate_revoke_approval, &kw_incident_outcome_approval};

static const struct kw_approval_kind *module_kind(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof module_kinds / sizeof *module_kinds; i++)
		if (strcmp(module_kinds[i]->kind, kind) == 0)
			return module_kinds[i];
	return NULL;
}

struct decide_job {
	struct kw_app *app;
	const struct approval *a;
	int approve;
	const char *reason;
	const char *checker;
	const struct kw_kind *rk;          /* a change of records, or NULL: a grant */
	const struct kw_approval_kind *mk; /* a module's kind, or NULL */
	const char *verb;
	json_t *result; /* what an approved change of records wrote */
};

static int insert_grant(struct kw_tx *tx, int64_t user_id, const json_t *r, int64_t approval,
                        const char *maker, const char *checker, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int64_t gid = 0;
	json_t *exam = json_object_get(r, "exam");
	int rc = kw_conn_prepare(tx->conn,
	                         "INSERT INTO grants (user_id, role, unit_id, exam_id, valid_from, "
	                         "valid_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
	                         "RETURNING id",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, user_id);
		kw_stmt_bind_textz(s, 2, json_string_value(json_object_get(r, "role")));
		kw_stmt_bind_int64(s, 3, json_integer_value(json_object_get(r, "unit")));
		if (json_is_integer(exam))
			kw_stmt_bind_int64(s, 4, json_integer_value(exam));
		else
			kw_stmt_bind_null(s, 4);
		/* Times are stored in the canonical UTC form whatever offset they came with. */
		char from[32], to[32];
		int64_t us = 0;
		const char *vf = json_string_value(json_object_get(r, "valid_from"));
		const char *vt = json_string_value(json_object_get(r, "valid_to"));
		if (vf && kw_clock_parse(vf, &us) == 0) {
			kw_clock_format(us, from);
			kw_stmt_bind_textz(s, 5, from);
		} else {
			kw_stmt_bind_null(s, 5);
		}
		if (vt && kw_clock_parse(vt, &us) == 0) {
			kw_clock_format(us, to);
			kw_stmt_bind_textz(s, 6, to);
		} else {
			kw_stmt_bind_null(s, 6);
		}
		kw_stmt_bind_textz(s, 7, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			gid = kw_stmt_column_int64(s, 0);
			rc = 0;
		}
	}
	kw_stmt_finalize(s);
	if (rc)
		return rc;
	json_t *d = json_pack("{s:I, s:s, s:s, s:O}", "approval_id", (json_int_t)approval, "maker",
	                      maker, "checker", checker, "grant", (json_t *)r);
	rc = kw_audit_append(tx, "grant.create", "grants", gid, d, err);
	json_decref(d);
	return rc;
}

static int decide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct decide_job *a = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	/* Only a pending approval changes: two checkers at once, one wins. */
	int rc = kw_conn_prepare(tx->conn,
	                         "UPDATE approvals SET status = $1, checker_id = $2, reason = $3, "
	                         "decided_at = $4 WHERE id = $5 AND status = 'pending'",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, a->approve ? "approved" : "rejected");
		kw_stmt_bind_int64(s, 2, tx->actor->id);
		kw_stmt_bind_textz(s, 3, a->reason);
		kw_stmt_bind_textz(s, 4, now);
		kw_stmt_bind_int64(s, 5, a->a->id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_DONE)
			rc = kw_stmt_changes(s) == 1
			             ? 0
			             : kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
			                          "already decided");
	}
	kw_stmt_finalize(s);
	if (rc)
		return rc;
	json_t *d = json_pack("{s:s, s:s, s:s?}", "maker", a->a->maker, "checker", a->checker,
	                      "reason", a->reason);
	rc = kw_audit_append(tx, a->approve ? "approval.approve" : "approval.reject", "approvals",
	                     a->a->id, d, err);
	json_decref(d);
	if (!rc && a->mk)
		return a->mk->decide(a->app, tx, a->a->payload, a->a->id, a->approve, &a->result,
		                     err);
	if (rc || !a->approve)
		return rc;
	if (a->rk) {
		/* The change is written now, by the checker, in this transaction (INF-4). */
		json_decref(a->result);
		a->result = NULL;
		return kw_rec_change_apply(tx, a->rk, a->verb, a->a->payload, a->a->id, a->a->maker,
		                           a->checker, &a->result, err);
	}
	int64_t user_id = json_integer_value(json_object_get(a->a->payload, "user_id"));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(a->a->payload, "roles"), i, r)
	{
		rc = insert_grant(tx, user_id, r, a->a->id, a->a->maker, a->checker, err);
		if (rc)
			return rc;
	}
	return 0;
}

int kw_app_approval_decide(struct kw_app *app, const struct kw_session_info *s,
                           const struct kw_actor *actor, int64_t id, int approve,
                           const char *reason, json_t **out, struct kw_err *err)
{
	struct approval a;
	memset(&a, 0, sizeof a);
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = load_approval(c, id, &a, err);
	const char *verb = NULL;
	const struct kw_kind *rk = rc ? NULL : kw_rec_change_kind(a.kind, &verb);
	const struct kw_approval_kind *mk = rc ? NULL : module_kind(a.kind);
	if (!rc) {
		if (mk) {
			rc = mk->allowed(c, s, a.payload, err);
		} else if (rk) {
			/* A change of a register: the kind's write action at each of its units. */
			rc = kw_rec_change_allowed(c, s, rk, a.payload, err);
		} else {
			/* The checker may see it only if they could decide it: otherwise 404. */
			struct check_arg ca = {s, json_object_get(a.payload, "roles"),
			                       "approval.decide", 0};
			rc = check_roles(c, &ca, err);
		}
		if (rc == KW_EFORBIDDEN && a.maker_id != s->user.id)
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such approval");
		if (a.maker_id == s->user.id) {
			/* Nobody approves their own change (INF-4). */
			rc = kw_err_set(err, KW_EFORBIDDEN, "SELF_APPROVAL", "INF-4",
			                "the maker cannot be the checker");
		}
		if (!rc && strcmp(a.status, "pending") != 0)
			rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
			                "already decided");
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		approval_release(&a);
		return rc;
	}
	struct decide_job j = {app, &a, approve, reason, s->user.username, rk, mk, verb, NULL};
	rc = kw_writer_run(app->writer, decide_job, &j, actor, err);
	if (!rc && mk && approve && mk->after)
		mk->after(app, a.payload);
	approval_release(&a);
	if (rc) {
		json_decref(j.result);
		return rc;
	}
	if (!rk && !mk)
		kw_app_sessions_changed(app);
	c = kw_pool_get(app->pool);
	rc = load_approval(c, id, &a, err);
	kw_pool_put(app->pool, c);
	if (!rc) {
		*out = approval_json(&a);
		if (j.result)
			json_object_set_new(*out, "result", j.result);
		j.result = NULL;
		approval_release(&a);
	}
	json_decref(j.result);
	return rc;
}

int kw_app_approvals_list(struct kw_app *app, const struct kw_session_info *s, const char *status,
                          json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_authz_check(c, s, "approval.list", 0, err);
	char sql[700];
	snprintf(sql, sizeof sql, "%s%sORDER BY a.id DESC LIMIT 500", approval_select,
	         status ? "WHERE a.status = $1 " : "");
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc && status)
		kw_stmt_bind_textz(st, 1, status);
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		rc = 0;
		struct approval a;
		read_approval(st, &a);
		/* Listed only where the caller's units reach every unit in it: a grant's for
		 * someone who grants there (approval.list and grant.request), a change of records'
		 * for someone who may write that register there. */
		const struct kw_kind *rk = kw_rec_change_kind(a.kind, NULL);
		const struct kw_approval_kind *mk = module_kind(a.kind);
		struct kw_err e2 = KW_ERR_INIT;
		int in_scope = 1;
		if (mk) {
			in_scope = mk->allowed(c, s, a.payload, &e2) == 0;
		} else if (rk) {
			in_scope = kw_rec_change_allowed(c, s, rk, a.payload, &e2) == 0;
		} else {
			size_t i;
			json_t *r;
			json_array_foreach(json_object_get(a.payload, "roles"), i, r)
			{
				int64_t unit = json_integer_value(json_object_get(r, "unit"));
				if (kw_authz_check(c, s, "approval.list", unit, &e2) ||
				    kw_authz_check(c, s, "grant.request", unit, &e2))
					in_scope = 0;
			}
		}
		kw_err_release(&e2);
		if (in_scope || a.maker_id == s->user.id) {
			json_t *aj = approval_json(&a);
			describe(c, aj);
			json_array_append_new(items, aj);
		}
		approval_release(&a);
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

/* ---- the audit listing ---- */

static int64_t root_unit_id(struct kw_conn *c)
{
	struct kw_stmt *s = NULL;
	int64_t id = 0;
	if (kw_conn_prepare(c, "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1",
	                    &s, NULL) == 0 &&
	    kw_stmt_step(s, NULL) == KW_ROW)
		id = kw_stmt_column_int64(s, 0);
	kw_stmt_finalize(s);
	return id;
}

static int has_column(const char *table, const char *col)
{
	const char *n;
	for (int i = 0; (n = kw_audit_column(table, i, NULL)); i++)
		if (strcmp(n, col) == 0)
			return 1;
	return 0;
}

/*
 * The records a reader holding audit.read below the root may see (the reach CTE of
 * kw_rec_reach_sql is in scope): those whose row belongs, as it stands now, to a unit they
 * reach — a unit itself; a row with a unit, or of an exam of such a unit (its exam_id), or
 * of a registration for such an exam; an account holding a grant there and the rows of such
 * an account (user_id). Records of rows since deleted, of batches and of events about no row
 * (a refused login) have no unit to judge by: they are read at the root only.
 */
static void audit_reach_filter(struct kw_buf *b)
{
	static const char reach[] = "(SELECT id FROM reach)";
	kw_buf_addf(b, " AND ((a.entity = 'units' AND a.entity_id IN %s)", reach);
	kw_buf_addf(b,
	            " OR (a.entity = 'users' AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = "
	            "a.entity_id AND g.unit_id IN %s))",
	            reach);
	const char *t;
	for (size_t i = 0; (t = kw_audit_table(i)); i++) {
		const char *cond = NULL;
		if (strcmp(t, "units") == 0 || strcmp(t, "users") == 0)
			continue;
		if (has_column(t, "unit_id"))
			cond = "x.unit_id IN (SELECT id FROM reach)";
		else if (has_column(t, "exam_id"))
			cond = "x.exam_id IN (SELECT e.id FROM exams e WHERE e.unit_id IN "
			       "(SELECT id FROM reach))";
		else if (has_column(t, "registration_id"))
			cond = "x.registration_id IN (SELECT r.id FROM registrations r JOIN exams "
			       "e ON "
			       "e.id = r.exam_id WHERE e.unit_id IN (SELECT id FROM reach))";
		else if (has_column(t, "user_id"))
			cond = "x.user_id IN (SELECT g.user_id FROM grants g WHERE g.unit_id IN "
			       "(SELECT id FROM reach))";
		if (cond)
			kw_buf_addf(
			        b,
			        " OR (a.entity = '%s' AND EXISTS (SELECT 1 FROM %s x WHERE x.id = "
			        "a.entity_id AND %s))",
			        t, t, cond);
	}
	kw_buf_adds(b, ")");
}

int kw_app_audit_list(struct kw_app *app, const struct kw_session_info *s,
                      const struct kw_audit_query *q, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_buf sql = KW_BUF_INIT;
	kw_buf_init(&sql, 0);
	/* The whole trail at the root; below it, the records of the units reached. */
	int all = 0, none = 0;
	int rc = kw_rec_reach_sql(c, &sql, s, "audit.read", &all, &none, err);
	if (!rc && none)
		rc = kw_authz_check(c, s, "audit.read", root_unit_id(c), err);
	int64_t since = 0, until = 0;
	if (!rc && ((q->since && kw_clock_parse(q->since, &since)) ||
	            (q->until && kw_clock_parse(q->until, &until))))
		rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		                "since/until are RFC 3339 times");
	kw_buf_adds(&sql, "SELECT seq, at, actor_kind, actor_id, actor_name, request_id, action, "
	                  "entity, entity_id, detail, hash FROM audit_log a WHERE seq < $1");
	if (!all)
		audit_reach_filter(&sql);
	if (q->entity)
		kw_buf_adds(&sql, " AND entity = $2");
	if (q->entity_id)
		kw_buf_adds(&sql, " AND entity_id = $3");
	if (q->actor)
		kw_buf_adds(&sql, " AND actor_name = $4");
	if (since)
		kw_buf_adds(&sql, " AND at >= $5");
	if (until)
		kw_buf_adds(&sql, " AND at < $6");
	kw_buf_addf(&sql, " ORDER BY seq DESC LIMIT %d", q->limit + 1);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c, sql.buf, &st, err);
	kw_buf_release(&sql);
	if (!rc) {
		char a[32], b[32];
		kw_stmt_bind_int64(st, 1, q->before_seq ? q->before_seq : INT64_MAX);
		if (q->entity)
			kw_stmt_bind_textz(st, 2, q->entity);
		if (q->entity_id)
			kw_stmt_bind_int64(st, 3, q->entity_id);
		if (q->actor)
			kw_stmt_bind_textz(st, 4, q->actor);
		if (since) {
			kw_clock_format(since, a);
			kw_stmt_bind_textz(st, 5, a);
		}
		if (until) {
			kw_clock_format(until, b);
			kw_stmt_bind_textz(st, 6, b);
		}
	}
	int n = 0;
	int64_t last = 0, more = 0;
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		rc = 0;
		if (n == q->limit) {
			more = 1;
			break;
		}
		json_t *detail = json_loads(kw_stmt_column_text(st, 9, NULL), 0, NULL);
		last = kw_stmt_column_int64(st, 0);
		json_array_append_new(
		        items,
		        json_pack("{s:I, s:s, s:{s:s, s:o, s:o}, s:o, s:s, s:o, s:o, s:o, s:s}",
		                  "seq", (json_int_t)last, "at", kw_stmt_column_text(st, 1, NULL),
		                  "actor", "kind", kw_stmt_column_text(st, 2, NULL), "id",
		                  kw_stmt_column_is_null(st, 3)
		                          ? json_null()
		                          : json_integer(kw_stmt_column_int64(st, 3)),
		                  "name",
		                  kw_stmt_column_is_null(st, 4)
		                          ? json_null()
		                          : json_string(kw_stmt_column_text(st, 4, NULL)),
		                  "request_id",
		                  kw_stmt_column_is_null(st, 5)
		                          ? json_null()
		                          : json_string(kw_stmt_column_text(st, 5, NULL)),
		                  "action", kw_stmt_column_text(st, 6, NULL), "entity",
		                  kw_stmt_column_is_null(st, 7)
		                          ? json_null()
		                          : json_string(kw_stmt_column_text(st, 7, NULL)),
		                  "entity_id",
		                  kw_stmt_column_is_null(st, 8)
		                          ? json_null()
		                          : json_integer(kw_stmt_column_int64(st, 8)),
		                  "detail", detail ? detail : json_object(), "hash",
		                  kw_stmt_column_text(st, 10, NULL)));
		n++;
	}
	if (rc == KW_DONE || rc == KW_ROW)
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
