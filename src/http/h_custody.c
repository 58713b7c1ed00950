/* Papers as packages and their chain of custody (app/custody.h, PAP-2, PAP-3, CUS-1..6). */
#include "app/custody.h"
#include "http/http.h"

int kw_h_custody_signoff(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_custody_signoff(req->app, &req->actor, &req->session, exam, req->params[1],
		                        req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_custody_make(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_custody_make(req->app, &req->actor, &req->session, exam, req->json,
		                     &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_custody_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc
	          : kw_custody_list(req->app, &req->session, exam, kw_query(req, "subject"),
	                            kw_query(req, "centre"), kw_query(req, "seal"), &resp->json,
	                            err);
}

int kw_h_custody_find(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_custody_list(req->app, &req->session, 0, NULL, NULL, kw_query(req, "seal"),
	                       &resp->json, err);
}

int kw_h_custody_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_custody_get(req->app, &req->session, id, &resp->json, err);
}

int kw_h_custody_event(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_custody_event(req->app, &req->actor, &req->session, id, req->json,
		                      &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_custody_incidents(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_custody_incidents(req->app, &req->session, exam, &resp->json, err);
}
