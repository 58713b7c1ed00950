/*
 * The store contract: the same behaviour from the SQLite and the PostgreSQL driver.
 * ctest runs this file twice (KW_TEST_DB=sqlite and =pg).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/testdb.h"
#include "store/store.h"

struct fx {
	char url[512];
	struct kw_conn *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	kw_test_db_create(f->url, sizeof f->url);
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_open(f->url, KW_OPEN_CREATE, &f->c, &err) != 0) {
		fprintf(stderr, "open %s: %s\n", f->url, err.msg);
		return -1;
	}
	if (kw_store_migrate(f->c, &err) != 0) {
		fprintf(stderr, "migrate: %s\n", err.msg);
		return -1;
	}
	int rc = kw_conn_exec(f->c,
	                      "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT UNIQUE, n BIGINT, "
	                      "note TEXT)",
	                      &err);
	kw_err_release(&err);
	*state = f;
	return rc;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kw_conn_close(f->c);
	kw_test_db_drop(f->url);
	free(f);
	return 0;
}

/* Runs one statement with no results; asserts success. */
static void exec1(struct kw_conn *c, const char *sql)
{
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_exec(c, sql, &err) != 0)
		fail_msg("%s: %s", sql, err.msg);
	kw_err_release(&err);
}

static int64_t count(struct kw_conn *c, const char *sql)
{
	struct kw_stmt *s = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_conn_prepare(c, sql, &s, &err), 0);
	assert_int_equal(kw_stmt_step(s, &err), KW_ROW);
	int64_t n = kw_stmt_column_int64(s, 0);
	kw_stmt_finalize(s);
	return n;
}

static void migrations_are_idempotent(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	int v = -1;
	assert_int_equal(kw_store_schema_version(f->c, &v, &err), 0);
	assert_int_equal(v, kw_store_latest_version());
	assert_true(v >= 1);
	assert_int_equal(kw_store_migrate(f->c, &err), 0);
	assert_int_equal(kw_store_schema_version(f->c, &v, &err), 0);
	assert_int_equal(v, kw_store_latest_version());
	assert_int_equal(count(f->c, "SELECT count(*) FROM kw_schema"), v);
	/* A database newer than this binary is refused, not misread. */
	exec1(f->c,
	      "INSERT INTO kw_schema (version, name, applied_at) VALUES (9999, 'future', 'x')");
	assert_int_equal(kw_store_migrate(f->c, &err), KW_ECONFLICT);
	assert_string_equal(err.code, "DB_SCHEMA_NEWER");
	kw_err_release(&err);
}

static void values_round_trip(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	struct kw_stmt *s = NULL;
	const char *names[] = {"张三𠮷", "O'Brien \"quoted\" \\ back", ""};
	int64_t nums[] = {INT64_MIN, INT64_MAX, 0};
	assert_int_equal(
	        kw_conn_prepare(f->c, "INSERT INTO t (id, name, n, note) VALUES ($1, $2, $3, $4)",
	                        &s, &err),
	        0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(kw_stmt_reset(s), 0);
		assert_int_equal(kw_stmt_bind_int64(s, 1, i + 1), 0);
		assert_int_equal(kw_stmt_bind_textz(s, 2, names[i]), 0);
		assert_int_equal(kw_stmt_bind_int64(s, 3, nums[i]), 0);
		assert_int_equal(kw_stmt_bind_textz(s, 4, i == 2 ? NULL : "note"), 0);
		assert_int_equal(kw_stmt_step(s, &err), KW_DONE);
		assert_int_equal(kw_stmt_changes(s), 1);
	}
	kw_stmt_finalize(s);

	assert_int_equal(kw_conn_prepare(f->c, "SELECT name, n, note FROM t ORDER BY id", &s, &err),
	                 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(kw_stmt_step(s, &err), KW_ROW);
		assert_int_equal(kw_stmt_column_count(s), 3);
		size_t n = 99;
		const char *name = kw_stmt_column_text(s, 0, &n);
		assert_int_equal(n, strlen(names[i]));
		assert_memory_equal(name, names[i], n);
		assert_true(kw_stmt_column_int64(s, 1) == nums[i]);
		assert_int_equal(kw_stmt_column_is_null(s, 2), i == 2);
		assert_string_equal(kw_stmt_column_text(s, 2, NULL), i == 2 ? "" : "note");
	}
	assert_int_equal(kw_stmt_step(s, &err), KW_DONE);
	assert_int_equal(kw_stmt_step(s, &err), KW_DONE);
	kw_stmt_finalize(s);
}

