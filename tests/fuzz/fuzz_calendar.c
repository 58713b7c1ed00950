/* libFuzzer target: the working-day calendar's CSV parser, then a few counts on the result. */
#include <stdint.h>
#include <stdlib.h>

#include "core/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kw_err err = KW_ERR_INIT;
	struct kw_calendar *cal = NULL;
	if (kw_calendar_parse((const char *)data, size, &cal, &err) == 0) {
		size_t n = 0;
		const int *years = kw_cal_years(cal, &n);
		for (size_t i = 0; i < n; i++) {
			int32_t first = 0, last = 0;
			enum kw_day_kind kind = KW_DAY_WORKDAY;
			bool workday = false;
			int64_t end = 0;
			if (!kw_cal_covers(cal, years[i]) ||
			    kw_cal_day_from_ymd(years[i], 1, 1, &first, NULL) != 0)
				abort(); /* a listed year is covered and a real year */
			kw_cal_day_kind(cal, first, &kind, &err);
			kw_cal_is_workday(cal, first + 40, &workday, &err);
			kw_cal_next_workday(cal, first, &last, &err);
			kw_cal_add_days(cal, first, 10, &last, &err);
			kw_cal_add_months(cal, first, 1, &last, &err);
			kw_cal_add_workdays(cal, first, 20, &last, &err);
			kw_cal_period_end(cal, KW_CAL_WORKDAYS, kw_cal_day_start_utc(first), 5,
			                  &end, &err);
		}
		kw_calendar_free(cal);
	}
	kw_err_release(&err);
	return 0;
}
