/*
 * The PostgreSQL driver (libpq). Statements are prepared once (unnamed per connection
 * counter), parameters travel as text (bytea as binary), results come back as text.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/buf.h"

#define MAX_PARAMS 64

struct pconn {
	struct kw_conn base;
	PGconn *pg;
	char *conninfo;
	uint64_t stmt_counter;
	uint64_t generation; /* bumped on every reconnect: statements re-prepare */
};

struct pstmt {
	struct kw_stmt base;
	struct pconn *c;
	char *sql;
	char name[32];
	uint64_t generation;
	int nparams;
	char *values[MAX_PARAMS];
	int lengths[MAX_PARAMS];
	int formats[MAX_PARAMS];
	PGresult *res;
	int row, nrows, executed;
	int64_t changes;
	unsigned char *blob; /* last decoded bytea */
};

static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* host:port of a connection, for messages (never the password). */
static void where(PGconn *pg, char *out, size_t n)
{
	const char *h = pg ? PQhost(pg) : NULL;
	const char *p = pg ? PQport(pg) : NULL;
	snprintf(out, n, "%s:%s", h && *h ? h : "?", p && *p ? p : "?");
}

static int map_result(struct pconn *c, PGresult *res, struct kw_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg);
	char m[200];
	snprintf(m, sizeof m, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
	m[strcspn(m, "\n")] = '\0';
	if (PQstatus(c->pg) != CONNECTION_OK ||
	    (state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0))) {
		char w[128];
		where(c->pg, w, sizeof w);
		return kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
		                  "lost the PostgreSQL server at %s: %s", w, m);
	}
	if (state && strncmp(state, "23", 2) == 0)
		return kw_err_set(err, KW_ECONFLICT, "STORE_CONSTRAINT", NULL, "%s", m);
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	              strcmp(state, "55P03") == 0))
		return kw_err_set(err, KW_EBUSY, "DB_BUSY", NULL, "%s", m);
	if (state && strcmp(state, "53100") == 0)
		return kw_err_set(err, KW_ESTORE, "DB_FULL", NULL, "%s", m);
	return kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "%s", m);
}

static void p_close(struct kw_conn *kc)
{
	struct pconn *c = (struct pconn *)kc;
	PQfinish(c->pg);
	free(c->conninfo);
	free(c);
}

static int setup(struct pconn *c, struct kw_err *err)
{
	PQsetNoticeProcessor(c->pg, no_notices, NULL);
	PGresult *r = PQexec(c->pg, "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; "
	                            "SET client_min_messages = warning");
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : map_result(c, r, err);
	PQclear(r);
	return rc;
}

static int p_open(const char *url, unsigned flags, struct kw_conn **out, struct kw_err *err)
{
	(void)flags;
	struct pconn *c = kw_xcalloc(1, sizeof *c);
	c->base.ops = &kw_store_pg_ops;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, url);
	if (!strstr(url, "connect_timeout="))
		kw_buf_adds(&b, strchr(url, '?') ? "&connect_timeout=5" : "?connect_timeout=5");
	c->conninfo = kw_buf_detach(&b, NULL);
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(c->conninfo, &perr);
	if (!opts) {
		PQfreemem(perr);
		p_close(&c->base);
		return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
		                  "the PostgreSQL URL cannot be parsed");
	}
	PQconninfoFree(opts);
	c->pg = PQconnectdb(c->conninfo);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		char w[128], m[200];
		where(c->pg, w, sizeof w);
		snprintf(m, sizeof m, "%s", PQerrorMessage(c->pg));
		m[strcspn(m, "\n")] = '\0';
		p_close(&c->base);
		int rc = kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
		                    "cannot connect to PostgreSQL at %s: %s", w, m);
		kw_err_detail(err, "server", json_string(w));
		return rc;
	}
	int rc = setup(c, err);
	if (rc) {
		p_close(&c->base);
		return rc;
	}
	*out = &c->base;
	return 0;
}

