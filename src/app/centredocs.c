/*
 * A centre's documents from a seating run (SPEC VEN-3, VEN-5, PAP-4): door labels (subject,
 * room number, first and last ticket number), desk labels (seat, ticket number, name) and
 * the paper order per centre, exam room and subject with spares. PDFs are rendered in a
 * child process (render/isolate.h); the paper order is a workbook.
 */
#include "app/seating.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/bulkprint.h"
#include "core/mask.h"
#include "core/params.h"
#include "core/seat.h"
#include "render/centre.h"
#include "render/isolate.h"
#include "render/labels.h"
#include "render/pdf.h"
#include "render/pool.h"
#include "render/xlsx.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"

#define DOC_MAX (256u << 20)

struct subj {
	char code[32], name[200], when[64];
};

/* The exam's subjects with their sitting in China time ("06-01 09:00–11:30"). */
static int subjects_of(struct kw_conn *c, int64_t exam, struct subj **out, size_t *n,
                       struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT code, name, starts_at, duration_minutes FROM subjects "
	                         "WHERE exam_id = $1 ORDER BY starts_at, code",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct subj *x = &(*out)[(*n)++];
			memset(x, 0, sizeof *x);
			snprintf(x->code, sizeof x->code, "%s", kw_stmt_column_text(s, 0, NULL));
			snprintf(x->name, sizeof x->name, "%s", kw_stmt_column_text(s, 1, NULL));
			int64_t at;
			const char *st = kw_stmt_column_text(s, 2, NULL);
			if (st && kw_clock_parse(st, &at) == 0) {
				char a[32], b[32];
				int64_t off = (int64_t)8 * 3600 * 1000000;
				kw_clock_format(at + off, a);
				kw_clock_format(
				        at + off + kw_stmt_column_int64(s, 3) * 60 * 1000000, b);
				snprintf(x->when, sizeof x->when, "%.10s %.5s–%.5s", a, a + 11,
				         b + 11);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* For a group key "01+02": subject names and sittings joined, into name/when. */
static void group_text(const struct subj *v, size_t n, const char *key, char *name, size_t nn,
                       char *when, size_t wn)
{
	size_t a = 0, b = 0;
	name[0] = when[0] = '\0';
	char k[420];
	snprintf(k, sizeof k, "+%s+", key);
	for (size_t i = 0; i < n; i++) {
		char t[40];
		snprintf(t, sizeof t, "+%s+", v[i].code);
		if (!strstr(k, t))
			continue;
		a += (size_t)snprintf(name + a, a < nn ? nn - a : 0, "%s%s", a ? "、" : "",
		                      v[i].name);
		b += (size_t)snprintf(when + b, b < wn ? wn - b : 0, "%s%s", b ? "；" : "",
		                      v[i].when);
		if (a >= nn || b >= wn)
			break;
	}
}

/* The run's exam (checks that s may read the run: seating.read). */
static int run_exam(struct kw_app *app, const struct kw_session_info *s, int64_t run, int64_t *exam,
                    char *title, size_t tn, struct kw_err *err)
{
	json_t *r = NULL;
	int rc = kw_seating_get(app, s, run, &r, err);
	if (!rc) {
		*exam = json_integer_value(json_object_get(r, "exam_id"));
		struct kw_conn *c = kw_pool_get(app->pool);
		struct kw_stmt *st = NULL;
		rc = kw_conn_prepare(c, "SELECT name FROM exams WHERE id = $1", &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, *exam);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW)
				snprintf(title, tn, "%s", kw_stmt_column_text(st, 0, NULL));
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		kw_pool_put(app->pool, c);
	}
	json_decref(r);
	return rc;
}

/* ---- door labels ---- */

struct doors {
	struct kw_door_label *v;
	size_t n;
	char **strs; /* owned strings, freed together */
	size_t ns, cap_s;
};

static const char *keep(struct doors *d, const char *s)
{
	if (d->ns == d->cap_s) {
		d->cap_s = d->cap_s ? d->cap_s * 2 : 64;
		d->strs = kw_xrealloc(d->strs, d->cap_s * sizeof *d->strs);
	}
	return d->strs[d->ns++] = kw_xstrdup(s ? s : "");
}

static int render_doors(void *arg, struct kw_buf *out, struct kw_err *err)
{
	const struct doors *d = arg;
	return kw_door_labels_pdf(d->v, d->n, out, err);
}

static void doors_release(struct doors *d)
{
	for (size_t i = 0; i < d->ns; i++)
		free(d->strs[i]);
	free(d->strs);
	free(d->v);
	memset(d, 0, sizeof *d);
}

/* The door labels of the run's exam rooms (of one centre's code, or all for ""). */
static int door_rows(struct kw_conn *c, int64_t run, const char *centre, const char *title,
                     const struct subj *subj, size_t nsubj, struct doors *d, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT x.number, x.subjects, x.seats_taken, x.first_ticket, "
	                         "x.last_ticket, c.name FROM exam_rooms x JOIN centres c ON c.id = "
	                         "x.centre_id WHERE x.run_id = $1 AND ($2 = '' OR c.code = $2) "
	                         "ORDER BY c.code, x.number",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		kw_stmt_bind_textz(st, 2, centre ? centre : "");
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (d->n == cap) {
				cap = cap ? cap * 2 : 64;
				d->v = kw_xrealloc(d->v, cap * sizeof *d->v);
			}
			char num[16], name[400], when[300];
			snprintf(num, sizeof num, "%02lld", (long long)kw_stmt_column_int64(st, 0));
			group_text(subj, nsubj, kw_stmt_column_text(st, 1, NULL), name, sizeof name,
			           when, sizeof when);
			d->v[d->n++] = (struct kw_door_label){
			        .exam_title = keep(d, title),
			        .centre_name = keep(d, kw_stmt_column_text(st, 5, NULL)),
			        .room_no = keep(d, num),
			        .subject = keep(d, name),
			        .sitting = keep(d, when),
			        .first_ticket = keep(d, kw_stmt_column_text(st, 3, NULL)),
			        .last_ticket = keep(d, kw_stmt_column_text(st, 4, NULL)),
			        .count = (long)kw_stmt_column_int64(st, 2)};
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_seating_door_labels(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           const char *centre, char **pdf, size_t *n, struct kw_err *err)
{
	int64_t exam = 0;
	char title[300] = "";
	int rc = run_exam(app, s, run, &exam, title, sizeof title, err);
	struct subj *subj = NULL;
	size_t nsubj = 0;
	struct doors d = {0};
	struct kw_conn *c = kw_pool_get(app->pool);
	if (!rc)
		rc = subjects_of(c, exam, &subj, &nsubj, err);
	if (!rc)
		rc = door_rows(c, run, centre, title, subj, nsubj, &d, err);
	kw_pool_put(app->pool, c);
	if (!rc && d.n == 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                "no exam rooms for that centre");
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, DOC_MAX);
	if (!rc)
		rc = kw_render_isolated(render_doors, &d, &b, err);
	if (!rc)
		*pdf = kw_buf_detach(&b, n);
	kw_buf_release(&b);
	doors_release(&d);
	free(subj);
	return rc;
}

/* ---- desk labels ---- */

struct desks {
	struct kw_desk_label *v;
	size_t n;
	struct doors strings;
};

static int render_desks(void *arg, struct kw_buf *out, struct kw_err *err)
{
	const struct desks *d = arg;
	return kw_desk_labels_pdf(d->v, d->n, out, err);
}

static void desks_release(struct desks *d)
{
	doors_release(&d->strings);
	free(d->v);
	memset(d, 0, sizeof *d);
}

/* The desk labels of one centre's seats (by its code), in room and seat order. */
static int desk_rows(struct kw_conn *c, int64_t run, const char *centre, struct desks *d,
                     struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	size_t cap = 0;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT x.number, s.seat_no, s.ticket_no, d.name FROM seats s JOIN "
	                        "exam_rooms x ON x.id = s.exam_room_id JOIN centres c ON c.id = "
	                        "x.centre_id JOIN registrations r ON r.id = s.registration_id JOIN "
	                        "candidates d ON d.id = r.candidate_id WHERE s.run_id = $1 AND "
	                        "c.code = $2 ORDER BY x.number, s.seat_no",
	                        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		kw_stmt_bind_textz(st, 2, centre);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (d->n == cap) {
				cap = cap ? cap * 2 : 256;
				d->v = kw_xrealloc(d->v, cap * sizeof *d->v);
			}
			char num[16];
			snprintf(num, sizeof num, "%02lld", (long long)kw_stmt_column_int64(st, 0));
			d->v[d->n++] = (struct kw_desk_label){
			        .room_no = keep(&d->strings, num),
			        .seat_no = (long)kw_stmt_column_int64(st, 1),
			        .ticket_no = keep(&d->strings, kw_stmt_column_text(st, 2, NULL)),
			        .name = keep(&d->strings, kw_stmt_column_text(st, 3, NULL))};
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_seating_desk_labels(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           const char *centre, char **pdf, size_t *n, struct kw_err *err)
{
	if (!centre || !*centre) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "centre", "problem", "required"));
		return KW_EINVAL;
	}
	int64_t exam = 0;
	char title[300] = "";
	int rc = run_exam(app, s, run, &exam, title, sizeof title, err);
	struct desks d = {0};
	struct kw_conn *c = kw_pool_get(app->pool);
	if (!rc)
		rc = desk_rows(c, run, centre, &d, err);
	kw_pool_put(app->pool, c);
	if (!rc && d.n == 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no seats in that centre");
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, DOC_MAX);
	if (!rc)
		rc = kw_render_isolated(render_desks, &d, &b, err);
	if (!rc)
		*pdf = kw_buf_detach(&b, n);
	kw_buf_release(&b);
	desks_release(&d);
	return rc;
}

