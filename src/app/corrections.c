/* Corrections of an admission ticket's content (TKT-3, AH 19): see corrections.h. */
#include "app/corrections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/archive.h"
#include "app/audit.h"
#include "app/authz.h"
#include "app/tickets.h"
#include "core/idno.h"
#include "core/mask.h"
#include "util/clock.h"

/* ---- the registration a correction is about ---- */

struct target {
	int64_t reg, cand, exam, area, photo;
	int seated;
	char exam_date[16], exam_kind[32], id_type[32], id_number[40], name[256];
};

static int target_load(struct kw_conn *c, int64_t reg, struct target *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT r.candidate_id, r.exam_id, COALESCE(r.area_id, e.unit_id), e.exam_date, "
	        "e.kind, d.id_type, d.id_number, d.name, (SELECT COUNT(*) FROM seats s JOIN "
	        "seating_runs u ON u.id = s.run_id WHERE s.registration_id = r.id AND u.status "
	        "= 'published'), (SELECT MAX(f.id) FROM files f WHERE f.candidate_id = "
	        "r.candidate_id AND f.purpose = 'photo') FROM registrations r JOIN exams e ON "
	        "e.id = r.exam_id JOIN candidates d ON d.id = r.candidate_id WHERE r.id = $1",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			t->reg = reg;
			t->cand = kw_stmt_column_int64(s, 0);
			t->exam = kw_stmt_column_int64(s, 1);
			t->area = kw_stmt_column_int64(s, 2);
			kw_stmt_column_copy(s, 3, t->exam_date, sizeof t->exam_date);
			kw_stmt_column_copy(s, 4, t->exam_kind, sizeof t->exam_kind);
			kw_stmt_column_copy(s, 5, t->id_type, sizeof t->id_type);
			kw_stmt_column_copy(s, 6, t->id_number, sizeof t->id_number);
			kw_stmt_column_copy(s, 7, t->name, sizeof t->name);
			t->seated = kw_stmt_column_int64(s, 8) > 0;
			t->photo = kw_stmt_column_is_null(s, 9) ? 0 : kw_stmt_column_int64(s, 9);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/*
 * Loads reg and checks that s reaches it for action: the candidate their own, staff the
 * registration's exam area (the exam-area agency, AH 19). Unreachable reads as absent.
 */
static int reach(struct kw_conn *c, const struct kw_session_info *s, int64_t reg,
                 const char *action, struct target *t, struct kw_err *err)
{
	int rc = target_load(c, reg, t, err);
	if (rc)
		return rc;
	int ok = t->reg != 0;
	if (ok && s->candidate_id)
		ok = s->candidate_id == t->cand;
	else if (ok) {
		struct kw_err e2 = KW_ERR_INIT;
		ok = kw_authz_check(c, s, action, t->area, &e2) == 0;
		kw_err_release(&e2);
	}
	return ok ? 0 : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such registration");
}

/* May a correction be asked now: a published seat (the ticket exists), before the exam. */
static int askable(const struct target *t, struct kw_err *err)
{
	if (!t->seated)
		return kw_err_set(err, KW_ECONFLICT, "CORRECTION_NO_TICKET", "TKT-3",
		                  "a correction is asked for a ticket: this registration has no "
		                  "published seat");
	int64_t starts = 0;
	if (kw_clock_china_day(t->exam_date, 0, &starts) || kw_clock_now_us() >= starts) {
		kw_err_set(err, KW_ECONFLICT, "CORRECTION_TOO_LATE", "TKT-3",
		           "corrections are asked before the exam");
		if (t->exam_date[0])
			kw_err_detail(err, "exam_date", json_string(t->exam_date));
		return err->rc;
	}
	return 0;
}

int kw_correction_file_add(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t reg, const char *kind,
                           const char *media_type, const char *label, const void *data, size_t n,
                           json_t **out, struct kw_err *err)
{
	int photo = kind && strcmp(kind, "photo") == 0;
	if (!kind || (!photo && strcmp(kind, "proof") != 0)) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the request has errors");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "kind", "problem",
		                        kind ? "not_allowed" : "required"));
		return err->rc;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = reach(c, s, reg, "ticket.correction.request", &t, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = askable(&t, err);
	if (!rc)
		rc = kw_files_add_correction(app, actor, t.cand, reg,
		                             s->candidate_id ? 0 : s->user.id, photo, media_type,
		                             label, data, n, out, err);
	return rc;
}

