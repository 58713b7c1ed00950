/* Seating an exam: capacity, commit, seat, publish, discard (see seating.h). */
#include "app/seating.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/files.h"
#include "core/draw.h"
#include "core/params.h"
#include "core/seat.h"
#include "core/venue.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/phases.h"
#include "util/embed.h"
#include "util/sort.h"

#define BATCH_ROWS 10000

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- phase times (KAOWU_SEAT_TIMINGS=1, for bench/b_seat_db.sh) ---- */

/* With KAOWU_SEAT_TIMINGS set, capacity, commit and seat each write one line to stderr (the
 * server's log): the seconds each phase took. No personal data: counts and times only. */

/* ---- the exam and its province ---- */

struct exam {
	int64_t id, unit;
	char code[64], kind[32], ruleset[16], status[16];
	int year;
};

struct unit {
	int64_t id, parent;
	char code[64], name[200], kind[32], level[16];
};

struct units {
	struct unit *v;
	size_t n;
};

static int load_units(struct kw_conn *c, struct units *u, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT id, COALESCE(parent_id, 0), code, name, kind, level FROM units ORDER BY id",
	        &s, err);
	if (!rc)
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (u->n == cap) {
				cap = cap ? cap * 2 : 64;
				u->v = kw_xrealloc(u->v, cap * sizeof *u->v);
			}
			struct unit *x = &u->v[u->n++];
			x->id = kw_stmt_column_int64(s, 0);
			x->parent = kw_stmt_column_int64(s, 1);
			snprintf(x->code, sizeof x->code, "%s", kw_stmt_column_text(s, 2, NULL));
			snprintf(x->name, sizeof x->name, "%s", kw_stmt_column_text(s, 3, NULL));
			snprintf(x->kind, sizeof x->kind, "%s", kw_stmt_column_text(s, 4, NULL));
			snprintf(x->level, sizeof x->level, "%s", kw_stmt_column_text(s, 5, NULL));
		}
	kw_stmt_finalize(s);
	return kw_step_ok(rc);
}

/* Units come in id order (load_units): a binary search. */
static const struct unit *unit_by_id(const struct units *u, int64_t id)
{
	size_t lo = 0, hi = u->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (u->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < u->n && u->v[lo].id == id ? &u->v[lo] : NULL;
}

/* The province of unit id: the topmost provincial-level unit at or above it (a provincial
 * agency and the civil-service authority both sit under the provincial department), 0 when
 * none. */
static int64_t province_of(const struct units *u, int64_t id)
{
	int64_t found = 0;
	for (int depth = 0; id && depth < 32; depth++) {
		const struct unit *x = unit_by_id(u, id);
		if (!x)
			break;
		if (strcmp(x->level, "provincial") == 0)
			found = x->id;
		else if (found)
			break;
		id = x->parent;
	}
	return found;
}

static int exam_load(struct kw_conn *c, const struct kw_session_info *s, int64_t id,
                     const char *action, struct exam *e, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int found = 0;
	int rc = kw_conn_prepare(
	        c, "SELECT unit_id, code, kind, ruleset, status, year FROM exams WHERE id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			found = 1;
			e->id = id;
			e->unit = kw_stmt_column_int64(st, 0);
			snprintf(e->code, sizeof e->code, "%s", kw_stmt_column_text(st, 1, NULL));
			snprintf(e->kind, sizeof e->kind, "%s", kw_stmt_column_text(st, 2, NULL));
			snprintf(e->ruleset, sizeof e->ruleset, "%s",
			         kw_stmt_column_text(st, 3, NULL));
			snprintf(e->status, sizeof e->status, "%s",
			         kw_stmt_column_text(st, 4, NULL));
			e->year = (int)kw_stmt_column_int64(st, 5);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc)
		return rc;
	/* Those who may not act on the exam do not learn it exists. */
	struct kw_err e2 = KW_ERR_INIT;
	if (found && !s->candidate_id && kw_authz_check(c, s, action, e->unit, &e2) == 0)
		found = 2;
	kw_err_release(&e2);
	return found == 2 ? 0 : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
}

/* ---- parameters ---- */

/* The exam's rule set's parameters, resolved. */
static int params_of(const struct exam *e, json_t **out, struct kw_err *err)
{
	return kw_app_rule_params(e->ruleset, out, err);
}

static const json_t *pval(const json_t *res, const char *name)
{
	return json_object_get(json_object_get(res, name), "value");
}

/* ---- the inputs, from the database ---- */

struct room_centre {
	int64_t room, centre;
};

struct loaded {
	struct exam exam;
	struct units units;
	struct kw_seat_inputs in;
	int64_t *area_ids;   /* per area (after normalising): the area unit */
	uint32_t *unit_area; /* per unit (index in units): its area's index + 1, or 0 */
	struct room_centre *room_centres; /* per room: its centre's id; sorted by room id */
	json_t *left_out; /* centres left out: [{centre, name, area, reason, rule}] */
	int64_t no_area;  /* seatable registrations without an exam area */
	json_t *params;
};

static void loaded_release(struct loaded *l)
{
	kw_seat_inputs_release(&l->in);
	free(l->units.v);
	free(l->area_ids);
	free(l->unit_area);
	free(l->room_centres);
	json_decref(l->left_out);
	json_decref(l->params);
	memset(l, 0, sizeof *l);
}

/* Index of area unit u (one of l->units) in the (unsorted, while loading) areas, adding it
 * if new. */
static uint32_t area_index(struct loaded *l, size_t *cap, const struct unit *u)
{
	struct kw_seat_inputs *in = &l->in;
	size_t k = (size_t)(u - l->units.v);
	if (!l->unit_area)
		l->unit_area = kw_xcalloc(l->units.n ? l->units.n : 1, sizeof *l->unit_area);
	if (l->unit_area[k])
		return l->unit_area[k] - 1;
	if (in->nareas == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		in->areas = kw_xrealloc(in->areas, *cap * sizeof *in->areas);
		l->area_ids = kw_xrealloc(l->area_ids, *cap * sizeof *l->area_ids);
	}
	in->areas[in->nareas] = kw_xstrdup(u->code);
	l->area_ids[in->nareas] = u->id;
	l->unit_area[k] = (uint32_t)in->nareas + 1;
	return (uint32_t)in->nareas++;
}

struct subject {
	char code[32];
	int mode;
	int sitting;
};

/* The subjects and their sittings (distinct start times in order). */
static int load_subjects(struct kw_conn *c, int64_t exam, struct subject **out, size_t *n,
                         struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	size_t cap = 0;
	char last[40] = "";
	int sitting = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT code, mode, starts_at FROM subjects WHERE exam_id = $1 "
	                         "ORDER BY starts_at, code",
	                         &s, err);
	if (!rc)
		kw_stmt_bind_int64(s, 1, exam);
	if (!rc)
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			const char *at = kw_stmt_column_text(s, 2, NULL);
			if (!at) {
				rc = kw_err_set(err, KW_ERULE, "SUBJECT_NOT_TIMETABLED", "EXAM-1",
				                "subject %s has no start time",
				                kw_stmt_column_text(s, 0, NULL));
				break;
			}
			if (strcmp(at, last) != 0) {
				sitting++;
				snprintf(last, sizeof last, "%s", at);
			}
			if (sitting > KW_SEAT_MAX_SITTINGS) {
				rc = kw_err_set(err, KW_ERULE, "SEAT_TOO_MANY_SITTINGS", "SEAT-1",
				                "more than %d sittings", KW_SEAT_MAX_SITTINGS);
				break;
			}
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct subject *x = &(*out)[(*n)++];
			snprintf(x->code, sizeof x->code, "%s", kw_stmt_column_text(s, 0, NULL));
			x->mode = strcmp(kw_stmt_column_text(s, 1, NULL), "cbt") == 0
			                  ? KW_SEAT_CBT
			                  : KW_SEAT_PAPER;
			x->sitting = sitting;
		}
	kw_stmt_finalize(s);
	rc = kw_step_ok(rc);
	if (!rc && *n == 0)
		rc = kw_err_set(err, KW_ERULE, "SEAT_NO_SUBJECTS", "EXAM-1",
		                "the exam has no subjects");
	return rc;
}

/* A registration's subject group: its subjects (all the exam's when it lists none) sorted and
 * joined by "+"; mode and sittings from the subjects. -1 when a subject is unknown. */
