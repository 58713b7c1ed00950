/*
 * Test databases (testdb.h). SQLite: a file kw.db in a new directory under $TMPDIR.
 * PostgreSQL: a database kwt_<pid>_<n>_<random> on the cluster of KW_TEST_PG_URL.
 * Anything that keeps a test from getting its database ends the process with exit(1):
 * a PostgreSQL run that cannot reach PostgreSQL fails, it is never skipped.
 */
#include "testdb.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "store/store.h"

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "testdb: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

const char *kw_test_db_kind(void)
{
	const char *k = getenv("KW_TEST_DB");
	if (!k || !*k || strcmp(k, "sqlite") == 0)
		return "sqlite";
	if (strcmp(k, "pg") == 0)
		return "pg";
	die("KW_TEST_DB is \"%s\": it must be sqlite or pg", k);
}

static const char *pg_base(void)
{
	const char *u = getenv("KW_TEST_PG_URL");
	if (!u || !*u)
		die("KW_TEST_PG_URL is not set: run the PostgreSQL tests under "
		    "tests/pg/with-cluster.sh (they are never skipped)");
	if (strncmp(u, "postgresql://", 13) != 0 && strncmp(u, "postgres://", 11) != 0)
		die("KW_TEST_PG_URL must be a postgresql:// URL, not \"%s\"", u);
	return u;
}

/* Runs one statement on the maintenance database of KW_TEST_PG_URL. */
static void pg_admin(const char *sql)
{
	PGconn *pg = PQconnectdb(pg_base());
	if (!pg || PQstatus(pg) != CONNECTION_OK)
		die("cannot reach PostgreSQL at KW_TEST_PG_URL (%s): %s", pg_base(),
		    pg ? PQerrorMessage(pg) : "out of memory");
	PGresult *r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die("%s: %s", sql, PQerrorMessage(pg));
	PQclear(r);
	PQfinish(pg);
}

/* Where the database name starts in a postgresql:// URL, and where it ends. */
static void db_span(const char *url, size_t *start, size_t *end)
{
	const char *auth = strstr(url, "://") + 3;
	const char *p = auth + strcspn(auth, "/?");
	*start = (size_t)(p - url);
	*end = *start + strcspn(p, "?");
}

static void pg_create(char *url, size_t n)
{
	static atomic_uint counter;
	const char *base = pg_base();
	unsigned rnd;
	if (getrandom(&rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		die("getrandom failed");
	char name[64], sql[128];
	snprintf(name, sizeof name, "kwt_%ld_%u_%08x", (long)getpid(),
	         atomic_fetch_add(&counter, 1), rnd);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	pg_admin(sql);
	size_t start, end;
	db_span(base, &start, &end);
	int len = snprintf(url, n, "%.*s/%s%s", (int)start, base, name, base + end);
	if (len < 0 || (size_t)len >= n)
		die("the URL for %s does not fit", name);
}

static void sqlite_create(char *url, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	snprintf(dir, sizeof dir, "%s/kwt.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die("mkdtemp %s failed", dir);
	int len = snprintf(url, n, "sqlite:%s/kw.db", dir);
	if (len < 0 || (size_t)len >= n)
		die("the URL for %s does not fit", dir);
	/* The file exists, like a PostgreSQL database: opening it needs no KW_OPEN_CREATE. */
	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *c = NULL;
	if (kw_conn_open(url, KW_OPEN_CREATE, &c, &err) != 0)
		die("cannot create %s: %s", url, err.msg);
	kw_conn_close(c);
	kw_err_release(&err);
}

void kw_test_db_create(char *url, size_t n)
{
	if (strcmp(kw_test_db_kind(), "pg") == 0)
		pg_create(url, n);
	else
		sqlite_create(url, n);
}

void kw_test_db_drop(const char *url)
{
	if (strncmp(url, "sqlite:", 7) == 0) {
		static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
		char p[1024];
		for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
			snprintf(p, sizeof p, "%s%s", url + 7, sfx[i]);
			unlink(p);
		}
		snprintf(p, sizeof p, "%s", url + 7);
		char *slash = strrchr(p, '/');
		if (slash) {
			*slash = '\0';
			if (rmdir(p) != 0)
				fprintf(stderr, "testdb: %s was not removed (not empty?)\n", p);
		}
		return;
	}
	size_t start, end;
	if (!strstr(url, "://"))
		die("cannot drop \"%s\": not a test database URL", url);
	db_span(url, &start, &end);
	char name[64], sql[128];
	/* Only what kw_test_db_create made: never another database of the cluster. */
	if (end - start < 6 || end - start >= sizeof name || strncmp(url + start, "/kwt_", 5) != 0)
		die("refusing to drop \"%s\": not a test database", url);
	snprintf(name, sizeof name, "%.*s", (int)(end - start - 1), url + start + 1);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	pg_admin(sql);
}
