/* Admission tickets: issue, download, verify (see tickets.h). */
#include "app/tickets.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/bulkprint.h"
#include "app/files.h"
#include "app/reg.h"
#include "app/signed.h"
#include "core/mask.h"
#include "core/params.h"
#include "render/isolate.h"
#include "render/pdf.h"
#include "render/pool.h"
#include "render/ticket.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"

#define PDF_MAX (8u << 20)

/* The notices every ticket carries (AH 17: what the candidate must know). */
static const char notices[] =
        "一、考生须凭本准考证和有效居民身份证原件参加考试，证件不全者不得入场。\n"
        "二、考生应于开考前30分钟入场，开考30分钟后不得入场，考试结束前30分钟内不得离场。\n"
        "三、严禁携带手机、智能手表等通讯工具和电子设备进入考场；已携带的须关机后放在指定位"
        "置。\n"
        "四、考生应在答题卡指定位置用黑色字迹签字笔作答，在试卷上作答无效。\n"
        "五、考生应服从考务工作人员管理，违反考试纪律者按有关规定处理。\n"
        "六、考试结束铃声响起，考生应立即停止答题，将试卷、答题卡、草稿纸反扣在桌面上，经"
        "监考人员清点无误后方可离开考场。\n"
        "七、考生应妥善保管本准考证。";

static char *col(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? NULL : kw_xstrdup(kw_stmt_column_text(s, i, NULL));
}

/* Everything a ticket shows, read in one go. */
struct tdata {
	int64_t reg, candidate, exam, exam_unit, seat_id;
	char *reg_status, *exam_kind, *exam_code, *exam_name, *exam_date, *ruleset, *unit_name;
	char *ticket_no, *room_no, *centre_name, *centre_address, *subjects, *name, *sex,
	        *id_number;
	int64_t seat_no;
	unsigned char *photo;
	size_t photo_len;
	struct kw_ticket_sitting sit[16];
	char sit_text[16][3][64];
	size_t nsit;
	int found;
};

static void tdata_release(struct tdata *t)
{
	char **strs[] = {&t->reg_status, &t->exam_kind,   &t->exam_code,      &t->exam_name,
	                 &t->exam_date,  &t->ruleset,     &t->unit_name,      &t->ticket_no,
	                 &t->room_no,    &t->centre_name, &t->centre_address, &t->subjects,
	                 &t->name,       &t->sex,         &t->id_number};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	free(t->photo);
	memset(t, 0, sizeof *t);
}

/* The China-time "YYYY-MM-DD" and "HH:MM" of an instant. */
static void cst(int64_t us, char date[11], char hm[6])
{
	char t[32];
	kw_clock_format(us + (int64_t)8 * 3600 * 1000000, t);
	memcpy(date, t, 10);
	date[10] = '\0';
	memcpy(hm, t + 11, 5);
	hm[5] = '\0';
}

static int load_sittings(struct kw_conn *c, struct tdata *t, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT code, name, starts_at, duration_minutes FROM subjects "
	                         "WHERE exam_id = $1 ORDER BY starts_at, code",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, t->exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW && t->nsit < 16) {
			/* the subjects of the seat's group ("01+02") */
			const char *code = kw_stmt_column_text(s, 0, NULL);
			char key[64];
			snprintf(key, sizeof key, "+%s+", code);
			char group[420];
			snprintf(group, sizeof group, "+%s+", t->subjects ? t->subjects : "");
			if (!strstr(group, key))
				continue;
			int64_t at = 0;
			const char *st = kw_stmt_column_text(s, 2, NULL);
			if (!st || kw_clock_parse(st, &at))
				continue;
			char d[11], h1[6], d2[11], h2[6];
			cst(at, d, h1);
			cst(at + kw_stmt_column_int64(s, 3) * 60 * 1000000, d2, h2);
			size_t k = t->nsit++;
			snprintf(t->sit_text[k][0], 64, "%s", kw_stmt_column_text(s, 1, NULL));
			snprintf(t->sit_text[k][1], 64, "%s", d);
			snprintf(t->sit_text[k][2], 64, "%s–%s", h1, h2);
			t->sit[k] = (struct kw_ticket_sitting){t->sit_text[k][0], t->sit_text[k][1],
			                                       t->sit_text[k][2]};
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static int load_photo(struct kw_conn *c, struct tdata *t, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT b.data FROM files f JOIN file_blobs b ON b.sha256 = "
	                         "f.sha256 WHERE f.candidate_id = $1 AND f.purpose = 'photo' AND "
	                         "f.media_type = 'image/jpeg' ORDER BY f.id DESC",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, t->candidate);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			const void *b = kw_stmt_column_blob(s, 0, &t->photo_len);
			t->photo = kw_xmalloc(t->photo_len ? t->photo_len : 1);
			memcpy(t->photo, b, t->photo_len);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The registration's seat in the exam's published run, and what the ticket shows. */
static int load(struct kw_conn *c, int64_t reg, struct tdata *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT r.id, r.status, r.candidate_id, e.id, e.unit_id, e.kind, e.code, e.name, "
	        "e.exam_date, e.ruleset, u.name, s.id, s.ticket_no, s.seat_no, x.number, "
	        "x.subjects, "
	        "c.name, c.address, d.name, d.sex, d.id_number FROM registrations r JOIN exams e "
	        "ON "
	        "e.id = r.exam_id JOIN units u ON u.id = e.unit_id JOIN candidates d ON d.id = "
	        "r.candidate_id LEFT JOIN seats s ON s.registration_id = r.id AND s.run_id IN "
	        "(SELECT id FROM seating_runs WHERE exam_id = r.exam_id AND status = 'published') "
	        "LEFT JOIN exam_rooms x ON x.id = s.exam_room_id LEFT JOIN centres c ON c.id = "
	        "x.centre_id WHERE r.id = $1",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			t->found = 1;
			t->reg = kw_stmt_column_int64(s, 0);
			t->reg_status = col(s, 1);
			t->candidate = kw_stmt_column_int64(s, 2);
			t->exam = kw_stmt_column_int64(s, 3);
			t->exam_unit = kw_stmt_column_int64(s, 4);
			t->exam_kind = col(s, 5);
			t->exam_code = col(s, 6);
			t->exam_name = col(s, 7);
			t->exam_date = col(s, 8);
			t->ruleset = col(s, 9);
			t->unit_name = col(s, 10);
			t->seat_id =
			        kw_stmt_column_is_null(s, 11) ? 0 : kw_stmt_column_int64(s, 11);
			t->ticket_no = col(s, 12);
			t->seat_no = kw_stmt_column_int64(s, 13);
			char room[24];
			snprintf(room, sizeof room, "%02lld",
			         (long long)kw_stmt_column_int64(s, 14));
			t->room_no = kw_xstrdup(room);
			t->subjects = col(s, 15);
			t->centre_name = col(s, 16);
			t->centre_address = col(s, 17);
			t->name = col(s, 18);
			t->sex = col(s, 19);
			t->id_number = col(s, 20);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && t->found && t->seat_id)
		rc = load_sittings(c, t, err);
	if (!rc && t->found && t->seat_id)
		rc = load_photo(c, t, err);
	return rc;
}

