/* Objective scoring (GRD-4, GRD-5, CUS-8, INF-5(6), SEC-2): see scoring.h. */
#include "app/scoring.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "core/score.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/csvtab.h"
#include "util/json.h"
#include "util/textin.h"

#define ANSWERS_MAX_ROWS 2000000
#define MAX_PROBLEMS     200
#define SHEET_ROWS       64    /* answer sheets to an INSERT */
#define SCORE_ROWS       64    /* scores to an INSERT */
#define BATCH_ROWS       10000 /* rows under one audit record */

static int done_ok(int rc)
{
	return rc == KW_ROW || rc == KW_DONE ? 0 : rc;
}

static void copy_col(struct kw_stmt *s, int i, char *out, size_t n)
{
	const char *v = kw_stmt_column_is_null(s, i) ? "" : kw_stmt_column_text(s, i, NULL);
	snprintf(out, n, "%s", v ? v : "");
}

static json_t *col_json(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
}

static json_t *col_int_json(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_integer(kw_stmt_column_int64(s, i));
}

static json_t *points_json(int32_t h)
{
	char b[24];
	kw_score_fmt(h, b, sizeof b);
	return json_string(b);
}

static void sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int invalid(struct kw_err *err, const char *code, json_t *fields)
{
	kw_err_set(err, KW_EINVAL, code, NULL, "the request has errors");
	kw_err_detail(err, "fields", fields);
	return err->rc;
}

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

/* ---- the exam and subject an operation is about ---- */

struct target {
	int64_t exam, unit, subject;
	char kind[32], code[64];
};

/* Loads exam (and its subject code when given) and checks s may do action there (the exam's
 * organising unit's subtree); out of reach reads as absent. */
static int target_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                       int64_t exam, const char *subject, struct target *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT id, unit_id, kind FROM exams WHERE id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			t->exam = kw_stmt_column_int64(st, 0);
			t->unit = kw_stmt_column_int64(st, 1);
			copy_col(st, 2, t->kind, sizeof t->kind);
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && t->exam) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, action, t->unit, &e2))
			t->exam = 0;
		kw_err_release(&e2);
	}
	if (!rc && !t->exam)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	if (rc || !subject)
		return rc;
	st = NULL;
	rc = kw_conn_prepare(c, "SELECT id, code FROM subjects WHERE exam_id = $1 AND code = $2",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		kw_stmt_bind_textz(st, 2, subject);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			t->subject = kw_stmt_column_int64(st, 0);
			copy_col(st, 1, t->code, sizeof t->code);
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !t->subject)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "the exam has no subject %s",
		                subject);
	return rc;
}

/* When the exam's last subject ends (SEC-2: keys stay sealed until then); 0 while a subject
 * has no start time. */
static int exam_end(struct kw_conn *c, int64_t exam, int64_t *end_us, struct kw_err *err)
{
	*end_us = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT starts_at, duration_minutes FROM subjects WHERE exam_id = $1", &st, err);
	int unscheduled = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t at = 0;
			if (kw_stmt_column_is_null(st, 0) ||
			    kw_clock_parse(kw_stmt_column_text(st, 0, NULL), &at)) {
				unscheduled = 1;
				continue;
			}
			int64_t e = at + kw_stmt_column_int64(st, 1) * 60 * 1000000;
			if (e > *end_us)
				*end_us = e;
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	if (unscheduled)
		*end_us = 0;
	return rc;
}

/* ---- keys: the API's form and the stored one ---- */

static const char *const kind_names[] = {"single", "multiple", "indeterminate", "true_false"};
static const uint8_t kind_codes[] = {KW_ITEM_SINGLE, KW_ITEM_MULTIPLE, KW_ITEM_INDETERMINATE,
                                     KW_ITEM_TRUEFALSE};
static const char *const partial_names[] = {"none", "per_option", "fixed"};
static const uint8_t partial_codes[] = {KW_PARTIAL_NONE, KW_PARTIAL_PER_OPTION, KW_PARTIAL_FIXED};

static int name_index(const char *v, const char *const *names, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *kind_name(uint8_t k)
{
	for (size_t i = 0; i < 4; i++)
		if (kind_codes[i] == k)
			return kind_names[i];
	return "?";
}

static const char *partial_name(uint8_t k)
{
	for (size_t i = 0; i < 3; i++)
		if (partial_codes[i] == k)
			return partial_names[i];
	return "none";
}

/* A number of points, to the hundredth, 0 … 1000 — a JSON number, or a decimal string as
 * keys are served ("1.5"): *h hundredths. */
static int hundredths(const json_t *v, int32_t *h)
{
	const char *t = json_string_value(v);
	if (t) {
		int32_t x = 0;
		int frac = -1;
		if (!*t || strlen(t) > 8)
			return -1;
		for (; *t; t++) {
			if (*t == '.' && frac < 0 && x >= 0) {
				frac = 0;
				continue;
			}
			if (*t < '0' || *t > '9' || frac == 2)
				return -1;
			x = x * 10 + (*t - '0');
			if (frac >= 0)
				frac++;
		}
		if (frac == 0)
			return -1;
		*h = x * (frac < 0 ? 100 : frac == 1 ? 10 : 1);
		return *h > 100000 ? -1 : 0;
	}
	if (!json_is_number(v))
		return -1;
	double x = json_number_value(v) * 100.0;
	double r = round(x);
	if (fabs(x - r) > 1e-6 || r < 0 || r > 100000)
		return -1;
	*h = (int32_t)r;
	return 0;
}

/* Option letters ("ACD") within the first `options` letters, each once: their bitmask. */
static int letters_mask(const char *s, int options, uint8_t *mask)
{
	*mask = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		int b = *s - 'A';
		if (b < 0 || b >= options || (*mask & (1u << b)))
			return -1;
		*mask |= (uint8_t)(1u << b);
	}
	return 0;
}

static void mask_letters(uint8_t m, char out[KW_SCORE_MAX_OPTIONS + 1])
{
	size_t o = 0;
	for (int b = 0; b < KW_SCORE_MAX_OPTIONS; b++)
		if (m & (1u << b))
			out[o++] = (char)('A' + b);
	out[o] = '\0';
}

