/*
 * Recruitment after the interview: see recruit.h and docs/recruitment.md. kaowu's choices
 * (SPEC §15): ties on the composite go to the higher written score, then the higher interview
 * score, then the lower ticket number; the steps run physical exam → fitness test → psychological
 * test → vetting; one replacement per position unless the list says more; a notice period of 5
 * working days; probation of 12 months ending the day before the anniversary of appointment.
 * The interview's tables (0033, 0034) are read here, never written.
 */
#include "app/recruit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/cases.h"
#include "app/examref.h"
#include "core/calendar.h"
#include "core/mask.h"
#include "core/score.h"
#include "render/notice.h"
#include "util/clock.h"
#include "util/json.h"

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int conflict(struct kw_err *err, const char *code, const char *rule, const char *msg)
{
	return kw_err_set(err, KW_ECONFLICT, code, rule, "%s", msg);
}

static int date_parse(const char *s, int32_t *d)
{
	return s && strlen(s) == 10 ? kw_cal_date_parse(s, 10, d, NULL) : -1;
}

static int32_t today_of(int64_t now_us)
{
	int32_t d = 0;
	kw_cal_cst_day(now_us / 1000000, &d, NULL);
	return d;
}

/* ---- reading ---- */

/* A column of rows(): name and type — 'i' integer, 't' text, 's' score (hundredths), 'b' a
 * boolean from an integer; SQL NULL is null for each. */
struct col {
	const char *name;
	char type;
};

