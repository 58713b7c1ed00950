#include "app/writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "app/audit.h"
#include "util/buf.h"
#include "util/clock.h"

struct kw_writer {
	struct kw_conn *conn;
	struct kw_audit_key *key;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct kw_job *head, *tail;
	size_t queued, queue_max;
	int batch_max;
	int stop;
	int joined;
	struct kw_writer_stats stats;
	/* fork safety (writer_prepare_fork): the process that started the thread; the thread
	 * is waiting for work (it holds no lock then); a fork asks it to stay so */
	pid_t pid;
	int idle, exited, parked;
	pthread_cond_t idle_cv;
	struct kw_writer *next_live;
};

/*
 * A fork copies only the forking thread. Were the writer's thread inside the allocator (or
 * SQLite, or libpq) at that moment, the lock it held would stay locked in the child for
 * ever — AddressSanitizer's allocator is not released for the child, for one, and the
 * child hangs at its first allocation. So every fork of a process with writers (the render
 * pool's zygote, an isolated render) first waits until each writer's thread is waiting
 * for work, holding nothing, and keeps it there until the fork is done.
 */
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kw_writer *live;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void writer_prepare_fork(void)

{
	pthread_mutex_lock(&live_mu);
	for (struct kw_writer *w = live; w; w = w->next_live) {
		if (w->pid != getpid() || pthread_equal(pthread_self(), w->thread))
			continue; /* a copy inherited from a parent (no thread behind it), or a fork
			           * from the writer's own thread (it holds nothing elsewhere) */
		pthread_mutex_lock(&w->mu);
		w->parked = 1;
		while (!w->idle && !w->exited)
			pthread_cond_wait(&w->idle_cv, &w->mu);
		/* w->mu stays locked over the fork: the thread cannot leave its wait */
	}
}

static void writer_after_fork(int child)
{
	for (struct kw_writer *w = live; w; w = w->next_live) {
		if (w->pid != (child ? getppid() : getpid()) ||
		    pthread_equal(pthread_self(), w->thread))
			continue;
		w->parked = 0;
		if (!child)
			pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
	pthread_mutex_unlock(&live_mu);
}

static void writer_parent_fork(void)
{
	writer_after_fork(0);
}

static void writer_child_fork(void)
{
	writer_after_fork(1);
}

static void register_fork_handlers(void)
{
	pthread_atfork(writer_prepare_fork, writer_parent_fork, writer_child_fork);
}

void kw_actor_set(struct kw_actor *a, const char *kind, int64_t id, const char *name,
                  const char *request_id)
{
	memset(a, 0, sizeof *a);
	snprintf(a->kind, sizeof a->kind, "%s", kind ? kind : "system");
	a->id = id;
	snprintf(a->name, sizeof a->name, "%s", name ? name : "");
	snprintf(a->request_id, sizeof a->request_id, "%s", request_id ? request_id : "");
}

/* Runs one job in its savepoint; on failure rolls back to it and restores the head. */
static void run_job(struct kw_writer *w, struct kw_job *j, struct kw_tx *tx, int careful)
{
	int64_t seq = tx->seq;
	char head[65];
	memcpy(head, tx->head, sizeof head);
	tx->actor = &j->actor;
	tx->now_us = kw_clock_now_us();
	tx->appended = 0;
	if (!careful) {
		/* The fast pass: no savepoint; a failure sends the batch to the careful pass. */
		j->rc = j->fn(tx, j->arg, &j->err);
		if (!j->rc && tx->appended == 0)
			j->rc = kw_err_set(&j->err, KW_EINTERNAL, "INTERNAL", NULL,
			                   "a write job appended no audit record");
		return;
	}
	j->rc = kw_conn_savepoint(w->conn, "kw_job", &j->err);
	if (j->rc)
		return;
	j->rc = j->fn(tx, j->arg, &j->err);
	if (!j->rc && tx->appended == 0)
		/* Every write leaves its trace: a job that wrote no audit record is a bug. */
		j->rc = kw_err_set(&j->err, KW_EINTERNAL, "INTERNAL", NULL,
		                   "a write job appended no audit record");
	if (j->rc) {
		struct kw_err e2 = KW_ERR_INIT;
		kw_conn_rollback_to(w->conn, "kw_job", &e2);
		kw_err_release(&e2);
		tx->seq = seq;
		memcpy(tx->head, head, sizeof head);
	}
	struct kw_err e3 = KW_ERR_INIT;
	int rrc = kw_conn_release(w->conn, "kw_job", &e3);
	kw_err_release(&e3);
	if (rrc && !j->rc)
		j->rc = kw_err_set(&j->err, rrc, "DB_ERROR", NULL, "cannot release a savepoint");
}

static int begin_batch(struct kw_writer *w, struct kw_tx *tx, struct kw_err *err)
{
	int rc = kw_conn_begin(w->conn, err);
	if (rc == KW_EUNAVAILABLE) {
		/* The server went away: reconnect once, then give up on this batch. */
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_conn_ping(w->conn, &e2) == 0)
			rc = kw_conn_begin(w->conn, err);
		kw_err_release(&e2);
	}
	if (rc)
		return rc;
	if (kw_conn_driver(w->conn) == KW_DRIVER_PG) {
		/* One chain per database: the writers of several servers take turns. */
		rc = kw_conn_exec(w->conn, "SELECT pg_advisory_xact_lock(7316871001)", err);
		if (rc)
			goto fail;
	}
	rc = kw_audit_head(w->conn, &tx->seq, tx->head, err);
	if (!rc)
		return 0;
fail:
	kw_conn_rollback(w->conn);
	return rc;
}

