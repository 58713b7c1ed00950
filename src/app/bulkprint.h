/*
 * Printing in bulk from a published seating (issue 7): every admission ticket of an exam
 * (app/tickets.c) and every door or desk label (app/centredocs.c), rendered by a pool of
 * recycled worker processes (render/pool.h) into files under a directory, for the operator
 * on the server host (`kaowu tickets render`, `kaowu labels render`; docs/cli.md).
 *
 * Tickets are the tickets of record: a registration's valid version is written as stored;
 * where there is none, the next version is issued exactly as the candidate's own download
 * issues it (self-printed, no stamp; the PDF stored and the issue audited through the
 * writer) and then written. The files are therefore the same bytes the candidate downloads,
 * and each QR code verifies online. Files are written only after the issue is committed.
 */
#ifndef KW_APP_BULKPRINT_H
#define KW_APP_BULKPRINT_H

#include <stdint.h>

#include "app/app.h"
#include "app/writer.h"

struct kw_bulkprint_opts {
	const char *exam;    /* the exam's id or code (required) */
	const char *centre;  /* a centre's code, or NULL for all */
	const char *out_dir; /* created when absent (one level); files go to out_dir/<centre>/ */
	const char *kind;    /* labels: "door" (default) or "desk" */
	int workers;         /* worker processes; 0: the CPUs online */
	int per_worker;      /* documents a worker renders before it is replaced; 0: 500 */
	/* Called now and then on the calling thread with the documents done so far. */
	void (*progress)(void *data, uint64_t done, uint64_t total);
	void *progress_data;
};

/* One document that could not be made, and why (at most KW_BULKPRINT_PROBLEMS are kept). */
struct kw_bulkprint_problem {
	char what[64]; /* the ticket number, or the centre code */
	char code[64]; /* an error code (RENDER_CRASHED, TICKET_HELD, …) */
	char msg[256];
};
#define KW_BULKPRINT_PROBLEMS 20

struct kw_bulkprint_report {
	uint64_t total;    /* documents the run was to make */
	uint64_t written;  /* files written */
	uint64_t rendered; /* of them, rendered now (tickets: and issued) */
	uint64_t reused;   /* of them, tickets already issued, written as stored */
	uint64_t pages;    /* pages in the files rendered now */
	uint64_t skipped;  /* tickets that may not be issued now (TICKET_HELD, …) */
	uint64_t failed;   /* documents that failed (a worker died, the writer refused) */
	int workers, workers_started, workers_crashed;
	long worker_max_rss_kb;
	double seconds;        /* the whole run */
	double render_seconds; /* of it, the pool's run */
	size_t nproblems;
	struct kw_bulkprint_problem problems[KW_BULKPRINT_PROBLEMS];
};

/*
 * The current valid ticket of every seated registration of the exam's published seating
 * (of one centre, when given), as out_dir/<centre>/<ticket number>.pdf. Refused before
 * anything is written: NOT_FOUND (no such exam, or no exam rooms for that centre),
 * SEATING_NOT_PUBLISHED, TICKET_EXAM_OVER, TICKET_KEY_MISSING, OUT_DIR_INVALID. Then 0
 * even when some documents failed: the report counts and names them.
 */
int kw_tickets_render_all(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_bulkprint_opts *o, struct kw_bulkprint_report *rep,
                          struct kw_err *err);

/*
 * The door labels (kind "door": one A4 landscape page per exam room) or desk labels ("desk":
 * 12 a page) of the exam's published seating, one PDF per centre:
 * out_dir/<centre>/door-labels.pdf or desk-labels.pdf. Refused as tickets are (no
 * TICKET_* codes); VALIDATION_FAILED for another kind.
 */
int kw_labels_render_all(struct kw_app *app, const struct kw_bulkprint_opts *o,
                         struct kw_bulkprint_report *rep, struct kw_err *err);

/* Shared by both (app/tickets.c). The exam (id or code) and its published seating run;
 * NOT_FOUND, SEATING_NOT_PUBLISHED. */
int kw_bulkprint_run_of(struct kw_conn *c, const char *exam, int64_t *exam_id, int64_t *run,
                        struct kw_err *err);
/* Creates dir (one level) when absent and checks that it is a writable directory;
 * OUT_DIR_INVALID. */
int kw_bulkprint_out_dir(const char *dir, struct kw_err *err);
/* Writes data to dir/sub/name (sub created when absent) through a temporary file and a
 * rename; OUT_DIR_INVALID. Names are made safe for a file system first. */
int kw_bulkprint_write(const char *dir, const char *sub, const char *name, const void *data,
                       size_t n, struct kw_err *err);
/* Adds a problem to the report (the first KW_BULKPRINT_PROBLEMS are kept). */
void kw_bulkprint_problem(struct kw_bulkprint_report *rep, const char *what, const char *code,
                          const char *msg);

#endif
