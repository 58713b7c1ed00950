/*
 * The proctor lottery with recusal (SPEC SEAT-2, SEAT-3, SEC-3) over a published seating
 * run: commit (the inputs file — rooms, and eligible staff by their number in the file, no
 * names, codes or ids — stored, its SHA-256 and a seed's commitment published), then draw
 * (the same inputs, or refused; the seed revealed with the result digest; the assignments
 * written under batch audit records, each with the staff member's number in the file).
 * Eligible: active staff of the exam area (its unit or below) posted as chief examiner,
 * proctor or roving proctor, trained (ORG-4), neither volunteers nor socially recruited
 * (PQ 20(2)), and not conflicted with this exam — not registered for it themselves, no
 * declared relative registered for it (SEC-3); every exclusion is recorded with its reason.
 * A conflicted member of staff is simply absent from the inputs: the public sees only how
 * many were excluded for each reason. The draw itself is core/proctor.c; the inputs and
 * assignment files are docs/proctors.md's.
 */
#include "app/proctors.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/files.h"
#include "core/draw.h"
#include "core/proctor.h"
#include "util/buf.h"
#include "util/clock.h"

struct unitrow {
	int64_t id, parent;
};

struct load {
	int64_t exam, exam_unit, run;
	char exam_code[128], ruleset[16];
	int sitting, per_room, roving_per_floor;
	int each;          /* the rule set draws before each sitting (AH 48) */
	uint64_t sittings; /* bit n: an exam room of the run is used at sitting n */
	/* areas, centres, rooms (exam rooms), staff: sorted as core/proctor.h wants */
	char **areas;
	int64_t *area_ids;
	size_t nareas;
	struct kw_proctor_centre *centres;
	int64_t *centre_ids;
	char **centre_codes;
	size_t ncentres;
	struct kw_proctor_room *rooms;
	int64_t *room_ids;
	size_t nrooms;
	struct kw_proctor_staff *staff;
	size_t nstaff;
	json_t *excluded; /* [{staff_id, staff, name, area, reason}] */
};

static void load_release(struct load *l)
{
	for (size_t i = 0; i < l->nareas; i++)
		free(l->areas[i]);
	for (size_t i = 0; i < l->ncentres; i++)
		free(l->centre_codes[i]);
	free(l->areas);
	free(l->area_ids);
	free(l->centres);
	free(l->centre_ids);
	free(l->centre_codes);
	free(l->rooms);
	free(l->room_ids);
	free(l->staff);
	json_decref(l->excluded);
	memset(l, 0, sizeof *l);
}

/* The exam's unit, or NOT_FOUND unless s may do action there. */
static int exam_reach(struct kw_conn *c, const struct kw_session_info *s, int64_t exam,
                      const char *action, struct load *l, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int found = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT e.unit_id, e.code, e.ruleset, (SELECT MAX(r.id) FROM "
	                         "seating_runs r WHERE r.exam_id = e.id AND r.status = "
	                         "'published') FROM exams e WHERE e.id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			found = 1;
			l->exam = exam;
			l->exam_unit = kw_stmt_column_int64(st, 0);
			snprintf(l->exam_code, sizeof l->exam_code, "%s",
			         kw_stmt_column_text(st, 1, NULL));
			snprintf(l->ruleset, sizeof l->ruleset, "%s",
			         kw_stmt_column_text(st, 2, NULL));
			l->run = kw_stmt_column_is_null(st, 3) ? 0 : kw_stmt_column_int64(st, 3);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc)
		return rc;
	struct kw_err e2 = KW_ERR_INIT;
	if (found && !s->candidate_id && kw_authz_check(c, s, action, l->exam_unit, &e2) == 0)
		found = 2;
	kw_err_release(&e2);
	if (found != 2)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	return 0;
}

/* The exam (action checked at its unit), its published run and its parameters. */
static int load_exam(struct kw_conn *c, const struct kw_session_info *s, int64_t exam,
                     const char *action, struct load *l, struct kw_err *err)
{
	int rc = exam_reach(c, s, exam, action, l, err);
	if (rc)
		return rc;
	if (!l->run)
		return kw_err_set(err, KW_ECONFLICT, "SEATING_NOT_PUBLISHED", "SEAT-2",
		                  "the exam's seating is not published yet");
	json_t *params = NULL;
	rc = kw_app_rule_params(l->ruleset, &params, err);
	if (rc)
		return rc;
	const char *when = json_string_value(
	        json_object_get(json_object_get(params, "proctor_draw"), "value"));
	l->each = when && strcmp(when, "before_each_sitting") == 0;
	l->per_room = kw_app_param_int(params, "proctors_per_room_min", 2);
	l->roving_per_floor = 1;
	json_decref(params);
	return 0;
}

struct roomrow {
	int64_t id, centre_id, area_id;
	uint32_t number;
	int floor, cbt;
	uint64_t sittings;
	char *area, *centre;
};

/* By area code, centre code (bytes, as the inputs file wants them), exam room number. */
static int cmp_roomrow(const void *a, const void *b)
{
	const struct roomrow *x = a, *y = b;
	int k = strcmp(x->area, y->area);
	if (!k)
		k = strcmp(x->centre, y->centre);
	if (!k)
		k = (x->number > y->number) - (x->number < y->number);
	return k;
}

static uint64_t sittings_bits(const char *list)
{
	uint64_t bits = 0;
	for (const char *p = list; p && *p;) {
		char *end;
		long n = strtol(p, &end, 10);
		if (end == p)
			break;
		if (n >= 1 && n <= KW_PROCTOR_SITTINGS_MAX)
			bits |= (uint64_t)1 << n;
		p = *end == ',' ? end + 1 : end;
	}
	return bits;
}

/* Which sitting: asked (≥ 0) or, when not (< 0), the exam day or the first sitting; then
 * whether the rule set draws that way. */
