/* Similar-answer screening over the database (GRD-6, GRD-1, VIO-5): see screening.h. */
#include "app/screening.h"

#include <math.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/cases.h"
#include "app/examref.h"
#include "app/scoring.h"
#include "core/score.h"
#include "core/screen.h"
#include "render/dossier.h"
#include "render/isolate.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define MIN_MEMBERS    3
#define MAX_MEMBERS    15
#define SCREEN_THREADS 2

static char *col_dup(struct kw_stmt *s, int i)
{
	const char *v = kw_stmt_column_is_null(s, i) ? "" : kw_stmt_column_text(s, i, NULL);
	return strdup(v ? v : "");
}

static void fmt_real(double v, char out[32])
{
	snprintf(out, 32, "%.17g", v);
}

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *load_json_text(const char *t)
{
	json_t *j = json_loads(t ? t : "", 0, NULL);
	return j ? j : json_null();
}

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

static int invalid(struct kw_err *err, json_t *fields)
{
	kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the request has errors");
	kw_err_detail(err, "fields", fields);
	return err->rc;
}

/* ---- the exam and subject ---- */

struct target {
	int64_t exam, unit, subject;
	char kind[32], code[64], exam_name[256], exam_code[64], subject_name[256];
};

/* Loads exam (and subject when given); s (a staff session, or NULL from the server host) may do
 * action at the exam's organiser, else the exam reads as absent. */
static int target_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                       int64_t exam, const char *subject, struct target *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct kw_exam_ref e;
	struct kw_subject_ref sub;
	int rc = s && s->candidate_id
	                 ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam")
	                 : kw_exam_ref_load(c, s, action, exam, &e, err);
	if (!rc && subject)
		rc = kw_exam_ref_subject(c, exam, subject, &sub, err);
	if (rc)
		return rc;
	t->exam = e.id;
	t->unit = e.unit;
	snprintf(t->kind, sizeof t->kind, "%s", e.kind);
	snprintf(t->exam_name, sizeof t->exam_name, "%s", e.name);
	snprintf(t->exam_code, sizeof t->exam_code, "%s", e.code);
	if (subject) {
		t->subject = sub.id;
		snprintf(t->code, sizeof t->code, "%s", sub.code);
		snprintf(t->subject_name, sizeof t->subject_name, "%s", sub.name);
	}
	return 0;
}

/* The target of a stored screen, with action checked. */
static int screen_target(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                         int64_t screen, struct target *t, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int64_t exam = 0;
	char code[64] = "";
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT x.exam_id, b.code FROM screens x JOIN subjects b ON b.id = "
	                        "x.subject_id WHERE x.id = $1",
	                        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, screen);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			exam = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, code, sizeof code);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !exam)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such screen");
	if (!rc) {
		rc = target_load(c, s, action, exam, code, t, err);
		if (rc == KW_ENOTFOUND) {
			kw_err_release(err);
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such screen");
		}
	}
	return rc;
}

/* ---- the keys the run used ---- */

/* The keys a run used ({form: {id, …}}), the master first, each form its permuted master
 * (app/scoring.h's loader). */
static int keys_of_run(struct kw_conn *c, int64_t subject, const char *keys_json,
                       struct kw_scoring_key **out, size_t *n, struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	json_t *kj = json_loads(keys_json ? keys_json : "", 0, NULL);
	size_t cnt = json_object_size(kj);
	int rc =
	        !cnt || cnt > KW_SCORING_MAX_FORMS
	                ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
	                             "a score run's keys are damaged")
	                : kw_scoring_keys_load(c, subject, kj, KW_SCORING_KEYS_VERIFY, out, n, err);
	json_decref(kj);
	return rc;
}

/* ---- the seating: rooms, seats, tickets ---- */

struct seat {
	int64_t reg;
	uint32_t room; /* index into the rooms, by centre and number */
	uint32_t seat;
	uint32_t ticket; /* offset in the arena */
};

struct xroom {
	int64_t id, centre;
	int64_t number;
	char centre_code[48];
};

struct seating {
	int64_t run;
	struct xroom *rooms;
	size_t nrooms;
	uint32_t *centre_of; /* per room: its centre's index */
	struct seat *seats;  /* by registration */
	size_t nseats;
	struct kw_buf arena;
	int columns, serpentine;
};

static int cmp_seat(const void *a, const void *b)
{
	const struct seat *x = a, *y = b;
	return (x->reg > y->reg) - (x->reg < y->reg);
}

static const struct seat *seat_of(const struct seating *g, int64_t reg)
{
	struct seat key = {.reg = reg};
	return bsearch(&key, g->seats, g->nseats, sizeof key, cmp_seat);
}

struct roomid {
	int64_t id;
	uint32_t idx;
};

