/*
 * The working-day calendar and DL-1's counting of periods, on the real 2024–2026 data
 * (the embedded data/calendar/cn-public-holidays.csv). Expected dates were worked out by
 * hand from the State Council notices and cross-checked with an independent script.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"

static const struct kw_calendar *cal(void)
{
	const struct kw_calendar *c = kw_calendar_default();
	assert_non_null(c);
	return c;
}

/* The day number of a date that must parse. */
static int32_t D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(kw_cal_date_parse(s, strlen(s), &d, NULL), 0);
	return d;
}

static void assert_day(int32_t got, const char *want)
{
	char buf[11];
	kw_cal_date_format(got, buf);
	assert_string_equal(buf, want);
}

static int64_t detail_int(const struct kw_err *err, const char *key)
{
	json_t *v = json_object_get(err->details, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static const char *detail_str(const struct kw_err *err, const char *key)
{
	json_t *v = json_object_get(err->details, key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

/* A DL-1 refusal for an uncovered year. */
static void assert_year_unknown(int rc, struct kw_err *err, int year)
{
	assert_int_equal(rc, KW_ERULE);
	assert_string_equal(err->code, "CALENDAR_YEAR_UNKNOWN");
	assert_string_equal(err->rule, "DL-1");
	assert_int_equal(detail_int(err, "year"), year);
	kw_err_release(err);
}

static enum kw_day_kind kind(const char *date)
{
	enum kw_day_kind k = 0;
	assert_int_equal(kw_cal_day_kind(cal(), D(date), &k, NULL), 0);
	return k;
}

static bool workday(const char *date)
{
	bool w = false;
	assert_int_equal(kw_cal_is_workday(cal(), D(date), &w, NULL), 0);
	return w;
}

/* ---- The data ---- */

static void dl1_default_calendar_covers_2024_to_2026(void **state)
{
	(void)state;
	size_t n = 0;
	const int *y = kw_cal_years(cal(), &n);
	assert_int_equal(n, 3);
	assert_int_equal(y[0], 2024);
	assert_int_equal(y[1], 2025);
	assert_int_equal(y[2], 2026);
	assert_false(kw_cal_covers(cal(), 2023));
	assert_true(kw_cal_covers(cal(), 2025));
	assert_false(kw_cal_covers(cal(), 2027));
	/* parsed once: the same object every time */
	assert_ptr_equal(kw_calendar_default(), kw_calendar_default());
}

static void dl1_spring_festival_2026(void **state)
{
	(void)state;
	/* 春节 2026: 02-15 (Sun) … 02-23 (Mon) off; make-up Saturdays 02-14 and 02-28 */
	static const char *const off[] = {"2026-02-15", "2026-02-16", "2026-02-17",
	                                  "2026-02-18", "2026-02-19", "2026-02-20",
	                                  "2026-02-21", "2026-02-22", "2026-02-23"};
	for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
		assert_int_equal(kind(off[i]), KW_DAY_OFF);
		assert_false(workday(off[i]));
	}
	assert_int_equal(kind("2026-02-13"), KW_DAY_WORKDAY); /* Friday before */
	assert_int_equal(kind("2026-02-24"), KW_DAY_WORKDAY); /* Tuesday after */
	assert_int_equal(kind("2026-02-14"), KW_DAY_MAKEUP);  /* Saturday, 调休上班 */
	assert_true(workday("2026-02-14"));
	assert_int_equal(kind("2026-02-28"), KW_DAY_MAKEUP); /* Saturday, 调休上班 */
	assert_true(workday("2026-02-28"));
	assert_int_equal(kind("2026-03-01"), KW_DAY_WEEKEND); /* a plain Sunday */
	assert_false(workday("2026-03-01"));
}

static void dl1_national_day_2026(void **state)
{
	(void)state;
	/* 国庆节 2026: 10-01 (Thu) … 10-07 (Wed) off; make-up Sun 09-20 and Sat 10-10 */
	for (int d = 1; d <= 7; d++) {
		int32_t day = 0;
		assert_int_equal(kw_cal_day_from_ymd(2026, 10, d, &day, NULL), 0);
		enum kw_day_kind k = 0;
		assert_int_equal(kw_cal_day_kind(cal(), day, &k, NULL), 0);
		assert_int_equal(k, KW_DAY_OFF);
	}
	assert_true(workday("2026-10-08"));
	assert_int_equal(kind("2026-10-10"), KW_DAY_MAKEUP);
	assert_true(workday("2026-10-10"));
	assert_int_equal(kind("2026-10-11"), KW_DAY_WEEKEND);
	assert_int_equal(kind("2026-09-20"), KW_DAY_MAKEUP); /* a Sunday worked */
	assert_true(workday("2026-09-20"));
	/* earlier years too */
	assert_int_equal(kind("2024-02-04"), KW_DAY_MAKEUP); /* Sunday, 2024 Spring Festival */
	assert_int_equal(kind("2025-10-08"), KW_DAY_OFF);    /* 2025 国庆节、中秋节 */
	assert_int_equal(kind("2024-10-07"), KW_DAY_OFF);
	assert_int_equal(kind("2024-10-12"), KW_DAY_MAKEUP);
}

/* ---- N working days ---- */

static void dl1_workdays_across_a_holiday_week(void **state)
{
	(void)state;
	int32_t last = 0;
	/* Wed 09-30 + 5 working days: 10-08, 10-09, 10-10 (make-up Sat), 10-12, 10-13 */
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-09-30"), 5, &last, NULL), 0);
	assert_day(last, "2026-10-13");
	/* Fri 02-13 + 3: 02-14 (make-up Sat), 02-24, 02-25 */
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-02-13"), 3, &last, NULL), 0);
	assert_day(last, "2026-02-25");
	/* Fri 02-13 + 1 is the make-up Saturday */
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-02-13"), 1, &last, NULL), 0);
	assert_day(last, "2026-02-14");
}

static void dl1_workdays_counted_from_a_holiday(void **state)
{
	(void)state;
	int32_t last = 0;
	/* the start day is never counted, whatever kind of day it is */
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-02-18"), 1, &last, NULL), 0);
	assert_day(last, "2026-02-24");
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-02-18"), 3, &last, NULL), 0);
	assert_day(last, "2026-02-26");
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-10-03"), 1, &last, NULL), 0);
	assert_day(last, "2026-10-08");
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-10-01"), 5, &last, NULL), 0);
	assert_day(last, "2026-10-13");
	/* a working start day is not counted either */
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-10-08"), 1, &last, NULL), 0);
	assert_day(last, "2026-10-09");
}

/* ---- Periods in days ---- */

static void dl1_days_ending_on_a_holiday_roll_over(void **state)
{
	(void)state;
	int32_t last = 0;
	/* 09-21 + 10 days = 10-01 (National Day) → the next working day, 10-08 */
	assert_int_equal(kw_cal_add_days(cal(), D("2026-09-21"), 10, &last, NULL), 0);
	assert_day(last, "2026-10-08");
	/* 02-06 + 10 = 02-16 (Spring Festival) → 02-24 */
	assert_int_equal(kw_cal_add_days(cal(), D("2026-02-06"), 10, &last, NULL), 0);
	assert_day(last, "2026-02-24");
	/* 09-24 + 1 = 09-25 (中秋节, a Friday) → over the weekend to Mon 09-28 */
	assert_int_equal(kw_cal_add_days(cal(), D("2026-09-24"), 1, &last, NULL), 0);
	assert_day(last, "2026-09-28");
	/* ending on a plain Saturday → Monday */
	assert_int_equal(kw_cal_add_days(cal(), D("2026-12-26"), 1, &last, NULL), 0);
	assert_day(last, "2026-12-28");
	/* ending on a make-up Saturday: a working day, no roll-over */
	assert_int_equal(kw_cal_add_days(cal(), D("2026-02-12"), 2, &last, NULL), 0);
	assert_day(last, "2026-02-14");
	/* the start day is not counted: 03-01 + 30 = 03-31 */
	assert_int_equal(kw_cal_add_days(cal(), D("2026-03-01"), 30, &last, NULL), 0);
	assert_day(last, "2026-03-31");
}

/* ---- Periods in months ---- */

static void dl1_months_same_day_or_month_end(void **state)
{
	(void)state;
	int32_t last = 0;
	/* 2026-01-31 + 1 month → 02-28, a make-up Saturday: a working day, stays */
	assert_int_equal(kw_cal_add_months(cal(), D("2026-01-31"), 1, &last, NULL), 0);
	assert_day(last, "2026-02-28");
	assert_int_equal(kw_cal_add_months(cal(), D("2025-01-31"), 1, &last, NULL), 0);
	assert_day(last, "2025-02-28");
	/* leap year */
	assert_int_equal(kw_cal_add_months(cal(), D("2024-01-31"), 1, &last, NULL), 0);
	assert_day(last, "2024-02-29");
	assert_int_equal(kw_cal_add_months(cal(), D("2024-03-31"), 1, &last, NULL), 0);
	assert_day(last, "2024-04-30");
	/* 2025-10-31 + 1 → 11-30, a Sunday → Monday 12-01 */
	assert_int_equal(kw_cal_add_months(cal(), D("2025-10-31"), 1, &last, NULL), 0);
	assert_day(last, "2025-12-01");
	/* same-numbered day on a holiday → roll-over: 01-19 + 1 → 02-19 → 02-24 */
	assert_int_equal(kw_cal_add_months(cal(), D("2026-01-19"), 1, &last, NULL), 0);
	assert_day(last, "2026-02-24");
	assert_int_equal(kw_cal_add_months(cal(), D("2026-09-01"), 1, &last, NULL), 0);
	assert_day(last, "2026-10-08");
	/* several months, across a year end */
	assert_int_equal(kw_cal_add_months(cal(), D("2026-08-31"), 3, &last, NULL), 0);
	assert_day(last, "2026-11-30");
	assert_int_equal(kw_cal_add_months(cal(), D("2025-12-31"), 2, &last, NULL), 0);
	assert_day(last, "2026-02-28");
}

/* ---- Instants ---- */

static void dl1_end_of_period_is_24h_cst(void **state)
{
	(void)state;
	/* 24:00 CST of 2026-10-08 = 2026-10-08T16:00:00Z */
	assert_int_equal(kw_cal_day_end_utc(D("2026-10-08")), 1791475200);
	assert_int_equal(kw_cal_day_start_utc(D("2026-10-08")), 1791475200 - 86400);
	assert_int_equal(kw_cal_day_end_utc(D("1970-01-01")), 16 * 3600);

	/* CST date of an instant: 2026-09-30T16:00:00Z is 2026-10-01 00:00 CST */
	int32_t day = 0;
	assert_int_equal(kw_cal_cst_day(1790784000, &day, NULL), 0);
	assert_day(day, "2026-10-01");
	assert_int_equal(kw_cal_cst_day(1790784000 - 1, &day, NULL), 0);
	assert_day(day, "2026-09-30");
	assert_int_equal(kw_cal_cst_day(-28800, &day, NULL), 0);
	assert_int_equal(day, 0);
	assert_int_equal(kw_cal_cst_day(-28801, &day, NULL), 0);
	assert_int_equal(day, -1);

	/* an event at 2026-09-30T17:30Z (10-01 01:30 CST) + 5 working days → 10-13 24:00 CST */
	int64_t end = 0;
	assert_int_equal(kw_cal_period_end(cal(), KW_CAL_WORKDAYS, 1790789400, 5, &end, NULL), 0);
	assert_int_equal(end, 1791907200);
	/* + 10 days from 10-01 → 10-11 (Sunday) → 10-12 */
	assert_int_equal(kw_cal_period_end(cal(), KW_CAL_DAYS, 1790789400, 10, &end, NULL), 0);
	assert_int_equal(end, kw_cal_day_end_utc(D("2026-10-12")));
	/* + 1 month from 10-01 → 11-01 (Sunday) → 11-02 */
	assert_int_equal(kw_cal_period_end(cal(), KW_CAL_MONTHS, 1790789400, 1, &end, NULL), 0);
	assert_int_equal(end, kw_cal_day_end_utc(D("2026-11-02")));
	/* hours are clock hours, holidays or not */
	assert_int_equal(kw_cal_period_end(cal(), KW_CAL_HOURS, 1790789400, 72, &end, NULL), 0);
	assert_int_equal(end, 1790789400 + 72 * 3600);
	int64_t t = 0;
	assert_int_equal(kw_cal_add_hours(1790789400, 1, &t, NULL), 0);
	assert_int_equal(t, 1790789400 + 3600);
}

/* ---- Uncovered years ---- */

static void dl1_year_2027_refused(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	bool w;
	enum kw_day_kind k;
	int32_t last = 0;
	int64_t end = 0;

	assert_year_unknown(kw_cal_is_workday(cal(), D("2027-01-04"), &w, &err), &err, 2027);
	assert_year_unknown(kw_cal_day_kind(cal(), D("2023-06-01"), &k, &err), &err, 2023);
	/* the count itself would enter 2027 */
	assert_year_unknown(kw_cal_add_workdays(cal(), D("2026-12-31"), 1, &last, &err), &err,
	                    2027);
	assert_year_unknown(kw_cal_add_days(cal(), D("2026-12-25"), 10, &last, &err), &err, 2027);
	assert_year_unknown(kw_cal_add_months(cal(), D("2026-12-15"), 1, &last, &err), &err, 2027);
	assert_year_unknown(kw_cal_add_days(cal(), D("2026-10-01"), 365, &last, &err), &err, 2027);
	assert_year_unknown(kw_cal_period_end(cal(), KW_CAL_DAYS,
	                                      kw_cal_day_start_utc(D("2026-12-31")), 1, &end, &err),
	                    &err, 2027);
	/* a count passing over an uncovered year is refused even if it ends in a covered one */
	assert_year_unknown(kw_cal_add_days(cal(), D("2023-12-20"), 15, &last, &err), &err, 2023);
	/* the start day itself is not counted: it may lie outside the covered years */
	assert_int_equal(kw_cal_add_workdays(cal(), D("2023-12-31"), 1, &last, NULL), 0);
	assert_day(last, "2024-01-02"); /* 01-01 is 元旦 */
	assert_int_equal(kw_cal_add_months(cal(), D("2023-12-31"), 2, &last, NULL), 0);
	assert_day(last, "2024-02-29");
	/* the last counted day of the data: fine */
	assert_int_equal(kw_cal_add_workdays(cal(), D("2026-12-30"), 1, &last, NULL), 0);
	assert_day(last, "2026-12-31");
	/* nothing was written by the refusals */
	assert_int_equal(end, 0);
}

static void dl1_rollover_into_uncovered_year_refused(void **state)
{
	(void)state;
	/* 2026-12-31 (a Thursday) is a working day in the real data, so no roll-over from
	 * December 2026 can reach 2027 there; this calendar makes it a holiday. */
	static const char csv[] = "date,kind,holiday,source\n"
	                          "2026-12-31,off,test,test\n";
	struct kw_calendar *c = NULL;
	struct kw_err err = KW_ERR_INIT;
	int32_t last = 0;
	assert_int_equal(kw_calendar_parse(csv, sizeof csv - 1, &c, &err), 0);
	assert_year_unknown(kw_cal_add_days(c, D("2026-12-30"), 1, &last, &err), &err, 2027);
	assert_year_unknown(kw_cal_add_months(c, D("2026-08-31"), 4, &last, &err), &err, 2027);
	assert_year_unknown(kw_cal_next_workday(c, D("2026-12-31"), &last, &err), &err, 2027);
	/* ending on a Saturday → Monday, 2026 still */
	assert_int_equal(kw_cal_add_days(c, D("2026-12-25"), 1, &last, NULL), 0);
	assert_day(last, "2026-12-28");
	assert_int_equal(last, D("2026-12-28"));
	kw_calendar_free(c);
}

static void dl1_period_length_checked(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	int32_t last = 0;
	int64_t t = 0;
	assert_int_equal(kw_cal_add_days(cal(), D("2026-03-02"), 0, &last, &err), KW_EINVAL);
	assert_string_equal(err.code, "PERIOD_INVALID");
	assert_int_equal(detail_int(&err, "n"), 0);
	assert_int_equal(detail_int(&err, "max"), KW_CAL_PERIOD_MAX);
	kw_err_release(&err);
	assert_int_equal(kw_cal_add_months(cal(), D("2026-03-02"), -1, &last, &err), KW_EINVAL);
	assert_string_equal(err.code, "PERIOD_INVALID");
	kw_err_release(&err);
	assert_int_equal(
	        kw_cal_add_workdays(cal(), D("2026-03-02"), KW_CAL_PERIOD_MAX + 1, &last, &err),
	        KW_EINVAL);
	kw_err_release(&err);
	assert_int_equal(kw_cal_add_hours(0, 0, &t, &err), KW_EINVAL);
	assert_string_equal(err.code, "PERIOD_INVALID");
	kw_err_release(&err);
	/* huge periods run into an uncovered year, never overflow */
	assert_year_unknown(
	        kw_cal_add_months(cal(), D("2026-03-02"), KW_CAL_PERIOD_MAX, &last, &err), &err,
	        2027);
	assert_year_unknown(
	        kw_cal_add_workdays(cal(), D("2026-03-02"), KW_CAL_PERIOD_MAX, &last, &err), &err,
	        2027);
	assert_int_equal(kw_cal_add_days(cal(), INT32_MAX, KW_CAL_PERIOD_MAX, &last, &err),
	                 KW_ERULE);
	assert_string_equal(err.code, "CALENDAR_YEAR_UNKNOWN");
	assert_true(detail_int(&err, "year") > 9999);
	kw_err_release(&err);
	/* instants outside 0001 … 9999 */
	assert_int_equal(kw_cal_add_hours(INT64_MAX - 10, 1, &t, &err), KW_EINVAL);
	assert_string_equal(err.code, "DATE_INVALID");
	kw_err_release(&err);
	int32_t day;
	assert_int_equal(kw_cal_cst_day(INT64_MIN, &day, &err), KW_EINVAL);
	assert_string_equal(err.code, "DATE_INVALID");
	kw_err_release(&err);
	assert_int_equal(kw_cal_cst_day(kw_cal_day_end_utc(KW_CAL_DAY_MAX) - 1, &day, NULL), 0);
	assert_int_equal(day, KW_CAL_DAY_MAX);
	assert_int_equal(kw_cal_cst_day(kw_cal_day_end_utc(KW_CAL_DAY_MAX), &day, NULL), KW_EINVAL);
}

/* ---- Parsing ---- */

static void bad_dates_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
	        "2026-02-30",  "2026-13-01", "2026-00-10",  "2026-01-00",
	        "2026-01-32",  "2025-02-29", "2026-01-01x", "2026-1-01",
	        " 2026-01-01", "2026/01/01", "0000-01-01",  "+026-01-01",
	        "2026-01-1 ",  "",           "20260101",    "2026-01-01T00:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kw_err err = KW_ERR_INIT;
		int32_t day = 12345;
		assert_int_equal(kw_cal_date_parse(bad[i], strlen(bad[i]), &day, &err), KW_EINVAL);
		assert_string_equal(err.code, "DATE_INVALID");
		assert_null(err.rule);
		assert_int_equal(day, 12345);
		kw_err_release(&err);
	}
	/* a NUL inside the length */
	int32_t day;
	assert_int_equal(kw_cal_date_parse("2026-01-0\0", 10, &day, NULL), KW_EINVAL);
	assert_int_equal(kw_cal_date_parse("2024-02-29", 10, &day, NULL), 0);
	assert_int_equal(kw_cal_date_parse("0001-01-01", 10, &day, NULL), 0);
	assert_int_equal(day, KW_CAL_DAY_MIN);
	assert_int_equal(kw_cal_date_parse("9999-12-31", 10, &day, NULL), 0);
	assert_int_equal(day, KW_CAL_DAY_MAX);
	assert_int_equal(kw_cal_date_parse("2026-10-01", 10, &day, NULL), 0);
	assert_int_equal(day, 20727);
	assert_int_equal(kw_cal_weekday(day), 4); /* a Thursday */
	/* only the given length is read */
	assert_int_equal(kw_cal_date_parse("2026-10-01 and more", 10, &day, NULL), 0);
	assert_int_equal(kw_cal_day_from_ymd(2026, 2, 29, &day, NULL), KW_EINVAL);
	assert_int_equal(kw_cal_month_days(2024, 2), 29);
	assert_int_equal(kw_cal_month_days(1900, 2), 28);
	assert_int_equal(kw_cal_month_days(2000, 2), 29);
}

static void date_round_trip(void **state)
{
	(void)state;
	/* every day of 1999 … 2101 formats and parses back, and weekdays advance by one */
	int32_t from = D("1999-01-01"), to = D("2101-12-31");
	for (int32_t d = from; d <= to; d++) {
		char buf[11];
		int32_t back = 0;
		kw_cal_date_format(d, buf);
		assert_int_equal(kw_cal_date_parse(buf, 10, &back, NULL), 0);
		assert_int_equal(back, d);
		assert_int_equal(kw_cal_weekday(d), (kw_cal_weekday(d - 1) + 1) % 7);
	}
	struct kw_ymd c = kw_cal_ymd(KW_CAL_DAY_MIN);
	assert_int_equal(c.year, 1);
	assert_int_equal(c.month, 1);
	assert_int_equal(c.day, 1);
	char buf[11];
	kw_cal_date_format(KW_CAL_DAY_MAX, buf);
	assert_string_equal(buf, "9999-12-31");
}

/* A CSV refused on line `line`, field `field`. */
static void assert_csv_refused(const char *csv, int line, const char *field)
{
	struct kw_calendar *c = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_calendar_parse(csv, strlen(csv), &c, &err), KW_EINVAL);
	assert_null(c);
	assert_string_equal(err.code, "CALENDAR_ROW_INVALID");
	if (detail_int(&err, "line") != line)
		fail_msg("expected line %d, got %lld: %s", line,
		         (long long)detail_int(&err, "line"), err.msg);
	assert_string_equal(detail_str(&err, "field"), field);
	char want[32];
	snprintf(want, sizeof want, "line %d:", line);
	assert_non_null(strstr(err.msg, want));
	kw_err_release(&err);
}

