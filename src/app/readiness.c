/* A centre's readiness before it may open (see readiness.h; VEN-6, VEN-4). */
#include "app/readiness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/authz.h"
#include "app/records.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/memo.h"

#define LIMIT_DEFAULT 100
#define LIMIT_MAX     1000

/* An agreement's or an inspection's state as of the first day, worst first. */
enum { A_MISSING = 0, A_LATE, A_EXPIRED, A_OK };
enum { I_NONE = 0, I_FAILED, I_NOT_CORRECTED, I_OK };

struct rroom {
	int64_t id, centre;
	char code[48];
	int state; /* -1: no inspection of its own; else I_* */
};

struct rcentre {
	int64_t id, unit;
	char code[64], name[256];
	int cbt, rooms;
	int agr[2]; /* agreement, safety_letter: A_* */
	int insp;   /* the centre inspection: I_* */
	int sealed; /* the sealed-environment check: I_* */
	int64_t blocked;
	json_t *missing;
};

struct rset {
	char day[11];
	int64_t run;
	struct rcentre *c;
	size_t nc;
	struct rroom *r;
	size_t nr;
};

static void rset_release(struct rset *x)
{
	for (size_t i = 0; i < x->nc; i++)
		json_decref(x->c[i].missing);
	free(x->c);
	free(x->r);
	memset(x, 0, sizeof *x);
}

static int by_id(const void *k, const void *e)
{
	int64_t a = *(const int64_t *)k, b = *(const int64_t *)e;
	return a < b ? -1 : a > b;
}

static struct rcentre *centre_of(struct rset *x, int64_t id)
{
	return x->nc ? bsearch(&id, x->c, x->nc, sizeof *x->c, by_id) : NULL;
}

static struct rroom *room_of(struct rset *x, int64_t id)
{
	return x->nr ? bsearch(&id, x->r, x->nr, sizeof *x->r, by_id) : NULL;
}

