/*
 * kw_bench_score: the objective scoring kernel at national scale, for bench/b_score_kernel.sh
 * (issue 10: scoring kernel ≥ 20 M sheets/s on this 2-core machine, with the memory-bandwidth
 * bound stated beside it).
 *
 *   kw_bench_score [--sheets N] [--seed S] [--reps R] [--bw-mb M] [--paths LIST]
 *
 * 1. The machine's read bandwidth, in the same run: a sum over an M MB buffer (default
 *    1024), one thread and two (each reading half), best of R passes; the buffer is freed
 *    before the answers are made.
 * 2. N sheets × 150 items (default 3,000,000), reproducible from the seed: 100 single-choice
 *    items of 4 options at 1 point, 30 multiple-choice items of 4 options (2–4 correct) at 2
 *    points with 0.5 per correct option when no wrong one is marked, 20 true/false items at
 *    1 point. Each candidate has an ability (0.25–0.95) that sets the chance of a right
 *    answer; wrong answers, partial sets, blanks (≈3 %), unreadable marks (≈1 %) and double
 *    marks on single items (≈1 %) are mixed in. Packed: sheet i at i × 150. Made by two
 *    threads, each sheet from its own seed (the bytes do not depend on the split).
 * 3. The reference (kw_score_sheet, one thread) over every sheet, for the digest.
 * 4. Per path (scalar, avx2, avx512 — those the CPU has, or LIST) and for one and two
 *    threads (pthreads, the array split in halves): one warm-up pass and R timed passes of
 *    kw_score_sheets over all sheets; sheets/s and GB/s of answer bytes read, median and best.
 *    Each pass checks its digest — Σ total_i × (2i + 1) mod 2^64, independent of the split —
 *    against the reference's; any difference fails the run (exit 1).
 * Memory: the answer array (N × 150 bytes) and, per thread, a block of 65,536 totals reused
 * as it scores (256 KiB); nothing else grows with N. The RSS after scoring (answers + the
 * rest) and the peak RSS (the bandwidth buffer's) are printed.
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/score.h"
#include "util/bigalloc.h"

#ifdef __x86_64__
#include <immintrin.h>
#endif

#define ITEMS   150
#define BLOCK   65536 /* totals per block */
#define THREADS 2
#define MAXREPS 64

static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

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

/* The resident set now, in MiB (/proc/self/statm). */
static double rss_mb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return (double)resident * 4096.0 / (1 << 20);
}

/* ---- the key and the sheets ----------------------------------------------------------- */

static void make_key(uint64_t seed, struct kw_score_key *k)
{
	memset(k, 0, sizeof *k);
	k->n = ITEMS;
	for (size_t i = 0; i < ITEMS; i++) {
		struct kw_score_item *it = &k->item[i];
		uint64_t r = mix(seed ^ (UINT64_C(0xC0FFEE) + i));
		if (i < 100) {
			*it = (struct kw_score_item){.kind = KW_ITEM_SINGLE,
			                             .options = 4,
			                             .key = (uint8_t)(1u << (r % 4)),
			                             .points = 100};
		} else if (i < 130) {
			uint8_t key;
			do
				key = (uint8_t)((r = mix(r)) & 0x0f);
			while (__builtin_popcount(key) < 2);
			*it = (struct kw_score_item){.kind = KW_ITEM_MULTIPLE,
			                             .options = 4,
			                             .key = key,
			                             .partial = KW_PARTIAL_PER_OPTION,
			                             .points = 200,
			                             .partial_points = 50};
		} else {
			*it = (struct kw_score_item){.kind = KW_ITEM_TRUEFALSE,
			                             .options = 2,
			                             .key = (uint8_t)(1u << (r % 2)),
			                             .points = 100};
		}
	}
}

