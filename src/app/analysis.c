/* Item analysis and score pictures of a score run (issue 10 item 6): see analysis.h. */
#include "app/analysis.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/scoring.h"
#include "core/itemstats.h"
#include "core/score.h"
#include "render/analysis.h"
#include "render/isolate.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/i18n.h"

/* A statistic rounded to `digits` decimals. */
static json_t *num(double v, int digits)
{
	double f = pow(10, digits);
	double r = round(v * f) / f;
	return json_real(r == 0 ? 0 : r); /* no -0 */
}

static json_t *points_str(int64_t h)
{
	char b[24];
	kw_score_fmt((int32_t)h, b, sizeof b);
	return json_string(b);
}

/* A form of the run: its key (app/scoring.h's loader), laid out for counting. */
struct form {
	const char *name;
	int master;
	const struct kw_score_key *key;
	const struct kw_form_perm *perm;
	struct kw_itemstats_form *counted; /* perm laid out for counting (not the master) */
};

/* ---- the groups: exam areas and centres of the published seating run ---- */

struct group {
	int64_t id, area_id;
	char code[64], name[256];
	struct kw_dist *dist;
};

struct room {
	int64_t id;
	int32_t area, centre; /* indices into the groups */
};

/* ---- one analysis ---- */

struct analysis {
	int64_t run, exam, subject, unit;
	char code[64], subject_name[256], created[40];
	char run_answers[65], now_answers[65];
	int64_t candidates, scored, absent, zeroed, cancelled;
	struct kw_scoring_key *keys; /* the run's keys, the master first */
	struct form forms[KW_SCORING_MAX_FORMS];
	size_t nforms;
	struct kw_itemstats *st;
	/* the run's scored candidates, in registration order */
	int64_t *reg;
	int32_t *raw, *area, *centre;
	uint8_t *seen;
	size_t ncand;
	int64_t differ, missing;
	int marked; /* the run has a marking: raw is objective + subjective */
	struct group *areas, *centres;
	size_t nareas, ncentres;
	int32_t width, gunit; /* the histogram's bin width; the groups' cell */
};

static void analysis_release(struct analysis *a)
{
	for (size_t i = 0; i < a->nforms; i++)
		kw_itemstats_form_free(a->forms[i].counted);
	free(a->keys);
	kw_itemstats_free(a->st);
	free(a->reg);
	free(a->raw);
	free(a->area);
	free(a->centre);
	free(a->seen);
	for (size_t i = 0; i < a->nareas; i++)
		kw_dist_free(a->areas[i].dist);
	for (size_t i = 0; i < a->ncentres; i++)
		kw_dist_free(a->centres[i].dist);
	free(a->areas);
	free(a->centres);
	memset(a, 0, sizeof *a);
}

/* The run, its subject and exam; s must hold action at the exam's unit (else NOT_FOUND). */
static int run_load(struct kw_conn *c, const struct kw_session_info *s, int64_t id,
                    struct analysis *a, json_t **keys, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*keys = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT r.exam_id, r.subject_id, b.code, b.name, r.keys, r.answers_digest, "
	        "r.candidates, r.scored, r.absent, r.zeroed, r.cancelled, r.created_at, e.unit_id "
	        "FROM score_runs r JOIN subjects b ON b.id = r.subject_id JOIN exams e ON e.id = "
	        "r.exam_id WHERE r.id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			a->run = id;
			a->exam = kw_stmt_column_int64(st, 0);
			a->subject = kw_stmt_column_int64(st, 1);
			kw_stmt_column_copy(st, 2, a->code, sizeof a->code);
			kw_stmt_column_copy(st, 3, a->subject_name, sizeof a->subject_name);
			*keys = json_loads(kw_stmt_column_text(st, 4, NULL), 0, NULL);
			kw_stmt_column_copy(st, 5, a->run_answers, sizeof a->run_answers);
			a->candidates = kw_stmt_column_int64(st, 6);
			a->scored = kw_stmt_column_int64(st, 7);
			a->absent = kw_stmt_column_int64(st, 8);
			a->zeroed = kw_stmt_column_int64(st, 9);
			a->cancelled = kw_stmt_column_int64(st, 10);
			kw_stmt_column_copy(st, 11, a->created, sizeof a->created);
			a->unit = kw_stmt_column_int64(st, 12);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && a->run) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, "score.read", a->unit, &e2))
			a->run = 0;
		kw_err_release(&e2);
	}
	if (!rc && !a->run)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such score run");
	if (!rc && !json_is_object(*keys))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "the run's keys are damaged");
	return rc;
}

