/*
 * Interviews, first slice (SPEC INT-2, INT-6, SEC-1, SEC-3, §15; issue 12 items 1-2): an
 * exam's interview settings, shortlists per position from the publication in force (stored,
 * published with masked names, declines and their replacements), and examiner panels with
 * the size rule, duties, the recruiting-agency minority and recusal; the examiner list is
 * secret until the interview starts. The arithmetic is core/interview.c.
 */
#ifndef KW_APP_INTERVIEW_H
#define KW_APP_INTERVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

/* PUT …/exams/{id}/interview_settings (interview.manage): {written_min: "60" | null,
 * written_weight, interview_weight (per cent, sum 100), method "trimmed" | "mean", panel_min
 * (odd, ≥ 5), agency_minority}. *out = the settings. */
int kw_interview_settings_put(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const json_t *body,
                              json_t **out, struct kw_err *err);
/* GET …/exams/{id}/interview_settings (interview.read): stored, or the defaults. */
int kw_interview_settings_get(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                              json_t **out, struct kw_err *err);

/* POST …/exams/{id}/shortlists (interview.manage) {position_id?}: the shortlists of the
 * exam's positions that have none yet (or of the one named), from the publication in force:
 * 201 {items: [shortlist]}; 409 SHORTLIST_NO_PUBLICATION, SHORTLIST_EXISTS. */
int kw_interview_shortlists_build(struct kw_app *app, const struct kw_actor *actor,
                                  const struct kw_session_info *s, int64_t exam, const json_t *body,
                                  json_t **out, struct kw_err *err);
/* GET …/exams/{id}/shortlists (interview.read): {items: [shortlist without entries]}. */
int kw_interview_shortlists_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                                 json_t **out, struct kw_err *err);
/* GET …/shortlists/{id} (interview.read): the shortlist with every entry. */
int kw_interview_shortlist_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                               json_t **out, struct kw_err *err);
/* POST …/shortlists/{id}/publish (interview.manage); 409 SHORTLIST_PUBLISHED. */
int kw_interview_shortlist_publish_op(struct kw_app *app, const struct kw_session_info *s,
                                      int64_t id, struct kw_op *op, struct kw_err *err);
int kw_interview_shortlist_publish(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t id, json_t **out,
                                   struct kw_err *err);
/* POST …/shortlists/{id}/declines (interview.manage) {registration_id, reason}: recorded,
 * replacements admitted in order (*out has "admitted_now"); 409 SHORTLIST_DECLINE_STATE. */
int kw_interview_shortlist_decline(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t id, const json_t *body,
                                   json_t **out, struct kw_err *err);
/* Public: the exam's published shortlists, the admitted only, masked names. */
int kw_interview_public_shortlists(struct kw_app *app, int64_t exam, json_t **out,
                                   struct kw_err *err);

/* POST …/exams/{id}/interview_panels (interview.manage) {code, starts_at, positions: [id],
 * members: [{staff_id, duty}]}: 201; 422 PANEL_SIZE, PANEL_DUTIES, EXAMINER_NOT_QUALIFIED,
 * PANEL_AGENCY_MAJORITY, PANEL_RECUSAL (only the staff ids: no relation, no candidate); 409
 * PANEL_NO_SHORTLIST, PANEL_EXISTS. */
int kw_interview_panel_create_op(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                                 const json_t *body, struct kw_op *op, struct kw_err *err);
int kw_interview_panel_create(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const json_t *body,
                              json_t **out, struct kw_err *err);
/* POST …/exams/{id}/interview_panels/import (interview.manage) {panels: [panel as the route
 * above takes it]} (at most KW_IV_IMPORT_MAX): a season's schedule in one request, all or
 * nothing — every panel checked as kw_interview_panel_create_op checks one, then all written in
 * one transaction (the panels one batch audit record, their members another): 201 {created,
 * items: [{id, code}]} in the request's order; 422 PANEL_IMPORT_INVALID with details {count,
 * rows: [{row (0-based), panel_code, code, rule, details}]}: each row's problem as the single
 * route would answer it (PANEL_EXISTS also for two rows of one code), nothing written. */
enum { KW_IV_IMPORT_MAX = 10000 };
int kw_interview_panels_import_op(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                                  const json_t *body, struct kw_op *op, struct kw_err *err);
int kw_interview_panels_import(struct kw_app *app, const struct kw_actor *actor,
                               const struct kw_session_info *s, int64_t exam, const json_t *body,
                               json_t **out, struct kw_err *err);
/* GET …/exams/{id}/interview_panels (interview.read): {items: [panel without members]}. */
int kw_interview_panels_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                             json_t **out, struct kw_err *err);
/* GET …/interview_panels/{id} (interview.read): the panel; its members only for
 * interview.examiners.read before the start (403 INTERVIEW_EXAMINERS_SECRET otherwise, SEC-1),
 * and every read of the members audited (interview.examiners.read). */
int kw_interview_panel_get(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, json_t **out,
                           struct kw_err *err);

/* ---- the interview day (second slice; SPEC INT-2, INT-3, INT-4, INT-6; docs/interviews.md) */

/* POST …/exams/{id}/interview_days (interview.manage) {day "YYYY-MM-DD", ends_at, rooms:
 * [name], panels: [id], dimensions: [{name, max "30", weight 0-100}]}: 201 the day with the
 * commitments of its lotteries (rooms, and each panel's order numbers); 409
 * INTERVIEW_POSITION_DAYS (a position's panels on two days, INT-4), INTERVIEW_PANEL_SCHEDULED,
 * INTERVIEW_DAY_EXISTS; 422 INTERVIEW_ROOMS_FEW. */
