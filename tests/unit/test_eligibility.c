/* The eligibility engine (REG-6 review criteria, EXAM-4 position requirements): every
 * condition met or unmet with what was asked and what the profile has. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/eligibility.h"

static json_t *J(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("bad test JSON: %s", e.text);
	return j;
}

/* The codes of the unmet conditions, comma-joined ("" when eligible). */
static void codes(const char *cond, const char *prof, const char *ref, char *out, size_t n)
{
	json_t *c = J(cond), *p = J(prof), *r = NULL;
	const char *problem = NULL;
	assert_int_equal(kw_elig_evaluate(c, p, ref, &r, &problem), 0);
	out[0] = '\0';
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(r, "unmet"), i, u)
	{
		if (i)
			strncat(out, ",", n - strlen(out) - 1);
		strncat(out, json_string_value(json_object_get(u, "code")), n - strlen(out) - 1);
	}
	assert_int_equal(json_is_true(json_object_get(r, "eligible")), out[0] == '\0');
	json_decref(c);
	json_decref(p);
	json_decref(r);
}

#define EXPECT(cond, prof, ref, want)                                                              \
	do {                                                                                       \
		char got[256];                                                                     \
		codes(cond, prof, ref, got, sizeof got);                                           \
		assert_string_equal(got, want);                                                    \
	} while (0)

/* 周岁: one turns N on the birthday; "18 to 35" admits the day before the 36th birthday. */
static void exam4_age_on_the_reference_date(void **state)
{
	(void)state;
	const char *c = "{\"age_min\":18,\"age_max\":35}";
	EXPECT(c, "{\"birth_date\":\"1990-12-01\"}", "2026-11-30", "");              /* 35 */
	EXPECT(c, "{\"birth_date\":\"1990-11-30\"}", "2026-11-30", "ELIG_AGE_OVER"); /* 36 today */
	EXPECT(c, "{\"birth_date\":\"2008-11-30\"}", "2026-11-30", "");              /* 18 today */
	EXPECT(c, "{\"birth_date\":\"2008-12-01\"}", "2026-11-30", "ELIG_AGE_UNDER");
	/* A 29 February birthday comes on 1 March in a common year. */
	EXPECT("{\"age_min\":27}", "{\"birth_date\":\"2000-02-29\"}", "2027-02-28",
	       "ELIG_AGE_UNDER");
	EXPECT("{\"age_min\":27}", "{\"birth_date\":\"2000-02-29\"}", "2027-03-01", "");
	EXPECT("{\"age_min\":28}", "{\"birth_date\":\"2000-02-29\"}", "2028-02-29", "");
	/* No birth date (a document that carries none, not filled in): unknown, said once. */
	EXPECT(c, "{}", "2026-11-30", "ELIG_AGE_UNKNOWN");
	EXPECT(c, "{\"birth_date\":\"1990-02-30\"}", "2026-11-30", "ELIG_AGE_UNKNOWN");
}

static void exam4_education_and_degree(void **state)
{
	(void)state;
	const char *c = "{\"education_min\":\"bachelor\",\"degree_min\":\"bachelor\"}";
	EXPECT(c, "{\"education\":[{\"level\":\"master\",\"degree\":\"master\"}]}", "2026-01-01",
	       "");
	EXPECT(c,
	       "{\"education\":[{\"level\":\"junior_college\",\"degree\":\"none\"},"
	       "{\"level\":\"bachelor\",\"degree\":\"bachelor\"}]}",
	       "2026-01-01", "");
	EXPECT(c, "{\"education\":[{\"level\":\"bachelor\",\"degree\":\"none\"}]}", "2026-01-01",
	       "ELIG_DEGREE");
	EXPECT(c, "{\"education\":[]}", "2026-01-01", "ELIG_EDUCATION,ELIG_DEGREE");
	EXPECT(c, "{}", "2026-01-01", "ELIG_EDUCATION,ELIG_DEGREE");
}

/* Majors by catalogue prefix: a discipline (2), a class (4), a major (6, maybe K/T). */
static void exam4_majors(void **state)
{
	(void)state;
	const char *p = "{\"education\":[{\"level\":\"bachelor\",\"major_code\":\"020201K\"}]}";
	EXPECT("{\"majors\":[\"02\"]}", p, "2026-01-01", "");
	EXPECT("{\"majors\":[\"0202\"]}", p, "2026-01-01", "");
	EXPECT("{\"majors\":[\"020201\"]}", p, "2026-01-01", "");
	EXPECT("{\"majors\":[\"020201K\"]}", p, "2026-01-01", "");
	EXPECT("{\"majors\":[\"0203\",\"0714\"]}", p, "2026-01-01", "ELIG_MAJOR");
	EXPECT("{\"majors\":[]}", p, "2026-01-01", "");
	/* The major must be that of a degree at the level asked for. */
	EXPECT("{\"education_min\":\"master\",\"majors\":[\"0202\"]}",
	       "{\"education\":[{\"level\":\"bachelor\",\"major_code\":\"020201\"},"
	       "{\"level\":\"master\",\"major_code\":\"071401\"}]}",
	       "2026-01-01", "ELIG_MAJOR");
	json_t *c = J("{\"majors\":[\"0203\"]}"), *pr = J(p), *r = NULL;
	const char *problem;
	assert_int_equal(kw_elig_evaluate(c, pr, "2026-01-01", &r, &problem), 0);
	json_t *u = json_array_get(json_object_get(r, "unmet"), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(u, "actual"), 0)),
	                    "020201K");
	json_decref(c);
	json_decref(pr);
	json_decref(r);
}

