/* Duty rosters and duty logs (see duty.h; DAY-1, AH 45-46, PQ 27). */
#include "app/duty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/examday.h"
#include "app/records.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define HOUR_US       INT64_C(3600000000)
#define MINUTE_US     INT64_C(60000000)
#define MAX_SITTINGS  64
#define MAX_WINDOWS   64
#define SHIFT_MAX_H   48
#define LIMIT_DEFAULT 100
#define LIMIT_MAX     1000

static const char *const posts[] = {
        "chief_examiner", "deputy_chief_examiner", "duty_officer", "custodian", "security",
        "medical",        "system_admin",          "logistics",    "other",     NULL};
static const char *const log_kinds[] = {"event", "call", "action", "handover", "note", NULL};

static int one_of(const char *const *set, const char *v)
{
	for (int i = 0; v && set[i]; i++)
		if (strcmp(set[i], v) == 0)
			return 1;
	return 0;
}

/* ---- the exam, its sittings and the duty windows ---- */

struct sitting {
	char code[64];
	int64_t start, end;
};

struct dexam {
	int64_t id, run;
	int before_h, after_h;
	struct sitting sit[MAX_SITTINGS];
	size_t nsit;
};

struct win {
	char day[11];
	int64_t from, to;
};

static int exam_load(struct kw_conn *c, int64_t exam, struct dexam *e, struct kw_err *err)
{
	memset(e, 0, sizeof *e);
	struct kw_stmt *s = NULL;
	char ruleset[32] = "";
	int rc = kw_conn_prepare(c,
	                         "SELECT e.id, e.ruleset, (SELECT MAX(r.id) FROM seating_runs r "
	                         "WHERE r.exam_id = e.id AND r.status = 'published') FROM exams e "
	                         "WHERE e.id = $1",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			e->id = kw_stmt_column_int64(s, 0);
			if (!kw_stmt_column_is_null(s, 1))
				kw_stmt_column_copy(s, 1, ruleset, sizeof ruleset);
			e->run = kw_stmt_column_is_null(s, 2) ? 0 : kw_stmt_column_int64(s, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !e->id)
		return kw_err_not_found(err, "exam");
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT code, starts_at, duration_minutes FROM subjects WHERE "
		        "exam_id = $1 AND starts_at IS NOT NULL ORDER BY starts_at, code",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t t;
			if (e->nsit == MAX_SITTINGS ||
			    kw_clock_parse(kw_stmt_column_text(s, 1, NULL), &t) != 0)
				continue;
			struct sitting *x = &e->sit[e->nsit++];
			kw_stmt_column_copy(s, 0, x->code, sizeof x->code);
			x->start = t;
			x->end = t + kw_stmt_column_int64(s, 2) * MINUTE_US;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	json_t *p = NULL;
	if (kw_app_rule_params(ruleset[0] ? ruleset : "PQ", &p, NULL) != 0)
		p = NULL;
	e->before_h = kw_app_param_int(p, "duty_hours_before", 2);
	e->after_h = kw_app_param_int(p, "duty_hours_after", 2);
	json_decref(p);
	return rc;
}

/* The sittings (a bit each) held in exam rooms whose subjects are group. */
static uint64_t mask_of(const struct dexam *e, const char *group)
{
	uint64_t m = 0;
	for (size_t i = 0; i < e->nsit; i++)
		if (kw_subject_group_has(group, e->sit[i].code))
			m |= UINT64_C(1) << i;
	return m;
}

/* The duty windows of the sittings in mask, one per China date, in order; their number. */
static size_t windows_of(const struct dexam *e, uint64_t mask, struct win *w)
{
	size_t n = 0;
	for (size_t i = 0; i < e->nsit; i++) {
		if (!(mask & (UINT64_C(1) << i)))
			continue;
		char day[11];
		kw_clock_china_date(e->sit[i].start, day);
		int64_t from = e->sit[i].start - e->before_h * HOUR_US;
		int64_t to = e->sit[i].end + e->after_h * HOUR_US;
		size_t j = 0;
		while (j < n && strcmp(w[j].day, day) != 0)
			j++;
		if (j == n) {
			if (n == MAX_WINDOWS)
				continue;
			memcpy(w[n].day, day, sizeof day);
			w[n].from = from;
			w[n].to = to;
			n++;
		} else {
			if (from < w[j].from)
				w[j].from = from;
			if (to > w[j].to)
				w[j].to = to;
		}
	}
	return n; /* sittings are in start order: so are the days */
}

static json_t *window_json(const struct win *w)
{
	return json_pack("{s:s, s:o, s:o}", "day", w->day, "from", kw_json_time_china(w->from),
	                 "to", kw_json_time_china(w->to));
}

/* The centre `centre` of the exam's run: its unit and its sittings' mask; *found 0 when the
 * run does not use it. */
static int centre_load(struct kw_conn *c, const struct dexam *e, int64_t centre, int64_t *unit,
                       uint64_t *mask, int *found, struct kw_err *err)
{
	*found = 0;
	*mask = 0;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT DISTINCT c.unit_id, x.subjects FROM exam_rooms x JOIN "
	                         "centres c ON c.id = x.centre_id WHERE x.run_id = $1 AND "
	                         "x.centre_id = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, e->run);
		kw_stmt_bind_int64(s, 2, centre);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			*found = 1;
			*unit = kw_stmt_column_int64(s, 0);
			*mask |= mask_of(e, kw_stmt_column_text(s, 1, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static int unit_exists(struct kw_conn *c, int64_t unit, int *yes, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*yes = 0;
	int rc = kw_conn_prepare(c, "SELECT 1 FROM units WHERE id = $1", &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, unit);
		rc = kw_stmt_step(s, err);
		*yes = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The unit a shift or log entry names: body's centre_id (of the exam's run) or unit_id. 404
 * when it is not there or action does not reach it. *mask: the sittings whose windows apply. */
static int target(struct kw_conn *c, const struct kw_session_info *s, const struct dexam *e,
                  int64_t centre, int64_t unit_in, const char *action, int64_t *unit,
                  uint64_t *mask, struct kw_err *err)
{
	int found = 0, rc = 0;
	*unit = 0;
	if (centre) {
		rc = e->run ? centre_load(c, e, centre, unit, mask, &found, err) : 0;
		if (!rc && !found)
			return kw_err_not_found(err, "centre of this exam");
	} else {
		rc = unit_exists(c, unit_in, &found, err);
		if (!rc && !found)
			return kw_err_not_found(err, "unit");
		*unit = unit_in;
		*mask = e->nsit >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << e->nsit) - 1;
	}
	if (!rc)
		rc = kw_authz_check(c, s, action, *unit, err);
	if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
		kw_err_release(err);
		rc = kw_err_not_found(err, centre ? "centre of this exam" : "unit");
	}
	return rc;
}

/* body's centre_id / unit_id: exactly one. */
static int which(const json_t *body, int64_t *centre, int64_t *unit, struct kw_err *err)
{
	const json_t *c = json_object_get(body, "centre_id"), *u = json_object_get(body, "unit_id");
	*centre = json_integer_value(c);
	*unit = json_integer_value(u);
	if (!c == !u)
		return kw_err_invalid(err, c ? "unit_id" : "centre_id", "one_of_centre_id_unit_id");
	if ((c && *centre < 1) || (u && *unit < 1))
		return kw_err_invalid(err, c ? "centre_id" : "unit_id", "type");
	return 0;
}

/* ---- shifts ---- */

static const char shift_cols[] =
        "d.id, d.exam_id, d.unit_id, d.centre_id, d.staff_id, f.code, f.name, d.post, d.phone, "
        "d.starts_at, d.ends_at";

static json_t *shift_row(struct kw_stmt *s, int64_t *centre, int64_t *from, int64_t *to)
{
	int64_t a = 0, b = 0;
	kw_clock_parse(kw_stmt_column_text(s, 9, NULL), &a);
	kw_clock_parse(kw_stmt_column_text(s, 10, NULL), &b);
	if (centre)
		*centre = kw_stmt_column_is_null(s, 3) ? 0 : kw_stmt_column_int64(s, 3);
	if (from)
		*from = a;
	if (to)
		*to = b;
	return json_pack("{s:I, s:I, s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
	                 (json_int_t)kw_stmt_column_int64(s, 0), "exam_id",
	                 (json_int_t)kw_stmt_column_int64(s, 1), "unit_id",
	                 (json_int_t)kw_stmt_column_int64(s, 2), "centre_id",
	                 kw_stmt_column_is_null(s, 3) ? json_null()
	                                              : json_integer(kw_stmt_column_int64(s, 3)),
	                 "staff_id", (json_int_t)kw_stmt_column_int64(s, 4), "staff_code",
	                 kw_stmt_column_text(s, 5, NULL), "staff_name",
	                 kw_stmt_column_text(s, 6, NULL), "post", kw_stmt_column_text(s, 7, NULL),
	                 "phone", kw_stmt_column_text(s, 8, NULL), "starts_at",
	                 kw_json_time_china(a), "ends_at", kw_json_time_china(b));
}

static int shift_get(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	char sql[400];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM duty_shifts d JOIN staff f ON f.id = d.staff_id WHERE d.id = $1",
	         shift_cols);
	struct kw_stmt *s = NULL;
	*out = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*out = shift_row(s, NULL, NULL, NULL);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !*out)
		rc = kw_err_not_found(err, "shift");
	return rc;
}