/* Runs sql with the int64 binds b[0..nb) and appends an object a row to arr. */
static int rows(struct kw_conn *c, const char *sql, const int64_t *b, int nb,
                const struct col *cols, int nc, json_t *arr, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(c, sql, &q, err);
	if (!rc) {
		for (int i = 0; i < nb; i++)
			kw_stmt_bind_int64(q, i + 1, b[i]);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_t *o = json_object();
			for (int i = 0; i < nc; i++) {
				json_t *v;
				if (kw_stmt_column_is_null(q, i)) {
					v = json_null();
				} else if (cols[i].type == 'i') {
					v = json_integer((json_int_t)kw_stmt_column_int64(q, i));
				} else if (cols[i].type == 'b') {
					v = json_boolean(kw_stmt_column_int64(q, i));
				} else if (cols[i].type == 's') {
					char t[24];
					kw_score_fmt((int32_t)kw_stmt_column_int64(q, i), t,
					             sizeof t);
					v = json_string(t);
				} else if (cols[i].type == 'j') {
					v = json_loads(kw_stmt_column_text(q, i, NULL), 0, NULL);
					if (!v)
						v = json_null();
				} else {
					v = json_string(kw_stmt_column_text(q, i, NULL));
				}
				json_object_set_new(o, cols[i].name, v);
			}
			json_array_append_new(arr, o);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

/* One integer (0 when no row) of sql with binds a, b. */
static int one(struct kw_conn *c, const char *sql, int64_t a, int64_t b, int64_t *out,
               struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	*out = 0;
	int rc = kw_conn_prepare(c, sql, &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, a);
		if (strstr(sql, "$2"))
			kw_stmt_bind_int64(q, 2, b);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW && !kw_stmt_column_is_null(q, 0))
			*out = kw_stmt_column_int64(q, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

struct list {
	int64_t id, exam, position, shortlist, quota, rounds, used, fitness, psych, imin, workdays,
	        months;
};

static int list_load(struct kw_conn *c, int64_t id, struct list *l, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	memset(l, 0, sizeof *l);
	int rc = kw_conn_prepare(
	        c,
	        "SELECT id, exam_id, position_id, shortlist_id, quota, rounds, "
	        "rounds_used, fitness_test, psych_test, interview_min, "
	        "notice_workdays, probation_months FROM recruit_lists WHERE id = $1",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW) {
			int64_t *f[] = {&l->id,    &l->exam,   &l->position, &l->shortlist,
			                &l->quota, &l->rounds, &l->used,     &l->fitness,
			                &l->psych, &l->imin,   &l->workdays, &l->months};
			for (int i = 0; i < 12; i++)
				*f[i] = kw_stmt_column_int64(q, i);
			if (kw_stmt_column_is_null(q, 9))
				l->imin = -1;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !l->id)
		rc = kw_err_not_found(err, "recruitment list");
	return rc;
}

struct cand {
	int64_t id, list, reg, case_id, notice, interview;
	char state[16], out_reason[24], appointed[11], probation_ends[11];
};

static int cand_load(struct kw_conn *c, int64_t id, struct cand *k, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	memset(k, 0, sizeof *k);
	int rc = kw_conn_prepare(
	        c,
	        "SELECT id, list_id, registration_id, case_id, notice_id, interview, "
	        "state, out_reason, appointed_on, probation_ends FROM "
	        "recruit_candidates WHERE id = $1",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW) {
			k->id = kw_stmt_column_int64(q, 0);
			k->list = kw_stmt_column_int64(q, 1);
			k->reg = kw_stmt_column_int64(q, 2);
			k->case_id = kw_stmt_column_int64(q, 3);
			k->notice = kw_stmt_column_int64(q, 4);
			k->interview = kw_stmt_column_int64(q, 5);
			kw_stmt_column_copy(q, 6, k->state, sizeof k->state);
			kw_stmt_column_copy(q, 7, k->out_reason, sizeof k->out_reason);
			kw_stmt_column_copy(q, 8, k->appointed, sizeof k->appointed);
			kw_stmt_column_copy(q, 9, k->probation_ends, sizeof k->probation_ends);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !k->id)
		rc = kw_err_not_found(err, "recruitment candidate");
	return rc;
}

/* The exam of list id checked against s for action (out of reach reads as absent). */
static int reach(struct kw_app *app, const struct kw_session_info *s, const char *action,
                 int64_t list, struct list *l, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	int rc = list_load(c, list, l, err);
	if (!rc)
		rc = kw_exam_ref_load(c, s, action, l->exam, &e, err);
	kw_pool_put(app->pool, c);
	return rc;
}

static int reach_cand(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                      struct cand *k, struct list *l, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = cand_load(c, id, k, err);
	kw_pool_put(app->pool, c);
	return rc ? rc : reach(app, s, "interview.manage", k->list, l, err);
}

static const struct col cand_cols[] = {
        {"id", 'i'},       {"registration_id", 'i'}, {"ticket_no", 't'},    {"name", 't'},
        {"written", 's'},  {"interview", 's'},       {"composite", 's'},    {"place", 'i'},
        {"rank", 'i'},     {"state", 't'},           {"out_reason", 't'},   {"case_id", 'i'},
        {"replaces", 'i'}, {"notice_id", 'i'},       {"appointed_on", 't'}, {"probation_ends", 't'},
};
static const struct col step_cols[] = {
        {"id", 'i'},      {"candidate_id", 'i'}, {"step", 't'}, {"reexam", 'b'},
        {"outcome", 't'}, {"reason", 't'},       {"on", 't'},   {"case_id", 'i'},
};
static const struct col notice_cols[] = {
        {"id", 'i'},           {"status", 't'},           {"entries", 'j'}, {"made_by", 'i'},
        {"approved_by", 'i'},  {"starts_on", 't'},        {"ends_on", 't'}, {"published_at", 't'},
        {"made_by_name", 't'}, {"approved_by_name", 't'},
};
static const struct col objection_cols[] = {
        {"id", 'i'},        {"notice_id", 'i'},  {"candidate_id", 'i'}, {"received_on", 't'},
        {"objector", 't'},  {"text", 't'},       {"status", 't'},       {"reply", 't'},
        {"sustained", 'b'}, {"replied_at", 't'},
};
#define N(a) ((int)(sizeof a / sizeof a[0]))

static int list_json(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	json_t *o = json_array();
	int64_t b[1] = {id};
	static const struct col lcols[] = {
	        {"id", 'i'},
	        {"exam_id", 'i'},
	        {"position_id", 'i'},
	        {"position_code", 't'},
	        {"position_name", 't'},
	        {"shortlist_id", 'i'},
	        {"quota", 'i'},
	        {"rounds", 'i'},
	        {"rounds_used", 'i'},
	        {"fitness_test", 'b'},
	        {"psych_test", 'b'},
	        {"interview_min", 's'},
	        {"notice_workdays", 'i'},
	        {"probation_months", 'i'},
	};
	int rc = rows(c,
	              "SELECT l.id, l.exam_id, l.position_id, p.code, p.name, l.shortlist_id, "
	              "l.quota, l.rounds, l.rounds_used, l.fitness_test, l.psych_test, "
	              "l.interview_min, l.notice_workdays, l.probation_months FROM recruit_lists l "
	              "JOIN positions p ON p.id = l.position_id WHERE l.id = $1",
	              b, 1, lcols, N(lcols), o, err);
	if (!rc && !json_array_size(o))
		rc = kw_err_not_found(err, "recruitment list");
	json_t *l = rc ? NULL : json_incref(json_array_get(o, 0));
	json_decref(o);
	json_t *a[4] = {json_array(), json_array(), json_array(), json_array()};
	if (!rc)
		rc = rows(
		        c,
		        "SELECT k.id, k.registration_id, k.ticket_no, d.name, k.written, "
		        "k.interview, k.composite, k.place, (SELECT 1 + COUNT(*) FROM "
		        "recruit_candidates o WHERE o.list_id = k.list_id AND o.composite > "
		        "k.composite), k.state, k.out_reason, k.case_id, k.replaces, k.notice_id, "
		        "k.appointed_on, k.probation_ends FROM recruit_candidates k JOIN "
		        "registrations r ON r.id = k.registration_id JOIN candidates d ON d.id = "
		        "r.candidate_id WHERE k.list_id = $1 ORDER BY k.place",
		        b, 1, cand_cols, N(cand_cols), a[0], err);
	if (!rc)
		rc = rows(c,
		          "SELECT s.id, s.candidate_id, s.step, s.reexam, s.outcome, s.reason, "
		          "s.on_date, s.case_id FROM recruit_steps s JOIN recruit_candidates k ON "
		          "k.id = s.candidate_id WHERE k.list_id = $1 ORDER BY s.id",
		          b, 1, step_cols, N(step_cols), a[1], err);
	if (!rc)
		rc = rows(
		        c,
		        "SELECT n.id, n.status, n.entries, n.made_by, n.approved_by, n.starts_on, "
		        "n.ends_on, n.published_at, m.display_name, a.display_name FROM "
		        "recruit_notices n JOIN users m ON m.id = n.made_by LEFT JOIN users a ON "
		        "a.id = n.approved_by WHERE n.list_id = $1 ORDER BY n.id",
		        b, 1, notice_cols, N(notice_cols), a[2], err);
	if (!rc)
		rc = rows(c,
		          "SELECT o.id, o.notice_id, o.candidate_id, o.received_on, o.objector, "
		          "o.text, o.status, o.reply, o.sustained, o.replied_at FROM "
		          "recruit_objections o JOIN recruit_notices n ON n.id = o.notice_id WHERE "
		          "n.list_id = $1 ORDER BY o.id",
		          b, 1, objection_cols, N(objection_cols), a[3], err);
	if (rc) {
		json_decref(l);
		for (int i = 0; i < 4; i++)
			json_decref(a[i]);
		return rc;
	}
	json_object_set_new(l, "candidates", a[0]);
	json_object_set_new(l, "steps", a[1]);
	json_object_set_new(l, "notices", a[2]);
	json_object_set_new(l, "objections", a[3]);
	json_object_set_new(l, "tie_rule", json_string("composite, written, interview, ticket_no"));
	*out = l;
	return 0;
}

static int answer(struct kw_app *app, int64_t list, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = list_json(c, list, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* Whether s may write (interview.manage) at exam: the page offers a reader no action. */
static int may_manage(struct kw_conn *c, const struct kw_session_info *s, int64_t exam)
{
	struct kw_exam_ref e;
	struct kw_err e2 = KW_ERR_INIT;
	int ok = kw_exam_ref_load(c, s, "interview.manage", exam, &e, &e2) == 0;
	kw_err_release(&e2);
	return ok;
}

int kw_recruit_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                   struct kw_err *err)
{
	struct list l;
	int rc = reach(app, s, "interview.read", id, &l, err);
	if (!rc)
		rc = answer(app, id, out, err);
	if (!rc) {
		struct kw_conn *c = kw_pool_get(app->pool);
		json_object_set_new(*out, "can_manage", json_boolean(may_manage(c, s, l.exam)));
		kw_pool_put(app->pool, c);
	}
	return rc;
}

int kw_recruit_of_shortlist(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                            json_t **out, struct kw_err *err)
{
	static const struct col cols[] = {
	        {"shortlist_id", 'i'},     {"exam_id", 'i'},
	        {"position_id", 'i'},      {"position_code", 't'},
	        {"position_name", 't'},    {"quota", 'i'},
	        {"shortlist_status", 't'}, {"results_published_at", 't'},
	        {"list_id", 'i'},
	};
	int64_t b[1] = {id};
	json_t *a = json_array(), *o = NULL, *list = NULL;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = rows(c,
	              "SELECT l.id, l.exam_id, l.position_id, p.code, p.name, l.quota, l.status, "
	              "r.published_at, k.id FROM interview_shortlists l JOIN positions p ON p.id = "
	              "l.position_id LEFT JOIN interview_result_publications r ON r.shortlist_id = "
	              "l.id LEFT JOIN recruit_lists k ON k.position_id = l.position_id WHERE l.id "
	              "= $1",
	              b, 1, cols, N(cols), a, err);
	if (!rc && !json_array_size(a))
		rc = kw_err_not_found(err, "shortlist");
	if (!rc)
		o = json_incref(json_array_get(a, 0));
	json_decref(a);
	struct kw_exam_ref e;
	int64_t exam = o ? json_integer_value(json_object_get(o, "exam_id")) : 0;
	int64_t lid = o ? json_integer_value(json_object_get(o, "list_id")) : 0;
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.read", exam, &e, err);
	if (!rc && lid)
		rc = list_json(c, lid, &list, err);
	if (!rc) {
		json_object_set_new(o, "list", list ? list : json_null());
		json_object_set_new(o, "can_manage", json_boolean(may_manage(c, s, exam)));
		*out = o;
		o = NULL;
	}
	kw_pool_put(app->pool, c);
	json_decref(o);
	return rc;
}

/* ---- the composite list ---- */

struct build_job {
	int64_t shortlist, exam, position, quota, rounds, fitness, psych, imin, workdays, months;
	int64_t id;
};

static int build_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct build_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int64_t n = 0;
	int rc = one(tx->conn, "SELECT COUNT(*) FROM recruit_lists WHERE position_id = $1",
	             j->position, 0, &n, err);
	if (!rc && n)
		return conflict(err, "RECRUIT_LIST_EXISTS", NULL,
		                "this position already has its composite list");
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "recruit_lists", "recruit.list.build",
		        json_pack("{s:I}", "shortlist_id", (json_int_t)j->shortlist), &j->id,
		        "INSERT INTO recruit_lists (exam_id, position_id, shortlist_id, quota, "
		        "rounds, "
		        "rounds_used, fitness_test, psych_test, interview_min, notice_workdays, "
		        "probation_months, created_by, created_at, updated_at) VALUES ($1, $2, $3, "
		        "$4, $5, 0, $6, $7, $8, $9, $10, $11, $12, $12)",
		        "iiiiiiitiiit", j->exam, j->position, j->shortlist, j->quota, j->rounds,
		        j->fitness, j->psych, (const char *)NULL, j->workdays, j->months,
		        tx->actor->id, ts);
	if (!rc && j->imin >= 0)
		rc = kw_audit_put(tx, err, "recruit_lists", "recruit.list.build", NULL, NULL,
		                  "UPDATE recruit_lists SET interview_min = $1 WHERE id = $2", "ii",
		                  j->imin, j->id);
	/* the interviewed whose results the chief signed, in composite order */
	struct kw_stmt *q = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT c.registration_id, e.ticket_no, c.written, c.score, c.composite "
		        "FROM "
		        "interview_candidates c JOIN interview_shortlist_entries e ON "
		        "e.registration_id = c.registration_id AND e.shortlist_id = $1 WHERE "
		        "c.stage = 'chief' AND c.composite IS NOT NULL ORDER BY c.composite DESC, "
		        "c.written DESC, c.score DESC, e.ticket_no",
		        &q, err);
	if (rc) {
		kw_stmt_finalize(q);
		return rc;
	}
	kw_stmt_bind_int64(q, 1, j->shortlist);
	json_t *all = json_array();
	while ((rc = kw_stmt_step(q, err)) == KW_ROW)
		json_array_append_new(all, json_pack("{s:I, s:s, s:I, s:I, s:I}", "reg",
		                                     (json_int_t)kw_stmt_column_int64(q, 0), "tk",
		                                     kw_stmt_column_text(q, 1, NULL), "w",
		                                     (json_int_t)kw_stmt_column_int64(q, 2), "i",
		                                     (json_int_t)kw_stmt_column_int64(q, 3), "c",
		                                     (json_int_t)kw_stmt_column_int64(q, 4)));
	rc = kw_step_ok(rc);
	kw_stmt_finalize(q);
	int64_t selected = 0;
	size_t i;
	json_t *e;
	json_array_foreach(all, i, e)
	{
		if (rc)
			break;
		int64_t iv = json_integer_value(json_object_get(e, "i"));
		const char *st = j->imin >= 0 && iv < j->imin ? "below_min"
		                 : selected < j->quota        ? "selected"
		                                              : "reserve";
		selected += strcmp(st, "selected") == 0;
		rc = kw_audit_put(
		        tx, err, "recruit_candidates", "recruit.candidate.rank",
		        json_pack("{s:I, s:s}", "list_id", (json_int_t)j->id, "state", st), NULL,
		        "INSERT INTO recruit_candidates (list_id, registration_id, ticket_no, "
		        "written, interview, composite, place, state, created_at, "
		        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
		        "iitiiiitt", j->id, json_integer_value(json_object_get(e, "reg")),
		        jstr(e, "tk"), json_integer_value(json_object_get(e, "w")), iv,
		        json_integer_value(json_object_get(e, "c")), (int64_t)i + 1, st, ts);
	}
	if (!rc && !json_array_size(all))
		rc = conflict(err, "RECRUIT_RESULTS_UNPUBLISHED", "INT-6",
		              "no interview result of this position is published yet");
	json_decref(all);
	return rc;
}

static int opt_int(const json_t *body, const char *k, int64_t def, int64_t lo, int64_t hi,
                   int64_t *out, struct kw_err *err)
{
	json_t *v = json_object_get(body, k);
	if (!v || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (json_is_boolean(v) && lo == 0 && hi == 1) {
		*out = json_is_true(v);
		return 0;
	}
	if (!json_is_integer(v))
		return kw_err_invalid(err, k, "type");
	*out = json_integer_value(v);
	return *out < lo || *out > hi ? kw_err_invalid(err, k, "out_of_range") : 0;
}

int kw_recruit_build(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t shortlist, const json_t *body,
                     json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        {"rounds", KW_JINTEGER, 0, 0, 10},
	        {"fitness_test", KW_JBOOLEAN, 0, 0, 0},
	        {"psych_test", KW_JBOOLEAN, 0, 0, 0},
	        KW_JSTR("interview_min", 10, 0),
	        {"notice_workdays", KW_JINTEGER, 0, 1, 30},
	        {"probation_months", KW_JINTEGER, 0, 1, 24},
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	struct build_job j = {.shortlist = shortlist, .imin = -1};
	if (!rc)
		rc = opt_int(body, "rounds", 1, 0, 10, &j.rounds, err);
	if (!rc)
		rc = opt_int(body, "fitness_test", 0, 0, 1, &j.fitness, err);
	if (!rc)
		rc = opt_int(body, "psych_test", 0, 0, 1, &j.psych, err);
	if (!rc)
		rc = opt_int(body, "notice_workdays", 5, 1, 30, &j.workdays, err);
	if (!rc)
		rc = opt_int(body, "probation_months", 12, 1, 24, &j.months, err);
	if (!rc && jstr(body, "interview_min") &&
	    (j.imin = kw_score_parse(jstr(body, "interview_min"))) < 0)
		rc = kw_err_invalid(err, "interview_min", "format");
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *q = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT l.exam_id, l.position_id, l.quota, (SELECT COUNT(*) FROM "
	                     "interview_result_publications r WHERE r.shortlist_id = l.id) FROM "
	                     "interview_shortlists l WHERE l.id = $1",
	                     &q, err);
	int64_t published = 0;
	if (!rc) {
		kw_stmt_bind_int64(q, 1, shortlist);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW) {
			j.exam = kw_stmt_column_int64(q, 0);
			j.position = kw_stmt_column_int64(q, 1);
			j.quota = kw_stmt_column_int64(q, 2);
			published = kw_stmt_column_int64(q, 3);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !j.exam)
		rc = kw_err_not_found(err, "shortlist");
	struct kw_exam_ref e;
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.manage", j.exam, &e, err);
	kw_pool_put(app->pool, c);
	if (!rc && !published)
		rc = conflict(err, "RECRUIT_RESULTS_UNPUBLISHED", "INT-6",
		              "the interview results of this position are not published yet");
	if (!rc)
		rc = kw_writer_run(app->writer, build_write, &j, actor, err);
	return rc ? rc : answer(app, j.id, out, err);
}

/* ---- steps ---- */

static const char *const step_names[] = {"physical_exam", "fitness_test", "psych_test", "vetting",
                                         NULL};
static const char *const case_stage[] = {"physical_exam", "fitness_psych_test",
                                         "fitness_psych_test", "vetting"};

static int step_index(const char *s)
{
	for (int i = 0; s && step_names[i]; i++)
		if (strcmp(s, step_names[i]) == 0)
			return i;
	return -1;
}

/* The next step candidate k must take (NULL when every required one is passed): a step
 * counts as passed when its latest record is a pass. */
static int next_step(struct kw_conn *c, const struct list *l, int64_t cand, const char **next,
                     struct kw_err *err)
{
	*next = NULL;
	for (int i = 0; step_names[i]; i++) {
		if ((i == 1 && !l->fitness) || (i == 2 && !l->psych))
			continue;
		struct kw_stmt *q = NULL;
		int passed = 0;
		int rc =
		        kw_conn_prepare(c,
		                        "SELECT outcome FROM recruit_steps WHERE candidate_id = $1 "
		                        "AND step = $2 ORDER BY id DESC LIMIT 1",
		                        &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, cand);
			kw_stmt_bind_textz(q, 2, step_names[i]);
			rc = kw_stmt_step(q, err);
			if (rc == KW_ROW)
				passed = strcmp(kw_stmt_column_text(q, 0, NULL), "pass") == 0;
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(q);
		if (rc)
			return rc;
		if (!passed) {
			*next = step_names[i];
			return 0;
		}
	}
	return 0;
}

/* The status of case id ("" when none). */
static int case_status(struct kw_conn *c, int64_t id, char out[16], struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	out[0] = '\0';
	int rc = kw_conn_prepare(c, "SELECT status FROM cases WHERE id = $1", &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW)
			kw_stmt_column_copy(q, 0, out, 16);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

static int decided(const char *status)
{
	return strcmp(status, "decided") == 0 || strcmp(status, "served") == 0;
}

struct step_job {
	int64_t cand, case_id, reexam;
	const json_t *body;
	char on[11];
};

static int state_set(struct kw_tx *tx, int64_t cand, const char *action, const char *state,
                     const char *reason, int64_t case_id, struct kw_err *err)
{
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	return kw_audit_put(tx, err, "recruit_candidates", action,
	                    json_pack("{s:s, s:s?}", "state", state, "reason", reason), NULL,
	                    "UPDATE recruit_candidates SET state = $1, out_reason = $2, case_id = "
	                    "COALESCE($3, case_id), updated_at = $4 WHERE id = $5",
	                    "ttnti", state, reason, case_id, ts, cand);
}

/*
 * Whether candidate k may take step now (reexam: the one re-examination of a failed physical
 * exam). A candidate referred to a case waits on it: a dropped or revoked case lets them go on,
 * a decided one ends their process (resolved: the state it leaves them in, or NULL).
 */
static int step_allowed(struct kw_conn *c, const struct list *l, struct cand *k, const char *step,
                        int reexam, const char **resolved, struct kw_err *err)
{
	*resolved = NULL;
	int rc = 0;
	if (strcmp(k->state, "referred") == 0) {
		char st[16];
		rc = case_status(c, k->case_id, st, err);
		if (rc)
			return rc;
		if (strcmp(st, "dropped") == 0 || strcmp(st, "revoked") == 0) {
			*resolved = "selected";
		} else if (decided(st)) {
			*resolved = "out";
		} else {
			kw_err_set(err, KW_ECONFLICT, "RECRUIT_CASE_PENDING", "VIO-8",
			           "the candidate waits on the violation case");
			kw_err_detail(err, "case_id", json_integer(k->case_id));
			return KW_ECONFLICT;
		}
		snprintf(k->state, sizeof k->state, "%s", *resolved);
		if (strcmp(*resolved, "out") == 0)
			snprintf(k->out_reason, sizeof k->out_reason, "case");
	}
	if (reexam) {
		int64_t n = 0;
		if (strcmp(step, "physical_exam") != 0)
			return kw_err_invalid(err, "reexam", "physical_exam_only");
		if (strcmp(k->state, "out") != 0 || strcmp(k->out_reason, "physical_exam") != 0)
			return conflict(err, "RECRUIT_REEXAM_NOT_ALLOWED", "INT-6",
			                "a re-examination follows a failed physical exam only");
		rc = one(
		        c,
		        "SELECT COUNT(*) FROM recruit_steps WHERE candidate_id = $1 AND reexam = 1",
		        k->id, 0, &n, err);
		if (!rc && n)
			return conflict(
			        err, "RECRUIT_REEXAM_USED", "INT-6",
			        "the physical exam was re-examined once already; its result "
			        "stands");
		if (!rc)
			rc = one(c, "SELECT COUNT(*) FROM recruit_candidates WHERE replaces = $1",
			         k->id, 0, &n, err);
		if (!rc && n)
			return conflict(err, "RECRUIT_REPLACED", "INT-6",
			                "this candidate was already replaced");
		return rc;
	}
	if (strcmp(k->state, "out") == 0)
		return conflict(err, "RECRUIT_CANDIDATE_OUT", "INT-6",
		                "this candidate is out of the recruitment");
	if (strcmp(k->state, "selected") != 0)
		return conflict(err,
		                strcmp(k->state, "reserve") == 0 ||
		                                strcmp(k->state, "below_min") == 0
		                        ? "RECRUIT_NOT_SELECTED"
		                        : "RECRUIT_STEPS_DONE",
		                "INT-6", "this candidate does not take steps now");
	const char *next = NULL;
	rc = next_step(c, l, k->id, &next, err);
	if (!rc && (!next || strcmp(next, step) != 0)) {
		kw_err_set(err, KW_ECONFLICT, "RECRUIT_STEP_ORDER", "INT-6",
		           "the steps go physical exam, fitness test, psychological test, vetting "
		           "(those the position requires)");
		kw_err_detail(err, "expected", next ? json_string(next) : json_null());
		return KW_ECONFLICT;
	}
	return rc;
}

static int step_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	struct cand k;
	struct list l;
	const char *resolved = NULL;
	const char *step = jstr(j->body, "step"), *outcome = jstr(j->body, "outcome");
	int rc = cand_load(tx->conn, j->cand, &k, err);
	if (!rc)
		rc = list_load(tx->conn, k.list, &l, err);
	if (!rc)
		rc = step_allowed(tx->conn, &l, &k, step, (int)j->reexam, &resolved, err);
	if (rc && resolved && strcmp(resolved, "out") == 0) {
		/* the case was decided: the candidate's process ended (kept, then refused) */
		return rc;
	}
	if (rc)
		return rc;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	rc = kw_audit_put(tx, err, "recruit_steps", "recruit.step",
	                  json_pack("{s:I, s:s, s:s}", "candidate_id", (json_int_t)j->cand, "step",
	                            step, "outcome", outcome),
	                  NULL,
	                  "INSERT INTO recruit_steps (candidate_id, step, reexam, outcome, reason, "
	                  "on_date, case_id, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, "
	                  "$6, $7, $8, $9)",
	                  "ititttnit", j->cand, step, j->reexam, outcome, jstr(j->body, "reason"),
	                  j->on, j->case_id, tx->actor->id, ts);
	const char *state = "selected", *reason = NULL;
	if (strcmp(outcome, "pass") == 0) {
		const char *next = NULL;
		if (!rc)
			rc = next_step(tx->conn, &l, j->cand, &next, err);
		state = next ? "selected" : "passed";
	} else if (strcmp(outcome, "referred") == 0) {
		state = "referred";
	} else {
		state = "out";
		reason = strcmp(outcome, "fail") == 0 ? step : outcome;
	}
	if (!rc)
		rc = state_set(tx, j->cand, "recruit.candidate.state", state, reason, j->case_id,
		               err);
	return rc;
}

/* Records a decided case's end of the process (outside the refused step's transaction). */
static int resolve_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct cand *k = arg;
	return state_set(tx, k->id, "recruit.candidate.state", "out", "case", 0, err);
}

int kw_recruit_step(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                    struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("step", 20, KW_JREQUIRED), KW_JSTR("outcome", 20, KW_JREQUIRED),
	        KW_JSTR("reason", 1000, 0),        KW_JSTR("on", 10, 0),
	        {"reexam", KW_JBOOLEAN, 0, 0, 0},  {"case", KW_JOBJECT, 0, 0, 0},
	};
	static const char *const outcomes[] = {"pass",      "fail",     "absent",
	                                       "withdrawn", "referred", NULL};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *step = jstr(body, "step"), *outcome = jstr(body, "outcome");
	int oi = -1;
	for (int i = 0; outcomes[i]; i++)
		if (strcmp(outcome, outcomes[i]) == 0)
			oi = i;
	int si = step_index(step);
	if (si < 0)
		return kw_err_invalid(err, "step", "not_allowed");
	if (oi < 0)
		return kw_err_invalid(err, "outcome", "not_allowed");
	if ((oi == 1 || oi == 3) && !jstr(body, "reason"))
		return kw_err_invalid(err, "reason", "required");
	if (oi == 4 && !json_is_object(json_object_get(body, "case")))
		return kw_err_invalid(err, "case", "required");
	if (oi != 4 && json_object_get(body, "case"))
		return kw_err_invalid(err, "case", "not_allowed");
	struct step_job j = {
	        .cand = id, .body = body, .reexam = json_is_true(json_object_get(body, "reexam"))};
	int32_t d;
	if (jstr(body, "on")) {
		if (date_parse(jstr(body, "on"), &d) || d > today_of(kw_clock_now_us()))
			return kw_err_invalid(err, "on", "date");
	} else {
		d = today_of(kw_clock_now_us());
	}
	kw_cal_date_format(d, j.on);
	struct cand k;
	struct list l;
	rc = reach_cand(app, s, id, &k, &l, err);
	if (rc)
		return rc;
	/* the checks before a case is opened, so that a refused step opens none */
	const char *resolved = NULL;
	struct kw_conn *c = kw_pool_get(app->pool);
	rc = step_allowed(c, &l, &k, step, (int)j.reexam, &resolved, err);
	kw_pool_put(app->pool, c);
	if (resolved && strcmp(resolved, "out") == 0) {
		struct kw_err e2 = {0};
		kw_writer_run(app->writer, resolve_write, &k, actor, &e2);
		kw_err_release(&e2);
	}
	if (rc)
		return rc;
	if (oi == 4) {
		/* VH 10-12: the violations workflow takes the matter (cases.h), with the stage */
		const json_t *cb = json_object_get(body, "case");
		char ref[64];
		snprintf(ref, sizeof ref, "recruit:%lld:%s", (long long)id, step);
		json_t *open =
		        json_pack("{s:I, s:s, s:s, s:s}", "registration_id", (json_int_t)k.reg,
		                  "source", "report", "source_ref", ref, "stage", case_stage[si]);
		const char *k2[] = {"facts", "occurred_at", "place", "actions_taken", "entry_id"};
		for (size_t i = 0; i < 5; i++)
			if (json_object_get(cb, k2[i]))
				json_object_set(open, k2[i], json_object_get(cb, k2[i]));
		json_t *kase = NULL;
		rc = kw_case_open(app, actor, s, open, &kase, err);
		json_decref(open);
		if (!rc)
			j.case_id = json_integer_value(json_object_get(kase, "id"));
		json_decref(kase);
		if (rc)
			return rc;
	}
	rc = kw_writer_run(app->writer, step_write, &j, actor, err);
	return rc ? rc : answer(app, k.list, out, err);
}

