#include "app/identity.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/identity_int.h"
#include "core/mask.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

/* Login policy (security settings, not SPEC rule numbers). */
static const struct {
	int account_failures, address_failures;
	int64_t window_us, lock_us, session_us, cache_us;
} policy = {
        .account_failures = 5,
        .address_failures = 30,
        .window_us = INT64_C(15) * 60 * 1000000,
        .lock_us = INT64_C(15) * 60 * 1000000,
        .session_us = INT64_C(12) * 3600 * 1000000,
        .cache_us = INT64_C(10) * 1000000, /* another server's logout is honoured within this */
};

/* ---- small helpers ---- */

static void token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

void kw_csrf_of(const char *token, char csrf[KW_CSRF_HEX])
{
	unsigned char h[16];
	size_t n = strlen(token);
	if (n > crypto_generichash_KEYBYTES_MAX)
		n = crypto_generichash_KEYBYTES_MAX;
	crypto_generichash(h, sizeof h, (const unsigned char *)"kaowu-csrf-v1", 13,
	                   (const unsigned char *)token, n);
	sodium_bin2hex(csrf, KW_CSRF_HEX, h, sizeof h);
}

int kw_csrf_ok(const char *token, const char *presented)
{
	char want[KW_CSRF_HEX];
	kw_csrf_of(token, want);
	return presented && strlen(presented) == KW_CSRF_HEX - 1 &&
	       sodium_memcmp(want, presented, KW_CSRF_HEX - 1) == 0;
}

static int step_done(struct kw_stmt *s, struct kw_err *err)
{
	int rc = kw_stmt_step(s, err);
	return rc == KW_DONE || rc == KW_ROW ? 0 : rc;
}

/* ---- validation ---- */

static int username_ok(const char *u)
{
	size_t n = strlen(u);
	if (n < 3 || n > 32 || !(u[0] >= 'a' && u[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

int kw_user_validate(const struct kw_user_new *u, struct kw_err *err)
{
	json_t *fields = json_array();
	if (!u->username || !username_ok(u->username))
		json_array_append_new(
		        fields, json_pack("{s:s, s:s}", "field", "username", "problem", "format"));
	size_t dn = u->display_name ? strlen(u->display_name) : 0;
	if (dn == 0 || dn > 190 || !kw_utf8_valid(u->display_name, dn))
		json_array_append_new(fields, json_pack("{s:s, s:s}", "field", "display_name",
		                                        "problem", dn ? "too_long" : "required"));
	size_t pn = u->password ? strlen(u->password) : 0;
	if (pn < 10)
		json_array_append_new(fields, json_pack("{s:s, s:s, s:i}", "field", "password",
		                                        "problem", "too_short", "min", 10));
	else if (pn > 256)
		json_array_append_new(fields, json_pack("{s:s, s:s, s:i}", "field", "password",
		                                        "problem", "too_long", "max", 256));
	if (json_array_size(fields) == 0) {
		json_decref(fields);
		return 0;
	}
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
	                    "the new account is not valid");
	kw_err_detail(err, "fields", fields);
	return rc;
}

/* ---- creating accounts ---- */

struct add_job {
	const struct kw_user_new *u;
	const char *role;
	const char *hash;
	struct kw_user *out;
};

/* The root unit's id, creating it on first use. */
static int root_unit(struct kw_tx *tx, int64_t *id, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id "
	                         "LIMIT 1",
	                         &s, err);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*id = kw_stmt_column_int64(s, 0);
			kw_stmt_finalize(s);
			return 0;
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;
	char now[32];
	kw_clock_format(tx->now_us, now);
	rc = kw_conn_prepare(
	        tx->conn,
	        "INSERT INTO units (code, name, kind, level, parent_id, created_at) "
	        "VALUES ('root', '人事考试中心', 'national_centre', 'national', NULL, $1) "
	        "RETURNING id",
	        &s, err);
	if (!rc)
		rc = kw_stmt_bind_textz(s, 1, now);
	if (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		*id = kw_stmt_column_int64(s, 0);
		rc = 0;
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = kw_audit_append(tx, "unit.create", "units", *id, NULL, err);
	return rc;
}

static int add_user_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct add_job *a = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(tx->conn,
	                        "INSERT INTO users (username, display_name, password_hash, status, "
	                        "created_at, updated_at) VALUES ($1, $2, $3, 'active', $4, $4) "
	                        "RETURNING id",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, a->u->username);
		kw_stmt_bind_textz(s, 2, a->u->display_name);
		kw_stmt_bind_textz(s, 3, a->hash);
		kw_stmt_bind_textz(s, 4, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			a->out->id = kw_stmt_column_int64(s, 0);
			rc = 0;
		} else if (rc == KW_ECONFLICT) {
			rc = kw_err_set(err, KW_ECONFLICT, "USERNAME_TAKEN", NULL,
			                "the username is taken");
			kw_err_detail(err, "username", json_string(a->u->username));
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc)
		return rc;
	json_t *d = json_pack("{s:s, s:s}", "username", a->u->username, "display_name",
	                      a->u->display_name);
	rc = kw_audit_append(tx, "user.create", "users", a->out->id, d, err);
	json_decref(d);
	if (rc || !a->role)
		return rc;
	int64_t unit = 0;
	rc = root_unit(tx, &unit, err);
	if (rc)
		return rc;
	rc = kw_conn_prepare(tx->conn,
	                     "INSERT INTO grants (user_id, role, unit_id, created_at) "
	                     "VALUES ($1, $2, $3, $4) RETURNING id",
	                     &s, err);
	int64_t gid = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, a->out->id);
		kw_stmt_bind_textz(s, 2, a->role);
		kw_stmt_bind_int64(s, 3, unit);
		kw_stmt_bind_textz(s, 4, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			gid = kw_stmt_column_int64(s, 0);
			rc = 0;
		}
	}
	kw_stmt_finalize(s);
	if (rc)
		return rc;
	d = json_pack("{s:s, s:I, s:s}", "role", a->role, "unit_id", (json_int_t)unit, "via",
	              "operator on the server host");
	rc = kw_audit_append(tx, "grant.create", "grants", gid, d, err);
	json_decref(d);
	return rc;
}

