/* Subjective marking (GRD-1..3, AH 57): see marking.h. */
#include "app/marking.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/scoring.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define MAX_ITEMS   200 /* per-question maxima in a scheme */
#define CODE_LEN    12  /* a script code: 12 of 32 symbols, 60 bits */
#define RULE_MEAN   "mean"
#define ROUND_CHIEF 4

static json_t *col_json(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
}

/* Hundredths as the API shows points ("87.5"); 64-bit for totals. */
static json_t *points_json(int64_t h)
{
	char b[32];
	int64_t a = h < 0 ? -h : h;
	int64_t whole = a / 100, frac = a % 100;
	if (!frac)
		snprintf(b, sizeof b, "%s%lld", h < 0 ? "-" : "", (long long)whole);
	else if (frac % 10 == 0)
		snprintf(b, sizeof b, "%s%lld.%lld", h < 0 ? "-" : "", (long long)whole,
		         (long long)(frac / 10));
	else
		snprintf(b, sizeof b, "%s%lld.%02lld", h < 0 ? "-" : "", (long long)whole,
		         (long long)frac);
	return json_string(b);
}

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

/* Fields of body not among known[0..n): each an "unknown" problem. */
static void unknown_fields(const json_t *body, const char *const *known, size_t n, json_t *fields)
{
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)body, name, v)
	{
		size_t q = 0;
		while (q < n && strcmp(known[q], name) != 0)
			q++;
		if (q == n)
			problem(fields, name, "unknown");
	}
}

static int invalid(struct kw_err *err, json_t *fields)
{
	kw_err_set(err, KW_EINVAL, "MARKING_INVALID", NULL, "the request has errors");
	kw_err_detail(err, "fields", fields);
	return err->rc;
}

/* ---- the final-score rule ---- */

static int32_t mean2(int32_t a, int32_t b)
{
	return (int32_t)(((int64_t)a + b + 1) / 2);
}

int kw_marking_resolve(const int32_t *marks, size_t n, int32_t tol, int32_t *final)
{
	if (n == 2) {
		if (abs(marks[0] - marks[1]) > tol)
			return 1;
		*final = mean2(marks[0], marks[1]);
		return 0;
	}
	/* three: the closest pair within the tolerance, the higher mean on a tie */
	int found = 0;
	int32_t best_d = 0, best_m = 0;
	for (size_t i = 0; i < 3; i++)
		for (size_t k = i + 1; k < 3; k++) {
			int32_t d = abs(marks[i] - marks[k]), m = mean2(marks[i], marks[k]);
			if (d > tol)
				continue;
			if (!found || d < best_d || (d == best_d && m > best_m)) {
				best_d = d;
				best_m = m;
				found = 1;
			}
		}
	if (!found)
		return 1;
	*final = best_m;
	return 0;
}

/* ---- quality flags (GRD-2, AH 57(3)) ---- */

static double mean_of(const double *v, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	return n ? sum / (double)n : 0;
}

/* beyond the threshold, with room for the rounding of means (thirds and the like) */
#define BEYOND(x, t) ((x) > (double)(t) + 1e-9)

void kw_marking_quality(const double *peer, size_t npeer, const double *ctl, size_t nctl,
                        const double *seq, size_t nseq, const struct kw_marking_quality *q,
                        struct kw_marker_quality *out)
{
	memset(out, 0, sizeof *out);
	out->peer_mean = mean_of(peer, npeer);
	out->control_mean = mean_of(ctl, nctl);
	size_t min = q->min > 0 ? (size_t)q->min : 1;
	if (npeer >= min && BEYOND(out->peer_mean, q->threshold))
		out->flags |= KW_MQ_LENIENT_PEERS;
	if (npeer >= min && BEYOND(-out->peer_mean, q->threshold))
		out->flags |= KW_MQ_STRICT_PEERS;
	if (nctl >= min && BEYOND(out->control_mean, q->threshold))
		out->flags |= KW_MQ_LENIENT_CONTROL;
	if (nctl >= min && BEYOND(-out->control_mean, q->threshold))
		out->flags |= KW_MQ_STRICT_CONTROL;
	size_t w = q->window > 0 ? (size_t)q->window : 1;
	if (nseq >= 2 * w) {
		out->has_drift = 1;
		out->drift = mean_of(seq + nseq - w, w) - mean_of(seq, w);
		if (BEYOND(fabs(out->drift), q->threshold))
			out->flags |= KW_MQ_DRIFT;
	}
}

/*
 * A mark as a request gives it: points (a number or "12.5") within max_points and/or
 * per-question points within the scheme (scheme_s, a JSON array of hundredths, or NULL),
 * which add up to the points (the points are their sum when absent). *pts and *items_s (a
 * JSON array of hundredths, or NULL; the caller frees); problems go to fields, their names
 * prefixed by pre ("" or "controls[1].").
 */
static void mark_parse(const json_t *pv, const json_t *iv, int64_t max_points, const char *scheme_s,
                       const char *pre, json_t *fields, int32_t *pts_out, char **items_s)
{
	char f[64];
	size_t before = json_array_size(fields);
	json_t *scheme = scheme_s ? json_loads(scheme_s, 0, NULL) : NULL;
	int32_t pts = -1;
	*items_s = NULL;
	if (pv && (kw_scoring_points(pv, &pts) || pts > max_points)) {
		snprintf(f, sizeof f, "%spoints", pre);
		problem(fields, f, "points_range");
		pts = -1;
	}
	json_t *got = json_array();
	if (iv) {
		int64_t sum = 0;
		if (!json_is_array(iv) || !scheme ||
		    json_array_size(iv) != json_array_size(scheme)) {
			snprintf(f, sizeof f, "%sitems", pre);
			problem(fields, f, "items_scheme");
		} else {
			size_t i;
			json_t *x;
			json_array_foreach(iv, i, x)
			{
				int32_t h = 0;
				if (kw_scoring_points(x, &h) ||
				    h > json_integer_value(json_array_get(scheme, i))) {
					snprintf(f, sizeof f, "%sitems[%zu]", pre, i + 1);
					problem(fields, f, "points_range");
					continue;
				}
				sum += h;
				json_array_append_new(got, json_integer(h));
			}
			if (pts >= 0 && sum != pts) {
				snprintf(f, sizeof f, "%spoints", pre);
				problem(fields, f, "not_items_sum");
			}
			if (pts < 0 && !pv)
				pts = (int32_t)sum;
		}
	}
	if (!pv && !iv) {
		snprintf(f, sizeof f, "%spoints", pre);
		problem(fields, f, "required");
	}
	if (iv && json_array_size(fields) == before)
		*items_s = json_dumps(got, JSON_COMPACT);
	json_decref(got);
	json_decref(scheme);
	*pts_out = pts;
}

/* ---- the marking of an exam's subject ---- */

struct mrow {
	int64_t exam, unit, subject, id;
	int64_t max_points, tolerance, scripts, total, finished, closed_by;
	/* the quality parameters (0027): -1 when not set (the defaults apply) */
	int64_t flag_threshold, flag_min, drift_window, control_every;
	int has_total;
	char code[64], status[16], rule[16], starts_at[40];
	int64_t duration;
	char *items; /* the scheme's per-question maxima (JSON), or NULL */
};

static void mrow_release(struct mrow *m)
{
	free(m->items);
	m->items = NULL;
}

#define MARKING_COLS                                                                               \
	"id, max_points, tolerance, rule, items, scripts, status, total, finished, closed_by, "    \
	"flag_threshold, flag_min, drift_window, control_every"
#define MARKING_COLS_M                                                                             \
	"m.id, m.max_points, m.tolerance, m.rule, m.items, m.scripts, m.status, m.total, "         \
	"m.finished, m.closed_by, m.flag_threshold, m.flag_min, m.drift_window, "                  \
	"m.control_every"

static void mrow_read(struct kw_stmt *st, int at, struct mrow *m)
{
	m->id = kw_stmt_column_int64(st, at);
	m->max_points = kw_stmt_column_int64(st, at + 1);
	m->tolerance = kw_stmt_column_int64(st, at + 2);
	kw_stmt_column_copy(st, at + 3, m->rule, sizeof m->rule);
	free(m->items);
	m->items = kw_stmt_column_is_null(st, at + 4)
	                   ? NULL
	                   : strdup(kw_stmt_column_text(st, at + 4, NULL));
	m->scripts = kw_stmt_column_int64(st, at + 5);
	kw_stmt_column_copy(st, at + 6, m->status, sizeof m->status);
	m->has_total = !kw_stmt_column_is_null(st, at + 7);
	m->total = kw_stmt_column_int64(st, at + 7);
	m->finished = kw_stmt_column_int64(st, at + 8);
	m->closed_by = kw_stmt_column_int64(st, at + 9);
	int64_t *q[4] = {&m->flag_threshold, &m->flag_min, &m->drift_window, &m->control_every};
	for (int i = 0; i < 4; i++)
		*q[i] = kw_stmt_column_is_null(st, at + 10 + i)
		                ? -1
		                : kw_stmt_column_int64(st, at + 10 + i);
}

/* The quality parameters in force: the set-up's, else the defaults (threshold: half the
 * tolerance; 5 scripts; a window of 5; about one script in 5 a control while one waits). */
#define DEFAULT_FLAG_MIN      5
#define DEFAULT_DRIFT_WINDOW  5
#define DEFAULT_CONTROL_EVERY 5
static struct kw_marking_quality quality_of(const struct mrow *m)
{
	struct kw_marking_quality q = {
	        .threshold = m->flag_threshold >= 0 ? m->flag_threshold : m->tolerance / 2,
	        .min = m->flag_min > 0 ? m->flag_min : DEFAULT_FLAG_MIN,
	        .window = m->drift_window > 0 ? m->drift_window : DEFAULT_DRIFT_WINDOW,
	};
	return q;
}

static int64_t control_every(const struct mrow *m)
{
	return m->control_every > 0 ? m->control_every : DEFAULT_CONTROL_EVERY;
}

/*
 * The exam's subject code, checked for s and action at the exam's unit (out of reach reads as
 * absent), and its marking when there is one (m->id 0 when none; need: NOT_FOUND then).
 */
