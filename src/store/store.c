/*
 * The storage front: URL dispatch, the rules both drivers share, migrations, backup
 * dispatch and the connection pool. The drivers are store_sqlite.c and store_pg.c.
 *
 * Shared rules, so that code tested on SQLite behaves the same on PostgreSQL:
 * - after a statement fails inside a transaction, the transaction is failed (as
 *   PostgreSQL does it): every statement is refused until kw_conn_rollback or
 *   kw_conn_rollback_to a savepoint taken before the failure; kw_conn_commit rolls back
 *   and reports the failure;
 * - parameters are bound before the first step (after kw_stmt_reset to bind again);
 *   a failed bind is reported again by step, so an unchecked bind cannot pass unseen;
 * - text is valid UTF-8 without NUL bytes (PostgreSQL refuses anything else).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"

#define MAX_VALUE_BYTES (1u << 30) /* one bound text or blob; both drivers allow it */
#define MAX_POOL        1024

/* ---- URLs ---- */

/* The driver and target for url, or KW_EINVAL (DB_URL_INVALID) without echoing secrets. */
static int parse_url(const char *url, const struct kw_store_ops **ops, const char **target,
                     struct kw_err *err)
{
	static const char forms[] = "use sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE";
	if (!url || !*url)
		return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
		                  "no database URL given: %s", forms);
	if (strncmp(url, "sqlite:", 7) == 0) {
		const char *path = url + 7;
		/* sqlite:///abs/path is accepted as /abs/path; sqlite://host/… is not a path. */
		if (strncmp(path, "//", 2) == 0) {
			if (path[2] != '/')
				return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
				                  "sqlite: takes a file path, not a host: %s",
				                  forms);
			path += 2;
		}
		if (!*path)
			return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
			                  "sqlite: needs a file path: %s", forms);
		*ops = &kw_store_sqlite_ops;
		*target = path;
		return 0;
	}
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		*ops = &kw_store_pg_ops;
		*target = url;
		return 0;
	}
	/* Name only the scheme: the rest of an unknown URL may hold a password. */
	size_t n = strcspn(url, ":");
	if (url[n] == ':' && n > 0 && n <= 20)
		return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
		                  "unsupported database URL scheme \"%.*s\": %s", (int)n, url,
		                  forms);
	if (!url[n] && !strchr(url, '@') && n <= 200)
		return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
		                  "\"%s\" is not a database URL (did you mean sqlite:%s?)", url,
		                  url);
	return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL, "not a database URL: %s", forms);
}

/* ---- connections ---- */

int kw_conn_open(const char *url, unsigned flags, struct kw_conn **out, struct kw_err *err)
{
	const struct kw_store_ops *ops = NULL;
	const char *target = NULL;
	*out = NULL;
	int rc = parse_url(url, &ops, &target, err);
	if (rc)
		return rc;
	return ops->open(target, flags, out, err);
}

void kw_conn_close(struct kw_conn *c)
{
	if (c)
		c->ops->close(c);
}

enum kw_driver kw_conn_driver(const struct kw_conn *c)
{
	return c->ops->driver;
}

const char *kw_conn_driver_name(const struct kw_conn *c)
{
	return c->ops->name;
}

static int refuse_failed(struct kw_err *err)
{
	return kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
	                  "the transaction has already failed: roll it back (or back to a "
	                  "savepoint taken before the failure)");
}

/*
 * A failure inside a transaction fails the transaction. Returns rc. tx_open counts too:
 * SQLite rolls a transaction back by itself after some errors (disk full, I/O), and
 * PostgreSQL loses it with the connection; what follows must not run as autocommit.
 */
static int note(struct kw_conn *c, int rc)
{
	if (rc < 0 && (c->tx_open || c->ops->in_tx(c)))
		c->tx_failed = 1;
	return rc;
}

static int is_rollback(const char *sql)
{
	sql += strspn(sql, " \t\r\n");
	return strncmp(sql, "ROLLBACK", 8) == 0 || strncmp(sql, "rollback", 8) == 0;
}

