/* Verification of registrations (app/verify.h) over HTTP. */
#include "app/verify.h"
#include "http/http.h"

int kw_h_verify_sample(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_verify_sample(req->app, &req->actor, &req->session, exam, req->json,
		                      &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_verify_sample_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_verify_sample_get(req->app, &req->session, id, &resp->json, err);
}

int kw_h_verify_ban_sweep(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc
	          : kw_verify_ban_sweep(req->app, &req->actor, &req->session, exam, &resp->json,
	                                err);
}

int kw_h_verify_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_verify_create(req->app, &req->actor, &req->session, reg, req->json,
		                      &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_verify_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	return rc ? rc : kw_verify_list(req->app, &req->session, reg, &resp->json, err);
}

int kw_h_verify_decide(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_verify_decide(req->app, &req->actor, &req->session, id, req->json,
	                             &resp->json, err);
}

/* GET /api/v1/exams/{id}/verification_tasks?status=open|closed&kind=&cursor=&limit= */
int kw_h_verify_tasks(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	struct kw_verify_query q = {0};
	int64_t limit = 0;
	int rc = kw_param_id(req, 0, &q.exam, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &q.after, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 100, &limit, err);
	if (!rc) {
		q.limit = limit > 1000 || limit < 1 ? -1 : (int)limit;
		q.status = kw_query(req, "status") ? kw_query(req, "status") : "open";
		q.kind = kw_query(req, "kind");
		rc = kw_verify_tasks(req->app, &req->session, &q, &resp->json, err);
	}
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}
