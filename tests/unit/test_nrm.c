/*
 * The nominal response model's fit and abilities (core/nrm_fit.h; issue 11 item 1, SPEC GRD-6:
 * the similar-answer method's model): MAP abilities against CopyDetect's, parameter recovery
 * on simulated data, the fit against CopyDetect's on the shared 500 × 40 data, reproducibility
 * (seed, threads), and the refusals and odd data the issue lists.
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

#include "../common/testpdf.h"
#include "core/nrm_fit.h"
#include "util/csvtab.h"

#define SMALL_N 500
#define SMALL_M 40

/* ---- the shared data (tests/data/nrm-small, copied from CopyDetect's run) ---------------- */

static struct kw_csvtab *read_csv(const char *rel)
{
	size_t n;
	char *text = (char *)kw_test_data_file(rel, &n);
	struct kw_csvtab *t = NULL;
	assert_int_equal(kw_csvtab_parse(text, n, 100000, &t, NULL), 0);
	free(text);
	return t;
}

/* The 500 × 40 answers (option k → category k-1), and the key. */
static void small_data(uint8_t *resp, uint8_t *key)
{
	struct kw_csvtab *t = read_csv("nrm-small/small_responses.csv");
	assert_int_equal(t->nrows, SMALL_N);
	assert_int_equal(t->ncols, 2 + SMALL_M);
	for (size_t s = 0; s < SMALL_N; s++)
		for (size_t i = 0; i < SMALL_M; i++) {
			int v = atoi(t->rows[s].cells[2 + i]);
			assert_true(v >= 1 && v <= 4);
			resp[s * SMALL_M + i] = (uint8_t)(v - 1);
		}
	kw_csvtab_free(t);
	t = read_csv("nrm-small/small_key.csv");
	assert_int_equal(t->nrows, SMALL_M);
	for (size_t i = 0; i < SMALL_M; i++)
		key[i] = (uint8_t)(atoi(t->rows[i].cells[1]) - 1);
	kw_csvtab_free(t);
}

/* An item parameter file: item,a1..a4,c1..c4. */
static void read_items(const char *rel, struct kw_nrm_item *it)
{
	struct kw_csvtab *t = read_csv(rel);
	assert_int_equal(t->nrows, SMALL_M);
	for (size_t i = 0; i < SMALL_M; i++) {
		it[i].ncat = 4;
		for (int k = 0; k < 4; k++) {
			it[i].a[k] = strtod(t->rows[i].cells[1 + k], NULL);
			it[i].c[k] = strtod(t->rows[i].cells[5 + k], NULL);
		}
	}
	kw_csvtab_free(t);
}

/* d/dθ of the log-posterior (prior N(0, var)) at th, computed here from kw_nrm_probs. */
static double map_gradient(const struct kw_nrm_item *it, size_t m, const uint8_t *row, double th,
                           double var)
{
	double g = -th / var, p[KW_NRM_MAX_CATS];
	for (size_t i = 0; i < m; i++) {
		if (row[i] == KW_NRM_OMIT)
			continue;
		kw_nrm_probs(&it[i], th, p);
		double mean = 0;
		for (int k = 0; k < it[i].ncat; k++)
			mean += p[k] * it[i].a[k];
		g += it[i].a[row[i]] - mean;
	}
	return g;
}

static double corr(const double *x, const double *y, size_t n)
{
	double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	return sxy / sqrt(sxx * syy);
}

/* 1. GRD-6: MAP θ with CopyDetect's item parameters and its prior N(0, 10) gives CopyDetect's
 * abilities. CopyDetect's optimiser stops where the gradient is still up to 1.6e-5 (measured
 * here), which is up to 5.7e-6 in θ; ours stops at |Δθ| < 1e-12, so the test asks for 1e-5
 * against CopyDetect and a gradient below 1e-9 at ours, and the tabulated path within 1e-9
 * of the exact one. */