#define H "date,kind,holiday,source\n"

static void malformed_csv_refused_naming_its_line(void **state)
{
	(void)state;
	assert_csv_refused("", 1, "header");
	assert_csv_refused("date,kind,holiday\n", 1, "header");
	assert_csv_refused("Date,kind,holiday,source\n", 1, "header");
	assert_csv_refused(H "2026-01-01,off,元旦,src\n2026-02-30,off,春节,src\n", 3, "date");
	assert_csv_refused(H "2026-01-01,off,元旦,src\n\n2026-1-2,off,元旦,src\n", 4, "date");
	assert_csv_refused(H "2026-01-01,holiday,元旦,src\n", 2, "kind");
	assert_csv_refused(H "2026-01-01,OFF,元旦,src\n", 2, "kind");
	assert_csv_refused(H "2026-01-05,work,元旦,src\n", 2, "kind"); /* a Monday */
	assert_csv_refused(H "2026-01-01,off,,src\n", 2, "holiday");
	assert_csv_refused(H "2026-01-01,off,元旦,\n", 2, "source");
	assert_csv_refused(H "2026-01-01,off,元旦\n", 2, "fields");
	assert_csv_refused(H "2026-01-01,off,元旦,src,extra\n", 2, "fields");
	assert_csv_refused(H "2026-01-01,off,\"元旦,src\n", 2, "fields");
	assert_csv_refused(H "2026-01-01,off,\"元旦\"x,src\n", 2, "fields");
	assert_csv_refused(H "2026-01-01,off,元\"旦,src\n", 2, "fields");
	assert_csv_refused(H "2026-01-01,off,元旦,src\tx\n", 2, "fields");
	assert_csv_refused(H "2026-01-01,off,a,b\n2026-01-02,off,a,b\n2026-01-01,off,a,b\n", 4,
	                   "date");
	assert_csv_refused(H "2026-01-01 ,off,元旦,src\n", 2, "date");
	assert_csv_refused(H "2026-01-01,off,a,b\r\n2026-01-02,off,a,b\r\r\n", 3, "fields");
	/* a NUL byte in the text */
	struct kw_calendar *c = NULL;
	static const char nul[] = H "2026-01-01,off,a\0,b\n";
	assert_int_equal(kw_calendar_parse(nul, sizeof nul - 1, &c, NULL), KW_EINVAL);
	assert_null(c);
}

