/* Scanner layouts and the answer import in every shape (app/answerin.h). */
#include "app/answerin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/examref.h"
#include "app/scoring.h"
#include "core/answerfmt.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define ACTION "score.answers.write"

static void sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static json_t *layout_row(struct kw_stmt *st)
{
	json_t *l = json_loads(kw_stmt_column_text(st, 4, NULL), 0, NULL);
	return json_pack("{s:I, s:I, s:s, s:I, s:o, s:s, s:s}", "id",
	                 (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
	                 (json_int_t)kw_stmt_column_int64(st, 1), "name",
	                 kw_stmt_column_text(st, 2, NULL), "version",
	                 (json_int_t)kw_stmt_column_int64(st, 3), "layout", l ? l : json_object(),
	                 "digest", kw_stmt_column_text(st, 5, NULL), "created_at",
	                 kw_stmt_column_text(st, 6, NULL));
}

#define LAYOUT_COLS "id, exam_id, name, version, layout, digest, created_at"

/* One layout of exam by id (*out NULL when the exam has none of that id). */
static int layout_get(struct kw_conn *c, int64_t exam, int64_t id, json_t **out, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*out = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT " LAYOUT_COLS " FROM answer_layouts WHERE id = $1 AND "
	                         "exam_id = $2",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		kw_stmt_bind_int64(st, 2, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*out = layout_row(st);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_answer_layouts(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	int rc = kw_exam_ref_load(c, s, ACTION, exam, &e, err);
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT " LAYOUT_COLS
		                     " FROM answer_layouts WHERE exam_id = $1 "
		                     "ORDER BY name, version DESC",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, layout_row(st));
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "exam_id", (json_int_t)exam, "items", items);
	return 0;
}

struct layout_job {
	int64_t exam, id;
	const char *name;
	char *text;
	char digest[65];
};

static int layout_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct layout_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *st = NULL;
	int64_t version = 0;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT MAX(version) FROM answer_layouts WHERE exam_id = $1 AND "
	                         "name = $2",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, j->exam);
		kw_stmt_bind_textz(st, 2, j->name);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW && !kw_stmt_column_is_null(st, 0))
			version = kw_stmt_column_int64(st, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "answer_layouts", "score.answers.layout",
		        json_pack("{s:s, s:I, s:s}", "name", j->name, "version",
		                  (json_int_t)(version + 1), "digest", j->digest),
		        &j->id,
		        "INSERT INTO answer_layouts (exam_id, name, version, layout, digest, "
		        "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		        "itittit", j->exam, j->name, version + 1, j->text, j->digest, tx->actor->id,
		        now);
	return rc;
}

int kw_answer_layout_add(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const json_t *body,
                         json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("name", 100, KW_JREQUIRED),
	        {"layout", KW_JOBJECT, KW_JREQUIRED, 0, 0},
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof *fields, err);
	struct kw_answer_layout l;
	const json_t *lj = json_object_get(body, "layout");
	if (!rc)
		rc = kw_answer_layout_parse(lj, &l, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	rc = kw_exam_ref_load(c, s, ACTION, exam, &e, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	struct layout_job j = {.exam = exam,
	                       .name = json_string_value(json_object_get(body, "name"))};
	j.text = json_dumps(lj, JSON_COMPACT | JSON_SORT_KEYS);
	sha256_hex(j.text, strlen(j.text), j.digest);
	struct kw_actor a = *actor;
	if (!a.id)
		a.id = s->user.id;
	rc = kw_writer_run(app->writer, layout_job, &j, &a, err);
	free(j.text);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = layout_get(c, exam, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

int kw_answer_layout_find(struct kw_app *app, int64_t exam, const char *name, int64_t *id,
                          struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	*id = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT id FROM answer_layouts WHERE exam_id = $1 AND name = $2 "
	                         "ORDER BY version DESC LIMIT 1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_textz(st, 2, name);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(st, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	return rc;
}

/* The converted file's CSV line k + 1 is the file's line k: problems named by the file's. */
static void lines_back(struct kw_err *err)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(err->details, "rows"), i, r)
	{
		json_t *line = json_object_get(r, "line");
		if (json_is_integer(line) && json_integer_value(line) > 1)
			json_integer_set(line, json_integer_value(line) - 1);
	}
}

int kw_answers_import_any(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, const char *witness,
                          const char *filename, const char *format, const char *layout,
                          const char *data, size_t n, json_t **out, struct kw_err *err)
{
	if (!format || !*format || strcmp(format, "csv") == 0)
		return kw_scoring_answers_import(app, actor, s, exam, witness, filename, data, n,
		                                 out, err);
	int fixed = strcmp(format, "fixed") == 0;
	if (!fixed && strcmp(format, "cbt") != 0)
		return kw_err_set(err, KW_EINVAL, "IMPORT_FORMAT", "GRD-5",
		                  "format is csv, fixed (with a layout) or cbt");
	json_t *lrow = NULL;
	struct kw_answer_layout l;
	int rc = 0;
	if (fixed) {
		char *end = NULL;
		long long id = layout ? strtoll(layout, &end, 10) : 0;
		if (!layout || !*layout || *end || id <= 0)
			return kw_err_set(err, KW_EINVAL, "LAYOUT_REQUIRED", "GRD-5",
			                  "a fixed-width file is read under one of the exam's "
			                  "layouts: layout=ID");
		struct kw_conn *c = kw_pool_get(app->pool);
		struct kw_exam_ref e;
		rc = kw_exam_ref_load(c, s, ACTION, exam, &e, err);
		if (!rc)
			rc = layout_get(c, exam, id, &lrow, err);
		kw_pool_put(app->pool, c);
		if (!rc && !lrow)
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "the exam has no layout %lld", id);
		if (!rc)
			rc = kw_answer_layout_parse(json_object_get(lrow, "layout"), &l, err);
	}
	struct kw_buf csv = KW_BUF_INIT;
	kw_buf_init(&csv, 0);
	if (!rc)
		rc = fixed ? kw_answerfmt_fixed(&l, data, n, &csv, err)
		           : kw_answerfmt_cbt(data, n, &csv, err);
	if (!rc) {
		rc = kw_scoring_answers_import(app, actor, s, exam, witness, filename, csv.buf,
		                               csv.len, out, err);
		if (rc)
			lines_back(err);
	}
	kw_buf_release(&csv);
	if (!rc) {
		char sha[65];
		sha256_hex(data, n, sha);
		json_object_set_new(*out, "format", json_string(format));
		json_object_set_new(*out, "source_sha256", json_string(sha));
		if (lrow)
			json_object_set_new(*out, "layout",
			                    json_pack("{s:O, s:O, s:O, s:O}", "id",
			                              json_object_get(lrow, "id"), "name",
			                              json_object_get(lrow, "name"), "version",
			                              json_object_get(lrow, "version"), "digest",
			                              json_object_get(lrow, "digest")));
	}
	json_decref(lrow);
	return rc;
}
