/*
 * The integrity archive: what it holds on a day, and its credit-information sharing ledger
 * (app/archive.h says what; migration 0019 holds the tables).
 */
#include "app/archive.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/cases.h"
#include "app/records.h"
#include "core/calendar.h"
#include "core/mask.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/ratelimit.h"

/* ---- in term on a day ---- */

int kw_archive_in_term(struct kw_conn *c, const char *id_type, const char *id_number,
                       const char *day, int *ban, int *qual, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*ban = *qual = 0;
	/* clang-format off */
	int rc = kw_conn_prepare(
	        c,
	        "SELECT COALESCE(SUM(CASE WHEN " KW_ARCHIVE_BAN("a") " THEN 1 ELSE 0 END), 0), "
	        "COALESCE(SUM(CASE WHEN a.kind = 'qualification' THEN 1 ELSE 0 END), 0) "
	        "FROM archive_entries a WHERE a.id_number = $2 AND a.id_type = $1 AND "
	        KW_ARCHIVE_IN_TERM("a", "$3"),
	        &s, err);
	/* clang-format on */
	if (!rc) {
		kw_stmt_bind_textz(s, 1, id_type);
		kw_stmt_bind_textz(s, 2, id_number);
		kw_stmt_bind_textz(s, 3, day);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*ban = kw_stmt_column_int64(s, 0) > 0;
			*qual = kw_stmt_column_int64(s, 1) > 0;
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = 0;
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

/* ---- small helpers ---- */

static const char *col_text(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL);
}

/* A query of one row and one integer column (0 when it gives no row or NULL). */
static int one_int(struct kw_conn *c, const char *sql, int64_t *out, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*out = 0;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW && !kw_stmt_column_is_null(s, 0))
			*out = kw_stmt_column_int64(s, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	return rc;
}

static void cst_today(int64_t now_us, char day[11])
{
	int32_t d = 0;
	if (kw_cal_cst_day(now_us / 1000000, &d, NULL) != 0)
		d = 0;
	kw_cal_date_format(d, day);
}

/* ---- due days ---- */

/*
 * archive_update_working_days of the rule set an archive answers to: the civil-service
 * archive to the civil-service rules (AH), the qualification archive to PQ. Resolved once.
 */
static int share_days_cs = 10, share_days_q = 10;
static pthread_once_t share_days_once = PTHREAD_ONCE_INIT;

static void load_share_days(void)
{
	json_t *p = NULL;
	if (kw_app_rule_params("AH", &p, NULL) == 0)
		share_days_cs = kw_app_param_int(p, "archive_update_working_days", 10);
	json_decref(p);
	p = NULL;
	if (kw_app_rule_params("PQ", &p, NULL) == 0)
		share_days_q = kw_app_param_int(p, "archive_update_working_days", 10);
	json_decref(p);
}

static int share_days(const char *kind)
{
	pthread_once(&share_days_once, load_share_days);
	return kind && strcmp(kind, "civil_service") == 0 ? share_days_cs : share_days_q;
}

/*
 * The due day of a change confirmed on CST day `confirmed` to an entry of `kind`: *known 0
 * (and no error) when the holiday calendar does not cover the period yet.
 */
static int due_day(int32_t confirmed, const char *kind, char out[11], int *known,
                   struct kw_err *err)
{
	const struct kw_calendar *cal = kw_calendar_default();
	*known = 0;
	out[0] = '\0';
	if (!cal)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "no holiday calendar");
	struct kw_err e = KW_ERR_INIT;
	int32_t last;
	int rc = kw_cal_add_workdays(cal, confirmed, share_days(kind), &last, &e);
	if (!rc) {
		kw_cal_date_format(last, out);
		*known = 1;
	} else if (e.code && strcmp(e.code, "CALENDAR_YEAR_UNKNOWN") == 0) {
		rc = 0;
	} else {
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "due day: %s", e.msg);
	}
	kw_err_release(&e);
	return rc;
}

/* 00:00 CST of the first day the holiday calendar covers, as stored (RFC 3339 UTC). */
static void calendar_start(char out[32])
{
	const struct kw_calendar *cal = kw_calendar_default();
	size_t n = 0;
	const int *years = cal ? kw_cal_years(cal, &n) : NULL;
	int32_t d = 0;
	if (!n || kw_cal_day_from_ymd(years[0], 1, 1, &d, NULL) != 0)
		d = 0;
	kw_clock_format(kw_cal_day_start_utc(d) * 1000000, out);
}

/* The CST day of an RFC 3339 instant as stored. */
static int instant_day(const char *at, int32_t *day, struct kw_err *err)
{
	int64_t us;
	if (!at || kw_clock_parse(at, &us) != 0 || kw_cal_cst_day(us / 1000000, day, NULL) != 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "a stored time is malformed");
	return 0;
}

/* ---- writing ledger rows ---- */

/* Rows written by one call, for one audit record (a batch when more than one). */
struct written {
	struct kw_batch_row *v;
	size_t n, cap;
};

static void written_release(struct written *w)
{
	free(w->v);
	*w = (struct written){0};
}

static int written_audit(struct kw_tx *tx, struct written *w, const char *action, json_t *det,
                         struct kw_err *err)
{
	int rc = 0;
	if (w->n == 1)
		rc = kw_audit_append(tx, action, "archive_shares", w->v[0].id, det, err);
	else if (w->n > 1)
		rc = kw_audit_append_batch(tx, action, "archive_shares", w->v, w->n, det, err);
	return rc;
}

/* Steps a prepared audited statement of one archive_shares row and keeps its digest. */
static int step_keep(struct kw_stmt *s, struct written *w, struct kw_err *err)
{
	int rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 16;
			w->v = kw_xrealloc(w->v, w->cap * sizeof *w->v);
		}
		if (kw_audit_digest_row("archive_shares", s, &w->v[w->n].id, w->v[w->n].digest))
			return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "no row digest");
		w->n++;
		rc = 0;
	} else if (rc == KW_DONE) {
		rc = 0;
	}
	return rc;
}

struct pending_row {
	int64_t entry;
	int32_t confirmed_day;
	char confirmed_at[32];
	char kind[16];
};

