/* Pass standards, qualified lists and certificates (app/certs.h). */
#include "app/certs.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/examref.h"
#include "app/publish.h"
#include "app/scoring.h"
#include "app/signed.h"
#include "core/calendar.h"
#include "core/mask.h"
#include "core/score.h"
#include "render/certificate.h"
#include "render/isolate.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/ratelimit.h"
#include "util/sort.h"

#define LIST_KIND    "qualified_list.confirm"
#define REVOKE_KIND  "certificate.revoke"
#define CERT_PREFIX  "KWC1."
#define MAX_SUBJECTS 32

/* ---- pass standards ---- */

struct std_row {
	char code[64], name[256], cut[24], level[64];
	int64_t version;
	int exemptible;
};

/* The exam's subjects with their latest cut score (cut "" without one). */
static int standards_load(struct kw_conn *c, int64_t exam, struct std_row *v, size_t *n,
                          struct kw_err *err)
{
	*n = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT b.code, b.name, p.cut_score, p.version, b.level, b.exemptible FROM "
	        "subjects b LEFT JOIN "
	        "pass_standards p ON p.exam_id = b.exam_id AND p.subject = b.code AND p.version = "
	        "(SELECT MAX(q.version) FROM pass_standards q WHERE q.exam_id = b.exam_id AND "
	        "q.subject = b.code) WHERE b.exam_id = $1 ORDER BY b.id",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW && *n < MAX_SUBJECTS) {
			struct std_row *x = &v[(*n)++];
			kw_stmt_column_copy(st, 0, x->code, sizeof x->code);
			kw_stmt_column_copy(st, 1, x->name, sizeof x->name);
			kw_stmt_column_copy(st, 2, x->cut, sizeof x->cut);
			x->version =
			        kw_stmt_column_is_null(st, 3) ? 0 : kw_stmt_column_int64(st, 3);
			kw_stmt_column_copy(st, 4, x->level, sizeof x->level);
			x->exemptible = kw_stmt_column_int64(st, 5) != 0;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

static json_t *standards_json(int64_t exam, const struct std_row *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		        a, json_pack("{s:s, s:s, s:o, s:I}", "code", v[i].code, "name", v[i].name,
		                     "cut_score", v[i].cut[0] ? json_string(v[i].cut) : json_null(),
		                     "version", (json_int_t)v[i].version));
	return json_pack("{s:I, s:o}", "exam_id", (json_int_t)exam, "subjects", a);
}

int kw_certs_standards(struct kw_app *app, int64_t exam, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct std_row v[MAX_SUBJECTS];
	size_t n = 0;
	int rc = kw_exam_ref_load(c, NULL, NULL, exam, &e, err);
	if (!rc)
		rc = standards_load(c, exam, v, &n, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = standards_json(exam, v, n);
	return rc;
}

struct std_job {
	int64_t exam;
	const struct std_row *v;
	size_t n;
	const int32_t *cut;
	const int *set;
};

static int std_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct std_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = 0;
	for (size_t i = 0; !rc && i < j->n; i++) {
		if (!j->set[i])
			continue;
		char pts[24];
		kw_score_fmt(j->cut[i], pts, sizeof pts);
		rc = kw_audit_put(
		        tx, err, "pass_standards", "score.standard.set",
		        json_pack("{s:s, s:s}", "subject", j->v[i].code, "cut_score", pts), NULL,
		        "INSERT INTO pass_standards (exam_id, subject, cut_score, version, "
		        "set_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		        "ittiit", j->exam, j->v[i].code, pts, j->v[i].version + 1,
		        tx->actor->id ? tx->actor->id : 0, now);
	}
	return rc;
}

int kw_certs_standards_set(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t exam, const json_t *body,
                           json_t **out, struct kw_err *err)
{
	const json_t *subj = json_object_get(body, "subjects");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct std_row v[MAX_SUBJECTS];
	size_t n = 0;
	int rc = kw_exam_ref_load(c, s, "score.qualify", exam, &e, err);
	if (!rc)
		rc = standards_load(c, exam, v, &n, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	int32_t cut[MAX_SUBJECTS] = {0};
	int set[MAX_SUBJECTS] = {0};
	json_t *bad = json_array();
	if (!json_is_object(subj) || !json_object_size(subj))
		json_array_append_new(
		        bad, json_pack("{s:s, s:s}", "field", "subjects", "problem", "required"));
	const char *code;
	const json_t *val;
	json_object_foreach((json_t *)subj, code, val)
	{
		size_t i = 0;
		while (i < n && strcmp(v[i].code, code) != 0)
			i++;
		char f[96];
		snprintf(f, sizeof f, "subjects.%s", code);
		if (i == n)
			json_array_append_new(bad, json_pack("{s:s, s:s}", "field", f, "problem",
			                                     "ref_not_found"));
		else if (kw_scoring_points(val, &cut[i]))
			json_array_append_new(
			        bad, json_pack("{s:s, s:s}", "field", f, "problem", "range"));
		else
			set[i] = 1;
	}
	if (json_array_size(bad)) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", "GRD-10", "the request has errors");
		kw_err_detail(err, "fields", bad);
		return err->rc;
	}
	json_decref(bad);
	struct std_job j = {exam, v, n, cut, set};
	struct kw_actor a = *actor;
	if (!a.id)
		a.id = s->user.id;
	rc = kw_writer_run(app->writer, std_job, &j, &a, err);
	if (!rc)
		rc = kw_certs_standards(app, exam, out, err);
	return rc;
}

/* ---- the qualified list ---- */

struct person {
	int64_t reg, cand;
	char ticket[48];
	char *subjects; /* the registration's subjects, comma-separated */
	int withheld;
};

static int cmp_ticket(const void *a, const void *b)
{
	return strcmp(((const struct person *)a)->ticket, ((const struct person *)b)->ticket);
}

static void people_free(struct person *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].subjects);
	free(v);
}

/* The exam's seated candidates (published seating), by ticket, with the subjects they
 * registered for, and who is under verification. */
static int people_load(struct kw_conn *c, int64_t exam, struct person **out, size_t *n,
                       struct kw_err *err)
{
	size_t cap = 256;
	struct person *v = kw_xmalloc(cap * sizeof *v);
	*n = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT s.registration_id, r.candidate_id, s.ticket_no, (SELECT COUNT(*) FROM "
	        "verifications v WHERE v.registration_id = r.id AND v.status = 'open'), "
	        "r.subjects FROM seats s JOIN seating_runs u ON u.id = s.run_id AND u.status = "
	        "'published' JOIN registrations r ON r.id = s.registration_id WHERE u.exam_id = $1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (*n == cap) {
				cap *= 2;
				v = kw_xrealloc(v, cap * sizeof *v);
			}
			struct person *p = &v[(*n)++];
			p->reg = kw_stmt_column_int64(st, 0);
			p->cand = kw_stmt_column_int64(st, 1);
			kw_stmt_column_copy(st, 2, p->ticket, sizeof p->ticket);
			p->withheld = kw_stmt_column_int64(st, 3) > 0;
			p->subjects = kw_xstrdup(kw_stmt_column_text(st, 4, NULL));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc) {
		people_free(v, *n);
		return rc;
	}
	qsort(v, *n, sizeof *v, cmp_ticket);
	*out = v;
	return 0;
}

