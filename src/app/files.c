/* Candidates' uploads: the photo and proof materials (REG-4, REG-2); see files.h. */
#include "app/files.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/reg.h"
#include "core/synth.h"
#include "core/upload.h"
#include "util/buf.h"
#include "util/clock.h"

void kw_file_release(struct kw_file *f)
{
	free(f->data);
	memset(f, 0, sizeof *f);
}

static void sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A refusal for what core/upload.c found, with the limits that apply. */
static int refuse(const char *problem, size_t max_bytes, const struct kw_image_limits *lim,
                  struct kw_err *err)
{
	static const struct {
		const char *problem;
		int code;
		const char *name;
		const char *msg;
	} map[] = {
	        {"too_large", KW_ETOOBIG, "FILE_TOO_LARGE", "the file is over the size limit"},
	        {"not_image", KW_EINVAL, "FILE_NOT_IMAGE", "the file is not a JPEG or PNG image"},
	        {"not_pdf", KW_EINVAL, "FILE_NOT_PDF", "the file is not a PDF document"},
	        {"truncated", KW_EINVAL, "FILE_TRUNCATED", "the file ends early (cut short)"},
	        {"corrupt", KW_EINVAL, "FILE_CORRUPT", "the file is damaged and cannot be read"},
	        {"color_space", KW_EINVAL, "IMAGE_COLOR_SPACE", "CMYK images are not accepted"},
	        {"too_small", KW_EINVAL, "IMAGE_TOO_SMALL", "the image has too few pixels"},
	        {"too_many_pixels", KW_EINVAL, "IMAGE_TOO_MANY_PIXELS",
	         "the image has too many pixels"},
	        {"aspect", KW_EINVAL, "IMAGE_ASPECT", "the photo is not an upright portrait"},
	        {"encrypted", KW_EINVAL, "PDF_ENCRYPTED", "the PDF is encrypted"},
	        {"active_content", KW_EINVAL, "PDF_ACTIVE_CONTENT",
	         "the PDF carries scripts, launch actions or embedded files"},
	        {"type_mismatch", KW_EINVAL, "FILE_TYPE_MISMATCH",
	         "the file's content is not the type it was sent as"},
	};
	size_t i = 0;
	while (i < sizeof map / sizeof map[0] - 1 && strcmp(map[i].problem, problem) != 0)
		i++;
	kw_err_set(err, map[i].code, map[i].name, NULL, "%s", map[i].msg);
	kw_err_detail(err, "problem", json_string(problem));
	kw_err_detail(err, "max_bytes", json_integer((json_int_t)max_bytes));
	if (lim) {
		kw_err_detail(err, "min_width", json_integer(lim->min_w));
		kw_err_detail(err, "min_height", json_integer(lim->min_h));
		kw_err_detail(err, "max_pixels", json_integer((json_int_t)lim->max_pixels));
	}
	return err->rc;
}

/* ---- the write ---- */

struct put_job {
	int64_t candidate, reg, staff, exam;
	kw_files_guard_fn guard; /* run first inside the transaction (may be NULL) */
	const void *guard_arg;
	const char *purpose, *label, *media_type;
	const unsigned char *data;
	size_t len;
	int w, h;
	char sha256[65];
	json_t *out;
};

static int step_done(struct kw_stmt *s, struct kw_err *err)
{
	int rc = kw_stmt_step(s, err);
	return rc == KW_ROW || rc == KW_DONE ? 0 : rc;
}