static int group_of(const char *list, const struct subject *subj, size_t nsubj,
                    struct kw_seat_group *g, int *mixed)
{
	char *codes[32];
	size_t n = 0;
	char buf[400];
	snprintf(buf, sizeof buf, "%s", list ? list : "");
	for (char *p = strtok(buf, ","); p && n < 32; p = strtok(NULL, ","))
		codes[n++] = p;
	if (n == 0)
		for (size_t i = 0; i < nsubj && n < 32; i++)
			codes[n++] = (char *)subj[i].code;
	qsort(codes, n, sizeof *codes, kw_cmp_strp);
	char key[400] = "";
	size_t o = 0;
	g->sittings = 0;
	g->mode = -1;
	*mixed = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < nsubj && strcmp(subj[k].code, codes[i]) != 0; k++)
			;
		if (k == nsubj)
			return -1;
		if (g->mode >= 0 && g->mode != subj[k].mode)
			*mixed = 1;
		g->mode = subj[k].mode;
		g->sittings |= 1u << (subj[k].sitting - 1);
		o += (size_t)snprintf(key + o, sizeof key - o, "%s%s", i ? "+" : "", codes[i]);
		if (o >= sizeof key)
			return -1;
	}
	g->key = key[0] ? kw_xstrdup(key) : NULL;
	return g->key ? 0 : -1;
}

static uint32_t group_index(struct kw_seat_inputs *in, size_t *cap, struct kw_seat_group *g)
{
	for (size_t i = 0; i < in->ngroups; i++)
		if (strcmp(in->groups[i].key, g->key) == 0) {
			free(g->key);
			return (uint32_t)i;
		}
	if (in->ngroups == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		in->groups = kw_xrealloc(in->groups, *cap * sizeof *in->groups);
	}
	in->groups[in->ngroups] = *g;
	return (uint32_t)in->ngroups++;
}

/* The rooms of the province's areas: active rooms of active, suitable, unblocked centres. */
static int load_rooms(struct kw_conn *c, struct loaded *l, int64_t province, size_t *area_cap,
                      struct kw_err *err)
{
	const char *min = json_string_value(pval(l->params, "centre_min_level"));
	const char *appr = json_string_value(pval(l->params, "centre_below_level_approval"));
	struct kw_stmt *s = NULL;
	size_t cap = 0;
	int64_t left_centre = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT m.id, m.code, m.seats, m.mode, COALESCE(m.floor, 0), m.status, c.id, "
	        "c.code, "
	        "c.name, c.admin_level, c.provincial_approval, c.national_filing, c.status, "
	        "c.unit_id, CASE WHEN EXISTS (SELECT 1 FROM incidents i WHERE i.centre_id = c.id "
	        "AND i.major = 1 AND i.rectified_on IS NULL) THEN 1 ELSE 0 END "
	        "FROM rooms m JOIN centres c ON c.id = m.centre_id ORDER BY c.code, m.code",
	        &s, err);
	if (!rc)
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			const struct unit *area =
			        unit_by_id(&l->units, kw_stmt_column_int64(s, 13));
			if (!area || strcmp(area->kind, "area_agency") != 0 ||
			    province_of(&l->units, area->id) != province)
				continue;
			int64_t centre = kw_stmt_column_int64(s, 6);
			struct kw_centre_verdict v = kw_venue_centre_allowed(
			        min, appr, kw_stmt_column_text(s, 9, NULL),
			        kw_stmt_column_text(s, 10, NULL), kw_stmt_column_text(s, 11, NULL),
			        (int)kw_stmt_column_int64(s, 14),
			        strcmp(kw_stmt_column_text(s, 12, NULL), "active") == 0);
			if (!v.allowed) {
				if (left_centre != centre)
					json_array_append_new(
					        l->left_out,
					        json_pack("{s:s, s:s, s:s, s:s, s:s}", "centre",
					                  kw_stmt_column_text(s, 7, NULL), "name",
					                  kw_stmt_column_text(s, 8, NULL), "area",
					                  area->code, "reason", v.reason, "rule",
					                  v.rule));
				left_centre = centre;
				continue;
			}
			if (strcmp(kw_stmt_column_text(s, 5, NULL), "active") != 0)
				continue;
			uint32_t a = area_index(l, area_cap, area);
			if (l->in.nrooms == cap) {
				cap = cap ? cap * 2 : 256;
				l->in.rooms = kw_xrealloc(l->in.rooms, cap * sizeof *l->in.rooms);
				l->room_centres =
				        kw_xrealloc(l->room_centres, cap * sizeof *l->room_centres);
			}
			l->room_centres[l->in.nrooms] = (struct room_centre){
			        .room = kw_stmt_column_int64(s, 0), .centre = centre};
			l->in.rooms[l->in.nrooms++] = (struct kw_seat_room){
			        .area = a,
			        .centre = kw_xstrdup(kw_stmt_column_text(s, 7, NULL)),
			        .code = kw_xstrdup(kw_stmt_column_text(s, 1, NULL)),
			        .seats = (int)kw_stmt_column_int64(s, 2),
			        .mode = strcmp(kw_stmt_column_text(s, 3, NULL), "cbt") == 0
			                        ? KW_SEAT_CBT
			                        : KW_SEAT_PAPER,
			        .floor = (int)kw_stmt_column_int64(s, 4),
			        .ref = kw_stmt_column_int64(s, 0),
			};
		}
	kw_stmt_finalize(s);
	return kw_step_ok(rc);
}

/* Which registrations are seated: paid, and past review (qualification exams: submitted or
 * approved, since they pay on submission; the others approved). */
static const char *seatable_sql(const struct exam *e)
{
	return strcmp(e->kind, "qualification") == 0
	               ? "SELECT r.id, r.area_id, r.subjects, r.accommodation FROM registrations r "
	                 "WHERE r.exam_id = $1 AND r.status IN ('submitted', 'approved') AND "
	                 "EXISTS "
	                 "(SELECT 1 FROM payments y WHERE y.registration_id = r.id AND y.status = "
	                 "'paid') ORDER BY r.id"
	               : "SELECT r.id, r.area_id, r.subjects, r.accommodation FROM registrations r "
	                 "WHERE r.exam_id = $1 AND r.status = 'approved' AND EXISTS (SELECT 1 FROM "
	                 "payments y WHERE y.registration_id = r.id AND y.status = 'paid') ORDER "
	                 "BY "
	                 "r.id";
}

static int load_cands(struct kw_conn *c, struct loaded *l, const struct subject *subj, size_t nsubj,
                      size_t *area_cap, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	size_t cap = 0, gcap = l->in.ngroups;
	int rc = kw_conn_prepare(c, seatable_sql(&l->exam), &s, err);
	if (!rc)
		kw_stmt_bind_int64(s, 1, l->exam.id);
	uint32_t last_area = UINT32_MAX;
	int64_t last_area_id = 0;
	/* The subject lists seen and their groups: a registration's list is one of a few. */
	enum { SEEN_MAX = 256 };
	struct {
		char *list;
		uint32_t group;
	} seen[SEEN_MAX];
	size_t nseen = 0;
	if (!rc)
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (kw_stmt_column_is_null(s, 1)) {
				l->no_area++;
				continue;
			}
			int64_t area_id = kw_stmt_column_int64(s, 1);
			if (area_id != last_area_id) {
				const struct unit *u = unit_by_id(&l->units, area_id);
				if (!u)
					continue;
				last_area = area_index(l, area_cap, u);
				last_area_id = area_id;
			}
			const char *list = kw_stmt_column_text(s, 2, NULL);
			size_t k = 0;
			while (k < nseen && strcmp(seen[k].list, list ? list : "") != 0)
				k++;
			uint32_t group;
			if (k < nseen) {
				group = seen[k].group;
			} else {
				struct kw_seat_group g;
				int mixed;
				if (group_of(list, subj, nsubj, &g, &mixed)) {
					rc = kw_err_set(
					        err, KW_EINTERNAL, "INTERNAL", NULL,
					        "registration %lld lists an unknown subject",
					        (long long)kw_stmt_column_int64(s, 0));
					break;
				}
				if (mixed) {
					rc = kw_err_set(
					        err, KW_ERULE, "SEAT_MODE_MIXED", "SEAT-1",
					        "subjects %s mix paper and computer-based modes",
					        g.key);
					kw_err_detail(err, "subjects", json_string(g.key));
					free(g.key);
					break;
				}
				group = group_index(&l->in, &gcap, &g);
				if (nseen < SEEN_MAX) {
					seen[nseen].list = kw_xstrdup(list ? list : "");
					seen[nseen++].group = group;
				}
			}
			if (l->in.ncands == cap) {
				cap = cap ? cap * 2 : 1024;
				l->in.cands = kw_xrealloc(l->in.cands, cap * sizeof *l->in.cands);
			}
			l->in.cands[l->in.ncands++] = (struct kw_seat_cand){
			        .reg_id = kw_stmt_column_int64(s, 0),
			        .area = last_area,
			        .group = group,
			        .accommodation = !kw_stmt_column_is_null(s, 3),
			};
		}
	kw_stmt_finalize(s);
	for (size_t k = 0; k < nseen; k++)
		free(seen[k].list);
	return kw_step_ok(rc);
}

static int cmp_room_centre(const void *a, const void *b)
{
	const struct room_centre *x = a, *y = b;
	return (x->room > y->room) - (x->room < y->room);
}

