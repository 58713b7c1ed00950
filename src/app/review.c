/* Score review (app/review.h). */
#include "app/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/publish.h"
#include "app/scoring.h"
#include "core/calendar.h"
#include "core/score.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define REQUEST_DAYS 30 /* PQ 37: the candidate applies within 30 days of publication */
#define FORWARD_DAYS 40 /* the province forwards within 40 days of publication */
#define RETURN_DAYS  15 /* the national centre answers within 15 days */
#define REVIEW_KIND  "score_review.correct"

/* The CST day plus n days, moved to the next working day where the calendar covers the
 * result's year (DL-1); plain days where it does not (the period is still n days). */
static void due_day(int32_t day, int n, char out[11])
{
	int32_t last = day + n;
	struct kw_err e2 = KW_ERR_INIT;
	if (kw_cal_add_days(kw_calendar_default(), day, n, &last, &e2))
		last = day + n;
	kw_err_release(&e2);
	kw_cal_date_format(last, out);
}

/* The CST day of an instant in microseconds (kw_cal_cst_day counts seconds). */
static int32_t cst_day(int64_t us)
{
	int32_t d = 0;
	kw_cal_cst_day(us / 1000000, &d, NULL);
	return d;
}

/* The exam's unit, and that s may do action there (out of reach reads as absent). */
static int exam_unit(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                     int64_t exam, int64_t *unit, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*unit = 0;
	int rc = kw_conn_prepare(c, "SELECT unit_id FROM exams WHERE id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*unit = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && *unit && s && !s->candidate_id) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, action, *unit, &e2))
			*unit = 0;
		kw_err_release(&e2);
	}
	if (!rc && !*unit)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	return rc;
}

#define REVIEW_COLS                                                                                \
	"r.id, r.exam_id, r.publication_id, r.registration_id, r.candidate_id, r.subject, "        \
	"r.ticket_no, r.published_score, r.reason, r.status, r.request_by, r.forward_by, "         \
	"r.refusal, r.forwarded_at, r.forwarded_late, r.outcome, r.rechecked_score, r.cause, "     \
	"r.outcome_reason, r.anomaly, r.rechecked_at, r.return_by, r.approval_id, r.answered_at, " \
	"r.created_at, r.updated_at, e.unit_id"

static json_t *col(struct kw_stmt *st, int i)
{
	return kw_stmt_column_is_null(st, i) ? json_null()
	                                     : json_string(kw_stmt_column_text(st, i, NULL));
}

