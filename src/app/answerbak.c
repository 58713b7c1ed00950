/* Answer-data backups (app/answerbak.h; SPEC GRD-4). */
#include "app/answerbak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/examref.h"
#include "core/answerbak.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define WRITE "score.answers.write"
#define READ  "score.read"

static json_t *text_or_null(struct kw_stmt *st, int i)
{
	return kw_stmt_column_is_null(st, i) ? json_null()
	                                     : json_string(kw_stmt_column_text(st, i, NULL));
}

/* An instant stored in UTC as RFC 3339 in China time ("2026-11-24T10:00:00+08:00"). */
static void china_time(int64_t us, char out[32])
{
	char d[11], utc[32];
	kw_clock_china_date(us, d);
	kw_clock_format(us + (int64_t)8 * 3600 * 1000000, utc);
	snprintf(out, 32, "%s%.9s+08:00", d, utc + 10);
}

/* ---- create ---- */

struct create_job {
	struct kw_exam_ref e;
	struct kw_subject_ref sub; /* id 0: every subject */
	const char *maker;
	int64_t maker_id;
	json_t *file; /* the answer */
	int64_t id;
};

/* The blocks of the job's scope into mb (the manifest's batches) and fb (the bodies). */
static int blocks_read(struct kw_tx *tx, struct create_job *j, json_t *mb, json_t *fb,
                       int64_t *sheets, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        tx->conn,
	        j->sub.id ? "SELECT b.id, b.import_id, s.code, b.sheets, b.first_registration, "
	                    "b.last_registration, b.body FROM answer_blocks b JOIN subjects s ON "
	                    "s.id = b.subject_id WHERE s.exam_id = $1 AND b.subject_id = $2 "
	                    "ORDER BY b.id"
	                  : "SELECT b.id, b.import_id, s.code, b.sheets, b.first_registration, "
	                    "b.last_registration, b.body FROM answer_blocks b JOIN subjects s ON "
	                    "s.id = b.subject_id WHERE s.exam_id = $1 ORDER BY b.id",
	        &st, err);
	if (rc)
		return rc;
	kw_stmt_bind_int64(st, 1, j->e.id);
	if (j->sub.id)
		kw_stmt_bind_int64(st, 2, j->sub.id);
	while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
		size_t n = 0;
		const char *body = kw_stmt_column_text(st, 6, &n);
		char sha[65];
		kw_answerbak_sha256(body, n, sha);
		int64_t block = kw_stmt_column_int64(st, 0);
		*sheets += kw_stmt_column_int64(st, 3);
		json_array_append_new(
		        mb, json_pack("{s:I, s:I, s:s, s:I, s:I, s:I, s:s}", "block_id",
		                      (json_int_t)block, "import_id",
		                      (json_int_t)kw_stmt_column_int64(st, 1), "subject",
		                      kw_stmt_column_text(st, 2, NULL), "sheets",
		                      (json_int_t)kw_stmt_column_int64(st, 3), "first_registration",
		                      (json_int_t)kw_stmt_column_int64(st, 4), "last_registration",
		                      (json_int_t)kw_stmt_column_int64(st, 5), "sha256", sha));
		json_array_append_new(fb, json_pack("{s:I, s:s%}", "block_id", (json_int_t)block,
		                                    "body", body, n));
	}
	kw_stmt_finalize(st);
	return kw_step_ok(rc);
}

/* Is import id among the manifest's batches? */
static int import_used(const json_t *mb, int64_t id)
{
	size_t i;
	const json_t *b;
	json_array_foreach(mb, i, b) if (json_integer_value(json_object_get(b, "import_id")) ==
	                                 id) return 1;
	return 0;
}

static int imports_read(struct kw_tx *tx, int64_t exam, const json_t *mb, json_t *im,
                        struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT i.id, i.file_sha256, i.sheets, u.username, w.username, "
	                         "i.created_at FROM answer_imports i JOIN users u ON u.id = "
	                         "i.imported_by JOIN users w ON w.id = i.witness_id WHERE "
	                         "i.exam_id = $1 ORDER BY i.id",
	                         &st, err);
	if (rc)
		return rc;
	kw_stmt_bind_int64(st, 1, exam);
	while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
		int64_t id = kw_stmt_column_int64(st, 0);
		if (!import_used(mb, id))
			continue;
		json_array_append_new(
		        im, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)id,
		                      "file_sha256", kw_stmt_column_text(st, 1, NULL), "sheets",
		                      (json_int_t)kw_stmt_column_int64(st, 2), "imported_by",
		                      kw_stmt_column_text(st, 3, NULL), "witness",
		                      kw_stmt_column_text(st, 4, NULL), "created_at",
		                      kw_stmt_column_text(st, 5, NULL)));
	}
	kw_stmt_finalize(st);
	return kw_step_ok(rc);
}

