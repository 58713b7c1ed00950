/* National templates and provincial exams (EXAM-2); see template.h. */
#include "app/template.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "util/buf.h"
#include "util/clock.h"

/* What the template fixes (PQ 16(1): subjects, conditions, exam dates, rules). */
static const char *const exam_inherited[] = {
        "kind",       "ruleset",       "exam_date",      "ref_date", "syllabus_published_on",
        "levels",     "rolling_years", "age_min",        "age_max",  "education_min",
        "degree_min", "majors",        "work_years_min", NULL};
static const char *const subject_inherited[] = {"name",       "level",       "duration_minutes",
                                                "mode",       "audio_video", "starts_at",
                                                "exemptible", NULL};

static int is_table(const struct kw_kind *k, const char *t)
{
	return strcmp(k->table, t) == 0;
}

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

/* Drops the "required" problems of fields the template fills. */
static void drop_required(json_t *fields, const char *const *names)
{
	for (size_t i = json_array_size(fields); i-- > 0;) {
		json_t *p = json_array_get(fields, i);
		const char *f = json_string_value(json_object_get(p, "field"));
		const char *what = json_string_value(json_object_get(p, "problem"));
		for (int n = 0; f && what && names[n]; n++)
			if (strcmp(f, names[n]) == 0 && strcmp(what, "required") == 0) {
				json_array_remove(fields, i);
				break;
			}
	}
}

/* Each name: taken from tmpl; refused when the caller set it otherwise (given on create, or
 * changed from old on update). */
static void inherit(const char *const *names, const json_t *tmpl, const json_t *old, json_t *rec,
                    json_t *fields)
{
	for (int n = 0; names[n]; n++) {
		json_t *want = json_object_get(tmpl, names[n]);
		json_t *got = json_object_get(rec, names[n]);
		int set = old ? !json_equal(got, json_object_get(old, names[n]))
		              : got && !json_is_null(got);
		if (set && !json_equal(got, want))
			problem(fields, names[n], "fixed_by_template");
		json_object_set(rec, names[n], want ? want : json_null());
	}
}

static const char *status_of(const json_t *rec)
{
	return json_string_value(json_object_get(rec, "status"));
}

int kw_template_prepare(struct kw_conn *c, const struct kw_kind *k, const json_t *old, json_t *rec,
                        json_t *fields, struct kw_err *err)
{
	if (is_table(k, "exams")) {
		const char *st = status_of(rec);
		int64_t tid = json_integer_value(json_object_get(rec, "template_id"));
		if (old && status_of(old) && strcmp(status_of(old), "template") == 0 &&
		    (!st || (strcmp(st, "template") != 0 && strcmp(st, "cancelled") != 0)))
			problem(fields, "status", "template_stays_template");
		if (!tid)
			return 0;
		if (st && strcmp(st, "template") == 0) {
			problem(fields, "template_id", "template_nested");
			return 0;
		}
		json_t *tmpl = NULL;
		struct kw_err e = KW_ERR_INIT;
		int rc = kw_rec_read(c, k, tid, &tmpl, &e);
		if (rc == KW_ENOTFOUND) { /* check_refs says: orphan */
			kw_err_release(&e);
			return 0;
		}
		if (rc) {
			*err = e;
			return rc;
		}
		if (!status_of(tmpl) || strcmp(status_of(tmpl), "template") != 0) {
			problem(fields, "template_id", "not_a_template");
		} else {
			drop_required(fields, exam_inherited);
			inherit(exam_inherited, tmpl, old, rec, fields);
		}
		json_decref(tmpl);
		return 0;
	}
	if (is_table(k, "subjects")) {
		int64_t eid = json_integer_value(json_object_get(rec, "exam_id"));
		if (!eid)
			return 0;
		const struct kw_kind *ek = kw_kind_by_table("exams");
		json_t *exam = NULL, *tmpl = NULL;
		struct kw_err e = KW_ERR_INIT;
		int rc = kw_rec_read(c, ek, eid, &exam, &e);
		int64_t tid = rc ? 0 : json_integer_value(json_object_get(exam, "template_id"));
		json_decref(exam);
		kw_err_release(&e);
		if (!tid)
			return 0;
		/* A provincial exam's subjects are the template's: copied, never added here. */
		if (!old) {
			problem(fields, "exam_id", "subjects_from_template");
			return 0;
		}
		/* The template's subject of the same code holds the national values. */
		struct kw_stmt *s = NULL;
		int64_t sid = 0;
		rc = kw_conn_prepare(c, "SELECT id FROM subjects WHERE exam_id = $1 AND code = $2",
		                     &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, tid);
			kw_stmt_bind_textz(s, 2, json_string_value(json_object_get(rec, "code")));
			rc = kw_stmt_step(s, err);
			if (rc == KW_ROW)
				sid = kw_stmt_column_int64(s, 0);
			rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
		}
		kw_stmt_finalize(s);
		if (rc || !sid)
			return rc;
		rc = kw_rec_read(c, k, sid, &tmpl, err);
		if (!rc)
			inherit(subject_inherited, tmpl, old, rec, fields);
		json_decref(tmpl);
		return rc;
	}
	return 0;
}

