/*
 * The demo (data/demo/demo.json): loaded by `kaowu demo` on the server host, an operator
 * action like `kaowu user add`. Idempotent: each item is looked up by its code (accounts by
 * username; items without a code by the fields that tell them apart) and added only when
 * missing, so a newer demo file extends an older database. Everything goes through the
 * same services and audit as a person's work; only the demo accounts' role grants are
 * written directly (by the operator, audited as "grant.demo") instead of through
 * maker-checker, as `kaowu user add --role admin` does for administrators.
 */
#include "app/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/answerbak.h"
#include "app/approvals.h"
#include "app/audit.h"
#include "app/bulk.h"
#include "app/files.h"
#include "app/interview.h"
#include "app/records.h"
#include "app/reg.h"
#include "app/cases.h"
#include "app/certs.h"
#include "app/corrections.h"
#include "app/custody.h"
#include "app/duty.h"
#include "app/examday.h"
#include "app/incidents.h"
#include "app/proctors.h"
#include "app/publish.h"
#include "app/retention.h"
#include "app/recruit.h"
#include "app/review.h"
#include "app/scoring.h"
#include "app/screening.h"
#include "app/seating.h"
#include "core/calendar.h"
#include "core/idno.h"
#include "core/score.h"
#include "core/synth.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"

struct demo {
	struct kw_app *app;
	const struct kw_actor *actor;
	struct kw_session_info si; /* the operator acts as an administrator at the root */
	struct kw_demo_report *rep;
};

/* The id of the row of table where cols[i] = vals[i] (0: none). */
static int find(struct demo *d, const char *table, const char *const *cols, json_t *const *vals,
                int n, int64_t *id, struct kw_err *err)
{
	char sql[512];
	int off = snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE ", table);
	for (int i = 0; i < n; i++)
		off += snprintf(sql + off, sizeof sql - (size_t)off, "%s%s = $%d", i ? " AND " : "",
		                cols[i], i + 1);
	struct kw_conn *c = kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	for (int i = 0; !rc && i < n; i++) {
		if (json_is_integer(vals[i]))
			kw_stmt_bind_int64(s, i + 1, json_integer_value(vals[i]));
		else if (json_is_boolean(vals[i]))
			kw_stmt_bind_int64(s, i + 1, json_is_true(vals[i]));
		else
			kw_stmt_bind_textz(s, i + 1, json_string_value(vals[i]));
	}
	*id = 0;
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(s, 0);
		rc = rc < 0 ? rc : 0;
	}
	kw_stmt_finalize(s);
	kw_pool_put(d->app->pool, c);
	return rc;
}

/* The id of the row of table whose col is value; DEMO_INVALID when none. */
static int id_by(struct demo *d, const char *table, const char *col, const char *value, int64_t *id,
                 struct kw_err *err)
{
	json_t *v = json_string(value ? value : "");
	const char *const cols[] = {col};
	int rc = find(d, table, cols, &v, 1, id, err);
	json_decref(v);
	if (!rc && !*id)
		rc = kw_err_set(err, KW_EINVAL, "DEMO_INVALID", NULL, "demo: no %s with %s %s",
		                table, col, value ? value : "(none)");
	return rc;
}

static int id_by_code(struct demo *d, const char *table, const char *code, int64_t *id,
                      struct kw_err *err)
{
	return id_by(d, table, "code", code, id, err);
}

/*
 * Adds a record of kind (body) unless one with the same values of `keys` exists. Keys
 * name fields of body.
 */
static int ensure(struct demo *d, const char *kind, json_t *body, const char *const *keys,
                  int nkeys, int64_t *id, struct kw_err *err)
{
	const struct kw_kind *k = kw_kind_by_name(kind);
	json_t *vals[4];
	for (int i = 0; i < nkeys; i++)
		vals[i] = json_object_get(body, keys[i]);
	int64_t found = 0;
	int rc = find(d, k->table, keys, vals, nkeys, &found, err);
	if (!rc && found) {
		d->rep->kept++;
	} else if (!rc) {
		json_t *out = NULL;
		rc = kw_rec_create(d->app, &d->si, d->actor, k, body, &out, err);
		if (!rc) {
			found = json_integer_value(json_object_get(out, "id"));
			d->rep->added++;
		}
		json_decref(out);
	}
	if (id)
		*id = found;
	return rc;
}

/* Replaces the value named by `from` (a unit or centre code, a username: col of table) with
 * `to` = the id of its row. */
static int resolve_by(struct demo *d, json_t *o, const char *from, const char *table,
                      const char *col, const char *to, struct kw_err *err)
{
	int64_t id;
	int rc = id_by(d, table, col, json_string_value(json_object_get(o, from)), &id, err);
	if (!rc) {
		json_object_del(o, from);
		json_object_set_new(o, to, json_integer(id));
	}
	return rc;
}

static int resolve(struct demo *d, json_t *o, const char *from, const char *table, const char *to,
                   struct kw_err *err)
{
	return resolve_by(d, o, from, table, "code", to, err);
}

/* Sets field of the record id of kind to value unless it holds it (*changed says which). */
static int set_field(struct demo *d, const char *kind, int64_t id, const char *field, json_t *value,
                     int *changed, struct kw_err *err)
{
	const struct kw_kind *k = kw_kind_by_name(kind);
	json_t *cur = NULL, *out = NULL;
	char etag[70];
	*changed = 0;
	int rc = kw_rec_get(d->app, &d->si, k, id, &cur, etag, err);
	if (!rc && value && !json_equal(value, json_object_get(cur, field))) {
		json_t *body = json_pack("{s:O}", field, value);
		rc = kw_rec_update(d->app, &d->si, d->actor, k, id, body, etag, &out, etag, err);
		json_decref(body);
		json_decref(out);
		*changed = !rc;
	}
	json_decref(cur);
	return rc;
}

static int load_units(struct demo *d, json_t *units, struct kw_err *err)
{
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		int64_t id = 0, parent = 0;
		json_t *code = json_object_get(u, "code");
		static const char *const cols[] = {"code"};
		int rc = find(d, "units", cols, &code, 1, &id, err);
		if (!rc && id) {
			d->rep->kept++;
			continue;
		}
		if (!rc)
			rc = id_by_code(d, "units", json_string_value(json_object_get(u, "parent")),
			                &parent, err);
		struct kw_unit_new nu = {json_string_value(code),
		                         json_string_value(json_object_get(u, "name")),
		                         json_string_value(json_object_get(u, "kind")),
		                         json_string_value(json_object_get(u, "level")), parent};
		if (!rc)
			rc = kw_app_unit_create(d->app, &d->si, d->actor, &nu, &id, err);
		/* the prefix of its document numbers (皖人考决〔2026〕N号), app/cases.h */
		json_t *pfx = json_object_get(u, "doc_prefix"), *pb = NULL, *done = NULL;
		if (!rc && json_is_string(pfx)) {
			pb = json_pack("{s:O}", "doc_prefix", pfx);
			rc = kw_unit_doc_prefix_set(d->app, d->actor, &d->si, id, pb, &done, err);
		}
		json_decref(pb);
		json_decref(done);
		if (rc)
			return rc;
		d->rep->added++;
	}
	return 0;
}

static void cst_day(int days, char out[11]);

/* Dates given relative to the day the demo is loaded, as the exams' are (demo.json
 * "signed_in_days": -150 → "signed_on": that day): the registers' dates keep their distance to
 * the exams' first days whenever the demo is first loaded. */
static void relative_dates(json_t *b)
{
	static const char *const map[][2] = {{"signed_in_days", "signed_on"},
	                                     {"valid_in_days", "valid_until"},
	                                     {"inspected_in_days", "inspected_on"},
	                                     {"corrected_in_days", "corrected_on"}};
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
		json_t *v = json_object_get(b, map[k][0]);
		if (!json_is_integer(v))
			continue;
		char day[11];
		cst_day((int)json_integer_value(v), day);
		json_object_set_new(b, map[k][1], json_string(day));
		json_object_del(b, map[k][0]);
	}
}

