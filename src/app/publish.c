/*
 * Cross-checks on record, the publication of scores and the look-up (app/publish.h).
 */
#include "app/publish.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/examref.h"
#include "app/scoring.h"
#include "core/mask.h"
#include "core/score.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/ratelimit.h"

#define PUB_KIND       "score_publication.publish"
#define BLOCK_CANDS    4096
#define MAX_SUBJECTS   32
#define REFRESH_US     5000000 /* how often a process looks for a newer publication */
#define CACHE_SLOTS    16      /* exams whose records one process keeps */
#define LOAD_BLOCKS    "32"    /* publication blocks read a query when loading */
#define TICKET_PER_MIN 10      /* look-ups of one ticket number a minute */
#define CHECK_BYTES    16

/* One integer from a query with up to two parameters ('i' int64, 't' text). */
static int query_int(struct kw_conn *c, const char *sql, int64_t *out, struct kw_err *err,
                     const char *types, int64_t i1, const char *t2)
{
	struct kw_stmt *st = NULL;
	*out = 0;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		for (int k = 0; types[k]; k++) {
			if (types[k] == 'i')
				kw_stmt_bind_int64(st, k + 1, i1);
			else
				kw_stmt_bind_textz(st, k + 1, t2);
		}
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*out = kw_stmt_column_is_null(st, 0) ? 0 : kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* One integer from a query of two integer parameters. */
static int query_int2(struct kw_conn *c, const char *sql, int64_t *out, struct kw_err *err,
                      int64_t a, int64_t b)
{
	struct kw_stmt *st = NULL;
	*out = 0;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, a);
		kw_stmt_bind_int64(st, 2, b);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*out = kw_stmt_column_is_null(st, 0) ? 0 : kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* ---- cross-checks on record (GRD-7) ---- */

struct xc_job {
	int64_t run, user, id;
	const json_t *res;
	char *report, *findings; /* the first differences; the first findings (JSON) */
};

static const char *digest_now(const json_t *res, const char *name)
{
	return json_string_value(json_object_get(json_object_get(res, name), "now"));
}

static int xc_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct xc_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t diffs = json_integer_value(json_object_get(j->res, "differences"));
	/* the findings (GRD-7: distributions, absentees and marks, decisions) beside the
	 * differences; null (late columns) when there are none */
	int64_t nf =
	        json_integer_value(json_object_get(json_object_get(j->res, "findings"), "count"));
	return kw_audit_put(
	        tx, err, "score_crosschecks", "score.crosscheck",
	        json_pack("{s:I, s:I, s:s, s:I}", "run_id", (json_int_t)j->run, "differences",
	                  (json_int_t)diffs, "status",
	                  json_string_value(json_object_get(j->res, "status")), "findings",
	                  (json_int_t)nf),
	        &j->id,
	        "INSERT INTO score_crosschecks (run_id, candidates, differences, status, "
	        "answers_digest, outcomes_digest, result_digest, report, checked_by, created_at, "
	        "marks_digest, findings, findings_report) "
	        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
	        "iiitttttittnt", j->run,
	        (int64_t)json_integer_value(json_object_get(j->res, "candidates")), diffs,
	        json_string_value(json_object_get(j->res, "status")),
	        digest_now(j->res, "answers_digest"), digest_now(j->res, "outcomes_digest"),
	        digest_now(j->res, "result_digest"), j->report, j->user, now,
	        digest_now(j->res, "marks_digest"), nf, nf ? j->findings : NULL);
}

int kw_publish_crosscheck_record(struct kw_app *app, const struct kw_actor *actor,
                                 const struct kw_session_info *s, int64_t run, json_t **out,
                                 struct kw_err *err)
{
	json_t *res = NULL;
	int rc = kw_scoring_crosscheck(app, s, run, &res, err);
	if (rc)
		return rc;
	struct xc_job j = {.run = run, .user = s->user.id, .res = res};
	j.report = json_dumps(json_object_get(res, "items"), JSON_COMPACT);
	j.findings = json_dumps(json_object_get(json_object_get(res, "findings"), "items"),
	                        JSON_COMPACT);
	rc = kw_writer_run(app->writer, xc_job, &j, actor, err);
	free(j.report);
	free(j.findings);
	if (rc) {
		json_decref(res);
		return rc;
	}
	json_object_set_new(res, "id", json_integer(j.id));
	*out = res;
	return 0;
}

int kw_publish_crosschecks(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           json_t **out, struct kw_err *err)
{
	json_t *rj = NULL;
	int rc = kw_scoring_run_get(app, s, run, &rj, err);
	json_decref(rj);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	rc = kw_conn_prepare(c,
	                     "SELECT x.id, x.candidates, x.differences, x.status, x.result_digest, "
	                     "u.username, x.created_at, x.findings FROM score_crosschecks x JOIN "
	                     "users u ON u.id = x.checked_by WHERE x.run_id = $1 ORDER BY x.id "
	                     "DESC",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "id",
			                  (json_int_t)kw_stmt_column_int64(st, 0), "candidates",
			                  (json_int_t)kw_stmt_column_int64(st, 1), "differences",
			                  (json_int_t)kw_stmt_column_int64(st, 2), "status",
			                  kw_stmt_column_text(st, 3, NULL), "result_digest",
			                  kw_stmt_column_text(st, 4, NULL), "checked_by",
			                  kw_stmt_column_text(st, 5, NULL), "created_at",
			                  kw_stmt_column_text(st, 6, NULL), "findings",
			                  (json_int_t)kw_stmt_column_int64(st, 7)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "run_id", (json_int_t)run, "items", items);
	return 0;
}

/* ---- preparing a publication ---- */

struct psubj {
	int64_t id, run, xc, xc_diffs;
	char code[64], name[256];
};

/* One candidate of the publication. */
struct pcand {
	int64_t reg;
	uint8_t check[CHECK_BYTES];
	char name[40]; /* masked */
	char ticket[40];
};

/* The check of a look-up: BLAKE2b-128 keyed by the salt over the identity number (trimmed,
 * ASCII letters in upper case), a newline and the name (trimmed). */
static void lookup_check(const unsigned char salt[32], const char *idno, const char *name,
                         uint8_t out[CHECK_BYTES])
{
	char buf[512];
	size_t w = 0;
	while (*idno == ' ')
		idno++;
	for (; *idno && w < 200; idno++)
		buf[w++] = (char)toupper((unsigned char)*idno);
	while (w && buf[w - 1] == ' ')
		w--;
	buf[w++] = '\n';
	while (*name == ' ')
		name++;
	size_t nl = strlen(name);
	while (nl && name[nl - 1] == ' ')
		nl--;
	if (nl > sizeof buf - w)
		nl = sizeof buf - w;
	memcpy(buf + w, name, nl);
	w += nl;
	crypto_generichash(out, CHECK_BYTES, (const unsigned char *)buf, w, salt, 32);
}

