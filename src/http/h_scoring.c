/* Objective scoring (app/scoring.h, GRD-5, CUS-8) over HTTP. */
#include "app/answerin.h"
#include "app/scoring.h"
#include "http/http.h"

int kw_h_score_key_load(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_scoring_key_load(req->app, &req->actor, &req->session, exam, req->params[1],
		                         req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_score_keys(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_scoring_keys(req->app, &req->session, exam, req->params[1], &resp->json,
		                     err);
	return rc;
}

int kw_h_score_key_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_scoring_key_get(req->app, &req->actor, &req->session, id, &resp->json, err);
	return rc;
}

int kw_h_score_answers_import(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_answers_import_any(req->app, &req->actor, &req->session, exam,
		                           kw_query(req, "witness"), kw_query(req, "filename"),
		                           kw_query(req, "format"), kw_query(req, "layout"),
		                           req->body.buf, req->body.len, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_score_imports(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_scoring_imports(req->app, &req->session, exam, &resp->json, err);
	return rc;
}

int kw_h_score_run(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_scoring_run(req->app, &req->actor, &req->session, exam, req->params[1],
		                    &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_score_runs(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_scoring_runs(req->app, &req->session, exam, req->params[1], &resp->json,
		                     err);
	return rc;
}

int kw_h_score_run_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_scoring_run_get(req->app, &req->session, id, &resp->json, err);
	return rc;
}

int kw_h_score_run_scores(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, after = 0, limit = 100;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_query_count(req, "after", 0, &after, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 100, &limit, err);
	if (!rc)
		rc = kw_scoring_run_scores(req->app, &req->session, id, after,
		                           limit > 100000 ? 100000 : (int)limit, &resp->json, err);
	return rc;
}

int kw_h_score_crosscheck(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_scoring_crosscheck(req->app, &req->session, id, &resp->json, err);
	return rc;
}
