/* Verification of registrations: samples, targeted and on-site checks, bans found later
 * (REG-5, REG-6); see verify.h. */
#include "app/verify.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/archive.h"
#include "app/audit.h"
#include "app/authz.h"
#include "app/records.h"
#include "app/reg.h"
#include "core/draw.h"
#include "core/mask.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define SAMPLE_MAX 10000

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

static int invalid(json_t *fields, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
	kw_err_detail(err, "fields", fields);
	return rc;
}

/* 1..max characters of text without control characters. */
static int text_ok(const char *s, size_t max)
{
	if (!s || !*s)
		return 0;
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return 0;
		n += (*p & 0xC0) != 0x80;
	}
	return n <= max;
}

/* Row i.. of s as JSON: names[k] of type types[k] ('i' integer, 't' text, 'j' JSON text). */
static json_t *row_json(struct kw_stmt *s, int off, const char *const *names, const char *types)
{
	json_t *o = json_object();
	for (int k = 0; names[k]; k++) {
		int i = off + k;
		json_t *v;
		if (kw_stmt_column_is_null(s, i))
			v = json_null();
		else if (types[k] == 'i')
			v = json_integer(kw_stmt_column_int64(s, i));
		else if (types[k] == 'b')
			v = json_boolean(kw_stmt_column_int64(s, i));
		else if (types[k] == 'j')
			v = json_loads(kw_stmt_column_text(s, i, NULL), 0, NULL);
		else
			v = json_string(kw_stmt_column_text(s, i, NULL));
		json_object_set_new(o, names[k], v ? v : json_null());
	}
	return o;
}

static const char ver_cols[] =
        "v.id, v.registration_id, v.kind, v.sample_id, v.reason, v.status, v.outcome, v.checks, "
        "v.originals_returned, v.finding, v.archive_entry_id, v.referral, v.created_by, "
        "v.decided_by, v.decided_at, v.created_at";
static const char *const ver_names[] = {"id",
                                        "registration_id",
                                        "kind",
                                        "sample_id",
                                        "reason",
                                        "status",
                                        "outcome",
                                        "checks",
                                        "originals_returned",
                                        "finding",
                                        "archive_entry_id",
                                        "referral",
                                        "created_by",
                                        "decided_by",
                                        "decided_at",
                                        "created_at",
                                        NULL};
static const char ver_types[] = "iititttjbtitiitt";

/* The verifications whose column `col` is id, in order. */
static int ver_items(struct kw_conn *c, const char *col, int64_t id, json_t **items,
                     struct kw_err *err)
{
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT %s FROM verifications v WHERE v.%s = $1 ORDER BY v.id",
	         ver_cols, col);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	*items = json_array();
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(*items, row_json(st, 0, ver_names, ver_types));
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	if (rc) {
		json_decref(*items);
		*items = NULL;
	}
	return rc;
}

/* ---- exam-level: the exam, and may s act on it? ---- */

struct exam_info {
	int64_t id, unit;
	char kind[32];
};

static int exam_reach(struct kw_conn *c, const struct kw_session_info *s, int64_t id,
                      struct exam_info *e, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT unit_id, kind FROM exams WHERE id = $1", &st, err);
	int found = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			found = 1;
			e->id = id;
			e->unit = kw_stmt_column_int64(st, 0);
			snprintf(e->kind, sizeof e->kind, "%s", kw_stmt_column_text(st, 1, NULL));
		}
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	if (rc)
		return rc;
	struct kw_err e2 = KW_ERR_INIT;
	if (found && !s->candidate_id && kw_authz_check(c, s, "exam.verify", e->unit, &e2) == 0)
		found = 2;
	kw_err_release(&e2);
	return found == 2 ? 0 : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
}

/* ---- samples ---- */

struct sample_job {
	int64_t exam, staff;
	int64_t size;
	char statuses[40];
	int64_t *ids; /* the population, by id */
	size_t n;
	int64_t *drawn;
	size_t ndrawn;
	int64_t sample_id;
};

