#include "core/eligibility.h"

#include <stdio.h>
#include <string.h>

const char *const kw_elig_education_levels[] = {"secondary", "junior_college", "bachelor",
                                                "master",    "doctorate",      NULL};
const char *const kw_elig_degrees[] = {"none", "bachelor", "master", "doctorate", NULL};
const char *const kw_elig_political_statuses[] = {
        "cpc_member", "cpc_probationary", "cyl_member", "democratic_party",
        "non_party",  "masses",           NULL};

/* The rank of v in list, or -1. */
static int rank(const char *const *list, const char *v)
{
	for (int i = 0; v && list[i]; i++)
		if (strcmp(list[i], v) == 0)
			return i;
	return -1;
}

static int valid_date(const char *s, int *y, int *m, int *d)
{
	char tail;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3)
		return 0;
	if (*y < 1800 || *m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1])
		return 0;
	int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return !(*m == 2 && *d == 29 && !leap);
}

/* A code prefix: 2, 4 or 6 digits (a 6-digit code may end in K or T). */
static int code_ok(const char *c, int region)
{
	size_t n = c ? strlen(c) : 0, d = c ? strspn(c, "0123456789") : 0;
	if (d == n)
		return n == 2 || n == 4 || n == 6;
	return !region && d == 6 && n == 7 && (c[6] == 'K' || c[6] == 'T');
}

static int string_list(const json_t *v, int (*ok)(const char *, int), int region)
{
	if (!json_is_array(v))
		return 0;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		const char *s = json_string_value(x);
		if (!s || (ok && !ok(s, region)))
			return 0;
		if (!ok && rank(kw_elig_political_statuses, s) < 0)
			return 0;
	}
	return 1;
}

int kw_elig_conditions_check(const json_t *c, const char **problem)
{
	static const char *const known[] = {"age_min",
	                                    "age_max",
	                                    "education_min",
	                                    "degree_min",
	                                    "majors",
	                                    "work_years_min",
	                                    "grassroots_years_min",
	                                    "political_status",
	                                    "household",
	                                    "grassroots_project",
	                                    "graduated_after",
	                                    NULL};
	static const char *const keys[] = {"conditions.age_min",
	                                   "conditions.age_max",
	                                   "conditions.education_min",
	                                   "conditions.degree_min",
	                                   "conditions.majors",
	                                   "conditions.work_years_min",
	                                   "conditions.grassroots_years_min",
	                                   "conditions.political_status",
	                                   "conditions.household",
	                                   "conditions.grassroots_project",
	                                   "conditions.graduated_after"};
	*problem = NULL;
	if (!json_is_object(c)) {
		*problem = "conditions";
		return -1;
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)c, key, v)
	{
		int k = rank(known, key), ok = 0;
		int y, m, d;
		switch (k) {
		case 0:
		case 1:
			ok = json_is_integer(v) && json_integer_value(v) >= 0 &&
			     json_integer_value(v) <= 120;
			break;
		case 2:
			ok = rank(kw_elig_education_levels, json_string_value(v)) >= 0;
			break;
		case 3:
			ok = rank(kw_elig_degrees, json_string_value(v)) >= 0;
			break;
		case 4:
			ok = string_list(v, code_ok, 0);
			break;
		case 5:
		case 6:
			ok = json_is_integer(v) && json_integer_value(v) >= 0 &&
			     json_integer_value(v) <= 50;
			break;
		case 7:
			ok = string_list(v, NULL, 0);
			break;
		case 8:
			ok = string_list(v, code_ok, 1);
			break;
		case 9:
			ok = json_is_boolean(v);
			break;
		case 10:
			ok = valid_date(json_string_value(v), &y, &m, &d);
			break;
		default:
			*problem = "conditions";
			return -1;
		}
		if (!ok) {
			*problem = keys[k];
			return -1;
		}
	}
	json_t *lo = json_object_get(c, "age_min"), *hi = json_object_get(c, "age_max");
	if (lo && hi && json_integer_value(lo) > json_integer_value(hi)) {
		*problem = "conditions.age_max";
		return -1;
	}
	return 0;
}

static void unmet(json_t *list, const char *cond, const char *code, json_t *required,
                  json_t *actual)
{
	json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:o}", "condition", cond, "code",
	                                      code, "required", required, "actual",
	                                      actual ? actual : json_null()));
}

/* Completed years on ref (周岁); -1 when either date is not valid or birth is after ref. A
 * 29 February birthday comes on 1 March in a common year. */
static int age_on(const char *birth, const char *ref)
{
	int by, bm, bd, ry, rm, rd;
	if (!valid_date(birth, &by, &bm, &bd) || !valid_date(ref, &ry, &rm, &rd))
		return -1;
	if (strcmp(birth, ref) > 0)
		return -1;
	int age = ry - by;
	if (rm < bm || (rm == bm && rd < bd))
		age--;
	return age;
}

static int64_t int_or(const json_t *o, const char *k, int64_t dflt, int *bad)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return dflt;
	if (!json_is_integer(v)) {
		*bad = 1;
		return dflt;
	}
	return json_integer_value(v);
}

/* The candidate's highest rank in list for field among the education records. */
static int best(const json_t *edu, const char *field, const char *const *list)
{
	int top = -1;
	size_t i;
	json_t *e;
	json_array_foreach(edu, i, e)
	{
		int r = rank(list, json_string_value(json_object_get(e, field)));
		if (r > top)
			top = r;
	}
	return top;
}

