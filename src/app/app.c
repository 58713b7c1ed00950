#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>

#include "app/audit.h"
#include "app/identity_int.h"
#include "app/live.h"
#include "app/pay.h"
#include "app/publish.h"
#include "app/stats.h"
#include "app/writer.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/memo.h"
#include "core/params.h"

int kw_app_open(const char *url, const struct kw_app_config *cfg, struct kw_app **out,
                struct kw_err *err)
{
	struct kw_app *app = kw_xcalloc(1, sizeof *app);
	char key[4096];
	if (cfg && cfg->key_file)
		snprintf(key, sizeof key, "%s", cfg->key_file);
	else
		kw_audit_key_path(url, key, sizeof key);
	int pool_size = cfg && cfg->pool_size ? cfg->pool_size : 4;
	struct kw_conn *c = NULL;
	int rc = kw_conn_open(url, 0, &c, err);
	if (rc)
		goto out;
	rc = kw_store_migrate(c, err);
	if (!rc)
		rc = kw_store_schema_version(c, &app->schema_version, err);
	if (rc)
		goto out;
	kw_conn_close(c);
	c = NULL;
	rc = kw_pool_open(url, pool_size, &app->pool, err);
	if (rc)
		goto out;
	struct kw_writer_config wc = {.queue_max = cfg ? cfg->queue_max : 0, .key_file = key};
	rc = kw_writer_open(url, &wc, &app->writer, err);
	if (rc)
		goto out;
	app->sessions = kw__session_cache_new();
	app->stats = kw_stats_cache_new();
	app->pubs = kw_pub_cache_new();
	app->live = kw_live_new();
	/* 60 s: how long a change written by another process may go unseen */
	app->memo = kw_memo_new(65536, INT64_C(60000000));
	kw_pay_key_init(app->pay_test_key, getenv("KAOWU_PAYMENT_TEST_SECRET"));
	{
		struct kw_audit_key *k = NULL;
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_audit_key_load(key, &k, &e2) == 0) {
			kw_audit_key_derive(k, "kaowu-ticket-v1", app->ticket_pk, app->ticket_sk);
			kw_audit_key_derive(k, "kaowu-certificate-v1", app->cert_pk, app->cert_sk);
			app->ticket_key_ok = 1;
		}
		kw_audit_key_free(k);
		kw_err_release(&e2);
	}
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
	kw_writer_close(app->writer);
	kw_pub_cache_free(app->pubs); /* waits for a look-up refresh still using the pool */
	kw_live_free(app->live);
	kw_memo_free(app->memo);
	kw_pool_close(app->pool);
	kw__session_cache_free(app->sessions);
	kw_stats_cache_free(app->stats);
	free(app->db_url);
	free(app);
}

int kw_op_run(struct kw_app *app, const struct kw_actor *actor, struct kw_op *op, json_t **out,
              struct kw_err *err)
{
	int rc = kw_writer_run(app->writer, op->job, op->arg, actor, err);
	if (!rc && op->answer)
		rc = op->answer(app, op->arg, out, err);
	if (op->release)
		op->release(op->arg);
	op->arg = NULL;
	return rc;
}

int kw_app_health(struct kw_app *app, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_conn_ping(c, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		if (rc != KW_EUNAVAILABLE)
			rc = kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
			                "the database does not answer");
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:i}", "status", "ok", "version", KW_VERSION, "database",
	                 app->driver, "schema_version", app->schema_version);
	return 0;
}

static json_t *embedded_key(const char *name, const char *key)
{
	const struct kw_embedded *e = kw_embedded_find(name);
	json_t *j = e ? json_loadb(e->data, e->len, 0, NULL) : NULL;
	json_t *v = json_incref(json_object_get(j, key));
	json_decref(j);
	return v;
}

int kw_app_rule_params(const char *ruleset, json_t **out, struct kw_err *err)
{
	json_t *defs = embedded_key("params.json", "params");
	json_t *sets = embedded_key("rulesets.json", "rulesets");
	int rc = kw_params_resolve(defs, sets, ruleset, NULL, NULL, out, err);
	json_decref(defs);
	json_decref(sets);
	return rc;
}

int kw_app_param_int(const json_t *params, const char *name, int dflt)
{
	const json_t *v = json_object_get(json_object_get(params, name), "value");
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}