static int sample_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct sample_job *j = arg;
	/* The population as of this transaction, by id. */
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT id FROM registrations WHERE exam_id = $1 AND (status = $2 OR status = $3) "
	         "ORDER BY id");
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, sql, &s, err);
	char a[16] = "", b[16] = "";
	sscanf(j->statuses, "%15[^,],%15s", a, b);
	if (!*b)
		memcpy(b, a, sizeof b);
	size_t cap = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->exam);
		kw_stmt_bind_textz(s, 2, a);
		kw_stmt_bind_textz(s, 3, b);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (j->n == cap) {
				cap = cap ? cap * 2 : 1024;
				j->ids = kw_xrealloc(j->ids, cap * sizeof *j->ids);
			}
			j->ids[j->n++] = kw_stmt_column_int64(s, 0);
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	if (rc)
		return rc;
	if (j->n == 0)
		return kw_err_set(err, KW_ERULE, "SAMPLE_EMPTY", "REG-6",
		                  "no registration of this exam is in the statuses given");
	/* The seed, its commitment, and the population's digest: what an auditor replays. */
	uint8_t seed[KW_DRAW_SEED_BYTES];
	char seed_hex[65], commit[65], purpose[96], digest[65];
	rc = kw_draw_seed_new(seed, err);
	if (!rc)
		rc = kw_draw_commit(seed, commit, err);
	if (rc)
		return rc;
	kw_draw_seed_hex(seed, seed_hex);
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	for (size_t i = 0; i < j->n; i++) {
		char line[32];
		int len = snprintf(line, sizeof line, "%lld\n", (long long)j->ids[i]);
		crypto_hash_sha256_update(&h, (const unsigned char *)line, (unsigned long long)len);
	}
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(digest, sizeof digest, d, sizeof d);
	char now[32];
	kw_clock_format(tx->now_us, now);
	snprintf(purpose, sizeof purpose, "verify:exam=%lld:at=%s", (long long)j->exam, now);
	struct kw_draw_stream ds;
	rc = kw_draw_stream_init(&ds, seed, purpose, err);
	sodium_memzero(seed, sizeof seed);
	if (rc)
		return rc;
	uint32_t *perm = kw_xcalloc(j->n, sizeof *perm);
	kw_draw_shuffle(&ds, j->n, perm);
	kw_draw_stream_release(&ds);
	j->ndrawn = (size_t)j->size < j->n ? (size_t)j->size : j->n;
	j->drawn = kw_xcalloc(j->ndrawn ? j->ndrawn : 1, sizeof *j->drawn);
	for (size_t k = 0; k < j->ndrawn; k++)
		j->drawn[k] = j->ids[perm[k]];
	free(perm);

	rc = kw_audit_prepare(
	        tx->conn, "verification_samples", &s, err,
	        "INSERT INTO verification_samples (exam_id, statuses, population, "
	        "population_digest, size, purpose, commitment, seed, created_by, created_at) "
	        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
	if (rc)
		return rc;
	kw_stmt_bind_int64(s, 1, j->exam);
	kw_stmt_bind_textz(s, 2, j->statuses);
	kw_stmt_bind_int64(s, 3, (int64_t)j->n);
	kw_stmt_bind_textz(s, 4, digest);
	kw_stmt_bind_int64(s, 5, (int64_t)j->ndrawn);
	kw_stmt_bind_textz(s, 6, purpose);
	kw_stmt_bind_textz(s, 7, commit);
	kw_stmt_bind_textz(s, 8, seed_hex);
	kw_stmt_bind_int64(s, 9, j->staff);
	kw_stmt_bind_textz(s, 10, now);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		j->sample_id = kw_stmt_column_int64(s, 0);
		json_t *det =
		        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "population", (json_int_t)j->n,
		                  "size", (json_int_t)j->ndrawn, "purpose", purpose, "commitment",
		                  commit, "seed", seed_hex, "population_digest", digest);
		rc = kw_audit_append_row(tx, "verification.sample", "verification_samples", s, det,
		                         err);
		json_decref(det);
	}
	kw_stmt_finalize(s);
	if (rc)
		return rc;
	/* One open task per drawn registration, under one batch record. */
	rc = kw_audit_prepare(
	        tx->conn, "verifications", &s, err,
	        "INSERT INTO verifications (registration_id, kind, sample_id, status, "
	        "created_by, created_at, updated_at) VALUES ($1, 'sample', $2, 'open', $3, $4, "
	        "$4)");
	if (rc)
		return rc;
	struct kw_batch_row *rows = kw_xcalloc(j->ndrawn ? j->ndrawn : 1, sizeof *rows);
	for (size_t k = 0; k < j->ndrawn && !rc; k++) {
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, j->drawn[k]);
		kw_stmt_bind_int64(s, 2, j->sample_id);
		kw_stmt_bind_int64(s, 3, j->staff);
		kw_stmt_bind_textz(s, 4, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			rc = kw_audit_digest_row("verifications", s, &rows[k].id, rows[k].digest);
	}
	kw_stmt_finalize(s);
	if (!rc) {
		json_t *det = json_pack("{s:I}", "sample_id", (json_int_t)j->sample_id);
		rc = kw_audit_append_batch(tx, "verification.open", "verifications", rows,
		                           j->ndrawn, det, err);
		json_decref(det);
	}
	free(rows);
	return rc;
}