/* items (the API's array) into k; problems named "items[i].field" (1-based i). */
static void key_from_json(const json_t *items, struct kw_score_key *k, json_t *fields)
{
	k->n = json_array_size(items);
	for (size_t i = 0; i < k->n; i++) {
		const json_t *it = json_array_get(items, i);
		char f[48];
		struct kw_score_item *x = &k->item[i];
		memset(x, 0, sizeof *x);
#define FIELD(name) (snprintf(f, sizeof f, "items[%zu].%s", i + 1, name), f)
		if (!json_is_object(it)) {
			problem(fields, FIELD("kind"), "type");
			continue;
		}
		const char *known[] = {"kind",   "options", "key",
		                       "points", "partial", "partial_points"};
		const char *name;
		const json_t *v;
		json_object_foreach((json_t *)it, name, v)
		{
			size_t q = 0;
			while (q < 6 && strcmp(known[q], name) != 0)
				q++;
			if (q == 6)
				problem(fields, FIELD(name), "unknown");
		}
		int kind =
		        name_index(json_string_value(json_object_get(it, "kind")), kind_names, 4);
		if (kind < 0)
			problem(fields, FIELD("kind"), "not_allowed");
		else
			x->kind = kind_codes[kind];
		json_int_t options = json_integer_value(json_object_get(it, "options"));
		if (kind >= 0 && kind_codes[kind] == KW_ITEM_TRUEFALSE &&
		    !json_object_get(it, "options"))
			options = 2;
		if (!json_is_integer(json_object_get(it, "options")) &&
		    !(kind >= 0 && kind_codes[kind] == KW_ITEM_TRUEFALSE &&
		      !json_object_get(it, "options")))
			problem(fields, FIELD("options"), "type");
		else if (options < 2 || options > KW_SCORE_MAX_OPTIONS)
			problem(fields, FIELD("options"), "range");
		else
			x->options = (uint8_t)options;
		if (x->options && letters_mask(json_string_value(json_object_get(it, "key")),
		                               x->options, &x->key))
			problem(fields, FIELD("key"), "key_letters");
		if (hundredths(json_object_get(it, "points"), &x->points))
			problem(fields, FIELD("points"), "points");
		const json_t *pv = json_object_get(it, "partial");
		int partial = pv ? name_index(json_string_value(pv), partial_names, 3) : 0;
		if (partial < 0)
			problem(fields, FIELD("partial"), "not_allowed");
		else
			x->partial = partial_codes[partial];
		const json_t *pp = json_object_get(it, "partial_points");
		if (pp && hundredths(pp, &x->partial_points))
			problem(fields, FIELD("partial_points"), "points");
		if (partial > 0 && !pp)
			problem(fields, FIELD("partial_points"), "required");
#undef FIELD
	}
}

/* perm (the API's object) for a key of n items into p. */
static void perm_from_json(const json_t *perm, size_t n, struct kw_form_perm *p, json_t *fields)
{
	memset(p, 0, sizeof *p);
	p->n = n;
	const json_t *items = json_object_get(perm, "items");
	const json_t *opts = json_object_get(perm, "options");
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)perm, name, v)
	{
		if (strcmp(name, "items") != 0 && strcmp(name, "options") != 0)
			problem(fields, "perm", "unknown");
	}
	if (!json_is_array(items) || json_array_size(items) != n) {
		problem(fields, "perm.items", "perm_length");
		return;
	}
	if (opts && (!json_is_array(opts) || json_array_size(opts) != n)) {
		problem(fields, "perm.options", "perm_length");
		return;
	}
	unsigned char *seen = calloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		const json_t *m = json_array_get(items, i);
		char f[48];
		snprintf(f, sizeof f, "perm.items[%zu]", i + 1);
		json_int_t x = json_integer_value(m);
		if (!json_is_integer(m) || x < 1 || (size_t)x > n || seen[x - 1]) {
			problem(fields, f, "perm_item");
			continue;
		}
		seen[x - 1] = 1;
		p->item_perm[i] = (uint16_t)(x - 1);
		for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++)
			p->opt_perm[i][j] = (uint8_t)j;
		if (!opts)
			continue;
		const char *o = json_string_value(json_array_get(opts, i));
		snprintf(f, sizeof f, "perm.options[%zu]", i + 1);
		size_t len = o ? strlen(o) : 0;
		uint8_t used = 0;
		int bad = len < 2 || len > KW_SCORE_MAX_OPTIONS;
		for (size_t j = 0; !bad && j < len; j++) {
			int b = o[j] - 'A';
			if (b < 0 || (size_t)b >= len || (used & (1u << b)))
				bad = 1;
			else {
				used |= (uint8_t)(1u << b);
				p->opt_perm[i][j] = (uint8_t)b;
			}
		}
		if (bad)
			problem(fields, f, "perm_options");
	}
	free(seen);
}

/* The stored form: [[kind, options, key, points, partial, partial_points], …] (hundredths). */
static char *spec_dump(const struct kw_score_key *k)
{
	json_t *a = json_array();
	for (size_t i = 0; i < k->n; i++) {
		const struct kw_score_item *x = &k->item[i];
		char key[KW_SCORE_MAX_OPTIONS + 1];
		mask_letters(x->key, key);
		json_array_append_new(a,
		                      json_pack("[s, i, s, i, s, i]", kind_name(x->kind),
		                                (int)x->options, key, (int)x->points,
		                                partial_name(x->partial), (int)x->partial_points));
	}
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

static int spec_load(const char *text, struct kw_score_key *k)
{
	json_t *a = json_loads(text ? text : "", 0, NULL);
	int rc = json_is_array(a) && json_array_size(a) <= KW_SCORE_MAX_ITEMS ? 0 : -1;
	k->n = rc ? 0 : json_array_size(a);
	for (size_t i = 0; !rc && i < k->n; i++) {
		const char *kind, *key, *partial;
		int options, points, pp;
		struct kw_score_item *x = &k->item[i];
		if (json_unpack(json_array_get(a, i), "[s, i, s, i, s, i]", &kind, &options, &key,
		                &points, &partial, &pp)) {
			rc = -1;
			break;
		}
		int ki = name_index(kind, kind_names, 4),
		    pi = name_index(partial, partial_names, 3);
		x->kind = ki < 0 ? 0 : kind_codes[ki];
		x->options = (uint8_t)options;
		x->points = points;
		x->partial = pi < 0 ? 0 : partial_codes[pi];
		x->partial_points = pp;
		if (ki < 0 || pi < 0 || letters_mask(key, options, &x->key))
			rc = -1;
	}
	json_decref(a);
	return rc;
}

static char *perm_dump(const struct kw_form_perm *p)
{
	json_t *items = json_array(), *opts = json_array();
	for (size_t i = 0; i < p->n; i++) {
		json_array_append_new(items, json_integer(p->item_perm[i] + 1));
		char o[KW_SCORE_MAX_OPTIONS + 1];
		for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++)
			o[j] = (char)('A' + p->opt_perm[i][j]);
		o[KW_SCORE_MAX_OPTIONS] = '\0';
		json_array_append_new(opts, json_string(o));
	}
	json_t *j = json_pack("{s:o, s:o}", "items", items, "options", opts);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static int perm_load(const char *text, size_t n, struct kw_form_perm *p)
{
	memset(p, 0, sizeof *p);
	p->n = n;
	json_t *j = json_loads(text ? text : "", 0, NULL);
	const json_t *items = json_object_get(j, "items"), *opts = json_object_get(j, "options");
	int rc = json_array_size(items) == n && json_array_size(opts) == n ? 0 : -1;
	for (size_t i = 0; !rc && i < n; i++) {
		json_int_t x = json_integer_value(json_array_get(items, i));
		const char *o = json_string_value(json_array_get(opts, i));
		if (x < 1 || (size_t)x > n || !o || strlen(o) != KW_SCORE_MAX_OPTIONS) {
			rc = -1;
			break;
		}
		p->item_perm[i] = (uint16_t)(x - 1);
		for (int q = 0; q < KW_SCORE_MAX_OPTIONS; q++)
			p->opt_perm[i][q] = (uint8_t)(o[q] - 'A');
	}
	json_decref(j);
	return rc;
}

json_t *kw_scoring_items_json(const struct kw_score_key *k)
{
	json_t *a = json_array();
	for (size_t i = 0; i < k->n; i++) {
		const struct kw_score_item *x = &k->item[i];
		char key[KW_SCORE_MAX_OPTIONS + 1];
		mask_letters(x->key, key);
		json_t *it =
		        json_pack("{s:s, s:i, s:s, s:o}", "kind", kind_name(x->kind), "options",
		                  (int)x->options, "key", key, "points", points_json(x->points));
		if (x->partial != KW_PARTIAL_NONE) {
			json_object_set_new(it, "partial", json_string(partial_name(x->partial)));
			json_object_set_new(it, "partial_points", points_json(x->partial_points));
		}
		json_array_append_new(a, it);
	}
	return a;
}

/* A stored key: the latest version of a form, or the master's (form NULL). */
struct key_row {
	int64_t id, version;
	char form[8], digest[65];
	struct kw_score_key key;
	struct kw_form_perm perm;
	int master;
};

#define KEY_COLS "id, form, version, master, items, spec, perm, digest"

static int key_row_read(struct kw_stmt *st, struct key_row *k)
{
	k->id = kw_stmt_column_int64(st, 0);
	copy_col(st, 1, k->form, sizeof k->form);
	k->version = kw_stmt_column_int64(st, 2);
	k->master = kw_stmt_column_int64(st, 3) != 0;
	copy_col(st, 7, k->digest, sizeof k->digest);
	if (spec_load(kw_stmt_column_text(st, 5, NULL), &k->key) ||
	    (size_t)kw_stmt_column_int64(st, 4) != k->key.n)
		return -1;
	if (k->master)
		return 0;
	return perm_load(kw_stmt_column_text(st, 6, NULL), k->key.n, &k->perm);
}

/* The latest master key of subject, or of every form (*out[0..*n), the master first). */
static int keys_latest(struct kw_conn *c, int64_t subject, int master_only, struct key_row **out,
                       size_t *n, struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        master_only ? "SELECT " KEY_COLS
	                      " FROM answer_keys k WHERE subject_id = $1 AND master = 1 "
	                      "ORDER BY version DESC LIMIT 1"
	                    : "SELECT " KEY_COLS
	                      " FROM answer_keys k WHERE subject_id = $1 AND version = "
	                      "(SELECT MAX(version) FROM answer_keys k2 WHERE k2.subject_id = "
	                      "k.subject_id AND k2.form = k.form) ORDER BY master DESC, form",
	        &st, err);
	size_t cap = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, subject);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 4;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			if (key_row_read(st, &(*out)[*n])) {
				rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
				                "a stored key is damaged");
				break;
			}
			(*n)++;
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !master_only && *n && !(*out)[0].master)
		rc = kw_err_set(err, KW_ECONFLICT, "SCORE_NO_MASTER_KEY", "CUS-8",
		                "the subject has form keys but no master key");
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- loading a key ---- */

