/*
 * Violation cases (SPEC VIO-0 … VIO-9, INF-5(5), INF-5(6); VH 18-21; Order No. 31's
 * procedure): one matter from the on-the-spot record to the decision letter, its service,
 * its effects on the registration, the scores and the integrity archive, appeals, and a
 * revocation that only new evidence and a second person can bring.
 *
 * The steps and what each refuses:
 *   open      a case about a candidate's registration, from a room record, a marking
 *             anomaly, a review finding, a report or a screening; the catalogue (VIO-0: VH for
 *             civil-service exams, Order No. 31 for qualification exams, never VH elsewhere)
 *             and its version are fixed now, so the case keeps the wording in force.
 *   sign      staff sign the on-the-spot record (one signature each).
 *   files     evidence (and later the defence, a revocation's or an appeal's papers): PDF,
 *             JPEG or PNG, checked like every upload.
 *   notify    the notice of the intended decision (VH 19): needs the signatures
 *             (CASE_SIGNATURES, VH 18: at least 2), evidence and a cited entry of the
 *             case's catalogue (CASE_EVIDENCE_REQUIRED, VIO-0); a numbered PDF notice and a
 *             portal message; the defence period (the catalogue's defence_working_days on the
 *             holiday calendar) runs from the day it was received.
 *   defence   the candidate's statement and defence (through the portal, or entered by staff
 *             from a letter), or a waiver, until the period ends (CASE_DEFENCE_CLOSED).
 *   review    staff review the statement before deciding.
 *   decide    refused before the notice was received (CASE_NOTICE_NOT_SERVED), before the
 *             defence period ended unless waived (CASE_DEFENCE_PERIOD), with a statement not
 *             yet reviewed (CASE_DEFENCE_NOT_REVIEWED), for another entry than the notice
 *             cited (CASE_ENTRY_CHANGED: notify again), by a unit the catalogue does not name
 *             or below its level (VIO-7: CASE_DECIDER_NOT_ALLOWED, CASE_DECIDER_LEVEL), with a
 *             ban starting another day than the decision (CASE_BAN_START, VH 20). It writes
 *             the numbered decision letter (PDF) and applies the penalty's effects itself:
 *             the registration cancelled or void, zero or void for the subject or sitting,
 *             the process ended, the archive entry (ban or record) from the decision date.
 *   serve     how the letter was served (direct, entrusted, post, public notice, portal) and
 *             the day it was received; the deadlines for administrative review (60 days) and
 *             a lawsuit (6 months) count from that day.
 *   appeals   reviews and lawsuits and their outcomes, as recorded facts.
 *   changes   a revocation asks grounds and new evidence (CASE_CHANGE_EVIDENCE, INF-5(5))
 *             and is decided by another person (SELF_APPROVAL, INF-4); approved, it undoes
 *             every effect: the registration restored, the archive entry out at once.
 *   drop      a case found to have no violation closes without a decision.
 *   consequence  the other consequences, each recorded (VH 13, 14, 23): the employer of a
 *             public official told, a recruitment cancelled during probation (after the
 *             decision), a suspected crime or an outsider's part referred (at any time). A
 *             referral is a row of case_referrals with its reply_due, tracked to the reply.
 *   reply     the authority's reply to a referral {referral_id, replied_on, reply}, once
 *             (CASE_REFERRAL_REPLIED).
 * Outsiders (VIO-11, VH 23): a case with party "outsider" is about someone neither candidate
 * nor staff — opened with exam_id instead of a registration, the person's name and optional
 * identity document, outsider_role, and optionally the candidate's case it belongs with
 * (linked_case_id: same exam, a candidate's case). kaowu imposes nothing on an outsider:
 * notify, defence, review, decide, serve, appeal, change, the drafts and the consequences other
 * than referrals are refused (CASE_OUTSIDER_NO_PENALTY, rule VIO-11), and no archive entry is
 * ever written for one. The case signs its record, takes evidence, and ends by referral: the
 * signatures and evidence first, then the first referral closes it (status "referred").
 * Document numbers: the issuing unit's doc_prefix (皖人考), else its code: 皖人考决〔2026〕N号.
 * Every write is audited; every step is also an event of the case's timeline.
 */
