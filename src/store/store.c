/* The storage front: URL dispatch, migrations, the pool. Drivers: store_sqlite.c, store_pg.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"

int kw__sqlite_backup(const char *path, const char *file, struct kw_err *err);
int kw__sqlite_restore(const char *path, const char *file, struct kw_err *err);

static int split_url(const char *url, const struct kw_store_ops **ops, const char **target,
                     struct kw_err *err)
{
	if (!url || !*url)
		return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL, "no database URL given");
	if (strncmp(url, "sqlite:", 7) == 0) {
		*ops = &kw_store_sqlite_ops;
		*target = url + 7;
		if (!**target)
			return kw_err_set(err, KW_EINVAL, "DB_URL_INVALID", NULL,
			                  "sqlite: needs a file path (sqlite:PATH)");
		return 0;
	}
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		*ops = &kw_store_pg_ops;
		*target = url;
		return 0;
	}
	/* Print only the scheme: the rest may hold a password. */
	const char *colon = strchr(url, ':');
	int n = colon ? (int)(colon - url) : (int)strlen(url);
	if (n > 20)
		n = 20;
	int rc = kw_err_set(
	        err, KW_EINVAL, "DB_URL_INVALID", NULL,
	        "unsupported database URL scheme '%.*s' (use sqlite:PATH or postgresql://…)", n,
	        url);
	return rc;
}