static int pick_sitting(struct load *l, int asked, struct kw_err *err)
{
	if (asked < 0) {
		asked = 0;
		for (int n = 1; l->each && !asked && n <= KW_PROCTOR_SITTINGS_MAX; n++)
			if (l->sittings & ((uint64_t)1 << n))
				asked = n;
		if (l->each && !asked)
			asked = 1;
	}
	l->sitting = asked;
	if (l->each && asked < 1)
		return kw_err_set(err, KW_ERULE, "PROCTOR_SITTING_REQUIRED", "SEAT-2",
		                  "this rule set draws proctors before each sitting: name it");
	if (!l->each && asked)
		return kw_err_set(err, KW_ERULE, "PROCTOR_DRAW_ON_EXAM_DAY", "SEAT-2",
		                  "this rule set draws proctors once for the exam day");
	return 0;
}

/* The exam rooms in use at the sitting (0: all), with their areas and centres, in order. */
static int load_rooms(struct kw_conn *c, struct load *l, int asked, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	struct roomrow *rows = NULL;
	size_t nrows = 0, cap = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT x.id, x.number, x.sittings, c.id, c.code, u.id, u.code, COALESCE(m.floor, "
	        "0), m.mode FROM exam_rooms x JOIN centres c ON c.id = x.centre_id JOIN units u "
	        "ON u.id = x.area_id JOIN rooms m ON m.id = x.room_id WHERE x.run_id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, l->run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (nrows == cap) {
				cap = cap ? cap * 2 : 64;
				rows = kw_xrealloc(rows, cap * sizeof *rows);
			}
			int64_t number = kw_stmt_column_int64(st, 1);
			rows[nrows++] = (struct roomrow){
			        .id = kw_stmt_column_int64(st, 0),
			        .number = number > 0 && number <= KW_PROCTOR_NUMBER_MAX
			                          ? (uint32_t)number
			                          : 0,
			        .sittings = sittings_bits(kw_stmt_column_text(st, 2, NULL)),
			        .centre_id = kw_stmt_column_int64(st, 3),
			        .centre = kw_xstrdup(kw_stmt_column_text(st, 4, NULL)),
			        .area_id = kw_stmt_column_int64(st, 5),
			        .area = kw_xstrdup(kw_stmt_column_text(st, 6, NULL)),
			        .floor = (int)kw_stmt_column_int64(st, 7),
			        .cbt = strcmp(kw_stmt_column_text(st, 8, NULL), "cbt") == 0,
			};
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; i < nrows; i++)
		l->sittings |= rows[i].sittings;
	if (!rc)
		rc = pick_sitting(l, asked, err);
	if (!rc)
		qsort(rows, nrows, sizeof *rows, cmp_roomrow);
	for (size_t i = 0; !rc && i < nrows; i++) {
		const struct roomrow *x = &rows[i];
		if (l->sitting && !(x->sittings & ((uint64_t)1 << l->sitting)))
			continue;
		if (!l->nareas || strcmp(l->areas[l->nareas - 1], x->area) != 0) {
			l->areas = kw_xrealloc(l->areas, (l->nareas + 1) * sizeof *l->areas);
			l->area_ids =
			        kw_xrealloc(l->area_ids, (l->nareas + 1) * sizeof *l->area_ids);
			l->areas[l->nareas] = kw_xstrdup(x->area);
			l->area_ids[l->nareas++] = x->area_id;
		}
		uint32_t a = (uint32_t)(l->nareas - 1);
		if (!l->ncentres || l->centres[l->ncentres - 1].area != a ||
		    strcmp(l->centre_codes[l->ncentres - 1], x->centre) != 0) {
			size_t n = l->ncentres + 1;
			l->centres = kw_xrealloc(l->centres, n * sizeof *l->centres);
			l->centre_ids = kw_xrealloc(l->centre_ids, n * sizeof *l->centre_ids);
			l->centre_codes = kw_xrealloc(l->centre_codes, n * sizeof *l->centre_codes);
			l->centre_codes[l->ncentres] = kw_xstrdup(x->centre);
			l->centre_ids[l->ncentres] = x->centre_id;
			l->centres[l->ncentres++] = (struct kw_proctor_centre){a, NULL};
		}
		l->rooms = kw_xrealloc(l->rooms, (l->nrooms + 1) * sizeof *l->rooms);
		l->room_ids = kw_xrealloc(l->room_ids, (l->nrooms + 1) * sizeof *l->room_ids);
		l->room_ids[l->nrooms] = x->id;
		l->rooms[l->nrooms++] = (struct kw_proctor_room){
		        .centre = (uint32_t)(l->ncentres - 1),
		        .number = x->number,
		        .floor = x->floor,
		        .cbt = x->cbt,
		};
	}
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].area);
		free(rows[i].centre);
	}
	free(rows);
	/* centre pointers after the last realloc of the code array */
	for (size_t i = 0; i < l->ncentres; i++)
		l->centres[i].code = l->centre_codes[i];
	return rc;
}

/* Staff ids conflicted with this exam (SEC-3) → reason, into conflicts. */
static int load_conflicts(struct kw_conn *c, int64_t exam, json_t *conflicts, struct kw_err *err)
{
	static const char *const sql[] = {
	        "SELECT f.id, 'self' FROM staff f JOIN candidates d ON d.id_number = "
	        "UPPER(f.id_number) JOIN registrations r ON r.candidate_id = d.id WHERE r.exam_id "
	        "= $1 AND r.status NOT IN ('void', 'cancelled', 'rejected')",
	        "SELECT s.staff_id, s.relation FROM staff_relations s JOIN candidates d ON "
	        "d.id_number = UPPER(s.relative_id_number) JOIN registrations r ON r.candidate_id "
	        "= d.id WHERE r.exam_id = $1 AND r.status NOT IN ('void', 'cancelled', "
	        "'rejected')",
	};
	int rc = 0;
	for (size_t q = 0; !rc && q < 2; q++) {
		struct kw_stmt *st = NULL;
		rc = kw_conn_prepare(c, sql[q], &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, exam);
			while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
				char key[32], why[48];
				snprintf(key, sizeof key, "%lld",
				         (long long)kw_stmt_column_int64(st, 0));
				snprintf(why, sizeof why, "conflict_%s",
				         kw_stmt_column_text(st, 1, NULL));
				if (!json_object_get(conflicts, key))
					json_object_set_new(conflicts, key, json_string(why));
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
	}
	return rc;
}

