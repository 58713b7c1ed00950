/*
 * The printed documents of an interview day (SPEC INT-1, INT-2, INT-4; app/interview_docs.c
 * gathers them): the examiners' score sheets (评分表), a panel's signed summary (成绩汇总表)
 * and the room plan (考场布置图). Simplified Chinese, A4; every string is printed as given
 * (the caller formats scores and China times), a missing string prints blank. Candidates
 * appear by order number only, the ticket number on the summary only where the caller gives
 * it (after the chief's sign-off): nothing here looks anything up.
 *
 * Score sheets, A4 portrait, one sheet (one or more pages) per examiner:
 *   {"exam", "positions", "panel", "room" (null: not drawn yet), "day", "printed_at",
 *    "dimensions": [{"name", "max" ("40"), "weight" (per cent)}],
 *    "sheets": [{"code", "name", "seat" ("主考官" | "副主考官" | "考官"),
 *                "rows": [{"order_no", "scores": ["30.5", …] | null (not entered),
 *                          "total": "70.00" | null, "corrections": 0}]}]}
 * the exam, positions, panel, room, day, seat and examiner at the head; a table of order
 * numbers × dimensions (name, range, weight when not 100 %) with the examiner's scores, total
 * and corrections (更正), 20 rows a page; the examiner's signature line on the last page.
 *
 * Summary, A4 landscape:
 *   {"exam", "positions", "panel", "room", "day", "printed_at", "method" (a sentence),
 *    "examiners": [{"code", "name", "seat"}],
 *    "signers": {"scorer", "supervisor", "chief"} (names),
 *    "rows": [{"order_no", "totals": ["70.00" | null, …] (per examiner, null: not entered),
 *              "hidden": true when not every examiner has entered (totals not shown),
 *              "high", "low" (index of the dropped highest / lowest, -1: none),
 *              "score": "71.40" | null, "scorer", "supervisor", "chief": China time | null,
 *              "ticket_no": string | null}]}
 * a row per order number with each examiner's total (the dropped ones struck through and
 * labelled), the panel score, the three sign-offs with the signer and the time (未签 when
 * not yet), the ticket number once given; the method, and the wet-signature lines.
 *
 * Room plan, A4 portrait:
 *   {"exam", "day", "printed_at", "drawn": bool (the room draw is done),
 *    "rooms": [{"name", "panel" | null, "positions" | null, "examiners": n, "spare": bool}],
 *    "waiting_rooms": ["…"]}
 * the list of rooms (with their panels once drawn), the waiting rooms (blank lines to fill
 * when none are given) and the rules on keeping candidates apart; then a seating diagram per
 * room that is not spare, two a page: the examiners' table (the chief in the middle, the
 * deputy beside, the other examiners out to both sides) facing the candidate's seat, the
 * supervisor's seat on one side, the timer's and scorer's on the other, the door (AH 61).
 *
 * Each function appends one PDF to out (an initialised kw_buf; its cap applies), or leaves
 * out as it was: KW_EINVAL (DOCUMENT_INVALID) for a document without its arrays, KW_ETOOBIG
 * past out's cap. The _isolated forms render in a forked child (render/isolate.h): for the
 * server.
 */
#ifndef KW_RENDER_INTERVIEW_DOCS_H
#define KW_RENDER_INTERVIEW_DOCS_H

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

int kw_iv_score_sheets_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err);
int kw_iv_summary_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err);
int kw_iv_room_plan_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err);

int kw_iv_score_sheets_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err);
int kw_iv_summary_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err);
int kw_iv_room_plan_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err);

#endif
