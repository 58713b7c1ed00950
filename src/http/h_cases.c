/* Violation cases (app/cases.h, VIO-0 … VIO-9) over HTTP. */
#include <stdlib.h>
#include <string.h>

#include "app/cases.h"
#include "http/http.h"

int kw_h_case_open(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = kw_case_open(req->app, &req->actor, &req->session, req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_cases_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam = 0, after = 0, limit = 0;
	int rc = kw_query_count(req, "exam_id", 0, &exam, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &after, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 50, &limit, err);
	if (!rc)
		rc = kw_cases_list(req->app, &req->session, exam, kw_query(req, "status"), after,
		                   limit > 1000 ? 1001 : (int)limit, &resp->json, err);
	return rc;
}

int kw_h_case_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_case_get(req->app, &req->session, id, &resp->json, err);
}

static int step(struct kw_req *req, struct kw_resp *resp, const char *name, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_case_step(req->app, &req->actor, &req->session, id, name, req->json,
	                         &resp->json, err);
}

#define STEP(fn, name)                                                                             \
	int fn(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)                       \
	{                                                                                          \
		return step(req, resp, name, err);                                                 \
	}
STEP(kw_h_case_sign, "sign")
STEP(kw_h_case_notify, "notify")
STEP(kw_h_case_defence, "defence")
STEP(kw_h_case_review, "review")
STEP(kw_h_case_decide, "decide")
STEP(kw_h_case_serve, "serve")
STEP(kw_h_case_appeal, "appeal")
STEP(kw_h_case_change, "change")
STEP(kw_h_case_drop, "drop")
STEP(kw_h_case_consequence, "consequence")
STEP(kw_h_case_reply, "reply")

static int change_decide(struct kw_req *req, struct kw_resp *resp, int approve, struct kw_err *err)
{
	int64_t id, change;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_param_id(req, 1, &change, err);
	return rc ? rc
	          : kw_case_change_decide(req->app, &req->actor, &req->session, id, change, approve,
	                                  req->json, &resp->json, err);
}

int kw_h_case_change_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return change_decide(req, resp, 1, err);
}

int kw_h_case_change_refuse(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return change_decide(req, resp, 0, err);
}

int kw_h_case_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_case_file_add(req->app, &req->actor, &req->session, id,
		                      kw_query(req, "kind"), kw_h_content_type(req),
		                      kw_query(req, "label"), req->body.buf, req->body.len,
		                      &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_case_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, file;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_param_id(req, 1, &file, err);
	struct kw_file f;
	if (!rc)
		rc = kw_case_file(req->app, &req->session, id, file, &f, err);
	if (!rc) {
		kw_h_serve_file(resp, &f, 1);
		kw_file_release(&f);
	}
	return rc;
}

int kw_h_case_mine(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_case_mine(req->app, &req->session, &resp->json, err);
}

int kw_h_case_draft(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, unit = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_query_count(req, "unit_id", 0, &unit, err);
	const char *format = kw_query(req, "format");
	int pdf = format && strcmp(format, "pdf") == 0;
	if (!rc && format && !pdf) {
		kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		           "format is pdf, or absent for JSON");
		kw_err_detail(err, "name", json_string("format"));
		rc = err->rc;
	}
	json_t *doc = NULL;
	struct kw_file f;
	if (!rc)
		rc = kw_case_draft(req->app, &req->session, id, req->params[1], unit,
		                   kw_query(req, "entry_id"), pdf, &doc, &f, err);
	if (!rc && pdf) {
		kw_h_serve_file(resp, &f, 1);
		kw_file_release(&f);
		json_decref(doc);
	} else if (!rc) {
		resp->json = doc;
	}
	return rc;
}

/* PUT /api/v1/units/{id}/doc_prefix {doc_prefix}: the prefix of the unit's document numbers. */
int kw_h_unit_doc_prefix(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_unit_doc_prefix_set(req->app, &req->actor, &req->session, id, req->json,
	                                   &resp->json, err);
}