/* The keys the run used (by id), the master first, each form checked against it (CUS-8). */
static int keys_load(struct kw_conn *c, struct analysis *a, const json_t *keys, struct kw_err *err)
{
	int rc = kw_scoring_keys_load(c, a->subject, keys, KW_SCORING_KEYS_VERIFY, &a->keys,
	                              &a->nforms, err);
	if (!rc && !a->nforms)
		rc = kw_err_set(err, KW_ECONFLICT, "ANALYSIS_NO_KEYS", NULL,
		                "the run scored no answer sheets: there are no items to analyse");
	for (size_t i = 0; !rc && i < a->nforms; i++) {
		struct form *f = &a->forms[i];
		f->name = a->keys[i].form;
		f->master = a->keys[i].master;
		f->key = &a->keys[i].key;
		f->perm = &a->keys[i].perm;
	}
	for (size_t i = 1; !rc && i < a->nforms; i++)
		if (!(a->forms[i].counted = kw_itemstats_form_new(a->forms[i].perm)))
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "the run's form %s is damaged", a->forms[i].name);
	if (!rc && !(a->st = kw_itemstats_new(a->forms[0].key)))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the run's master key is damaged");
	return rc;
}

/* The run's scored candidates and their raw scores, from its blocks. */
static int scored_load(struct kw_conn *c, struct analysis *a, struct kw_err *err)
{
	size_t cap = a->scored > 0 ? (size_t)a->scored : 1;
	a->reg = kw_xmalloc(cap * sizeof *a->reg);
	a->raw = kw_xmalloc(cap * sizeof *a->raw);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT body FROM score_blocks WHERE run_id = $1 ORDER BY seq",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, a->run);
		while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
			rc = 0;
			const char *body = kw_stmt_column_text(st, 0, NULL);
			for (const char *p = body; p && *p;) {
				/* reg, ticket, form, status, raw, final, case_id[, objective,
				 * subjective] (a run with a marking: raw is their sum) */
				const char *e = strchr(p, '\n'), *f[9];
				f[0] = p;
				for (int k = 1; k < 9; k++) {
					f[k] = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
					f[k] = f[k] && f[k] < e ? f[k] + 1 : NULL;
				}
				if (!e || !f[6] || f[6] > e) {
					rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
					                "a score block is damaged");
					break;
				}
				const char *obj = f[7] && f[8] ? f[7] : f[4];
				if (f[7] && f[8])
					a->marked = 1;
				if (f[4] - f[3] == 7 && strncmp(f[3], "scored", 6) == 0 &&
				    *obj != '\t') {
					if (a->ncand == cap) {
						cap *= 2;
						a->reg = kw_xrealloc(a->reg, cap * sizeof *a->reg);
						a->raw = kw_xrealloc(a->raw, cap * sizeof *a->raw);
					}
					a->reg[a->ncand] = strtoll(p, NULL, 10);
					a->raw[a->ncand] = (int32_t)strtol(obj, NULL, 10);
					a->ncand++;
				}
				p = e + 1;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	a->area = kw_xmalloc((a->ncand ? a->ncand : 1) * sizeof *a->area);
	a->centre = kw_xmalloc((a->ncand ? a->ncand : 1) * sizeof *a->centre);
	a->seen = kw_xcalloc(a->ncand ? a->ncand : 1, 1);
	for (size_t i = 0; i < a->ncand; i++)
		a->area[i] = a->centre[i] = -1;
	for (size_t i = 1; !rc && i < a->ncand; i++)
		if (a->reg[i] <= a->reg[i - 1])
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "a run's scores are out of order");
	return rc;
}

