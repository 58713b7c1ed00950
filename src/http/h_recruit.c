/* Recruitment after the interview (app/recruit.h) over HTTP. */
#include <stdlib.h>

#include "app/recruit.h"
#include "http/http.h"

typedef int (*body_fn)(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, const json_t *body,
                       json_t **out, struct kw_err *err);

static int with_body(struct kw_req *req, struct kw_resp *resp, body_fn fn, int status,
                     struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = fn(req->app, &req->actor, &req->session, id, req->json, &resp->json, err);
	if (!rc && status)
		resp->status = status;
	return rc;
}

int kw_h_recruit_build(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return with_body(req, resp, kw_recruit_build, 201, err);
}

int kw_h_recruit_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_recruit_get(req->app, &req->session, id, &resp->json, err);
}

/* The recruitment of a shortlist's position, for the staff page (list null before it is built). */
int kw_h_recruit_of_shortlist(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_recruit_of_shortlist(req->app, &req->session, id, &resp->json, err);
}

int kw_h_recruit_step(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return with_body(req, resp, kw_recruit_step, 0, err);
}

int kw_h_recruit_replace(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return with_body(req, resp, kw_recruit_replace, 0, err);
}

int kw_h_recruit_notice_make(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_recruit_notice_make(req->app, &req->actor, &req->session, id, &resp->json,
		                            err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_recruit_notice_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_recruit_notice_approve(req->app, &req->actor, &req->session, id, &resp->json,
	                                      err);
}

/* Public: a published notice. */
int kw_h_recruit_notice_public(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_recruit_notice_public(req->app, id, &resp->json, NULL, err);
}

/* Public: an exam's published notices, newest first. */
int kw_h_recruit_exam_notices(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	return rc ? rc : kw_recruit_exam_notices(req->app, exam, &resp->json, err);
}

/* Public: the printable notice (PDF). */
int kw_h_recruit_notice_pdf(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	struct kw_buf pdf = KW_BUF_INIT;
	kw_buf_init(&pdf, 0);
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_recruit_notice_public(req->app, id, NULL, &pdf, err);
	if (!rc) {
		resp->raw = kw_buf_detach(&pdf, &resp->raw_len);
		resp->raw_type = "application/pdf";
		kw_resp_header(resp, "Content-Disposition", "inline; filename=\"notice-%lld.pdf\"",
		               (long long)id);
	}
	kw_buf_release(&pdf);
	return rc;
}

int kw_h_recruit_objection_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return with_body(req, resp, kw_recruit_objection_add, 201, err);
}

int kw_h_recruit_objection_reply(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return with_body(req, resp, kw_recruit_objection_reply, 0, err);
}

int kw_h_recruit_appoint(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return with_body(req, resp, kw_recruit_appoint, 0, err);
}

int kw_h_recruit_probation(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return with_body(req, resp, kw_recruit_probation, 0, err);
}

/* The candidate's own recruitment steps. */
int kw_h_recruit_mine(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_recruit_mine(req->app, &req->session, &resp->json, err);
}