static void blobs_round_trip(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	exec1(f->c, kw_conn_driver(f->c) == KW_DRIVER_PG ? "CREATE TABLE b (id BIGINT, v BYTEA)"
	                                                 : "CREATE TABLE b (id BIGINT, v BLOB)");
	const unsigned char bytes[] = {0, 1, 0xff, 0, '\'', '\\', 0x80};
	struct kw_stmt *s = NULL;
	assert_int_equal(kw_conn_prepare(f->c, "INSERT INTO b (id, v) VALUES ($1, $2)", &s, &err),
	                 0);
	assert_int_equal(kw_stmt_bind_int64(s, 1, 1), 0);
	assert_int_equal(kw_stmt_bind_blob(s, 2, bytes, sizeof bytes), 0);
	assert_int_equal(kw_stmt_step(s, &err), KW_DONE);
	kw_stmt_finalize(s);
	assert_int_equal(kw_conn_prepare(f->c, "SELECT v FROM b WHERE id = $1", &s, &err), 0);
	assert_int_equal(kw_stmt_bind_int64(s, 1, 1), 0);
	assert_int_equal(kw_stmt_step(s, &err), KW_ROW);
	size_t n = 0;
	const void *v = kw_stmt_column_blob(s, 0, &n);
	assert_int_equal(n, sizeof bytes);
	assert_memory_equal(v, bytes, n);
	kw_stmt_finalize(s);
}

static void returning_and_out_of_order_params(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	exec1(f->c, kw_conn_driver(f->c) == KW_DRIVER_PG
	                    ? "CREATE TABLE r (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY "
	                      "KEY, a TEXT, b TEXT)"
	                    : "CREATE TABLE r (id INTEGER PRIMARY KEY, a TEXT, b TEXT)");
	struct kw_stmt *s = NULL;
	assert_int_equal(kw_conn_prepare(f->c, "INSERT INTO r (a, b) VALUES ($1, $2) RETURNING id",
	                                 &s, &err),
	                 0);
	int64_t ids[2];
	for (int i = 0; i < 2; i++) {
		kw_stmt_reset(s);
		assert_int_equal(kw_stmt_bind_textz(s, 1, i ? "x" : "y"), 0);
		assert_int_equal(kw_stmt_bind_textz(s, 2, i ? "y" : "x"), 0);
		assert_int_equal(kw_stmt_step(s, &err), KW_ROW);
		ids[i] = kw_stmt_column_int64(s, 0);
		assert_int_equal(kw_stmt_step(s, &err), KW_DONE);
	}
	assert_true(ids[1] == ids[0] + 1);
	kw_stmt_finalize(s);
	/* $2 before $1 in the text: binding is by number, not position. */
	assert_int_equal(
	        kw_conn_prepare(f->c, "SELECT id FROM r WHERE b = $2 AND a = $1", &s, &err), 0);
	assert_int_equal(kw_stmt_bind_textz(s, 1, "x"), 0);
	assert_int_equal(kw_stmt_bind_textz(s, 2, "y"), 0);
	assert_int_equal(kw_stmt_step(s, &err), KW_ROW);
	assert_true(kw_stmt_column_int64(s, 0) == ids[1]);
	/* Binding a parameter the statement does not have is an error. */
	assert_int_equal(kw_stmt_bind_int64(s, 3, 1), KW_EINVAL);
	kw_stmt_finalize(s);
}

static void transactions(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *other = NULL;
	assert_int_equal(kw_conn_open(f->url, 0, &other, &err), 0);

	assert_int_equal(kw_conn_begin(f->c, &err), 0);
	exec1(f->c, "INSERT INTO t (id, name) VALUES (10, 'a')");
	assert_int_equal(kw_conn_rollback(f->c), 0);
	assert_int_equal(count(other, "SELECT count(*) FROM t"), 0);

	assert_int_equal(kw_conn_begin(f->c, &err), 0);
	exec1(f->c, "INSERT INTO t (id, name) VALUES (11, 'b')");
	assert_int_equal(kw_conn_savepoint(f->c, "job_1", &err), 0);
	exec1(f->c, "INSERT INTO t (id, name) VALUES (12, 'c')");
	assert_int_equal(kw_conn_rollback_to(f->c, "job_1", &err), 0);
	assert_int_equal(kw_conn_release(f->c, "job_1", &err), 0);
	assert_int_equal(kw_conn_savepoint(f->c, "job_2", &err), 0);
	exec1(f->c, "INSERT INTO t (id, name) VALUES (13, 'd')");
	assert_int_equal(kw_conn_release(f->c, "job_2", &err), 0);
	assert_int_equal(kw_conn_commit(f->c, &err), 0);
	/* Visible to another connection once committed: 11 and 13, not 12. */
	assert_int_equal(count(other, "SELECT count(*) FROM t"), 2);
	assert_int_equal(count(other, "SELECT sum(id) FROM t"), 24);
	assert_int_equal(kw_conn_savepoint(f->c, "bad name!", &err), KW_EINVAL);
	kw_conn_close(other);
	kw_err_release(&err);
}