static void grd6_map_matches_copydetect(void **state)
{
	(void)state;
	uint8_t *resp = malloc(SMALL_N * SMALL_M), key[SMALL_M];
	struct kw_nrm_item it[SMALL_M];
	small_data(resp, key);
	read_items("nrm-small/copydetect_small_nrm_itempar.csv", it);
	struct kw_csvtab *t = read_csv("nrm-small/copydetect_small_theta_map.csv");
	assert_int_equal(t->nrows, SMALL_N);
	double map[SMALL_N], exact[SMALL_N];
	uint8_t flags[SMALL_N];
	struct kw_nrm_abil_opts o = {.map_prior_var = 10};
	assert_int_equal(
	        kw_nrm_abilities(it, SMALL_M, resp, SMALL_N, &o, map, NULL, NULL, flags, NULL), 0);
	o.exact = 1;
	assert_int_equal(
	        kw_nrm_abilities(it, SMALL_M, resp, SMALL_N, &o, exact, NULL, NULL, NULL, NULL), 0);
	double worst = 0, worst_tab = 0, worst_g = 0;
	for (size_t s = 0; s < SMALL_N; s++) {
		double cd = strtod(t->rows[s].cells[1], NULL);
		worst = fmax(worst, fabs(exact[s] - cd));
		worst_tab = fmax(worst_tab, fabs(map[s] - exact[s]));
		worst_g = fmax(worst_g,
		               fabs(map_gradient(it, SMALL_M, resp + s * SMALL_M, exact[s], 10)));
		assert_int_equal(flags[s], 0);
	}
	printf("MAP vs CopyDetect: largest |dtheta| %.3g; tabulated vs exact %.3g; largest "
	       "gradient at ours %.3g\n",
	       worst, worst_tab, worst_g);
	assert_true(worst < 1e-5);
	assert_true(worst_tab < 1e-9);
	assert_true(worst_g < 1e-9);
	kw_csvtab_free(t);
	free(resp);
}

/* Items as the reference generator (gen_collusion.py) draws them, from a seed. */
static void gen_items(struct kw_nrm_item *it, uint8_t *key, size_t m, uint64_t seed)
{
	uint64_t k = 0;
	for (size_t i = 0; i < m; i++) {
		it[i].ncat = 4;
		double u = 0.5 * (1 + erf(kw_nrm_normal(seed, k++) / sqrt(2))); /* U(0, 1) */
		key[i] = (uint8_t)(u * 4 < 4 ? u * 4 : 3);
		double ma = 0, mc = 0;
		for (int j = 0; j < 4; j++) {
			double z = kw_nrm_normal(seed, k++);
			double v = 0.5 * (1 + erf(kw_nrm_normal(seed, k++) / sqrt(2)));
			it[i].a[j] = j == key[i] ? 0.8 + v : -v;
			it[i].c[j] = j == key[i] ? 0.6 + 0.8 * z : 0.6 * z;
			ma += it[i].a[j] / 4;
			mc += it[i].c[j] / 4;
		}
		for (int j = 0; j < 4; j++) {
			it[i].a[j] -= ma;
			it[i].c[j] -= mc;
		}
	}
}

static double marginal_ll(const struct kw_nrm_item *it, size_t m, const uint8_t *resp, size_t n);

/* 2. Parameter recovery: 5,000 × 40 simulated from known parameters, fitted; slopes and
 * intercepts close to the truth, abilities correlated with the true θ. */
