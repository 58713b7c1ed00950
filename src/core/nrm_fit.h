/*
 * Fitting Bock's nominal response model (core/nrm.h) and scoring abilities (issue 11 item 1;
 * SPEC GRD-6). What the similar-answer indices (core/collusion.h) take as their model.
 *
 * Data. Responses are bytes, sheet-major: resp[s * n_items + i] is sheet s's answer to item i,
 * a category 0 .. ncat[i]-1 (option A = 0, in the paper's order), or KW_NRM_OMIT.
 *
 * Choices, and why (the indices' caller must know them):
 *  - Omits are missing data (option (b) of the issue): an omitted item contributes nothing to
 *    a sheet's likelihood, neither in the fit nor in the abilities, and is never a category.
 *    A caller who wants an omit to be a response of its own codes it as one more category
 *    (ncat + 1) before calling; nothing here does that silently. A sheet with omits only has
 *    no likelihood: it is left out of the calibration and its abilities are the prior's mode
 *    and mean (0), with KW_NRM_ABIL_NO_ANSWERS set.
 *  - Estimation: marginal maximum likelihood by EM (Bock & Aitkin) on a fixed grid, as mirt
 *    does it for CopyDetect: by default 61 equally spaced points on [-6, 6], population
 *    N(0, 1) (the weights are the normal density at the points, normalised to sum 1).
 *    M-step per item: Newton's method to convergence on the expected complete-data
 *    log-likelihood of the multinomial logit, a step halved until the objective rises. The
 *    E-step skips, per sheet, the grid points whose posterior is below e^-36 of its largest
 *    (a relative 1e-15 of the sheet's mass).
 *  - Identification: Σ_k a_ik = 0 and Σ_k c_ik = 0 for every item (returned centred), the
 *    latent scale N(0, 1). The sign of θ is set so that high θ means more answers equal to
 *    the key when a key is given (else to each item's most frequent answer): the start comes
 *    from that proxy score, and the slopes are negated at the end if Σ_i a_{i,key} < 0.
 *  - Slopes carry a weak ridge (a N(0, 3²) prior on each centred slope, a penalised
 *    likelihood): it changes nothing visible where the data speak and keeps a category chosen
 *    by a handful of candidates from a slope running off to ±∞. Set slope_prior_sd to
 *    INFINITY for plain maximum likelihood. Intercepts have no prior.
 *  - Categories nobody in the sample chose (e.g. an item nobody answered correctly: its key)
 *    are kept but pinned, not estimated (their maximum likelihood is at −∞): slope = the mean
 *    slope of the chosen categories, intercept = their mean intercept − ln(2 n_i), n_i the
 *    sample's answers to the item; then P of a pinned category ≤ 1 / (2 n_i) at every θ
 *    (half a count). The fit uses the chosen categories only; the pinned ones enter the
 *    E-step and the abilities through the denominator. An item with one chosen category (or
 *    none) gets equal slopes: it carries no information about θ. The item is always kept;
 *    `pinned` reports which categories were pinned.
 *  - Acceleration: SQUAREM (Varadhan & Roland 2008, scheme S3) around the EM cycles — two
 *    cycles, a step along their extrapolation, one cycle from there, and back to plain EM's
 *    point whenever the extrapolation lowered the (penalised) likelihood. Plain EM is slow
 *    here in one direction: the items' common location and scale against the fixed N(0, 1),
 *    which a sheet's posterior follows only by its shrinkage (≈ 2 % with 150 items): measured
 *    on 20,000 × 150, plain EM needed 238 cycles to mirt's stopping rule and stopped 8.6e-4
 *    from the optimum; SQUAREM reaches 1e-8 of it in 42.
 *  - Convergence: the largest absolute change of any (centred) slope or intercept over one
 *    accelerated step (three EM cycles) < tol, 1e-6 by default (mirt's TOL of 1e-4 on one plain
 *    cycle stops far from the optimum when EM is slow, as above); at most max_cycles EM cycles
 *    (500). The result says how many cycles ran, whether it converged, and the marginal
 *    log-likelihood of the fitted sheets at the final parameters.
 *  - Minimum: KW_NRM_MIN_CANDIDATES (200) sheets with at least one answer in the sample, else
 *    a refusal (NRM_TOO_FEW_CANDIDATES): below that, a 4-option item's 6 free parameters rest
 *    on a few dozen candidates per category and the estimates are noise.
 *  - Sampling: the calibration sample is `sample` sheets out of n_sheets drawn by selection
 *    sampling (Knuth's Algorithm S) on splitmix64(seed), kept in sheet order; the same seed
 *    gives the same sample, and the seed is returned in the result.
 *  - Reproducibility: the result is a function of (responses, options) only. Threads split
 *    the sheets into a fixed number of slices (independent of the thread count) whose sums are
 *    added in slice order, so 1 thread and 8 give the same bytes.
 *  - Abilities: MAP with a N(0, σ²) prior (CopyDetect: σ² = 10) by Newton's method inside a
 *    bracket that always holds the root (bisection when a step leaves it; the log-posterior is
 *    strictly concave), to |Δθ| < 1e-12; EAP and posterior SD on the grid above (prior N(0, 1)
 *    by default). Both use the sufficient statistic of the NRM — Σ_i a_{i,x_i} — so a sheet
 *    costs one pass over its answers plus the work of its omitted items; MAP reads the sum of
 *    the answered items' expected slopes from a table (cubic Hermite, step 1/256 on [-10, 10],
 *    error below 1e-9 in θ; exact evaluation outside it); `exact` computes every item at
 *    every step instead (the reference the tests compare with).
 *
 * Pure: no I/O, no clock, no globals; the only randomness is the caller's seed.
 */