int kw_conn_open(const char *url, unsigned flags, struct kw_conn **out, struct kw_err *err)
{
	const struct kw_store_ops *ops = NULL;
	const char *target = NULL;
	*out = NULL;
	int rc = split_url(url, &ops, &target, err);
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

int kw_conn_exec(struct kw_conn *c, const char *sql, struct kw_err *err)
{
	return c->ops->exec(c, sql, err);
}

int kw_conn_begin(struct kw_conn *c, struct kw_err *err)
{
	return c->ops->exec(c, c->ops->begin_sql, err);
}

int kw_conn_commit(struct kw_conn *c, struct kw_err *err)
{
	return c->ops->exec(c, "COMMIT", err);
}

int kw_conn_rollback(struct kw_conn *c)
{
	return c->ops->exec(c, "ROLLBACK", NULL);
}

static int savepoint_sql(struct kw_conn *c, const char *verb, const char *name, struct kw_err *err)
{
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return kw_err_set(err, KW_EINVAL, "INTERNAL", NULL, "bad savepoint name");
	char sql[128];
	snprintf(sql, sizeof sql, "%s %.64s", verb, name);
	return c->ops->exec(c, sql, err);
}

int kw_conn_savepoint(struct kw_conn *c, const char *name, struct kw_err *err)
{
	return savepoint_sql(c, "SAVEPOINT", name, err);
}

int kw_conn_release(struct kw_conn *c, const char *name, struct kw_err *err)
{
	return savepoint_sql(c, "RELEASE SAVEPOINT", name, err);
}

int kw_conn_rollback_to(struct kw_conn *c, const char *name, struct kw_err *err)
{
	return savepoint_sql(c, "ROLLBACK TO SAVEPOINT", name, err);
}

int kw_conn_ping(struct kw_conn *c, struct kw_err *err)
{
	return c->ops->ping(c, err);
}

int kw_conn_prepare(struct kw_conn *c, const char *sql, struct kw_stmt **out, struct kw_err *err)
{
	*out = NULL;
	return c->ops->prepare(c, sql, out, err);
}

int kw_stmt_bind_int64(struct kw_stmt *s, int i, int64_t v)
{
	return s->ops->bind_int64(s, i, v);
}

int kw_stmt_bind_text(struct kw_stmt *s, int i, const char *v, size_t n)
{
	return s->ops->bind_text(s, i, v, n);
}

int kw_stmt_bind_textz(struct kw_stmt *s, int i, const char *v)
{
	return v ? s->ops->bind_text(s, i, v, strlen(v)) : s->ops->bind_null(s, i);
}

int kw_stmt_bind_blob(struct kw_stmt *s, int i, const void *v, size_t n)
{
	return s->ops->bind_blob(s, i, v, n);
}

int kw_stmt_bind_null(struct kw_stmt *s, int i)
{
	return s->ops->bind_null(s, i);
}

int kw_stmt_step(struct kw_stmt *s, struct kw_err *err)
{
	return s->ops->step(s, err);
}

int kw_stmt_reset(struct kw_stmt *s)
{
	return s->ops->reset(s);
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
	return s->ops->column_text(s, i, n);
}

const void *kw_stmt_column_blob(struct kw_stmt *s, int i, size_t *n)
{
	return s->ops->column_blob(s, i, n);
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

/* The embedded NNNN_name.sql files in order; returns their count (at most max). */
static size_t migrations(struct migration *out, size_t max)
{
	size_t n = 0;
	for (const struct kw_embedded *e = kw_embedded; e->name && n < max; e++) {
		size_t len = strlen(e->name);
		if (len < 9 || strcmp(e->name + len - 4, ".sql") != 0 || e->name[4] != '_')
			continue;
		int v = 0, ok = 1;
		for (int i = 0; i < 4; i++) {
			if (e->name[i] < '0' || e->name[i] > '9')
				ok = 0;
			else
				v = v * 10 + (e->name[i] - '0');
		}
		if (ok && v > 0)
			out[n++] = (struct migration){v, e};
	}
	qsort(out, n, sizeof *out, cmp_migration);
	return n;
}

int kw_store_latest_version(void)
{
	struct migration m[512];
	size_t n = migrations(m, 512);
	return n ? m[n - 1].version : 0;
}

/* The SQL of a migration with @ID@ and @BLOB@ expanded for the driver; caller frees. */
static char *expand(const char *sql, enum kw_driver d)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	const char *id = d == KW_DRIVER_PG ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
	                                   : "INTEGER PRIMARY KEY";
	const char *blob = d == KW_DRIVER_PG ? "BYTEA" : "BLOB";
	const char *p = sql;
	while (*p) {
		if (strncmp(p, "@ID@", 4) == 0) {
			kw_buf_adds(&b, id);
			p += 4;
		} else if (strncmp(p, "@BLOB@", 6) == 0) {
			kw_buf_adds(&b, blob);
			p += 6;
		} else {
			kw_buf_add(&b, p, 1);
			p++;
		}
	}
	return kw_buf_detach(&b, NULL);
}

static int ensure_schema_table(struct kw_conn *c, struct kw_err *err)
{
	return kw_conn_exec(c,
	                    "CREATE TABLE IF NOT EXISTS kw_schema (version INTEGER PRIMARY KEY, "
	                    "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
	                    err);
}

static int read_version(struct kw_conn *c, int *version, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, "SELECT COALESCE(MAX(version), 0) FROM kw_schema", &s, err);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*version = (int)kw_stmt_column_int64(s, 0);
			rc = 0;
		} else if (rc == KW_DONE) {
			*version = 0;
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

static int table_exists(struct kw_conn *c, const char *table, int *exists, struct kw_err *err)
{
	const char *sql =
	        kw_conn_driver(c) == KW_DRIVER_PG
	                ? "SELECT count(*) FROM information_schema.tables "
	                  "WHERE table_schema = current_schema() AND table_name = $1"
	                : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1";
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc)
		rc = kw_stmt_bind_textz(s, 1, table);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*exists = kw_stmt_column_int64(s, 0) > 0;
			rc = 0;
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_store_schema_version(struct kw_conn *c, int *version, struct kw_err *err)
{
	int exists = 0;
	*version = 0;
	int rc = table_exists(c, "kw_schema", &exists, err);
	if (rc || !exists)
		return rc;
	return read_version(c, version, err);
}

static int apply(struct kw_conn *c, const struct migration *m, struct kw_err *err)
{
	char *sql = expand(m->file->data, kw_conn_driver(c));
	int rc = kw_conn_exec(c, sql, err);
	free(sql);
	if (rc)
		return rc;
	char name[128], now[32];
	size_t len = strlen(m->file->name);
	snprintf(name, sizeof name, "%.*s", (int)(len - 4), m->file->name);
	kw_clock_format(kw_clock_now_us(), now);
	struct kw_stmt *s = NULL;
	rc = kw_conn_prepare(
	        c, "INSERT INTO kw_schema (version, name, applied_at) VALUES ($1, $2, $3)", &s,
	        err);
	if (!rc)
		rc = kw_stmt_bind_int64(s, 1, m->version);
	if (!rc)
		rc = kw_stmt_bind_textz(s, 2, name);
	if (!rc)
		rc = kw_stmt_bind_textz(s, 3, now);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_DONE)
			rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_store_migrate(struct kw_conn *c, struct kw_err *err)
{
	struct migration m[512];
	size_t n = migrations(m, 512);
	int rc = kw_conn_begin(c, err);
	if (rc)
		return rc;
	if (kw_conn_driver(c) == KW_DRIVER_PG) {
		/* Two servers starting at once: the second waits, then finds nothing to do. */
		rc = kw_conn_exec(c, "SELECT pg_advisory_xact_lock(7316871002)", err);
		if (rc)
			goto out;
	}
	rc = ensure_schema_table(c, err);
	if (rc)
		goto out;
	int version = 0;
	rc = read_version(c, &version, err);
	if (rc)
		goto out;
	int latest = n ? m[n - 1].version : 0;
	if (version > latest) {
		rc = kw_err_set(err, KW_ECONFLICT, "DB_SCHEMA_NEWER", NULL,
		                "the database has schema version %d; this kaowu knows up to %d: "
		                "upgrade kaowu",
		                version, latest);
		kw_err_detail(err, "version", json_integer(version));
		kw_err_detail(err, "latest", json_integer(latest));
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		if (m[i].version <= version)
			continue;
		rc = apply(c, &m[i], err);
		if (rc && err) {
			char msg[sizeof err->msg + 64];
			snprintf(msg, sizeof msg, "migration %s failed: %s", m[i].file->name,
			         err->msg);
			memcpy(err->msg, msg, sizeof err->msg - 1);
			err->msg[sizeof err->msg - 1] = '\0';
		}
	}
	if (!rc)
		rc = kw_conn_commit(c, err);
out:
	if (rc)
		kw_conn_rollback(c);
	return rc;
}

/* ---- backup ---- */

int kw_store_backup(const char *url, const char *file, struct kw_err *err)
{
	const struct kw_store_ops *ops = NULL;
	const char *target = NULL;
	int rc = split_url(url, &ops, &target, err);
	if (rc)
		return rc;
	if (ops->driver == KW_DRIVER_PG)
		return kw_err_set(err, KW_EINVAL, "BACKUP_PG_USE_TOOLS", NULL,
		                  "back up PostgreSQL with pg_dump or pg_basebackup "
		                  "(docs/operations.md)");
	return kw__sqlite_backup(target, file, err);
}

int kw_store_restore(const char *url, const char *file, struct kw_err *err)
{
	const struct kw_store_ops *ops = NULL;
	const char *target = NULL;
	int rc = split_url(url, &ops, &target, err);
	if (rc)
		return rc;
	if (ops->driver == KW_DRIVER_PG)
		return kw_err_set(err, KW_EINVAL, "BACKUP_PG_USE_TOOLS", NULL,
		                  "restore PostgreSQL with pg_restore (docs/operations.md)");
	return kw__sqlite_restore(target, file, err);
}

/* ---- the pool ---- */

struct kw_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct kw_conn **free;
	int nfree, size;
	const char *driver;
};

int kw_pool_open(const char *url, int size, struct kw_pool **out, struct kw_err *err)
{
	struct kw_pool *p = kw_xcalloc(1, sizeof *p);
	p->free = kw_xcalloc((size_t)size, sizeof *p->free);
	p->size = size;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (int i = 0; i < size; i++) {
		int rc = kw_conn_open(url, 0, &p->free[i], err);
		if (rc) {
			kw_pool_close(p);
			return rc;
		}
		p->nfree++;
		p->driver = kw_conn_driver_name(p->free[i]);
	}
	*out = p;
	return 0;
}

void kw_pool_close(struct kw_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nfree; i++)
		kw_conn_close(p->free[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->free);
	free(p);
}

struct kw_conn *kw_pool_get(struct kw_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	struct kw_conn *c = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return c;
}

void kw_pool_put(struct kw_pool *p, struct kw_conn *c)
{
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

const char *kw_pool_driver_name(const struct kw_pool *p)
{
	return p->driver;
}