struct key_job {
	const struct target *t;
	int64_t user, master_id, id, version;
	const char *form;
	int master;
	size_t items;
	char *spec, *perm;
	char digest[65];
};

static int key_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct key_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT COALESCE(MAX(version), 0) FROM answer_keys WHERE "
	                         "subject_id = $1 AND form = $2",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, j->t->subject);
		kw_stmt_bind_textz(st, 2, j->form);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			j->version = kw_stmt_column_int64(st, 0) + 1;
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc)
		rc = kw_audit_put(tx, err, "answer_keys", "score.key.load",
		                  json_pack("{s:s, s:I, s:b, s:I, s:s}", "form", j->form, "version",
		                            (json_int_t)j->version, "master", j->master, "items",
		                            (json_int_t)j->items, "digest", j->digest),
		                  &j->id,
		                  "INSERT INTO answer_keys (exam_id, subject_id, form, version, "
		                  "master, items, "
		                  "spec, perm, master_key_id, digest, loaded_by, created_at) "
		                  "VALUES ($1, $2, $3, "
		                  "$4, $5, $6, $7, $8, $9, $10, $11, $12)",
		                  "iitiiittntit", j->t->exam, j->t->subject, j->form, j->version,
		                  (int64_t)j->master, (int64_t)j->items, j->spec, j->perm,
		                  j->master_id, j->digest, j->user, now);
	return rc;
}

static json_t *key_summary(int64_t id, const char *form, int64_t version, int master, int64_t items,
                           const char *digest, const char *created_at)
{
	return json_pack("{s:I, s:s, s:I, s:b, s:I, s:s, s:s?}", "id", (json_int_t)id, "form", form,
	                 "version", (json_int_t)version, "master", master, "items",
	                 (json_int_t)items, "digest", digest, "created_at", created_at);
}

int kw_scoring_key_load(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t exam, const char *subject,
                        const json_t *body, json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("form", 4, KW_JREQUIRED),
	        {"master", KW_JBOOLEAN, 0, 0, 0},
	        {"items", KW_JARRAY, KW_JREQUIRED, 1, KW_SCORE_MAX_ITEMS},
	        {"perm", KW_JOBJECT, KW_JNULLABLE, 0, 0},
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *form = json_string_value(json_object_get(body, "form"));
	int master = json_is_true(json_object_get(body, "master"));
	const json_t *perm = json_object_get(body, "perm");
	json_t *fields = json_array();
	for (const char *p = form; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
			problem(fields, "form", "form_code");
			break;
		}
	if (master && json_is_object(perm))
		problem(fields, "perm", "perm_on_master");
	if (!master && !json_is_object(perm))
		problem(fields, "perm", "required");
	struct kw_score_key *k = kw_xcalloc(1, sizeof *k);
	struct kw_form_perm *fp = kw_xcalloc(1, sizeof *fp);
	key_from_json(json_object_get(body, "items"), k, fields);
	if (!master && json_is_object(perm))
		perm_from_json(perm, k->n, fp, fields);
	char msg[200] = "";
	if (!json_array_size(fields) && kw_score_key_check(k, msg, sizeof msg)) {
		rc = kw_err_set(err, KW_EINVAL, "KEY_INCONSISTENT", "CUS-8", "%s", msg);
		kw_err_detail(err, "problem", json_string(msg));
		json_decref(fields);
	} else if (json_array_size(fields)) {
		rc = invalid(err, "KEY_INVALID", fields);
	} else {
		json_decref(fields);
	}
	struct kw_conn *c = rc ? NULL : kw_pool_get(app->pool);
	struct target t;
	struct key_row *m = NULL;
	size_t nm = 0;
	if (!rc)
		rc = target_load(c, s, "score.key.write", exam, subject, &t, err);
	if (!rc && !master) {
		rc = keys_latest(c, t.subject, 1, &m, &nm, err);
		if (!rc && !nm)
			rc = kw_err_set(err, KW_ECONFLICT, "KEY_NO_MASTER", "CUS-8",
			                "load the master form's key first");
		if (!rc && m[0].key.n != k->n)
			rc = kw_err_set(err, KW_ERULE, "KEY_NOT_PERMUTED_MASTER", "CUS-8",
			                "the form has %zu items, the master %zu", k->n, m[0].key.n);
		if (!rc && strcmp(m[0].form, form) == 0)
			rc = kw_err_set(err, KW_ERULE, "KEY_NOT_PERMUTED_MASTER", "CUS-8",
			                "form %s is the master form", form);
		if (!rc && kw_form_key_verify(&m[0].key, fp, k, msg, sizeof msg)) {
			rc = kw_err_set(err, KW_ERULE, "KEY_NOT_PERMUTED_MASTER", "CUS-8", "%s",
			                msg);
			kw_err_detail(err, "form", json_string(form));
			kw_err_detail(err, "problem", json_string(msg));
		}
	}
	if (!rc && master) {
		/* the master form keeps its name */
		rc = keys_latest(c, t.subject, 1, &m, &nm, err);
		if (!rc && nm && strcmp(m[0].form, form) != 0)
			rc = kw_err_set(err, KW_ECONFLICT, "KEY_MASTER_FORM", "CUS-8",
			                "the master form is %s", m[0].form);
	}
	if (c)
		kw_pool_put(app->pool, c);
	if (!rc) {
		struct key_job j = {.t = &t,
		                    .user = s->user.id,
		                    .master_id = master || !nm ? 0 : m[0].id,
		                    .form = form,
		                    .master = master,
		                    .items = k->n,
		                    .spec = spec_dump(k),
		                    .perm = master ? NULL : perm_dump(fp)};
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		kw_buf_addf(&b, "kaowu-key-v1\n%s\n%s\n%s", form, j.spec, j.perm ? j.perm : "");
		sha256_hex(b.buf, b.len, j.digest);
		kw_buf_release(&b);
		rc = kw_writer_run(app->writer, key_job, &j, actor, err);
		if (!rc) {
			char now[32];
			kw_clock_format(kw_clock_now_us(), now);
			*out = key_summary(j.id, form, j.version, master, (int64_t)k->n, j.digest,
			                   now);
		}
		free(j.spec);
		free(j.perm);
	}
	free(m);
	free(k);
	free(fp);
	return rc;
}

