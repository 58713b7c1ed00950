/* Exam-day incidents (app/incidents.h; DAY-5, VEN-4) over HTTP: /api/v1/exams/{id}/exam_incidents
 * and /api/v1/exam_incidents/{id}/… (/api/v1/incidents is the VEN-4 register); outcomes are
 * decided through /api/v1/approvals/{id}. */
#include "app/incidents.h"
#include "http/http.h"

int kw_h_incident_raise(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_incident_raise(req->app, &req->actor, &req->session, exam, req->json,
		                       &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_incidents_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, limit = 50;
	struct kw_incident_query q = {0};
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_query_count(req, "centre_id", 0, &q.centre, err);
	if (!rc)
		rc = kw_query_count(req, "awaiting_unit_id", 0, &q.awaiting, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &q.after, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 50, &limit, err);
	if (!rc) {
		q.limit = limit > 500 ? 500 : (int)limit;
		q.status = kw_query(req, "status");
		q.category = kw_query(req, "category");
		rc = kw_incidents_list(req->app, &req->session, exam, &q, &resp->json, err);
	}
	return rc;
}

int kw_h_incident_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_incident_get(req->app, &req->session, id, &resp->json, err);
}

int kw_h_incident_acknowledge(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_incident_acknowledge(req->app, &req->actor, &req->session, id, req->json,
	                                    &resp->json, err);
}

int kw_h_incident_escalate(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_incident_escalate(req->app, &req->actor, &req->session, id, req->json,
	                                 &resp->json, err);
}

int kw_h_incident_update_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_incident_update_add(req->app, &req->actor, &req->session, id, req->json,
		                            &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_incident_police_report(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_incident_police_report(req->app, &req->actor, &req->session, id, req->json,
	                                      &resp->json, err);
}

int kw_h_incident_major(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_incident_mark_major(req->app, &req->actor, &req->session, id, &resp->json,
	                                   err);
}

int kw_h_incident_close(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_incident_close(req->app, &req->actor, &req->session, id, req->json,
	                              &resp->json, err);
}

int kw_h_incident_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_incident_file_add(req->app, &req->actor, &req->session, id,
		                          kw_h_content_type(req), kw_query(req, "label"),
		                          req->body.buf, req->body.len, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_incident_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, file;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_param_id(req, 1, &file, err);
	struct kw_file f;
	if (!rc)
		rc = kw_incident_file(req->app, &req->session, id, file, &f, err);
	if (!rc) {
		kw_h_serve_file(resp, &f, 1);
		kw_file_release(&f);
	}
	return rc;
}

int kw_h_incident_outcome(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_incident_outcome_request(req->app, &req->actor, &req->session, id,
		                                 req->json, &resp->json, err);
	if (!rc)
		resp->status = 202;
	return rc;
}