int kw_files_blob_put(struct kw_conn *c, const char *sha, const void *data, size_t n,
                      const char *now, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "INSERT INTO file_blobs (sha256, size, data, created_at) VALUES ($1, "
	        "$2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, sha);
		kw_stmt_bind_int64(s, 2, (int64_t)n);
		kw_stmt_bind_blob(s, 3, data, n);
		kw_stmt_bind_textz(s, 4, now);
		rc = step_done(s, err);
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_files_blob_get(struct kw_conn *c, const char *sha, char **data, size_t *n,
                      struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*data = NULL;
	int rc = kw_conn_prepare(c, "SELECT data FROM file_blobs WHERE sha256 = $1", &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, sha);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			const void *b = kw_stmt_column_blob(s, 0, n);
			char got[65];
			sha256_hex(b, *n, got);
			if (strcmp(got, sha) != 0) {
				rc = kw_err_set(err, KW_EINTERNAL, "FILE_INTEGRITY", NULL,
				                "stored bytes do not match their digest");
			} else {
				*data = kw_xmalloc(*n ? *n : 1);
				memcpy(*data, b, *n);
				rc = 0;
			}
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_EINTERNAL, "FILE_INTEGRITY", NULL,
			                "stored bytes are missing");
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_file_fill(struct kw_conn *c, const char *sha, const char *prefix, int64_t id,
                 struct kw_file *f, struct kw_err *err)
{
	char *data = NULL;
	size_t n = 0;
	int rc = kw_files_blob_get(c, sha, &data, &n, err);
	if (rc)
		return rc;
	f->data = (unsigned char *)data;
	f->len = n;
	snprintf(f->sha256, sizeof f->sha256, "%s", sha);
	const char *ext = strcmp(f->media_type, "application/pdf") == 0 ? "pdf"
	                  : strcmp(f->media_type, "image/png") == 0     ? "png"
	                                                                : "jpg";
	snprintf(f->name, sizeof f->name, "%s-%lld.%s", prefix, (long long)id, ext);
	return 0;
}

/* Answers *n with the count of rows sql ($1 = id) finds. */
static int count(struct kw_conn *c, const char *sql, int64_t id, int64_t *n, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	*n = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*n = kw_stmt_column_int64(s, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	return rc;
}

static json_t *file_json(struct kw_stmt *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(kw_stmt_column_int64(s, 0)));
	static const char *const names[] = {
	        "candidate_id", "registration_id", "purpose", "label",       "media_type", "size",
	        "width",        "height",          "sha256",  "uploaded_by", "created_at"};
	static const char types[] = "iitttiiitit";
	for (int i = 0; i < 11; i++) {
		if (kw_stmt_column_is_null(s, i + 1))
			json_object_set_new(o, names[i], json_null());
		else if (types[i] == 'i')
			json_object_set_new(o, names[i],
			                    json_integer(kw_stmt_column_int64(s, i + 1)));
		else
			json_object_set_new(o, names[i],
			                    json_string(kw_stmt_column_text(s, i + 1, NULL)));
	}
	json_object_del(o, "candidate_id");
	json_object_del(o, "uploaded_by");
	return o;
}

static int put_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct put_job *j = arg;
	int64_t n = 0;
	int rc = j->guard ? j->guard(tx->conn, j->guard_arg, err) : 0;
	if (rc)
		return rc;
	if (strcmp(j->purpose, "photo") == 0) {
		/* The reviewer approved this face, and it goes on the ticket: locked from then. */
		rc = count(
		        tx->conn,
		        "SELECT COUNT(*) FROM registrations WHERE candidate_id = $1 AND status = "
		        "'approved'",
		        j->candidate, &n, err);
		if (!rc && n)
			return kw_err_set(
			        err, KW_ECONFLICT, "PHOTO_LOCKED", "REG-4",
			        "a registration with this photo has been approved: ask the "
			        "reviewing agency to change it");
	} else if (strncmp(j->purpose, "correction_", 11) == 0) {
		/* TKT-3: the caller (app/corrections.c) checked that a correction may be asked */
		rc = count(tx->conn,
		           "SELECT COUNT(*) FROM files WHERE registration_id = $1 AND purpose LIKE "
		           "'correction_%'",
		           j->reg, &n, err);
		if (!rc && n >= KW_CORRECTION_FILES_MAX) {
			kw_err_set(err, KW_ERULE, "CORRECTION_FILE_LIMIT", "TKT-3",
			           "a registration takes at most %d correction files",
			           KW_CORRECTION_FILES_MAX);
			kw_err_detail(err, "max", json_integer(KW_CORRECTION_FILES_MAX));
			return err->rc;
		}
	} else {
		struct kw_stmt *s = NULL;
		char route[16] = "", status[16] = "";
		rc = kw_conn_prepare(
		        tx->conn, "SELECT route, status FROM registrations WHERE id = $1", &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, j->reg);
			rc = kw_stmt_step(s, err);
			if (rc == KW_ROW) {
				snprintf(route, sizeof route, "%s",
				         kw_stmt_column_text(s, 0, NULL));
				snprintf(status, sizeof status, "%s",
				         kw_stmt_column_text(s, 1, NULL));
				rc = 0;
			} else if (rc == KW_DONE) {
				rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
				                "no such registration");
			}
		}
		kw_stmt_finalize(s);
		if (rc)
			return rc;
		if (strcmp(route, "proof") != 0 ||
		    (strcmp(status, "submitted") != 0 && strcmp(status, "rejected") != 0)) {
			kw_err_set(
			        err, KW_ECONFLICT, "PROOF_NOT_OPEN", "REG-2",
			        "proof materials are taken for a registration by the proof route "
			        "while it awaits review or after a rejection");
			kw_err_detail(err, "route", json_string(route));
			kw_err_detail(err, "status", json_string(status));
			return err->rc;
		}
		rc = count(tx->conn, "SELECT COUNT(*) FROM files WHERE registration_id = $1",
		           j->reg, &n, err);
		if (!rc && n >= KW_PROOFS_MAX) {
			kw_err_set(err, KW_ERULE, "PROOF_LIMIT", "REG-2",
			           "a registration takes at most %d proof files", KW_PROOFS_MAX);
			kw_err_detail(err, "max", json_integer(KW_PROOFS_MAX));
			return err->rc;
		}
	}
	if (rc)
		return rc;
	char now[32];
	kw_clock_format(tx->now_us, now);
	rc = kw_files_blob_put(tx->conn, j->sha256, j->data, j->len, now, err);
	if (rc)
		return rc;
	struct kw_stmt *s = NULL;
	rc = kw_audit_prepare(
	        tx->conn, "files", &s, err,
	        "INSERT INTO files (candidate_id, registration_id, purpose, label, media_type, "
	        "size, width, height, sha256, uploaded_by, created_at) VALUES ($1, $2, $3, $4, "
	        "$5, $6, $7, $8, $9, $10, $11)");
	if (rc)
		return rc;
	kw_stmt_bind_int64(s, 1, j->candidate);
	if (j->reg)
		kw_stmt_bind_int64(s, 2, j->reg);
	else
		kw_stmt_bind_null(s, 2);
	kw_stmt_bind_textz(s, 3, j->purpose);
	if (j->label)
		kw_stmt_bind_textz(s, 4, j->label);
	else
		kw_stmt_bind_null(s, 4);
	kw_stmt_bind_textz(s, 5, j->media_type);
	kw_stmt_bind_int64(s, 6, (int64_t)j->len);
	if (j->w) {
		kw_stmt_bind_int64(s, 7, j->w);
		kw_stmt_bind_int64(s, 8, j->h);
	} else {
		kw_stmt_bind_null(s, 7);
		kw_stmt_bind_null(s, 8);
	}
	kw_stmt_bind_textz(s, 9, j->sha256);
	if (j->staff)
		kw_stmt_bind_int64(s, 10, j->staff);
	else
		kw_stmt_bind_null(s, 10);
	kw_stmt_bind_textz(s, 11, now);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		j->out = file_json(s);
		/* The photo itself never goes in the audit: its digest stands in (the row's
		 * sha256). */
		json_t *d = json_pack("{s:s, s:I, s:s}", "purpose", j->purpose, "size",
		                      (json_int_t)j->len, "media_type", j->media_type);
		if (j->reg)
			json_object_set_new(d, "registration_id", json_integer(j->reg));
		if (j->staff && strcmp(j->purpose, "photo") == 0) {
			/* Entered at the desk (REG-1): for whom, by whom, for which exam. */
			json_object_set_new(d, "candidate_id", json_integer(j->candidate));
			json_object_set_new(d, "uploaded_by", json_integer(j->staff));
			json_object_set_new(d, "on_behalf", json_true());
			if (j->exam)
				json_object_set_new(d, "exam_id", json_integer(j->exam));
		}
		const char *action = strcmp(j->purpose, "photo") == 0   ? "candidate.photo"
		                     : strcmp(j->purpose, "proof") == 0 ? "registration.proof"
		                                                        : "ticket.correction_file";
		rc = kw_audit_append_row(tx, action, "files", s, d, err);
		json_decref(d);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Checks the upload and re-encodes images; j gets what is stored. *buf: bytes to free. */