/* An integer parameter of the exam's rule set. */
static int param_int(const char *ruleset, const char *name, int dflt)
{
	json_t *res = NULL;
	int v = kw_app_rule_params(ruleset, &res, NULL) == 0 ? kw_app_param_int(res, name, dflt)
	                                                     : dflt;
	json_decref(res);
	return v;
}

/* May the ticket be issued at all: a published seat, a seatable registration, no ban under
 * verification (REG-5), a key. */
static int issuable(struct kw_conn *c, const struct kw_app *app, const struct tdata *t,
                    struct kw_err *err)
{
	if (!app->ticket_key_ok)
		return kw_err_set(err, KW_EUNAVAILABLE, "TICKET_KEY_MISSING", NULL,
		                  "the ticket signing key is not available");
	int qual = strcmp(t->exam_kind, "qualification") == 0;
	int ok_status = strcmp(t->reg_status, "approved") == 0 ||
	                (qual && strcmp(t->reg_status, "submitted") == 0);
	if (!t->seat_id || !ok_status)
		return kw_err_set(err, KW_ECONFLICT, "TICKET_NOT_AVAILABLE", "TKT-1",
		                  "no published seat for this registration");
	struct kw_stmt *s = NULL;
	int held = 0;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT 1 FROM verifications WHERE registration_id = $1 AND kind = "
	                        "'ban' AND status = 'open'",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, t->reg);
		rc = kw_stmt_step(s, err);
		held = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && held)
		rc = kw_err_set(err, KW_ECONFLICT, "TICKET_HELD", "REG-5",
		                "a ban found after registration is being verified");
	return rc;
}