static int cmp_roomid(const void *a, const void *b)
{
	const struct roomid *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static void seating_release(struct seating *g)
{
	free(g->rooms);
	free(g->centre_of);
	free(g->seats);
	kw_buf_release(&g->arena);
}

static int seating_load(struct kw_conn *c, int64_t exam, struct seating *g, struct kw_err *err)
{
	memset(g, 0, sizeof *g);
	kw_buf_init(&g->arena, 0);
	struct kw_stmt *st = NULL;
	char *rule = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, rule FROM seating_runs WHERE exam_id = $1 AND status "
	                         "= 'published'",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			g->run = kw_stmt_column_int64(st, 0);
			rule = col_dup(st, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !g->run)
		rc = kw_err_set(err, KW_ECONFLICT, "SCREEN_NOT_READY", "GRD-6",
		                "the exam has no published seating run");
	if (!rc && !g->run)
		kw_err_detail(err, "reason", json_string("no_seating"));
	json_t *rj = load_json_text(rule);
	free(rule);
	g->columns = (int)json_integer_value(json_object_get(rj, "columns"));
	const char *order = json_string_value(json_object_get(rj, "seat_order"));
	g->serpentine = order && strcmp(order, "serpentine") == 0;
	json_decref(rj);
	st = NULL;
	size_t cap = 0;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT x.id, x.centre_id, x.number, c.code FROM exam_rooms x "
		                     "JOIN centres c ON c.id = x.centre_id WHERE x.run_id = $1 "
		                     "ORDER BY x.centre_id, x.number",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, g->run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (g->nrooms == cap) {
				cap = cap ? 2 * cap : 64;
				g->rooms = kw_xrealloc(g->rooms, cap * sizeof *g->rooms);
			}
			struct xroom *r = &g->rooms[g->nrooms++];
			r->id = kw_stmt_column_int64(st, 0);
			r->centre = kw_stmt_column_int64(st, 1);
			r->number = kw_stmt_column_int64(st, 2);
			kw_stmt_column_copy(st, 3, r->centre_code, sizeof r->centre_code);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	g->centre_of = kw_xcalloc(g->nrooms ? g->nrooms : 1, sizeof *g->centre_of);
	for (size_t i = 1; i < g->nrooms; i++)
		g->centre_of[i] =
		        g->centre_of[i - 1] + (g->rooms[i].centre != g->rooms[i - 1].centre);
	/* rooms by id, for the seats' look-ups */
	struct roomid *ids = kw_xcalloc(g->nrooms ? g->nrooms : 1, sizeof *ids);
	for (size_t i = 0; i < g->nrooms; i++)
		ids[i] = (struct roomid){g->rooms[i].id, (uint32_t)i};
	qsort(ids, g->nrooms, sizeof *ids, cmp_roomid);
	st = NULL;
	cap = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT registration_id, exam_room_id, seat_no, ticket_no FROM "
		        "seats WHERE run_id = $1",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, g->run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (g->nseats == cap) {
				cap = cap ? 2 * cap : 1024;
				g->seats = kw_xrealloc(g->seats, cap * sizeof *g->seats);
			}
			struct seat *x = &g->seats[g->nseats++];
			x->reg = kw_stmt_column_int64(st, 0);
			struct roomid key = {kw_stmt_column_int64(st, 1), 0};
			const struct roomid *hit =
			        bsearch(&key, ids, g->nrooms, sizeof key, cmp_roomid);
			x->room = hit ? hit->idx : 0;
			int64_t sn = kw_stmt_column_int64(st, 2);
			x->seat = sn > 0 && sn < UINT32_MAX ? (uint32_t)sn : 0;
			size_t len = 0;
			const char *t = kw_stmt_column_text(st, 3, &len);
			x->ticket = (uint32_t)g->arena.len;
			kw_buf_add(&g->arena, t ? t : "", t ? len : 0);
			kw_buf_add(&g->arena, "", 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	free(ids);
	if (!rc)
		qsort(g->seats, g->nseats, sizeof *g->seats, cmp_seat);
	return rc;
}

/* ---- readiness: the latest score run, the marking ---- */

struct runinfo {
	int64_t id;
	char answers[65];
	char *keys;
};

static int not_ready(struct kw_err *err, const char *reason, const char *msg)
{
	kw_err_set(err, KW_ECONFLICT, "SCREEN_NOT_READY", "GRD-6", "%s", msg);
	kw_err_detail(err, "reason", json_string(reason));
	return err->rc;
}

static int readiness(struct kw_conn *c, int64_t subject, struct runinfo *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, answers_digest, keys FROM score_runs WHERE subject_id "
	                         "= $1 ORDER BY id DESC LIMIT 1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, subject);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			r->id = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, r->answers, sizeof r->answers);
			r->keys = col_dup(st, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !r->id)
		return not_ready(err, "no_score_run",
		                 "the subject has no score run yet: screening follows scoring");
	/* a marking of the subject must be confirmed (GRD-3) before its results stand */
	st = NULL;
	char status[32] = "";
	if (!rc)
		rc = kw_conn_prepare(c, "SELECT status FROM markings WHERE subject_id = $1", &st,
		                     err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, subject);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			kw_stmt_column_copy(st, 0, status, sizeof status);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && status[0] && strcmp(status, "confirmed") != 0)
		return not_ready(err, "marking_not_confirmed",
		                 "the subject's marking is not confirmed yet");
	return rc;
}

/* ---- the sheets ---- */

struct sheets {
	size_t n, cap, items; /* items: screened (single and true/false) */
	uint8_t *resp;        /* n × items categories */
	uint32_t *room, *seat;
	uint64_t *cand;
	int64_t *reg;
	uint32_t *ticket; /* offsets into the seating's arena */
	uint16_t *master; /* per screened item: its master number − 1 */
	uint8_t *ncat_item, *key;
	int ncat;
	char digest[65];
};

static void sheets_release(struct sheets *x)
{
	free(x->resp);
	free(x->room);
	free(x->seat);
	free(x->cand);
	free(x->reg);
	free(x->ticket);
	free(x->master);
	free(x->ncat_item);
	free(x->key);
}

static int single_bit(uint8_t m)
{
	return m && !(m & KW_ANS_INVALID) && !(m & (m - 1)) ? __builtin_ctz(m) : -1;
}

/* One sheet (kw_scoring_sheets_each) into the sheets, in master order. */
struct sheet_walk {
	const struct kw_scoring_key *keys;
	size_t nkeys;
	const struct seating *g;
	struct sheets *x;
	uint8_t *form_ans, *master_ans;
};

static int sheet_add(void *arg, const struct kw_scoring_sheet *sh, struct kw_err *err)
{
	struct sheet_walk *w = arg;
	struct sheets *x = w->x;
	const struct seat *s = seat_of(w->g, sh->reg);
	if (!s) {
		kw_err_set(err, KW_ECONFLICT, "SCORE_SHEET_NOT_SEATED", "GRD-5",
		           "a sheet belongs to a candidate not seated for the subject");
		kw_err_detail(err, "registration_id", json_integer(sh->reg));
		return err->rc;
	}
	size_t q = 0;
	int rc = kw_scoring_sheet_decode(sh, w->keys, w->nkeys, w->form_ans, &q, err);
	if (rc)
		return rc;
	if (w->keys[q].master)
		memcpy(w->master_ans, w->form_ans, w->keys[0].key.n);
	else
		kw_form_answers_to_master(&w->keys[q].perm, w->form_ans, w->master_ans);
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		x->resp = kw_xrealloc(x->resp, x->cap * x->items);
		x->room = kw_xrealloc(x->room, x->cap * sizeof *x->room);
		x->seat = kw_xrealloc(x->seat, x->cap * sizeof *x->seat);
		x->cand = kw_xrealloc(x->cand, x->cap * sizeof *x->cand);
		x->reg = kw_xrealloc(x->reg, x->cap * sizeof *x->reg);
		x->ticket = kw_xrealloc(x->ticket, x->cap * sizeof *x->ticket);
	}
	uint8_t *row = x->resp + x->n * x->items;
	for (size_t i = 0; i < x->items; i++) {
		int b = single_bit(w->master_ans[x->master[i]]);
		row[i] = b < 0 || b >= x->ncat_item[i] ? KW_COLLUSION_OMIT : (uint8_t)b;
	}
	x->room[x->n] = s->room;
	x->seat[x->n] = s->seat;
	x->cand[x->n] = (uint64_t)sh->reg;
	x->reg[x->n] = sh->reg;
	x->ticket[x->n] = s->ticket;
	x->n++;
	return 0;
}

/* Every sheet of the subject, in master order, screened items only; the answers' digest as
 * scoring computes it. */
static int sheets_load(struct kw_conn *c, int64_t subject, const struct kw_scoring_key *keys,
                       size_t nkeys, const struct seating *g, struct sheets *x, struct kw_err *err)
{
	memset(x, 0, sizeof *x);
	const struct kw_score_key *mk = &keys[0].key;
	size_t n = mk->n;
	x->master = kw_xcalloc(n, sizeof *x->master);
	x->ncat_item = kw_xcalloc(n, 1);
	x->key = kw_xcalloc(n, 1);
	x->ncat = 2;
	for (size_t i = 0; i < n; i++) {
		const struct kw_score_item *it = &mk->item[i];
		if (it->kind != KW_ITEM_SINGLE && it->kind != KW_ITEM_TRUEFALSE)
			continue;
		x->master[x->items] = (uint16_t)i;
		x->ncat_item[x->items] = it->options;
		x->key[x->items] = (uint8_t)single_bit(it->key);
		if (it->options > x->ncat)
			x->ncat = it->options;
		x->items++;
	}
	if (x->items < 2) {
		kw_err_set(err, KW_ERULE, "SCREEN_NO_ITEMS", "GRD-6",
		           "the subject has %zu single-choice or true/false items: too few to "
		           "screen",
		           x->items);
		kw_err_detail(err, "items", json_integer((json_int_t)x->items));
		return err->rc;
	}
	struct sheet_walk w = {keys, nkeys, g, x, kw_xmalloc(n), kw_xmalloc(n)};
	int rc = kw_scoring_sheets_each(c, subject, sheet_add, &w, x->digest, err);
	free(w.form_ans);
	free(w.master_ans);
	return rc;
}

/* ---- the options ---- */

struct options {
	int scope;
	uint64_t seed;
	int seed_given;
	double alpha, fdr_q;
	size_t sample;
	const char *mode;
};

static const char *const scope_names[] = {"room", "adjacent", "centre"};

static int options_read(const json_t *body, struct options *o, struct kw_err *err)
{
	memset(o, 0, sizeof *o);
	o->mode = "bonferroni";
	if (!body)
		return 0;
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	json_t *fields = json_array();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)body, k, v)
	{
		if (strcmp(k, "scope") == 0) {
			const char *s = json_string_value(v);
			int hit = -1;
			for (int q = 0; s && q < 3; q++)
				if (strcmp(s, scope_names[q]) == 0)
					hit = q;
			if (hit < 0)
				problem(fields, "scope", "not_allowed");
			o->scope = hit < 0 ? 0 : hit;
		} else if (strcmp(k, "seed") == 0) {
			const char *s = json_string_value(v);
			char buf[32];
			if (json_is_integer(v) && json_integer_value(v) >= 0) {
				snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
				s = buf;
			}
			char *end = NULL;
			unsigned long long x =
			        s && *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 20
			                ? strtoull(s, &end, 10)
			                : 0;
			if (!end || *end)
				problem(fields, "seed", "type");
			o->seed = x;
			o->seed_given = 1;
		} else if (strcmp(k, "alpha") == 0 || strcmp(k, "fdr_q") == 0) {
			double x = json_is_number(v) ? json_number_value(v) : -1;
			if (!(x > 0 && x < 1))
				problem(fields, k, "range");
			if (k[0] == 'a')
				o->alpha = x;
			else
				o->fdr_q = x;
		} else if (strcmp(k, "sample") == 0) {
			json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;
			if (x < 0 || x > 100000000)
				problem(fields, "sample", "range");
			o->sample = x < 0 ? 0 : (size_t)x;
		} else {
			problem(fields, k, "unknown");
		}
	}
	if (o->alpha > 0 && o->fdr_q > 0)
		problem(fields, "fdr_q", "alpha_and_fdr");
	if (json_array_size(fields))
		return invalid(err, fields);
	json_decref(fields);
	o->mode = o->fdr_q > 0 ? "fdr" : o->alpha > 0 ? "alpha" : "bonferroni";
	return 0;
}