/* Inserts a change for each row (UNIQUE (entry_id, change) makes a repeat a no-op). */
static int insert_changes(struct kw_tx *tx, const char *change, const struct pending_row *r,
                          size_t n, struct written *w, struct kw_err *err)
{
	if (!n)
		return 0;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	/* ON CONFLICT rather than NOT EXISTS: the unique index answers, whatever plan PostgreSQL
	 * made for the statement (one made while the table was empty scans it, row by row). */
	int rc =
	        kw_audit_prepare(tx->conn, "archive_shares", &s, err,
	                         "INSERT INTO archive_shares (entry_id, change, confirmed_at, "
	                         "due_on, shared_at, export_id, withheld, created_at) VALUES ($1, "
	                         "$2, $3, $4, NULL, NULL, 0, $5) ON CONFLICT (entry_id, change) DO "
	                         "NOTHING");
	for (size_t i = 0; !rc && i < n; i++) {
		char due[11];
		int known;
		rc = due_day(r[i].confirmed_day, r[i].kind, due, &known, err);
		if (rc)
			break;
		if (i)
			kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, r[i].entry);
		kw_stmt_bind_textz(s, 2, change);
		kw_stmt_bind_textz(s, 3, r[i].confirmed_at);
		kw_stmt_bind_textz(s, 4, known ? due : NULL);
		kw_stmt_bind_textz(s, 5, now);
		rc = step_keep(s, w, err);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Reads the rows of a SELECT (entry id, a time or a day, kind) into a pending_row array.
 * day_col: the second column is a term_end day (the change confirmed the day after, at 00:00
 * CST) rather than an instant. */
static int read_pending(struct kw_stmt *s, int day_col, struct pending_row **out, size_t *n,
                        struct kw_err *err)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*out = kw_xrealloc(*out, cap * sizeof **out);
		}
		struct pending_row *r = &(*out)[*n];
		memset(r, 0, sizeof *r);
		r->entry = kw_stmt_column_int64(s, 0);
		const char *t = col_text(s, 1);
		snprintf(r->kind, sizeof r->kind, "%s", kw_stmt_column_text(s, 2, NULL));
		if (day_col) {
			int32_t end;
			if (!t || kw_cal_date_parse(t, strlen(t), &end, NULL) != 0)
				return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
				                  "a stored term end is malformed");
			r->confirmed_day = end + 1;
			kw_clock_format(kw_cal_day_start_utc(end + 1) * 1000000, r->confirmed_at);
		} else {
			rc = instant_day(t, &r->confirmed_day, err);
			if (rc)
				return rc;
			snprintf(r->confirmed_at, sizeof r->confirmed_at, "%s", t);
		}
		(*n)++;
	}
	return rc == KW_DONE ? 0 : rc;
}

/* Every entry with lo < id (<= hi when hi > 0) that has no "added" row gets one (those
 * that have one are skipped by the insert's ON CONFLICT: the read is a plain range). */
static int catch_up_added(struct kw_tx *tx, int64_t lo, int64_t hi, struct written *w,
                          struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT a.id, a.created_at, a.kind FROM archive_entries a WHERE "
	                         "a.id > $1 AND a.id <= $2 ORDER BY a.id",
	                         &s, err);
	struct pending_row *rows = NULL;
	size_t n = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, lo);
		kw_stmt_bind_int64(s, 2, hi > 0 ? hi : INT64_MAX);
		rc = read_pending(s, 0, &rows, &n, err);
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = insert_changes(tx, "added", rows, n, w, err);
	free(rows);
	return rc;
}

/* A correction of an entry whose "corrected" row was shared already: that row is pending
 * again, confirmed now (UNIQUE (entry_id, change) keeps one row per change). */
