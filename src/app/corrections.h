/*
 * Corrections of an admission ticket's content (SPEC TKT-3, AH 19). Having received the
 * ticket, the candidate — or their unit, through the agency's counter — finds the
 * registration data on it wrong and applies before the exam with proof; the exam-area agency
 * (the unit of the registration's exam area) investigates and decides, the applicant sees
 * the decision, and a refusal carries its reasons. What may be corrected is what the ticket
 * prints of the candidate: the name, the identity number (sex and birth date follow from a
 * document that carries them) and the photo. Never the seat: only the rule places
 * candidates (SEAT-1; a seat moves only by a seat change).
 *
 * An approval writes the corrected values to the candidate's record (the photo becomes the
 * current photo), revokes the valid ticket so that the next one prints the corrected record,
 * and, for a new identity number in a civil-service exam, opens a ban verification when the
 * integrity archive holds a ban in term for it (REG-5). Whoever entered a request does not
 * decide it (INF-4). Every step is audited.
 */
#ifndef KW_APP_CORRECTIONS_H
#define KW_APP_CORRECTIONS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/files.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

/*
 * A file for a correction of registration reg: kind "proof" (PDF, JPEG, PNG) or "photo"
 * (the new photo, checked like the photo). Only while a correction may be asked
 * (CORRECTION_NO_TICKET, CORRECTION_TOO_LATE). *out: the file's description.
 */
int kw_correction_file_add(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t reg, const char *kind,
                           const char *media_type, const char *label, const void *data, size_t n,
                           json_t **out, struct kw_err *err);

/*
 * Asks for a correction: body {changes: {name?, id_number?, photo_file?}, statement,
 * proof_files: [file ids], applicant?: "candidate" | "unit", applicant_unit?}. A candidate
 * applies for themselves; staff enter the application of the candidate or of their unit
 * (applicant_unit: the unit's name). Refusals: VALIDATION_FAILED (details.fields),
 * CORRECTION_NO_TICKET (no published seat), CORRECTION_TOO_LATE (the exam has begun),
 * CORRECTION_PENDING (one request at a time), CORRECTION_ID_TAKEN.
 */
int kw_correction_request(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t reg, const json_t *body,
                          json_t **out, struct kw_err *err);

/* The corrections of a registration, newest first: {"items": [...]}. */
int kw_corrections_of_registration(struct kw_app *app, const struct kw_session_info *s, int64_t reg,
                                   json_t **out, struct kw_err *err);

/* The corrections of an exam in the areas s reaches (status NULL: all): {"items": [...]}. */
int kw_corrections_of_exam(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                           const char *status, json_t **out, struct kw_err *err);

/* One correction. */
int kw_correction_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                      struct kw_err *err);

/* The bytes of one of a correction's files (its proofs or its new photo). */
int kw_correction_file(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                       int64_t file, struct kw_file *out, struct kw_err *err);

/*
 * Decides a pending correction: approve (body {reason?}) or refuse (body {reason}, required:
 * AH 19). Refusals: SELF_APPROVAL (the person who entered it), APPROVAL_DECIDED,
 * CORRECTION_TOO_LATE (approval after the exam), CORRECTION_ID_TAKEN.
 */
int kw_correction_decide(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, int approve,
                         const json_t *body, json_t **out, struct kw_err *err);

#endif
