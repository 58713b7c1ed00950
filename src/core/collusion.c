/*
 * Similar-answer indices (see collusion.h): counts, ω, GBT, M4, the K family (K, K1, K2,
 * S1, S2) as CopyDetect 1.3 computes them, the ω block prescreen and wrong-answer bitsets.
 */
#include "core/collusion.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/bigalloc.h"
#include "util/buf.h"
#include "util/err.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KW_COLL_X86 1
#endif

#define OMIT     KW_COLLUSION_OMIT
#define MAXN     KW_COLLUSION_MAX_ITEMS
#define NOMATCH  0xFE /* a byte no answer has: the source's omit in the block kernel */
#define TIE_RTOL 1e-12

static int answer_ok(uint8_t a, int ncat)
{
	return a == OMIT || a < ncat;
}

int kw_collusion_pair_check(const struct kw_collusion_pair *p)
{
	if (!p || p->n < 1 || p->n > MAXN || p->ncat < 2 || p->ncat > KW_COLLUSION_MAX_CATS ||
	    !p->key || !p->xc || !p->xs)
		return KW_EINVAL;
	for (size_t i = 0; i < p->n; i++)
		if (p->key[i] >= p->ncat || !answer_ok(p->xc[i], p->ncat) ||
		    !answer_ok(p->xs[i], p->ncat))
			return KW_EINVAL;
	return 0;
}

/* ---- Counts ---------------------------------------------------------------------------- */

void kw_collusion_count(const struct kw_collusion_pair *p, struct kw_collusion_counts *out)
{
	struct kw_collusion_counts c;
	memset(&c, 0, sizeof c);
	int run = 0, runw = 0;
	for (size_t i = 0; i < p->n; i++) {
		uint8_t a = p->xc[i], b = p->xs[i], k = p->key[i];
		c.score_c += a == k;
		c.score_s += b == k;
		c.wrong_c += a != OMIT && a != k;
		c.wrong_s += b != OMIT && b != k;
		c.omit_c += a == OMIT;
		c.omit_s += b == OMIT;
		int match = a == b && a != OMIT;
		int wrong = match && a != k;
		c.match += match;
		c.ident_correct += match && a == k;
		c.ident_wrong += wrong;
		run = match ? run + 1 : 0;
		runw = wrong ? runw + 1 : 0;
		if (run > c.run)
			c.run = run;
		if (runw > c.run_wrong)
			c.run_wrong = runw;
	}
	*out = c;
}

void kw_collusion_items(const struct kw_collusion_pair *p, uint8_t *flags)
{
	for (size_t i = 0; i < p->n; i++) {
		uint8_t a = p->xc[i], b = p->xs[i], k = p->key[i], f = 0;
		if (a == b && a != OMIT)
			f |= KW_COLLUSION_ITEM_MATCH | (a == k ? KW_COLLUSION_ITEM_IDENT_CORRECT
			                                       : KW_COLLUSION_ITEM_IDENT_WRONG);
		if (a == k)
			f |= KW_COLLUSION_ITEM_C_CORRECT;
		if (b == k)
			f |= KW_COLLUSION_ITEM_S_CORRECT;
		if (a == OMIT)
			f |= KW_COLLUSION_ITEM_C_OMIT;
		if (b == OMIT)
			f |= KW_COLLUSION_ITEM_S_OMIT;
		flags[i] = f;
	}
}

/* ---- Tails ----------------------------------------------------------------------------- */

double kw_collusion_normal_upper(double z)
{
	return 0.5 * erfc(z * M_SQRT1_2);
}

/*
 * P(H ≥ h) by the Poisson-binomial recursion, every state a sum of non-negative terms:
 * either the counts of successes 0..h−1 with "≥ h" as one absorbing state, or the counts of
 * failures 0..n−h (S ≥ h ⇔ failures ≤ n − h), whichever has fewer states.
 */
double kw_collusion_pb_upper(const double *pi, size_t n, int h)
{
	double f[MAXN + 2];
	assert(n <= MAXN);
	if (h <= 0)
		return 1;
	if ((size_t)h > n)
		return 0;
	size_t hh = (size_t)h, lim = n - hh; /* at most lim failures */
	if (hh <= lim + 1) {
		memset(f, 0, (hh + 1) * sizeof *f);
		f[0] = 1;
		for (size_t i = 0; i < n; i++) {
			double q = pi[i], r = 1 - q;
			size_t top = i + 1 < hh ? i + 1 : hh; /* states reachable after item i */
			if (i + 1 >= hh)
				f[hh] += f[hh - 1] * q;
			for (size_t m = (top < hh ? top : hh - 1); m >= 1; m--)
				f[m] = f[m] * r + f[m - 1] * q;
			f[0] *= r;
		}
		return f[hh];
	}
	memset(f, 0, (lim + 1) * sizeof *f);
	f[0] = 1;
	for (size_t i = 0; i < n; i++) {
		double q = pi[i], r = 1 - q; /* r: the chance of a failure */
		size_t top = i + 1 < lim ? i + 1 : lim;
		for (size_t j = top; j >= 1; j--)
			f[j] = f[j] * q + f[j - 1] * r;
		f[0] *= q;
	}
	double s = 0;
	for (size_t j = 0; j <= lim; j++)
		s += f[j];
	return s;
}