int kw_scoring_keys(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                    const char *subject, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = target_load(c, s, "score.read", exam, subject, &t, err);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT id, form, version, master, items, digest, created_at FROM "
		        "answer_keys WHERE subject_id = $1 ORDER BY master DESC, form, "
		        "version",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, t.subject);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, key_summary(kw_stmt_column_int64(st, 0),
			                                         kw_stmt_column_text(st, 1, NULL),
			                                         kw_stmt_column_int64(st, 2),
			                                         kw_stmt_column_int64(st, 3) != 0,
			                                         kw_stmt_column_int64(st, 4),
			                                         kw_stmt_column_text(st, 5, NULL),
			                                         kw_stmt_column_text(st, 6, NULL)));
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = json_pack("{s:o}", "items", items);
	else
		json_decref(items);
	return rc;
}

struct read_job {
	int64_t id;
	json_t *detail;
};

static int key_read_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct read_job *j = arg;
	return kw_audit_append(tx, "score.key.read", "answer_keys", j->id, j->detail, err);
}

int kw_scoring_key_get(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, json_t **out,
                       struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int64_t exam = 0;
	struct key_row *k = kw_xcalloc(1, sizeof *k);
	char created[32] = "";
	int rc = kw_conn_prepare(c,
	                         "SELECT " KEY_COLS ", exam_id, created_at FROM answer_keys "
	                         "WHERE id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			exam = kw_stmt_column_int64(st, 8);
			copy_col(st, 9, created, sizeof created);
			if (key_row_read(st, k))
				rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
				                "a stored key is damaged");
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	struct target t;
	if (!rc && !exam)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such key");
	if (!rc)
		rc = target_load(c, s, "score.key.read", exam, NULL, &t, err);
	int64_t end = 0;
	if (!rc)
		rc = exam_end(c, exam, &end, err);
	kw_pool_put(app->pool, c);
	if (!rc && (!end || kw_clock_now_us() < end)) {
		rc = kw_err_set(err, KW_EFORBIDDEN, "KEY_SEALED", "SEC-2",
		                "answer keys stay sealed until the exam ends");
		if (end) {
			char at[32];
			kw_clock_format(end, at);
			kw_err_detail(err, "until", json_string(at));
		}
	}
	if (!rc) {
		struct read_job j = {.id = id,
		                     .detail = json_pack("{s:s, s:I}", "form", k->form, "version",
		                                         (json_int_t)k->version)};
		rc = kw_writer_run(app->writer, key_read_job, &j, actor, err);
		json_decref(j.detail);
	}
	if (!rc) {
		*out = key_summary(k->id, k->form, k->version, k->master, (int64_t)k->key.n,
		                   k->digest, created);
		json_object_set_new(*out, "items", kw_scoring_items_json(&k->key));
		if (!k->master) {
			json_t *pi = json_array(), *po = json_array();
			for (size_t i = 0; i < k->perm.n; i++) {
				json_array_append_new(pi, json_integer(k->perm.item_perm[i] + 1));
				char o[KW_SCORE_MAX_OPTIONS + 1];
				int opts = k->key.item[i].options;
				for (int q = 0; q < opts; q++)
					o[q] = (char)('A' + k->perm.opt_perm[i][q]);
				o[opts] = '\0';
				json_array_append_new(po, json_string(o));
			}
			json_object_set_new(*out, "perm",
			                    json_pack("{s:o, s:o}", "items", pi, "options", po));
		}
	}
	free(k);
	return rc;
}

/* ---- the answer database ---- */

struct subj {
	int64_t id;
	char code[64];
	size_t items;      /* of the master key; 0 without one */
	char forms[16][8]; /* the forms with a key */
	size_t nforms;
};

struct sheet_in {
	int64_t subject, reg;
	const char *ticket, *form, *answers;
};

struct import_job {
	int64_t exam, user, witness, id;
	const char *filename;
	char sha[65], now[32];
	struct sheet_in *rows;
	size_t n;
};

static void sheet_fixed(struct kw_stmt *s, void *arg)
{
	struct import_job *j = arg;
	kw_stmt_bind_int64(s, 1, j->id);
	kw_stmt_bind_textz(s, 2, j->now);
}

static void sheet_row(struct kw_stmt *s, size_t i, int p, void *arg)
{
	const struct sheet_in *r = &((struct import_job *)arg)->rows[i];
	kw_stmt_bind_int64(s, p, r->subject);
	kw_stmt_bind_int64(s, p + 1, r->reg);
	kw_stmt_bind_textz(s, p + 2, r->ticket);
	kw_stmt_bind_textz(s, p + 3, r->form);
	kw_stmt_bind_textz(s, p + 4, r->answers);
}

static int import_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct import_job *j = arg;
	kw_clock_format(tx->now_us, j->now);
	int rc = kw_audit_put(
	        tx, err, "answer_imports", "score.answers.import",
	        json_pack("{s:s, s:I}", "file_sha256", j->sha, "sheets", (json_int_t)j->n), &j->id,
	        "INSERT INTO answer_imports (exam_id, file_sha256, filename, sheets, "
	        "imported_by, witness_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
	        "$7)",
	        "ittiiit", j->exam, j->sha, j->filename, (int64_t)j->n, j->user, j->witness,
	        j->now);
	struct kw_audit_rows r = {.action = "score.answers.sheets",
	                          .entity = "answer_sheets",
	                          .head = "INSERT INTO answer_sheets (import_id, subject_id, "
	                                  "registration_id, ticket_no, form, answers, created_at) "
	                                  "VALUES ",
	                          .tuple = "($1, ?, ?, ?, ?, ?, $2)",
	                          .detail_key = "import_id",
	                          .detail_id = j->id,
	                          .nfixed = 2,
	                          .n = j->n,
	                          .per = SHEET_ROWS,
	                          .fixed = sheet_fixed,
	                          .row = sheet_row,
	                          .arg = j};
	if (!rc)
		rc = kw_audit_insert_rows(tx, &r, err);
	return rc;
}

static void row_problem(json_t *list, int line, const char *field, const char *what,
                        const char *note)
{
	if (json_array_size(list) < MAX_PROBLEMS)
		json_array_append_new(list,
		                      json_pack("{s:i, s:s, s:s, s:s?}", "line", line, "field",
		                                field, "problem", what, "note", note));
}

