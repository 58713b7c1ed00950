/* Pass standards, qualified lists and certificates (app/certs.h, GRD-10) over HTTP. */
#include <stdio.h>
#include <stdlib.h>

#include "app/certs.h"
#include "http/http.h"

int kw_h_standards_set(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_certs_standards_set(req->app, &req->actor, &req->session, exam, req->json,
		                            &resp->json, err);
	return rc;
}

int kw_h_standards(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_certs_standards(req->app, exam, &resp->json, err);
	return rc;
}

int kw_h_qualified_prepare(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_certs_list_prepare(req->app, &req->actor, &req->session, exam, &resp->json,
		                           err);
	if (!rc)
		resp->status = 202; /* the province confirms it (INF-4) */
	return rc;
}

int kw_h_qualified_lists(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_certs_lists(req->app, &req->session, exam, &resp->json, err);
	return rc;
}

int kw_h_certificates(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_certs_list(req->app, &req->session, exam, kw_query(req, "status"),
		                   &resp->json, err);
	return rc;
}

int kw_h_certificate_pdf(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	char number[96] = "";
	struct kw_buf pdf = KW_BUF_INIT;
	kw_buf_init(&pdf, 0);
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_certs_pdf(req->app, &req->session, id, &pdf, number, sizeof number, err);
	if (!rc) {
		resp->raw = kw_buf_detach(&pdf, &resp->raw_len);
		resp->raw_type = "application/pdf";
		kw_resp_header(resp, "Content-Disposition",
		               "inline; filename=\"certificate-%s.pdf\"", number);
		kw_resp_header(resp, "Cache-Control", "private, no-store");
	}
	kw_buf_release(&pdf);
	return rc;
}

int kw_h_certificate_revoke(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_certs_revoke(req->app, &req->actor, &req->session, id, req->json,
		                     &resp->json, err);
	if (!rc)
		resp->status = 202;
	return rc;
}

int kw_h_certificate_verify(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int retry = 1;
	int rc = kw_certs_verify(req->app, req->json, req->address, &resp->json, &retry, err);
	if (rc == KW_ETHROTTLED)
		kw_err_detail(err, "retry_after", json_integer(retry));
	return rc;
}

int kw_h_certificate_key(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)err;
	resp->json = kw_certs_key_json(req->app);
	return 0;
}
