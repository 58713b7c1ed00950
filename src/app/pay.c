#include "app/pay.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/reg.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define CALLBACK_WINDOW_US (INT64_C(10) * 60 * 1000000) /* a callback's age, either way */

void kw_pay_key_init(unsigned char key[32], const char *secret)
{
	if (secret && *secret) /* the key is SHA-256 of the secret text */
		crypto_hash_sha256(key, (const unsigned char *)secret, strlen(secret));
	else
		randombytes_buf(key, 32);
}

void kw_pay_sign(const unsigned char key[32], const char *body, size_t n, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

static const char pay_cols[] = "id, registration_id, candidate_id, idempotency_key, amount_cents, "
                               "items, provider, provider_ref, status, paid_at, confirmed_by, "
                               "refunded_at, refund_reason, created_at, updated_at";

static json_t *text_or_null(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
}

/* An order at the statement's row (columns: pay_cols). The idempotency key stays inside. */
static json_t *pay_row(struct kw_stmt *s)
{
	json_t *items = json_loads(kw_stmt_column_text(s, 5, NULL), 0, NULL);
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	                 (json_int_t)kw_stmt_column_int64(s, 0), "registration_id",
	                 (json_int_t)kw_stmt_column_int64(s, 1), "amount_cents",
	                 (json_int_t)kw_stmt_column_int64(s, 4), "items",
	                 items ? items : json_array(), "provider", text_or_null(s, 6),
	                 "provider_ref", text_or_null(s, 7), "status", text_or_null(s, 8),
	                 "paid_at", text_or_null(s, 9), "refunded_at", text_or_null(s, 11),
	                 "refund_reason", text_or_null(s, 12), "created_at", text_or_null(s, 13),
	                 "updated_at", text_or_null(s, 14));
}

static int load_payment(struct kw_conn *c, int64_t id, json_t **out, int64_t *reg,
                        struct kw_err *err)
{
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT %s FROM payments WHERE id = $1", pay_cols);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*out = pay_row(s);
			if (reg)
				*reg = kw_stmt_column_int64(s, 1);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such payment");
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

/* ---- ordering ---- */

struct order_job {
	int64_t registration, candidate;
	char key[130], provider[16];
	int64_t amount;
	char *items; /* JSON */
	int64_t id;
	int created;
};

static int order_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct order_job *j = arg;
	struct kw_stmt *s = NULL;
	j->created = 0;
	/* The same key again is the same order; a paid order of the registration stops a new one.
	 */
	int rc =
	        kw_conn_prepare(tx->conn,
	                        "SELECT id, registration_id, 0 FROM payments WHERE candidate_id = "
	                        "$1 AND idempotency_key = $2 UNION ALL SELECT id, registration_id, "
	                        "1 FROM payments WHERE registration_id = $3 AND status = 'paid'",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->candidate);
		kw_stmt_bind_textz(s, 2, j->key);
		kw_stmt_bind_int64(s, 3, j->registration);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (kw_stmt_column_int64(s, 2) == 0) {
				j->id = kw_stmt_column_int64(s, 0);
				if (kw_stmt_column_int64(s, 1) != j->registration)
					rc = kw_err_set(err, KW_ECONFLICT, "IDEMPOTENCY_KEY_REUSED",
					                NULL,
					                "this key was used for another order");
				break;
			}
			rc = kw_err_set(err, KW_ECONFLICT, "ALREADY_PAID", "REG-7",
			                "the fees of this registration are paid");
			break;
		}
		if (rc == KW_DONE || rc == KW_ROW)
			rc = 0;
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc || j->id)
		return rc ? rc
		          : kw_audit_append(tx, "payment.repeat", "payments", j->id, NULL, err);
	char now[32], ret[1024];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("payments", ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(
	        &b,
	        "INSERT INTO payments (registration_id, candidate_id, idempotency_key, "
	        "amount_cents, items, provider, status, created_at, updated_at) VALUES ($1, $2, "
	        "$3, $4, $5, $6, 'pending', $7, $7) %s",
	        ret);
	rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	kw_stmt_bind_int64(s, 1, j->registration);
	kw_stmt_bind_int64(s, 2, j->candidate);
	kw_stmt_bind_textz(s, 3, j->key);
	kw_stmt_bind_int64(s, 4, j->amount);
	kw_stmt_bind_textz(s, 5, j->items);
	kw_stmt_bind_textz(s, 6, j->provider);
	kw_stmt_bind_textz(s, 7, now);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		j->id = kw_stmt_column_int64(s, 0);
		j->created = 1;
		json_t *d =
		        json_pack("{s:I, s:I, s:s}", "registration_id", (json_int_t)j->registration,
		                  "amount_cents", (json_int_t)j->amount, "provider", j->provider);
		rc = kw_audit_append_row(tx, "payment.order", "payments", s, d, err);
		json_decref(d);
	}
	kw_stmt_finalize(s);
	return rc;
}