int kw_conn_exec(struct kw_conn *c, const char *sql, struct kw_err *err)
{
	if (c->tx_failed && !is_rollback(sql))
		return refuse_failed(err);
	int rc = note(c, c->ops->exec(c, sql, err));
	if (!rc && (is_rollback(sql) || !c->ops->in_tx(c))) {
		c->tx_failed = 0; /* ROLLBACK, ROLLBACK TO a savepoint, or COMMIT */
		c->tx_open = c->ops->in_tx(c);
	}
	return rc;
}

int kw_conn_begin(struct kw_conn *c, struct kw_err *err)
{
	if (c->tx_failed)
		return refuse_failed(err);
	if (c->ops->in_tx(c))
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "begin: a transaction is already open on this connection");
	int rc = c->ops->exec(c, c->ops->begin_sql, err);
	c->tx_open = !rc;
	return rc;
}

int kw_conn_commit(struct kw_conn *c, struct kw_err *err)
{
	if (c->tx_failed) {
		int rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
		                    "the transaction was rolled back: a statement in it failed");
		kw_conn_rollback(c);
		return rc;
	}
	int rc = c->ops->exec(c, "COMMIT", err);
	if (rc && c->ops->in_tx(c)) {
		c->tx_failed = 1; /* still open (SQLite when busy): the caller rolls back */
		return rc;
	}
	c->tx_open = 0;
	return rc;
}

int kw_conn_rollback(struct kw_conn *c)
{
	int rc = c->ops->exec(c, "ROLLBACK", NULL);
	c->tx_failed = 0;
	c->tx_open = 0;
	/* Rolling back nothing (SQLite complains, PostgreSQL warns) is not a failure. */
	return c->ops->in_tx(c) ? rc : 0;
}

/* Runs "VERB name" for a savepoint name of letters, digits and underscores. */
static int savepoint_sql(struct kw_conn *c, const char *verb, const char *name, struct kw_err *err)
{
	size_t n = name ? strlen(name) : 0;
	int ok = n > 0 && n <= 63 && !(name[0] >= '0' && name[0] <= '9');
	for (size_t i = 0; ok && i < n; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		     (name[i] >= '0' && name[i] <= '9') || name[i] == '_';
	if (!ok)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "%s: a savepoint name is 1-63 letters, digits or _", verb);
	if (!c->ops->in_tx(c))
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "%s %s: no transaction is open", verb, name);
	char sql[128];
	snprintf(sql, sizeof sql, "%s %s", verb, name);
	return note(c, c->ops->exec(c, sql, err));
}

int kw_conn_savepoint(struct kw_conn *c, const char *name, struct kw_err *err)
{
	if (c->tx_failed)
		return refuse_failed(err);
	return savepoint_sql(c, "SAVEPOINT", name, err);
}

int kw_conn_release(struct kw_conn *c, const char *name, struct kw_err *err)
{
	if (c->tx_failed)
		return refuse_failed(err);
	return savepoint_sql(c, "RELEASE SAVEPOINT", name, err);
}

/* Undoes the work since the savepoint, a failure included; the savepoint stays. */
int kw_conn_rollback_to(struct kw_conn *c, const char *name, struct kw_err *err)
{
	int rc = savepoint_sql(c, "ROLLBACK TO SAVEPOINT", name, err);
	if (!rc)
		c->tx_failed = 0;
	return rc;
}

/* A transaction lost with the connection still needs kw_conn_rollback afterwards. */
int kw_conn_ping(struct kw_conn *c, struct kw_err *err)
{
	return c->ops->ping(c, err);
}

/* ---- statements ---- */

