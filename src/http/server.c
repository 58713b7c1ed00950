#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>

#include "app/authz.h"
#include "app/live.h"
#include "http/http.h"
#include "util/i18n.h"
#include "util/json.h"

struct kw_server {
	struct MHD_Daemon *d;
	struct kw_app *app;
	struct kw_static *web;
	size_t max_body;
	int access_log;
	int secure_cookies;
	int port;
	/* Work run off the connection threads (kw_http_offload): how many are running. */
	pthread_mutex_t off_mu;
	pthread_cond_t off_cv;
	int offloads;
	/* The OVERLOADED body, zh and en, made at the first refusal (overloaded()). */
	pthread_mutex_t busy_mu;
	char *busy_body[2];
	/* Event streams (struct kw_stream) and the ticker that reads the command views' touched
	 * rows and wakes the streams waiting for a change (sse_*). */
	pthread_mutex_t sse_mu;
	pthread_cond_t sse_cv;
	struct sse *sse_head;
	pthread_t ticker;
	int ticker_on, stopping;
};

/* At most this many offloaded requests (imports) at once; more get 503. */
#define KW_MAX_OFFLOADS 2

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                          "object-src 'none'; base-uri 'none'; form-action 'self'; "
                          "frame-ancestors 'none'";

void kw_http_common_headers(struct kw_req *req, struct MHD_Response *r, int is_api)
{
	MHD_add_response_header(r, "X-Request-Id", req->request_id);
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy",
	                        "geolocation=(), microphone=(), camera=()");
	if (is_api) {
		MHD_add_response_header(r, "Cache-Control", "no-store");
		MHD_add_response_header(r, "Content-Language", req->lang);
	}
}

void kw_http_log(struct kw_req *req, int status)
{
	if (!req->srv->access_log)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[32];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	double ms = (double)(now_ns() - req->start_ns) / 1e6;
	/* The path only: query strings may carry personal data. */
	fprintf(stderr, "%s %s %s %.200s %d %.2fms\n", when, req->request_id, req->method,
	        req->path, status, ms);
}

static int request_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ':'))
			return 0;
	}
	return 1;
}

/* The body cap of a request: CSV imports (POST …/import) take files up to 16 times the
 * general cap (16 MiB by default), uploads (PUT …/photo, POST …/proofs) 8 times (their own
 * limits, lower, are checked with a clearer answer); everything else the general cap. */
static size_t body_cap(const struct kw_server *srv, const char *method, const char *path)
{
	size_t n = strlen(path);
	if (strcmp(method, "POST") == 0 && n > 7 && strcmp(path + n - 7, "/import") == 0)
		return srv->max_body * 16;
	if ((strcmp(method, "PUT") == 0 && n > 6 && strcmp(path + n - 6, "/photo") == 0) ||
	    (strcmp(method, "POST") == 0 && n > 7 && strcmp(path + n - 7, "/proofs") == 0))
		return srv->max_body * 8;
	return srv->max_body;
}

static struct kw_req *req_new(struct kw_server *srv, struct MHD_Connection *c, const char *url,
                              const char *method)
{
	struct kw_req *r = kw_xcalloc(1, sizeof *r);
	r->start_ns = now_ns();
	r->conn = c;
	r->srv = srv;
	r->app = srv->app;
	r->method = method;
	r->path = kw_xstrdup(url);
	r->max_body = body_cap(srv, method, r->path);
	kw_buf_init(&r->body, r->max_body);
	const char *rid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	if (rid && request_id_ok(rid)) {
		snprintf(r->request_id, sizeof r->request_id, "%s", rid);
	} else {
		unsigned char raw[16];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(r->request_id, sizeof r->request_id, raw, sizeof raw);
	}
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->address, sizeof r->address, "?");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			          &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			          r->address, sizeof r->address);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			          &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			          r->address, sizeof r->address);
	}
	kw_actor_set(&r->actor, "public", 0, NULL, r->request_id);
	r->lang = kw_i18n_negotiate(
	        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "lang"),
	        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"));
	return r;
}

struct kw_deferred {
	struct kw_job job;
	kw_finish_fn finish;
	pthread_mutex_t mu;
	int suspended, done;
};

/* The writer thread: the job's fate is known; wake the connection. */
static void deferred_done(struct kw_job *job, void *data)
{
	struct kw_req *req = data;
	struct kw_deferred *d = req->def;
	(void)job;
	pthread_mutex_lock(&d->mu);
	d->done = 1;
	if (d->suspended)
		MHD_resume_connection(req->conn);
	pthread_mutex_unlock(&d->mu);
}