/* Items of a register keyed by a unit or centre code: {"unit": "AH-PTA", …}. */
static int load_items(struct demo *d, json_t *list, const char *kind, const char *from,
                      const char *table, const char *to, const char *const *keys, int nkeys,
                      struct kw_err *err)
{
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item)
	{
		json_t *b = json_deep_copy(item);
		relative_dates(b);
		int rc = resolve(d, b, from, table, to, err);
		if (!rc)
			rc = ensure(d, kind, b, keys, nkeys, NULL, err);
		json_decref(b);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_centres(struct demo *d, json_t *centres, struct kw_err *err)
{
	size_t i;
	json_t *cj;
	json_array_foreach(centres, i, cj)
	{
		json_t *b = json_deep_copy(cj);
		json_int_t rooms = json_integer_value(json_object_get(b, "rooms"));
		json_int_t cbt = json_integer_value(json_object_get(b, "cbt_rooms"));
		json_int_t seats = json_integer_value(json_object_get(b, "seats"));
		int video = json_is_true(json_object_get(b, "video"));
		json_object_del(b, "rooms");
		json_object_del(b, "cbt_rooms");
		json_object_del(b, "video");
		json_object_del(b, "seats");
		int64_t centre = 0;
		static const char *const ckey[] = {"code"};
		int rc = resolve(d, b, "unit", "units", "unit_id", err);
		if (!rc)
			rc = ensure(d, "centre", b, ckey, 1, &centre, err);
		json_decref(b);
		/* Rooms 101, 102, … on floors 1, 2, …; then the CBT rooms 501, 502, … */
		for (json_int_t r = 0; !rc && r < rooms + cbt; r++) {
			int is_cbt = r >= rooms;
			char code[32], name[64];
			json_int_t n = is_cbt ? r - rooms : r;
			snprintf(code, sizeof code, "%lld",
			         (long long)(is_cbt ? 501 + n : 100 * (1 + n / 4) + 1 + n % 4));
			snprintf(name, sizeof name, "%s%s", is_cbt ? "机房" : "第", code);
			json_t *room = json_pack(
			        "{s:I, s:s, s:s, s:I, s:s, s:b, s:b, s:I, s:s}", "centre_id",
			        (json_int_t)centre, "code", code, "name", name, "seats",
			        (json_int_t)(seats > 0 ? seats : 30), "mode",
			        is_cbt ? "cbt" : "paper", "video", video, "partitions", is_cbt,
			        "floor", (json_int_t)(is_cbt ? 5 : 1 + n / 4), "storage",
			        "考场前门外走廊");
			static const char *const rkey[] = {"centre_id", "code"};
			rc = ensure(d, "room", room, rkey, 2, NULL, err);
			json_decref(room);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int load_staff(struct demo *d, json_t *staff, struct kw_err *err)
{
	size_t i;
	json_t *sj;
	json_array_foreach(staff, i, sj)
	{
		json_t *b = json_deep_copy(sj);
		int trained = json_is_true(json_object_get(b, "trained")), linked = 0;
		json_object_del(b, "trained");
		int rc = resolve(d, b, "unit", "units", "unit_id", err);
		if (!rc && json_object_get(b, "backup_of"))
			rc = resolve(d, b, "backup_of", "staff", "backup_of", err);
		/* its account: how the examiner's tablet finds the person's panels */
		if (!rc && json_object_get(b, "user"))
			rc = resolve_by(d, b, "user", "users", "username", "user_id", err);
		int64_t id = 0;
		static const char *const skey[] = {"code"};
		if (!rc)
			rc = ensure(d, "staff", b, skey, 1, &id, err);
		/* a record of an older demo, made before its account was linked */
		if (!rc && json_object_get(b, "user_id"))
			rc = set_field(d, "staff", id, "user_id", json_object_get(b, "user_id"),
			               &linked, err);
		d->rep->added += linked;
		int examiner =
		        strcmp(json_string_value(json_object_get(b, "post")), "examiner") == 0;
		json_decref(b);
		if (!rc && trained) {
			json_t *t = json_pack(
			        "{s:I, s:s, s:s, s:s, s:s}", "staff_id", (json_int_t)id, "course",
			        "2026年度人事考试考务人员培训", "trained_on", "2026-10-28",
			        "result", "passed", "assessment", examiner ? "passed" : "none");
			static const char *const tkey[] = {"staff_id", "course"};
			rc = ensure(d, "training", t, tkey, 2, NULL, err);
			json_decref(t);
		}
		if (rc)
			return rc;
	}
	return 0;
}

struct grant_job {
	int64_t user, unit;
	const char *role;
};

static int grant_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct grant_job *g = arg;
	char now[32], sql[512], ret[256];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("grants", ret, sizeof ret);
	snprintf(sql, sizeof sql,
	         "INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4) "
	         "%s",
	         ret);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, g->user);
		kw_stmt_bind_textz(s, 2, g->role);
		kw_stmt_bind_int64(s, 3, g->unit);
		kw_stmt_bind_textz(s, 4, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			json_t *dt = json_pack("{s:s, s:I, s:s}", "role", g->role, "unit_id",
			                       (json_int_t)g->unit, "via", "demo");
			rc = kw_audit_append_row(tx, "grant.demo", "grants", s, dt, err);
			json_decref(dt);
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

static int load_accounts(struct demo *d, json_t *accounts, const char *password, struct kw_err *err)
{
	size_t i;
	json_t *a;
	json_array_foreach(accounts, i, a)
	{
		const char *username = json_string_value(json_object_get(a, "username"));
		const char *role = json_string_value(json_object_get(a, "role"));
		int64_t user = 0, unit = 0, grant = 0;
		json_t *name = json_object_get(a, "username");
		static const char *const ucols[] = {"username"};
		int rc = find(d, "users", ucols, &name, 1, &user, err);
		if (!rc)
			rc = id_by_code(d, "units", json_string_value(json_object_get(a, "unit")),
			                &unit, err);
		if (!rc && !user) {
			struct kw_user_new nu = {
			        username, json_string_value(json_object_get(a, "display_name")),
			        password};
			struct kw_user out = {0};
			rc = kw_app_user_add(d->app, d->actor, &nu, NULL, &out, err);
			user = out.id;
			if (!rc)
				d->rep->added++;
		}
		json_t *vals[3] = {json_integer(user), json_string(role), json_integer(unit)};
		static const char *const gcols[] = {"user_id", "role", "unit_id"};
		if (!rc)
			rc = find(d, "grants", gcols, vals, 3, &grant, err);
		for (int v = 0; v < 3; v++)
			json_decref(vals[v]);
		if (!rc && !grant) {
			struct grant_job g = {user, unit, role};
			rc = kw_writer_run(d->app->writer, grant_job, &g, d->actor, err);
			if (!rc)
				d->rep->added++;
		} else if (!rc) {
			d->rep->kept++;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- exams, positions, registrations, a candidate ---- */

/* The CST date `days` from today ("YYYY-MM-DD"), and an instant at `hour` on it (RFC 3339). */
static void cst_day(int days, char out[11])
{
	time_t t = (time_t)(kw_clock_now_us() / 1000000 + 8 * 3600 + (int64_t)days * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		memcpy(out, "2027-01-01", 11);
}

static void cst_minute(int days, int minute, char out[32])
{
	char d[11];
	cst_day(days, d);
	snprintf(out, 32, "%sT%02d:%02d:00+08:00", d, minute / 60 % 24, minute % 60);
}

static void cst_time(int days, int hour, char out[32])
{
	cst_minute(days, hour * 60, out);
}

/* The instant `minutes` after now rounded up to the next 5 minutes, China time (RFC 3339), and
 * its China date: the first sitting of the exam held today (demo.json "starts_in_minutes"). */
static void cst_soon(int minutes, char out[32], char day[11])
{
	int64_t t = kw_clock_now_us() / 1000000;
	t = (t + 299) / 300 * 300 + (int64_t)minutes * 60 + 8 * 3600;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:00+08:00", &tm) != 25)
		memcpy(out, "2027-01-01T09:00:00+08:00", 26);
	memcpy(day, out, 10);
	day[10] = 0;
}

static int jint(const json_t *o, const char *k)
{
	return (int)json_integer_value(json_object_get(o, k));
}

/* The rows of sql ($1 = a) as [[column, …], …]: types has a letter a column, 'i' an integer
 * (0 for NULL), 's' a text. */
static int rows_of(struct demo *d, const char *sql, int64_t a, const char *types, json_t **out,
                   struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	json_t *rows = json_array();
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, a);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			json_t *row = json_array();
			for (int k = 0; types[k]; k++)
				json_array_append_new(
				        row,
				        types[k] == 'i'
				                ? json_integer(kw_stmt_column_int64(s, k))
				                : json_string(kw_stmt_column_text(s, k, NULL)));
			json_array_append_new(rows, row);
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	kw_pool_put(d->app->pool, c);
	if (rc)
		json_decref(rows);
	else
		*out = rows;
	return rc;
}

/* The integer sql ($1 = id) gives (a count), -1 when it gives no row. */
static int64_t count_of(struct demo *d, const char *sql, int64_t id, struct kw_err *err)
{
	json_t *rows = NULL;
	int64_t n = -1;
	if (rows_of(d, sql, id, "i", &rows, err) == 0 && json_array_size(rows))
		n = json_integer_value(json_array_get(json_array_get(rows, 0), 0));
	json_decref(rows);
	return n;
}

/*
 * Registrations of synthetic candidates (core/synth.c) through the bulk import, spread over
 * submitted, approved, rejected and void — only while the exam has none.
 */
static int demo_registrations(struct demo *d, const json_t *exam, int64_t exam_id,
                              const json_t *positions, struct kw_err *err)
{
	int n = jint(exam, "registrations");
	if (n <= 0 ||
	    count_of(d, "SELECT COUNT(*) FROM registrations WHERE exam_id = $1", exam_id, err) != 0)
		return 0;
	const char *code = json_string_value(json_object_get(exam, "code"));
	int civil = strcmp(json_string_value(json_object_get(exam, "kind")), "civil_service") == 0;
	/* the exam's own area (demo.json "area"), else Hefei or Wuhu; its subjects, all of them */
	const char *own_area = json_string_value(json_object_get(exam, "area"));
	char subjects[128] = "";
	size_t si;
	json_t *sj;
	json_array_foreach(json_object_get(exam, "subjects"), si, sj)
	{
		size_t len = strlen(subjects);
		snprintf(subjects + len, sizeof subjects - len, "%s%s", si ? ";" : "",
		         json_string_value(json_object_get(sj, "code")));
	}
	const char *pos[64];
	size_t npos = 0, i;
	json_t *p;
	json_array_foreach(positions, i,
	                   p) if (npos < 64 &&
	                          strcmp(json_string_value(json_object_get(p, "exam")), code) == 0)
	        pos[npos++] = json_string_value(json_object_get(p, "code"));
	FILE *f = tmpfile();
	if (!f)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "no temporary file");
	fprintf(f, "id_number,name,phone,education_level,degree,major_code,major,school,"
	           "graduated_on,political_status,household_region,work_years,grassroots_years,"
	           "exam_code,position_code,subjects,route,status,area\n");
	static const char *const statuses[] = {"submitted", "submitted", "approved", "approved",
	                                       "approved",  "rejected",  "void"};
	/* the synthetic people: the exam's own "seed", else one per kind of exam */
	json_int_t own = json_integer_value(json_object_get(exam, "seed"));
	uint64_t seed = own > 0 ? (uint64_t)own : civil ? 2027 : 2028;
	/* Civil service asks 18 to 35 (AH): only candidates born from 1992 apply there. */
	for (uint64_t k = 0, written = 0; written < (uint64_t)n; k++) {
		struct kw_synth c;
		kw_synth_candidate(seed, k, 2026, &c);
		if (civil && strcmp(c.birth_date, "1992") < 0)
			continue;
		written++;
		/* SEAT-1: Anhui's candidates sit in Hefei or Wuhu */
		const char *area = own_area                       ? own_area
		                   : strncmp(code, "AH-", 3) != 0 ? ""
		                   : (c.pick >> 24) % 100 < 55    ? "AH-HF"
		                                                  : "AH-WH";
		fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%s\n",
		        c.id_number, c.name, c.phone, c.education_level, c.degree, c.major_code,
		        c.major, c.school, c.graduated_on, c.political_status, c.household_region,
		        c.work_years, c.grassroots_years, code,
		        civil && npos ? pos[c.pick % npos] : "", civil ? "" : subjects,
		        civil || (c.pick >> 8) % 4 ? "pledge" : "proof",
		        statuses[(c.pick >> 16) % 7], area);
	}
	rewind(f);
	json_t *out = NULL;
	int rc = kw_bulk_import_registrations(d->app, d->actor, f, NULL, &out, err);
	fclose(f);
	if (!rc)
		d->rep->added += (int)json_integer_value(json_object_get(out, "registrations"));
	json_decref(out);
	return rc;
}

/* The fee of a subject copied from a template (EXAM-2), as the province approved it. */
static int set_fee(struct demo *d, const json_t *sb, struct kw_err *err)
{
	static const char *const key[] = {"exam_id", "code"};
	json_t *vals[2] = {json_object_get(sb, "exam_id"), json_object_get(sb, "code")};
	int64_t id = 0;
	int changed = 0;
	int rc = find(d, kw_kind_by_name("subject")->table, key, vals, 2, &id, err);
	if (rc || !id)
		return rc;
	rc = set_field(d, "subject", id, "fee_cents", json_object_get(sb, "fee_cents"), &changed,
	               err);
	if (!rc) {
		d->rep->added += changed;
		d->rep->kept += !changed;
	}
	return rc;
}

static int load_exams(struct demo *d, json_t *exams, json_t *positions, struct kw_err *err)
{
	size_t i;
	json_t *x;
	static const char *const ekey[] = {"code"};
	static const char *const skey[] = {"exam_id", "code"};
	int rc = 0;
	json_array_foreach(exams, i, x)
	{
		char opens[32], closes[32], withdraw[32], exam_date[11], ref[11], syl[11];
		cst_time(jint(x, "opens_in_days"), 8, opens);
		cst_time(jint(x, "closes_in_days"), 18, closes);
		cst_time(jint(x, "withdraw_in_days"), 18, withdraw);
		cst_day(jint(x, "exam_in_days"), exam_date);
		char soon[32] = "";
		if (json_is_integer(json_object_get(x, "starts_in_minutes")))
			cst_soon(jint(x, "starts_in_minutes"), soon, exam_date);
		cst_day(jint(x, "closes_in_days"), ref);
		cst_day(jint(x, "exam_in_days") - jint(x, "syllabus_days_before"), syl);
		json_t *b = json_deep_copy(x);
		static const char *const drop[] = {"opens_in_days",        "closes_in_days",
		                                   "withdraw_in_days",     "exam_in_days",
		                                   "syllabus_days_before", "subjects",
		                                   "registrations",        "seed",
		                                   "starts_in_minutes",    "area"};
		for (size_t k = 0; k < sizeof drop / sizeof drop[0]; k++)
			json_object_del(b, drop[k]);
		/* EXAM-2: a national template keeps its dates and has no window; an exam made
		 * from one takes what the template fixes from it. */
		const char *tmpl = json_string_value(json_object_get(x, "template"));
		int is_template = json_object_get(x, "status") != NULL;
		if (!is_template) {
			json_object_set_new(b, "status", json_string("published"));
			json_object_set_new(b, "reg_opens_at", json_string(opens));
			json_object_set_new(b, "reg_closes_at", json_string(closes));
			json_object_set_new(b, "pledge_withdraw_until", json_string(withdraw));
		}
		json_object_set_new(b, "exam_date", json_string(exam_date));
		json_object_set_new(b, "ref_date", json_string(ref));
		json_object_set_new(b, "syllabus_published_on", json_string(syl));
		int64_t exam_id = 0;
		rc = resolve(d, b, "unit", "units", "unit_id", err);
		if (!rc && tmpl) {
			static const char *const national[] = {"kind",
			                                       "ruleset",
			                                       "exam_date",
			                                       "ref_date",
			                                       "syllabus_published_on",
			                                       "levels",
			                                       "rolling_years",
			                                       "education_min"};
			for (size_t n = 0; n < sizeof national / sizeof national[0]; n++)
				json_object_del(b, national[n]);
			rc = resolve(d, b, "template", "exams", "template_id", err);
		}
		if (!rc)
			rc = ensure(d, "exam", b, ekey, 1, &exam_id, err);
		json_decref(b);
		size_t k;
		json_t *sj;
		json_array_foreach(json_object_get(x, "subjects"), k, sj)
		{
			if (rc)
				break;
			char starts[32];
			cst_time(jint(x, "exam_in_days"), k ? 14 : 9, starts);
			if (!k && soon[0])
				memcpy(starts, soon, sizeof starts);
			json_t *sb = json_deep_copy(sj);
			json_object_set_new(sb, "exam_id", json_integer(exam_id));
			json_object_set_new(sb, "starts_at", json_string(starts));
			/* A template's subjects were copied: the province sets their fees. */
			rc = tmpl ? set_fee(d, sb, err)
			          : ensure(d, "subject", sb, skey, 2, NULL, err);
			json_decref(sb);
		}
		size_t pi;
		json_t *pj;
		json_array_foreach(positions, pi, pj)
		{
			if (rc)
				break;
			if (strcmp(json_string_value(json_object_get(pj, "exam")),
			           json_string_value(json_object_get(x, "code"))) != 0)
				continue;
			json_t *pb = json_deep_copy(pj);
			json_object_del(pb, "exam");
			json_object_set_new(pb, "exam_id", json_integer(exam_id));
			rc = resolve(d, pb, "unit", "units", "recruiter_id", err);
			if (!rc)
				rc = ensure(d, "position", pb, skey, 2, NULL, err);
			json_decref(pb);
		}
		if (!rc)
			rc = demo_registrations(d, x, exam_id, positions, err);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Seating for the demo (SEAT-1): some of an exam's approved registrations pay (an offline
 * transfer confirmed in bulk, at most `per_area` per exam area, so the demo's rooms hold
 * them), then a seating run is committed, seated and published as agency staff would —
 * only while the exam has no run.
 */
struct pay_job {
	int64_t exam;
	int per_area;
	int paid;
};

static int pay_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct pay_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	/* the exam's fee items (civil service: every subject) */
	json_t *items = json_array();
	int64_t amount = 0;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT code, name, fee_cents FROM subjects WHERE exam_id = $1 "
	                         "ORDER BY code",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			amount += kw_stmt_column_int64(s, 2);
			json_array_append_new(
			        items, json_pack("{s:s, s:s, s:I}", "subject",
			                         kw_stmt_column_text(s, 0, NULL), "name",
			                         kw_stmt_column_text(s, 1, NULL), "fee_cents",
			                         (json_int_t)kw_stmt_column_int64(s, 2)));
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	char *it = json_dumps(items, JSON_COMPACT);
	json_decref(items);
	s = NULL;
	struct kw_stmt *ins = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT r.id, r.candidate_id, COALESCE(r.area_id, 0) FROM "
		        "registrations r WHERE r.exam_id = $1 AND r.status = 'approved' "
		        "AND r.area_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments "
		        "y WHERE y.registration_id = r.id) ORDER BY r.id",
		        &s, err);
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "payments", &ins, err,
		        "INSERT INTO payments (registration_id, candidate_id, "
		        "idempotency_key, amount_cents, items, provider, provider_ref, "
		        "status, paid_at, created_at, updated_at) VALUES ($1, $2, $3, $4, "
		        "$5, 'offline', $6, 'paid', $7, $7, $7)");
	struct kw_batch_row *rows = NULL;
	size_t n = 0, cap = 0;
	int64_t areas[8] = {0};
	int counts[8] = {0};
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t area = kw_stmt_column_int64(s, 2);
			int k;
			for (k = 0; k < 8 && areas[k] && areas[k] != area; k++)
				;
			if (k == 8 || counts[k] >= j->per_area)
				continue;
			areas[k] = area;
			counts[k]++;
			int64_t reg = kw_stmt_column_int64(s, 0);
			char key[40], ref[40];
			snprintf(key, sizeof key, "demo-%lld", (long long)reg);
			snprintf(ref, sizeof ref, "DEMO-BANK-%06lld", (long long)reg);
			kw_stmt_reset(ins);
			kw_stmt_bind_int64(ins, 1, reg);
			kw_stmt_bind_int64(ins, 2, kw_stmt_column_int64(s, 1));
			kw_stmt_bind_textz(ins, 3, key);
			kw_stmt_bind_int64(ins, 4, amount);
			kw_stmt_bind_textz(ins, 5, it);
			kw_stmt_bind_textz(ins, 6, ref);
			kw_stmt_bind_textz(ins, 7, now);
			int r2 = kw_stmt_step(ins, err);
			if (r2 != KW_ROW) {
				rc = r2 ? r2 : KW_EINTERNAL;
				break;
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				rows = kw_xrealloc(rows, cap * sizeof *rows);
			}
			kw_audit_digest_row("payments", ins, &rows[n].id, rows[n].digest);
			n++;
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	kw_stmt_finalize(ins);
	if (!rc && n)
		rc = kw_audit_append_batch(tx, "payment.import", "payments", rows, n, NULL, err);
	j->paid = (int)n;
	free(rows);
	free(it);
	return rc;
}

static int demo_seating(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam ||
	    count_of(d, "SELECT COUNT(*) FROM seating_runs WHERE exam_id = $1", exam, err) != 0)
		return rc;
	struct pay_job pj = {.exam = exam, .per_area = 300};
	if (count_of(d,
	             "SELECT COUNT(*) FROM payments y JOIN registrations r ON r.id = "
	             "y.registration_id WHERE r.exam_id = $1",
	             exam, err) == 0) {
		rc = kw_writer_run(d->app->writer, pay_job, &pj, d->actor, err);
		if (rc)
			return rc;
		d->rep->added += pj.paid;
	}
	/* as the province's agency staff would: commit, seat, publish */
	struct kw_session_info si = d->si;
	si.ngrants = 2;
	si.grants[1] = si.grants[0];
	snprintf(si.grants[1].role, sizeof si.grants[1].role, "agency_staff");
	json_t *body = json_pack("{s:{}}", "rule"), *run = NULL, *out = NULL;
	rc = kw_seating_commit(d->app, d->actor, &si, exam, body, &run, err);
	json_decref(body);
	if (rc == KW_ERULE) {
		/* the database holds other rooms than the demo's (too few seats): the capacity
		 * page shows why; the demo goes on without a run */
		kw_err_release(err);
		return 0;
	}
	int64_t id = rc ? 0 : json_integer_value(json_object_get(run, "id"));
	json_decref(run);
	if (!rc)
		rc = kw_seating_seat(d->app, d->actor, &si, id, &out, err);
	json_decref(out);
	out = NULL;
	if (!rc)
		rc = kw_seating_publish(d->app, d->actor, &si, id, &out, err);
	json_decref(out);
	d->rep->added += !rc;
	return rc;
}

/*
 * Two ticket corrections waiting for the exam-area agency (TKT-3), asked by candidates of the
 * seated exam as they would: a name with a wrong last character, and a new photo — each with
 * a proof file. Only while the exam has none.
 */
static int demo_corrections(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam ||
	    count_of(d, "SELECT COUNT(*) FROM ticket_corrections WHERE exam_id = $1", exam, err) !=
	            0)
		return rc;
	struct kw_conn *c = kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	int64_t regs[2] = {0}, cands[2] = {0};
	char names[2][128] = {"", ""};
	int n = 0;
	rc = kw_conn_prepare(c,
	                     "SELECT r.id, r.candidate_id, d.name FROM seats s JOIN seating_runs u "
	                     "ON u.id = s.run_id JOIN registrations r ON r.id = s.registration_id "
	                     "JOIN candidates d ON d.id = r.candidate_id WHERE u.exam_id = $1 AND "
	                     "u.status = 'published' ORDER BY r.id LIMIT 2",
	                     &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW && n < 2) {
			regs[n] = kw_stmt_column_int64(s, 0);
			cands[n] = kw_stmt_column_int64(s, 1);
			snprintf(names[n], sizeof names[n], "%s", kw_stmt_column_text(s, 2, NULL));
			n++;
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	kw_pool_put(d->app->pool, c);
	static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 "
	                          "R>>\n%%EOF\n";
	for (int i = 0; !rc && i < n; i++) {
		struct kw_session_info si;
		memset(&si, 0, sizeof si);
		si.candidate_id = cands[i];
		json_t *f = NULL, *ph = NULL, *out = NULL, *changes = NULL;
		rc = kw_correction_file_add(d->app, d->actor, &si, regs[i], "proof",
		                            "application/pdf", i ? "近期免冠照片说明" : "户口簿",
		                            pdf, sizeof pdf - 1, &f, err);
		if (!rc && i == 0) {
			/* the name with its last character read wrongly at entry */
			size_t len = strlen(names[0]), k = len;
			while (k > 0 && ((unsigned char)names[0][k - 1] & 0xC0) == 0x80)
				k--;
			if (k > 0)
				k--;
			char fixed[160];
			snprintf(fixed, sizeof fixed, "%.*s%s", (int)k, names[0],
			         strcmp(names[0] + k, "华") == 0 ? "桦" : "华");
			changes = json_pack("{s:s}", "name", fixed);
		} else if (!rc) {
			unsigned char *jpeg = NULL;
			size_t len = 0;
			rc = kw_synth_photo(5, &jpeg, &len)
			             ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "demo photo")
			             : 0;
			if (!rc)
				rc = kw_correction_file_add(d->app, d->actor, &si, regs[i], "photo",
				                            "image/jpeg", NULL, jpeg, len, &ph,
				                            err);
			free(jpeg);
			if (!rc)
				changes =
				        json_pack("{s:O}", "photo_file", json_object_get(ph, "id"));
		}
		json_t *body = rc ? NULL
		                  : json_pack("{s:O, s:s, s:[O]}", "changes", changes, "statement",
		                              i ? "准考证照片为多年前旧照，申请更换为近期照片"
		                                : "报名时姓名最后一字录入有误，与身份证不一致",
		                              "proof_files", json_object_get(f, "id"));
		if (!rc)
			rc = kw_correction_request(d->app, d->actor, &si, regs[i], body, &out, err);
		if (rc == KW_ECONFLICT) {
			/* the exam has begun (a demo loaded late): nothing to ask any more */
			kw_err_release(err);
			rc = 0;
		} else if (!rc) {
			d->rep->added++;
		}
		json_decref(body);
		json_decref(changes);
		json_decref(out);
		json_decref(ph);
		json_decref(f);
	}
	return rc;
}

/* The session of demo account `username` with its grants. */
static int as_user(struct demo *d, const char *username, struct kw_session_info *si,
                   struct kw_err *err)
{
	memset(si, 0, sizeof *si);
	int64_t uid = 0;
	int rc = id_by(d, "users", "username", username, &uid, err);
	if (!rc) {
		struct kw_conn *c = kw_pool_get(d->app->pool);
		rc = kw_app_load_grants(c, uid, si, err);
		kw_pool_put(d->app->pool, c);
		si->user.id = uid;
		snprintf(si->user.username, sizeof si->user.username, "%s", username);
	}
	return rc;
}

/*
 * Two violation cases of the civil-service exam (VIO-8), found at qualification review
 * (VH 5: forged material): one decided — the record signed by two staff with its evidence,
 * the notice, the candidate's waiver of the defence, the decision of the provincial
 * civil-service authority with its letter, a 5-year ban in the archive and the registration
 * cancelled, the letter served — and one whose defence period is running. Only while the
 * exam has none.
 */
static int demo_cases(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam || count_of(d, "SELECT COUNT(*) FROM cases WHERE exam_id = $1", exam, err))
		return rc;
	struct kw_conn *c = kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	int64_t regs[2] = {0}, cands[2] = {0};
	int n = 0;
	rc = kw_conn_prepare(c,
	                     "SELECT r.id, r.candidate_id FROM registrations r WHERE r.exam_id = "
	                     "$1 AND r.status = 'approved' ORDER BY r.id DESC LIMIT 2",
	                     &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW && n < 2) {
			regs[n] = kw_stmt_column_int64(s, 0);
			cands[n] = kw_stmt_column_int64(s, 1);
			n++;
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	kw_pool_put(d->app->pool, c);
	int64_t csa = 0;
	if (!rc)
		rc = id_by_code(d, "units", "AH-CSA", &csa, err);
	/* the provincial civil-service authority finds it at review and decides (VIO-7); the
	 * authority's officer is the second signature */
	struct kw_session_info agency, inspector, officer;
	if (!rc)
		rc = as_user(d, "ah_csa", &agency, err);
	if (!rc)
		rc = as_user(d, "ah_officer", &inspector, err);
	if (!rc)
		rc = as_user(d, "ah_csa", &officer, err);
	static const char *const facts[] = {
	        "资格复审时发现，该考生报名时上传的学历证书系伪造（学信网无此证书编号，发证学校出具"
	        "书面证明）",
	        "资格复审时发现，该考生提交的基层工作经历证明所盖公章与该单位公章不符，系伪造"};
	char when[32];
	kw_clock_format(kw_clock_now_us() - INT64_C(86400000000), when);
	for (int i = 0; !rc && i < n; i++) {
		json_t *out = NULL,
		       *body = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		                         "registration_id", (json_int_t)regs[i], "source",
		                         "review_finding", "source_ref", "资格复审记录", "stage",
		                         "registration", "entry_id", "VH-5-1-serious", "facts",
		                         facts[i], "occurred_at", when, "actions_taken",
		                         "调取原件核对，向发证单位书面核实，材料复印留存");
		rc = kw_case_open(d->app, d->actor, &agency, body, &out, err);
		json_decref(body);
		int64_t id = rc ? 0 : json_integer_value(json_object_get(out, "id"));
		json_decref(out);
		out = NULL;
		json_t *empty = json_object();
		if (!rc)
			rc = kw_case_step(d->app, d->actor, &agency, id, "sign", empty, &out, err);
		json_decref(out);
		out = NULL;
		if (!rc)
			rc = kw_case_step(d->app, d->actor, &inspector, id, "sign", empty, &out,
			                  err);
		json_decref(out);
		out = NULL;
		json_decref(empty);
		unsigned char *jpeg = NULL;
		size_t len = 0;
		if (!rc && kw_synth_photo(7, &jpeg, &len))
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "demo evidence");
		if (!rc)
			rc = kw_case_file_add(d->app, d->actor, &agency, id, "evidence",
			                      "image/jpeg", "核查材料照片", jpeg, len, &out, err);
		free(jpeg);
		json_decref(out);
		out = NULL;
		body = json_pack("{s:s}", "method", "portal");
		if (!rc)
			rc = kw_case_step(d->app, d->actor, &agency, id, "notify", body, &out, err);
		json_decref(body);
		json_decref(out);
		out = NULL;
		if (!rc && i == 0) {
			struct kw_session_info cand;
			memset(&cand, 0, sizeof cand);
			cand.candidate_id = cands[i];
			body = json_pack("{s:b}", "waived", 1);
			rc = kw_case_step(d->app, d->actor, &cand, id, "defence", body, &out, err);
			json_decref(body);
			json_decref(out);
			out = NULL;
			body = json_pack("{s:I}", "unit_id", (json_int_t)csa);
			if (!rc)
				rc = kw_case_step(d->app, d->actor, &officer, id, "decide", body,
				                  &out, err);
			json_decref(body);
			json_decref(out);
			out = NULL;
			char today[32];
			int32_t day = 0;
			kw_cal_cst_day(kw_clock_now_us() / 1000000, &day, NULL);
			kw_cal_date_format(day, today);
			body = json_pack("{s:s, s:s}", "method", "portal", "receipt_date", today);
			if (!rc)
				rc = kw_case_step(d->app, d->actor, &agency, id, "serve", body,
				                  &out, err);
			json_decref(body);
			json_decref(out);
		}
		if (!rc)
			d->rep->added++;
	}
	return rc;
}