/* ---- storing a screen ---- */

struct flag_row {
	const char *kind;
	char p[32];
	int has_p;
	int64_t creg, sreg;
	const char *cticket, *sticket;
	char *evidence;
};

struct screen_job {
	int64_t exam, subject, run, user, id;
	const char *answers, *mode;
	char seed[24], alpha[32];
	char *options, *model, *stats;
	int64_t sheets, items, pairs, flagged, clusters;
	struct flag_row *flags;
	size_t nflags;
};

static int screen_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct screen_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = kw_audit_put(
	        tx, err, "screens", "screen.run",
	        json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "score_run_id", (json_int_t)j->run,
	                  "mode", j->mode, "alpha", j->alpha, "seed", j->seed, "pairs",
	                  (json_int_t)j->pairs, "flagged", (json_int_t)j->flagged),
	        &j->id,
	        "INSERT INTO screens (exam_id, subject_id, score_run_id, answers_digest, seed, "
	        "options, mode, alpha, model, stats, sheets, items, pairs, flagged, clusters, "
	        "run_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	        "$13, $14, $15, $16, $17)",
	        "iiitttttttiiiiiit", j->exam, j->subject, j->run, j->answers, j->seed, j->options,
	        j->mode, j->alpha, j->model, j->stats, j->sheets, j->items, j->pairs, j->flagged,
	        j->clusters, j->user, now);
	for (size_t i = 0; !rc && i < j->nflags; i++) {
		const struct flag_row *f = &j->flags[i];
		rc = kw_audit_put(
		        tx, err, "screen_flags", "screen.flag",
		        json_pack("{s:I, s:s, s:I}", "screen_id", (json_int_t)j->id, "kind",
		                  f->kind, "seq", (json_int_t)i + 1),
		        NULL,
		        "INSERT INTO screen_flags (screen_id, kind, seq, p_exact, "
		        "copier_registration, copier_ticket, source_registration, source_ticket, "
		        "evidence, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
		        "$7, $8, $9, 'open', $10, $10)",
		        "ititntnttt", j->id, f->kind, (int64_t)i + 1, f->has_p ? f->p : NULL,
		        f->creg, f->cticket, f->sreg, f->sticket, f->evidence, now);
	}
	return rc;
}

/* Option letters of a screened row ('-' for an omit). */
static json_t *answers_text(const uint8_t *row, size_t n)
{
	char *s = kw_xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = row[i] == KW_COLLUSION_OMIT ? '-' : (char)('A' + row[i]);
	s[n] = '\0';
	json_t *j = json_string(s);
	free(s);
	return j;
}

static json_t *room_json(const struct seating *g, uint32_t room)
{
	const struct xroom *r = &g->rooms[room];
	return json_pack("{s:s, s:I}", "centre", r->centre_code, "number", (json_int_t)r->number);
}

static json_t *party_json(const struct seating *g, const struct sheets *x, size_t i, double theta,
                          int score, int omits)
{
	return json_pack("{s:s, s:o, s:I, s:o, s:i, s:i, s:o}", "ticket",
	                 g->arena.buf + x->ticket[i], "room", room_json(g, x->room[i]), "seat",
	                 (json_int_t)x->seat[i], "theta", real_or_null(theta), "score", score,
	                 "omits", omits, "answers", answers_text(x->resp + i * x->items, x->items));
}

static char *pair_evidence(const struct seating *g, const struct sheets *x,
                           const struct kw_screen_pair *p)
{
	char *codes = kw_xmalloc(x->items + 1);
	for (size_t i = 0; i < x->items; i++) {
		uint8_t f = p->items ? p->items[i] : 0;
		codes[i] = (f & KW_COLLUSION_ITEM_IDENT_WRONG)                           ? 'W'
		           : (f & KW_COLLUSION_ITEM_IDENT_CORRECT)                       ? 'C'
		           : (f & (KW_COLLUSION_ITEM_C_OMIT | KW_COLLUSION_ITEM_S_OMIT)) ? '-'
		                                                                         : '.';
	}
	codes[x->items] = '\0';
	json_t *e = json_pack(
	        "{s:o, s:o, s:o, s:i, s:o, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:s, s:I}",
	        "copier", party_json(g, x, p->copier, p->theta_c, p->score_c, p->omit_c), "source",
	        party_json(g, x, p->source, p->theta_s, p->score_s, p->omit_s), "adjacent",
	        p->adjacent < 0 ? json_null() : json_boolean(p->adjacent), "match", p->match,
	        "expected", real_or_null(p->expected), "ident_correct", p->ident_correct,
	        "ident_wrong", p->ident_wrong, "run", p->run, "run_wrong", p->run_wrong, "z",
	        real_or_null(p->z), "p_normal", real_or_null(p->p_normal), "p_exact",
	        real_or_null(p->p_exact), "gbt", real_or_null(p->gbt), "m4", real_or_null(p->m4),
	        "items", codes, "n_items", (json_int_t)x->items);
	free(codes);
	char *s = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(e);
	return s;
}

static char *cluster_evidence(const struct seating *g, const struct sheets *x,
                              const struct kw_screen_cluster *k)
{
	json_t *members = json_array(), *regs = json_array(), *shared = json_array();
	for (size_t m = 0; m < k->n_members; m++) {
		size_t i = k->members[m];
		json_array_append_new(members, json_pack("{s:s, s:o, s:I}", "ticket",
		                                         g->arena.buf + x->ticket[i], "room",
		                                         room_json(g, x->room[i]), "seat",
		                                         (json_int_t)x->seat[i]));
		json_array_append_new(regs, json_integer(x->reg[i]));
	}
	for (size_t q = 0; q < k->n_shared; q++) {
		const struct kw_screen_shared *sh = &k->shared[q];
		char opt[2] = {(char)('A' + sh->option), 0};
		json_array_append_new(shared,
		                      json_pack("{s:i, s:s, s:I}", "item",
		                                sh->item < x->items ? x->master[sh->item] + 1 : 0,
		                                "option", opt, "members", (json_int_t)sh->members));
	}
	json_t *e = json_pack("{s:o, s:o, s:I, s:b, s:o, s:o, s:I}", "members", members,
	                      "registrations", regs, "rooms", (json_int_t)k->n_rooms, "identical",
	                      k->identical, "min_jaccard", real_or_null(k->min_jaccard), "shared",
	                      shared, "n_items", (json_int_t)x->items);
	char *s = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(e);
	return s;
}

static json_t *model_json(const struct kw_screen_result *r, const struct sheets *x)
{
	const struct kw_nrm_fit_result *f = &r->stats.fit;
	json_t *numbers = json_array();
	for (size_t i = 0; i < x->items; i++)
		json_array_append_new(numbers, json_integer(x->master[i] + 1));
	return json_pack(
	        "{s:s, s:s, s:s, s:I, s:I, s:i, s:b, s:o, s:o, s:I, s:I, s:i, s:o}", "model",
	        "nominal response model (Bock), MML-EM", "grid", "61 points on [-6, 6], N(0, 1)",
	        "abilities", "MAP, N(0, 10) prior", "sample_n", (json_int_t)f->sample_n,
	        "answered_n", (json_int_t)f->answered_n, "cycles", f->cycles, "converged",
	        f->converged, "max_change", real_or_null(f->max_change), "loglik",
	        real_or_null(f->loglik), "pinned_categories", (json_int_t)f->pinned_cats, "items",
	        (json_int_t)x->items, "categories", x->ncat, "item_numbers", numbers);
}

static json_t *stats_json(const struct kw_screen_stats *t)
{
	return json_pack(
	        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, "
	        "s:I, s:i, s:i, s:i, s:o}, s:o}",
	        "sheets", (json_int_t)t->sheets, "excluded_no_answers",
	        (json_int_t)t->excluded_no_answers, "rooms_used", (json_int_t)t->rooms_used,
	        "rooms_single", (json_int_t)t->rooms_single, "pairs", (json_int_t)t->pairs,
	        "survivors", (json_int_t)t->survivors, "flagged", (json_int_t)t->flagged, "alpha",
	        real_or_null(t->alpha), "fdr_q", real_or_null(t->fdr_q), "bh_threshold",
	        real_or_null(t->bh_threshold), "z_discarded_max", real_or_null(t->z_discarded_max),
	        "keys", "eligible", (json_int_t)t->keys.eligible, "distinct",
	        (json_int_t)t->keys.distinct, "compared", (json_int_t)t->keys.compared, "edges",
	        (json_int_t)t->keys.edges, "clusters", (json_int_t)t->keys.clusters, "min_wrong",
	        t->keys.min_wrong, "bands", t->keys.bands, "rows", t->keys.rows, "min_jaccard",
	        real_or_null(t->keys.min_jaccard), "seconds", real_or_null(t->t_total));
}

