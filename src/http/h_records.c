/*
 * The registers of records.h over HTTP: one set of handlers for every kind; the kind is the
 * path's first segment after /api/v1/ (its table name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/authz.h"
#include "app/records.h"
#include "app/venues.h"
#include "http/http.h"
#include "util/buf.h"
#include "util/i18n.h"

static const struct kw_kind *kind_of(struct kw_req *req)
{
	const char *p = req->path + strlen("/api/v1/");
	char table[64];
	size_t n = strcspn(p, "/");
	if (n >= sizeof table)
		return NULL;
	memcpy(table, p, n);
	table[n] = '\0';
	return kw_kind_by_table(table);
}

#define KIND_OR_FAIL(k)                                                                            \
	const struct kw_kind *k = kind_of(req);                                                    \
	if (!k)                                                                                    \
	return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such register")

/* The request's query arguments, as pairs (MHD decodes them). */
struct query_args {
	const char *keys[32], *vals[32];
	int n, too_many;
	const char *names[16], *values[16];
	struct kw_rec_query q;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
	(void)kind;
	struct query_args *a = cls;
	if (a->n == 32) {
		a->too_many = 1;
		return MHD_NO;
	}
	a->keys[a->n] = key;
	a->vals[a->n++] = value;
	return MHD_YES;
}

static int parse_query(struct kw_req *req, const struct kw_kind *k, struct query_args *a,
                       int max_limit, struct kw_err *err)
{
	memset(a, 0, sizeof *a);
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, collect, a);
	if (a->too_many)
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "too many arguments");
	return kw_rec_query_parse(k, a->keys, a->vals, a->n, max_limit, &a->q, a->names, a->values,
	                          16, err);
}

int kw_h_rec_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	KIND_OR_FAIL(k);
	const char *format = kw_query(req, "format");
	int xlsx = format && strcmp(format, "xlsx") == 0;
	if (format && !xlsx && strcmp(format, "json") != 0)
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "format is json or xlsx");
	struct query_args a;
	int rc = parse_query(req, k, &a, xlsx ? 100000 : 1000, err);
	if (rc)
		return rc;
	if (!xlsx)
		return kw_rec_list(req->app, &req->session, k, &a.q, &resp->json, err);
	if (!kw_query(req, "limit"))
		a.q.limit = 100000;
	rc = kw_rec_export_xlsx(req->app, &req->session, k, &a.q, req->lang, &resp->raw,
	                        &resp->raw_len, err);
	if (rc)
		return rc;
	resp->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	kw_resp_header(resp, "Content-Disposition", "attachment; filename=\"%s.xlsx\"", k->table);
	kw_resp_header(resp, "Cache-Control", "no-store");
	return 0;
}

int kw_h_rec_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	KIND_OR_FAIL(k);
	int64_t id;
	char etag[70];
	int rc = kw_param_id(req, 0, &id, err);
	if (!rc)
		rc = kw_rec_get(req->app, &req->session, k, id, &resp->json, etag, err);
	if (!rc) {
		kw_resp_header(resp, "ETag", "%s", etag);
		kw_resp_header(resp, "Cache-Control", "no-store");
	}
	return rc;
}

static void write_free(void *p)
{
	kw_rec_write_free(p);
}

/* After the commit: the record as it is now, with its ETag. */
static int written(struct kw_req *req, struct kw_resp *resp, int rc, struct kw_err *job_err,
                   struct kw_err *err)
{
	if (rc) {
		*err = *job_err;
		*job_err = (struct kw_err)KW_ERR_INIT;
		return rc;
	}
	const struct kw_kind *k = kind_of(req);
	struct kw_rec_write *w = req->scratch;
	int64_t approval = kw_rec_write_approval(w);
	if (approval) {
		/* Maker-checker: nothing is written until a second person approves (INF-4). */
		resp->status = 202;
		resp->json = json_pack("{s:I, s:s}", "approval_id", (json_int_t)approval, "status",
		                       "pending");
		kw_resp_header(resp, "Location", "/api/v1/approvals/%lld", (long long)approval);
		return 0;
	}
	int64_t id = kw_rec_write_id(w);
	char etag[70];
	rc = kw_rec_get(req->app, &req->session, k, id, &resp->json, etag, err);
	if (rc)
		return rc;
	kw_resp_header(resp, "ETag", "%s", etag);
	if (strcmp(req->method, "POST") == 0) {
		resp->status = 201;
		kw_resp_header(resp, "Location", "/api/v1/%s/%lld", k->table, (long long)id);
	}
	return 0;
}