/* ---- EXAM-5: levels, exempt subjects and the earlier exams of the series ---- */

#define MAX_PRIOR 16

/* An earlier exam of the series inside the rolling period: its cuts, its publication in force. */
struct prior {
	int64_t id, pub, year;
	struct std_row v[MAX_SUBJECTS];
	int32_t cut[MAX_SUBJECTS];
	int has_cut[MAX_SUBJECTS];
	size_t n;
};

struct rules {
	int64_t year, rolling; /* rolling 0: not set (this exam alone) */
	char levels[256];      /* the exam's levels, comma-separated; "" none */
	struct prior *prior;   /* newest first */
	size_t nprior;
};

/* Is item one of the comma-separated csv (each trimmed of spaces)? */
static int csv_has(const char *csv, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = csv; n && p && *p;) {
		while (*p == ' ')
			p++;
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		while (l && p[l - 1] == ' ')
			l--;
		if (l == n && strncmp(p, item, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* The name of an exam's series: its name without its own year ("2027年度经济专业技术资格考试"
 * → "经济专业技术资格考试"). */
static void series_name(const char *name, int64_t year, char *out, size_t n)
{
	char y[3][32];
	snprintf(y[0], sizeof y[0], "%lld年度", (long long)year);
	snprintf(y[1], sizeof y[1], "%lld年", (long long)year);
	snprintf(y[2], sizeof y[2], "%lld", (long long)year);
	snprintf(out, n, "%s", name);
	for (int k = 0; k < 3; k++) {
		char *at = strstr(out, y[k]);
		if (at) {
			size_t l = strlen(y[k]);
			memmove(at, at + l, strlen(at + l) + 1);
			return;
		}
	}
}

/* The exam's year, rolling period and levels (a subject's level must be one of them:
 * QUALIFY_LEVEL_UNKNOWN), and the earlier exams of its series inside the period. */
static int rules_load(struct kw_conn *c, const struct kw_exam_ref *e, const struct std_row *v,
                      size_t n, struct rules *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT year, rolling_years, levels FROM exams WHERE id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, e->id);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			r->year = kw_stmt_column_int64(st, 0);
			r->rolling = kw_stmt_column_int64(st, 1);
			kw_stmt_column_copy(st, 2, r->levels, sizeof r->levels);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; !rc && r->levels[0] && i < n; i++)
		if (v[i].level[0] && !csv_has(r->levels, v[i].level)) {
			rc = kw_err_set(err, KW_ECONFLICT, "QUALIFY_LEVEL_UNKNOWN", "EXAM-5",
			                "subject %s is of level %s, not one of the exam's levels",
			                v[i].code, v[i].level);
			kw_err_detail(err, "subject", json_string(v[i].code));
			kw_err_detail(err, "level", json_string(v[i].level));
		}
	if (rc || r->rolling < 2)
		return rc;
	char own[256], nm[256], sn[256];
	series_name(e->name, r->year, own, sizeof own);
	int64_t ids[MAX_PRIOR], years[MAX_PRIOR];
	size_t k = 0;
	st = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT id, name, year FROM exams WHERE unit_id = $1 AND kind = $2 "
	                     "AND id <> $3 AND year >= $4 AND year < $5 AND status NOT IN "
	                     "('template', 'cancelled') ORDER BY year DESC, id DESC",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, e->unit);
		kw_stmt_bind_textz(st, 2, e->kind);
		kw_stmt_bind_int64(st, 3, e->id);
		kw_stmt_bind_int64(st, 4, r->year - r->rolling + 1);
		kw_stmt_bind_int64(st, 5, r->year);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			kw_stmt_column_copy(st, 1, nm, sizeof nm);
			series_name(nm, kw_stmt_column_int64(st, 2), sn, sizeof sn);
			if (k < MAX_PRIOR && strcmp(sn, own) == 0) {
				ids[k] = kw_stmt_column_int64(st, 0);
				years[k++] = kw_stmt_column_int64(st, 2);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && k)
		r->prior = kw_xcalloc(k, sizeof *r->prior);
	for (size_t i = 0; !rc && i < k; i++) {
		struct prior *p = &r->prior[r->nprior];
		p->id = ids[i];
		p->year = years[i];
		rc = standards_load(c, p->id, p->v, &p->n, err);
		for (size_t j = 0; !rc && j < p->n; j++) {
			json_t *cv = json_string(p->v[j].cut);
			p->has_cut[j] = p->v[j].cut[0] && kw_scoring_points(cv, &p->cut[j]) == 0;
			json_decref(cv);
		}
		if (!rc)
			rc = kw__pub_current(c, p->id, &p->pub, NULL, err);
		if (!rc && p->pub)
			r->nprior++;
	}
	return rc;
}

/* Candidate cand's record in the publication in force of the earlier exam p: *rec (NULL when
 * they sat none of it or it has no record of them). */
static int prior_record(struct kw_conn *c, const struct prior *p, int64_t cand, json_t **rec,
                        struct kw_err *err)
{
	*rec = NULL;
	char ticket[48] = "", *text = NULL;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT s.ticket_no FROM seats s JOIN seating_runs u ON u.id = s.run_id AND "
	        "u.status = 'published' JOIN registrations r ON r.id = s.registration_id WHERE "
	        "u.exam_id = $1 AND r.candidate_id = $2 ORDER BY s.id DESC LIMIT 1",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, p->id);
		kw_stmt_bind_int64(st, 2, cand);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW)
			kw_stmt_column_copy(st, 0, ticket, sizeof ticket);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && ticket[0])
		rc = kw__pub_record(c, p->pub, ticket, &text, err);
	if (!rc && text)
		*rec = json_loads(text, 0, NULL);
	free(text);
	return rc;
}

/* Is subject code scored at or above cut in the published record r (a cancelled, absent or
 * zeroed subject never is)? *score its score. */
