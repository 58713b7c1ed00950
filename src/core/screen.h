/*
 * The similar-answer screen of one subject (雷同答卷; SPEC GRD-6, issue 11 item 3): every
 * ordered pair of sheets in scope through ω, the transmitted-key search across all rooms,
 * and near-duplicate typed essays. It builds on core/nrm_fit.h (the model and abilities) and
 * core/collusion.h (the indices); what it flags goes to the marking expert group, never
 * straight to a decision (GRD-6: due process first).
 *
 * Pure: no I/O, no clock (the caller may lend one for the phase times), no globals; the only
 * randomness is the caller's seed. Threads (pthreads, a parameter) change how long it takes,
 * never what it returns: every result is sorted before it is returned.
 *
 * ---- The pipeline (kw_screen_run) ----
 * 1. Model: kw_nrm_fit on a calibration sample (default 100,000 sheets, all when fewer)
 *    drawn from `seed` (Algorithm S; nrm_fit.h), the key given for orientation, omits as
 *    missing. Its refusals pass through unchanged (NRM_TOO_FEW_CANDIDATES: fewer than 200
 *    sheets with an answer in the sample).
 * 2. Abilities: MAP (prior N(0, 10), CopyDetect's) for every sheet. A sheet with omits only
 *    has no ability (KW_NRM_ABIL_NO_ANSWERS): it is left out of every pair, as copier and as
 *    source, and out of the transmitted-key search (it has no answer to share), and counted
 *    in stats.excluded_no_answers. It could never be flagged anyway: it matches nothing.
 * 3. Scope, in units processed one at a time per thread: rooms (KW_SCREEN_ROOM, the
 *    default), runs of rooms r, r+1, … with the same centre index (KW_SCREEN_ADJACENT: the
 *    pairs of a room and of rooms r and r ± 1 of the same centre), or centres
 *    (KW_SCREEN_CENTRE: every pair of the centre). The P_ik(θ̂) table of each sheet of a unit
 *    (n × ncat doubles) is made once, when its unit is screened, and dropped after it: memory
 *    is a unit's tables per thread, not the subject's (1,000,000 × 150 × 4 doubles would be
 *    4.8 GB).
 * 4. Prescreen: each source against the unit's copiers with the ω block
 *    (kw_collusion_omega_batch: h, Σp_i, Σp_i(1 − p_i)). A pair is discarded only when its
 *    exact p-value is proved to exceed the level (below), else its exact tail is computed
 *    (kw_collusion_omega, exact = 1).
 * 5. Flag: p_exact ≤ α_pair. Default α_pair = 1 / (ordered pairs screened): the expected
 *    number of false flags in the subject is then ≤ 1 (Bonferroni; the pairs of a room are
 *    dependent, Bonferroni does not need them independent). An explicit α may be given. FDR
 *    mode (fdr_q > 0): Benjamini–Hochberg at q over all ordered pairs screened — it bounds
 *    the expected share of false flags among the flags (q), not their number: with many true
 *    copiers it flags more pairs, each with weaker evidence; the expert group must be told
 *    which mode made the list. (BH is valid here under positive dependence, which the pairs
 *    of a room are assumed to have; not proved.)
 * 6. Dossier numbers for each flagged pair: counts, ω (both tails), GBT, M4, longest runs,
 *    item-level flags (kw_collusion_items), both abilities, rooms, seats, seat adjacency.
 * 7. The transmitted-key search (kw_screen_keys, below) over every sheet of the subject.
 *
 * ---- The prescreen's cut, and why not a plain z cut ----
 * INDICES.md (../shared/peers/collusion-small) notes that ω's normal tail is liberal in the
 * far upper tail (the exact p larger than the normal p) and suggests the exact tail for
 * z > 3 only. Liberal it is for most pairs (H right-skewed: many small p_i), but not for
 * every pair: when the copier's p_i are mostly near 1 (a strong copier against a source
 * who answered mostly the key) H is left-skewed and its exact upper tail is far lighter than
 * the normal one. Example (test_screen.c): 130 items at p = .99, 20 at 1e-5, h = 132:
 * z = 2.91, p_normal = 1.8e-3, p_exact = 5.1e-9. A cut at z = 3, or at the normal quantile
 * of α (5.6 for 1e-8), would lose that pair; no cut on z alone is safe for every vector of
 * p_i. So the screen discards a pair only on a proved lower bound of its exact tail, from
 * the three sums the block returns:
 *     P(H ≥ h) = 1 − F(h − 1) ≥ 1 − Φ((h − 1 − μ)/σ) − Δ,    Δ = C ρ / σ³
 * (Berry–Esseen for independent, non-identical summands, C = 0.5600: Shevtsova 2010), with
 * ρ = Σ E|B_i − p_i|³ = Σ w_i(1 − 2w_i), w_i = p_i(1 − p_i), bounded by v − 2v²/n
 * (Σ w_i² ≥ v²/n), v = σ². A pair is discarded iff that bound exceeds α + 1e-12 (the margin
 * covers rounding in the sums and in erfc), which proves p_exact > α: no pair whose exact
 * p ≤ α is lost (kw_screen_tail_lower; tested against the exact tail on random, skewed and
 * adversarial vectors, and against a brute-force screen of every pair). Measured: at 150
 * four-option items and α = 3.4e-8 (10^6 candidates in rooms of 30) the bound discarded
 * pairs up to z = 1.77 and left 2.9 % of the pairs to the exact tail (3 µs each); at 60
 * items and α = 1.2e-5, up to z = 1.62, 5.1 %. In BH mode the level is q (BH never rejects
 * a p above q), so every pair with p ≤ q is computed and BH is exact.
 *
 * ---- The transmitted-key search (kw_screen_keys) ----
 * A key passed around during the exam shows as near-identical wrong answers in rooms the
 * within-room screen never compares. A sheet's wrong-answer set is its set of (item, wrong
 * option) (collusion.h's bitset, n (ncat − 1) bits). Only sheets with at least min_wrong
 * (m, default 10) wrong answers take part (a few shared wrong answers are common by chance).
 *  1. Identical sets: every eligible sheet's set hashed (64-bit, seeded), sorted, equal
 *     hashes compared bit for bit; each distinct set keeps one representative.
 *  2. MinHash LSH over the representatives: bands × rows (default 48 × 9) random permutations
 *     of the n (ncat − 1) possible wrong answers, drawn by Fisher–Yates on splitmix64(seed);
 *     a set's MinHash under a permutation is the smallest rank of its members (exact
 *     MinHash: P(equal) = Jaccard), all bands × rows at once from a table of ranks (vector
 *     minima); a band's rows are hashed to a 32-bit key (a false meeting of two keys only
 *     costs a comparison). Two sets become candidates when the rows of some band all agree:
 *     probability 1 − (1 − J^rows)^bands, at 48 × 9: J = .6 → .39, .7 → .86, .75 → .976,
 *     .8 → .999, .9 → 1 − 6e-11. Null pairs are not all far apart: under the reference
 *     generator's model (150 four-option items) the Jaccard of two random sheets' wrong-answer
 *     sets is below .30 for 99.5 % of pairs but reaches .45–.5 (weak candidates share the
 *     popular distractors), and 48 × 9 makes about 3e-5 of them candidates (1.6e7 pairs among
 *     10^6 sheets; 32 × 6 would make 1.3e-3, 6.5e8).
 *  3. Each candidate pair's exact Jaccard from the bitsets; an edge when J ≥ min_jaccard
 *     (default .75) and the shared wrong answers ≥ min_shared (default m). Identical sets are
 *     edges too (J = 1).
 *  4. Clusters: connected components (union-find) of two sheets or more; each with its
 *     members (increasing sheet index), how many rooms they sit in, the smallest J of the
 *     edges found, and the shared wrong answers: each (item, option) chosen by at least
 *     half of the members (and at least 2), with how many chose it.
 * The search finds near-identical sets; a ring whose members copied a share of a string
 * (each with their own answers elsewhere) has a lower Jaccard (≈ .3 at 80 % copied), within
 * the null pairs' range: it is a matter for the pairwise indices once a lead names members.
 *
 * ---- Typed essay near-duplicates (kw_screen_text) ----
 * Per candidate a UTF-8 text; code points, with white space and punctuation (ASCII, U+2000–
 * U+206F, U+3000–U+303F, the full-width forms' punctuation) dropped, full-width ASCII folded
 * to ASCII and ASCII letters to lower case; the set of character n-grams (n = 3 by default),
 * each packed exactly into 63 bits (n ≤ 3; longer ones hashed to 64). MinHash (bands × rows,
 * default 20 × 5) with seeded hash functions; candidates from the bands (or every pair when
 * `exhaustive`), then the exact Jaccard and containment (|A ∩ B| / min(|A|, |B|)) of the
 * shingle sets; a pair is reported when J ≥ min_jaccard (default .5) or containment ≥
 * min_containment (default .8); texts of fewer than min_shingles (default 20) shingles are
 * left out. The bands find pairs by Jaccard: a short text copied whole into a long one (high
 * containment, low Jaccard) is found only when the bands happen to meet, or with `exhaustive`
 * (every pair, for small sets).
 */