static void recovery(void **state)
{
	(void)state;
	enum { N = 5000, M = 40 };
	struct kw_nrm_item truth[M], fit[M];
	uint8_t key[M], ncat[M];
	gen_items(truth, key, M, 101);
	double *theta = malloc(N * sizeof *theta);
	for (size_t s = 0; s < N; s++)
		theta[s] = kw_nrm_normal(202, s);
	uint8_t *resp = malloc((size_t)N * M);
	kw_nrm_simulate(truth, M, theta, 0, N, 303, 0.02, resp);
	memset(ncat, 4, M);
	struct kw_nrm_fit_opts o = {.seed = 1, .threads = 2, .key = key};
	struct kw_nrm_fit_result r;
	uint8_t pinned[M];
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, fit, pinned, &r, NULL), 0);
	assert_true(r.converged);
	assert_int_equal(r.sample_n, N);
	assert_int_equal(r.answered_n, N);
	assert_int_equal(r.pinned_cats, 0);
	double sa = 0, sc = 0, ma = 0;
	for (size_t i = 0; i < M; i++)
		for (int k = 0; k < 4; k++) {
			double da = fit[i].a[k] - truth[i].a[k], dc = fit[i].c[k] - truth[i].c[k];
			sa += da * da;
			sc += dc * dc;
			ma = fmax(ma, fabs(da));
		}
	sa = sqrt(sa / (4 * M));
	sc = sqrt(sc / (4 * M));
	double *map = malloc(N * sizeof *map), *eap = malloc(N * sizeof *eap);
	double *sd = malloc(N * sizeof *sd);
	assert_int_equal(kw_nrm_abilities(fit, M, resp, N, NULL, map, eap, sd, NULL, NULL), 0);
	double rm = corr(map, theta, N), re = corr(eap, theta, N), msd = 0;
	for (size_t s = 0; s < N; s++)
		msd += sd[s] / N;
	printf("recovery 5000 x 40: %d EM cycles, loglik %.3f, RMSE slopes %.4f (largest %.4f), "
	       "intercepts %.4f; r(MAP, theta) %.4f, r(EAP, theta) %.4f, mean posterior SD %.3f\n",
	       r.cycles, r.loglik, sa, ma, sc, rm, re, msd);
	assert_true(sa < 0.06);
	assert_true(sc < 0.06);
	assert_true(rm > 0.9);
	assert_true(re > 0.9);
	/* the posterior SD is about what the correlation says: r² ≈ 1 - SD² */
	assert_true(fabs(msd * msd - (1 - re * re)) < 0.05);
	/* the reported log-likelihood is the sample's at the final parameters, omits skipped */
	assert_true(fabs(marginal_ll(fit, M, resp, N) - r.loglik) < 1e-6);
	free(theta);
	free(resp);
	free(map);
	free(eap);
	free(sd);
}

/* The marginal log-likelihood of n sheets (61 points on [-6, 6], N(0, 1); omits skipped),
 * computed here independently of the library's E-step. */
static double marginal_ll(const struct kw_nrm_item *it, size_t m, const uint8_t *resp, size_t n)
{
	double w[61], ws = 0, ll = 0, p[KW_NRM_MAX_CATS];
	for (int q = 0; q < 61; q++) {
		double th = -6 + 0.2 * q;
		w[q] = exp(-th * th / 2);
		ws += w[q];
	}
	for (size_t s = 0; s < n; s++) {
		double lq[61], mx = -INFINITY, tot = 0;
		for (int q = 0; q < 61; q++) {
			lq[q] = log(w[q] / ws);
			for (size_t i = 0; i < m; i++) {
				if (resp[s * m + i] == KW_NRM_OMIT)
					continue;
				kw_nrm_probs(&it[i], -6 + 0.2 * q, p);
				lq[q] += log(p[resp[s * m + i]]);
			}
			mx = fmax(mx, lq[q]);
		}
		for (int q = 0; q < 61; q++)
			tot += exp(lq[q] - mx);
		ll += mx + log(tot);
	}
	return ll;
}

static double rmse_slopes(const struct kw_nrm_item *x, const struct kw_nrm_item *y)
{
	double s = 0;
	for (size_t i = 0; i < SMALL_M; i++)
		for (int k = 0; k < 4; k++)
			s += (x[i].a[k] - y[i].a[k]) * (x[i].a[k] - y[i].a[k]);
	return sqrt(s / (4 * SMALL_M));
}