static int reopen_corrected(struct kw_tx *tx, const struct pending_row *r, struct written *w,
                            struct kw_err *err)
{
	char due[11];
	int known;
	int rc = due_day(r->confirmed_day, r->kind, due, &known, err);
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "archive_shares", &s, err,
		                      "UPDATE archive_shares SET confirmed_at = $1, due_on = $2, "
		                      "shared_at = NULL, export_id = NULL, withheld = 0 WHERE "
		                      "entry_id = $3 AND change = 'corrected' AND shared_at IS NOT "
		                      "NULL");
	if (!rc) {
		kw_stmt_bind_textz(s, 1, r->confirmed_at);
		kw_stmt_bind_textz(s, 2, known ? due : NULL);
		kw_stmt_bind_int64(s, 3, r->entry);
		rc = step_keep(s, w, err);
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_archive_changed(struct kw_tx *tx, int64_t entry_id, const char *change, struct kw_err *err)
{
	int added = change && strcmp(change, "added") == 0;
	int corrected = change && strcmp(change, "corrected") == 0;
	if (!added && !corrected &&
	    (!change || (strcmp(change, "term_ended") && strcmp(change, "revoked"))))
		return kw_err_set(err, KW_EINVAL, "ARCHIVE_CHANGE_UNKNOWN", NULL,
		                  "an archive change is added, term_ended, revoked or corrected");
	struct kw_stmt *s = NULL;
	struct pending_row r = {.entry = entry_id}, first = {.entry = entry_id};
	int found = 0, ended = 0, first_shared = 0;
	char today[11];
	cst_today(tx->now_us, today);
	int rc = kw_conn_prepare(
	        tx->conn,
	        "SELECT a.kind, a.created_at, a.revoked_at, CASE WHEN a.lifetime = 0 AND "
	        "a.term_end < $2 AND a.revoked_at IS NULL THEN 1 ELSE 0 END, (SELECT COUNT(*) "
	        "FROM archive_shares x WHERE x.entry_id = a.id AND x.change = 'added' AND "
	        "x.shared_at IS NOT NULL AND x.withheld = 0) FROM archive_entries a WHERE a.id = "
	        "$1",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, entry_id);
		kw_stmt_bind_textz(s, 2, today);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			found = 1;
			snprintf(r.kind, sizeof r.kind, "%s", kw_stmt_column_text(s, 0, NULL));
			memcpy(first.kind, r.kind, sizeof r.kind);
			snprintf(first.confirmed_at, sizeof first.confirmed_at, "%s",
			         kw_stmt_column_text(s, 1, NULL));
			if (strcmp(change, "revoked") == 0 && col_text(s, 2))
				snprintf(r.confirmed_at, sizeof r.confirmed_at, "%s",
				         col_text(s, 2));
			ended = kw_stmt_column_int64(s, 3) != 0;
			first_shared = kw_stmt_column_int64(s, 4) != 0;
		}
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	if (!rc && !found)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such archive entry");
	if (rc)
		return rc;
	/* The entry's "added" row first, when it has none yet: an entry's first sharing and
	 * its later changes are told apart at export. Other entries without theirs are the
	 * sweep's (this stays a few indexed statements whatever the archive holds). */
	struct written w = {0};
	rc = instant_day(first.confirmed_at, &first.confirmed_day, err);
	if (!rc)
		rc = insert_changes(tx, "added", &first, 1, &w, err);
	if (!rc && !added) {
		if (!r.confirmed_at[0])
			kw_clock_format(tx->now_us, r.confirmed_at);
		rc = instant_day(r.confirmed_at, &r.confirmed_day, err);
	}
	if (!rc && corrected) {
		/* A correction by hand (approved, INF-4): while the entry's first sharing is
		 * pending, that sharing carries the corrected entry and nothing more is due;
		 * after it, the correction is shared in its turn (a correction already shared
		 * is pending again). A corrected term that has already ended takes the entry out
		 * now: its "term_ended", confirmed now (the sweep looks only at later days). */
		if (first_shared) {
			size_t before = w.n;
			rc = insert_changes(tx, "corrected", &r, 1, &w, err);
			if (!rc && w.n == before)
				rc = reopen_corrected(tx, &r, &w, err);
		}
		if (!rc && ended)
			rc = insert_changes(tx, "term_ended", &r, 1, &w, err);
	} else if (!rc && !added) {
		rc = insert_changes(tx, change, &r, 1, &w, err);
	}
	if (!rc && w.n) {
		json_t *det =
		        json_pack("{s:I, s:s}", "entry_id", (json_int_t)entry_id, "change", change);
		rc = written_audit(tx, &w, "archive_share.due", det, err);
		json_decref(det);
	}
	written_release(&w);
	return rc;
}

/* ---- the sweep ---- */

struct sweep_mark {
	char day[11];  /* through_day of the last sweep ("" before the first) */
	int64_t entry; /* through_entry */
};

static int last_sweep(struct kw_conn *c, struct sweep_mark *m, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	memset(m, 0, sizeof *m);
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT through_day, through_entry FROM archive_sweeps ORDER BY id "
	                        "DESC LIMIT 1",
	                        &s, err);
	if (!rc) {
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			snprintf(m->day, sizeof m->day, "%s", kw_stmt_column_text(s, 0, NULL));
			m->entry = kw_stmt_column_int64(s, 1);
		}
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The term ended before `day` while the entry was in the archive: not revoked before the
 * end (revoked at or after 00:00 CST of the day after term_end = term_end T16:00Z). One
 * already recorded (by a case) is skipped by the insert's ON CONFLICT. */
#define ENDED_IN_ARCHIVE                                                                           \
	"a.lifetime = 0 AND a.term_end < $1 AND (a.revoked_at IS NULL OR a.revoked_at >= "         \
	"(a.term_end || 'T16:00:00'))"

static int sweep_ended(struct kw_tx *tx, const char *day, const struct sweep_mark *m,
                       struct written *w, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	/* Term ends since the last sweep's day, and later entries whatever their term end. */
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT a.id, a.term_end, a.kind FROM archive_entries a WHERE "
	                         "a.term_end >= $2 AND " ENDED_IN_ARCHIVE
	                         " UNION SELECT a.id, a.term_end, a.kind FROM archive_entries a "
	                         "WHERE a.id > $3 AND " ENDED_IN_ARCHIVE " ORDER BY 1",
	                         &s, err);
	struct pending_row *rows = NULL;
	size_t n = 0;
	if (!rc) {
		kw_stmt_bind_textz(s, 1, day);
		kw_stmt_bind_textz(s, 2, m->day);
		kw_stmt_bind_int64(s, 3, m->entry);
		rc = read_pending(s, 1, &rows, &n, err);
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = insert_changes(tx, "term_ended", rows, n, w, err);
	free(rows);
	return rc;
}

/* Due days that the calendar did not cover when the change was recorded, and now does:
 * *n_due the rows (of pending changes) without one, *fillable those it now covers. */
struct undue {
	int64_t id;
	char due[11];
};

static int find_undue(struct kw_conn *c, struct undue **out, size_t *n, size_t *fillable,
                      struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	size_t cap = 0;
	*out = NULL;
	*n = *fillable = 0;
	/* Only changes confirmed since the calendar's first year: one before it will never have
	 * a due day (the calendar covers the years of its notices, never earlier ones). */
	char since[32];
	calendar_start(since);
	int rc = kw_conn_prepare(c,
	                         "SELECT x.id, x.confirmed_at, a.kind FROM archive_shares x JOIN "
	                         "archive_entries a ON a.id = x.entry_id WHERE x.shared_at IS NULL "
	                         "AND x.due_on IS NULL AND x.confirmed_at >= $1 ORDER BY x.id",
	                         &s, err);
	if (!rc)
		kw_stmt_bind_textz(s, 1, since);
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		int32_t d;
		int known;
		rc = instant_day(col_text(s, 1), &d, err);
		char due[11];
		if (!rc)
			rc = due_day(d, kw_stmt_column_text(s, 2, NULL), due, &known, err);
		if (!rc && known) {
			if (*fillable == cap) {
				cap = cap ? 2 * cap : 16;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			(*out)[*fillable].id = kw_stmt_column_int64(s, 0);
			memcpy((*out)[*fillable].due, due, sizeof due);
			(*fillable)++;
		}
		(*n)++;
	}
	rc = rc == KW_DONE ? 0 : rc;
	kw_stmt_finalize(s);
	return rc;
}

