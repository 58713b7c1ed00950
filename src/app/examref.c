/* An exam as the scoring modules refer to it (examref.h). */
#include "app/examref.h"

#include <stdio.h>
#include <string.h>

#include "app/authz.h"

int kw_exam_ref_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                     int64_t id, struct kw_exam_ref *e, struct kw_err *err)
{
	memset(e, 0, sizeof *e);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT id, unit_id, code, name, kind, status FROM exams WHERE id = $1", &st,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			e->id = kw_stmt_column_int64(st, 0);
			e->unit = kw_stmt_column_int64(st, 1);
			kw_stmt_column_copy(st, 2, e->code, sizeof e->code);
			kw_stmt_column_copy(st, 3, e->name, sizeof e->name);
			kw_stmt_column_copy(st, 4, e->kind, sizeof e->kind);
			kw_stmt_column_copy(st, 5, e->status, sizeof e->status);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc ? rc : kw_exam_ref_admit(c, s, action, e, err);
}

int kw_exam_ref_admit(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                      struct kw_exam_ref *e, struct kw_err *err)
{
	if (e->id && s && !s->candidate_id) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, action, e->unit, &e2))
			e->id = 0;
		kw_err_release(&e2);
	}
	return e->id ? 0 : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
}

int kw_exam_ref_public(struct kw_conn *c, int64_t id, struct kw_exam_ref *e, struct kw_err *err)
{
	int rc = kw_exam_ref_load(c, NULL, NULL, id, e, err);
	if (!rc && strcmp(e->status, "published") != 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	return rc;
}

int kw_exam_ref_subject(struct kw_conn *c, int64_t exam, const char *code,
                        struct kw_subject_ref *sub, struct kw_err *err)
{
	memset(sub, 0, sizeof *sub);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT id, code, name FROM subjects WHERE exam_id = $1 AND code = $2", &st,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_textz(st, 2, code);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			sub->id = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, sub->code, sizeof sub->code);
			kw_stmt_column_copy(st, 2, sub->name, sizeof sub->name);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !sub->id)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "the exam has no subject %s",
		                code);
	return rc;
}