static int marking_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                        int64_t exam, const char *subject, int need, struct mrow *m,
                        struct kw_err *err)
{
	memset(m, 0, sizeof *m);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT e.id, e.unit_id, b.id, b.code, b.starts_at, "
	                         "b.duration_minutes FROM exams e JOIN subjects b ON b.exam_id = "
	                         "e.id WHERE e.id = $1 AND b.code = $2",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_textz(st, 2, subject);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			m->exam = kw_stmt_column_int64(st, 0);
			m->unit = kw_stmt_column_int64(st, 1);
			m->subject = kw_stmt_column_int64(st, 2);
			kw_stmt_column_copy(st, 3, m->code, sizeof m->code);
			kw_stmt_column_copy(st, 4, m->starts_at, sizeof m->starts_at);
			m->duration = kw_stmt_column_int64(st, 5);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && m->exam) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, action, m->unit, &e2))
			m->exam = 0;
		kw_err_release(&e2);
	}
	if (!rc && !m->exam)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam or subject");
	st = NULL;
	rc = kw_conn_prepare(c, "SELECT " MARKING_COLS " FROM markings WHERE subject_id = $1", &st,
	                     err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m->subject);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			mrow_read(st, 0, m);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && need && !m->id)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                "subject %s has no marking set up", subject);
	return rc;
}

/* One integer from a query of up to two integer parameters. */
static int query_int(struct kw_conn *c, const char *sql, int64_t a, int64_t b, int nparams,
                     int64_t *out, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*out = 0;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, a);
		if (nparams > 1)
			kw_stmt_bind_int64(st, 2, b);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*out = kw_stmt_column_is_null(st, 0) ? 0 : kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

static json_t *scheme_json(const struct mrow *m)
{
	json_t *items = m->items ? json_loads(m->items, 0, NULL) : NULL;
	json_t *shown = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v)
	        json_array_append_new(shown, points_json(json_integer_value(v)));
	json_decref(items);
	return json_pack("{s:o, s:o}", "max_points", points_json(m->max_points), "items", shown);
}

/* ---- set-up ---- */

/* Is code one of a registration's subjects ("01,02"; empty = all the exam's)? */
static int registered_for(const char *list, const char *code)
{
	if (!list || !*list)
		return 1;
	size_t n = strlen(code);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, code, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

struct seated {
	int64_t reg;
	char ticket[40];
	char code[CODE_LEN + 1];
};

/* The candidates seated for the subject in the exam's published seating run. */
static int seated_load(struct kw_conn *c, const struct mrow *m, struct seated **out, size_t *n,
                       struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT s.registration_id, s.ticket_no, r.subjects FROM seats s "
	                         "JOIN seating_runs u ON u.id = s.run_id JOIN registrations r ON "
	                         "r.id = s.registration_id WHERE u.exam_id = $1 AND u.status = "
	                         "'published' ORDER BY s.registration_id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m->exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			const char *list = kw_stmt_column_is_null(st, 2)
			                           ? ""
			                           : kw_stmt_column_text(st, 2, NULL);
			if (!registered_for(list, m->code))
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 256;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct seated *x = &(*out)[(*n)++];
			x->reg = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, x->ticket, sizeof x->ticket);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* Random script codes and a random order (nothing of the seating order survives). */
static void codes_draw(struct seated *v, size_t n)
{
	static const char sym[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	for (size_t i = n; i > 1; i--) {
		size_t k = randombytes_uniform((uint32_t)i);
		struct seated t = v[i - 1];
		v[i - 1] = v[k];
		v[k] = t;
	}
	for (size_t i = 0; i < n; i++) {
		for (int q = 0; q < CODE_LEN; q++)
			v[i].code[q] = sym[randombytes_uniform(32)];
		v[i].code[CODE_LEN] = '\0';
	}
}

/* A control script as the lead gives it: the expert mark and an optional label. */
struct control {
	int32_t points;
	char *items; /* a JSON array of hundredths, or NULL */
	const char *label;
};

static void controls_release(struct control *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].items);
	free(v);
}

#define MAX_CONTROLS 100 /* per marking */
#define MAX_LABEL    100 /* bytes */

/* A control script's body ({points, items?, label?}) at fields' names prefixed by pre. */
static void control_parse(const json_t *x, const struct mrow *m, const char *scheme_s,
                          const char *pre, json_t *fields, struct control *out)
{
	char f[64];
	memset(out, 0, sizeof *out);
	if (!json_is_object(x)) {
		snprintf(f, sizeof f, "%.*s", (int)(strlen(pre) ? strlen(pre) - 1 : 0), pre);
		problem(fields, *f ? f : "controls", "type");
		return;
	}
	static const char *const known[] = {"points", "items", "label"};
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)x, name, v)
	{
		size_t q = 0;
		while (q < 3 && strcmp(known[q], name) != 0)
			q++;
		if (q == 3) {
			snprintf(f, sizeof f, "%s%s", pre, name);
			problem(fields, f, "unknown");
		}
	}
	const json_t *lv = json_object_get(x, "label");
	if (lv && !json_is_null(lv) &&
	    (!json_is_string(lv) || strlen(json_string_value(lv)) > MAX_LABEL)) {
		snprintf(f, sizeof f, "%slabel", pre);
		problem(fields, f, "type");
	} else if (lv && json_is_string(lv) && *json_string_value(lv)) {
		out->label = json_string_value(lv);
	}
	mark_parse(json_object_get(x, "points"), json_object_get(x, "items"), m->max_points,
	           scheme_s, pre, fields, &out->points, &out->items);
}

/* An integer field of a body within [1, 1000] into *out (left alone when absent). */
static void count_field(const json_t *body, const char *name, json_t *fields, int64_t *out)
{
	const json_t *v = json_object_get(body, name);
	if (!v)
		return;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000)
		problem(fields, name, "count");
	else
		*out = json_integer_value(v);
}

static int control_insert(struct kw_tx *tx, int64_t marking, const struct control *x, int64_t user,
                          const char *now, int64_t *id, struct kw_err *err)
{
	return kw_audit_put(tx, err, "marking_controls", "score.marking.control",
	                    json_pack("{s:I}", "marking_id", (json_int_t)marking), id,
	                    "INSERT INTO marking_controls (marking_id, label, points, items, "
	                    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
	                    "ititit", marking, x->label, (int64_t)x->points, x->items, user, now);
}

struct setup_job {
	const struct mrow *m;
	int64_t user, witness, id;
	const char *items;
	const struct seated *v;
	size_t n;
	const struct control *controls;
	size_t ncontrols;
};

/* Inserts rows with one prepared statement and one batch audit record. */
static int setup_rows(struct kw_tx *tx, const char *entity, const char *action, int64_t marking,
                      const struct seated *v, size_t n, const int64_t *script_ids, int64_t *ids_out,
                      const char *now, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = script_ids ? kw_audit_prepare(tx->conn, entity, &s, err,
	                                       "INSERT INTO script_identities (script_id, "
	                                       "registration_id, ticket_no, created_at) VALUES "
	                                       "($1, $2, $3, $4)")
	                    : kw_audit_prepare(tx->conn, entity, &s, err,
	                                       "INSERT INTO scripts (marking_id, code, stage, "
	                                       "created_at, updated_at) VALUES ($1, $2, 'double', "
	                                       "$3, $3)");
	struct kw_batch_row *rows = kw_xcalloc(n ? n : 1, sizeof *rows);
	for (size_t i = 0; !rc && i < n; i++) {
		kw_stmt_reset(s);
		if (script_ids) {
			kw_stmt_bind_int64(s, 1, script_ids[i]);
			kw_stmt_bind_int64(s, 2, v[i].reg);
			kw_stmt_bind_textz(s, 3, v[i].ticket);
			kw_stmt_bind_textz(s, 4, now);
		} else {
			kw_stmt_bind_int64(s, 1, marking);
			kw_stmt_bind_textz(s, 2, v[i].code);
			kw_stmt_bind_textz(s, 3, now);
		}
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			rc = kw_audit_digest_row(entity, s, &rows[i].id, rows[i].digest);
		else if (rc == KW_DONE)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "row not written");
		if (!rc && ids_out)
			ids_out[i] = rows[i].id;
	}
	kw_stmt_finalize(s);
	if (!rc && n) {
		json_t *d = json_pack("{s:I}", "marking_id", (json_int_t)marking);
		rc = kw_audit_append_batch(tx, action, entity, rows, n, d, err);
		json_decref(d);
	}
	free(rows);
	return rc;
}

static int setup_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct setup_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	j->id = 0;
	int rc = kw_audit_put(
	        tx, err, "markings", "score.marking.setup",
	        json_pack("{s:s, s:I, s:I, s:s, s:I}", "subject", j->m->code, "max_points",
	                  (json_int_t)j->m->max_points, "tolerance", (json_int_t)j->m->tolerance,
	                  "rule", j->m->rule, "scripts", (json_int_t)j->n),
	        &j->id,
	        "INSERT INTO markings (exam_id, subject_id, max_points, tolerance, rule, items, "
	        "scripts, status, set_up_by, witness_id, created_at, updated_at, flag_threshold, "
	        "flag_min, drift_window, control_every) VALUES ($1, $2, $3, $4, $5, $6, $7, "
	        "'open', $8, $9, $10, $10, $11, $12, $13, $14)",
	        "iiiittiiitnnnn", j->m->exam, j->m->subject, j->m->max_points, j->m->tolerance,
	        j->m->rule, j->items, (int64_t)j->n, j->user, j->witness, now,
	        j->m->flag_threshold > 0 ? j->m->flag_threshold : 0,
	        j->m->flag_min > 0 ? j->m->flag_min : 0,
	        j->m->drift_window > 0 ? j->m->drift_window : 0,
	        j->m->control_every > 0 ? j->m->control_every : 0);
	/* the control scripts seeded with the set-up (GRD-2) */
	for (size_t i = 0; !rc && i < j->ncontrols; i++)
		rc = control_insert(tx, j->id, &j->controls[i], j->user, now, NULL, err);
	int64_t *ids = kw_xcalloc(j->n ? j->n : 1, sizeof *ids);
	if (!rc)
		rc = setup_rows(tx, "scripts", "score.marking.scripts", j->id, j->v, j->n, NULL,
		                ids, now, err);
	/* AH 57(1): the identities apart from the scripts */
	if (!rc)
		rc = setup_rows(tx, "script_identities", "score.marking.identities", j->id, j->v,
		                j->n, ids, NULL, now, err);
	free(ids);
	return rc;
}