static int major_matches(const char *code, const json_t *prefixes)
{
	size_t i;
	json_t *p;
	json_array_foreach(prefixes, i, p)
	{
		const char *s = json_string_value(p);
		size_t n = strspn(s, "0123456789"); /* the digits; K/T marks do not narrow */
		if (n && strncmp(code, s, n) == 0)
			return 1;
	}
	return 0;
}

int kw_elig_evaluate(const json_t *c, const json_t *p, const char *ref_date, json_t **out,
                     const char **problem)
{
	*out = NULL;
	if (kw_elig_conditions_check(c, problem))
		return -1;
	json_t *list = json_array();
	const json_t *edu = json_object_get(p, "education");
	if (!json_is_array(edu))
		edu = NULL;
	json_t *v;
	int age = age_on(json_string_value(json_object_get(p, "birth_date")), ref_date);
	if ((v = json_object_get(c, "age_min"))) {
		if (age < 0)
			unmet(list, "age_min", "ELIG_AGE_UNKNOWN", json_incref(v), NULL);
		else if (age < json_integer_value(v))
			unmet(list, "age_min", "ELIG_AGE_UNDER", json_incref(v), json_integer(age));
	}
	if ((v = json_object_get(c, "age_max"))) {
		if (age < 0 && !json_object_get(c, "age_min"))
			unmet(list, "age_max", "ELIG_AGE_UNKNOWN", json_incref(v), NULL);
		else if (age >= 0 && age > json_integer_value(v))
			unmet(list, "age_max", "ELIG_AGE_OVER", json_incref(v), json_integer(age));
	}
	int min_level = -1;
	if ((v = json_object_get(c, "education_min"))) {
		min_level = rank(kw_elig_education_levels, json_string_value(v));
		int have = edu ? best(edu, "level", kw_elig_education_levels) : -1;
		if (have < min_level)
			unmet(list, "education_min", "ELIG_EDUCATION", json_incref(v),
			      have >= 0 ? json_string(kw_elig_education_levels[have]) : NULL);
	}
	if ((v = json_object_get(c, "degree_min"))) {
		int need = rank(kw_elig_degrees, json_string_value(v));
		int have = edu ? best(edu, "degree", kw_elig_degrees) : -1;
		if (have < need)
			unmet(list, "degree_min", "ELIG_DEGREE", json_incref(v),
			      have >= 0 ? json_string(kw_elig_degrees[have]) : NULL);
	}
	if ((v = json_object_get(c, "majors")) && json_array_size(v)) {
		/* A record counts when it is at the level asked for (any record otherwise). */
		json_t *mine = json_array();
		int ok = 0;
		size_t i;
		json_t *e;
		json_array_foreach(edu, i, e)
		{
			const char *code = json_string_value(json_object_get(e, "major_code"));
			if (!code)
				continue;
			json_array_append_new(mine, json_string(code));
			int lvl = rank(kw_elig_education_levels,
			               json_string_value(json_object_get(e, "level")));
			if (lvl >= min_level && major_matches(code, v))
				ok = 1;
		}
		if (!ok)
			unmet(list, "majors", "ELIG_MAJOR", json_incref(v), mine);
		else
			json_decref(mine);
	}
	int bad = 0;
	if ((v = json_object_get(c, "work_years_min"))) {
		int64_t have = int_or(p, "work_years", 0, &bad);
		if (bad || have < json_integer_value(v))
			unmet(list, "work_years_min", "ELIG_WORK_YEARS", json_incref(v),
			      bad ? NULL : json_integer(have));
	}
	bad = 0;
	if ((v = json_object_get(c, "grassroots_years_min"))) {
		int64_t have = int_or(p, "grassroots_years", 0, &bad);
		if (bad || have < json_integer_value(v))
			unmet(list, "grassroots_years_min", "ELIG_GRASSROOTS_YEARS", json_incref(v),
			      bad ? NULL : json_integer(have));
	}
	if ((v = json_object_get(c, "political_status")) && json_array_size(v)) {
		const char *have = json_string_value(json_object_get(p, "political_status"));
		int ok = 0;
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) ok |= have && strcmp(have, json_string_value(x)) == 0;
		if (!ok)
			unmet(list, "political_status", "ELIG_POLITICAL_STATUS", json_incref(v),
			      have ? json_string(have) : NULL);
	}
	if ((v = json_object_get(c, "household")) && json_array_size(v)) {
		const char *have = json_string_value(json_object_get(p, "household_region"));
		int ok = 0;
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			const char *pre = json_string_value(x);
			ok |= have && strncmp(have, pre, strlen(pre)) == 0;
		}
		if (!ok)
			unmet(list, "household", "ELIG_HOUSEHOLD", json_incref(v),
			      have ? json_string(have) : NULL);
	}
	if ((v = json_object_get(c, "grassroots_project")) && json_is_true(v) &&
	    !json_is_true(json_object_get(p, "grassroots_project")))
		unmet(list, "grassroots_project", "ELIG_GRASSROOTS_PROJECT", json_true(),
		      json_false());
	if ((v = json_object_get(c, "graduated_after"))) {
		const char *after = json_string_value(v), *latest = NULL;
		size_t i;
		json_t *e;
		json_array_foreach(edu, i, e)
		{
			const char *g = json_string_value(json_object_get(e, "graduated_on"));
			int y, m, d;
			if (g && valid_date(g, &y, &m, &d) && (!latest || strcmp(g, latest) > 0))
				latest = g;
		}
		if (!latest || strcmp(latest, after) < 0)
			unmet(list, "graduated_after", "ELIG_GRADUATION", json_incref(v),
			      latest ? json_string(latest) : NULL);
	}
	*out = json_pack("{s:b, s:o}", "eligible", json_array_size(list) == 0, "unmet", list);
	return 0;
}
