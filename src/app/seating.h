/*
 * Seating an exam (SPEC SEAT-1, VEN-2, VEN-4, VEN-5): capacity planning, then a run of the
 * unified rule (core/seat.h) in two public steps —
 *   commit: the inputs are read from the database (the exam's seatable registrations: paid,
 *           and approved, or for qualification exams submitted or approved; the active rooms
 *           of the active, suitable, unblocked centres of the exam's province's areas), written
 *           as the inputs file (no personal data), stored, and its SHA-256 published with the
 *           SHA-256 commitment of a seed the system draws; the seed is kept unseen;
 *   seat:   the inputs are read again and must be the committed ones byte for byte; the
 *           assignment is computed, written (exam rooms, seats, ticket numbers) and its digest
 *           published with the revealed seed;
 * then publish (tickets may be issued) or discard with a reason (the seed is revealed; the
 * run stays on the public record). Nobody places a candidate: there is no input for it.
 * Every step is audited; exam rooms and seats by batch records.
 */
#ifndef KW_APP_SEATING_H
#define KW_APP_SEATING_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

/* The plan without a draw: per area and subject group the candidates, the exam rooms they
 * need and the seats free, shortfalls; centres left out and why; staffing gaps (VEN-2). body
 * may carry {"rule": {…}} (core/seat.h's settings) over the exam's defaults. */
int kw_seating_capacity(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const json_t *body, json_t **out, struct kw_err *err);

int kw_seating_commit(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err);
int kw_seating_seat(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t run, json_t **out, struct kw_err *err);
int kw_seating_publish(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t run, json_t **out,
                       struct kw_err *err);
int kw_seating_discard(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t run, const json_t *body,
                       json_t **out, struct kw_err *err);

/* A run as staff see it (the seed only once revealed). */
int kw_seating_get(struct kw_app *app, const struct kw_session_info *s, int64_t run, json_t **out,
                   struct kw_err *err);
/* The exam rooms of a run: centre, room, number, subjects, sittings, seats, first and last
 * ticket numbers (the door labels' data). */
int kw_seating_rooms(struct kw_app *app, const struct kw_session_info *s, int64_t run, json_t **out,
                     struct kw_err *err);

/* A centre's documents (app/centredocs.c; seating.read): door labels for the exam rooms of
 * one centre (code) or of all when centre is NULL or "", desk labels of one centre (required),
 * as PDFs; the paper order per centre, exam room and subject with spares (PAP-4) as XLSX. */
int kw_seating_door_labels(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           const char *centre, char **pdf, size_t *n, struct kw_err *err);
int kw_seating_desk_labels(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           const char *centre, char **pdf, size_t *n, struct kw_err *err);
/* A centre's document (code required): "signin" (sign-in sheets with photos, per exam room),
 * "chart" (seating charts in the rule's seat order), "allocation" (the room allocation table
 * posted at the gate), "gate" (the gate sign), as a PDF. */
int kw_seating_centre_doc(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                          const char *doc, const char *centre, char **pdf, size_t *n,
                          struct kw_err *err);
int kw_seating_paper_order(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           char **xlsx, size_t *n, struct kw_err *err);

/* 0 when s may do action on the run (its exam's id in *exam); 404 otherwise. */
int kw_seating_reach(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                     const char *action, int64_t *exam, struct kw_err *err);

/* Changes to a published seating (app/seatchange.c; seating.run): asked for with
 * {"registration_id", "reason"}; approved or rejected ({"reason"}, required to reject) by
 * another person (403 SELF_APPROVAL, INF-4). An approved change moves the candidate to the
 * next free seat, by the rule, of another exam room of their area and subject group (422
 * SEAT_CHANGE_NO_FREE_SEAT when there is none); 409 SEAT_CHANGE_NO_SEAT,
 * SEAT_CHANGE_PENDING. */
int kw_seat_change_request(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t run, const json_t *body,
                           json_t **out, struct kw_err *err);
int kw_seat_change_decide(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t id, int approve,
                          const json_t *body, json_t **out, struct kw_err *err);

/* Public: an exam's runs (by exam code or id) with commitments, digests and revealed seeds. */
int kw_seating_public(struct kw_app *app, const char *exam, json_t **out, struct kw_err *err);
/* Public: a run's inputs file (*data the caller frees). */
int kw_seating_inputs(struct kw_app *app, int64_t run, char **data, size_t *n, struct kw_err *err);

#endif