static int p_exec(struct kw_conn *kc, const char *sql, struct kw_err *err)
{
	struct pconn *c = (struct pconn *)kc;
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : map_result(c, r, err);
	PQclear(r);
	return rc;
}

static int p_ping(struct kw_conn *kc, struct kw_err *err)
{
	struct pconn *c = (struct pconn *)kc;
	if (PQstatus(c->pg) != CONNECTION_OK) {
		PQreset(c->pg);
		if (PQstatus(c->pg) != CONNECTION_OK) {
			char w[128];
			where(c->pg, w, sizeof w);
			return kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
			                  "PostgreSQL at %s does not answer", w);
		}
		c->generation++;
		int rc = setup(c, err);
		if (rc)
			return rc;
	}
	return p_exec(kc, "SELECT 1", err);
}

/* Counts $N parameters: the highest N used. */
static int count_params(const char *sql)
{
	int max = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'') { /* skip string literals */
			p++;
			while (*p && *p != '\'')
				p++;
			if (!*p)
				break;
			continue;
		}
		if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			int n = 0;
			const char *q = p + 1;
			while (*q >= '0' && *q <= '9')
				n = n * 10 + (*q++ - '0');
			if (n > max)
				max = n;
		}
	}
	return max;
}

static int do_prepare(struct pstmt *s, struct kw_err *err)
{
	struct pconn *c = s->c;
	snprintf(s->name, sizeof s->name, "kw%" PRIu64, ++c->stmt_counter);
	PGresult *r = PQprepare(c->pg, s->name, s->sql, 0, NULL);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : map_result(c, r, err);
	PQclear(r);
	s->generation = c->generation;
	return rc;
}

static void p_finalize(struct kw_stmt *ks);

