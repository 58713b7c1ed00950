/* Seating (app/seating.h) over HTTP. */
#include <stdlib.h>
#include <string.h>

#include "app/seating.h"
#include "http/http.h"

/* GET …/exams/{id}/capacity[?capacity=N&accommodation_capacity=N&columns=N&ticket_scheme=S]:
 * the plan, nothing drawn. */
int kw_h_seating_capacity(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (rc)
		return rc;
	json_t *rule = json_object();
	static const char *const ints[] = {"capacity", "accommodation_capacity", "columns", NULL};
	for (int i = 0; ints[i]; i++) {
		const char *v = kw_query(req, ints[i]);
		if (!v)
			continue;
		char *end;
		long n = strtol(v, &end, 10);
		json_object_set_new(rule, ints[i],
		                    *v && !*end && n > 0 && n < 100000 ? json_integer(n)
		                                                       : json_string(v));
	}
	/* the scheme too: the plan checks that every ticket number fits it (text that is not
	 * UTF-8 goes on as a non-string, which the rule refuses) */
	const char *scheme = kw_query(req, "ticket_scheme");
	if (scheme) {
		json_t *v = json_string(scheme);
		json_object_set_new(rule, "ticket_scheme", v ? v : json_false());
	}
	json_t *body = json_pack("{s:o}", "rule", rule);
	rc = kw_seating_capacity(req->app, &req->session, exam, body, &resp->json, err);
	json_decref(body);
	return rc;
}

int kw_h_seating_commit(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_seating_commit(req->app, &req->actor, &req->session, exam, req->json,
		                       &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_seating_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_seating_get(req->app, &req->session, id, &resp->json, err);
}

int kw_h_seating_seat(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_seating_seat(req->app, &req->actor, &req->session, id, &resp->json, err);
}

int kw_h_seating_publish(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_seating_publish(req->app, &req->actor, &req->session, id, &resp->json, err);
}

int kw_h_seating_discard(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_seating_discard(req->app, &req->actor, &req->session, id, req->json,
	                               &resp->json, err);
}

int kw_h_seating_rooms(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_seating_rooms(req->app, &req->session, id, &resp->json, err);
}

/* Public: an exam's seating runs (commitments, digests, revealed seeds). */
int kw_h_public_seating(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	const char *exam = req->params[0];
	return kw_seating_public(req->app, exam, &resp->json, err);
}

/* Public: a run's inputs file, as text. */
int kw_h_public_seating_inputs(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_seating_inputs(req->app, id, &resp->raw, &resp->raw_len, err);
	if (!rc) {
		resp->raw_type = "text/plain; charset=utf-8";
		kw_resp_header(resp, "Content-Disposition",
		               "attachment; filename=\"seating-%lld-inputs.txt\"", (long long)id);
	}
	return rc;
}

static void doc_resp(struct kw_resp *resp, char *data, size_t n, const char *type, const char *name,
                     int64_t run)
{
	resp->raw = data;
	resp->raw_len = n;
	resp->raw_type = type;
	kw_resp_header(resp, "Content-Disposition", "attachment; filename=\"run-%lld-%s\"",
	               (long long)run, name);
}

int kw_h_seating_door_labels(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	char *pdf = NULL;
	size_t n = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_seating_door_labels(req->app, &req->session, id, kw_query(req, "centre"),
		                            &pdf, &n, err);
	if (!rc)
		doc_resp(resp, pdf, n, "application/pdf", "door-labels.pdf", id);
	return rc;
}

int kw_h_seating_desk_labels(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	char *pdf = NULL;
	size_t n = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_seating_desk_labels(req->app, &req->session, id, kw_query(req, "centre"),
		                            &pdf, &n, err);
	if (!rc)
		doc_resp(resp, pdf, n, "application/pdf", "desk-labels.pdf", id);
	return rc;
}

int kw_h_seating_paper_order(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	char *x = NULL;
	size_t n = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_seating_paper_order(req->app, &req->session, id, &x, &n, err);
	if (!rc)
		doc_resp(resp, x, n,
		         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		         "paper-order.xlsx", id);
	return rc;
}

int kw_h_seat_change_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_seat_change_request(req->app, &req->actor, &req->session, id, req->json,
		                            &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

static int decide(struct kw_req *req, struct kw_resp *resp, int approve, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc
	          : kw_seat_change_decide(req->app, &req->actor, &req->session, id, approve,
	                                  req->json, &resp->json, err);
}

int kw_h_seat_change_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return decide(req, resp, 1, err);
}

int kw_h_seat_change_reject(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return decide(req, resp, 0, err);
}

int kw_h_seating_centre_doc(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	char *pdf = NULL;
	size_t n = 0;
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_seating_centre_doc(req->app, &req->session, id, req->params[1],
		                           kw_query(req, "centre"), &pdf, &n, err);
	if (!rc)
		doc_resp(resp, pdf, n, "application/pdf", "centre.pdf", id);
	return rc;
}
