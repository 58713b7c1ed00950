/* Violation cases (VIO-0 … VIO-9, INF-5(5), INF-5(6)): see cases.h. */
#include "app/cases.h"

#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/archive.h"
#include "app/audit.h"
#include "app/authz.h"
#include "app/records.h"
#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/idno.h"
#include "core/sanction.h"
#include "render/letter.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define CASE_FILES_MAX 40

static int64_t col_id(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? 0 : kw_stmt_column_int64(s, i);
}

/* ---- the catalogues, embedded, checked once ---- */

static json_t *cats[2];
static pthread_once_t cats_once = PTHREAD_ONCE_INIT;

static void cats_load(void)
{
	static const char *const ids[] = {KW_CATALOGUE_VH, KW_CATALOGUE_ORDER31};
	for (int i = 0; i < 2; i++) {
		json_t *j = NULL;
		struct kw_err err = KW_ERR_INIT;
		if (kw_catalogue_load(ids[i], &j, &err) == 0 && kw_catalogue_validate(j, &err) == 0)
			cats[i] = j;
		else
			json_decref(j);
		kw_err_release(&err);
	}
}

static const json_t *catalogue(const char *id)
{
	pthread_once(&cats_once, cats_load);
	if (id && strcmp(id, KW_CATALOGUE_VH) == 0)
		return cats[0];
	if (id && strcmp(id, KW_CATALOGUE_ORDER31) == 0)
		return cats[1];
	return NULL;
}

/* The catalogues' name for an exam kind of the exam register (kinds.c): the register says
 * civil_service, qualification, public_institution. */
static const char *catalogue_kind(const char *exam_kind)
{
	if (exam_kind && strcmp(exam_kind, "civil_service") == 0)
		return "civil_service_recruitment";
	if (exam_kind && strcmp(exam_kind, "qualification") == 0)
		return "professional_qualification";
	if (exam_kind && strcmp(exam_kind, "public_institution") == 0)
		return "public_institution_recruitment";
	return exam_kind;
}

/* ---- small things ---- */

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

static int invalid(struct kw_err *err, json_t *fields)
{
	kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the request has errors");
	kw_err_detail(err, "fields", fields);
	return err->rc;
}

static int one_of(const char *v, const char *const *list)
{
	for (int i = 0; v && list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

/* The China Standard Time day of an instant, as a number and as YYYY-MM-DD. */
static void cst_day(int64_t us, int32_t *day, char out[11])
{
	int32_t d = 0;
	kw_cal_cst_day(us / 1000000, &d, NULL);
	if (day)
		*day = d;
	if (out)
		kw_cal_date_format(d, out);
}

static int parse_day(const char *s, int32_t *day)
{
	return s && *s ? kw_cal_date_parse(s, strlen(s), day, NULL) : -1;
}

/* ---- a case as the services read it ---- */

struct kcase {
	int64_t id, exam, unit, exam_unit, reg, cand, recruiter, decider_unit, notice_file, linked;
	int waived, has_defence, reviewed, nsign, nevidence;
	char status[16], party[16], catalogue[16], catalogue_version[16], stage[32], entry[48],
	        subject[64];
	char exam_name[256], exam_kind[48], exam_code[64], person_name[256], id_type[32];
	char id_number[40], notice_receipt[11], defence_due[11], decision_date[11];
	char receipt_date[11], decision_number[96], penalty[64], updated_at[32];
	char *facts;
};

static void kcase_free(struct kcase *k)
{
	free(k->facts);
	k->facts = NULL;
}

static const char case_sel[] =
        "SELECT k.id, k.exam_id, k.unit_id, k.registration_id, k.candidate_id, "
        "(SELECT p.recruiter_id FROM registrations r JOIN positions p ON p.id = r.position_id "
        "WHERE r.id = k.registration_id), k.decider_unit_id, k.defence_waived, "
        "k.defence_text, k.defence_reviewed_at, (SELECT COUNT(*) FROM case_signatures g WHERE "
        "g.case_id = k.id), (SELECT COUNT(*) FROM case_files f WHERE f.case_id = k.id AND "
        "f.kind = 'evidence'), k.status, k.catalogue, k.catalogue_version, k.stage, "
        "k.entry_id, k.subject, e.name, e.kind, e.code, k.person_name, k.id_type, "
        "k.id_number, k.notice_receipt_date, k.defence_due, k.decision_date, k.receipt_date, "
        "k.decision_number, k.penalty, k.updated_at, k.facts, e.unit_id, k.party, "
        "k.linked_case_id FROM cases k JOIN exams e ON e.id = k.exam_id WHERE k.id = $1";

static int kcase_load(struct kw_conn *c, int64_t id, struct kcase *k, struct kw_err *err)
{
	memset(k, 0, sizeof *k);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, case_sel, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			k->id = kw_stmt_column_int64(s, 0);
			k->exam = kw_stmt_column_int64(s, 1);
			k->unit = kw_stmt_column_int64(s, 2);
			k->reg = col_id(s, 3);
			k->cand = col_id(s, 4);
			k->recruiter = col_id(s, 5);
			k->decider_unit = col_id(s, 6);
			k->waived = col_id(s, 7) != 0;
			k->has_defence = !kw_stmt_column_is_null(s, 8);
			k->reviewed = !kw_stmt_column_is_null(s, 9);
			k->nsign = (int)kw_stmt_column_int64(s, 10);
			k->nevidence = (int)kw_stmt_column_int64(s, 11);
			kw_stmt_column_copy(s, 12, k->status, sizeof k->status);
			kw_stmt_column_copy(s, 13, k->catalogue, sizeof k->catalogue);
			kw_stmt_column_copy(s, 14, k->catalogue_version,
			                    sizeof k->catalogue_version);
			kw_stmt_column_copy(s, 15, k->stage, sizeof k->stage);
			kw_stmt_column_copy(s, 16, k->entry, sizeof k->entry);
			kw_stmt_column_copy(s, 17, k->subject, sizeof k->subject);
			kw_stmt_column_copy(s, 18, k->exam_name, sizeof k->exam_name);
			kw_stmt_column_copy(s, 19, k->exam_kind, sizeof k->exam_kind);
			kw_stmt_column_copy(s, 20, k->exam_code, sizeof k->exam_code);
			kw_stmt_column_copy(s, 21, k->person_name, sizeof k->person_name);
			kw_stmt_column_copy(s, 22, k->id_type, sizeof k->id_type);
			kw_stmt_column_copy(s, 23, k->id_number, sizeof k->id_number);
			kw_stmt_column_copy(s, 24, k->notice_receipt, sizeof k->notice_receipt);
			kw_stmt_column_copy(s, 25, k->defence_due, sizeof k->defence_due);
			kw_stmt_column_copy(s, 26, k->decision_date, sizeof k->decision_date);
			kw_stmt_column_copy(s, 27, k->receipt_date, sizeof k->receipt_date);
			kw_stmt_column_copy(s, 28, k->decision_number, sizeof k->decision_number);
			kw_stmt_column_copy(s, 29, k->penalty, sizeof k->penalty);
			kw_stmt_column_copy(s, 30, k->updated_at, sizeof k->updated_at);
			k->facts = strdup(kw_stmt_column_text(s, 31, NULL));
			k->exam_unit = kw_stmt_column_int64(s, 32);
			kw_stmt_column_copy(s, 33, k->party, sizeof k->party);
			k->linked = col_id(s, 34);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such case");
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Does s hold action at one of the case's units: where it happened (the exam area), the
 * exam's organiser, the recruiter of the position? */
static int kcase_allows(struct kw_conn *c, const struct kw_session_info *s, const struct kcase *k,
                        const char *action)
{
	int64_t units[3] = {k->unit, k->exam_unit, k->recruiter};
	for (int i = 0; i < 3; i++) {
		if (!units[i] || (i && units[i] == units[0]))
			continue;
		struct kw_err e2 = KW_ERR_INIT;
		int ok = kw_authz_check(c, s, action, units[i], &e2) == 0;
		kw_err_release(&e2);
		if (ok)
			return 1;
	}
	return 0;
}

/* May s do action on k: the candidate their own case (for the candidate's actions), staff
 * at one of its units. Unreachable reads as absent; reachable but not this step, 403. */
static int kcase_reach(struct kw_conn *c, const struct kw_session_info *s, const struct kcase *k,
                       const char *action, struct kw_err *err)
{
	int ok = 0;
	if (s->candidate_id) {
		ok = s->candidate_id == k->cand && strcmp(k->status, "open") != 0 &&
		     strcmp(k->status, "dropped") != 0 &&
		     (strcmp(action, "case.read") == 0 || strcmp(action, "case.defend") == 0);
	} else {
		ok = kcase_allows(c, s, k, action);
		if (!ok && strcmp(action, "case.read") != 0 && kcase_allows(c, s, k, "case.read"))
			return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
			                  "your role does not allow this step of a case");
	}
	return ok ? 0 : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such case");
}

static int state(struct kw_err *err, const struct kcase *k, const char *wanted)
{
	kw_err_set(err, KW_ECONFLICT, "CASE_STATE", "VIO-8",
	           "this step cannot be taken on a case that is %s", k->status);
	kw_err_detail(err, "status", json_string(k->status));
	kw_err_detail(err, "expected", json_string(wanted));
	return err->rc;
}

/* ---- the writes every step shares ---- */

/* Is there a row for sql ($1 = a, $2 = b)? */
static int exists2(struct kw_conn *c, const char *sql, int64_t a, int64_t b, int *yes,
                   struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*yes = 0;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, a);
		if (strstr(sql, "$2"))
			kw_stmt_bind_int64(s, 2, b);
		rc = kw_stmt_step(s, err);
		*yes = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static json_t *case_detail(int64_t case_id)
{
	return json_pack("{s:I}", "case_id", (json_int_t)case_id);
}

static int event(struct kw_tx *tx, int64_t case_id, const char *kind, int64_t user, int64_t cand,
                 json_t *details, struct kw_err *err)
{
	char now[32], action[48];
	kw_clock_format(tx->now_us, now);
	snprintf(action, sizeof action, "case.%s", kind);
	if (!details)
		details = json_object();
	char *d = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
	int rc =
	        kw_audit_put(tx, err, "case_events", action, case_detail(case_id), NULL,
	                     "INSERT INTO case_events (case_id, kind, actor_user, actor_candidate, "
	                     "details, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
	                     "itnntt", case_id, kind, user, cand, d, now);
	free(d);
	json_decref(details);
	return rc;
}

/* Stores a document's bytes as a file of the case: *id the file's id. */
static int file_put(struct kw_tx *tx, int64_t case_id, const char *kind, const char *label,
                    const char *media_type, const void *data, size_t n, const char *sha,
                    int64_t user, int64_t cand, int64_t *id, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = kw_files_blob_put(tx->conn, sha, data, n, now, err);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "case_files", "case.file",
		        json_pack("{s:I, s:s}", "case_id", (json_int_t)case_id, "kind", kind), id,
		        "INSERT INTO case_files (case_id, kind, label, media_type, size, sha256, "
		        "uploaded_by, uploaded_by_candidate, created_at) VALUES ($1, $2, $3, $4, "
		        "$5, $6, $7, $8, $9)",
		        "itttitnnt", case_id, kind, label, media_type, (int64_t)n, sha, user, cand,
		        now);
	return rc;
}

static int message(struct kw_tx *tx, int64_t cand, int64_t case_id, const char *kind,
                   const char *title, const char *body, struct kw_err *err)
{
	if (!cand)
		return 0;
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(
	        tx, err, "candidate_messages", "candidate.message", NULL, NULL,
	        "INSERT INTO candidate_messages (candidate_id, kind, case_id, title, body, "
	        "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
	        "itittt", cand, kind, case_id, title, body, now);
}

/*
 * Runs the audited UPDATE of case k (SET clause set, binds from $3 on by bind()) only while
 * the case is still as it was read (its updated_at): another step in between is a conflict.
 */
typedef void (*bind_fn)(struct kw_stmt *s, void *arg);
static int case_update(struct kw_tx *tx, const struct kcase *k, const char *action, const char *set,
                       bind_fn bind, void *arg, json_t *detail, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(tx->conn, "cases", &s, err,
	                          "UPDATE cases SET %s, updated_at = $1 WHERE id = $2 AND "
	                          "updated_at = $3",
	                          set);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, now);
		kw_stmt_bind_int64(s, 2, k->id);
		kw_stmt_bind_textz(s, 3, k->updated_at);
		if (bind)
			bind(s, arg);
		rc = kw_audit_step(tx, action, "cases", s, detail, err);
		detail = NULL;
		if (rc == 1)
			rc = kw_err_set(err, KW_ECONFLICT, "CASE_CHANGED", NULL,
			                "the case changed meanwhile: reload it and try again");
	}
	json_decref(detail);
	kw_stmt_finalize(s);
	return rc;
}

/* ---- the case as the API shows it ---- */

struct colspec {
	const char *name;
	char type; /* 'i' integer, 't' text, 'b' 0/1 as boolean */
};

static json_t *row_object(struct kw_stmt *s, const struct colspec *cols, int n)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++) {
		json_t *v;
		if (kw_stmt_column_is_null(s, i))
			v = json_null();
		else if (cols[i].type == 'i')
			v = json_integer(kw_stmt_column_int64(s, i));
		else if (cols[i].type == 'b')
			v = json_boolean(kw_stmt_column_int64(s, i) != 0);
		else
			v = json_string(kw_stmt_column_text(s, i, NULL));
		json_object_set_new(o, cols[i].name, v);
	}
	return o;
}

static int rows_of(struct kw_conn *c, const char *sql, int64_t a, const struct colspec *cols, int n,
                   json_t *items, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, a);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW)
			json_array_append_new(items, row_object(s, cols, n));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A case as the API shows it: every column of the table (audit.c lists them once), then
 * what the joins add. */
static struct colspec case_cols[80];
static int ncase_cols, ncase_table_cols;
static pthread_once_t case_cols_once = PTHREAD_ONCE_INIT;

