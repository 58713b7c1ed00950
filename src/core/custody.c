/* The chain of custody's pure rules (see custody.h). */
#include "core/custody.h"

#include <string.h>

static const char *const kind_names[] = {
        "",           "print_receipt",  "transport",       "handover",      "secure_in",
        "secure_out", "centre_receipt", "proctor_receipt", "seal_approval", "return",
};

enum kw_cus_kind kw_cus_kind_of(const char *name)
{
	if (!name)
		return KW_CUS_NONE;
	for (size_t i = 1; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(name, kind_names[i]) == 0)
			return (enum kw_cus_kind)i;
	return KW_CUS_NONE;
}

const char *kw_cus_kind_name(enum kw_cus_kind k)
{
	return (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "";
}

int kw_cus_is_handover(enum kw_cus_kind k)
{
	return k == KW_CUS_PRINT_RECEIPT || k == KW_CUS_HANDOVER || k == KW_CUS_CENTRE_RECEIPT ||
	       k == KW_CUS_PROCTOR_RECEIPT || k == KW_CUS_RETURN;
}

static const char *const places[] = {
        "printer", "province",           "province_secure_room", "area",      "area_secure_room",
        "centre",  "centre_secure_room", "exam_office",          "exam_room", "grading_site",
        NULL,
};

int kw_cus_place_known(const char *place)
{
	for (int i = 0; place && places[i]; i++)
		if (strcmp(place, places[i]) == 0)
			return 1;
	return 0;
}

/* Is s the secure room of base ("area" → "area_secure_room")? */
static int secure_of(const char *s, const char *base)
{
	size_t n = strlen(base);
	return strncmp(s, base, n) == 0 && strcmp(s + n, "_secure_room") == 0;
}

const char *kw_cus_route_problem(enum kw_cus_kind k, const char *from, const char *to)
{
	switch (k) {
	case KW_CUS_PRINT_RECEIPT:
		return strcmp(from, "printer") == 0 ? NULL : "from_printer";
	case KW_CUS_TRANSPORT:
		return strcmp(from, to) != 0 ? NULL : "same_place";
	case KW_CUS_SECURE_IN:
		return secure_of(to, from) ? NULL : "to_secure_room";
	case KW_CUS_SECURE_OUT:
		/* out to the level it belongs to, or (at a centre) to the exam office */
		return secure_of(from, to) || (strcmp(from, "centre_secure_room") == 0 &&
		                               strcmp(to, "exam_office") == 0)
		               ? NULL
		               : "from_secure_room";
	case KW_CUS_CENTRE_RECEIPT:
		return strcmp(to, "centre") == 0 || strcmp(to, "centre_secure_room") == 0
		               ? NULL
		               : "to_centre";
	case KW_CUS_PROCTOR_RECEIPT:
		return strcmp(to, "exam_room") == 0 ? NULL : "to_exam_room";
	case KW_CUS_SEAL_APPROVAL:
		return strcmp(from, to) == 0 ? NULL : "place_changes";
	case KW_CUS_RETURN:
		return strcmp(from, "exam_room") == 0 && strcmp(to, "exam_room") != 0
		               ? NULL
		               : "from_exam_room";
	case KW_CUS_HANDOVER:
	case KW_CUS_NONE:
		break;
	}
	return NULL;
}

int kw_cus_side_short(size_t n, size_t min)
{
	return n < min;
}

int kw_cus_first_duplicate(const char *const *keys, size_t n, size_t *dup)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(keys[i], keys[j]) == 0) {
				if (dup)
					*dup = i;
				return 1;
			}
	return 0;
}

int kw_cus_late(int64_t now, int64_t start, int minutes)
{
	return now > start - (int64_t)minutes * INT64_C(60000000);
}

int kw_cus_same_day(int64_t a, int64_t b)
{
	const int64_t day = INT64_C(86400000000), cst = INT64_C(8) * 3600 * 1000000;
	int64_t x = a + cst, y = b + cst;
	/* floor division for instants before 1970 */
	int64_t dx = x >= 0 ? x / day : -((-x + day - 1) / day);
	int64_t dy = y >= 0 ? y / day : -((-y + day - 1) / day);
	return dx == dy;
}