static int create_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct create_job *j = arg;
	json_t *mb = json_array(), *fb = json_array(), *im = json_array();
	int64_t sheets = 0;
	struct kw_stmt *st = NULL;
	char digest[65], now[32], cst[32];
	int rc = blocks_read(tx, j, mb, fb, &sheets, err);
	if (!rc && json_array_size(mb) == 0)
		rc = kw_err_set(err, KW_ECONFLICT, "ANSWER_BACKUP_EMPTY", "GRD-4",
		                "there are no imported answer sheets to back up");
	if (!rc)
		rc = imports_read(tx, j->e.id, mb, im, err);
	if (rc) {
		json_decref(mb);
		json_decref(fb);
		json_decref(im);
		return rc;
	}
	kw_clock_format(tx->now_us, now);
	china_time(tx->now_us, cst);
	size_t nb = json_array_size(mb), ni = json_array_size(im);
	json_t *m = json_pack(
	        "{s:{s:I, s:s, s:s}, s:o, s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I}}", "exam", "id",
	        (json_int_t)j->e.id, "code", j->e.code, "name", j->e.name, "subject",
	        j->sub.id ? json_string(j->sub.code) : json_null(), "created_at", cst, "made_by",
	        j->maker, "imports", im, "batches", json_incref(mb), "counts", "imports",
	        (json_int_t)ni, "batches", (json_int_t)nb, "sheets", (json_int_t)sheets);
	if (!m || kw_answerbak_manifest_digest(m, digest))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot write the manifest");
	if (!rc) {
		json_t *ids = json_array();
		size_t i;
		const json_t *b;
		json_array_foreach(im, i, b) json_array_append(ids, json_object_get(b, "id"));
		json_t *detail =
		        json_pack("{s:s, s:o, s:o, s:I, s:I, s:s}", "digest", digest, "subject",
		                  j->sub.id ? json_string(j->sub.code) : json_null(), "imports",
		                  ids, "batches", (json_int_t)nb, "sheets", (json_int_t)sheets,
		                  "made_by", j->maker);
		rc = kw_audit_put(
		        tx, err, "answer_backups", "score.answers.backup", detail, &j->id,
		        "INSERT INTO answer_backups (exam_id, subject_id, digest, imports, "
		        "batches, sheets, made_by, created_at) VALUES ($1, $2, $3, $4, $5, "
		        "$6, $7, $8)",
		        "intiiiit", j->e.id, j->sub.id, digest, (int64_t)ni, (int64_t)nb, sheets,
		        j->maker_id, now);
	}
	/* the batches it holds: one audit record for all of them (a Merkle root) */
	struct kw_batch_row *rows = kw_xcalloc(nb ? nb : 1, sizeof *rows);
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "answer_backup_batches", &st, err,
		                      "INSERT INTO answer_backup_batches (backup_id, block_id, "
		                      "import_id, sheets, sha256) VALUES ($1, $2, $3, $4, $5)");
	size_t i;
	const json_t *b;
	json_array_foreach(mb, i, b)
	{
		if (rc)
			break;
		kw_stmt_reset(st);
		kw_stmt_bind_int64(st, 1, j->id);
		kw_stmt_bind_int64(st, 2, json_integer_value(json_object_get(b, "block_id")));
		kw_stmt_bind_int64(st, 3, json_integer_value(json_object_get(b, "import_id")));
		kw_stmt_bind_int64(st, 4, json_integer_value(json_object_get(b, "sheets")));
		kw_stmt_bind_textz(st, 5, json_string_value(json_object_get(b, "sha256")));
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			rc = kw_audit_digest_row("answer_backup_batches", st, &rows[i].id,
			                         rows[i].digest);
		else if (rc == KW_DONE)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "a batch was not written");
	}
	kw_stmt_finalize(st);
	if (!rc) {
		json_t *d = json_pack("{s:I}", "backup_id", (json_int_t)j->id);
		rc = kw_audit_append_batch(tx, "score.answers.backup.batches",
		                           "answer_backup_batches", rows, nb, d, err);
		json_decref(d);
	}
	free(rows);
	json_decref(mb);
	if (rc) {
		json_decref(m);
		json_decref(fb);
		return rc;
	}
	j->file = json_pack("{s:s, s:I, s:o, s:s, s:o}", "format", KW_ANSWERBAK_FORMAT, "backup_id",
	                    (json_int_t)j->id, "manifest", m, "digest", digest, "batches", fb);
	return 0;
}