static int fill_due(struct kw_tx *tx, struct written *w, struct kw_err *err)
{
	struct undue *u = NULL;
	size_t n, fillable;
	int rc = find_undue(tx->conn, &u, &n, &fillable, err);
	struct kw_stmt *s = NULL;
	if (!rc && fillable)
		rc = kw_audit_prepare(tx->conn, "archive_shares", &s, err,
		                      "UPDATE archive_shares SET due_on = $1 WHERE id = $2 AND "
		                      "due_on IS NULL");
	for (size_t i = 0; !rc && i < fillable; i++) {
		if (i)
			kw_stmt_reset(s);
		kw_stmt_bind_textz(s, 1, u[i].due);
		kw_stmt_bind_int64(s, 2, u[i].id);
		rc = step_keep(s, w, err);
	}
	kw_stmt_finalize(s);
	free(u);
	return rc;
}

int kw_archive_sweep_expired(struct kw_tx *tx, const char *day, int64_t *added, int64_t *ended,
                             struct kw_err *err)
{
	int32_t dn;
	if (!day || kw_cal_date_parse(day, strlen(day), &dn, NULL) != 0)
		return kw_err_set(err, KW_EINVAL, "DATE_INVALID", NULL, "the day is YYYY-MM-DD");
	struct sweep_mark m;
	struct written wa = {0}, we = {0}, wd = {0};
	int64_t last_entry = 0;
	/* Entries after the last sweep's: their "added" rows (a case may have written some). */
	int rc = last_sweep(tx->conn, &m, err);
	if (!rc)
		rc = catch_up_added(tx, m.entry, 0, &wa, err);
	if (!rc)
		rc = sweep_ended(tx, day, &m, &we, err);
	if (!rc)
		rc = fill_due(tx, &wd, err);
	if (!rc)
		rc = one_int(tx->conn, "SELECT MAX(id) FROM archive_entries", &last_entry, err);
	json_t *det = json_pack("{s:s}", "day", day);
	if (!rc)
		rc = written_audit(tx, &wa, "archive_share.due", det, err);
	if (!rc)
		rc = written_audit(tx, &we, "archive_share.due", det, err);
	if (!rc)
		rc = written_audit(tx, &wd, "archive_share.due_known", det, err);
	json_decref(det);
	/* The sweep itself, when it moved on: the marks the next one starts from. */
	int moved = strcmp(day, m.day) > 0 || last_entry > m.entry || wa.n || we.n;
	if (!rc && moved) {
		struct kw_stmt *s = NULL;
		char now[32];
		kw_clock_format(tx->now_us, now);
		rc = kw_audit_prepare(
		        tx->conn, "archive_sweeps", &s, err,
		        "INSERT INTO archive_sweeps (through_day, through_entry, added, "
		        "ended, created_at) VALUES ($1, $2, $3, $4, $5)");
		if (!rc) {
			kw_stmt_bind_textz(s, 1, strcmp(day, m.day) > 0 ? day : m.day);
			kw_stmt_bind_int64(s, 2, last_entry > m.entry ? last_entry : m.entry);
			kw_stmt_bind_int64(s, 3, (int64_t)wa.n);
			kw_stmt_bind_int64(s, 4, (int64_t)we.n);
			kw_stmt_bind_textz(s, 5, now);
			rc = kw_audit_step(tx, "archive.sweep", "archive_sweeps", s, NULL, err);
			if (rc == 1)
				rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
				                "no sweep row");
		}
		kw_stmt_finalize(s);
	}
	if (!rc && added)
		*added = (int64_t)wa.n;
	if (!rc && ended)
		*ended = (int64_t)we.n;
	written_release(&wa);
	written_release(&we);
	written_release(&wd);
	return rc;
}

/* Would a sweep up to `day` record anything? Read-only: a few indexed look-ups (and the
 * pending changes still without a due day, normally none). */
static int sweep_needed(struct kw_conn *c, const char *day, int *yes, struct kw_err *err)
{
	struct sweep_mark m;
	int64_t last_entry = 0;
	*yes = 0;
	int rc = last_sweep(c, &m, err);
	if (!rc)
		rc = one_int(c, "SELECT MAX(id) FROM archive_entries", &last_entry, err);
	if (rc)
		return rc;
	if (strcmp(day, m.day) > 0 || last_entry > m.entry) {
		*yes = 1;
		return 0;
	}
	struct undue *u = NULL;
	size_t n, fillable;
	rc = find_undue(c, &u, &n, &fillable, err);
	free(u);
	*yes = !rc && fillable > 0;
	return rc;
}

/* ---- the list ---- */

struct sweep_job {
	char day[11];
};

static int sweep_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct sweep_job *j = arg;
	int rc = kw_archive_sweep_expired(tx, j->day, NULL, NULL, err);
	/* Two requests that found the sweep due at once: the second finds it done. Its run is
	 * on record too (every job leaves a trace). */
	if (!rc && tx->appended == 0) {
		json_t *det = json_pack("{s:s}", "day", j->day);
		rc = kw_audit_append(tx, "archive.sweep", NULL, 0, det, err);
		json_decref(det);
	}
	return rc;
}

/* Brings the ledger up to today through the writer, when there is anything to record. */
static int sweep_now(struct kw_app *app, const struct kw_actor *actor, const char *day,
                     struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int yes = 0;
	int rc = sweep_needed(c, day, &yes, err);
	kw_pool_put(app->pool, c);
	if (rc || !yes)
		return rc;
	/* Bookkeeping of the archive's own, on the request that found it due. */
	struct kw_actor sys;
	kw_actor_set(&sys, "system", 0, "archive-sweep", actor ? actor->request_id : NULL);
	struct sweep_job j;
	snprintf(j.day, sizeof j.day, "%s", day);
	return kw_writer_run(app->writer, sweep_job, &j, &sys, err);
}

static int kind_ok(const char *k)
{
	return strcmp(k, "civil_service") == 0 || strcmp(k, "qualification") == 0;
}

