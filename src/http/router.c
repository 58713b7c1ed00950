#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/*
 * Every endpoint, once. The OpenAPI document (openapi.json) must list each of these;
 * tests/unit/test_openapi.c fails when one is missing, or when it lists one that is not
 * here.
 */
/* clang-format off */
const struct kw_route kw_routes[] = {
	{ "GET", "/api/v1/health", kw_h_health, KW_ROUTE_PUBLIC, "health.read" },
	{ "GET", "/api/v1/openapi.json", kw_h_openapi, KW_ROUTE_PUBLIC, "openapi.read" },
	{ "POST", "/api/v1/session", kw_h_session_create, KW_ROUTE_PUBLIC | KW_ROUTE_JSON_BODY, "session.create" },
	{ "DELETE", "/api/v1/session", kw_h_session_delete, 0, "session.delete" },
	{ "GET", "/api/v1/me", kw_h_me, 0, "me.read" },
	{ "POST", "/api/v1/users", kw_h_users_create, KW_ROUTE_JSON_BODY, "user.create" },
	{ "POST", "/api/v1/users/{id}/roles", kw_h_roles_request, KW_ROUTE_JSON_BODY, "grant.request" },
	{ "POST", "/api/v1/units", kw_h_units_create, KW_ROUTE_JSON_BODY, "unit.create" },
	{ "GET", "/api/v1/units", kw_h_units_list, 0, "unit.list" },
	{ "GET", "/api/v1/approvals", kw_h_approvals_list, 0, "approval.list" },
	{ "POST", "/api/v1/approvals/{id}/approve", kw_h_approval_approve, 0, "approval.decide" },
	{ "POST", "/api/v1/approvals/{id}/reject", kw_h_approval_reject, KW_ROUTE_JSON_BODY, "approval.decide" },
	{ "GET", "/api/v1/audit", kw_h_audit_list, 0, "audit.read" },
	{ NULL, NULL, NULL, 0, NULL },
};
/* clang-format on */

/* Does path match pattern? Fills params (pointers into buf) when it does. */
static int match(const char *pattern, const char *path, const char *params[KW_MAX_PARAMS],
                 char *buf)
{
	int np = 0;
	const char *p = pattern, *s = path;
	char *w = buf;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			if (!pe)
				return 0;
			if (!se)
				se = s + strlen(s);
			if (se == s || np >= KW_MAX_PARAMS)
				return 0;
			memcpy(w, s, (size_t)(se - s));
			w[se - s] = '\0';
			params[np++] = w;
			w += (se - s) + 1;
			p = pe + 1;
			s = se;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	for (int i = np; i < KW_MAX_PARAMS; i++)
		params[i] = NULL;
	return 1;
}

int kw_route_match(const char *method, const char *path, const struct kw_route **out,
                   const char *params[KW_MAX_PARAMS], char **mem, struct kw_buf *allow)
{
	size_t len = strlen(path);
	char *buf = kw_xmalloc(len + KW_MAX_PARAMS + 1);
	int path_seen = 0;
	*out = NULL;
	*mem = NULL;
	for (const struct kw_route *r = kw_routes; r->method; r++) {
		const char *tmp[KW_MAX_PARAMS] = {0};
		if (!match(r->pattern, path, tmp, buf))
			continue;
		int same = strcmp(r->method, method) == 0 ||
		           (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0);
		if (same) {
			memcpy(params, tmp, sizeof tmp);
			*out = r;
			*mem = buf;
			return 0;
		}
		if (allow) {
			if (path_seen)
				kw_buf_adds(allow, ", ");
			kw_buf_adds(allow, r->method);
		}
		path_seen = 1;
	}
	free(buf);
	return path_seen ? KW_EMETHOD : KW_ENOTFOUND;
}
