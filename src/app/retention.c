/* Retention and destruction of exam materials (see retention.h; SPEC CUS-7, PAP-2). */
#include "app/retention.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/examref.h"
#include "core/calendar.h"
#include "core/catalogue.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define MINUTE_US     INT64_C(60000000)
#define NO_DAY        INT32_MIN
#define WITNESSES_MAX 20
#define BATCH_MAX     2000

/* ---- the catalogues: which entries are serious ---- */

static json_t *cats[2];
static pthread_once_t cats_once = PTHREAD_ONCE_INIT;

static void cats_load(void)
{
	static const char *const ids[] = {KW_CATALOGUE_VH, KW_CATALOGUE_ORDER31};
	for (int i = 0; i < 2; i++) {
		json_t *j = NULL;
		struct kw_err err = KW_ERR_INIT;
		if (kw_catalogue_load(ids[i], &j, &err) == 0)
			cats[i] = j;
		else
			json_decref(j);
		kw_err_release(&err);
	}
}

/* The severity of a catalogue entry ("serious", …), or "". */
static const char *severity(const char *catalogue, const char *entry)
{
	pthread_once(&cats_once, cats_load);
	const json_t *cat = NULL;
	if (catalogue && strcmp(catalogue, KW_CATALOGUE_VH) == 0)
		cat = cats[0];
	else if (catalogue && strcmp(catalogue, KW_CATALOGUE_ORDER31) == 0)
		cat = cats[1];
	const json_t *e = cat && entry ? kw_catalogue_entry(cat, entry) : NULL;
	const char *sev = e ? json_string_value(json_object_get(e, "severity")) : NULL;
	return sev ? sev : "";
}

/* ---- dates (China time) ---- */

static int32_t day_of_us(int64_t us)
{
	int32_t d = NO_DAY;
	if (kw_cal_cst_day(us / 1000000, &d, NULL) != 0)
		d = NO_DAY;
	return d;
}

static int32_t day_of_stored(const char *stored)
{
	int64_t us;
	return stored && *stored && kw_clock_parse(stored, &us) == 0 ? day_of_us(us) : NO_DAY;
}

/* day + n months: the same-numbered day, or the month's last day. */
static int32_t add_months(int32_t day, int n)
{
	if (day == NO_DAY)
		return NO_DAY;
	struct kw_ymd d = kw_cal_ymd(day);
	int total = d.year * 12 + (d.month - 1) + n;
	int y = total / 12, m = total % 12 + 1;
	int md = kw_cal_month_days(y, m);
	int32_t out = NO_DAY;
	if (kw_cal_day_from_ymd(y, m, d.day < md ? d.day : md, &out, NULL) != 0)
		out = NO_DAY;
	return out;
}

static json_t *day_json(int32_t day)
{
	if (day == NO_DAY)
		return json_null();
	char s[11];
	kw_cal_date_format(day, s);
	return json_string(s);
}

static json_t *stored_time_json(const char *stored)
{
	int64_t us;
	return stored && *stored && kw_clock_parse(stored, &us) == 0 ? kw_json_time_china(us)
	                                                             : json_null();
}

static int32_t later(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/* ---- the exam's context: publication, end, parameters, decided cases, holds ---- */

struct decided {
	int64_t id, room, centre;
	int serious;
	int32_t day;
	char subject[64], severity[32];
};

struct hold {
	int64_t id, material, set_by;
	int32_t set_day;
	char set_at[32], set_by_name[200];
	char *reason;
};

struct ctx {
	struct kw_exam_ref e;
	char ruleset[32];
	int64_t run;
	int published;
	int32_t pub_day, end_day;
	int64_t end_us;
	char pub_at[40];
	int m_paper, m_sheets, y_elec, y_viol, m_video, y_video_ev, witnesses_min;
	struct decided *cases;
	size_t ncases;
	struct hold *holds;
	size_t nholds;
};

static void ctx_release(struct ctx *x)
{
	free(x->cases);
	for (size_t i = 0; i < x->nholds; i++)
		free(x->holds[i].reason);
	free(x->holds);
	x->cases = NULL;
	x->holds = NULL;
	x->ncases = x->nholds = 0;
}

static void *grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	size_t nc = *cap ? *cap * 2 : 16;
	void *q = realloc(p, nc * size);
	if (!q)
		abort();
	*cap = nc;
	return q;
}