int kw_verify_sample(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const json_t *body,
                     json_t **out, struct kw_err *err)
{
	json_t *fields = json_array();
	json_t *size = json_object_get(body, "size");
	if (!json_is_integer(size) || json_integer_value(size) < 1 ||
	    json_integer_value(size) > SAMPLE_MAX)
		problem(fields, "size", "range");
	struct sample_job j = {.exam = exam, .staff = s->user.id};
	snprintf(j.statuses, sizeof j.statuses, "approved");
	const json_t *st = json_object_get(body, "statuses");
	if (st) {
		size_t i;
		json_t *v;
		int ok = json_is_array(st) && json_array_size(st) >= 1 && json_array_size(st) <= 2;
		j.statuses[0] = '\0';
		json_array_foreach(st, i, v)
		{
			const char *x = json_string_value(v);
			ok &= x && (strcmp(x, "approved") == 0 || strcmp(x, "submitted") == 0);
			if (ok)
				snprintf(j.statuses + strlen(j.statuses),
				         sizeof j.statuses - strlen(j.statuses), "%s%s",
				         i ? "," : "", x);
		}
		if (!ok)
			problem(fields, "statuses", "not_allowed");
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key,
	                    v) if (strcmp(key, "size") != 0 && strcmp(key, "statuses") != 0)
	        problem(fields, key, "unknown");
	if (json_array_size(fields))
		return invalid(fields, err);
	json_decref(fields);
	j.size = json_integer_value(size);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct exam_info e;
	int rc = exam_reach(c, s, exam, &e, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, sample_job, &j, actor, err);
	free(j.ids);
	free(j.drawn);
	return rc ? rc : kw_verify_sample_get(app, s, j.sample_id, out, err);
}

int kw_verify_sample_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                         json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	static const char *const names[] = {
	        "id",      "exam_id",    "statuses", "population", "population_digest", "size",
	        "purpose", "commitment", "seed",     "created_by", "created_at",        NULL};
	int rc = kw_conn_prepare(c,
	                         "SELECT id, exam_id, statuses, population, population_digest, "
	                         "size, purpose, commitment, seed, created_by, created_at FROM "
	                         "verification_samples WHERE id = $1",
	                         &st, err);
	json_t *o = NULL;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			o = row_json(st, 0, names, "iitititttit");
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	st = NULL;
	struct exam_info e;
	if (!rc && !o)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such sample");
	if (!rc)
		rc = exam_reach(c, s, json_integer_value(json_object_get(o, "exam_id")), &e, err);
	if (!rc) {
		json_t *items = NULL;
		rc = ver_items(c, "sample_id", id, &items, err);
		if (!rc)
			json_object_set_new(o, "verifications", items);
	}
	kw_pool_put(app->pool, c);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* ---- bans found after submission (REG-5, AH 15) ---- */

struct sweep_job {
	int64_t exam, staff;
	int64_t checked;
	json_t *opened; /* ids */
};

static int sweep_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct sweep_job *j = arg;
	char day[11], now[32];
	kw_clock_china_date(tx->now_us, day);
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        tx->conn,
	        "SELECT COUNT(*) FROM registrations WHERE exam_id = $1 AND status IN ('submitted', "
	        "'approved')",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->exam);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			j->checked = kw_stmt_column_int64(s, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	if (rc)
		return rc;
	/* clang-format off */
	rc = kw_audit_prepare(
	        tx->conn, "verifications", &s, err,
	        "INSERT INTO verifications (registration_id, kind, reason, status, created_by, "
	        "created_at, updated_at) SELECT r.id, 'ban', 'archive', 'open', $2, $4, $4 FROM "
	        "registrations r JOIN candidates c ON c.id = r.candidate_id WHERE r.exam_id = $1 "
	        "AND r.status IN ('submitted', 'approved') AND EXISTS (SELECT 1 FROM "
	        "archive_entries a WHERE a.id_number = c.id_number AND a.id_type = c.id_type AND "
	        KW_ARCHIVE_BAN("a") " AND " KW_ARCHIVE_IN_TERM("a", "$3") ") AND NOT EXISTS ("
	        "SELECT 1 FROM verifications v WHERE v.registration_id = r.id AND v.kind = 'ban' "
	        "AND v.status = 'open')");
	/* clang-format on */
	if (rc)
		return rc;
	kw_stmt_bind_int64(s, 1, j->exam);
	kw_stmt_bind_int64(s, 2, j->staff);
	kw_stmt_bind_textz(s, 3, day);
	kw_stmt_bind_textz(s, 4, now);
	json_t *det = json_pack("{s:I, s:I}", "exam_id", (json_int_t)j->exam, "checked",
	                        (json_int_t)j->checked);
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		json_array_append_new(j->opened, json_integer(kw_stmt_column_int64(s, 0)));
		rc = kw_audit_append_row(tx, "verification.ban_found", "verifications", s, det,
		                         err);
	}
	rc = rc == KW_DONE ? 0 : rc;
	kw_stmt_finalize(s);
	/* The sweep itself is on record, found or not. */
	if (!rc && json_array_size(j->opened) == 0)
		rc = kw_audit_append(tx, "verification.ban_sweep", "exams", j->exam, det, err);
	json_decref(det);
	return rc;
}

