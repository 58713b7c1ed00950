/*
 * Bock's nominal response model (issue 11 item 1; SPEC GRD-6): the probability model the
 * similar-answer indices (core/collusion.h) assume for multiple-choice data.
 *
 *     P_ik(θ) = exp(a_ik θ + c_ik) / Σ_h exp(a_ih θ + c_ih),   k = 0 .. K_i - 1
 *
 * An item has K_i categories, 2..KW_NRM_MAX_CATS; an omitted answer, where the model treats
 * it as a response, is one more category of its own (the caller decides, see nrm_fit.h).
 * Parameters are identified by Σ_k a_ik = 0 and Σ_k c_ik = 0 (as mirt reports them after
 * centring); kw_nrm_probs does not require it.
 *
 * Pure: no I/O, no clock, no randomness; doubles throughout.
 */
#ifndef KW_CORE_NRM_H
#define KW_CORE_NRM_H

#include <stddef.h>
#include <stdint.h>

#define KW_NRM_MAX_CATS 8

struct kw_nrm_item {
	int ncat;                  /* categories, 2..KW_NRM_MAX_CATS */
	double a[KW_NRM_MAX_CATS]; /* slopes */
	double c[KW_NRM_MAX_CATS]; /* intercepts */
};

/* P_ik(theta) for k = 0..ncat-1 into p[0..ncat-1]; computed with the maximum exponent taken
 * out, so no overflow for any finite theta. */
void kw_nrm_probs(const struct kw_nrm_item *it, double theta, double *p);

#endif