static int witness_load(struct kw_conn *c, const char *username, int64_t self, int64_t *id,
                        struct kw_err *err)
{
	*id = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT id FROM users WHERE username = $1 AND status = 'active'", &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, username ? username : "");
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && (!*id || *id == self)) {
		rc = kw_err_set(err, KW_ERULE, "MARKING_WITNESS", "GRD-3",
		                "scripts are set up with a second person present: name another "
		                "active staff member as the witness");
		*id = 0;
	}
	return rc;
}

int kw_marking_setup(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     const json_t *body, json_t **out, struct kw_err *err)
{
	static const char *const known[] = {
	        "max_points", "tolerance",      "rule",     "items",        "witness",
	        "controls",   "flag_threshold", "flag_min", "drift_window", "control_every"};
	json_t *fields = json_array();
	unknown_fields(body, known, sizeof known / sizeof known[0], fields);
	int32_t maxp = 0, tol = 0;
	const json_t *mv = json_object_get(body, "max_points"),
	             *tv = json_object_get(body, "tolerance"), *rv = json_object_get(body, "rule"),
	             *iv = json_object_get(body, "items"), *wv = json_object_get(body, "witness");
	if (!mv)
		problem(fields, "max_points", "required");
	else if (kw_scoring_points(mv, &maxp) || maxp <= 0)
		problem(fields, "max_points", "points");
	if (!tv)
		problem(fields, "tolerance", "required");
	else if (kw_scoring_points(tv, &tol) || (maxp > 0 && tol > maxp))
		problem(fields, "tolerance", "points");
	const char *rule = rv ? json_string_value(rv) : RULE_MEAN;
	if (!rule || strcmp(rule, RULE_MEAN) != 0)
		problem(fields, "rule", "not_allowed");
	if (!json_is_string(wv) || !*json_string_value(wv))
		problem(fields, "witness", "required");
	json_t *items = json_array();
	if (iv && !json_is_null(iv)) {
		int64_t sum = 0;
		if (!json_is_array(iv) || !json_array_size(iv) || json_array_size(iv) > MAX_ITEMS)
			problem(fields, "items", "type");
		size_t i;
		json_t *x;
		json_array_foreach(iv, i, x)
		{
			int32_t h = 0;
			if (kw_scoring_points(x, &h) || h <= 0) {
				char f[32];
				snprintf(f, sizeof f, "items[%zu]", i + 1);
				problem(fields, f, "points");
				continue;
			}
			sum += h;
			json_array_append_new(items, json_integer(h));
		}
		if (json_array_size(items) == json_array_size(iv) && maxp > 0 && sum != maxp)
			problem(fields, "items", "sum_not_max_points");
	}
	char *items_s = json_array_size(items) ? json_dumps(items, JSON_COMPACT) : NULL;
	json_decref(items);
	/* the quality parameters (GRD-2): a threshold in points, counts */
	struct mrow q = {.max_points = maxp,
	                 .flag_threshold = -1,
	                 .flag_min = -1,
	                 .drift_window = -1,
	                 .control_every = -1};
	const json_t *fv = json_object_get(body, "flag_threshold");
	int32_t thr = 0;
	if (fv && (kw_scoring_points(fv, &thr) || thr <= 0))
		problem(fields, "flag_threshold", "points");
	else if (fv)
		q.flag_threshold = thr;
	count_field(body, "flag_min", fields, &q.flag_min);
	count_field(body, "drift_window", fields, &q.drift_window);
	count_field(body, "control_every", fields, &q.control_every);
	/* the control scripts seeded with the set-up */
	const json_t *cv = json_object_get(body, "controls");
	struct control *ctl = NULL;
	size_t nctl = 0;
	if (cv && !json_is_null(cv)) {
		if (!json_is_array(cv) || json_array_size(cv) > MAX_CONTROLS)
			problem(fields, "controls", "type");
		else if (json_array_size(cv)) {
			ctl = kw_xcalloc(json_array_size(cv), sizeof *ctl);
			size_t i;
			json_t *x;
			json_array_foreach(cv, i, x)
			{
				char pre[32];
				snprintf(pre, sizeof pre, "controls[%zu].", i + 1);
				control_parse(x, &q, items_s, pre, fields, &ctl[nctl++]);
			}
		}
	}
	if (json_array_size(fields)) {
		free(items_s);
		controls_release(ctl, nctl);
		return invalid(err, fields);
	}
	json_decref(fields);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.setup", exam, subject, 0, &m, err);
	if (!rc && m.id)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_EXISTS", NULL,
		                "subject %s's marking is set up already", m.code);
	/* scripts exist once the subject's sitting is over */
	int64_t start = 0;
	if (!rc && (!m.starts_at[0] || kw_clock_parse(m.starts_at, &start) ||
	            kw_clock_now_us() < start + m.duration * 60 * 1000000)) {
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_BEFORE_END", NULL,
		                "subject %s's sitting is not over yet", m.code);
		kw_err_detail(err, "subject", json_string(m.code));
	}
	int64_t witness = 0;
	if (!rc)
		rc = witness_load(c, json_string_value(wv), s->user.id, &witness, err);
	struct seated *v = NULL;
	size_t n = 0;
	if (!rc)
		rc = seated_load(c, &m, &v, &n, err);
	kw_pool_put(app->pool, c);
	if (!rc && !n)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_NO_SCRIPTS", NULL,
		                "nobody is seated for subject %s in a published seating run",
		                m.code);
	if (!rc) {
		m.max_points = maxp;
		m.tolerance = tol;
		m.flag_threshold = q.flag_threshold;
		m.flag_min = q.flag_min;
		m.drift_window = q.drift_window;
		m.control_every = q.control_every;
		snprintf(m.rule, sizeof m.rule, "%s", rule);
		codes_draw(v, n);
		struct setup_job j = {.m = &m,
		                      .user = s->user.id,
		                      .witness = witness,
		                      .items = items_s,
		                      .v = v,
		                      .n = n,
		                      .controls = ctl,
		                      .ncontrols = nctl};
		rc = kw_writer_run_bulk(app->writer, setup_job, &j, actor, err);
	}
	if (v)
		sodium_memzero(v, n * sizeof *v);
	free(v);
	free(items_s);
	controls_release(ctl, nctl);
	mrow_release(&m);
	if (!rc)
		rc = kw_marking_get(app, s, exam, subject, out, err);
	return rc;
}

/* ---- the set-up and its progress ---- */

static json_t *quality_json(const struct mrow *m)
{
	struct kw_marking_quality q = quality_of(m);
	return json_pack("{s:o, s:I, s:I, s:I}", "flag_threshold", points_json(q.threshold),
	                 "flag_min", (json_int_t)q.min, "drift_window", (json_int_t)q.window,
	                 "control_every", (json_int_t)control_every(m));
}

/* What the lead's view adds to the set-up: the quality parameters, the control scripts
 * (seeded, copies handed out, marked) and the arbitration queue (scripts waiting for the
 * chief marker, and who holds each). */
