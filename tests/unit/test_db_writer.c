/*
 * The writer and the audit chain (INF-5(8)), on SQLite and PostgreSQL: jobs commit in
 * groups, a failing job rolls back alone, every write leaves an audit record, the queue
 * is bounded, canonical digests are the same on both databases, and verify catches a cut
 * tail that no row betrays.
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
#include <sys/wait.h>
#include <unistd.h>

#include "../common/testdb.h"
#include "app/audit.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/clock.h"

#include <sodium.h>

struct fx {
	char url[512];
	char key[600];
	struct kw_conn *c;
	struct kw_writer *w;
	struct kw_actor actor;
};

static int setup_q(void **state, size_t queue_max)
{
	struct fx *f = calloc(1, sizeof *f);
	kw_test_db_create(f->url, sizeof f->url);
	snprintf(f->key, sizeof f->key, "/tmp/kwt-key-%d-%p", (int)getpid(), (void *)f);
	unlink(f->key);
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_open(f->url, KW_OPEN_CREATE, &f->c, &err) || kw_store_migrate(f->c, &err) ||
	    kw_audit_key_create(f->key, &err)) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	struct kw_writer_config cfg = {.queue_max = queue_max, .key_file = f->key};
	if (kw_writer_open(f->url, &cfg, &f->w, &err)) {
		fprintf(stderr, "writer: %s\n", err.msg);
		return -1;
	}
	kw_actor_set(&f->actor, "user", 7, "tester", "req-1");
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_q(state, 0);
}

static int setup_small_queue(void **state)
{
	return setup_q(state, 2);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kw_writer_close(f->w);
	kw_conn_close(f->c);
	kw_test_db_drop(f->url);
	char head[700];
	snprintf(head, sizeof head, "%s.head", f->key);
	unlink(head);
	unlink(f->key);
	free(f);
	kw_clock_set_us(0);
	return 0;
}

static int64_t count(struct kw_conn *c, const char *sql)
{
	struct kw_stmt *s = NULL;
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_prepare(c, sql, &s, &err))
		fail_msg("%s: %s", sql, err.msg);
	assert_int_equal(kw_stmt_step(s, &err), KW_ROW);
	int64_t n = kw_stmt_column_int64(s, 0);
	kw_stmt_finalize(s);
	return n;
}

struct unit_arg {
	const char *code;
	int fail_after; /* insert, audit, then fail */
	int skip_audit; /* insert without an audit record */
	int sleep_ms;
	int64_t id;
	_Atomic int started; /* the writer has begun the job */
};

/* Until the writer's thread has begun job a (a fixed sleep was not enough on a loaded
 * machine: the writer runs niced). */
static void wait_started(struct unit_arg *a)
{
	for (int i = 0; i < 10000 && !a->started; i++)
		usleep(1000);
	assert_true(a->started);
}

static int add_unit(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct unit_arg *a = arg;
	a->started = 1;
	if (a->sleep_ms)
		usleep((useconds_t)a->sleep_ms * 1000);
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        tx->conn,
	        "INSERT INTO units (code, name, kind, level, parent_id, created_at) "
	        "VALUES ($1, '安徽省人事考试院', 'provincial_agency', 'provincial', "
	        "NULL, $2) RETURNING id",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, a->code);
		kw_stmt_bind_textz(s, 2, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			a->id = kw_stmt_column_int64(s, 0);
			rc = 0;
		}
	}
	kw_stmt_finalize(s);
	if (!rc && !a->skip_audit)
		rc = kw_audit_append(tx, "unit.create", "units", a->id, NULL, err);
	if (!rc && a->fail_after)
		rc = kw_err_set(err, KW_ERULE, "TEST_REFUSED", NULL, "refused on purpose");
	return rc;
}

