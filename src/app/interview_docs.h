/*
 * The interview day's printed documents (SPEC INT-1, INT-2, INT-3, INT-4, SEC-1; issue 12
 * item 7; docs/interviews.md): the data gathered here, under the same rules as the interview
 * reads of app/interview.c, and drawn by render/interview_docs.c in a forked child.
 *
 * All three need interview.manage at the exam's unit (an exam out of reach, or an unknown
 * panel or day, is NOT_FOUND). The score sheets and the summary name the panel's examiners:
 * before the panel's starts_at they are refused for everyone (403 INTERVIEW_EXAMINERS_SECRET,
 * SEC-1), and each one printed is audited as a read of the examiner list
 * (interview.examiners.read, through kw_interview_panel_get). Candidates appear by order
 * number only (INT-3); the summary gives an order number's ticket once the chief has signed
 * it (the result is announced then, AH 65(4)). The room a panel drew, confidential (INT-2),
 * is shown to these interview.manage holders only.
 */
#ifndef KW_APP_INTERVIEW_DOCS_H
#define KW_APP_INTERVIEW_DOCS_H

#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "util/buf.h"

/* GET …/interview_panels/{id}/score_sheets.pdf: one sheet per examiner (code order), their
 * own scores per order number and dimension, totals, corrections. 409
 * INTERVIEW_NOT_SCHEDULED when the panel has no day (no dimensions yet). */
int kw_interview_score_sheets(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t panel, struct kw_buf *pdf,
                              struct kw_err *err);

/* GET …/interview_panels/{id}/summary.pdf: per order number every examiner's total (shown only
 * once all have entered, INT-4), under the trimmed method the dropped highest and lowest (the
 * first of equals in examiner-code order, as GET …/orders/{no}/scores marks them), the panel
 * score as the scorer's sign-off stored it, the sign-offs with the member of each duty and the
 * server's time (China time), and the ticket after the chief's. 409 INTERVIEW_NOT_SCHEDULED. */
int kw_interview_summary(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t panel, struct kw_buf *pdf,
                         struct kw_err *err);

/* GET …/interview_days/{id}/room_plan.pdf[?waiting_rooms=A,B]: the day's rooms with the
 * panel each drew (after the room draw), the waiting rooms named in the query (comma- or
 * 、-separated, at most 20 of at most 40 bytes; 400 VALIDATION_FAILED otherwise; none: blank
 * lines to fill in), and a seating diagram per room (AH 60-61). */
int kw_interview_room_plan(struct kw_app *app, const struct kw_session_info *s, int64_t day,
                           const char *waiting_rooms, struct kw_buf *pdf, struct kw_err *err);

#endif
