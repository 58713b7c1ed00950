/*
 * The SQLite driver: one file in WAL mode, synchronous=FULL (a commit is on disk before
 * it returns), foreign keys on, a 5 s busy timeout. Parameters are $1…$N, bound by name.
 * Prepared statements are kept per connection in a cache keyed by their SQL (compiling the
 * SQL was half of a short read's time): kw_stmt_finalize resets a cached statement and
 * clears its bindings, and the next prepare of the same SQL takes it back.
 * Also SQLite's online backup, both ways (kw__sqlite_backup/restore).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/buf.h"

#define BUSY_TIMEOUT_MS 5000
#define BACKUP_RETRY_MS 50
#define BACKUP_RETRIES  600 /* 30 s of a locked source or target */
#define CACHE_MAX       128 /* compiled statements kept per connection */

/* A compiled statement kept for the next prepare of the same SQL on its connection. */
struct cached {
	char *sql;
	uint64_t hash, used;
	sqlite3_stmt *st;
	int *param, nparam;
	int in_use; /* a kw_stmt holds it (the same SQL prepared again meanwhile is compiled
	             * apart and finalized on its own) */
};

struct sconn {
	struct kw_conn base;
	sqlite3 *db;
	struct cached **cache;
	size_t ncache;
	uint64_t tick;
};

/* Before SQLite's first use: no memory statistics, which would take a global mutex on every
 * allocation (kaowu never reads them). */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct sstmt {
	struct kw_stmt base;
	sqlite3 *db;
	sqlite3_stmt *st;
	sqlite3_int64 total_before; /* sqlite3_total_changes64 at the first step */
	int running, done;
	int64_t changes;
	/* SQLite's index of each $i (0: absent), found once at prepare: looking the name up
	 * at every bind was a tenth of a bulk import's time. */
	int *param;
	int nparam;          /* the largest i */
	struct cached *slot; /* the cache entry st belongs to, or NULL: st and param are ours */
};

/* Maps an SQLite result code to a KW_E* with the connection's message. */
static int fail(sqlite3 *db, int rc, struct kw_err *err)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return kw_err_set(err, KW_ECONFLICT, "STORE_CONSTRAINT", NULL, "%s", msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return kw_err_set(err, KW_EBUSY, "DB_BUSY", NULL, "%s", msg);
	case SQLITE_FULL:
		return kw_err_set(err, KW_EFULL, "DB_FULL", NULL, "%s", msg);
	default:
		return kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "%s", msg);
	}
}

/* The directory part of path ("." for a bare name); caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return kw_xstrdup(".");
	if (slash == path)
		return kw_xstrdup("/");
	return kw_xstrndup(path, (size_t)(slash - path));
}

/* Refuses a path whose directory is missing, or a missing file unless create. */
static int check_path(const char *path, int create, struct kw_err *err)
{
	struct stat sb;
	char *dir = dir_of(path);
	int rc = 0;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		rc = kw_err_set(err, KW_EINVAL, "DB_DIR_NOT_FOUND", NULL,
		                "the directory %s does not exist (kaowu creates the database file, "
		                "not its directory)",
		                dir);
		goto out;
	}
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "cannot open %s: %s",
			                path, strerror(errno));
		else if (!create)
			rc = kw_err_set(
			        err, KW_EINVAL, "DB_NOT_FOUND", NULL,
			        "no database at %s: create it with `kaowu init --db sqlite:%s`",
			        path, strlen(path) < 80 ? path : "PATH");
		goto out;
	}
	if (!S_ISREG(sb.st_mode))
		rc = kw_err_set(err, KW_EINVAL, "DB_NOT_SQLITE", NULL,
		                "%s is not an SQLite database (not a regular file)", path);
out:
	if (rc == KW_EINVAL)
		kw_err_detail(err, "path", json_string(path));
	free(dir);
	return rc;
}