/* Reads everything for exam (action checked) with rule_json over the defaults, normalised. */
static int load(struct kw_conn *c, const struct kw_session_info *s, int64_t exam,
                const char *action, const json_t *rule_json, struct loaded *l, struct kw_phases *tm,
                struct kw_err *err)
{
	memset(l, 0, sizeof *l);
	l->left_out = json_array();
	int rc = exam_load(c, s, exam, action, &l->exam, err);
	if (!rc && strcmp(l->exam.status, "published") != 0)
		rc = kw_err_set(err, KW_ERULE, "EXAM_NOT_PUBLISHED", "SEAT-1",
		                "only a published exam is seated");
	if (!rc)
		rc = params_of(&l->exam, &l->params, err);
	if (!rc) {
		snprintf(l->in.exam, sizeof l->in.exam, "%s", l->exam.code);
		const json_t *cap = pval(l->params, "room_capacity");
		kw_seat_rule_default(&l->in.rule,
		                     json_is_integer(cap) ? (int)json_integer_value(cap) : 30,
		                     l->exam.year);
		if (rule_json)
			rc = kw_seat_rule_from_json(&l->in.rule, rule_json, err);
	}
	if (!rc)
		rc = load_units(c, &l->units, err);
	int64_t province = rc ? 0 : province_of(&l->units, l->exam.unit);
	if (!rc && !province)
		rc = kw_err_set(err, KW_ERULE, "SEAT_NO_PROVINCE", "SEAT-1",
		                "the exam is not run by a provincial unit or one below it");
	struct subject *subj = NULL;
	size_t nsubj = 0, area_cap = 0;
	if (!rc)
		rc = load_subjects(c, exam, &subj, &nsubj, err);
	kw_phases_mark(tm, "load.exam", -1);
	if (!rc)
		rc = load_rooms(c, l, province, &area_cap, err);
	kw_phases_mark(tm, "load.rooms", -1);
	if (!rc)
		rc = load_cands(c, l, subj, nsubj, &area_cap, err);
	kw_phases_mark(tm, "load.registrations", -1);
	free(subj);
	if (!rc) {
		/* normalising sorts the areas: keep their unit ids in step */
		char **codes = kw_xcalloc(l->in.nareas + 1, sizeof *codes);
		int64_t *ids = kw_xcalloc(l->in.nareas + 1, sizeof *ids);
		for (size_t i = 0; i < l->in.nareas; i++) {
			codes[i] = kw_xstrdup(l->in.areas[i]);
			ids[i] = l->area_ids[i];
		}
		size_t n = l->in.nareas;
		rc = kw_seat_inputs_normalise(&l->in, err);
		for (size_t i = 0; i < l->in.nareas; i++)
			for (size_t k = 0; k < n; k++)
				if (strcmp(codes[k], l->in.areas[i]) == 0)
					l->area_ids[i] = ids[k];
		for (size_t i = 0; i < n; i++)
			free(codes[i]);
		free(codes);
		free(ids);
		if (l->in.nrooms)
			qsort(l->room_centres, l->in.nrooms, sizeof *l->room_centres,
			      cmp_room_centre);
		/* unit → area index, now in the sorted order */
		if (l->unit_area)
			memset(l->unit_area, 0, l->units.n * sizeof *l->unit_area);
		for (size_t i = 0; l->unit_area && i < l->in.nareas; i++) {
			const struct unit *u = unit_by_id(&l->units, l->area_ids[i]);
			if (u)
				l->unit_area[u - l->units.v] = (uint32_t)i + 1;
		}
	}
	kw_phases_mark(tm, "load.sort", -1);
	return rc;
}

/* The centre (id) of room id ref, 0 when unknown. */
static int64_t centre_of(const struct loaded *l, int64_t ref)
{
	size_t lo = 0, hi = l->in.nrooms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->room_centres[mid].room < ref)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->in.nrooms && l->room_centres[lo].room == ref ? l->room_centres[lo].centre
	                                                            : 0;
}

static const struct unit *area_unit(const struct loaded *l, uint32_t a)
{
	return unit_by_id(&l->units, l->area_ids[a]);
}

/* {area, subjects, candidates, seats, short} for each shortfall. */
static json_t *shorts_json(const struct loaded *l, const struct kw_seat_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nshorts; i++) {
		const struct kw_seat_short *x = &r->shorts[i];
		json_array_append_new(
		        a, json_pack("{s:s, s:s, s:I, s:I, s:I}", "area", l->in.areas[x->area],
		                     "subjects", l->in.groups[x->group].key, "candidates",
		                     (json_int_t)x->candidates, "seats", (json_int_t)x->seats,
		                     "short", (json_int_t)(x->candidates - x->seats)));
	}
	return a;
}

static json_t *sittings_json(uint32_t m)
{
	json_t *a = json_array();
	for (int s = 0; s < KW_SEAT_MAX_SITTINGS; s++)
		if (m & (1u << s))
			json_array_append_new(a, json_integer(s + 1));
	return a;
}

/* ---- capacity (VEN-2, VEN-4, SEAT-1) ---- */

/* Qualified staff (ORG-4: passed training) by area and post: have[a] gets {post: count} for
 * the staff whose unit is area a's unit or below it. One pass over the staff. */
static int staff_counts(struct kw_conn *c, const struct loaded *l, json_t **have,
                        struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT f.post, f.unit_id FROM staff f WHERE f.status = 'active' "
	                        "AND EXISTS (SELECT 1 "
	                        "FROM trainings t WHERE t.staff_id = f.id AND t.result = 'passed')",
	                        &s, err);
	if (!rc)
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t u = kw_stmt_column_int64(s, 1);
			size_t a = 0; /* the area's index + 1 */
			for (int depth = 0; u && depth < 32 && !a; depth++) {
				const struct unit *x = unit_by_id(&l->units, u);
				a = x && l->unit_area ? l->unit_area[x - l->units.v] : 0;
				u = x ? x->parent : 0;
			}
			if (!a)
				continue;
			a--;
			const char *post = kw_stmt_column_text(s, 0, NULL);
			json_object_set_new(
			        have[a], post,
			        json_integer(json_integer_value(json_object_get(have[a], post)) +
			                     1));
		}
	kw_stmt_finalize(s);
	return kw_step_ok(rc);
}

static void need(json_t *gaps, const json_t *have, const char *post, json_int_t want)
{
	json_int_t got = json_integer_value(json_object_get(have, post));
	if (got < want)
		json_array_append_new(gaps,
		                      json_pack("{s:s, s:I, s:I, s:I}", "post", post, "needed",
		                                want, "available", got, "short", want - got));
}