#ifndef KW_APP_CASES_H
#define KW_APP_CASES_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/files.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

/* Opens a case: body {party? ("candidate"), registration_id, source, source_ref?, stage,
 * subject?, entry_id?, facts, occurred_at, place?, actions_taken?}; or an outsider's case
 * {party: "outsider", exam_id, unit_id?, person_name, id_type?, id_number?, outsider_role,
 * linked_case_id?, source, source_ref?, stage, subject?, facts, occurred_at, place?,
 * actions_taken?}. *out: the case. */
int kw_case_open(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                 const json_t *body, json_t **out, struct kw_err *err);

/* Cases the caller reaches: filters exam (0: any), status (NULL: any); after = cursor. */
int kw_cases_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                  const char *status, int64_t after, int limit, json_t **out, struct kw_err *err);

/* One case, whole for staff; the candidate's own case as the candidate may see it. */
int kw_case_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                struct kw_err *err);

/*
 * A step on case id: step is one of "sign", "notify", "defence", "review", "decide", "serve",
 * "appeal", "change", "drop", "consequence", "reply"; body as the header comment says. *out: the
 * case after it.
 */
int kw_case_step(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                 int64_t id, const char *step, const json_t *body, json_t **out,
                 struct kw_err *err);

/* Approves (approve 1) or refuses a pending change of case id; body {reason} (required to
 * refuse). The checker is not the maker (SELF_APPROVAL). */
int kw_case_change_decide(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t id, int64_t change, int approve,
                          const json_t *body, json_t **out, struct kw_err *err);

/* Adds a file of kind evidence | defence | change | appeal to case id (label: what it is). */
int kw_case_file_add(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const char *kind,
                     const char *media_type, const char *label, const void *data, size_t n,
                     json_t **out, struct kw_err *err);

/* A file's bytes (the candidate: the notice, the letter and their own defence only). */
int kw_case_file(struct kw_app *app, const struct kw_session_info *s, int64_t id, int64_t file,
                 struct kw_file *out, struct kw_err *err);

/*
 * A draft of the notice (doc "notice") or of the decision letter ("letter") as it would read
 * today, before it is issued: the case's entry (or entry_id), issued by the exam's organiser
 * (the notice) or by unit (the letter; 0: the organiser), numbered only when issued. *out the
 * document's text {title, lines, footer}; with pdf, also *file, a PDF marked as a draft.
 * Staff who may notify (notice) or decide (letter) the case.
 */
int kw_case_draft(struct kw_app *app, const struct kw_session_info *s, int64_t id, const char *doc,
                  int64_t unit, const char *entry_id, int pdf, json_t **out, struct kw_file *file,
                  struct kw_err *err);

/* The candidate's own cases (notified or later) and portal messages. */
int kw_case_mine(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                 struct kw_err *err);

/*
 * Sets (or, with null or "", clears) the document-number prefix of a unit: body {doc_prefix}.
 * 1..12 CJK ideographs or Latin letters (UNIT_DOC_PREFIX_INVALID otherwise); the unit's
 * notices and decision letters are numbered 皖人考决〔2026〕N号 with it, with its code when it
 * has none; numbers already issued never change. Who may create units at it (unit.create).
 * *out {id, code, name, doc_prefix, number_prefix}.
 */
int kw_unit_doc_prefix_set(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t unit, const json_t *body,
                           json_t **out, struct kw_err *err);

/*
 * The public words for an entry of a catalogue (the act, its citation, the regulation, the
 * penalty; zh and en) — for the public query of the qualification archive (app/archive.c).
 * NULL when the catalogue or the entry is unknown. Caller owns the object.
 */
json_t *kw_case_entry_public(const char *catalogue_id, const char *entry_id);

#endif