int kw_app_user_add(struct kw_app *app, const struct kw_actor *actor, const struct kw_user_new *u,
                    const char *role, struct kw_user *out, struct kw_err *err)
{
	int rc = kw_user_validate(u, err);
	if (rc)
		return rc;
	if (role && strcmp(role, "admin") != 0)
		return kw_err_set(
		        err, KW_EINVAL, "ROLE_INVALID", NULL,
		        "only the admin role is granted here; other roles go through approvals");
	char hash[crypto_pwhash_STRBYTES];
	if (kw_pwhash(hash, u->password) != 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "password hashing failed");
	memset(out, 0, sizeof *out);
	struct add_job a = {u, role, hash, out};
	rc = kw_writer_run(app->writer, add_user_job, &a, actor, err);
	if (!rc) {
		snprintf(out->username, sizeof out->username, "%s", u->username);
		snprintf(out->display_name, sizeof out->display_name, "%s", u->display_name);
		snprintf(out->status, sizeof out->status, "active");
		out->is_admin = role != NULL;
	}
	return rc;
}

/* ---- the session cache ---- */

#define CACHE_SLOTS 4096

struct slot {
	char hash[65];
	struct kw_session_info info;
	int64_t cached_us;
	uint64_t gen;
};

struct kw_session_cache {
	pthread_mutex_t mu;
	_Atomic uint64_t gen; /* bumped by every revocation in this process */
	struct slot slots[CACHE_SLOTS];
};

struct kw_session_cache *kw__session_cache_new(void)
{
	struct kw_session_cache *c = kw_xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	atomic_init(&c->gen, 1);
	return c;
}

