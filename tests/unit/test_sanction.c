/*
 * The pure rules of a violation case (src/core/sanction.h): every VH article's penalty
 * (VH 5-12, VIO-1 … VIO-6) and every Order No. 31 article's (art. 6-11, VIO-0) with its
 * effects, archive term and deciders (VIO-7); the defence and appeal deadlines (VIO-8, DL-1)
 * on the embedded calendar; citations; the decision letter and the notice (VIO-8).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/sanction.h"

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

static int32_t day(const char *ymd)
{
	int32_t d;
	if (kw_cal_date_parse(ymd, strlen(ymd), &d, NULL))
		fail_msg("bad date %s", ymd);
	return d;
}

static void assert_day(int32_t got, const char *want)
{
	char s[11];
	kw_cal_date_format(got, s);
	assert_string_equal(s, want);
}

/* ---- units ---- */

static const struct kw_decider_unit cs_national = {"civil_service_authority", "national", false,
                                                   false};
static const struct kw_decider_unit cs_provincial = {"civil_service_authority", "provincial", false,
                                                     false};
static const struct kw_decider_unit cs_prefecture = {"civil_service_authority", "prefecture", false,
                                                     false};
static const struct kw_decider_unit cs_county = {"civil_service_authority", "county", false, false};
/* The civil-service authority over the position's recruiter (VH 5 review, VH 10-12 stages). */
static const struct kw_decider_unit cs_over_recruiter = {"civil_service_authority", "prefecture",
                                                         false, true};
static const struct kw_decider_unit recruiter_of_position = {"recruiter", "county", false, true};
static const struct kw_decider_unit recruiter_other = {"recruiter", "county", false, false};
static const struct kw_decider_unit agency_organising = {"provincial_agency", "provincial", true,
                                                         false};
static const struct kw_decider_unit agency_other = {"area_agency", "prefecture", false, false};
static const struct kw_decider_unit authority_organising = {"provincial_authority", "provincial",
                                                            true, false};
static const struct kw_decider_unit ministry_organising = {"ministry", "national", true, false};
static const struct kw_decider_unit centre_organising = {"centre", "county", true, false};

static void may(const json_t *e, const struct kw_decider_unit *u)
{
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_sanction_may_decide(e, u, &err);
	if (rc)
		fail_msg("%s: a %s (%s) was refused: %s", str(e, "id"), u->kind, u->level, err.msg);
	kw_err_release(&err);
}

static void may_not(const json_t *e, const struct kw_decider_unit *u)
{
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_may_decide(e, u, &err), KW_ERULE);
	assert_string_equal(err.code, "CASE_DECIDER_NOT_ALLOWED");
	assert_string_equal(err.rule, "VIO-7");
	assert_string_equal(str(err.details, "entry"), str(e, "id"));
	assert_string_equal(str(err.details, "unit_kind"), u->kind);
	assert_true(json_equal(json_object_get(err.details, "deciders"),
	                       json_object_get(e, "deciders")));
	kw_err_release(&err);
}

static void level_too_low(const json_t *e, const struct kw_decider_unit *u, const char *min)
{
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_may_decide(e, u, &err), KW_ERULE);
	assert_string_equal(err.code, "CASE_DECIDER_LEVEL");
	assert_string_equal(err.rule, "VIO-7");
	assert_string_equal(str(err.details, "entry"), str(e, "id"));
	assert_string_equal(str(err.details, "unit_level"), u->level);
	assert_string_equal(str(err.details, "min_level"), min);
	kw_err_release(&err);
}

/* ---- effects and terms ---- */

static void effects_are(const json_t *e, unsigned want)
{
	assert_int_equal(kw_sanction_effects(str(e, "penalty")), want);
}

static void no_term(const json_t *cat, const json_t *e)
{
	struct kw_sanction_term t;
	assert_int_equal(kw_sanction_term(cat, e, day("2025-06-16"), &t, NULL), 0);
	assert_false(t.any);
}

/* A term decided on `decided`: kind, effect, and end ("" for lifetime). */
static void term_is(const json_t *cat, const json_t *e, const char *decided, const char *kind,
                    const char *effect, const char *end)
{
	struct kw_sanction_term t;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_term(cat, e, day(decided), &t, &err), 0);
	assert_true(t.any);
	assert_string_equal(t.kind, kind);
	assert_string_equal(t.effect, effect);
	/* VH 20: the ban runs from the decision date. */
	assert_int_equal(t.start, day(decided));
	if (*end) {
		assert_false(t.lifetime);
		assert_day(t.end, end);
	} else {
		assert_true(t.lifetime);
		assert_int_equal(t.end, 0);
	}
	kw_err_release(&err);
}

/* The entries of `cat` whose id starts with prefix and ends with suffix; at least one. */
#define SELECT_MAX 64
static size_t select_entries(const json_t *cat, const char *prefix, const char *suffix,
                             const json_t **out)
{
	size_t i, n = 0, k = strlen(suffix);
	const json_t *e;
	json_array_foreach(json_object_get(cat, "entries"), i, e)
	{
		const char *id = str(e, "id");
		size_t len = strlen(id);
		if (strncmp(id, prefix, strlen(prefix)) == 0 && len >= k &&
		    strcmp(id + len - k, suffix) == 0 && n < SELECT_MAX)
			out[n++] = e;
	}
	if (n == 0)
		fail_msg("no entry %s…%s", prefix, suffix);
	return n;
}