int kw__sql_changes_schema(const char *sql)
{
	static const char *const words[] = {"create", "alter", "drop"};
	for (const char *p = sql; *p; p++) {
		int f = tolower((unsigned char)*p);
		if ((f != 'c' && f != 'a' && f != 'd') ||
		    (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
			continue;
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
			size_t n = strlen(words[i]);
			if (strncasecmp(p, words[i], n) == 0 && !isalnum((unsigned char)p[n]) &&
			    p[n] != '_')
				return 1;
		}
	}
	return 0;
}

int kw_conn_prepare(struct kw_conn *c, const char *sql, struct kw_stmt **out, struct kw_err *err)
{
	*out = NULL;
	if (!sql)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "prepare: no SQL");
	if (c->tx_failed)
		return refuse_failed(err);
	int rc = note(c, c->ops->prepare(c, sql, out, err));
	if (!rc)
		(*out)->conn = c;
	return rc;
}

/* Records the first failed bind; returns rc. */
static int bound(struct kw_stmt *s, int i, int rc)
{
	if (rc && !s->bind_rc) {
		s->bind_rc = rc;
		s->bind_index = i;
	}
	return rc;
}

/* Is s[0..n) UTF-8 (RFC 3629: no overlongs, surrogates or code points past U+10FFFF)? */
static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return 0;
		}
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return 0;
		i += len;
	}
	return 1;
}

int kw_stmt_bind_int64(struct kw_stmt *s, int i, int64_t v)
{
	if (s->started)
		return bound(s, i, KW_EINVAL);
	return bound(s, i, s->ops->bind_int64(s, i, v));
}

int kw_stmt_bind_text(struct kw_stmt *s, int i, const char *v, size_t n)
{
	if (s->started || (!v && n))
		return bound(s, i, KW_EINVAL);
	if (n > MAX_VALUE_BYTES)
		return bound(s, i, KW_ETOOBIG);
	if (!v)
		v = "";
	if (memchr(v, '\0', n) || !utf8_valid((const unsigned char *)v, n))
		return bound(s, i, KW_EINVAL);
	return bound(s, i, s->ops->bind_text(s, i, v, n));
}

int kw_stmt_bind_textz(struct kw_stmt *s, int i, const char *v)
{
	return v ? kw_stmt_bind_text(s, i, v, strlen(v)) : kw_stmt_bind_null(s, i);
}

int kw_stmt_bind_blob(struct kw_stmt *s, int i, const void *v, size_t n)
{
	if (s->started || (!v && n))
		return bound(s, i, KW_EINVAL);
	if (n > MAX_VALUE_BYTES)
		return bound(s, i, KW_ETOOBIG);
	return bound(s, i, s->ops->bind_blob(s, i, n ? v : "", n));
}

int kw_stmt_bind_null(struct kw_stmt *s, int i)
{
	if (s->started)
		return bound(s, i, KW_EINVAL);
	return bound(s, i, s->ops->bind_null(s, i));
}

int kw_stmt_step(struct kw_stmt *s, struct kw_err *err)
{
	if (!s->started) {
		if (s->bind_rc)
			return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                  "binding parameter $%d failed (%s): the statement "
			                  "was not run",
			                  s->bind_index, kw_err_name(s->bind_rc));
		if (s->conn->tx_failed)
			return refuse_failed(err);
		s->started = 1;
	}
	return note(s->conn, s->ops->step(s, err));
}

int kw_stmt_reset(struct kw_stmt *s)
{
	s->started = 0;
	s->bind_rc = 0;
	s->bind_index = 0;
	s->ops->reset(s);
	return 0;
}

int kw_stmt_column_count(struct kw_stmt *s)
{
	return s->ops->column_count(s);
}

int kw_stmt_column_is_null(struct kw_stmt *s, int i)
{
	return s->ops->column_is_null(s, i);
}

int64_t kw_stmt_column_int64(struct kw_stmt *s, int i)
{
	return s->ops->column_int64(s, i);
}

const char *kw_stmt_column_text(struct kw_stmt *s, int i, size_t *n)
{
	size_t dummy;
	return s->ops->column_text(s, i, n ? n : &dummy);
}

void kw_stmt_column_copy(struct kw_stmt *s, int i, char *out, size_t n)
{
	const char *t = kw_stmt_column_text(s, i, NULL);
	snprintf(out, n, "%s", t ? t : "");
}