void kw__session_cache_free(struct kw_session_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static size_t slot_of(const char *hash)
{
	unsigned v = 0;
	for (int i = 0; i < 8; i++)
		v = v * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return v % CACHE_SLOTS;
}

static int cache_get(struct kw_session_cache *c, const char *hash, int64_t now,
                     struct kw_session_info *info)
{
	int hit = 0;
	uint64_t gen = atomic_load(&c->gen);
	pthread_mutex_lock(&c->mu);
	struct slot *s = &c->slots[slot_of(hash)];
	if (strcmp(s->hash, hash) == 0 && s->gen == gen && now < s->info.expires_us &&
	    now - s->cached_us < policy.cache_us) {
		*info = s->info;
		hit = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return hit;
}

static void cache_put(struct kw_session_cache *c, const char *hash, uint64_t gen, int64_t now,
                      const struct kw_session_info *info)
{
	pthread_mutex_lock(&c->mu);
	struct slot *s = &c->slots[slot_of(hash)];
	memcpy(s->hash, hash, 65);
	s->info = *info;
	s->cached_us = now;
	s->gen = gen;
	pthread_mutex_unlock(&c->mu);
}

static void cache_revoke(struct kw_session_cache *c)
{
	atomic_fetch_add(&c->gen, 1);
}

void kw_app_sessions_changed(struct kw_app *app)
{
	cache_revoke(app->sessions);
}

/* ---- grants ---- */

int kw_app_load_grants(struct kw_conn *c, int64_t user_id, struct kw_session_info *info,
                       struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	info->ngrants = 0;
	info->user.is_admin = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT id, role, unit_id, exam_id, valid_from, valid_to FROM grants "
	        "WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
	        &s, err);
	if (!rc)
		rc = kw_stmt_bind_int64(s, 1, user_id);
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		rc = 0;
		if (info->ngrants == KW_MAX_GRANTS)
			continue;
		struct kw_grant *g = &info->grants[info->ngrants++];
		memset(g, 0, sizeof *g);
		g->id = kw_stmt_column_int64(s, 0);
		snprintf(g->role, sizeof g->role, "%s", kw_stmt_column_text(s, 1, NULL));
		g->unit_id = kw_stmt_column_int64(s, 2);
		g->exam_id = kw_stmt_column_int64(s, 3);
		if (!kw_stmt_column_is_null(s, 4))
			kw_clock_parse(kw_stmt_column_text(s, 4, NULL), &g->from_us);
		if (!kw_stmt_column_is_null(s, 5))
			kw_clock_parse(kw_stmt_column_text(s, 5, NULL), &g->to_us);
		if (strcmp(g->role, "admin") == 0)
			info->user.is_admin = 1;
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(s);
	return rc;
}

int kw_app_session_of(struct kw_conn *c, const char *username, struct kw_session_info *info,
                      struct kw_err *err)
{
	memset(info, 0, sizeof *info);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, username, display_name, status FROM users WHERE "
	                         "username = $1 AND status = 'active'",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, username ? username : "");
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			info->user.id = kw_stmt_column_int64(s, 0);
			snprintf(info->user.username, sizeof info->user.username, "%s",
			         kw_stmt_column_text(s, 1, NULL));
			snprintf(info->user.display_name, sizeof info->user.display_name, "%s",
			         kw_stmt_column_text(s, 2, NULL));
			snprintf(info->user.status, sizeof info->user.status, "%s",
			         kw_stmt_column_text(s, 3, NULL));
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no active account %s", username ? username : "");
		}
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = kw_app_load_grants(c, info->user.id, info, err);
	return rc;
}

/* ---- logging in ---- */

static int throttle_locked(struct kw_conn *c, const char *key, int64_t now, int64_t *until,
                           struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*until = 0;
	int rc = kw_conn_prepare(c, "SELECT locked_until_us FROM login_throttle WHERE key = $1", &s,
	                         err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, key);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW && kw_stmt_column_int64(s, 0) > now)
			*until = kw_stmt_column_int64(s, 0);
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