/* The exam's published run and first day; NOT_FOUND for an unknown exam. */
static int exam_load(struct kw_conn *c, int64_t exam, struct rset *x, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int found = 0;
	char exam_date[16] = "";
	int rc = kw_conn_prepare(c,
	                         "SELECT e.exam_date, (SELECT MAX(r.id) FROM seating_runs r WHERE "
	                         "r.exam_id = e.id AND r.status = 'published') FROM exams e WHERE "
	                         "e.id = $1",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			found = 1;
			if (!kw_stmt_column_is_null(s, 0))
				kw_stmt_column_copy(s, 0, exam_date, sizeof exam_date);
			x->run = kw_stmt_column_is_null(s, 1) ? 0 : kw_stmt_column_int64(s, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !found)
		return kw_err_not_found(err, "exam");
	int64_t first = 0;
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT starts_at FROM subjects WHERE exam_id = $1 AND starts_at "
		        "IS NOT NULL",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t t;
			if (kw_clock_parse(kw_stmt_column_text(s, 0, NULL), &t) == 0 &&
			    (!first || t < first))
				first = t;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (first)
		kw_clock_china_date(first, x->day);
	else
		snprintf(x->day, sizeof x->day, "%.10s", exam_date);
	return rc;
}

/* The state of an inspection result as of day. */
static int inspection_state(const char *result, const char *corrected_on, const char *day)
{
	if (strcmp(result, "passed") == 0)
		return I_OK;
	if (strcmp(result, "corrected") == 0)
		return corrected_on && strcmp(corrected_on, day) <= 0 ? I_OK : I_NOT_CORRECTED;
	return I_FAILED;
}

/* "x.centre_id IN (…)" and the optional one-centre filter of the facts' queries. */
/* The condition "col is a centre of run $1" (and, with only, "col = $2"). For one centre (a
 * check-in asks for each) one probe of exam_rooms' (run_id, centre_id) index: the IN list of
 * every centre of the run read a national run's 300,000 exam rooms per check-in (bench/
 * b_checkin.sh: 13 check-ins/s on SQLite). */
static void in_use(char *out, size_t n, const char *col, int64_t only)
{
	if (only)
		snprintf(out, n,
		         "%s = $2 AND EXISTS (SELECT 1 FROM exam_rooms x WHERE x.run_id = $1 AND "
		         "x.centre_id = %s)",
		         col, col);
	else
		snprintf(out, n, "%s IN (SELECT x.centre_id FROM exam_rooms x WHERE x.run_id = $1)",
		         col);
}

/*
 * Loads the centres of x->run (only: that one; reach: the WITH RECURSIVE reach CTE of the
 * caller, NULL for every centre) and their facts, and computes each one's missing reasons.
 */
static int load(struct kw_conn *c, struct rset *x, int64_t only, const char *reach,
                struct kw_err *err)
{
	char sql[1600], cond[300];
	struct kw_stmt *s = NULL;
	int np = only ? 2 : 1;
	size_t cap = 0;
	snprintf(sql, sizeof sql,
	         "%s SELECT c.id, c.unit_id, c.code, c.name, MAX(CASE WHEN m.mode = 'cbt' THEN 1 "
	         "ELSE 0 END), COUNT(DISTINCT x.room_id) FROM exam_rooms x JOIN centres c ON c.id "
	         "= x.centre_id JOIN rooms m ON m.id = x.room_id WHERE x.run_id = $1%s%s GROUP BY "
	         "c.id, c.unit_id, c.code, c.name ORDER BY c.id",
	         reach ? reach : "", only ? " AND c.id = $2" : "",
	         reach ? " AND c.unit_id IN (SELECT id FROM reach)" : "");
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, x->run);
		if (only)
			kw_stmt_bind_int64(s, 2, only);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (x->nc == cap) {
				cap = cap ? cap * 2 : 64;
				x->c = realloc(x->c, cap * sizeof *x->c);
				if (!x->c)
					abort();
			}
			struct rcentre *e = &x->c[x->nc++];
			memset(e, 0, sizeof *e);
			e->id = kw_stmt_column_int64(s, 0);
			e->unit = kw_stmt_column_int64(s, 1);
			kw_stmt_column_copy(s, 2, e->code, sizeof e->code);
			kw_stmt_column_copy(s, 3, e->name, sizeof e->name);
			e->cbt = (int)kw_stmt_column_int64(s, 4);
			e->rooms = (int)kw_stmt_column_int64(s, 5);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (rc || !x->nc)
		return rc;

	/* the rooms in use */
	cap = 0;
	s = NULL;
	snprintf(sql, sizeof sql,
	         "SELECT DISTINCT x.room_id, x.centre_id, m.code FROM exam_rooms x JOIN rooms m ON "
	         "m.id = x.room_id WHERE x.run_id = $1%s ORDER BY x.room_id",
	         only ? " AND x.centre_id = $2" : "");
	rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, x->run);
		if (only)
			kw_stmt_bind_int64(s, 2, only);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (x->nr == cap) {
				cap = cap ? cap * 2 : 64;
				x->r = realloc(x->r, cap * sizeof *x->r);
				if (!x->r)
					abort();
			}
			struct rroom *r = &x->r[x->nr++];
			r->id = kw_stmt_column_int64(s, 0);
			r->centre = kw_stmt_column_int64(s, 1);
			kw_stmt_column_copy(s, 2, r->code, sizeof r->code);
			r->state = -1;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);

	/* agreements and safety-responsibility letters */
	s = NULL;
	in_use(cond, sizeof cond, "a.centre_id", only);
	snprintf(sql, sizeof sql,
	         "SELECT a.centre_id, a.kind, a.signed_on, a.valid_until FROM centre_agreements a "
	         "WHERE %s",
	         cond);
	if (!rc)
		rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, x->run);
		if (only)
			kw_stmt_bind_int64(s, 2, only);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			struct rcentre *e = centre_of(x, kw_stmt_column_int64(s, 0));
			if (!e)
				continue;
			int k = strcmp(kw_stmt_column_text(s, 1, NULL), "safety_letter") == 0;
			const char *signed_on = kw_stmt_column_text(s, 2, NULL);
			const char *until = kw_stmt_column_is_null(s, 3)
			                            ? NULL
			                            : kw_stmt_column_text(s, 3, NULL);
			int st = strcmp(signed_on, x->day) > 0        ? A_LATE
			         : until && strcmp(until, x->day) < 0 ? A_EXPIRED
			                                              : A_OK;
			if (st > e->agr[k])
				e->agr[k] = st;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);

	/* inspections made on or before the first day, oldest first: the latest one decides */
	s = NULL;
	in_use(cond, sizeof cond, "i.centre_id", only);
	snprintf(sql, sizeof sql,
	         "SELECT i.centre_id, i.room_id, i.result, i.sealed_environment, i.corrected_on "
	         "FROM inspections i WHERE %s AND i.inspected_on <= $%d ORDER BY i.centre_id, "
	         "i.inspected_on, i.id",
	         cond, np + 1);
	if (!rc)
		rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, x->run);
		if (only)
			kw_stmt_bind_int64(s, 2, only);
		kw_stmt_bind_textz(s, np + 1, x->day);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			struct rcentre *e = centre_of(x, kw_stmt_column_int64(s, 0));
			if (!e)
				continue;
			int st = inspection_state(kw_stmt_column_text(s, 2, NULL),
			                          kw_stmt_column_is_null(s, 4)
			                                  ? NULL
			                                  : kw_stmt_column_text(s, 4, NULL),
			                          x->day);
			if (kw_stmt_column_is_null(s, 1)) {
				e->insp = st;
			} else {
				struct rroom *r = room_of(x, kw_stmt_column_int64(s, 1));
				if (r && r->centre == e->id)
					r->state = st;
			}
			if (kw_stmt_column_int64(s, 3))
				e->sealed = st;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);

	/* VEN-4: major incidents without their rectification */
	s = NULL;
	in_use(cond, sizeof cond, "i.centre_id", only);
	snprintf(sql, sizeof sql,
	         "SELECT i.centre_id, COUNT(*) FROM incidents i WHERE %s AND i.major = 1 AND "
	         "i.rectified_on IS NULL GROUP BY i.centre_id",
	         cond);
	if (!rc)
		rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, x->run);
		if (only)
			kw_stmt_bind_int64(s, 2, only);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			struct rcentre *e = centre_of(x, kw_stmt_column_int64(s, 0));
			if (e)
				e->blocked = kw_stmt_column_int64(s, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static void reason(json_t *a, const char *code, const char *rule, const char *zh, const char *en)
{
	json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "code", code, "rule", rule, "zh",
	                                   zh, "en", en));
}