static void case_cols_build(void)
{
	static const struct colspec extra[] = {
	        {"exam_name", 't'},         {"exam_code", 't'},    {"unit_name", 't'},
	        {"decider_unit_name", 't'}, {"exam_unit_id", 'i'},
	};
	const char *name;
	char type;
	int n = 0;
	while (n < N(case_cols) - N(extra) && (name = kw_audit_column("cases", n, &type))) {
		case_cols[n] =
		        (struct colspec){name, strcmp(name, "defence_waived") == 0 ? 'b' : type};
		n++;
	}
	ncase_table_cols = n;
	for (int i = 0; i < N(extra); i++)
		case_cols[n++] = extra[i];
	ncase_cols = n;
}

static void case_select(struct kw_buf *b)
{
	pthread_once(&case_cols_once, case_cols_build);
	kw_buf_adds(b, "SELECT ");
	for (int i = 0; i < ncase_table_cols; i++)
		kw_buf_addf(b, "k.%s, ", case_cols[i].name);
	kw_buf_adds(
	        b,
	        "e.name, e.code, u.name, (SELECT d.name FROM units d WHERE d.id = "
	        "k.decider_unit_id), e.unit_id FROM cases k JOIN exams e ON e.id = k.exam_id JOIN "
	        "units u ON u.id = k.unit_id ");
}

/* Masks an identity number for lists: 340104********1234. */
static void mask_id(json_t *o)
{
	const char *v = json_string_value(json_object_get(o, "id_number"));
	if (!v)
		return;
	size_t n = strlen(v);
	char m[48];
	snprintf(m, sizeof m, "%s", v);
	for (size_t i = n > 10 ? 6 : 1; i + 4 < n && i < sizeof m - 1; i++)
		m[i] = '*';
	json_object_set_new(o, "id_number", json_string(m));
}

static void add_entry(json_t *o)
{
	const json_t *cat = catalogue(json_string_value(json_object_get(o, "catalogue")));
	const char *eid = json_string_value(json_object_get(o, "entry_id"));
	const json_t *e = cat && eid ? kw_catalogue_entry(cat, eid) : NULL;
	if (!e)
		return;
	char *cit = kw_sanction_citation_zh(cat, e);
	json_t *pen = json_object_get(json_object_get(cat, "penalties"),
	                              json_string_value(json_object_get(e, "penalty")));
	json_object_set_new(
	        o, "entry",
	        json_pack("{s:O, s:O, s:O, s:O?, s:s?, s:O, s:O, s:O?, s:O?, s:O}", "id",
	                  json_object_get(e, "id"), "article", json_object_get(e, "article"),
	                  "clause", json_object_get(e, "clause"), "item",
	                  json_object_get(e, "item"), "citation_zh", cit, "zh",
	                  json_object_get(e, "zh"), "penalty", json_object_get(e, "penalty"),
	                  "penalty_zh", json_object_get(pen, "zh"), "penalty_en",
	                  json_object_get(pen, "en"), "deciders", json_object_get(e, "deciders")));
	free(cit);
}

static void add_provisional(json_t *o);

static int case_json(struct kw_conn *c, const struct kw_session_info *s, int64_t id, json_t **out,
                     struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	case_select(&b);
	kw_buf_adds(&b, "WHERE k.id = $1");
	json_t *items = json_array();
	int rc = rows_of(c, b.buf, id, case_cols, ncase_cols, items, err);
	free(b.buf);
	json_t *o = json_incref(json_array_get(items, 0));
	json_decref(items);
	if (!rc && !o)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such case");
	if (rc) {
		json_decref(o);
		return rc;
	}
	add_entry(o);
	add_provisional(o);
	static const struct colspec file_cols[] = {
	        {"id", 'i'},   {"kind", 't'},   {"label", 't'},       {"media_type", 't'},
	        {"size", 'i'}, {"sha256", 't'}, {"uploaded_by", 'i'}, {"created_at", 't'},
	};
	json_t *files = json_array(), *sig = json_array(), *ev = json_array(), *eff = json_array(),
	       *chg = json_array(), *app = json_array();
	rc = rows_of(c,
	             "SELECT id, kind, label, media_type, size, sha256, uploaded_by, created_at "
	             "FROM case_files WHERE case_id = $1 ORDER BY id",
	             id, file_cols, N(file_cols), files, err);
	size_t i;
	json_t *v;
	json_array_foreach(files, i, v)
	{
		char url[96];
		snprintf(url, sizeof url, "/api/v1/cases/%lld/files/%lld", (long long)id,
		         (long long)json_integer_value(json_object_get(v, "id")));
		json_object_set_new(v, "url", json_string(url));
	}
	static const struct colspec sig_cols[] = {
	        {"user_id", 'i'}, {"name", 't'}, {"role_note", 't'}, {"signed_at", 't'}};
	if (!rc)
		rc = rows_of(
		        c,
		        "SELECT g.user_id, u.display_name, g.role_note, g.signed_at FROM "
		        "case_signatures g JOIN users u ON u.id = g.user_id WHERE g.case_id = $1 "
		        "ORDER BY g.id",
		        id, sig_cols, N(sig_cols), sig, err);
	static const struct colspec ev_cols[] = {{"id", 'i'},
	                                         {"kind", 't'},
	                                         {"actor_user", 'i'},
	                                         {"actor_name", 't'},
	                                         {"actor_candidate", 'i'},
	                                         {"details", 't'},
	                                         {"created_at", 't'}};
	if (!rc)
		rc = rows_of(
		        c,
		        "SELECT v.id, v.kind, v.actor_user, (SELECT u.display_name FROM users u "
		        "WHERE u.id = v.actor_user), v.actor_candidate, v.details, v.created_at "
		        "FROM case_events v WHERE v.case_id = $1 ORDER BY v.id",
		        id, ev_cols, N(ev_cols), ev, err);
	json_array_foreach(ev, i, v)
	{
		json_t *d = json_loads(json_string_value(json_object_get(v, "details")), 0, NULL);
		json_object_set_new(v, "details", d ? d : json_object());
	}
	static const struct colspec eff_cols[] = {{"id", 'i'},
	                                          {"kind", 't'},
	                                          {"registration_id", 'i'},
	                                          {"subject", 't'},
	                                          {"archive_entry_id", 'i'},
	                                          {"applied_at", 't'},
	                                          {"reversed_at", 't'}};
	if (!rc)
		rc = rows_of(
		        c,
		        "SELECT id, kind, registration_id, subject, archive_entry_id, applied_at, "
		        "reversed_at FROM case_effects WHERE case_id = $1 ORDER BY id",
		        id, eff_cols, N(eff_cols), eff, err);
	static const struct colspec chg_cols[] = {{"id", 'i'},         {"kind", 't'},
	                                          {"grounds", 't'},    {"evidence_files", 't'},
	                                          {"status", 't'},     {"maker_id", 'i'},
	                                          {"checker_id", 'i'}, {"checker_reason", 't'},
	                                          {"created_at", 't'}, {"decided_at", 't'}};
	if (!rc)
		rc = rows_of(
		        c,
		        "SELECT id, kind, grounds, evidence_files, status, maker_id, checker_id, "
		        "checker_reason, created_at, decided_at FROM case_changes WHERE case_id "
		        "= $1 ORDER BY id",
		        id, chg_cols, N(chg_cols), chg, err);
	json_array_foreach(chg, i, v)
	{
		json_t *d = json_loads(json_string_value(json_object_get(v, "evidence_files")), 0,
		                       NULL);
		json_object_set_new(v, "evidence_files", d ? d : json_array());
	}
	static const struct colspec app_cols[] = {
	        {"id", 'i'},      {"kind", 't'},         {"filed_on", 't'}, {"body", 't'},
	        {"outcome", 't'}, {"outcome_date", 't'}, {"note", 't'}};
	if (!rc)
		rc = rows_of(c,
		             "SELECT id, kind, filed_on, body, outcome, outcome_date, note FROM "
		             "case_appeals WHERE case_id = $1 ORDER BY id",
		             id, app_cols, N(app_cols), app, err);
	if (rc) {
		json_decref(o);
		json_decref(files);
		json_decref(sig);
		json_decref(ev);
		json_decref(eff);
		json_decref(chg);
		json_decref(app);
		return rc;
	}
	if (s && s->candidate_id) {
		/* the candidate's view: their case, the notice, the letter, their own defence */
		static const char *const hide[] = {
		        "unit_id",    "defence_review", "defence_reviewed_by",
		        "decided_by", "created_by",     "actions_taken",
		        "source",     "source_ref",     NULL};
		for (int h = 0; hide[h]; h++)
			json_object_del(o, hide[h]);
		json_t *mine = json_array();
		json_array_foreach(files, i, v)
		{
			const char *k = json_string_value(json_object_get(v, "kind"));
			if (strcmp(k, "notice") == 0 || strcmp(k, "letter") == 0 ||
			    strcmp(k, "defence") == 0)
				json_array_append(mine, v);
		}
		json_decref(files);
		files = mine;
		json_decref(sig);
		json_decref(ev);
		json_decref(chg);
		sig = ev = chg = NULL;
	}
	json_object_set_new(o, "files", files);
	if (sig)
		json_object_set_new(o, "signatures", sig);
	if (ev)
		json_object_set_new(o, "events", ev);
	if (chg)
		json_object_set_new(o, "changes", chg);
	json_object_set_new(o, "effects", eff);
	json_object_set_new(o, "appeals", app);
	if (!(s && s->candidate_id)) {
		/* VIO-11: the referrals and their replies; the cases linked either way */
		static const struct colspec ref_cols[] = {
		        {"id", 'i'},          {"kind", 't'},      {"authority", 't'},
		        {"referred_on", 't'}, {"reply_due", 't'}, {"note", 't'},
		        {"replied_on", 't'},  {"reply", 't'},     {"created_at", 't'}};
		static const struct colspec link_cols[] = {
		        {"id", 'i'},      {"party", 't'},         {"person_name", 't'},
		        {"status", 't'},  {"outsider_role", 't'}, {"decision_number", 't'},
		        {"penalty", 't'}, {"entry_id", 't'}};
		json_t *refs = json_array(), *linked = json_array(), *outs = json_array();
		int r2 =
		        rows_of(c,
		                "SELECT id, kind, authority, referred_on, reply_due, note, "
		                "replied_on, reply, created_at FROM case_referrals WHERE case_id = "
		                "$1 ORDER BY id",
		                id, ref_cols, N(ref_cols), refs, err);
		if (!r2)
			r2 = rows_of(
			        c,
			        "SELECT l.id, l.party, l.person_name, l.status, l.outsider_role, "
			        "l.decision_number, l.penalty, l.entry_id FROM cases k JOIN cases "
			        "l "
			        "ON l.id = k.linked_case_id WHERE k.id = $1",
			        id, link_cols, N(link_cols), linked, err);
		if (!r2)
			r2 = rows_of(c,
			             "SELECT id, party, person_name, status, outsider_role, "
			             "decision_number, penalty, entry_id FROM cases WHERE "
			             "linked_case_id = $1 ORDER BY id",
			             id, link_cols, N(link_cols), outs, err);
		if (r2) {
			json_decref(refs);
			json_decref(linked);
			json_decref(outs);
			json_decref(o);
			return r2;
		}
		json_object_set_new(o, "referrals", refs);
		json_object_set(o, "linked_case",
		                json_array_size(linked) ? json_array_get(linked, 0) : json_null());
		json_decref(linked);
		json_object_set_new(o, "outsider_cases", outs);
	}
	/* what the procedure asks next */
	const json_t *cat = catalogue(json_string_value(json_object_get(o, "catalogue")));
	json_t *proc = json_object_get(cat, "procedure");
	json_t *min = json_object_get(proc, "evidence_signatures_min");
	json_object_set_new(o, "signatures_required",
	                    json_integer(json_is_integer(min) ? json_integer_value(min) : 2));
	*out = o;
	return 0;
}

/* ---- opening ---- */

struct open_job {
	int64_t exam, unit, reg, cand, user;
	const char *catalogue, *version;
	const json_t *body;
	char name[256], id_type[32], id_number[40], subject[64];
	int64_t id;
};

static const char *jstr(const json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

static void bind_opt(struct kw_stmt *s, int i, const char *v)
{
	if (v && *v)
		kw_stmt_bind_textz(s, i, v);
	else
		kw_stmt_bind_null(s, i);
}

static int open_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct open_job *j = arg;
	char now[32], occurred[32];
	kw_clock_format(tx->now_us, now);
	int64_t us = 0;
	kw_clock_parse(jstr(j->body, "occurred_at"), &us);
	kw_clock_format(us, occurred);
	const json_t *b = j->body;
	int rc = kw_audit_put(
	        tx, err, "cases", "case.open",
	        json_pack("{s:I, s:s}", "registration_id", (json_int_t)j->reg, "catalogue",
	                  j->catalogue),
	        &j->id,
	        "INSERT INTO cases (exam_id, unit_id, party, registration_id, candidate_id, "
	        "person_name, id_type, id_number, source, source_ref, catalogue, "
	        "catalogue_version, stage, subject, entry_id, facts, occurred_at, place, "
	        "actions_taken, status, created_by, created_at, updated_at) VALUES ($1, $2, "
	        "'candidate', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
	        "$18, 'open', $19, $20, $20)",
	        "iiiittttttttttttttit", j->exam, j->unit, j->reg, j->cand, j->name, j->id_type,
	        j->id_number, jstr(b, "source"), jstr(b, "source_ref"), j->catalogue, j->version,
	        jstr(b, "stage"), j->subject[0] ? j->subject : NULL, jstr(b, "entry_id"),
	        jstr(b, "facts"), occurred, jstr(b, "place"), jstr(b, "actions_taken"), j->user,
	        now);
	if (!rc)
		rc = event(tx, j->id, "open", j->user, 0,
		           json_pack("{s:s, s:s?}", "source", jstr(j->body, "source"), "source_ref",
		                     jstr(j->body, "source_ref")),
		           err);
	return rc;
}

