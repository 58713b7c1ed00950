/*
 * The eligibility engine (SPEC REG-2, REG-6, EXAM-4): every condition of an exam or a
 * civil-service position evaluated against a candidate's profile, each unmet one named with
 * what was required and what the profile has, so a candidate reads why (the catalogues'
 * ELIG_* sentences). Pure: no I/O, no clock (the exam's reference date is passed).
 *
 * Conditions (any subset): age_min, age_max (completed years — 周岁 — on ref_date: one turns
 * N on the birthday; a 29 February birthday falls on 1 March in other years), education_min,
 * degree_min, majors (catalogue code prefixes of 2, 4 or 6 digits; a 6-digit code may carry
 * K or T), work_years_min, grassroots_years_min, political_status (the allowed values: list
 * both cpc_member and cpc_probationary when both are accepted), household (region-code
 * prefixes), grassroots_project (true: served in a grassroots project), graduated_after
 * (YYYY-MM-DD: fresh-graduate positions).
 * Profile: birth_date, education [{level, degree, major_code, major, school, graduated_on}],
 * work_years, grassroots_years, political_status, household_region, grassroots_project.
 */
#ifndef KW_CORE_ELIGIBILITY_H
#define KW_CORE_ELIGIBILITY_H

#include <jansson.h>

/*
 * 0 and *out = {"eligible": bool, "unmet": [{condition, code, required, actual}]} with every
 * unmet condition in the order above; -1 when the conditions themselves are malformed, with
 * *problem naming the key ("conditions.age_max"). A malformed profile value only fails its
 * condition (actual null).
 */
int kw_elig_evaluate(const json_t *conditions, const json_t *profile, const char *ref_date,
                     json_t **out, const char **problem);

/* The conditions' own check (staff save them): 0, or -1 and *problem. */
int kw_elig_conditions_check(const json_t *conditions, const char **problem);

/* Ascending, NULL-terminated. */
extern const char *const kw_elig_education_levels[];
extern const char *const kw_elig_degrees[];
extern const char *const kw_elig_political_statuses[];

#endif