static int subjects_check(struct kw_conn *c, const struct kw_exam_ref *e, struct psubj *v,
                          size_t *n, struct kw_err *err)
{
	*n = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT id, code, name FROM subjects WHERE exam_id = $1 ORDER BY id", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, e->id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW && *n < MAX_SUBJECTS) {
			struct psubj *p = &v[(*n)++];
			memset(p, 0, sizeof *p);
			p->id = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, p->code, sizeof p->code);
			kw_stmt_column_copy(st, 2, p->name, sizeof p->name);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !*n)
		rc = kw_err_set(err, KW_ECONFLICT, "PUBLISH_NO_RUN", "GRD-8",
		                "the exam has no subject to publish");
	size_t i = 0;
	for (; !rc && i < *n; i++) {
		struct psubj *p = &v[i];
		st = NULL;
		rc = kw_conn_prepare(c,
		                     "SELECT id FROM score_runs WHERE subject_id = $1 "
		                     "ORDER BY id DESC LIMIT 1",
		                     &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, p->id);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW) {
				p->run = kw_stmt_column_int64(st, 0);
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		if (!rc && !p->run) {
			rc = kw_err_set(err, KW_ECONFLICT, "PUBLISH_NO_RUN", "GRD-8",
			                "subject %s has no score run", p->code);
			break;
		}
		st = NULL;
		if (!rc)
			rc = kw_conn_prepare(c,
			                     "SELECT id, differences FROM score_crosschecks "
			                     "WHERE run_id = $1 ORDER BY id DESC LIMIT 1",
			                     &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, p->run);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW) {
				p->xc = kw_stmt_column_int64(st, 0);
				p->xc_diffs = kw_stmt_column_int64(st, 1);
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		if (rc)
			break;
		if (!p->xc)
			rc = kw_err_set(err, KW_ECONFLICT, "PUBLISH_NOT_CROSSCHECKED", "GRD-7",
			                "subject %s: score run %lld has no cross-check on record",
			                p->code, (long long)p->run);
		else if (p->xc_diffs)
			rc = kw_err_set(err, KW_ECONFLICT, "PUBLISH_DIFFERENCES", "GRD-7",
			                "subject %s: the cross-check of score run %lld found %lld "
			                "differences; run the subject again and cross-check it",
			                p->code, (long long)p->run, (long long)p->xc_diffs);
		/* inputs changed since, by the audit trail's order (not the clock): a key loaded
		 * after the run; answers imported or a decision applied or reversed after the
		 * cross-check — the run is no longer their result */
		int64_t run_seq = 0, xc_seq = 0, k = 0, a = 0, f = 0;
		if (!rc)
			rc = query_int(
			        c,
			        "SELECT MAX(seq) FROM audit_log WHERE entity = 'score_runs' AND "
			        "entity_id = $1",
			        &run_seq, err, "i", p->run, NULL);
		if (!rc)
			rc = query_int(c,
			               "SELECT MAX(seq) FROM audit_log WHERE entity = "
			               "'score_crosschecks' AND entity_id = $1",
			               &xc_seq, err, "i", p->xc, NULL);
		if (!rc)
			rc = query_int2(
			        c,
			        "SELECT COUNT(*) FROM audit_log a JOIN answer_keys x ON x.id = "
			        "a.entity_id WHERE a.seq > $1 AND a.entity = 'answer_keys' AND "
			        "a.action = 'score.key.load' AND x.subject_id = $2",
			        &k, err, run_seq, p->id);
		if (!rc)
			rc = query_int2(
			        c,
			        "SELECT COUNT(*) FROM audit_log a JOIN answer_blocks x ON x.id = "
			        "a.entity_id WHERE a.seq > $1 AND a.entity = 'answer_blocks' AND "
			        "x.subject_id = $2",
			        &a, err, xc_seq, p->id);
		if (!rc)
			rc = query_int2(
			        c,
			        "SELECT COUNT(*) FROM audit_log a JOIN case_effects x ON x.id = "
			        "a.entity_id JOIN registrations r ON r.id = x.registration_id "
			        "WHERE a.seq > $1 AND a.entity = 'case_effects' AND r.exam_id = $2",
			        &f, err, xc_seq, e->id);
		/* a marking of the subject the run did not take its marks from (set up after
		 * the run, or not confirmed yet): the subject's scores are not complete */
		int64_t mk = 0;
		if (!rc)
			rc = query_int2(
			        c,
			        "SELECT COUNT(*) FROM markings m WHERE m.subject_id = $1 AND "
			        "NOT EXISTS (SELECT 1 FROM score_runs r WHERE r.id = $2 AND "
			        "r.marking_id = m.id)",
			        &mk, err, p->id, p->run);
		if (!rc && (k || a || f))
			rc = kw_err_set(err, KW_ECONFLICT, "PUBLISH_STALE", "GRD-7",
			                "subject %s: %s since its cross-check; run it again and "
			                "cross-check it",
			                p->code,
			                k   ? "a key was loaded after the run"
			                : a ? "answers were imported"
			                    : "a decision was applied or reversed");
		else if (!rc && mk)
			rc = kw_err_set(
			        err, KW_ECONFLICT, "PUBLISH_STALE", "GRD-7",
			        "subject %s: score run %lld does not hold its marking's marks; "
			        "confirm the marking, run the subject again and cross-check it",
			        p->code, (long long)p->run);
		if (rc)
			break;
	}
	if (rc && i < *n)
		kw_err_detail(err, "subject", json_string(v[i].code));
	return rc;
}

static int cmp_reg(const void *a, const void *b)
{
	int64_t x = ((const struct pcand *)a)->reg, y = ((const struct pcand *)b)->reg;
	return (x > y) - (x < y);
}

static int cmp_ticket(const void *a, const void *b)
{
	const struct pcand *x = *(const struct pcand *const *)a,
	                   *y = *(const struct pcand *const *)b;
	return strcmp(x->ticket, y->ticket);
}

/* Every registration of the exam with its check and masked name, by registration id. */
static int people_load(struct kw_conn *c, int64_t exam, const unsigned char salt[32],
                       struct pcand **out, size_t *n, struct kw_err *err)
{
	size_t cap = 1024;
	struct pcand *v = kw_xmalloc(cap * sizeof *v);
	*n = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT r.id, c.id_number, c.name FROM registrations r JOIN "
	                         "candidates c ON c.id = r.candidate_id WHERE r.exam_id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (*n == cap) {
				cap *= 2;
				v = kw_xrealloc(v, cap * sizeof *v);
			}
			struct pcand *p = &v[(*n)++];
			p->reg = kw_stmt_column_int64(st, 0);
			const char *name = kw_stmt_column_text(st, 2, NULL);
			lookup_check(salt, kw_stmt_column_text(st, 1, NULL), name, p->check);
			kw_mask_name(name, p->name, sizeof p->name);
			p->ticket[0] = '\0';
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc) {
		free(v);
		return rc;
	}
	qsort(v, *n, sizeof *v, cmp_reg);
	*out = v;
	return 0;
}