/* ---- the paper order (PAP-4) ---- */

static int spares_per_room(struct kw_conn *c, int64_t exam, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	char ruleset[16] = "AH";
	int rc = kw_conn_prepare(c, "SELECT ruleset FROM exams WHERE id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		if (kw_stmt_step(st, err) == KW_ROW)
			snprintf(ruleset, sizeof ruleset, "%s", kw_stmt_column_text(st, 0, NULL));
	}
	kw_stmt_finalize(st);
	json_t *res = NULL;
	int v = kw_app_rule_params(ruleset, &res, NULL) == 0
	                ? kw_app_param_int(res, "paper_spares_per_room", 2)
	                : 2;
	json_decref(res);
	return v;
}

int kw_seating_paper_order(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           char **xlsx, size_t *n, struct kw_err *err)
{
	int64_t exam = 0;
	char title[300] = "";
	int rc = run_exam(app, s, run, &exam, title, sizeof title, err);
	struct subj *subj = NULL;
	size_t nsubj = 0;
	struct kw_conn *c = kw_pool_get(app->pool);
	if (!rc)
		rc = subjects_of(c, exam, &subj, &nsubj, err);
	int spares = rc ? 0 : spares_per_room(c, exam, err);
	json_t *rows = json_array();
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT u.code, c.code, c.name, x.number, x.subjects, x.seats_taken "
		        "FROM exam_rooms x JOIN centres c ON c.id = x.centre_id JOIN units "
		        "u ON u.id = x.area_id WHERE x.run_id = $1 ORDER BY u.code, c.code, "
		        "x.number",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			char k[420];
			snprintf(k, sizeof k, "+%s+", kw_stmt_column_text(st, 4, NULL));
			for (size_t i = 0; i < nsubj; i++) {
				char t[40];
				snprintf(t, sizeof t, "+%s+", subj[i].code);
				if (!strstr(k, t))
					continue;
				json_int_t cands = (json_int_t)kw_stmt_column_int64(st, 5);
				json_array_append_new(
				        rows, json_pack("[s, s, s, I, s, s, s, I, I, I]",
				                        kw_stmt_column_text(st, 0, NULL),
				                        kw_stmt_column_text(st, 1, NULL),
				                        kw_stmt_column_text(st, 2, NULL),
				                        (json_int_t)kw_stmt_column_int64(st, 3),
				                        subj[i].code, subj[i].name, subj[i].when,
				                        cands, (json_int_t)spares, cands + spares));
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	static const char *const headers[] = {"考区",     "考点代码", "考点名称", "考场号",
	                                      "科目代码", "科目名称", "考试时间", "考生人数",
	                                      "备用卷",   "订卷数"};
	if (!rc)
		rc = kw_xlsx_table("试卷预订", headers, sizeof headers / sizeof headers[0], rows,
		                   xlsx, n, err);
	json_decref(rows);
	free(subj);
	return rc;
}

/* ---- a centre's posted and printed documents (VEN-3, VEN-5) ---- */

struct cdocs {
	const char *doc;
	struct doors strings;
	struct kw_signin_sheet *sheets;
	struct kw_seating_chart *charts;
	size_t nrooms;
	struct kw_alloc_table alloc;
	struct kw_alloc_row *alloc_rows;
	struct kw_gate_sign gate;
	unsigned char **photos;
	size_t nphotos;
};

static int render_cdocs(void *arg, struct kw_buf *out, struct kw_err *err)
{
	const struct cdocs *d = arg;
	if (strcmp(d->doc, "signin") == 0)
		return kw_signin_sheets_pdf(d->sheets, d->nrooms, out, err);
	if (strcmp(d->doc, "chart") == 0)
		return kw_seating_charts_pdf(d->charts, d->nrooms, out, err);
	if (strcmp(d->doc, "allocation") == 0)
		return kw_alloc_table_pdf(&d->alloc, out, err);
	return kw_gate_sign_pdf(&d->gate, out, err);
}

/* The seats of one exam room (seat order), into the room's sheet and chart. */
static int room_seats(struct kw_conn *c, struct cdocs *d, size_t k, int64_t room,
                      const struct kw_seat_rule *rule, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	size_t cap = 0, n = 0;
	struct kw_signin_row *rows = NULL;
	struct kw_chart_seat *seats = NULL;
	int want_photo = strcmp(d->doc, "signin") == 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT s.seat_no, s.ticket_no, d.name, d.id_number, (SELECT b.data FROM files f "
	        "JOIN file_blobs b ON b.sha256 = f.sha256 WHERE f.candidate_id = d.id AND "
	        "f.purpose "
	        "= 'photo' AND f.media_type = 'image/jpeg' ORDER BY f.id DESC LIMIT 1) FROM seats "
	        "s "
	        "JOIN registrations r ON r.id = s.registration_id JOIN candidates d ON d.id = "
	        "r.candidate_id WHERE s.exam_room_id = $1 ORDER BY s.seat_no",
	        &st, err);
	long maxseat = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, room);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				rows = kw_xrealloc(rows, cap * sizeof *rows);
				seats = kw_xrealloc(seats, cap * sizeof *seats);
			}
			long no = (long)kw_stmt_column_int64(st, 0);
			char masked[64];
			kw_mask_id_number(kw_stmt_column_text(st, 3, NULL), masked, sizeof masked);
			const unsigned char *photo = NULL;
			size_t plen = 0;
			if (want_photo && !kw_stmt_column_is_null(st, 4)) {
				const void *b = kw_stmt_column_blob(st, 4, &plen);
				unsigned char *p = kw_xmalloc(plen ? plen : 1);
				memcpy(p, b, plen);
				d->photos = kw_xrealloc(d->photos,
				                        (d->nphotos + 1) * sizeof *d->photos);
				d->photos[d->nphotos++] = p;
				photo = p;
			}
			const char *ticket = keep(&d->strings, kw_stmt_column_text(st, 1, NULL));
			const char *name = keep(&d->strings, kw_stmt_column_text(st, 2, NULL));
			rows[n] = (struct kw_signin_row){
			        no, ticket, name, keep(&d->strings, masked), photo, plen};
			uint32_t r, col;
			kw_seat_chart_pos(rule, (uint32_t)no, &r, &col);
			seats[n] = (struct kw_chart_seat){no, (long)r, (long)col, ticket, name};
			if (no > maxseat)
				maxseat = no;
			n++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	d->sheets[k].rows = rows;
	d->sheets[k].nrows = n;
	d->charts[k].seats = seats;
	d->charts[k].nseats = n;
	d->charts[k].cols = rule->columns;
	d->charts[k].rows = (maxseat + rule->columns - 1) / rule->columns;
	if (d->charts[k].rows < 1)
		d->charts[k].rows = 1;
	return rc;
}

