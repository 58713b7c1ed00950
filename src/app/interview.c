/*
 * Interviews, first slice: see interview.h. Choices (SPEC §15, docs/interviews.md): a
 * candidate's written score is the sum of their published subject scores, and only a
 * candidate scored (or zeroed) in every subject of their record enters a shortlist; a
 * position without an interview ratio takes 3:1; ties at the cut are in order of ticket
 * number. Examiners are staff records (post "examiner", qualified = training and assessment
 * passed, ORG-4); an examiner is the recruiting agency's when their unit lies under the unit
 * of one of the panel's positions' recruiters. Recusal (SEC-3) matches staff and their
 * declared relatives by document number, as the proctor lottery does (app/proctors.c),
 * against every candidate on the panel's shortlists.
 */
#include "app/interview.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/examref.h"
#include "app/publish.h"
#include "core/draw.h"
#include "core/idno.h"
#include "core/interview.h"
#include "core/mask.h"
#include "core/score.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/json.h"
#include "util/sort.h"

#define DEFAULT_RATIO "3:1"

static json_t *score_json(int64_t h)
{
	char b[24];
	kw_score_fmt((int32_t)h, b, sizeof b);
	return json_string(b);
}

/* ---- settings ---- */

struct settings {
	int64_t written_min; /* -1: none */
	int64_t w_written, w_interview, panel_min, agency_minority;
	char method[16];
};

static int settings_load(struct kw_conn *c, int64_t exam, struct settings *st, struct kw_err *err)
{
	*st = (struct settings){-1, 50, 50, 5, 1, "trimmed"};
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT written_min, written_weight, interview_weight, method, "
	                         "panel_min, agency_minority FROM interview_settings WHERE exam_id "
	                         "= $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW) {
			st->written_min =
			        kw_stmt_column_is_null(q, 0) ? -1 : kw_stmt_column_int64(q, 0);
			st->w_written = kw_stmt_column_int64(q, 1);
			st->w_interview = kw_stmt_column_int64(q, 2);
			snprintf(st->method, sizeof st->method, "%s",
			         kw_stmt_column_text(q, 3, NULL));
			st->panel_min = kw_stmt_column_int64(q, 4);
			st->agency_minority = kw_stmt_column_int64(q, 5);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

static json_t *settings_json(int64_t exam, const struct settings *st)
{
	return json_pack("{s:I, s:o, s:I, s:I, s:s, s:I, s:b, s:s}", "exam_id", (json_int_t)exam,
	                 "written_min",
	                 st->written_min < 0 ? json_null() : score_json(st->written_min),
	                 "written_weight", (json_int_t)st->w_written, "interview_weight",
	                 (json_int_t)st->w_interview, "method", st->method, "panel_min",
	                 (json_int_t)st->panel_min, "agency_minority", (int)st->agency_minority,
	                 "rounding", "half_up_hundredths");
}

struct settings_job {
	int64_t exam;
	const struct settings *st;
};

static int settings_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct settings_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int64_t id = 0;
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(tx->conn, "SELECT id FROM interview_settings WHERE exam_id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->exam);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW)
			id = kw_stmt_column_int64(q, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (rc)
		return rc;
	const struct settings *st = j->st;
	const char *wm = NULL;
	char wmb[24];
	if (st->written_min >= 0) {
		snprintf(wmb, sizeof wmb, "%lld", (long long)st->written_min);
		wm = wmb;
	}
	json_t *d = json_pack("{s:I}", "exam_id", (json_int_t)j->exam);
	if (id)
		return kw_audit_put(
		        tx, err, "interview_settings", "interview.settings.update", d, NULL,
		        "UPDATE interview_settings SET written_min = CAST($1 AS BIGINT), "
		        "written_weight = $2, interview_weight = $3, method = $4, "
		        "panel_min = $5, agency_minority = $6, updated_at = $7 WHERE id "
		        "= $8",
		        "tiititii", wm, st->w_written, st->w_interview, st->method, st->panel_min,
		        st->agency_minority, ts, id);
	return kw_audit_put(
	        tx, err, "interview_settings", "interview.settings.create", d, NULL,
	        "INSERT INTO interview_settings (exam_id, written_min, written_weight, "
	        "interview_weight, method, panel_min, agency_minority, created_at, "
	        "updated_at) VALUES ($1, CAST($2 AS BIGINT), $3, $4, $5, $6, $7, $8, $8)",
	        "itiitiit", j->exam, wm, st->w_written, st->w_interview, st->method, st->panel_min,
	        st->agency_minority, ts);
}

int kw_interview_settings_put(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const json_t *body,
                              json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        {"written_min", KW_JSTRING, KW_JNULLABLE, 0, 12},
	        {"written_weight", KW_JINTEGER, KW_JREQUIRED, 0, 100},
	        {"interview_weight", KW_JINTEGER, KW_JREQUIRED, 0, 100},
	        KW_JSTR("method", 16, 0),
	        {"panel_min", KW_JINTEGER, 0, 5, 99},
	        {"agency_minority", KW_JBOOLEAN, 0, 0, 0},
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof fields[0], err);
	if (rc)
		return rc;
	struct settings st = {-1, 50, 50, 5, 1, "trimmed"};
	const char *wm = json_string_value(json_object_get(body, "written_min"));
	if (wm && (st.written_min = kw_score_parse(wm)) < 0)
		return kw_err_invalid(err, "written_min", "format");
	st.w_written = json_integer_value(json_object_get(body, "written_weight"));
	st.w_interview = json_integer_value(json_object_get(body, "interview_weight"));
	if (st.w_written + st.w_interview != 100)
		return kw_err_set(err, KW_ERULE, "INTERVIEW_WEIGHTS", "INT-6",
		                  "the written and interview weights must add up to 100");
	const char *m = json_string_value(json_object_get(body, "method"));
	if (m && strcmp(m, "trimmed") != 0 && strcmp(m, "mean") != 0)
		return kw_err_invalid(err, "method", "not_allowed");
	if (m)
		snprintf(st.method, sizeof st.method, "%s", m);
	if (json_object_get(body, "panel_min"))
		st.panel_min = json_integer_value(json_object_get(body, "panel_min"));
	if (st.panel_min % 2 == 0)
		return kw_err_set(err, KW_ERULE, "PANEL_SIZE", "INT-2",
		                  "a panel has an odd number of examiners, at least 5");
	if (json_object_get(body, "agency_minority"))
		st.agency_minority = json_is_true(json_object_get(body, "agency_minority"));
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	rc = kw_exam_ref_load(c, s, "interview.manage", exam, &e, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	struct settings_job j = {exam, &st};
	rc = kw_writer_run(app->writer, settings_write, &j, actor, err);
	if (!rc)
		*out = settings_json(exam, &st);
	return rc;
}

int kw_interview_settings_get(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                              json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct settings st;
	int rc = kw_exam_ref_load(c, s, "interview.read", exam, &e, err);
	if (!rc)
		rc = settings_load(c, exam, &st, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = settings_json(exam, &st);
	return rc;
}

/* ---- shortlists ---- */

struct cand {
	int64_t reg;
	char ticket[40], name[64];
	int64_t written;
};

struct pos {
	int64_t id, quota;
	char ratio[16];
	uint32_t target;
	struct cand *c;
	size_t n, cap;
	char *code, *name; /* the position's, for the build's answer */
};

/* A published seat of a position: its ticket, registration and position index. */
struct seat_of {
	char ticket[40]; /* inline: no allocation for each of a season's 240,000 */
	int64_t reg;
	size_t pos;
};

static int cmp_seat_of(const void *a, const void *b)
{
	return strcmp(((const struct seat_of *)a)->ticket, ((const struct seat_of *)b)->ticket);
}

struct gather {
	struct seat_of *seats; /* in ticket order (a season's 240,000: no JSON object) */
	size_t nseats;
	struct pos *pos;
};

/* The string value at *p (a JSON string without escapes, or null: *v NULL) into v/n; p moved
 * past it. 0, or -1 for anything else (the caller falls back to a JSON parser). */
static int plain_value(const char **p, const char **v, size_t *n)
{
	const char *s = *p;
	if (strncmp(s, "null", 4) == 0) {
		*v = NULL;
		*n = 0;
		*p = s + 4;
		return 0;
	}
	if (*s != '"')
		return -1;
	const char *e = strpbrk(s + 1, "\"\\");
	if (!e || *e != '"')
		return -1;
	*v = s + 1;
	*n = (size_t)(e - s - 1);
	*p = e + 1;
	return 0;
}

/* The fast reading of a frozen record as the publication writes it — {"ticket_no": …,
 * "name": "…", "subjects": [{"code": …, "status": "…", "score": "…" | null}, …]}, compact,
 * no escapes in these values: *ok (every subject scored or zeroed), *total, the name. -1 when
 * the record is not of that shape (read_one then parses it as JSON). */
static int record_scan(const char *rec, int *ok, int64_t *total, char *name, size_t nname)
{
	const char *p = strstr(rec, "\"name\":"), *v;
	size_t n;
	if (!p)
		return -1;
	p += 7;
	if (plain_value(&p, &v, &n) || !v)
		return -1;
	snprintf(name, nname, "%.*s", (int)n, v);
	p = strstr(p, "\"subjects\":[");
	if (!p)
		return -1;
	p += 12;
	*ok = 1;
	*total = 0;
	size_t subjects = 0;
	while (*p == '{') {
		const char *end = strchr(p, '}');
		const char *st = strstr(p, "\"status\":"), *sc = strstr(p, "\"score\":");
		if (!end || !st || !sc || st > end || sc > end)
			return -1;
		const char *sv, *cv;
		size_t sn, cn;
		st += 9;
		sc += 8;
		if (plain_value(&st, &sv, &sn) || plain_value(&sc, &cv, &cn) || !sv)
			return -1;
		char buf[24];
		int64_t h = -1;
		if (cv && cn < sizeof buf) {
			memcpy(buf, cv, cn);
			buf[cn] = '\0';
			h = kw_score_parse(buf);
		}
		if (!((sn == 6 && memcmp(sv, "scored", 6) == 0) ||
		      (sn == 4 && memcmp(sv, "zero", 4) == 0)) ||
		    h < 0)
			*ok = 0;
		else
			*total += h;
		subjects++;
		p = end + 1;
		if (*p == ',')
			p++;
	}
	if (*p != ']')
		return -1;
	*ok = *ok && subjects > 0;
	return 0;
}

/* A published record scored throughout: its ticket, written total and (masked) name. */
struct prec {
	char ticket[40], name[64];
	int64_t total;
};

/* The publication's records read on a thread of its own (while the seats are read on the
 * request's): those scored throughout into r. */
struct pubread {
	struct kw_app *app;
	int64_t pub;
	struct prec *r;
	size_t n, cap;
	int rc;
	struct kw_err err;
};

static int read_one(void *arg, const char *ticket, const char *record)
{
	struct pubread *x = arg;
	int64_t total = 0;
	int ok = 0;
	char name[64];
	if (record_scan(record, &ok, &total, name, sizeof name) != 0) {
		json_t *r = json_loads(record, 0, NULL);
		if (!r)
			return 0;
		ok = json_array_size(json_object_get(r, "subjects")) > 0;
		size_t k;
		json_t *sj;
		json_array_foreach(json_object_get(r, "subjects"), k, sj)
		{
			const char *st = json_string_value(json_object_get(sj, "status"));
			int64_t h = kw_score_parse(json_string_value(json_object_get(sj, "score")));
			if (!st || (strcmp(st, "scored") != 0 && strcmp(st, "zero") != 0) || h < 0)
				ok = 0;
			else
				total += h;
		}
		const char *nm = json_string_value(json_object_get(r, "name"));
		snprintf(name, sizeof name, "%s", nm ? nm : "");
		json_decref(r);
	}
	if (!ok)
		return 0;
	if (x->n == x->cap)
		x->r = kw_xrealloc(x->r, (x->cap = x->cap ? 2 * x->cap : 1024) * sizeof *x->r);
	struct prec *p = &x->r[x->n++];
	snprintf(p->ticket, sizeof p->ticket, "%s", ticket);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->total = total;
	return 0;
}

static void *pubread_main(void *arg)
{
	struct pubread *x = arg;
	struct kw_conn *c = kw_pool_get(x->app->pool);
	x->rc = kw__pub_each(c, x->pub, read_one, x, &x->err);
	kw_pool_put(x->app->pool, c);
	return NULL;
}

/* Each record read into its seat's position's list (records of no seat of these positions
 * skipped). */
static void gather(struct gather *g, const struct pubread *x)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct prec *r = &x->r[i];
		struct seat_of key;
		memcpy(key.ticket, r->ticket, sizeof key.ticket);
		const struct seat_of *who =
		        g->nseats ? bsearch(&key, g->seats, g->nseats, sizeof key, cmp_seat_of)
		                  : NULL;
		if (!who)
			continue;
		struct pos *p = &g->pos[who->pos];
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 16;
			p->c = kw_xrealloc(p->c, p->cap * sizeof *p->c);
		}
		struct cand *c = &p->c[p->n++];
		c->reg = who->reg;
		memcpy(c->ticket, r->ticket, sizeof c->ticket);
		memcpy(c->name, r->name, sizeof c->name);
		c->written = r->total;
	}
}

static const char *state_name(uint8_t st)
{
	return st == KW_IV_ADMITTED    ? "admitted"
	       : st == KW_IV_DECLINED  ? "declined"
	       : st == KW_IV_BELOW_MIN ? "below_min"
	                               : "waiting";
}

/* A position id and its index, for binary search by id. */
struct pos_ix {
	int64_t id;
	size_t i;
};

static int cmp_pos_ix(const void *a, const void *b)
{
	const struct pos_ix *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

struct build_job {
	int64_t exam, pub, written_min;
	struct pos *pos;
	size_t npos;
	int64_t *ids; /* out: shortlist per position (0: skipped, one existed) */
};

/* An entry to write: its list, candidate, written total, place and state. */
struct entry_row {
	int64_t list;
	const struct cand *c;
	int32_t written;
	uint32_t place;
	uint8_t state;
};

enum { ENTRY_ROWS = 64, LIST_ROWS = 64 };

/* The column of position_id in an interview_shortlists row as kw_audit_returning lists them
 * (id, exam_id, position_id, …). */
enum { LIST_POSITION_COL = 2 };

/* The INSERT of m lists ($1 the exam, $2 the publication, $3 the written minimum, $4 the
 * author, $5 the time; then 4 values a row: position, ratio, quota, target), RETURNING the
 * audited row. */
static int lists_prepare(struct kw_conn *c, size_t m, struct kw_stmt **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "INSERT INTO interview_shortlists (exam_id, position_id, publication_id, "
	                "ratio, quota, target, written_min, status, created_by, created_at, "
	                "updated_at) VALUES ");
	for (size_t k = 0; k < m; k++) {
		int v = 6 + 4 * (int)k;
		kw_buf_addf(&b,
		            "%s($1, $%d, $2, $%d, $%d, $%d, CAST($3 AS BIGINT), 'draft', $4, $5, "
		            "$5)",
		            k ? ", " : "", v, v + 1, v + 2, v + 3);
	}
	int rc = kw_audit_prepare(c, "interview_shortlists", out, err, "%s", b.buf);
	kw_buf_release(&b);
	return rc;
}

/* The INSERT of m entries ($1 the time; then 7 values a row), RETURNING the audited row. */
static int entries_prepare(struct kw_conn *c, size_t m, struct kw_stmt **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "INSERT INTO interview_shortlist_entries (shortlist_id, registration_id, "
	                "ticket_no, masked_name, written, place, state, created_at, updated_at) "
	                "VALUES ");
	for (size_t k = 0; k < m; k++) {
		int v = 2 + 7 * (int)k;
		kw_buf_addf(&b, "%s($%d, $%d, $%d, $%d, $%d, $%d, $%d, $1, $1)", k ? ", " : "", v,
		            v + 1, v + 2, v + 3, v + 4, v + 5, v + 6);
	}
	int rc = kw_audit_prepare(c, "interview_shortlist_entries", out, err, "%s", b.buf);
	kw_buf_release(&b);
	return rc;
}

/* Steps q (an INSERT … RETURNING of kw_audit_prepare) and takes its row's id and digest into
 * row, for a batch record (kw_audit_append_batch). */
static int audited_row(struct kw_stmt *q, const char *entity, struct kw_batch_row *row,
                       struct kw_err *err)
{
	int rc = kw_stmt_step(q, err);
	if (rc == KW_ROW)
		return kw_audit_digest_row(entity, q, &row->id, row->digest)
		               ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                            "a %s row without its audited columns", entity)
		               : 0;
	return rc == KW_DONE
	               ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "%s not written", entity)
	               : rc;
}

static int build_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct build_job *j = arg;
	char ts[32], wm[24];
	kw_clock_format(tx->now_us, ts);
	snprintf(wm, sizeof wm, "%lld", (long long)j->written_min);
	size_t built = 0, nhave = 0, cap = 16;
	int pg = kw_conn_driver(tx->conn) == KW_DRIVER_PG;
	/* the positions of the exam that have a list already, read once (a season has 40,000
	 * positions); the statements prepared once; the lists, and then all their entries,
	 * audited as two batch records (kw_audit_append_batch) */
	struct pos_ix *have = kw_xmalloc(cap * sizeof *have);
	size_t nlists = 0;
	struct kw_batch_row *lists = NULL;
	struct kw_stmt *ex = NULL, *ins = NULL, *ent = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT position_id FROM interview_shortlists WHERE exam_id = $1",
	                         &ex, err);
	if (!rc) {
		kw_stmt_bind_int64(ex, 1, j->exam);
		while ((rc = kw_stmt_step(ex, err)) == KW_ROW) {
			if (nhave == cap)
				have = kw_xrealloc(have, (cap *= 2) * sizeof *have);
			have[nhave++] = (struct pos_ix){kw_stmt_column_int64(ex, 0), 0};
		}
		rc = kw_step_ok(rc);
	}
	qsort(have, nhave, sizeof *have, cmp_pos_ix);
	/* the positions still without a list, then their lists LIST_ROWS a statement */
	size_t *todo = kw_xmalloc((j->npos + 1) * sizeof *todo), ntodo = 0;
	for (size_t i = 0; i < j->npos; i++) {
		struct pos_ix key = {j->pos[i].id, 0};
		j->ids[i] = 0;
		if (!bsearch(&key, have, nhave, sizeof *have, cmp_pos_ix))
			todo[ntodo++] = i;
	}
	lists = kw_xmalloc((ntodo + 1) * sizeof *lists);
	for (size_t at = 0; !rc && at < ntodo; at += LIST_ROWS) {
		size_t m = ntodo - at < LIST_ROWS ? ntodo - at : LIST_ROWS;
		if (!ins || m < LIST_ROWS) {
			kw_stmt_finalize(ins);
			ins = NULL;
			rc = lists_prepare(tx->conn, m, &ins, err);
		} else {
			kw_stmt_reset(ins);
		}
		if (rc)
			break;
		kw_stmt_bind_int64(ins, 1, j->exam);
		kw_stmt_bind_int64(ins, 2, j->pub);
		kw_stmt_bind_textz(ins, 3, j->written_min >= 0 ? wm : NULL);
		kw_stmt_bind_int64(ins, 4, tx->actor->id);
		kw_stmt_bind_textz(ins, 5, ts);
		for (size_t k = 0; k < m; k++) {
			const struct pos *p = &j->pos[todo[at + k]];
			int b = 6 + 4 * (int)k;
			kw_stmt_bind_int64(ins, b, p->id);
			kw_stmt_bind_textz(ins, b + 1, p->ratio);
			kw_stmt_bind_int64(ins, b + 2, p->quota);
			kw_stmt_bind_int64(ins, b + 3, (int64_t)p->target);
		}
		/* each row back with its position (the RETURNING order is not promised) */
		for (size_t k = 0; !rc && k < m; k++) {
			struct kw_batch_row *row = &lists[nlists];
			rc = audited_row(ins, "interview_shortlists", row, err);
			int64_t pid = rc ? 0 : kw_stmt_column_int64(ins, LIST_POSITION_COL);
			size_t hit = m;
			for (size_t h = 0; !rc && h < m && hit == m; h++)
				if (j->pos[todo[at + h]].id == pid && !j->ids[todo[at + h]])
					hit = h;
			if (!rc && hit == m)
				rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
				                "a shortlist of another position written");
			if (!rc) {
				j->ids[todo[at + hit]] = row->id;
				nlists++;
			}
		}
		if (!rc) {
			int more = kw_stmt_step(ins, err);
			rc = more == KW_ROW ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                                 "more shortlists than written")
			                    : kw_step_ok(more);
		}
	}
	free(todo);
	if (!rc && nlists) {
		json_t *d = json_pack("{s:I, s:I}", "exam_id", (json_int_t)j->exam,
		                      "publication_id", (json_int_t)j->pub);
		rc = kw_audit_append_batch(tx, "interview.shortlist.build", "interview_shortlists",
		                           lists, nlists, d, err);
		json_decref(d);
	}
	free(lists);
	/* PostgreSQL checks each entry's foreign key with a plan it keeps: made while the lists
	 * were few (or by an earlier build on this connection), it scans them all for every
	 * entry — quadratic in a season's 40,000 lists. Their statistics refreshed here (inside
	 * the transaction, which counts its own rows) replan it with the index; the entries'
	 * after them, for the reads that follow. */
	if (!rc && pg)
		rc = kw_conn_exec(tx->conn, "ANALYZE interview_shortlists", err);
	/* the entries: every list's in states and places (core/interview.c), then written
	 * ENTRY_ROWS a statement and audited as one batch record (a statement or a record per
	 * entry cost most of a season's build, above all PostgreSQL's round trips) */
	size_t ne = 0, ecap = 64;
	struct entry_row *e = kw_xmalloc(ecap * sizeof *e);
	for (size_t i = 0; !rc && i < j->npos; i++) {
		struct pos *p = &j->pos[i];
		if (!j->ids[i])
			continue;
		int32_t *w = kw_xmalloc((p->n + 1) * sizeof *w);
		uint8_t *st = kw_xmalloc(p->n + 1);
		uint32_t *rk = kw_xmalloc((p->n + 1) * sizeof *rk);
		for (size_t k = 0; k < p->n; k++)
			w[k] = (int32_t)p->c[k].written;
		kw_iv_shortlist(w, NULL, p->n, p->target, (int32_t)j->written_min, st, rk);
		for (size_t k = 0; k < p->n; k++) {
			if (ne == ecap)
				e = kw_xrealloc(e, (ecap *= 2) * sizeof *e);
			e[ne++] = (struct entry_row){j->ids[i], &p->c[k], w[k], rk[k], st[k]};
		}
		free(w);
		free(st);
		free(rk);
		built++;
	}
	struct kw_batch_row *rows = kw_xcalloc(ne + 1, sizeof *rows);
	size_t nrows = 0;
	for (size_t at = 0; !rc && at < ne; at += ENTRY_ROWS) {
		size_t m = ne - at < ENTRY_ROWS ? ne - at : ENTRY_ROWS;
		if (!ent || m < ENTRY_ROWS) {
			kw_stmt_finalize(ent);
			ent = NULL;
			rc = entries_prepare(tx->conn, m, &ent, err);
		} else {
			kw_stmt_reset(ent);
		}
		kw_stmt_bind_textz(ent, 1, ts);
		for (size_t k = 0; !rc && k < m; k++) {
			const struct entry_row *x = &e[at + k];
			int b = 2 + 7 * (int)k;
			kw_stmt_bind_int64(ent, b, x->list);
			kw_stmt_bind_int64(ent, b + 1, x->c->reg);
			kw_stmt_bind_textz(ent, b + 2, x->c->ticket);
			kw_stmt_bind_textz(ent, b + 3, x->c->name);
			kw_stmt_bind_int64(ent, b + 4, (int64_t)x->written);
			kw_stmt_bind_int64(ent, b + 5, (int64_t)x->place);
			kw_stmt_bind_textz(ent, b + 6, state_name(x->state));
		}
		for (size_t k = 0; !rc && k < m; k++)
			rc = audited_row(ent, "interview_shortlist_entries", &rows[nrows++], err);
		if (!rc) {
			int more = kw_stmt_step(ent, err);
			rc = more == KW_ROW ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                                 "more shortlist entries than written")
			                    : kw_step_ok(more);
		}
	}
	if (!rc && nrows) {
		json_t *d = json_pack("{s:I, s:I}", "exam_id", (json_int_t)j->exam, "lists",
		                      (json_int_t)built);
		rc = kw_audit_append_batch(tx, "interview.shortlist.entry",
		                           "interview_shortlist_entries", rows, nrows, d, err);
		json_decref(d);
	}
	free(rows);
	free(e);
	if (!rc && pg && built)
		rc = kw_conn_exec(tx->conn, "ANALYZE interview_shortlist_entries", err);
	kw_stmt_finalize(ex);
	kw_stmt_finalize(ins);
	kw_stmt_finalize(ent);
	free(have);
	if (!rc && !built)
		rc = kw_err_set(err, KW_ECONFLICT, "SHORTLIST_EXISTS", NULL,
		                "the shortlists of these positions are already built");
	return rc;
}