static double mono_clock(void *data)
{
	(void)data;
	return (double)kw_clock_mono_us() / 1e6;
}

int kw_screening_run(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     const json_t *body, json_t **out, struct kw_err *err)
{
	struct options o;
	int rc = options_read(body, &o, err);
	if (rc)
		return rc;
	if (!o.seed_given)
		randombytes_buf(&o.seed, sizeof o.seed);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	struct runinfo ri = {0};
	struct kw_scoring_key *keys = NULL;
	size_t nkeys = 0;
	struct seating g;
	struct sheets x;
	memset(&g, 0, sizeof g);
	kw_buf_init(&g.arena, 0);
	memset(&x, 0, sizeof x);
	rc = target_load(c, s, "screen.run", exam, subject, &t, err);
	if (!rc)
		rc = readiness(c, t.subject, &ri, err);
	if (!rc)
		rc = keys_of_run(c, t.subject, ri.keys, &keys, &nkeys, err);
	if (!rc) {
		kw_buf_release(&g.arena);
		rc = seating_load(c, exam, &g, err);
	}
	if (!rc)
		rc = sheets_load(c, t.subject, keys, nkeys, &g, &x, err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(x.digest, ri.answers) != 0)
		rc = not_ready(
		        err, "answers_changed",
		        "answers were imported after the latest score run: score again first");
	struct kw_screen_result res;
	memset(&res, 0, sizeof res);
	if (!rc) {
		struct kw_screen_input in = {
		        .n_sheets = x.n,
		        .n_items = x.items,
		        .ncat = x.ncat,
		        .ncat_item = x.ncat_item,
		        .resp = x.resp,
		        .key = x.key,
		        .room = x.room,
		        .n_rooms = g.nrooms,
		        .centre = g.centre_of,
		        .seat = x.seat,
		        .cand_id = x.cand,
		};
		struct kw_screen_opts so = {.sample = o.sample,
		                            .seed = o.seed,
		                            .threads = SCREEN_THREADS,
		                            .scope = o.scope,
		                            .alpha = o.alpha,
		                            .fdr_q = o.fdr_q,
		                            .seat_columns = g.columns,
		                            .seat_serpentine = g.serpentine,
		                            .clock = mono_clock};
		rc = kw_screen_run(&in, &so, &res, err);
		if (rc && err->code && strcmp(err->code, "NRM_TOO_FEW_CANDIDATES") == 0) {
			json_t *d = json_incref(err->details);
			kw_err_set(err, KW_ERULE, "SCREEN_TOO_FEW_CANDIDATES", "GRD-6",
			           "too few answered sheets to calibrate the model: no screen");
			json_decref(err->details);
			err->details = d;
		} else if (rc && err->code &&
		           strcmp(err->code, "SCREEN_DUPLICATE_CANDIDATE") == 0) {
			size_t a =
			        (size_t)json_integer_value(json_object_get(err->details, "first"));
			size_t b =
			        (size_t)json_integer_value(json_object_get(err->details, "second"));
			if (a < x.n && b < x.n)
				kw_err_detail(err, "ticket_no",
				              json_string(g.arena.buf + x.ticket[a]));
		}
	}
	struct screen_job j = {.exam = exam,
	                       .subject = t.subject,
	                       .run = ri.id,
	                       .user = s->user.id,
	                       .answers = x.digest,
	                       .mode = o.mode};
	if (!rc) {
		snprintf(j.seed, sizeof j.seed, "%llu", (unsigned long long)o.seed);
		fmt_real(res.stats.alpha, j.alpha);
		json_t *opts = json_pack("{s:s, s:s, s:I, s:i}", "scope", scope_names[o.scope],
		                         "seed", j.seed, "sample", (json_int_t)o.sample, "threads",
		                         SCREEN_THREADS);
		if (o.alpha > 0)
			json_object_set_new(opts, "alpha", json_real(o.alpha));
		if (o.fdr_q > 0)
			json_object_set_new(opts, "fdr_q", json_real(o.fdr_q));
		j.options = json_dumps(opts, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(opts);
		json_t *m = model_json(&res, &x), *st = stats_json(&res.stats);
		j.model = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
		j.stats = json_dumps(st, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(m);
		json_decref(st);
		j.sheets = (int64_t)x.n;
		j.items = (int64_t)x.items;
		j.pairs = (int64_t)res.stats.pairs;
		j.flagged = (int64_t)res.n_pairs;
		j.clusters = (int64_t)res.n_clusters;
		j.nflags = res.n_pairs + res.n_clusters;
		j.flags = kw_xcalloc(j.nflags ? j.nflags : 1, sizeof *j.flags);
		for (size_t i = 0; i < res.n_pairs; i++) {
			const struct kw_screen_pair *p = &res.pairs[i];
			struct flag_row *f = &j.flags[i];
			f->kind = "pair";
			f->has_p = 1;
			fmt_real(p->p_exact, f->p);
			f->creg = x.reg[p->copier];
			f->sreg = x.reg[p->source];
			f->cticket = g.arena.buf + x.ticket[p->copier];
			f->sticket = g.arena.buf + x.ticket[p->source];
			f->evidence = pair_evidence(&g, &x, p);
		}
		for (size_t i = 0; i < res.n_clusters; i++) {
			struct flag_row *f = &j.flags[res.n_pairs + i];
			f->kind = "cluster";
			f->evidence = cluster_evidence(&g, &x, &res.clusters[i]);
		}
		rc = kw_writer_run(app->writer, screen_job, &j, actor, err);
	}
	for (size_t i = 0; i < j.nflags; i++)
		free(j.flags[i].evidence);
	free(j.flags);
	free(j.options);
	free(j.model);
	free(j.stats);
	kw_screen_result_release(&res);
	sheets_release(&x);
	seating_release(&g);
	free(keys);
	free(ri.keys);
	if (!rc)
		rc = kw_screening_get(app, s, j.id, out, err);
	return rc;
}

/* ---- reading ---- */

#define SCREEN_COLS                                                                                \
	"x.id, x.exam_id, b.code, b.name, x.score_run_id, x.answers_digest, x.seed, x.options, "   \
	"x.mode, x.alpha, x.model, x.stats, x.sheets, x.items, x.pairs, x.flagged, x.clusters, "   \
	"u.username, x.created_at, (SELECT COUNT(*) FROM screen_flags f WHERE f.screen_id = x.id " \
	"AND f.status IN ('open', 'deciding'))"
#define SCREEN_FROM                                                                                \
	" FROM screens x JOIN subjects b ON b.id = x.subject_id JOIN users u ON u.id = x.run_by"

static json_t *screen_json(struct kw_stmt *st)
{
	json_t *o = json_pack(
	        "{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:I, s:I, s:I, "
	        "s:I, s:s, s:s, s:I}",
	        "id", (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
	        (json_int_t)kw_stmt_column_int64(st, 1), "subject",
	        kw_stmt_column_text(st, 2, NULL), "subject_name", kw_stmt_column_text(st, 3, NULL),
	        "score_run_id", (json_int_t)kw_stmt_column_int64(st, 4), "answers_digest",
	        kw_stmt_column_text(st, 5, NULL), "seed", kw_stmt_column_text(st, 6, NULL),
	        "options", load_json_text(kw_stmt_column_text(st, 7, NULL)), "mode",
	        kw_stmt_column_text(st, 8, NULL), "alpha",
	        json_real(strtod(kw_stmt_column_text(st, 9, NULL), NULL)), "model",
	        load_json_text(kw_stmt_column_text(st, 10, NULL)), "stats",
	        load_json_text(kw_stmt_column_text(st, 11, NULL)), "sheets",
	        (json_int_t)kw_stmt_column_int64(st, 12), "items",
	        (json_int_t)kw_stmt_column_int64(st, 13), "pairs",
	        (json_int_t)kw_stmt_column_int64(st, 14), "flagged",
	        (json_int_t)kw_stmt_column_int64(st, 15), "clusters",
	        (json_int_t)kw_stmt_column_int64(st, 16), "run_by",
	        kw_stmt_column_text(st, 17, NULL), "created_at", kw_stmt_column_text(st, 18, NULL),
	        "undecided", (json_int_t)kw_stmt_column_int64(st, 19));
	return o;
}

int kw_screening_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                     struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = screen_target(c, s, "screen.read", id, &t, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c, "SELECT " SCREEN_COLS SCREEN_FROM " WHERE x.id = $1", &st,
		                     err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*out = screen_json(st);
		rc = rc == KW_ROW ? 0
		     : rc         ? rc
		          : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such screen");
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_screening_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const char *subject, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = target_load(c, s, "screen.read", exam, subject, &t, err);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT " SCREEN_COLS SCREEN_FROM
		                     " WHERE x.subject_id = $1 ORDER BY x.id DESC",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, t.subject);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, screen_json(st));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* What the expert group sees of evidence: no registration ids. */
static json_t *evidence_public(const char *text)
{
	json_t *e = load_json_text(text);
	json_object_del(e, "registrations");
	return e;
}

#define FLAG_COLS                                                                                  \
	"f.id, f.screen_id, f.kind, f.seq, f.p_exact, f.copier_ticket, f.source_ticket, "          \
	"f.evidence, f.status, d.decision, d.members, d.reasoning, d.lead_proposal, d.cases, "     \
	"u.username, d.created_at, f.copier_registration, f.source_registration"
#define FLAG_FROM                                                                                  \
	" FROM screen_flags f LEFT JOIN screen_decisions d ON d.flag_id = f.id LEFT JOIN users u " \
	"ON u.id = d.recorded_by"

static json_t *flag_json(struct kw_stmt *st, int whole)
{
	json_t *ev = evidence_public(kw_stmt_column_text(st, 7, NULL));
	json_t *o = json_pack(
	        "{s:I, s:I, s:s, s:I, s:o, s:o, s:o, s:s}", "id",
	        (json_int_t)kw_stmt_column_int64(st, 0), "screen_id",
	        (json_int_t)kw_stmt_column_int64(st, 1), "kind", kw_stmt_column_text(st, 2, NULL),
	        "seq", (json_int_t)kw_stmt_column_int64(st, 3), "p_exact",
	        kw_stmt_column_is_null(st, 4)
	                ? json_null()
	                : json_real(strtod(kw_stmt_column_text(st, 4, NULL), NULL)),
	        "copier_ticket",
	        kw_stmt_column_is_null(st, 5) ? json_null()
	                                      : json_string(kw_stmt_column_text(st, 5, NULL)),
	        "source_ticket",
	        kw_stmt_column_is_null(st, 6) ? json_null()
	                                      : json_string(kw_stmt_column_text(st, 6, NULL)),
	        "status", kw_stmt_column_text(st, 8, NULL));
	if (whole) {
		json_object_set(o, "evidence", ev);
	} else {
		/* the queue's line: the figures an expert sorts by */
		static const char *const keep[] = {
		        "match", "expected",  "ident_wrong", "adjacent", "m4",
		        "rooms", "identical", "min_jaccard", "p_normal", NULL};
		for (int k = 0; keep[k]; k++) {
			json_t *v = json_object_get(ev, keep[k]);
			if (v)
				json_object_set(o, keep[k], v);
		}
		json_t *m = json_object_get(ev, "members");
		if (m)
			json_object_set_new(o, "members",
			                    json_integer((json_int_t)json_array_size(m)));
	}
	json_decref(ev);
	if (!kw_stmt_column_is_null(st, 9)) {
		json_object_set_new(
		        o, "decision",
		        json_pack("{s:s, s:o, s:s, s:o, s:o, s:s, s:s}", "decision",
		                  kw_stmt_column_text(st, 9, NULL), "members",
		                  load_json_text(kw_stmt_column_text(st, 10, NULL)), "reasoning",
		                  kw_stmt_column_text(st, 11, NULL), "lead_proposal",
		                  kw_stmt_column_is_null(st, 12)
		                          ? json_null()
		                          : json_string(kw_stmt_column_text(st, 12, NULL)),
		                  "cases",
		                  kw_stmt_column_is_null(st, 13)
		                          ? json_array()
		                          : load_json_text(kw_stmt_column_text(st, 13, NULL)),
		                  "recorded_by", kw_stmt_column_text(st, 14, NULL), "created_at",
		                  kw_stmt_column_text(st, 15, NULL)));
	} else {
		json_object_set_new(o, "decision", json_null());
	}
	return o;
}

int kw_screening_flags(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                       const char *status, int64_t after, int limit, json_t **out,
                       struct kw_err *err)
{
	if (limit <= 0 || limit > 500)
		limit = 100;
	static const char *const statuses[] = {"open", "deciding", "confirmed", "dismissed", NULL};
	int ok = !status;
	for (int k = 0; status && statuses[k]; k++)
		ok |= strcmp(status, statuses[k]) == 0;
	if (!ok) {
		json_t *fields = json_array();
		problem(fields, "status", "not_allowed");
		return invalid(err, fields);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = screen_target(c, s, "screen.read", id, &t, err);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	int64_t last = 0;
	int more = 0;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT " FLAG_COLS FLAG_FROM
		                     " WHERE f.screen_id = $1 AND f.seq > $2 AND ($3 = '' OR "
		                     "f.status = $3) ORDER BY f.seq LIMIT $4",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		kw_stmt_bind_int64(st, 2, after);
		kw_stmt_bind_textz(st, 3, status ? status : "");
		kw_stmt_bind_int64(st, 4, limit + 1);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if ((int)json_array_size(items) == limit) {
				more = 1;
				break;
			}
			last = kw_stmt_column_int64(st, 3);
			json_array_append_new(items, flag_json(st, 0));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = kw_json_page(items, more, last);
	return 0;
}

/* A flag with its screen's target (action checked): NOT_FOUND out of reach. */
struct flag {
	int64_t id, screen, creg, sreg;
	char kind[16], status[16], cticket[64], sticket[64];
	char screen_at[32], updated_at[32];
	char *evidence;
};

static int flag_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                     int64_t id, struct flag *f, struct target *t, struct kw_err *err)
{
	memset(f, 0, sizeof *f);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT f.id, f.screen_id, f.kind, f.status, f.copier_registration, "
	        "f.source_registration, f.copier_ticket, f.source_ticket, "
	        "f.evidence, x.created_at, f.updated_at FROM screen_flags f JOIN screens x ON "
	        "x.id = f.screen_id WHERE f.id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			f->id = kw_stmt_column_int64(st, 0);
			f->screen = kw_stmt_column_int64(st, 1);
			kw_stmt_column_copy(st, 2, f->kind, sizeof f->kind);
			kw_stmt_column_copy(st, 3, f->status, sizeof f->status);
			f->creg = kw_stmt_column_int64(st, 4);
			f->sreg = kw_stmt_column_int64(st, 5);
			kw_stmt_column_copy(st, 6, f->cticket, sizeof f->cticket);
			kw_stmt_column_copy(st, 7, f->sticket, sizeof f->sticket);
			f->evidence = col_dup(st, 8);
			kw_stmt_column_copy(st, 9, f->screen_at, sizeof f->screen_at);
			kw_stmt_column_copy(st, 10, f->updated_at, sizeof f->updated_at);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !f->id)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such flag");
	if (!rc) {
		rc = screen_target(c, s, action, f->screen, t, err);
		if (rc == KW_ENOTFOUND) {
			kw_err_release(err);
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such flag");
		}
	}
	if (rc) {
		free(f->evidence);
		f->evidence = NULL;
	}
	return rc;
}

int kw_screening_flag_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                          json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	struct flag f;
	int rc = flag_load(c, s, "screen.read", id, &f, &t, err);
	free(f.evidence);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c, "SELECT " FLAG_COLS FLAG_FROM " WHERE f.id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*out = flag_json(st, 1);
			json_object_set_new(*out, "exam_id", json_integer(t.exam));
			json_object_set_new(*out, "subject", json_string(t.code));
		}
		rc = rc == KW_ROW ? 0
		     : rc         ? rc
		          : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such flag");
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- the expert group's decision ---- */

