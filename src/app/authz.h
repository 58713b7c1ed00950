/*
 * Who may do what: the one permissions file (data/permissions/permissions.json, compiled
 * in) read once and enforced here. Handlers name the action of their route; services
 * check the unit of what they touch. Units: a role held at a unit reaches that unit and
 * everything below it, never a sibling (an Anhui officer never reaches Jiangsu).
 */
#ifndef KW_APP_AUTHZ_H
#define KW_APP_AUTHZ_H

#include <stdint.h>

#include "app/identity.h"
#include "store/store.h"
#include "util/err.h"

/* Loads the permissions file (idempotent); KW_EINTERNAL when it is broken. */
int kw_authz_init(void);

/* Is role one of the file's roles? */
int kw_authz_role_known(const char *role);

/* The condition for role on action ("any", "unit", "self"), or NULL: denied. */
const char *kw_authz_condition(const char *action, const char *role);

/* May a maker holding maker_role request (or a checker approve) `role` for someone? */
int kw_authz_can_grant(const char *maker_role, const char *role);

/*
 * May s (NULL: not logged in) do action at unit (0: no particular unit)? 0 when allowed;
 * KW_EAUTH (AUTH_REQUIRED) when a login would be needed, KW_EFORBIDDEN (FORBIDDEN) when
 * not. Unit conditions are checked against the unit tree with c (may be NULL when
 * unit is 0).
 */
int kw_authz_check(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                   int64_t unit, struct kw_err *err);

/*
 * Like kw_authz_check for the grant.request / approval.decide actions, and also that one of
 * the grants that allows it may grant `role` (grantable_by).
 */
int kw_authz_check_grant(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                         const char *role, int64_t unit, struct kw_err *err);

/*
 * The units under which s may do action: *any = 1 when one of its grants allows it
 * everywhere; else units[0..*n) are the units of the active grants that allow it (their
 * subtrees are reached). At most max units (KW_MAX_GRANTS suffices).
 */
void kw_authz_units(const struct kw_session_info *s, const char *action, int64_t *units, int max,
                    int *n, int *any);

/* Is unit inside the subtree of ancestor (itself included)? */
int kw_unit_within(struct kw_conn *c, int64_t unit, int64_t ancestor, int *yes, struct kw_err *err);

#endif