/* The ledger's columns and its entry's, as the list and the export read them. */
#define SHARE_COLS                                                                                 \
	"x.id, x.entry_id, x.change, x.confirmed_at, x.due_on, x.shared_at, x.export_id, "         \
	"x.withheld, a.kind, a.effect, a.id_type, a.id_number, a.person_name, a.term_start, "      \
	"a.term_end, a.lifetime, a.revoked_at, a.case_id, a.unit_id, a.source_decision, u.code, "  \
	"u.name"
#define SHARE_FROM                                                                                 \
	" FROM archive_shares x JOIN archive_entries a ON a.id = x.entry_id JOIN units u ON u.id " \
	"= a.unit_id"

static json_t *jtext(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
}

static json_t *share_json(struct kw_stmt *s, const char *today)
{
	char masked[64];
	kw_mask_id_number(kw_stmt_column_text(s, 11, NULL), masked, sizeof masked);
	int pending = kw_stmt_column_is_null(s, 5);
	const char *due = col_text(s, 4);
	json_t *o = json_pack(
	        "{s:I, s:I, s:s, s:s, s:o, s:b, s:o, s:o, s:b}", "id",
	        (json_int_t)kw_stmt_column_int64(s, 0), "entry_id",
	        (json_int_t)kw_stmt_column_int64(s, 1), "change", kw_stmt_column_text(s, 2, NULL),
	        "confirmed_at", kw_stmt_column_text(s, 3, NULL), "due_on", jtext(s, 4), "overdue",
	        pending && due && strcmp(due, today) < 0, "shared_at", jtext(s, 5), "export_no",
	        kw_stmt_column_is_null(s, 6) ? json_null()
	                                     : json_integer(kw_stmt_column_int64(s, 6)),
	        "withheld", kw_stmt_column_int64(s, 7) != 0);
	json_object_set_new(
	        o, "entry",
	        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:I, s:s, s:s}",
	                  "kind", kw_stmt_column_text(s, 8, NULL), "effect",
	                  kw_stmt_column_text(s, 9, NULL), "id_type",
	                  kw_stmt_column_text(s, 10, NULL), "id_number", masked, "person_name",
	                  kw_stmt_column_text(s, 12, NULL), "term_start",
	                  kw_stmt_column_text(s, 13, NULL), "term_end", jtext(s, 14), "lifetime",
	                  kw_stmt_column_int64(s, 15) != 0, "revoked_at", jtext(s, 16), "case_id",
	                  kw_stmt_column_is_null(s, 17) ? json_null()
	                                                : json_integer(kw_stmt_column_int64(s, 17)),
	                  "unit_id", (json_int_t)kw_stmt_column_int64(s, 18), "source_decision",
	                  kw_stmt_column_text(s, 19, NULL), "unit_code",
	                  kw_stmt_column_text(s, 20, NULL)));
	return o;
}

int kw_archive_shares_list(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, const struct kw_archive_share_query *q,
                           json_t **out, struct kw_err *err)
{
	const char *status = q->status ? q->status : "pending";
	if (strcmp(status, "pending") && strcmp(status, "overdue") && strcmp(status, "shared"))
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		                  "status is pending, overdue or shared");
	if (q->kind && !kind_ok(q->kind))
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		                  "kind is civil_service or qualification");
	if (q->limit < 1 || q->limit > 1000)
		return kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "limit is 1..1000");
	char today[11];
	cst_today(kw_clock_now_us(), today);
	int rc = sweep_now(app, actor, today, err);
	if (rc)
		return rc;

	struct kw_buf b = KW_BUF_INIT, cnt = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_init(&cnt, 0);
	int all, none;
	struct kw_conn *c = kw_pool_get(app->pool);
	rc = kw_rec_reach_sql(c, &b, s, "archive.read", &all, &none, err);
	json_t *items = json_array(), *counts = NULL;
	int64_t last = 0;
	int more = 0;
	if (!rc && none) {
		counts = json_pack("{s:i, s:i}", "pending", 0, "overdue", 0);
		goto out;
	}
	if (rc)
		goto out;
	kw_buf_adds(&cnt, b.buf); /* the same reach for the counts */
	/* $1 cursor, $2 kind ('' = both), $3 limit, $4 today (overdue only: PostgreSQL wants
	 * every parameter up to the last one used) */
	kw_buf_adds(&b, "SELECT " SHARE_COLS SHARE_FROM " WHERE x.id > $1 AND ($2 = '' OR a.kind = "
	                "$2) AND ");
	kw_buf_adds(&b, strcmp(status, "shared") == 0    ? "x.shared_at IS NOT NULL"
	                : strcmp(status, "overdue") == 0 ? "x.shared_at IS NULL AND x.due_on < $4"
	                                                 : "x.shared_at IS NULL");
	if (!all)
		kw_buf_adds(&b, " AND a.unit_id IN (SELECT id FROM reach)");
	kw_buf_adds(&b, " ORDER BY x.id LIMIT $3");
	struct kw_stmt *st = NULL;
	rc = kw_conn_prepare(c, b.buf, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, q->after);
		kw_stmt_bind_textz(st, 2, q->kind ? q->kind : "");
		kw_stmt_bind_int64(st, 3, q->limit + 1);
		if (strcmp(status, "overdue") == 0)
			kw_stmt_bind_textz(st, 4, today);
	}
	while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
		rc = 0;
		if ((int)json_array_size(items) == q->limit) {
			more = 1;
			break;
		}
		last = kw_stmt_column_int64(st, 0);
		json_array_append_new(items, share_json(st, today));
	}
	rc = rc == KW_DONE ? 0 : rc;
	kw_stmt_finalize(st);
	st = NULL;
	if (rc)
		goto out;
	/* The counts over everything s reaches (of the kind asked), whatever the status. */
	kw_buf_adds(&cnt, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN x.due_on < $1 THEN 1 ELSE 0 "
	                  "END), 0) FROM archive_shares x JOIN archive_entries a ON a.id = "
	                  "x.entry_id WHERE x.shared_at IS NULL AND ($2 = '' OR a.kind = $2)");
	if (!all)
		kw_buf_adds(&cnt, " AND a.unit_id IN (SELECT id FROM reach)");
	rc = kw_conn_prepare(c, cnt.buf, &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, today);
		kw_stmt_bind_textz(st, 2, q->kind ? q->kind : "");
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			counts = json_pack("{s:I, s:I}", "pending",
			                   (json_int_t)kw_stmt_column_int64(st, 0), "overdue",
			                   (json_int_t)kw_stmt_column_int64(st, 1));
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(st);
out:
	kw_pool_put(app->pool, c);
	kw_buf_release(&b);
	kw_buf_release(&cnt);
	if (rc) {
		json_decref(items);
		json_decref(counts);
		return rc;
	}
	*out = kw_json_page(items, more, last);
	json_object_set_new(*out, "counts",
	                    counts ? counts : json_pack("{s:i, s:i}", "pending", 0, "overdue", 0));
	json_object_set_new(*out, "today", json_string(today));
	return 0;
}