/* A candidate to log in as (document number and the demo password in the report). */
static int load_candidate(struct demo *d, const json_t *c, const char *password, struct kw_err *err)
{
	char number[19];
	if (!c || kw_idno_make(json_string_value(json_object_get(c, "region")),
	                       json_string_value(json_object_get(c, "birth")), jint(c, "seq"),
	                       number) != 0)
		return 0;
	snprintf(d->rep->candidate, sizeof d->rep->candidate, "%s", number);
	json_t *v = json_string(number);
	static const char *const cols[] = {"id_number"};
	int64_t id = 0;
	int rc = find(d, "candidates", cols, &v, 1, &id, err);
	json_decref(v);
	if (rc || id) {
		d->rep->kept += id != 0;
		return rc;
	}
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "id_number", number, "name",
	                         json_string_value(json_object_get(c, "name")), "phone",
	                         json_string_value(json_object_get(c, "phone")), "password",
	                         password),
	       *out = NULL;
	rc = kw_reg_signup(d->app, d->actor, body, &out, err);
	json_decref(body);
	if (!rc) {
		id = json_integer_value(json_object_get(out, "id"));
		json_decref(out);
		out = NULL;
		json_t *prof =
		        json_pack("{s:[{s:s, s:s, s:s, s:s, s:s, s:s}], s:s, s:s, s:i}",
		                  "education", "level", "bachelor", "degree", "bachelor",
		                  "major_code", "020201K", "major", "财政学", "school", "安徽大学",
		                  "graduated_on", "2020-07-01", "political_status", "cyl_member",
		                  "household_region", "340104", "work_years", 4);
		rc = kw_reg_profile_update(d->app, d->actor, id, prof, &out, err);
		json_decref(prof);
		json_decref(out);
		out = NULL;
		d->rep->added++;
		/* A photo from the synthetic pool (REG-4), checked and stored like an upload. */
		unsigned char *jpeg = NULL;
		size_t len = 0;
		if (!rc && kw_synth_photo(3, &jpeg, &len) == 0) {
			rc = kw_files_put_photo(d->app, d->actor, id, "image/jpeg", jpeg, len, &out,
			                        err);
			json_decref(out);
		}
		free(jpeg);
	}
	return rc;
}

