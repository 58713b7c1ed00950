/* Subjective marking (app/marking.h, GRD-1..3) over HTTP. */
#include <string.h>

#include "app/marking.h"
#include "http/http.h"

int kw_h_marking_setup(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_marking_setup(req->app, &req->actor, &req->session, exam, req->params[1],
		                      req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_marking_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_marking_get(req->app, &req->session, exam, req->params[1], &resp->json,
		                    err);
	return rc;
}

int kw_h_marking_next(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	/* ?round=4: the arbitration queue only (the chief marker) */
	const char *round = kw_query(req, "round");
	if (!rc && round && strcmp(round, "4") != 0)
		rc = kw_err_set(err, KW_EINVAL, "MARKING_INVALID", NULL,
		                "round: only 4 (arbitration) may be asked for");
	if (!rc)
		rc = kw_marking_next(req->app, &req->actor, &req->session, exam, req->params[1],
		                     round != NULL, &resp->json, err);
	return rc;
}

/* close and confirm: the last segment of the path names the step */
int kw_h_marking_step(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	const char *slash = strrchr(req->path, '/');
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc && strcmp(slash + 1, "close") == 0)
		rc = kw_marking_close(req->app, &req->actor, &req->session, exam, req->params[1],
		                      &resp->json, err);
	else if (!rc)
		rc = kw_marking_confirm(req->app, &req->actor, &req->session, exam, req->params[1],
		                        req->json, &resp->json, err);
	return rc;
}

int kw_h_marking_results(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_marking_results(req->app, &req->session, exam, req->params[1], &resp->json,
		                        err);
	return rc;
}

int kw_h_marking_markers(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_marking_markers(req->app, &req->session, exam, req->params[1], &resp->json,
		                        err);
	return rc;
}

int kw_h_script_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_marking_script(req->app, &req->session, req->params[0], &resp->json, err);
}

int kw_h_script_mark(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_marking_mark(req->app, &req->actor, &req->session, req->params[0], req->json,
	                       &resp->json, err);
}

int kw_h_markings_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_marking_list(req->app, &req->session, &resp->json, err);
}

int kw_h_marking_controls(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc && strcmp(req->method, "POST") == 0) {
		rc = kw_marking_control_add(req->app, &req->actor, &req->session, exam,
		                            req->params[1], req->json, &resp->json, err);
		if (!rc)
			resp->status = 201;
	} else if (!rc) {
		rc = kw_marking_controls(req->app, &req->session, exam, req->params[1], &resp->json,
		                         err);
	}
	return rc;
}

int kw_h_marking_suspend(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_marking_suspend(req->app, &req->actor, &req->session, exam, req->params[1],
		                        req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_marking_reinstate(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_marking_reinstate(req->app, &req->actor, &req->session, exam,
		                          req->params[1], req->params[2], &resp->json, err);
	return rc;
}