/* A review as the API shows it; staff = 0 leaves out what only staff see (the anomaly). */
static json_t *review_json(struct kw_stmt *st, int staff)
{
	json_t *j = json_pack(
	        "{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, "
	        "s:o, s:o, s:o, s:o, s:o, s:o}",
	        "id", (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
	        (json_int_t)kw_stmt_column_int64(st, 1), "publication_id",
	        (json_int_t)kw_stmt_column_int64(st, 2), "registration_id",
	        (json_int_t)kw_stmt_column_int64(st, 3), "subject", col(st, 5), "ticket_no",
	        col(st, 6), "published_score", col(st, 7), "reason", col(st, 8), "status",
	        col(st, 9), "request_by", col(st, 10), "forward_by", col(st, 11), "refusal",
	        col(st, 12), "forwarded_at", col(st, 13), "forwarded_late",
	        kw_stmt_column_int64(st, 14) != 0, "outcome", col(st, 15), "rechecked_score",
	        col(st, 16), "cause", col(st, 17), "outcome_reason", col(st, 18), "rechecked_at",
	        col(st, 20), "return_by", col(st, 21), "answered_at", col(st, 23), "created_at",
	        col(st, 24));
	/* the applicant sees the outcome once answered, never a correction still waiting for its
	 * approval */
	if (!staff && strcmp(kw_stmt_column_text(st, 9, NULL), "answered") != 0) {
		json_object_set_new(j, "outcome", json_null());
		json_object_set_new(j, "rechecked_score", json_null());
		json_object_set_new(j, "cause", json_null());
		json_object_set_new(j, "outcome_reason", json_null());
	}
	if (staff) {
		json_object_set_new(j, "anomaly", col(st, 19));
		json_object_set_new(j, "approval_id",
		                    kw_stmt_column_is_null(st, 22)
		                            ? json_null()
		                            : json_integer(kw_stmt_column_int64(st, 22)));
	}
	return j;
}

struct rrow {
	int64_t id, exam, pub, reg, cand, unit;
	char subject[64], ticket[48], status[24], updated[32], forwarded[32];
	json_t *json;
};

/* Loads review id for s: a candidate only their own, staff only within their units (action). */
static int review_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                       int64_t id, struct rrow *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT " REVIEW_COLS " FROM score_reviews r JOIN exams e ON "
	                         "e.id = r.exam_id WHERE r.id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			r->id = kw_stmt_column_int64(st, 0);
			r->exam = kw_stmt_column_int64(st, 1);
			r->pub = kw_stmt_column_int64(st, 2);
			r->reg = kw_stmt_column_int64(st, 3);
			r->cand = kw_stmt_column_int64(st, 4);
			r->unit = kw_stmt_column_int64(st, 26);
			snprintf(r->subject, sizeof r->subject, "%s",
			         kw_stmt_column_text(st, 5, NULL));
			snprintf(r->ticket, sizeof r->ticket, "%s",
			         kw_stmt_column_text(st, 6, NULL));
			snprintf(r->status, sizeof r->status, "%s",
			         kw_stmt_column_text(st, 9, NULL));
			snprintf(r->updated, sizeof r->updated, "%s",
			         kw_stmt_column_text(st, 25, NULL));
			if (!kw_stmt_column_is_null(st, 13))
				snprintf(r->forwarded, sizeof r->forwarded, "%s",
				         kw_stmt_column_text(st, 13, NULL));
			r->json = review_json(st, !s->candidate_id);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	int seen = r->id != 0;
	if (!rc && seen && s->candidate_id)
		seen = s->candidate_id == r->cand;
	else if (!rc && seen) {
		struct kw_err e2 = KW_ERR_INIT;
		seen = kw_authz_check(c, s, action, r->unit, &e2) == 0;
		kw_err_release(&e2);
	}
	if (!rc && !seen) {
		json_decref(r->json);
		r->json = NULL;
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such review");
	}
	return rc;
}

/* ---- the request (the candidate) ---- */

struct req_job {
	int64_t exam, pub, reg, cand, id;
	const char *subject, *ticket, *score, *reason, *request_by, *forward_by;
};

static int req_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct req_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(
	        tx, err, "score_reviews", "score.review.request",
	        json_pack("{s:I, s:s}", "registration_id", (json_int_t)j->reg, "subject",
	                  j->subject),
	        &j->id,
	        "INSERT INTO score_reviews (exam_id, publication_id, registration_id, "
	        "candidate_id, "
	        "subject, ticket_no, published_score, reason, status, request_by, forward_by, "
	        "forwarded_late, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	        "'requested', $9, $10, 0, $11, $11)",
	        "iiiitttttt"
	        "t",
	        j->exam, j->pub, j->reg, j->cand, j->subject, j->ticket, j->score, j->reason,
	        j->request_by, j->forward_by, now);
}

/* The subject's entry in a published record: its status and score (NULL when none). */
static const json_t *record_subject(const json_t *rec, const char *code)
{
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(rec, "subjects"), i, x)
	{
		if (strcmp(json_string_value(json_object_get(x, "code")), code) == 0)
			return x;
	}
	return NULL;
}

