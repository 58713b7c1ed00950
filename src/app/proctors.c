/*
 * The proctor lottery with recusal (SPEC SEAT-2, SEAT-3, SEC-3) over a published seating
 * run: commit (the inputs digest — rooms and eligible staff by id, no names — and a seed's
 * commitment), then draw (the same inputs, or refused; the seed revealed; the assignments
 * written under batch audit records). Eligible: active staff of the exam area (its unit or
 * below) posted as chief examiner, proctor or roving proctor, trained (ORG-4), neither
 * volunteers nor socially recruited (PQ 20(2)), and not conflicted with this exam — not
 * registered for it themselves, no declared relative registered for it (SEC-3); every
 * exclusion is recorded with its reason. The draw itself is core/proctor.c.
 */
#include "app/proctors.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "core/draw.h"
#include "core/params.h"
#include "core/proctor.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"

static int done_ok(int rc)
{
	return rc == KW_ROW || rc == KW_DONE ? 0 : rc;
}

static const char *const duty_names[] = {"chief", "proctor", "roving"};

struct unitrow {
	int64_t id, parent;
};

struct load {
	int64_t exam, exam_unit, run;
	char exam_code[64], ruleset[16];
	int sitting, per_room, roving_per_floor;
	/* areas, centres, rooms (exam rooms), staff: sorted as core/proctor.h wants */
	char **areas;
	int64_t *area_ids;
	size_t nareas;
	struct kw_proctor_centre *centres;
	int64_t *centre_ids;
	char **centre_codes;
	size_t ncentres;
	struct kw_proctor_room *rooms;
	int64_t *room_ids, *room_numbers;
	size_t nrooms;
	struct kw_proctor_staff *staff;
	size_t nstaff;
	json_t *excluded; /* [{staff, name, reason}] */
	json_t *names;    /* staff id (text) → [code, name] */
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
	free(l->room_numbers);
	free(l->staff);
	json_decref(l->excluded);
	json_decref(l->names);
	memset(l, 0, sizeof *l);
}

/* The exam (action checked at its unit), its published run and its parameters. */
static int load_exam(struct kw_conn *c, const struct kw_session_info *s, int64_t exam,
                     const char *action, struct load *l, json_t **params, struct kw_err *err)
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
		rc = done_ok(rc);
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
	if (!l->run)
		return kw_err_set(err, KW_ECONFLICT, "SEATING_NOT_PUBLISHED", "SEAT-2",
		                  "the exam's seating is not published yet");
	return kw_app_rule_params(l->ruleset, params, err);
}

static uint32_t index_of(char ***names, int64_t **ids, size_t *n, const char *name, int64_t id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*ids)[i] == id)
			return (uint32_t)i;
	*names = kw_xrealloc(*names, (*n + 1) * sizeof **names);
	*ids = kw_xrealloc(*ids, (*n + 1) * sizeof **ids);
	(*names)[*n] = kw_xstrdup(name);
	(*ids)[*n] = id;
	return (uint32_t)(*n)++;
}

