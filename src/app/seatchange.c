/*
 * Changes to a published seating (SEAT-1, INF-4): one person asks with a reason, another
 * decides; an approved change moves the candidate to the next free seat, by the rule, of an
 * exam room of their own area and subject group (room order: centre code, room code; the
 * room's next seat number) — nobody chooses the seat. The seat keeps the reason; the exam
 * room's count and last ticket number follow; earlier ticket versions are revoked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/seating.h"
#include "app/tickets.h"
#include "core/seat.h"
#include "util/clock.h"

static int invalid(const char *field, const char *problem, struct kw_err *err)
{
	kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
	kw_err_detail(err, "fields", json_pack("[{s:s, s:s}]", "field", field, "problem", problem));
	return KW_EINVAL;
}

static int text_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n >= 1 && n <= 1000;
}

/* ---- request ---- */

struct request_job {
	int64_t run, reg, maker, id;
	const char *reason;
};

static int request_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct request_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	char ticket[64] = "";
	int pending = 0;
	int rc =
	        kw_conn_prepare(tx->conn,
	                        "SELECT s.ticket_no, (SELECT COUNT(*) FROM seat_changes c WHERE "
	                        "c.run_id = s.run_id AND c.registration_id = s.registration_id AND "
	                        "c.status = 'pending') FROM seats s JOIN seating_runs r ON r.id = "
	                        "s.run_id WHERE s.run_id = $1 AND s.registration_id = $2 AND "
	                        "r.status = 'published'",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->run);
		kw_stmt_bind_int64(s, 2, j->reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			snprintf(ticket, sizeof ticket, "%s", kw_stmt_column_text(s, 0, NULL));
			pending = kw_stmt_column_int64(s, 1) > 0;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc && !ticket[0])
		rc = kw_err_set(err, KW_ECONFLICT, "SEAT_CHANGE_NO_SEAT", "SEAT-1",
		                "no seat of this registration in a published run");
	if (!rc && pending)
		rc = kw_err_set(err, KW_ECONFLICT, "SEAT_CHANGE_PENDING", "SEAT-1",
		                "a change of this seat is waiting for its decision");
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "seat_changes", &s, err,
		        "INSERT INTO seat_changes (run_id, registration_id, reason, "
		        "status, maker_id, from_ticket, created_at) VALUES ($1, $2, $3, "
		        "'pending', $4, $5, $6)");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->run);
		kw_stmt_bind_int64(s, 2, j->reg);
		kw_stmt_bind_textz(s, 3, j->reason);
		kw_stmt_bind_int64(s, 4, j->maker);
		kw_stmt_bind_textz(s, 5, ticket);
		kw_stmt_bind_textz(s, 6, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			j->id = kw_stmt_column_int64(s, 0);
			json_t *d = json_pack("{s:I, s:s}", "registration_id", (json_int_t)j->reg,
			                      "reason", j->reason);
			rc = kw_audit_append_row(tx, "seat.change_request", "seat_changes", s, d,
			                         err);
			json_decref(d);
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

static int change_get(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, run_id, registration_id, reason, status, maker_id, "
	                         "checker_id, decision_reason, from_ticket, to_ticket, created_at, "
	                         "decided_at FROM seat_changes WHERE id = $1",
	                         &s, err);
	*out = NULL;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
#define T(i) (kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL))
#define I(i) (kw_stmt_column_is_null(s, i) ? json_null() : json_integer(kw_stmt_column_int64(s, i)))
			*out = json_pack(
			        "{s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:s?, s:s, s:s?, s:s, "
			        "s:s?}",
			        "id", I(0), "run_id", I(1), "registration_id", I(2), "reason", T(3),
			        "status", T(4), "maker_id", I(5), "checker_id", I(6),
			        "decision_reason", T(7), "from_ticket", T(8), "to_ticket", T(9),
			        "created_at", T(10), "decided_at", T(11));
#undef T
#undef I
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !*out)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such seat change");
	return rc;
}