/* Removes a database file and whatever SQLite keeps beside it. */
static void unlink_db(const char *file)
{
	static const char *const sfx[] = {"", "-journal", "-wal", "-shm"};
	char p[4096];
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", file, sfx[i]);
		unlink(p);
	}
}

/* Runs a one-row PRAGMA and copies its text into out (for journal_mode). */
static int pragma_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(st, 0);
			snprintf(out, n, "%s", t ? (const char *)t : "");
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			out[0] = '\0';
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Opens path with the connection settings every kaowu connection has. */
static int open_db(const char *path, int create, sqlite3 **out, struct kw_err *err)
{
	sqlite3 *db = NULL;
	char mode[32];
	int rc, made = 0;
	if (create) {
		/* A new database holds personal data: readable by its owner only. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "cannot create %s: %s",
			                path, strerror(errno));
			goto out;
		}
		if (fd >= 0) {
			made = 1;
			close(fd);
		}
	}
	pthread_once(&config_once, configure);
	int src = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "cannot open %s: %s", path,
		                db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
		goto out;
	}
	if (sqlite3_db_readonly(db, "main") == 1) {
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
		                "%s is read-only: kaowu needs to write to it", path);
		goto out;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	/* The first read of the file: a file that is not a database fails here. */
	src = pragma_text(db, "PRAGMA journal_mode=WAL", mode, sizeof mode);
	if ((src & 0xff) == SQLITE_NOTADB) {
		rc = kw_err_set(err, KW_EINVAL, "DB_NOT_SQLITE", NULL,
		                "%s is not an SQLite database", path);
		kw_err_detail(err, "path", json_string(path));
		goto out;
	}
	if (src != SQLITE_OK) {
		rc = fail(db, src, err);
		goto out;
	}
	if (strcmp(mode, "wal") != 0) {
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
		                "%s: cannot switch to WAL (journal mode is %s)", path, mode);
		goto out;
	}
	/* a page cache of up to 64 MiB a connection (SQLite's default is 2 MiB): a season's
	 * shortlists (270,000 rows in one transaction) spilled its dirty pages to the WAL and read
	 * them back, and every index look-up of a national database was a read(2) */
	src = sqlite3_exec(db,
	                   "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA "
	                   "cache_size=-65536",
	                   NULL, NULL, NULL);
	if (src != SQLITE_OK) {
		rc = fail(db, src, err);
		goto out;
	}
	*out = db;
	db = NULL;
	rc = 0;
out:
	sqlite3_close_v2(db);
	if (rc && made)
		unlink_db(path); /* a failed init leaves nothing behind */
	return rc;
}

static void s_close(struct kw_conn *kc)
{
	struct sconn *c = (struct sconn *)kc;
	for (size_t i = 0; i < c->ncache; i++) {
		sqlite3_finalize(c->cache[i]->st);
		free(c->cache[i]->param);
		free(c->cache[i]->sql);
		free(c->cache[i]);
	}
	free(c->cache);
	sqlite3_close_v2(c->db);
	free(c);
}

static int s_open(const char *path, unsigned flags, struct kw_conn **out, struct kw_err *err)
{
	int create = (flags & KW_OPEN_CREATE) != 0;
	int rc = check_path(path, create, err);
	if (rc)
		return rc;
	sqlite3 *db = NULL;
	rc = open_db(path, create, &db, err);
	if (rc)
		return rc;
	struct sconn *c = kw_xcalloc(1, sizeof *c);
	c->base.ops = &kw_store_sqlite_ops;
	c->db = db;
	*out = &c->base;
	return 0;
}

static void cache_clear(struct sconn *c);

static int s_exec(struct kw_conn *kc, const char *sql, struct kw_err *err)
{
	struct sconn *c = (struct sconn *)kc;
	if (kw__sql_changes_schema(sql))
		cache_clear(c); /* migrations run here */
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : fail(c->db, rc, err);
}

