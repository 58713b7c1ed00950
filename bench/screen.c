/*
 * kw_bench_screen: the whole similar-answer screen of one subject at national scale, for
 * bench/b_screen.sh (issue 11 figures: 1,000,000 candidates × 150 items in rooms of 30 —
 * calibration on a 100,000 sample, abilities, every ordered within-room pair, exact tails for
 * the survivors and the dossier's indices (GBT, M4) for the flagged pairs, the transmitted-key
 * search — in ≤ 60 s wall and ≤ 2 GB on this 2-core machine; 3,000,000 in ≤ 3 minutes).
 *
 *   kw_bench_screen [--sheets N] [--items M] [--room-size S] [--centre-rooms C]
 *                   [--sample F] [--seed X] [--threads T] [--copiers P] [--copy F]
 *                   [--ring G] [--ring-noise E] [--omit RATE] [--scope room|adjacent|centre]
 *                   [--no-keys]
 *
 * ---- The generator (seeded; not part of the screen's time) ----
 * Item parameters as the reference generator (gen_collusion.py) draws them, 4 options, as in
 * bench/nrm_fit.c: the key's slope U(0.8, 1.8) and intercept N(0.6, 0.8²), each distractor's
 * slope U(−1, 0) and intercept N(0, 0.6²), centred; abilities N(0, 1) (kw_nrm_normal);
 * answers by kw_nrm_simulate (each sheet its own stream, so threads make the same bytes), each
 * item omitted with probability RATE (default 0.01). N sheets (default 1,000,000) in sheet
 * order, rooms of S (default 30: room = sheet / S, seat = sheet % S + 1), C rooms a centre
 * (default 30). Planted, after the answers are drawn:
 *  - P copiers (default 100), one in each of P rooms spread evenly: seat 2 writes seat 1's
 *    answer on each item with probability F (default 0.4);
 *  - one ring of G members (default 10) in G rooms spread evenly (seat 10 of each): one
 *    string (an average candidate's sheet, θ = 0) with each answer replaced by another option
 *    with probability E (default 0.03) — a transmitted key, near-identical across rooms.
 *
 * ---- What is timed ----
 * kw_screen_run (core/screen.h) with T threads (default 2): the phases from its stats (fit,
 * abilities, pairs, dossier, transmitted-key search) and the total; b_screen.sh runs this
 * program under /usr/bin/time for the wall time and peak RSS of the whole process (the
 * answers, N × M bytes, included). Then, untimed: planted pairs flagged (either direction),
 * flags that are not planted, the ring's cluster, the other clusters.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/nrm_fit.h"
#include "core/screen.h"
#include "util/bigalloc.h"
#include "util/buf.h"

static double now(void *data)
{
	(void)data;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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

static double rss_mb(const char *what)
{
	char line[256];
	double kb = 0;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, what, strlen(what)) == 0)
			kb = strtod(line + strlen(what), NULL);
	fclose(f);
	return kb / 1024;
}

static uint64_t next64(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static double unif(uint64_t *s)
{
	return (double)(next64(s) >> 11) * 0x1.0p-53;
}

struct gen {
	const struct kw_nrm_item *items;
	size_t m, n;
	uint64_t seed;
	double omit;
	uint8_t *resp;
	int parts, part;
};

static void *gen_part(void *arg)
{
	struct gen *g = arg;
	size_t from = g->n * (size_t)g->part / (size_t)g->parts;
	size_t to = g->n * (size_t)(g->part + 1) / (size_t)g->parts;
	enum { CH = 4096 };
	double th[CH];
	for (size_t s = from; s < to; s += CH) {
		size_t k = to - s < CH ? to - s : CH;
		for (size_t j = 0; j < k; j++)
			th[j] = kw_nrm_normal(g->seed ^ 0xAB11, s + j);
		kw_nrm_simulate(g->items, g->m, th, s, k, g->seed ^ 0x5117, g->omit,
		                g->resp + s * g->m);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	size_t N = 1000000, M = 150, S = 30, C = 30, sample = 100000, copiers = 100, ring = 10;
	uint64_t seed = 11;
	int threads = 2, scope = KW_SCREEN_ROOM, no_keys = 0;
	double frac = 0.4, noise = 0.03, omit = 0.01;
	static const struct option opts[] = {{"sheets", required_argument, 0, 'n'},
	                                     {"items", required_argument, 0, 'm'},
	                                     {"room-size", required_argument, 0, 'S'},
	                                     {"centre-rooms", required_argument, 0, 'C'},
	                                     {"sample", required_argument, 0, 's'},
	                                     {"seed", required_argument, 0, 'x'},
	                                     {"threads", required_argument, 0, 't'},
	                                     {"copiers", required_argument, 0, 'P'},
	                                     {"copy", required_argument, 0, 'F'},
	                                     {"ring", required_argument, 0, 'G'},
	                                     {"ring-noise", required_argument, 0, 'E'},
	                                     {"omit", required_argument, 0, 'o'},
	                                     {"scope", required_argument, 0, 'c'},
	                                     {"no-keys", no_argument, 0, 'k'},
	                                     {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			N = strtoull(optarg, NULL, 10);
			break;
		case 'm':
			M = strtoull(optarg, NULL, 10);
			break;
		case 'S':
			S = strtoull(optarg, NULL, 10);
			break;
		case 'C':
			C = strtoull(optarg, NULL, 10);
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
		case 'P':
			copiers = strtoull(optarg, NULL, 10);
			break;
		case 'F':
			frac = atof(optarg);
			break;
		case 'G':
			ring = strtoull(optarg, NULL, 10);
			break;
		case 'E':
			noise = atof(optarg);
			break;
		case 'o':
			omit = atof(optarg);
			break;
		case 'c':
			scope = strcmp(optarg, "adjacent") == 0 ? KW_SCREEN_ADJACENT
			        : strcmp(optarg, "centre") == 0 ? KW_SCREEN_CENTRE
			                                        : KW_SCREEN_ROOM;
			break;
		case 'k':
			no_keys = 1;
			break;
		default:
			fprintf(stderr, "usage: see bench/screen.c\n");
			return 2;
		}
	}
	size_t R = (N + S - 1) / S;
	if (!N || !M || M > KW_COLLUSION_MAX_ITEMS || S < 2 || !C || threads < 1 ||
	    threads > KW_SCREEN_MAX_THREADS || copiers > R || ring > R) {
		fprintf(stderr, "kw_bench_screen: bad arguments\n");
		return 2;
	}
	char la[128];
	loadavg(la, sizeof la);
	printf("kw_bench_screen: %zu sheets × %zu items (4 options, omit rate %g) in %zu rooms of "
	       "%zu, %zu rooms a centre; sample %zu, seed %" PRIu64 ", %d threads; "
	       "load average at the start: %s\n",
	       N, M, omit, R, S, C, sample, seed, threads, la);

	/* ---- the data ---- */
	double g0 = now(NULL);
	struct kw_nrm_item *items = kw_xcalloc(M, sizeof *items);
	uint8_t *key = kw_xmalloc(M);
	uint64_t rs = seed ^ 0x5EEDull, k = 0;
	for (size_t i = 0; i < M; i++) {
		struct kw_nrm_item *it = &items[i];
		it->ncat = 4;
		key[i] = (uint8_t)(next64(&rs) % 4);
		double ma = 0, mc = 0;
		for (int j = 0; j < 4; j++) {
			double z = kw_nrm_normal(seed ^ 0x1234ull, k++), v = unif(&rs);
			it->a[j] = j == key[i] ? 0.8 + v : -v;
			it->c[j] = j == key[i] ? 0.6 + 0.8 * z : 0.6 * z;
			ma += it->a[j] / 4;
			mc += it->c[j] / 4;
		}
		for (int j = 0; j < 4; j++) {
			it->a[j] -= ma;
			it->c[j] -= mc;
		}
	}
	uint8_t *resp = kw_xmalloc_big(N * M);
	{
		pthread_t tid[KW_SCREEN_MAX_THREADS];
		struct gen g[KW_SCREEN_MAX_THREADS];
		int started[KW_SCREEN_MAX_THREADS] = {0};
		for (int t = 0; t < threads; t++) {
			g[t] = (struct gen){items, M, N, seed, omit, resp, threads, t};
			if (t && pthread_create(&tid[t], NULL, gen_part, &g[t]) == 0)
				started[t] = 1;
			else if (t)
				gen_part(&g[t]);
		}
		gen_part(&g[0]);
		for (int t = 1; t < threads; t++)
			if (started[t])
				pthread_join(tid[t], NULL);
	}
	uint32_t *room = kw_xmalloc_big(N * sizeof *room), *seat = kw_xmalloc_big(N * sizeof *seat);
	uint32_t *centre = kw_xmalloc(R * sizeof *centre);
	for (size_t s = 0; s < N; s++) {
		room[s] = (uint32_t)(s / S);
		seat[s] = (uint32_t)(s % S + 1);
	}
	for (size_t r = 0; r < R; r++)
		centre[r] = (uint32_t)(r / C);
	uint64_t ps = seed ^ 0xC0B1;
	size_t *pc = kw_xmalloc((copiers ? copiers : 1) * sizeof *pc);
	size_t np = 0;
	for (size_t j = 0; j < copiers; j++) {
		size_t r = j * (R / copiers) + 1, src = r * S, cp = src + 1;
		if (cp >= N)
			continue;
		pc[np++] = src;
		for (size_t i = 0; i < M; i++)
			if (unif(&ps) < frac)
				resp[cp * M + i] = resp[src * M + i];
	}
	size_t *rm = kw_xmalloc((ring ? ring : 1) * sizeof *rm);
	size_t nrm = 0;
	if (ring) {
		uint8_t *str = kw_xmalloc(M);
		double t0 = 0;
		kw_nrm_simulate(items, M, &t0, 0, 1, seed ^ 0x5712, 0, str);
		for (size_t j = 0; j < ring; j++) {
			size_t r = j * (R / ring) + R / (2 * ring), m = r * S + 9;
			if (m >= N)
				continue;
			rm[nrm++] = m;
			for (size_t i = 0; i < M; i++) {
				uint8_t a = str[i];
				if (unif(&ps) < noise)
					a = (uint8_t)((a + 1 + next64(&ps) % 3) % 4);
				resp[m * M + i] = a;
			}
		}
		free(str);
	}
	double g1 = now(NULL);
	printf("data made in %.2f s (not timed below): %zu copiers (%.0f %% of the items), a ring "
	       "of %zu in %zu rooms (noise %.0f %%); RSS now %.0f MiB\n",
	       g1 - g0, np, 100 * frac, nrm, nrm, 100 * noise, rss_mb("VmRSS:"));

	/* ---- the screen ---- */
	struct kw_screen_input in = {
	        .n_sheets = N,
	        .n_items = M,
	        .ncat = 4,
	        .resp = resp,
	        .key = key,
	        .room = room,
	        .n_rooms = R,
	        .centre = centre,
	        .seat = seat,
	};
	struct kw_screen_opts o = {
	        .sample = sample,
	        .seed = seed,
	        .threads = threads,
	        .scope = scope,
	        .seat_columns = 5,
	        .no_keys = no_keys,
	        .clock = now,
	};
	struct kw_screen_result res;
	struct kw_err err = KW_ERR_INIT;
	double w0 = now(NULL), c0 = cpu_now();
	int rc = kw_screen_run(&in, &o, &res, &err);
	double w1 = now(NULL), c1 = cpu_now();
	if (rc) {
		fprintf(stderr, "kw_screen_run: %s: %s\n", err.code ? err.code : "?", err.msg);
		return 1;
	}
	const struct kw_screen_stats *st = &res.stats;
	printf("\nscreen: %.2f s wall, %.2f s CPU (both threads) in kw_screen_run\n", w1 - w0,
	       c1 - c0);
	printf("| phase | seconds |\n|---|---|\n");
	printf("| fit (MML-EM, %zu sheets, %d cycles, %s) | %.2f |\n", st->fit.sample_n,
	       st->fit.cycles, st->fit.converged ? "converged" : "NOT converged", st->t_fit);
	printf("| MAP abilities, %zu sheets | %.2f |\n", st->sheets, st->t_abilities);
	printf("| pairs: P(θ) tables, ω block, bound, exact tails | %.2f |\n", st->t_pairs);
	printf("| dossier of the %" PRIu64 " flagged pairs (counts, ω, GBT, M4, items) | %.2f |\n",
	       st->flagged, st->t_detail);
	printf("| transmitted-key search | %.2f |\n", st->t_keys);
	printf("| total | **%.2f** |\n", st->t_total);
	printf("ordered pairs screened %" PRIu64 " (%.2f M/s in the pairs phase); survivors of the "
	       "bound (exact tail computed) %" PRIu64 " (%.2f %%); largest ω z discarded %.3f; "
	       "α per pair %.3e (Bonferroni: 1/pairs); flagged %" PRIu64 "\n",
	       st->pairs, (double)st->pairs / st->t_pairs / 1e6, st->survivors,
	       100.0 * (double)st->survivors / (double)(st->pairs ? st->pairs : 1),
	       st->z_discarded_max, st->alpha, st->flagged);
	printf("excluded (omits only) %zu; rooms with one sheet %zu\n", st->excluded_no_answers,
	       st->rooms_single);

	/* ---- what it found ---- */
	size_t hit = 0, nullf = 0;
	for (size_t j = 0; j < np; j++) {
		int f = 0;
		for (size_t q = 0; q < res.n_pairs; q++) {
			const struct kw_screen_pair *p = &res.pairs[q];
			f |= (p->copier == pc[j] + 1 && p->source == pc[j]) ||
			     (p->copier == pc[j] && p->source == pc[j] + 1);
		}
		hit += (size_t)f;
	}
	for (size_t q = 0; q < res.n_pairs; q++) {
		const struct kw_screen_pair *p = &res.pairs[q];
		size_t lo = p->copier < p->source ? p->copier : p->source;
		size_t hi = p->copier < p->source ? p->source : p->copier;
		int planted = 0;
		for (size_t j = 0; j < np; j++)
			planted |= lo == pc[j] && hi == pc[j] + 1;
		if (!planted) {
			nullf++;
			printf("  flag not planted: %zu ← %zu (rooms %u, %u) p_exact %.3e z %.2f\n",
			       p->copier, p->source, p->room_c, p->room_s, p->p_exact, p->z);
		}
	}
	printf("planted copiers flagged (either direction): %zu of %zu; flags not planted: %zu "
	       "(Bonferroni expects ≤ 1)\n",
	       hit, np, nullf);
	if (res.n_pairs) {
		const struct kw_screen_pair *p = &res.pairs[0];
		printf("strongest flag: %zu ← %zu, θ %.2f / %.2f, matches %d (expected %.1f), "
		       "identical correct %d, wrong %d, run %d, z %.2f, p normal %.2e, exact %.2e, "
		       "GBT %.2e, M4 %.2e, adjacent %d\n",
		       p->copier, p->source, p->theta_c, p->theta_s, p->match, p->expected,
		       p->ident_correct, p->ident_wrong, p->run, p->z, p->p_normal, p->p_exact,
		       p->gbt, p->m4, p->adjacent);
	}
	if (!no_keys) {
		const struct kw_screen_key_stats *ks = &st->keys;
		printf("transmitted-key search: %zu eligible (≥ %d wrong), %zu distinct sets, %d × "
		       "%d "
		       "bands, %" PRIu64 " candidate pairs compared, %" PRIu64
		       " edges, %zu clusters "
		       "(%zu sheets), largest bucket %zu\n",
		       ks->eligible, ks->min_wrong, ks->distinct, ks->bands, ks->rows, ks->compared,
		       ks->edges, ks->clusters, ks->clustered, ks->largest_bucket);
		int ring_ok = 0;
		for (size_t q = 0; q < res.n_clusters; q++) {
			const struct kw_screen_cluster *cl = &res.clusters[q];
			int mine = nrm && cl->members[0] == rm[0];
			if (mine && cl->n_members == nrm) {
				ring_ok = 1;
				for (size_t j = 0; j < nrm; j++)
					ring_ok &= cl->members[j] == rm[j];
			}
			if (q < 10 || mine)
				printf("  cluster %zu: %zu members in %zu rooms, min J %.3f, %zu "
				       "shared "
				       "wrong answers%s\n",
				       q, cl->n_members, cl->n_rooms, cl->min_jaccard, cl->n_shared,
				       mine ? " (the ring)" : "");
		}
		printf("the ring found whole and alone: %s\n", ring_ok ? "yes" : "NO");
	}
	loadavg(la, sizeof la);
	printf("peak RSS (VmHWM) %.0f MiB; load average at the end: %s\n", rss_mb("VmHWM:"), la);
	kw_screen_result_release(&res);
	free(items);
	free(key);
	free(resp);
	free(room);
	free(seat);
	free(centre);
	free(pc);
	free(rm);
	return 0;
}
