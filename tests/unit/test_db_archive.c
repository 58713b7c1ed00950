/*
 * The integrity archive (app/archive.h), on SQLite and PostgreSQL: "in the archive on day D"
 * — the term's first and last day, lifetime, and a revoked entry out at once (INF-5(5)),
 * REG-5's ban and REG-2's qualification record told apart; the sharing ledger — a change
 * recorded once with its due day on the holiday calendar, a revocation confirmed when it was
 * made, a correction by hand shared in its turn (INF-5(5)), the sweep of ended terms
 * idempotent and blind to entries revoked before their end;
 * the look-up's query plan uses the archive's person index. Rows are written directly (no
 * API revokes an entry but a violation case's, app/cases.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/testdb.h"
#include "app/archive.h"
#include "app/audit.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/clock.h"

struct fx {
	char url[512];
	char key[600];
	struct kw_conn *c;
	struct kw_writer *w;
	struct kw_actor actor;
	int64_t unit;
};

static void exec(struct kw_conn *c, const char *sql)
{
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_conn_exec(c, sql, &err);
	if (rc)
		fail_msg("%s: %s", sql, err.msg);
	kw_err_release(&err);
}

static int64_t num(struct kw_conn *c, const char *sql)
{
	struct kw_stmt *s = NULL;
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_prepare(c, sql, &s, &err))
		fail_msg("%s: %s", sql, err.msg);
	int rc = kw_stmt_step(s, &err);
	if (rc != KW_ROW)
		fail_msg("%s: no row (%d) %s", sql, rc, err.msg);
	int64_t n = kw_stmt_column_int64(s, 0);
	kw_stmt_finalize(s);
	return n;
}

static char *text(struct kw_conn *c, const char *sql)
{
	struct kw_stmt *s = NULL;
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_prepare(c, sql, &s, &err))
		fail_msg("%s: %s", sql, err.msg);
	int rc = kw_stmt_step(s, &err);
	char *v = rc == KW_ROW && !kw_stmt_column_is_null(s, 0)
	                  ? strdup(kw_stmt_column_text(s, 0, NULL))
	                  : strdup("(null)");
	kw_stmt_finalize(s);
	return v;
}

static void expect_text(struct kw_conn *c, const char *sql, const char *want)
{
	char *got = text(c, sql);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", sql, got, want);
	free(got);
}

/* An entry written behind the program's back; its id. */
static int64_t entry(struct fx *f, const char *id_number, const char *kind, const char *effect,
                     const char *start, const char *end, int lifetime, const char *revoked_at,
                     const char *created_at)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "INSERT INTO archive_entries (unit_id, id_type, id_number, person_name, kind, "
	         "effect, term_start, term_end, lifetime, source_decision, created_at, updated_at, "
	         "revoked_at) VALUES (%lld, 'resident_id', '%s', '某', '%s', '%s', '%s', %s%s%s, "
	         "%d, "
	         "'皖公考〔2026〕1号', '%s', '%s', %s%s%s)",
	         (long long)f->unit, id_number, kind, effect, start, end ? "'" : "",
	         end ? end : "NULL", end ? "'" : "", lifetime, created_at, created_at,
	         revoked_at ? "'" : "", revoked_at ? revoked_at : "NULL", revoked_at ? "'" : "");
	exec(f->c, sql);
	return num(f->c, "SELECT MAX(id) FROM archive_entries");
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	kw_test_db_create(f->url, sizeof f->url);
	snprintf(f->key, sizeof f->key, "/tmp/kwt-arch-%d-%p", (int)getpid(), (void *)f);
	unlink(f->key);
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_open(f->url, KW_OPEN_CREATE, &f->c, &err) || kw_store_migrate(f->c, &err) ||
	    kw_audit_key_create(f->key, &err)) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	struct kw_writer_config cfg = {.key_file = f->key};
	if (kw_writer_open(f->url, &cfg, &f->w, &err)) {
		fprintf(stderr, "writer: %s\n", err.msg);
		return -1;
	}
	kw_actor_set(&f->actor, "system", 0, "test", "req-archive");
	exec(f->c, "INSERT INTO units (code, name, kind, level, created_at) VALUES ('AR-GWY', "
	           "'公务员局', 'civil_service_authority', 'provincial', "
	           "'2026-01-01T00:00:00.000000Z')");
	f->unit = num(f->c, "SELECT id FROM units WHERE code = 'AR-GWY'");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kw_writer_close(f->w);
	kw_conn_close(f->c);
	kw_test_db_drop(f->url);
	char head[700];
	snprintf(head, sizeof head, "%s.head", f->key);
	unlink(head);
	unlink(f->key);
	free(f);
	kw_clock_set_us(0);
	return 0;
}