/* The exam rooms in use at the sitting (0: all), with their areas and centres, in order. */
static int load_rooms(struct kw_conn *c, struct load *l, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT x.id, x.number, x.sittings, c.id, c.code, u.id, u.code, COALESCE(m.floor, "
	        "0), "
	        "m.mode FROM exam_rooms x JOIN centres c ON c.id = x.centre_id JOIN units u ON "
	        "u.id = "
	        "x.area_id JOIN rooms m ON m.id = x.room_id WHERE x.run_id = $1 ORDER BY u.code, "
	        "c.code, x.number",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, l->run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (l->sitting) {
				char want[16], have[140];
				snprintf(want, sizeof want, ",%d,", l->sitting);
				snprintf(have, sizeof have, ",%s,",
				         kw_stmt_column_text(st, 2, NULL));
				if (!strstr(have, want))
					continue;
			}
			uint32_t a = index_of(&l->areas, &l->area_ids, &l->nareas,
			                      kw_stmt_column_text(st, 6, NULL),
			                      kw_stmt_column_int64(st, 5));
			size_t before = l->ncentres;
			uint32_t ce = index_of(&l->centre_codes, &l->centre_ids, &l->ncentres,
			                       kw_stmt_column_text(st, 4, NULL),
			                       kw_stmt_column_int64(st, 3));
			if (l->ncentres != before) {
				l->centres =
				        kw_xrealloc(l->centres, l->ncentres * sizeof *l->centres);
				l->centres[ce] = (struct kw_proctor_centre){a, l->centre_codes[ce]};
			}
			if (l->nrooms == cap) {
				cap = cap ? cap * 2 : 64;
				l->rooms = kw_xrealloc(l->rooms, cap * sizeof *l->rooms);
				l->room_ids = kw_xrealloc(l->room_ids, cap * sizeof *l->room_ids);
				l->room_numbers =
				        kw_xrealloc(l->room_numbers, cap * sizeof *l->room_numbers);
			}
			l->room_ids[l->nrooms] = kw_stmt_column_int64(st, 0);
			l->room_numbers[l->nrooms] = kw_stmt_column_int64(st, 1);
			l->rooms[l->nrooms++] = (struct kw_proctor_room){
			        ce, (int)kw_stmt_column_int64(st, 7),
			        strcmp(kw_stmt_column_text(st, 8, NULL), "cbt") == 0};
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
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
	        "= "
	        "$1 AND r.status NOT IN ('void', 'cancelled', 'rejected')",
	        "SELECT s.staff_id, s.relation FROM staff_relations s JOIN candidates d ON "
	        "d.id_number = UPPER(s.relative_id_number) JOIN registrations r ON r.candidate_id "
	        "= "
	        "d.id WHERE r.exam_id = $1 AND r.status NOT IN ('void', 'cancelled', 'rejected')",
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
			rc = done_ok(rc);
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
		rc = done_ok(rc);
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
			const char *emp = kw_stmt_column_text(st, 4, NULL);
			const char *why = json_string_value(json_object_get(conflicts, key));
			if (!why && strcmp(kw_stmt_column_text(st, 7, NULL), "active") != 0)
				why = "inactive";
			if (!why &&
			    (strcmp(emp, "volunteer") == 0 || strcmp(emp, "social_recruit") == 0))
				why = "volunteer";
			if (!why && !kw_stmt_column_int64(st, 8))
				why = "not_trained";
			json_object_set_new(l->names, key,
			                    json_pack("[s, s]", kw_stmt_column_text(st, 1, NULL),
			                              kw_stmt_column_text(st, 2, NULL)));
			if (why) {
				json_array_append_new(
				        l->excluded,
				        json_pack("{s:I, s:s, s:s, s:s, s:s}", "staff_id",
				                  (json_int_t)id, "staff",
				                  kw_stmt_column_text(st, 1, NULL), "name",
				                  kw_stmt_column_text(st, 2, NULL), "area",
				                  l->areas[a], "reason", why));
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
			        (int)kw_stmt_column_int64(st, 6)};
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	json_decref(conflicts);
	free(units);
	return rc;
}

static int load(struct kw_conn *c, const struct kw_session_info *s, int64_t exam, int sitting,
                const char *action, struct load *l, struct kw_err *err)
{
	memset(l, 0, sizeof *l);
	l->excluded = json_array();
	l->names = json_object();
	json_t *params = NULL;
	int rc = load_exam(c, s, exam, action, l, &params, err);
	if (!rc) {
		const char *when = json_string_value(
		        json_object_get(json_object_get(params, "proctor_draw"), "value"));
		int each = when && strcmp(when, "before_each_sitting") == 0;
		if (each && sitting < 1)
			rc = kw_err_set(
			        err, KW_ERULE, "PROCTOR_SITTING_REQUIRED", "SEAT-2",
			        "this rule set draws proctors before each sitting: name it");
		else if (!each && sitting)
			rc = kw_err_set(err, KW_ERULE, "PROCTOR_DRAW_ON_EXAM_DAY", "SEAT-2",
			                "this rule set draws proctors once for the exam day");
		l->sitting = sitting;
		json_t *n =
		        json_object_get(json_object_get(params, "proctors_per_room_min"), "value");
		l->per_room = json_is_integer(n) ? (int)json_integer_value(n) : 2;
		l->roving_per_floor = 1;
	}
	json_decref(params);
	if (!rc)
		rc = load_rooms(c, l, err);
	if (!rc && !l->nrooms)
		rc = kw_err_set(err, KW_ERULE, "PROCTOR_NO_ROOMS", "SEAT-2",
		                "no exam room is in use at that sitting");
	if (!rc)
		rc = load_staff(c, l, err);
	return rc;
}

static struct kw_proctor_inputs inputs_of(const struct load *l)
{
	return (struct kw_proctor_inputs){l->exam_code,
	                                  l->sitting,
	                                  l->per_room,
	                                  l->roving_per_floor,
	                                  (const char *const *)l->areas,
	                                  l->nareas,
	                                  l->centres,
	                                  l->ncentres,
	                                  l->rooms,
	                                  l->nrooms,
	                                  l->staff,
	                                  l->nstaff};
}

/* SHA-256 of the inputs written out (no names): what the commitment binds. */
static void inputs_digest(const struct load *l, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	char line[256];
#define ADD(...)                                                                                   \
	do {                                                                                       \
		int n_ = snprintf(line, sizeof line, __VA_ARGS__);                                 \
		crypto_hash_sha256_update(&h, (const unsigned char *)line,                         \
		                          (unsigned long long)n_);                                 \
	} while (0)
	ADD("kaowu-proctor-inputs/1\nexam\t%s\nsitting\t%d\nrule\t%d\t%d\n", l->exam_code,
	    l->sitting, l->per_room, l->roving_per_floor);
	for (size_t i = 0; i < l->nrooms; i++)
		ADD("room\t%s\t%s\t%lld\t%d\t%d\n", l->areas[l->centres[l->rooms[i].centre].area],
		    l->centre_codes[l->rooms[i].centre], (long long)l->room_numbers[i],
		    l->rooms[i].floor, l->rooms[i].cbt);
	for (size_t i = 0; i < l->nstaff; i++)
		ADD("staff\t%lld\t%s\t%s\t%d\n", (long long)l->staff[i].id,
		    l->areas[l->staff[i].area], duty_names[l->staff[i].duty], l->staff[i].cbt);
#undef ADD
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof d);
}

