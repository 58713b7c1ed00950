/*
 * Exam day, first slice (SPEC DAY-2, DAY-3, DAY-4; issue 9 item 4): check-in at the door of
 * an exam room, hand-in and leaving under the room lock, and the room record (考场记录).
 *
 * A "room" is an exam room (考场: exam_rooms.id) of the exam's published seating run; a
 * "sitting" is named by its subject's code. Who: the proctors the exam's lottery assigned to
 * that exam room (proctor_assignments, duty "proctor", of a drawn draw for the exam day or for
 * the subject's sitting), through a staff record linked to their account (staff.user_id) and
 * a grant of the action (permissions.json, unit condition) reaching the room's centre. Staff
 * whose grants reach the centre (agency staff, chief examiners, inspectors…) read the record.
 *
 * Check-in {payload (the ticket's QR text "KW1.…") | ticket_no, room_id, id_checked: true,
 * photo_match?, preview?}; checked in this order, the first refusal wins:
 *   400 VALIDATION_FAILED           a field missing or malformed; id_checked must be true
 *                                   (DAY-2: the identity document matches the registration)
 *   422 CHECKIN_FORGED              the QR's signature does not hold under the ticket key
 *   422 CHECKIN_TICKET_REVOKED      the QR is of a ticket version that is no longer valid (a
 *                                   later version was issued); details.valid_version
 *   404 CHECKIN_TICKET_UNKNOWN      no seat with that ticket number in the published run
 *   422 CHECKIN_REGISTRATION_CANCELLED  a decision cancelled the registration or made it void
 *   422 CHECKIN_WRONG_ROOM          the candidate does not sit here: details.reason
 *                                   "sitting" (they do not sit this subject), "centre" or
 *                                   "room", and where they belong (centre code and name, exam
 *                                   room number and id, seat, their subjects)
 *   422 CHECKIN_NOT_OPEN            before the room opens (checkin_opens_minutes before the
 *                                   start); details.opens_at
 *   422 CHECKIN_LATE                after the cut-off (late_entry_minutes after the start;
 *                                   late_entry_audio_video_minutes for audio/video subjects);
 *                                   details.cutoff_at
 *   422 CENTRE_NOT_READY            the room's centre is not ready to open (VEN-6, VEN-4;
 *                                   app/readiness.h): details.missing lists what is missing
 *                                   (not asked again of a repeated check-in)
 * A second check-in of the same candidate for the same subject is idempotent: 200 with the
 * first check-in and "repeated": true (a new one is 201). With preview true nothing is written:
 * 200 with what a check-in would show (seat, name, photo link) — the proctor compares the
 * photo, then checks in.
 *
 * Leave {kind: hand_in | early_leave, reason?}: inside the room lock (DAY-2: subjects of at
 * most lock_short_subject_max_minutes until the end, CBT ones until cbt_early_open_minutes
 * before it; longer ones for lock_long_subject_minutes; audio/video until the end) 422
 * LEAVE_LOCKED (details.until) unless an early leave with its special reason, which sends the
 * candidate to the rest room (rest_room true); 409 LEAVE_ALREADY.
 *
 * The room record: GET shows its state, the counts (seated, present, absent), the absentees
 * (computed live while open, fixed at close), entries with their evidence files, signatures.
 * Entries {kind: incident | suspected_violation | security | note, description,
 * occurred_at?, registration_id? (required for a suspected violation: a candidate seated in
 * the room)}; evidence files on an entry. Sign: after the subject's end (422
 * ROOM_RECORD_NOT_OVER), one signature per person on the record as it reads (409
 * ROOM_RECORD_ALREADY_SIGNED; a record changed since needs signing again). Close: 422
 * ROOM_RECORD_SIGNATURES (details.required, signed) unless room_record_signatures_min
 * different proctors of the room signed its present content; closing writes the absentees.
 * Anything on a closed record: 409 ROOM_RECORD_CLOSED. A suspected violation of a closed
 * record opens a violations case (app/cases.h, source "room_record", source_ref
 * "room_record_entry:<id>", its evidence copied) — by staff who may open cases; 409
 * ROOM_RECORD_OPEN before the close, ROOM_RECORD_CASE_EXISTS for a second one, 422
 * ROOM_RECORD_NOT_VIOLATION for another kind of entry.
 * Every write is audited.
 */
#ifndef KW_APP_EXAMDAY_H
#define KW_APP_EXAMDAY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/files.h"
#include "app/identity.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/err.h"

/* ---- the rule set's times (pure) ---- */

struct kw_examday_rules {
	int opens_minutes;          /* checkin_opens_minutes */
	int late_minutes;           /* late_entry_minutes */
	int late_av_minutes;        /* late_entry_audio_video_minutes */
	int lock_short_max_minutes; /* lock_short_subject_max_minutes */
	int lock_long_minutes;      /* lock_long_subject_minutes */
	int cbt_early_open_minutes; /* cbt_early_open_minutes */
	int signatures_min;         /* room_record_signatures_min */
};

/* The times of one subject's sitting, microseconds UTC. */
struct kw_examday_times {
	int64_t start, end;
	int64_t opens;      /* check-in from */
	int64_t cutoff;     /* check-in until (inclusive) */
	int64_t lock_until; /* no hand-in or leaving before it (DAY-2) */
};