/* P(Bin(n, p) ≥ m): the terms k = m..n, each from its logarithm (log C(n, k) carried along). */
double kw_collusion_binom_upper(int n, double p, int m)
{
	if (m <= 0)
		return 1;
	if (m > n || !(p > 0))
		return 0;
	if (p >= 1)
		return 1;
	double lc = 0; /* log C(n, m) */
	for (int j = 1; j <= m; j++)
		lc += log((double)(n - m + j) / j);
	double lp = log(p), lq = log1p(-p), s = 0;
	for (int k = m; k <= n; k++) {
		s += exp(lc + k * lp + (n - k) * lq);
		if (k < n)
			lc += log((double)(n - k) / (k + 1));
	}
	return s;
}

/* P(lo ≤ Pois(mu) ≤ hi), summed term by term. */
double kw_collusion_pois_range(double mu, int lo, int hi)
{
	if (lo < 0)
		lo = 0;
	if (hi < lo)
		return 0;
	if (!(mu > 0))
		return lo == 0 ? 1 : 0;
	double lf = 0; /* log lo! */
	for (int j = 2; j <= lo; j++)
		lf += log((double)j);
	double lm = log(mu), s = 0;
	for (int k = lo; k <= hi; k++) {
		s += exp(k * lm - mu - lf);
		lf += log((double)(k + 1));
	}
	return s;
}

/* ---- ω --------------------------------------------------------------------------------- */

static double max_wrong(const double *row, int ncat, uint8_t key)
{
	double m = -1;
	for (int k = 0; k < ncat; k++)
		if (k != key && row[k] > m)
			m = row[k];
	return m;
}

void kw_collusion_omega_probs(const struct kw_collusion_pair *p, double *pi)
{
	for (size_t i = 0; i < p->n; i++) {
		const double *row = p->pc + i * (size_t)p->ncat;
		uint8_t s = p->xs[i];
		pi[i] = s == OMIT ? max_wrong(row, p->ncat, p->key[i]) : row[s];
	}
}

double kw_collusion_omega_z(int h, double expected, double var)
{
	if (var > 0)
		return (h - expected) / sqrt(var);
	return h > expected ? INFINITY : h < expected ? -INFINITY : 0;
}

void kw_collusion_omega(const struct kw_collusion_pair *p, int exact,
                        struct kw_collusion_omega *out)
{
	double pi[MAXN];
	assert(p->n <= MAXN);
	kw_collusion_omega_probs(p, pi);
	double e = 0, v = 0;
	int h = 0;
	for (size_t i = 0; i < p->n; i++) {
		double q = pi[i], t = 1.0 - q;
		e += q;
		t = q * t;
		v += t;
		h += p->xc[i] == p->xs[i] && p->xs[i] != OMIT;
	}
	out->h = h;
	out->expected = e;
	out->sd = sqrt(v);
	out->z = kw_collusion_omega_z(h, e, v);
	out->p_normal = kw_collusion_normal_upper(out->z);
	out->p_exact = exact ? kw_collusion_pb_upper(pi, p->n, h) : NAN;
}

/* ---- GBT and M4 ------------------------------------------------------------------------ */

double kw_collusion_gbt(const struct kw_collusion_pair *p, int h)
{
	double pi[MAXN];
	size_t K = (size_t)p->ncat;
	for (size_t i = 0; i < p->n; i++) {
		double s = 0;
		for (size_t k = 0; k < K; k++)
			s += p->pc[i * K + k] * p->ps[i * K + k];
		pi[i] = s;
	}
	return kw_collusion_pb_upper(pi, p->n, h);
}

size_t kw_collusion_m4_work(size_t n)
{
	return 2 * (n + 2) * (n + 2);
}

/* One row of the M4 recursion: out[b] = r cur[b] + q1 up[b] + q2 cur[b−1] (cur[−1] is a zero
 * pad), R's order of operations, one statement each (no FMA), vectorisable. */
static inline __attribute__((always_inline)) void m4_row(double *restrict out,
                                                         const double *restrict up,
                                                         const double *restrict cur, size_t len,
                                                         double r, double q1, double q2)
{
	for (size_t b = 0; b < len; b++) {
		double v = r * cur[b], u = q1 * up[b], l = q2 * cur[b - 1];
		v += u;
		v += l;
		out[b] = v;
	}
}

static void m4_rows(double *A, double *B, size_t W, size_t i, double r, double q1, double q2)
{
	for (size_t a = 0; a <= i + 1; a++) {
		size_t o = (a + 1) * W + 1;
		m4_row(B + o, A + o - W, A + o, i + 2 - a, r, q1, q2);
	}
}