/* A deterministic stream for the demo's answer sheets (splitmix64). */
static uint64_t demo_mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The demo's master key of a subject: 30 single-choice items (1 point), 5 multiple-choice
 * (2 points, 0.5 a correct option), 5 true/false (1 point); subject 02 has 10 indeterminate
 * items (2 points, 1 for a correct subset) in place of the true/false ones. */
static void demo_key(int subject, uint64_t seed, struct kw_score_key *k)
{
	memset(k, 0, sizeof *k);
	k->n = 40;
	for (size_t i = 0; i < k->n; i++) {
		struct kw_score_item *x = &k->item[i];
		uint64_t r = demo_mix(&seed);
		x->options = 4;
		if (i < 30) {
			x->kind = KW_ITEM_SINGLE;
			x->key = (uint8_t)(1u << (r % 4));
			x->points = 100;
		} else if (i < 35 || subject == 2) {
			x->kind = i < 35 ? KW_ITEM_MULTIPLE : KW_ITEM_INDETERMINATE;
			x->key = (uint8_t)(r % 15 + 1);
			if (x->kind == KW_ITEM_MULTIPLE && __builtin_popcount(x->key) < 2)
				x->key |= x->key == 8 ? 1 : (uint8_t)(x->key << 1);
			x->points = 200;
			x->partial = x->kind == KW_ITEM_MULTIPLE ? KW_PARTIAL_PER_OPTION
			                                         : KW_PARTIAL_FIXED;
			x->partial_points = x->kind == KW_ITEM_MULTIPLE ? 50 : 100;
		} else {
			x->kind = KW_ITEM_TRUEFALSE;
			x->options = 2;
			x->key = (uint8_t)(1u << (r % 2));
			x->points = 100;
		}
	}
}

/* One candidate's answer to an item: right with probability `skill` percent, else a near
 * miss (for sets, a correct subset half the time) or a blank. */
static char demo_answer(const struct kw_score_item *x, unsigned skill, uint64_t *st)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	uint64_t r = demo_mix(st);
	uint8_t m = x->key;
	if (r % 100 >= skill) {
		if ((r >> 8) % 10 == 0)
			return '-';
		if (x->kind == KW_ITEM_SINGLE || x->kind == KW_ITEM_TRUEFALSE)
			m = (uint8_t)(1u << ((r >> 16) % x->options));
		else if ((r >> 16) % 2 && __builtin_popcount(x->key) > 1)
			m = (uint8_t)(x->key & (x->key - 1)); /* a correct subset */
		else
			m = (uint8_t)((r >> 20) % 15 + 1);
	}
	if (__builtin_popcount(m) == 1)
		return (char)('A' + __builtin_ctz(m));
	return digits[m];
}

/*
 * Objective scoring of a held exam (GRD-5, CUS-8): the keys of both subjects — subject 01
 * in forms A (the master) and B (items in reverse order, options rotated) —, the answer
 * sheets of the seated candidates (one in twelve absent) read with a witness, and a score run
 * per subject, as the province's agency staff would. Only while the exam has no score run.
 */
static int demo_scoring(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam ||
	    count_of(d, "SELECT COUNT(*) FROM score_runs WHERE exam_id = $1", exam, err) ||
	    !count_of(d,
	              "SELECT COUNT(*) FROM seating_runs WHERE exam_id = $1 AND status = "
	              "'published'",
	              exam, err))
		return rc;
	struct kw_session_info ag;
	rc = as_user(d, "ah_agency", &ag, err);
	struct kw_score_key *key[2], *formb = kw_xcalloc(1, sizeof *formb);
	struct kw_form_perm *perm = kw_xcalloc(1, sizeof *perm);
	perm->n = 40;
	for (size_t i = 0; i < 40; i++) {
		perm->item_perm[i] = (uint16_t)(39 - i);
		for (int q = 0; q < KW_SCORE_MAX_OPTIONS; q++)
			perm->opt_perm[i][q] = (uint8_t)q;
	}
	for (int sj = 0; sj < 2; sj++) {
		key[sj] = kw_xcalloc(1, sizeof *key[sj]);
		demo_key(sj + 1, 2026 + (uint64_t)sj, key[sj]);
	}
	/* form B: the options of its single-choice items rotated by one */
	for (size_t i = 0; i < 40; i++)
		if (key[0]->item[perm->item_perm[i]].kind == KW_ITEM_SINGLE)
			for (int q = 0; q < 4; q++)
				perm->opt_perm[i][q] = (uint8_t)((q + 1) % 4);
	char msg[160];
	if (!rc && kw_form_key_from_master(key[0], perm, formb, msg, sizeof msg))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "demo form B: %s", msg);
	static const char *const codes[] = {"01", "02"};
	for (int sj = 0; !rc && sj < 2; sj++) {
		json_t *out = NULL, *body = json_pack("{s:s, s:b, s:o}", "form", "A", "master", 1,
		                                      "items", kw_scoring_items_json(key[sj]));
		rc = kw_scoring_key_load(d->app, d->actor, &ag, exam, codes[sj], body, &out, err);
		json_decref(body);
		json_decref(out);
	}
	if (!rc) {
		json_t *pi = json_array(), *po = json_array(), *out = NULL;
		for (size_t i = 0; i < 40; i++) {
			json_array_append_new(pi, json_integer(perm->item_perm[i] + 1));
			char o[KW_SCORE_MAX_OPTIONS + 1];
			for (int q = 0; q < formb->item[i].options; q++)
				o[q] = (char)('A' + perm->opt_perm[i][q]);
			o[formb->item[i].options] = '\0';
			json_array_append_new(po, json_string(o));
		}
		json_t *body =
		        json_pack("{s:s, s:o, s:{s:o, s:o}}", "form", "B", "items",
		                  kw_scoring_items_json(formb), "perm", "items", pi, "options", po);
		rc = kw_scoring_key_load(d->app, d->actor, &ag, exam, "01", body, &out, err);
		json_decref(body);
		json_decref(out);
	}
	/* the sheets, as the scanner writes them */
	struct kw_buf csv = KW_BUF_INIT;
	kw_buf_init(&csv, 0);
	kw_buf_adds(&csv, "ticket_no,subject,form,answers\n");
	struct kw_conn *c = rc ? NULL : kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	if (c)
		rc = kw_conn_prepare(c,
		                     "SELECT s.ticket_no, s.registration_id FROM seats s JOIN "
		                     "seating_runs u ON u.id = s.run_id WHERE u.exam_id = $1 AND "
		                     "u.status = 'published' ORDER BY s.ticket_no",
		                     &s, err);
	if (c && !rc) {
		kw_stmt_bind_int64(s, 1, exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			uint64_t st = (uint64_t)kw_stmt_column_int64(s, 1) * 7919;
			unsigned skill = 45 + (unsigned)(demo_mix(&st) % 50);
			for (int sj = 0; sj < 2; sj++) {
				if (demo_mix(&st) % 12 == 0)
					continue; /* absent */
				int b = sj == 0 && demo_mix(&st) % 2;
				const struct kw_score_key *k = b ? formb : key[sj];
				kw_buf_addf(&csv, "%s,%s,%s,", kw_stmt_column_text(s, 0, NULL),
				            codes[sj], b ? "B" : "A");
				for (size_t i = 0; i < k->n; i++) {
					char ch = demo_answer(&k->item[i], skill, &st);
					kw_buf_add(&csv, &ch, 1);
				}
				kw_buf_adds(&csv, "\n");
			}
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	if (c)
		kw_pool_put(d->app->pool, c);
	json_t *out = NULL;
	char scan[80];
	snprintf(scan, sizeof scan, "demo-scan-%s.csv", exam_code);
	if (!rc)
		rc = kw_scoring_answers_import(d->app, d->actor, &ag, exam, "ah_hefei", scan,
		                               csv.buf, csv.len, &out, err);
	json_decref(out);
	kw_buf_release(&csv);
	/* GRD-4: the day's answer data backed up by the maker and kept apart by another person */
	struct kw_session_info keeper;
	if (!rc)
		rc = as_user(d, "ah_keeper", &keeper, err);
	out = NULL;
	if (!rc)
		rc = kw_answerbak_create(d->app, d->actor, &ag, exam, NULL, &out, err);
	int64_t backup = rc ? 0 : json_integer_value(json_object_get(out, "backup_id"));
	json_decref(out);
	out = NULL;
	if (!rc) {
		json_t *body = json_pack("{s:s}", "location", "省人事考试院保密室 A-2 柜");
		rc = kw_answerbak_keep(d->app, d->actor, &keeper, backup, body, &out, err);
		json_decref(body);
		json_decref(out);
		d->rep->added += !rc;
	}
	for (int sj = 0; !rc && sj < 2; sj++) {
		out = NULL;
		rc = kw_scoring_run(d->app, d->actor, &ag, exam, codes[sj], &out, err);
		json_decref(out);
		d->rep->added += !rc;
	}
	free(key[0]);
	free(key[1]);
	free(formb);
	free(perm);
	return rc;
}

/*
 * A similar-answer screen of the held exam's subject 01 (GRD-6; app/screening.h) by the
 * province's agency staff, with a fixed seed, once the subject is scored — only while the exam
 * has no screen. The demo's sheets are drawn independently, so it flags little or nothing: it
 * shows the screen's figures at /screening.html.
 */
static int demo_screening(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam ||
	    count_of(d, "SELECT COUNT(*) FROM screens WHERE exam_id = $1", exam, err))
		return rc;
	struct kw_session_info ag;
	rc = as_user(d, "ah_agency", &ag, err);
	json_t *out = NULL, *body = json_pack("{s:s}", "seed", "2026");
	if (!rc)
		rc = kw_screening_run(d->app, d->actor, &ag, exam, "01", body, &out, err);
	if (rc && err->code &&
	    (!strcmp(err->code, "SCREEN_NOT_READY") ||
	     !strcmp(err->code, "SCREEN_TOO_FEW_CANDIDATES"))) {
		kw_err_release(err);
		rc = 0;
	} else if (!rc) {
		d->rep->added++;
	}
	json_decref(body);
	json_decref(out);
	return rc;
}

/* Acting in user's own name (maker-checker records who prepared and who approved, INF-4). */
static void user_actor(const struct kw_actor *op, const struct kw_session_info *si,
                       struct kw_actor *out)
{
	*out = *op;
	snprintf(out->kind, sizeof out->kind, "user");
	out->id = si->user.id;
	snprintf(out->name, sizeof out->name, "%s", si->user.username);
}

/* The latest score run of a subject (0: none). */
static int64_t latest_run(struct demo *d, const struct kw_session_info *si, int64_t exam,
                          const char *subject, struct kw_err *err)
{
	json_t *runs = NULL;
	int64_t id = 0;
	if (kw_scoring_runs(d->app, si, exam, subject, &runs, err) == 0) {
		json_t *items = json_object_get(runs, "items");
		id = json_integer_value(
		        json_object_get(json_array_get(items, json_array_size(items) - 1), "id"));
	}
	json_decref(runs);
	return id;
}

/* A candidate of the publication scored in both subjects, whom a visitor can look up: the
 * ticket number, identity number and name into the report. */
static int lookup_sample(struct demo *d, const struct kw_session_info *si, int64_t exam,
                         const int64_t run[2], struct kw_err *err)
{
	json_t *page[2] = {NULL, NULL};
	int rc = 0;
	for (int k = 0; !rc && k < 2; k++)
		rc = kw_scoring_run_scores(d->app, si, run[k], 0, 200, &page[k], err);
	int64_t reg = 0;
	char ticket[40] = "";
	size_t i, j;
	json_t *a, *b;
	json_array_foreach(rc ? NULL : json_object_get(page[0], "items"), i, a)
	{
		if (strcmp(json_string_value(json_object_get(a, "status")), "scored") != 0)
			continue;
		int64_t r = json_integer_value(json_object_get(a, "registration_id"));
		json_array_foreach(json_object_get(page[1], "items"), j, b)
		{
			if (json_integer_value(json_object_get(b, "registration_id")) == r &&
			    strcmp(json_string_value(json_object_get(b, "status")), "scored") ==
			            0) {
				reg = r;
				snprintf(ticket, sizeof ticket, "%s",
				         json_string_value(json_object_get(a, "ticket_no")));
				break;
			}
		}
		if (reg)
			break;
	}
	json_decref(page[0]);
	json_decref(page[1]);
	if (rc || !reg)
		return rc;
	struct kw_conn *c = kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT d.id_number, d.name FROM registrations r JOIN candidates d ON "
	                     "d.id = r.candidate_id WHERE r.id = $1",
	                     &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			struct kw_demo_report *rep = d->rep;
			rep->lookup_exam = exam;
			snprintf(rep->lookup_ticket, sizeof rep->lookup_ticket, "%s", ticket);
			snprintf(rep->lookup_id_number, sizeof rep->lookup_id_number, "%s",
			         kw_stmt_column_text(s, 0, NULL));
			snprintf(rep->lookup_name, sizeof rep->lookup_name, "%s",
			         kw_stmt_column_text(s, 1, NULL));
		}
		rc = rc < 0 ? rc : 0;
	}
	kw_stmt_finalize(s);
	kw_pool_put(d->app->pool, c);
	return rc;
}