/* A sheet: from its own seed, so the array does not depend on how the work is split. */
static void make_sheet(uint64_t seed, uint64_t i, const struct kw_score_key *k, uint8_t *a)
{
	uint64_t s = mix(seed ^ (i * UINT64_C(0x100000001B3)));
	unsigned ability = 25 + (unsigned)(mix(s) % 71); /* % chance of knowing an answer */
	for (size_t j = 0; j < ITEMS; j++) {
		uint64_t r = mix(s + j);
		unsigned p = (unsigned)(r % 100), q = (unsigned)((r >> 8) % 100);
		const struct kw_score_item *it = &k->item[j];
		uint8_t all = (uint8_t)((1u << it->options) - 1), m;
		if (q < 3)
			m = 0;
		else if (q < 4)
			m = KW_ANS_INVALID;
		else if (p < ability)
			m = it->key;
		else if (it->kind == KW_ITEM_MULTIPLE && q < 40) /* a partial set, maybe empty */
			m = (uint8_t)(it->key & (r >> 16));
		else if (it->kind == KW_ITEM_SINGLE && q < 5) /* a double mark */
			m = (uint8_t)(it->key | (1u << ((r >> 16) % 4)));
		else if (it->kind == KW_ITEM_MULTIPLE)
			m = (uint8_t)((r >> 16) & all);
		else
			m = (uint8_t)(1u << ((r >> 16) % it->options));
		a[j] = m;
	}
}

struct gen {
	uint64_t seed, first, n;
	const struct kw_score_key *k;
	uint8_t *answers;
};

static void *gen_thread(void *arg)
{
	struct gen *g = arg;
	for (uint64_t i = g->first; i < g->first + g->n; i++)
		make_sheet(g->seed, i, g->k, g->answers + i * ITEMS);
	return NULL;
}

/* ---- memory bandwidth ----------------------------------------------------------------- */

struct bw {
	const uint8_t *p;
	size_t n;
	uint64_t sum;
};

#ifdef __x86_64__
__attribute__((target("avx2"))) static uint64_t read_sum_avx2(const uint8_t *p, size_t n)
{
	__m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
	size_t i = 0;
	for (; i + 128 <= n; i += 128) {
		a0 = _mm256_add_epi64(a0, _mm256_loadu_si256((const __m256i *)(p + i)));
		a1 = _mm256_add_epi64(a1, _mm256_loadu_si256((const __m256i *)(p + i + 32)));
		a2 = _mm256_add_epi64(a2, _mm256_loadu_si256((const __m256i *)(p + i + 64)));
		a3 = _mm256_add_epi64(a3, _mm256_loadu_si256((const __m256i *)(p + i + 96)));
	}
	a0 = _mm256_add_epi64(_mm256_add_epi64(a0, a1), _mm256_add_epi64(a2, a3));
	uint64_t v[4];
	_mm256_storeu_si256((__m256i *)v, a0);
	uint64_t s = v[0] + v[1] + v[2] + v[3];
	for (; i < n; i++)
		s += p[i];
	return s;
}
#endif

static uint64_t read_sum(const uint8_t *p, size_t n)
{
#ifdef __x86_64__
	if (__builtin_cpu_supports("avx2"))
		return read_sum_avx2(p, n);
#endif
	uint64_t s = 0;
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		s += w;
	}
	return s;
}

static void *bw_thread(void *arg)
{
	struct bw *b = arg;
	b->sum = read_sum(b->p, b->n);
	return NULL;
}

/* Seconds to read n bytes at p with t threads. */
static double read_pass(const uint8_t *p, size_t n, int t, uint64_t *sink)
{
	struct bw b[THREADS];
	pthread_t th[THREADS];
	double t0 = now();
	for (int i = 0; i < t; i++) {
		b[i] = (struct bw){.p = p + n / t * i, .n = n / t};
		pthread_create(&th[i], NULL, bw_thread, &b[i]);
	}
	for (int i = 0; i < t; i++) {
		pthread_join(th[i], NULL);
		*sink += b[i].sum;
	}
	return now() - t0;
}

/* ---- scoring -------------------------------------------------------------------------- */

struct run {
	const struct kw_score_compiled *c;
	const uint8_t *answers;
	uint64_t first, n;
	int reference; /* 1: kw_score_sheet per sheet */
	uint64_t digest, sum;
};

/* Sheet i's share of the digest: total × (2i + 1) mod 2^64. The factor is odd, so a change
 * of any one total changes the digest; one multiply, so the digest costs the kernel's
 * figure next to nothing. */
static uint64_t fold(uint64_t i, int32_t total)
{
	return (uint64_t)(uint32_t)total * (2 * i + 1);
}