static int review_get_json(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                           json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct rrow r;
	int rc = review_load(c, s, "score.review.read", id, &r, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = r.json;
	return rc;
}

int kw_review_request(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("subject", 32, KW_JREQUIRED),
	        KW_JSTR("reason", 500, 0),
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof *fields, err);
	if (rc)
		return rc;
	if (!s->candidate_id)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", "GRD-9",
		                  "a review is asked for by the candidate");
	const char *subject = json_string_value(json_object_get(body, "subject"));
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t unit = 0, pub = 0, reg = 0;
	char published_at[32] = "", ticket[48] = "";
	rc = exam_unit(c, s, NULL, exam, &unit, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT r.id, s.ticket_no FROM registrations r JOIN seats s ON "
		        "s.registration_id = r.id JOIN seating_runs u ON u.id = s.run_id "
		        "AND u.status = 'published' WHERE r.exam_id = $1 AND "
		        "r.candidate_id = $2",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_int64(st, 2, s->candidate_id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			reg = kw_stmt_column_int64(st, 0);
			snprintf(ticket, sizeof ticket, "%s", kw_stmt_column_text(st, 1, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !reg)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	if (!rc)
		rc = kw__pub_current(c, exam, &pub, published_at, err);
	if (!rc && !pub)
		rc = kw_err_set(err, KW_ECONFLICT, "SCORES_NOT_PUBLISHED", "GRD-9",
		                "the scores are not published");
	/* GRD-9: within 30 days of publication */
	char request_by[11] = "", forward_by[11] = "";
	if (!rc) {
		int64_t pus = 0;
		kw_clock_parse(published_at, &pus);
		int32_t pday = cst_day(pus);
		due_day(pday, REQUEST_DAYS, request_by);
		due_day(pday, FORWARD_DAYS, forward_by);
		char today[11];
		kw_cal_date_format(cst_day(kw_clock_now_us()), today);
		if (strcmp(today, request_by) > 0) {
			rc = kw_err_set(err, KW_ERULE, "REVIEW_WINDOW_CLOSED", "GRD-9",
			                "reviews were asked for until %s", request_by);
			kw_err_detail(err, "deadline", json_string(request_by));
		}
	}
	char *rec_s = NULL;
	json_t *rec = NULL;
	if (!rc)
		rc = kw__pub_record(c, pub, ticket, &rec_s, err);
	if (!rc && rec_s)
		rec = json_loads(rec_s, 0, NULL);
	const json_t *sj = rec ? record_subject(rec, subject) : NULL;
	const char *st_s = sj ? json_string_value(json_object_get(sj, "status")) : NULL;
	if (!rc && (!st_s || (strcmp(st_s, "scored") && strcmp(st_s, "zero")))) {
		rc = kw_err_set(err, KW_ERULE, "REVIEW_NOT_REVIEWABLE", "GRD-9",
		                "subject %s has no published score to re-check", subject);
		kw_err_detail(err, "status", st_s ? json_string(st_s) : json_null());
	}
	int64_t dup = 0;
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT id FROM score_reviews WHERE publication_id = $1 AND "
		                     "registration_id = $2 AND subject = $3",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pub);
		kw_stmt_bind_int64(st, 2, reg);
		kw_stmt_bind_textz(st, 3, subject);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW)
			dup = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc && dup) {
		rc = kw_err_set(err, KW_ECONFLICT, "REVIEW_DUPLICATE", "GRD-9",
		                "this subject's review was already asked for");
		kw_err_detail(err, "review_id", json_integer(dup));
	}
	struct req_job j = {exam,
	                    pub,
	                    reg,
	                    s->candidate_id,
	                    0,
	                    subject,
	                    ticket,
	                    sj ? json_string_value(json_object_get(sj, "score")) : NULL,
	                    json_string_value(json_object_get(body, "reason")),
	                    request_by,
	                    forward_by};
	if (!rc)
		rc = kw_writer_run(app->writer, req_job, &j, actor, err);
	json_decref(rec);
	free(rec_s);
	if (!rc)
		rc = review_get_json(app, s, j.id, out, err);
	return rc;
}

/* ---- the list ---- */