#ifndef KW_CORE_SCREEN_H
#define KW_CORE_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/collusion.h"
#include "core/nrm_fit.h"
#include "util/err.h"

#define KW_SCREEN_DEFAULT_SAMPLE 100000
#define KW_SCREEN_MAX_THREADS    KW_NRM_MAX_THREADS
#define KW_SCREEN_BE_C           0.5600 /* Berry–Esseen, non-identical summands (Shevtsova) */

enum kw_screen_scope { KW_SCREEN_ROOM = 0, KW_SCREEN_ADJACENT = 1, KW_SCREEN_CENTRE = 2 };

/* Borrowed. One room per sheet by construction; a candidate id given twice is refused. */
struct kw_screen_input {
	size_t n_sheets;
	size_t n_items;           /* 1 .. KW_COLLUSION_MAX_ITEMS */
	int ncat;                 /* row length: 2 .. KW_COLLUSION_MAX_CATS */
	const uint8_t *ncat_item; /* optional: per item 2 .. ncat (NULL: all ncat) */
	const uint8_t *resp;      /* n_sheets × n_items: a category or KW_COLLUSION_OMIT */
	const uint8_t *key;       /* n_items keyed categories */
	const uint32_t *room;     /* per sheet: its room, < n_rooms */
	size_t n_rooms;
	const uint32_t
	        *centre;      /* per room: its centre (needed by the adjacent and centre scopes) */
	const uint32_t *seat; /* optional, per sheet: seat number (1-based; 0 unknown) */
	const uint64_t *cand_id; /* optional, per sheet: the candidate; repeats are refused */
};