static void errors_are_mapped(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	exec1(f->c, "INSERT INTO t (id, name) VALUES (1, 'dup')");
	assert_int_equal(kw_conn_begin(f->c, &err), 0);
	struct kw_stmt *s = NULL;
	assert_int_equal(
	        kw_conn_prepare(f->c, "INSERT INTO t (id, name) VALUES ($1, $2)", &s, &err), 0);
	kw_stmt_bind_int64(s, 1, 2);
	kw_stmt_bind_textz(s, 2, "dup");
	assert_int_equal(kw_stmt_step(s, &err), KW_ECONFLICT);
	assert_string_equal(err.code, "STORE_CONSTRAINT");
	kw_stmt_finalize(s);
	assert_int_equal(kw_conn_rollback(f->c), 0);
	/* The connection is usable after the rollback. */
	assert_int_equal(count(f->c, "SELECT count(*) FROM t"), 1);

	assert_int_equal(kw_conn_prepare(f->c, "SELEKT nonsense", &s, &err), KW_ESTORE);
	assert_null(s);
	assert_string_equal(err.code, "DB_ERROR");
	assert_true(strlen(err.msg) > 0);
	assert_int_equal(kw_conn_exec(f->c, "SELECT * FROM no_such_table", &err), KW_ESTORE);
	kw_err_release(&err);
}

static void bad_urls(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *c = NULL;
	assert_int_equal(kw_conn_open("mysql://u:secret@h/db", 0, &c, &err), KW_EINVAL);
	assert_string_equal(err.code, "DB_URL_INVALID");
	assert_null(strstr(err.msg, "secret"));
	assert_int_equal(kw_conn_open("sqlite:", 0, &c, &err), KW_EINVAL);
	assert_int_equal(kw_conn_open("", 0, &c, &err), KW_EINVAL);
	assert_int_equal(kw_conn_open("sqlite:/nonexistent-dir/kw.db", 0, &c, &err), KW_EINVAL);
	assert_string_equal(err.code, "DB_NOT_FOUND");
	assert_int_equal(kw_conn_open("sqlite:/nonexistent-dir/kw.db", KW_OPEN_CREATE, &c, &err),
	                 KW_EINVAL);
	time_t t0 = time(NULL);
	assert_int_equal(kw_conn_open("postgresql://u:secret@127.0.0.1:1/db", 0, &c, &err),
	                 KW_EUNAVAILABLE);
	assert_string_equal(err.code, "DB_UNAVAILABLE");
	assert_null(strstr(err.msg, "secret"));
	assert_true(time(NULL) - t0 < 10);
	assert_null(c);
	kw_err_release(&err);
}

struct worker {
	struct kw_pool *pool;
	int id;
	int rc;
};

static void *pool_worker(void *arg)
{
	struct worker *w = arg;
	struct kw_err err = KW_ERR_INIT;
	for (int i = 0; i < 25 && !w->rc; i++) {
		struct kw_conn *c = kw_pool_get(w->pool);
		struct kw_stmt *s = NULL;
		w->rc = kw_conn_prepare(c, "INSERT INTO t (id, n) VALUES ($1, $2)", &s, &err);
		if (!w->rc)
			w->rc = kw_stmt_bind_int64(s, 1, 1000 + w->id * 100 + i);
		if (!w->rc)
			w->rc = kw_stmt_bind_int64(s, 2, w->id);
		if (!w->rc) {
			int r;
			while ((r = kw_stmt_step(s, &err)) == KW_EBUSY)
				kw_stmt_reset(s);
			w->rc = r == KW_DONE ? 0 : r;
		}
		kw_stmt_finalize(s);
		kw_pool_put(w->pool, c);
	}
	kw_err_release(&err);
	return NULL;
}

static void pool_shared_by_threads(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	struct kw_pool *p = NULL;
	assert_int_equal(kw_pool_open(f->url, 2, &p, &err), 0);
	assert_string_equal(kw_pool_driver_name(p), kw_conn_driver_name(f->c));
	pthread_t th[4];
	struct worker w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){p, i, 0};
		pthread_create(&th[i], NULL, pool_worker, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].rc, 0);
	}
	kw_pool_close(p);
	assert_int_equal(count(f->c, "SELECT count(*) FROM t WHERE id >= 1000"), 100);
	assert_int_equal(kw_pool_open("sqlite:/nonexistent-dir/x.db", 2, &p, &err), KW_EINVAL);
	kw_err_release(&err);
}