/* 3. GRD-6: the fit on the shared 500 × 40 data against CopyDetect's (mirt's) parameters,
 * compared where they matter: the category probabilities at θ in [-2, 2]. The two fits share
 * the method (MML-EM, 61 points on [-6, 6], N(0, 1)) but not the optimiser, the stopping rule
 * or our slopes' ridge, so the bounds are loose; the figures are printed. CopyDetect's item
 * i039 is not at the likelihood's maximum (tests/data/nrm-small/README.md): the test shows
 * that putting ours in its place raises the likelihood, and leaves it out of the closeness
 * bound. Against the generating parameters ours are at least as close as CopyDetect's. */
static void grd6_fit_agrees_with_copydetect(void **state)
{
	(void)state;
	enum { I039 = 38, PTS = 41 };
	uint8_t *resp = malloc(SMALL_N * SMALL_M), key[SMALL_M], ncat[SMALL_M];
	struct kw_nrm_item cd[SMALL_M], fit[SMALL_M], truth[SMALL_M], mixed[SMALL_M];
	small_data(resp, key);
	read_items("nrm-small/copydetect_small_nrm_itempar.csv", cd);
	read_items("nrm-small/small_truth_items.csv", truth);
	memset(ncat, 4, SMALL_M);
	double *x = malloc(SMALL_M * PTS * 4 * sizeof *x),
	       *y = malloc(SMALL_M * PTS * 4 * sizeof *y);
	for (int ridge = 1; ridge >= 0; ridge--) {
		struct kw_nrm_fit_opts o = {.key = key, .slope_prior_sd = ridge ? 0 : INFINITY};
		struct kw_nrm_fit_result r;
		assert_int_equal(kw_nrm_fit(resp, SMALL_N, SMALL_M, ncat, &o, fit, NULL, &r, NULL),
		                 0);
		assert_true(r.converged);
		size_t n = 0;
		double worst = 0, pa[4], pb[4];
		for (size_t i = 0; i < SMALL_M; i++)
			for (int q = 0; q < PTS; q++) {
				double th = -2 + 4.0 * q / (PTS - 1);
				kw_nrm_probs(&fit[i], th, pa);
				kw_nrm_probs(&cd[i], th, pb);
				for (int k = 0; k < 4; k++) {
					x[n] = pa[k];
					y[n++] = pb[k];
					if (i != I039)
						worst = fmax(worst, fabs(pa[k] - pb[k]));
				}
			}
		double rr = corr(x, y, n);
		double ours = rmse_slopes(fit, truth), theirs = rmse_slopes(cd, truth);
		printf("fit vs CopyDetect on 500 x 40 (%s): %d EM cycles, loglik %.4f; "
		       "r(probabilities at theta in [-2,2]) %.6f, largest |dP| without i039 %.4f; "
		       "RMSE of slopes against the generating ones: ours %.4f, CopyDetect's %.4f\n",
		       ridge ? "slope ridge N(0,9)" : "no ridge", r.cycles, r.loglik, rr, worst,
		       ours, theirs);
		assert_true(rr > 0.99);
		assert_true(worst < 0.06);
		assert_true(ours <= theirs);
		if (!ridge) {
			/* the library's log-likelihood is the one computed here */
			assert_true(fabs(marginal_ll(fit, SMALL_M, resp, SMALL_N) - r.loglik) <
			            1e-6);
		}
	}
	double ll_cd = marginal_ll(cd, SMALL_M, resp, SMALL_N);
	memcpy(mixed, cd, sizeof mixed);
	mixed[I039] = fit[I039];
	double ll_mixed = marginal_ll(mixed, SMALL_M, resp, SMALL_N);
	printf("log-likelihood with CopyDetect's parameters %.4f; with our i039 in their place "
	       "%.4f; i039 key slope: ours %.3f, CopyDetect's %.3f, generating %.3f\n",
	       ll_cd, ll_mixed, fit[I039].a[key[I039]], cd[I039].a[key[I039]],
	       truth[I039].a[key[I039]]);
	assert_true(ll_mixed > ll_cd + 10);
	assert_true(fabs(fit[I039].a[key[I039]] - truth[I039].a[key[I039]]) <
	            fabs(cd[I039].a[key[I039]] - truth[I039].a[key[I039]]));
	free(x);
	free(y);
	free(resp);
}