int kw_verify_ban_sweep(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t exam, json_t **out,
                        struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct exam_info e;
	int rc = exam_reach(c, s, exam, &e, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	if (strcmp(e.kind, "civil_service") != 0) {
		/* REG-5: VH bans never touch other exam kinds. */
		*out = json_pack("{s:i, s:i, s:[], s:b}", "checked", 0, "opened", 0,
		                 "verification_ids", "civil_service", 0);
		return 0;
	}
	struct sweep_job j = {.exam = exam, .staff = s->user.id, .opened = json_array()};
	rc = kw_writer_run(app->writer, sweep_job, &j, actor, err);
	if (rc) {
		json_decref(j.opened);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:o, s:b}", "checked", (json_int_t)j.checked, "opened",
	                 (json_int_t)json_array_size(j.opened), "verification_ids", j.opened,
	                 "civil_service", 1);
	return 0;
}

/* ---- one registration's verifications ---- */

struct create_job {
	int64_t reg, staff;
	const char *kind, *reason, *finding;
	char *checks; /* JSON text or NULL */
	int originals;
	json_t *out;
};

static int create_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct create_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int on_site = strcmp(j->kind, "on_site") == 0;
	/* An on-site review tells its result at once (AH 14): written closed. */
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(
	        tx->conn, "verifications", &s, err,
	        "INSERT INTO verifications (registration_id, kind, reason, status, outcome, "
	        "checks, originals_returned, finding, created_by, decided_by, decided_at, "
	        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	        "$12, $12)");
	if (rc)
		return rc;
	kw_stmt_bind_int64(s, 1, j->reg);
	kw_stmt_bind_textz(s, 2, j->kind);
	if (j->reason)
		kw_stmt_bind_textz(s, 3, j->reason);
	else
		kw_stmt_bind_null(s, 3);
	kw_stmt_bind_textz(s, 4, on_site ? "closed" : "open");
	if (on_site) {
		int all_ok = strstr(j->checks, "\"not_ok\"") == NULL;
		kw_stmt_bind_textz(s, 5, all_ok ? "confirmed" : "discrepancy");
		kw_stmt_bind_textz(s, 6, j->checks);
		kw_stmt_bind_int64(s, 7, j->originals);
		if (j->finding)
			kw_stmt_bind_textz(s, 8, j->finding);
		else
			kw_stmt_bind_null(s, 8);
		kw_stmt_bind_int64(s, 10, j->staff);
		kw_stmt_bind_textz(s, 11, now);
	} else {
		for (int i = 5; i <= 8; i++)
			kw_stmt_bind_null(s, i);
		kw_stmt_bind_null(s, 10);
		kw_stmt_bind_null(s, 11);
	}
	kw_stmt_bind_int64(s, 9, j->staff);
	kw_stmt_bind_textz(s, 12, now);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		json_t *det = json_pack("{s:s}", "kind", j->kind);
		rc = kw_audit_append_row(tx, on_site ? "verification.on_site" : "verification.open",
		                         "verifications", s, det, err);
		json_decref(det);
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_verify_create(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t reg, const json_t *body, json_t **out,
                     struct kw_err *err)
{
	json_t *fields = json_array();
	const char *kind = str(body, "kind");
	struct create_job j = {.reg = reg, .staff = s->user.id, .kind = kind};
	int on_site = kind && strcmp(kind, "on_site") == 0;
	if (!kind || (!on_site && strcmp(kind, "targeted") != 0))
		problem(fields, "kind", "not_allowed");
	j.reason = str(body, "reason");
	j.finding = str(body, "finding");
	if (kind && !on_site && !text_ok(j.reason, 500))
		problem(fields, "reason", "required");
	if (j.finding && !text_ok(j.finding, 2000))
		problem(fields, "finding", "too_long");
	if (on_site) {
		/* What was checked against the originals, each ok or not (REG-6: identity,
		 * education/degree, work years — and whatever else the exam asks). */
		const json_t *checks = json_object_get(body, "checks");
		const char *item;
		json_t *v;
		int ok = json_is_object(checks) && json_object_size(checks) >= 1 &&
		         json_object_size(checks) <= 20;
		json_object_foreach((json_t *)checks, item, v) ok &=
		        text_ok(item, 40) && json_is_string(v) &&
		        (strcmp(json_string_value(v), "ok") == 0 ||
		         strcmp(json_string_value(v), "not_ok") == 0);
		if (!ok)
			problem(fields, "checks", "required");
		else
			j.checks = json_dumps(checks, JSON_COMPACT | JSON_SORT_KEYS);
		/* AH 14: the originals go back to the candidate; the record says so. */
		const json_t *orig = json_object_get(body, "originals_returned");
		if (!json_is_boolean(orig))
			problem(fields, "originals_returned", "required");
		j.originals = json_is_true(orig);
	}
	if (json_array_size(fields)) {
		free(j.checks);
		return invalid(fields, err);
	}
	json_decref(fields);
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, reg, "registration.verify", err);
	kw_pool_put(app->pool, c);
	if (!rc && s->candidate_id)
		rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "for staff");
	if (!rc)
		rc = kw_writer_run(app->writer, create_job, &j, actor, err);
	free(j.checks);
	return rc ? rc : kw_verify_list(app, s, reg, out, err);
}