/* ---- replacements (递补) ---- */

struct replace_job {
	int64_t list, cand, chosen;
};

static int replace_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct replace_job *j = arg;
	struct list l;
	struct cand k;
	int rc = list_load(tx->conn, j->list, &l, err);
	if (!rc)
		rc = cand_load(tx->conn, j->cand, &k, err);
	if (!rc && k.list != l.id)
		return kw_err_invalid(err, "candidate_id", "not_on_list");
	if (!rc && strcmp(k.state, "out") != 0)
		return conflict(err, "RECRUIT_NOT_OUT", "INT-6",
		                "a replacement is for a candidate who failed, withdrew or gave up");
	int64_t n = 0;
	if (!rc)
		rc = one(tx->conn, "SELECT COUNT(*) FROM recruit_candidates WHERE replaces = $1",
		         k.id, 0, &n, err);
	if (!rc && n)
		return conflict(err, "RECRUIT_REPLACED", "INT-6",
		                "this candidate was already replaced");
	if (!rc && l.used >= l.rounds) {
		kw_err_set(err, KW_ECONFLICT, "RECRUIT_REPLACEMENT_LIMIT", "INT-6",
		           "the exam's rules allow no further replacement for this position");
		kw_err_detail(err, "rounds", json_integer(l.rounds));
		return KW_ECONFLICT;
	}
	if (!rc)
		rc = one(tx->conn,
		         "SELECT id FROM recruit_candidates WHERE list_id = $1 AND state = "
		         "'reserve' "
		         "ORDER BY place LIMIT 1",
		         l.id, 0, &j->chosen, err);
	if (!rc && !j->chosen)
		return conflict(err, "RECRUIT_NO_RESERVE", "INT-6",
		                "no interviewed and qualified candidate is left to replace");
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "recruit_candidates", "recruit.replace",
		        json_pack("{s:I}", "for", (json_int_t)k.id), NULL,
		        "UPDATE recruit_candidates SET state = 'selected', replaces = $1, "
		        "updated_at = $2 WHERE id = $3",
		        "iti", k.id, ts, j->chosen);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "recruit_lists", "recruit.replace", NULL, NULL,
		        "UPDATE recruit_lists SET rounds_used = rounds_used + 1, updated_at "
		        "= $1 WHERE id = $2",
		        "ti", ts, l.id);
	return rc;
}

