/*
 * The arithmetic of the cross-check's distribution findings (SPEC GRD-7; issue 10 item 5):
 * a group of totals — an exam room, a centre — against its peers (the rest of its centre, or
 * of the exam). Three questions, each a finding when the answer is improbable; findings are
 * put on the record for people to look at, they do not block publication:
 *
 *   mean       the group's mean is more than KW_XC_Z standard errors from its peers' mean:
 *              z = (mean_g − mean_r) / sqrt(var_r / n_g), var_r the peers' sample variance;
 *   variance   the group's totals are abnormally alike: with the peers' variance as the
 *              truth, (n_g − 1) · var_g / var_r follows χ² with n_g − 1 degrees of freedom,
 *              and P(χ² ≤ that) < KW_XC_P;
 *   identical  too many candidates share one total: the group's most frequent total held by
 *              c of its n_g candidates, that total's share among the peers p (smoothed:
 *              (count + ½) / (n_r + 1)), and d · P(X ≥ c) < KW_XC_P for X ~ Binomial(n_g,
 *              p), with c ≥ KW_XC_MIN_SAME — d the group's distinct totals: the most
 *              frequent is the largest of d counts, not one chosen beforehand (Bonferroni).
 *
 * A group is judged only with at least KW_XC_MIN_GROUP totals against at least
 * KW_XC_MIN_REF peers whose variance is not 0. Totals are in hundredths, as in core/score.h.
 * Pure: no I/O; the sums are exact integers (identical totals have variance 0, not a rounding
 * error), the probabilities doubles (they are findings to read, not scores).
 */
#ifndef KW_CORE_CROSSCHECK_H
#define KW_CORE_CROSSCHECK_H

#include <stddef.h>
#include <stdint.h>

#define KW_XC_Z         3.0
#define KW_XC_P         0.001
#define KW_XC_MIN_GROUP 3
#define KW_XC_MIN_REF   3
#define KW_XC_MIN_SAME  3

/* Sums of a group's totals: subtractable, so the peers are the parent's minus the group's. */
struct kw_xc_acc {
	int64_t n, sum, sumsq; /* exact: a total is at most 100,000 hundredths */
};

void kw_xc_add(struct kw_xc_acc *a, int32_t v);
/* *out = a − b (the totals of a that are not b's; b a part of a). */
void kw_xc_minus(const struct kw_xc_acc *a, const struct kw_xc_acc *b, struct kw_xc_acc *out);
double kw_xc_mean(const struct kw_xc_acc *a);
/* The sample variance (n − 1); 0 below two totals. */
double kw_xc_var(const struct kw_xc_acc *a);

/* P(X ≤ x) for X ~ χ² with k > 0 degrees of freedom (the regularised lower incomplete gamma
 * P(k/2, x/2)); 0 for x ≤ 0. */
double kw_xc_chi2_cdf(double x, double k);

/* P(X ≥ c) for X ~ Binomial(n, p), 0 ≤ p ≤ 1. */
double kw_xc_binom_upper(size_t n, size_t c, double p);

struct kw_xc_verdict {
	int judged;          /* the group and its peers are large enough */
	double z;            /* the mean's distance, in standard errors */
	double var_p;        /* P(a variance this low) */
	double same_p;       /* P(this many identical totals), times the distinct totals */
	int mean, var, same; /* the findings: 1 each when improbable */
};

/*
 * g's totals against its peers ref: same = how many of g's totals are its most frequent one,
 * same_ref = how many of the peers' totals are that one, distinct = how many different
 * totals g has (≥ 1).
 */
void kw_xc_judge(const struct kw_xc_acc *g, const struct kw_xc_acc *ref, size_t same,
                 size_t same_ref, size_t distinct, struct kw_xc_verdict *v);

#endif
