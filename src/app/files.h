/*
 * Candidates' uploads: the photo (REG-4) and proof materials (REG-2), checked by content
 * (core/upload.c) before anything is written, stored once per content (file_blobs) with an
 * audited row per upload (files), and checked against their audited SHA-256 on every read.
 *
 * The photo: JPEG or PNG, re-encoded; a new upload replaces the current one until a
 * registration of the candidate is approved — the reviewer approved that face, and it goes on
 * the admission ticket — after which PHOTO_LOCKED (409).
 * Proof materials: PDF, JPEG or PNG (images re-encoded), on a registration by the proof route
 * while it awaits review or was rejected, at most KW_PROOFS_MAX per registration, each with a
 * label saying what it proves.
 */
#ifndef KW_APP_FILES_H
#define KW_APP_FILES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

#define KW_PROOFS_MAX 10

/* A file's bytes as read back: data malloc'd, media_type and sha256 filled. */
struct kw_file {
	unsigned char *data;
	size_t len;
	char media_type[32];
	char sha256[65];
	char name[64]; /* a download name: "proof-12.pdf" */
};
void kw_file_release(struct kw_file *f);
/* Reads the stored bytes of sha into f (whose media_type the caller has set: its extension
 * pdf, png or jpg) and names it "<prefix>-<id>.<ext>". */
int kw_file_fill(struct kw_conn *c, const char *sha, const char *prefix, int64_t id,
                 struct kw_file *f, struct kw_err *err);

/*
 * Sets the candidate's photo from an upload of declared media_type (image/jpeg or
 * image/png; UNSUPPORTED_MEDIA_TYPE otherwise). Refusals: FILE_TOO_LARGE (413,
 * details.max_bytes), FILE_TYPE_MISMATCH (the content is not the declared type), and one code
 * per problem of core/upload.c (FILE_NOT_IMAGE, FILE_TRUNCATED, FILE_CORRUPT,
 * IMAGE_COLOR_SPACE, IMAGE_TOO_SMALL, IMAGE_TOO_MANY_PIXELS, IMAGE_ASPECT), each with
 * details.problem and the limits; PHOTO_LOCKED (409). *out: the photo's description.
 */
int kw_files_put_photo(struct kw_app *app, const struct kw_actor *actor, int64_t candidate,
                       const char *media_type, const void *data, size_t n, json_t **out,
                       struct kw_err *err);

/* A check run first inside a write's transaction (its refusal writes nothing). */
typedef int (*kw_files_guard_fn)(struct kw_conn *c, const void *arg, struct kw_err *err);

/*
 * The same upload (the same checks, re-encoding, PHOTO_LOCKED and storage) by staff member
 * staff on the candidate's behalf (REG-1: entered at the desk for exam exam; app/deskphoto.h):
 * the row's uploaded_by is staff, the audit record's detail names the candidate, the staff
 * member and the exam. staff 0: the candidate's own upload. guard (may be NULL) runs with
 * guard_arg inside the transaction before anything is written.
 */
int kw_files_put_photo_by(struct kw_app *app, const struct kw_actor *actor, int64_t candidate,
                          int64_t staff, int64_t exam, kw_files_guard_fn guard,
                          const void *guard_arg, const char *media_type, const void *data, size_t n,
                          json_t **out, struct kw_err *err);

/* The candidate's current photo: {id, media_type, size, width, height, sha256, created_at},
 * or JSON null when there is none. */
int kw_files_photo_info(struct kw_conn *c, int64_t candidate, json_t **out, struct kw_err *err);

/* The current photo's bytes: of the candidate (s a candidate), or of registration reg's
 * candidate for staff who may read it (kw_reg_reach). NOT_FOUND when there is none. */
int kw_files_photo(struct kw_app *app, const struct kw_session_info *s, int64_t reg,
                   struct kw_file *out, struct kw_err *err);

/*
 * Adds a proof file to registration reg of the candidate s (label: 1..60 characters, what it
 * proves). PROOF_NOT_OPEN (409) unless the registration is by the proof route and submitted
 * or rejected; PROOF_LIMIT (422) past KW_PROOFS_MAX; the content refusals of the photo, PDF
 * ones too (FILE_NOT_PDF, PDF_ENCRYPTED, PDF_ACTIVE_CONTENT).
 */
int kw_files_add_proof(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t reg, const char *media_type,
                       const char *label, const void *data, size_t n, json_t **out,
                       struct kw_err *err);

/* The proof files of reg, for its candidate or its reviewers: {"items": [...]}. */
int kw_files_proofs(struct kw_app *app, const struct kw_session_info *s, int64_t reg, json_t **out,
                    struct kw_err *err);

/* One proof file's bytes. */
int kw_files_proof(struct kw_app *app, const struct kw_session_info *s, int64_t reg, int64_t id,
                   struct kw_file *out, struct kw_err *err);

/*
 * A file for a ticket correction (TKT-3) of registration reg, of candidate cand, uploaded by
 * staff (0: by the candidate): the new photo (photo 1: checked and re-encoded like the
 * photo) or a proof (PDF, JPEG or PNG); at most KW_CORRECTION_FILES_MAX per registration
 * (CORRECTION_FILE_LIMIT). The caller checked that a correction may be asked
 * (app/corrections.h). *out: the file's description.
 */
#define KW_CORRECTION_FILES_MAX 20
int kw_files_add_correction(struct kw_app *app, const struct kw_actor *actor, int64_t cand,
                            int64_t reg, int64_t staff, int photo, const char *media_type,
                            const char *label, const void *data, size_t n, json_t **out,
                            struct kw_err *err);

/* The bytes of file id of registration reg with this purpose (the caller checked reach). */
int kw_files_of_registration(struct kw_conn *c, int64_t reg, int64_t id, const char *purpose,
                             struct kw_file *out, struct kw_err *err);

/* The bytes of file id of candidate cand with this purpose (the caller checked reach). */
int kw_files_of_candidate(struct kw_conn *c, int64_t cand, int64_t id, const char *purpose,
                          struct kw_file *out, struct kw_err *err);

/* The synthetic photo pool stored for bulk imports: file_blobs rows for every photo of
 * core/synth.c's pool, inserted once (kept when already there). sha256[k] receives photo k's
 * digest. Runs inside tx. */
/*
 * Checks an uploaded document as proofs are checked (PDF, JPEG or PNG; images re-encoded to
 * JPEG), for other services' files (a case's evidence). out: what to store — data and len
 * (in the caller's bytes or in buf, which the caller frees), media_type, sha256.
 */
struct kw_checked_file {
	const void *data;
	size_t len;
	const char *media_type;
	char sha256[65];
	unsigned char *buf;
};
int kw_files_check_document(const char *media_type, const void *data, size_t n,
                            struct kw_checked_file *out, struct kw_err *err);

/* The bytes of a content, stored once (file_blobs, keyed by their SHA-256 sha). */
int kw_files_blob_put(struct kw_conn *c, const char *sha, const void *data, size_t n,
                      const char *now, struct kw_err *err);
/* The bytes stored under sha, checked against it (500 FILE_INTEGRITY when they differ or
 * are gone); *data the caller frees. */
int kw_files_blob_get(struct kw_conn *c, const char *sha, char **data, size_t *n,
                      struct kw_err *err);

int kw_files_seed_pool(struct kw_tx *tx, char sha256[][65], int64_t sizes[], struct kw_err *err);

#endif