static void in_term(struct fx *f, const char *number, const char *day, int want_ban, int want_qual)
{
	struct kw_err err = KW_ERR_INIT;
	int ban = -1, qual = -1;
	int rc = kw_archive_in_term(f->c, "resident_id", number, day, &ban, &qual, &err);
	if (rc)
		fail_msg("in_term: %s", err.msg);
	if (ban != want_ban || qual != want_qual)
		fail_msg("%s on %s: ban %d qual %d, want %d %d", number, day, ban, qual, want_ban,
		         want_qual);
}

/* REG-5, REG-2, INF-5(5): what "in the archive on day D" means. */
static void in_term_days_lifetime_and_revocation(void **state)
{
	struct fx *f = *state;
	const char *t = "2026-01-01T00:00:00.000000Z";
	entry(f, "340104199001014561", "civil_service", "ban", "2024-03-01", "2029-02-28", 0, NULL,
	      t);
	in_term(f, "340104199001014561", "2024-02-29", 0, 0); /* before the decision date */
	in_term(f, "340104199001014561", "2024-03-01", 1, 0); /* from the decision date */
	in_term(f, "340104199001014561", "2029-02-28", 1, 0); /* through term_end */
	in_term(f, "340104199001014561", "2029-03-01", 0, 0); /* out the day after */
	in_term(f, "340104199001014562", "2026-06-01", 0, 0); /* another person */
	/* A lifetime ban (VH 8) never ends. */
	entry(f, "340104199001014570", "civil_service", "ban", "2020-05-01", NULL, 1, NULL, t);
	in_term(f, "340104199001014570", "2099-12-31", 1, 0);
	/* A civil-service entry that is no ban bars nothing (REG-5 reads bans only). */
	entry(f, "340104199001014589", "civil_service", "record", "2024-01-01", "2030-01-01", 0,
	      NULL, t);
	in_term(f, "340104199001014589", "2026-06-01", 0, 0);
	/* The qualification archive closes the pledge route, it does not ban (REG-2). */
	entry(f, "34010419900101459X", "qualification", "record", "2025-01-01", "2027-12-31", 0,
	      NULL, t);
	in_term(f, "34010419900101459X", "2026-06-01", 0, 1);
	/* INF-5(5): a revoked entry leaves the archive at once, and stays in the table. */
	int64_t r = entry(f, "340104199001014600", "civil_service", "ban", "2025-01-01", NULL, 1,
	                  "2026-03-02T02:00:00.000000Z", t);
	in_term(f, "340104199001014600", "2026-06-01", 0, 0);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM archive_entries WHERE id = %lld",
	         (long long)r);
	assert_int_equal(num(f->c, sql), 1);
	/* The SQL fragment is the same condition inside any statement. */
	assert_int_equal(num(f->c, "SELECT COUNT(*) FROM archive_entries a WHERE " KW_ARCHIVE_BAN(
	                                   "a") " AND " KW_ARCHIVE_IN_TERM("a", "'2026-06-01'")),
	                 2);
	assert_int_equal(
	        num(f->c, "SELECT COUNT(*) FROM archive_entries a WHERE " KW_ARCHIVE_IN_TERM(
	                          "a", "'2026-06-01'")),
	        4);
}

/* The look-up as registration runs it uses the (id_number, id_type) index on both
 * databases (PostgreSQL: the index must be usable; on a table this small its planner would
 * rather scan, so sequential scans are turned off for the question). */
