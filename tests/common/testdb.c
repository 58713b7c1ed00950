#include "testdb.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *kw_test_db_kind(void)
{
	const char *k = getenv("KW_TEST_DB");
	return k && strcmp(k, "pg") == 0 ? "pg" : "sqlite";
}

static const char *pg_base(void)
{
	const char *u = getenv("KW_TEST_PG_URL");
	if (!u || !*u) {
		fprintf(stderr, "KW_TEST_PG_URL is not set: run under tests/pg/with-cluster.sh "
		                "(PostgreSQL tests are never skipped)\n");
		exit(1);
	}
	return u;
}

static void pg_admin(const char *sql)
{
	PGconn *pg = PQconnectdb(pg_base());
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "cannot reach the test PostgreSQL: %s", PQerrorMessage(pg));
		exit(1);
	}
	PGresult *r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(pg));
		exit(1);
	}
	PQclear(r);
	PQfinish(pg);
}

void kw_test_db_create(char *url, size_t n)
{
	static int counter;
	if (strcmp(kw_test_db_kind(), "pg") == 0) {
		const char *base = pg_base();
		const char *slash = strrchr(base, '/');
		char name[64], sql[128];
		snprintf(name, sizeof name, "kwt_%d_%d_%08x", (int)getpid(), counter++,
		         (unsigned)randombytes_random());
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		pg_admin(sql);
		snprintf(url, n, "%.*s/%s", (int)(slash - base), base, name);
		return;
	}
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	snprintf(dir, sizeof dir, "%s/kwt.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(url, n, "sqlite:%s/kw.db", dir);
}

void kw_test_db_drop(const char *url)
{
	if (strncmp(url, "sqlite:", 7) == 0) {
		const char *path = url + 7;
		char p[600];
		const char *suffix[] = {"", "-wal", "-shm", "-journal"};
		for (size_t i = 0; i < 4; i++) {
			snprintf(p, sizeof p, "%s%s", path, suffix[i]);
			unlink(p);
		}
		snprintf(p, sizeof p, "%s", path);
		char *slash = strrchr(p, '/');
		if (slash) {
			*slash = '\0';
			rmdir(p);
		}
		return;
	}
	const char *name = strrchr(url, '/');
	if (!name)
		return;
	char sql[128];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name + 1);
	pg_admin(sql);
}