int kw_review_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                   const char *status, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t unit = 0;
	int rc = exam_unit(c, s, "score.review.read", exam, &unit, err);
	char sql[900];
	snprintf(sql, sizeof sql,
	         "SELECT " REVIEW_COLS " FROM score_reviews r JOIN exams e ON e.id = r.exam_id "
	         "WHERE r.exam_id = $1%s%s ORDER BY r.id",
	         s->candidate_id ? " AND r.candidate_id = $2" : "",
	         status ? (s->candidate_id ? " AND r.status = $3" : " AND r.status = $2") : "");
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		int k = 1;
		kw_stmt_bind_int64(st, k++, exam);
		if (s->candidate_id)
			kw_stmt_bind_int64(st, k++, s->candidate_id);
		if (status)
			kw_stmt_bind_textz(st, k, status);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, review_json(st, !s->candidate_id));
		rc = kw_step_ok(rc);
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

int kw_review_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                  struct kw_err *err)
{
	return review_get_json(app, s, id, out, err);
}

/* ---- the province's steps ---- */

struct step_job {
	const struct rrow *r;
	const char *step, *text;
	int64_t user;
	char title[200];
	char *body;
};

/* The audited UPDATE of review r while it is as it was read (its updated_at). */
static int review_update(struct kw_tx *tx, const struct rrow *r, const char *action,
                         const char *set, const char *text, int64_t user, struct kw_err *err)
{
	char now[32], sql[600];
	kw_clock_format(tx->now_us, now);
	snprintf(sql, sizeof sql,
	         "UPDATE score_reviews SET %s, updated_at = $1 WHERE id = $2 AND updated_at = $3",
	         set);
	int64_t changed = 0;
	int rc = kw_audit_put(tx, err, "score_reviews", action,
	                      json_pack("{s:s}", "from", r->status), &changed, sql, "titti", now,
	                      r->id, r->updated, text, user);
	if (!rc && !changed)
		rc = kw_err_set(err, KW_ECONFLICT, "REVIEW_STATE", "GRD-9",
		                "the review changed meanwhile");
	return rc;
}

static int step_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	if (strcmp(j->step, "accept") == 0)
		return review_update(tx, j->r, "score.review.accept",
		                     "status = 'accepted', decided_by = $5, refusal = $4", NULL,
		                     j->user, err);
	if (strcmp(j->step, "refuse") == 0)
		return review_update(tx, j->r, "score.review.refuse",
		                     "status = 'refused', refusal = $4, decided_by = $5", j->text,
		                     j->user, err);
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = review_update(tx, j->r, "score.review.answer",
	                       "status = 'answered', answered_at = $1, answered_by = $5, "
	                       "anomaly = COALESCE(anomaly, $4)",
	                       NULL, j->user, err);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "candidate_messages", "candidate.message", NULL, NULL,
		        "INSERT INTO candidate_messages (candidate_id, kind, title, body, "
		        "created_at) VALUES ($1, 'score_review', $2, $3, $4)",
		        "ittt", j->r->cand, j->title, j->body, now);
	return rc;
}