/* 4. Reproducibility: the same seed gives the same bytes; 1, 2 and 3 threads give the same
 * bytes; another seed draws another sample (so the seed matters). */
static void same_seed_same_bytes(void **state)
{
	(void)state;
	enum { N = 3000, M = 30 };
	struct kw_nrm_item truth[M], f1[M], f2[M], f3[M], f4[M];
	uint8_t key[M], ncat[M];
	gen_items(truth, key, M, 7);
	double *theta = malloc(N * sizeof *theta);
	for (size_t s = 0; s < N; s++)
		theta[s] = kw_nrm_normal(8, s);
	uint8_t *resp = malloc((size_t)N * M), *part = malloc((size_t)N * M);
	kw_nrm_simulate(truth, M, theta, 0, N, 9, 0.05, resp);
	/* a part of the data made alone is the same bytes */
	kw_nrm_simulate(truth, M, theta + 1000, 1000, 500, 9, 0.05, part);
	assert_memory_equal(part, resp + 1000 * M, 500 * M);
	memset(ncat, 4, M);
	struct kw_nrm_fit_opts o = {.sample = 2000, .seed = 42, .threads = 1, .key = key};
	struct kw_nrm_fit_result r1, r2, r3, r4;
	memset(f1, 0xA5, sizeof f1);
	memset(f2, 0x5A, sizeof f2);
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, f1, NULL, &r1, NULL), 0);
	o.threads = 3;
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, f2, NULL, &r2, NULL), 0);
	o.threads = 2;
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, f3, NULL, &r3, NULL), 0);
	assert_memory_equal(f1, f2, sizeof f1);
	assert_memory_equal(f1, f3, sizeof f1);
	assert_int_equal(r1.seed, 42);
	assert_int_equal(r1.sample_n, 2000);
	assert_int_equal(r1.cycles, r2.cycles);
	assert_memory_equal(&r1.loglik, &r2.loglik, sizeof r1.loglik);
	o.seed = 43;
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, f4, NULL, &r4, NULL), 0);
	assert_memory_not_equal(f1, f4, sizeof f1);

	/* the sample: sorted, distinct, the requested size, a function of the seed */
	size_t a[N], b[N];
	assert_int_equal(kw_nrm_sample(N, 2000, 42, a), 2000);
	assert_int_equal(kw_nrm_sample(N, 2000, 42, b), 2000);
	assert_memory_equal(a, b, 2000 * sizeof *a);
	for (size_t j = 1; j < 2000; j++)
		assert_true(a[j] > a[j - 1]);
	assert_true(a[1999] < N);
	assert_int_equal(kw_nrm_sample(N, 2000, 43, b), 2000);
	assert_memory_not_equal(a, b, 2000 * sizeof *a);
	assert_int_equal(kw_nrm_sample(N, 0, 1, b), N);

	/* abilities: the same with any thread count */
	double *m1 = malloc(N * sizeof *m1), *m2 = malloc(N * sizeof *m2);
	double *e1 = malloc(N * sizeof *e1), *e2 = malloc(N * sizeof *e2);
	struct kw_nrm_abil_opts ao = {.threads = 1};
	assert_int_equal(kw_nrm_abilities(f1, M, resp, N, &ao, m1, e1, NULL, NULL, NULL), 0);
	ao.threads = 4;
	assert_int_equal(kw_nrm_abilities(f1, M, resp, N, &ao, m2, e2, NULL, NULL, NULL), 0);
	assert_memory_equal(m1, m2, N * sizeof *m1);
	assert_memory_equal(e1, e2, N * sizeof *e1);
	free(theta);
	free(resp);
	free(part);
	free(m1);
	free(m2);
	free(e1);
	free(e2);
}