/* The current version (0 when none) and its id and status. */
static int current(struct kw_conn *c, int64_t reg, int64_t *version, int64_t *id, char *pdf_sha,
                   struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*version = 0;
	*id = 0;
	pdf_sha[0] = '\0';
	int rc = kw_conn_prepare(c,
	                         "SELECT version, id, status, pdf_sha256 FROM tickets WHERE "
	                         "registration_id = $1 ORDER BY version DESC",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*version = kw_stmt_column_int64(s, 0);
			if (strcmp(kw_stmt_column_text(s, 2, NULL), "valid") == 0) {
				*id = kw_stmt_column_int64(s, 1);
				snprintf(pdf_sha, 65, "%s", kw_stmt_column_text(s, 3, NULL));
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* ---- the QR payload ---- */

static char *payload_for(const struct kw_app *app, const struct tdata *t, int64_t version)
{
	char masked[64];
	kw_mask_id_number(t->id_number ? t->id_number : "", masked, sizeof masked);
	json_t *p = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s}", "e", t->exam_code, "t",
	                      t->ticket_no, "v", (json_int_t)version, "r", (json_int_t)t->reg, "n",
	                      t->name ? t->name : "", "i", masked);
	char *out = kw_signed_make("KW1.", p, app->ticket_sk);
	json_decref(p);
	return out;
}

/* ---- rendering (in a child process) ---- */

struct render_arg {
	const struct tdata *t;
	const char *payload, *stamp, *issued_at;
	int reissue;
};

/* The ticket a render_arg shows; title and seat are buffers it points into. */
static void ticket_of(const struct render_arg *a, struct kw_ticket *k, char title[300],
                      char seat[24])
{
	const struct tdata *t = a->t;
	snprintf(title, 300, "%s 准考证", t->exam_name);
	snprintf(seat, 24, "%02lld", (long long)t->seat_no);
	/* candidates.sex holds M or F, from the identity number (core/idno.c) */
	const char *sex = t->sex && strcmp(t->sex, "M") == 0   ? "男"
	                  : t->sex && strcmp(t->sex, "F") == 0 ? "女"
	                                                       : NULL;
	*k = (struct kw_ticket){.title = title,
	                        .ticket_no = t->ticket_no,
	                        .name = t->name,
	                        .sex = sex,
	                        .id_number = t->id_number,
	                        .photo_jpeg = t->photo,
	                        .photo_len = t->photo_len,
	                        .sittings = t->sit,
	                        .nsittings = t->nsit,
	                        .centre_name = t->centre_name,
	                        .centre_address = t->centre_address,
	                        .room_no = t->room_no,
	                        .seat_no = seat,
	                        .notices = notices,
	                        .qr_payload = a->payload,
	                        .reissue = a->reissue,
	                        .stamp_text = a->stamp,
	                        .issued_at = a->issued_at};
}

static int render(void *arg, struct kw_buf *out, struct kw_err *err)
{
	struct kw_ticket k;
	char title[300], seat[24];
	ticket_of(arg, &k, title, seat);
	return kw_ticket_pdf(&k, out, err);
}

/* ---- issuing ---- */

int kw_tickets_revoke(struct kw_tx *tx, int64_t reg, const char *by, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc =
	        kw_audit_prepare(tx->conn, "tickets", &s, err,
	                         "UPDATE tickets SET status = 'revoked', revoked_at = $1, "
	                         "updated_at = $1 WHERE registration_id = $2 AND status = 'valid'");
	if (!rc) {
		kw_stmt_bind_textz(s, 1, now);
		kw_stmt_bind_int64(s, 2, reg);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			json_t *d = json_pack("{s:s}", "by", by);
			rc = kw_audit_append_row(tx, "ticket.revoke", "tickets", s, d, err);
			json_decref(d);
			if (rc)
				break;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

struct issue_job {
	int64_t reg, seat, version, staff, id;
	const char *ticket_no, *kind, *reason, *payload_digest, *pdf_sha;
	const char *pdf;
	size_t npdf;
};

static int issue_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct issue_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = kw_files_blob_put(tx->conn, j->pdf_sha, j->pdf, j->npdf, now, err);
	/* the version before, revoked */
	if (!rc)
		rc = kw_tickets_revoke(tx, j->reg, j->kind, err);
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "tickets", &s, err,
		        "INSERT INTO tickets (registration_id, seat_id, ticket_no, "
		        "version, kind, status, payload_digest, pdf_sha256, reason, "
		        "issued_by, issued_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
		        "'valid', $6, $7, $8, $9, $10, $10)");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->reg);
		kw_stmt_bind_int64(s, 2, j->seat);
		kw_stmt_bind_textz(s, 3, j->ticket_no);
		kw_stmt_bind_int64(s, 4, j->version);
		kw_stmt_bind_textz(s, 5, j->kind);
		kw_stmt_bind_textz(s, 6, j->payload_digest);
		kw_stmt_bind_textz(s, 7, j->pdf_sha);
		kw_stmt_bind_textz(s, 8, j->reason);
		if (j->staff)
			kw_stmt_bind_int64(s, 9, j->staff);
		else
			kw_stmt_bind_null(s, 9);
		kw_stmt_bind_textz(s, 10, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			j->id = kw_stmt_column_int64(s, 0);
			json_t *d = json_pack("{s:s, s:I}", "kind", j->kind, "version",
			                      (json_int_t)j->version);
			rc = kw_audit_append_row(tx, "ticket.issue", "tickets", s, d, err);
			json_decref(d);
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "ticket not written");
		}
	}
	kw_stmt_finalize(s);
	/* a concurrent issue of the same version loses here (UNIQUE), and is told */
	if (rc == KW_ECONFLICT)
		kw_err_set(err, KW_ECONFLICT, "TICKET_CHANGED", NULL,
		           "the ticket was issued meanwhile; try again");
	return rc;
}

static void sha_hex(const void *b, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, b, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* What version `version` of t's ticket, of kind, shows: *ra (pointing into t, issued and
 * stamp) and its QR payload, returned (the caller frees it). */
static char *prepare(const struct kw_app *app, const struct tdata *t, int64_t version,
                     const char *kind, char issued[20], char stamp[260], struct render_arg *ra)
{
	char *payload = payload_for(app, t, version);
	char now[32];
	kw_clock_format(kw_clock_now_us() + (int64_t)8 * 3600 * 1000000, now);
	snprintf(issued, 20, "%.10s %.5s", now, now + 11);
	snprintf(stamp, 260, "%s", t->unit_name);
	*ra = (struct render_arg){.t = t,
	                          .payload = payload,
	                          .stamp = strcmp(kind, "self_print") == 0 ? NULL : stamp,
	                          .issued_at = issued,
	                          .reissue = strcmp(kind, "reissue") == 0};
	return payload;
}