static struct pcand *person_find(struct pcand *v, size_t n, int64_t reg)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].reg < reg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].reg == reg ? &v[lo] : NULL;
}

/* A subject's line for one candidate: status (s scored, z zero, c cancelled, a absent, 0 not
 * seated) and final points. */
struct pline {
	char status;
	char reviewed; /* corrected by a score review (GRD-9) */
	int32_t final;
};

/* Reads run's lines into lines[person index], and tickets into people. */
static int run_lines_load(struct kw_conn *c, int64_t run, struct pcand *people, size_t n,
                          struct pline *lines, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT body FROM score_blocks WHERE run_id = $1 ORDER BY seq",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			const char *p = kw_stmt_column_text(st, 0, NULL);
			while (p && *p) {
				/* reg \t ticket \t form \t status \t raw \t final \t case */
				const char *f[7];
				const char *q = p;
				int k = 0;
				f[k++] = q;
				for (; *q && *q != '\n'; q++)
					if (*q == '\t' && k < 7)
						f[k++] = q + 1;
				const char *next = *q ? q + 1 : NULL;
				if (k == 7) {
					struct pcand *x =
					        person_find(people, n, strtoll(f[0], NULL, 10));
					if (x) {
						size_t tl = (size_t)(f[2] - f[1] - 1);
						if (!x->ticket[0] && tl < sizeof x->ticket) {
							memcpy(x->ticket, f[1], tl);
							x->ticket[tl] = '\0';
						}
						struct pline *l = &lines[x - people];
						/* an anomaly (a sheet and no script mark, or a
						 * mark and no sheet): neither scored nor absent —
						 * published as under verification (GRD-7) */
						l->status = f[3][0] == 's'   ? 's'
						            : f[3][0] == 'z' ? 'z'
						            : f[3][0] == 'c' ? 'c'
						            : strncmp(f[3], "anomaly", 7) == 0
						                    ? 'v'
						                    : 'a';
						l->final = (int32_t)strtol(f[5], NULL, 10);
					}
				}
				p = next;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* Scores corrected by a review (GRD-9: the corrected score is final) over the run's. */
static int corrections_apply(struct kw_conn *c, int64_t exam, const struct psubj *subj,
                             size_t nsubj, struct pcand *people, size_t n,
                             struct pline *const *lines, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT registration_id, subject, rechecked_score FROM "
	                         "score_reviews WHERE exam_id = $1 AND outcome = 'corrected' AND "
	                         "approved_by IS NOT NULL ORDER BY id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			struct pcand *x = person_find(people, n, kw_stmt_column_int64(st, 0));
			const char *code = kw_stmt_column_text(st, 1, NULL);
			int32_t h = 0;
			json_t *v = json_string(kw_stmt_column_text(st, 2, NULL));
			int ok = kw_scoring_points(v, &h) == 0;
			json_decref(v);
			for (size_t k = 0; x && ok && k < nsubj; k++)
				if (strcmp(subj[k].code, code) == 0) {
					struct pline *l = &lines[k][x - people];
					l->status = 's';
					l->final = h;
					l->reviewed = 1;
				}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/* The frozen record of one candidate: {"ticket_no","name","subjects":[{code,status,score?}]} */
static void record_render(struct kw_buf *b, const struct pcand *x, const struct psubj *subj,
                          size_t nsubj, struct pline *const *lines, size_t i)
{
	kw_buf_adds(b, "{\"ticket_no\":");
	kw_json_append_string(b, x->ticket, strlen(x->ticket));
	kw_buf_adds(b, ",\"name\":");
	kw_json_append_string(b, x->name, strlen(x->name));
	kw_buf_adds(b, ",\"subjects\":[");
	int first = 1;
	for (size_t k = 0; k < nsubj; k++) {
		const struct pline *l = &lines[k][i];
		if (!l->status)
			continue;
		if (!first)
			kw_buf_add(b, ",", 1);
		first = 0;
		kw_buf_adds(b, "{\"code\":");
		kw_json_append_string(b, subj[k].code, strlen(subj[k].code));
		const char *st = l->status == 's'   ? "scored"
		                 : l->status == 'z' ? "zero"
		                 : l->status == 'c' ? "cancelled"
		                 : l->status == 'v' ? "verifying"
		                                    : "absent";
		kw_buf_addf(b, ",\"status\":\"%s\"", st);
		if (l->status == 's' || l->status == 'z') {
			char pts[24];
			kw_score_fmt(l->final, pts, sizeof pts);
			kw_buf_addf(b, ",\"score\":\"%s\"", pts);
		}
		if (l->reviewed)
			kw_buf_adds(b, ",\"review\":\"corrected\"");
		kw_buf_add(b, "}", 1);
	}
	kw_buf_adds(b, "]}");
}

struct pblock {
	struct kw_buf body;
	int64_t n;
	char first[40], last[40];
};

struct prep_job {
	const struct kw_exam_ref *e;
	const char *runs, *salt, *digest;
	int64_t user, candidates, id, approval;
	struct pblock *blocks;
	size_t nblocks;
};

static int prep_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct prep_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = kw_audit_put(
	        tx, err, "publications", "score.publication.prepare",
	        json_pack("{s:I, s:I, s:s}", "exam_id", (json_int_t)j->e->id, "candidates",
	                  (json_int_t)j->candidates, "digest", j->digest),
	        &j->id,
	        "INSERT INTO publications (exam_id, status, runs, candidates, salt, digest, "
	        "prepared_by, created_at, updated_at) VALUES ($1, 'pending', $2, $3, $4, $5, $6, "
	        "$7, $7)",
	        "itittit", j->e->id, j->runs, j->candidates, j->salt, j->digest, j->user, now);
	for (size_t i = 0; !rc && i < j->nblocks; i++) {
		const struct pblock *b = &j->blocks[i];
		rc = kw_audit_put(
		        tx, err, "publication_blocks", "score.publication.block",
		        json_pack("{s:I, s:I}", "publication_id", (json_int_t)j->id, "candidates",
		                  (json_int_t)b->n),
		        NULL,
		        "INSERT INTO publication_blocks (publication_id, seq, candidates, "
		        "first_ticket, last_ticket, body, created_at) VALUES ($1, $2, $3, "
		        "$4, $5, $6, $7)",
		        "iiitttt", j->id, (int64_t)i + 1, b->n, b->first, b->last, b->body.buf,
		        now);
	}
	json_t *payload = NULL;
	if (!rc) {
		payload = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:[I]}", "publication_id",
		                    (json_int_t)j->id, "exam_id", (json_int_t)j->e->id, "exam_code",
		                    j->e->code, "exam_name", j->e->name, "candidates",
		                    (json_int_t)j->candidates, "digest", j->digest, "units",
		                    (json_int_t)j->e->unit);
		rc = kw_approval_create(tx, PUB_KIND, payload, payload, &j->approval, err);
	}
	json_decref(payload);
	if (!rc)
		rc = kw_audit_put(tx, err, "publications", "score.publication.submit",
		                  json_pack("{s:I}", "approval_id", (json_int_t)j->approval), NULL,
		                  "UPDATE publications SET approval_id = $1 WHERE id = $2", "ii",
		                  j->approval, j->id);
	return rc;
}

