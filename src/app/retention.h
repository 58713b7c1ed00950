/*
 * Retention and destruction of exam materials (SPEC CUS-7 — AH 44, PQ 25, PQ 29 — and PAP-2's
 * "destroyed … under watch of 2+ people"; issue 9 item 3). Tables: 0038_retention.sql.
 *
 * Materials. One table of an exam's materials. Those kaowu can see are derived: each paper
 * package → "paper"; each exam room of the published seating × each subject it holds →
 * "answer_sheet"; each room record → "room_record". They are MATERIALISED (not computed on
 * every read): a hold, a destruction and a video log entry point to a row with a stable id,
 * and each row is audited. Materialising is idempotent (source_key "package:ID",
 * "answer_sheet:ROOM:SUBJECT", "room_record:ID", unique per exam) and is done by the first
 * look at the exam's list (and before a registration) that finds a derived one missing, as a
 * write of its own with ONE batch audit record for all the rows it adds
 * (retention.materials.derived: a Merkle root over the rows' digests, the rows in
 * audit_batch_rows — app/audit.h; actor the one who looked; detail the count per kind), not
 * one record per material (a national exam has hundreds of thousands): nobody has to
 * remember a "refresh". A registered material has its own record (retention.material).
 * Staff register the others (retention.hold): electronic_copy, video
 * (a centre's or a room's, with the dates it covers and, when it is evidence, the case),
 * other — with who and when.
 *
 * Dates (China time; a period of N months ends on the same-numbered day N months later, or
 * that month's last day; no working-day shift: these are "no earlier than" dates). P = the
 * first publication of the exam's scores (publications.published_at), E = the day the
 * exam's last sitting ends. The rule parameters (data/rules/params.json, rule CUS-7):
 *   paper                          P + papers_destroy_after_months (6)
 *   answer_sheet, room_record, other  P + answer_sheets_keep_months (6)
 *   electronic_copy                P + electronic_copies_keep_years (5)
 *   video                          E + video_keep_months (6); when evidence (its case decided,
 *                                  any degree; or tied, or held — below) the later of E and
 *                                  the decision (or the hold) + video_evidence_keep_years (2)
 *   tied to a serious or especially serious violation, or held for a major anomaly:
 *                                  P + violation_material_keep_years (2), HELD: destruction
 *                                  skips it until then.
 * The earliest destruction date is the latest of the rules that apply (each listed with its
 * basis). Before publication nothing is due (status not_published), video included.
 * "Tied": the material's exam room (or, for a centre's package or video, its centre) is where
 * a candidate sat whose case of this exam got a decision (not revoked) whose catalogue entry
 * is serious or especially_serious, for the case's subject (every subject when it names none).
 * A video whose evidence case is not yet decided is held with no date.
 *
 * Holds (major anomaly, 重大异常): set with a reason by retention.hold, audited; lifted only by a
 * different person, with a reason (RETENTION_HOLD_SAME_PERSON; twice: RETENTION_HOLD_LIFTED);
 * a hold never lifted expires with its 2 years from publication. A violation tie cannot be
 * lifted by anyone: it goes with its case (revoked → gone).
 *
 * Destruction (retention.destroy): {materials: [ids], method, place, witnesses: [usernames],
 * note?}; the server's time. Like a custody handover names the people on both sides and is
 * recorded by one of them, a destruction names its witnesses — at least
 * destruction_witnesses_min (2) different staff accounts that reach the exam (retention.read
 * at its unit) — and the recorder is one of them. Refused, nothing written, when any item is
 * refused (all or nothing; details name the material): 422 RETENTION_WITNESSES (details
 * problem too_few | not_staff | recorder_not_witness, given, distinct, required), 422
 * RETENTION_NOT_DUE (earliest, or null before publication), 422 RETENTION_HELD (reasons,
 * held_until), 409 RETENTION_ALREADY_DESTROYED (destroyed_at). Checked again inside the write.
 *
 * Video log (PQ 29, retention.video_log): every collection, extraction and use of a video
 * material — action, purpose, who (an account; default the recorder), when (default now).
 * Reading a material's log is itself audited (retention.video_log.read), as reads of examiner
 * lists are (interview.c).
 *
 * Who: every action at the exam's unit (404 when out of reach). s NULL: the operator on the
 * server host (`kaowu retention due`), no check.
 */
#ifndef KW_APP_RETENTION_H
#define KW_APP_RETENTION_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/err.h"

/* The exam's materials as of due_on ("YYYY-MM-DD"; NULL: today), only those due when
 * only_due: {exam, published_at, exam_ends_at, due_on, counts, items}. Materialises the derived
 * ones first (see above), as actor. */
int kw_retention_list(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const char *due_on,
                      int only_due, json_t **out, struct kw_err *err);

/* Registers a material: body {kind: electronic_copy|video|other, label, subject?, centre?,
 * room? (with centre), recorded_from?, recorded_to? (video: required), evidence_case_id?,
 * note?}; *out the item. */
int kw_retention_register(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, const json_t *body,
                          json_t **out, struct kw_err *err);

/* A hold on a material for a major anomaly: body {reason}; *out the item. */
int kw_retention_hold(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t material, const json_t *body,
                      json_t **out, struct kw_err *err);

/* Lifts a hold: body {reason}; *out the item. */
int kw_retention_lift(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t hold, const json_t *body,
                      json_t **out, struct kw_err *err);

/* Records a destruction (see above); *out {destruction, items}. */
int kw_retention_destroy(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const json_t *body,
                         json_t **out, struct kw_err *err);

/* The exam's destructions, newest first: {items}. */
int kw_retention_destructions(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                              json_t **out, struct kw_err *err);

/* Adds an entry to a video material's log: body {action: collection|extraction|use, purpose,
 * done_by?, occurred_at?}; *out the entry. */
int kw_retention_video_log_add(struct kw_app *app, const struct kw_actor *actor,
                               const struct kw_session_info *s, int64_t material,
                               const json_t *body, json_t **out, struct kw_err *err);

/* A video material's log in order ({material, items}); the read is audited. */
int kw_retention_video_log(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t material, json_t **out,
                           struct kw_err *err);

/* For a paper package's chain (custody.c): its material's item (status, earliest, holds,
 * destruction), or {"status": "not_registered"} before the exam's list was first looked at.
 * Never fails: a failure reads as null. */
json_t *kw_retention_package(struct kw_conn *c, int64_t package);

#endif
