/*
 * Duty rosters and duty logs around each sitting (SPEC DAY-1; AH 45-46; PQ 27; issue 9 item 4,
 * the duty part).
 *
 * A shift: an exam, a unit — a centre the exam's published seating run uses (centre_id; its
 * unit is the centre's) or an agency (unit_id, no centre) —, a post (chief_examiner,
 * deputy_chief_examiner, duty_officer, custodian, security, medical, system_admin, logistics,
 * other), a named person (a staff record), a duty phone and from/to. Rostering needs
 * duty.roster reaching the unit and the staff record's unit (else 404); the person must be an
 * active staff record that passed training (ORG-4: kinds.c "qualified"), else 422
 * DUTY_NOT_QUALIFIED (details.reason "untrained" or "inactive").
 *
 * The duty window of a day at a centre runs from duty_hours_before (rule parameter, 2) before
 * the start of the first sitting held there that day (China date) to duty_hours_after (2)
 * after the end of the last one; an agency's windows are those of every sitting of the exam.
 * The roster shows, per centre and day, the parts of the window no shift covers (gaps).
 *
 * The duty log: entries {centre_id | unit_id, occurred_at? (now), kind: event | call | action
 * | handover | note, content, action_taken?, caller?}; append-only and audited. Refused in
 * this order: 400 VALIDATION_FAILED (occurred_at in the future: problem "future"); 404 when
 * duty.log does not reach the unit or the centre is not the exam's; 422 DUTY_OUTSIDE_WINDOW
 * (details.windows) when the moment is outside every duty window of the unit; 403
 * DUTY_NOT_ON_SHIFT when no shift of the caller's staff record (staff.user_id) at that unit
 * covers the moment.
 */
#ifndef KW_APP_DUTY_H
#define KW_APP_DUTY_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "util/err.h"

/* A shift (201: the shift). */
int kw_duty_shift_add(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err);

struct kw_duty_query {
	int64_t centre_id;     /* one centre (0: all) */
	int gaps_only;         /* only centres with a gap */
	int64_t limit, cursor; /* a page of centres (by code): at most limit from offset cursor */
};

/*
 * The roster of the centres (and agencies) duty.read reaches: {exam_id, hours_before,
 * hours_after, totals: {centres, with_gaps}, items: [{centre_id, code, name, windows: [{day,
 * from, to, covered, gaps: [{from, to}]}], shifts: [...]}], unit_shifts: [agency shifts],
 * next_cursor}.
 */
int kw_duty_roster(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                   const struct kw_duty_query *q, json_t **out, struct kw_err *err);

/* A log entry (201: the entry). */
int kw_duty_log_add(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const json_t *body, json_t **out,
                    struct kw_err *err);

/* A unit's log (centre or unit, one of them), on day (YYYY-MM-DD, China date; NULL: every
 * day): {items: [...], next_cursor}. */
int kw_duty_log_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                     int64_t centre, int64_t unit, const char *day, int64_t limit, int64_t cursor,
                     json_t **out, struct kw_err *err);

#endif