#ifdef KW_COLL_X86
__attribute__((target("avx2"))) static void m4_rows_avx2(double *A, double *B, size_t W, size_t i,
                                                         double r, double q1, double q2)
{
	for (size_t a = 0; a <= i + 1; a++) {
		size_t o = (a + 1) * W + 1;
		m4_row(B + o, A + o - W, A + o, i + 2 - a, r, q1, q2);
	}
}

__attribute__((target("avx512f"))) static void
m4_rows_avx512(double *A, double *B, size_t W, size_t i, double r, double q1, double q2)
{
	for (size_t a = 0; a <= i + 1; a++) {
		size_t o = (a + 1) * W + 1;
		m4_row(B + o, A + o - W, A + o, i + 2 - a, r, q1, q2);
	}
}
#endif

/*
 * The joint law F(a, b) of (identical correct a, identical wrong b) item by item, in two
 * buffers of (n+2)² with a zero row and column in front (cell (a, b) at (a+1)·W + b+1), so
 * that every row is one branch-free loop; then the upper tails T in the spare buffer.
 */
double kw_collusion_m4(const struct kw_collusion_pair *p, int ic, int ii, double *work)
{
	size_t n = p->n, W = n + 2, K = (size_t)p->ncat;
	double *A = work, *B = work + W * W;
	if (ic < 0 || ii < 0 || (size_t)ic + (size_t)ii > n)
		return NAN;
	void (*rows)(double *, double *, size_t, size_t, double, double, double) = m4_rows;
#ifdef KW_COLL_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		rows = m4_rows_avx512;
	else if (__builtin_cpu_supports("avx2"))
		rows = m4_rows_avx2;
#endif
	memset(work, 0, 2 * W * W * sizeof *work);
	A[W + 1] = 1;
	for (size_t i = 0; i < n; i++) {
		const double *c = p->pc + i * K, *s = p->ps + i * K;
		size_t key = p->key[i];
		double q1 = c[key] * s[key], q2 = 0;
		for (size_t k = 0; k < K; k++)
			if (k != key)
				q2 += c[k] * s[k];
		double r = 1 - (q1 + q2);
		/* cells a + b ≤ i + 1 of B from A (A is zero outside a + b ≤ i: every cell of an
		 * earlier, smaller triangle is rewritten here) */
		rows(A, B, W, i, r, q1, q2);
		double *t = A;
		A = B;
		B = t;
	}
	/* F is in A. T(a, b) = Σ_{a' ≥ a, b' ≥ b} F into B: suffix sums along b, then along a
	 * (no subtraction, so small tails keep their digits) */
#define F_(a, b) A[((a) + 1) * W + (b) + 1]
#define T_(a, b) B[((a) + 1) * W + (b) + 1]
	for (size_t a = 0; a <= n; a++) {
		double s = 0;
		for (size_t b = n - a + 1; b-- > 0;)
			T_(a, b) = s += F_(a, b);
	}
	for (size_t b = 0; b <= n; b++)
		for (size_t a = n - b; a-- > 0;)
			T_(a, b) += T_(a + 1, b);
	double tobs = T_((size_t)ic, (size_t)ii), lim = tobs * (1 + TIE_RTOL), pv = 0;
	for (size_t a = 0; a <= n; a++)
		for (size_t b = 0; a + b <= n; b++)
			if (T_(a, b) <= lim)
				pv += F_(a, b);
#undef F_
#undef T_
	return pv;
}

/* ---- The reference table --------------------------------------------------------------- */

int kw_collusion_wrong(const uint8_t *x, const uint8_t *key, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		w += x[i] != OMIT && x[i] != key[i];
	return w;
}

int kw_collusion_ref_init(struct kw_collusion_ref *ref, size_t n, int ncat, int noptions,
                          const uint8_t *key)
{
	memset(ref, 0, sizeof *ref);
	if (n < 1 || n > MAXN || ncat < 2 || ncat > KW_COLLUSION_MAX_CATS || noptions < 2 ||
	    noptions > 255 || !key)
		return KW_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (key[i] >= ncat)
			return KW_EINVAL;
	ref->n = n;
	ref->ncat = ncat;
	ref->noptions = noptions;
	ref->key = kw_xmalloc(n);
	memcpy(ref->key, key, n);
	ref->group = kw_xcalloc(n + 1, sizeof *ref->group);
	ref->count = kw_xcalloc((n + 1) * n * (size_t)ncat, sizeof *ref->count);
	return 0;
}

void kw_collusion_ref_add(struct kw_collusion_ref *ref, const uint8_t *x)
{
	size_t n = ref->n, K = (size_t)ref->ncat;
	size_t r = (size_t)kw_collusion_wrong(x, ref->key, n);
	uint32_t *c = ref->count + r * n * K;
	ref->group[r]++;
	ref->sheets++;
	for (size_t i = 0; i < n; i++)
		if (x[i] != OMIT)
			c[i * K + x[i]]++;
}

