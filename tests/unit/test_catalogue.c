/* Violation catalogues as data (VIO-0 … VIO-8): VH and Order No. 31, checked and looked up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalogue.h"

static json_t *vh, *o31;

static json_t *load(const char *id)
{
	json_t *j = NULL;
	struct kw_err err = KW_ERR_INIT;
	if (kw_catalogue_load(id, &j, &err) != 0)
		fail_msg("catalogue %s: %s", id, err.msg);
	return j;
}

static int setup(void **state)
{
	(void)state;
	vh = load(KW_CATALOGUE_VH);
	o31 = load(KW_CATALOGUE_ORDER31);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(vh);
	json_decref(o31);
	return 0;
}

static const json_t *entry(const json_t *cat, const char *id)
{
	const json_t *e = kw_catalogue_entry(cat, id);
	if (!e)
		fail_msg("no entry %s", id);
	return e;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static size_t count_article(const json_t *cat, json_int_t article)
{
	size_t i, n = 0;
	const json_t *e;
	json_array_foreach(json_object_get(cat, "entries"), i, e)
	{
		n += json_integer_value(json_object_get(e, "article")) == article;
	}
	return n;
}

/* Is the only decider a civil-service authority at that level or above? */
static void assert_authority_only(const json_t *e, const char *min_level)
{
	const json_t *d = json_object_get(e, "deciders");
	assert_int_equal(json_array_size(d), 1);
	assert_string_equal(str(json_array_get(d, 0), "kind"), "civil_service_authority");
	assert_string_equal(str(json_array_get(d, 0), "min_level"), min_level);
}

static bool has_decider(const json_t *e, const char *kind)
{
	size_t i;
	const json_t *d;
	json_array_foreach(json_object_get(e, "deciders"), i, d)
	{
		if (strcmp(str(d, "kind"), kind) == 0)
			return true;
	}
	return false;
}

static void both_embedded_catalogues_validate(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	if (kw_catalogue_validate(vh, &err))
		fail_msg("vh.json: %s", err.msg);
	if (kw_catalogue_validate(o31, &err))
		fail_msg("order31.json: %s", err.msg);
	kw_err_release(&err);
	assert_string_equal(str(vh, "id"), "VH");
	assert_string_equal(str(vh, "version"), "2021-09-18");
	assert_string_equal(str(o31, "id"), "ORDER31");
	/* VH 5-12: 2 + 7 + 7 + 6 + 1 + 3 + 3 + 6×3 entries. */
	static const size_t per_article[] = {2, 7, 7, 6, 1, 3, 3, 18};
	for (int a = 5; a <= 12; a++)
		assert_int_equal(count_article(vh, a), per_article[a - 5]);
	assert_int_equal(json_array_size(json_object_get(vh, "entries")), 47);
	/* Order No. 31 art. 6-11: 10 + 6 + 3 + 4 + 1 + 1. */
	static const size_t o31_per_article[] = {10, 6, 3, 4, 1, 1};
	for (int a = 6; a <= 11; a++)
		assert_int_equal(count_article(o31, a), o31_per_article[a - 6]);
}

/* The penalty vocabulary covers VH exactly: each VH outcome is used, and only those. */
static void vh_uses_exactly_its_six_penalties(void **state)
{
	(void)state;
	static const char *const six[] = {"registration_void_process_ended",
	                                  "zero_for_subject_process_ended",
	                                  "zero_for_subject",
	                                  "process_ended",
	                                  "cancel_plus_5_year_ban",
	                                  "cancel_plus_lifetime_ban"};
	json_t *used = json_object();
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(vh, "entries"), i, e)
	{
		json_object_set_new(used, str(e, "penalty"), json_true());
	}
	assert_int_equal(json_object_size(used), 6);
	assert_int_equal(json_object_size(json_object_get(vh, "penalties")), 6);
	for (i = 0; i < 6; i++) {
		assert_non_null(json_object_get(used, six[i]));
		assert_non_null(kw_catalogue_penalty(six[i]));
	}
	json_decref(used);
	const struct kw_penalty *p = kw_catalogue_penalty("cancel_plus_5_year_ban");
	assert_int_equal(p->ban_years, 5);
	assert_false(p->lifetime);
	assert_true(kw_catalogue_penalty("cancel_plus_lifetime_ban")->lifetime);
	assert_null(kw_catalogue_penalty("fine"));
}

/* VIO-1 (VH 5): false info → void by the reviewer; malicious or forged → 5-year ban by a
 * civil-service authority of a prefecture-level city or above (VIO-7). */
