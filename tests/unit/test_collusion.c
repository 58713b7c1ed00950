/*
 * Similar-answer indices (core/collusion.h; SPEC GRD-6, issue 11 item 2).
 *
 * GRD-6: the screen's statistics must be the reference's. grd6_matches_copydetect reads
 * CopyDetect 1.3's own NRM parameters, MAP abilities and results for 70 pairs
 * (tests/data/collusion-small, copied from ../shared/peers/collusion-small) and requires ω,
 * GBT and M4 to a relative 1e-9, K, K1, K2, S1, S2 to 1e-6, the raw counts exactly and NA
 * where CopyDetect gives NA. The other tests check the pieces against plain, slow
 * re-derivations: the K family from every sheet (not the reference table), the exact tail
 * against a long double convolution and closed forms, M4 against enumeration of every
 * outcome, the block prescreen against per-pair ω (every code path), bitsets against a
 * naive count; and bad input: omits-only sheets, an item nobody answered correctly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/collusion.h"
#include "core/nrm.h"
#include "../common/testpdf.h"

/* ---- Small helpers ---------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = (*s += UINT64_C(0x9E3779B97F4A7C15));
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static double rng_unif(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * 0x1p-53;
}

static double rel_err(double got, double want)
{
	if (got == want)
		return 0;
	return fabs(got - want) / fmax(fabs(want), 1e-300);
}

static void assert_rel(double got, double want, double tol, const char *what, int row)
{
	double e = rel_err(got, want);
	if (!(e <= tol)) {
		print_error("%s (row %d): got %.17g want %.17g (rel %.3g > %.1g)\n", what, row, got,
		            want, e, tol);
		fail();
	}
}

/* A CSV of tests/data as rows of fields, quotes stripped. */
struct csv {
	char *text;
	char **field; /* rows × cols */
	int rows, cols;
};