/* Is username an active account holding expert_group_member at a unit whose subtree holds
 * unit? *id its user id. */
static int member_check(struct kw_conn *c, const char *username, int64_t exam, int64_t unit,
                        int64_t *id, struct kw_err *err)
{
	*id = 0;
	struct kw_stmt *st = NULL;
	int64_t uid = 0;
	int64_t units[32];
	int n = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT u.id, g.unit_id FROM users u JOIN grants g ON g.user_id "
	        "= u.id WHERE u.username = $1 AND u.status = 'active' AND "
	        "g.role = 'expert_group_member' AND g.revoked_at IS NULL AND (g.exam_id IS NULL "
	        "OR g.exam_id = $2)",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, username);
		kw_stmt_bind_int64(st, 2, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW && n < 32) {
			uid = kw_stmt_column_int64(st, 0);
			units[n++] = kw_stmt_column_int64(st, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (int k = 0; !rc && k < n && !*id; k++) {
		int yes = 0;
		rc = kw_unit_within(c, unit, units[k], &yes, err);
		if (!rc && yes)
			*id = uid;
	}
	if (!rc && !*id) {
		kw_err_set(err, KW_ERULE, "SCREEN_MEMBER_NOT_EXPERT", "GRD-6",
		           "%s is not a member of the marking expert group for this exam",
		           username);
		kw_err_detail(err, "username", json_string(username));
		rc = err->rc;
	}
	return rc;
}

struct claim_job {
	int64_t flag;
	const char *from, *to, *action;
	const char *older_than; /* only a claim last touched before this instant (a stale one) */
	int64_t hit;
};

static int claim_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct claim_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	json_t *detail = json_pack("{s:s, s:s, s:b}", "from", j->from, "to", j->to, "stale",
	                           !!j->older_than);
	if (j->older_than)
		return kw_audit_put(
		        tx, err, "screen_flags", j->action, detail, &j->hit,
		        "UPDATE screen_flags SET status = $1, updated_at = $2 WHERE id = $3 "
		        "AND status = $4 AND updated_at < $5",
		        "ttitt", j->to, now, j->flag, j->from, j->older_than);
	return kw_audit_put(tx, err, "screen_flags", j->action, detail, &j->hit,
	                    "UPDATE screen_flags SET status = $1, updated_at = $2 WHERE id = $3 "
	                    "AND status = $4",
	                    "ttit", j->to, now, j->flag, j->from);
}