static void vio1_false_info_and_forged_material(void **state)
{
	(void)state;
	const json_t *f = entry(vh, "VH-5-1-single");
	assert_string_equal(str(f, "stage"), "registration");
	assert_string_equal(str(f, "penalty"), "registration_void_process_ended");
	assert_int_equal(json_integer_value(json_object_get(f, "ban_years")), 0);
	assert_true(json_is_null(json_object_get(f, "item")));
	assert_true(has_decider(f, "recruiter"));
	assert_true(has_decider(f, "civil_service_authority"));
	const json_t *d;
	size_t i;
	json_array_foreach(json_object_get(f, "deciders"), i, d)
	{
		assert_string_equal(str(d, "duty"), "qualification_review");
		assert_null(json_object_get(d, "min_level"));
	}
	const json_t *g = entry(vh, "VH-5-1-serious");
	assert_non_null(strstr(str(g, "zh"), "伪造、变造有关材料"));
	assert_string_equal(str(g, "penalty"), "cancel_plus_5_year_ban");
	assert_string_equal(str(g, "penalty_zh"), "取消本次报考资格并五年内限制报考公务员");
	assert_int_equal(json_integer_value(json_object_get(g, "ban_years")), 5);
	assert_authority_only(g, "prefecture");
}

/* VIO-2 (VH 6): 7 items, all zero for the subject, decided by the organising exam agency,
 * the recruiting agency or the civil-service authority (VIO-7). */
static void vio2_vh6_seven_items_zero_for_subject(void **state)
{
	(void)state;
	assert_int_equal(count_article(vh, 6), 7);
	for (int i = 1; i <= 7; i++) {
		char id[32];
		snprintf(id, sizeof id, "VH-6-1-%d", i);
		const json_t *e = entry(vh, id);
		assert_int_equal(json_integer_value(json_object_get(e, "item")), i);
		assert_string_equal(str(e, "stage"), "exam");
		assert_string_equal(str(e, "severity"), "lighter");
		assert_string_equal(str(e, "penalty"), "zero_for_subject");
		assert_int_equal(json_integer_value(json_object_get(e, "ban_years")), 0);
		assert_true(json_is_null(json_object_get(e, "archive")));
		assert_true(has_decider(e, "organising_agency"));
		assert_true(has_decider(e, "recruiter"));
		assert_true(has_decider(e, "civil_service_authority"));
	}
	/* Item 5: only intentional damage to one's own material. */
	assert_non_null(strstr(str(entry(vh, "VH-6-1-5"), "zh"), "故意损坏本人试卷"));
	assert_null(kw_catalogue_entry(vh, "VH-6-1-8"));
}

/* VIO-3 (VH 7): items 1-7 cancel + 5-year ban, prefecture-level authority or above. */
static void vio3_vh7_cancel_plus_five_years(void **state)
{
	(void)state;
	assert_int_equal(count_article(vh, 7), 7);
	for (int i = 1; i <= 7; i++) {
		char id[32];
		snprintf(id, sizeof id, "VH-7-1-%d", i);
		const json_t *e = entry(vh, id);
		assert_string_equal(str(e, "severity"), "serious");
		assert_string_equal(str(e, "penalty"), "cancel_plus_5_year_ban");
		assert_int_equal(json_integer_value(json_object_get(e, "ban_years")), 5);
		assert_false(json_is_true(json_object_get(e, "lifetime")));
		/* VIO-9 (VH 15): serious acts go into the civil-service recruitment archive. */
		assert_string_equal(str(json_object_get(e, "archive"), "kind"),
		                    "civil_service_recruitment");
		assert_authority_only(e, "prefecture");
	}
	assert_non_null(strstr(str(entry(vh, "VH-7-1-4"), "zh"), "作弊器材"));
}

/* VIO-4 (VH 8): items 1-6 cancel + lifetime ban; VIO-7: provincial level or above. */
static void vio4_vh8_lifetime_provincial(void **state)
{
	(void)state;
	assert_int_equal(count_article(vh, 8), 6);
	for (int i = 1; i <= 6; i++) {
		char id[32];
		snprintf(id, sizeof id, "VH-8-1-%d", i);
		const json_t *e = entry(vh, id);
		assert_string_equal(str(e, "severity"), "especially_serious");
		assert_string_equal(str(e, "penalty"), "cancel_plus_lifetime_ban");
		assert_true(json_is_null(json_object_get(e, "ban_years")));
		assert_true(json_is_true(json_object_get(e, "lifetime")));
		assert_authority_only(e, "provincial");
	}
	assert_non_null(strstr(str(entry(vh, "VH-8-1-2"), "zh"), "2人以上串通作弊"));
}

