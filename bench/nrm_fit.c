/*
 * kw_bench_nrm: fitting the nominal response model and scoring abilities at national scale,
 * for bench/b_nrm_fit.sh (issue 11 item 1: 1,000,000 candidates × 150 items, calibration on a
 * 100,000 sample; aim: the fit ≤ 15 s, MAP for everyone ≤ 10 s on this 2-core machine).
 *
 *   kw_bench_nrm [--sheets N] [--items M] [--sample S] [--seed X] [--threads T]
 *                [--omit RATE] [--reps R] [--tight TOL]
 *
 * 1. Item parameters drawn as the reference generator (gen_collusion.py) draws them, 4
 *    options: the key's slope U(0.8, 1.8) and intercept N(0.6, 0.8), each distractor's slope
 *    U(-1, 0) and intercept N(0, 0.6), centred; abilities N(0, 1); answers drawn by
 *    kw_nrm_simulate, each item omitted with probability RATE (default 0.01). Not timed.
 * 2. kw_nrm_fit on a sample of S sheets (default 100,000) out of N (default 1,000,000), with
 *    T threads (default 2): seconds, EM cycles, convergence, log-likelihood, and the recovery
 *    (RMSE of slopes and intercepts against the generating ones). With --tight TOL, the fit
 *    again to that tolerance (not timed with the rest), and the largest difference of any
 *    parameter between the two: how far the default tolerance stops from the optimum.
 * 3. kw_nrm_abilities for all N sheets with the fitted parameters: MAP only (prior N(0, 10)),
 *    EAP only (61 points on [-6, 6], prior N(0, 1)), then both in one pass; seconds, sheets/s,
 *    and the correlation of each with the true θ. R passes of each (default 3): median, best.
 * The peak RSS is printed at the end (the answers are N × M bytes).
 */
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/nrm_fit.h"
#include "util/bigalloc.h"
#include "util/buf.h"

#define MAXREPS 16

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void loadavg(char *out, size_t n)
{
	FILE *f = fopen("/proc/loadavg", "r");
	out[0] = '\0';
	if (f) {
		if (fgets(out, (int)n, f))
			out[strcspn(out, "\n")] = '\0';
		fclose(f);
	}
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmpd);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
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

struct gen {
	const struct kw_nrm_item *items;
	size_t m;
	const double *theta;
	size_t from, to;
	uint64_t seed;
	double omit;
	uint8_t *resp;
};

/* A part of the sheets: the same bytes whichever thread makes it (kw_nrm_simulate). */
static void *gen_part(void *arg)
{
	struct gen *g = arg;
	kw_nrm_simulate(g->items, g->m, g->theta + g->from, g->from, g->to - g->from, g->seed,
	                g->omit, g->resp + g->from * g->m);
	return NULL;
}

/* splitmix64, for the item parameters */
static uint64_t next64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double unif(uint64_t *s)
{
	return (double)(next64(s) >> 11) * 0x1.0p-53;
}

