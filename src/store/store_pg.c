/*
 * The PostgreSQL driver (libpq).
 *
 * A connection speaks UTF-8 in UTC (client_encoding and TimeZone travel in the
 * connection parameters, so a reconnect keeps them), gives up connecting after 5 s and
 * prints no notices. Statements are prepared on the server under unique names and kept
 * in a per-connection cache keyed by their SQL, so a statement prepared again (every
 * request) costs no round trip; finalize only drops a reference. Parameters travel as
 * text (bytea in binary), results come back whole, as text; step() runs the statement
 * on its first call, then walks the rows.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/buf.h"

#define CACHE_MAX 256 /* server-side statements kept per connection */
#define BOOLOID   16
#define BYTEAOID  17

/* A statement prepared on the server, shared by every kw_stmt with the same SQL. */
struct prepared {
	char *sql;
	uint64_t hash;
	char name[32];
	int nparams, nfields;
	unsigned refs;       /* kw_stmts using it: never evicted while > 0 */
	uint64_t used;       /* LRU tick */
	uint64_t generation; /* the session it exists in (see pconn.generation) */
};

struct pconn {
	struct kw_conn base;
	PGconn *pg;
	uint64_t generation; /* bumped by every reconnect: the old statements are gone */
	uint64_t counter, tick;
	struct prepared **cache;
	size_t ncache, acache;
};

struct pstmt {
	struct kw_stmt base;
	struct pconn *c;
	struct prepared *ps;
	char **values; /* owned copies; NULL = SQL NULL */
	int *lengths, *formats;
	PGresult *res;
	int row, nrows, executed;
	int64_t changes;
	unsigned char **blobs; /* bytea decoded for the current row, per column */
	size_t *blob_lens;
	int nblobs;
};

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* "host:port" of a connection for messages: never the password. */
static void where(PGconn *pg, char *out, size_t n)
{
	const char *h = pg ? PQhost(pg) : NULL;
	const char *p = pg ? PQport(pg) : NULL;
	snprintf(out, n, "%s:%s", h && *h ? h : "localhost", p && *p ? p : "5432");
}

static void first_line(const char *msg, char *out, size_t n)
{
	if (!msg || !*msg)
		msg = "unknown PostgreSQL error";
	snprintf(out, n, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/* The first line of a libpq connection message, after "… failed: " when it has one. */
static void reason(const char *msg, char *out, size_t n)
{
	if (!msg || !*msg)
		msg = "no answer";
	const char *f = strstr(msg, "failed: ");
	const char *nl = strchr(msg, '\n');
	if (f && (!nl || f < nl))
		msg = f + 8;
	size_t len = strcspn(msg, "\n");
	snprintf(out, n, "%.*s", (int)len, msg);
}

/*
 * A message for people without the values it may quote: data exceptions (class 22)
 * quote the offending input, which may be personal data.
 */
static void redact(const char *msg, char *out, size_t n)
{
	size_t k = 0;
	const char *cut = strstr(msg, ": ");
	for (const char *p = msg; *p && p != cut && k + 6 < n; p++) {
		if (*p != '"') {
			out[k++] = *p;
			continue;
		}
		memcpy(out + k, "\"…\"", 5); /* the ellipsis is 3 bytes */
		k += 5;
		const char *end = strchr(p + 1, '"');
		if (!end)
			break;
		p = end;
	}
	out[k] = '\0';
}

static int lost_server(PGconn *pg, const char *msg, struct kw_err *err)
{
	char w[160], m[160];
	where(pg, w, sizeof w);
	reason(msg, m, sizeof m);
	int rc = kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
	                    "lost the connection to PostgreSQL at %s: %s", w, m);
	kw_err_detail(err, "server", json_string(w));
	return rc;
}

/* Maps a failed result (NULL: no result at all) to a KW_E*. */
static int fail(struct pconn *c, const PGresult *r, struct kw_err *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *whole = r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK ||
	    (state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	               strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)))
		return lost_server(c->pg, whole, err);
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char m[200], line[200];
	first_line(primary ? primary : whole, line, sizeof line);
	if (state && strncmp(state, "22", 2) == 0)
		redact(line, m, sizeof m);
	else
		snprintf(m, sizeof m, "%s", line);
	if (!state)
		return kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "%s", m);
	if (strncmp(state, "23", 2) == 0)
		return kw_err_set(err, KW_ECONFLICT, "STORE_CONSTRAINT", NULL, "%s (SQLSTATE %s)",
		                  m, state);
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return kw_err_set(err, KW_EBUSY, "DB_BUSY", NULL, "%s (SQLSTATE %s)", m, state);
	if (strcmp(state, "53100") == 0)
		return kw_err_set(err, KW_ESTORE, "DB_FULL", NULL, "%s (SQLSTATE %s)", m, state);
	return kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "%s (SQLSTATE %s)", m, state);
}

