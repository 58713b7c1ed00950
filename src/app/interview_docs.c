/*
 * The interview day's documents: see interview_docs.h. The panel, the day and the settings
 * come through app/interview.h (kw_interview_panel_get audits the read of the examiner list);
 * the scores, sign-offs and the room draw are read here, with the same rules as there: the
 * examiners' scores of an order number only once all are in, a ticket only after the chief.
 */
#include "app/interview_docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/examref.h"
#include "app/interview.h"
#include "core/interview.h"
#include "core/score.h"
#include "render/interview_docs.h"
#include "util/clock.h"

#define MAX_WAITING     20
#define MAX_WAITING_LEN 40

/* Hundredths with two decimals: 7140 → "71.40". */
static json_t *two_dp(int64_t h)
{
	char b[32];
	snprintf(b, sizeof b, "%lld.%02lld", (long long)(h / 100), (long long)(h % 100));
	return json_string(b);
}

static json_t *score_text(int64_t h)
{
	char b[24];
	kw_score_fmt((int32_t)h, b, sizeof b);
	return json_string(b);
}

/* An instant as the people on the spot read it: "2027-01-10 09:31:05" China time. */
static void china_time(int64_t us, char out[32])
{
	time_t t = (time_t)(us / 1000000) + 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static json_t *china_text(const char *rfc3339)
{
	int64_t us;
	char b[32];
	if (!rfc3339 || kw_clock_parse(rfc3339, &us))
		return json_null();
	china_time(us, b);
	return json_string(b);
}

static void printed_at(json_t *doc)
{
	char b[32];
	china_time(kw_clock_now_us(), b);
	json_object_set_new(doc, "printed_at", json_string(b));
}

static const char *seat_title(const char *duty)
{
	return !strcmp(duty, "chief") ? "主考官" : !strcmp(duty, "deputy") ? "副主考官" : "考官";
}

/* "100011 科员；100012 …" for a JSON array of position ids. */
static int positions_text(struct kw_conn *c, const json_t *ids, json_t **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 4096);
	int rc = 0;
	size_t i;
	const json_t *id;
	json_array_foreach(ids, i, id)
	{
		struct kw_stmt *q = NULL;
		rc = kw_conn_prepare(c, "SELECT code, name FROM positions WHERE id = $1", &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, json_integer_value(id));
			if ((rc = kw_stmt_step(q, err)) == KW_ROW)
				kw_buf_addf(&b, "%s%s %s", b.len ? "；" : "",
				            kw_stmt_column_text(q, 0, NULL),
				            kw_stmt_column_text(q, 1, NULL));
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(q);
		if (rc)
			break;
	}
	if (!rc)
		*out = json_string(b.buf ? b.buf : "");
	kw_buf_release(&b);
	return rc;
}