/* A phone: 5..32 of digits, spaces, "+", "-", "(" and ")", with at least 5 digits. */
static int phone_ok(const char *p)
{
	size_t digits = 0, n = 0;
	for (; p[n]; n++) {
		if (p[n] >= '0' && p[n] <= '9')
			digits++;
		else if (!strchr(" +-()", p[n]))
			return 0;
	}
	return n <= 32 && digits >= 5;
}

struct shift_job {
	int64_t exam, unit, centre, staff, user;
	const char *post, *phone;
	char from[32], to[32];
	int64_t id;
};

static int shift_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct shift_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(
	        tx, err, "duty_shifts", "duty.shift.add",
	        json_pack("{s:s, s:I}", "post", j->post, "staff_id", (json_int_t)j->staff), &j->id,
	        "INSERT INTO duty_shifts (exam_id, unit_id, centre_id, staff_id, post, "
	        "phone, starts_at, ends_at, created_by, created_at) VALUES ($1, $2, $3, "
	        "$4, $5, $6, $7, $8, $9, $10)",
	        "iinittttit", j->exam, j->unit, j->centre, j->staff, j->post, j->phone, j->from,
	        j->to, j->user, now);
}

/* ORG-4: an active staff record that passed training (an examiner also its assessment; the
 * same test as kinds.c's "qualified"); *found 0 when there is none; *unit its unit. */