/* VIO-5 (VH 9): similar answers confirmed by the expert group → zero and process ended,
 * decided only by the organising exam agency; with other evidence, VH 7 or 8. */
static void vio5_similar_answers_only_the_organising_agency(void **state)
{
	(void)state;
	const json_t *e = entry(vh, "VH-9-1");
	assert_string_equal(str(e, "stage"), "marking");
	assert_string_equal(str(e, "penalty"), "zero_for_subject_process_ended");
	const json_t *d = json_object_get(e, "deciders");
	assert_int_equal(json_array_size(d), 1);
	assert_string_equal(str(json_array_get(d, 0), "kind"), "organising_agency");
	assert_string_equal(json_string_value(json_array_get(json_object_get(e, "requires"), 0)),
	                    "expert_group_confirmation");
	const json_t *esc = json_object_get(e, "escalates_to");
	assert_int_equal(json_array_size(esc), 2);
	assert_int_equal(json_integer_value(json_array_get(esc, 0)), 7);
	assert_int_equal(json_integer_value(json_array_get(esc, 1)), 8);
}

/* VIO-6 (VH 10-12): per severity — ended; 5-year (prefecture+); lifetime (provincial+). */
static void vio6_physical_exam_vetting_and_order_per_severity(void **state)
{
	(void)state;
	static const char *const sev[] = {"lighter", "serious", "especially_serious"};
	static const char *const pen[] = {"process_ended", "cancel_plus_5_year_ban",
	                                  "cancel_plus_lifetime_ban"};
	char id[48];
	for (int s = 0; s < 3; s++) {
		for (int a = 10; a <= 11; a++) {
			snprintf(id, sizeof id, "VH-%d-1-%s", a, sev[s]);
			assert_string_equal(str(entry(vh, id), "penalty"), pen[s]);
		}
		for (int i = 1; i <= 6; i++) {
			snprintf(id, sizeof id, "VH-12-1-%d-%s", i, sev[s]);
			const json_t *e = entry(vh, id);
			assert_string_equal(str(e, "stage"), "order");
			assert_string_equal(str(e, "penalty"), pen[s]);
		}
	}
	assert_true(kw_catalogue_entry_has_stage(entry(vh, "VH-10-1-lighter"), "physical_exam"));
	assert_non_null(strstr(str(entry(vh, "VH-10-1-serious"), "zh"), "交换、替换检验样本"));
	const json_t *v = entry(vh, "VH-11-1-serious");
	assert_true(kw_catalogue_entry_has_stage(v, "vetting"));
	assert_true(kw_catalogue_entry_has_stage(v, "fitness_psych_test"));
	assert_false(kw_catalogue_entry_has_stage(v, "exam"));
	/* The lighter VH 10 / 11 cases: the unit that organises the stage. */
	assert_true(has_decider(entry(vh, "VH-10-1-lighter"), "recruiter"));
	assert_true(has_decider(entry(vh, "VH-11-1-lighter"), "civil_service_authority"));
	/* VH 12 lighter: VH names no decider, kaowu's choice is marked. */
	assert_true(
	        json_is_true(json_object_get(entry(vh, "VH-12-1-4-lighter"), "deciders_choice")));
	assert_non_null(strstr(str(entry(vh, "VH-12-1-5-serious"), "zh"), "购买"));
}

/* VIO-7: every ban is decided by a civil-service authority alone — 5 years at prefecture
 * level or above, lifetime at provincial level or above. */
static void vio7_ban_deciders(void **state)
{
	(void)state;
	size_t i, five = 0, life = 0;
	const json_t *e;
	json_array_foreach(json_object_get(vh, "entries"), i, e)
	{
		const char *p = str(e, "penalty");
		if (strcmp(p, "cancel_plus_5_year_ban") == 0) {
			assert_authority_only(e, "prefecture");
			five++;
		} else if (strcmp(p, "cancel_plus_lifetime_ban") == 0) {
			assert_authority_only(e, "provincial");
			life++;
		} else {
			assert_null(json_object_get(
			        json_array_get(json_object_get(e, "deciders"), 0), "min_level"));
		}
	}
	/* VH 5, 7 (7), 10, 11, 12 (6) serious; VH 8 (6), 10, 11, 12 (6) especially serious. */
	assert_int_equal(five, 1 + 7 + 1 + 1 + 6);
	assert_int_equal(life, 6 + 1 + 1 + 6);
}