/* The transmitted-key search's settings; zero fields take the defaults. */
struct kw_screen_key_opts {
	int min_wrong;      /* m: 0 → 10 */
	int bands, rows;    /* 0 → 48, 9 (bands 1..256, rows 1..16) */
	double min_jaccard; /* 0 → 0.75 */
	int min_shared;     /* 0 → min_wrong */
};

/* Zero fields take the default beside them. */
struct kw_screen_opts {
	size_t sample;        /* calibration sample: 0 → 100,000 (all sheets when fewer) */
	uint64_t seed;        /* the sample's and the search's seed */
	int threads;          /* 0 → 1; at most KW_SCREEN_MAX_THREADS */
	int scope;            /* enum kw_screen_scope */
	double alpha;         /* per ordered pair, in (0, 1); 0 → 1 / pairs screened */
	double fdr_q;         /* > 0: Benjamini–Hochberg at q instead (alpha must be 0) */
	double map_prior_var; /* 0 → 10 */
	int quad_points;      /* the fit's grid: 0 → 61 */
	int max_cycles;       /* the fit's EM cycles: 0 → 500 */
	double tol;           /* the fit's tolerance: 0 → 1e-6 */
	int seat_columns;     /* the seating chart (kw_seat_chart_pos): 0 → adjacency unknown */
	int seat_serpentine;
	int no_keys; /* 1: skip the transmitted-key search */
	struct kw_screen_key_opts keys;
	double (*clock)(void *data); /* optional: seconds, for stats' phase times */
	void *clock_data;
};

/* One flagged ordered pair: the copier's answers tested against the source's. */
struct kw_screen_pair {
	size_t copier, source; /* sheet indexes */
	uint32_t room_c, room_s;
	uint32_t seat_c, seat_s; /* 0 when unknown */
	int adjacent;            /* 1: neighbours on the chart (same room, rows and columns ±1);
	                            0: not; −1: unknown (no chart or seats) */
	double theta_c, theta_s; /* MAP */
	int match;               /* observed matches h */
	double expected;         /* Σ p_i */
	int ident_correct, ident_wrong;
	int run, run_wrong; /* longest runs of matches, of identical wrong answers */
	int score_c, score_s, omit_c, omit_s;
	double z, p_normal, p_exact, gbt, m4;
	uint8_t *items; /* n_items flags KW_COLLUSION_ITEM_* (owned) */
};

struct kw_screen_shared {
	uint16_t item;
	uint8_t option;   /* the wrong category */
	uint32_t members; /* how many members chose it */
};

struct kw_screen_cluster {
	size_t n_members;
	size_t *members; /* sheet indexes, increasing (owned) */
	size_t n_rooms;  /* distinct rooms of the members (0 when rooms were not given) */
	int identical;   /* 1: every member has the same wrong-answer set */
	double min_jaccard;
	size_t n_shared;
	struct kw_screen_shared *shared; /* by item, option (owned) */
};

struct kw_screen_key_stats {
	size_t eligible;       /* sheets with ≥ min_wrong wrong answers */
	size_t distinct;       /* distinct wrong-answer sets among them */
	uint64_t compared;     /* candidate pairs whose Jaccard was computed (with repeats) */
	uint64_t edges;        /* of them at or above the thresholds (with repeats) */
	size_t clusters;       /* components of two sheets or more */
	size_t clustered;      /* sheets in them */
	size_t largest_bucket; /* the largest band bucket (representatives) */
	int min_wrong, bands, rows, min_shared;
	double min_jaccard;
};