/*
 * The fee items of a registration: its subjects' fees (civil service: every subject of the
 * exam), from the exam's schedule; *approved whether the exam names its fee approval.
 */
static int fee_items(struct kw_conn *c, int64_t reg, json_t **items, int64_t *amount, char *status,
                     size_t sn, char *kind, size_t kn, int *approved, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT r.subjects, r.status, e.kind, e.fee_approval, e.id FROM "
	                         "registrations r JOIN exams e ON e.id = r.exam_id WHERE r.id = $1",
	                         &s, err);
	char subjects[512] = "";
	int64_t exam = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			snprintf(subjects, sizeof subjects, "%s", kw_stmt_column_text(s, 0, NULL));
			snprintf(status, sn, "%s", kw_stmt_column_text(s, 1, NULL));
			snprintf(kind, kn, "%s", kw_stmt_column_text(s, 2, NULL));
			*approved =
			        !kw_stmt_column_is_null(s, 3) && *kw_stmt_column_text(s, 3, NULL);
			exam = kw_stmt_column_int64(s, 4);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no such registration");
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc)
		return rc;
	rc = kw_conn_prepare(c,
	                     "SELECT code, name, fee_cents FROM subjects WHERE exam_id = $1 ORDER "
	                     "BY code",
	                     &s, err);
	*items = json_array();
	*amount = 0;
	if (!rc)
		kw_stmt_bind_int64(s, 1, exam);
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		rc = 0;
		const char *code = kw_stmt_column_text(s, 0, NULL);
		char pat[32];
		snprintf(pat, sizeof pat, ",%s,", code);
		char wrapped[520];
		snprintf(wrapped, sizeof wrapped, ",%s,", subjects);
		if (*subjects && !strstr(wrapped, pat))
			continue;
		int64_t fee = kw_stmt_column_int64(s, 2);
		*amount += fee;
		json_array_append_new(*items, json_pack("{s:s, s:s, s:I}", "subject", code, "name",
		                                        kw_stmt_column_text(s, 1, NULL),
		                                        "fee_cents", (json_int_t)fee));
	}
	rc = rc == KW_DONE || rc == KW_ROW ? 0 : rc;
	kw_stmt_finalize(s);
	return rc;
}

