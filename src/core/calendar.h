/*
 * The working-day calendar and the counting of legal periods (SPEC DL-1).
 *
 * Pure: no I/O, no clock (times are parameters), no mutable globals. A calendar is built
 * from the text of data/calendar/cn-public-holidays.csv (the State Council's yearly
 * notices on holiday arrangements) and is immutable afterwards, so one calendar may be
 * shared by any number of threads.
 *
 * Days. A day is an `int32_t` day number: the number of days since 1970-01-01 in the
 * proleptic Gregorian calendar (1970-01-01 is 0, 1969-12-31 is -1). Day numbers name civil
 * dates in China Standard Time (UTC+8, no daylight saving): every legal deadline is
 * computed there. Valid dates are 0001-01-01 … 9999-12-31.
 *
 * Instants. An instant is an `int64_t` count of seconds since 1970-01-01T00:00:00Z (UTC,
 * as stored everywhere in kaowu).
 *
 * Kinds of day. A date listed `off` in the calendar is a day off whatever its weekday; a
 * date listed `work` is a make-up working day (调休上班, always a Saturday or Sunday);
 * every other Monday–Friday is a working day and every other Saturday and Sunday is not.
 *
 * Covered years. The calendar covers exactly the years that have at least one row. No
 * function guesses about any other year: every day a count passes over after its start
 * day, every day it classifies and every day it returns must lie in a covered year, or
 * the function fails with KW_ERULE, code CALENDAR_YEAR_UNKNOWN, rule DL-1 and
 * details {"year": Y} (the first uncovered year the count would enter). The start day of a
 * count is not counted and may lie in any year.
 *
 * Counting (DL-1):
 *  - the start day (the day the event happens) is not counted;
 *  - a period of N days ends on day start + N; a period of N months ends on the
 *    same-numbered day of the N-th following month, or on that month's last day when it
 *    has no such day (01-31 + 1 month → 02-28, or 02-29 in a leap year);
 *  - when that last day is not a working day, the period ends on the next working day;
 *  - N working days end on the N-th working day after the start day, whatever kind of
 *    day the start day is;
 *  - a period ends at 24:00 CST of its last day (= 16:00 UTC of that date);
 *  - hours are clock hours: N hours after an instant is that instant + N × 3600 s, with
 *    no calendar involved.
 */
#ifndef KW_CORE_CALENDAR_H
#define KW_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Name of the embedded data file (cmake kw_embed) the default calendar is parsed from. */
#define KW_CALENDAR_FILE "cn-public-holidays.csv"

/* The largest period kw_cal_* accept, in any unit (periods are 1 … this). */
#define KW_CAL_PERIOD_MAX 100000

/* Day numbers of 0001-01-01 and 9999-12-31. */
#define KW_CAL_DAY_MIN (-719162)
#define KW_CAL_DAY_MAX 2932896

/* UTC offset of China Standard Time, in seconds. */
#define KW_CAL_CST_OFFSET INT64_C(28800) /* 8 hours */

struct kw_calendar;

struct kw_ymd {
	int year;  /* 1 … 9999 */
	int month; /* 1 … 12 */
	int day;   /* 1 … 31 */
};

enum kw_day_kind {
	KW_DAY_WORKDAY = 1, /* a Monday–Friday not listed: working day */
	KW_DAY_WEEKEND,     /* a Saturday or Sunday not listed: not a working day */
	KW_DAY_OFF,         /* listed `off` (holiday or shifted day off): not a working day */
	KW_DAY_MAKEUP,      /* listed `work` (调休上班, a Saturday or Sunday): working day */
};

enum kw_cal_unit {
	KW_CAL_HOURS = 1,
	KW_CAL_DAYS,
	KW_CAL_MONTHS,
	KW_CAL_WORKDAYS,
};

/* ---- The calendar object ---- */

/*
 * Builds a calendar from CSV text (UTF-8, optional BOM, LF or CRLF line ends). The first
 * line must be the header `date,kind,holiday,source`; each further line is one row:
 * date YYYY-MM-DD (each date at most once), kind `off` or `work` (`work` only on a
 * Saturday or Sunday), holiday and source non-empty. Fields may be double-quoted
 * (RFC 4180, "" for a quote) but may not span lines. Empty lines are ignored.
 * On success *out is a new calendar (free with kw_calendar_free) and 0 is returned;
 * otherwise *out is untouched and KW_EINVAL is returned with code CALENDAR_ROW_INVALID and
 * details {"line": L, "field": F} (F is one of header, fields, date, kind, holiday,
 * source; line numbers count from 1, the header being line 1).
 */
int kw_calendar_parse(const char *csv, size_t len, struct kw_calendar **out, struct kw_err *err);

/* Frees a calendar from kw_calendar_parse; NULL is a no-op. */
void kw_calendar_free(struct kw_calendar *cal);

/*
 * The calendar of the embedded data file, parsed on first use (thread-safe, once per
 * process) and never freed. NULL only when the embedded file is missing or broken, a
 * build defect that the unit tests catch.
 */
const struct kw_calendar *kw_calendar_default(void);