static int subject_passes(const json_t *r, const char *code, int32_t cut, char *score, size_t n)
{
	size_t k;
	const json_t *x;
	json_array_foreach(json_object_get(r, "subjects"), k, x)
	{
		const char *c = json_string_value(json_object_get(x, "code"));
		if (!c || strcmp(c, code) != 0)
			continue;
		const char *status = json_string_value(json_object_get(x, "status"));
		int32_t h = -1;
		if (status && strcmp(status, "scored") == 0 &&
		    kw_scoring_points(json_object_get(x, "score"), &h) == 0 && h >= cut) {
			kw_score_fmt(h, score, n);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* One required subject as the certificate shows it: passed in year with score, or exempt
 * (year 0). */
struct pass {
	const char *code;
	char score[24];
	int64_t year;
};

struct verdict {
	char level[64];
	struct pass s[MAX_SUBJECTS];
	size_t n;
	int plain; /* no level, no exemption, every subject passed in this exam */
};

/*
 * EXAM-5: *ok when person p, whose record in this exam's publication in force is rec, passed
 * every subject required of them: the subjects of their level (the level of the subjects they
 * registered for, when the exam has levels; subjects without a level belong to every level),
 * less the exemptible ones they did not register for (exempt), each at or above its cut in
 * this exam or, failing that, in an earlier exam of the series inside the rolling period (the
 * newest first, at that exam's cut, from its publication in force). A registration naming
 * subjects of two levels, or of none, has no level and does not qualify.
 */
static int qualify(struct kw_conn *c, const struct rules *ru, const struct std_row *v,
                   const int32_t *cut, size_t n, const char *rec, const struct person *p,
                   struct verdict *d, int *ok, struct kw_err *err)
{
	*ok = 0;
	d->level[0] = '\0';
	d->n = 0;
	if (ru->levels[0]) {
		for (size_t i = 0; i < n; i++) {
			if (!v[i].level[0] || !csv_has(p->subjects, v[i].code))
				continue;
			if (!d->level[0])
				snprintf(d->level, sizeof d->level, "%s", v[i].level);
			else if (strcmp(d->level, v[i].level) != 0)
				return 0;
		}
		if (!d->level[0])
			return 0;
	}
	d->plain = !d->level[0];
	json_t *r = json_loads(rec, 0, NULL), *pr[MAX_PRIOR] = {NULL};
	int tried[MAX_PRIOR] = {0}, good = r != NULL, rc = 0;
	for (size_t i = 0; !rc && good && i < n; i++) {
		if (d->level[0] && v[i].level[0] && strcmp(v[i].level, d->level) != 0)
			continue;
		struct pass *x = &d->s[d->n++];
		x->code = v[i].code;
		x->score[0] = '\0';
		x->year = 0;
		if (v[i].exemptible && !csv_has(p->subjects, v[i].code)) {
			d->plain = 0;
			continue;
		}
		if (subject_passes(r, v[i].code, cut[i], x->score, sizeof x->score)) {
			x->year = ru->year;
			continue;
		}
		d->plain = good = 0;
		for (size_t k = 0; !rc && !good && k < ru->nprior; k++) {
			const struct prior *q = &ru->prior[k];
			size_t j = 0;
			while (j < q->n && strcmp(q->v[j].code, v[i].code) != 0)
				j++;
			if (j == q->n || !q->has_cut[j])
				continue;
			if (!tried[k]) {
				tried[k] = 1;
				rc = prior_record(c, q, p->cand, &pr[k], err);
			}
			if (!rc && pr[k] &&
			    subject_passes(pr[k], v[i].code, q->cut[j], x->score,
			                   sizeof x->score)) {
				x->year = q->year;
				good = 1;
			}
		}
	}
	json_decref(r);
	for (size_t k = 0; k < MAX_PRIOR; k++)
		json_decref(pr[k]);
	*ok = !rc && good;
	return rc;
}

/* A qualified list entry's detail (kept unless d->plain): {"l": level, "s": [[code, score,
 * year] or [code, null, null] when exempt]}. */
static void verdict_detail(const struct verdict *d, struct kw_buf *b)
{
	json_t *s = json_array();
	for (size_t i = 0; i < d->n; i++) {
		const struct pass *x = &d->s[i];
		json_array_append_new(
		        s, x->year ? json_pack("[s, s, I]", x->code, x->score, (json_int_t)x->year)
		                   : json_pack("[s, n, n]", x->code));
	}
	json_t *o = json_pack("{s:o}", "s", s);
	if (d->level[0])
		json_object_set_new(o, "l", json_string(d->level));
	char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	kw_buf_addf(b, "\t%s", t);
	free(t);
	json_decref(o);
}

struct list_job {
	const struct kw_exam_ref *e;
	int64_t pub, candidates, qualified, withheld, id, approval;
	const char *standards, *entries, *digest;
};

static int list_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct list_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = kw_audit_put(
	        tx, err, "qualified_lists", "score.qualified_list.prepare",
	        json_pack("{s:I, s:I, s:I}", "publication_id", (json_int_t)j->pub, "qualified",
	                  (json_int_t)j->qualified, "withheld", (json_int_t)j->withheld),
	        &j->id,
	        "INSERT INTO qualified_lists (exam_id, publication_id, status, standards, "
	        "candidates, qualified, withheld, entries, digest, prepared_by, created_at, "
	        "updated_at) VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $10)",
	        "iitiiittit", j->e->id, j->pub, j->standards, j->candidates, j->qualified,
	        j->withheld, j->entries, j->digest, tx->actor->id, now);
	json_t *payload = NULL;
	if (!rc) {
		payload = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:s, s:[I]}", "list_id",
		                    (json_int_t)j->id, "exam_id", (json_int_t)j->e->id, "exam_code",
		                    j->e->code, "exam_name", j->e->name, "qualified",
		                    (json_int_t)j->qualified, "withheld", (json_int_t)j->withheld,
		                    "digest", j->digest, "units", (json_int_t)j->e->unit);
		rc = kw_approval_create(tx, LIST_KIND, payload, payload, &j->approval, err);
	}
	json_decref(payload);
	if (!rc)
		rc = kw_audit_put(tx, err, "qualified_lists", "score.qualified_list.submit",
		                  json_pack("{s:I}", "approval_id", (json_int_t)j->approval), NULL,
		                  "UPDATE qualified_lists SET approval_id = $1 WHERE id = $2", "ii",
		                  j->approval, j->id);
	return rc;
}

#define LIST_SELECT                                                                                \
	"SELECT l.id, l.exam_id, l.publication_id, l.status, l.standards, l.candidates, "          \
	"l.qualified, l.withheld, l.digest, l.approval_id, m.username, k.username, "               \
	"l.confirmed_at, l.created_at FROM qualified_lists l JOIN users m ON m.id = "              \
	"l.prepared_by LEFT JOIN users k ON k.id = l.confirmed_by "