int kw_pay_order(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                 int64_t registration, const char *provider, const char *idempotency_key,
                 json_t **out, int *created, struct kw_err *err)
{
	if (!idempotency_key || !*idempotency_key || strlen(idempotency_key) > 128)
		return kw_err_set(err, KW_EPRECOND, "IDEMPOTENCY_KEY_REQUIRED", NULL,
		                  "send an Idempotency-Key header (1..128 characters)");
	if (!provider || (strcmp(provider, "test") != 0 && strcmp(provider, "offline") != 0)) {
		int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "unknown provider");
		kw_err_detail(
		        err, "fields",
		        json_pack("[{s:s, s:s}]", "field", "provider", "problem", "not_allowed"));
		return rc;
	}
	if (!s->candidate_id)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
		                  "candidates pay their fees");
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, registration, "registration.read", err);
	json_t *items = NULL;
	char status[16] = "", kind[24] = "";
	int approved = 0;
	int64_t amount = 0;
	if (!rc)
		rc = fee_items(c, registration, &items, &amount, status, sizeof status, kind,
		               sizeof kind, &approved, err);
	kw_pool_put(app->pool, c);
	if (!rc) {
		/* Civil service and public institutions pay after the qualification review;
		 * qualification exams (notice-and-pledge, reviewed afterwards) once submitted. */
		int qual = strcmp(kind, "qualification") == 0;
		if (!(strcmp(status, "approved") == 0 ||
		      (qual && strcmp(status, "submitted") == 0))) {
			rc = kw_err_set(err, KW_ERULE, "PAYMENT_NOT_DUE", "REG-7",
			                "fees are paid once the registration is %s",
			                qual ? "submitted" : "approved");
			kw_err_detail(err, "status", json_string(status));
		} else if (amount > 0 && !approved) {
			rc = kw_err_set(err, KW_ERULE, "FEES_NOT_APPROVED", "REG-7",
			                "the exam's fees have no approval behind them");
		}
	}
	if (rc) {
		json_decref(items);
		return rc;
	}
	struct order_job j = {
	        .registration = registration, .candidate = s->candidate_id, .amount = amount};
	snprintf(j.key, sizeof j.key, "%s", idempotency_key);
	snprintf(j.provider, sizeof j.provider, "%s", provider);
	j.items = json_dumps(items, JSON_COMPACT);
	json_decref(items);
	rc = kw_writer_run(app->writer, order_job, &j, actor, err);
	free(j.items);
	if (rc)
		return rc;
	*created = j.created;
	c = kw_pool_get(app->pool);
	rc = load_payment(c, j.id, out, NULL, err);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_pay_list(struct kw_app *app, const struct kw_session_info *s, int64_t registration,
                json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, registration, "registration.read", err);
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT %s FROM payments WHERE registration_id = $1 ORDER BY id",
	         pay_cols);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc)
		kw_stmt_bind_int64(st, 1, registration);
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		rc = 0;
		json_array_append_new(items, pay_row(st));
	}
	rc = rc == KW_DONE || rc == KW_ROW ? 0 : rc;
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- changes of state: paid (callback, confirmation), refunded ---- */

struct state_job {
	int64_t id, staff, amount;
	const char *to, *from;                 /* new and required status */
	const char *ref;                       /* provider_ref (paid) or refund reason */
	const char *provider, *nonce, *digest; /* a callback's; NULL for staff */
	int unchanged;                         /* already in the state: nothing done */
	const char *action;
};

