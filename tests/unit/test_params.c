/* Parameters in layers (ORG-0, EXAM-2): defaults → rule set → exam → province. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/params.h"
#include "util/embed.h"

static json_t *defs, *sets;

static json_t *embedded(const char *name, const char *key)
{
	const struct kw_embedded *e = kw_embedded_find(name);
	assert_non_null(e);
	json_t *j = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(j);
	json_t *v = json_incref(json_object_get(j, key));
	json_decref(j);
	assert_non_null(v);
	return v;
}

static int setup(void **state)
{
	(void)state;
	defs = embedded("params.json", "params");
	sets = embedded("rulesets.json", "rulesets");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(defs);
	json_decref(sets);
	return 0;
}

static json_t *resolve(const char *rs, const char *exam, const char *prov, const char **code)
{
	json_t *e = exam ? json_loads(exam, 0, NULL) : NULL;
	json_t *p = prov ? json_loads(prov, 0, NULL) : NULL;
	json_t *out = NULL;
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_params_resolve(defs, sets, rs, e, p, &out, &err);
	*code = rc ? err.code : NULL;
	json_decref(e);
	json_decref(p);
	kw_err_release(&err);
	return out;
}

static const char *src(json_t *r, const char *name)
{
	return json_string_value(json_object_get(json_object_get(r, name), "source"));
}

static json_t *val(json_t *r, const char *name)
{
	return json_object_get(json_object_get(r, name), "value");
}

static void every_default_is_valid_and_names_its_rule(void **state)
{
	(void)state;
	const char *name;
	json_t *def;
	int n = 0;
	json_object_foreach(defs, name, def)
	{
		const char *rule = json_string_value(json_object_get(def, "rule"));
		if (!rule || !strchr(rule, '-'))
			fail_msg("%s names no SPEC rule", name);
		if (!kw_params_value_ok(def, json_object_get(def, "default")) &&
		    !json_is_true(json_object_get(def, "province_overridable")))
			fail_msg("%s: its default is not a valid value", name);
		assert_non_null(json_string_value(json_object_get(def, "zh")));
		assert_non_null(json_string_value(json_object_get(def, "en")));
		n++;
	}
	assert_true(n >= 30);
}

static void rule_sets_differ_where_the_seeds_do(void **state)
{
	(void)state;
	const char *code;
	json_t *ah = resolve("AH", NULL, NULL, &code);
	json_t *pq = resolve("PQ", NULL, NULL, &code);
	assert_non_null(ah);
	assert_non_null(pq);
	/* VEN-1: AH 23 county vs PQ 17 prefecture; VEN-5: 80 cm vs one seat width; SEAT-2. */
	assert_string_equal(json_string_value(val(ah, "centre_min_level")), "county");
	assert_string_equal(json_string_value(val(pq, "centre_min_level")), "prefecture");
	assert_string_equal(json_string_value(val(ah, "seat_spacing")), "80cm");
	assert_string_equal(json_string_value(val(pq, "seat_spacing")), "one_seat_width");
	assert_string_equal(json_string_value(val(ah, "proctor_draw")), "before_each_sitting");
	assert_string_equal(src(ah, "seat_spacing"), "ruleset AH");
	/* The same numbers where they agree: 30 per room (VEN-5), 5 minutes (DAY-2). */
	assert_int_equal(json_integer_value(val(ah, "room_capacity")), 30);
	assert_int_equal(json_integer_value(val(pq, "late_entry_minutes")), 5);
	assert_string_equal(src(pq, "late_entry_minutes"), "default");
	json_decref(ah);
	json_decref(pq);
}

/* ORG-0: each rule set names a violation catalogue kaowu has (or the local rules). */
static void rule_sets_name_real_catalogues(void **state)
{
	(void)state;
	const char *name;
	json_t *rs;
	json_object_foreach(sets, name, rs)
	{
		const char *cat = json_string_value(json_object_get(rs, "violation_catalogue"));
		assert_non_null(cat);
		if (strcmp(cat, "local") == 0)
			continue;
		const char *file = kw_catalogue_file(cat);
		if (!file || !kw_embedded_find(file))
			fail_msg("rule set %s names catalogue %s, which kaowu does not have", name,
			         cat);
	}
}

static void a_province_starts_from_pq(void **state)
{
	(void)state;
	const char *code;
	json_t *r = resolve("PROVINCE", NULL, NULL, &code);
	assert_non_null(r);
	assert_string_equal(json_string_value(val(r, "centre_min_level")), "prefecture");
	assert_string_equal(src(r, "centre_min_level"), "ruleset PQ");
	json_decref(r);
}

static void layers_apply_in_order(void **state)
{
	(void)state;
	const char *code;
	json_t *r =
	        resolve("PQ", "{\"room_capacity\":25,\"fee_per_subject_fen\":4000}",
	                "{\"fee_per_subject_fen\":5000,\"ticket_delivery\":\"on_site\"}", &code);
	assert_non_null(r);
	assert_int_equal(json_integer_value(val(r, "room_capacity")), 25);
	assert_string_equal(src(r, "room_capacity"), "exam");
	assert_int_equal(json_integer_value(val(r, "fee_per_subject_fen")), 5000);
	assert_string_equal(src(r, "fee_per_subject_fen"), "province");
	assert_string_equal(src(r, "ticket_delivery"), "province");
	json_decref(r);
}

static void bad_layers_are_refused(void **state)
{
	(void)state;
	const char *code;
	assert_null(resolve("XX", NULL, NULL, &code));
	assert_string_equal(code, "RULESET_UNKNOWN");
	/* A parameter of the wrong type, out of range, not a choice. */
	assert_null(resolve("PQ", "{\"room_capacity\":\"30\"}", NULL, &code));
	assert_string_equal(code, "PARAM_INVALID");
	assert_null(resolve("PQ", "{\"room_capacity\":0}", NULL, &code));
	assert_string_equal(code, "PARAM_INVALID");
	assert_null(resolve("PQ", "{\"room_capacity\":30.5}", NULL, &code));
	assert_string_equal(code, "PARAM_INVALID");
	assert_null(resolve("PQ", "{\"seat_spacing\":\"1m\"}", NULL, &code));
	assert_string_equal(code, "PARAM_INVALID");
	assert_null(resolve("PQ", "{\"no_such\":1}", NULL, &code));
	assert_string_equal(code, "PARAM_UNKNOWN");
	/* EXAM-2: exam dates and rules are the national template's, not the province's. */
	assert_null(resolve("PQ", NULL, "{\"late_entry_minutes\":10}", &code));
	assert_string_equal(code, "PARAM_NOT_OVERRIDABLE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(every_default_is_valid_and_names_its_rule),
	        cmocka_unit_test(rule_sets_differ_where_the_seeds_do),
	        cmocka_unit_test(rule_sets_name_real_catalogues),
	        cmocka_unit_test(a_province_starts_from_pq),
	        cmocka_unit_test(layers_apply_in_order),
	        cmocka_unit_test(bad_layers_are_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