/* The area (index) whose subtree holds unit u, or -1. */
static long area_of(const struct load *l, const struct unitrow *units, size_t nunits, int64_t u)
{
	for (int depth = 0; u && depth < 32; depth++) {
		for (size_t a = 0; a < l->nareas; a++)
			if (l->area_ids[a] == u)
				return (long)a;
		int64_t parent = 0;
		for (size_t i = 0; i < nunits; i++)
			if (units[i].id == u)
				parent = units[i].parent;
		u = parent;
	}
	return -1;
}

/* Why a member of staff is not drawn, or NULL: SEC-3 first, then the rest. */
static const char *exclusion(const char *conflict, const char *status, const char *employment,
                             int trained)
{
	if (conflict)
		return conflict;
	if (strcmp(status, "active") != 0)
		return "inactive";
	if (strcmp(employment, "volunteer") == 0)
		return "volunteer";
	if (strcmp(employment, "social_recruit") == 0)
		return "social_recruit";
	return trained ? NULL : "not_trained";
}

static int load_staff(struct kw_conn *c, struct load *l, struct kw_err *err)
{
	struct unitrow *units = NULL;
	size_t nunits = 0, ucap = 0, cap = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT id, COALESCE(parent_id, 0) FROM units", &st, err);
	if (!rc) {
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (nunits == ucap) {
				ucap = ucap ? ucap * 2 : 64;
				units = kw_xrealloc(units, ucap * sizeof *units);
			}
			units[nunits++] = (struct unitrow){kw_stmt_column_int64(st, 0),
			                                   kw_stmt_column_int64(st, 1)};
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	json_t *conflicts = json_object();
	if (!rc)
		rc = load_conflicts(c, l->exam, conflicts, err);
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT f.id, f.code, f.name, f.post, f.employment, f.unit_id, "
		        "COALESCE(f.cbt_capable, 0), f.status, CASE WHEN EXISTS (SELECT "
		        "1 FROM trainings t WHERE t.staff_id = f.id AND t.result = "
		        "'passed') THEN 1 ELSE 0 END FROM staff f WHERE f.post IN "
		        "('chief_examiner', 'proctor', 'roving_proctor') ORDER BY f.id",
		        &st, err);
	if (!rc) {
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			long a = area_of(l, units, nunits, kw_stmt_column_int64(st, 5));
			if (a < 0)
				continue; /* not staff of an area in use */
			int64_t id = kw_stmt_column_int64(st, 0);
			char key[32];
			snprintf(key, sizeof key, "%lld", (long long)id);
			const char *post = kw_stmt_column_text(st, 3, NULL);
			const char *why = exclusion(
			        json_string_value(json_object_get(conflicts, key)),
			        kw_stmt_column_text(st, 7, NULL), kw_stmt_column_text(st, 4, NULL),
			        (int)kw_stmt_column_int64(st, 8));
			if (why) {
				json_array_append_new(
				        l->excluded,
				        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "staff_id",
				                  (json_int_t)id, "staff",
				                  kw_stmt_column_text(st, 1, NULL), "name",
				                  kw_stmt_column_text(st, 2, NULL), "post", post,
				                  "area", l->areas[a], "reason", why));
				continue;
			}
			if (l->nstaff == cap) {
				cap = cap ? cap * 2 : 64;
				l->staff = kw_xrealloc(l->staff, cap * sizeof *l->staff);
			}
			l->staff[l->nstaff++] = (struct kw_proctor_staff){
			        id, (uint32_t)a,
			        strcmp(post, "chief_examiner") == 0 ? KW_DUTY_CHIEF
			        : strcmp(post, "proctor") == 0      ? KW_DUTY_PROCTOR
			                                            : KW_DUTY_ROVING,
			        kw_stmt_column_int64(st, 6) != 0};
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	json_decref(conflicts);
	free(units);
	return rc;
}

/* Everything a draw of the sitting (asked; < 0: let pick_sitting choose) reads. */
static int load(struct kw_conn *c, const struct kw_session_info *s, int64_t exam, int asked,
                const char *action, struct load *l, struct kw_err *err)
{
	memset(l, 0, sizeof *l);
	l->excluded = json_array();
	int rc = load_exam(c, s, exam, action, l, err);
	if (!rc)
		rc = load_rooms(c, l, asked, err);
	if (!rc && !l->nrooms)
		rc = kw_err_set(err, KW_ERULE, "PROCTOR_NO_ROOMS", "SEAT-2",
		                "no exam room is in use at that sitting");
	if (!rc)
		rc = load_staff(c, l, err);
	return rc;
}

static struct kw_proctor_inputs inputs_of(const struct load *l)
{
	return (struct kw_proctor_inputs){
	        .exam = l->exam_code,
	        .sitting = l->sitting,
	        .per_room = l->per_room,
	        .roving_per_floor = l->roving_per_floor,
	        .areas = (const char *const *)l->areas,
	        .nareas = l->nareas,
	        .centres = l->centres,
	        .ncentres = l->ncentres,
	        .rooms = l->rooms,
	        .nrooms = l->nrooms,
	        .staff = l->staff,
	        .nstaff = l->nstaff,
	};
}

static void sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, data, (unsigned long long)n);
	sodium_bin2hex(out, 65, d, sizeof d);
}

/* The inputs file (no names: staff by their number in it) into b, its SHA-256 into digest. */
static int inputs_file(const struct load *l, struct kw_buf *b, char digest[65], struct kw_err *err)
{
	struct kw_proctor_inputs in = inputs_of(l);
	int rc = kw_proctor_inputs_check(&in, err);
	if (!rc && kw_proctor_inputs_write(&in, b))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "inputs file not written");
	if (!rc)
		sha256_hex(b->buf, b->len, digest);
	return rc;
}

/* Every gap: [{area, centre, duty, cbt_capable, room, floor, needed, available, short}]. */
static json_t *shorts_json(const struct kw_proctor_inputs *in, const struct kw_proctor_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nshorts; i++) {
		const struct kw_proctor_short *x = &r->shorts[i];
		const struct kw_proctor_centre *ce = &in->centres[x->centre];
		json_array_append_new(
		        a,
		        json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:i, s:i, s:i}", "area",
		                  in->areas[ce->area], "centre", ce->code, "duty",
		                  kw_proctor_duty_name(x->duty), "cbt_capable", x->cbt, "room",
		                  x->room >= 0 ? json_integer(in->rooms[x->room].number)
		                               : json_null(),
		                  "floor",
		                  x->duty == KW_DUTY_ROVING ? json_integer(x->floor) : json_null(),
		                  "needed", (int)x->needed, "available", (int)x->available, "short",
		                  (int)(x->needed - x->available)));
	}
	return a;
}