int kw_collusion_ref_merge(struct kw_collusion_ref *dst, const struct kw_collusion_ref *src)
{
	if (dst->n != src->n || dst->ncat != src->ncat || dst->noptions != src->noptions ||
	    memcmp(dst->key, src->key, dst->n) != 0)
		return KW_EINVAL;
	size_t cells = (dst->n + 1) * dst->n * (size_t)dst->ncat;
	for (size_t j = 0; j <= dst->n; j++)
		dst->group[j] += src->group[j];
	for (size_t j = 0; j < cells; j++)
		dst->count[j] += src->count[j];
	dst->sheets += src->sheets;
	return 0;
}

void kw_collusion_ref_release(struct kw_collusion_ref *ref)
{
	free(ref->key);
	free(ref->group);
	free(ref->count);
	memset(ref, 0, sizeof *ref);
}

/* ---- Least squares and the Poisson GLM (as R's lm and glm.fit compute them) ------------ */

/*
 * min ‖X b − y‖ by Householder QR; X is m × p column-major (p ≤ 3, full rank: the caller
 * keeps p ≤ the number of distinct x), both overwritten. 0, or −1 if a column vanishes.
 */
static int lsq(double *X, double *y, size_t m, int p, double *b)
{
	double R[3][3];
	for (int j = 0; j < p; j++) {
		double *col = X + (size_t)j * m, norm = 0;
		for (size_t i = (size_t)j; i < m; i++)
			norm = hypot(norm, col[i]);
		if (!(norm > 0))
			return -1;
		double alpha = col[j] > 0 ? -norm : norm;
		/* v = col[j..] − alpha e1, H = I − 2 v vᵀ / vᵀv */
		col[j] -= alpha;
		double vtv = 0;
		for (size_t i = (size_t)j; i < m; i++)
			vtv += col[i] * col[i];
		for (int l = j + 1; l <= p; l++) {
			double *t = l < p ? X + (size_t)l * m : y, d = 0;
			for (size_t i = (size_t)j; i < m; i++)
				d += col[i] * t[i];
			d = 2 * d / vtv;
			for (size_t i = (size_t)j; i < m; i++)
				t[i] -= d * col[i];
		}
		R[j][j] = alpha;
		for (int l = j + 1; l < p; l++)
			R[j][l] = X[(size_t)l * m + (size_t)j];
	}
	for (int j = p - 1; j >= 0; j--) {
		double s = y[j];
		for (int l = j + 1; l < p; l++)
			s -= R[j][l] * b[l];
		b[j] = s / R[j][j];
	}
	return 0;
}

/* Polynomial least squares of y on 1, x, x² (p terms; fewer when points are fewer, as R's
 * pivoting drops aliased columns). Returns the number of coefficients kept (0: no point). */
static int polyfit(const double *x, const double *y, size_t m, int p, double *b, double *work)
{
	if ((size_t)p > m)
		p = (int)m;
	if (p == 0)
		return 0;
	double *X = work, *yy = work + 3 * m;
	for (size_t i = 0; i < m; i++) {
		X[i] = 1;
		if (p > 1)
			X[m + i] = x[i];
		if (p > 2)
			X[2 * m + i] = x[i] * x[i];
		yy[i] = y[i];
	}
	for (int j = p; j < 3; j++)
		b[j] = 0;
	return lsq(X, yy, m, p, b) == 0 ? p : 0;
}

/* R's poisson()$dev.resids */
static double pois_dev(const double *y, const double *mu, size_t m)
{
	double d = 0;
	for (size_t i = 0; i < m; i++)
		d += 2 * (y[i] * log(y[i] == 0 ? 1 : y[i] / mu[i]) - (y[i] - mu[i]));
	return d;
}

/*
 * glm(y ~ x, family = poisson()) as glm.fit does it: μ = y + 0.1, η = log μ; then IRLS with
 * z = η + (y − μ)/μ, w = √μ (μ.η = μ = max(e^η, DBL_EPSILON)), until
 * |dev − dev_old| / (|dev| + 0.1) < 1e-8 or 25 steps; the coefficients of the last step.
 * Returns the number of coefficients (2, 1 with a single point, 0 on failure).
 */
