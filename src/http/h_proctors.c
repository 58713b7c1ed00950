/* The proctor lottery (app/proctors.h) over HTTP. */
#include <stdlib.h>
#include <string.h>

#include "app/proctors.h"
#include "http/http.h"

int kw_h_proctors_commit(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_proctors_commit(req->app, &req->actor, &req->session, exam, req->json,
		                        &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_proctors_draw(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_proctors_draw(req->app, &req->actor, &req->session, id, &resp->json, err);
}

int kw_h_proctors_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_proctors_get(req->app, &req->session, id, &resp->json, err);
}

/* GET …/exams/{id}/proctor_draws: the exam's draws. */
int kw_h_proctors_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_proctors_list(req->app, &req->session, exam, &resp->json, err);
}

/* GET …/exams/{id}/proctor_pool[?sitting=N]: what a draw would take, nothing drawn. */
int kw_h_proctors_pool(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (rc)
		return rc;
	int sitting = -1;
	const char *v = kw_query(req, "sitting");
	if (v) {
		char *end;
		long n = strtol(v, &end, 10);
		if (!*v || *end || n < 0 || n > 32) {
			kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
			           "the data is not valid");
			kw_err_detail(
			        err, "fields",
			        json_pack("[{s:s, s:s}]", "field", "sitting", "problem", "range"));
			return KW_EINVAL;
		}
		sitting = (int)n;
	}
	return kw_proctors_pool(req->app, &req->session, exam, sitting, &resp->json, err);
}

/* Public: an exam's draws (commitments, digests, revealed seeds; no one named). */
int kw_h_public_proctors(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_proctors_public(req->app, req->params[0], &resp->json, err);
}

/* Public: a draw's inputs file, as text. */
int kw_h_public_proctor_inputs(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_proctors_inputs(req->app, id, &resp->raw, &resp->raw_len, err);
	if (!rc) {
		resp->raw_type = "text/plain; charset=utf-8";
		kw_resp_header(resp, "Content-Disposition",
		               "attachment; filename=\"proctors-%lld-inputs.txt\"", (long long)id);
	}
	return rc;
}
