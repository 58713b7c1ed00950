/* Admission tickets (app/tickets.h) over HTTP. */
#include <stdlib.h>
#include <string.h>

#include "app/tickets.h"
#include "http/http.h"

static void pdf_resp(struct kw_resp *resp, char *pdf, size_t n, const char *name)
{
	resp->raw = pdf;
	resp->raw_len = n;
	resp->raw_type = "application/pdf";
	kw_resp_header(resp, "Content-Disposition",
	               "attachment; filename=\"%s\"; "
	               "filename*=UTF-8''%%E5%%87%%86%%E8%%80%%83%%E8%%AF%%81.pdf",
	               name);
	kw_resp_header(resp, "Cache-Control", "private, no-store");
}

int kw_h_ticket_download(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	char *pdf = NULL;
	size_t n = 0;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_ticket_download(req->app, &req->actor, &req->session, reg, &pdf, &n, err);
	if (!rc)
		pdf_resp(resp, pdf, n, "ticket.pdf");
	return rc;
}

int kw_h_ticket_issue(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_ticket_issue(req->app, &req->actor, &req->session, reg, req->json,
		                     &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_ticket_pdf(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	char *pdf = NULL;
	size_t n = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_ticket_pdf_get(req->app, &req->session, id, &pdf, &n, err);
	if (!rc)
		pdf_resp(resp, pdf, n, "ticket.pdf");
	return rc;
}

int kw_h_ticket_verify(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	const char *payload = json_string_value(json_object_get(req->json, "payload"));
	return kw_ticket_verify(req->app, payload, &resp->json, err);
}

int kw_h_ticket_key(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)err;
	resp->json = kw_ticket_key_json(req->app);
	return 0;
}
