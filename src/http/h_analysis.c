/* Item analysis and score pictures of a score run (app/analysis.h, issue 10 item 6) over
 * HTTP. */
#include <stdlib.h>
#include <string.h>

#include "app/analysis.h"
#include "http/http.h"
#include "util/i18n.h"

/* ?key=1 asks for the correct options (0 or absent: not); anything else is QUERY_INVALID. */
static int key_arg(struct kw_req *req, int *with_key, struct kw_err *err)
{
	const char *k = kw_query(req, "key");
	*with_key = k && strcmp(k, "1") == 0;
	if (k && strcmp(k, "1") != 0 && strcmp(k, "0") != 0) {
		kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "key is 0 or 1");
		kw_err_detail(err, "name", json_string("key"));
		return err->rc;
	}
	return 0;
}

/* The pictures' and the report's language: ?lang=zh-CN|en (a picture's URL then names its
 * language, so a page that switches language gets the other picture), else the request's. */
static const char *lang_arg(struct kw_req *req)
{
	const char *l = kw_query(req, "lang");
	if (l && strcmp(l, KW_LANG_EN) == 0)
		return KW_LANG_EN;
	if (l && strcmp(l, KW_LANG_ZH) == 0)
		return KW_LANG_ZH;
	return req->lang;
}

int kw_h_analysis_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int with_key = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = key_arg(req, &with_key, err);
	if (!rc)
		rc = kw_analysis_get(req->app, &req->actor, &req->session, id, with_key,
		                     &resp->json, err);
	return rc;
}

static int histogram(struct kw_req *req, struct kw_resp *resp, int png, struct kw_err *err)
{
	int64_t id, area = 0, centre = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_query_count(req, "area", 0, &area, err);
	if (!rc)
		rc = kw_query_count(req, "centre", 0, &centre, err);
	char *data = NULL;
	size_t n = 0;
	if (!rc)
		rc = kw_analysis_histogram(req->app, &req->session, id, kw_query(req, "by"), area,
		                           centre, png, lang_arg(req), &data, &n, err);
	if (!rc) {
		resp->raw = data;
		resp->raw_len = n;
		resp->raw_type = png ? "image/png" : "image/svg+xml";
	}
	return rc;
}

int kw_h_analysis_svg(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return histogram(req, resp, 0, err);
}

int kw_h_analysis_png(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return histogram(req, resp, 1, err);
}

int kw_h_analysis_xlsx(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int with_key = 0;
	char *data = NULL;
	size_t n = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = key_arg(req, &with_key, err);
	if (!rc)
		rc = kw_analysis_xlsx(req->app, &req->actor, &req->session, id, with_key,
		                      lang_arg(req), &data, &n, err);
	if (!rc) {
		resp->raw = data;
		resp->raw_len = n;
		resp->raw_type =
		        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		kw_resp_header(resp, "Content-Disposition",
		               "attachment; filename=\"score-run-%lld-analysis.xlsx\"",
		               (long long)id);
	}
	return rc;
}