#define FOR_ENTRIES(cat, prefix, suffix, e)                                                        \
	const json_t *sel_[SELECT_MAX];                                                            \
	size_t nsel_ = select_entries(cat, prefix, suffix, sel_);                                  \
	for (size_t i_ = 0; i_ < nsel_; i_++)                                                      \
		for (const json_t *e = sel_[i_]; e; e = NULL)

/* ---- VH, article by article ---- */

/* VH 5 (VIO-1), false information: registration void, process ended; decided by the recruiter
 * or the civil-service authority doing the qualification review. */
static void vh_5_false_info_registration_void_process_ended(void **state)
{
	(void)state;
	const json_t *e = entry(vh, "VH-5-1-single");
	effects_are(e, KW_SE_REGISTRATION_VOID | KW_SE_PROCESS_ENDED);
	no_term(vh, e);
	may(e, &recruiter_of_position);
	may(e, &cs_over_recruiter);
	may_not(e, &recruiter_other);
	may_not(e, &cs_provincial); /* no tie to the exam or the position */
	may_not(e, &agency_organising);
}

/* VH 5 (VIO-1), malicious registration or forged material: cancel + 5-year ban, by a
 * civil-service authority of a prefecture-level city or above. */
static void vh_5_forged_material_cancel_plus_5_year_ban(void **state)
{
	(void)state;
	const json_t *e = entry(vh, "VH-5-1-serious");
	effects_are(e, KW_SE_CANCEL_REGISTRATION);
	term_is(vh, e, "2025-06-16", "civil_service", "ban", "2030-06-15");
	may(e, &cs_prefecture);
	may(e, &cs_provincial);
	level_too_low(e, &cs_county, "prefecture");
	may_not(e, &recruiter_of_position);
}

/* VH 6 (VIO-2), items 1-7: zero for the subject (sitting), by the exam agency, recruiter or
 * civil-service authority that organises the exam. */
static void vh_6_lighter_zero_for_subject(void **state)
{
	(void)state;
	FOR_ENTRIES(vh, "VH-6-1-", "", e)
	{
		effects_are(e, KW_SE_ZERO_SUBJECT);
		no_term(vh, e);
		may(e, &agency_organising);
		may(e, &cs_over_recruiter);
		may_not(e, &recruiter_of_position); /* it does not run the exam */
		may_not(e, &agency_other);
		may_not(e, &centre_organising);
	}
	/* A recruiter that organises the exam itself may. */
	const struct kw_decider_unit r = {"recruiter", "county", true, false};
	may(entry(vh, "VH-6-1-3"), &r);
}

/* VH 7 (VIO-3), items 1-7: cancel + 5-year ban, civil-service authority at prefecture level
 * or above. */
static void vh_7_serious_cancel_plus_5_year_ban(void **state)
{
	(void)state;
	FOR_ENTRIES(vh, "VH-7-1-", "", e)
	{
		effects_are(e, KW_SE_CANCEL_REGISTRATION);
		term_is(vh, e, "2024-03-01", "civil_service", "ban", "2029-02-28");
		may(e, &cs_prefecture);
		may(e, &cs_national);
		level_too_low(e, &cs_county, "prefecture");
		may_not(e, &agency_organising);
		may_not(e, &recruiter_of_position);
	}
}

/* VH 8 (VIO-4), items 1-6: cancel + lifetime ban, civil-service authority at provincial level
 * or above. */
static void vh_8_especially_serious_cancel_plus_lifetime_ban(void **state)
{
	(void)state;
	FOR_ENTRIES(vh, "VH-8-1-", "", e)
	{
		effects_are(e, KW_SE_CANCEL_REGISTRATION);
		term_is(vh, e, "2025-06-16", "civil_service", "ban", "");
		may(e, &cs_provincial);
		may(e, &cs_national);
		level_too_low(e, &cs_prefecture, "provincial");
		level_too_low(e, &cs_county, "provincial");
		may_not(e, &authority_organising);
	}
}

/* VH 9 (VIO-5): similar answers confirmed by the expert group: zero for that subject, process
 * ended, by the organising exam agency only. */
static void vh_9_similar_answers_zero_for_subject_process_ended(void **state)
{
	(void)state;
	const json_t *e = entry(vh, "VH-9-1");
	effects_are(e, KW_SE_ZERO_SUBJECT | KW_SE_PROCESS_ENDED);
	no_term(vh, e);
	may(e, &agency_organising);
	may_not(e, &agency_other);
	may_not(e, &recruiter_of_position);
	may_not(e, &cs_over_recruiter);
	may_not(e, &cs_national);
}

/* The three outcomes of VH 10, 11 and each item of 12 (VIO-6): lighter → process ended. */
static void lighter_process_ended(const char *prefix)
{
	FOR_ENTRIES(vh, prefix, "-lighter", e)
	{
		effects_are(e, KW_SE_PROCESS_ENDED);
		no_term(vh, e);
		may(e, &recruiter_of_position);
		may(e, &cs_over_recruiter);
		may_not(e, &recruiter_other);
		may_not(e, &agency_organising);
	}
}

/* … serious → cancel + 5-year ban (a 29 February decision: the ban ends on 28 February). */
static void serious_five_years(const char *prefix)
{
	FOR_ENTRIES(vh, prefix, "-serious", e)
	{
		if (strstr(str(e, "id"), "especially"))
			continue;
		effects_are(e, KW_SE_CANCEL_REGISTRATION);
		term_is(vh, e, "2024-02-29", "civil_service", "ban", "2029-02-28");
		may(e, &cs_prefecture);
		level_too_low(e, &cs_county, "prefecture");
		may_not(e, &recruiter_of_position);
	}
}