/* Reads the schema page: the file is still there and readable. */
static int s_ping(struct kw_conn *kc, struct kw_err *err)
{
	return s_exec(kc, "SELECT count(*) FROM sqlite_master", err);
}

static int s_lost(struct kw_conn *kc)
{
	(void)kc;
	return 0;
}

static int s_in_tx(struct kw_conn *kc)
{
	return !sqlite3_get_autocommit(((struct sconn *)kc)->db);
}

/* Is name "$N" with N a positive decimal without leading zeros? */
static int dollar_number(const char *name)
{
	if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9')
		return 0;
	for (const char *p = name + 2; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* Compiles sql (one statement, parameters $1…$N only) and maps each $i to SQLite's index. */
static int compile(struct sconn *c, const char *sql, unsigned flags, sqlite3_stmt **out,
                   int **param, int *nparam, struct kw_err *err)
{
	sqlite3_stmt *st = NULL, *more = NULL;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, flags, &st, &tail);
	if (rc != SQLITE_OK) {
		rc = fail(c->db, rc, err);
		goto out;
	}
	if (!st) {
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "prepare: no SQL statement");
		goto out;
	}
	if (tail && *tail && sqlite3_prepare_v2(c->db, tail, -1, &more, NULL) == SQLITE_OK &&
	    more) {
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
		                "prepare takes one statement; run several with kw_conn_exec");
		goto out;
	}
	int maxp = 0;
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		if (dollar_number(name) && atoi(name + 1) > maxp)
			maxp = atoi(name + 1);
		if (!dollar_number(name)) {
			rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
			                "parameter %s: write $1, $2, … (the only form PostgreSQL "
			                "shares)",
			                name ? name : "?");
			goto out;
		}
	}
	*nparam = maxp;
	*param = kw_xcalloc((size_t)maxp + 1, sizeof **param);
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++)
		(*param)[atoi(sqlite3_bind_parameter_name(st, i) + 1)] = i;
	*out = st;
	st = NULL;
out:
	sqlite3_finalize(more);
	sqlite3_finalize(st);
	return rc;
}

/* A statement of its own, not kept. */
static int compile_apart(struct sconn *c, const char *sql, struct kw_stmt **out, struct kw_err *err)
{
	struct sstmt *s = kw_xcalloc(1, sizeof *s);
	s->base.ops = &kw_store_sqlite_ops;
	s->db = c->db;
	int rc = compile(c, sql, 0, &s->st, &s->param, &s->nparam, err);
	if (rc)
		free(s);
	else
		*out = &s->base;
	return rc;
}

static struct cached *cache_find(struct sconn *c, const char *sql, uint64_t h)
{
	for (size_t i = 0; i < c->ncache; i++)
		if (c->cache[i]->hash == h && strcmp(c->cache[i]->sql, sql) == 0)
			return c->cache[i];
	return NULL;
}

/* Keeps st for sql, dropping the least recently used entry no kw_stmt holds when the cache
 * is full; NULL (st not kept) when every entry is held. */
static struct cached *cache_add(struct sconn *c, const char *sql, uint64_t h, sqlite3_stmt *st,
                                int *param, int nparam)
{
	if (c->ncache >= CACHE_MAX) {
		size_t victim = c->ncache;
		for (size_t i = 0; i < c->ncache; i++)
			if (!c->cache[i]->in_use &&
			    (victim == c->ncache || c->cache[i]->used < c->cache[victim]->used))
				victim = i;
		if (victim == c->ncache)
			return NULL;
		struct cached *v = c->cache[victim];
		sqlite3_finalize(v->st);
		free(v->param);
		free(v->sql);
		free(v);
		c->cache[victim] = c->cache[--c->ncache];
	} else if (!c->cache) {
		c->cache = kw_xcalloc(CACHE_MAX, sizeof *c->cache);
	}
	struct cached *e = kw_xcalloc(1, sizeof *e);
	e->sql = kw_xstrdup(sql);
	e->hash = h;
	e->st = st;
	e->param = param;
	e->nparam = nparam;
	c->cache[c->ncache++] = e;
	return e;
}