/* Fills e->missing. */
static void judge(const struct rset *x, struct rcentre *e)
{
	static const struct {
		const char *key, *zh, *en;
	} docs[2] = {{"agreement", "考点协议", "agreement"},
	             {"safety_letter", "安全责任书", "safety-responsibility letter"}};
	json_t *m = json_array();
	char code[48], zh[300], en[300];
	for (int k = 0; k < 2; k++) {
		if (e->agr[k] == A_OK)
			continue;
		const char *what = e->agr[k] == A_MISSING ? "missing"
		                   : e->agr[k] == A_LATE  ? "late"
		                                          : "expired";
		snprintf(code, sizeof code, "%s_%s", docs[k].key, what);
		if (e->agr[k] == A_MISSING) {
			snprintf(zh, sizeof zh, "未与考点签订%s", docs[k].zh);
			snprintf(en, sizeof en, "No %s signed with the centre", docs[k].en);
		} else if (e->agr[k] == A_LATE) {
			snprintf(zh, sizeof zh, "%s签订日期晚于首场考试日（%s）", docs[k].zh,
			         x->day);
			snprintf(en, sizeof en, "The %s is signed after the first exam day (%s)",
			         docs[k].en, x->day);
		} else {
			snprintf(zh, sizeof zh, "%s在首场考试日（%s）已过有效期", docs[k].zh,
			         x->day);
			snprintf(en, sizeof en,
			         "The %s is no longer valid on the first exam day (%s)", docs[k].en,
			         x->day);
		}
		reason(m, code, "VEN-6", zh, en);
	}
	if (e->insp == I_NONE)
		reason(m, "inspection_missing", "VEN-6", "考点未经检查验收",
		       "The centre has not been inspected and accepted");
	else if (e->insp == I_FAILED)
		reason(m, "inspection_failed", "VEN-6", "考点检查验收不合格，尚未整改",
		       "The centre failed its inspection and is not corrected");
	else if (e->insp == I_NOT_CORRECTED)
		reason(m, "inspection_not_corrected", "VEN-6",
		       "考点检查发现的问题未在首场考试日前整改完毕",
		       "The centre's inspection findings are not corrected by the first exam day");
	json_t *rooms = json_array();
	for (size_t i = 0; i < x->nr; i++) {
		const struct rroom *r = &x->r[i];
		if (r->centre != e->id || r->state < 0 || r->state == I_OK)
			continue;
		json_array_append_new(
		        rooms, json_pack("{s:I, s:s, s:s}", "room_id", (json_int_t)r->id, "code",
		                         r->code, "state",
		                         r->state == I_NOT_CORRECTED ? "not_corrected" : "failed"));
	}
	if (json_array_size(rooms)) {
		json_t *o = json_pack(
		        "{s:s, s:s, s:s, s:s, s:O}", "code", "room_inspection_failed", "rule",
		        "VEN-6", "zh", "考场检查验收不合格或未按期整改", "en",
		        "Rooms in use failed their inspection or are not corrected in time",
		        "rooms", rooms);
		json_array_append_new(m, o);
	}
	json_decref(rooms);
	if (e->cbt && e->sealed == I_NONE)
		reason(m, "sealed_check_missing", "VEN-6", "机考考点未经封闭环境检查",
		       "The CBT centre has no sealed-environment check");
	else if (e->cbt && e->sealed != I_OK)
		reason(m, "sealed_check_failed", "VEN-6", "机考考点封闭环境检查不合格或未按期整改",
		       "The CBT centre's sealed-environment check failed or is not corrected in "
		       "time");
	if (e->blocked)
		reason(m, "blocked", "VEN-4", "考点发生重大事故，整改尚未完成",
		       "A major incident happened at the centre and its rectification is not "
		       "complete");
	e->missing = m;
}