int kw_seating_capacity(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const json_t *body, json_t **out, struct kw_err *err)
{
	struct kw_phases tm;
	kw_phases_start(&tm, "KAOWU_SEAT_TIMINGS", "seating capacity of exam %lld",
	                (long long)exam);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct loaded l;
	int rc = load(c, s, exam, "seating.read", json_object_get(body, "rule"), &l, &tm, err);
	struct kw_seat_result r;
	memset(&r, 0, sizeof r);
	uint8_t zero[KW_DRAW_SEED_BYTES] = {0};
	json_t *areas = json_array();
	int ok = 0;
	if (!rc) {
		/* The rooms each group takes do not depend on the seed, only its order does. */
		struct kw_err e2 = KW_ERR_INIT;
		ok = kw_seat_assign(&l.in, zero, &r, &e2) == 0;
		kw_err_release(&e2);
	}
	kw_phases_mark(&tm, "assign", -1);
	int per_room = (int)json_integer_value(pval(l.params, "proctors_per_room_min"));
	/* One pass over the candidates and one over the exam rooms. Per (area, group): the
	 * candidates, accommodation needs, exam rooms, seats taken and shortfall; per area: the
	 * exam rooms busy in each sitting and the centres used (those serving CBT apart). */
	size_t na = l.in.nareas, ng = l.in.ngroups, cells = na * ng;
	struct cell {
		uint64_t cands, acc, rooms, seats, shortby;
	} *cell = kw_xcalloc(cells ? cells : 1, sizeof *cell);
	uint32_t(*busy)[KW_SEAT_MAX_SITTINGS] = kw_xcalloc(na ? na : 1, sizeof *busy);
	json_t **centres = kw_xcalloc(na ? 3 * na : 1, sizeof *centres);
	json_t **cbt_centres = centres + na, **have = centres + 2 * na;
	for (size_t a = 0; a < na; a++) {
		centres[a] = json_object();
		cbt_centres[a] = json_object();
		have[a] = json_object();
	}
	for (size_t i = 0; !rc && i < l.in.ncands; i++) {
		struct cell *x = &cell[(size_t)l.in.cands[i].area * ng + l.in.cands[i].group];
		x->cands++;
		x->acc += l.in.cands[i].accommodation;
	}
	for (size_t e = 0; !rc && e < r.nrooms; e++) {
		const struct kw_seat_examroom *x = &r.rooms[e];
		const struct kw_seat_room *room = &l.in.rooms[x->room];
		struct cell *y = &cell[(size_t)room->area * ng + x->group];
		y->rooms++;
		y->seats += x->count;
		json_object_set_new(centres[room->area], room->centre, json_true());
		if (l.in.groups[x->group].mode == KW_SEAT_CBT)
			json_object_set_new(cbt_centres[room->area], room->centre, json_true());
		for (int st = 0; st < KW_SEAT_MAX_SITTINGS; st++)
			if (l.in.groups[x->group].sittings & (1u << st))
				busy[room->area][st]++;
	}
	for (size_t k = 0; !rc && k < r.nshorts; k++)
		cell[(size_t)r.shorts[k].area * ng + r.shorts[k].group].shortby =
		        r.shorts[k].candidates - r.shorts[k].seats;
	if (!rc)
		rc = staff_counts(c, &l, have, err);
	for (size_t a = 0; !rc && a < na; a++) {
		const struct unit *u = area_unit(&l, (uint32_t)a);
		json_t *groups = json_array();
		for (size_t g = 0; g < ng; g++) {
			const struct cell *x = &cell[a * ng + g];
			if (!x->cands)
				continue;
			json_array_append_new(
			        groups,
			        json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:I}", "subjects",
			                  l.in.groups[g].key, "mode",
			                  l.in.groups[g].mode == KW_SEAT_CBT ? "cbt" : "paper",
			                  "sittings", sittings_json(l.in.groups[g].sittings),
			                  "candidates", (json_int_t)x->cands, "accommodation",
			                  (json_int_t)x->acc, "exam_rooms", (json_int_t)x->rooms,
			                  "seats_taken", (json_int_t)x->seats, "short",
			                  (json_int_t)x->shortby));
		}
		uint32_t peak = 0;
		for (int st = 0; st < KW_SEAT_MAX_SITTINGS; st++)
			if (busy[a][st] > peak)
				peak = busy[a][st];
		json_t *gaps = json_array();
		need(gaps, have[a], "chief_examiner", (json_int_t)json_object_size(centres[a]));
		need(gaps, have[a], "proctor", (json_int_t)peak * per_room);
		need(gaps, have[a], "cbt_admin", (json_int_t)json_object_size(cbt_centres[a]));
		json_array_append_new(
		        areas,
		        json_pack("{s:s, s:s, s:o, s:I, s:I, s:O, s:o}", "area", u ? u->code : "",
		                  "name", u ? u->name : "", "groups", groups, "centres_used",
		                  (json_int_t)json_object_size(centres[a]), "peak_exam_rooms",
		                  (json_int_t)peak, "staff", have[a], "staffing_gaps", gaps));
	}
	for (size_t a = 0; a < na; a++) {
		json_decref(centres[a]);
		json_decref(cbt_centres[a]);
		json_decref(have[a]);
	}
	free(centres);
	free(busy);
	free(cell);
	if (!rc) {
		json_t *rule = kw_seat_rule_json(&l.in.rule);
		*out = json_pack("{s:I, s:s, s:o, s:I, s:I, s:I, s:o, s:O, s:o, s:b}", "exam_id",
		                 (json_int_t)exam, "exam", l.exam.code, "rule", rule, "candidates",
		                 (json_int_t)l.in.ncands, "rooms", (json_int_t)l.in.nrooms,
		                 "without_area", (json_int_t)l.no_area, "areas", areas,
		                 "centres_left_out", l.left_out, "shortfalls", shorts_json(&l, &r),
		                 "feasible", ok && l.no_area == 0 && l.in.ncands > 0);
		areas = NULL;
	}
	json_decref(areas);
	kw_seat_result_release(&r);
	loaded_release(&l);
	kw_pool_put(app->pool, c);
	kw_phases_mark(&tm, "plan", -1);
	kw_phases_end(&tm, rc);
	return rc;
}

/* ---- runs ---- */

static const char run_cols[] =
        "id, exam_id, status, rule, inputs_digest, candidates, rooms, commitment, seed, "
        "assignment_digest, exam_rooms, reason, committed_by, seated_by, published_by, "
        "committed_at, seated_at, published_at, updated_at";
static const char *const run_names[] = {
        "id",           "exam_id",   "status",       "rule",       "inputs_digest",
        "candidates",   "rooms",     "commitment",   "seed",       "assignment_digest",
        "exam_rooms",   "reason",    "committed_by", "seated_by",  "published_by",
        "committed_at", "seated_at", "published_at", "updated_at", NULL};
static const char run_types[] = "iitjtiitttitiiitttt";

static json_t *run_json(struct kw_stmt *s)
{
	json_t *o = json_object();
	for (int i = 0; run_names[i]; i++) {
		json_t *v;
		if (kw_stmt_column_is_null(s, i))
			v = json_null();
		else if (run_types[i] == 'i')
			v = json_integer(kw_stmt_column_int64(s, i));
		else if (run_types[i] == 'j')
			v = json_loads(kw_stmt_column_text(s, i, NULL), 0, NULL);
		else
			v = json_string(kw_stmt_column_text(s, i, NULL));
		json_object_set_new(o, run_names[i], v ? v : json_null());
	}
	return o;
}

/* The run (and its exam, action checked): 0, or 404 for whoever may not see it. */
static int run_load(struct kw_conn *c, const struct kw_session_info *s, int64_t id,
                    const char *action, json_t **run, struct exam *e, struct kw_err *err)
{
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT %s FROM seating_runs WHERE id = $1", run_cols);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	*run = NULL;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*run = run_json(st);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !*run)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such seating run");
	if (!rc) {
		rc = exam_load(c, s, json_integer_value(json_object_get(*run, "exam_id")), action,
		               e, err);
		if (rc == KW_ENOTFOUND)
			kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such seating run");
	}
	if (rc) {
		json_decref(*run);
		*run = NULL;
	}
	return rc;
}

int kw_seating_reach(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                     const char *action, int64_t *exam, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *r = NULL;
	struct exam e;
	int rc = run_load(c, s, run, action, &r, &e, err);
	kw_pool_put(app->pool, c);
	json_decref(r);
	if (!rc)
		*exam = e.id;
	return rc;
}

int kw_seating_get(struct kw_app *app, const struct kw_session_info *s, int64_t run, json_t **out,
                   struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct exam e;
	int rc = run_load(c, s, run, "seating.read", out, &e, err);
	if (!rc)
		json_object_set_new(*out, "exam", json_string(e.code));
	kw_pool_put(app->pool, c);
	return rc;
}