/* ---- the export ---- */

static void csv_cell(struct kw_buf *b, const char *v, int last)
{
	if (v && strpbrk(v, ",\"\r\n")) {
		kw_buf_add(b, "\"", 1);
		for (; *v; v++) {
			if (*v == '"')
				kw_buf_add(b, "\"", 1);
			kw_buf_add(b, v, 1);
		}
		kw_buf_add(b, "\"", 1);
	} else if (v) {
		kw_buf_adds(b, v);
	}
	kw_buf_adds(b, last ? "\r\n" : ",");
}

static const char *const csv_header[] = {
        "export_no", "change",          "confirmed_at", "due_on",      "entry_id",   "archive",
        "effect",    "id_type",         "id_number",    "person_name", "term_start", "term_end",
        "lifetime",  "source_decision", "revoked_at",   "case_id",     "unit_code",  "unit_name",
};
#define NCSV (sizeof csv_header / sizeof csv_header[0])

/* One change as exported: its ledger id, entry, change and the CSV line. */
struct out_row {
	int64_t id, entry;
	int added, leaves; /* an "added", or a change that takes the entry out */
	int withheld;
	char *line;
};

struct export_job {
	const struct kw_session_info *s;
	const char *kind;
	int64_t again; /* export_no to send again, or 0 */
	/* out */
	struct kw_buf csv;
	int64_t rows, export_no;
};

static void csv_line(struct kw_stmt *st, int64_t export_no, struct kw_buf *line)
{
	char no[24], entry[24], life[4], cas[24];
	snprintf(no, sizeof no, "%lld", (long long)export_no);
	snprintf(entry, sizeof entry, "%lld", (long long)kw_stmt_column_int64(st, 1));
	snprintf(life, sizeof life, "%d", kw_stmt_column_int64(st, 15) != 0);
	cas[0] = '\0';
	if (!kw_stmt_column_is_null(st, 17))
		snprintf(cas, sizeof cas, "%lld", (long long)kw_stmt_column_int64(st, 17));
	const char *v[NCSV] = {no,
	                       col_text(st, 2),
	                       col_text(st, 3),
	                       col_text(st, 4),
	                       entry,
	                       col_text(st, 8),
	                       col_text(st, 9),
	                       col_text(st, 10),
	                       col_text(st, 11),
	                       col_text(st, 12),
	                       col_text(st, 13),
	                       col_text(st, 14),
	                       life,
	                       col_text(st, 19),
	                       col_text(st, 16),
	                       cas,
	                       col_text(st, 20),
	                       col_text(st, 21)};
	for (size_t i = 0; i < NCSV; i++)
		csv_cell(line, v[i], i == NCSV - 1);
}

static void free_rows(struct out_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].line);
	free(r);
}

/* Reads the changes of the export's query into rows, each with its CSV line (export_no is
 * known before for a re-export; for a new one the lines get it when written out). */
static int read_rows(struct kw_stmt *st, int64_t export_no, struct out_row **out, size_t *n,
                     struct kw_err *err)
{
	size_t cap = 0;
	int rc;
	struct kw_buf line = KW_BUF_INIT;
	kw_buf_init(&line, 0);
	*out = NULL;
	*n = 0;
	while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*out = kw_xrealloc(*out, cap * sizeof **out);
		}
		struct out_row *r = &(*out)[(*n)++];
		const char *ch = kw_stmt_column_text(st, 2, NULL);
		r->id = kw_stmt_column_int64(st, 0);
		r->entry = kw_stmt_column_int64(st, 1);
		r->added = strcmp(ch, "added") == 0;
		r->leaves = strcmp(ch, "term_ended") == 0 || strcmp(ch, "revoked") == 0;
		r->withheld = 0;
		kw_buf_reset(&line);
		csv_line(st, export_no, &line);
		r->line = kw_buf_detach(&line, NULL);
	}
	kw_buf_release(&line);
	return rc == KW_DONE ? 0 : rc;
}

