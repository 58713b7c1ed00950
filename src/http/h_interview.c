/* Interviews (app/interview.h) over HTTP: settings, shortlists, panels. */
#include <stdlib.h>

#include "app/interview.h"
#include "http/http.h"

int kw_h_interview_settings_put(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc
	          : kw_interview_settings_put(req->app, &req->actor, &req->session, exam, req->json,
	                                      &resp->json, err);
}

int kw_h_interview_settings_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_interview_settings_get(req->app, &req->session, exam, &resp->json, err);
}

int kw_h_shortlists_build(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_interview_shortlists_build(req->app, &req->actor, &req->session, exam,
		                                   req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_shortlist_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_interview_shortlist_get(req->app, &req->session, id, &resp->json, err);
}

int kw_h_shortlist_publish(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	struct kw_op op;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_interview_shortlist_publish_op(req->app, &req->session, id, &op, err);
	(void)resp;
	return rc ? rc : kw_http_defer_op(req, &op, err);
}

int kw_h_shortlist_decline(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_interview_shortlist_decline(req->app, &req->actor, &req->session, id,
	                                           req->json, &resp->json, err);
}

/* Public: the exam's published shortlists (masked names, the admitted only). */
int kw_h_public_shortlists(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_interview_public_shortlists(req->app, exam, &resp->json, err);
}

int kw_h_panel_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	struct kw_op op;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_interview_panel_create_op(req->app, &req->session, exam, req->json, &op,
		                                  err);
	(void)resp;
	return rc ? rc : kw_http_defer_op(req, &op, err);
}

int kw_h_panel_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_interview_panel_get(req->app, &req->actor, &req->session, id, &resp->json,
	                                   err);
}

int kw_h_shortlists_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc
	          : kw_interview_shortlists_list(req->app, &req->session, exam, &resp->json, err);
}

int kw_h_panels_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_interview_panels_list(req->app, &req->session, exam, &resp->json, err);
}

/* ---- the interview day ---- */

int kw_h_interview_day_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_interview_day_create(req->app, &req->actor, &req->session, exam, req->json,
		                             &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_interview_day_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_interview_day_get(req->app, &req->session, id, &resp->json, err);
}

int kw_h_interview_room_draw(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	struct kw_op op;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_interview_room_draw_op(req->app, &req->session, id, &op, err);
	(void)resp;
	return rc ? rc : kw_http_defer_op(req, &op, err);
}

int kw_h_interview_order_draw(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	struct kw_op op;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_interview_order_draw_op(req->app, &req->session, id, &op, err);
	(void)resp;
	return rc ? rc : kw_http_defer_op(req, &op, err);
}

int kw_h_interview_score_enter(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, no;
	struct kw_op op;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_param_id(req, 1, &no, err);
	if (!rc)
		rc = kw_interview_score_op(req->app, &req->session, id, no, req->json, &op, err);
	(void)resp;
	return rc ? rc : kw_http_defer_op(req, &op, err);
}

int kw_h_interview_scores_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, no;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_param_id(req, 1, &no, err);
	return rc ? rc : kw_interview_scores_get(req->app, &req->session, id, no, &resp->json, err);
}

int kw_h_interview_signoff(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id, no;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_param_id(req, 1, &no, err);
	struct kw_op op;
	if (!rc)
		rc = kw_interview_signoff_op(req->app, &req->session, id, no, req->json, &op, err);
	(void)resp;
	return rc ? rc : kw_http_defer_op(req, &op, err);
}

int kw_h_interview_results_publish(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_interview_results_publish(req->app, &req->actor, &req->session, id,
	                                         &resp->json, err);
}

int kw_h_interview_results_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_interview_results_get(req->app, &req->session, id, &resp->json, err);
}

int kw_h_interview_days_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_interview_days_list(req->app, &req->session, exam, &resp->json, err);
}

/* The panels the caller sits on (their staff record linked to their account). */
int kw_h_interview_my_panels(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_interview_my_panels(req->app, &req->session, &resp->json, err);
}

/* Observers of an interview day (INT-7). */
int kw_h_interview_observer_register(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t day;
	int rc = kw_param_id(req, 0, &day, err);
	if (!rc)
		rc = kw_interview_observer_register(req->app, &req->actor, &req->session, day,
		                                    req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_interview_observers_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t day;
	int rc = kw_param_id(req, 0, &day, err);
	return rc ? rc
	          : kw_interview_observers_list(req->app, &req->session, day, &resp->json, err);
}

static int presence(struct kw_req *req, struct kw_resp *resp, int leaving, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_interview_observer_presence(req->app, &req->actor, &req->session, id,
	                                           leaving, req->json, &resp->json, err);
}

int kw_h_interview_observer_attend(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return presence(req, resp, 0, err);
}

int kw_h_interview_observer_leave(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return presence(req, resp, 1, err);
}
