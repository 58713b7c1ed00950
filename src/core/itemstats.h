/*
 * Item analysis of an objective subject (issue 10 item 6): per master item its difficulty,
 * its discrimination and the choice rate of every option, blank and multiple mark; the
 * reliability of the whole (KR-20, Cronbach's alpha); the distribution of the totals
 * (mean, standard deviation, extremes, quantiles, histogram bins).
 *
 * Pure: no I/O, no clock, no randomness, no globals. Streaming: kw_itemstats_add takes one
 * sheet at a time and keeps only accumulators — per item and answer byte a count and the sum
 * of the totals of the sheets that gave it, and the count of each total — so memory depends
 * on the key (about 5 KB an item) and the range of the totals, never on the number of sheets.
 * Sums are kept as exact integers (hundredths of a point) and every statistic is computed
 * from them at the end: the same sheets in any order, or split over several accumulators
 * merged, give the same bits.
 *
 * Sheets are in MASTER order (kw_form_answers_to_master; kw_itemstats_add_form does it): the
 * statistics are per master item whatever paper form a candidate sat. A sheet's credit per
 * item is kw_score_item_credit with the master key — a form key verified as the permuted
 * master (CUS-8) gives the same credits — and its total is their sum, the score run's raw.
 *
 * Definitions (N sheets; x the item's credit, T the total, Y = T − x the rest score;
 * variances and standard deviations over N, not N − 1):
 *   difficulty p   mean(x) / the item's points (for 0/1 items the share correct);
 *   discrimination the corrected point-biserial: Pearson's r of x and Y (item–rest
 *                  correlation; for partial-credit items the same formula); undefined when
 *                  x or Y does not vary;
 *   option classes per item: option A..G, blank (0), multiple mark, invalid (the
 *                  KW_ANS_INVALID bit: unreadable). On single-choice and true/false items
 *                  a sheet falls in exactly one class — an option when exactly one is
 *                  marked, "multiple" when more are; on multiple and indeterminate items a
 *                  set of options is an answer, not a fault: each marked option counts
 *                  (the rates of A..G then need not sum to 1) and "multiple" stays 0;
 *   class rate     the share of the N sheets in the class;
 *   class r_pb     the point-biserial of "in the class" with the rest score Y (a
 *                  distractor's is normally negative); undefined when nobody or everybody
 *                  is in the class, or Y does not vary;
 *   alpha          Cronbach: k/(k−1) · (1 − Σ var(x_i) / var(T)), k items, k ≥ 2;
 *   KR-20          when every item is dichotomous (no partial credit): on the number of
 *                  items answered fully right R, k/(k−1) · (1 − Σ p_i(1 − p_i) / var(R)),
 *                  p_i the share fully right (equal to alpha when all items carry the
 *                  same points);
 *   quantiles      of the totals, linear between order statistics (q at 0-based position
 *                  (N − 1)·q of the sorted totals: Hyndman–Fan type 7, as R's and numpy's
 *                  default).
 */
#ifndef KW_CORE_ITEMSTATS_H
#define KW_CORE_ITEMSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/score.h"

/* The option classes of an item's answers. */
enum {
	KW_IS_BLANK = KW_SCORE_MAX_OPTIONS, /* 0..6 are options A..G */
	KW_IS_MULTIPLE,
	KW_IS_INVALID,
	KW_IS_CLASSES
};

/* ---- a distribution of totals ---- */

/*
 * Totals in hundredths, counted per value: exact when every total is a multiple of `unit`
 * (the key's greatest common divisor of points, kw_itemstats_unit) and the range
 * 0..max_total holds at most KW_DIST_MAX_CELLS multiples of it; otherwise the cells are
 * widened (a multiple of unit) and quantiles are exact to a cell's width (kw_dist_cell).
 */
#define KW_DIST_MAX_CELLS (1u << 20)
#define KW_DIST_QUANTILES 7 /* 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95 */

struct kw_dist;

/* A distribution over totals 0..max_total (hundredths, ≥ 0) in steps of unit (≥ 1). */
struct kw_dist *kw_dist_new(int32_t max_total, int32_t unit);
void kw_dist_free(struct kw_dist *d); /* NULL-safe */
/* Counts one total (clamped into 0..max_total). */
void kw_dist_add(struct kw_dist *d, int32_t total);
/* Adds from's counts into into (the same max_total and unit; else -1 and nothing changes). */
int kw_dist_merge(struct kw_dist *into, const struct kw_dist *from);
int32_t kw_dist_cell(const struct kw_dist *d);      /* the width of a cell, hundredths */
int32_t kw_dist_max_total(const struct kw_dist *d); /* as given */

extern const double kw_dist_quantile_at[KW_DIST_QUANTILES];

