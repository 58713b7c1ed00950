/* Candidates, registrations and the public exam pages (app/reg.h) over HTTP. */
#include <stdlib.h>
#include <string.h>

#include "app/reg.h"
#include "app/stats.h"
#include "http/http.h"
#include "util/json.h"

int kw_h_candidates_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = kw_reg_signup(req->app, &req->actor, req->json, &resp->json, err);
	if (!rc) {
		resp->status = 201;
		kw_resp_header(resp, "Location", "/api/v1/candidates/me");
	}
	return rc;
}

static int candidate_only(struct kw_req *req, struct kw_err *err)
{
	return req->session.candidate_id ? 0
	                                 : kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
	                                              "for candidates' own accounts");
}

int kw_h_candidate_me(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = candidate_only(req, err);
	if (!rc)
		rc = kw_reg_profile(req->app, req->session.candidate_id, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

int kw_h_candidate_update(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = candidate_only(req, err);
	return rc ? rc
	          : kw_reg_profile_update(req->app, &req->actor, req->session.candidate_id,
	                                  req->json, &resp->json, err);
}

/* ---- registrations ---- */

static void submit_free(void *p)
{
	kw_reg_submit_free(p);
}

static int submitted(struct kw_req *req, struct kw_resp *resp, int rc, struct kw_err *job_err,
                     struct kw_err *err)
{
	if (rc) {
		*err = *job_err;
		*job_err = (struct kw_err)KW_ERR_INIT;
		return rc;
	}
	int created = 0;
	int64_t id = kw_reg_submit_id(req->scratch, &created);
	rc = kw_reg_get(req->app, &req->session, id, &resp->json, err);
	if (rc)
		return rc;
	/* A repeated submission answers with what is there: 200, not a second record. */
	resp->status = created ? 201 : 200;
	kw_resp_header(resp, "Location", "/api/v1/registrations/%lld", (long long)id);
	return 0;
}

int kw_h_registrations_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	struct kw_reg_submit *r;
	int64_t cand = json_integer_value(json_object_get(req->json, "candidate_id"));
	if (!req->session.candidate_id && cand <= 0) {
		int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
		                    "staff entering a registration name the candidate");
		kw_err_detail(
		        err, "fields",
		        json_pack("[{s:s, s:s}]", "field", "candidate_id", "problem", "required"));
		return rc;
	}
	int rc = kw_reg_submit_prepare(req->app, &req->session, cand, req->json, req->address, &r,
	                               err);
	if (rc)
		return rc;
	req->scratch = r;
	req->scratch_free = submit_free;
	if (kw_reg_submit_known(r))
		return submitted(req, resp, 0, NULL, err);
	return kw_http_defer(req, kw_reg_submit_job, r, submitted, err);
}

static int query_limit(struct kw_req *req, int *limit, struct kw_err *err)
{
	const char *v = kw_query(req, "limit");
	*limit = 50;
	if (!v)
		return 0;
	char *end;
	long x = strtol(v, &end, 10);
	if (!*v || *end || x < 1 || x > 1000)
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "limit is 1..1000");
	*limit = (int)x;
	return 0;
}

int kw_h_registrations_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	struct kw_reg_query q = {0};
	int rc = kw_query_count(req, "exam_id", 0, &q.exam_id, err);
	if (!rc)
		rc = kw_query_count(req, "position_id", 0, &q.position_id, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &q.after, err);
	if (!rc)
		rc = query_limit(req, &q.limit, err);
	q.status = kw_query(req, "status");
	if (!rc && q.status && strlen(q.status) > 20)
		rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "bad status");
	if (!rc)
		rc = kw_reg_list(req->app, &req->session, &q, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

int kw_h_registration_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_reg_get(req->app, &req->session, id, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

static const struct kw_jfield review_fields[] = {
        {"decision", KW_JSTRING, KW_JREQUIRED, 1, 20},
        {"reason", KW_JSTRING, KW_JNULLABLE, 0, 2000},
};

int kw_h_registration_review(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_json_check(req->json, review_fields, 2, err);
	if (!rc)
		rc = kw_reg_review(req->app, &req->actor, &req->session, id,
		                   json_string_value(json_object_get(req->json, "decision")),
		                   json_string_value(json_object_get(req->json, "reason")),
		                   &resp->json, err);
	return rc;
}

static const struct kw_jfield withdraw_fields[] = {
        {"reason", KW_JSTRING, KW_JREQUIRED, 1, 2000},
};

int kw_h_registration_withdraw_pledge(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_json_check(req->json, withdraw_fields, 1, err);
	if (!rc)
		rc = kw_reg_withdraw_pledge(req->app, &req->actor, &req->session, id,
		                            json_string_value(json_object_get(req->json, "reason")),
		                            &resp->json, err);
	return rc;
}

/* ---- public pages ---- */

int kw_h_public_exams(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = kw_reg_public_exams(req->app, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "public, max-age=30");
	return rc;
}

int kw_h_public_exam(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_reg_public_exam(req->app, id, req->lang, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "public, max-age=30");
	return rc;
}

int kw_h_public_positions(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	struct kw_pos_query q = {
	        .q = kw_query(req, "q"),
	        .category = kw_query(req, "category"),
	        .education = kw_query(req, "education"),
	        .major = kw_query(req, "major"),
	        .location = kw_query(req, "location"),
	};
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_query_count(req, "cursor", 0, &q.after, err);
	if (!rc)
		rc = query_limit(req, &q.limit, err);
	if (!rc)
		rc = kw_reg_public_positions(req->app, id, &q, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "public, max-age=30");
	return rc;
}

/* ---- identity claims (REG-4) ---- */

int kw_h_claims_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = kw_reg_claim_create(req->app, &req->actor, req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_claims_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	const char *st = kw_query(req, "status");
	if (st && strlen(st) > 20)
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "bad status");
	int rc = kw_reg_claims_list(req->app, &req->session, st, &resp->json, err);
	if (!rc)
		kw_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

static const struct kw_jfield decide_fields[] = {
        {"decision", KW_JSTRING, KW_JREQUIRED, 1, 20},
        {"reason", KW_JSTRING, KW_JNULLABLE, 0, 2000},
};

int kw_h_claim_decide(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_json_check(req->json, decide_fields, 2, err);
	if (!rc)
		rc = kw_reg_claim_decide(req->app, &req->actor, &req->session, id,
		                         json_string_value(json_object_get(req->json, "decision")),
		                         json_string_value(json_object_get(req->json, "reason")),
		                         &resp->json, err);
	return rc;
}

/* ---- public figures (rendered, cached; If-None-Match answered with 304) ---- */

int kw_h_public_statistics(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	char etag[72];
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_stats_exam(req->app, id, &resp->raw, &resp->raw_len, etag, err);
	if (rc)
		return rc;
	resp->raw_type = "application/json";
	kw_resp_header(resp, "ETag", "%s", etag);
	kw_resp_header(resp, "Cache-Control", "public, max-age=%d",
	               (int)(KW_STATS_REFRESH_US / 1000000));
	const char *inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		resp->status = 304;
		resp->raw[0] = '\0';
		resp->raw_len = 0;
	}
	return 0;
}

int kw_h_registration_area(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_reg_set_area(req->app, &req->actor, &req->session, id, req->json,
		                     &resp->json, err);
	return rc;
}
