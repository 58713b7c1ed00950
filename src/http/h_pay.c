/* Fees (app/pay.h) over HTTP. */
#include <string.h>

#include "app/pay.h"
#include "http/http.h"
#include "util/json.h"

int kw_h_payments_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {{"provider", KW_JSTRING, KW_JREQUIRED, 1, 16}};
	int64_t id;
	int created = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_json_check(req->json, fields, 1, err);
	if (!rc)
		rc = kw_pay_order(
		        req->app, &req->actor, &req->session, id,
		        json_string_value(json_object_get(req->json, "provider")),
		        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Idempotency-Key"),
		        &resp->json, &created, err);
	if (!rc) {
		resp->status = created ? 201 : 200;
		kw_resp_header(resp, "Location", "/api/v1/registrations/%lld/payments",
		               (long long)id);
	}
	return rc;
}

int kw_h_payments_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_pay_list(req->app, &req->session, id, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

/* A provider's callback: the raw body is what was signed. */
int kw_h_payment_callback(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	const char *provider = req->params[0];
	if (!req->body.buf || req->body.len == 0)
		return kw_err_set(err, KW_EINVAL, "BODY_EMPTY", NULL, "no callback body");
	return kw_pay_callback(
	        req->app, &req->actor, provider, req->body.buf, req->body.len,
	        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Signature"), &resp->json,
	        err);
}

int kw_h_payment_test_pay(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_pay_test_pay(req->app, &req->actor, &req->session, id, &resp->json, err);
}

int kw_h_payment_confirm(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {{"bank_ref", KW_JSTRING, KW_JREQUIRED, 1, 64}};
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_json_check(req->json, fields, 1, err);
	return rc ? rc
	          : kw_pay_confirm(req->app, &req->actor, &req->session, id,
	                           json_string_value(json_object_get(req->json, "bank_ref")),
	                           &resp->json, err);
}

int kw_h_payment_refund(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {{"reason", KW_JSTRING, KW_JREQUIRED, 1, 2000}};
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_json_check(req->json, fields, 1, err);
	return rc ? rc
	          : kw_pay_refund(req->app, &req->actor, &req->session, id,
	                          json_string_value(json_object_get(req->json, "reason")),
	                          &resp->json, err);
}