static int get_extras(struct kw_conn *c, const struct mrow *m, json_t *out, struct kw_err *err)
{
	int64_t seeded = 0, handed = 0, marked = 0;
	int rc = query_int(c, "SELECT COUNT(*) FROM marking_controls WHERE marking_id = $1", m->id,
	                   0, 1, &seeded, err);
	if (!rc)
		rc = query_int(c,
		               "SELECT COUNT(*) FROM script_marks k JOIN scripts s ON s.id = "
		               "k.script_id WHERE s.marking_id = $1 AND s.control_id IS NOT NULL",
		               m->id, 0, 1, &handed, err);
	if (!rc)
		rc = query_int(c,
		               "SELECT COUNT(*) FROM script_marks k JOIN scripts s ON s.id = "
		               "k.script_id WHERE s.marking_id = $1 AND s.control_id IS NOT NULL "
		               "AND k.points IS NOT NULL",
		               m->id, 0, 1, &marked, err);
	json_t *queue = json_array();
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT s.code, u.username FROM scripts s LEFT JOIN "
		                     "script_marks k ON k.script_id = s.id AND k.round = 4 LEFT "
		                     "JOIN users u ON u.id = k.marker_id WHERE s.marking_id = $1 "
		                     "AND s.stage = 'chief' ORDER BY s.id",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m->id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(queue,
			                      json_pack("{s:o, s:o}", "code", col_json(st, 0),
			                                "taken_by", col_json(st, 1)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	json_object_set_new(out, "quality", quality_json(m));
	json_object_set_new(out, "controls",
	                    json_pack("{s:I, s:I, s:I}", "seeded", (json_int_t)seeded, "handed_out",
	                              (json_int_t)handed, "marked", (json_int_t)marked));
	json_object_set_new(out, "arbitration", queue);
	return rc;
}

int kw_marking_get(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                   const char *subject, json_t **out, struct kw_err *err)
{
	*out = NULL;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.read", exam, subject, 1, &m, err);
	json_t *stages =
	        json_pack("{s:i, s:i, s:i, s:i}", "double", 0, "third", 0, "chief", 0, "final", 0);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT stage, COUNT(*) FROM scripts WHERE marking_id = $1 "
		                     "AND control_id IS NULL GROUP BY stage",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m.id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_object_set_new(stages, kw_stmt_column_text(st, 0, NULL),
			                    json_integer(kw_stmt_column_int64(st, 1)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT a.username, w.username, k.username, m.closed_at, f.username, "
		        "m.confirmed_at, m.result_digest, m.created_at FROM markings m JOIN users "
		        "a "
		        "ON a.id = m.set_up_by JOIN users w ON w.id = m.witness_id LEFT JOIN users "
		        "k "
		        "ON k.id = m.closed_by LEFT JOIN users f ON f.id = m.confirmed_by WHERE "
		        "m.id "
		        "= $1",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m.id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*out = json_pack(
			        "{s:I, s:I, s:s, s:s, s:o, s:o, s:s, s:I, s:o, s:o, s:o, s:o, s:o, "
			        "s:o, s:o, s:o, s:o}",
			        "id", (json_int_t)m.id, "exam_id", (json_int_t)m.exam, "subject",
			        m.code, "status", m.status, "scheme", scheme_json(&m), "tolerance",
			        points_json(m.tolerance), "rule", m.rule, "scripts",
			        (json_int_t)m.scripts, "stages", json_incref(stages), "set_up_by",
			        col_json(st, 0), "witness", col_json(st, 1), "closed_by",
			        col_json(st, 2), "closed_at", col_json(st, 3), "confirmed_by",
			        col_json(st, 4), "confirmed_at", col_json(st, 5), "result_digest",
			        col_json(st, 6), "created_at", col_json(st, 7));
			json_object_set_new(*out, "total",
			                    m.has_total ? points_json(m.total) : json_null());
			json_object_set_new(*out, "finished",
			                    m.has_total ? json_integer(m.finished) : json_null());
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && *out)
		rc = get_extras(c, &m, *out, err);
	if (rc && *out) {
		json_decref(*out);
		*out = NULL;
	}
	kw_pool_put(app->pool, c);
	json_decref(stages);
	mrow_release(&m);
	return rc;
}

/* ---- markers: the next script, the script, the mark ---- */

/* A script as its marker sees it: no candidate, no other round's mark. */
static json_t *script_view(const char *code, const struct mrow *m, int64_t round,
                           const char *taken_at, struct kw_stmt *mine, int at)
{
	json_t *mark = json_null();
	if (mine && !kw_stmt_column_is_null(mine, at)) {
		json_t *items =
		        kw_stmt_column_is_null(mine, at + 1)
		                ? json_null()
		                : json_loads(kw_stmt_column_text(mine, at + 1, NULL), 0, NULL);
		json_t *shown = json_array();
		size_t i;
		json_t *v;
		json_array_foreach(items, i, v)
		        json_array_append_new(shown, points_json(json_integer_value(v)));
		json_decref(items);
		mark = json_pack("{s:o, s:o, s:o}", "points",
		                 points_json(kw_stmt_column_int64(mine, at)), "items", shown,
		                 "marked_at", col_json(mine, at + 2));
	}
	return json_pack("{s:s, s:s, s:I, s:o, s:s, s:o}", "code", code, "subject", m->code,
	                 "round", (json_int_t)round, "scheme", scheme_json(m), "taken_at", taken_at,
	                 "mark", mark);
}

struct next_job {
	int64_t marking, user;
	int chief, arbitration;
	int64_t every, roll; /* a control script when roll is 0 (one in every), or nothing else */
	int64_t ctl_round;   /* the round a control script shows: 1 or 2, drawn at random */
	/* out */
	int64_t script, round, control;
	char code[CODE_LEN + 8], taken[32];
};

/* The first row of sql ($1 marking, $2 user): script id, round info, code. */
static int pick(struct kw_conn *c, const char *sql, int64_t marking, int64_t user, int64_t *id,
                int64_t *extra, char *code, size_t ncode, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*id = 0;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, marking);
		kw_stmt_bind_int64(st, 2, user);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*id = kw_stmt_column_int64(st, 0);
			*extra = kw_stmt_column_int64(st, 1);
			kw_stmt_column_copy(st, 2, code, ncode);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* GRD-1 (AH 56/59): MARKING_SUSPENDED when the lead has suspended user from the marking. */
static int suspended_check(struct kw_conn *c, int64_t marking, int64_t user, struct kw_err *err)
{
	int64_t n = 0;
	int rc = query_int(c,
	                   "SELECT COUNT(*) FROM marking_suspensions WHERE marking_id = $1 AND "
	                   "marker_id = $2 AND lifted_at IS NULL",
	                   marking, user, 2, &n, err);
	if (!rc && n)
		rc = kw_err_set(err, KW_ERULE, "MARKING_SUSPENDED", "GRD-1",
		                "the marking lead has suspended you from marking this subject");
	return rc;
}

/*
 * The script for j->user: one they took and did not mark yet (*held 1), else the next that
 * needs a mark in its round (*held 0; j->script 0 when none), or a control script they have
 * not had yet (j->control: its id, j->script 0) — when the roll says so or nothing else is
 * left. Control scripts never go to the chief marker's round 4 (j->arbitration).
 */
static int next_pick(struct kw_conn *c, struct next_job *j, int *held, struct kw_err *err)
{
	j->script = j->round = j->control = 0;
	j->code[0] = j->taken[0] = '\0';
	*held = 0;
	int64_t extra = 0;
	/* a script taken and not yet marked comes back first */
	int rc = pick(c,
	              "SELECT k.script_id, k.round, s.code FROM script_marks k JOIN "
	              "scripts s ON s.id = k.script_id WHERE s.marking_id = $1 AND k.marker_id = "
	              "$2 AND k.points IS NULL ORDER BY k.id LIMIT 1",
	              j->marking, j->user, &j->script, &extra, j->code, sizeof j->code, err);
	if (!rc && j->script) {
		*held = 1;
		j->round = extra;
		struct kw_stmt *st = NULL;
		rc = kw_conn_prepare(c,
		                     "SELECT taken_at FROM script_marks WHERE script_id = $1 AND "
		                     "marker_id = $2",
		                     &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, j->script);
			kw_stmt_bind_int64(st, 2, j->user);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW)
				kw_stmt_column_copy(st, 0, j->taken, sizeof j->taken);
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		return rc;
	}
	/* the chief marker: scripts beyond the third marker's reach (round 4) */
	if (!rc && j->chief)
		rc = pick(
		        c,
		        "SELECT s.id, 4, s.code FROM scripts s WHERE s.marking_id = $1 AND s.stage "
		        "= 'chief' AND NOT EXISTS (SELECT 1 FROM script_marks k WHERE k.script_id "
		        "= s.id AND (k.round = 4 OR k.marker_id = $2)) ORDER BY s.id LIMIT 1",
		        j->marking, j->user, &j->script, &j->round, j->code, sizeof j->code, err);
	if (rc || j->script || j->arbitration)
		return rc;
	/* a control script this marker has not had (GRD-2, AH 57(3)) */
	int64_t control = 0;
	char none[8];
	rc = pick(c,
	          "SELECT c.id, 0, '' FROM marking_controls c WHERE c.marking_id = $1 AND NOT "
	          "EXISTS (SELECT 1 FROM scripts s JOIN script_marks k ON k.script_id = s.id "
	          "WHERE s.control_id = c.id AND k.marker_id = $2) ORDER BY c.id LIMIT 1",
	          j->marking, j->user, &control, &extra, none, sizeof none, err);
	/* third marking before new scripts; then a script's second mark before a first */
	if (!rc)
		rc = pick(
		        c,
		        "SELECT s.id, 3, s.code FROM scripts s WHERE s.marking_id = $1 AND s.stage "
		        "= 'third' AND NOT EXISTS (SELECT 1 FROM script_marks k WHERE k.script_id "
		        "= s.id AND (k.round = 3 OR k.marker_id = $2)) ORDER BY s.id LIMIT 1",
		        j->marking, j->user, &j->script, &j->round, j->code, sizeof j->code, err);
	if (!rc && !j->script) {
		rc = pick(
		        c,
		        "SELECT s.id, (SELECT COUNT(*) FROM script_marks k WHERE k.script_id = "
		        "s.id AND k.round = 1), s.code FROM scripts s WHERE s.marking_id = $1 AND "
		        "s.stage = 'double' AND NOT EXISTS (SELECT 1 FROM script_marks k WHERE "
		        "k.script_id = s.id AND k.marker_id = $2) AND (SELECT COUNT(*) FROM "
		        "script_marks k WHERE k.script_id = s.id) < 2 ORDER BY (SELECT COUNT(*) "
		        "FROM script_marks k WHERE k.script_id = s.id) DESC, s.id LIMIT 1",
		        j->marking, j->user, &j->script, &extra, j->code, sizeof j->code, err);
		j->round = j->script ? (extra ? 2 : 1) : 0;
	}
	/* the control script instead, when the roll says so or nothing else is left: it shows
	 * the round the real script would have shown (a first round at the start, a third one
	 * in the thick of third markings), or round 1 or 2 at random at the end */
	if (!rc && control && (j->roll == 0 || !j->script)) {
		j->control = control;
		j->round = j->script ? j->round : j->ctl_round;
		j->script = 0;
		j->code[0] = '\0';
	}
	return rc;
}

/* A random script code: 12 of 32 symbols (60 bits), as at set-up. */
static void code_draw(char out[CODE_LEN + 1])
{
	static const char sym[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	for (int q = 0; q < CODE_LEN; q++)
		out[q] = sym[randombytes_uniform(32)];
	out[CODE_LEN] = '\0';
}

static int next_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct next_job *j = arg;
	int held = 0;
	int rc = suspended_check(tx->conn, j->marking, j->user, err);
	if (!rc)
		rc = next_pick(tx->conn, j, &held, err);
	if (!rc && (held || (!j->script && !j->control))) {
		/* another request got in first: nothing to write but the event */
		json_t *d = json_pack("{s:b}", "handed_out", 0);
		rc = kw_audit_append(tx, "score.marking.next", NULL, 0, d, err);
		json_decref(d);
		return rc;
	}
	if (rc)
		return rc;
	kw_clock_format(tx->now_us, j->taken);
	if (j->control) {
		/* the marker's own copy of the control script: a fresh code, no identity */
		char code[CODE_LEN + 1];
		code_draw(code);
		snprintf(j->code, sizeof j->code, "%s", code);
		rc = kw_audit_put(tx, err, "scripts", "score.marking.control.copy",
		                  json_pack("{s:I}", "control_id", (json_int_t)j->control),
		                  &j->script,
		                  "INSERT INTO scripts (marking_id, code, stage, control_id, "
		                  "created_at, updated_at) VALUES ($1, $2, 'control', $3, $4, $4)",
		                  "itit", j->marking, j->code, j->control, j->taken);
		if (rc)
			return rc;
	}
	/* the audit detail is the same for a control copy as for any script */
	return kw_audit_put(tx, err, "script_marks", "score.marking.take",
	                    json_pack("{s:I}", "round", (json_int_t)j->round), NULL,
	                    "INSERT INTO script_marks (script_id, round, marker_id, taken_at) "
	                    "VALUES ($1, $2, $3, $4)",
	                    "iiit", j->script, j->round, j->user, j->taken);
}

int kw_marking_next(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const char *subject,
                    int arbitration, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.mark", exam, subject, 1, &m, err);
	if (!rc && strcmp(m.status, "open") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_CLOSED", NULL,
		                "subject %s's marking is closed", m.code);
	struct next_job j = {.marking = m.id, .user = s->user.id, .arbitration = arbitration};
	if (!rc) {
		struct kw_err e2 = KW_ERR_INIT;
		j.chief = kw_authz_check(c, s, "score.marking.chief", m.unit, &e2) == 0;
		kw_err_release(&e2);
		if (arbitration && !j.chief)
			rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
			                "only the chief marker arbitrates");
	}
	if (!rc)
		rc = suspended_check(c, m.id, s->user.id, err);
	/* drawn once, so that the writer's second look decides as the first did */
	j.every = control_every(&m);
	j.roll = (int64_t)randombytes_uniform((uint32_t)j.every);
	j.ctl_round = 1 + (int64_t)randombytes_uniform(2);
	/* a script held, or none to hand out: nothing to write */
	int held = 0;
	if (!rc)
		rc = next_pick(c, &j, &held, err);
	kw_pool_put(app->pool, c);
	if (!rc && (j.script || j.control) && !held)
		rc = kw_writer_run(app->writer, next_job, &j, actor, err);
	if (!rc)
		*out = json_pack("{s:o}", "script",
		                 j.script ? script_view(j.code, &m, j.round, j.taken, NULL, 0)
		                          : json_null());
	mrow_release(&m);
	return rc;
}

/* A script by code and the caller's mark of it: NOT_FOUND unless s may mark there and holds
 * it (taken or marked). *mine is positioned on the row (round, taken_at, points, items,
 * marked_at, id); the caller finalizes it. */
static int script_load(struct kw_conn *c, const struct kw_session_info *s, const char *code,
                       struct mrow *m, int64_t *script, char *stage, size_t nstage,
                       struct kw_stmt **mine, struct kw_err *err)
{
	memset(m, 0, sizeof *m);
	*script = 0;
	*mine = NULL;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT s.id, s.stage, e.id, e.unit_id, b.id, b.code, " MARKING_COLS_M
	        " FROM scripts s JOIN markings m ON m.id = s.marking_id JOIN "
	        "exams e ON e.id = m.exam_id JOIN subjects b ON b.id = "
	        "m.subject_id WHERE s.code = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, code);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*script = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, stage, nstage);
			m->exam = kw_stmt_column_int64(st, 2);
			m->unit = kw_stmt_column_int64(st, 3);
			m->subject = kw_stmt_column_int64(st, 4);
			kw_stmt_column_copy(st, 5, m->code, sizeof m->code);
			mrow_read(st, 6, m);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && *script) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, "score.marking.mark", m->unit, &e2))
			*script = 0;
		kw_err_release(&e2);
	}
	st = NULL;
	if (!rc && *script)
		rc = kw_conn_prepare(c,
		                     "SELECT round, taken_at, points, items, marked_at, id FROM "
		                     "script_marks WHERE script_id = $1 AND marker_id = $2",
		                     &st, err);
	if (!rc && *script) {
		kw_stmt_bind_int64(st, 1, *script);
		kw_stmt_bind_int64(st, 2, s->user.id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*mine = st;
		else
			kw_stmt_finalize(st);
		rc = kw_step_ok(rc);
	}
	if (!rc && !*mine)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such script");
	return rc;
}