/* The gaps summed per centre and duty: [{area, centre, duty, cbt_capable, short}]. */
static json_t *shorts_by_centre(const struct kw_proctor_inputs *in,
                                const struct kw_proctor_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nshorts; i++) {
		const struct kw_proctor_short *x = &r->shorts[i];
		const struct kw_proctor_centre *ce = &in->centres[x->centre];
		json_t *hit = NULL;
		size_t k;
		json_t *v;
		json_array_foreach(a, k, v)
		{
			if (strcmp(json_string_value(json_object_get(v, "centre")), ce->code) ==
			            0 &&
			    strcmp(json_string_value(json_object_get(v, "duty")),
			           kw_proctor_duty_name(x->duty)) == 0 &&
			    json_is_true(json_object_get(v, "cbt_capable")) == (x->cbt != 0))
				hit = v;
		}
		json_int_t gap = (json_int_t)(x->needed - x->available);
		if (hit)
			json_object_set_new(
			        hit, "short",
			        json_integer(json_integer_value(json_object_get(hit, "short")) +
			                     gap));
		else
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:I}", "area",
			                                   in->areas[ce->area], "centre", ce->code,
			                                   "duty", kw_proctor_duty_name(x->duty),
			                                   "cbt_capable", x->cbt, "short", gap));
	}
	return a;
}

/* Would the lottery fill every place? (The places do not depend on the seed.) 0 when so;
 * KW_ERULE PROCTORS_SHORT with details.shortfalls, shortfall_by_centre and excluded. */
static int feasible(const struct load *l, struct kw_err *err)
{
	uint8_t zero[KW_DRAW_SEED_BYTES] = {0};
	struct kw_proctor_inputs in = inputs_of(l);
	struct kw_proctor_result r;
	int rc = kw_proctor_draw(&in, zero, &r, err);
	if (rc == KW_ERULE) {
		kw_err_detail(err, "shortfalls", shorts_json(&in, &r));
		kw_err_detail(err, "shortfall_by_centre", shorts_by_centre(&in, &r));
		kw_err_detail(err, "excluded", json_incref(l->excluded));
	}
	kw_proctor_result_release(&r);
	return rc;
}

/* The draw streams' purposes, the area and duty left to fill in. */
static json_t *purpose_json(const char *exam, int sitting)
{
	char p[200];
	snprintf(p, sizeof p, "proctor:exam=%s:sitting=%d:area=<area>:duty=<chief|proctor|roving>",
	         exam, sitting);
	return json_string(p);
}

/* ---- the pool (nothing drawn) ---- */

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

int kw_proctors_pool(struct kw_app *app, const struct kw_session_info *s, int64_t exam, int sitting,
                     json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct load l;
	int rc = load(c, s, exam, sitting, "proctor.read", &l, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		load_release(&l);
		return rc;
	}
	json_t *sittings = json_array();
	for (int n = 1; n <= KW_PROCTOR_SITTINGS_MAX; n++)
		if (l.sittings & ((uint64_t)1 << n))
			json_array_append_new(sittings, json_integer(n));
	/* per area: centres, rooms, CBT rooms, (centre, floor) pairs; the eligible by duty */
	struct tally {
		int centres, rooms, cbt_rooms, floors, el[3], el_cbt;
	} *ta = kw_xcalloc(l.nareas ? l.nareas : 1, sizeof *ta);
	int *floors = kw_xcalloc(l.nrooms ? l.nrooms : 1, sizeof *floors);
	for (size_t r = 0; r < l.nrooms;) {
		/* the rooms of one centre are consecutive (sorted by centre) */
		size_t e = r, nf = 0;
		struct tally *x = &ta[l.centres[l.rooms[r].centre].area];
		for (; e < l.nrooms && l.rooms[e].centre == l.rooms[r].centre; e++) {
			x->rooms++;
			x->cbt_rooms += l.rooms[e].cbt;
			floors[nf++] = l.rooms[e].floor;
		}
		qsort(floors, nf, sizeof *floors, cmp_int);
		for (size_t f = 0; f < nf; f++)
			x->floors += !f || floors[f] != floors[f - 1];
		x->centres++;
		r = e;
	}
	free(floors);
	for (size_t i = 0; i < l.nstaff; i++) {
		ta[l.staff[i].area].el[l.staff[i].duty]++;
		ta[l.staff[i].area].el_cbt += l.staff[i].duty == KW_DUTY_PROCTOR && l.staff[i].cbt;
	}
	json_t *areas = json_array();
	for (size_t a = 0; a < l.nareas; a++) {
		const struct tally *x = &ta[a];
		json_array_append_new(
		        areas,
		        json_pack("{s:s, s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i, s:i}, s:{s:i, "
		                  "s:i, s:i, s:i}}",
		                  "area", l.areas[a], "centres", x->centres, "rooms", x->rooms,
		                  "cbt_rooms", x->cbt_rooms, "floors", x->floors, "needed", "chief",
		                  x->centres, "proctor", x->rooms * l.per_room, "cbt_capable",
		                  x->cbt_rooms, "roving", x->floors * l.roving_per_floor,
		                  "eligible", "chief", x->el[0], "proctor", x->el[1], "cbt_capable",
		                  x->el_cbt, "roving", x->el[2]));
	}
	free(ta);
	struct kw_err fe = KW_ERR_INIT;
	int short_rc = feasible(&l, &fe);
	json_t *o = json_pack(
	        "{s:I, s:s, s:s, s:i, s:o, s:{s:i, s:i}, s:o, s:i, s:O, s:b, s:o, s:o, s:o}",
	        "exam_id", (json_int_t)exam, "exam", l.exam_code, "draw_when",
	        l.each ? "before_each_sitting" : "exam_day", "sitting", l.sitting, "sittings",
	        sittings, "rule", "per_room", l.per_room, "roving_per_floor", l.roving_per_floor,
	        "areas", areas, "eligible", (int)l.nstaff, "excluded", l.excluded, "feasible",
	        short_rc == 0, "shortfalls",
	        short_rc == KW_ERULE ? json_incref(json_object_get(fe.details, "shortfalls"))
	                             : json_array(),
	        "shortfall_by_centre",
	        short_rc == KW_ERULE
	                ? json_incref(json_object_get(fe.details, "shortfall_by_centre"))
	                : json_array(),
	        "purpose", purpose_json(l.exam_code, l.sitting));
	kw_err_release(&fe);
	load_release(&l);
	if (short_rc && short_rc != KW_ERULE) {
		json_decref(o);
		return kw_err_set(err, short_rc, "INTERNAL", NULL, "the pool cannot be drawn");
	}
	*out = o;
	return 0;
}

