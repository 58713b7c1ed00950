/*
 * The final-score rule of subjective marking (GRD-2; app/marking.h): two marks within the
 * tolerance give their mean; three give the mean of the two closest within it (the higher
 * mean on a tie); otherwise one more mark is wanted. Hundredths throughout, means rounded
 * half up. And the quality flags of GRD-2 (AH 57(3); kw_marking_quality): too lenient or too
 * strict against the other markers or the expert marks of control scripts, beyond the
 * threshold over enough scripts; drift between a marker's first and last marks.
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

static const struct kw_marking_quality Q = {.threshold = 150, .min = 5, .window = 3};

static void lenient_against_peers(void **state)
{
	(void)state;
	struct kw_marker_quality mq;
	/* 2 points above the others on average over 5 scripts, the threshold 1.5 */
	const double peer[5] = {200, 300, 100, 250, 150};
	kw_marking_quality(peer, 5, NULL, 0, peer, 5, &Q, &mq);
	assert_int_equal(mq.flags, KW_MQ_LENIENT_PEERS);
	assert_true(mq.peer_mean > 199.99 && mq.peer_mean < 200.01);
	/* four scripts are not enough */
	kw_marking_quality(peer, 4, NULL, 0, peer, 4, &Q, &mq);
	assert_int_equal(mq.flags, 0);
	/* the threshold itself is within (only beyond it flags) */
	const double at[5] = {150, 150, 150, 150, 150};
	kw_marking_quality(at, 5, NULL, 0, NULL, 0, &Q, &mq);
	assert_int_equal(mq.flags, 0);
	/* means of thirds: 150.0000…1 is still the threshold */
	const double thirds[5] = {100.0 + 100.0 / 3, 200.0 - 100.0 / 3, 150, 150, 150};
	kw_marking_quality(thirds, 5, NULL, 0, NULL, 0, &Q, &mq);
	assert_int_equal(mq.flags, 0);
}

static void strict_against_peers_and_control(void **state)
{
	(void)state;
	struct kw_marker_quality mq;
	const double peer[6] = {-100, -200, -200, -300, -100, -200};
	kw_marking_quality(peer, 6, NULL, 0, NULL, 0, &Q, &mq);
	assert_int_equal(mq.flags, KW_MQ_STRICT_PEERS);
	/* control scripts: the expert marks decide on their own */
	const double ctl[5] = {-200, -200, -100, -300, -200};
	kw_marking_quality(NULL, 0, ctl, 5, NULL, 0, &Q, &mq);
	assert_int_equal(mq.flags, KW_MQ_STRICT_CONTROL);
	assert_true(mq.control_mean < -199.99 && mq.control_mean > -200.01);
	/* lenient against the expert while in line with the others */
	const double even[5] = {50, -50, 0, 100, -100};
	const double high[5] = {300, 200, 250, 200, 300};
	kw_marking_quality(even, 5, high, 5, NULL, 0, &Q, &mq);
	assert_int_equal(mq.flags, KW_MQ_LENIENT_CONTROL);
	/* too few control scripts: no flag */
	kw_marking_quality(even, 5, high, 4, NULL, 0, &Q, &mq);
	assert_int_equal(mq.flags, 0);
}

static void drift_first_against_last(void **state)
{
	(void)state;
	struct kw_marker_quality mq;
	/* in line for three marks, then 4 points high: drift 4 */
	const double seq[6] = {0, 50, -50, 400, 350, 450};
	kw_marking_quality(NULL, 0, NULL, 0, seq, 6, &Q, &mq);
	assert_true(mq.has_drift);
	assert_true(mq.drift > 399.99 && mq.drift < 400.01);
	assert_int_equal(mq.flags, KW_MQ_DRIFT);
	/* the other way too */
	const double down[7] = {100, 100, 100, 0, -100, -100, -100};
	kw_marking_quality(NULL, 0, NULL, 0, down, 7, &Q, &mq);
	assert_true(mq.drift < -199.99 && mq.drift > -200.01);
	assert_int_equal(mq.flags, KW_MQ_DRIFT);
	/* fewer than two windows: no drift figure at all */
	kw_marking_quality(NULL, 0, NULL, 0, seq, 5, &Q, &mq);
	assert_false(mq.has_drift);
	assert_int_equal(mq.flags, 0);
	/* steady: a figure, no flag */
	const double steady[6] = {100, 120, 80, 200, 150, 100};
	kw_marking_quality(NULL, 0, NULL, 0, steady, 6, &Q, &mq);
	assert_true(mq.has_drift);
	assert_int_equal(mq.flags, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(two_within_tolerance),
	        cmocka_unit_test(two_beyond_tolerance),
	        cmocka_unit_test(three_closest_pair),
	        cmocka_unit_test(three_apart_go_to_the_chief),
	        cmocka_unit_test(lenient_against_peers),
	        cmocka_unit_test(strict_against_peers_and_control),
	        cmocka_unit_test(drift_first_against_last),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