static int subjects_load(struct kw_conn *c, int64_t exam, struct subj **out, size_t *n,
                         struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT id, code FROM subjects WHERE exam_id = $1 ORDER BY id",
	                         &st, err);
	size_t cap = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 8;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct subj *x = &(*out)[(*n)++];
			memset(x, 0, sizeof *x);
			x->id = kw_stmt_column_int64(st, 0);
			copy_col(st, 1, x->code, sizeof x->code);
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; !rc && i < *n; i++) {
		struct key_row *k = NULL;
		size_t nk = 0;
		rc = keys_latest(c, (*out)[i].id, 0, &k, &nk, err);
		for (size_t q = 0; !rc && q < nk && q < 16; q++) {
			if (k[q].master)
				(*out)[i].items = k[q].key.n;
			snprintf((*out)[i].forms[(*out)[i].nforms++], 8, "%s", k[q].form);
		}
		free(k);
	}
	return rc;
}

/* Is code one of a registration's subjects ("01,02"; empty = all the exam's)? */
static int registered_for(const char *list, const char *code)
{
	if (!list || !*list)
		return 1;
	size_t n = strlen(code);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, code, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int witness_load(struct kw_conn *c, const char *username, int64_t self, int64_t *id,
                        struct kw_err *err)
{
	*id = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT id FROM users WHERE username = $1 AND status = 'active'", &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, username ? username : "");
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(st, 0);
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && (!*id || *id == self)) {
		rc = kw_err_set(err, KW_ERULE, "ANSWERS_WITNESS", "GRD-4",
		                "answer cards are read with a second person present: name another "
		                "active staff member as the witness");
		*id = 0;
	}
	return rc;
}

int kw_scoring_answers_import(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const char *witness,
                              const char *filename, const char *data, size_t n, json_t **out,
                              struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int64_t wid = 0;
	int rc = target_load(c, s, "score.answers.write", exam, NULL, &t, err);
	if (!rc)
		rc = witness_load(c, witness, s->user.id, &wid, err);
	char *text = NULL;
	size_t tn = 0;
	const char *encoding = NULL;
	struct kw_csvtab *tab = NULL;
	if (!rc)
		rc = kw_text_decode(data, n, &text, &tn, &encoding, err);
	if (!rc)
		rc = kw_csvtab_parse(text, tn, ANSWERS_MAX_ROWS, &tab, err);
	int col[4] = {-1, -1, -1, -1};
	static const char *const cols[] = {"ticket_no", "subject", "form", "answers"};
	for (int i = 0; !rc && i < 4; i++)
		if ((col[i] = kw_csvtab_col(tab, cols[i])) < 0) {
			rc = kw_err_set(
			        err, KW_EINVAL, "IMPORT_COLUMNS", NULL,
			        "the file needs the columns ticket_no, subject, form, answers");
			kw_err_detail(err, "missing", json_string(cols[i]));
		}
	if (!rc && tab->nrows == 0)
		rc = kw_err_set(err, KW_EINVAL, "CSV_EMPTY", NULL, "the file has no rows");
	struct subj *subj = NULL;
	size_t nsubj = 0;
	if (!rc)
		rc = subjects_load(c, exam, &subj, &nsubj, err);
	struct kw_stmt *seat = NULL, *had = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT s.registration_id, r.subjects FROM seats s JOIN "
		        "seating_runs u ON u.id = s.run_id JOIN registrations r ON r.id = "
		        "s.registration_id WHERE u.exam_id = $1 AND u.status = "
		        "'published' AND s.ticket_no = $2",
		        &seat, err);
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT 1 FROM answer_sheets WHERE subject_id = $1 AND "
		                     "registration_id = $2",
		                     &had, err);
	json_t *problems = json_array(), *seen = json_object(), *per = json_object();
	struct sheet_in *rows = rc ? NULL : kw_xcalloc(tab->nrows, sizeof *rows);
	struct kw_answer_symbols sym;
	kw_answer_symbols_default(&sym);
	uint8_t *decoded = kw_xcalloc(KW_SCORE_MAX_ITEMS, 1);
	size_t nproblems = 0;
	for (size_t i = 0; !rc && i < (tab ? tab->nrows : 0); i++) {
		const struct kw_csvrow *row = &tab->rows[i];
		const char *ticket = row->cells[col[0]], *code = row->cells[col[1]],
		           *form = row->cells[col[2]], *ans = row->cells[col[3]];
		struct sheet_in *r = &rows[i];
		r->ticket = ticket;
		r->form = form;
		r->answers = ans;
		size_t before = json_array_size(problems);
		struct subj *sj = NULL;
		for (size_t q = 0; q < nsubj; q++)
			if (strcmp(subj[q].code, code) == 0)
				sj = &subj[q];
		if (!*code)
			row_problem(problems, row->line, "subject", "required", NULL);
		else if (!sj)
			row_problem(problems, row->line, "subject", "unknown_subject", code);
		else if (!sj->items)
			row_problem(problems, row->line, "subject", "no_key", code);
		else
			r->subject = sj->id;
		char *subjects = NULL;
		if (!*ticket) {
			row_problem(problems, row->line, "ticket_no", "required", NULL);
		} else {
			kw_stmt_reset(seat);
			kw_stmt_bind_int64(seat, 1, exam);
			kw_stmt_bind_textz(seat, 2, ticket);
			rc = kw_stmt_step(seat, err);
			if (rc == KW_ROW) {
				r->reg = kw_stmt_column_int64(seat, 0);
				subjects = kw_xstrdup(kw_stmt_column_is_null(seat, 1)
				                              ? ""
				                              : kw_stmt_column_text(seat, 1, NULL));
			}
			rc = done_ok(rc);
			if (!r->reg)
				row_problem(problems, row->line, "ticket_no", "unknown_ticket",
				            ticket);
		}
		if (!rc && r->reg && sj && !registered_for(subjects, sj->code))
			row_problem(problems, row->line, "subject", "not_registered_for_subject",
			            code);
		free(subjects);
		int form_known = 0;
		for (size_t q = 0; sj && q < sj->nforms; q++)
			form_known |= strcmp(sj->forms[q], form) == 0;
		if (!*form)
			row_problem(problems, row->line, "form", "required", NULL);
		else if (sj && sj->items && !form_known)
			row_problem(problems, row->line, "form", "form_without_key", form);
		char msg[160];
		if (sj && sj->items &&
		    kw_answers_decode(&sym, ans, strlen(ans), sj->items, decoded, msg, sizeof msg))
			row_problem(problems, row->line, "answers", "answers_invalid", msg);
		if (!rc && r->reg && r->subject) {
			char key[48];
			snprintf(key, sizeof key, "%lld/%lld", (long long)r->subject,
			         (long long)r->reg);
			if (json_object_get(seen, key)) {
				row_problem(problems, row->line, "ticket_no", "duplicate_in_file",
				            ticket);
			} else {
				json_object_set_new(seen, key, json_integer(row->line));
				kw_stmt_reset(had);
				kw_stmt_bind_int64(had, 1, r->subject);
				kw_stmt_bind_int64(had, 2, r->reg);
				rc = kw_stmt_step(had, err);
				if (rc == KW_ROW)
					row_problem(problems, row->line, "ticket_no", "duplicate",
					            ticket);
				rc = done_ok(rc);
			}
		}
		if (json_array_size(problems) == before && sj) {
			json_t *v = json_object_get(per, sj->code);
			json_object_set_new(per, sj->code,
			                    json_integer(v ? json_integer_value(v) + 1 : 1));
		}
		if (json_array_size(problems) > before)
			nproblems++;
	}
	kw_stmt_finalize(seat);
	kw_stmt_finalize(had);
	kw_pool_put(app->pool, c);
	free(decoded);
	free(subj);
	json_decref(seen);
	if (!rc && json_array_size(problems)) {
		rc = kw_err_set(err, KW_ERULE, "IMPORT_INVALID", "GRD-5",
		                "the file has problems; nothing was imported");
		kw_err_detail(err, "count", json_integer((json_int_t)nproblems));
		kw_err_detail(err, "rows", problems);
		problems = NULL;
	}
	json_decref(problems);
	if (!rc) {
		struct import_job j = {.exam = exam,
		                       .user = s->user.id,
		                       .witness = wid,
		                       .filename = filename,
		                       .rows = rows,
		                       .n = tab->nrows};
		sha256_hex(data, n, j.sha);
		rc = kw_writer_run_bulk(app->writer, import_job, &j, actor, err);
		if (!rc) {
			*out = json_pack("{s:I, s:I, s:O, s:s, s:s}", "id", (json_int_t)j.id,
			                 "sheets", (json_int_t)j.n, "subjects", per, "file_sha256",
			                 j.sha, "encoding", encoding);
		}
	}
	json_decref(per);
	free(rows);
	kw_csvtab_free(tab);
	free(text);
	return rc;
}

