/* Objective scoring (GRD-4, GRD-5, CUS-8, INF-5(6), SEC-2): see scoring.h. */
#include "app/scoring.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/examday.h"
#include "app/examref.h"
#include "app/marking.h"
#include "core/crosscheck.h"
#include "core/score.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/csvtab.h"
#include "util/json.h"
#include "util/phases.h"
#include "util/textin.h"

#define ANSWERS_MAX_ROWS 10000000 /* a national subject from the server host */
#define MAX_PROBLEMS     200
#define SHEET_ROWS       64    /* answer sheets to an INSERT */
#define SCORE_ROWS       64    /* scores to an INSERT */
#define BATCH_ROWS       10000 /* rows under one audit record */

static json_t *col_json(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
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

/* Loads exam (and its subject code when given) and checks s, a staff session, may do action
 * there (the exam's organising unit's subtree); out of reach reads as absent. */
static int target_load(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                       int64_t exam, const char *subject, struct target *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct kw_exam_ref e;
	struct kw_subject_ref sub;
	int rc = !s || s->candidate_id
	                 ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam")
	                 : kw_exam_ref_load(c, s, action, exam, &e, err);
	if (!rc && subject)
		rc = kw_exam_ref_subject(c, exam, subject, &sub, err);
	if (rc)
		return rc;
	t->exam = e.id;
	t->unit = e.unit;
	snprintf(t->kind, sizeof t->kind, "%s", e.kind);
	if (subject) {
		t->subject = sub.id;
		snprintf(t->code, sizeof t->code, "%s", sub.code);
	}
	return 0;
}

/* When the exam's last subject ends (SEC-2: keys stay sealed until then); 0 while a subject
 * has no start time. */
int kw_scoring_exam_end(struct kw_conn *c, int64_t exam, int64_t *end_us, struct kw_err *err)
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
		rc = kw_step_ok(rc);
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

const char *kw_scoring_kind_name(uint8_t kind)
{
	return kind_name(kind);
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
int kw_scoring_points(const json_t *v, int32_t *h)
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
		if (kw_scoring_points(json_object_get(it, "points"), &x->points))
			problem(fields, FIELD("points"), "points");
		const json_t *pv = json_object_get(it, "partial");
		int partial = pv ? name_index(json_string_value(pv), partial_names, 3) : 0;
		if (partial < 0)
			problem(fields, FIELD("partial"), "not_allowed");
		else
			x->partial = partial_codes[partial];
		const json_t *pp = json_object_get(it, "partial_points");
		if (pp && kw_scoring_points(pp, &x->partial_points))
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
	int rc = json_is_array(a) && json_array_size(a) >= 1 &&
	                         json_array_size(a) <= KW_SCORE_MAX_ITEMS
	                 ? 0
	                 : -1;
	k->n = rc ? 0 : json_array_size(a);
	for (size_t i = 0; !rc && i < k->n; i++) {
		const char *kind, *key, *partial;
		int options, points, pp;
		struct kw_score_item *x = &k->item[i];
		memset(x, 0, sizeof *x);
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
		if (ki < 0 || pi < 0 || options < 2 || options > KW_SCORE_MAX_OPTIONS ||
		    letters_mask(key, options, &x->key))
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
		for (int q = 0; q < KW_SCORE_MAX_OPTIONS; q++) {
			int v = o[q] - 'A';
			if (v < 0 || v >= KW_SCORE_MAX_OPTIONS)
				rc = -1;
			p->opt_perm[i][q] = (uint8_t)(v < 0 ? 0 : v);
		}
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

#define KEY_COLS "id, form, version, master, items, spec, perm, digest"

static int key_row_read(struct kw_stmt *st, struct kw_scoring_key *k)
{
	k->id = kw_stmt_column_int64(st, 0);
	kw_stmt_column_copy(st, 1, k->form, sizeof k->form);
	k->version = kw_stmt_column_int64(st, 2);
	k->master = kw_stmt_column_int64(st, 3) != 0;
	kw_stmt_column_copy(st, 7, k->digest, sizeof k->digest);
	if (spec_load(kw_stmt_column_text(st, 5, NULL), &k->key) ||
	    (size_t)kw_stmt_column_int64(st, 4) != k->key.n)
		return -1;
	if (k->master) {
		kw_form_perm_identity(&k->perm, k->key.n);
		return 0;
	}
	return perm_load(kw_stmt_column_text(st, 6, NULL), k->key.n, &k->perm);
}

/* The latest master key of subject, or of every form (*out[0..*n), the master first). */
static int keys_latest(struct kw_conn *c, int64_t subject, int master_only,
                       struct kw_scoring_key **out, size_t *n, struct kw_err *err)
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
		rc = kw_step_ok(rc);
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

/* The key id, a key of subject. */
static int key_by_id(struct kw_conn *c, int64_t subject, int64_t id, struct kw_scoring_key *k,
                     struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int found = 0;
	int rc = kw_conn_prepare(
	        c, "SELECT " KEY_COLS " FROM answer_keys WHERE id = $1 AND subject_id = $2", &st,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		kw_stmt_bind_int64(st, 2, subject);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			found = key_row_read(st, k) == 0;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !found)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the run's key %lld is missing or damaged", (long long)id);
	return rc;
}

/* Each form of keys[1..n) against the master keys[0] (CUS-8). */
static int keys_verify(const struct kw_scoring_key *keys, size_t n, struct kw_err *err)
{
	char msg[200];
	for (size_t i = 1; i < n; i++)
		if (keys[i].key.n != keys[0].key.n ||
		    kw_form_key_verify(&keys[0].key, &keys[i].perm, &keys[i].key, msg,
		                       sizeof msg)) {
			kw_err_set(err, KW_ERULE, "KEY_NOT_PERMUTED_MASTER", "CUS-8", "form %s: %s",
			           keys[i].form,
			           keys[i].key.n != keys[0].key.n ? "item count" : msg);
			kw_err_detail(err, "form", json_string(keys[i].form));
			return err->rc;
		}
	return 0;
}

int kw_scoring_keys_load(struct kw_conn *c, int64_t subject, const json_t *run_keys, int flags,
                         struct kw_scoring_key **out, size_t *n, struct kw_err *err)
{
	int rc = 0;
	if (!run_keys) {
		rc = keys_latest(c, subject, (flags & KW_SCORING_KEYS_MASTER) != 0, out, n, err);
	} else {
		*out = NULL;
		*n = 0;
		if (!json_is_object(run_keys))
			return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
			                  "a score run's keys are damaged");
		struct kw_scoring_key *k = kw_xcalloc(KW_SCORING_MAX_FORMS, sizeof *k);
		const char *form;
		const json_t *v;
		size_t got = 0, masters = 0;
		json_object_foreach((json_t *)run_keys, form, v)
		{
			if (rc || got == KW_SCORING_MAX_FORMS)
				break;
			rc = key_by_id(c, subject, json_integer_value(json_object_get(v, "id")),
			               &k[got], err);
			if (rc)
				break;
			masters += k[got].master != 0;
			if (k[got].master && got) {
				struct kw_scoring_key t = k[0];
				k[0] = k[got];
				k[got] = t;
			}
			got++;
		}
		if (!rc && got && masters != 1)
			rc = kw_err_set(err, KW_ECONFLICT, "SCORE_NO_MASTER_KEY", "CUS-8",
			                "the run's keys have no master key");
		if (rc) {
			free(k);
			return rc;
		}
		*out = k;
		*n = got;
	}
	if (!rc && (flags & KW_SCORING_KEYS_VERIFY))
		rc = keys_verify(*out, *n, err);
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
		rc = kw_step_ok(rc);
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
	struct kw_scoring_key *m = NULL;
	size_t nm = 0;
	if (!rc)
		rc = target_load(c, s, "score.key.write", exam, subject, &t, err);
	if (!rc && !master) {
		rc = kw_scoring_keys_load(c, t.subject, NULL, KW_SCORING_KEYS_MASTER, &m, &nm, err);
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
		rc = kw_scoring_keys_load(c, t.subject, NULL, KW_SCORING_KEYS_MASTER, &m, &nm, err);
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
		rc = kw_step_ok(rc);
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
	struct kw_scoring_key *k = kw_xcalloc(1, sizeof *k);
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
			kw_stmt_column_copy(st, 9, created, sizeof created);
			if (key_row_read(st, k))
				rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
				                "a stored key is damaged");
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	struct target t;
	if (!rc && !exam)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such key");
	if (!rc)
		rc = target_load(c, s, "score.key.read", exam, NULL, &t, err);
	int64_t end = 0;
	if (!rc)
		rc = kw_scoring_exam_end(c, exam, &end, err);
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

/* Appends v in decimal (the hot loops write millions of lines: no printf). */
static void add_int(struct kw_buf *b, int64_t v)
{
	char t[24];
	size_t n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do
		t[sizeof t - ++n] = (char)('0' + u % 10);
	while ((u /= 10) && n < sizeof t - 1);
	if (v < 0)
		t[sizeof t - ++n] = '-';
	kw_buf_add(b, t + sizeof t - n, n);
}

static void add_field(struct kw_buf *b, const char *s, char end)
{
	kw_buf_add(b, s, strlen(s));
	kw_buf_add(b, &end, 1);
}

#define BLOCK_SHEETS 4096 /* sheets (and scores) to a stored block */

struct subj {
	int64_t id;
	char code[64];
	size_t items;      /* of the master key; 0 without one */
	char forms[16][8]; /* the forms with a key */
	size_t nforms;
	uint8_t *had, *infile; /* bitsets over registration ids: in the database, in this file */
	int64_t sheets;        /* in this file */
	int64_t *absent;       /* absent per the closed room records (DAY-4), ascending */
	size_t nabsent;
};

/* A block of sheets being filled, or filled. */
struct block {
	int64_t subject, first, last;
	size_t n;
	struct kw_buf body;
};

struct import_ctx;
struct import_job {
	int64_t exam, user, witness, id, last_import;
	const char *filename;
	char sha[65], now[32];
	struct import_ctx *x;
	size_t nblocks;
	size_t n;
};

static int last_import(struct kw_conn *c, int64_t exam, int64_t *id, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*id = 0;
	int rc = kw_conn_prepare(
	        c, "SELECT COALESCE(MAX(id), 0) FROM answer_imports WHERE exam_id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
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
		while ((rc = kw_stmt_step(st, err)) == KW_ROW && *n < 32) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 8;
				*out = kw_xrealloc(*out, cap * sizeof **out);
			}
			struct subj *x = &(*out)[(*n)++];
			memset(x, 0, sizeof *x);
			x->id = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, x->code, sizeof x->code);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (size_t i = 0; !rc && i < *n; i++) {
		struct kw_scoring_key *k = NULL;
		size_t nk = 0;
		rc = kw_scoring_keys_load(c, (*out)[i].id, NULL, 0, &k, &nk, err);
		for (size_t q = 0; !rc && q < nk && q < 16; q++) {
			if (k[q].master)
				(*out)[i].items = k[q].key.n;
			snprintf((*out)[i].forms[(*out)[i].nforms++], 8, "%s", k[q].form);
		}
		free(k);
		if (!rc)
			rc = kw_examday_absentees(c, exam, (*out)[i].id, &(*out)[i].absent,
			                          &(*out)[i].nabsent, NULL, NULL, err);
	}
	return rc;
}

static int reg_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void subjects_free(struct subj *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].had);
		free(v[i].infile);
		free(v[i].absent);
	}
	free(v);
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