static int rec_write(struct kw_req *req, const struct kw_kind *k, int64_t id, struct kw_resp *resp,
                     struct kw_err *err)
{
	struct kw_rec_write *w;
	const char *if_match = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "If-Match");
	int rc = kw_rec_write_prepare(req->app, &req->session, k, id, req->json, if_match, &w, err);
	if (rc)
		return rc;
	req->scratch = w;
	req->scratch_free = write_free;
	if ((k->flags & KW_KF_CHECKED) && kw_rec_write_changes_nothing(w)) {
		/* Maker-checker: nothing to ask for, nothing written (not even updated_at). */
		char etag[70];
		rc = kw_rec_get(req->app, &req->session, k, id, &resp->json, etag, err);
		if (!rc)
			kw_resp_header(resp, "ETag", "%s", etag);
		return rc;
	}
	return kw_http_defer(req, kw_rec_write_job, w, written, err);
}

int kw_h_rec_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	KIND_OR_FAIL(k);
	return rec_write(req, k, 0, resp, err);
}

int kw_h_rec_update(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	KIND_OR_FAIL(k);
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : rec_write(req, k, id, resp, err);
}

int kw_h_rec_history(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	KIND_OR_FAIL(k);
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	return rc ? rc : kw_rec_history(req->app, &req->session, k, id, &resp->json, err);
}

/* An import runs off the connection threads (it may check 100,000 rows). */
struct import_work {
	struct kw_app *app;
	struct kw_session_info session;
	struct kw_actor actor;
	const struct kw_kind *k;
	const char *data;
	size_t n;
	int dry_run;
	json_t *fixed; /* query parameters other than dry_run: values every row shares */
	char *grounds; /* a register under maker-checker: the grounds= parameter */
	json_t *out;
};

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
	(void)kind;
	if (strcmp(key, "dry_run") != 0)
		json_object_set_new(cls, key, json_string(value ? value : ""));
	return MHD_YES;
}

static int import_run(void *arg, struct kw_err *err)
{
	struct import_work *w = arg;
	return kw_rec_import(w->app, &w->session, &w->actor, w->k, w->data, w->n, w->fixed,
	                     w->grounds, w->dry_run, &w->out, err);
}

static int imported(struct kw_req *req, struct kw_resp *resp, int rc, struct kw_err *job_err,
                    struct kw_err *err)
{
	if (rc) {
		*err = *job_err;
		*job_err = (struct kw_err)KW_ERR_INIT;
		return rc;
	}
	struct import_work *w = req->scratch;
	json_int_t approval = json_integer_value(json_object_get(w->out, "approval_id"));
	resp->json = w->out;
	w->out = NULL;
	resp->status = w->dry_run ? 200 : approval ? 202 : 201;
	if (approval) /* maker-checker: the file waits for a second person (INF-4) */
		kw_resp_header(resp, "Location", "/api/v1/approvals/%lld", (long long)approval);
	return 0;
}

static void import_free(void *p)
{
	struct import_work *w = p;
	if (w) {
		json_decref(w->out);
		json_decref(w->fixed);
		free(w->grounds);
	}
	free(w);
}

int kw_h_rec_import(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)resp;
	KIND_OR_FAIL(k);
	const char *dry = kw_query(req, "dry_run");
	if (dry && strcmp(dry, "1") && strcmp(dry, "0") && strcmp(dry, "true") &&
	    strcmp(dry, "false"))
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "dry_run is 1 or 0");
	struct import_work *w = kw_xcalloc(1, sizeof *w);
	*w = (struct import_work){req->app,
	                          req->session,
	                          req->actor,
	                          k,
	                          req->body.buf,
	                          req->body.len,
	                          dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0),
	                          json_object(),
	                          NULL,
	                          NULL};
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_arg, w->fixed);
	if (k->flags & KW_KF_CHECKED) {
		/* The grounds of the change, not a value every row shares. */
		const char *g = kw_query(req, "grounds");
		w->grounds = g ? kw_xstrdup(g) : NULL;
		json_object_del(w->fixed, "grounds");
	}
	req->scratch = w;
	req->scratch_free = import_free;
	return kw_http_offload(req, import_run, w, imported, err);
}