static int state_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct state_job *j = arg;
	char now[32], ret[1024], status[16] = "";
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int64_t amount = 0;
	char provider[16] = "";
	int rc = kw_conn_prepare(
	        tx->conn, "SELECT status, amount_cents, provider FROM payments WHERE id = $1", &s,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			snprintf(status, sizeof status, "%s", kw_stmt_column_text(s, 0, NULL));
			amount = kw_stmt_column_int64(s, 1);
			snprintf(provider, sizeof provider, "%s", kw_stmt_column_text(s, 2, NULL));
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such payment");
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc)
		return rc;
	if (j->provider && strcmp(j->provider, provider) != 0)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such payment");
	if (j->nonce) {
		/* A replayed callback: its nonce is on record. */
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT COUNT(*) FROM payment_callbacks WHERE provider = $1 AND "
		        "nonce = $2",
		        &s, err);
		if (!rc) {
			kw_stmt_bind_textz(s, 1, j->provider);
			kw_stmt_bind_textz(s, 2, j->nonce);
			rc = kw_stmt_step(s, err);
			rc = rc == KW_ROW ? (kw_stmt_column_int64(s, 0) ? 1 : 0) : rc;
		}
		kw_stmt_finalize(s);
		s = NULL;
		if (rc == 1)
			return kw_err_set(err, KW_ECONFLICT, "CALLBACK_REPLAYED", "REG-7",
			                  "this callback was received before");
		if (rc)
			return rc;
		if (j->amount != amount)
			return kw_err_set(err, KW_ERULE, "PAYMENT_AMOUNT_MISMATCH", "REG-7",
			                  "the amount paid is not the amount ordered");
		char r2[400];
		kw_audit_returning("payment_callbacks", r2, sizeof r2);
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		kw_buf_addf(
		        &b,
		        "INSERT INTO payment_callbacks (provider, nonce, payment_id, body_digest, "
		        "created_at) VALUES ($1, $2, $3, $4, $5) %s",
		        r2);
		rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
		kw_buf_release(&b);
		if (!rc) {
			kw_stmt_bind_textz(s, 1, j->provider);
			kw_stmt_bind_textz(s, 2, j->nonce);
			kw_stmt_bind_int64(s, 3, j->id);
			kw_stmt_bind_textz(s, 4, j->digest);
			kw_stmt_bind_textz(s, 5, now);
			rc = kw_stmt_step(s, err);
			if (rc == KW_ROW)
				rc = kw_audit_append_row(tx, "payment.callback",
				                         "payment_callbacks", s, NULL, err);
		}
		kw_stmt_finalize(s);
		s = NULL;
		if (rc)
			return rc;
	} else if (strcmp(j->to, "paid") == 0 && strcmp(provider, "offline") != 0) {
		return kw_err_set(err, KW_ECONFLICT, "PAYMENT_NOT_OFFLINE", "REG-7",
		                  "only offline payments are confirmed by staff");
	}
	if (strcmp(status, j->to) == 0 && j->nonce) {
		j->unchanged = 1; /* a second notice of the same payment: nothing more to do */
		return 0;
	}
	if (strcmp(status, j->from) != 0) {
		rc = kw_err_set(err, KW_ECONFLICT, "PAYMENT_STATE", "REG-7", "the payment is %s",
		                status);
		kw_err_detail(err, "status", json_string(status));
		return rc;
	}
	kw_audit_returning("payments", ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	if (strcmp(j->to, "paid") == 0)
		kw_buf_addf(&b,
		            "UPDATE payments SET status = 'paid', provider_ref = $1, paid_at = $2, "
		            "confirmed_by = $3, updated_at = $2 WHERE id = $4 %s",
		            ret);
	else
		kw_buf_addf(
		        &b,
		        "UPDATE payments SET status = 'refunded', refund_reason = $1, refunded_at "
		        "= $2, confirmed_by = $3, updated_at = $2 WHERE id = $4 %s",
		        ret);
	rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	kw_stmt_bind_textz(s, 1, j->ref);
	kw_stmt_bind_textz(s, 2, now);
	if (j->staff)
		kw_stmt_bind_int64(s, 3, j->staff);
	else
		kw_stmt_bind_null(s, 3);
	kw_stmt_bind_int64(s, 4, j->id);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		json_t *d = json_pack("{s:s, s:s}", "status", j->to, "ref", j->ref);
		rc = kw_audit_append_row(tx, j->action, "payments", s, d, err);
		json_decref(d);
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_pay_callback(struct kw_app *app, const struct kw_actor *actor, const char *provider,
                    const char *body, size_t n, const char *signature, json_t **out,
                    struct kw_err *err)
{
	if (strcmp(provider, "test") != 0)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such provider");
	/* The signature first: nothing unsigned is even parsed. */
	char want[65];
	kw_pay_sign(app->pay_test_key, body, n, want);
	if (!signature || strlen(signature) != 64 || sodium_memcmp(want, signature, 64) != 0)
		return kw_err_set(err, KW_EAUTH, "PAYMENT_SIGNATURE_INVALID", "REG-7",
		                  "the callback's signature does not verify");
	json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, NULL);
	const char *nonce = json_string_value(json_object_get(j, "nonce"));
	const char *ref = json_string_value(json_object_get(j, "provider_ref"));
	const char *st = json_string_value(json_object_get(j, "status"));
	json_t *pid = json_object_get(j, "payment_id"), *amt = json_object_get(j, "amount_cents"),
	       *ts = json_object_get(j, "timestamp");
	int rc = 0;
	if (!nonce || strlen(nonce) < 16 || strlen(nonce) > 64 || !ref || strlen(ref) > 64 || !st ||
	    strcmp(st, "paid") != 0 || !json_is_integer(pid) || !json_is_integer(amt) ||
	    !json_is_integer(ts))
		rc = kw_err_set(err, KW_EINVAL, "CALLBACK_INVALID", "REG-7",
		                "the callback lacks payment_id, provider_ref, amount_cents, status "
		                "paid, nonce or timestamp");
	int64_t now = kw_clock_now_us();
	if (!rc) {
		int64_t t = json_integer_value(ts) * 1000000;
		if (t < now - CALLBACK_WINDOW_US || t > now + CALLBACK_WINDOW_US)
			rc = kw_err_set(err, KW_ERULE, "CALLBACK_STALE", "REG-7",
			                "the callback's timestamp is too far from now");
	}
	if (!rc) {
		unsigned char h[32];
		char digest[65];
		crypto_generichash(h, sizeof h, (const unsigned char *)body, n, NULL, 0);
		sodium_bin2hex(digest, sizeof digest, h, sizeof h);
		struct state_job sj = {.id = json_integer_value(pid),
		                       .amount = json_integer_value(amt),
		                       .to = "paid",
		                       .from = "pending",
		                       .ref = ref,
		                       .provider = provider,
		                       .nonce = nonce,
		                       .digest = digest,
		                       .action = "payment.paid"};
		rc = kw_writer_run(app->writer, state_job, &sj, actor, err);
		if (!rc) {
			struct kw_conn *c = kw_pool_get(app->pool);
			rc = load_payment(c, sj.id, out, NULL, err);
			kw_pool_put(app->pool, c);
		}
	}
	json_decref(j);
	return rc;
}

