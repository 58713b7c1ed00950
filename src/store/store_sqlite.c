/* The SQLite driver: WAL, synchronous=FULL, $N parameters bound by name. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/buf.h"

struct sconn {
	struct kw_conn base;
	sqlite3 *db;
};

struct sstmt {
	struct kw_stmt base;
	struct sconn *c;
	sqlite3_stmt *st;
	int64_t changes;
	int done;
};

static int map_rc(sqlite3 *db, int rc, struct kw_err *err)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return kw_err_set(err, KW_ECONFLICT, "STORE_CONSTRAINT", NULL, "%s", msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return kw_err_set(err, KW_EBUSY, "DB_BUSY", NULL, "%s", msg);
	case SQLITE_FULL:
		return kw_err_set(err, KW_ESTORE, "DB_FULL", NULL, "%s", msg);
	default:
		return kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "%s", msg);
	}
}

static void s_close(struct kw_conn *kc)
{
	struct sconn *c = (struct sconn *)kc;
	sqlite3_close_v2(c->db);
	free(c);
}

static int s_exec(struct kw_conn *kc, const char *sql, struct kw_err *err)
{
	struct sconn *c = (struct sconn *)kc;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : map_rc(c->db, rc, err);
}

static int s_open(const char *path, unsigned flags, struct kw_conn **out, struct kw_err *err)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (!(flags & KW_OPEN_CREATE)) {
			int rc = kw_err_set(err, KW_EINVAL, "DB_NOT_FOUND", NULL,
			                    "no database at %s (create it with kaowu init)", path);
			kw_err_detail(err, "path", json_string(path));
			return rc;
		}
		/* The directory must exist: init creates a file, never directories. */
		char *dir = kw_xstrdup(path);
		char *slash = strrchr(dir, '/');
		int dir_ok = 1;
		if (slash && slash != dir) {
			*slash = '\0';
			dir_ok = stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
		}
		free(dir);
		if (!dir_ok) {
			int rc = kw_err_set(err, KW_EINVAL, "DB_NOT_FOUND", NULL,
			                    "the directory of %s does not exist", path);
			kw_err_detail(err, "path", json_string(path));
			return rc;
		}
	} else if (!S_ISREG(sb.st_mode)) {
		int rc = kw_err_set(err, KW_EINVAL, "DB_NOT_FOUND", NULL, "%s is not a file", path);
		kw_err_detail(err, "path", json_string(path));
		return rc;
	}
	struct sconn *c = kw_xcalloc(1, sizeof *c);
	c->base.ops = &kw_store_sqlite_ops;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	             ((flags & KW_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &c->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		rc = map_rc(c->db, rc, err);
		s_close(&c->base);
		return rc;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
	/* A file that is not a database fails here, on its first read. */
	rc = s_exec(&c->base,
	            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
	            err);
	if (rc) {
		s_close(&c->base);
		return rc;
	}
	*out = &c->base;
	return 0;
}

static int s_ping(struct kw_conn *kc, struct kw_err *err)
{
	return s_exec(kc, "SELECT 1", err);
}

static int s_prepare(struct kw_conn *kc, const char *sql, struct kw_stmt **out, struct kw_err *err)
{
	struct sconn *c = (struct sconn *)kc;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return map_rc(c->db, rc, err);
	struct sstmt *s = kw_xcalloc(1, sizeof *s);
	s->base.ops = &kw_store_sqlite_ops;
	s->c = c;
	s->st = st;
	*out = &s->base;
	return 0;
}

/* $N → SQLite's parameter index (0 when the statement has no $N). */
static int idx(struct sstmt *s, int i)
{
	char name[16];
	snprintf(name, sizeof name, "$%d", i);
	return sqlite3_bind_parameter_index(s->st, name);
}

static int bind_rc(struct sstmt *s, int rc)
{
	return rc == SQLITE_OK ? 0 : map_rc(s->c->db, rc, NULL);
}

static int s_bind_int64(struct kw_stmt *ks, int i, int64_t v)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = idx(s, i);
	return k ? bind_rc(s, sqlite3_bind_int64(s->st, k, v)) : KW_EINVAL;
}

static int s_bind_text(struct kw_stmt *ks, int i, const char *v, size_t n)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = idx(s, i);
	return k ? bind_rc(s, sqlite3_bind_text64(s->st, k, v, n, SQLITE_TRANSIENT, SQLITE_UTF8))
	         : KW_EINVAL;
}

static int s_bind_blob(struct kw_stmt *ks, int i, const void *v, size_t n)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = idx(s, i);
	return k ? bind_rc(s, sqlite3_bind_blob64(s->st, k, n ? v : "", n, SQLITE_TRANSIENT))
	         : KW_EINVAL;
}

static int s_bind_null(struct kw_stmt *ks, int i)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = idx(s, i);
	return k ? bind_rc(s, sqlite3_bind_null(s->st, k)) : KW_EINVAL;
}

static int s_step(struct kw_stmt *ks, struct kw_err *err)
{
	struct sstmt *s = (struct sstmt *)ks;
	if (s->done)
		return KW_DONE;
	int rc = sqlite3_step(s->st);
	if (rc == SQLITE_ROW)
		return KW_ROW;
	if (rc == SQLITE_DONE) {
		s->done = 1;
		s->changes = sqlite3_changes64(s->c->db);
		return KW_DONE;
	}
	rc = map_rc(s->c->db, rc, err);
	sqlite3_reset(s->st);
	return rc;
}

static int s_reset(struct kw_stmt *ks)
{
	struct sstmt *s = (struct sstmt *)ks;
	s->done = 0;
	s->changes = 0;
	sqlite3_reset(s->st);
	return 0;
}