/* … especially serious → cancel + lifetime ban. */
static void especially_serious_lifetime(const char *prefix)
{
	FOR_ENTRIES(vh, prefix, "-especially_serious", e)
	{
		effects_are(e, KW_SE_CANCEL_REGISTRATION);
		term_is(vh, e, "2025-06-16", "civil_service", "ban", "");
		may(e, &cs_provincial);
		level_too_low(e, &cs_prefecture, "provincial");
		may_not(e, &recruiter_of_position);
	}
}

static void lighter_serious_especially(const char *prefix)
{
	lighter_process_ended(prefix);
	serious_five_years(prefix);
	especially_serious_lifetime(prefix);
}

/* VH 10 (VIO-6), physical exam: lighter → process ended (the recruiter or civil-service
 * authority organising it); serious → 5-year; especially serious → lifetime. */
static void vh_10_physical_exam_each_severity(void **state)
{
	(void)state;
	lighter_serious_especially("VH-10-1");
}

/* VH 11 (VIO-6), vetting, fitness and psychological tests: the same three outcomes. */
static void vh_11_vetting_and_tests_each_severity(void **state)
{
	(void)state;
	lighter_serious_especially("VH-11-1");
}

/* VH 12 (VIO-6), items 1-6, disturbing order: the same three outcomes for each item. */
static void vh_12_order_each_item_each_severity(void **state)
{
	(void)state;
	char prefix[32];
	for (int item = 1; item <= 6; item++) {
		snprintf(prefix, sizeof prefix, "VH-12-1-%d", item);
		lighter_serious_especially(prefix);
	}
}

/* ---- Order No. 31, article by article (VIO-0) ---- */

/* Decided by the exam agency or authority organising the exam; never by a civil-service
 * authority or a recruiter. */
static void o31_deciders(const json_t *e)
{
	may(e, &agency_organising);
	may(e, &authority_organising);
	may(e, &ministry_organising);
	may_not(e, &agency_other);
	may_not(e, &cs_national);
	may_not(e, &recruiter_of_position);
}

static void order31_6_lighter_void_subject(void **state)
{
	(void)state;
	FOR_ENTRIES(o31, "ORDER31-6-1-", "", e)
	{
		effects_are(e, KW_SE_VOID_SUBJECT);
		no_term(o31, e);
		o31_deciders(e);
	}
}

static void order31_7_serious_void_sitting_plus_5_year_record(void **state)
{
	(void)state;
	FOR_ENTRIES(o31, "ORDER31-7-1-", "", e)
	{
		effects_are(e, KW_SE_VOID_SITTING);
		term_is(o31, e, "2025-06-16", "qualification", "record", "2030-06-15");
		o31_deciders(e);
	}
}

static void order31_8_especially_serious_void_sitting_plus_long_term_record(void **state)
{
	(void)state;
	FOR_ENTRIES(o31, "ORDER31-8-1-", "", e)
	{
		effects_are(e, KW_SE_VOID_SITTING);
		term_is(o31, e, "2025-06-16", "qualification", "record", "");
		o31_deciders(e);
	}
}

static void order31_9_disturbing_order_sitting_ended(void **state)
{
	(void)state;
	FOR_ENTRIES(o31, "ORDER31-9-1-", "", e)
	{
		effects_are(e, KW_SE_END_SITTING);
		no_term(o31, e);
		o31_deciders(e);
	}
}

static void order31_10_certificate_void_plus_5_year_record(void **state)
{
	(void)state;
	const json_t *e = entry(o31, "ORDER31-10-1");
	effects_are(e, KW_SE_CERTIFICATE_VOID | KW_SE_VOID_SITTING);
	term_is(o31, e, "2024-02-29", "qualification", "record", "2029-02-28");
	o31_deciders(e);
	/* The issuer: an authority kind tied to the exam. */
	const struct kw_decider_unit issuer = {"prefecture_authority", "prefecture", true, false};
	may(e, &issuer);
}

static void order31_11_similar_answers_void_subject(void **state)
{
	(void)state;
	const json_t *e = entry(o31, "ORDER31-11-1");
	effects_are(e, KW_SE_VOID_SUBJECT);
	no_term(o31, e);
	o31_deciders(e);
}

/* Every entry of both catalogues: known effects, a term iff an archive, the archive the
 * catalogue's. */
static void every_entry_has_effects_and_its_archive(void **state)
{
	(void)state;
	json_t *cats[] = {vh, o31};
	for (size_t c = 0; c < 2; c++) {
		size_t i;
		const json_t *e;
		json_array_foreach(json_object_get(cats[c], "entries"), i, e)
		{
			assert_int_not_equal(kw_sanction_effects(str(e, "penalty")), 0);
			struct kw_sanction_term t;
			assert_int_equal(kw_sanction_term(cats[c], e, day("2025-01-01"), &t, NULL),
			                 0);
			assert_int_equal(t.any, !json_is_null(json_object_get(e, "archive")));
			if (t.any)
				assert_string_equal(t.kind,
				                    c == 0 ? "civil_service" : "qualification");
			char *cit = kw_sanction_citation_zh(cats[c], e);
			assert_non_null(cit);
			free(cit);
		}
	}
	assert_int_equal(kw_sanction_effects("fine"), 0);
	assert_int_equal(kw_sanction_effects(NULL), 0);
}