static void csv_load(struct csv *c, const char *rel)
{
	size_t n;
	c->text = (char *)kw_test_data_file(rel, &n);
	int lines = 0, cols = 1;
	for (size_t i = 0; i < n; i++)
		lines += c->text[i] == '\n';
	for (char *p = c->text; *p && *p != '\n'; p++)
		cols += *p == ',';
	c->cols = cols;
	c->field = calloc((size_t)(lines + 1) * (size_t)cols, sizeof *c->field);
	assert_non_null(c->field);
	int r = 0;
	char *save = NULL;
	for (char *line = strtok_r(c->text, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		int k = 0;
		char *f = line;
		for (;;) {
			char *comma = strchr(f, ',');
			if (comma)
				*comma = '\0';
			if (*f == '"') {
				f++;
				char *q = strchr(f, '"');
				if (q)
					*q = '\0';
			}
			assert_true(k < cols);
			c->field[r * cols + k++] = f;
			if (!comma)
				break;
			f = comma + 1;
		}
		assert_int_equal(k, cols);
		r++;
	}
	c->rows = r;
}

static const char *csv_at(const struct csv *c, int row, int col)
{
	return c->field[row * c->cols + col];
}

static int csv_col(const struct csv *c, const char *name)
{
	for (int k = 0; k < c->cols; k++)
		if (strcmp(c->field[k], name) == 0)
			return k;
	print_error("no column %s\n", name);
	fail();
	return -1;
}

static void csv_free(struct csv *c)
{
	free(c->field);
	free(c->text);
}

/* ---- The shared data set ---------------------------------------------------------------- */

#define SN 40  /* items */
#define SK 4   /* options */
#define SE 500 /* candidates */

struct small {
	uint8_t key[SN];
	uint8_t x[SE][SN];
	char eid[SE][16];
	double theta[SE];
	struct kw_nrm_item item[SN];
	double p[SE][SN * SK]; /* P_ik(θ) per candidate */
};

static int small_find(const struct small *d, const char *eid)
{
	for (int e = 0; e < SE; e++)
		if (strcmp(d->eid[e], eid) == 0)
			return e;
	print_error("no candidate %s\n", eid);
	fail();
	return -1;
}

static struct small *small_load(void)
{
	struct small *d = calloc(1, sizeof *d);
	assert_non_null(d);
	struct csv c;
	csv_load(&c, "collusion-small/small_key.csv");
	assert_int_equal(c.rows, SN + 1);
	for (int i = 0; i < SN; i++)
		d->key[i] = (uint8_t)(atoi(csv_at(&c, i + 1, 1)) - 1);
	csv_free(&c);

	csv_load(&c, "collusion-small/small_responses.csv");
	assert_int_equal(c.rows, SE + 1);
	assert_int_equal(c.cols, SN + 2);
	for (int e = 0; e < SE; e++) {
		snprintf(d->eid[e], sizeof d->eid[e], "%s", csv_at(&c, e + 1, 0));
		for (int i = 0; i < SN; i++) {
			int v = atoi(csv_at(&c, e + 1, i + 2));
			assert_true(v >= 1 && v <= SK);
			d->x[e][i] = (uint8_t)(v - 1);
		}
	}
	csv_free(&c);

	csv_load(&c, "collusion-small/copydetect_small_nrm_itempar.csv");
	assert_int_equal(c.rows, SN + 1);
	for (int i = 0; i < SN; i++) {
		d->item[i].ncat = SK;
		for (int k = 0; k < SK; k++) {
			d->item[i].a[k] = strtod(csv_at(&c, i + 1, 1 + k), NULL);
			d->item[i].c[k] = strtod(csv_at(&c, i + 1, 1 + SK + k), NULL);
		}
	}
	csv_free(&c);

	csv_load(&c, "collusion-small/copydetect_small_theta_map.csv");
	assert_int_equal(c.rows, SE + 1);
	for (int r = 1; r < c.rows; r++) {
		int e = small_find(d, csv_at(&c, r, 0));
		d->theta[e] = strtod(csv_at(&c, r, 1), NULL);
	}
	csv_free(&c);

	for (int e = 0; e < SE; e++)
		for (int i = 0; i < SN; i++)
			kw_nrm_probs(&d->item[i], d->theta[e], d->p[e] + i * SK);
	return d;
}

static struct kw_collusion_pair small_pair(const struct small *d, int c, int s)
{
	struct kw_collusion_pair p = {.n = SN,
	                              .ncat = SK,
	                              .key = d->key,
	                              .xc = d->x[c],
	                              .xs = d->x[s],
	                              .pc = d->p[c],
	                              .ps = d->p[s]};
	return p;
}

/* GRD-6: every index of the 70 shared pairs as CopyDetect computed it. */
static void grd6_matches_copydetect(void **state)
{
	(void)state;
	struct small *d = small_load();
	struct kw_collusion_ref ref;
	assert_int_equal(kw_collusion_ref_init(&ref, SN, SK, SK, d->key), 0);
	for (int e = 0; e < SE; e++)
		kw_collusion_ref_add(&ref, d->x[e]);
	double *work = malloc(kw_collusion_m4_work(SN) * sizeof *work);
	assert_non_null(work);

	struct csv c;
	csv_load(&c, "collusion-small/copydetect_small_pairs.csv");
	assert_int_equal(c.rows, 71);
	const char *ints[] = {"n_match", "n_ident_correct", "n_ident_incorrect", "score_copier",
	                      "score_source"};
	const char *tight[] = {"W_value", "W_p", "GBT_p", "M4_p"};
	const char *loose[] = {"K_p", "K1_p", "K2_p", "S1_p", "S2_p"};
	double worst_tight = 0, worst_loose = 0;
	int na = 0;
	for (int r = 1; r < c.rows; r++) {
		int cop = small_find(d, csv_at(&c, r, csv_col(&c, "copier")));
		int src = small_find(d, csv_at(&c, r, csv_col(&c, "source")));
		struct kw_collusion_pair p = small_pair(d, cop, src);
		assert_int_equal(kw_collusion_pair_check(&p), 0);
		struct kw_collusion_result res;
		kw_collusion_pair_all(&p, &ref, NULL, work, &res);

		int got_i[] = {res.counts.match, res.counts.ident_correct, res.counts.ident_wrong,
		               res.counts.score_c, res.counts.score_s};
		for (int k = 0; k < 5; k++)
			assert_int_equal(got_i[k], atoi(csv_at(&c, r, csv_col(&c, ints[k]))));

		double got_t[] = {res.omega.z, res.omega.p_normal, res.gbt, res.m4};
		for (int k = 0; k < 4; k++) {
			double want = strtod(csv_at(&c, r, csv_col(&c, tight[k])), NULL);
			assert_rel(got_t[k], want, 1e-9, tight[k], r);
			worst_tight = fmax(worst_tight, rel_err(got_t[k], want));
		}
		double got_l[] = {res.kfam.k, res.kfam.k1, res.kfam.k2, res.kfam.s1, res.kfam.s2};
		for (int k = 0; k < 5; k++) {
			const char *w = csv_at(&c, r, csv_col(&c, loose[k]));
			if (strcmp(w, "NA") == 0) {
				assert_true(isnan(got_l[k]));
				na++;
				continue;
			}
			double want = strtod(w, NULL);
			assert_rel(got_l[k], want, 1e-6, loose[k], r);
			worst_loose = fmax(worst_loose, rel_err(got_l[k], want));
		}
		/* the exact ω tail exists and is a probability */
		assert_true(res.omega.p_exact > 0 && res.omega.p_exact <= 1);
	}
	assert_int_equal(na, 5); /* one pair: a source with every item right */
	print_message("GRD-6: 70 pairs; worst relative difference ω/GBT/M4 %.2e, K family %.2e\n",
	              worst_tight, worst_loose);
	csv_free(&c);
	free(work);
	kw_collusion_ref_release(&ref);
	free(d);
}

/* ---- The K family from every sheet (no reference table) -------------------------------- */

/* Least squares by normal equations (a different method from the library's QR). */
static void naive_ls(const double *x, const double *y, int m, int p, double *b)
{
	if (p > m)
		p = m;
	long double A[3][4] = {{0}};
	for (int i = 0; i < m; i++) {
		long double f[3] = {1, x[i], (long double)x[i] * x[i]};
		for (int r = 0; r < p; r++) {
			for (int s = 0; s < p; s++)
				A[r][s] += f[r] * f[s];
			A[r][p] += f[r] * y[i];
		}
	}
	for (int col = 0; col < p; col++)
		for (int r = col + 1; r < p; r++) {
			long double f = A[r][col] / A[col][col];
			for (int s = col; s <= p; s++)
				A[r][s] -= f * A[col][s];
		}
	for (int r = p - 1; r >= 0; r--) {
		long double s = A[r][p];
		for (int t = r + 1; t < p; t++)
			s -= A[r][t] * b[t];
		b[r] = (double)(s / A[r][r]);
	}
	for (int r = p; r < 3; r++)
		b[r] = 0;
}

/* The Poisson GLM's maximum-likelihood fit by Newton's method, iterated to convergence. */
static void naive_glm(const double *x, const double *y, int m, double *b)
{
	double ym = 0;
	for (int i = 0; i < m; i++)
		ym += y[i];
	b[0] = log(ym / m + 0.1);
	b[1] = 0;
	for (int it = 0; it < 200; it++) {
		long double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
		for (int i = 0; i < m; i++) {
			long double mu = expl(b[0] + (long double)b[1] * x[i]);
			g0 += y[i] - mu;
			g1 += (y[i] - mu) * x[i];
			h00 += mu;
			h01 += mu * x[i];
			h11 += mu * x[i] * x[i];
		}
		long double det = h00 * h11 - h01 * h01;
		long double d0 = (h11 * g0 - h01 * g1) / det, d1 = (h00 * g1 - h01 * g0) / det;
		b[0] += (double)d0;
		b[1] += (double)d1;
		if (fabsl(d0) + fabsl(d1) < 1e-15L)
			break;
	}
}

struct kref {
	double k, k1, k2, s1, s2;
};

/* CopyDetect's k() and ks12() read literally: loops over every sheet. */
static void naive_kfamily(const uint8_t *X, int N, int n, const uint8_t *key, int noptions, int cop,
                          int src, struct kref *out)
{
	const uint8_t *xc = X + (size_t)cop * n, *xs = X + (size_t)src * n;
	int *wrong = malloc((size_t)N * sizeof *wrong);
	assert_non_null(wrong);
	for (int e = 0; e < N; e++)
		wrong[e] = kw_collusion_wrong(X + (size_t)e * n, key, (size_t)n);
	int wc = wrong[cop], ws = wrong[src], m = 0;
	for (int i = 0; i < n; i++)
		m += xs[i] != KW_COLLUSION_OMIT && xs[i] != key[i] && xc[i] == xs[i];
	/* K */
	double agg = 0;
	int G = 0;
	for (int e = 0; e < N; e++) {
		if (wrong[e] != wc)
			continue;
		G++;
		for (int i = 0; i < n; i++)
			agg += xs[i] != KW_COLLUSION_OMIT && xs[i] != key[i] &&
			       X[e * n + i] == xs[i];
	}
	out->k = kw_collusion_binom_upper(ws, agg / G / ws, m);
	/* per group, the source excluded */
	double g = 1.0 / noptions, base = (1 + g) / (1 - g) * exp(1.0), d2 = -(1 + g) / g;
	double q[256], rr[256], pr[256], y1[256], y2[256], wcop[256] = {0};
	int pts = 0;
	for (int r = 0; r <= n; r++) {
		int Nr = 0;
		double a = 0, pj = 0;
		double ph[256] = {0};
		for (int e = 0; e < N; e++) {
			if (wrong[e] != r || e == src)
				continue;
			Nr++;
			for (int i = 0; i < n; i++) {
				if (xs[i] != KW_COLLUSION_OMIT && xs[i] != key[i] &&
				    X[e * n + i] == xs[i])
					a++;
				if (xs[i] == key[i] && X[e * n + i] == key[i])
					ph[i]++;
			}
		}
		if (Nr == 0)
			continue;
		for (int i = 0; i < n; i++) {
			ph[i] /= Nr;
			double w = pow(base, ph[i] * d2);
			pj += ph[i] * w;
			if (r == wc)
				wcop[i] = w;
		}
		q[pts] = (double)r / n;
		rr[pts] = r;
		pr[pts] = a / Nr / ws;
		y1[pts] = ws * pr[pts];
		y2[pts] = y1[pts] + ceil(pj);
		pts++;
	}
	double b1[3], b2[3], s1[2], s2[2], qc = (double)wc / n;
	naive_ls(q, pr, pts, 2, b1);
	naive_ls(q, pr, pts, 3, b2);
	naive_glm(rr, y1, pts, s1);
	naive_glm(rr, y2, pts, s2);
	double p1 = b1[0] + b1[1] * qc, p2 = b2[0] + b2[1] * qc + b2[2] * qc * qc;
	p1 = p1 >= 1 ? .999 : p1 <= 0 ? .001 : p1;
	p2 = p2 >= 1 ? .999 : p2 <= 0 ? .001 : p2;
	out->k1 = kw_collusion_binom_upper(ws, p1, m);
	out->k2 = kw_collusion_binom_upper(ws, p2, m);
	double mu1 = fmin(exp(s1[0] + s1[1] * wc), ws), mu2 = fmin(exp(s2[0] + s2[1] * wc), n);
	double wsum = 0;
	for (int i = 0; i < n; i++)
		if (xs[i] == key[i] && xc[i] == key[i])
			wsum += wcop[i];
	out->s1 = kw_collusion_pois_range(mu1, m, ws);
	out->s2 = kw_collusion_pois_range(mu2, m + (int)ceil(wsum), n);
	free(wrong);
}

/* Random sheets with some omits, and item 3 keyed to an option nobody chose: the table's
 * K family equals the literal reading over every sheet. */
static void kfamily_table_equals_every_sheet(void **state)
{
	(void)state;
	enum { N = 400, n = 24, K = 4 };
	uint8_t key[n], *X = malloc((size_t)N * n);
	assert_non_null(X);
	uint64_t seed = 11;
	for (int i = 0; i < n; i++)
		key[i] = (uint8_t)(rng_next(&seed) % K);
	for (int e = 0; e < N; e++) {
		double ab = rng_unif(&seed); /* ability: the chance of the key */
		for (int i = 0; i < n; i++) {
			double u = rng_unif(&seed);
			uint8_t a = u < ab ? key[i] : (uint8_t)(rng_next(&seed) % K);
			if (i == 3)
				a = (uint8_t)((key[i] + 1 + rng_next(&seed) % (K - 1)) % K);
			if (e % 7 == 0 && rng_unif(&seed) < .1)
				a = KW_COLLUSION_OMIT;
			X[e * n + i] = a;
		}
	}
	/* a planted copier: 90 % of 250's answers */
	for (int i = 0; i < n; i++)
		if (rng_unif(&seed) < .9)
			X[251 * n + i] = X[250 * n + i];
	struct kw_collusion_ref ref;
	assert_int_equal(kw_collusion_ref_init(&ref, n, K, K, key), 0);
	for (int e = 0; e < N; e++)
		kw_collusion_ref_add(&ref, X + (size_t)e * n);
	int pairs[][2] = {{251, 250}, {250, 251}, {1, 2}, {7, 14}, {14, 7},
	                  {100, 399}, {3, 0},     {0, 0}, {0, 0},  {0, 0}};
	/* and three pairs whose number wrong is tied (the source is then in the copier's group) */
	int tied = 7;
	for (int s = 0; s < N && tied < 10; s += 13)
		for (int c = s + 1; c < N && tied < 10; c++)
			if (kw_collusion_wrong(X + (size_t)c * n, key, n) ==
			    kw_collusion_wrong(X + (size_t)s * n, key, n)) {
				pairs[tied][0] = c;
				pairs[tied++][1] = s;
				break;
			}
	assert_int_equal(tied, 10);
	for (size_t t = 0; t < sizeof pairs / sizeof pairs[0]; t++) {
		int c = pairs[t][0], s = pairs[t][1];
		struct kw_collusion_source src;
		kw_collusion_source_init(&ref, X + (size_t)s * n, &src);
		assert_true(src.ws > 0);
		struct kw_collusion_kfamily kf;
		kw_collusion_kfamily(&ref, &src, X + (size_t)c * n, X + (size_t)s * n, &kf);
		struct kref want;
		naive_kfamily(X, N, n, key, K, c, s, &want);
		assert_rel(kf.k, want.k, 1e-12, "K", (int)t);
		assert_rel(kf.k1, want.k1, 1e-9, "K1", (int)t);
		assert_rel(kf.k2, want.k2, 1e-9, "K2", (int)t);
		assert_rel(kf.s1, want.s1, 1e-6, "S1", (int)t);
		assert_rel(kf.s2, want.s2, 1e-6, "S2", (int)t);
	}
	/* the planted pair stands out */
	struct kw_collusion_source src;
	struct kw_collusion_kfamily kf;
	kw_collusion_source_init(&ref, X + 250 * n, &src);
	kw_collusion_kfamily(&ref, &src, X + 251 * n, X + 250 * n, &kf);
	assert_true(kf.k < 1e-3);
	/* merging two halves gives the same table */
	struct kw_collusion_ref a, b;
	assert_int_equal(kw_collusion_ref_init(&a, n, K, K, key), 0);
	assert_int_equal(kw_collusion_ref_init(&b, n, K, K, key), 0);
	for (int e = 0; e < N; e++)
		kw_collusion_ref_add(e % 2 ? &a : &b, X + (size_t)e * n);
	assert_int_equal(kw_collusion_ref_merge(&a, &b), 0);
	assert_memory_equal(a.count, ref.count, (size_t)(n + 1) * n * K * sizeof *a.count);
	assert_memory_equal(a.group, ref.group, (size_t)(n + 1) * sizeof *a.group);
	kw_collusion_ref_release(&a);
	kw_collusion_ref_release(&b);
	kw_collusion_ref_release(&ref);
	free(X);
}

/* ---- Bad input ------------------------------------------------------------------------- */

/* Random NRM items: key slope high, distractor slopes low. */
static void random_items(struct kw_nrm_item *it, size_t n, int K, uint64_t *seed)
{
	for (size_t i = 0; i < n; i++) {
		it[i].ncat = K;
		for (int k = 0; k < K; k++) {
			it[i].a[k] = k == 0 ? 0.8 + rng_unif(seed) : -rng_unif(seed);
			it[i].c[k] = rng_unif(seed) - .5;
		}
	}
}

static void omits_only_sheets(void **state)
{
	(void)state;
	enum { n = 30, K = 4, N = 60 };
	struct kw_nrm_item it[n];
	uint64_t seed = 5;
	random_items(it, n, K, &seed);
	uint8_t key[n], X[N][n];
	double P[N][n * K];
	for (int i = 0; i < n; i++)
		key[i] = 0;
	for (int e = 0; e < N; e++) {
		double th = 2 * rng_unif(&seed) - 1;
		for (int i = 0; i < n; i++) {
			kw_nrm_probs(&it[i], th, P[e] + i * K);
			X[e][i] = e < 2 ? KW_COLLUSION_OMIT : (uint8_t)(rng_next(&seed) % K);
		}
	}
	struct kw_collusion_ref ref;
	assert_int_equal(kw_collusion_ref_init(&ref, n, K, K, key), 0);
	for (int e = 0; e < N; e++)
		kw_collusion_ref_add(&ref, X[e]);
	double *work = malloc(kw_collusion_m4_work(n) * sizeof *work);
	assert_non_null(work);
	/* both blank; blank copier; blank source */
	int pairs[][2] = {{0, 1}, {0, 5}, {5, 0}};
	for (int t = 0; t < 3; t++) {
		int c = pairs[t][0], s = pairs[t][1];
		struct kw_collusion_pair p = {n, K, key, X[c], X[s], P[c], P[s]};
		assert_int_equal(kw_collusion_pair_check(&p), 0);
		struct kw_collusion_result r;
		kw_collusion_pair_all(&p, &ref, NULL, work, &r);
		assert_int_equal(r.counts.match, 0);
		assert_int_equal(r.counts.run, 0);
		assert_int_equal(r.counts.omit_c + r.counts.omit_s, c < 2 && s < 2 ? 2 * n : n);
		assert_int_equal(r.omega.h, 0);
		assert_true(r.omega.expected >
		            0); /* a blank source: the copier's likeliest wrong option */
		assert_true(r.omega.z < 0);
		assert_true(r.omega.p_normal > .5 && r.omega.p_normal <= 1);
		assert_true(r.omega.p_exact == 1);
		assert_true(r.gbt == 1);
		assert_rel(r.m4, 1, 1e-12, "M4", t);
		if (s < 2) {
			/* a source with no wrong answer: the K family is undefined, as in
			 * CopyDetect */
			assert_true(isnan(r.kfam.k) && isnan(r.kfam.k1) && isnan(r.kfam.k2) &&
			            isnan(r.kfam.s1) && isnan(r.kfam.s2));
		} else {
			/* a blank copier has no wrong answer and no match: nothing suspicious */
			assert_int_equal(r.kfam.wc, 0);
			assert_int_equal(r.kfam.m, 0);
			assert_true(r.kfam.k == 1 && r.kfam.k1 == 1 && r.kfam.k2 == 1);
			assert_true(r.kfam.s1 > 0 && r.kfam.s1 <= 1);
		}
		uint8_t fl[n];
		kw_collusion_items(&p, fl);
		for (int i = 0; i < n; i++)
			assert_int_equal(fl[i] & KW_COLLUSION_ITEM_MATCH, 0);
	}
	/* out-of-range answers are refused */
	X[3][4] = 7;
	struct kw_collusion_pair bad = {n, K, key, X[3], X[4], P[3], P[4]};
	assert_int_equal(kw_collusion_pair_check(&bad), -1);
	free(work);
	kw_collusion_ref_release(&ref);
}

/* An item nobody answered correctly, under the NRM too: every index is finite and the K
 * family agrees with the literal reading (the weights of that item are 1, unused). */
static void item_nobody_correct(void **state)
{
	(void)state;
	enum { n = 20, K = 4, N = 120 };
	struct kw_nrm_item it[n];
	uint64_t seed = 9;
	random_items(it, n, K, &seed);
	it[0].c[0] = -30; /* the key of item 0 is practically never chosen */
	uint8_t key[n] = {0}, *X = malloc(N * n);
	double *P = malloc(sizeof(double) * N * n * K);
	assert_non_null(X);
	assert_non_null(P);
	for (int e = 0; e < N; e++) {
		double th = 3 * rng_unif(&seed) - 1.5;
		for (int i = 0; i < n; i++) {
			double *row = P + ((size_t)e * n + i) * K, u = rng_unif(&seed), s = 0;
			kw_nrm_probs(&it[i], th, row);
			uint8_t a = K - 1;
			for (int k = 0; k < K; k++)
				if (u < (s += row[k])) {
					a = (uint8_t)k;
					break;
				}
			X[e * n + i] = i == 0 && a == 0 ? 1 : a;
		}
	}
	struct kw_collusion_ref ref;
	assert_int_equal(kw_collusion_ref_init(&ref, n, K, K, key), 0);
	for (int e = 0; e < N; e++)
		kw_collusion_ref_add(&ref, X + e * n);
	for (int r = 0; r <= n; r++)
		assert_int_equal(ref.count[((size_t)r * n + 0) * K + 0], 0);
	double *work = malloc(kw_collusion_m4_work(n) * sizeof *work);
	assert_non_null(work);
	for (int c = 0; c < 6; c++) {
		int s = c + 10;
		struct kw_collusion_pair p = {
		        n, K, key, X + c * n, X + s * n, P + c * n * K, P + s * n * K};
		struct kw_collusion_result r;
		kw_collusion_pair_all(&p, &ref, NULL, work, &r);
		assert_true(isfinite(r.omega.z) && r.omega.p_exact > 0 && r.omega.p_exact <= 1);
		assert_true(r.gbt > 0 && r.gbt <= 1 + 1e-12);
		assert_true(r.m4 > 0 && r.m4 <= 1 + 1e-12);
		struct kref want;
		naive_kfamily(X, N, n, key, K, c, s, &want);
		assert_rel(r.kfam.k, want.k, 1e-12, "K", c);
		assert_rel(r.kfam.k1, want.k1, 1e-9, "K1", c);
		assert_rel(r.kfam.k2, want.k2, 1e-9, "K2", c);
		assert_rel(r.kfam.s1, want.s1, 1e-6, "S1", c);
		assert_rel(r.kfam.s2, want.s2, 1e-6, "S2", c);
	}
	free(work);
	free(P);
	free(X);
	kw_collusion_ref_release(&ref);
}

/* ---- Tails ----------------------------------------------------------------------------- */

/* P(H ≥ h) by the full distribution in long double. */
static long double pb_brute(const double *pi, int n, int h)
{
	long double f[1002] = {1};
	for (int i = 0; i < n; i++)
		for (int m = i + 1; m >= 0; m--)
			f[m] = f[m] * (1.0L - pi[i]) + (m ? f[m - 1] * pi[i] : 0);
	long double s = 0;
	for (int m = h; m <= n; m++)
		s += f[m];
	return s;
}

/* The exact tail is right in relative terms deep in the tail, where the normal one fails. */
static void exact_tail_tiny_p(void **state)
{
	(void)state;
	enum { n = 150 };
	double pi[n];
	uint64_t seed = 3;
	for (int i = 0; i < n; i++)
		pi[i] = .05 + .5 * rng_unif(&seed); /* ω-like p_i: mean ≈ .3 */
	double mean = 0;
	for (int i = 0; i < n; i++)
		mean += pi[i];
	int checked = 0;
	for (int h = 0; h <= n; h++) {
		double got = kw_collusion_pb_upper(pi, n, h);
		long double want = pb_brute(pi, n, h);
		if (want < 1e-290L)
			break;
		assert_rel(got, (double)want, 1e-12, "pb_upper", h);
		checked++;
	}
	assert_true(checked > 100);
	/* closed forms: all matches = Π π_i; at least one = 1 − Π(1 − π_i) */
	long double prod = 1, none = 1;
	for (int i = 0; i < n; i++) {
		prod *= pi[i];
		none *= 1.0L - pi[i];
	}
	assert_rel(kw_collusion_pb_upper(pi, n, n), (double)prod, 1e-12, "all", n);
	assert_rel(kw_collusion_pb_upper(pi, n, 1), (double)(1 - none), 1e-15, "one", 1);
	assert_true(kw_collusion_pb_upper(pi, n, 0) == 1);
	assert_true(kw_collusion_pb_upper(pi, n, n + 1) == 0);
	/* binomial closed form: equal π, P(Bin(150, .25) ≥ 110) */
	double eq[n];
	for (int i = 0; i < n; i++)
		eq[i] = .25;
	long double bin = 0;
	for (int k = 110; k <= n; k++) {
		long double t = 1;
		for (int j = 1; j <= k; j++)
			t *= (long double)(n - k + j) / j;
		bin += t * powl(.25L, k) * powl(.75L, n - k);
	}
	assert_true(bin < 1e-30L);
	assert_rel(kw_collusion_pb_upper(eq, n, 110), (double)bin, 1e-12, "binom-pb", 110);
	assert_rel(kw_collusion_binom_upper(n, .25, 110), (double)bin, 1e-11, "binom", 110);
	/* where national thresholds live (1e-6 .. 1e-9 and below) the normal tail is far too
	 * small: ω with the normal tail would flag pairs it should not */
	double var = 0;
	for (int i = 0; i < n; i++)
		var += pi[i] * (1 - pi[i]);
	int h = (int)ceil(mean + 7 * sqrt(var));
	double ex = kw_collusion_pb_upper(pi, n, h);
	double nz = kw_collusion_normal_upper((h - mean) / sqrt(var));
	print_message("tail at z≈7, n=150: exact %.3e, normal %.3e (ratio %.1f)\n", ex, nz,
	              ex / nz);
	assert_true(ex < 1e-9 && ex > 10 * nz);
	/* Poisson range against its sum in long double */
	long double pr = 0, t = expl(-3.7L);
	for (int k = 0; k <= 40; k++) {
		if (k >= 25)
			pr += t;
		t *= 3.7L / (k + 1);
	}
	assert_rel(kw_collusion_pois_range(3.7, 25, 40), (double)pr, 1e-12, "pois", 0);
	assert_rel(kw_collusion_normal_upper(8), 6.22096057427178e-16, 1e-12, "normal", 8);
}

/* M4 against every outcome enumerated: 3^n item patterns, the joint law, the tail rule. */
static void m4_equals_enumeration(void **state)
{
	(void)state;
	enum { n = 7, K = 3 };
	uint64_t seed = 21;
	double pc[n * K], ps[n * K];
	uint8_t key[n], xc[n] = {0}, xs[n] = {0};
	for (int i = 0; i < n; i++) {
		double s1 = 0, s2 = 0;
		for (int k = 0; k < K; k++) {
			s1 += pc[i * K + k] = .1 + rng_unif(&seed);
			s2 += ps[i * K + k] = .1 + rng_unif(&seed);
		}
		for (int k = 0; k < K; k++) {
			pc[i * K + k] /= s1;
			ps[i * K + k] /= s2;
		}
		key[i] = (uint8_t)(i % K);
	}
	long double F[n + 1][n + 1] = {{0}};
	int pow3 = 1;
	for (int i = 0; i < n; i++)
		pow3 *= 3;
	for (int code = 0; code < pow3; code++) {
		long double pr = 1;
		int a = 0, b = 0, c = code;
		for (int i = 0; i < n; i++, c /= 3) {
			double q1 = pc[i * K + key[i]] * ps[i * K + key[i]], q2 = 0;
			for (int k = 0; k < K; k++)
				if (k != key[i])
					q2 += pc[i * K + k] * ps[i * K + k];
			int o = c % 3;
			pr *= o == 0 ? q1 : o == 1 ? q2 : 1 - (q1 + q2);
			a += o == 0;
			b += o == 1;
		}
		F[a][b] += pr;
	}
	double *work = malloc(kw_collusion_m4_work(n) * sizeof *work);
	assert_non_null(work);
	struct kw_collusion_pair p = {n, K, key, xc, xs, pc, ps};
	for (int ic = 0; ic <= n; ic++)
		for (int ii = 0; ic + ii <= n; ii++) {
			long double T[n + 1][n + 1] = {{0}}, want = 0;
			for (int a = 0; a <= n; a++)
				for (int b = 0; b <= n; b++)
					for (int a2 = a; a2 <= n; a2++)
						for (int b2 = b; b2 <= n; b2++)
							T[a][b] += F[a2][b2];
			for (int a = 0; a <= n; a++)
				for (int b = 0; a + b <= n; b++)
					if (T[a][b] <= T[ic][ii] * (1 + 1e-12L))
						want += F[a][b];
			assert_rel(kw_collusion_m4(&p, ic, ii, work), (double)want, 1e-12, "M4",
			           ic * 10 + ii);
		}
	free(work);
}

/* ---- Prescreen and bitsets ------------------------------------------------------------- */

/* The block prescreen gives per-pair ω exactly (the same doubles), on every code path, with
 * omits on both sides and a room size that is not a multiple of the lanes. */
static void batch_equals_pair_omega(void **state)
{
	(void)state;
	enum { n = 150, K = 5, R = 37 };
	struct kw_nrm_item it[n];
	uint64_t seed = 77;
	random_items(it, n, K, &seed);
	uint8_t key[n], X[R][n];
	static double P[R][n * K];
	for (int i = 0; i < n; i++)
		key[i] = 0;
	for (int c = 0; c < R; c++) {
		double th = 4 * rng_unif(&seed) - 2;
		for (int i = 0; i < n; i++) {
			kw_nrm_probs(&it[i], th, P[c] + i * K);
			double u = rng_unif(&seed);
			X[c][i] = u < .03 ? KW_COLLUSION_OMIT : (uint8_t)(rng_next(&seed) % K);
		}
	}
	for (int i = 0; i < n; i += 2) /* a copier */
		X[5][i] = X[6][i];
	struct kw_collusion_block b;
	assert_int_equal(kw_collusion_block_init(&b, n, K, R), 0);
	for (int c = 0; c < R; c++)
		kw_collusion_block_set(&b, (size_t)c, key, X[c], P[c]);
	const char *paths[] = {"scalar", "avx2", "avx512"};
	int ran = 0;
	for (int t = 0; t < 3; t++)
		for (int s = 0; s < R; s++) {
			uint16_t h[R];
			double e[R], v[R], z[R];
			if (kw__collusion_omega_batch_path(paths[t], &b, R, X[s], h, e, v, z) != 0)
				break;
			ran++;
			for (int c = 0; c < R; c++) {
				struct kw_collusion_pair p = {n, K, key, X[c], X[s], P[c], P[s]};
				struct kw_collusion_omega o;
				kw_collusion_omega(&p, 0, &o);
				assert_int_equal(h[c], o.h);
				assert_true(e[c] == o.expected);
				assert_true(sqrt(v[c]) == o.sd);
				assert_true(z[c] == o.z);
			}
		}
	assert_true(ran >= R); /* the scalar path at least */
	double z[R];
	kw_collusion_omega_batch(&b, R, X[6], NULL, NULL, NULL, z);
	assert_true(z[5] > 5); /* the copier */
	assert_int_equal(kw__collusion_omega_batch_path("sse9", &b, R, X[6], NULL, NULL, NULL, z),
	                 -1);
	kw_collusion_block_release(&b);
}

static void bitset_equals_naive(void **state)
{
	(void)state;
	uint64_t seed = 8;
	int shapes[][2] = {{150, 4}, {150, 5}, {40, 4}, {1, 2}, {333, 8}};
	for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
		int n = shapes[t][0], K = shapes[t][1], N = 50;
		size_t words = kw_collusion_wrongset_words((size_t)n, K);
		uint8_t *key = malloc((size_t)n), *X = malloc((size_t)N * n);
		uint64_t *bits = calloc((size_t)N * words, sizeof *bits);
		assert_true(key && X && bits);
		for (int i = 0; i < n; i++)
			key[i] = (uint8_t)(rng_next(&seed) % K);
		for (int e = 0; e < N; e++) {
			for (int i = 0; i < n; i++) {
				uint64_t u = rng_next(&seed) % 20;
				X[e * n + i] = u == 0  ? KW_COLLUSION_OMIT
				               : u < 8 ? key[i]
				                       : (uint8_t)(u % K);
			}
			if (e % 5 == 1) /* near copies */
				for (int i = 0; i < n; i++)
					if (rng_next(&seed) % 4)
						X[e * n + i] = X[(e - 1) * n + i];
			kw_collusion_wrongset(X + e * n, key, (size_t)n, K, bits + e * words);
		}
		for (int s = 0; s < N; s++) {
			uint16_t out[2][50];
			assert_int_equal(
			        kw__collusion_ident_wrong_batch_path("generic", bits + s * words,
			                                             bits, N, words, out[0]),
			        0);
			int pc = kw__collusion_ident_wrong_batch_path("popcnt", bits + s * words,
			                                              bits, N, words, out[1]);
			for (int c = 0; c < N; c++) {
				int want = 0;
				for (int i = 0; i < n; i++)
					want += X[s * n + i] != KW_COLLUSION_OMIT &&
					        X[s * n + i] != key[i] &&
					        X[c * n + i] == X[s * n + i];
				assert_int_equal(out[0][c], want);
				if (pc == 0)
					assert_int_equal(out[1][c], want);
				assert_int_equal(kw_collusion_ident_wrong(bits + s * words,
				                                          bits + c * words, words),
				                 want);
			}
		}
		free(key);
		free(X);
		free(bits);
	}
}