/* The position of registration reg among the scored, or -1. */
static ssize_t cand_find(const struct analysis *a, int64_t reg)
{
	size_t lo = 0, hi = a->ncand;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->reg[mid] < reg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->ncand && a->reg[lo] == reg ? (ssize_t)lo : -1;
}

static int cmp_room(const void *x, const void *y)
{
	const struct room *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static int cmp_group(const void *x, const void *y)
{
	const struct group *a = x, *b = y;
	return strcmp(a->code, b->code) ? strcmp(a->code, b->code)
	                                : (a->id > b->id) - (a->id < b->id);
}

/* The groups of sql (id, code, name[, area_id]) with $1 = the seating run. */
static int groups_load(struct kw_conn *c, const char *sql, int64_t srun, struct group **out,
                       size_t *n, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, srun);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 16;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct group *g = &(*out)[(*n)++];
			memset(g, 0, sizeof *g);
			g->id = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, g->code, sizeof g->code);
			kw_stmt_column_copy(st, 2, g->name, sizeof g->name);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_group);
	return rc;
}

/* Groups by id (g is in code order): an index of (id, position) pairs sorted by id. */
struct gid {
	int64_t id;
	int32_t at;
};

static int cmp_gid(const void *x, const void *y)
{
	const struct gid *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static struct gid *gid_index(const struct group *g, size_t n)
{
	struct gid *v = kw_xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct gid){.id = g[i].id, .at = (int32_t)i};
	qsort(v, n, sizeof *v, cmp_gid);
	return v;
}

static int32_t group_index(const struct gid *v, size_t n, int64_t id)
{
	struct gid key = {.id = id};
	const struct gid *x = n ? bsearch(&key, v, n, sizeof *v, cmp_gid) : NULL;
	return x ? x->at : -1;
}

/* Each scored candidate's exam area and centre: the published run's rooms, then its seats
 * in table order (two sequential reads, joined here). */