/* ---- the registers' descriptions, for the console to build its tables and forms ---- */

static json_t *label(const char *lang, const char *key)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 256);
	json_t *v = kw_i18n_format(lang, key, NULL, &b) == 0 ? json_string(b.buf) : NULL;
	kw_buf_release(&b);
	return v;
}

static const char *const type_names[] = {"text", "enum", "date", "int", "bool", "ref", "time"};

int kw_h_registers(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)err;
	json_t *items = json_array();
	for (int i = 0; kw_kinds[i]; i++) {
		const struct kw_kind *k = kw_kinds[i];
		json_t *fields = json_array();
		for (int f = 0; f < k->nfields; f++) {
			const struct kw_field *fd = &k->fields[f];
			json_t *o =
			        json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "name", fd->name,
			                  "type", type_names[fd->type], "zh", fd->zh, "en", fd->en,
			                  "required", (fd->flags & KW_FF_REQUIRED) != 0, "fixed",
			                  (fd->flags & KW_FF_FIXED) != 0, "search",
			                  (fd->flags & KW_FF_SEARCH) != 0);
			if (fd->type == KW_FT_TEXT)
				json_object_set_new(o, "max", json_integer(fd->max));
			if (fd->type == KW_FT_INT) {
				json_object_set_new(o, "min", json_integer(fd->min));
				json_object_set_new(o, "max", json_integer(fd->max));
			}
			if (fd->ref)
				json_object_set_new(o, "ref", json_string(fd->ref));
			if (fd->dflt)
				json_object_set_new(o, "default", json_string(fd->dflt));
			if (fd->values) {
				json_t *vals = json_array();
				for (const char *const *v = fd->values; *v; v++) {
					char key[96];
					snprintf(key, sizeof key, "V_%s", *v);
					json_t *zh = label(KW_LANG_ZH, key),
					       *en = label(KW_LANG_EN, key);
					json_array_append_new(
					        vals, json_pack("{s:s, s:o, s:o}", "value", *v,
					                        "zh", zh ? zh : json_string(*v),
					                        "en", en ? en : json_string(*v)));
				}
				json_object_set_new(o, "values", vals);
			}
			json_array_append_new(fields, o);
		}
		json_t *computed = json_array();
		for (const struct kw_computed *c = k->computed; c && c->name; c++) {
			char key[96];
			snprintf(key, sizeof key, "C_%s", c->name);
			json_t *zh = label(KW_LANG_ZH, key), *en = label(KW_LANG_EN, key);
			json_array_append_new(computed,
			                      json_pack("{s:s, s:s, s:o, s:o}", "name", c->name,
			                                "type", c->type == 'b' ? "bool" : "int",
			                                "zh", zh ? zh : json_string(c->name), "en",
			                                en ? en : json_string(c->name)));
		}
		json_t *key = json_array();
		for (int x = 0; x < 3 && k->key[x]; x++)
			json_array_append_new(key, json_string(k->key[x]));
		int can_read = kw_authz_check(NULL, &req->session, k->read, 0, NULL) == 0;
		int can_write = kw_authz_check(NULL, &req->session, k->write, 0, NULL) == 0;
		json_array_append_new(
		        items,
		        json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:b, s:b}",
		                  "name", k->name, "table", k->table, "zh", k->zh, "en", k->en,
		                  "scope", k->scope, "key", key, "fields", fields, "computed",
		                  computed, "can_read", can_read, "can_write", can_write,
		                  "updatable", !(k->flags & KW_KF_NO_UPDATE), "checked",
		                  (k->flags & KW_KF_CHECKED) != 0));
	}
	resp->json = json_pack("{s:o}", "items", items);
	return 0;
}

int kw_h_centre_suitability(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t id;
	int rc = kw_param_id(req, 0, &id, err);
	const char *rs = kw_query(req, "ruleset");
	if (!rc && !rs)
		rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "ruleset is required");
	return rc ? rc
	          : kw_app_centre_suitability(req->app, &req->session, id, rs, &resp->json, err);
}

int kw_h_users_list(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	return kw_rec_users_list(req->app, &req->session, kw_query(req, "q"), &resp->json, err);
}