static void cdocs_release(struct cdocs *d)
{
	for (size_t i = 0; i < d->nrooms; i++) {
		free((void *)d->sheets[i].rows);
		free((void *)d->charts[i].seats);
	}
	free(d->sheets);
	free(d->charts);
	free(d->alloc_rows);
	for (size_t i = 0; i < d->nphotos; i++)
		free(d->photos[i]);
	free(d->photos);
	for (size_t i = 0; i < d->strings.ns; i++)
		free(d->strings.strs[i]);
	free(d->strings.strs);
}

int kw_seating_centre_doc(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                          const char *doc, const char *centre, char **pdf, size_t *n,
                          struct kw_err *err)
{
	static const char *const docs[] = {"signin", "chart", "allocation", "gate"};
	int known = 0;
	for (size_t i = 0; i < 4; i++)
		known |= doc && strcmp(doc, docs[i]) == 0;
	if (!known)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such document");
	if (!centre || !*centre) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "centre", "problem", "required"));
		return KW_EINVAL;
	}
	json_t *r = NULL;
	int rc = kw_seating_get(app, s, run, &r, err);
	struct kw_seat_rule rule;
	kw_seat_rule_default(&rule, 30, 2000);
	if (!rc)
		rc = kw_seat_rule_from_json(&rule, json_object_get(r, "rule"), err);
	int64_t exam = rc ? 0 : json_integer_value(json_object_get(r, "exam_id"));
	json_decref(r);
	char title[300] = "";
	struct subj *subj = NULL;
	size_t nsubj = 0;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct cdocs d = {.doc = doc};
	if (!rc) {
		struct kw_stmt *st = NULL;
		rc = kw_conn_prepare(c, "SELECT name FROM exams WHERE id = $1", &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, exam);
			if ((rc = kw_stmt_step(st, err)) == KW_ROW)
				snprintf(title, sizeof title, "%s",
				         kw_stmt_column_text(st, 0, NULL));
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
	}
	if (!rc)
		rc = subjects_of(c, exam, &subj, &nsubj, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT x.id, x.number, x.subjects, x.seats_taken, x.first_ticket, "
		        "x.last_ticket, m.code, m.floor, c.name, c.address, u.name FROM "
		        "exam_rooms x JOIN centres c ON c.id = x.centre_id JOIN rooms m ON "
		        "m.id = x.room_id JOIN units u ON u.id = x.area_id WHERE x.run_id = "
		        "$1 AND c.code = $2 ORDER BY x.number",
		        &st, err);
	int64_t *ids = NULL;
	size_t cap = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		kw_stmt_bind_textz(st, 2, centre);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (d.nrooms == cap) {
				cap = cap ? cap * 2 : 16;
				d.sheets = kw_xrealloc(d.sheets, cap * sizeof *d.sheets);
				d.charts = kw_xrealloc(d.charts, cap * sizeof *d.charts);
				d.alloc_rows =
				        kw_xrealloc(d.alloc_rows, cap * sizeof *d.alloc_rows);
				ids = kw_xrealloc(ids, cap * sizeof *ids);
			}
			size_t k = d.nrooms++;
			char num[16], name[400], when[300], floor[24] = "";
			snprintf(num, sizeof num, "%02lld", (long long)kw_stmt_column_int64(st, 1));
			group_text(subj, nsubj, kw_stmt_column_text(st, 2, NULL), name, sizeof name,
			           when, sizeof when);
			if (!kw_stmt_column_is_null(st, 7))
				snprintf(floor, sizeof floor, "%lld楼",
				         (long long)kw_stmt_column_int64(st, 7));
			ids[k] = kw_stmt_column_int64(st, 0);
			const char *t = keep(&d.strings, title),
			           *cn = keep(&d.strings, kw_stmt_column_text(st, 8, NULL));
			const char *rn = keep(&d.strings, num), *sj = keep(&d.strings, name),
			           *wh = keep(&d.strings, when);
			d.sheets[k] = (struct kw_signin_sheet){t, cn, rn, sj, wh, NULL, 0};
			d.charts[k] = (struct kw_seating_chart){t, cn, rn, sj, wh, 1, 1, NULL, 0};
			d.alloc_rows[k] = (struct kw_alloc_row){
			        rn,
			        keep(&d.strings, kw_stmt_column_text(st, 6, NULL)),
			        keep(&d.strings, floor),
			        sj,
			        keep(&d.strings, kw_stmt_column_text(st, 4, NULL)),
			        keep(&d.strings, kw_stmt_column_text(st, 5, NULL)),
			        (long)kw_stmt_column_int64(st, 3)};
			d.alloc = (struct kw_alloc_table){
			        t, cn, keep(&d.strings, kw_stmt_column_text(st, 9, NULL)), NULL, 0};
			d.gate = (struct kw_gate_sign){
			        t, keep(&d.strings, kw_stmt_column_text(st, 10, NULL)), cn};
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	d.alloc.rows = d.alloc_rows;
	d.alloc.nrows = d.nrooms;
	if (!rc && d.nrooms == 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                "no exam rooms for that centre");
	int per_room = strcmp(doc, "signin") == 0 || strcmp(doc, "chart") == 0;
	for (size_t k = 0; !rc && per_room && k < d.nrooms; k++)
		rc = room_seats(c, &d, k, ids[k], &rule, err);
	kw_pool_put(app->pool, c);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, DOC_MAX);
	if (!rc)
		rc = kw_render_isolated(render_cdocs, &d, &b, err);
	if (!rc)
		*pdf = kw_buf_detach(&b, n);
	kw_buf_release(&b);
	cdocs_release(&d);
	free(ids);
	free(subj);
	return rc;
}

