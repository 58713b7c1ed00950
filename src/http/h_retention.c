/* Retention and destruction of exam materials (app/retention.h; CUS-7, PAP-2). */
#include <string.h>

#include "app/retention.h"
#include "http/http.h"

int kw_h_retention_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	const char *only = kw_query(req, "only");
	if (!rc && only && strcmp(only, "due") != 0)
		rc = kw_err_invalid(err, "only", "not_allowed");
	return rc ? rc
	          : kw_retention_list(req->app, &req->actor, &req->session, exam,
	                              kw_query(req, "due_on"), only != NULL, &resp->json, err);
}

int kw_h_retention_register(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_retention_register(req->app, &req->actor, &req->session, exam, req->json,
		                           &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_retention_hold(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_retention_hold(req->app, &req->actor, &req->session, id, req->json,
		                       &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_retention_lift(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_retention_lift(req->app, &req->actor, &req->session, id, req->json,
	                              &resp->json, err);
}

int kw_h_retention_destroy(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_retention_destroy(req->app, &req->actor, &req->session, exam, req->json,
		                          &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_retention_destructions(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_retention_destructions(req->app, &req->session, exam, &resp->json, err);
}

int kw_h_retention_video_log_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_retention_video_log_add(req->app, &req->actor, &req->session, id, req->json,
		                                &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_retention_video_log(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_retention_video_log(req->app, &req->actor, &req->session, id, &resp->json,
	                                   err);
}
