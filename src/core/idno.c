#include "core/idno.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum kw_idno_type t;
} names[] = {
        {"resident_id", KW_IDNO_RESIDENT},
        {"social_security", KW_IDNO_SOCIAL_SECURITY},
        {"foreigner_pr", KW_IDNO_FOREIGNER_PR},
        {"other", KW_IDNO_OTHER},
};

enum kw_idno_type kw_idno_type_of(const char *name)
{
	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].t;
	return 0;
}

const char *kw_idno_type_name(enum kw_idno_type t)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].t == t)
			return names[i].name;
	return NULL;
}

const char *kw_idno_problem(int rc)
{
	switch (rc) {
	case KW_IDNO_EEMPTY:
		return "empty";
	case KW_IDNO_ELENGTH:
		return "length";
	case KW_IDNO_ECHARS:
		return "chars";
	case KW_IDNO_EREGION:
		return "region";
	case KW_IDNO_EBIRTH:
		return "birth_date";
	case KW_IDNO_ECHECK:
		return "check_digit";
	}
	return "invalid";
}

/* GB/T 2260 province-level codes of the mainland (71 Taiwan, 81 Hong Kong and 82 Macau
 * residents hold other documents). */
static int province_ok(const char *two)
{
	static const char *const p[] = {"11", "12", "13", "14", "15", "21", "22", "23",
	                                "31", "32", "33", "34", "35", "36", "37", "41",
	                                "42", "43", "44", "45", "46", "50", "51", "52",
	                                "53", "54", "61", "62", "63", "64", "65"};
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (two[0] == p[i][0] && two[1] == p[i][1])
			return 1;
	return 0;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int day_ok(int y, int m, int d)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !leap(y));
}