/*
 * The subject a case names, as its code: an exam with subjects takes one of their codes or
 * names (scoring applies a decision to the subject by its code); an exam without subjects
 * (a civil-service written exam described by name) keeps the words as given.
 */
static int subject_resolve(struct kw_conn *c, int64_t exam, const char *given, char out[64],
                           struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int64_t any = 0;
	out[0] = '\0';
	int rc = kw_conn_prepare(c,
	                         "SELECT code, CASE WHEN code = $2 OR name = $2 THEN 1 ELSE 0 END "
	                         "FROM subjects WHERE exam_id = $1 ORDER BY 2 DESC, code",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_textz(s, 2, given);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			any = 1;
			if (kw_stmt_column_int64(s, 1))
				kw_stmt_column_copy(s, 0, out, 64);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !any)
		snprintf(out, 64, "%s", given);
	if (!rc && !out[0]) {
		json_t *fields = json_array();
		problem(fields, "subject", "unknown_subject");
		rc = invalid(err, fields);
	}
	return rc;
}

/* The registration a case is about, with its exam. */
struct regtarget {
	int64_t reg, exam, unit /* the exam area, else the exam's unit */, cand, exam_unit;
	char exam_kind[48], name[256], id_type[32], id_number[40], subjects[512];
};

static int regtarget_load(struct kw_conn *c, int64_t reg, struct regtarget *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT r.id, r.exam_id, COALESCE(r.area_id, e.unit_id), "
	        "r.candidate_id, e.kind, "
	        "d.name, d.id_type, d.id_number, r.subjects, e.unit_id FROM registrations r "
	        "JOIN exams e ON e.id = r.exam_id JOIN candidates d ON d.id = "
	        "r.candidate_id WHERE r.id = $1",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			t->reg = kw_stmt_column_int64(s, 0);
			t->exam = kw_stmt_column_int64(s, 1);
			t->unit = kw_stmt_column_int64(s, 2);
			t->cand = kw_stmt_column_int64(s, 3);
			kw_stmt_column_copy(s, 4, t->exam_kind, sizeof t->exam_kind);
			kw_stmt_column_copy(s, 5, t->name, sizeof t->name);
			kw_stmt_column_copy(s, 6, t->id_type, sizeof t->id_type);
			kw_stmt_column_copy(s, 7, t->id_number, sizeof t->id_number);
			kw_stmt_column_copy(s, 8, t->subjects, sizeof t->subjects);
			t->exam_unit = kw_stmt_column_int64(s, 9);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* ---- an outsider's case (VIO-11, VH 23): no registration, no penalty, ended by referral ---- */

static const char *const outsider_roles[] = {"stand_in", "outside_help", "organiser", "other",
                                             NULL};

struct outsider_job {
	int64_t exam, unit, user, linked;
	const char *catalogue, *version;
	const json_t *body;
	char subject[64], id_type[32], id_number[40];
	int64_t id;
};

static int outsider_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct outsider_job *j = arg;
	char now[32], occurred[32];
	kw_clock_format(tx->now_us, now);
	int64_t us = 0;
	kw_clock_parse(jstr(j->body, "occurred_at"), &us);
	kw_clock_format(us, occurred);
	const json_t *b = j->body;
	int rc = kw_audit_put(
	        tx, err, "cases", "case.open",
	        json_pack("{s:s, s:s, s:I}", "party", "outsider", "catalogue", j->catalogue,
	                  "linked_case_id", (json_int_t)j->linked),
	        &j->id,
	        "INSERT INTO cases (exam_id, unit_id, party, person_name, id_type, id_number, "
	        "source, source_ref, catalogue, catalogue_version, stage, subject, facts, "
	        "occurred_at, place, actions_taken, status, created_by, created_at, updated_at, "
	        "outsider_role, linked_case_id) VALUES ($1, $2, 'outsider', $3, $4, $5, $6, $7, "
	        "$8, $9, $10, $11, $12, $13, $14, $15, 'open', $16, $17, $17, $18, $19)",
	        "iitttttttttttttittn", j->exam, j->unit, jstr(b, "person_name"),
	        j->id_number[0] ? j->id_type : NULL, j->id_number[0] ? j->id_number : NULL,
	        jstr(b, "source"), jstr(b, "source_ref"), j->catalogue, j->version,
	        jstr(b, "stage"), j->subject[0] ? j->subject : NULL, jstr(b, "facts"), occurred,
	        jstr(b, "place"), jstr(b, "actions_taken"), j->user, now, jstr(b, "outsider_role"),
	        j->linked);
	if (!rc)
		rc = event(tx, j->id, "open", j->user, 0,
		           json_pack("{s:s, s:s, s:s?, s:I}", "party", "outsider", "source",
		                     jstr(b, "source"), "source_ref", jstr(b, "source_ref"),
		                     "linked_case_id", (json_int_t)j->linked),
		           err);
	if (!rc && j->linked)
		rc = event(tx, j->linked, "outsider_linked", j->user, 0,
		           json_pack("{s:I}", "outsider_case_id", (json_int_t)j->id), err);
	return rc;
}

/* The exam an outsider's case is about: its organiser and kind. */
static int exam_row(struct kw_conn *c, int64_t id, int64_t *unit, char kind[48], struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*unit = 0;
	int rc = kw_conn_prepare(c, "SELECT unit_id, kind FROM exams WHERE id = $1", &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*unit = kw_stmt_column_int64(s, 0);
			kw_stmt_column_copy(s, 1, kind, 48);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static int case_open_outsider(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, const json_t *body, json_t **out,
                              struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("party", 16, KW_JREQUIRED),
	        {"exam_id", KW_JINTEGER, KW_JREQUIRED, 0, 0},
	        {"unit_id", KW_JINTEGER, 0, 0, 0},
	        KW_JSTR("person_name", 100, KW_JREQUIRED),
	        KW_JSTR("id_type", 20, 0),
	        KW_JSTR("id_number", 40, 0),
	        KW_JSTR("outsider_role", 20, KW_JREQUIRED),
	        {"linked_case_id", KW_JINTEGER, 0, 0, 0},
	        KW_JSTR("source", 20, KW_JREQUIRED),
	        KW_JSTR("source_ref", 100, 0),
	        KW_JSTR("stage", 32, KW_JREQUIRED),
	        KW_JSTR("subject", 60, 0),
	        KW_JSTR("facts", 2000, KW_JREQUIRED),
	        KW_JSTR("occurred_at", 40, KW_JREQUIRED),
	        KW_JSTR("place", 200, 0),
	        KW_JSTR("actions_taken", 2000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	static const char *const sources[] = {"room_record", "marking_anomaly", "review_finding",
	                                      "report",      "screening",       NULL};
	struct outsider_job j = {.user = s->user.id, .body = body};
	json_t *fields = json_array();
	if (!one_of(jstr(body, "source"), sources))
		problem(fields, "source", "not_allowed");
	if (!one_of(jstr(body, "outsider_role"), outsider_roles))
		problem(fields, "outsider_role", "not_allowed");
	int64_t when = 0;
	if (kw_clock_parse(jstr(body, "occurred_at"), &when) != 0)
		problem(fields, "occurred_at", "time_format");
	else if (when > kw_clock_now_us() + INT64_C(300000000))
		problem(fields, "occurred_at", "future");
	const char *stage = jstr(body, "stage");
	if (!kw_sanction_stage_zh(stage))
		problem(fields, "stage", "not_allowed");
	const char *idn = jstr(body, "id_number");
	const char *idt = jstr(body, "id_type");
	if (idn && *idn) {
		enum kw_idno_type t = kw_idno_type_of(idt ? idt : "resident_id");
		struct kw_idno v;
		char today[11];
		kw_clock_china_date(kw_clock_now_us(), today);
		int ic = t ? kw_idno_check(t, idn, today, &v) : -1;
		if (!t)
			problem(fields, "id_type", "not_allowed");
		else if (ic)
			problem(fields, "id_number", kw_idno_problem(ic));
		else {
			snprintf(j.id_type, sizeof j.id_type, "%s", kw_idno_type_name(t));
			snprintf(j.id_number, sizeof j.id_number, "%s", v.norm);
		}
	} else if (idt) {
		problem(fields, "id_number", "required");
	}
	if (json_array_size(fields))
		return invalid(err, fields);
	json_decref(fields);

	j.exam = json_integer_value(json_object_get(body, "exam_id"));
	j.unit = json_integer_value(json_object_get(body, "unit_id"));
	j.linked = json_integer_value(json_object_get(body, "linked_case_id"));
	char exam_kind[48] = "";
	int64_t exam_unit = 0;
	struct kw_conn *c = kw_pool_get(app->pool);
	rc = exam_row(c, j.exam, &exam_unit, exam_kind, err);
	if (!rc && !exam_unit)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	/* where it happened: the exam's organiser, a unit within it, or an exam area of the
	 * exam's registrations; the caller opens cases there (or at the organiser) */
	if (!rc && j.unit && j.unit != exam_unit) {
		int in = 0;
		rc = kw_unit_within(c, j.unit, exam_unit, &in, err);
		if (!rc && !in)
			rc = exists2(
			        c,
			        "SELECT 1 FROM registrations WHERE exam_id = $1 AND area_id = $2 "
			        "LIMIT 1",
			        j.exam, j.unit, &in, err);
		if (!rc && !in) {
			json_t *f = json_array();
			problem(f, "unit_id", "not_of_exam");
			rc = invalid(err, f);
		}
	}
	if (!j.unit)
		j.unit = exam_unit;
	if (!rc) {
		rc = kw_authz_check(c, s, "case.open", j.unit, err);
		if ((rc == KW_EFORBIDDEN || rc == KW_ENOTFOUND) && j.unit != exam_unit) {
			kw_err_release(err);
			rc = kw_authz_check(c, s, "case.open", exam_unit, err);
		}
		if (rc == KW_EFORBIDDEN || rc == KW_ENOTFOUND) {
			kw_err_release(err);
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
		}
	}
	if (!rc && jstr(body, "subject"))
		rc = subject_resolve(c, j.exam, jstr(body, "subject"), j.subject, err);
	/* the linked case: a candidate's case of the same exam the caller reads */
	if (!rc && j.linked) {
		struct kcase lk;
		const char *why = NULL;
		int lrc = kcase_load(c, j.linked, &lk, err);
		if (lrc == KW_ENOTFOUND) {
			kw_err_release(err);
			why = "unknown_case";
		} else if (lrc) {
			rc = lrc;
		} else if (!kcase_allows(c, s, &lk, "case.read")) {
			why = "unknown_case";
		} else if (strcmp(lk.party, "candidate") != 0) {
			why = "not_a_candidate_case";
		} else if (lk.exam != j.exam) {
			why = "other_exam";
		}
		kcase_free(&lk);
		if (!rc && why) {
			json_t *f = json_array();
			problem(f, "linked_case_id", why);
			rc = invalid(err, f);
		}
	}
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	/* VIO-0: the case keeps its exam's catalogue and version, as every case does, though
	 * no entry of it is ever applied to an outsider (VH 23) */
	const char *cid = kw_catalogue_for_exam_kind(catalogue_kind(exam_kind));
	const json_t *cat = catalogue(cid);
	if (!cat) {
		kw_err_set(err, KW_ERULE, "CASE_NO_CATALOGUE", "VIO-0",
		           "no violation catalogue is loaded for exams of this kind");
		kw_err_detail(err, "exam_kind", json_string(exam_kind));
		return err->rc;
	}
	j.catalogue = cid;
	j.version = json_string_value(json_object_get(cat, "version"));
	rc = kw_writer_run(app->writer, outsider_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = case_json(c, s, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

int kw_case_open(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                 const json_t *body, json_t **out, struct kw_err *err)
{
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	if (s->candidate_id)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "staff open cases");
	const char *party = jstr(body, "party");
	if (party && strcmp(party, "outsider") == 0)
		return case_open_outsider(app, actor, s, body, out, err);
	if (party && strcmp(party, "candidate") != 0) {
		json_t *f = json_array();
		problem(f, "party", "not_allowed");
		return invalid(err, f);
	}
	static const struct kw_jfield shape[] = {
	        KW_JSTR("party", 16, 0),
	        {"registration_id", KW_JINTEGER, KW_JREQUIRED, 0, 0},
	        KW_JSTR("source", 20, KW_JREQUIRED),
	        KW_JSTR("source_ref", 100, 0),
	        KW_JSTR("stage", 32, KW_JREQUIRED),
	        KW_JSTR("subject", 60, 0),
	        KW_JSTR("entry_id", 48, 0),
	        KW_JSTR("facts", 2000, KW_JREQUIRED),
	        KW_JSTR("occurred_at", 40, KW_JREQUIRED),
	        KW_JSTR("place", 200, 0),
	        KW_JSTR("actions_taken", 2000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	static const char *const sources[] = {"room_record", "marking_anomaly", "review_finding",
	                                      "report",      "screening",       NULL};
	json_t *fields = json_array();
	json_t *regj = json_object_get(body, "registration_id");
	if (json_integer_value(regj) < 1)
		problem(fields, "registration_id", "type");
	if (!one_of(jstr(body, "source"), sources))
		problem(fields, "source", "not_allowed");
	int64_t when = 0;
	if (kw_clock_parse(jstr(body, "occurred_at"), &when) != 0)
		problem(fields, "occurred_at", "time_format");
	else if (when > kw_clock_now_us() + INT64_C(300000000))
		problem(fields, "occurred_at", "future");
	const char *stage = jstr(body, "stage");
	if (!kw_sanction_stage_zh(stage))
		problem(fields, "stage", "not_allowed");
	if (json_array_size(fields))
		return invalid(err, fields);
	json_decref(fields);

	struct kw_conn *c = kw_pool_get(app->pool);
	struct regtarget t;
	rc = regtarget_load(c, json_integer_value(regj), &t, err);
	if (!rc && !t.reg)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such registration");
	if (!rc) {
		/* staff of the exam area where it happened, or of the exam's organiser */
		rc = kw_authz_check(c, s, "case.open", t.unit, err);
		if (rc == KW_EFORBIDDEN || rc == KW_ENOTFOUND) {
			kw_err_release(err);
			rc = kw_authz_check(c, s, "case.open", t.exam_unit, err);
		}
		if (rc == KW_EFORBIDDEN || rc == KW_ENOTFOUND) {
			kw_err_release(err);
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no such registration");
		}
	}
	char subject[64] = "";
	if (!rc && jstr(body, "subject"))
		rc = subject_resolve(c, t.exam, jstr(body, "subject"), subject, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	/* VIO-0: the catalogue follows the exam's kind */
	const char *cid = kw_catalogue_for_exam_kind(catalogue_kind(t.exam_kind));
	const json_t *cat = catalogue(cid);
	if (!cat) {
		kw_err_set(err, KW_ERULE, "CASE_NO_CATALOGUE", "VIO-0",
		           "no violation catalogue is loaded for exams of this kind");
		kw_err_detail(err, "exam_kind", json_string(t.exam_kind));
		return err->rc;
	}
	rc = kw_catalogue_check_exam_kind(cat, catalogue_kind(t.exam_kind), err);
	if (rc)
		return rc;
	/* the stage must be one the catalogue knows; an entry, when named, must fit it */
	int stage_ok = 0;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(cat, "entries"), i, e) stage_ok |=
	        kw_catalogue_entry_has_stage(e, stage);
	if (!stage_ok) {
		kw_err_set(err, KW_ERULE, "CASE_STAGE_UNKNOWN", "VIO-0",
		           "the catalogue of this exam lists no act at that stage");
		kw_err_detail(err, "stage", json_string(stage));
		kw_err_detail(err, "catalogue", json_string(cid));
		return err->rc;
	}
	const char *eid = jstr(body, "entry_id");
	if (eid) {
		const json_t *entry = NULL;
		rc = kw_catalogue_find(cat, eid, &entry, err);
		if (!rc && !kw_catalogue_entry_has_stage(entry, stage)) {
			kw_err_set(err, KW_ERULE, "CASE_STAGE_MISMATCH", "VIO-0",
			           "the cited act belongs to another stage");
			kw_err_detail(err, "entry_id", json_string(eid));
			kw_err_detail(err, "stage", json_string(stage));
			rc = err->rc;
		}
		if (rc)
			return rc;
	}
	struct open_job j = {.exam = t.exam,
	                     .unit = t.unit,
	                     .reg = t.reg,
	                     .cand = t.cand,
	                     .user = s->user.id,
	                     .catalogue = cid,
	                     .version = json_string_value(json_object_get(cat, "version")),
	                     .body = body};
	snprintf(j.subject, sizeof j.subject, "%s", subject);
	snprintf(j.name, sizeof j.name, "%s", t.name);
	snprintf(j.id_type, sizeof j.id_type, "%s", t.id_type);
	snprintf(j.id_number, sizeof j.id_number, "%s", t.id_number);
	rc = kw_writer_run(app->writer, open_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = case_json(c, s, j.id, out, err);
		kw_pool_put(app->pool, c);
	}
	return rc;
}

/* ---- reading ---- */

int kw_cases_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                  const char *status, int64_t after, int limit, json_t **out, struct kw_err *err)
{
	static const char *const statuses[] = {"open",    "notified", "decided",  "served",
	                                       "revoked", "dropped",  "referred", NULL};
	if ((status && !one_of(status, statuses)) || limit < 1 || limit > 500) {
		kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL,
		           "status is open, notified, decided, served, revoked, dropped or "
		           "referred; limit is 1..500");
		kw_err_detail(err, "name",
		              json_string(limit < 1 || limit > 500 ? "limit" : "status"));
		return err->rc;
	}
	if (s->candidate_id) {
		/* a candidate's list is their own cases, from the notice on */
		json_t *mine = NULL;
		int rc = kw_case_mine(app, s, &mine, err);
		if (!rc)
			*out = json_pack("{s:O, s:n}", "items", json_object_get(mine, "cases"),
			                 "next_cursor");
		json_decref(mine);
		return rc;
	}
	/* The filters and the units reached in SQL: one page read, however many cases exist. */
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	int all = 0, none = 0;
	int rc = kw_rec_reach_sql(c, &b, s, "case.read", &all, &none, err);
	json_t *items = json_array();
	int64_t last = 0, more = 0;
	if (!rc && !none) {
		case_select(&b);
		kw_buf_addf(&b, "WHERE k.id > $1");
		if (status)
			kw_buf_adds(&b, " AND k.status = $2");
		if (exam)
			kw_buf_addf(&b, " AND k.exam_id = %lld", (long long)exam);
		if (!all)
			kw_buf_adds(&b, " AND (k.unit_id IN (SELECT id FROM reach) OR e.unit_id IN "
			                "(SELECT id FROM reach))");
		kw_buf_addf(&b, " ORDER BY k.id LIMIT %d", limit + 1);
		struct kw_stmt *st = NULL;
		rc = kw_conn_prepare(c, b.buf, &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, after);
			if (status)
				kw_stmt_bind_textz(st, 2, status);
			while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
				if ((int)json_array_size(items) == limit) {
					more = 1;
					break;
				}
				json_t *o = row_object(st, case_cols, ncase_cols);
				json_object_del(o, "facts");
				json_object_del(o, "defence_text");
				json_object_del(o, "defence_review");
				mask_id(o);
				last = json_integer_value(json_object_get(o, "id"));
				json_array_append_new(items, o);
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
	}
	free(b.buf);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	char cur[24];
	snprintf(cur, sizeof cur, "%lld", (long long)last);
	*out = json_pack("{s:o, s:s?}", "items", items, "next_cursor", more ? cur : NULL);
	return 0;
}

int kw_case_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kcase k;
	int rc = kcase_load(c, id, &k, err);
	if (!rc)
		rc = kcase_reach(c, s, &k, "case.read", err);
	if (!rc)
		rc = case_json(c, s, id, out, err);
	kw_pool_put(app->pool, c);
	kcase_free(&k);
	return rc;
}

/* ---- files ---- */

struct file_job {
	int64_t case_id, user, cand, id;
	const char *kind, *label;
	struct kw_checked_file f;
};

static int file_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct file_job *j = arg;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, "SELECT COUNT(*) FROM case_files WHERE case_id = $1", &s,
	                         err);
	int64_t n = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->case_id);
		rc = kw_stmt_step(s, err);
		n = rc == KW_ROW ? kw_stmt_column_int64(s, 0) : 0;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && n >= CASE_FILES_MAX) {
		kw_err_set(err, KW_ERULE, "CASE_FILE_LIMIT", NULL, "a case holds at most %d files",
		           CASE_FILES_MAX);
		kw_err_detail(err, "max", json_integer(CASE_FILES_MAX));
		rc = err->rc;
	}
	if (!rc)
		rc = file_put(tx, j->case_id, j->kind, j->label, j->f.media_type, j->f.data,
		              j->f.len, j->f.sha256, j->user, j->cand, &j->id, err);
	return rc;
}