static json_t *pub_json(struct kw_stmt *st)
{
	json_t *runs = json_loads(kw_stmt_column_text(st, 3, NULL), 0, NULL);
	return json_pack("{s:I, s:I, s:s, s:o, s:I, s:s, s:o, s:s, s:s?, s:s?, s:s}", "id",
	                 (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
	                 (json_int_t)kw_stmt_column_int64(st, 1), "status",
	                 kw_stmt_column_text(st, 2, NULL), "runs", runs ? runs : json_array(),
	                 "candidates", (json_int_t)kw_stmt_column_int64(st, 4), "digest",
	                 kw_stmt_column_text(st, 5, NULL), "approval_id",
	                 kw_stmt_column_is_null(st, 6) ? json_null()
	                                               : json_integer(kw_stmt_column_int64(st, 6)),
	                 "prepared_by", kw_stmt_column_text(st, 7, NULL), "approved_by",
	                 kw_stmt_column_is_null(st, 8) ? NULL : kw_stmt_column_text(st, 8, NULL),
	                 "published_at",
	                 kw_stmt_column_is_null(st, 9) ? NULL : kw_stmt_column_text(st, 9, NULL),
	                 "created_at", kw_stmt_column_text(st, 10, NULL));
}

#define PUB_SELECT                                                                                 \
	"SELECT p.id, p.exam_id, p.status, p.runs, p.candidates, p.digest, p.approval_id, "        \
	"m.username, k.username, p.published_at, p.created_at FROM publications p JOIN users m "   \
	"ON m.id = p.prepared_by LEFT JOIN users k ON k.id = p.approved_by "

static int pubs_query(struct kw_conn *c, const char *where, int64_t v, json_t *items,
                      struct kw_err *err)
{
	char sql[600];
	snprintf(sql, sizeof sql, "%s%s", PUB_SELECT, where);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, v);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, pub_json(st));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_publish_prepare(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, json_t **out,
                       struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct psubj subj[MAX_SUBJECTS];
	size_t nsubj = 0;
	int rc = kw_exam_ref_load(c, s, "score.publish", exam, &e, err);
	int64_t pending = 0;
	if (!rc)
		rc = query_int(c,
		               "SELECT id FROM publications WHERE exam_id = $1 AND status = "
		               "'pending' LIMIT 1",
		               &pending, err, "i", exam, NULL);
	if (!rc && pending) {
		rc = kw_err_set(err, KW_ECONFLICT, "PUBLISH_PENDING", "INF-4",
		                "publication %lld is waiting for its approval", (long long)pending);
		kw_err_detail(err, "publication_id", json_integer(pending));
	}
	if (!rc)
		rc = subjects_check(c, &e, subj, &nsubj, err);
	unsigned char salt[32];
	randombytes_buf(salt, sizeof salt);
	struct pcand *people = NULL;
	size_t n = 0;
	if (!rc)
		rc = people_load(c, exam, salt, &people, &n, err);
	struct pline *lines[MAX_SUBJECTS] = {0};
	for (size_t k = 0; !rc && k < nsubj; k++) {
		lines[k] = kw_xcalloc(n ? n : 1, sizeof *lines[k]);
		rc = run_lines_load(c, subj[k].run, people, n, lines[k], err);
	}
	if (!rc)
		rc = corrections_apply(c, exam, subj, nsubj, people, n, lines, err);
	kw_pool_put(app->pool, c);
	/* the candidates seated for a subject, in ticket order */
	const struct pcand **order = kw_xmalloc((n ? n : 1) * sizeof *order);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (people[i].ticket[0])
			order[m++] = &people[i];
	qsort(order, m, sizeof *order, cmp_ticket);
	struct prep_job j = {.e = &e, .user = s->user.id};
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"kaowu-publication-v1\n", 21);
	size_t cap = 0;
	for (size_t q = 0; !rc && q < m; q++) {
		const struct pcand *x = order[q];
		if (q % BLOCK_CANDS == 0) {
			if (j.nblocks == cap) {
				cap = cap ? 2 * cap : 8;
				j.blocks = kw_xrealloc(j.blocks, cap * sizeof *j.blocks);
			}
			struct pblock *nb = &j.blocks[j.nblocks++];
			memset(nb, 0, sizeof *nb);
			kw_buf_init(&nb->body, 0);
			kw_buf_reserve(&nb->body, BLOCK_CANDS * 200);
			snprintf(nb->first, sizeof nb->first, "%s", x->ticket);
		}
		struct pblock *b = &j.blocks[j.nblocks - 1];
		size_t at = b->body.len;
		char hex[2 * CHECK_BYTES + 1];
		sodium_bin2hex(hex, sizeof hex, x->check, CHECK_BYTES);
		kw_buf_addf(&b->body, "%s\t%s\t", x->ticket, hex);
		record_render(&b->body, x, subj, nsubj, lines, (size_t)(x - people));
		kw_buf_add(&b->body, "\n", 1);
		crypto_hash_sha256_update(&h, (const unsigned char *)b->body.buf + at,
		                          b->body.len - at);
		b->n++;
		snprintf(b->last, sizeof b->last, "%s", x->ticket);
	}
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	char digest[65], salthex[65];
	sodium_bin2hex(digest, sizeof digest, d, sizeof d);
	sodium_bin2hex(salthex, sizeof salthex, salt, sizeof salt);
	json_t *runs = json_array();
	for (size_t k = 0; k < nsubj; k++)
		json_array_append_new(runs, json_pack("{s:s, s:s, s:I, s:I}", "subject",
		                                      subj[k].code, "name", subj[k].name, "run_id",
		                                      (json_int_t)subj[k].run, "crosscheck_id",
		                                      (json_int_t)subj[k].xc));
	char *runs_s = json_dumps(runs, JSON_COMPACT);
	json_decref(runs);
	j.runs = runs_s;
	j.salt = salthex;
	j.digest = digest;
	j.candidates = (int64_t)m;
	if (!rc)
		rc = kw_writer_run_bulk(app->writer, prep_job, &j, actor, err);
	free(runs_s);
	for (size_t i = 0; i < j.nblocks; i++)
		kw_buf_release(&j.blocks[i].body);
	free(j.blocks);
	free(order);
	for (size_t k = 0; k < nsubj; k++)
		free(lines[k]);
	free(people);
	sodium_memzero(salt, sizeof salt);
	if (rc)
		return rc;
	json_t *items = json_array();
	c = kw_pool_get(app->pool);
	rc = pubs_query(c, "WHERE p.id = $1", j.id, items, err);
	kw_pool_put(app->pool, c);
	if (!rc && json_array_size(items) == 1)
		*out = json_incref(json_array_get(items, 0));
	else if (!rc)
		rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "the publication vanished");
	json_decref(items);
	return rc;
}

