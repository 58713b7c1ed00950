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
 * Control scripts (样卷): the lead seeds scripts with an agreed expert mark (at set-up or
 * later); each marker gets each of them once, as a script of its own handed out in the normal
 * stream (about one in control_every while one waits; when nothing else is left, at once) —
 * same code format, same view, the round a real script would show: a marker cannot tell it
 * apart. Marks on control
 * scripts count in no result (no identity, never final, outside the totals); their deviation
 * from the expert mark is tracked. Flags (kw_marking_quality): too lenient / too strict
 * against the other markers or against the expert marks, drift between a marker's first and
 * last marks. The lead suspends a marker (AH 56/59: markers replaced): no more scripts for
 * them, the ones they held unmarked released; audited, and lifted the same way.
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

/* The quality parameters: a mean difference beyond threshold (hundredths) over at least min
 * scripts flags a marker; drift compares the first and the last window deviations. */
struct kw_marking_quality {
	int64_t threshold, min, window;
};

enum {
	KW_MQ_LENIENT_PEERS = 1,   /* mean difference from the other markers > threshold */
	KW_MQ_STRICT_PEERS = 2,    /* < -threshold */
	KW_MQ_LENIENT_CONTROL = 4, /* mean difference from the expert marks > threshold */
	KW_MQ_STRICT_CONTROL = 8,  /* < -threshold */
	KW_MQ_DRIFT = 16,          /* |last window mean − first window mean| > threshold */
};

struct kw_marker_quality {
	double peer_mean, control_mean; /* hundredths; 0 when there is none */
	double drift;                   /* hundredths, when has_drift */
	int has_drift;                  /* 2 × window deviations or more */
	unsigned flags;                 /* KW_MQ_* */
};

/*
 * One marker's flags (GRD-2, AH 57(3)) from their deviations in hundredths: peer[i] = a mark
 * minus the mean of the other markers' marks of the same script (rounds 1-3), ctl[i] = a mark
 * of a control script minus its expert mark, seq = all of them in the order marked (for
 * drift: the mean of the last q->window minus the mean of the first, when seq holds twice
 * that many or more).
 */
void kw_marking_quality(const double *peer, size_t npeer, const double *ctl, size_t nctl,
                        const double *seq, size_t nseq, const struct kw_marking_quality *q,
                        struct kw_marker_quality *out);

/* POST /api/v1/exams/{id}/subjects/{code}/marking: *out = the marking (as kw_marking_get). */
int kw_marking_setup(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     const json_t *body, json_t **out, struct kw_err *err);

/* GET /api/v1/exams/{id}/subjects/{code}/marking: the set-up, its progress and totals. */
int kw_marking_get(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                   const char *subject, json_t **out, struct kw_err *err);

/* POST …/marking/next: *out = {script: the marker's script view, or null: nothing to mark}.
 * arbitration: only a script waiting for the chief marker (round 4). MARKING_SUSPENDED for a
 * suspended marker. */
int kw_marking_next(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const char *subject,
                    int arbitration, json_t **out, struct kw_err *err);

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

/* GET …/marking/markers: per-marker statistics, control deviations and flags for the
 * marking lead, suspended markers included. */
int kw_marking_markers(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                       const char *subject, json_t **out, struct kw_err *err);

/* GET /api/v1/markings: the markings the caller may mark, lead or set up, with what they may
 * do in each ({items: [{exam_id, exam_code, exam_name, subject, subject_name, status, can,
 * suspended, my_marks}]}). */
int kw_marking_list(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                    struct kw_err *err);

/* POST …/marking/controls {points, items?, label?}: a control script seeded (the lead). */
int kw_marking_control_add(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t exam, const char *subject,
                           const json_t *body, json_t **out, struct kw_err *err);

/* GET …/marking/controls: the control scripts, their expert marks and how markers did. */
int kw_marking_controls(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const char *subject, json_t **out, struct kw_err *err);

/* POST …/marking/suspensions {marker, reason}: the marker suspended (their held scripts
 * released); DELETE …/marking/suspensions/{username}: lifted. *out = kw_marking_markers. */
int kw_marking_suspend(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, struct kw_err *err);
int kw_marking_reinstate(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const char *subject,
                         const char *username, json_t **out, struct kw_err *err);

#endif