int kw_case_file_add(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const char *kind,
                     const char *media_type, const char *label, const void *data, size_t n,
                     json_t **out, struct kw_err *err)
{
	static const char *const kinds[] = {"evidence", "defence", "change", "appeal", NULL};
	static const struct kw_jfield shape[] = {KW_JSTR("kind", 10, KW_JREQUIRED),
	                                         KW_JSTR("label", 60, KW_JREQUIRED)};
	json_t *q = json_object(); /* the query's words, checked as a body would be */
	if (kind)
		json_object_set_new(q, "kind", json_string(kind));
	if (label)
		json_object_set_new(q, "label", json_string(label));
	int rc = kw_json_check(q, shape, 2, err);
	json_decref(q);
	if (rc)
		return rc;
	if (!one_of(kind, kinds)) {
		json_t *fields = json_array();
		problem(fields, "kind", "not_allowed");
		return invalid(err, fields);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kcase k;
	rc = kcase_load(c, id, &k, err);
	int cand = s->candidate_id != 0;
	if (!rc)
		rc = kcase_reach(c, s, &k, cand ? "case.defend" : "case.write", err);
	kw_pool_put(app->pool, c);
	/* what may be added when: evidence before the decision; the defence while it runs;
	 * a change's or an appeal's papers once decided; a candidate only their defence */
	const char *st = k.status;
	if (!rc && cand && strcmp(kind, "defence") != 0)
		rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
		                "a candidate adds papers to their statement and defence only");
	/* (an outsider's referred case takes more evidence: what the authority is sent) */
	if (!rc && strcmp(kind, "evidence") == 0 && strcmp(st, "open") != 0 &&
	    strcmp(st, "notified") != 0 && strcmp(st, "referred") != 0)
		rc = state(err, &k, "open");
	if (!rc && strcmp(kind, "defence") == 0 && strcmp(st, "notified") != 0)
		rc = state(err, &k, "notified");
	if (!rc && (strcmp(kind, "change") == 0 || strcmp(kind, "appeal") == 0) &&
	    strcmp(st, "decided") != 0 && strcmp(st, "served") != 0)
		rc = state(err, &k, "decided");
	kcase_free(&k);
	struct file_job j = {.case_id = id,
	                     .user = cand ? 0 : s->user.id,
	                     .cand = cand ? s->candidate_id : 0,
	                     .kind = kind,
	                     .label = label};
	if (!rc)
		rc = kw_files_check_document(media_type, data, n, &j.f, err);
	if (!rc)
		rc = kw_writer_run(app->writer, file_job, &j, actor, err);
	free(j.f.buf);
	if (!rc) {
		*out = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)j.id, "kind",
		                 kind, "label", label, "media_type", j.f.media_type, "size",
		                 (json_int_t)j.f.len, "sha256", j.f.sha256);
		char url[96];
		snprintf(url, sizeof url, "/api/v1/cases/%lld/files/%lld", (long long)id,
		         (long long)j.id);
		json_object_set_new(*out, "url", json_string(url));
	}
	return rc;
}

int kw_case_file(struct kw_app *app, const struct kw_session_info *s, int64_t id, int64_t file,
                 struct kw_file *out, struct kw_err *err)
{
	memset(out, 0, sizeof *out);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kcase k;
	int rc = kcase_load(c, id, &k, err);
	if (!rc)
		rc = kcase_reach(c, s, &k, "case.read", err);
	kcase_free(&k);
	struct kw_stmt *st = NULL;
	char kind[16] = "", sha[65] = "";
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT kind, media_type, sha256 FROM case_files WHERE id = $1 "
		        "AND case_id = $2",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, file);
		kw_stmt_bind_int64(st, 2, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			kw_stmt_column_copy(st, 0, kind, sizeof kind);
			kw_stmt_column_copy(st, 1, out->media_type, sizeof out->media_type);
			kw_stmt_column_copy(st, 2, sha, sizeof sha);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such file");
		}
	}
	kw_stmt_finalize(st);
	if (!rc && s->candidate_id && strcmp(kind, "notice") != 0 && strcmp(kind, "letter") != 0 &&
	    strcmp(kind, "defence") != 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such file");
	char prefix[64];
	snprintf(prefix, sizeof prefix, "case-%lld-%s", (long long)id, kind);
	if (!rc)
		rc = kw_file_fill(c, sha, prefix, file, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- steps ---- */

struct step_job {
	struct kcase *k;
	const json_t *body;
	const json_t *cat, *entry;
	int64_t user, cand, unit;
	/* notify / decide: the rendered document, its number, the dates */
	struct kw_buf pdf;
	char pdf_sha[65];
	char number[96], day[11], due[11], due2[11];
	const char *penalty;
	json_t *doc;
};

static int sign_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int signed_already = 0;
	int rc = exists2(tx->conn,
	                 "SELECT 1 FROM case_signatures WHERE case_id = $1 AND user_id = $2",
	                 j->k->id, j->user, &signed_already, err);
	if (!rc && signed_already)
		rc = kw_err_set(err, KW_ECONFLICT, "CASE_ALREADY_SIGNED", "VIO-8",
		                "you have signed this record already");
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "case_signatures", "case.sign", case_detail(j->k->id), NULL,
		        "INSERT INTO case_signatures (case_id, user_id, role_note, signed_at) "
		        "VALUES ($1, $2, $3, $4)",
		        "iitt", j->k->id, j->user, jstr(j->body, "role_note"), now);
	/* the case's row changes too, so that concurrent steps see each other */
	if (!rc)
		rc = case_update(tx, j->k, "case.signed", "status = status", NULL, NULL, NULL, err);
	return rc;
}

static int signatures_min(const json_t *cat)
{
	json_t *v = json_object_get(json_object_get(cat, "procedure"), "evidence_signatures_min");
	return json_is_integer(v) && json_integer_value(v) > 2 ? (int)json_integer_value(v) : 2;
}

/* The record is complete: signatures, evidence, a cited entry of the catalogue. */
static int record_complete(const struct kcase *k, const json_t *cat, const char *eid,
                           const json_t **entry, struct kw_err *err)
{
	int min = signatures_min(cat);
	if (k->nsign < min) {
		kw_err_set(err, KW_ERULE, "CASE_SIGNATURES", "VIO-8",
		           "the on-the-spot record needs the signatures of at least %d staff", min);
		kw_err_detail(err, "required", json_integer(min));
		kw_err_detail(err, "signed", json_integer(k->nsign));
		return err->rc;
	}
	if (k->nevidence < 1)
		return kw_err_set(err, KW_ERULE, "CASE_EVIDENCE_REQUIRED", "VIO-0",
		                  "no decision without attached evidence: add the evidence first");
	if (!eid || !*eid)
		return kw_err_set(err, KW_ERULE, "CASE_ENTRY_REQUIRED", "VIO-0",
		                  "cite the article, clause and item of the catalogue");
	int rc = kw_catalogue_find(cat, eid, entry, err);
	if (!rc && !kw_catalogue_entry_has_stage(*entry, k->stage)) {
		kw_err_set(err, KW_ERULE, "CASE_STAGE_MISMATCH", "VIO-0",
		           "the cited act belongs to another stage");
		kw_err_detail(err, "entry_id", json_string(eid));
		kw_err_detail(err, "stage", json_string(k->stage));
		rc = err->rc;
	}
	return rc;
}