/* Does the calendar cover `year` (has it at least one row in that year)? */
bool kw_cal_covers(const struct kw_calendar *cal, int year);

/* The covered years, ascending, as a borrowed array; *n gets their count (may be 0). */
const int *kw_cal_years(const struct kw_calendar *cal, size_t *n);

/* ---- Dates (no calendar needed) ---- */

/*
 * Parses exactly `YYYY-MM-DD` (len bytes, no NUL needed, nothing before or after) naming a
 * real date in 0001 … 9999. Fails with KW_EINVAL, code DATE_INVALID.
 */
int kw_cal_date_parse(const char *s, size_t len, int32_t *day, struct kw_err *err);

/* Writes day as `YYYY-MM-DD` and a NUL into out. Precondition: a valid day number. */
void kw_cal_date_format(int32_t day, char out[11]);

/* The day number of a real date in 0001 … 9999; KW_EINVAL, code DATE_INVALID, otherwise. */
int kw_cal_day_from_ymd(int year, int month, int day, int32_t *out, struct kw_err *err);

/* The civil date of a day number (any int32_t; years outside 1 … 9999 are extrapolated). */
struct kw_ymd kw_cal_ymd(int32_t day);

/* 0 = Sunday, 1 = Monday … 6 = Saturday. */
int kw_cal_weekday(int32_t day);

/* Days in a month (1 … 12) of a year, leap years per the Gregorian rule. */
int kw_cal_month_days(int year, int month);

/* ---- Instants and CST dates (no calendar needed) ---- */

/*
 * The CST (UTC+8) date of a UTC instant. Fails with KW_EINVAL, code DATE_INVALID, when
 * that date is outside 0001 … 9999.
 */
int kw_cal_cst_day(int64_t utc, int32_t *day, struct kw_err *err);

/* The instant 00:00 CST starting `day` (= 16:00 UTC of the day before). */
int64_t kw_cal_day_start_utc(int32_t day);

/* The end of a period whose last day is `day`: 24:00 CST of that day = 16:00 UTC of it. */
int64_t kw_cal_day_end_utc(int32_t day);

/*
 * *out = utc + hours × 3600 (clock hours). hours must be 1 … KW_CAL_PERIOD_MAX (else
 * KW_EINVAL, code PERIOD_INVALID, details {"n", "max"}); the result must fall in
 * 0001 … 9999 (else DATE_INVALID).
 */
int kw_cal_add_hours(int64_t utc, int hours, int64_t *out, struct kw_err *err);

/* ---- Counting on the calendar (DL-1) ---- */

/*
 * What kind of day `day` is. Fails with CALENDAR_YEAR_UNKNOWN (KW_ERULE, rule DL-1) when
 * the calendar does not cover the day's year.
 */
int kw_cal_day_kind(const struct kw_calendar *cal, int32_t day, enum kw_day_kind *kind,
                    struct kw_err *err);

/* *workday = whether `day` is a working day; as kw_cal_day_kind for uncovered years. */
int kw_cal_is_workday(const struct kw_calendar *cal, int32_t day, bool *workday,
                      struct kw_err *err);

/* The first working day on or after `day` (covered years only). */
int kw_cal_next_workday(const struct kw_calendar *cal, int32_t day, int32_t *out,
                        struct kw_err *err);

/*
 * The last day of a period of n days (1 … KW_CAL_PERIOD_MAX) after `start`: start + n,
 * moved to the next working day when it is not one. Errors: PERIOD_INVALID (KW_EINVAL),
 * CALENDAR_YEAR_UNKNOWN (KW_ERULE) when a day in (start, result] lies in an uncovered year.
 */
int kw_cal_add_days(const struct kw_calendar *cal, int32_t start, int n, int32_t *last,
                    struct kw_err *err);

/*
 * The last day of a period of n months (1 … KW_CAL_PERIOD_MAX) after `start`: the
 * same-numbered day of the n-th following month, or that month's last day when it has
 * none, moved to the next working day when it is not one. Errors as kw_cal_add_days.
 */
int kw_cal_add_months(const struct kw_calendar *cal, int32_t start, int n, int32_t *last,
                      struct kw_err *err);

/*
 * The n-th working day (n = 1 … KW_CAL_PERIOD_MAX) after `start`, whatever kind of day
 * `start` is (start itself is never counted). Errors as kw_cal_add_days.
 */
int kw_cal_add_workdays(const struct kw_calendar *cal, int32_t start, int n, int32_t *last,
                        struct kw_err *err);

/*
 * The instant a period of n units that starts with an event at `event_utc` ends:
 *  - KW_CAL_HOURS: event_utc + n hours;
 *  - KW_CAL_DAYS / MONTHS / WORKDAYS: the event's CST date is the start day; the period's
 *    last day per kw_cal_add_days / _months / _workdays; the end is 24:00 CST of it.
 * Errors as the functions it uses (an unknown unit is a bug: KW_EINTERNAL, code INTERNAL).
 */
int kw_cal_period_end(const struct kw_calendar *cal, enum kw_cal_unit unit, int64_t event_utc,
                      int n, int64_t *end_utc, struct kw_err *err);

#endif