static int seats_load(struct kw_conn *c, struct analysis *a, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int64_t srun = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT id FROM seating_runs WHERE exam_id = $1 AND status = "
	                         "'published'",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, a->exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			srun = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc || !srun)
		return rc;
	rc = groups_load(c,
	                 "SELECT u.id, u.code, u.name FROM units u WHERE u.id IN (SELECT "
	                 "area_id FROM exam_rooms WHERE run_id = $1)",
	                 srun, &a->areas, &a->nareas, err);
	if (!rc)
		rc = groups_load(c,
		                 "SELECT c.id, c.code, c.name FROM centres c WHERE c.id IN (SELECT "
		                 "centre_id FROM exam_rooms WHERE run_id = $1)",
		                 srun, &a->centres, &a->ncentres, err);
	struct room *rooms = NULL;
	size_t nrooms = 0, cap = 0;
	struct gid *ai = rc ? NULL : gid_index(a->areas, a->nareas),
	           *ci = rc ? NULL : gid_index(a->centres, a->ncentres);
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c, "SELECT id, area_id, centre_id FROM exam_rooms WHERE run_id = $1", &st,
		        err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, srun);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (nrooms == cap) {
				cap = cap ? 2 * cap : 64;
				rooms = kw_xrealloc(rooms, cap * sizeof *rooms);
			}
			struct room *r = &rooms[nrooms++];
			r->id = kw_stmt_column_int64(st, 0);
			r->area = group_index(ai, a->nareas, kw_stmt_column_int64(st, 1));
			r->centre = group_index(ci, a->ncentres, kw_stmt_column_int64(st, 2));
			if (r->centre >= 0)
				a->centres[r->centre].area_id = kw_stmt_column_int64(st, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (nrooms)
		qsort(rooms, nrooms, sizeof *rooms, cmp_room);
	st = NULL;
	if (!rc && nrooms && a->ncand)
		rc = kw_conn_prepare(
		        c, "SELECT registration_id, exam_room_id FROM seats WHERE run_id + 0 = $1",
		        &st, err);
	if (!rc && nrooms && a->ncand) {
		kw_stmt_bind_int64(st, 1, srun);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			ssize_t i = cand_find(a, kw_stmt_column_int64(st, 0));
			if (i < 0)
				continue;
			struct room key = {.id = kw_stmt_column_int64(st, 1)};
			const struct room *r =
			        bsearch(&key, rooms, nrooms, sizeof *rooms, cmp_room);
			if (r) {
				a->area[i] = r->area;
				a->centre[i] = r->centre;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	free(rooms);
	free(ai);
	free(ci);
	return rc;
}

/* One sheet (kw_scoring_sheets_each): counted when the run scored its candidate. */
struct sheet_walk {
	struct analysis *a;
	uint8_t *ans;
};

static int sheet_count(void *arg, const struct kw_scoring_sheet *sh, struct kw_err *err)
{
	struct sheet_walk *w = arg;
	struct analysis *a = w->a;
	ssize_t i = cand_find(a, sh->reg);
	if (i < 0 || a->seen[i])
		return 0; /* not scored by the run (absent then, zeroed, cancelled) */
	size_t q = 0;
	if (kw_scoring_sheet_decode(sh, a->keys, a->nforms, w->ans, &q, err)) {
		kw_err_release(err);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "a scored sheet does not fit the run's keys");
	}
	int32_t t = a->forms[q].master ? kw_itemstats_add(a->st, w->ans)
	                               : kw_itemstats_add_form(a->st, a->forms[q].counted, w->ans);
	a->seen[i] = 1;
	if (t != a->raw[i])
		a->differ++;
	if (a->area[i] >= 0)
		kw_dist_add(a->areas[a->area[i]].dist, t);
	if (a->centre[i] >= 0)
		kw_dist_add(a->centres[a->centre[i]].dist, t);
	return 0;
}

/* Every sheet of the subject whose candidate the run scored: counted in master order. */
static int sheets_read(struct kw_conn *c, struct analysis *a, struct kw_err *err)
{
	struct sheet_walk w = {a, kw_xmalloc(a->forms[0].key->n)};
	int rc = kw_scoring_sheets_each(c, a->subject, sheet_count, &w, a->now_answers, err);
	free(w.ans);
	for (size_t i = 0; i < a->ncand; i++)
		a->missing += !a->seen[i];
	return rc;
}

static int analysis_compute(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                            struct analysis *a, struct kw_err *err)
{
	memset(a, 0, sizeof *a);
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *keys = NULL;
	int rc = run_load(c, s, run, a, &keys, err);
	if (!rc)
		rc = keys_load(c, a, keys, err);
	json_decref(keys);
	if (!rc)
		rc = scored_load(c, a, err);
	if (!rc)
		rc = seats_load(c, a, err);
	if (!rc) {
		int32_t max = kw_itemstats_max_total(a->st), unit = kw_itemstats_unit(a->st);
		a->width = kw_dist_bin_width(max, unit, KW_ANALYSIS_BINS);
		/* the groups' cells: exact when the range is short, else a bin wide */
		a->gunit = max / unit < 4096 ? unit : a->width;
		for (size_t i = 0; i < a->nareas; i++)
			a->areas[i].dist = kw_dist_new(max, a->gunit);
		for (size_t i = 0; i < a->ncentres; i++)
			a->centres[i].dist = kw_dist_new(max, a->gunit);
		rc = sheets_read(c, a, err);
	}
	kw_pool_put(app->pool, c);
	if (rc)
		analysis_release(a);
	return rc;
}

/* ---- the key: score.key.read after the exam (SEC-2), audited ---- */

struct key_audit {
	int64_t run;
	json_t *detail;
};

static int key_audit_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct key_audit *j = arg;
	return kw_audit_append(tx, "score.key.read", "score_runs", j->run, j->detail, err);
}