static int check_upload(const char *media_type, const void *data, size_t n, int photo,
                        struct put_job *j, unsigned char **buf, struct kw_err *err)
{
	enum kw_file_type declared = kw_file_type_of(media_type);
	if (declared == KW_FILE_UNKNOWN || (photo && declared == KW_FILE_PDF))
		return kw_err_set(
		        err, KW_EMEDIA, "UNSUPPORTED_FILE_TYPE", NULL,
		        photo ? "send the photo as image/jpeg or image/png"
		              : "send the file as application/pdf, image/jpeg or image/png");
	const struct kw_image_limits *lim = photo ? &kw_photo_limits : &kw_proof_image_limits;
	size_t max = declared == KW_FILE_PDF ? KW_PROOF_PDF_MAX_BYTES : lim->max_bytes;
	if (n > max)
		return refuse("too_large", max, declared == KW_FILE_PDF ? NULL : lim, err);
	enum kw_file_type got = kw_file_sniff(data, n);
	if (got != KW_FILE_UNKNOWN && got != declared &&
	    !(got != KW_FILE_PDF && declared != KW_FILE_PDF))
		return refuse("type_mismatch", max, NULL, err);
	if (declared == KW_FILE_PDF) {
		const char *p = kw_pdf_check(data, n, max);
		if (p)
			return refuse(p, max, NULL, err);
		j->data = data;
		j->len = n;
		j->media_type = "application/pdf";
		return 0;
	}
	struct kw_image img;
	const char *p = kw_image_check(data, n, lim, &img);
	if (p)
		return refuse(p, max, lim, err);
	*buf = img.jpeg;
	j->data = img.jpeg;
	j->len = img.jpeg_len;
	j->w = img.w;
	j->h = img.h;
	j->media_type = "image/jpeg";
	return 0;
}