char kw_idno_check_char(const char *first17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;
	for (int i = 0; i < 17; i++)
		s += (first17[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

/* An 8-digit YYYYMMDD birth date: real, from 1900, not after today. */
static int birth_ok(const char *b, const char *today, char out[11])
{
	int y = num(b, 4), m = num(b + 4, 2), d = num(b + 6, 2);
	if (y < 1900 || !day_ok(y, m, d))
		return 0;
	memcpy(out, b, 4);
	out[4] = '-';
	memcpy(out + 5, b + 4, 2);
	out[7] = '-';
	memcpy(out + 8, b + 6, 2);
	out[10] = '\0';
	return !today || strcmp(out, today) <= 0;
}

/* Trims ASCII spaces and upper-cases into out; 0, or a problem. */
static int normalise(const char *in, char out[33])
{
	if (!in)
		return KW_IDNO_EEMPTY;
	while (*in == ' ')
		in++;
	size_t n = strlen(in);
	while (n && in[n - 1] == ' ')
		n--;
	if (n == 0)
		return KW_IDNO_EEMPTY;
	if (n > 32)
		return KW_IDNO_ELENGTH;
	for (size_t i = 0; i < n; i++)
		out[i] = (in[i] >= 'a' && in[i] <= 'z') ? (char)(in[i] - 'a' + 'A') : in[i];
	out[n] = '\0';
	return 0;
}

static int citizen(const char *s, const char *today, struct kw_idno *out)
{
	size_t n = strlen(s);
	if (n != 18)
		return KW_IDNO_ELENGTH; /* first-generation 15-digit numbers: replaced since 2013 */
	if (!digits(s, 17) || !((s[17] >= '0' && s[17] <= '9') || s[17] == 'X'))
		return KW_IDNO_ECHARS;
	/* A real province; a prefecture part "00" with a county part is no division. */
	if (!province_ok(s) || (s[2] == '0' && s[3] == '0' && !(s[4] == '0' && s[5] == '0')))
		return KW_IDNO_EREGION;
	if (!birth_ok(s + 6, today, out->birth))
		return KW_IDNO_EBIRTH;
	if (kw_idno_check_char(s) != s[17])
		return KW_IDNO_ECHECK;
	memcpy(out->region, s, 6);
	out->region[6] = '\0';
	out->sex = (s[16] - '0') % 2 ? 'M' : 'F';
	return 0;
}

/* 2023: 9, province (2), nationality (3), birth (8), sequence (2), check; the older card: 3
 * letters (nationality), issuing place (4: province and city), birth YYMMDD, sequence (2)
 * — no check character. */
static int foreigner(const char *s, const char *today, struct kw_idno *out)
{
	size_t n = strlen(s);
	if (n == 18) {
		if (!digits(s, 17) || !((s[17] >= '0' && s[17] <= '9') || s[17] == 'X'))
			return KW_IDNO_ECHARS;
		if (s[0] != '9' || !province_ok(s + 1) ||
		    (s[3] == '0' && s[4] == '0' && s[5] == '0'))
			return KW_IDNO_EREGION;
		if (!birth_ok(s + 6, today, out->birth))
			return KW_IDNO_EBIRTH;
		if (kw_idno_check_char(s) != s[17])
			return KW_IDNO_ECHECK;
		return 0;
	}
	if (n == 15) {
		for (int i = 0; i < 3; i++)
			if (s[i] < 'A' || s[i] > 'Z')
				return KW_IDNO_ECHARS;
		if (!digits(s + 3, 12))
			return KW_IDNO_ECHARS;
		if (!province_ok(s + 3))
			return KW_IDNO_EREGION;
		/* YYMMDD: the century is not written; the month and day must exist in some year. */
		if (!day_ok(2000, num(s + 9, 2), num(s + 11, 2)))
			return KW_IDNO_EBIRTH;
		return 0;
	}
	return KW_IDNO_ELENGTH;
}

int kw_idno_check(enum kw_idno_type t, const char *number, const char *today, struct kw_idno *out)
{
	memset(out, 0, sizeof *out);
	int rc = normalise(number, out->norm);
	if (rc)
		return rc;
	switch (t) {
	case KW_IDNO_RESIDENT:
	case KW_IDNO_SOCIAL_SECURITY:
		return citizen(out->norm, today, out);
	case KW_IDNO_FOREIGNER_PR:
		return foreigner(out->norm, today, out);
	case KW_IDNO_OTHER: {
		size_t n = strlen(out->norm);
		if (n < 4)
			return KW_IDNO_ELENGTH;
		for (size_t i = 0; i < n; i++) {
			char c = out->norm[i];
			if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-'))
				return KW_IDNO_ECHARS;
		}
		return 0;
	}
	}
	return KW_IDNO_ECHARS;
}

int kw_idno_make(const char *region6, const char *birth8, int seq, char out[19])
{
	if (!region6 || !birth8 || strlen(region6) != 6 || strlen(birth8) != 8 ||
	    !digits(region6, 6) || !digits(birth8, 8) || seq < 0 || seq > 999)
		return KW_IDNO_ECHARS;
	snprintf(out, 19, "%.6s%.8s%03d", region6, birth8, seq);
	out[17] = kw_idno_check_char(out);
	out[18] = '\0';
	return 0;
}

/* Three real divisions (the capital's prefecture and two districts or counties) of each of
 * the 31 mainland provinces. */
const char *const kw_idno_sample_regions[] = {
        "110101", "110105", "110108", /* 北京 */
        "120101", "120103", "120104", /* 天津 */
        "130102", "130104", "130602", /* 河北 */
        "140105", "140106", "140202", /* 山西 */
        "150102", "150103", "150203", /* 内蒙古 */
        "210102", "210103", "210202", /* 辽宁 */
        "220102", "220104", "220202", /* 吉林 */
        "230102", "230103", "230202", /* 黑龙江 */
        "310101", "310104", "310115", /* 上海 */
        "320102", "320104", "320205", /* 江苏 */
        "330102", "330106", "330203", /* 浙江 */
        "340102", "340104", "340202", /* 安徽 */
        "350102", "350103", "350203", /* 福建 */
        "360102", "360103", "360202", /* 江西 */
        "370102", "370103", "370202", /* 山东 */
        "410102", "410103", "410202", /* 河南 */
        "420102", "420103", "420202", /* 湖北 */
        "430102", "430103", "430202", /* 湖南 */
        "440103", "440104", "440303", /* 广东 */
        "450102", "450103", "450202", /* 广西 */
        "460105", "460106", "460202", /* 海南 */
        "500101", "500103", "500104", /* 重庆 */
        "510104", "510105", "510302", /* 四川 */
        "520102", "520103", "520302", /* 贵州 */
        "530102", "530103", "530302", /* 云南 */
        "540102", "540103", "540202", /* 西藏 */
        "610102", "610103", "610202", /* 陕西 */
        "620102", "620103", "620302", /* 甘肃 */
        "630102", "630103", "630202", /* 青海 */
        "640104", "640105", "640202", /* 宁夏 */
        "650102", "650103", "650202", /* 新疆 */
        NULL,
};