static void bind_notice(struct kw_stmt *s, void *arg)
{
	struct step_job *j = arg;
	kw_stmt_bind_textz(s, 4, j->number);
	kw_stmt_bind_textz(s, 5, jstr(j->body, "method"));
	kw_stmt_bind_textz(s, 6, j->day);
	kw_stmt_bind_textz(s, 7, j->due);
	kw_stmt_bind_textz(s, 8, json_string_value(json_object_get(j->entry, "id")));
	kw_stmt_bind_textz(s, 9, j->k->facts);
}

static int notify_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	int64_t fid = 0;
	int rc = file_put(tx, j->k->id, "notice", "陈述申辩告知书", "application/pdf", j->pdf.buf,
	                  j->pdf.len, j->pdf_sha, j->user, 0, &fid, err);
	if (!rc)
		rc = case_update(tx, j->k, "case.notify",
		                 "status = 'notified', notice_number = $4, notice_at = $1, "
		                 "notice_method = $5, notice_receipt_date = $6, defence_due = $7, "
		                 "entry_id = $8, facts = $9",
		                 bind_notice, j,
		                 json_pack("{s:s, s:s}", "entry_id",
		                           json_string_value(json_object_get(j->entry, "id")),
		                           "defence_due", j->due),
		                 err);
	if (!rc)
		rc = event(tx, j->k->id, "notify", j->user, 0,
		           json_pack("{s:s, s:s, s:s, s:s, s:I}", "number", j->number, "method",
		                     jstr(j->body, "method"), "receipt_date", j->day, "defence_due",
		                     j->due, "file_id", (json_int_t)fid),
		           err);
	if (!rc) {
		char body[1024];
		snprintf(body, sizeof body,
		         "考务机构拟对你在%s中的行为作出处理，请查看《陈述申辩告知书》（%"
		         "s）。你有权在 "
		         "%s 前通过本平台或书面方式进行陈述和申辩。",
		         j->k->exam_name, j->number, j->due);
		rc = message(tx, j->k->cand, j->k->id, "case_notice", "陈述申辩告知书", body, err);
	}
	return rc;
}

static void bind_defence(struct kw_stmt *s, void *arg)
{
	struct step_job *j = arg;
	json_t *w = json_object_get(j->body, "waived");
	bind_opt(s, 4, jstr(j->body, "text"));
	kw_stmt_bind_int64(s, 5, json_is_true(w));
}

static int defence_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	int rc = case_update(
	        tx, j->k, "case.defence",
	        "defence_text = $4, defence_at = $1, defence_waived = $5, "
	        "defence_review = NULL, defence_reviewed_by = NULL, "
	        "defence_reviewed_at = NULL",
	        bind_defence, j,
	        json_pack("{s:b}", "waived", json_is_true(json_object_get(j->body, "waived"))),
	        err);
	if (!rc)
		rc = event(tx, j->k->id, "defence", j->user, j->cand,
		           json_pack("{s:b, s:b}", "waived",
		                     json_is_true(json_object_get(j->body, "waived")),
		                     "entered_by_staff", j->cand == 0),
		           err);
	return rc;
}

static void bind_review(struct kw_stmt *s, void *arg)
{
	struct step_job *j = arg;
	kw_stmt_bind_textz(s, 4, jstr(j->body, "review"));
	kw_stmt_bind_int64(s, 5, j->user);
}

static int review_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	int rc = case_update(
	        tx, j->k, "case.review",
	        "defence_review = $4, defence_reviewed_by = $5, defence_reviewed_at = $1",
	        bind_review, j, NULL, err);
	if (!rc)
		rc = event(tx, j->k->id, "review", j->user, 0, NULL, err);
	return rc;
}

/* ---- the decision and its effects ---- */

static int effect(struct kw_tx *tx, int64_t case_id, const char *kind, int64_t reg,
                  const char *subject, int64_t entry, const char *previous, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	return kw_audit_put(
	        tx, err, "case_effects", "case.effect",
	        json_pack("{s:I, s:s}", "case_id", (json_int_t)case_id, "kind", kind), NULL,
	        "INSERT INTO case_effects (case_id, kind, registration_id, subject, "
	        "archive_entry_id, previous, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	        "itntntt", case_id, kind, reg, subject, entry, previous, now);
}

/* Sets the registration's status, keeping what it was in the effect. */
static int registration_status(struct kw_tx *tx, int64_t case_id, int64_t reg, const char *to,
                               const char *effect_kind, struct kw_err *err)
{
	char now[32], was[32] = "";
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, "SELECT status FROM registrations WHERE id = $1", &s,
	                         err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			kw_stmt_column_copy(s, 0, was, sizeof was);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "registrations", "registration.case_effect",
		        json_pack("{s:I, s:s, s:s}", "case_id", (json_int_t)case_id, "from", was,
		                  "to", to),
		        NULL, "UPDATE registrations SET status = $2, updated_at = $3 WHERE id = $1",
		        "itt", reg, to, now);
	if (!rc)
		rc = effect(tx, case_id, effect_kind, reg, NULL, 0, was, err);
	return rc;
}

static int archive_write(struct kw_tx *tx, struct step_job *j, const struct kw_sanction_term *t,
                         struct kw_err *err)
{
	char now[32], start[11], end[11];
	kw_clock_format(tx->now_us, now);
	kw_cal_date_format(t->start, start);
	if (!t->lifetime)
		kw_cal_date_format(t->end, end);
	/* VIO-11: an outsider never gets an entry from kaowu, whatever identity they gave */
	if (strcmp(j->k->party, "candidate") != 0)
		return kw_err_set(err, KW_ERULE, "CASE_OUTSIDER_NO_PENALTY", "VIO-11",
		                  "no archive entry for an outsider");
	int64_t id = 0;
	int rc = kw_audit_put(
	        tx, err, "archive_entries", "archive.record",
	        json_pack("{s:I, s:s}", "case_id", (json_int_t)j->k->id, "decision", j->number),
	        &id,
	        "INSERT INTO archive_entries (unit_id, id_type, id_number, person_name, "
	        "kind, effect, term_start, term_end, lifetime, source_decision, case_id, "
	        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
	        "$11, $12, $12)",
	        "itttttttitit", j->unit, j->k->id_type, j->k->id_number, j->k->person_name, t->kind,
	        t->effect, start, t->lifetime ? NULL : end, (int64_t)t->lifetime, j->number,
	        j->k->id, now);
	if (!rc)
		rc = kw_archive_changed(tx, id, "added", err);
	if (!rc)
		rc = effect(tx, j->k->id, "archive", j->k->reg, NULL, id, NULL, err);
	return rc;
}

static void bind_decide(struct kw_stmt *s, void *arg)
{
	struct step_job *j = arg;
	kw_stmt_bind_textz(s, 4, j->number);
	kw_stmt_bind_textz(s, 5, j->day);
	kw_stmt_bind_int64(s, 6, j->user);
	kw_stmt_bind_int64(s, 7, j->unit);
	kw_stmt_bind_textz(s, 8, j->penalty);
}

static int decide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	int64_t fid = 0;
	int rc = file_put(tx, j->k->id, "letter", "处理决定书", "application/pdf", j->pdf.buf,
	                  j->pdf.len, j->pdf_sha, j->user, 0, &fid, err);
	if (!rc)
		rc = case_update(
		        tx, j->k, "case.decide",
		        "status = 'decided', decision_number = $4, decision_date = $5, "
		        "decided_at = $1, decided_by = $6, decider_unit_id = $7, penalty = $8",
		        bind_decide, j,
		        json_pack("{s:s, s:s}", "number", j->number, "penalty", j->penalty), err);
	/* the effects, applied here and nowhere by hand */
	unsigned eff = kw_sanction_effects(j->penalty);
	const char *subj = j->k->subject[0] ? j->k->subject : NULL;
	if (!rc && (eff & KW_SE_CANCEL_REGISTRATION))
		rc = registration_status(tx, j->k->id, j->k->reg, "cancelled",
		                         "registration_cancelled", err);
	if (!rc && (eff & KW_SE_REGISTRATION_VOID) && !(eff & KW_SE_CANCEL_REGISTRATION))
		rc = registration_status(tx, j->k->id, j->k->reg, "void", "registration_void", err);
	if (!rc && (eff & KW_SE_ZERO_SUBJECT))
		rc = effect(tx, j->k->id, "zero_subject", j->k->reg, subj, 0, NULL, err);
	if (!rc && (eff & KW_SE_VOID_SUBJECT))
		rc = effect(tx, j->k->id, "void_subject", j->k->reg, subj, 0, NULL, err);
	if (!rc && (eff & KW_SE_VOID_SITTING))
		rc = effect(tx, j->k->id, "void_sitting", j->k->reg, subj, 0, NULL, err);
	if (!rc && (eff & KW_SE_END_SITTING))
		rc = effect(tx, j->k->id, "sitting_ended", j->k->reg, subj, 0, NULL, err);
	if (!rc && (eff & KW_SE_PROCESS_ENDED))
		rc = effect(tx, j->k->id, "process_ended", j->k->reg, NULL, 0, NULL, err);
	if (!rc && (eff & KW_SE_CERTIFICATE_VOID))
		rc = effect(tx, j->k->id, "certificate_void", j->k->reg, NULL, 0, NULL, err);
	int32_t dday = 0;
	parse_day(j->day, &dday);
	struct kw_sanction_term t;
	if (!rc)
		rc = kw_sanction_term(j->cat, j->entry, dday, &t, err);
	if (!rc && t.any)
		rc = archive_write(tx, j, &t, err);
	if (!rc)
		rc = event(tx, j->k->id, "decide", j->user, 0,
		           json_pack("{s:s, s:s, s:s, s:I, s:I}", "number", j->number, "penalty",
		                     j->penalty, "decision_date", j->day, "decider_unit_id",
		                     (json_int_t)j->unit, "file_id", (json_int_t)fid),
		           err);
	if (!rc) {
		char body[1024];
		snprintf(body, sizeof body,
		         "考务机构已对你在%s中的行为作出处理决定（%"
		         "s），请查看《处理决定书》。如不服，"
		         "可依法申请行政复议或者提起行政诉讼。",
		         j->k->exam_name, j->number);
		rc = message(tx, j->k->cand, j->k->id, "case_decision", "处理决定书", body, err);
	}
	return rc;
}

static void bind_serve(struct kw_stmt *s, void *arg)
{
	struct step_job *j = arg;
	kw_stmt_bind_textz(s, 4, jstr(j->body, "method"));
	kw_stmt_bind_textz(s, 5, j->day);
	kw_stmt_bind_textz(s, 6, j->due);
	kw_stmt_bind_textz(s, 7, j->due2);
}

static int serve_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	int rc = case_update(tx, j->k, "case.serve",
	                     "status = 'served', service_method = $4, receipt_date = $5, "
	                     "review_due = $6, lawsuit_due = $7",
	                     bind_serve, j, NULL, err);
	if (!rc)
		rc = event(tx, j->k->id, "serve", j->user, 0,
		           json_pack("{s:s, s:s, s:s, s:s}", "method", jstr(j->body, "method"),
		                     "receipt_date", j->day, "review_due", j->due, "lawsuit_due",
		                     j->due2),
		           err);
	return rc;
}

static int appeal_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int rc = kw_audit_put(
	        tx, err, "case_appeals", "case.appeal", case_detail(j->k->id), NULL,
	        "INSERT INTO case_appeals (case_id, kind, filed_on, body, outcome, "
	        "outcome_date, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
	        "$6, $7, $8, $8)",
	        "ittttttt", j->k->id, jstr(j->body, "kind"), jstr(j->body, "filed_on"),
	        jstr(j->body, "body"), jstr(j->body, "outcome"), jstr(j->body, "outcome_date"),
	        jstr(j->body, "note"), now);
	if (!rc)
		rc = case_update(tx, j->k, "case.appealed", "status = status", NULL, NULL, NULL,
		                 err);
	if (!rc)
		rc = event(tx, j->k->id, "appeal", j->user, 0,
		           json_pack("{s:s, s:s?}", "kind", jstr(j->body, "kind"), "outcome",
		                     jstr(j->body, "outcome")),
		           err);
	return rc;
}

static int change_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int pending = 0;
	int rc = exists2(tx->conn,
	                 "SELECT 1 FROM case_changes WHERE case_id = $1 AND status = 'pending'",
	                 j->k->id, 0, &pending, err);
	if (!rc && pending)
		rc = kw_err_set(err, KW_ECONFLICT, "CASE_CHANGE_PENDING", "INF-4",
		                "a change of this case waits for its decision");
	char *files = json_dumps(json_object_get(j->body, "evidence_files"), JSON_COMPACT);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "case_changes", "case.change_request", case_detail(j->k->id), NULL,
		        "INSERT INTO case_changes (case_id, kind, grounds, evidence_files, status, "
		        "maker_id, created_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
		        "itttit", j->k->id, jstr(j->body, "kind"), jstr(j->body, "grounds"), files,
		        j->user, now);
	free(files);
	if (!rc)
		rc = case_update(tx, j->k, "case.change_asked", "status = status", NULL, NULL, NULL,
		                 err);
	if (!rc)
		rc = event(tx, j->k->id, "change_request", j->user, 0,
		           json_pack("{s:s}", "kind", jstr(j->body, "kind")), err);
	return rc;
}

static int drop_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	int rc = case_update(tx, j->k, "case.drop", "status = 'dropped'", NULL, NULL,
	                     json_pack("{s:s}", "reason", jstr(j->body, "reason")), err);
	if (!rc)
		rc = event(tx, j->k->id, "drop", j->user, 0,
		           json_pack("{s:s}", "reason", jstr(j->body, "reason")), err);
	return rc;
}

/* ---- the document of a step: its text from the catalogue, rendered outside the writer ---- */