static void csv_variants_accepted(void **state)
{
	(void)state;
	/* BOM, CRLF, quoted fields with "" and commas, blank lines, no final newline */
	static const char csv[] = "\xEF\xBB\xBF"
	                          "date,kind,\"holiday\",source\r\n"
	                          "\"2027-01-01\",off,\"元旦, \"\"New Year\"\"\",src\r\n"
	                          "\r\n"
	                          "2027-02-06,\"work\",春节,\"国务院办公厅通知 (2026-11-01)\"";
	struct kw_calendar *c = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_calendar_parse(csv, sizeof csv - 1, &c, &err), 0);
	size_t n = 0;
	const int *y = kw_cal_years(c, &n);
	assert_int_equal(n, 1);
	assert_int_equal(y[0], 2027);
	enum kw_day_kind k = 0;
	assert_int_equal(kw_cal_day_kind(c, D("2027-01-01"), &k, NULL), 0);
	assert_int_equal(k, KW_DAY_OFF);
	assert_int_equal(kw_cal_day_kind(c, D("2027-02-06"), &k, NULL), 0);
	assert_int_equal(k, KW_DAY_MAKEUP);
	assert_int_equal(kw_cal_day_kind(c, D("2027-02-07"), &k, NULL), 0);
	assert_int_equal(k, KW_DAY_WEEKEND);
	kw_calendar_free(c);

	/* a header alone covers no year: every count is refused */
	c = NULL;
	assert_int_equal(kw_calendar_parse(H, strlen(H), &c, NULL), 0);
	kw_cal_years(c, &n);
	assert_int_equal(n, 0);
	bool w;
	assert_year_unknown(kw_cal_is_workday(c, D("2026-03-02"), &w, &err), &err, 2026);
	kw_calendar_free(c);
	kw_calendar_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(dl1_default_calendar_covers_2024_to_2026),
	        cmocka_unit_test(dl1_spring_festival_2026),
	        cmocka_unit_test(dl1_national_day_2026),
	        cmocka_unit_test(dl1_workdays_across_a_holiday_week),
	        cmocka_unit_test(dl1_workdays_counted_from_a_holiday),
	        cmocka_unit_test(dl1_days_ending_on_a_holiday_roll_over),
	        cmocka_unit_test(dl1_months_same_day_or_month_end),
	        cmocka_unit_test(dl1_end_of_period_is_24h_cst),
	        cmocka_unit_test(dl1_year_2027_refused),
	        cmocka_unit_test(dl1_rollover_into_uncovered_year_refused),
	        cmocka_unit_test(dl1_period_length_checked),
	        cmocka_unit_test(bad_dates_refused),
	        cmocka_unit_test(date_round_trip),
	        cmocka_unit_test(malformed_csv_refused_naming_its_line),
	        cmocka_unit_test(csv_variants_accepted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
