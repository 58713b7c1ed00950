/*
 * Exam-day incidents (SPEC DAY-5, VEN-4, DAY-1's command platform; PQ 32, 33, 46; AH 25;
 * issue 9 item 5). Not the custody discrepancies (app/custody.h) nor the room record's
 * entries (app/examday.h): an incident here is what goes up the chain of command.
 * Times in answers (occurred_at, created_at, updated_at, closed_at, the steps' notified_at and
 * acknowledged_at, the police report's reported_at, updates', files' and outcomes' times) are
 * China time with +08:00, as in the rest of the API; they are stored in UTC.
 *
 * An incident: an exam, a sitting (subject code), a centre, an exam room (optional; then the
 * centre is the room's), occurred_at, a category, a description, who reported it. Categories:
 * the six PQ 46 "report at once" ones (urgent) — paper_or_key_leak, organised_cheating,
 * insider_collusion, public_opinion, mass_disruption (mass interruption, loss of response
 * data, group disputes), other_major_risk — and ordinary ones: candidate_illness,
 * equipment_failure, power_or_network, weather, other.
 *
 * Who raises: staff whose incident.read and incident.raise reach the centre (agency staff,
 * chief examiners…), or a proctor for an exam room the lottery assigned them at the sitting
 * (the room record's rule, app/examday.h): room_id required, else 403 INCIDENT_NOT_PARTY.
 * A proctor reads what they reported (incident.read "self"); staff whatever their
 * incident.read reaches; anything else is 404.
 *
 * Escalation (DAY-5): the levels are the centre's unit and its ancestors of the kinds centre,
 * area_agency, provincial_agency, national_centre, lowest first. An ordinary incident notifies
 * the first level; an urgent one every level at once, the national centre's acknowledgement
 * awaited. "awaiting" is the highest notified level until it acknowledges. Acknowledge: an
 * account whose grant of incident.acknowledge is AT that level's unit (not above it: 403
 * INCIDENT_NOT_YOUR_LEVEL, details.awaiting); 409 INCIDENT_ALREADY_ACKNOWLEDGED for a level
 * that did. Escalate {note}: the highest level, once it acknowledged (409
 * INCIDENT_NOT_ACKNOWLEDGED before), sends it to the next (422 INCIDENT_TOP_LEVEL at the top).
 * Updates {kind: finding | measure | note, text} are appended; evidence files (PDF, JPEG,
 * PNG) fixed; the police report {reported_at, to, reference} recorded once (409
 * INCIDENT_POLICE_REPORTED). Close {conclusion}: 409 INCIDENT_ACK_PENDING while a level's
 * acknowledgement is awaited; urgent ones need a finding and a measure (422
 * INCIDENT_FINDINGS_REQUIRED, DAY-5); organised cheating the police report and at least one
 * evidence file (422 INCIDENT_POLICE_REPORT_REQUIRED, INCIDENT_EVIDENCE_REQUIRED; PQ 33).
 * Anything on a closed incident: 409 INCIDENT_CLOSED.
 *
 * VEN-4: an urgent incident is major; staff may mark another major (at raising, "major":
 * true, or later; 409 INCIDENT_ALREADY_MAJOR). A major incident writes an entry in the centre's
 * VEN-4 register (incidents: major, no rectification), audited as incident.create, so the
 * centre reads "blocked" until the register's entry is rectified there.
 *
 * Outcomes (PQ 32) {kind: postpone | resit | cancel, details, announcement}: asked by staff
 * whose incident.outcome reaches the centre, as a pending approval of kind "incident.outcome"
 * (app/approvals.h; 202 over HTTP; 409 INCIDENT_OUTCOME_PENDING for a second of the same
 * kind). Decided through /api/v1/approvals/{id}: a postponement by an account holding
 * incident.outcome at a national_centre unit reaching the centre, a re-sitting or
 * cancellation at a ministry unit; anyone else who reaches the incident gets 422
 * INCIDENT_OUTCOME_WRONG_LEVEL (DAY-5). An approved outcome's announcement shows on the
 * exam's public page (kw_incident_announcements). Every write is audited.
 */
#ifndef KW_APP_INCIDENTS_H
#define KW_APP_INCIDENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/approvals.h"
#include "app/files.h"
#include "app/identity.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/err.h"

/* Raises an incident at exam (body as above, subject the sitting's code); *out the incident
 * (201). */
int kw_incident_raise(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err);

struct kw_incident_query {
	const char *status;   /* open | closed, or NULL */
	const char *category; /* or NULL */
	int64_t centre;       /* 0: any */
	int64_t awaiting;     /* a unit whose acknowledgement is awaited (0: any) */
	int64_t after;        /* the cursor */
	int limit;            /* 1..500 */
};

/* The incidents of exam the caller reaches, in id order: {items, next_cursor, open_by_centre:
 * [{centre_id, open}]} (the counts over what the caller reaches, all filters but status). */
int kw_incidents_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const struct kw_incident_query *q, json_t **out, struct kw_err *err);

/* One incident with its steps, updates, files and outcomes. */
int kw_incident_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                    struct kw_err *err);

/* The caller's level acknowledges (body {note?} or NULL); then the incident. */
int kw_incident_acknowledge(struct kw_app *app, const struct kw_actor *actor,
                            const struct kw_session_info *s, int64_t id, const json_t *body,
                            json_t **out, struct kw_err *err);

/* Sends it one level up {note}; then the incident. */
int kw_incident_escalate(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, const json_t *body,
                         json_t **out, struct kw_err *err);

/* Appends a finding, measure or note {kind, text}; then the incident (201). */
int kw_incident_update_add(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, const json_t *body,
                           json_t **out, struct kw_err *err);

/* Records the police report {reported_at, to, reference}; then the incident. */
int kw_incident_police_report(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t id, const json_t *body,
                              json_t **out, struct kw_err *err);

/* Marks it major (VEN-4); then the incident. */
int kw_incident_mark_major(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, json_t **out,
                           struct kw_err *err);

/* Closes it {conclusion}; then the incident. */
int kw_incident_close(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                      struct kw_err *err);

/* An evidence file (label 1..60 characters); *out the file (201). */
int kw_incident_file_add(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, const char *media_type,
                         const char *label, const void *data, size_t n, json_t **out,
                         struct kw_err *err);

/* An evidence file's bytes. */
int kw_incident_file(struct kw_app *app, const struct kw_session_info *s, int64_t id, int64_t file,
                     struct kw_file *out, struct kw_err *err);

/* Asks for an outcome {kind, details, announcement}; *out the outcome with approval_id (202). */
int kw_incident_outcome_request(struct kw_app *app, const struct kw_actor *actor,
                                const struct kw_session_info *s, int64_t id, const json_t *body,
                                json_t **out, struct kw_err *err);

/* The approved outcomes' announcements of exam, oldest first: [{kind, subject, announcement,
 * approved_at}] (public: the exam's notice page). */
int kw_incident_announcements(struct kw_conn *c, int64_t exam, json_t **out, struct kw_err *err);

/* The approval kind "incident.outcome" (app/approvals.c decides it through this). */
extern const struct kw_approval_kind kw_incident_outcome_approval;

#endif