/*
 * The publication of a held exam's scores (GRD-7, GRD-8, INF-4), as the province would do
 * it: the latest run of each subject cross-checked and kept on record by the agency's staff
 * (ah_agency), the publication prepared by them and approved by the authority's officer
 * (ah_officer) — each in their own name. Only while the exam has no publication in force;
 * with `sample`, a sample look-up goes into the report every time.
 */
static int demo_publication(struct demo *d, const char *exam_code, int sample, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam)
		return rc;
	struct kw_session_info ag, officer;
	rc = as_user(d, "ah_agency", &ag, err);
	if (!rc)
		rc = as_user(d, "ah_officer", &officer, err);
	static const char *const codes[] = {"01", "02"};
	int64_t run[2] = {0, 0};
	for (int k = 0; !rc && k < 2; k++)
		run[k] = latest_run(d, &ag, exam, codes[k], err);
	if (rc || !run[0] || !run[1])
		return rc;
	struct kw_actor maker, checker;
	user_actor(d->actor, &ag, &maker);
	user_actor(d->actor, &officer, &checker);
	int64_t approval = 0;
	if (count_of(d,
	             "SELECT COUNT(*) FROM publications WHERE exam_id = $1 AND status = "
	             "'published'",
	             exam, err) == 0) {
		/* one prepared before and left pending is approved; else cross-check and prepare */
		struct kw_conn *c = kw_pool_get(d->app->pool);
		struct kw_stmt *s = NULL;
		rc = kw_conn_prepare(c,
		                     "SELECT approval_id FROM publications WHERE exam_id = $1 AND "
		                     "status = 'pending' AND approval_id IS NOT NULL",
		                     &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, exam);
			rc = kw_stmt_step(s, err);
			if (rc == KW_ROW)
				approval = kw_stmt_column_int64(s, 0);
			rc = rc < 0 ? rc : 0;
		}
		kw_stmt_finalize(s);
		kw_pool_put(d->app->pool, c);
		for (int k = 0; !rc && !approval && k < 2; k++) {
			json_t *out = NULL;
			rc = kw_publish_crosscheck_record(d->app, &maker, &ag, run[k], &out, err);
			json_decref(out);
			d->rep->added += !rc;
		}
		json_t *pub = NULL;
		if (!rc && !approval) {
			rc = kw_publish_prepare(d->app, &maker, &ag, exam, &pub, err);
			approval = rc ? 0 : json_integer_value(json_object_get(pub, "approval_id"));
			d->rep->added += !rc;
		}
		json_decref(pub);
		if (rc == KW_ECONFLICT) {
			/* the database's scoring was changed by hand (a difference, a new import):
			 * the scoring page shows why; the demo goes on without a publication */
			kw_err_release(err);
			return 0;
		}
		json_t *out = NULL;
		if (!rc)
			rc = kw_app_approval_decide(d->app, &officer, &checker, approval, 1, NULL,
			                            &out, err);
		json_decref(out);
		d->rep->added += !rc;
	} else {
		d->rep->kept++;
	}
	return rc || !sample ? rc : lookup_sample(d, &ag, exam, run, err);
}

/* A number of the API's (a JSON number or a decimal string), else -1. */
static double points_of(const json_t *v)
{
	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v))
		return strtod(json_string_value(v), NULL);
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A cut score for a run: the final score at its 30th percentile among those scored, so that
 * a good share passes (the demo's pass standard; "" when nobody was scored). */
static int demo_cut(struct demo *d, const struct kw_session_info *si, int64_t run, char out[16],
                    struct kw_err *err)
{
	size_t n = 0, cap = 0;
	double *v = NULL;
	int64_t after = 0;
	int rc = 0;
	out[0] = '\0';
	for (;;) {
		json_t *page = NULL;
		rc = kw_scoring_run_scores(d->app, si, run, after, 1000, &page, err);
		if (rc)
			break;
		json_t *items = json_object_get(page, "items"), *x;
		size_t i;
		json_array_foreach(items, i, x)
		{
			after = json_integer_value(json_object_get(x, "registration_id"));
			const char *st = json_string_value(json_object_get(x, "status"));
			double f = points_of(json_object_get(x, "final"));
			if (!st || strcmp(st, "scored") != 0 || f < 0)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				double *nv = realloc(v, cap * sizeof *v);
				if (!nv)
					abort();
				v = nv;
			}
			v[n++] = f;
		}
		size_t got = json_array_size(items);
		json_decref(page);
		if (got < 1000)
			break;
	}
	if (!rc && n) {
		qsort(v, n, sizeof *v, cmp_double);
		snprintf(out, 16, "%g", v[n * 3 / 10]);
	}
	free(v);
	return rc;
}

/*
 * Pass standards, the qualified list and certificates of the held exam (GRD-10, INF-4): cut
 * scores set by the agency's staff (ah_agency) at each subject's 30th percentile, the list
 * drawn by them and confirmed by the authority's officer (ah_officer), which issues the
 * certificates. Only while the exam has no confirmed list; a sample certificate (number and
 * name, for /verify.html) goes into the report every time.
 */
static int demo_certificates(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam || !d->rep->lookup_exam)
		return rc;
	struct kw_session_info ag, officer;
	rc = as_user(d, "ah_agency", &ag, err);
	if (!rc)
		rc = as_user(d, "ah_officer", &officer, err);
	if (rc)
		return rc;
	struct kw_actor maker, checker;
	user_actor(d->actor, &ag, &maker);
	user_actor(d->actor, &officer, &checker);
	if (count_of(d,
	             "SELECT COUNT(*) FROM qualified_lists WHERE exam_id = $1 AND status = "
	             "'confirmed'",
	             exam, err) == 0) {
		static const char *const codes[] = {"01", "02"};
		json_t *subjects = json_object();
		for (int k = 0; !rc && k < 2; k++) {
			char cut[16];
			int64_t run = latest_run(d, &ag, exam, codes[k], err);
			rc = run ? demo_cut(d, &ag, run, cut, err) : 0;
			if (!rc && cut[0])
				json_object_set_new(subjects, codes[k], json_string(cut));
		}
		json_t *body = json_pack("{s:o}", "subjects", subjects), *out = NULL;
		if (!rc)
			rc = kw_certs_standards_set(d->app, &maker, &ag, exam, body, &out, err);
		json_decref(body);
		json_decref(out);
		out = NULL;
		d->rep->added += !rc;
		if (!rc)
			rc = kw_certs_list_prepare(d->app, &maker, &ag, exam, &out, err);
		if (rc == KW_ECONFLICT) {
			/* nothing to draw from (scoring changed by hand): no certificates */
			kw_err_release(err);
			return 0;
		}
		int64_t approval = rc ? 0 : json_integer_value(json_object_get(out, "approval_id"));
		json_decref(out);
		out = NULL;
		d->rep->added += !rc;
		if (!rc)
			rc = kw_app_approval_decide(d->app, &officer, &checker, approval, 1, NULL,
			                            &out, err);
		json_decref(out);
		d->rep->added += !rc;
	} else {
		d->rep->kept++;
	}
	if (rc)
		return rc;
	/* a sample for the public check: the first valid certificate */
	struct kw_conn *c = kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	rc = kw_conn_prepare(
	        c,
	        "SELECT number, name FROM certificates WHERE exam_id = $1 AND status = "
	        "'valid' ORDER BY id",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			snprintf(d->rep->cert_number, sizeof d->rep->cert_number, "%s",
			         kw_stmt_column_text(s, 0, NULL));
			snprintf(d->rep->cert_name, sizeof d->rep->cert_name, "%s",
			         kw_stmt_column_text(s, 1, NULL));
		}
		rc = rc < 0 ? rc : 0;
	}
	kw_stmt_finalize(s);
	kw_pool_put(d->app->pool, c);
	return rc;
}

/*
 * One score review (GRD-9) asked by the look-up's sample candidate for subject 01, left at
 * "requested" for staff to handle on /reviews.html. Only while the exam has none; outside the
 * 30 days (a demo database kept longer) the request is refused and the demo goes on.
 */
/*
 * Papers of the seated qualification exam (PAP-2, PAP-3, CUS-1..4): its first subject signed
 * off by the item author and the agency, packed per exam room and per centre, and the first
 * centre package's chain begun — received from the printer by two people, into the province's
 * secure room and out again under two key holders and two guards, on the road to the area with
 * two escorts (the demo's clock is today's, so the exam-day steps are left to the user on
 * /custody.html). Only while the exam has no packages.
 */
static int demo_custody(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !exam ||
	    count_of(d,
	             "SELECT COUNT(*) FROM seating_runs WHERE exam_id = $1 AND status = "
	             "'published'",
	             exam, err) == 0)
		return rc;
	if (count_of(d, "SELECT COUNT(*) FROM paper_packages WHERE exam_id = $1", exam, err) != 0) {
		d->rep->kept++;
		struct kw_conn *c = kw_pool_get(d->app->pool);
		struct kw_stmt *st = NULL;
		if (kw_conn_prepare(
		            c,
		            "SELECT p.seal_no FROM paper_packages p WHERE p.exam_id = $1 AND "
		            "EXISTS (SELECT 1 FROM custody_events v WHERE v.package_id = p.id) "
		            "ORDER BY p.id LIMIT 1",
		            &st, NULL) == 0) {
			kw_stmt_bind_int64(st, 1, exam);
			if (kw_stmt_step(st, NULL) == KW_ROW)
				snprintf(d->rep->custody_seal, sizeof d->rep->custody_seal, "%s",
				         kw_stmt_column_text(st, 0, NULL));
		}
		kw_stmt_finalize(st);
		kw_pool_put(d->app->pool, c);
		return 0;
	}
	static const char *const signers[] = {"ah_author", "ah_agency"};
	static const char *const notes[] = {"命题组长", "审定负责人"};
	struct kw_session_info si;
	json_t *out = NULL;
	for (int i = 0; i < 2 && !rc; i++) {
		rc = as_user(d, signers[i], &si, err);
		json_t *b = json_pack("{s:s}", "role_note", notes[i]);
		if (!rc)
			rc = kw_custody_signoff(d->app, d->actor, &si, exam, "01", b, &out, err);
		json_decref(b);
		json_decref(out);
		out = NULL;
	}
	json_t *b = json_pack("{s:s}", "subject", "01");
	if (!rc)
		rc = kw_custody_make(d->app, d->actor, &si, exam, b, &out, err);
	json_decref(b);
	int64_t pkg = 0, count = 0;
	char seal[64] = "";
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(out, "items"), i, it)
	{
		if (!pkg && strcmp(json_string_value(json_object_get(it, "kind")), "centre") == 0) {
			pkg = json_integer_value(json_object_get(it, "id"));
			count = json_integer_value(json_object_get(it, "count"));
			snprintf(seal, sizeof seal, "%s",
			         json_string_value(json_object_get(it, "seal_no")));
		}
	}
	json_decref(out);
	out = NULL;
	/* as the province's agency staff (ah_agency, si) receive and move it */
	const char *ev[] = {
	        "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"province\","
	        "\"location\":\"省人事考试院保密室\",\"giving\":[{\"name\":\"印刷厂·王师傅\"},"
	        "{\"name\":\"印刷厂·李师傅\"}],\"receiving\":[{\"username\":\"ah_agency\"},"
	        "{\"name\":\"保密员·陈\"}]}",
	        "{\"kind\":\"secure_in\",\"from\":\"province\",\"to\":\"province_secure_room\","
	        "\"key_holders\":[{\"username\":\"ah_agency\"},{\"name\":\"保密员·陈\"}],"
	        "\"guards\":[{\"name\":\"值守·赵\"},{\"name\":\"值守·钱\"}]}",
	        "{\"kind\":\"secure_out\",\"from\":\"province_secure_room\",\"to\":\"province\","
	        "\"key_holders\":[{\"username\":\"ah_agency\"},{\"name\":\"保密员·陈\"}],"
	        "\"guards\":[{\"name\":\"值守·赵\"},{\"name\":\"值守·钱\"}]}",
	        "{\"kind\":\"transport\",\"from\":\"province\",\"to\":\"area\","
	        "\"vehicle\":\"皖A·K0001（机要专车）\",\"escorts\":[{\"name\":\"押运·孙\"},"
	        "{\"name\":\"押运·周\"}]}",
	};
	for (size_t k = 0; k < sizeof ev / sizeof ev[0] && !rc && pkg; k++) {
		json_t *e = json_loads(ev[k], 0, NULL);
		if (e && k == 0) { /* the receipt counts the papers and reads the seal */
			json_object_set_new(e, "count_checked", json_integer(count));
			json_object_set_new(e, "seal_checked", json_string(seal));
		} else if (e && k == 3) { /* the vehicle leaves now */
			char at[40];
			kw_clock_format(kw_clock_now_us(), at);
			json_object_set_new(e, "departed_at", json_string(at));
		}
		rc = e ? kw_custody_event(d->app, d->actor, &si, pkg, e, &out, err)
		       : kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "demo custody event %zu",
		                    k);
		json_decref(e);
		json_decref(out);
		out = NULL;
	}
	if (!rc && pkg)
		snprintf(d->rep->custody_seal, sizeof d->rep->custody_seal, "%s", seal);
	d->rep->added += !rc;
	return rc;
}

