/*
 * The final-score rule of subjective marking (GRD-2; app/marking.h): two marks within the
 * tolerance give their mean; three give the mean of the two closest within it (the higher
 * mean on a tie); otherwise one more mark is wanted. Hundredths throughout, means rounded
 * half up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/marking.h"

static void two_within_tolerance(void **state)
{
	(void)state;
	int32_t f = -1;
	const int32_t a[2] = {2000, 2200};
	assert_int_equal(kw_marking_resolve(a, 2, 300, &f), 0);
	assert_int_equal(f, 2100);
	/* the tolerance itself is within */
	const int32_t b[2] = {1000, 1300};
	assert_int_equal(kw_marking_resolve(b, 2, 300, &f), 0);
	assert_int_equal(f, 1150);
	/* a half hundredth rounds up: (18 + 18.05) / 2 = 18.025 → 18.03 */
	const int32_t c[2] = {1800, 1805};
	assert_int_equal(kw_marking_resolve(c, 2, 300, &f), 0);
	assert_int_equal(f, 1803);
}

static void two_beyond_tolerance(void **state)
{
	(void)state;
	int32_t f = -1;
	const int32_t a[2] = {1000, 1301};
	assert_int_equal(kw_marking_resolve(a, 2, 300, &f), 1);
	assert_int_equal(f, -1);
}

static void three_closest_pair(void **state)
{
	(void)state;
	int32_t f = -1;
	/* 10, 20, 19: 20 and 19 */
	const int32_t a[3] = {1000, 2000, 1900};
	assert_int_equal(kw_marking_resolve(a, 3, 300, &f), 0);
	assert_int_equal(f, 1950);
	/* 10, 20, 15 with tolerance 5: two pairs 5 apart — the higher mean, 17.5 */
	const int32_t b[3] = {1000, 2000, 1500};
	assert_int_equal(kw_marking_resolve(b, 3, 500, &f), 0);
	assert_int_equal(f, 1750);
	/* the first two close after all (the third only confirms them) */
	const int32_t c[3] = {1000, 1100, 3000};
	assert_int_equal(kw_marking_resolve(c, 3, 100, &f), 0);
	assert_int_equal(f, 1050);
}

static void three_apart_go_to_the_chief(void **state)
{
	(void)state;
	int32_t f = -1;
	const int32_t a[3] = {500, 1500, 2500};
	assert_int_equal(kw_marking_resolve(a, 3, 300, &f), 1);
	assert_int_equal(f, -1);
	/* a zero tolerance asks for equal marks */
	const int32_t b[3] = {500, 501, 502};
	assert_int_equal(kw_marking_resolve(b, 3, 0, &f), 1);
	const int32_t c[3] = {500, 501, 500};
	assert_int_equal(kw_marking_resolve(c, 3, 0, &f), 0);
	assert_int_equal(f, 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(two_within_tolerance),
	        cmocka_unit_test(two_beyond_tolerance),
	        cmocka_unit_test(three_closest_pair),
	        cmocka_unit_test(three_apart_go_to_the_chief),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