static void a_job_commits_with_its_audit_record(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	/* A fixed clock: the digests below are the same on both databases. */
	kw_clock_set_us(INT64_C(1795000000) * 1000000);
	struct unit_arg a = {.code = "AH"};
	assert_int_equal(kw_writer_run(f->w, add_unit, &a, &f->actor, &err), 0);
	assert_true(a.id > 0);
	int64_t seq = 0;
	char head[65];
	assert_int_equal(kw_audit_head(f->c, &seq, head, &err), 0);
	assert_int_equal(seq, 1);
	char digest[65];
	int exists = 0;
	assert_int_equal(kw_audit_row_digest(f->c, "units", a.id, digest, &exists, &err), 0);
	assert_true(exists);
	/* The canonical row form: pinned, so SQLite and PostgreSQL must agree on it. */
	char row[400];
	snprintf(row, sizeof row,
	         "{\"code\":\"AH\",\"created_at\":\"2026-11-18T11:06:40.000000Z\",\"id\":%lld,"
	         "\"kind\":\"provincial_agency\",\"level\":\"provincial\",\"name\":"
	         "\"安徽省人事考试院\","
	         "\"parent_id\":null}",
	         (long long)a.id);
	unsigned char h[32];
	char want[65];
	crypto_generichash(h, sizeof h, (const unsigned char *)row, strlen(row), NULL, 0);
	sodium_bin2hex(want, sizeof want, h, sizeof h);
	assert_string_equal(digest, want);
	assert_int_equal(count(f->c, "SELECT count(*) FROM audit_checkpoints"), 1);
	struct kw_audit_key *k = NULL;
	struct kw_audit_report rep;
	assert_int_equal(kw_audit_key_load(f->key, &k, &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), 0);
	assert_int_equal(rep.records, 1);
	assert_int_equal(rep.rows, 1);
	assert_int_equal(rep.checkpoints, 1);
	kw_audit_key_free(k);
}

static void a_write_without_audit_is_refused(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	struct unit_arg a = {.code = "JS", .skip_audit = 1};
	assert_int_equal(kw_writer_run(f->w, add_unit, &a, &f->actor, &err), KW_EINTERNAL);
	assert_int_equal(count(f->c, "SELECT count(*) FROM units"), 0);
	kw_err_release(&err);
}

struct counter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done, failed;
};

static void count_done(struct kw_job *job, void *data)
{
	struct counter *c = data;
	pthread_mutex_lock(&c->mu);
	c->done++;
	if (job->rc)
		c->failed++;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static void a_failing_job_rolls_back_alone(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	struct counter cnt = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
	/* The first job holds the writer so that the next three wait and share one batch. */
	struct unit_arg args[4] = {
	        {.code = "U0", .sleep_ms = 150},
	        {.code = "U1"},
	        {.code = "U2", .fail_after = 1},
	        {.code = "U3"},
	};
	struct kw_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct kw_job){
		        .fn = add_unit, .arg = &args[i], .done = count_done, .data = &cnt};
		jobs[i].actor = f->actor;
		assert_int_equal(kw_writer_submit(f->w, &jobs[i], &err), 0);
		if (i == 0)
			wait_started(&args[0]);
	}
	pthread_mutex_lock(&cnt.mu);
	while (cnt.done < 4)
		pthread_cond_wait(&cnt.cv, &cnt.mu);
	pthread_mutex_unlock(&cnt.mu);
	assert_int_equal(cnt.failed, 1);
	assert_int_equal(jobs[2].rc, KW_ERULE);
	assert_string_equal(jobs[2].err.code, "TEST_REFUSED");
	assert_int_equal(count(f->c, "SELECT count(*) FROM units"), 3);
	assert_int_equal(count(f->c, "SELECT count(*) FROM units WHERE code = 'U2'"), 0);
	/* The chain has no hole where the failed job's record was. */
	assert_int_equal(count(f->c, "SELECT count(*) FROM audit_log"), 3);
	assert_int_equal(count(f->c, "SELECT max(seq) FROM audit_log"), 3);
	struct kw_writer_stats st;
	kw_writer_stats(f->w, &st);
	assert_int_equal(st.jobs, 4);
	assert_int_equal(st.batches, 2);
	/* The second batch failed its fast pass and ran again, a savepoint per job. */
	assert_int_equal(st.careful_batches, 1);
	for (int i = 0; i < 4; i++)
		kw_err_release(&jobs[i].err);
	struct kw_audit_key *k = NULL;
	struct kw_audit_report rep;
	assert_int_equal(kw_audit_key_load(f->key, &k, &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), 0);
	kw_audit_key_free(k);
}

static void a_full_queue_says_busy(void **state)
{
	struct fx *f = *state; /* queue_max = 2 */
	struct kw_err err = KW_ERR_INIT;
	struct counter cnt = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
	struct unit_arg args[4] = {
	        {.code = "B0", .sleep_ms = 200}, {.code = "B1"}, {.code = "B2"}, {.code = "B3"}};
	struct kw_job jobs[4];
	int accepted = 0, busy = 0;
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct kw_job){
		        .fn = add_unit, .arg = &args[i], .done = count_done, .data = &cnt};
		jobs[i].actor = f->actor;
		int rc = kw_writer_submit(f->w, &jobs[i], &err);
		if (rc == 0) {
			accepted++;
		} else {
			assert_int_equal(rc, KW_EBUSY);
			assert_string_equal(err.code, "OVERLOADED");
			busy++;
		}
		if (i == 0)
			wait_started(&args[0]); /* the writer takes job 0 and sleeps in it */
	}
	assert_int_equal(accepted, 3);
	assert_int_equal(busy, 1);
	pthread_mutex_lock(&cnt.mu);
	while (cnt.done < accepted)
		pthread_cond_wait(&cnt.cv, &cnt.mu);
	pthread_mutex_unlock(&cnt.mu);
	assert_int_equal(count(f->c, "SELECT count(*) FROM units"), 3);
	for (int i = 0; i < 4; i++)
		kw_err_release(&jobs[i].err);
	kw_err_release(&err);
}