int kw_marking_script(struct kw_app *app, const struct kw_session_info *s, const char *code,
                      json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int64_t script;
	char stage[16];
	struct kw_stmt *mine = NULL;
	int rc = script_load(c, s, code, &m, &script, stage, sizeof stage, &mine, err);
	if (!rc) {
		char taken[32];
		kw_stmt_column_copy(mine, 1, taken, sizeof taken);
		*out = script_view(code, &m, kw_stmt_column_int64(mine, 0), taken, mine, 2);
	}
	kw_stmt_finalize(mine);
	kw_pool_put(app->pool, c);
	mrow_release(&m);
	return rc;
}

struct mark_job {
	int64_t marking, script, mark_id, round, user;
	int32_t points, tolerance;
	const char *items;
	int already; /* out: the mark was there already */
};

/* After a mark: the script's next stage, or its final points. */
static int resolve_script(struct kw_tx *tx, struct mark_job *j, const char *now, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int32_t marks[4] = {0};
	int have[5] = {0};
	char stage[16] = "";
	int rc = kw_conn_prepare(tx->conn, "SELECT stage FROM scripts WHERE id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, j->script);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			kw_stmt_column_copy(st, 0, stage, sizeof stage);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(tx->conn,
		                     "SELECT round, points FROM script_marks WHERE script_id = $1 "
		                     "AND points IS NOT NULL",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, j->script);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t r = kw_stmt_column_int64(st, 0);
			if (r >= 1 && r <= 4) {
				have[r] = 1;
				marks[r - 1] = (int32_t)kw_stmt_column_int64(st, 1);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc)
		return rc;
	const char *next = NULL, *resolved = NULL;
	int32_t final = 0;
	if (strcmp(stage, "double") == 0 && have[1] && have[2]) {
		if (kw_marking_resolve(marks, 2, j->tolerance, &final) == 0)
			next = "final", resolved = "double";
		else
			next = "third";
	} else if (strcmp(stage, "third") == 0 && have[3]) {
		if (kw_marking_resolve(marks, 3, j->tolerance, &final) == 0)
			next = "final", resolved = "third";
		else
			next = "chief";
	} else if (strcmp(stage, "chief") == 0 && have[ROUND_CHIEF]) {
		next = "final", resolved = "chief";
		final = marks[ROUND_CHIEF - 1];
	}
	if (!next)
		return 0;
	if (resolved)
		return kw_audit_put(
		        tx, err, "scripts", "score.marking.final",
		        json_pack("{s:s}", "resolved", resolved), NULL,
		        "UPDATE scripts SET stage = 'final', final = $1, resolved = $2, "
		        "updated_at = $3 WHERE id = $4 AND stage = $5",
		        "ittit", (int64_t) final, resolved, now, j->script, stage);
	return kw_audit_put(tx, err, "scripts", "score.marking.escalate",
	                    json_pack("{s:s}", "stage", next), NULL,
	                    "UPDATE scripts SET stage = $1, updated_at = $2 WHERE id = $3 AND "
	                    "stage = $4",
	                    "ttit", next, now, j->script, stage);
}

static int mark_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct mark_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = 0;
	j->already = 0;
	int rc = suspended_check(tx->conn, j->marking, j->user, err);
	if (rc)
		return rc;
	rc = kw_audit_put(tx, err, "script_marks", "score.marking.mark",
	                  json_pack("{s:I}", "round", (json_int_t)j->round), &id,
	                  "UPDATE script_marks SET points = $1, items = $2, marked_at = $3 "
	                  "WHERE id = $4 AND points IS NULL",
	                  "itti", (int64_t)j->points, j->items, now, j->mark_id);
	if (!rc && !id) {
		j->already = 1;
		return kw_err_set(err, KW_ECONFLICT, "MARKING_ALREADY_MARKED", "GRD-2",
		                  "you have marked this script already");
	}
	if (!rc)
		rc = resolve_script(tx, j, now, err);
	return rc;
}

int kw_marking_mark(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, const char *code, const json_t *body,
                    json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int64_t script;
	char stage[16];
	struct kw_stmt *mine = NULL;
	int rc = script_load(c, s, code, &m, &script, stage, sizeof stage, &mine, err);
	struct mark_job j = {.marking = m.id, .script = script, .user = s->user.id};
	if (!rc) {
		j.round = kw_stmt_column_int64(mine, 0);
		j.mark_id = kw_stmt_column_int64(mine, 5);
		j.tolerance = (int32_t)m.tolerance;
		if (!kw_stmt_column_is_null(mine, 2))
			rc = kw_err_set(err, KW_ECONFLICT, "MARKING_ALREADY_MARKED", "GRD-2",
			                "you have marked this script already");
	}
	kw_stmt_finalize(mine);
	mine = NULL;
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(m.status, "open") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_CLOSED", NULL,
		                "subject %s's marking is closed", m.code);
	/* the points: a number or "12.5" within the scheme; per-question points add up */
	char *items_s = NULL;
	if (!rc) {
		static const char *const known[] = {"points", "items"};
		json_t *fields = json_array();
		unknown_fields(body, known, 2, fields);
		mark_parse(json_object_get(body, "points"), json_object_get(body, "items"),
		           m.max_points, m.items, "", fields, &j.points, &items_s);
		if (json_array_size(fields))
			rc = invalid(err, fields);
		else
			json_decref(fields);
	}
	j.items = items_s;
	if (!rc)
		rc = kw_writer_run(app->writer, mark_job, &j, actor, err);
	free(items_s);
	mrow_release(&m);
	if (!rc)
		rc = kw_marking_script(app, s, code, out, err);
	return rc;
}

/* ---- totals before unblinding (GRD-3) ---- */

struct close_job {
	int64_t marking, user;
	/* out */
	int64_t unfinished, total, count;
};

static int close_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct close_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = query_int(tx->conn,
	                   "SELECT COUNT(*) FROM scripts WHERE marking_id = $1 AND stage <> "
	                   "'final' AND control_id IS NULL",
	                   j->marking, 0, 1, &j->unfinished, err);
	if (!rc && j->unfinished) {
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_OPEN", "GRD-3",
		                "%lld scripts are not final yet", (long long)j->unfinished);
		kw_err_detail(err, "unfinished", json_integer(j->unfinished));
		return rc;
	}
	if (!rc)
		rc = query_int(tx->conn,
		               "SELECT COUNT(*) FROM scripts WHERE marking_id = $1 AND control_id "
		               "IS NULL",
		               j->marking, 0, 1, &j->count, err);
	if (!rc)
		rc = query_int(tx->conn,
		               "SELECT COALESCE(SUM(final), 0) FROM scripts WHERE marking_id = $1 "
		               "AND control_id IS NULL",
		               j->marking, 0, 1, &j->total, err);
	int64_t id = 0;
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "markings", "score.marking.close",
		        json_pack("{s:I, s:I}", "total", (json_int_t)j->total, "finished",
		                  (json_int_t)j->count),
		        &id,
		        "UPDATE markings SET status = 'closed', total = $1, finished = $2, "
		        "closed_by = $3, closed_at = $4, updated_at = $4 WHERE id = $5 AND "
		        "status = 'open'",
		        "iiiti", j->total, j->count, j->user, now, j->marking);
	if (!rc && !id)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_CLOSED", NULL,
		                "the marking is closed already");
	return rc;
}