static int staff_state(struct kw_conn *c, int64_t id, int *found, int64_t *unit, int *active,
                       int *qualified, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*found = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT r.unit_id, r.status, CASE WHEN EXISTS (SELECT 1 FROM trainings t WHERE "
	        "t.staff_id = r.id AND t.result = 'passed' AND (r.post <> 'examiner' OR "
	        "t.assessment = 'passed')) THEN 1 ELSE 0 END FROM staff r WHERE r.id = $1",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*found = 1;
			*unit = kw_stmt_column_int64(s, 0);
			*active = strcmp(kw_stmt_column_text(s, 1, NULL), "active") == 0;
			*qualified = (int)kw_stmt_column_int64(s, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_duty_shift_add(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err)
{
	*out = NULL;
	static const struct kw_jfield shape[] = {
	        {"centre_id", KW_JINTEGER, 0, 0, 0},
	        {"unit_id", KW_JINTEGER, 0, 0, 0},
	        {"staff_id", KW_JINTEGER, KW_JREQUIRED, 0, 0},
	        KW_JSTR("post", 40, KW_JREQUIRED),
	        KW_JSTR("phone", 32, KW_JREQUIRED),
	        KW_JSTR("starts_at", 40, KW_JREQUIRED),
	        KW_JSTR("ends_at", 40, KW_JREQUIRED),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	int64_t centre = 0, unit_in = 0;
	if (!rc)
		rc = which(body, &centre, &unit_in, err);
	if (rc)
		return rc;
	struct shift_job j = {.exam = exam, .centre = centre, .user = s->user.id};
	j.staff = json_integer_value(json_object_get(body, "staff_id"));
	j.post = json_string_value(json_object_get(body, "post"));
	j.phone = json_string_value(json_object_get(body, "phone"));
	int64_t from = 0, to = 0;
	if (!one_of(posts, j.post))
		return kw_err_invalid(err, "post", "not_allowed");
	if (!phone_ok(j.phone))
		return kw_err_invalid(err, "phone", "type");
	if (kw_clock_parse(json_string_value(json_object_get(body, "starts_at")), &from) != 0)
		return kw_err_invalid(err, "starts_at", "type");
	if (kw_clock_parse(json_string_value(json_object_get(body, "ends_at")), &to) != 0)
		return kw_err_invalid(err, "ends_at", "type");
	if (to <= from)
		return kw_err_invalid(err, "ends_at", "before_start");
	if (to - from > SHIFT_MAX_H * HOUR_US)
		return kw_err_invalid(err, "ends_at", "range");
	kw_clock_format(from, j.from);
	kw_clock_format(to, j.to);

	struct kw_conn *c = kw_pool_get(app->pool);
	struct dexam e;
	uint64_t mask = 0;
	rc = exam_load(c, exam, &e, err);
	if (!rc)
		rc = target(c, s, &e, centre, unit_in, "duty.roster", &j.unit, &mask, err);
	int found = 0, active = 0, qualified = 0;
	int64_t staff_unit = 0;
	if (!rc)
		rc = staff_state(c, j.staff, &found, &staff_unit, &active, &qualified, err);
	if (!rc && found) {
		rc = kw_authz_check(c, s, "duty.roster", staff_unit, err);
		if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
			kw_err_release(err);
			rc = 0;
			found = 0;
		}
	}
	if (!rc && !found)
		rc = kw_err_not_found(err, "staff");
	if (!rc && (!active || !qualified)) {
		kw_err_set(err, KW_ERULE, "DUTY_NOT_QUALIFIED", "ORG-4",
		           "only active staff who passed training may be put on duty");
		kw_err_detail(err, "staff_id", json_integer(j.staff));
		kw_err_detail(err, "reason", json_string(!active ? "inactive" : "untrained"));
		rc = err->rc;
	}
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, shift_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = shift_get(c, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

/* ---- the roster ---- */

struct dshift {
	int64_t centre, from, to;
	json_t *json;
};

struct dcentre {
	int64_t id;
	char code[64], name[256];
	uint64_t mask;
	size_t first, n; /* its shifts in the sorted array */
	json_t *windows;
	int gaps;
};

static int dshift_cmp(const void *a, const void *b)
{
	const struct dshift *x = a, *y = b;
	if (x->centre != y->centre)
		return x->centre < y->centre ? -1 : 1;
	return x->from < y->from ? -1 : x->from > y->from;
}

static int dcentre_id(const void *k, const void *e)
{
	int64_t a = *(const int64_t *)k, b = ((const struct dcentre *)e)->id;
	return a < b ? -1 : a > b;
}

static int dcentre_code(const void *a, const void *b)
{
	const struct dcentre *x = *(const struct dcentre *const *)a;
	const struct dcentre *y = *(const struct dcentre *const *)b;
	return strcmp(x->code, y->code);
}

/* The windows of d with their gaps (what its shifts, sorted by start, leave uncovered). */
static void coverage(const struct dexam *e, struct dcentre *d, const struct dshift *sh)
{
	struct win w[MAX_WINDOWS];
	size_t nw = windows_of(e, d->mask, w);
	d->windows = json_array();
	for (size_t i = 0; i < nw; i++) {
		json_t *gaps = json_array();
		int64_t cur = w[i].from;
		for (size_t k = 0; k < d->n && cur < w[i].to; k++) {
			const struct dshift *x = &sh[d->first + k];
			if (x->to <= cur)
				continue;
			if (x->from > cur) {
				int64_t end = x->from < w[i].to ? x->from : w[i].to;
				json_array_append_new(gaps, json_pack("{s:o, s:o}", "from",
				                                      kw_json_time_china(cur), "to",
				                                      kw_json_time_china(end)));
			}
			if (x->to > cur)
				cur = x->to;
		}
		if (cur < w[i].to)
			json_array_append_new(gaps, json_pack("{s:o, s:o}", "from",
			                                      kw_json_time_china(cur), "to",
			                                      kw_json_time_china(w[i].to)));
		json_t *o = window_json(&w[i]);
		json_object_set_new(o, "covered", json_boolean(json_array_size(gaps) == 0));
		d->gaps += json_array_size(gaps) > 0;
		json_object_set_new(o, "gaps", gaps);
		json_array_append_new(d->windows, o);
	}
}

int kw_duty_roster(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                   const struct kw_duty_query *q, json_t **out, struct kw_err *err)
{
	*out = NULL;
	int64_t limit = q->limit ? q->limit : LIMIT_DEFAULT;
	if (limit < 1 || limit > LIMIT_MAX)
		return kw_err_invalid(err, "limit", "range");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct dexam e;
	struct kw_buf reach = KW_BUF_INIT;
	kw_buf_init(&reach, 0);
	int all = 0, none = 0;
	struct dcentre *d = NULL;
	size_t nd = 0, capd = 0;
	struct dshift *sh = NULL;
	size_t ns = 0, caps = 0;
	json_t *unit_shifts = json_array();
	int rc = exam_load(c, exam, &e, err);
	if (!rc)
		rc = kw_rec_reach_sql(c, &reach, s, "duty.read", &all, &none, err);
	const char *scope = !all ? " AND c.unit_id IN (SELECT id FROM reach)" : "";
	char sql[1400];
	struct kw_stmt *st = NULL;
	if (!rc && !none && e.run) {
		snprintf(sql, sizeof sql,
		         "%s SELECT DISTINCT c.id, c.code, c.name, x.subjects FROM exam_rooms x "
		         "JOIN "
		         "centres c ON c.id = x.centre_id WHERE x.run_id = $1%s%s ORDER BY c.id",
		         all ? "" : reach.buf, q->centre_id ? " AND c.id = $2" : "", scope);
		rc = kw_conn_prepare(c, sql, &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, e.run);
			if (q->centre_id)
				kw_stmt_bind_int64(st, 2, q->centre_id);
			while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
				int64_t id = kw_stmt_column_int64(st, 0);
				uint64_t m = mask_of(&e, kw_stmt_column_text(st, 3, NULL));
				if (nd && d[nd - 1].id == id) {
					d[nd - 1].mask |= m;
					continue;
				}
				if (nd == capd) {
					capd = capd ? capd * 2 : 64;
					d = realloc(d, capd * sizeof *d);
					if (!d)
						abort();
				}
				struct dcentre *x = &d[nd++];
				memset(x, 0, sizeof *x);
				x->id = id;
				kw_stmt_column_copy(st, 1, x->code, sizeof x->code);
				kw_stmt_column_copy(st, 2, x->name, sizeof x->name);
				x->mask = m;
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		st = NULL;
	}
	if (!rc && !none) {
		/* the shifts: of the centres above, and the agencies' that duty.read reaches */
		snprintf(sql, sizeof sql,
		         "%s SELECT %s FROM duty_shifts d JOIN staff f ON f.id = d.staff_id WHERE "
		         "d.exam_id = $1%s ORDER BY d.starts_at, d.id",
		         all ? "" : reach.buf, shift_cols,
		         all ? "" : " AND d.unit_id IN (SELECT id FROM reach)");
		rc = kw_conn_prepare(c, sql, &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, exam);
			while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
				struct dshift x;
				x.json = shift_row(st, &x.centre, &x.from, &x.to);
				if (!x.centre) {
					json_array_append_new(unit_shifts, x.json);
					continue;
				}
				if (!nd || !bsearch(&x.centre, d, nd, sizeof *d, dcentre_id)) {
					json_decref(x.json);
					continue;
				}
				if (ns == caps) {
					caps = caps ? caps * 2 : 64;
					sh = realloc(sh, caps * sizeof *sh);
					if (!sh)
						abort();
				}
				sh[ns++] = x;
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
	}
	kw_pool_put(app->pool, c);
	kw_buf_release(&reach);
	if (!rc) {
		if (ns)
			qsort(sh, ns, sizeof *sh, dshift_cmp);
		for (size_t i = 0; i < ns;) {
			struct dcentre *x = bsearch(&sh[i].centre, d, nd, sizeof *d, dcentre_id);
			size_t k = i;
			while (k < ns && sh[k].centre == sh[i].centre)
				k++;
			x->first = i;
			x->n = k - i;
			i = k;
		}
		struct dcentre **v = calloc(nd ? nd : 1, sizeof *v);
		if (!v)
			abort();
		size_t kept = 0, with_gaps = 0;
		for (size_t i = 0; i < nd; i++) {
			coverage(&e, &d[i], sh);
			with_gaps += d[i].gaps > 0;
			if (!q->gaps_only || d[i].gaps)
				v[kept++] = &d[i];
		}
		qsort(v, kept, sizeof *v, dcentre_code);
		json_t *items = json_array();
		int64_t i = q->cursor;
		for (; i < (int64_t)kept && i < q->cursor + limit; i++) {
			struct dcentre *x = v[i];
			json_t *shifts = json_array();
			for (size_t k = 0; k < x->n; k++)
				json_array_append(shifts, sh[x->first + k].json);
			json_array_append_new(
			        items, json_pack("{s:I, s:s, s:s, s:O, s:o}", "centre_id",
			                         (json_int_t)x->id, "code", x->code, "name",
			                         x->name, "windows", x->windows, "shifts", shifts));
		}
		*out = json_pack("{s:I, s:i, s:i, s:{s:I, s:I, s:I}, s:o, s:O, s:o}", "exam_id",
		                 (json_int_t)exam, "hours_before", e.before_h, "hours_after",
		                 e.after_h, "totals", "centres", (json_int_t)nd, "with_gaps",
		                 (json_int_t)with_gaps, "matching", (json_int_t)kept, "items",
		                 items, "unit_shifts", unit_shifts, "next_cursor",
		                 i < (int64_t)kept ? json_integer(i) : json_null());
		free(v);
	}
	for (size_t i = 0; i < ns; i++)
		json_decref(sh[i].json);
	for (size_t i = 0; i < nd; i++)
		json_decref(d[i].windows);
	free(sh);
	free(d);
	json_decref(unit_shifts);
	return rc;
}

/* ---- the log ---- */

static const char entry_cols[] =
        "g.id, g.exam_id, g.unit_id, g.centre_id, g.shift_id, g.staff_id, f.name, d.post, "
        "g.occurred_at, g.kind, g.content, g.action_taken, g.caller, g.written_by, "
        "g.created_at";

static json_t *entry_row(struct kw_stmt *s)
{
#define T(i) (kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL))
	int64_t at = 0, made = 0;
	kw_clock_parse(kw_stmt_column_text(s, 8, NULL), &at);
	kw_clock_parse(kw_stmt_column_text(s, 14, NULL), &made);
	json_t *o = json_pack(
	        "{s:I, s:I, s:I, s:o, s:I, s:I, s:s?, s:s?, s:o, s:s?, s:s?, s:s?, s:s?, s:I, s:o}",
	        "id", (json_int_t)kw_stmt_column_int64(s, 0), "exam_id",
	        (json_int_t)kw_stmt_column_int64(s, 1), "unit_id",
	        (json_int_t)kw_stmt_column_int64(s, 2), "centre_id",
	        kw_stmt_column_is_null(s, 3) ? json_null()
	                                     : json_integer(kw_stmt_column_int64(s, 3)),
	        "shift_id", (json_int_t)kw_stmt_column_int64(s, 4), "staff_id",
	        (json_int_t)kw_stmt_column_int64(s, 5), "staff_name", T(6), "post", T(7),
	        "occurred_at", kw_json_time_china(at), "kind", T(9), "content", T(10),
	        "action_taken", T(11), "caller", T(12), "written_by",
	        (json_int_t)kw_stmt_column_int64(s, 13), "created_at", kw_json_time_china(made));
#undef T
	return o;
}

static const char entry_from[] = "FROM duty_log_entries g JOIN staff f ON f.id = g.staff_id "
                                 "JOIN duty_shifts d ON d.id = g.shift_id";

struct log_job {
	int64_t exam, unit, centre, shift, staff, user;
	const char *kind, *content, *action, *caller;
	char at[32];
	int64_t id;
};

static int log_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct log_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(
	        tx, err, "duty_log_entries", "duty.log",
	        json_pack("{s:s, s:I}", "kind", j->kind, "shift_id", (json_int_t)j->shift), &j->id,
	        "INSERT INTO duty_log_entries (exam_id, unit_id, centre_id, shift_id, "
	        "staff_id, occurred_at, kind, content, action_taken, caller, "
	        "written_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	        "$10, $11, $12)",
	        "iiniitttttit", j->exam, j->unit, j->centre, j->shift, j->staff, j->at, j->kind,
	        j->content, j->action, j->caller, j->user, now);
}

/* The caller's shift at the unit (centre: that centre; 0: the agency's) covering at. */
static int on_shift(struct kw_conn *c, const struct kw_session_info *s, int64_t exam, int64_t unit,
                    int64_t centre, const char *at, int64_t *shift, int64_t *staff,
                    struct kw_err *err)
{
	*shift = *staff = 0;
	if (s->candidate_id || !s->user.id)
		return 0;
	char sql[600];
	snprintf(sql, sizeof sql,
	         "SELECT d.id, d.staff_id FROM duty_shifts d JOIN staff f ON f.id = d.staff_id "
	         "WHERE d.exam_id = $1 AND d.unit_id = $2 AND %s AND f.user_id = $4 AND "
	         "d.starts_at <= $5 AND d.ends_at >= $5 ORDER BY d.id",
	         centre ? "d.centre_id = $3" : "(d.centre_id IS NULL AND $3 = 0)");
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_int64(st, 2, unit);
		kw_stmt_bind_int64(st, 3, centre);
		kw_stmt_bind_int64(st, 4, s->user.id);
		kw_stmt_bind_textz(st, 5, at);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*shift = kw_stmt_column_int64(st, 0);
			*staff = kw_stmt_column_int64(st, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_duty_log_add(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const json_t *body, json_t **out,
                    struct kw_err *err)
{
	*out = NULL;
	static const struct kw_jfield shape[] = {
	        {"centre_id", KW_JINTEGER, 0, 0, 0},
	        {"unit_id", KW_JINTEGER, 0, 0, 0},
	        KW_JSTR("occurred_at", 40, 0),
	        KW_JSTR("kind", 20, KW_JREQUIRED),
	        KW_JSTR("content", 2000, KW_JREQUIRED),
	        KW_JSTR("action_taken", 2000, 0),
	        KW_JSTR("caller", 100, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	int64_t centre = 0, unit_in = 0;
	if (!rc)
		rc = which(body, &centre, &unit_in, err);
	if (rc)
		return rc;
	struct log_job j = {.exam = exam, .centre = centre, .user = s->user.id};
	j.kind = json_string_value(json_object_get(body, "kind"));
	j.content = json_string_value(json_object_get(body, "content"));
	j.action = json_string_value(json_object_get(body, "action_taken"));
	j.caller = json_string_value(json_object_get(body, "caller"));
	const char *when = json_string_value(json_object_get(body, "occurred_at"));
	if (!one_of(log_kinds, j.kind))
		return kw_err_invalid(err, "kind", "not_allowed");
	int64_t now = kw_clock_now_us(), at = now;
	if (when && kw_clock_parse(when, &at) != 0)
		return kw_err_invalid(err, "occurred_at", "type");
	if (at > now + MINUTE_US)
		return kw_err_invalid(err, "occurred_at", "future");
	kw_clock_format(at, j.at);

	struct kw_conn *c = kw_pool_get(app->pool);
	struct dexam e;
	uint64_t mask = 0;
	rc = exam_load(c, exam, &e, err);
	if (!rc)
		rc = target(c, s, &e, centre, unit_in, "duty.log", &j.unit, &mask, err);
	if (!rc) {
		struct win w[MAX_WINDOWS];
		size_t nw = windows_of(&e, mask, w), i = 0;
		while (i < nw && !(w[i].from <= at && at <= w[i].to))
			i++;
		if (i == nw) {
			kw_err_set(
			        err, KW_ERULE, "DUTY_OUTSIDE_WINDOW", "DAY-1",
			        "the duty log is kept from %d hours before the first sitting to %d "
			        "hours after the last",
			        e.before_h, e.after_h);
			json_t *ws = json_array();
			for (i = 0; i < nw; i++)
				json_array_append_new(ws, window_json(&w[i]));
			kw_err_detail(err, "occurred_at", kw_json_time_china(at));
			kw_err_detail(err, "windows", ws);
			kw_err_detail(err, "hours_before", json_integer(e.before_h));
			kw_err_detail(err, "hours_after", json_integer(e.after_h));
			rc = err->rc;
		}
	}
	if (!rc)
		rc = on_shift(c, s, exam, j.unit, centre, j.at, &j.shift, &j.staff, err);
	if (!rc && !j.shift) {
		kw_err_set(err, KW_EFORBIDDEN, "DUTY_NOT_ON_SHIFT", "DAY-1",
		           "only the person on a duty shift covering that moment keeps the log");
		kw_err_detail(err, "occurred_at", kw_json_time_china(at));
		rc = err->rc;
	}
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, log_job, &j, actor, err);
	if (!rc) {
		char sql[800];
		snprintf(sql, sizeof sql, "SELECT %s %s WHERE g.id = $1", entry_cols, entry_from);
		struct kw_stmt *st = NULL;
		c = kw_pool_get(app->pool);
		rc = kw_conn_prepare(c, sql, &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, j.id);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW)
				*out = entry_row(st);
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		kw_pool_put(app->pool, c);
		if (!rc && !*out)
			rc = kw_err_not_found(err, "log entry");
	}
	return rc;
}

int kw_duty_log_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                     int64_t centre, int64_t unit_in, const char *day, int64_t limit,
                     int64_t cursor, json_t **out, struct kw_err *err)
{
	*out = NULL;
	if (!limit)
		limit = 200;
	if (limit < 1 || limit > LIMIT_MAX)
		return kw_err_invalid(err, "limit", "range");
	if (!centre == !unit_in)
		return kw_err_invalid(err, centre ? "unit_id" : "centre_id",
		                      "one_of_centre_id_unit_id");
	int64_t d0 = 0, d1 = 0;
	char from[32] = "", to[32] = "";
	if (day) {
		if (strlen(day) != 10 || kw_clock_china_day(day, 0, &d0) != 0 ||
		    kw_clock_china_day(day, 1, &d1) != 0)
			return kw_err_invalid(err, "day", "date_format");
		kw_clock_format(d0, from);
		kw_clock_format(d1, to);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct dexam e;
	uint64_t mask = 0;
	int64_t unit = 0;
	int rc = exam_load(c, exam, &e, err);
	if (!rc)
		rc = target(c, s, &e, centre, unit_in, "duty.read", &unit, &mask, err);
	char sql[1200];
	snprintf(sql, sizeof sql,
	         "SELECT %s %s WHERE g.exam_id = $1 AND g.unit_id = $2 AND %s%s ORDER BY "
	         "g.occurred_at, g.id LIMIT %lld OFFSET %lld",
	         entry_cols, entry_from,
	         centre ? "g.centre_id = $3" : "(g.centre_id IS NULL AND $3 = 0)",
	         day ? " AND g.occurred_at >= $4 AND g.occurred_at < $5" : "", (long long)limit + 1,
	         (long long)cursor);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	int more = 0;
	if (!rc)
		rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_int64(st, 2, unit);
		kw_stmt_bind_int64(st, 3, centre);
		if (day) {
			kw_stmt_bind_textz(st, 4, from);
			kw_stmt_bind_textz(st, 5, to);
		}
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if ((int64_t)json_array_size(items) == limit) {
				more = 1;
				continue;
			}
			json_array_append_new(items, entry_row(st));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	                 more ? json_integer(cursor + limit) : json_null());
	return 0;
}