/* ---- a correction as the API shows it ---- */

static const char row_cols[] =
        "id, registration_id, exam_id, area_id, applicant, applicant_unit, entered_by, "
        "statement, changes, previous, proof_files, status, decided_by, decision_reason, "
        "decided_at, created_at, updated_at, (SELECT u.display_name FROM users u WHERE u.id "
        "= t.entered_by), (SELECT u.display_name FROM users u WHERE u.id = t.decided_by)";

static json_t *parsed(struct kw_stmt *s, int i)
{
	json_t *v = json_loads(kw_stmt_column_text(s, i, NULL), 0, NULL);
	return v ? v : json_null();
}

static json_t *row_json(struct kw_stmt *s)
{
#define T(i) (kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL))
#define I(i) (kw_stmt_column_is_null(s, i) ? json_null() : json_integer(kw_stmt_column_int64(s, i)))
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:s, s:s?, s:o, s:s, s:o, s:o, s:o, s:s, s:o, "
	                      "s:s?, s:s?, s:s, s:s}",
	                      "id", I(0), "registration_id", I(1), "exam_id", I(2), "area_id", I(3),
	                      "applicant", T(4), "applicant_unit", T(5), "entered_by", I(6),
	                      "statement", T(7), "changes", parsed(s, 8), "previous", parsed(s, 9),
	                      "proof_files", parsed(s, 10), "status", T(11), "decided_by", I(12),
	                      "decision_reason", T(13), "decided_at", T(14), "created_at", T(15),
	                      "updated_at", T(16));
	json_object_set_new(o, "entered_by_name",
	                    kw_stmt_column_is_null(s, 17) ? json_null() : json_string(T(17)));
	json_object_set_new(o, "decided_by_name",
	                    kw_stmt_column_is_null(s, 18) ? json_null() : json_string(T(18)));
#undef T
#undef I
	char path[96];
	json_t *files = json_array(), *ids = json_object_get(o, "proof_files");
	size_t k;
	json_t *v;
	json_array_foreach(ids, k, v)
	{
		snprintf(path, sizeof path, "/api/v1/ticket_corrections/%lld/files/%lld",
		         (long long)json_integer_value(json_object_get(o, "id")),
		         (long long)json_integer_value(v));
		json_array_append_new(files, json_string(path));
	}
	json_t *ph = json_object_get(json_object_get(o, "changes"), "photo_file");
	if (json_is_integer(ph)) {
		snprintf(path, sizeof path, "/api/v1/ticket_corrections/%lld/files/%lld",
		         (long long)json_integer_value(json_object_get(o, "id")),
		         (long long)json_integer_value(ph));
		json_object_set_new(o, "photo_url", json_string(path));
	}
	/* the photo it replaces (the candidate's photo when it was asked) */
	json_t *was = json_object_get(json_object_get(o, "previous"), "photo_file");
	if (json_is_integer(was)) {
		snprintf(path, sizeof path, "/api/v1/ticket_corrections/%lld/files/%lld",
		         (long long)json_integer_value(json_object_get(o, "id")),
		         (long long)json_integer_value(was));
		json_object_set_new(o, "previous_photo_url", json_string(path));
	}
	json_object_set_new(o, "proof_urls", files);
	return o;
}

