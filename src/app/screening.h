/*
 * Similar-answer screening over the database (雷同答卷; SPEC GRD-6, GRD-1, VIO-5; issue 11
 * items 3, 4, 5 and 7): the screen of one subject by core/screen.h, the marking expert
 * group's queue of flagged pairs and clusters with an evidence dossier for each, and the
 * group's collective decision — a confirmation opens a violations case (app/cases.h), never a
 * zero by itself: the due process of VIO-8 comes first.
 *
 * A screen is refused before the subject's scoring is complete (SCREEN_NOT_READY, details
 * reason): no score run (no_score_run), answers imported since the latest run
 * (answers_changed), or a marking of the subject not yet confirmed (marking_not_confirmed).
 * It reads the sheets where scoring reads them (answer_blocks), with the keys the latest run
 * used, each sheet mapped to the master form (items and options un-permuted with its form's
 * perm, core/score.h); items of kind single and true_false are screened (one mark = one
 * category; a blank, an unreadable or a multiple mark is an omit); multiple and
 * indeterminate items are left out (the nominal response model takes one category an item).
 * Rooms, seats and centres come from the published seating run (the chart's columns and
 * seat order from the run's rule, for adjacency); absentees have no sheet. The core runs on
 * 2 threads with the seed given (else one from libsodium), and the screen is stored with its
 * flags in one audited transaction. A subject with fewer than 200 answered sheets is refused
 * (SCREEN_TOO_FEW_CANDIDATES, details have, need). The run is synchronous: a national subject
 * belongs to `kaowu screen` on the server host.
 *
 * The queue shows ticket numbers only (the expert group works anonymously, like marking).
 * A decision {decision: confirm | dismiss, members: [usernames], reasoning, lead_proposal?}
 * is recorded by one of its members; every member (at least 3, distinct) holds the role
 * expert_group_member at a unit whose subtree holds the exam's organiser (a grant for one
 * exam counts for that exam only; SCREEN_MEMBER_NOT_EXPERT, details username). A confirmation opens
 * a case, source "screening", stage marking, for the subject, citing the catalogue's
 * similar-answers entry (VH-9-1 for civil-service exams, ORDER31-11-1 for qualification exams): for
 * a pair against its copier (ω is directional; the source, when it copied too, has its own ordered
 * pair), for a cluster against each member. A flag is decided once (SCREEN_FLAG_DECIDED).
 */
#ifndef KW_APP_SCREENING_H
#define KW_APP_SCREENING_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/buf.h"
#include "util/err.h"

/*
 * POST /api/v1/exams/{id}/subjects/{code}/screens: body (may be NULL) {scope?: room |
 * adjacent | centre, seed?: a decimal string or integer (unsigned 64-bit), alpha?: per
 * ordered pair in (0, 1), fdr_q?: in (0, 1) (not both), sample?: calibration sheets}.
 * *out = the screen (as kw_screening_get).
 */
int kw_screening_run(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     const json_t *body, json_t **out, struct kw_err *err);

/* GET /api/v1/screening/subjects: the subjects with sheets in exams the caller may read
 * screens of: {items: [{exam_id, exam_code, exam_name, subject, subject_name, scored, screens,
 * can_run}]}, newest exam first. */
int kw_screening_subjects(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                          struct kw_err *err);

/* GET /api/v1/exams/{id}/subjects/{code}/screens: {items: [screen…]}, newest first. */
int kw_screening_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const char *subject, json_t **out, struct kw_err *err);

/* GET /api/v1/screens/{id} */
int kw_screening_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                     struct kw_err *err);

/* GET /api/v1/screens/{id}/flags?after=&limit=: a page of flags by seq (pairs by p-value,
 * then clusters); status filters (NULL: any). */
int kw_screening_flags(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                       const char *status, int64_t after, int limit, json_t **out,
                       struct kw_err *err);

/* GET /api/v1/screen_flags/{id}: the flag with its evidence and decision. */
int kw_screening_flag_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                          json_t **out, struct kw_err *err);

/* POST /api/v1/screen_flags/{id}/decision: *out = the flag after it. */
int kw_screening_decide(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t id, const json_t *body,
                        json_t **out, struct kw_err *err);

/* GET /api/v1/screen_flags/{id}/dossier.pdf: the evidence dossier (Simplified Chinese),
 * rendered in a child process; appended to pdf. */
int kw_screening_dossier(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                         struct kw_buf *pdf, struct kw_err *err);

#endif
