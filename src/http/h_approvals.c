/* Units, role grants through maker-checker approvals, and the audit trail. */
#include <stdlib.h>
#include <string.h>

#include "app/approvals.h"
#include "app/records.h"
#include "http/http.h"
#include "util/json.h"

static const struct kw_jfield unit_fields[] = {
        {"code", KW_JSTRING, KW_JREQUIRED, 1, 40},   {"name", KW_JSTRING, KW_JREQUIRED, 1, 100},
        {"kind", KW_JSTRING, KW_JREQUIRED, 1, 40},   {"level", KW_JSTRING, KW_JREQUIRED, 1, 20},
        {"parent", KW_JINTEGER, KW_JREQUIRED, 0, 0},
};

struct unit_scratch {
	struct kw_unit_new u;
	struct kw_unit_job job;
};

static int unit_created(struct kw_req *req, struct kw_resp *resp, int rc, struct kw_err *job_err,
                        struct kw_err *err)
{
	if (rc) {
		*err = *job_err;
		*job_err = (struct kw_err)KW_ERR_INIT;
		return rc;
	}
	struct unit_scratch *sc = req->scratch;
	resp->status = 201;
	resp->json = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)sc->job.id,
	                       "code", sc->u.code, "name", sc->u.name, "kind", sc->u.kind, "level",
	                       sc->u.level, "parent", (json_int_t)sc->u.parent_id);
	return 0;
}

int kw_h_units_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)resp;
	int rc = kw_json_check(req->json, unit_fields, 5, err);
	if (rc)
		return rc;
	const json_t *j = req->json;
	struct kw_unit_new u = {
	        json_string_value(json_object_get(j, "code")),
	        json_string_value(json_object_get(j, "name")),
	        json_string_value(json_object_get(j, "kind")),
	        json_string_value(json_object_get(j, "level")),
	        json_integer_value(json_object_get(j, "parent")),
	};
	rc = kw_app_unit_create_check(req->app, &req->session, &u, err);
	if (rc)
		return rc;
	/* The unit and its job live until the request ends (strings point into req->json). */
	struct unit_scratch *sc = kw_xcalloc(1, sizeof *sc);
	sc->u = u;
	sc->job.u = &sc->u;
	req->scratch = sc;
	return kw_http_defer(req, kw_unit_create_job, &sc->job, unit_created, err);
}

static const struct kw_jfield roles_fields[] = {
        {"roles", KW_JARRAY, KW_JREQUIRED, 1, 10},
};

int kw_h_roles_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t user_id;
	int rc = kw_param_id(req, 0, &user_id, err);
	if (!rc)
		rc = kw_json_check(req->json, roles_fields, 1, err);
	int64_t approval = 0;
	if (!rc)
		rc = kw_app_grant_request(req->app, &req->session, &req->actor, user_id,
		                          json_object_get(req->json, "roles"), &approval, err);
	if (rc)
		return rc;
	resp->status = 202;
	resp->json =
	        json_pack("{s:I, s:s}", "approval_id", (json_int_t)approval, "status", "pending");
	kw_resp_header(resp, "Location", "/api/v1/approvals/%lld", (long long)approval);
	return 0;
}

int kw_h_approvals_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	const char *status = kw_query(req, "status");
	if (status && strcmp(status, "pending") && strcmp(status, "approved") &&
	    strcmp(status, "rejected"))
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		                  "status is pending, approved or rejected");
	return kw_app_approvals_list(req->app, &req->session, status, &resp->json, err);
}

int kw_h_approval_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (rc)
		return rc;
	return kw_app_approval_decide(req->app, &req->session, &req->actor, id, 1, NULL,
	                              &resp->json, err);
}

static const struct kw_jfield reject_fields[] = {
        {"reason", KW_JSTRING, KW_JREQUIRED, 1, 500},
};

int kw_h_approval_reject(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_json_check(req->json, reject_fields, 1, err);
	if (rc)
		return rc;
	return kw_app_approval_decide(req->app, &req->session, &req->actor, id, 0,
	                              json_string_value(json_object_get(req->json, "reason")),
	                              &resp->json, err);
}

static int int_arg(struct kw_req *req, const char *name, int64_t min, int64_t max, int64_t *out,
                   struct kw_err *err)
{
	const char *v = kw_query(req, name);
	if (!v)
		return 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n < min || n > max) {
		int rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "bad query argument %s",
		                    name);
		kw_err_detail(err, "argument", json_string(name));
		return rc;
	}
	*out = n;
	return 0;
}

int kw_h_audit_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	struct kw_audit_query q = {
	        .entity = kw_query(req, "entity"),
	        .actor = kw_query(req, "actor"),
	        .since = kw_query(req, "since"),
	        .until = kw_query(req, "until"),
	};
	int64_t limit = 100;
	int rc = int_arg(req, "limit", 1, 500, &limit, err);
	if (!rc)
		rc = int_arg(req, "entity_id", 1, INT64_MAX, &q.entity_id, err);
	if (!rc)
		rc = int_arg(req, "cursor", 1, INT64_MAX, &q.before_seq, err);
	if (rc)
		return rc;
	q.limit = (int)limit;
	return kw_app_audit_list(req->app, &req->session, &q, &resp->json, err);
}

int kw_h_units_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	const char *format = kw_query(req, "format");
	if (format && strcmp(format, "xlsx") && strcmp(format, "json"))
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "format is json or xlsx");
	int rc = kw_app_units_list(req->app, &req->session, &resp->json, err);
	if (rc || !format || strcmp(format, "xlsx"))
		return rc;
	/* The export: the unit register's columns (its parent as parent_id). */
	json_t *items = json_object_get(resp->json, "items");
	size_t i;
	json_t *u;
	json_array_foreach(items, i, u)
	        json_object_set(u, "parent_id", json_object_get(u, "parent"));
	rc = kw_rec_items_xlsx(req->app, kw_kind_by_name("unit"), items, req->lang, &resp->raw,
	                       &resp->raw_len, err);
	json_decref(resp->json);
	resp->json = NULL;
	if (rc)
		return rc;
	resp->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	kw_resp_header(resp, "Content-Disposition", "attachment; filename=\"units.xlsx\"");
	kw_resp_header(resp, "Cache-Control", "no-store");
	return 0;
}