/* Each row's proofs as {id, label, media_type, url}, in the order they were given. */
static int proofs_of(struct kw_conn *c, json_t *items, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, "SELECT label, media_type FROM files WHERE id = $1", &s, err);
	size_t i, k;
	json_t *row, *v;
	json_array_foreach(rc ? NULL : items, i, row)
	{
		json_t *list = json_array();
		json_array_foreach(json_object_get(row, "proof_files"), k, v)
		{
			kw_stmt_reset(s);
			kw_stmt_bind_int64(s, 1, json_integer_value(v));
			rc = kw_stmt_step(s, err);
			if (rc == KW_ROW)
				json_array_append_new(
				        list,
				        json_pack("{s:O, s:s?, s:s, s:O}", "id", v, "label",
				                  kw_stmt_column_is_null(s, 0)
				                          ? NULL
				                          : kw_stmt_column_text(s, 0, NULL),
				                  "media_type", kw_stmt_column_text(s, 1, NULL),
				                  "url",
				                  json_array_get(json_object_get(row, "proof_urls"),
				                                 k)));
			rc = kw_step_ok(rc);
			if (rc)
				break;
		}
		json_object_set_new(row, "proofs", list);
		if (rc)
			break;
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Rows of `where` ($1 = a), newest first. */
static int rows(struct kw_conn *c, const char *where, int64_t a, const char *b, json_t *items,
                struct kw_err *err)
{
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT %s FROM ticket_corrections t WHERE %s ORDER BY id DESC",
	         row_cols, where);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, a);
		if (b)
			kw_stmt_bind_textz(s, 2, b);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW)
			json_array_append_new(items, row_json(s));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc ? rc : proofs_of(c, items, err);
}

static int row_get(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	json_t *items = json_array();
	int rc = rows(c, "id = $1", id, NULL, items, err);
	*out = NULL;
	if (!rc && json_array_size(items))
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	if (!rc && !*out)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such correction");
	return rc;
}

/* ---- asking ---- */

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A name or text of 1..max characters without control characters. */
static const char *text_problem(const char *v, size_t max)
{
	if (!v || !*v)
		return "required";
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "invalid";
	return utf8_len(v) > max ? "too_long" : NULL;
}

/* Is file id one of reg's with this purpose? */
static int file_of(struct kw_conn *c, int64_t reg, int64_t id, const char *purpose, int *yes,
                   struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*yes = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT 1 FROM files WHERE id = $1 AND registration_id = $2 AND "
	                         "purpose = $3",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		kw_stmt_bind_int64(s, 2, reg);
		kw_stmt_bind_textz(s, 3, purpose);
		rc = kw_stmt_step(s, err);
		*yes = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Does another candidate hold this document? */
static int id_taken(struct kw_conn *c, const char *type, const char *number, int64_t cand,
                    struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int taken = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT 1 FROM candidates WHERE id_type = $1 AND id_number = $2 "
	                         "AND id <> $3",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, type);
		kw_stmt_bind_textz(s, 2, number);
		kw_stmt_bind_int64(s, 3, cand);
		rc = kw_stmt_step(s, err);
		taken = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && taken)
		rc = kw_err_set(err, KW_ECONFLICT, "CORRECTION_ID_TAKEN", "REG-4",
		                "another candidate's account holds this identity document");
	return rc;
}

/*
 * Checks the body against t; fills *changes (normalised: the number as stored) and
 * *previous. VALIDATION_FAILED lists every problem.
 */
