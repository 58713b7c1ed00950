/* The integrity archive's sharing ledger (app/archive.h) over HTTP. */

#include "app/archive.h"
#include "http/http.h"

/* GET /api/v1/archive_shares?status=pending|overdue|shared&kind=&cursor=&limit= */
int kw_h_archive_shares_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	struct kw_archive_share_query q = {0};
	int64_t limit = 0;
	int rc = kw_query_count(req, "cursor", 0, &q.after, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 100, &limit, err);
	if (!rc) {
		q.limit = limit > 1000 || limit < 1 ? -1 : (int)limit;
		q.status = kw_query(req, "status");
		q.kind = kw_query(req, "kind");
		rc = kw_archive_shares_list(req->app, &req->actor, &req->session, &q, &resp->json,
		                            err);
	}
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

/* POST /api/v1/archive_shares/export {kind, export_no?}: CSV with whole identity numbers. */
int kw_h_archive_export(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t rows = 0, no = 0;
	int rc = kw_archive_export(req->app, &req->actor, &req->session, req->json, &resp->raw,
	                           &resp->raw_len, &rows, &no, err);
	if (rc)
		return rc;
	resp->raw_type = "text/csv; charset=utf-8";
	kw_resp_header(resp, "Content-Disposition",
	               "attachment; filename=\"archive-share-%lld.csv\"", (long long)no);
	kw_resp_header(resp, "X-Export-No", "%lld", (long long)no);
	kw_resp_header(resp, "X-Export-Rows", "%lld", (long long)rows);
	kw_resp_header(resp, "Cache-Control", "no-store");
	return 0;
}

/* POST /api/v1/public/integrity_lookup {id_number, name}: the qualification archive, public. */
int kw_h_integrity_lookup(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int retry = 1;
	int rc = kw_archive_public_lookup(req->app, req->json, req->address, &resp->json, &retry,
	                                  err);
	if (rc == KW_ETHROTTLED)
		kw_err_detail(err, "retry_after", json_integer(retry));
	/* a person's record, or its absence: never kept by a shared cache */
	kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}