/* Does the URL carry a password (which an error message must not repeat)? */
static int has_password(const char *url)
{
	if (strstr(url, "password="))
		return 1;
	const char *p = strstr(url, "://");
	if (!p)
		return 0;
	p += 3;
	size_t auth = strcspn(p, "/?");
	const char *at = NULL;
	for (size_t i = 0; i < auth; i++)
		if (p[i] == '@')
			at = p + i;
	return at && memchr(p, ':', (size_t)(at - p)) != NULL;
}

static void free_cache(struct pconn *c)
{
	for (size_t i = 0; i < c->ncache; i++) {
		free(c->cache[i]->sql);
		free(c->cache[i]);
	}
	free(c->cache);
	c->cache = NULL;
	c->ncache = c->acache = 0;
}

static void p_close(struct kw_conn *kc)
{
	struct pconn *c = (struct pconn *)kc;
	PQfinish(c->pg);
	free_cache(c);
	free(c);
}

/*
 * Connects with the URL's parameters plus ours: client_encoding=UTF8 and TimeZone=UTC
 * always, connect_timeout=5 and TCP keepalives unless the URL says otherwise.
 */
static int p_open(const char *url, unsigned flags, struct kw_conn **out, struct kw_err *err)
{
	(void)flags;
	char *perr = NULL, *options = NULL;
	const char **keys = NULL, **vals = NULL;
	PGconn *pg = NULL;
	int rc = 0;
	PQconninfoOption *opts = PQconninfoParse(url, &perr);
	if (!opts) {
		char m[160];
		reason(perr, m, sizeof m);
		if (has_password(url) || !perr)
			rc = kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
			                "the PostgreSQL URL is not valid (it holds a password, so "
			                "the details are not shown)");
		else
			rc = kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
			                "the PostgreSQL URL is not valid: %s", m);
		PQfreemem(perr);
		goto out;
	}
	static const char *const defaults[][2] = {
	        {"connect_timeout", "5"},
	        {"keepalives_idle", "30"},
	        {"keepalives_interval", "10"},
	        {"keepalives_count", "3"},
	        {"fallback_application_name", "kaowu"},
	};
	size_t ndefaults = sizeof defaults / sizeof defaults[0], n = 0, k = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		n++;
	keys = kw_xcalloc(n + ndefaults + 3, sizeof *keys);
	vals = kw_xcalloc(n + ndefaults + 3, sizeof *vals);
	const char *user_options = NULL;
	for (size_t d = 0; d < ndefaults; d++) {
		keys[k] = defaults[d][0];
		vals[k++] = defaults[d][1];
	}
	/* Later entries win: the URL's own values override the defaults above. */
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || strcmp(o->keyword, "client_encoding") == 0)
			continue;
		if (strcmp(o->keyword, "options") == 0) {
			user_options = o->val;
			continue;
		}
		keys[k] = o->keyword;
		vals[k++] = o->val;
	}
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	if (user_options && *user_options)
		kw_buf_addf(&b, "%s ", user_options);
	kw_buf_adds(&b, "-c TimeZone=UTC -c standard_conforming_strings=on");
	options = kw_buf_detach(&b, NULL);
	keys[k] = "options";
	vals[k++] = options;
	keys[k] = "client_encoding";
	vals[k++] = "UTF8";
	keys[k] = NULL;
	vals[k] = NULL;
	pg = PQconnectdbParams(keys, vals, 0);
	if (!pg)
		abort(); /* out of memory, like kw_xmalloc */
	PQsetNoticeProcessor(pg, quiet, NULL);
	if (PQstatus(pg) != CONNECTION_OK) {
		char w[160], m[160];
		where(pg, w, sizeof w);
		reason(PQerrorMessage(pg), m, sizeof m);
		rc = kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
		                "cannot connect to PostgreSQL at %s: %s", w, m);
		kw_err_detail(err, "server", json_string(w));
		goto out;
	}
	const char *enc = PQparameterStatus(pg, "client_encoding");
	const char *tz = PQparameterStatus(pg, "TimeZone");
	if (!enc || strcmp(enc, "UTF8") != 0 || !tz || strcmp(tz, "UTC") != 0) {
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
		                "the server runs this session with client_encoding %s and "
		                "TimeZone %s, not UTF8 and UTC",
		                enc ? enc : "?", tz ? tz : "?");
		goto out;
	}
	struct pconn *c = kw_xcalloc(1, sizeof *c);
	c->base.ops = &kw_store_pg_ops;
	c->pg = pg;
	pg = NULL;
	*out = &c->base;