/* Drops every entry no kw_stmt holds: after a schema change, so that a statement compiled
 * before it is compiled again (SQLite would recompile it at its first step, but its column
 * count before that would be the old one). */
static void cache_clear(struct sconn *c)
{
	size_t kept = 0;
	for (size_t i = 0; i < c->ncache; i++) {
		struct cached *e = c->cache[i];
		if (e->in_use) {
			c->cache[kept++] = e;
			continue;
		}
		sqlite3_finalize(e->st);
		free(e->param);
		free(e->sql);
		free(e);
	}
	c->ncache = kept;
}

static int s_prepare(struct kw_conn *kc, const char *sql, struct kw_stmt **out, struct kw_err *err)
{
	struct sconn *c = (struct sconn *)kc;
	uint64_t h = kw__sql_hash(sql);
	struct cached *e = cache_find(c, sql, h); /* never a schema change: those are not kept */
	if (!e && kw__sql_changes_schema(sql)) {
		cache_clear(c);
		return compile_apart(c, sql, out, err);
	}
	struct sstmt *s = kw_xcalloc(1, sizeof *s);
	s->base.ops = &kw_store_sqlite_ops;
	s->db = c->db;
	if (e && !e->in_use) {
		s->st = e->st;
		s->param = e->param;
		s->nparam = e->nparam;
	} else {
		int rc = compile(c, sql, e ? 0 : SQLITE_PREPARE_PERSISTENT, &s->st, &s->param,
		                 &s->nparam, err);
		if (rc) {
			free(s);
			return rc;
		}
		if (!e)
			e = cache_add(c, sql, h, s->st, s->param, s->nparam);
		else
			e = NULL; /* held: this one is compiled apart */
	}
	if (e) {
		e->in_use = 1;
		e->used = ++c->tick;
		s->slot = e;
	}
	*out = &s->base;
	return 0;
}

/* SQLite's index of parameter $i, 0 when the statement has none. */
static int param_index(struct sstmt *s, int i)
{
	return i >= 1 && i <= s->nparam ? s->param[i] : 0;
}

static int bind_result(int rc)
{
	switch (rc) {
	case SQLITE_OK:
		return 0;
	case SQLITE_TOOBIG:
		return KW_ETOOBIG;
	case SQLITE_NOMEM:
		abort(); /* like kw_xmalloc */
	default:
		return KW_EINVAL;
	}
}

static int s_bind_int64(struct kw_stmt *ks, int i, int64_t v)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = param_index(s, i);
	return k ? bind_result(sqlite3_bind_int64(s->st, k, v)) : KW_EINVAL;
}

static int s_bind_text(struct kw_stmt *ks, int i, const char *v, size_t n)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = param_index(s, i);
	return k ? bind_result(sqlite3_bind_text64(s->st, k, v, n, SQLITE_TRANSIENT, SQLITE_UTF8))
	         : KW_EINVAL;
}

static int s_bind_blob(struct kw_stmt *ks, int i, const void *v, size_t n)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = param_index(s, i);
	if (!k)
		return KW_EINVAL;
	/* An empty blob, not NULL (sqlite3_bind_blob of a zero length may bind NULL). */
	if (n == 0)
		return bind_result(sqlite3_bind_zeroblob(s->st, k, 0));
	return bind_result(sqlite3_bind_blob64(s->st, k, v, n, SQLITE_TRANSIENT));
}

static int s_bind_null(struct kw_stmt *ks, int i)
{
	struct sstmt *s = (struct sstmt *)ks;
	int k = param_index(s, i);
	return k ? bind_result(sqlite3_bind_null(s->st, k)) : KW_EINVAL;
}

/*
 * Rows this statement changed: sqlite3_changes64 is the connection's last
 * INSERT/UPDATE/DELETE, so it counts only when this statement wrote something.
 */