/* VIO-0: a VH penalty's archive is refused in Order No. 31's catalogue, and an unknown
 * penalty is refused. */
static void term_refuses_foreign_or_unknown_penalties(void **state)
{
	(void)state;
	struct kw_sanction_term t;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_term(o31, entry(vh, "VH-7-1-1"), day("2025-01-01"), &t, &err),
	                 KW_EINVAL);
	assert_string_equal(err.code, "CATALOGUE_INVALID");
	assert_string_equal(str(err.details, "field"), "archive");
	assert_string_equal(str(err.details, "problem"), "mismatch");
	json_t *e = json_pack("{s:s, s:s}", "id", "X-1-1", "penalty", "fine");
	assert_int_equal(kw_sanction_term(vh, e, day("2025-01-01"), &t, &err), KW_EINVAL);
	assert_string_equal(str(err.details, "field"), "penalty");
	assert_false(t.any);
	json_decref(e);
	/* A 5-year term past 9999. */
	assert_int_equal(kw_sanction_term(vh, entry(vh, "VH-7-1-1"), day("9998-01-01"), &t, &err),
	                 KW_EINVAL);
	assert_string_equal(err.code, "DATE_INVALID");
	kw_err_release(&err);
}

/* VIO-8: the decider's level rank. */
static void level_ranks(void **state)
{
	(void)state;
	assert_int_equal(kw_sanction_level_rank("county"), 1);
	assert_int_equal(kw_sanction_level_rank("prefecture"), 2);
	assert_int_equal(kw_sanction_level_rank("provincial"), 3);
	assert_int_equal(kw_sanction_level_rank("national"), 4);
	assert_int_equal(kw_sanction_level_rank("city"), 0);
	assert_int_equal(kw_sanction_level_rank(NULL), 0);
	/* An unknown level is below every min_level. */
	const struct kw_decider_unit u = {"civil_service_authority", NULL, false, false};
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_may_decide(entry(vh, "VH-7-1-1"), &u, &err), KW_ERULE);
	assert_string_equal(err.code, "CASE_DECIDER_LEVEL");
	assert_string_equal(str(err.details, "unit_level"), "");
	kw_err_release(&err);
}

/* ---- VIO-8 deadlines on the embedded calendar (DL-1) ---- */

/* Received Tuesday 2025-09-30: 1-8 October are the National Day holiday, Saturday 11
 * October a make-up working day: 9, 10, 11, 13, 14 October. */
static void vio8_defence_due_across_national_day(void **state)
{
	(void)state;
	const struct kw_calendar *cal = kw_calendar_default();
	assert_non_null(cal);
	int32_t due;
	assert_int_equal(kw_sanction_defence_due(cal, vh, day("2025-09-30"), 0, &due, NULL), 0);
	assert_day(due, "2025-10-14");
	assert_int_equal(kw_sanction_defence_due(cal, o31, day("2025-09-30"), -1, &due, NULL), 0);
	assert_day(due, "2025-10-14");
	/* An override of 3 working days ends on the make-up Saturday. */
	assert_int_equal(kw_sanction_defence_due(cal, vh, day("2025-09-30"), 3, &due, NULL), 0);
	assert_day(due, "2025-10-11");
	/* No defence_working_days in the catalogue: 5. */
	json_t *c = json_deep_copy(vh);
	json_object_del(json_object_get(c, "procedure"), "defence_working_days");
	assert_int_equal(kw_sanction_defence_due(cal, c, day("2025-09-30"), 0, &due, NULL), 0);
	assert_day(due, "2025-10-14");
	json_object_set_new(json_object_get(c, "procedure"), "defence_working_days",
	                    json_integer(10));
	assert_int_equal(kw_sanction_defence_due(cal, c, day("2025-09-30"), 0, &due, NULL), 0);
	assert_day(due, "2025-10-21");
	json_decref(c);
	/* Past the covered years: refused, never guessed. */
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_defence_due(cal, vh, day("2026-12-29"), 0, &due, &err),
	                 KW_ERULE);
	assert_string_equal(err.code, "CALENDAR_YEAR_UNKNOWN");
	kw_err_release(&err);
}

/* 60 days from 2025-08-03 is Thursday 2 October, a holiday: the review period ends on the
 * next working day, 9 October. */
static void vio8_review_due_on_a_holiday_moves_to_next_working_day(void **state)
{
	(void)state;
	const struct kw_calendar *cal = kw_calendar_default();
	int32_t review, lawsuit;
	assert_int_equal(
	        kw_sanction_appeal_deadlines(cal, vh, day("2025-08-03"), &review, &lawsuit, NULL),
	        0);
	assert_day(review, "2025-10-09");
	assert_day(lawsuit, "2026-02-03");
}

/* 6 months from 31 August end on the last day of February (2026-02-28, a make-up working
 * Saturday, so it stays). */
static void vio8_lawsuit_months_from_31_august_end_of_february(void **state)
{
	(void)state;
	const struct kw_calendar *cal = kw_calendar_default();
	int32_t review, lawsuit;
	assert_int_equal(
	        kw_sanction_appeal_deadlines(cal, o31, day("2025-08-31"), &review, &lawsuit, NULL),
	        0);
	assert_day(review, "2025-10-30");
	assert_day(lawsuit, "2026-02-28");
	/* Without its periods the catalogue is refused, not defaulted. */
	json_t *c = json_deep_copy(vh);
	json_object_del(json_object_get(c, "procedure"), "lawsuit_months");
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(
	        kw_sanction_appeal_deadlines(cal, c, day("2025-08-31"), &review, &lawsuit, &err),
	        KW_EINVAL);
	assert_string_equal(err.code, "CATALOGUE_INVALID");
	assert_string_equal(str(err.details, "field"), "procedure.lawsuit_months");
	kw_err_release(&err);
	json_decref(c);
}

