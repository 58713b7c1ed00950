/*
 * Similar-answer indices (雷同答卷; SPEC GRD-6, issue 11 item 2): the statistics that screen
 * pairs of answer sheets for copying, as the R package CopyDetect 1.3 (`similarity2`)
 * computes them, and the fast kernels a national screen needs.
 *
 * Pure: no I/O, no clock, no randomness, no globals. The reference table and the ω block
 * allocate (kw_xmalloc: aborts on out-of-memory) and are released by the caller.
 *
 * ---- Coding ----
 * An answer is a category index 0 .. ncat − 1 of the item (the option, in the order of the
 * item's model parameters), or KW_COLLUSION_OMIT for an item left blank (or unreadable).
 *   - KW_COLLUSION_OMIT never matches anything, not even another omit (CopyDetect
 *     `similarity2`: NA == NA is not a match); it is neither correct nor wrong.
 *   - A caller whose model treats the omit as a response of its own (nrm_fit.h) codes it as
 *     that category instead: it then matches another omit, and, not being the key, counts
 *     as a wrong answer everywhere below.
 * key[i] is the keyed (correct) category of item i. Correct = the key; wrong = answered
 * (not KW_COLLUSION_OMIT) and not the key.
 *
 * Probabilities come from the caller: an n × ncat row-major table of P_ik(θ) per candidate
 * (kw_nrm_probs at the candidate's θ; zeros past an item's own categories), so a screen
 * computes it once per candidate and reuses it for every pair.
 *
 * ---- The indices (INDICES.md of ../shared/peers/collusion-small, and CopyDetect's code) ----
 * Ordered pair (copier c, source s), n items.
 *   h     matches: items where x_c = x_s (omits never match).
 *   ω     Wollack: p_i = P_{i,x_si}(θ_c); for a source's omit, the copier's most likely wrong
 *         option's probability max_{k ≠ key} P_ik(θ_c) (CopyDetect's rule; the item still
 *         cannot match). ω = (h − Σp_i) / √Σ p_i(1 − p_i); p = 1 − Φ(ω) (computed as
 *         erfc(ω/√2)/2), and the exact tail P(H ≥ h) of the Poisson-binomial H with the
 *         same p_i.
 *   GBT   π_i = Σ_k P_ik(θ_c) P_ik(θ_s); p = P(H ≥ h), H Poisson-binomial over π_i.
 *   M4    q1_i = P_i,key(θ_c) P_i,key(θ_s), q2_i = Σ_{k ≠ key} P_ik(θ_c) P_ik(θ_s),
 *         r_i = 1 − (q1_i + q2_i); F(a, b) the joint law of (identical correct, identical
 *         wrong); T(a, b) = P(IC ≥ a, II ≥ b); p = Σ F over every cell (a + b ≤ n) with
 *         T ≤ T(ic, ii). Cells whose T equals the observed one's within 1e-12 relative
 *         (rounding) count as ties, that is, as at least as extreme.
 *   K     w_s = the source's number wrong, m = the copier's matches on them; G = every sheet
 *         of the reference table whose number wrong is the copier's (the copier included,
 *         and the source when tied: CopyDetect's K); p̂ = mean over G of the member's
 *         matches on the source's wrong answers / w_s; p = P(Bin(w_s, p̂) ≥ m).
 *   K1/K2 p̂_r per number-wrong group r = 0..n of the table, the source excluded (a group left
 *         empty is dropped); least squares of p̂_r on r/n (K1) and on r/n, (r/n)² (K2), read at
 *         the copier's w_c/n; a value ≥ 1 becomes .999 and one ≤ 0 becomes .001 (CopyDetect's
 *         rule: values inside (0, 1) are not clipped further); the same binomial tail.
 *   S1    Poisson GLM (log link, glm's IRLS from μ = y + 0.1, stopping rule and 25-step cap
 *         reproduced) of y_r = w_s p̂_r on r; μ̂ at r = w_c, capped at w_s;
 *         p = P(m ≤ Pois(μ̂) ≤ w_s) (truncated, not renormalised).
 *   S2    per group, π̂_ri = the share of group r (source excluded) correct on item i where the
 *         source is correct (0 elsewhere); w_ri = ((1+g)/(1−g)·e)^(−(1+g)/g · π̂_ri), g =
 *         1/noptions; statistic m + ⌈Σ_{i identical correct} w_{w_c,i}⌉; the GLM's response
 *         is y_r = w_s p̂_r + ⌈Σ_i π̂_ri w_ri⌉; μ̂ capped at n; p = P(stat ≤ Pois(μ̂) ≤ n).
 *   The K family is undefined (NAN) when the source has no wrong answer.
 * CopyDetect's `similarity2` recodes each item so that the key is the highest category only
 * to fit its model: it maps the parameters back to the original option order, and its M4
 * (and "correct" everywhere) uses the original key. So with parameters in the original
 * order, as here, nothing is recoded. (aberrance's M4 instead takes the highest category as
 * the key: its input would have to be recoded first.)
 * With omits, CopyDetect's NA propagation drops a group member from S2's group mean when the
 * member omitted an item the source got right; here an omit simply earns no weight. On
 * sheets without omits the two agree (the shared data set has none).
 *
 * ---- Numerics ----
 * Every upper tail is a sum of non-negative terms taken on the upper side (Poisson-binomial
 * recursions with the tail state lumped, binomial and Poisson terms each from logs), never
 * 1 − (lower tail): p-values keep their relative precision down to ~1e-300 (below the
 * smallest normal double a p-value may read 0 or lose digits — far past any threshold).
 *
 * ---- Costs (n items) ----
 *   counts, ω (normal)           O(n)
 *   ω exact, GBT                 O(n · min(h, n − h))
 *   M4                           O(n³/6) time, 2(n+2)² doubles of caller workspace
 *   reference table              O(n) per sheet added; (n+1)·n·ncat counters
 *   per source (K1, K2, S1, S2)  O(n²) once; then per pair O(n)
 *   ω block                      one source against a room of copiers, vectorised
 *   wrong-answer bitsets         popcount of ⌈n(ncat−1)/64⌉ words per pair
 */
