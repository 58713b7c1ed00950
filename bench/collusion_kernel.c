/*
 * kw_bench_collusion: the similar-answer kernels (core/collusion.h) on synthetic data, for
 * bench/b_collusion_kernel.sh (issue 11: the ω prescreen ≥ 5 M ordered pairs/s per core at
 * 150 items; the identical-wrong bitset count ≥ 1e8 pairs/s per core).
 *
 *   kw_bench_collusion [--rooms R] [--room-size S] [--items N] [--seed X] [--reps K]
 *                      [--iw-sources Q] [--path scalar|avx2|avx512]
 *
 * 1. R rooms × S candidates (default 3000 × 30 = 90,000), N four-option items (default
 *    150), reproducible from the seed: Bock's nominal response model with the key's slope
 *    in 0.8..1.8 and the distractors' in −1..0, intercepts in −0.5..0.5, θ ~ N(0, 1); 2 %
 *    omits; in every tenth room candidate 1 copies 40 % of candidate 0's answers.
 * 2. The ω prescreen, one thread: per room, the block (each candidate's P_ik(θ) by
 *    kw_nrm_probs, laid out copier-major), then every source of the room against the whole
 *    block (kw_collusion_omega_batch) — S(S−1) ordered pairs a room, the S self-pairs not
 *    counted. Timed K times: the kernel alone, and the kernel with the blocks' making.
 *    Checked: the first 50 rooms' ω against kw_collusion_omega pair by pair (the same
 *    doubles, or the run fails); the planted pairs' ω > 3.
 * 3. Identical wrong answers, one thread: every candidate's wrong-answer bitset
 *    (⌈N·3/64⌉ words), then Q sources (default 1000) against every candidate, in tiles of
 *    2048 candidates (128 KiB at 8 words) so that a tile stays in cache while the sources
 *    pass over it; and, for comparison, untiled (each source streams all candidates).
 *    Checked against kw_collusion_ident_wrong on a sample.
 * 4. For the survivors, per pair at N items: the exact ω tail, GBT, M4; the K family's
 *    per-source fits and per-pair cost.
 * Rates are per core: one thread, wall clock (and its CPU time, to show the machine's noise).
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/collusion.h"
#include "core/nrm.h"
#include "util/buf.h"

#define K       4
#define MAXREPS 64

static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static double unif(uint64_t *s)
{
	*s = mix(*s);
	return (double)(*s >> 11) * 0x1p-53;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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

static double peak_rss_mb(void)
{
	char line[256];
	double kb = 0;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtod(line + 6, NULL);
	fclose(f);
	return kb / 1024;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double best(const double *v, int n)
{
	double b = v[0];
	for (int i = 1; i < n; i++)
		if (v[i] < b)
			b = v[i];
	return b;
}

struct data {
	size_t rooms, size, n, N;
	struct kw_nrm_item *item;
	uint8_t *key;
	double *theta;
	uint8_t *x; /* N × n */
};

static void make_data(struct data *d, uint64_t seed)
{
	uint64_t s = mix(seed);
	d->N = d->rooms * d->size;
	d->item = kw_xcalloc(d->n, sizeof *d->item);
	d->key = kw_xmalloc(d->n);
	d->theta = kw_xmalloc(d->N * sizeof *d->theta);
	d->x = kw_xmalloc(d->N * d->n);
	for (size_t i = 0; i < d->n; i++) {
		struct kw_nrm_item *it = &d->item[i];
		it->ncat = K;
		d->key[i] = (uint8_t)(mix(s + i) % K);
		for (int k = 0; k < K; k++) {
			it->a[k] = k == d->key[i] ? 0.8 + unif(&s) : -unif(&s);
			it->c[k] = unif(&s) - 0.5;
		}
	}
	double p[K];
	for (size_t e = 0; e < d->N; e++) {
		uint64_t r = mix(seed ^ (e * UINT64_C(0x100000001B3)));
		double u1 = unif(&r), u2 = unif(&r);
		d->theta[e] = sqrt(-2 * log(u1 + 1e-300)) * cos(2 * M_PI * u2);
		for (size_t i = 0; i < d->n; i++) {
			kw_nrm_probs(&d->item[i], d->theta[e], p);
			double u = unif(&r), c = 0;
			uint8_t a = K - 1;
			for (int k = 0; k < K; k++)
				if (u < (c += p[k])) {
					a = (uint8_t)k;
					break;
				}
			d->x[e * d->n + i] = unif(&r) < 0.02 ? KW_COLLUSION_OMIT : a;
		}
	}
	/* every tenth room: candidate 1 copies 40 % of candidate 0 */
	for (size_t room = 0; room < d->rooms; room += 10) {
		size_t c0 = room * d->size;
		uint64_t r = mix(seed ^ room);
		for (size_t i = 0; i < d->n; i++)
			if (unif(&r) < 0.4)
				d->x[(c0 + 1) * d->n + i] = d->x[c0 * d->n + i];
	}
}

