/*
 * The pictures and the workbook of an item analysis (issue 10 item 6; app/analysis.h):
 * histograms of score distributions as SVG or PNG (cairo, text by pango in the zh-cn
 * faces), and the XLSX report (libxlsxwriter). Both take the analysis as JSON, the same
 * document the API serves, so what is drawn is what the page shows.
 */
#ifndef KW_RENDER_ANALYSIS_H
#define KW_RENDER_ANALYSIS_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/*
 * doc = {title, x_label, y_label, panels: [{title, distribution}]}, a distribution as the
 * analysis has it ({n, mean, sd, bins: [{from, to, count}], …}). One panel is drawn
 * 800 × 404 px, several in a grid of up to three columns of 400 × 280 px; a 56 px heading
 * above: so the picture is 800 × 460 px for one panel and min(n, 3) · 400 by
 * 56 + ⌈n / 3⌉ · 280 px for n ≥ 2. png: 1 PNG, 0 SVG (its width and height in px). Appends
 * to out. Loads pango and fontconfig: call it in a child (render/isolate.h) from a server.
 */
int kw_render_histogram(const json_t *doc, int png, struct kw_buf *out, struct kw_err *err);

/* The size kw_render_histogram gives n panels, in px. */
void kw_render_histogram_size(size_t n, int *w, int *h);

/*
 * The report of an analysis document (GET /api/v1/score_runs/{id}/analysis) as a workbook:
 * sheets Summary, Items, Options, Distributions (the subject, each area, each centre) and
 * Histogram bins; headers in English when en, else Simplified Chinese. Items carry the key
 * and options their "correct" mark only when the document has them (key_included).
 * *out (caller frees), *n its length.
 */
int kw_render_analysis_xlsx(const json_t *doc, int en, char **out, size_t *n, struct kw_err *err);

#endif
