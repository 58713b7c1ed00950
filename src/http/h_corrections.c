/* Corrections of admission tickets (app/corrections.h, TKT-3) over HTTP. */
#include <stdlib.h>

#include "app/corrections.h"
#include "http/http.h"

int kw_h_correction_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_correction_file_add(req->app, &req->actor, &req->session, reg,
		                            kw_query(req, "kind"), kw_h_content_type(req),
		                            kw_query(req, "label"), req->body.buf, req->body.len,
		                            &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_correction_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_correction_request(req->app, &req->actor, &req->session, reg, req->json,
		                           &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_corrections_of_registration(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_corrections_of_registration(req->app, &req->session, reg, &resp->json, err);
	return rc;
}

int kw_h_corrections_of_exam(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_corrections_of_exam(req->app, &req->session, exam, kw_query(req, "status"),
		                            &resp->json, err);
	return rc;
}

int kw_h_correction_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_correction_get(req->app, &req->session, id, &resp->json, err);
	return rc;
}

int kw_h_correction_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, file;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_param_id(req, 1, &file, err);
	struct kw_file f;
	if (!rc)
		rc = kw_correction_file(req->app, &req->session, id, file, &f, err);
	if (!rc) {
		kw_h_serve_file(resp, &f, 0);
		kw_file_release(&f);
	}
	return rc;
}

static int decide(struct kw_req *req, struct kw_resp *resp, int approve, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_correction_decide(req->app, &req->actor, &req->session, id, approve,
		                          req->json, &resp->json, err);
	return rc;
}

int kw_h_correction_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return decide(req, resp, 1, err);
}

int kw_h_correction_refuse(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return decide(req, resp, 0, err);
}