struct unit_info {
	char kind[32], level[16], name[256], code[48], prefix[64];
};

static int unit_row(struct kw_conn *c, int64_t id, struct unit_info *u, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT kind, level, name, code, doc_prefix FROM units WHERE id = $1", &s, err);
	memset(u, 0, sizeof *u);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			kw_stmt_column_copy(s, 0, u->kind, sizeof u->kind);
			kw_stmt_column_copy(s, 1, u->level, sizeof u->level);
			kw_stmt_column_copy(s, 2, u->name, sizeof u->name);
			kw_stmt_column_copy(s, 3, u->code, sizeof u->code);
			if (!kw_stmt_column_is_null(s, 4))
				kw_stmt_column_copy(s, 4, u->prefix, sizeof u->prefix);
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such unit");
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

/*
 * The numbered document of a step (the notice: kind "告", due the defence period's end; the
 * decision letter: "决"), its text from the catalogue's template, rendered outside the writer.
 * The number: the issuing unit's document prefix (皖人考; its code when it has none), the
 * kind, the year, the case — 皖人考决〔2026〕12号, unique by construction. A number once issued
 * is stored with the case and its PDF and never changes, whatever later becomes of the prefix.
 */
static int make_document(struct step_job *j, const struct unit_info *u, const char *kind,
                         int32_t day, int32_t due, struct kw_err *err)
{
	char date[11];
	kw_cal_date_format(day, date);
	snprintf(j->number, sizeof j->number, "%s%s〔%.4s〕%lld号",
	         u->prefix[0] ? u->prefix : u->code, kind, date, (long long)j->k->id);
	struct kw_letter_fields lf = {.number = j->number,
	                              .name = j->k->person_name,
	                              .id_number = j->k->id_number,
	                              .exam = j->k->exam_name,
	                              .facts = j->k->facts,
	                              .issuer = u->name,
	                              .date = day,
	                              .defence_due = due,
	                              .stage = j->k->stage};
	int rc = due ? kw_sanction_notice(j->cat, j->entry, &lf, &j->doc, err)
	             : kw_sanction_letter(j->cat, j->entry, &lf, &j->doc, err);
	if (rc)
		return rc;
	char foot[160];
	snprintf(foot, sizeof foot, "kaowu · 案件 %lld · %s", (long long)j->k->id, j->number);
	json_object_set_new(j->doc, "footer", json_string(foot));
	kw_buf_init(&j->pdf, 0);
	rc = kw_case_document_pdf_isolated(j->doc, &j->pdf, err);
	if (!rc) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(h, (const unsigned char *)j->pdf.buf, j->pdf.len);
		sodium_bin2hex(j->pdf_sha, sizeof j->pdf_sha, h, sizeof h);
	}
	return rc;
}

/* The appeal deadlines without the holiday calendar: receipt + review_days days, receipt +
 * lawsuit_months months (the month's last day when it has no such day). */
static int nominal_deadlines(const json_t *cat, int32_t receipt, int32_t *review, int32_t *suit)
{
	json_t *proc = json_object_get(cat, "procedure");
	json_t *d = json_object_get(proc, "review_days"),
	       *m = json_object_get(proc, "lawsuit_months");
	int days = json_is_integer(d) ? (int)json_integer_value(d) : 60;
	int months = json_is_integer(m) ? (int)json_integer_value(m) : 6;
	*review = receipt + days;
	struct kw_ymd y = kw_cal_ymd(receipt);
	int mm = y.month - 1 + months;
	int year = y.year + mm / 12, month = mm % 12 + 1;
	int dd = y.day, last = kw_cal_month_days(year, month);
	return kw_cal_day_from_ymd(year, month, dd > last ? last : dd, suit, NULL);
}

/* Are the deadlines of a case counted on a calendar that covers them? */
static void add_provisional(json_t *o)
{
	const char *dl[] = {json_string_value(json_object_get(o, "review_due")),
	                    json_string_value(json_object_get(o, "lawsuit_due"))};
	int prov = 0;
	for (int i = 0; i < 2; i++)
		if (dl[i])
			prov |= !kw_cal_covers(kw_calendar_default(), atoi(dl[i]));
	json_object_set_new(o, "deadlines_provisional", json_boolean(prov));
}

/* ---- the steps: the body's shape (kw_json_check), then the rules (prep), then the job ---- */

struct prep {
	struct kw_conn *c;
	const struct kw_session_info *s;
	struct kcase *k;
	const json_t *body;
	struct step_job *j;
	json_t *fields; /* problems beyond the shape: VALIDATION_FAILED when any */
	int32_t today;
	char today_s[11];
};

/* A date field (YYYY-MM-DD) when present: *day, or a problem. */
static int opt_day(struct prep *p, const char *field, int32_t *day)
{
	const char *v = jstr(p->body, field);
	if (!v)
		return 1;
	if (parse_day(v, day) != 0) {
		problem(p->fields, field, "date_format");
		return -1;
	}
	return 0;
}

static int one_of_field(struct prep *p, const char *field, const char *const *list)
{
	const char *v = jstr(p->body, field);
	if (v && !one_of(v, list)) {
		problem(p->fields, field, "not_allowed");
		return -1;
	}
	return 0;
}

static const char *const service_methods[] = {"direct",        "entrusted", "post",
                                              "public_notice", "portal",    NULL};

static int prep_sign(struct prep *p, struct kw_err *err)
{
	return strcmp(p->k->status, "open") != 0 ? state(err, p->k, "open") : 0;
}

static int prep_notify(struct prep *p, struct kw_err *err)
{
	struct kcase *k = p->k;
	int32_t rd = p->today;
	one_of_field(p, "method", service_methods);
	if (opt_day(p, "receipt_date", &rd) == 0 && rd > p->today)
		problem(p->fields, "receipt_date", "future");
	if (json_array_size(p->fields))
		return 0;
	if (strcmp(k->status, "open") != 0)
		return state(err, k, "open");
	const char *facts = jstr(p->body, "facts");
	if (facts) {
		free(k->facts);
		k->facts = strdup(facts);
	}
	const char *eid = jstr(p->body, "entry_id");
	int rc = record_complete(k, p->j->cat, eid ? eid : k->entry, &p->j->entry, err);
	if (!rc)
		rc = kw_catalogue_check_exam_kind(p->j->cat, catalogue_kind(k->exam_kind), err);
	int32_t due = 0;
	if (!rc)
		rc = kw_sanction_defence_due(kw_calendar_default(), p->j->cat, rd, 0, &due, err);
	struct unit_info u;
	if (!rc)
		rc = unit_row(p->c, k->exam_unit, &u, err); /* the exam's organiser gives notice */
	kw_cal_date_format(rd, p->j->day);
	kw_cal_date_format(due, p->j->due);
	return rc ? rc : make_document(p->j, &u, "告", p->today, due, err);
}

static int prep_defence(struct prep *p, struct kw_err *err)
{
	json_t *t = json_object_get(p->body, "text");
	if (!json_is_true(json_object_get(p->body, "waived")) && (!t || !json_string_length(t)))
		problem(p->fields, "text", "required");
	if (json_array_size(p->fields))
		return 0;
	if (strcmp(p->k->status, "notified") != 0)
		return state(err, p->k, "notified");
	int32_t due = 0;
	parse_day(p->k->defence_due, &due);
	if (p->today > due) {
		kw_err_set(err, KW_ERULE, "CASE_DEFENCE_CLOSED", "VIO-8",
		           "the period for the statement and defence ended on %s",
		           p->k->defence_due);
		kw_err_detail(err, "defence_due", json_string(p->k->defence_due));
		return err->rc;
	}
	return 0;
}

static int prep_review(struct prep *p, struct kw_err *err)
{
	if (strcmp(p->k->status, "notified") != 0)
		return state(err, p->k, "notified");
	if (!p->k->has_defence)
		return kw_err_set(err, KW_ECONFLICT, "CASE_NO_DEFENCE", "VIO-8",
		                  "there is no statement and defence to review");
	return 0;
}

static int prep_decide(struct prep *p, struct kw_err *err)
{
	struct kcase *k = p->k;
	struct step_job *j = p->j;
	int32_t bday = 0;
	int has_ban = opt_day(p, "ban_start", &bday) == 0;
	if (json_array_size(p->fields))
		return 0;
	/* VIO-8 in order: the notice served, the defence period over, the defence read */
	if (strcmp(k->status, "open") == 0)
		return kw_err_set(
		        err, KW_ERULE, "CASE_NOTICE_NOT_SERVED", "VIO-8",
		        "the candidate must first be told the intended decision and their "
		        "right to state and defend");
	if (strcmp(k->status, "notified") != 0)
		return state(err, k, "notified");
	int32_t due = 0;
	parse_day(k->defence_due, &due);
	if (!k->waived && p->today <= due) {
		kw_err_set(err, KW_ERULE, "CASE_DEFENCE_PERIOD", "VIO-8",
		           "the period for the statement and defence runs until %s",
		           k->defence_due);
		kw_err_detail(err, "defence_due", json_string(k->defence_due));
		return err->rc;
	}
	if (k->has_defence && !k->waived && !k->reviewed)
		return kw_err_set(err, KW_ERULE, "CASE_DEFENCE_NOT_REVIEWED", "VIO-8",
		                  "review the statement and defence before deciding");
	const char *eid = jstr(p->body, "entry_id");
	if (eid && strcmp(eid, k->entry) != 0) {
		kw_err_set(err, KW_ERULE, "CASE_ENTRY_CHANGED", "VIO-8",
		           "the decision cites another act than the notice: notify again");
		kw_err_detail(err, "notified", json_string(k->entry));
		return err->rc;
	}
	int rc = record_complete(k, j->cat, k->entry, &j->entry, err);
	if (rc)
		return rc;
	/* a penalty on a subject needs the subject, when the exam has subjects to apply it to
	 * (scoring zeroes or cancels that subject's score, INF-5(6)) */
	unsigned eff = kw_sanction_effects(json_string_value(json_object_get(j->entry, "penalty")));
	if ((eff & (KW_SE_ZERO_SUBJECT | KW_SE_VOID_SUBJECT)) && !k->subject[0]) {
		int has = 0;
		rc = exists2(p->c, "SELECT 1 FROM subjects WHERE exam_id = $1", k->exam, 0, &has,
		             err);
		if (!rc && has)
			rc = kw_err_set(
			        err, KW_ERULE, "CASE_SUBJECT_REQUIRED", "INF-5(6)",
			        "the penalty applies to a subject: open the case naming it");
		if (rc)
			return rc;
	}
	/* VIO-7: who decides — a unit the caller may decide at, of a kind and level the
	 * catalogue names, tied to the exam or the position */
	j->unit = json_integer_value(json_object_get(p->body, "unit_id"));
	rc = kw_authz_check(p->c, p->s, "case.decide", j->unit, err);
	struct unit_info u;
	if (!rc)
		rc = unit_row(p->c, j->unit, &u, err);
	int org = 0, rec = 0;
	if (!rc)
		rc = kw_unit_within(p->c, k->exam_unit, j->unit, &org, err);
	if (!rc && k->recruiter)
		rc = kw_unit_within(p->c, k->recruiter, j->unit, &rec, err);
	struct kw_decider_unit du = {
	        .kind = u.kind, .level = u.level, .organises_exam = org, .recruits_position = rec};
	if (!rc)
		rc = kw_sanction_may_decide(j->entry, &du, err);
	if (rc)
		return rc;
	/* VH 20: a ban runs from the decision date */
	if (has_ban && bday != p->today) {
		kw_err_set(err, KW_ERULE, "CASE_BAN_START", "VIO-8",
		           "a ban runs from the decision date (%s)", p->today_s);
		kw_err_detail(err, "decision_date", json_string(p->today_s));
		return err->rc;
	}
	snprintf(j->day, sizeof j->day, "%s", p->today_s);
	j->penalty = json_string_value(json_object_get(j->entry, "penalty"));
	return make_document(j, &u, "决", p->today, 0, err);
}

static int prep_serve(struct prep *p, struct kw_err *err)
{
	int32_t rd = 0, dd = 0;
	one_of_field(p, "method", service_methods);
	if (opt_day(p, "receipt_date", &rd) == 0) {
		parse_day(p->k->decision_date, &dd);
		if (rd > p->today)
			problem(p->fields, "receipt_date", "future");
		else if (p->k->decision_date[0] && rd < dd)
			problem(p->fields, "receipt_date", "before_decision");
	}
	if (json_array_size(p->fields))
		return 0;
	if (strcmp(p->k->status, "decided") != 0)
		return state(err, p->k, "decided");
	int32_t r1 = 0, r2 = 0;
	int rc = kw_sanction_appeal_deadlines(kw_calendar_default(), p->j->cat, rd, &r1, &r2, err);
	if (rc && err->code && strcmp(err->code, "CALENDAR_YEAR_UNKNOWN") == 0) {
		/* The holiday calendar does not reach the deadline's year yet: record the plain
		 * date (days and months as the law counts them); only the move off a holiday is
		 * missing, and the case shows the deadlines as provisional. */
		kw_err_release(err);
		rc = nominal_deadlines(p->j->cat, rd, &r1, &r2);
	}
	kw_cal_date_format(rd, p->j->day);
	kw_cal_date_format(r1, p->j->due);
	kw_cal_date_format(r2, p->j->due2);
	return rc;
}

static int prep_appeal(struct prep *p, struct kw_err *err)
{
	static const char *const kinds[] = {"review", "lawsuit", NULL};
	static const char *const outcomes[] = {"pending", "upheld",    "revoked",
	                                       "changed", "withdrawn", NULL};
	int32_t d = 0;
	one_of_field(p, "kind", kinds);
	one_of_field(p, "outcome", outcomes);
	opt_day(p, "filed_on", &d);
	opt_day(p, "outcome_date", &d);
	if (json_array_size(p->fields))
		return 0;
	if (strcmp(p->k->status, "decided") != 0 && strcmp(p->k->status, "served") != 0)
		return state(err, p->k, "served");
	return 0;
}