static int64_t changed(struct sstmt *s)
{
	if (sqlite3_stmt_readonly(s->st) || sqlite3_total_changes64(s->db) == s->total_before)
		return 0;
	return sqlite3_changes64(s->db);
}

static int s_step(struct kw_stmt *ks, struct kw_err *err)
{
	struct sstmt *s = (struct sstmt *)ks;
	if (s->done)
		return KW_DONE;
	if (!s->running) {
		s->running = 1;
		s->total_before = sqlite3_total_changes64(s->db);
	}
	int rc = sqlite3_step(s->st);
	if (rc == SQLITE_ROW)
		return KW_ROW;
	s->done = 1;
	if (rc == SQLITE_DONE) {
		s->changes = changed(s);
		return KW_DONE;
	}
	rc = fail(s->db, rc, err);
	sqlite3_reset(s->st);
	return rc;
}

static void s_reset(struct kw_stmt *ks)
{
	struct sstmt *s = (struct sstmt *)ks;
	sqlite3_reset(s->st); /* repeats the last step's error, already reported */
	s->running = s->done = 0;
	s->changes = 0;
}

static int s_column_count(struct kw_stmt *ks)
{
	return sqlite3_column_count(((struct sstmt *)ks)->st);
}

static int in_row(struct sstmt *s, int i)
{
	return s->running && !s->done && i >= 0 && i < sqlite3_data_count(s->st);
}

static int s_column_is_null(struct kw_stmt *ks, int i)
{
	struct sstmt *s = (struct sstmt *)ks;
	return !in_row(s, i) || sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

static int64_t s_column_int64(struct kw_stmt *ks, int i)
{
	struct sstmt *s = (struct sstmt *)ks;
	return in_row(s, i) ? sqlite3_column_int64(s->st, i) : 0;
}

static const char *s_column_text(struct kw_stmt *ks, int i, size_t *n)
{
	struct sstmt *s = (struct sstmt *)ks;
	const unsigned char *t = in_row(s, i) ? sqlite3_column_text(s->st, i) : NULL;
	*n = t ? (size_t)sqlite3_column_bytes(s->st, i) : 0;
	return t ? (const char *)t : "";
}

static const void *s_column_blob(struct kw_stmt *ks, int i, size_t *n)
{
	struct sstmt *s = (struct sstmt *)ks;
	const void *b = in_row(s, i) ? sqlite3_column_blob(s->st, i) : NULL;
	*n = b ? (size_t)sqlite3_column_bytes(s->st, i) : 0;
	return b ? b : "";
}

/* Known once step has returned KW_DONE (SQLite counts RETURNING rows only then); 0 before.
 */
static int64_t s_changes(struct kw_stmt *ks)
{
	struct sstmt *s = (struct sstmt *)ks;
	return s->done ? s->changes : 0;
}

/* A cached statement goes back to its entry as a fresh one would be: reset, every
 * parameter NULL. */
static void s_finalize(struct kw_stmt *ks)
{
	struct sstmt *s = (struct sstmt *)ks;
	if (s->slot) {
		sqlite3_reset(s->st);
		sqlite3_clear_bindings(s->st);
		s->slot->in_use = 0;
	} else {
		sqlite3_finalize(s->st);
		free(s->param);
	}
	free(s);
}

const struct kw_store_ops kw_store_sqlite_ops = {
        .name = "sqlite",
        .driver = KW_DRIVER_SQLITE,
        .begin_sql = "BEGIN IMMEDIATE",
        .id_type = "INTEGER PRIMARY KEY",
        .blob_type = "BLOB",
        .lock_sql = NULL, /* BEGIN IMMEDIATE already excludes other writers */
        .has_table_sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
        .open = s_open,
        .close = s_close,
        .exec = s_exec,
        .ping = s_ping,
        .lost = s_lost,
        .in_tx = s_in_tx,
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
};

/* ---- online backup ---- */

/*
 * Copies all of src into dst in one step: one read transaction on src, so the copy is
 * a consistent snapshot while other connections keep writing (WAL lets them).
 */
static int copy_db(sqlite3 *dst, sqlite3 *src, struct kw_err *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return fail(dst, sqlite3_extended_errcode(dst), err);
	int rc, tries = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > BACKUP_RETRIES)
			break;
		sqlite3_sleep(BACKUP_RETRY_MS);
	}
	int frc = sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE && frc == SQLITE_OK)
		return 0;
	if (rc == SQLITE_DONE)
		rc = frc;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return kw_err_set(err, KW_EBUSY, "DB_BUSY", NULL,
		                  "the database stayed locked for %d s",
		                  BACKUP_RETRIES * BACKUP_RETRY_MS / 1000);
	return fail(dst, rc, err);
}

