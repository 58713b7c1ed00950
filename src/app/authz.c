#include "app/authz.h"

#include <pthread.h>
#include <string.h>

#include "util/clock.h"
#include "util/embed.h"

static json_t *perms;
static int load_rc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	const struct kw_embedded *e = kw_embedded_find("permissions.json");
	perms = e ? json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	load_rc = perms && json_is_object(json_object_get(perms, "actions")) &&
	                          json_is_array(json_object_get(perms, "roles"))
	                  ? 0
	                  : KW_EINTERNAL;
}

int kw_authz_init(void)
{
	pthread_once(&once, load);
	return load_rc;
}

int kw_authz_role_known(const char *role)
{
	if (kw_authz_init())
		return 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(perms, "roles"), i,
	                   v) if (strcmp(json_string_value(v), role) == 0) return 1;
	return 0;
}

const char *kw_authz_condition(const char *action, const char *role)
{
	if (kw_authz_init())
		return NULL;
	json_t *a = json_object_get(json_object_get(perms, "actions"), action);
	return json_string_value(json_object_get(a, role));
}

int kw_authz_can_grant(const char *maker_role, const char *role)
{
	if (kw_authz_init())
		return 0;
	json_t *list = json_object_get(json_object_get(perms, "grantable_by"), maker_role);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *r = json_string_value(v);
		if (r && (strcmp(r, "*") == 0 || strcmp(r, role) == 0))
			return 1;
	}
	return 0;
}

int kw_unit_within(struct kw_conn *c, int64_t unit, int64_t ancestor, int *yes, struct kw_err *err)
{
	*yes = 0;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, "SELECT parent_id FROM units WHERE id = $1", &s, err);
	for (int depth = 0; !rc && unit && depth < 16; depth++) {
		if (unit == ancestor) {
			*yes = 1;
			break;
		}
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, unit);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			unit = kw_stmt_column_is_null(s, 0) ? 0 : kw_stmt_column_int64(s, 0);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = 0;
			break;
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

static int grant_active(const struct kw_grant *g, int64_t now)
{
	return (!g->from_us || g->from_us <= now) && (!g->to_us || now < g->to_us);
}

void kw_authz_units(const struct kw_session_info *s, const char *action, int64_t *units, int max,
                    int *n, int *any)
{
	*n = 0;
	*any = 0;
	if (kw_authz_init() || !s)
		return;
	int64_t now = kw_clock_now_us();
	for (int i = 0; i < s->ngrants; i++) {
		const struct kw_grant *g = &s->grants[i];
		const char *cond =
		        grant_active(g, now) ? kw_authz_condition(action, g->role) : NULL;
		if (!cond)
			continue;
		if (strcmp(cond, "any") == 0)
			*any = 1;
		else if (strcmp(cond, "unit") == 0 && *n < max)
			units[(*n)++] = g->unit_id;
	}
}

/* The core of both checks; role may be NULL (no grantable_by condition). */
static int check(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                 const char *role, int64_t unit, struct kw_err *err)
{
	if (kw_authz_init())
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "the permissions file is broken");
	if (!role && kw_authz_condition(action, "public"))
		return 0;
	if (!s)
		return kw_err_set(err, KW_EAUTH, "AUTH_REQUIRED", NULL, "log in first");
	if (s->candidate_id) {
		/* A candidate holds no grants: only what the file gives "candidate" (on their own
		 * records; the service checks ownership). "user" means staff. */
		if (!role && kw_authz_condition(action, "candidate"))
			return 0;
		int rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "not allowed: %s",
		                    action);
		kw_err_detail(err, "action", json_string(action));
		return rc;
	}
	if (!role && kw_authz_condition(action, "user"))
		return 0;
	int64_t now = kw_clock_now_us();
	for (int i = 0; i < s->ngrants; i++) {
		const struct kw_grant *g = &s->grants[i];
		if (!grant_active(g, now))
			continue;
		const char *cond = kw_authz_condition(action, g->role);
		if (!cond)
			continue;
		if (role && !kw_authz_can_grant(g->role, role))
			continue;
		if (strcmp(cond, "any") == 0 || unit == 0)
			return 0;
		if (strcmp(cond, "unit") == 0) {
			int yes = 0;
			int rc = kw_unit_within(c, unit, g->unit_id, &yes, err);
			if (rc)
				return rc;
			if (yes)
				return 0;
		}
	}
	int rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "not allowed: %s", action);
	kw_err_detail(err, "action", json_string(action));
	return rc;
}

int kw_authz_check(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                   int64_t unit, struct kw_err *err)
{
	return check(c, s, action, NULL, unit, err);
}

int kw_authz_check_grant(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                         const char *role, int64_t unit, struct kw_err *err)
{
	return check(c, s, action, role, unit, err);
}