static void staff_actor(struct kw_actor *a, const struct kw_actor *actor,
                        const struct kw_session_info *s)
{
	*a = *actor;
	if (!a->id && strcmp(a->kind, "user") == 0)
		a->id = s->user.id;
}

int kw_answerbak_create(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t exam, const char *subject,
                        json_t **out, struct kw_err *err)
{
	struct create_job j = {.maker = s->user.username, .maker_id = s->user.id};
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_exam_ref_load(c, s, WRITE, exam, &j.e, err);
	if (!rc && subject && *subject)
		rc = kw_exam_ref_subject(c, exam, subject, &j.sub, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	struct kw_actor a;
	staff_actor(&a, actor, s);
	rc = kw_writer_run(app->writer, create_job, &j, &a, err);
	if (rc) {
		json_decref(j.file);
		return rc;
	}
	*out = j.file;
	return 0;
}

/* ---- records ---- */

#define BACKUP_COLS                                                                                \
	"k.id, k.exam_id, s.code, k.digest, k.imports, k.batches, k.sheets, u.username, "          \
	"k.created_at, v.username, k.location, k.kept_at, k.made_by, k.kept_by"
#define BACKUP_FROM                                                                                \
	" FROM answer_backups k LEFT JOIN subjects s ON s.id = k.subject_id JOIN users u ON "      \
	"u.id = k.made_by LEFT JOIN users v ON v.id = k.kept_by"

static json_t *backup_row(struct kw_stmt *st)
{
	int kept = !kw_stmt_column_is_null(st, 9);
	return json_pack("{s:I, s:I, s:o, s:s, s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, "
	                 "s:[]}",
	                 "id", (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
	                 (json_int_t)kw_stmt_column_int64(st, 1), "subject", text_or_null(st, 2),
	                 "digest", kw_stmt_column_text(st, 3, NULL), "imports",
	                 (json_int_t)kw_stmt_column_int64(st, 4), "batches",
	                 (json_int_t)kw_stmt_column_int64(st, 5), "sheets",
	                 (json_int_t)kw_stmt_column_int64(st, 6), "made_by",
	                 kw_stmt_column_text(st, 7, NULL), "created_at",
	                 kw_stmt_column_text(st, 8, NULL), "kept_by", text_or_null(st, 9),
	                 "location", text_or_null(st, 10), "kept_at", text_or_null(st, 11),
	                 "status", kept ? "kept" : "awaiting_keeper", "import_ids");
}

/* The import ids of each backup in items (by id) from answer_backup_batches. */
static int import_ids_fill(struct kw_conn *c, int64_t exam, int64_t only, json_t *items,
                           struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT DISTINCT x.backup_id, x.import_id FROM "
	                         "answer_backup_batches x JOIN answer_backups k ON k.id = "
	                         "x.backup_id WHERE k.exam_id = $1 AND (k.id = $2 OR $3 = 0) "
	                         "ORDER BY x.backup_id, x.import_id",
	                         &st, err);
	if (rc)
		return rc;
	kw_stmt_bind_int64(st, 1, exam);
	kw_stmt_bind_int64(st, 2, only);
	kw_stmt_bind_int64(st, 3, only);
	while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
		size_t i;
		json_t *b;
		json_array_foreach(items, i, b) if (json_integer_value(json_object_get(b, "id")) ==
		                                    kw_stmt_column_int64(st, 0))
		        json_array_append_new(json_object_get(b, "import_ids"),
		                              json_integer(kw_stmt_column_int64(st, 1)));
	}
	kw_stmt_finalize(st);
	return kw_step_ok(rc);
}

