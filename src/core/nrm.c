/* Bock's nominal response model: category probabilities (see nrm.h). */
#include "core/nrm.h"

#include <math.h>

void kw_nrm_probs(const struct kw_nrm_item *it, double theta, double *p)
{
	double z[KW_NRM_MAX_CATS], m = -INFINITY, s = 0;
	for (int k = 0; k < it->ncat; k++) {
		z[k] = it->a[k] * theta + it->c[k];
		if (z[k] > m)
			m = z[k];
	}
	for (int k = 0; k < it->ncat; k++)
		s += p[k] = exp(z[k] - m);
	for (int k = 0; k < it->ncat; k++)
		p[k] /= s;
}