static int demo_review(struct demo *d, struct kw_err *err)
{
	struct kw_demo_report *rep = d->rep;
	if (!rep->lookup_exam)
		return 0;
	int64_t exam = rep->lookup_exam;
	if (count_of(d, "SELECT COUNT(*) FROM score_reviews WHERE exam_id = $1", exam, err) != 0) {
		d->rep->kept++;
		return 0;
	}
	struct kw_session_info si;
	memset(&si, 0, sizeof si);
	struct kw_conn *c = kw_pool_get(d->app->pool);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT d.id, d.name FROM registrations r JOIN candidates d ON "
	                         "d.id = r.candidate_id WHERE r.exam_id = $1 AND d.id_number = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_textz(s, 2, rep->lookup_id_number);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			si.candidate_id = kw_stmt_column_int64(s, 0);
			snprintf(si.user.display_name, sizeof si.user.display_name, "%s",
			         kw_stmt_column_text(s, 1, NULL));
		}
		rc = rc < 0 ? rc : 0;
	}
	kw_stmt_finalize(s);
	kw_pool_put(d->app->pool, c);
	if (rc || !si.candidate_id)
		return rc;
	struct kw_actor who = *d->actor;
	snprintf(who.kind, sizeof who.kind, "user");
	who.id = 0;
	snprintf(who.name, sizeof who.name, "candidate:%lld", (long long)si.candidate_id);
	json_t *body = json_pack("{s:s, s:s}", "subject", "01", "reason",
	                         "我认为客观题得分与本人作答不符，申请核查总分和登分。"),
	       *out = NULL;
	rc = kw_review_request(d->app, &who, &si, exam, body, &out, err);
	json_decref(body);
	json_decref(out);
	if (rc == KW_ERULE || rc == KW_ECONFLICT) {
		/* the window closed, or the subject is not reviewable: no demo review */
		kw_err_release(err);
		return 0;
	}
	d->rep->added += !rc;
	return rc;
}

/* ---- the interview of the civil-service exam held (SPEC §15, INT-2 … INT-6) ---- */

/* A panel member acting in their own name: the account their staff record is linked to, as
 * the app recognises the logged-in member (f.user_id). */
struct iv_member {
	char duty[16];
	int64_t staff;
	struct kw_session_info si;
	struct kw_actor who;
};

struct iv {
	struct demo *d;
	const json_t *cfg;
	int64_t exam, panel, day;
	struct kw_session_info ag; /* the organiser (cfg "manager") */
	struct kw_actor who;
	json_t *lists; /* the exam's shortlists, as kw_interview_shortlists_list gives them */
	struct iv_member *m;
	size_t nm;
};

/* One step of the interview, counted: a call that answered *out (freed here). */
static int iv_done(struct iv *v, int rc, json_t **out)
{
	json_decref(*out);
	*out = NULL;
	v->d->rep->added += !rc;
	return rc;
}

/* The settings (weights 50/50, trimmed mean), the shortlists of every position from the
 * written scores published, and each list published — each only when missing. */
static int iv_lists(struct iv *v, struct kw_err *err)
{
	struct demo *d = v->d;
	json_t *out = NULL;
	int rc = 0;
	if (count_of(d, "SELECT COUNT(*) FROM interview_settings WHERE exam_id = $1", v->exam, err))
		d->rep->kept++;
	else
		rc = iv_done(v,
		             kw_interview_settings_put(d->app, &v->who, &v->ag, v->exam,
		                                       json_object_get(v->cfg, "settings"), &out,
		                                       err),
		             &out);
	out = NULL;
	if (!rc && count_of(d, "SELECT COUNT(*) FROM interview_shortlists WHERE exam_id = $1",
	                    v->exam, err))
		d->rep->kept++;
	else if (!rc)
		rc = iv_done(v,
		             kw_interview_shortlists_build(d->app, &v->who, &v->ag, v->exam, NULL,
		                                           &out, err),
		             &out);
	if (!rc)
		rc = kw_interview_shortlists_list(d->app, &v->ag, v->exam, &v->lists, err);
	size_t i;
	json_t *l;
	json_array_foreach(rc ? NULL : json_object_get(v->lists, "items"), i, l)
	{
		out = NULL;
		if (strcmp(json_string_value(json_object_get(l, "status")), "draft") != 0)
			d->rep->kept++;
		else if ((rc = iv_done(v,
		                       kw_interview_shortlist_publish(
		                               d->app, &v->who, &v->ag,
		                               json_integer_value(json_object_get(l, "id")), &out,
		                               err),
		                       &out)))
			break;
	}
	return rc;
}

/* The panel (cfg "panel", "members" by staff code) for every position of the exam. */
static int iv_panel(struct iv *v, const char *starts_at, struct kw_err *err)
{
	struct demo *d = v->d;
	static const char *const key[] = {"exam_id", "code"};
	json_t *vals[2] = {json_integer(v->exam), json_object_get(v->cfg, "panel")};
	int rc = find(d, "interview_panels", key, vals, 2, &v->panel, err);
	if (rc || v->panel) {
		d->rep->kept += !rc;
		json_decref(vals[0]);
		return rc;
	}
	json_t *positions = json_array(), *members = json_array(), *out = NULL, *x;
	size_t i;
	json_array_foreach(json_object_get(v->lists, "items"), i, x)
	        json_array_append(positions, json_object_get(x, "position_id"));
	json_array_foreach(json_object_get(v->cfg, "members"), i, x)
	{
		json_t *mb = json_deep_copy(x);
		rc = rc ? rc : resolve(d, mb, "staff", "staff", "staff_id", err);
		json_array_append_new(members, mb);
	}
	json_t *body =
	        json_pack("{s:O, s:s, s:o, s:o}", "code", json_object_get(v->cfg, "panel"),
	                  "starts_at", starts_at, "positions", positions, "members", members);
	if (!rc)
		rc = iv_done(v,
		             kw_interview_panel_create(d->app, &v->who, &v->ag, v->exam, body, &out,
		                                       err),
		             &out);
	json_decref(body);
	if (!rc)
		rc = find(d, "interview_panels", key, vals, 2, &v->panel, err);
	json_decref(vals[0]);
	return rc;
}

/* The interview day (today) with the panel, its rooms drawn and its order numbers drawn. */
static int iv_day(struct iv *v, const char *today, const char *ends_at, struct kw_err *err)
{
	struct demo *d = v->d;
	json_t *out = NULL;
	static const char day_of[] = "SELECT COALESCE(MAX(day_id), 0) FROM interview_day_panels "
	                             "WHERE panel_id = $1";
	v->day = count_of(d, day_of, v->panel, err);
	int rc = 0;
	if (v->day > 0) {
		d->rep->kept++;
	} else {
		json_t *body = json_pack("{s:s, s:s, s:O, s:[I]}", "day", today, "ends_at", ends_at,
		                         "rooms", json_object_get(v->cfg, "rooms"), "panels",
		                         (json_int_t)v->panel);
		rc = iv_done(
		        v,
		        kw_interview_day_create(d->app, &v->who, &v->ag, v->exam, body, &out, err),
		        &out);
		json_decref(body);
		v->day = rc ? 0 : count_of(d, day_of, v->panel, err);
	}
	out = NULL;
	if (!rc && count_of(d,
	                    "SELECT COUNT(*) FROM interview_draws WHERE day_id = $1 AND kind = "
	                    "'rooms' AND status = 'committed'",
	                    v->day, err))
		rc = iv_done(v, kw_interview_room_draw(d->app, &v->who, &v->ag, v->day, &out, err),
		             &out);
	out = NULL;
	if (!rc && count_of(d,
	                    "SELECT COUNT(*) FROM interview_draws WHERE panel_id = $1 AND status = "
	                    "'committed'",
	                    v->panel, err))
		rc = iv_done(v,
		             kw_interview_order_draw(d->app, &v->who, &v->ag, v->panel, &out, err),
		             &out);
	return rc;
}

/* The members of the panel with an account, each with its session. */
static int iv_members(struct iv *v, struct kw_err *err)
{
	json_t *rows = NULL, *r;
	int rc =
	        rows_of(v->d,
	                "SELECT m.duty, m.staff_id, u.username FROM interview_panel_members m JOIN "
	                "staff f ON f.id = m.staff_id JOIN users u ON u.id = f.user_id WHERE "
	                "m.panel_id = $1 ORDER BY m.id",
	                v->panel, "sis", &rows, err);
	size_t i;
	v->m = kw_xcalloc(json_array_size(rows) + 1, sizeof *v->m);
	json_array_foreach(rc ? NULL : rows, i, r)
	{
		struct iv_member *m = &v->m[v->nm++];
		snprintf(m->duty, sizeof m->duty, "%s", json_string_value(json_array_get(r, 0)));
		m->staff = json_integer_value(json_array_get(r, 1));
		if ((rc = as_user(v->d, json_string_value(json_array_get(r, 2)), &m->si, err)))
			break;
		user_actor(v->d->actor, &m->si, &m->who);
	}
	json_decref(rows);
	return rc;
}

/* An examiner's scores of a candidate on the day's sheet: the candidate's level (from their
 * registration) give or take the examiner's view, in half points. */
static json_t *iv_marks(const json_t *dims, int64_t reg, int64_t staff)
{
	uint64_t x = (uint64_t)reg * 104729, y = x ^ (uint64_t)staff * 7919;
	int64_t level = 62 + (int64_t)(demo_mix(&x) % 30);
	json_t *marks = json_array(), *dim;
	size_t i;
	json_array_foreach(dims, i, dim)
	{
		int64_t max = kw_score_parse(json_string_value(json_object_get(dim, "max")));
		int64_t pct = level + (int64_t)(demo_mix(&y) % 13) - 6;
		int64_t h = (max * (pct > 100 ? 100 : pct) / 100 + 25) / 50 * 50;
		char b[24];
		kw_score_fmt((int32_t)(h > max ? max : h), b, sizeof b);
		json_array_append_new(marks, json_string(b));
	}
	return marks;
}

/* One examiner's scores of order number `order`: checked, then written as the server defers
 * it (app/writer.h: an op, run here in place). */
static int iv_score(struct iv *v, const struct iv_member *m, int64_t order, json_t *marks,
                    struct kw_err *err)
{
	struct kw_app *app = v->d->app;
	json_t *body = json_pack("{s:o}", "scores", marks), *out = NULL;
	struct kw_op op = {0};
	int rc = kw_interview_score_op(app, &m->si, v->panel, order, body, &op, err);
	if (!rc)
		rc = kw_op_run(app, &m->who, &op, &out, err);
	json_decref(body);
	return iv_done(v, rc, &out);
}

/*
 * Every order number but the last scored by each examiner and signed off by the scorer, the
 * supervisor and the chief in turn; the last one scored by every examiner but the report's
 * tablet account, whose score (a visitor's, on /examiner.html) completes it.
 */
static int iv_scores(struct iv *v, struct kw_err *err)
{
	struct demo *d = v->d;
	json_t *cands = NULL, *have = NULL, *day = NULL;
	int rc = rows_of(d,
	                 "SELECT id, order_no, stage, registration_id FROM interview_candidates "
	                 "WHERE panel_id = $1 ORDER BY order_no",
	                 v->panel, "iisi", &cands, err);
	if (!rc)
		rc = rows_of(
		        d,
		        "SELECT x.candidate_id, x.staff_id FROM interview_scores x JOIN "
		        "interview_candidates c ON c.id = x.candidate_id WHERE c.panel_id = $1",
		        v->panel, "ii", &have, err);
	if (!rc)
		rc = kw_interview_day_get(d->app, &v->ag, v->day, &day, err);
	size_t n = rc ? 0 : json_array_size(cands);
	d->rep->iv_order =
	        n ? json_integer_value(json_array_get(json_array_get(cands, n - 1), 1)) : 0;
	static const char *const next[] = {"scoring", "scorer", "supervisor", "chief"};
	const char *tablet = json_string_value(json_object_get(v->cfg, "tablet"));
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *c = json_array_get(cands, i);
		int64_t id = json_integer_value(json_array_get(c, 0)),
		        order = json_integer_value(json_array_get(c, 1));
		const char *stage = json_string_value(json_array_get(c, 2));
		int last = i + 1 == n;
		for (size_t k = 0; !rc && !strcmp(stage, "scoring") && k < v->nm; k++) {
			const struct iv_member *m = &v->m[k];
			if (last && tablet && !strcmp(m->who.name, tablet))
				continue; /* the visitor's score completes the last one's */
			int entered = 0;
			size_t j;
			json_t *h;
			json_array_foreach(have, j, h) entered |=
			        json_integer_value(json_array_get(h, 0)) == id &&
			        json_integer_value(json_array_get(h, 1)) == m->staff;
			if (!entered && (!strcmp(m->duty, "chief") || !strcmp(m->duty, "deputy") ||
			                 !strcmp(m->duty, "examiner")))
				rc = iv_score(v, m, order,
				              iv_marks(json_object_get(day, "dimensions"),
				                       json_integer_value(json_array_get(c, 3)),
				                       m->staff),
				              err);
		}
		if (last)
			break;
		size_t at = 0;
		while (at < 3 && strcmp(next[at], stage) != 0)
			at++;
		d->rep->kept += at == 3;
		for (; !rc && at < 3; at++)
			for (size_t k = 0; !rc && k < v->nm; k++) {
				if (strcmp(v->m[k].duty, next[at + 1]) != 0)
					continue;
				json_t *body = json_pack("{s:s}", "as", next[at + 1]), *out = NULL;
				rc = iv_done(v,
				             kw_interview_signoff(d->app, &v->m[k].who, &v->m[k].si,
				                                  v->panel, order, body, &out, err),
				             &out);
				json_decref(body);
				break;
			}
	}
	json_decref(cands);
	json_decref(have);
	json_decref(day);
	return rc;
}

/* The results of each position whose candidates are all signed off, published, and its
 * composite list built for the recruitment page; the first such list into the report. */