int kw_http_defer(struct kw_req *req, kw_job_fn fn, void *arg, kw_finish_fn finish,
                  struct kw_err *err)
{
	struct kw_deferred *d = kw_xcalloc(1, sizeof *d);
	d->job.fn = fn;
	d->job.arg = arg;
	d->job.actor = req->actor;
	d->job.done = deferred_done;
	d->job.data = req;
	d->finish = finish;
	pthread_mutex_init(&d->mu, NULL);
	req->def = d;
	/* Held across submit and suspend, so the writer cannot resume before we suspend. */
	pthread_mutex_lock(&d->mu);
	int rc = kw_writer_submit(req->app->writer, &d->job, err);
	if (!rc) {
		MHD_suspend_connection(req->conn);
		d->suspended = 1;
	}
	pthread_mutex_unlock(&d->mu);
	if (rc) {
		pthread_mutex_destroy(&d->mu);
		free(d);
		req->def = NULL;
		return rc;
	}
	return KW_PENDING;
}

static void op_free(void *p)
{
	struct kw_op *op = p;
	if (op->release)
		op->release(op->arg);
	free(op);
}

static int op_finish(struct kw_req *req, struct kw_resp *resp, int rc, struct kw_err *job_err,
                     struct kw_err *err)
{
	struct kw_op *op = req->scratch;
	if (rc) {
		*err = *job_err;
		*job_err = (struct kw_err)KW_ERR_INIT;
		return rc;
	}
	if (op->answer && (rc = op->answer(req->app, op->arg, &resp->json, err)))
		return rc;
	if (op->status_from && *op->status_from)
		resp->status = *op->status_from;
	else if (op->status)
		resp->status = op->status;
	return 0;
}

int kw_http_defer_op(struct kw_req *req, const struct kw_op *op, struct kw_err *err)
{
	struct kw_op *o = kw_xmalloc(sizeof *o);
	*o = *op;
	req->scratch = o;
	req->scratch_free = op_free;
	return kw_http_defer(req, o->job, o->arg, op_finish, err);
}

struct offload {
	struct kw_req *req;
	kw_work_fn fn;
	void *arg;
};

static void *offload_main(void *p)
{
	struct offload *o = p;
	struct kw_req *req = o->req;
	struct kw_server *srv = req->srv;
	struct kw_deferred *d = req->def;
	d->job.rc = o->fn(o->arg, &d->job.err);
	free(o);
	deferred_done(&d->job, req);
	pthread_mutex_lock(&srv->off_mu);
	srv->offloads--;
	pthread_cond_broadcast(&srv->off_cv);
	pthread_mutex_unlock(&srv->off_mu);
	return NULL;
}

int kw_http_offload(struct kw_req *req, kw_work_fn fn, void *arg, kw_finish_fn finish,
                    struct kw_err *err)
{
	struct kw_server *srv = req->srv;
	pthread_mutex_lock(&srv->off_mu);
	int busy = srv->offloads >= KW_MAX_OFFLOADS;
	if (!busy)
		srv->offloads++;
	pthread_mutex_unlock(&srv->off_mu);
	if (busy) {
		int rc = kw_err_set(err, KW_EBUSY, "OVERLOADED", NULL,
		                    "other long requests are running");
		kw_err_detail(err, "retry_after", json_integer(5));
		return rc;
	}
	struct kw_deferred *d = kw_xcalloc(1, sizeof *d);
	d->finish = finish;
	pthread_mutex_init(&d->mu, NULL);
	req->def = d;
	struct offload *o = kw_xcalloc(1, sizeof *o);
	*o = (struct offload){req, fn, arg};
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	/* Held across start and suspend, so the work cannot resume before we suspend. */
	pthread_mutex_lock(&d->mu);
	int started = pthread_create(&t, &at, offload_main, o) == 0;
	if (started) {
		MHD_suspend_connection(req->conn);
		d->suspended = 1;
	}
	pthread_mutex_unlock(&d->mu);
	pthread_attr_destroy(&at);
	if (!started) {
		free(o);
		pthread_mutex_destroy(&d->mu);
		free(d);
		req->def = NULL;
		pthread_mutex_lock(&srv->off_mu);
		srv->offloads--;
		pthread_mutex_unlock(&srv->off_mu);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot start a thread");
	}
	return KW_PENDING;
}

