/*
 * Records: the plain registers of kaowu (centres, rooms, staff, their agreements,
 * inspections, incidents, plans…) described once as data — a kind with typed fields — and
 * served by one engine: validate, scope to the caller's units, create and update through the
 * writer with their audit records, read, list with filters and a cursor, show a record's
 * history, import a CSV all-or-nothing, export a list. The kinds are in kinds.c; their
 * tables in the migrations; each table is audited (audit.c asks kw_kind_by_table).
 *
 * Scope: every kind names one field whose value leads to a unit — directly (a ref to units)
 * or through another kind (a room's centre_id → the centre's unit_id). A caller reaches a
 * record when that unit lies under one of their grants that allows the kind's action;
 * anything else is "not found" (404), never "forbidden": the walls do not tell what is
 * behind them.
 */
#ifndef KW_APP_RECORDS_H
#define KW_APP_RECORDS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/err.h"

enum kw_ftype {
	KW_FT_TEXT, /* max = length in characters */
	KW_FT_ENUM, /* one of values */
	KW_FT_DATE, /* YYYY-MM-DD */
	KW_FT_INT,  /* min..max */
	KW_FT_BOOL, /* JSON true/false, stored 0/1 */
	KW_FT_REF,  /* the id of a record of kind `ref` (or of a unit / user) */
	KW_FT_TIME, /* an instant: RFC 3339 with an offset in, stored and shown in UTC */
};

enum kw_fflags {
	KW_FF_REQUIRED = 1, /* must be given on create (and may not be cleared) */
	KW_FF_FIXED = 2,    /* set on create, never changed (the scope field, codes) */
	KW_FF_SEARCH = 4,   /* matched by the list's q= */
	KW_FF_MASKED = 8,   /* an identity number: shown masked (110105********002X) */
	KW_FF_LATE = 16,    /* added by a later migration: nullable, and in the audit's canonical
	                       form only when it holds a value (app/audit.c) */
	KW_FF_SYSTEM = 32,  /* written by kaowu's own services only (a case's archive entry):
	                       shown, never taken from a client or an import */
};

struct kw_field {
	const char *name; /* column and JSON key */
	enum kw_ftype type;
	unsigned flags;
	int64_t min, max;
	const char *const *values; /* KW_FT_ENUM: NULL-terminated */
	const char *ref;           /* KW_FT_REF: "units", "users" or a kind's table */
	const char *dflt;          /* value on create when not given (text form), or NULL */
	const char *zh, *en;       /* column labels (CSV headers, XLSX, documentation) */
};

/* A value computed when a record is read (never written): SQL over the table aliased r. */
struct kw_computed {
	const char *name;
	char type; /* 'b' boolean (SQL yields 0/1), 'i' integer */
	const char *sql;
};

enum kw_kflags {
	KW_KF_NO_UPDATE = 1, /* no updated_at column; records are not changed through this API */
	KW_KF_CHECKED = 2,   /* maker-checker (INF-4, INF-5(5)): a create, update or import by hand
	                        carries its grounds and waits as a pending approval until another
	                        person allowed the kind's write action at its unit approves it (see
	                        "Maker-checker" below); the kind has no ref to its own records */
};

struct kw_kind {
	const char *name;  /* "centre" */
	const char *table; /* "centres"; also the API path /api/v1/<table> */
	const struct kw_field *fields;
	int nfields;
	const char *scope;        /* the field that leads to the unit */
	const char *read, *write; /* permission actions */
	const char *key[3];       /* the natural key (unique), NULL-terminated; may be empty */
	const char *zh, *en;      /* the register's name */
	/* Extra checks on the merged record (create or update), after the field checks; adds
	 * {field, problem} items to `fields`. It may first normalise values it understands in
	 * more than one wording (a published position table's "中共党员", "3：1"). May be NULL. */
	void (*check)(json_t *rec, json_t *fields);
	const struct kw_computed *computed; /* NULL-terminated by name, or NULL */
	unsigned flags;
};

/* The kinds (kinds.c), NULL-terminated. */
extern const struct kw_kind *const kw_kinds[];
const struct kw_kind *kw_kind_by_table(const char *table);
const struct kw_kind *kw_kind_by_name(const char *name);
const struct kw_field *kw_kind_field(const struct kw_kind *k, const char *name);

/* After a record of k is written through this engine in tx (create and import: changes NULL;
 * update: {field: {from, to}}), before the commit: what else the write means for its kind
 * (kinds.c; the archive's sharing ledger). 0, or an error that undoes the write. */
int kw_kind_written(struct kw_tx *tx, const struct kw_kind *k, int64_t id, const json_t *changes,
                    struct kw_err *err);

/*
 * The field checks alone (no database): body applied to old (NULL: a new record) gives *rec;
 * *problems = [{field, problem}] (empty when valid; KW_EINVAL then). Both are the caller's.
 */
int kw_rec_check_body(const struct kw_kind *k, const json_t *old, const json_t *body, json_t **rec,
                      json_t **problems);