/* The rules of a process rule set (AH, PQ, …), kaowu's defaults where it says nothing. */
void kw_examday_rules_of(const char *ruleset, struct kw_examday_rules *out);

/* The times of a subject starting at start, lasting minutes; cbt and audio_video its flags. */
void kw_examday_times(const struct kw_examday_rules *r, int64_t start, int minutes, int cbt,
                      int audio_video, struct kw_examday_times *out);

/* Does an exam room's subject group ("01+02", exam_rooms.subjects) hold subject code? */
int kw_subject_group_has(const char *group, const char *code);

/* ---- services (HTTP and CLI) ---- */

/* The exam rooms assigned to the caller as a proctor, with their sittings: {items: [{exam_id,
 * exam_code, exam_name, room_id, centre, centre_name, room_number, room_code, subjects: [{code,
 * name, starts_at, ends_at, opens_at, cutoff_at, lock_until}]}]}. */
int kw_examday_my_rooms(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                        struct kw_err *err);

/* A check-in (see above) as an op (writer.h): the checks run here; a repeated check-in or a
 * preview answers at once in *out (op->job NULL), else op writes it (status 201, or 200 when
 * another scan of the candidate committed first). */
int kw_examday_checkin_op(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                          const char *subject, const json_t *body, struct kw_op *op, json_t **out,
                          struct kw_err *err);
/* The same, run in place; *created 1 when written now, 0 when repeated or a preview. */
int kw_examday_checkin(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, int *created, struct kw_err *err);

/* The check-ins of a room at a sitting (room required): {items: […]}. */
int kw_examday_checkins(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const char *subject, int64_t room, json_t **out, struct kw_err *err);

/* Hand-in or leave of check-in id. */
int kw_examday_leave(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject, int64_t id,
                     const json_t *body, json_t **out, struct kw_err *err);

/* The photo of a candidate seated in room for the sitting (the one the ticket shows). */
int kw_examday_photo(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                     const char *subject, int64_t room, int64_t reg, struct kw_file *out,
                     struct kw_err *err);

/* The room record as it reads. */
int kw_examday_record(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const char *subject, int64_t room, json_t **out, struct kw_err *err);

/* An entry (201: the entry). */
int kw_examday_entry_add(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const char *subject,
                         int64_t room, const json_t *body, json_t **out, struct kw_err *err);

/* An evidence file on entry (label: 1..60 characters). */
int kw_examday_entry_file_add(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const char *subject,
                              int64_t room, int64_t entry, const char *media_type,
                              const char *label, const void *data, size_t n, json_t **out,
                              struct kw_err *err);

/* An evidence file's bytes. */
int kw_examday_entry_file(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                          const char *subject, int64_t room, int64_t file, struct kw_file *out,
                          struct kw_err *err);

/* The caller's signature; then the record. */
int kw_examday_sign(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const char *subject,
                    int64_t room, json_t **out, struct kw_err *err);

/* Closes the record (the absentees written); then the record. */
int kw_examday_close(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     int64_t room, json_t **out, struct kw_err *err);

/* Opens a case from a suspected violation of a closed record: body {entry_id?, facts?,
 * actions_taken?} over what the entry says (the catalogue entry is optional, as for any case).
 * *out: the case (201). */
int kw_examday_entry_case(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, const char *subject,
                          int64_t room, int64_t entry, const json_t *body, json_t **out,
                          struct kw_err *err);

/* The absentees of a sitting per the closed room records, and which rooms are still open
 * (staff who read the exam's seating): {subject, rooms_closed, rooms_open, items: [{
 * registration_id, ticket_no, room_id}]}; with reg (> 0) also "registration": {id, state:
 * "unknown" | "present" | "absent"} as kw_examday_absent answers for it. */
int kw_examday_absentees_json(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                              const char *subject, int64_t reg, json_t **out, struct kw_err *err);

/* ---- for scoring (no authorisation: the caller checked it) ---- */

enum {
	KW_ABSENT_UNKNOWN = 0, /* no closed room record covers the candidate's room yet */
	KW_ABSENT_NO = 1,      /* the closed record has them present (checked in) */
	KW_ABSENT_YES = 2,     /* the closed record has them absent (缺考) */
};

/*
 * Is registration reg absent from subject (subjects.id) of exam per the closed room record of
 * the exam room they were seated in? *state one of KW_ABSENT_*. On c (a pool connection or a
 * job's tx->conn). The scoring import asks this for every sheet of a candidate (a sheet from a
 * KW_ABSENT_YES candidate is an anomaly), or takes the whole list at once below.
 */
int kw_examday_absent(struct kw_conn *c, int64_t exam, int64_t subject, int64_t reg, int *state,
                      struct kw_err *err);

/* Every registration absent from subject of exam per the closed room records, ascending
 * (*regs the caller frees; bsearch it), and how many of the subject's exam rooms are closed and
 * still open (NULL-able). */
int kw_examday_absentees(struct kw_conn *c, int64_t exam, int64_t subject, int64_t **regs,
                         size_t *n, int64_t *rooms_closed, int64_t *rooms_open, struct kw_err *err);

#endif
