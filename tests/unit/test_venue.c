/* VEN-1 and VEN-4: whether a centre may serve an exam, by the exam's rule set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/venue.h"

#define AH "county", "provincial"
#define PQ "prefecture", "provincial_and_national_filing"

static void ven1_ah_county_is_the_floor(void **state)
{
	(void)state;
	assert_true(kw_venue_centre_allowed(AH, "prefecture", NULL, NULL, 0, 1).allowed);
	assert_true(kw_venue_centre_allowed(AH, "county", NULL, NULL, 0, 1).allowed);
	struct kw_centre_verdict v = kw_venue_centre_allowed(AH, "township", NULL, NULL, 0, 1);
	assert_false(v.allowed);
	assert_string_equal(v.rule, "VEN-1");
	assert_string_equal(v.reason, "BELOW_LEVEL_NO_APPROVAL");
	/* AH 23: a provincial-or-higher approval suffices; no national filing needed. */
	assert_true(
	        kw_venue_centre_allowed(AH, "township", "皖人社函〔2026〕1号", "", 0, 1).allowed);
}

static void ven1_pq_prefecture_and_filing(void **state)
{
	(void)state;
	assert_true(kw_venue_centre_allowed(PQ, "prefecture", NULL, NULL, 0, 1).allowed);
	struct kw_centre_verdict v = kw_venue_centre_allowed(PQ, "county", NULL, NULL, 0, 1);
	assert_false(v.allowed);
	assert_string_equal(v.reason, "BELOW_LEVEL_NO_APPROVAL");
	/* PQ 17: the province's consent alone is not enough. */
	v = kw_venue_centre_allowed(PQ, "county", "苏人社函〔2026〕33号", NULL, 0, 1);
	assert_false(v.allowed);
	assert_string_equal(v.reason, "NO_NATIONAL_FILING");
	assert_true(kw_venue_centre_allowed(PQ, "county", "苏人社函〔2026〕33号", "备2026-07", 0, 1)
	                    .allowed);
	/* The same county centre serves an AH exam without any approval. */
	assert_true(kw_venue_centre_allowed(AH, "county", NULL, NULL, 0, 1).allowed);
}

static void ven4_blocked_and_inactive(void **state)
{
	(void)state;
	struct kw_centre_verdict v = kw_venue_centre_allowed(AH, "prefecture", NULL, NULL, 1, 1);
	assert_false(v.allowed);
	assert_string_equal(v.rule, "VEN-4");
	assert_string_equal(v.reason, "BLOCKED_BY_INCIDENT");
	v = kw_venue_centre_allowed(AH, "prefecture", NULL, NULL, 0, 0);
	assert_false(v.allowed);
	assert_string_equal(v.reason, "INACTIVE");
	v = kw_venue_centre_allowed("county", "provincial", "village", NULL, NULL, 0, 1);
	assert_false(v.allowed);
	assert_string_equal(v.reason, "LEVEL_UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ven1_ah_county_is_the_floor),
	        cmocka_unit_test(ven1_pq_prefecture_and_filing),
	        cmocka_unit_test(ven4_blocked_and_inactive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