/* VIO-8: VH's procedure and letter; Order No. 31 has its own. */
static void vio8_procedures_and_letters(void **state)
{
	(void)state;
	const json_t *p = json_object_get(vh, "procedure");
	assert_int_equal(json_integer_value(json_object_get(p, "review_days")), 60);
	assert_int_equal(json_integer_value(json_object_get(p, "lawsuit_months")), 6);
	assert_string_equal(str(p, "review_from"), "receipt");
	assert_string_equal(str(p, "lawsuit_from"), "receipt");
	assert_int_equal(json_integer_value(json_object_get(p, "evidence_signatures_min")), 2);
	const json_t *q = json_object_get(o31, "procedure");
	/* The defence period: 5 working days, kaowu's choice (SPEC §15). */
	assert_int_equal(json_integer_value(json_object_get(q, "defence_working_days")), 5);
	const json_t *choices = json_object_get(q, "choices");
	size_t i;
	const json_t *c;
	bool marked = false;
	json_array_foreach(choices, i, c)
	{
		marked |= strcmp(json_string_value(c), "defence_working_days") == 0;
	}
	assert_true(marked);
	/* Each letter cites its own regulation, never the other's. */
	char *a = json_dumps(json_object_get(json_object_get(vh, "letter"), "lines_zh"), 0);
	char *b = json_dumps(json_object_get(json_object_get(o31, "letter"), "lines_zh"), 0);
	assert_non_null(strstr(a, "《公务员录用违规违纪行为处理办法》"));
	assert_non_null(strstr(a, "{review_days}日内"));
	assert_non_null(strstr(b, "《专业技术人员资格考试违纪违规行为处理规定》"));
	assert_null(strstr(b, "公务员"));
	free(a);
	free(b);
}

/* Order No. 31 (VIO-0 outline): lighter → that subject void; art. 7 → all void + 5-year
 * record; art. 8 → all void + long-term record; art. 11 → that subject void. */
static void order31_outline(void **state)
{
	(void)state;
	assert_string_equal(str(entry(o31, "ORDER31-6-1-10"), "penalty"), "void_subject");
	const json_t *s = entry(o31, "ORDER31-7-1-3");
	assert_string_equal(str(s, "penalty"), "void_all_subjects_plus_5_year_record");
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(s, "archive"), "years")), 5);
	assert_int_equal(json_integer_value(json_object_get(s, "ban_years")), 0);
	const json_t *l = entry(o31, "ORDER31-8-1-2");
	assert_string_equal(str(l, "penalty"), "void_all_subjects_plus_long_term_record");
	assert_true(json_is_true(json_object_get(json_object_get(l, "archive"), "long_term")));
	assert_string_equal(str(entry(o31, "ORDER31-9-1-4"), "penalty"), "sitting_ended");
	assert_true(has_decider(entry(o31, "ORDER31-10-1"), "certificate_issuer"));
	assert_string_equal(str(entry(o31, "ORDER31-11-1"), "penalty"), "void_subject");
	/* No Order No. 31 entry carries a VH penalty. */
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(o31, "entries"), i, e)
	{
		assert_null(json_object_get(json_object_get(vh, "penalties"), str(e, "penalty")));
	}
}

/* VIO-0: the catalogue follows the exam's kind; a qualification exam never gets VH. */
static void vio0_qualification_exam_never_gets_vh(void **state)
{
	(void)state;
	assert_string_equal(kw_catalogue_for_exam_kind("civil_service_recruitment"), "VH");
	assert_string_equal(kw_catalogue_for_exam_kind("civil_service_equivalent"), "VH");
	assert_string_equal(kw_catalogue_for_exam_kind("professional_qualification"), "ORDER31");
	assert_null(kw_catalogue_for_exam_kind("public_institution_recruitment"));
	assert_null(kw_catalogue_for_exam_kind("other"));
	assert_null(kw_catalogue_for_exam_kind(NULL));

	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_catalogue_check_exam_kind(vh, "civil_service_recruitment", &err), 0);
	assert_int_equal(kw_catalogue_check_exam_kind(o31, "professional_qualification", &err), 0);
	static const char *const not_vh[] = {"professional_qualification",
	                                     "public_institution_recruitment", "other"};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(kw_catalogue_check_exam_kind(vh, not_vh[i], &err), KW_ERULE);
		assert_string_equal(err.code, "CATALOGUE_NOT_FOR_EXAM");
		assert_string_equal(err.rule, "VIO-0");
		assert_string_equal(json_string_value(json_object_get(err.details, "exam_kind")),
		                    not_vh[i]);
	}
	assert_int_equal(kw_catalogue_check_exam_kind(o31, "civil_service_recruitment", &err),
	                 KW_ERULE);

	/* A catalogue calling itself VH may not claim a qualification exam. */
	json_t *bad = json_deep_copy(vh);
	json_array_append_new(json_object_get(bad, "applies_to"),
	                      json_string("professional_qualification"));
	assert_int_equal(kw_catalogue_validate(bad, &err), KW_EINVAL);
	assert_string_equal(err.code, "CATALOGUE_INVALID");
	assert_string_equal(json_string_value(json_object_get(err.details, "field")), "applies_to");
	json_decref(bad);
	kw_err_release(&err);
}