int kw_scoring_imports(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                       json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = target_load(c, s, "score.read", exam, NULL, &t, err);
	json_t *items = json_array(), *subjects = json_array();
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT a.id, a.file_sha256, a.filename, a.sheets, u.username, "
		        "w.username, a.created_at FROM answer_imports a JOIN users u ON "
		        "u.id = a.imported_by JOIN users w ON w.id = a.witness_id WHERE "
		        "a.exam_id = $1 ORDER BY a.id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:o, s:o, s:I, s:o, s:o, s:o}", "id",
			                  (json_int_t)kw_stmt_column_int64(st, 0), "file_sha256",
			                  col_json(st, 1), "filename", col_json(st, 2), "sheets",
			                  (json_int_t)kw_stmt_column_int64(st, 3), "imported_by",
			                  col_json(st, 4), "witness", col_json(st, 5), "created_at",
			                  col_json(st, 6)));
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT b.code, b.name, (SELECT COUNT(*) FROM answer_sheets h "
		        "WHERE h.subject_id = b.id) FROM subjects b WHERE b.exam_id = $1 "
		        "ORDER BY b.code",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(subjects,
			                      json_pack("{s:o, s:o, s:I}", "code", col_json(st, 0),
			                                "name", col_json(st, 1), "sheets",
			                                (json_int_t)kw_stmt_column_int64(st, 2)));
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc) {
		*out = json_pack("{s:o, s:o}", "items", items, "subjects", subjects);
	} else {
		json_decref(items);
		json_decref(subjects);
	}
	return rc;
}

/* ---- score runs ---- */

/* One candidate seated for the subject. */
struct cand {
	int64_t reg, case_id;
	char ticket[40];
	char status[16]; /* the registration's */
	int outcome;     /* 0, OUT_ZERO or OUT_CANCEL */
};

enum { OUT_ZERO = 1, OUT_CANCEL = 2 };

struct sheet {
	int64_t reg;
	char form[8];
	char *answers;
};

struct result {
	int64_t reg, case_id;
	const char *ticket, *form, *status;
	int has_raw, has_final;
	int32_t raw, final;
};

struct run_job {
	int64_t exam, subject, user, id;
	char *keys;
	char rules[65], answers[65], outcomes[65], result[65], now[32];
	struct result *res;
	size_t n;
	int64_t scored, absent, zeroed, cancelled;
};

static int cmp_reg(const void *a, const void *b)
{
	int64_t x = ((const struct cand *)a)->reg, y = ((const struct cand *)b)->reg;
	return (x > y) - (x < y);
}

static struct cand *cand_find(struct cand *v, size_t n, int64_t reg)
{
	struct cand key = {.reg = reg};
	return bsearch(&key, v, n, sizeof *v, cmp_reg);
}

static void score_fixed(struct kw_stmt *s, void *arg)
{
	struct run_job *j = arg;
	kw_stmt_bind_int64(s, 1, j->id);
	kw_stmt_bind_textz(s, 2, j->now);
}

static void bind_nullable(struct kw_stmt *s, int p, int has, int64_t v)
{
	if (has)
		kw_stmt_bind_int64(s, p, v);
	else
		kw_stmt_bind_null(s, p);
}

static void score_row(struct kw_stmt *s, size_t i, int p, void *arg)
{
	const struct result *r = &((struct run_job *)arg)->res[i];
	kw_stmt_bind_int64(s, p, r->reg);
	kw_stmt_bind_textz(s, p + 1, r->ticket);
	kw_stmt_bind_textz(s, p + 2, r->form);
	kw_stmt_bind_textz(s, p + 3, r->status);
	bind_nullable(s, p + 4, r->has_raw, r->raw);
	bind_nullable(s, p + 5, r->has_final, r->final);
	bind_nullable(s, p + 6, r->case_id != 0, r->case_id);
}

static int run_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct run_job *j = arg;
	kw_clock_format(tx->now_us, j->now);
	int rc = kw_audit_put(
	        tx, err, "score_runs", "score.run",
	        json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "answers_digest", j->answers,
	                  "outcomes_digest", j->outcomes, "result_digest", j->result,
	                  "rules_digest", j->rules, "candidates", (json_int_t)j->n, "scored",
	                  (json_int_t)j->scored),
	        &j->id,
	        "INSERT INTO score_runs (exam_id, subject_id, keys, rules_digest, answers_digest, "
	        "outcomes_digest, result_digest, candidates, scored, absent, zeroed, cancelled, "
	        "run_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	        "$13, "
	        "$14)",
	        "iitttttiiiiiit", j->exam, j->subject, j->keys, j->rules, j->answers, j->outcomes,
	        j->result, (int64_t)j->n, j->scored, j->absent, j->zeroed, j->cancelled, j->user,
	        j->now);
	struct kw_audit_rows r = {.action = "score.run.scores",
	                          .entity = "scores",
	                          .head = "INSERT INTO scores (run_id, registration_id, ticket_no, "
	                                  "form, status, raw, final, case_id, created_at) VALUES ",
	                          .tuple = "($1, ?, ?, ?, ?, ?, ?, ?, $2)",
	                          .detail_key = "run_id",
	                          .detail_id = j->id,
	                          .nfixed = 2,
	                          .n = j->n,
	                          .per = SCORE_ROWS,
	                          .fixed = score_fixed,
	                          .row = score_row,
	                          .arg = j};
	if (!rc)
		rc = kw_audit_insert_rows(tx, &r, err);
	return rc;
}

