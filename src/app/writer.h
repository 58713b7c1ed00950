/*
 * Durable writes with group commit (ARCHITECTURE.md "Group commit").
 *
 * One writer per process and database owns one connection and drains a bounded queue of
 * jobs: it runs up to `batch_max` waiting jobs in one transaction, each inside its own
 * savepoint (a job that fails rolls back alone), appends their audit records to the hash
 * chain, signs a checkpoint of the chain head, commits once (durably: SQLite
 * synchronous=FULL, PostgreSQL synchronous_commit=on) and then completes every job. A job
 * is acknowledged only after that commit. On PostgreSQL the batch holds an advisory lock,
 * so the writers of several servers append to one chain in turn.
 */
#ifndef KW_APP_WRITER_H
#define KW_APP_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"
#include "util/err.h"

/* Who does a write; copied into the audit record. */
struct kw_actor {
	char kind[16];       /* "user", "operator" (the server host's CLI), "system", "public" */
	int64_t id;          /* users.id for kind "user", else 0 */
	char name[64];       /* username, or the operator's login name */
	char request_id[72]; /* the HTTP request id, or "cli:<pid>" */
};

struct kw_audit_key;

/* A job's view of its transaction. */
struct kw_tx {
	struct kw_conn *conn;
	const struct kw_actor *actor;
	int64_t now_us; /* one time for the whole job (from the one clock) */
	int64_t seq;    /* the audit chain head seen by this job */
	char head[65];  /* hash of record `seq` (64 zeros before the first) */
	int appended;   /* audit records this job appended */
};

/*
 * A job does database work through tx and sets its outputs in arg, nothing else: it may run
 * twice (first in a batch without savepoints; again, inside its own savepoint, when any job
 * of that batch failed), and only the run that commits counts.
 */
typedef int (*kw_job_fn)(struct kw_tx *tx, void *arg, struct kw_err *err);

struct kw_job {
	kw_job_fn fn;
	void *arg;
	struct kw_actor actor;
	/* Called on the writer thread once the job's fate is known (committed or failed). */
	void (*done)(struct kw_job *job, void *data);
	void *data;
	int bulk;          /* a large multi-row write: SQLite keeps its batch's statement
	                    * journals in memory (kw_writer_run_bulk) */
	int rc;            /* 0 committed, else the job's or the commit's error */
	struct kw_err err; /* owned by the job; release it after done */
	struct kw_job *next;
};

struct kw_writer_config {
	size_t queue_max;     /* jobs waiting; beyond it submit says KW_EBUSY (0 = 4096) */
	int batch_max;        /* jobs per transaction (0 = 256) */
	const char *key_file; /* Ed25519 audit signing key (see audit.h); NULL = no checkpoints */
};

struct kw_writer;

int kw_writer_open(const char *url, const struct kw_writer_config *cfg, struct kw_writer **out,
                   struct kw_err *err);
/*
 * Refuses new jobs (submit says OVERLOADED), finishes every queued one (their done
 * callbacks run) and stops the writer thread. Call it before stopping whatever waits on
 * those callbacks (the HTTP server's suspended connections). Idempotent.
 */
void kw_writer_drain(struct kw_writer *w);
/* Drains, then frees. NULL-safe. */
void kw_writer_close(struct kw_writer *w);

/*
 * Queues a job; job->done will be called exactly once (from the writer thread). Returns
 * KW_EBUSY with code OVERLOADED (and does not call done) when the queue is full.
 */
int kw_writer_submit(struct kw_writer *w, struct kw_job *job, struct kw_err *err);
/* Would a submit now be refused (the queue is full, or the writer is draining)? A hint for
 * refusing a write before reading its body; submit still decides. */
int kw_writer_full(struct kw_writer *w);

/* Runs fn as one job and waits for its commit; returns its result (err filled). */
int kw_writer_run(struct kw_writer *w, kw_job_fn fn, void *arg, const struct kw_actor *actor,
                  struct kw_err *err);

/*
 * Facts readers keep in memory (a sitting's times, a centre's readiness: util/memo.h) are
 * valid while the facts generation has not moved since they were read. A job that changes
 * such facts calls kw_tx_facts_changed: the generation moves at once and again after its
 * batch has committed (or rolled back), so a reader that took the generation before reading
 * the database never keeps a value older than the commit. Process-wide: a write by another
 * process is not seen (the memo's time bound covers it).
 */
uint64_t kw_facts_generation(void);
void kw_tx_facts_changed(struct kw_tx *tx);

/* The same for a job that writes millions of rows in one transaction (seating, the bulk
 * import): on SQLite its batch keeps statement journals in memory (PRAGMA temp_store, which
 * must be set before the transaction begins); as a temporary file they cost two writes a
 * page for every statement once one has spilled (bench/RESULTS.md, issues 6 and 7). Not the
 * writer's default: ordinary jobs are small and gain nothing from it. */
int kw_writer_run_bulk(struct kw_writer *w, kw_job_fn fn, void *arg, const struct kw_actor *actor,
                       struct kw_err *err);

/*
 * A use case's write in three steps, so that the HTTP layer holds no thread while it commits
 * (kw_http_defer_op): the use case checks and reads, then fills an op whose arg it owns; job
 * runs on the writer; answer (may be NULL) builds the answer after the commit, on a read
 * connection; release (may be NULL) frees arg. status: the HTTP status of success (0: 200).
 * kw_op_run runs one in place and releases it (the demo, the CLI, tests).
 */
struct kw_app;
struct kw_op {
	kw_job_fn job;
	int (*answer)(struct kw_app *app, void *arg, json_t **out, struct kw_err *err);
	void (*release)(void *arg);
	void *arg;
	int status;       /* the HTTP status of the answer (0: 200) … */
	int *status_from; /* … or, when set and non-zero after answer(), this (inside arg) */
};
int kw_op_run(struct kw_app *app, const struct kw_actor *actor, struct kw_op *op, json_t **out,
              struct kw_err *err);

/* Figures for tests and benchmarks. */
struct kw_writer_stats {
	uint64_t jobs, batches, failed_jobs, failed_batches;
	uint64_t careful_batches; /* batches run again with a savepoint per job */
	size_t queued;
};
void kw_writer_stats(struct kw_writer *w, struct kw_writer_stats *out);

/* Fills an actor; any string may be NULL. */
void kw_actor_set(struct kw_actor *a, const char *kind, int64_t id, const char *name,
                  const char *request_id);

#endif