int kw_review_step(struct kw_app *app, const struct kw_actor *actor,
                   const struct kw_session_info *s, int64_t id, const char *step,
                   const json_t *body, json_t **out, struct kw_err *err)
{
	static const struct kw_jfield refuse_f[] = {KW_JSTR("reason", 500, KW_JREQUIRED)};
	static const struct kw_jfield answer_f[] = {KW_JSTR("note", 500, 0)};
	int refuse = strcmp(step, "refuse") == 0, answer = strcmp(step, "answer") == 0;
	int rc = 0;
	if (refuse)
		rc = kw_json_check(body, refuse_f, 1, err);
	else if (answer && body)
		rc = kw_json_check(body, answer_f, 1, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct rrow r;
	rc = review_load(c, s, "score.review.handle", id, &r, err);
	kw_pool_put(app->pool, c);
	if (!rc && s->candidate_id)
		rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "staff only");
	const char *need = answer ? NULL : "requested";
	if (!rc && need && strcmp(r.status, need) != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "REVIEW_STATE", "GRD-9", "the review is %s",
		                r.status);
	if (!rc && answer && strcmp(r.status, "rechecked") && strcmp(r.status, "corrected"))
		rc = kw_err_set(err, KW_ECONFLICT, "REVIEW_STATE", "GRD-9",
		                "the review is %s: its outcome comes first", r.status);
	if (rc && err->code && strcmp(err->code, "REVIEW_STATE") == 0)
		kw_err_detail(err, "status", json_string(r.status));
	struct step_job j = {&r, step, NULL, s->user.id, "", NULL};
	if (!rc && refuse)
		j.text = json_string_value(json_object_get(body, "reason"));
	if (!rc && answer) {
		/* the answer to the applicant: the outcome, never the script, key or video */
		const json_t *o = r.json;
		const char *outcome = json_string_value(json_object_get(o, "outcome"));
		int corrected = outcome && strcmp(outcome, "corrected") == 0;
		snprintf(j.title, sizeof j.title, "成绩复核结果（科目 %s）", r.subject);
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		if (corrected)
			kw_buf_addf(&b,
			            "经复核，您的科目 %s 成绩由 %s 分更正为 %s "
			            "分。复核结果为最终成绩。",
			            r.subject,
			            json_string_value(json_object_get(o, "published_score")),
			            json_string_value(json_object_get(o, "rechecked_score")));
		else
			kw_buf_addf(&b,
			            "经复核，您的科目 %s 成绩 %s "
			            "分无误，维持原成绩。复核结果为最终成绩。",
			            r.subject,
			            json_string_value(json_object_get(o, "published_score")));
		const char *note = body ? json_string_value(json_object_get(body, "note")) : NULL;
		if (note && *note)
			kw_buf_addf(&b, "\n%s", note);
		j.body = kw_buf_detach(&b, NULL);
	}
	if (!rc)
		rc = kw_writer_run(app->writer, step_job, &j, actor, err);
	free(j.body);
	json_decref(r.json);
	if (!rc)
		rc = review_get_json(app, s, id, out, err);
	return rc;
}

/* ---- forwarding (the province → the national centre) ---- */

struct fwd_job {
	int64_t exam, n, late;
};

static int fwd_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct fwd_job *j = arg;
	char now[32], today[11];
	kw_clock_format(tx->now_us, now);
	kw_cal_date_format(cst_day(tx->now_us), today);
	struct kw_stmt *st = NULL;
	int64_t ids[512];
	char due[512][11];
	size_t n = 0;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id, forward_by FROM score_reviews WHERE exam_id = $1 AND "
	                         "status = 'accepted' ORDER BY id LIMIT 512",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, j->exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			ids[n] = kw_stmt_column_int64(st, 0);
			snprintf(due[n], 11, "%s", kw_stmt_column_text(st, 1, NULL));
			n++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; !rc && i < n; i++) {
		int late = strcmp(today, due[i]) > 0;
		char rb[11];
		due_day(cst_day(tx->now_us), RETURN_DAYS, rb);
		rc = kw_audit_put(
		        tx, err, "score_reviews", "score.review.forward",
		        json_pack("{s:b}", "late", late), NULL,
		        "UPDATE score_reviews SET status = 'forwarded', forwarded_at = $1, "
		        "forwarded_late = $2, return_by = $3, updated_at = $1 WHERE id = $4",
		        "titi", now, (int64_t)late, rb, ids[i]);
		j->n++;
		j->late += late;
	}
	return rc;
}

int kw_review_forward(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, json_t **out,
                      struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t unit = 0;
	int rc = exam_unit(c, s, "score.review.handle", exam, &unit, err);
	kw_pool_put(app->pool, c);
	if (!rc && s->candidate_id)
		rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "staff only");
	struct fwd_job j = {exam, 0, 0};
	int64_t total = 0, late = 0;
	/* in batches of 512, each its own transaction, until none is left */
	do {
		j.n = j.late = 0;
		if (!rc)
			rc = kw_writer_run(app->writer, fwd_job, &j, actor, err);
		total += j.n;
		late += j.late;
	} while (!rc && j.n == 512);
	if (!rc)
		*out = json_pack("{s:I, s:I, s:I}", "exam_id", (json_int_t)exam, "forwarded",
		                 (json_int_t)total, "late", (json_int_t)late);
	return rc;
}

