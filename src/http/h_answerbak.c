/* Answer-data backups (app/answerbak.h, GRD-4) over HTTP. */
#include "app/answerbak.h"
#include "http/http.h"

int kw_h_answer_backup_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_answerbak_create(req->app, &req->actor, &req->session, exam,
		                         kw_query(req, "subject"), &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_answer_backups(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_answerbak_list(req->app, &req->session, exam, &resp->json, err);
	return rc;
}

int kw_h_answer_backup_keep(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_answerbak_keep(req->app, &req->actor, &req->session, id, req->json,
		                       &resp->json, err);
	return rc;
}

int kw_h_answer_backup_verify(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_answerbak_verify(req->app, &req->session, exam, req->body.buf,
		                         req->body.len, &resp->json, err);
	return rc;
}