int kw_publish_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam, json_t **out,
                    struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	int rc = kw_exam_ref_load(c, s, "score.read", exam, &e, err);
	json_t *items = json_array();
	if (!rc)
		rc = pubs_query(c, "WHERE p.exam_id = $1 ORDER BY p.id DESC", exam, items, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:s, s:o}", "exam_id", (json_int_t)exam, "exam_code", e.code,
	                 "items", items);
	return 0;
}

/* ---- the approval (INF-4) ---- */

static int pub_allowed(struct kw_conn *c, const struct kw_session_info *s, const json_t *payload,
                       struct kw_err *err)
{
	return kw_authz_check(
	        c, s, "score.publish",
	        json_integer_value(json_array_get(json_object_get(payload, "units"), 0)), err);
}

static int pub_decide(struct kw_app *app, struct kw_tx *tx, const json_t *payload,
                      int64_t approval_id, int approve, json_t **result, struct kw_err *err)
{
	(void)app;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = json_integer_value(json_object_get(payload, "publication_id"));
	int64_t exam = json_integer_value(json_object_get(payload, "exam_id"));
	int64_t changed = 0, before = 0;
	int rc = 0;
	if (approve) {
		rc = query_int(tx->conn,
		               "SELECT id FROM publications WHERE exam_id = $1 AND status = "
		               "'published'",
		               &before, err, "i", exam, NULL);
		if (!rc && before)
			rc = kw_audit_put(
			        tx, err, "publications", "score.publication.supersede",
			        json_pack("{s:I}", "by", (json_int_t)id), NULL,
			        "UPDATE publications SET status = 'superseded', updated_at = "
			        "$1 WHERE id = $2",
			        "ti", now, before);
	}
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "publications",
		        approve ? "score.publication.publish" : "score.publication.reject",
		        json_pack("{s:I}", "approval_id", (json_int_t)approval_id), &changed,
		        approve ? "UPDATE publications SET status = 'published', "
		                  "approved_by = $1, published_at = $2, updated_at = $2 "
		                  "WHERE id = $3 AND status = 'pending'"
		                : "UPDATE publications SET status = 'rejected', approved_by "
		                  "= $1, updated_at = $2 WHERE id = $3 AND status = "
		                  "'pending'",
		        "iti", tx->actor->id, now, id);
	if (!rc && !changed)
		rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
		                "the publication is no longer pending");
	if (!rc)
		*result = json_pack("{s:I, s:s, s:o}", "publication_id", (json_int_t)id, "status",
		                    approve ? "published" : "rejected", "superseded",
		                    before ? json_integer(before) : json_null());
	return rc;
}

static void pub_after(struct kw_app *app, const json_t *payload);

const struct kw_approval_kind kw_publication_approval = {PUB_KIND, pub_allowed, pub_decide,
                                                         pub_after};

/* ---- the look-up: frozen records in this process's memory ---- */

struct entry {
	uint64_t key; /* the ticket's first 8 bytes, big-endian, NUL-padded: orders as strcmp */
	uint32_t off; /* the ticket, NUL, the record, NUL in the arena */
	uint32_t rec_len;
	uint8_t check[CHECK_BYTES];
};

static uint64_t ticket_key(const char *t, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < 8; i++)
		k = k << 8 | (i < n ? (unsigned char)t[i] : 0);
	return k;
}

struct pubdata {
	int64_t exam, pub, patch; /* patch: the last publication_patches id applied */
	unsigned char salt[32];
	char *arena;
	size_t arena_len;
	struct entry *v;
	size_t n;
	char *head; /* {"exam":…,"publication":…,"subjects":[…],"candidate": */
	size_t head_len;
	int refs;
};

struct slot {
	int64_t exam;
	struct pubdata *d;
	int64_t checked_us; /* when the slot was last brought up to date (monotonic; 0: never) */
	int loading;
};

struct kw_pub_cache {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int background; /* refreshes running on threads of their own */
	struct slot slots[CACHE_SLOTS];
	struct kw_ratelimit *by_address, *by_ticket;
};

struct kw_pub_cache *kw_pub_cache_new(void)
{
	struct kw_pub_cache *c = kw_xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	const char *env = getenv("KAOWU_LOOKUP_ADDRESS_RATE");
	double per_min = env && *env ? strtod(env, NULL) : 60;
	c->by_address = kw_ratelimit_new(1 << 16, per_min / 60.0, per_min > 0 ? per_min : 1);
	c->by_ticket = kw_ratelimit_new(1 << 18, TICKET_PER_MIN / 60.0, TICKET_PER_MIN);
	return c;
}

static void data_unref(struct pubdata *d)
{
	if (!d || --d->refs > 0)
		return;
	free(d->arena);
	free(d->v);
	free(d->head);
	sodium_memzero(d->salt, sizeof d->salt);
	free(d);
}

void kw_pub_cache_free(struct kw_pub_cache *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu); /* a refresh in the background ends first */
	while (c->background)
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
	for (int i = 0; i < CACHE_SLOTS; i++)
		data_unref(c->slots[i].d);
	kw_ratelimit_free(c->by_address);
	kw_ratelimit_free(c->by_ticket);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void pub_after(struct kw_app *app, const json_t *payload)
{
	kw__pub_invalidate(app, json_integer_value(json_object_get(payload, "exam_id")));
}

static int slot_refresh(struct kw_app *app, struct slot *sl, int64_t exam, struct kw_err *err);

/* After an approval or a correction in this process: the records of exam, when this process
 * holds them, are brought up to date now, by the request that made the change — look-ups go
 * on meanwhile with what they held, and the next one sees the change. */
