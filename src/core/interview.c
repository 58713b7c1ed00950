/* The interview arithmetic: see interview.h. */
#include "core/interview.h"
#include "util/sort.h"

#include <stdlib.h>

int64_t kw_iv_div_half_up(int64_t num, int64_t den)
{
	return (2 * num + den) / (2 * den);
}

uint32_t kw_iv_target(uint32_t quota, uint32_t a, uint32_t b)
{
	if (!quota || !a || !b)
		return 0;
	uint64_t t = ((uint64_t)quota * a + b - 1) / b;
	return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

struct ord {
	int32_t w;
	size_t i;
};

/* Written score descending, then index ascending. */
static int cmp_desc(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

size_t kw_iv_shortlist(const int32_t *written, const uint8_t *declined, size_t n, uint32_t target,
                       int32_t minimum, uint8_t *state, uint32_t *rank)
{
	if (!n)
		return 0;
	struct ord *o = malloc(n * sizeof *o);
	if (!o)
		abort();
	for (size_t i = 0; i < n; i++)
		o[i] = (struct ord){written[i], i};
	qsort(o, n, sizeof *o, cmp_desc);
	size_t admitted = 0;
	int32_t cut = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = o[k].i;
		rank[i] = (uint32_t)(k && o[k - 1].w == written[i] ? rank[o[k - 1].i] : k + 1);
		if (declined && declined[i]) {
			state[i] = KW_IV_DECLINED;
		} else if (minimum >= 0 && written[i] < minimum) {
			state[i] = KW_IV_BELOW_MIN;
		} else if (admitted < target || (admitted && written[i] == cut)) {
			state[i] = KW_IV_ADMITTED;
			cut = written[i];
			admitted++;
		} else {
			state[i] = KW_IV_WAITING;
		}
	}
	free(o);
	return admitted;
}

int kw_iv_panel_score(const struct kw_iv_dim *dims, size_t ndims, const int32_t *scores,
                      size_t nexaminers, enum kw_iv_method method, int32_t *out,
                      size_t *bad_examiner, size_t *bad_dim)
{
	for (size_t e = 0; e < nexaminers; e++)
		for (size_t d = 0; d < ndims; d++) {
			int32_t s = scores[e * ndims + d];
			if (s < 0 || s > dims[d].max) {
				*bad_examiner = e;
				*bad_dim = d;
				return -1;
			}
		}
	size_t lo = 0, hi = nexaminers;
	if (!nexaminers || (method == KW_IV_TRIMMED && nexaminers < 3))
		return -2;
	int64_t *tot = malloc(nexaminers * sizeof *tot);
	if (!tot)
		abort();
	for (size_t e = 0; e < nexaminers; e++) {
		tot[e] = 0; /* ten-thousandths: hundredths × per cent */
		for (size_t d = 0; d < ndims; d++)
			tot[e] += (int64_t)scores[e * ndims + d] * dims[d].weight;
	}
	if (method == KW_IV_TRIMMED) {
		qsort(tot, nexaminers, sizeof *tot, kw_cmp_i64);
		lo = 1;
		hi = nexaminers - 1;
	}
	int64_t sum = 0;
	for (size_t e = lo; e < hi; e++)
		sum += tot[e];
	free(tot);
	*out = (int32_t)kw_iv_div_half_up(sum, (int64_t)(hi - lo) * 100);
	return 0;
}

int kw_iv_composite(int32_t written, int32_t interview, uint32_t w_written, uint32_t w_interview,
                    int32_t *out)
{
	if (w_written + w_interview != 100 || written < 0 || interview < 0)
		return -1;
	*out = (int32_t)kw_iv_div_half_up(
	        (int64_t)written * w_written + (int64_t)interview * w_interview, 100);
	return 0;
}

int kw_iv_panel_size_ok(size_t examiners, size_t min_size)
{
	return examiners >= min_size && examiners % 2 == 1;
}

int kw_iv_agency_minority_ok(size_t agency, size_t examiners)
{
	return 2 * agency < examiners;
}