/* A list's columns (l, its position p) as list_json reads them, and an entry's (e) as
 * entry_json reads them from column k on. */
#define LIST_COLS                                                                                  \
	"l.id, l.exam_id, l.position_id, p.code, p.name, l.ratio, l.quota, l.target, "             \
	"l.written_min, l.status, l.published_at, l.publication_id"
#define ENTRY_COLS                                                                                 \
	"e.registration_id, e.ticket_no, e.masked_name, e.written, e.place, e.state, "             \
	"e.decline_reason"

static json_t *list_json(struct kw_stmt *q)
{
	return json_pack(
	        "{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:o, s:s, s:o, s:I}", "id",
	        (json_int_t)kw_stmt_column_int64(q, 0), "exam_id",
	        (json_int_t)kw_stmt_column_int64(q, 1), "position_id",
	        (json_int_t)kw_stmt_column_int64(q, 2), "position_code",
	        kw_stmt_column_text(q, 3, NULL), "position_name", kw_stmt_column_text(q, 4, NULL),
	        "ratio", kw_stmt_column_text(q, 5, NULL), "quota",
	        (json_int_t)kw_stmt_column_int64(q, 6), "target",
	        (json_int_t)kw_stmt_column_int64(q, 7), "written_min",
	        kw_stmt_column_is_null(q, 8) ? json_null() : score_json(kw_stmt_column_int64(q, 8)),
	        "status", kw_stmt_column_text(q, 9, NULL), "published_at",
	        kw_stmt_column_is_null(q, 10) ? json_null()
	                                      : json_string(kw_stmt_column_text(q, 10, NULL)),
	        "publication_id", (json_int_t)kw_stmt_column_int64(q, 11));
}

static json_t *entry_json(struct kw_stmt *q, int k)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:I, s:s, s:o}", "registration_id",
	                 (json_int_t)kw_stmt_column_int64(q, k), "ticket_no",
	                 kw_stmt_column_text(q, k + 1, NULL), "name",
	                 kw_stmt_column_text(q, k + 2, NULL), "written",
	                 score_json(kw_stmt_column_int64(q, k + 3)), "rank",
	                 (json_int_t)kw_stmt_column_int64(q, k + 4), "state",
	                 kw_stmt_column_text(q, k + 5, NULL), "decline_reason",
	                 kw_stmt_column_is_null(q, k + 6)
	                         ? json_null()
	                         : json_string(kw_stmt_column_text(q, k + 6, NULL)));
}

/* The shortlist (with entries when entries) as JSON; NOT_FOUND unless s may do action. */
static int shortlist_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                          int64_t id, int entries, json_t **out, int64_t *exam_out,
                          struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	json_t *o = NULL;
	int64_t exam = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT " LIST_COLS
	                         " FROM interview_shortlists l JOIN positions p ON p.id = "
	                         "l.position_id WHERE l.id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW) {
			exam = kw_stmt_column_int64(q, 1);
			o = list_json(q);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !o)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such shortlist");
	struct kw_exam_ref e;
	if (!rc && s)
		rc = kw_exam_ref_load(c, s, action, exam, &e, err);
	if (!rc && entries) {
		json_t *items = json_array();
		q = NULL;
		size_t admitted = 0;
		rc = kw_conn_prepare(c,
		                     "SELECT " ENTRY_COLS
		                     " FROM interview_shortlist_entries e WHERE "
		                     "e.shortlist_id = $1 ORDER BY e.id",
		                     &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, id);
			while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
				admitted +=
				        strcmp(kw_stmt_column_text(q, 5, NULL), "admitted") == 0;
				json_array_append_new(items, entry_json(q, 0));
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(q);
		json_object_set_new(o, "admitted", json_integer((json_int_t)admitted));
		json_object_set_new(o, "entries", items);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	if (exam_out)
		*exam_out = exam;
	*out = o;
	return 0;
}

/* The exam's positions (or the one named) with their targets, and who of the published
 * seating belongs to which. */
static int load_positions(struct kw_conn *c, int64_t exam, int64_t only, struct gather *g,
                          size_t *npos, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	size_t cap = 0;
	*npos = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT id, quota, COALESCE(interview_ratio, ''), code, name "
	        "FROM positions WHERE exam_id = $1 AND (CAST($2 AS BIGINT) = 0 OR id = CAST($2 "
	        "AS BIGINT)) ORDER BY code, id",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		kw_stmt_bind_int64(q, 2, only);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			if (*npos == cap) {
				cap = cap ? 2 * cap : 16;
				g->pos = kw_xrealloc(g->pos, cap * sizeof *g->pos);
			}
			struct pos *p = &g->pos[(*npos)++];
			memset(p, 0, sizeof *p);
			p->id = kw_stmt_column_int64(q, 0);
			p->quota = kw_stmt_column_int64(q, 1);
			const char *pc = kw_stmt_column_text(q, 3, NULL),
			           *pn = kw_stmt_column_text(q, 4, NULL);
			p->code = kw_xstrdup(pc ? pc : "");
			p->name = kw_xstrdup(pn ? pn : "");
			const char *r = kw_stmt_column_text(q, 2, NULL);
			snprintf(p->ratio, sizeof p->ratio, "%s", *r ? r : DEFAULT_RATIO);
			unsigned a = 3, b = 1;
			if (sscanf(p->ratio, "%u:%u", &a, &b) != 2)
				a = 3, b = 1;
			p->target = kw_iv_target((uint32_t)p->quota, a, b);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && only && !*npos)
		return kw_err_invalid(err, "position_id", "not_in_exam");
	q = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT s.ticket_no, s.registration_id, r.position_id FROM seats s "
		        "JOIN seating_runs u ON u.id = s.run_id AND u.status = "
		        "'published' JOIN registrations r ON r.id = s.registration_id "
		        "WHERE u.exam_id = $1 AND r.position_id IS NOT NULL",
		        &q, err);
	/* each seat's position by binary search (40,000 positions × every seat was the cost) */
	struct pos_ix *ix = kw_xmalloc((*npos + 1) * sizeof *ix);
	for (size_t i = 0; i < *npos; i++)
		ix[i] = (struct pos_ix){g->pos[i].id, i};
	qsort(ix, *npos, sizeof *ix, cmp_pos_ix);
	size_t cap2 = 0;
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			struct pos_ix key = {kw_stmt_column_int64(q, 2), 0};
			const struct pos_ix *hit = bsearch(&key, ix, *npos, sizeof *ix, cmp_pos_ix);
			if (!hit)
				continue;
			if (g->nseats == cap2) {
				cap2 = cap2 ? 2 * cap2 : 1024;
				g->seats = kw_xrealloc(g->seats, cap2 * sizeof *g->seats);
			}
			struct seat_of *so = &g->seats[g->nseats++];
			snprintf(so->ticket, sizeof so->ticket, "%s",
			         kw_stmt_column_text(q, 0, NULL));
			so->reg = kw_stmt_column_int64(q, 1);
			so->pos = hit->i;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	free(ix);
	qsort(g->seats, g->nseats, sizeof *g->seats, cmp_seat_of);
	return rc;
}

/* The exam's shortlists without their entries, with how many candidates each has and how many
 * are admitted, into items in id order. One query (a season has 40,000 lists). */