static void req_free(struct kw_req *r)
{
	if (!r)
		return;
	if (r->def) {
		pthread_mutex_destroy(&r->def->mu);
		kw_err_release(&r->def->job.err);
		free(r->def);
	}
	if (r->scratch_free)
		r->scratch_free(r->scratch);
	else
		free(r->scratch);
	sodium_memzero(r->token, sizeof r->token);
	kw_buf_release(&r->body);
	json_decref(r->json);
	free(r->param_mem);
	free(r->path);
	free(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	req_free(*con_cls);
	*con_cls = NULL;
}

/* Queues a JSON response; takes the reference to doc. */
static enum MHD_Result queue_json(struct kw_req *req, int status, json_t *doc,
                                  char *const (*headers)[2], int nheaders)
{
	char *s = status == 204 ? kw_xstrdup("") : json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!s) {
		s = kw_xstrdup(
		        "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"internal error\"}}");
		status = 500;
	}
	/* For HEAD, MHD sends the headers (Content-Length included) and drops the body. */
	struct MHD_Response *r =
	        MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	if (status != 204)
		MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	kw_http_common_headers(req, r, 1);
	for (int i = 0; i < nheaders; i++)
		MHD_add_response_header(r, headers[i][0], headers[i][1]);
	enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	req->responded = 1;
	kw_http_log(req, status);
	return ret;
}

/* The error body of ARCHITECTURE.md, in the request's language. */
/* Each {field, problem} item of details.fields and details.rows gets a "message" in the
 * request's language (the catalogues' P_<problem>), so a form can say it beside the field. */
static void problem_messages(struct kw_req *req, json_t *details)
{
	static const char *const lists[] = {"fields", "rows"};
	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(details, lists[l]), i, p)
		{
			const char *what = json_string_value(json_object_get(p, "problem"));
			char key[64];
			if (!what || json_object_get(p, "message"))
				continue;
			snprintf(key, sizeof key, "P_%s", what);
			struct kw_buf b = KW_BUF_INIT;
			kw_buf_init(&b, 1024);
			if (kw_i18n_format(req->lang, key, p, &b) == 0)
				json_object_set_new(p, "message", json_string(b.buf));
			kw_buf_release(&b);
		}
	}
}

/* A value as a reader sees it: enum values by their label (V_<value>), lists joined by 、. */
static void display_value(struct kw_req *req, const json_t *v, struct kw_buf *out)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			if (i)
				kw_buf_adds(out, req->lang && strncmp(req->lang, "en", 2) == 0
				                         ? ", "
				                         : "、");
			display_value(req, x, out);
		}
		return;
	}
	const char *sv = json_is_string(v)  ? json_string_value(v)
	                 : json_is_true(v)  ? "true"
	                 : json_is_false(v) ? "false"
	                                    : NULL;
	if (sv) {
		char key[80];
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 256);
		snprintf(key, sizeof key, "V_%s", sv);
		kw_buf_adds(out, kw_i18n_format(req->lang, key, NULL, &b) == 0 ? b.buf : sv);
		kw_buf_release(&b);
	} else if (json_is_integer(v)) {
		kw_buf_addf(out, "%lld", (long long)json_integer_value(v));
	} else {
		kw_buf_adds(out, "—");
	}
}

/* Each unmet condition of details.unmet (ELIGIBILITY_UNMET) gets its sentence (ELIG_*). */
static void unmet_messages(struct kw_req *req, json_t *details)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(details, "unmet"), i, u)
	{
		const char *code = json_string_value(json_object_get(u, "code"));
		if (!code || json_object_get(u, "message"))
			continue;
		json_t *shown = json_object();
		const char *key;
		json_t *v;
		json_object_foreach(u, key, v)
		{
			struct kw_buf b = KW_BUF_INIT;
			kw_buf_init(&b, 256);
			display_value(req, v, &b);
			json_object_set_new(shown, key, json_string(b.buf));
			kw_buf_release(&b);
		}
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 1024);
		if (kw_i18n_format(req->lang, code, shown, &b) == 0)
			json_object_set_new(u, "message", json_string(b.buf));
		kw_buf_release(&b);
		json_decref(shown);
	}
}

/* The error document for err in the request's language: {"error": {code, message, rule,
 * details}}; *retry: the seconds of Retry-After for a 429 or 503, else 0. */
