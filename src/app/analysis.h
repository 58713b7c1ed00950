/*
 * Item analysis and score pictures of a score run (issue 10 item 6; core/itemstats.h): for
 * the run's subject, every sheet the run scored (status "scored": absent, zeroed and
 * cancelled candidates are left out) read again from the answer database with the keys the
 * run used, in master item order whatever the paper form:
 *   - per master item: difficulty, discrimination (corrected point-biserial), the choice
 *     rate and point-biserial of every option, of blanks, multiple marks and unreadable
 *     marks, and flags (difficulty below 0.2 or above 0.9, discrimination below 0.2);
 *   - reliability: Cronbach's alpha, KR-20 when no item gives partial credit, the SEM;
 *   - the distribution of the totals (mean, sd, extremes, quantiles, histogram bins) for
 *     the subject and for each exam area and centre of the exam's published seating run.
 * Each sheet's recomputed total is compared with the run's raw score — its objective part
 * when the run also took a marking's subjective marks (objective_only: the distributions
 * are then of the objective part) — (totals_differ counts the lines that disagree: 0 unless
 * the run's data was altered), and the answer database's digest with the run's
 * (answers_current: sheets imported after the run are not in it). A run without keys (a
 * subject marked only by hand) has nothing to analyse: ANALYSIS_NO_KEYS.
 *
 * Who: score.read at the exam's organising unit (out of reach reads as absent). The key —
 * which option is correct — is in the output only when asked for (key = 1) and only for
 * score.key.read after the exam's last subject ends (SEC-2: FORBIDDEN, KEY_SEALED), that
 * read audited as score.key.read; without it options are labelled by letter only.
 */
#ifndef KW_APP_ANALYSIS_H
#define KW_APP_ANALYSIS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

/* The flags' thresholds (the expert page and the report use the same). */
#define KW_ANALYSIS_HARD     0.2 /* difficulty below: hard */
#define KW_ANALYSIS_EASY     0.9 /* difficulty above: easy */
#define KW_ANALYSIS_LOW_DISC 0.2 /* discrimination below: weak */
#define KW_ANALYSIS_BINS     20  /* about this many histogram bins */
#define KW_ANALYSIS_PANELS   48  /* at most this many histograms in one picture */

/* GET /api/v1/score_runs/{id}/analysis[?key=1]: *out = the analysis (docs/api.md). */
int kw_analysis_get(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t run, int with_key, json_t **out,
                    struct kw_err *err);

/*
 * GET /api/v1/score_runs/{id}/histogram.svg|.png: the histogram of the subject's totals;
 * by "area" or "centre" one per exam area or centre (small multiples, at most
 * KW_ANALYSIS_PANELS: else ANALYSIS_TOO_MANY_GROUPS), or with area / centre > 0 that group's
 * alone (NOT_FOUND when the run has no sheet there). png: 1 for PNG, 0 for SVG; lang the
 * labels' language (KW_LANG_ZH or KW_LANG_EN). *out (caller frees) and *n the bytes.
 */
int kw_analysis_histogram(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                          const char *by, int64_t area, int64_t centre, int png, const char *lang,
                          char **out, size_t *n, struct kw_err *err);

/*
 * GET /api/v1/score_runs/{id}/report.xlsx[?key=1]: the workbook — summary, items, options,
 * distributions per subject / area / centre, histogram bins — in lang; with_key as for
 * kw_analysis_get (and audited the same way).
 */
int kw_analysis_xlsx(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t run, int with_key, const char *lang,
                     char **out, size_t *n, struct kw_err *err);

#endif