int main(int argc, char **argv)
{
	size_t n = 1000000, m = 150, sample = 100000;
	uint64_t seed = 11;
	int threads = 2, reps = 3;
	double omit = 0.01, tight = 0;
	static const struct option lo[] = {{"sheets", required_argument, 0, 'n'},
	                                   {"items", required_argument, 0, 'm'},
	                                   {"sample", required_argument, 0, 's'},
	                                   {"seed", required_argument, 0, 'x'},
	                                   {"threads", required_argument, 0, 't'},
	                                   {"omit", required_argument, 0, 'o'},
	                                   {"reps", required_argument, 0, 'r'},
	                                   {"tight", required_argument, 0, 'T'},
	                                   {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = strtoull(optarg, NULL, 10);
			break;
		case 'm':
			m = strtoull(optarg, NULL, 10);
			break;
		case 's':
			sample = strtoull(optarg, NULL, 10);
			break;
		case 'x':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 'o':
			omit = atof(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'T':
			tight = atof(optarg);
			break;
		default:
			fprintf(stderr, "usage: kw_bench_nrm [--sheets N] [--items M] [--sample S] "
			                "[--seed X] [--threads T] [--omit RATE] [--reps R] "
			                "[--tight TOL]\n");
			return 2;
		}
	}
	if (reps < 1 || reps > MAXREPS || threads < 1 || threads > 8 || !m || !n) {
		fprintf(stderr, "kw_bench_nrm: bad arguments\n");
		return 2;
	}
	char la[128];
	loadavg(la, sizeof la);
	printf("kw_bench_nrm: %zu sheets x %zu items (4 options, omit rate %g), sample %zu, "
	       "seed %llu, %d threads; load average at start: %s\n",
	       n, m, omit, sample, (unsigned long long)seed, threads, la);

	/* 1. the model and the answers */
	struct kw_nrm_item *truth = kw_xcalloc(m, sizeof *truth);
	uint8_t *key = kw_xmalloc(m), *ncat = kw_xmalloc(m);
	uint64_t rs = seed ^ 0x5EEDull, k = 0;
	for (size_t i = 0; i < m; i++) {
		struct kw_nrm_item *it = &truth[i];
		it->ncat = 4;
		ncat[i] = 4;
		key[i] = (uint8_t)(next64(&rs) % 4);
		for (int j = 0; j < 4; j++) {
			double z = kw_nrm_normal(seed ^ 0x1234ull, k++), v = unif(&rs);
			if (j == key[i]) {
				it->a[j] = 0.8 + v;
				it->c[j] = 0.6 + 0.8 * z;
			} else {
				it->a[j] = -v;
				it->c[j] = 0.6 * z;
			}
		}
		double ma = 0, mc = 0;
		for (int j = 0; j < 4; j++) {
			ma += it->a[j] / 4;
			mc += it->c[j] / 4;
		}
		for (int j = 0; j < 4; j++) {
			it->a[j] -= ma;
			it->c[j] -= mc;
		}
	}
	double *theta = kw_xmalloc(n * sizeof *theta);
	for (size_t s = 0; s < n; s++)
		theta[s] = kw_nrm_normal(seed, s);
	uint8_t *resp = kw_xmalloc_big(n * m);
	double t0 = now();
	{
		struct gen g[8];
		pthread_t tid[8];
		for (int t = 0; t < threads; t++) {
			g[t] = (struct gen){truth,
			                    m,
			                    theta,
			                    n * (size_t)t / (size_t)threads,
			                    n * (size_t)(t + 1) / (size_t)threads,
			                    seed,
			                    omit,
			                    resp};
			pthread_create(&tid[t], NULL, gen_part, &g[t]);
		}
		for (int t = 0; t < threads; t++)
			pthread_join(tid[t], NULL);
	}
	printf("answers made in %.2f s (not part of the figures)\n", now() - t0);

	/* 2. the fit */
	struct kw_nrm_item *items = kw_xcalloc(m, sizeof *items);
	uint8_t *pinned = kw_xmalloc(m);
	struct kw_nrm_fit_opts fo = {
	        .sample = sample, .seed = seed, .threads = threads, .key = key};
	struct kw_nrm_fit_result fr;
	struct kw_err err = KW_ERR_INIT;
	t0 = now();
	int rc = kw_nrm_fit(resp, n, m, ncat, &fo, items, pinned, &fr, &err);
	double tfit = now() - t0;
	if (rc) {
		fprintf(stderr, "kw_nrm_fit: %s: %s\n", err.code, err.msg);
		return 1;
	}
	double sa = 0, sc = 0;
	for (size_t i = 0; i < m; i++)
		for (int j = 0; j < 4; j++) {
			sa += (items[i].a[j] - truth[i].a[j]) * (items[i].a[j] - truth[i].a[j]);
			sc += (items[i].c[j] - truth[i].c[j]) * (items[i].c[j] - truth[i].c[j]);
		}
	printf("fit: %.2f s; %zu sheets fitted of a sample of %zu (seed %llu); %d EM cycles, "
	       "converged %d (last change %.2e), log-likelihood %.4f; pinned categories %zu; "
	       "RMSE slopes %.4f, intercepts %.4f\n",
	       tfit, fr.answered_n, fr.sample_n, (unsigned long long)fr.seed, fr.cycles,
	       fr.converged, fr.max_change, fr.loglik, fr.pinned_cats, sqrt(sa / (double)(4 * m)),
	       sqrt(sc / (double)(4 * m)));

	/* how far the answer at the default tolerance is from a tightly converged one */
	if (tight > 0) {
		struct kw_nrm_item *it2 = kw_xcalloc(m, sizeof *it2);
		struct kw_nrm_fit_result fr2;
		fo.tol = tight;
		fo.max_cycles = 5000;
		t0 = now();
		rc = kw_nrm_fit(resp, n, m, ncat, &fo, it2, NULL, &fr2, &err);
		double t2 = now() - t0;
		if (rc) {
			fprintf(stderr, "kw_nrm_fit: %s: %s\n", err.code, err.msg);
			return 1;
		}
		double d = 0;
		for (size_t i = 0; i < m; i++)
			for (int j = 0; j < 4; j++)
				d = fmax(d, fmax(fabs(items[i].a[j] - it2[i].a[j]),
				                 fabs(items[i].c[j] - it2[i].c[j])));
		printf("fit to tol %g: %.2f s, %d EM cycles, converged %d, log-likelihood %.4f; "
		       "largest parameter difference from the default fit %.2e\n",
		       tight, t2, fr2.cycles, fr2.converged, fr2.loglik, d);
		free(it2);
	}

	/* 3. abilities */
	double *map = kw_xmalloc(n * sizeof *map), *eap = kw_xmalloc(n * sizeof *eap);
	double *sd = kw_xmalloc(n * sizeof *sd);
	uint8_t *flags = kw_xmalloc(n);
	struct kw_nrm_abil_opts ao = {.threads = threads};
	const char *what[3] = {"MAP", "EAP+SD", "MAP+EAP+SD"};
	for (int w = 0; w < 3; w++) {
		double tt[MAXREPS];
		for (int r = 0; r < reps; r++) {
			t0 = now();
			rc = kw_nrm_abilities(items, m, resp, n, &ao, w != 1 ? map : NULL,
			                      w ? eap : NULL, w ? sd : NULL, flags, &err);
			tt[r] = now() - t0;
			if (rc) {
				fprintf(stderr, "kw_nrm_abilities: %s: %s\n", err.code, err.msg);
				return 1;
			}
		}
		double best = tt[0];
		for (int r = 1; r < reps; r++)
			best = fmin(best, tt[r]);
		double med = median(tt, reps);
		printf("%s for %zu sheets: median %.3f s, best %.3f s (%.2f M sheets/s)\n", what[w],
		       n, med, best, (double)n / med / 1e6);
	}
	double msd = 0;
	for (size_t s = 0; s < n; s++)
		msd += sd[s];
	printf("r(MAP, true theta) %.4f, r(EAP, true theta) %.4f, mean posterior SD %.4f\n",
	       corr(map, theta, n), corr(eap, theta, n), msd / (double)n);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	loadavg(la, sizeof la);
	printf("peak RSS %.0f MiB (answers %.0f MiB); load average at the end: %s\n",
	       (double)ru.ru_maxrss / 1024, (double)(n * m) / 1048576.0, la);
	free(truth);
	free(key);
	free(ncat);
	free(theta);
	free(resp);
	free(items);
	free(pinned);
	free(map);
	free(eap);
	free(sd);
	free(flags);
	kw_err_release(&err);
	return 0;
}