/* The open run of an exam (committed, seated or published), 0 when none. */
static int open_run(struct kw_conn *c, int64_t exam, int64_t *id, char status[16],
                    struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*id = 0;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT id, status FROM seating_runs WHERE exam_id = $1 AND status "
	                        "<> 'discarded' ORDER BY id DESC",
	                        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*id = kw_stmt_column_int64(st, 0);
			snprintf(status, 16, "%s", kw_stmt_column_text(st, 1, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* ---- commit ---- */

struct commit_job {
	int64_t exam, staff;
	const char *inputs;
	size_t ninputs;
	char digest[65], commitment[65], seed_hex[65];
	char *rule;
	int64_t cands, rooms;
	int64_t id;
};

static int commit_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct commit_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	/* Another run opened meanwhile: refused here too, under the writer's lock. */
	int64_t other;
	char st[16];
	int rc = open_run(tx->conn, j->exam, &other, st, err);
	if (!rc && other)
		return kw_err_set(err, KW_ECONFLICT, "SEATING_OPEN", "SEAT-1",
		                  "seating run %lld of this exam is %s", (long long)other, st);
	if (!rc)
		rc = kw_files_blob_put(tx->conn, j->digest, j->inputs, j->ninputs, now, err);
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "seating_runs", &s, err,
		        "INSERT INTO seating_runs (exam_id, status, rule, inputs_digest, "
		        "candidates, rooms, commitment, committed_by, committed_at, "
		        "updated_at) VALUES ($1, 'committed', $2, $3, $4, $5, $6, $7, "
		        "$8, $8)");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->exam);
		kw_stmt_bind_textz(s, 2, j->rule);
		kw_stmt_bind_textz(s, 3, j->digest);
		kw_stmt_bind_int64(s, 4, j->cands);
		kw_stmt_bind_int64(s, 5, j->rooms);
		kw_stmt_bind_textz(s, 6, j->commitment);
		kw_stmt_bind_int64(s, 7, j->staff);
		kw_stmt_bind_textz(s, 8, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			j->id = kw_stmt_column_int64(s, 0);
			json_t *d = json_pack("{s:I, s:s, s:s, s:I, s:I}", "exam_id",
			                      (json_int_t)j->exam, "inputs_digest", j->digest,
			                      "commitment", j->commitment, "candidates",
			                      (json_int_t)j->cands, "rooms", (json_int_t)j->rooms);
			rc = kw_audit_append_row(tx, "seating.commit", "seating_runs", s, d, err);
			json_decref(d);
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(tx->conn,
		                     "INSERT INTO seating_seeds (run_id, seed) VALUES ($1, $2)", &s,
		                     err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->id);
		kw_stmt_bind_textz(s, 2, j->seed_hex);
		rc = kw_step_ok(kw_stmt_step(s, err));
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The refusal when the loaded inputs cannot be seated as they stand. */
static int unseatable(const struct loaded *l, struct kw_err *err)
{
	if (l->no_area)
		return kw_err_set(err, KW_ERULE, "SEAT_AREA_MISSING", "SEAT-1",
		                  "%lld seatable registrations have no exam area",
		                  (long long)l->no_area);
	if (!l->in.ncands)
		return kw_err_set(err, KW_ERULE, "SEAT_NOTHING_TO_SEAT", "SEAT-1",
		                  "no registration of this exam is paid and past review");
	uint8_t zero[KW_DRAW_SEED_BYTES] = {0};
	struct kw_seat_result r;
	int rc = kw_seat_assign(&l->in, zero, &r, err);
	if (rc && r.nshorts)
		kw_err_detail(err, "shortfalls", shorts_json(l, &r));
	kw_seat_result_release(&r);
	return rc;
}

int kw_seating_commit(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v) if (strcmp(key, "rule") != 0)
	{
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", key, "problem", "unknown"));
		return KW_EINVAL;
	}
	struct kw_phases tm;
	kw_phases_start(&tm, "KAOWU_SEAT_TIMINGS", "seating commit of exam %lld", (long long)exam);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct loaded l;
	int rc = load(c, s, exam, "seating.run", json_object_get(body, "rule"), &l, &tm, err);
	int64_t other = 0;
	char st[16] = "";
	if (!rc)
		rc = open_run(c, exam, &other, st, err);
	kw_pool_put(app->pool, c);
	if (!rc && other)
		rc = kw_err_set(err, KW_ECONFLICT,
		                strcmp(st, "published") == 0 ? "SEATING_PUBLISHED" : "SEATING_OPEN",
		                "SEAT-1", "seating run %lld of this exam is %s", (long long)other,
		                st);
	if (!rc)
		rc = unseatable(&l, err);
	kw_phases_mark(&tm, "assign", -1);
	struct kw_buf file = KW_BUF_INIT;
	kw_buf_init(&file, 0);
	struct commit_job j = {.exam = exam, .staff = s->user.id};
	if (!rc)
		rc = kw_seat_inputs_write(&l.in, &file)
		             ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "inputs file")
		             : 0;
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (!rc) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(h, (const unsigned char *)file.buf, file.len);
		sodium_bin2hex(j.digest, sizeof j.digest, h, sizeof h);
		rc = kw_draw_seed_new(seed, err);
	}
	kw_phases_mark(&tm, "inputs_file", -1);
	if (!rc)
		rc = kw_draw_commit(seed, j.commitment, err);
	if (!rc) {
		kw_draw_seed_hex(seed, j.seed_hex);
		sodium_memzero(seed, sizeof seed);
		json_t *rule = kw_seat_rule_json(&l.in.rule);
		j.rule = json_dumps(rule, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(rule);
		j.inputs = file.buf;
		j.ninputs = file.len;
		j.cands = (int64_t)l.in.ncands;
		j.rooms = (int64_t)l.in.nrooms;
		rc = kw_writer_run(app->writer, commit_job, &j, actor, err);
	}
	kw_phases_mark(&tm, "write", -1);
	sodium_memzero(j.seed_hex, sizeof j.seed_hex);
	free(j.rule);
	kw_buf_release(&file);
	loaded_release(&l);
	if (!rc)
		rc = kw_seating_get(app, s, j.id, out, err);
	kw_phases_mark(&tm, "reply", -1);
	kw_phases_end(&tm, rc);
	return rc;
}

/* ---- seat ---- */

/* What the seat job writes, prepared before it runs (the writer is held only to write). */
struct seat_job {
	int64_t run, exam, staff;
	const struct loaded *l;
	const struct kw_seat_result *r;
	const char *seed_hex, *assignment;
	uint32_t *xorder;  /* exam rooms in ticket-number order */
	char (*first)[64]; /* per exam room: its first and last ticket numbers */
	char (*last)[64];
	uint8_t *slow;   /* per exam room: 1 when its numbers need kw_seat_ticket_no */
	size_t seat_off; /* where the seat field sits in a ticket number, and its width */
	int seat_w;
	uint32_t *rank;                   /* per exam room: its place in xorder */
	uint32_t *seq;                    /* the candidates in the order their seats are written */
	int64_t *room_ids;                /* per exam room, once inserted */
	double t_rooms, t_seats, t_audit; /* seconds (KAOWU_SEAT_TIMINGS) */
};

/* The seat field's offset and width in the numbers of scheme: every field has a fixed width
 * (core/seat.h), so it is the scheme's literal bytes and field widths before "{seat:W}".
 * 0 when found. */
static int seat_field(const char *scheme, size_t *off, int *w)
{
	size_t o = 0;
	for (const char *p = scheme; *p;) {
		if (*p != '{') {
			o++;
			p++;
			continue;
		}
		const char *colon = strchr(p, ':'), *end = strchr(p, '}');
		if (!colon || !end || colon > end || colon[1] < '1' || colon[1] > '9')
			return -1;
		if (strncmp(p, "{seat:", 6) == 0) {
			*off = o;
			*w = colon[1] - '0';
			return 0;
		}
		o += (size_t)(colon[1] - '0');
		p = end + 1;
	}
	return -1;
}

/* The ticket number of seat `seat` of exam room e into out[64]: the room's first number with
 * the seat field rewritten, or kw_seat_ticket_no where that shortcut was not proven. */
static void ticket_of(const struct seat_job *j, uint32_t e, uint32_t seat, char out[64])
{
	if (j->slow[e]) {
		kw_seat_ticket_no(&j->l->in, j->r, e, seat, out, 64);
		return;
	}
	memcpy(out, j->first[e], 64);
	char *d = out + j->seat_off;
	for (int i = j->seat_w - 1; i >= 0; i--, seat /= 10)
		d[i] = (char)('0' + seat % 10);
}

/* Seat order: exam room (in ticket-number order), then seat. */
static int cmp_seat(const void *a, const void *b, void *arg)
{
	const struct seat_job *j = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint32_t rx = j->rank[j->r->room_of[x]], ry = j->rank[j->r->room_of[y]];
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return (j->r->seat_of[x] > j->r->seat_of[y]) - (j->r->seat_of[x] < j->r->seat_of[y]);
}

static int cmp_xorder(const void *a, const void *b, void *arg)
{
	const struct seat_job *j = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(j->first[x], j->first[y]);
	return c ? c : (x > y) - (x < y);
}

/* The order seats are written in. The seats table has four indexes: two follow the
 * registration, two the ticket number ((run, ticket) and (exam room, seat), exam rooms being
 * written in ticket-number order). No order is sequential for both pairs, and inserts in
 * random order into an index of millions of entries are what a large write spends most on.
 * So: blocks of SEAT_BLOCK consecutive registrations (their index entries and the
 * foreign-key look-ups into registrations stay within a small range), each block in seat
 * order (its ticket-number entries go in ascending order). At 3,000,000 seats this took the
 * seats' write from about 80 s (registration order) to about 45 s on SQLite (blocks of
 * 100,000 and 10,000 did less well; bench/RESULTS.md, issue 7). */
enum { SEAT_BLOCK = 32768 };

/* Fills the job's ticket numbers, the exam rooms' order (ticket-number order: their ids
 * follow the numbers) and the seats' order (above). */