/* ---- every door or desk label of an exam, one PDF per centre (app/bulkprint.h) ---- */

struct lb {
	const struct kw_bulkprint_opts *o;
	struct kw_bulkprint_report *rep;
	struct kw_conn *c;
	int64_t run;
	int desk;
	char title[300];
	struct subj *subj;
	size_t nsubj;
	char (*centres)[64];
	size_t n, next;
	uint64_t *pages; /* by centre: the pages of its PDF */
};

static int lb_next(void *data, uint64_t *id, struct kw_buf *job, struct kw_err *err)
{
	struct lb *b = data;
	if (b->next >= b->n)
		return 0;
	size_t i = b->next++;
	int rc;
	if (b->desk) {
		struct desks d = {0};
		rc = desk_rows(b->c, b->run, b->centres[i], &d, err);
		if (!rc) {
			kw_desk_labels_encode(d.v, d.n, job);
			b->pages[i] = (d.n + 11) / 12;
		}
		desks_release(&d);
	} else {
		struct doors d = {0};
		rc = door_rows(b->c, b->run, b->centres[i], b->title, b->subj, b->nsubj, &d, err);
		if (!rc) {
			kw_door_labels_encode(d.v, d.n, job);
			b->pages[i] = d.n;
		}
		doors_release(&d);
	}
	*id = i;
	return rc ? rc : 1;
}