static int check_request(struct kw_conn *c, const struct kw_session_info *s, const struct target *t,
                         const json_t *body, json_t **changes, json_t **previous,
                         struct kw_err *err)
{
	json_t *fields = json_array();
	*changes = json_object();
	*previous = json_object();
	static const char *const keys[] = {"changes", "statement", "proof_files", "applicant",
	                                   "applicant_unit"};
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v)
	{
		int known = 0;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			known |= strcmp(key, keys[i]) == 0;
		if (!known)
			problem(fields, key, "unknown");
	}
	/* who applies: a candidate for themselves; staff for the candidate or their unit */
	const char *who = json_string_value(json_object_get(body, "applicant"));
	const char *unit = json_string_value(json_object_get(body, "applicant_unit"));
	if (!who)
		who = "candidate";
	if (strcmp(who, "candidate") != 0 && strcmp(who, "unit") != 0)
		problem(fields, "applicant", "not_allowed");
	else if (strcmp(who, "unit") == 0 && s->candidate_id)
		problem(fields, "applicant", "not_allowed");
	else if (strcmp(who, "unit") == 0 && text_problem(unit, 100))
		problem(fields, "applicant_unit", text_problem(unit, 100));
	else if (strcmp(who, "candidate") == 0 && json_object_get(body, "applicant_unit"))
		problem(fields, "applicant_unit", "not_allowed");
	const char *statement = json_string_value(json_object_get(body, "statement"));
	if (text_problem(statement, 1000))
		problem(fields, "statement", text_problem(statement, 1000));
	/* the proof (AH 19: 携带有关证明材料) */
	json_t *proofs = json_object_get(body, "proof_files");
	if (!json_is_array(proofs) || json_array_size(proofs) == 0)
		problem(fields, "proof_files", "required");
	else if (json_array_size(proofs) > 10)
		problem(fields, "proof_files", "too_many");
	else {
		size_t i;
		json_array_foreach(proofs, i, v)
		{
			int yes = 0;
			if (!json_is_integer(v) ||
			    file_of(c, t->reg, json_integer_value(v), "correction_proof", &yes,
			            err) ||
			    !yes) {
				problem(fields, "proof_files", "unknown_file");
				break;
			}
		}
	}
	/* what changes */
	json_t *ch = json_object_get(body, "changes");
	if (!json_is_object(ch) || json_object_size(ch) == 0)
		problem(fields, "changes", "required");
	json_object_foreach(json_is_object(ch) ? ch : NULL, key, v)
	{
		if (strcmp(key, "name") == 0) {
			const char *p = text_problem(json_string_value(v), 50);
			if (p)
				problem(fields, "changes.name", p);
			else if (strcmp(json_string_value(v), t->name) == 0)
				problem(fields, "changes.name", "unchanged");
			else {
				json_object_set_new(*changes, "name", json_incref(v));
				json_object_set_new(*previous, "name", json_string(t->name));
			}
		} else if (strcmp(key, "id_number") == 0) {
			struct kw_idno id;
			char today[11];
			kw_clock_china_date(kw_clock_now_us(), today);
			enum kw_idno_type type = kw_idno_type_of(t->id_type);
			int p = json_is_string(v) && type
			                ? kw_idno_check(type, json_string_value(v), today, &id)
			                : KW_IDNO_EEMPTY;
			if (p)
				problem(fields, "changes.id_number", kw_idno_problem(p));
			else if (strcmp(id.norm, t->id_number) == 0)
				problem(fields, "changes.id_number", "unchanged");
			else {
				json_object_set_new(*changes, "id_number", json_string(id.norm));
				json_object_set_new(*previous, "id_number",
				                    json_string(t->id_number));
			}
		} else if (strcmp(key, "photo_file") == 0) {
			int yes = 0;
			if (!json_is_integer(v) ||
			    file_of(c, t->reg, json_integer_value(v), "correction_photo", &yes,
			            err) ||
			    !yes)
				problem(fields, "changes.photo_file", "unknown_file");
			else {
				json_object_set_new(*changes, "photo_file", json_incref(v));
				json_object_set_new(*previous, "photo_file",
				                    t->photo ? json_integer(t->photo)
				                             : json_null());
			}
		} else {
			/* the seat is the rule's (SEAT-1); other registration data is reviewed */
			problem(fields, key, "not_correctable");
		}
	}
	if (json_array_size(fields)) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", "TKT-3", "the request has errors");
		kw_err_detail(err, "fields", fields);
		json_decref(*changes);
		json_decref(*previous);
		*changes = *previous = NULL;
		return err->rc;
	}
	json_decref(fields);
	return 0;
}

struct request_job {
	const struct target *t;
	int64_t staff, id;
	const char *applicant, *unit, *statement;
	char *changes, *previous, *proofs;
	json_t *fields; /* names, for the audit */
};

