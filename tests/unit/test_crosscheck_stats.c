/*
 * The cross-check's distribution arithmetic (SPEC GRD-7; core/crosscheck.h): exact sums, the
 * χ² and binomial tails against their closed forms (expected values worked out by hand with
 * the textbook formulas: χ² with 2 and 4 degrees of freedom, 1 − e^(−x/2)·Σ; with 1 and 3,
 * through erf; binomial tails as sums of C(n, k)·p^k·(1 − p)^(n−k)), and the verdicts on a
 * room against its peers.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/crosscheck.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static struct kw_xc_acc acc(const int32_t *v, size_t n)
{
	struct kw_xc_acc a = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		kw_xc_add(&a, v[i]);
	return a;
}

static void sums_exact(void **state)
{
	(void)state;
	const int32_t v[] = {1000, 1250, 1400, 1675, 2000};
	struct kw_xc_acc a = acc(v, 5);
	NEAR(kw_xc_mean(&a), 1465.0, 1e-9);
	NEAR(kw_xc_var(&a), 149250.0, 1e-6);
	/* identical totals: a variance of exactly 0, however many */
	struct kw_xc_acc same = {0, 0, 0};
	for (int i = 0; i < 3000000; i++)
		kw_xc_add(&same, 99999);
	assert_true(kw_xc_var(&same) == 0.0);
	/* the peers are the parent less the group */
	const int32_t w[] = {1000, 1250, 1400, 1675, 2000, 500, 700};
	struct kw_xc_acc all = acc(w, 7), part = acc(w + 5, 2), rest;
	kw_xc_minus(&all, &part, &rest);
	assert_int_equal(rest.n, 5);
	NEAR(kw_xc_var(&rest), 149250.0, 1e-6);
	struct kw_xc_acc one = acc(v, 1);
	assert_true(kw_xc_var(&one) == 0.0);
}

static void chi2(void **state)
{
	(void)state;
	NEAR(kw_xc_chi2_cdf(3.0, 2.0), 0.7768698398515702, 1e-12);
	NEAR(kw_xc_chi2_cdf(10.0, 4.0), 0.9595723180054871, 1e-12);
	NEAR(kw_xc_chi2_cdf(0.5, 1.0), 0.5204998778130465, 1e-12);
	NEAR(kw_xc_chi2_cdf(40.0, 4.0), 0.9999999567157739, 1e-12);
	NEAR(kw_xc_chi2_cdf(16.41541038525963, 3.0), 0.9990680712919976, 1e-12);
	NEAR(kw_xc_chi2_cdf(0.00046901172529313233, 4.0), 2.749220151532228e-08, 1e-15);
	assert_true(kw_xc_chi2_cdf(0.0, 5.0) == 0.0);
	/* large degrees of freedom: the median of χ²_k is about k(1 − 2/(9k))³ */
	NEAR(kw_xc_chi2_cdf(1000.0 * pow(1.0 - 2.0 / 9000.0, 3), 1000.0), 0.5, 1e-3);
}

static void binomial(void **state)
{
	(void)state;
	NEAR(kw_xc_binom_upper(10, 3, 0.2), 0.32220047360000015, 1e-12);
	NEAR(kw_xc_binom_upper(4, 4, 0.5 / 6), 4.82253086419753e-05, 1e-15);
	NEAR(kw_xc_binom_upper(1000, 150, 0.1), 4.489442859450142e-07, 1e-12);
	NEAR(kw_xc_binom_upper(30, 30, 0.5), 9.313225746154785e-10, 1e-18);
	assert_true(kw_xc_binom_upper(10, 0, 0.3) == 1.0);
	assert_true(kw_xc_binom_upper(10, 11, 0.3) == 0.0);
	assert_true(kw_xc_binom_upper(10, 1, 0.0) == 0.0);
}

static const int32_t peers[] = {1000, 1250, 1400, 1675, 2000};

static void ordinary_room(void **state)
{
	(void)state;
	const int32_t g[] = {1200, 1500, 1700, 1300};
	struct kw_xc_acc a = acc(g, 4), r = acc(peers, 5);
	struct kw_xc_verdict v;
	kw_xc_judge(&a, &r, 1, 0, 4, &v);
	assert_int_equal(v.judged, 1);
	assert_int_equal(v.mean + v.var + v.same, 0);
}