out:
	PQfinish(pg);
	PQconninfoFree(opts);
	free(keys);
	free(vals);
	free(options);
	return rc;
}

static int is_commit(const char *sql)
{
	sql += strspn(sql, " \t\r\n");
	return strncmp(sql, "COMMIT", 6) == 0 || strncmp(sql, "commit", 6) == 0 ||
	       strncmp(sql, "END", 3) == 0 || strncmp(sql, "end", 3) == 0;
}

static void cache_drop_unheld(struct pconn *c);

static int p_exec(struct kw_conn *kc, const char *sql, struct kw_err *err)
{
	struct pconn *c = (struct pconn *)kc;
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = fail(c, r, err);
	else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0 && is_commit(sql))
		/* COMMIT of a failed transaction "succeeds" by rolling back: not for us. */
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
		                "the transaction was rolled back: a statement in it failed");
	PQclear(r);
	if (!rc && kw__sql_changes_schema(sql))
		cache_drop_unheld(c);
	return rc;
}

/* One round trip; a lost connection is reset (reconnected) and reported only if that fails. */
static int p_ping(struct kw_conn *kc, struct kw_err *err)
{
	struct pconn *c = (struct pconn *)kc;
	if (PQstatus(c->pg) == CONNECTION_OK) {
		PGresult *r = PQexec(c->pg, "");
		int rc = 0;
		if (PQresultStatus(r) != PGRES_EMPTY_QUERY && PQstatus(c->pg) == CONNECTION_OK)
			rc = fail(c, r, err); /* the server answered, with an error */
		int answered = PQstatus(c->pg) == CONNECTION_OK;
		PQclear(r);
		if (answered)
			return rc;
	}
	PQreset(c->pg);
	c->generation++;
	if (PQstatus(c->pg) != CONNECTION_OK) {
		char w[160], m[160];
		where(c->pg, w, sizeof w);
		reason(PQerrorMessage(c->pg), m, sizeof m);
		int rc = kw_err_set(err, KW_EUNAVAILABLE, "DB_UNAVAILABLE", NULL,
		                    "cannot reconnect to PostgreSQL at %s: %s", w, m);
		kw_err_detail(err, "server", json_string(w));
		return rc;
	}
	return 0;
}

static int p_lost(struct kw_conn *kc)
{
	return PQstatus(((struct pconn *)kc)->pg) != CONNECTION_OK;
}