static int throttle_bump(struct kw_tx *tx, const char *key, int limit, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int64_t now = tx->now_us, window = now - policy.window_us;
	int rc = kw_conn_prepare(
	        tx->conn,
	        "INSERT INTO login_throttle (key, failures, window_start_us, locked_until_us) "
	        "VALUES ($1, 1, $2, 0) ON CONFLICT (key) DO UPDATE SET "
	        "failures = CASE WHEN login_throttle.window_start_us < $3 THEN 1 "
	        "ELSE login_throttle.failures + 1 END, "
	        "window_start_us = CASE WHEN login_throttle.window_start_us < $3 THEN $2 "
	        "ELSE login_throttle.window_start_us END",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, key);
		kw_stmt_bind_int64(s, 2, now);
		kw_stmt_bind_int64(s, 3, window);
		rc = step_done(s, err);
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(tx->conn,
		                     "UPDATE login_throttle SET locked_until_us = $2 "
		                     "WHERE key = $1 AND failures >= $3",
		                     &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, key);
		kw_stmt_bind_int64(s, 2, now + policy.lock_us);
		kw_stmt_bind_int64(s, 3, limit);
		rc = step_done(s, err);
	}
	kw_stmt_finalize(s);
	return rc;
}

struct login_job {
	const char *key; /* the account's throttle key: "u:<username>" or "c:<digest>" */
	const char *who; /* the account in the audit: a username or a masked number */
	const char *address;
	const char *reason; /* refusals: "password", "disabled", "throttled" */
	int candidate;      /* a candidate's login (candidate_sessions) */
	int64_t user_id;    /* users.id or candidates.id */
	const char *token_hash;
	int64_t expires_us;
	int64_t session_id;
};

static int denied_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct login_job *a = arg;
	char ka[128];
	snprintf(ka, sizeof ka, "a:%s", a->address);
	int rc = 0;
	if (strcmp(a->reason, "throttled") != 0) {
		rc = throttle_bump(tx, a->key, policy.account_failures, err);
		if (!rc)
			rc = throttle_bump(tx, ka, policy.address_failures, err);
	}
	if (rc)
		return rc;
	json_t *d = json_pack("{s:s, s:s, s:s}", a->candidate ? "candidate" : "username", a->who,
	                      "address", a->address, "reason", a->reason);
	rc = kw_audit_append(tx, a->candidate ? "candidate_session.denied" : "session.denied", NULL,
	                     0, d, err);
	json_decref(d);
	return rc;
}

static int login_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct login_job *a = arg;
	char now[32], exp[32];
	kw_clock_format(tx->now_us, now);
	a->expires_us = tx->now_us + policy.session_us;
	kw_clock_format(a->expires_us, exp);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        tx->conn,
	        a->candidate
	                ? "INSERT INTO candidate_sessions (token_hash, candidate_id, created_at, "
	                  "expires_at) VALUES ($1, $2, $3, $4) RETURNING id"
	                : "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
	                  "VALUES ($1, $2, $3, $4) RETURNING id",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, a->token_hash);
		kw_stmt_bind_int64(s, 2, a->user_id);
		kw_stmt_bind_textz(s, 3, now);
		kw_stmt_bind_textz(s, 4, exp);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			a->session_id = kw_stmt_column_int64(s, 0);
			rc = 0;
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(tx->conn, "DELETE FROM login_throttle WHERE key = $1", &s,
		                     err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, a->key);
		rc = step_done(s, err);
	}
	kw_stmt_finalize(s);
	if (rc)
		return rc;
	json_t *d = json_pack("{s:s}", "address", a->address);
	rc = kw_audit_append(tx, a->candidate ? "candidate_session.create" : "session.create",
	                     a->candidate ? "candidate_sessions" : "sessions", a->session_id, d,
	                     err);
	json_decref(d);
	return rc;
}

/* The user row by name: 0 and *found; hash into hash[]. */
static int load_user(struct kw_conn *c, const char *username, struct kw_user *u, char *hash,
                     size_t hn, int *found, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*found = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT u.id, u.display_name, u.status, u.password_hash, "
	                         "(SELECT count(*) FROM grants g WHERE g.user_id = u.id AND "
	                         "g.role = 'admin' AND g.revoked_at IS NULL) "
	                         "FROM users u WHERE u.username = $1",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, username);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*found = 1;
			u->id = kw_stmt_column_int64(s, 0);
			snprintf(u->username, sizeof u->username, "%s", username);
			snprintf(u->display_name, sizeof u->display_name, "%s",
			         kw_stmt_column_text(s, 1, NULL));
			snprintf(u->status, sizeof u->status, "%s",
			         kw_stmt_column_text(s, 2, NULL));
			snprintf(hash, hn, "%s", kw_stmt_column_text(s, 3, NULL));
			u->is_admin = kw_stmt_column_int64(s, 4) > 0;
		}
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