/* May s see run a's key now? 0 after auditing the read; FORBIDDEN or KEY_SEALED. */
static int key_access(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, const struct analysis *a, const char *via,
                      struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_authz_check(c, s, "score.key.read", a->unit, err);
	int64_t end = 0;
	if (!rc)
		rc = kw_scoring_exam_end(c, a->exam, &end, err);
	kw_pool_put(app->pool, c);
	if (!rc && (!end || kw_clock_now_us() < end)) {
		rc = kw_err_set(err, KW_EFORBIDDEN, "KEY_SEALED", "SEC-2",
		                "answer keys stay sealed until the exam ends");
		if (end) {
			char at[32];
			kw_clock_format(end, at);
			kw_err_detail(err, "until", json_string(at));
		}
	}
	if (!rc) {
		struct key_audit j = {
		        .run = a->run,
		        .detail = json_pack("{s:s, s:s}", "via", via, "subject", a->code)};
		rc = kw_writer_run(app->writer, key_audit_job, &j, actor, err);
		json_decref(j.detail);
	}
	return rc;
}

/* ---- the analysis as JSON ---- */

static json_t *dist_json(const struct kw_dist *d, int32_t width)
{
	struct kw_dist_summary m;
	kw_dist_summary(d, &m);
	static const char *const qn[KW_DIST_QUANTILES] = {"p5",  "p10", "p25", "p50",
	                                                  "p75", "p90", "p95"};
	json_t *q = json_object();
	for (int i = 0; i < KW_DIST_QUANTILES; i++)
		json_object_set_new(q, qn[i], m.n ? num(m.q[i] / 100, 2) : json_null());
	size_t nb = kw_dist_histogram(d, width, NULL, 0);
	int64_t *counts = kw_xcalloc(nb, sizeof *counts);
	kw_dist_histogram(d, width, counts, nb);
	int32_t max = kw_dist_max_total(d);
	json_t *bins = json_array();
	for (size_t b = 0; b < nb; b++) {
		int64_t from = (int64_t)b * width, to = from + width;
		if (to > max || b + 1 == nb)
			to = max;
		json_array_append_new(
		        bins, json_pack("{s:o, s:o, s:I}", "from", num(from / 100.0, 2), "to",
		                        num(to / 100.0, 2), "count", (json_int_t)counts[b]));
	}
	free(counts);
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "n", (json_int_t)m.n, "mean",
	                 m.n ? num(m.mean / 100, 4) : json_null(), "sd",
	                 m.n ? num(m.sd / 100, 4) : json_null(), "min",
	                 m.n ? num(m.min / 100.0, 2) : json_null(), "max",
	                 m.n ? num(m.max / 100.0, 2) : json_null(), "quantiles", q, "bin_width",
	                 num(width / 100.0, 2), "bins", bins);
}

static json_t *choice_json(const char *option, const struct kw_item_result *r, int cls)
{
	return json_pack("{s:s, s:I, s:o, s:o}", "option", option, "count",
	                 (json_int_t)r->count[cls], "rate", num(r->rate[cls], 4), "pb",
	                 r->pb_ok[cls] ? num(r->pb[cls], 4) : json_null());
}

static json_t *items_json(const struct analysis *a, int with_key)
{
	const struct kw_score_key *k = a->forms[0].key;
	json_t *items = json_array();
	for (size_t i = 0; i < k->n; i++) {
		const struct kw_score_item *it = &k->item[i];
		struct kw_item_result r;
		kw_itemstats_item(a->st, i, &r);
		json_t *flags = json_array();
		if (r.n && it->points && r.p < KW_ANALYSIS_HARD)
			json_array_append_new(flags, json_string("hard"));
		if (r.n && it->points && r.p > KW_ANALYSIS_EASY)
			json_array_append_new(flags, json_string("easy"));
		if (r.n && (!r.disc_ok || r.disc < KW_ANALYSIS_LOW_DISC))
			json_array_append_new(flags, json_string("low_discrimination"));
		json_t *choices = json_array();
		for (int j = 0; j < it->options; j++) {
			char o[2] = {(char)('A' + j), 0};
			json_t *ch = choice_json(o, &r, j);
			if (with_key)
				json_object_set_new(ch, "correct",
				                    json_boolean(it->key & (1u << j)));
			json_array_append_new(choices, ch);
		}
		json_array_append_new(choices, choice_json("blank", &r, KW_IS_BLANK));
		if (it->kind == KW_ITEM_SINGLE || it->kind == KW_ITEM_TRUEFALSE)
			json_array_append_new(choices, choice_json("multiple", &r, KW_IS_MULTIPLE));
		json_array_append_new(choices, choice_json("invalid", &r, KW_IS_INVALID));
		json_t *x = json_pack(
		        "{s:I, s:s, s:i, s:o, s:I, s:o, s:o, s:o, s:o, s:I, s:o, s:o}", "item",
		        (json_int_t)i + 1, "kind", kw_scoring_kind_name(it->kind), "options",
		        (int)it->options, "points", points_str(it->points), "n", (json_int_t)r.n,
		        "p", num(r.p, 4), "mean", num(r.mean / 100, 4), "sd", num(r.sd / 100, 4),
		        "discrimination", r.disc_ok ? num(r.disc, 4) : json_null(), "full",
		        (json_int_t)r.full, "flags", flags, "choices", choices);
		if (with_key) {
			char key[KW_SCORE_MAX_OPTIONS + 1];
			size_t o = 0;
			for (int b = 0; b < KW_SCORE_MAX_OPTIONS; b++)
				if (it->key & (1u << b))
					key[o++] = (char)('A' + b);
			key[o] = '\0';
			json_object_set_new(x, "key", json_string(key));
		}
		json_array_append_new(items, x);
	}
	return items;
}