/* The exam's published seats by ticket number (open addressing): each with its registration
 * and the subjects it registered for (a bit per struct subj). */
struct seatmap {
	size_t cap;
	struct slot {
		uint64_t h;
		int64_t reg;
		uint32_t subjects;
		uint32_t off; /* the ticket in arena */
	} * slot;
	struct kw_buf arena;
	int64_t max_reg;
};

static uint64_t ticket_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h | 1;
}

static struct slot *seat_find(struct seatmap *m, const char *ticket, int insert)
{
	uint64_t h = ticket_hash(ticket);
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct slot *x = &m->slot[i];
		if (!x->h)
			return insert ? x : NULL;
		if (x->h == h && strcmp(m->arena.buf + x->off, ticket) == 0)
			return x;
	}
}

/*
 * The exam's registrations with their seat in the published seating run: two sequential
 * reads — the registrations by id (their covering index), the run's seats in table order —
 * joined here, not row by row in the database (a join by key read the registrations at
 * random: 9 s for 3,000,000). v is in registration order; `subjects` has a bit per struct
 * subj the registration sits (its list, or every subject when it names none).
 */
struct rreg {
	int64_t id;
	uint32_t subjects;
	uint32_t ticket; /* 1 + its offset in the arena; 0 = not seated */
	char status;     /* 'c' cancelled, 'v' void, else 'o' */
};

struct roster {
	struct rreg *v;
	size_t n;
	int64_t min, max;
	int32_t *index; /* id - min → position in v, or -1 */
	struct kw_buf arena;
};

