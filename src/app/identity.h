/*
 * Accounts and sessions (staff now; candidates will share the login mechanism).
 *
 * Passwords: argon2id (libsodium crypto_pwhash_str, interactive limits), hashed on the
 * caller's thread, never on the writer's. Tokens: 256 random bits, given to the client
 * once; the database keeps BLAKE2b-256(token). Reads authenticate from an in-process cache
 * (token hash → session) that honours a revocation generation, so most requests need no
 * database round trip. CSRF: a cookie-authenticated write must send X-CSRF-Token, which is
 * derived from the session token (BLAKE2b keyed by it), so the server stores nothing more.
 */
#ifndef KW_APP_IDENTITY_H
#define KW_APP_IDENTITY_H

#include <stdint.h>

#include "app/app.h"
#include "app/writer.h"

#define KW_TOKEN_HEX 65 /* 64 hex digits + NUL */
#define KW_CSRF_HEX  33

#define KW_MAX_GRANTS 32

/* One role held at a unit (and below), optionally for one exam, for a period. */
struct kw_grant {
	int64_t id;
	char role[40];
	int64_t unit_id;
	int64_t exam_id;        /* 0: every exam */
	int64_t from_us, to_us; /* 0: open */
};

struct kw_user {
	int64_t id;
	char username[64];
	char display_name[200];
	char status[16];
	int is_admin; /* holds the admin role (any unit) */
};

struct kw_session_info {
	int64_t session_id;
	int64_t candidate_id; /* a candidate's session: no grants; user.id 0, user.username the
	                         masked document number, user.display_name the name */
	int64_t expires_us;
	struct kw_user user;
	int ngrants;
	struct kw_grant grants[KW_MAX_GRANTS]; /* unrevoked, as of login or the cache's refresh */
};

/* Loads the unrevoked grants of user_id into info (and sets user.is_admin). */
int kw_app_load_grants(struct kw_conn *c, int64_t user_id, struct kw_session_info *info,
                       struct kw_err *err);

struct kw_user_new {
	const char *username;
	const char *display_name;
	const char *password;
};

/*
 * The session of an active staff account named username, with its grants, for work done on
 * the server host on that person's behalf (e.g. `kaowu score`): what they may do is what
 * their grants allow. NOT_FOUND when there is no such active account.
 */
int kw_app_session_of(struct kw_conn *c, const char *username, struct kw_session_info *info,
                      struct kw_err *err);

/* Checks the fields of a new account (VALIDATION_FAILED with details.fields). */
int kw_user_validate(const struct kw_user_new *u, struct kw_err *err);

/*
 * The argon2id hash of every password kaowu keeps (libsodium's interactive limits: 2 passes
 * over 64 MiB). Returns 0, or -1 when out of memory. Test builds only (KW_TESTING): with
 * KAOWU_TEST_FAST_PWHASH=1 in the environment the minimum limits are used instead, so that
 * e2e tests creating hundreds of candidates do not spend minutes hashing; the hash string
 * names its own limits, so verification is the same either way.
 */
int kw_pwhash(char out[128], const char *password);

/*
 * Creates an account; with role "admin", also grants it at the root unit (used by init and
 * `kaowu user add` on the server host, an operator action). Later grants go through
 * maker-checker. USERNAME_TAKEN (409) when the name exists.
 */
int kw_app_user_add(struct kw_app *app, const struct kw_actor *actor, const struct kw_user_new *u,
                    const char *role, struct kw_user *out, struct kw_err *err);

/*
 * Logs in. On success fills token (give it to the client once), csrf and info. Refusals:
 * LOGIN_FAILED (401, the same for an unknown name and a wrong password),
 * LOGIN_THROTTLED (429, details.retry_after seconds) after too many failures for the
 * account or the address. Every attempt is audited.
 */
int kw_app_login(struct kw_app *app, const struct kw_actor *actor, const char *username,
                 const char *password, const char *address, char token[KW_TOKEN_HEX],
                 char csrf[KW_CSRF_HEX], struct kw_session_info *info, struct kw_err *err);

/*
 * A candidate's login by identity document (REG-4): the same tokens, cookie, throttles and
 * audit as staff logins; info->candidate_id is set. LOGIN_FAILED for an unknown document.
 */
int kw_app_candidate_login(struct kw_app *app, const struct kw_actor *actor, const char *id_type,
                           const char *id_number, const char *password, const char *address,
                           char token[KW_TOKEN_HEX], char csrf[KW_CSRF_HEX],
                           struct kw_session_info *info, struct kw_err *err);

/* The session of a token: 0, or KW_EAUTH (SESSION_INVALID) when unknown, expired or revoked. */
int kw_app_authenticate(struct kw_app *app, const char *token, struct kw_session_info *info,
                        struct kw_err *err);

/* Revokes the session of token (logout; candidate: a candidate's session); audited. */
int kw_app_logout(struct kw_app *app, const struct kw_actor *actor, const char *token,
                  int candidate, struct kw_err *err);

/* Grants or accounts changed: cached sessions of this process reload at their next use. */
void kw_app_sessions_changed(struct kw_app *app);

/* The CSRF token of a session token. */
void kw_csrf_of(const char *token, char csrf[KW_CSRF_HEX]);

/* Compares a presented CSRF token with the session's, in constant time. */
int kw_csrf_ok(const char *token, const char *presented);

#endif