static json_t *centre_json(const struct rcentre *e)
{
	return json_pack("{s:I, s:s, s:s, s:b, s:i, s:b, s:O}", "centre_id", (json_int_t)e->id,
	                 "code", e->code, "name", e->name, "cbt", e->cbt, "rooms", e->rooms,
	                 "ready", json_array_size(e->missing) == 0, "missing", e->missing);
}

static int by_code(const void *a, const void *b)
{
	const struct rcentre *x = *(const struct rcentre *const *)a;
	const struct rcentre *y = *(const struct rcentre *const *)b;
	return strcmp(x->code, y->code);
}

static int has_reason(const json_t *missing, const char *code)
{
	size_t i;
	json_t *v;
	json_array_foreach(missing, i, v) if (strcmp(json_string_value(json_object_get(v, "code")),
	                                             code) == 0) return 1;
	return 0;
}

int kw_readiness_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const struct kw_readiness_query *q, json_t **out, struct kw_err *err)
{
	*out = NULL;
	int64_t limit = q->limit ? q->limit : LIMIT_DEFAULT;
	if (limit < 1 || limit > LIMIT_MAX)
		return kw_err_invalid(err, "limit", "range");
	struct rset x;
	memset(&x, 0, sizeof x);
	struct kw_buf reach = KW_BUF_INIT;
	kw_buf_init(&reach, 0);
	struct kw_conn *c = kw_pool_get(app->pool);
	int all = 0, none = 0;
	int rc = exam_load(c, exam, &x, err);
	if (!rc)
		rc = kw_rec_reach_sql(c, &reach, s, "readiness.read", &all, &none, err);
	if (!rc && !none && x.run)
		rc = load(c, &x, q->centre_id, all ? NULL : reach.buf, err);
	kw_pool_put(app->pool, c);
	kw_buf_release(&reach);
	if (rc) {
		rset_release(&x);
		return rc;
	}
	struct rcentre **v = calloc(x.nc ? x.nc : 1, sizeof *v);
	if (!v)
		abort();
	size_t nv = 0, ready = 0;
	json_t *reasons = json_object();
	for (size_t i = 0; i < x.nc; i++) {
		struct rcentre *e = &x.c[i];
		judge(&x, e);
		if (q->code && strncmp(e->code, q->code, strlen(q->code)) != 0)
			continue;
		size_t j;
		json_t *r;
		json_array_foreach(e->missing, j, r)
		{
			const char *k = json_string_value(json_object_get(r, "code"));
			json_object_set_new(
			        reasons, k,
			        json_integer(json_integer_value(json_object_get(reasons, k)) + 1));
		}
		int ok = json_array_size(e->missing) == 0;
		ready += ok;
		v[nv++] = e;
	}
	size_t total = nv, kept = 0;
	for (size_t i = 0; i < total; i++) {
		int ok = json_array_size(v[i]->missing) == 0;
		if (q->not_ready_only && ok)
			continue;
		if (q->reason && !has_reason(v[i]->missing, q->reason))
			continue;
		v[kept++] = v[i];
	}
	qsort(v, kept, sizeof *v, by_code);
	json_t *items = json_array();
	int64_t from = q->cursor, i = from;
	for (; i < (int64_t)kept && i < from + limit; i++)
		json_array_append_new(items, centre_json(v[i]));
	*out = json_pack("{s:I, s:o, s:s, s:{s:I, s:I, s:I, s:o}, s:I, s:o, s:o}", "exam_id",
	                 (json_int_t)exam, "run_id", x.run ? json_integer(x.run) : json_null(),
	                 "first_day", x.day, "totals", "centres", (json_int_t)total, "ready",
	                 (json_int_t)ready, "not_ready", (json_int_t)(total - ready), "reasons",
	                 reasons, "matching", (json_int_t)kept, "items", items, "next_cursor",
	                 i < (int64_t)kept ? json_integer(i) : json_null());
	free(v);
	rset_release(&x);
	return 0;
}

