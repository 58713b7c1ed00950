/* kaowu calendar: the working-day calendar and DL-1's period counting, from the shell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"

static const char *kind_name(enum kw_day_kind k, int en)
{
	switch (k) {
	case KW_DAY_WORKDAY:
		return en ? "working day" : "工作日";
	case KW_DAY_WEEKEND:
		return en ? "weekend" : "周末";
	case KW_DAY_OFF:
		return en ? "public holiday (day off)" : "法定节假日（休息）";
	case KW_DAY_MAKEUP:
		return en ? "make-up working day" : "调休上班日";
	}
	return "?";
}

static int parse_n(const char *s, int *n)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > KW_CAL_PERIOD_MAX)
		return -1;
	*n = (int)v;
	return 0;
}

int cmd_calendar(int argc, char **argv)
{
	int en = kw_cli_en();
	const char *sub = argc > 1 ? argv[1] : "";
	int want = strcmp(sub, "day") == 0 ? 3 : 4;
	if (argc != want || (strcmp(sub, "day") && strcmp(sub, "add-days") &&
	                     strcmp(sub, "add-months") && strcmp(sub, "add-workdays")))
		return kw_cli_usage(
		        "calendar",
		        en ? "expected: day DATE | add-days|add-months|add-workdays DATE N"
		           : "应为：day 日期 | add-days|add-months|add-workdays 日期 N");
	const struct kw_calendar *cal = kw_calendar_default();
	struct kw_err err = KW_ERR_INIT;
	int32_t day = 0, last = 0;
	int n = 0, rc;
	if (!cal) {
		kw_err_set(&err, KW_EINTERNAL, "INTERNAL", NULL, "the embedded calendar is broken");
		return kw_cli_fail("calendar", &err);
	}
	rc = kw_cal_date_parse(argv[2], strlen(argv[2]), &day, &err);
	if (rc) {
		kw_cli_fail("calendar", &err);
		kw_err_release(&err);
		return KW_EXIT_USAGE;
	}
	if (want == 4 && parse_n(argv[3], &n))
		return kw_cli_usage("calendar",
		                    en ? "N must be a whole number from 1 to %d"
		                       : "N 应为 1 到 %d 之间的整数",
		                    KW_CAL_PERIOD_MAX);
	enum kw_day_kind kind = KW_DAY_WORKDAY;
	if (strcmp(sub, "day") == 0)
		rc = kw_cal_day_kind(cal, day, &kind, &err);
	else if (strcmp(sub, "add-days") == 0)
		rc = kw_cal_add_days(cal, day, n, &last, &err);
	else if (strcmp(sub, "add-months") == 0)
		rc = kw_cal_add_months(cal, day, n, &last, &err);
	else
		rc = kw_cal_add_workdays(cal, day, n, &last, &err);
	if (!rc && want == 4)
		rc = kw_cal_day_kind(cal, last, &kind, &err);
	if (rc) {
		kw_cli_fail("calendar", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	char out[11];
	if (want == 3) {
		kw_cal_date_format(day, out);
		printf("%s %s\n", out, kind_name(kind, en));
		return KW_EXIT_OK;
	}
	/* The period ends at 24:00 China Standard Time of its last day (DL-1). */
	kw_cal_date_format(last, out);
	printf(en ? "%s (%s), ending 24:00 China Standard Time\n"
	          : "%s（%s），北京时间 24:00 截止\n",
	       out, kind_name(kind, en));
	return KW_EXIT_OK;
}