/* SQLite, a batch with a bulk job: statement journals in memory until the batch ends. */
static void bulk_mode(struct kw_writer *w, const struct kw_job *batch, int on)
{
	int bulk = 0;
	for (const struct kw_job *j = batch; j; j = j->next)
		bulk |= j->bulk;
	if (!bulk || kw_conn_driver(w->conn) != KW_DRIVER_SQLITE)
		return;
	struct kw_err e = KW_ERR_INIT;
	(void)kw_conn_exec(w->conn,
	                   on ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT", &e);
	kw_err_release(&e);
}

static _Atomic uint64_t facts_gen = 1;

uint64_t kw_facts_generation(void)
{
	return atomic_load(&facts_gen);
}

void kw_tx_facts_changed(struct kw_tx *tx)
{
	(void)tx;
	atomic_fetch_add(&facts_gen, 1);
}

static void run_batch(struct kw_writer *w, struct kw_job *batch)
{
	uint64_t gen = kw_facts_generation();
	struct kw_tx tx = {.conn = w->conn};
	struct kw_err err = KW_ERR_INIT;
	bulk_mode(w, batch, 1);
	int rc = begin_batch(w, &tx, &err);
	int ok_jobs = 0;
	if (!rc) {
		/*
		 * Jobs rarely fail, so the batch first runs without savepoints (two round trips
		 * fewer per job). If any job fails, the whole batch is rolled back and run again,
		 * each job in its own savepoint, so the failure stays its own.
		 */
		int failed = 0;
		for (struct kw_job *j = batch; j && !failed; j = j->next) {
			run_job(w, j, &tx, 0);
			failed = j->rc != 0;
		}
		if (failed) {
			kw_conn_rollback(w->conn);
			for (struct kw_job *j = batch; j; j = j->next) {
				kw_err_release(&j->err);
				j->rc = 0;
			}
			pthread_mutex_lock(&w->mu);
			w->stats.careful_batches++;
			pthread_mutex_unlock(&w->mu);
			rc = begin_batch(w, &tx, &err);
		}
		for (struct kw_job *j = batch; j && !rc; j = j->next) {
			if (failed)
				run_job(w, j, &tx, 1);
			if (!j->rc)
				ok_jobs++;
		}
	}
	if (!rc) {
		if (ok_jobs && w->key)
			rc = kw_audit_checkpoint(w->conn, w->key, tx.seq, tx.head,
			                         kw_clock_now_us(), &err);
		if (!rc)
			rc = kw_conn_commit(w->conn, &err);
		if (rc)
			kw_conn_rollback(w->conn);
		else if (ok_jobs && w->key)
			kw_audit_head_file_write(w->key, tx.seq, tx.head);
	}
	bulk_mode(w, batch, 0);
	if (kw_facts_generation() != gen)
		kw_tx_facts_changed(
		        &tx); /* readers may have read between the change and the commit */
	pthread_mutex_lock(&w->mu);
	w->stats.batches++;
	if (rc)
		w->stats.failed_batches++;
	pthread_mutex_unlock(&w->mu);
	for (struct kw_job *j = batch, *next; j; j = next) {
		next = j->next;
		if (rc && !j->rc) {
			/* The commit failed: nothing of this batch is on disk. */
			j->rc = rc;
			kw_err_set(&j->err, rc, err.code ? err.code : "DB_ERROR", NULL, "%s",
			           err.msg);
		}
		pthread_mutex_lock(&w->mu);
		w->stats.jobs++;
		if (j->rc)
			w->stats.failed_jobs++;
		pthread_mutex_unlock(&w->mu);
		j->next = NULL;
		j->done(j, j->data);
	}
	kw_err_release(&err);
}

static void *writer_main(void *arg)
{
	struct kw_writer *w = arg;
	/* Under a write overload the writer is the busiest thread; it yields the CPU to the
	 * threads answering reads (Linux: nice applies per thread). Best effort. */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while ((!w->head && !w->stop) || w->parked) {
			w->idle = 1;
			pthread_cond_broadcast(&w->idle_cv);
			pthread_cond_wait(&w->cv, &w->mu);
		}
		w->idle = 0;
		if (!w->head && w->stop) {
			w->exited = 1;
			pthread_cond_broadcast(&w->idle_cv);
			pthread_mutex_unlock(&w->mu);
			break;
		}
		/* Take what is waiting, up to batch_max: that is the group of this commit. */
		struct kw_job *batch = w->head, *last = w->head;
		int n = 1;
		while (last->next && n < w->batch_max) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		w->queued -= (size_t)n;
		pthread_mutex_unlock(&w->mu);
		run_batch(w, batch);
	}
	return NULL;
}

