/*
 * The application: use cases over the store. Handlers and subcommands call these;
 * authorisation, audit and maker-checker are enforced here (from the identity issue on).
 */
#ifndef KW_APP_APP_H
#define KW_APP_APP_H

#include <jansson.h>

#include "store/store.h"
#include "util/err.h"

struct kw_writer;
struct kw_session_cache;
struct kw_stats_cache;
struct kw_pub_cache;
struct kw_live;
struct kw_memo;

struct kw_app {
	char *db_url;
	struct kw_pool *pool;
	struct kw_writer *writer;
	struct kw_session_cache *sessions;
	struct kw_stats_cache *stats; /* public figures, rendered (stats.c) */
	struct kw_pub_cache *pubs;    /* published scores' look-up records (publish.c) */
	struct kw_live *live;         /* the command views in memory (live.c) */
	struct kw_memo *memo;         /* facts readers keep (util/memo.h: sittings, readiness) */
	const char *driver;           /* "sqlite" / "postgresql" */
	int schema_version;           /* after the migrations at open; they run only then */
	/* The test payment provider's HMAC key (pay.c): KAOWU_PAYMENT_TEST_SECRET, else random
	 * per process, so only this process's test provider can sign its callbacks. */
	unsigned char pay_test_key[32];
	/* Admission tickets' QR signing key (tickets.c), derived from the audit key; ok = 0 when
	 * the audit key could not be read (tickets are then refused). */
	unsigned char ticket_pk[32], ticket_sk[64];
	int ticket_key_ok;
	/* Certificates' QR signing key (certs.c), derived like the ticket key ("kaowu-certificate-
	 * v1"); valid when ticket_key_ok. */
	unsigned char cert_pk[32], cert_sk[64];
};

struct kw_app_config {
	int pool_size;        /* read connections (0 = 4) */
	const char *key_file; /* the audit signing key (NULL = the default for the URL) */
	size_t queue_max;     /* write queue bound (0 = 4096) */
};

/*
 * Opens the database of url: brings its schema up to date, opens the read pool and the
 * writer (with the audit key, which must exist: kaowu init creates it). An absent SQLite
 * file is refused.
 */
int kw_app_open(const char *url, const struct kw_app_config *cfg, struct kw_app **out,
                struct kw_err *err);
void kw_app_close(struct kw_app *app); /* NULL-safe */

/*
 * Health: the database answers (one round trip). *out =
 * {"status":"ok","version","database","schema_version"}; KW_EUNAVAILABLE when the
 * database does not answer.
 */
int kw_app_health(struct kw_app *app, json_t **out, struct kw_err *err);

/* A process rule set's parameters, resolved from kaowu's defaults (core/params.h over the
 * embedded params.json and rulesets.json): {name: {value, …}}. */
int kw_app_rule_params(const char *ruleset, json_t **out, struct kw_err *err);
/* A resolved parameter's value, or dflt when it is absent or not an integer. */
int kw_app_param_int(const json_t *params, const char *name, int dflt);

#endif
