/* A centre's readiness (app/readiness.h, VEN-6) and the duty roster and log (app/duty.h,
 * DAY-1) over HTTP: /api/v1/exams/{id}/readiness, /api/v1/exams/{id}/duty… */
#include <string.h>

#include "app/duty.h"
#include "app/readiness.h"
#include "http/http.h"

/* A query flag: "1" or "true" (absent: 0). */
static int flag(struct kw_req *req, const char *name)
{
	const char *v = kw_query(req, name);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

int kw_h_readiness(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	struct kw_readiness_query q = {0};
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_query_count(req, "centre_id", 0, &q.centre_id, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 0, &q.limit, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &q.cursor, err);
	if (rc)
		return rc;
	q.not_ready_only = flag(req, "not_ready_only");
	q.code = kw_query(req, "code");
	q.reason = kw_query(req, "reason");
	if (q.code && !*q.code)
		q.code = NULL;
	if (q.reason && !*q.reason)
		q.reason = NULL;
	return kw_readiness_list(req->app, &req->session, exam, &q, &resp->json, err);
}

int kw_h_duty_roster(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	struct kw_duty_query q = {0};
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_query_count(req, "centre_id", 0, &q.centre_id, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 0, &q.limit, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &q.cursor, err);
	if (rc)
		return rc;
	q.gaps_only = flag(req, "gaps_only");
	return kw_duty_roster(req->app, &req->session, exam, &q, &resp->json, err);
}

int kw_h_duty_shift_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_duty_shift_add(req->app, &req->actor, &req->session, exam, req->json,
		                       &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_duty_log_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_duty_log_add(req->app, &req->actor, &req->session, exam, req->json,
		                     &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_duty_log(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, centre = 0, unit = 0, limit = 0, cursor = 0;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_query_count(req, "centre_id", 0, &centre, err);
	if (!rc)
		rc = kw_query_count(req, "unit_id", 0, &unit, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 0, &limit, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &cursor, err);
	const char *day = kw_query(req, "day");
	if (day && !*day)
		day = NULL;
	if (!rc)
		rc = kw_duty_log_list(req->app, &req->session, exam, centre, unit, day, limit,
		                      cursor, &resp->json, err);
	return rc;
}