static int lists_json(struct kw_conn *c, int64_t exam, json_t *items, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT " LIST_COLS ", (SELECT COUNT(*) FROM interview_shortlist_entries e "
	        "WHERE e.shortlist_id = l.id), (SELECT COUNT(*) FROM "
	        "interview_shortlist_entries e WHERE e.shortlist_id = l.id AND e.state = "
	        "'admitted') FROM interview_shortlists l JOIN positions p ON p.id = "
	        "l.position_id WHERE l.exam_id = $1 ORDER BY l.id",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_t *l = list_json(q);
			json_object_set_new(l, "candidates",
			                    json_integer((json_int_t)kw_stmt_column_int64(q, 12)));
			json_object_set_new(l, "admitted",
			                    json_integer((json_int_t)kw_stmt_column_int64(q, 13)));
			json_array_append_new(items, l);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

/* The build's answer, a list for every position as written (the id set once known). */
struct answer_job {
	int64_t exam, pub, written_min;
	const struct pos *pos;
	size_t npos;
	json_t **items; /* out: one a position */
};

static void *answer_main(void *arg)
{
	struct answer_job *a = arg;
	a->items = kw_xcalloc(a->npos + 1, sizeof *a->items);
	for (size_t i = 0; i < a->npos; i++) {
		const struct pos *p = &a->pos[i];
		int32_t *w = kw_xmalloc((p->n + 1) * sizeof *w);
		uint8_t *st = kw_xmalloc(p->n + 1);
		uint32_t *rk = kw_xmalloc((p->n + 1) * sizeof *rk);
		for (size_t k = 0; k < p->n; k++)
			w[k] = (int32_t)p->c[k].written;
		kw_iv_shortlist(w, NULL, p->n, p->target, (int32_t)a->written_min, st, rk);
		size_t admitted = 0;
		for (size_t k = 0; k < p->n; k++)
			admitted += st[k] == KW_IV_ADMITTED;
		free(w);
		free(st);
		free(rk);
		a->items[i] = json_pack(
		        "{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:o, s:s, s:n, s:I, s:I, s:I}",
		        "id", (json_int_t)0, "exam_id", (json_int_t)a->exam, "position_id",
		        (json_int_t)p->id, "position_code", p->code, "position_name", p->name,
		        "ratio", p->ratio, "quota", (json_int_t)p->quota, "target",
		        (json_int_t)p->target, "written_min",
		        a->written_min >= 0 ? score_json(a->written_min) : json_null(), "status",
		        "draft", "published_at", "publication_id", (json_int_t)a->pub, "candidates",
		        (json_int_t)p->n, "admitted", (json_int_t)admitted);
	}
	return NULL;
}

int kw_interview_shortlists_build(struct kw_app *app, const struct kw_actor *actor,
                                  const struct kw_session_info *s, int64_t exam, const json_t *body,
                                  json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        {"position_id", KW_JINTEGER, 0, 1, INT32_MAX},
	};
	int rc = body ? kw_json_check(body, fields, 1, err) : 0;
	if (rc)
		return rc;
	int64_t only = body ? json_integer_value(json_object_get(body, "position_id")) : 0;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct settings st;
	struct gather g = {NULL, 0, NULL};
	size_t npos = 0;
	int64_t pub = 0;
	char published_at[32];
	rc = kw_exam_ref_load(c, s, "interview.manage", exam, &e, err);
	if (!rc)
		rc = settings_load(c, exam, &st, err);
	if (!rc)
		rc = kw__pub_current(c, exam, &pub, published_at, err);
	if (!rc && !pub)
		rc = kw_err_set(err, KW_ECONFLICT, "SHORTLIST_NO_PUBLICATION", "INT-2",
		                "the exam's written scores are not published");
	/* the publication's records on a thread of their own while the positions and seats are
	 * read here (each about a second in a season of 240,000 candidates) */
	struct pubread x = {.app = app, .pub = pub, .err = KW_ERR_INIT};
	pthread_t t;
	int threaded = 0;
	if (!rc)
		threaded = pthread_create(&t, NULL, pubread_main, &x) == 0;
	if (!rc)
		rc = load_positions(c, exam, only, &g, &npos, err);
	kw_pool_put(app->pool, c);
	if (threaded)
		pthread_join(t, NULL);
	else if (!rc)
		pubread_main(&x);
	if (!rc && x.rc) {
		rc = x.rc;
		if (err) {
			*err = x.err;
			x.err = (struct kw_err)KW_ERR_INIT;
		}
	}
	if (!rc)
		gather(&g, &x);
	kw_err_release(&x.err);
	free(x.r);
	struct build_job j = {exam,  pub,  st.written_min,
	                      g.pos, npos, kw_xmalloc((npos + 1) * sizeof(int64_t))};
	/* the answer's lists made on a thread of their own while the writer writes them (a
	 * season's 40,000: about half a second), their ids set from what was written */
	struct answer_job aj = {exam, pub, st.written_min, g.pos, npos, NULL};
	pthread_t at;
	int athreaded = 0;
	if (!rc)
		athreaded = pthread_create(&at, NULL, answer_main, &aj) == 0;
	/* not kw_writer_run_bulk: with statement journals in memory a season's build (270,000
	 * rows in one transaction) took 25 s of the writer's CPU instead of 6 (SQLite walks its
	 * in-memory journal from the start) */
	if (!rc)
		rc = kw_writer_run(app->writer, build_write, &j, actor, err);
	if (athreaded)
		pthread_join(at, NULL);
	else if (!rc)
		answer_main(&aj);
	/* the answer from what was written (no query, no count): the lists built, with their ids */
	json_t *items = json_array();
	for (size_t i = 0; !rc && i < npos; i++) {
		if (!j.ids[i])
			continue;
		json_object_set_new(aj.items[i], "id", json_integer((json_int_t)j.ids[i]));
		json_array_append(items, aj.items[i]);
	}
	for (size_t i = 0; aj.items && i < npos; i++)
		json_decref(aj.items[i]);
	free(aj.items);
	for (size_t i = 0; i < npos; i++) {
		free(g.pos[i].c);
		free(g.pos[i].code);
		free(g.pos[i].name);
	}
	free(g.pos);
	free(j.ids);
	free(g.seats);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int kw_interview_shortlist_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                               json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = shortlist_load(c, s, "interview.read", id, 1, out, NULL, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* The ids sql ($1: the exam) lists, into items, once s may read the exam's interviews. */
static int exam_ids(struct kw_conn *c, const struct kw_session_info *s, int64_t exam,
                    const char *sql, json_t *items, struct kw_err *err)
{
	struct kw_exam_ref e;
	struct kw_stmt *q = NULL;
	int rc = kw_exam_ref_load(c, s, "interview.read", exam, &e, err);
	if (!rc)
		rc = kw_conn_prepare(c, sql, &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW)
			json_array_append_new(items, json_integer(kw_stmt_column_int64(q, 0)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

int kw_interview_shortlists_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                                 json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *items = json_array();
	struct kw_exam_ref e;
	int rc = kw_exam_ref_load(c, s, "interview.read", exam, &e, err);
	if (!rc)
		rc = lists_json(c, exam, items, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

struct publish_job {
	int64_t id;
};

static int publish_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct publish_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int64_t done = 0;
	int rc = kw_audit_put(tx, err, "interview_shortlists", "interview.shortlist.publish",
	                      json_pack("{s:I}", "shortlist_id", (json_int_t)j->id), &done,
	                      "UPDATE interview_shortlists SET status = 'published', published_at "
	                      "= $1, updated_at = $1 WHERE id = $2 AND status = 'draft'",
	                      "ti", ts, j->id);
	if (!rc && !done)
		rc = kw_err_set(err, KW_ECONFLICT, "SHORTLIST_PUBLISHED", NULL,
		                "this shortlist is already published");
	return rc;
}

static int publish_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	struct publish_job *j = arg;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = shortlist_load(c, NULL, NULL, j->id, 1, out, NULL, err);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_interview_shortlist_publish_op(struct kw_app *app, const struct kw_session_info *s,
                                      int64_t id, struct kw_op *op, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *o = NULL;
	int rc = shortlist_load(c, s, "interview.manage", id, 0, &o, NULL, err);
	kw_pool_put(app->pool, c);
	json_decref(o);
	if (!rc) {
		struct publish_job *j = kw_xmalloc(sizeof *j);
		j->id = id;
		*op = (struct kw_op){publish_write, publish_answer, free, j, 0, NULL};
	}
	return rc;
}

int kw_interview_shortlist_publish(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t id, json_t **out,
                                   struct kw_err *err)
{
	struct kw_op op;
	int rc = kw_interview_shortlist_publish_op(app, s, id, &op, err);
	return rc ? rc : kw_op_run(app, actor, &op, out, err);
}

struct decline_job {
	int64_t id, reg;
	const char *reason;
	json_t *admitted_now; /* tickets */
};

static int decline_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct decline_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	struct kw_stmt *q = NULL;
	int64_t target = 0, wmin = -1;
	int rc = kw_conn_prepare(
	        tx->conn, "SELECT target, written_min FROM interview_shortlists WHERE id = $1", &q,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			target = kw_stmt_column_int64(q, 0);
			wmin = kw_stmt_column_is_null(q, 1) ? -1 : kw_stmt_column_int64(q, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	size_t n = 0, cap = 16, me = SIZE_MAX;
	int64_t *ids = kw_xmalloc(cap * sizeof *ids);
	int32_t *w = kw_xmalloc(cap * sizeof *w);
	uint8_t *old = kw_xmalloc(cap), *dec = kw_xmalloc(cap);
	char **tk = kw_xmalloc(cap * sizeof *tk);
	q = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT id, registration_id, written, state, ticket_no FROM "
		        "interview_shortlist_entries WHERE shortlist_id = $1 ORDER BY id",
		        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->id);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			if (n == cap) {
				cap *= 2;
				ids = kw_xrealloc(ids, cap * sizeof *ids);
				w = kw_xrealloc(w, cap * sizeof *w);
				old = kw_xrealloc(old, cap);
				dec = kw_xrealloc(dec, cap);
				tk = kw_xrealloc(tk, cap * sizeof *tk);
			}
			const char *st = kw_stmt_column_text(q, 3, NULL);
			ids[n] = kw_stmt_column_int64(q, 0);
			w[n] = (int32_t)kw_stmt_column_int64(q, 2);
			old[n] = strcmp(st, "admitted") == 0    ? KW_IV_ADMITTED
			         : strcmp(st, "declined") == 0  ? KW_IV_DECLINED
			         : strcmp(st, "below_min") == 0 ? KW_IV_BELOW_MIN
			                                        : KW_IV_WAITING;
			dec[n] = old[n] == KW_IV_DECLINED;
			tk[n] = kw_xstrdup(kw_stmt_column_text(q, 4, NULL));
			if (kw_stmt_column_int64(q, 1) == j->reg)
				me = n;
			n++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && me == SIZE_MAX)
		rc = kw_err_invalid(err, "registration_id", "not_on_shortlist");
	if (!rc && old[me] != KW_IV_ADMITTED && old[me] != KW_IV_WAITING)
		rc = kw_err_set(err, KW_ECONFLICT, "SHORTLIST_DECLINE_STATE", NULL,
		                "this candidate has already declined or is below the minimum");
	if (!rc) {
		dec[me] = 1;
		uint8_t *st = kw_xmalloc(n);
		uint32_t *rk = kw_xmalloc(n * sizeof *rk);
		kw_iv_shortlist(w, dec, n, (uint32_t)target, (int32_t)wmin, st, rk);
		for (size_t i = 0; !rc && i < n; i++) {
			if (i == me) {
				rc = kw_audit_put(
				        tx, err, "interview_shortlist_entries",
				        "interview.shortlist.decline",
				        json_pack("{s:I}", "shortlist_id", (json_int_t)j->id), NULL,
				        "UPDATE interview_shortlist_entries SET state = "
				        "'declined', "
				        "decline_reason = $1, declined_at = $2, updated_at = $2 "
				        "WHERE id = $3",
				        "tti", j->reason, ts, ids[i]);
			} else if (st[i] != old[i]) {
				if (st[i] == KW_IV_ADMITTED)
					json_array_append_new(j->admitted_now, json_string(tk[i]));
				rc = kw_audit_put(tx, err, "interview_shortlist_entries",
				                  "interview.shortlist.replace",
				                  json_pack("{s:I, s:s}", "shortlist_id",
				                            (json_int_t)j->id, "for", tk[me]),
				                  NULL,
				                  "UPDATE interview_shortlist_entries SET state = "
				                  "$1, updated_at = $2 "
				                  "WHERE id = $3",
				                  "tti", state_name(st[i]), ts, ids[i]);
			}
		}
		free(st);
		free(rk);
	}
	for (size_t i = 0; i < n; i++)
		free(tk[i]);
	free(tk);
	free(ids);
	free(w);
	free(old);
	free(dec);
	return rc;
}

int kw_interview_shortlist_decline(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t id, const json_t *body,
                                   json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        {"registration_id", KW_JINTEGER, KW_JREQUIRED, 1, INT32_MAX},
	        KW_JSTR("reason", 500, KW_JREQUIRED),
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof fields[0], err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *o = NULL;
	rc = shortlist_load(c, s, "interview.manage", id, 0, &o, NULL, err);
	kw_pool_put(app->pool, c);
	json_decref(o);
	struct decline_job j = {id, json_integer_value(json_object_get(body, "registration_id")),
	                        json_string_value(json_object_get(body, "reason")), json_array()};
	if (!rc)
		rc = kw_writer_run(app->writer, decline_write, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = shortlist_load(c, NULL, NULL, id, 1, out, NULL, err);
		kw_pool_put(app->pool, c);
	}
	if (!rc)
		json_object_set(*out, "admitted_now", j.admitted_now);
	json_decref(j.admitted_now);
	return rc;
}

int kw_interview_public_shortlists(struct kw_app *app, int64_t exam, json_t **out,
                                   struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	json_t *positions = json_array();
	int rc = kw_exam_ref_public(c, exam, &e, err);
	struct kw_stmt *q = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT l.id, p.code, p.name, l.quota, l.ratio, l.published_at, "
		        "e.ticket_no, e.masked_name, e.written, e.place FROM "
		        "interview_shortlists l JOIN positions p ON p.id = l.position_id "
		        "JOIN interview_shortlist_entries e ON e.shortlist_id = l.id AND "
		        "e.state = 'admitted' WHERE l.exam_id = $1 AND l.status = "
		        "'published' ORDER BY p.code, l.id, e.place, e.ticket_no",
		        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		int64_t last = 0;
		json_t *cur = NULL;
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			if (kw_stmt_column_int64(q, 0) != last) {
				last = kw_stmt_column_int64(q, 0);
				cur = json_pack("{s:s, s:s, s:I, s:s, s:s, s:[]}", "position_code",
				                kw_stmt_column_text(q, 1, NULL), "position_name",
				                kw_stmt_column_text(q, 2, NULL), "quota",
				                (json_int_t)kw_stmt_column_int64(q, 3), "ratio",
				                kw_stmt_column_text(q, 4, NULL), "published_at",
				                kw_stmt_column_text(q, 5, NULL), "candidates");
				json_array_append_new(positions, cur);
			}
			json_t *cands = json_object_get(cur, "candidates");
			json_array_append_new(
			        cands, json_pack("{s:s, s:s, s:o, s:I}", "ticket_no",
			                         kw_stmt_column_text(q, 6, NULL), "name",
			                         kw_stmt_column_text(q, 7, NULL), "written",
			                         score_json(kw_stmt_column_int64(q, 8)), "rank",
			                         (json_int_t)kw_stmt_column_int64(q, 9)));
			json_object_set(
			        cur, "cut",
			        json_object_get(json_array_get(cands, json_array_size(cands) - 1),
			                        "written"));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(positions);
		return rc;
	}
	*out = json_pack("{s:{s:I, s:s, s:s}, s:o}", "exam", "id", (json_int_t)e.id, "code", e.code,
	                 "name", e.name, "positions", positions);
	return 0;
}

/* ---- panels ---- */

enum duty { D_CHIEF, D_DEPUTY, D_EXAMINER, D_SUPERVISOR, D_SCORER, D_TIMER, D_GUIDE, D_N };
static const char *const duties[D_N] = {"chief",  "deputy", "examiner", "supervisor",
                                        "scorer", "timer",  "guide"};

struct member {
	int64_t staff;
	int duty, agency;
};

/* What checking a panel needs once per request: the exam, its settings, the connection, and
 * the units' parents met so far (an import's 6,000 panels walk the same few chains). */
struct unit_up {
	int64_t unit, parent;
};

struct panel_env {
	struct kw_conn *c;
	int64_t exam;
	struct settings st;
	struct unit_up *up; /* by unit */
	size_t nup, capup;
	int tx; /* c in a read transaction of its own (an import's checks: one snapshot) */
};

static int cmp_unit_up(const void *a, const void *b)
{
	const struct unit_up *x = a, *y = b;
	return (x->unit > y->unit) - (x->unit < y->unit);
}

/* The unit u and its ancestors (within 32 steps) into chain; *n their number. */
static int unit_chain(struct panel_env *v, int64_t u, int64_t chain[32], size_t *n,
                      struct kw_err *err)
{
	*n = 0;
	struct kw_stmt *q = NULL;
	int rc = 0;
	while (!rc && u && *n < 32) {
		chain[(*n)++] = u;
		struct unit_up key = {u, 0};
		const struct unit_up *hit =
		        v->nup ? bsearch(&key, v->up, v->nup, sizeof key, cmp_unit_up) : NULL;
		if (hit) {
			u = hit->parent;
			continue;
		}
		int64_t parent = 0;
		if (!q)
			rc = kw_conn_prepare(
			        v->c, "SELECT COALESCE(parent_id, 0) FROM units WHERE id = $1", &q,
			        err);
		if (rc)
			break;
		kw_stmt_reset(q);
		kw_stmt_bind_int64(q, 1, u);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW)
			parent = kw_stmt_column_int64(q, 0);
		rc = kw_step_ok(rc);
		if (!rc) {
			/* kept in unit order */
			if (v->nup == v->capup)
				v->up = kw_xrealloc(v->up,
				                    (v->capup = v->capup ? 2 * v->capup : 64) *
				                            sizeof *v->up);
			size_t at = v->nup;
			while (at && v->up[at - 1].unit > u)
				at--;
			memmove(&v->up[at + 1], &v->up[at], (v->nup - at) * sizeof *v->up);
			v->up[at] = (struct unit_up){u, parent};
			v->nup++;
		}
		u = parent;
	}
	kw_stmt_finalize(q);
	return rc;
}

/* The members' staff records: examiners must be qualified staff of post "examiner"; agency
 * flags set against the positions' recruiters (an examiner whose unit is one of them, or
 * under one). */
static int check_members(struct panel_env *v, struct member *m, size_t n, const int64_t *recruiters,
                         size_t nrec, struct kw_err *err)
{
	struct kw_conn *c = v->c;
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT f.unit_id, f.post, f.status, CASE WHEN EXISTS (SELECT 1 FROM "
	        "trainings t WHERE t.staff_id = f.id AND t.result = 'passed' AND "
	        "t.assessment = 'passed') THEN 1 ELSE 0 END FROM staff f WHERE f.id = $1",
	        &q, err);
	for (size_t i = 0; !rc && i < n; i++) {
		int found = 0, qualified = 0;
		int64_t unit = 0;
		char post[32] = "", status[16] = "";
		kw_stmt_reset(q);
		kw_stmt_bind_int64(q, 1, m[i].staff);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			found = 1;
			unit = kw_stmt_column_int64(q, 0);
			snprintf(post, sizeof post, "%s", kw_stmt_column_text(q, 1, NULL));
			snprintf(status, sizeof status, "%s", kw_stmt_column_text(q, 2, NULL));
			qualified = (int)kw_stmt_column_int64(q, 3);
		}
		rc = kw_step_ok(rc);
		if (rc)
			break;
		if (!found) {
			rc = kw_err_invalid(err, "members", "unknown_staff");
			kw_err_detail(err, "staff_id", json_integer((json_int_t)m[i].staff));
			break;
		}
		int examiner = m[i].duty <= D_EXAMINER;
		if (strcmp(status, "active") != 0 ||
		    (examiner && (strcmp(post, "examiner") != 0 || !qualified))) {
			kw_err_set(err, KW_ERULE, "EXAMINER_NOT_QUALIFIED", "INT-2",
			           "an examiner must be an active, trained and assessed examiner");
			kw_err_detail(err, "staff_id", json_integer((json_int_t)m[i].staff));
			rc = KW_ERULE;
			break;
		}
		int64_t chain[32];
		size_t nc = 0;
		if (examiner && nrec)
			rc = unit_chain(v, unit, chain, &nc, err);
		for (size_t k = 0; !rc && k < nc && !m[i].agency; k++)
			for (size_t r = 0; r < nrec && !m[i].agency; r++)
				m[i].agency = chain[k] == recruiters[r];
	}
	kw_stmt_finalize(q);
	return rc;
}

/* SEC-3: members who are, or declared a relative who is, on one of the shortlists lists[0..nl)
 * into hit (their staff ids). The lists' identity numbers are read and each member's own and
 * relatives' numbers looked up among them (a join from staff to candidates by number has no
 * index to use: candidates are unique by type and number); statements of fixed text, so that
 * an import's thousands of panels reuse them prepared. */
static int recusals(struct kw_conn *c, const int64_t *lists, size_t nl, const struct member *m,
                    size_t n, json_t *hit, struct kw_err *err)
{
	size_t nn = 0, cap = 64;
	char **num = kw_xmalloc(cap * sizeof *num);
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT d.id_number FROM interview_shortlist_entries e JOIN "
	                         "registrations r ON r.id = e.registration_id JOIN candidates d ON "
	                         "d.id = r.candidate_id WHERE e.shortlist_id = $1",
	                         &q, err);
	for (size_t l = 0; !rc && l < nl; l++) {
		kw_stmt_reset(q);
		kw_stmt_bind_int64(q, 1, lists[l]);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			if (nn == cap)
				num = kw_xrealloc(num, (cap *= 2) * sizeof *num);
			num[nn++] = kw_xstrdup(kw_stmt_column_text(q, 0, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	q = NULL;
	qsort(num, nn, sizeof *num, kw_cmp_strp);
	if (!rc && nn)
		rc = kw_conn_prepare(c,
		                     "SELECT UPPER(f.id_number) FROM staff f WHERE f.id = $1 AND "
		                     "f.id_number IS NOT NULL UNION ALL SELECT "
		                     "UPPER(s.relative_id_number) FROM staff_relations s WHERE "
		                     "s.staff_id = $1",
		                     &q, err);
	for (size_t i = 0; !rc && nn && i < n; i++) {
		int found = 0;
		kw_stmt_reset(q);
		kw_stmt_bind_int64(q, 1, m[i].staff);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			const char *key = kw_stmt_column_text(q, 0, NULL);
			found |= key && bsearch(&key, num, nn, sizeof *num, kw_cmp_strp) != NULL;
		}
		rc = kw_step_ok(rc);
		if (!rc && found)
			json_array_append_new(hit, json_integer((json_int_t)m[i].staff));
	}
	kw_stmt_finalize(q);
	for (size_t i = 0; i < nn; i++)
		free(num[i]);
	free(num);
	return rc;
}

/* ---- formats (INT-5): data/rules/interview_formats.json ---- */

static json_t *g_formats;
static pthread_once_t g_formats_once = PTHREAD_ONCE_INIT;

static void formats_load(void)
{
	const struct kw_embedded *e = kw_embedded_find("interview_formats.json");
	g_formats = e ? json_loadb(e->data, e->len, 0, NULL) : NULL;
}

/* The format called name ("structured", …), or NULL. */
static const json_t *format_get(const char *name)
{
	pthread_once(&g_formats_once, formats_load);
	return name && *name != '_' ? json_object_get(g_formats, name) : NULL;
}

/*
 * A scoring sheet from its JSON form [{name, max ("20.5"), weight?}] into the stored form
 * (max in hundredths; weight per cent, default 100); field names the request's field.
 */
static int sheet_parse(const json_t *dj, const char *field, json_t **out, struct kw_err *err)
{
	json_t *dims = json_array();
	size_t nd = json_array_size(dj);
	for (size_t i = 0; i < nd; i++) {
		json_t *x = json_array_get(dj, i);
		const char *name = json_string_value(json_object_get(x, "name"));
		int64_t max = kw_score_parse(json_string_value(json_object_get(x, "max")));
		json_t *w = json_object_get(x, "weight");
		if (!name || !*name || strlen(name) > 60 || max <= 0 || max > 100000 ||
		    (w && (!json_is_integer(w) || json_integer_value(w) < 0 ||
		           json_integer_value(w) > 100))) {
			json_decref(dims);
			return kw_err_invalid(err, field, "format");
		}
		json_array_append_new(dims, json_pack("{s:s, s:I, s:I}", "name", name, "max",
		                                      (json_int_t)max, "weight",
		                                      w ? json_integer_value(w) : 100));
	}
	if (!nd || nd > 20) {
		json_decref(dims);
		return kw_err_invalid(err, field, nd ? "too_many" : "too_short");
	}
	*out = dims;
	return 0;
}

/* A stored sheet as the API shows it: max as a score string. Takes dims. */
static json_t *sheet_json(json_t *dims)
{
	json_t *dj;
	size_t k;
	json_array_foreach(dims, k, dj) json_object_set_new(
	        dj, "max", score_json(json_integer_value(json_object_get(dj, "max"))));
	return dims;
}

/* code, starts_at, format and brief are the request's (or static); positions, dims and m
 * owned (panel_free). */
struct panel_job {
	int64_t exam, examiners, agency, id, group_size;
	const char *code, *starts_at;
	char *positions;
	const char *format;
	char *dims;
	const char *brief;
	struct member *m;
	size_t n;
	const json_t *pj;  /* the request's positions */
	size_t count[D_N]; /* members by duty */
};

static void panel_free(void *p)
{
	struct panel_job *j = p;
	if (!j)
		return;
	free(j->positions);
	free(j->dims);
	free(j->m);
	free(j);
}

/* Has the exam a panel of this code? */
static int panel_exists(struct kw_conn *c, int64_t exam, const char *code, int *exists,
                        struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	*exists = 0;
	int rc = kw_conn_prepare(
	        c, "SELECT id FROM interview_panels WHERE exam_id = $1 AND code = $2", &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		kw_stmt_bind_textz(q, 2, code);
		rc = kw_stmt_step(q, err);
		*exists = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

/* The members of panel j (its id set) with q (kw_audit_prepare'd below), their audited rows
 * into rows[0..j->n). */
static int members_insert(struct kw_stmt *q, const struct panel_job *j, const char *ts,
                          struct kw_batch_row *rows, struct kw_err *err)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < j->n; i++) {
		kw_stmt_reset(q);
		kw_stmt_bind_int64(q, 1, j->id);
		kw_stmt_bind_int64(q, 2, j->m[i].staff);
		kw_stmt_bind_textz(q, 3, duties[j->m[i].duty]);
		kw_stmt_bind_int64(q, 4, (int64_t)j->m[i].agency);
		kw_stmt_bind_textz(q, 5, ts);
		rc = audited_row(q, "interview_panel_members", &rows[i], err);
	}
	return rc;
}

#define MEMBERS_INSERT                                                                             \
	"INSERT INTO interview_panel_members (panel_id, staff_id, duty, agency, created_at) "      \
	"VALUES ($1, $2, $3, $4, $5)"

static int panel_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct panel_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	struct kw_stmt *q = NULL;
	int exists = 0;
	int rc = panel_exists(tx->conn, j->exam, j->code, &exists, err);
	if (!rc && exists)
		return kw_err_set(err, KW_ECONFLICT, "PANEL_EXISTS", NULL,
		                  "this exam already has a panel with that code");
	if (!rc)
		rc = kw_audit_put(tx, err, "interview_panels", "interview.panel.create",
		                  json_pack("{s:I, s:I}", "exam_id", (json_int_t)j->exam,
		                            "examiners", (json_int_t)j->examiners),
		                  &j->id,
		                  "INSERT INTO interview_panels (exam_id, code, starts_at, "
		                  "positions, examiners, agency_examiners, created_by, "
		                  "created_at, updated_at, format, group_size, dimensions, brief) "
		                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12)",
		                  "itttiiittntt", j->exam, j->code, j->starts_at, j->positions,
		                  j->examiners, j->agency, tx->actor->id, ts, j->format,
		                  j->group_size, j->dims, j->brief);
	/* the members: one batch record (a season forms 6,000 panels of ten) */
	struct kw_batch_row *rows = kw_xcalloc(j->n + 1, sizeof *rows);
	q = NULL;
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "interview_panel_members", &q, err, "%s",
		                      MEMBERS_INSERT);
	if (!rc)
		rc = members_insert(q, j, ts, rows, err);
	kw_stmt_finalize(q);
	if (!rc) {
		json_t *d = json_pack("{s:I}", "panel_id", (json_int_t)j->id);
		rc = kw_audit_append_batch(tx, "interview.panel.member", "interview_panel_members",
		                           rows, j->n, d, err);
		json_decref(d);
	}
	free(rows);
	return rc;
}

/* A panel's format, group size, own sheet (null: the day's) and brief from columns i..i+3. */
static void format_fields(json_t *o, struct kw_stmt *q, int i)
{
	const char *f =
	        kw_stmt_column_is_null(q, i) ? "structured" : kw_stmt_column_text(q, i, NULL);
	const json_t *fmt = format_get(f);
	json_object_set_new(o, "format", json_string(f));
	json_object_set_new(o, "format_name",
	                    json_pack("{s:s?, s:s?}", "zh",
	                              json_string_value(json_object_get(fmt, "zh")), "en",
	                              json_string_value(json_object_get(fmt, "en"))));
	json_object_set_new(o, "group_size",
	                    kw_stmt_column_is_null(q, i + 1)
	                            ? json_null()
	                            : json_integer(kw_stmt_column_int64(q, i + 1)));
	json_object_set_new(
	        o, "dimensions",
	        kw_stmt_column_is_null(q, i + 2)
	                ? json_null()
	                : sheet_json(json_loads(kw_stmt_column_text(q, i + 2, NULL), 0, NULL)));
	json_object_set_new(o, "brief",
	                    kw_stmt_column_is_null(q, i + 3)
	                            ? json_null()
	                            : json_string(kw_stmt_column_text(q, i + 3, NULL)));
}