static int iv_results(struct iv *v, struct kw_err *err)
{
	struct demo *d = v->d;
	size_t i;
	json_t *l;
	int rc = 0;
	json_array_foreach(json_object_get(v->lists, "items"), i, l)
	{
		int64_t id = json_integer_value(json_object_get(l, "id"));
		json_t *out = NULL, *none = json_object();
		if (count_of(d,
		             "SELECT COUNT(*) FROM interview_result_publications WHERE "
		             "shortlist_id = $1",
		             id, err)) {
			d->rep->kept++;
		} else {
			rc = kw_interview_results_publish(d->app, &v->who, &v->ag, id, &out, err);
			if (rc == KW_ECONFLICT && err->code &&
			    !strcmp(err->code, "INTERVIEW_RESULTS_PENDING")) {
				/* the position of the order number left to score */
				kw_err_release(err);
				json_decref(none);
				rc = 0;
				continue;
			}
			rc = iv_done(v, rc, &out);
		}
		out = NULL;
		if (!rc && count_of(d, "SELECT COUNT(*) FROM recruit_lists WHERE shortlist_id = $1",
		                    id, err))
			d->rep->kept++;
		else if (!rc)
			rc = iv_done(v,
			             kw_recruit_build(d->app, &v->who, &v->ag, id, none, &out, err),
			             &out);
		json_decref(none);
		if (rc)
			break;
		if (!d->rep->iv_shortlist)
			d->rep->iv_shortlist = id;
	}
	return rc;
}

/*
 * The interview of the civil-service exam held (demo.json "interview"), on the day the demo is
 * first loaded, as the province's agency organises it and the panel's members work — each in
 * their own name: the shortlists from the written scores published, the examiner panel, the
 * day with its room and order draws, the scores and sign-offs of all but the last order
 * number, and the results of the positions complete. Each step only while missing; the exam,
 * day, panel and the order number left into the report every time. Nothing when the exam's
 * scores are not published (a database with other rooms: no seating).
 */
static int demo_interview(struct demo *d, const json_t *cfg, struct kw_err *err)
{
	struct iv v = {.d = d, .cfg = cfg};
	int rc = id_by_code(d, "exams", json_string_value(json_object_get(cfg, "exam")), &v.exam,
	                    err);
	if (rc || !count_of(d,
	                    "SELECT COUNT(*) FROM publications WHERE exam_id = $1 AND status = "
	                    "'published'",
	                    v.exam, err))
		return rc;
	/*
	 * The times of today, China time. Nothing of the app refuses a score or a sign-off for
	 * its hour, but the panel should have begun before the scores the demo enters, and the day
	 * should not be over while a visitor is left to score: the panel sits from 08:30 (from
	 * the current hour when the demo is loaded earlier) and the day ends at 18:00 (at 23:59
	 * when the demo is loaded after 16:00) — so it reads right whatever hour `make run` starts.
	 */
	char today[11], starts_at[32], ends_at[32];
	int minute = (int)((kw_clock_now_us() / 1000000 + 8 * 3600) % 86400 / 60);
	cst_day(0, today);
	cst_minute(0, minute >= 8 * 60 + 30 ? 8 * 60 + 30 : minute / 60 * 60, starts_at);
	cst_minute(0, minute < 16 * 60 ? 18 * 60 : 23 * 60 + 59, ends_at);
	rc = as_user(d, json_string_value(json_object_get(cfg, "manager")), &v.ag, err);
	if (!rc) {
		user_actor(d->actor, &v.ag, &v.who);
		rc = iv_lists(&v, err);
	}
	if (!rc)
		rc = iv_panel(&v, starts_at, err);
	if (!rc)
		rc = iv_day(&v, today, ends_at, err);
	if (!rc)
		rc = iv_members(&v, err);
	if (!rc)
		rc = iv_scores(&v, err);
	if (!rc)
		rc = iv_results(&v, err);
	if (!rc) {
		struct kw_demo_report *rep = d->rep;
		json_t *day = NULL;
		rc = kw_interview_day_get(d->app, &v.ag, v.day, &day, err);
		rep->iv_exam = rc ? 0 : v.exam;
		snprintf(rep->iv_day, sizeof rep->iv_day, "%s",
		         rc ? "" : json_string_value(json_object_get(day, "day")));
		snprintf(rep->iv_panel, sizeof rep->iv_panel, "%s",
		         json_string_value(json_object_get(cfg, "panel")));
		snprintf(rep->iv_tablet, sizeof rep->iv_tablet, "%s",
		         json_string_value(json_object_get(cfg, "tablet")));
		json_decref(day);
	}
	json_decref(v.lists);
	free(v.m);
	return rc;
}

/* ---- the sitting held today: proctors, check-ins, duty, incidents (DAY-1..5, VEN-6) ---- */

struct ed {
	struct demo *d;
	int64_t exam, start, end; /* subject 01's start and end, microseconds */
	int64_t c1, c2;           /* the two centres, AH-AQ-01 and AH-AQ-02 */
	struct kw_session_info ag, chief;
	struct kw_actor ag_who, chief_who;
};

/* A call of a service that answered *out (freed here), counted when it wrote. */
static int ed_done(struct ed *e, int rc, json_t **out)
{
	json_decref(*out);
	*out = NULL;
	e->d->rep->added += !rc;
	return rc;
}

/* The lottery for the exam day (PQ 19), as the area's agency staff draw it: committed, then
 * drawn — each only while missing. */
static int ed_proctors(struct ed *e, struct kw_err *err)
{
	struct demo *d = e->d;
	json_t *rows = NULL, *out = NULL;
	int rc = rows_of(d, "SELECT id, status FROM proctor_draws WHERE exam_id = $1 ORDER BY id",
	                 e->exam, "is", &rows, err);
	int64_t id = 0;
	const char *status = NULL;
	if (!rc && json_array_size(rows)) {
		json_t *last = json_array_get(rows, json_array_size(rows) - 1);
		id = json_integer_value(json_array_get(last, 0));
		status = json_string_value(json_array_get(last, 1));
	}
	if (!rc && !id) {
		json_t *body = json_object();
		rc = kw_proctors_commit(d->app, &e->ag_who, &e->ag, e->exam, body, &out, err);
		json_decref(body);
		id = rc ? 0 : json_integer_value(json_object_get(out, "id"));
		rc = ed_done(e, rc, &out);
		status = "committed";
	}
	if (!rc && id && strcmp(status, "drawn") != 0)
		rc = ed_done(e, kw_proctors_draw(d->app, &e->ag_who, &e->ag, id, &out, err), &out);
	else if (!rc)
		d->rep->kept++;
	json_decref(rows);
	return rc;
}

/* About 70% of the seated candidates (7 of every 10 seats of each exam room) checked in by
 * the room's first proctor, by the typed ticket number with the identity document checked
 * (DAY-2, DAY-3); the others are left for the visitor on /proctor.html. Only while the
 * sitting has no check-in. */
static int ed_checkins(struct ed *e, struct kw_err *err)
{
	struct demo *d = e->d;
	if (count_of(d, "SELECT COUNT(*) FROM checkins WHERE exam_id = $1", e->exam, err) != 0) {
		d->rep->kept++;
		return 0;
	}
	json_t *rows = NULL;
	int rc = rows_of(d,
	                 "SELECT s.exam_room_id, s.ticket_no, COALESCE((SELECT u.username FROM "
	                 "proctor_assignments a JOIN proctor_draws w ON w.id = a.draw_id JOIN "
	                 "staff f ON f.id = a.staff_id JOIN users u ON u.id = f.user_id WHERE "
	                 "a.exam_room_id = s.exam_room_id AND a.duty = 'proctor' AND w.status = "
	                 "'drawn' ORDER BY f.code LIMIT 1), '') FROM seats s JOIN seating_runs r "
	                 "ON r.id = s.run_id WHERE r.exam_id = $1 AND r.status = 'published' "
	                 "ORDER BY s.exam_room_id, s.seat_no",
	                 e->exam, "iss", &rows, err);
	struct kw_session_info si;
	struct kw_actor who;
	char user[64] = "";
	int64_t room = 0;
	int k = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		if (rc)
			break;
		int64_t r = json_integer_value(json_array_get(row, 0));
		const char *proctor = json_string_value(json_array_get(row, 2));
		k = r == room ? k + 1 : 0;
		room = r;
		if (k % 10 >= 7 || !proctor[0])
			continue;
		if (strcmp(user, proctor) != 0) {
			rc = as_user(d, proctor, &si, err);
			if (rc)
				break;
			user_actor(d->actor, &si, &who);
			snprintf(user, sizeof user, "%s", proctor);
		}
		json_t *body = json_pack("{s:O, s:I, s:b, s:b}", "ticket_no",
		                         json_array_get(row, 1), "room_id", (json_int_t)r,
		                         "id_checked", 1, "photo_match", 1),
		       *out = NULL;
		int created = 0;
		rc = kw_examday_checkin(d->app, &who, &si, e->exam, "01", body, &out, &created,
		                        err);
		json_decref(body);
		json_decref(out);
		if (rc == KW_ERULE) {
			/* the check-in has closed (a sitting made by an earlier run): nothing more
			 */
			kw_err_release(err);
			rc = 0;
			break;
		}
		d->rep->added += !rc && created;
	}
	json_decref(rows);
	return rc;
}

static int64_t staff_id(struct demo *d, const char *code, struct kw_err *err)
{
	int64_t id = 0;
	return id_by_code(d, "staff", code, &id, err) ? 0 : id;
}

/* The duty roster of the two centres (DAY-1: from duty_hours_before the start to
 * duty_hours_after the end): AH-AQ-01 covered by two shifts, AH-AQ-02 with a half-hour gap
 * before the start; then two entries of AH-AQ-01's log by its chief examiner on duty. Each
 * only while the exam has none. */
static int ed_duty(struct ed *e, struct kw_err *err)
{
	struct demo *d = e->d;
	const int64_t H = INT64_C(3600000000), M = INT64_C(60000000);
	struct {
		int64_t centre;
		const char *staff, *post, *phone;
		int64_t from, to;
	} shifts[] = {
	        {e->c1, "AH-AQ-S001", "chief_examiner", "0556-5550101", e->start - 2 * H,
	         e->start + H},
	        {e->c1, "AH-AQ-S005", "duty_officer", "0556-5550102", e->start + H, e->end + 2 * H},
	        {e->c2, "AH-AQ-S002", "chief_examiner", "0556-5550201", e->start - 2 * H,
	         e->start - 30 * M},
	        {e->c2, "AH-AQ-S006", "duty_officer", "0556-5550202", e->start, e->end + 2 * H},
	};
	int rc = 0;
	json_t *out = NULL;
	if (count_of(d, "SELECT COUNT(*) FROM duty_shifts WHERE exam_id = $1", e->exam, err) == 0) {
		for (size_t k = 0; !rc && k < sizeof shifts / sizeof shifts[0]; k++) {
			char from[32], to[32];
			int64_t staff = staff_id(d, shifts[k].staff, err);
			if (!staff)
				return err->rc ? err->rc : KW_EINVAL;
			kw_clock_format(shifts[k].from, from);
			kw_clock_format(shifts[k].to, to);
			json_t *body = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "centre_id",
			                         (json_int_t)shifts[k].centre, "staff_id",
			                         (json_int_t)staff, "post", shifts[k].post, "phone",
			                         shifts[k].phone, "starts_at", from, "ends_at", to);
			rc = ed_done(e,
			             kw_duty_shift_add(d->app, &e->ag_who, &e->ag, e->exam, body,
			                               &out, err),
			             &out);
			json_decref(body);
		}
	} else {
		d->rep->kept++;
	}
	if (rc)
		return rc;
	if (count_of(d, "SELECT COUNT(*) FROM duty_log_entries WHERE exam_id = $1", e->exam, err) !=
	    0) {
		d->rep->kept++;
		return 0;
	}
	json_t *entries[2] = {
	        json_pack("{s:I, s:s, s:s}", "centre_id", (json_int_t)e->c1, "kind", "event",
	                  "content",
	                  "主考到岗；试卷保密室双人值守就位，视频监控、无线电信号屏蔽设备运行正常"),
	        json_pack("{s:I, s:s, s:s, s:s, s:s}", "centre_id", (json_int_t)e->c1, "kind",
	                  "call", "caller", "安庆考区考务办公室", "content",
	                  "考区询问各考场监考人员到岗及入场核验情况", "action_taken",
	                  "已逐一核实：各考场监考人员均已到岗，入场核验正常进行"),
	};
	for (int k = 0; k < 2; k++) {
		if (!rc) {
			rc = kw_duty_log_add(d->app, &e->chief_who, &e->chief, e->exam, entries[k],
			                     &out, err);
			if (rc == KW_ERULE) {
				/* outside the duty window (a sitting made by an earlier run) */
				kw_err_release(err);
				rc = 0;
				json_decref(entries[k]);
				entries[k] = NULL;
				continue;
			}
			rc = ed_done(e, rc, &out);
		}
		json_decref(entries[k]);
	}
	return rc;
}

/* Two incidents of the sitting (DAY-5) while it has none: a candidate taken ill, raised by
 * the proctor of an exam room of AH-AQ-01 and acknowledged by the area's agency (the first
 * level); a group dispute at AH-AQ-02's gate (mass_disruption, reported at once: every level
 * notified, the national centre's acknowledgement awaited), raised by the chief examiner once
 * the centre's check-ins were made — it blocks the centre (VEN-4), so its absentees cannot be
 * checked in any more. */
