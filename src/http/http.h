/*
 * HTTP internals shared by the server, the router and the handlers.
 * Handlers only translate HTTP to an app call and back.
 */
#ifndef KW_HTTP_HTTP_H
#define KW_HTTP_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/buf.h"
#include "util/err.h"

#define KW_MAX_PARAMS 4

struct kw_server;
struct kw_deferred;

/* One request, alive from the first handler call to MHD's completion callback. */
struct kw_req {
	struct MHD_Connection *conn;
	struct kw_server *srv;
	struct kw_app *app;
	const char *method;
	char *path; /* without the query string */
	char request_id[72];
	const char *lang; /* KW_LANG_ZH or KW_LANG_EN */
	struct kw_buf body;
	size_t max_body; /* this request's body cap */
	int body_too_big;
	int overloaded; /* a write that arrived with the write queue full: refused unread */
	int responded;
	json_t *json;                      /* the parsed body, for routes that take one */
	const char *params[KW_MAX_PARAMS]; /* {…} segments of the route, in order */
	/* Authentication (every route but KW_ROUTE_PUBLIC ones needs it). */
	int authed;
	int via_cookie; /* the token came from the kw_session cookie */
	char token[72];
	struct kw_session_info session;
	struct kw_actor actor;   /* who this request acts as, for the audit */
	char address[64];        /* the client's IP address */
	struct kw_deferred *def; /* a write waiting for its commit (kw_http_defer) */
	void *scratch;           /* a handler's state across a deferral; freed with scratch_free */
	void (*scratch_free)(void *); /* NULL: free() */
	char *param_mem;
	uint64_t start_ns;
};

/* What a handler produces: a status and a JSON document (or raw bytes). */
struct kw_resp {
	int status;          /* 204 sends no body */
	json_t *json;        /* owned */
	char *headers[8][2]; /* extra headers, owned (kw_resp_header) */
	int nheaders;
	char *raw; /* instead of json: these bytes (owned, malloc'd) of type raw_type */
	size_t raw_len;
	const char *raw_type;
	struct kw_stream *stream; /* instead of json: server-sent events (owned) */
};

/*
 * A response of server-sent events (text/event-stream) that stays open: next() appends the
 * next events to out and returns 0, or returns 0 appending nothing when nothing is new — the
 * connection then waits, holding no thread, until the command views change (live.h's
 * version passes the one read just before next() was called) or a keep-alive comment is due
 * (every 15 s); non-zero ends the stream. release(arg) when the connection is gone.
 */
struct kw_stream {
	int (*next)(void *arg, struct kw_buf *out);
	void (*release)(void *arg);
	void *arg;
};