int kw_readiness_require(struct kw_memo *memo, struct kw_conn *c, int64_t exam, int64_t centre,
                         struct kw_err *err)
{
	/* a centre found ready is kept (util/memo.h) until a fact of it may have changed: every
	 * check-in asks, and a centre's facts change rarely that day */
	char key[64];
	int kn = snprintf(key, sizeof key, "ready:%lld:%lld", (long long)exam, (long long)centre);
	uint64_t gen = kw_facts_generation();
	int64_t at = kw_clock_now_us();
	unsigned char ready = 0;
	if (kw_memo_get(memo, key, (size_t)kn, gen, at, &ready, 1) && ready)
		return 0;
	struct rset x;
	memset(&x, 0, sizeof x);
	int rc = exam_load(c, exam, &x, err);
	if (!rc && x.run)
		rc = load(c, &x, centre, NULL, err);
	if (!rc && x.nc == 1) {
		struct rcentre *e = &x.c[0];
		judge(&x, e);
		size_t n = json_array_size(e->missing);
		if (n) {
			int only_blocked = n == 1 && has_reason(e->missing, "blocked");
			kw_err_set(err, KW_ERULE, "CENTRE_NOT_READY",
			           only_blocked ? "VEN-4" : "VEN-6",
			           "the centre is not ready to open: %zu item(s) missing", n);
			kw_err_detail(err, "centre", json_string(e->code));
			kw_err_detail(err, "centre_name", json_string(e->name));
			kw_err_detail(err, "first_day", json_string(x.day));
			kw_err_detail(err, "missing", json_incref(e->missing));
			rc = err->rc;
		}
	}
	rset_release(&x);
	if (!rc) {
		ready = 1;
		kw_memo_put(memo, key, (size_t)kn, gen, at, &ready, 1);
	}
	return rc;
}
