/* The interview day's documents (app/interview_docs.h) over HTTP: PDFs, never cached. */
#include <stdio.h>

#include "app/interview_docs.h"
#include "http/http.h"

static void pdf_resp(struct kw_resp *resp, struct kw_buf *pdf, const char *name, int64_t id)
{
	resp->raw = kw_buf_detach(pdf, &resp->raw_len);
	resp->raw_type = "application/pdf";
	kw_resp_header(resp, "Content-Disposition", "inline; filename=\"%s-%lld.pdf\"", name,
	               (long long)id);
	kw_resp_header(resp, "Cache-Control", "no-store");
}

typedef int (*panel_doc_fn)(struct kw_app *app, const struct kw_actor *actor,
                            const struct kw_session_info *s, int64_t panel, struct kw_buf *pdf,
                            struct kw_err *err);

static int panel_doc(struct kw_req *req, struct kw_resp *resp, panel_doc_fn fn, const char *name,
                     struct kw_err *err)
{
	int64_t id;
	struct kw_buf pdf = KW_BUF_INIT;
	kw_buf_init(&pdf, 0);
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = fn(req->app, &req->actor, &req->session, id, &pdf, err);
	if (!rc)
		pdf_resp(resp, &pdf, name, id);
	kw_buf_release(&pdf);
	return rc;
}

int kw_h_interview_score_sheets(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return panel_doc(req, resp, kw_interview_score_sheets, "score-sheets", err);
}

int kw_h_interview_summary(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return panel_doc(req, resp, kw_interview_summary, "summary", err);
}

int kw_h_interview_room_plan(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	struct kw_buf pdf = KW_BUF_INIT;
	kw_buf_init(&pdf, 0);
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_interview_room_plan(req->app, &req->session, id,
		                            kw_query(req, "waiting_rooms"), &pdf, err);
	if (!rc)
		pdf_resp(resp, &pdf, "room-plan", id);
	kw_buf_release(&pdf);
	return rc;
}