static int glm_poisson(const double *x, const double *y, size_t m, double *b, double *work)
{
	int p = m >= 2 ? 2 : (int)m;
	if (p == 0)
		return 0;
	double *eta = work, *mu = work + m, *X = work + 2 * m, *z = work + 4 * m;
	for (size_t i = 0; i < m; i++) {
		eta[i] = log(y[i] + 0.1);
		mu[i] = fmax(exp(eta[i]), DBL_EPSILON);
	}
	double devold = pois_dev(y, mu, m);
	b[0] = b[1] = 0;
	for (int iter = 0; iter < 25; iter++) {
		for (size_t i = 0; i < m; i++) {
			double me = fmax(exp(eta[i]), DBL_EPSILON);
			double w = sqrt(me * me / mu[i]);
			z[i] = (eta[i] + (y[i] - mu[i]) / me) * w;
			X[i] = w;
			if (p > 1)
				X[m + i] = x[i] * w;
		}
		double nb[2] = {0, 0};
		if (lsq(X, z, m, p, nb) != 0 || !isfinite(nb[0]) || !isfinite(nb[1]))
			return 0;
		b[0] = nb[0];
		b[1] = nb[1];
		for (size_t i = 0; i < m; i++) {
			eta[i] = b[0] + (p > 1 ? b[1] * x[i] : 0);
			mu[i] = fmax(exp(eta[i]), DBL_EPSILON);
		}
		double dev = pois_dev(y, mu, m);
		if (!isfinite(dev))
			return 0;
		if (fabs(dev - devold) / (fabs(dev) + 0.1) < 1e-8)
			break;
		devold = dev;
	}
	return p;
}

/* ---- The K family ---------------------------------------------------------------------- */

/* S2's weight base and exponent factor: w = base^(d2 π̂). */
static void s2_consts(int noptions, double *base, double *d2)
{
	double g = 1.0 / noptions;
	*base = ((1 + g) / (1 - g)) * exp(1.0);
	*d2 = -(1 + g) / g;
}

void kw_collusion_source_init(const struct kw_collusion_ref *ref, const uint8_t *xs,
                              struct kw_collusion_source *src)
{
	size_t n = ref->n, K = (size_t)ref->ncat;
	memset(src, 0, sizeof *src);
	src->ws = kw_collusion_wrong(xs, ref->key, n);
	if (src->ws == 0)
		return;
	double base, d2;
	s2_consts(ref->noptions, &base, &d2);
	/* per non-empty group (source excluded): q = r/n, r, y1 = w_s p̂_r, p̂_r, y2 = y1 + ⌈pj⌉ */
	size_t G = n + 1;
	double *w = kw_xmalloc(13 * G * sizeof *w);
	double *q = w, *rr = w + G, *pr = w + 2 * G, *y1 = w + 3 * G, *y2 = w + 4 * G;
	double *scratch = w + 5 * G; /* 8 G */
	size_t m = 0;
	int ws = src->ws;
	for (size_t r = 0; r <= n; r++) {
		int self = (int)r == ws;
		uint32_t N = ref->group[r] - (uint32_t)self;
		if (N == 0)
			continue;
		const uint32_t *c = ref->count + r * n * K;
		double agg = 0, pj = 0;
		for (size_t i = 0; i < n; i++) {
			uint8_t s = xs[i];
			if (s == OMIT)
				continue;
			if (s != ref->key[i]) {
				agg += c[i * K + s] - (uint32_t)self;
			} else {
				double ph = (double)(c[i * K + s] - (uint32_t)self) / N;
				pj += ph * pow(base, ph * d2);
			}
		}
		q[m] = (double)r / (double)n;
		rr[m] = (double)r;
		pr[m] = agg / N / ws;
		y1[m] = ws * pr[m];
		y2[m] = y1[m] + ceil(pj);
		m++;
	}
	src->k1_np = polyfit(q, pr, m, 2, src->k1, scratch);
	src->k2_np = polyfit(q, pr, m, 3, src->k2, scratch);
	src->s1_np = glm_poisson(rr, y1, m, src->s1, scratch);
	src->s2_np = glm_poisson(rr, y2, m, src->s2, scratch);
	free(w);
}

static double clip01(double p)
{
	if (p >= 1)
		return .999;
	if (p <= 0)
		return .001;
	return p;
}