int kw_verify_list(struct kw_app *app, const struct kw_session_info *s, int64_t reg, json_t **out,
                   struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = s->candidate_id ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "not found")
	                         : kw_reg_reach(c, s, reg, "registration.verify", err);
	json_t *items = NULL;
	if (!rc)
		rc = ver_items(c, "registration_id", reg, &items, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = json_pack("{s:o}", "items", items);
	return rc;
}

/* ---- deciding ---- */

struct decide_job {
	int64_t id, staff;
	const char *outcome, *finding, *referral, *archive_until;
	int64_t reg;
	json_t *out;
};

static int decide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct decide_job *j = arg;
	char now[32], day[11];
	kw_clock_format(tx->now_us, now);
	kw_clock_china_date(tx->now_us, day);
	struct kw_stmt *s = NULL;
	char vstatus[16] = "", rstatus[16] = "", ekind[32] = "", id_type[32] = "", id_no[40] = "",
	     name[160] = "";
	int64_t unit = 0;
	int rc = kw_conn_prepare(
	        tx->conn,
	        "SELECT v.status, r.status, e.kind, c.id_type, c.id_number, c.name, e.unit_id, "
	        "r.id "
	        "FROM verifications v JOIN registrations r ON r.id = v.registration_id JOIN exams "
	        "e "
	        "ON e.id = r.exam_id JOIN candidates c ON c.id = r.candidate_id WHERE v.id = $1",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			snprintf(vstatus, sizeof vstatus, "%s", kw_stmt_column_text(s, 0, NULL));
			snprintf(rstatus, sizeof rstatus, "%s", kw_stmt_column_text(s, 1, NULL));
			snprintf(ekind, sizeof ekind, "%s", kw_stmt_column_text(s, 2, NULL));
			snprintf(id_type, sizeof id_type, "%s", kw_stmt_column_text(s, 3, NULL));
			snprintf(id_no, sizeof id_no, "%s", kw_stmt_column_text(s, 4, NULL));
			snprintf(name, sizeof name, "%s", kw_stmt_column_text(s, 5, NULL));
			unit = kw_stmt_column_int64(s, 6);
			j->reg = kw_stmt_column_int64(s, 7);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no such verification");
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc)
		return rc;
	if (strcmp(vstatus, "open") != 0)
		return kw_err_set(err, KW_ECONFLICT, "VERIFICATION_CLOSED", "REG-6",
		                  "this verification has been decided");
	int civil = strcmp(ekind, "civil_service") == 0;
	const char *o = j->outcome;
	int ends = strcmp(o, "confirmed") != 0;
	if (strcmp(o, "false_pledge") == 0 && civil)
		return kw_err_set(err, KW_ERULE, "OUTCOME_NOT_FOR_KIND", "REG-6",
		                  "civil service: false information voids the registration "
		                  "(outcome false_information)");
	if ((strcmp(o, "false_information") == 0 || strcmp(o, "banned") == 0) && !civil)
		return kw_err_set(err, KW_ERULE, "OUTCOME_NOT_FOR_KIND", "REG-5",
		                  "this outcome applies to civil-service exams only");
	if (ends && strcmp(rstatus, "submitted") != 0 && strcmp(rstatus, "approved") != 0) {
		kw_err_set(err, KW_ECONFLICT, "REG_NOT_ACTIVE", "REG-6",
		           "the registration is no longer active");
		kw_err_detail(err, "status", json_string(rstatus));
		return err->rc;
	}
	if (strcmp(o, "banned") == 0) {
		/* AH 15: after verification — the ban must be in force today. */
		int n = 0, qual = 0;
		rc = kw_archive_in_term(tx->conn, id_type, id_no, day, &n, &qual, err);
		if (!rc && !n)
			rc = kw_err_set(err, KW_ERULE, "BAN_NOT_IN_FORCE", "REG-5",
			                "no civil-service ban is in force for this person today");
		if (rc)
			return rc;
	}
	/* The qualification-archive record (PQ 15), when the reviewer decides to make one. */
	int64_t archive_id = 0;
	if (j->archive_until) {
		rc = kw_audit_prepare(
		        tx->conn, "archive_entries", &s, err,
		        "INSERT INTO archive_entries (unit_id, id_type, id_number, person_name, "
		        "kind, effect, term_start, term_end, lifetime, source_decision, "
		        "created_at, "
		        "updated_at) VALUES ($1, $2, $3, $4, 'qualification', 'record', $5, $6, 0, "
		        "$7, $8, $8)");
		if (rc)
			return rc;
		char source[600];
		snprintf(source, sizeof source, "核查 #%lld：%s", (long long)j->id, j->finding);
		kw_stmt_bind_int64(s, 1, unit);
		kw_stmt_bind_textz(s, 2, id_type);
		kw_stmt_bind_textz(s, 3, id_no);
		kw_stmt_bind_textz(s, 4, name);
		kw_stmt_bind_textz(s, 5, day);
		kw_stmt_bind_textz(s, 6, j->archive_until);
		kw_stmt_bind_textz(s, 7, source);
		kw_stmt_bind_textz(s, 8, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			archive_id = kw_stmt_column_int64(s, 0);
			json_t *det = json_pack("{s:s, s:I}", "source", "verification",
			                        "verification_id", (json_int_t)j->id);
			rc = kw_audit_append_row(tx, "archive.record", "archive_entries", s, det,
			                         err);
			json_decref(det);
		}
		kw_stmt_finalize(s);
		s = NULL;
		if (rc)
			return rc;
	}
	/* The registration: void (false pledge or information) or cancelled (a ban). */
	if (ends) {
		rc = kw_audit_prepare(
		        tx->conn, "registrations", &s, err,
		        "UPDATE registrations SET status = $1, review_reason = $2, reviewed_by = "
		        "$3, reviewed_at = $4, updated_at = $4 WHERE id = $5");
		if (rc)
			return rc;
		kw_stmt_bind_textz(s, 1, strcmp(o, "banned") == 0 ? "cancelled" : "void");
		kw_stmt_bind_textz(s, 2, j->finding);
		kw_stmt_bind_int64(s, 3, j->staff);
		kw_stmt_bind_textz(s, 4, now);
		kw_stmt_bind_int64(s, 5, j->reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			json_t *det = json_pack("{s:s, s:I}", "outcome", o, "verification_id",
			                        (json_int_t)j->id);
			rc = kw_audit_append_row(tx,
			                         strcmp(o, "banned") == 0 ? "registration.cancel"
			                                                  : "registration.void",
			                         "registrations", s, det, err);
			json_decref(det);
		}
		kw_stmt_finalize(s);
		s = NULL;
		if (rc)
			return rc;
	}
	rc = kw_audit_prepare(
	        tx->conn, "verifications", &s, err,
	        "UPDATE verifications SET status = 'closed', outcome = $1, finding = $2, "
	        "referral = $3, archive_entry_id = $4, decided_by = $5, decided_at = $6, "
	        "updated_at = $6 WHERE id = $7 AND status = 'open'");
	if (rc)
		return rc;
	kw_stmt_bind_textz(s, 1, o);
	kw_stmt_bind_textz(s, 2, j->finding);
	if (j->referral)
		kw_stmt_bind_textz(s, 3, j->referral);
	else
		kw_stmt_bind_null(s, 3);
	if (archive_id)
		kw_stmt_bind_int64(s, 4, archive_id);
	else
		kw_stmt_bind_null(s, 4);
	kw_stmt_bind_int64(s, 5, j->staff);
	kw_stmt_bind_textz(s, 6, now);
	kw_stmt_bind_int64(s, 7, j->id);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		j->out = row_json(s, 0, ver_names, ver_types);
		json_t *det =
		        json_pack("{s:s, s:b}", "outcome", o, "referred", j->referral != NULL);
		rc = kw_audit_append_row(tx, "verification.decide", "verifications", s, det, err);
		json_decref(det);
	} else if (rc == KW_DONE) {
		rc = kw_err_set(err, KW_ECONFLICT, "VERIFICATION_CLOSED", "REG-6",
		                "this verification has been decided");
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_verify_decide(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                     struct kw_err *err)
{
	static const char *const outcomes[] = {"confirmed", "false_pledge", "false_information",
	                                       "banned", NULL};
	json_t *fields = json_array();
	struct decide_job j = {.id = id, .staff = s->user.id};
	j.outcome = str(body, "outcome");
	j.finding = str(body, "finding");
	j.referral = str(body, "referral");
	j.archive_until = str(body, "archive_until");
	int known = 0;
	for (int i = 0; j.outcome && outcomes[i]; i++)
		known |= strcmp(j.outcome, outcomes[i]) == 0;
	/* VH 5: malicious registration or forgery is a violation case for a civil-service
	 * authority at prefecture-city level or above, not a reviewer's outcome. */
	if (j.outcome &&
	    (strcmp(j.outcome, "forgery") == 0 || strcmp(j.outcome, "malicious") == 0)) {
		json_decref(fields);
		return kw_err_set(
		        err, KW_ERULE, "FORGERY_NEEDS_CASE", "REG-6",
		        "malicious registration or forged material is decided only by a "
		        "civil-service authority at prefecture-city level or above, through "
		        "a violation case (VIO-7)");
	}
	if (!known)
		problem(fields, "outcome", "not_allowed");
	if (!text_ok(j.finding, 2000))
		problem(fields, "finding", "required");
	if (j.referral && !text_ok(j.referral, 2000))
		problem(fields, "referral", "too_long");
	if (known && strcmp(j.outcome, "false_pledge") != 0 && (j.referral || j.archive_until) &&
	    strcmp(j.outcome, "false_information") != 0)
		problem(fields, j.referral ? "referral" : "archive_until", "not_for_outcome");
	if (j.archive_until) {
		int y, m, d;
		char tail;
		if (strcmp(j.outcome ? j.outcome : "", "false_pledge") != 0)
			problem(fields, "archive_until", "not_for_outcome");
		else if (strlen(j.archive_until) != 10 ||
		         sscanf(j.archive_until, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
		         m < 1 || m > 12 || d < 1 || d > 31)
			problem(fields, "archive_until", "date_format");
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key,
	                    v) if (strcmp(key, "outcome") && strcmp(key, "finding") &&
	                           strcmp(key, "referral") && strcmp(key, "archive_until"))
	        problem(fields, key, "unknown");
	if (json_array_size(fields))
		return invalid(fields, err);
	json_decref(fields);
	if (s->candidate_id)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "not found");
	/* Reach: the verification's registration, for one who may verify it. */
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int64_t reg = 0;
	int rc = kw_conn_prepare(c, "SELECT registration_id FROM verifications WHERE id = $1", &st,
	                         err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			reg = kw_stmt_column_int64(st, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	if (!rc && !reg)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such verification");
	if (!rc)
		rc = kw_reg_reach(c, s, reg, "registration.verify", err);
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, decide_job, &j, actor, err);
	if (!rc)
		*out = j.out;
	else
		json_decref(j.out);
	return rc;
}

/* ---- an exam's tasks (REG-6) ---- */

/* The unit of registration r with its position p and exam e joined (app/reg.c's rule). */
#define TASK_UNIT "COALESCE(p.recruiter_id, e.unit_id)"

static const char task_cols[] =
        "v.id, v.registration_id, v.kind, v.sample_id, v.reason, v.status, v.outcome, "
        "v.created_by, (SELECT u.display_name FROM users u WHERE u.id = v.created_by), "
        "v.created_at, v.decided_by, v.decided_at, e.exam_date, r.status, r.position_id, "
        "p.code, p.name, r.subjects, c.name, c.id_type, c.id_number";
static const char *const task_names[] = {"id",
                                         "registration_id",
                                         "kind",
                                         "sample_id",
                                         "reason",
                                         "status",
                                         "outcome",
                                         "created_by",
                                         "created_by_name",
                                         "created_at",
                                         "decided_by",
                                         "decided_at",
                                         "due",
                                         "registration_status",
                                         "position_id",
                                         "position_code",
                                         "position_name",
                                         NULL};
static const char task_types[] = "iititttittitttitt";
#define TASK_JOINS                                                                                 \
	"FROM verifications v JOIN registrations r ON r.id = v.registration_id JOIN exams e ON "   \
	"e.id = r.exam_id JOIN candidates c ON c.id = r.candidate_id LEFT JOIN positions p ON "    \
	"p.id = r.position_id "

static json_t *task_row(struct kw_stmt *st, const char *today)
{
	json_t *o = row_json(st, 0, task_names, task_types);
	int n = 17;
	json_t *subj = json_array();
	const char *list = kw_stmt_column_is_null(st, n) ? "" : kw_stmt_column_text(st, n, NULL);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len)
			json_array_append_new(subj, json_stringn(p, len));
		p += len + (p[len] == ',');
	}
	json_object_set_new(o, "subjects", subj);
	json_object_set_new(o, "candidate_name", json_string(kw_stmt_column_text(st, n + 1, NULL)));
	json_object_set_new(o, "id_type", json_string(kw_stmt_column_text(st, n + 2, NULL)));
	char m[64];
	kw_mask_id_number(kw_stmt_column_text(st, n + 3, NULL), m, sizeof m);
	json_object_set_new(o, "id_number", json_string(m));
	/* Overdue: still open after its due date (China time). */
	const char *due = str(o, "due");
	json_object_set_new(o, "overdue",
	                    json_boolean(due && strcmp(str(o, "status"), "open") == 0 &&
	                                 strcmp(today, due) > 0));
	return o;
}

