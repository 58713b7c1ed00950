/*
 * The similar-answer screen of one subject (see screen.h): the model, the abilities, every
 * ordered pair in scope through the ω block with a proved bound before the exact tail, the
 * dossier numbers of the flagged pairs, the transmitted-key search and essay near-duplicates.
 */
#include "core/screen.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/seat.h"
#include "util/bigalloc.h"
#include "util/buf.h"

#define OMIT KW_COLLUSION_OMIT

/* ---- randomness: splitmix64 ------------------------------------------------------------ */

static uint64_t fin(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint64_t next64(uint64_t *s)
{
	return fin(*s += UINT64_C(0x9E3779B97F4A7C15));
}

/* ---- threads: workers pull tasks in order; nothing returned depends on who ran what ---- */

struct pool {
	void (*fn)(void *ctx, void *state, size_t task);
	void *ctx;
	void **state; /* per worker */
	size_t ntasks;
	atomic_size_t next;
};

struct pool_arg {
	struct pool *p;
	int id;
};

static void *pool_worker(void *arg)
{
	struct pool_arg *a = arg;
	struct pool *p = a->p;
	size_t t;
	while ((t = atomic_fetch_add(&p->next, 1)) < p->ntasks)
		p->fn(p->ctx, p->state ? p->state[a->id] : NULL, t);
	return NULL;
}

/* fn(ctx, state[worker], task) for task 0 .. ntasks-1 on up to `threads` threads (the
 * caller's among them); a thread that cannot be started leaves its share to the others. */
static void pool_run(int threads, size_t ntasks, void (*fn)(void *, void *, size_t), void *ctx,
                     void **state)
{
	struct pool p = {.fn = fn, .ctx = ctx, .state = state, .ntasks = ntasks};
	atomic_init(&p.next, 0);
	pthread_t tid[KW_SCREEN_MAX_THREADS];
	struct pool_arg args[KW_SCREEN_MAX_THREADS];
	int started = 0;
	for (int i = 0; i < threads; i++)
		args[i] = (struct pool_arg){&p, i};
	for (int i = 1; i < threads && (size_t)i < ntasks; i++)
		if (pthread_create(&tid[started], NULL, pool_worker, &args[i]) == 0)
			started++;
	pool_worker(&args[0]);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

static int clamp_threads(int t)
{
	return t < 1 ? 1 : t > KW_SCREEN_MAX_THREADS ? KW_SCREEN_MAX_THREADS : t;
}

/* ---- sorting: LSD radix on 64-bit keys, stable (ties keep their input order) ---------- */

struct kv {
	uint64_t key;
	uint64_t val;
};

static void radix_sort(struct kv *a, struct kv *tmp, size_t n)
{
	size_t *cnt = kw_xmalloc(65536 * sizeof *cnt);
	for (int pass = 0; pass < 4; pass++) {
		int sh = pass * 16;
		memset(cnt, 0, 65536 * sizeof *cnt);
		for (size_t i = 0; i < n; i++)
			cnt[(a[i].key >> sh) & 0xFFFF]++;
		size_t s = 0;
		for (size_t d = 0; d < 65536; d++) {
			size_t c = cnt[d];
			cnt[d] = s;
			s += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[cnt[(a[i].key >> sh) & 0xFFFF]++] = a[i];
		struct kv *t = a;
		a = tmp;
		tmp = t;
	}
	free(cnt); /* four passes: the result is back in the caller's a */
}

/* ---- union-find ------------------------------------------------------------------------ */

static uint32_t uf_find(uint32_t *par, uint32_t x)
{
	while (par[x] != x) {
		par[x] = par[par[x]];
		x = par[x];
	}
	return x;
}

static void uf_union(uint32_t *par, uint32_t a, uint32_t b)
{
	a = uf_find(par, a);
	b = uf_find(par, b);
	if (a == b)
		return;
	if (a < b) /* the smaller index is the root: the partition's labels are canonical */
		par[b] = a;
	else
		par[a] = b;
}

/* ---- errors ------------------------------------------------------------------------------ */

static int bad_field(struct kw_err *err, const char *field)
{
	kw_err_set(err, KW_EINVAL, "SCREEN_INPUT_INVALID", "GRD-6", "similar-answer screen: bad %s",
	           field);
	kw_err_detail(err, "field", json_string(field));
	return KW_EINVAL;
}

static int bad_answer(struct kw_err *err, size_t sheet, size_t item, int value)
{
	kw_err_set(err, KW_EINVAL, "NRM_RESPONSE_INVALID", "GRD-6",
	           "sheet %zu item %zu: answer %d is not an option of the item", sheet, item,
	           value);
	kw_err_detail(err, "sheet", json_integer((json_int_t)sheet));
	kw_err_detail(err, "item", json_integer((json_int_t)item));
	kw_err_detail(err, "value", json_integer(value));
	return KW_EINVAL;
}

/* The first answer that is neither a category of its item nor an omit: 0, or KW_EINVAL. */
static int check_answers(const uint8_t *resp, size_t n_sheets, size_t n, const uint8_t *nc,
                         struct kw_err *err)
{
	for (size_t s = 0; s < n_sheets; s++) {
		const uint8_t *x = resp + s * n;
		for (size_t i = 0; i < n; i++)
			if (x[i] >= nc[i] && x[i] != OMIT)
				return bad_answer(err, s, i, x[i]);
	}
	return 0;
}

/* ---- the prescreen's bound --------------------------------------------------------------- */

double kw_screen_tail_lower(int h, double e, double v, size_t n)
{
	if (!(v > 0) || n == 0)
		return 0;
	double sd = sqrt(v);
	double rho = v - 2 * v * v / (double)n; /* ≥ Σ w_i (1 − 2 w_i) */
	if (rho < 0)
		rho = 0;
	double delta = KW_SCREEN_BE_C * rho / (v * sd);
	double lb = 0.5 * erfc(((h - 1 - e) / sd) * M_SQRT1_2) - delta;
	return lb > 0 ? lb : 0;
}

/* ---- the pairs --------------------------------------------------------------------------- */

struct hit {
	size_t c, s;
	double p;
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

static void hits_push(struct hits *h, size_t c, size_t s, double p)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 256;
		h->v = kw_xrealloc(h->v, h->cap * sizeof *h->v);
	}
	h->v[h->n++] = (struct hit){c, s, p};
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	if (x->c != y->c)
		return x->c < y->c ? -1 : 1;
	return (x->s > y->s) - (x->s < y->s);
}

/* What every worker reads. */
struct screen {
	const struct kw_screen_input *in;
	size_t n;
	int ncat;
	const uint8_t *nc; /* per item categories */
	const struct kw_nrm_item *items;
	const double *theta;
	int scope;
	double level; /* α, or q in FDR mode */
	/* units: the rooms of unit u are urooms[uoff[u] .. uoff[u+1]) */
	size_t nunits;
	const size_t *uoff;
	const uint32_t *urooms;
	/* eligible sheets of room r: rsheets[roff[r] .. roff[r+1]) */
	const size_t *roff;
	const size_t *rsheets;
};

struct worker {
	struct kw_collusion_block b;
	int have_block;
	double *tab; /* unit tables, n × ncat per sheet */
	size_t tabcap;
	size_t *ids; /* the unit's sheets */
	size_t *rb;  /* room boundaries within the unit */
	size_t idcap, rbcap;
	uint16_t *h;
	double *e, *v, *z;
	size_t zcap;
	struct hits hits;
	uint64_t pairs, survivors;
	double zmax;
};

/* P_ik(θ) of one sheet into row (n × ncat, zeros past an item's own categories). */
static void prob_table(const struct screen *S, double theta, double *row)
{
	size_t K = (size_t)S->ncat;
	for (size_t i = 0; i < S->n; i++) {
		double *r = row + i * K;
		kw_nrm_probs(&S->items[i], theta, r);
		for (size_t k = S->nc[i]; k < K; k++)
			r[k] = 0;
	}
}

static void worker_block(struct worker *w, const struct screen *S, size_t cap)
{
	if (w->have_block && w->b.cap >= cap)
		return;
	if (w->have_block)
		kw_collusion_block_release(&w->b);
	size_t c = cap < 32 ? 32 : cap;
	int rc = kw_collusion_block_init(&w->b, S->n, S->ncat, c);
	assert(rc == 0);
	(void)rc;
	w->have_block = 1;
	if (w->zcap < c) {
		w->zcap = c;
		w->h = kw_xrealloc(w->h, c * sizeof *w->h);
		w->e = kw_xrealloc(w->e, c * sizeof *w->e);
		w->v = kw_xrealloc(w->v, c * sizeof *w->v);
		w->z = kw_xrealloc(w->z, c * sizeof *w->z);
	}
}

/* Source (unit index si) against the block's copiers, unit indexes lo .. lo + nb - 1. */
static void screen_source(const struct screen *S, struct worker *w, size_t si, size_t lo, size_t nb)
{
	size_t K = (size_t)S->ncat, n = S->n, s = w->ids[si];
	const uint8_t *xs = S->in->resp + s * n;
	kw_collusion_omega_batch(&w->b, nb, xs, w->h, w->e, w->v, w->z);
	for (size_t j = 0; j < nb; j++) {
		size_t ci = lo + j;
		if (ci == si)
			continue;
		w->pairs++;
		double lb = kw_screen_tail_lower(w->h[j], w->e[j], w->v[j], n);
		if (lb > S->level + 1e-12) {
			if (w->z[j] > w->zmax)
				w->zmax = w->z[j];
			continue;
		}
		w->survivors++;
		size_t c = w->ids[ci];
		struct kw_collusion_pair pr = {n,
		                               S->ncat,
		                               S->in->key,
		                               S->in->resp + c * n,
		                               xs,
		                               w->tab + ci * n * K,
		                               w->tab + si * n * K};
		struct kw_collusion_omega om;
		kw_collusion_omega(&pr, 1, &om);
		if (om.p_exact <= S->level)
			hits_push(&w->hits, c, s, om.p_exact);
	}
}

static void screen_unit(void *ctx, void *state, size_t u)
{
	const struct screen *S = ctx;
	struct worker *w = state;
	size_t K = (size_t)S->ncat, n = S->n;
	size_t r0 = S->uoff[u], r1 = S->uoff[u + 1], nr = r1 - r0, m = 0;
	for (size_t k = r0; k < r1; k++) {
		uint32_t r = S->urooms[k];
		m += S->roff[r + 1] - S->roff[r];
	}
	if (m < 2)
		return;
	if (w->idcap < m) {
		w->idcap = m;
		w->ids = kw_xrealloc(w->ids, m * sizeof *w->ids);
	}
	if (w->rbcap < nr + 1) {
		w->rbcap = nr + 1;
		w->rb = kw_xrealloc(w->rb, (nr + 1) * sizeof *w->rb);
	}
	if (w->tabcap < m) {
		free(w->tab);
		w->tabcap = m;
		w->tab = kw_xmalloc_big(m * n * K * sizeof *w->tab);
	}
	m = 0;
	for (size_t k = 0; k < nr; k++) {
		uint32_t r = S->urooms[r0 + k];
		w->rb[k] = m;
		for (size_t j = S->roff[r]; j < S->roff[r + 1]; j++)
			w->ids[m++] = S->rsheets[j];
	}
	w->rb[nr] = m;
	for (size_t j = 0; j < m; j++)
		prob_table(S, S->theta[w->ids[j]], w->tab + j * n * K);

	if (S->scope != KW_SCREEN_ADJACENT) { /* one room, or a whole centre: one block */
		worker_block(w, S, m);
		for (size_t j = 0; j < m; j++)
			kw_collusion_block_set(&w->b, j, S->in->key, S->in->resp + w->ids[j] * n,
			                       w->tab + j * n * K);
		for (size_t si = 0; si < m; si++)
			screen_source(S, w, si, 0, m);
		return;
	}
	/* adjacent: the sources of room k against rooms k − 1, k, k + 1 of the run */
	for (size_t k = 0; k < nr; k++) {
		if (w->rb[k + 1] == w->rb[k])
			continue;
		size_t lo = w->rb[k > 0 ? k - 1 : 0], hi = w->rb[k + 1 < nr ? k + 2 : nr];
		worker_block(w, S, hi - lo);
		for (size_t j = lo; j < hi; j++)
			kw_collusion_block_set(&w->b, j - lo, S->in->key,
			                       S->in->resp + w->ids[j] * n, w->tab + j * n * K);
		for (size_t si = w->rb[k]; si < w->rb[k + 1]; si++)
			screen_source(S, w, si, lo, hi - lo);
	}
}

/* ---- the dossier numbers of the flagged pairs ---------------------------------------------- */

struct detail {
	const struct screen *S;
	const struct kw_screen_opts *o;
	struct kw_screen_pair *out;
};

static int seat_adjacent(const struct kw_screen_opts *o, const struct kw_screen_input *in, size_t c,
                         size_t s)
{
	if (in->room[c] != in->room[s])
		return 0;
	if (o->seat_columns <= 0 || !in->seat || !in->seat[c] || !in->seat[s])
		return -1;
	struct kw_seat_rule rule;
	memset(&rule, 0, sizeof rule);
	rule.columns = o->seat_columns;
	rule.serpentine = o->seat_serpentine;
	uint32_t rc, cc, rs, cs;
	kw_seat_chart_pos(&rule, in->seat[c], &rc, &cc);
	kw_seat_chart_pos(&rule, in->seat[s], &rs, &cs);
	uint32_t dr = rc > rs ? rc - rs : rs - rc, dc = cc > cs ? cc - cs : cs - cc;
	return dr <= 1 && dc <= 1;
}

static void detail_one(void *ctx, void *state, size_t t)
{
	(void)state;
	struct detail *d = ctx;
	const struct screen *S = d->S;
	const struct kw_screen_input *in = S->in;
	struct kw_screen_pair *q = &d->out[t];
	size_t n = S->n, K = (size_t)S->ncat, c = q->copier, s = q->source;
	double *pc = kw_xmalloc(2 * n * K * sizeof *pc), *ps = pc + n * K;
	double *work = kw_xmalloc(kw_collusion_m4_work(n) * sizeof *work);
	prob_table(S, S->theta[c], pc);
	prob_table(S, S->theta[s], ps);
	struct kw_collusion_pair pr = {n,  S->ncat, in->key, in->resp + c * n, in->resp + s * n,
	                               pc, ps};
	struct kw_collusion_counts cn;
	struct kw_collusion_omega om;
	kw_collusion_count(&pr, &cn);
	kw_collusion_omega(&pr, 1, &om);
	q->room_c = in->room[c];
	q->room_s = in->room[s];
	q->seat_c = in->seat ? in->seat[c] : 0;
	q->seat_s = in->seat ? in->seat[s] : 0;
	q->adjacent = seat_adjacent(d->o, in, c, s);
	q->theta_c = S->theta[c];
	q->theta_s = S->theta[s];
	q->match = cn.match;
	q->expected = om.expected;
	q->ident_correct = cn.ident_correct;
	q->ident_wrong = cn.ident_wrong;
	q->run = cn.run;
	q->run_wrong = cn.run_wrong;
	q->score_c = cn.score_c;
	q->score_s = cn.score_s;
	q->omit_c = cn.omit_c;
	q->omit_s = cn.omit_s;
	q->z = om.z;
	q->p_normal = om.p_normal;
	q->p_exact = om.p_exact;
	q->gbt = kw_collusion_gbt(&pr, cn.match);
	q->m4 = kw_collusion_m4(&pr, cn.ident_correct, cn.ident_wrong, work);
	q->items = kw_xmalloc(n);
	kw_collusion_items(&pr, q->items);
	free(work);
	free(pc);
}

/* ---- input ------------------------------------------------------------------------------- */

static int check_key_opts(const struct kw_screen_key_opts *k, struct kw_err *err)
{
	if (k->min_wrong < 0 || k->bands < 0 || k->bands > 256 || k->rows < 0 || k->rows > 16 ||
	    !(k->min_jaccard >= 0 && k->min_jaccard <= 1) || k->min_shared < 0)
		return bad_field(err, "keys");
	return 0;
}

static int check_input(const struct kw_screen_input *in, const struct kw_screen_opts *o,
                       struct kw_err *err)
{
	if (!in)
		return bad_field(err, "input");
	if (in->n_items < 1 || in->n_items > KW_COLLUSION_MAX_ITEMS)
		return bad_field(err, "n_items");
	if (in->ncat < 2 || in->ncat > KW_COLLUSION_MAX_CATS)
		return bad_field(err, "ncat");
	if (!in->key)
		return bad_field(err, "key");
	if (in->n_sheets && (!in->resp || !in->room))
		return bad_field(err, in->resp ? "room" : "resp");
	for (size_t i = 0; i < in->n_items; i++) {
		int nc = in->ncat_item ? in->ncat_item[i] : in->ncat;
		if (nc < 2 || nc > in->ncat)
			return bad_field(err, "ncat_item");
		if (in->key[i] >= nc)
			return bad_field(err, "key");
	}
	for (size_t s = 0; s < in->n_sheets; s++)
		if (in->room[s] >= in->n_rooms)
			return bad_field(err, "room");
	if (o->scope < KW_SCREEN_ROOM || o->scope > KW_SCREEN_CENTRE)
		return bad_field(err, "scope");
	if (o->scope != KW_SCREEN_ROOM && !in->centre)
		return bad_field(err, "centre");
	if (!(o->alpha >= 0 && o->alpha < 1))
		return bad_field(err, "alpha");
	if (!(o->fdr_q >= 0 && o->fdr_q < 1) || (o->fdr_q > 0 && o->alpha > 0))
		return bad_field(err, "fdr_q");
	if (o->threads < 0 || o->threads > KW_SCREEN_MAX_THREADS)
		return bad_field(err, "threads");
	if (!(o->map_prior_var >= 0) || isinf(o->map_prior_var))
		return bad_field(err, "map_prior_var");
	if (o->seat_columns < 0)
		return bad_field(err, "seat_columns");
	return check_key_opts(&o->keys, err);
}

/* A candidate id given for two sheets: the lowest such id's first two sheets. */
static int check_ids(const struct kw_screen_input *in, struct kw_err *err)
{
	size_t N = in->n_sheets;
	if (!in->cand_id || N < 2)
		return 0;
	struct kv *a = kw_xmalloc_big(N * sizeof *a), *t = kw_xmalloc_big(N * sizeof *t);
	for (size_t s = 0; s < N; s++)
		a[s] = (struct kv){in->cand_id[s], s};
	radix_sort(a, t, N);
	int rc = 0;
	for (size_t j = 1; j < N; j++)
		if (a[j].key == a[j - 1].key) {
			rc = kw_err_set(err, KW_EINVAL, "SCREEN_DUPLICATE_CANDIDATE", "GRD-6",
			                "candidate %llu has two answer sheets (%llu and %llu)",
			                (unsigned long long)a[j].key,
			                (unsigned long long)a[j - 1].val,
			                (unsigned long long)a[j].val);
			kw_err_detail(err, "first", json_integer((json_int_t)a[j - 1].val));
			kw_err_detail(err, "second", json_integer((json_int_t)a[j].val));
			break;
		}
	free(a);
	free(t);
	return rc;
}

static double tick(const struct kw_screen_opts *o)
{
	return o->clock ? o->clock(o->clock_data) : 0;
}

/* Units of the scope: rooms (in index order), runs of consecutive rooms with one centre, or
 * centres (rooms by centre, then index). Returns the number of units. */
static size_t make_units(const struct kw_screen_input *in, int scope, size_t *uoff,
                         uint32_t *urooms)
{
	size_t R = in->n_rooms, nu = 0;
	if (scope == KW_SCREEN_CENTRE) {
		struct kv *a = kw_xmalloc((R ? R : 1) * sizeof *a);
		struct kv *t = kw_xmalloc((R ? R : 1) * sizeof *t);
		for (size_t r = 0; r < R; r++)
			a[r] = (struct kv){in->centre[r], r};
		radix_sort(a, t, R);
		for (size_t j = 0; j < R; j++) {
			if (j == 0 || a[j].key != a[j - 1].key)
				uoff[nu++] = j;
			urooms[j] = (uint32_t)a[j].val;
		}
		free(a);
		free(t);
	} else {
		for (size_t r = 0; r < R; r++) {
			if (scope == KW_SCREEN_ROOM || r == 0 || in->centre[r] != in->centre[r - 1])
				uoff[nu++] = r;
			urooms[r] = (uint32_t)r;
		}
	}
	uoff[nu] = R;
	return nu;
}

/* ---- the screen -------------------------------------------------------------------------- */

void kw_screen_result_release(struct kw_screen_result *res)
{
	if (!res)
		return;
	for (size_t j = 0; j < res->n_pairs; j++)
		free(res->pairs[j].items);
	free(res->pairs);
	kw_screen_clusters_free(res->clusters, res->n_clusters);
	free(res->items);
	free(res->theta);
	free(res->abil_flags);
	memset(res, 0, sizeof *res);
}

int kw_screen_run(const struct kw_screen_input *in, const struct kw_screen_opts *opt,
                  struct kw_screen_result *res, struct kw_err *err)
{
	struct kw_screen_opts o;
	memset(&o, 0, sizeof o);
	if (opt)
		o = *opt;
	memset(res, 0, sizeof *res);
	int rc = check_input(in, &o, err);
	if (rc)
		return rc;
	size_t N = in->n_sheets, n = in->n_items, R = in->n_rooms;
	int threads = clamp_threads(o.threads);
	struct kw_screen_stats *st = &res->stats;
	uint8_t *nc = kw_xmalloc(n);
	size_t *roff = NULL, *rsheets = NULL, *uoff = NULL;
	uint32_t *urooms = NULL;
	struct worker *ws = NULL;
	void **wstate = NULL;
	struct hits all = {0};
	for (size_t i = 0; i < n; i++)
		nc[i] = in->ncat_item ? in->ncat_item[i] : (uint8_t)in->ncat;
	double t0 = tick(&o), t1;
	if ((rc = check_answers(in->resp, N, n, nc, err)) != 0 || (rc = check_ids(in, err)) != 0)
		goto out;

	/* 1. the model */
	struct kw_nrm_fit_opts fo = {
	        .sample = o.sample ? o.sample : KW_SCREEN_DEFAULT_SAMPLE,
	        .seed = o.seed,
	        .threads = threads,
	        .quad_points = o.quad_points,
	        .max_cycles = o.max_cycles,
	        .tol = o.tol,
	        .key = in->key,
	};
	if (fo.sample >= N)
		fo.sample = 0;
	res->n_items = n;
	res->items = kw_xcalloc(n, sizeof *res->items);
	if ((rc = kw_nrm_fit(in->resp, N, n, nc, &fo, res->items, NULL, &st->fit, err)) != 0)
		goto out;
	t1 = tick(&o);
	st->t_fit = t1 - t0;

	/* 2. abilities */
	struct kw_nrm_abil_opts ao = {.map_prior_var = o.map_prior_var, .threads = threads};
	res->theta = kw_xmalloc_big(N * sizeof *res->theta);
	res->abil_flags = kw_xmalloc(N);
	if ((rc = kw_nrm_abilities(res->items, n, in->resp, N, &ao, res->theta, NULL, NULL,
	                           res->abil_flags, err)) != 0)
		goto out;
	double t2 = tick(&o);
	st->t_abilities = t2 - t1;

	/* 3. rooms, units, the number of pairs and the level */
	st->sheets = N;
	st->seed = o.seed;
	roff = kw_xcalloc(R + 1, sizeof *roff);
	rsheets = kw_xmalloc_big((N ? N : 1) * sizeof *rsheets);
	for (size_t s = 0; s < N; s++) {
		if (res->abil_flags[s] & KW_NRM_ABIL_NO_ANSWERS)
			st->excluded_no_answers++;
		else
			roff[in->room[s] + 1]++;
	}
	for (size_t r = 0; r < R; r++) {
		st->rooms_used += roff[r + 1] > 0;
		st->rooms_single += roff[r + 1] == 1;
		roff[r + 1] += roff[r];
	}
	{
		size_t *fill = kw_xmalloc((R ? R : 1) * sizeof *fill);
		memcpy(fill, roff, R * sizeof *fill);
		for (size_t s = 0; s < N; s++)
			if (!(res->abil_flags[s] & KW_NRM_ABIL_NO_ANSWERS))
				rsheets[fill[in->room[s]]++] = s;
		free(fill);
	}
	uoff = kw_xmalloc((R + 1) * sizeof *uoff);
	urooms = kw_xmalloc((R ? R : 1) * sizeof *urooms);
	size_t nu = make_units(in, o.scope, uoff, urooms);
	uint64_t pairs = 0;
	for (size_t u = 0; u < nu; u++) {
		uint64_t tot = 0;
		for (size_t k = uoff[u]; k < uoff[u + 1]; k++) {
			uint32_t r = urooms[k];
			uint64_t sr = roff[r + 1] - roff[r];
			tot += sr;
			if (o.scope != KW_SCREEN_CENTRE)
				pairs += sr * (sr ? sr - 1 : 0);
			if (o.scope == KW_SCREEN_ADJACENT && k + 1 < uoff[u + 1])
				pairs += 2 * sr * (roff[urooms[k + 1] + 1] - roff[urooms[k + 1]]);
		}
		if (o.scope == KW_SCREEN_CENTRE)
			pairs += tot * (tot ? tot - 1 : 0);
	}
	double level = o.fdr_q > 0   ? o.fdr_q
	               : o.alpha > 0 ? o.alpha
	               : pairs       ? 1.0 / (double)pairs
	                             : 0;
	st->alpha = level;
	st->fdr_q = o.fdr_q;
	st->z_discarded_max = -INFINITY;

	/* 4, 5. every pair: the bound, the exact tail of what it cannot rule out */
	struct screen S = {
	        .in = in,
	        .n = n,
	        .ncat = in->ncat,
	        .nc = nc,
	        .items = res->items,
	        .theta = res->theta,
	        .scope = o.scope,
	        .level = level,
	        .nunits = nu,
	        .uoff = uoff,
	        .urooms = urooms,
	        .roff = roff,
	        .rsheets = rsheets,
	};
	ws = kw_xcalloc((size_t)threads, sizeof *ws);
	wstate = kw_xmalloc((size_t)threads * sizeof *wstate);
	for (int t = 0; t < threads; t++) {
		ws[t].zmax = -INFINITY;
		wstate[t] = &ws[t];
	}
	if (pairs)
		pool_run(threads, nu, screen_unit, &S, wstate);
	for (int t = 0; t < threads; t++) {
		struct worker *w = &ws[t];
		st->survivors += w->survivors;
		assert(w->pairs <= pairs);
		if (w->zmax > st->z_discarded_max)
			st->z_discarded_max = w->zmax;
		for (size_t j = 0; j < w->hits.n; j++)
			hits_push(&all, w->hits.v[j].c, w->hits.v[j].s, w->hits.v[j].p);
		free(w->hits.v);
		w->hits.v = NULL;
		st->pairs += w->pairs;
		if (w->have_block)
			kw_collusion_block_release(&w->b);
		free(w->tab);
		free(w->ids);
		free(w->rb);
		free(w->h);
		free(w->e);
		free(w->v);
		free(w->z);
	}
	assert(st->pairs == pairs);
	if (all.n)
		qsort(all.v, all.n, sizeof *all.v, cmp_hit);
	size_t nflag = all.n;
	if (o.fdr_q > 0) { /* Benjamini–Hochberg over all pairs screened */
		nflag = 0;
		for (size_t k = 0; k < all.n; k++)
			if (all.v[k].p <= (double)(k + 1) * o.fdr_q / (double)pairs)
				nflag = k + 1;
		st->bh_threshold = nflag ? all.v[nflag - 1].p : 0;
	}
	st->flagged = nflag;
	double t3 = tick(&o);
	st->t_pairs = t3 - t2;

	/* 6. the dossier numbers */
	res->n_pairs = nflag;
	res->pairs = kw_xcalloc(nflag ? nflag : 1, sizeof *res->pairs);
	for (size_t k = 0; k < nflag; k++) {
		res->pairs[k].copier = all.v[k].c;
		res->pairs[k].source = all.v[k].s;
	}
	struct detail D = {&S, &o, res->pairs};
	pool_run(threads, nflag, detail_one, &D, NULL);
	double t4 = tick(&o);
	st->t_detail = t4 - t3;

	/* 7. the transmitted-key search */
	if (!o.no_keys && N) {
		rc = kw_screen_keys(in->resp, N, n, in->ncat, in->key, in->room, res->abil_flags,
		                    &o.keys, o.seed, threads, &res->clusters, &res->n_clusters,
		                    &st->keys, err);
		if (rc)
			goto out;
	}
	double t5 = tick(&o);
	st->t_keys = t5 - t4;
	st->t_total = t5 - t0;
out:
	free(nc);
	free(roff);
	free(rsheets);
	free(uoff);
	free(urooms);
	free(ws);
	free(wstate);
	free(all.v);
	if (rc)
		kw_screen_result_release(res);
	return rc;
}

/* ---- the transmitted-key search ------------------------------------------------------------ */

struct keys {
	size_t words, U, k; /* k = bands × rows */
	int bands, rows;
	double jmin;
	int min_shared;
	uint64_t seed;
	const uint64_t *bits; /* per eligible sheet */
	const uint16_t *pop;
	const uint32_t *reps; /* eligible indexes of the representatives */
	size_t R;
	const int16_t *rank; /* U × k: rank[u × k + p] = the rank of u in permutation p */
	uint32_t *bkey;      /* bands × R: band b's key of representative j at b × R + j */
	/* per band: edges found */
	struct edges *edges;
	uint64_t *compared;
	size_t *largest;
};

struct edge {
	uint32_t a, b; /* eligible indexes */
	double j;
};

struct edges {
	struct edge *v;
	size_t n, cap;
};

static void edges_push(struct edges *e, uint32_t a, uint32_t b, double j)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->v = kw_xrealloc(e->v, e->cap * sizeof *e->v);
	}
	e->v[e->n++] = (struct edge){a, b, j};
}

