/* Cross-checks on record, publication and the score look-up (app/publish.h) over HTTP. */
#include <stdlib.h>

#include "app/publish.h"
#include "http/http.h"

int kw_h_crosscheck_record(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t run;
	int rc = kw_param_id(req, 0, &run, err);
	if (!rc)
		rc = kw_publish_crosscheck_record(req->app, &req->actor, &req->session, run,
		                                  &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_crosschecks(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t run;
	int rc = kw_param_id(req, 0, &run, err);
	if (!rc)
		rc = kw_publish_crosschecks(req->app, &req->session, run, &resp->json, err);
	return rc;
}

int kw_h_publication_prepare(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_publish_prepare(req->app, &req->actor, &req->session, exam, &resp->json,
		                        err);
	if (!rc)
		resp->status = 202; /* waits for the second person (INF-4) */
	return rc;
}

int kw_h_publications(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_publish_list(req->app, &req->session, exam, &resp->json, err);
	return rc;
}

int kw_h_score_lookup(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int retry = 1;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_publish_lookup(req->app, exam, req->json, req->address, &resp->raw,
		                       &resp->raw_len, &retry, err);
	if (rc == KW_ETHROTTLED)
		kw_err_detail(err, "retry_after", json_integer(retry));
	if (!rc) {
		resp->raw_type = "application/json";
		/* a person's scores: never kept by a shared cache */
		kw_resp_header(resp, "Cache-Control", "no-store");
	}
	return rc;
}