void kw_collusion_kfamily(const struct kw_collusion_ref *ref, const struct kw_collusion_source *src,
                          const uint8_t *xc, const uint8_t *xs, struct kw_collusion_kfamily *out)
{
	size_t n = ref->n, K = (size_t)ref->ncat;
	struct kw_collusion_kfamily o;
	memset(&o, 0, sizeof o);
	o.k = o.k1 = o.k2 = o.s1 = o.s2 = NAN;
	o.k_phat = o.k1_phat = o.k2_phat = o.s1_mu = o.s2_mu = NAN;
	o.ws = src->ws;
	o.wc = kw_collusion_wrong(xc, ref->key, n);
	int ws = src->ws, wc = o.wc, self = wc == ws;
	for (size_t i = 0; i < n; i++)
		o.m += xs[i] != OMIT && xs[i] != ref->key[i] && xc[i] == xs[i];
	if (ws == 0 || ref->group[wc] == 0) {
		*out = o;
		return;
	}
	/* K: the copier's group as it is (copier and, if tied, source included) */
	const uint32_t *c = ref->count + (size_t)wc * n * K;
	double agg = 0, wsum = 0, base, d2;
	s2_consts(ref->noptions, &base, &d2);
	uint32_t Nx = ref->group[wc] - (uint32_t)self; /* the group without the source */
	for (size_t i = 0; i < n; i++) {
		uint8_t s = xs[i];
		if (s == OMIT)
			continue;
		if (s != ref->key[i])
			agg += c[i * K + s];
		else if (xc[i] == s && Nx > 0)
			wsum += pow(base, (double)(c[i * K + s] - (uint32_t)self) / Nx * d2);
	}
	o.k_phat = agg / ref->group[wc] / ws;
	o.k = kw_collusion_binom_upper(ws, o.k_phat, o.m);
	o.s2_stat = o.m + (int)ceil(wsum);
	double qc = (double)wc / (double)n;
	if (src->k1_np > 0) {
		o.k1_phat = clip01(src->k1[0] + src->k1[1] * qc);
		o.k1 = kw_collusion_binom_upper(ws, o.k1_phat, o.m);
	}
	if (src->k2_np > 0) {
		o.k2_phat = clip01(src->k2[0] + src->k2[1] * qc + src->k2[2] * (qc * qc));
		o.k2 = kw_collusion_binom_upper(ws, o.k2_phat, o.m);
	}
	if (src->s1_np > 0) {
		o.s1_mu = exp(src->s1[0] + src->s1[1] * wc);
		if (o.s1_mu >= ws)
			o.s1_mu = ws;
		o.s1 = kw_collusion_pois_range(o.s1_mu, o.m, ws);
	}
	if (src->s2_np > 0) {
		o.s2_mu = exp(src->s2[0] + src->s2[1] * wc);
		if (o.s2_mu >= (double)n)
			o.s2_mu = (double)n;
		o.s2 = kw_collusion_pois_range(o.s2_mu, o.s2_stat, (int)n);
	}
	*out = o;
}

void kw_collusion_pair_all(const struct kw_collusion_pair *p, const struct kw_collusion_ref *ref,
                           const struct kw_collusion_source *src, double *work,
                           struct kw_collusion_result *out)
{
	kw_collusion_count(p, &out->counts);
	kw_collusion_omega(p, 1, &out->omega);
	out->gbt = kw_collusion_gbt(p, out->counts.match);
	out->m4 = kw_collusion_m4(p, out->counts.ident_correct, out->counts.ident_wrong, work);
	if (ref) {
		struct kw_collusion_source own;
		if (!src) {
			kw_collusion_source_init(ref, p->xs, &own);
			src = &own;
		}
		kw_collusion_kfamily(ref, src, p->xc, p->xs, &out->kfam);
	} else {
		memset(&out->kfam, 0, sizeof out->kfam);
		struct kw_collusion_kfamily *k = &out->kfam;
		k->k = k->k1 = k->k2 = k->s1 = k->s2 = NAN;
		k->k_phat = k->k1_phat = k->k2_phat = k->s1_mu = k->s2_mu = NAN;
	}
}

/* ---- The ω block ----------------------------------------------------------------------- */

int kw_collusion_block_init(struct kw_collusion_block *b, size_t n, int ncat, size_t cap)
{
	memset(b, 0, sizeof *b);
	if (n < 1 || n > MAXN || ncat < 2 || ncat > KW_COLLUSION_MAX_CATS || cap < 1 ||
	    cap > (size_t)1 << 24)
		return KW_EINVAL;
	b->n = n;
	b->ncat = ncat;
	b->cap = cap;
	b->stride = (cap + 7) & ~(size_t)7;
	size_t np = n * (size_t)(ncat + 1) * b->stride;
	b->p = kw_xmalloc_big(np * sizeof *b->p);
	b->x = kw_xmalloc_big(n * b->stride);
	memset(b->p, 0, np * sizeof *b->p);
	memset(b->x, OMIT, n * b->stride);
	return 0;
}

void kw_collusion_block_set(struct kw_collusion_block *b, size_t c, const uint8_t *key,
                            const uint8_t *x, const double *p)
{
	size_t K = (size_t)b->ncat, st = b->stride;
	assert(c < b->cap);
	for (size_t i = 0; i < b->n; i++) {
		double *col = b->p + i * (K + 1) * st + c;
		for (size_t k = 0; k < K; k++)
			col[k * st] = p[i * K + k];
		col[K * st] = max_wrong(p + i * K, b->ncat, key[i]);
		b->x[i * st + c] = x[i];
	}
}

void kw_collusion_block_release(struct kw_collusion_block *b)
{
	free(b->p);
	free(b->x);
	memset(b, 0, sizeof *b);
}

#define LANES 8

/* GCC/clang vector extensions, one lane per copier: v8d for AVX-512 (one register), two v4d
 * for AVX2 and the baseline (wider generic vectors are lowered badly there). */
typedef double v8d __attribute__((vector_size(64)));
typedef double v4d __attribute__((vector_size(32)));
typedef uint8_t v8u8 __attribute__((vector_size(8)));
typedef int16_t v8s16 __attribute__((vector_size(16)));

/* The kernels, compiled once per instruction set below: eight copiers at a time, their sums
 * held in registers across the items; per lane exactly the operations of kw_collusion_omega
 * in the same order (each in its own statement, so nothing is fused into an FMA). */