static int by_entry(const void *a, const void *b)
{
	const struct out_row *x = a, *y = b;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_id(const void *a, const void *b)
{
	const struct out_row *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* An entry whose first sharing is still pending and which has left the archive since was
 * never published: its pending changes are closed without being sent. */
static size_t mark_withheld(struct out_row *r, size_t n)
{
	size_t w = 0;
	if (n < 2)
		return 0; /* one change alone is never both an "added" and a leaving */
	qsort(r, n, sizeof *r, by_entry);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		int added = 0, leaves = 0;
		for (; j < n && r[j].entry == r[i].entry; j++) {
			added |= r[j].added;
			leaves |= r[j].leaves;
		}
		for (size_t k = i; added && leaves && k < j; k++, w++)
			r[k].withheld = 1;
		i = j;
	}
	qsort(r, n, sizeof *r, by_id);
	return w;
}

/* The export number inside a line written before it was known: its first cell. */
static void put_line(struct kw_buf *csv, const char *line, int64_t export_no)
{
	const char *comma = strchr(line, ',');
	kw_buf_addf(csv, "%lld", (long long)export_no);
	kw_buf_adds(csv, comma ? comma : "\r\n");
}

static int export_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct export_job *j = arg;
	/* A job may run twice: only the run that commits counts. */
	kw_buf_reset(&j->csv);
	j->rows = j->export_no = 0;
	for (size_t i = 0; i < NCSV; i++)
		csv_cell(&j->csv, csv_header[i], i == NCSV - 1);
	char now[32], today[11];
	kw_clock_format(tx->now_us, now);
	cst_today(tx->now_us, today);
	int rc = 0;
	if (!j->again)
		rc = kw_archive_sweep_expired(tx, today, NULL, NULL, err);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	int all = 0, none = 0;
	if (!rc)
		rc = kw_rec_reach_sql(tx->conn, &b, j->s, "archive.share", &all, &none, err);
	if (!rc && none)
		rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "no unit to share for");
	if (rc) {
		kw_buf_release(&b);
		return rc;
	}
	if (j->again) {
		struct kw_stmt *q = NULL;
		int found = 0;
		rc = kw_conn_prepare(tx->conn,
		                     "SELECT 1 FROM archive_exports WHERE id = $1 AND kind = $2",
		                     &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, j->again);
			kw_stmt_bind_textz(q, 2, j->kind);
			rc = kw_stmt_step(q, err);
			found = rc == KW_ROW;
			rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
		}
		kw_stmt_finalize(q);
		if (!rc && !found)
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such export");
	}
	/* $1 kind, $2 export (again) */
	kw_buf_adds(&b, "SELECT " SHARE_COLS SHARE_FROM " WHERE a.kind = $1 AND ");
	kw_buf_adds(&b, j->again ? "x.export_id = $2 AND x.withheld = 0" : "x.shared_at IS NULL");
	if (!all)
		kw_buf_adds(&b, " AND a.unit_id IN (SELECT id FROM reach)");
	kw_buf_adds(&b, " ORDER BY x.id");
	struct kw_stmt *st = NULL;
	struct out_row *rows = NULL;
	size_t n = 0, withheld = 0;
	if (!rc)
		rc = kw_conn_prepare(tx->conn, b.buf, &st, err);
	kw_buf_release(&b);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, j->kind);
		if (j->again)
			kw_stmt_bind_int64(st, 2, j->again);
		rc = read_rows(st, j->again, &rows, &n, err);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc && j->again && n == 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such export");
	if (!rc && j->again) {
		j->export_no = j->again;
		for (size_t i = 0; i < n; i++)
			kw_buf_adds(&j->csv, rows[i].line);
		j->rows = (int64_t)n;
		json_t *det = json_pack("{s:s, s:I, s:s}", "kind", j->kind, "rows", (json_int_t)n,
		                        "format", "csv");
		rc = kw_audit_append(tx, "archive_share.reexport", "archive_exports", j->again, det,
		                     err);
		json_decref(det);
		free_rows(rows, n);
		return rc;
	}
	if (!rc)
		withheld = mark_withheld(rows, n);
	/* The export, then each change marked as carried (or withheld) by it. */
	if (!rc)
		rc = kw_audit_prepare(
		        tx->conn, "archive_exports", &st, err,
		        "INSERT INTO archive_exports (kind, rows_sent, rows_withheld, "
		        "user_id, created_at) VALUES ($1, $2, $3, $4, $5)");
	if (!rc) {
		kw_stmt_bind_textz(st, 1, j->kind);
		kw_stmt_bind_int64(st, 2, (int64_t)(n - withheld));
		kw_stmt_bind_int64(st, 3, (int64_t)withheld);
		if (j->s->user.id)
			kw_stmt_bind_int64(st, 4, j->s->user.id);
		else
			kw_stmt_bind_null(st, 4);
		kw_stmt_bind_textz(st, 5, now);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			j->export_no = kw_stmt_column_int64(st, 0);
			json_t *det = json_pack("{s:s, s:I, s:I, s:s}", "kind", j->kind, "rows",
			                        (json_int_t)(n - withheld), "withheld",
			                        (json_int_t)withheld, "format", "csv");
			rc = kw_audit_append_row(tx, "archive_share.export", "archive_exports", st,
			                         det, err);
			json_decref(det);
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "no export row");
		}
	}
	kw_stmt_finalize(st);
	st = NULL;
	struct written w = {0};
	if (!rc && n)
		rc = kw_audit_prepare(tx->conn, "archive_shares", &st, err,
		                      "UPDATE archive_shares SET shared_at = $1, export_id = $2, "
		                      "withheld = $3 WHERE id = $4 AND shared_at IS NULL");
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			kw_stmt_reset(st);
		kw_stmt_bind_textz(st, 1, now);
		kw_stmt_bind_int64(st, 2, j->export_no);
		kw_stmt_bind_int64(st, 3, rows[i].withheld);
		kw_stmt_bind_int64(st, 4, rows[i].id);
		rc = step_keep(st, &w, err);
		if (!rc && !rows[i].withheld) {
			put_line(&j->csv, rows[i].line, j->export_no);
			j->rows++;
		}
	}
	kw_stmt_finalize(st);
	if (!rc && w.n) {
		json_t *det = json_pack("{s:I}", "export_no", (json_int_t)j->export_no);
		rc = written_audit(tx, &w, "archive_share.shared", det, err);
		json_decref(det);
	}
	written_release(&w);
	free_rows(rows, n);
	return rc;
}