void kw__pub_invalidate(struct kw_app *app, int64_t exam)
{
	struct kw_pub_cache *c = app->pubs;
	pthread_mutex_lock(&c->mu);
	struct slot *sl = &c->slots[(uint64_t)exam % CACHE_SLOTS];
	while (sl->exam == exam && sl->loading)
		pthread_cond_wait(&c->cv, &c->mu);
	if (sl->exam != exam) {
		pthread_mutex_unlock(&c->mu); /* not held: the next look-up loads it */
		return;
	}
	sl->loading = 1;
	pthread_mutex_unlock(&c->mu);
	struct kw_err e = KW_ERR_INIT;
	slot_refresh(app, sl, exam, &e); /* failed: the next look-up looks again */
	kw_err_release(&e);
}

static const struct entry *data_find(const struct pubdata *d, const char *ticket);

/* Loads publication pub (of exam) into memory. */
static int data_load(struct kw_conn *c, int64_t exam, int64_t pub, struct pubdata **out,
                     struct kw_err *err)
{
	struct pubdata *d = kw_xcalloc(1, sizeof *d);
	d->exam = exam;
	d->pub = pub;
	d->refs = 1;
	struct kw_stmt *st = NULL;
	json_t *head = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT p.salt, p.published_at, p.runs, e.code, e.name, p.candidates FROM "
	        "publications p JOIN exams e ON e.id = p.exam_id WHERE p.id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pub);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			size_t sl = 0;
			const char *salt = kw_stmt_column_text(st, 0, NULL);
			if (sodium_hex2bin(d->salt, sizeof d->salt, salt, strlen(salt), NULL, &sl,
			                   NULL) ||
			    sl != 32)
				rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL, "a bad salt");
			json_t *runs = json_loads(kw_stmt_column_text(st, 2, NULL), 0, NULL);
			json_t *subjects = json_array();
			size_t i;
			json_t *r;
			json_array_foreach(runs, i, r)
			{
				json_array_append_new(
				        subjects, json_pack("{s:O, s:O}", "code",
				                            json_object_get(r, "subject"), "name",
				                            json_object_get(r, "name")));
			}
			json_decref(runs);
			head = json_pack("{s:{s:I, s:s, s:s}, s:{s:I, s:s}, s:o}", "exam", "id",
			                 (json_int_t)exam, "code", kw_stmt_column_text(st, 3, NULL),
			                 "name", kw_stmt_column_text(st, 4, NULL), "publication",
			                 "id", (json_int_t)pub, "published_at",
			                 kw_stmt_column_text(st, 1, NULL), "subjects", subjects);
			int64_t n = kw_stmt_column_int64(st, 5);
			if (n > 0 && n < (int64_t)UINT32_MAX) { /* one allocation, not a doubling */
				cap = (size_t)n;
				d->v = kw_xmalloc(cap * sizeof *d->v);
			}
			if (!rc)
				rc = KW_ROW;
		}
		rc = rc == KW_ROW ? 0
		     : rc == 0    ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "gone")
		                  : rc;
	}
	kw_stmt_finalize(st);
	if (!rc) {
		/* the head, open for "candidate": its closing brace replaced */
		char *h = json_dumps(head, JSON_COMPACT);
		size_t hl = strlen(h);
		d->head = kw_xmalloc(hl + 16);
		memcpy(d->head, h, hl - 1);
		memcpy(d->head + hl - 1, ",\"candidate\":", 13);
		d->head_len = hl - 1 + 13;
		free(h);
	}
	json_decref(head);
	struct kw_buf arena = KW_BUF_INIT;
	kw_buf_init(&arena, 0);
	st = NULL;
	/* LOAD_BLOCKS blocks a query: PostgreSQL's driver holds a whole result in memory */
	int64_t seq = 0;
	for (int more = 1; !rc && more;) {
		more = 0;
		st = NULL;
		rc = kw_conn_prepare(
		        c,
		        "SELECT seq, body FROM publication_blocks WHERE publication_id = "
		        "$1 AND seq > $2 ORDER BY seq LIMIT " LOAD_BLOCKS,
		        &st, err);
		if (rc)
			break;
		kw_stmt_bind_int64(st, 1, pub);
		kw_stmt_bind_int64(st, 2, seq);
		while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
			rc = 0;
			more = 1;
			seq = kw_stmt_column_int64(st, 0);
			size_t len = 0;
			const char *p = kw_stmt_column_text(st, 1, &len);
			const char *end = p + len;
			while (p < end) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));
				const char *t1 = memchr(p, '\t', (size_t)(end - p));
				const char *t2 =
				        t1 ? memchr(t1 + 1, '\t', (size_t)(end - t1 - 1)) : NULL;
				if (!nl || !t1 || !t2 || t2 > nl ||
				    t2 - t1 - 1 != 2 * CHECK_BYTES) {
					rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
					                "a bad publication block");
					break;
				}
				if (d->n == cap) {
					cap = cap ? 2 * cap : 4096;
					d->v = kw_xrealloc(d->v, cap * sizeof *d->v);
				}
				struct entry *x = &d->v[d->n++];
				x->key = ticket_key(p, (size_t)(t1 - p));
				x->off = (uint32_t)arena.len;
				x->rec_len = (uint32_t)(nl - t2 - 1);
				sodium_hex2bin(x->check, CHECK_BYTES, t1 + 1, 2 * CHECK_BYTES, NULL,
				               NULL, NULL);
				kw_buf_add(&arena, p, (size_t)(t1 - p));
				kw_buf_add(&arena, "", 1);
				kw_buf_add(&arena, t2 + 1, x->rec_len);
				kw_buf_add(&arena, "", 1);
				p = nl + 1;
			}
		}
		rc = kw_step_ok(rc);
		kw_stmt_finalize(st);
	}
	/* corrected reviews: the latest patch of a ticket replaces its record */
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT id, ticket_no, record FROM publication_patches WHERE "
		                     "publication_id = $1 ORDER BY id",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pub);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			d->patch = kw_stmt_column_int64(st, 0);
			d->arena = arena.buf;
			struct entry *x =
			        (struct entry *)data_find(d, kw_stmt_column_text(st, 1, NULL));
			if (!x)
				continue;
			size_t rl = 0;
			const char *rec = kw_stmt_column_text(st, 2, &rl);
			const char *t = kw_stmt_column_text(st, 1, NULL);
			x->off = (uint32_t)arena.len;
			x->rec_len = (uint32_t)rl;
			kw_buf_add(&arena, t, strlen(t) + 1);
			kw_buf_add(&arena, rec, rl);
			kw_buf_add(&arena, "", 1);
		}
		d->arena = NULL;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && arena.len > UINT32_MAX)
		rc = kw_err_set(err, KW_ETOOBIG, "EXPORT_TOO_BIG", NULL,
		                "a publication over 4 GiB");
	d->arena = kw_buf_detach(&arena, &d->arena_len);
	if (rc) {
		data_unref(d);
		return rc;
	}
	*out = d;
	return 0;
}