static int panel_json(struct kw_conn *c, int64_t id, int members, json_t **out, int64_t *exam,
                      int64_t *starts_us, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	json_t *o = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, exam_id, code, starts_at, positions, examiners, "
	                         "agency_examiners, format, group_size, dimensions, brief FROM "
	                         "interview_panels WHERE id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			*exam = kw_stmt_column_int64(q, 1);
			if (kw_clock_parse(kw_stmt_column_text(q, 3, NULL), starts_us))
				*starts_us = 0;
			o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:I, s:I}", "id", (json_int_t)id,
			              "exam_id", (json_int_t)*exam, "code",
			              kw_stmt_column_text(q, 2, NULL), "starts_at",
			              kw_stmt_column_text(q, 3, NULL), "positions",
			              json_loads(kw_stmt_column_text(q, 4, NULL), 0, NULL),
			              "examiners", (json_int_t)kw_stmt_column_int64(q, 5),
			              "agency_examiners", (json_int_t)kw_stmt_column_int64(q, 6));
			format_fields(o, q, 7);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !o)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such panel");
	if (!rc && members) {
		json_t *items = json_array();
		q = NULL;
		rc = kw_conn_prepare(c,
		                     "SELECT m.staff_id, f.code, f.name, m.duty, m.agency FROM "
		                     "interview_panel_members m JOIN staff f ON f.id = m.staff_id "
		                     "WHERE m.panel_id = $1 ORDER BY m.id",
		                     &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, id);
			while ((rc = kw_stmt_step(q, err)) == KW_ROW)
				json_array_append_new(
				        items,
				        json_pack("{s:I, s:s, s:s, s:s, s:b}", "staff_id",
				                  (json_int_t)kw_stmt_column_int64(q, 0), "code",
				                  kw_stmt_column_text(q, 1, NULL), "name",
				                  kw_stmt_column_text(q, 2, NULL), "duty",
				                  kw_stmt_column_text(q, 3, NULL), "agency",
				                  (int)kw_stmt_column_int64(q, 4)));
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(q);
		json_object_set_new(o, "members", items);
	}
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

static int panel_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	struct panel_job *j = arg;
	int64_t ex, su;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = panel_json(c, j->id, 0, out, &ex, &su, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* The checks of a panel (the body of POST …/interview_panels, or an import's row) that need no
 * database: *out the job, its counts and agency flags still to be filled by panel_verify. */
static int panel_parse(int64_t exam, const json_t *body, struct panel_job **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("code", 40, KW_JREQUIRED),
	        KW_JSTR("starts_at", 40, KW_JREQUIRED),
	        {"positions", KW_JARRAY, KW_JREQUIRED, 1, 100},
	        {"members", KW_JARRAY, KW_JREQUIRED, 1, 60},
	        KW_JSTR("format", 24, 0),
	        {"group_size", KW_JINTEGER, 0, 0, 0},
	        {"dimensions", KW_JARRAY, 0, 1, 20},
	        KW_JSTR("brief", 2000, 0),
	};
	if (!json_is_object(body))
		return kw_err_invalid(err, "panels", "type");
	int rc = kw_json_check(body, fields, sizeof fields / sizeof fields[0], err);
	if (rc)
		return rc;
	/* the format (INT-5): its sheet, and for a group format how many sit together */
	const char *format = json_string_value(json_object_get(body, "format"));
	const json_t *fmt = format_get(format ? format : "structured");
	if (!fmt)
		return kw_err_invalid(err, "format", "unknown");
	format = format ? format : "structured";
	json_t *gj = json_object_get(body, "group_size");
	int64_t gmin = json_integer_value(json_object_get(fmt, "group_min")),
	        gmax = json_integer_value(json_object_get(fmt, "group_max")),
	        group = gj ? json_integer_value(gj) : 0;
	if (!gmax && gj)
		return kw_err_invalid(err, "group_size", "not_a_group_format");
	if (gmax && !gj)
		return kw_err_invalid(err, "group_size", "required");
	if (gmax && (group < gmin || group > gmax)) {
		kw_err_set(err, KW_ERULE, "INTERVIEW_GROUP_SIZE", "INT-5",
		           "a group of this format seats %lld to %lld candidates", (long long)gmin,
		           (long long)gmax);
		kw_err_detail(err, "min", json_integer((json_int_t)gmin));
		kw_err_detail(err, "max", json_integer((json_int_t)gmax));
		return KW_ERULE;
	}
	json_t *sheet = NULL;
	if (json_object_get(body, "dimensions"))
		rc = sheet_parse(json_object_get(body, "dimensions"), "dimensions", &sheet, err);
	else if (strcmp(format, "structured") != 0)
		rc = sheet_parse(json_object_get(fmt, "sheet"), "format", &sheet, err);
	if (rc)
		return rc;
	char *sheet_text = sheet ? json_dumps(sheet, JSON_COMPACT) : NULL;
	json_decref(sheet);
	int64_t starts;
	const char *starts_at = json_string_value(json_object_get(body, "starts_at"));
	if (kw_clock_parse(starts_at, &starts)) {
		free(sheet_text);
		return kw_err_invalid(err, "starts_at", "format");
	}
	json_t *pj = json_object_get(body, "positions"), *mj = json_object_get(body, "members");
	size_t np = json_array_size(pj), n = json_array_size(mj);
	struct member *m = kw_xmalloc(n * sizeof *m);
	size_t count[D_N] = {0};
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *x = json_array_get(mj, i);
		json_t *sid = json_object_get(x, "staff_id");
		const char *d = json_string_value(json_object_get(x, "duty"));
		m[i] = (struct member){json_is_integer(sid) ? json_integer_value(sid) : 0, -1, 0};
		for (int k = 0; d && k < D_N; k++)
			if (strcmp(d, duties[k]) == 0)
				m[i].duty = k;
		if (m[i].staff <= 0 || m[i].duty < 0)
			rc = kw_err_invalid(err, "members", m[i].staff <= 0 ? "staff_id" : "duty");
		for (size_t k = 0; !rc && k < i; k++)
			if (m[k].staff == m[i].staff)
				rc = kw_err_invalid(err, "members", "duplicate");
		if (!rc)
			count[m[i].duty]++;
	}
	for (size_t i = 0; !rc && i < np; i++)
		if (!json_is_integer(json_array_get(pj, i)))
			rc = kw_err_invalid(err, "positions", "type");
	if (rc) {
		free(sheet_text);
		free(m);
		return rc;
	}
	struct panel_job *j = kw_xmalloc(sizeof *j);
	*j = (struct panel_job){.exam = exam,
	                        .group_size = group,
	                        .code = json_string_value(json_object_get(body, "code")),
	                        .starts_at = starts_at,
	                        .positions = json_dumps(pj, JSON_COMPACT),
	                        .format = format,
	                        .dims = sheet_text,
	                        .brief = json_string_value(json_object_get(body, "brief")),
	                        .m = m,
	                        .n = n,
	                        .pj = pj};
	memcpy(j->count, count, sizeof count);
	*out = j;
	return 0;
}

/* The exam's and settings' part of a panel's checks (v loaded by panel_env_load): duties, the
 * size, the positions and their shortlists, the members' qualifications, the agency minority
 * and recusal (SEC-3); j's examiners and agency set. */
static int panel_verify(struct panel_env *v, struct panel_job *j, struct kw_err *err)
{
	struct kw_conn *c = v->c;
	const size_t *count = j->count;
	struct member *m = j->m;
	size_t n = j->n, np = json_array_size(j->pj);
	size_t examiners = count[D_CHIEF] + count[D_DEPUTY] + count[D_EXAMINER];
	int rc = 0;
	if (count[D_CHIEF] != 1 || count[D_DEPUTY] != 1 || count[D_SUPERVISOR] != 1 ||
	    count[D_SCORER] != 1 || count[D_TIMER] != 1)
		return kw_err_set(
		        err, KW_ERULE, "PANEL_DUTIES", "INT-2",
		        "a panel has one chief, one deputy, one supervisor, one scorer and "
		        "one timer");
	if (!kw_iv_panel_size_ok(examiners, (size_t)v->st.panel_min)) {
		kw_err_set(err, KW_ERULE, "PANEL_SIZE", "INT-2",
		           "a panel has an odd number of examiners, at least %lld",
		           (long long)v->st.panel_min);
		kw_err_detail(err, "examiners", json_integer((json_int_t)examiners));
		kw_err_detail(err, "min", json_integer((json_int_t)v->st.panel_min));
		return KW_ERULE;
	}
	/* the positions: this exam's, each with a shortlist; their recruiters */
	int64_t *rec = kw_xmalloc((np + 1) * sizeof *rec),
	        *lists = kw_xmalloc((np + 1) * sizeof *lists);
	struct kw_stmt *q = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT p.recruiter_id, (SELECT l.id FROM interview_shortlists l "
	                     "WHERE l.position_id = p.id) FROM positions p WHERE p.id = $1 AND "
	                     "p.exam_id = $2",
	                     &q, err);
	for (size_t i = 0; !rc && i < np; i++) {
		int64_t list = 0;
		int found = 0;
		kw_stmt_reset(q);
		kw_stmt_bind_int64(q, 1, json_integer_value(json_array_get(j->pj, i)));
		kw_stmt_bind_int64(q, 2, v->exam);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			found = 1;
			rec[i] = kw_stmt_column_int64(q, 0);
			list = kw_stmt_column_is_null(q, 1) ? 0 : kw_stmt_column_int64(q, 1);
		}
		rc = kw_step_ok(rc);
		if (!rc && !found) {
			rc = kw_err_invalid(err, "positions", "not_in_exam");
			kw_err_detail(err, "position_id",
			              json_integer(json_integer_value(json_array_get(j->pj, i))));
		}
		if (!rc && !list)
			rc = kw_err_set(
			        err, KW_ECONFLICT, "PANEL_NO_SHORTLIST", "SEC-3",
			        "a panel's positions need their shortlists first (recusal is "
			        "checked against them)");
		lists[i] = list;
	}
	kw_stmt_finalize(q);
	if (!rc)
		rc = check_members(v, m, n, rec, np, err);
	size_t agency = 0;
	for (size_t i = 0; i < n; i++)
		agency += m[i].agency;
	if (!rc && v->st.agency_minority && !kw_iv_agency_minority_ok(agency, examiners)) {
		kw_err_set(err, KW_ERULE, "PANEL_AGENCY_MAJORITY", "INT-2",
		           "the recruiting agency's examiners must be fewer than half the panel");
		kw_err_detail(err, "agency_examiners", json_integer((json_int_t)agency));
		rc = KW_ERULE;
	}
	json_t *hit = json_array();
	if (!rc)
		rc = recusals(c, lists, np, m, n, hit, err);
	if (!rc && json_array_size(hit)) {
		kw_err_set(err, KW_ERULE, "PANEL_RECUSAL", "SEC-3",
		           "a member must recuse: they or a declared relative are on the panel's "
		           "shortlists");
		kw_err_detail(err, "staff_ids", json_incref(hit));
		rc = KW_ERULE;
	}
	json_decref(hit);
	free(lists);
	free(rec);
	j->examiners = (int64_t)examiners;
	j->agency = (int64_t)agency;
	return rc;
}

/* v for exam as s may manage its interviews: the connection (the pool's, until
 * panel_env_release), the exam's settings. */
static int panel_env_load(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                          struct panel_env *v, struct kw_err *err)
{
	struct kw_exam_ref e;
	*v = (struct panel_env){.c = kw_pool_get(app->pool), .exam = exam};
	int rc = kw_exam_ref_load(v->c, s, "interview.manage", exam, &e, err);
	if (!rc)
		rc = settings_load(v->c, exam, &v->st, err);
	return rc;
}

static void panel_env_release(struct kw_app *app, struct panel_env *v)
{
	if (v->c && v->tx)
		kw_conn_rollback(v->c); /* it only read */
	if (v->c)
		kw_pool_put(app->pool, v->c);
	free(v->up);
	*v = (struct panel_env){0};
}

int kw_interview_panel_create_op(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                                 const json_t *body, struct kw_op *op, struct kw_err *err)
{
	struct panel_job *j = NULL;
	struct panel_env v = {0};
	int rc = panel_parse(exam, body, &j, err);
	if (!rc)
		rc = panel_env_load(app, s, exam, &v, err);
	if (!rc)
		rc = panel_verify(&v, j, err);
	panel_env_release(app, &v);
	if (rc) {
		panel_free(j);
		return rc;
	}
	*op = (struct kw_op){panel_write, panel_answer, panel_free, j, 201, NULL};
	return 0;
}

int kw_interview_panel_create(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const json_t *body,
                              json_t **out, struct kw_err *err)
{
	struct kw_op op;
	int rc = kw_interview_panel_create_op(app, s, exam, body, &op, err);
	return rc ? rc : kw_op_run(app, actor, &op, out, err);
}

/* ---- an import of panels: a season's schedule in one request ---- */

struct import_job {
	int64_t exam;
	struct panel_job **p;
	size_t n;
};

static void import_free(void *arg)
{
	struct import_job *j = arg;
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		panel_free(j->p[i]);
	free(j->p);
	free(j);
}

/* Row i's problem (e: its error as the single route would answer it) into rows. */
static void row_problem(json_t *rows, size_t i, const char *code, const struct kw_err *e)
{
	json_array_append_new(rows,
	                      json_pack("{s:I, s:o, s:s, s:o, s:o}", "row", (json_int_t)i,
	                                "panel_code", code ? json_string(code) : json_null(),
	                                "code", e->code ? e->code : "INTERNAL", "rule",
	                                e->rule ? json_string(e->rule) : json_null(), "details",
	                                e->details ? json_incref(e->details) : json_object()));
}

/* A panel's code and its row, to find codes given twice. */
struct code_row {
	const char *code;
	size_t row;
};

static int cmp_code_row(const void *a, const void *b)
{
	const struct code_row *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* PANEL_IMPORT_INVALID with rows (taken). */
static int import_invalid(json_t *rows, struct kw_err *err)
{
	size_t n = json_array_size(rows);
	kw_err_set(err, KW_ERULE, "PANEL_IMPORT_INVALID", NULL,
	           "%zu panels have problems; none was created", n);
	kw_err_detail(err, "count", json_integer((json_int_t)n));
	kw_err_detail(err, "rows", rows);
	return KW_ERULE;
}

/* The codes of j's panels [from, to) the exam has already: PANEL_EXISTS into prob[row] (rows
 * without a problem yet). */
static int codes_taken(struct kw_conn *c, const struct import_job *j, size_t from, size_t to,
                       json_t **prob, struct kw_err *err)
{
	int rc = 0;
	for (size_t i = from; !rc && i < to; i++) {
		int exists = 0;
		if (!j->p[i] || prob[i] ||
		    (rc = panel_exists(c, j->exam, j->p[i]->code, &exists, err)) || !exists)
			continue;
		struct kw_err e = KW_ERR_INIT;
		kw_err_set(&e, KW_ECONFLICT, "PANEL_EXISTS", NULL,
		           "this exam already has a panel with that code");
		prob[i] = json_array();
		row_problem(prob[i], i, j->p[i]->code, &e);
		kw_err_release(&e);
	}
	return rc;
}

/* The problems of prob[0..n) in row order (each freed): an array. */
static json_t *problems_in_order(json_t **prob, size_t n)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		if (prob[i]) {
			json_array_extend(rows, prob[i]);
			json_decref(prob[i]);
			prob[i] = NULL;
		}
	return rows;
}

/* Every panel and its members, all or nothing: the panels one batch audit record, their
 * members another (as a single panel's members are). */
static int import_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct import_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	json_t **prob = kw_xcalloc(j->n + 1, sizeof *prob);
	int rc = codes_taken(tx->conn, j, 0, j->n, prob, err);
	json_t *rows = problems_in_order(prob, j->n);
	free(prob);
	if (!rc && json_array_size(rows))
		return import_invalid(rows, err);
	json_decref(rows);
	size_t nm = 0;
	for (size_t i = 0; i < j->n; i++)
		nm += j->p[i]->n;
	struct kw_batch_row *prow = kw_xcalloc(j->n + 1, sizeof *prow),
	                    *mrow = kw_xcalloc(nm + 1, sizeof *mrow);
	struct kw_stmt *ins = NULL, *mem = NULL;
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "interview_panels", &ins, err,
		                      "INSERT INTO interview_panels (exam_id, code, starts_at, "
		                      "positions, examiners, agency_examiners, created_by, "
		                      "created_at, updated_at, format, group_size, dimensions, "
		                      "brief) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, "
		                      "$11, $12)");
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "interview_panel_members", &mem, err, "%s",
		                      MEMBERS_INSERT);
	size_t at = 0;
	for (size_t i = 0; !rc && i < j->n; i++) {
		struct panel_job *p = j->p[i];
		kw_stmt_reset(ins);
		kw_stmt_bind_int64(ins, 1, j->exam);
		kw_stmt_bind_textz(ins, 2, p->code);
		kw_stmt_bind_textz(ins, 3, p->starts_at);
		kw_stmt_bind_textz(ins, 4, p->positions);
		kw_stmt_bind_int64(ins, 5, p->examiners);
		kw_stmt_bind_int64(ins, 6, p->agency);
		kw_stmt_bind_int64(ins, 7, tx->actor->id);
		kw_stmt_bind_textz(ins, 8, ts);
		kw_stmt_bind_textz(ins, 9, p->format);
		if (p->group_size)
			kw_stmt_bind_int64(ins, 10, p->group_size);
		else
			kw_stmt_bind_null(ins, 10);
		kw_stmt_bind_textz(ins, 11, p->dims);
		kw_stmt_bind_textz(ins, 12, p->brief);
		rc = audited_row(ins, "interview_panels", &prow[i], err);
		if (!rc) {
			p->id = prow[i].id;
			rc = members_insert(mem, p, ts, &mrow[at], err);
			at += p->n;
		}
	}
	kw_stmt_finalize(ins);
	kw_stmt_finalize(mem);
	if (!rc) {
		json_t *d = json_pack("{s:I, s:I}", "exam_id", (json_int_t)j->exam, "panels",
		                      (json_int_t)j->n);
		rc = kw_audit_append_batch(tx, "interview.panel.import", "interview_panels", prow,
		                           j->n, d, err);
		if (!rc)
			rc = kw_audit_append_batch(tx, "interview.panel.member",
			                           "interview_panel_members", mrow, nm, d, err);
		json_decref(d);
	}
	free(prow);
	free(mrow);
	return rc;
}

static int import_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	struct import_job *j = arg;
	(void)app;
	(void)err;
	json_t *items = json_array();
	for (size_t i = 0; i < j->n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s}", "id", (json_int_t)j->p[i]->id,
		                                       "code", j->p[i]->code));
	*out = json_pack("{s:I, s:o}", "created", (json_int_t)j->n, "items", items);
	return 0;
}

/* Rows [from, to) of an import checked as the single route checks a panel, on a connection and
 * read transaction of their own (one snapshot; SQLite takes its locks once, not per
 * statement): jobs into j->p, problems into prob, the codes the exam has included; a failure
 * of the database (not a row's problem) into rc and err. */
struct check_part {
	struct kw_app *app;
	const struct kw_session_info *s;
	const json_t *pj;
	struct import_job *j;
	json_t **prob;
	size_t from, to;
	int rc;
	struct kw_err err;
};

static void *check_part_main(void *arg)
{
	struct check_part *x = arg;
	struct import_job *j = x->j;
	struct panel_env v = {0};
	x->rc = panel_env_load(x->app, x->s, j->exam, &v, &x->err);
	if (!x->rc) {
		x->rc = kw_conn_exec(v.c, "BEGIN", &x->err);
		v.tx = !x->rc;
	}
	for (size_t i = x->from; !x->rc && i < x->to; i++) {
		const json_t *row = json_array_get(x->pj, i);
		struct kw_err e = KW_ERR_INIT;
		int r = panel_parse(j->exam, row, &j->p[i], &e);
		if (!r)
			r = panel_verify(&v, j->p[i], &e);
		if (r == KW_ESTORE || r == KW_EINTERNAL || r == KW_EUNAVAILABLE || r == KW_EBUSY ||
		    r == KW_EFULL) {
			x->err = e; /* the database failed: not the row's problem */
			x->rc = r;
			break;
		}
		if (r) {
			x->prob[i] = json_array();
			row_problem(x->prob[i], i, json_string_value(json_object_get(row, "code")),
			            &e);
			panel_free(j->p[i]);
			j->p[i] = NULL;
		}
		kw_err_release(&e);
	}
	if (!x->rc)
		x->rc = codes_taken(v.c, j, x->from, x->to, x->prob, &x->err);
	panel_env_release(x->app, &v);
	return NULL;
}

enum { IMPORT_SPLIT = 256 }; /* an import of more panels is checked by two threads */