static void *score_thread(void *arg)
{
	struct run *r = arg;
	int32_t *tot = malloc(BLOCK * sizeof *tot);
	uint64_t d = 0, sum = 0;
	for (uint64_t b = r->first; b < r->first + r->n; b += BLOCK) {
		uint64_t m = r->first + r->n - b < BLOCK ? r->first + r->n - b : BLOCK;
		const uint8_t *a = r->answers + b * ITEMS;
		if (r->reference)
			for (uint64_t j = 0; j < m; j++)
				tot[j] = kw_score_sheet(r->c, a + j * ITEMS);
		else
			kw_score_sheets(r->c, a, ITEMS, m, tot);
		for (uint64_t j = 0; j < m; j++) {
			d += fold(b + j, tot[j]);
			sum += (uint64_t)tot[j];
		}
	}
	free(tot);
	r->digest = d;
	r->sum = sum;
	return NULL;
}

/* One pass over all sheets with t threads: seconds; the digest and the sum of totals. */
static double score_pass(const struct kw_score_compiled *c, const uint8_t *answers, uint64_t n,
                         int t, int reference, uint64_t *digest, uint64_t *sum)
{
	struct run r[THREADS];
	pthread_t th[THREADS];
	double t0 = now();
	for (int i = 0; i < t; i++) {
		uint64_t lo = n * (uint64_t)i / (uint64_t)t,
		         hi = n * (uint64_t)(i + 1) / (uint64_t)t;
		r[i] = (struct run){.c = c,
		                    .answers = answers,
		                    .first = lo,
		                    .n = hi - lo,
		                    .reference = reference};
		pthread_create(&th[i], NULL, score_thread, &r[i]);
	}
	*digest = *sum = 0;
	for (int i = 0; i < t; i++) {
		pthread_join(th[i], NULL);
		*digest += r[i].digest;
		*sum += r[i].sum;
	}
	return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"sheets", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
	        {"reps", required_argument, NULL, 'r'},   {"bw-mb", required_argument, NULL, 'b'},
	        {"paths", required_argument, NULL, 'p'},  {NULL, 0, NULL, 0}};
	uint64_t n = 3000000, seed = 10, bw_mb = 1024;
	int reps = 5, o;
	const char *paths = "scalar,avx2,avx512";
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			n = strtoull(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'b':
			bw_mb = strtoull(optarg, NULL, 10);
			break;
		case 'p':
			paths = optarg;
			break;
		default:
			fprintf(stderr, "usage: kw_bench_score [--sheets N] [--seed S] [--reps R] "
			                "[--bw-mb M] [--paths scalar,avx2,avx512]\n");
			return 2;
		}
	}
	if (n < THREADS || reps < 1 || reps > MAXREPS) {
		fprintf(stderr, "kw_bench_score: --sheets >= 2 and --reps 1..%d\n", MAXREPS);
		return 2;
	}
	char la[128];
	loadavg(la, sizeof la);
	printf("load average at start: %s\n", la);
	printf("kernel path chosen for this CPU: %s\n", kw_score_path());

	/* 1. read bandwidth */
	uint64_t sink = 0;
	double bw[THREADS + 1] = {0};
	if (bw_mb > 0) {
		size_t bytes = (size_t)bw_mb << 20;
		uint8_t *buf = kw_xmalloc_big(bytes);
		for (size_t i = 0; i < bytes; i += 4096)
			buf[i] = (uint8_t)i; /* touch every page */
		memset(buf, 1, bytes);
		for (int t = 1; t <= THREADS; t++) {
			double best = 1e30;
			for (int r = 0; r < reps; r++) {
				double s = read_pass(buf, bytes, t, &sink);
				best = s < best ? s : best;
			}
			bw[t] = (double)bytes / best / 1e9;
			printf("memory read bandwidth (sum over %" PRIu64
			       " MB, %d thread%s, best of "
			       "%d): %.2f GB/s\n",
			       bw_mb, t, t > 1 ? "s" : "", reps, bw[t]);
		}
		free(buf);
	}

	/* 2. the key and the sheets */
	static struct kw_score_key key;
	make_key(seed, &key);
	struct kw_score_compiled *c = kw_score_compile(&key);
	if (!c) {
		fprintf(stderr, "kw_bench_score: the key is refused\n");
		return 1;
	}
	uint8_t *answers = kw_xmalloc_big((size_t)n * ITEMS);
	double t0 = now();
	struct gen g[THREADS];
	pthread_t th[THREADS];
	for (int i = 0; i < THREADS; i++) {
		uint64_t lo = n * (uint64_t)i / THREADS, hi = n * (uint64_t)(i + 1) / THREADS;
		g[i] = (struct gen){
		        .seed = seed, .first = lo, .n = hi - lo, .k = &key, .answers = answers};
		pthread_create(&th[i], NULL, gen_thread, &g[i]);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	printf("answers: %" PRIu64 " sheets x %d items = %.1f MB, made in %.2f s (seed %" PRIu64
	       ")\n",
	       n, ITEMS, (double)n * ITEMS / 1e6, now() - t0, seed);

	/* 3. the reference */
	uint64_t ref_digest, ref_sum;
	double rs = score_pass(c, answers, n, 1, 1, &ref_digest, &ref_sum);
	int64_t full = 0;
	for (size_t i = 0; i < ITEMS; i++)
		full += key.item[i].points;
	printf("reference kw_score_sheet, 1 thread: %.2f M sheets/s; digest %016" PRIx64
	       ", mean score %.2f of %.0f\n",
	       (double)n / rs / 1e6, ref_digest, (double)ref_sum / (double)n / 100.0,
	       (double)full / 100.0);

	/* 4. the paths */
	int bad = 0;
	double best_rate = 0;
	char best_label[64] = "";
	char list[64];
	snprintf(list, sizeof list, "%s", paths);
	for (char *save = NULL, *p = strtok_r(list, ",", &save); p;
	     p = strtok_r(NULL, ",", &save)) {
		if (kw_score_force_path(p)) {
			printf("path %s: not on this CPU, skipped\n", p);
			continue;
		}
		for (int t = 1; t <= THREADS; t++) {
			double secs[MAXREPS];
			uint64_t d, sum;
			score_pass(c, answers, n, t, 0, &d, &sum); /* warm-up */
			int same = d == ref_digest;
			for (int r = 0; r < reps; r++) {
				secs[r] = score_pass(c, answers, n, t, 0, &d, &sum);
				same &= d == ref_digest;
			}
			qsort(secs, (size_t)reps, sizeof secs[0], cmp_double);
			double med = secs[(reps - 1) / 2], best = secs[0];
			double rate = (double)n / med, gbs = (double)n * ITEMS / med / 1e9;
			loadavg(la, sizeof la);
			printf("RESULT score kernel %s, %d thread%s: median %.1f M sheets/s (%.2f "
			       "GB/s "
			       "of answers; best %.1f M/s, %.2f GB/s; read bound %.2f GB/s = %.1f "
			       "M "
			       "sheets/s); digest %016" PRIx64 " %s; load %s\n",
			       kw_score_sheets_path(c), t, t > 1 ? "s" : "", rate / 1e6, gbs,
			       (double)n / best / 1e6, (double)n * ITEMS / best / 1e9, bw[t],
			       bw[t] * 1e9 / ITEMS / 1e6, d, same ? "= reference" : "DIFFERS", la);
			if (!same)
				bad = 1;
			if (rate > best_rate) {
				best_rate = rate;
				snprintf(best_label, sizeof best_label, "%s, %d thread%s", p, t,
				         t > 1 ? "s" : "");
			}
		}
	}
	kw_score_force_path(NULL);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double rss_now = rss_mb();
	printf("RSS after scoring %.1f MB = answers %.1f MB + %.1f MB of everything else\n",
	       rss_now, (double)n * ITEMS / (1 << 20), rss_now - (double)n * ITEMS / (1 << 20));
	printf("peak RSS %.1f MB (answers %.1f MB, bandwidth buffer %" PRIu64 " MB freed before "
	       "them)\n",
	       (double)ru.ru_maxrss / 1024.0, (double)n * ITEMS / (1 << 20), bw_mb);
	printf("goal >= 20 M sheets/s: %s (best %.1f M sheets/s, %s)%s\n",
	       best_rate >= 20e6 ? "met" : "NOT met", best_rate / 1e6, best_label,
	       bad ? "; DIGESTS DIFFER" : "");
	(void)sink;
	free(answers);
	kw_score_compiled_free(c);
	return bad;
}