/* The candidates seated for subject code in the exam's published run, by registration. */
static int cands_load(struct kw_conn *c, int64_t exam, const char *code, struct cand **out,
                      size_t *n, struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct kw_stmt *st = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT s.registration_id, s.ticket_no, r.subjects, r.status FROM "
	                        "seats s JOIN seating_runs u ON u.id = s.run_id JOIN registrations "
	                        "r ON r.id = s.registration_id WHERE u.exam_id = $1 AND u.status = "
	                        "'published' ORDER BY s.registration_id",
	                        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (!registered_for(kw_stmt_column_is_null(st, 2)
			                            ? ""
			                            : kw_stmt_column_text(st, 2, NULL),
			                    code))
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 64;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct cand *x = &(*out)[(*n)++];
			memset(x, 0, sizeof *x);
			x->reg = kw_stmt_column_int64(st, 0);
			copy_col(st, 1, x->ticket, sizeof x->ticket);
			copy_col(st, 3, x->status, sizeof x->status);
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/*
 * The decisions in force for the exam's registrations (case_effects not reversed), applied
 * to the candidates of subject code, and their digest: a registration cancelled or void, the
 * subject void, or every subject void (a sitting's void, Order No. 31 art. 7-8) cancels; the
 * subject zeroed zeroes. The lowest case id names the outcome.
 */
static int outcomes_load(struct kw_conn *c, int64_t exam, const char *code, struct cand *v,
                         size_t n, char digest[65], struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "kaowu-outcomes-v1\n");
	int rc = kw_conn_prepare(c,
	                         "SELECT e.registration_id, e.kind, e.subject, e.case_id FROM "
	                         "case_effects e JOIN registrations r ON r.id = e.registration_id "
	                         "WHERE r.exam_id = $1 AND e.reversed_at IS NULL AND e.kind IN "
	                         "('registration_cancelled', 'registration_void', 'zero_subject', "
	                         "'void_subject', 'void_sitting') ORDER BY e.registration_id, "
	                         "e.case_id, e.id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t reg = kw_stmt_column_int64(st, 0),
			        cid = kw_stmt_column_int64(st, 3);
			const char *kind = kw_stmt_column_text(st, 1, NULL);
			const char *subj = kw_stmt_column_is_null(st, 2)
			                           ? ""
			                           : kw_stmt_column_text(st, 2, NULL);
			struct cand *x = cand_find(v, n, reg);
			if (!x)
				continue;
			int here = strcmp(subj, code) == 0;
			int o = 0;
			if (strcmp(kind, "registration_cancelled") == 0 ||
			    strcmp(kind, "registration_void") == 0 ||
			    strcmp(kind, "void_sitting") == 0 ||
			    (here && strcmp(kind, "void_subject") == 0))
				o = OUT_CANCEL;
			else if (here && strcmp(kind, "zero_subject") == 0)
				o = OUT_ZERO;
			if (!o)
				continue;
			kw_buf_addf(&b, "%lld\t%s\t%s\t%lld\n", (long long)reg, kind, subj,
			            (long long)cid);
			if (o > x->outcome) {
				x->outcome = o;
				x->case_id = cid;
			}
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	/* a registration cancelled or void outside a case (e.g. by review) cancels as well */
	for (size_t i = 0; !rc && i < n; i++)
		if (!v[i].outcome &&
		    (strcmp(v[i].status, "cancelled") == 0 || strcmp(v[i].status, "void") == 0)) {
			v[i].outcome = OUT_CANCEL;
			kw_buf_addf(&b, "%lld\tstatus:%s\t\t0\n", (long long)v[i].reg, v[i].status);
		}
	sha256_hex(b.buf, b.len, digest);
	kw_buf_release(&b);
	return rc;
}

static int sheets_load(struct kw_conn *c, int64_t subject, struct sheet **out, size_t *n,
                       char digest[65], struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"kaowu-answers-v1\n", 17);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT registration_id, form, answers FROM answer_sheets WHERE "
	                         "subject_id = $1 ORDER BY registration_id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, subject);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 64;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct sheet *x = &(*out)[(*n)++];
			x->reg = kw_stmt_column_int64(st, 0);
			copy_col(st, 1, x->form, sizeof x->form);
			x->answers = kw_xstrdup(kw_stmt_column_text(st, 2, NULL));
			char line[64];
			int len = snprintf(line, sizeof line, "%lld\t%s\t", (long long)x->reg,
			                   x->form);
			crypto_hash_sha256_update(&h, (const unsigned char *)line, (size_t)len);
			crypto_hash_sha256_update(&h, (const unsigned char *)x->answers,
			                          strlen(x->answers));
			crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(digest, 65, d, sizeof d);
	return rc;
}

