/*
 * The interview arithmetic (SPEC INT-2, INT-4, INT-6, §15): shortlists from written scores,
 * a panel's score from examiners' dimension scores, composite scores, the panel size rule.
 * Pure; every score is an integer number of hundredths of a point (no floating point), and
 * every rounding is half-up on the exact rational value to hundredths (scores are never
 * negative here).
 */
#ifndef KW_CORE_INTERVIEW_H
#define KW_CORE_INTERVIEW_H

#include <stddef.h>
#include <stdint.h>

/* Shortlist states of one candidate. */
enum kw_iv_state {
	KW_IV_WAITING = 0,  /* eligible, below the cut: next in order for a replacement */
	KW_IV_ADMITTED = 1, /* on the interview list */
	KW_IV_DECLINED = 2, /* gave up the interview (input: stays declined) */
	KW_IV_BELOW_MIN = 3 /* under the exam's minimum written score: never admitted */
};

/*
 * The number the ratio a:b asks for a position recruiting quota: ceil(quota × a / b), or 0
 * when any argument is 0.
 */
uint32_t kw_iv_target(uint32_t quota, uint32_t a, uint32_t b);

/*
 * A position's shortlist (INT-2 via the position's interview ratio). written[i] is candidate
 * i's written score; declined[i] nonzero when i gave up (input). minimum < 0: no minimum.
 * Order: written score descending, ties keep index order (the caller passes candidates in a
 * stable order, e.g. ticket number). The eligible (not declined, not below the minimum) are
 * admitted from the top until target are in; every eligible candidate tied with the last one
 * admitted is admitted too (ties at the cut-off all in). A decliner's place therefore goes to
 * the next eligible in order (again with ties) whenever the admitted would fall below target.
 * state[i] receives the enum; rank[i] the competition rank (1 + the number of candidates with
 * a higher written score, decliners included). Returns the number admitted.
 */
size_t kw_iv_shortlist(const int32_t *written, const uint8_t *declined, size_t n, uint32_t target,
                       int32_t minimum, uint8_t *state, uint32_t *rank);

/* Scoring methods of a panel (INT-4; the default is kaowu's choice, §15). */
enum kw_iv_method {
	KW_IV_TRIMMED = 0, /* drop one highest and one lowest examiner total, average the rest */
	KW_IV_MEAN = 1     /* plain average of the examiners' totals */
};

/* One dimension of a scoring sheet: scores in [0, max] hundredths; the examiner's total is
 * Σ score × weight / 100 (weight in per cent: 100 = the dimension counts as scored). */
struct kw_iv_dim {
	int32_t max;
	uint32_t weight;
};

/*
 * A panel's score for one candidate: scores[e × ndims + d] is examiner e's score on dimension d.
 * Every score is range-checked first: a score outside [0, max] gives -1 with *bad_examiner and
 * *bad_dim set. The trimmed method needs at least 3 examiners, any method at least 1 (-2
 * otherwise). On success 0 and *out = the result in hundredths, rounded half-up once, at the
 * end, from the exact value (the totals are kept in ten-thousandths; nothing rounds before).
 */
int kw_iv_panel_score(const struct kw_iv_dim *dims, size_t ndims, const int32_t *scores,
                      size_t nexaminers, enum kw_iv_method method, int32_t *out,
                      size_t *bad_examiner, size_t *bad_dim);

/*
 * Composite (INT-6, §15): written × w_written/100 + interview × w_interview/100, rounded
 * half-up to hundredths. The weights are per cent and must sum to 100 (-1 otherwise).
 */
int kw_iv_composite(int32_t written, int32_t interview, uint32_t w_written, uint32_t w_interview,
                    int32_t *out);

/* INT-2: a panel has at least min_size examiners (5 by default) and an odd number. 1 = ok. */
int kw_iv_panel_size_ok(size_t examiners, size_t min_size);

/* Recruiting-agency examiners kept in the minority: 2 × agency < examiners. 1 = ok. */
int kw_iv_agency_minority_ok(size_t agency, size_t examiners);

/* Half-up division of non-negative num by positive den. */
int64_t kw_iv_div_half_up(int64_t num, int64_t den);

#endif
