/*
 * Score review (成绩复核; SPEC GRD-9, PQ 37, INF-4; issue 10 item 8).
 *
 * A candidate asks for one subject of the publication in force to be re-checked — only a
 * scored or zero subject; within 30 days of publication (request_by: the CST day of
 * publication plus 30, moved to the next working day on the holiday calendar where it covers
 * the year; REVIEW_WINDOW_CLOSED after it). The provincial agency accepts it or refuses it
 * with a reason, and forwards every accepted request to the national centre (due within 40
 * days of publication: forward_by; a late forward is recorded as late, never dropped). The
 * marking unit re-checks the total and its entry only and records the outcome — due within 15
 * days of the forward (return_by) —: unchanged, or corrected with the re-checked score, its
 * cause and reason (an item found unmarked on the way is reported as an anomaly). A
 * correction waits for a second person (INF-4: an approval of kind score_review.correct,
 * decided by someone with approval.decide and score.review.handle at the exam's unit);
 * approved, it is final: the publication in force is patched at once and every later
 * publication carries it. The province then answers the applicant (a portal message). The
 * applicant sees the request's state and the outcome, never the script, key or video.
 *
 * status: requested → accepted | refused; accepted → forwarded; forwarded → rechecked
 * (unchanged) | correction_pending → corrected (approved; rejected: back to forwarded);
 * rechecked | corrected → answered. A step out of order: REVIEW_STATE.
 */
#ifndef KW_APP_REVIEW_H
#define KW_APP_REVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/approvals.h"
#include "app/identity.h"
#include "app/writer.h"

/* POST /api/v1/exams/{id}/score_reviews {subject, reason?} by the candidate. */
int kw_review_request(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err);

/* GET /api/v1/exams/{id}/score_reviews: staff see the exam's (?status=), a candidate theirs. */
int kw_review_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                   const char *status, json_t **out, struct kw_err *err);

/* GET /api/v1/score_reviews/{id} */
int kw_review_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                  struct kw_err *err);

/* POST /api/v1/score_reviews/{id}/{accept|refuse|answer}: body {reason} for refuse, {note?}
 * for answer. */
int kw_review_step(struct kw_app *app, const struct kw_actor *actor,
                   const struct kw_session_info *s, int64_t id, const char *step,
                   const json_t *body, json_t **out, struct kw_err *err);

/* POST /api/v1/exams/{id}/score_reviews/forward: every accepted request of the exam;
 * *out = {forwarded, late, forward_by}. */
int kw_review_forward(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, json_t **out,
                      struct kw_err *err);

/* POST /api/v1/score_reviews/{id}/result {outcome: unchanged | corrected, score (corrected),
 * cause, reason, anomaly?}: a correction answers with its approval_id (pending). */
int kw_review_result(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                     struct kw_err *err);

/* The approvals module's hook for kind score_review.correct. */
extern const struct kw_approval_kind kw_review_approval;

#endif