struct kw_screen_stats {
	size_t sheets, excluded_no_answers;
	size_t rooms_used, rooms_single; /* rooms with a sheet in scope; with one (no pairs) */
	uint64_t pairs;                  /* ordered pairs screened */
	uint64_t survivors;              /* not ruled out by the bound: exact tail computed */
	uint64_t flagged;
	double alpha;           /* per pair; in FDR mode the level the prescreen used (q) */
	double fdr_q;           /* 0 unless FDR mode */
	double bh_threshold;    /* FDR mode: the largest p flagged (0: none) */
	double z_discarded_max; /* the largest ω z of a discarded pair (−INFINITY: none) */
	uint64_t seed;
	struct kw_nrm_fit_result fit;
	struct kw_screen_key_stats keys;
	/* seconds per phase from opts.clock (0 without one) */
	double t_fit, t_abilities, t_pairs, t_detail, t_keys, t_total;
};

struct kw_screen_result {
	size_t n_pairs;
	struct kw_screen_pair *pairs; /* by p_exact, then copier, then source */
	size_t n_clusters;
	struct kw_screen_cluster *clusters; /* by smallest member */
	struct kw_screen_stats stats;
	size_t n_items;
	struct kw_nrm_item *items; /* the fitted model */
	double *theta;             /* per sheet: MAP */
	uint8_t *abil_flags;       /* per sheet: KW_NRM_ABIL_* */
};

/*
 * The screen of one subject. Returns 0 (res filled; release with kw_screen_result_release),
 * or KW_EINVAL with err: SCREEN_INPUT_INVALID (details.field), NRM_RESPONSE_INVALID
 * (details.sheet, item, value), SCREEN_DUPLICATE_CANDIDATE (details.first, details.second:
 * the two sheets), or the fit's refusals (NRM_TOO_FEW_CANDIDATES …) unchanged. res is
 * zeroed on failure.
 */
int kw_screen_run(const struct kw_screen_input *in, const struct kw_screen_opts *opt,
                  struct kw_screen_result *res, struct kw_err *err);
void kw_screen_result_release(struct kw_screen_result *res);

/*
 * A proved lower bound on P(H ≥ h) for H Poisson-binomial over n items with mean e and
 * variance v (the block's sums): Berry–Esseen as described above; 0 when it says nothing.
 */
double kw_screen_tail_lower(int h, double e, double v, size_t n);

/*
 * The transmitted-key search alone, over n_sheets sheets (answers checked as for a pair).
 * room (optional) only for the clusters' room counts; skip (optional) marks sheets to leave
 * out. *clusters (count *n_clusters) is the caller's: kw_screen_clusters_free. 0, or
 * KW_EINVAL (SCREEN_INPUT_INVALID).
 */
int kw_screen_keys(const uint8_t *resp, size_t n_sheets, size_t n_items, int ncat,
                   const uint8_t *key, const uint32_t *room, const uint8_t *skip,
                   const struct kw_screen_key_opts *opt, uint64_t seed, int threads,
                   struct kw_screen_cluster **clusters, size_t *n_clusters,
                   struct kw_screen_key_stats *stats, struct kw_err *err);
void kw_screen_clusters_free(struct kw_screen_cluster *c, size_t n);

/* ---- Typed essays ---- */

struct kw_screen_text_opts {
	int ngram;              /* 0 → 3 (1..6) */
	int bands, rows;        /* 0 → 20, 5 */
	double min_jaccard;     /* 0 → 0.5 */
	double min_containment; /* 0 → 0.8 */
	size_t min_shingles;    /* 0 → 20 */
	int exhaustive;         /* 1: every pair, no bands */
	uint64_t seed;
	int threads;
};

struct kw_screen_text_pair {
	size_t a, b; /* candidate indexes, a < b */
	size_t shingles_a, shingles_b, shared;
	double jaccard, containment;
};

/*
 * Near-duplicate texts among n (texts[i] of lens[i] bytes, UTF-8; NULL or empty: no text).
 * *pairs (by a, then b) is the caller's (free). 0, or KW_EINVAL: SCREEN_INPUT_INVALID,
 * SCREEN_TEXT_INVALID (details.candidate, details.offset: the first byte that is not UTF-8).
 */
int kw_screen_text(const char *const *texts, const size_t *lens, size_t n,
                   const struct kw_screen_text_opts *opt, struct kw_screen_text_pair **pairs,
                   size_t *n_pairs, struct kw_err *err);

#endif