/* A record's JSON: {id, <fields>, created_at, updated_at, <computed>}. */

/*
 * Validates a new record (body: the fields; unknown keys refused), checks the caller may
 * write it at its scope and that its refs exist and are reachable, then inserts it through
 * the writer with its audit record. *out = the record. VALIDATION_FAILED (details.fields),
 * RECORD_DUPLICATE (409, details.key), NOT_FOUND for an unreachable scope.
 */
int kw_rec_create(struct kw_app *app, const struct kw_session_info *s, const struct kw_actor *actor,
                  const struct kw_kind *k, const json_t *body, json_t **out, struct kw_err *err);

/*
 * Changes the fields in body of record id. if_match: the ETag the caller read (required:
 * PRECONDITION_REQUIRED 428 without it, STALE_RECORD 412 when the record changed since).
 * FIXED fields may not change. *out = the record, *etag its new ETag.
 */
int kw_rec_update(struct kw_app *app, const struct kw_session_info *s, const struct kw_actor *actor,
                  const struct kw_kind *k, int64_t id, const json_t *body, const char *if_match,
                  json_t **out, char etag[70], struct kw_err *err);

/*
 * The same in two steps, for callers that submit the job themselves (the HTTP server
 * suspends the request until the commit): prepare checks everything that can be checked
 * before the write (id 0: create); kw_rec_write_job is the writer job; after the commit,
 * kw_rec_write_id and kw_rec_write_etag tell the result — or, for a KW_KF_CHECKED kind,
 * kw_rec_write_approval the pending approval the job made instead (nothing written yet).
 */
struct kw_rec_write;
int kw_rec_write_prepare(struct kw_app *app, const struct kw_session_info *s,
                         const struct kw_kind *k, int64_t id, const json_t *body,
                         const char *if_match, struct kw_rec_write **out, struct kw_err *err);
int kw_rec_write_job(struct kw_tx *tx, void *arg, struct kw_err *err);
int64_t kw_rec_write_id(const struct kw_rec_write *w);
const char *kw_rec_write_etag(const struct kw_rec_write *w);
int64_t kw_rec_write_approval(const struct kw_rec_write *w);    /* 0: written at once */
int kw_rec_write_changes_nothing(const struct kw_rec_write *w); /* an update of no field */
void kw_rec_write_free(struct kw_rec_write *w);

/*
 * Maker-checker for the KW_KF_CHECKED kinds (the integrity archive; INF-4, INF-5(5): a change
 * of an entry needs new firm evidence or legal grounds and a second person). The request
 * body of a create or an update carries, besides the fields, "grounds": the evidence or
 * legal grounds in words (1..KW_GROUNDS_MAX characters, not blank); an import takes them
 * as its query parameter grounds=. Without them: GROUNDS_REQUIRED (400, rule INF-5,
 * details.fields = [{field: "grounds", problem}]), or VALIDATION_FAILED listing the grounds
 * after the record's own problems. Everything else is checked as for a direct write (an
 * import row by row, with its usual problems); then, instead of the write, one pending
 * approval (app/approvals.c; 202 over HTTP) of kind "<kind>.create", "<kind>.update" or
 * "<kind>.import" whose payload is
 *   {"grounds", "units": [the units the change reaches],
 *    create: "record"; update: "id", "if_match" (the ETag the maker read), "changes",
 *    "record"; import: "rows" (the records, in file order), "encoding"}.
 * An update that changes nothing changes nothing and needs no grounds. Nothing is in the
 * table until another person approves it: then the change is written in the checker's
 * transaction (an import all rows or none) and audited as a direct write would be, its
 * detail naming approval_id, maker, checker and grounds.
 */
#define KW_GROUNDS_MAX 1000

/* The kind of approval kind akind ("archive_entry.update") when it is a change of records,
 * else NULL; *verb (may be NULL) = "create", "update" or "import". */
const struct kw_kind *kw_rec_change_kind(const char *akind, const char **verb);

/* May s decide the change (k's write action at each of payload's units)? 0, or
 * KW_EFORBIDDEN (FORBIDDEN). */
int kw_rec_change_allowed(struct kw_conn *c, const struct kw_session_info *s,
                          const struct kw_kind *k, const json_t *payload, struct kw_err *err);

/* Writes an approved change in the checker's tx (re-runnable). *result (new reference) =
 * {"id"} for a create or an update, {"imported", "first_id", "last_id"} for an import.
 * STALE_RECORD (412) when the record changed since the maker read it (the approval stays
 * pending: refuse it, or approve a new request); RECORD_DUPLICATE as a direct write. */
int kw_rec_change_apply(struct kw_tx *tx, const struct kw_kind *k, const char *verb,
                        const json_t *payload, int64_t approval_id, const char *maker,
                        const char *checker, json_t **result, struct kw_err *err);

/* The payload as people may see it (new reference): identity numbers masked, an import's
 * rows cut to its first 20, with "count". */