struct thread_arg {
	struct fx *f;
	int id, rc;
};

static void *many(void *p)
{
	struct thread_arg *t = p;
	struct kw_err err = KW_ERR_INIT;
	for (int i = 0; i < 40 && !t->rc; i++) {
		char code[32];
		snprintf(code, sizeof code, "T%d-%d", t->id, i);
		struct unit_arg a = {.code = code};
		t->rc = kw_writer_run(t->f->w, add_unit, &a, &t->f->actor, &err);
	}
	kw_err_release(&err);
	return NULL;
}

static void concurrent_writers_are_grouped(void **state)
{
	struct fx *f = *state;
	pthread_t th[8];
	struct thread_arg ta[8];
	for (int i = 0; i < 8; i++) {
		ta[i] = (struct thread_arg){f, i, 0};
		pthread_create(&th[i], NULL, many, &ta[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(ta[i].rc, 0);
	}
	assert_int_equal(count(f->c, "SELECT count(*) FROM units"), 320);
	assert_int_equal(count(f->c, "SELECT count(*) FROM audit_log"), 320);
	struct kw_writer_stats st;
	kw_writer_stats(f->w, &st);
	/* Group commit: fewer transactions than jobs; none failed, so no careful pass. */
	assert_true(st.batches < st.jobs);
	assert_int_equal(st.careful_batches, 0);
	printf("320 jobs in %llu batches\n", (unsigned long long)st.batches);
	struct kw_err err = KW_ERR_INIT;
	struct kw_audit_key *k = NULL;
	struct kw_audit_report rep;
	assert_int_equal(kw_audit_key_load(f->key, &k, &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), 0);
	assert_int_equal(rep.records, 320);
	kw_audit_key_free(k);
}

static void verify_catches_a_cut_tail(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	for (int i = 0; i < 3; i++) {
		char code[16];
		snprintf(code, sizeof code, "C%d", i);
		struct unit_arg a = {.code = code};
		assert_int_equal(kw_writer_run(f->w, add_unit, &a, &f->actor, &err), 0);
	}
	struct kw_audit_key *k = NULL;
	struct kw_audit_report rep;
	assert_int_equal(kw_audit_key_load(f->key, &k, &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), 0);
	/* Cut the last record, its row and its checkpoint: the chain and rows agree, the
	 * head file beside the key does not. */
	assert_int_equal(kw_conn_exec(f->c,
	                              "DELETE FROM audit_log WHERE seq = 3; "
	                              "DELETE FROM audit_checkpoints WHERE seq = 3; "
	                              "DELETE FROM units WHERE code = 'C2'",
	                              &err),
	                 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), KW_ECONFLICT);
	assert_string_equal(err.code, "AUDIT_BROKEN");
	assert_non_null(strstr(rep.problem, "tail was cut"));
	/* Without the key the cut goes unseen: that is why the key lives outside. */
	assert_int_equal(kw_audit_verify(f->c, NULL, &rep, &err), 0);
	/* Reordering: swap two records' hashes. */
	assert_int_equal(kw_conn_exec(f->c,
	                              "UPDATE audit_log SET seq = 100 WHERE seq = 1; "
	                              "UPDATE audit_log SET seq = 1 WHERE seq = 2; "
	                              "UPDATE audit_log SET seq = 2 WHERE seq = 100",
	                              &err),
	                 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), KW_ECONFLICT);
	assert_int_equal(rep.bad_seq, 1);
	kw_audit_key_free(k);
	kw_err_release(&err);
}

/* Bulk work: 100 units in one job, one batch record with a Merkle root. */
static int add_many(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	(void)arg;
	char now[32], sql[512], ret[256];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("units", ret, sizeof ret);
	snprintf(sql, sizeof sql,
	         "INSERT INTO units (code, name, kind, level, parent_id, created_at) "
	         "VALUES ($1, '考点', 'centre', 'county', NULL, $2) %s",
	         ret);
	struct kw_batch_row rows[100];
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, sql, &s, err);
	for (int i = 0; i < 100 && !rc; i++) {
		char code[16];
		snprintf(code, sizeof code, "M%03d", i);
		kw_stmt_reset(s);
		kw_stmt_bind_textz(s, 1, code);
		kw_stmt_bind_textz(s, 2, now);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			rc = kw_audit_digest_row("units", s, &rows[99 - i].id, rows[99 - i].digest);
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = kw_audit_append_batch(tx, "unit.import", "units", rows, 100, NULL, err);
	return rc;
}

