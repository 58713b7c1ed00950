/*
 * The proctor lottery with recusal (SPEC SEAT-2, SEAT-3, SEC-3): see proctors.c. A draw is
 * per sitting where the rule set draws before each sitting (AH 48: proctor_draw =
 * before_each_sitting, body {"sitting": n}) and once for the exam day otherwise (PQ 19).
 */
#ifndef KW_APP_PROCTORS_H
#define KW_APP_PROCTORS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

/* Commits a draw: 201 with the commitment and inputs digest (the inputs file stored for the
 * public page); 422 PROCTORS_SHORT (details: shortfalls per centre and duty, excluded) when
 * it cannot be filled; 409 SEATING_NOT_PUBLISHED, PROCTOR_DRAW_EXISTS; 422
 * PROCTOR_SITTING_REQUIRED, PROCTOR_DRAW_ON_EXAM_DAY. */
int kw_proctors_commit(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const json_t *body,
                       json_t **out, struct kw_err *err);
/* Draws: the inputs must be the committed ones (409 PROCTOR_INPUTS_CHANGED); the seed is
 * revealed and the assignments written. */
int kw_proctors_draw(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, json_t **out, struct kw_err *err);
/* A draw with its exclusions (each with its reason) and assignments (each with the staff
 * member's number in the inputs file), and whether the stored assignments give the published
 * result digest (verified). */
int kw_proctors_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                    struct kw_err *err);
/* The draws of an exam, oldest first (proctor.read): {items: [...]}. */
int kw_proctors_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                     json_t **out, struct kw_err *err);
/* What a draw of the sitting (< 0: the exam day, or under a rule set that draws before each
 * sitting its first) would take, nothing drawn (proctor.read): the rule, the sittings, per
 * area the places to fill and the eligible staff, every exclusion with its reason, and the
 * shortfalls per centre when it cannot be filled (feasible false). */
int kw_proctors_pool(struct kw_app *app, const struct kw_session_info *s, int64_t exam, int sitting,
                     json_t **out, struct kw_err *err);

/* Public: an exam's draws (by exam code or id) with their commitments, inputs digests,
 * revealed seeds and result digests, the pool's size and the exclusions counted by reason —
 * no name, code or document number of anyone. */
int kw_proctors_public(struct kw_app *app, const char *exam, json_t **out, struct kw_err *err);
/* Public: a draw's inputs file (*data the caller frees). */
int kw_proctors_inputs(struct kw_app *app, int64_t id, char **data, size_t *n, struct kw_err *err);

#endif