int kw_recruit_replace(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, const json_t *body,
                       json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        {"candidate_id", KW_JINTEGER, KW_JREQUIRED, 1, INT32_MAX},
	};
	int rc = kw_json_check(body, shape, 1, err);
	struct list l;
	if (!rc)
		rc = reach(app, s, "interview.manage", id, &l, err);
	struct replace_job j = {id, json_integer_value(json_object_get(body, "candidate_id")), 0};
	if (!rc)
		rc = kw_writer_run(app->writer, replace_write, &j, actor, err);
	if (!rc)
		rc = answer(app, id, out, err);
	if (!rc)
		json_object_set_new(*out, "replacement_id", json_integer(j.chosen));
	return rc;
}

/* ---- the public notice (公示) ---- */

struct notice_job {
	int64_t list, id;
	const struct kw_session_info *s;
};

static int notice_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct notice_job *j = arg;
	int64_t n = 0;
	int rc = one(tx->conn,
	             "SELECT COUNT(*) FROM recruit_candidates WHERE list_id = $1 AND state IN "
	             "('selected', 'referred')",
	             j->list, 0, &n, err);
	if (!rc && n) {
		kw_err_set(err, KW_ECONFLICT, "RECRUIT_STEPS_PENDING", "INT-6",
		           "candidates of this position are still in their steps");
		kw_err_detail(err, "pending", json_integer(n));
		return KW_ECONFLICT;
	}
	if (!rc)
		rc = one(tx->conn,
		         "SELECT COUNT(*) FROM recruit_notices WHERE list_id = $1 AND status = "
		         "'pending'",
		         j->list, 0, &n, err);
	if (!rc && n)
		return conflict(err, "RECRUIT_NOTICE_PENDING", NULL,
		                "a notice of this position waits for approval");
	struct kw_stmt *q = NULL;
	json_t *entries = json_array();
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT k.id, d.name, d.id_number, k.ticket_no, p.code, p.name, k.written, "
		        "k.interview, k.composite, u.name FROM recruit_candidates k JOIN "
		        "recruit_lists l ON l.id = k.list_id JOIN positions p ON p.id = "
		        "l.position_id "
		        "JOIN units u ON u.id = p.recruiter_id JOIN registrations r ON r.id = "
		        "k.registration_id JOIN candidates d ON d.id = r.candidate_id WHERE "
		        "k.list_id "
		        "= $1 AND k.state = 'passed' ORDER BY k.place",
		        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->list);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			const char *idn = kw_stmt_column_text(q, 2, NULL);
			char masked[64], sc[3][24];
			kw_mask_id_number(idn, masked, sizeof masked);
			size_t len = strlen(idn);
			/* the 17th character of a resident ID: odd for a man */
			const char *gender = len == 18 && idn[16] >= '0' && idn[16] <= '9'
			                             ? ((idn[16] - '0') % 2 ? "男" : "女")
			                             : "";
			for (int i = 0; i < 3; i++)
				kw_score_fmt((int32_t)kw_stmt_column_int64(q, 6 + i), sc[i],
				             sizeof sc[i]);
			json_array_append_new(
			        entries,
			        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			                  "candidate_id", (json_int_t)kw_stmt_column_int64(q, 0),
			                  "name", kw_stmt_column_text(q, 1, NULL), "gender", gender,
			                  "id_number", masked, "ticket_no",
			                  kw_stmt_column_text(q, 3, NULL), "position_code",
			                  kw_stmt_column_text(q, 4, NULL), "position_name",
			                  kw_stmt_column_text(q, 5, NULL), "written", sc[0],
			                  "interview", sc[1], "composite", sc[2], "recruiter",
			                  kw_stmt_column_text(q, 9, NULL)));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !json_array_size(entries))
		rc = conflict(err, "RECRUIT_NOTICE_EMPTY", "INT-6",
		              "no candidate of this position has passed every step");
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	char *text = rc ? NULL : json_dumps(entries, JSON_COMPACT);
	if (!rc)
		rc = kw_audit_put(tx, err, "recruit_notices", "recruit.notice.make",
		                  json_pack("{s:I}", "list_id", (json_int_t)j->list), &j->id,
		                  "INSERT INTO recruit_notices (list_id, status, entries, made_by, "
		                  "created_at, updated_at) VALUES ($1, 'pending', $2, $3, $4, $4)",
		                  "itit", j->list, text, tx->actor->id, ts);
	free(text);
	json_decref(entries);
	return rc;
}

