/* Interviews (app/interview.h) over HTTP: settings, shortlists, panels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/interview.h"
#include "http/http.h"
#include "util/buf.h"
#include "util/i18n.h"

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

/* A message in the request's language for code with details (NULL when none). */
static json_t *message(struct kw_req *req, const char *code, const json_t *details)
{
	if (!code)
		return NULL;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 1024);
	json_t *m = kw_i18n_format(req->lang, code, details, &b) == 0 ? json_string(b.buf) : NULL;
	kw_buf_release(&b);
	return m;
}

/* A whole schedule's panels in one request; each refused row of PANEL_IMPORT_INVALID gets the
 * message the single route would have answered (and its fields theirs, P_<problem>). */
int kw_h_panels_import(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	struct kw_op op;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_interview_panels_import_op(req->app, &req->session, exam, req->json, &op,
		                                   err);
	(void)resp;
	if (rc && err->code && strcmp(err->code, "PANEL_IMPORT_INVALID") == 0) {
		size_t i, k;
		json_t *row, *f;
		json_array_foreach(json_object_get(err->details, "rows"), i, row)
		{
			json_t *d = json_object_get(row, "details");
			json_array_foreach(json_object_get(d, "fields"), k, f)
			{
				char key[64];
				const char *what = json_string_value(json_object_get(f, "problem"));
				snprintf(key, sizeof key, "P_%s", what ? what : "");
				json_t *m = what ? message(req, key, f) : NULL;
				if (m)
					json_object_set_new(f, "message", m);
			}
			json_t *m =
			        message(req, json_string_value(json_object_get(row, "code")), d);
			if (m)
				json_object_set_new(row, "message", m);
		}
	}
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