/*
 * A confirmation claims its flag, opens its cases, then records the decision: three steps.
 * A process that died between them leaves the flag `deciding`; once the claim is this old it
 * is taken as abandoned and the flag decided again — the cases it had opened are found by
 * their source and kept, never opened twice. A younger claim is another decision under way.
 */
#define CLAIM_STALE_US (10 * 60 * 1000000LL)

/* The case the screening opened for reg from flag ref (a confirmation that did not finish),
 * or 0. */
static int64_t earlier_case(struct kw_conn *c, const char *ref, int64_t reg)
{
	struct kw_stmt *st = NULL;
	int64_t id = 0;
	struct kw_err e2 = KW_ERR_INIT;
	if (!kw_conn_prepare(c,
	                     "SELECT id FROM cases WHERE source = 'screening' AND source_ref = $1 "
	                     "AND registration_id = $2 ORDER BY id LIMIT 1",
	                     &st, &e2)) {
		kw_stmt_bind_textz(st, 1, ref);
		kw_stmt_bind_int64(st, 2, reg);
		if (kw_stmt_step(st, &e2) == KW_ROW)
			id = kw_stmt_column_int64(st, 0);
	}
	kw_stmt_finalize(st);
	kw_err_release(&e2);
	return id;
}

struct decide_job {
	int64_t flag, user, id;
	const char *decision, *from, *reasoning, *proposal;
	char *members, *cases;
	int lost;
};

static int decide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct decide_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t hit = 0;
	const char *to = strcmp(j->decision, "confirm") == 0 ? "confirmed" : "dismissed";
	int rc = kw_audit_put(tx, err, "screen_flags", "screen.flag.decide",
	                      json_pack("{s:s}", "status", to), &hit,
	                      "UPDATE screen_flags SET status = $1, updated_at = $2 WHERE id = $3 "
	                      "AND status = $4",
	                      "ttit", to, now, j->flag, j->from);
	if (!rc && !hit) {
		j->lost = 1;
		return kw_err_set(err, KW_ECONFLICT, "SCREEN_FLAG_DECIDED", "GRD-6",
		                  "the flag has been decided already");
	}
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "screen_decisions", "screen.decision",
		        json_pack("{s:I, s:s, s:s}", "flag_id", (json_int_t)j->flag, "decision",
		                  j->decision, "members", j->members),
		        &j->id,
		        "INSERT INTO screen_decisions (flag_id, decision, members, "
		        "reasoning, lead_proposal, cases, recorded_by, created_at) VALUES "
		        "($1, $2, $3, $4, $5, $6, $7, $8)",
		        "itttttit", j->flag, j->decision, j->members, j->reasoning, j->proposal,
		        j->cases, j->user, now);
	return rc;
}

/* The catalogue's similar-answers entry for an exam kind (VIO-5, VH 9; Order No. 31 art. 11). */
static const char *similar_entry(const char *exam_kind)
{
	if (strcmp(exam_kind, "civil_service") == 0)
		return "VH-9-1";
	if (strcmp(exam_kind, "qualification") == 0)
		return "ORDER31-11-1";
	return NULL;
}