static int prep_change(struct prep *p, struct kw_err *err)
{
	static const char *const kinds[] = {"revoke", NULL};
	one_of_field(p, "kind", kinds);
	if (json_array_size(p->fields))
		return 0;
	if (strcmp(p->k->status, "decided") != 0 && strcmp(p->k->status, "served") != 0)
		return state(err, p->k, "decided");
	/* INF-5(5): new firm evidence, filed with the case as "change" papers */
	json_t *ef = json_object_get(p->body, "evidence_files");
	if (json_array_size(ef) == 0)
		return kw_err_set(err, KW_ERULE, "CASE_CHANGE_EVIDENCE", "INF-5",
		                  "a change of a decision needs new evidence or legal grounds on "
		                  "file: add the papers first");
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(p->c,
	                         "SELECT 1 FROM case_files WHERE id = $1 AND case_id = $2 AND "
	                         "kind = 'change'",
	                         &st, err);
	size_t i;
	json_t *v;
	json_array_foreach(rc ? NULL : ef, i, v)
	{
		kw_stmt_reset(st);
		kw_stmt_bind_int64(st, 1, json_is_integer(v) ? json_integer_value(v) : 0);
		kw_stmt_bind_int64(st, 2, p->k->id);
		int r = kw_stmt_step(st, err);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r != KW_ROW) {
			problem(p->fields, "evidence_files", "unknown_file");
			break;
		}
	}
	kw_stmt_finalize(st);
	return rc;
}

/*
 * The other consequences of a case, each a recorded step (VH 13, 14, 23; VIO-9, VIO-11): the
 * employer of a public official told of the act and the outcome, the recruitment cancelled
 * when it came to light during probation, a suspected crime referred to the judicial
 * organs, an outsider's part referred to the competent authority.
 */
static const char *const consequence_kinds[] = {"employer_notified", "recruitment_cancelled",
                                                "referred_judicial", "referred_authority", NULL};

/* VIO-11, VH 23: kaowu imposes nothing on an outsider; their case ends by referral. */
static int outsider_refused(struct kw_err *err, const struct kcase *k, const char *what)
{
	kw_err_set(err, KW_ERULE, "CASE_OUTSIDER_NO_PENALTY", "VIO-11",
	           "the party is an outsider: kaowu gives no notice, decision, ban or effect to "
	           "an outsider; refer the case to the competent authority");
	kw_err_detail(err, "case_id", json_integer(k->id));
	kw_err_detail(err, "step", json_string(what));
	return err->rc;
}

static int is_outsider(const struct kcase *k)
{
	return strcmp(k->party, "outsider") == 0;
}

static int prep_consequence(struct prep *p, struct kw_err *err)
{
	int32_t d = 0, due = 0;
	one_of_field(p, "kind", consequence_kinds);
	int has_on = opt_day(p, "on", &d) == 0;
	if (has_on && d > p->today)
		problem(p->fields, "on", "future");
	if (opt_day(p, "reply_due", &due) == 0 && has_on && due < d)
		problem(p->fields, "reply_due", "before_referral");
	if (json_array_size(p->fields))
		return 0;
	const char *kind = jstr(p->body, "kind");
	if (is_outsider(p->k)) {
		/* the referral closes the case; the on-the-spot record comes first (VH 18) */
		if (strncmp(kind, "referred_", 9) != 0)
			return outsider_refused(err, p->k, kind);
		if (strcmp(p->k->status, "open") != 0 && strcmp(p->k->status, "referred") != 0)
			return state(err, p->k, "open");
		int min = signatures_min(p->j->cat);
		if (p->k->nsign < min) {
			kw_err_set(
			        err, KW_ERULE, "CASE_SIGNATURES", "VIO-8",
			        "the on-the-spot record needs the signatures of at least %d staff",
			        min);
			kw_err_detail(err, "required", json_integer(min));
			kw_err_detail(err, "signed", json_integer(p->k->nsign));
			return err->rc;
		}
		if (p->k->nevidence < 1)
			return kw_err_set(err, KW_ERULE, "CASE_EVIDENCE_REQUIRED", "VIO-11",
			                  "a referral carries the evidence: add it first");
		return 0;
	}
	/* a referral may come at any time; telling the employer or cancelling a recruitment
	 * follows the decision */
	int decided = strcmp(p->k->status, "decided") == 0 || strcmp(p->k->status, "served") == 0;
	if (strcmp(p->k->status, "dropped") == 0 || strcmp(p->k->status, "revoked") == 0 ||
	    (strncmp(kind, "referred_", 9) != 0 && !decided))
		return state(err, p->k, "decided");
	return 0;
}

static int consequence_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	const char *kind = jstr(j->body, "kind");
	int referral = strncmp(kind, "referred_", 9) == 0;
	/* an outsider's case is closed by its first referral */
	int rc =
	        case_update(tx, j->k, "case.consequence",
	                    is_outsider(j->k) && referral
	                            ? "status = 'referred', referred_at = COALESCE(referred_at, $1)"
	                            : "status = status",
	                    NULL, NULL, NULL, err);
	int64_t rid = 0;
	if (!rc && referral) {
		/* tracked to the authority's reply, like a report (VIO-11, AH 80) */
		char now[32];
		kw_clock_format(tx->now_us, now);
		rc = kw_audit_put(
		        tx, err, "case_referrals", "case.referral", case_detail(j->k->id), &rid,
		        "INSERT INTO case_referrals (case_id, kind, authority, referred_on, "
		        "reply_due, note, created_by, created_at, updated_at) VALUES ($1, "
		        "$2, $3, $4, $5, $6, $7, $8, $8)",
		        "itttttnt", j->k->id, kind, jstr(j->body, "to"), jstr(j->body, "on"),
		        jstr(j->body, "reply_due"), jstr(j->body, "note"), j->user, now);
	}
	if (!rc)
		rc = event(tx, j->k->id, "consequence", j->user, 0,
		           json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:I}", "kind", kind, "to",
		                     jstr(j->body, "to"), "on", jstr(j->body, "on"), "note",
		                     jstr(j->body, "note"), "reply_due", jstr(j->body, "reply_due"),
		                     "referral_id", (json_int_t)rid),
		           err);
	return rc;
}

/* The authority's reply to a referral: {referral_id, replied_on, reply}. */
static int prep_reply(struct prep *p, struct kw_err *err)
{
	int32_t d = 0;
	if (opt_day(p, "replied_on", &d) == 0 && d > p->today)
		problem(p->fields, "replied_on", "future");
	if (json_array_size(p->fields))
		return 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(p->c,
	                         "SELECT referred_on, replied_on FROM case_referrals WHERE id = $1 "
	                         "AND case_id = $2",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1,
		                   json_integer_value(json_object_get(p->body, "referral_id")));
		kw_stmt_bind_int64(st, 2, p->k->id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_DONE) {
			problem(p->fields, "referral_id", "unknown_referral");
			rc = 0;
		} else if (rc == KW_ROW) {
			int32_t on = 0;
			parse_day(kw_stmt_column_text(st, 0, NULL), &on);
			rc = 0;
			if (!kw_stmt_column_is_null(st, 1))
				rc = kw_err_set(
				        err, KW_ECONFLICT, "CASE_REFERRAL_REPLIED", "VIO-11",
				        "the authority's reply to this referral is on record "
				        "already");
			else if (d < on)
				problem(p->fields, "replied_on", "before_referral");
		}
	}
	kw_stmt_finalize(st);
	return rc;
}

static int reply_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t rid = json_integer_value(json_object_get(j->body, "referral_id")), done = 0;
	int rc = kw_audit_put(
	        tx, err, "case_referrals", "case.referral_reply", case_detail(j->k->id), &done,
	        "UPDATE case_referrals SET replied_on = $1, reply = $2, updated_at = "
	        "$3 WHERE id = $4 AND case_id = $5 AND replied_on IS NULL",
	        "tttii", jstr(j->body, "replied_on"), jstr(j->body, "reply"), now, rid, j->k->id);
	if (!rc && !done)
		rc = kw_err_set(err, KW_ECONFLICT, "CASE_REFERRAL_REPLIED", "VIO-11",
		                "the authority's reply to this referral is on record already");
	if (!rc)
		rc = case_update(tx, j->k, "case.referral_replied", "status = status", NULL, NULL,
		                 NULL, err);
	if (!rc)
		rc = event(tx, j->k->id, "referral_reply", j->user, 0,
		           json_pack("{s:I, s:s}", "referral_id", (json_int_t)rid, "replied_on",
		                     jstr(j->body, "replied_on")),
		           err);
	return rc;
}

static int prep_drop(struct prep *p, struct kw_err *err)
{
	if (strcmp(p->k->status, "open") != 0 && strcmp(p->k->status, "notified") != 0)
		return state(err, p->k, "open");
	return 0;
}

static const struct kw_jfield sign_fields[] = {KW_JSTR("role_note", 60, 0)};
static const struct kw_jfield notify_fields[] = {
        KW_JSTR("entry_id", 48, 0), KW_JSTR("facts", 2000, 0), KW_JSTR("method", 20, KW_JREQUIRED),
        KW_JSTR("receipt_date", 10, 0)};
static const struct kw_jfield defence_fields[] = {KW_JSTR("text", 5000, 0),
                                                  {"waived", KW_JBOOLEAN, 0, 0, 0}};
static const struct kw_jfield review_fields[] = {KW_JSTR("review", 2000, KW_JREQUIRED)};
static const struct kw_jfield decide_fields[] = {{"unit_id", KW_JINTEGER, KW_JREQUIRED, 0, 0},
                                                 KW_JSTR("entry_id", 48, 0),
                                                 KW_JSTR("ban_start", 10, 0)};
static const struct kw_jfield serve_fields[] = {KW_JSTR("method", 20, KW_JREQUIRED),
                                                KW_JSTR("receipt_date", 10, KW_JREQUIRED)};
static const struct kw_jfield appeal_fields[] = {
        KW_JSTR("kind", 10, KW_JREQUIRED), KW_JSTR("filed_on", 10, KW_JREQUIRED),
        KW_JSTR("body", 100, 0),           KW_JSTR("outcome", 10, 0),
        KW_JSTR("outcome_date", 10, 0),    KW_JSTR("note", 2000, 0)};
static const struct kw_jfield change_fields[] = {KW_JSTR("kind", 10, KW_JREQUIRED),
                                                 KW_JSTR("grounds", 2000, KW_JREQUIRED),
                                                 {"evidence_files", KW_JARRAY, 0, 0, 20}};
static const struct kw_jfield drop_fields[] = {KW_JSTR("reason", 1000, KW_JREQUIRED)};
static const struct kw_jfield consequence_fields[] = {
        KW_JSTR("kind", 30, KW_JREQUIRED), KW_JSTR("to", 100, KW_JREQUIRED),
        KW_JSTR("on", 10, KW_JREQUIRED), KW_JSTR("note", 2000, 0), KW_JSTR("reply_due", 10, 0)};
static const struct kw_jfield reply_fields[] = {{"referral_id", KW_JINTEGER, KW_JREQUIRED, 0, 0},
                                                KW_JSTR("replied_on", 10, KW_JREQUIRED),
                                                KW_JSTR("reply", 2000, KW_JREQUIRED)};

static const struct step {
	const char *name, *action;
	const struct kw_jfield *fields;
	size_t nfields;
	int (*prep)(struct prep *p, struct kw_err *err);
	kw_job_fn job;
} steps[] = {
#define STEP(n, action, f, job)                                                                    \
	{                                                                                          \
#n, action, f, sizeof f / sizeof f[0], prep_##n, job                               \
	}
        STEP(sign, "case.sign", sign_fields, sign_job),
        STEP(notify, "case.notify", notify_fields, notify_job),
        STEP(defence, "case.defend", defence_fields, defence_job),
        STEP(review, "case.notify", review_fields, review_job),
        STEP(decide, "case.decide", decide_fields, decide_job),
        STEP(serve, "case.notify", serve_fields, serve_job),
        STEP(appeal, "case.write", appeal_fields, appeal_job),
        STEP(change, "case.change.request", change_fields, change_job),
        STEP(drop, "case.decide", drop_fields, drop_job),
        STEP(consequence, "case.decide", consequence_fields, consequence_job),
        STEP(reply, "case.write", reply_fields, reply_job),
#undef STEP
};

int kw_case_step(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                 int64_t id, const char *step, const json_t *body, json_t **out, struct kw_err *err)
{
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	const struct step *st = NULL;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (strcmp(step, steps[i].name) == 0)
			st = &steps[i];
	if (!st)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such step");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kcase k;
	int rc = kcase_load(c, id, &k, err);
	if (!rc)
		rc = kcase_reach(c, s, &k, st->action, err);
	/* VIO-11: an outsider's case signs, files, is referred, dropped or replied to — nothing
	 * of the candidate's procedure, nothing that penalises */
	if (!rc && is_outsider(&k) && strcmp(step, "sign") != 0 && strcmp(step, "drop") != 0 &&
	    strcmp(step, "consequence") != 0 && strcmp(step, "reply") != 0)
		rc = outsider_refused(err, &k, step);
	if (!rc)
		rc = kw_json_check(body, st->fields, st->nfields, err);
	struct step_job j = {
	        .k = &k, .body = body, .cat = catalogue(k.catalogue), .user = s->user.id};
	if (s->candidate_id) {
		j.user = 0;
		j.cand = s->candidate_id;
	}
	if (!rc && !j.cat)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the case's catalogue is gone");
	struct prep p = {.c = c, .s = s, .k = &k, .body = body, .j = &j, .fields = json_array()};
	cst_day(kw_clock_now_us(), &p.today, p.today_s);
	if (!rc)
		rc = st->prep(&p, err);
	kw_pool_put(app->pool, c);
	if (!rc && json_array_size(p.fields)) {
		rc = invalid(err, p.fields);
		p.fields = NULL;
	}
	json_decref(p.fields);
	if (!rc)
		rc = kw_writer_run(app->writer, st->job, &j, actor, err);
	free(j.pdf.buf);
	json_decref(j.doc);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = case_json(c, s, id, out, err);
		kw_pool_put(app->pool, c);
	}
	kcase_free(&k);
	return rc;
}