int kw_recruit_notice_make(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, json_t **out,
                           struct kw_err *err)
{
	struct list l;
	int rc = reach(app, s, "interview.manage", id, &l, err);
	struct notice_job j = {id, 0, s};
	if (!rc)
		rc = kw_writer_run(app->writer, notice_write, &j, actor, err);
	if (!rc)
		rc = answer(app, id, out, err);
	if (!rc)
		json_object_set_new(*out, "notice_id", json_integer(j.id));
	return rc;
}

struct notice_row {
	int64_t id, list, made_by;
	char status[16], starts[11], ends[11];
};

static int notice_load(struct kw_conn *c, int64_t id, struct notice_row *n, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	memset(n, 0, sizeof *n);
	int rc = kw_conn_prepare(c,
	                         "SELECT id, list_id, made_by, status, starts_on, ends_on FROM "
	                         "recruit_notices WHERE id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW) {
			n->id = kw_stmt_column_int64(q, 0);
			n->list = kw_stmt_column_int64(q, 1);
			n->made_by = kw_stmt_column_int64(q, 2);
			kw_stmt_column_copy(q, 3, n->status, sizeof n->status);
			kw_stmt_column_copy(q, 4, n->starts, sizeof n->starts);
			kw_stmt_column_copy(q, 5, n->ends, sizeof n->ends);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !n->id)
		rc = kw_err_not_found(err, "notice");
	return rc;
}

