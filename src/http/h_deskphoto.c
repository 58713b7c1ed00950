/* The photo of a candidate entered at the desk (app/deskphoto.h) over HTTP: PUT
 * /api/v1/candidates/{id}/photo?exam_id=N, the body the image itself, its type in
 * Content-Type, as the candidate's own upload (h_files.c). */
#include "app/deskphoto.h"
#include "http/http.h"

int kw_h_candidate_photo_put(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t cand = 0, exam = 0;
	int rc = kw_param_id(req, 0, &cand, err);
	if (!rc)
		rc = kw_query_count(req, "exam_id", 0, &exam, err);
	if (!rc && exam <= 0) {
		rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		                "exam_id: the exam the candidate is entered for");
		kw_err_detail(err, "name", json_string("exam_id"));
	}
	if (!rc)
		rc = kw_deskphoto_put(req->app, &req->actor, &req->session, exam, cand,
		                      kw_h_content_type(req), req->body.buf, req->body.len,
		                      &resp->json, err);
	return rc;
}