int kw_files_check_document(const char *media_type, const void *data, size_t n,
                            struct kw_checked_file *out, struct kw_err *err)
{
	struct put_job j;
	memset(&j, 0, sizeof j);
	memset(out, 0, sizeof *out);
	int rc = check_upload(media_type, data, n, 0, &j, &out->buf, err);
	if (!rc) {
		out->data = j.data;
		out->len = j.len;
		out->media_type = j.media_type;
		sha256_hex(j.data, j.len, out->sha256);
	}
	return rc;
}

/* Checks the upload, then stores it with j's row: *out the row as written. */
static int store(struct kw_app *app, const struct kw_actor *actor, struct put_job *j,
                 const char *media_type, const void *data, size_t n, int photo, json_t **out,
                 struct kw_err *err)
{
	unsigned char *buf = NULL;
	int rc = check_upload(media_type, data, n, photo, j, &buf, err);
	if (!rc) {
		sha256_hex(j->data, j->len, j->sha256);
		rc = kw_writer_run(app->writer, put_job, j, actor, err);
	}
	free(buf);
	if (!rc)
		*out = j->out;
	else
		json_decref(j->out);
	return rc;
}

int kw_files_put_photo(struct kw_app *app, const struct kw_actor *actor, int64_t candidate,
                       const char *media_type, const void *data, size_t n, json_t **out,
                       struct kw_err *err)
{
	return kw_files_put_photo_by(app, actor, candidate, 0, 0, NULL, NULL, media_type, data, n,
	                             out, err);
}