json_t *kw_rec_change_view(const struct kw_kind *k, const json_t *payload);

/* One record and its ETag ("\"<row digest>\""). NOT_FOUND when absent or unreachable. */
int kw_rec_get(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
               int64_t id, json_t **out, char etag[70], struct kw_err *err);

struct kw_rec_query {
	const char *const *names; /* filters: field = value (exact), NULL-terminated pairs */
	const char *const *values;
	int nfilters;
	const char *q; /* substring of any SEARCH field */
	int64_t after; /* the cursor: ids above it */
	int limit;     /* 1..1000 (export: up to 100000) */
};

/*
 * The accounts the caller may link staff records to: users holding an unrevoked grant at a
 * unit under one of the caller's user.list grants (everyone for a grant at the root), by
 * username or display name when q is given; {"items":[{id, username, display_name}]}, at
 * most 1000. No password hashes, no grants.
 */
int kw_rec_users_list(struct kw_app *app, const struct kw_session_info *s, const char *q,
                      json_t **out, struct kw_err *err);

/*
 * A list's query from a request's arguments keys[i] = vals[i]: q, limit (1..max_limit),
 * cursor, and every field of k as an exact filter (numbers and booleans checked here);
 * format, lang and dry_run are left to the caller. names/values (max_filters each) receive
 * the filters, pointing into keys/vals. QUERY_INVALID (details.name) otherwise.
 */
int kw_rec_query_parse(const struct kw_kind *k, const char *const *keys, const char *const *vals,
                       int n, int max_limit, struct kw_rec_query *q, const char **names,
                       const char **values, int max_filters, struct kw_err *err);

/* {"items":[…], "next_cursor": "<id>" | null}, reachable records in id order. */
int kw_rec_list(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
                const struct kw_rec_query *q, json_t **out, struct kw_err *err);

/* The audit records about record id (single and batch), newest first: {"items":[…]}. */
int kw_rec_history(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
                   int64_t id, json_t **out, struct kw_err *err);

/*
 * Imports a CSV file (UTF-8 or GB18030, with or without BOM): a header row naming fields by
 * their key, their zh or en label; refs by the referenced record's code (column
 * "<field>_code" or the field's label). Every row is checked (fields, duplicates within the
 * file and against the database, refs that resolve nowhere — orphans —, scope) before
 * anything is written; one problem anywhere and nothing is: IMPORT_INVALID (422) with
 * details.rows = [{line, field, problem}] (the first 200) and details.count. Otherwise one
 * writer job inserts every row under one batch audit record. dry_run: check only.
 * An .xlsx workbook is read as well (its first worksheet; util/xlsxread.h). fixed: values every
 * row shares, given once ({"exam_id": "AH-GWY-2027"}: a field's key or label → a cell's text)
 * for columns the file does not have — a published position table names no exam;
 * IMPORT_FIXED_INVALID (400, details.parameter) for a name that is no field or a column the
 * file has too. NULL for none.
 * *out = {"imported": n, "rows": rows checked, "encoding": "…", "dry_run": bool}.
 * A KW_KF_CHECKED kind (not a dry run) needs grounds, and the file becomes one pending
 * approval (see "Maker-checker" above): *out then has "imported": 0, "approval_id" and
 * "status": "pending". grounds is ignored for other kinds.
 */
int kw_rec_import(struct kw_app *app, const struct kw_session_info *s, const struct kw_actor *actor,
                  const struct kw_kind *k, const char *data, size_t n, const json_t *fixed,
                  const char *grounds, int dry_run, json_t **out, struct kw_err *err);

/* The list as an XLSX workbook (labels in lang): up to 100000 rows. */
int kw_rec_export_xlsx(struct kw_app *app, const struct kw_session_info *s, const struct kw_kind *k,
                       const struct kw_rec_query *q, const char *lang, char **xlsx, size_t *n,
                       struct kw_err *err);

/* Items already read (records of k, e.g. the units list) as an XLSX workbook. */
int kw_rec_items_xlsx(struct kw_app *app, const struct kw_kind *k, const json_t *items,
                      const char *lang, char **xlsx, size_t *n, struct kw_err *err);

/*
 * Appends "WITH RECURSIVE reach(id) AS (…) " (the units s reaches for action) to b; *all
 * when s reaches every unit (nothing appended), *none when it reaches none.
 */
struct kw_buf;
int kw_rec_reach_sql(struct kw_conn *c, struct kw_buf *b, const struct kw_session_info *s,
                     const char *action, int *all, int *none, struct kw_err *err);

/* The unit a record of k with id reaches (its scope, followed to a unit). */
int kw_rec_unit(struct kw_conn *c, const struct kw_kind *k, int64_t id, int64_t *unit,
                struct kw_err *err);

/* Record id of k as the API shows it (no reach check: the caller has made it). */
int kw_rec_read(struct kw_conn *c, const struct kw_kind *k, int64_t id, json_t **out,
                struct kw_err *err);

#endif