int kw_marking_close(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.lead", exam, subject, 1, &m, err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(m.status, "open") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_CLOSED", NULL,
		                "subject %s's marking is closed already", m.code);
	struct close_job j = {.marking = m.id, .user = s->user.id};
	if (!rc)
		rc = kw_writer_run(app->writer, close_job, &j, actor, err);
	mrow_release(&m);
	if (!rc)
		rc = kw_marking_get(app, s, exam, subject, out, err);
	return rc;
}

/* A total as the API takes it: a number or a decimal string, ≥ 0, at most two decimals (a
 * total may pass the 1,000 points of kw_scoring_points): *h hundredths, or -1. */
static int total_parse(const json_t *v, int64_t *h)
{
	char b[40];
	const char *t = json_string_value(v);
	if (!t && json_is_integer(v)) {
		snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
		t = b;
	} else if (!t && json_is_real(v)) {
		snprintf(b, sizeof b, "%.2f", json_real_value(v));
		if (fabs(json_real_value(v) * 100.0 - round(json_real_value(v) * 100.0)) > 1e-6)
			return -1;
		t = b;
	}
	if (!t || !*t || strlen(t) > 18)
		return -1;
	int64_t x = 0;
	int frac = -1;
	for (; *t; t++) {
		if (*t == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*t < '0' || *t > '9' || frac == 2)
			return -1;
		x = x * 10 + (*t - '0');
		if (frac >= 0)
			frac++;
	}
	if (frac == 0)
		return -1;
	*h = x * (frac <= 0 ? 100 : frac == 1 ? 10 : 1);
	return 0;
}

struct confirm_job {
	int64_t marking, user, total, count, closed_by;
	/* out */
	char digest[65];
};

/* The unblinded result's digest: "kaowu-marking-v1\n" and a line "registration TAB ticket TAB
 * script TAB final" per script in registration order. */
static int result_digest(struct kw_conn *c, int64_t marking, char out[65], int64_t *total,
                         int64_t *count, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"kaowu-marking-v1\n", 17);
	*total = *count = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT i.registration_id, i.ticket_no, s.code, s.final FROM "
	                         "scripts s JOIN script_identities i ON i.script_id = s.id WHERE "
	                         "s.marking_id = $1 ORDER BY i.registration_id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, marking);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			char line[160];
			int64_t f = kw_stmt_column_int64(st, 3);
			int len = snprintf(line, sizeof line, "%lld\t%s\t%s\t%lld\n",
			                   (long long)kw_stmt_column_int64(st, 0),
			                   kw_stmt_column_text(st, 1, NULL),
			                   kw_stmt_column_text(st, 2, NULL), (long long)f);
			crypto_hash_sha256_update(&h, (const unsigned char *)line,
			                          (size_t)len < sizeof line ? (size_t)len
			                                                    : sizeof line - 1);
			*total += f;
			(*count)++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof d);
	return rc;
}

static int confirm_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct confirm_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t total = 0, count = 0, rec_total = 0, rec_count = 0, open = 0;
	int rc = query_int(tx->conn,
	                   "SELECT COUNT(*) FROM scripts WHERE marking_id = $1 AND stage <> "
	                   "'final' AND control_id IS NULL",
	                   j->marking, 0, 1, &open, err);
	if (!rc)
		rc = query_int(tx->conn, "SELECT total FROM markings WHERE id = $1", j->marking, 0,
		               1, &rec_total, err);
	if (!rc)
		rc = query_int(tx->conn, "SELECT finished FROM markings WHERE id = $1", j->marking,
		               0, 1, &rec_count, err);
	if (!rc)
		rc = result_digest(tx->conn, j->marking, j->digest, &total, &count, err);
	if (rc)
		return rc;
	/* the checker's figures, the recorded total and the scripts as they are now agree */
	if (open || total != rec_total || count != rec_count || j->total != total ||
	    j->count != count) {
		rc = kw_err_set(err, KW_ERULE, "MARKING_TOTAL_MISMATCH", "GRD-3",
		                "the checked total does not agree with the recorded one");
		kw_err_detail(err, "given",
		              json_pack("{s:o, s:I}", "total", points_json(j->total), "scripts",
		                        (json_int_t)j->count));
		return rc;
	}
	int64_t id = 0;
	rc = kw_audit_put(tx, err, "markings", "score.marking.confirm",
	                  json_pack("{s:I, s:I, s:s}", "total", (json_int_t)total, "finished",
	                            (json_int_t)count, "result_digest", j->digest),
	                  &id,
	                  "UPDATE markings SET status = 'confirmed', confirmed_by = $1, "
	                  "confirmed_at = $2, result_digest = $3, updated_at = $2 WHERE id = $4 "
	                  "AND status = 'closed' AND closed_by <> $5",
	                  "ittii", j->user, now, j->digest, j->marking, j->user);
	if (!rc && !id)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_NOT_CLOSED", "GRD-3",
		                "the marking is not waiting for its check");
	return rc;
}

int kw_marking_confirm(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, struct kw_err *err)
{
	static const char *const known[] = {"total", "scripts"};
	json_t *fields = json_array();
	unknown_fields(body, known, 2, fields);
	const json_t *tv = json_object_get(body, "total"), *nv = json_object_get(body, "scripts");
	int64_t total = 0;
	/* a total may pass 1,000 points: hundredths from a decimal string or a number */
	if (!tv)
		problem(fields, "total", "required");
	else {
		if (total_parse(tv, &total))
			problem(fields, "total", "points");
	}
	if (!json_is_integer(nv) || json_integer_value(nv) < 0)
		problem(fields, "scripts", nv ? "type" : "required");
	if (json_array_size(fields))
		return invalid(err, fields);
	json_decref(fields);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.setup", exam, subject, 1, &m, err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(m.status, "confirmed") == 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_CONFIRMED", "GRD-3",
		                "subject %s's marking is confirmed already", m.code);
	else if (!rc && strcmp(m.status, "closed") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_NOT_CLOSED", "GRD-3",
		                "close subject %s's marking first: its total is checked after",
		                m.code);
	/* GRD-3 (AH 57(4)): the total is checked by someone other than who recorded it */
	if (!rc && m.closed_by == s->user.id)
		rc = kw_err_set(err, KW_ERULE, "MARKING_SAME_PERSON", "GRD-3",
		                "the total is checked by another person than the one who recorded "
		                "it");
	struct confirm_job j = {.marking = m.id,
	                        .user = s->user.id,
	                        .total = total,
	                        .count = json_integer_value(nv),
	                        .closed_by = m.closed_by};
	if (!rc)
		rc = kw_writer_run(app->writer, confirm_job, &j, actor, err);
	mrow_release(&m);
	if (!rc)
		rc = kw_marking_get(app, s, exam, subject, out, err);
	return rc;
}

/* ---- after unblinding ---- */

int kw_marking_results(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                       const char *subject, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.read", exam, subject, 1, &m, err);
	if (!rc && strcmp(m.status, "confirmed") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_NOT_CONFIRMED", "GRD-3",
		                "scripts are unblinded only after their total is checked");
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT i.registration_id, i.ticket_no, s.code, s.final, "
		                     "s.resolved FROM scripts s JOIN script_identities i ON "
		                     "i.script_id = s.id WHERE s.marking_id = $1 ORDER BY "
		                     "i.registration_id",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m.id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:o, s:o, s:o, s:o}", "registration_id",
			                  (json_int_t)kw_stmt_column_int64(st, 0), "ticket_no",
			                  col_json(st, 1), "script", col_json(st, 2), "final",
			                  points_json(kw_stmt_column_int64(st, 3)), "resolved",
			                  col_json(st, 4)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = json_pack("{s:s, s:o, s:I, s:o}", "subject", m.code, "total",
		                 points_json(m.total), "finished", (json_int_t)m.finished, "items",
		                 items);
	else
		json_decref(items);
	mrow_release(&m);
	return rc;
}

/* ---- quality: per-marker statistics (GRD-2, AH 57(3)) ---- */

/* One mark as the statistics read it. */
struct smark {
	int64_t id, script, user, round;
	int32_t points;
	int control;    /* a control script's copy */
	int32_t expert; /* its expert mark */
	int has_dev;
	double dev; /* from the other markers of the script, or from the expert mark */
	char at[40];
};

struct mstat {
	int64_t user;
	char name[64];
	int64_t n;
	double sum, sumsq;
	int suspended;
	double *peer, *ctl, *seq;
	size_t npeer, nctl, nseq;
};

static struct mstat *mstat_of(struct mstat **v, size_t *n, size_t *cap, int64_t user,
                              const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].user == user)
			return &(*v)[i];
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = kw_xrealloc(*v, *cap * sizeof **v);
	}
	struct mstat *x = &(*v)[(*n)++];
	memset(x, 0, sizeof *x);
	x->user = user;
	snprintf(x->name, sizeof x->name, "%s", name);
	return x;
}

/* One script's marks k[0..n): each of rounds 1-3 against the mean of the other marks of
 * rounds 1-3 of the same script. */
static void script_devs(struct smark *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (k[i].round > 3)
			continue;
		double other = 0;
		int no = 0;
		for (size_t q = 0; q < n; q++)
			if (q != i && k[q].round <= 3) {
				other += k[q].points;
				no++;
			}
		if (!no)
			continue;
		k[i].dev = k[i].points - other / no;
		k[i].has_dev = 1;
	}
}