static int lists_query(struct kw_conn *c, const char *where, int64_t v, json_t *items,
                       struct kw_err *err)
{
	char sql[700];
	snprintf(sql, sizeof sql, "%s%s", LIST_SELECT, where);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, v);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			json_t *std = json_loads(kw_stmt_column_text(st, 4, NULL), 0, NULL);
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:I, s:I, s:s, s:o, s:I, s:I, s:I, s:s, s:o, s:s, "
			                  "s:o, s:o, s:s}",
			                  "id", (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
			                  (json_int_t)kw_stmt_column_int64(st, 1), "publication_id",
			                  (json_int_t)kw_stmt_column_int64(st, 2), "status",
			                  kw_stmt_column_text(st, 3, NULL), "standards",
			                  std ? std : json_object(), "candidates",
			                  (json_int_t)kw_stmt_column_int64(st, 5), "qualified",
			                  (json_int_t)kw_stmt_column_int64(st, 6), "withheld",
			                  (json_int_t)kw_stmt_column_int64(st, 7), "digest",
			                  kw_stmt_column_text(st, 8, NULL), "approval_id",
			                  kw_stmt_column_is_null(st, 9)
			                          ? json_null()
			                          : json_integer(kw_stmt_column_int64(st, 9)),
			                  "prepared_by", kw_stmt_column_text(st, 10, NULL),
			                  "confirmed_by",
			                  kw_stmt_column_is_null(st, 11)
			                          ? json_null()
			                          : json_string(kw_stmt_column_text(st, 11, NULL)),
			                  "confirmed_at",
			                  kw_stmt_column_is_null(st, 12)
			                          ? json_null()
			                          : json_string(kw_stmt_column_text(st, 12, NULL)),
			                  "created_at", kw_stmt_column_text(st, 13, NULL)));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

struct list_merge {
	struct kw_conn *c;
	const struct rules *ru;
	const struct person *people;
	size_t np, i;
	const struct std_row *v;
	const int32_t *cut;
	size_t n;
	struct list_job *j;
	struct kw_buf *entries;
	struct kw_err *err;
};

/* One published record (kw__pub_each): the seated person with that ticket, if any, qualifies
 * or not; an entry is "registration TAB ticket", then TAB and its detail unless plain. */
static int list_merge_one(void *arg, const char *ticket, const char *rec)
{
	struct list_merge *m = arg;
	while (m->i < m->np && strcmp(m->people[m->i].ticket, ticket) < 0)
		m->i++;
	if (m->i == m->np || strcmp(m->people[m->i].ticket, ticket) != 0)
		return 0;
	const struct person *p = &m->people[m->i++];
	struct verdict d;
	int ok = 0;
	int rc = qualify(m->c, m->ru, m->v, m->cut, m->n, rec, p, &d, &ok, m->err);
	if (rc || !ok)
		return rc;
	if (p->withheld) {
		m->j->withheld++;
		return 0;
	}
	m->j->qualified++;
	kw_buf_addf(m->entries, "%lld\t%s", (long long)p->reg, p->ticket);
	if (!d.plain)
		verdict_detail(&d, m->entries);
	kw_buf_addf(m->entries, "\n");
	return 0;
}

int kw_certs_list_prepare(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, json_t **out,
                          struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	struct std_row v[MAX_SUBJECTS];
	size_t n = 0, np = 0;
	int32_t cut[MAX_SUBJECTS];
	int64_t pub = 0;
	struct person *people = NULL;
	struct rules ru;
	memset(&ru, 0, sizeof ru);
	int rc = kw_exam_ref_load(c, s, "score.qualify", exam, &e, err);
	if (!rc)
		rc = standards_load(c, exam, v, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *cv = json_string(v[i].cut);
		if (!v[i].cut[0] || kw_scoring_points(cv, &cut[i])) {
			rc = kw_err_set(err, KW_ECONFLICT, "QUALIFY_NO_STANDARD", "GRD-10",
			                "subject %s has no pass standard", v[i].code);
			kw_err_detail(err, "subject", json_string(v[i].code));
		}
		json_decref(cv);
	}
	if (!rc)
		rc = rules_load(c, &e, v, n, &ru, err);
	if (!rc)
		rc = kw__pub_current(c, exam, &pub, NULL, err);
	if (!rc && !pub)
		rc = kw_err_set(err, KW_ECONFLICT, "SCORES_NOT_PUBLISHED", "GRD-10",
		                "the scores are not published");
	if (!rc)
		rc = people_load(c, exam, &people, &np, err);
	struct kw_buf entries = KW_BUF_INIT;
	kw_buf_init(&entries, 0);
	struct list_job j = {.e = &e, .pub = pub, .candidates = (int64_t)np};
	/* one pass over the publication in ticket order beside the people in ticket order */
	struct list_merge m = {c, &ru, people, np, 0, v, cut, n, &j, &entries, err};
	if (!rc)
		rc = kw__pub_each(c, pub, list_merge_one, &m, err);
	kw_pool_put(app->pool, c);
	people_free(people, np);
	free(ru.prior);
	unsigned char d[crypto_hash_sha256_BYTES];
	char digest[65];
	crypto_hash_sha256(d, (const unsigned char *)(entries.buf ? entries.buf : ""), entries.len);
	sodium_bin2hex(digest, sizeof digest, d, sizeof d);
	json_t *sj = standards_json(exam, v, n);
	char *std_s = json_dumps(json_object_get(sj, "subjects"), JSON_COMPACT);
	json_decref(sj);
	j.standards = std_s;
	j.entries = entries.buf ? entries.buf : "";
	j.digest = digest;
	if (!rc)
		rc = kw_writer_run(app->writer, list_job, &j, actor, err);
	free(std_s);
	kw_buf_release(&entries);
	json_t *items = json_array();
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = lists_query(c, "WHERE l.id = $1", j.id, items, err);
		kw_pool_put(app->pool, c);
	}
	if (!rc)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return rc;
}

int kw_certs_lists(struct kw_app *app, const struct kw_session_info *s, int64_t exam, json_t **out,
                   struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	json_t *items = json_array();
	int rc = kw_exam_ref_load(c, s, "score.read", exam, &e, err);
	if (!rc)
		rc = lists_query(c, "WHERE l.exam_id = $1 ORDER BY l.id DESC", exam, items, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "exam_id", (json_int_t)exam, "items", items);
	return 0;
}

/* ---- the confirmation: certificates issued, and following the scores (INF-5(7)) ---- */

static int list_allowed(struct kw_conn *c, const struct kw_session_info *s, const json_t *payload,
                        struct kw_err *err)
{
	return kw_authz_check(
	        c, s, "score.qualify",
	        json_integer_value(json_array_get(json_object_get(payload, "units"), 0)), err);
}

/* The certificate's subjects (data: [{code, score, year}], an exempt one {code, score null,
 * year null, exempt true}; the QR code's: [[code, score, year]]) and level: from the list
 * entry's detail when it has one (EXAM-5), else every subject of the published record rec,
 * passed in this exam's year. */