static void lookup(void **state)
{
	(void)state;
	const json_t *e = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_catalogue_find(vh, "VH-7-1-3", &e, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "item")), 3);
	assert_int_equal(kw_catalogue_find(vh, "VH-7-1-8", &e, &err), KW_EINVAL);
	assert_null(e);
	assert_string_equal(err.code, "CATALOGUE_ENTRY_UNKNOWN");
	assert_string_equal(json_string_value(json_object_get(err.details, "entry")), "VH-7-1-8");
	assert_string_equal(json_string_value(json_object_get(err.details, "catalogue")), "VH");
	/* A VH id is not an Order No. 31 entry. */
	assert_null(kw_catalogue_entry(o31, "VH-7-1-3"));
	assert_null(kw_catalogue_file("LOCAL"));
	kw_err_release(&err);
}

/* Mutates a copy of VH's entry `id` (NULL: the catalogue itself) and expects a refusal
 * naming the entry and the field. */
static void refused(const char *id, const char *key, json_t *value, const char *want_entry,
                    const char *want_field, const char *want_problem)
{
	json_t *cat = json_deep_copy(vh);
	json_t *target = cat;
	if (id)
		target = (json_t *)kw_catalogue_entry(cat, id);
	assert_non_null(target);
	if (value)
		json_object_set_new(target, key, value);
	else
		json_object_del(target, key);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_catalogue_validate(cat, &err), KW_EINVAL);
	assert_string_equal(err.code, "CATALOGUE_INVALID");
	assert_string_equal(json_string_value(json_object_get(err.details, "entry")), want_entry);
	assert_string_equal(json_string_value(json_object_get(err.details, "field")), want_field);
	assert_string_equal(json_string_value(json_object_get(err.details, "problem")),
	                    want_problem);
	kw_err_release(&err);
	json_decref(cat);
}