static json_t *stat_json(int64_t n, double sum, double sumsq)
{
	double mean = n ? sum / (double)n : 0, var = n ? sumsq / (double)n - mean * mean : 0;
	return json_pack("{s:I, s:o, s:o}", "marks", (json_int_t)n, "mean",
	                 n ? points_json((int64_t)llround(mean)) : json_null(), "sd",
	                 n ? points_json((int64_t)llround(sqrt(var > 0 ? var : 0))) : json_null());
}

static json_t *round_json(double x)
{
	return points_json((int64_t)llround(x));
}

/* The flags of kw_marking_quality as the API shows them. */
static json_t *flags_json(const struct kw_marker_quality *mq)
{
	json_t *f = json_array();
	if (mq->flags & KW_MQ_LENIENT_PEERS)
		json_array_append_new(f, json_pack("{s:s, s:s, s:o}", "flag", "lenient", "basis",
		                                   "peers", "value", round_json(mq->peer_mean)));
	if (mq->flags & KW_MQ_STRICT_PEERS)
		json_array_append_new(f, json_pack("{s:s, s:s, s:o}", "flag", "strict", "basis",
		                                   "peers", "value", round_json(mq->peer_mean)));
	if (mq->flags & KW_MQ_LENIENT_CONTROL)
		json_array_append_new(f,
		                      json_pack("{s:s, s:s, s:o}", "flag", "lenient", "basis",
		                                "control", "value", round_json(mq->control_mean)));
	if (mq->flags & KW_MQ_STRICT_CONTROL)
		json_array_append_new(f,
		                      json_pack("{s:s, s:s, s:o}", "flag", "strict", "basis",
		                                "control", "value", round_json(mq->control_mean)));
	if (mq->flags & KW_MQ_DRIFT)
		json_array_append_new(f, json_pack("{s:s, s:s, s:o}", "flag", "drift", "basis",
		                                   "marks", "value", round_json(mq->drift)));
	return f;
}

static int smark_by_time(const void *a, const void *b)
{
	const struct smark *x = a, *y = b;
	int c = strcmp(x->at, y->at);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int mstat_by_name(const void *a, const void *b)
{
	return strcmp(((const struct mstat *)a)->name, ((const struct mstat *)b)->name);
}

static void push(double **v, size_t *n, double x)
{
	*v = kw_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = x;
}

/* Every mark of the marking (*k, *nk; by script and round) and the markers they name, with
 * the suspended ones (*v, *nv). */
static int marks_load(struct kw_conn *c, int64_t marking, struct smark **k, size_t *nk,
                      struct mstat **v, size_t *nv, struct kw_err *err)
{
	size_t capk = 0, capv = 0;
	*k = NULL;
	*v = NULL;
	*nk = *nv = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT k.id, k.script_id, k.marker_id, u.username, k.round, k.points, "
	        "k.marked_at, c.points FROM script_marks k JOIN scripts s ON s.id = k.script_id "
	        "JOIN users u ON u.id = k.marker_id LEFT JOIN marking_controls c ON c.id = "
	        "s.control_id WHERE s.marking_id = $1 AND k.points IS NOT NULL ORDER BY "
	        "k.script_id, k.round",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, marking);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (*nk == capk) {
				capk = capk ? 2 * capk : 256;
				*k = kw_xrealloc(*k, capk * sizeof **k);
			}
			struct smark *x = &(*k)[(*nk)++];
			memset(x, 0, sizeof *x);
			x->id = kw_stmt_column_int64(st, 0);
			x->script = kw_stmt_column_int64(st, 1);
			x->user = kw_stmt_column_int64(st, 2);
			mstat_of(v, nv, &capv, x->user, kw_stmt_column_text(st, 3, NULL));
			x->round = kw_stmt_column_int64(st, 4);
			x->points = (int32_t)kw_stmt_column_int64(st, 5);
			kw_stmt_column_copy(st, 6, x->at, sizeof x->at);
			x->control = !kw_stmt_column_is_null(st, 7);
			x->expert = x->control ? (int32_t)kw_stmt_column_int64(st, 7) : 0;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT u.id, u.username FROM marking_suspensions p JOIN users "
		        "u ON u.id = p.marker_id WHERE p.marking_id = $1 AND "
		        "p.lifted_at IS NULL",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, marking);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			mstat_of(v, nv, &capv, kw_stmt_column_int64(st, 0),
			         kw_stmt_column_text(st, 1, NULL))
			        ->suspended = 1;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_marking_markers(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                       const char *subject, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.lead", exam, subject, 1, &m, err);
	struct smark *k = NULL;
	struct mstat *v = NULL;
	size_t nk = 0, nv = 0;
	if (!rc)
		rc = marks_load(c, m.id, &k, &nk, &v, &nv, err);
	kw_pool_put(app->pool, c);
	if (!rc) {
		/* the deviations: per script from the other markers, per control from the expert */
		for (size_t i = 0; i < nk;) {
			size_t e = i + 1;
			while (e < nk && k[e].script == k[i].script)
				e++;
			if (k[i].control) {
				for (size_t q = i; q < e; q++) {
					k[q].dev = k[q].points - k[q].expert;
					k[q].has_dev = 1;
				}
			} else {
				script_devs(k + i, e - i);
			}
			i = e;
		}
		/* in the order marked, into each marker's lists */
		qsort(k, nk, sizeof *k, smark_by_time);
		for (size_t i = 0; i < nk; i++) {
			struct mstat *x = NULL;
			for (size_t q = 0; q < nv && !x; q++)
				if (v[q].user == k[i].user)
					x = &v[q];
			if (!x)
				continue;
			if (!k[i].control) {
				x->n++;
				x->sum += k[i].points;
				x->sumsq += (double)k[i].points * k[i].points;
			}
			if (!k[i].has_dev)
				continue;
			if (k[i].control)
				push(&x->ctl, &x->nctl, k[i].dev);
			else
				push(&x->peer, &x->npeer, k[i].dev);
			push(&x->seq, &x->nseq, k[i].dev);
		}
		qsort(v, nv, sizeof *v, mstat_by_name);
		struct kw_marking_quality q = quality_of(&m);
		json_t *items = json_array();
		int64_t gn = 0;
		double gs = 0, gq = 0;
		for (size_t i = 0; i < nv; i++) {
			struct kw_marker_quality mq;
			kw_marking_quality(v[i].peer, v[i].npeer, v[i].ctl, v[i].nctl, v[i].seq,
			                   v[i].nseq, &q, &mq);
			json_t *x = stat_json(v[i].n, v[i].sum, v[i].sumsq);
			json_object_set_new(x, "marker", json_string(v[i].name));
			json_object_set_new(x, "compared", json_integer((json_int_t)v[i].npeer));
			json_object_set_new(x, "mean_difference",
			                    v[i].npeer ? round_json(mq.peer_mean) : json_null());
			json_object_set_new(
			        x, "control",
			        json_pack("{s:I, s:o}", "marks", (json_int_t)v[i].nctl,
			                  "mean_difference",
			                  v[i].nctl ? round_json(mq.control_mean) : json_null()));
			json_object_set_new(x, "drift",
			                    mq.has_drift ? round_json(mq.drift) : json_null());
			json_object_set_new(x, "flags", flags_json(&mq));
			json_object_set_new(x, "suspended", json_boolean(v[i].suspended));
			json_array_append_new(items, x);
			gn += v[i].n;
			gs += v[i].sum;
			gq += v[i].sumsq;
		}
		*out = json_pack("{s:s, s:o, s:o, s:o, s:o}", "subject", m.code, "tolerance",
		                 points_json(m.tolerance), "quality", quality_json(&m), "group",
		                 stat_json(gn, gs, gq), "items", items);
	}
	for (size_t i = 0; i < nv; i++) {
		free(v[i].peer);
		free(v[i].ctl);
		free(v[i].seq);
	}
	free(v);
	free(k);
	mrow_release(&m);
	return rc;
}

/* ---- the markings a person works on (the marker's page) ---- */

struct lrow {
	int64_t id, exam, unit, scripts;
	char exam_code[64], exam_name[200], subject[64], subject_name[200], status[16];
};

int kw_marking_list(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                    struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct lrow *v = NULL;
	size_t n = 0, cap = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT m.id, e.id, e.unit_id, m.scripts, e.code, e.name, b.code, "
	                         "b.name, m.status FROM markings m JOIN exams e ON e.id = "
	                         "m.exam_id JOIN subjects b ON b.id = m.subject_id ORDER BY e.id "
	                         "DESC, b.code",
	                         &st, err);
	if (!rc) {
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				v = kw_xrealloc(v, cap * sizeof *v);
			}
			struct lrow *x = &v[n++];
			x->id = kw_stmt_column_int64(st, 0);
			x->exam = kw_stmt_column_int64(st, 1);
			x->unit = kw_stmt_column_int64(st, 2);
			x->scripts = kw_stmt_column_int64(st, 3);
			kw_stmt_column_copy(st, 4, x->exam_code, sizeof x->exam_code);
			kw_stmt_column_copy(st, 5, x->exam_name, sizeof x->exam_name);
			kw_stmt_column_copy(st, 6, x->subject, sizeof x->subject);
			kw_stmt_column_copy(st, 7, x->subject_name, sizeof x->subject_name);
			kw_stmt_column_copy(st, 8, x->status, sizeof x->status);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	json_t *items = json_array();
	static const char *const acts[][2] = {{"mark", "score.marking.mark"},
	                                      {"chief", "score.marking.chief"},
	                                      {"lead", "score.marking.lead"},
	                                      {"confirm", "score.marking.setup"},
	                                      {"read", "score.read"}};
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *can = json_object();
		int any = 0;
		for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
			struct kw_err e2 = KW_ERR_INIT;
			int ok = kw_authz_check(c, s, acts[a][1], v[i].unit, &e2) == 0;
			kw_err_release(&e2);
			json_object_set_new(can, acts[a][0], json_boolean(ok));
			any |= ok && a != 4;
		}
		if (!any) {
			json_decref(can);
			continue;
		}
		int64_t susp = 0, mine = 0;
		rc = query_int(c,
		               "SELECT COUNT(*) FROM marking_suspensions WHERE marking_id = $1 AND "
		               "marker_id = $2 AND lifted_at IS NULL",
		               v[i].id, s->user.id, 2, &susp, err);
		if (!rc)
			rc = query_int(
			        c,
			        "SELECT COUNT(*) FROM script_marks k JOIN scripts s ON s.id = "
			        "k.script_id WHERE s.marking_id = $1 AND k.marker_id = $2 AND "
			        "k.points IS NOT NULL",
			        v[i].id, s->user.id, 2, &mine, err);
		json_array_append_new(
		        items,
		        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:b, s:I}", "id",
		                  (json_int_t)v[i].id, "exam_id", (json_int_t)v[i].exam,
		                  "exam_code", v[i].exam_code, "exam_name", v[i].exam_name,
		                  "subject", v[i].subject, "subject_name", v[i].subject_name,
		                  "status", v[i].status, "scripts", (json_int_t)v[i].scripts, "can",
		                  can, "suspended", (int)(susp > 0), "my_marks", (json_int_t)mine));
	}
	kw_pool_put(app->pool, c);
	free(v);
	if (!rc)
		*out = json_pack("{s:o}", "items", items);
	else
		json_decref(items);
	return rc;
}