/* Makes a new file's directory entry durable (best effort: the data is synced). */
static void sync_dir(const char *file)
{
	char *dir = dir_of(file);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Backs the database at path up into file, which must not exist: a standalone file
 * (rollback journal, no -wal beside it), mode 0600.
 */
int kw__sqlite_backup(const char *path, const char *file, struct kw_err *err)
{
	struct kw_conn *src = NULL;
	sqlite3 *dst = NULL;
	int created = 0;
	char mode[32];
	int rc = s_open(path, 0, &src, err);
	if (rc)
		goto out;
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			rc = kw_err_set(err, KW_ECONFLICT, "BACKUP_TARGET_EXISTS", NULL,
			                "%s already exists: a backup never overwrites a file",
			                file);
		else
			rc = kw_err_set(err, KW_EINVAL, "BACKUP_FAILED", NULL,
			                "cannot create %s: %s", file, strerror(errno));
		goto out;
	}
	created = 1;
	close(fd);
	int src_rc = sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (src_rc != SQLITE_OK) {
		rc = kw_err_set(err, KW_ESTORE, "BACKUP_FAILED", NULL, "cannot open %s: %s", file,
		                dst ? sqlite3_errmsg(dst) : sqlite3_errstr(src_rc));
		goto out;
	}
	src_rc = sqlite3_exec(dst, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (src_rc != SQLITE_OK) {
		rc = fail(dst, src_rc, err);
		goto out;
	}
	rc = copy_db(dst, ((struct sconn *)src)->db, err);
	if (rc)
		goto out;
	/* The copy says WAL like its source; make it one self-contained file. */
	src_rc = pragma_text(dst, "PRAGMA journal_mode=DELETE", mode, sizeof mode);
	if (src_rc != SQLITE_OK) {
		rc = fail(dst, src_rc, err);
		goto out;
	}
	if (strcmp(mode, "delete") != 0) {
		rc = kw_err_set(err, KW_ESTORE, "BACKUP_FAILED", NULL, "%s: journal mode stayed %s",
		                file, mode);
		goto out;
	}
out:
	if (dst && sqlite3_close(dst) != SQLITE_OK && !rc)
		rc = kw_err_set(err, KW_ESTORE, "BACKUP_FAILED", NULL, "cannot close %s", file);
	if (src)
		s_close(src);
	if (rc && created) {
		unlink_db(file);
		if (err && err->code && strncmp(err->code, "BACKUP_", 7) != 0) {
			/* DB_FULL, DB_BUSY…: about the backup, not the database. */
			char msg[sizeof err->msg];
			memcpy(msg, err->msg, sizeof msg);
			rc = kw_err_set(err, KW_ESTORE, "BACKUP_FAILED", NULL, "%s", msg);
		}
	} else if (!rc) {
		sync_dir(file);
	}
	if (rc && err && err->code && strncmp(err->code, "BACKUP_", 7) == 0)
		kw_err_detail(err, "file", json_string(file));
	return rc;
}

static int invalid_backup(struct kw_err *err, const char *file, const char *why)
{
	int rc = kw_err_set(err, KW_EINVAL, "BACKUP_INVALID", NULL,
	                    "%s is not an intact kaowu backup: %s", file, why);
	kw_err_detail(err, "file", json_string(file));
	return rc;
}

/* Is file an intact kaowu database no newer than latest? */
static int check_backup(const char *file, int latest, struct kw_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct stat sb;
	int rc = 0, src;
	if (stat(file, &sb) != 0) {
		rc = invalid_backup(err, file, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc = invalid_backup(err, file, "not a regular file");
		goto out;
	}
	src = sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		rc = invalid_backup(err, file, db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
		goto out;
	}
	/* integrity_check answers one row "ok", or up to 100 rows of damage. */
	src = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		rc = invalid_backup(err, file, sqlite3_errmsg(db));
		goto out;
	}
	const unsigned char *verdict = sqlite3_column_text(st, 0);
	if (!verdict || strcmp((const char *)verdict, "ok") != 0) {
		rc = invalid_backup(err, file, "PRAGMA integrity_check found damage");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	src = sqlite3_prepare_v2(db,
	                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	                         "name = 'kw_schema'",
	                         -1, &st, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src != SQLITE_ROW || sqlite3_column_int(st, 0) != 1) {
		rc = invalid_backup(err, file, "it has no kw_schema table");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	src = sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(version), 0) FROM kw_schema", -1, &st,
	                         NULL);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src != SQLITE_ROW || sqlite3_column_int(st, 0) < 1) {
		rc = invalid_backup(err, file, "its kw_schema table is empty");
		goto out;
	}
	int version = sqlite3_column_int(st, 0);
	if (version > latest) {
		rc = kw_err_set(err, KW_ECONFLICT, "DB_SCHEMA_NEWER", NULL,
		                "%s has schema version %d but this kaowu knows only up to %d: "
		                "restore it with a newer kaowu",
		                file, version, latest);
		kw_err_detail(err, "version", json_integer(version));
		kw_err_detail(err, "latest", json_integer(latest));
		goto out;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close_v2(db);
	return rc;
}

/*
 * Replaces the database at path (created when absent) with the backup in file, after
 * checking the backup. Run with the servers stopped: a database in use stays busy and
 * is refused (DB_BUSY).
 */
int kw__sqlite_restore(const char *path, const char *file, int latest, struct kw_err *err)
{
	sqlite3 *src = NULL;
	struct kw_conn *dst = NULL;
	char mode[32];
	int rc = check_backup(file, latest, err);
	if (rc)
		goto out;
	int src_rc = sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (src_rc != SQLITE_OK) {
		rc = invalid_backup(err, file, src ? sqlite3_errmsg(src) : sqlite3_errstr(src_rc));
		goto out;
	}
	rc = s_open(path, KW_OPEN_CREATE, &dst, err);
	if (rc)
		goto out;
	sqlite3 *db = ((struct sconn *)dst)->db;
	/*
	 * Out of WAL while copying: a backup into a WAL database must keep its page size,
	 * and leaving WAL needs the only connection, which catches a running server.
	 */
	src_rc = pragma_text(db, "PRAGMA journal_mode=DELETE", mode, sizeof mode);
	if (src_rc != SQLITE_OK || strcmp(mode, "delete") != 0) {
		rc = kw_err_set(err, KW_EBUSY, "DB_BUSY", NULL,
		                "%s is in use: stop the servers before restoring", path);
		goto out;
	}
	rc = copy_db(db, src, err);
	if (rc)
		goto out;
	src_rc = pragma_text(db, "PRAGMA journal_mode=WAL", mode, sizeof mode);
	if (src_rc != SQLITE_OK) {
		rc = fail(db, src_rc, err);
		goto out;
	}
	if (strcmp(mode, "wal") != 0)
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
		                "%s: cannot switch back to WAL (journal mode is %s)", path, mode);
out:
	kw_conn_close(dst);
	sqlite3_close_v2(src);
	return rc;
}