const void *kw_stmt_column_blob(struct kw_stmt *s, int i, size_t *n)
{
	size_t dummy;
	return s->ops->column_blob(s, i, n ? n : &dummy);
}

int64_t kw_stmt_changes(struct kw_stmt *s)
{
	return s->ops->changes(s);
}

void kw_stmt_finalize(struct kw_stmt *s)
{
	if (s)
		s->ops->finalize(s);
}

/* ---- migrations ---- */

struct migration {
	int version;
	const struct kw_embedded *file;
};

static int cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* The version of an embedded file called NNNN_name.sql, or 0 when it is not one. */
static int migration_version(const char *name)
{
	size_t len = strlen(name);
	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return 0;
	int v = 0;
	for (int i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

/*
 * The embedded migrations in version order (*out, caller frees; *n of them), or
 * KW_EINTERNAL when two share a number (a build mistake).
 */
static int list_migrations(struct migration **out, size_t *n, struct kw_err *err)
{
	size_t count = 0, k = 0;
	for (const struct kw_embedded *e = kw_embedded; e->name; e++)
		count += migration_version(e->name) > 0;
	struct migration *m = kw_xcalloc(count ? count : 1, sizeof *m);
	for (const struct kw_embedded *e = kw_embedded; e->name; e++) {
		int v = migration_version(e->name);
		if (v > 0)
			m[k++] = (struct migration){v, e};
	}
	qsort(m, count, sizeof *m, cmp_migration);
	for (size_t i = 1; i < count; i++)
		if (m[i].version == m[i - 1].version) {
			int rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                    "two migrations are numbered %04d: %s and %s",
			                    m[i].version, m[i - 1].file->name, m[i].file->name);
			free(m);
			return rc;
		}
	*out = m;
	*n = count;
	return 0;
}

int kw_store_latest_version(void)
{
	int latest = 0;
	for (const struct kw_embedded *e = kw_embedded; e->name; e++) {
		int v = migration_version(e->name);
		if (v > latest)
			latest = v;
	}
	return latest;
}

/* The SQL of a migration with @ID@ and @BLOB@ expanded for the driver; caller frees. */
static char *expand(const char *sql, const struct kw_store_ops *ops)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	const char *p = sql;
	for (;;) {
		const char *at = strchr(p, '@');
		if (!at) {
			kw_buf_adds(&b, p);
			break;
		}
		kw_buf_add(&b, p, (size_t)(at - p));
		if (strncmp(at, "@ID@", 4) == 0) {
			kw_buf_adds(&b, ops->id_type);
			p = at + 4;
		} else if (strncmp(at, "@BLOB@", 6) == 0) {
			kw_buf_adds(&b, ops->blob_type);
			p = at + 6;
		} else {
			kw_buf_add(&b, at, 1);
			p = at + 1;
		}
	}
	return kw_buf_detach(&b, NULL);
}

/* One integer from a one-row query with an optional text parameter $1. */
static int query_int(struct kw_conn *c, const char *sql, const char *param, int64_t *v,
                     struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (rc)
		goto out;
	if (param) {
		rc = kw_stmt_bind_textz(s, 1, param);
		if (rc) {
			rc = kw_err_set(err, rc, "INTERNAL", NULL, "%s: cannot bind $1", sql);
			goto out;
		}
	}
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		*v = kw_stmt_column_int64(s, 0);
		rc = 0;
	} else if (rc == KW_DONE) {
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "%s: no row", sql);
	}
out:
	kw_stmt_finalize(s);
	return rc;
}

int kw_store_schema_version(struct kw_conn *c, int *version, struct kw_err *err)
{
	int64_t exists = 0, v = 0;
	*version = 0;
	int rc = query_int(c, c->ops->has_table_sql, "kw_schema", &exists, err);
	if (!rc && exists)
		rc = query_int(c, "SELECT COALESCE(MAX(version), 0) FROM kw_schema", NULL, &v, err);
	if (!rc)
		*version = (int)v;
	return rc;
}