int kw_screening_decide(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t id, const json_t *body,
                        json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("decision", 16, KW_JREQUIRED),
	        {"members", KW_JARRAY, KW_JREQUIRED, MIN_MEMBERS, MAX_MEMBERS},
	        KW_JSTR("reasoning", 2000, KW_JREQUIRED),
	        KW_JSTR("lead_proposal", 2000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *decision = json_string_value(json_object_get(body, "decision"));
	json_t *members = json_object_get(body, "members");
	json_t *fields = json_array();
	if (strcmp(decision, "confirm") != 0 && strcmp(decision, "dismiss") != 0)
		problem(fields, "decision", "not_allowed");
	int self = 0;
	size_t i;
	json_t *v;
	json_array_foreach(members, i, v)
	{
		const char *u = json_string_value(v);
		if (!u || !*u || strlen(u) > 64) {
			problem(fields, "members", "type");
			break;
		}
		for (size_t q = 0; q < i; q++)
			if (strcmp(u, json_string_value(json_array_get(members, q))) == 0)
				problem(fields, "members", "duplicate");
		self |= strcmp(u, s->user.username) == 0;
	}
	if (!json_array_size(fields) && !self)
		problem(fields, "members", "recorder_not_member");
	if (json_array_size(fields))
		return invalid(err, fields);
	json_decref(fields);

	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	struct flag f;
	rc = flag_load(c, s, "screen.decide", id, &f, &t, err);
	json_array_foreach(members, i, v)
	{
		if (rc)
			break;
		int64_t uid = 0;
		rc = member_check(c, json_string_value(v), t.exam, t.unit, &uid, err);
	}
	kw_pool_put(app->pool, c);
	char stale_before[32] = "";
	if (!rc && strcmp(f.status, "deciding") == 0) {
		kw_clock_format(kw_clock_now_us() - CLAIM_STALE_US, stale_before);
		if (strcmp(f.updated_at, stale_before) >= 0) {
			rc = kw_err_set(err, KW_ECONFLICT, "SCREEN_FLAG_BUSY", "GRD-6",
			                "another decision on this flag is under way");
			kw_err_detail(err, "since", json_string(f.updated_at));
		}
	} else if (!rc && strcmp(f.status, "open") != 0) {
		rc = kw_err_set(err, KW_ECONFLICT, "SCREEN_FLAG_DECIDED", "GRD-6",
		                "the flag has been decided already");
	}
	/* an abandoned claim: the flag goes back to the queue first (audited), then on as usual */
	if (!rc && stale_before[0]) {
		struct claim_job back = {.flag = id,
		                         .from = "deciding",
		                         .to = "open",
		                         .action = "screen.flag.release",
		                         .older_than = stale_before};
		rc = kw_writer_run(app->writer, claim_job, &back, actor, err);
	}
	const char *entry = rc ? NULL : similar_entry(t.kind);
	int confirm = strcmp(decision, "confirm") == 0;
	if (!rc && confirm && !entry) {
		kw_err_set(err, KW_ERULE, "CASE_NO_CATALOGUE", "VIO-0",
		           "no violation catalogue is loaded for exams of this kind");
		kw_err_detail(err, "exam_kind", json_string(t.kind));
		rc = err->rc;
	}
	/* who the case is about: a pair's copier; every member of a cluster */
	json_t *regs = json_array();
	if (!rc && strcmp(f.kind, "pair") == 0) {
		json_array_append_new(regs, json_integer(f.creg));
	} else if (!rc) {
		json_t *ev = load_json_text(f.evidence);
		json_array_extend(regs, json_object_get(ev, "registrations"));
		json_decref(ev);
	}
	json_t *cases = json_array();
	struct claim_job cj = {
	        .flag = id, .from = "open", .to = "deciding", .action = "screen.flag.claim"};
	/* a confirmation claims the flag first, so that two groups cannot both open cases */
	if (!rc && confirm) {
		rc = kw_writer_run(app->writer, claim_job, &cj, actor, err);
		if (!rc && !cj.hit)
			rc = kw_err_set(err, KW_ECONFLICT, "SCREEN_FLAG_DECIDED", "GRD-6",
			                "the flag has been decided already");
		int claimed = !rc;
		char facts[1024];
		if (strcmp(f.kind, "pair") == 0)
			snprintf(facts, sizeof facts,
			         "雷同答卷筛查（第 %lld 次筛查，标记 %lld）：准考证号 %s "
			         "的答卷与准考证号 "
			         "%s 的答卷在科目 %s 作答内容雷同，经阅卷专家组集体确认。",
			         (long long)f.screen, (long long)f.id, f.cticket, f.sticket,
			         t.code);
		else
			snprintf(facts, sizeof facts,
			         "雷同答卷筛查（第 %lld 次筛查，标记 %lld）：多名考生在科目 %s "
			         "的错误作答"
			         "几近相同（疑似传递答案），经阅卷专家组集体确认。",
			         (long long)f.screen, (long long)f.id, t.code);
		char ref[100];
		snprintf(ref, sizeof ref, "screen %lld flag %lld", (long long)f.screen,
		         (long long)f.id);
		json_array_foreach(regs, i, v)
		{
			if (rc)
				break;
			json_t *cb =
			        json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			                  "registration_id", v, "source", "screening", "source_ref",
			                  ref, "stage", "marking", "subject", t.code, "entry_id",
			                  entry, "facts", facts, "occurred_at", f.screen_at);
			struct kw_conn *pc = kw_pool_get(app->pool);
			int64_t had = earlier_case(pc, ref, (int64_t)json_integer_value(v));
			kw_pool_put(app->pool, pc);
			json_t *co = NULL;
			if (had)
				json_array_append_new(cases, json_integer(had));
			else
				rc = kw_case_open(app, actor, s, cb, &co, err);
			if (!rc && co)
				json_array_append_new(cases, json_integer(json_integer_value(
				                                     json_object_get(co, "id"))));
			json_decref(co);
			json_decref(cb);
#ifdef KW_TESTING
			/* t0054: the process dies between the steps, as a crash or a kill would */
			const char *crash = getenv("KAOWU_TEST_CRASH");
			if (!rc && crash && strcmp(crash, "screen.confirm") == 0)
				_Exit(70);
#endif
		}
		if (rc && claimed) {
			/* nothing decided: the flag goes back to the queue (cases opened before the
			 * failure, if any, stay open and are named in the error) */
			struct claim_job back = {.flag = id,
			                         .from = "deciding",
			                         .to = "open",
			                         .action = "screen.flag.release"};
			struct kw_err e2 = KW_ERR_INIT;
			kw_writer_run(app->writer, claim_job, &back, actor, &e2);
			kw_err_release(&e2);
			if (json_array_size(cases))
				kw_err_detail(err, "opened_cases", json_incref(cases));
		}
	}
	struct decide_job dj = {.flag = id,
	                        .user = s->user.id,
	                        .decision = decision,
	                        .from = confirm ? "deciding" : "open",
	                        .reasoning = json_string_value(json_object_get(body, "reasoning")),
	                        .proposal =
	                                json_string_value(json_object_get(body, "lead_proposal"))};
	if (!rc) {
		dj.members = json_dumps(members, JSON_COMPACT);
		dj.cases = json_dumps(cases, JSON_COMPACT);
		rc = kw_writer_run(app->writer, decide_job, &dj, actor, err);
	}
	free(dj.members);
	free(dj.cases);
	json_decref(cases);
	json_decref(regs);
	free(f.evidence);
	if (!rc)
		rc = kw_screening_flag_get(app, s, id, out, err);
	return rc;
}

/* ---- the dossier ---- */

struct dossier_arg {
	struct kw_dossier d;
};

static int render_dossier(void *arg, struct kw_buf *out, struct kw_err *err)
{
	struct dossier_arg *a = arg;
	return kw_dossier_pdf(&a->d, out, err);
}

/* Strings owned for the dossier's lifetime. */
struct strs {
	char *v[256];
	size_t n;
};

static const char *keep(struct strs *s, char *p)
{
	if (s->n < sizeof s->v / sizeof s->v[0])
		s->v[s->n++] = p;
	return p;
}

