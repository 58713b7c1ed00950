/* Score review (app/review.h, GRD-9) over HTTP. */
#include <string.h>

#include "app/review.h"
#include "http/http.h"

int kw_h_review_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_review_request(req->app, &req->actor, &req->session, exam, req->json,
		                       &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_review_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_review_list(req->app, &req->session, exam, kw_query(req, "status"),
		                    &resp->json, err);
	return rc;
}

int kw_h_review_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_review_get(req->app, &req->session, id, &resp->json, err);
	return rc;
}

/* accept, refuse, answer: the last segment of the path names the step */
int kw_h_review_step(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	const char *slash = strrchr(req->path, '/');
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_review_step(req->app, &req->actor, &req->session, id, slash + 1, req->json,
		                    &resp->json, err);
	return rc;
}

int kw_h_review_forward(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_review_forward(req->app, &req->actor, &req->session, exam, &resp->json,
		                       err);
	return rc;
}

int kw_h_review_result(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_review_result(req->app, &req->actor, &req->session, id, req->json,
		                      &resp->json, err);
	if (!rc && strcmp(json_string_value(json_object_get(resp->json, "status")),
	                  "correction_pending") == 0)
		resp->status = 202; /* a correction waits for the second person (INF-4) */
	return rc;
}