#ifndef KW_CORE_NRM_FIT_H
#define KW_CORE_NRM_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/nrm.h"
#include "util/err.h"

#define KW_NRM_OMIT           0xFF
#define KW_NRM_MIN_CANDIDATES 200
#define KW_NRM_MAX_QUAD       201
#define KW_NRM_MAX_THREADS    64

/* Zero fields take the default written beside them. */
struct kw_nrm_fit_opts {
	size_t sample;         /* sheets to calibrate on; 0, or ≥ n_sheets: all of them */
	uint64_t seed;         /* the sample's seed */
	int threads;           /* 0: 1; at most KW_NRM_MAX_THREADS */
	int quad_points;       /* 0: 61; 3 .. KW_NRM_MAX_QUAD */
	double quad_range;     /* 0: 6, the grid spans [-range, range] */
	int max_cycles;        /* 0: 500 EM cycles */
	double tol;            /* 0: 1e-6 */
	double slope_prior_sd; /* 0: 3; INFINITY: no prior */
	const uint8_t *key;    /* optional, per item: the key category (orientation and start) */
};

struct kw_nrm_fit_result {
	uint64_t seed;      /* the sample's seed */
	size_t sample_n;    /* sheets in the sample */
	size_t answered_n;  /* of them with at least one answer (the ones fitted) */
	int cycles;         /* EM cycles run (E-step and M-step each) */
	int converged;      /* 1: the last accelerated step's largest change < tol */
	double max_change;  /* the last step's largest parameter change */
	double loglik;      /* marginal log-likelihood of the fitted sheets, final parameters */
	size_t pinned_cats; /* categories pinned (nobody in the sample chose them) */
};

/*
 * Fits items[0..n_items-1] (ncat[i] categories each, 2..KW_NRM_MAX_CATS) to the responses.
 * pinned (optional, n_items bytes): bit k of pinned[i] set when category k of item i was
 * pinned. Returns 0, or KW_EINVAL with err: NRM_INPUT_INVALID (no items, a bad ncat or
 * option; details.field), NRM_RESPONSE_INVALID (details.sheet, details.item, details.value),
 * NRM_TOO_FEW_CANDIDATES (details.have, details.need: sheets with an answer in the sample).
 */
int kw_nrm_fit(const uint8_t *resp, size_t n_sheets, size_t n_items, const uint8_t *ncat,
               const struct kw_nrm_fit_opts *opt, struct kw_nrm_item *items, uint8_t *pinned,
               struct kw_nrm_fit_result *res, struct kw_err *err);

/* Per-sheet flags of kw_nrm_abilities. */
#define KW_NRM_ABIL_NO_ANSWERS 0x01 /* omits only: the prior's mode and mean */

struct kw_nrm_abil_opts {
	double map_prior_var; /* 0: 10 (CopyDetect's MAP prior N(0, 10)) */
	double eap_prior_var; /* 0: 1 */
	int quad_points;      /* EAP grid; 0: 61 */
	double quad_range;    /* 0: 6 */
	int threads;          /* 0: 1 */
	int exact;            /* MAP: 1 = evaluate every item at every Newton step (no table) */
};

/*
 * Abilities of n_sheets sheets under items: any of map, eap, eap_sd, flags may be NULL (else
 * n_sheets values). Returns 0, or KW_EINVAL (NRM_INPUT_INVALID, NRM_RESPONSE_INVALID).
 */
int kw_nrm_abilities(const struct kw_nrm_item *items, size_t n_items, const uint8_t *resp,
                     size_t n_sheets, const struct kw_nrm_abil_opts *opt, double *map, double *eap,
                     double *eap_sd, uint8_t *flags, struct kw_err *err);

/*
 * Simulated answers under the model for tests and benchmarks: sheets first .. first+n_sheets-1
 * of a data set, sheet first+j (abilities theta[j], answers resp[j * n_items ..]) drawn from
 * its own stream splitmix64(seed, first+j), so any part can be made alone, by any thread, to
 * the same bytes. Each item is omitted with probability omit_rate, else a category is drawn
 * from P(theta).
 */
void kw_nrm_simulate(const struct kw_nrm_item *items, size_t n_items, const double *theta,
                     size_t first, size_t n_sheets, uint64_t seed, double omit_rate, uint8_t *resp);

/* A standard normal draw, a pure function of (seed, index) (Box–Muller on splitmix64). */
double kw_nrm_normal(uint64_t seed, uint64_t index);

/* The calibration sample: sample (≤ n) sheet indexes of 0..n-1 in increasing order, drawn by
 * Algorithm S on splitmix64(seed); returns how many (min(sample, n); 0 means all n). */
size_t kw_nrm_sample(size_t n, size_t sample, uint64_t seed, size_t *idx);

#endif