/* Adds a header to resp (copies name and the formatted value). */
void kw_resp_header(struct kw_resp *resp, const char *name, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

typedef int (*kw_handler_fn)(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);

enum kw_route_flags {
	KW_ROUTE_JSON_BODY = 1, /* the body must be one JSON object (parsed into req->json) */
	KW_ROUTE_PUBLIC = 2,    /* no login needed */
	KW_ROUTE_CSV_BODY = 4,  /* the body is a CSV file (text/csv), left raw in req->body */
	KW_ROUTE_FILE_BODY = 8, /* the body is an uploaded file (its type in Content-Type), raw */
};

struct kw_route {
	const char *method;
	const char *pattern; /* "/api/v1/exams/{id}" */
	kw_handler_fn fn;
	unsigned flags;
	const char *action; /* its action in data/permissions/permissions.json */
};

/* The route table (router.c), ended by a {NULL} entry. */
extern const struct kw_route kw_routes[];

/*
 * Finds the route for method + path. 0 with *out and params filled (pointers into
 * *mem, which the caller frees); KW_ENOTFOUND when no pattern matches the path;
 * KW_EMETHOD when patterns match but not the method (allow gets "GET, POST").
 */
int kw_route_match(const char *method, const char *path, const struct kw_route **out,
                   const char *params[KW_MAX_PARAMS], char **mem, struct kw_buf *allow);

/*
 * Writes without holding a thread: a handler hands its job to the writer with
 * kw_http_defer and returns KW_PENDING; the connection is suspended until the commit, then
 * `finish` builds the response from the job's result (rc and err are the job's).
 */
#define KW_PENDING 2
typedef int (*kw_finish_fn)(struct kw_req *req, struct kw_resp *resp, int rc,
                            struct kw_err *job_err, struct kw_err *err);
int kw_http_defer(struct kw_req *req, kw_job_fn fn, void *arg, kw_finish_fn finish,
                  struct kw_err *err);

/* A use case's prepared write (struct kw_op, app/writer.h) deferred the same way: the op is
 * the request's (released with it); its answer and status make the response. */
int kw_http_defer_op(struct kw_req *req, const struct kw_op *op, struct kw_err *err);

/*
 * Long work (an import) without holding a connection thread: fn(arg, err) runs on a thread
 * of its own while the connection is suspended, then `finish` answers as for kw_http_defer
 * (rc and job_err are fn's). At most two at once; more get 503 OVERLOADED.
 */
typedef int (*kw_work_fn)(void *arg, struct kw_err *err);
int kw_http_offload(struct kw_req *req, kw_work_fn fn, void *arg, kw_finish_fn finish,
                    struct kw_err *err);

/* Handlers (h_*.c). */
/* The live command view of a sitting (h_command.c). */
int kw_h_command_view(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_command_stream(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Exam day: check-in, leaving, the room record (h_examday.c). */
int kw_h_examday_my_rooms(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_checkin(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_checkins(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_leave(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_photo(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_record(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_entry_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_entry_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_entry_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_sign(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_close(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_entry_case(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_examday_absentees(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* A centre's readiness, the duty roster and log (h_readiness.c). */
int kw_h_readiness(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_duty_roster(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_duty_shift_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_duty_log(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_duty_log_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Exam-day incidents, their escalation and outcomes (h_incidents.c). */
int kw_h_incident_raise(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incidents_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_acknowledge(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_escalate(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_update_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_police_report(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_major(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_close(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_incident_outcome(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Papers as packages and their chain of custody (h_custody.c). */
int kw_h_custody_signoff(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_custody_make(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_custody_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_custody_find(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_custody_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_custody_event(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_custody_incidents(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Retention and destruction of exam materials (h_retention.c). */
int kw_h_retention_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_retention_register(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_retention_hold(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_retention_lift(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_retention_destroy(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_retention_destructions(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_retention_video_log_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_retention_video_log(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_health(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_openapi(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_session_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_session_delete(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_me(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_users_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_units_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_units_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_roles_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_approvals_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_approval_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_approval_reject(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_audit_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* The registers of records.h (h_records.c); the kind is the path's first segment. */
int kw_h_rec_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_rec_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_rec_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_rec_update(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_rec_history(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_rec_import(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_registers(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_users_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_centre_suitability(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Verification of registrations (h_verify.c). */
int kw_h_verify_sample(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_verify_sample_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_verify_ban_sweep(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_verify_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_verify_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_verify_decide(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_verify_tasks(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Uploads: photo and proof materials (h_files.c). */
/* The request's Content-Type; a stored file (app/files.h) as the response: its bytes, type,
 * digest and download name (inline_ok 0: a PDF as uploaded, only as an attachment). */
const char *kw_h_content_type(struct kw_req *req);
struct kw_file;
void kw_h_serve_file(struct kw_resp *resp, struct kw_file *f, int inline_ok);
int kw_h_photo_put(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_photo_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proofs_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* A candidate's photo uploaded by staff entering registrations on site (h_deskphoto.c). */
int kw_h_candidate_photo_put(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proofs_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proof_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Candidates, registrations, public exam pages (h_reg.c). */
int kw_h_candidates_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_candidate_me(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_candidate_update(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_registrations_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_registrations_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_registration_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_registration_review(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_registration_area(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_registration_withdraw_pledge(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_exams(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_exam(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_capacity(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_commit(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_seat(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_publish(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_discard(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_rooms(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_door_labels(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_desk_labels(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_paper_order(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proctors_commit(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proctors_draw(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proctors_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proctors_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_proctors_pool(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_proctors(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_proctor_inputs(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_settings_put(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_settings_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_shortlists_build(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_shortlist_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_shortlist_publish(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_shortlist_decline(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_shortlists(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_panel_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_panels_import(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_panel_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_shortlists_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_panels_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_day_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_day_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_room_draw(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_order_draw(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_score_enter(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_scores_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_signoff(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_results_publish(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_results_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_days_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_my_panels(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_observer_register(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_observers_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_observer_attend(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_observer_leave(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* The interview day's documents (h_interview_docs.c). */
int kw_h_interview_score_sheets(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_summary(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_interview_room_plan(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Recruitment after the interview (h_recruit.c). */
int kw_h_recruit_build(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_of_shortlist(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_step(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_replace(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_notice_make(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_notice_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_notice_public(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_notice_pdf(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_exam_notices(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_objection_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_objection_reply(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_appoint(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_probation(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_recruit_mine(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seat_change_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seat_change_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seat_change_reject(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_seating_centre_doc(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_seating(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_seating_inputs(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_ticket_download(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_ticket_issue(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_ticket_pdf(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_ticket_verify(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_ticket_key(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_correction_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_correction_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_corrections_of_registration(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_corrections_of_exam(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_correction_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_correction_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_correction_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_correction_refuse(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_open(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_cases_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_sign(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_notify(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_defence(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_review(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_decide(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_serve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_appeal(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_change(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_drop(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_consequence(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_reply(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_unit_doc_prefix(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_integrity_lookup(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_change_approve(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_change_refuse(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_file_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_file(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_mine(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Objective scoring (h_scoring.c). */
int kw_h_score_key_load(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_keys(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_key_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_answers_import(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_answer_layout_add(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_answer_layouts(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Answer-data backups (h_answerbak.c; GRD-4). */
int kw_h_answer_backup_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_answer_backups(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_answer_backup_keep(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_answer_backup_verify(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_imports(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_run(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_runs(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_run_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_run_scores(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_crosscheck(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Item analysis and score pictures (h_analysis.c). */
int kw_h_analysis_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_analysis_svg(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_analysis_png(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_analysis_xlsx(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Cross-checks on record, publication, the score look-up (h_publish.c). */
int kw_h_crosscheck_record(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_crosschecks(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_publication_prepare(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_publications(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_score_lookup(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Pass standards, qualified lists, certificates (h_certs.c). */
int kw_h_standards_set(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_standards(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_qualified_prepare(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_qualified_lists(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_certificates(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_certificate_pdf(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_certificate_revoke(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_certificate_verify(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_certificate_key(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Score review (h_review.c). */
int kw_h_review_request(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_review_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_review_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_review_step(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_review_forward(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_review_result(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Subjective marking (h_marking.c). */
int kw_h_marking_setup(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_next(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_step(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_results(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_markers(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* Similar-answer screening (h_screening.c). */
int kw_h_screen_run(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_screen_subjects(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_screens(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_screen_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_screen_flags(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_screen_flag_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_screen_decide(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_screen_dossier(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_script_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_script_mark(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_markings_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_controls(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_suspend(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_marking_reinstate(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_case_draft(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* A violation catalogue, whole (h_catalogues.c). */
int kw_h_catalogue_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_positions(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_payments_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_payments_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_payment_callback(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_payment_test_pay(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_payment_confirm(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_payment_refund(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_public_statistics(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_claims_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_claims_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_claim_decide(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* The integrity archive's sharing ledger (h_archive.c). */
int kw_h_archive_shares_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
int kw_h_archive_export(struct kw_req *req, struct kw_resp *resp, struct kw_err *err);
/* The OpenAPI document: openapi.json plus the registers' paths and schemas. */
json_t *kw_openapi_document(void);

/* A path parameter as a positive integer id; NOT_FOUND when it is not one. */
int kw_param_id(struct kw_req *req, int i, int64_t *id, struct kw_err *err);
/* The attributes every cookie carries: Path=/, SameSite=Strict, and Secure when serving
 * behind TLS (kaowu serve --secure-cookies). */
const char *kw_cookie_attrs(struct kw_req *req);
/* A query argument, or NULL. */
const char *kw_query(struct kw_req *req, const char *name);
/* A query argument that is a whole number ≥ 0 (an id, a cursor, a count), def when absent;
 * anything else is 400 QUERY_INVALID with details.name. */
int kw_query_count(struct kw_req *req, const char *name, int64_t def, int64_t *out,
                   struct kw_err *err);

/* Static files from the web directory, loaded into memory at start (static.c). */
struct kw_static;
int kw_static_load(const char *dir, struct kw_static **out, struct kw_err *err);
void kw_static_free(struct kw_static *st);
/* Queues the file for path, a 304 or a 404; returns MHD's result. */
enum MHD_Result kw_static_serve(struct kw_static *st, struct kw_req *req);

/* Adds the security headers and X-Request-Id to any response. */
void kw_http_common_headers(struct kw_req *req, struct MHD_Response *r, int is_api);
void kw_http_log(struct kw_req *req, int status);

#endif
