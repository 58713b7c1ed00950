/*
 * A centre's readiness before it may open (SPEC VEN-6, VEN-4; AH 28; PQ 20(3)-(4); issue 9
 * item 6).
 *
 * The centres of an exam are those of its published seating run (exam_rooms). The "first day"
 * is the China date of the exam's first sitting (subjects.starts_at; the exam's exam_date when
 * no sitting has a time). A centre is ready when, as of the first day:
 *   - an agreement (centre_agreements kind "agreement") and a safety-responsibility letter
 *     (kind "safety_letter") are signed on or before the first day and valid then
 *     (valid_until empty or not before it);
 *   - its latest centre inspection (inspections without a room) made on or before the first
 *     day is "passed", or "corrected" with corrected_on on or before the first day;
 *   - every room the run uses is accepted: a room with inspections of its own is judged by
 *     its latest one (as above); a room without is covered by the centre inspection (an
 *     inspection of the centre walks its rooms — AH 28 "对考点、考场进行检查验收");
 *   - a centre using a CBT room (rooms.mode "cbt") has its latest sealed-environment check
 *     (an inspection of the centre or of one of its rooms with sealed_environment set)
 *     passed or corrected in time;
 *   - it is not blocked (VEN-4: a major incident without its rectification recorded).
 * What is missing is a list of reasons {code, rule, zh, en, rooms?}: codes agreement_missing,
 * agreement_late, agreement_expired, safety_letter_missing, safety_letter_late,
 * safety_letter_expired, inspection_missing, inspection_failed, inspection_not_corrected,
 * room_inspection_failed (rooms: [{room_id, code, state: failed | not_corrected}]),
 * sealed_check_missing, sealed_check_failed, blocked.
 *
 * Readiness is computed from the registers as they read now (no table of its own); check-in
 * (app/examday.h) asks kw_readiness_require for the room's centre and refuses 422
 * CENTRE_NOT_READY.
 */
#ifndef KW_APP_READINESS_H
#define KW_APP_READINESS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "store/store.h"
#include "util/err.h"

struct kw_readiness_query {
	int not_ready_only;    /* only the centres that are not ready */
	int64_t centre_id;     /* one centre (0: all) */
	const char *code;      /* centres whose code starts with this (NULL: all) */
	const char *reason;    /* only centres missing this reason code (NULL: all) */
	int64_t limit, cursor; /* a page: at most limit items from offset cursor */
};

/*
 * The readiness of every centre the exam uses that the caller's readiness.read reaches:
 * {exam_id, run_id, first_day, totals: {centres, ready, not_ready, reasons: {code: n}},
 * items: [{centre_id, code, name, cbt, rooms, ready, missing: [...]}], next_cursor}. totals
 * count the centres reached before the page and the filters not_ready_only/reason.
 */
int kw_readiness_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const struct kw_readiness_query *q, json_t **out, struct kw_err *err);

/*
 * Is centre ready for exam (used by its published seating run)? 0 when it is; otherwise 422
 * CENTRE_NOT_READY (rule VEN-6, or VEN-4 when blocking is all that is missing) with details
 * {centre, centre_name, first_day, missing: [...]}. On c (no authorisation: the caller checked).
 */
int kw_readiness_require(struct kw_memo *memo, struct kw_conn *c, int64_t exam, int64_t centre,
                         struct kw_err *err);

#endif