static int s_column_count(struct kw_stmt *ks)
{
	return sqlite3_column_count(((struct sstmt *)ks)->st);
}

static int s_column_is_null(struct kw_stmt *ks, int i)
{
	return sqlite3_column_type(((struct sstmt *)ks)->st, i) == SQLITE_NULL;
}

static int64_t s_column_int64(struct kw_stmt *ks, int i)
{
	return sqlite3_column_int64(((struct sstmt *)ks)->st, i);
}

static const char *s_column_text(struct kw_stmt *ks, int i, size_t *n)
{
	struct sstmt *s = (struct sstmt *)ks;
	const unsigned char *t = sqlite3_column_text(s->st, i);
	if (n)
		*n = t ? (size_t)sqlite3_column_bytes(s->st, i) : 0;
	return t ? (const char *)t : "";
}

static const void *s_column_blob(struct kw_stmt *ks, int i, size_t *n)
{
	struct sstmt *s = (struct sstmt *)ks;
	const void *b = sqlite3_column_blob(s->st, i);
	*n = b ? (size_t)sqlite3_column_bytes(s->st, i) : 0;
	return b ? b : "";
}

static int64_t s_changes(struct kw_stmt *ks)
{
	return ((struct sstmt *)ks)->changes;
}

static void s_finalize(struct kw_stmt *ks)
{
	struct sstmt *s = (struct sstmt *)ks;
	sqlite3_finalize(s->st);
	free(s);
}

const struct kw_store_ops kw_store_sqlite_ops = {
        .name = "sqlite",
        .driver = KW_DRIVER_SQLITE,
        .open = s_open,
        .close = s_close,
        .exec = s_exec,
        .ping = s_ping,
        .prepare = s_prepare,
        .bind_int64 = s_bind_int64,
        .bind_text = s_bind_text,
        .bind_blob = s_bind_blob,
        .bind_null = s_bind_null,
        .step = s_step,
        .reset = s_reset,
        .column_count = s_column_count,
        .column_is_null = s_column_is_null,
        .column_int64 = s_column_int64,
        .column_text = s_column_text,
        .column_blob = s_column_blob,
        .changes = s_changes,
        .finalize = s_finalize,
        .begin_sql = "BEGIN IMMEDIATE",
};

/* ---- online backup ---- */

/* Copies src into dst page by page, letting writers in between steps. */
static int copy_db(sqlite3 *dst, sqlite3 *src, struct kw_err *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return map_rc(dst, sqlite3_errcode(dst), err);
	int rc;
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return map_rc(dst, rc, err);
	return 0;
}

int kw__sqlite_backup(const char *path, const char *file, struct kw_err *err);
int kw__sqlite_restore(const char *path, const char *file, struct kw_err *err);

int kw__sqlite_backup(const char *path, const char *file, struct kw_err *err)
{
	struct stat sb;
	if (stat(file, &sb) == 0) {
		int rc = kw_err_set(err, KW_ECONFLICT, "BACKUP_TARGET_EXISTS", NULL,
		                    "%s already exists; a backup never overwrites", file);
		kw_err_detail(err, "file", json_string(file));
		return rc;
	}
	struct kw_conn *src = NULL;
	sqlite3 *dst = NULL;
	int rc = s_open(path, 0, &src, err);
	if (rc)
		return rc;
	if (sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = kw_err_set(err, KW_EINVAL, "BACKUP_FAILED", NULL, "cannot create %s: %s", file,
		                dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	rc = copy_db(dst, ((struct sconn *)src)->db, err);
	if (rc)
		goto out;
	/* The copy is a standalone file: no WAL beside it. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = map_rc(dst, sqlite3_errcode(dst), err);
out:
	sqlite3_close_v2(dst);
	s_close(src);
	if (rc)
		unlink(file);
	return rc;
}

/* Is the file an intact kaowu database? */
static int check_backup(const char *file, struct kw_err *err)
{
	sqlite3 *db = NULL;
	int rc = 0;
	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = kw_err_set(err, KW_EINVAL, "BACKUP_INVALID", NULL, "cannot open %s", file);
		goto out;
	}
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	         sqlite3_step(st) == SQLITE_ROW &&
	         strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	st = NULL;
	if (ok)
		ok = sqlite3_prepare_v2(db, "SELECT MAX(version) FROM kw_schema", -1, &st, NULL) ==
		             SQLITE_OK &&
		     sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (!ok)
		rc = kw_err_set(err, KW_EINVAL, "BACKUP_INVALID", NULL,
		                "%s is not an intact kaowu database", file);
out:
	if (rc)
		kw_err_detail(err, "file", json_string(file));
	sqlite3_close_v2(db);
	return rc;
}

int kw__sqlite_restore(const char *path, const char *file, struct kw_err *err)
{
	struct stat sb;
	if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		int rc = kw_err_set(err, KW_EINVAL, "BACKUP_INVALID", NULL, "no backup file %s",
		                    file);
		kw_err_detail(err, "file", json_string(file));
		return rc;
	}
	int rc = check_backup(file, err);
	if (rc)
		return rc;
	sqlite3 *src = NULL;
	struct kw_conn *dst = NULL;
	if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = kw_err_set(err, KW_EINVAL, "BACKUP_INVALID", NULL, "cannot open %s", file);
		goto out;
	}
	rc = s_open(path, KW_OPEN_CREATE, &dst, err);
	if (rc)
		goto out;
	rc = copy_db(((struct sconn *)dst)->db, src, err);
out:
	kw_conn_close(dst);
	sqlite3_close_v2(src);
	return rc;
}