/* Renders and stores version `version` of t's ticket. */
static int issue(struct kw_app *app, const struct kw_actor *actor, const struct tdata *t,
                 int64_t version, const char *kind, const char *reason, int64_t staff, int64_t *id,
                 char **pdf, size_t *n, struct kw_err *err)
{
	char issued[20], stamp[260];
	struct render_arg ra;
	char *payload = prepare(app, t, version, kind, issued, stamp, &ra);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, PDF_MAX);
	int rc = kw_render_isolated(render, &ra, &b, err);
	char pdf_sha[65], pd[65];
	if (!rc) {
		sha_hex(b.buf, b.len, pdf_sha);
		sha_hex(payload, strlen(payload), pd);
		struct issue_job j = {.reg = t->reg,
		                      .seat = t->seat_id,
		                      .version = version,
		                      .staff = staff,
		                      .ticket_no = t->ticket_no,
		                      .kind = kind,
		                      .reason = reason,
		                      .payload_digest = pd,
		                      .pdf_sha = pdf_sha,
		                      .pdf = b.buf,
		                      .npdf = b.len};
		rc = kw_writer_run(app->writer, issue_job, &j, actor, err);
		*id = j.id;
	}
	free(payload);
	if (!rc && pdf) {
		*pdf = kw_buf_detach(&b, n);
		return 0;
	}
	kw_buf_release(&b);
	return rc;
}

int kw_ticket_download(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t reg, char **pdf, size_t *n,
                       struct kw_err *err)
{
	*pdf = NULL;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct tdata t;
	int rc = load(c, reg, &t, err);
	if (!rc && (!s->candidate_id || !t.found || t.candidate != s->candidate_id))
		rc = kw_err_set(err, KW_EFORBIDDEN, "TICKET_NOT_YOURS", "TKT-2",
		                "only the candidate downloads their own ticket");
	if (!rc)
		rc = issuable(c, app, &t, err);
	/* TKT-2, PQ 16(5): inside the print window only */
	int64_t opens = 0, closes = 0, now = kw_clock_now_us();
	if (!rc) {
		int days = param_int(t.ruleset, "ticket_print_days_before", 10);
		if (kw_clock_china_day(t.exam_date, -days, &opens) ||
		    kw_clock_china_day(t.exam_date, 1, &closes))
			rc = kw_err_set(err, KW_ECONFLICT, "TICKET_NOT_AVAILABLE", "TKT-1",
			                "the exam has no date yet");
		else if (now < opens || now >= closes) {
			char o[32], cl[32];
			kw_clock_format(opens, o);
			kw_clock_format(closes, cl);
			rc = kw_err_set(err, KW_EFORBIDDEN, "TICKET_WINDOW_CLOSED", "TKT-2",
			                "tickets are printed from %s until %s", o, cl);
			kw_err_detail(err, "opens_at", json_string(o));
			kw_err_detail(err, "closes_at", json_string(cl));
		}
	}
	int64_t version = 0, id = 0;
	char sha[65];
	if (!rc)
		rc = current(c, reg, &version, &id, sha, err);
	if (!rc && id)
		rc = kw_files_blob_get(c, sha, pdf, n, err);
	kw_pool_put(app->pool, c);
	if (!rc && !id)
		rc = issue(app, actor, &t, version + 1, "self_print", NULL, 0, &id, pdf, n, err);
	tdata_release(&t);
	return rc;
}

int kw_ticket_issue(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t reg, const json_t *body, json_t **out,
                    struct kw_err *err)
{
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *reason = json_string_value(json_object_get(body, "reason"));
	int okind = kind && (strcmp(kind, "onsite") == 0 || strcmp(kind, "reissue") == 0);
	size_t extra = json_object_size(body) - (json_object_get(body, "kind") ? 1 : 0) -
	               (json_object_get(body, "reason") ? 1 : 0);
	if (!okind || extra || (reason && (!*reason || strlen(reason) > 1000)) ||
	    (json_object_get(body, "reason") && !reason)) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", okind ? "reason" : "kind",
		                        "problem", okind ? "invalid" : "not_allowed"));
		return KW_EINVAL;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, reg, "ticket.issue", err);
	struct tdata t;
	memset(&t, 0, sizeof t);
	if (!rc)
		rc = load(c, reg, &t, err);
	if (!rc)
		rc = issuable(c, app, &t, err);
	int64_t now = kw_clock_now_us(), closes = 0, from = 0;
	if (!rc && kw_clock_china_day(t.exam_date, 1, &closes))
		rc = kw_err_set(err, KW_ECONFLICT, "TICKET_NOT_AVAILABLE", "TKT-1",
		                "the exam has no date yet");
	if (!rc && now >= closes)
		rc = kw_err_set(err, KW_ECONFLICT, "TICKET_EXAM_OVER", "TKT-4", "the exam is over");
	/* AH 20: a lost ticket is reissued within the days before the exam */
	if (!rc && strcmp(kind, "reissue") == 0) {
		int days = param_int(t.ruleset, "ticket_reissue_days_before", 2);
		kw_clock_china_day(t.exam_date, -days, &from);
		if (now < from) {
			char f[32];
			kw_clock_format(from, f);
			rc = kw_err_set(err, KW_ECONFLICT, "TICKET_REISSUE_NOT_DUE", "TKT-4",
			                "a lost ticket is reissued from %s", f);
			kw_err_detail(err, "from", json_string(f));
		}
	}
	int64_t version = 0, id = 0;
	char sha[65];
	if (!rc)
		rc = current(c, reg, &version, &id, sha, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = issue(app, actor, &t, version + 1, kind, reason, s->user.id, &id, NULL, NULL,
		           err);
	if (!rc)
		*out = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s?, s:s}", "id", (json_int_t)id,
		                 "registration_id", (json_int_t)reg, "ticket_no", t.ticket_no,
		                 "version", (json_int_t)(version + 1), "kind", kind, "status",
		                 "valid", "reason", reason, "pdf", "");
	if (!rc) {
		char path[64];
		snprintf(path, sizeof path, "/api/v1/tickets/%lld/pdf", (long long)id);
		json_object_set_new(*out, "pdf", json_string(path));
	}
	tdata_release(&t);
	return rc;
}

