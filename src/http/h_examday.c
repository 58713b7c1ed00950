/* Exam day (app/examday.h, DAY-2..4): check-in, leaving, the room record over HTTP. Paths:
 * /api/v1/exams/{id}/sittings/{subject}/…, the room an exam room's id. */
#include "app/examday.h"
#include "http/http.h"

int kw_h_examday_my_rooms(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_examday_my_rooms(req->app, &req->session, &resp->json, err);
}

/* A new check-in waits for its commit without holding a thread (kw_http_defer_op): the
 * group commit then writes a room's scans together. A repeated scan or a preview answers at
 * once. */
int kw_h_examday_checkin(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	struct kw_op op;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_examday_checkin_op(req->app, &req->session, exam, req->params[1], req->json,
		                           &op, &resp->json, err);
	if (rc || !op.job)
		return rc;
	return kw_http_defer_op(req, &op, err);
}

int kw_h_examday_checkins(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room = 0;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_query_count(req, "room_id", 0, &room, err);
	if (!rc)
		rc = kw_examday_checkins(req->app, &req->session, exam, req->params[1], room,
		                         &resp->json, err);
	return rc;
}

int kw_h_examday_leave(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, id;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_param_id(req, 2, &id, err);
	if (!rc)
		rc = kw_examday_leave(req->app, &req->actor, &req->session, exam, req->params[1],
		                      id, req->json, &resp->json, err);
	return rc;
}

/* {id}, {subject}, {room} and, when i3, the fourth parameter as an id. */
static int room_params(struct kw_req *req, int64_t *exam, int64_t *room, int64_t *fourth,
                       struct kw_err *err)
{
	int rc = kw_param_id(req, 0, exam, err);
	if (!rc)
		rc = kw_param_id(req, 2, room, err);
	if (!rc && fourth)
		rc = kw_param_id(req, 3, fourth, err);
	return rc;
}

int kw_h_examday_photo(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room, reg;
	int rc = room_params(req, &exam, &room, &reg, err);
	struct kw_file f;
	if (!rc)
		rc = kw_examday_photo(req->app, &req->session, exam, req->params[1], room, reg, &f,
		                      err);
	if (!rc) {
		kw_h_serve_file(resp, &f, 1);
		kw_file_release(&f);
	}
	return rc;
}

int kw_h_examday_record(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room;
	int rc = room_params(req, &exam, &room, NULL, err);
	return rc ? rc
	          : kw_examday_record(req->app, &req->session, exam, req->params[1], room,
	                              &resp->json, err);
}

int kw_h_examday_entry_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room;
	int rc = room_params(req, &exam, &room, NULL, err);
	if (!rc)
		rc = kw_examday_entry_add(req->app, &req->actor, &req->session, exam,
		                          req->params[1], room, req->json, &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_examday_entry_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room, entry;
	int rc = room_params(req, &exam, &room, &entry, err);
	if (!rc)
		rc = kw_examday_entry_file_add(req->app, &req->actor, &req->session, exam,
		                               req->params[1], room, entry, kw_h_content_type(req),
		                               kw_query(req, "label"), req->body.buf, req->body.len,
		                               &resp->json, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_examday_entry_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room, file;
	int rc = room_params(req, &exam, &room, &file, err);
	struct kw_file f;
	if (!rc)
		rc = kw_examday_entry_file(req->app, &req->session, exam, req->params[1], room,
		                           file, &f, err);
	if (!rc) {
		kw_h_serve_file(resp, &f, 1);
		kw_file_release(&f);
	}
	return rc;
}

int kw_h_examday_sign(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room;
	int rc = room_params(req, &exam, &room, NULL, err);
	return rc ? rc
	          : kw_examday_sign(req->app, &req->actor, &req->session, exam, req->params[1],
	                            room, &resp->json, err);
}

int kw_h_examday_close(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room;
	int rc = room_params(req, &exam, &room, NULL, err);
	return rc ? rc
	          : kw_examday_close(req->app, &req->actor, &req->session, exam, req->params[1],
	                             room, &resp->json, err);
}

int kw_h_examday_entry_case(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, room, entry;
	int rc = room_params(req, &exam, &room, &entry, err);
	if (!rc)
		rc = kw_examday_entry_case(req->app, &req->actor, &req->session, exam,
		                           req->params[1], room, entry, req->json, &resp->json,
		                           err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int kw_h_examday_absentees(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, reg = 0;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_query_count(req, "registration_id", 0, &reg, err);
	return rc ? rc
	          : kw_examday_absentees_json(req->app, &req->session, exam, req->params[1], reg,
	                                      &resp->json, err);
}