int kw_interview_panels_import_op(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                                  const json_t *body, struct kw_op *op, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        {"panels", KW_JARRAY, KW_JREQUIRED, 1, KW_IV_IMPORT_MAX},
	};
	int rc = kw_json_check(body, fields, 1, err);
	if (rc)
		return rc;
	const json_t *pj = json_object_get(body, "panels");
	/* the exam and the caller's right to it first (404, 403 before any row) */
	struct panel_env v = {0};
	rc = panel_env_load(app, s, exam, &v, err);
	panel_env_release(app, &v);
	if (rc)
		return rc;
	struct import_job *j = kw_xmalloc(sizeof *j);
	size_t n = json_array_size(pj);
	*j = (struct import_job){exam, kw_xcalloc(n + 1, sizeof *j->p), n};
	json_t **prob = kw_xcalloc(n + 1, sizeof *prob);
	/* the rows in two halves on two threads when many (each an independent check) */
	size_t half = n > IMPORT_SPLIT ? n / 2 : n;
	struct check_part part[2] = {{app, s, pj, j, prob, 0, half, 0, KW_ERR_INIT},
	                             {app, s, pj, j, prob, half, n, 0, KW_ERR_INIT}};
	pthread_t t;
	int threaded = half < n && pthread_create(&t, NULL, check_part_main, &part[1]) == 0;
	check_part_main(&part[0]);
	if (threaded)
		pthread_join(t, NULL);
	else if (half < n)
		check_part_main(&part[1]);
	for (int k = 0; k < 2; k++) {
		if (!rc && part[k].rc) {
			rc = part[k].rc;
			if (err) {
				*err = part[k].err;
				part[k].err = (struct kw_err)KW_ERR_INIT;
			}
		}
		kw_err_release(&part[k].err);
	}
	/* the codes against each other: a code's later rows refused */
	struct code_row *cr = kw_xmalloc((n + 1) * sizeof *cr);
	size_t ncr = 0;
	for (size_t i = 0; !rc && i < n; i++)
		if (j->p[i] && !prob[i])
			cr[ncr++] = (struct code_row){j->p[i]->code, i};
	qsort(cr, ncr, sizeof *cr, cmp_code_row);
	for (size_t k = 1; k < ncr; k++) {
		size_t first = k - 1;
		while (first && strcmp(cr[first - 1].code, cr[k].code) == 0)
			first--;
		if (strcmp(cr[first].code, cr[k].code) != 0)
			continue;
		struct kw_err e = KW_ERR_INIT;
		kw_err_set(&e, KW_ECONFLICT, "PANEL_EXISTS", NULL,
		           "two panels of the import have the same code");
		kw_err_detail(&e, "row", json_integer((json_int_t)cr[first].row));
		prob[cr[k].row] = json_array();
		row_problem(prob[cr[k].row], cr[k].row, cr[k].code, &e);
		kw_err_release(&e);
	}
	free(cr);
	json_t *rows = problems_in_order(prob, n);
	free(prob);
	if (!rc && json_array_size(rows)) {
		rc = import_invalid(rows, err);
		rows = NULL;
	}
	json_decref(rows);
	if (rc) {
		import_free(j);
		return rc;
	}
	*op = (struct kw_op){import_write, import_answer, import_free, j, 201, NULL};
	return 0;
}

int kw_interview_panels_import(struct kw_app *app, const struct kw_actor *actor,
                               const struct kw_session_info *s, int64_t exam, const json_t *body,
                               json_t **out, struct kw_err *err)
{
	struct kw_op op;
	int rc = kw_interview_panels_import_op(app, s, exam, body, &op, err);
	return rc ? rc : kw_op_run(app, actor, &op, out, err);
}

int kw_interview_panels_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                             json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *items = json_array();
	int rc = exam_ids(c, s, exam,
	                  "SELECT id FROM interview_panels WHERE exam_id = $1 ORDER BY code", items,
	                  err);
	for (size_t i = 0; !rc && i < json_array_size(items); i++) {
		json_t *one = NULL;
		int64_t ex, su;
		rc = panel_json(c, json_integer_value(json_array_get(items, i)), 0, &one, &ex, &su,
		                err);
		if (!rc)
			json_array_set_new(items, i, one);
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

struct read_job {
	int64_t id;
	int before_start;
};

static int read_audit(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct read_job *j = arg;
	json_t *d = json_pack("{s:b}", "before_start", j->before_start);
	int rc = kw_audit_append(tx, "interview.examiners.read", "interview_panels", j->id, d, err);
	json_decref(d);
	return rc;
}

int kw_interview_panel_get(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, json_t **out,
                           struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *o = NULL;
	int64_t exam = 0, starts = 0;
	struct kw_exam_ref e;
	int rc = panel_json(c, id, 1, &o, &exam, &starts, err);
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.read", exam, &e, err);
	int before = kw_clock_now_us() < starts;
	if (!rc && before) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, "interview.examiners.read", e.unit, &e2))
			rc = kw_err_set(err, KW_EFORBIDDEN, "INTERVIEW_EXAMINERS_SECRET", "SEC-1",
			                "the examiner list is secret until the interview starts");
		kw_err_release(&e2);
	}
	kw_pool_put(app->pool, c);
	struct read_job j = {id, before};
	if (!rc)
		rc = kw_writer_run(app->writer, read_audit, &j, actor, err);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ==== the interview day (second slice): lotteries, anonymous scores, sign-offs ==== */

/* One row of sql (params $1, $2 bound as int64 when nonzero count) → its first column. */
static int one_i64(struct kw_conn *c, const char *sql, int nb, int64_t a, int64_t b, int64_t *out,
                   int *found, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	*found = 0;
	int rc = kw_conn_prepare(c, sql, &q, err);
	if (!rc) {
		if (nb > 0)
			kw_stmt_bind_int64(q, 1, a);
		if (nb > 1)
			kw_stmt_bind_int64(q, 2, b);
		rc = kw_stmt_step(q, err);
		if (rc == KW_ROW) {
			*found = 1;
			*out = kw_stmt_column_is_null(q, 0) ? 0 : kw_stmt_column_int64(q, 0);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

/* A panel with its exam, code, positions, examiner count and day (0: not scheduled). */
struct pctx {
	int64_t id, exam, examiners, day;
	char code[48], ends_at[40];
	json_t *positions, *dims; /* owned */
	struct kw_exam_ref e;
};

static void pctx_release(struct pctx *p)
{
	json_decref(p->positions);
	json_decref(p->dims);
	p->positions = p->dims = NULL;
}

static int pctx_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                     int64_t id, struct pctx *p, struct kw_err *err)
{
	memset(p, 0, sizeof *p);
	struct kw_stmt *q = NULL;
	int found = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT p.exam_id, p.code, p.positions, p.examiners, d.id, "
	                         "d.ends_at, COALESCE(p.dimensions, d.dimensions) FROM "
	                         "interview_panels p LEFT JOIN "
	                         "interview_day_panels x ON x.panel_id = p.id LEFT JOIN "
	                         "interview_days d ON d.id = x.day_id WHERE p.id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			found = 1;
			p->id = id;
			p->exam = kw_stmt_column_int64(q, 0);
			snprintf(p->code, sizeof p->code, "%s", kw_stmt_column_text(q, 1, NULL));
			p->positions = json_loads(kw_stmt_column_text(q, 2, NULL), 0, NULL);
			p->examiners = kw_stmt_column_int64(q, 3);
			if (!kw_stmt_column_is_null(q, 4)) {
				p->day = kw_stmt_column_int64(q, 4);
				snprintf(p->ends_at, sizeof p->ends_at, "%s",
				         kw_stmt_column_text(q, 5, NULL));
				p->dims = json_loads(kw_stmt_column_text(q, 6, NULL), 0, NULL);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !found)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such panel");
	if (!rc)
		rc = kw_exam_ref_load(c, s, action, p->exam, &p->e, err);
	if (rc)
		pctx_release(p);
	return rc;
}

static int is_examiner_duty(const char *d)
{
	return !strcmp(d, "chief") || !strcmp(d, "deputy") || !strcmp(d, "examiner");
}

/* What a score entry, a score read or a sign-off checks, from the panel down to the candidate
 * behind an order number. */
struct order_ctx {
	int64_t staff, cand, written, score; /* staff 0: not a member; cand 0: no such order */
	char duty[16], stage[16];
};

/* pctx_load, the caller's membership and duty, and the candidate of (panel, order) in one
 * statement: on PostgreSQL each statement is a round trip, and an examiner's tablet sends one of
 * these per score. The refusals keep pctx_load's order (the panel, then the exam); the caller says
 * what a missing member or order number means. */
static int order_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                      int64_t id, int64_t order, struct pctx *p, struct order_ctx *m,
                      struct kw_err *err)
{
	memset(p, 0, sizeof *p);
	memset(m, 0, sizeof *m);
	struct kw_stmt *q = NULL;
	int found = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT p.exam_id, p.code, p.positions, p.examiners, d.id, d.ends_at, "
	        "COALESCE(p.dimensions, d.dimensions), e.unit_id, e.code, e.name, e.kind, "
	        "e.status, (SELECT m.staff_id FROM interview_panel_members m JOIN staff f ON "
	        "f.id = m.staff_id WHERE m.panel_id = p.id AND f.user_id = $2 ORDER BY m.id "
	        "LIMIT 1), (SELECT m.duty FROM interview_panel_members m JOIN staff f ON f.id = "
	        "m.staff_id WHERE m.panel_id = p.id AND f.user_id = $2 ORDER BY m.id LIMIT 1), "
	        "c.id, c.stage, c.written, c.score FROM interview_panels p JOIN exams e ON e.id "
	        "= p.exam_id LEFT JOIN interview_day_panels x ON x.panel_id = p.id LEFT JOIN "
	        "interview_days d ON d.id = x.day_id LEFT JOIN interview_candidates c ON "
	        "c.panel_id = p.id AND c.order_no = $3 WHERE p.id = $1",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		kw_stmt_bind_int64(q, 2, s && !s->candidate_id ? s->user.id : 0);
		kw_stmt_bind_int64(q, 3, order);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			found = 1;
			p->id = id;
			p->exam = p->e.id = kw_stmt_column_int64(q, 0);
			kw_stmt_column_copy(q, 1, p->code, sizeof p->code);
			p->positions = json_loads(kw_stmt_column_text(q, 2, NULL), 0, NULL);
			p->examiners = kw_stmt_column_int64(q, 3);
			if (!kw_stmt_column_is_null(q, 4)) {
				p->day = kw_stmt_column_int64(q, 4);
				kw_stmt_column_copy(q, 5, p->ends_at, sizeof p->ends_at);
				p->dims = json_loads(kw_stmt_column_text(q, 6, NULL), 0, NULL);
			}
			p->e.unit = kw_stmt_column_int64(q, 7);
			kw_stmt_column_copy(q, 8, p->e.code, sizeof p->e.code);
			kw_stmt_column_copy(q, 9, p->e.name, sizeof p->e.name);
			kw_stmt_column_copy(q, 10, p->e.kind, sizeof p->e.kind);
			kw_stmt_column_copy(q, 11, p->e.status, sizeof p->e.status);
			if (!kw_stmt_column_is_null(q, 12)) {
				m->staff = kw_stmt_column_int64(q, 12);
				kw_stmt_column_copy(q, 13, m->duty, sizeof m->duty);
			}
			if (!kw_stmt_column_is_null(q, 14)) {
				m->cand = kw_stmt_column_int64(q, 14);
				kw_stmt_column_copy(q, 15, m->stage, sizeof m->stage);
				m->written = kw_stmt_column_int64(q, 16);
				m->score = kw_stmt_column_is_null(q, 17)
				                   ? -1
				                   : kw_stmt_column_int64(q, 17);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !found)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such panel");
	if (!rc)
		rc = kw_exam_ref_admit(c, s, action, &p->e, err);
	if (rc)
		pctx_release(p);
	return rc;
}

static int no_order(struct kw_err *err)
{
	return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such order number");
}

/* ---- days and their commitments ---- */

struct day_job {
	int64_t exam, id;
	const char *day, *ends_at, *rooms, *dims;
	const int64_t *panels;
	size_t np;
	char (*purpose)[160]; /* [0] rooms, [1 + i] panel i's order */
	char (*commit)[65];
	char (*seed)[65];
};

/* The next integer of a panel's positions (a JSON array of ids as the panel routes write it)
 * from *t on: 1 and *v, *t past it; 0 at the end. */
static int positions_next(const char **t, int64_t *v)
{
	for (const char *p = *t; *p; p++) {
		if (*p != '-' && (*p < '0' || *p > '9'))
			continue;
		char *end;
		long long x = strtoll(p, &end, 10);
		if (end == p)
			continue;
		*t = end;
		*v = (int64_t)x;
		return 1;
	}
	return 0;
}

/*
 * INT-4, a position's candidates on one day: refuses (INTERVIEW_POSITION_DAYS) panel's joining
 * day when a position of it has a panel on another day of the exam. Run inside the day's
 * write transaction, so that two days created at once cannot both pass it.
 */
/* INT-4: none of the positions of panels (n of them) is interviewed by a panel on another day
 * of the exam. The other days' panels are read once (a season has thousands of them). */
static int position_days_check(struct kw_conn *c, int64_t exam, const char *day,
                               const int64_t *panels, size_t n, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	size_t nm = 0, cap = 16;
	int64_t *mine = kw_xmalloc(cap * sizeof *mine);
	int rc =
	        kw_conn_prepare(c, "SELECT positions FROM interview_panels WHERE id = $1", &q, err);
	for (size_t i = 0; !rc && i < n; i++) {
		kw_stmt_reset(q);
		kw_stmt_bind_int64(q, 1, panels[i]);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_t *pj = json_loads(kw_stmt_column_text(q, 0, NULL), 0, NULL);
			size_t k;
			json_t *x;
			json_array_foreach(pj, k, x)
			{
				if (nm == cap)
					mine = kw_xrealloc(mine, (cap *= 2) * sizeof *mine);
				mine[nm++] = json_integer_value(x);
			}
			json_decref(pj);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	q = NULL;
	qsort(mine, nm, sizeof *mine, kw_cmp_i64);
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT p.positions FROM interview_panels p JOIN "
		                     "interview_day_panels x ON x.panel_id = p.id JOIN "
		                     "interview_days d ON d.id = x.day_id WHERE p.exam_id = $1 "
		                     "AND d.day <> $2",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		kw_stmt_bind_textz(q, 2, day);
		int64_t clash = 0;
		/* the other days' panels (a season's thousands, read for each day created): their
		 * positions scanned in place, without a JSON tree each */
		while (!clash && (rc = kw_stmt_step(q, err)) == KW_ROW) {
			const char *t = kw_stmt_column_text(q, 0, NULL);
			int64_t v;
			while (!clash && t && positions_next(&t, &v))
				if (bsearch(&v, mine, nm, sizeof *mine, kw_cmp_i64))
					clash = v;
		}
		rc = kw_step_ok(rc);
		if (!rc && clash) {
			rc = kw_err_set(err, KW_ECONFLICT, "INTERVIEW_POSITION_DAYS", "INT-4",
			                "a position's candidates are interviewed in one day");
			kw_err_detail(err, "position_id", json_integer((json_int_t)clash));
		}
	}
	kw_stmt_finalize(q);
	free(mine);
	return rc;
}

/* The column of panel_id in an interview_draws row as kw_audit_returning lists them. */
enum { DRAW_PANEL_COL = 2 };

/* INT-4, a panel on one day: none of the day's panels is on a day already (read in one
 * statement; INTERVIEW_PANEL_SCHEDULED). */
static int day_panels_free(struct kw_conn *c, const struct day_job *j, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "SELECT COUNT(*) FROM interview_day_panels WHERE panel_id IN (");
	for (size_t i = 0; i < j->np; i++)
		kw_buf_addf(&b, "%s$%d", i ? ", " : "", 1 + (int)i);
	kw_buf_adds(&b, ")");
	struct kw_stmt *q = NULL;
	int64_t n = 0;
	int rc = kw_conn_prepare(c, b.buf, &q, err);
	kw_buf_release(&b);
	if (!rc) {
		for (size_t i = 0; i < j->np; i++)
			kw_stmt_bind_int64(q, 1 + (int)i, j->panels[i]);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW)
			n = kw_stmt_column_int64(q, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && n)
		rc = kw_err_set(err, KW_ECONFLICT, "INTERVIEW_PANEL_SCHEDULED", "INT-4",
		                "a panel sits on one interview day");
	return rc;
}

static int day_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct day_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int found = 0;
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(
	        tx->conn, "SELECT COUNT(*) FROM interview_days WHERE exam_id = $1 AND day = $2", &q,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->exam);
		kw_stmt_bind_textz(q, 2, j->day);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW)
			found = kw_stmt_column_int64(q, 0) > 0;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	q = NULL;
	if (!rc && found)
		return kw_err_set(err, KW_ECONFLICT, "INTERVIEW_DAY_EXISTS", NULL,
		                  "this exam already has an interview day on that date");
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "interview_days", "interview.day.create",
		        json_pack("{s:I, s:s}", "exam_id", (json_int_t)j->exam, "day", j->day),
		        &j->id,
		        "INSERT INTO interview_days (exam_id, day, ends_at, rooms, "
		        "dimensions, created_by, created_at, updated_at) VALUES ($1, $2, "
		        "$3, $4, $5, $6, $7, $7)",
		        "ittttit", j->exam, j->day, j->ends_at, j->rooms, j->dims, tx->actor->id,
		        ts);
	if (!rc)
		rc = position_days_check(tx->conn, j->exam, j->day, j->panels, j->np, err);
	if (!rc)
		rc = day_panels_free(tx->conn, j, err);
	/* the day's panels, and then its lotteries (the rooms' and each panel's order), one
	 * statement and one batch record each (a record per row was most of a day's write) */
	struct kw_batch_row *rows = kw_xcalloc(j->np + 2, sizeof *rows);
	int64_t *draw = kw_xcalloc(j->np + 2, sizeof *draw);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "INSERT INTO interview_day_panels (day_id, panel_id, created_at) VALUES ");
	for (size_t i = 0; i < j->np; i++)
		kw_buf_addf(&b, "%s($1, $%d, $2)", i ? ", " : "", 3 + (int)i);
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "interview_day_panels", &q, err, "%s", b.buf);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->id);
		kw_stmt_bind_textz(q, 2, ts);
		for (size_t i = 0; i < j->np; i++)
			kw_stmt_bind_int64(q, 3 + (int)i, j->panels[i]);
	}
	for (size_t i = 0; !rc && i < j->np; i++)
		rc = audited_row(q, "interview_day_panels", &rows[i], err);
	if (!rc)
		rc = kw_step_ok(kw_stmt_step(q, err));
	kw_stmt_finalize(q);
	q = NULL;
	json_t *d = json_pack("{s:I}", "day_id", (json_int_t)j->id);
	if (!rc)
		rc = kw_audit_append_batch(tx, "interview.day.panel", "interview_day_panels", rows,
		                           j->np, d, err);
	kw_buf_reset(&b);
	kw_buf_adds(&b, "INSERT INTO interview_draws (day_id, panel_id, kind, purpose, "
	                "commitment, status, committed_at) VALUES ");
	for (size_t i = 0; i <= j->np; i++) {
		int v = 3 + 4 * (int)i;
		kw_buf_addf(&b, "%s($1, $%d, $%d, $%d, $%d, 'committed', $2)", i ? ", " : "", v,
		            v + 1, v + 2, v + 3);
	}
	if (!rc)
		rc = kw_audit_prepare(tx->conn, "interview_draws", &q, err, "%s", b.buf);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->id);
		kw_stmt_bind_textz(q, 2, ts);
		for (size_t i = 0; i <= j->np; i++) {
			int v = 3 + 4 * (int)i;
			if (i)
				kw_stmt_bind_int64(q, v, j->panels[i - 1]);
			else
				kw_stmt_bind_null(q, v);
			kw_stmt_bind_textz(q, v + 1, i ? "order" : "rooms");
			kw_stmt_bind_textz(q, v + 2, j->purpose[i]);
			kw_stmt_bind_textz(q, v + 3, j->commit[i]);
		}
	}
	/* each lottery back with its panel (none: the rooms'), for its seed */
	for (size_t i = 0; !rc && i <= j->np; i++) {
		rc = audited_row(q, "interview_draws", &rows[i], err);
		size_t at = j->np + 1;
		if (!rc && kw_stmt_column_is_null(q, DRAW_PANEL_COL)) {
			at = 0;
		} else if (!rc) {
			int64_t panel = kw_stmt_column_int64(q, DRAW_PANEL_COL);
			for (size_t k = 0; k < j->np && at > j->np; k++)
				if (j->panels[k] == panel)
					at = k + 1;
		}
		if (!rc && (at > j->np || draw[at]))
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "a lottery of another panel written");
		if (!rc)
			draw[at] = rows[i].id;
	}
	if (!rc)
		rc = kw_step_ok(kw_stmt_step(q, err));
	kw_stmt_finalize(q);
	q = NULL;
	if (!rc)
		rc = kw_audit_append_batch(tx, "interview.draw.commit", "interview_draws", rows,
		                           j->np + 1, d, err);
	json_decref(d);
	kw_buf_reset(&b);
	kw_buf_adds(&b, "INSERT INTO interview_draw_seeds (draw_id, seed) VALUES ");
	for (size_t i = 0; i <= j->np; i++)
		kw_buf_addf(&b, "%s($%d, $%d)", i ? ", " : "", 1 + 2 * (int)i, 2 + 2 * (int)i);
	if (!rc)
		rc = kw_conn_prepare(tx->conn, b.buf, &q, err);
	if (!rc) {
		for (size_t i = 0; i <= j->np; i++) {
			kw_stmt_bind_int64(q, 1 + 2 * (int)i, draw[i]);
			kw_stmt_bind_textz(q, 2 + 2 * (int)i, j->seed[i]);
		}
		rc = kw_step_ok(kw_stmt_step(q, err));
	}
	kw_stmt_finalize(q);
	kw_buf_release(&b);
	free(rows);
	free(draw);
	return rc;
}

static int can(struct kw_conn *c, const struct kw_session_info *s, const char *action, int64_t unit)
{
	struct kw_err e2 = KW_ERR_INIT;
	int ok = kw_authz_check(c, s, action, unit, &e2) == 0;
	kw_err_release(&e2);
	return ok;
}