/* ---- citations and words ---- */

static void numeral(int n, const char *want)
{
	char out[32];
	assert_int_equal(kw_sanction_numeral_zh(n, out, sizeof out), 0);
	assert_string_equal(out, want);
}

static void citation_is(const json_t *cat, const char *id, const char *want)
{
	char *c = kw_sanction_citation_zh(cat, entry(cat, id));
	assert_non_null(c);
	assert_string_equal(c, want);
	free(c);
}

static void citations_in_chinese_numerals(void **state)
{
	(void)state;
	numeral(1, "一");
	numeral(9, "九");
	numeral(10, "十");
	numeral(11, "十一");
	numeral(12, "十二");
	numeral(19, "十九");
	numeral(20, "二十");
	numeral(21, "二十一");
	numeral(99, "九十九");
	numeral(100, "一百");
	numeral(101, "一百零一");
	numeral(110, "一百一十");
	numeral(115, "一百一十五");
	numeral(230, "二百三十");
	numeral(999, "九百九十九");
	char out[32];
	assert_int_equal(kw_sanction_numeral_zh(0, out, sizeof out), -1);
	assert_int_equal(kw_sanction_numeral_zh(1000, out, sizeof out), -1);
	assert_int_equal(kw_sanction_numeral_zh(12, out, 6), -1); /* 十二 is 6 bytes + NUL */
	assert_string_equal(out, "");

	citation_is(vh, "VH-12-1-6-lighter", "第十二条第一款第六项");
	citation_is(vh, "VH-7-1-3", "第七条第一款第三项");
	citation_is(vh, "VH-9-1", "第九条第一款");
	citation_is(vh, "VH-5-1-serious", "第五条第一款");
	citation_is(o31, "ORDER31-6-1-10", "第六条第一款第十项");
	citation_is(o31, "ORDER31-10-1", "第十条第一款");
	/* No article: none. */
	json_t *e = json_pack("{s:i, s:n}", "clause", 1, "item");
	assert_null(kw_sanction_citation_zh(vh, e));
	json_decref(e);
}

/* The Chinese stage of every stage the validator accepts. */
static void stages_in_chinese(void **state)
{
	(void)state;
	assert_string_equal(kw_sanction_stage_zh("registration"), "报名");
	assert_string_equal(kw_sanction_stage_zh("exam"), "考试");
	assert_string_equal(kw_sanction_stage_zh("marking"), "阅卷");
	assert_string_equal(kw_sanction_stage_zh("physical_exam"), "体检");
	assert_string_equal(kw_sanction_stage_zh("vetting"), "考察");
	assert_string_equal(kw_sanction_stage_zh("fitness_psych_test"), "体能测评或心理测评");
	assert_string_equal(kw_sanction_stage_zh("order"), "考试（录用）工作");
	assert_string_equal(kw_sanction_stage_zh("certification"), "证书申领");
	assert_null(kw_sanction_stage_zh("interview"));
	assert_null(kw_sanction_stage_zh(NULL));
	/* Each stage an entry uses has its words. */
	json_t *cats[] = {vh, o31};
	for (size_t c = 0; c < 2; c++) {
		size_t i, k;
		const json_t *e, *s, *one;
		json_array_foreach(json_object_get(cats[c], "entries"), i, e)
		{
			s = json_object_get(e, "stage");
			if (json_is_string(s))
				assert_non_null(kw_sanction_stage_zh(json_string_value(s)));
			json_array_foreach(s, k, one)
			{
				assert_non_null(kw_sanction_stage_zh(json_string_value(one)));
			}
		}
	}
	char d[KW_SANCTION_DATE_ZH_MAX];
	kw_sanction_date_zh(day("2025-06-06"), d);
	assert_string_equal(d, "2025年6月6日");
	kw_sanction_date_zh(day("2025-10-14"), d);
	assert_string_equal(d, "2025年10月14日");
}

/* ---- the letter and the notice (VIO-8) ---- */

static const char *line(const json_t *doc, size_t i)
{
	return json_string_value(json_array_get(json_object_get(doc, "lines"), i));
}