/* May s list the tasks of exam: it exists, and s verifies at its unit or at the recruiting
 * agency of one of its positions. reach: the caller's "WITH … reach" prefix ("" when all). */
static int tasks_exam_reach(struct kw_conn *c, const char *reach, int all, int64_t exam,
                            struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b, "%sSELECT 1 FROM exams e WHERE e.id = $1", reach);
	if (!all)
		kw_buf_adds(&b,
		            " AND (e.unit_id IN (SELECT id FROM reach) OR EXISTS (SELECT 1 FROM "
		            "positions p WHERE p.exam_id = e.id AND p.recruiter_id IN (SELECT id "
		            "FROM reach)))");
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, b.buf, &st, err);
	kw_buf_release(&b);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		rc = rc == KW_ROW ? 0
		     : rc == KW_DONE
		             ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam")
		             : rc;
	}
	kw_stmt_finalize(st);
	return rc;
}

/* counts {open, closed, open_by_kind} of the tasks s reaches in q's exam. */
static int task_counts(struct kw_conn *c, const char *reach, int all,
                       const struct kw_verify_query *q, json_t **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b, "%sSELECT v.status, v.kind, COUNT(*) " TASK_JOINS "WHERE r.exam_id = $1",
	            reach);
	if (!all)
		kw_buf_adds(&b, " AND " TASK_UNIT " IN (SELECT id FROM reach)");
	kw_buf_adds(&b, " GROUP BY v.status, v.kind");
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, b.buf, &st, err);
	kw_buf_release(&b);
	json_int_t open = 0, closed = 0;
	json_t *by_kind = json_pack("{s:i, s:i, s:i, s:i}", "sample", 0, "targeted", 0, "ban", 0,
	                            "on_site", 0);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, q->exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			const char *status = kw_stmt_column_text(st, 0, NULL);
			json_int_t n = kw_stmt_column_int64(st, 2);
			if (strcmp(status, "open") == 0) {
				open += n;
				json_object_set_new(by_kind, kw_stmt_column_text(st, 1, NULL),
				                    json_integer(n));
			} else {
				closed += n;
			}
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
	if (rc) {
		json_decref(by_kind);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:o}", "open", open, "closed", closed, "open_by_kind",
	                 by_kind);
	return 0;
}

