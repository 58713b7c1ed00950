/*
 * The photo of a candidate entered at the desk (REG-1, REG-4): staff who enter registrations
 * on site upload the photo they take of the candidate, so that an exam requiring a photo
 * (photo_required) takes the registration. The upload is the candidate's own one
 * (app/files.h: the same content checks, re-encoding, PHOTO_LOCKED and storage), done on
 * the candidate's behalf and audited with who uploaded it, for whom and for which exam.
 */
#ifndef KW_APP_DESKPHOTO_H
#define KW_APP_DESKPHOTO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

/*
 * Sets candidate's photo for staff member s entering registrations on site for exam:
 * the exam published (else NOT_FOUND), taking on-site registrations (else 422
 * REG_ONSITE_NOT_PROVIDED), s holding registration.enter at the exam's unit (else 403
 * FORBIDDEN) — as the on-site entry itself checks (app/reg.h). The candidate must be within
 * s's reach: every registration of theirs not cancelled or void is of an exam whose unit s
 * may enter registrations at, so that nobody replaces the face another unit's reviewers are
 * looking at (else NOT_FOUND, as for no such candidate; checked again inside the write).
 * Then the photo upload's refusals (kw_files_put_photo). *out: the photo's description with
 * candidate_id and uploaded_by.
 */
int kw_deskphoto_put(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, int64_t candidate,
                     const char *media_type, const void *data, size_t n, json_t **out,
                     struct kw_err *err);

#endif
