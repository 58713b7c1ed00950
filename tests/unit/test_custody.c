/*
 * The chain of custody's pure rules (core/custody.h; SPEC CUS-2..6): the kinds and places,
 * the routes each kind may take, the people checks (CUS-3: two per side, nobody twice), the
 * timing of receipts (CUS-5: 1 hour and 30 minutes before the start) and same-day arrival
 * in China time (CUS-2).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/custody.h"

#define MIN  INT64_C(60000000)
#define HOUR (60 * MIN)

static void kinds_and_places(void **state)
{
	(void)state;
	assert_int_equal(kw_cus_kind_of("handover"), KW_CUS_HANDOVER);
	assert_int_equal(kw_cus_kind_of("return"), KW_CUS_RETURN);
	assert_int_equal(kw_cus_kind_of("teleport"), KW_CUS_NONE);
	assert_int_equal(kw_cus_kind_of(NULL), KW_CUS_NONE);
	assert_string_equal(kw_cus_kind_name(KW_CUS_SECURE_IN), "secure_in");
	assert_true(kw_cus_is_handover(KW_CUS_CENTRE_RECEIPT));
	assert_true(kw_cus_is_handover(KW_CUS_PROCTOR_RECEIPT));
	assert_false(kw_cus_is_handover(KW_CUS_TRANSPORT));
	assert_false(kw_cus_is_handover(KW_CUS_SEAL_APPROVAL));
	assert_true(kw_cus_place_known("centre_secure_room"));
	assert_false(kw_cus_place_known("car_park"));
	assert_false(kw_cus_place_known(NULL));
}

static void routes(void **state)
{
	(void)state;
	assert_null(kw_cus_route_problem(KW_CUS_PRINT_RECEIPT, "printer", "province"));
	assert_string_equal(kw_cus_route_problem(KW_CUS_PRINT_RECEIPT, "area", "province"),
	                    "from_printer");
	assert_null(kw_cus_route_problem(KW_CUS_TRANSPORT, "province", "area"));
	assert_string_equal(kw_cus_route_problem(KW_CUS_TRANSPORT, "area", "area"), "same_place");
	/* CUS-4: into the secure room of the level where the package is, and out of it */
	assert_null(kw_cus_route_problem(KW_CUS_SECURE_IN, "area", "area_secure_room"));
	assert_string_equal(kw_cus_route_problem(KW_CUS_SECURE_IN, "area", "centre_secure_room"),
	                    "to_secure_room");
	assert_null(kw_cus_route_problem(KW_CUS_SECURE_OUT, "centre_secure_room", "centre"));
	assert_null(kw_cus_route_problem(KW_CUS_SECURE_OUT, "centre_secure_room", "exam_office"));
	assert_string_equal(kw_cus_route_problem(KW_CUS_SECURE_OUT, "area", "centre"),
	                    "from_secure_room");
	assert_string_equal(kw_cus_route_problem(KW_CUS_CENTRE_RECEIPT, "area", "exam_room"),
	                    "to_centre");
	assert_string_equal(kw_cus_route_problem(KW_CUS_PROCTOR_RECEIPT, "exam_office", "centre"),
	                    "to_exam_room");
	assert_string_equal(kw_cus_route_problem(KW_CUS_SEAL_APPROVAL, "exam_room", "area"),
	                    "place_changes");
	assert_null(kw_cus_route_problem(KW_CUS_RETURN, "exam_room", "exam_office"));
	assert_string_equal(kw_cus_route_problem(KW_CUS_RETURN, "exam_office", "area"),
	                    "from_exam_room");
}

static void people(void **state)
{
	(void)state;
	/* CUS-3: at least two on a side */
	assert_true(kw_cus_side_short(1, 2));
	assert_false(kw_cus_side_short(2, 2));
	const char *ok[] = {"u:1", "u:2", "n:张三", "n:李四"};
	size_t dup = 99;
	assert_false(kw_cus_first_duplicate(ok, 4, &dup));
	assert_int_equal(dup, 99);
	const char *twice[] = {"u:1", "u:2", "n:张三", "u:2"};
	assert_true(kw_cus_first_duplicate(twice, 4, &dup));
	assert_int_equal(dup, 3);
	/* an account and a named person are different people even with the same text */
	const char *mixed[] = {"u:7", "n:7"};
	assert_false(kw_cus_first_duplicate(mixed, 2, NULL));
}

static void timing(void **state)
{
	(void)state;
	int64_t start = INT64_C(1811811600000000); /* 2027-06-01T09:00:00+08:00 */
	/* CUS-5: the centre by 08:00, the proctors by 08:30 */
	assert_false(kw_cus_late(start - HOUR, start, 60));
	assert_true(kw_cus_late(start - HOUR + 1, start, 60));
	assert_false(kw_cus_late(start - 30 * MIN, start, 30));
	assert_true(kw_cus_late(start - 29 * MIN, start, 30));
	/* CUS-2: the day in China time — 23:30 and 00:30 (+08:00) are two days, though the
	 * same UTC day */
	int64_t midnight = start - 9 * HOUR; /* 2027-06-01T00:00:00+08:00 */
	assert_true(kw_cus_same_day(midnight, midnight + 23 * HOUR));
	assert_false(kw_cus_same_day(midnight - 30 * MIN, midnight + 30 * MIN));
	assert_true(kw_cus_same_day(midnight - 30 * MIN, midnight - 23 * HOUR));
	assert_true(kw_cus_same_day(INT64_C(-1000000), INT64_C(-2000000)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(kinds_and_places),
	        cmocka_unit_test(routes),
	        cmocka_unit_test(people),
	        cmocka_unit_test(timing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