static int ctx_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                    int64_t exam, struct ctx *x, struct kw_err *err)
{
	memset(x, 0, sizeof *x);
	if (s && s->candidate_id)
		return kw_err_not_found(err, "exam");
	int rc = kw_exam_ref_load(c, s, action, exam, &x->e, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT e.ruleset, (SELECT MAX(r.id) FROM seating_runs r WHERE "
		        "r.exam_id = e.id AND r.status = 'published'), (SELECT "
		        "MIN(p.published_at) FROM publications p WHERE p.exam_id = e.id "
		        "AND p.published_at IS NOT NULL) FROM exams e WHERE e.id = $1",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			kw_stmt_column_copy(st, 0, x->ruleset, sizeof x->ruleset);
			x->run = kw_stmt_column_is_null(st, 1) ? 0 : kw_stmt_column_int64(st, 1);
			if (!kw_stmt_column_is_null(st, 2)) {
				kw_stmt_column_copy(st, 2, x->pub_at, sizeof x->pub_at);
				x->pub_day = day_of_stored(x->pub_at);
				x->published = x->pub_day != NO_DAY;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!x->published)
		x->pub_day = NO_DAY;
	/* the end of the exam: its last sitting's end */
	x->end_day = NO_DAY;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT starts_at, duration_minutes FROM subjects WHERE exam_id "
		        "= $1 AND starts_at IS NOT NULL",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t start;
			const char *t = kw_stmt_column_text(st, 0, NULL);
			if (t && kw_clock_parse(t, &start) == 0) {
				int64_t end = start + kw_stmt_column_int64(st, 1) * MINUTE_US;
				if (end > x->end_us)
					x->end_us = end;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (x->end_us)
		x->end_day = day_of_us(x->end_us);
	/* the rule parameters (CUS-7) */
	json_t *p = NULL;
	if (kw_app_rule_params(x->ruleset[0] ? x->ruleset : "PQ", &p, NULL) != 0) {
		json_decref(p);
		p = NULL;
	}
	x->m_paper = kw_app_param_int(p, "papers_destroy_after_months", 6);
	x->m_sheets = kw_app_param_int(p, "answer_sheets_keep_months", 6);
	x->y_elec = kw_app_param_int(p, "electronic_copies_keep_years", 5);
	x->y_viol = kw_app_param_int(p, "violation_material_keep_years", 2);
	x->m_video = kw_app_param_int(p, "video_keep_months", 6);
	x->y_video_ev = kw_app_param_int(p, "video_evidence_keep_years", 2);
	x->witnesses_min = kw_app_param_int(p, "destruction_witnesses_min", 2);
	if (x->witnesses_min < 2)
		x->witnesses_min = 2;
	json_decref(p);
	/* decided cases (not revoked) and where their candidate sat */
	size_t cap = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT k.id, k.subject, k.catalogue, k.entry_id, k.decided_at, "
		        "st.exam_room_id, x.centre_id FROM cases k LEFT JOIN seats st ON "
		        "st.registration_id = k.registration_id AND st.run_id = $2 LEFT JOIN "
		        "exam_rooms x ON x.id = st.exam_room_id WHERE k.exam_id = $1 AND "
		        "k.decided_at IS NOT NULL AND k.status <> 'revoked' AND k.status <> "
		        "'dropped' ORDER BY k.id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_int64(st, 2, x->run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			x->cases = grow(x->cases, x->ncases, &cap, sizeof *x->cases);
			struct decided *d = &x->cases[x->ncases++];
			memset(d, 0, sizeof *d);
			d->id = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, d->subject, sizeof d->subject);
			snprintf(d->severity, sizeof d->severity, "%s",
			         severity(kw_stmt_column_text(st, 2, NULL),
			                  kw_stmt_column_text(st, 3, NULL)));
			d->serious = strcmp(d->severity, "serious") == 0 ||
			             strcmp(d->severity, "especially_serious") == 0;
			d->day = day_of_stored(kw_stmt_column_text(st, 4, NULL));
			d->room = kw_stmt_column_is_null(st, 5) ? 0 : kw_stmt_column_int64(st, 5);
			d->centre = kw_stmt_column_is_null(st, 6) ? 0 : kw_stmt_column_int64(st, 6);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	/* holds in force */
	cap = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT h.id, h.material_id, h.reason, h.set_by, u.display_name, "
		        "h.set_at FROM retention_holds h JOIN retention_materials m ON "
		        "m.id = h.material_id JOIN users u ON u.id = h.set_by WHERE "
		        "m.exam_id = $1 AND h.lifted_at IS NULL ORDER BY h.id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			x->holds = grow(x->holds, x->nholds, &cap, sizeof *x->holds);
			struct hold *h = &x->holds[x->nholds++];
			memset(h, 0, sizeof *h);
			h->id = kw_stmt_column_int64(st, 0);
			h->material = kw_stmt_column_int64(st, 1);
			h->reason = strdup(kw_stmt_column_text(st, 2, NULL));
			h->set_by = kw_stmt_column_int64(st, 3);
			kw_stmt_column_copy(st, 4, h->set_by_name, sizeof h->set_by_name);
			kw_stmt_column_copy(st, 5, h->set_at, sizeof h->set_at);
			h->set_day = day_of_stored(h->set_at);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc)
		ctx_release(x);
	return rc;
}

/* ---- one material, evaluated ---- */

static const char mat_cols[] =
        "SELECT m.id, m.kind, m.source_key, m.package_id, m.room_record_id, m.subject_id, "
        "s.code, s.name, m.centre_id, c.code, c.name, m.exam_room_id, x.number, m.label, "
        "m.recorded_from, m.recorded_to, m.evidence_case_id, m.note, m.destruction_id, "
        "d.destroyed_at, d.method, d.place, d.witnesses, p.seal_no, m.created_at, "
        "u.display_name FROM retention_materials m LEFT JOIN subjects s ON s.id = "
        "m.subject_id LEFT JOIN centres c ON c.id = m.centre_id LEFT JOIN exam_rooms x ON x.id "
        "= m.exam_room_id LEFT JOIN retention_destructions d ON d.id = m.destruction_id LEFT "
        "JOIN paper_packages p ON p.id = m.package_id LEFT JOIN users u ON u.id = m.created_by ";

static int64_t col_id(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? 0 : kw_stmt_column_int64(s, i);
}

static json_t *col_str(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
}

static void rule(json_t *rules, const char *name, const char *param, int n, const char *unit,
                 const char *from, int32_t from_day, int32_t until)
{
	json_array_append_new(rules, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:o, s:o}", "rule",
	                                       "CUS-7", "name", name, "param", param, "value", n,
	                                       "unit", unit, "from", from, "from_date",
	                                       day_json(from_day), "until", day_json(until)));
}