/* A candidate's row by document: as load_user; username = the masked number. */
static int load_candidate(struct kw_conn *c, const char *id_type, const char *id_number,
                          struct kw_user *u, char *hash, size_t hn, int *found, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*found = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, name, status, password_hash FROM candidates "
	                         "WHERE id_type = $1 AND id_number = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, id_type);
		kw_stmt_bind_textz(s, 2, id_number);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*found = 1;
			u->id = kw_stmt_column_int64(s, 0);
			kw_mask_id_number(id_number, u->username, sizeof u->username);
			snprintf(u->display_name, sizeof u->display_name, "%s",
			         kw_stmt_column_text(s, 1, NULL));
			snprintf(u->status, sizeof u->status, "%s",
			         kw_stmt_column_text(s, 2, NULL));
			snprintf(hash, hn, "%s", kw_stmt_column_text(s, 3, NULL));
		}
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_pwhash(char out[128], const char *password)
{
	_Static_assert(crypto_pwhash_STRBYTES == 128, "kw_pwhash's buffer");
	unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
#ifdef KW_TESTING
	const char *fast = getenv("KAOWU_TEST_FAST_PWHASH");
	if (fast && strcmp(fast, "1") == 0) {
		ops = crypto_pwhash_OPSLIMIT_MIN;
		mem = crypto_pwhash_MEMLIMIT_MIN;
	}
#endif
	return crypto_pwhash_str(out, password, strlen(password), ops, mem) == 0 ? 0 : -1;
}

static char dummy[crypto_pwhash_STRBYTES];
static void make_dummy(void)
{
	if (kw_pwhash(dummy, "kaowu-no-such-user") != 0)
		dummy[0] = '\0';
}

/*
 * One login for both kinds of account: staff by username (id_type NULL), candidates by
 * identity document. The throttle key of a candidate is a digest of the document, so that
 * no identity number sits in the throttle table or the audit.
 */