static json_t *error_doc(struct kw_req *req, struct kw_err *err, int *status, long long *retry)
{
	*status = kw_err_http_status(err->rc);
	problem_messages(req, err->details);
	unmet_messages(req, err->details);
	const char *code = err->code ? err->code : "INTERNAL";
	struct kw_buf msg = KW_BUF_INIT;
	kw_buf_init(&msg, 4096);
	if (kw_i18n_format(req->lang, code, err->details, &msg) != 0) {
		/* A code without a catalogue entry is a bug: say so in the log, not to the user. */
		fprintf(stderr, "%s: no message for code %s (%s)\n", req->request_id, code,
		        err->msg);
		kw_buf_reset(&msg);
		kw_i18n_format(req->lang, "INTERNAL", NULL, &msg);
	}
	if (*status >= 500)
		fprintf(stderr, "%s: %s %s: %s: %s\n", req->request_id, req->method, req->path,
		        code, err->msg);
	json_t *e = json_pack("{s:s, s:s, s:o, s:o}", "code", code, "message", msg.buf, "rule",
	                      err->rule ? json_string(err->rule) : json_null(), "details",
	                      err->details ? json_incref(err->details) : json_null());
	kw_buf_release(&msg);
	/* 429 and 503 say when to come back. */
	json_t *ra = json_object_get(err->details, "retry_after");
	*retry = *status == 429 || *status == 503
	                 ? (json_is_integer(ra) ? (long long)json_integer_value(ra) : 1LL)
	                 : 0;
	return json_pack("{s:o}", "error", e);
}

static enum MHD_Result queue_error(struct kw_req *req, struct kw_err *err,
                                   char *const (*headers)[2], int nheaders)
{
	int status;
	long long retry;
	json_t *doc = error_doc(req, err, &status, &retry);
	char rbuf[32];
	char *extra[9][2];
	int n = 0;
	for (; n < nheaders && n < 8; n++) {
		extra[n][0] = headers[n][0];
		extra[n][1] = headers[n][1];
	}
	if (retry) {
		snprintf(rbuf, sizeof rbuf, "%lld", retry);
		extra[n][0] = (char *)"Retry-After";
		extra[n][1] = rbuf;
		n++;
	}
	return queue_json(req, status, doc, (char *const(*)[2])extra, n);
}

static enum MHD_Result fail(struct kw_req *req, int rc, const char *code, const char *why)
{
	struct kw_err err = KW_ERR_INIT;
	kw_err_set(&err, rc, code, NULL, "%s", why);
	enum MHD_Result ret = queue_error(req, &err, NULL, 0);
	kw_err_release(&err);
	return ret;
}

static int is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

static int content_type_is(struct MHD_Connection *c, const char *type)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (!ct)
		return 0;
	size_t n = strlen(type);
	return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int content_type_json(struct MHD_Connection *c)
{
	return content_type_is(c, "application/json");
}

/* Raw bytes (an export) with the common headers. */
static enum MHD_Result queue_raw(struct kw_req *req, int status, char *data, size_t n,
                                 const char *type, char *const (*headers)[2], int nheaders)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(n, data, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	kw_http_common_headers(req, r, 1);
	for (int i = 0; i < nheaders; i++)
		MHD_add_response_header(r, headers[i][0], headers[i][1]);
	enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	req->responded = 1;
	kw_http_log(req, status);
	return ret;
}

void kw_resp_header(struct kw_resp *resp, const char *name, const char *fmt, ...)
{
	if (resp->nheaders >= 8)
		return;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 4096);
	va_list ap;
	va_start(ap, fmt);
	char tmp[1024];
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	kw_buf_adds(&b, tmp);
	resp->headers[resp->nheaders][0] = kw_xstrdup(name);
	resp->headers[resp->nheaders][1] = kw_buf_detach(&b, NULL);
	resp->nheaders++;
}

const char *kw_cookie_attrs(struct kw_req *req)
{
	return req->srv->secure_cookies ? "; Path=/; SameSite=Strict; Secure"
	                                : "; Path=/; SameSite=Strict";
}

int kw_param_id(struct kw_req *req, int i, int64_t *id, struct kw_err *err)
{
	const char *p = req->params[i];
	char *end;
	long long v = p ? strtoll(p, &end, 10) : 0;
	if (!p || *end || v <= 0 || end - p > 18)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such resource");
	*id = v;
	return 0;
}

const char *kw_query(struct kw_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

int kw_query_count(struct kw_req *req, const char *name, int64_t def, int64_t *out,
                   struct kw_err *err)
{
	const char *v = kw_query(req, name);
	*out = def;
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || x < 0 || errno == ERANGE) {
		int rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "bad %s", name);
		kw_err_detail(err, "name", json_string(name));
		return rc;
	}
	*out = x;
	return 0;
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/*
 * Who is asking: a Bearer token (API clients) or the kw_session cookie (the browser).
 * A cookie-authenticated write must carry X-CSRF-Token.
 */
