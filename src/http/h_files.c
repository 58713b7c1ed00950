/* Candidates' uploads (app/files.h) over HTTP: the body is the file itself, its type in
 * Content-Type; what comes back is never sniffed, never cached (the API's common headers),
 * a PDF only as an attachment. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "app/files.h"
#include "http/http.h"

const char *kw_h_content_type(struct kw_req *req)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
}

/* A stored file as the response: its bytes, type, digest and a download name. */
void kw_h_serve_file(struct kw_resp *resp, struct kw_file *f, int inline_ok)
{
	resp->raw = (char *)f->data;
	resp->raw_len = f->len;
	resp->raw_type =
	        strcmp(f->media_type, "application/pdf") == 0 ? "application/pdf" : "image/jpeg";
	f->data = NULL;
	kw_resp_header(resp, "Content-Disposition", "%s; filename=\"%s\"",
	               inline_ok ? "inline" : "attachment", f->name);
	kw_resp_header(resp, "ETag", "\"%s\"", f->sha256);
}

int kw_h_photo_put(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	if (!req->session.candidate_id)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
		                  "for candidates' own accounts");
	return kw_files_put_photo(req->app, &req->actor, req->session.candidate_id,
	                          kw_h_content_type(req), req->body.buf, req->body.len, &resp->json,
	                          err);
}

int kw_h_photo_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg = 0;
	int rc = req->params[0] ? kw_param_id(req, 0, &reg, err) : 0;
	struct kw_file f;
	if (!rc)
		rc = kw_files_photo(req->app, &req->session, reg, &f, err);
	if (!rc) {
		kw_h_serve_file(resp, &f,
		                1); /* a re-encoded JPEG of ours: safe to show in a page */
		kw_file_release(&f);
	}
	return rc;
}

int kw_h_proofs_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_files_add_proof(req->app, &req->actor, &req->session, reg,
		                        kw_h_content_type(req), kw_query(req, "label"),
		                        req->body.buf, req->body.len, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_proofs_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_files_proofs(req->app, &req->session, reg, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

int kw_h_proof_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t reg, id;
	int rc = kw_param_id(req, 0, &reg, err);
	if (!rc)
		rc = kw_param_id(req, 1, &id, err);
	struct kw_file f;
	if (!rc)
		rc = kw_files_proof(req->app, &req->session, reg, id, &f, err);
	if (!rc) {
		/* A PDF as uploaded is never shown inline under our origin. */
		kw_h_serve_file(resp, &f, strcmp(f.media_type, "application/pdf") != 0);
		kw_file_release(&f);
	}
	return rc;
}
