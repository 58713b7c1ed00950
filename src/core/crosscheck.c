/* The cross-check's distribution findings (GRD-7): see crosscheck.h. */
#include "core/crosscheck.h"

#include <math.h>

__extension__ typedef __int128 wide; /* n·Σx² reaches 10^23 */

void kw_xc_add(struct kw_xc_acc *a, int32_t v)
{
	a->n++;
	a->sum += v;
	a->sumsq += (int64_t)v * v;
}

void kw_xc_minus(const struct kw_xc_acc *a, const struct kw_xc_acc *b, struct kw_xc_acc *out)
{
	out->n = a->n - b->n;
	out->sum = a->sum - b->sum;
	out->sumsq = a->sumsq - b->sumsq;
}

double kw_xc_mean(const struct kw_xc_acc *a)
{
	return a->n ? (double)a->sum / (double)a->n : 0.0;
}

double kw_xc_var(const struct kw_xc_acc *a)
{
	if (a->n < 2)
		return 0.0;
	/* n·Σx² − (Σx)², exactly */
	wide d = (wide)a->n * a->sumsq - (wide)a->sum * a->sum;
	if (d <= 0)
		return 0.0;
	return (double)d / ((double)a->n * (double)(a->n - 1));
}

#define TINY 1e-300
#define EPS  1e-15

/* P(a, x) by its power series (good for x < a + 1). */
static double gamma_series(double a, double x)
{
	double ap = a, term = 1.0 / a, sum = term;
	for (int i = 0; i < 10000; i++) {
		ap += 1.0;
		term *= x / ap;
		sum += term;
		if (fabs(term) < fabs(sum) * EPS)
			break;
	}
	return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Q(a, x) = 1 − P(a, x) by its continued fraction, evaluated with Lentz's method (good for
 * x ≥ a + 1). */
static double gamma_fraction(double a, double x)
{
	double b = x + 1.0 - a, c = 1.0 / TINY, d = 1.0 / b, h = d;
	for (int i = 1; i < 10000; i++) {
		double an = -i * (i - a);
		b += 2.0;
		d = an * d + b;
		if (fabs(d) < TINY)
			d = TINY;
		c = b + an / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1.0 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1.0) < EPS)
			break;
	}
	return exp(-x + a * log(x) - lgamma(a)) * h;
}

double kw_xc_chi2_cdf(double x, double k)
{
	if (x <= 0.0 || k <= 0.0)
		return 0.0;
	double a = k / 2.0, y = x / 2.0;
	double p = y < a + 1.0 ? gamma_series(a, y) : 1.0 - gamma_fraction(a, y);
	return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

double kw_xc_binom_upper(size_t n, size_t c, double p)
{
	if (c == 0)
		return 1.0;
	if (c > n || p <= 0.0)
		return 0.0;
	if (p >= 1.0)
		return 1.0;
	double lp = log(p), lq = log1p(-p), ln = lgamma((double)n + 1.0), sum = 0.0;
	for (size_t k = c; k <= n; k++) {
		double t = exp(ln - lgamma((double)k + 1.0) - lgamma((double)(n - k) + 1.0) +
		               (double)k * lp + (double)(n - k) * lq);
		sum += t;
		/* past the mode the terms only fall: stop when they no longer count */
		if ((double)k > (double)n * p && t < sum * EPS)
			break;
	}
	return sum > 1.0 ? 1.0 : sum;
}

void kw_xc_judge(const struct kw_xc_acc *g, const struct kw_xc_acc *ref, size_t same,
                 size_t same_ref, size_t distinct, struct kw_xc_verdict *v)
{
	v->judged = 0;
	v->z = 0.0;
	v->var_p = v->same_p = 1.0;
	v->mean = v->var = v->same = 0;
	double var_r = kw_xc_var(ref);
	if (g->n < KW_XC_MIN_GROUP || ref->n < KW_XC_MIN_REF || var_r <= 0.0)
		return;
	v->judged = 1;
	double ng = (double)g->n;
	v->z = (kw_xc_mean(g) - kw_xc_mean(ref)) / sqrt(var_r / ng);
	v->mean = fabs(v->z) > KW_XC_Z;
	v->var_p = kw_xc_chi2_cdf((ng - 1.0) * kw_xc_var(g) / var_r, ng - 1.0);
	v->var = v->var_p < KW_XC_P;
	double share = ((double)same_ref + 0.5) / ((double)ref->n + 1.0);
	v->same_p =
	        kw_xc_binom_upper((size_t)g->n, same, share) * (double)(distinct ? distinct : 1);
	if (v->same_p > 1.0)
		v->same_p = 1.0;
	v->same = same >= KW_XC_MIN_SAME && v->same_p < KW_XC_P;
}