static json_t *shorts_json(const struct load *l, const struct kw_proctor_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nshorts; i++) {
		const struct kw_proctor_short *x = &r->shorts[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:i, s:i}", "area",
		                                   l->areas[l->centres[x->centre].area], "centre",
		                                   l->centre_codes[x->centre], "duty",
		                                   duty_names[x->duty], "cbt_capable", x->cbt,
		                                   "needed", (int)x->needed, "available",
		                                   (int)x->available));
	}
	return a;
}

/* ---- commit ---- */

struct commit_job {
	int64_t exam, run, staff, id;
	int sitting;
	const char *rule, *digest, *commitment, *seed, *excluded;
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
		rc = done_ok(rc);
	}
	kw_stmt_finalize(s);
	s = NULL;
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
		rc = done_ok(kw_stmt_step(s, err));
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
	    (sv &&
	     (!json_is_integer(sv) || json_integer_value(sv) < 1 || json_integer_value(sv) > 32))) {
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
	if (!rc) {
		uint8_t zero[KW_DRAW_SEED_BYTES] = {0};
		struct kw_proctor_inputs in = inputs_of(&l);
		struct kw_proctor_result r;
		rc = kw_proctor_draw(&in, zero, &r, err);
		if (rc == KW_ERULE) {
			kw_err_detail(err, "shortfalls", shorts_json(&l, &r));
			kw_err_detail(err, "excluded", json_incref(l.excluded));
		}
		kw_proctor_result_release(&r);
	}
	struct commit_job j = {
	        .exam = exam, .run = l.run, .staff = s->user.id, .sitting = l.sitting};
	char digest[65], commitment[65], seed_hex[65];
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (!rc)
		rc = kw_draw_seed_new(seed, err);
	if (!rc)
		rc = kw_draw_commit(seed, commitment, err);
	char *rule = NULL, *excl = NULL;
	if (!rc) {
		kw_draw_seed_hex(seed, seed_hex);
		sodium_memzero(seed, sizeof seed);
		inputs_digest(&l, digest);
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
		rc = kw_writer_run(app->writer, commit_job, &j, actor, err);
		sodium_memzero(seed_hex, sizeof seed_hex);
	}
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
	                          "exam_room_id, floor, duty, created_at) VALUES ($1, $2, $3, $4, "
	                          "$5, $6, $7)");
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
		kw_stmt_bind_textz(s, 6, duty_names[a->duty]);
		kw_stmt_bind_textz(s, 7, now);
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
		rc = done_ok(kw_stmt_step(s, err));
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
		rc = done_ok(rc);
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
	if (!rc) {
		inputs_digest(&l, now_digest);
		if (strcmp(now_digest, digest) != 0)
			rc = kw_err_set(
			        err, KW_ECONFLICT, "PROCTOR_INPUTS_CHANGED", "SEAT-2",
			        "the rooms or the eligible staff changed since the commitment");
	}
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (!rc)
		rc = kw_draw_seed_parse(seed_hex, strlen(seed_hex), seed, err);
	if (!rc && !kw_draw_verify(seed, commitment))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the kept seed is not the committed");
	struct kw_proctor_result r;
	memset(&r, 0, sizeof r);
	if (!rc) {
		struct kw_proctor_inputs in = inputs_of(&l);
		rc = kw_proctor_draw(&in, seed, &r, err);
		if (rc == KW_ERULE)
			kw_err_detail(err, "shortfalls", shorts_json(&l, &r));
	}
	sodium_memzero(seed, sizeof seed);
	if (!rc) {
		crypto_hash_sha256_state h;
		crypto_hash_sha256_init(&h);
		for (size_t i = 0; i < r.n; i++) {
			char line[160];
			int n = snprintf(line, sizeof line, "%lld\t%s\t%s\t%lld\t%d\n",
			                 (long long)l.staff[r.v[i].staff].id,
			                 duty_names[r.v[i].duty], l.centre_codes[r.v[i].centre],
			                 r.v[i].room >= 0 ? (long long)l.room_numbers[r.v[i].room]
			                                  : 0LL,
			                 r.v[i].floor);
			crypto_hash_sha256_update(&h, (const unsigned char *)line,
			                          (unsigned long long)n);
		}
		unsigned char d[crypto_hash_sha256_BYTES];
		char result[65];
		crypto_hash_sha256_final(&h, d);
		sodium_bin2hex(result, sizeof result, d, sizeof d);
		struct draw_job j = {id, s->user.id, &l, &r, seed_hex, result};
		rc = kw_writer_run(app->writer, draw_job, &j, actor, err);
	}
	kw_proctor_result_release(&r);
	load_release(&l);
	return rc ? rc : kw_proctors_get(app, s, id, out, err);
}