static void seat_job_prepare(struct seat_job *j)
{
	const struct kw_seat_result *r = j->r;
	size_t n = r->nrooms ? r->nrooms : 1;
	j->xorder = kw_xcalloc(n, sizeof *j->xorder);
	j->first = kw_xcalloc(n, sizeof *j->first);
	j->last = kw_xcalloc(n, sizeof *j->last);
	j->slow = kw_xcalloc(n, sizeof *j->slow);
	j->room_ids = kw_xcalloc(n, sizeof *j->room_ids);
	int fast = seat_field(j->l->in.rule.ticket_scheme, &j->seat_off, &j->seat_w) == 0;
	for (size_t e = 0; e < r->nrooms; e++) {
		j->xorder[e] = (uint32_t)e;
		kw_seat_ticket_no(&j->l->in, r, (uint32_t)e, 1, j->first[e], 64);
		kw_seat_ticket_no(&j->l->in, r, (uint32_t)e, r->rooms[e].count, j->last[e], 64);
		/* the shortcut must give the room's last number too, else it is not used */
		char t[64];
		j->slow[e] = !fast || j->seat_off + (size_t)j->seat_w > strlen(j->first[e]);
		if (!j->slow[e]) {
			ticket_of(j, (uint32_t)e, r->rooms[e].count, t);
			j->slow[e] = strcmp(t, j->last[e]) != 0;
		}
	}
	if (r->nrooms)
		qsort_r(j->xorder, r->nrooms, sizeof *j->xorder, cmp_xorder, j);
	j->rank = kw_xcalloc(n, sizeof *j->rank);
	for (size_t k = 0; k < r->nrooms; k++)
		j->rank[j->xorder[k]] = (uint32_t)k;
	size_t nc = j->l->in.ncands;
	j->seq = kw_xcalloc(nc ? nc : 1, sizeof *j->seq);
	for (size_t c = 0; c < nc; c++)
		j->seq[c] = (uint32_t)c;
	for (size_t b = 0; b < nc; b += SEAT_BLOCK)
		qsort_r(j->seq + b, nc - b < SEAT_BLOCK ? nc - b : SEAT_BLOCK, sizeof *j->seq,
		        cmp_seat, j);
}

static void seat_job_release(struct seat_job *j)
{
	free(j->rank);
	free(j->seq);
	free(j->xorder);
	free(j->first);
	free(j->last);
	free(j->slow);
	free(j->room_ids);
}

/* Appends the batch records for rows[0..n) (at most BATCH_ROWS each). */
static int batches(struct kw_tx *tx, const char *action, const char *entity,
                   struct kw_batch_row *rows, size_t n, int64_t run, struct kw_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i += BATCH_ROWS) {
		size_t k = n - i < BATCH_ROWS ? n - i : BATCH_ROWS;
		json_t *d = json_pack("{s:I}", "run_id", (json_int_t)run);
		rc = kw_audit_append_batch(tx, action, entity, rows + i, k, d, err);
		json_decref(d);
	}
	return rc;
}

/* Exam rooms go ROOM_ROWS to an INSERT: $1 run, $2 exam, $3 time, then ten a row. */
enum { ROOM_ROWS = 32 };

static int prepare_rooms(struct kw_tx *tx, size_t k, struct kw_stmt **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "INSERT INTO exam_rooms (run_id, exam_id, area_id, centre_id, room_id, "
	                "number, subjects, sittings, seats_taken, accommodation, first_ticket, "
	                "last_ticket, created_at) VALUES ");
	for (size_t i = 0; i < k; i++) {
		size_t p = 10 * i + 4;
		kw_buf_addf(
		        &b,
		        "%s($1, $2, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, "
		        "$3)",
		        i ? ", " : "", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8,
		        p + 9);
	}
	int rc = kw_audit_prepare(tx->conn, "exam_rooms", out, err, "%s", b.buf);
	kw_buf_release(&b);
	return rc;
}

static int insert_rooms(struct kw_tx *tx, struct seat_job *j, const char *now, struct kw_err *err)
{
	const struct loaded *l = j->l;
	const struct kw_seat_result *r = j->r;
	size_t n = r->nrooms;
	memset(j->room_ids, 0, (n ? n : 1) * sizeof *j->room_ids); /* the job may run twice */
	/* each group's sittings as the table keeps them, "1,2" */
	char(*sittings)[128] = kw_xcalloc(l->in.ngroups ? l->in.ngroups : 1, sizeof *sittings);
	for (size_t g = 0; g < l->in.ngroups; g++)
		for (int st = 0, o = 0; st < KW_SEAT_MAX_SITTINGS; st++)
			if (l->in.groups[g].sittings & (1u << st))
				o += snprintf(sittings[g] + o, sizeof sittings[g] - (size_t)o,
				              "%s%d", o ? "," : "", st + 1);
	struct kw_stmt *many = NULL, *rest = NULL;
	int rc = n >= ROOM_ROWS ? prepare_rooms(tx, ROOM_ROWS, &many, err) : 0;
	if (!rc && n % ROOM_ROWS)
		rc = prepare_rooms(tx, n % ROOM_ROWS, &rest, err);
	struct kw_batch_row *rows = kw_xcalloc(n ? n : 1, sizeof *rows);
	size_t done = 0;
	for (size_t i = 0; !rc && i < n; i += ROOM_ROWS) {
		size_t k = n - i < ROOM_ROWS ? n - i : ROOM_ROWS;
		struct kw_stmt *s = k == ROOM_ROWS ? many : rest;
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, j->run);
		kw_stmt_bind_int64(s, 2, j->exam);
		kw_stmt_bind_textz(s, 3, now);
		for (size_t q = 0; q < k; q++) {
			uint32_t e = j->xorder[i + q];
			const struct kw_seat_examroom *x = &r->rooms[e];
			const struct kw_seat_room *room = &l->in.rooms[x->room];
			int p = (int)(10 * q + 4);
			kw_stmt_bind_int64(s, p, l->area_ids[room->area]);
			kw_stmt_bind_int64(s, p + 1, centre_of(l, room->ref));
			kw_stmt_bind_int64(s, p + 2, room->ref);
			kw_stmt_bind_int64(s, p + 3, x->number);
			kw_stmt_bind_textz(s, p + 4, l->in.groups[x->group].key);
			kw_stmt_bind_textz(s, p + 5, sittings[x->group]);
			kw_stmt_bind_int64(s, p + 6, x->count);
			kw_stmt_bind_int64(s, p + 7, x->accommodation);
			kw_stmt_bind_textz(s, p + 8, j->first[e]);
			kw_stmt_bind_textz(s, p + 9, j->last[e]);
		}
		/* The rows come back in no promised order: each is matched to its exam room by
		 * (room, subjects), unique in a run. */
		size_t got = 0;
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t room_id = kw_stmt_column_int64(s, 5);
			const char *subjects = kw_stmt_column_text(s, 7, NULL);
			size_t q = 0;
			for (; q < k; q++) {
				uint32_t e = j->xorder[i + q];
				if (!j->room_ids[e] &&
				    l->in.rooms[r->rooms[e].room].ref == room_id && subjects &&
				    strcmp(l->in.groups[r->rooms[e].group].key, subjects) == 0)
					break;
			}
			if (q == k || got == k ||
			    kw_audit_digest_row("exam_rooms", s, &rows[done].id,
			                        rows[done].digest)) {
				rc = KW_EINTERNAL;
				break;
			}
			j->room_ids[j->xorder[i + q]] = rows[done].id;
			done++;
			got++;
		}
		if (rc == KW_DONE && got == k)
			rc = 0;
		else if (rc == KW_DONE || rc == KW_EINTERNAL)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "exam rooms not written");
	}
	kw_stmt_finalize(many);
	kw_stmt_finalize(rest);
	free(sittings);
	double t = kw_phases_now();
	if (!rc)
		rc = batches(tx, "seating.rooms", "exam_rooms", rows, n, j->run, err);
	j->t_audit += kw_phases_now() - t;
	free(rows);
	return rc;
}

/* Seats go in multi-row INSERTs of SEAT_ROWS rows (a statement per row cost most of the
 * write at national scale); $1 is the run, $2 the time, then four parameters a row. */
enum { SEAT_ROWS = 128 };

static int prepare_seats(struct kw_tx *tx, size_t k, struct kw_stmt **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "INSERT INTO seats (run_id, registration_id, exam_room_id, seat_no, "
	                "ticket_no, created_at, updated_at) VALUES ");
	for (size_t i = 0; i < k; i++)
		kw_buf_addf(&b, "%s($1, $%zu, $%zu, $%zu, $%zu, $2, $2)", i ? ", " : "", 4 * i + 3,
		            4 * i + 4, 4 * i + 5, 4 * i + 6);
	int rc = kw_audit_prepare(tx->conn, "seats", out, err, "%s", b.buf);
	kw_buf_release(&b);
	return rc;
}