struct writer_arg {
	const char *url;
	volatile int stop;
	int written;
};

static void *background_writer(void *arg)
{
	struct writer_arg *a = arg;
	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *c = NULL;
	if (kw_conn_open(a->url, 0, &c, &err))
		return NULL;
	struct kw_stmt *s = NULL;
	kw_conn_prepare(c, "INSERT INTO t (id, n) VALUES ($1, 7)", &s, &err);
	for (int i = 0; !a->stop && i < 5000; i++) {
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, 50000 + i);
		if (kw_stmt_step(s, &err) == KW_DONE)
			a->written++;
	}
	kw_stmt_finalize(s);
	kw_conn_close(c);
	kw_err_release(&err);
	return NULL;
}

static void backup_and_restore(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_driver(f->c) == KW_DRIVER_PG) {
		assert_int_equal(kw_store_backup(f->url, "/tmp/never-written.db", &err), KW_EINVAL);
		assert_string_equal(err.code, "BACKUP_PG_USE_TOOLS");
		assert_non_null(strstr(err.msg, "operations.md"));
		assert_int_equal(access("/tmp/never-written.db", F_OK), -1);
		kw_err_release(&err);
		return;
	}
	exec1(f->c, "INSERT INTO t (id, name) VALUES (1, '张三')");
	const char *path = f->url + 7;
	char bak[600], junk[600], target[600];
	snprintf(bak, sizeof bak, "%s.bak", path);
	snprintf(junk, sizeof junk, "%s.junk", path);
	snprintf(target, sizeof target, "sqlite:%s.restored", path);

	/* Back up while another connection keeps writing. */
	struct writer_arg wa = {f->url, 0, 0};
	pthread_t th;
	pthread_create(&th, NULL, background_writer, &wa);
	usleep(20000);
	int rc = kw_store_backup(f->url, bak, &err);
	wa.stop = 1;
	pthread_join(th, NULL);
	if (rc)
		fail_msg("backup: %s", err.msg);
	assert_true(wa.written > 0);
	assert_int_equal(kw_store_backup(f->url, bak, &err), KW_ECONFLICT);
	assert_string_equal(err.code, "BACKUP_TARGET_EXISTS");

	assert_int_equal(kw_store_restore(target, bak, &err), 0);
	struct kw_conn *r = NULL;
	assert_int_equal(kw_conn_open(target, 0, &r, &err), 0);
	assert_int_equal(count(r, "SELECT count(*) FROM t WHERE name = '张三'"), 1);
	int v = 0;
	assert_int_equal(kw_store_schema_version(r, &v, &err), 0);
	assert_int_equal(v, kw_store_latest_version());
	int64_t rows = count(r, "SELECT count(*) FROM t");
	kw_conn_close(r);

	FILE *j = fopen(junk, "w");
	fputs("this is not a database", j);
	fclose(j);
	assert_int_equal(kw_store_restore(target, junk, &err), KW_EINVAL);
	assert_string_equal(err.code, "BACKUP_INVALID");
	assert_int_equal(kw_store_restore(target, "/nonexistent/x.db", &err), KW_EINVAL);
	/* A refused restore leaves the target as it was. */
	assert_int_equal(kw_conn_open(target, 0, &r, &err), 0);
	assert_int_equal(count(r, "SELECT count(*) FROM t"), rows);
	kw_conn_close(r);

	unlink(bak);
	unlink(junk);
	char p[700];
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", target + 7, sfx[i]);
		unlink(p);
	}
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(migrations_are_idempotent, setup, teardown),
	        cmocka_unit_test_setup_teardown(values_round_trip, setup, teardown),
	        cmocka_unit_test_setup_teardown(blobs_round_trip, setup, teardown),
	        cmocka_unit_test_setup_teardown(returning_and_out_of_order_params, setup, teardown),
	        cmocka_unit_test_setup_teardown(transactions, setup, teardown),
	        cmocka_unit_test_setup_teardown(errors_are_mapped, setup, teardown),
	        cmocka_unit_test(bad_urls),
	        cmocka_unit_test_setup_teardown(pool_shared_by_threads, setup, teardown),
	        cmocka_unit_test_setup_teardown(backup_and_restore, setup, teardown),
	};
	printf("store contract on %s\n", kw_test_db_kind());
	return cmocka_run_group_tests(tests, NULL, NULL);
}