static int login(struct kw_app *app, const struct kw_actor *actor, const char *id_type,
                 const char *name, const char *password, const char *address,
                 char token[KW_TOKEN_HEX], char csrf[KW_CSRF_HEX], struct kw_session_info *info,
                 struct kw_err *err)
{
	int cand = id_type != NULL;
	int64_t now = kw_clock_now_us();
	char ku[160], ka[128], who[128], hash[crypto_pwhash_STRBYTES] = "";
	if (cand) {
		unsigned char h[16];
		char hex[33];
		crypto_generichash_state st;
		crypto_generichash_init(&st, NULL, 0, sizeof h);
		crypto_generichash_update(&st, (const unsigned char *)id_type, strlen(id_type) + 1);
		crypto_generichash_update(&st, (const unsigned char *)name, strlen(name));
		crypto_generichash_final(&st, h, sizeof h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		snprintf(ku, sizeof ku, "c:%s", hex);
		kw_mask_id_number(name, who, sizeof who);
	} else {
		snprintf(ku, sizeof ku, "u:%s", name);
		snprintf(who, sizeof who, "%s", name);
	}
	snprintf(ka, sizeof ka, "a:%s", address ? address : "?");
	struct login_job job = {
	        .key = ku, .who = who, .address = address ? address : "?", .candidate = cand};
	struct kw_user u = {0};
	int found = 0;
	int64_t until_u = 0, until_a = 0;

	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = throttle_locked(c, ku, now, &until_u, err);
	if (!rc)
		rc = throttle_locked(c, ka, now, &until_a, err);
	if (!rc)
		rc = cand ? load_candidate(c, id_type, name, &u, hash, sizeof hash, &found, err)
		          : load_user(c, name, &u, hash, sizeof hash, &found, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;

	if (until_u || until_a) {
		int64_t until = until_u > until_a ? until_u : until_a;
		job.reason = "throttled";
		struct kw_err e2 = KW_ERR_INIT;
		kw_writer_run(app->writer, denied_job, &job, actor, &e2);
		kw_err_release(&e2);
		rc = kw_err_set(err, KW_ETHROTTLED, "LOGIN_THROTTLED", NULL,
		                "too many failed logins; locked for now");
		kw_err_detail(err, "retry_after", json_integer((until - now) / 1000000 + 1));
		return rc;
	}

	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_dummy);
	/* An unknown name costs the same time as a wrong password. */
	int ok = crypto_pwhash_str_verify(found ? hash : dummy, password, strlen(password)) == 0;
	sodium_memzero(hash, sizeof hash);
	if (!found || !ok || strcmp(u.status, "active") != 0) {
		job.reason = found && ok ? "disabled" : "password";
		struct kw_err e2 = KW_ERR_INIT;
		rc = kw_writer_run(app->writer, denied_job, &job, actor, &e2);
		if (rc) {
			kw_err_release(err);
			*err = e2;
			return rc;
		}
		return kw_err_set(err, KW_EAUTH, "LOGIN_FAILED", NULL,
		                  cand ? "wrong document number or password"
		                       : "wrong username or password");
	}

	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, KW_TOKEN_HEX, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	char th[65];
	token_hash(token, th);
	job.user_id = u.id;
	job.token_hash = th;
	rc = kw_writer_run(app->writer, login_job, &job, actor, err);
	if (rc) {
		sodium_memzero(token, KW_TOKEN_HEX);
		return rc;
	}
	kw_csrf_of(token, csrf);
	memset(info, 0, sizeof *info);
	info->session_id = job.session_id;
	info->expires_us = job.expires_us;
	if (cand) {
		info->candidate_id = u.id;
		u.id = 0;
	}
	info->user = u;
	if (!cand) {
		c = kw_pool_get(app->pool);
		rc = kw_app_load_grants(c, u.id, info, err);
		kw_pool_put(app->pool, c);
		if (rc)
			return rc;
	}
	cache_put(app->sessions, th, atomic_load(&app->sessions->gen), kw_clock_now_us(), info);
	return 0;
}

int kw_app_login(struct kw_app *app, const struct kw_actor *actor, const char *username,
                 const char *password, const char *address, char token[KW_TOKEN_HEX],
                 char csrf[KW_CSRF_HEX], struct kw_session_info *info, struct kw_err *err)
{
	return login(app, actor, NULL, username, password, address, token, csrf, info, err);
}

int kw_app_candidate_login(struct kw_app *app, const struct kw_actor *actor, const char *id_type,
                           const char *id_number, const char *password, const char *address,
                           char token[KW_TOKEN_HEX], char csrf[KW_CSRF_HEX],
                           struct kw_session_info *info, struct kw_err *err)
{
	return login(app, actor, id_type, id_number, password, address, token, csrf, info, err);
}

/* A candidate's session (kw_app_authenticate found no staff session with this hash). */
static int candidate_session(struct kw_conn *c, const char *th, int64_t now,
                             struct kw_session_info *info, int *found, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT s.id, s.expires_at, s.revoked_at, c.id, c.id_number, "
	                         "c.name, c.status FROM candidate_sessions s JOIN candidates c ON "
	                         "c.id = s.candidate_id WHERE s.token_hash = $1",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, th);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			int64_t exp = 0;
			memset(info, 0, sizeof *info);
			info->session_id = kw_stmt_column_int64(s, 0);
			*found = kw_clock_parse(kw_stmt_column_text(s, 1, NULL), &exp) == 0 &&
			         kw_stmt_column_is_null(s, 2) && exp > now &&
			         strcmp(kw_stmt_column_text(s, 6, NULL), "active") == 0;
			info->expires_us = exp;
			info->candidate_id = kw_stmt_column_int64(s, 3);
			kw_mask_id_number(kw_stmt_column_text(s, 4, NULL), info->user.username,
			                  sizeof info->user.username);
			snprintf(info->user.display_name, sizeof info->user.display_name, "%s",
			         kw_stmt_column_text(s, 5, NULL));
			snprintf(info->user.status, sizeof info->user.status, "%s",
			         kw_stmt_column_text(s, 6, NULL));
		}
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_app_authenticate(struct kw_app *app, const char *token, struct kw_session_info *info,
                        struct kw_err *err)
{
	size_t n = token ? strlen(token) : 0;
	if (n != KW_TOKEN_HEX - 1)
		return kw_err_set(err, KW_EAUTH, "SESSION_INVALID", NULL, "no valid session token");
	char th[65];
	token_hash(token, th);
	int64_t now = kw_clock_now_us();
	if (cache_get(app->sessions, th, now, info))
		return 0;
	uint64_t gen = atomic_load(&app->sessions->gen);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *s = NULL;
	int found = 0;
	info->session_id = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT s.id, s.expires_at, s.revoked_at, u.id, u.username, "
	                         "u.display_name, u.status, (SELECT count(*) FROM grants g WHERE "
	                         "g.user_id = u.id AND g.role = 'admin' AND g.revoked_at IS NULL) "
	                         "FROM sessions s JOIN users u ON u.id = s.user_id "
	                         "WHERE s.token_hash = $1",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, th);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			int64_t exp = 0;
			memset(info, 0, sizeof *info);
			info->session_id = kw_stmt_column_int64(s, 0);
			found = kw_clock_parse(kw_stmt_column_text(s, 1, NULL), &exp) == 0 &&
			        kw_stmt_column_is_null(s, 2) && exp > now &&
			        strcmp(kw_stmt_column_text(s, 6, NULL), "active") == 0;
			info->expires_us = exp;
			info->user.id = kw_stmt_column_int64(s, 3);
			snprintf(info->user.username, sizeof info->user.username, "%s",
			         kw_stmt_column_text(s, 4, NULL));
			snprintf(info->user.display_name, sizeof info->user.display_name, "%s",
			         kw_stmt_column_text(s, 5, NULL));
			snprintf(info->user.status, sizeof info->user.status, "%s",
			         kw_stmt_column_text(s, 6, NULL));
			info->user.is_admin = kw_stmt_column_int64(s, 7) > 0;
		}
		if (rc >= 0)
			rc = 0;
	}
	kw_stmt_finalize(s);
	if (!rc && found)
		rc = kw_app_load_grants(c, info->user.id, info, err);
	else if (!rc && !info->session_id)
		rc = candidate_session(c, th, now, info, &found, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	if (!found)
		return kw_err_set(err, KW_EAUTH, "SESSION_INVALID", NULL,
		                  "the session is unknown, expired or revoked");
	cache_put(app->sessions, th, gen, now, info);
	return 0;
}

