/*
 * Verification of registrations (SPEC REG-5, REG-6; PQ 15, AH 14, AH 15; VH 5).
 *
 * A verification is a task on one registration: an on-site review record (what was checked
 * against the originals, and that the originals were returned — closed when written), an
 * ex-post check of a registration drawn in a random sample, a targeted check with its reason,
 * or a ban found after submission. A reviewer of the registration's unit closes it with an
 * outcome, and the outcome's consequences are that reviewer's recorded decision, never the
 * system's:
 *   confirmed          nothing was wrong; the task closes
 *   false_pledge       (not civil service; PQ 15) the registration is void; optionally
 *                      recorded in the qualification-exam archive until a given date, and a
 *                      suspected crime referred (the referral is recorded)
 *   false_information  (civil service; VH 5) the registration is void by the reviewing unit
 *   banned             (civil service; REG-5, AH 15) a VH ban in force, checked again when
 *                      deciding, cancels the qualification
 * Malicious registration or forged material (cancel and a 5-year ban) is not decided here:
 * only a civil-service authority at prefecture-city level or above decides it, through a
 * violation case (VIO-7): FORGERY_NEEDS_CASE.
 *
 * Samples are drawn with a seed from the system (core/draw.h): the population — the exam's
 * registrations in the given statuses, by id — its digest, the seed, its commitment and the
 * purpose are recorded with the sample, so anyone can replay the draw (`kaowu draw shuffle`).
 */
#ifndef KW_APP_VERIFY_H
#define KW_APP_VERIFY_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

/* A sample of exam's registrations: body {size: 1..10000, statuses?: ["approved"|"submitted"]}
 * (default ["approved"]); one open "sample" verification per drawn registration. */
int kw_verify_sample(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const json_t *body,
                     json_t **out, struct kw_err *err);

/* A sample as recorded, with its drawn registrations and their verifications. */
int kw_verify_sample_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                         json_t **out, struct kw_err *err);

/*
 * REG-5: checks every submitted or approved registration of a civil-service exam against the
 * archive today, and opens a "ban" verification for each whose candidate is inside a VH ban
 * and has none open. {checked, opened, verification_ids}; for other exam kinds nothing is
 * checked (VH bans never touch them): {checked: 0, opened: 0, civil_service: false}.
 * Ticket issuance runs the same sweep before tickets go out.
 */
int kw_verify_ban_sweep(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t exam, json_t **out,
                        struct kw_err *err);

/* A targeted check {kind: "targeted", reason} or an on-site record {kind: "on_site",
 * checks: {item: "ok"|"not_ok"}, originals_returned: true|false, finding?} on registration reg. */
int kw_verify_create(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t reg, const json_t *body, json_t **out,
                     struct kw_err *err);

/* The verifications of registration reg. */
int kw_verify_list(struct kw_app *app, const struct kw_session_info *s, int64_t reg, json_t **out,
                   struct kw_err *err);

/*
 * The verification tasks of one exam (REG-6), for the reviewers who may verify its
 * registrations: those whose registration's unit (its position's recruiting agency, else the
 * exam's unit) lies under one of the caller's registration.verify grants — nothing else is
 * listed, and an exam none of whose units the caller reaches is NOT_FOUND, as is any exam for
 * a candidate. A page of tasks in id order (cursor: the last id seen), each with the
 * candidate's name and masked document number, the position (or subjects), the kind, who
 * opened it and when, its due date (the exam's date: checks close before the candidate sits)
 * and status; with counts {open, closed, open_by_kind: {kind: n}} over what the caller reaches.
 */
struct kw_verify_query {
	int64_t exam;
	int64_t after;      /* cursor: tasks with a greater id */
	int limit;          /* 1..1000 */
	const char *status; /* "open" or "closed" */
	const char *kind;   /* NULL (every kind), "sample", "targeted", "ban" or "on_site" */
};
int kw_verify_tasks(struct kw_app *app, const struct kw_session_info *s,
                    const struct kw_verify_query *q, json_t **out, struct kw_err *err);

/* Closes verification id: body {outcome, finding, referral?, archive_until?: "YYYY-MM-DD"}. */
int kw_verify_decide(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                     struct kw_err *err);

#endif