static int day_json(struct kw_conn *c, const struct kw_session_info *s, int64_t id, json_t **out,
                    struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	json_t *o = NULL;
	int64_t exam = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT exam_id, day, ends_at, rooms, dimensions FROM "
	                         "interview_days WHERE id = $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			exam = kw_stmt_column_int64(q, 0);
			json_t *dims =
			        sheet_json(json_loads(kw_stmt_column_text(q, 4, NULL), 0, NULL));
			o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)id,
			              "exam_id", (json_int_t)exam, "day",
			              kw_stmt_column_text(q, 1, NULL), "ends_at",
			              kw_stmt_column_text(q, 2, NULL), "rooms",
			              json_loads(kw_stmt_column_text(q, 3, NULL), 0, NULL),
			              "dimensions", dims);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !o)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such interview day");
	struct kw_exam_ref e;
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.read", exam, &e, err);
	int rooms_ok = !rc && can(c, s, "interview.rooms.read", e.unit);
	int manage_ok = !rc && can(c, s, "interview.manage", e.unit);
	json_t *panels = json_array(), *draws = json_array();
	q = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT p.id, p.code FROM interview_day_panels x JOIN "
		                     "interview_panels p ON p.id = x.panel_id WHERE x.day_id = $1 "
		                     "ORDER BY p.code",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW)
			json_array_append_new(panels,
			                      json_pack("{s:I, s:s}", "id",
			                                (json_int_t)kw_stmt_column_int64(q, 0),
			                                "code", kw_stmt_column_text(q, 1, NULL)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	q = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT id, panel_id, kind, purpose, commitment, status, seed, "
		        "result FROM interview_draws WHERE day_id = $1 ORDER BY id",
		        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, id);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			const char *kind = kw_stmt_column_text(q, 2, NULL);
			int rooms = !strcmp(kind, "rooms");
			json_t *d =
			        json_pack("{s:I, s:o, s:s, s:s, s:s, s:s}", "id",
			                  (json_int_t)kw_stmt_column_int64(q, 0), "panel_id",
			                  kw_stmt_column_is_null(q, 1)
			                          ? json_null()
			                          : json_integer(kw_stmt_column_int64(q, 1)),
			                  "kind", kind, "purpose", kw_stmt_column_text(q, 3, NULL),
			                  "commitment", kw_stmt_column_text(q, 4, NULL), "status",
			                  kw_stmt_column_text(q, 5, NULL));
			/* the room draw's result (and its seed, which replays it) is confidential
			 * (INT-2): only interview.rooms.read sees them; the order draws' results
			 * name tickets, for the staff who call candidates (interview.manage) only
			 */
			if (!kw_stmt_column_is_null(q, 6) && (rooms ? rooms_ok : 1))
				json_object_set_new(d, "seed",
				                    json_string(kw_stmt_column_text(q, 6, NULL)));
			if (!kw_stmt_column_is_null(q, 7) && (rooms ? rooms_ok : manage_ok))
				json_object_set_new(
				        d, "result",
				        json_loads(kw_stmt_column_text(q, 7, NULL), 0, NULL));
			json_array_append_new(draws, d);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	json_object_set_new(o, "panels", panels);
	json_object_set_new(o, "draws", draws);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

static int valid_date(const char *d)
{
	if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	return 1;
}

int kw_interview_day_create(struct kw_app *app, const struct kw_actor *actor,
                            const struct kw_session_info *s, int64_t exam, const json_t *body,
                            json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("day", 10, KW_JREQUIRED),
	        KW_JSTR("ends_at", 40, KW_JREQUIRED),
	        {"rooms", KW_JARRAY, KW_JREQUIRED, 1, 100},
	        {"panels", KW_JARRAY, KW_JREQUIRED, 1, 100},
	        {"dimensions", KW_JARRAY, 0, 1, 20},
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof fields[0], err);
	if (rc)
		return rc;
	const char *day = json_string_value(json_object_get(body, "day"));
	const char *ends_at = json_string_value(json_object_get(body, "ends_at"));
	int64_t ends;
	if (!valid_date(day))
		return kw_err_invalid(err, "day", "format");
	if (kw_clock_parse(ends_at, &ends))
		return kw_err_invalid(err, "ends_at", "format");
	json_t *rj = json_object_get(body, "rooms"), *pj = json_object_get(body, "panels"),
	       *dj = json_object_get(body, "dimensions");
	size_t nr = json_array_size(rj), np = json_array_size(pj);
	for (size_t i = 0; i < nr; i++) {
		const char *r = json_string_value(json_array_get(rj, i));
		if (!r || !*r || strlen(r) > 40)
			return kw_err_invalid(err, "rooms", "format");
		for (size_t k = 0; k < i; k++)
			if (!strcmp(r, json_string_value(json_array_get(rj, k))))
				return kw_err_invalid(err, "rooms", "duplicate");
	}
	for (size_t i = 0; i < np; i++) {
		if (!json_is_integer(json_array_get(pj, i)))
			return kw_err_invalid(err, "panels", "type");
		for (size_t k = 0; k < i; k++)
			if (json_integer_value(json_array_get(pj, i)) ==
			    json_integer_value(json_array_get(pj, k)))
				return kw_err_invalid(err, "panels", "duplicate");
	}
	if (nr < np)
		return kw_err_set(err, KW_ERULE, "INTERVIEW_ROOMS_FEW", "INT-2",
		                  "every panel of the day needs a room to draw");
	/* the sheet of the day's structured panels (INT-5): the given one, else the format's */
	json_t *dims = NULL;
	rc = dj ? sheet_parse(dj, "dimensions", &dims, err)
	        : sheet_parse(json_object_get(format_get("structured"), "sheet"), "dimensions",
	                      &dims, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	rc = kw_exam_ref_load(c, s, "interview.manage", exam, &e, err);
	int64_t *panels = kw_xmalloc((np + 1) * sizeof *panels);
	char(*purpose)[160] = kw_xmalloc((np + 1) * sizeof *purpose);
	char(*commit)[65] = kw_xmalloc((np + 1) * sizeof *commit);
	char(*seed)[65] = kw_xmalloc((np + 1) * sizeof *seed);
	snprintf(purpose[0], sizeof purpose[0], "interview-rooms:exam=%s:day=%s", e.code, day);
	/* the panels: this exam's, not yet on a day (INT-4, a position on one day: checked in the
	 * write, position_days_check) */
	for (size_t i = 0; !rc && i < np; i++) {
		panels[i] = json_integer_value(json_array_get(pj, i));
		struct pctx p;
		rc = pctx_load(c, s, "interview.manage", panels[i], &p, err);
		if (rc == KW_ENOTFOUND || (!rc && p.exam != exam)) {
			if (!rc)
				pctx_release(&p);
			kw_err_release(err);
			rc = kw_err_invalid(err, "panels", "not_in_exam");
			break;
		}
		if (rc)
			break;
		if (p.day)
			rc = kw_err_set(err, KW_ECONFLICT, "INTERVIEW_PANEL_SCHEDULED", "INT-4",
			                "a panel sits on one interview day");
		snprintf(purpose[i + 1], sizeof purpose[i + 1], "interview-order:exam=%s:panel=%s",
		         e.code, p.code);
		pctx_release(&p);
	}
	kw_pool_put(app->pool, c);
	for (size_t i = 0; !rc && i <= np; i++) {
		uint8_t sd[KW_DRAW_SEED_BYTES];
		rc = kw_draw_seed_new(sd, err);
		if (!rc)
			rc = kw_draw_commit(sd, commit[i], err);
		kw_draw_seed_hex(sd, seed[i]);
		sodium_memzero(sd, sizeof sd);
	}
	char *rooms = rc ? NULL : json_dumps(rj, JSON_COMPACT);
	char *dtext = rc ? NULL : json_dumps(dims, JSON_COMPACT);
	struct day_job j = {exam, 0, day, ends_at, rooms, dtext, panels, np, purpose, commit, seed};
	if (!rc)
		rc = kw_writer_run(app->writer, day_write, &j, actor, err);
	sodium_memzero(seed, (np + 1) * sizeof *seed);
	free(rooms);
	free(dtext);
	free(panels);
	free(purpose);
	free(commit);
	free(seed);
	json_decref(dims);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = day_json(c, s, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

int kw_interview_day_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                         json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = day_json(c, s, id, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- the draws ---- */

struct reveal_job {
	int64_t draw;
	char seed[65];
	char *result; /* owned */
	/* order draws: the candidates to insert (owned) */
	int64_t panel;
	int64_t *reg, *written;
	uint32_t *order;
	size_t n;
	/* the answer: an order draw's (owned), or a room draw's day read back after the commit */
	json_t *answer;
	int64_t day;
	const struct kw_session_info *s;
};

static void reveal_free(void *p)
{
	struct reveal_job *j = p;
	if (!j)
		return;
	sodium_memzero(j->seed, sizeof j->seed);
	free(j->result);
	free(j->reg);
	free(j->written);
	free(j->order);
	json_decref(j->answer);
	free(j);
}

static int order_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	struct reveal_job *j = arg;
	(void)app;
	(void)err;
	*out = json_incref(j->answer);
	return 0;
}

static int rooms_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	struct reveal_job *j = arg;
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = day_json(c, j->s, j->day, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

static int reveal_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct reveal_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int64_t hit = 0;
	/* the seed stays out of the detail: the trail's readers reach wider than
	 * interview.rooms.read, and the seed replays the confidential result (INT-2); the
	 * row's digest binds it */
	int rc = kw_audit_put(tx, err, "interview_draws", "interview.draw.reveal",
	                      json_pack("{s:s}", "status", "drawn"), &hit,
	                      "UPDATE interview_draws SET status = 'drawn', seed = $1, result = "
	                      "$2, drawn_at = $3 WHERE id = $4 AND status = 'committed'",
	                      "ttti", j->seed, j->result, ts, j->draw);
	if (!rc && !hit)
		return kw_err_set(err, KW_ECONFLICT, "INTERVIEW_DRAW_DONE", NULL,
		                  "this lottery is already drawn");
	/* the candidates' order numbers: one batch record for the draw */
	if (!rc && j->n) {
		struct kw_batch_row *rows = kw_xcalloc(j->n, sizeof *rows);
		struct kw_stmt *ins = NULL;
		rc = kw_audit_prepare(tx->conn, "interview_candidates", &ins, err,
		                      "INSERT INTO interview_candidates (panel_id, order_no, "
		                      "registration_id, written, stage, created_at, updated_at) "
		                      "VALUES ($1, $2, $3, $4, 'scoring', $5, $5)");
		for (size_t i = 0; !rc && i < j->n; i++) {
			kw_stmt_reset(ins);
			kw_stmt_bind_int64(ins, 1, j->panel);
			kw_stmt_bind_int64(ins, 2, (int64_t)j->order[i]);
			kw_stmt_bind_int64(ins, 3, j->reg[i]);
			kw_stmt_bind_int64(ins, 4, j->written[i]);
			kw_stmt_bind_textz(ins, 5, ts);
			rc = audited_row(ins, "interview_candidates", &rows[i], err);
		}
		kw_stmt_finalize(ins);
		if (!rc) {
			json_t *d = json_pack("{s:I}", "panel_id", (json_int_t)j->panel);
			rc = kw_audit_append_batch(tx, "interview.order.assign",
			                           "interview_candidates", rows, j->n, d, err);
			json_decref(d);
		}
		free(rows);
	}
	if (!rc) {
		struct kw_stmt *q = NULL;
		rc = kw_conn_prepare(
		        tx->conn, "DELETE FROM interview_draw_seeds WHERE draw_id = $1", &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, j->draw);
			rc = kw_step_ok(kw_stmt_step(q, err));
		}
		kw_stmt_finalize(q);
	}
	return rc;
}

/* The committed draw of (day, panel or 0): id, purpose, commitment, kept seed. */
static int draw_load(struct kw_conn *c, int64_t day, int64_t panel, int64_t *id, char purpose[160],
                     char commit[65], uint8_t seed[KW_DRAW_SEED_BYTES], struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	char hex[65] = "";
	int found = 0, drawn = 0;
	int rc = kw_conn_prepare(c,
	                         panel ? "SELECT d.id, d.purpose, d.commitment, d.status, k.seed "
	                                 "FROM interview_draws d LEFT JOIN interview_draw_seeds k "
	                                 "ON k.draw_id = d.id WHERE d.day_id = $1 AND d.panel_id = "
	                                 "$2"
	                               : "SELECT d.id, d.purpose, d.commitment, d.status, k.seed "
	                                 "FROM interview_draws d LEFT JOIN interview_draw_seeds k "
	                                 "ON k.draw_id = d.id WHERE d.day_id = $1 AND d.kind = "
	                                 "'rooms'",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, day);
		if (panel)
			kw_stmt_bind_int64(q, 2, panel);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			found = 1;
			*id = kw_stmt_column_int64(q, 0);
			snprintf(purpose, 160, "%s", kw_stmt_column_text(q, 1, NULL));
			snprintf(commit, 65, "%s", kw_stmt_column_text(q, 2, NULL));
			drawn = strcmp(kw_stmt_column_text(q, 3, NULL), "committed") != 0;
			if (!kw_stmt_column_is_null(q, 4))
				snprintf(hex, sizeof hex, "%s", kw_stmt_column_text(q, 4, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !found)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such lottery");
	if (!rc && (drawn || !hex[0]))
		return kw_err_set(err, KW_ECONFLICT, "INTERVIEW_DRAW_DONE", NULL,
		                  "this lottery is already drawn");
	if (!rc)
		rc = kw_draw_seed_parse(hex, strlen(hex), seed, err);
	if (!rc && !kw_draw_verify(seed, commit))
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the kept seed is not the committed one");
	sodium_memzero(hex, sizeof hex);
	return rc;
}

int kw_interview_room_draw_op(struct kw_app *app, const struct kw_session_info *s, int64_t day,
                              struct kw_op *op, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *d = NULL;
	int rc = day_json(c, s, day, &d, err);
	struct kw_exam_ref e;
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.manage",
		                      json_integer_value(json_object_get(d, "exam_id")), &e, err);
	int64_t draw = 0;
	char purpose[160], commit[65];
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (!rc)
		rc = draw_load(c, day, 0, &draw, purpose, commit, seed, err);
	kw_pool_put(app->pool, c);
	char *result = NULL, hex[65] = "";
	if (!rc) {
		/* rooms in code order are the items, panels in code order the places: panel k
		 * takes room perm[k] (core/draw.h) */
		json_t *rj = json_object_get(d, "rooms"), *pj = json_object_get(d, "panels");
		size_t nr = json_array_size(rj), np = json_array_size(pj);
		const char **rooms = kw_xmalloc((nr + 1) * sizeof *rooms);
		for (size_t i = 0; i < nr; i++)
			rooms[i] = json_string_value(json_array_get(rj, i));
		qsort(rooms, nr, sizeof *rooms, kw_cmp_strp);
		uint32_t *perm = kw_xmalloc((nr + 1) * sizeof *perm);
		struct kw_draw_stream st;
		rc = kw_draw_stream_init(&st, seed, purpose, err);
		if (!rc) {
			kw_draw_shuffle(&st, nr, perm);
			kw_draw_stream_release(&st);
			json_t *res = json_array();
			for (size_t k = 0; k < np; k++) {
				json_t *p = json_array_get(pj, k);
				json_array_append_new(res, json_pack("{s:O, s:O, s:s}", "panel_id",
				                                     json_object_get(p, "id"),
				                                     "panel_code",
				                                     json_object_get(p, "code"),
				                                     "room", rooms[perm[k]]));
			}
			result = json_dumps(res, JSON_COMPACT);
			json_decref(res);
		}
		free(perm);
		free(rooms);
		kw_draw_seed_hex(seed, hex);
	}
	sodium_memzero(seed, sizeof seed);
	json_decref(d);
	if (rc) {
		free(result);
		sodium_memzero(hex, sizeof hex);
		return rc;
	}
	struct reveal_job *j = kw_xcalloc(1, sizeof *j);
	j->draw = draw;
	memcpy(j->seed, hex, sizeof hex);
	sodium_memzero(hex, sizeof hex);
	j->result = result;
	j->day = day;
	j->s = s;
	*op = (struct kw_op){reveal_write, rooms_answer, reveal_free, j, 0, NULL};
	return 0;
}

int kw_interview_room_draw(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t day, json_t **out,
                           struct kw_err *err)
{
	struct kw_op op;
	int rc = kw_interview_room_draw_op(app, s, day, &op, err);
	return rc ? rc : kw_op_run(app, actor, &op, out, err);
}

struct ocand {
	int64_t reg, written;
	char ticket[40];
};

int kw_interview_order_draw_op(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                               struct kw_op *op, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct pctx p;
	int rc = pctx_load(c, s, "interview.manage", panel, &p, err);
	if (rc) {
		kw_pool_put(app->pool, c);
		return rc;
	}
	if (!p.day)
		rc = kw_err_set(err, KW_ECONFLICT, "INTERVIEW_NOT_SCHEDULED", "INT-4",
		                "the panel has no interview day yet");
	int64_t draw = 0;
	char purpose[160], commit[65];
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (!rc)
		rc = draw_load(c, p.day, panel, &draw, purpose, commit, seed, err);
	/* the admitted of the panel's positions' shortlists not yet drawn by another panel, in
	 * ticket order */
	struct kw_buf pos = {0};
	size_t k;
	json_t *x;
	json_array_foreach(p.positions, k, x)
	        kw_buf_addf(&pos, "%s%lld", k ? ", " : "", (long long)json_integer_value(x));
	struct ocand *cd = NULL;
	size_t n = 0, cap = 0;
	struct kw_stmt *q = NULL;
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "SELECT e.registration_id, e.written, e.ticket_no FROM "
	         "interview_shortlist_entries e JOIN interview_shortlists l ON l.id = "
	         "e.shortlist_id WHERE l.position_id IN (%s) AND e.state = 'admitted' AND NOT "
	         "EXISTS (SELECT 1 FROM interview_candidates c WHERE c.registration_id = "
	         "e.registration_id) ORDER BY e.ticket_no",
	         pos.buf ? pos.buf : "0");
	if (!rc)
		rc = kw_conn_prepare(c, sql, &q, err);
	while (!rc && (rc = kw_stmt_step(q, err)) == KW_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			cd = kw_xrealloc(cd, cap * sizeof *cd);
		}
		cd[n].reg = kw_stmt_column_int64(q, 0);
		cd[n].written = kw_stmt_column_int64(q, 1);
		snprintf(cd[n].ticket, sizeof cd[n].ticket, "%s", kw_stmt_column_text(q, 2, NULL));
		n++;
		rc = 0;
	}
	rc = kw_step_ok(rc);
	kw_stmt_finalize(q);
	kw_buf_release(&pos);
	kw_pool_put(app->pool, c);
	if (!rc && !n)
		rc = kw_err_set(err, KW_ECONFLICT, "INTERVIEW_NO_CANDIDATES", NULL,
		                "the panel has no admitted candidates left to draw");
	char *result = NULL, hex[65] = "";
	int64_t *reg = kw_xmalloc((n + 1) * sizeof *reg), *wr = kw_xmalloc((n + 1) * sizeof *wr);
	uint32_t *perm = kw_xmalloc((n + 1) * sizeof *perm),
	         *ord = kw_xmalloc((n + 1) * sizeof *ord);
	json_t *res = json_array();
	if (!rc) {
		/* candidates in ticket order are the items: candidate perm[k] takes order k + 1 */
		struct kw_draw_stream st;
		rc = kw_draw_stream_init(&st, seed, purpose, err);
		if (!rc) {
			kw_draw_shuffle(&st, n, perm);
			kw_draw_stream_release(&st);
			for (size_t i = 0; i < n; i++) {
				reg[i] = cd[perm[i]].reg;
				wr[i] = cd[perm[i]].written;
				ord[i] = (uint32_t)(i + 1);
				json_array_append_new(res,
				                      json_pack("{s:I, s:s}", "order_no",
				                                (json_int_t)(i + 1), "ticket_no",
				                                cd[perm[i]].ticket));
			}
			result = json_dumps(res, JSON_COMPACT);
		}
		kw_draw_seed_hex(seed, hex);
	}
	sodium_memzero(seed, sizeof seed);
	if (!rc) {
		struct reveal_job *j = kw_xcalloc(1, sizeof *j);
		*j = (struct reveal_job){draw, "", result, panel, reg, wr, ord, n, NULL, 0, NULL};
		memcpy(j->seed, hex, sizeof hex);
		j->answer = json_pack("{s:I, s:s, s:s, s:s, s:s, s:O}", "panel_id",
		                      (json_int_t)panel, "purpose", purpose, "commitment", commit,
		                      "seed", hex, "status", "drawn", "result", res);
		*op = (struct kw_op){reveal_write, order_answer, reveal_free, j, 0, NULL};
	} else {
		free(result);
		free(reg);
		free(wr);
		free(ord);
	}
	sodium_memzero(hex, sizeof hex);
	json_decref(res);
	free(cd);
	free(perm);
	pctx_release(&p);
	return rc;
}

int kw_interview_order_draw(struct kw_app *app, const struct kw_actor *actor,
                            const struct kw_session_info *s, int64_t panel, json_t **out,
                            struct kw_err *err)
{
	struct kw_op op;
	int rc = kw_interview_order_draw_op(app, s, panel, &op, err);
	return rc ? rc : kw_op_run(app, actor, &op, out, err);
}

/* ---- anonymous scores (INT-3, INT-4) ---- */

/* A score submission (kw_interview_score_op): written by score_job, answered by
 * score_answer. */