#ifndef KW_CORE_COLLUSION_H
#define KW_CORE_COLLUSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/nrm.h"

#define KW_COLLUSION_OMIT      0xFF
#define KW_COLLUSION_MAX_ITEMS 1000
#define KW_COLLUSION_MAX_CATS  KW_NRM_MAX_CATS

/* One ordered pair. Borrowed pointers; probabilities as described above. pc is needed by
 * ω, GBT and M4, ps by GBT and M4; counts need neither. */
struct kw_collusion_pair {
	size_t n;           /* items, 1..KW_COLLUSION_MAX_ITEMS */
	int ncat;           /* row length of pc and ps, 2..KW_COLLUSION_MAX_CATS */
	const uint8_t *key; /* n keyed categories, each < ncat */
	const uint8_t *xc;  /* copier's answers: < ncat or KW_COLLUSION_OMIT */
	const uint8_t *xs;  /* source's answers */
	const double *pc;   /* n × ncat: P_ik(θ_c) */
	const double *ps;   /* n × ncat: P_ik(θ_s) */
};

/* 0, or KW_EINVAL when n, ncat, a key or an answer is out of range. The other functions
 * assume a pair that passes (asserted in debug builds). */
int kw_collusion_pair_check(const struct kw_collusion_pair *p);

/* ---- Raw counts and item detail ---- */

struct kw_collusion_counts {
	int match;            /* h: same category, omits never matching */
	int ident_correct;    /* both keyed */
	int ident_wrong;      /* same wrong category */
	int run;              /* longest run of consecutive matching items */
	int run_wrong;        /* longest run of consecutive identical wrong answers */
	int score_c, score_s; /* number correct */
	int wrong_c, wrong_s; /* number answered and wrong */
	int omit_c, omit_s;
};
void kw_collusion_count(const struct kw_collusion_pair *p, struct kw_collusion_counts *out);

/* Per-item flags for the evidence dossier: which items matched, and how. */
enum {
	KW_COLLUSION_ITEM_MATCH = 1,
	KW_COLLUSION_ITEM_IDENT_CORRECT = 2,
	KW_COLLUSION_ITEM_IDENT_WRONG = 4,
	KW_COLLUSION_ITEM_C_CORRECT = 8,
	KW_COLLUSION_ITEM_S_CORRECT = 16,
	KW_COLLUSION_ITEM_C_OMIT = 32,
	KW_COLLUSION_ITEM_S_OMIT = 64,
};
/* flags[0..n-1]: an OR of KW_COLLUSION_ITEM_*. */
void kw_collusion_items(const struct kw_collusion_pair *p, uint8_t *flags);