/* ---- commit ---- */

struct commit_job {
	int64_t exam, run, staff, id;
	int sitting;
	const char *rule, *digest, *commitment, *seed, *excluded;
	const char *inputs;
	size_t ninputs;
};

static int commit_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct commit_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id FROM proctor_draws WHERE exam_id = $1 AND sitting = $2 "
	                         "AND run_id = $3",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->exam);
		kw_stmt_bind_int64(s, 2, j->sitting);
		kw_stmt_bind_int64(s, 3, j->run);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			rc = kw_err_set(err, KW_ECONFLICT, "PROCTOR_DRAW_EXISTS", "SEAT-2",
			                "this sitting's proctors are drawn (draw %lld)",
			                (long long)kw_stmt_column_int64(s, 0));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_files_blob_put(tx->conn, j->digest, j->inputs, j->ninputs, now, err);
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "proctor_draws", &s, err,
		        "INSERT INTO proctor_draws (exam_id, run_id, sitting, status, "
		        "rule, inputs_digest, commitment, excluded, committed_by, "
		        "committed_at, updated_at) VALUES ($1, $2, $3, 'committed', $4, "
		        "$5, $6, $7, $8, $9, $9)");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->exam);
		kw_stmt_bind_int64(s, 2, j->run);
		kw_stmt_bind_int64(s, 3, j->sitting);
		kw_stmt_bind_textz(s, 4, j->rule);
		kw_stmt_bind_textz(s, 5, j->digest);
		kw_stmt_bind_textz(s, 6, j->commitment);
		kw_stmt_bind_textz(s, 7, j->excluded);
		kw_stmt_bind_int64(s, 8, j->staff);
		kw_stmt_bind_textz(s, 9, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			j->id = kw_stmt_column_int64(s, 0);
			json_t *d = json_pack("{s:s, s:s, s:i}", "inputs_digest", j->digest,
			                      "commitment", j->commitment, "sitting", j->sitting);
			rc = kw_audit_append_row(tx, "proctor.commit", "proctor_draws", s, d, err);
			json_decref(d);
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn, "INSERT INTO proctor_draw_seeds (draw_id, seed) VALUES ($1, $2)",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->id);
		kw_stmt_bind_textz(s, 2, j->seed);
		rc = kw_step_ok(kw_stmt_step(s, err));
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_proctors_commit(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const json_t *body,
                       json_t **out, struct kw_err *err)
{
	const json_t *sv = json_object_get(body, "sitting");
	if (json_object_size(body) > (sv ? 1u : 0u) ||
	    (sv && (!json_is_integer(sv) || json_integer_value(sv) < 1 ||
	            json_integer_value(sv) > KW_PROCTOR_SITTINGS_MAX))) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", "sitting", "problem", "range"));
		return KW_EINVAL;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct load l;
	int rc = load(c, s, exam, sv ? (int)json_integer_value(sv) : 0, "proctor.run", &l, err);
	kw_pool_put(app->pool, c);
	/* an infeasible lottery is refused before anything is committed */
	if (!rc)
		rc = feasible(&l, err);
	struct commit_job j = {
	        .exam = exam, .run = l.run, .staff = s->user.id, .sitting = l.sitting};
	char digest[65], commitment[65], seed_hex[65];
	uint8_t seed[KW_DRAW_SEED_BYTES];
	struct kw_buf file = KW_BUF_INIT;
	kw_buf_init(&file, 0);
	if (!rc)
		rc = inputs_file(&l, &file, digest, err);
	if (!rc)
		rc = kw_draw_seed_new(seed, err);
	if (!rc)
		rc = kw_draw_commit(seed, commitment, err);
	char *rule = NULL, *excl = NULL;
	if (!rc) {
		kw_draw_seed_hex(seed, seed_hex);
		sodium_memzero(seed, sizeof seed);
		json_t *rj =
		        json_pack("{s:i, s:i, s:i}", "per_room", l.per_room, "roving_per_floor",
		                  l.roving_per_floor, "sitting", l.sitting);
		rule = json_dumps(rj, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(rj);
		excl = json_dumps(l.excluded, JSON_COMPACT);
		j.rule = rule;
		j.digest = digest;
		j.commitment = commitment;
		j.seed = seed_hex;
		j.excluded = excl;
		j.inputs = file.buf;
		j.ninputs = file.len;
		rc = kw_writer_run(app->writer, commit_job, &j, actor, err);
		sodium_memzero(seed_hex, sizeof seed_hex);
	}
	kw_buf_release(&file);
	free(rule);
	free(excl);
	load_release(&l);
	return rc ? rc : kw_proctors_get(app, s, j.id, out, err);
}

/* ---- draw ---- */

struct draw_job {
	int64_t id, staff;
	const struct load *l;
	const struct kw_proctor_result *r;
	const char *seed, *result;
};

static int draw_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct draw_job *j = arg;
	const struct load *l = j->l;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(tx->conn, "proctor_assignments", &s, err,
	                          "INSERT INTO proctor_assignments (draw_id, staff_id, centre_id, "
	                          "exam_room_id, floor, duty, created_at, pseudonym) VALUES ($1, "
	                          "$2, $3, $4, $5, $6, $7, $8)");
	struct kw_batch_row *rows = kw_xcalloc(j->r->n ? j->r->n : 1, sizeof *rows);
	for (size_t i = 0; !rc && i < j->r->n; i++) {
		const struct kw_proctor_assignment *a = &j->r->v[i];
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, j->id);
		kw_stmt_bind_int64(s, 2, l->staff[a->staff].id);
		kw_stmt_bind_int64(s, 3, l->centre_ids[a->centre]);
		if (a->room >= 0)
			kw_stmt_bind_int64(s, 4, l->room_ids[a->room]);
		else
			kw_stmt_bind_null(s, 4);
		if (a->duty == KW_DUTY_ROVING)
			kw_stmt_bind_int64(s, 5, a->floor);
		else
			kw_stmt_bind_null(s, 5);
		kw_stmt_bind_textz(s, 6, kw_proctor_duty_name(a->duty));
		kw_stmt_bind_textz(s, 7, now);
		/* the staff member's number in the inputs file (1-based, staff order) */
		kw_stmt_bind_int64(s, 8, (int64_t)a->staff + 1);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			rc = kw_audit_digest_row("proctor_assignments", s, &rows[i].id,
			                         rows[i].digest);
		else if (rc == KW_DONE)
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "assignment not written");
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc && j->r->n) {
		json_t *d = json_pack("{s:I}", "draw_id", (json_int_t)j->id);
		rc = kw_audit_append_batch(tx, "proctor.assign", "proctor_assignments", rows,
		                           j->r->n, d, err);
		json_decref(d);
	}
	free(rows);
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "proctor_draws", &s, err,
		        "UPDATE proctor_draws SET status = 'drawn', seed = $1, "
		        "result_digest = $2, drawn_by = $3, drawn_at = $4, updated_at = "
		        "$4 WHERE id = $5 AND status = 'committed'");
	if (!rc) {
		kw_stmt_bind_textz(s, 1, j->seed);
		kw_stmt_bind_textz(s, 2, j->result);
		kw_stmt_bind_int64(s, 3, j->staff);
		kw_stmt_bind_textz(s, 4, now);
		kw_stmt_bind_int64(s, 5, j->id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			json_t *d = json_pack("{s:s, s:s, s:I}", "seed", j->seed, "result_digest",
			                      j->result, "assignments", (json_int_t)j->r->n);
			rc = kw_audit_append_row(tx, "proctor.draw", "proctor_draws", s, d, err);
			json_decref(d);
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ECONFLICT, "PROCTOR_DRAW_DONE", "SEAT-2",
			                "this draw is no longer waiting");
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(tx->conn, "DELETE FROM proctor_draw_seeds WHERE draw_id = $1",
		                     &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->id);
		rc = kw_step_ok(kw_stmt_step(s, err));
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The draw's exam, sitting, status, digest, commitment and kept seed. */
static int draw_row(struct kw_conn *c, int64_t id, int64_t *exam, int *sitting, char status[16],
                    char digest[65], char commitment[65], char seed[65], struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT d.exam_id, d.sitting, d.status, d.inputs_digest, "
	                         "d.commitment, k.seed FROM proctor_draws d LEFT JOIN "
	                         "proctor_draw_seeds k ON k.draw_id = d.id WHERE d.id = $1",
	                         &st, err);
	*exam = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*exam = kw_stmt_column_int64(st, 0);
			*sitting = (int)kw_stmt_column_int64(st, 1);
			snprintf(status, 16, "%s", kw_stmt_column_text(st, 2, NULL));
			snprintf(digest, 65, "%s", kw_stmt_column_text(st, 3, NULL));
			snprintf(commitment, 65, "%s", kw_stmt_column_text(st, 4, NULL));
			snprintf(seed, 65, "%s",
			         kw_stmt_column_is_null(st, 5) ? ""
			                                       : kw_stmt_column_text(st, 5, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !*exam)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such draw");
	return rc;
}

int kw_proctors_draw(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t exam = 0;
	int sitting = 0;
	char status[16], digest[65], commitment[65], seed_hex[65], now_digest[65];
	struct load l;
	memset(&l, 0, sizeof l);
	int rc = draw_row(c, id, &exam, &sitting, status, digest, commitment, seed_hex, err);
	if (!rc) {
		rc = load(c, s, exam, sitting, "proctor.run", &l, err);
		if (rc == KW_ENOTFOUND)
			kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such draw");
	}
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(status, "committed") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "PROCTOR_DRAW_DONE", "SEAT-2",
		                "this draw is no longer waiting");
	struct kw_buf file = KW_BUF_INIT;
	kw_buf_init(&file, 0);
	if (!rc)
		rc = inputs_file(&l, &file, now_digest, err);
	kw_buf_release(&file);
	if (!rc && strcmp(now_digest, digest) != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "PROCTOR_INPUTS_CHANGED", "SEAT-2",
		                "the rooms or the eligible staff changed since the commitment");
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (!rc)
		rc = kw_draw_seed_parse(seed_hex, strlen(seed_hex), seed, err);
	if (!rc && !kw_draw_verify(seed, commitment))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the kept seed is not the committed");
	struct kw_proctor_result r;
	memset(&r, 0, sizeof r);
	struct kw_proctor_inputs in = inputs_of(&l);
	if (!rc) {
		rc = kw_proctor_draw(&in, seed, &r, err);
		if (rc == KW_ERULE) {
			kw_err_detail(err, "shortfalls", shorts_json(&in, &r));
			kw_err_detail(err, "shortfall_by_centre", shorts_by_centre(&in, &r));
		}
	}
	sodium_memzero(seed, sizeof seed);
	char result[65];
	if (!rc && kw_proctor_result_write(&in, &r, NULL, result))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "result digest");
	if (!rc) {
		struct draw_job j = {id, s->user.id, &l, &r, seed_hex, result};
		rc = kw_writer_run(app->writer, draw_job, &j, actor, err);
	}
	kw_proctor_result_release(&r);
	load_release(&l);
	return rc ? rc : kw_proctors_get(app, s, id, out, err);
}