static int p_prepare(struct kw_conn *kc, const char *sql, struct kw_stmt **out, struct kw_err *err)
{
	struct pconn *c = (struct pconn *)kc;
	int n = count_params(sql);
	if (n > MAX_PARAMS)
		return kw_err_set(err, KW_EINVAL, "DB_ERROR", NULL, "more than %d parameters",
		                  MAX_PARAMS);
	struct pstmt *s = kw_xcalloc(1, sizeof *s);
	s->base.ops = &kw_store_pg_ops;
	s->c = c;
	s->sql = kw_xstrdup(sql);
	s->nparams = n;
	int rc = do_prepare(s, err);
	if (rc) {
		p_finalize(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}

static int set_param(struct pstmt *s, int i, char *v, int len, int fmt)
{
	if (i < 1 || i > s->nparams) {
		free(v);
		return KW_EINVAL;
	}
	free(s->values[i - 1]);
	s->values[i - 1] = v;
	s->lengths[i - 1] = len;
	s->formats[i - 1] = fmt;
	return 0;
}

static int p_bind_int64(struct kw_stmt *ks, int i, int64_t v)
{
	char *t = kw_xmalloc(24);
	snprintf(t, 24, "%" PRId64, v);
	return set_param((struct pstmt *)ks, i, t, 0, 0);
}

static int p_bind_text(struct kw_stmt *ks, int i, const char *v, size_t n)
{
	if (memchr(v, '\0', n))
		return KW_EINVAL; /* PostgreSQL text cannot hold NUL */
	return set_param((struct pstmt *)ks, i, kw_xstrndup(v, n), 0, 0);
}

static int p_bind_blob(struct kw_stmt *ks, int i, const void *v, size_t n)
{
	if (n > INT32_MAX)
		return KW_ETOOBIG;
	char *b = kw_xmalloc(n);
	if (n)
		memcpy(b, v, n);
	return set_param((struct pstmt *)ks, i, b, (int)n, 1);
}

static int p_bind_null(struct kw_stmt *ks, int i)
{
	return set_param((struct pstmt *)ks, i, NULL, 0, 0);
}

static void clear_result(struct pstmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
	PQfreemem(s->blob);
	s->blob = NULL;
}

static int p_step(struct kw_stmt *ks, struct kw_err *err)
{
	struct pstmt *s = (struct pstmt *)ks;
	if (!s->executed) {
		if (s->generation != s->c->generation) {
			int rc = do_prepare(s, err);
			if (rc)
				return rc;
		}
		clear_result(s);
		s->res = PQexecPrepared(s->c->pg, s->name, s->nparams,
		                        (const char *const *)s->values, s->lengths, s->formats, 0);
		ExecStatusType st = PQresultStatus(s->res);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			int rc = map_result(s->c, s->res, err);
			clear_result(s);
			return rc;
		}
		s->executed = 1;
		s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
		const char *ct = PQcmdTuples(s->res);
		s->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
		s->row = -1;
	}
	if (s->row + 1 < s->nrows) {
		s->row++;
		PQfreemem(s->blob);
		s->blob = NULL;
		return KW_ROW;
	}
	s->row = s->nrows;
	return KW_DONE;
}

static int p_reset(struct kw_stmt *ks)
{
	struct pstmt *s = (struct pstmt *)ks;
	clear_result(s);
	s->executed = 0;
	s->changes = 0;
	return 0;
}

static int p_column_count(struct kw_stmt *ks)
{
	struct pstmt *s = (struct pstmt *)ks;
	return s->res ? PQnfields(s->res) : 0;
}

static int valid_cell(struct pstmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

static int p_column_is_null(struct kw_stmt *ks, int i)
{
	struct pstmt *s = (struct pstmt *)ks;
	return !valid_cell(s, i) || PQgetisnull(s->res, s->row, i);
}

static int64_t p_column_int64(struct kw_stmt *ks, int i)
{
	struct pstmt *s = (struct pstmt *)ks;
	if (p_column_is_null(ks, i))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, i);
	if (v[0] == 't' && v[1] == '\0') /* boolean */
		return 1;
	return strtoll(v, NULL, 10);
}

static const char *p_column_text(struct kw_stmt *ks, int i, size_t *n)
{
	struct pstmt *s = (struct pstmt *)ks;
	if (p_column_is_null(ks, i)) {
		if (n)
			*n = 0;
		return "";
	}
	if (n)
		*n = (size_t)PQgetlength(s->res, s->row, i);
	return PQgetvalue(s->res, s->row, i);
}

static const void *p_column_blob(struct kw_stmt *ks, int i, size_t *n)
{
	struct pstmt *s = (struct pstmt *)ks;
	*n = 0;
	if (p_column_is_null(ks, i))
		return "";
	PQfreemem(s->blob);
	size_t len = 0;
	s->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i), &len);
	if (!s->blob)
		return "";
	*n = len;
	return s->blob;
}

static int64_t p_changes(struct kw_stmt *ks)
{
	return ((struct pstmt *)ks)->changes;
}

static void p_finalize(struct kw_stmt *ks)
{
	struct pstmt *s = (struct pstmt *)ks;
	clear_result(s);
	if (s->name[0] && s->generation == s->c->generation &&
	    PQstatus(s->c->pg) == CONNECTION_OK &&
	    PQtransactionStatus(s->c->pg) != PQTRANS_INERROR) {
		char sql[64];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		PQclear(PQexec(s->c->pg, sql));
	}
	for (int i = 0; i < s->nparams; i++)
		free(s->values[i]);
	free(s->sql);
	free(s);
}

const struct kw_store_ops kw_store_pg_ops = {
        .name = "postgresql",
        .driver = KW_DRIVER_PG,
        .open = p_open,
        .close = p_close,
        .exec = p_exec,
        .ping = p_ping,
        .prepare = p_prepare,
        .bind_int64 = p_bind_int64,
        .bind_text = p_bind_text,
        .bind_blob = p_bind_blob,
        .bind_null = p_bind_null,
        .step = p_step,
        .reset = p_reset,
        .column_count = p_column_count,
        .column_is_null = p_column_is_null,
        .column_int64 = p_column_int64,
        .column_text = p_column_text,
        .column_blob = p_column_blob,
        .changes = p_changes,
        .finalize = p_finalize,
        .begin_sql = "BEGIN",
};