int kw_seat_change_request(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t run, const json_t *body,
                           json_t **out, struct kw_err *err)
{
	const json_t *reg = json_object_get(body, "registration_id");
	const char *reason = json_string_value(json_object_get(body, "reason"));
	if (!json_is_integer(reg) || json_integer_value(reg) < 1)
		return invalid("registration_id", "required", err);
	if (!text_ok(reason))
		return invalid("reason", "required", err);
	if (json_object_size(body) != 2)
		return invalid("body", "unknown", err);
	int64_t exam = 0;
	int rc = kw_seating_reach(app, s, run, "seating.run", &exam, err);
	struct request_job j = {run, json_integer_value(reg), s->user.id, 0, reason};
	if (!rc)
		rc = kw_writer_run(app->writer, request_job, &j, actor, err);
	if (!rc) {
		struct kw_conn *c = kw_pool_get(app->pool);
		rc = change_get(c, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

/* ---- decision ---- */

struct decide_job {
	int64_t id, run, reg, checker;
	int approve;
	const char *reason, *change_reason;
	struct kw_seat_rule rule;
	char to[64];
};

static int move_seat(struct kw_tx *tx, struct decide_job *j, const char *now, struct kw_err *err)
{
	/* the seat now, and its exam room's area and subjects */
	struct kw_stmt *s = NULL;
	int64_t seat = 0, room = 0, area = 0;
	char subjects[400] = "";
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT s.id, s.exam_room_id, x.area_id, x.subjects FROM seats s "
	                         "JOIN exam_rooms x ON x.id = s.exam_room_id WHERE s.run_id = $1 "
	                         "AND s.registration_id = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->run);
		kw_stmt_bind_int64(s, 2, j->reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			seat = kw_stmt_column_int64(s, 0);
			room = kw_stmt_column_int64(s, 1);
			area = kw_stmt_column_int64(s, 2);
			snprintf(subjects, sizeof subjects, "%s", kw_stmt_column_text(s, 3, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	s = NULL;
	/* the first other exam room of the same area and group with a free seat, in room order */
	int64_t to_room = 0, next = 0;
	char first[64] = "";
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT x.id, x.seats_taken, x.first_ticket, m.seats, "
		        "x.accommodation FROM exam_rooms x JOIN centres c ON c.id = "
		        "x.centre_id JOIN rooms m ON m.id = x.room_id WHERE x.run_id = $1 "
		        "AND x.area_id = $2 AND x.subjects = $3 AND x.id <> $4 ORDER BY "
		        "c.code, m.code",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->run);
		kw_stmt_bind_int64(s, 2, area);
		kw_stmt_bind_textz(s, 3, subjects);
		kw_stmt_bind_int64(s, 4, room);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t cap = kw_stmt_column_int64(s, 3);
			int64_t rule = kw_stmt_column_int64(s, 4) ? j->rule.accommodation_capacity
			                                          : j->rule.capacity;
			if (rule < cap)
				cap = rule;
			if (kw_stmt_column_int64(s, 1) < cap) {
				to_room = kw_stmt_column_int64(s, 0);
				next = kw_stmt_column_int64(s, 1) + 1;
				snprintf(first, sizeof first, "%s",
				         kw_stmt_column_text(s, 2, NULL));
				break;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc && !to_room)
		rc = kw_err_set(
		        err, KW_ERULE, "SEAT_CHANGE_NO_FREE_SEAT", "SEAT-1",
		        "no other exam room of this area and subject group has a free seat");
	if (!rc)
		rc = kw_seat_ticket_reseat(&j->rule, first, (uint32_t)next, j->to, sizeof j->to,
		                           err);
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "seats", &s, err,
		        "UPDATE seats SET exam_room_id = $1, seat_no = $2, ticket_no = "
		        "$3, reason = $4, updated_at = $5 WHERE id = $6");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, to_room);
		kw_stmt_bind_int64(s, 2, next);
		kw_stmt_bind_textz(s, 3, j->to);
		kw_stmt_bind_textz(s, 4, j->change_reason);
		kw_stmt_bind_textz(s, 5, now);
		kw_stmt_bind_int64(s, 6, seat);
		rc = kw_audit_step(tx, "seat.change", "seats", s,
		                   json_pack("{s:I, s:s}", "seat_change_id", (json_int_t)j->id,
		                             "ticket_no", j->to),
		                   err);
		if (rc == 1)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "the seat is gone");
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "exam_rooms", &s, err,
		        "UPDATE exam_rooms SET seats_taken = $1, last_ticket = $2 WHERE "
		        "id = $3");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, next);
		kw_stmt_bind_textz(s, 2, j->to);
		kw_stmt_bind_int64(s, 3, to_room);
		rc = kw_audit_step(tx, "seat.change", "exam_rooms", s,
		                   json_pack("{s:I}", "seat_change_id", (json_int_t)j->id), err);
		if (rc == 1)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "the exam room is gone");
	}
	kw_stmt_finalize(s);
	/* the tickets printed with the old seat no longer hold (TKT-4: a new version is issued) */
	if (!rc)
		rc = kw_tickets_revoke(tx, j->reg, "seat_change", err);
	return rc;
}