/* acc[p] = min(acc[p], row[p]), p < k: the MinHash of every permutation at once, one set
 * member at a time (exact in any instruction set; compiled per set below). */
static inline __attribute__((always_inline)) void min_rows(int16_t *restrict acc,
                                                           const int16_t *restrict row, size_t k)
{
	for (size_t p = 0; p < k; p++)
		acc[p] = row[p] < acc[p] ? row[p] : acc[p];
}

static void min_rows_generic(int16_t *acc, const int16_t *row, size_t k)
{
	min_rows(acc, row, k);
}

#ifdef __x86_64__
__attribute__((target("avx2"))) static void min_rows_avx2(int16_t *acc, const int16_t *row,
                                                          size_t k)
{
	min_rows(acc, row, k);
}

__attribute__((target("avx512f,avx512bw"))) static void
min_rows_avx512(int16_t *acc, const int16_t *row, size_t k)
{
	min_rows(acc, row, k);
}
#endif

typedef void (*min_rows_fn)(int16_t *, const int16_t *, size_t);

static min_rows_fn min_rows_best(void)
{
#ifdef __x86_64__
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
		return min_rows_avx512;
	if (__builtin_cpu_supports("avx2"))
		return min_rows_avx2;
#endif
	return min_rows_generic;
}

/* The band keys of representatives [4096 t, 4096 (t + 1)). */
static void key_sig(void *ctx, void *state, size_t t)
{
	(void)state;
	struct keys *K = ctx;
	size_t from = t * 4096, to = from + 4096 < K->R ? from + 4096 : K->R, W = K->words;
	int16_t *acc = kw_xmalloc(K->k * sizeof *acc);
	min_rows_fn fn = min_rows_best();
	for (size_t j = from; j < to; j++) {
		const uint64_t *b = K->bits + (size_t)K->reps[j] * W;
		for (size_t p = 0; p < K->k; p++)
			acc[p] = INT16_MAX;
		for (size_t w = 0; w < W; w++)
			for (uint64_t v = b[w]; v; v &= v - 1)
				fn(acc, K->rank + (w * 64 + (size_t)__builtin_ctzll(v)) * K->k,
				   K->k);
		for (int band = 0; band < K->bands; band++) {
			const int16_t *a = acc + (size_t)band * (size_t)K->rows;
			uint64_t h = fin(K->seed ^
			                 (UINT64_C(0xB5AD4ECEDA1CE2A9) * (uint64_t)(band + 1)));
			uint64_t word = 0;
			for (int r = 0; r < K->rows; r++) {
				word = (word << 16) | (uint16_t)a[r];
				if (r % 4 == 3 || r == K->rows - 1) {
					h = fin(h ^ word);
					word = 0;
				}
			}
			K->bkey[(size_t)band * K->R + j] = (uint32_t)(h >> 32);
		}
	}
	free(acc);
}