static inline __attribute__((always_inline)) void omega_kernel8(const struct kw_collusion_block *b,
                                                                size_t ncop, const size_t *rowoff,
                                                                const uint8_t *mb, uint16_t *h,
                                                                double *e, double *v)
{
	size_t n = b->n, st = b->stride;
	for (size_t c0 = 0; c0 < ncop; c0 += LANES) {
		v8d ev = {0}, vv = {0};
		v8s16 hv = {0};
		for (size_t i = 0; i < n; i++) {
			v8d q, t;
			v8u8 x;
			memcpy(&q, b->p + rowoff[i] + c0, sizeof q);
			memcpy(&x, b->x + i * st + c0, sizeof x);
			ev += q;
			t = 1.0 - q;
			t = q * t;
			vv += t;
			hv -= __builtin_convertvector(x == mb[i], v8s16); /* −1 where equal */
		}
		for (int j = 0; j < LANES; j++) {
			h[c0 + (size_t)j] = (uint16_t)hv[j];
			e[c0 + (size_t)j] = ev[j];
			v[c0 + (size_t)j] = vv[j];
		}
	}
}

static inline __attribute__((always_inline)) void omega_kernel4(const struct kw_collusion_block *b,
                                                                size_t ncop, const size_t *rowoff,
                                                                const uint8_t *mb, uint16_t *h,
                                                                double *e, double *v)
{
	size_t n = b->n, st = b->stride;
	for (size_t c0 = 0; c0 < ncop; c0 += LANES) {
		v4d ea = {0}, eb = {0}, va = {0}, vb = {0};
		v8s16 hv = {0};
		for (size_t i = 0; i < n; i++) {
			const double *row = b->p + rowoff[i] + c0;
			v4d qa, qb, ta, tb;
			v8u8 x;
			memcpy(&qa, row, sizeof qa);
			memcpy(&qb, row + 4, sizeof qb);
			memcpy(&x, b->x + i * st + c0, sizeof x);
			ea += qa;
			eb += qb;
			ta = 1.0 - qa;
			tb = 1.0 - qb;
			ta = qa * ta;
			tb = qb * tb;
			va += ta;
			vb += tb;
			hv -= __builtin_convertvector(x == mb[i], v8s16);
		}
		for (int j = 0; j < 4; j++) {
			e[c0 + (size_t)j] = ea[j];
			e[c0 + 4 + (size_t)j] = eb[j];
			v[c0 + (size_t)j] = va[j];
			v[c0 + 4 + (size_t)j] = vb[j];
		}
		for (int j = 0; j < LANES; j++)
			h[c0 + (size_t)j] = (uint16_t)hv[j];
	}
}

static void omega_scalar(const struct kw_collusion_block *b, size_t ncop, const size_t *rowoff,
                         const uint8_t *mb, uint16_t *h, double *e, double *v)
{
	omega_kernel4(b, ncop, rowoff, mb, h, e, v);
}

#ifdef KW_COLL_X86
__attribute__((target("avx2"))) static void omega_avx2(const struct kw_collusion_block *b,
                                                       size_t ncop, const size_t *rowoff,
                                                       const uint8_t *mb, uint16_t *h, double *e,
                                                       double *v)
{
	omega_kernel4(b, ncop, rowoff, mb, h, e, v);
}

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void
omega_avx512(const struct kw_collusion_block *b, size_t ncop, const size_t *rowoff,
             const uint8_t *mb, uint16_t *h, double *e, double *v)
{
	omega_kernel8(b, ncop, rowoff, mb, h, e, v);
}
#endif

typedef void (*omega_fn)(const struct kw_collusion_block *, size_t, const size_t *, const uint8_t *,
                         uint16_t *, double *, double *);

/* The kernel for a path name ("scalar", "avx2", "avx512"; NULL: the best this CPU has), or
 * NULL when the CPU lacks it. */
static omega_fn omega_path(const char *path)
{
#ifdef KW_COLL_X86
	__builtin_cpu_init();
	int a512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	           __builtin_cpu_supports("avx512vl");
	int a2 = __builtin_cpu_supports("avx2");
	if (!path)
		return a512 ? omega_avx512 : a2 ? omega_avx2 : omega_scalar;
	if (strcmp(path, "avx512") == 0)
		return a512 ? omega_avx512 : NULL;
	if (strcmp(path, "avx2") == 0)
		return a2 ? omega_avx2 : NULL;
#endif
	if (!path || strcmp(path, "scalar") == 0)
		return omega_scalar;
	return NULL;
}