static const char *kf(struct strs *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *kf(struct strs *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = NULL;
	if (vasprintf(&p, fmt, ap) < 0)
		p = NULL;
	va_end(ap);
	return p ? keep(s, p) : "";
}

static double num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "2026-12-10 18:00" in China Standard Time, from a stored RFC 3339 time. */
static void china_time(const char *iso, char out[40])
{
	int64_t us = 0;
	if (!iso || kw_clock_parse(iso, &us)) {
		snprintf(out, 40, "%s", iso ? iso : "");
		return;
	}
	time_t secs = (time_t)(us / 1000000) + 8 * 3600;
	struct tm tm;
	gmtime_r(&secs, &tm);
	strftime(out, 40, "%Y-%m-%d %H:%M", &tm);
}

static const char *room_text(struct strs *s, const json_t *party)
{
	const json_t *r = json_object_get(party, "room");
	return kf(s, "%s 考点 第 %lld 考场", json_string_value(json_object_get(r, "centre")),
	          (long long)json_integer_value(json_object_get(r, "number")));
}

int kw_screening_dossier(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                         struct kw_buf *pdf, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	struct flag f;
	int rc = flag_load(c, s, "screen.read", id, &f, &t, err);
	json_t *scr = NULL;
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_screening_get(app, s, f.screen, &scr, err);
	if (rc) {
		free(f.evidence);
		return rc;
	}
	json_t *ev = load_json_text(f.evidence);
	struct strs st = {.n = 0};
	const char *labels[KW_DOSSIER_MAX_ROWS], *values[KW_DOSSIER_MAX_ROWS];
	size_t nr = 0;
#define ROW(l, ...)                                                                                \
	do {                                                                                       \
		labels[nr] = (l);                                                                  \
		values[nr] = kf(&st, __VA_ARGS__);                                                 \
		nr++;                                                                              \
	} while (0)
	const char *mode = json_string_value(json_object_get(scr, "mode"));
	const char *mode_zh = strcmp(mode, "fdr") == 0 ? "错误发现率控制（Benjamini–Hochberg）"
	                      : strcmp(mode, "alpha") == 0
	                              ? "逐对显著性水平（指定）"
	                              : "Bonferroni（全科目误报期望不超过 1 对）";
	struct kw_dossier d = {0};
	d.title = kf(&st, "雷同答卷筛查证据材料（标记第 %lld 号）", (long long)f.id);
	d.subtitle = kf(&st, "%s · 科目 %s %s", t.exam_name, t.code, t.subject_name);
	char when[40];
	china_time(json_string_value(json_object_get(scr, "created_at")), when);
	d.heading =
	        kf(&st, "第 %lld 次筛查 · %s（北京时间）· 方法：%s · 逐对水平 α = %.3e · 种子 %s",
	           (long long)f.screen, when, mode_zh, num(scr, "alpha"),
	           json_string_value(json_object_get(scr, "seed")));

	const char *heads_pair[] = {"",         "准考证号", "考场", "座位号", "能力估计 θ（MAP）",
	                            "答对题数", "未作答"};
	const char *heads_cluster[] = {"序号", "准考证号", "考场", "座位号"};
	const char *cells[KW_DOSSIER_MAX_CELLS];
	size_t nl = 0;
	char *strip = NULL;
	int *numbers = NULL;
	json_t *inum = json_object_get(json_object_get(scr, "model"), "item_numbers");
	if (strcmp(f.kind, "pair") == 0) {
		const char *who[2] = {"copier", "source"};
		const char *who_zh[2] = {"被检验答卷（甲）", "比对来源（乙）"};
		for (int k = 0; k < 2; k++) {
			const json_t *p = json_object_get(ev, who[k]);
			cells[nl * 7 + 0] = who_zh[k];
			cells[nl * 7 + 1] = json_string_value(json_object_get(p, "ticket"));
			cells[nl * 7 + 2] = room_text(&st, p);
			cells[nl * 7 + 3] =
			        kf(&st, "%lld",
			           (long long)json_integer_value(json_object_get(p, "seat")));
			cells[nl * 7 + 4] = kf(&st, "%.3f", num(p, "theta"));
			cells[nl * 7 + 5] =
			        kf(&st, "%lld",
			           (long long)json_integer_value(json_object_get(p, "score")));
			cells[nl * 7 + 6] =
			        kf(&st, "%lld",
			           (long long)json_integer_value(json_object_get(p, "omits")));
			nl++;
		}
		d.ncols = 7;
		d.heads = heads_pair;
		const json_t *adj = json_object_get(ev, "adjacent");
		long long n_items = (long long)json_integer_value(json_object_get(ev, "n_items"));
		ROW("座位是否相邻", "%s",
		    json_is_true(adj)    ? "相邻（同一考场，前后左右或斜对）"
		    : json_is_false(adj) ? "不相邻"
		                         : "不明（无座位图）");
		ROW("比对题数", "%lld 题（单选、判断题）", n_items);
		ROW("实际相同作答数 h", "%lld",
		    (long long)json_integer_value(json_object_get(ev, "match")));
		ROW("期望相同作答数 Σp", "%.2f", num(ev, "expected"));
		ROW("相同正确作答", "%lld",
		    (long long)json_integer_value(json_object_get(ev, "ident_correct")));
		ROW("相同错误作答", "%lld",
		    (long long)json_integer_value(json_object_get(ev, "ident_wrong")));
		ROW("最长连续相同作答", "%lld 题",
		    (long long)json_integer_value(json_object_get(ev, "run")));
		ROW("最长连续相同错误作答", "%lld 题",
		    (long long)json_integer_value(json_object_get(ev, "run_wrong")));
		ROW("ω 指数 z 值", "%.3f", num(ev, "z"));
		ROW("ω p 值（正态近似）", "%.3e", num(ev, "p_normal"));
		ROW("ω p 值（精确，泊松二项分布）", "%.3e", num(ev, "p_exact"));
		ROW("GBT p 值", "%.3e", num(ev, "gbt"));
		ROW("M4 p 值（相同正确与相同错误联合）", "%.3e", num(ev, "m4"));
		ROW("判定水平", "p（精确）≤ α = %.3e 即列入待确认", num(scr, "alpha"));
		const char *codes = json_string_value(json_object_get(ev, "items"));
		size_t n = codes ? strlen(codes) : 0;
		if (n > KW_DOSSIER_MAX_STRIP)
			n = KW_DOSSIER_MAX_STRIP;
		strip = kw_xmalloc(n + 1);
		numbers = kw_xcalloc(n ? n : 1, sizeof *numbers);
		for (size_t i = 0; i < n; i++) {
			strip[i] = codes[i];
			json_t *m = json_array_get(inum, i);
			numbers[i] = m ? (int)json_integer_value(m) : (int)i + 1;
		}
		strip[n] = '\0';
		d.nstrip = n;
		d.strip = strip;
		d.strip_numbers = numbers;
		d.strip_title = "三、逐题比对（母卷题号；红色为相同错误作答）";
		d.legend = "每格一题，按母卷题序；A/B 卷已换算回母卷。ω 以乙的作答为条件，检验甲"
		           "与乙相同作答之多是否超出模型（名义反应模型）下的期望。";
	} else {
		const json_t *mem = json_object_get(ev, "members");
		size_t i;
		const json_t *p;
		json_array_foreach(mem, i, p)
		{
			if ((nl + 1) * 4 > KW_DOSSIER_MAX_CELLS)
				break;
			cells[nl * 4 + 0] = kf(&st, "%zu", i + 1);
			cells[nl * 4 + 1] = json_string_value(json_object_get(p, "ticket"));
			cells[nl * 4 + 2] = room_text(&st, p);
			cells[nl * 4 + 3] =
			        kf(&st, "%lld",
			           (long long)json_integer_value(json_object_get(p, "seat")));
			nl++;
		}
		d.ncols = 4;
		d.heads = heads_cluster;
		ROW("成员答卷", "%zu 份", json_array_size(mem));
		ROW("分布考场数", "%lld",
		    (long long)json_integer_value(json_object_get(ev, "rooms")));
		ROW("错误作答集合完全相同", "%s",
		    json_is_true(json_object_get(ev, "identical")) ? "是" : "否");
		ROW("成员间最小 Jaccard 相似度", "%.3f", num(ev, "min_jaccard"));
		const json_t *sh = json_object_get(ev, "shared");
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		json_array_foreach(sh, i, p)
		{
			if (i >= 60) {
				kw_buf_adds(&b, " …");
				break;
			}
			kw_buf_addf(&b, "%s第%lld题 %s（%lld 人）", i ? "，" : "",
			            (long long)json_integer_value(json_object_get(p, "item")),
			            json_string_value(json_object_get(p, "option")),
			            (long long)json_integer_value(json_object_get(p, "members")));
		}
		ROW("共同错误作答", "%s", b.len ? b.buf : "—");
		kw_buf_release(&b);
		/* the strip: the shared wrong answers among the screened items */
		size_t n = json_array_size(inum);
		if (n > KW_DOSSIER_MAX_STRIP)
			n = KW_DOSSIER_MAX_STRIP;
		strip = kw_xmalloc(n + 1);
		numbers = kw_xcalloc(n ? n : 1, sizeof *numbers);
		for (size_t q = 0; q < n; q++) {
			numbers[q] = (int)json_integer_value(json_array_get(inum, q));
			strip[q] = '.';
			json_array_foreach(sh, i,
			                   p) if (json_integer_value(json_object_get(p, "item")) ==
			                          numbers[q]) strip[q] = 'W';
		}
		strip[n] = '\0';
		d.nstrip = n;
		d.strip = strip;
		d.strip_numbers = numbers;
		d.strip_title = "三、共同错误作答分布（母卷题号）";
		d.legend = "红色：半数以上成员选了同一错误选项的题。跨考场的几近相同错误作答，提示"
		           "答案在考试中被传递。";
	}
#undef ROW
	d.nrows = nr;
	d.labels = labels;
	d.values = values;
	d.nlines = nl;
	d.cells = cells;
	d.note = "说明：本材料由雷同答卷统计筛查生成，只列准考证号，供阅卷专家组依据证据集体确认"
	         "（GRD-1、GRD-6）。统计标记本身不是处理决定；经确认的，按违纪违规处理程序立案，"
	         "告知当事人并听取陈述申辩后方可作出决定（VIO-8），不自动给予零分。";
	struct dossier_arg a = {.d = d};
	/* in a child process: the server never loads cairo's font state (render/isolate.h) */
	rc = kw_render_isolated(render_dossier, &a, pdf, err);
	for (size_t i = 0; i < st.n; i++)
		free(st.v[i]);
	free(strip);
	free(numbers);
	json_decref(ev);
	json_decref(scr);
	free(f.evidence);
	return rc;
}

/* ---- the subjects a person may screen or read ---- */

int kw_screening_subjects(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                          struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	int rc = kw_conn_prepare(
	        c,
	        "SELECT e.id, e.code, e.name, e.unit_id, b.code, b.name, (SELECT COUNT(*) FROM "
	        "score_runs r WHERE r.subject_id = b.id), (SELECT COUNT(*) FROM screens x WHERE "
	        "x.subject_id = b.id) FROM subjects b JOIN exams e ON e.id = b.exam_id WHERE "
	        "EXISTS (SELECT 1 FROM answer_blocks a WHERE a.subject_id = b.id) ORDER BY e.id "
	        "DESC, b.code",
	        &st, err);
	int64_t last_unit = -1;
	int reach = 0, can_run = 0;
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		int64_t unit = kw_stmt_column_int64(st, 3);
		if (unit != last_unit) {
			struct kw_err e2 = KW_ERR_INIT;
			reach = kw_authz_check(c, s, "screen.read", unit, &e2) == 0;
			kw_err_release(&e2);
			can_run = kw_authz_check(c, s, "screen.run", unit, &e2) == 0;
			kw_err_release(&e2);
			last_unit = unit;
		}
		if (!reach)
			continue;
		json_array_append_new(items,
		                      json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:b}",
		                                "exam_id", (json_int_t)kw_stmt_column_int64(st, 0),
		                                "exam_code", kw_stmt_column_text(st, 1, NULL),
		                                "exam_name", kw_stmt_column_text(st, 2, NULL),
		                                "subject", kw_stmt_column_text(st, 4, NULL),
		                                "subject_name", kw_stmt_column_text(st, 5, NULL),
		                                "scored", kw_stmt_column_int64(st, 6) > 0,
		                                "screens", (json_int_t)kw_stmt_column_int64(st, 7),
		                                "can_run", can_run));
		rc = 0;
	}
	rc = kw_step_ok(rc);
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}