static int p_in_tx(struct kw_conn *kc)
{
	PGTransactionStatusType t = PQtransactionStatus(((struct pconn *)kc)->pg);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

/* ---- the statement cache ---- */

static struct prepared *cache_find(struct pconn *c, const char *sql, uint64_t h)
{
	for (size_t i = 0; i < c->ncache; i++)
		if (c->cache[i]->hash == h && strcmp(c->cache[i]->sql, sql) == 0)
			return c->cache[i];
	return NULL;
}

/*
 * Makes room for one more statement: drops the least recently used one that no kw_stmt
 * holds. Only outside a transaction, where a failed DEALLOCATE cannot fail anything else;
 * inside one the cache may grow past CACHE_MAX for a while.
 */
static void cache_evict(struct pconn *c)
{
	if (c->ncache < CACHE_MAX || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		return;
	size_t victim = c->ncache;
	for (size_t i = 0; i < c->ncache; i++)
		if (!c->cache[i]->refs &&
		    (victim == c->ncache || c->cache[i]->used < c->cache[victim]->used))
			victim = i;
	if (victim == c->ncache)
		return;
	struct prepared *p = c->cache[victim];
	if (p->generation == c->generation) {
		char sql[64];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", p->name);
		PQclear(PQexec(c->pg, sql));
	}
	free(p->sql);
	free(p);
	c->cache[victim] = c->cache[--c->ncache];
}

/* Drops every statement no kw_stmt holds (after a schema change: a kept statement would
 * still describe the old columns, and PostgreSQL refuses to run one whose result changed). */
static void cache_drop_unheld(struct pconn *c)
{
	size_t kept = 0;
	for (size_t i = 0; i < c->ncache; i++) {
		struct prepared *p = c->cache[i];
		if (p->refs) {
			c->cache[kept++] = p;
			continue;
		}
		if (p->generation == c->generation) {
			char sql[64];
			snprintf(sql, sizeof sql, "DEALLOCATE %s", p->name);
			PQclear(PQexec(c->pg, sql));
		}
		free(p->sql);
		free(p);
	}
	c->ncache = kept;
}

/* PREPAREs p in the current session. */
static int server_prepare(struct pconn *c, struct prepared *p, struct kw_err *err)
{
	PGresult *r = PQprepare(c->pg, p->name, p->sql, 0, NULL);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(c, r, err);
	PQclear(r);
	if (!rc)
		p->generation = c->generation;
	return rc;
}

/* A new cache entry for sql, prepared and described (its parameter and column counts). */
static int cache_add(struct pconn *c, const char *sql, uint64_t h, struct prepared **out,
                     struct kw_err *err)
{
	struct prepared *p = kw_xcalloc(1, sizeof *p);
	PGresult *r = NULL;
	p->sql = kw_xstrdup(sql);
	p->hash = h;
	snprintf(p->name, sizeof p->name, "kw_%" PRIu64, ++c->counter);
	int rc = server_prepare(c, p, err);
	if (rc)
		goto out;
	r = PQdescribePrepared(c->pg, p->name);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = fail(c, r, err);
		goto out;
	}
	p->nparams = PQnparams(r);
	p->nfields = PQnfields(r);
	if (c->ncache == c->acache) {
		c->acache = c->acache ? 2 * c->acache : 16;
		c->cache = kw_xrealloc(c->cache, c->acache * sizeof *c->cache);
	}
	c->cache[c->ncache++] = p;
	*out = p;
	p = NULL;
out:
	PQclear(r);
	if (p) {
		free(p->sql);
		free(p);
	}
	return rc;
}

static int p_prepare(struct kw_conn *kc, const char *sql, struct kw_stmt **out, struct kw_err *err)
{
	struct pconn *c = (struct pconn *)kc;
	uint64_t h = kw__sql_hash(sql);
	struct prepared *p = cache_find(c, sql, h);
	int rc = 0;
	if (!p) {
		cache_evict(c);
		rc = cache_add(c, sql, h, &p, err);
	} else if (p->generation != c->generation) {
		rc = server_prepare(c, p, err);
	}
	if (rc)
		return rc;
	p->refs++;
	p->used = ++c->tick;
	struct pstmt *s = kw_xcalloc(1, sizeof *s);
	size_t np = p->nparams ? (size_t)p->nparams : 1;
	s->base.ops = &kw_store_pg_ops;
	s->c = c;
	s->ps = p;
	s->values = kw_xcalloc(np, sizeof *s->values);
	s->lengths = kw_xcalloc(np, sizeof *s->lengths);
	s->formats = kw_xcalloc(np, sizeof *s->formats);
	s->row = -1;
	*out = &s->base;
	return 0;
}

/* ---- statements ---- */

/* Takes ownership of v as parameter $i (1-based). */
static int set_param(struct pstmt *s, int i, char *v, size_t len, int binary)
{
	if (i < 1 || i > s->ps->nparams) {
		free(v);
		return KW_EINVAL;
	}
	free(s->values[i - 1]);
	s->values[i - 1] = v;
	s->lengths[i - 1] = (int)len;
	s->formats[i - 1] = binary;
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
	return set_param((struct pstmt *)ks, i, kw_xstrndup(v, n), n, 0);
}

static int p_bind_blob(struct kw_stmt *ks, int i, const void *v, size_t n)
{
	char *b = kw_xmalloc(n);
	memcpy(b, v, n);
	return set_param((struct pstmt *)ks, i, b, n, 1);
}

static int p_bind_null(struct kw_stmt *ks, int i)
{
	return set_param((struct pstmt *)ks, i, NULL, 0, 0);
}

static void clear_blobs(struct pstmt *s)
{
	for (int i = 0; i < s->nblobs; i++) {
		PQfreemem(s->blobs[i]);
		s->blobs[i] = NULL;
	}
}

/* Rows an INSERT/UPDATE/DELETE/MERGE changed; 0 for anything else. */
static int64_t changes_of(PGresult *r)
{
	const char *tag = PQcmdStatus(r);
	if (strncmp(tag, "INSERT ", 7) && strncmp(tag, "UPDATE ", 7) &&
	    strncmp(tag, "DELETE ", 7) && strncmp(tag, "MERGE ", 6))
		return 0;
	const char *n = PQcmdTuples(r);
	return n && *n ? strtoll(n, NULL, 10) : 0;
}

static int run(struct pstmt *s, struct kw_err *err)
{
	struct pconn *c = s->c;
	if (s->ps->generation != c->generation) {
		int rc = server_prepare(c, s->ps, err);
		if (rc)
			return rc;
	}
	s->res = PQexecPrepared(c->pg, s->ps->name, s->ps->nparams, (const char *const *)s->values,
	                        s->lengths, s->formats, 0);
	ExecStatusType st = PQresultStatus(s->res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		int rc = fail(c, s->res, err);
		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
	s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
	s->changes = changes_of(s->res);
	return 0;
}

static int p_step(struct kw_stmt *ks, struct kw_err *err)
{
	struct pstmt *s = (struct pstmt *)ks;
	if (!s->executed) {
		s->executed = 1; /* after a failure too: KW_DONE until reset */
		int rc = run(s, err);
		if (rc)
			return rc;
	}
	clear_blobs(s);
	if (s->row + 1 < s->nrows) {
		s->row++;
		return KW_ROW;
	}
	s->row = s->nrows;
	return KW_DONE;
}

static void p_reset(struct kw_stmt *ks)
{
	struct pstmt *s = (struct pstmt *)ks;
	clear_blobs(s);
	PQclear(s->res);
	s->res = NULL;
	s->executed = 0;
	s->row = -1;
	s->nrows = 0;
	s->changes = 0;
}

static int p_column_count(struct kw_stmt *ks)
{
	struct pstmt *s = (struct pstmt *)ks;
	return s->res ? PQnfields(s->res) : s->ps->nfields;
}

static int in_row(struct pstmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

static int p_column_is_null(struct kw_stmt *ks, int i)
{
	struct pstmt *s = (struct pstmt *)ks;
	return !in_row(s, i) || PQgetisnull(s->res, s->row, i);
}

static int64_t p_column_int64(struct kw_stmt *ks, int i)
{
	struct pstmt *s = (struct pstmt *)ks;
	if (p_column_is_null(ks, i))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, i);
	if (PQftype(s->res, i) == BOOLOID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *p_column_text(struct kw_stmt *ks, int i, size_t *n)
{
	struct pstmt *s = (struct pstmt *)ks;
	if (p_column_is_null(ks, i)) {
		*n = 0;
		return "";
	}
	*n = (size_t)PQgetlength(s->res, s->row, i);
	return PQgetvalue(s->res, s->row, i);
}

/* bytea is decoded (kept until the next step); any other type gives its text. */
static const void *p_column_blob(struct kw_stmt *ks, int i, size_t *n)
{
	struct pstmt *s = (struct pstmt *)ks;
	if (p_column_is_null(ks, i) || PQftype(s->res, i) != BYTEAOID)
		return p_column_text(ks, i, n);
	if (!s->blobs) {
		s->nblobs = PQnfields(s->res);
		s->blobs = kw_xcalloc((size_t)s->nblobs, sizeof *s->blobs);
		s->blob_lens = kw_xcalloc((size_t)s->nblobs, sizeof *s->blob_lens);
	}
	if (!s->blobs[i]) {
		s->blobs[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i),
		                              &s->blob_lens[i]);
		if (!s->blobs[i])
			abort(); /* out of memory (the server's encoding is always valid) */
	}
	*n = s->blob_lens[i];
	return s->blobs[i];
}

/* Known once step has returned KW_DONE, like SQLite; 0 before. */
static int64_t p_changes(struct kw_stmt *ks)
{
	struct pstmt *s = (struct pstmt *)ks;
	return s->executed && s->row >= s->nrows ? s->changes : 0;
}

static void p_finalize(struct kw_stmt *ks)
{
	struct pstmt *s = (struct pstmt *)ks;
	p_reset(ks);
	for (int i = 0; i < s->ps->nparams; i++)
		free(s->values[i]);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->blobs);
	free(s->blob_lens);
	s->ps->refs--;
	free(s);
}

const struct kw_store_ops kw_store_pg_ops = {
        .name = "postgresql",
        .driver = KW_DRIVER_PG,
        .begin_sql = "BEGIN",
        .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        .blob_type = "BYTEA",
        /* every server migrating this database waits here (7316871001: the audit writer) */
        .lock_sql = "SELECT pg_advisory_xact_lock(7316871002)",
        .has_table_sql = "SELECT count(*) FROM pg_catalog.pg_tables "
                         "WHERE schemaname = current_schema() AND tablename = $1",
        .open = p_open,
        .close = p_close,
        .exec = p_exec,
        .ping = p_ping,
        .lost = p_lost,
        .in_tx = p_in_tx,
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
};