int kw_scoring_run(struct kw_app *app, const struct kw_actor *actor,
                   const struct kw_session_info *s, int64_t exam, const char *subject, json_t **out,
                   struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = target_load(c, s, "score.run", exam, subject, &t, err);
	struct key_row *keys = NULL;
	size_t nkeys = 0;
	if (!rc)
		rc = keys_latest(c, t.subject, 0, &keys, &nkeys, err);
	if (!rc && !nkeys)
		rc = kw_err_set(err, KW_ECONFLICT, "SCORE_NO_MASTER_KEY", "CUS-8",
		                "load the subject's answer keys first");
	/* CUS-8: every form's key is the permuted master, checked again before scoring */
	char msg[200];
	for (size_t i = 1; !rc && i < nkeys; i++)
		if (keys[i].key.n != keys[0].key.n ||
		    kw_form_key_verify(&keys[0].key, &keys[i].perm, &keys[i].key, msg,
		                       sizeof msg)) {
			rc = kw_err_set(err, KW_ERULE, "KEY_NOT_PERMUTED_MASTER", "CUS-8",
			                "form %s: %s", keys[i].form,
			                keys[i].key.n != keys[0].key.n ? "item count" : msg);
			kw_err_detail(err, "form", json_string(keys[i].form));
		}
	struct cand *cands = NULL;
	size_t ncands = 0;
	struct sheet *sheets = NULL;
	size_t nsheets = 0;
	struct run_job j = {.exam = exam, .subject = t.subject, .user = s->user.id};
	if (!rc)
		rc = cands_load(c, exam, t.code, &cands, &ncands, err);
	if (!rc)
		rc = outcomes_load(c, exam, t.code, cands, ncands, j.outcomes, err);
	if (!rc)
		rc = sheets_load(c, t.subject, &sheets, &nsheets, j.answers, err);
	kw_pool_put(app->pool, c);
	/* every sheet belongs to a candidate seated for the subject */
	for (size_t i = 0; !rc && i < nsheets; i++)
		if (!cand_find(cands, ncands, sheets[i].reg)) {
			rc = kw_err_set(err, KW_ECONFLICT, "SCORE_SHEET_NOT_SEATED", "GRD-5",
			                "a sheet belongs to a candidate no longer seated for the "
			                "subject");
			kw_err_detail(err, "registration_id", json_integer(sheets[i].reg));
		}
	struct kw_score_compiled **comp = kw_xcalloc(nkeys ? nkeys : 1, sizeof *comp);
	json_t *kj = json_object();
	for (size_t i = 0; !rc && i < nkeys; i++) {
		comp[i] = kw_score_compile(&keys[i].key);
		json_object_set_new(kj, keys[i].form,
		                    json_pack("{s:I, s:I, s:s}", "id", (json_int_t)keys[i].id,
		                              "version", (json_int_t)keys[i].version, "digest",
		                              keys[i].digest));
	}
	j.keys = json_dumps(kj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(kj);
	/* the rules beyond the keys: the answer symbols (the default table) */
	sha256_hex("kaowu-score-rules-v1\nsymbols default\n", 37, j.rules);
	j.res = kw_xcalloc(ncands ? ncands : 1, sizeof *j.res);
	j.n = ncands;
	uint8_t *ans = kw_xcalloc(KW_SCORE_MAX_ITEMS, 1);
	struct kw_answer_symbols sym;
	kw_answer_symbols_default(&sym);
	struct kw_buf rb = KW_BUF_INIT;
	kw_buf_init(&rb, 0);
	kw_buf_adds(&rb, "kaowu-scores-v1\n");
	size_t si = 0;
	for (size_t i = 0; !rc && i < ncands; i++) {
		struct cand *x = &cands[i];
		struct result *r = &j.res[i];
		r->reg = x->reg;
		r->ticket = x->ticket;
		while (si < nsheets && sheets[si].reg < x->reg)
			si++;
		const struct sheet *sh =
		        si < nsheets && sheets[si].reg == x->reg ? &sheets[si] : NULL;
		if (sh) {
			size_t q = 0;
			while (q < nkeys && strcmp(keys[q].form, sh->form) != 0)
				q++;
			if (q == nkeys) {
				rc = kw_err_set(err, KW_ECONFLICT, "SCORE_FORM_WITHOUT_KEY",
				                "CUS-8", "a sheet of form %s has no key", sh->form);
				kw_err_detail(err, "form", json_string(sh->form));
				break;
			}
			if (kw_answers_decode(&sym, sh->answers, strlen(sh->answers), keys[q].key.n,
			                      ans, msg, sizeof msg)) {
				rc = kw_err_set(err, KW_ECONFLICT, "SCORE_SHEET_INVALID", "GRD-5",
				                "a stored sheet does not fit the key: %s", msg);
				kw_err_detail(err, "registration_id", json_integer(x->reg));
				break;
			}
			r->form = sh->form;
			r->has_raw = 1;
			r->raw = kw_score_sheet(comp[q], ans);
		}
		r->case_id = x->case_id;
		if (x->outcome == OUT_CANCEL) {
			r->status = "cancelled";
			j.cancelled++;
		} else if (x->outcome == OUT_ZERO && sh) {
			r->status = "zero";
			r->has_final = 1;
			r->final = 0;
			j.zeroed++;
		} else if (!sh) {
			r->status = "absent";
			r->case_id = 0;
			j.absent++;
		} else {
			r->status = "scored";
			r->has_final = 1;
			r->final = r->raw;
			j.scored++;
		}
		kw_buf_addf(&rb, "%lld\t%s\t%s\t%s\t", (long long)r->reg, r->ticket,
		            r->form ? r->form : "", r->status);
		if (r->has_raw)
			kw_buf_addf(&rb, "%d", r->raw);
		kw_buf_adds(&rb, "\t");
		if (r->has_final)
			kw_buf_addf(&rb, "%d", r->final);
		kw_buf_addf(&rb, "\t%lld\n", (long long)r->case_id);
	}
	sha256_hex(rb.buf, rb.len, j.result);
	kw_buf_release(&rb);
	free(ans);
	if (!rc)
		rc = kw_writer_run_bulk(app->writer, run_job, &j, actor, err);
	for (size_t i = 0; i < nkeys; i++)
		kw_score_compiled_free(comp[i]);
	free(comp);
	for (size_t i = 0; i < nsheets; i++)
		free(sheets[i].answers);
	free(sheets);
	free(cands);
	free(keys);
	free(j.res);
	free(j.keys);
	if (!rc)
		rc = kw_scoring_run_get(app, s, j.id, out, err);
	return rc;
}

#define RUN_COLS                                                                                   \
	"r.id, r.exam_id, b.code, r.keys, r.rules_digest, r.answers_digest, r.outcomes_digest, "   \
	"r.result_digest, r.candidates, r.scored, r.absent, r.zeroed, r.cancelled, u.username, "   \
	"r.created_at"
#define RUN_FROM                                                                                   \
	" FROM score_runs r JOIN subjects b ON b.id = r.subject_id JOIN users u ON u.id = "        \
	"r.run_by"

static json_t *run_json(struct kw_stmt *st)
{
	json_t *keys = json_loads(kw_stmt_column_text(st, 3, NULL), 0, NULL);
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o, "
	                 "s:o}",
	                 "id", (json_int_t)kw_stmt_column_int64(st, 0), "exam_id",
	                 (json_int_t)kw_stmt_column_int64(st, 1), "subject", col_json(st, 2),
	                 "keys", keys ? keys : json_object(), "rules_digest", col_json(st, 4),
	                 "answers_digest", col_json(st, 5), "outcomes_digest", col_json(st, 6),
	                 "result_digest", col_json(st, 7), "candidates",
	                 (json_int_t)kw_stmt_column_int64(st, 8), "scored",
	                 (json_int_t)kw_stmt_column_int64(st, 9), "absent",
	                 (json_int_t)kw_stmt_column_int64(st, 10), "zeroed",
	                 (json_int_t)kw_stmt_column_int64(st, 11), "cancelled",
	                 (json_int_t)kw_stmt_column_int64(st, 12), "run_by", col_json(st, 13),
	                 "created_at", col_json(st, 14));
}

int kw_scoring_runs(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                    const char *subject, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = target_load(c, s, "score.read", exam, subject, &t, err);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	if (!rc)
		rc = kw_conn_prepare(
		        c, "SELECT " RUN_COLS RUN_FROM " WHERE r.subject_id = $1 ORDER BY r.id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, t.subject);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, run_json(st));
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = json_pack("{s:o}", "items", items);
	else
		json_decref(items);
	return rc;
}

/* Loads run id (its exam in *exam) and checks s reaches it for score.read. */
static int run_reach(struct kw_conn *c, const struct kw_session_info *s, int64_t id, json_t **out,
                     struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int64_t exam = 0;
	int rc = kw_conn_prepare(c, "SELECT " RUN_COLS RUN_FROM " WHERE r.id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			exam = kw_stmt_column_int64(st, 1);
			if (out)
				*out = run_json(st);
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	struct target t;
	if (!rc && exam)
		rc = target_load(c, s, "score.read", exam, NULL, &t, err);
	else if (!rc)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such score run");
	if (rc && out) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int kw_scoring_run_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                       json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	*out = NULL;
	int rc = run_reach(c, s, id, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

int kw_scoring_run_scores(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                          int64_t after, int limit, json_t **out, struct kw_err *err)
{
	if (limit < 1 || limit > 1000) {
		json_t *f = json_array();
		problem(f, "limit", "range");
		return invalid(err, "VALIDATION_FAILED", f);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = run_reach(c, s, id, NULL, err);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	int more = 0;
	int64_t last = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT registration_id, ticket_no, form, status, raw, final, "
		        "case_id FROM scores WHERE run_id = $1 AND registration_id > $2 "
		        "ORDER BY registration_id LIMIT $3",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		kw_stmt_bind_int64(st, 2, after);
		kw_stmt_bind_int64(st, 3, limit + 1);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if ((int)json_array_size(items) == limit) {
				more = 1;
				continue;
			}
			last = kw_stmt_column_int64(st, 0);
			json_array_append_new(
			        items,
			        json_pack(
			                "{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "registration_id",
			                (json_int_t)last, "ticket_no", col_json(st, 1), "form",
			                col_json(st, 2), "status", col_json(st, 3), "raw",
			                kw_stmt_column_is_null(st, 4)
			                        ? json_null()
			                        : points_json((int32_t)kw_stmt_column_int64(st, 4)),
			                "final",
			                kw_stmt_column_is_null(st, 5)
			                        ? json_null()
			                        : points_json((int32_t)kw_stmt_column_int64(st, 5)),
			                "case_id", col_int_json(st, 6)));
		}
		rc = done_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = kw_json_page(items, more, last);
	else
		json_decref(items);
	return rc;
}