static void malformed_catalogues_are_refused(void **state)
{
	(void)state;
	/* A missing or unknown penalty. */
	refused("VH-7-1-3", "penalty", NULL, "VH-7-1-3", "penalty", "missing");
	refused("VH-6-1-2", "penalty", json_string("fine"), "VH-6-1-2", "penalty", "unknown");
	/* A penalty of the vocabulary that this catalogue does not describe. */
	refused("VH-6-1-2", "penalty", json_string("void_subject"), "VH-6-1-2", "penalty",
	        "undescribed");
	/* Ban consistency: cancel_plus_5_year_ban ⇔ ban_years 5; lifetime ⇔ lifetime true. */
	refused("VH-7-1-1", "ban_years", json_integer(0), "VH-7-1-1", "ban_years", "inconsistent");
	refused("VH-6-1-1", "ban_years", json_integer(5), "VH-6-1-1", "ban_years", "inconsistent");
	refused("VH-8-1-2", "lifetime", json_false(), "VH-8-1-2", "lifetime", "inconsistent");
	refused("VH-8-1-2", "ban_years", json_integer(5), "VH-8-1-2", "ban_years", "inconsistent");
	refused("VH-7-1-2", "penalty", json_string("cancel_plus_lifetime_ban"), "VH-7-1-2",
	        "lifetime", "inconsistent");
	refused("VH-7-1-2", "archive", json_null(), "VH-7-1-2", "archive", "inconsistent");
	/* Deciders: present, not empty, known kinds and levels. */
	refused("VH-9-1", "deciders", NULL, "VH-9-1", "deciders", "missing");
	refused("VH-9-1", "deciders", json_array(), "VH-9-1", "deciders", "empty");
	refused("VH-9-1", "deciders", json_pack("[{s:s}]", "kind", "anyone"), "VH-9-1", "deciders",
	        "unknown");
	refused("VH-8-1-1", "deciders",
	        json_pack("[{s:s, s:s}]", "kind", "civil_service_authority", "min_level", "city"),
	        "VH-8-1-1", "deciders", "unknown");
	/* Ids match article, clause and item. */
	refused("VH-7-1-3", "item", json_integer(4), "VH-7-1-3", "id", "mismatch");
	refused("VH-7-1-3", "article", json_integer(8), "VH-7-1-3", "id", "mismatch");
	refused("VH-6-1-1", "item", NULL, "VH-6-1-1", "item", "missing");
	refused("VH-6-1-1", "stage", json_string("interview"), "VH-6-1-1", "stage", "unknown");
	refused("VH-6-1-1", "severity", json_string("mild"), "VH-6-1-1", "severity", "unknown");
	refused("VH-6-1-1", "pentalty", json_string("zero_for_subject"), "VH-6-1-1", "pentalty",
	        "unknown");
	refused("VH-9-1", "escalates_to", json_pack("[i]", 13), "VH-9-1", "escalates_to",
	        "unknown");
	/* Top level: the catalogue's id names the catalogue. */
	refused(NULL, "never_for", json_pack("[s]", "civil_service_recruitment"), "VH", "never_for",
	        "inconsistent");
	refused(NULL, "procedure", json_object(), "VH", "procedure.review_days", "missing");
	refused(NULL, "entries", json_array(), "VH", "entries", "empty");

	/* A duplicate id: the entry is named. */
	json_t *cat = json_deep_copy(vh);
	json_t *entries = json_object_get(cat, "entries");
	json_array_append_new(entries, json_deep_copy(entry(cat, "VH-6-1-2")));
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_catalogue_validate(cat, &err), KW_EINVAL);
	assert_string_equal(json_string_value(json_object_get(err.details, "entry")), "VH-6-1-2");
	assert_string_equal(json_string_value(json_object_get(err.details, "field")), "id");
	assert_string_equal(json_string_value(json_object_get(err.details, "problem")),
	                    "duplicate");
	/* An entry without an id is named by its index. */
	json_object_del(json_array_get(entries, 3), "id");
	assert_int_equal(kw_catalogue_validate(cat, &err), KW_EINVAL);
	assert_string_equal(json_string_value(json_object_get(err.details, "entry")), "#3");
	assert_string_equal(json_string_value(json_object_get(err.details, "field")), "id");
	kw_err_release(&err);
	json_decref(cat);

	/* Not a catalogue at all; a NULL err is fine. */
	json_t *arr = json_array();
	assert_int_equal(kw_catalogue_validate(arr, NULL), KW_EINVAL);
	json_decref(arr);
}

/* kaowu prints Simplified Chinese: no Traditional-only character survives the conversion. */
static void texts_are_simplified(void **state)
{
	(void)state;
	static const char *const traditional[] = {"錄", "違", "規", "紀", "試", "場", "報", "資",
	                                          "處", "辦", "證", "與", "帶", "嚴", "響", "惡",
	                                          "隱", "體", "檢", "擾", "亂", "為"};
	json_t *cats[] = {vh, o31};
	for (size_t c = 0; c < 2; c++) {
		char *s = json_dumps(cats[c], 0);
		for (size_t i = 0; i < sizeof traditional / sizeof traditional[0]; i++)
			if (strstr(s, traditional[i]))
				fail_msg("%s holds the Traditional character %s",
				         str(cats[c], "id"), traditional[i]);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(both_embedded_catalogues_validate),
	        cmocka_unit_test(vh_uses_exactly_its_six_penalties),
	        cmocka_unit_test(vio1_false_info_and_forged_material),
	        cmocka_unit_test(vio2_vh6_seven_items_zero_for_subject),
	        cmocka_unit_test(vio3_vh7_cancel_plus_five_years),
	        cmocka_unit_test(vio4_vh8_lifetime_provincial),
	        cmocka_unit_test(vio5_similar_answers_only_the_organising_agency),
	        cmocka_unit_test(vio6_physical_exam_vetting_and_order_per_severity),
	        cmocka_unit_test(vio7_ban_deciders),
	        cmocka_unit_test(vio8_procedures_and_letters),
	        cmocka_unit_test(order31_outline),
	        cmocka_unit_test(vio0_qualification_exam_never_gets_vh),
	        cmocka_unit_test(lookup),
	        cmocka_unit_test(malformed_catalogues_are_refused),
	        cmocka_unit_test(texts_are_simplified),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