int kw_files_put_photo_by(struct kw_app *app, const struct kw_actor *actor, int64_t candidate,
                          int64_t staff, int64_t exam, kw_files_guard_fn guard,
                          const void *guard_arg, const char *media_type, const void *data, size_t n,
                          json_t **out, struct kw_err *err)
{
	struct put_job j = {.candidate = candidate,
	                    .staff = staff,
	                    .exam = exam,
	                    .guard = guard,
	                    .guard_arg = guard_arg,
	                    .purpose = "photo"};
	return store(app, actor, &j, media_type, data, n, 1, out, err);
}

int kw_files_add_proof(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t reg, const char *media_type,
                       const char *label, const void *data, size_t n, json_t **out,
                       struct kw_err *err)
{
	if (!label || !*label || utf8_chars(label) > 60) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the request has errors");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "label", "problem",
		                        label && *label ? "too_long" : "required"));
		return err->rc;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, reg, "registration.proof", err);
	int64_t cand = 0;
	if (!rc)
		rc = count(c, "SELECT candidate_id FROM registrations WHERE id = $1", reg, &cand,
		           err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	struct put_job j = {.candidate = cand, .reg = reg, .purpose = "proof", .label = label};
	if (!s->candidate_id)
		j.staff = s->user.id;
	return store(app, actor, &j, media_type, data, n, 0, out, err);
}

/* ---- reads ---- */

static const char file_cols[] = "f.id, f.candidate_id, f.registration_id, f.purpose, f.label, "
                                "f.media_type, f.size, f.width, f.height, f.sha256, "
                                "f.uploaded_by, f.created_at";

int kw_files_photo_info(struct kw_conn *c, int64_t candidate, json_t **out, struct kw_err *err)
{
	char sql[400];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM files f WHERE f.candidate_id = $1 AND f.purpose = 'photo' ORDER "
	         "BY f.id DESC LIMIT 1",
	         file_cols);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	*out = NULL;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, candidate);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*out = file_json(s);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	if (!rc && !*out)
		*out = json_null();
	return rc;
}

/* The bytes of file id (after the caller found it reachable), checked against its digest. */
static int read_bytes(struct kw_conn *c, const char *where, int64_t a, int64_t b,
                      struct kw_file *out, struct kw_err *err)
{
	char sql[400];
	snprintf(sql, sizeof sql,
	         "SELECT f.id, f.media_type, f.sha256, x.data FROM files f JOIN file_blobs x ON "
	         "x.sha256 = f.sha256 WHERE %s ORDER BY f.id DESC LIMIT 1",
	         where);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	memset(out, 0, sizeof *out);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, a);
		if (b)
			kw_stmt_bind_int64(s, 2, b);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			size_t n = 0;
			const void *d = kw_stmt_column_blob(s, 3, &n);
			const char *mt = kw_stmt_column_text(s, 1, NULL);
			snprintf(out->media_type, sizeof out->media_type, "%s", mt);
			snprintf(out->sha256, sizeof out->sha256, "%s",
			         kw_stmt_column_text(s, 2, NULL));
			snprintf(out->name, sizeof out->name, "%s-%lld.%s", b ? "proof" : "photo",
			         (long long)kw_stmt_column_int64(s, 0),
			         strcmp(mt, "application/pdf") == 0 ? "pdf" : "jpg");
			out->data = malloc(n ? n : 1);
			memcpy(out->data, d, n);
			out->len = n;
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such file");
		}
	}
	kw_stmt_finalize(s);
	if (!rc) {
		char got[65];
		sha256_hex(out->data, out->len, got);
		if (strcmp(got, out->sha256) != 0) {
			kw_file_release(out);
			rc = kw_err_set(err, KW_EINTERNAL, "FILE_INTEGRITY", NULL,
			                "a stored file does not match its recorded digest");
		}
	}
	return rc;
}