/* ---- the national centre's outcome, and the correction's approval ---- */

struct res_job {
	const struct rrow *r;
	const char *outcome, *score, *cause, *reason, *anomaly;
	int64_t user, approval;
	char return_ok;
};

static int res_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct res_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int corrected = strcmp(j->outcome, "corrected") == 0;
	int64_t changed = 0;
	int rc = kw_audit_put(
	        tx, err, "score_reviews", "score.review.result",
	        json_pack("{s:s, s:s?}", "outcome", j->outcome, "score", j->score), &changed,
	        "UPDATE score_reviews SET status = $1, outcome = $2, rechecked_score = $3, cause = "
	        "$4, outcome_reason = $5, anomaly = $6, rechecked_by = $7, rechecked_at = $8, "
	        "updated_at = $8 WHERE id = $9 AND updated_at = $10",
	        "ttttttitit", corrected ? "correction_pending" : "rechecked", j->outcome, j->score,
	        j->cause, j->reason, j->anomaly, j->user, now, j->r->id, j->r->updated);
	if (!rc && !changed)
		rc = kw_err_set(err, KW_ECONFLICT, "REVIEW_STATE", "GRD-9",
		                "the review changed meanwhile");
	if (rc || !corrected)
		return rc;
	json_t *payload = json_pack(
	        "{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:[I]}", "review_id",
	        (json_int_t)j->r->id, "exam_id", (json_int_t)j->r->exam, "subject", j->r->subject,
	        "ticket_no", j->r->ticket, "published_score",
	        json_incref(json_object_get(j->r->json, "published_score")), "rechecked_score",
	        j->score, "cause", j->cause, "reason", j->reason, "units", (json_int_t)j->r->unit);
	rc = kw_approval_create(tx, REVIEW_KIND, payload, payload, &j->approval, err);
	json_decref(payload);
	if (!rc)
		rc = kw_audit_put(tx, err, "score_reviews", "score.review.submit",
		                  json_pack("{s:I}", "approval_id", (json_int_t)j->approval), NULL,
		                  "UPDATE score_reviews SET approval_id = $1 WHERE id = $2", "ii",
		                  j->approval, j->r->id);
	return rc;
}

int kw_review_result(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                     struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("outcome", 16, KW_JREQUIRED), KW_JSTR("score", 16, 0),
	        KW_JSTR("cause", 200, KW_JREQUIRED),  KW_JSTR("reason", 500, KW_JREQUIRED),
	        KW_JSTR("anomaly", 500, 0),
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof *fields, err);
	if (rc)
		return rc;
	const char *outcome = json_string_value(json_object_get(body, "outcome"));
	const json_t *score = json_object_get(body, "score");
	int corrected = strcmp(outcome, "corrected") == 0;
	int32_t h = 0;
	json_t *fields_bad = json_array();
	if (!corrected && strcmp(outcome, "unchanged") != 0)
		json_array_append_new(fields_bad, json_pack("{s:s, s:s}", "field", "outcome",
		                                            "problem", "range"));
	if (corrected && (!score || kw_scoring_points(score, &h)))
		json_array_append_new(fields_bad, json_pack("{s:s, s:s}", "field", "score",
		                                            "problem", "required"));
	if (!corrected && score)
		json_array_append_new(fields_bad, json_pack("{s:s, s:s}", "field", "score",
		                                            "problem", "only_when_corrected"));
	if (json_array_size(fields_bad)) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", "GRD-9", "the request has errors");
		kw_err_detail(err, "fields", fields_bad);
		return err->rc;
	}
	json_decref(fields_bad);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct rrow r;
	rc = review_load(c, s, "score.review.recheck", id, &r, err);
	kw_pool_put(app->pool, c);
	if (!rc && s->candidate_id)
		rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "staff only");
	if (!rc && strcmp(r.status, "forwarded") != 0) {
		rc = kw_err_set(err, KW_ECONFLICT, "REVIEW_STATE", "GRD-9", "the review is %s",
		                r.status);
		kw_err_detail(err, "status", json_string(r.status));
	}
	char pts[24] = "";
	if (corrected)
		kw_score_fmt(h, pts, sizeof pts);
	struct res_job j = {&r,
	                    outcome,
	                    corrected ? pts : NULL,
	                    json_string_value(json_object_get(body, "cause")),
	                    json_string_value(json_object_get(body, "reason")),
	                    json_string_value(json_object_get(body, "anomaly")),
	                    s->user.id,
	                    0,
	                    0};
	if (!rc)
		rc = kw_writer_run(app->writer, res_job, &j, actor, err);
	json_decref(r.json);
	if (!rc)
		rc = review_get_json(app, s, id, out, err);
	if (!rc && j.approval)
		json_object_set_new(*out, "approval_id", json_integer(j.approval));
	return rc;
}

