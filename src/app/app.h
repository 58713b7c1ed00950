/*
 * The application: use cases over the store. Handlers and subcommands call these;
 * authorisation, audit and maker-checker are enforced here (from the identity issue on).
 */
#ifndef KW_APP_APP_H
#define KW_APP_APP_H

#include <jansson.h>

#include "store/store.h"
#include "util/err.h"

struct kw_app {
	char *db_url;
	struct kw_pool *pool;
	const char *driver; /* "sqlite" / "postgresql" */
};

/*
 * Opens the database of url with pool_size connections and brings its schema up to
 * date. An absent SQLite file is refused (kaowu init creates it).
 */
int kw_app_open(const char *url, int pool_size, struct kw_app **out, struct kw_err *err);
void kw_app_close(struct kw_app *app); /* NULL-safe */

/*
 * Health: the database answers and its schema is current. *out =
 * {"status":"ok","version","database","schema_version"}; KW_EUNAVAILABLE when the
 * database does not answer.
 */
int kw_app_health(struct kw_app *app, json_t **out, struct kw_err *err);

#endif