static int pending_of(struct kw_conn *c, int64_t reg, int64_t *n, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*n = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT COUNT(*) FROM ticket_corrections WHERE registration_id = "
	                         "$1 AND status = 'pending'",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*n = kw_stmt_column_int64(s, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static int request_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct request_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t pending = 0;
	int rc = pending_of(tx->conn, j->t->reg, &pending, err);
	if (!rc && pending)
		rc = kw_err_set(err, KW_ECONFLICT, "CORRECTION_PENDING", "TKT-3",
		                "a correction of this registration is waiting for its decision");
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "ticket_corrections", &s, err,
		        "INSERT INTO ticket_corrections (registration_id, exam_id, area_id, "
		        "applicant, applicant_unit, entered_by, statement, changes, previous, "
		        "proof_files, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
		        "$6, $7, $8, $9, $10, 'pending', $11, $11)");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->t->reg);
		kw_stmt_bind_int64(s, 2, j->t->exam);
		kw_stmt_bind_int64(s, 3, j->t->area);
		kw_stmt_bind_textz(s, 4, j->applicant);
		kw_stmt_bind_textz(s, 5, j->unit);
		if (j->staff)
			kw_stmt_bind_int64(s, 6, j->staff);
		else
			kw_stmt_bind_null(s, 6);
		kw_stmt_bind_textz(s, 7, j->statement);
		kw_stmt_bind_textz(s, 8, j->changes);
		kw_stmt_bind_textz(s, 9, j->previous);
		kw_stmt_bind_textz(s, 10, j->proofs);
		kw_stmt_bind_textz(s, 11, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			j->id = kw_stmt_column_int64(s, 0);
			json_t *d = json_pack("{s:I, s:O, s:s}", "registration_id",
			                      (json_int_t)j->t->reg, "fields", j->fields,
			                      "applicant", j->applicant);
			rc = kw_audit_append_row(tx, "ticket.correction_request",
			                         "ticket_corrections", s, d, err);
			json_decref(d);
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_correction_request(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t reg, const json_t *body,
                          json_t **out, struct kw_err *err)
{
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	json_t *changes = NULL, *previous = NULL;
	int rc = reach(c, s, reg, "ticket.correction.request", &t, err);
	if (!rc)
		rc = askable(&t, err);
	if (!rc)
		rc = check_request(c, s, &t, body, &changes, &previous, err);
	if (!rc && json_object_get(changes, "id_number"))
		rc = id_taken(c, t.id_type,
		              json_string_value(json_object_get(changes, "id_number")), t.cand,
		              err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(changes);
		json_decref(previous);
		return rc;
	}
	const char *who = json_string_value(json_object_get(body, "applicant"));
	struct request_job j = {
	        .t = &t,
	        .staff = s->candidate_id ? 0 : s->user.id,
	        .applicant = who ? who : "candidate",
	        .unit = json_string_value(json_object_get(body, "applicant_unit")),
	        .statement = json_string_value(json_object_get(body, "statement")),
	        .changes = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS),
	        .previous = json_dumps(previous, JSON_COMPACT | JSON_SORT_KEYS),
	        .proofs = json_dumps(json_object_get(body, "proof_files"), JSON_COMPACT),
	        .fields = json_array(),
	};
	const char *key;
	json_t *v;
	json_object_foreach(changes, key, v) json_array_append_new(j.fields, json_string(key));
	rc = kw_writer_run(app->writer, request_job, &j, actor, err);
	free(j.changes);
	free(j.previous);
	free(j.proofs);
	json_decref(j.fields);
	json_decref(changes);
	json_decref(previous);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = row_get(c, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

/* ---- reading ---- */

int kw_corrections_of_registration(struct kw_app *app, const struct kw_session_info *s, int64_t reg,
                                   json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	json_t *items = json_array();
	int rc = reach(c, s, reg, "ticket.correction.read", &t, err);
	if (!rc)
		rc = rows(c, "registration_id = $1", reg, NULL, items, err);
	kw_pool_put(app->pool, c);
	if (!rc) {
		/* may one be asked now (a published seat, before the exam), and if not, why */
		struct kw_err e2 = KW_ERR_INIT;
		int ok = askable(&t, &e2) == 0;
		*out = json_pack("{s:O, s:b, s:s?}", "items", items, "askable", ok, "not_askable",
		                 ok ? NULL : e2.code);
		kw_err_release(&e2);
	}
	json_decref(items);
	return rc;
}

int kw_corrections_of_exam(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                           const char *status, json_t **out, struct kw_err *err)
{
	if (status && strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0 &&
	    strcmp(status, "refused") != 0) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the request has errors");
		kw_err_detail(
		        err, "fields",
		        json_pack("[{s:s, s:s}]", "field", "status", "problem", "not_allowed"));
		return err->rc;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *all = json_array(), *items = json_array();
	int rc = rows(c, status ? "exam_id = $1 AND status = $2" : "exam_id = $1", exam, status,
	              all, err);
	/* only the areas s reaches: the exam-area agencies see their own */
	size_t i;
	json_t *v;
	int64_t ok_area = 0, no_area = 0;
	json_array_foreach(rc ? NULL : all, i, v)
	{
		int64_t area = json_integer_value(json_object_get(v, "area_id"));
		int ok = area == ok_area;
		if (!ok && area != no_area) {
			struct kw_err e2 = KW_ERR_INIT;
			ok = kw_authz_check(c, s, "ticket.correction.decide", area, &e2) == 0;
			kw_err_release(&e2);
			*(ok ? &ok_area : &no_area) = area;
		}
		if (ok)
			json_array_append(items, v);
	}
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = json_pack("{s:O}", "items", items);
	json_decref(items);
	json_decref(all);
	return rc;
}

/* The correction, reached through its registration. */
static int reach_row(struct kw_conn *c, const struct kw_session_info *s, int64_t id,
                     const char *action, struct target *t, json_t **row, struct kw_err *err)
{
	int rc = row_get(c, id, row, err);
	if (!rc) {
		rc = reach(c, s, json_integer_value(json_object_get(*row, "registration_id")),
		           action, t, err);
		if (rc == KW_ENOTFOUND)
			kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such correction");
	}
	if (rc) {
		json_decref(*row);
		*row = NULL;
	}
	return rc;
}

int kw_correction_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                      struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = reach_row(c, s, id, "ticket.correction.read", &t, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_correction_file(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                       int64_t file, struct kw_file *out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	json_t *row = NULL;
	int rc = reach_row(c, s, id, "ticket.correction.read", &t, &row, err);
	const char *purpose = NULL;
	if (!rc) {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(row, "proof_files"), i, v) purpose =
		        json_integer_value(v) == file ? "correction_proof" : purpose;
		json_t *ph = json_object_get(json_object_get(row, "changes"), "photo_file");
		if (json_is_integer(ph) && json_integer_value(ph) == file)
			purpose = "correction_photo";
		json_t *was = json_object_get(json_object_get(row, "previous"), "photo_file");
		if (json_is_integer(was) && json_integer_value(was) == file)
			rc = kw_files_of_candidate(c, t.cand, file, "photo", out, err);
		else
			rc = purpose ? kw_files_of_registration(c, t.reg, file, purpose, out, err)
			             : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                          "no such file");
	}
	kw_pool_put(app->pool, c);
	json_decref(row);
	return rc;
}

/* ---- deciding ---- */

struct decide_job {
	int64_t id, checker;
	int approve;
	const char *reason;
	const struct target *t;
	const json_t *changes;
	char id_type[32];
};

/* The candidate's name and identity number (sex and birth date from the new document). */
static int correct_candidate(struct kw_tx *tx, struct decide_job *j, const char *now,
                             struct kw_err *err)
{
	const char *name = json_string_value(json_object_get(j->changes, "name"));
	const char *number = json_string_value(json_object_get(j->changes, "id_number"));
	if (!name && !number)
		return 0;
	struct kw_idno id;
	memset(&id, 0, sizeof id);
	int rc = 0;
	if (number) {
		char today[11];
		kw_clock_china_date(tx->now_us, today);
		if (kw_idno_check(kw_idno_type_of(j->t->id_type), number, today, &id))
			return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "a checked number");
		rc = id_taken(tx->conn, j->t->id_type, number, j->t->cand, err);
	}
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "candidates", &s, err,
		        "UPDATE candidates SET name = COALESCE($1, name), id_number = COALESCE($2, "
		        "id_number), sex = CASE WHEN $2 IS NULL THEN sex ELSE $3 END, birth_date = "
		        "CASE WHEN $2 IS NULL THEN birth_date ELSE $4 END, updated_at = $5 WHERE "
		        "id "
		        "= $6");
	if (!rc) {
		char sex[2] = {id.sex, 0};
		kw_stmt_bind_textz(s, 1, name);
		kw_stmt_bind_textz(s, 2, number);
		if (sex[0])
			kw_stmt_bind_textz(s, 3, sex);
		else
			kw_stmt_bind_null(s, 3);
		if (id.birth[0])
			kw_stmt_bind_textz(s, 4, id.birth);
		else
			kw_stmt_bind_null(s, 4);
		kw_stmt_bind_textz(s, 5, now);
		kw_stmt_bind_int64(s, 6, j->t->cand);
		char m[64] = "";
		if (number)
			kw_mask_id_number(number, m, sizeof m);
		rc = kw_audit_step(tx, "candidate.correct", "candidates", s,
		                   json_pack("{s:I, s:s?, s:s?}", "ticket_correction_id",
		                             (json_int_t)j->id, "name", name, "id_number",
		                             number ? m : NULL),
		                   err);
		if (rc == 1)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "the candidate is gone");
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The corrected photo becomes the candidate's current photo (a new 'photo' file row). */
static int correct_photo(struct kw_tx *tx, struct decide_job *j, const char *now,
                         struct kw_err *err)
{
	json_t *f = json_object_get(j->changes, "photo_file");
	if (!json_is_integer(f))
		return 0;
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(
	        tx->conn, "files", &s, err,
	        "INSERT INTO files (candidate_id, registration_id, purpose, label, media_type, "
	        "size, width, height, sha256, uploaded_by, created_at) SELECT candidate_id, "
	        "NULL, 'photo', NULL, media_type, size, width, height, sha256, $1, $2 FROM files "
	        "WHERE id = $3 AND purpose = 'correction_photo'");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->checker);
		kw_stmt_bind_textz(s, 2, now);
		kw_stmt_bind_int64(s, 3, json_integer_value(f));
		rc = kw_audit_step(tx, "candidate.photo", "files", s,
		                   json_pack("{s:I, s:I}", "ticket_correction_id",
		                             (json_int_t)j->id, "from_file",
		                             (json_int_t)json_integer_value(f)),
		                   err);
		if (rc == 1)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "the photo is gone");
	}
	kw_stmt_finalize(s);
	return rc;
}