static int schema_newer(int version, int latest, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_ECONFLICT, "DB_SCHEMA_NEWER", NULL,
	                    "the database has schema version %d but this kaowu knows only up "
	                    "to %d: run a newer kaowu",
	                    version, latest);
	kw_err_detail(err, "version", json_integer(version));
	kw_err_detail(err, "latest", json_integer(latest));
	return rc;
}

/* Prefixes err->msg with the migration's file name. */
static void blame(struct kw_err *err, const struct migration *m)
{
	if (!err)
		return;
	char msg[sizeof err->msg + 128];
	snprintf(msg, sizeof msg, "migration %s: %s", m->file->name, err->msg);
	memcpy(err->msg, msg, sizeof err->msg - 1);
	err->msg[sizeof err->msg - 1] = '\0';
}

/*
 * One transaction: takes the migration lock, creates kw_schema if needed, and applies
 * the first migration newer than the database. *done is set when none is left.
 */
static int migrate_one(struct kw_conn *c, const struct migration *m, size_t n, int *done,
                       struct kw_err *err)
{
	char *sql = NULL;
	struct kw_stmt *s = NULL;
	int64_t version = 0;
	int rc = kw_conn_begin(c, err);
	if (rc)
		return rc;
	if (c->ops->lock_sql) {
		/* PostgreSQL: a second server starting now waits here, then finds it done. */
		rc = kw_conn_exec(c, c->ops->lock_sql, err);
		if (rc)
			goto out;
	}
	rc = kw_conn_exec(c,
	                  "CREATE TABLE IF NOT EXISTS kw_schema (version INTEGER PRIMARY KEY, "
	                  "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
	                  err);
	if (rc)
		goto out;
	rc = query_int(c, "SELECT COALESCE(MAX(version), 0) FROM kw_schema", NULL, &version, err);
	if (rc)
		goto out;
	int latest = n ? m[n - 1].version : 0;
	if (version > latest) {
		rc = schema_newer((int)version, latest, err);
		goto out;
	}
	size_t i = 0;
	while (i < n && m[i].version <= version)
		i++;
	if (i == n) {
		*done = 1;
		rc = kw_conn_commit(c, err);
		goto out;
	}
	sql = expand(m[i].file->data, c->ops);
	rc = kw_conn_exec(c, sql, err);
	if (rc) {
		blame(err, &m[i]);
		goto out;
	}
	char name[64], now[32];
	snprintf(name, sizeof name, "%.*s", (int)(strlen(m[i].file->name) - 4), m[i].file->name);
	kw_clock_format(kw_clock_now_us(), now);
	rc = kw_conn_prepare(
	        c, "INSERT INTO kw_schema (version, name, applied_at) VALUES ($1, $2, $3)", &s,
	        err);
	if (rc)
		goto out;
	if (kw_stmt_bind_int64(s, 1, m[i].version) || kw_stmt_bind_textz(s, 2, name) ||
	    kw_stmt_bind_textz(s, 3, now)) {
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "kw_schema: cannot bind");
		goto out;
	}
	rc = kw_stmt_step(s, err);
	if (rc != KW_DONE) {
		if (rc == KW_ROW)
			rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "kw_schema: a row?");
		goto out;
	}
	kw_stmt_finalize(s);
	s = NULL;
	rc = kw_conn_commit(c, err);
	if (rc)
		blame(err, &m[i]);
out:
	kw_stmt_finalize(s);
	free(sql);
	if (rc)
		kw_conn_rollback(c);
	return rc;
}