int kw_interview_day_create(struct kw_app *app, const struct kw_actor *actor,
                            const struct kw_session_info *s, int64_t exam, const json_t *body,
                            json_t **out, struct kw_err *err);
/* GET …/interview_days/{id} (interview.read): the day, its panels and lotteries; the room
 * draw's seed and result only for interview.rooms.read (INT-2: the draw is confidential). */
int kw_interview_day_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                         json_t **out, struct kw_err *err);
/* POST …/interview_days/{id}/room_draw (interview.manage): reveals the seed, panels (in code
 * order) take rooms (in code order) by the shuffle; 409 INTERVIEW_DRAW_DONE. Here and below,
 * _op prepares the write as an op (app/writer.h: the server defers it), the other runs it. */
int kw_interview_room_draw_op(struct kw_app *app, const struct kw_session_info *s, int64_t day,
                              struct kw_op *op, struct kw_err *err);
int kw_interview_room_draw(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t day, json_t **out,
                           struct kw_err *err);
/* POST …/interview_panels/{id}/order_draw (interview.manage): the admitted of the panel's
 * positions (ticket order) draw order numbers; the seed revealed; {result: [{order_no,
 * ticket_no}]}; 409 INTERVIEW_NOT_SCHEDULED, INTERVIEW_DRAW_DONE, INTERVIEW_NO_CANDIDATES. */
int kw_interview_order_draw_op(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                               struct kw_op *op, struct kw_err *err);
int kw_interview_order_draw(struct kw_app *app, const struct kw_actor *actor,
                            const struct kw_session_info *s, int64_t panel, json_t **out,
                            struct kw_err *err);
/* POST …/interview_panels/{id}/orders/{no}/scores (interview.score; the panel's examiners)
 * {scores: ["25.5", …] per dimension, correction_reason?}: once per examiner, a correction
 * (with reason, audited) only before the scorer computes. The answer names no candidate. 403
 * INTERVIEW_NOT_EXAMINER; 422 INTERVIEW_SCORE_RANGE; 409 INTERVIEW_SCORE_ENTERED,
 * INTERVIEW_SCORES_CLOSED. The checks done, the write is an op (app/writer.h: the server
 * defers it; kw_op_run runs it). */
int kw_interview_score_op(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                          int64_t order, const json_t *body, struct kw_op *op, struct kw_err *err);
/* GET the same (interview.score; panel members): every examiner's scores once all are in;
 * 403 INTERVIEW_SCORES_HIDDEN before. */
int kw_interview_scores_get(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                            int64_t order, json_t **out, struct kw_err *err);
/* POST …/interview_panels/{id}/orders/{no}/signoffs (interview.score) {as: scorer |
 * supervisor | chief}: the scorer's computes the panel score (settings' method), the chief's
 * stores the composite; strictly in order (409 INTERVIEW_SIGNOFF_ORDER), each by the member
 * holding that duty (403 INTERVIEW_SIGNOFF_ROLE); 409 INTERVIEW_SCORES_MISSING. */
int kw_interview_signoff_op(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                            int64_t order, const json_t *body, struct kw_op *op,
                            struct kw_err *err);
int kw_interview_signoff(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t panel, int64_t order,
                         const json_t *body, json_t **out, struct kw_err *err);
/* POST …/shortlists/{id}/interview_results (interview.manage): publishes the position's
 * results once the chief has signed every admitted candidate's; late: true when after 48 hours
 * from the end of the interview day (flagged, not refused); 409 INTERVIEW_RESULTS_PENDING,
 * INTERVIEW_RESULTS_PUBLISHED. */
int kw_interview_results_publish(struct kw_app *app, const struct kw_actor *actor,
                                 const struct kw_session_info *s, int64_t list, json_t **out,
                                 struct kw_err *err);

/* GET …/shortlists/{id}/interview_results (interview.read): the position's results as far as
 * signed — {deadline (48 hours after the end of its interview day; null before a day),
 * overdue, pending, signed, publication {deadline, late, published_at} | null, results (as
 * the publication's; null before it for a reader without interview.manage)}. */
int kw_interview_results_get(struct kw_app *app, const struct kw_session_info *s, int64_t list,
                             json_t **out, struct kw_err *err);
/* GET …/exams/{id}/interview_days (interview.read): {items: [day as kw_interview_day_get]}. */
int kw_interview_days_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                           json_t **out, struct kw_err *err);
/* GET /api/v1/me/interview_panels (interview.score): the panels whose member's staff record
 * is the caller's — {items: [{panel_id, code, starts_at, duty, examiners, exam, day_id, day,
 * ends_at, dimensions, orders: [{order_no, stage, score, entered, mine: {scores, total,
 * corrections} | null}]}]}: order numbers only, never a candidate (INT-3). */
int kw_interview_my_panels(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                           struct kw_err *err);

/*
 * Registered observers of an interview day (INT-7): registration (interview.manage) closes
 * when the day begins; a candidate of the exam's shortlists is refused; the identity number
 * is kept masked. Attendance (the panel whose room they sit in) and departure are recorded on
 * the day, each once. Lists are interview.read.
 */
int kw_interview_observer_register(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t day, const json_t *body,
                                   json_t **out, struct kw_err *err);
int kw_interview_observers_list(struct kw_app *app, const struct kw_session_info *s, int64_t day,
                                json_t **out, struct kw_err *err);
/* leaving 0: attendance, body {"panel_id"}; 1: departure (body ignored). */
int kw_interview_observer_presence(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t id, int leaving,
                                   const json_t *body, json_t **out, struct kw_err *err);

#endif