static int rev_allowed(struct kw_conn *c, const struct kw_session_info *s, const json_t *payload,
                       struct kw_err *err)
{
	return kw_authz_check(
	        c, s, "score.review.handle",
	        json_integer_value(json_array_get(json_object_get(payload, "units"), 0)), err);
}

/* In the checker's transaction: the correction made final (the publication in force patched)
 * or sent back to the marking unit (forwarded again). */
static int rev_decide(struct kw_app *app, struct kw_tx *tx, const json_t *payload,
                      int64_t approval_id, int approve, json_t **result, struct kw_err *err)
{
	(void)app;
	(void)approval_id;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = json_integer_value(json_object_get(payload, "review_id"));
	int64_t exam = json_integer_value(json_object_get(payload, "exam_id"));
	const char *ticket = json_string_value(json_object_get(payload, "ticket_no"));
	const char *subject = json_string_value(json_object_get(payload, "subject"));
	const char *score = json_string_value(json_object_get(payload, "rechecked_score"));
	int64_t changed = 0;
	int rc =
	        kw_audit_put(tx, err, "score_reviews",
	                     approve ? "score.review.correct" : "score.review.correction_rejected",
	                     NULL, &changed,
	                     approve ? "UPDATE score_reviews SET status = 'corrected', approved_by "
	                               "= $1, updated_at = $2 WHERE id = $3 AND status = "
	                               "'correction_pending'"
	                             : "UPDATE score_reviews SET status = 'forwarded', outcome = "
	                               "NULL, rechecked_score = NULL, approved_by = $1, "
	                               "updated_at = $2 WHERE id = $3 AND status = "
	                               "'correction_pending'",
	                     "iti", tx->actor->id, now, id);
	if (!rc && !changed)
		rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
		                "the review is no longer waiting");
	if (rc || !approve)
		return rc;
	/* the publication in force: its record of the candidate, corrected */
	int64_t pub = 0;
	char *rec_s = NULL;
	rc = kw__pub_current(tx->conn, exam, &pub, NULL, err);
	if (!rc && pub)
		rc = kw__pub_record(tx->conn, pub, ticket, &rec_s, err);
	json_t *rec = rec_s ? json_loads(rec_s, 0, NULL) : NULL;
	json_t *sj = rec ? (json_t *)record_subject(rec, subject) : NULL;
	if (!rc && sj) {
		json_object_set_new(sj, "status", json_string("scored"));
		json_object_set_new(sj, "score", json_string(score));
		json_object_set_new(sj, "review", json_string("corrected"));
		char *out = json_dumps(rec, JSON_COMPACT);
		rc = kw__pub_patch(tx, pub, ticket, out, id, err);
		free(out);
	}
	json_decref(rec);
	free(rec_s);
	if (!rc)
		*result = json_pack("{s:I, s:s, s:s, s:I}", "review_id", (json_int_t)id, "status",
		                    "corrected", "score", score, "publication_id", (json_int_t)pub);
	return rc;
}

static void rev_after(struct kw_app *app, const json_t *payload)
{
	kw__pub_invalidate(app, json_integer_value(json_object_get(payload, "exam_id")));
}

const struct kw_approval_kind kw_review_approval = {REVIEW_KIND, rev_allowed, rev_decide,
                                                    rev_after};
