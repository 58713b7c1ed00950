/* Venue checks that need a rule set (SPEC VEN-1, VEN-4): core/venue.h over a stored centre. */
#include "app/venues.h"

#include <string.h>

#include "app/records.h"
#include "core/params.h"
#include "core/venue.h"
#include "util/embed.h"

static const char *param(const json_t *res, const char *name)
{
	return json_string_value(json_object_get(json_object_get(res, name), "value"));
}

int kw_app_centre_suitability(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                              const char *ruleset, json_t **out, struct kw_err *err)
{
	json_t *centre = NULL, *res = NULL;
	int rc = kw_app_rule_params(ruleset, &res, err);
	if (!rc)
		rc = kw_rec_get(app, s, kw_kind_by_name("centre"), id, &centre, NULL, err);
	if (!rc) {
		const char *min = param(res, "centre_min_level");
		const char *appr = param(res, "centre_below_level_approval");
		struct kw_centre_verdict v = kw_venue_centre_allowed(
		        min, appr, json_string_value(json_object_get(centre, "admin_level")),
		        json_string_value(json_object_get(centre, "provincial_approval")),
		        json_string_value(json_object_get(centre, "national_filing")),
		        json_is_true(json_object_get(centre, "blocked")),
		        strcmp(json_string_value(json_object_get(centre, "status")), "active") ==
		                0);
		*out = json_pack("{s:I, s:s, s:b, s:s?, s:s?, s:s, s:s}", "centre", (json_int_t)id,
		                 "ruleset", ruleset, "allowed", v.allowed, "rule", v.rule, "reason",
		                 v.reason, "centre_min_level", min, "centre_below_level_approval",
		                 appr);
	}
	json_decref(centre);
	json_decref(res);
	return rc;
}
