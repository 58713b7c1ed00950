/* The interview arithmetic (SPEC INT-2, INT-4, INT-6, §15), with hand-worked numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/interview.h"

static void targets_from_ratio(void **state)
{
	(void)state;
	assert_int_equal(kw_iv_target(2, 3, 1), 6);
	assert_int_equal(kw_iv_target(1, 5, 1), 5);
	assert_int_equal(kw_iv_target(3, 3, 2), 5); /* 4.5 → 5: never fewer than the ratio */
	assert_int_equal(kw_iv_target(0, 3, 1), 0);
}

/*
 * Quota 1 at 3:1 (target 3), minimum 60.00. In order: #2 160.00, #0 150.50, #1 and #3 140.00
 * (tied at the cut: both in, 4 admitted), #4 and #5 120.00, #7 110.00, #6 55.00 (below the
 * minimum).
 */
static const int32_t W[] = {15050, 14000, 16000, 14000, 12000, 12000, 5500, 11000};
#define NW (sizeof W / sizeof W[0])

static void shortlist_ties_at_cut_all_in(void **state)
{
	(void)state;
	uint8_t st[NW], dec[NW] = {0};
	uint32_t rk[NW];
	assert_int_equal(kw_iv_shortlist(W, dec, NW, 3, 6000, st, rk), 4);
	const uint8_t want[] = {KW_IV_ADMITTED, KW_IV_ADMITTED, KW_IV_ADMITTED,  KW_IV_ADMITTED,
	                        KW_IV_WAITING,  KW_IV_WAITING,  KW_IV_BELOW_MIN, KW_IV_WAITING};
	const uint32_t ranks[] = {2, 3, 1, 3, 5, 5, 8, 7};
	for (size_t i = 0; i < NW; i++) {
		assert_int_equal(st[i], want[i]);
		assert_int_equal(rk[i], ranks[i]);
	}
	/* no minimum: #6 is simply waiting */
	assert_int_equal(kw_iv_shortlist(W, dec, NW, 3, -1, st, rk), 4);
	assert_int_equal(st[6], KW_IV_WAITING);
}

static void shortlist_replacement_in_order(void **state)
{
	(void)state;
	uint8_t st[NW], dec[NW] = {0};
	uint32_t rk[NW];
	/* #2 declines: 3 remain (#0, #1, #3) — the tie already filled the place */
	dec[2] = 1;
	assert_int_equal(kw_iv_shortlist(W, dec, NW, 3, 6000, st, rk), 3);
	assert_int_equal(st[2], KW_IV_DECLINED);
	assert_int_equal(st[4], KW_IV_WAITING);
	assert_int_equal(rk[2], 1); /* a decliner keeps their rank */
	/* #0 declines too: the next in order are #4 and #5, tied → both in */
	dec[0] = 1;
	assert_int_equal(kw_iv_shortlist(W, dec, NW, 3, 6000, st, rk), 4);
	assert_int_equal(st[4], KW_IV_ADMITTED);
	assert_int_equal(st[5], KW_IV_ADMITTED);
	assert_int_equal(st[7], KW_IV_WAITING);
	/* a minimum above everyone left: nobody is admitted */
	assert_int_equal(kw_iv_shortlist(W, dec, NW, 3, 20000, st, rk), 0);
}

/*
 * Two dimensions of 100 points, weighted 40 % and 60 %; seven examiners (INT-2). Totals:
 * 86.00, 73.30, 97.40 (highest), 54.00 (lowest), 82.00, 79.85, 85.798.
 * Trimmed: (86 + 73.3 + 82 + 79.85 + 85.798) / 5 = 406.948 / 5 = 81.3896 → 81.39.
 * Mean: 558.348 / 7 = 79.764 → 79.76.
 */
static const struct kw_iv_dim DIMS[] = {{10000, 40}, {10000, 60}};
static const int32_t SC[] = {8000, 9000, 7000, 7550, 9500, 9900, 6000,
                             5000, 8500, 8000, 7775, 8125, 8800, 8433};

