/*
 * Identity claims (REG-4): a person finds their identity document already holding an
 * account — malicious pre-registration happens — and files a claim with a new password.
 * Staff check the person (in person, with the original document) and decide: upheld, the
 * account passes to the claimant (name, phone and password from the claim, every session of
 * it ended, what was registered through it voided); dismissed, nothing changes. Both with a
 * reason, both audited.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/identity.h"
#include "app/reg.h"
#include "core/idno.h"
#include "core/mask.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

struct claim_job {
	char id_type[20], id_number[40], name[160], phone[40], hash[128];
	const char *statement;
	int64_t id;
};

static int claim_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct claim_job *j = arg;
	struct kw_stmt *s = NULL;
	int64_t holder = 0;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id FROM candidates WHERE id_type = $1 AND id_number = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, j->id_type);
		kw_stmt_bind_textz(s, 2, j->id_number);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			holder = kw_stmt_column_int64(s, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc)
		return rc;
	if (!holder)
		return kw_err_set(err, KW_ERULE, "CLAIM_NOT_NEEDED", "REG-4",
		                  "no account holds this document: sign up instead");
	char now[32], ret[1024];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("identity_claims", ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b,
	            "INSERT INTO identity_claims (id_type, id_number, name, phone, statement, "
	            "password_hash, candidate_id, status, created_at, updated_at) VALUES ($1, $2, "
	            "$3, $4, $5, $6, $7, 'open', $8, $8) %s",
	            ret);
	rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	kw_stmt_bind_textz(s, 1, j->id_type);
	kw_stmt_bind_textz(s, 2, j->id_number);
	kw_stmt_bind_textz(s, 3, j->name);
	kw_stmt_bind_textz(s, 4, j->phone);
	kw_stmt_bind_textz(s, 5, j->statement);
	kw_stmt_bind_textz(s, 6, j->hash);
	kw_stmt_bind_int64(s, 7, holder);
	kw_stmt_bind_textz(s, 8, now);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		char mid[64];
		kw_mask_id_number(j->id_number, mid, sizeof mid);
		j->id = kw_stmt_column_int64(s, 0);
		json_t *d = json_pack("{s:s, s:s, s:I}", "id_type", j->id_type, "id_number", mid,
		                      "candidate_id", (json_int_t)holder);
		rc = kw_audit_append_row(tx, "identity_claim.create", "identity_claims", s, d, err);
		json_decref(d);
	}
	kw_stmt_finalize(s);
	return rc;
}

static const struct kw_jfield claim_fields[] = {
        {"id_type", KW_JSTRING, 0, 1, 20},
        {"id_number", KW_JSTRING, KW_JREQUIRED, 1, 40},
        {"name", KW_JSTRING, KW_JREQUIRED, 1, 150},
        {"phone", KW_JSTRING, KW_JREQUIRED, 1, 30},
        {"statement", KW_JSTRING, KW_JREQUIRED, 1, 6000},
        {"password", KW_JSTRING, KW_JREQUIRED, 1, 256},
};

int kw_reg_claim_create(struct kw_app *app, const struct kw_actor *actor, const json_t *body,
                        json_t **out, struct kw_err *err)
{
	int rc = kw_json_check(body, claim_fields, sizeof claim_fields / sizeof claim_fields[0],
	                       err);
	if (rc)
		return rc;
	json_t *fields = json_array();
	const char *type = str(body, "id_type") ? str(body, "id_type") : "resident_id";
	struct kw_idno id;
	enum kw_idno_type t = kw_idno_type_of(type);
	time_t now = (time_t)(kw_clock_now_us() / 1000000 + 8 * 3600);
	struct tm tm;
	gmtime_r(&now, &tm);
	char today[16];
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	int ic = t ? kw_idno_check(t, str(body, "id_number"), today, &id) : 0;
	if (!t)
		problem(fields, "id_type", "not_allowed");
	else if (ic)
		problem(fields, "id_number", kw_idno_problem(ic));
	const char *statement = str(body, "statement"), *pw = str(body, "password");
	if (utf8_chars(str(body, "name")) > 50)
		problem(fields, "name", "too_long");
	if (utf8_chars(statement) > 2000)
		problem(fields, "statement", "too_long");
	if (strlen(pw) < 8)
		problem(fields, "password", "too_short");
	if (strspn(str(body, "phone"), "+0123456789- ") != strlen(str(body, "phone")))
		problem(fields, "phone", "phone_format");
	if (json_array_size(fields)) {
		rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
		                "the claim is not valid");
		kw_err_detail(err, "fields", fields);
		return rc;
	}
	json_decref(fields);
	struct claim_job *j = kw_xcalloc(1, sizeof *j);
	snprintf(j->id_type, sizeof j->id_type, "%s", type);
	snprintf(j->id_number, sizeof j->id_number, "%s", id.norm);
	snprintf(j->name, sizeof j->name, "%s", str(body, "name"));
	snprintf(j->phone, sizeof j->phone, "%s", str(body, "phone"));
	j->statement = statement;
	if (kw_pwhash(j->hash, pw) != 0) {
		free(j);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "out of memory hashing");
	}
	rc = kw_writer_run(app->writer, claim_job, j, actor, err);
	if (!rc)
		*out = json_pack("{s:I, s:s}", "id", (json_int_t)j->id, "status", "open");
	sodium_memzero(j, sizeof *j);
	free(j);
	return rc;
}

int kw_reg_claims_list(struct kw_app *app, const struct kw_session_info *s, const char *status,
                       json_t **out, struct kw_err *err)
{
	(void)s; /* claims carry no unit: the action's grant anywhere suffices (router) */
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, id_type, id_number, name, phone, statement, "
	                         "candidate_id, status, decision_reason, decided_at, created_at "
	                         "FROM identity_claims WHERE ($1 = '' OR status = $1) ORDER BY id "
	                         "LIMIT 1000",
	                         &st, err);
	if (!rc)
		kw_stmt_bind_textz(st, 1, status ? status : "");
	json_t *items = json_array();
	while (!rc) {
		int r = kw_stmt_step(st, err);
		if (r != KW_ROW) {
			rc = r == KW_DONE ? 0 : r;
			break;
		}
		char mid[64], mph[40];
		kw_mask_id_number(kw_stmt_column_text(st, 2, NULL), mid, sizeof mid);
		kw_mask_phone(kw_stmt_column_text(st, 4, NULL), mph, sizeof mph);
		json_array_append_new(
		        items,
		        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s?, s:s?, s:s}", "id",
		                  (json_int_t)kw_stmt_column_int64(st, 0), "id_type",
		                  kw_stmt_column_text(st, 1, NULL), "id_number", mid, "name",
		                  kw_stmt_column_text(st, 3, NULL), "phone", mph, "statement",
		                  kw_stmt_column_text(st, 5, NULL), "candidate_id",
		                  (json_int_t)kw_stmt_column_int64(st, 6), "status",
		                  kw_stmt_column_text(st, 7, NULL), "decision_reason",
		                  kw_stmt_column_is_null(st, 8) ? NULL
		                                                : kw_stmt_column_text(st, 8, NULL),
		                  "decided_at",
		                  kw_stmt_column_is_null(st, 9) ? NULL
		                                                : kw_stmt_column_text(st, 9, NULL),
		                  "created_at", kw_stmt_column_text(st, 10, NULL)));
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