/* The room draw of a day: *drawn, and its result (owned; NULL before the draw). */
static int room_draw(struct kw_conn *c, int64_t day, int *drawn, json_t **result,
                     struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	*drawn = 0;
	*result = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT status, result FROM interview_draws WHERE day_id = $1 "
	                         "AND kind = 'rooms'",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, day);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW && !kw_stmt_column_is_null(q, 1) &&
		    !strcmp(kw_stmt_column_text(q, 0, NULL), "drawn")) {
			*drawn = 1;
			*result = json_loads(kw_stmt_column_text(q, 1, NULL), 0, NULL);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

/* ---- a panel's documents ---- */

struct examiner {
	int64_t staff;
	char code[64], name[128], duty[16];
};

struct cand {
	int64_t id, order, score; /* score -1: not computed */
	char stage[16];
	json_t *signed_at[3]; /* scorer, supervisor, chief: China time or null (owned) */
	json_t *ticket;       /* after the chief's sign-off, else null (owned) */
};

/* One examiner's entry for one candidate. */
struct entry {
	int present;
	int64_t total, corrections;
	json_t *scores; /* hundredths (owned) */
};

struct pdoc {
	json_t *panel, *day, *settings, *positions;
	struct kw_exam_ref e;
	json_t *room; /* the drawn room's name, or null */
	struct examiner *ex;
	size_t nex;
	struct cand *cd;
	size_t ncd;
	struct entry *en; /* ncd × nex */
};

static void pdoc_release(struct pdoc *p)
{
	for (size_t i = 0; i < p->ncd; i++) {
		for (int k = 0; k < 3; k++)
			json_decref(p->cd[i].signed_at[k]);
		json_decref(p->cd[i].ticket);
	}
	for (size_t i = 0; p->en && i < p->ncd * p->nex; i++)
		json_decref(p->en[i].scores);
	json_decref(p->panel);
	json_decref(p->day);
	json_decref(p->settings);
	json_decref(p->positions);
	json_decref(p->room);
	free(p->ex);
	free(p->cd);
	free(p->en);
	memset(p, 0, sizeof *p);
}

/* The panel's row: its exam, start and day; then the checks in their order — the exam in
 * reach for interview.manage (NOT_FOUND otherwise), the start (SEC-1), a day. */
static int panel_check(struct kw_conn *c, const struct kw_session_info *s, int64_t id,
                       struct kw_exam_ref *e, int64_t *day, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	int found = 0;
	int64_t exam = 0, starts = 0;
	char starts_at[48] = "";
	*day = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT p.exam_id, p.starts_at, x.day_id FROM interview_panels p "
	                         "LEFT JOIN interview_day_panels x ON x.panel_id = p.id WHERE "
	                         "p.id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			found = 1;
			exam = kw_stmt_column_int64(q, 0);
			snprintf(starts_at, sizeof starts_at, "%s",
			         kw_stmt_column_text(q, 1, NULL));
			*day = kw_stmt_column_is_null(q, 2) ? 0 : kw_stmt_column_int64(q, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !found)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such panel");
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.manage", exam, e, err);
	if (rc)
		return rc;
	if (kw_clock_parse(starts_at, &starts))
		starts = 0;
	if (kw_clock_now_us() < starts) {
		kw_err_set(err, KW_EFORBIDDEN, "INTERVIEW_EXAMINERS_SECRET", "SEC-1",
		           "the score sheets and the summary name the examiners, secret until the "
		           "interview starts");
		kw_err_detail(err, "starts_at", json_string(starts_at));
		return KW_EFORBIDDEN;
	}
	if (!*day)
		return kw_err_set(err, KW_ECONFLICT, "INTERVIEW_NOT_SCHEDULED", "INT-4",
		                  "the panel has no interview day yet");
	return 0;
}

static int load_examiners(struct kw_conn *c, int64_t panel, struct pdoc *p, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	size_t cap = 0;
	/* in examiner-code order, as GET …/orders/{no}/scores lists them (and marks the
	 * dropped totals) on each database */
	int rc = kw_conn_prepare(c,
	                         "SELECT m.staff_id, f.code, f.name, m.duty FROM "
	                         "interview_panel_members m JOIN staff f ON f.id = m.staff_id "
	                         "WHERE m.panel_id = $1 AND m.duty IN ('chief', 'deputy', "
	                         "'examiner') ORDER BY f.code",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, panel);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			if (p->nex == cap) {
				cap = cap ? 2 * cap : 8;
				p->ex = kw_xrealloc(p->ex, cap * sizeof *p->ex);
			}
			struct examiner *x = &p->ex[p->nex++];
			x->staff = kw_stmt_column_int64(q, 0);
			snprintf(x->code, sizeof x->code, "%s", kw_stmt_column_text(q, 1, NULL));
			snprintf(x->name, sizeof x->name, "%s", kw_stmt_column_text(q, 2, NULL));
			snprintf(x->duty, sizeof x->duty, "%s", kw_stmt_column_text(q, 3, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

static int load_candidates(struct kw_conn *c, int64_t panel, struct pdoc *p, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	size_t cap = 0;
	/* the ticket leaves the database only for an order number the chief has signed */
	int rc = kw_conn_prepare(
	        c,
	        "SELECT c.id, c.order_no, c.stage, c.score, c.scorer_at, c.supervisor_at, "
	        "c.chief_at, CASE WHEN c.stage = 'chief' THEN (SELECT MIN(e.ticket_no) FROM "
	        "interview_shortlist_entries e WHERE e.registration_id = c.registration_id) END "
	        "FROM interview_candidates c WHERE c.panel_id = $1 ORDER BY c.order_no",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, panel);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			if (p->ncd == cap) {
				cap = cap ? 2 * cap : 16;
				p->cd = kw_xrealloc(p->cd, cap * sizeof *p->cd);
			}
			struct cand *x = &p->cd[p->ncd++];
			x->id = kw_stmt_column_int64(q, 0);
			x->order = kw_stmt_column_int64(q, 1);
			snprintf(x->stage, sizeof x->stage, "%s", kw_stmt_column_text(q, 2, NULL));
			x->score = kw_stmt_column_is_null(q, 3) ? -1 : kw_stmt_column_int64(q, 3);
			for (int k = 0; k < 3; k++)
				x->signed_at[k] =
				        kw_stmt_column_is_null(q, 4 + k)
				                ? json_null()
				                : china_text(kw_stmt_column_text(q, 4 + k, NULL));
			int chief = !strcmp(x->stage, "chief") && !kw_stmt_column_is_null(q, 7);
			x->ticket =
			        chief ? json_string(kw_stmt_column_text(q, 7, NULL)) : json_null();
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

static int load_scores(struct kw_conn *c, int64_t panel, struct pdoc *p, struct kw_err *err)
{
	p->en = kw_xmalloc((p->ncd * p->nex + 1) * sizeof *p->en);
	memset(p->en, 0, (p->ncd * p->nex + 1) * sizeof *p->en);
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT x.candidate_id, x.staff_id, x.scores, x.total, "
	                         "x.corrections FROM interview_scores x JOIN interview_candidates "
	                         "c ON c.id = x.candidate_id WHERE c.panel_id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, panel);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			int64_t cid = kw_stmt_column_int64(q, 0), sid = kw_stmt_column_int64(q, 1);
			size_t i = 0, k = 0;
			while (i < p->ncd && p->cd[i].id != cid)
				i++;
			while (k < p->nex && p->ex[k].staff != sid)
				k++;
			if (i == p->ncd || k == p->nex)
				continue;
			struct entry *en = &p->en[i * p->nex + k];
			en->present = 1;
			en->total = kw_stmt_column_int64(q, 3);
			en->corrections = kw_stmt_column_int64(q, 4);
			json_decref(en->scores);
			en->scores = json_loads(kw_stmt_column_text(q, 2, NULL), 0, NULL);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

static int pdoc_load(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, struct pdoc *p,
                     struct kw_err *err)
{
	memset(p, 0, sizeof *p);
	int64_t day = 0;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = panel_check(c, s, id, &p->e, &day, err);
	kw_pool_put(app->pool, c);
	/* the member list as interview.h gives it, its read audited (interview.examiners.read) */
	if (!rc)
		rc = kw_interview_panel_get(app, actor, s, id, &p->panel, err);
	if (!rc)
		rc = kw_interview_day_get(app, s, day, &p->day, err);
	if (!rc)
		rc = kw_interview_settings_get(app, s, p->e.id, &p->settings, err);
	if (rc)
		return rc;
	c = kw_pool_get(app->pool);
	json_t *result = NULL;
	int drawn = 0;
	rc = positions_text(c, json_object_get(p->panel, "positions"), &p->positions, err);
	if (!rc)
		rc = room_draw(c, day, &drawn, &result, err);
	p->room = json_null();
	size_t k;
	json_t *r;
	json_array_foreach(result, k,
	                   r) if (json_integer_value(json_object_get(r, "panel_id")) == id)
	{
		json_decref(p->room);
		p->room = json_incref(json_object_get(r, "room"));
	}
	json_decref(result);
	if (!rc)
		rc = load_examiners(c, id, p, err);
	if (!rc)
		rc = load_candidates(c, id, p, err);
	if (!rc)
		rc = load_scores(c, id, p, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* The head every panel document shares. */
static json_t *pdoc_head(const struct pdoc *p)
{
	/* the panel's code, with its format's name where the panel has one (INT-5) */
	const char *code = json_string_value(json_object_get(p->panel, "code"));
	const char *fmt =
	        json_string_value(json_object_get(json_object_get(p->panel, "format_name"), "zh"));
	char panel[256];
	if (fmt)
		snprintf(panel, sizeof panel, "%s（%s）", code ? code : "", fmt);
	else
		snprintf(panel, sizeof panel, "%s", code ? code : "");
	json_t *doc =
	        json_pack("{s:s, s:O, s:s, s:O, s:O}", "exam", p->e.name, "positions", p->positions,
	                  "panel", panel, "room", p->room, "day", json_object_get(p->day, "day"));
	printed_at(doc);
	return doc;
}

static int render(int (*fn)(const json_t *, struct kw_buf *, struct kw_err *), json_t *doc,
                  struct kw_buf *pdf, struct kw_err *err)
{
	int rc = fn(doc, pdf, err);
	json_decref(doc);
	return rc;
}

int kw_interview_score_sheets(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t panel, struct kw_buf *pdf,
                              struct kw_err *err)
{
	struct pdoc p;
	int rc = pdoc_load(app, actor, s, panel, &p, err);
	if (rc) {
		pdoc_release(&p);
		return rc;
	}
	json_t *doc = pdoc_head(&p), *sheets = json_array();
	/* the panel's own sheet where it has one (a format's, INT-5), else the day's */
	json_t *dims = json_object_get(p.panel, "dimensions");
	json_object_set(doc, "dimensions",
	                json_is_array(dims) ? dims : json_object_get(p.day, "dimensions"));
	for (size_t k = 0; k < p.nex; k++) {
		json_t *rows = json_array();
		for (size_t i = 0; i < p.ncd; i++) {
			const struct entry *en = &p.en[i * p.nex + k];
			json_t *sc = json_null();
			if (en->present) {
				size_t d;
				json_t *v;
				json_decref(sc);
				sc = json_array();
				json_array_foreach(en->scores, d, v) json_array_append_new(
				        sc, score_text(json_integer_value(v)));
			}
			json_array_append_new(
			        rows,
			        json_pack("{s:I, s:o, s:o, s:I}", "order_no",
			                  (json_int_t)p.cd[i].order, "scores", sc, "total",
			                  en->present ? two_dp(kw_iv_div_half_up(en->total, 100))
			                              : json_null(),
			                  "corrections", (json_int_t)en->corrections));
		}
		json_array_append_new(sheets, json_pack("{s:s, s:s, s:s, s:o}", "code",
		                                        p.ex[k].code, "name", p.ex[k].name, "seat",
		                                        seat_title(p.ex[k].duty), "rows", rows));
	}
	json_object_set_new(doc, "sheets", sheets);
	pdoc_release(&p);
	return render(kw_iv_score_sheets_pdf_isolated, doc, pdf, err);
}

/* The method as a sentence for the summary. */
static json_t *method_text(const json_t *settings)
{
	const char *m = json_string_value(json_object_get(settings, "method"));
	const char *r = json_string_value(json_object_get(settings, "rounding"));
	char b[512];
	snprintf(b, sizeof b, "%s；%s",
	         m && !strcmp(m, "mean") ? "全体考官总分的平均分（mean）"
	                                 : "去掉一个最高分和一个最低分后取平均（trimmed）",
	         r && !strcmp(r, "half_up_hundredths") ? "保留两位小数，四舍五入，只在最后舍入一次"
	                                               : (r ? r : ""));
	return json_string(b);
}

int kw_interview_summary(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t panel, struct kw_buf *pdf,
                         struct kw_err *err)
{
	struct pdoc p;
	int rc = pdoc_load(app, actor, s, panel, &p, err);
	if (rc) {
		pdoc_release(&p);
		return rc;
	}
	static const char *const duties[3] = {"scorer", "supervisor", "chief"};
	json_t *doc = pdoc_head(&p), *ex = json_array(), *rows = json_array(),
	       *signers = json_object();
	json_object_set_new(doc, "method", method_text(p.settings));
	const char *method = json_string_value(json_object_get(p.settings, "method"));
	int trimmed = !method || strcmp(method, "mean") != 0;
	for (size_t k = 0; k < p.nex; k++)
		json_array_append_new(ex,
		                      json_pack("{s:s, s:s, s:s}", "code", p.ex[k].code, "name",
		                                p.ex[k].name, "seat", seat_title(p.ex[k].duty)));
	size_t i;
	json_t *m;
	json_array_foreach(
	        json_object_get(p.panel, "members"), i,
	        m) for (int d = 0; d < 3;
	                d++) if (!strcmp(json_string_value(json_object_get(m, "duty")), duties[d]))
	        json_object_set(signers, duties[d], json_object_get(m, "name"));
	for (i = 0; i < p.ncd; i++) {
		const struct entry *en = &p.en[i * p.nex];
		json_t *tot = json_array();
		size_t have = 0, hi = 0, lo = 0;
		for (size_t k = 0; k < p.nex; k++) {
			have += en[k].present != 0;
			json_array_append_new(
			        tot, en[k].present ? two_dp(kw_iv_div_half_up(en[k].total, 100))
			                           : json_null());
		}
		/* INT-4: while an examiner has yet to enter, nobody sees the others' totals;
		 * under the trimmed method the first of the highest and of the lowest totals in
		 * examiner-code order are the dropped ones (core/interview.c, app/interview.c) */
		int all = have == p.nex && p.nex > 0, mark = all && trimmed && p.nex >= 3;
		for (size_t k = 1; mark && k < p.nex; k++) {
			if (en[k].total > en[hi].total)
				hi = k;
			if (en[k].total < en[lo].total)
				lo = k;
		}
		if (mark && hi == lo)
			lo = hi == 0 ? 1 : 0;
		const struct cand *cd = &p.cd[i];
		json_array_append_new(
		        rows, json_pack("{s:I, s:o, s:b, s:I, s:I, s:o, s:O, s:O, s:O, s:O}",
		                        "order_no", (json_int_t)cd->order, "totals", tot, "hidden",
		                        !all, "high", (json_int_t)(mark ? (int64_t)hi : -1), "low",
		                        (json_int_t)(mark ? (int64_t)lo : -1), "score",
		                        cd->score < 0 ? json_null() : two_dp(cd->score), "scorer",
		                        cd->signed_at[0], "supervisor", cd->signed_at[1], "chief",
		                        cd->signed_at[2], "ticket_no", cd->ticket));
	}
	json_object_set_new(doc, "examiners", ex);
	json_object_set_new(doc, "signers", signers);
	json_object_set_new(doc, "rows", rows);
	pdoc_release(&p);
	return render(kw_iv_summary_pdf_isolated, doc, pdf, err);
}

/* ---- the room plan ---- */

/* The waiting rooms of the query: names separated by ',', '，' or '、'. */
static int waiting_parse(const char *q, json_t *out, struct kw_err *err)
{
	static const char *const seps[] = {",", "\xef\xbc\x8c", "\xe3\x80\x81"};
	const char *p = q;
	while (p && *p) {
		const char *end = NULL;
		size_t sl = 0;
		for (size_t k = 0; k < 3; k++) {
			const char *f = strstr(p, seps[k]);
			if (f && (!end || f < end)) {
				end = f;
				sl = strlen(seps[k]);
			}
		}
		const char *stop = end ? end : p + strlen(p);
		while (p < stop && *p == ' ')
			p++;
		const char *e = stop;
		while (e > p && e[-1] == ' ')
			e--;
		if (e > p) {
			json_t *v = (size_t)(e - p) <= MAX_WAITING_LEN
			                    ? json_stringn(p, (size_t)(e - p))
			                    : NULL;
			if (!v || json_array_size(out) >= MAX_WAITING) {
				json_decref(v);
				int rc = kw_err_set(
				        err, KW_EINVAL, "QUERY_INVALID", NULL,
				        "waiting_rooms: at most %d names of at most %d bytes",
				        MAX_WAITING, MAX_WAITING_LEN);
				kw_err_detail(err, "name", json_string("waiting_rooms"));
				return rc;
			}
			json_array_append_new(out, v);
		}
		p = end ? end + sl : stop;
	}
	return 0;
}

static int cmp_room(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
	              json_string_value(*(json_t *const *)b));
}

int kw_interview_room_plan(struct kw_app *app, const struct kw_session_info *s, int64_t day,
                           const char *waiting_rooms, struct kw_buf *pdf, struct kw_err *err)
{
	json_t *waiting = json_array(), *d = NULL, *result = NULL, *panels = json_array();
	int rc = waiting_parse(waiting_rooms, waiting, err);
	if (!rc)
		rc = kw_interview_day_get(app, s, day, &d, err);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	int drawn = 0;
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.manage",
		                      json_integer_value(json_object_get(d, "exam_id")), &e, err);
	if (!rc)
		rc = room_draw(c, day, &drawn, &result, err);
	struct kw_stmt *q = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT p.id, p.code, p.positions, p.examiners FROM "
		                     "interview_day_panels x JOIN interview_panels p ON p.id = "
		                     "x.panel_id WHERE x.day_id = $1 ORDER BY p.code",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, day);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW)
			json_array_append_new(
			        panels,
			        json_pack("{s:I, s:s, s:o, s:I}", "id",
			                  (json_int_t)kw_stmt_column_int64(q, 0), "code",
			                  kw_stmt_column_text(q, 1, NULL), "positions",
			                  json_loads(kw_stmt_column_text(q, 2, NULL), 0, NULL),
			                  "examiners", (json_int_t)kw_stmt_column_int64(q, 3)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	json_int_t most = 5;
	size_t k;
	json_t *pn;
	json_array_foreach(panels, k, pn)
	{
		json_t *text = NULL;
		if (!rc)
			rc = positions_text(c, json_object_get(pn, "positions"), &text, err);
		if (!rc)
			json_object_set_new(pn, "positions", text);
		if (k == 0 || json_integer_value(json_object_get(pn, "examiners")) > most)
			most = json_integer_value(json_object_get(pn, "examiners"));
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(waiting);
		json_decref(d);
		json_decref(result);
		json_decref(panels);
		return rc;
	}
	/* the rooms in name order (the order the draw takes them in), each with the panel that
	 * drew it: the draw's result is confidential (INT-2), for interview.manage only */
	json_t *names = json_object_get(d, "rooms");
	size_t nr = json_array_size(names);
	json_t **sorted = kw_xmalloc((nr + 1) * sizeof *sorted);
	for (size_t i = 0; i < nr; i++)
		sorted[i] = json_array_get(names, i);
	qsort(sorted, nr, sizeof *sorted, cmp_room);
	json_t *rooms = json_array();
	for (size_t i = 0; i < nr; i++) {
		const char *name = json_string_value(sorted[i]);
		const json_t *panel = NULL, *r;
		json_array_foreach(
		        result, k,
		        r) if (!strcmp(json_string_value(json_object_get(r, "room")), name))
		{
			json_int_t pid = json_integer_value(json_object_get(r, "panel_id"));
			size_t j;
			json_array_foreach(panels, j, pn) if (json_integer_value(json_object_get(
			                                              pn, "id")) == pid) panel = pn;
		}
		json_t *room = json_pack(
		        "{s:s, s:o, s:o, s:I, s:b}", "name", name, "panel",
		        panel ? json_incref(json_object_get(panel, "code")) : json_null(),
		        "positions",
		        panel ? json_incref(json_object_get(panel, "positions")) : json_null(),
		        "examiners",
		        panel ? json_integer_value(json_object_get(panel, "examiners")) : most,
		        "spare", drawn && !panel);
		json_array_append_new(rooms, room);
	}
	free(sorted);
	json_t *doc = json_pack("{s:s, s:O, s:b, s:o, s:o}", "exam", e.name, "day",
	                        json_object_get(d, "day"), "drawn", drawn, "rooms", rooms,
	                        "waiting_rooms", waiting);
	printed_at(doc);
	json_decref(d);
	json_decref(result);
	json_decref(panels);
	return render(kw_iv_room_plan_pdf_isolated, doc, pdf, err);
}
