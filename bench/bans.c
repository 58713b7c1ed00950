/*
 * kw_bench_bans: the integrity archive at national scale, for bench/b_bans.sh (issue 8).
 *
 *   kw_bench_bans gen --db URL --count N --seed S --cs-unit ID --q-unit ID
 *       Writes N archive entries, reproducibly from the seed, through the writer with
 *       their audit records (one Merkle batch record per 50,000 rows, as bulk jobs do), so
 *       `kaowu audit verify` still passes. People are core/synth.h's (valid resident ID
 *       numbers) at indexes from 400,000,000 on — never the registering candidates, whose
 *       indexes start at 1 — with 2% other documents; 8% of entries are a second entry of
 *       the person before (repeat offenders). 60% are civil-service bans (15% lifetime, else
 *       5 years), 40% qualification records (15% long-term, else 5 years); terms start on a
 *       day of 2010-01-01 … 2026-11-30; 1% are revoked.
 *
 *   kw_bench_bans lookup --db URL --seconds T --seed S --count N --candidates M --hits PCT
 *       [--day YYYY-MM-DD]
 *       Calls kw_archive_in_term — the look-up registration runs at every submission
 *       (app/reg.c), the same function on the same kind of connection (SQLite: a statement
 *       prepared per call, as the server's pool does; PostgreSQL: the per-connection
 *       statement cache) — in a loop for T seconds: PCT% for people in the archive, the
 *       rest for registering candidates (indexes 1 … M, in none). Prints look-ups/s and the
 *       latency percentiles of the call, timed with CLOCK_MONOTONIC around it.
 *
 *   kw_bench_bans sweep --db URL --day YYYY-MM-DD --count N --seed S
 *       The sharing ledger at this scale: the first sweep (an "added" row for every entry
 *       and a "term_ended" row for every ended term), the next (nothing new), each timed
 *       with its commit; then 1,000 kw_archive_changed("revoked") calls inside one job (as
 *       app/cases.c makes them), each timed alone. It writes: run it last.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/archive.h"
#include "app/audit.h"
#include "app/writer.h"
#include "core/calendar.h"
#include "core/synth.h"
#include "store/store.h"
#include "util/clock.h"

#define PERSON0  UINT64_C(400000000) /* synth index of the archive's first person */
#define CHUNK    50000               /* entries per job (one audit batch record) */
#define PER_STMT 100                 /* rows per INSERT statement */
#define NCOLS    13

static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

/* The person of entry i (repeat offenders share the person of the entry before). */
static uint64_t person_of(uint64_t seed, uint64_t i)
{
	while (i > 0 && mix(seed ^ (i * 7 + 1)) % 100 < 8)
		i--;
	return i;
}

/* The identity document of archive person p (or of candidate p when cand). */
static void document(uint64_t seed, uint64_t p, int cand, char type[16], char number[24])
{
	if (!cand && mix(seed ^ (p * 11 + 3)) % 100 < 2) {
		snprintf(type, 16, "other");
		snprintf(number, 24, "E%08" PRIu64, p % 100000000);
		return;
	}
	struct kw_synth s;
	kw_synth_candidate(seed, cand ? p : PERSON0 + p, 2026, &s);
	snprintf(type, 16, "resident_id");
	snprintf(number, 24, "%s", s.id_number);
}

struct gen {
	uint64_t seed, first, n;
	int64_t cs_unit, q_unit;
	int64_t written;
};