static int decide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct decide_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	j->to[0] = '\0';
	int rc = j->approve ? move_seat(tx, j, now, err) : 0;
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "seat_changes", &s, err,
		        "UPDATE seat_changes SET status = $1, checker_id = $2, "
		        "decision_reason = $3, to_ticket = $4, decided_at = $5 WHERE id "
		        "= $6 AND status = 'pending'");
	if (!rc) {
		kw_stmt_bind_textz(s, 1, j->approve ? "approved" : "rejected");
		kw_stmt_bind_int64(s, 2, j->checker);
		kw_stmt_bind_textz(s, 3, j->reason);
		kw_stmt_bind_textz(s, 4, j->to[0] ? j->to : NULL);
		kw_stmt_bind_textz(s, 5, now);
		kw_stmt_bind_int64(s, 6, j->id);
		rc = kw_audit_step(tx, j->approve ? "seat.change_approve" : "seat.change_reject",
		                   "seat_changes", s, json_pack("{s:s?}", "reason", j->reason),
		                   err);
		if (rc == 1)
			rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
			                "already decided");
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_seat_change_decide(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t id, int approve,
                          const json_t *body, json_t **out, struct kw_err *err)
{
	const char *reason = json_string_value(json_object_get(body, "reason"));
	if (!approve && !text_ok(reason))
		return invalid("reason", "required", err);
	if (reason && !text_ok(reason))
		return invalid("reason", "too_long", err);
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *ch = NULL;
	int rc = change_get(c, id, &ch, err);
	kw_pool_put(app->pool, c);
	int64_t exam = 0, run = rc ? 0 : json_integer_value(json_object_get(ch, "run_id"));
	if (!rc) {
		rc = kw_seating_reach(app, s, run, "seating.run", &exam, err);
		if (rc == KW_ENOTFOUND)
			kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such seat change");
	}
	if (!rc && strcmp(json_string_value(json_object_get(ch, "status")), "pending") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL, "already decided");
	/* INF-4: nobody decides their own request */
	if (!rc && json_integer_value(json_object_get(ch, "maker_id")) == s->user.id)
		rc = kw_err_set(err, KW_EFORBIDDEN, "SELF_APPROVAL", "INF-4",
		                "the change must be decided by another person");
	json_t *r = NULL;
	struct decide_job j = {
	        .id = id, .run = run, .checker = s->user.id, .approve = approve, .reason = reason};
	if (!rc)
		rc = kw_seating_get(app, s, run, &r, err);
	if (!rc) {
		j.reg = json_integer_value(json_object_get(ch, "registration_id"));
		j.change_reason = json_string_value(json_object_get(ch, "reason"));
		kw_seat_rule_default(&j.rule, 30, 2000);
		rc = kw_seat_rule_from_json(&j.rule, json_object_get(r, "rule"), err);
	}
	if (!rc)
		rc = kw_writer_run(app->writer, decide_job, &j, actor, err);
	json_decref(r);
	json_decref(ch);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = change_get(c, id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}