/* REG-5: a new identity number under a civil-service ban in term is verified like a ban
 * found after registration (the ticket is then held). */
static int recheck_ban(struct kw_tx *tx, struct decide_job *j, const char *now, struct kw_err *err)
{
	const char *number = json_string_value(json_object_get(j->changes, "id_number"));
	if (!number || strcmp(j->t->exam_kind, "civil_service") != 0)
		return 0;
	char day[11];
	kw_clock_china_date(tx->now_us, day);
	struct kw_stmt *s = NULL;
	/* clang-format off */
	int rc = kw_audit_prepare(
	        tx->conn, "verifications", &s, err,
	        "INSERT INTO verifications (registration_id, kind, reason, status, created_by, "
	        "created_at, updated_at) SELECT $1, 'ban', 'archive', 'open', $2, $3, $3 WHERE "
	        "EXISTS (SELECT 1 FROM archive_entries a WHERE a.id_number = $5 AND a.id_type = "
	        "$4 AND " KW_ARCHIVE_BAN("a") " AND " KW_ARCHIVE_IN_TERM("a", "$6") ") AND NOT "
	        "EXISTS (SELECT 1 FROM verifications v WHERE v.registration_id = $1 AND v.kind = "
	        "'ban' AND v.status = 'open')");
	/* clang-format on */
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->t->reg);
		kw_stmt_bind_int64(s, 2, j->checker);
		kw_stmt_bind_textz(s, 3, now);
		kw_stmt_bind_textz(s, 4, j->t->id_type);
		kw_stmt_bind_textz(s, 5, number);
		kw_stmt_bind_textz(s, 6, day);
		rc = kw_audit_step(tx, "verification.ban_found", "verifications", s,
		                   json_pack("{s:I}", "ticket_correction_id", (json_int_t)j->id),
		                   err);
		if (rc == 1)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