/* In a worker: one centre's labels to a PDF. */
static int lb_render(void *data, const void *job, size_t n, struct kw_buf *out, struct kw_err *err)
{
	const struct lb *b = data;
	size_t nv = 0;
	int rc;
	if (b->desk) {
		struct kw_desk_label *v = NULL;
		rc = kw_desk_labels_decode(job, n, &v, &nv, err);
		if (!rc)
			rc = kw_desk_labels_pdf(v, nv, out, err);
		free(v);
	} else {
		struct kw_door_label *v = NULL;
		rc = kw_door_labels_decode(job, n, &v, &nv, err);
		if (!rc)
			rc = kw_door_labels_pdf(v, nv, out, err);
		free(v);
	}
	return rc;
}

static int lb_done(void *data, uint64_t id, int rc, const char *doc, size_t n,
                   const struct kw_err *failure, struct kw_err *err)
{
	(void)err;
	struct lb *b = data;
	struct kw_err werr = KW_ERR_INIT;
	if (!rc)
		rc = kw_bulkprint_write(b->o->out_dir, b->centres[id],
		                        b->desk ? "desk-labels.pdf" : "door-labels.pdf", doc, n,
		                        &werr);
	if (!rc) {
		b->rep->written++;
		b->rep->rendered++;
		b->rep->pages += b->pages[id];
	} else {
		const struct kw_err *why = failure ? failure : &werr;
		b->rep->failed++;
		kw_bulkprint_problem(b->rep, b->centres[id], why->code, why->msg);
	}
	kw_err_release(&werr);
	if (b->o->progress)
		b->o->progress(b->o->progress_data, b->rep->written + b->rep->failed,
		               b->rep->total);
	return 0;
}

