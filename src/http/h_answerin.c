/* Scanner layouts (app/answerin.h, GRD-5) over HTTP. */
#include "app/answerin.h"
#include "http/http.h"

int kw_h_answer_layout_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_answer_layout_add(req->app, &req->actor, &req->session, exam, req->json,
		                          &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_answer_layouts(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_answer_layouts(req->app, &req->session, exam, &resp->json, err);
	return rc;
}