static int gen_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct gen *g = arg;
	g->written = 0;
	int32_t d0, d1;
	kw_cal_date_parse("2010-01-01", 10, &d0, NULL);
	kw_cal_date_parse("2026-11-30", 10, &d1, NULL);
	struct kw_batch_row *rows = calloc(g->n, sizeof *rows);
	char sql[PER_STMT * 120 + 512];
	int len = snprintf(sql, sizeof sql,
	                   "INSERT INTO archive_entries (unit_id, id_type, id_number, person_name, "
	                   "kind, effect, term_start, term_end, lifetime, source_decision, "
	                   "created_at, updated_at, revoked_at) VALUES ");
	for (int r = 0; r < PER_STMT; r++) {
		len += snprintf(sql + len, sizeof sql - (size_t)len, "%s(", r ? ", " : "");
		for (int c = 1; c <= NCOLS; c++)
			len += snprintf(sql + len, sizeof sql - (size_t)len, "$%d%s", r * NCOLS + c,
			                c < NCOLS ? ", " : ")");
	}
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(tx->conn, "archive_entries", &s, err, "%s", sql);
	/* Bound text lives until the statement's step (the drivers copy it, but plainly). */
	struct {
		char start[11], end[11], created[32], decision[48], revoked[32];
	} *rb = calloc(PER_STMT, sizeof *rb);
	char names[PER_STMT][64];
	for (uint64_t i = 0; !rc && i < g->n; i += PER_STMT) {
		if (i)
			kw_stmt_reset(s);
		for (int r = 0; r < PER_STMT; r++) {
			uint64_t e = g->first + i + (uint64_t)r;
			uint64_t h = mix(g->seed ^ (e * 13 + 5));
			uint64_t p = person_of(g->seed, e);
			char type[16], number[24];
			document(g->seed, p, 0, type, number);
			struct kw_synth who;
			kw_synth_candidate(g->seed, PERSON0 + p, 2026, &who);
			snprintf(names[r], sizeof names[r], "%s", who.name);
			int cs = h % 100 < 60, life = (h >> 8) % 100 < 15,
			    revoked = (h >> 16) % 100 < 1;
			int32_t start = d0 + (int32_t)((h >> 24) % (uint64_t)(d1 - d0 + 1));
			struct kw_ymd y = kw_cal_ymd(start);
			int32_t end;
			if (kw_cal_day_from_ymd(y.year + 5, y.month,
			                        y.month == 2 && y.day == 29 ? 28 : y.day, &end,
			                        NULL))
				end = start + 1826;
			end -= 1; /* five years from the decision date, that day included */
			kw_cal_date_format(start, rb[r].start);
			kw_cal_date_format(end, rb[r].end);
			snprintf(rb[r].created, sizeof rb[r].created, "%sT02:00:00.000000Z",
			         rb[r].start);
			snprintf(rb[r].decision, sizeof rb[r].decision, "%s〔%d〕%" PRIu64 "号",
			         cs ? "公考处" : "人社考", y.year, e % 10000 + 1);
			snprintf(rb[r].revoked, sizeof rb[r].revoked, "%sT03:00:00.000000Z",
			         rb[r].start);
			int k = r * NCOLS;
			kw_stmt_bind_int64(s, k + 1, cs ? g->cs_unit : g->q_unit);
			kw_stmt_bind_textz(s, k + 2, type);
			kw_stmt_bind_textz(s, k + 3, number);
			kw_stmt_bind_textz(s, k + 4, names[r]);
			kw_stmt_bind_textz(s, k + 5, cs ? "civil_service" : "qualification");
			kw_stmt_bind_textz(s, k + 6, cs ? "ban" : "record");
			kw_stmt_bind_textz(s, k + 7, rb[r].start);
			kw_stmt_bind_textz(s, k + 8, life ? NULL : rb[r].end);
			kw_stmt_bind_int64(s, k + 9, life);
			kw_stmt_bind_textz(s, k + 10, rb[r].decision);
			kw_stmt_bind_textz(s, k + 11, rb[r].created);
			kw_stmt_bind_textz(s, k + 12, rb[r].created);
			kw_stmt_bind_textz(s, k + 13, revoked ? rb[r].revoked : NULL);
		}
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (kw_audit_digest_row("archive_entries", s, &rows[g->written].id,
			                        rows[g->written].digest))
				rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "no digest");
			g->written++;
		}
		rc = rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	if (!rc) {
		json_t *det = json_pack("{s:s, s:I}", "source", "bench/bans.c", "seed",
		                        (json_int_t)g->seed);
		rc = kw_audit_append_batch(tx, "archive.record", "archive_entries", rows,
		                           (size_t)g->written, det, err);
		json_decref(det);
	}
	free(rows);
	free(rb);
	return rc;
}