struct approve_job {
	int64_t id, list;
};

static int approve_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct approve_job *j = arg;
	struct notice_row n;
	struct list l;
	int rc = notice_load(tx->conn, j->id, &n, err);
	if (!rc)
		rc = list_load(tx->conn, n.list, &l, err);
	if (rc)
		return rc;
	if (strcmp(n.status, "pending") != 0)
		return conflict(err, "RECRUIT_NOTICE_STATE", NULL, "this notice is not pending");
	if (n.made_by == tx->actor->id)
		return kw_err_set(err, KW_EFORBIDDEN, "SELF_APPROVAL", "INF-4",
		                  "the notice is published by another person than its maker");
	/* the period: the day of publication, then notice_workdays working days (DL-1) */
	int32_t start = today_of(tx->now_us), end = 0;
	rc = kw_cal_add_workdays(kw_calendar_default(), start, (int)l.workdays, &end, err);
	if (rc)
		return rc;
	char s1[11], s2[11], ts[32];
	kw_cal_date_format(start, s1);
	kw_cal_date_format(end, s2);
	kw_clock_format(tx->now_us, ts);
	rc = kw_audit_put(tx, err, "recruit_notices", "recruit.notice.publish",
	                  json_pack("{s:s}", "ends_on", s2), NULL,
	                  "UPDATE recruit_notices SET status = 'published', approved_by = $1, "
	                  "starts_on = $2, ends_on = $3, published_at = $4, updated_at = $4 WHERE "
	                  "id = $5",
	                  "ittti", tx->actor->id, s1, s2, ts, j->id);
	json_t *e = NULL;
	struct kw_stmt *q = NULL;
	json_t *ids = json_array();
	if (!rc)
		rc = kw_conn_prepare(tx->conn, "SELECT entries FROM recruit_notices WHERE id = $1",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW)
			e = json_loads(kw_stmt_column_text(q, 0, NULL), 0, NULL);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	size_t i;
	json_t *x;
	json_array_foreach(e, i, x)
	{
		if (!rc)
			rc = kw_audit_put(
			        tx, err, "recruit_candidates", "recruit.candidate.state",
			        json_pack("{s:s}", "state", "notice"), NULL,
			        "UPDATE recruit_candidates SET state = 'notice', notice_id = "
			        "$1, updated_at = $2 WHERE id = $3 AND state = 'passed'",
			        "iti", j->id, ts,
			        (int64_t)json_integer_value(json_object_get(x, "candidate_id")));
	}
	json_decref(ids);
	json_decref(e);
	j->list = n.list;
	return rc;
}

int kw_recruit_notice_approve(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t id, json_t **out,
                              struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct notice_row n;
	int rc = notice_load(c, id, &n, err);
	kw_pool_put(app->pool, c);
	struct list l;
	if (!rc)
		rc = reach(app, s, "interview.manage", n.list, &l, err);
	struct approve_job j = {id, 0};
	if (!rc)
		rc = kw_writer_run(app->writer, approve_write, &j, actor, err);
	return rc ? rc : answer(app, n.list, out, err);
}

/* The published notices with what the public sees of them; the caller adds the condition. */
#define PUBLIC_NOTICES                                                                             \
	"SELECT n.id, e.code, e.name, p.code, p.name, u.name, n.starts_on, n.ends_on, "            \
	"n.published_at, n.entries, o.name FROM recruit_notices n JOIN recruit_lists l ON l.id "   \
	"= n.list_id JOIN exams e ON e.id = l.exam_id JOIN positions p ON p.id = "                 \
	"l.position_id JOIN units u ON u.id = p.recruiter_id JOIN units o ON o.id = "              \
	"e.unit_id WHERE n.status = 'published' AND "

/* The published notices as anyone reads them, into a: notice id's (by_exam 0) or those of exam
 * id, newest first; each with its exam, position, recruiter, organiser and period, and its
 * entries as published (masked identity numbers) less the candidate ids. A notice not yet
 * approved is not there. */
static int public_notices(struct kw_conn *c, int by_exam, int64_t id, json_t *a, struct kw_err *err)
{
	static const struct col cols[] = {
	        {"id", 'i'},
	        {"exam_code", 't'},
	        {"exam_name", 't'},
	        {"position_code", 't'},
	        {"position_name", 't'},
	        {"recruiter", 't'},
	        {"starts_on", 't'},
	        {"ends_on", 't'},
	        {"published_at", 't'},
	        {"entries", 'j'},
	        {"organiser", 't'},
	};
	int64_t b[1] = {id};
	int rc = rows(c,
	              by_exam ? PUBLIC_NOTICES
	                      "l.exam_id = $1 ORDER BY n.published_at DESC, n.id DESC"
	                      : PUBLIC_NOTICES "n.id = $1",
	              b, 1, cols, N(cols), a, err);
	size_t i, j;
	json_t *o, *x;
	json_array_foreach(a, i, o)
	{
		json_array_foreach(json_object_get(o, "entries"), j, x)
		        json_object_del(x, "candidate_id");
	}
	return rc;
}

