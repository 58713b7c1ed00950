/* The live command view over HTTP (app/live.h; DAY-1, issue 9 item 7): a snapshot of a
 * sitting's centres, and the same as server-sent events that stay open. Paths:
 * /api/v1/exams/{id}/sittings/{subject}/command[/stream]. */
#include <stdlib.h>
#include <string.h>

#include "app/live.h"
#include "http/http.h"

static const char *const STATES[] = {"incident", "closed", "open", "papers", "waiting", NULL};

/* state= (one of STATES or absent), q=, offset=, limit= (≤ 20,000; default 20,000: the page
 * holds every centre of a national sitting) */
static int view_query(struct kw_req *req, const char **state, const char **q, int64_t *offset,
                      int64_t *limit, struct kw_err *err)
{
	*state = kw_query(req, "state");
	*q = kw_query(req, "q");
	if (*state && **state) {
		int ok = 0;
		for (int i = 0; STATES[i]; i++)
			ok |= strcmp(*state, STATES[i]) == 0;
		if (!ok) {
			int rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "bad state");
			kw_err_detail(err, "name", json_string("state"));
			return rc;
		}
	}
	int rc = kw_query_count(req, "offset", 0, offset, err);
	if (!rc)
		rc = kw_query_count(req, "limit", 20000, limit, err);
	if (!rc && (*limit < 1 || *limit > 20000)) {
		rc = kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "limit is 1 to 20000");
		kw_err_detail(err, "name", json_string("limit"));
	}
	return rc;
}

int kw_h_command_view(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam, offset, limit;
	const char *state, *q;
	struct kw_live_sub *sub = NULL;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = view_query(req, &state, &q, &offset, &limit, err);
	if (!rc)
		rc = kw_live_open(req->app, &req->session, exam, req->params[1], &sub, err);
	if (!rc)
		resp->json = kw_live_snapshot(req->app, sub, state, q, offset, limit);
	kw_live_close(sub);
	return rc;
}

/* A stream: first the whole view (event "snapshot"), then the rows that change (event
 * "centres", id the version), each as one line of JSON. */
struct cstream {
	struct kw_app *app;
	struct kw_live_sub *sub;
	int started;
};

static int cstream_event(struct kw_buf *out, const char *event, json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT);
	json_int_t v = json_integer_value(json_object_get(doc, "version"));
	json_decref(doc);
	if (!s)
		return -1;
	kw_buf_addf(out, "event: %s\nid: %lld\ndata: ", event, (long long)v);
	kw_buf_adds(out, s);
	kw_buf_adds(out, "\n\n");
	free(s);
	return 0;
}

static int cstream_next(void *arg, struct kw_buf *out)
{
	struct cstream *c = arg;
	if (!c->started) {
		c->started = 1;
		/* the browser's EventSource retries after 2 s when the connection drops */
		kw_buf_adds(out, "retry: 2000\n\n");
		return cstream_event(out, "snapshot",
		                     kw_live_snapshot(c->app, c->sub, NULL, NULL, 0, INT64_MAX));
	}
	json_t *doc = kw_live_changes(c->app, c->sub);
	return doc ? cstream_event(out, "centres", doc) : 0;
}

static void cstream_release(void *arg)
{
	struct cstream *c = arg;
	kw_live_close(c->sub);
	free(c);
}

int kw_h_command_stream(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int64_t exam;
	struct kw_live_sub *sub = NULL;
	int rc = kw_param_id(req, 0, &exam, err);
	if (!rc)
		rc = kw_live_open(req->app, &req->session, exam, req->params[1], &sub, err);
	if (rc)
		return rc;
	struct cstream *c = kw_xcalloc(1, sizeof *c);
	c->app = req->app;
	c->sub = sub;
	resp->stream = kw_xmalloc(sizeof *resp->stream);
	*resp->stream = (struct kw_stream){cstream_next, cstream_release, c};
	return 0;
}
