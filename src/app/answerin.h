/*
 * Answer data in the shapes scanners and CBT systems hand over (SPEC GRD-4, GRD-5; issue 10
 * item 1): scanner layouts kept per exam, and the import of a fixed-width scanner file under
 * one of them, or of CBT responses (JSON Lines), through the one answer import of
 * app/scoring.h — converted first (core/answerfmt.h), every problem listed with the line of
 * the file as it came, nothing written on any.
 *
 * Layouts: POST /api/v1/exams/{id}/answer_layouts {name, layout} keeps a new version of the
 * named layout (never an edit; LAYOUT_INVALID when it cannot be used), GET lists the exam's,
 * each with its digest; both need score.answers.write, as the import does.
 */
#ifndef KW_APP_ANSWERIN_H
#define KW_APP_ANSWERIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

int kw_answer_layout_add(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const json_t *body,
                         json_t **out, struct kw_err *err);

int kw_answer_layouts(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      json_t **out, struct kw_err *err);

/*
 * The answer import in any of its shapes: format NULL or "csv" (data as the scoring module
 * reads it), "fixed" (layout = the id of one of the exam's layouts, as text), "cbt". The
 * converted file goes through kw_scoring_answers_import; *out is its answer with format,
 * layout {id, name, version, digest} and source_sha256 (the file as it came) added.
 * IMPORT_FORMAT for an unknown format, LAYOUT_REQUIRED / NOT_FOUND for the layout.
 */
int kw_answers_import_any(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, const char *witness,
                          const char *filename, const char *format, const char *layout,
                          const char *data, size_t n, json_t **out, struct kw_err *err);

/* The layout id of the exam's latest version of name (0 when none), for the CLI. */
int kw_answer_layout_find(struct kw_app *app, int64_t exam, const char *name, int64_t *id,
                          struct kw_err *err);

#endif