static void expect_code(int rc, struct kw_err *err, const char *code)
{
	assert_int_equal(rc, KW_EINVAL);
	assert_non_null(err->code);
	assert_string_equal(err->code, code);
}

/* 5. Refusals: too few candidates to calibrate (a refusal, not a wild estimate); sheets with
 * omits only do not count, and get the prior's mode and mean, flagged. */
static void refusals_and_omits_only(void **state)
{
	(void)state;
	enum { N = 600, M = 20 };
	struct kw_nrm_item truth[M], fit[M];
	uint8_t key[M], ncat[M];
	gen_items(truth, key, M, 11);
	double theta[N];
	for (size_t s = 0; s < N; s++)
		theta[s] = kw_nrm_normal(12, s);
	uint8_t *resp = malloc((size_t)N * M);
	kw_nrm_simulate(truth, M, theta, 0, N, 13, 0, resp);
	memset(ncat, 4, M);
	struct kw_err err = KW_ERR_INIT;
	struct kw_nrm_fit_opts o = {.key = key};
	struct kw_nrm_fit_result r;

	/* 199 sheets: refused, saying how many and how many are needed */
	expect_code(kw_nrm_fit(resp, 199, M, ncat, &o, fit, NULL, &r, &err), &err,
	            "NRM_TOO_FEW_CANDIDATES");
	assert_int_equal(json_integer_value(json_object_get(err.details, "have")), 199);
	assert_int_equal(json_integer_value(json_object_get(err.details, "need")),
	                 KW_NRM_MIN_CANDIDATES);
	/* 200: enough */
	assert_int_equal(kw_nrm_fit(resp, 200, M, ncat, &o, fit, NULL, &r, NULL), 0);
	/* a sample smaller than the minimum out of many sheets: refused too */
	o.sample = 150;
	expect_code(kw_nrm_fit(resp, N, M, ncat, &o, fit, NULL, &r, &err), &err,
	            "NRM_TOO_FEW_CANDIDATES");
	o.sample = 0;
	/* no sheets at all */
	expect_code(kw_nrm_fit(resp, 0, M, ncat, &o, fit, NULL, &r, &err), &err,
	            "NRM_TOO_FEW_CANDIDATES");

	/* 450 of 600 sheets omits only: 150 with answers, refused; the omits-only ones do not
	 * count towards the minimum */
	for (size_t s = 150; s < N; s++)
		memset(resp + s * M, KW_NRM_OMIT, M);
	expect_code(kw_nrm_fit(resp, N, M, ncat, &o, fit, NULL, &r, &err), &err,
	            "NRM_TOO_FEW_CANDIDATES");
	assert_int_equal(json_integer_value(json_object_get(err.details, "have")), 150);
	assert_int_equal(r.sample_n, N);
	assert_int_equal(r.answered_n, 150);
	/* 300 with answers and 300 omits only: fitted on the 300 */
	kw_nrm_simulate(truth, M, theta, 0, 300, 13, 0, resp);
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, fit, NULL, &r, NULL), 0);
	assert_int_equal(r.answered_n, 300);
	assert_true(r.converged);

	/* abilities of the omits-only sheets: 0 (the mode and mean of the priors), the prior's
	 * SD on the grid, flagged; the others not flagged */
	double map[N], eap[N], sd[N];
	uint8_t flags[N];
	assert_int_equal(kw_nrm_abilities(fit, M, resp, N, NULL, map, eap, sd, flags, NULL), 0);
	for (size_t s = 0; s < N; s++) {
		if (s < 300) {
			assert_int_equal(flags[s], 0);
			assert_true(sd[s] < 0.9);
			continue;
		}
		assert_int_equal(flags[s], KW_NRM_ABIL_NO_ANSWERS);
		assert_true(map[s] == 0);
		assert_true(fabs(eap[s]) < 1e-12);
		assert_true(fabs(sd[s] - 1) < 1e-6);
	}

	/* bad data: an answer that is not an option; a bad ncat */
	resp[5 * M + 3] = 4;
	expect_code(kw_nrm_fit(resp, N, M, ncat, &o, fit, NULL, &r, &err), &err,
	            "NRM_RESPONSE_INVALID");
	assert_int_equal(json_integer_value(json_object_get(err.details, "sheet")), 5);
	assert_int_equal(json_integer_value(json_object_get(err.details, "item")), 3);
	expect_code(kw_nrm_abilities(fit, M, resp, N, NULL, map, NULL, NULL, NULL, &err), &err,
	            "NRM_RESPONSE_INVALID");
	assert_int_equal(json_integer_value(json_object_get(err.details, "sheet")), 5);
	resp[5 * M + 3] = 0;
	ncat[7] = 1;
	expect_code(kw_nrm_fit(resp, N, M, ncat, &o, fit, NULL, &r, &err), &err,
	            "NRM_INPUT_INVALID");
	kw_err_release(&err);
	free(resp);
}