static void cert_subjects(const char *rec, const char *detail, int64_t year, json_t *subjects,
                          json_t *sig_subj, json_t **level)
{
	size_t i;
	json_t *x;
	*level = NULL;
	if (detail) {
		json_t *d = json_loads(detail, 0, NULL);
		json_array_foreach(json_object_get(d, "s"), i, x)
		{
			json_t *code = json_array_get(x, 0), *score = json_array_get(x, 1),
			       *y = json_array_get(x, 2);
			json_t *o = json_pack("{s:O, s:O, s:O}", "code", code, "score", score,
			                      "year", y);
			if (json_is_null(score))
				json_object_set_new(o, "exempt", json_true());
			json_array_append_new(subjects, o);
			json_array_append_new(sig_subj, json_pack("[O, O, O]", code, score, y));
		}
		*level = json_incref(json_object_get(d, "l"));
		json_decref(d);
		return;
	}
	json_t *r = rec ? json_loads(rec, 0, NULL) : NULL;
	json_array_foreach(json_object_get(r, "subjects"), i, x)
	{
		json_array_append_new(subjects, json_pack("{s:O, s:O, s:I}", "code",
		                                          json_object_get(x, "code"), "score",
		                                          json_object_get(x, "score"), "year",
		                                          (json_int_t)year));
		json_array_append_new(sig_subj,
		                      json_pack("[O, O, I]", json_object_get(x, "code"),
		                                json_object_get(x, "score"), (json_int_t)year));
	}
	json_decref(r);
}

/* One certificate for registration reg of list, issued in tx, from its published record rec
 * and its list entry's detail (NULL: none); numbered *seq + 1 (then *seq advances). */
static int cert_issue(struct kw_tx *tx, const struct kw_app *app, int64_t exam,
                      const char *exam_code, const char *exam_name, int64_t year, int64_t list,
                      int64_t reg, const char *rec, const char *detail, int64_t *seq_p,
                      const char *now, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	char name[200] = "", idn[64] = "", masked[64] = "";
	int64_t cand = 0, seq = ++*seq_p;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT c.id, c.name, c.id_number FROM registrations r JOIN "
	                         "candidates c ON c.id = r.candidate_id WHERE r.id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, reg);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			cand = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, name, sizeof name);
			kw_stmt_column_copy(st, 2, idn, sizeof idn);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc)
		return rc;
	kw_mask_id_number(idn, masked, sizeof masked);
	sodium_memzero(idn, sizeof idn);
	char number[96], day[11];
	snprintf(number, sizeof number, "%s-%06lld", exam_code, (long long)seq);
	int32_t cday = 0;
	kw_cal_cst_day(tx->now_us / 1000000, &cday, NULL);
	kw_cal_date_format(cday, day);
	json_t *subjects = json_array(), *sig_subj = json_array(), *level = NULL;
	cert_subjects(rec, detail, year, subjects, sig_subj, &level);
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "exam_code", exam_code,
	                         "exam_name", exam_name, "name", name, "id_masked", masked,
	                         "issued_on", day, "subjects", subjects);
	/* the code carries the masked name: enough to compare with the holder, not to spread */
	char mname[64];
	kw_mask_name(name, mname, sizeof mname);
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "c", number, "e", exam_code, "n",
	                      mname, "i", masked, "d", day, "s", sig_subj);
	if (level) {
		json_object_set(data, "level", level);
		json_object_set(p, "l", level);
		json_decref(level);
	}
	char *payload = kw_signed_make(CERT_PREFIX, p, app->cert_sk);
	json_decref(p);
	char *data_s = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	rc = kw_audit_put(tx, err, "certificates", "certificate.issue",
	                  json_pack("{s:s, s:I}", "number", number, "list_id", (json_int_t)list),
	                  NULL,
	                  "INSERT INTO certificates (number, exam_id, qualified_list_id, "
	                  "registration_id, candidate_id, name, id_masked, data, payload, "
	                  "issued_on, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
	                  "$6, $7, $8, $9, $10, 'valid', $11, $11)",
	                  "tiiiittttt"
	                  "t",
	                  number, exam, list, reg, cand, name, masked, data_s, payload, day, now);
	free(data_s);
	free(payload);
	return rc;
}

struct entry {
	int64_t reg;
	char ticket[48];
	char *detail; /* EXAM-5: the entry's detail, NULL without one */
	int has;      /* holds a valid certificate already */
};

struct issue_merge {
	struct kw_tx *tx;
	const struct kw_app *app;
	int64_t exam;
	const char *code, *name;
	int64_t year, list;
	const struct entry *ev;
	size_t ne, i;
	int64_t *seq;
	const char *now;
	struct kw_err *err;
	int64_t issued;
};

/* One published record (kw__pub_each): the entry with that ticket, if any, gets its
 * certificate unless it holds one. */
static int issue_one(void *arg, const char *ticket, const char *rec)
{
	struct issue_merge *m = arg;
	while (m->i < m->ne && strcmp(m->ev[m->i].ticket, ticket) < 0)
		m->i++;
	if (m->i == m->ne || strcmp(m->ev[m->i].ticket, ticket) != 0)
		return 0;
	const struct entry *x = &m->ev[m->i++];
	if (x->has)
		return 0;
	m->issued++;
	return cert_issue(m->tx, m->app, m->exam, m->code, m->name, m->year, m->list, x->reg, rec,
	                  x->detail, m->seq, m->now, m->err);
}