/* With sl->loading set by the caller: looks for the publication in force for exam and loads
 * it when it is not the one (or its corrections not the ones) held; then the slot holds it,
 * loading is cleared and the waiters woken. On failure the slot keeps what it held. */
static int slot_refresh(struct kw_app *app, struct slot *sl, int64_t exam, struct kw_err *err)
{
	struct kw_pub_cache *c = app->pubs;
	pthread_mutex_lock(&c->mu);
	int64_t have = sl->exam == exam && sl->d ? sl->d->pub : 0;
	int64_t have_patch = sl->exam == exam && sl->d ? sl->d->patch : 0;
	pthread_mutex_unlock(&c->mu);

	struct kw_conn *conn = kw_pool_get(app->pool);
	int64_t pub = 0, patch = 0;
	struct pubdata *d = NULL;
	int rc = kw__pub_current(conn, exam, &pub, NULL, err);
	if (!rc && pub)
		rc = query_int(conn,
		               "SELECT MAX(id) FROM publication_patches WHERE publication_id = $1",
		               &patch, err, "i", pub, NULL);
	if (!rc && pub && (pub != have || patch != have_patch))
		rc = data_load(conn, exam, pub, &d, err);
	kw_pool_put(app->pool, conn);

	pthread_mutex_lock(&c->mu);
	sl->loading = 0;
	if (!rc) {
		if (sl->exam != exam || !pub || d) {
			/* a new publication (or none any more) replaces what the slot held */
			data_unref(sl->d);
			sl->d = d;
			sl->exam = exam;
		}
		sl->checked_us = kw_clock_mono_us();
	} else {
		sl->checked_us = 0; /* the next look-up looks again */
	}
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return rc;
}

struct bg_refresh {
	struct kw_app *app;
	struct slot *sl;
	int64_t exam;
};

static void *bg_refresh_main(void *p)
{
	struct bg_refresh *b = p;
	struct kw_err e = KW_ERR_INIT;
	if (slot_refresh(b->app, b->sl, b->exam, &e))
		fprintf(stderr, "kaowu: score look-up: exam %lld not refreshed: %s\n",
		        (long long)b->exam, e.msg);
	kw_err_release(&e);
	struct kw_pub_cache *c = b->app->pubs;
	pthread_mutex_lock(&c->mu);
	c->background--;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	free(b);
	return NULL;
}

/* The publication in force for exam, held (refs + 1) for the caller; NULL without one
 * (SCORES_NOT_PUBLISHED). Records held and due for a look (every REFRESH_US) are served while
 * a thread of their own looks for newer ones and loads them: a look-up waits only when this
 * process holds nothing of the exam yet (its first look-up loads it). */