/* An item nobody answered correctly (the bad input): the item is kept, its key is
 * pinned with P ≤ 1 / (2 n) at every θ, the other items are fitted as before, and nothing is
 * infinite. Also an item everyone answered the same way: no information, equal slopes. */
static void item_nobody_correct(void **state)
{
	(void)state;
	enum { N = 2000, M = 25 };
	struct kw_nrm_item truth[M], fit[M], base[M];
	uint8_t key[M], ncat[M], pinned[M];
	gen_items(truth, key, M, 21);
	double *theta = malloc(N * sizeof *theta);
	for (size_t s = 0; s < N; s++)
		theta[s] = kw_nrm_normal(22, s);
	uint8_t *resp = malloc((size_t)N * M);
	kw_nrm_simulate(truth, M, theta, 0, N, 23, 0.01, resp);
	memset(ncat, 4, M);
	struct kw_nrm_fit_opts o = {.key = key, .threads = 2};
	struct kw_nrm_fit_result r;
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, base, pinned, &r, NULL), 0);
	assert_int_equal(r.pinned_cats, 0);
	/* item 0: every key answer becomes the next option; item 1: everyone answers 2 */
	size_t n0 = 0;
	for (size_t s = 0; s < N; s++) {
		uint8_t *x = &resp[s * M];
		if (x[0] == key[0])
			x[0] = (uint8_t)((key[0] + 1) % 4);
		n0 += x[0] != KW_NRM_OMIT;
		x[1] = 2;
	}
	assert_int_equal(kw_nrm_fit(resp, N, M, ncat, &o, fit, pinned, &r, NULL), 0);
	assert_true(r.converged);
	assert_int_equal(pinned[0], 1u << key[0]);
	assert_int_equal(pinned[1], 0x0B); /* options 0, 1, 3 */
	assert_int_equal(r.pinned_cats, 4);
	for (size_t i = 2; i < M; i++)
		assert_int_equal(pinned[i], 0);
	double p[4];
	for (double th = -6; th <= 6; th += 0.25) {
		kw_nrm_probs(&fit[0], th, p);
		assert_true(p[key[0]] <= 1.0 / (2.0 * (double)n0) * (1 + 1e-9));
		assert_true(p[key[0]] > 0);
		kw_nrm_probs(&fit[1], th, p);
		assert_true(p[2] > 1 - 3.0 / (2.0 * N) - 1e-9);
	}
	for (int k = 0; k < 4; k++) {
		assert_true(isfinite(fit[0].a[k]) && isfinite(fit[0].c[k]));
		assert_true(fabs(fit[1].a[k]) < 1e-12); /* no information about θ */
	}
	/* the other items hardly move */
	double worst = 0;
	for (size_t i = 2; i < M; i++)
		for (int k = 0; k < 4; k++)
			worst = fmax(worst, fabs(fit[i].a[k] - base[i].a[k]));
	printf("nobody correct on item 0: largest slope change on the other items %.4f\n", worst);
	assert_true(worst < 0.15);
	/* abilities still finite for everyone */
	double *map = malloc(N * sizeof *map);
	assert_int_equal(kw_nrm_abilities(fit, M, resp, N, NULL, map, NULL, NULL, NULL, NULL), 0);
	for (size_t s = 0; s < N; s++)
		assert_true(isfinite(map[s]));
	free(map);
	free(theta);
	free(resp);
}

