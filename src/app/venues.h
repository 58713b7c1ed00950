/* Venue checks that need a rule set (SPEC VEN-1, VEN-4). */
#ifndef KW_APP_VENUES_H
#define KW_APP_VENUES_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "util/err.h"

/*
 * May centre id serve an exam under ruleset (AH, PQ, PROVINCE)? *out = {centre, ruleset,
 * allowed, rule, reason, centre_min_level, centre_below_level_approval}; reason is one of
 * core/venue.h's codes. The exam issues refuse with that rule when an exam uses the centre.
 * RULESET_UNKNOWN; NOT_FOUND when the centre is not the caller's.
 */
int kw_app_centre_suitability(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                              const char *ruleset, json_t **out, struct kw_err *err);

#endif
