/* Fitting the nominal response model by MML-EM, and abilities by MAP and EAP (nrm_fit.h). */
#include "core/nrm_fit.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/bigalloc.h"
#include "util/buf.h"

#define K_MAX KW_NRM_MAX_CATS

/* ---- randomness: splitmix64 (Steele, Lea & Flood 2014) ----------------------------------- */

#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)

static uint64_t fin(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* The next output of the stream whose state is *s. */
static uint64_t next64(uint64_t *s)
{
	*s += GOLDEN;
	return fin(*s);
}

/* A uniform double in [0, 1) with 53 random bits. */
static double unif(uint64_t *s)
{
	return (double)(next64(s) >> 11) * 0x1.0p-53;
}

/* The state of stream number idx of a seed: the streams of one seed do not overlap in
 * practice (their starting points are 64-bit hashes). */
static uint64_t stream(uint64_t seed, uint64_t idx)
{
	return fin(seed ^ fin(idx + UINT64_C(0x6A09E667F3BCC909)));
}

double kw_nrm_normal(uint64_t seed, uint64_t index)
{
	uint64_t s = stream(seed, index);
	double u1 = ((double)(next64(&s) >> 11) + 1.0) * 0x1.0p-53; /* (0, 1] */
	double u2 = unif(&s);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

size_t kw_nrm_sample(size_t n, size_t sample, uint64_t seed, size_t *idx)
{
	if (sample == 0 || sample >= n) {
		for (size_t t = 0; t < n; t++)
			idx[t] = t;
		return n;
	}
	/* Algorithm S (Knuth, TAOCP 3.4.2): sheet t is taken with probability
	 * (sample - taken) / (n - t), which gives every subset of that size the same chance. */
	uint64_t s = seed;
	size_t m = 0;
	for (size_t t = 0; t < n && m < sample; t++)
		if ((double)(n - t) * unif(&s) < (double)(sample - m))
			idx[m++] = t;
	return m;
}

void kw_nrm_simulate(const struct kw_nrm_item *items, size_t n_items, const double *theta,
                     size_t first, size_t n_sheets, uint64_t seed, double omit_rate, uint8_t *resp)
{
	double p[K_MAX];
	for (size_t s = 0; s < n_sheets; s++) {
		uint64_t st = stream(seed, first + s);
		uint8_t *row = resp + s * n_items;
		for (size_t i = 0; i < n_items; i++) {
			const struct kw_nrm_item *it = &items[i];
			double u = unif(&st);
			if (omit_rate > 0 && unif(&st) < omit_rate) {
				row[i] = KW_NRM_OMIT;
				continue;
			}
			kw_nrm_probs(it, theta[s], p);
			int k = 0;
			double acc = p[0];
			while (k < it->ncat - 1 && u >= acc)
				acc += p[++k];
			row[i] = (uint8_t)k;
		}
	}
}

/* ---- threads: tasks handed out in order; results never depend on who ran which ---------- */

struct par {
	void (*fn)(void *ctx, size_t task);
	void *ctx;
	size_t ntasks;
	atomic_size_t next;
};

static void *par_worker(void *arg)
{
	struct par *w = arg;
	size_t t;
	while ((t = atomic_fetch_add(&w->next, 1)) < w->ntasks)
		w->fn(w->ctx, t);
	return NULL;
}

/* Runs fn(ctx, 0 .. ntasks-1) on up to `threads` threads (the caller's among them); a thread
 * that cannot be started leaves its share to the others. */
static void run_par(int threads, size_t ntasks, void (*fn)(void *, size_t), void *ctx)
{
	struct par w = {.fn = fn, .ctx = ctx, .ntasks = ntasks};
	atomic_init(&w.next, 0);
	pthread_t tid[KW_NRM_MAX_THREADS];
	int started = 0;
	for (int i = 1; i < threads && (size_t)i < ntasks; i++)
		if (pthread_create(&tid[started], NULL, par_worker, &w) == 0)
			started++;
	par_worker(&w);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

static int clamp_threads(int t)
{
	return t < 1 ? 1 : t > KW_NRM_MAX_THREADS ? KW_NRM_MAX_THREADS : t;
}

/* ---- the model's pieces ------------------------------------------------------------------ */

/* log Σ_k exp(a_k θ + c_k) */
static double lse_at(const struct kw_nrm_item *it, double th)
{
	double z[K_MAX], m = -INFINITY, s = 0;
	for (int k = 0; k < it->ncat; k++) {
		z[k] = it->a[k] * th + it->c[k];
		if (z[k] > m)
			m = z[k];
	}
	for (int k = 0; k < it->ncat; k++)
		s += exp(z[k] - m);
	return m + log(s);
}

/* The mean, variance and third central moment of the slope under P(θ): the derivatives of
 * lse in θ (first, second, third). */
static void moments(const struct kw_nrm_item *it, double th, double *mean, double *var, double *k3)
{
	double p[K_MAX], m = 0, v = 0, t = 0;
	kw_nrm_probs(it, th, p);
	for (int k = 0; k < it->ncat; k++)
		m += p[k] * it->a[k];
	for (int k = 0; k < it->ncat; k++) {
		double d = it->a[k] - m;
		v += p[k] * d * d;
		t += p[k] * d * d * d;
	}
	*mean = m;
	*var = v;
	if (k3)
		*k3 = t;
}

static void centre(struct kw_nrm_item *it)
{
	double ma = 0, mc = 0;
	for (int k = 0; k < it->ncat; k++) {
		ma += it->a[k];
		mc += it->c[k];
	}
	ma /= it->ncat;
	mc /= it->ncat;
	for (int k = 0; k < it->ncat; k++) {
		it->a[k] -= ma;
		it->c[k] -= mc;
	}
}

/* The grid: points th[q] on [-range, range], log weights of N(0, var) normalised to sum 1. */
static void make_grid(int nq, double range, double var, double *th, double *lw)
{
	double m = 0, s = 0;
	for (int q = 0; q < nq; q++) {
		th[q] = -range + 2.0 * range * q / (nq - 1);
		lw[q] = -0.5 * th[q] * th[q] / var;
		if (lw[q] > m || q == 0)
			m = lw[q];
	}
	for (int q = 0; q < nq; q++)
		s += exp(lw[q] - m);
	for (int q = 0; q < nq; q++)
		lw[q] -= m + log(s);
}

/* ---- input checks ------------------------------------------------------------------------ */

static int bad_input(struct kw_err *err, const char *field)
{
	kw_err_set(err, KW_EINVAL, "NRM_INPUT_INVALID", "GRD-6", "nominal response model: bad %s",
	           field);
	kw_err_detail(err, "field", json_string(field));
	return KW_EINVAL;
}

static int bad_response(struct kw_err *err, size_t sheet, size_t item, int value)
{
	kw_err_set(err, KW_EINVAL, "NRM_RESPONSE_INVALID", "GRD-6",
	           "sheet %zu item %zu: answer %d is not an option of the item", sheet, item,
	           value);
	kw_err_detail(err, "sheet", json_integer((json_int_t)sheet));
	kw_err_detail(err, "item", json_integer((json_int_t)item));
	kw_err_detail(err, "value", json_integer(value));
	return KW_EINVAL;
}

/* The first bad answer in sheets [from, to), or SIZE_MAX. */
static size_t first_bad(const uint8_t *resp, size_t m, const uint8_t *ncat, size_t from, size_t to,
                        size_t *item)
{
	for (size_t s = from; s < to; s++) {
		const uint8_t *row = resp + s * m;
		for (size_t i = 0; i < m; i++)
			if (row[i] >= ncat[i] && row[i] != KW_NRM_OMIT) {
				*item = i;
				return s;
			}
	}
	return SIZE_MAX;
}

/* ---- the fit ----------------------------------------------------------------------------- */

#define CUT 36.0 /* grid points below the sheet's best by more than e^36 in posterior: 0 */

struct fit {
	const uint8_t *x; /* the fitted sheets, n × m */
	size_t n, m;
	int K;  /* the largest ncat; K + 1 rows a item in the accumulators (the last: omits) */
	int nq; /* grid points */
	const double *th, *lw;
	double lambda; /* 1 / slope_prior_sd² */
	int threads;

	struct kw_nrm_item *it; /* current parameters */
	double *pa, *pc;        /* m × K: slopes and intercepts, for the E-step's gathers */
	double *lse;            /* m × nq: log Σ_k exp(z_k) at each point */
	double *lse_full;       /* nq: Σ_i lse */
	uint8_t *ref;           /* per item: the category whose counts come from the totals */
	size_t *cnt;            /* m × K: how many fitted sheets chose each category */
	size_t *nans;           /* m: answers to the item */

	int nslices;
	size_t slice_size; /* doubles in one slice's accumulator */
	double *acc;       /* nslices accumulators: nq totals, then m × (K + 1) × nq */
	double *ll;        /* nslices: log-likelihood parts */
	int accumulate;    /* 0: the log-likelihood only */

	double *change; /* m: each item's largest change in the M-step */
	size_t np;      /* parameters in a packed vector: m × K slopes, then m × K intercepts */
};

static size_t slice_from(const struct fit *f, int s)
{
	return f->n * (size_t)s / (size_t)f->nslices; /* n ≤ 2^57: no overflow */
}

/* E-step over one slice of the sheets: the posterior of each sheet on the grid (from the
 * sufficient statistic Σ a_{i,x_i} and the omitted items' lse), added into the slice's
 * expected counts; categories equal to ref[i] are not added (they follow from the totals). */
static void estep_slice(void *ctx, size_t task)
{
	struct fit *f = ctx;
	const int nq = f->nq, K = f->K;
	const size_t m = f->m;
	double *acc = f->acc + task * f->slice_size;
	double *tot = acc;
	double L[KW_NRM_MAX_QUAD], base[KW_NRM_MAX_QUAD];
	double ll = 0;
	if (f->accumulate)
		memset(acc, 0, f->slice_size * sizeof *acc);
	for (int q = 0; q < nq; q++)
		base[q] = f->lw[q] - f->lse_full[q];
	size_t to = slice_from(f, (int)task + 1);
	for (size_t s = slice_from(f, (int)task); s < to; s++) {
		const uint8_t *row = f->x + s * m;
		double S = 0, C = 0;
		memcpy(L, base, (size_t)nq * sizeof *L);
		for (size_t i = 0; i < m; i++) {
			uint8_t x = row[i];
			if (x == KW_NRM_OMIT) {
				const double *l = f->lse + i * (size_t)nq;
				for (int q = 0; q < nq; q++)
					L[q] += l[q];
			} else {
				S += f->pa[i * K + x];
				C += f->pc[i * K + x];
			}
		}
		double mx = -INFINITY;
		for (int q = 0; q < nq; q++) {
			L[q] += S * f->th[q];
			if (L[q] > mx)
				mx = L[q];
		}
		int lo = 0, hi = nq - 1;
		while (L[lo] < mx - CUT)
			lo++;
		while (L[hi] < mx - CUT)
			hi--;
		double sum = 0;
		for (int q = lo; q <= hi; q++)
			sum += L[q] = exp(L[q] - mx);
		ll += C + mx + log(sum);
		if (!f->accumulate)
			continue;
		double inv = 1.0 / sum;
		for (int q = lo; q <= hi; q++)
			L[q] *= inv;
		int w = hi - lo + 1;
		const double *p = L + lo;
		double *t = tot + lo;
		for (int q = 0; q < w; q++)
			t[q] += p[q];
		for (size_t i = 0; i < m; i++) {
			int r = row[i] == KW_NRM_OMIT ? K : row[i];
			if (r == f->ref[i])
				continue;
			double *d = acc + nq + (i * (size_t)(K + 1) + (size_t)r) * (size_t)nq + lo;
			for (int q = 0; q < w; q++)
				d[q] += p[q];
		}
	}
	f->ll[task] = ll;
}

/* The tables the E-step reads, from the current parameters. */
static void tables(struct fit *f)
{
	const int nq = f->nq, K = f->K;
	memset(f->lse_full, 0, (size_t)nq * sizeof *f->lse_full);
	for (size_t i = 0; i < f->m; i++) {
		const struct kw_nrm_item *it = &f->it[i];
		for (int k = 0; k < K; k++) {
			f->pa[i * K + k] = k < it->ncat ? it->a[k] : 0;
			f->pc[i * K + k] = k < it->ncat ? it->c[k] : 0;
		}
		double *l = f->lse + i * (size_t)nq;
		for (int q = 0; q < nq; q++) {
			l[q] = lse_at(it, f->th[q]);
			f->lse_full[q] += l[q];
		}
	}
}

/* Runs the E-step; with accumulate, the slices are summed (in slice order) into slice 0. */
static double estep(struct fit *f, int accumulate)
{
	f->accumulate = accumulate;
	run_par(f->threads, (size_t)f->nslices, estep_slice, f);
	double ll = 0;
	for (int s = 0; s < f->nslices; s++)
		ll += f->ll[s];
	if (accumulate)
		for (int s = 1; s < f->nslices; s++) {
			const double *src = f->acc + (size_t)s * f->slice_size;
			for (size_t j = 0; j < f->slice_size; j++)
				f->acc[j] += src[j];
		}
	return ll;
}

/* Cholesky solve of M d = g (M symmetric positive definite, n ≤ 2 K_MAX); -1 if M is not. */
static int chol_solve(double *M, int n, const double *g, double *d)
{
	for (int j = 0; j < n; j++) {
		double s = M[j * n + j];
		for (int k = 0; k < j; k++)
			s -= M[j * n + k] * M[j * n + k];
		if (!(s > 1e-300))
			return -1;
		M[j * n + j] = sqrt(s);
		for (int i = j + 1; i < n; i++) {
			double t = M[i * n + j];
			for (int k = 0; k < j; k++)
				t -= M[i * n + k] * M[j * n + k];
			M[i * n + j] = t / M[j * n + j];
		}
	}
	double y[2 * K_MAX];
	for (int i = 0; i < n; i++) {
		double t = g[i];
		for (int k = 0; k < i; k++)
			t -= M[i * n + k] * y[k];
		y[i] = t / M[i * n + i];
	}
	for (int i = n - 1; i >= 0; i--) {
		double t = y[i];
		for (int k = i + 1; k < n; k++)
			t -= M[k * n + i] * d[k];
		d[i] = t / M[i * n + i];
	}
	return 0;
}

/* The M-step's objective for one item over its chosen categories (mo of them): expected
 * log-likelihood Σ_q Σ_j r[j][q] log P_j(θ_q) minus the slopes' ridge. */
static double mobj(const double *v, int mo, const double *r, const double *nqv, const double *th,
                   int nq, double lambda)
{
	double F = 0, ma = 0;
	for (int q = 0; q < nq; q++) {
		if (nqv[q] <= 0)
			continue;
		double z[K_MAX], mx = -INFINITY, s = 0;
		for (int j = 0; j < mo; j++) {
			z[j] = v[j] * th[q] + v[mo + j];
			if (z[j] > mx)
				mx = z[j];
		}
		for (int j = 0; j < mo; j++)
			s += exp(z[j] - mx);
		double l = mx + log(s);
		for (int j = 0; j < mo; j++)
			F += r[j * nq + q] * (z[j] - l);
	}
	for (int j = 0; j < mo; j++)
		ma += v[j];
	ma /= mo;
	for (int j = 0; j < mo; j++)
		F -= 0.5 * lambda * (v[j] - ma) * (v[j] - ma);
	return F;
}

/* Newton's method on the M-step objective; v holds the mo slopes then the mo intercepts,
 * centred, and is updated in place. */
static void newton_item(double *v, int mo, const double *r, const double *nqv, const double *th,
                        int nq, double lambda)
{
	const int d = 2 * mo;
	double F = mobj(v, mo, r, nqv, th, nq, lambda);
	for (int iter = 0; iter < 100; iter++) {
		double g[2 * K_MAX] = {0}, M[4 * K_MAX * K_MAX] = {0}, step[2 * K_MAX];
		for (int q = 0; q < nq; q++) {
			if (nqv[q] <= 0)
				continue;
			double z[K_MAX], p[K_MAX], mx = -INFINITY, s = 0, t = th[q];
			for (int j = 0; j < mo; j++) {
				z[j] = v[j] * t + v[mo + j];
				if (z[j] > mx)
					mx = z[j];
			}
			for (int j = 0; j < mo; j++)
				s += p[j] = exp(z[j] - mx);
			for (int j = 0; j < mo; j++)
				p[j] /= s;
			for (int j = 0; j < mo; j++) {
				double e = r[j * nq + q] - nqv[q] * p[j];
				g[j] += t * e;
				g[mo + j] += e;
				for (int l = 0; l < mo; l++) {
					double h = nqv[q] * p[j] * ((j == l) - p[l]);
					M[j * d + l] += t * t * h;
					M[j * d + mo + l] += t * h;
					M[(mo + j) * d + l] += t * h;
					M[(mo + j) * d + mo + l] += h;
				}
			}
		}
		double ma = 0;
		for (int j = 0; j < mo; j++)
			ma += v[j];
		ma /= mo;
		for (int j = 0; j < mo; j++) {
			g[j] -= lambda * (v[j] - ma);
			for (int l = 0; l < mo; l++) {
				M[j * d + l] += lambda * ((j == l) - 1.0 / mo);
				/* the directions that change nothing (all slopes, or all
				 * intercepts, up by one amount) get curvature 1 so that M is
				 * definite; the gradient has no part along them, so neither has the
				 * step */
				M[j * d + l] += 1.0;
				M[(mo + j) * d + mo + l] += 1.0;
			}
		}
		double Mc[4 * K_MAX * K_MAX];
		double damp = 0;
		for (;;) {
			memcpy(Mc, M, sizeof Mc);
			for (int j = 0; j < d; j++)
				Mc[j * d + j] += damp;
			if (chol_solve(Mc, d, g, step) == 0)
				break;
			damp = damp > 0 ? damp * 10 : 1e-8;
			if (damp > 1e8)
				return;
		}
		double t = 1, big = 0;
		for (;;) {
			double w[2 * K_MAX];
			for (int j = 0; j < d; j++)
				w[j] = v[j] + t * step[j];
			double Fw = mobj(w, mo, r, nqv, th, nq, lambda);
			if (Fw >= F - 1e-12 * fabs(F) || t < 1e-10) {
				if (!(Fw >= F - 1e-12 * fabs(F)))
					return; /* no ascent left: at the optimum to rounding */
				for (int j = 0; j < d; j++) {
					if (fabs(t * step[j]) > big)
						big = fabs(t * step[j]);
					v[j] = w[j];
				}
				F = Fw;
				break;
			}
			t *= 0.5;
		}
		if (big < 1e-10)
			return;
	}
}

static double ln_half_count(size_t n)
{
	return log(2.0 * (double)n);
}

/* The M-step for item task: its expected counts from the summed accumulators, Newton on the
 * chosen categories, the pinned ones set, centred; change[task] = its largest change. */
static void mstep_item(void *ctx, size_t task)
{
	struct fit *f = ctx;
	const int nq = f->nq, K = f->K;
	struct kw_nrm_item *it = &f->it[task];
	struct kw_nrm_item old = *it;
	const size_t *cnt = f->cnt + task * K;
	int obs[K_MAX], mo = 0;
	for (int k = 0; k < it->ncat; k++)
		if (cnt[k] > 0)
			obs[mo++] = k;
	if (mo >= 2) {
		const double *tot = f->acc;
		const double *rows = f->acc + nq + task * (size_t)(K + 1) * (size_t)nq;
		double r[K_MAX * KW_NRM_MAX_QUAD], nqv[KW_NRM_MAX_QUAD];
		int ref = f->ref[task];
		for (int q = 0; q < nq; q++) {
			nqv[q] = tot[q] - rows[K * nq + q];
			if (nqv[q] < 0)
				nqv[q] = 0;
		}
		int jref = -1;
		for (int j = 0; j < mo; j++) {
			if (obs[j] == ref) {
				jref = j;
				continue;
			}
			memcpy(r + j * nq, rows + obs[j] * nq, (size_t)nq * sizeof *r);
		}
		if (jref >= 0)
			for (int q = 0; q < nq; q++) {
				double v = nqv[q];
				for (int j = 0; j < mo; j++)
					if (j != jref)
						v -= r[j * nq + q];
				r[jref * nq + q] = v > 0 ? v : 0;
			}
		/* a category not chosen has no row: n_q over the chosen ones */
		for (int q = 0; q < nq; q++) {
			double v = 0;
			for (int j = 0; j < mo; j++)
				v += r[j * nq + q];
			nqv[q] = v;
		}
		double v[2 * K_MAX], ma = 0, mc = 0;
		for (int j = 0; j < mo; j++) {
			ma += it->a[obs[j]];
			mc += it->c[obs[j]];
		}
		for (int j = 0; j < mo; j++) {
			v[j] = it->a[obs[j]] - ma / mo;
			v[mo + j] = it->c[obs[j]] - mc / mo;
		}
		newton_item(v, mo, r, nqv, f->th, nq, f->lambda);
		for (int k = 0; k < it->ncat; k++) {
			it->a[k] = 0;
			it->c[k] = -ln_half_count(f->nans[task]);
		}
		for (int j = 0; j < mo; j++) {
			it->a[obs[j]] = v[j];
			it->c[obs[j]] = v[mo + j];
		}
	} else {
		for (int k = 0; k < it->ncat; k++) {
			it->a[k] = 0;
			it->c[k] = mo == 1 && cnt[k] == 0 ? -ln_half_count(f->nans[task]) : 0;
		}
	}
	centre(it);
	double big = 0;
	for (int k = 0; k < it->ncat; k++) {
		double da = fabs(it->a[k] - old.a[k]), dc = fabs(it->c[k] - old.c[k]);
		if (da > big)
			big = da;
		if (dc > big)
			big = dc;
	}
	f->change[task] = big;
}

static void mstep(struct fit *f)
{
	run_par(f->threads, f->m, mstep_item, f);
}

/* Starting values: intercepts from the categories' shares, slopes from the standardised
 * share of each chooser's answers equal to the key (or the item's most frequent answer). */
static void start_values(struct fit *f, const uint8_t *key)
{
	const size_t n = f->n, m = f->m;
	const int K = f->K;
	double *z = kw_xmalloc(n * sizeof *z);
	double *zs = kw_xcalloc(m * (size_t)K, sizeof *zs);
	double mean = 0, var = 0;
	for (size_t s = 0; s < n; s++) {
		const uint8_t *row = f->x + s * m;
		size_t hit = 0, ans = 0;
		for (size_t i = 0; i < m; i++) {
			if (row[i] == KW_NRM_OMIT)
				continue;
			ans++;
			uint8_t want = key && key[i] != KW_NRM_OMIT ? key[i] : f->ref[i];
			hit += row[i] == want;
		}
		z[s] = (double)hit / (double)ans;
		mean += z[s];
	}
	mean /= (double)n;
	for (size_t s = 0; s < n; s++)
		var += (z[s] - mean) * (z[s] - mean);
	double sd = sqrt(var / (double)n);
	for (size_t s = 0; s < n; s++) {
		z[s] = sd > 0 ? (z[s] - mean) / sd : 0;
		const uint8_t *row = f->x + s * m;
		for (size_t i = 0; i < m; i++)
			if (row[i] != KW_NRM_OMIT)
				zs[i * K + row[i]] += z[s];
	}
	for (size_t i = 0; i < m; i++) {
		struct kw_nrm_item *it = &f->it[i];
		const size_t *cnt = f->cnt + i * K;
		int mo = 0;
		for (int k = 0; k < it->ncat; k++)
			mo += cnt[k] > 0;
		for (int k = 0; k < it->ncat; k++) {
			if (cnt[k] > 0 && mo >= 2) {
				it->a[k] = 1.5 * zs[i * K + k] / (double)cnt[k];
				it->c[k] = log((double)cnt[k] / (double)f->nans[i]);
			} else {
				it->a[k] = 0;
				it->c[k] = cnt[k] > 0 || f->nans[i] == 0
				                   ? 0
				                   : -ln_half_count(f->nans[i]);
			}
		}
		/* the pinned ones relative to the chosen ones' means, as the M-step keeps them */
		if (mo >= 2) {
			double ma = 0, mc = 0;
			for (int k = 0; k < it->ncat; k++)
				if (cnt[k] > 0) {
					ma += it->a[k];
					mc += it->c[k];
				}
			for (int k = 0; k < it->ncat; k++)
				if (cnt[k] == 0) {
					it->a[k] = ma / mo;
					it->c[k] = mc / mo - ln_half_count(f->nans[i]);
				}
		}
		centre(it);
	}
	free(z);
	free(zs);
}

/* One EM cycle from the current parameters: their log-likelihood; the parameters updated. */
static double em_cycle(struct fit *f)
{
	tables(f);
	double ll = estep(f, 1);
	mstep(f);
	return ll;
}

static void pack(const struct fit *f, double *p)
{
	const size_t mk = f->m * (size_t)f->K;
	for (size_t i = 0; i < f->m; i++)
		for (int k = 0; k < f->K; k++) {
			p[i * f->K + k] = f->it[i].a[k];
			p[mk + i * f->K + k] = f->it[i].c[k];
		}
}

static void unpack(struct fit *f, const double *p)
{
	const size_t mk = f->m * (size_t)f->K;
	for (size_t i = 0; i < f->m; i++)
		for (int k = 0; k < f->it[i].ncat; k++) {
			f->it[i].a[k] = p[i * f->K + k];
			f->it[i].c[k] = p[mk + i * f->K + k];
		}
}

/* The slopes' ridge at packed parameters p (over the chosen categories, as the M-step). */
static double penalty(const struct fit *f, const double *p)
{
	double pen = 0;
	for (size_t i = 0; i < f->m; i++) {
		const size_t *cnt = f->cnt + i * f->K;
		double ma = 0;
		int mo = 0;
		for (int k = 0; k < f->it[i].ncat; k++)
			if (cnt[k]) {
				ma += p[i * f->K + k];
				mo++;
			}
		if (mo < 2)
			continue;
		ma /= mo;
		for (int k = 0; k < f->it[i].ncat; k++)
			if (cnt[k])
				pen += (p[i * f->K + k] - ma) * (p[i * f->K + k] - ma);
	}
	return 0.5 * f->lambda * pen;
}

static double maxdiff(const double *x, const double *y, size_t n)
{
	double big = 0;
	for (size_t j = 0; j < n; j++)
		if (fabs(x[j] - y[j]) > big)
			big = fabs(x[j] - y[j]);
	return big;
}

int kw_nrm_fit(const uint8_t *resp, size_t n_sheets, size_t n_items, const uint8_t *ncat,
               const struct kw_nrm_fit_opts *opt, struct kw_nrm_item *items, uint8_t *pinned,
               struct kw_nrm_fit_result *res, struct kw_err *err)
{
	struct kw_nrm_fit_opts o = opt ? *opt : (struct kw_nrm_fit_opts){0};
	const size_t m = n_items;
	int rc = 0;
	size_t *idx = NULL;
	uint8_t *x = NULL;
	struct fit f = {0};
	double th[KW_NRM_MAX_QUAD], lw[KW_NRM_MAX_QUAD];
	double *p0 = NULL, *p1, *p2, *px;

	if (!o.quad_points)
		o.quad_points = 61;
	if (!(o.quad_range > 0))
		o.quad_range = 6;
	if (!o.max_cycles)
		o.max_cycles = 500;
	if (!(o.tol > 0))
		o.tol = 1e-6;
	if (o.slope_prior_sd == 0)
		o.slope_prior_sd = 3;
	if (m == 0 || !resp || !ncat || !items)
		return bad_input(err, "items");
	if (o.quad_points < 3 || o.quad_points > KW_NRM_MAX_QUAD)
		return bad_input(err, "quad_points");
	if (o.max_cycles < 1 || !(o.slope_prior_sd > 0))
		return bad_input(err, o.max_cycles < 1 ? "max_cycles" : "slope_prior_sd");
	int K = 0;
	for (size_t i = 0; i < m; i++) {
		if (ncat[i] < 2 || ncat[i] > K_MAX)
			return bad_input(err, "ncat");
		if (o.key && o.key[i] >= ncat[i] && o.key[i] != KW_NRM_OMIT)
			return bad_input(err, "key");
		if (ncat[i] > K)
			K = ncat[i];
	}

	/* the sample, its answers checked, omits-only sheets left out */
	size_t cap = o.sample && o.sample < n_sheets ? o.sample : n_sheets;
	idx = kw_xmalloc((cap ? cap : 1) * sizeof *idx);
	size_t ns = kw_nrm_sample(n_sheets, o.sample, o.seed, idx);
	x = kw_xmalloc_big(ns * m + 1);
	size_t nfit = 0;
	for (size_t j = 0; j < ns; j++) {
		const uint8_t *row = resp + idx[j] * m;
		size_t bi, ans = 0;
		if (first_bad(resp, m, ncat, idx[j], idx[j] + 1, &bi) != SIZE_MAX) {
			rc = bad_response(err, idx[j], bi, row[bi]);
			goto out;
		}
		for (size_t i = 0; i < m; i++)
			ans += row[i] != KW_NRM_OMIT;
		if (ans)
			memcpy(x + nfit++ * m, row, m);
	}
	if (res) {
		memset(res, 0, sizeof *res);
		res->seed = o.seed;
		res->sample_n = ns;
		res->answered_n = nfit;
	}
	if (nfit < KW_NRM_MIN_CANDIDATES) {
		rc = kw_err_set(err, KW_EINVAL, "NRM_TOO_FEW_CANDIDATES", "GRD-6",
		                "%zu sheets with answers to calibrate on; at least %d are needed",
		                nfit, KW_NRM_MIN_CANDIDATES);
		kw_err_detail(err, "have", json_integer((json_int_t)nfit));
		kw_err_detail(err, "need", json_integer(KW_NRM_MIN_CANDIDATES));
		goto out;
	}

	make_grid(o.quad_points, o.quad_range, 1.0, th, lw);
	f.x = x;
	f.n = nfit;
	f.m = m;
	f.K = K;
	f.nq = o.quad_points;
	f.th = th;
	f.lw = lw;
	f.lambda = isinf(o.slope_prior_sd) ? 0 : 1.0 / (o.slope_prior_sd * o.slope_prior_sd);
	f.threads = clamp_threads(o.threads);
	f.it = items;
	f.pa = kw_xmalloc(m * (size_t)K * sizeof *f.pa);
	f.pc = kw_xmalloc(m * (size_t)K * sizeof *f.pc);
	f.lse = kw_xmalloc(m * (size_t)f.nq * sizeof *f.lse);
	f.lse_full = kw_xmalloc((size_t)f.nq * sizeof *f.lse_full);
	f.ref = kw_xmalloc(m);
	f.cnt = kw_xcalloc(m * (size_t)K, sizeof *f.cnt);
	f.nans = kw_xcalloc(m, sizeof *f.nans);
	f.change = kw_xcalloc(m, sizeof *f.change);
	size_t ns_slices = nfit / 512;
	f.np = m * (size_t)K * 2;
	f.nslices = ns_slices < 1 ? 1 : ns_slices > 64 ? 64 : (int)ns_slices;
	f.slice_size = (size_t)f.nq + m * (size_t)(K + 1) * (size_t)f.nq;
	f.acc = kw_xmalloc_big((size_t)f.nslices * f.slice_size * sizeof *f.acc);
	f.ll = kw_xcalloc((size_t)f.nslices, sizeof *f.ll);

	for (size_t s = 0; s < nfit; s++)
		for (size_t i = 0; i < m; i++)
			if (x[s * m + i] != KW_NRM_OMIT)
				f.cnt[i * K + x[s * m + i]]++;
	size_t npinned = 0;
	for (size_t i = 0; i < m; i++) {
		const size_t *cnt = f.cnt + i * K;
		int best = 0;
		uint8_t pin = 0;
		memset(&items[i], 0, sizeof items[i]);
		items[i].ncat = ncat[i];
		for (int k = 0; k < ncat[i]; k++) {
			f.nans[i] += cnt[k];
			if (cnt[k] > cnt[best])
				best = k;
			if (!cnt[k]) {
				pin |= (uint8_t)(1u << k);
				npinned++;
			}
		}
		f.ref[i] = (uint8_t)best;
		if (pinned)
			pinned[i] = pin;
	}

	start_values(&f, o.key);
	p0 = kw_xmalloc(4 * m * (size_t)K * 2 * sizeof *p0);
	p1 = p0 + m * (size_t)K * 2;
	p2 = p1 + m * (size_t)K * 2;
	px = p2 + m * (size_t)K * 2;
	int cyc = 0, conv = 0;
	double big = 0;
	pack(&f, p0);
	/* SQUAREM (Varadhan & Roland 2008, scheme S3): two EM cycles, a step along their
	 * extrapolation, one EM cycle from there; back to the second cycle's parameters when the
	 * extrapolation lowered the likelihood. EM's slowest direction here is the items'
	 * common location and scale against the fixed N(0, 1) (a sheet's posterior moves only by
	 * its shrinkage, ~2 % with 150 items), which plain EM needs hundreds of cycles for. */
	while (cyc < o.max_cycles) {
		double ll0 = em_cycle(&f) - penalty(&f, p0);
		cyc++;
		pack(&f, p1);
		if (cyc >= o.max_cycles) {
			big = maxdiff(p1, p0, f.np);
			break;
		}
		em_cycle(&f);
		cyc++;
		pack(&f, p2);
		double nr = 0, nv = 0;
		for (size_t j = 0; j < f.np; j++) {
			double r = p1[j] - p0[j], v = p2[j] - 2 * p1[j] + p0[j];
			nr += r * r;
			nv += v * v;
		}
		double al = nv > 0 ? -sqrt(nr / nv) : -1;
		if (al > -1)
			al = -1;
		for (size_t j = 0; j < f.np; j++) {
			double r = p1[j] - p0[j], v = p2[j] - 2 * p1[j] + p0[j];
			px[j] = p0[j] - 2 * al * r + al * al * v;
		}
		if (cyc >= o.max_cycles) {
			big = maxdiff(p2, p0, f.np);
			break;
		}
		unpack(&f, px);
		double llx = em_cycle(&f) - penalty(&f, px);
		cyc++;
		int back = !(llx >= ll0 - 1e-12 * fabs(ll0));
		if (back)
			unpack(&f, p2);
		pack(&f, p1);
		big = maxdiff(p1, p0, f.np);
		memcpy(p0, p1, f.np * sizeof *p0);
		/* not after a step back: two plain EM cycles move little in the slow direction */
		if (!back && big < o.tol) {
			conv = 1;
			break;
		}
	}
	/* θ's sign: high θ, more answers equal to the key */
	if (o.key) {
		double sk = 0;
		for (size_t i = 0; i < m; i++)
			if (o.key[i] != KW_NRM_OMIT)
				sk += items[i].a[o.key[i]];
		if (sk < 0)
			for (size_t i = 0; i < m; i++)
				for (int k = 0; k < items[i].ncat; k++)
					items[i].a[k] = -items[i].a[k];
	}
	tables(&f);
	double ll = estep(&f, 0);
	if (res) {
		res->cycles = cyc;
		res->converged = conv;
		res->max_change = big;
		res->loglik = ll;
		res->pinned_cats = npinned;
	}
out:
	free(f.pa);
	free(f.pc);
	free(f.lse);
	free(f.lse_full);
	free(f.ref);
	free(f.cnt);
	free(f.nans);
	free(f.change);
	free(f.acc);
	free(f.ll);
	free(p0);
	free(x);
	free(idx);
	return rc;
}

/* ---- abilities --------------------------------------------------------------------------- */

#define TAB_LO   (-10.0)
#define TAB_STEP (1.0 / 256)
#define TAB_N    5121 /* points of TAB_LO + j TAB_STEP up to +10 */

struct abil {
	const struct kw_nrm_item *it;
	size_t m;
	const uint8_t *resp;
	size_t n;
	const uint8_t *ncat;
	double var; /* MAP prior variance */
	int exact;
	double *map, *eap, *eap_sd;
	uint8_t *flags;
	/* EAP grid */
	int nq;
	const double *th, *lw;
	double *lse, *lse_full; /* m × nq, nq */
	/* MAP table over all items: Σ mean, Σ var, Σ third moment of the slope */
	double *tA, *tV, *tW;
	double *range; /* m: max slope − min slope */
	size_t chunk;
	size_t *bad_sheet, *bad_item; /* per chunk */
};

/* Σ over all items of the slope's mean and variance at th, from the table (cubic Hermite). */
static void table_at(const struct abil *b, double th, double *A, double *V)
{
	double u = (th - TAB_LO) / TAB_STEP;
	int j = (int)u;
	if (j > TAB_N - 2)
		j = TAB_N - 2;
	double t = u - j, t2 = t * t, t3 = t2 * t;
	double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + t, h01 = -2 * t3 + 3 * t2,
	       h11 = t3 - t2;
	*A = h00 * b->tA[j] + h10 * TAB_STEP * b->tV[j] + h01 * b->tA[j + 1] +
	     h11 * TAB_STEP * b->tV[j + 1];
	*V = h00 * b->tV[j] + h10 * TAB_STEP * b->tW[j] + h01 * b->tV[j + 1] +
	     h11 * TAB_STEP * b->tW[j + 1];
}

/* g(θ) = S - Σ_answered E[a_i | θ] - θ/σ² (the log-posterior's derivative) and g'(θ). */
static void map_eval(const struct abil *b, const uint8_t *row, size_t nom, double S, double th,
                     double *g, double *gp)
{
	double A = 0, V = 0, mean, var;
	int direct = b->exact || nom * 2 > b->m || th < TAB_LO || th > -TAB_LO;
	if (direct) {
		for (size_t i = 0; i < b->m; i++)
			if (row[i] != KW_NRM_OMIT) {
				moments(&b->it[i], th, &mean, &var, NULL);
				A += mean;
				V += var;
			}
	} else {
		table_at(b, th, &A, &V);
		for (size_t i = 0; i < b->m && nom; i++)
			if (row[i] == KW_NRM_OMIT) {
				moments(&b->it[i], th, &mean, &var, NULL);
				A -= mean;
				V -= var;
			}
	}
	*g = S - A - th / b->var;
	*gp = -V - 1.0 / b->var;
}

static double map_one(const struct abil *b, const uint8_t *row, size_t nom, double S, double D)
{
	double lo = -b->var * D - 1, hi = b->var * D + 1, th = 0;
	for (int iter = 0; iter < 200; iter++) {
		double g, gp;
		map_eval(b, row, nom, S, th, &g, &gp);
		if (g == 0)
			return th;
		if (g > 0)
			lo = th;
		else
			hi = th;
		double nt = th - g / gp;
		if (!(nt > lo && nt < hi))
			nt = 0.5 * (lo + hi);
		if (fabs(nt - th) < 1e-12 * (1 + fabs(th)) || hi - lo < 1e-13 * (1 + fabs(th)))
			return nt;
		th = nt;
	}
	return th;
}

static void abil_chunk(void *ctx, size_t task)
{
	struct abil *b = ctx;
	const size_t m = b->m;
	const int nq = b->nq;
	size_t from = task * b->chunk, to = from + b->chunk < b->n ? from + b->chunk : b->n;
	size_t bi = 0, bs = first_bad(b->resp, m, b->ncat, from, to, &bi);
	b->bad_sheet[task] = bs;
	b->bad_item[task] = bi;
	if (bs != SIZE_MAX)
		return;
	double L[KW_NRM_MAX_QUAD];
	for (size_t s = from; s < to; s++) {
		const uint8_t *row = b->resp + s * m;
		double S = 0, D = 0;
		size_t nom = 0;
		for (size_t i = 0; i < m; i++) {
			uint8_t x = row[i];
			if (x == KW_NRM_OMIT) {
				nom++;
				continue;
			}
			S += b->it[i].a[x];
			D += b->range[i];
		}
		if (b->flags)
			b->flags[s] = nom == m ? KW_NRM_ABIL_NO_ANSWERS : 0;
		if (b->map)
			b->map[s] = nom == m ? 0 : map_one(b, row, nom, S, D);
		if (!b->eap && !b->eap_sd)
			continue;
		double mx = -INFINITY;
		for (int q = 0; q < nq; q++)
			L[q] = b->lw[q] + (nom == m ? 0 : S * b->th[q] - b->lse_full[q]);
		if (nom && nom < m)
			for (size_t i = 0; i < m; i++)
				if (row[i] == KW_NRM_OMIT) {
					const double *l = b->lse + i * (size_t)nq;
					for (int q = 0; q < nq; q++)
						L[q] += l[q];
				}
		for (int q = 0; q < nq; q++)
			if (L[q] > mx)
				mx = L[q];
		double sw = 0, s1 = 0;
		for (int q = 0; q < nq; q++) {
			double w = L[q] - mx < -2 * CUT ? 0 : exp(L[q] - mx);
			L[q] = w;
			sw += w;
			s1 += w * b->th[q];
		}
		double mean = s1 / sw, s2 = 0;
		for (int q = 0; q < nq; q++)
			s2 += L[q] * (b->th[q] - mean) * (b->th[q] - mean);
		if (b->eap)
			b->eap[s] = mean;
		if (b->eap_sd)
			b->eap_sd[s] = sqrt(s2 / sw);
	}
}

int kw_nrm_abilities(const struct kw_nrm_item *items, size_t n_items, const uint8_t *resp,
                     size_t n_sheets, const struct kw_nrm_abil_opts *opt, double *map, double *eap,
                     double *eap_sd, uint8_t *flags, struct kw_err *err)
{
	struct kw_nrm_abil_opts o = opt ? *opt : (struct kw_nrm_abil_opts){0};
	const size_t m = n_items;
	double th[KW_NRM_MAX_QUAD], lw[KW_NRM_MAX_QUAD];
	uint8_t *ncat = NULL;
	struct abil b = {0};
	int rc = 0;

	if (!(o.map_prior_var > 0))
		o.map_prior_var = 10;
	if (!(o.eap_prior_var > 0))
		o.eap_prior_var = 1;
	if (!o.quad_points)
		o.quad_points = 61;
	if (!(o.quad_range > 0))
		o.quad_range = 6;
	if (m == 0 || !items || (!resp && n_sheets))
		return bad_input(err, "items");
	if (o.quad_points < 3 || o.quad_points > KW_NRM_MAX_QUAD)
		return bad_input(err, "quad_points");
	ncat = kw_xmalloc(m);
	for (size_t i = 0; i < m; i++) {
		if (items[i].ncat < 2 || items[i].ncat > K_MAX) {
			free(ncat);
			return bad_input(err, "ncat");
		}
		for (int k = 0; k < items[i].ncat; k++)
			if (!isfinite(items[i].a[k]) || !isfinite(items[i].c[k])) {
				free(ncat);
				return bad_input(err, "parameters");
			}
		ncat[i] = (uint8_t)items[i].ncat;
	}
	make_grid(o.quad_points, o.quad_range, o.eap_prior_var, th, lw);
	b.it = items;
	b.m = m;
	b.resp = resp;
	b.n = n_sheets;
	b.ncat = ncat;
	b.var = o.map_prior_var;
	b.exact = o.exact;
	b.map = map;
	b.eap = eap;
	b.eap_sd = eap_sd;
	b.flags = flags;
	b.nq = o.quad_points;
	b.th = th;
	b.lw = lw;
	b.lse = kw_xmalloc(m * (size_t)b.nq * sizeof *b.lse);
	b.lse_full = kw_xcalloc((size_t)b.nq, sizeof *b.lse_full);
	b.range = kw_xmalloc(m * sizeof *b.range);
	for (size_t i = 0; i < m; i++) {
		double lo = items[i].a[0], hi = items[i].a[0];
		for (int k = 1; k < items[i].ncat; k++) {
			lo = fmin(lo, items[i].a[k]);
			hi = fmax(hi, items[i].a[k]);
		}
		b.range[i] = hi - lo;
		for (int q = 0; q < b.nq; q++) {
			b.lse[i * b.nq + q] = lse_at(&items[i], th[q]);
			b.lse_full[q] += b.lse[i * b.nq + q];
		}
	}
	if (map && !o.exact) {
		b.tA = kw_xcalloc(TAB_N, sizeof *b.tA);
		b.tV = kw_xcalloc(TAB_N, sizeof *b.tV);
		b.tW = kw_xcalloc(TAB_N, sizeof *b.tW);
		for (int j = 0; j < TAB_N; j++) {
			double t = TAB_LO + j * TAB_STEP;
			for (size_t i = 0; i < m; i++) {
				double mean, var, k3;
				moments(&items[i], t, &mean, &var, &k3);
				b.tA[j] += mean;
				b.tV[j] += var;
				b.tW[j] += k3;
			}
		}
	}
	b.chunk = 2048;
	size_t nchunks = (n_sheets + b.chunk - 1) / b.chunk;
	b.bad_sheet = kw_xmalloc((nchunks ? nchunks : 1) * sizeof *b.bad_sheet);
	b.bad_item = kw_xmalloc((nchunks ? nchunks : 1) * sizeof *b.bad_item);
	run_par(clamp_threads(o.threads), nchunks, abil_chunk, &b);
	for (size_t c = 0; c < nchunks; c++)
		if (b.bad_sheet[c] != SIZE_MAX) {
			size_t s = b.bad_sheet[c], i = b.bad_item[c];
			rc = bad_response(err, s, i, resp[s * m + i]);
			break;
		}
	free(b.lse);
	free(b.lse_full);
	free(b.range);
	free(b.tA);
	free(b.tV);
	free(b.tW);
	free(b.bad_sheet);
	free(b.bad_item);
	free(ncat);
	return rc;
}