/* MAP: omitted items contribute nothing — a sheet with omits has the MAP of the same sheet
 * on the answered items alone; the tabulated path agrees with the exact one there too, and
 * beyond the table's range (extreme sheets). */
static void map_omits_are_missing(void **state)
{
	(void)state;
	enum { N = 400, M = 60 };
	struct kw_nrm_item it[M];
	uint8_t key[M];
	gen_items(it, key, M, 31);
	double theta[N];
	for (size_t s = 0; s < N; s++)
		theta[s] = 3 * kw_nrm_normal(32, s);
	uint8_t *resp = malloc((size_t)N * M);
	kw_nrm_simulate(it, M, theta, 0, N, 33, 0.3, resp);
	/* two extreme sheets: all keys, and all the lowest-slope options */
	for (size_t i = 0; i < M; i++) {
		int lo = 0;
		for (int k = 1; k < 4; k++)
			if (it[i].a[k] < it[i].a[lo])
				lo = k;
		resp[i] = key[i];
		resp[M + i] = (uint8_t)lo;
	}
	double map[N], exact[N];
	struct kw_nrm_abil_opts o = {.map_prior_var = 10};
	assert_int_equal(kw_nrm_abilities(it, M, resp, N, &o, map, NULL, NULL, NULL, NULL), 0);
	o.exact = 1;
	assert_int_equal(kw_nrm_abilities(it, M, resp, N, &o, exact, NULL, NULL, NULL, NULL), 0);
	double worst = 0;
	for (size_t s = 0; s < N; s++) {
		worst = fmax(worst, fabs(map[s] - exact[s]));
		assert_true(fabs(map_gradient(it, M, resp + s * M, map[s], 10)) < 1e-8);
	}
	assert_true(worst < 1e-9);
	assert_true(map[0] > 3 && map[1] < -3);
	/* sheet 2 against its answered items alone */
	struct kw_nrm_item sub[M];
	uint8_t row[M];
	size_t n = 0;
	for (size_t i = 0; i < M; i++)
		if (resp[2 * M + i] != KW_NRM_OMIT) {
			sub[n] = it[i];
			row[n++] = resp[2 * M + i];
		}
	assert_true(n < M);
	double alone;
	o.exact = 0;
	assert_int_equal(kw_nrm_abilities(sub, n, row, 1, &o, &alone, NULL, NULL, NULL, NULL), 0);
	assert_true(fabs(alone - map[2]) < 1e-9);
	double eap[3], sd[3], eap_alone, sd_alone;
	assert_int_equal(kw_nrm_abilities(it, M, resp, 3, &o, NULL, eap, sd, NULL, NULL), 0);
	assert_int_equal(
	        kw_nrm_abilities(sub, n, row, 1, &o, NULL, &eap_alone, &sd_alone, NULL, NULL), 0);
	assert_true(fabs(eap_alone - eap[2]) < 1e-12);
	assert_true(fabs(sd_alone - sd[2]) < 1e-12);
	free(resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(grd6_map_matches_copydetect),
	        cmocka_unit_test(recovery),
	        cmocka_unit_test(grd6_fit_agrees_with_copydetect),
	        cmocka_unit_test(same_seed_same_bytes),
	        cmocka_unit_test(refusals_and_omits_only),
	        cmocka_unit_test(item_nobody_correct),
	        cmocka_unit_test(map_omits_are_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