int kw_recruit_notice_public(struct kw_app *app, int64_t id, json_t **out, struct kw_buf *pdf,
                             struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *a = json_array();
	int rc = public_notices(c, 0, id, a, err);
	kw_pool_put(app->pool, c);
	if (!rc && !json_array_size(a))
		rc = kw_err_not_found(err, "notice");
	json_t *o = rc ? NULL : json_incref(json_array_get(a, 0));
	json_decref(a);
	if (rc)
		return rc;
	if (pdf) {
		rc = kw_recruit_notice_pdf_isolated(o, pdf, err);
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int kw_recruit_exam_notices(struct kw_app *app, int64_t exam, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	json_t *a = json_array();
	int rc = kw_exam_ref_public(c, exam, &e, err);
	if (!rc)
		rc = public_notices(c, 1, exam, a, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:{s:I, s:s, s:s}, s:o}", "exam", "id", (json_int_t)e.id, "code", e.code,
	                 "name", e.name, "items", a);
	return 0;
}

/* ---- objections ---- */

struct objection_job {
	int64_t notice, cand, id;
	const json_t *body;
	char on[11];
};

static int objection_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct objection_job *j = arg;
	struct notice_row n;
	struct cand k;
	int rc = notice_load(tx->conn, j->notice, &n, err);
	if (!rc && strcmp(n.status, "published") != 0)
		return conflict(err, "RECRUIT_NOTICE_STATE", NULL, "this notice is not published");
	if (!rc && (strcmp(j->on, n.starts) < 0 || strcmp(j->on, n.ends) > 0)) {
		kw_err_set(err, KW_ECONFLICT, "RECRUIT_NOTICE_CLOSED", "INT-6",
		           "objections are taken during the notice period");
		kw_err_detail(err, "ends_on", json_string(n.ends));
		return KW_ECONFLICT;
	}
	if (!rc)
		rc = cand_load(tx->conn, j->cand, &k, err);
	if (!rc && k.notice != n.id)
		return kw_err_invalid(err, "candidate_id", "not_on_notice");
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	if (!rc)
		rc = kw_audit_put(tx, err, "recruit_objections", "recruit.objection",
		                  json_pack("{s:I}", "notice_id", (json_int_t)n.id), &j->id,
		                  "INSERT INTO recruit_objections (notice_id, candidate_id, "
		                  "received_on, objector, text, status, created_at, updated_at) "
		                  "VALUES ($1, $2, $3, $4, $5, 'open', $6, $6)",
		                  "iitttt", n.id, k.id, j->on, jstr(j->body, "objector"),
		                  jstr(j->body, "text"), ts);
	return rc;
}

int kw_recruit_objection_add(struct kw_app *app, const struct kw_actor *actor,
                             const struct kw_session_info *s, int64_t id, const json_t *body,
                             json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        {"candidate_id", KW_JINTEGER, KW_JREQUIRED, 1, INT32_MAX},
	        KW_JSTR("text", 2000, KW_JREQUIRED),
	        KW_JSTR("objector", 100, 0),
	        KW_JSTR("received_on", 10, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	struct objection_job j = {id, json_integer_value(json_object_get(body, "candidate_id")), 0,
	                          body, ""};
	int32_t d = today_of(kw_clock_now_us());
	if (jstr(body, "received_on") &&
	    (date_parse(jstr(body, "received_on"), &d) || d > today_of(kw_clock_now_us())))
		return kw_err_invalid(err, "received_on", "date");
	kw_cal_date_format(d, j.on);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct notice_row n;
	rc = notice_load(c, id, &n, err);
	kw_pool_put(app->pool, c);
	struct list l;
	if (!rc)
		rc = reach(app, s, "interview.manage", n.list, &l, err);
	if (!rc)
		rc = kw_writer_run(app->writer, objection_write, &j, actor, err);
	if (!rc)
		rc = answer(app, n.list, out, err);
	if (!rc)
		json_object_set_new(*out, "objection_id", json_integer(j.id));
	return rc;
}

struct reply_job {
	int64_t id, list;
	const json_t *body;
};

static int reply_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct reply_job *j = arg;
	struct kw_stmt *q = NULL;
	int64_t cand = 0;
	char status[16] = "";
	int rc = kw_conn_prepare(
	        tx->conn, "SELECT candidate_id, status FROM recruit_objections WHERE id = $1", &q,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			cand = kw_stmt_column_int64(q, 0);
			kw_stmt_column_copy(q, 1, status, sizeof status);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !cand)
		return kw_err_not_found(err, "objection");
	if (!rc && strcmp(status, "open") != 0)
		return conflict(err, "RECRUIT_OBJECTION_REPLIED", NULL,
		                "this objection has its reply already");
	int sustained = json_is_true(json_object_get(j->body, "sustained"));
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "recruit_objections", "recruit.objection.reply",
		        json_pack("{s:b}", "sustained", sustained), NULL,
		        "UPDATE recruit_objections SET status = 'replied', reply = $1, "
		        "sustained = $2, replied_by = $3, replied_at = $4, updated_at = $4 "
		        "WHERE id = $5",
		        "tiiti", jstr(j->body, "reply"), (int64_t)sustained, tx->actor->id, ts,
		        j->id);
	if (!rc && sustained)
		rc = state_set(tx, cand, "recruit.candidate.state", "out", "objection", 0, err);
	return rc;
}

int kw_recruit_objection_reply(struct kw_app *app, const struct kw_actor *actor,
                               const struct kw_session_info *s, int64_t id, const json_t *body,
                               json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("reply", 2000, KW_JREQUIRED),
	        {"sustained", KW_JBOOLEAN, KW_JREQUIRED, 0, 0},
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t list = 0;
	rc = one(c,
	         "SELECT n.list_id FROM recruit_objections o JOIN recruit_notices n ON n.id = "
	         "o.notice_id WHERE o.id = $1",
	         id, 0, &list, err);
	kw_pool_put(app->pool, c);
	if (!rc && !list)
		rc = kw_err_not_found(err, "objection");
	struct list l;
	if (!rc)
		rc = reach(app, s, "interview.manage", list, &l, err);
	struct reply_job j = {id, list, body};
	if (!rc)
		rc = kw_writer_run(app->writer, reply_write, &j, actor, err);
	return rc ? rc : answer(app, list, out, err);
}

/* ---- appointment and probation ---- */

struct appoint_job {
	int64_t cand;
	int32_t on;
};

static int appoint_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct appoint_job *j = arg;
	struct cand k;
	struct list l;
	struct notice_row n;
	int rc = cand_load(tx->conn, j->cand, &k, err);
	if (!rc)
		rc = list_load(tx->conn, k.list, &l, err);
	if (rc)
		return rc;
	if (strcmp(k.state, "notice") != 0)
		return conflict(err,
		                strcmp(k.state, "out") == 0 ? "RECRUIT_CANDIDATE_OUT"
		                                            : "RECRUIT_NOT_ON_NOTICE",
		                "INT-6", "only a candidate on a published notice is appointed");
	rc = notice_load(tx->conn, k.notice, &n, err);
	int32_t ends = 0;
	if (!rc)
		date_parse(n.ends, &ends);
	if (!rc && (today_of(tx->now_us) <= ends || j->on <= ends)) {
		kw_err_set(err, KW_ECONFLICT, "RECRUIT_NOTICE_RUNNING", "INT-6",
		           "the appointment follows the end of the notice period");
		kw_err_detail(err, "ends_on", json_string(n.ends));
		return KW_ECONFLICT;
	}
	int64_t open = 0;
	if (!rc)
		rc = one(tx->conn,
		         "SELECT COUNT(*) FROM recruit_objections WHERE candidate_id = $1 AND "
		         "status = "
		         "'open'",
		         k.id, 0, &open, err);
	if (!rc && open)
		return conflict(err, "RECRUIT_OBJECTION_OPEN", "INT-6",
		                "an objection about this candidate has no reply yet");
	/* probation: probation_months from the appointment, to the day before the anniversary */
	struct kw_ymd y = kw_cal_ymd(j->on);
	int m = y.month - 1 + (int)l.months;
	int yy = y.year + m / 12, mm = m % 12 + 1;
	int dd = y.day > kw_cal_month_days(yy, mm) ? kw_cal_month_days(yy, mm) : y.day;
	int32_t pend = 0;
	if (!rc)
		rc = kw_cal_day_from_ymd(yy, mm, dd, &pend, err);
	char s1[11], s2[11], ts[32];
	kw_cal_date_format(j->on, s1);
	kw_cal_date_format(pend - 1, s2);
	kw_clock_format(tx->now_us, ts);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "recruit_candidates", "recruit.appoint",
		        json_pack("{s:s, s:s}", "appointed_on", s1, "probation_ends", s2), NULL,
		        "UPDATE recruit_candidates SET state = 'appointed', appointed_on = $1, "
		        "probation_ends = $2, updated_at = $3 WHERE id = $4",
		        "ttti", s1, s2, ts, k.id);
	return rc;
}