static void room_high_mean(void **state)
{
	(void)state;
	const int32_t g[] = {1200, 1900, 2600, 3300};
	struct kw_xc_acc a = acc(g, 4), r = acc(peers, 5);
	struct kw_xc_verdict v;
	kw_xc_judge(&a, &r, 1, 0, 4, &v);
	NEAR(v.z, 4.063895038146535, 1e-9);
	assert_int_equal(v.mean, 1);
	NEAR(v.var_p, 0.9990680712919976, 1e-9);
	assert_int_equal(v.var, 0);
	assert_int_equal(v.same, 0);
}

static void room_too_alike(void **state)
{
	(void)state;
	/* near the peers' mean, but far too alike */
	const int32_t g[] = {1460, 1465, 1470, 1465, 1470};
	struct kw_xc_acc a = acc(g, 5), r = acc(peers, 5);
	struct kw_xc_verdict v;
	kw_xc_judge(&a, &r, 2, 0, 3, &v);
	NEAR(v.z, 0.005787990801732327, 1e-9);
	assert_int_equal(v.mean, 0);
	NEAR(v.var_p, 2.749220151532228e-08, 1e-12);
	assert_int_equal(v.var, 1);
	assert_int_equal(v.same, 0); /* two alike: below KW_XC_MIN_SAME */
}

static void room_one_pattern(void **state)
{
	(void)state;
	/* every sheet copies one pattern: one total four times, a total no peer has */
	const int32_t g[] = {1500, 1500, 1500, 1500};
	struct kw_xc_acc a = acc(g, 4), r = acc(peers, 5);
	struct kw_xc_verdict v;
	kw_xc_judge(&a, &r, 4, 0, 1, &v);
	assert_int_equal(v.var, 1);
	assert_true(v.var_p == 0.0);
	NEAR(v.same_p, 4.82253086419753e-05, 1e-15);
	assert_int_equal(v.same, 1);
	/* the same total common among the peers too (4 of 5): not improbable */
	kw_xc_judge(&a, &r, 4, 4, 1, &v);
	assert_int_equal(v.same, 0);
}

static void identical_among_many(void **state)
{
	(void)state;
	/* 28 totals, 20 of them different, one held by 4; among 112 peers that total once: by
	 * itself improbable (p ≈ 4.9e-4), but it is the largest of 20 counts — 20 × p is not */
	struct kw_xc_acc a = {0, 0, 0}, r = {0, 0, 0};
	for (int i = 0; i < 28; i++)
		kw_xc_add(&a, 3000 + 50 * (i % 20));
	for (int i = 0; i < 112; i++)
		kw_xc_add(&r, 2000 + 25 * i);
	struct kw_xc_verdict v;
	kw_xc_judge(&a, &r, 4, 1, 20, &v);
	NEAR(v.same_p, 0.009853962619521138, 1e-12);
	assert_int_equal(v.same, 0);
	kw_xc_judge(&a, &r, 4, 1, 1, &v);
	NEAR(v.same_p, 0.0004926981309760569, 1e-12);
	assert_int_equal(v.same, 1);
}

static void too_small(void **state)
{
	(void)state;
	struct kw_xc_acc a = acc(peers, 2), r = acc(peers, 5), flat = acc((int32_t[]){7, 7, 7}, 3);
	struct kw_xc_verdict v;
	kw_xc_judge(&a, &r, 1, 0, 2, &v); /* two totals: not judged */
	assert_int_equal(v.judged, 0);
	struct kw_xc_acc b = acc(peers, 4);
	kw_xc_judge(&b, &flat, 1, 0, 4, &v); /* peers without spread: nothing to judge against */
	assert_int_equal(v.judged, 0);
	kw_xc_judge(&b, &a, 1, 0, 4, &v); /* two peers */
	assert_int_equal(v.judged, 0);
	assert_int_equal(v.mean + v.var + v.same, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(sums_exact),       cmocka_unit_test(chi2),
	        cmocka_unit_test(binomial),         cmocka_unit_test(ordinary_room),
	        cmocka_unit_test(room_high_mean),   cmocka_unit_test(room_too_alike),
	        cmocka_unit_test(room_one_pattern), cmocka_unit_test(identical_among_many),
	        cmocka_unit_test(too_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