static void lines_are(const json_t *doc, const char *title, const char *const *want, size_t n)
{
	assert_string_equal(str(doc, "title"), title);
	assert_int_equal(json_array_size(json_object_get(doc, "lines")), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(line(doc, i), want[i]);
}

static struct kw_letter_fields vh_fields(void)
{
	struct kw_letter_fields f = {
	        .number = "皖公考处〔2025〕7号",
	        .name = "张三",
	        .id_number = "340104199001011234",
	        .exam = "安徽省2025年度考试录用公务员笔试",
	        .facts = "在行政职业能力测验科目考试中使用手机",
	        .issuer = "安徽省公务员局",
	        .date = day("2025-06-16"),
	};
	return f;
}

/* VH annex: the decision letter for VH 7(1)(3). */
static void vio8_vh_letter_exact_lines(void **state)
{
	(void)state;
	struct kw_letter_fields f = vh_fields();
	json_t *doc = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_letter(vh, entry(vh, "VH-7-1-3"), &f, &doc, &err), 0);
	static const char *const want[] = {
	        "编号：皖公考处〔2025〕7号",
	        "考生张三（身份证号340104199001011234）：",
	        "你在参加安徽省2025年度考试录用公务员笔试中，在考试环节有在行政职业能力测验科目考试"
	        "中使用手机的违规违纪情形。根据《公务员录用违规违纪行为处理办法》第七条第一款第三项"
	        "的"
	        "规定，给予取消本次考试资格并五年内限制报考公务员处理。",
	        "如对处理决定不服，可自收到本处理决定书之日起60日内依法申请行政复议，或者自收到本处"
	        "理"
	        "决定书之日起6个月内依法提起行政诉讼。",
	        "安徽省公务员局（盖章）",
	        "2025年6月16日",
	};
	lines_are(doc, "公务员录用违规违纪行为处理决定书", want, 6);
	json_decref(doc);
	/* VH 5 serious: the entry's own penalty wording (本次报考资格). */
	f.stage_zh = NULL;
	f.facts = "伪造学历证书骗取报考资格";
	assert_int_equal(kw_sanction_letter(vh, entry(vh, "VH-5-1-serious"), &f, &doc, &err), 0);
	assert_string_equal(
	        line(doc, 2),
	        "你在参加安徽省2025年度考试录用公务员笔试中，在报名环节有伪造学历证书骗"
	        "取报考资格的违规违纪情形。根据《公务员录用违规违纪行为处理办法》第五条第"
	        "一款的规定，给予取消本次报考资格并五年内限制报考公务员处理。");
	json_decref(doc);
	kw_err_release(&err);
}

/* Order No. 31's letter (its own regulation, never the VH Measures) for art. 8(1)(2). */
static void vio8_order31_letter_exact_lines(void **state)
{
	(void)state;
	struct kw_letter_fields f = {
	        .number = "皖人考〔2025〕12号",
	        .name = "李四",
	        .id_number = "34010419900101567X",
	        .exam = "2025年度一级建造师职业资格考试",
	        .facts = "让他人代替自己参加《建设工程经济》科目考试",
	        .issuer = "安徽省人事考试院",
	        .date = day("2025-10-09"),
	};
	json_t *doc = NULL;
	assert_int_equal(kw_sanction_letter(o31, entry(o31, "ORDER31-8-1-2"), &f, &doc, NULL), 0);
	static const char *const want[] = {
	        "编号：皖人考〔2025〕12号",
	        "应试人员李四（身份证号34010419900101567X）：",
	        "你在参加2025年度一级建造师职业资格考试中，在考试环节有让他人代替自己参加《建设工程"
	        "经济》科目考试的违纪违规行为。根据《专业技术人员资格考试违纪违规行为处理规定》第八"
	        "条"
	        "第一款第二项的规定，给予当次全部科目考试成绩无效，并将其违纪违规行为记入专业技术人"
	        "员"
	        "资格考试诚信档案库，长期记录的处理。",
	        "如对处理决定不服，可自收到本处理决定书之日起60日内依法申请行政复议，或者自收到本处"
	        "理"
	        "决定书之日起6个月内依法提起行政诉讼。",
	        "安徽省人事考试院（盖章）",
	        "2025年10月9日",
	};
	lines_are(doc, "专业技术人员资格考试违纪违规行为处理决定书", want, 6);
	char *all = json_dumps(doc, 0);
	assert_null(strstr(all, "公务员"));
	free(all);
	json_decref(doc);
}

/* VH 19: the notice of the intended decision, with the defence's end. */
static void vio8_vh_notice_exact_lines(void **state)
{
	(void)state;
	struct kw_letter_fields f = vh_fields();
	f.number = "皖公考告〔2025〕7号";
	f.date = day("2025-09-29");
	int32_t due;
	assert_int_equal(kw_sanction_defence_due(kw_calendar_default(), vh, day("2025-09-30"), 0,
	                                         &due, NULL),
	                 0);
	f.defence_due = due;
	json_t *doc = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_sanction_notice(vh, entry(vh, "VH-7-1-3"), &f, &doc, &err), 0);
	static const char *const want[] = {
	        "编号：皖公考告〔2025〕7号",
	        "考生张三（身份证号340104199001011234）：",
	        "经查，你在参加安徽省2025年度考试录用公务员笔试中，在考试环节有在行政职业能力测验科"
	        "目"
	        "考试中使用手机的违规违纪情形。",
	        "你的上述行为属于《公务员录用违规违纪行为处理办法》第七条第一款第三项规定的“使用禁"
	        "止携"
	        "带的通讯设备或者具有计算、存储功能电子设备的”情形。根据上述规定，本单位拟给予你取"
	        "消本"
	        "次考试资格并五年内限制报考公务员处理。",
	        "根据《公务员录用违规违纪行为处理办法》第十九条的规定，你依法享有陈述和申辩的权利。"
	        "你可"
	        "以在2025年10月14日24时前，以书面形式或者通过考生服务平台向本单位提出陈述和申辩，并"
	        "可"
	        "以提交相关证据材料。本单位将对你提出的事实、理由和证据进行复核。",
	        "逾期未提出陈述和申辩的，视为放弃陈述和申辩的权利。",
	        "安徽省公务员局（盖章）",
	        "2025年9月29日",
	};
	lines_are(doc, "公务员录用违规违纪行为陈述申辩告知书", want, 8);
	json_decref(doc);

	/* Order No. 31's notice cites its own regulation only. */
	f.stage = "exam";
	f.exam = "2025年度一级建造师职业资格考试";
	f.issuer = "安徽省人事考试院";
	assert_int_equal(kw_sanction_notice(o31, entry(o31, "ORDER31-7-1-5"), &f, &doc, &err), 0);
	assert_string_equal(str(doc, "title"), "专业技术人员资格考试违纪违规行为陈述申辩告知书");
	assert_string_equal(
	        line(doc, 3),
	        "你的上述行为属于《专业技术人员资格考试违纪违规行为处理规定》第七条第一款第"
	        "五项规定的“使用禁止带入考场的通讯工具、规定以外的电子用品的”情形。根据上述"
	        "规定，本单位拟给予你当次全部科目考试成绩无效，并将其违纪违规行为记入专业技"
	        "术人员资格考试诚信档案库，记录期限为五年的处理。");
	char *all = json_dumps(json_object_get(doc, "lines"), 0);
	assert_non_null(strstr(all, "2025年10月14日24时前"));
	assert_null(strstr(all, "公务员"));
	free(all);
	json_decref(doc);
	kw_err_release(&err);
}