static int decide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct decide_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(
	        tx->conn, "ticket_corrections", &s, err,
	        "UPDATE ticket_corrections SET status = $1, decided_by = $2, decision_reason = "
	        "$3, decided_at = $4, updated_at = $4 WHERE id = $5 AND status = 'pending'");
	if (!rc) {
		kw_stmt_bind_textz(s, 1, j->approve ? "approved" : "refused");
		kw_stmt_bind_int64(s, 2, j->checker);
		kw_stmt_bind_textz(s, 3, j->reason);
		kw_stmt_bind_textz(s, 4, now);
		kw_stmt_bind_int64(s, 5, j->id);
		rc = kw_audit_step(
		        tx, j->approve ? "ticket.correction_approve" : "ticket.correction_refuse",
		        "ticket_corrections", s, json_pack("{s:s?}", "reason", j->reason), err);
		if (rc == 1)
			rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
			                "already decided");
	}
	kw_stmt_finalize(s);
	if (!rc && j->approve)
		rc = correct_candidate(tx, j, now, err);
	if (!rc && j->approve)
		rc = correct_photo(tx, j, now, err);
	if (!rc && j->approve)
		rc = recheck_ban(tx, j, now, err);
	/* the ticket printed with the old data no longer holds; the next one is corrected */
	if (!rc && j->approve)
		rc = kw_tickets_revoke(tx, j->t->reg, "correction", err);
	return rc;
}

