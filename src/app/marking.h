/*
 * Subjective marking, first slice (SPEC GRD-1..3, AH 57; issue 10 item 4).
 *
 * Set-up. Agency staff set up a subject's marking with a witness present (GRD-3: every AH 57
 * operation with 2+ people): the scheme (max_points, optional per-question maxima), the
 * tolerance between two markers and the final-score rule ("mean"). Every candidate seated for
 * the subject in the published seating run gets one anonymous script — a random code from
 * libsodium, handed out in a random order — and the link script → registration goes to a
 * table of its own that nothing a marker asks for reads (AH 57(1): identities kept apart).
 *
 * Marking. A marker asks for the next script (POST …/marking/next) and sees its code, the
 * round and the scheme, never the candidate, never another marker's mark. Every script is
 * marked twice, by two different markers (rounds 1 and 2, double-blind). Two marks within the
 * tolerance: final = their mean. Otherwise a third marker (round 3): final = the mean of the
 * two closest of the three when they are within the tolerance (two pairs equally close: the
 * higher mean), else the chief marker (a marking_lead, round 4) gives the final mark. Means
 * are rounded to the hundredth, halves up. A marker marks a script at most once.
 *
 * Totals before unblinding (GRD-3, AH 57(4)). Closing records the checked total (the sum of
 * the finals and their count) and is refused while a script is unfinished (MARKING_OPEN);
 * confirming by another person — who states the total and count they checked — unblinds:
 * only then do the results name registrations.
 *
 * Quality (GRD-2, AH 57(3)): per-marker statistics for the marking lead — marks, mean,
 * standard deviation, and the mean difference from the other markers of the same scripts.
 * Seeded control scripts and lenient/strict flags are a follow-up.
 */
#ifndef KW_APP_MARKING_H
#define KW_APP_MARKING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

/* The final-score rule over a script's marks so far (hundredths, rounds 1.. in order, n 2 or
 * 3): 0 and *final when they settle it within tol; 1 when the script needs one more mark. */
int kw_marking_resolve(const int32_t *marks, size_t n, int32_t tol, int32_t *final);

/* POST /api/v1/exams/{id}/subjects/{code}/marking: *out = the marking (as kw_marking_get). */
int kw_marking_setup(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     const json_t *body, json_t **out, struct kw_err *err);

/* GET /api/v1/exams/{id}/subjects/{code}/marking: the set-up, its progress and totals. */
int kw_marking_get(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                   const char *subject, json_t **out, struct kw_err *err);

/* POST …/marking/next: *out = {script: the marker's script view, or null: nothing to mark}. */
int kw_marking_next(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const char *subject,
                    json_t **out, struct kw_err *err);

/* GET /api/v1/scripts/{code}: the script as its marker sees it (404 for anyone else). */
int kw_marking_script(struct kw_app *app, const struct kw_session_info *s, const char *code,
                      json_t **out, struct kw_err *err);

/* POST /api/v1/scripts/{code}/marks {points?, items?}: the marker's mark; *out = the script
 * view (the marker's own mark only: nothing says whether it agreed with another's). */
int kw_marking_mark(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, const char *code, const json_t *body,
                    json_t **out, struct kw_err *err);

/* POST …/marking/close: the checked total recorded (MARKING_OPEN while scripts are open). */
int kw_marking_close(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     json_t **out, struct kw_err *err);

/* POST …/marking/confirm {total, scripts}: another person checks the total; unblinds. */
int kw_marking_confirm(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, struct kw_err *err);

/* GET …/marking/results: after confirmation, {items: [{registration_id, ticket_no, script,
 * final, resolved}]} in registration order (MARKING_NOT_CONFIRMED before). */
int kw_marking_results(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                       const char *subject, json_t **out, struct kw_err *err);

/* GET …/marking/markers: per-marker statistics for the marking lead. */
int kw_marking_markers(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                       const char *subject, json_t **out, struct kw_err *err);

#endif