/* 32-bit keys with 32-bit values, LSD radix by 16 bits, stable. */
struct kv32 {
	uint32_t key, val;
};

static void radix_sort32(struct kv32 *a, struct kv32 *tmp, size_t n)
{
	size_t *cnt = kw_xmalloc(65536 * sizeof *cnt);
	for (int pass = 0; pass < 2; pass++) {
		int sh = pass * 16;
		memset(cnt, 0, 65536 * sizeof *cnt);
		for (size_t i = 0; i < n; i++)
			cnt[(a[i].key >> sh) & 0xFFFF]++;
		size_t s = 0;
		for (size_t d = 0; d < 65536; d++) {
			size_t c = cnt[d];
			cnt[d] = s;
			s += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[cnt[(a[i].key >> sh) & 0xFFFF]++] = a[i];
		struct kv32 *t = a;
		a = tmp;
		tmp = t;
	}
	free(cnt); /* two passes: the result is back in the caller's a */
}

struct kbuf {
	struct kv32 *a, *t;
	uint64_t *gb; /* a bucket's sets, gathered */
	uint32_t *gr; /* their eligible indexes */
	uint16_t *gp; /* their sizes */
	size_t gcap;
};

static void key_band(void *ctx, void *state, size_t band)
{
	struct keys *K = ctx;
	struct kbuf *kb = state;
	size_t R = K->R, W = K->words;
	const uint32_t *bk = K->bkey + band * R;
	for (size_t j = 0; j < R; j++)
		kb->a[j] = (struct kv32){bk[j], (uint32_t)j};
	radix_sort32(kb->a, kb->t, R);
	uint64_t compared = 0;
	size_t largest = 0;
	struct edges *E = &K->edges[band];
	for (size_t j0 = 0; j0 < R;) {
		size_t j1 = j0 + 1;
		while (j1 < R && kb->a[j1].key == kb->a[j0].key)
			j1++;
		size_t B = j1 - j0;
		if (B > largest)
			largest = B;
		if (B < 2) {
			j0 = j1;
			continue;
		}
		/* the bucket's sets side by side: B reads from the big arrays, not B² */
		if (kb->gcap < B) {
			kb->gcap = B < 64 ? 64 : B;
			kb->gb = kw_xrealloc(kb->gb, kb->gcap * W * sizeof *kb->gb);
			kb->gr = kw_xrealloc(kb->gr, kb->gcap * sizeof *kb->gr);
			kb->gp = kw_xrealloc(kb->gp, kb->gcap * sizeof *kb->gp);
		}
		for (size_t x = 0; x < B; x++) {
			uint32_t e = K->reps[kb->a[j0 + x].val];
			kb->gr[x] = e;
			kb->gp[x] = K->pop[e];
			memcpy(kb->gb + x * W, K->bits + (size_t)e * W, W * sizeof *kb->gb);
		}
		for (size_t x = 0; x < B; x++)
			for (size_t y = x + 1; y < B; y++) {
				int in =
				        kw_collusion_ident_wrong(kb->gb + x * W, kb->gb + y * W, W);
				double J = (double)in / (double)(kb->gp[x] + kb->gp[y] - in);
				compared++;
				if (J >= K->jmin && in >= K->min_shared) {
					uint32_t a = kb->gr[x], b = kb->gr[y];
					edges_push(E, a < b ? a : b, a < b ? b : a, J);
				}
			}
		j0 = j1;
	}
	K->compared[band] = compared;
	K->largest[band] = largest;
}

struct wsets {
	const uint8_t *resp, *key;
	size_t n, words;
	int ncat;
	const size_t *elig;
	uint64_t *bits;
	uint16_t *pop;
	size_t E;
};

static void wset_chunk(void *ctx, void *state, size_t t)
{
	(void)state;
	struct wsets *w = ctx;
	size_t from = t * 4096, to = from + 4096 < w->E ? from + 4096 : w->E;
	for (size_t j = from; j < to; j++) {
		uint64_t *b = w->bits + j * w->words;
		kw_collusion_wrongset(w->resp + w->elig[j] * w->n, w->key, w->n, w->ncat, b);
		int p = 0;
		for (size_t k = 0; k < w->words; k++)
			p += __builtin_popcountll(b[k]);
		w->pop[j] = (uint16_t)p;
	}
}

void kw_screen_clusters_free(struct kw_screen_cluster *c, size_t n)
{
	if (!c)
		return;
	for (size_t j = 0; j < n; j++) {
		free(c[j].members);
		free(c[j].shared);
	}
	free(c);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int kw_screen_keys(const uint8_t *resp, size_t n_sheets, size_t n, int ncat, const uint8_t *key,
                   const uint32_t *room, const uint8_t *skip, const struct kw_screen_key_opts *opt,
                   uint64_t seed, int threads, struct kw_screen_cluster **clusters,
                   size_t *n_clusters, struct kw_screen_key_stats *stats, struct kw_err *err)
{
	struct kw_screen_key_opts ko;
	memset(&ko, 0, sizeof ko);
	if (opt)
		ko = *opt;
	*clusters = NULL;
	*n_clusters = 0;
	int rc = check_key_opts(&ko, err);
	if (rc)
		return rc;
	if (n < 1 || n > KW_COLLUSION_MAX_ITEMS || ncat < 2 || ncat > KW_COLLUSION_MAX_CATS ||
	    !key || (n_sheets && !resp) || n_sheets > UINT32_MAX)
		return bad_field(err, "keys");
	for (size_t i = 0; i < n; i++)
		if (key[i] >= ncat)
			return bad_field(err, "key");
	{
		uint8_t *nc = kw_xmalloc(n);
		memset(nc, ncat, n);
		rc = check_answers(resp, n_sheets, n, nc, err);
		free(nc);
		if (rc)
			return rc;
	}
	threads = clamp_threads(threads);
	int m = ko.min_wrong ? ko.min_wrong : 10;
	struct keys K = {
	        .words = kw_collusion_wrongset_words(n, ncat),
	        .U = n * (size_t)(ncat - 1),
	        .bands = ko.bands ? ko.bands : 48,
	        .rows = ko.rows ? ko.rows : 9,
	        .jmin = ko.min_jaccard > 0 ? ko.min_jaccard : 0.75,
	        .min_shared = ko.min_shared ? ko.min_shared : m,
	        .seed = seed,
	};
	struct kw_screen_key_stats ks;
	memset(&ks, 0, sizeof ks);
	ks.min_wrong = m;
	ks.bands = K.bands;
	ks.rows = K.rows;
	ks.min_jaccard = K.jmin;
	ks.min_shared = K.min_shared;

	/* eligible sheets and their wrong-answer sets */
	size_t E = 0;
	size_t *elig = kw_xmalloc_big((n_sheets ? n_sheets : 1) * sizeof *elig);
	for (size_t s = 0; s < n_sheets; s++)
		if (!(skip && skip[s]) && kw_collusion_wrong(resp + s * n, key, n) >= m)
			elig[E++] = s;
	ks.eligible = E;
	size_t W = K.words;
	uint64_t *bits = kw_xmalloc_big((E ? E : 1) * W * sizeof *bits);
	uint16_t *pop = kw_xmalloc_big((E ? E : 1) * sizeof *pop);
	struct wsets wsx = {resp, key, n, W, ncat, elig, bits, pop, E};
	pool_run(threads, (E + 4095) / 4096, wset_chunk, &wsx, NULL);

	/* 1. identical sets: hash, sort, compare within equal hashes */
	struct kv *a = kw_xmalloc_big((E ? E : 1) * sizeof *a);
	struct kv *tmp = kw_xmalloc_big((E ? E : 1) * sizeof *tmp);
	uint64_t hs = fin(seed ^ UINT64_C(0x6A09E667F3BCC909));
	for (size_t j = 0; j < E; j++) {
		uint64_t h = hs;
		for (size_t w = 0; w < W; w++)
			h = fin(h ^ bits[j * W + w]) + w;
		a[j] = (struct kv){h, j};
	}
	radix_sort(a, tmp, E);
	uint32_t *rep_of = kw_xmalloc_big((E ? E : 1) * sizeof *rep_of); /* eligible → its rep */
	uint32_t *reps = kw_xmalloc_big((E ? E : 1) * sizeof *reps);
	size_t R = 0;
	for (size_t j0 = 0; j0 < E;) {
		size_t j1 = j0 + 1;
		while (j1 < E && a[j1].key == a[j0].key)
			j1++;
		for (size_t x = j0; x < j1; x++) {
			uint32_t e = (uint32_t)a[x].val, r = e;
			for (size_t y = j0; y < x;
			     y++) { /* an earlier equal set of the same hash */
				uint32_t f = (uint32_t)a[y].val;
				if (rep_of[f] == f && memcmp(bits + (size_t)e * W,
				                             bits + (size_t)f * W, W * 8) == 0) {
					r = f;
					break;
				}
			}
			rep_of[e] = r;
		}
		j0 = j1;
	}
	for (size_t j = 0; j < E; j++) /* reps in eligible order: the bands see a fixed order */
		if (rep_of[j] == j)
			reps[R++] = (uint32_t)j;
	ks.distinct = R;

	/* 2. MinHash bands over the representatives: the permutations' rank table, every
	 * representative's band keys, then band by band */
	K.k = (size_t)K.bands * (size_t)K.rows;
	int16_t *rank = kw_xmalloc(K.U * K.k * sizeof *rank);
	{
		uint16_t *pp = kw_xmalloc(K.U * sizeof *pp);
		uint64_t ps = seed ^ UINT64_C(0x3C6EF372FE94F82B);
		for (size_t p = 0; p < K.k; p++) {
			for (size_t t = 0; t < K.U; t++)
				pp[t] = (uint16_t)t;
			for (size_t t = K.U; t > 1; t--) {
				size_t r = (size_t)(next64(&ps) % t);
				uint16_t x = pp[t - 1];
				pp[t - 1] = pp[r];
				pp[r] = x;
			}
			for (size_t t = 0; t < K.U; t++)
				rank[(size_t)pp[t] * K.k + p] = (int16_t)t;
		}
		free(pp);
	}
	K.bits = bits;
	K.pop = pop;
	K.reps = reps;
	K.R = R;
	K.rank = rank;
	K.edges = kw_xcalloc((size_t)K.bands, sizeof *K.edges);
	K.compared = kw_xcalloc((size_t)K.bands, sizeof *K.compared);
	K.largest = kw_xcalloc((size_t)K.bands, sizeof *K.largest);
	if (R > 1) {
		K.bkey = kw_xmalloc_big((size_t)K.bands * R * sizeof *K.bkey);
		pool_run(threads, (R + 4095) / 4096, key_sig, &K, NULL);
		struct kbuf *kb = kw_xcalloc((size_t)threads, sizeof *kb);
		void **kst = kw_xmalloc((size_t)threads * sizeof *kst);
		for (int t = 0; t < threads; t++) {
			kst[t] = &kb[t];
			if (t < K.bands) {
				kb[t].a = kw_xmalloc_big(R * sizeof *kb[t].a);
				kb[t].t = kw_xmalloc_big(R * sizeof *kb[t].t);
			}
		}
		pool_run(threads, (size_t)K.bands, key_band, &K, kst);
		for (int t = 0; t < threads; t++) {
			free(kb[t].a);
			free(kb[t].t);
			free(kb[t].gb);
			free(kb[t].gr);
			free(kb[t].gp);
		}
		free(kb);
		free(kst);
		free(K.bkey);
	}
	free(rank);
	free(a);
	free(tmp);

	/* 3, 4. components: identical sets, then the bands' edges in band order */
	uint32_t *par = kw_xmalloc_big((E ? E : 1) * sizeof *par);
	double *minj = kw_xmalloc_big((E ? E : 1) * sizeof *minj);
	for (size_t j = 0; j < E; j++) {
		par[j] = (uint32_t)j;
		minj[j] = 2;
	}
	for (size_t j = 0; j < E; j++)
		if (rep_of[j] != j && pop[j] >= K.min_shared) {
			uf_union(par, (uint32_t)j, rep_of[j]);
			ks.edges++;
		}
	for (int b = 0; b < K.bands; b++) {
		struct edges *ed = &K.edges[b];
		ks.compared += K.compared[b];
		ks.edges += ed->n;
		if (K.largest[b] > ks.largest_bucket)
			ks.largest_bucket = K.largest[b];
		for (size_t k = 0; k < ed->n; k++)
			uf_union(par, ed->v[k].a, ed->v[k].b);
	}
	/* every sheet's root; the smallest edge Jaccard per root */
	for (size_t j = 0; j < E; j++)
		par[j] = uf_find(par, (uint32_t)j);
	for (size_t j = 0; j < E; j++)
		if (rep_of[j] != j && pop[j] >= K.min_shared)
			minj[par[j]] = minj[par[j]] < 1 ? minj[par[j]] : 1;
	for (int b = 0; b < K.bands; b++) {
		struct edges *ed = &K.edges[b];
		for (size_t k = 0; k < ed->n; k++) {
			uint32_t r = par[ed->v[k].a];
			if (ed->v[k].j < minj[r])
				minj[r] = ed->v[k].j;
		}
		free(ed->v);
	}
	free(K.edges);
	free(K.compared);
	free(K.largest);

	/* clusters: roots with two members or more, by smallest member (the root) */
	uint32_t *size = kw_xcalloc(E ? E : 1, sizeof *size);
	for (size_t j = 0; j < E; j++)
		size[par[j]]++;
	size_t nc = 0;
	for (size_t j = 0; j < E; j++)
		nc += par[j] == j && size[j] >= 2;
	struct kw_screen_cluster *cl = kw_xcalloc(nc ? nc : 1, sizeof *cl);
	uint32_t *slot = kw_xmalloc_big((E ? E : 1) * sizeof *slot); /* root → cluster */
	nc = 0;
	for (size_t j = 0; j < E; j++)
		if (par[j] == j && size[j] >= 2) {
			slot[j] = (uint32_t)nc;
			cl[nc].members = kw_xmalloc(size[j] * sizeof *cl[nc].members);
			cl[nc].min_jaccard = minj[j] > 1 ? 1 : minj[j];
			cl[nc].identical = 1;
			nc++;
		}
	uint32_t *cnt = kw_xcalloc(K.U ? K.U : 1, sizeof *cnt);
	uint32_t *tmpr = NULL;
	for (size_t j = 0; j < E; j++) { /* members in eligible order = sheet order */
		uint32_t r = par[j];
		if (size[r] < 2)
			continue;
		struct kw_screen_cluster *c = &cl[slot[r]];
		if (rep_of[j] != rep_of[r])
			c->identical = 0;
		c->members[c->n_members++] = elig[j];
	}
	ks.clusters = nc;
	for (size_t k = 0; k < nc; k++) {
		struct kw_screen_cluster *c = &cl[k];
		ks.clustered += c->n_members;
		/* rooms */
		if (room) {
			tmpr = kw_xrealloc(tmpr, c->n_members * sizeof *tmpr);
			for (size_t j = 0; j < c->n_members; j++)
				tmpr[j] = room[c->members[j]];
			qsort(tmpr, c->n_members, sizeof *tmpr, cmp_u32);
			c->n_rooms = 1;
			for (size_t j = 1; j < c->n_members; j++)
				c->n_rooms += tmpr[j] != tmpr[j - 1];
		}
	}
	/* shared wrong answers: each cluster's counts over its members' sets */
	{
		uint32_t *eidx = kw_xmalloc_big((E ? E : 1) * sizeof *eidx); /* cluster-major */
		size_t *coff = kw_xcalloc(nc + 1, sizeof *coff);
		for (size_t j = 0; j < E; j++)
			if (size[par[j]] >= 2)
				coff[slot[par[j]] + 1]++;
		for (size_t k = 0; k < nc; k++)
			coff[k + 1] += coff[k];
		size_t *fill = kw_xmalloc((nc ? nc : 1) * sizeof *fill);
		memcpy(fill, coff, nc * sizeof *fill);
		for (size_t j = 0; j < E; j++)
			if (size[par[j]] >= 2)
				eidx[fill[slot[par[j]]]++] = (uint32_t)j;
		for (size_t k = 0; k < nc; k++) {
			struct kw_screen_cluster *c = &cl[k];
			memset(cnt, 0, K.U * sizeof *cnt);
			for (size_t x = coff[k]; x < coff[k + 1]; x++) {
				const uint64_t *b = bits + (size_t)eidx[x] * W;
				for (size_t w = 0; w < W; w++)
					for (uint64_t v = b[w]; v; v &= v - 1)
						cnt[w * 64 + (size_t)__builtin_ctzll(v)]++;
			}
			uint32_t need = (uint32_t)((c->n_members + 1) / 2);
			if (need < 2)
				need = 2;
			size_t ns = 0;
			for (size_t u = 0; u < K.U; u++)
				ns += cnt[u] >= need;
			c->shared = kw_xmalloc((ns ? ns : 1) * sizeof *c->shared);
			size_t per = (size_t)(ncat - 1);
			for (size_t u = 0; u < K.U; u++)
				if (cnt[u] >= need) {
					size_t item = u / per, r = u % per;
					c->shared[c->n_shared++] = (struct kw_screen_shared){
					        (uint16_t)item,
					        (uint8_t)(r < key[item] ? r : r + 1), cnt[u]};
				}
		}
		free(eidx);
		free(coff);
		free(fill);
	}
	free(cnt);
	free(tmpr);
	free(slot);
	free(size);
	free(par);
	free(minj);
	free(rep_of);
	free(reps);
	free(bits);
	free(pop);
	free(elig);
	*clusters = cl;
	*n_clusters = nc;
	if (stats)
		*stats = ks;
	return 0;
}

/* ---- typed essays ---------------------------------------------------------------------------- */

/* The next code point of s[*i .. len), or −1 (not UTF-8: overlong, surrogate, > U+10FFFF,
 * truncated). */
static int32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	size_t p = *i;
	unsigned c = s[p];
	int32_t cp;
	int extra;
	if (c < 0x80) {
		*i = p + 1;
		return (int32_t)c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		cp = (int32_t)(c & 0x1F);
		extra = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = (int32_t)(c & 0x0F);
		extra = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = (int32_t)(c & 0x07);
		extra = 3;
	} else {
		return -1;
	}
	if (p + (size_t)extra >= len)
		return -1;
	for (int k = 1; k <= extra; k++) {
		unsigned d = s[p + (size_t)k];
		if ((d & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (int32_t)(d & 0x3F);
	}
	if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*i = p + 1 + (size_t)extra;
	return cp;
}

/* Dropped before shingling: white space and punctuation. */
static int skip_cp(int32_t c)
{
	if (c <= 0x20 || c == 0x7F || c == 0xA0 || c == 0xB7)
		return 1;
	if ((c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
	    (c >= 0x7B && c <= 0x7E))
		return 1;
	if ((c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE10 && c <= 0xFE1F) || (c >= 0xFE30 && c <= 0xFE4F))
		return 1;
	if ((c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
	    (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65))
		return 1;
	return 0;
}

/* Full-width ASCII to ASCII, ASCII letters to lower case. */
static int32_t fold_cp(int32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	return c;
}

struct text {
	uint64_t *sh; /* sorted distinct shingles */
	size_t n;
	uint64_t *sig; /* bands × rows MinHash values */
	int bad;       /* the first byte that is not UTF-8 + 1, else 0 */
	size_t bad_at;
};

struct texts {
	const char *const *t;
	const size_t *len;
	int ngram, k;
	uint64_t seed;
	size_t min_sh;
	int sig;
	struct text *out;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void text_one(void *ctx, void *state, size_t j)
{
	(void)state;
	struct texts *T = ctx;
	struct text *o = &T->out[j];
	const unsigned char *s = (const unsigned char *)(T->t ? T->t[j] : NULL);
	size_t len = s ? (T->len ? T->len[j] : strlen((const char *)s)) : 0;
	int32_t *cp = kw_xmalloc((len ? len : 1) * sizeof *cp);
	size_t m = 0;
	for (size_t i = 0; i < len;) {
		size_t at = i;
		int32_t c = utf8_next(s, len, &i);
		if (c < 0) {
			o->bad = 1;
			o->bad_at = at;
			free(cp);
			return;
		}
		if (!skip_cp(c))
			cp[m++] = fold_cp(c);
	}
	size_t g = (size_t)T->ngram;
	if (m >= g) {
		o->sh = kw_xmalloc((m - g + 1) * sizeof *o->sh);
		for (size_t t = 0; t + g <= m; t++) {
			uint64_t v = 0;
			if (g <= 3) { /* exact: 21 bits a code point */
				for (size_t k = 0; k < g; k++)
					v = (v << 21) | (uint64_t)cp[t + k];
			} else {
				v = UINT64_C(0x243F6A8885A308D3);
				for (size_t k = 0; k < g; k++)
					v = fin(v ^ (uint64_t)cp[t + k]);
			}
			o->sh[o->n++] = v;
		}
		qsort(o->sh, o->n, sizeof *o->sh, cmp_u64);
		size_t u = 0;
		for (size_t t = 0; t < o->n; t++)
			if (u == 0 || o->sh[t] != o->sh[u - 1])
				o->sh[u++] = o->sh[t];
		o->n = u;
	}
	free(cp);
	if (!T->sig || o->n < T->min_sh)
		return;
	o->sig = kw_xmalloc((size_t)T->k * sizeof *o->sig);
	for (int f = 0; f < T->k; f++) {
		uint64_t fs = fin(T->seed + UINT64_C(0x9E3779B97F4A7C15) * (uint64_t)(f + 1)),
		         mn = UINT64_MAX;
		for (size_t t = 0; t < o->n; t++) {
			uint64_t h = fin(o->sh[t] ^ fs);
			if (h < mn)
				mn = h;
		}
		o->sig[f] = mn;
	}
}

static size_t inter_sorted(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, c = 0;
	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			c++;
			i++;
			j++;
		}
	}
	return c;
}

static int cmp_kv(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->val > y->val) - (x->val < y->val);
}

/* Appends (a, b) to out when its exact Jaccard or containment reaches its threshold. */
static void text_pair(const struct texts *T, size_t a, size_t b, double jmin, double cmin,
                      struct kw_screen_text_pair **out, size_t *np, size_t *cap)
{
	const struct text *A = &T->out[a], *B = &T->out[b];
	size_t in = inter_sorted(A->sh, A->n, B->sh, B->n);
	double J = (double)in / (double)(A->n + B->n - in);
	double C = (double)in / (double)(A->n < B->n ? A->n : B->n);
	if (!(J >= jmin || C >= cmin))
		return;
	if (*np == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*out = kw_xrealloc(*out, *cap * sizeof **out);
	}
	(*out)[(*np)++] = (struct kw_screen_text_pair){a, b, A->n, B->n, in, J, C};
}

int kw_screen_text(const char *const *texts, const size_t *lens, size_t n,
                   const struct kw_screen_text_opts *opt, struct kw_screen_text_pair **pairs,
                   size_t *n_pairs, struct kw_err *err)
{
	struct kw_screen_text_opts o;
	memset(&o, 0, sizeof o);
	if (opt)
		o = *opt;
	*pairs = NULL;
	*n_pairs = 0;
	if (o.ngram < 0 || o.ngram > 6 || o.bands < 0 || o.bands > 256 || o.rows < 0 ||
	    o.rows > 16 || !(o.min_jaccard >= 0 && o.min_jaccard <= 1) ||
	    !(o.min_containment >= 0 && o.min_containment <= 1) || o.threads < 0 ||
	    o.threads > KW_SCREEN_MAX_THREADS || (n && !texts) || n > UINT32_MAX)
		return bad_field(err, "text");
	int ng = o.ngram ? o.ngram : 3, bands = o.bands ? o.bands : 20, rows = o.rows ? o.rows : 5;
	double jmin = o.min_jaccard > 0 ? o.min_jaccard : 0.5;
	double cmin = o.min_containment > 0 ? o.min_containment : 0.8;
	size_t min_sh = o.min_shingles ? o.min_shingles : 20;
	struct texts T = {texts, lens, ng, bands * rows, o.seed, min_sh, !o.exhaustive, NULL};
	T.out = kw_xcalloc(n ? n : 1, sizeof *T.out);
	pool_run(clamp_threads(o.threads), n, text_one, &T, NULL);
	int rc = 0;
	struct kv *cand = NULL;
	size_t nc = 0, cap = 0;
	for (size_t j = 0; j < n; j++)
		if (T.out[j].bad) {
			rc = kw_err_set(err, KW_EINVAL, "SCREEN_TEXT_INVALID", "GRD-6",
			                "text %zu: byte %zu is not UTF-8", j, T.out[j].bad_at);
			kw_err_detail(err, "candidate", json_integer((json_int_t)j));
			kw_err_detail(err, "offset", json_integer((json_int_t)T.out[j].bad_at));
			goto out;
		}
	/* candidates: (a, b) packed into one key, a < b */
	struct kw_screen_text_pair *found = NULL;
	size_t np = 0, ocap = 0;
	if (o.exhaustive) {
		for (size_t a = 0; a < n; a++)
			for (size_t b = a + 1; b < n; b++)
				if (T.out[a].n >= min_sh && T.out[b].n >= min_sh)
					text_pair(&T, a, b, jmin, cmin, &found, &np, &ocap);
	} else {
		struct kv *bk = kw_xmalloc((n ? n : 1) * sizeof *bk);
		for (int band = 0; band < bands; band++) {
			size_t m = 0;
			for (size_t j = 0; j < n; j++) {
				if (!T.out[j].sig)
					continue;
				uint64_t h = fin(o.seed ^ (UINT64_C(0xD1B54A32D192ED03) *
				                           (uint64_t)(band + 1)));
				for (int r = 0; r < rows; r++)
					h = fin(h ^ T.out[j].sig[band * rows + r]);
				bk[m++] = (struct kv){h, j};
			}
			qsort(bk, m, sizeof *bk, cmp_kv);
			for (size_t x0 = 0; x0 < m;) {
				size_t x1 = x0 + 1;
				while (x1 < m && bk[x1].key == bk[x0].key)
					x1++;
				for (size_t x = x0; x < x1; x++)
					for (size_t y = x + 1; y < x1; y++) {
						if (nc == cap) {
							cap = cap ? 2 * cap : 256;
							cand = kw_xrealloc(cand,
							                   cap * sizeof *cand);
						}
						cand[nc++] = (struct kv){
						        (bk[x].val << 32) | bk[y].val, 0};
					}
				x0 = x1;
			}
		}
		free(bk);
		qsort(cand, nc, sizeof *cand, cmp_kv);
		size_t u = 0;
		for (size_t j = 0; j < nc; j++)
			if (u == 0 || cand[j].key != cand[u - 1].key)
				cand[u++] = cand[j];
		nc = u;
		for (size_t j = 0; j < nc; j++)
			text_pair(&T, (size_t)(cand[j].key >> 32),
			          (size_t)(cand[j].key & 0xFFFFFFFFu), jmin, cmin, &found, &np,
			          &ocap);
	}
	if (!found)
		found = kw_xmalloc(sizeof *found);
	*pairs = found;
	*n_pairs = np;
out:
	for (size_t j = 0; j < n; j++) {
		free(T.out[j].sh);
		free(T.out[j].sig);
	}
	free(T.out);
	free(cand);
	return rc;
}
