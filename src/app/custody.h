/*
 * Papers as packages and their chain of custody (SPEC PAP-2, PAP-3, CUS-1..6; issue 9 items 1
 * and 2). Tables: migration 0032_custody.sql; the pure rules: core/custody.h.
 *
 * Print sign-off (PAP-2): each person who proof-checked and signs the paper of a subject
 * (author, lead…) signs once (custody.signoff at the exam's unit; 409 CUSTODY_ALREADY_SIGNED).
 *
 * Packages (PAP-3), made per subject from the exam's published seating run (custody.make at the
 * exam's unit; 422 CUSTODY_NOT_SIGNED_OFF until two different people signed, 409
 * CUSTODY_PACKAGES_EXIST the second time): one "room" package per exam room holding the
 * subject, count = the candidates seated there + paper_spares_per_room (the rule set's
 * parameter, as the paper order of PAP-4 — the room's seats are not used: a package holds what
 * the paper order ordered, and a room is rarely full), and one outer "centre" package per
 * centre holding its room packages of that subject (count their sum). Every package has
 * exactly one subject: made from one subject, its parent of the same subject (by
 * construction; nothing changes a package's subject). Seal numbers
 * <exam>-<subject>-<centre>-R<nnn> (room) and -C (centre); classification top_secret (绝密)
 * until the sitting ends; print_signed_by the two first signers.
 *
 * Events (CUS-1..6), append-only, each audited, time = the server's clock, body
 *   {kind, from, to, location?, giving?, receiving?, escorts?, key_holders?, guards?,
 *    vehicle?, departed_at?, count_checked?, seal_checked?, note?}
 * people [{username} (an account) | {name, org?} (a person without one)]. Checked in order:
 *   400 VALIDATION_FAILED       shape, unknown place or account, fields the kind needs
 *   409 CUSTODY_WRONG_PLACE     from is not where the package is (details.place): a package
 *                               is never in two places
 *   422 CUSTODY_BAD_ROUTE       the kind cannot go from → to (details.problem)
 *   422 CUSTODY_ONE_SIDED       a handover side with fewer than 2 people (details.side)
 *   422 CUSTODY_ESCORTS         a transport with fewer than 2 escorts
 *   422 CUSTODY_KEY_HOLDERS / CUSTODY_GUARDS  a secure room in/out without 2 key holders /
 *                               2 guards on duty
 *   422 CUSTODY_SAME_PERSON     a person twice (on one side, both sides, or both keys)
 *   403 CUSTODY_NOT_PARTY       a handover recorded by someone not on it
 *   422 CUSTODY_NOT_OVER        seal approval or return before the sitting ends
 *   422 CUSTODY_NOT_SEALED      a return without the chief examiner's seal approval
 *   422 CUSTODY_PROCTOR_NOT_DRAWN  a proctors' receipt whose receiving side has a person the
 *                               proctor lottery did not draw for the package's exam room at
 *                               the subject's sitting (matched by account, or by the drawn
 *                               staff member's name), or of a centre's package (CUS-5, DAY-4)
 * An event of an outer (centre) package is written for each of its inner packages that is at
 * the same place too (their chains show it with "via"), and moves them: the outer package
 * carries what it holds; an inner package taken out (to the proctors) goes on alone.
 * Facts are recorded, never refused, and flagged with an incident reported upward (to the
 * exam's unit), 201 with "flags" and "incidents":
 *   CUSTODY_COUNT_MISMATCH / CUSTODY_SEAL_MISMATCH  count or seal read ≠ the package's
 *   CUSTODY_LATE                centre receipt later than custody_centre_minutes (60) or
 *                               proctors' receipt later than custody_proctor_minutes (30)
 *                               before the start (CUS-5): the papers are there — refusing
 *                               the record would hide them; the lateness is reported
 *   CUSTODY_NOT_SAME_DAY        a transport that arrives on another day than it left (CUS-2)
 * Who: custody.record where the package's centre is (a Jiangsu custodian never reaches an
 * Anhui package: 404); seal_approval also custody.approve_sealing (the chief examiner).
 */
#ifndef KW_APP_CUSTODY_H
#define KW_APP_CUSTODY_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

/* A sign-off of subject's paper: body {role_note}; *out {subject, signers, complete}. */
int kw_custody_signoff(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, struct kw_err *err);

/* Makes the packages of body {subject}; *out {items}. */
int kw_custody_make(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const json_t *body, json_t **out,
                    struct kw_err *err);

/* The packages the caller reaches, of an exam (subject, centre code and seal: filters, NULL
 * for all); exam 0 with a seal: the package of that seal anywhere the caller reaches. */
int kw_custody_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                    const char *subject, const char *centre, const char *seal, json_t **out,
                    struct kw_err *err);

/* A package with its whole chain in order and its incidents. */
int kw_custody_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                   struct kw_err *err);

/* The incidents the exam's custody events raised (open and closed), for whoever the report
 * went to (custody.read at the exam's unit) and those who reach the package's centre:
 * {items: [{id, package_id, seal_no, centre, event_seq, event_kind, code, details, report_to,
 * status, created_at}]}. */
int kw_custody_incidents(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                         json_t **out, struct kw_err *err);

/* Records an event (see above); *out {event, flags, incidents, package}. */
int kw_custody_event(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                     struct kw_err *err);

#endif