static void a_batch_record_covers_its_rows(void **state)
{
	struct fx *f = *state;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_writer_run(f->w, add_many, NULL, &f->actor, &err), 0);
	assert_int_equal(count(f->c, "SELECT count(*) FROM audit_log"), 1);
	assert_int_equal(count(f->c, "SELECT count(*) FROM audit_batch_rows"), 100);
	struct kw_audit_key *k = NULL;
	struct kw_audit_report rep;
	assert_int_equal(kw_audit_key_load(f->key, &k, &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), 0);
	assert_int_equal(rep.rows, 100);
	/* A later single-row write supersedes the batch for that row only. */
	struct unit_arg a = {.code = "S1"};
	assert_int_equal(kw_writer_run(f->w, add_unit, &a, &f->actor, &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), 0);
	/* A row of the batch edited by hand. */
	assert_int_equal(
	        kw_conn_exec(f->c, "UPDATE units SET name = 'x' WHERE code = 'M042'", &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), KW_ECONFLICT);
	assert_non_null(strstr(rep.problem, "units row"));
	assert_int_equal(
	        kw_conn_exec(f->c, "UPDATE units SET name = '考点' WHERE code = 'M042'", &err), 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), 0);
	/* A leaf edited to match a hand edit: the root gives it away. */
	assert_int_equal(kw_conn_exec(f->c,
	                              "UPDATE audit_batch_rows SET digest = 'x' WHERE entity_id = "
	                              "(SELECT id FROM units WHERE code = 'M007')",
	                              &err),
	                 0);
	assert_int_equal(kw_audit_verify(f->c, k, &rep, &err), KW_ECONFLICT);
	assert_int_equal(rep.bad_seq, 1);
	assert_non_null(strstr(rep.problem, "Merkle"));
	kw_audit_key_free(k);
	kw_err_release(&err);
}

/* A fork (the render pool's zygote, an isolated render) happens only while the writer's
 * thread waits for work: a child never inherits it in the middle of a job, holding the
 * allocator's or the database library's locks (AddressSanitizer builds then hung). */
static _Atomic int in_job;

static int slow_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	in_job = 1;
	int rc = add_unit(tx, arg, err);
	in_job = 0;
	return rc;
}

struct busy {
	struct fx *f;
	int n;
};

static void *keep_writer_busy(void *arg)
{
	struct busy *b = arg;
	struct kw_err err = KW_ERR_INIT;
	for (int i = 0; i < b->n; i++) {
		char code[16];
		snprintf(code, sizeof code, "F%04d", i);
		struct unit_arg a = {.code = code, .sleep_ms = 15};
		if (kw_writer_run(b->f->w, slow_job, &a, &b->f->actor, &err))
			fprintf(stderr, "busy: %s\n", err.msg);
	}
	kw_err_release(&err);
	return NULL;
}

static void a_fork_waits_until_the_writer_is_idle(void **state)
{
	struct fx *f = *state;
	struct busy b = {f, 40};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, keep_writer_busy, &b), 0);
	usleep(20000);
	int in_a_job = 0;
	for (int i = 0; i < 30; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			free(malloc(64)); /* would hang on a lock the writer's thread held */
			_exit(in_job ? 3 : 0);
		}
		int status = 0;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		in_a_job += WEXITSTATUS(status) == 3;
		usleep(5000);
	}
	pthread_join(t, NULL);
	assert_int_equal(in_a_job, 0);
	/* the writer goes on after the forks */
	assert_int_equal(count(f->c, "SELECT count(*) FROM units WHERE code LIKE 'F%'"), 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(a_job_commits_with_its_audit_record, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(a_write_without_audit_is_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(a_failing_job_rolls_back_alone, setup, teardown),
	        cmocka_unit_test_setup_teardown(a_full_queue_says_busy, setup_small_queue,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(concurrent_writers_are_grouped, setup, teardown),
	        cmocka_unit_test_setup_teardown(verify_catches_a_cut_tail, setup, teardown),
	        cmocka_unit_test_setup_teardown(a_batch_record_covers_its_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(a_fork_waits_until_the_writer_is_idle, setup,
	                                        teardown),
	};
	printf("writer and audit on %s\n", kw_test_db_kind());
	return cmocka_run_group_tests(tests, NULL, NULL);
}