int kw_verify_tasks(struct kw_app *app, const struct kw_session_info *s,
                    const struct kw_verify_query *q, json_t **out, struct kw_err *err)
{
	static const char *const kinds[] = {"sample", "targeted", "ban", "on_site", NULL};
	int ok_kind = q->kind == NULL;
	for (int i = 0; q->kind && kinds[i]; i++)
		ok_kind |= strcmp(q->kind, kinds[i]) == 0;
	if (!q->status || (strcmp(q->status, "open") != 0 && strcmp(q->status, "closed") != 0) ||
	    !ok_kind || q->limit < 1 || q->limit > 1000 || q->after < 0) {
		int rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		                    "status is open or closed; kind is sample, targeted, ban or "
		                    "on_site; limit is 1..1000");
		kw_err_detail(err, "name",
		              json_string(!ok_kind ? "kind"
		                          : !q->status || (strcmp(q->status, "open") != 0 &&
		                                           strcmp(q->status, "closed") != 0)
		                                  ? "status"
		                          : q->after < 0 ? "cursor"
		                                         : "limit"));
		return rc;
	}
	if (s->candidate_id)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_buf reach = KW_BUF_INIT, b = KW_BUF_INIT;
	kw_buf_init(&reach, 0);
	kw_buf_init(&b, 0);
	int all = 0, none = 0;
	int rc = kw_rec_reach_sql(c, &reach, s, "registration.verify", &all, &none, err);
	if (!rc && none)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	if (!rc)
		rc = tasks_exam_reach(c, reach.buf, all, q->exam, err);
	struct kw_stmt *st = NULL;
	if (!rc) {
		kw_buf_addf(&b,
		            "%sSELECT %s " TASK_JOINS
		            "WHERE r.exam_id = $1 AND v.id > $2 AND v.status = $3",
		            reach.buf, task_cols);
		if (q->kind)
			kw_buf_adds(&b, " AND v.kind = $4");
		if (!all)
			kw_buf_adds(&b, " AND " TASK_UNIT " IN (SELECT id FROM reach)");
		kw_buf_addf(&b, " ORDER BY v.id LIMIT %d", q->limit + 1);
		rc = kw_conn_prepare(c, b.buf, &st, err);
	}
	json_t *items = json_array(), *counts = NULL;
	int more = 0;
	int64_t last = 0;
	if (!rc) {
		char today[11];
		kw_clock_china_date(kw_clock_now_us(), today);
		kw_stmt_bind_int64(st, 1, q->exam);
		kw_stmt_bind_int64(st, 2, q->after);
		kw_stmt_bind_textz(st, 3, q->status);
		if (q->kind)
			kw_stmt_bind_textz(st, 4, q->kind);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if ((int)json_array_size(items) == q->limit) {
				more = 1;
				break;
			}
			last = kw_stmt_column_int64(st, 0);
			json_array_append_new(items, task_row(st, today));
		}
		rc = rc == KW_DONE || rc == KW_ROW ? 0 : rc;
	}
	kw_stmt_finalize(st);
	if (!rc)
		rc = task_counts(c, reach.buf, all, q, &counts, err);
	kw_pool_put(app->pool, c);
	kw_buf_release(&reach);
	kw_buf_release(&b);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = kw_json_page(items, more, last);
	json_object_set_new(*out, "exam_id", json_integer(q->exam));
	json_object_set_new(*out, "counts", counts);
	return 0;
}