static json_t *groups_json(const struct group *g, size_t n, int32_t width, int centres)
{
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)g[i].id, "code",
		                      g[i].code, "name", g[i].name, "distribution",
		                      dist_json(g[i].dist, width));
		if (centres)
			json_object_set_new(x, "area_id", json_integer(g[i].area_id));
		json_array_append_new(out, x);
	}
	return out;
}

static json_t *analysis_json(const struct analysis *a, int with_key)
{
	struct kw_reliability rel;
	kw_itemstats_reliability(a->st, &rel);
	json_t *r =
	        json_pack("{s:I, s:b, s:o, s:o, s:o}", "items", (json_int_t)rel.k, "dichotomous",
	                  rel.dichotomous, "alpha", rel.alpha_ok ? num(rel.alpha, 4) : json_null(),
	                  "kr20", rel.kr20_ok ? num(rel.kr20, 4) : json_null(), "sem",
	                  rel.sem_ok ? num(rel.sem / 100, 4) : json_null());
	return json_pack(
	        "{s:I, s:I, s:{s:s, s:s}, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o, "
	        "s:b, s:b, s:{s:f, s:f, s:f}, s:o, s:o, s:o, s:o, s:o}",
	        "run_id", (json_int_t)a->run, "exam_id", (json_int_t)a->exam, "subject", "code",
	        a->code, "name", a->subject_name, "run_created_at", a->created, "candidates",
	        (json_int_t)a->candidates, "scored", (json_int_t)a->scored, "absent",
	        (json_int_t)a->absent, "zeroed", (json_int_t)a->zeroed, "cancelled",
	        (json_int_t)a->cancelled, "sheets", (json_int_t)kw_itemstats_sheets(a->st),
	        "totals_differ", (json_int_t)a->differ, "sheets_missing", (json_int_t)a->missing,
	        "answers_current", strcmp(a->run_answers, a->now_answers) == 0, "max_points",
	        points_str(kw_itemstats_max_total(a->st)), "objective_only", a->marked,
	        "key_included", with_key, "thresholds", "hard", KW_ANALYSIS_HARD, "easy",
	        KW_ANALYSIS_EASY, "low_discrimination", KW_ANALYSIS_LOW_DISC, "reliability", r,
	        "distribution", dist_json(kw_itemstats_dist(a->st), a->width), "items",
	        items_json(a, with_key), "areas", groups_json(a->areas, a->nareas, a->width, 0),
	        "centres", groups_json(a->centres, a->ncentres, a->width, 1));
}

int kw_analysis_get(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t run, int with_key, json_t **out,
                    struct kw_err *err)
{
	struct analysis a;
	*out = NULL;
	int rc = analysis_compute(app, s, run, &a, err);
	if (rc)
		return rc;
	if (with_key)
		rc = key_access(app, actor, s, &a, "analysis", err);
	if (!rc)
		*out = analysis_json(&a, with_key);
	analysis_release(&a);
	return rc;
}