/* ---- drafts: the notice or the letter as it would read, before it is issued ---- */

int kw_case_draft(struct kw_app *app, const struct kw_session_info *s, int64_t id, const char *doc,
                  int64_t unit, const char *entry_id, int pdf, json_t **out, struct kw_file *file,
                  struct kw_err *err)
{
	int notice = doc && strcmp(doc, "notice") == 0;
	if (!notice && !(doc && strcmp(doc, "letter") == 0))
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                  "a draft is of the notice or of the letter");
	*out = NULL;
	memset(file, 0, sizeof *file);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kcase k;
	int rc = kcase_load(c, id, &k, err);
	if (!rc)
		rc = kcase_reach(c, s, &k, notice ? "case.notify" : "case.decide", err);
	if (!rc && is_outsider(&k))
		rc = outsider_refused(err, &k, doc);
	struct step_job j = {.k = &k, .cat = catalogue(k.catalogue)};
	const char *eid = entry_id && *entry_id ? entry_id : k.entry;
	if (!rc && !*eid)
		rc = kw_err_set(err, KW_ERULE, "CASE_ENTRY_REQUIRED", "VIO-0",
		                "cite the article, clause and item of the catalogue");
	if (!rc && j.cat)
		rc = kw_catalogue_find(j.cat, eid, &j.entry, err);
	/* the issuer: the exam's organiser gives notice; the letter, the deciding unit */
	struct unit_info u;
	if (!rc && !notice && unit)
		rc = kw_authz_check(c, s, "case.decide", unit, err);
	if (!rc)
		rc = unit_row(c, !notice && unit ? unit : k.exam_unit, &u, err);
	kw_pool_put(app->pool, c);
	int32_t today = 0, due = 0;
	cst_day(kw_clock_now_us(), &today, NULL);
	if (!rc && notice)
		rc = kw_sanction_defence_due(kw_calendar_default(), j.cat, today, 0, &due, err);
	struct kw_letter_fields lf = {.number = "（草稿，签发时编号）",
	                              .name = k.person_name,
	                              .id_number = k.id_number,
	                              .exam = k.exam_name,
	                              .facts = k.facts,
	                              .issuer = u.name,
	                              .date = today,
	                              .defence_due = due,
	                              .stage = k.stage};
	if (!rc)
		rc = notice ? kw_sanction_notice(j.cat, j.entry, &lf, out, err)
		            : kw_sanction_letter(j.cat, j.entry, &lf, out, err);
	if (!rc) {
		char foot[160];
		snprintf(foot, sizeof foot, "草稿 · 未生效 · kaowu 案件 %lld", (long long)k.id);
		json_object_set_new(*out, "footer", json_string(foot));
	}
	if (!rc && pdf) {
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		rc = kw_case_document_pdf_isolated(*out, &b, err);
		if (!rc) {
			file->data = (unsigned char *)b.buf;
			file->len = b.len;
			snprintf(file->media_type, sizeof file->media_type, "application/pdf");
			snprintf(file->name, sizeof file->name, "case-%lld-%s-draft.pdf",
			         (long long)id, doc);
			unsigned char h[crypto_hash_sha256_BYTES];
			crypto_hash_sha256(h, (const unsigned char *)b.buf, b.len);
			sodium_bin2hex(file->sha256, sizeof file->sha256, h, sizeof h);
		} else {
			free(b.buf);
		}
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	kcase_free(&k);
	return rc;
}

/* ---- changes: a second person decides ---- */

struct cdecide_job {
	struct kcase *k;
	int64_t change, user;
	int approve;
	const char *reason;
};

/* Undoes every effect of the case: registrations back, archive entries out at once. */
static int undo_effects(struct kw_tx *tx, struct cdecide_job *j, struct kw_err *err)
{
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(tx->conn,
	                        "SELECT id, kind, registration_id, archive_entry_id, previous FROM "
	                        "case_effects WHERE case_id = $1 AND reversed_at IS NULL ORDER BY "
	                        "id",
	                        &s, err);
	struct eff {
		int64_t id, reg, entry;
		char kind[32], previous[32];
	} effs[16];
	int n = 0;
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->k->id);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW && n < 16) {
			effs[n].id = kw_stmt_column_int64(s, 0);
			kw_stmt_column_copy(s, 1, effs[n].kind, sizeof effs[n].kind);
			effs[n].reg = col_id(s, 2);
			effs[n].entry = col_id(s, 3);
			kw_stmt_column_copy(s, 4, effs[n].previous, sizeof effs[n].previous);
			n++;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	for (int i = 0; !rc && i < n; i++) {
		json_t *d = json_pack("{s:I}", "case_id", (json_int_t)j->k->id);
		if (effs[i].reg && effs[i].previous[0] &&
		    (strcmp(effs[i].kind, "registration_cancelled") == 0 ||
		     strcmp(effs[i].kind, "registration_void") == 0))
			rc = kw_audit_put(
			        tx, err, "registrations", "registration.case_restored",
			        json_incref(d), NULL,
			        "UPDATE registrations SET status = $2, updated_at = $3 WHERE "
			        "id = $1",
			        "itt", effs[i].reg, effs[i].previous, now);
		if (!rc && effs[i].entry) {
			rc = kw_audit_put(
			        tx, err, "archive_entries", "archive.revoke", json_incref(d), NULL,
			        "UPDATE archive_entries SET revoked_at = $2, updated_at = $2 WHERE "
			        "id = $1",
			        "it", effs[i].entry, now);
			if (!rc)
				rc = kw_archive_changed(tx, effs[i].entry, "revoked", err);
		}
		if (!rc)
			rc = kw_audit_put(tx, err, "case_effects", "case.effect_reversed",
			                  json_incref(d), NULL,
			                  "UPDATE case_effects SET reversed_at = $2 WHERE id = $1",
			                  "it", effs[i].id, now);
		json_decref(d);
	}
	return rc;
}

static int cdecide_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct cdecide_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct kw_stmt *s = NULL;
	int64_t maker = 0;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT maker_id FROM case_changes WHERE id = $1 AND case_id = $2 "
	                         "AND status = 'pending'",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->change);
		kw_stmt_bind_int64(s, 2, j->k->id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			maker = kw_stmt_column_int64(s, 0);
		else if (rc == KW_DONE)
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no pending change of this case with that id");
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && maker == j->user)
		rc = kw_err_set(err, KW_EFORBIDDEN, "SELF_APPROVAL", "INF-4",
		                "a change is decided by someone other than who asked for it");
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "case_changes",
		        j->approve ? "case.change_approve" : "case.change_refuse",
		        case_detail(j->k->id), NULL,
		        "UPDATE case_changes SET status = $2, checker_id = $3, checker_reason = "
		        "$4, decided_at = $5 WHERE id = $1",
		        "ititt", j->change, j->approve ? "approved" : "refused", j->user, j->reason,
		        now);
	if (!rc && j->approve)
		rc = undo_effects(tx, j, err);
	if (!rc && j->approve)
		rc = case_update(tx, j->k, "case.revoke", "status = 'revoked', revoked_at = $1",
		                 NULL, NULL, NULL, err);
	if (!rc)
		rc = event(tx, j->k->id, j->approve ? "revoke" : "change_refused", j->user, 0,
		           json_pack("{s:I, s:s?}", "change_id", (json_int_t)j->change, "reason",
		                     j->reason),
		           err);
	if (!rc && j->approve) {
		char body[1024];
		snprintf(body, sizeof body, "对你在%s中的处理决定（%s）已依法撤销，其影响已消除。",
		         j->k->exam_name, j->k->decision_number);
		rc = message(tx, j->k->cand, j->k->id, "case_revoked", "处理决定已撤销", body, err);
	}
	return rc;
}

int kw_case_change_decide(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t id, int64_t change, int approve,
                          const json_t *body, json_t **out, struct kw_err *err)
{
	if (body && !json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	static const struct kw_jfield shape[] = {KW_JSTR("reason", 1000, 0)};
	int rc = body ? kw_json_check(body, shape, 1, err) : 0;
	if (rc)
		return rc;
	json_t *r = body ? json_object_get(body, "reason") : NULL;
	if (!approve && !json_string_length(r)) {
		json_t *fields = json_array();
		problem(fields, "reason", "required");
		return invalid(err, fields);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kcase k;
	rc = kcase_load(c, id, &k, err);
	if (!rc)
		rc = kcase_reach(c, s, &k, "case.change.decide", err);
	kw_pool_put(app->pool, c);
	struct cdecide_job j = {.k = &k,
	                        .change = change,
	                        .user = s->user.id,
	                        .approve = approve,
	                        .reason = json_string_value(r)};
	if (!rc)
		rc = kw_writer_run(app->writer, cdecide_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = case_json(c, s, id, out, err);
		kw_pool_put(app->pool, c);
	}
	kcase_free(&k);
	return rc;
}

/* ---- the candidate's portal ---- */

int kw_case_mine(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                 struct kw_err *err)
{
	if (!s->candidate_id)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no candidate account");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	case_select(&b);
	kw_buf_adds(&b, "WHERE k.candidate_id = $1 AND k.status NOT IN ('open', 'dropped') ORDER "
	                "BY k.id DESC");
	json_t *items = json_array(), *msgs = json_array();
	int rc = rows_of(c, b.buf, s->candidate_id, case_cols, ncase_cols, items, err);
	free(b.buf);
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v)
	{
		static const char *const hide[] = {
		        "unit_id",    "defence_review", "defence_reviewed_by",
		        "decided_by", "created_by",     "actions_taken",
		        "source",     "source_ref",     NULL};
		for (int h = 0; hide[h]; h++)
			json_object_del(v, hide[h]);
		add_entry(v);
	}
	static const struct colspec msg_cols[] = {
	        {"id", 'i'},   {"kind", 't'},       {"case_id", 'i'}, {"title", 't'},
	        {"body", 't'}, {"created_at", 't'}, {"read_at", 't'}};
	if (!rc)
		rc = rows_of(c,
		             "SELECT id, kind, case_id, title, body, created_at, read_at FROM "
		             "candidate_messages WHERE candidate_id = $1 ORDER BY id DESC",
		             s->candidate_id, msg_cols, N(msg_cols), msgs, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		json_decref(msgs);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "cases", items, "messages", msgs);
	return 0;
}

/* ---- a unit's document-number prefix ---- */

/* 1..12 characters, each a CJK ideograph or an ASCII letter (no digits, no brackets). */
static int doc_prefix_ok(const char *v)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)v;
	while (*p) {
		uint32_t cp;
		if (*p < 0x80) {
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
				return 0;
			p++;
		} else if ((*p & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			cp = ((uint32_t)(*p & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
			     (uint32_t)(p[2] & 0x3F);
			if (!((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)))
				return 0;
			p += 3;
		} else {
			return 0;
		}
		if (++n > 12)
			return 0;
	}
	return n >= 1;
}

struct prefix_job {
	int64_t unit;
	const char *prefix;
};

static int prefix_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct prefix_job *j = arg;
	int64_t done = 0;
	int rc = kw_audit_put(
	        tx, err, "units", "unit.doc_prefix", json_pack("{s:s?}", "doc_prefix", j->prefix),
	        &done, "UPDATE units SET doc_prefix = $1 WHERE id = $2", "ti", j->prefix, j->unit);
	if (!rc && !done)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such unit");
	return rc;
}

int kw_unit_doc_prefix_set(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t unit, const json_t *body,
                           json_t **out, struct kw_err *err)
{
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	json_t *v = json_object_get(body, "doc_prefix");
	if (json_object_size(body) != 1 || !v || !(json_is_string(v) || json_is_null(v))) {
		json_t *f = json_array();
		problem(f, "doc_prefix", v ? "type" : "required");
		return invalid(err, f);
	}
	const char *prefix = json_string_value(v);
	if (prefix && !*prefix)
		prefix = NULL;
	if (prefix && !doc_prefix_ok(prefix)) {
		kw_err_set(err, KW_EINVAL, "UNIT_DOC_PREFIX_INVALID", NULL,
		           "a document prefix is 1 to 12 Chinese characters or Latin letters, "
		           "without digits or brackets");
		kw_err_detail(err, "doc_prefix", json_string(prefix));
		return err->rc;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_authz_check(c, s, "unit.create", unit, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	struct prefix_job j = {unit, prefix};
	rc = kw_writer_run(app->writer, prefix_job, &j, actor, err);
	struct unit_info u;
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = unit_row(c, unit, &u, err);
		kw_pool_put(app->pool, c);
	}
	if (!rc)
		*out = json_pack("{s:I, s:s, s:s, s:s?, s:s}", "id", (json_int_t)unit, "code",
		                 u.code, "name", u.name, "doc_prefix",
		                 u.prefix[0] ? u.prefix : NULL, "number_prefix",
		                 u.prefix[0] ? u.prefix : u.code);
	return rc;
}

/* ---- what the public query of the archive says of a case's cited act ---- */

json_t *kw_case_entry_public(const char *catalogue_id, const char *entry_id)
{
	const json_t *cat = catalogue(catalogue_id);
	const json_t *e = cat && entry_id ? kw_catalogue_entry(cat, entry_id) : NULL;
	if (!e)
		return NULL;
	char *cit = kw_sanction_citation_zh(cat, e);
	json_t *pen = json_object_get(json_object_get(cat, "penalties"),
	                              json_string_value(json_object_get(e, "penalty")));
	json_t *o = json_pack("{s:O?, s:O?, s:s?, s:O?, s:O?, s:O?, s:O?}", "regulation_zh",
	                      json_object_get(cat, "name_zh"), "regulation_en",
	                      json_object_get(cat, "name_en"), "citation_zh", cit, "act_zh",
	                      json_object_get(e, "zh"), "act_en", json_object_get(e, "en"),
	                      "penalty_zh", json_object_get(pen, "zh"), "penalty_en",
	                      json_object_get(pen, "en"));
	free(cit);
	return o;
}