/* Runs sql (binding $1 = a, $2 = now, $3 = b) and audits every row it returns. */
static int write_rows(struct kw_tx *tx, const char *table, const char *sql, int64_t a, int64_t b,
                      const char *action, const json_t *detail, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(tx->conn, table, &s, err, "%s", sql);
	if (rc)
		return rc;
	kw_stmt_bind_int64(s, 1, a);
	kw_stmt_bind_textz(s, 2, now);
	kw_stmt_bind_int64(s, 3, b);
	while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
		rc = kw_audit_append_row(tx, action, table, s, detail, err);
		if (rc)
			break;
	}
	kw_stmt_finalize(s);
	return rc == KW_DONE ? 0 : rc;
}

/* Does changes touch one of names? */
static int touches(const json_t *changes, const char *const *names)
{
	for (int n = 0; names[n]; n++)
		if (json_object_get(changes, names[n]))
			return 1;
	return 0;
}

static const char subject_cols[] = "name, level, duration_minutes, mode, audio_video, starts_at, "
                                   "exemptible";

int kw_template_after(struct kw_tx *tx, const struct kw_kind *k, int64_t id, const json_t *rec,
                      const json_t *changes, struct kw_err *err)
{
	char sql[2048];
	if (is_table(k, "exams")) {
		int64_t tid = json_integer_value(json_object_get(rec, "template_id"));
		const char *st = status_of(rec);
		if (!changes && tid) {
			/* A new provincial exam: the template's subjects, fees to be set. */
			snprintf(sql, sizeof sql,
			         "INSERT INTO subjects (exam_id, code, %s, fee_cents, created_at, "
			         "updated_at) SELECT CAST($1 AS BIGINT), code, %s, 0, $2, $2 FROM "
			         "subjects WHERE exam_id = $3 ORDER BY id",
			         subject_cols, subject_cols);
			json_t *d = json_pack("{s:I}", "template_id", (json_int_t)tid);
			int rc = write_rows(tx, "subjects", sql, id, tid, "subject.from_template",
			                    d, err);
			json_decref(d);
			return rc;
		}
		if (changes && st && strcmp(st, "template") == 0 &&
		    touches(changes, exam_inherited)) {
			/* The template changed: every exam made from it follows. */
			struct kw_buf q = KW_BUF_INIT;
			kw_buf_init(&q, 0);
			kw_buf_adds(&q, "UPDATE exams SET ");
			for (int n = 0; exam_inherited[n]; n++)
				kw_buf_addf(&q, "%s = (SELECT t.%s FROM exams t WHERE t.id = $1), ",
				            exam_inherited[n], exam_inherited[n]);
			kw_buf_adds(&q, "updated_at = $2 WHERE template_id = $1 AND id <> $3");
			json_t *d = json_pack("{s:I, s:O}", "template_id", (json_int_t)id,
			                      "changes", changes);
			int rc =
			        write_rows(tx, "exams", q.buf, id, 0, "exam.from_template", d, err);
			json_decref(d);
			kw_buf_release(&q);
			return rc;
		}
		return 0;
	}
	if (is_table(k, "subjects")) {
		if (changes && !touches(changes, subject_inherited))
			return 0;
		/* Only a template's subjects reach other exams. */
		int64_t eid = json_integer_value(json_object_get(rec, "exam_id"));
		json_t *d = json_pack("{s:I}", "template_subject_id", (json_int_t)id);
		int rc;
		if (!changes) {
			snprintf(sql, sizeof sql,
			         "INSERT INTO subjects (exam_id, code, %s, fee_cents, created_at, "
			         "updated_at) SELECT e.id, s.code, s.name, s.level, "
			         "s.duration_minutes, "
			         "s.mode, s.audio_video, s.starts_at, s.exemptible, 0, $2, $2 FROM "
			         "exams e "
			         "JOIN subjects s ON s.id = $1 WHERE e.template_id = $3 AND EXISTS "
			         "(SELECT "
			         "1 FROM exams t WHERE t.id = $3 AND t.status = 'template')",
			         subject_cols);
			rc = write_rows(tx, "subjects", sql, id, eid, "subject.from_template", d,
			                err);
		} else {
			struct kw_buf q = KW_BUF_INIT;
			kw_buf_init(&q, 0);
			kw_buf_adds(&q, "UPDATE subjects SET ");
			for (int n = 0; subject_inherited[n]; n++)
				kw_buf_addf(&q,
				            "%s = (SELECT t.%s FROM subjects t WHERE t.id = $1), ",
				            subject_inherited[n], subject_inherited[n]);
			kw_buf_adds(&q, "updated_at = $2 WHERE code = (SELECT t.code FROM subjects "
			                "t WHERE t.id "
			                "= $1) AND exam_id IN (SELECT e.id FROM exams e JOIN exams "
			                "t ON t.id = "
			                "e.template_id WHERE e.template_id = $3 AND t.status = "
			                "'template')");
			rc = write_rows(tx, "subjects", q.buf, id, eid, "subject.from_template", d,
			                err);
			kw_buf_release(&q);
		}
		json_decref(d);
		return rc;
	}
	return 0;
}