/* ---- reading ---- */

/* Do the stored assignments (items: {no, duty, centre, room, floor}) give the result digest
 * from the stored inputs file? */
static int stored_verified(struct kw_conn *c, const char *inputs_digest, const char *result,
                           const json_t *items)
{
	char *text = NULL;
	size_t n = 0;
	struct kw_err e2 = KW_ERR_INIT;
	int ok = 0;
	if (kw_files_blob_get(c, inputs_digest, &text, &n, &e2) != 0) {
		kw_err_release(&e2);
		return 0;
	}
	struct kw_proctor_parsed p;
	memset(&p, 0, sizeof p);
	if (kw_proctor_inputs_parse(text, n, &p, NULL) == 0) {
		struct kw_proctor_result r = {0};
		r.n = json_array_size(items);
		r.v = kw_xcalloc(r.n ? r.n : 1, sizeof *r.v);
		int bad = 0;
		for (size_t i = 0; i < r.n && !bad; i++) {
			const json_t *it = json_array_get(items, i);
			json_int_t no = json_integer_value(json_object_get(it, "no"));
			int duty = kw_proctor_duty_parse(
			        json_string_value(json_object_get(it, "duty")));
			const char *centre = json_string_value(json_object_get(it, "centre"));
			size_t ce = 0;
			while (ce < p.in.ncentres && strcmp(p.in.centres[ce].code, centre) != 0)
				ce++;
			int64_t room = -1;
			json_int_t number = json_integer_value(json_object_get(it, "room"));
			for (size_t k = 0; duty == KW_DUTY_PROCTOR && k < p.in.nrooms; k++)
				if (p.in.rooms[k].centre == ce && p.in.rooms[k].number == number)
					room = (int64_t)k;
			bad = no < 1 || (size_t)no > p.in.nstaff || duty < 0 ||
			      ce == p.in.ncentres || (duty == KW_DUTY_PROCTOR && room < 0);
			r.v[i] = (struct kw_proctor_assignment){
			        (uint32_t)(no - 1), duty, (uint32_t)ce, room,
			        (int)json_integer_value(json_object_get(it, "floor"))};
		}
		char d[65];
		ok = !bad && kw_proctor_result_write(&p.in, &r, NULL, d) == 0 &&
		     strcmp(d, result) == 0;
		kw_proctor_result_release(&r);
		kw_proctor_parsed_release(&p);
	}
	free(text);
	return ok;
}