int kw_recruit_appoint(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, const json_t *body,
                       json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {KW_JSTR("appointed_on", 10, KW_JREQUIRED)};
	int rc = kw_json_check(body, shape, 1, err);
	struct appoint_job j = {id, 0};
	if (!rc && date_parse(jstr(body, "appointed_on"), &j.on))
		rc = kw_err_invalid(err, "appointed_on", "date");
	struct cand k;
	struct list l;
	if (!rc)
		rc = reach_cand(app, s, id, &k, &l, err);
	if (!rc)
		rc = kw_writer_run(app->writer, appoint_write, &j, actor, err);
	return rc ? rc : answer(app, k.list, out, err);
}

struct probation_job {
	int64_t cand, case_id;
	int cancel;
};

static int probation_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct probation_job *j = arg;
	struct cand k;
	int rc = cand_load(tx->conn, j->cand, &k, err);
	if (!rc && strcmp(k.state, "appointed") != 0)
		return conflict(err, "RECRUIT_NOT_APPOINTED", NULL,
		                "this candidate is not on probation");
	int32_t ends = 0;
	if (!rc && !j->cancel &&
	    (date_parse(k.probation_ends, &ends) || today_of(tx->now_us) < ends)) {
		kw_err_set(err, KW_ECONFLICT, "RECRUIT_PROBATION_RUNNING", "INT-6",
		           "probation is passed at its end");
		kw_err_detail(err, "probation_ends", json_string(k.probation_ends));
		return KW_ECONFLICT;
	}
	if (!rc)
		rc = state_set(tx, k.id, j->cancel ? "recruit.cancel" : "recruit.confirm",
		               j->cancel ? "cancelled" : "confirmed", j->cancel ? "case" : NULL,
		               j->case_id, err);
	return rc;
}

int kw_recruit_probation(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, const json_t *body,
                         json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("outcome", 20, KW_JREQUIRED),
	        {"case_id", KW_JINTEGER, 0, 1, INT32_MAX},
	        KW_JSTR("note", 2000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *outcome = jstr(body, "outcome");
	struct probation_job j = {id, json_integer_value(json_object_get(body, "case_id")), 0};
	if (strcmp(outcome, "cancelled") == 0)
		j.cancel = 1;
	else if (strcmp(outcome, "passed") != 0)
		return kw_err_invalid(err, "outcome", "not_allowed");
	if (j.cancel && !j.case_id)
		return kw_err_invalid(err, "case_id", "required");
	struct cand k;
	struct list l;
	rc = reach_cand(app, s, id, &k, &l, err);
	if (rc)
		return rc;
	if (strcmp(k.state, "appointed") != 0)
		return conflict(err, "RECRUIT_NOT_APPOINTED", NULL,
		                "this candidate is not on probation");
	if (j.cancel) {
		/* VH 14 (VIO-9): found during probation — the case decided, its penalty applied by
		 * the case, the recruitment cancelled as the case's recorded consequence */
		struct kw_conn *c = kw_pool_get(app->pool);
		int64_t reg = 0;
		char st[16] = "";
		rc = one(c, "SELECT registration_id FROM cases WHERE id = $1", j.case_id, 0, &reg,
		         err);
		if (!rc)
			rc = case_status(c, j.case_id, st, err);
		kw_pool_put(app->pool, c);
		if (!rc && reg != k.reg)
			return kw_err_invalid(err, "case_id", "other_candidate");
		if (!rc && !decided(st))
			return conflict(err, "RECRUIT_CASE_NOT_DECIDED", "VIO-9",
			                "a recruitment is cancelled through a decided case");
		char today[11];
		kw_cal_date_format(today_of(kw_clock_now_us()), today);
		json_t *cb = json_pack("{s:s, s:s, s:s}", "kind", "recruitment_cancelled", "to",
		                       "招录机关", "on", today);
		if (jstr(body, "note"))
			json_object_set_new(cb, "note", json_string(jstr(body, "note")));
		json_t *kase = NULL;
		if (!rc)
			rc = kw_case_step(app, actor, s, j.case_id, "consequence", cb, &kase, err);
		json_decref(cb);
		json_decref(kase);
	}
	if (!rc)
		rc = kw_writer_run(app->writer, probation_write, &j, actor, err);
	if (!rc)
		rc = answer(app, k.list, out, err);
	if (!rc && j.cancel) {
		char link[64];
		snprintf(link, sizeof link, "/api/v1/cases/%lld", (long long)j.case_id);
		json_object_set_new(*out, "case_link", json_string(link));
	}
	return rc;
}

/* ---- the candidate's view ---- */

int kw_recruit_mine(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                    struct kw_err *err)
{
	if (!s->candidate_id)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "for candidates");
	static const struct col cols[] = {
	        {"registration_id", 'i'}, {"exam_name", 't'},
	        {"position_code", 't'},   {"position_name", 't'},
	        {"shortlist_state", 't'}, {"shortlist_published_at", 't'},
	        {"interview_day", 't'},   {"results_published_at", 't'},
	        {"interview", 's'},       {"composite", 's'},
	        {"recruit_id", 'i'},      {"state", 't'},
	        {"out_reason", 't'},      {"notice_starts_on", 't'},
	        {"notice_ends_on", 't'},  {"appointed_on", 't'},
	        {"probation_ends", 't'},
	};
	json_t *items = json_array();
	int64_t b[1] = {s->candidate_id};
	struct kw_conn *c = kw_pool_get(app->pool);
	/* the interview score and composite only once the position's results are published */
	int rc =
	        rows(c,
	             "SELECT r.id, e.name, p.code, p.name, se.state, sl.published_at, d.day, "
	             "pb.published_at, CASE WHEN pb.id IS NULL THEN NULL ELSE ic.score END, CASE "
	             "WHEN pb.id IS NULL THEN NULL ELSE ic.composite END, k.id, k.state, "
	             "k.out_reason, n.starts_on, n.ends_on, k.appointed_on, k.probation_ends FROM "
	             "registrations r JOIN exams e ON e.id = r.exam_id JOIN "
	             "interview_shortlist_entries se ON se.registration_id = r.id JOIN "
	             "interview_shortlists sl ON sl.id = se.shortlist_id AND sl.status = "
	             "'published' JOIN positions p ON p.id = sl.position_id LEFT JOIN "
	             "interview_candidates ic ON ic.registration_id = r.id LEFT JOIN "
	             "interview_day_panels dp ON dp.panel_id = ic.panel_id LEFT JOIN "
	             "interview_days d ON d.id = dp.day_id LEFT JOIN "
	             "interview_result_publications pb ON pb.shortlist_id = sl.id LEFT JOIN "
	             "recruit_candidates k ON k.registration_id = r.id LEFT JOIN recruit_notices n "
	             "ON n.id = k.notice_id AND n.status = 'published' WHERE r.candidate_id = $1 "
	             "ORDER BY r.id",
	             b, 1, cols, N(cols), items, err);
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x)
	{
		json_t *steps = json_array();
		json_int_t kid = json_integer_value(json_object_get(x, "recruit_id"));
		static const struct col sc[] = {{"step", 't'},
		                                {"reexam", 'b'},
		                                {"outcome", 't'},
		                                {"reason", 't'},
		                                {"on", 't'}};
		int64_t kb[1] = {kid};
		/* a referral shows as such; the case's facts are the case's own page's */
		if (!rc && kid)
			rc = rows(
			        c,
			        "SELECT step, reexam, outcome, CASE WHEN outcome = 'referred' THEN "
			        "NULL ELSE reason END, on_date FROM recruit_steps WHERE "
			        "candidate_id = $1 ORDER BY id",
			        kb, 1, sc, N(sc), steps, err);
		json_object_set_new(x, "steps", steps);
		json_object_del(x, "recruit_id");
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}