/* In the checker's transaction: the list confirmed, certificates issued and revoked. */
static int list_decide(struct kw_app *app, struct kw_tx *tx, const json_t *payload,
                       int64_t approval_id, int approve, json_t **result, struct kw_err *err)
{
	(void)approval_id;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = json_integer_value(json_object_get(payload, "list_id"));
	int64_t exam = json_integer_value(json_object_get(payload, "exam_id"));
	int64_t changed = 0;
	int rc = kw_audit_put(tx, err, "qualified_lists",
	                      approve ? "score.qualified_list.confirm"
	                              : "score.qualified_list.reject",
	                      NULL, &changed,
	                      approve ? "UPDATE qualified_lists SET status = 'confirmed', "
	                                "confirmed_by = $1, confirmed_at = $2, updated_at = $2 "
	                                "WHERE id = $3 AND status = 'pending'"
	                              : "UPDATE qualified_lists SET status = 'rejected', "
	                                "confirmed_by = $1, updated_at = $2 WHERE id = $3 AND "
	                                "status = 'pending'",
	                      "iti", tx->actor->id, now, id);
	if (!rc && !changed)
		rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
		                "the list is no longer pending");
	if (rc || !approve)
		return rc;
	if (!app || !app->ticket_key_ok)
		return kw_err_set(err, KW_EUNAVAILABLE, "CERT_KEY_MISSING", NULL,
		                  "no certificate signing key");
	/* the list itself */
	struct kw_stmt *st = NULL;
	char *entries = NULL;
	int64_t pub = 0, year = 0;
	rc = kw_conn_prepare(tx->conn,
	                     "SELECT l.entries, l.publication_id, e.year FROM qualified_lists l "
	                     "JOIN exams e ON e.id = l.exam_id WHERE l.id = $1",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			entries = kw_xstrdup(kw_stmt_column_text(st, 0, NULL));
			pub = kw_stmt_column_int64(st, 1);
			year = kw_stmt_column_int64(st, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	/* earlier confirmed lists of the exam are superseded */
	st = NULL;
	int64_t old[64];
	size_t nold = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT id FROM qualified_lists WHERE exam_id = $1 AND status = "
		        "'confirmed' AND id <> $2 LIMIT 64",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_int64(st, 2, id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			old[nold++] = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; !rc && i < nold; i++)
		rc = kw_audit_put(
		        tx, err, "qualified_lists", "score.qualified_list.supersede",
		        json_pack("{s:I}", "by", (json_int_t)id), NULL,
		        "UPDATE qualified_lists SET status = 'superseded', updated_at = $1 "
		        "WHERE id = $2",
		        "ti", now, old[i]);
	/* the list's entries (ticket order) and, sorted by registration, who is on it */
	struct entry *ev = NULL;
	size_t ne = 0, ecap = 0;
	for (const char *p = entries; p && *p;) {
		const char *nl = strchr(p, '\n');
		const char *tab = strchr(p, '\t');
		if (ne == ecap) {
			ecap = ecap ? 2 * ecap : 256;
			ev = kw_xrealloc(ev, ecap * sizeof *ev);
		}
		struct entry *x = &ev[ne];
		x->reg = strtoll(p, NULL, 10);
		x->ticket[0] = '\0';
		x->detail = NULL;
		const char *tab2 = tab && nl && tab < nl
		                           ? memchr(tab + 1, '\t', (size_t)(nl - tab - 1))
		                           : NULL;
		const char *tend = tab2 ? tab2 : nl;
		if (tab && nl && tab < nl && (size_t)(tend - tab - 1) < sizeof x->ticket) {
			memcpy(x->ticket, tab + 1, (size_t)(tend - tab - 1));
			x->ticket[tend - tab - 1] = '\0';
		}
		if (tab2)
			x->detail = kw_xstrndup(tab2 + 1, (size_t)(nl - tab2 - 1));
		x->has = 0;
		ne++;
		p = nl ? nl + 1 : NULL;
	}
	int64_t *on = kw_xmalloc((ne ? ne : 1) * sizeof *on);
	for (size_t i = 0; i < ne; i++)
		on[i] = ev[i].reg;
	qsort(on, ne, sizeof *on, kw_cmp_i64);
	/* INF-5(7): holders no longer on the list lose their certificate */
	int64_t revoked = 0, issued = 0, seq = 0;
	st = NULL;
	int64_t *valid = NULL; /* pairs: certificate id, registration */
	size_t nvalid = 0, cap = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn,
		        "SELECT id, registration_id FROM certificates WHERE exam_id = $1 "
		        "AND status = 'valid'",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (nvalid + 2 > cap) {
				cap = cap ? 2 * cap : 64;
				valid = kw_xrealloc(valid, cap * sizeof *valid);
			}
			valid[nvalid++] = kw_stmt_column_int64(st, 0);
			valid[nvalid++] = kw_stmt_column_int64(st, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        tx->conn, "SELECT COUNT(*) FROM certificates WHERE exam_id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW)
			seq = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	int64_t *holders = kw_xmalloc((nvalid ? nvalid / 2 : 1) * sizeof *holders);
	for (size_t i = 0; i < nvalid; i += 2) {
		holders[i / 2] = valid[i + 1];
		if (!rc && !bsearch(&valid[i + 1], on, ne, sizeof *on, kw_cmp_i64)) {
			rc = kw_audit_put(
			        tx, err, "certificates", "certificate.revoke",
			        json_pack("{s:s, s:I}", "reason", "not_qualified", "list_id",
			                  (json_int_t)id),
			        NULL,
			        "UPDATE certificates SET status = 'revoked', revoked_reason = "
			        "'not_qualified', revoked_at = $1, updated_at = $1 WHERE id = $2",
			        "ti", now, valid[i]);
			revoked++;
		}
	}
	qsort(holders, nvalid / 2, sizeof *holders, kw_cmp_i64);
	for (size_t i = 0; i < ne; i++)
		ev[i].has = bsearch(&ev[i].reg, holders, nvalid / 2, sizeof *holders, kw_cmp_i64) !=
		            NULL;
	free(holders);
	free(on);
	/* everyone on the list without a valid certificate gets one, from their published
	 * record: one pass over the publication in ticket order beside the entries */
	struct issue_merge im = {tx,
	                         app,
	                         exam,
	                         json_string_value(json_object_get(payload, "exam_code")),
	                         json_string_value(json_object_get(payload, "exam_name")),
	                         year,
	                         id,
	                         ev,
	                         ne,
	                         0,
	                         &seq,
	                         now,
	                         err,
	                         0};
	if (!rc)
		rc = kw__pub_each(tx->conn, pub, issue_one, &im, err);
	issued = im.issued;
	for (size_t i = 0; i < ne; i++)
		free(ev[i].detail);
	free(ev);
	free(valid);
	free(entries);
	if (!rc)
		*result = json_pack("{s:I, s:s, s:I, s:I}", "list_id", (json_int_t)id, "status",
		                    "confirmed", "issued", (json_int_t)issued, "revoked",
		                    (json_int_t)revoked);
	return rc;
}

/* ---- certificates: the holder's, the PDF, revocation, verification ---- */

#define CERT_COLS                                                                                  \
	"c.id, c.number, c.exam_id, c.registration_id, c.candidate_id, c.name, c.id_masked, "      \
	"c.data, c.payload, c.issued_on, c.status, c.revoked_reason, c.revoked_at, e.unit_id, "    \
	"e.name"

static json_t *cert_json(struct kw_stmt *st)
{
	json_t *data = json_loads(kw_stmt_column_text(st, 7, NULL), 0, NULL);
	json_t *j = json_pack(
	        "{s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:{s:O?, s:O?}}", "id",
	        (json_int_t)kw_stmt_column_int64(st, 0), "number", kw_stmt_column_text(st, 1, NULL),
	        "exam_id", (json_int_t)kw_stmt_column_int64(st, 2), "name",
	        kw_stmt_column_text(st, 5, NULL), "id_number", kw_stmt_column_text(st, 6, NULL),
	        "issued_on", kw_stmt_column_text(st, 9, NULL), "subjects",
	        json_incref(json_object_get(data, "subjects")), "status",
	        kw_stmt_column_text(st, 10, NULL), "qr_payload", kw_stmt_column_text(st, 8, NULL),
	        "revoked_reason",
	        kw_stmt_column_is_null(st, 11) ? json_null()
	                                       : json_string(kw_stmt_column_text(st, 11, NULL)),
	        "revoked_at",
	        kw_stmt_column_is_null(st, 12) ? json_null()
	                                       : json_string(kw_stmt_column_text(st, 12, NULL)),
	        "exam", "code", json_object_get(data, "exam_code"), "name",
	        json_object_get(data, "exam_name"));
	/* EXAM-5: the level certified (null for an exam without levels) */
	json_object_set(j, "level",
	                json_object_get(data, "level") ? json_object_get(data, "level")
	                                               : json_null());
	json_decref(data);
	return j;
}

int kw_certs_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                  const char *status, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_exam_ref e;
	int rc = kw_exam_ref_load(c, s, "score.read", exam, &e, err);
	char sql[700];
	snprintf(sql, sizeof sql,
	         "SELECT " CERT_COLS " FROM certificates c JOIN exams e ON e.id = c.exam_id WHERE "
	         "c.exam_id = $1%s%s ORDER BY c.id",
	         s->candidate_id ? " AND c.candidate_id = $2" : "",
	         status ? (s->candidate_id ? " AND c.status = $3" : " AND c.status = $2") : "");
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		int k = 1;
		kw_stmt_bind_int64(st, k++, exam);
		if (s->candidate_id)
			kw_stmt_bind_int64(st, k++, s->candidate_id);
		if (status)
			kw_stmt_bind_textz(st, k, status);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, cert_json(st));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "exam_id", (json_int_t)exam, "items", items);
	return 0;
}