/* ---- ω ---- */

struct kw_collusion_omega {
	int h;           /* observed matches */
	double expected; /* Σ p_i */
	double sd;       /* √Σ p_i(1 − p_i) */
	double z;        /* ω; ±INFINITY (or 0) when sd is 0 */
	double p_normal; /* 1 − Φ(ω) */
	double p_exact;  /* P(H ≥ h); NAN unless asked for */
};
/* p_i of ω into pi[0..n-1] (the copier's chance of the source's answer). */
void kw_collusion_omega_probs(const struct kw_collusion_pair *p, double *pi);
/* ω of the pair; the exact tail too when exact is non-zero. */
void kw_collusion_omega(const struct kw_collusion_pair *p, int exact,
                        struct kw_collusion_omega *out);
/* ω from its three sums, as kw_collusion_omega and the block compute it. */
double kw_collusion_omega_z(int h, double expected, double var);

/* ---- GBT and M4 ---- */

/* GBT p-value for h matches (h from kw_collusion_count). */
double kw_collusion_gbt(const struct kw_collusion_pair *p, int h);
/* Doubles of workspace kw_collusion_m4 needs: 2(n+2)². */
size_t kw_collusion_m4_work(size_t n);
/* M4 p-value for ic identical correct and ii identical wrong answers. */
double kw_collusion_m4(const struct kw_collusion_pair *p, int ic, int ii, double *work);

/* ---- Tails (exposed for tests and for the calibration study) ---- */

/* 1 − Φ(z). */
double kw_collusion_normal_upper(double z);
/* P(H ≥ h), H = Σ Bernoulli(pi[i]), i < n ≤ KW_COLLUSION_MAX_ITEMS. */
double kw_collusion_pb_upper(const double *pi, size_t n, int h);
/* P(Bin(n, p) ≥ m). */
double kw_collusion_binom_upper(int n, double p, int m);
/* P(lo ≤ Pois(mu) ≤ hi). */
double kw_collusion_pois_range(double mu, int lo, int hi);

/* ---- The K family: the reference table, per source, per pair ---- */

/* Per number-wrong group r = 0..n: how many sheets, and how many chose category k on
 * item i. Built once per subject from every sheet (copiers and sources included). */
struct kw_collusion_ref {
	size_t n;
	int ncat;
	int noptions;    /* options of the test, for S2's g = 1/noptions */
	uint8_t *key;    /* n, owned copy */
	uint32_t *group; /* n + 1 */
	uint32_t *count; /* [(r × n + i) × ncat + k] */
	uint64_t sheets;
};
/* KW_EINVAL for n, ncat, noptions (2..255) or a key out of range. */
int kw_collusion_ref_init(struct kw_collusion_ref *ref, size_t n, int ncat, int noptions,
                          const uint8_t *key);
/* Adds one sheet (answers checked by the caller, as for a pair). */
void kw_collusion_ref_add(struct kw_collusion_ref *ref, const uint8_t *x);
/* Adds src's sheets to dst (tables built in parallel); KW_EINVAL if their shapes differ. */
int kw_collusion_ref_merge(struct kw_collusion_ref *dst, const struct kw_collusion_ref *src);
void kw_collusion_ref_release(struct kw_collusion_ref *ref);

/* Number of wrong answers of a sheet. */
int kw_collusion_wrong(const uint8_t *x, const uint8_t *key, size_t n);

/* What a source contributes to every pair: its number wrong and the four fits, made once. */
struct kw_collusion_source {
	int ws;           /* number wrong; the K family is NAN for every pair when 0 */
	int k1_np, k2_np; /* coefficients kept (fewer when groups are fewer) */
	int s1_np, s2_np;
	double k1[3]; /* p̂(q) = k1[0] + k1[1] q, q = r/n */
	double k2[3]; /* k2[0] + k2[1] q + k2[2] q² */
	double s1[2]; /* μ(r) = exp(s1[0] + s1[1] r) */
	double s2[2];
};
/* The source's fits from the table (the source must be one of the table's sheets). */
void kw_collusion_source_init(const struct kw_collusion_ref *ref, const uint8_t *xs,
                              struct kw_collusion_source *src);