struct kw_dist_summary {
	int64_t n;
	double mean, sd;             /* hundredths; sd over n; 0 when n = 0 */
	int32_t min, max;            /* hundredths; 0 when n = 0 */
	double q[KW_DIST_QUANTILES]; /* hundredths, at kw_dist_quantile_at; 0 when n = 0 */
};
void kw_dist_summary(const struct kw_dist *d, struct kw_dist_summary *out);

/*
 * A bin width (hundredths) for about `bins` bins over 0..max_total: 1, 2 or 5 × 10^k
 * hundredths, rounded up to a multiple of unit, at least unit.
 */
int32_t kw_dist_bin_width(int32_t max_total, int32_t unit, int bins);

/*
 * Histogram of d in bins [b·width, (b+1)·width) from 0, the last bin also taking max_total:
 * writes counts[0..nbins) and returns nbins = ceil((max_total + 1) / width) (computed even
 * when it exceeds maxbins; only the first maxbins counts are written). width ≥ cell.
 */
size_t kw_dist_histogram(const struct kw_dist *d, int32_t width, int64_t *counts, size_t maxbins);

/* ---- item analysis ---- */

struct kw_itemstats;

/* Accumulators for master key k (copied), or NULL when k fails kw_score_key_check. */
struct kw_itemstats *kw_itemstats_new(const struct kw_score_key *k);
void kw_itemstats_free(struct kw_itemstats *s); /* NULL-safe */

/* One sheet, ans[0..items) in master order: counted; returns its total (hundredths). */
int32_t kw_itemstats_add(struct kw_itemstats *s, const uint8_t *ans);

/*
 * A paper form laid out for counting its sheets: per form item a table from the form's answer
 * byte to the master's (kw_form_answers_to_master's mapping, one look-up an item). From p,
 * the form's permutation of the master as kw_form_key_from_master takes it (copied: p may
 * go); NULL when p->n is 0 or above KW_SCORE_MAX_ITEMS.
 */
struct kw_itemstats_form;
struct kw_itemstats_form *kw_itemstats_form_new(const struct kw_form_perm *p);
void kw_itemstats_form_free(struct kw_itemstats_form *f); /* NULL-safe */

/* One sheet of paper form f, form_ans[0..items) in the form's order (f for a key of the same
 * number of items): counted in master order; returns its total. Uses a buffer inside s:
 * one thread at a time per s (f may be shared). */
int32_t kw_itemstats_add_form(struct kw_itemstats *s, const struct kw_itemstats_form *f,
                              const uint8_t *form_ans);

/* Adds from's sheets into into (both for the same key; else -1 and nothing changes): for
 * threads that each count a part. */
int kw_itemstats_merge(struct kw_itemstats *into, const struct kw_itemstats *from);

size_t kw_itemstats_items(const struct kw_itemstats *s);
int64_t kw_itemstats_sheets(const struct kw_itemstats *s);
/* The greatest common divisor of every credit an item can earn (hundredths; ≥ 1). */
int32_t kw_itemstats_unit(const struct kw_itemstats *s);
/* The highest total (the sum of the points), hundredths. */
int32_t kw_itemstats_max_total(const struct kw_itemstats *s);
/* The distribution of the totals counted (owned by s). */
const struct kw_dist *kw_itemstats_dist(const struct kw_itemstats *s);

struct kw_item_result {
	int64_t n;   /* sheets */
	double mean; /* mean credit, hundredths */
	double sd;   /* of the credit, hundredths */
	double p;    /* difficulty (0 when the item carries no points) */
	double disc; /* corrected point-biserial; valid only when disc_ok */
	int disc_ok;
	int64_t full; /* sheets with the full points */
	int64_t count[KW_IS_CLASSES];
	double rate[KW_IS_CLASSES];
	double pb[KW_IS_CLASSES]; /* valid only when pb_ok */
	int pb_ok[KW_IS_CLASSES];
};

/* The statistics of master item i (0-based, < items). */
void kw_itemstats_item(const struct kw_itemstats *s, size_t i, struct kw_item_result *out);

struct kw_reliability {
	int64_t n;
	size_t k;
	int dichotomous; /* every item without partial credit */
	double alpha;    /* valid only when alpha_ok (k ≥ 2, n ≥ 2, var(T) > 0) */
	int alpha_ok;
	double kr20; /* valid only when kr20_ok (dichotomous, k ≥ 2, var(R) > 0) */
	int kr20_ok;
	double sem; /* standard error of measurement sd(T)·√(1 − alpha), hundredths */
	int sem_ok; /* alpha_ok and alpha ≤ 1 */
};
void kw_itemstats_reliability(const struct kw_itemstats *s, struct kw_reliability *out);

#endif