/* Certificate id as s may see it: its holder, or staff of the exam's units (action). */
static int cert_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                     int64_t id, json_t **out, int64_t *unit, char exam_name[256],
                     struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*out = NULL;
	int64_t cand = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT " CERT_COLS " FROM certificates c JOIN exams e ON e.id = "
	                         "c.exam_id WHERE c.id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		if ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			*out = cert_json(st);
			cand = kw_stmt_column_int64(st, 4);
			*unit = kw_stmt_column_int64(st, 13);
			if (exam_name)
				kw_stmt_column_copy(st, 14, exam_name, 256);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	int seen = *out != NULL;
	if (!rc && seen && s->candidate_id)
		seen = s->candidate_id == cand;
	else if (!rc && seen) {
		struct kw_err e2 = KW_ERR_INIT;
		seen = kw_authz_check(c, s, action, *unit, &e2) == 0;
		kw_err_release(&e2);
	}
	if (!rc && !seen) {
		json_decref(*out);
		*out = NULL;
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such certificate");
	}
	return rc;
}

static int render_cert(void *arg, struct kw_buf *out, struct kw_err *err)
{
	return kw_certificate_pdf(arg, out, err);
}

int kw_certs_pdf(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                 struct kw_buf *pdf, char *number, size_t nlen, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *cj = NULL;
	int64_t unit = 0;
	char exam_name[256] = "", issuer[256] = "";
	int rc = cert_load(c, s, "score.read", id, &cj, &unit, exam_name, err);
	struct kw_stmt *st = NULL;
	if (!rc && kw_conn_prepare(c, "SELECT name FROM units WHERE id = $1", &st, NULL) == 0) {
		kw_stmt_bind_int64(st, 1, unit);
		if (kw_stmt_step(st, NULL) == KW_ROW)
			kw_stmt_column_copy(st, 0, issuer, sizeof issuer);
	}
	kw_stmt_finalize(st);
	/* subject names */
	struct kw_certificate_subject subj[KW_CERTIFICATE_MAX_SUBJECTS];
	char names[KW_CERTIFICATE_MAX_SUBJECTS][256], years[KW_CERTIFICATE_MAX_SUBJECTS][24];
	size_t ns = 0;
	const json_t *sa = cj ? json_object_get(cj, "subjects") : NULL;
	char year[8] = "";
	if (cj)
		snprintf(year, sizeof year, "%.4s",
		         json_string_value(json_object_get(cj, "issued_on")));
	for (size_t i = 0; !rc && i < json_array_size(sa) && ns < KW_CERTIFICATE_MAX_SUBJECTS;
	     i++) {
		const json_t *x = json_array_get(sa, i);
		const char *code = json_string_value(json_object_get(x, "code"));
		names[ns][0] = '\0';
		st = NULL;
		if (kw_conn_prepare(c, "SELECT name FROM subjects WHERE exam_id = $1 AND code = $2",
		                    &st, NULL) == 0) {
			kw_stmt_bind_int64(st, 1,
			                   json_integer_value(json_object_get(cj, "exam_id")));
			kw_stmt_bind_textz(st, 2, code);
			if (kw_stmt_step(st, NULL) == KW_ROW)
				kw_stmt_column_copy(st, 0, names[ns], sizeof names[ns]);
		}
		kw_stmt_finalize(st);
		/* the year of each pass (EXAM-5; a certificate issued before years were kept:
		 * the year of issue); an exempt subject: 免试 and no year */
		const json_t *y = json_object_get(x, "year");
		int exempt = json_is_true(json_object_get(x, "exempt"));
		if (json_is_integer(y))
			snprintf(years[ns], sizeof years[ns], "%lld",
			         (long long)json_integer_value(y));
		else
			snprintf(years[ns], sizeof years[ns], "%s", exempt ? "" : year);
		subj[ns] = (struct kw_certificate_subject){
		        code, names[ns],
		        exempt ? "免试" : json_string_value(json_object_get(x, "score")),
		        years[ns][0] ? years[ns] : NULL};
		ns++;
	}
	kw_pool_put(app->pool, c);
	/* the qualification with its level: "经济专业技术资格考试（中级）" */
	char qualification[400];
	const char *level = cj ? json_string_value(json_object_get(cj, "level")) : NULL;
	if (level)
		snprintf(qualification, sizeof qualification, "%s（%s）", exam_name, level);
	else
		snprintf(qualification, sizeof qualification, "%s", exam_name);
	if (!rc) {
		struct kw_certificate d = {
		        .number = json_string_value(json_object_get(cj, "number")),
		        .name = json_string_value(json_object_get(cj, "name")),
		        .id_number = json_string_value(json_object_get(cj, "id_number")),
		        .qualification = qualification,
		        .exam = exam_name,
		        .subjects = subj,
		        .nsubjects = ns,
		        .issuer = issuer,
		        .issued_on = json_string_value(json_object_get(cj, "issued_on")),
		        .verify_url = "/verify.html",
		        .qr_payload = json_string_value(json_object_get(cj, "qr_payload")),
		        .revoked = strcmp(json_string_value(json_object_get(cj, "status")),
		                          "valid") != 0,
		        .stamp_text = issuer[0] ? issuer : NULL,
		};
		snprintf(number, nlen, "%s", d.number);
		/* in a child process: a server never loads cairo's font state (render/isolate.h) */
		rc = kw_render_isolated(render_cert, &d, pdf, err);
	}
	json_decref(cj);
	return rc;
}

struct revoke_job {
	const json_t *payload;
	int64_t approval;
};