int kw_files_photo(struct kw_app *app, const struct kw_session_info *s, int64_t reg,
                   struct kw_file *out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t cand = s->candidate_id;
	int rc = 0;
	if (reg) {
		rc = kw_reg_reach(c, s, reg, "registration.read", err);
		if (!rc)
			rc = count(c, "SELECT candidate_id FROM registrations WHERE id = $1", reg,
			           &cand, err);
	}
	if (!rc && !cand)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such file");
	if (!rc) {
		rc = read_bytes(c, "f.candidate_id = $1 AND f.purpose = 'photo'", cand, 0, out,
		                err);
		if (rc == KW_ENOTFOUND)
			kw_err_set(err, KW_ENOTFOUND, "PHOTO_NONE", "REG-4",
			           "no photo has been uploaded");
	}
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_files_proofs(struct kw_app *app, const struct kw_session_info *s, int64_t reg, json_t **out,
                    struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, reg, "registration.read", err);
	struct kw_stmt *st = NULL;
	if (!rc) {
		char sql[400];
		snprintf(sql, sizeof sql,
		         "SELECT %s FROM files f WHERE f.registration_id = $1 AND f.purpose = "
		         "'proof' ORDER BY f.id",
		         file_cols);
		rc = kw_conn_prepare(c, sql, &st, err);
	}
	if (!rc) {
		json_t *items = json_array();
		kw_stmt_bind_int64(st, 1, reg);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, file_json(st));
		if (rc == KW_DONE) {
			rc = 0;
			*out = json_pack("{s:o, s:i}", "items", items, "max", KW_PROOFS_MAX);
		} else {
			json_decref(items);
		}
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_files_proof(struct kw_app *app, const struct kw_session_info *s, int64_t reg, int64_t id,
                   struct kw_file *out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, reg, "registration.read", err);
	if (!rc)
		rc = read_bytes(c, "f.registration_id = $1 AND f.id = $2 AND f.purpose = 'proof'",
		                reg, id, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_files_add_correction(struct kw_app *app, const struct kw_actor *actor, int64_t cand,
                            int64_t reg, int64_t staff, int photo, const char *media_type,
                            const char *label, const void *data, size_t n, json_t **out,
                            struct kw_err *err)
{
	if (label && (!*label || utf8_chars(label) > 60)) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the request has errors");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "label", "problem",
		                        *label ? "too_long" : "required"));
		return err->rc;
	}
	struct put_job j = {.candidate = cand,
	                    .reg = reg,
	                    .staff = staff,
	                    .purpose = photo ? "correction_photo" : "correction_proof",
	                    .label = label};
	return store(app, actor, &j, media_type, data, n, photo, out, err);
}

int kw_files_of_registration(struct kw_conn *c, int64_t reg, int64_t id, const char *purpose,
                             struct kw_file *out, struct kw_err *err)
{
	char where[160];
	snprintf(where, sizeof where, "f.registration_id = $1 AND f.id = $2 AND f.purpose = '%s'",
	         purpose);
	return read_bytes(c, where, reg, id, out, err);
}

int kw_files_of_candidate(struct kw_conn *c, int64_t cand, int64_t id, const char *purpose,
                          struct kw_file *out, struct kw_err *err)
{
	char where[160];
	snprintf(where, sizeof where, "f.candidate_id = $1 AND f.id = $2 AND f.purpose = '%s'",
	         purpose);
	return read_bytes(c, where, cand, id, out, err);
}

int kw_files_seed_pool(struct kw_tx *tx, char sha256[][65], int64_t sizes[], struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	for (int k = 0; k < KW_SYNTH_PHOTOS; k++) {
		unsigned char *jpeg = NULL;
		size_t len = 0;
		if (kw_synth_photo(k, &jpeg, &len) != 0)
			return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "photo pool");
		sha256_hex(jpeg, len, sha256[k]);
		sizes[k] = (int64_t)len;
		int rc = kw_files_blob_put(tx->conn, sha256[k], jpeg, len, now, err);
		free(jpeg);
		if (rc)
			return rc;
	}
	return 0;
}