/* ---- pictures ---- */

struct picture {
	json_t *doc; /* kw_render_analysis_histogram's input */
	int png;
};

static int render_child(void *arg, struct kw_buf *out, struct kw_err *err)
{
	const struct picture *p = arg;
	return kw_render_histogram(p->doc, p->png, out, err);
}

/* A panel of the picture: a title and a distribution. */
static json_t *panel(const char *title, json_t *dist)
{
	return json_pack("{s:s, s:o}", "title", title, "distribution", dist);
}

int kw_analysis_histogram(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                          const char *by, int64_t area, int64_t centre, int png, const char *lang,
                          char **out, size_t *n, struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	int en = lang && strcmp(lang, KW_LANG_EN) == 0;
	if (by && strcmp(by, "area") != 0 && strcmp(by, "centre") != 0 && strcmp(by, "subject"))
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		                  "by is subject, area or centre");
	struct analysis a;
	int rc = analysis_compute(app, s, run, &a, err);
	if (rc)
		return rc;
	json_t *panels = json_array();
	char title[512];
	snprintf(title, sizeof title,
	         en ? "Subject %s %s — run %lld" : "科目 %s %s · 第 %lld 号评分", a.code,
	         a.subject_name, (long long)a.run);
	const struct group *g = NULL;
	size_t ng = 0;
	int64_t one = 0;
	if (centre > 0) {
		g = a.centres, ng = a.ncentres, one = centre;
	} else if (area > 0) {
		g = a.areas, ng = a.nareas, one = area;
	} else if (by && strcmp(by, "centre") == 0) {
		g = a.centres, ng = a.ncentres;
	} else if (by && strcmp(by, "area") == 0) {
		g = a.areas, ng = a.nareas;
	}
	if (!g && !one) {
		json_array_append_new(panels, panel(en ? "All candidates" : "全体考生",
		                                    dist_json(kw_itemstats_dist(a.st), a.width)));
	} else {
		for (size_t i = 0; i < ng; i++) {
			if (one && g[i].id != one)
				continue;
			char t[400];
			snprintf(t, sizeof t, "%s %s", g[i].code, g[i].name);
			json_array_append_new(panels, panel(t, dist_json(g[i].dist, a.width)));
		}
		if (one && !json_array_size(panels))
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "the run has no candidates at %s %lld",
			                centre > 0 ? "centre" : "area", (long long)one);
		else if (json_array_size(panels) > KW_ANALYSIS_PANELS) {
			rc = kw_err_set(err, KW_EINVAL, "ANALYSIS_TOO_MANY_GROUPS", NULL,
			                "%zu groups are too many for one picture: choose one with "
			                "?centre= or ?area=",
			                json_array_size(panels));
			kw_err_detail(err, "groups",
			              json_integer((json_int_t)json_array_size(panels)));
			kw_err_detail(err, "max", json_integer(KW_ANALYSIS_PANELS));
		}
	}
	struct picture p = {.png = png,
	                    .doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "title", title, "lang",
	                                     en ? KW_LANG_EN : KW_LANG_ZH, "x_label",
	                                     en ? "Score" : "分数", "y_label",
	                                     en ? "Candidates" : "人数", "panels", panels)};
	analysis_release(&a);
	if (!rc) {
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 64u << 20);
		rc = kw_render_isolated(render_child, &p, &b, err);
		if (!rc)
			*out = kw_buf_detach(&b, n);
		else
			kw_buf_release(&b);
	}
	json_decref(p.doc);
	return rc;
}

int kw_analysis_xlsx(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t run, int with_key, const char *lang,
                     char **out, size_t *n, struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	struct analysis a;
	int rc = analysis_compute(app, s, run, &a, err);
	if (rc)
		return rc;
	if (with_key)
		rc = key_access(app, actor, s, &a, "report.xlsx", err);
	json_t *doc = rc ? NULL : analysis_json(&a, with_key);
	analysis_release(&a);
	if (!rc)
		rc = kw_render_analysis_xlsx(doc, lang && strcmp(lang, KW_LANG_EN) == 0, out, n,
		                             err);
	json_decref(doc);
	return rc;
}