/* ---- reading ---- */

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
	        "d.committed_at, d.drawn_at, e.unit_id FROM proctor_draws d JOIN exams e ON e.id = "
	        "d.exam_id WHERE d.id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
#define T(i) (kw_stmt_column_is_null(st, i) ? NULL : kw_stmt_column_text(st, i, NULL))
			o = json_pack(
			        "{s:I, s:I, s:s, s:I, s:I, s:s, s:o, s:s, s:s, s:s?, s:s?, s:o, "
			        "s:s, s:s?}",
			        "id", (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
			        (json_int_t)kw_stmt_column_int64(st, 1), "exam", T(2), "run_id",
			        (json_int_t)kw_stmt_column_int64(st, 3), "sitting",
			        (json_int_t)kw_stmt_column_int64(st, 4), "status", T(5), "rule",
			        json_loads(T(6), 0, NULL), "inputs_digest", T(7), "commitment",
			        T(8), "seed", T(9), "result_digest", T(10), "excluded",
			        json_loads(T(11), 0, NULL), "committed_at", T(12), "drawn_at",
			        T(13));
#undef T
			unit = kw_stmt_column_int64(st, 14);
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	struct kw_err e2 = KW_ERR_INIT;
	if (!rc && (!o || s->candidate_id || kw_authz_check(c, s, "proctor.read", unit, &e2) != 0))
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such draw");
	kw_err_release(&e2);
	st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT f.code, f.name, a.duty, c.code, x.number, a.floor FROM "
		        "proctor_assignments a JOIN staff f ON f.id = a.staff_id JOIN "
		        "centres c ON c.id = a.centre_id LEFT JOIN exam_rooms x ON x.id = "
		        "a.exam_room_id WHERE a.draw_id = $1 ORDER BY c.code, a.duty, "
		        "x.number, f.code",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(
			        items,
			        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "staff",
			                  kw_stmt_column_text(st, 0, NULL), "name",
			                  kw_stmt_column_text(st, 1, NULL), "duty",
			                  kw_stmt_column_text(st, 2, NULL), "centre",
			                  kw_stmt_column_text(st, 3, NULL), "room",
			                  kw_stmt_column_is_null(st, 4)
			                          ? json_null()
			                          : json_integer(kw_stmt_column_int64(st, 4)),
			                  "floor",
			                  kw_stmt_column_is_null(st, 5)
			                          ? json_null()
			                          : json_integer(kw_stmt_column_int64(st, 5))));
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
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