int kw_ticket_pdf_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, char **pdf,
                      size_t *n, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int64_t reg = 0;
	char sha[65] = "";
	int rc = kw_conn_prepare(c, "SELECT registration_id, pdf_sha256 FROM tickets WHERE id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			reg = kw_stmt_column_int64(st, 0);
			snprintf(sha, sizeof sha, "%s", kw_stmt_column_text(st, 1, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !reg)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such ticket");
	if (!rc) {
		rc = kw_reg_reach(c, s, reg, "ticket.issue", err);
		if (rc == KW_ENOTFOUND)
			kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such ticket");
	}
	if (!rc)
		rc = kw_files_blob_get(c, sha, pdf, n, err);
	kw_pool_put(app->pool, c);
	return rc;
}

static json_t *verdict(const char *reason)
{
	return json_pack("{s:b, s:s}", "valid", 0, "reason", reason);
}

int kw_ticket_verify(struct kw_app *app, const char *payload, json_t **out, struct kw_err *err)
{
	if (!payload || strlen(payload) > 1024) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "payload", "problem", "required"));
		return KW_EINVAL;
	}
	json_t *p = NULL;
	if (!app->ticket_key_ok || kw_signed_open("KW1.", payload, app->ticket_pk, &p) != 0) {
		*out = verdict("TAMPERED");
		return 0;
	}
	int64_t reg = json_integer_value(json_object_get(p, "r"));
	int64_t version = json_integer_value(json_object_get(p, "v"));
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT status, ticket_no FROM tickets WHERE registration_id = $1 "
	                         "AND version = $2",
	                         &st, err);
	char status[16] = "";
	if (!rc) {
		kw_stmt_bind_int64(st, 1, reg);
		kw_stmt_bind_int64(st, 2, version);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW && strcmp(kw_stmt_column_text(st, 1, NULL),
		                           json_string_value(json_object_get(p, "t"))
		                                   ? json_string_value(json_object_get(p, "t"))
		                                   : "") == 0)
			snprintf(status, sizeof status, "%s", kw_stmt_column_text(st, 0, NULL));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc) {
		*out = !status[0]                     ? verdict("UNKNOWN")
		       : strcmp(status, "valid") != 0 ? verdict("REVOKED")
		                                      : json_pack("{s:b}", "valid", 1);
		json_object_set(*out, "ticket_no", json_object_get(p, "t"));
		json_object_set(*out, "exam", json_object_get(p, "e"));
		json_object_set(*out, "version", json_object_get(p, "v"));
		json_object_set(*out, "name", json_object_get(p, "n"));
		json_object_set(*out, "id_number", json_object_get(p, "i"));
	}
	json_decref(p);
	return rc;
}

json_t *kw_ticket_key_json(const struct kw_app *app)
{
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, app->ticket_pk, sizeof app->ticket_pk);
	return json_pack("{s:s, s:s?, s:s}", "alg", "Ed25519", "public_key",
	                 app->ticket_key_ok ? hex : NULL, "format",
	                 "KW1.<base64url(payload JSON)>.<base64url(Ed25519 signature of those "
	                 "bytes)>; payload {e: exam, t: ticket number, v: version, r: "
	                 "registration, n: name, i: masked identity number}");
}

/* ---- printing in bulk (app/bulkprint.h) ---- */

int kw_bulkprint_run_of(struct kw_conn *c, const char *exam, int64_t *exam_id, int64_t *run,
                        struct kw_err *err)
{
	*exam_id = *run = 0;
	if (!exam || !*exam)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no exam given");
	char *end = NULL;
	long long id = strtoll(exam, &end, 10);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, "SELECT id FROM exams WHERE code = $1 OR id = $2", &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, exam);
		kw_stmt_bind_int64(s, 2, *end || id <= 0 ? -1 : (int64_t)id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*exam_id = kw_stmt_column_int64(s, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc && !*exam_id)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no exam %s", exam);
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT id FROM seating_runs WHERE exam_id = $1 AND status = "
		                     "'published'",
		                     &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, *exam_id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*run = kw_stmt_column_int64(s, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !*run)
		rc = kw_err_set(err, KW_ECONFLICT, "SEATING_NOT_PUBLISHED", "TKT-1",
		                "exam %s has no published seating", exam);
	return rc;
}

int kw_bulkprint_out_dir(const char *dir, struct kw_err *err)
{
	struct stat st;
	if (!dir || !*dir)
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL, "no output directory");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL, "mkdir %s: %s", dir,
		                  strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK) != 0)
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL,
		                  "%s is not a writable directory", dir);
	return 0;
}

/* name with every byte outside [A-Za-z0-9._-] replaced by '_' (never "", "." or ".."). */
static void safe_name(const char *name, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = name ? name : ""; *p && k + 1 < n; p++) {
		char ch = *p;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		         (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
		out[k++] = ok ? ch : '_';
	}
	out[k] = '\0';
	if (!k || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, n, "_");
}