int kw_writer_open(const char *url, const struct kw_writer_config *cfg, struct kw_writer **out,
                   struct kw_err *err)
{
	struct kw_writer *w = kw_xcalloc(1, sizeof *w);
	w->queue_max = cfg && cfg->queue_max ? cfg->queue_max : 4096;
	w->batch_max = cfg && cfg->batch_max ? cfg->batch_max : 256;
	int rc = kw_conn_open(url, 0, &w->conn, err);
	if (!rc && cfg && cfg->key_file)
		rc = kw_audit_key_load(cfg->key_file, &w->key, err);
	if (rc) {
		kw_conn_close(w->conn);
		kw_audit_key_free(w->key);
		free(w);
		return rc;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_cond_init(&w->idle_cv, NULL);
	w->pid = getpid();
	pthread_once(&fork_once, register_fork_handlers);
	pthread_mutex_lock(&live_mu);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_mutex_unlock(&live_mu);
		kw_conn_close(w->conn);
		kw_audit_key_free(w->key);
		free(w);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot start the writer");
	}
	w->next_live = live;
	live = w;
	pthread_mutex_unlock(&live_mu);
	*out = w;
	return 0;
}

void kw_writer_drain(struct kw_writer *w)
{
	if (!w || w->joined)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	/* The thread leaves once the queue is empty: every queued job has been completed. */
	pthread_join(w->thread, NULL);
	w->joined = 1;
}

void kw_writer_close(struct kw_writer *w)
{
	if (!w)
		return;
	kw_writer_drain(w);
	pthread_mutex_lock(&live_mu);
	for (struct kw_writer **l = &live; *l; l = &(*l)->next_live)
		if (*l == w) {
			*l = w->next_live;
			break;
		}
	pthread_mutex_unlock(&live_mu);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	pthread_cond_destroy(&w->idle_cv);
	kw_conn_close(w->conn);
	kw_audit_key_free(w->key);
	free(w);
}

int kw_writer_full(struct kw_writer *w)
{
	pthread_mutex_lock(&w->mu);
	int full = w->queued >= w->queue_max || w->stop;
	pthread_mutex_unlock(&w->mu);
	return full;
}

int kw_writer_submit(struct kw_writer *w, struct kw_job *job, struct kw_err *err)
{
	job->next = NULL;
	job->rc = 0;
	pthread_mutex_lock(&w->mu);
	if (w->queued >= w->queue_max || w->stop) {
		pthread_mutex_unlock(&w->mu);
		int rc = kw_err_set(err, KW_EBUSY, "OVERLOADED", NULL, "the write queue is full");
		kw_err_detail(err, "retry_after", json_integer(1));
		return rc;
	}
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	w->queued++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
};

static void wake(struct kw_job *job, void *data)
{
	(void)job;
	struct waiter *wt = data;
	pthread_mutex_lock(&wt->mu);
	wt->done = 1;
	pthread_cond_signal(&wt->cv);
	pthread_mutex_unlock(&wt->mu);
}

static int run_one(struct kw_writer *w, kw_job_fn fn, void *arg, const struct kw_actor *actor,
                   int bulk, struct kw_err *err)
{
	struct waiter wt = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct kw_job job = {.fn = fn, .arg = arg, .done = wake, .data = &wt, .bulk = bulk};
	job.actor = *actor;
	int rc = kw_writer_submit(w, &job, err);
	if (rc)
		return rc;
	pthread_mutex_lock(&wt.mu);
	while (!wt.done)
		pthread_cond_wait(&wt.cv, &wt.mu);
	pthread_mutex_unlock(&wt.mu);
	rc = job.rc;
	if (rc && err) {
		kw_err_release(err);
		*err = job.err;
	} else {
		kw_err_release(&job.err);
	}
	return rc;
}

int kw_writer_run(struct kw_writer *w, kw_job_fn fn, void *arg, const struct kw_actor *actor,
                  struct kw_err *err)
{
	return run_one(w, fn, arg, actor, 0, err);
}

int kw_writer_run_bulk(struct kw_writer *w, kw_job_fn fn, void *arg, const struct kw_actor *actor,
                       struct kw_err *err)
{
	return run_one(w, fn, arg, actor, 1, err);
}

void kw_writer_stats(struct kw_writer *w, struct kw_writer_stats *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->stats;
	out->queued = w->queued;
	pthread_mutex_unlock(&w->mu);
}