struct decide_job {
	int64_t id, staff;
	int uphold;
	const char *reason;
	int64_t candidate;
	int voided;
};

/* One UPDATE … RETURNING of an audited table and its audit record. */
static int update_one(struct kw_tx *tx, const char *table, const char *set, int64_t id,
                      const char *action, json_t *detail, const char *const *texts, int ntexts,
                      struct kw_err *err)
{
	char ret[1024];
	kw_audit_returning(table, ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b, "UPDATE %s SET %s WHERE id = $%d %s", table, set, ntexts + 1, ret);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	for (int i = 0; i < ntexts; i++)
		kw_stmt_bind_textz(s, i + 1, texts[i]);
	kw_stmt_bind_int64(s, ntexts + 1, id);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW)
		rc = kw_audit_append_row(tx, action, table, s, detail, err);
	else if (rc == KW_DONE)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such record");
	kw_stmt_finalize(s);
	return rc;
}

static int decide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct decide_job *j = arg;
	char now[32], staff[24];
	kw_clock_format(tx->now_us, now);
	snprintf(staff, sizeof staff, "%lld", (long long)j->staff);
	struct kw_stmt *s = NULL;
	char name[160] = "", phone[40] = "", hash[128] = "", status[16] = "";
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT status, candidate_id, name, phone, password_hash FROM "
	                         "identity_claims WHERE id = $1",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			snprintf(status, sizeof status, "%s", kw_stmt_column_text(s, 0, NULL));
			j->candidate = kw_stmt_column_int64(s, 1);
			snprintf(name, sizeof name, "%s", kw_stmt_column_text(s, 2, NULL));
			snprintf(phone, sizeof phone, "%s", kw_stmt_column_text(s, 3, NULL));
			snprintf(hash, sizeof hash, "%s", kw_stmt_column_text(s, 4, NULL));
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such claim");
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc && strcmp(status, "open") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "CLAIM_DECIDED", "REG-4",
		                "this claim has been decided");
	if (rc)
		return rc;
	const char *texts[] = {j->uphold ? "upheld" : "dismissed", j->reason, now, staff};
	json_t *d = json_pack("{s:s, s:s}", "decision", texts[0], "reason", j->reason);
	rc = update_one(tx, "identity_claims",
	                "status = $1, decision_reason = $2, decided_at = $3, decided_by = "
	                "CAST($4 AS BIGINT), updated_at = $3",
	                j->id, "identity_claim.decide", d, texts, 4, err);
	json_decref(d);
	if (rc || !j->uphold)
		return rc;
	/* Upheld: the account passes to the claimant… */
	char mph[40];
	kw_mask_phone(phone, mph, sizeof mph);
	const char *ct[] = {name, phone, hash, now};
	d = json_pack("{s:s, s:I, s:s}", "phone", mph, "claim_id", (json_int_t)j->id, "name", name);
	rc = update_one(tx, "candidates",
	                "name = $1, phone = $2, password_hash = $3, status = 'active', updated_at "
	                "= $4",
	                j->candidate, "candidate.claimed", d, ct, 4, err);
	json_decref(d);
	/* …every session of it ends (each revocation on the record)… */
	int64_t sids[256];
	int ns = 256;
	while (!rc && ns == 256) {
		ns = 0;
		if (!rc)
			rc = kw_conn_prepare(
			        tx->conn,
			        "SELECT id FROM candidate_sessions WHERE candidate_id = $1 AND "
			        "revoked_at IS NULL ORDER BY id LIMIT 256",
			        &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, j->candidate);
			while ((rc = kw_stmt_step(s, err)) == KW_ROW && ns < 256)
				sids[ns++] = kw_stmt_column_int64(s, 0);
			rc = rc == KW_DONE || rc == KW_ROW ? 0 : rc;
		}
		kw_stmt_finalize(s);
		s = NULL;
		for (int i = 0; !rc && i < ns; i++) {
			const char *st[] = {now};
			json_t *d2 = json_pack("{s:I}", "claim_id", (json_int_t)j->id);
			rc = update_one(tx, "candidate_sessions", "revoked_at = $1", sids[i],
			                "candidate_session.revoke", d2, st, 1, err);
			json_decref(d2);
		}
	}
	/* …and what was registered through it is void (not the claimant's application). */
	int64_t ids[64];
	int n = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT id FROM registrations WHERE candidate_id = $1 AND status "
		        "IN ('submitted', 'approved') ORDER BY id",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->candidate);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW && n < 64)
			ids[n++] = kw_stmt_column_int64(s, 0);
		rc = rc == KW_DONE || rc == KW_ROW ? 0 : rc;
	}
	kw_stmt_finalize(s);
	char why[200];
	snprintf(why, sizeof why, "identity claim %lld upheld: registered by another person",
	         (long long)j->id);
	for (int i = 0; !rc && i < n; i++) {
		const char *rt[] = {why, now, staff};
		json_t *d3 = json_pack("{s:s, s:s}", "status", "void", "reason", why);
		rc = update_one(
		        tx, "registrations",
		        "status = 'void', review_reason = $1, reviewed_at = $2, reviewed_by = "
		        "CAST($3 AS BIGINT), updated_at = $2",
		        ids[i], "registration.void", d3, rt, 3, err);
		json_decref(d3);
	}
	j->voided = n;
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int kw_reg_claim_decide(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t id, const char *decision,
                        const char *reason, json_t **out, struct kw_err *err)
{
	int uphold = decision && strcmp(decision, "uphold") == 0;
	json_t *fields = json_array();
	if (!uphold && !(decision && strcmp(decision, "dismiss") == 0))
		problem(fields, "decision", "not_allowed");
	if (!reason || !*reason || utf8_chars(reason) > 500)
		problem(fields, "reason", reason && *reason ? "too_long" : "required");
	if (json_array_size(fields)) {
		int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "not a decision");
		kw_err_detail(err, "fields", fields);
		return rc;
	}
	json_decref(fields);
	struct decide_job j = {id, s->user.id, uphold, reason, 0, 0};
	int rc = kw_writer_run(app->writer, decide_job, &j, actor, err);
	if (rc)
		return rc;
	if (uphold)
		kw_app_sessions_changed(app);
	*out = json_pack("{s:I, s:s, s:I, s:i}", "id", (json_int_t)id, "status",
	                 uphold ? "upheld" : "dismissed", "candidate_id", (json_int_t)j.candidate,
	                 "registrations_voided", j.voided);
	return 0;
}