int kw_bulkprint_write(const char *dir, const char *sub, const char *name, const void *data,
                       size_t n, struct kw_err *err)
{
	char s[128], f[160], path[4096], tmp[4200];
	safe_name(sub, s, sizeof s);
	safe_name(name, f, sizeof f);
	snprintf(path, sizeof path, "%s/%s", dir, s);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL, "mkdir %s: %s", path,
		                  strerror(errno));
	snprintf(path, sizeof path, "%s/%s/%s", dir, s, f);
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	FILE *fp = fopen(tmp, "wb");
	int ok = fp && fwrite(data, 1, n, fp) == n;
	if (fp && fclose(fp) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL, "cannot write %s: %s",
		                  path, strerror(e));
	}
	return 0;
}

void kw_bulkprint_problem(struct kw_bulkprint_report *rep, const char *what, const char *code,
                          const char *msg)
{
	if (rep->nproblems >= KW_BULKPRINT_PROBLEMS)
		return;
	struct kw_bulkprint_problem *p = &rep->problems[rep->nproblems++];
	snprintf(p->what, sizeof p->what, "%s", what ? what : "");
	snprintf(p->code, sizeof p->code, "%s", code ? code : "");
	snprintf(p->msg, sizeof p->msg, "%s", msg ? msg : "");
}

/* A ticket handed to the pool: what its issue needs once it is rendered. */
struct bt_job {
	int64_t reg, seat, version;
	char ticket_no[64], centre[64], pd[65];
};

/* A rendered ticket on its way through the writer. */
struct bt_issue {
	struct kw_job job;
	struct issue_job ij;
	struct bt_job b;
	char sha[65];
	char *pdf;
	size_t npdf;
	struct bt_issue *next;
};

/* The batch's state, the pool's `data`. */
struct bt {
	struct kw_app *app;
	const struct kw_actor *actor;
	const struct kw_bulkprint_opts *o;
	struct kw_bulkprint_report *rep;
	struct kw_conn *c;
	int64_t *regs;      /* the seated registrations, in centre, room and seat order */
	char (*centre)[64]; /* each one's centre code */
	size_t n, next;
	struct bt_job **jobs; /* by job id (the index in regs): handed to the pool */
	pthread_mutex_t mu;   /* guards done and inflight, shared with the writer thread */
	pthread_cond_t cv;
	struct bt_issue *done; /* committed or failed, not yet written out */
	size_t inflight;       /* submitted to the writer, not yet taken off done */
	int64_t shown_us;
};

/* Writer jobs in flight at most: each holds its PDF (~200 KB) until written out. */
#define BT_INFLIGHT 128