static int cmd_gen(const char *url, uint64_t count, uint64_t seed, int64_t cs_unit, int64_t q_unit)
{
	char key[1024];
	kw_audit_key_path(url, key, sizeof key);
	struct kw_writer_config cfg = {.key_file = key};
	struct kw_writer *w = NULL;
	struct kw_err err = KW_ERR_INIT;
	struct kw_actor actor;
	kw_actor_set(&actor, "operator", 0, "bench", "bench:bans");
	if (kw_writer_open(url, &cfg, &w, &err)) {
		fprintf(stderr, "gen: %s\n", err.msg);
		return 1;
	}
	int64_t t0 = kw_clock_mono_us();
	int rc = 0;
	if (count % PER_STMT)
		count += PER_STMT - count % PER_STMT;
	for (uint64_t i = 0; !rc && i < count; i += CHUNK) {
		struct gen g = {seed, i, count - i < CHUNK ? count - i : CHUNK, cs_unit, q_unit, 0};
		rc = kw_writer_run_bulk(w, gen_job, &g, &actor, &err);
	}
	int64_t us = kw_clock_mono_us() - t0;
	kw_writer_close(w);
	if (rc) {
		fprintf(stderr, "gen: %s\n", err.msg);
		return 1;
	}
	printf("gen: %" PRIu64 " entries in %.1f s (%.0f rows/s)\n", count, us / 1e6,
	       count / (us / 1e6));
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmd_lookup(const char *url, double seconds, uint64_t seed, uint64_t count,
                      uint64_t candidates, int hits, const char *day)
{
	struct kw_conn *c = NULL;
	struct kw_err err = KW_ERR_INIT;
	if (kw_conn_open(url, 0, &c, &err)) {
		fprintf(stderr, "lookup: %s\n", err.msg);
		return 1;
	}
	size_t cap = 1 << 20, n = 0;
	uint64_t *lat = malloc(cap * sizeof *lat);
	uint64_t bans = 0, quals = 0, t_end = now_ns() + (uint64_t)(seconds * 1e9), t0 = now_ns();
	uint64_t r = seed * 977 + 1;
	while (now_ns() < t_end) {
		r = mix(r);
		char type[16], number[24];
		if ((int)(r % 100) < hits)
			document(seed, person_of(seed, (r >> 8) % count), 0, type, number);
		else
			document(seed, 1 + (r >> 8) % candidates, 1, type, number);
		int ban, qual;
		uint64_t a = now_ns();
		int rc = kw_archive_in_term(c, type, number, day, &ban, &qual, &err);
		uint64_t b = now_ns();
		if (rc) {
			fprintf(stderr, "lookup: %s\n", err.msg);
			return 1;
		}
		bans += (uint64_t)ban;
		quals += (uint64_t)qual;
		if (n == cap)
			lat = realloc(lat, (cap *= 2) * sizeof *lat);
		lat[n++] = b - a;
	}
	double wall = (now_ns() - t0) / 1e9;
	qsort(lat, n, sizeof *lat, cmp_u64);
#define PCT(p) (lat[(size_t)((double)(n - 1) * (p))] / 1000.0)
	printf("lookup %s: %zu look-ups in %.1f s = %.0f/s; latency us p50 %.1f p90 %.1f p99 %.1f "
	       "p99.9 %.1f max %.1f; in term: %" PRIu64 " bans, %" PRIu64 " qualification "
	       "records\n",
	       kw_conn_driver_name(c), n, wall, n / wall, PCT(0.50), PCT(0.90), PCT(0.99),
	       PCT(0.999), lat[n - 1] / 1000.0, bans, quals);
	free(lat);
	kw_conn_close(c);
	return 0;
}

/* The ledger at this scale: the first sweep (every entry's "added" row, every ended term),
 * the next (nothing new), and kw_archive_changed as app/cases.c calls it inside its job. */
struct sweep_arg {
	char day[11];
	int64_t added, ended;
	uint64_t seed, count;
	int calls;
	uint64_t *ns;    /* per kw_archive_changed call */
	uint64_t job_ns; /* the sweep inside the job, without the commit */
};

static int sweep_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct sweep_arg *a = arg;
	int rc = 0;
	if (a->calls) {
		uint64_t r = a->seed * 31 + 7;
		for (int i = 0; !rc && i < a->calls; i++) {
			r = mix(r);
			uint64_t t = now_ns();
			rc = kw_archive_changed(tx, (int64_t)(1 + (r >> 8) % a->count), "revoked",
			                        err);
			a->ns[i] = now_ns() - t;
		}
	} else {
		uint64_t t = now_ns();
		rc = kw_archive_sweep_expired(tx, a->day, &a->added, &a->ended, err);
		a->job_ns = now_ns() - t;
	}
	if (!rc && tx->appended == 0)
		rc = kw_audit_append(tx, "archive.sweep", NULL, 0, NULL, err);
	return rc;
}

