/*
 * Storage: one narrow interface, two drivers (SQLite, PostgreSQL), one set of SQL.
 *
 * SQL is written in the subset both databases accept. Parameters are $1, $2, … in both
 * (the SQLite driver binds them by name). Two macros in migrations (only there) cover
 * what the subset lacks:  @ID@   → an auto-assigned 64-bit primary key column type
 *                         @BLOB@ → a byte-string column type
 * Booleans are INTEGER 0/1, times are TEXT in RFC 3339 UTC ("2026-11-23T12:00:00.000000Z"),
 * money is INTEGER fen. Use `INSERT … RETURNING id` for new keys.
 *
 * A connection is used by one thread at a time; struct kw_pool hands them out.
 * Errors: unique/foreign-key/check violations → KW_ECONFLICT (code STORE_CONSTRAINT);
 * a lost or unreachable server → KW_EUNAVAILABLE (DB_UNAVAILABLE);
 * anything else → KW_ESTORE (DB_ERROR). err->msg carries the driver's text, which may
 * quote SQL but never bound values.
 */
#ifndef KW_STORE_STORE_H
#define KW_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct kw_conn;
struct kw_stmt;

enum kw_driver { KW_DRIVER_SQLITE = 1, KW_DRIVER_PG = 2 };

enum kw_open_flags {
	KW_OPEN_CREATE = 1, /* SQLite: create the file when absent (init); otherwise refuse */
};

/*
 * Opens a connection for a database URL: "sqlite:PATH" or "postgresql://…"
 * ("postgres://…" too). A wrong or unreachable URL gives KW_EINVAL (DB_URL_INVALID) or
 * KW_EUNAVAILABLE (DB_UNAVAILABLE) with a message that names the problem (never the
 * password).
 */
int kw_conn_open(const char *url, unsigned flags, struct kw_conn **out, struct kw_err *err);
void kw_conn_close(struct kw_conn *c); /* NULL-safe */
enum kw_driver kw_conn_driver(const struct kw_conn *c);
const char *kw_conn_driver_name(const struct kw_conn *c); /* "sqlite" / "postgresql" */

/* Runs SQL without parameters or results (may hold several statements). */
int kw_conn_exec(struct kw_conn *c, const char *sql, struct kw_err *err);
int kw_conn_begin(struct kw_conn *c, struct kw_err *err); /* a write transaction */
int kw_conn_commit(struct kw_conn *c, struct kw_err *err);
int kw_conn_rollback(struct kw_conn *c); /* best effort */
int kw_conn_savepoint(struct kw_conn *c, const char *name, struct kw_err *err);
int kw_conn_release(struct kw_conn *c, const char *name, struct kw_err *err);
int kw_conn_rollback_to(struct kw_conn *c, const char *name, struct kw_err *err);
/* Is the connection usable? Reconnects a PostgreSQL connection that was lost. */
int kw_conn_ping(struct kw_conn *c, struct kw_err *err);

/* Prepares one statement. Bind indexes and column indexes start at 1 and 0. */
int kw_conn_prepare(struct kw_conn *c, const char *sql, struct kw_stmt **out, struct kw_err *err);
int kw_stmt_bind_int64(struct kw_stmt *s, int i, int64_t v);
int kw_stmt_bind_text(struct kw_stmt *s, int i, const char *v, size_t n); /* copies */
int kw_stmt_bind_textz(struct kw_stmt *s, int i, const char *v);          /* NULL → null */
int kw_stmt_bind_blob(struct kw_stmt *s, int i, const void *v, size_t n); /* copies */
int kw_stmt_bind_null(struct kw_stmt *s, int i);
/* KW_ROW, KW_DONE, or a negative KW_E* (the message in err). */
int kw_stmt_step(struct kw_stmt *s, struct kw_err *err);
/* Back to before the first step; bindings are kept. */
int kw_stmt_reset(struct kw_stmt *s);
int kw_stmt_column_count(struct kw_stmt *s);
int kw_stmt_column_is_null(struct kw_stmt *s, int i);
/* 0 for SQL NULL (both drivers; test_db_store checks it). */
int64_t kw_stmt_column_int64(struct kw_stmt *s, int i);
/* Valid until the next step/reset/finalize; never NULL ("" for SQL NULL). */
const char *kw_stmt_column_text(struct kw_stmt *s, int i, size_t *n);
const void *kw_stmt_column_blob(struct kw_stmt *s, int i, size_t *n);
/* Column i's text copied into out[n] ("" for SQL NULL), cut to fit. */
void kw_stmt_column_copy(struct kw_stmt *s, int i, char *out, size_t n);
/* A step's result when a loop over rows ends: 0 after the last row (KW_DONE) or on a row
 * (KW_ROW: the loop left early), else the error rc. */
static inline int kw_step_ok(int rc)
{
	return rc == KW_ROW || rc == KW_DONE ? 0 : rc;
}
/* Rows changed by the last completed INSERT/UPDATE/DELETE. */
int64_t kw_stmt_changes(struct kw_stmt *s);
void kw_stmt_finalize(struct kw_stmt *s); /* NULL-safe */

/* Schema: numbered migrations embedded from src/store/migrations/NNNN_name.sql. */
int kw_store_migrate(struct kw_conn *c, struct kw_err *err);
/* The highest applied migration, 0 when none; and the highest kaowu knows. */
int kw_store_schema_version(struct kw_conn *c, int *version, struct kw_err *err);
int kw_store_latest_version(void);

/*
 * SQLite online backup of a live database into FILE (which must not exist), and the
 * reverse. PostgreSQL URLs are refused with a pointer to docs/operations.md.
 */
int kw_store_backup(const char *url, const char *file, struct kw_err *err);
int kw_store_restore(const char *url, const char *file, struct kw_err *err);

/* A fixed set of connections shared by threads. */
struct kw_pool;
int kw_pool_open(const char *url, int size, struct kw_pool **out, struct kw_err *err);
void kw_pool_close(struct kw_pool *p);
struct kw_conn *kw_pool_get(struct kw_pool *p); /* blocks until one is free */
void kw_pool_put(struct kw_pool *p, struct kw_conn *c);
const char *kw_pool_driver_name(const struct kw_pool *p);

#endif