struct kw_iv_score {
	int64_t panel, order, cand, staff, total, examiners, entered;
	char *scores, *reason;
	int corrected;
};

static void score_free(void *p)
{
	struct kw_iv_score *j = p;
	if (!j)
		return;
	free(j->scores);
	free(j->reason);
	free(j);
}

static int score_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct kw_iv_score *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int64_t have = 0, id = 0;
	int found = 0, open = 0;
	/* a first entry, the common case, in one statement (the writer runs jobs one after
	 * another: on PostgreSQL each statement is a round trip); when it writes nothing the
	 * candidate's scores are closed or this examiner's entered — said below */
	if (!j->reason) {
		int rc = kw_audit_put(
		        tx, err, "interview_scores", "interview.score.enter", NULL, &id,
		        "INSERT INTO interview_scores (candidate_id, staff_id, scores, total, "
		        "corrections, created_at, updated_at) SELECT CAST($1 AS BIGINT), CAST($2 "
		        "AS "
		        "BIGINT), $3, CAST($4 AS BIGINT), 0, $5, $5 WHERE EXISTS (SELECT 1 FROM "
		        "interview_candidates WHERE id = CAST($1 AS BIGINT) AND stage = 'scoring') "
		        "ON CONFLICT (candidate_id, staff_id) DO NOTHING",
		        "iitit", j->cand, j->staff, j->scores, j->total, ts);
		if (rc || id)
			return rc;
	}
	int rc = one_i64(tx->conn,
	                 "SELECT COUNT(*) FROM interview_candidates WHERE id = $1 AND stage = "
	                 "'scoring'",
	                 1, j->cand, 0, &have, &found, err);
	open = have > 0;
	if (!rc)
		rc = one_i64(
		        tx->conn,
		        "SELECT id FROM interview_scores WHERE candidate_id = $1 AND staff_id = "
		        "$2",
		        2, j->cand, j->staff, &id, &found, err);
	if (rc)
		return rc;
	if (!open)
		return kw_err_set(err, KW_ECONFLICT, "INTERVIEW_SCORES_CLOSED", "INT-4",
		                  "the scorer has computed this candidate's result: scores are "
		                  "closed");
	if (found && !j->reason)
		return kw_err_set(err, KW_ECONFLICT, "INTERVIEW_SCORE_ENTERED", "INT-4",
		                  "you have scored this candidate; a correction needs a reason");
	j->corrected = found;
	if (found)
		return kw_audit_put(tx, err, "interview_scores", "interview.score.correct",
		                    json_pack("{s:s}", "reason", j->reason), NULL,
		                    "UPDATE interview_scores SET scores = $1, total = $2, "
		                    "corrections = corrections + 1, updated_at = $3 WHERE id = $4",
		                    "titi", j->scores, j->total, ts, id);
	return kw_audit_put(tx, err, "interview_scores", "interview.score.enter", NULL, NULL,
	                    "INSERT INTO interview_scores (candidate_id, staff_id, scores, total, "
	                    "corrections, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, "
	                    "$5)",
	                    "iitit", j->cand, j->staff, j->scores, j->total, ts);
}

static int64_t entered_count(struct kw_conn *c, int64_t cand, struct kw_err *err, int *rc)
{
	int64_t n = 0;
	int found;
	*rc = one_i64(c, "SELECT COUNT(*) FROM interview_scores WHERE candidate_id = $1", 1, cand,
	              0, &n, &found, err);
	return n;
}

static int score_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	const struct kw_iv_score *j = arg;
	int rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t n = entered_count(c, j->cand, err, &rc);
	kw_pool_put(app->pool, c);
	/* the examiner's answer: the order number and counts only — never who the candidate is */
	if (!rc)
		*out = json_pack("{s:I, s:I, s:o, s:b, s:I, s:I}", "panel_id", (json_int_t)j->panel,
		                 "order_no", (json_int_t)j->order, "total",
		                 score_json(kw_iv_div_half_up(j->total, 100)), "corrected",
		                 j->corrected, "entered", (json_int_t)n, "examiners",
		                 (json_int_t)j->examiners);
	return rc;
}

int kw_interview_score_op(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                          int64_t order, const json_t *body, struct kw_op *op, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        {"scores", KW_JARRAY, KW_JREQUIRED, 1, 20},
	        KW_JSTR("correction_reason", 500, 0),
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof fields[0], err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct pctx p;
	struct order_ctx m;
	rc = order_load(c, s, "interview.score", panel, order, &p, &m, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	if (!m.staff || !is_examiner_duty(m.duty))
		rc = kw_err_set(err, KW_EFORBIDDEN, "INTERVIEW_NOT_EXAMINER", "INT-4",
		                "only the panel's examiners enter scores");
	else if (!m.cand)
		rc = no_order(err);
	json_t *sj = json_object_get(body, "scores");
	size_t nd = json_array_size(p.dims);
	if (!rc && json_array_size(sj) != nd)
		rc = kw_err_invalid(err, "scores", "count");
	json_t *vals = json_array();
	int64_t total = 0;
	for (size_t d = 0; !rc && d < nd; d++) {
		json_t *dim = json_array_get(p.dims, d);
		int64_t v = kw_score_parse(json_string_value(json_array_get(sj, d)));
		int64_t max = json_integer_value(json_object_get(dim, "max"));
		if (v < 0) {
			rc = kw_err_invalid(err, "scores", "format");
		} else if (v > max) {
			kw_err_set(err, KW_ERULE, "INTERVIEW_SCORE_RANGE", "INT-4",
			           "a score lies outside its dimension's range");
			kw_err_detail(err, "dimension", json_incref(json_object_get(dim, "name")));
			kw_err_detail(err, "max", score_json(max));
			rc = KW_ERULE;
		} else {
			json_array_append_new(vals, json_integer((json_int_t)v));
			total += v * json_integer_value(json_object_get(dim, "weight"));
		}
	}
	if (!rc) {
		const char *reason = json_string_value(json_object_get(body, "correction_reason"));
		struct kw_iv_score *j = kw_xcalloc(1, sizeof *j);
		*j = (struct kw_iv_score){panel,
		                          order,
		                          m.cand,
		                          m.staff,
		                          total,
		                          p.examiners,
		                          0,
		                          json_dumps(vals, JSON_COMPACT),
		                          reason ? kw_xstrdup(reason) : NULL,
		                          0};
		*op = (struct kw_op){score_job, score_answer, score_free, j, 0, NULL};
	}
	json_decref(vals);
	pctx_release(&p);
	return rc;
}

int kw_interview_scores_get(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                            int64_t order, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct pctx p;
	struct order_ctx m;
	int rc = order_load(c, s, "interview.score", panel, order, &p, &m, err);
	if (rc) {
		kw_pool_put(app->pool, c);
		return rc;
	}
	int64_t n = 0, cand = m.cand, staff = m.staff, score = m.score;
	const char *stage = m.stage;
	if (!staff)
		rc = kw_err_set(err, KW_EFORBIDDEN, "INTERVIEW_NOT_MEMBER", "INT-4",
		                "only the panel's members read its scores");
	else if (!cand)
		rc = no_order(err);
	if (!rc)
		n = entered_count(c, cand, err, &rc);
	if (!rc && n < p.examiners) {
		kw_err_set(err, KW_EFORBIDDEN, "INTERVIEW_SCORES_HIDDEN", "INT-4",
		           "the scores stay hidden until every examiner has entered theirs");
		kw_err_detail(err, "entered", json_integer((json_int_t)n));
		kw_err_detail(err, "examiners", json_integer((json_int_t)p.examiners));
		rc = KW_EFORBIDDEN;
	}
	json_t *items = json_array();
	struct kw_stmt *q = NULL;
	struct settings st;
	if (!rc)
		rc = settings_load(c, p.exam, &st, err);
	/* the totals (ten-thousandths) in item order, for marking the trimmed ones */
	int64_t *tot = kw_xmalloc(((size_t)p.examiners + 1) * sizeof *tot);
	size_t nt = 0;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT f.code, m.duty, x.scores, x.total, x.corrections FROM "
		                     "interview_scores x JOIN staff f ON f.id = x.staff_id JOIN "
		                     "interview_panel_members m ON m.staff_id = x.staff_id AND "
		                     "m.panel_id = $2 WHERE x.candidate_id = $1 ORDER BY f.code",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, cand);
		kw_stmt_bind_int64(q, 2, panel);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_t *raw = json_loads(kw_stmt_column_text(q, 2, NULL), 0, NULL), *v;
			json_t *sc = json_array();
			size_t k;
			json_array_foreach(raw, k, v)
			        json_array_append_new(sc, score_json(json_integer_value(v)));
			json_decref(raw);
			if (nt < (size_t)p.examiners)
				tot[nt++] = kw_stmt_column_int64(q, 3);
			json_array_append_new(
			        items,
			        json_pack("{s:s, s:s, s:o, s:o, s:I, s:n}", "examiner",
			                  kw_stmt_column_text(q, 0, NULL), "duty",
			                  kw_stmt_column_text(q, 1, NULL), "scores", sc, "total",
			                  score_json(kw_iv_div_half_up(kw_stmt_column_int64(q, 3),
			                                               100)),
			                  "corrections", (json_int_t)kw_stmt_column_int64(q, 4),
			                  "dropped"));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	kw_pool_put(app->pool, c);
	/* the trimmed method drops one highest and one lowest total (core/interview.c): the
	 * first of the highest and the first of the lowest in this order are marked */
	int trimmed =
	        !rc && strcmp(st.method, "mean") != 0 && nt >= 3 && nt == json_array_size(items);
	if (trimmed) {
		size_t hi = 0, lo = 0;
		for (size_t k = 1; k < nt; k++) {
			if (tot[k] > tot[hi])
				hi = k;
			if (tot[k] < tot[lo])
				lo = k;
		}
		if (hi == lo) /* all equal: any two */
			lo = hi == 0 ? 1 : 0;
		json_object_set_new(json_array_get(items, hi), "dropped", json_string("highest"));
		json_object_set_new(json_array_get(items, lo), "dropped", json_string("lowest"));
	}
	free(tot);
	if (!rc)
		*out = json_pack("{s:I, s:I, s:s, s:o, s:s, s:o}", "panel_id", (json_int_t)panel,
		                 "order_no", (json_int_t)order, "stage", stage, "score",
		                 score < 0 ? json_null() : score_json(score), "method", st.method,
		                 "items", items);
	else
		json_decref(items);
	pctx_release(&p);
	return rc;
}

/* ---- computation and sign-offs (INT-4, INT-6) ---- */

/* as: one of the three duties' static names; dims owned (a reference). */
struct sign_job {
	int64_t cand, panel, examiners, exam;
	const char *as;
	json_t *dims;
	int64_t score, composite, order;
};

static void sign_free(void *p)
{
	struct sign_job *j = p;
	if (j)
		json_decref(j->dims);
	free(j);
}

static int sign_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	struct sign_job *j = arg;
	(void)app;
	(void)err;
	*out = json_pack("{s:I, s:I, s:s, s:o, s:o}", "panel_id", (json_int_t)j->panel, "order_no",
	                 (json_int_t)j->order, "stage", j->as, "score",
	                 j->score < 0 ? json_null() : score_json(j->score), "composite",
	                 j->composite < 0 ? json_null() : score_json(j->composite));
	return 0;
}

static int sign_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct sign_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	struct kw_stmt *q = NULL;
	char stage[16] = "";
	int64_t written = 0;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT stage, written, score FROM interview_candidates WHERE id "
	                         "= $1",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->cand);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			snprintf(stage, sizeof stage, "%s", kw_stmt_column_text(q, 0, NULL));
			written = kw_stmt_column_int64(q, 1);
			j->score = kw_stmt_column_is_null(q, 2) ? -1 : kw_stmt_column_int64(q, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (rc)
		return rc;
	const char *next = !strcmp(stage, "scoring")      ? "scorer"
	                   : !strcmp(stage, "scorer")     ? "supervisor"
	                   : !strcmp(stage, "supervisor") ? "chief"
	                                                  : "";
	if (strcmp(next, j->as) != 0) {
		kw_err_set(err, KW_ECONFLICT, "INTERVIEW_SIGNOFF_ORDER", "INT-4",
		           "sign-offs go in order: scorer, supervisor, chief");
		kw_err_detail(err, "expected", *next ? json_string(next) : json_null());
		return KW_ECONFLICT;
	}
	json_t *d = json_pack("{s:s}", "as", j->as);
	if (!strcmp(j->as, "scorer")) {
		size_t nd = json_array_size(j->dims);
		struct kw_iv_dim *dims = kw_xmalloc((nd + 1) * sizeof *dims);
		for (size_t k = 0; k < nd; k++) {
			json_t *x = json_array_get(j->dims, k);
			dims[k].max = (int32_t)json_integer_value(json_object_get(x, "max"));
			dims[k].weight = (uint32_t)json_integer_value(json_object_get(x, "weight"));
		}
		int32_t *sc = kw_xmalloc(((size_t)j->examiners * nd + 1) * sizeof *sc);
		size_t ne = 0;
		q = NULL;
		rc = kw_conn_prepare(tx->conn,
		                     "SELECT x.scores FROM interview_scores x JOIN "
		                     "interview_panel_members m ON m.staff_id = x.staff_id AND "
		                     "m.panel_id = $2 WHERE x.candidate_id = $1 AND m.duty IN "
		                     "('chief', 'deputy', 'examiner') ORDER BY x.staff_id",
		                     &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, j->cand);
			kw_stmt_bind_int64(q, 2, j->panel);
			while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
				json_t *v = json_loads(kw_stmt_column_text(q, 0, NULL), 0, NULL);
				if (ne < (size_t)j->examiners)
					for (size_t k = 0; k < nd; k++)
						sc[ne * nd + k] = (int32_t)json_integer_value(
						        json_array_get(v, k));
				ne++;
				json_decref(v);
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(q);
		struct settings st;
		if (!rc)
			rc = settings_load(tx->conn, j->exam, &st, err);
		int32_t res = 0;
		size_t be, bd;
		if (!rc && ne < (size_t)j->examiners) {
			kw_err_set(err, KW_ECONFLICT, "INTERVIEW_SCORES_MISSING", "INT-4",
			           "every examiner must enter scores before the scorer computes");
			kw_err_detail(err, "entered", json_integer((json_int_t)ne));
			rc = KW_ECONFLICT;
		}
		if (!rc && kw_iv_panel_score(dims, nd, sc, ne,
		                             strcmp(st.method, "mean") ? KW_IV_TRIMMED : KW_IV_MEAN,
		                             &res, &be, &bd))
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "the panel's scores cannot be computed");
		free(dims);
		free(sc);
		j->score = res;
		if (!rc) {
			json_object_set_new(d, "method", json_string(st.method));
			json_object_set_new(d, "score", score_json(res));
			rc = kw_audit_put(
			        tx, err, "interview_candidates", "interview.signoff", d, NULL,
			        "UPDATE interview_candidates SET stage = 'scorer', score = "
			        "$1, scorer_at = $2, updated_at = $2 WHERE id = $3",
			        "iti", (int64_t)res, ts, j->cand);
			d = NULL;
		}
	} else if (!strcmp(j->as, "supervisor")) {
		rc = kw_audit_put(tx, err, "interview_candidates", "interview.signoff", d, NULL,
		                  "UPDATE interview_candidates SET stage = 'supervisor', "
		                  "supervisor_at = $1, updated_at = $1 WHERE id = $2",
		                  "ti", ts, j->cand);
		d = NULL;
	} else {
		struct settings st;
		int32_t comp = 0;
		rc = settings_load(tx->conn, j->exam, &st, err);
		if (!rc && kw_iv_composite((int32_t)written, (int32_t)j->score,
		                           (uint32_t)st.w_written, (uint32_t)st.w_interview, &comp))
			rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                "the composite cannot be computed");
		j->composite = comp;
		if (!rc) {
			rc = kw_audit_put(
			        tx, err, "interview_candidates", "interview.signoff", d, NULL,
			        "UPDATE interview_candidates SET stage = 'chief', composite "
			        "= $1, chief_at = $2, updated_at = $2 WHERE id = $3",
			        "iti", (int64_t)comp, ts, j->cand);
			d = NULL;
		}
	}
	json_decref(d);
	return rc;
}

int kw_interview_signoff_op(struct kw_app *app, const struct kw_session_info *s, int64_t panel,
                            int64_t order, const json_t *body, struct kw_op *op, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {KW_JSTR("as", 16, KW_JREQUIRED)};
	int rc = kw_json_check(body, fields, 1, err);
	if (rc)
		return rc;
	static const char *const duty_names[] = {"scorer", "supervisor", "chief"};
	const char *as = NULL, *given = json_string_value(json_object_get(body, "as"));
	for (int k = 0; k < 3; k++)
		if (!strcmp(given, duty_names[k]))
			as = duty_names[k];
	if (!as)
		return kw_err_invalid(err, "as", "not_allowed");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct pctx p;
	struct order_ctx m;
	rc = order_load(c, s, "interview.score", panel, order, &p, &m, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	if (!m.staff || strcmp(m.duty, as) != 0) {
		kw_err_set(err, KW_EFORBIDDEN, "INTERVIEW_SIGNOFF_ROLE", "INT-4",
		           "only the panel member holding that duty signs it");
		kw_err_detail(err, "as", json_string(as));
		rc = KW_EFORBIDDEN;
	} else if (!m.cand) {
		rc = no_order(err);
	}
	if (!rc) {
		struct sign_job *j = kw_xmalloc(sizeof *j);
		*j = (struct sign_job){m.cand, panel, p.examiners, p.exam, as, json_incref(p.dims),
		                       -1,     -1,    order};
		*op = (struct kw_op){sign_write, sign_answer, sign_free, j, 0, NULL};
	}
	pctx_release(&p);
	return rc;
}

int kw_interview_signoff(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t panel, int64_t order,
                         const json_t *body, json_t **out, struct kw_err *err)
{
	struct kw_op op;
	int rc = kw_interview_signoff_op(app, s, panel, order, body, &op, err);
	return rc ? rc : kw_op_run(app, actor, &op, out, err);
}

/* ---- publication of a position's results (INT-4: within 48 hours, late flagged) ---- */

struct pub_job {
	int64_t list;
	const char *deadline;
	int late;
};

static int pub_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct pub_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int64_t id = 0;
	int found = 0;
	int rc = one_i64(tx->conn,
	                 "SELECT id FROM interview_result_publications WHERE shortlist_id = $1", 1,
	                 j->list, 0, &id, &found, err);
	if (!rc && found)
		return kw_err_set(err, KW_ECONFLICT, "INTERVIEW_RESULTS_PUBLISHED", NULL,
		                  "this position's interview results are already published");
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "interview_result_publications", "interview.results.publish",
		        json_pack("{s:b, s:s}", "late", j->late, "deadline", j->deadline), NULL,
		        "INSERT INTO interview_result_publications (shortlist_id, deadline, "
		        "late, published_by, published_at) VALUES ($1, $2, $3, $4, $5)",
		        "itiit", j->list, j->deadline, (int64_t)j->late, tx->actor->id, ts);
	return rc;
}

/* A position's admitted candidates whose result the chief has signed (composite order) in
 * items; *pending the others; *ends the end of the latest interview day among them all. */
static int results_gather(struct kw_conn *c, int64_t list, json_t *items, int64_t *pending,
                          int64_t *ends, struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	*pending = *ends = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT e.ticket_no, e.masked_name, e.written, c.order_no, c.score, "
	        "c.composite, c.stage, d.ends_at, p.code FROM interview_shortlist_entries "
	        "e "
	        "LEFT JOIN interview_candidates c ON c.registration_id = e.registration_id "
	        "LEFT JOIN interview_panels p ON p.id = c.panel_id LEFT JOIN "
	        "interview_day_panels x ON x.panel_id = c.panel_id LEFT JOIN "
	        "interview_days d "
	        "ON d.id = x.day_id WHERE e.shortlist_id = $1 AND e.state = 'admitted' "
	        "ORDER "
	        "BY c.composite DESC, e.ticket_no",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, list);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			int64_t e_us = 0;
			if (!kw_stmt_column_is_null(q, 7) &&
			    !kw_clock_parse(kw_stmt_column_text(q, 7, NULL), &e_us) && e_us > *ends)
				*ends = e_us;
			if (kw_stmt_column_is_null(q, 6) ||
			    strcmp(kw_stmt_column_text(q, 6, NULL), "chief") != 0) {
				(*pending)++;
				continue;
			}
			json_array_append_new(
			        items,
			        json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o}", "ticket_no",
			                  kw_stmt_column_text(q, 0, NULL), "masked_name",
			                  kw_stmt_column_text(q, 1, NULL), "panel",
			                  kw_stmt_column_text(q, 8, NULL), "order_no",
			                  (json_int_t)kw_stmt_column_int64(q, 3), "written",
			                  score_json(kw_stmt_column_int64(q, 2)), "interview",
			                  score_json(kw_stmt_column_int64(q, 4)), "composite",
			                  score_json(kw_stmt_column_int64(q, 5))));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

