/*
 * Units (the minimum the grants need), maker-checker approvals (SPEC INF-4) and the audit
 * listing. Every write here goes through the writer with its audit record.
 */
#ifndef KW_APP_APPROVALS_H
#define KW_APP_APPROVALS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

struct kw_unit_new {
	const char *code, *name, *kind, *level;
	int64_t parent_id;
};

/* The write of a unit, for callers that submit it to the writer themselves. */
struct kw_unit_job {
	const struct kw_unit_new *u;
	int64_t id; /* the new unit's, once committed */
};
int kw_unit_create_job(struct kw_tx *tx, void *arg, struct kw_err *err);

/* The checks before creating a unit (kind, level, parent, unit.create at the parent). */
int kw_app_unit_create_check(struct kw_app *app, const struct kw_session_info *s,
                             const struct kw_unit_new *u, struct kw_err *err);

/* Creates a unit under parent_id (unit.create at the parent). UNIT_INVALID, UNIT_CODE_TAKEN. */
int kw_app_unit_create(struct kw_app *app, const struct kw_session_info *s,
                       const struct kw_actor *actor, const struct kw_unit_new *u, int64_t *id,
                       struct kw_err *err);

/*
 * Asks for roles for user_id: roles = [{"role","unit","exam"?,"valid_from"?,"valid_to"?}].
 * The maker must be allowed grant.request for each role at each unit. Creates a pending
 * approval; nothing is granted yet.
 */
int kw_app_grant_request(struct kw_app *app, const struct kw_session_info *s,
                         const struct kw_actor *actor, int64_t user_id, const json_t *roles,
                         int64_t *approval_id, struct kw_err *err);

/*
 * A pending approval of kind with payload, made by tx's actor, inside the caller's write
 * (app/records.c makes the record changes' this way); audited as approval.create with detail
 * (borrowed; no identity numbers). *id = the approval's.
 */
int kw_approval_create(struct kw_tx *tx, const char *kind, const json_t *payload,
                       const json_t *detail, int64_t *id, struct kw_err *err);

/*
 * A kind of approval decided by the module that made it (a publication of scores,
 * app/publish.h): allowed says whether s may decide it (0, or a KW_E* error: the checker
 * needs the module's action at the payload's units); decide runs in the checker's
 * transaction, after the approval row changed, to apply (approve = 1) or drop it; *result
 * (may stay NULL) joins the answer as "result".
 */
struct kw_approval_kind {
	const char *kind;
	int (*allowed)(struct kw_conn *c, const struct kw_session_info *s, const json_t *payload,
	               struct kw_err *err);
	int (*decide)(struct kw_app *app, struct kw_tx *tx, const json_t *payload,
	              int64_t approval_id, int approve, json_t **result, struct kw_err *err);
	/* After an approval committed (may be NULL): e.g. a cache of this process refreshed. */
	void (*after)(struct kw_app *app, const json_t *payload);
};

/*
 * Approves (applies) or rejects (reason required) approval id. The checker must be another
 * person (SELF_APPROVAL, rule INF-4) allowed to decide everything in it: a grant,
 * approval.decide where each role is grantable; a change of records (kw_rec_change_kind),
 * the kind's write action at each of its units. *out = the approval as JSON (a change of
 * records approved: with "result", kw_rec_change_apply's).
 */
int kw_app_approval_decide(struct kw_app *app, const struct kw_session_info *s,
                           const struct kw_actor *actor, int64_t id, int approve,
                           const char *reason, json_t **out, struct kw_err *err);

/* The approvals the caller may decide (status filter or NULL), newest first, and their own;
 * a change of records shows its payload through kw_rec_change_view. */
int kw_app_approvals_list(struct kw_app *app, const struct kw_session_info *s, const char *status,
                          json_t **out, struct kw_err *err);

/*
 * The units the caller reaches: every unit inside the subtree of one of their grants
 * (a user without grants sees none). *out = {"items":[{id, code, name, kind, level,
 * parent}], "next_cursor": null}, in id order.
 */
int kw_app_units_list(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                      struct kw_err *err);

struct kw_audit_query {
	const char *entity;
	int64_t entity_id; /* 0: any */
	const char *actor; /* a username, or NULL */
	const char *since; /* RFC 3339, or NULL */
	const char *until;
	int64_t before_seq; /* the cursor: records with seq below it (0: from the newest) */
	int limit;          /* 1..500 */
};

/* Audit records, newest first: {"items":[…], "next_cursor"}. */
int kw_app_audit_list(struct kw_app *app, const struct kw_session_info *s,
                      const struct kw_audit_query *q, json_t **out, struct kw_err *err);

#endif