int kw_archive_export(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, const json_t *body, char **csv, size_t *len,
                      int64_t *rows, int64_t *export_no, struct kw_err *err)
{
	json_t *fields = json_array();
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const json_t *again = json_object_get(body, "export_no");
	const char *key;
	const json_t *v;
	if (!json_object_get(body, "kind"))
		json_array_append_new(
		        fields, json_pack("{s:s, s:s}", "field", "kind", "problem", "required"));
	else if (!kind || !kind_ok(kind))
		json_array_append_new(
		        fields, json_pack("{s:s, s:s}", "field", "kind", "problem", "not_allowed"));
	if (again && (!json_is_integer(again) || json_integer_value(again) < 1))
		json_array_append_new(fields, json_pack("{s:s, s:s}", "field", "export_no",
		                                        "problem", "invalid"));
	json_object_foreach((json_t *)body, key, v)
	{
		(void)v;
		if (strcmp(key, "kind") && strcmp(key, "export_no"))
			json_array_append_new(fields, json_pack("{s:s, s:s}", "field", key,
			                                        "problem", "unknown"));
	}
	if (json_array_size(fields)) {
		int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
		                    "the data is not valid");
		kw_err_detail(err, "fields", fields);
		return rc;
	}
	json_decref(fields);
	struct export_job j = {
	        .s = s, .kind = kind, .again = again ? (int64_t)json_integer_value(again) : 0};
	kw_buf_init(&j.csv, 0);
	int rc = kw_writer_run(app->writer, export_job, &j, actor, err);
	if (rc) {
		kw_buf_release(&j.csv);
		return rc;
	}
	*rows = j.rows;
	*export_no = j.export_no;
	*csv = kw_buf_detach(&j.csv, len);
	return 0;
}

/* ---- the public query of the qualification-exam archive (Order No. 31 art. 12) ---- */

static struct kw_ratelimit *pub_by_address, *pub_by_number;
static pthread_once_t pub_once = PTHREAD_ONCE_INIT;

static void pub_limits(void)
{
	const char *env = getenv("KAOWU_INTEGRITY_ADDRESS_RATE");
	double per_min = env && *env ? strtod(env, NULL) : 20;
	pub_by_address = kw_ratelimit_new(1 << 14, per_min / 60.0, per_min > 1 ? per_min : 1);
	pub_by_number = kw_ratelimit_new(1 << 14, 10 / 60.0, 10);
}

static void trim_copy(const char *in, char *out, size_t n, int upper)
{
	while (*in == ' ' || *in == '\t')
		in++;
	size_t len = strlen(in);
	while (len && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len >= n)
		len = n - 1;
	for (size_t i = 0; i < len; i++)
		out[i] = upper && in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 32) : in[i];
	out[len] = '\0';
}

int kw_archive_public_lookup(struct kw_app *app, const json_t *body, const char *address,
                             json_t **out, int *retry_s, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("id_number", 40, KW_JREQUIRED),
	        KW_JSTR("name", 100, KW_JREQUIRED),
	};
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	int rc = kw_json_check(body, fields, sizeof fields / sizeof *fields, err);
	if (rc)
		return rc;
	char number[41], name[101];
	trim_copy(json_string_value(json_object_get(body, "id_number")), number, sizeof number, 1);
	trim_copy(json_string_value(json_object_get(body, "name")), name, sizeof name, 0);
	pthread_once(&pub_once, pub_limits);
	int64_t now = kw_clock_now_us();
	const char *addr = address ? address : "";
	if (kw_ratelimit_take(pub_by_address, addr, strlen(addr), now, retry_s) ||
	    kw_ratelimit_take(pub_by_number, number, strlen(number), now, retry_s))
		return kw_err_set(err, KW_ETHROTTLED, "RATE_LIMITED", "INF-5",
		                  "too many look-ups; try again in %d s", *retry_s);
	char today[11];
	kw_clock_china_date(now, today);
	/* The qualification archive only: Order No. 31 art. 12 makes it queryable by employers
	 * and the public; the civil-service archive is shared as credit information under the
	 * rules (VH 15), not published — its entries are never answered here (docs/cases.md). */
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *s = NULL;
	/* clang-format off */
	rc = kw_conn_prepare(
	        c,
	        "SELECT a.person_name, a.effect, a.term_start, a.term_end, a.lifetime, "
	        "a.source_decision, u.name, k.id, e.name, k.catalogue, k.entry_id, d.name, "
	        "k.decision_number, k.decision_date FROM archive_entries a JOIN units u ON u.id = "
	        "a.unit_id LEFT JOIN cases k ON k.id = a.case_id LEFT JOIN exams e ON e.id = "
	        "k.exam_id LEFT JOIN units d ON d.id = k.decider_unit_id WHERE a.id_number = $1 "
	        "AND a.kind = 'qualification' AND " KW_ARCHIVE_IN_TERM("a", "$2")
	        " ORDER BY a.term_start, a.id",
	        &s, err);
	/* clang-format on */
	json_t *items = json_array();
	if (!rc) {
		kw_stmt_bind_textz(s, 1, number);
		kw_stmt_bind_textz(s, 2, today);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			/* the name must match the entry: a wrong name reads as no entry at all */
			if (strcmp(kw_stmt_column_text(s, 0, NULL), name) != 0)
				continue;
			int has_case = !kw_stmt_column_is_null(s, 7);
			json_t *act =
			        has_case ? kw_case_entry_public(col_text(s, 9), col_text(s, 10))
			                 : NULL;
			int lifetime = kw_stmt_column_int64(s, 4) != 0;
			json_t *o = json_pack(
			        "{s:s, s:s, s:s, s:s?, s:b, s:s?, s:s, s:s?, s:s?}", "archive",
			        "qualification", "effect", kw_stmt_column_text(s, 1, NULL),
			        "term_start", kw_stmt_column_text(s, 2, NULL), "term_end",
			        lifetime ? NULL : col_text(s, 3), "long_term", lifetime,
			        "exam_name", col_text(s, 8), "deciding_unit",
			        has_case && col_text(s, 11) ? col_text(s, 11)
			                                    : kw_stmt_column_text(s, 6, NULL),
			        "decision_number",
			        has_case && col_text(s, 12) ? col_text(s, 12) : col_text(s, 5),
			        "decision_date", col_text(s, 13));
			json_object_set_new(o, "act", act ? act : json_null());
			json_array_append_new(items, o);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	kw_pool_put(app->pool, c);
	if (!rc && json_array_size(items) == 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "INTEGRITY_NO_MATCH", "INF-5",
		                "no entry in term in the qualification-exam integrity archive for "
		                "this identity number and name");
	if (rc) {
		json_decref(items);
		return rc;
	}
	char masked[48];
	kw_mask_id_number(number, masked, sizeof masked);
	*out = json_pack("{s:s, s:s, s:s, s:o}", "id_number", masked, "name", name, "as_of", today,
	                 "items", items);
	return 0;
}