static int authenticate(struct kw_req *req, struct kw_err *err)
{
	const char *auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
	const char *tok = NULL;
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		tok = auth + 7;
	} else {
		tok = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "kw_session");
		req->via_cookie = tok != NULL;
	}
	if (!tok || !*tok)
		return kw_err_set(err, KW_EAUTH, "AUTH_REQUIRED", NULL, "log in first");
	if (strlen(tok) >= sizeof req->token)
		return kw_err_set(err, KW_EAUTH, "SESSION_INVALID", NULL, "no valid session token");
	snprintf(req->token, sizeof req->token, "%s", tok);
	int rc = kw_app_authenticate(req->app, req->token, &req->session, err);
	if (rc)
		return rc == KW_EAUTH ? rc
		                      : kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
		                                   "cannot check the session: %s", err->msg);
	if (req->via_cookie && is_write(req->method) &&
	    !kw_csrf_ok(req->token,
	                MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token")))
		return kw_err_set(err, KW_EFORBIDDEN, "CSRF_FAILED", NULL,
		                  "a cookie-authenticated write needs X-CSRF-Token");
	req->authed = 1;
	kw_actor_set(&req->actor, "user", req->session.user.id, req->session.user.username,
	             req->request_id);
	return 0;
}

static enum MHD_Result respond(struct kw_req *req, struct kw_resp *respp, int rc,
                               struct kw_err *errp);
static enum MHD_Result too_big(struct kw_req *req);

static enum MHD_Result finish_deferred(struct kw_req *req)
{
	struct kw_resp resp = {0};
	resp.status = 200;
	struct kw_err err = KW_ERR_INIT;
	struct kw_deferred *d = req->def;
	int rc = d->finish(req, &resp, d->job.rc, &d->job.err, &err);
	return respond(req, &resp, rc, &err);
}

static enum MHD_Result dispatch_api(struct kw_req *req)
{
	const struct kw_route *route;
	struct kw_buf allow = KW_BUF_INIT;
	kw_buf_init(&allow, 256);
	int rc = kw_route_match(req->method, req->path, &route, req->params, &req->param_mem,
	                        &allow);
	if (rc == KW_ENOTFOUND) {
		kw_buf_release(&allow);
		return fail(req, KW_ENOTFOUND, "NOT_FOUND", "no such endpoint");
	}
	if (rc == KW_EMETHOD) {
		struct kw_err err = KW_ERR_INIT;
		kw_err_set(&err, KW_EMETHOD, "METHOD_NOT_ALLOWED", NULL, "method not allowed");
		kw_err_detail(&err, "method", json_string(req->method));
		kw_err_detail(&err, "allow", json_string(allow.buf));
		char *const hdr[1][2] = {{(char *)"Allow", allow.buf}};
		enum MHD_Result ret = queue_error(req, &err, hdr, 1);
		kw_err_release(&err);
		kw_buf_release(&allow);
		return ret;
	}
	kw_buf_release(&allow);

	if (!(route->flags & KW_ROUTE_PUBLIC)) {
		struct kw_err err = KW_ERR_INIT;
		int arc = authenticate(req, &err);
		/* The role-level check of the permissions file; services check units. */
		if (!arc)
			arc = kw_authz_check(NULL, &req->session, route->action, 0, &err);
		if (arc) {
			enum MHD_Result ret = queue_error(req, &err, NULL, 0);
			kw_err_release(&err);
			return ret;
		}
	}

	if (route->flags & KW_ROUTE_JSON_BODY) {
		if (req->body_too_big) {
			struct kw_err err = KW_ERR_INIT;
			kw_err_set(&err, KW_ETOOBIG, "BODY_TOO_LARGE", NULL, "body over the cap");
			kw_err_detail(&err, "max_bytes", json_integer((json_int_t)req->max_body));
			enum MHD_Result ret = queue_error(req, &err, NULL, 0);
			kw_err_release(&err);
			return ret;
		}
		if (!content_type_json(req->conn))
			return fail(req, KW_EMEDIA, "UNSUPPORTED_MEDIA_TYPE",
			            "the body must be application/json");
		struct kw_err err = KW_ERR_INIT;
		if (kw_json_parse_body(req->body.buf, req->body.len, req->max_body, &req->json,
		                       &err)) {
			enum MHD_Result ret = queue_error(req, &err, NULL, 0);
			kw_err_release(&err);
			return ret;
		}
	} else if (route->flags & KW_ROUTE_CSV_BODY) {
		if (req->body_too_big)
			return too_big(req);
		if (!content_type_is(req->conn, "text/csv") &&
		    !content_type_is(req->conn, XLSX_TYPE))
			return fail(req, KW_EMEDIA, "UNSUPPORTED_MEDIA_TYPE",
			            "the body must be text/csv or an .xlsx workbook");
	} else if (route->flags & KW_ROUTE_FILE_BODY) {
		if (req->body_too_big)
			return too_big(req);
		if (req->body.len == 0)
			return fail(req, KW_EINVAL, "FILE_EMPTY",
			            "send the file as the request body");
	} else if (req->body.len > 0 || req->body_too_big) {
		return fail(req, KW_EINVAL, "BODY_NOT_EXPECTED", "this endpoint takes no body");
	}

	struct kw_resp resp = {0};
	resp.status = 200;
	struct kw_err err = KW_ERR_INIT;
	rc = route->fn(req, &resp, &err);
	if (rc == KW_PENDING) {
		kw_err_release(&err);
		return MHD_YES; /* suspended until the commit; finish_deferred answers */
	}
	return respond(req, &resp, rc, &err);
}

/* ---- server-sent events ---- */

#define SSE_BEAT_NS (15ull * 1000000000ull) /* a keep-alive comment at least this often */
#define SSE_TICK_MS 250                     /* the ticker's period */

/* One open event stream: what its reader has yet to send, and whether it waits suspended. */
struct sse {
	struct kw_server *srv;
	struct MHD_Connection *conn;
	struct kw_stream st;
	struct kw_buf out;
	size_t off;
	uint64_t version; /* the command views' version before the last next() */
	uint64_t sent_ns; /* when bytes last went out */
	int suspended, ended;
	struct sse *prev, *next;
};

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct sse *e = cls;
	struct kw_server *srv = e->srv;
	if (e->off == e->out.len) {
		kw_buf_reset(&e->out);
		e->off = 0;
		if (__atomic_load_n(&e->ended, __ATOMIC_ACQUIRE))
			return MHD_CONTENT_READER_END_OF_STREAM;
		e->version = kw_live_version(srv->app);
		if (e->st.next(e->st.arg, &e->out) != 0)
			__atomic_store_n(&e->ended, 1, __ATOMIC_RELEASE);
		if (e->out.len == 0 && !e->ended && now_ns() - e->sent_ns >= SSE_BEAT_NS)
			kw_buf_add(&e->out, ": keep-alive\n\n", 15);
	}
	if (e->off == e->out.len) {
		if (__atomic_load_n(&e->ended, __ATOMIC_ACQUIRE))
			return MHD_CONTENT_READER_END_OF_STREAM;
		pthread_mutex_lock(&srv->sse_mu);
		if (srv->stopping) {
			pthread_mutex_unlock(&srv->sse_mu);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		e->suspended = 1;
		MHD_suspend_connection(e->conn);
		pthread_mutex_unlock(&srv->sse_mu);
		return 0;
	}
	size_t n = e->out.len - e->off < max ? e->out.len - e->off : max;
	memcpy(buf, e->out.buf + e->off, n);
	e->off += n;
	e->sent_ns = now_ns();
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	struct sse *e = cls;
	struct kw_server *srv = e->srv;
	pthread_mutex_lock(&srv->sse_mu);
	if (e->prev)
		e->prev->next = e->next;
	else
		srv->sse_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	pthread_mutex_unlock(&srv->sse_mu);
	pthread_cond_broadcast(&srv->sse_cv);
	if (e->st.release)
		e->st.release(e->st.arg);
	kw_buf_release(&e->out);
	free(e);
}

/* Resumes the waiting streams that have something to read (sse_mu held): all of them when
 * ending, else those that saw an older version or owe a keep-alive. */
static void sse_wake(struct kw_server *srv, uint64_t version, int ending)
{
	uint64_t now = now_ns();
	for (struct sse *e = srv->sse_head; e; e = e->next) {
		if (ending)
			__atomic_store_n(&e->ended, 1, __ATOMIC_RELEASE);
		if (e->suspended &&
		    (ending || e->version < version || now - e->sent_ns >= SSE_BEAT_NS)) {
			e->suspended = 0;
			MHD_resume_connection(e->conn);
		}
	}
}

static void *ticker_main(void *p)
{
	struct kw_server *srv = p;
	pthread_mutex_lock(&srv->sse_mu);
	while (!srv->stopping) {
		pthread_mutex_unlock(&srv->sse_mu);
		kw_live_tick(srv->app);
		uint64_t v = kw_live_version(srv->app);
		pthread_mutex_lock(&srv->sse_mu);
		sse_wake(srv, v, 0);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += SSE_TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!srv->stopping)
			pthread_cond_timedwait(&srv->sse_cv, &srv->sse_mu, &ts);
	}
	pthread_mutex_unlock(&srv->sse_mu);
	return NULL;
}