static void lookup_uses_the_person_index(void **state)
{
	struct fx *f = *state;
	entry(f, "340104199001014561", "civil_service", "ban", "2024-03-01", "2029-02-28", 0, NULL,
	      "2026-01-01T00:00:00.000000Z");
	const char *q =
	        "SELECT COUNT(*) FROM archive_entries a WHERE a.id_number = "
	        "'340104199001014561' AND a.id_type = 'resident_id' AND " KW_ARCHIVE_IN_TERM(
	                "a", "'2026-06-01'");
	char sql[1024];
	int sqlite = strcmp(kw_conn_driver_name(f->c), "sqlite") == 0;
	if (!sqlite)
		exec(f->c, "SET enable_seqscan = off");
	snprintf(sql, sizeof sql, "%s %s", sqlite ? "EXPLAIN QUERY PLAN" : "EXPLAIN", q);
	struct kw_stmt *s = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_conn_prepare(f->c, sql, &s, &err), 0);
	int found = 0, rc;
	while ((rc = kw_stmt_step(s, &err)) == KW_ROW)
		for (int i = 0; i < kw_stmt_column_count(s); i++)
			if (!kw_stmt_column_is_null(s, i) &&
			    strstr(kw_stmt_column_text(s, i, NULL), "archive_entries_number"))
				found = 1;
	assert_int_equal(rc, KW_DONE);
	kw_stmt_finalize(s);
	if (!sqlite)
		exec(f->c, "SET enable_seqscan = on");
	assert_true(found);
}

/* A job that calls kw_archive_changed or the sweep. */
struct call {
	int64_t entry;
	const char *change; /* NULL: the sweep */
	const char *day;
	int64_t added, ended;
};

static int call_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct call *c = arg;
	int rc = c->change ? kw_archive_changed(tx, c->entry, c->change, err)
	                   : kw_archive_sweep_expired(tx, c->day, &c->added, &c->ended, err);
	/* A call that recorded nothing (the point of some checks) still leaves the writer's
	 * required trace. */
	if (!rc && tx->appended == 0)
		rc = kw_audit_append(tx, "test.nothing", NULL, 0, NULL, err);
	return rc;
}

static int run(struct fx *f, struct call *c, struct kw_err *err)
{
	return kw_writer_run(f->w, call_job, c, &f->actor, err);
}

static void changed(struct fx *f, int64_t entry_id, const char *change)
{
	struct kw_err err = KW_ERR_INIT;
	struct call c = {.entry = entry_id, .change = change};
	if (run(f, &c, &err))
		fail_msg("%s: %s", change, err.msg);
	kw_err_release(&err);
}

static void sweep(struct fx *f, const char *day, int64_t want_added, int64_t want_ended)
{
	struct kw_err err = KW_ERR_INIT;
	struct call c = {.day = day};
	if (run(f, &c, &err))
		fail_msg("sweep %s: %s", day, err.msg);
	if (c.added != want_added || c.ended != want_ended)
		fail_msg("sweep %s: added %lld ended %lld, want %lld %lld", day, (long long)c.added,
		         (long long)c.ended, (long long)want_added, (long long)want_ended);
	kw_err_release(&err);
}

/* INF-5(5): each change once, due 10 working days after its confirmation on the calendar. */
static void ledger_records_each_change_once(void **state)
{
	struct fx *f = *state;
	int64_t now;
	assert_int_equal(kw_clock_parse("2026-09-28T10:00:00+08:00", &now), 0);
	kw_clock_set_us(now);
	int64_t e = entry(f, "340104199001014561", "civil_service", "ban", "2026-09-28",
	                  "2031-09-27", 0, NULL, "2026-09-28T02:00:00.000000Z");
	changed(f, e, "added");
	changed(f, e, "added"); /* again: nothing more */
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT change || ' ' || confirmed_at || ' ' || due_on FROM archive_shares WHERE "
	         "entry_id = %lld",
	         (long long)e);
	/* Monday 09-28 + 10 working days across National Day (10-01..07 off, Saturday 10-10
	 * a working day) = 10-16. */
	expect_text(f->c, sql, "added 2026-09-28T02:00:00.000000Z 2026-10-16");
	assert_int_equal(num(f->c, "SELECT COUNT(*) FROM archive_shares"), 1);

	/* Revoked by a case (cases.c sets revoked_at and records the change in its job): out of
	 * the archive at once, the change confirmed when the revocation was made. */
	snprintf(sql, sizeof sql,
	         "UPDATE archive_entries SET revoked_at = '2026-10-09T03:00:00.000000Z' WHERE id = "
	         "%lld",
	         (long long)e);
	exec(f->c, sql);
	in_term(f, "340104199001014561", "2026-10-09", 0, 0);
	changed(f, e, "revoked");
	changed(f, e, "revoked");
	snprintf(sql, sizeof sql,
	         "SELECT confirmed_at || ' ' || due_on FROM archive_shares WHERE entry_id = %lld "
	         "AND change = 'revoked'",
	         (long long)e);
	/* Friday 10-09 + 10: 10-10 (make-up Saturday), 12..16, 19..22 → 10-22. */
	expect_text(f->c, sql, "2026-10-09T03:00:00.000000Z 2026-10-22");
	assert_int_equal(num(f->c, "SELECT COUNT(*) FROM archive_shares"), 2);
	/* A revoked entry's term that ends later is no "term_ended": it had already left. */
	sweep(f, "2032-01-01", 0, 0);

	/* Refusals. */
	struct kw_err err = KW_ERR_INIT;
	struct call bad = {.entry = e, .change = "amended"};
	assert_int_equal(run(f, &bad, &err), KW_EINVAL);
	assert_string_equal(err.code, "ARCHIVE_CHANGE_UNKNOWN");
	kw_err_release(&err);
	struct call none = {.entry = e + 1000, .change = "revoked"};
	assert_int_equal(run(f, &none, &err), KW_ENOTFOUND);
	kw_err_release(&err);

	/* An entry whose due day falls in a year the calendar does not cover: recorded, due
	 * unknown (NULL), never an error for the decision that wrote it. */
	int64_t late = entry(f, "340104199001014570", "qualification", "record", "2026-12-28",
	                     "2031-12-27", 0, NULL, "2026-12-28T02:00:00.000000Z");
	changed(f, late, "added");
	snprintf(sql, sizeof sql, "SELECT due_on FROM archive_shares WHERE entry_id = %lld",
	         (long long)late);
	expect_text(f->c, sql, "(null)");
}