/* Backup id's record and its exam (NOT_FOUND when absent). */
static int backup_get(struct kw_conn *c, int64_t id, json_t **out, int64_t ids[2],
                      struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*out = NULL;
	int rc = kw_conn_prepare(c, "SELECT " BACKUP_COLS BACKUP_FROM " WHERE k.id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*out = backup_row(st);
			if (ids) {
				ids[0] = kw_stmt_column_int64(st, 12);
				ids[1] = kw_stmt_column_int64(st, 13);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !*out)
		rc = kw_err_not_found(err, "answer backup");
	if (!rc) {
		json_t *one = json_pack("[O]", *out);
		rc = import_ids_fill(c, json_integer_value(json_object_get(*out, "exam_id")), id,
		                     one, err);
		json_decref(one);
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- keep ---- */

struct keep_job {
	int64_t id, keeper;
	const char *location, *keeper_name;
};

static int keep_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct keep_job *j = arg;
	struct kw_stmt *st = NULL;
	int64_t maker = 0, kept = 0, op = 0;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT made_by, kept_by, (SELECT MIN(i.id) FROM "
	                         "answer_backup_batches x JOIN answer_imports i ON i.id = "
	                         "x.import_id WHERE x.backup_id = k.id AND i.imported_by = $2) "
	                         "FROM answer_backups k WHERE k.id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, j->id);
		kw_stmt_bind_int64(st, 2, j->keeper);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			maker = kw_stmt_column_int64(st, 0);
			kept = kw_stmt_column_int64(st, 1);
			op = kw_stmt_column_int64(st, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc && !maker)
		rc = kw_err_not_found(err, "answer backup");
	else if (!rc && kept)
		rc = kw_err_set(err, KW_ECONFLICT, "ANSWER_BACKUP_ALREADY_KEPT", "GRD-4",
		                "this backup is already in someone's custody");
	else if (!rc && maker == j->keeper)
		rc = kw_err_set(err, KW_ERULE, "ANSWER_BACKUP_KEEPER_IS_MAKER", "GRD-4",
		                "a backup is kept by another person than the one who made it");
	else if (!rc && op) {
		rc = kw_err_set(err, KW_ERULE, "ANSWER_BACKUP_KEEPER_IS_OPERATOR", "GRD-4",
		                "a backup is kept by another person than the operator of the "
		                "imports it holds");
		kw_err_detail(err, "import_id", json_integer(op));
	}
	if (rc)
		return rc;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t done = 0;
	json_t *d = json_pack("{s:s, s:s}", "keeper", j->keeper_name, "location", j->location);
	rc = kw_audit_put(tx, err, "answer_backups", "score.answers.backup.keep", d, &done,
	                  "UPDATE answer_backups SET kept_by = $1, location = $2, kept_at = $3 "
	                  "WHERE id = $4 AND kept_by IS NULL",
	                  "itti", j->keeper, j->location, now, j->id);
	if (!rc && !done) /* read above in this transaction: cannot happen */
		rc = kw_err_not_found(err, "answer backup");
	return rc;
}

int kw_answerbak_keep(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                      struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("location", KW_ANSWERBAK_LOCATION_MAX, KW_JREQUIRED),
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof *fields, err);
	if (rc)
		return rc;
	const char *loc = json_string_value(json_object_get(body, "location"));
	size_t k = strspn(loc, " \t\r\n");
	if (!loc[k])
		return kw_err_invalid(err, "location", "blank");
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *rec = NULL;
	struct kw_exam_ref e;
	rc = backup_get(c, id, &rec, NULL, err);
	if (!rc)
		rc = kw_exam_ref_load(c, s, WRITE,
		                      json_integer_value(json_object_get(rec, "exam_id")), &e, err);
	kw_pool_put(app->pool, c);
	json_decref(rec);
	rec = NULL;
	if (rc)
		return rc;
	struct keep_job j = {
	        .id = id, .keeper = s->user.id, .location = loc, .keeper_name = s->user.username};
	struct kw_actor a;
	staff_actor(&a, actor, s);
	rc = kw_writer_run(app->writer, keep_job, &j, &a, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = backup_get(c, id, out, NULL, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

/* ---- list and overdue days ---- */

/* The imports of exam not wholly held by a backup in custody, by China-time day. */
static int overdue_days(struct kw_conn *c, int64_t exam, int64_t now_us, json_t **overdue,
                        json_t **today, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	char td[11];
	kw_clock_china_date(now_us, td);
	*overdue = json_array();
	*today = json_null();
	int rc = kw_conn_prepare(
	        c,
	        "SELECT i.id, i.created_at, i.sheets FROM answer_imports i WHERE i.exam_id = $1 "
	        "AND EXISTS (SELECT 1 FROM answer_blocks b WHERE b.import_id = i.id AND NOT "
	        "EXISTS (SELECT 1 FROM answer_backup_batches x JOIN answer_backups k ON k.id = "
	        "x.backup_id WHERE x.block_id = b.id AND k.kept_by IS NOT NULL)) ORDER BY i.id",
	        &st, err);
	if (rc)
		return rc;
	kw_stmt_bind_int64(st, 1, exam);
	while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
		int64_t us = 0;
		char d[11];
		if (kw_clock_parse(kw_stmt_column_text(st, 1, NULL), &us))
			continue;
		kw_clock_china_date(us, d);
		int is_today = strcmp(d, td) >= 0;
		json_t *day = NULL;
		if (is_today) {
			if (json_is_null(*today))
				*today = json_pack("{s:s, s:[], s:I}", "date", td, "imports",
				                   "sheets", (json_int_t)0);
			day = *today;
		} else {
			size_t n = json_array_size(*overdue);
			day = n ? json_array_get(*overdue, n - 1) : NULL;
			if (!day ||
			    strcmp(json_string_value(json_object_get(day, "date")), d) != 0) {
				day = json_pack("{s:s, s:[], s:I}", "date", d, "imports", "sheets",
				                (json_int_t)0);
				json_array_append_new(*overdue, day);
			}
		}
		json_array_append_new(json_object_get(day, "imports"),
		                      json_integer(kw_stmt_column_int64(st, 0)));
		json_object_set_new(
		        day, "sheets",
		        json_integer(json_integer_value(json_object_get(day, "sheets")) +
		                     kw_stmt_column_int64(st, 2)));
	}
	kw_stmt_finalize(st);
	return kw_step_ok(rc);
}

int kw_answerbak_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct kw_stmt *st = NULL;
	json_t *items = json_array(), *overdue = NULL, *today = NULL;
	int rc = kw_exam_ref_load(c, s, READ, exam, &e, err);
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT " BACKUP_COLS BACKUP_FROM
		                     " WHERE k.exam_id = $1 ORDER BY k.id DESC",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, backup_row(st));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc)
		rc = import_ids_fill(c, exam, 0, items, err);
	if (!rc)
		rc = overdue_days(c, exam, kw_clock_now_us(), &overdue, &today, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		json_decref(overdue);
		json_decref(today);
		return rc;
	}
	*out = json_pack("{s:I, s:o, s:o, s:o}", "exam_id", (json_int_t)exam, "items", items,
	                 "overdue", overdue, "due_today", today);
	return 0;
}

/* ---- verify ---- */

/* A sheet of a body: its registration, ticket number and line digest. */
struct sheet {
	int64_t reg;
	char ticket[40], sha[65];
};

static int sheet_cmp(const void *a, const void *b)
{
	const struct sheet *x = a, *y = b;
	return x->reg < y->reg ? -1 : x->reg > y->reg;
}

/* The sheets of a body (well-formed lines only), sorted by registration; *n of them. */
static struct sheet *sheets_of(const char *body, size_t len, size_t *n)
{
	size_t cap = 16;
	struct sheet *v = malloc(cap * sizeof *v);
	*n = 0;
	const char *p = body, *end = body + len;
	while (v && p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(end - p);
		int64_t reg = 0;
		if (!kw_answerbak_line(p, l, &reg)) {
			if (*n == cap) {
				struct sheet *nv = realloc(v, (cap *= 2) * sizeof *v);
				if (!nv)
					break;
				v = nv;
			}
			struct sheet *s = &v[(*n)++];
			s->reg = reg;
			const char *t1 = memchr(p, '\t', l);
			const char *t2 = memchr(t1 + 1, '\t', (size_t)(p + l - t1 - 1));
			snprintf(s->ticket, sizeof s->ticket, "%.*s", (int)(t2 - t1 - 1), t1 + 1);
			kw_answerbak_sha256(p, l, s->sha);
		}
		p = e ? e + 1 : end;
	}
	if (v)
		qsort(v, *n, sizeof *v, sheet_cmp);
	return v;
}

struct verify_state {
	json_t *diffs;
	int64_t ndiffs, compared;
};

static void diff(struct verify_state *vs, const char *what, int64_t block, const struct sheet *b,
                 const struct sheet *l)
{
	vs->ndiffs++;
	if (json_array_size(vs->diffs) >= KW_ANSWERBAK_MAX_DIFFS)
		return;
	json_t *d = json_pack("{s:s, s:I}", "problem", what, "block_id", (json_int_t)block);
	const struct sheet *any = b ? b : l;
	if (any) {
		json_object_set_new(d, "registration_id", json_integer(any->reg));
		json_object_set_new(d, "ticket_no", json_string(any->ticket));
	}
	if (b)
		json_object_set_new(d, "backup_sha256", json_string(b->sha));
	if (l)
		json_object_set_new(d, "live_sha256", json_string(l->sha));
	json_array_append_new(vs->diffs, d);
}

/* The sheets of the file's body against the live body of the same block. */
static void sheets_compare(struct verify_state *vs, int64_t block, const char *fbody, size_t fn,
                           const char *lbody, size_t ln)
{
	size_t nb = 0, nl = 0, i = 0, k = 0;
	struct sheet *b = sheets_of(fbody, fn, &nb), *l = sheets_of(lbody, ln, &nl);
	while (b && l && (i < nb || k < nl)) {
		if (k == nl || (i < nb && b[i].reg < l[k].reg)) {
			diff(vs, "sheet_missing_live", block, &b[i++], NULL);
		} else if (i == nb || l[k].reg < b[i].reg) {
			diff(vs, "sheet_missing_backup", block, NULL, &l[k++]);
		} else {
			vs->compared++;
			if (strcmp(b[i].sha, l[k].sha) != 0)
				diff(vs, "sheet_differs", block, &b[i], &l[k]);
			i++;
			k++;
		}
	}
	free(b);
	free(l);
}

/* The file's batches against the live answer blocks of exam. */
static int live_compare(struct kw_conn *c, int64_t exam, const json_t *doc, struct verify_state *vs,
                        int64_t *newer, struct kw_err *err)
{
	const json_t *m = json_object_get(doc, "manifest"), *mb = json_object_get(m, "batches"),
	             *fb = json_object_get(doc, "batches");
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT b.import_id, s.code, b.body FROM answer_blocks b JOIN "
	                         "subjects s ON s.id = b.subject_id WHERE b.id = $1 AND "
	                         "s.exam_id = $2",
	                         &st, err);
	size_t i, j;
	const json_t *b, *f;
	json_array_foreach(mb, i, b)
	{
		if (rc)
			break;
		int64_t block = json_integer_value(json_object_get(b, "block_id"));
		const json_t *body = NULL;
		json_array_foreach(
		        fb, j, f) if (json_integer_value(json_object_get(f, "block_id")) == block)
		        body = json_object_get(f, "body");
		kw_stmt_reset(st);
		kw_stmt_bind_int64(st, 1, block);
		kw_stmt_bind_int64(st, 2, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_DONE) {
			diff(vs, "block_missing_live", block, NULL, NULL);
			rc = 0;
			continue;
		}
		if (rc != KW_ROW)
			break;
		rc = 0;
		if (kw_stmt_column_int64(st, 0) !=
		            json_integer_value(json_object_get(b, "import_id")) ||
		    strcmp(kw_stmt_column_text(st, 1, NULL),
		           json_string_value(json_object_get(b, "subject"))) != 0)
			diff(vs, "block_other_import", block, NULL, NULL);
		size_t ln = 0;
		const char *live = kw_stmt_column_text(st, 2, &ln);
		sheets_compare(vs, block, json_is_string(body) ? json_string_value(body) : "",
		               json_is_string(body) ? json_string_length(body) : 0, live, ln);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (rc)
		return rc;
	/* sheets of the scope imported since (not an error: the next backup holds them) */
	const char *subj = json_string_value(json_object_get(m, "subject"));
	int64_t last = 0;
	json_array_foreach(mb, i, b)
	{
		int64_t id = json_integer_value(json_object_get(b, "block_id"));
		last = id > last ? id : last;
	}
	rc = kw_conn_prepare(c,
	                     "SELECT COALESCE(SUM(b.sheets), 0) FROM answer_blocks b JOIN "
	                     "subjects s ON s.id = b.subject_id WHERE s.exam_id = $1 AND b.id > "
	                     "$2 AND (s.code = $3 OR $4 = '')",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_int64(st, 2, last);
		kw_stmt_bind_textz(st, 3, subj ? subj : "");
		kw_stmt_bind_textz(st, 4, subj ? subj : "");
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*newer = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_answerbak_verify(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const char *data, size_t n, json_t **out, struct kw_err *err)
{
	json_t *doc = NULL, *problems = json_array();
	if (kw_answerbak_check(data, n, &doc, problems)) {
		json_decref(doc);
		kw_err_set(err, KW_ERULE, "ANSWER_BACKUP_FILE_INVALID", "GRD-4",
		           "the file is not a kaowu answer backup");
		kw_err_detail(err, "problems", problems);
		return err->rc;
	}
	const json_t *m = json_object_get(doc, "manifest");
	int64_t fexam = json_integer_value(json_object_get(json_object_get(m, "exam"), "id"));
	int64_t id = json_integer_value(json_object_get(doc, "backup_id"));
	const char *digest = json_string_value(json_object_get(doc, "digest"));
	int rc = 0;
	if (exam && fexam != exam) {
		json_decref(doc);
		json_decref(problems);
		return kw_err_set(err, KW_ERULE, "ANSWER_BACKUP_OTHER_EXAM", "GRD-4",
		                  "the file is a backup of another exam (%lld)", (long long)fexam);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct verify_state vs = {.diffs = json_array()};
	json_t *rec = NULL;
	int64_t newer = 0;
	rc = kw_exam_ref_load(c, s, READ, fexam, &e, err);
	if (!rc) {
		struct kw_err e2 = KW_ERR_INIT;
		int64_t ids[2];
		char now_digest[65];
		if (id <= 0 || backup_get(c, id, &rec, ids, &e2) ||
		    json_integer_value(json_object_get(rec, "exam_id")) != fexam) {
			json_array_append_new(
			        problems, json_pack("{s:s, s:s}", "problem", "not_recorded", "note",
			                            "no backup of this exam is recorded under the "
			                            "file's backup_id"));
			json_decref(rec);
			rec = NULL;
		} else if (strcmp(json_string_value(json_object_get(rec, "digest")), digest) != 0 ||
		           kw_answerbak_manifest_digest(m, now_digest) ||
		           strcmp(json_string_value(json_object_get(rec, "digest")), now_digest) !=
		                   0) {
			json_array_append_new(
			        problems,
			        json_pack("{s:s, s:s}", "problem", "record_digest", "note",
			                  "the file's digest is not the one recorded for "
			                  "its backup: the file was changed"));
		}
		kw_err_release(&e2);
		rc = live_compare(c, fexam, doc, &vs, &newer, err);
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(doc);
		json_decref(problems);
		json_decref(vs.diffs);
		json_decref(rec);
		return rc;
	}
	size_t np = json_array_size(problems);
	*out = json_pack("{s:s, s:I, s:I, s:s, s:b, s:b, s:O, s:I, s:I, s:o, s:I, s:o, s:I}",
	                 "status", np || vs.ndiffs ? "problems" : "ok", "backup_id", (json_int_t)id,
	                 "exam_id", (json_int_t)fexam, "digest", digest, "recorded", rec != NULL,
	                 "kept", rec && json_is_string(json_object_get(rec, "kept_by")), "sheets",
	                 json_object_get(json_object_get(m, "counts"), "sheets"), "sheets_compared",
	                 (json_int_t)vs.compared, "newer_sheets", (json_int_t)newer, "problems",
	                 problems, "problem_count", (json_int_t)np, "differences", vs.diffs,
	                 "difference_count", (json_int_t)vs.ndiffs);
	json_decref(rec);
	json_decref(doc);
	return 0;
}