/* Queues the event stream of resp (taking it). */
static enum MHD_Result queue_stream(struct kw_req *req, struct kw_stream *st)
{
	struct kw_server *srv = req->srv;
	struct sse *e = kw_xcalloc(1, sizeof *e);
	e->srv = srv;
	e->conn = req->conn;
	e->st = *st;
	free(st);
	kw_buf_init(&e->out, 0);
	e->sent_ns = now_ns();
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
	                                                           sse_read, e, sse_free);
	if (!r) {
		if (e->st.release)
			e->st.release(e->st.arg);
		free(e);
		return MHD_NO;
	}
	pthread_mutex_lock(&srv->sse_mu);
	e->next = srv->sse_head;
	if (e->next)
		e->next->prev = e;
	srv->sse_head = e;
	pthread_mutex_unlock(&srv->sse_mu);
	MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	kw_http_common_headers(req, r, 1);
	enum MHD_Result ret = MHD_queue_response(req->conn, 200, r);
	MHD_destroy_response(r);
	req->responded = 1;
	kw_http_log(req, 200);
	return ret;
}

/* Queues what a handler (or a deferred write's finish) produced. */
static enum MHD_Result respond(struct kw_req *req, struct kw_resp *respp, int rc,
                               struct kw_err *errp)
{
	struct kw_resp resp = *respp;
	struct kw_err err = *errp;
	enum MHD_Result ret;
	if (rc) {
		json_decref(resp.json);
		resp.json = NULL;
		free(resp.raw);
		if (resp.stream && resp.stream->release)
			resp.stream->release(resp.stream->arg);
		free(resp.stream);
		if (!err.code)
			kw_err_set(&err, rc, "INTERNAL", NULL, "handler failed without details");
		ret = queue_error(req, &err, NULL, 0);
	} else if (resp.stream) {
		json_decref(resp.json);
		ret = queue_stream(req, resp.stream);
	} else if (resp.raw) {
		json_decref(resp.json);
		ret = queue_raw(req, resp.status, resp.raw, resp.raw_len, resp.raw_type,
		                (char *const(*)[2])resp.headers, resp.nheaders);
	} else {
		ret = queue_json(req, resp.status, resp.json ? resp.json : json_object(),
		                 (char *const(*)[2])resp.headers, resp.nheaders);
	}
	for (int i = 0; i < resp.nheaders; i++) {
		free(resp.headers[i][0]);
		free(resp.headers[i][1]);
	}
	kw_err_release(&err);
	return ret;
}