static void omega_batch(omega_fn fn, const struct kw_collusion_block *b, size_t ncopiers,
                        const uint8_t *xs, uint16_t *h, double *e, double *v, double *z)
{
	size_t rowoff[MAXN];
	uint8_t mb[MAXN];
	size_t K = (size_t)b->ncat, st = b->stride;
	assert(ncopiers <= b->cap);
	for (size_t i = 0; i < b->n; i++) {
		uint8_t s = xs[i];
		rowoff[i] = (i * (K + 1) + (s == OMIT ? K : s)) * st;
		mb[i] = s == OMIT ? NOMATCH : s;
	}
	/* blocks of up to 64 copiers through bounce buffers (the kernel writes whole lanes) */
	enum { CH = 64 };
	uint16_t hb[CH];
	double eb[CH], vb[CH];
	for (size_t c0 = 0; c0 < ncopiers; c0 += CH) {
		size_t nc = ncopiers - c0 < CH ? ncopiers - c0 : CH;
		size_t nl = (nc + LANES - 1) & ~(size_t)(LANES - 1);
		struct kw_collusion_block sub = *b;
		sub.p = b->p + c0;
		sub.x = b->x + c0;
		fn(&sub, nl, rowoff, mb, hb, eb, vb);
		for (size_t j = 0; j < nc; j++) {
			if (h)
				h[c0 + j] = hb[j];
			if (e)
				e[c0 + j] = eb[j];
			if (v)
				v[c0 + j] = vb[j];
			z[c0 + j] = kw_collusion_omega_z(hb[j], eb[j], vb[j]);
		}
	}
}

void kw_collusion_omega_batch(const struct kw_collusion_block *b, size_t ncopiers,
                              const uint8_t *xs, uint16_t *h, double *e, double *v, double *z)
{
	omega_batch(omega_path(NULL), b, ncopiers, xs, h, e, v, z);
}

int kw__collusion_omega_batch_path(const char *path, const struct kw_collusion_block *b,
                                   size_t ncopiers, const uint8_t *xs, uint16_t *h, double *e,
                                   double *v, double *z)
{
	omega_fn fn = omega_path(path);
	if (!fn)
		return -1;
	omega_batch(fn, b, ncopiers, xs, h, e, v, z);
	return 0;
}

/* ---- Wrong-answer bitsets -------------------------------------------------------------- */

size_t kw_collusion_wrongset_words(size_t n, int ncat)
{
	return (n * (size_t)(ncat - 1) + 63) / 64;
}

void kw_collusion_wrongset(const uint8_t *x, const uint8_t *key, size_t n, int ncat, uint64_t *bits)
{
	size_t per = (size_t)(ncat - 1);
	memset(bits, 0, kw_collusion_wrongset_words(n, ncat) * sizeof *bits);
	for (size_t i = 0; i < n; i++) {
		uint8_t a = x[i];
		if (a == OMIT || a == key[i])
			continue;
		size_t bit = i * per + (a < key[i] ? a : a - 1u);
		bits[bit / 64] |= (uint64_t)1 << (bit % 64);
	}
}

static inline __attribute__((always_inline)) int iw_one(const uint64_t *a, const uint64_t *b,
                                                        size_t words)
{
	int s = 0;
	for (size_t w = 0; w < words; w++)
		s += __builtin_popcountll(a[w] & b[w]);
	return s;
}

int kw_collusion_ident_wrong(const uint64_t *a, const uint64_t *b, size_t words)
{
	return iw_one(a, b, words);
}

static inline __attribute__((always_inline)) void
iw_batch(const uint64_t *s, const uint64_t *sets, size_t nsets, size_t words, uint16_t *out)
{
	for (size_t j = 0; j < nsets; j++)
		out[j] = (uint16_t)iw_one(s, sets + j * words, words);
}

static void iw_generic(const uint64_t *s, const uint64_t *sets, size_t nsets, size_t words,
                       uint16_t *out)
{
	iw_batch(s, sets, nsets, words, out);
}

#ifdef KW_COLL_X86
__attribute__((target("popcnt"))) static void iw_popcnt(const uint64_t *s, const uint64_t *sets,
                                                        size_t nsets, size_t words, uint16_t *out)
{
	if (words == 8) { /* 150 four-option items: a constant the compiler unrolls */
		iw_batch(s, sets, nsets, 8, out);
		return;
	}
	iw_batch(s, sets, nsets, words, out);
}
#endif

int kw__collusion_ident_wrong_batch_path(const char *path, const uint64_t *s, const uint64_t *sets,
                                         size_t nsets, size_t words, uint16_t *out)
{
	if (path && strcmp(path, "generic") == 0) {
		iw_generic(s, sets, nsets, words, out);
		return 0;
	}
	if (path && strcmp(path, "popcnt") != 0)
		return -1;
#ifdef KW_COLL_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("popcnt")) {
		iw_popcnt(s, sets, nsets, words, out);
		return 0;
	}
#endif
	if (path)
		return -1;
	iw_generic(s, sets, nsets, words, out);
	return 0;
}

void kw_collusion_ident_wrong_batch(const uint64_t *s, const uint64_t *sets, size_t nsets,
                                    size_t words, uint16_t *out)
{
	kw__collusion_ident_wrong_batch_path(NULL, s, sets, nsets, words, out);
}