/* INF-5(5), INF-4: an approved correction by hand is a change of the shared information — not
 * while the entry's first sharing is pending (that sharing carries the corrected entry), once
 * after it, again after a correction already shared; a corrected term that has already ended
 * takes the entry out now. */
static void correction_is_shared_in_turn(void **state)
{
	struct fx *f = *state;
	int64_t now;
	assert_int_equal(kw_clock_parse("2026-09-28T10:00:00+08:00", &now), 0);
	kw_clock_set_us(now);
	int64_t e = entry(f, "340104199001014561", "civil_service", "ban", "2026-09-28",
	                  "2031-09-27", 0, NULL, "2026-09-28T02:00:00.000000Z");
	changed(f, e, "corrected"); /* its "added" first, still pending: nothing more */
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT COUNT(*) FROM archive_shares WHERE entry_id = %lld AND change = "
	         "'corrected'",
	         (long long)e);
	assert_int_equal(num(f->c, sql), 0);
	assert_int_equal(num(f->c, "SELECT COUNT(*) FROM archive_shares"), 1);
	/* The first sharing goes out; a correction the next day is due 10 working days on,
	 * across National Day: 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12..16, 10-19. */
	exec(f->c, "UPDATE archive_shares SET shared_at = '2026-09-28T08:00:00.000000Z'");
	assert_int_equal(kw_clock_parse("2026-09-29T10:00:00+08:00", &now), 0);
	kw_clock_set_us(now);
	changed(f, e, "corrected");
	changed(f, e, "corrected"); /* still pending: one row */
	snprintf(sql, sizeof sql,
	         "SELECT confirmed_at || ' ' || due_on || ' ' || COALESCE(shared_at, '-') FROM "
	         "archive_shares WHERE entry_id = %lld AND change = 'corrected'",
	         (long long)e);
	expect_text(f->c, sql, "2026-09-29T02:00:00.000000Z 2026-10-19 -");
	/* Shared; corrected again: the row is pending again, confirmed now (10-20 → 11-03). */
	exec(f->c, "UPDATE archive_shares SET shared_at = '2026-09-30T08:00:00.000000Z' WHERE "
	           "change = 'corrected'");
	assert_int_equal(kw_clock_parse("2026-10-20T10:00:00+08:00", &now), 0);
	kw_clock_set_us(now);
	changed(f, e, "corrected");
	expect_text(f->c, sql, "2026-10-20T02:00:00.000000Z 2026-11-03 -");
	assert_int_equal(num(f->c, "SELECT COUNT(*) FROM archive_shares"), 2);
	/* A correction that ends the term before today: out of the archive now ("term_ended",
	 * confirmed now; the sweep looks only at later days). */
	snprintf(sql, sizeof sql,
	         "UPDATE archive_entries SET term_end = '2026-10-01' WHERE id = %lld",
	         (long long)e);
	exec(f->c, sql);
	changed(f, e, "corrected");
	snprintf(sql, sizeof sql,
	         "SELECT confirmed_at FROM archive_shares WHERE entry_id = %lld AND change = "
	         "'term_ended'",
	         (long long)e);
	expect_text(f->c, sql, "2026-10-20T02:00:00.000000Z");
	/* Every ledger row written is explained by the audit chain. */
	assert_true(num(f->c, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                      "'archive_share.due'") >= 4);
}