static void refused_field(int rc, struct kw_err *err, json_t *doc, const char *field)
{
	assert_int_equal(rc, KW_EINVAL);
	assert_null(doc);
	assert_string_equal(err->code, "CASE_LETTER_FIELD");
	assert_string_equal(str(err->details, "field"), field);
}

/* A field missing, a stage that cannot be told, a placeholder unknown: refused, never a
 * letter with a gap. */
static void vio8_letter_with_a_missing_field_is_refused(void **state)
{
	(void)state;
	const json_t *e = entry(vh, "VH-7-1-3");
	struct kw_err err = KW_ERR_INIT;
	json_t *doc = NULL;
	struct kw_letter_fields f = vh_fields();
	f.name = NULL;
	refused_field(kw_sanction_letter(vh, e, &f, &doc, &err), &err, doc, "name");
	f = vh_fields();
	f.facts = "";
	refused_field(kw_sanction_letter(vh, e, &f, &doc, &err), &err, doc, "facts");
	f = vh_fields();
	f.issuer = "\xe5\xae";
	refused_field(kw_sanction_letter(vh, e, &f, &doc, &err), &err, doc, "issuer");
	f = vh_fields();
	f.date = 0;
	refused_field(kw_sanction_letter(vh, e, &f, &doc, &err), &err, doc, "date");
	/* The notice needs the defence's end. */
	f = vh_fields();
	refused_field(kw_sanction_notice(vh, e, &f, &doc, &err), &err, doc, "defence_due");
	/* VH 11 covers two stages: the case's stage must say which. */
	const json_t *v = entry(vh, "VH-11-1-serious");
	refused_field(kw_sanction_letter(vh, v, &f, &doc, &err), &err, doc, "stage");
	f.stage = "exam";
	refused_field(kw_sanction_letter(vh, v, &f, &doc, &err), &err, doc, "stage");
	f.stage = "fitness_psych_test";
	assert_int_equal(kw_sanction_letter(vh, v, &f, &doc, &err), 0);
	assert_non_null(strstr(line(doc, 2), "在体能测评或心理测评环节有"));
	json_decref(doc);
	doc = NULL;
	f.stage_zh = "心理素质测评";
	assert_int_equal(kw_sanction_letter(vh, v, &f, &doc, &err), 0);
	assert_non_null(strstr(line(doc, 2), "在心理素质测评环节有"));
	json_decref(doc);
	doc = NULL;
	/* A template with a placeholder the filler does not know, or an unclosed one. */
	json_t *c = json_deep_copy(vh);
	json_t *lines = json_object_get(json_object_get(c, "letter"), "lines_zh");
	json_array_append_new(lines, json_string("抄送：{copy_to}"));
	f = vh_fields();
	refused_field(kw_sanction_letter(c, e, &f, &doc, &err), &err, doc, "copy_to");
	json_array_set_new(lines, json_array_size(lines) - 1, json_string("抄送：{issuer"));
	refused_field(kw_sanction_letter(c, e, &f, &doc, &err), &err, doc, "{");
	json_object_del(c, "notice");
	refused_field(kw_sanction_notice(c, e, &f, &doc, &err), &err, doc, "notice");
	json_decref(c);
	kw_err_release(&err);
}

/* Every placeholder the validator allows is one the filler fills. */
static void every_allowed_placeholder_is_filled(void **state)
{
	(void)state;
	json_t *c = json_deep_copy(vh);
	json_t *lines = json_array();
	for (size_t i = 0; kw_catalogue_placeholders[i]; i++)
		json_array_append_new(lines, json_sprintf("[{%s}]", kw_catalogue_placeholders[i]));
	json_object_set_new(json_object_get(c, "notice"), "lines_zh", lines);
	struct kw_letter_fields f = vh_fields();
	f.defence_due = day("2025-10-14");
	json_t *doc = NULL;
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_sanction_notice(c, entry(c, "VH-7-1-3"), &f, &doc, &err);
	if (rc)
		fail_msg("%s", err.msg);
	size_t i;
	const json_t *l;
	json_array_foreach(json_object_get(doc, "lines"), i, l)
	{
		const char *s = json_string_value(l);
		assert_true(strlen(s) > 2);
		assert_null(strchr(s, '{'));
	}
	json_decref(doc);
	json_decref(c);
	kw_err_release(&err);
}

