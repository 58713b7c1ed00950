#include "app/stats.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"

#define SLOTS 64

struct slot {
	int64_t exam;
	int64_t at_us;  /* when it was computed (0: never) */
	int refreshing; /* one thread recomputes; the others serve what is there */
	char *body;
	size_t n;
	char etag[72];
};

struct kw_stats_cache {
	pthread_mutex_t mu;
	struct slot slots[SLOTS];
};

struct kw_stats_cache *kw_stats_cache_new(void)
{
	struct kw_stats_cache *c = kw_xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void kw_stats_cache_free(struct kw_stats_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < SLOTS; i++)
		free(c->slots[i].body);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

/* Per position: submitted (everything that reached review), approved, pending; the ratio of
 * approved registrations to places. Exams without positions get the totals alone. */
static int compute(struct kw_app *app, int64_t id, char **body, size_t *n, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, "SELECT status, name FROM exams WHERE id = $1", &s, err);
	char name[400] = "";
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW && strcmp(kw_stmt_column_text(s, 0, NULL), "published") == 0) {
			snprintf(name, sizeof name, "%s", kw_stmt_column_text(s, 1, NULL));
			rc = 0;
		} else if (rc == KW_ROW || rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	json_t *items = json_array();
	int64_t tot[4] = {0, 0, 0, 0}; /* quota, submitted, approved, pending */
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT p.id, p.code, p.name, p.department_name, u.name, p.quota, "
		        "SUM(CASE WHEN r.status IN ('submitted', 'approved', 'rejected') THEN 1 "
		        "ELSE 0 "
		        "END), SUM(CASE WHEN r.status = 'approved' THEN 1 ELSE 0 END), "
		        "SUM(CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END) FROM positions p "
		        "JOIN units u ON u.id = p.recruiter_id LEFT JOIN registrations r ON "
		        "r.position_id = "
		        "p.id WHERE p.exam_id = $1 GROUP BY p.id, p.code, p.name, "
		        "p.department_name, "
		        "u.name, p.quota ORDER BY p.id",
		        &s, err);
	if (!rc)
		kw_stmt_bind_int64(s, 1, id);
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		rc = 0;
		int64_t q = kw_stmt_column_int64(s, 5), sub = kw_stmt_column_int64(s, 6),
		        ap = kw_stmt_column_int64(s, 7), pe = kw_stmt_column_int64(s, 8);
		tot[0] += q, tot[1] += sub, tot[2] += ap, tot[3] += pe;
		json_array_append_new(
		        items,
		        json_pack("{s:I, s:s, s:s, s:s?, s:s, s:I, s:I, s:I, s:I, s:f}", "id",
		                  (json_int_t)kw_stmt_column_int64(s, 0), "code",
		                  kw_stmt_column_text(s, 1, NULL), "name",
		                  kw_stmt_column_text(s, 2, NULL), "department",
		                  kw_stmt_column_is_null(s, 3) ? NULL
		                                               : kw_stmt_column_text(s, 3, NULL),
		                  "recruiter", kw_stmt_column_text(s, 4, NULL), "quota",
		                  (json_int_t)q, "submitted", (json_int_t)sub, "approved",
		                  (json_int_t)ap, "pending", (json_int_t)pe, "ratio",
		                  q ? (double)(ap * 10 / q) / 10.0 : 0.0));
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(s);
	s = NULL;
	/* Exams registered by subject: the totals by status. */
	if (!rc && json_array_size(items) == 0) {
		rc = kw_conn_prepare(
		        c,
		        "SELECT SUM(CASE WHEN status IN ('submitted', 'approved', "
		        "'rejected') THEN 1 ELSE 0 END), SUM(CASE WHEN status = "
		        "'approved' THEN 1 ELSE 0 END), SUM(CASE WHEN status = "
		        "'submitted' THEN 1 ELSE 0 END) FROM registrations WHERE exam_id "
		        "= $1",
		        &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, id);
			if ((rc = kw_stmt_step(s, err)) == KW_ROW) {
				tot[1] = kw_stmt_column_int64(s, 0);
				tot[2] = kw_stmt_column_int64(s, 1);
				tot[3] = kw_stmt_column_int64(s, 2);
				rc = 0;
			}
		}
		kw_stmt_finalize(s);
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	char at[32];
	kw_clock_format(kw_clock_now_us(), at);
	json_t *doc =
	        json_pack("{s:I, s:s, s:s, s:I, s:{s:I, s:I, s:I, s:I}, s:o}", "exam_id",
	                  (json_int_t)id, "exam_name", name, "as_of", at, "refresh_seconds",
	                  (json_int_t)(KW_STATS_REFRESH_US / 1000000), "totals", "quota",
	                  (json_int_t)tot[0], "submitted", (json_int_t)tot[1], "approved",
	                  (json_int_t)tot[2], "pending", (json_int_t)tot[3], "positions", items);
	*body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	*n = strlen(*body);
	return 0;
}

int kw_stats_exam(struct kw_app *app, int64_t id, char **body, size_t *n, char etag[72],
                  struct kw_err *err)
{
	struct kw_stats_cache *c = app->stats;
	int64_t now = kw_clock_now_us();
	pthread_mutex_lock(&c->mu);
	struct slot *sl = &c->slots[(uint64_t)id % SLOTS];
	int mine = sl->exam == id && sl->body;
	int fresh = mine && now - sl->at_us < KW_STATS_REFRESH_US;
	if (mine && (fresh || sl->refreshing)) {
		*body = kw_xmalloc(sl->n + 1);
		memcpy(*body, sl->body, sl->n + 1);
		*n = sl->n;
		memcpy(etag, sl->etag, 72);
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	int refresh = !sl->refreshing;
	if (refresh)
		sl->refreshing = 1;
	pthread_mutex_unlock(&c->mu);
	char *b = NULL;
	size_t len = 0;
	int rc = compute(app, id, &b, &len, err);
	if (rc) {
		if (refresh) {
			pthread_mutex_lock(&c->mu);
			sl->refreshing = 0;
			pthread_mutex_unlock(&c->mu);
		}
		return rc;
	}
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)b, len, NULL, 0);
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(etag, 72, "\"%s\"", hex);
	if (refresh) {
		pthread_mutex_lock(&c->mu);
		free(sl->body);
		sl->exam = id;
		sl->body = kw_xmalloc(len + 1);
		memcpy(sl->body, b, len + 1);
		sl->n = len;
		sl->at_us = now;
		memcpy(sl->etag, etag, 72);
		sl->refreshing = 0;
		pthread_mutex_unlock(&c->mu);
	}
	*body = b;
	*n = len;
	return 0;
}