/*
 * 503 OVERLOADED with Retry-After, for a write refused because the queue is full. Under
 * overload these are most of the answers, and they share the CPU with the reads the server
 * keeps serving: the body is made once per language and sent from memory.
 */
static enum MHD_Result overloaded(struct kw_req *req)
{
	struct kw_server *srv = req->srv;
	int en = req->lang && strncmp(req->lang, "en", 2) == 0;
	pthread_mutex_lock(&srv->busy_mu);
	if (!srv->busy_body[en]) {
		struct kw_err err = KW_ERR_INIT;
		kw_err_set(&err, KW_EBUSY, "OVERLOADED", NULL, "the write queue is full");
		kw_err_detail(&err, "retry_after", json_integer(1));
		int status;
		long long retry;
		json_t *doc = error_doc(req, &err, &status, &retry);
		srv->busy_body[en] = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
		kw_err_release(&err);
	}
	const char *body = srv->busy_body[en];
	pthread_mutex_unlock(&srv->busy_mu);
	if (!body)
		return MHD_NO;
	struct MHD_Response *r =
	        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	kw_http_common_headers(req, r, 1);
	MHD_add_response_header(r, "Retry-After", "1");
	enum MHD_Result ret = MHD_queue_response(req->conn, 503, r);
	MHD_destroy_response(r);
	req->responded = 1;
	kw_http_log(req, 503);
	return ret;
}