/* The validator checks the notice like the letter (title_zh, lines_zh, placeholders). */
static void validator_checks_the_notice(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_catalogue_validate(vh, &err), 0);
	assert_int_equal(kw_catalogue_validate(o31, &err), 0);
	static const struct {
		const char *doc, *key;
		const char *value; /* NULL: delete */
		const char *field, *problem;
	} cases[] = {
	        {NULL, "notice", NULL, "notice", "missing"},
	        {"notice", "title_zh", NULL, "notice.title_zh", "missing"},
	        {"notice", "placeholders", NULL, "notice.placeholders", "missing"},
	        {"notice", "lines_zh", NULL, "notice.lines_zh", "missing"},
	        {"letter", "placeholders", NULL, "letter.placeholders", "missing"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *c = json_deep_copy(vh);
		json_t *t = cases[i].doc ? json_object_get(c, cases[i].doc) : c;
		json_object_del(t, cases[i].key);
		assert_int_equal(kw_catalogue_validate(c, &err), KW_EINVAL);
		assert_string_equal(str(err.details, "field"), cases[i].field);
		assert_string_equal(str(err.details, "problem"), cases[i].problem);
		json_decref(c);
	}
	/* A notice without the defence's end; a line with an unknown or undescribed
	 * placeholder; a description of an unknown one. */
	json_t *c = json_deep_copy(o31);
	json_t *n = json_object_get(c, "notice");
	json_t *lines = json_object_get(n, "lines_zh");
	json_t *keep = json_deep_copy(lines);
	json_array_remove(lines, 4);
	assert_int_equal(kw_catalogue_validate(c, &err), KW_EINVAL);
	assert_string_equal(str(err.details, "field"), "notice.lines_zh");
	assert_string_equal(str(err.details, "problem"), "missing");
	json_object_set(n, "lines_zh", keep);
	assert_int_equal(kw_catalogue_validate(c, &err), 0);
	json_array_append_new(keep, json_string("{copy_to}"));
	assert_int_equal(kw_catalogue_validate(c, &err), KW_EINVAL);
	assert_string_equal(str(err.details, "problem"), "unknown");
	json_array_set_new(keep, json_array_size(keep) - 1, json_string("{review_days}"));
	assert_int_equal(kw_catalogue_validate(c, &err), KW_EINVAL);
	assert_string_equal(str(err.details, "problem"), "undescribed");
	json_array_set_new(keep, json_array_size(keep) - 1, json_string("{date"));
	assert_int_equal(kw_catalogue_validate(c, &err), KW_EINVAL);
	assert_string_equal(str(err.details, "problem"), "type");
	json_array_remove(keep, json_array_size(keep) - 1);
	json_object_set_new(json_object_get(n, "placeholders"), "copy_to", json_string("cc"));
	assert_int_equal(kw_catalogue_validate(c, &err), KW_EINVAL);
	assert_string_equal(str(err.details, "field"), "notice.placeholders");
	assert_string_equal(str(err.details, "problem"), "unknown");
	json_decref(keep);
	json_decref(c);
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(vh_5_false_info_registration_void_process_ended),
	        cmocka_unit_test(vh_5_forged_material_cancel_plus_5_year_ban),
	        cmocka_unit_test(vh_6_lighter_zero_for_subject),
	        cmocka_unit_test(vh_7_serious_cancel_plus_5_year_ban),
	        cmocka_unit_test(vh_8_especially_serious_cancel_plus_lifetime_ban),
	        cmocka_unit_test(vh_9_similar_answers_zero_for_subject_process_ended),
	        cmocka_unit_test(vh_10_physical_exam_each_severity),
	        cmocka_unit_test(vh_11_vetting_and_tests_each_severity),
	        cmocka_unit_test(vh_12_order_each_item_each_severity),
	        cmocka_unit_test(order31_6_lighter_void_subject),
	        cmocka_unit_test(order31_7_serious_void_sitting_plus_5_year_record),
	        cmocka_unit_test(order31_8_especially_serious_void_sitting_plus_long_term_record),
	        cmocka_unit_test(order31_9_disturbing_order_sitting_ended),
	        cmocka_unit_test(order31_10_certificate_void_plus_5_year_record),
	        cmocka_unit_test(order31_11_similar_answers_void_subject),
	        cmocka_unit_test(every_entry_has_effects_and_its_archive),
	        cmocka_unit_test(term_refuses_foreign_or_unknown_penalties),
	        cmocka_unit_test(level_ranks),
	        cmocka_unit_test(vio8_defence_due_across_national_day),
	        cmocka_unit_test(vio8_review_due_on_a_holiday_moves_to_next_working_day),
	        cmocka_unit_test(vio8_lawsuit_months_from_31_august_end_of_february),
	        cmocka_unit_test(citations_in_chinese_numerals),
	        cmocka_unit_test(stages_in_chinese),
	        cmocka_unit_test(vio8_vh_letter_exact_lines),
	        cmocka_unit_test(vio8_order31_letter_exact_lines),
	        cmocka_unit_test(vio8_vh_notice_exact_lines),
	        cmocka_unit_test(vio8_letter_with_a_missing_field_is_refused),
	        cmocka_unit_test(every_allowed_placeholder_is_filled),
	        cmocka_unit_test(validator_checks_the_notice),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