static int data_get(struct kw_app *app, int64_t exam, struct pubdata **out, struct kw_err *err)
{
	struct kw_pub_cache *c = app->pubs;
	*out = NULL;
	pthread_mutex_lock(&c->mu);
	struct slot *sl = &c->slots[(uint64_t)exam % CACHE_SLOTS];
	for (;;) {
		int due = !sl->checked_us || kw_clock_mono_us() - sl->checked_us >= REFRESH_US;
		if (sl->exam == exam && sl->d) {
			if (due && !sl->loading) {
				struct bg_refresh *b = kw_xmalloc(sizeof *b);
				*b = (struct bg_refresh){app, sl, exam};
				pthread_attr_t at;
				pthread_t t;
				pthread_attr_init(&at);
				pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
				sl->loading = 1;
				c->background++;
				if (pthread_create(&t, &at, bg_refresh_main, b) != 0) {
					sl->loading =
					        0; /* no thread: the next look-up tries again */
					c->background--;
					free(b);
				}
				pthread_attr_destroy(&at);
			}
			sl->d->refs++;
			*out = sl->d;
			pthread_mutex_unlock(&c->mu);
			return 0;
		}
		if (sl->exam == exam && !due && !sl->loading) {
			pthread_mutex_unlock(&c->mu); /* none in force, looked at lately */
			return 0;
		}
		if (!sl->loading)
			break;
		pthread_cond_wait(&c->cv, &c->mu); /* another request is loading it */
	}
	sl->loading = 1;
	pthread_mutex_unlock(&c->mu);
	int rc = slot_refresh(app, sl, exam, err);
	pthread_mutex_lock(&c->mu);
	if (!rc && sl->exam == exam && sl->d) {
		sl->d->refs++;
		*out = sl->d;
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

static void data_release(struct kw_app *app, struct pubdata *d)
{
	pthread_mutex_lock(&app->pubs->mu);
	data_unref(d);
	pthread_mutex_unlock(&app->pubs->mu);
}

static const struct entry *data_find(const struct pubdata *d, const char *ticket)
{
	uint64_t key = ticket_key(ticket, strlen(ticket));
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = d->v[mid].key < key   ? -1
		        : d->v[mid].key > key ? 1
		                              : strcmp(d->arena + d->v[mid].off, ticket);
		if (k == 0)
			return &d->v[mid];
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int kw_publish_lookup(struct kw_app *app, int64_t exam, const json_t *req, const char *address,
                      char **body, size_t *n, int *retry_s, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("ticket_no", 40, KW_JREQUIRED),
	        KW_JSTR("id_number", 40, KW_JREQUIRED),
	        KW_JSTR("name", 100, KW_JREQUIRED),
	};
	int rc = kw_json_check(req, fields, sizeof fields / sizeof *fields, err);
	if (rc)
		return rc;
	const char *ticket = json_string_value(json_object_get(req, "ticket_no"));
	int64_t now = kw_clock_now_us();
	if (kw_ratelimit_take(app->pubs->by_address, address, strlen(address), now, retry_s) ||
	    kw_ratelimit_take(app->pubs->by_ticket, ticket, strlen(ticket), now, retry_s))
		return kw_err_set(err, KW_ETHROTTLED, "RATE_LIMITED", "GRD-8",
		                  "too many look-ups; try again in %d s", *retry_s);
	struct pubdata *d = NULL;
	rc = data_get(app, exam, &d, err);
	if (rc)
		return rc;
	if (!d)
		return kw_err_set(err, KW_ENOTFOUND, "SCORES_NOT_PUBLISHED", "GRD-8",
		                  "this exam's scores are not published");
	const struct entry *x = data_find(d, ticket);
	uint8_t check[CHECK_BYTES];
	lookup_check(d->salt, json_string_value(json_object_get(req, "id_number")),
	             json_string_value(json_object_get(req, "name")), check);
	if (!x || sodium_memcmp(check, x->check, CHECK_BYTES) != 0) {
		rc = kw_err_set(err, KW_ENOTFOUND, "SCORE_LOOKUP_NO_MATCH", "GRD-8",
		                "no published score matches this ticket number, identity number "
		                "and name");
	} else {
		const char *rec = d->arena + x->off + strlen(d->arena + x->off) + 1;
		*n = d->head_len + x->rec_len + 1;
		*body = kw_xmalloc(*n + 1);
		memcpy(*body, d->head, d->head_len);
		memcpy(*body + d->head_len, rec, x->rec_len);
		(*body)[*n - 1] = '}';
		(*body)[*n] = '\0';
	}
	data_release(app, d);
	return rc;
}

/* ---- for score review (publish.h) ---- */

int kw__pub_current(struct kw_conn *c, int64_t exam, int64_t *pub, char published_at[32],
                    struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*pub = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, published_at FROM publications WHERE exam_id = $1 "
	                         "AND status = 'published' ORDER BY id DESC LIMIT 1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*pub = kw_stmt_column_int64(st, 0);
			if (published_at)
				kw_stmt_column_copy(st, 1, published_at, 32);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw__pub_record(struct kw_conn *c, int64_t pub, const char *ticket, char **record,
                   struct kw_err *err)
{
	*record = NULL;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT record FROM publication_patches WHERE publication_id = $1 "
	                         "AND ticket_no = $2 ORDER BY id DESC LIMIT 1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pub);
		kw_stmt_bind_textz(st, 2, ticket);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*record = kw_xstrdup(kw_stmt_column_text(st, 0, NULL));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc || *record)
		return rc;
	st = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT body FROM publication_blocks WHERE publication_id = $1 AND "
	                     "first_ticket <= $2 AND last_ticket >= $2",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pub);
		kw_stmt_bind_textz(st, 2, ticket);
		size_t tl = strlen(ticket);
		while (!*record && (rc = kw_stmt_step(st, err)) == KW_ROW) {
			for (const char *p = kw_stmt_column_text(st, 0, NULL); p && *p;) {
				const char *nl = strchr(p, '\n');
				if (strncmp(p, ticket, tl) == 0 && p[tl] == '\t') {
					const char *r = strchr(p + tl + 1, '\t');
					if (r && (!nl || r < nl)) {
						size_t n =
						        nl ? (size_t)(nl - r - 1) : strlen(r + 1);
						*record = kw_xmalloc(n + 1);
						memcpy(*record, r + 1, n);
						(*record)[n] = '\0';
					}
					break;
				}
				p = nl ? nl + 1 : NULL;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

struct patch {
	char *ticket, *record;
};

static int cmp_patch(const void *a, const void *b)
{
	const struct patch *x = a, *y = b;
	int k = strcmp(x->ticket, y->ticket);
	return k ? k : (x < y ? -1 : x > y); /* a ticket's later patch after its earlier */
}

int kw__pub_each(struct kw_conn *c, int64_t pub,
                 int (*fn)(void *arg, const char *ticket, const char *record), void *arg,
                 struct kw_err *err)
{
	/* the corrections, by ticket, the latest of each last */
	struct patch *pv = NULL;
	size_t np = 0, cap = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT ticket_no, record FROM publication_patches WHERE "
	                         "publication_id = $1 ORDER BY id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pub);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (np == cap) {
				cap = cap ? 2 * cap : 64;
				pv = kw_xrealloc(pv, cap * sizeof *pv);
			}
			pv[np].ticket = kw_xstrdup(kw_stmt_column_text(st, 0, NULL));
			pv[np].record = kw_xstrdup(kw_stmt_column_text(st, 1, NULL));
			np++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (np)
		qsort(pv, np, sizeof *pv, cmp_patch);
	/* the blocks in ticket order, LOAD_BLOCKS a query */
	size_t pi = 0;
	int64_t seq = 0;
	for (int more = 1; !rc && more;) {
		more = 0;
		st = NULL;
		rc = kw_conn_prepare(
		        c,
		        "SELECT seq, body FROM publication_blocks WHERE publication_id = "
		        "$1 AND seq > $2 ORDER BY seq LIMIT " LOAD_BLOCKS,
		        &st, err);
		if (rc)
			break;
		kw_stmt_bind_int64(st, 1, pub);
		kw_stmt_bind_int64(st, 2, seq);
		while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
			rc = 0;
			more = 1;
			seq = kw_stmt_column_int64(st, 0);
			size_t len = 0;
			const char *p = kw_stmt_column_text(st, 1, &len), *end = p + len;
			while (!rc && p < end) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));
				const char *t1 = memchr(p, '\t', (size_t)(end - p));
				const char *t2 =
				        t1 ? memchr(t1 + 1, '\t', (size_t)(end - t1 - 1)) : NULL;
				if (!nl || !t1 || !t2 || t2 > nl) {
					rc = kw_err_set(err, KW_ESTORE, "DB_ERROR", NULL,
					                "a bad publication block");
					break;
				}
				char ticket[64];
				size_t tl = (size_t)(t1 - p);
				snprintf(ticket, sizeof ticket, "%.*s", (int)tl, p);
				while (pi < np && strcmp(pv[pi].ticket, ticket) < 0)
					pi++; /* a patch of a ticket not in the publication */
				const char *rec = NULL;
				while (pi < np && strcmp(pv[pi].ticket, ticket) == 0)
					rec = pv[pi++].record; /* the latest correction */
				char *own = NULL;
				if (!rec) {
					own = kw_xmalloc((size_t)(nl - t2));
					memcpy(own, t2 + 1, (size_t)(nl - t2 - 1));
					own[nl - t2 - 1] = '\0';
				}
				rc = fn(arg, ticket, rec ? rec : own);
				free(own);
				p = nl + 1;
			}
		}
		rc = kw_step_ok(rc);
		kw_stmt_finalize(st);
	}
	for (size_t i = 0; i < np; i++) {
		free(pv[i].ticket);
		free(pv[i].record);
	}
	free(pv);
	return rc;
}

int kw__pub_patch(struct kw_tx *tx, int64_t pub, const char *ticket, const char *record,
                  int64_t review, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(tx, err, "publication_patches", "score.publication.patch",
	                    json_pack("{s:I, s:I}", "publication_id", (json_int_t)pub, "review_id",
	                              (json_int_t)review),
	                    NULL,
	                    "INSERT INTO publication_patches (publication_id, ticket_no, record, "
	                    "review_id, created_at) VALUES ($1, $2, $3, $4, $5)",
	                    "ittnt", pub, ticket, record, review, now);
}

int kw__pub_rate_address(struct kw_app *app, const char *address, int *retry_s)
{
	return kw_ratelimit_take(app->pubs->by_address, address, strlen(address), kw_clock_now_us(),
	                         retry_s);
}
