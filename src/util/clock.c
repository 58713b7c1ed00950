#include "util/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/err.h"

static _Atomic int64_t fixed_us;

int64_t kw_clock_now_us(void)
{
	int64_t f = atomic_load_explicit(&fixed_us, memory_order_relaxed);
	if (f)
		return f;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void kw_clock_set_us(int64_t us)
{
#ifdef KW_TESTING
	atomic_store(&fixed_us, us);
#else
	(void)us;
#endif
}

void kw_clock_format(int64_t us, char out[32])
{
	int64_t secs = us / 1000000, frac = us % 1000000;
	if (frac < 0) {
		frac += 1000000;
		secs -= 1;
	}
	time_t t = (time_t)secs;
	struct tm tm;
	gmtime_r(&t, &tm);
	/* The modulos only tell the compiler the ranges gmtime_r already guarantees. */
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ",
	         (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	         (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
	         (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, (unsigned)frac % 1000000u);
}

void kw_clock_china_date(int64_t us, char out[11])
{
	char t[32];
	kw_clock_format(us + INT64_C(8) * 3600 * 1000000, t);
	memcpy(out, t, 10);
	out[10] = '\0';
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int kw_clock_parse(const char *s, int64_t *us)
{
	int y, mo, d, h, mi, se;
	size_t n = strlen(s);
	if (n < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
		return KW_EINVAL;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 59)
		return KW_EINVAL;
	const char *p = s + 19;
	int64_t frac = 0;
	if (*p == '.') {
		int nd = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (nd < 6) {
				frac = frac * 10 + (*p - '0');
				nd++;
			}
			p++;
		}
		if (nd == 0)
			return KW_EINVAL;
		while (nd++ < 6)
			frac *= 10;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return KW_EINVAL;
		off = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return KW_EINVAL;
	}
	if (*p)
		return KW_EINVAL;
	/* days from civil (Howard Hinnant's algorithm) */
	int yy = y - (mo <= 2);
	int era = yy / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	*us = ((days * 86400 + h * 3600 + mi * 60 + se) - off) * 1000000 + frac;
	return 0;
}

int64_t kw_clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int kw_clock_china_day(const char *date, int days, int64_t *us)
{
	char t[40];
	if (!date)
		return KW_EINVAL;
	snprintf(t, sizeof t, "%.10sT00:00:00+08:00", date);
	if (kw_clock_parse(t, us))
		return KW_EINVAL;
	*us += (int64_t)days * 86400 * 1000000;
	return 0;
}
