/*
 * kw_bench_analysis: item analysis (core/itemstats.h) at national scale, for
 * bench/b_analysis.sh (issue 10 item 6).
 *
 *   kw_bench_analysis [--sheets N] [--seed S] [--reps R] [--stream-only]
 *
 * The key: 150 items as bench/score_kernel.c has them — 100 single-choice of 4 options at 1
 * point, 30 multiple-choice of 4 options (2–4 correct) at 2 points with 0.5 a correct option,
 * 20 true/false at 1 point — and a form B that is the master with its items reversed and every
 * 4-option item's options rotated by one. Sheets reproducible from the seed, each from its own
 * (a candidate's ability sets the chance of a right answer; partial sets, blanks ≈3 %,
 * unreadable marks ≈1 % and double marks on single items mixed in); even sheets on the master
 * form, odd ones on form B (counted through kw_itemstats_add_form, as the server does).
 *
 * 1. Streaming: the N sheets made a block of 4,096 at a time (as the server reads the answer
 *    database) and counted; the process's peak RSS with nothing else allocated shows that
 *    memory does not grow with N.
 * 2. In memory (unless --stream-only): the N sheets made into one array (N × 150 bytes, two
 *    threads), then R timed passes of the analysis over it with one thread and with two
 *    (each its own accumulators over half the array, merged); sheets/s, median and best.
 *    Every pass's results — every item's statistics, the reliability, the distribution —
 *    must be the same bits as the first one-thread pass's (the streaming pass's too), else
 *    the run fails (exit 1).
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/itemstats.h"
#include "core/score.h"
#include "util/bigalloc.h"

#define ITEMS   150
#define BLOCK   4096
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

static double peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

static void make_key(uint64_t seed, struct kw_score_key *k)
{
	memset(k, 0, sizeof *k);
	k->n = ITEMS;
	for (size_t i = 0; i < ITEMS; i++) {
		struct kw_score_item *it = &k->item[i];
		uint64_t r = mix(seed ^ (UINT64_C(0xA11CE) + i));
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

/* Form B: items reversed, 4-option items' options rotated (form option j = master j+1). */
static void make_perm(const struct kw_score_key *k, struct kw_form_perm *p)
{
	kw_form_perm_identity(p, ITEMS);
	for (size_t i = 0; i < ITEMS; i++) {
		p->item_perm[i] = (uint16_t)(ITEMS - 1 - i);
		if (k->item[ITEMS - 1 - i].options == 4)
			for (int j = 0; j < 4; j++)
				p->opt_perm[i][j] = (uint8_t)((j + 1) % 4);
	}
}

/* Sheet i in master order, from its own seed. */
static void make_master_sheet(uint64_t seed, uint64_t i, const struct kw_score_key *k, uint8_t *a)
{
	uint64_t s = mix(seed ^ (i * UINT64_C(0x100000001B3)));
	unsigned ability = 25 + (unsigned)(mix(s) % 71);
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
		else if (it->kind == KW_ITEM_MULTIPLE && q < 40)
			m = (uint8_t)(it->key & (r >> 16));
		else if (it->kind == KW_ITEM_SINGLE && q < 5)
			m = (uint8_t)(it->key | (1u << ((r >> 16) % 4)));
		else if (it->kind == KW_ITEM_MULTIPLE)
			m = (uint8_t)((r >> 16) & all);
		else
			m = (uint8_t)(1u << ((r >> 16) % it->options));
		a[j] = m;
	}
}

/* Sheet i as scanned: master order for even i, form B's order for odd i. */
static void make_sheet(uint64_t seed, uint64_t i, const struct kw_score_key *k,
                       const struct kw_form_perm *p, uint8_t *out)
{
	if (!(i & 1)) {
		make_master_sheet(seed, i, k, out);
		return;
	}
	uint8_t m[ITEMS];
	make_master_sheet(seed, i, k, m);
	for (size_t f = 0; f < ITEMS; f++) {
		uint8_t x = m[p->item_perm[f]], y = x & KW_ANS_INVALID;
		for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++)
			if (x & (1u << p->opt_perm[f][j]))
				y |= (uint8_t)(1u << j);
		out[f] = y;
	}
}

static void add(struct kw_itemstats *s, const struct kw_itemstats_form *p, uint64_t i,
                const uint8_t *a)
{
	if (i & 1)
		kw_itemstats_add_form(s, p, a);
	else
		kw_itemstats_add(s, a);
}

struct part {
	uint64_t seed, first, n;
	const struct kw_score_key *k;
	const struct kw_form_perm *p;
	const struct kw_itemstats_form *f;
	uint8_t *answers;
	struct kw_itemstats *s;
};

static void *gen_thread(void *arg)
{
	struct part *g = arg;
	for (uint64_t i = g->first; i < g->first + g->n; i++)
		make_sheet(g->seed, i, g->k, g->p, g->answers + i * ITEMS);
	return NULL;
}

static void *count_thread(void *arg)
{
	struct part *g = arg;
	for (uint64_t i = g->first; i < g->first + g->n; i++)
		add(g->s, g->f, i, g->answers + i * ITEMS);
	return NULL;
}

/* Every statistic of s, to compare runs bit for bit. */
struct snapshot {
	struct kw_item_result item[ITEMS];
	struct kw_reliability rel;
	struct kw_dist_summary dist;
};

static void snap(const struct kw_itemstats *s, struct snapshot *o)
{
	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < ITEMS; i++)
		kw_itemstats_item(s, i, &o->item[i]);
	kw_itemstats_reliability(s, &o->rel);
	kw_dist_summary(kw_itemstats_dist(s), &o->dist);
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