static int cmd_sweep(const char *url, const char *day, uint64_t seed, uint64_t count)
{
	char key[1024];
	kw_audit_key_path(url, key, sizeof key);
	struct kw_writer_config cfg = {.key_file = key};
	struct kw_writer *w = NULL;
	struct kw_err err = KW_ERR_INIT;
	struct kw_actor actor;
	kw_actor_set(&actor, "operator", 0, "bench", "bench:bans");
	if (kw_writer_open(url, &cfg, &w, &err)) {
		fprintf(stderr, "sweep: %s\n", err.msg);
		return 1;
	}
	int rc = 0;
	for (int pass = 0; !rc && pass < 3; pass++) {
		struct sweep_arg a = {.seed = seed, .count = count};
		snprintf(a.day, sizeof a.day, "%s", day);
		uint64_t t = now_ns();
		rc = pass ? kw_writer_run(w, sweep_job, &a, &actor, &err)
		          : kw_writer_run_bulk(w, sweep_job, &a, &actor, &err);
		if (!rc)
			printf("sweep %d: %.3f s with its commit (%.3f s inside the job), %" PRId64
			       " added, %" PRId64 " ended\n",
			       pass + 1, (now_ns() - t) / 1e9, a.job_ns / 1e9, a.added, a.ended);
	}
	struct sweep_arg c = {.seed = seed, .count = count, .calls = 1000};
	c.ns = calloc((size_t)c.calls, sizeof *c.ns);
	if (!rc)
		rc = kw_writer_run(w, sweep_job, &c, &actor, &err);
	if (!rc) {
		qsort(c.ns, (size_t)c.calls, sizeof *c.ns, cmp_u64);
		uint64_t sum = 0;
		for (int i = 0; i < c.calls; i++)
			sum += c.ns[i];
		printf("kw_archive_changed(revoked) inside a job: %d calls, mean %.1f us, p50 %.1f "
		       "us, p99 %.1f us\n",
		       c.calls, sum / 1e3 / c.calls, c.ns[c.calls / 2] / 1e3,
		       c.ns[c.calls * 99 / 100] / 1e3);
	}
	free(c.ns);
	kw_writer_close(w);
	if (rc) {
		fprintf(stderr, "sweep: %s\n", err.msg);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"count", required_argument, NULL, 'n'},
	                                     {"seed", required_argument, NULL, 's'},
	                                     {"cs-unit", required_argument, NULL, 'c'},
	                                     {"q-unit", required_argument, NULL, 'q'},
	                                     {"seconds", required_argument, NULL, 't'},
	                                     {"candidates", required_argument, NULL, 'm'},
	                                     {"hits", required_argument, NULL, 'h'},
	                                     {"day", required_argument, NULL, 'D'},
	                                     {NULL, 0, NULL, 0}};
	if (argc < 2) {
		fprintf(stderr, "usage: kw_bench_bans gen|lookup [options] (see bench/bans.c)\n");
		return 2;
	}
	const char *cmd = argv[1], *url = NULL, *day = NULL;
	uint64_t count = 1000000, seed = 8, candidates = 300000;
	int64_t cs_unit = 0, q_unit = 0;
	double seconds = 15;
	int hits = 10, o;
	char today[11];
	optind = 2;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd':
			url = optarg;
			break;
		case 'n':
			count = strtoull(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'c':
			cs_unit = strtoll(optarg, NULL, 10);
			break;
		case 'q':
			q_unit = strtoll(optarg, NULL, 10);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'm':
			candidates = strtoull(optarg, NULL, 10);
			break;
		case 'h':
			hits = atoi(optarg);
			break;
		case 'D':
			day = optarg;
			break;
		default:
			return 2;
		}
	}
	if (!url || !count) {
		fprintf(stderr, "kw_bench_bans: --db and --count are needed\n");
		return 2;
	}
	if (strcmp(cmd, "gen") == 0) {
		if (!cs_unit || !q_unit) {
			fprintf(stderr, "kw_bench_bans gen: --cs-unit and --q-unit are needed\n");
			return 2;
		}
		return cmd_gen(url, count, seed, cs_unit, q_unit);
	}
	if (strcmp(cmd, "lookup") == 0) {
		if (!day) {
			int32_t d;
			kw_cal_cst_day(kw_clock_now_us() / 1000000, &d, NULL);
			kw_cal_date_format(d, today);
			day = today;
		}
		return cmd_lookup(url, seconds, seed, count, candidates ? candidates : 1, hits,
		                  day);
	}
	if (strcmp(cmd, "sweep") == 0 && day)
		return cmd_sweep(url, day, seed, count);
	fprintf(stderr, "kw_bench_bans: no command %s\n", cmd);
	return 2;
}
