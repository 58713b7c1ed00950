/*
 * Recruitment after the interview (SPEC INT-6, VIO-6, VIO-9; VH 10-14; issue 12 item 6):
 * docs/recruitment.md. The steps and what each refuses:
 *   build       a position's composite list from its published interview results
 *               (RECRUIT_RESULTS_UNPUBLISHED, RECRUIT_LIST_EXISTS): every interviewed
 *               candidate in order of composite, then written score, then interview score,
 *               then ticket number; the first `quota` qualified are selected.
 *   step        physical exam, fitness and psychological tests (when the position requires
 *               them), vetting — in that order (RECRUIT_STEP_ORDER); pass, fail (reason),
 *               absent (gives up), withdrawn, or referred to the violations workflow (a case
 *               opened through cases.h; the candidate waits on it: RECRUIT_CASE_PENDING); one
 *               re-examination of a failed physical exam when asked (RECRUIT_REEXAM_*).
 *   replace     递补 from the list in order, among the interviewed and qualified, for a
 *               candidate who is out, at most `rounds` times (RECRUIT_REPLACEMENT_LIMIT).
 *   notice      the public notice of those who passed every step, made by one person and
 *               published by another (SELF_APPROVAL); its period is `notice_workdays` working
 *               days on the holiday calendar; objections during it (RECRUIT_NOTICE_CLOSED),
 *               each tracked to a reply.
 *   appoint     after the period, with no objection open (RECRUIT_NOTICE_RUNNING,
 *               RECRUIT_OBJECTION_OPEN); probation of `probation_months`.
 *   probation   passed at its end (RECRUIT_PROBATION_RUNNING), or the recruitment cancelled
 *               through a decided case (VH 14: the case's consequence recruitment_cancelled).
 * Every write is audited.
 */
#ifndef KW_APP_RECRUIT_H
#define KW_APP_RECRUIT_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/buf.h"
#include "util/err.h"

/* The composite list of shortlist's position; body {rounds?, fitness_test?, psych_test?,
 * interview_min?, notice_workdays?, probation_months?}. *out: the list. */
int kw_recruit_build(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t shortlist, const json_t *body,
                     json_t **out, struct kw_err *err);

/* A list with its candidates, steps, notices and objections (interview.read). */
int kw_recruit_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                   struct kw_err *err);

/* The recruitment of shortlist id's position as the staff page opens it (interview.read): the
 * position, quota, shortlist status, when its interview results were published (null: not
 * yet), list_id and the list (as kw_recruit_get; null before it is built), and can_manage —
 * whether s may write (interview.manage), so that a reader is offered no refused action. */
int kw_recruit_of_shortlist(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                            json_t **out, struct kw_err *err);

/* A step of candidate id: body {step, outcome, reason?, on?, reexam?, case?}. */
int kw_recruit_step(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                    struct kw_err *err);

/* A replacement for the candidate body.candidate_id of list id. */
int kw_recruit_replace(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, const json_t *body,
                       json_t **out, struct kw_err *err);

/* A public notice of list id, pending another person's approval. */
int kw_recruit_notice_make(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, json_t **out,
                           struct kw_err *err);

/* Approves (publishes) notice id: another person than its maker. */
int kw_recruit_notice_approve(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t id, json_t **out,
                              struct kw_err *err);

/* A published notice, for anyone; with pdf, the printable notice into *pdf instead. */
int kw_recruit_notice_public(struct kw_app *app, int64_t id, json_t **out, struct kw_buf *pdf,
                             struct kw_err *err);

/* The exam's published notices, for anyone (NOT_FOUND: no such exam): {exam: {id, code, name},
 * items: [notice as kw_recruit_notice_public gives it]}, newest first. */
int kw_recruit_exam_notices(struct kw_app *app, int64_t exam, json_t **out, struct kw_err *err);

/* An objection to notice id: body {candidate_id, text, objector?, received_on?}. */
int kw_recruit_objection_add(struct kw_app *app, const struct kw_actor *actor,
                             const struct kw_session_info *s, int64_t id, const json_t *body,
                             json_t **out, struct kw_err *err);

/* The reply to objection id: body {reply, sustained}. */
int kw_recruit_objection_reply(struct kw_app *app, const struct kw_actor *actor,
                               const struct kw_session_info *s, int64_t id, const json_t *body,
                               json_t **out, struct kw_err *err);

/* The appointment of candidate id: body {appointed_on}. */
int kw_recruit_appoint(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, const json_t *body,
                       json_t **out, struct kw_err *err);

/* The end of probation of candidate id: body {outcome: passed | cancelled, case_id?, note?}. */
int kw_recruit_probation(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, const json_t *body,
                         json_t **out, struct kw_err *err);

/* The candidate's own steps, from the shortlist to probation. */
int kw_recruit_mine(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                    struct kw_err *err);

#endif
