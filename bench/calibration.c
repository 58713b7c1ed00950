/*
 * kw_bench_calib: the calibration and power study of the similar-answer screen (issue 11
 * item 6; SPEC GRD-6), for bench/b_calibration.sh. How often ω flags pairs that did not
 * copy (at α = 1e-3 .. 1e-7, with the exact Poisson-binomial tail and with the normal
 * tail), how often it flags pairs that did (by the share of items copied, at α = 1e-4 and
 * 1e-8), and what it says of members of a ring sharing a transmitted answer string.
 *
 *   kw_bench_calib [--mode all|null|power|rings|check] [--rooms R] [--room-size S]
 *                  [--items N] [--sample F] [--seed X] [--threads T] [--zcut Z]
 *                  [--audit-every A] [--copiers C] [--rings G] [--ring-size M]
 *                  [--ring-theta TH[,TH…]] [--ring-noise P] [--omit RATE] [--no-oracle]
 *
 * ---- The generator (seeded; every number below is a pure function of X) ----
 * Model: the reference generator's (../shared/peers/collusion-small/gen_collusion.py):
 * N items (default 150), 4 options; per item a key drawn uniformly from the 4, the key's
 * slope U(0.8, 1.8) and intercept N(0.6, 0.8²), each distractor's slope U(−1, 0) and
 * intercept N(0, 0.6²), slopes and intercepts centred to sum 0; abilities θ ~ N(0, 1);
 * answers drawn from Bock's nominal response model by kw_nrm_simulate (no omits unless
 * --omit; the reference generator has none). The random numbers are splitmix64 streams, not
 * Python's Mersenne Twister: the same distributions, not the same values as the script.
 * Streams (salt = a constant per use): items stream(X, 1, item); null abilities
 * kw_nrm_normal(mix(X ^ 2), sheet) and answers kw_nrm_simulate(seed mix(X ^ 3), sheet); a
 * power cell (mode d, fraction f) and a ring cell (share g) have their own salts (100 + 10d
 * + f, 200 + g) for abilities, answers and the copying.
 *
 * Null data set: rooms of S (default 30) in sheet order, room r = sheets rS .. rS + S − 1,
 * fresh candidates in every room (no candidate in two rooms). Nobody copies.
 *
 * Copying (power): in each cell, C pairs (default 10,000) of fresh candidates (copier 2j,
 * source 2j + 1, independent θ), m = round(f N) items copied verbatim from the source, as
 * gen_collusion.py does: "random" = a uniformly random m-subset of the items; "run" = one
 * contiguous run of m items starting uniformly in 0 .. N − m (the sheet copied over a
 * stretch of the paper). f = 10, 20, 30, 40, 50 %.
 *
 * Transmitted-key rings: G rings (default 300) per share g = 20, 40, 60, 80 %, each of M
 * members (default 6) seated in M different rooms. A ring's string is one simulated sheet
 * at θ = TH (default: 1.5, a strong solver outside the room whose string still carries some
 * wrong answers, and again 0.0, an average one; up to 4 values); each member (θ ~ N(0, 1),
 * own sheet drawn first) writes the string's answer on a random round(g N)-subset of the
 * items, each such answer replaced with probability P (default 0.05) by a uniformly drawn
 * other option (noise of transmission and transcription).
 *
 * ---- The screen's model ----
 * As kaowu screen does it: kw_nrm_fit (MML-EM, 61 points, the key given for orientation)
 * on a calibration sample of F sheets (default 100,000) — here the first F sheets of the
 * null data set, i.e. the first F/S rooms, which are a random sample since the rooms are
 * exchangeable — then every candidate's θ by MAP with CopyDetect's prior N(0, 10)
 * (kw_nrm_abilities), P_ik(θ̂) from the fitted parameters, ω for the ordered pair
 * (copier, source) conditioned on the source (core/collusion.h). Unless --no-oracle, the
 * null run screens every room a second time with the generating parameters and true θ (the
 * "oracle"), which separates the tail's error from the estimation's.
 *
 * ---- Null calibration ----
 * Every ordered pair of every room: S(S − 1) a room (870 at 30), R rooms. The prescreen is
 * kw_collusion_omega_batch (ω's z for one source against the room); the exact tail
 * (kw_collusion_omega with exact = 1) is computed for the pairs with z ≥ Z (default 2.0)
 * and for every pair of every A-th room (default 64: the audit). A pair counts as flagged
 * at α when its p-value ≤ α. The normal tail's p-value ≤ 1e-3 needs z ≥ 3.09 > Z, so both
 * tails are counted exactly for every pair. The prescreen is safe when no pair below the
 * cut has an exact p ≤ the largest α (1e-3): the audit rooms check that on every one of
 * their pairs and print the smallest exact p-value seen below the cut; the lowest z at which
 * an exact p ≤ α was seen (any computed pair) shows the margin.
 * Confidence bounds: Clopper–Pearson, one-sided upper 95 % (the p with P(X ≤ x) = 0.05).
 * Pairs of a room are not independent ((c, s) and (s, c) share their matches), so the
 * rooms' flag counts also give a design effect deff = var/mean of the per-room count (1
 * for independent rare flags), and the bound is given again for x/deff flags out of
 * n/deff pairs. Goal: the exact tail's upper bound ≤ 1.2 α at α = 1e-3, 1e-4, 1e-5.
 *
 * ---- Power ----
 * Per cell: the copier's θ by MAP from its sheet after copying, ω exact for (copier,
 * source) — "directed" — and also whether either ordered pair is flagged; 95 %
 * Clopper–Pearson intervals. Goals (150 items): ≥ .75 (30 %) and ≥ .85 (40 %) at 1e-4,
 * ≥ .25 (30 %) and ≥ .70 (40 %) at 1e-8. Also counted: a planted pair whose exact p ≤ α
 * had z < Z (the prescreen would have lost it; must be 0). For comparison only (what the
 * power is lost to), the same pairs with the copier's θ taken as its MAP from its sheet
 * before it copied, as its true θ (fitted parameters), and with true θ and true parameters.
 *
 * ---- Rings ----
 * Members sit in different rooms, so the within-room screen compares none of their pairs.
 * Printed: what ω says if the pairs are compared (as a nationwide search would put them
 * side by side): ordered member pairs flagged at 1e-4, 1e-8, 1e-12 (a national all-pairs
 * Bonferroni level), members with a flagged partner, rings whose flagged pairs connect all
 * members; identical wrong answers of member pairs against control pairs (member i of ring
 * g with member i of ring g + 1: not in a ring together).
 *
 * --check: a small self-check (116 rooms = 100,920 null pairs, every pair audited, fit on
 * those 3,480 sheets, 400 copiers at 40 %, 40 rings): exit 1 unless the bounds' self-tests
 * pass, the batch ω equals the per-pair ω, nothing below the cut reaches 1e-3, the exact
 * FPR's 95 % interval at 1e-3 reaches below 1.2e-3 and above 0.3e-3, power at 40 %,
 * 1e-4 is ≥ .6 and no planted pair is lost by the prescreen.
 *
 * Threads: rooms in chunks handed out in order; each chunk's answers and abilities are made
 * from their own streams, so the counts do not depend on the thread count.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/collusion.h"
#include "core/nrm.h"
#include "core/nrm_fit.h"
#include "util/bigalloc.h"
#include "util/buf.h"
#include "util/err.h"

#define K         4
#define NALPHA    5
#define MAXTHR    8
#define MAXROOM   256
#define NFRAC     5
#define NSHARE    4
#define NPA       3 /* power's α */
#define NRA       3 /* rings' α */
#define CHUNK_MIN 64
#define NBIN      7 /* decades of the exact p: [1e-4, 1e-3) .. [1e-10, 1e-9) */
#define MAXRT     4 /* ring string abilities */

