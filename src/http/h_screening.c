/* Similar-answer screening (app/screening.h; GRD-6, GRD-1) over HTTP. */
#include "app/screening.h"
#include "http/http.h"

int kw_h_screen_run(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_screening_run(req->app, &req->actor, &req->session, exam, req->params[1],
		                      req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_screen_subjects(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_screening_subjects(req->app, &req->session, &resp->json, err);
}

int kw_h_screens(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_screening_list(req->app, &req->session, exam, req->params[1], &resp->json,
		                       err);
	return rc;
}

int kw_h_screen_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_screening_get(req->app, &req->session, id, &resp->json, err);
	return rc;
}

int kw_h_screen_flags(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, after = 0, limit = 100;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_query_count(req, "after", 0, &after, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 100, &limit, err);
	if (!rc)
		rc = kw_screening_flags(req->app, &req->session, id, kw_query(req, "status"), after,
		                        limit > 500 ? 500 : (int)limit, &resp->json, err);
	return rc;
}

int kw_h_screen_flag_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_screening_flag_get(req->app, &req->session, id, &resp->json, err);
	return rc;
}

int kw_h_screen_decide(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_screening_decide(req->app, &req->actor, &req->session, id, req->json,
		                         &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_screen_dossier(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	struct kw_buf pdf = KW_BUF_INIT;
	kw_buf_init(&pdf, 0);
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_screening_dossier(req->app, &req->session, id, &pdf, err);
	if (!rc) {
		resp->raw = kw_buf_detach(&pdf, &resp->raw_len);
		resp->raw_type = "application/pdf";
		kw_resp_header(resp, "Content-Disposition",
		               "inline; filename=\"screen-flag-%lld.pdf\"", (long long)id);
		kw_resp_header(resp, "Cache-Control", "private, no-store");
	}
	kw_buf_release(&pdf);
	return rc;
}