struct logout_job {
	const char *token_hash;
	int64_t session_id;
	int candidate;
};

static int logout_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct logout_job *a = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         a->candidate
	                                 ? "UPDATE candidate_sessions SET revoked_at = $1 "
	                                   "WHERE token_hash = $2 AND revoked_at IS NULL "
	                                   "RETURNING id"
	                                 : "UPDATE sessions SET revoked_at = $1 WHERE "
	                                   "token_hash = $2 AND revoked_at IS NULL RETURNING id",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, now);
		kw_stmt_bind_textz(s, 2, a->token_hash);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			a->session_id = kw_stmt_column_int64(s, 0);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_EAUTH, "SESSION_INVALID", NULL,
			                "the session is unknown or already revoked");
		}
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = kw_audit_append(
		        tx, a->candidate ? "candidate_session.revoke" : "session.revoke",
		        a->candidate ? "candidate_sessions" : "sessions", a->session_id, NULL, err);
	return rc;
}

int kw_app_logout(struct kw_app *app, const struct kw_actor *actor, const char *token,
                  int candidate, struct kw_err *err)
{
	char th[65];
	token_hash(token, th);
	struct logout_job a = {th, 0, candidate};
	int rc = kw_writer_run(app->writer, logout_job, &a, actor, err);
	cache_revoke(app->sessions);
	return rc;
}