static const double alphas[NALPHA] = {1e-3, 1e-4, 1e-5, 1e-6, 1e-7};
static const double fracs[NFRAC] = {0.1, 0.2, 0.3, 0.4, 0.5};
static const double shares[NSHARE] = {0.2, 0.4, 0.6, 0.8};
static const double pow_alpha[NPA] = {1e-4, 1e-6, 1e-8};
static const double ring_alpha[NRA] = {1e-4, 1e-8, 1e-12};

/* ---- randomness: splitmix64 ---- */

static uint64_t fin(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint64_t mix(uint64_t x)
{
	return fin(x + UINT64_C(0x9E3779B97F4A7C15));
}

static uint64_t next64(uint64_t *s)
{
	*s += UINT64_C(0x9E3779B97F4A7C15);
	return fin(*s);
}

static double unif(uint64_t *s)
{
	return (double)(next64(s) >> 11) * 0x1.0p-53;
}

static size_t below(uint64_t *s, size_t n)
{
	return (size_t)(unif(s) * (double)n);
}

static double gauss(uint64_t *s)
{
	double u1 = ((double)(next64(s) >> 11) + 1.0) * 0x1.0p-53, u2 = unif(s);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* The stream of (seed, salt, index). */
static uint64_t stream(uint64_t seed, uint64_t salt, uint64_t idx)
{
	return mix(mix(seed ^ mix(salt)) + idx);
}

static uint64_t salted(uint64_t seed, uint64_t salt)
{
	return mix(seed ^ mix(salt));
}

/* ---- clock, load ---- */

static double now(void)
{
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

/* ---- binomial confidence bounds (Clopper–Pearson) ---- */

/* P(X ≤ x), X ~ Bin(n, p): the terms from the largest one (at min(x, mode)) outwards, each
 * relative to it, so nothing overflows; stops where the terms fall below 1e-18 of the sum. */
static double binom_cdf(uint64_t x, uint64_t n, double p)
{
	if (x >= n || p <= 0)
		return 1;
	if (p >= 1)
		return 0;
	double dn = (double)n, mode = floor((dn + 1) * p);
	double k0 = mode < (double)x ? mode : (double)x;
	double l0 = lgamma(dn + 1) - lgamma(k0 + 1) - lgamma(dn - k0 + 1) + k0 * log(p) +
	            (dn - k0) * log1p(-p);
	double q = (1 - p) / p, s = 1, t = 1;
	for (double k = k0; k > 0; k--) {
		t *= k / (dn - k + 1) * q;
		s += t;
		if (t < 1e-18 * s)
			break;
	}
	t = 1;
	for (double k = k0 + 1; k <= (double)x; k++) {
		t *= (dn - k + 1) / k / q;
		s += t;
		if (t < 1e-18 * s)
			break;
	}
	double c = exp(l0) * s;
	return c > 1 ? 1 : c;
}

/* The p with binom_cdf(x, n, p) = target (decreasing in p), by bisection on log p. */
static double solve_p(uint64_t x, uint64_t n, double target)
{
	double lo = -745, hi = 0; /* log p */
	for (int it = 0; it < 200; it++) {
		double mid = 0.5 * (lo + hi);
		if (binom_cdf(x, n, exp(mid)) > target)
			lo = mid;
		else
			hi = mid;
	}
	return exp(0.5 * (lo + hi));
}

/* One-sided upper bound at confidence 1 − a: P(X ≤ x; p) = a. */
static double cp_upper(uint64_t x, uint64_t n, double a)
{
	return x >= n ? 1 : solve_p(x, n, a);
}

/* One-sided lower bound at confidence 1 − a: P(X ≥ x; p) = a. */
static double cp_lower(uint64_t x, uint64_t n, double a)
{
	return x == 0 ? 0 : solve_p(x - 1, n, 1 - a);
}

/* ---- the model ---- */

struct cfg {
	const char *mode;
	size_t rooms, S, n, sample, copiers, rings, ring_size;
	uint64_t seed;
	int threads, oracle, check;
	double zcut, ring_theta[MAXRT], ring_noise, omit;
	int n_ring_theta;
	size_t audit_every;
};

struct model {
	size_t n;
	struct kw_nrm_item *truth, *fit;
	uint8_t *key, *ncat;
	uint64_t th_seed, resp_seed; /* the null data set */
};

/* Item parameters as gen_collusion.py draws them. */
static void make_items(struct model *m, uint64_t seed)
{
	for (size_t i = 0; i < m->n; i++) {
		uint64_t r = stream(seed, 1, i);
		struct kw_nrm_item *it = &m->truth[i];
		uint8_t key = (uint8_t)below(&r, K);
		it->ncat = K;
		m->ncat[i] = K;
		m->key[i] = key;
		double sa = 0, sc = 0;
		for (int k = 0; k < K; k++) {
			double a = -unif(&r), c = 0.6 * gauss(&r);
			if (k == key) {
				a = 0.8 + unif(&r);
				c = 0.6 + 0.8 * gauss(&r);
			}
			it->a[k] = a;
			it->c[k] = c;
			sa += a;
			sc += c;
		}
		for (int k = 0; k < K; k++) {
			it->a[k] -= sa / K;
			it->c[k] -= sc / K;
		}
	}
}

struct gen {
	const struct model *m;
	size_t from, to;
	double omit;
	double *theta;
	uint8_t *resp;
};

static void *gen_part(void *arg)
{
	struct gen *g = arg;
	for (size_t j = g->from; j < g->to; j++)
		g->theta[j] = kw_nrm_normal(g->m->th_seed, j);
	kw_nrm_simulate(g->m->truth, g->m->n, g->theta + g->from, g->from, g->to - g->from,
	                g->m->resp_seed, g->omit, g->resp + g->from * g->m->n);
	return NULL;
}

/* Null sheets 0 .. cnt − 1 with T threads. */
static void gen_null(const struct model *m, size_t cnt, int threads, double omit, double *theta,
                     uint8_t *resp)
{
	struct gen g[MAXTHR];
	pthread_t tid[MAXTHR];
	for (int t = 0; t < threads; t++) {
		g[t] = (struct gen){m,
		                    cnt * (size_t)t / (size_t)threads,
		                    cnt * (size_t)(t + 1) / (size_t)threads,
		                    omit,
		                    theta,
		                    resp};
		pthread_create(&tid[t], NULL, gen_part, &g[t]);
	}
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
}

static int map_abilities(const struct model *m, const struct kw_nrm_item *items,
                         const uint8_t *resp, size_t cnt, int threads, double *map)
{
	struct kw_err err = KW_ERR_INIT;
	struct kw_nrm_abil_opts ao = {.threads = threads}; /* MAP prior N(0, 10) */
	int rc = kw_nrm_abilities(items, m->n, resp, cnt, &ao, map, NULL, NULL, NULL, &err);
	if (rc)
		fprintf(stderr, "kw_nrm_abilities: %s: %s\n", err.code, err.msg);
	kw_err_release(&err);
	return rc;
}

static void probs_of(const struct kw_nrm_item *items, size_t n, double theta, double *p)
{
	for (size_t i = 0; i < n; i++)
		kw_nrm_probs(&items[i], theta, p + i * K);
}

/* ---- null calibration ---- */

struct tally {
	uint64_t pairs, computed, survivors, audited, zdiff;
	uint64_t xe[NALPHA], xn[NALPHA];   /* flagged: exact, normal */
	uint64_t sse[NALPHA], ssn[NALPHA]; /* Σ over rooms of the room's count squared */
	uint64_t both[NALPHA];             /* unordered pairs flagged (exact) both ways */
	uint64_t miss[NALPHA];             /* exact ≤ α with z below the cut */
	double minz[NALPHA];               /* lowest z with exact ≤ α */
	double minp_below;                 /* audit: smallest exact p with z < cut */
	double minp_below_z;
	uint64_t bin_n[NBIN]; /* computed pairs by the decade of their exact p */
	double bin_lr[NBIN];  /* Σ log10(p_normal / p_exact) there */
};

static void tally_init(struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (int a = 0; a < NALPHA; a++)
		t->minz[a] = INFINITY;
	t->minp_below = INFINITY;
}

static void tally_add(struct tally *d, const struct tally *s)
{
	d->pairs += s->pairs;
	d->computed += s->computed;
	d->survivors += s->survivors;
	d->audited += s->audited;
	d->zdiff += s->zdiff;
	for (int a = 0; a < NALPHA; a++) {
		d->xe[a] += s->xe[a];
		d->xn[a] += s->xn[a];
		d->sse[a] += s->sse[a];
		d->ssn[a] += s->ssn[a];
		d->both[a] += s->both[a];
		d->miss[a] += s->miss[a];
		d->minz[a] = fmin(d->minz[a], s->minz[a]);
	}
	for (int b = 0; b < NBIN; b++) {
		d->bin_n[b] += s->bin_n[b];
		d->bin_lr[b] += s->bin_lr[b];
	}
	if (s->minp_below < d->minp_below) {
		d->minp_below = s->minp_below;
		d->minp_below_z = s->minp_below_z;
	}
}

struct nullrun {
	const struct cfg *c;
	const struct model *m;
	size_t chunk, nchunks;
	atomic_size_t next;
	pthread_mutex_t mu;
	size_t done;
	double t0;
	int failed;
	struct tally tot[2];
};

struct roomwork {
	struct kw_collusion_block b;
	double *pc; /* S × n × K */
	double z[MAXROOM];
	uint8_t *flag; /* S × S: bit a when exact ≤ alphas[a] */
};

/* One room under one model (v 0: fitted + MAP, 1: the oracle). */
static void screen_room(const struct cfg *c, const struct model *m, int v, size_t room,
                        const uint8_t *resp, const double *theta, struct roomwork *w,
                        struct tally *t)
{
	const size_t S = c->S, n = m->n;
	const struct kw_nrm_item *items = v ? m->truth : m->fit;
	int audit = c->audit_every && room % c->audit_every == 0;
	uint32_t ce[NALPHA] = {0}, cn[NALPHA] = {0};
	for (size_t i = 0; i < S; i++) {
		probs_of(items, n, theta[i], w->pc + i * n * K);
		kw_collusion_block_set(&w->b, i, m->key, resp + i * n, w->pc + i * n * K);
	}
	memset(w->flag, 0, S * S);
	for (size_t s = 0; s < S; s++) {
		const uint8_t *xs = resp + s * n;
		kw_collusion_omega_batch(&w->b, S, xs, NULL, NULL, NULL, w->z);
		for (size_t cp = 0; cp < S; cp++) {
			if (cp == s)
				continue;
			double z = w->z[cp];
			t->pairs++;
			if (!audit && !(z >= c->zcut))
				continue;
			t->survivors += z >= c->zcut;
			t->audited += audit;
			t->computed++;
			struct kw_collusion_pair pr = {n,
			                               K,
			                               m->key,
			                               resp + cp * n,
			                               xs,
			                               w->pc + cp * n * K,
			                               w->pc + s * n * K};
			struct kw_collusion_omega om;
			kw_collusion_omega(&pr, 1, &om);
			t->zdiff += om.z != z;
			if (z < c->zcut && om.p_exact < t->minp_below) {
				t->minp_below = om.p_exact;
				t->minp_below_z = z;
			}
			int bin = (int)floor(-log10(om.p_exact)) - 3; /* [1e-4, 1e-3) → 0 */
			if (om.p_exact < 1e-3 && bin >= 0 && bin < NBIN && om.p_normal > 0) {
				t->bin_n[bin]++;
				t->bin_lr[bin] += log10(om.p_normal / om.p_exact);
			}
			for (int a = 0; a < NALPHA; a++) {
				if (om.p_exact <= alphas[a]) {
					ce[a]++;
					w->flag[cp * S + s] |= (uint8_t)(1u << a);
					t->minz[a] = fmin(t->minz[a], z);
					t->miss[a] += z < c->zcut;
				}
				cn[a] += om.p_normal <= alphas[a];
			}
		}
	}
	for (int a = 0; a < NALPHA; a++) {
		t->xe[a] += ce[a];
		t->xn[a] += cn[a];
		t->sse[a] += (uint64_t)ce[a] * ce[a];
		t->ssn[a] += (uint64_t)cn[a] * cn[a];
		for (size_t i = 0; i < S; i++)
			for (size_t j = i + 1; j < S; j++)
				t->both[a] += (w->flag[i * S + j] & w->flag[j * S + i]) >> a & 1;
	}
}

static void *null_worker(void *arg)
{
	struct nullrun *r = arg;
	const struct cfg *c = r->c;
	const struct model *m = r->m;
	const size_t S = c->S, n = m->n, cs = r->chunk * S;
	double *theta = kw_xmalloc(cs * sizeof *theta), *map = kw_xmalloc(cs * sizeof *map);
	uint8_t *resp = kw_xmalloc_big(cs * n);
	struct roomwork w;
	struct tally t[2];
	tally_init(&t[0]);
	tally_init(&t[1]);
	if (kw_collusion_block_init(&w.b, n, K, S) != 0)
		abort();
	w.pc = kw_xmalloc(S * n * K * sizeof *w.pc);
	w.flag = kw_xmalloc(S * S);
	size_t ch;
	while ((ch = atomic_fetch_add(&r->next, 1)) < r->nchunks) {
		size_t r0 = ch * r->chunk, nr = c->rooms - r0 < r->chunk ? c->rooms - r0 : r->chunk;
		size_t first = r0 * S, cnt = nr * S;
		for (size_t j = 0; j < cnt; j++)
			theta[j] = kw_nrm_normal(m->th_seed, first + j);
		kw_nrm_simulate(m->truth, n, theta, first, cnt, m->resp_seed, c->omit, resp);
		if (map_abilities(m, m->fit, resp, cnt, 1, map) != 0) {
			r->failed = 1;
			break;
		}
		for (size_t k = 0; k < nr; k++) {
			screen_room(c, m, 0, r0 + k, resp + k * S * n, map + k * S, &w, &t[0]);
			if (c->oracle)
				screen_room(c, m, 1, r0 + k, resp + k * S * n, theta + k * S, &w,
				            &t[1]);
		}
		pthread_mutex_lock(&r->mu);
		r->done++;
		size_t every = r->nchunks / 20 ? r->nchunks / 20 : 1;
		if (r->done % every == 0 || r->done == r->nchunks) {
			double el = now() - r->t0;
			fprintf(stderr, "  null: %zu of %zu chunks, %.0f s, about %.0f s to go\n",
			        r->done, r->nchunks, el,
			        el / (double)r->done * (double)(r->nchunks - r->done));
		}
		pthread_mutex_unlock(&r->mu);
	}
	pthread_mutex_lock(&r->mu);
	tally_add(&r->tot[0], &t[0]);
	tally_add(&r->tot[1], &t[1]);
	pthread_mutex_unlock(&r->mu);
	kw_collusion_block_release(&w.b);
	free(w.pc);
	free(w.flag);
	free(theta);
	free(map);
	free(resp);
	return NULL;
}

static void print_null(const struct cfg *c, const struct tally *t, const char *what, int *ok)
{
	double rooms = (double)c->rooms;
	printf("\n%s — %" PRIu64 " ordered pairs\n", what, t->pairs);
	printf("| α | tail | flagged | rate | rate/α | CP upper 95 %% | upper/α | deff | upper/α "
	       "with deff | flagged both ways |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|\n");
	for (int a = 0; a < NALPHA; a++)
		for (int e = 0; e < 2; e++) {
			uint64_t x = e ? t->xn[a] : t->xe[a], ss = e ? t->ssn[a] : t->sse[a];
			double rate = (double)x / (double)t->pairs;
			double up = cp_upper(x, t->pairs, 0.05);
			double mean = (double)x / rooms, var = (double)ss / rooms - mean * mean;
			double deff = x ? var / mean : 1;
			double d = deff > 1 ? deff : 1;
			double upd = cp_upper((uint64_t)llround((double)x / d),
			                      (uint64_t)llround((double)t->pairs / d), 0.05);
			char both[32] = "";
			if (!e)
				snprintf(both, sizeof both, "%" PRIu64, t->both[a]);
			printf("| %.0e | %s | %" PRIu64 " | %.3e | %.3f | %.3e | **%.3f** | %.2f | "
			       "%.3f | %s |\n",
			       alphas[a], e ? "normal" : "exact", x, rate, rate / alphas[a], up,
			       up / alphas[a], deff, upd / alphas[a], both);
			if (ok && !e && a < 3 && upd > 1.2 * alphas[a])
				*ok = 0;
		}
	printf("prescreen z ≥ %.2f: %" PRIu64 " survivors (%.3f %% of pairs); exact tails computed "
	       "for %" PRIu64 " pairs (%" PRIu64 " of them every pair of every %zu-th room); "
	       "block ω ≠ per-pair ω: %" PRIu64 "\n",
	       c->zcut, t->survivors, 100.0 * (double)t->survivors / (double)t->pairs, t->computed,
	       t->audited, c->audit_every, t->zdiff);
	printf("safety: in the audited pairs below the cut the smallest exact p was %.3e (at z = "
	       "%.3f); pairs with exact p ≤ α below the cut:",
	       t->minp_below, t->minp_below_z);
	for (int a = 0; a < NALPHA; a++)
		printf(" %" PRIu64 " (α %.0e)", t->miss[a], alphas[a]);
	printf("\nlowest z at which an exact p ≤ α was seen:");
	for (int a = 0; a < NALPHA; a++)
		printf(" %.3f (α %.0e)", t->minz[a], alphas[a]);
	printf("\nthe normal tail's p ÷ the exact p (geometric mean over the computed pairs) by "
	       "the exact p's decade:");
	for (int b = 0; b < NBIN; b++)
		if (t->bin_n[b])
			printf(" [1e-%d, 1e-%d): %.3g (%" PRIu64 " pairs);", b + 4, b + 3,
			       pow(10, t->bin_lr[b] / (double)t->bin_n[b]), t->bin_n[b]);
	printf("\n");
}

/* ---- power ---- */

struct powcell {
	uint64_t x[NPA], either[NPA], miss[NPA], oracle[NPA], trueth[NPA], clean[NPA];
	double sum_h, sum_e, sum_z;
};

static int power_cell(const struct cfg *c, const struct model *m, int mode, int fi, size_t C,
                      struct powcell *out)
{
	const size_t n = m->n;
	const uint64_t salt = 100 + 10 * (uint64_t)mode + (uint64_t)fi;
	const uint64_t ths = salted(c->seed, salt * 3 + 1), rsd = salted(c->seed, salt * 3 + 2);
	double *theta = kw_xmalloc(2 * C * sizeof *theta), *map = kw_xmalloc(2 * C * sizeof *map);
	double *map0 = kw_xmalloc(2 * C * sizeof *map0);
	uint8_t *resp = kw_xmalloc(2 * C * n);
	double *pc = kw_xmalloc(n * K * sizeof *pc), *ps = kw_xmalloc(n * K * sizeof *ps);
	size_t *perm = kw_xmalloc(n * sizeof *perm);
	size_t mcopy = (size_t)llround(fracs[fi] * (double)n);
	memset(out, 0, sizeof *out);
	for (size_t j = 0; j < 2 * C; j++)
		theta[j] = kw_nrm_normal(ths, j);
	kw_nrm_simulate(m->truth, n, theta, 0, 2 * C, rsd, c->omit, resp);
	/* for comparison only: the copier's MAP θ from its sheet before it copied */
	int rc = map_abilities(m, m->fit, resp, 2 * C, c->threads, map0);
	for (size_t j = 0; !rc && j < C; j++) {
		uint8_t *xc = resp + 2 * j * n;
		const uint8_t *xs = resp + (2 * j + 1) * n;
		uint64_t r = stream(c->seed, salt * 3 + 3, j);
		if (mode == 0) { /* a random m-subset: the first m of a partial Fisher–Yates */
			for (size_t i = 0; i < n; i++)
				perm[i] = i;
			for (size_t i = 0; i < mcopy; i++) {
				size_t k = i + below(&r, n - i), tmp = perm[i];
				perm[i] = perm[k];
				perm[k] = tmp;
				xc[perm[i]] = xs[perm[i]];
			}
		} else { /* one run of m items */
			size_t st = below(&r, n - mcopy + 1);
			for (size_t i = st; i < st + mcopy; i++)
				xc[i] = xs[i];
		}
	}
	if (!rc)
		rc = map_abilities(m, m->fit, resp, 2 * C, c->threads, map);
	for (size_t j = 0; !rc && j < C; j++) {
		const uint8_t *xc = resp + 2 * j * n, *xs = resp + (2 * j + 1) * n;
		probs_of(m->fit, n, map[2 * j], pc);
		probs_of(m->fit, n, map[2 * j + 1], ps);
		struct kw_collusion_pair d = {n, K, m->key, xc, xs, pc, ps};
		struct kw_collusion_pair rv = {n, K, m->key, xs, xc, ps, pc};
		struct kw_collusion_omega o1, o2;
		kw_collusion_omega(&d, 1, &o1);
		kw_collusion_omega(&rv, 1, &o2);
		struct kw_collusion_omega o3, o4, o5;
		probs_of(m->fit, n, map0[2 * j], pc);
		kw_collusion_omega(&d, 1, &o5); /* fitted parameters, MAP before copying */
		probs_of(m->fit, n, theta[2 * j], pc);
		kw_collusion_omega(&d, 1, &o4); /* fitted parameters, the copier's true θ */
		probs_of(m->truth, n, theta[2 * j], pc);
		kw_collusion_omega(&d, 1, &o3); /* the oracle: true parameters, true θ */
		out->sum_h += o1.h;
		out->sum_e += o1.expected;
		out->sum_z += o1.z;
		for (int a = 0; a < NPA; a++) {
			int f1 = o1.p_exact <= pow_alpha[a], f2 = o2.p_exact <= pow_alpha[a];
			out->x[a] += f1;
			out->either[a] += f1 || f2;
			out->oracle[a] += o3.p_exact <= pow_alpha[a];
			out->trueth[a] += o4.p_exact <= pow_alpha[a];
			out->clean[a] += o5.p_exact <= pow_alpha[a];
			out->miss[a] += (f1 && o1.z < c->zcut) + (f2 && o2.z < c->zcut);
		}
	}
	free(theta);
	free(map);
	free(map0);
	free(resp);
	free(pc);
	free(ps);
	free(perm);
	return rc;
}

static void fmt_ci(char *buf, size_t bn, uint64_t x, uint64_t n)
{
	snprintf(buf, bn, "%.3f [%.3f, %.3f]", (double)x / (double)n, cp_lower(x, n, 0.025),
	         cp_upper(x, n, 0.025));
}

/* The goals of issue 11 at 150 items: power at 30 % and 40 % copied. */
static const char *power_goal(int fi, int a)
{
	if (fi == 2 && a == 0)
		return "≥ .75";
	if (fi == 3 && a == 0)
		return "≥ .85";
	if (fi == 2 && a == 2)
		return "≥ .25";
	if (fi == 3 && a == 2)
		return "≥ .70";
	return NULL;
}

static double goal_value(int fi, int a)
{
	return fi == 2 ? (a == 0 ? .75 : .25) : (a == 0 ? .85 : .70);
}

static int run_power(const struct cfg *c, const struct model *m, double *pow40, int *goals_ok)
{
	static const char *mname[2] = {"random items", "one run"};
	printf("\n## Power: planted copiers, ω with the exact tail (fitted model, MAP θ of the "
	       "copier after copying), %zu copiers a cell, 95 %% Clopper–Pearson intervals\n",
	       c->copiers);
	printf("| copying | copied | copiers | α = 1e-4 | α = 1e-6 | α = 1e-8 | either direction, "
	       "1e-8 | for comparison, 1e-4 / 1e-8 with the copier's θ: MAP before copying | true "
	       "θ | "
	       "true θ and true parameters | mean h − E(h) (z) | goals |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	uint64_t misses = 0;
	*goals_ok = 1;
	for (int mode = 0; mode < 2; mode++)
		for (int fi = 0; fi < NFRAC; fi++) {
			struct powcell pc;
			double t0 = now();
			if (power_cell(c, m, mode, fi, c->copiers, &pc) != 0)
				return 1;
			char cell[NPA][64], eb[64], goals[256] = "";
			for (int a = 0; a < NPA; a++) {
				fmt_ci(cell[a], sizeof cell[a], pc.x[a], c->copiers);
				misses += pc.miss[a];
				const char *g = power_goal(fi, a);
				if (g && m->n == 150) {
					double pw = (double)pc.x[a] / (double)c->copiers;
					double gv = goal_value(fi, a);
					int met = pw >= gv;
					int near =
					        !met && cp_upper(pc.x[a], c->copiers, 0.025) >= gv;
					char how[96];
					if (near)
						snprintf(
						        how, sizeof how,
						        "NOT met by the estimate %.4f (the goal is "
						        "inside its interval)",
						        pw);
					*goals_ok &= met;
					size_t l = strlen(goals);
					snprintf(goals + l, sizeof goals - l, "%s%.0e %s %s",
					         l ? "; " : "", pow_alpha[a], g,
					         met    ? "met"
					         : near ? how
					                : "NOT met");
				}
			}
			fmt_ci(eb, sizeof eb, pc.either[2], c->copiers);
			if (mode == 0 && fi == 3)
				*pow40 = (double)pc.x[0] / (double)c->copiers;
			double cn = (double)c->copiers;
			printf("| %s | %.0f %% (%zu items) | %zu | %s | %s | %s | %s | %.3f / %.3f "
			       "| "
			       "%.3f / %.3f | %.3f / %.3f | %.1f (%.2f) | %s |\n",
			       mname[mode], 100 * fracs[fi],
			       (size_t)llround(fracs[fi] * (double)m->n), c->copiers, cell[0],
			       cell[1], cell[2], eb, (double)pc.clean[0] / cn,
			       (double)pc.clean[2] / cn, (double)pc.trueth[0] / cn,
			       (double)pc.trueth[2] / cn, (double)pc.oracle[0] / cn,
			       (double)pc.oracle[2] / cn,
			       (pc.sum_h - pc.sum_e) / (double)c->copiers,
			       pc.sum_z / (double)c->copiers, goals);
			fprintf(stderr, "  power cell %s %.0f %%: %.1f s\n", mname[mode],
			        100 * fracs[fi], now() - t0);
		}
	printf("planted pairs (either direction) with an exact p ≤ α but z below the prescreen's "
	       "cut %.2f: %" PRIu64 "\n",
	       c->zcut, misses);
	return 0;
}

/* ---- transmitted-key rings ---- */

static size_t uf_find(size_t *p, size_t i)
{
	while (p[i] != i)
		i = p[i] = p[p[i]];
	return i;
}

static int run_rings(const struct cfg *c, const struct model *m, double ring_theta)
{
	const size_t n = m->n, G = c->rings, M = c->ring_size, cnt = G * M;
	printf("\n## Transmitted-key rings: %zu rings of %zu members a share, each member in a "
	       "different room; the string a sheet at θ = %.2f; transmission noise %.0f %%\n",
	       G, M, ring_theta, 100 * c->ring_noise);
	printf("Within-room screen: 0 of the ring pairs are compared (no two members share a "
	       "room). "
	       "If compared pairwise (ω exact, fitted model, MAP θ):\n");
	printf("| share | ordered member pairs | flagged 1e-4 | flagged 1e-8 | flagged 1e-12 | "
	       "members with a partner flagged at 1e-8 | rings connected at 1e-8 | identical "
	       "wrong, "
	       "ring pairs / control pairs | control flagged 1e-4 |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");
	double *theta = kw_xmalloc(cnt * sizeof *theta), *map = kw_xmalloc(cnt * sizeof *map);
	uint8_t *resp = kw_xmalloc(cnt * n), *str = kw_xmalloc(G * n);
	double *pr = kw_xmalloc(cnt * n * K * sizeof *pr);
	size_t *perm = kw_xmalloc(n * sizeof *perm), *uf = kw_xmalloc(M * sizeof *uf);
	uint8_t *hit = kw_xmalloc(M);
	double *tth = kw_xmalloc(G * sizeof *tth);
	int rc = 0;
	for (int g = 0; g < NSHARE && !rc; g++) {
		const uint64_t salt = 200 + (uint64_t)g;
		const uint64_t ths = salted(c->seed, salt * 5 + 1),
		               rsd = salted(c->seed, salt * 5 + 2);
		const uint64_t tsd = salted(c->seed, salt * 5 + 3);
		size_t mcopy = (size_t)llround(shares[g] * (double)n);
		for (size_t j = 0; j < G; j++)
			tth[j] = ring_theta;
		kw_nrm_simulate(m->truth, n, tth, 0, G, tsd, 0, str);
		size_t str_wrong = 0;
		for (size_t j = 0; j < G; j++)
			str_wrong += (size_t)kw_collusion_wrong(str + j * n, m->key, n);
		for (size_t j = 0; j < cnt; j++)
			theta[j] = kw_nrm_normal(ths, j);
		kw_nrm_simulate(m->truth, n, theta, 0, cnt, rsd, c->omit, resp);
		for (size_t j = 0; j < cnt; j++) {
			uint8_t *x = resp + j * n;
			const uint8_t *t = str + (j / M) * n;
			uint64_t r = stream(c->seed, salt * 5 + 4, j);
			for (size_t i = 0; i < n; i++)
				perm[i] = i;
			for (size_t i = 0; i < mcopy; i++) {
				size_t k = i + below(&r, n - i), tmp = perm[i];
				perm[i] = perm[k];
				perm[k] = tmp;
				size_t it = perm[i];
				uint8_t a = t[it];
				if (unif(&r) < c->ring_noise)
					a = (uint8_t)((a + 1 + below(&r, K - 1)) % K);
				x[it] = a;
			}
		}
		rc = map_abilities(m, m->fit, resp, cnt, c->threads, map);
		if (rc)
			break;
		for (size_t j = 0; j < cnt; j++)
			probs_of(m->fit, n, map[j], pr + j * n * K);
		uint64_t np = 0, fl[NRA] = {0}, members = 0, whole = 0, iw = 0, iwc = 0, npc = 0;
		uint64_t cfl = 0;
		for (size_t ring = 0; ring < G; ring++) {
			for (size_t a = 0; a < M; a++) {
				uf[a] = a;
				hit[a] = 0;
			}
			for (size_t a = 0; a < M; a++)
				for (size_t b = 0; b < M; b++) {
					if (a == b)
						continue;
					size_t ia = ring * M + a, ib = ring * M + b;
					struct kw_collusion_pair p = {n,
					                              K,
					                              m->key,
					                              resp + ia * n,
					                              resp + ib * n,
					                              pr + ia * n * K,
					                              pr + ib * n * K};
					struct kw_collusion_omega o;
					struct kw_collusion_counts cn;
					kw_collusion_omega(&p, 1, &o);
					kw_collusion_count(&p, &cn);
					np++;
					iw += (uint64_t)cn.ident_wrong;
					for (int k = 0; k < NRA; k++)
						fl[k] += o.p_exact <= ring_alpha[k];
					if (o.p_exact <= ring_alpha[1]) {
						hit[a] = hit[b] = 1;
						uf[uf_find(uf, a)] = uf_find(uf, b);
					}
				}
			size_t roots = 0;
			for (size_t a = 0; a < M; a++) {
				members += hit[a];
				roots += uf_find(uf, a) == a;
			}
			whole += roots == 1;
			/* control: member a of this ring against member a of the next, both ways */
			for (size_t a = 0; a < M && G > 1; a++)
				for (int dir = 0; dir < 2; dir++) {
					size_t ia = ring * M + a, ib = ((ring + 1) % G) * M + a;
					if (dir) {
						size_t tmp = ia;
						ia = ib;
						ib = tmp;
					}
					struct kw_collusion_pair p = {n,
					                              K,
					                              m->key,
					                              resp + ia * n,
					                              resp + ib * n,
					                              pr + ia * n * K,
					                              pr + ib * n * K};
					struct kw_collusion_omega o;
					struct kw_collusion_counts cn;
					kw_collusion_omega(&p, 1, &o);
					kw_collusion_count(&p, &cn);
					npc++;
					iwc += (uint64_t)cn.ident_wrong;
					cfl += o.p_exact <= ring_alpha[0];
				}
		}
		char f[NRA][64], mem[64], wh[64];
		for (int k = 0; k < NRA; k++)
			fmt_ci(f[k], sizeof f[k], fl[k], np);
		fmt_ci(mem, sizeof mem, members, cnt);
		fmt_ci(wh, sizeof wh, whole, G);
		printf("| %.0f %% (%zu items; the string %.1f wrong on average) | %" PRIu64
		       " | %s | %s | %s | %s | %s | %.2f / %.2f | %" PRIu64 " of %" PRIu64 " |\n",
		       100 * shares[g], mcopy, (double)str_wrong / (double)G, np, f[0], f[1], f[2],
		       mem, wh, (double)iw / (double)np, npc ? (double)iwc / (double)npc : 0.0, cfl,
		       npc);
	}
	free(theta);
	free(map);
	free(resp);
	free(str);
	free(pr);
	free(perm);
	free(uf);
	free(hit);
	free(tth);
	return rc;
}

/* ---- self-tests of the bounds ---- */

static int bounds_selftest(void)
{
	int bad = 0;
	/* x = 0: the upper bound is 1 − a^(1/n) */
	double u = cp_upper(0, 100000000, 0.05), want = -expm1(log(0.05) / 1e8);
	bad |= fabs(u / want - 1) > 1e-9;
	/* x = 10 of 1e8: close to the exact Poisson bound 16.962/1e8 (χ²(0.95; 22) / 2) */
	u = cp_upper(10, 100000000, 0.05);
	bad |= fabs(u / 16.96222e-8 - 1) > 1e-4;
	/* x = n/2 of 100: the two-sided interval of 50/100 is [0.3983, 0.6017] */
	double lo = cp_lower(50, 100, 0.025), hi = cp_upper(50, 100, 0.025);
	bad |= fabs(lo - 0.398321) > 1e-5 || fabs(hi - 0.601679) > 1e-5;
	/* the bound is where P(X ≤ x) = 0.05 */
	u = cp_upper(1000, 100000000, 0.05);
	bad |= fabs(binom_cdf(1000, 100000000, u) - 0.05) > 1e-9;
	printf("bounds self-test (Clopper–Pearson): %s (upper 95 %% for 0, 10, 1000 of 1e8: %.4e, "
	       "%.4e, %.4e; 50 of 100 two-sided: [%.4f, %.4f])\n",
	       bad ? "FAILED" : "ok", cp_upper(0, 100000000, 0.05), cp_upper(10, 100000000, 0.05),
	       u, lo, hi);
	return bad;
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr, "usage: kw_bench_calib [--mode all|null|power|rings|check] [--rooms R] "
	                "[--room-size S] [--items N] [--sample F] [--seed X] [--threads T] "
	                "[--zcut Z] [--audit-every A] [--copiers C] [--rings G] [--ring-size M] "
	                "[--ring-theta TH] [--ring-noise P] [--omit RATE] [--no-oracle]\n");
}

int main(int argc, char **argv)
{
	struct cfg c = {.mode = "all",
	                .rooms = 115000,
	                .S = 30,
	                .n = 150,
	                .sample = 100000,
	                .copiers = 10000,
	                .rings = 300,
	                .ring_size = 6,
	                .seed = 20261207,
	                .threads = 2,
	                .oracle = 1,
	                .zcut = 2.0,
	                .ring_theta = {1.5, 0.0},
	                .n_ring_theta = 2,
	                .ring_noise = 0.05,
	                .audit_every = 64};
	static const struct option lo[] = {{"mode", required_argument, 0, 'M'},
	                                   {"rooms", required_argument, 0, 'r'},
	                                   {"room-size", required_argument, 0, 'S'},
	                                   {"items", required_argument, 0, 'n'},
	                                   {"sample", required_argument, 0, 'f'},
	                                   {"seed", required_argument, 0, 'x'},
	                                   {"threads", required_argument, 0, 't'},
	                                   {"zcut", required_argument, 0, 'z'},
	                                   {"audit-every", required_argument, 0, 'a'},
	                                   {"copiers", required_argument, 0, 'c'},
	                                   {"rings", required_argument, 0, 'g'},
	                                   {"ring-size", required_argument, 0, 'm'},
	                                   {"ring-theta", required_argument, 0, 'T'},
	                                   {"ring-noise", required_argument, 0, 'p'},
	                                   {"omit", required_argument, 0, 'o'},
	                                   {"no-oracle", no_argument, 0, 'O'},
	                                   {0, 0, 0, 0}};
	int o;
	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'M':
			c.mode = optarg;
			break;
		case 'r':
			c.rooms = strtoull(optarg, NULL, 10);
			break;
		case 'S':
			c.S = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			c.n = strtoull(optarg, NULL, 10);
			break;
		case 'f':
			c.sample = strtoull(optarg, NULL, 10);
			break;
		case 'x':
			c.seed = strtoull(optarg, NULL, 10);
			break;
		case 't':
			c.threads = atoi(optarg);
			break;
		case 'z':
			c.zcut = atof(optarg);
			break;
		case 'a':
			c.audit_every = strtoull(optarg, NULL, 10);
			break;
		case 'c':
			c.copiers = strtoull(optarg, NULL, 10);
			break;
		case 'g':
			c.rings = strtoull(optarg, NULL, 10);
			break;
		case 'm':
			c.ring_size = strtoull(optarg, NULL, 10);
			break;
		case 'T': {
			char *e = optarg;
			c.n_ring_theta = 0;
			while (*e && c.n_ring_theta < MAXRT) {
				c.ring_theta[c.n_ring_theta++] = strtod(e, &e);
				if (*e == ',')
					e++;
				else
					break;
			}
			break;
		}
		case 'p':
			c.ring_noise = atof(optarg);
			break;
		case 'o':
			c.omit = atof(optarg);
			break;
		case 'O':
			c.oracle = 0;
			break;
		default:
			usage();
			return 2;
		}
	}
	int do_null = 0, do_power = 0, do_rings = 0;
	if (strcmp(c.mode, "check") == 0) {
		c.check = 1;
		c.rooms = 116;
		c.sample = 116 * c.S;
		c.audit_every = 1;
		c.copiers = 400;
		c.rings = 40;
		do_null = 1;
	} else if (strcmp(c.mode, "all") == 0) {
		do_null = do_power = do_rings = 1;
	} else if (strcmp(c.mode, "null") == 0) {
		do_null = 1;
	} else if (strcmp(c.mode, "power") == 0) {
		do_power = 1;
	} else if (strcmp(c.mode, "rings") == 0) {
		do_rings = 1;
	} else {
		usage();
		return 2;
	}
	if (c.S < 2 || c.S > MAXROOM || c.n < 2 || c.n > KW_COLLUSION_MAX_ITEMS || c.threads < 1 ||
	    c.threads > MAXTHR || c.rooms < 1 || c.copiers < 1 || c.rings < 2 || c.ring_size < 2 ||
	    c.omit < 0 || c.omit >= 1 || c.ring_noise < 0 || c.ring_noise > 1) {
		fprintf(stderr, "kw_bench_calib: bad arguments\n");
		return 2;
	}
	if (c.sample > c.rooms * c.S)
		c.sample = c.rooms * c.S;
	if (c.sample < KW_NRM_MIN_CANDIDATES)
		c.sample = KW_NRM_MIN_CANDIDATES;

	setvbuf(stdout, NULL, _IOLBF, 0);
	char la[128];
	loadavg(la, sizeof la);
	double T0 = now(), C0 = cpu_now();
	printf("kw_bench_calib: mode %s, seed %" PRIu64 ", %zu items (4 options, omit rate %g), "
	       "rooms of %zu, %d threads; load average at start: %s\n",
	       c.mode, c.seed, c.n, c.omit, c.S, c.threads, la);
	int fail = bounds_selftest();

	/* the model and the calibration sample */
	struct model m = {.n = c.n};
	m.truth = kw_xcalloc(c.n, sizeof *m.truth);
	m.fit = kw_xcalloc(c.n, sizeof *m.fit);
	m.key = kw_xmalloc(c.n);
	m.ncat = kw_xmalloc(c.n);
	m.th_seed = salted(c.seed, 2);
	m.resp_seed = salted(c.seed, 3);
	make_items(&m, c.seed);
	{
		double *theta = kw_xmalloc(c.sample * sizeof *theta);
		uint8_t *resp = kw_xmalloc_big(c.sample * c.n);
		double t0 = now();
		gen_null(&m, c.sample, c.threads, c.omit, theta, resp);
		double tg = now() - t0;
		struct kw_nrm_fit_opts fo = {.threads = c.threads, .key = m.key};
		struct kw_nrm_fit_result fr;
		struct kw_err err = KW_ERR_INIT;
		t0 = now();
		if (kw_nrm_fit(resp, c.sample, c.n, m.ncat, &fo, m.fit, NULL, &fr, &err) != 0) {
			fprintf(stderr, "kw_nrm_fit: %s: %s\n", err.code, err.msg);
			return 1;
		}
		double tf = now() - t0, sa = 0, sc = 0;
		for (size_t i = 0; i < c.n; i++)
			for (int k = 0; k < K; k++) {
				sa += pow(m.fit[i].a[k] - m.truth[i].a[k], 2);
				sc += pow(m.fit[i].c[k] - m.truth[i].c[k], 2);
			}
		printf("model: items drawn as gen_collusion.py (stream seed %" PRIu64 "); fit "
		       "(kw_nrm_fit, 61 points, key-oriented) on the first %zu null sheets (rooms "
		       "0.."
		       "%zu): %.2f s (sheets made in %.2f s), %d EM cycles, converged %d, RMSE "
		       "slopes %.4f, intercepts %.4f; abilities by MAP, prior N(0, 10)\n",
		       c.seed, c.sample, (c.sample + c.S - 1) / c.S - 1, tf, tg, fr.cycles,
		       fr.converged, sqrt(sa / (double)(K * c.n)), sqrt(sc / (double)(K * c.n)));
		kw_err_release(&err);
		free(theta);
		free(resp);
	}

	if (do_null) {
		struct nullrun r = {.c = &c, .m = &m};
		r.chunk = 1024;
		while (r.chunk > CHUNK_MIN && r.chunk * (size_t)c.threads * 4 > c.rooms)
			r.chunk /= 2;
		r.nchunks = (c.rooms + r.chunk - 1) / r.chunk;
		atomic_init(&r.next, 0);
		pthread_mutex_init(&r.mu, NULL);
		tally_init(&r.tot[0]);
		tally_init(&r.tot[1]);
		r.t0 = now();
		double c0 = cpu_now();
		pthread_t tid[MAXTHR];
		for (int t = 0; t < c.threads; t++)
			pthread_create(&tid[t], NULL, null_worker, &r);
		for (int t = 0; t < c.threads; t++)
			pthread_join(tid[t], NULL);
		double tw = now() - r.t0, tc = cpu_now() - c0;
		if (r.failed)
			return 1;
		loadavg(la, sizeof la);
		printf("\n## Null calibration: %zu rooms × %zu = %zu candidates (fresh in every "
		       "room), %" PRIu64 " ordered within-room pairs; %.1f s wall, %.1f s CPU "
		       "(%.2f M pairs/s wall; answers, MAP, P(θ) tables, prescreen and exact tails "
		       "%s); load average %s\n",
		       c.rooms, c.S, c.rooms * c.S, r.tot[0].pairs, tw, tc,
		       (double)r.tot[0].pairs / tw / 1e6,
		       c.oracle ? "for both models" : "for the fitted model", la);
		int ok = 1;
		print_null(&c, &r.tot[0],
		           "Fitted model (kw_nrm_fit), θ by MAP — what the screen does", &ok);
		if (c.oracle)
			print_null(&c, &r.tot[1], "Oracle: generating parameters, true θ", NULL);
		if (!c.check)
			printf("goal (exact tail, upper bound with deff ≤ 1.2 α at 1e-3, 1e-4, "
			       "1e-5): "
			       "%s\n",
			       ok ? "met" : "NOT met");
		pthread_mutex_destroy(&r.mu);
		if (c.check) {
			const struct tally *t = &r.tot[0];
			double lo95 = cp_lower(t->xe[0], t->pairs, 0.025);
			double hi95 = cp_upper(t->xe[0], t->pairs, 0.025);
			int c1 = t->zdiff == 0, c2 = t->miss[0] == 0;
			int c3 = lo95 <= 1.2e-3 && hi95 >= 0.3e-3;
			printf("check: block ω == per-pair ω %s; nothing ≤ 1e-3 below the cut %s; "
			       "exact FPR at 1e-3 = %.3e, 95 %% interval [%.3e, %.3e] reaches "
			       "below "
			       "1.2e-3 and above 0.3e-3 %s\n",
			       c1 ? "ok" : "FAILED", c2 ? "ok" : "FAILED",
			       (double)t->xe[0] / (double)t->pairs, lo95, hi95,
			       c3 ? "ok" : "FAILED");
			fail |= !c1 || !c2 || !c3;
			double p40 = 0;
			struct powcell pc;
			if (power_cell(&c, &m, 0, 3, c.copiers, &pc) != 0)
				return 1;
			p40 = (double)pc.x[0] / (double)c.copiers;
			printf("check: power at 40 %% copied (random items), α 1e-4, %zu copiers: "
			       "%.3f "
			       "(≥ .6) %s; prescreen misses %" PRIu64 "\n",
			       c.copiers, p40, p40 >= 0.6 ? "ok" : "FAILED",
			       pc.miss[0] + pc.miss[1] + pc.miss[2]);
			fail |= p40 < 0.6 || pc.miss[0] + pc.miss[1] + pc.miss[2];
			if (run_rings(&c, &m, c.ring_theta[0]) != 0)
				return 1;
		}
	}
	if (do_power) {
		double p40 = 0;
		int goals_ok = 0;
		double t0 = now();
		if (run_power(&c, &m, &p40, &goals_ok) != 0)
			return 1;
		loadavg(la, sizeof la);
		printf("power: %.1f s; goals at 150 items %s; load average %s\n", now() - t0,
		       c.n != 150 ? "(not applicable: not 150 items)"
		       : goals_ok ? "met"
		                  : "NOT all met",
		       la);
	}
	if (do_rings) {
		double t0 = now();
		for (int k = 0; k < c.n_ring_theta; k++)
			if (run_rings(&c, &m, c.ring_theta[k]) != 0)
				return 1;
		printf("rings: %.1f s\n", now() - t0);
	}
	loadavg(la, sizeof la);
	printf("\ntotal %.1f s wall, %.1f s CPU; peak RSS %.0f MiB; load average at the end: %s\n",
	       now() - T0, cpu_now() - C0, peak_rss_mb(), la);
	if (c.check)
		printf("check: %s\n", fail ? "FAILED" : "passed");
	free(m.truth);
	free(m.fit);
	free(m.key);
	free(m.ncat);
	return fail;
}
