/*
 * The drivers' side of store.h: an ops table per driver, like SQLite's VFS.
 *
 * store.c parses the URL, picks a driver and wraps every call; it also keeps the rules
 * both drivers must share (a failed transaction can only be rolled back, a statement is
 * bound before it runs), so a driver only translates. A driver's connection and
 * statement structs start with struct kw_conn / struct kw_stmt.
 */
#ifndef KW_STORE_INT_H
#define KW_STORE_INT_H

#include <stdint.h>

#include "store/store.h"

struct kw_store_ops {
	const char *name; /* "sqlite", "postgresql" */
	enum kw_driver driver;
	const char *begin_sql;     /* starts a write transaction */
	const char *id_type;       /* what @ID@ becomes in migrations */
	const char *blob_type;     /* what @BLOB@ becomes */
	const char *lock_sql;      /* run first in each migration transaction, or NULL */
	const char *has_table_sql; /* one row: does table $1 exist (a count, 0 or 1)? */

	/* target: the path after "sqlite:", or the whole postgresql:// URL */
	int (*open)(const char *target, unsigned flags, struct kw_conn **out, struct kw_err *err);
	void (*close)(struct kw_conn *c);
	int (*exec)(struct kw_conn *c, const char *sql, struct kw_err *err);
	int (*ping)(struct kw_conn *c, struct kw_err *err);
	int (*lost)(struct kw_conn *c);  /* known to be disconnected (no round trip) */
	int (*in_tx)(struct kw_conn *c); /* inside BEGIN … COMMIT/ROLLBACK */

	/* prepare: exactly one statement; its parameters are $1…$N */
	int (*prepare)(struct kw_conn *c, const char *sql, struct kw_stmt **out,
	               struct kw_err *err);
	/* bind_*: 0, or KW_EINVAL for an index the statement does not have */
	int (*bind_int64)(struct kw_stmt *s, int i, int64_t v);
	int (*bind_text)(struct kw_stmt *s, int i, const char *v, size_t n);
	int (*bind_blob)(struct kw_stmt *s, int i, const void *v, size_t n);
	int (*bind_null)(struct kw_stmt *s, int i);
	/* step: after KW_DONE or an error, KW_DONE again until reset */
	int (*step)(struct kw_stmt *s, struct kw_err *err);
	void (*reset)(struct kw_stmt *s);
	int (*column_count)(struct kw_stmt *s);
	/* column_*: an index out of range, or no current row, reads as NULL */
	int (*column_is_null)(struct kw_stmt *s, int i);
	int64_t (*column_int64)(struct kw_stmt *s, int i);
	const char *(*column_text)(struct kw_stmt *s, int i, size_t *n);
	const void *(*column_blob)(struct kw_stmt *s, int i, size_t *n);
	int64_t (*changes)(struct kw_stmt *s);
	void (*finalize)(struct kw_stmt *s);
};

/* Every driver's connection starts with this; store.c owns the fields after ops. */
struct kw_conn {
	const struct kw_store_ops *ops;
	int tx_open;   /* kw_conn_begin succeeded; no commit or rollback yet */
	int tx_failed; /* a statement failed inside the transaction */
};

/* Every driver's statement starts with this; store.c owns the fields after ops. */
struct kw_stmt {
	const struct kw_store_ops *ops;
	struct kw_conn *conn;
	int started; /* stepped since prepare/reset */
	int bind_rc; /* the first failed bind since prepare/reset, reported by step */
	int bind_index;
};

/* The key of both drivers' statement caches: FNV-1a over the SQL text. */
static inline uint64_t kw__sql_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Does sql (one statement or a script) hold the word CREATE, ALTER or DROP, in any case? Both
 * drivers drop the statements they keep after running such SQL: a kept statement would
 * still describe the old columns. A false alarm only costs compiling again. */
int kw__sql_changes_schema(const char *sql);

extern const struct kw_store_ops kw_store_sqlite_ops;
extern const struct kw_store_ops kw_store_pg_ops;

/*
 * SQLite's online backup (store_sqlite.c), called by kw_store_backup/kw_store_restore
 * with the path of a sqlite: URL. restore refuses a backup whose schema is newer than
 * `latest`.
 */
int kw__sqlite_backup(const char *path, const char *file, struct kw_err *err);
int kw__sqlite_restore(const char *path, const char *file, int latest, struct kw_err *err);

#endif
