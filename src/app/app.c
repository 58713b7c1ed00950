#include "app/app.h"

#include <stdlib.h>

#include "util/buf.h"

int kw_app_open(const char *url, int pool_size, struct kw_app **out, struct kw_err *err)
{
	struct kw_app *app = kw_xcalloc(1, sizeof *app);
	struct kw_conn *c = NULL;
	int rc = kw_conn_open(url, 0, &c, err);
	if (rc)
		goto out;
	rc = kw_store_migrate(c, err);
	if (rc)
		goto out;
	kw_conn_close(c);
	c = NULL;
	rc = kw_pool_open(url, pool_size, &app->pool, err);
	if (rc)
		goto out;
	app->db_url = kw_xstrdup(url);
	app->driver = kw_pool_driver_name(app->pool);
	*out = app;
	app = NULL;
out:
	kw_conn_close(c);
	kw_app_close(app);
	return rc;
}

void kw_app_close(struct kw_app *app)
{
	if (!app)
		return;
	kw_pool_close(app->pool);
	free(app->db_url);
	free(app);
}

int kw_app_health(struct kw_app *app, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int version = 0;
	int rc = kw_conn_ping(c, err);
	if (!rc)
		rc = kw_store_schema_version(c, &version, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		if (rc != KW_EUNAVAILABLE)
			rc = kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
			                "the database does not answer");
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:i}", "status", "ok", "version", KW_VERSION, "database",
	                 app->driver, "schema_version", version);
	return 0;
}
