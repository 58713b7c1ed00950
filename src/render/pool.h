/*
 * A pool of worker processes that render documents in bulk (STACK.md: cairo keeps ~768
 * bytes per embedded CJK font per PDF and the fontconfig and pango caches grow, so one
 * process rendering a long batch grows without bound). The parent hands each job (opaque
 * bytes) to one of N forked workers through a pipe and reads the document back through
 * another; a worker renders at most K documents, then exits and a fresh one takes its place
 * (recycled). A worker that dies — a crash, a signal, a job over its time limit — fails only
 * the job it was rendering, with RENDER_CRASHED; the jobs queued behind it go to its
 * replacement.
 *
 * The shape of libuv's handles: create, run (until every job is done), stop (from a
 * callback), free; the caller's state travels in `data`. run calls next and done on the
 * calling thread, one at a time. Workers are forked from a zygote, a process that run forks
 * from the caller once, at its start, and that stays single-threaded (a fork from a process
 * whose other threads hold locks — an allocator's — makes children that hang on them): so
 * call run while the caller's other threads are idle, as a CLI's writer is before its first
 * job. render sees what the caller had in memory when run started (read-only: nothing a
 * worker changes comes back) and must touch no database connection or other shared
 * resource: it turns job bytes into document bytes, nothing else.
 */
#ifndef KW_RENDER_POOL_H
#define KW_RENDER_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

struct kw_render_pool;

/* In a worker: renders the job's n bytes into out (an empty buffer with the pool's
 * doc_max cap); 0, or a negative KW_E* with err set (its code and message go back). */
typedef int (*kw_render_pool_render_fn)(void *data, const void *job, size_t n, struct kw_buf *out,
                                        struct kw_err *err);

/* In the parent: puts the next job's bytes into job (empty, uncapped) and an id of the
 * caller's choosing into *id. Returns 1 for a job, 0 when there are no more, or a negative
 * KW_E* (err set) to stop the pool: run then waits for the jobs in flight and returns it. */
typedef int (*kw_render_pool_next_fn)(void *data, uint64_t *id, struct kw_buf *job,
                                      struct kw_err *err);

/* In the parent: a job's outcome. rc 0: the document is doc[0..n) (borrowed until the
 * callback returns); otherwise failure holds the code (RENDER_CRASHED when the worker died
 * with it) and message. A negative return (err set) stops the pool as next's does. */
typedef int (*kw_render_pool_done_fn)(void *data, uint64_t id, int rc, const char *doc, size_t n,
                                      const struct kw_err *failure, struct kw_err *err);

/* Runs once in the zygote (the process the workers are forked from) before the first
 * worker is forked (may be NULL): e.g. loads the fonts, which every worker then inherits
 * instead of loading them itself. Its result is ignored: without it each worker loads. */
typedef int (*kw_render_pool_warm_fn)(void *data, struct kw_err *err);

struct kw_render_pool_config {
	int workers;         /* worker processes at once; 0: the CPUs online */
	int jobs_per_worker; /* documents a worker renders before it is replaced; 0: 500 */
	int depth;           /* jobs handed to a worker ahead of its results; 0: 2 */
	int job_timeout_ms;  /* a job still unanswered after this is the worker's death; 0: 60 s */
	size_t doc_max;      /* the largest document accepted; 0: 64 MiB */
	kw_render_pool_render_fn render;
	kw_render_pool_next_fn next;
	kw_render_pool_done_fn done;
	kw_render_pool_warm_fn warm;
	void *data;
};

/* What a run did. */
struct kw_render_pool_stats {
	uint64_t jobs;          /* jobs answered through done */
	uint64_t failed;        /* of them, refused by render or lost with a worker */
	uint64_t crashed;       /* of them, lost with a worker */
	int workers_started;    /* forks, the recycled workers' replacements included */
	int workers_crashed;    /* workers that died other than by finishing their share */
	long worker_max_rss_kb; /* the largest peak RSS of a worker (its pages shared with the
	                           parent at the fork included), from wait4 */
	double seconds;         /* run's wall time */
};

/* KW_EINVAL (VALIDATION_FAILED) without render, next or done, or with a negative setting. */
int kw_render_pool_create(const struct kw_render_pool_config *cfg, struct kw_render_pool **out,
                          struct kw_err *err);

/*
 * Forks the workers and runs until next has no more jobs and every job handed out is
 * answered, or a callback stopped the pool. Returns 0 (a job that failed is no failure of
 * the run: done was told), the callback's error, or KW_EINTERNAL when a pipe or fork failed
 * (the jobs in flight are then answered as failed). Every worker has exited on return.
 * SIGPIPE is ignored while it runs.
 */
int kw_render_pool_run(struct kw_render_pool *p, struct kw_err *err);

/* From a callback: hand out no more jobs; run returns once the jobs in flight are done. */
void kw_render_pool_stop(struct kw_render_pool *p);

void kw_render_pool_stats(const struct kw_render_pool *p, struct kw_render_pool_stats *out);

/* NULL-safe. Only when run is not running. */
void kw_render_pool_free(struct kw_render_pool *p);

#endif