/* The block of a room: every candidate's probabilities, then the copier-major layout. */
static void build_block(const struct data *d, size_t room, struct kw_collusion_block *b, double *p)
{
	for (size_t c = 0; c < d->size; c++) {
		size_t e = room * d->size + c;
		for (size_t i = 0; i < d->n; i++)
			kw_nrm_probs(&d->item[i], d->theta[e], p + i * K);
		kw_collusion_block_set(b, c, d->key, d->x + e * d->n, p);
	}
}

int main(int argc, char **argv)
{
	struct data d = {.rooms = 3000, .size = 30, .n = 150};
	uint64_t seed = 11;
	int reps = 5;
	size_t iw_sources = 1000;
	const char *path = NULL;
	static const struct option opts[] = {{"rooms", required_argument, NULL, 'r'},
	                                     {"room-size", required_argument, NULL, 's'},
	                                     {"items", required_argument, NULL, 'n'},
	                                     {"seed", required_argument, NULL, 'x'},
	                                     {"reps", required_argument, NULL, 'k'},
	                                     {"iw-sources", required_argument, NULL, 'q'},
	                                     {"path", required_argument, NULL, 'p'},
	                                     {NULL, 0, NULL, 0}};
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			d.rooms = strtoul(optarg, NULL, 10);
			break;
		case 's':
			d.size = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			d.n = strtoul(optarg, NULL, 10);
			break;
		case 'x':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'k':
			reps = atoi(optarg);
			break;
		case 'q':
			iw_sources = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			path = optarg;
			break;
		default:
			fprintf(stderr, "usage: see bench/collusion_kernel.c\n");
			return 2;
		}
	}
	if (d.rooms < 1 || d.size < 2 || d.size > 4096 || d.n < 1 || d.n > KW_COLLUSION_MAX_ITEMS ||
	    reps < 1 || reps > MAXREPS) {
		fprintf(stderr, "kw_bench_collusion: bad arguments\n");
		return 2;
	}
	char la[128];
	double t0 = now();
	make_data(&d, seed);
	printf("data: %zu rooms × %zu = %zu candidates × %zu items (%d options), seed %" PRIu64
	       ", made in %.2f s\n",
	       d.rooms, d.size, d.N, d.n, K, seed, now() - t0);

	/* ---- ω prescreen ---- */
	struct kw_collusion_block b;
	if (kw_collusion_block_init(&b, d.n, K, d.size) != 0)
		return 2;
	double *p = kw_xmalloc(d.n * K * sizeof *p);
	double *z = kw_xmalloc(d.size * sizeof *z), *e = kw_xmalloc(d.size * sizeof *e);
	double *v = kw_xmalloc(d.size * sizeof *v);
	uint16_t *h = kw_xmalloc(d.size * sizeof *h);
	const char *kpath = path ? path : "best";
	/* check: the first 50 rooms pair by pair */
	size_t bad = 0, planted = 0, planted_hit = 0, flagged = 0;
	double *pc = kw_xmalloc(d.size * d.n * K * sizeof *pc);
	for (size_t room = 0; room < d.rooms && room < 50; room++) {
		build_block(&d, room, &b, p);
		for (size_t c = 0; c < d.size; c++)
			for (size_t i = 0; i < d.n; i++)
				kw_nrm_probs(&d.item[i], d.theta[room * d.size + c],
				             pc + (c * d.n + i) * K);
		for (size_t s = 0; s < d.size; s++) {
			const uint8_t *xs = d.x + (room * d.size + s) * d.n;
			if (kw__collusion_omega_batch_path(path, &b, d.size, xs, h, e, v, z) != 0) {
				fprintf(stderr, "path %s not on this CPU\n", kpath);
				return 2;
			}
			for (size_t c = 0; c < d.size; c++) {
				if (c == s)
					continue;
				struct kw_collusion_pair pr = {d.n,
				                               K,
				                               d.key,
				                               d.x + (room * d.size + c) * d.n,
				                               xs,
				                               pc + c * d.n * K,
				                               pc + s * d.n * K};
				struct kw_collusion_omega om;
				kw_collusion_omega(&pr, 0, &om);
				bad += om.z != z[c] || om.h != h[c];
				flagged += z[c] > 3;
				if (room % 10 == 0 && c == 1 && s == 0) {
					planted++;
					planted_hit += z[c] > 3;
				}
			}
		}
	}
	printf("check: first %zu rooms, block ω == per-pair ω: %s (%zu differ); planted pairs "
	       "with ω > 3: %zu of %zu; null pairs over 3: %zu\n",
	       d.rooms < 50 ? d.rooms : 50, bad ? "NO" : "yes", bad, planted_hit, planted,
	       flagged - planted_hit);
	if (bad)
		return 1;

	double tk[MAXREPS], tw[MAXREPS], tc[MAXREPS], sink = 0;
	double pairs = (double)d.rooms * (double)d.size * (double)(d.size - 1);
	for (int rep = 0; rep < reps; rep++) {
		double kern = 0, w0 = now(), c0 = cpu_now();
		for (size_t room = 0; room < d.rooms; room++) {
			build_block(&d, room, &b, p);
			double k0 = now();
			for (size_t s = 0; s < d.size; s++) {
				const uint8_t *xs = d.x + (room * d.size + s) * d.n;
				kw__collusion_omega_batch_path(path, &b, d.size, xs, NULL, NULL,
				                               NULL, z);
				sink += z[s == 0 ? 1 : 0];
			}
			kern += now() - k0;
		}
		tw[rep] = now() - w0;
		tc[rep] = cpu_now() - c0;
		tk[rep] = kern;
	}
	loadavg(la, sizeof la);
	double mk = median(tk, reps), bk = best(tk, reps), mw = median(tw, reps);
	printf("ω prescreen, %zu items, path %s, one thread: %.0f ordered pairs a pass, %d "
	       "passes\n",
	       d.n, kpath, pairs, reps);
	printf("  kernel only:            median %.3f s = %.2f M pairs/s (best %.2f M pairs/s)\n",
	       mk, pairs / mk / 1e6, pairs / bk / 1e6);
	printf("  with the blocks' making: median %.3f s = %.2f M pairs/s (CPU %.3f s; P(θ) by "
	       "kw_nrm_probs for %zu candidates a pass)\n",
	       mw, pairs / mw / 1e6, median(tc, reps), d.N);
	printf("  load average: %s\n", la);

	/* ---- identical wrong answers ---- */
	size_t words = kw_collusion_wrongset_words(d.n, K);
	uint64_t *sets = kw_xmalloc(d.N * words * sizeof *sets);
	for (size_t i = 0; i < d.N; i++)
		kw_collusion_wrongset(d.x + i * d.n, d.key, d.n, K, sets + i * words);
	if (iw_sources > d.N)
		iw_sources = d.N;
	enum { TILE = 2048 };
	uint16_t *out = kw_xmalloc(d.N * sizeof *out);
	size_t iwbad = 0;
	for (size_t s = 0; s < iw_sources && s < 20; s++) {
		kw_collusion_ident_wrong_batch(sets + s * words, sets, d.N, words, out);
		for (size_t c = 0; c < d.N; c += 97)
			iwbad += out[c] != kw_collusion_ident_wrong(sets + s * words,
			                                            sets + c * words, words);
	}
	if (iwbad) {
		printf("identical-wrong check failed (%zu)\n", iwbad);
		return 1;
	}
	double ti[MAXREPS], tu[MAXREPS];
	uint64_t acc = 0;
	double iwpairs = (double)iw_sources * (double)d.N;
	for (int rep = 0; rep < reps; rep++) {
		double w0 = now();
		for (size_t t = 0; t < d.N; t += TILE) {
			size_t nt = d.N - t < TILE ? d.N - t : TILE;
			for (size_t s = 0; s < iw_sources; s++) {
				kw_collusion_ident_wrong_batch(sets + s * words, sets + t * words,
				                               nt, words, out);
				acc += out[s % nt];
			}
		}
		ti[rep] = now() - w0;
		w0 = now();
		for (size_t s = 0; s < iw_sources; s++) {
			kw_collusion_ident_wrong_batch(sets + s * words, sets, d.N, words, out);
			acc += out[s];
		}
		tu[rep] = now() - w0;
	}
	loadavg(la, sizeof la);
	double mi = median(ti, reps), mu = median(tu, reps);
	printf("identical wrong answers, %zu words a sheet, one thread: %zu sources × %zu sheets = "
	       "%.0f pairs a pass, %d passes\n",
	       words, iw_sources, d.N, iwpairs, reps);
	printf("  tiled (%d sheets):  median %.3f s = %.1f M pairs/s (best %.1f M pairs/s)\n", TILE,
	       mi, iwpairs / mi / 1e6, iwpairs / best(ti, reps) / 1e6);
	printf("  untiled:            median %.3f s = %.1f M pairs/s (%.0f MB of bitsets)\n", mu,
	       iwpairs / mu / 1e6, (double)d.N * (double)words * 8 / 1e6);
	printf("  load average: %s\n", la);

	/* ---- the survivors' indices ---- */
	size_t np = d.size * 40 < 2000 ? d.size * 40 : 2000;
	double *work = kw_xmalloc(kw_collusion_m4_work(d.n) * sizeof *work);
	double tex = 0, tg = 0, tm = 0;
	size_t nex = 0, nm = 0;
	for (size_t room = 0; room < d.rooms && nex < np; room++) {
		for (size_t c = 0; c < d.size; c++)
			for (size_t i = 0; i < d.n; i++)
				kw_nrm_probs(&d.item[i], d.theta[room * d.size + c],
				             pc + (c * d.n + i) * K);
		for (size_t c = 0; c < d.size && nex < np; c++) {
			size_t s = (c + 1) % d.size;
			struct kw_collusion_pair pr = {d.n,
			                               K,
			                               d.key,
			                               d.x + (room * d.size + c) * d.n,
			                               d.x + (room * d.size + s) * d.n,
			                               pc + c * d.n * K,
			                               pc + s * d.n * K};
			struct kw_collusion_counts cn;
			struct kw_collusion_omega om;
			kw_collusion_count(&pr, &cn);
			double w0 = now();
			kw_collusion_omega(&pr, 1, &om);
			tex += now() - w0;
			w0 = now();
			sink += kw_collusion_gbt(&pr, cn.match);
			tg += now() - w0;
			if (nm < 200) {
				w0 = now();
				sink += kw_collusion_m4(&pr, cn.ident_correct, cn.ident_wrong,
				                        work);
				tm += now() - w0;
				nm++;
			}
			sink += om.p_exact;
			nex++;
		}
	}
	struct kw_collusion_ref ref;
	if (kw_collusion_ref_init(&ref, d.n, K, K, d.key) != 0)
		return 2;
	double w0 = now();
	for (size_t i = 0; i < d.N; i++)
		kw_collusion_ref_add(&ref, d.x + i * d.n);
	double tref = now() - w0;
	size_t nsrc = 200;
	double tsrc = 0, tkp = 0;
	for (size_t s = 0; s < nsrc; s++) {
		struct kw_collusion_source src;
		struct kw_collusion_kfamily kf;
		w0 = now();
		kw_collusion_source_init(&ref, d.x + s * d.n, &src);
		tsrc += now() - w0;
		w0 = now();
		kw_collusion_kfamily(&ref, &src, d.x + ((s + 1) % d.N) * d.n, d.x + s * d.n, &kf);
		tkp += now() - w0;
		sink += isnan(kf.k) ? 0 : kf.k;
	}
	printf("survivors, per pair at %zu items: exact ω tail %.2f µs, GBT %.2f µs (%zu pairs); "
	       "M4 "
	       "%.0f µs (%zu pairs)\n",
	       d.n, tex / (double)nex * 1e6, tg / (double)nex * 1e6, nex, tm / (double)nm * 1e6,
	       nm);
	printf("K family: reference table %.3f s for %zu sheets; per source %.0f µs; per pair %.2f "
	       "µs\n",
	       tref, d.N, tsrc / (double)nsrc * 1e6, tkp / (double)nsrc * 1e6);
	printf("peak RSS %.0f MiB   (checksums %.6g %" PRIu64 ")\n", peak_rss_mb(), sink, acc);
	kw_collusion_ref_release(&ref);
	kw_collusion_block_release(&b);
	free(work);
	free(out);
	free(sets);
	free(pc);
	free(p);
	free(z);
	free(e);
	free(v);
	free(h);
	free(d.item);
	free(d.key);
	free(d.theta);
	free(d.x);
	return 0;
}