static int ed_incidents(struct ed *e, struct kw_err *err)
{
	struct demo *d = e->d;
	if (count_of(d, "SELECT COUNT(*) FROM exam_incidents WHERE exam_id = $1", e->exam, err) !=
	    0) {
		d->rep->kept++;
		return 0;
	}
	json_t *rows = NULL, *out = NULL;
	int rc = rows_of(d,
	                 "SELECT x.id, u.username FROM exam_rooms x JOIN seating_runs r ON r.id = "
	                 "x.run_id JOIN proctor_assignments a ON a.exam_room_id = x.id JOIN "
	                 "proctor_draws w ON w.id = a.draw_id JOIN staff f ON f.id = a.staff_id "
	                 "JOIN users u ON u.id = f.user_id JOIN centres c ON c.id = x.centre_id "
	                 "WHERE r.exam_id = $1 AND r.status = 'published' AND w.status = 'drawn' "
	                 "AND a.duty = 'proctor' AND c.code = 'AH-AQ-01' ORDER BY x.id, f.code "
	                 "LIMIT 1",
	                 e->exam, "is", &rows, err);
	json_t *first = json_array_get(rows, 0);
	struct kw_session_info si;
	struct kw_actor who;
	char at[32];
	kw_clock_format(kw_clock_now_us() - INT64_C(120000000), at);
	if (!rc && first)
		rc = as_user(d, json_string_value(json_array_get(first, 1)), &si, err);
	if (!rc && first) {
		user_actor(d->actor, &si, &who);
		json_t *body = json_pack("{s:s, s:O, s:s, s:s, s:s}", "subject", "01", "room_id",
		                         json_array_get(first, 0), "occurred_at", at, "category",
		                         "candidate_illness", "description",
		                         "一名考生入场核验后突发低血糖症状，经考点医务人员处置后情"
		                         "况稳定，本人要求继续参加考试");
		rc = kw_incident_raise(d->app, &who, &si, e->exam, body, &out, err);
		json_decref(body);
		int64_t id = rc ? 0 : json_integer_value(json_object_get(out, "id"));
		rc = ed_done(e, rc, &out);
		body = json_pack("{s:s}", "note",
		                 "已知悉。请考点医务人员全程关注该考生，如有异常及时报告");
		if (!rc)
			rc = ed_done(e,
			             kw_incident_acknowledge(d->app, &e->ag_who, &e->ag, id, body,
			                                     &out, err),
			             &out);
		json_decref(body);
	}
	json_decref(rows);
	if (rc)
		return rc;
	kw_clock_format(kw_clock_now_us() - INT64_C(60000000), at);
	json_t *body = json_pack(
	        "{s:s, s:I, s:s, s:s, s:s}", "subject", "01", "centre_id", (json_int_t)e->c2,
	        "occurred_at", at, "category", "mass_disruption", "description",
	        "考点大门外数十名考生因入场安检排队过长聚集，与工作人员发生争执，现场秩序一度混乱；"
	        "已增派工作人员疏导，公安执勤民警到场维持秩序");
	rc = ed_done(e,
	             kw_incident_raise(d->app, &e->chief_who, &e->chief, e->exam, body, &out, err),
	             &out);
	json_decref(body);
	return rc;
}

/* The report's proctor: one of an exam room of AH-AQ-01 (not blocked) with candidates still
 * to check in. */
static void ed_report(struct ed *e)
{
	struct demo *d = e->d;
	struct kw_err err = KW_ERR_INIT;
	json_t *rows = NULL;
	if (rows_of(d,
	            "SELECT x.id, u.username FROM exam_rooms x JOIN seating_runs r ON r.id = "
	            "x.run_id JOIN proctor_assignments a ON a.exam_room_id = x.id JOIN "
	            "proctor_draws w ON w.id = a.draw_id JOIN staff f ON f.id = a.staff_id JOIN "
	            "users u ON u.id = f.user_id JOIN centres c ON c.id = x.centre_id WHERE "
	            "r.exam_id = $1 AND r.status = 'published' AND w.status = 'drawn' AND a.duty "
	            "= 'proctor' AND c.code = 'AH-AQ-01' AND (SELECT COUNT(*) FROM seats s WHERE "
	            "s.exam_room_id = x.id) > (SELECT COUNT(*) FROM checkins k WHERE "
	            "k.exam_room_id = x.id) ORDER BY x.id, f.code LIMIT 1",
	            e->exam, "is", &rows, &err) == 0 &&
	    json_array_size(rows)) {
		snprintf(d->rep->live_proctor, sizeof d->rep->live_proctor, "%s",
		         json_string_value(json_array_get(json_array_get(rows, 0), 1)));
	}
	kw_err_release(&err);
	json_decref(rows);
	d->rep->live_exam = e->exam;
	snprintf(d->rep->live_subject, sizeof d->rep->live_subject, "01");
	/* its start, China time */
	time_t t = (time_t)(e->start / 1000000 + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (!strftime(d->rep->live_start, sizeof d->rep->live_start, "%Y-%m-%d %H:%M", &tm))
		d->rep->live_start[0] = 0;
}

/*
 * The sitting held today (demo.json: the exam with "starts_in_minutes", AH-ZX-TODAY): seated
 * at the Anqing area's two centres, which no other exam of the demo uses (an incident that
 * blocks one cannot break the rest); its proctors drawn, ~70% checked in, the duty roster and
 * log, two incidents. Nothing when the exam has no published seating.
 */
static int demo_examday(struct demo *d, const char *exam_code, struct kw_err *err)
{
	struct ed e = {.d = d};
	int rc = id_by_code(d, "exams", exam_code, &e.exam, err);
	if (rc || !count_of(d,
	                    "SELECT COUNT(*) FROM seating_runs WHERE exam_id = $1 AND status = "
	                    "'published'",
	                    e.exam, err))
		return rc;
	json_t *rows = NULL;
	rc = rows_of(d,
	             "SELECT starts_at, duration_minutes FROM subjects WHERE exam_id = $1 AND "
	             "code = '01'",
	             e.exam, "si", &rows, err);
	json_t *sub = json_array_get(rows, 0);
	if (!rc && (!sub || kw_clock_parse(json_string_value(json_array_get(sub, 0)), &e.start)))
		rc = kw_err_set(err, KW_EINVAL, "DEMO_INVALID", NULL, "demo: %s has no start",
		                exam_code);
	if (!rc) {
		e.end = e.start + json_integer_value(json_array_get(sub, 1)) * INT64_C(60000000);
	}
	json_decref(rows);
	if (!rc)
		rc = id_by_code(d, "centres", "AH-AQ-01", &e.c1, err);
	if (!rc)
		rc = id_by_code(d, "centres", "AH-AQ-02", &e.c2, err);
	if (!rc)
		rc = as_user(d, "aq_agency", &e.ag, err);
	if (!rc)
		rc = as_user(d, "aq_chief", &e.chief, err);
	if (rc)
		return rc;
	user_actor(d->actor, &e.ag, &e.ag_who);
	user_actor(d->actor, &e.chief, &e.chief_who);
	/* the lottery is the province's agency's: aq_agency's grant is at the area */
	struct kw_session_info pta;
	struct kw_actor pta_who;
	rc = as_user(d, "ah_agency", &pta, err);
	if (!rc) {
		struct ed p = e;
		p.ag = pta;
		user_actor(d->actor, &pta, &pta_who);
		p.ag_who = pta_who;
		rc = ed_proctors(&p, err);
	}
	if (!rc)
		rc = ed_checkins(&e, err);
	if (!rc)
		rc = ed_duty(&e, err);
	if (!rc)
		rc = ed_incidents(&e, err);
	if (!rc)
		ed_report(&e);
	return rc;
}

/*
 * Retention of the exam whose scores are published (CUS-7): its list of materials derived by a
 * first look, as the province's agency staff look, and one exam room's answer sheets held from
 * destruction for a major anomaly — only while none of the exam's materials is held.
 */
static int demo_retention(struct demo *d, const char *exam_code, struct kw_err *err)
{
	int64_t exam = 0;
	int rc = id_by_code(d, "exams", exam_code, &exam, err);
	if (rc || !count_of(d,
	                    "SELECT COUNT(*) FROM publications WHERE exam_id = $1 AND status = "
	                    "'published'",
	                    exam, err))
		return rc;
	d->rep->retention_exam = exam;
	if (count_of(d,
	             "SELECT COUNT(*) FROM retention_holds h JOIN retention_materials m ON m.id = "
	             "h.material_id WHERE m.exam_id = $1",
	             exam, err) != 0) {
		d->rep->kept++;
		return 0;
	}
	struct kw_session_info si;
	struct kw_actor who;
	json_t *list = NULL, *out = NULL;
	rc = as_user(d, "ah_agency", &si, err);
	if (!rc) {
		user_actor(d->actor, &si, &who);
		rc = kw_retention_list(d->app, &who, &si, exam, NULL, 0, &list, err);
	}
	int64_t material = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(list, "items"), i, it)
	{
		const char *kind = json_string_value(json_object_get(it, "kind"));
		if (!material && kind && strcmp(kind, "answer_sheet") == 0)
			material = json_integer_value(json_object_get(it, "id"));
	}
	json_decref(list);
	json_t *body = json_pack("{s:s}", "reason",
	                         "重大异常：该考场答题卡扫描时发现批量缺页，已立案核查，核查结"
	                         "论作出前暂缓销毁");
	if (!rc && material)
		rc = kw_retention_hold(d->app, &who, &si, material, body, &out, err);
	d->rep->added += !rc && material;
	json_decref(body);
	json_decref(out);
	return rc;
}

int kw_demo_load(struct kw_app *app, const struct kw_actor *actor, struct kw_demo_report *rep,
                 struct kw_err *err)
{
	memset(rep, 0, sizeof *rep);
	const struct kw_embedded *e = kw_embedded_find("demo.json");
	json_t *doc = e ? json_loadb(e->data, e->len, 0, NULL) : NULL;
	if (!doc)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "demo.json is missing");
	struct demo d = {app, actor, {0}, rep};
	int64_t root = 0;
	int rc = id_by_code(&d, "units", "root", &root, err);
	if (rc) {
		json_decref(doc);
		return kw_err_set(err, KW_EINVAL, "DEMO_NO_ROOT", NULL,
		                  "run kaowu init on this database first");
	}
	d.si.ngrants = 1;
	snprintf(d.si.grants[0].role, sizeof d.si.grants[0].role, "admin");
	d.si.grants[0].unit_id = root;
	d.si.user.is_admin = 1;
	snprintf(d.si.user.username, sizeof d.si.user.username, "%s", actor->name);
	static const char *const resp_key[] = {"unit_id", "person_name", "duty"};
	static const char *const plan_key[] = {"unit_id", "title"};
	/* by their reference and findings: their dates are relative to the day of loading */
	static const char *const agr_key[] = {"centre_id", "kind", "reference"};
	static const char *const insp_key[] = {"centre_id", "findings"};
	static const char *const lay_key[] = {"centre_id", "kind"};
	static const char *const inc_key[] = {"centre_id", "occurred_on"};
	rc = load_units(&d, json_object_get(doc, "units"), err);
	if (!rc)
		rc = load_items(&d, json_object_get(doc, "responsibles"), "responsible", "unit",
		                "units", "unit_id", resp_key, 3, err);
	if (!rc)
		rc = load_items(&d, json_object_get(doc, "plans"), "plan", "unit", "units",
		                "unit_id", plan_key, 2, err);
	if (!rc)
		rc = load_centres(&d, json_object_get(doc, "centres"), err);
	if (!rc)
		rc = load_items(&d, json_object_get(doc, "agreements"), "agreement", "centre",
		                "centres", "centre_id", agr_key, 3, err);
	if (!rc)
		rc = load_items(&d, json_object_get(doc, "inspections"), "inspection", "centre",
		                "centres", "centre_id", insp_key, 2, err);
	if (!rc)
		rc = load_items(&d, json_object_get(doc, "layout"), "layout_item", "centre",
		                "centres", "centre_id", lay_key, 2, err);
	if (!rc)
		rc = load_items(&d, json_object_get(doc, "incidents"), "incident", "centre",
		                "centres", "centre_id", inc_key, 2, err);
	/* the accounts first: a staff record names its account */
	const char *password = json_string_value(json_object_get(doc, "password"));
	if (!rc)
		rc = load_accounts(&d, json_object_get(doc, "accounts"), password, err);
	if (!rc)
		rc = load_staff(&d, json_object_get(doc, "staff"), err);
	if (!rc)
		rc = load_exams(&d, json_object_get(doc, "exams"),
		                json_object_get(doc, "positions"), err);
	if (!rc)
		rc = demo_seating(&d, "AH-GWY-2027", err);
	if (!rc)
		rc = demo_corrections(&d, "AH-GWY-2027", err);
	if (!rc)
		rc = demo_cases(&d, "AH-GWY-2027", err);
	if (!rc)
		rc = demo_seating(&d, "AH-JJ-2026", err);
	if (!rc)
		rc = demo_custody(&d, "AH-JJ-2026", err);
	if (!rc)
		rc = demo_scoring(&d, "AH-JJ-2026", err);
	if (!rc)
		rc = demo_screening(&d, "AH-JJ-2026", err);
	if (!rc)
		rc = demo_publication(&d, "AH-JJ-2026", 1, err);
	if (!rc)
		rc = demo_certificates(&d, "AH-JJ-2026", err);
	if (!rc)
		rc = demo_review(&d, err);
	/* the civil-service exam held, its interview today */
	json_t *iv = json_object_get(doc, "interview");
	const char *iv_exam = json_string_value(json_object_get(iv, "exam"));
	if (!rc && iv_exam)
		rc = demo_seating(&d, iv_exam, err);
	if (!rc && iv_exam)
		rc = demo_scoring(&d, iv_exam, err);
	if (!rc && iv_exam)
		rc = demo_publication(&d, iv_exam, 0, err);
	if (!rc && iv_exam)
		rc = demo_interview(&d, iv, err);
	/* the sitting held today, on the exam-day pages */
	if (!rc)
		rc = demo_seating(&d, "AH-ZX-TODAY", err);
	if (!rc)
		rc = demo_examday(&d, "AH-ZX-TODAY", err);
	if (!rc)
		rc = demo_retention(&d, "AH-JJ-2026", err);
	if (!rc) {
		int64_t gwy = 0;
		rc = id_by_code(&d, "exams", "AH-GWY-2027", &gwy, err);
		rep->readiness_exam = gwy;
	}
	if (!rc)
		rc = load_candidate(&d, json_object_get(doc, "candidate"), password, err);
	if (!rc) {
		snprintf(rep->password, sizeof rep->password, "%s", password);
		rep->accounts = json_incref(json_object_get(doc, "accounts"));
	}
	json_decref(doc);
	return rc;
}