/* ---- control scripts (GRD-2, AH 57(3)) ---- */

struct control_job {
	int64_t marking, user;
	const struct control *x;
	int64_t id; /* out */
};

static int control_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct control_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t n = 0;
	int rc = query_int(tx->conn, "SELECT COUNT(*) FROM marking_controls WHERE marking_id = $1",
	                   j->marking, 0, 1, &n, err);
	if (!rc && n >= MAX_CONTROLS)
		return kw_err_set(err, KW_ECONFLICT, "MARKING_CONTROLS_LIMIT", NULL,
		                  "a marking has at most %d control scripts", MAX_CONTROLS);
	if (!rc)
		rc = control_insert(tx, j->marking, j->x, j->user, now, &j->id, err);
	return rc;
}

int kw_marking_control_add(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t exam, const char *subject,
                           const json_t *body, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.lead", exam, subject, 1, &m, err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(m.status, "open") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_CLOSED", NULL,
		                "subject %s's marking is closed", m.code);
	struct control x = {0};
	if (!rc) {
		json_t *fields = json_array();
		control_parse(body, &m, m.items, "", fields, &x);
		if (json_array_size(fields))
			rc = invalid(err, fields);
		else
			json_decref(fields);
	}
	struct control_job j = {.marking = m.id, .user = s->user.id, .x = &x};
	if (!rc)
		rc = kw_writer_run(app->writer, control_job, &j, actor, err);
	free(x.items);
	mrow_release(&m);
	if (!rc)
		rc = kw_marking_controls(app, s, exam, subject, out, err);
	return rc;
}

int kw_marking_controls(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const char *subject, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.lead", exam, subject, 1, &m, err);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT c.id, c.label, c.points, c.items, u.username, c.created_at, "
		        "(SELECT "
		        "COUNT(*) FROM scripts s JOIN script_marks k ON k.script_id = s.id WHERE "
		        "s.control_id = c.id), (SELECT COUNT(k.points) FROM scripts s JOIN "
		        "script_marks k ON k.script_id = s.id WHERE s.control_id = c.id), (SELECT "
		        "SUM(k.points) FROM scripts s JOIN script_marks k ON k.script_id = s.id "
		        "WHERE s.control_id = c.id) FROM marking_controls c JOIN users u ON u.id = "
		        "c.created_by WHERE c.marking_id = $1 ORDER BY c.id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m.id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t expert = kw_stmt_column_int64(st, 2);
			int64_t marked = kw_stmt_column_int64(st, 7);
			double sum = kw_stmt_column_is_null(st, 8)
			                     ? 0
			                     : (double)kw_stmt_column_int64(st, 8);
			json_t *it =
			        kw_stmt_column_is_null(st, 3)
			                ? NULL
			                : json_loads(kw_stmt_column_text(st, 3, NULL), 0, NULL);
			json_t *shown = json_array();
			size_t i;
			json_t *x;
			json_array_foreach(it, i, x)
			        json_array_append_new(shown, points_json(json_integer_value(x)));
			json_decref(it);
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o}", "id",
			                  (json_int_t)kw_stmt_column_int64(st, 0), "label",
			                  col_json(st, 1), "points", points_json(expert), "items",
			                  shown, "created_by", col_json(st, 4), "created_at",
			                  col_json(st, 5), "handed_out",
			                  (json_int_t)kw_stmt_column_int64(st, 6), "marked",
			                  (json_int_t)marked, "mean_difference",
			                  marked ? round_json(sum / (double)marked - (double)expert)
			                         : json_null()));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = json_pack("{s:s, s:o}", "subject", m.code, "items", items);
	else
		json_decref(items);
	mrow_release(&m);
	return rc;
}

/* ---- suspensions (GRD-1: the lead replaces markers, AH 56/59) ---- */

struct suspend_job {
	int64_t marking, user, marker;
	const char *reason;
	int lift;
	int64_t released; /* out */
};

static int suspend_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct suspend_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = 0;
	j->released = 0;
	if (j->lift) {
		int rc = kw_audit_put(
		        tx, err, "marking_suspensions", "score.marking.reinstate",
		        json_pack("{s:I}", "marker_id", (json_int_t)j->marker), &id,
		        "UPDATE marking_suspensions SET lifted_by = $1, lifted_at = $2 "
		        "WHERE marking_id = $3 AND marker_id = $4 AND lifted_at IS "
		        "NULL",
		        "itii", j->user, now, j->marking, j->marker);
		if (!rc && !id)
			rc = kw_err_set(err, KW_ECONFLICT, "MARKING_NOT_SUSPENDED", NULL,
			                "the marker is not suspended");
		return rc;
	}
	int64_t n = 0;
	int rc = query_int(tx->conn,
	                   "SELECT COUNT(*) FROM marking_suspensions WHERE marking_id = $1 AND "
	                   "marker_id = $2 AND lifted_at IS NULL",
	                   j->marking, j->marker, 2, &n, err);
	if (!rc && n)
		return kw_err_set(err, KW_ECONFLICT, "MARKING_SUSPENDED_ALREADY", NULL,
		                  "the marker is suspended already");
	if (!rc)
		rc = kw_audit_put(tx, err, "marking_suspensions", "score.marking.suspend",
		                  json_pack("{s:I}", "marker_id", (json_int_t)j->marker), &id,
		                  "INSERT INTO marking_suspensions (marking_id, marker_id, reason, "
		                  "suspended_by, suspended_at) VALUES ($1, $2, $3, $4, $5)",
		                  "iitit", j->marking, j->marker, j->reason, j->user, now);
	/* the scripts they held and had not marked go back to the others */
	int64_t *ids = NULL;
	size_t nids = 0;
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(tx->conn,
		                     "SELECT k.id FROM script_marks k JOIN scripts s ON s.id = "
		                     "k.script_id WHERE s.marking_id = $1 AND k.marker_id = $2 AND "
		                     "k.points IS NULL ORDER BY k.id",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, j->marking);
		kw_stmt_bind_int64(st, 2, j->marker);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			ids = kw_xrealloc(ids, (nids + 1) * sizeof *ids);
			ids[nids++] = kw_stmt_column_int64(st, 0);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; !rc && i < nids; i++) {
		st = NULL;
		rc = kw_conn_prepare(tx->conn, "DELETE FROM script_marks WHERE id = $1", &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, ids[i]);
			rc = kw_step_ok(kw_stmt_step(st, err));
		}
		kw_stmt_finalize(st);
		json_t *d = json_pack("{s:I}", "marker_id", (json_int_t)j->marker);
		if (!rc)
			rc = kw_audit_append(tx, "score.marking.release", "script_marks", ids[i], d,
			                     err);
		json_decref(d);
	}
	free(ids);
	j->released = (int64_t)nids;
	return rc;
}

/* The user named username (any status), or NOT_FOUND / a field problem. */
static int user_by_name(struct kw_conn *c, const char *username, int64_t *id, struct kw_err *err)
{
	*id = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT id FROM users WHERE username = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, username);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

#define MAX_REASON 1000 /* bytes */

static int suspension(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const char *subject,
                      const char *username, const char *reason, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct mrow m;
	int rc = marking_load(c, s, "score.marking.lead", exam, subject, 1, &m, err);
	int64_t marker = 0;
	if (!rc)
		rc = user_by_name(c, username, &marker, err);
	kw_pool_put(app->pool, c);
	if (!rc && !reason && !marker)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such marker");
	if (!rc && reason && (!marker || marker == s->user.id)) {
		json_t *fields = json_array();
		problem(fields, "marker", marker ? "self" : "unknown");
		rc = invalid(err, fields);
	}
	if (!rc && strcmp(m.status, "open") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "MARKING_CLOSED", NULL,
		                "subject %s's marking is closed", m.code);
	struct suspend_job j = {.marking = m.id,
	                        .user = s->user.id,
	                        .marker = marker,
	                        .reason = reason,
	                        .lift = !reason};
	if (!rc)
		rc = kw_writer_run(app->writer, suspend_job, &j, actor, err);
	mrow_release(&m);
	if (!rc)
		rc = kw_marking_markers(app, s, exam, subject, out, err);
	if (!rc && reason)
		json_object_set_new(*out, "released", json_integer(j.released));
	return rc;
}

int kw_marking_suspend(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, struct kw_err *err)
{
	static const char *const known[] = {"marker", "reason"};
	json_t *fields = json_array();
	unknown_fields(body, known, 2, fields);
	const char *who = json_string_value(json_object_get(body, "marker"));
	const char *why = json_string_value(json_object_get(body, "reason"));
	if (!who || !*who)
		problem(fields, "marker", "required");
	if (!why || !*why)
		problem(fields, "reason", "required");
	else if (strlen(why) > MAX_REASON)
		problem(fields, "reason", "too_long");
	if (json_array_size(fields))
		return invalid(err, fields);
	json_decref(fields);
	return suspension(app, actor, s, exam, subject, who, why, out, err);
}

int kw_marking_reinstate(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const char *subject,
                         const char *username, json_t **out, struct kw_err *err)
{
	return suspension(app, actor, s, exam, subject, username, NULL, out, err);
}