int kw_interview_results_publish(struct kw_app *app, const struct kw_actor *actor,
                                 const struct kw_session_info *s, int64_t list, json_t **out,
                                 struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *sl = NULL;
	int64_t exam = 0;
	int rc = shortlist_load(c, s, "interview.manage", list, 0, &sl, &exam, err);
	json_t *items = json_array();
	int64_t pending = 0, ends = 0;
	if (!rc)
		rc = results_gather(c, list, items, &pending, &ends, err);
	kw_pool_put(app->pool, c);
	if (!rc && (pending || !json_array_size(items))) {
		kw_err_set(err, KW_ECONFLICT, "INTERVIEW_RESULTS_PENDING", "INT-4",
		           "every admitted candidate's result needs the chief's sign-off first");
		kw_err_detail(err, "pending", json_integer((json_int_t)pending));
		rc = KW_ECONFLICT;
	}
	char deadline[32];
	int64_t dl = ends + (int64_t)48 * 3600 * 1000000;
	kw_clock_format(dl, deadline);
	struct pub_job j = {list, deadline, kw_clock_now_us() > dl};
	if (!rc)
		rc = kw_writer_run(app->writer, pub_write, &j, actor, err);
	if (!rc)
		*out = json_pack("{s:I, s:O, s:s, s:b, s:o}", "shortlist_id", (json_int_t)list,
		                 "position_code", json_object_get(sl, "position_code"), "deadline",
		                 deadline, "late", j.late, "results", items);
	else
		json_decref(items);
	json_decref(sl);
	return rc;
}

int kw_interview_results_get(struct kw_app *app, const struct kw_session_info *s, int64_t list,
                             json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *sl = NULL, *items = json_array(), *pub = json_null();
	int64_t exam = 0, pending = 0, ends = 0;
	struct kw_exam_ref e;
	int rc = shortlist_load(c, s, "interview.read", list, 0, &sl, &exam, err);
	if (!rc)
		rc = kw_exam_ref_load(c, s, "interview.read", exam, &e, err);
	if (!rc)
		rc = results_gather(c, list, items, &pending, &ends, err);
	struct kw_stmt *q = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT deadline, late, published_at FROM "
		                     "interview_result_publications WHERE shortlist_id = $1",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, list);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_decref(pub);
			pub = json_pack("{s:s, s:b, s:s}", "deadline",
			                kw_stmt_column_text(q, 0, NULL), "late",
			                (int)kw_stmt_column_int64(q, 1), "published_at",
			                kw_stmt_column_text(q, 2, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	/* before the order draw: the day of the panels that interview this position */
	q = NULL;
	int64_t pos = json_integer_value(json_object_get(sl, "position_id"));
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT p.positions, d.ends_at FROM interview_panels p JOIN "
		                     "interview_day_panels x ON x.panel_id = p.id JOIN "
		                     "interview_days d ON d.id = x.day_id WHERE p.exam_id = $1",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_t *ps = json_loads(kw_stmt_column_text(q, 0, NULL), 0, NULL), *v;
			size_t k;
			int64_t e_us = 0;
			json_array_foreach(
			        ps, k,
			        v) if (json_integer_value(v) == pos &&
			               !kw_clock_parse(kw_stmt_column_text(q, 1, NULL), &e_us) &&
			               e_us > ends) ends = e_us;
			json_decref(ps);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	/* before the publication the results are for the organisers (interview.manage) only */
	int shown = !rc && (!json_is_null(pub) || can(c, s, "interview.manage", e.unit));
	kw_pool_put(app->pool, c);
	char deadline[32] = "";
	if (ends)
		kw_clock_format(ends + (int64_t)48 * 3600 * 1000000, deadline);
	if (!rc)
		*out = json_pack("{s:I, s:O, s:o, s:b, s:I, s:I, s:o, s:o}", "shortlist_id",
		                 (json_int_t)list, "position_code",
		                 json_object_get(sl, "position_code"), "deadline",
		                 ends ? json_string(deadline) : json_null(), "overdue",
		                 ends && json_is_null(pub) &&
		                         kw_clock_now_us() > ends + (int64_t)48 * 3600 * 1000000,
		                 "pending", (json_int_t)pending, "signed",
		                 (json_int_t)json_array_size(items), "publication", pub, "results",
		                 shown ? json_incref(items) : json_null());
	else
		json_decref(pub);
	json_decref(items);
	json_decref(sl);
	return rc;
}

/* ---- the exam's interview days; the panels an examiner sits on ---- */

int kw_interview_days_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                           json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *items = json_array();
	int rc = exam_ids(c, s, exam,
	                  "SELECT id FROM interview_days WHERE exam_id = $1 ORDER BY day", items,
	                  err);
	for (size_t i = 0; !rc && i < json_array_size(items); i++) {
		json_t *one = NULL;
		rc = day_json(c, s, json_integer_value(json_array_get(items, i)), &one, err);
		if (!rc)
			json_array_set_new(items, i, one);
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* One panel of the caller's: its order numbers with their stage, how many examiners have
 * entered, the caller's own entry and the panel score once computed — never a candidate. */
static int my_orders(struct kw_conn *c, int64_t panel, int64_t staff, json_t **out,
                     struct kw_err *err)
{
	json_t *items = json_array();
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT c.order_no, c.stage, c.score, COUNT(x.id) FROM "
	                         "interview_candidates c LEFT JOIN interview_scores x ON "
	                         "x.candidate_id = c.id WHERE c.panel_id = $1 GROUP BY c.id, "
	                         "c.order_no, c.stage, c.score ORDER BY c.order_no",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, panel);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW)
			json_array_append_new(
			        items, json_pack("{s:I, s:s, s:o, s:I, s:n}", "order_no",
			                         (json_int_t)kw_stmt_column_int64(q, 0), "stage",
			                         kw_stmt_column_text(q, 1, NULL), "score",
			                         kw_stmt_column_is_null(q, 2)
			                                 ? json_null()
			                                 : score_json(kw_stmt_column_int64(q, 2)),
			                         "entered", (json_int_t)kw_stmt_column_int64(q, 3),
			                         "mine"));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	q = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT c.order_no, x.scores, x.total, x.corrections FROM "
		                     "interview_scores x JOIN interview_candidates c ON c.id = "
		                     "x.candidate_id WHERE c.panel_id = $1 AND x.staff_id = $2",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, panel);
		kw_stmt_bind_int64(q, 2, staff);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			int64_t no = kw_stmt_column_int64(q, 0);
			json_t *raw = json_loads(kw_stmt_column_text(q, 1, NULL), 0, NULL), *v;
			json_t *sc = json_array();
			size_t k;
			json_array_foreach(raw, k, v)
			        json_array_append_new(sc, score_json(json_integer_value(v)));
			json_decref(raw);
			json_t *it;
			int done = 0;
			json_array_foreach(items, k, it) if (!done &&
			                                     json_integer_value(json_object_get(
			                                             it, "order_no")) == no)
			{
				json_object_set_new(
				        it, "mine",
				        json_pack("{s:O, s:o, s:I}", "scores", sc, "total",
				                  score_json(kw_iv_div_half_up(
				                          kw_stmt_column_int64(q, 2), 100)),
				                  "corrections",
				                  (json_int_t)kw_stmt_column_int64(q, 3)));
				done = 1;
			}
			json_decref(sc);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (rc)
		json_decref(items);
	else
		*out = items;
	return rc;
}

int kw_interview_my_panels(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                           struct kw_err *err)
{
	json_t *items = json_array();
	if (s->candidate_id || !s->user.id) {
		*out = json_pack("{s:o}", "items", items);
		return 0;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT p.id, p.code, p.starts_at, m.duty, m.staff_id, p.examiners, e.id, e.code, "
	        "e.name, d.id, d.day, d.ends_at, COALESCE(p.dimensions, d.dimensions), p.format, "
	        "p.group_size, p.dimensions, p.brief FROM interview_panel_members m "
	        "JOIN staff f ON f.id = m.staff_id JOIN interview_panels p ON p.id = m.panel_id "
	        "JOIN exams e ON e.id = p.exam_id LEFT JOIN interview_day_panels x ON x.panel_id "
	        "= p.id LEFT JOIN interview_days d ON d.id = x.day_id WHERE f.user_id = $1 ORDER "
	        "BY p.starts_at, p.code, m.id",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, s->user.id);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_t *dims =
			        kw_stmt_column_is_null(q, 12)
			                ? json_null()
			                : sheet_json(json_loads(kw_stmt_column_text(q, 12, NULL), 0,
			                                        NULL));
			int day = !kw_stmt_column_is_null(q, 9);
			json_t *it = json_pack(
			        "{s:I, s:s, s:s, s:s, s:I, s:I, s:{s:I, s:s, s:s}, s:o, "
			        "s:o, "
			        "s:o}",
			        "panel_id", (json_int_t)kw_stmt_column_int64(q, 0), "code",
			        kw_stmt_column_text(q, 1, NULL), "starts_at",
			        kw_stmt_column_text(q, 2, NULL), "duty",
			        kw_stmt_column_text(q, 3, NULL), "staff_id",
			        (json_int_t)kw_stmt_column_int64(q, 4), "examiners",
			        (json_int_t)kw_stmt_column_int64(q, 5), "exam", "id",
			        (json_int_t)kw_stmt_column_int64(q, 6), "code",
			        kw_stmt_column_text(q, 7, NULL), "name",
			        kw_stmt_column_text(q, 8, NULL), "day_id",
			        day ? json_integer(kw_stmt_column_int64(q, 9)) : json_null(), "day",
			        day ? json_string(kw_stmt_column_text(q, 10, NULL)) : json_null(),
			        "ends_at",
			        day ? json_string(kw_stmt_column_text(q, 11, NULL)) : json_null());
			/* the format, then the sheet the panel scores on (its own or the day's) */
			format_fields(it, q, 13);
			json_object_set_new(it, "dimensions", dims);
			json_array_append_new(items, it);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	json_t *it;
	size_t i;
	json_array_foreach(items, i, it)
	{
		json_t *orders = NULL;
		if (rc)
			break;
		rc = my_orders(c, json_integer_value(json_object_get(it, "panel_id")),
		               json_integer_value(json_object_get(it, "staff_id")), &orders, err);
		if (!rc)
			json_object_set_new(it, "orders", orders);
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ==== registered observers of an interview day (面试旁听, INT-7) ==== */

static const char *const observer_kinds[] = {"media", "deputy", "public", "discipline", "other"};
#define OBSERVER_KINDS (sizeof observer_kinds / sizeof observer_kinds[0])

/* The day's exam and date, the caller allowed action on its unit. */
static int obs_day_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                        int64_t day, int64_t *exam, char date[11], struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	int found = 0;
	int rc = kw_conn_prepare(c, "SELECT exam_id, day FROM interview_days WHERE id = $1", &q,
	                         err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, day);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			found = 1;
			*exam = kw_stmt_column_int64(q, 0);
			kw_stmt_column_copy(q, 1, date, 11);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !found)
		return kw_err_not_found(err, "interview day");
	struct kw_exam_ref e;
	return rc ? rc : kw_exam_ref_load(c, s, action, *exam, &e, err);
}

static int observer_json(struct kw_conn *c, int64_t day, int64_t id, json_t **out,
                         struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	json_t *items = json_array();
	int rc = kw_conn_prepare(c,
	                         "SELECT o.id, o.name, o.id_masked, o.organisation, o.kind, "
	                         "o.panel_id, p.code, o.attended_at, o.left_at, o.created_at FROM "
	                         "interview_observers o LEFT JOIN interview_panels p ON p.id = "
	                         "o.panel_id WHERE o.day_id = $1 AND ($2 = 0 OR o.id = $2) ORDER "
	                         "BY o.id",
	                         &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, day);
		kw_stmt_bind_int64(q, 2, id);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			json_t *o =
			        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id",
			                  (json_int_t)kw_stmt_column_int64(q, 0), "day_id",
			                  (json_int_t)day, "name", kw_stmt_column_text(q, 1, NULL),
			                  "id_number", kw_stmt_column_text(q, 2, NULL),
			                  "organisation", kw_stmt_column_text(q, 3, NULL), "kind",
			                  kw_stmt_column_text(q, 4, NULL));
			int sat = !kw_stmt_column_is_null(q, 5);
			json_object_set_new(o, "panel",
			                    sat ? json_pack("{s:I, s:s}", "id",
			                                    (json_int_t)kw_stmt_column_int64(q, 5),
			                                    "code", kw_stmt_column_text(q, 6, NULL))
			                        : json_null());
			const char *t[3] = {"attended_at", "left_at", "registered_at"};
			for (int k = 0; k < 3; k++) {
				int64_t us;
				json_object_set_new(
				        o, t[k],
				        kw_stmt_column_is_null(q, 7 + k) ||
				                        kw_clock_parse(
				                                kw_stmt_column_text(q, 7 + k, NULL),
				                                &us)
				                ? json_null()
				                : kw_json_time_china(us));
			}
			json_array_append_new(items, o);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && id && !json_array_size(items))
		rc = kw_err_not_found(err, "observer");
	if (!rc)
		*out = id ? json_incref(json_array_get(items, 0))
		          : json_pack("{s:O}", "items", items);
	json_decref(items);
	return rc;
}

struct obs_job {
	int op; /* 0 register, 1 attendance, 2 departure */
	int64_t day, id, panel;
	const char *name, *masked, *digest, *org, *kind;
};

static int obs_write(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct obs_job *j = arg;
	char ts[32];
	kw_clock_format(tx->now_us, ts);
	int found = 0, rc;
	if (j->op == 0) {
		/* one registration per person and day */
		struct kw_stmt *q = NULL;
		rc = kw_conn_prepare(tx->conn,
		                     "SELECT id FROM interview_observers WHERE day_id = $1 AND "
		                     "id_digest = $2",
		                     &q, err);
		if (!rc) {
			kw_stmt_bind_int64(q, 1, j->day);
			kw_stmt_bind_textz(q, 2, j->digest);
			found = (rc = kw_stmt_step(q, err)) == KW_ROW;
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(q);
		if (!rc && found)
			return kw_err_set(err, KW_ECONFLICT, "OBSERVER_EXISTS", "INT-7",
			                  "this person is already registered to observe this day");
		return rc ? rc
		          : kw_audit_put(
		                    tx, err, "interview_observers", "interview.observer.register",
		                    json_pack("{s:I, s:s}", "day_id", (json_int_t)j->day, "kind",
		                              j->kind),
		                    &j->id,
		                    "INSERT INTO interview_observers (day_id, name, id_masked, "
		                    "id_digest, organisation, kind, created_by, created_at, "
		                    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
		                    "itttttit", j->day, j->name, j->masked, j->digest, j->org,
		                    j->kind, tx->actor->id, ts);
	}
	/* attendance and departure: each once, in that order (checked again under the writer) */
	struct kw_stmt *q = NULL;
	int attended = 0, left = 0;
	rc = kw_conn_prepare(tx->conn,
	                     "SELECT attended_at IS NOT NULL, left_at IS NOT NULL FROM "
	                     "interview_observers WHERE id = $1",
	                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, j->id);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			attended = kw_stmt_column_int64(q, 0) != 0;
			left = kw_stmt_column_int64(q, 1) != 0;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && j->op == 1 && attended)
		return kw_err_set(err, KW_ECONFLICT, "OBSERVER_ATTENDED", "INT-7",
		                  "this observer's attendance is already recorded");
	if (!rc && j->op == 2 && (!attended || left))
		return kw_err_set(err, KW_ECONFLICT, "OBSERVER_NOT_PRESENT", "INT-7",
		                  "this observer is not in an interview room");
	if (rc)
		return rc;
	return j->op == 1
	               ? kw_audit_put(tx, err, "interview_observers", "interview.observer.attend",
	                              json_pack("{s:I}", "panel_id", (json_int_t)j->panel), NULL,
	                              "UPDATE interview_observers SET panel_id = $2, "
	                              "attended_at = $3, updated_at = $3 WHERE id = $1",
	                              "iit", j->id, j->panel, ts)
	               : kw_audit_put(tx, err, "interview_observers", "interview.observer.leave",
	                              json_object(), NULL,
	                              "UPDATE interview_observers SET left_at = $2, "
	                              "updated_at = $2 WHERE id = $1",
	                              "it", j->id, ts);
}

int kw_interview_observer_register(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t day, const json_t *body,
                                   json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("name", 40, KW_JREQUIRED),      KW_JSTR("id_type", 20, 0),
	        KW_JSTR("id_number", 32, KW_JREQUIRED), KW_JSTR("organisation", 60, KW_JREQUIRED),
	        KW_JSTR("kind", 16, KW_JREQUIRED),
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof fields[0], err);
	if (rc)
		return rc;
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *type = json_string_value(json_object_get(body, "id_type"));
	size_t k = 0;
	while (k < OBSERVER_KINDS && strcmp(kind, observer_kinds[k]) != 0)
		k++;
	if (k == OBSERVER_KINDS)
		return kw_err_invalid(err, "kind", "unknown");
	enum kw_idno_type t = kw_idno_type_of(type ? type : "resident_id");
	if (!t)
		return kw_err_invalid(err, "id_type", "unknown");
	char today[11];
	kw_clock_china_date(kw_clock_now_us(), today);
	struct kw_idno idn;
	int bad = kw_idno_check(t, json_string_value(json_object_get(body, "id_number")), today,
	                        &idn);
	if (bad)
		return kw_err_invalid(err, "id_number", kw_idno_problem(bad));
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t exam = 0, begins = 0, taken = 0;
	char date[11] = "";
	rc = obs_day_load(c, s, "interview.manage", day, &exam, date, err);
	/* registration closes when the day begins (China time) */
	if (!rc && (kw_clock_china_day(date, 0, &begins) || kw_clock_now_us() >= begins))
		rc = kw_err_set(err, KW_ERULE, "OBSERVER_REGISTRATION_CLOSED", "INT-7",
		                "observers register before the interview day begins");
	/* a candidate of the exam's shortlists does not observe */
	struct kw_stmt *q = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT COUNT(*) FROM interview_shortlist_entries x JOIN "
		                     "interview_shortlists l ON l.id = x.shortlist_id JOIN "
		                     "registrations r ON r.id = x.registration_id JOIN candidates "
		                     "d ON d.id = r.candidate_id WHERE l.exam_id = $1 AND "
		                     "d.id_number = $2",
		                     &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		kw_stmt_bind_textz(q, 2, idn.norm);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW)
			taken = kw_stmt_column_int64(q, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	kw_pool_put(app->pool, c);
	if (!rc && taken)
		rc = kw_err_set(err, KW_ERULE, "OBSERVER_IS_CANDIDATE", "INT-7",
		                "a candidate of this exam's interviews cannot observe them");
	if (rc)
		return rc;
	char masked[40], digest[65];
	kw_mask_id_number(idn.norm, masked, sizeof masked);
	uint8_t h[crypto_hash_sha256_BYTES];
	char salted[64];
	snprintf(salted, sizeof salted, "observer:%s", idn.norm);
	crypto_hash_sha256(h, (const uint8_t *)salted, strlen(salted));
	sodium_bin2hex(digest, sizeof digest, h, sizeof h);
	struct obs_job j = {0,
	                    day,
	                    0,
	                    0,
	                    json_string_value(json_object_get(body, "name")),
	                    masked,
	                    digest,
	                    json_string_value(json_object_get(body, "organisation")),
	                    observer_kinds[k]};
	rc = kw_writer_run(app->writer, obs_write, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = observer_json(c, day, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

int kw_interview_observers_list(struct kw_app *app, const struct kw_session_info *s, int64_t day,
                                json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t exam = 0;
	char date[11];
	int rc = obs_day_load(c, s, "interview.read", day, &exam, date, err);
	if (!rc)
		rc = observer_json(c, day, 0, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_interview_observer_presence(struct kw_app *app, const struct kw_actor *actor,
                                   const struct kw_session_info *s, int64_t id, int leaving,
                                   const json_t *body, json_t **out, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        {"panel_id", KW_JINTEGER, KW_JREQUIRED, 0, 0},
	};
	int rc = leaving ? 0 : kw_json_check(body, fields, 1, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t day = 0, exam = 0, on_day = 0;
	int found = 0;
	char date[11] = "", today[11];
	rc = one_i64(c, "SELECT day_id FROM interview_observers WHERE id = $1", 1, id, 0, &day,
	             &found, err);
	if (!rc && !found)
		rc = kw_err_not_found(err, "observer");
	if (!rc)
		rc = obs_day_load(c, s, "interview.manage", day, &exam, date, err);
	kw_clock_china_date(kw_clock_now_us(), today);
	if (!rc && strcmp(today, date) != 0)
		rc = kw_err_set(err, KW_ERULE, "OBSERVER_NOT_TODAY", "INT-7",
		                "an observer's attendance is recorded on the interview day");
	int64_t panel = leaving ? 0 : json_integer_value(json_object_get(body, "panel_id"));
	if (!rc && !leaving) {
		rc = one_i64(c,
		             "SELECT COUNT(*) FROM interview_day_panels WHERE day_id = $1 AND "
		             "panel_id = $2",
		             2, day, panel, &on_day, &found, err);
		if (!rc && !on_day)
			rc = kw_err_invalid(err, "panel_id", "not_on_day");
	}
	kw_pool_put(app->pool, c);
	struct obs_job j = {leaving ? 2 : 1, day, id, panel, NULL, NULL, NULL, NULL, NULL};
	if (!rc)
		rc = kw_writer_run(app->writer, obs_write, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = observer_json(c, day, id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}
