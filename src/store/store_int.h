/* The drivers' side of store.h: an ops table per driver, like SQLite's VFS. */
#ifndef KW_STORE_INT_H
#define KW_STORE_INT_H

#include "store/store.h"

struct kw_store_ops {
	const char *name;
	enum kw_driver driver;
	int (*open)(const char *target, unsigned flags, struct kw_conn **out, struct kw_err *err);
	void (*close)(struct kw_conn *c);
	int (*exec)(struct kw_conn *c, const char *sql, struct kw_err *err);
	int (*ping)(struct kw_conn *c, struct kw_err *err);
	int (*prepare)(struct kw_conn *c, const char *sql, struct kw_stmt **out,
	               struct kw_err *err);
	int (*bind_int64)(struct kw_stmt *s, int i, int64_t v);
	int (*bind_text)(struct kw_stmt *s, int i, const char *v, size_t n);
	int (*bind_blob)(struct kw_stmt *s, int i, const void *v, size_t n);
	int (*bind_null)(struct kw_stmt *s, int i);
	int (*step)(struct kw_stmt *s, struct kw_err *err);
	int (*reset)(struct kw_stmt *s);
	int (*column_count)(struct kw_stmt *s);
	int (*column_is_null)(struct kw_stmt *s, int i);
	int64_t (*column_int64)(struct kw_stmt *s, int i);
	const char *(*column_text)(struct kw_stmt *s, int i, size_t *n);
	const void *(*column_blob)(struct kw_stmt *s, int i, size_t *n);
	int64_t (*changes)(struct kw_stmt *s);
	void (*finalize)(struct kw_stmt *s);
	const char *begin_sql; /* a write transaction */
};

/* Every driver's connection and statement start with these. */
struct kw_conn {
	const struct kw_store_ops *ops;
};
struct kw_stmt {
	const struct kw_store_ops *ops;
};

extern const struct kw_store_ops kw_store_sqlite_ops;
extern const struct kw_store_ops kw_store_pg_ops;

#endif