static void exam4_work_politics_household_projects(void **state)
{
	(void)state;
	EXPECT("{\"work_years_min\":2,\"grassroots_years_min\":2}",
	       "{\"work_years\":3,\"grassroots_years\":1}", "2026-01-01", "ELIG_GRASSROOTS_YEARS");
	EXPECT("{\"work_years_min\":2}", "{}", "2026-01-01", "ELIG_WORK_YEARS");
	EXPECT("{\"political_status\":[\"cpc_member\",\"cpc_probationary\"]}",
	       "{\"political_status\":\"cpc_probationary\"}", "2026-01-01", "");
	EXPECT("{\"political_status\":[\"cpc_member\"]}", "{\"political_status\":\"masses\"}",
	       "2026-01-01", "ELIG_POLITICAL_STATUS");
	EXPECT("{\"household\":[\"3401\",\"3402\"]}", "{\"household_region\":\"340104\"}",
	       "2026-01-01", "");
	EXPECT("{\"household\":[\"34\"]}", "{\"household_region\":\"320104\"}", "2026-01-01",
	       "ELIG_HOUSEHOLD");
	EXPECT("{\"grassroots_project\":true}", "{\"grassroots_project\":false}", "2026-01-01",
	       "ELIG_GRASSROOTS_PROJECT");
	EXPECT("{\"grassroots_project\":false}", "{}", "2026-01-01", "");
	EXPECT("{\"graduated_after\":\"2024-09-01\"}",
	       "{\"education\":[{\"level\":\"bachelor\",\"graduated_on\":\"2025-07-01\"}]}",
	       "2026-01-01", "");
	EXPECT("{\"graduated_after\":\"2024-09-01\"}",
	       "{\"education\":[{\"level\":\"bachelor\",\"graduated_on\":\"2020-07-01\"}]}",
	       "2026-01-01", "ELIG_GRADUATION");
}

/* Every unmet condition is reported, in one fixed order, never only the first. */
static void every_unmet_condition_in_order(void **state)
{
	(void)state;
	EXPECT("{\"household\":[\"11\"],\"political_status\":[\"cpc_member\"],\"age_max\":30,"
	       "\"education_min\":\"master\",\"majors\":[\"08\"],\"work_years_min\":1}",
	       "{\"birth_date\":\"1980-01-01\",\"education\":[{\"level\":\"bachelor\","
	       "\"major_code\":\"020201\"}],\"household_region\":\"340104\"}",
	       "2026-11-30",
	       "ELIG_AGE_OVER,ELIG_EDUCATION,ELIG_MAJOR,ELIG_WORK_YEARS,ELIG_POLITICAL_STATUS,"
	       "ELIG_HOUSEHOLD");
	EXPECT("{}", "{}", "2026-11-30", "");
}

/* Staff errors in conditions are refused with the key that is wrong. */
static void malformed_conditions_are_named(void **state)
{
	(void)state;
	const struct {
		const char *c, *key;
	} cases[] = {
	        {"{\"age_max\":\"35\"}", "conditions.age_max"},
	        {"{\"age_min\":40,\"age_max\":35}", "conditions.age_max"},
	        {"{\"education_min\":\"phd\"}", "conditions.education_min"},
	        {"{\"degree_min\":3}", "conditions.degree_min"},
	        {"{\"majors\":[\"02a\"]}", "conditions.majors"},
	        {"{\"majors\":\"0202\"}", "conditions.majors"},
	        {"{\"household\":[\"340104K\"]}", "conditions.household"},
	        {"{\"political_status\":[\"member\"]}", "conditions.political_status"},
	        {"{\"work_years_min\":-1}", "conditions.work_years_min"},
	        {"{\"graduated_after\":\"2024-02-30\"}", "conditions.graduated_after"},
	        {"{\"shoe_size\":42}", "conditions"},
	        {"[]", "conditions"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *c = J(cases[i].c), *p = J("{}"), *r = NULL;
		const char *problem = NULL;
		assert_int_equal(kw_elig_evaluate(c, p, "2026-01-01", &r, &problem), -1);
		assert_null(r);
		assert_string_equal(problem, cases[i].key);
		assert_int_equal(kw_elig_conditions_check(c, &problem), -1);
		json_decref(c);
		json_decref(p);
	}
}

/* A malformed profile fails its conditions; it never crashes or passes. */
static void malformed_profiles_fail_their_conditions(void **state)
{
	(void)state;
	const char *c = "{\"age_min\":18,\"education_min\":\"bachelor\",\"majors\":[\"02\"],"
	                "\"work_years_min\":1,\"political_status\":[\"masses\"],"
	                "\"household\":[\"34\"]}";
	EXPECT(c,
	       "{\"birth_date\":19900101,\"education\":\"bachelor\",\"work_years\":\"5\","
	       "\"political_status\":[\"masses\"],\"household_region\":34}",
	       "2026-01-01",
	       "ELIG_AGE_UNKNOWN,ELIG_EDUCATION,ELIG_MAJOR,ELIG_WORK_YEARS,ELIG_POLITICAL_STATUS,"
	       "ELIG_HOUSEHOLD");
	EXPECT(c, "{\"education\":[7,null,{\"level\":1,\"major_code\":[]}]}", "2026-01-01",
	       "ELIG_AGE_UNKNOWN,ELIG_EDUCATION,ELIG_MAJOR,ELIG_WORK_YEARS,ELIG_POLITICAL_STATUS,"
	       "ELIG_HOUSEHOLD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(exam4_age_on_the_reference_date),
	        cmocka_unit_test(exam4_education_and_degree),
	        cmocka_unit_test(exam4_majors),
	        cmocka_unit_test(exam4_work_politics_household_projects),
	        cmocka_unit_test(every_unmet_condition_in_order),
	        cmocka_unit_test(malformed_conditions_are_named),
	        cmocka_unit_test(malformed_profiles_fail_their_conditions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