int kw_pay_test_pay(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, json_t **out, struct kw_err *err)
{
	json_t *p = NULL;
	int64_t reg = 0;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = load_payment(c, id, &p, &reg, err);
	if (!rc)
		rc = kw_reg_reach(c, s, reg, "registration.read", err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(json_string_value(json_object_get(p, "provider")), "test") != 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such test payment");
	if (rc) {
		json_decref(p);
		return rc;
	}
	unsigned char rnd[16];
	char nonce[33], ref[48];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(nonce, sizeof nonce, rnd, sizeof rnd);
	snprintf(ref, sizeof ref, "TEST-%lld-%.8s", (long long)id, nonce);
	json_t *cb = json_pack("{s:I, s:s, s:O, s:s, s:s, s:I}", "payment_id", (json_int_t)id,
	                       "provider_ref", ref, "amount_cents",
	                       json_object_get(p, "amount_cents"), "status", "paid", "nonce", nonce,
	                       "timestamp", (json_int_t)(kw_clock_now_us() / 1000000));
	json_decref(p);
	char *body = json_dumps(cb, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(cb);
	char sig[65];
	kw_pay_sign(app->pay_test_key, body, strlen(body), sig);
	rc = kw_pay_callback(app, actor, "test", body, strlen(body), sig, out, err);
	free(body);
	return rc;
}

/* Staff actions reach the order through its registration's unit. */
static int staff_state(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, const char *action,
                       struct state_job *sj, json_t **out, struct kw_err *err)
{
	json_t *p = NULL;
	int64_t reg = 0;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = load_payment(c, id, &p, &reg, err);
	json_decref(p);
	if (!rc)
		rc = kw_reg_reach(c, s, reg, "registration.read", err);
	if (!rc) {
		rc = kw_reg_reach(c, s, reg, action, err);
		if (rc == KW_ENOTFOUND)
			rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "not allowed: %s",
			                action);
	}
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, state_job, sj, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = load_payment(c, id, out, NULL, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

static int text_ok(const char *t, size_t max)
{
	if (!t || !*t || strlen(t) > max)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t < 0x20)
			return 0;
	return 1;
}

static int field_required(const char *field, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "%s is required", field);
	kw_err_detail(err, "fields",
	              json_pack("[{s:s, s:s}]", "field", field, "problem", "required"));
	return rc;
}

int kw_pay_confirm(struct kw_app *app, const struct kw_actor *actor,
                   const struct kw_session_info *s, int64_t id, const char *bank_ref, json_t **out,
                   struct kw_err *err)
{
	if (!text_ok(bank_ref, 64))
		return field_required("bank_ref", err);
	struct state_job sj = {.id = id,
	                       .staff = s->user.id,
	                       .to = "paid",
	                       .from = "pending",
	                       .ref = bank_ref,
	                       .action = "payment.confirm"};
	return staff_state(app, actor, s, id, "payment.confirm", &sj, out, err);
}

int kw_pay_refund(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                  int64_t id, const char *reason, json_t **out, struct kw_err *err)
{
	if (!text_ok(reason, 1000))
		return field_required("reason", err);
	struct state_job sj = {.id = id,
	                       .staff = s->user.id,
	                       .to = "refunded",
	                       .from = "paid",
	                       .ref = reason,
	                       .action = "payment.refund"};
	return staff_state(app, actor, s, id, "payment.refund", &sj, out, err);
}