int kw_proctors_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                    struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	json_t *o = NULL;
	int64_t unit = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT d.id, d.exam_id, e.code, d.run_id, d.sitting, d.status, d.rule, "
	        "d.inputs_digest, d.commitment, d.seed, d.result_digest, d.excluded, "
	        "d.committed_at, d.drawn_at, e.unit_id, e.name FROM proctor_draws d JOIN exams e "
	        "ON e.id = d.exam_id WHERE d.id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
#define T(i) (kw_stmt_column_is_null(st, i) ? NULL : kw_stmt_column_text(st, i, NULL))
			o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:s, s:o, s:s, s:s, s:s?, "
			              "s:s?, s:o, "
			              "s:s, s:s?}",
			              "id", (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
			              (json_int_t)kw_stmt_column_int64(st, 1), "exam", T(2),
			              "exam_name", T(15), "run_id",
			              (json_int_t)kw_stmt_column_int64(st, 3), "sitting",
			              (json_int_t)kw_stmt_column_int64(st, 4), "status", T(5),
			              "rule", json_loads(T(6), 0, NULL), "inputs_digest", T(7),
			              "commitment", T(8), "seed", T(9), "result_digest", T(10),
			              "excluded", json_loads(T(11), 0, NULL), "committed_at", T(12),
			              "drawn_at", T(13));
#undef T
			unit = kw_stmt_column_int64(st, 14);
			json_object_set_new(o, "purpose",
			                    purpose_json(kw_stmt_column_text(st, 2, NULL),
			                                 (int)kw_stmt_column_int64(st, 4)));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	struct kw_err e2 = KW_ERR_INIT;
	if (!rc && (!o || s->candidate_id || kw_authz_check(c, s, "proctor.read", unit, &e2) != 0))
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such draw");
	kw_err_release(&e2);
	st = NULL;
	json_t *items = json_array();
	int numbered = 1;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT a.pseudonym, f.code, f.name, a.duty, c.code, c.name, x.number, "
		        "m.code, COALESCE(a.floor, m.floor) FROM proctor_assignments a "
		        "JOIN staff f ON f.id = a.staff_id JOIN centres c ON c.id = a.centre_id "
		        "LEFT JOIN exam_rooms x ON x.id = a.exam_room_id LEFT JOIN rooms m ON m.id "
		        "= x.room_id WHERE a.draw_id = $1 ORDER BY c.code, a.duty, x.number, "
		        "f.code",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
#define N(i)                                                                                       \
	(kw_stmt_column_is_null(st, i) ? json_null() : json_integer(kw_stmt_column_int64(st, i)))
			numbered &= !kw_stmt_column_is_null(st, 0);
			json_array_append_new(
			        items,
			        json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:s?, s:o}", "no",
			                  N(0), "staff", kw_stmt_column_text(st, 1, NULL), "name",
			                  kw_stmt_column_text(st, 2, NULL), "duty",
			                  kw_stmt_column_text(st, 3, NULL), "centre",
			                  kw_stmt_column_text(st, 4, NULL), "centre_name",
			                  kw_stmt_column_text(st, 5, NULL), "room", N(6),
			                  "room_code",
			                  kw_stmt_column_is_null(st, 7)
			                          ? NULL
			                          : kw_stmt_column_text(st, 7, NULL),
			                  "floor", N(8)));
#undef N
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc) {
		const char *result = json_string_value(json_object_get(o, "result_digest"));
		json_object_set_new(
		        o, "verified",
		        result && numbered
		                ? json_boolean(stored_verified(
		                          c, json_string_value(json_object_get(o, "inputs_digest")),
		                          result, items))
		                : json_null());
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(o);
		json_decref(items);
		return rc;
	}
	json_object_set_new(o, "assignments", items);
	*out = o;
	return 0;
}

int kw_proctors_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                     json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct load l;
	memset(&l, 0, sizeof l);
	int rc = exam_reach(c, s, exam, "proctor.read", &l, err);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT d.id, d.run_id, d.sitting, d.status, d.inputs_digest, "
		                     "d.commitment, d.seed, d.result_digest, d.committed_at, "
		                     "d.drawn_at, (SELECT COUNT(*) FROM proctor_assignments a "
		                     "WHERE a.draw_id = d.id) FROM proctor_draws d WHERE d.exam_id "
		                     "= $1 ORDER BY d.id",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
