#include "core/venue.h"

#include <string.h>

/* Higher is more central: township 0 … national 4; -1 unknown. */
static int rank(const char *level)
{
	static const char *const order[] = {"township", "county", "prefecture", "provincial",
	                                    "national"};
	for (int i = 0; level && i < 5; i++)
		if (strcmp(level, order[i]) == 0)
			return i;
	return -1;
}

static int given(const char *s)
{
	return s && *s;
}

struct kw_centre_verdict kw_venue_centre_allowed(const char *min_level, const char *approval,
                                                 const char *admin_level,
                                                 const char *provincial_approval,
                                                 const char *national_filing, int blocked,
                                                 int active)
{
	struct kw_centre_verdict v = {1, NULL, NULL};
	int have = rank(admin_level), need = rank(min_level);
	if (have < 0 || need < 0)
		return (struct kw_centre_verdict){0, "VEN-1", "LEVEL_UNKNOWN"};
	if (!active)
		return (struct kw_centre_verdict){0, "VEN-1", "INACTIVE"};
	if (blocked)
		return (struct kw_centre_verdict){0, "VEN-4", "BLOCKED_BY_INCIDENT"};
	if (have >= need)
		return v;
	/* Below the usual level: AH 23 wants a provincial-or-higher approval; PQ 17 wants the
	 * province's consent and a filing with the national centre. */
	if (!given(provincial_approval))
		return (struct kw_centre_verdict){0, "VEN-1", "BELOW_LEVEL_NO_APPROVAL"};
	if (approval && strcmp(approval, "provincial_and_national_filing") == 0 &&
	    !given(national_filing))
		return (struct kw_centre_verdict){0, "VEN-1", "NO_NATIONAL_FILING"};
	return v;
}
