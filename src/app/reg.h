/*
 * Candidates and registration (SPEC REG-1..7, EXAM-1, EXAM-4).
 *
 * A candidate signs up with an identity document (one account per document), keeps a
 * profile (education, work, political status, household registration), and registers for a
 * published exam — one registration per exam, one position per registration for civil
 * service — inside the registration window, with the integrity pledge or the proof route.
 * Every condition is evaluated and each unmet one explained (core/eligibility.c); a VH ban
 * in force refuses a civil-service application (REG-5); staff of the reviewing unit approve,
 * reject (with a reason the candidate sees) or void it (REG-6). Every change is audited with
 * identity numbers and phones masked.
 */
#ifndef KW_APP_REG_H
#define KW_APP_REG_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

/*
 * Signs a candidate up: body {id_type, id_number, name, phone, email?, password}. The
 * document is checked (core/idno.c: GB 11643 for resident ID cards); VALIDATION_FAILED with
 * details.fields otherwise. IDENTITY_TAKEN (409) when an account holds the document already
 * (details.claim: how to claim it through staff review). *out = the candidate (masked).
 */
int kw_reg_signup(struct kw_app *app, const struct kw_actor *actor, const json_t *body,
                  json_t **out, struct kw_err *err);

/* The candidate's own profile (document number masked). */
int kw_reg_profile(struct kw_app *app, int64_t candidate, json_t **out, struct kw_err *err);

/*
 * Changes the profile: any of phone, email, political_status, household_region,
 * work_years, grassroots_years, grassroots_project, education (the whole list).
 */
int kw_reg_profile_update(struct kw_app *app, const struct kw_actor *actor, int64_t candidate,
                          const json_t *body, json_t **out, struct kw_err *err);

/* The pledge text in force for a rule set: {version, title, body, items[]} in lang. */
int kw_reg_pledge(const char *ruleset, const char *lang, json_t **out, struct kw_err *err);

/*
 * Submitting a registration, in two steps so the HTTP layer can suspend the request until
 * the commit: prepare checks everything that can be checked before the write — the exam is
 * published and the window open (REG-1, the clock), the position or subjects, the pledge
 * (REG-2: the version in force, accepted; the proof route instead for an entry of the
 * qualification-exam archive still in term), eligibility (ELIGIBILITY_UNMET with
 * details.unmet, every condition explained), bans (REG-5, civil service only), the
 * candidate's photo where the exam requires it (PHOTO_REQUIRED, REG-4) — then the job
 * writes it with its audit record. A second submission for the same exam returns the
 * registration already there (no duplicate); after a rejection, while the window is open, it
 * changes the position and goes back to review.
 * body: {exam_id, position_id? | subjects?: [codes], route: "pledge"|"proof",
 *        pledge_version?: "…", pledge_accepted?: true}
 * staff_entry: a staff member enters it on site for candidate (REG-1), 0 otherwise.
 */
struct kw_reg_submit;
int kw_reg_submit_prepare(struct kw_app *app, const struct kw_session_info *s, int64_t candidate,
                          const json_t *body, const char *address, struct kw_reg_submit **out,
                          struct kw_err *err);
int kw_reg_submit_job(struct kw_tx *tx, void *arg, struct kw_err *err);
/* Prepare found this very application there already: answer with it, no job. */
int kw_reg_submit_known(const struct kw_reg_submit *r);
/* After the job: the registration's id and whether this call created or changed it. */
int64_t kw_reg_submit_id(const struct kw_reg_submit *r, int *created);
void kw_reg_submit_free(struct kw_reg_submit *r);

/*
 * May s act on registration id under action? Its candidate always (for the actions the
 * router lets candidates reach); staff when the registration's unit — its position's
 * recruiting agency, else its exam's unit — lies under a grant allowing action. NOT_FOUND
 * otherwise (the walls do not tell what is behind them).
 */
/*
 * Sets the exam area of a registration that is not seated (SEAT-1): staff of the exam's unit,
 * for registrations taken without one (on site, in bulk) or a candidate who asks to sit
 * elsewhere before seating. body {area: unit code, accommodation?: text | null}. Refusals:
 * VALIDATION_FAILED (area not_an_exam_area: an exam-area agency of the exam's province),
 * AREA_SEATED (409: once seated, only a seat change moves a candidate). *out {id, area,
 * accommodation}.
 */
int kw_reg_set_area(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                    struct kw_err *err);

int kw_reg_reach(struct kw_conn *c, const struct kw_session_info *s, int64_t id, const char *action,
                 struct kw_err *err);

/* One registration as its candidate or a reviewer of its unit sees it; NOT_FOUND otherwise. */
int kw_reg_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
               struct kw_err *err);

/*
 * Registrations: a candidate's own, or those a reviewer reaches (the position's recruiting
 * agency, or the exam's unit), filtered by exam_id, position_id, status; with counts per
 * status when exam_id is given. {"items", "next_cursor", "counts"?}
 */
struct kw_reg_query {
	int64_t exam_id, position_id, after;
	const char *status;
	int limit;
};
int kw_reg_list(struct kw_app *app, const struct kw_session_info *s, const struct kw_reg_query *q,
                json_t **out, struct kw_err *err);

/*
 * Qualification review (REG-6): decision "approve", "reject" (reason required; the candidate
 * sees it) or "void" (false information; reason required). Only a submitted registration is
 * decided: REG_NOT_PENDING (409) otherwise.
 */
int kw_reg_review(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                  int64_t id, const char *decision, const char *reason, json_t **out,
                  struct kw_err *err);

/*
 * REG-3: the candidate withdraws the pledge with a reason before the exam's deadline; the
 * registration continues by the proof route. PLEDGE_WITHDRAWAL_CLOSED (422) after it.
 */
int kw_reg_withdraw_pledge(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, const char *reason,
                           json_t **out, struct kw_err *err);

/* Public: the published exams (newest first), and one exam's notice (AH 10). */
int kw_reg_public_exams(struct kw_app *app, json_t **out, struct kw_err *err);
int kw_reg_public_exam(struct kw_app *app, int64_t id, const char *lang, json_t **out,
                       struct kw_err *err);

/* Public position search of a published exam: q (name, department, location), category,
 * education (the candidate's level: positions asking no more), major (a major code the
 * position accepts), location; cursor and limit. */
struct kw_pos_query {
	const char *q, *category, *education, *major, *location;
	int64_t after;
	int limit;
};
int kw_reg_public_positions(struct kw_app *app, int64_t exam_id, const struct kw_pos_query *q,
                            json_t **out, struct kw_err *err);

/*
 * Identity claims (claims.c, REG-4): body {id_type, id_number, name, phone, statement,
 * password}; CLAIM_NOT_NEEDED (422) when no account holds the document. Staff list them
 * (status filter) and decide "uphold" or "dismiss" with a reason; upheld, the account passes
 * to the claimant, its sessions end and its submitted or approved registrations are void.
 */
int kw_reg_claim_create(struct kw_app *app, const struct kw_actor *actor, const json_t *body,
                        json_t **out, struct kw_err *err);
int kw_reg_claims_list(struct kw_app *app, const struct kw_session_info *s, const char *status,
                       json_t **out, struct kw_err *err);
int kw_reg_claim_decide(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t id, const char *decision,
                        const char *reason, json_t **out, struct kw_err *err);

/* The conditions of a position or an exam record, as core/eligibility.c takes them. */
json_t *kw_reg_conditions(const json_t *rec);

#endif