struct kw_collusion_kfamily {
	int wc, ws;
	int m;       /* identical wrong: the copier's matches on the source's wrong answers */
	int s2_stat; /* m + ⌈Σ weights of the identical correct⌉ */
	double k_phat, k1_phat, k2_phat; /* the binomial p's after CopyDetect's clipping */
	double s1_mu, s2_mu;             /* the Poisson means after capping */
	double k, k1, k2, s1, s2;        /* p-values; NAN when undefined */
};
/* The K family for (copier xc, source xs), src from kw_collusion_source_init(xs); the
 * copier must be one of the table's sheets. */
void kw_collusion_kfamily(const struct kw_collusion_ref *ref, const struct kw_collusion_source *src,
                          const uint8_t *xc, const uint8_t *xs, struct kw_collusion_kfamily *out);

/* ---- Everything for one pair (the dossier's numbers) ---- */

struct kw_collusion_result {
	struct kw_collusion_counts counts;
	struct kw_collusion_omega omega; /* with the exact tail */
	double gbt, m4;
	struct kw_collusion_kfamily kfam; /* all NAN when ref is NULL */
};
/* All indices for the pair. ref and src may be NULL (no K family); work: m4_work(n). */
void kw_collusion_pair_all(const struct kw_collusion_pair *p, const struct kw_collusion_ref *ref,
                           const struct kw_collusion_source *src, double *work,
                           struct kw_collusion_result *out);

/* ---- The ω prescreen: one source against a block of copiers (a room) ----
 * Copier-major tables so that the inner loop runs across copiers with no gather:
 *   p[(i × (ncat+1) + k) × stride + c] = P_ik(θ_c); row k = ncat holds the copier's most
 *   likely wrong option's probability (used for a source's omit);
 *   x[i × stride + c] = copier c's answer to item i.
 * stride is the capacity rounded up to 8 (padding lanes never match and add 0). The sums
 * are taken item by item in the same order as kw_collusion_omega, so the results are the
 * same doubles on every code path (scalar, AVX2, AVX-512 chosen at run time). */
struct kw_collusion_block {
	size_t n;
	int ncat;
	size_t cap, stride;
	double *p;
	uint8_t *x;
};
int kw_collusion_block_init(struct kw_collusion_block *b, size_t n, int ncat, size_t cap);
/* Copier c (< cap): its answers and its n × ncat probabilities. */
void kw_collusion_block_set(struct kw_collusion_block *b, size_t c, const uint8_t *key,
                            const uint8_t *x, const double *p);
void kw_collusion_block_release(struct kw_collusion_block *b);
/* For copiers 0..ncopiers-1 of the block against source xs: h, Σp_i, Σp_i(1−p_i) and ω (any
 * of h, e, v may be NULL; z may not). The entry of the source itself, if it is in the block,
 * is meaningless. */
void kw_collusion_omega_batch(const struct kw_collusion_block *b, size_t ncopiers,
                              const uint8_t *xs, uint16_t *h, double *e, double *v, double *z);

/* ---- Wrong-answer sets as bitsets (identical wrong answers by popcount) ----
 * Item i owns bits i(ncat−1) .. i(ncat−1) + ncat − 2, one per non-key category in category
 * order (the key skipped); a sheet sets the bit of each wrong answer. popcount(a & b) is the
 * number of identical wrong answers of the two sheets. */
size_t kw_collusion_wrongset_words(size_t n, int ncat);
void kw_collusion_wrongset(const uint8_t *x, const uint8_t *key, size_t n, int ncat,
                           uint64_t *bits);
int kw_collusion_ident_wrong(const uint64_t *a, const uint64_t *b, size_t words);
/* out[j] = identical wrong answers of s and sets[j] (sets: nsets × words, contiguous). */
void kw_collusion_ident_wrong_batch(const uint64_t *s, const uint64_t *sets, size_t nsets,
                                    size_t words, uint16_t *out);

/* ---- For tests and benches: one code path by name ----
 * ω block: "scalar", "avx2", "avx512" (NULL: the best); bitsets: "generic", "popcnt" (NULL:
 * the best). −1 when this CPU lacks the path. */
int kw__collusion_omega_batch_path(const char *path, const struct kw_collusion_block *b,
                                   size_t ncopiers, const uint8_t *xs, uint16_t *h, double *e,
                                   double *v, double *z);
int kw__collusion_ident_wrong_batch_path(const char *path, const uint64_t *s, const uint64_t *sets,
                                         size_t nsets, size_t words, uint16_t *out);

#endif