static int lb_warm(void *data, struct kw_err *err)
{
	(void)data;
	(void)err;
	kw_pdf_warm();
	return 0;
}

/* The centres with exam rooms in the run (one, when o->centre is given). */
static int lb_centres(struct lb *b, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	size_t cap = 0;
	int rc =
	        kw_conn_prepare(b->c,
	                        "SELECT DISTINCT c.code FROM exam_rooms x JOIN centres c ON c.id = "
	                        "x.centre_id WHERE x.run_id = $1 AND ($2 = '' OR c.code = $2) "
	                        "ORDER BY c.code",
	                        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, b->run);
		kw_stmt_bind_textz(st, 2, b->o->centre ? b->o->centre : "");
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (b->n == cap) {
				cap = cap ? cap * 2 : 64;
				b->centres = kw_xrealloc(b->centres, cap * sizeof *b->centres);
			}
			snprintf(b->centres[b->n++], sizeof b->centres[0], "%s",
			         kw_stmt_column_text(st, 0, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !b->n)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                "no exam rooms for that centre");
	return rc;
}

int kw_labels_render_all(struct kw_app *app, const struct kw_bulkprint_opts *o,
                         struct kw_bulkprint_report *rep, struct kw_err *err)
{
	memset(rep, 0, sizeof *rep);
	int64_t t0 = kw_clock_mono_us();
	const char *kind = o->kind ? o->kind : "door";
	if (strcmp(kind, "door") != 0 && strcmp(kind, "desk") != 0) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "kind", "problem", "not_allowed"));
		return KW_EINVAL;
	}
	struct lb b = {.o = o, .rep = rep, .desk = strcmp(kind, "desk") == 0};
	b.c = kw_pool_get(app->pool);
	int64_t exam = 0;
	int rc = kw_bulkprint_run_of(b.c, o->exam, &exam, &b.run, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(b.c, "SELECT name FROM exams WHERE id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW)
			snprintf(b.title, sizeof b.title, "%s", kw_stmt_column_text(st, 0, NULL));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc)
		rc = subjects_of(b.c, exam, &b.subj, &b.nsubj, err);
	if (!rc)
		rc = lb_centres(&b, err);
	if (!rc)
		rc = kw_bulkprint_out_dir(o->out_dir, err);
	struct kw_render_pool *pool = NULL;
	if (!rc) {
		rep->total = b.n;
		b.pages = kw_xcalloc(b.n, sizeof *b.pages);
		struct kw_render_pool_config cfg = {.workers = o->workers,
		                                    .jobs_per_worker = o->per_worker,
		                                    .doc_max = DOC_MAX,
		                                    .render = lb_render,
		                                    .next = lb_next,
		                                    .done = lb_done,
		                                    .warm = lb_warm,
		                                    .data = &b};
		rc = kw_render_pool_create(&cfg, &pool, err);
	}
	if (!rc) {
		rc = kw_render_pool_run(pool, err);
		struct kw_render_pool_stats ps;
		kw_render_pool_stats(pool, &ps);
		rep->workers = o->workers > 0 ? o->workers : (int)sysconf(_SC_NPROCESSORS_ONLN);
		rep->workers_started = ps.workers_started;
		rep->workers_crashed = ps.workers_crashed;
		rep->worker_max_rss_kb = ps.worker_max_rss_kb;
		rep->render_seconds = ps.seconds;
	}
	kw_render_pool_free(pool);
	kw_pool_put(app->pool, b.c);
	free(b.centres);
	free(b.pages);
	free(b.subj);
	rep->seconds = (double)(kw_clock_mono_us() - t0) / 1e6;
	return rc;
}