int main(int argc, char **argv)
{
	uint64_t sheets = 3000000, seed = 10;
	int reps = 3, stream_only = 0;
	static const struct option opts[] = {{"sheets", required_argument, NULL, 'n'},
	                                     {"seed", required_argument, NULL, 's'},
	                                     {"reps", required_argument, NULL, 'r'},
	                                     {"stream-only", no_argument, NULL, 'o'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			sheets = strtoull(optarg, NULL, 10);
		else if (c == 's')
			seed = strtoull(optarg, NULL, 10);
		else if (c == 'r')
			reps = atoi(optarg);
		else if (c == 'o')
			stream_only = 1;
		else
			return 2;
	}
	if (reps < 1 || reps > MAXREPS || sheets < 2) {
		fprintf(stderr,
		        "usage: kw_bench_analysis [--sheets N ≥ 2] [--seed S] [--reps 1..64] "
		        "[--stream-only]\n");
		return 2;
	}
	static struct kw_score_key key;
	static struct kw_form_perm perm;
	make_key(seed, &key);
	make_perm(&key, &perm);
	struct kw_itemstats_form *form = kw_itemstats_form_new(&perm);
	printf("sheets %" PRIu64 " × %d items (seed %" PRIu64 "; even sheets form A, odd form B)\n",
	       sheets, ITEMS, seed);

	/* 1. streaming, a block at a time */
	double rss0 = peak_rss_mb();
	struct kw_itemstats *st = kw_itemstats_new(&key);
	uint8_t *blk = malloc((size_t)BLOCK * ITEMS);
	double t0 = now();
	for (uint64_t b = 0; b < sheets; b += BLOCK) {
		uint64_t n = sheets - b < BLOCK ? sheets - b : BLOCK;
		for (uint64_t i = 0; i < n; i++)
			make_sheet(seed, b + i, &key, &perm, blk + i * ITEMS);
		for (uint64_t i = 0; i < n; i++)
			add(st, form, b + i, blk + i * ITEMS);
	}
	double t1 = now();
	free(blk);
	static struct snapshot ref, got;
	snap(st, &ref);
	double rss1 = peak_rss_mb();
	printf("streaming (making and counting, 1 thread): %.2f s; peak RSS %.1f MB (%.1f MB at "
	       "the start)\n",
	       t1 - t0, rss1, rss0);
	printf("  alpha %.4f, KR-20 %s, SEM %.2f points; mean %.2f sd %.2f median %.2f of %.0f "
	       "points\n",
	       ref.rel.alpha, ref.rel.kr20_ok ? "yes" : "n/a (partial credit)", ref.rel.sem / 100,
	       ref.dist.mean / 100, ref.dist.sd / 100, ref.dist.q[3] / 100,
	       kw_itemstats_max_total(st) / 100.0);
	printf("  item 1: p %.4f, discrimination %.4f; item 101 (multiple): p %.4f, "
	       "discrimination %.4f\n",
	       ref.item[0].p, ref.item[0].disc, ref.item[100].p, ref.item[100].disc);
	kw_itemstats_free(st);
	if (stream_only) {
		kw_itemstats_form_free(form);
		return 0;
	}

	/* 2. in memory: the array, then timed passes */
	uint8_t *answers = kw_xmalloc_big((size_t)sheets * ITEMS);
	struct part g[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		g[i] = (struct part){.seed = seed,
		                     .first = i ? sheets / 2 : 0,
		                     .n = i ? sheets - sheets / 2 : sheets / 2,
		                     .k = &key,
		                     .p = &perm,
		                     .f = form,
		                     .answers = answers};
		pthread_create(&th[i], NULL, gen_thread, &g[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	int bad = 0;
	for (int threads = 1; threads <= 2; threads++) {
		double rate[MAXREPS];
		for (int r = 0; r < reps; r++) {
			struct kw_itemstats *s[2] = {kw_itemstats_new(&key),
			                             kw_itemstats_new(&key)};
			double a = now();
			for (int i = 0; i < threads; i++) {
				g[i].first = i ? sheets / 2 : 0;
				g[i].n = threads == 1 ? sheets
				         : i          ? sheets - sheets / 2
				                      : sheets / 2;
				g[i].s = s[i];
				pthread_create(&th[i], NULL, count_thread, &g[i]);
			}
			for (int i = 0; i < threads; i++)
				pthread_join(th[i], NULL);
			if (threads == 2 && kw_itemstats_merge(s[0], s[1]))
				bad = 1;
			double b = now();
			rate[r] = (double)sheets / (b - a);
			snap(s[0], &got);
			if (memcmp(&got, &ref, sizeof got) != 0) {
				printf("  pass %d with %d threads: the results differ from the "
				       "streaming "
				       "pass's\n",
				       r + 1, threads);
				bad = 1;
			}
			kw_itemstats_free(s[0]);
			kw_itemstats_free(s[1]);
		}
		double best = 0;
		for (int r = 0; r < reps; r++)
			best = rate[r] > best ? rate[r] : best;
		printf("in memory, %d thread%s: median %.2f M sheets/s (best %.2f) over %d passes; "
		       "%.2f s a pass\n",
		       threads, threads > 1 ? "s" : " ", median(rate, reps) / 1e6, best / 1e6, reps,
		       (double)sheets / median(rate, reps));
	}
	printf("results identical across passes and thread counts: %s\n", bad ? "NO" : "yes");
	printf("peak RSS %.1f MB (the answer array %.1f MB)\n", peak_rss_mb(),
	       (double)sheets * ITEMS / (1 << 20));
	free(answers);
	kw_itemstats_form_free(form);
	return bad;
}
