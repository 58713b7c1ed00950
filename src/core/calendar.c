/*
 * The working-day calendar and DL-1's counting of periods. See calendar.h for the
 * conventions; docs/calendar.md for worked examples.
 *
 * Internally days and years are int64_t so that no sum of a day number and a period can
 * overflow; only days inside covered years (hence inside 0001 … 9999) are ever returned.
 */
#include "core/calendar.h"

#include <csv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/embed.h"

/* kinds[] values of a covered year; 0 = not listed (plain week) */
enum { LISTED_OFF = 1, LISTED_WORK = 2 };

struct kw_calendar {
	size_t nyears;
	int *years;            /* ascending */
	uint8_t (*kinds)[366]; /* kinds[i][day of year - 1] for years[i] */
};

/* ---- Civil dates (H. Hinnant's algorithms, proleptic Gregorian) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t year_of(int64_t day)
{
	int64_t y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	return y;
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (4) */
	int64_t w = (day + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int kw_cal_month_days(int year, int month)
{
	return month_days(year, month);
}

int kw_cal_weekday(int32_t day)
{
	return weekday(day);
}

struct kw_ymd kw_cal_ymd(int32_t day)
{
	struct kw_ymd r;
	int64_t y;
	civil_from_days(day, &y, &r.month, &r.day);
	r.year = (int)y;
	return r;
}

static int date_invalid(struct kw_err *err)
{
	return kw_err_set(err, KW_EINVAL, "DATE_INVALID", NULL,
	                  "not a real date in 0001-01-01 … 9999-12-31 written YYYY-MM-DD");
}

int kw_cal_day_from_ymd(int year, int month, int day, int32_t *out, struct kw_err *err)
{
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
	    day > month_days(year, month))
		return date_invalid(err);
	*out = (int32_t)days_from_civil(year, month, day);
	return 0;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int kw_cal_date_parse(const char *s, size_t len, int32_t *day, struct kw_err *err)
{
	if (!s || len != 10 || s[4] != '-' || s[7] != '-')
		return date_invalid(err);
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return date_invalid(err);
	return kw_cal_day_from_ymd(y, m, d, day, err);
}

void kw_cal_date_format(int32_t day, char out[11])
{
	struct kw_ymd c = kw_cal_ymd(day);
	int v[3] = {c.year, c.month, c.day};
	int w[3] = {4, 2, 2};
	char *p = out;
	for (int i = 0; i < 3; i++) {
		if (i)
			*p++ = '-';
		unsigned u = (unsigned)v[i] % (i ? 100u : 10000u);
		for (int k = w[i] - 1; k >= 0; k--) {
			p[k] = (char)('0' + u % 10);
			u /= 10;
		}
		p += w[i];
	}
	*p = '\0';
}

/* ---- Instants ---- */

int64_t kw_cal_day_start_utc(int32_t day)
{
	return (int64_t)day * 86400 - KW_CAL_CST_OFFSET;
}

int64_t kw_cal_day_end_utc(int32_t day)
{
	return kw_cal_day_start_utc(day) + 86400;
}

int kw_cal_cst_day(int64_t utc, int32_t *day, struct kw_err *err)
{
	/* floor((utc + offset) / 86400) without overflow near INT64_MAX */
	int64_t q = utc / 86400, r = utc % 86400;
	if (r < 0) {
		r += 86400;
		q--;
	}
	if (r + KW_CAL_CST_OFFSET >= 86400)
		q++;
	if (q < KW_CAL_DAY_MIN || q > KW_CAL_DAY_MAX)
		return date_invalid(err);
	*day = (int32_t)q;
	return 0;
}

static int period_invalid(struct kw_err *err, int n)
{
	int rc = kw_err_set(err, KW_EINVAL, "PERIOD_INVALID", NULL,
	                    "a period must be 1 … %d units long, not %d", KW_CAL_PERIOD_MAX, n);
	kw_err_detail(err, "n", json_integer(n));
	kw_err_detail(err, "max", json_integer(KW_CAL_PERIOD_MAX));
	return rc;
}

int kw_cal_add_hours(int64_t utc, int hours, int64_t *out, struct kw_err *err)
{
	if (hours < 1 || hours > KW_CAL_PERIOD_MAX)
		return period_invalid(err, hours);
	int64_t lo = kw_cal_day_start_utc(KW_CAL_DAY_MIN);
	int64_t hi = kw_cal_day_end_utc(KW_CAL_DAY_MAX) - 1;
	int64_t add = (int64_t)hours * 3600;
	if (utc < lo || utc > hi || utc > hi - add)
		return date_invalid(err);
	*out = utc + add;
	return 0;
}

/* ---- The calendar object ---- */

void kw_calendar_free(struct kw_calendar *cal)
{
	if (!cal)
		return;
	free(cal->years);
	free(cal->kinds);
	free(cal);
}

/* Index of year in cal->years, or -1. */
static ptrdiff_t year_index(const struct kw_calendar *cal, int64_t year)
{
	size_t lo = 0, hi = cal->nyears;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->years[mid] == year)
			return (ptrdiff_t)mid;
		if (cal->years[mid] < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

bool kw_cal_covers(const struct kw_calendar *cal, int year)
{
	return year_index(cal, year) >= 0;
}

const int *kw_cal_years(const struct kw_calendar *cal, size_t *n)
{
	*n = cal->nyears;
	return cal->years;
}

/* The listed kinds of a covered year, or NULL. */
static const uint8_t *year_kinds(const struct kw_calendar *cal, int64_t year)
{
	ptrdiff_t i = year_index(cal, year);
	return i < 0 ? NULL : cal->kinds[i];
}

/* ---- CSV ---- */

struct row {
	int32_t day;
	uint8_t kind;
	int line;
};

enum { NFIELDS = 4, SMALL = 16 };

/* One field of a row: its unquoted length, and its first SMALL-1 unquoted bytes. */
struct field {
	size_t len;
	char head[SMALL];
};

/*
 * The state libcsv's callbacks share while it tokenises the text.
 *
 * Lines. With CSV_REPALL_NL libcsv ends a row at every unquoted CR and every unquoted LF,
 * blank lines included, so each unquoted LF is one line end. A CR or LF inside quotes
 * reaches a field, where it is a control character: the row is refused on the line it
 * started on, so no field spans lines. A row ended by a CR is held until the LF of its
 * CRLF arrives; anything else after the CR (a bare CR) is refused.
 */
struct parse {
	struct kw_err *err;
	int rc;      /* the first error; every report after it is ignored */
	int line;    /* the line the current row started on (1 = the header) */
	int nfields; /* fields of the current row so far, counted up to NFIELDS + 1 */
	struct field f[NFIELDS];
	const char *bad; /* why a field of the current row is refused (a control character) */
	bool cr;         /* the current row ended with a CR whose LF is still to come */
	bool header;     /* line 1 was checked */
	struct row *rows;
	size_t nrows, alloc;
};

static int row_error(struct kw_err *err, int line, const char *field, const char *why)
{
	int rc = kw_err_set(err, KW_EINVAL, "CALENDAR_ROW_INVALID", NULL,
	                    "calendar CSV line %d: %s", line, why);
	kw_err_detail(err, "line", json_integer(line));
	kw_err_detail(err, "field", json_string(field));
	return rc;
}

static int header_error(struct kw_err *err)
{
	return row_error(err, 1, "header", "the first line must be date,kind,holiday,source");
}

/* The current line is not CSV of our dialect (on line 1: not the header). */
static void malformed(struct parse *ps, const char *why)
{
	ps->rc =
	        ps->line == 1 ? header_error(ps->err) : row_error(ps->err, ps->line, "fields", why);
}

static bool has_control(const char *p, const char *end)
{
	for (; p < end; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int parse_row(const struct parse *ps, struct row *row, struct kw_err *err)
{
	const struct field *f = ps->f;
	int line = ps->line;
	if (ps->bad)
		return row_error(err, line, "fields", ps->bad);
	if (ps->nfields != NFIELDS)
		return row_error(err, line, "fields",
		                 "expected 4 comma-separated fields: date,kind,holiday,source");
	if (f[0].len != 10 || kw_cal_date_parse(f[0].head, 10, &row->day, NULL))
		return row_error(err, line, "date", "date is not a real YYYY-MM-DD date");
	if (f[1].len == 3 && strcmp(f[1].head, "off") == 0)
		row->kind = LISTED_OFF;
	else if (f[1].len == 4 && strcmp(f[1].head, "work") == 0)
		row->kind = LISTED_WORK;
	else
		return row_error(err, line, "kind", "kind must be off or work");
	int wd = weekday(row->day);
	if (row->kind == LISTED_WORK && wd != 0 && wd != 6)
		return row_error(err, line, "kind",
		                 "a make-up working day (work) must be a Saturday or Sunday");
	if (f[2].len == 0)
		return row_error(err, line, "holiday", "holiday is empty");
	if (f[3].len == 0)
		return row_error(err, line, "source", "source is empty");
	row->line = line;
	return 0;
}

static int check_header(const struct parse *ps, struct kw_err *err)
{
	static const char *const names[NFIELDS] = {"date", "kind", "holiday", "source"};
	if (ps->bad || ps->nfields != NFIELDS)
		return header_error(err);
	for (int i = 0; i < NFIELDS; i++)
		if (ps->f[i].len != strlen(names[i]) || strcmp(ps->f[i].head, names[i]) != 0)
			return header_error(err);
	return 0;
}

/* The current row is complete: check it (on line 1, as the header) and keep it. */
static void end_row(struct parse *ps)
{
	if (ps->line == 1) {
		ps->rc = check_header(ps, ps->err);
		ps->header = true;
	} else if (ps->nfields > 0) { /* no fields: a blank line */
		struct row r = {0, 0, 0};
		ps->rc = parse_row(ps, &r, ps->err);
		if (ps->rc == 0) {
			if (ps->nrows == ps->alloc) {
				ps->alloc = ps->alloc ? ps->alloc * 2 : 128;
				ps->rows = kw_xrealloc(ps->rows, ps->alloc * sizeof *ps->rows);
			}
			ps->rows[ps->nrows++] = r;
		}
	}
	ps->nfields = 0;
	ps->bad = NULL;
}

/* libcsv field callback: s is the unquoted field, len bytes (NUL-terminated, may hold NULs). */
static void on_field(void *s, size_t len, void *data)
{
	struct parse *ps = data;
	const char *p = s;
	if (ps->rc)
		return;
	if (ps->cr) {
		malformed(ps, "control character in the line (a CR not followed by LF)");
		return;
	}
	if (!ps->bad && has_control(p, p + len))
		ps->bad = memchr(p, '\n', len) || memchr(p, '\r', len)
		                  ? "a quoted field spans lines"
		                  : "control character in the line";
	if (ps->nfields < NFIELDS) {
		struct field *f = &ps->f[ps->nfields];
		size_t k = len < SMALL - 1 ? len : SMALL - 1;
		f->len = len;
		memcpy(f->head, p, k);
		f->head[k] = '\0';
	}
	if (ps->nfields <= NFIELDS)
		ps->nfields++;
}

/* libcsv row callback: c is the CR or LF that ended the row, or -1 at the end of the text. */
static void on_row(int c, void *data)
{
	struct parse *ps = data;
	if (ps->rc)
		return;
	if (ps->cr) {
		/* after a CR only its LF may come: a row with no fields */
		if (c != '\n') {
			malformed(ps, "control character in the line (a CR not followed by LF)");
			return;
		}
		ps->cr = false;
	} else if (c == '\r') {
		ps->cr = true; /* the row is checked when its LF arrives */
		return;
	}
	end_row(ps);
	if (ps->rc == 0 && c == '\n')
		ps->line++;
}

/* libcsv stopped (csv_parse short, or csv_fini failed): record why, unless already known. */
static void parser_failed(struct parse *ps, struct csv_parser *parser, const char *why)
{
	if (ps->rc)
		return;
	if (csv_error(parser) == CSV_EPARSE)
		malformed(ps, why);
	else
		ps->rc = kw_err_set(ps->err, KW_EINTERNAL, "INTERNAL", NULL, "libcsv: %s",
		                    csv_strerror(csv_error(parser)));
}

/* Spaces and tabs are data: libcsv would otherwise trim them around unquoted fields. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int kw_calendar_parse(const char *csv, size_t len, struct kw_calendar **out, struct kw_err *err)
{
	int rc = 0;
	struct parse ps = {.err = err, .line = 1};
	struct csv_parser parser;
	bool parser_ready = false;
	struct kw_calendar *cal = NULL;
	const struct row *rows = NULL;
	size_t nrows = 0;

	if (!csv) {
		csv = "";
		len = 0;
	}
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0) {
		csv += 3;
		len -= 3;
	}
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) !=
	    0) {
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "libcsv: csv_init failed");
		goto out;
	}
	parser_ready = true;
	csv_set_space_func(&parser, no_space);
	csv_set_realloc_func(&parser, kw_xrealloc); /* out of memory aborts, as everywhere */
	if (csv_parse(&parser, csv, len, on_field, on_row, &ps) != len)
		parser_failed(&ps, &parser,
		              "a quote inside an unquoted field, or text after a closing quote");
	if (ps.rc == 0 && csv_fini(&parser, on_field, on_row, &ps) != 0)
		parser_failed(&ps, &parser, "a quoted field is not closed on its line");
	if (ps.rc == 0 && ps.cr) { /* a CR ends the text: the last line's end */
		ps.cr = false;
		end_row(&ps);
	}
	if (ps.rc == 0 && !ps.header)
		ps.rc = header_error(err); /* an empty text */
	rc = ps.rc;
	if (rc)
		goto out;

	rows = ps.rows;
	nrows = ps.nrows;
	cal = kw_xcalloc(1, sizeof *cal);
	if (nrows) {
		int *ys = kw_xmalloc(nrows * sizeof *ys);
		for (size_t i = 0; i < nrows; i++)
			ys[i] = kw_cal_ymd(rows[i].day).year;
		qsort(ys, nrows, sizeof *ys, cmp_int);
		size_t k = 0;
		for (size_t i = 0; i < nrows; i++)
			if (k == 0 || ys[k - 1] != ys[i])
				ys[k++] = ys[i];
		cal->nyears = k;
		cal->years = kw_xrealloc(ys, k * sizeof *ys);
		cal->kinds = kw_xcalloc(k, sizeof *cal->kinds);
	}
	for (size_t i = 0; i < nrows; i++) {
		int year = kw_cal_ymd(rows[i].day).year;
		uint8_t *kinds = cal->kinds[year_index(cal, year)];
		int64_t doy = rows[i].day - days_from_civil(year, 1, 1);
		if (kinds[doy]) {
			rc = row_error(err, rows[i].line, "date", "the date is listed twice");
			goto out;
		}
		kinds[doy] = rows[i].kind;
	}
	*out = cal;
	cal = NULL;
out:
	if (parser_ready)
		csv_free(&parser);
	kw_calendar_free(cal);
	free(ps.rows);
	return rc;
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static struct kw_calendar *default_cal; /* written once, under default_once */

static void default_load(void)
{
	const struct kw_embedded *e = kw_embedded_find(KW_CALENDAR_FILE);
	struct kw_calendar *cal = NULL;
	if (e && kw_calendar_parse(e->data, e->len, &cal, NULL) == 0)
		default_cal = cal;
}

const struct kw_calendar *kw_calendar_default(void)
{
	if (pthread_once(&default_once, default_load) != 0)
		return NULL;
	return default_cal;
}

/* ---- Counting ---- */

static int year_unknown(struct kw_err *err, int64_t year)
{
	int rc = kw_err_set(err, KW_ERULE, "CALENDAR_YEAR_UNKNOWN", "DL-1",
	                    "the calendar has no holiday arrangements for %lld: load the "
	                    "State Council's notice for that year",
	                    (long long)year);
	kw_err_detail(err, "year", json_integer(year));
	return rc;
}

static int classify(const struct kw_calendar *cal, int64_t day, enum kw_day_kind *kind,
                    struct kw_err *err)
{
	int64_t year = year_of(day);
	const uint8_t *kinds = year_kinds(cal, year);
	if (!kinds)
		return year_unknown(err, year);
	switch (kinds[day - days_from_civil(year, 1, 1)]) {
	case LISTED_OFF:
		*kind = KW_DAY_OFF;
		break;
	case LISTED_WORK:
		*kind = KW_DAY_MAKEUP;
		break;
	default: {
		int wd = weekday(day);
		*kind = wd == 0 || wd == 6 ? KW_DAY_WEEKEND : KW_DAY_WORKDAY;
	}
	}
	return 0;
}

static bool working(enum kw_day_kind k)
{
	return k == KW_DAY_WORKDAY || k == KW_DAY_MAKEUP;
}

int kw_cal_day_kind(const struct kw_calendar *cal, int32_t day, enum kw_day_kind *kind,
                    struct kw_err *err)
{
	return classify(cal, day, kind, err);
}

int kw_cal_is_workday(const struct kw_calendar *cal, int32_t day, bool *workday, struct kw_err *err)
{
	enum kw_day_kind k = KW_DAY_WORKDAY;
	int rc = classify(cal, day, &k, err);
	if (rc == 0)
		*workday = working(k);
	return rc;
}

/* The first working day on or after day. */
static int roll(const struct kw_calendar *cal, int64_t day, int64_t *out, struct kw_err *err)
{
	for (;; day++) {
		enum kw_day_kind k = KW_DAY_WORKDAY;
		int rc = classify(cal, day, &k, err);
		if (rc)
			return rc;
		if (working(k))
			break;
	}
	*out = day;
	return 0;
}

int kw_cal_next_workday(const struct kw_calendar *cal, int32_t day, int32_t *out,
                        struct kw_err *err)
{
	int64_t d = 0;
	int rc = roll(cal, day, &d, err);
	if (rc == 0)
		*out = (int32_t)d;
	return rc;
}

/* Every year holding a day of [from, to] must be covered. */
static int check_span(const struct kw_calendar *cal, int64_t from, int64_t to, struct kw_err *err)
{
	for (int64_t y = year_of(from), last = year_of(to); y <= last; y++)
		if (!year_kinds(cal, y))
			return year_unknown(err, y);
	return 0;
}

/* Rolls `target` (a day after start) to a working day and stores it. */
static int finish(const struct kw_calendar *cal, int32_t start, int64_t target, int32_t *last,
                  struct kw_err *err)
{
	int64_t d = 0;
	int rc = check_span(cal, (int64_t)start + 1, target, err);
	if (rc == 0)
		rc = roll(cal, target, &d, err);
	if (rc == 0)
		*last = (int32_t)d;
	return rc;
}

int kw_cal_add_days(const struct kw_calendar *cal, int32_t start, int n, int32_t *last,
                    struct kw_err *err)
{
	if (n < 1 || n > KW_CAL_PERIOD_MAX)
		return period_invalid(err, n);
	return finish(cal, start, (int64_t)start + n, last, err);
}

int kw_cal_add_months(const struct kw_calendar *cal, int32_t start, int n, int32_t *last,
                      struct kw_err *err)
{
	if (n < 1 || n > KW_CAL_PERIOD_MAX)
		return period_invalid(err, n);
	int64_t y;
	int m, d;
	civil_from_days(start, &y, &m, &d);
	int64_t months = (int64_t)(m - 1) + n;
	y += months / 12;
	m = (int)(months % 12) + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return finish(cal, start, days_from_civil(y, m, d), last, err);
}

int kw_cal_add_workdays(const struct kw_calendar *cal, int32_t start, int n, int32_t *last,
                        struct kw_err *err)
{
	if (n < 1 || n > KW_CAL_PERIOD_MAX)
		return period_invalid(err, n);
	int64_t day = start;
	for (int count = 0; count < n;) {
		enum kw_day_kind k = KW_DAY_WORKDAY;
		int rc = classify(cal, ++day, &k, err);
		if (rc)
			return rc;
		if (working(k))
			count++;
	}
	*last = (int32_t)day;
	return 0;
}

int kw_cal_period_end(const struct kw_calendar *cal, enum kw_cal_unit unit, int64_t event_utc,
                      int n, int64_t *end_utc, struct kw_err *err)
{
	int32_t start = 0, last = 0;
	int rc;
	if (unit == KW_CAL_HOURS)
		return kw_cal_add_hours(event_utc, n, end_utc, err);
	rc = kw_cal_cst_day(event_utc, &start, err);
	if (rc)
		goto out;
	switch (unit) {
	case KW_CAL_DAYS:
		rc = kw_cal_add_days(cal, start, n, &last, err);
		break;
	case KW_CAL_MONTHS:
		rc = kw_cal_add_months(cal, start, n, &last, err);
		break;
	case KW_CAL_WORKDAYS:
		rc = kw_cal_add_workdays(cal, start, n, &last, err);
		break;
	default:
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "unknown period unit %d",
		                (int)unit);
		break;
	}
	if (rc == 0)
		*end_utc = kw_cal_day_end_utc(last);
out:
	return rc;
}