int kw_store_migrate(struct kw_conn *c, struct kw_err *err)
{
	struct migration *m = NULL;
	size_t n = 0;
	int version = 0, done = 0;
	int rc = list_migrations(&m, &n, err);
	if (rc)
		return rc;
	int latest = n ? m[n - 1].version : 0;
	/* Up to date (every start of a server): no write lock needed. */
	rc = kw_store_schema_version(c, &version, err);
	if (rc)
		goto out;
	if (version > latest) {
		rc = schema_newer(version, latest, err);
		goto out;
	}
	if (version == latest && version > 0)
		goto out;
	while (!rc && !done)
		rc = migrate_one(c, m, n, &done, err);
out:
	free(m);
	return rc;
}

/* ---- backup ---- */

/* The path of a sqlite: URL for backup/restore; PostgreSQL is pointed to its tools. */
static int backup_target(const char *url, const char *file, const char **path, struct kw_err *err)
{
	const struct kw_store_ops *ops = NULL;
	int rc = parse_url(url, &ops, path, err);
	if (rc)
		return rc;
	if (ops->driver == KW_DRIVER_PG)
		return kw_err_set(
		        err, KW_EINVAL, "BACKUP_PG_USE_TOOLS", NULL,
		        "kaowu backup/restore handle SQLite only: back PostgreSQL up with "
		        "pg_dump or pg_basebackup (see docs/operations.md)");
	if (!file || !*file)
		return kw_err_set(err, KW_EINVAL, "BACKUP_FAILED", NULL, "no backup file named");
	return 0;
}

int kw_store_backup(const char *url, const char *file, struct kw_err *err)
{
	const char *path = NULL;
	int rc = backup_target(url, file, &path, err);
	return rc ? rc : kw__sqlite_backup(path, file, err);
}

int kw_store_restore(const char *url, const char *file, struct kw_err *err)
{
	const char *path = NULL;
	int rc = backup_target(url, file, &path, err);
	return rc ? rc : kw__sqlite_restore(path, file, kw_store_latest_version(), err);
}

/* ---- the pool ---- */

struct kw_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct kw_conn **all, **idle;
	int size, nidle;
	const char *driver;
};

int kw_pool_open(const char *url, int size, struct kw_pool **out, struct kw_err *err)
{
	*out = NULL;
	if (size < 1 || size > MAX_POOL)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "a connection pool holds 1 to %d connections, not %d", MAX_POOL,
		                  size);
	struct kw_pool *p = kw_xcalloc(1, sizeof *p);
	int rc = 0;
	p->all = kw_xcalloc((size_t)size, sizeof *p->all);
	p->idle = kw_xcalloc((size_t)size, sizeof *p->idle);
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p->all);
		free(p->idle);
		free(p);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "pthread_mutex_init failed");
	}
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		free(p->all);
		free(p->idle);
		free(p);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "pthread_cond_init failed");
	}
	for (int i = 0; i < size; i++) {
		rc = kw_conn_open(url, 0, &p->all[i], err);
		if (rc)
			goto out;
		p->idle[p->nidle++] = p->all[i];
		p->size++;
	}
	p->driver = kw_conn_driver_name(p->all[0]);
	*out = p;
	p = NULL;
out:
	kw_pool_close(p);
	return rc;
}

/* Closes every connection; they must all have been put back. NULL-safe. */
void kw_pool_close(struct kw_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		kw_conn_close(p->all[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->all);
	free(p->idle);
	free(p);
}

/* Waits for an idle connection; a PostgreSQL connection known to be lost is reconnected. */
struct kw_conn *kw_pool_get(struct kw_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	struct kw_conn *c = p->idle[--p->nidle];
	pthread_mutex_unlock(&p->mu);
	if (c->ops->lost(c))
		kw_conn_ping(c, NULL); /* best effort: a failure shows on first use */
	return c;
}

/* Takes c back; a transaction left open is rolled back first. NULL-safe. */
void kw_pool_put(struct kw_pool *p, struct kw_conn *c)
{
	if (!c)
		return;
	if (c->tx_open || c->ops->in_tx(c))
		kw_conn_rollback(c);
	pthread_mutex_lock(&p->mu);
	p->idle[p->nidle++] = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

const char *kw_pool_driver_name(const struct kw_pool *p)
{
	return p->driver;
}