static enum MHD_Result too_big(struct kw_req *req)
{
	struct kw_err err = KW_ERR_INIT;
	kw_err_set(&err, KW_ETOOBIG, "BODY_TOO_LARGE", NULL, "body over the cap");
	kw_err_detail(&err, "max_bytes", json_integer((json_int_t)req->max_body));
	enum MHD_Result ret = queue_error(req, &err, NULL, 0);
	kw_err_release(&err);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct kw_server *srv = cls;
	struct kw_req *req = *con_cls;
	if (!req) {
		/* First call: headers only. Responding now would lose keep-alive (STACK.md), */
		req = req_new(srv, c, url, method);
		*con_cls = req;
		/* …except for a body announced over the cap: refuse it before reading it. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && is_api(req->path) && strtoull(cl, NULL, 10) > req->max_body)
			return too_big(req);
		/* Overload: a write that would only be refused later is refused now, before its
		 * body is read, parsed and authorised (answered on a later call: keep-alive). */
		req->overloaded = is_api(req->path) && is_write(method) && srv->app &&
		                  srv->app->writer && kw_writer_full(srv->app->writer);
		return MHD_YES;
	}
	if (req->responded) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->def) {
		int done;
		pthread_mutex_lock(&req->def->mu);
		done = req->def->done;
		pthread_mutex_unlock(&req->def->mu);
		return done ? finish_deferred(req) : MHD_YES;
	}
	if (*upload_data_size && req->overloaded) {
		*upload_data_size = 0; /* dropped unread */
		return MHD_YES;
	}
	if (req->overloaded)
		return overloaded(req);
	if (*upload_data_size) {
		/* A body over the cap without a Content-Length (chunked) is read and dropped;
		 * MHD cannot answer in the middle of an upload. */
		if (!req->body_too_big &&
		    kw_buf_add(&req->body, upload_data, *upload_data_size) != 0) {
			req->body_too_big = 1;
			kw_buf_release(&req->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->body_too_big && is_api(req->path))
		return too_big(req);
	if (is_api(req->path))
		return dispatch_api(req);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return fail(req, KW_EMETHOD, "METHOD_NOT_ALLOWED", "static files are read-only");
	return kw_static_serve(srv->web, req);
}

static void log_mhd(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int kw_server_start(const struct kw_server_config *cfg, struct kw_app *app, struct kw_server **out,
                    struct kw_err *err)
{
	int rc = 0;
	struct kw_server *srv = kw_xcalloc(1, sizeof *srv);
	pthread_mutex_init(&srv->off_mu, NULL);
	pthread_cond_init(&srv->off_cv, NULL);
	pthread_mutex_init(&srv->busy_mu, NULL);
	pthread_mutex_init(&srv->sse_mu, NULL);
	pthread_cond_init(&srv->sse_cv, NULL);
	srv->app = app;
	srv->max_body = cfg->max_body ? cfg->max_body : (size_t)1 << 20;
	srv->access_log = cfg->access_log;
	srv->secure_cookies = cfg->secure_cookies;
	if (kw_i18n_init()) {
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "message catalogues are broken");
		goto out;
	}
	rc = kw_static_load(cfg->web_dir, &srv->web, err);
	if (rc)
		goto out;

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host ? cfg->host : "127.0.0.1", &sa.sin_addr) != 1) {
		rc = kw_err_set(err, KW_EINVAL, "LISTEN_INVALID", NULL, "not an IPv4 address: %s",
		                cfg->host);
		goto out;
	}
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = (unsigned)(cfg->threads > 0 ? cfg->threads : (ncpu > 0 ? ncpu : 2));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	/* The logger goes first, or MHD reports through its own until it reads it. */
	srv->d = MHD_start_daemon(
	        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
	        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 4096u,
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
	if (!srv->d) {
		rc = kw_err_set(err, KW_EUNAVAILABLE, "LISTEN_FAILED", NULL,
		                "cannot listen on %s:%d (in use, or not allowed)", cfg->host,
		                cfg->port);
		goto out;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : cfg->port;
	if (pthread_create(&srv->ticker, NULL, ticker_main, srv) != 0) {
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot start a thread");
		goto out;
	}
	srv->ticker_on = 1;
	*out = srv;
	srv = NULL;
out:
	kw_server_stop(srv);
	return rc;
}

int kw_server_port(const struct kw_server *srv)
{
	return srv->port;
}

void kw_server_stop(struct kw_server *srv)
{
	if (!srv)
		return;
	/* Offloaded work finishes first: it answers through the daemon. */
	pthread_mutex_lock(&srv->off_mu);
	while (srv->offloads > 0)
		pthread_cond_wait(&srv->off_cv, &srv->off_mu);
	pthread_mutex_unlock(&srv->off_mu);
	/* The event streams end (MHD must not stop with a connection suspended), the ticker
	 * stops. */
	pthread_mutex_lock(&srv->sse_mu);
	srv->stopping = 1;
	sse_wake(srv, 0, 1);
	pthread_mutex_unlock(&srv->sse_mu);
	pthread_cond_broadcast(&srv->sse_cv);
	if (srv->ticker_on)
		pthread_join(srv->ticker, NULL);
	if (srv->d)
		MHD_stop_daemon(srv->d);
	pthread_mutex_destroy(&srv->off_mu);
	pthread_cond_destroy(&srv->off_cv);
	pthread_mutex_destroy(&srv->busy_mu);
	pthread_mutex_destroy(&srv->sse_mu);
	pthread_cond_destroy(&srv->sse_cv);
	free(srv->busy_body[0]);
	free(srv->busy_body[1]);
	kw_static_free(srv->web);
	free(srv);
}