/* The item of the row st is on, evaluated on day. */
static json_t *item_json(const struct ctx *x, struct kw_stmt *st, int32_t day)
{
	int64_t id = kw_stmt_column_int64(st, 0);
	const char *kind = kw_stmt_column_text(st, 1, NULL);
	const char *subj_code =
	        kw_stmt_column_is_null(st, 6) ? NULL : kw_stmt_column_text(st, 6, NULL);
	int64_t centre = col_id(st, 8), room = col_id(st, 11), evidence = col_id(st, 16);
	int video = strcmp(kind, "video") == 0;
	json_t *rules = json_array(), *holds = json_array();
	int unknown = 0, held = 0, held_unknown = 0;
	int32_t earliest = NO_DAY, held_until = NO_DAY;
	int32_t base_from = x->pub_day, base = NO_DAY;
	int n = x->m_sheets;
	const char *param = "answer_sheets_keep_months", *unit = "months", *from = "publication";
	if (strcmp(kind, "paper") == 0) {
		n = x->m_paper;
		param = "papers_destroy_after_months";
	} else if (strcmp(kind, "electronic_copy") == 0) {
		n = x->y_elec;
		param = "electronic_copies_keep_years";
		unit = "years";
	} else if (video) {
		n = x->m_video;
		param = "video_keep_months";
		from = "exam_end";
		base_from = x->end_day;
	}
	base = add_months(base_from, strcmp(unit, "years") == 0 ? n * 12 : n);
	rule(rules, "keep", param, n, unit, from, base_from, base);
	if (base == NO_DAY)
		unknown = 1;
	earliest = base;
	/* evidence of a decided case (video), PQ 29 */
	int32_t evidence_from = NO_DAY;
	int evidence_pending = 0;
	if (video && evidence) {
		int found = 0;
		for (size_t i = 0; i < x->ncases; i++)
			if (x->cases[i].id == evidence) {
				found = 1;
				evidence_from = later(x->end_day, x->cases[i].day);
			}
		if (!found) {
			evidence_pending = 1;
			json_array_append_new(
			        holds, json_pack("{s:s, s:I, s:s}", "kind", "evidence_pending",
			                         "case_id", (json_int_t)evidence, "reason",
			                         "视频为尚未作出决定的违纪违规案件的证据"));
		}
	}
	/* tied to a serious or especially serious violation */
	for (size_t i = 0; i < x->ncases; i++) {
		const struct decided *d = &x->cases[i];
		if (!d->serious || !d->room)
			continue;
		if (d->subject[0] && subj_code && strcmp(d->subject, subj_code) != 0)
			continue;
		if (!(room ? room == d->room : centre && centre == d->centre))
			continue;
		held = 1;
		if (video)
			evidence_from = later(evidence_from, later(x->end_day, d->day));
		json_array_append_new(holds, json_pack("{s:s, s:I, s:s, s:o, s:s}", "kind",
		                                       "violation", "case_id", (json_int_t)d->id,
		                                       "severity", d->severity, "decided_on",
		                                       day_json(d->day), "reason",
		                                       strcmp(d->severity, "serious") == 0
		                                               ? "涉及严重违纪违规行为"
		                                               : "涉及特别严重违纪违规行为"));
	}
	/* held by staff for a major anomaly */
	for (size_t i = 0; i < x->nholds; i++) {
		const struct hold *h = &x->holds[i];
		if (h->material != id)
			continue;
		held = 1;
		if (video)
			evidence_from = later(evidence_from, later(x->end_day, h->set_day));
		json_array_append_new(
		        holds, json_pack("{s:s, s:I, s:s, s:{s:I, s:s}, s:o}", "kind", "anomaly",
		                         "hold_id", (json_int_t)h->id, "reason", h->reason,
		                         "set_by", "id", (json_int_t)h->set_by, "name",
		                         h->set_by_name, "set_at", stored_time_json(h->set_at)));
	}
	if (held) {
		held_until = add_months(x->pub_day, x->y_viol * 12);
		rule(rules, "violation_or_anomaly", "violation_material_keep_years", x->y_viol,
		     "years", "publication", x->pub_day, held_until);
		if (held_until == NO_DAY)
			held_unknown = 1;
		else
			earliest = later(earliest, held_until);
	}
	if (evidence_from != NO_DAY) {
		int32_t until = add_months(evidence_from, x->y_video_ev * 12);
		rule(rules, "video_evidence", "video_evidence_keep_years", x->y_video_ev, "years",
		     "later_of_exam_end_and_decision", evidence_from, until);
		earliest = later(earliest, until);
	}
	if (evidence_pending) {
		held = 1;
		held_unknown = 1;
	}
	if (unknown || held_unknown)
		earliest = NO_DAY;
	int in_hold = held && (held_unknown || day < held_until);
	int destroyed = !kw_stmt_column_is_null(st, 18);
	const char *status = destroyed            ? "destroyed"
	                     : !x->published      ? "not_published"
	                     : in_hold            ? "held"
	                     : earliest == NO_DAY ? "kept"
	                     : day >= earliest    ? "due"
	                                          : "kept";
	json_t *destruction = json_null();
	if (destroyed) {
		json_t *w = json_loads(kw_stmt_column_text(st, 22, NULL), 0, NULL);
		destruction = json_pack(
		        "{s:I, s:o, s:s, s:s, s:o}", "id", (json_int_t)kw_stmt_column_int64(st, 18),
		        "destroyed_at", stored_time_json(kw_stmt_column_text(st, 19, NULL)),
		        "method", kw_stmt_column_text(st, 20, NULL), "place",
		        kw_stmt_column_text(st, 21, NULL), "witnesses", w ? w : json_array());
	}
	json_t *o = json_pack(
	        "{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, "
	        "s:o, s:o, s:b, s:s, s:o, s:o}",
	        "id", (json_int_t)id, "kind", kind, "label", kw_stmt_column_text(st, 13, NULL),
	        "source", kw_stmt_column_is_null(st, 2) ? "registered" : "derived", "subject",
	        kw_stmt_column_is_null(st, 5)
	                ? json_null()
	                : json_pack("{s:I, s:s, s:s}", "id", (json_int_t)col_id(st, 5), "code",
	                            kw_stmt_column_text(st, 6, NULL), "name",
	                            kw_stmt_column_text(st, 7, NULL)),
	        "centre",
	        centre ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)centre, "code",
	                           kw_stmt_column_text(st, 9, NULL), "name",
	                           kw_stmt_column_text(st, 10, NULL))
	               : json_null(),
	        "exam_room",
	        room ? json_pack("{s:I, s:I}", "id", (json_int_t)room, "number",
	                         (json_int_t)kw_stmt_column_int64(st, 12))
	             : json_null(),
	        "package",
	        kw_stmt_column_is_null(st, 3)
	                ? json_null()
	                : json_pack("{s:I, s:s}", "id", (json_int_t)col_id(st, 3), "seal_no",
	                            kw_stmt_column_text(st, 23, NULL)),
	        "room_record_id",
	        kw_stmt_column_is_null(st, 4) ? json_null() : json_integer(col_id(st, 4)),
	        "recorded_from", col_str(st, 14), "recorded_to", col_str(st, 15),
	        "evidence_case_id", evidence ? json_integer(evidence) : json_null(), "note",
	        col_str(st, 17), "rules", rules, "earliest", day_json(earliest), "held", in_hold,
	        "held_until", day_json(held ? held_until : NO_DAY), "holds", holds, "due",
	        strcmp(status, "due") == 0, "status", status, "destruction", destruction,
	        "registered_at", stored_time_json(kw_stmt_column_text(st, 24, NULL)));
	json_object_set_new(o, "registered_by", col_str(st, 25));
	return o;
}

/* The exam's items (or the one of material), evaluated on day, into items. */
static int items_of(struct kw_conn *c, const struct ctx *x, int64_t material, int32_t day,
                    json_t *items, struct kw_err *err)
{
	char sql[2000];
	snprintf(sql, sizeof sql, "%s WHERE m.exam_id = $1 AND ($2 = 0 OR m.id = $2) ORDER BY m.id",
	         mat_cols);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, x->e.id);
		kw_stmt_bind_int64(st, 2, material);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, item_json(x, st, day));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* The exam a material belongs to (0 when none). */
static int material_exam(struct kw_conn *c, int64_t material, int64_t *exam, char kind[24],
                         struct kw_err *err)
{
	*exam = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT exam_id, kind FROM retention_materials WHERE id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, material);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*exam = kw_stmt_column_int64(st, 0);
			if (kind)
				kw_stmt_column_copy(st, 1, kind, 24);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* One material's item as of today, for answers. */
static int item_now(struct kw_conn *c, int64_t exam, int64_t material, json_t **out,
                    struct kw_err *err)
{
	struct ctx x;
	int rc = ctx_load(c, NULL, NULL, exam, &x, err);
	json_t *items = json_array();
	if (!rc)
		rc = items_of(c, &x, material, day_of_us(kw_clock_now_us()), items, err);
	ctx_release(&x);
	if (!rc && json_array_size(items) == 0)
		rc = kw_err_not_found(err, "material");
	if (!rc)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return rc;
}

/* ---- derived materials, materialised ---- */

struct derived {
	char kind[16], key[80], label[400];
	int64_t package, record, subject, centre, room;
};

struct derived_set {
	struct derived *v;
	size_t n, cap;
};