static int revoke_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct revoke_job *j = arg;
	return kw_approval_create(tx, REVOKE_KIND, j->payload, j->payload, &j->approval, err);
}

int kw_certs_revoke(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                    struct kw_err *err)
{
	static const struct kw_jfield fields[] = {KW_JSTR("reason", 500, KW_JREQUIRED)};
	int rc = kw_json_check(body, fields, 1, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *cj = NULL;
	int64_t unit = 0;
	rc = cert_load(c, s, "score.qualify", id, &cj, &unit, NULL, err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(json_string_value(json_object_get(cj, "status")), "valid") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "CERT_REVOKED", "INF-5",
		                "the certificate is already revoked");
	json_t *payload = NULL;
	if (!rc)
		payload = json_pack("{s:I, s:O, s:O, s:O, s:[I]}", "certificate_id", (json_int_t)id,
		                    "number", json_object_get(cj, "number"), "exam_id",
		                    json_object_get(cj, "exam_id"), "reason",
		                    json_object_get(body, "reason"), "units", (json_int_t)unit);
	json_decref(cj);
	struct revoke_job j = {payload, 0};
	if (!rc)
		rc = kw_writer_run(app->writer, revoke_job, &j, actor, err);
	int64_t approval = j.approval;
	json_decref(payload);
	if (!rc)
		*out = json_pack("{s:I, s:s, s:I}", "certificate_id", (json_int_t)id, "status",
		                 "revocation_pending", "approval_id", (json_int_t)approval);
	return rc;
}

static int revoke_decide(struct kw_app *app, struct kw_tx *tx, const json_t *payload,
                         int64_t approval_id, int approve, json_t **result, struct kw_err *err)
{
	(void)app;
	if (!approve)
		return 0;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = json_integer_value(json_object_get(payload, "certificate_id"));
	int64_t changed = 0;
	int rc = kw_audit_put(
	        tx, err, "certificates", "certificate.revoke",
	        json_pack("{s:O}", "reason", json_object_get(payload, "reason")), &changed,
	        "UPDATE certificates SET status = 'revoked', revoked_reason = $1, revoked_at = $2, "
	        "approval_id = $3, updated_at = $2 WHERE id = $4 AND status = 'valid'",
	        "ttii", json_string_value(json_object_get(payload, "reason")), now, approval_id,
	        id);
	if (!rc && !changed)
		rc = kw_err_set(err, KW_ECONFLICT, "CERT_REVOKED", "INF-5",
		                "the certificate is already revoked");
	if (!rc)
		*result = json_pack("{s:I, s:s}", "certificate_id", (json_int_t)id, "status",
		                    "revoked");
	return rc;
}

const struct kw_approval_kind kw_qualified_list_approval = {LIST_KIND, list_allowed, list_decide,
                                                            NULL};

const struct kw_approval_kind kw_certificate_revoke_approval = {REVOKE_KIND, list_allowed,
                                                                revoke_decide, NULL};

json_t *kw_certs_key_json(const struct kw_app *app)
{
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, app->cert_pk, sizeof app->cert_pk);
	return json_pack(
	        "{s:s, s:s?, s:s}", "alg", "Ed25519", "public_key", app->ticket_key_ok ? hex : NULL,
	        "format",
	        "KWC1.<base64url(payload JSON)>.<base64url(Ed25519 signature of those "
	        "bytes)>; payload {c: certificate number, e: exam, n: masked name, i: masked "
	        "identity number, d: issue day, s: [[subject, score, year passed], …] (an exempt "
	        "subject: [subject, null, null]; a certificate issued before years were kept: "
	        "[subject, score]), l: the level, when the exam has levels}");
}

static json_t *verdict(const char *reason)
{
	return json_pack("{s:b, s:s}", "valid", 0, "reason", reason);
}

int kw_certs_verify(struct kw_app *app, const json_t *body, const char *address, json_t **out,
                    int *retry_s, struct kw_err *err)
{
	static const struct kw_jfield fields[] = {
	        KW_JSTR("number", 64, 0),
	        KW_JSTR("name", 100, 0),
	        KW_JSTR("payload", 1024, 0),
	};
	int rc = kw_json_check(body, fields, sizeof fields / sizeof *fields, err);
	if (rc)
		return rc;
	const char *number = json_string_value(json_object_get(body, "number"));
	const char *name = json_string_value(json_object_get(body, "name"));
	const char *payload = json_string_value(json_object_get(body, "payload"));
	if (!payload && (!number || !name)) {
		kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", "GRD-10",
		           "number and name, or payload");
		kw_err_detail(err, "fields",
		              json_pack("[{s:s, s:s}]", "field", number ? "name" : "number",
		                        "problem", "required"));
		return err->rc;
	}
	if (kw__pub_rate_address(app, address, retry_s))
		return kw_err_set(err, KW_ETHROTTLED, "RATE_LIMITED", "GRD-10",
		                  "too many verifications; try again in %d s", *retry_s);
	json_t *p = NULL;
	if (payload) {
		if (!app->ticket_key_ok || kw_signed_open(CERT_PREFIX, payload, app->cert_pk, &p)) {
			*out = verdict("TAMPERED");
			return 0;
		}
		number = json_string_value(json_object_get(p, "c"));
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	json_t *cj = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT " CERT_COLS " FROM certificates c JOIN exams e ON e.id = "
	                     "c.exam_id WHERE c.number = $1",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, number ? number : "");
		if ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			/* by number and name: the name must be the holder's */
			if (payload || strcmp(kw_stmt_column_text(st, 5, NULL), name) == 0)
				cj = cert_json(st);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc && !cj && !payload)
		rc = kw_err_set(err, KW_ENOTFOUND, "CERT_NO_MATCH", "GRD-10",
		                "no certificate matches this number and name");
	if (!rc) {
		const char *status = cj ? json_string_value(json_object_get(cj, "status")) : NULL;
		*out = !cj                            ? verdict("UNKNOWN")
		       : strcmp(status, "valid") != 0 ? verdict("REVOKED")
		                                      : json_pack("{s:b}", "valid", 1);
		if (cj) {
			char masked[64];
			kw_mask_name(json_string_value(json_object_get(cj, "name")), masked,
			             sizeof masked);
			json_object_set_new(*out, "number",
			                    json_incref(json_object_get(cj, "number")));
			json_object_set_new(*out, "name", json_string(masked));
			json_object_set(*out, "id_number", json_object_get(cj, "id_number"));
			json_object_set(*out, "issued_on", json_object_get(cj, "issued_on"));
			json_object_set(*out, "exam", json_object_get(cj, "exam"));
			json_object_set(*out, "level", json_object_get(cj, "level"));
			json_object_set(*out, "subjects", json_object_get(cj, "subjects"));
			json_object_set(*out, "revoked_at", json_object_get(cj, "revoked_at"));
		}
	}
	json_decref(cj);
	json_decref(p);
	return rc;
}