static int insert_seats(struct kw_tx *tx, struct seat_job *j, const char *now, struct kw_err *err)
{
	const struct loaded *l = j->l;
	const struct kw_seat_result *r = j->r;
	size_t n = l->in.ncands;
	struct kw_stmt *many = NULL, *rest = NULL;
	int rc = n >= SEAT_ROWS ? prepare_seats(tx, SEAT_ROWS, &many, err) : 0;
	if (!rc && n % SEAT_ROWS)
		rc = prepare_seats(tx, n % SEAT_ROWS, &rest, err);
	struct kw_batch_row *rows = kw_xcalloc(n ? n : 1, sizeof *rows);
	size_t done = 0;
	for (size_t i = 0; !rc && i < n; i += SEAT_ROWS) {
		size_t k = n - i < SEAT_ROWS ? n - i : SEAT_ROWS;
		struct kw_stmt *s = k == SEAT_ROWS ? many : rest;
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, j->run);
		kw_stmt_bind_textz(s, 2, now);
		for (size_t q = 0; q < k; q++) {
			size_t c = j->seq[i + q];
			int p = (int)(4 * q + 3);
			char ticket[64];
			ticket_of(j, r->room_of[c], r->seat_of[c], ticket);
			kw_stmt_bind_int64(s, p, l->in.cands[c].reg_id);
			kw_stmt_bind_int64(s, p + 1, j->room_ids[r->room_of[c]]);
			kw_stmt_bind_int64(s, p + 2, r->seat_of[c]);
			kw_stmt_bind_textz(s, p + 3, ticket);
		}
		/* one row back per seat written, each audited by its digest */
		size_t got = 0;
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (got == k ||
			    kw_audit_digest_row("seats", s, &rows[done].id, rows[done].digest)) {
				rc = KW_EINTERNAL;
				break;
			}
			done++;
			got++;
		}
		if (rc == KW_DONE && got == k)
			rc = 0;
		else if (rc == KW_DONE || rc == KW_EINTERNAL)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "seats not written");
	}
	kw_stmt_finalize(many);
	kw_stmt_finalize(rest);
	double t = kw_phases_now();
	if (!rc)
		rc = batches(tx, "seating.seats", "seats", rows, n, j->run, err);
	j->t_audit += kw_phases_now() - t;
	free(rows);
	return rc;
}

static int seat_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct seat_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	/* SQLite: a page cache that holds the seats' indexes while they grow in random order
	 * (with the default 2 MB every insert re-read index pages from the log); back to the
	 * default afterwards, as the bulk import does. */
	int sqlite = kw_conn_driver(tx->conn) == KW_DRIVER_SQLITE;
	if (sqlite && kw_conn_exec(tx->conn, "PRAGMA cache_size = -524288", err))
		return KW_ESTORE;
	j->t_audit = 0;
	double t = kw_phases_now();
	int rc = insert_rooms(tx, j, now, err);
	j->t_rooms = kw_phases_now() - t;
	t = kw_phases_now();
	if (!rc)
		rc = insert_seats(tx, j, now, err);
	j->t_seats = kw_phases_now() - t;
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "seating_runs", &s, err,
		                      "UPDATE seating_runs SET status = 'seated', seed = $1, "
		                      "assignment_digest = $2, exam_rooms = $3, seated_by = $4, "
		                      "seated_at = $5, updated_at = $5 WHERE id = $6 AND status = "
		                      "'committed'");
	if (!rc) {
		kw_stmt_bind_textz(s, 1, j->seed_hex);
		kw_stmt_bind_textz(s, 2, j->assignment);
		kw_stmt_bind_int64(s, 3, (int64_t)j->r->nrooms);
		kw_stmt_bind_int64(s, 4, j->staff);
		kw_stmt_bind_textz(s, 5, now);
		kw_stmt_bind_int64(s, 6, j->run);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			json_t *d = json_pack("{s:s, s:s, s:I, s:I}", "seed", j->seed_hex,
			                      "assignment_digest", j->assignment, "exam_rooms",
			                      (json_int_t)j->r->nrooms, "seats",
			                      (json_int_t)j->l->in.ncands);
			rc = kw_audit_append_row(tx, "seating.seat", "seating_runs", s, d, err);
			json_decref(d);
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ECONFLICT, "SEATING_NOT_COMMITTED", "SEAT-1",
			                "the run is no longer waiting to be seated");
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(tx->conn, "DELETE FROM seating_seeds WHERE run_id = $1", &s,
		                     err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->run);
		rc = kw_step_ok(kw_stmt_step(s, err));
	}
	kw_stmt_finalize(s);
	if (sqlite) {
		struct kw_err e2 = KW_ERR_INIT;
		(void)kw_conn_exec(tx->conn, "PRAGMA cache_size = -2000", &e2);
		kw_err_release(&e2);
	}
	return rc;
}

static int seed_of_run(struct kw_conn *c, int64_t run, char hex[65], struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT seed FROM seating_seeds WHERE run_id = $1", &st, err);
	hex[0] = '\0';
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			snprintf(hex, 65, "%s", kw_stmt_column_text(st, 0, NULL));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !hex[0])
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "the run's seed is missing");
	return rc;
}

int kw_seating_seat(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t run, json_t **out, struct kw_err *err)
{
	struct kw_phases tm;
	kw_phases_start(&tm, "KAOWU_SEAT_TIMINGS", "seating seat of run %lld", (long long)run);
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *r = NULL;
	struct exam e;
	struct loaded l;
	memset(&l, 0, sizeof l);
	char seed_hex[65] = "";
	int rc = run_load(c, s, run, "seating.run", &r, &e, err);
	if (!rc && strcmp(str(r, "status"), "committed") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "SEATING_NOT_COMMITTED", "SEAT-1",
		                "the run is %s, not waiting to be seated", str(r, "status"));
	if (!rc)
		rc = load(c, s, e.id, "seating.run", json_object_get(r, "rule"), &l, &tm, err);
	if (!rc)
		rc = seed_of_run(c, run, seed_hex, err);
	kw_pool_put(app->pool, c);
	/* The inputs must be the committed ones, byte for byte. */
	struct kw_buf file = KW_BUF_INIT;
	kw_buf_init(&file, 0);
	if (!rc && kw_seat_inputs_write(&l.in, &file))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "inputs file");
	if (!rc) {
		unsigned char h[crypto_hash_sha256_BYTES];
		char digest[65];
		crypto_hash_sha256(h, (const unsigned char *)file.buf, file.len);
		sodium_bin2hex(digest, sizeof digest, h, sizeof h);
		if (strcmp(digest, str(r, "inputs_digest")) != 0) {
			rc = kw_err_set(err, KW_ECONFLICT, "SEAT_INPUTS_CHANGED", "SEAT-1",
			                "the registrations or rooms changed since the commitment: "
			                "discard this run and commit a new one");
			kw_err_detail(err, "committed", json_string(str(r, "inputs_digest")));
			kw_err_detail(err, "now", json_string(digest));
		}
	}
	kw_buf_release(&file);
	kw_phases_mark(&tm, "inputs_check", -1);
	struct kw_seat_result res;
	memset(&res, 0, sizeof res);
	uint8_t seed[KW_DRAW_SEED_BYTES];
	char assignment[65];
	if (!rc)
		rc = kw_draw_seed_parse(seed_hex, 64, seed, err);
	if (!rc && !kw_draw_verify(seed, str(r, "commitment")))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the kept seed does not match the commitment");
	if (!rc)
		rc = kw_seat_assign(&l.in, seed, &res, err);
	sodium_memzero(seed, sizeof seed);
	kw_phases_mark(&tm, "assign", -1);
	if (!rc)
		rc = kw_seat_result_write(&l.in, &res, NULL, assignment)
		             ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "assignment digest")
		             : 0;
	kw_phases_mark(&tm, "digest", -1);
	if (!rc) {
		struct seat_job j = {.run = run,
		                     .exam = e.id,
		                     .staff = s->user.id,
		                     .l = &l,
		                     .r = &res,
		                     .seed_hex = seed_hex,
		                     .assignment = assignment};
		seat_job_prepare(&j);
		kw_phases_mark(&tm, "tickets", -1);
		rc = kw_writer_run_bulk(app->writer, seat_job, &j, actor, err);
		seat_job_release(&j);
		kw_phases_mark(&tm, "write.rooms", j.t_rooms);
		kw_phases_mark(&tm, "write.seats", j.t_seats - j.t_audit);
		kw_phases_mark(&tm, "write.audit_batches", j.t_audit);
	}
	kw_phases_mark(&tm, "write", -1);
	kw_seat_result_release(&res);
	loaded_release(&l);
	json_decref(r);
	if (!rc)
		rc = kw_seating_get(app, s, run, out, err);
	kw_phases_mark(&tm, "reply", -1);
	kw_phases_end(&tm, rc);
	return rc;
}

/* ---- publish, discard ---- */

struct state_job {
	int64_t run, staff;
	const char *from1, *from2, *to, *reason, *action;
};