static void panel_score_methods(void **state)
{
	(void)state;
	int32_t out = 0;
	size_t be = 99, bd = 99;
	assert_int_equal(kw_iv_panel_score(DIMS, 2, SC, 7, KW_IV_TRIMMED, &out, &be, &bd), 0);
	assert_int_equal(out, 8139);
	assert_int_equal(kw_iv_panel_score(DIMS, 2, SC, 7, KW_IV_MEAN, &out, &be, &bd), 0);
	assert_int_equal(out, 7976);
}

/* Half-up on the exact value: 80.005 is 80.01 (a binary float would make it 80.00). */
static void panel_score_rounds_half_up_exactly(void **state)
{
	(void)state;
	const struct kw_iv_dim one[] = {{10000, 100}};
	const int32_t two[] = {8000, 8001};
	const int32_t four[] = {7000, 8001, 9000, 8000};
	int32_t out = 0;
	size_t be, bd;
	assert_int_equal(kw_iv_panel_score(one, 1, two, 2, KW_IV_MEAN, &out, &be, &bd), 0);
	assert_int_equal(out, 8001);
	assert_int_equal(kw_iv_panel_score(one, 1, four, 4, KW_IV_TRIMMED, &out, &be, &bd), 0);
	assert_int_equal(out, 8001);
	const int32_t three[] = {8000, 8000, 8001}; /* 80.00333… → 80.00 */
	assert_int_equal(kw_iv_panel_score(one, 1, three, 3, KW_IV_MEAN, &out, &be, &bd), 0);
	assert_int_equal(out, 8000);
	assert_int_equal(kw_iv_panel_score(one, 1, two, 2, KW_IV_TRIMMED, &out, &be, &bd), -2);
}

static void panel_score_range_checked(void **state)
{
	(void)state;
	int32_t sc[14];
	for (size_t i = 0; i < 14; i++)
		sc[i] = SC[i];
	sc[9] = 10001; /* examiner 4, dimension 1: 100.01 of 100 */
	int32_t out = -7;
	size_t be = 0, bd = 0;
	assert_int_equal(kw_iv_panel_score(DIMS, 2, sc, 7, KW_IV_TRIMMED, &out, &be, &bd), -1);
	assert_int_equal(be, 4);
	assert_int_equal(bd, 1);
	assert_int_equal(out, -7);
	sc[9] = -1;
	assert_int_equal(kw_iv_panel_score(DIMS, 2, sc, 7, KW_IV_MEAN, &out, &be, &bd), -1);
}

/* INT-6 (§15 choice): 72.35 written, 81.39 or 81.38 interview. */
static void composite_weights(void **state)
{
	(void)state;
	int32_t out = 0;
	assert_int_equal(kw_iv_composite(7235, 8139, 50, 50, &out), 0);
	assert_int_equal(out, 7687); /* 76.87 exactly */
	assert_int_equal(kw_iv_composite(7235, 8138, 50, 50, &out), 0);
	assert_int_equal(out, 7687); /* 76.865 → 76.87 */
	assert_int_equal(kw_iv_composite(7235, 8138, 40, 60, &out), 0);
	assert_int_equal(out, 7777); /* 28.94 + 48.828 = 77.768 → 77.77 */
	assert_int_equal(kw_iv_composite(7235, 8138, 40, 50, &out), -1);
}

/* INT-2: at least 5 and odd; agency examiners in the minority. */
static void panel_size_rule(void **state)
{
	(void)state;
	assert_false(kw_iv_panel_size_ok(4, 5));
	assert_true(kw_iv_panel_size_ok(5, 5));
	assert_false(kw_iv_panel_size_ok(6, 5));
	assert_true(kw_iv_panel_size_ok(7, 5));
	assert_false(kw_iv_panel_size_ok(3, 5));
	assert_true(kw_iv_agency_minority_ok(3, 7));
	assert_false(kw_iv_agency_minority_ok(4, 7));
	assert_false(kw_iv_agency_minority_ok(3, 5) && kw_iv_agency_minority_ok(3, 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(targets_from_ratio),
	        cmocka_unit_test(shortlist_ties_at_cut_all_in),
	        cmocka_unit_test(shortlist_replacement_in_order),
	        cmocka_unit_test(panel_score_methods),
	        cmocka_unit_test(panel_score_rounds_half_up_exactly),
	        cmocka_unit_test(panel_score_range_checked),
	        cmocka_unit_test(composite_weights),
	        cmocka_unit_test(panel_size_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