/* Counts and item flags on a hand-made pair. */
static void counts_and_runs(void **state)
{
	(void)state;
	enum { n = 10 };
	const uint8_t O = KW_COLLUSION_OMIT;
	uint8_t key[n] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	uint8_t xc[n] = {0, 1, 1, 2, 0, O, 3, 3, 1, 0};
	uint8_t xs[n] = {0, 1, 1, 2, 1, O, 3, 3, 1, 2};
	struct kw_collusion_pair p = {.n = n, .ncat = 4, .key = key, .xc = xc, .xs = xs};
	struct kw_collusion_counts c;
	kw_collusion_count(&p, &c);
	assert_int_equal(c.match, 7); /* the common omit is not a match */
	assert_int_equal(c.ident_correct, 1);
	assert_int_equal(c.ident_wrong, 6);
	assert_int_equal(c.run, 4);
	assert_int_equal(c.run_wrong, 3);
	assert_int_equal(c.score_c, 3);
	assert_int_equal(c.score_s, 1);
	assert_int_equal(c.wrong_c, 6);
	assert_int_equal(c.wrong_s, 8);
	assert_int_equal(c.omit_c, 1);
	uint8_t fl[n];
	kw_collusion_items(&p, fl);
	assert_int_equal(fl[0], KW_COLLUSION_ITEM_MATCH | KW_COLLUSION_ITEM_IDENT_CORRECT |
	                                KW_COLLUSION_ITEM_C_CORRECT | KW_COLLUSION_ITEM_S_CORRECT);
	assert_int_equal(fl[1], KW_COLLUSION_ITEM_MATCH | KW_COLLUSION_ITEM_IDENT_WRONG);
	assert_int_equal(fl[4], KW_COLLUSION_ITEM_C_CORRECT);
	assert_int_equal(fl[5], KW_COLLUSION_ITEM_C_OMIT | KW_COLLUSION_ITEM_S_OMIT);
	uint64_t a[1], b[1];
	kw_collusion_wrongset(xc, key, n, 4, a);
	kw_collusion_wrongset(xs, key, n, 4, b);
	assert_int_equal(kw_collusion_ident_wrong(a, b, 1), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(grd6_matches_copydetect),
	        cmocka_unit_test(kfamily_table_equals_every_sheet),
	        cmocka_unit_test(omits_only_sheets),
	        cmocka_unit_test(item_nobody_correct),
	        cmocka_unit_test(exact_tail_tiny_p),
	        cmocka_unit_test(m4_equals_enumeration),
	        cmocka_unit_test(batch_equals_pair_omega),
	        cmocka_unit_test(bitset_equals_naive),
	        cmocka_unit_test(counts_and_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