static int roster_load(struct kw_conn *c, int64_t exam, const struct subj *subj, size_t nsubj,
                       struct roster *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	kw_buf_init(&r->arena, 0);
	struct kw_stmt *st = NULL;
	int64_t run = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT id FROM seating_runs WHERE exam_id = $1 AND status = "
	                         "'published'",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			run = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	size_t cap = 0;
	if (!rc && run)
		rc = kw_conn_prepare(
		        c,
		        "SELECT id, status, subjects FROM registrations WHERE exam_id = "
		        "$1 ORDER BY id",
		        &st, err);
	if (!rc && run) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (r->n == cap) {
				cap = cap ? 2 * cap : 1024;
				r->v = kw_xrealloc(r->v, cap * sizeof *r->v);
			}
			struct rreg *x = &r->v[r->n++];
			x->id = kw_stmt_column_int64(st, 0);
			const char *status = kw_stmt_column_text(st, 1, NULL);
			x->status = strcmp(status, "cancelled") == 0 ? 'c'
			            : strcmp(status, "void") == 0    ? 'v'
			                                             : 'o';
			x->ticket = 0;
			x->subjects = 0;
			const char *list = kw_stmt_column_is_null(st, 2)
			                           ? ""
			                           : kw_stmt_column_text(st, 2, NULL);
			for (size_t q = 0; q < nsubj; q++)
				if (registered_for(list, subj[q].code))
					x->subjects |= 1u << q;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc && r->n) {
		r->min = r->v[0].id;
		r->max = r->v[r->n - 1].id;
		size_t span = (size_t)(r->max - r->min + 1);
		r->index = kw_xmalloc(span * sizeof *r->index);
		memset(r->index, 0xff, span * sizeof *r->index);
		for (size_t i = 0; i < r->n; i++)
			r->index[r->v[i].id - r->min] = (int32_t)i;
		/* "run_id + 0": a scan of the table in its order, not one look-up a seat */
		rc = kw_conn_prepare(
		        c,
		        "SELECT registration_id, ticket_no FROM seats WHERE run_id + 0 = "
		        "$1",
		        &st, err);
	}
	if (!rc && r->n) {
		kw_stmt_bind_int64(st, 1, run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t reg = kw_stmt_column_int64(st, 0);
			if (reg < r->min || reg > r->max || r->index[reg - r->min] < 0)
				continue;
			size_t len = 0;
			const char *t = kw_stmt_column_text(st, 1, &len);
			r->v[r->index[reg - r->min]].ticket = (uint32_t)r->arena.len + 1;
			kw_buf_add(&r->arena, t, len + 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

static void roster_release(struct roster *r)
{
	free(r->v);
	free(r->index);
	kw_buf_release(&r->arena);
}

static const char *roster_ticket(const struct roster *r, const struct rreg *x)
{
	return x->ticket ? r->arena.buf + x->ticket - 1 : NULL;
}

/* The seat map of the roster's seated registrations. */
static void seatmap_build(const struct roster *r, struct seatmap *m)
{
	memset(m, 0, sizeof *m);
	kw_buf_init(&m->arena, 0);
	m->cap = 16;
	while (m->cap < r->n * 2)
		m->cap *= 2;
	m->slot = kw_xcalloc(m->cap, sizeof *m->slot);
	for (size_t i = 0; i < r->n; i++) {
		const char *t = roster_ticket(r, &r->v[i]);
		if (!t)
			continue;
		struct slot *x = seat_find(m, t, 1);
		if (x->h)
			continue;
		x->h = ticket_hash(t);
		x->reg = r->v[i].id;
		x->subjects = r->v[i].subjects;
		x->off = (uint32_t)m->arena.len;
		kw_buf_add(&m->arena, t, strlen(t) + 1);
		if (x->reg > m->max_reg)
			m->max_reg = x->reg;
	}
}

static void seatmap_release(struct seatmap *m)
{
	free(m->slot);
	kw_buf_release(&m->arena);
}

static int bit_get(const uint8_t *b, int64_t i)
{
	return (b[i >> 3] >> (i & 7)) & 1;
}

static void bit_set(uint8_t *b, int64_t i)
{
	b[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* The sheets already in the database: a bit per registration in each subject's `had`. */
static int had_load(struct kw_conn *c, int64_t exam, struct subj *subj, size_t nsubj,
                    int64_t max_reg, struct kw_err *err)
{
	size_t bytes = (size_t)(max_reg / 8 + 1);
	for (size_t q = 0; q < nsubj; q++) {
		subj[q].had = kw_xcalloc(bytes, 1);
		subj[q].infile = kw_xcalloc(bytes, 1);
	}
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT b.subject_id, b.body FROM answer_blocks b JOIN subjects s "
	                         "ON s.id = b.subject_id WHERE s.exam_id = $1",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t sid = kw_stmt_column_int64(st, 0);
			struct subj *x = NULL;
			for (size_t q = 0; q < nsubj; q++)
				if (subj[q].id == sid)
					x = &subj[q];
			const char *p = kw_stmt_column_text(st, 1, NULL);
			for (; x && p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
				int64_t reg = strtoll(p, NULL, 10);
				if (reg > 0 && reg <= max_reg)
					bit_set(x->had, reg);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
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
		rc = kw_step_ok(rc);
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

/* The import's state while the file streams through (kw_csvtab_each). */
struct import_ctx {
	struct subj *subj;
	size_t nsubj;
	struct seatmap map;
	struct import_job *j;
	size_t nproblems;
	int col[4];
	json_t *problems, *per;
	struct kw_answer_symbols sym;
	uint8_t decoded[KW_SCORE_MAX_ITEMS];
	struct kw_err *err;
	/* the write, row by row inside the import's transaction */
	struct kw_tx *tx;
	const char *text;
	size_t tn;
	struct block open[32]; /* per subject, the block being filled */
};

/* Writes a subject's full (or last) block, audited, and empties it for the next. */
static int block_put(struct import_ctx *x, struct block *b)
{
	struct import_job *j = x->j;
	int rc = kw_audit_put(
	        x->tx, x->err, "answer_blocks", "score.answers.block",
	        json_pack("{s:I, s:I}", "import_id", (json_int_t)j->id, "sheets", (json_int_t)b->n),
	        NULL,
	        "INSERT INTO answer_blocks (import_id, subject_id, sheets, "
	        "first_registration, last_registration, body, created_at) VALUES "
	        "($1, $2, $3, $4, $5, $6, $7)",
	        "iiiiitt", j->id, b->subject, (int64_t)b->n, b->first, b->last, b->body.buf,
	        j->now);
	j->nblocks++;
	b->n = 0;
	kw_buf_reset(&b->body);
	return rc;
}

static int import_row(const struct kw_csvtab *t, const struct kw_csvrow *row, void *arg)
{
	struct import_ctx *x = arg;
	static const char *const cols[] = {"ticket_no", "subject", "form", "answers"};
	for (int i = 0, first = x->col[3] < 0; first && i < 4; i++)
		if ((x->col[i] = kw_csvtab_col(t, cols[i])) < 0) {
			kw_err_set(x->err, KW_EINVAL, "IMPORT_COLUMNS", NULL,
			           "the file needs the columns ticket_no, subject, form, answers");
			kw_err_detail(x->err, "missing", json_string(cols[i]));
			return KW_EINVAL;
		}
	const char *ticket = row->cells[x->col[0]], *code = row->cells[x->col[1]],
	           *form = row->cells[x->col[2]], *ans = row->cells[x->col[3]];
	json_t *problems = x->problems;
	size_t before = json_array_size(problems);
	struct subj *sj = NULL;
	size_t si = 0;
	for (size_t q = 0; q < x->nsubj; q++)
		if (strcmp(x->subj[q].code, code) == 0) {
			sj = &x->subj[q];
			si = q;
		}
	if (!*code)
		row_problem(problems, row->line, "subject", "required", NULL);
	else if (!sj)
		row_problem(problems, row->line, "subject", "unknown_subject", code);
	else if (!sj->items) {
		row_problem(problems, row->line, "subject", "no_key", code);
		sj = NULL;
	}
	const struct slot *seat = *ticket ? seat_find(&x->map, ticket, 0) : NULL;
	if (!*ticket)
		row_problem(problems, row->line, "ticket_no", "required", NULL);
	else if (!seat)
		row_problem(problems, row->line, "ticket_no", "unknown_ticket", ticket);
	if (seat && sj && !(seat->subjects & (1u << si)))
		row_problem(problems, row->line, "subject", "not_registered_for_subject", code);
	int form_known = 0;
	for (size_t q = 0; sj && q < sj->nforms; q++)
		form_known |= strcmp(sj->forms[q], form) == 0;
	if (!*form)
		row_problem(problems, row->line, "form", "required", NULL);
	else if (sj && !form_known)
		row_problem(problems, row->line, "form", "form_without_key", form);
	char msg[160];
	if (sj &&
	    kw_answers_decode(&x->sym, ans, strlen(ans), sj->items, x->decoded, msg, sizeof msg))
		row_problem(problems, row->line, "answers", "answers_invalid", msg);
	/* DAY-4, GRD-4: no sheet of a candidate a closed room record has absent (缺考) */
	if (seat && sj && sj->nabsent &&
	    bsearch(&seat->reg, sj->absent, sj->nabsent, sizeof *sj->absent, reg_cmp))
		row_problem(problems, row->line, "ticket_no", "absent_sheet", ticket);
	if (seat && sj) {
		if (bit_get(sj->infile, seat->reg))
			row_problem(problems, row->line, "ticket_no", "duplicate_in_file", ticket);
		else if (bit_get(sj->had, seat->reg))
			row_problem(problems, row->line, "ticket_no", "duplicate", ticket);
		bit_set(sj->infile, seat->reg);
	}
	if (json_array_size(problems) > before)
		x->nproblems++;
	if (x->nproblems)
		return 0; /* nothing will be written: only the problems are gathered on */
	struct block *b = &x->open[si];
	if (!b->n) {
		b->subject = sj->id;
		b->first = b->last = seat->reg;
		kw_buf_reserve(&b->body, BLOCK_SHEETS * (strlen(ans) + 32));
	}
	add_int(&b->body, seat->reg);
	kw_buf_add(&b->body, "\t", 1);
	add_field(&b->body, ticket, '\t');
	add_field(&b->body, form, '\t');
	add_field(&b->body, ans, '\n');
	if (seat->reg < b->first)
		b->first = seat->reg;
	if (seat->reg > b->last)
		b->last = seat->reg;
	b->n++;
	sj->sheets++;
	x->j->n++;
	return b->n == BLOCK_SHEETS ? block_put(x, b) : 0;
}

/*
 * The import in one transaction, in one pass over the file: each row checked and its line
 * added to its subject's block, each full block written (audited) at once, so memory holds
 * one block a subject, never the file's sheets; a problem anywhere and the rest is only
 * checked, the transaction rolled back (IMPORT_INVALID), nothing written.
 */
static int import_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct import_job *j = arg;
	struct import_ctx *x = j->x;
	kw_clock_format(tx->now_us, j->now);
	/* the writer may run a job again: start afresh */
	size_t bytes = (size_t)(x->map.max_reg / 8 + 1);
	for (size_t q = 0; q < x->nsubj; q++) {
		x->subj[q].sheets = 0;
		memset(x->subj[q].infile, 0, bytes);
		x->open[q].n = 0;
		kw_buf_reset(&x->open[q].body);
	}
	json_array_clear(x->problems);
	x->nproblems = 0;
	x->tx = tx;
	j->n = j->nblocks = 0;
	/* the duplicates were checked against the imports up to last_import */
	int64_t now_last = 0;
	int rc = last_import(tx->conn, j->exam, &now_last, err);
	if (!rc && now_last != j->last_import)
		rc = kw_err_set(
		        err, KW_ECONFLICT, "ANSWERS_CONCURRENT", "GRD-5",
		        "another import of this exam landed meanwhile: import the file again");
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "answer_imports", "score.answers.import",
		        json_pack("{s:s}", "file_sha256", j->sha), &j->id,
		        "INSERT INTO answer_imports (exam_id, file_sha256, filename, sheets, "
		        "imported_by, witness_id, created_at) VALUES ($1, $2, $3, 0, $4, $5, "
		        "$6)",
		        "ittiit", j->exam, j->sha, j->filename, j->user, j->witness, j->now);
	if (!rc)
		rc = kw_csvtab_each(x->text, x->tn, ANSWERS_MAX_ROWS, import_row, x, err);
	if (!rc && x->nproblems) {
		rc = kw_err_set(err, KW_ERULE, "IMPORT_INVALID", "GRD-5",
		                "the file has problems; nothing was imported");
		kw_err_detail(err, "count", json_integer((json_int_t)x->nproblems));
		kw_err_detail(err, "rows", json_deep_copy(x->problems));
	}
	if (!rc && !j->n)
		rc = kw_err_set(err, KW_EINVAL, "CSV_EMPTY", NULL, "the file has no rows");
	for (size_t q = 0; !rc && q < x->nsubj; q++)
		if (x->open[q].n)
			rc = block_put(x, &x->open[q]);
	if (!rc)
		rc = kw_audit_put(tx, err, "answer_imports", "score.answers.imported",
		                  json_pack("{s:I, s:I}", "sheets", (json_int_t)j->n, "blocks",
		                            (json_int_t)j->nblocks),
		                  NULL, "UPDATE answer_imports SET sheets = $2 WHERE id = $1", "ii",
		                  j->id, (int64_t)j->n);
	return rc;
}

int kw_scoring_answers_import(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const char *witness,
                              const char *filename, const char *data, size_t n, json_t **out,
                              struct kw_err *err)
{
	struct kw_phases tm;
	kw_phases_start(&tm, "KAOWU_SCORE_TIMINGS", "score import of exam %lld", (long long)exam);
	struct import_job j = {.exam = exam, .user = s->user.id, .filename = filename};
	struct import_ctx x = {.j = &j, .col = {-1, -1, -1, -1}, .err = err};
	x.problems = json_array();
	x.per = json_object();
	kw_answer_symbols_default(&x.sym);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = target_load(c, s, "score.answers.write", exam, NULL, &t, err);
	if (!rc)
		rc = witness_load(c, witness, s->user.id, &j.witness, err);
	if (!rc)
		rc = subjects_load(c, exam, &x.subj, &x.nsubj, err);
	if (!rc)
		rc = last_import(c, exam, &j.last_import, err);
	kw_phases_mark(&tm, "load.keys", -1);
	struct roster ro;
	memset(&ro, 0, sizeof ro);
	if (!rc)
		rc = roster_load(c, exam, x.subj, x.nsubj, &ro, err);
	if (!rc)
		seatmap_build(&ro, &x.map);
	roster_release(&ro);
	kw_phases_mark(&tm, "load.seats", -1);
	if (!rc)
		rc = had_load(c, exam, x.subj, x.nsubj, x.map.max_reg, err);
	kw_pool_put(app->pool, c);
	kw_phases_mark(&tm, "load.sheets", -1);
	/* scanner output is ASCII as a rule: read in place when it is UTF-8 already */
	char *text = NULL;
	size_t tn = 0;
	const char *encoding = "UTF-8";
	int in_place = n < 3 || memcmp(data, "\xEF\xBB\xBF", 3) != 0;
	in_place = in_place && !memchr(data, 0, n) && kw_utf8_valid_prefix(data, n) == n;
	if (!rc && !in_place)
		rc = kw_text_decode(data, n, &text, &tn, &encoding, err);
	x.text = in_place ? data : text;
	x.tn = in_place ? n : tn;
	for (size_t q = 0; q < 32; q++)
		kw_buf_init(&x.open[q].body, 0);
	if (!rc) {
		sha256_hex(data, n, j.sha);
		kw_phases_mark(&tm, "file_digest", -1);
		j.x = &x;
		rc = kw_writer_run_bulk(app->writer, import_job, &j, actor, err);
		kw_phases_mark(&tm, "check_and_write", -1);
	}
	for (size_t q = 0; !rc && q < x.nsubj; q++)
		if (x.subj[q].sheets)
			json_object_set_new(x.per, x.subj[q].code, json_integer(x.subj[q].sheets));
	if (!rc)
		*out = json_pack("{s:I, s:I, s:I, s:O, s:s, s:s}", "id", (json_int_t)j.id, "sheets",
		                 (json_int_t)j.n, "blocks", (json_int_t)j.nblocks, "subjects",
		                 x.per, "file_sha256", j.sha, "encoding", encoding);
	for (size_t q = 0; q < 32; q++)
		kw_buf_release(&x.open[q].body);
	free(text);
	subjects_free(x.subj, x.nsubj);
	seatmap_release(&x.map);
	json_decref(x.problems);
	json_decref(x.per);
	kw_phases_end(&tm, rc);
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
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT b.code, b.name, (SELECT COALESCE(SUM(h.sheets), 0) FROM "
		        "answer_blocks h WHERE h.subject_id = b.id) FROM subjects b WHERE "
		        "b.exam_id = $1 ORDER BY b.code",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(subjects,
			                      json_pack("{s:o, s:o, s:I}", "code", col_json(st, 0),
			                                "name", col_json(st, 1), "sheets",
			                                (json_int_t)kw_stmt_column_int64(st, 2)));
		rc = kw_step_ok(rc);
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

/* One candidate seated for the subject, and their score. */
struct cand {
	int64_t reg, case_id;
	char ticket[40];
	char status[16]; /* the registration's */
	int outcome;     /* 0, OUT_ZERO or OUT_CANCEL */
	int form;        /* the sheet's key (index), -1 without a sheet */
	int32_t raw;     /* the sheet's points (the objective part) */
	int32_t subj;    /* the script's final mark (the subjective part), when mark */
	int mark;        /* 1: a script mark */
	int absent;      /* 1: absent per the closed room record (缺考, DAY-4) */
};

enum { OUT_ZERO = 1, OUT_CANCEL = 2 };

/* The subject's marking (subjective part), when it has one: marks_load fills the candidates'
 * subj and mark from it and its digest. */
struct marks {
	int64_t id, tolerance;
	char status[16], rule[16];
	char digest[65];
	int64_t unseated;          /* marks of registrations not among the candidates */
	struct findings *findings; /* the cross-check's (NULL in a run) */
};

struct run_job {
	int64_t exam, subject, user, id, marking;
	char *keys;
	char rules[65], answers[65], outcomes[65], result[65], now[32];
	const char *marks; /* the marks' digest, NULL without a marking */
	struct block *blocks;
	size_t nblocks;
	size_t n;
	int64_t scored, absent, zeroed, cancelled, anomalies;
};

/* The candidates of a run, in registration order, with a direct index by registration. */
struct candset {
	struct cand *v;
	size_t n;
	int64_t min, max;
	int32_t *index; /* reg - min → position in v, or -1 */
};

static struct cand *cand_find(const struct candset *cs, int64_t reg)
{
	if (!cs->n || reg < cs->min || reg > cs->max || cs->index[reg - cs->min] < 0)
		return NULL;
	return &cs->v[cs->index[reg - cs->min]];
}

static int run_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct run_job *j = arg;
	kw_clock_format(tx->now_us, j->now);
	json_t *detail = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "answers_digest", j->answers,
	                           "outcomes_digest", j->outcomes, "result_digest", j->result,
	                           "rules_digest", j->rules, "candidates", (json_int_t)j->n,
	                           "scored", (json_int_t)j->scored);
	if (j->marks) {
		json_object_set_new(detail, "marks_digest", json_string(j->marks));
		json_object_set_new(detail, "anomalies", json_integer(j->anomalies));
	}
	/* marking_id, marks_digest and anomalies stay null without a marking (anomalies null also
	 * when there are none): such a run's row is what it was before marks came in */
	int rc = kw_audit_put(
	        tx, err, "score_runs", "score.run", detail, &j->id,
	        "INSERT INTO score_runs (exam_id, subject_id, keys, rules_digest, answers_digest, "
	        "outcomes_digest, result_digest, candidates, scored, absent, zeroed, cancelled, "
	        "run_by, created_at, marking_id, marks_digest, anomalies) VALUES ($1, $2, $3, $4, "
	        "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
	        "iitttttiiiiiitntn", j->exam, j->subject, j->keys, j->rules, j->answers,
	        j->outcomes, j->result, (int64_t)j->n, j->scored, j->absent, j->zeroed,
	        j->cancelled, j->user, j->now, j->marking, j->marks, j->anomalies);
	for (size_t i = 0; !rc && i < j->nblocks; i++) {
		const struct block *b = &j->blocks[i];
		rc = kw_audit_put(tx, err, "score_blocks", "score.run.block",
		                  json_pack("{s:I, s:I}", "run_id", (json_int_t)j->id, "candidates",
		                            (json_int_t)b->n),
		                  NULL,
		                  "INSERT INTO score_blocks (run_id, seq, candidates, "
		                  "first_registration, last_registration, body, created_at) VALUES "
		                  "($1, $2, $3, $4, $5, $6, $7)",
		                  "iiiiitt", j->id, (int64_t)i + 1, (int64_t)b->n, b->first,
		                  b->last, b->body.buf, j->now);
	}
	return rc;
}

#define MAX_FINDINGS 200 /* findings a cross-check lists (all are counted) */

/* The cross-check's findings: every one counted, by kind, the first MAX_FINDINGS listed. */
struct findings {
	json_t *items, *kinds;
	int64_t n;
};

/* Takes f ({kind, …}) into fs (NULL: a run, which lists none). */
static void finding(struct findings *fs, json_t *f)
{
	if (fs) {
		const char *kind = json_string_value(json_object_get(f, "kind"));
		fs->n++;
		json_object_set_new(
		        fs->kinds, kind,
		        json_integer(json_integer_value(json_object_get(fs->kinds, kind)) + 1));
		if (json_array_size(fs->items) < MAX_FINDINGS)
			json_array_append(fs->items, f);
	}
	json_decref(f);
}

/* The candidates seated for subject code in the exam's published run, by registration. */
static int cands_load(struct kw_conn *c, int64_t exam, const char *code, struct candset *cs,
                      struct kw_err *err)
{
	memset(cs, 0, sizeof *cs);
	struct subj one;
	memset(&one, 0, sizeof one);
	snprintf(one.code, sizeof one.code, "%s", code);
	struct roster r;
	int rc = roster_load(c, exam, &one, 1, &r, err);
	for (size_t i = 0; !rc && i < r.n; i++) {
		const struct rreg *x = &r.v[i];
		const char *t = roster_ticket(&r, x);
		if (!t || !(x->subjects & 1))
			continue;
		if (!cs->v)
			cs->v = kw_xcalloc(r.n, sizeof *cs->v);
		struct cand *y = &cs->v[cs->n++];
		y->reg = x->id;
		y->form = -1;
		snprintf(y->ticket, sizeof y->ticket, "%s", t);
		snprintf(y->status, sizeof y->status, "%s",
		         x->status == 'c'   ? "cancelled"
		         : x->status == 'v' ? "void"
		                            : "");
	}
	roster_release(&r);
	if (!rc && cs->n) {
		cs->min = cs->v[0].reg;
		cs->max = cs->v[cs->n - 1].reg;
		size_t span = (size_t)(cs->max - cs->min + 1);
		cs->index = kw_xmalloc(span * sizeof *cs->index);
		memset(cs->index, 0xff, span * sizeof *cs->index);
		for (size_t i = 0; i < cs->n; i++)
			cs->index[cs->v[i].reg - cs->min] = (int32_t)i;
	}
	return rc;
}

/*
 * The decisions in force for the exam's registrations (case_effects not reversed), applied
 * to the candidates of subject code, and their digest: a registration cancelled or void, the
 * subject void, or every subject void (a sitting's void, Order No. 31 art. 7-8) cancels; the
 * subject zeroed zeroes. The lowest case id names the outcome.
 */
static int outcomes_load(struct kw_conn *c, int64_t exam, int64_t subject, const char *code,
                         struct candset *cs, char digest[65], struct findings *findings,
                         struct kw_err *err)
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
			struct cand *x = cand_find(cs, reg);
			int here = strcmp(subj, code) == 0;
			/* the cross-check lists a decision on this subject that finds no candidate
			 */
			if (!x && here && findings)
				finding(findings,
				        json_pack("{s:s, s:I, s:s, s:I}", "kind",
				                  "decision_not_seated", "registration_id",
				                  (json_int_t)reg, "decision", kind, "case_id",
				                  (json_int_t)cid));
			if (!x)
				continue;
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
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	/* a registration cancelled or void outside a case (e.g. by review) cancels as well */
	for (size_t i = 0; !rc && i < cs->n; i++) {
		struct cand *v = &cs->v[i];
		if (!v->outcome && v->status[0]) {
			v->outcome = OUT_CANCEL;
			kw_buf_addf(&b, "%lld\tstatus:%s\t\t0\n", (long long)v->reg, v->status);
		}
	}
	/* the absentees of the closed room records (DAY-4): a line each, none without them */
	int64_t *absent = NULL;
	size_t nabsent = 0;
	if (!rc)
		rc = kw_examday_absentees(c, exam, subject, &absent, &nabsent, NULL, NULL, err);
	for (size_t i = 0; !rc && i < nabsent; i++) {
		struct cand *x = cand_find(cs, absent[i]);
		if (!x)
			continue;
		x->absent = 1;
		kw_buf_addf(&b, "%lld\tabsent:room_record\t%s\t0\n", (long long)x->reg, code);
	}
	free(absent);
	sha256_hex(b.buf, b.len, digest);
	kw_buf_release(&b);
	return rc;
}

/* ---- the subjective part: the subject's marking ---- */

/* The subject's marking (m->id 0 when it has none). */
static int marking_of(struct kw_conn *c, int64_t subject, struct marks *m, struct kw_err *err)
{
	memset(m, 0, sizeof *m);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT id, status, tolerance, rule FROM markings WHERE subject_id = $1", &st,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, subject);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			m->id = kw_stmt_column_int64(st, 0);
			kw_stmt_column_copy(st, 1, m->status, sizeof m->status);
			m->tolerance = kw_stmt_column_int64(st, 2);
			kw_stmt_column_copy(st, 3, m->rule, sizeof m->rule);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && m->id && strcmp(m->status, "confirmed") != 0) {
		rc = kw_err_set(err, KW_ECONFLICT, "SCORE_MARKING_NOT_CONFIRMED", "GRD-3",
		                "the subject's marking is %s: its marks join the scores only after "
		                "its total is checked and confirmed",
		                m->status);
		kw_err_detail(err, "marking_status", json_string(m->status));
	}
	return rc;
}

/* One registration's mark into its candidate and the digest (marks in registration order). */
static void mark_put(struct candset *cs, struct marks *m, struct kw_buf *d, int64_t reg,
                     int32_t final)
{
	add_int(d, reg);
	kw_buf_add(d, "\t", 1);
	add_int(d, final);
	kw_buf_add(d, "\n", 1);
	struct cand *x = cand_find(cs, reg);
	if (x) {
		x->subj = final;
		x->mark = 1;
		return;
	}
	m->unseated++;
	finding(m->findings,
	        json_pack("{s:s, s:I, s:o}", "kind", "mark_not_seated", "registration_id",
	                  (json_int_t)reg, "subjective", points_json(final)));
}

/* A registration's marks by round (1-4; have[r]) through the final-score rule: 0 and *final
 * when they settle it. */
static int marks_settle(const int32_t marks[4], const int have[5], int32_t tol, int32_t *final)
{
	if (!have[1] || !have[2])
		return 1;
	if (kw_marking_resolve(marks, 2, tol, final) == 0)
		return 0;
	if (have[3] && kw_marking_resolve(marks, 3, tol, final) == 0)
		return 0;
	if (have[3] && have[4]) {
		*final = marks[3]; /* the chief marker's */
		return 0;
	}
	return 1;
}

/*
 * The marking's finals into the candidates (subj, mark) and their digest: a run takes each
 * script's final as the marking recorded it; the cross-check (reference) works every final
 * out again from the marks themselves (script_marks) through the final-score rule. Only
 * scripts with an identity count (control scripts have none).
 */
static int marks_load(struct kw_conn *c, struct marks *m, struct candset *cs, int reference,
                      struct kw_err *err)
{
	struct kw_buf d = KW_BUF_INIT;
	kw_buf_init(&d, 0);
	kw_buf_addf(&d, "kaowu-marks-v1\n%lld\t%s\t%lld\n", (long long)m->id, m->rule,
	            (long long)m->tolerance);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        reference ? "SELECT i.registration_id, k.round, k.points FROM script_marks k JOIN "
	                    "scripts s ON s.id = k.script_id JOIN script_identities i ON "
	                    "i.script_id = s.id WHERE s.marking_id = $1 AND k.points IS NOT NULL "
	                    "ORDER BY i.registration_id, k.round"
	                  : "SELECT i.registration_id, 0, s.final FROM scripts s JOIN "
	                    "script_identities i ON i.script_id = s.id WHERE s.marking_id = $1 "
	                    "AND s.final IS NOT NULL ORDER BY i.registration_id",
	        &st, err);
	int64_t cur = 0;
	int32_t marks[4] = {0};
	int have[5] = {0};
	if (!rc) {
		kw_stmt_bind_int64(st, 1, m->id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t reg = kw_stmt_column_int64(st, 0),
			        round = kw_stmt_column_int64(st, 1);
			int32_t pts = (int32_t)kw_stmt_column_int64(st, 2);
			if (!reference) {
				mark_put(cs, m, &d, reg, pts);
				continue;
			}
			if (reg != cur && cur) {
				int32_t f = 0;
				if (marks_settle(marks, have, (int32_t)m->tolerance, &f) == 0)
					mark_put(cs, m, &d, cur, f);
				else
					finding(m->findings,
					        json_pack("{s:s, s:I}", "kind", "mark_unsettled",
					                  "registration_id", (json_int_t)cur));
			}
			if (reg != cur) {
				memset(have, 0, sizeof have);
				cur = reg;
			}
			if (round >= 1 && round <= 4) {
				have[round] = 1;
				marks[round - 1] = pts;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && reference && cur) {
		int32_t f = 0;
		if (marks_settle(marks, have, (int32_t)m->tolerance, &f) == 0)
			mark_put(cs, m, &d, cur, f);
		else
			finding(m->findings, json_pack("{s:s, s:I}", "kind", "mark_unsettled",
			                               "registration_id", (json_int_t)cur));
	}
	sha256_hex(d.buf, d.len, m->digest);
	kw_buf_release(&d);
	return rc;
}

/* Scores a batch of one form's sheets (the vector kernel) into their candidates. */
static void flush_batch(const uint8_t *ans, struct cand **who, int32_t *totals, size_t *n,
                        const struct kw_score_compiled *comp, size_t items)
{
	if (!*n)
		return;
	kw_score_sheets(comp, ans, items, *n, totals);
	for (size_t i = 0; i < *n; i++)
		who[i]->raw = totals[i];
	*n = 0;
}

/* ---- the stored sheets ---- */

int kw_scoring_sheets_each(struct kw_conn *c, int64_t subject,
                           int (*fn)(void *arg, const struct kw_scoring_sheet *sh,
                                     struct kw_err *err),
                           void *arg, char digest[65], struct kw_err *err)
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"kaowu-answers-v1\n", 17);
	struct kw_answer_symbols sym;
	kw_answer_symbols_default(&sym);
	struct kw_scoring_sheet sh = {.sym = &sym};
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT body FROM answer_blocks WHERE subject_id = $1 ORDER BY id", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, subject);
		while (!rc && (rc = kw_stmt_step(st, err)) == KW_ROW) {
			size_t len = 0;
			const char *body = kw_stmt_column_text(st, 0, &len);
			crypto_hash_sha256_update(&h, (const unsigned char *)body, len);
			rc = 0;
			/* a line: "reg TAB ticket TAB form TAB answers" */
			for (const char *p = body; !rc && p && *p;) {
				const char *e = strchr(p, '\n');
				const char *t1 = strchr(p, '\t');
				const char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
				const char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
				if (!e || !t3 || t3 > e) {
					rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
					                "an answer block is damaged");
					break;
				}
				sh.reg = strtoll(p, NULL, 10);
				sh.form = t2 + 1;
				sh.form_len = (size_t)(t3 - t2 - 1);
				sh.answers = t3 + 1;
				sh.answers_len = (size_t)(e - t3 - 1);
				rc = fn(arg, &sh, err);
				p = e + 1;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	if (digest)
		sodium_bin2hex(digest, 65, d, sizeof d);
	return rc;
}

int kw_scoring_sheet_decode(const struct kw_scoring_sheet *sh, const struct kw_scoring_key *keys,
                            size_t nkeys, uint8_t *ans, size_t *form, struct kw_err *err)
{
	size_t q = 0;
	while (q < nkeys && !(strlen(keys[q].form) == sh->form_len &&
	                      !strncmp(keys[q].form, sh->form, sh->form_len)))
		q++;
	if (q == nkeys) {
		kw_err_set(err, KW_ECONFLICT, "SCORE_FORM_WITHOUT_KEY", "CUS-8",
		           "a sheet's form has no key");
		kw_err_detail(err, "form", json_stringn(sh->form, sh->form_len));
		return err->rc;
	}
	char msg[160];
	if (kw_answers_decode(sh->sym, sh->answers, sh->answers_len, keys[q].key.n, ans, msg,
	                      sizeof msg)) {
		kw_err_set(err, KW_ECONFLICT, "SCORE_SHEET_INVALID", "GRD-5",
		           "a stored sheet does not fit the key: %s", msg);
		kw_err_detail(err, "registration_id", json_integer(sh->reg));
		return err->rc;
	}
	*form = q;
	return 0;
}

/* A run's (or the cross-check's) scoring of the sheets: a block's worth of each form's
 * sheets decoded into one batch, scored by the vector kernel. */
struct score_walk {
	const struct kw_scoring_key *keys;
	struct kw_score_compiled *const *comp;
	size_t nkeys;
	struct candset *cs;
	int reference;
	uint8_t *ans; /* one sheet, decoded */
	struct batch {
		uint8_t *ans;
		struct cand **who;
		int32_t *totals;
		size_t n;
	} batch[KW_SCORING_MAX_FORMS];
};

static int score_sheet(void *arg, const struct kw_scoring_sheet *sh, struct kw_err *err)
{
	struct score_walk *w = arg;
	struct cand *x = cand_find(w->cs, sh->reg);
	if (!x) {
		kw_err_set(err, KW_ECONFLICT, "SCORE_SHEET_NOT_SEATED", "GRD-5",
		           "a sheet belongs to a candidate no longer seated for the subject");
		kw_err_detail(err, "registration_id", json_integer(sh->reg));
		return err->rc;
	}
	size_t q = 0;
	int rc = kw_scoring_sheet_decode(sh, w->keys, w->nkeys, w->ans, &q, err);
	if (rc)
		return rc;
	size_t items = w->keys[q].key.n;
	x->form = (int)q;
	/* the cross-check scores each sheet at once with the reference; the run batches them
	 * for the kernel */
	if (w->reference) {
		x->raw = kw_score_sheet(w->comp[q], w->ans);
		return 0;
	}
	struct batch *bt = &w->batch[q];
	if (bt->n == BLOCK_SHEETS)
		flush_batch(bt->ans, bt->who, bt->totals, &bt->n, w->comp[q], items);
	memcpy(bt->ans + bt->n * items, w->ans, items);
	bt->who[bt->n++] = x;
	return 0;
}

/* Scores every sheet of the subject (kw_scoring_sheets_each) into its candidate; the
 * answers' digest over the blocks' bodies in id order. */
static int sheets_score(struct kw_conn *c, int64_t subject, const struct kw_scoring_key *keys,
                        struct kw_score_compiled *const *comp, size_t nkeys, struct candset *cs,
                        int reference, char digest[65], struct kw_err *err)
{
	struct score_walk w = {.keys = keys,
	                       .comp = comp,
	                       .nkeys = nkeys < KW_SCORING_MAX_FORMS ? nkeys : KW_SCORING_MAX_FORMS,
	                       .cs = cs,
	                       .reference = reference};
	size_t most = 1;
	for (size_t q = 0; q < w.nkeys; q++)
		if (keys[q].key.n > most)
			most = keys[q].key.n;
	w.ans = kw_xmalloc(most);
	for (size_t q = 0; !reference && q < w.nkeys; q++) {
		w.batch[q].ans = kw_xmalloc(BLOCK_SHEETS * keys[q].key.n);
		w.batch[q].who = kw_xmalloc(BLOCK_SHEETS * sizeof *w.batch[q].who);
		w.batch[q].totals = kw_xmalloc(BLOCK_SHEETS * sizeof *w.batch[q].totals);
	}
	int rc = kw_scoring_sheets_each(c, subject, score_sheet, &w, digest, err);
	for (size_t q = 0; q < w.nkeys; q++) {
		if (!rc && !reference)
			flush_batch(w.batch[q].ans, w.batch[q].who, w.batch[q].totals,
			            &w.batch[q].n, comp[q], keys[q].key.n);
		free(w.batch[q].ans);
		free(w.batch[q].who);
		free(w.batch[q].totals);
	}
	free(w.ans);
	return rc;
}

/* A candidate's result with the outcome applied (line_eval). */
struct lineval {
	const char *status;
	int present, has_final;
	int32_t raw, final;
	int64_t case_id;
};

/*
 * A candidate's result. The parts: the sheet's points (objective, when the subject has keys)
 * and the script's final mark (subjective, when it has a marking); raw their sum. Cancelled
 * (raw kept, no final), zero (raw kept, final 0), absent (no part at all: no raw, no final,
 * never 0), anomaly (a subject with both parts and only one of them: a sheet and no mark, a
 * mark and no sheet — raw kept, no final: not scored, listed by the cross-check), else scored.
 */
static void line_eval(const struct cand *x, int nkeys, int marks, struct lineval *v)
{
	/* absent per the closed room record: no part counts, a sheet or a mark notwithstanding */
	int obj = x->form >= 0 && !x->absent, subj = marks && x->mark && !x->absent;
	v->present = obj || subj;
	v->raw = (obj ? x->raw : 0) + (subj ? x->subj : 0);
	v->has_final = 0;
	v->final = 0;
	v->case_id = x->case_id;
	if (x->outcome == OUT_CANCEL) {
		v->status = "cancelled";
	} else if (x->outcome == OUT_ZERO && v->present) {
		v->status = "zero";
		v->has_final = 1;
	} else if (!v->present) {
		v->status = "absent";
		v->case_id = 0;
	} else if (marks && nkeys && obj != subj) {
		v->status = "anomaly";
	} else {
		v->status = "scored";
		v->has_final = 1;
		v->final = v->raw;
	}
}

/*
 * A candidate's line of a run's result — "reg TAB ticket TAB form TAB status TAB raw TAB
 * final TAB case_id", and with a marking two more fields, "TAB objective TAB subjective" (each
 * empty without its part) — as line_eval has it. Without a marking the line is what it was
 * before marks came in, byte for byte. Counts into j when given.
 */
static void result_line(struct kw_buf *b, const struct cand *x, const struct kw_scoring_key *keys,
                        int nkeys, int marks, struct run_job *j)
{
	struct lineval v;
	line_eval(x, nkeys, marks, &v);
	if (j) {
		int64_t *count = v.status[0] == 'c'   ? &j->cancelled
		                 : v.status[0] == 'z' ? &j->zeroed
		                 : v.status[0] == 's' ? &j->scored
		                 : v.status[1] == 'b' ? &j->absent
		                                      : &j->anomalies;
		(*count)++;
	}
	add_int(b, x->reg);
	kw_buf_add(b, "\t", 1);
	add_field(b, x->ticket, '\t');
	add_field(b, x->form >= 0 && !x->absent ? keys[x->form].form : "", '\t');
	add_field(b, v.status, '\t');
	if (v.present)
		add_int(b, v.raw);
	kw_buf_add(b, "\t", 1);
	if (v.has_final)
		add_int(b, v.final);
	kw_buf_add(b, "\t", 1);
	add_int(b, v.case_id);
	if (marks) {
		kw_buf_add(b, "\t", 1);
		if (x->form >= 0 && !x->absent)
			add_int(b, x->raw);
		kw_buf_add(b, "\t", 1);
		if (x->mark && !x->absent)
			add_int(b, x->subj);
	}
	kw_buf_add(b, "\n", 1);
}

int kw_scoring_run(struct kw_app *app, const struct kw_actor *actor,
                   const struct kw_session_info *s, int64_t exam, const char *subject, json_t **out,
                   struct kw_err *err)
{
	struct kw_phases tm;
	kw_phases_start(&tm, "KAOWU_SCORE_TIMINGS", "score run of exam %lld subject %s",
	                (long long)exam, subject);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct target t;
	int rc = target_load(c, s, "score.run", exam, subject, &t, err);
	struct kw_scoring_key *keys = NULL;
	size_t nkeys = 0;
	if (!rc)
		rc = kw_scoring_keys_load(c, t.subject, NULL, 0, &keys, &nkeys, err);
	/* the subjective part: the subject's marking, confirmed (GRD-3) before its marks count */
	struct marks mk;
	memset(&mk, 0, sizeof mk);
	if (!rc)
		rc = marking_of(c, t.subject, &mk, err);
	if (!rc && !nkeys && !mk.id)
		rc = kw_err_set(err, KW_ECONFLICT, "SCORE_NO_MASTER_KEY", "CUS-8",
		                "load the subject's answer keys first (or mark it: a subject "
		                "without keys is scored from its confirmed marking)");
	/* CUS-8: every form's key is the permuted master, checked again before scoring */
	if (!rc)
		rc = keys_verify(keys, nkeys, err);
	struct kw_score_compiled **comp = kw_xcalloc(nkeys ? nkeys : 1, sizeof *comp);
	json_t *kj = json_object();
	for (size_t i = 0; !rc && i < nkeys; i++) {
		comp[i] = kw_score_compile(&keys[i].key);
		json_object_set_new(kj, keys[i].form,
		                    json_pack("{s:I, s:I, s:s}", "id", (json_int_t)keys[i].id,
		                              "version", (json_int_t)keys[i].version, "digest",
		                              keys[i].digest));
	}
	struct candset cs;
	memset(&cs, 0, sizeof cs);
	struct run_job j = {.exam = exam, .subject = t.subject, .user = s->user.id};
	kw_phases_mark(&tm, "keys", -1);
	if (!rc)
		rc = cands_load(c, exam, t.code, &cs, err);
	kw_phases_mark(&tm, "roster", -1);
	if (!rc)
		rc = outcomes_load(c, exam, t.subject, t.code, &cs, j.outcomes, NULL, err);
	kw_phases_mark(&tm, "outcomes", -1);
	if (!rc)
		rc = sheets_score(c, t.subject, keys, comp, nkeys, &cs, 0, j.answers, err);
	if (!rc && mk.id) {
		rc = marks_load(c, &mk, &cs, 0, err);
		j.marking = mk.id;
		j.marks = mk.digest;
	}
	kw_pool_put(app->pool, c);
	kw_phases_mark(&tm, "sheets", -1);
	j.keys = json_dumps(kj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(kj);
	/* the rules beyond the keys: the answer symbols (the default table) */
	sha256_hex("kaowu-score-rules-v1\nsymbols default\n", 37, j.rules);
	/* the result, in registration order, in blocks; its digest over every line */
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"kaowu-scores-v1\n", 16);
	size_t cap = 0;
	j.n = cs.n;
	for (size_t i = 0; !rc && i < cs.n; i++) {
		const struct cand *x = &cs.v[i];
		if (i % BLOCK_SHEETS == 0) {
			if (j.nblocks == cap) {
				cap = cap ? 2 * cap : 8;
				j.blocks = kw_xrealloc(j.blocks, cap * sizeof *j.blocks);
			}
			struct block *nb = &j.blocks[j.nblocks++];
			memset(nb, 0, sizeof *nb);
			nb->first = x->reg;
			kw_buf_init(&nb->body, 0);
			kw_buf_reserve(&nb->body, BLOCK_SHEETS * 48);
		}
		struct block *b = &j.blocks[j.nblocks - 1];
		size_t at = b->body.len;
		result_line(&b->body, x, keys, (int)nkeys, mk.id != 0, &j);
		crypto_hash_sha256_update(&h, (const unsigned char *)b->body.buf + at,
		                          b->body.len - at);
		b->n++;
		b->last = x->reg;
	}
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(j.result, sizeof j.result, d, sizeof d);
	kw_phases_mark(&tm, "result", -1);
	if (!rc)
		rc = kw_writer_run_bulk(app->writer, run_job, &j, actor, err);
	kw_phases_mark(&tm, "write", -1);
	for (size_t i = 0; i < nkeys; i++)
		kw_score_compiled_free(comp[i]);
	free(comp);
	for (size_t i = 0; i < j.nblocks; i++)
		kw_buf_release(&j.blocks[i].body);
	free(j.blocks);
	free(cs.v);
	free(cs.index);
	free(keys);
	free(j.keys);
	if (!rc)
		rc = kw_scoring_run_get(app, s, j.id, out, err);
	kw_phases_end(&tm, rc);
	return rc;
}

#define RUN_COLS                                                                                   \
	"r.id, r.exam_id, b.code, r.keys, r.rules_digest, r.answers_digest, r.outcomes_digest, "   \
	"r.result_digest, r.candidates, r.scored, r.absent, r.zeroed, r.cancelled, u.username, "   \
	"r.created_at, r.marks_digest, r.anomalies"
#define RUN_FROM                                                                                   \
	" FROM score_runs r JOIN subjects b ON b.id = r.subject_id JOIN users u ON u.id = "        \
	"r.run_by"

static json_t *run_json(struct kw_stmt *st)
{
	json_t *keys = json_loads(kw_stmt_column_text(st, 3, NULL), 0, NULL);
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o, "
	                 "s:o, s:o, s:I}",
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
	                 "created_at", col_json(st, 14), "marks_digest", col_json(st, 15),
	                 "anomalies", (json_int_t)kw_stmt_column_int64(st, 16));
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
		rc = kw_step_ok(rc);
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
		rc = kw_step_ok(rc);
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

/* A score line's points ("8750" hundredths, or empty) as the API shows them. */
static json_t *line_points(const char *p, size_t n)
{
	if (!n)
		return json_null();
	return points_json((int32_t)strtol(p, NULL, 10));
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
		rc = kw_conn_prepare(c,
		                     "SELECT body FROM score_blocks WHERE run_id = $1 AND "
		                     "last_registration > $2 ORDER BY seq",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		kw_stmt_bind_int64(st, 2, after);
		while (!more && (rc = kw_stmt_step(st, err)) == KW_ROW) {
			const char *body = kw_stmt_column_text(st, 0, NULL);
			for (const char *p = body; p && *p && !more;) {
				const char *e = strchr(p, '\n'), *f[9];
				f[0] = p;
				for (int k = 1; k < 9; k++) {
					f[k] = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
					f[k] = f[k] && f[k] < e ? f[k] + 1 : NULL;
				}
				if (!e || !f[6] || f[6] > e)
					break;
				/* a line with a marking's parts: "… TAB objective TAB subjective"
				 */
				int parts = f[7] && f[8];
				int64_t reg = strtoll(p, NULL, 10);
				p = e + 1;
				if (reg <= after)
					continue;
				if ((int)json_array_size(items) == limit) {
					more = 1;
					break;
				}
				last = reg;
				int64_t case_id = strtoll(f[6], NULL, 10);
				size_t flen = (size_t)(f[3] - f[2] - 1);
				json_t *item = json_pack(
				        "{s:I, s:s%, s:o, s:s%, s:o, s:o, s:o}", "registration_id",
				        (json_int_t)reg, "ticket_no", f[1],
				        (size_t)(f[2] - f[1] - 1), "form",
				        flen ? json_stringn(f[2], flen) : json_null(), "status",
				        f[3], (size_t)(f[4] - f[3] - 1), "raw",
				        line_points(f[4], (size_t)(f[5] - f[4] - 1)), "final",
				        line_points(f[5], (size_t)(f[6] - f[5] - 1)), "case_id",
				        case_id ? json_integer(case_id) : json_null());
				/* the parts: without a marking the sheet's points are the raw */
				json_object_set_new(
				        item, "objective",
				        parts ? line_points(f[7], (size_t)(f[8] - f[7] - 1))
				              : line_points(f[4], (size_t)(f[5] - f[4] - 1)));
				json_object_set_new(item, "subjective",
				                    parts ? line_points(f[8], (size_t)(e - f[8]))
				                          : json_null());
				json_array_append_new(items, item);
			}
			if (!more)
				rc = 0;
		}
		rc = more ? 0 : kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc)
		*out = kw_json_page(items, more, last);
	else
		json_decref(items);
	return rc;
}

int kw_scoring_exam_id(struct kw_app *app, const char *code, int64_t *id, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	*id = 0;
	int rc = kw_conn_prepare(c, "SELECT id FROM exams WHERE code = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, code);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc && !*id)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no exam %s", code);
	return rc;
}

/* ---- the cross-check (GRD-7) ---- */

static json_t *digest_pair(const char *run, const char *now)
{
	return json_pack("{s:s, s:s, s:b}", "run", run, "now", now, "same", strcmp(run, now) == 0);
}

/* Marks' digests, either of which may be missing (a run or a subject without a marking). */
static json_t *marks_pair(const char *run, const char *now)
{
	return json_pack("{s:o, s:o, s:b}", "run", run ? json_string(run) : json_null(), "now",
	                 now ? json_string(now) : json_null(), "same",
	                 (!run && !now) || (run && now && strcmp(run, now) == 0));
}

/* ---- the cross-check's distribution findings (GRD-7; core/crosscheck.h) ---- */

struct xroom {
	int64_t id, centre, number;
	uint32_t cidx; /* the centre's index */
	char centre_code[40], room_code[40];
};

struct xpt {
	uint32_t room, centre;
	int32_t v;
};

static int xroom_cmp(const void *a, const void *b)
{
	const struct xroom *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int by_room(const void *a, const void *b)
{
	const struct xpt *x = a, *y = b;
	if (x->room != y->room)
		return x->room < y->room ? -1 : 1;
	return (x->v > y->v) - (x->v < y->v);
}

static int by_centre(const void *a, const void *b)
{
	const struct xpt *x = a, *y = b;
	if (x->centre != y->centre)
		return x->centre < y->centre ? -1 : 1;
	return (x->v > y->v) - (x->v < y->v);
}

static int by_value(const void *a, const void *b)
{
	const struct xpt *x = a, *y = b;
	return (x->v > y->v) - (x->v < y->v);
}

/* How many of v[0..n) (sorted by value) are value. */
static size_t count_of(const struct xpt *v, size_t n, int32_t value)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].v < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t k = lo;
	while (k < n && v[k].v == value)
		k++;
	return k - lo;
}

/* A group's sums, most frequent value and distinct values (v sorted by value). */
static void group_of(const struct xpt *v, size_t n, struct kw_xc_acc *a, int32_t *mode,
                     size_t *same, size_t *distinct)
{
	memset(a, 0, sizeof *a);
	*same = 0;
	*mode = 0;
	*distinct = 0;
	for (size_t i = 0, run = 0; i < n; i++) {
		kw_xc_add(a, v[i].v);
		run = i && v[i].v == v[i - 1].v ? run + 1 : 1;
		*distinct += run == 1;
		if (run > *same) {
			*same = run;
			*mode = v[i].v;
		}
	}
}

static json_t *hundredths_real(double h)
{
	return json_real(round(h) / 100.0);
}

/* The findings of one group's verdict. */
static void verdict_findings(struct findings *fs, const char *level, const struct xroom *r,
                             const struct kw_xc_acc *g, const struct kw_xc_acc *ref,
                             const char *scope, int32_t mode, size_t same,
                             const struct kw_xc_verdict *v)
{
	const char *tests[3] = {"mean", "variance", "identical"};
	int flags[3] = {v->mean, v->var, v->same};
	for (int k = 0; k < 3; k++) {
		if (!flags[k])
			continue;
		json_t *f = json_pack(
		        "{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:{s:s, s:I, s:o, s:o}}", "kind",
		        "distribution", "test", tests[k], "level", level, "centre", r->centre_code,
		        "n", (json_int_t)g->n, "mean", hundredths_real(kw_xc_mean(g)), "sd",
		        hundredths_real(sqrt(kw_xc_var(g))), "peers", "scope", scope, "n",
		        (json_int_t)ref->n, "mean", hundredths_real(kw_xc_mean(ref)), "sd",
		        hundredths_real(sqrt(kw_xc_var(ref))));
		if (strcmp(level, "room") == 0) {
			json_object_set_new(f, "room", json_string(r->room_code));
			json_object_set_new(f, "exam_room", json_integer(r->number));
		}
		if (k == 0)
			json_object_set_new(f, "z", json_real(round(v->z * 100.0) / 100.0));
		else
			json_object_set_new(f, "p", json_real(k == 1 ? v->var_p : v->same_p));
		if (k == 2) {
			json_object_set_new(f, "total", points_json(mode));
			json_object_set_new(f, "count", json_integer((json_int_t)same));
		}
		finding(fs, f);
	}
}

/*
 * (a) Abnormal distributions: the scored totals of each exam room against the rest of its
 * centre (or, when the rest of the centre is too small or without spread, the rest of the
 * exam), and of each centre against the rest of the exam (core/crosscheck.h).
 */
static int distribution_findings(struct kw_conn *c, int64_t exam, const struct candset *cs,
                                 const int32_t *totals, const uint8_t *scored, struct findings *fs,
                                 struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int64_t run = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT id FROM seating_runs WHERE exam_id = $1 AND status = "
	                         "'published'",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			run = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	struct xroom *rooms = NULL;
	size_t nrooms = 0, cap = 0, ncentres = 0;
	if (!rc && run)
		rc = kw_conn_prepare(
		        c,
		        "SELECT e.id, e.centre_id, e.number, c.code, r.code FROM "
		        "exam_rooms e JOIN centres c ON c.id = e.centre_id JOIN rooms r "
		        "ON r.id = e.room_id WHERE e.run_id = $1 ORDER BY e.centre_id, "
		        "e.id",
		        &st, err);
	if (!rc && run) {
		kw_stmt_bind_int64(st, 1, run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (nrooms == cap) {
				cap = cap ? 2 * cap : 64;
				rooms = kw_xrealloc(rooms, cap * sizeof *rooms);
			}
			struct xroom *r = &rooms[nrooms++];
			r->id = kw_stmt_column_int64(st, 0);
			r->centre = kw_stmt_column_int64(st, 1);
			r->number = kw_stmt_column_int64(st, 2);
			kw_stmt_column_copy(st, 3, r->centre_code, sizeof r->centre_code);
			kw_stmt_column_copy(st, 4, r->room_code, sizeof r->room_code);
			if (nrooms > 1 && rooms[nrooms - 2].centre == r->centre)
				r->cidx = rooms[nrooms - 2].cidx;
			else
				r->cidx = (uint32_t)ncentres++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (rc || !nrooms) {
		free(rooms);
		return rc;
	}
	qsort(rooms, nrooms, sizeof *rooms, xroom_cmp);
	struct xpt *pa = kw_xmalloc((cs->n ? cs->n : 1) * sizeof *pa);
	size_t np = 0;
	rc = kw_conn_prepare(
	        c, "SELECT registration_id, exam_room_id FROM seats WHERE run_id + 0 = $1", &st,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, run);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			struct cand *x = cand_find(cs, kw_stmt_column_int64(st, 0));
			if (!x || !scored[x - cs->v])
				continue;
			struct xroom key = {.id = kw_stmt_column_int64(st, 1)};
			const struct xroom *r =
			        bsearch(&key, rooms, nrooms, sizeof *rooms, xroom_cmp);
			if (!r || np == cs->n)
				continue;
			pa[np].room = (uint32_t)(r - rooms);
			pa[np].centre = r->cidx;
			pa[np].v = totals[x - cs->v];
			np++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	struct xpt *pb = kw_xmalloc((np ? np : 1) * sizeof *pb),
	           *pc = kw_xmalloc((np ? np : 1) * sizeof *pc);
	memcpy(pb, pa, np * sizeof *pa);
	memcpy(pc, pa, np * sizeof *pa);
	qsort(pa, np, sizeof *pa, by_room);
	qsort(pb, np, sizeof *pb, by_centre);
	qsort(pc, np, sizeof *pc, by_value);
	/* each centre's slice of pb, and its sums */
	size_t *cfirst = kw_xcalloc(ncentres + 1, sizeof *cfirst);
	struct kw_xc_acc *cacc = kw_xcalloc(ncentres ? ncentres : 1, sizeof *cacc);
	struct kw_xc_acc all;
	int32_t mode = 0;
	size_t same = 0, distinct = 0;
	group_of(pc, np, &all, &mode, &same, &distinct);
	for (size_t i = 0, k = 0; !rc && k <= ncentres; k++) {
		cfirst[k] = i;
		while (k < ncentres && i < np && pb[i].centre == k)
			kw_xc_add(&cacc[k], pb[i++].v);
	}
	struct kw_xc_verdict v;
	for (size_t i = 0; !rc && i < np;) {
		size_t e = i;
		while (e < np && pa[e].room == pa[i].room)
			e++;
		const struct xroom *r = &rooms[pa[i].room];
		struct kw_xc_acc g, ref;
		group_of(pa + i, e - i, &g, &mode, &same, &distinct);
		uint32_t ci = r->cidx;
		kw_xc_minus(&cacc[ci], &g, &ref);
		const char *scope = "centre";
		size_t same_ref = 0;
		if (ref.n >= KW_XC_MIN_REF && kw_xc_var(&ref) > 0.0) {
			same_ref =
			        count_of(pb + cfirst[ci], cfirst[ci + 1] - cfirst[ci], mode) - same;
		} else {
			scope = "exam";
			kw_xc_minus(&all, &g, &ref);
			same_ref = count_of(pc, np, mode) - same;
		}
		kw_xc_judge(&g, &ref, same, same_ref, distinct, &v);
		verdict_findings(fs, "room", r, &g, &ref, scope, mode, same, &v);
		i = e;
	}
	for (size_t k = 0; !rc && ncentres > 1 && k < ncentres; k++) {
		struct kw_xc_acc g, ref;
		size_t n = cfirst[k + 1] - cfirst[k];
		if (!n)
			continue;
		group_of(pb + cfirst[k], n, &g, &mode, &same, &distinct);
		kw_xc_minus(&all, &g, &ref);
		kw_xc_judge(&g, &ref, same, count_of(pc, np, mode) - same, distinct, &v);
		const struct xroom *r = NULL;
		for (size_t q = 0; !r && q < nrooms; q++)
			if (rooms[q].cidx == k)
				r = &rooms[q];
		verdict_findings(fs, "centre", r, &g, &ref, "exam", mode, same, &v);
	}
	free(cfirst);
	free(cacc);
	free(pa);
	free(pb);
	free(pc);
	free(rooms);
	return rc;
}

/* Absentees per the exam day's closed room records (outcomes_load marked them) who have a
 * sheet or a script mark. */
static void recorded_absentees(const struct candset *cs, int marks, struct findings *fs)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct cand *x = &cs->v[i];
		if (x->absent && x->form >= 0)
			finding(fs, json_pack("{s:s, s:I, s:s}", "kind",
			                      "recorded_absent_with_sheet", "registration_id",
			                      (json_int_t)x->reg, "ticket_no", x->ticket));
		if (x->absent && marks && x->mark)
			finding(fs, json_pack("{s:s, s:I, s:s, s:o}", "kind",
			                      "recorded_absent_with_mark", "registration_id",
			                      (json_int_t)x->reg, "ticket_no", x->ticket,
			                      "subjective", points_json(x->subj)));
	}
}

int kw_scoring_crosscheck(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                          json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *rj = NULL;
	int rc = run_reach(c, s, id, &rj, err);
	struct target t;
	const char *code = rc ? NULL : json_string_value(json_object_get(rj, "subject"));
	if (!rc)
		rc = target_load(c, s, "score.run",
		                 json_integer_value(json_object_get(rj, "exam_id")), code, &t, err);
	/* the keys the run used, the master first */
	size_t nkeys = 0;
	struct kw_scoring_key *keys = NULL;
	if (!rc)
		rc = kw_scoring_keys_load(c, t.subject, json_object_get(rj, "keys"), 0, &keys,
		                          &nkeys, err);
	struct kw_score_compiled *comp[KW_SCORING_MAX_FORMS] = {0};
	for (size_t i = 0; !rc && i < nkeys; i++)
		comp[i] = kw_score_compile(&keys[i].key);
	struct findings fs = {json_array(), json_object(), 0};
	/* the marks as they are now, worked out again from every marker's mark */
	struct marks mk;
	memset(&mk, 0, sizeof mk);
	if (!rc)
		rc = marking_of(c, t.subject, &mk, err);
	mk.findings = &fs;
	int with_marks = mk.id != 0;
	struct candset cs;
	memset(&cs, 0, sizeof cs);
	char outcomes[65] = "", answers[65] = "";
	if (!rc)
		rc = cands_load(c, t.exam, t.code, &cs, err);
	if (!rc)
		rc = outcomes_load(c, t.exam, t.subject, t.code, &cs, outcomes, &fs, err);
	if (!rc)
		rc = sheets_score(c, t.subject, keys, comp, nkeys, &cs, 1, answers, err);
	if (!rc && with_marks)
		rc = marks_load(c, &mk, &cs, 1, err);
	/* line by line against the stored result */
	json_t *items = json_array();
	int64_t diffs = 0;
	size_t i = 0;
	struct kw_buf want = KW_BUF_INIT;
	kw_buf_init(&want, 0);
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"kaowu-scores-v1\n", 16);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT body FROM score_blocks WHERE run_id = $1 ORDER BY seq",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			const char *body = kw_stmt_column_text(st, 0, NULL);
			for (const char *p = body; p && *p;) {
				const char *e = strchr(p, '\n');
				size_t len = e ? (size_t)(e - p) : strlen(p);
				kw_buf_reset(&want);
				if (i < cs.n) {
					result_line(&want, &cs.v[i], keys, (int)nkeys, with_marks,
					            NULL);
					crypto_hash_sha256_update(
					        &h, (const unsigned char *)want.buf, want.len);
				}
				if (i >= cs.n || want.len != len + 1 ||
				    memcmp(want.buf, p, len) != 0) {
					diffs++;
					if (json_array_size(items) < 100)
						json_array_append_new(
						        items,
						        json_pack("{s:s%, s:s%}", "stored", p, len,
						                  "recomputed", want.buf,
						                  want.len ? want.len - 1 : 0));
				}
				i++;
				p = e ? e + 1 : NULL;
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	for (; !rc && i < cs.n; i++) { /* candidates the stored result lacks */
		kw_buf_reset(&want);
		result_line(&want, &cs.v[i], keys, (int)nkeys, with_marks, NULL);
		crypto_hash_sha256_update(&h, (const unsigned char *)want.buf, want.len);
		diffs++;
		if (json_array_size(items) < 100)
			json_array_append_new(items,
			                      json_pack("{s:n, s:s%}", "stored", "recomputed",
			                                want.buf, want.len - 1));
	}
	/* (b) absentees and their marks, (c) decisions that find nothing to act on, and the
	 * scored totals for (a) */
	int32_t *totals = kw_xcalloc(cs.n ? cs.n : 1, sizeof *totals);
	uint8_t *scored = kw_xcalloc(cs.n ? cs.n : 1, 1);
	for (size_t q = 0; !rc && q < cs.n; q++) {
		const struct cand *x = &cs.v[q];
		struct lineval v;
		line_eval(x, (int)nkeys, with_marks, &v);
		if (with_marks && nkeys && x->form < 0 && x->mark && !x->absent)
			finding(&fs, json_pack("{s:s, s:I, s:s, s:o}", "kind", "mark_without_sheet",
			                       "registration_id", (json_int_t)x->reg, "ticket_no",
			                       x->ticket, "subjective", points_json(x->subj)));
		if (with_marks && nkeys && x->form >= 0 && !x->mark && !x->absent)
			finding(&fs, json_pack("{s:s, s:I, s:s, s:o}", "kind", "sheet_without_mark",
			                       "registration_id", (json_int_t)x->reg, "ticket_no",
			                       x->ticket, "objective", points_json(x->raw)));
		if (x->outcome == OUT_ZERO && !v.present)
			finding(&fs, json_pack("{s:s, s:I, s:s, s:I}", "kind", "decision_on_absent",
			                       "registration_id", (json_int_t)x->reg, "ticket_no",
			                       x->ticket, "case_id", (json_int_t)x->case_id));
		totals[q] = v.final;
		scored[q] = strcmp(v.status, "scored") == 0;
	}
	if (!rc)
		recorded_absentees(&cs, with_marks, &fs);
	if (!rc)
		rc = distribution_findings(c, t.exam, &cs, totals, scored, &fs, err);
	free(totals);
	free(scored);
	kw_pool_put(app->pool, c);
	unsigned char d[crypto_hash_sha256_BYTES];
	char result[65];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(result, sizeof result, d, sizeof d);
	if (!rc) {
		*out = json_pack(
		        "{s:I, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:s}", "run_id", (json_int_t)id,
		        "subject", t.code, "candidates", (json_int_t)cs.n, "differences",
		        (json_int_t)diffs, "items", items, "answers_digest",
		        digest_pair(json_string_value(json_object_get(rj, "answers_digest")),
		                    answers),
		        "outcomes_digest",
		        digest_pair(json_string_value(json_object_get(rj, "outcomes_digest")),
		                    outcomes),
		        "result_digest",
		        digest_pair(json_string_value(json_object_get(rj, "result_digest")),
		                    result),
		        "status", diffs ? "differences" : "clean");
		json_object_set_new(
		        *out, "marks_digest",
		        marks_pair(json_string_value(json_object_get(rj, "marks_digest")),
		                   with_marks ? mk.digest : NULL));
		json_object_set_new(*out, "findings",
		                    json_pack("{s:I, s:O, s:O}", "count", (json_int_t)fs.n, "kinds",
		                              fs.kinds, "items", fs.items));
	} else {
		json_decref(items);
	}
	json_decref(fs.items);
	json_decref(fs.kinds);
	kw_buf_release(&want);
	for (size_t q = 0; q < nkeys; q++)
		kw_score_compiled_free(comp[q]);
	free(keys);
	free(cs.v);
	free(cs.index);
	json_decref(rj);
	return rc;
}