/* The writer thread: an issue is committed (or failed). */
static void bt_issued(struct kw_job *job, void *data)
{
	struct bt *b = data;
	struct bt_issue *e = (struct bt_issue *)job; /* job is the first member */
	pthread_mutex_lock(&b->mu);
	e->next = b->done;
	b->done = e;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static void bt_progress(struct bt *b, int force)
{
	if (!b->o->progress)
		return;
	int64_t now = kw_clock_mono_us();
	if (!force && now - b->shown_us < 250000)
		return;
	b->shown_us = now;
	b->o->progress(b->o->progress_data, b->rep->written + b->rep->failed + b->rep->skipped,
	               b->rep->total);
}

/* Writes out the issues the writer has finished; with below > 0, first waits until fewer
 * than `below` are in flight. */
static void bt_collect(struct bt *b, size_t below)
{
	pthread_mutex_lock(&b->mu);
	while (below && b->inflight >= below && !b->done)
		pthread_cond_wait(&b->cv, &b->mu);
	struct bt_issue *list = b->done;
	b->done = NULL;
	for (struct bt_issue *e = list; e; e = e->next)
		b->inflight--;
	pthread_mutex_unlock(&b->mu);
	while (list) {
		struct bt_issue *e = list;
		list = e->next;
		struct kw_err werr = KW_ERR_INIT;
		int rc = e->job.rc;
		if (!rc) {
			char name[80];
			snprintf(name, sizeof name, "%s.pdf", e->b.ticket_no);
			rc = kw_bulkprint_write(b->o->out_dir, e->b.centre, name, e->pdf, e->npdf,
			                        &werr);
		}
		if (!rc) {
			b->rep->written++;
			b->rep->rendered++;
			b->rep->pages++;
		} else {
			const struct kw_err *why = e->job.rc ? &e->job.err : &werr;
			b->rep->failed++;
			kw_bulkprint_problem(b->rep, e->b.ticket_no, why->code, why->msg);
		}
		kw_err_release(&werr);
		kw_err_release(&e->job.err);
		free(e->pdf);
		free(e);
	}
	bt_progress(b, 0);
}

/* A registration that cannot get its ticket now: counted and named, not fatal. */
static void bt_skip(struct bt *b, const char *ticket_no, const struct kw_err *why)
{
	b->rep->skipped++;
	kw_bulkprint_problem(b->rep, ticket_no, why->code, why->msg);
}

/* The pool asks for the next ticket to render. Registrations whose valid ticket is stored
 * are written out here, as stored, and the next one is looked at. */
static int bt_next(void *data, uint64_t *id, struct kw_buf *job, struct kw_err *err)
{
	struct bt *b = data;
	bt_collect(b, 0);
	while (b->next < b->n) {
		size_t i = b->next++;
		struct tdata t;
		struct kw_err why = KW_ERR_INIT;
		int rc = load(b->c, b->regs[i], &t, err);
		if (!rc && (!t.found || !t.seat_id)) {
			kw_err_set(&why, KW_ECONFLICT, "TICKET_NOT_AVAILABLE", "TKT-1",
			           "registration %lld has no published seat now",
			           (long long)b->regs[i]);
			bt_skip(b, t.ticket_no, &why);
			goto next;
		}
		if (!rc && (rc = issuable(b->c, b->app, &t, &why)) == KW_ECONFLICT) {
			bt_skip(b, t.ticket_no, &why);
			rc = 0;
			goto next;
		}
		if (rc && why.code) {
			kw_err_release(err);
			*err = why;
			why = (struct kw_err)KW_ERR_INIT;
		}
		int64_t version = 0, vid = 0;
		char sha[65];
		if (!rc)
			rc = current(b->c, t.reg, &version, &vid, sha, err);
		if (!rc && vid) { /* issued already: the ticket of record, as stored */
			char *pdf = NULL;
			size_t n = 0;
			struct kw_err werr = KW_ERR_INIT;
			char name[80];
			snprintf(name, sizeof name, "%s.pdf", t.ticket_no);
			if (kw_files_blob_get(b->c, sha, &pdf, &n, &werr) == 0 &&
			    kw_bulkprint_write(b->o->out_dir, b->centre[i], name, pdf, n, &werr) ==
			            0) {
				b->rep->written++;
				b->rep->reused++;
			} else { /* a stored PDF gone or damaged (FILE_INTEGRITY), a write */
				b->rep->failed++;
				kw_bulkprint_problem(b->rep, t.ticket_no, werr.code, werr.msg);
			}
			kw_err_release(&werr);
			free(pdf);
			goto next;
		}
		if (!rc) { /* the next version, as the candidate's download would issue it */
			char issued[20], stamp[260], title[300], seat[24];
			struct render_arg ra;
			char *payload =
			        prepare(b->app, &t, version + 1, "self_print", issued, stamp, &ra);
			struct kw_ticket k;
			ticket_of(&ra, &k, title, seat);
			kw_ticket_encode(&k, job);
			struct bt_job *j = kw_xcalloc(1, sizeof *j);
			j->reg = t.reg;
			j->seat = t.seat_id;
			j->version = version + 1;
			snprintf(j->ticket_no, sizeof j->ticket_no, "%s", t.ticket_no);
			snprintf(j->centre, sizeof j->centre, "%s", b->centre[i]);
			sha_hex(payload, strlen(payload), j->pd);
			free(payload);
			b->jobs[i] = j;
			*id = i;
			tdata_release(&t);
			kw_err_release(&why);
			return 1;
		}
	next:
		tdata_release(&t);
		kw_err_release(&why);
		bt_progress(b, 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* In a worker: an encoded ticket to its PDF. */
static int bt_render(void *data, const void *job, size_t n, struct kw_buf *out, struct kw_err *err)
{
	(void)data;
	struct kw_ticket k;
	struct kw_ticket_sitting sits[16];
	int rc = kw_ticket_decode(job, n, &k, sits, 16, err);
#ifdef KW_TESTING
	/* Test builds only: the worker dies on this ticket, as a crash would. */
	const char *crash = getenv("KW_TEST_TICKET_CRASH");
	if (!rc && crash && *crash && strcmp(crash, k.ticket_no) == 0)
		raise(SIGKILL);
#endif
	return rc ? rc : kw_ticket_pdf(&k, out, err);
}

/* The pool has a ticket's outcome: a PDF goes to the writer to be issued. */
static int bt_done(void *data, uint64_t id, int rc, const char *doc, size_t n,
                   const struct kw_err *failure, struct kw_err *err)
{
	struct bt *b = data;
	struct bt_job *j = b->jobs[id];
	b->jobs[id] = NULL;
	if (rc) {
		b->rep->failed++;
		kw_bulkprint_problem(b->rep, j->ticket_no, failure->code, failure->msg);
		free(j);
		bt_progress(b, 0);
		return 0;
	}
	struct bt_issue *e = kw_xcalloc(1, sizeof *e);
	e->b = *j;
	free(j);
	e->pdf = kw_xmalloc(n ? n : 1);
	memcpy(e->pdf, doc, n);
	e->npdf = n;
	sha_hex(doc, n, e->sha);
	e->ij = (struct issue_job){.reg = e->b.reg,
	                           .seat = e->b.seat,
	                           .version = e->b.version,
	                           .ticket_no = e->b.ticket_no,
	                           .kind = "self_print",
	                           .payload_digest = e->b.pd,
	                           .pdf_sha = e->sha,
	                           .pdf = e->pdf,
	                           .npdf = e->npdf};
	e->job = (struct kw_job){.fn = issue_job, .arg = &e->ij, .done = bt_issued, .data = b};
	e->job.actor = *b->actor;
	for (;;) {
		bt_collect(b, BT_INFLIGHT);
		pthread_mutex_lock(&b->mu);
		b->inflight++;
		pthread_mutex_unlock(&b->mu);
		struct kw_err serr = KW_ERR_INIT;
		rc = kw_writer_submit(b->app->writer, &e->job, &serr);
		if (!rc) {
			kw_err_release(&serr);
			return 0;
		}
		pthread_mutex_lock(&b->mu);
		b->inflight--;
		pthread_mutex_unlock(&b->mu);
		if (rc != KW_EBUSY || !b->inflight) {
			kw_err_release(err);
			*err = serr;
			free(e->pdf);
			free(e);
			return rc;
		}
		kw_err_release(&serr);
		pthread_mutex_lock(&b->mu);
		size_t now = b->inflight;
		pthread_mutex_unlock(&b->mu);
		bt_collect(b, now); /* the writer's queue is full: wait for one of ours */
	}
}

/* In the parent, before the first fork: the fonts, loaded once for every worker. */
static int bt_warm(void *data, struct kw_err *err)
{
	(void)data;
	(void)err;
	kw_pdf_warm();
	return 0;
}

/* The seated registrations of the run (of one centre), in centre, room and seat order. */
static int bt_list(struct bt *b, int64_t run, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(b->c,
	                         "SELECT s.registration_id, c.code FROM seats s JOIN exam_rooms x "
	                         "ON x.id = s.exam_room_id JOIN centres c ON c.id = x.centre_id "
	                         "WHERE s.run_id = $1 AND ($2 = '' OR c.code = $2) ORDER BY "
	                         "c.code, x.number, s.seat_no",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, run);
		kw_stmt_bind_textz(s, 2, b->o->centre ? b->o->centre : "");
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (b->n == cap) {
				cap = cap ? cap * 2 : 1024;
				b->regs = kw_xrealloc(b->regs, cap * sizeof *b->regs);
				b->centre = kw_xrealloc(b->centre, cap * sizeof *b->centre);
			}
			b->regs[b->n] = kw_stmt_column_int64(s, 0);
			snprintf(b->centre[b->n], sizeof b->centre[b->n], "%s",
			         kw_stmt_column_text(s, 1, NULL));
			b->n++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !b->n)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                "no seats%s%s in the published seating",
		                b->o->centre ? " in centre " : "",
		                b->o->centre ? b->o->centre : "");
	return rc;
}

/* May tickets of the exam be issued now: a key, a date, not over (as kw_ticket_issue). */
static int bt_check_exam(struct bt *b, int64_t exam, struct kw_err *err)
{
	if (!b->app->ticket_key_ok)
		return kw_err_set(err, KW_EUNAVAILABLE, "TICKET_KEY_MISSING", NULL,
		                  "the ticket signing key is not available");
	struct kw_stmt *s = NULL;
	char date[16] = "";
	int rc = kw_conn_prepare(b->c, "SELECT exam_date FROM exams WHERE id = $1", &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW && !kw_stmt_column_is_null(s, 0))
			snprintf(date, sizeof date, "%s", kw_stmt_column_text(s, 0, NULL));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	int64_t closes = 0;
	if (!rc && kw_clock_china_day(date[0] ? date : NULL, 1, &closes))
		rc = kw_err_set(err, KW_ECONFLICT, "TICKET_NOT_AVAILABLE", "TKT-1",
		                "the exam has no date yet");
	if (!rc && kw_clock_now_us() >= closes)
		rc = kw_err_set(err, KW_ECONFLICT, "TICKET_EXAM_OVER", "TKT-4", "the exam is over");
	return rc;
}

int kw_tickets_render_all(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_bulkprint_opts *o, struct kw_bulkprint_report *rep,
                          struct kw_err *err)
{
	memset(rep, 0, sizeof *rep);
	int64_t t0 = kw_clock_mono_us();
	struct bt b = {.app = app, .actor = actor, .o = o, .rep = rep};
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.cv, NULL);
	b.c = kw_pool_get(app->pool);
	int64_t exam = 0, run = 0;
	int rc = kw_bulkprint_run_of(b.c, o->exam, &exam, &run, err);
	if (!rc)
		rc = bt_check_exam(&b, exam, err);
	if (!rc)
		rc = bt_list(&b, run, err);
	if (!rc)
		rc = kw_bulkprint_out_dir(o->out_dir, err);
	struct kw_render_pool *pool = NULL;
	if (!rc) {
		rep->total = b.n;
		b.jobs = kw_xcalloc(b.n, sizeof *b.jobs);
		struct kw_render_pool_config cfg = {.workers = o->workers,
		                                    .jobs_per_worker = o->per_worker,
		                                    .doc_max = PDF_MAX,
		                                    .render = bt_render,
		                                    .next = bt_next,
		                                    .done = bt_done,
		                                    .warm = bt_warm,
		                                    .data = &b};
		rc = kw_render_pool_create(&cfg, &pool, err);
	}
	if (!rc) {
		rc = kw_render_pool_run(pool, err);
		struct kw_render_pool_stats st;
		kw_render_pool_stats(pool, &st);
		rep->workers = o->workers > 0 ? o->workers : (int)sysconf(_SC_NPROCESSORS_ONLN);
		rep->workers_started = st.workers_started;
		rep->workers_crashed = st.workers_crashed;
		rep->worker_max_rss_kb = st.worker_max_rss_kb;
		rep->render_seconds = st.seconds;
	}
	/* every issue handed to the writer finishes, whatever stopped the run */
	for (;;) {
		pthread_mutex_lock(&b.mu);
		size_t left = b.inflight;
		pthread_mutex_unlock(&b.mu);
		if (!left)
			break;
		bt_collect(&b, 1);
	}
	bt_collect(&b, 0);
	bt_progress(&b, 1);
	kw_render_pool_free(pool);
	kw_pool_put(app->pool, b.c);
	for (size_t i = 0; b.jobs && i < b.n; i++)
		free(b.jobs[i]);
	free(b.jobs);
	free(b.regs);
	free(b.centre);
	pthread_mutex_destroy(&b.mu);
	pthread_cond_destroy(&b.cv);
	rep->seconds = (double)(kw_clock_mono_us() - t0) / 1e6;
	return rc;
}