int kw_correction_decide(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, int approve,
                         const json_t *body, json_t **out, struct kw_err *err)
{
	const char *reason = json_string_value(json_object_get(body, "reason"));
	const char *p = text_problem(reason, 1000);
	size_t extra = json_object_size(body) - (json_object_get(body, "reason") ? 1 : 0);
	if (extra || (p && (!approve || json_object_get(body, "reason")))) {
		/* AH 19: a refusal gives its reasons */
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", "TKT-3", "the request has errors");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", extra ? "body" : "reason",
		                        "problem", extra ? "unknown" : p));
		return err->rc;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	json_t *row = NULL;
	int rc = reach_row(c, s, id, "ticket.correction.decide", &t, &row, err);
	if (!rc && strcmp(json_string_value(json_object_get(row, "status")), "pending") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL, "already decided");
	/* INF-4: whoever entered the request does not decide it */
	if (!rc && json_integer_value(json_object_get(row, "entered_by")) == s->user.id)
		rc = kw_err_set(err, KW_EFORBIDDEN, "SELF_APPROVAL", "INF-4",
		                "the correction must be decided by another person");
	int64_t ends = 0;
	if (!rc && approve &&
	    (kw_clock_china_day(t.exam_date, 1, &ends) || kw_clock_now_us() >= ends))
		rc = kw_err_set(err, KW_ECONFLICT, "CORRECTION_TOO_LATE", "TKT-3",
		                "the exam is over: the correction can only be refused");
	kw_pool_put(app->pool, c);
	struct decide_job j = {.id = id,
	                       .checker = s->user.id,
	                       .approve = approve,
	                       .reason = reason,
	                       .t = &t,
	                       .changes = json_object_get(row, "changes")};
	if (!rc)
		rc = kw_writer_run(app->writer, decide_job, &j, actor, err);
	json_decref(row);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = row_get(c, id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}