#define T(i) (kw_stmt_column_is_null(st, i) ? NULL : kw_stmt_column_text(st, i, NULL))
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s?, "
			                  "s:I}",
			                  "id", (json_int_t)kw_stmt_column_int64(st, 0), "run_id",
			                  (json_int_t)kw_stmt_column_int64(st, 1), "sitting",
			                  (json_int_t)kw_stmt_column_int64(st, 2), "status", T(3),
			                  "inputs_digest", T(4), "commitment", T(5), "seed", T(6),
			                  "result_digest", T(7), "committed_at", T(8), "drawn_at",
			                  T(9), "assignments",
			                  (json_int_t)kw_stmt_column_int64(st, 10)));
#undef T
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	int64_t run = l.run;
	load_release(&l);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "items", items, "published_run",
	                 run ? json_integer(run) : json_null());
	return 0;
}

/* ---- public ---- */

/* The exclusions counted by reason, SEC-3's relations as one: {conflict: n, not_trained: n,
 * …} — who, and which relative, stays with the staff. */
static json_t *excluded_counts(const char *excluded)
{
	json_t *counts = json_object();
	json_t *list = excluded ? json_loads(excluded, 0, NULL) : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *why = json_string_value(json_object_get(v, "reason"));
		if (!why)
			continue;
		if (strncmp(why, "conflict_", 9) == 0)
			why = "conflict";
		json_object_set_new(
		        counts, why,
		        json_integer(json_integer_value(json_object_get(counts, why)) + 1));
	}
	json_decref(list);
	return counts;
}

/* What an inputs file holds, counted: areas, centres, rooms, CBT rooms, and the pool by duty
 * (no one named). NULL when the file is not stored. */
static json_t *inputs_counts(struct kw_conn *c, const char *digest)
{
	char *text = NULL;
	size_t n = 0;
	struct kw_err e2 = KW_ERR_INIT;
	if (kw_files_blob_get(c, digest, &text, &n, &e2) != 0) {
		kw_err_release(&e2);
		return NULL;
	}
	struct kw_proctor_parsed p;
	memset(&p, 0, sizeof p);
	json_t *o = NULL;
	if (kw_proctor_inputs_parse(text, n, &p, NULL) == 0) {
		int cbt_rooms = 0, pool[3] = {0, 0, 0}, cbt = 0;
		for (size_t i = 0; i < p.in.nrooms; i++)
			cbt_rooms += p.in.rooms[i].cbt;
		for (size_t i = 0; i < p.in.nstaff; i++) {
			pool[p.in.staff[i].duty]++;
			cbt += p.in.staff[i].duty == KW_DUTY_PROCTOR && p.in.staff[i].cbt;
		}
		o = json_pack("{s:I, s:I, s:I, s:i, s:{s:i, s:i, s:i, s:i}}", "areas",
		              (json_int_t)p.in.nareas, "centres", (json_int_t)p.in.ncentres,
		              "rooms", (json_int_t)p.in.nrooms, "cbt_rooms", cbt_rooms, "pool",
		              "chief", pool[0], "proctor", pool[1], "cbt_capable", cbt, "roving",
		              pool[2]);
		kw_proctor_parsed_release(&p);
	}
	free(text);
	return o;
}

int kw_proctors_public(struct kw_app *app, const char *exam, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	char code[128] = "", name[400] = "";
	json_t *items = json_array();
	int rc = kw_conn_prepare(c,
	                         "SELECT e.code, e.name, d.id, d.sitting, d.status, d.rule, "
	                         "d.inputs_digest, d.commitment, d.seed, d.result_digest, "
	                         "d.excluded, d.committed_at, d.drawn_at FROM exams e LEFT JOIN "
	                         "proctor_draws d ON d.exam_id = e.id WHERE (e.code = $1 OR "
	                         "CAST(e.id AS TEXT) = $1) AND e.status <> 'template' ORDER BY "
	                         "d.id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			snprintf(code, sizeof code, "%s", kw_stmt_column_text(st, 0, NULL));
			snprintf(name, sizeof name, "%s", kw_stmt_column_text(st, 1, NULL));
			if (kw_stmt_column_is_null(st, 2))
				continue; /* the exam, without draws */
#define T(i) (kw_stmt_column_is_null(st, i) ? NULL : kw_stmt_column_text(st, i, NULL))
			json_t *rule = json_loads(T(5), 0, NULL);
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:s?, s:s?, s:o, s:s, "
			                  "s:s?, "
			                  "s:o}",
			                  "id", (json_int_t)kw_stmt_column_int64(st, 2), "sitting",
			                  (json_int_t)kw_stmt_column_int64(st, 3), "status", T(4),
			                  "rule", rule ? rule : json_null(), "inputs_digest", T(6),
			                  "commitment", T(7), "seed", T(8), "result_digest", T(9),
			                  "excluded", excluded_counts(T(10)), "committed_at", T(11),
			                  "drawn_at", T(12), "purpose",
			                  purpose_json(code, (int)kw_stmt_column_int64(st, 3))));
#undef T
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !code[0])
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v)
	{
		if (rc)
			break;
		json_t *counts =
		        inputs_counts(c, json_string_value(json_object_get(v, "inputs_digest")));
		json_object_set_new(v, "inputs", counts ? counts : json_null());
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o}", "exam", code, "exam_name", name, "draws", items);
	return 0;
}

int kw_proctors_inputs(struct kw_app *app, int64_t id, char **data, size_t *n, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	char sha[65] = "";
	*data = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT d.inputs_digest FROM proctor_draws d JOIN exams e ON e.id "
	                         "= d.exam_id WHERE d.id = $1 AND e.status <> 'template'",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			snprintf(sha, sizeof sha, "%s", kw_stmt_column_text(st, 0, NULL));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !sha[0])
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such draw");
	if (!rc)
		rc = kw_files_blob_get(c, sha, data, n, err);
	kw_pool_put(app->pool, c);
	return rc;
}