/* The sweep: ended terms once, whenever it runs, from entries of any age. */
static void sweep_is_idempotent(void **state)
{
	struct fx *f = *state;
	const char *t = "2026-01-05T02:00:00.000000Z";
	int64_t a = entry(f, "340104199001014561", "civil_service", "ban", "2021-09-01",
	                  "2026-09-20", 0, NULL, t);
	int64_t b = entry(f, "340104199001014570", "civil_service", "ban", "2021-10-21",
	                  "2026-10-20", 0, NULL, t);
	/* Revoked before its term ended: it left then, not at the end. */
	int64_t c = entry(f, "340104199001014589", "civil_service", "ban", "2021-05-01",
	                  "2026-05-01", 0, "2026-04-01T02:00:00.000000Z", t);
	/* Revoked after its term ended (00:00 CST of 09-21 = 09-20T16:00Z): it ended first. */
	int64_t d = entry(f, "34010419900101459X", "qualification", "record", "2021-09-01",
	                  "2026-09-20", 0, "2026-09-20T16:00:00.000000Z", t);
	entry(f, "340104199001014600", "civil_service", "ban", "2020-01-01", NULL, 1, NULL, t);
	sweep(f, "2026-09-28", 5, 2); /* a and d ended; all five get their "added" */
	sweep(f, "2026-09-28", 0, 0);
	sweep(f, "2026-09-29", 0, 0);
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT confirmed_at || ' ' || due_on FROM archive_shares WHERE entry_id = %lld "
	         "AND change = 'term_ended'",
	         (long long)a);
	/* Confirmed at 00:00 CST on 09-21, whatever day the sweep ran; due 10 working days on. */
	expect_text(f->c, sql, "2026-09-20T16:00:00.000000Z 2026-10-12");
	snprintf(sql, sizeof sql,
	         "SELECT COUNT(*) FROM archive_shares WHERE change = 'term_ended' AND entry_id IN "
	         "(%lld, %lld)",
	         (long long)c, (long long)d);
	assert_int_equal(num(f->c, sql), 1); /* d only */
	/* b is in the archive through 10-20, out from 10-21. */
	sweep(f, "2026-10-20", 0, 0);
	sweep(f, "2026-10-21", 0, 1);
	sweep(f, "2026-10-22", 0, 0);
	/* An entry written later with a term that had already ended (an old decision entered
	 * now) is found though its term end lies before the last sweep's day. */
	int64_t old = entry(f, "340104199001014611", "civil_service", "ban", "2015-01-01",
	                    "2020-01-01", 0, NULL, "2026-10-22T02:00:00.000000Z");
	sweep(f, "2026-10-22", 1, 1);
	sweep(f, "2026-10-23", 0, 0);
	snprintf(sql, sizeof sql,
	         "SELECT COUNT(*) FROM archive_shares WHERE entry_id = %lld OR entry_id = %lld",
	         (long long)old, (long long)b);
	assert_int_equal(num(f->c, sql), 4);
	assert_int_equal(num(f->c, "SELECT COUNT(*) FROM archive_shares WHERE change = "
	                           "'term_ended'"),
	                 4);
	/* Every row the sweeps wrote is explained by the audit chain. */
	assert_int_equal(num(f->c, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                           "'archive.sweep'"),
	                 num(f->c, "SELECT COUNT(*) FROM archive_sweeps"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(in_term_days_lifetime_and_revocation, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(lookup_uses_the_person_index, setup, teardown),
	        cmocka_unit_test_setup_teardown(ledger_records_each_change_once, setup, teardown),
	        cmocka_unit_test_setup_teardown(sweep_is_idempotent, setup, teardown),
	        cmocka_unit_test_setup_teardown(correction_is_shared_in_turn, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