static int state_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct state_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	kw_tx_facts_changed(tx); /* the exam's published run is part of its sittings */
	struct kw_stmt *s = NULL;
	int discard = strcmp(j->to, "discarded") == 0;
	int rc = kw_audit_prepare(
	        tx->conn, "seating_runs", &s, err,
	        "UPDATE seating_runs SET status = $1, reason = COALESCE($2, reason), "
	        "published_by = CASE WHEN $1 = 'published' THEN $3 ELSE published_by END, "
	        "published_at = CASE WHEN $1 = 'published' THEN $4 ELSE published_at END, "
	        "seed = COALESCE(seed, (SELECT k.seed FROM seating_seeds k WHERE k.run_id = $5)), "
	        "updated_at = $4 WHERE id = $5 AND (status = $6 OR status = $7)");
	if (!rc) {
		kw_stmt_bind_textz(s, 1, j->to);
		kw_stmt_bind_textz(s, 2, j->reason);
		kw_stmt_bind_int64(s, 3, j->staff);
		kw_stmt_bind_textz(s, 4, now);
		kw_stmt_bind_int64(s, 5, j->run);
		kw_stmt_bind_textz(s, 6, j->from1);
		kw_stmt_bind_textz(s, 7, j->from2);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			json_t *d = json_pack("{s:s, s:s?}", "status", j->to, "reason", j->reason);
			rc = kw_audit_append_row(tx, j->action, "seating_runs", s, d, err);
			json_decref(d);
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ECONFLICT, "SEATING_STATE", "SEAT-1",
			                "the run cannot go to %s from where it is", j->to);
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc && discard)
		rc = kw_conn_prepare(tx->conn, "DELETE FROM seating_seeds WHERE run_id = $1", &s,
		                     err);
	if (!rc && discard) {
		kw_stmt_bind_int64(s, 1, j->run);
		rc = kw_step_ok(kw_stmt_step(s, err));
	}
	kw_stmt_finalize(s);
	return rc;
}

static int change_state(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t run, struct state_job *j,
                        json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *r = NULL;
	struct exam e;
	int rc = run_load(c, s, run, "seating.run", &r, &e, err);
	kw_pool_put(app->pool, c);
	json_decref(r);
	j->run = run;
	j->staff = s->user.id;
	if (!rc)
		rc = kw_writer_run(app->writer, state_job, j, actor, err);
	return rc ? rc : kw_seating_get(app, s, run, out, err);
}

int kw_seating_publish(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t run, json_t **out,
                       struct kw_err *err)
{
	struct state_job j = {.from1 = "seated",
	                      .from2 = "seated",
	                      .to = "published",
	                      .action = "seating.publish"};
	return change_state(app, actor, s, run, &j, out, err);
}

int kw_seating_discard(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t run, const json_t *body,
                       json_t **out, struct kw_err *err)
{
	const char *reason = str(body, "reason");
	size_t n = reason ? strlen(reason) : 0;
	if (n == 0 || n > 1000 || json_object_size(body) != 1) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "reason", "problem", "required"));
		return KW_EINVAL;
	}
	struct state_job j = {.from1 = "committed",
	                      .from2 = "seated",
	                      .to = "discarded",
	                      .reason = reason,
	                      .action = "seating.discard"};
	return change_state(app, actor, s, run, &j, out, err);
}

/* ---- reading ---- */

int kw_seating_rooms(struct kw_app *app, const struct kw_session_info *s, int64_t run, json_t **out,
                     struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *r = NULL;
	struct exam e;
	int rc = run_load(c, s, run, "seating.read", &r, &e, err);
	json_decref(r);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT x.id, u.code, c.code, c.name, m.code, m.name, m.floor, x.number, "
		        "x.subjects, x.sittings, x.seats_taken, x.accommodation, x.first_ticket, "
		        "x.last_ticket FROM exam_rooms x JOIN units u ON u.id = x.area_id JOIN "
		        "centres c ON c.id = x.centre_id JOIN rooms m ON m.id = x.room_id WHERE "
		        "x.run_id = $1 ORDER BY u.code, c.code, x.number",
		        &st, err);
	json_t *items = json_array();
	if (!rc)
		kw_stmt_bind_int64(st, 1, run);
	if (!rc)
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(
			        items,
			        json_pack(
			                "{s:I, s:s, s:s, s:s, s:s, s:s?, s:o, s:I, s:s, s:s, s:I, "
			                "s:b, s:s, "
			                "s:s}",
			                "id", (json_int_t)kw_stmt_column_int64(st, 0), "area",
			                kw_stmt_column_text(st, 1, NULL), "centre",
			                kw_stmt_column_text(st, 2, NULL), "centre_name",
			                kw_stmt_column_text(st, 3, NULL), "room",
			                kw_stmt_column_text(st, 4, NULL), "room_name",
			                kw_stmt_column_text(st, 5, NULL), "floor",
			                kw_stmt_column_is_null(st, 6)
			                        ? json_null()
			                        : json_integer(kw_stmt_column_int64(st, 6)),
			                "number", (json_int_t)kw_stmt_column_int64(st, 7),
			                "subjects", kw_stmt_column_text(st, 8, NULL), "sittings",
			                kw_stmt_column_text(st, 9, NULL), "seats_taken",
			                (json_int_t)kw_stmt_column_int64(st, 10), "accommodation",
			                (int)kw_stmt_column_int64(st, 11), "first_ticket",
			                kw_stmt_column_text(st, 12, NULL), "last_ticket",
			                kw_stmt_column_text(st, 13, NULL)));
	kw_stmt_finalize(st);
	rc = kw_step_ok(rc);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "run_id", (json_int_t)run, "items", items);
	return 0;
}

int kw_seating_public(struct kw_app *app, const char *exam, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT r.id, r.status, r.rule, r.inputs_digest, r.candidates, r.rooms, "
	        "r.commitment, r.seed, r.assignment_digest, r.exam_rooms, r.reason, "
	        "r.committed_at, "
	        "r.seated_at, r.published_at, e.code, e.name FROM seating_runs r JOIN exams e ON "
	        "e.id = r.exam_id WHERE (e.code = $1 OR CAST(e.id AS TEXT) = $1) AND e.status <> "
	        "'template' ORDER BY r.id",
	        &st, err);
	json_t *items = json_array();
	char code[64] = "", name[200] = "";
	if (!rc)
		kw_stmt_bind_textz(st, 1, exam);
	if (!rc)
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			json_t *rule = json_loads(kw_stmt_column_text(st, 2, NULL), 0, NULL);
			char purpose[160];
			snprintf(code, sizeof code, "%s", kw_stmt_column_text(st, 14, NULL));
			snprintf(name, sizeof name, "%s", kw_stmt_column_text(st, 15, NULL));
			snprintf(purpose, sizeof purpose,
			         "seat:exam=%s:area=<area>:group=<subjects>", code);
#define T(i) (kw_stmt_column_is_null(st, i) ? NULL : kw_stmt_column_text(st, i, NULL))
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:s, s:o, s:s, s:I, s:I, s:s, s:s?, s:s?, s:s?, "
			                  "s:s, s:s?, "
			                  "s:s?, s:s}",
			                  "id", (json_int_t)kw_stmt_column_int64(st, 0), "status",
			                  T(1), "rule", rule ? rule : json_null(), "inputs_digest",
			                  T(3), "candidates",
			                  (json_int_t)kw_stmt_column_int64(st, 4), "rooms",
			                  (json_int_t)kw_stmt_column_int64(st, 5), "commitment",
			                  T(6), "seed", T(7), "assignment_digest", T(8), "reason",
			                  T(10), "committed_at", T(11), "seated_at", T(12),
			                  "published_at", T(13), "purpose", purpose));
			json_object_set_new(json_array_get(items, json_array_size(items) - 1),
			                    "exam_rooms",
			                    kw_stmt_column_is_null(st, 9)
			                            ? json_null()
			                            : json_integer(kw_stmt_column_int64(st, 9)));
#undef T
		}
	kw_stmt_finalize(st);
	rc = kw_step_ok(rc);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	if (!code[0]) {
		/* no runs: is there such an exam at all? */
		c = kw_pool_get(app->pool);
		rc = kw_conn_prepare(
		        c,
		        "SELECT code, name FROM exams WHERE (code = $1 OR CAST(id AS TEXT) "
		        "= $1) AND status <> 'template'",
		        &st, err);
		if (!rc) {
			kw_stmt_bind_textz(st, 1, exam);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW) {
				snprintf(code, sizeof code, "%s", kw_stmt_column_text(st, 0, NULL));
				snprintf(name, sizeof name, "%s", kw_stmt_column_text(st, 1, NULL));
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		kw_pool_put(app->pool, c);
		if (!rc && !code[0])
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
		if (rc) {
			json_decref(items);
			return rc;
		}
	}
	*out = json_pack("{s:s, s:s, s:o}", "exam", code, "exam_name", name, "runs", items);
	return 0;
}

int kw_seating_inputs(struct kw_app *app, int64_t run, char **data, size_t *n, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	char sha[65] = "";
	*data = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT r.inputs_digest FROM seating_runs r JOIN exams e ON e.id = "
	                        "r.exam_id WHERE r.id = $1 AND e.status <> 'template'",
	                        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			snprintf(sha, sizeof sha, "%s", kw_stmt_column_text(st, 0, NULL));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !sha[0])
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such seating run");
	if (!rc)
		rc = kw_files_blob_get(c, sha, data, n, err);
	kw_pool_put(app->pool, c);
	return rc;
}