static struct derived *derived_add(struct derived_set *d)
{
	d->v = grow(d->v, d->n, &d->cap, sizeof *d->v);
	struct derived *r = &d->v[d->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The derived materials of the exam that are not in the table yet. */
static int derive_missing(struct kw_conn *c, int64_t exam, int64_t run, struct derived_set *out,
                          struct kw_err *err)
{
	char **keys = NULL;
	size_t nkeys = 0, kcap = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT source_key FROM retention_materials WHERE exam_id = $1 "
	                         "AND source_key IS NOT NULL",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			keys = grow(keys, nkeys, &kcap, sizeof *keys);
			keys[nkeys++] = strdup(kw_stmt_column_text(st, 0, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (nkeys)
		qsort(keys, nkeys, sizeof *keys, cmp_str);
	struct derived_set all = {0};
	/* paper packages */
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT id, subject_id, centre_id, exam_room_id, seal_no, kind "
		        "FROM paper_packages WHERE exam_id = $1 ORDER BY id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			struct derived *d = derived_add(&all);
			snprintf(d->kind, sizeof d->kind, "paper");
			d->package = kw_stmt_column_int64(st, 0);
			snprintf(d->key, sizeof d->key, "package:%lld", (long long)d->package);
			d->subject = kw_stmt_column_int64(st, 1);
			d->centre = kw_stmt_column_int64(st, 2);
			d->room = col_id(st, 3);
			snprintf(d->label, sizeof d->label, "试卷袋 %s（%s）",
			         kw_stmt_column_text(st, 4, NULL),
			         strcmp(kw_stmt_column_text(st, 5, NULL), "centre") == 0
			                 ? "考点外袋"
			                 : "考场袋");
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	/* answer sheets: each exam room of the published seating × each subject it holds */
	if (!rc && run)
		rc = kw_conn_prepare(
		        c,
		        "SELECT x.id, x.centre_id, x.number, x.subjects, c.code, s.id, "
		        "s.code FROM exam_rooms x JOIN centres c ON c.id = x.centre_id "
		        "JOIN subjects s ON s.exam_id = x.exam_id WHERE x.run_id = $1 "
		        "ORDER BY c.code, x.number, s.code",
		        &st, err);
	if (!rc && run) {
		kw_stmt_bind_int64(st, 1, run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			char group[440], want[80];
			snprintf(group, sizeof group, "+%s+", kw_stmt_column_text(st, 3, NULL));
			snprintf(want, sizeof want, "+%s+", kw_stmt_column_text(st, 6, NULL));
			if (!strstr(group, want))
				continue;
			struct derived *d = derived_add(&all);
			snprintf(d->kind, sizeof d->kind, "answer_sheet");
			d->room = kw_stmt_column_int64(st, 0);
			d->centre = kw_stmt_column_int64(st, 1);
			d->subject = kw_stmt_column_int64(st, 5);
			snprintf(d->key, sizeof d->key, "answer_sheet:%lld:%lld",
			         (long long)d->room, (long long)d->subject);
			snprintf(d->label, sizeof d->label, "答题卡 %s 第%lld考场 科目%s",
			         kw_stmt_column_text(st, 4, NULL),
			         (long long)kw_stmt_column_int64(st, 2),
			         kw_stmt_column_text(st, 6, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	/* room records */
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT r.id, r.subject_id, r.exam_room_id, x.centre_id, "
		        "x.number, c.code, s.code FROM room_records r JOIN exam_rooms x "
		        "ON x.id = r.exam_room_id JOIN centres c ON c.id = x.centre_id "
		        "JOIN subjects s ON s.id = r.subject_id WHERE r.exam_id = $1 "
		        "ORDER BY r.id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			struct derived *d = derived_add(&all);
			snprintf(d->kind, sizeof d->kind, "room_record");
			d->record = kw_stmt_column_int64(st, 0);
			d->subject = kw_stmt_column_int64(st, 1);
			d->room = kw_stmt_column_int64(st, 2);
			d->centre = kw_stmt_column_int64(st, 3);
			snprintf(d->key, sizeof d->key, "room_record:%lld", (long long)d->record);
			snprintf(d->label, sizeof d->label, "考场记录 %s 第%lld考场 科目%s",
			         kw_stmt_column_text(st, 5, NULL),
			         (long long)kw_stmt_column_int64(st, 4),
			         kw_stmt_column_text(st, 6, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; !rc && i < all.n; i++) {
		const char *k = all.v[i].key;
		if (nkeys && bsearch(&k, keys, nkeys, sizeof *keys, cmp_str))
			continue;
		*derived_add(out) = all.v[i];
	}
	free(all.v);
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

struct refresh_job {
	int64_t exam, run, user;
	size_t added;
};

static void bind_or_null(struct kw_stmt *st, int i, int64_t v)
{
	if (v)
		kw_stmt_bind_int64(st, i, v);
	else
		kw_stmt_bind_null(st, i);
}

/* The missing derived materials written, with one audit record for all of them (a Merkle
 * root over the rows, kw_audit_append_batch): a national exam's first read writes hundreds
 * of thousands of rows, not as many records. */
static int refresh_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct refresh_job *j = arg;
	struct derived_set miss = {0};
	j->added = 0;
	int rc = derive_missing(tx->conn, j->exam, j->run, &miss, err);
	if (rc || !miss.n) {
		free(miss.v);
		return rc;
	}
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_batch_row *rows = kw_xcalloc(miss.n, sizeof *rows);
	struct kw_stmt *st = NULL;
	rc = kw_audit_prepare(tx->conn, "retention_materials", &st, err,
	                      "INSERT INTO retention_materials (exam_id, kind, source_key, "
	                      "package_id, room_record_id, subject_id, centre_id, exam_room_id, "
	                      "label, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, "
	                      "$5, $6, $7, $8, $9, $10, $11, $11)");
	size_t kinds[3] = {0, 0, 0}; /* paper, answer_sheet, room_record */
	for (size_t i = 0; !rc && i < miss.n; i++) {
		const struct derived *d = &miss.v[i];
		kw_stmt_reset(st);
		kw_stmt_bind_int64(st, 1, j->exam);
		kw_stmt_bind_textz(st, 2, d->kind);
		kw_stmt_bind_textz(st, 3, d->key);
		bind_or_null(st, 4, d->package);
		bind_or_null(st, 5, d->record);
		bind_or_null(st, 6, d->subject);
		bind_or_null(st, 7, d->centre);
		bind_or_null(st, 8, d->room);
		kw_stmt_bind_textz(st, 9, d->label);
		bind_or_null(st, 10, j->user);
		kw_stmt_bind_textz(st, 11, now);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			rc = kw_audit_digest_row("retention_materials", st, &rows[i].id,
			                         rows[i].digest);
		else if (rc == KW_DONE)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "a derived material was not written");
		if (!rc) {
			j->added++;
			kinds[strcmp(d->kind, "paper") == 0          ? 0
			      : strcmp(d->kind, "answer_sheet") == 0 ? 1
			                                             : 2]++;
		}
	}
	kw_stmt_finalize(st);
	if (!rc) {
		json_t *detail = json_pack(
		        "{s:I, s:b, s:{s:I, s:I, s:I}}", "exam_id", (json_int_t)j->exam, "derived",
		        1, "kinds", "paper", (json_int_t)kinds[0], "answer_sheet",
		        (json_int_t)kinds[1], "room_record", (json_int_t)kinds[2]);
		rc = kw_audit_append_batch(tx, "retention.materials.derived", "retention_materials",
		                           rows, miss.n, detail, err);
		json_decref(detail);
	}
	free(rows);
	free(miss.v);
	return rc;
}

/* Materialises what is missing, as actor (a write only when something is). */
static int refresh(struct kw_app *app, const struct kw_actor *actor, const struct ctx *x,
                   int64_t user, struct kw_err *err)
{
	struct derived_set miss = {0};
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = derive_missing(c, x->e.id, x->run, &miss, err);
	kw_pool_put(app->pool, c);
	size_t n = miss.n;
	free(miss.v);
	if (rc || !n)
		return rc;
	struct refresh_job j = {x->e.id, x->run, user, 0};
	return kw_writer_run(app->writer, refresh_job, &j, actor, err);
}

static int64_t user_of(const struct kw_session_info *s)
{
	return s ? s->user.id : 0;
}

/* ---- the list ---- */

int kw_retention_list(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const char *due_on,
                      int only_due, json_t **out, struct kw_err *err)
{
	int32_t day = day_of_us(kw_clock_now_us());
	if (due_on && *due_on && kw_cal_date_parse(due_on, strlen(due_on), &day, NULL) != 0)
		return kw_err_invalid(err, "due_on", "format");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct ctx x;
	int rc = ctx_load(c, s, "retention.read", exam, &x, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	rc = refresh(app, actor, &x, user_of(s), err);
	json_t *all = json_array();
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = items_of(c, &x, 0, day, all, err);
		kw_pool_put(app->pool, c);
	}
	if (rc) {
		ctx_release(&x);
		json_decref(all);
		return rc;
	}
	json_t *counts = json_object(), *items = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(all, i, it)
	{
		const char *st = json_string_value(json_object_get(it, "status"));
		json_object_set_new(
		        counts, st,
		        json_integer(json_integer_value(json_object_get(counts, st)) + 1));
		if (!only_due || json_is_true(json_object_get(it, "due")))
			json_array_append(items, it);
	}
	json_decref(all);
	*out = json_pack("{s:{s:I, s:s, s:s}, s:o, s:o, s:o, s:o, s:o}", "exam", "id",
	                 (json_int_t)x.e.id, "code", x.e.code, "name", x.e.name, "published_at",
	                 stored_time_json(x.published ? x.pub_at : NULL), "exam_ends_at",
	                 x.end_us ? kw_json_time_china(x.end_us) : json_null(), "due_on",
	                 day_json(day), "counts", counts, "items", items);
	ctx_release(&x);
	return 0;
}

/* ---- registering a material ---- */

struct register_job {
	int64_t exam, subject, centre, room, evidence, user, id;
	const char *kind, *label, *from, *to, *note;
};

static int register_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct register_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(tx, err, "retention_materials", "retention.material",
	                    json_pack("{s:s, s:s}", "kind", j->kind, "label", j->label), &j->id,
	                    "INSERT INTO retention_materials (exam_id, kind, subject_id, "
	                    "centre_id, exam_room_id, label, recorded_from, recorded_to, "
	                    "evidence_case_id, note, created_by, created_at, updated_at) VALUES "
	                    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
	                    "itnnntttntnt", j->exam, j->kind, j->subject, j->centre, j->room,
	                    j->label, j->from, j->to, j->evidence, j->note, j->user, now);
}

static int one_id(struct kw_conn *c, const char *sql, int64_t a, const char *t, int64_t b,
                  int64_t *out, struct kw_err *err)
{
	*out = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, a);
		kw_stmt_bind_textz(st, 2, t ? t : "");
		kw_stmt_bind_int64(st, 3, b);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*out = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_retention_register(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, const json_t *body,
                          json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("kind", 20, KW_JREQUIRED), KW_JSTR("label", 200, KW_JREQUIRED),
	        KW_JSTR("subject", 60, 0),         KW_JSTR("centre", 60, 0),
	        {"room", KW_JINTEGER, 0, 0, 0},    KW_JSTR("recorded_from", 10, 0),
	        KW_JSTR("recorded_to", 10, 0),     {"evidence_case_id", KW_JINTEGER, 0, 0, 0},
	        KW_JSTR("note", 1000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *kind = json_string_value(json_object_get(body, "kind"));
	int video = strcmp(kind, "video") == 0;
	if (!video && strcmp(kind, "electronic_copy") != 0 && strcmp(kind, "other") != 0)
		return kw_err_invalid(err, "kind", "not_allowed");
	const char *from = json_string_value(json_object_get(body, "recorded_from"));
	const char *to = json_string_value(json_object_get(body, "recorded_to"));
	int32_t dfrom = 0, dto = 0;
	if (video && !from)
		return kw_err_invalid(err, "recorded_from", "required");
	if (video && !to)
		return kw_err_invalid(err, "recorded_to", "required");
	if (from && kw_cal_date_parse(from, strlen(from), &dfrom, NULL) != 0)
		return kw_err_invalid(err, "recorded_from", "format");
	if (to && kw_cal_date_parse(to, strlen(to), &dto, NULL) != 0)
		return kw_err_invalid(err, "recorded_to", "format");
	if (from && to && dto < dfrom)
		return kw_err_invalid(err, "recorded_to", "before_from");
	const char *centre = json_string_value(json_object_get(body, "centre"));
	const json_t *roomj = json_object_get(body, "room");
	if (video && !centre)
		return kw_err_invalid(err, "centre", "required");
	if (roomj && !centre)
		return kw_err_invalid(err, "centre", "required");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct ctx x;
	rc = ctx_load(c, s, "retention.hold", exam, &x, err);
	struct register_job j = {.exam = exam,
	                         .user = user_of(s),
	                         .kind = kind,
	                         .label = json_string_value(json_object_get(body, "label")),
	                         .from = from,
	                         .to = to,
	                         .note = json_string_value(json_object_get(body, "note"))};
	const char *subject = json_string_value(json_object_get(body, "subject"));
	if (!rc && subject) {
		rc = one_id(c,
		            "SELECT id FROM subjects WHERE exam_id = $1 AND code = $2 AND $3 = 0",
		            exam, subject, 0, &j.subject, err);
		if (!rc && !j.subject)
			rc = kw_err_invalid(err, "subject", "not_found");
	}
	if (!rc && centre) {
		rc = one_id(
		        c,
		        "SELECT DISTINCT c.id FROM centres c JOIN exam_rooms x ON x.centre_id = "
		        "c.id WHERE x.exam_id = $1 AND c.code = $2 AND $3 = 0",
		        exam, centre, 0, &j.centre, err);
		if (!rc && !j.centre)
			rc = kw_err_invalid(err, "centre", "not_found");
	}
	if (!rc && roomj) {
		rc = one_id(
		        c,
		        "SELECT x.id FROM exam_rooms x JOIN centres c ON c.id = x.centre_id WHERE "
		        "x.run_id = $1 AND c.code = $2 AND x.number = $3",
		        x.run, centre, json_integer_value(roomj), &j.room, err);
		if (!rc && !j.room)
			rc = kw_err_invalid(err, "room", "not_found");
	}
	const json_t *ev = json_object_get(body, "evidence_case_id");
	if (!rc && ev) {
		int64_t k = 0;
		rc = one_id(c, "SELECT id FROM cases WHERE exam_id = $1 AND $2 = '' AND id = $3",
		            exam, "", json_integer_value(ev), &k, err);
		if (!rc && !k)
			rc = kw_err_invalid(err, "evidence_case_id", "not_found");
		j.evidence = k;
	}
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = refresh(app, actor, &x, user_of(s), err);
	ctx_release(&x);
	if (!rc)
		rc = kw_writer_run(app->writer, register_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = item_now(c, exam, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

/* ---- holds ---- */

struct hold_job {
	int64_t material, hold, user, set_by;
	const char *reason;
};

static int hold_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct hold_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(tx, err, "retention_holds", "retention.hold",
	                    json_pack("{s:I, s:s}", "material_id", (json_int_t)j->material,
	                              "reason", j->reason),
	                    &j->hold,
	                    "INSERT INTO retention_holds (material_id, reason, set_by, set_at, "
	                    "updated_at) VALUES ($1, $2, $3, $4, $4)",
	                    "itit", j->material, j->reason, j->user, now);
}

static int destroyed_refusal(struct kw_err *err, int64_t material, const json_t *item)
{
	kw_err_set(err, KW_ECONFLICT, "RETENTION_ALREADY_DESTROYED", "CUS-7",
	           "material %lld is already destroyed", (long long)material);
	kw_err_detail(err, "material_id", json_integer(material));
	kw_err_detail(err, "destroyed_at",
	              json_deep_copy(json_object_get(json_object_get(item, "destruction"),
	                                             "destroyed_at")));
	return err->rc;
}

int kw_retention_hold(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t material, const json_t *body,
                      json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {KW_JSTR("reason", 500, KW_JREQUIRED)};
	int rc = kw_json_check(body, shape, 1, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t exam = 0;
	struct ctx x;
	memset(&x, 0, sizeof x);
	json_t *item = NULL;
	rc = material_exam(c, material, &exam, NULL, err);
	if (!rc && !exam)
		rc = kw_err_not_found(err, "material");
	if (!rc)
		rc = ctx_load(c, s, "retention.hold", exam, &x, err);
	ctx_release(&x);
	if (!rc)
		rc = item_now(c, exam, material, &item, err);
	kw_pool_put(app->pool, c);
	if (!rc && !json_is_null(json_object_get(item, "destruction")))
		rc = destroyed_refusal(err, material, item);
	json_decref(item);
	struct hold_job j = {.material = material,
	                     .user = user_of(s),
	                     .reason = json_string_value(json_object_get(body, "reason"))};
	if (!rc)
		rc = kw_writer_run(app->writer, hold_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = item_now(c, exam, material, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

static int lift_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct hold_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = 0;
	int rc = kw_audit_put(tx, err, "retention_holds", "retention.hold.lift",
	                      json_pack("{s:I, s:s}", "material_id", (json_int_t)j->material,
	                                "reason", j->reason),
	                      &id,
	                      "UPDATE retention_holds SET lifted_by = $1, lifted_at = $2, "
	                      "lift_reason = $3, updated_at = $2 WHERE id = $4 AND lifted_at IS "
	                      "NULL",
	                      "itti", j->user, now, j->reason, j->hold);
	if (!rc && !id)
		rc = kw_err_set(err, KW_ECONFLICT, "RETENTION_HOLD_LIFTED", "CUS-7",
		                "this hold has already been lifted");
	return rc;
}

int kw_retention_lift(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t hold, const json_t *body,
                      json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {KW_JSTR("reason", 500, KW_JREQUIRED)};
	int rc = kw_json_check(body, shape, 1, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct hold_job j = {.hold = hold,
	                     .user = user_of(s),
	                     .reason = json_string_value(json_object_get(body, "reason"))};
	int64_t exam = 0;
	int lifted = 0;
	struct kw_stmt *st = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT h.material_id, h.set_by, m.exam_id, h.lifted_at FROM "
	                     "retention_holds h JOIN retention_materials m ON m.id = h.material_id "
	                     "WHERE h.id = $1",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, hold);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			j.material = kw_stmt_column_int64(st, 0);
			j.set_by = kw_stmt_column_int64(st, 1);
			exam = kw_stmt_column_int64(st, 2);
			lifted = !kw_stmt_column_is_null(st, 3);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !exam)
		rc = kw_err_not_found(err, "hold");
	struct ctx x;
	memset(&x, 0, sizeof x);
	if (!rc)
		rc = ctx_load(c, s, "retention.hold", exam, &x, err);
	ctx_release(&x);
	kw_pool_put(app->pool, c);
	if (!rc && lifted)
		rc = kw_err_set(err, KW_ECONFLICT, "RETENTION_HOLD_LIFTED", "CUS-7",
		                "this hold has already been lifted");
	if (!rc && j.set_by == j.user)
		rc = kw_err_set(err, KW_EFORBIDDEN, "RETENTION_HOLD_SAME_PERSON", "CUS-7",
		                "a hold is lifted by someone other than who set it");
	if (!rc)
		rc = kw_writer_run(app->writer, lift_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = item_now(c, exam, j.material, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

/* ---- destruction ---- */

struct destroy_job {
	int64_t exam, user, id;
	int64_t *ids;
	size_t n;
	const char *method, *place, *note;
	char *witnesses;
};

/* Is item refused for destruction? Sets err (and returns its code) when it is. */
static int refuse_item(int64_t id, const json_t *item, struct kw_err *err)
{
	if (!item) {
		kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such material in this exam");
		kw_err_detail(err, "material_id", json_integer(id));
		return err->rc;
	}
	const char *st = json_string_value(json_object_get(item, "status"));
	if (strcmp(st, "destroyed") == 0)
		return destroyed_refusal(err, id, item);
	if (strcmp(st, "held") == 0) {
		kw_err_set(err, KW_ERULE, "RETENTION_HELD", "CUS-7",
		           "material %lld is held: destruction skips it", (long long)id);
		kw_err_detail(err, "material_id", json_integer(id));
		json_t *why = json_array();
		size_t i;
		json_t *h;
		json_array_foreach(json_object_get(item, "holds"), i, h)
		        json_array_append(why, json_object_get(h, "reason"));
		kw_err_detail(err, "reasons", why);
		kw_err_detail(err, "holds", json_deep_copy(json_object_get(item, "holds")));
		kw_err_detail(err, "held_until",
		              json_deep_copy(json_object_get(item, "held_until")));
		return err->rc;
	}
	if (strcmp(st, "due") != 0) {
		kw_err_set(err, KW_ERULE, "RETENTION_NOT_DUE", "CUS-7",
		           "material %lld may not be destroyed yet", (long long)id);
		kw_err_detail(err, "material_id", json_integer(id));
		kw_err_detail(err, "earliest", json_deep_copy(json_object_get(item, "earliest")));
		kw_err_detail(err, "status", json_string(st));
		return err->rc;
	}
	return 0;
}

static const json_t *find_item(const json_t *items, int64_t id)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (json_integer_value(json_object_get(it, "id")) == id)
			return it;
	}
	return NULL;
}

static int destroy_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct destroy_job *j = arg;
	struct ctx x;
	int rc = ctx_load(tx->conn, NULL, NULL, j->exam, &x, err);
	json_t *items = json_array();
	if (!rc)
		rc = items_of(tx->conn, &x, 0, day_of_us(tx->now_us), items, err);
	ctx_release(&x);
	for (size_t i = 0; !rc && i < j->n; i++)
		rc = refuse_item(j->ids[i], find_item(items, j->ids[i]), err);
	json_decref(items);
	char now[32];
	kw_clock_format(tx->now_us, now);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "retention_destructions", "retention.destroy",
		        json_pack("{s:s, s:s, s:I}", "method", j->method, "place", j->place,
		                  "materials", (json_int_t)j->n),
		        &j->id,
		        "INSERT INTO retention_destructions (exam_id, method, place, "
		        "witnesses, materials, note, recorded_by, destroyed_at) VALUES ($1, "
		        "$2, $3, $4, $5, $6, $7, $8)",
		        "itttitnt", j->exam, j->method, j->place, j->witnesses, (int64_t)j->n,
		        j->note, j->user, now);
	for (size_t i = 0; !rc && i < j->n; i++) {
		int64_t id = 0;
		rc = kw_audit_put(
		        tx, err, "retention_materials", "retention.destroyed",
		        json_pack("{s:I}", "destruction_id", (json_int_t)j->id), &id,
		        "UPDATE retention_materials SET destruction_id = $1, updated_at = $2 "
		        "WHERE id = $3 AND destruction_id IS NULL",
		        "iti", j->id, now, j->ids[i]);
		if (!rc && !id)
			rc = kw_err_set(err, KW_ECONFLICT, "RETENTION_ALREADY_DESTROYED", "CUS-7",
			                "material %lld is already destroyed", (long long)j->ids[i]);
	}
	return rc;
}

static int witnesses_refusal(struct kw_err *err, const char *problem, size_t given, size_t distinct,
                             int required)
{
	kw_err_set(err, KW_ERULE, "RETENTION_WITNESSES", "PAP-2",
	           "a destruction is watched by at least %d different staff, the recorder "
	           "among them",
	           required);
	kw_err_detail(err, "problem", json_string(problem));
	kw_err_detail(err, "given", json_integer((json_int_t)given));
	kw_err_detail(err, "distinct", json_integer((json_int_t)distinct));
	kw_err_detail(err, "required", json_integer(required));
	return err->rc;
}

int kw_retention_destroy(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const json_t *body,
                         json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        {"materials", KW_JARRAY, KW_JREQUIRED, 1, BATCH_MAX},
	        KW_JSTR("method", 100, KW_JREQUIRED),
	        KW_JSTR("place", 200, KW_JREQUIRED),
	        {"witnesses", KW_JARRAY, KW_JREQUIRED, 0, WITNESSES_MAX},
	        KW_JSTR("note", 1000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const json_t *mats = json_object_get(body, "materials");
	const json_t *wits = json_object_get(body, "witnesses");
	size_t nm = json_array_size(mats), nw = json_array_size(wits);
	int64_t *ids = calloc(nm, sizeof *ids);
	if (!ids)
		abort();
	for (size_t i = 0; i < nm; i++) {
		const json_t *v = json_array_get(mats, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			free(ids);
			return kw_err_invalid(err, "materials", "type");
		}
		ids[i] = json_integer_value(v);
		for (size_t k = 0; k < i; k++)
			if (ids[k] == ids[i]) {
				free(ids);
				return kw_err_invalid(err, "materials", "duplicate");
			}
	}
	for (size_t i = 0; i < nw; i++) {
		const char *u = json_string_value(json_array_get(wits, i));
		if (!u || !*u || strlen(u) > 60) {
			free(ids);
			return kw_err_invalid(err, "witnesses", "type");
		}
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct ctx x;
	rc = ctx_load(c, s, "retention.destroy", exam, &x, err);
	int required = x.witnesses_min;
	ctx_release(&x);
	/* the witnesses: accounts that reach the exam, all different, the recorder among them */
	json_t *wj = json_array();
	int64_t seen[WITNESSES_MAX];
	size_t distinct = 0;
	int recorder = s == NULL;
	for (size_t i = 0; !rc && i < nw; i++) {
		const char *u = json_string_value(json_array_get(wits, i));
		struct kw_session_info *si = calloc(1, sizeof *si);
		if (!si)
			abort();
		struct kw_err e2 = KW_ERR_INIT;
		int r2 = kw_app_session_of(c, u, si, &e2);
		kw_err_release(&e2);
		if (r2 == KW_ENOTFOUND) {
			rc = kw_err_invalid(err, "witnesses", "not_found");
			kw_err_detail(err, "username", json_string(u));
		} else if (r2) {
			rc = kw_err_set(err, r2, "INTERNAL", NULL,
			                "the witnesses could not be read");
		} else if (kw_authz_check(c, si, "retention.read", x.e.unit, &e2) != 0) {
			kw_err_release(&e2);
			rc = witnesses_refusal(err, "not_staff", nw, distinct, required);
			kw_err_detail(err, "username", json_string(u));
		} else {
			int dup = 0;
			for (size_t k = 0; k < distinct; k++)
				dup |= seen[k] == si->user.id;
			if (!dup) {
				seen[distinct++] = si->user.id;
				json_array_append_new(wj, json_pack("{s:I, s:s, s:s}", "user_id",
				                                    (json_int_t)si->user.id,
				                                    "username", si->user.username,
				                                    "name", si->user.display_name));
			}
			recorder |= s && si->user.id == s->user.id;
		}
		free(si);
	}
	kw_pool_put(app->pool, c);
	if (!rc && distinct < (size_t)required)
		rc = witnesses_refusal(err, nw > distinct ? "same_person" : "too_few", nw, distinct,
		                       required);
	if (!rc && !recorder)
		rc = witnesses_refusal(err, "recorder_not_witness", nw, distinct, required);
	struct destroy_job j = {.exam = exam,
	                        .user = user_of(s),
	                        .ids = ids,
	                        .n = nm,
	                        .method = json_string_value(json_object_get(body, "method")),
	                        .place = json_string_value(json_object_get(body, "place")),
	                        .note = json_string_value(json_object_get(body, "note")),
	                        .witnesses = json_dumps(wj, JSON_COMPACT | JSON_SORT_KEYS)};
	json_decref(wj);
	if (!rc) {
		struct kw_conn *c2 = kw_pool_get(app->pool);
		struct ctx x2;
		rc = ctx_load(c2, NULL, NULL, exam, &x2, err);
		kw_pool_put(app->pool, c2);
		if (!rc)
			rc = refresh(app, actor, &x2, user_of(s), err);
		ctx_release(&x2);
	}
	if (!rc)
		rc = kw_writer_run(app->writer, destroy_job, &j, actor, err);
	free(j.witnesses);
	json_t *items = json_array();
	if (!rc) {
		c = kw_pool_get(app->pool);
		for (size_t i = 0; !rc && i < nm; i++) {
			json_t *it = NULL;
			rc = item_now(c, exam, ids[i], &it, err);
			if (!rc)
				json_array_append_new(items, it);
		}
		kw_pool_put(app->pool, c);
	}
	free(ids);
	if (rc) {
		json_decref(items);
		return rc;
	}
	json_t *d = json_object_get(json_array_get(items, 0), "destruction");
	*out = json_pack("{s:O, s:o}", "destruction", d ? d : json_null(), "items", items);
	return 0;
}

int kw_retention_destructions(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                              json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct ctx x;
	int rc = ctx_load(c, s, "retention.read", exam, &x, err);
	ctx_release(&x);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT d.id, d.method, d.place, d.witnesses, d.materials, d.note, "
		        "u.display_name, d.destroyed_at FROM retention_destructions d "
		        "LEFT JOIN users u ON u.id = d.recorded_by WHERE d.exam_id = $1 "
		        "ORDER BY d.id DESC",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			json_t *w = json_loads(kw_stmt_column_text(st, 3, NULL), 0, NULL);
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:s, s:s, s:o, s:I, s:o, s:o, s:o}", "id",
			                  (json_int_t)kw_stmt_column_int64(st, 0), "method",
			                  kw_stmt_column_text(st, 1, NULL), "place",
			                  kw_stmt_column_text(st, 2, NULL), "witnesses",
			                  w ? w : json_array(), "materials",
			                  (json_int_t)kw_stmt_column_int64(st, 4), "note",
			                  col_str(st, 5), "recorded_by", col_str(st, 6),
			                  "destroyed_at",
			                  stored_time_json(kw_stmt_column_text(st, 7, NULL))));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- the video log (PQ 29) ---- */

struct video_job {
	int64_t material, done_by, user, id;
	const char *action, *purpose;
	char occurred[32], stamp[32];
	int reading;
};

static int video_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct video_job *j = arg;
	if (j->reading) {
		json_t *d = json_pack("{s:s}", "what", "video_log");
		int rc = kw_audit_append(tx, "retention.video_log.read", "retention_materials",
		                         j->material, d, err);
		json_decref(d);
		return rc;
	}
	char now[32];
	kw_clock_format(tx->now_us, now);
	/* when it happened: as given, else now (set on each run: a job may run twice) */
	memcpy(j->stamp, j->occurred[0] ? j->occurred : now, sizeof j->stamp);
	return kw_audit_put(
	        tx, err, "retention_video_log", "retention.video_log",
	        json_pack("{s:I, s:s, s:s}", "material_id", (json_int_t)j->material, "action",
	                  j->action, "purpose", j->purpose),
	        &j->id,
	        "INSERT INTO retention_video_log (material_id, action, purpose, done_by, "
	        "occurred_at, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
	        "$7)",
	        "ittitit", j->material, j->action, j->purpose, j->done_by, j->stamp, j->user, now);
}

/* The video material's exam, checked for action; NOT_FOUND when it is none or not a video. */
static int video_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                      int64_t material, int64_t *exam, struct kw_err *err)
{
	char kind[24] = "";
	int rc = material_exam(c, material, exam, kind, err);
	if (!rc && (!*exam || strcmp(kind, "video") != 0))
		rc = kw_err_not_found(err, "video material");
	struct ctx x;
	memset(&x, 0, sizeof x);
	if (!rc)
		rc = ctx_load(c, s, action, *exam, &x, err);
	ctx_release(&x);
	return rc;
}

int kw_retention_video_log_add(struct kw_app *app, const struct kw_actor *actor,
                               const struct kw_session_info *s, int64_t material,
                               const json_t *body, json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("action", 20, KW_JREQUIRED),
	        KW_JSTR("purpose", 500, KW_JREQUIRED),
	        KW_JSTR("done_by", 60, 0),
	        KW_JSTR("occurred_at", 40, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *action = json_string_value(json_object_get(body, "action"));
	if (strcmp(action, "collection") != 0 && strcmp(action, "extraction") != 0 &&
	    strcmp(action, "use") != 0)
		return kw_err_invalid(err, "action", "not_allowed");
	struct video_job j = {.material = material,
	                      .user = user_of(s),
	                      .done_by = user_of(s),
	                      .action = action,
	                      .purpose = json_string_value(json_object_get(body, "purpose"))};
	const char *occ = json_string_value(json_object_get(body, "occurred_at"));
	if (occ) {
		int64_t us;
		if (kw_clock_parse(occ, &us) != 0)
			return kw_err_invalid(err, "occurred_at", "format");
		if (us > kw_clock_now_us())
			return kw_err_invalid(err, "occurred_at", "in_future");
		kw_clock_format(us, j.occurred);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t exam = 0;
	rc = video_load(c, s, "retention.video_log", material, &exam, err);
	const char *by = json_string_value(json_object_get(body, "done_by"));
	if (!rc && by) {
		struct kw_session_info *si = calloc(1, sizeof *si);
		if (!si)
			abort();
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_app_session_of(c, by, si, &e2) != 0)
			rc = kw_err_invalid(err, "done_by", "not_found");
		else
			j.done_by = si->user.id;
		kw_err_release(&e2);
		free(si);
	}
	json_t *item = NULL;
	if (!rc)
		rc = item_now(c, exam, material, &item, err);
	kw_pool_put(app->pool, c);
	if (!rc && !json_is_null(json_object_get(item, "destruction")))
		rc = destroyed_refusal(err, material, item);
	json_decref(item);
	if (!rc && !j.done_by)
		rc = kw_err_invalid(err, "done_by", "required");
	if (!rc)
		rc = kw_writer_run(app->writer, video_job, &j, actor, err);
	if (rc)
		return rc;
	*out = json_pack("{s:I, s:I, s:s, s:s, s:I, s:o}", "id", (json_int_t)j.id, "material_id",
	                 (json_int_t)material, "action", action, "purpose", j.purpose, "done_by",
	                 (json_int_t)j.done_by, "occurred_at", stored_time_json(j.stamp));
	return 0;
}

int kw_retention_video_log(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t material, json_t **out,
                           struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t exam = 0;
	int rc = video_load(c, s, "retention.read", material, &exam, err);
	json_t *items = json_array(), *item = NULL;
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT v.id, v.action, v.purpose, v.done_by, a.username, a.display_name, "
		        "v.occurred_at, b.display_name, v.created_at FROM retention_video_log v "
		        "JOIN "
		        "users a ON a.id = v.done_by JOIN users b ON b.id = v.recorded_by WHERE "
		        "v.material_id = $1 ORDER BY v.occurred_at, v.id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, material);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:s, s:s, s:{s:I, s:s, s:s}, s:o, s:s, s:o}", "id",
			                  (json_int_t)kw_stmt_column_int64(st, 0), "action",
			                  kw_stmt_column_text(st, 1, NULL), "purpose",
			                  kw_stmt_column_text(st, 2, NULL), "done_by", "id",
			                  (json_int_t)kw_stmt_column_int64(st, 3), "username",
			                  kw_stmt_column_text(st, 4, NULL), "name",
			                  kw_stmt_column_text(st, 5, NULL), "occurred_at",
			                  stored_time_json(kw_stmt_column_text(st, 6, NULL)),
			                  "recorded_by", kw_stmt_column_text(st, 7, NULL),
			                  "recorded_at",
			                  stored_time_json(kw_stmt_column_text(st, 8, NULL))));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc)
		rc = item_now(c, exam, material, &item, err);
	kw_pool_put(app->pool, c);
	struct video_job j = {.material = material, .reading = 1};
	if (!rc)
		rc = kw_writer_run(app->writer, video_job, &j, actor, err);
	if (rc) {
		json_decref(items);
		json_decref(item);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "material", item, "items", items);
	return 0;
}

/* ---- for the package's chain ---- */

json_t *kw_retention_package(struct kw_conn *c, int64_t package)
{
	struct kw_err err = KW_ERR_INIT;
	int64_t id = 0, exam = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, exam_id FROM retention_materials WHERE package_id = "
	                         "$1",
	                         &st, &err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, package);
		rc = kw_stmt_step(st, &err);
		if (rc == KW_ROW) {
			id = kw_stmt_column_int64(st, 0);
			exam = kw_stmt_column_int64(st, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	json_t *out = NULL;
	if (!rc && !id)
		out = json_pack("{s:s}", "status", "not_registered");
	else if (!rc && item_now(c, exam, id, &out, &err) != 0)
		out = NULL;
	kw_err_release(&err);
	return out ? out : json_null();
}
