#include "app/reg.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/archive.h"
#include "app/audit.h"
#include "app/files.h"
#include "app/authz.h"
#include "app/identity.h"
#include "app/incidents.h"
#include "app/records.h"
#include "core/eligibility.h"
#include "core/idno.h"
#include "core/mask.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/json.h"

/* ---- small helpers ---- */

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

static int validation_failed(json_t *fields, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
	kw_err_detail(err, "fields", fields);
	return rc;
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* A mobile or fixed phone number: an optional '+', then 5..20 digits, spaces or hyphens. */
static int phone_ok(const char *p)
{
	int digits = 0;
	if (*p == '+')
		p++;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != ' ' && *p != '-')
			return 0;
	}
	return digits >= 5 && digits <= 20;
}

static int email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	return at && at != e && strchr(at + 1, '.') && !strchr(at + 1, '@') && strlen(e) <= 100 &&
	       !strpbrk(e, " \t<>\"");
}

static int in_list(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

static int step_row(struct kw_stmt *s, struct kw_err *err)
{
	int rc = kw_stmt_step(s, err);
	return rc == KW_ROW ? 1 : rc == KW_DONE ? 0 : rc;
}

static json_t *col_json_text(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
}

static json_t *col_json_int(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_integer(kw_stmt_column_int64(s, i));
}

/* "a,b,c" → ["a","b","c"] (empty parts dropped); NULL → NULL. */
static json_t *split_list(const char *s)
{
	if (!s || !*s)
		return NULL;
	json_t *a = json_array();
	while (*s) {
		size_t n = strcspn(s, ",");
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n;
		if (*s == ',')
			s++;
	}
	return a;
}

/* ---- pledges (REG-2) ---- */

static json_t *pledges;
static pthread_once_t pledges_once = PTHREAD_ONCE_INIT;

static void load_pledges(void)
{
	const struct kw_embedded *e = kw_embedded_find("pledges.json");
	pledges = e ? json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, NULL) : NULL;
}

static const json_t *pledge_set(const char *ruleset)
{
	pthread_once(&pledges_once, load_pledges);
	const json_t *p = json_object_get(pledges, ruleset ? ruleset : "PQ");
	const char *same = str(p, "same_as");
	if (same)
		p = json_object_get(pledges, same);
	return p;
}

int kw_reg_pledge(const char *ruleset, const char *lang, json_t **out, struct kw_err *err)
{
	const json_t *p = pledge_set(ruleset);
	const json_t *t = json_object_get(p, lang && strncmp(lang, "en", 2) == 0 ? "en" : "zh");
	if (!t)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "no pledge text for %s",
		                  ruleset ? ruleset : "?");
	*out = json_deep_copy(t);
	json_object_set_new(*out, "version", json_string(str(p, "version")));
	return 0;
}

/* ---- sign-up (REG-4) ---- */

struct signup_job {
	char id_type[20], id_number[40], name[160], phone[40], email[120], hash[128];
	struct kw_idno id;
	int64_t id_out;
};

static const char cand_cols[] =
        "id, id_type, id_number, name, sex, birth_date, phone, email, password_hash, status, "
        "political_status, household_region, work_years, grassroots_years, grassroots_project, "
        "education, created_at, updated_at";

static int signup_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct signup_job *j = arg;
	struct kw_stmt *s = NULL;
	char now[32];
	kw_clock_format(tx->now_us, now);
	/* One account per document: looked up first, so PostgreSQL's transaction stays usable. */
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id FROM candidates WHERE id_type = $1 AND id_number = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, j->id_type);
		kw_stmt_bind_textz(s, 2, j->id_number);
		rc = step_row(s, err);
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc == 1) {
		rc = kw_err_set(err, KW_ECONFLICT, "IDENTITY_TAKEN", "REG-4",
		                "an account already holds this identity document");
		kw_err_detail(err, "claim", json_string("/api/v1/identity_claims"));
		return rc;
	}
	if (rc)
		return rc;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	char ret[1024];
	kw_audit_returning("candidates", ret, sizeof ret);
	kw_buf_addf(
	        &b,
	        "INSERT INTO candidates (id_type, id_number, name, sex, birth_date, phone, email, "
	        "password_hash, status, work_years, grassroots_years, grassroots_project, "
	        "education, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	        "'active', 0, 0, 0, '[]', $9, $9) %s",
	        ret);
	rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	char sex[2] = {j->id.sex, 0};
	kw_stmt_bind_textz(s, 1, j->id_type);
	kw_stmt_bind_textz(s, 2, j->id_number);
	kw_stmt_bind_textz(s, 3, j->name);
	if (sex[0])
		kw_stmt_bind_textz(s, 4, sex);
	else
		kw_stmt_bind_null(s, 4);
	if (j->id.birth[0])
		kw_stmt_bind_textz(s, 5, j->id.birth);
	else
		kw_stmt_bind_null(s, 5);
	kw_stmt_bind_textz(s, 6, j->phone);
	if (j->email[0])
		kw_stmt_bind_textz(s, 7, j->email);
	else
		kw_stmt_bind_null(s, 7);
	kw_stmt_bind_textz(s, 8, j->hash);
	kw_stmt_bind_textz(s, 9, now);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		char mid[64], mph[40];
		kw_mask_id_number(j->id_number, mid, sizeof mid);
		kw_mask_phone(j->phone, mph, sizeof mph);
		json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "id_type", j->id_type, "id_number",
		                      mid, "name", j->name, "phone", mph);
		j->id_out = kw_stmt_column_int64(s, 0);
		rc = kw_audit_append_row(tx, "candidate.create", "candidates", s, d, err);
		json_decref(d);
	}
	kw_stmt_finalize(s);
	return rc;
}

static const struct kw_jfield signup_fields[] = {
        {"id_type", KW_JSTRING, 0, 1, 20},           {"id_number", KW_JSTRING, KW_JREQUIRED, 1, 40},
        {"name", KW_JSTRING, KW_JREQUIRED, 1, 150},  {"phone", KW_JSTRING, KW_JREQUIRED, 1, 30},
        {"email", KW_JSTRING, KW_JNULLABLE, 0, 100}, {"password", KW_JSTRING, KW_JREQUIRED, 1, 256},
};

int kw_reg_signup(struct kw_app *app, const struct kw_actor *actor, const json_t *body,
                  json_t **out, struct kw_err *err)
{
	int rc = kw_json_check(body, signup_fields, sizeof signup_fields / sizeof signup_fields[0],
	                       err);
	if (rc)
		return rc;
	struct signup_job *j = kw_xcalloc(1, sizeof *j);
	json_t *fields = json_array();
	const char *type = str(body, "id_type") ? str(body, "id_type") : "resident_id";
	enum kw_idno_type t = kw_idno_type_of(type);
	char today[11];
	kw_clock_china_date(kw_clock_now_us(), today);
	if (!t) {
		problem(fields, "id_type", "not_allowed");
	} else {
		int ic = kw_idno_check(t, str(body, "id_number"), today, &j->id);
		if (ic)
			problem(fields, "id_number", kw_idno_problem(ic));
	}
	const char *name = str(body, "name"), *phone = str(body, "phone"),
	           *email = str(body, "email"), *pw = str(body, "password");
	/* Names keep rare characters (PQ 43(2)): any UTF-8 text of 1..50 characters. */
	if (utf8_chars(name) > 50 || has_control(name) || !*name)
		problem(fields, "name", utf8_chars(name) > 50 ? "too_long" : "required");
	if (!phone_ok(phone))
		problem(fields, "phone", "phone_format");
	if (email && *email && !email_ok(email))
		problem(fields, "email", "email_format");
	if (strlen(pw) < 8)
		problem(fields, "password", "too_short");
	if (json_array_size(fields)) {
		free(j);
		return validation_failed(fields, err);
	}
	json_decref(fields);
	snprintf(j->id_type, sizeof j->id_type, "%s", type);
	snprintf(j->id_number, sizeof j->id_number, "%s", j->id.norm);
	snprintf(j->name, sizeof j->name, "%s", name);
	snprintf(j->phone, sizeof j->phone, "%s", phone);
	snprintf(j->email, sizeof j->email, "%s", email ? email : "");
	if (kw_pwhash(j->hash, pw) != 0) {
		free(j);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "out of memory hashing");
	}
	rc = kw_writer_run(app->writer, signup_job, j, actor, err);
	if (!rc)
		rc = kw_reg_profile(app, j->id_out, out, err);
	sodium_memzero(j, sizeof *j);
	free(j);
	return rc;
}

/* ---- profile ---- */

/* The candidate's row as the eligibility engine and the API see it (number unmasked). */
/* The registration a candidate has for an exam (load_candidate_for): id 0 when none. */
struct reg_there {
	int64_t id, position_id;
	char status[16];
	int has_photo; /* the candidate has uploaded a photo (REG-4) */
};

/*
 * The candidate's row as the eligibility engine and the API see it (number unmasked); with
 * exam and there, also their registration for that exam — in the same query (a round trip
 * fewer per submission).
 */
static int load_candidate_for(struct kw_conn *c, int64_t id, int64_t exam, struct reg_there *there,
                              json_t **out, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	char sql[900];
	if (there)
		snprintf(sql, sizeof sql,
		         "SELECT %s, (SELECT r.id FROM registrations r WHERE r.candidate_id = $1 "
		         "AND "
		         "r.exam_id = $2), (SELECT r.status FROM registrations r WHERE "
		         "r.candidate_id "
		         "= $1 AND r.exam_id = $2), (SELECT r.position_id FROM registrations r "
		         "WHERE "
		         "r.candidate_id = $1 AND r.exam_id = $2), CASE WHEN EXISTS (SELECT 1 FROM "
		         "files f WHERE f.candidate_id = $1 AND f.purpose = 'photo') THEN 1 ELSE 0 "
		         "END FROM candidates WHERE id = $1",
		         cand_cols);
	else
		snprintf(sql, sizeof sql, "SELECT %s FROM candidates WHERE id = $1", cand_cols);
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		if (there)
			kw_stmt_bind_int64(s, 2, exam);
		rc = step_row(s, err);
	}
	if (rc == 1 && there) {
		memset(there, 0, sizeof *there);
		if (!kw_stmt_column_is_null(s, 18)) {
			there->id = kw_stmt_column_int64(s, 18);
			snprintf(there->status, sizeof there->status, "%s",
			         kw_stmt_column_text(s, 19, NULL));
			there->position_id =
			        kw_stmt_column_is_null(s, 20) ? 0 : kw_stmt_column_int64(s, 20);
		}
		there->has_photo = kw_stmt_column_int64(s, 21) != 0;
	}
	if (rc == 1) {
		json_t *edu = json_loads(kw_stmt_column_text(s, 15, NULL), 0, NULL);
		*out = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
		                 "s:o, s:b, s:o, s:o, s:o}",
		                 "id", (json_int_t)kw_stmt_column_int64(s, 0), "id_type",
		                 col_json_text(s, 1), "id_number", col_json_text(s, 2), "name",
		                 col_json_text(s, 3), "sex", col_json_text(s, 4), "birth_date",
		                 col_json_text(s, 5), "phone", col_json_text(s, 6), "email",
		                 col_json_text(s, 7), "status", col_json_text(s, 9),
		                 "political_status", col_json_text(s, 10), "household_region",
		                 col_json_text(s, 11), "work_years", col_json_int(s, 12),
		                 "grassroots_years", col_json_int(s, 13), "grassroots_project",
		                 kw_stmt_column_int64(s, 14) != 0, "education",
		                 edu ? edu : json_array(), "created_at", col_json_text(s, 16),
		                 "updated_at", col_json_text(s, 17));
		rc = 0;
	} else if (rc == 0) {
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such candidate");
	}
	kw_stmt_finalize(s);
	return rc;
}

static int load_candidate(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	return load_candidate_for(c, id, 0, NULL, out, err);
}

static void mask_candidate(json_t *c)
{
	char m[64];
	const char *v = str(c, "id_number");
	if (v) {
		kw_mask_id_number(v, m, sizeof m);
		json_object_set_new(c, "id_number", json_string(m));
	}
	v = str(c, "phone");
	if (v) {
		kw_mask_phone(v, m, sizeof m);
		json_object_set_new(c, "phone", json_string(m));
	}
}

int kw_reg_profile(struct kw_app *app, int64_t candidate, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = load_candidate(c, candidate, out, err);
	json_t *photo = NULL;
	if (!rc && (rc = kw_files_photo_info(c, candidate, &photo, err)) != 0)
		json_decref(*out);
	kw_pool_put(app->pool, c);
	if (!rc) {
		mask_candidate(*out);
		json_object_set_new(*out, "photo", photo);
	}
	return rc;
}

/* One education record: {level, degree, major_code, major, school, graduated_on}. */
static void check_education(const json_t *list, json_t *fields)
{
	if (!json_is_array(list) || json_array_size(list) > 8) {
		problem(fields, "education", "type");
		return;
	}
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		char f[80];
		if (!json_is_object(e)) {
			problem(fields, "education", "type");
			return;
		}
		snprintf(f, sizeof f, "education[%zu].level", i);
		if (!in_list(str(e, "level"), kw_elig_education_levels))
			problem(fields, f, "not_allowed");
		snprintf(f, sizeof f, "education[%zu].degree", i);
		if (str(e, "degree") && !in_list(str(e, "degree"), kw_elig_degrees))
			problem(fields, f, "not_allowed");
		const char *mc = str(e, "major_code");
		snprintf(f, sizeof f, "education[%zu].major_code", i);
		if (mc) {
			size_t n = strlen(mc), d = strspn(mc, "0123456789");
			if (!(d == 6 && (n == 6 || (n == 7 && (mc[6] == 'K' || mc[6] == 'T')))))
				problem(fields, f, "major_codes");
		}
		static const char *const texts[] = {"major", "school", NULL};
		for (const char *const *t = texts; *t; t++) {
			json_t *v = json_object_get(e, *t);
			snprintf(f, sizeof f, "education[%zu].%s", i, *t);
			if (v && (!json_is_string(v) || utf8_chars(json_string_value(v)) > 100 ||
			          has_control(json_string_value(v))))
				problem(fields, f, "type");
		}
		const char *g = str(e, "graduated_on");
		snprintf(f, sizeof f, "education[%zu].graduated_on", i);
		int y, m, d;
		char tail;
		if (g && (strlen(g) != 10 || sscanf(g, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
		          m < 1 || m > 12 || d < 1 || d > 31))
			problem(fields, f, "date_format");
		const char *known[] = {"level",  "degree",       "major_code", "major",
		                       "school", "graduated_on", NULL};
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)e, key, v) if (!in_list(key, known))
		{
			snprintf(f, sizeof f, "education[%zu].%.20s", i, key);
			problem(fields, f, "unknown");
		}
	}
}

/* Does the candidate's document carry their birth date (then it is not theirs to change)? */
static int birth_fixed(struct kw_app *app, int64_t candidate)
{
	json_t *c = NULL;
	struct kw_err e = KW_ERR_INIT;
	struct kw_conn *conn = kw_pool_get(app->pool);
	int fixed = 1;
	if (load_candidate(conn, candidate, &c, &e) == 0) {
		struct kw_idno id;
		enum kw_idno_type t = kw_idno_type_of(str(c, "id_type"));
		fixed = t && kw_idno_check(t, str(c, "id_number"), "9999-12-31", &id) == 0 &&
		        id.birth[0];
	}
	kw_pool_put(app->pool, conn);
	kw_err_release(&e);
	json_decref(c);
	return fixed;
}

struct profile_job {
	int64_t id;
	json_t *set; /* column → value */
};

static int profile_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct profile_job *j = arg;
	char now[32], ret[1024];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("candidates", ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "UPDATE candidates SET ");
	const char *key;
	json_t *v;
	int p = 1;
	json_object_foreach(j->set, key, v) kw_buf_addf(&b, "%s = $%d, ", key, p++);
	kw_buf_addf(&b, "updated_at = $%d WHERE id = $%d %s", p, p + 1, ret);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	p = 1;
	json_object_foreach(j->set, key, v)
	{
		if (json_is_null(v))
			kw_stmt_bind_null(s, p++);
		else if (json_is_integer(v))
			kw_stmt_bind_int64(s, p++, json_integer_value(v));
		else if (json_is_boolean(v))
			kw_stmt_bind_int64(s, p++, json_is_true(v));
		else if (json_is_string(v))
			kw_stmt_bind_textz(s, p++, json_string_value(v));
		else {
			char *t = json_dumps(v, JSON_COMPACT);
			kw_stmt_bind_textz(s, p++, t ? t : "[]");
			free(t);
		}
	}
	kw_stmt_bind_textz(s, p, now);
	kw_stmt_bind_int64(s, p + 1, j->id);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		json_t *d = json_deep_copy(j->set);
		if (str(d, "phone")) {
			char m[40];
			kw_mask_phone(str(d, "phone"), m, sizeof m);
			json_object_set_new(d, "phone", json_string(m));
		}
		rc = kw_audit_append_row(tx, "candidate.update", "candidates", s, d, err);
		json_decref(d);
	} else if (rc == KW_DONE) {
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such candidate");
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_reg_profile_update(struct kw_app *app, const struct kw_actor *actor, int64_t candidate,
                          const json_t *body, json_t **out, struct kw_err *err)
{
	if (!json_is_object(body))
		return kw_err_set(err, KW_EINVAL, "JSON_NOT_OBJECT", NULL,
		                  "the body is not an object");
	json_t *fields = json_array(), *set = json_object();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v)
	{
		if (strcmp(key, "phone") == 0) {
			if (!json_is_string(v) || !phone_ok(json_string_value(v)))
				problem(fields, key, "phone_format");
		} else if (strcmp(key, "email") == 0) {
			if (!json_is_null(v) &&
			    (!json_is_string(v) ||
			     (json_string_length(v) && !email_ok(json_string_value(v)))))
				problem(fields, key, "email_format");
		} else if (strcmp(key, "political_status") == 0) {
			if (!json_is_null(v) &&
			    !in_list(json_string_value(v), kw_elig_political_statuses))
				problem(fields, key, "not_allowed");
		} else if (strcmp(key, "household_region") == 0) {
			const char *r = json_string_value(v);
			if (!json_is_null(v) &&
			    (!r || strlen(r) != 6 || strspn(r, "0123456789") != 6))
				problem(fields, key, "region_codes");
		} else if (strcmp(key, "work_years") == 0 || strcmp(key, "grassroots_years") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 60)
				problem(fields, key, "range");
		} else if (strcmp(key, "grassroots_project") == 0) {
			if (!json_is_boolean(v))
				problem(fields, key, "type");
		} else if (strcmp(key, "education") == 0) {
			check_education(v, fields);
		} else if (strcmp(key, "birth_date") == 0) {
			/* Only for a document that carries none (core/idno.c says which). */
			const char *d = json_string_value(v);
			int y, m, dd;
			char tail;
			if (!d || strlen(d) != 10 ||
			    sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || m < 1 ||
			    m > 12 || dd < 1 || dd > 31 || y < 1900)
				problem(fields, key, "date_format");
			else if (birth_fixed(app, candidate))
				problem(fields, key, "fixed");
		} else {
			problem(fields, key, "unknown");
			continue;
		}
		json_object_set(set, key, v);
	}
	if (json_array_size(fields) || json_object_size(set) == 0) {
		json_decref(set);
		if (!json_array_size(fields))
			problem(fields, "body", "empty");
		return validation_failed(fields, err);
	}
	json_decref(fields);
	struct profile_job j = {candidate, set};
	int rc = kw_writer_run(app->writer, profile_job, &j, actor, err);
	json_decref(set);
	return rc ? rc : kw_reg_profile(app, candidate, out, err);
}

/* ---- exams and positions as registration reads them ---- */

static const char exam_cols[] =
        "id, unit_id, code, name, kind, ruleset, year, status, reg_opens_at, reg_closes_at, "
        "pledge_withdraw_until, registration_places, onsite_registration, procedure, exam_date, "
        "ref_date, syllabus_published_on, ticket_delivery, fee_approval, levels, rolling_years, "
        "age_min, age_max, education_min, degree_min, majors, work_years_min, notice, template_id, "
        "photo_required";
static const char *const exam_names[] = {"id",
                                         "unit_id",
                                         "code",
                                         "name",
                                         "kind",
                                         "ruleset",
                                         "year",
                                         "status",
                                         "reg_opens_at",
                                         "reg_closes_at",
                                         "pledge_withdraw_until",
                                         "registration_places",
                                         "onsite_registration",
                                         "procedure",
                                         "exam_date",
                                         "ref_date",
                                         "syllabus_published_on",
                                         "ticket_delivery",
                                         "fee_approval",
                                         "levels",
                                         "rolling_years",
                                         "age_min",
                                         "age_max",
                                         "education_min",
                                         "degree_min",
                                         "majors",
                                         "work_years_min",
                                         "notice",
                                         "template_id",
                                         "photo_required",
                                         NULL};
/* Which exam columns are integers. */
static int exam_int(const char *n)
{
	static const char *const ints[] = {
	        "id",      "unit_id", "year",           "onsite_registration", "rolling_years",
	        "age_min", "age_max", "work_years_min", "template_id",         "photo_required",
	        NULL};
	return in_list(n, ints);
}

static int load_exam(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT %s FROM exams WHERE id = $1", exam_cols);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = step_row(s, err);
	}
	if (rc == 1) {
		*out = json_object();
		for (int i = 0; exam_names[i]; i++)
			json_object_set_new(*out, exam_names[i],
			                    exam_int(exam_names[i]) ? col_json_int(s, i)
			                                            : col_json_text(s, i));
		json_object_set_new(*out, "onsite_registration",
		                    json_boolean(json_integer_value(
		                            json_object_get(*out, "onsite_registration"))));
		/* REG-4, TKT-1: null (an exam made before migration 0017) is "not required". */
		json_object_set_new(
		        *out, "photo_required",
		        json_boolean(json_integer_value(json_object_get(*out, "photo_required"))));
		rc = 0;
	} else if (rc == 0) {
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	}
	kw_stmt_finalize(s);
	return rc;
}

static const char pos_cols[] =
        "p.id, p.exam_id, p.recruiter_id, p.code, p.department_name, p.bureau, p.name, "
        "p.attribute, "
        "p.distribution, p.description, p.agency_level, p.category, p.quota, p.majors, "
        "p.education_min, p.degree_min, p.political_status, p.grassroots_years_min, "
        "p.grassroots_project, p.professional_test, p.interview_ratio, p.work_location, "
        "p.settlement_location, p.age_min, p.age_max, p.household, p.remarks, u.name";
static const char *const pos_names[] = {"id",
                                        "exam_id",
                                        "recruiter_id",
                                        "code",
                                        "department_name",
                                        "bureau",
                                        "name",
                                        "attribute",
                                        "distribution",
                                        "description",
                                        "agency_level",
                                        "category",
                                        "quota",
                                        "majors",
                                        "education_min",
                                        "degree_min",
                                        "political_status",
                                        "grassroots_years_min",
                                        "grassroots_project",
                                        "professional_test",
                                        "interview_ratio",
                                        "work_location",
                                        "settlement_location",
                                        "age_min",
                                        "age_max",
                                        "household",
                                        "remarks",
                                        "recruiter_name",
                                        NULL};

static json_t *pos_row(struct kw_stmt *s)
{
	static const char *const ints[] = {
	        "id",      "exam_id", "recruiter_id", "quota", "grassroots_years_min", "age_min",
	        "age_max", NULL};
	json_t *o = json_object();
	for (int i = 0; pos_names[i]; i++) {
		const char *n = pos_names[i];
		if (strcmp(n, "grassroots_project") == 0 || strcmp(n, "professional_test") == 0)
			json_object_set_new(o, n, json_boolean(kw_stmt_column_int64(s, i)));
		else
			json_object_set_new(
			        o, n, in_list(n, ints) ? col_json_int(s, i) : col_json_text(s, i));
	}
	return o;
}

static int load_position(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	char sql[900];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM positions p JOIN units u ON u.id = p.recruiter_id WHERE p.id = $1",
	         pos_cols);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = step_row(s, err);
	}
	if (rc == 1) {
		*out = pos_row(s);
		rc = 0;
	} else if (rc == 0) {
		rc = kw_err_set(err, KW_ENOTFOUND, "POSITION_NOT_FOUND", "EXAM-4",
		                "no such position in this exam");
	}
	kw_stmt_finalize(s);
	return rc;
}

json_t *kw_reg_conditions(const json_t *rec)
{
	json_t *c = json_object();
	static const char *const ints[] = {"age_min", "age_max", "work_years_min",
	                                   "grassroots_years_min", NULL};
	for (const char *const *k = ints; *k; k++) {
		json_t *v = json_object_get(rec, *k);
		if (json_is_integer(v))
			json_object_set(c, *k, v);
	}
	static const char *const enums[] = {"education_min", "degree_min", NULL};
	for (const char *const *k = enums; *k; k++)
		if (str(rec, *k))
			json_object_set_new(c, *k, json_string(str(rec, *k)));
	json_t *l;
	if ((l = split_list(str(rec, "majors"))))
		json_object_set_new(c, "majors", l);
	if ((l = split_list(str(rec, "political_status"))))
		json_object_set_new(c, "political_status", l);
	if ((l = split_list(str(rec, "household"))))
		json_object_set_new(c, "household", l);
	if (json_is_true(json_object_get(rec, "grassroots_project")))
		json_object_set_new(c, "grassroots_project", json_true());
	return c;
}

/* ---- submission ---- */

/*
 * Exams and positions as submissions read them, kept for a second: at the deadline every
 * submission reads the same few rows, and each read is a round trip. A change made by staff
 * (a window extended, a position corrected) is seen within CACHE_US. Copies are handed out.
 */
#define CACHE_US    INT64_C(1000000)
#define CACHE_SLOTS 1024
static struct {
	pthread_mutex_t mu;
	struct {
		int64_t id, at;
		json_t *j;
	} slot[2][CACHE_SLOTS];
} row_cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int cached(struct kw_conn *c, int which, int64_t id, json_t **out, struct kw_err *err)
{
	int64_t now = kw_clock_now_us();
	size_t i = (size_t)((uint64_t)id % CACHE_SLOTS);
	pthread_mutex_lock(&row_cache.mu);
	json_t *hit = NULL;
	if (row_cache.slot[which][i].id == id && row_cache.slot[which][i].j &&
	    now - row_cache.slot[which][i].at < CACHE_US && now >= row_cache.slot[which][i].at)
		hit = json_deep_copy(row_cache.slot[which][i].j);
	pthread_mutex_unlock(&row_cache.mu);
	if (hit) {
		*out = hit;
		return 0;
	}
	int rc = which ? load_position(c, id, out, err) : load_exam(c, id, out, err);
	if (rc)
		return rc;
	pthread_mutex_lock(&row_cache.mu);
	json_decref(row_cache.slot[which][i].j);
	row_cache.slot[which][i].id = id;
	row_cache.slot[which][i].at = now;
	row_cache.slot[which][i].j = json_deep_copy(*out);
	pthread_mutex_unlock(&row_cache.mu);
	return 0;
}

struct kw_reg_submit {
	int64_t exam_id, candidate_id, position_id, entered_by;
	char subjects[400];
	char channel[8];
	char route[8];
	char pledge_version[32];
	char address[64];
	int64_t area_id;         /* the exam area chosen (SEAT-1), 0 when none */
	char accommodation[400]; /* what the candidate needs at the exam, "" when nothing */
	/* results */
	int64_t id;
	int created;
	int known; /* prepare found the same application there already: no job needed */
};

int kw_reg_submit_known(const struct kw_reg_submit *r)
{
	return r->known;
}

void kw_reg_submit_free(struct kw_reg_submit *r)
{
	free(r);
}

int64_t kw_reg_submit_id(const struct kw_reg_submit *r, int *created)
{
	if (created)
		*created = r->created;
	return r->id;
}

/* A registration's columns, aliased r (reg_row reads them in this order). */
static const char reg_cols[] =
        "r.id, r.exam_id, r.candidate_id, r.position_id, r.subjects, r.channel, r.entered_by, "
        "r.route, r.pledge_version, r.pledged_at, r.pledge_address, r.pledge_withdrawn_at, "
        "r.pledge_withdraw_reason, r.status, r.review_reason, r.reviewed_by, r.reviewed_at, "
        "r.submitted_at, r.created_at, r.updated_at";

/* The new registration and its audit record: 1 when written, 0 when the candidate has one
 * for this exam already (a concurrent submission: the caller looks at it), or an error. */
static int insert_registration(struct kw_tx *tx, struct kw_reg_submit *r, const char *now,
                               const char *ret, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(
	        &b,
	        "INSERT INTO registrations (exam_id, candidate_id, position_id, subjects, "
	        "channel, entered_by, route, pledge_version, pledged_at, pledge_address, "
	        "status, submitted_at, created_at, updated_at, area_id, accommodation) VALUES "
	        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, $11, $11, $12, $13) "
	        "ON CONFLICT (exam_id, "
	        "candidate_id) DO NOTHING %s",
	        ret);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	int pledge = strcmp(r->route, "pledge") == 0;
	kw_stmt_bind_int64(s, 1, r->exam_id);
	kw_stmt_bind_int64(s, 2, r->candidate_id);
	if (r->position_id)
		kw_stmt_bind_int64(s, 3, r->position_id);
	else
		kw_stmt_bind_null(s, 3);
	kw_stmt_bind_textz(s, 4, r->subjects);
	kw_stmt_bind_textz(s, 5, r->channel);
	if (r->entered_by)
		kw_stmt_bind_int64(s, 6, r->entered_by);
	else
		kw_stmt_bind_null(s, 6);
	kw_stmt_bind_textz(s, 7, r->route);
	if (pledge) {
		kw_stmt_bind_textz(s, 8, r->pledge_version);
		kw_stmt_bind_textz(s, 9, now);
		kw_stmt_bind_textz(s, 10, r->address);
	} else {
		kw_stmt_bind_null(s, 8);
		kw_stmt_bind_null(s, 9);
		kw_stmt_bind_null(s, 10);
	}
	kw_stmt_bind_textz(s, 11, now);
	if (r->area_id)
		kw_stmt_bind_int64(s, 12, r->area_id);
	else
		kw_stmt_bind_null(s, 12);
	kw_stmt_bind_textz(s, 13, r->accommodation[0] ? r->accommodation : NULL);
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		r->id = kw_stmt_column_int64(s, 0);
		r->created = 1;
		json_t *d = json_pack("{s:I, s:s, s:s}", "exam_id", (json_int_t)r->exam_id, "route",
		                      r->route, "channel", r->channel);
		if (r->position_id)
			json_object_set_new(d, "position_id", json_integer(r->position_id));
		rc = kw_audit_append_row(tx, "registration.submit", "registrations", s, d, err);
		json_decref(d);
		rc = rc ? rc : 1;
	} else if (rc == KW_DONE) {
		rc = 0;
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_reg_submit_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct kw_reg_submit *r = arg;
	struct kw_stmt *s = NULL;
	char now[32], ret[1024];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("registrations", ret, sizeof ret);
	r->created = 0;
	/* The usual case first: nothing there yet (one round trip fewer for the writer). */
	if (!r->id) {
		int w = insert_registration(tx, r, now, ret, err);
		if (w != 0)
			return w < 0 ? w : 0;
	}
	int64_t existing = 0, old_pos = 0;
	char status[16] = "";
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id, status, position_id FROM registrations WHERE "
	                         "exam_id = $1 AND candidate_id = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, r->exam_id);
		kw_stmt_bind_int64(s, 2, r->candidate_id);
		rc = step_row(s, err);
		if (rc == 1) {
			existing = kw_stmt_column_int64(s, 0);
			snprintf(status, sizeof status, "%s", kw_stmt_column_text(s, 1, NULL));
			old_pos = kw_stmt_column_is_null(s, 2) ? 0 : kw_stmt_column_int64(s, 2);
			rc = 0;
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (rc)
		return rc;
	if (!existing) {
		int w = insert_registration(tx, r, now, ret, err);
		return w < 0 ? w
		       : w   ? 0
		             : kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                          "the registration was not written");
	}
	r->id = existing;
	/* The same application again: what is there already is the answer (no duplicate); the
	 * attempt itself is on the record. */
	if (strcmp(status, "rejected") != 0 || old_pos == r->position_id)
		return kw_audit_append(tx, "registration.repeat", "registrations", existing, NULL,
		                       err);
	/* After a rejection, while the window is open: another position, reviewed anew. */
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b,
	            "UPDATE registrations SET position_id = $1, status = 'submitted', "
	            "review_reason = NULL, reviewed_by = NULL, reviewed_at = NULL, "
	            "submitted_at = $2, updated_at = $2 WHERE id = $3 %s",
	            ret);
	rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, r->position_id);
		kw_stmt_bind_textz(s, 2, now);
		kw_stmt_bind_int64(s, 3, existing);
		rc = kw_stmt_step(s, err);
	}
	if (rc == KW_ROW) {
		r->created = 1;
		json_t *d = json_pack("{s:I}", "position_id", (json_int_t)r->position_id);
		rc = kw_audit_append_row(tx, "registration.change_position", "registrations", s, d,
		                         err);
		json_decref(d);
	} else if (rc == KW_DONE) {
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "the registration vanished");
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Messages for each unmet condition come from the catalogue (ELIG_*); the HTTP layer adds
 * them. Here: the refusal itself. */
static int ineligible(json_t *result, const char *ref_date, struct kw_err *err)
{
	int rc = kw_err_set(err, KW_ERULE, "ELIGIBILITY_UNMET", "REG-6",
	                    "the candidate does not meet every condition");
	json_t *unmet = json_incref(json_object_get(result, "unmet"));
	size_t i;
	json_t *u;
	json_array_foreach(unmet, i, u) json_object_set_new(u, "ref_date", json_string(ref_date));
	kw_err_detail(err, "unmet", unmet);
	return rc;
}

static const struct kw_jfield submit_fields[] = {
        {"exam_id", KW_JINTEGER, KW_JREQUIRED, 1, INT32_MAX},
        {"position_id", KW_JINTEGER, KW_JNULLABLE, 1, INT32_MAX},
        {"subjects", KW_JARRAY, KW_JNULLABLE, 0, 20},
        {"route", KW_JSTRING, KW_JREQUIRED, 1, 10},
        {"pledge_version", KW_JSTRING, KW_JNULLABLE, 1, 32},
        {"pledge_accepted", KW_JBOOLEAN, KW_JNULLABLE, 0, 0},
        {"candidate_id", KW_JINTEGER, KW_JNULLABLE, 1, INT32_MAX},
        {"area", KW_JSTRING, KW_JNULLABLE, 1, 64},
        {"accommodation", KW_JSTRING, KW_JNULLABLE, 1, 400},
};

/* The province of unit id (its topmost provincial-level unit at or above it, 0 when none),
 * and id's own kind. */
static int unit_province(struct kw_conn *c, int64_t id, int64_t *prov, char kind[32],
                         struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c, "SELECT COALESCE(parent_id, 0), level, kind FROM units WHERE id = $1", &s, err);
	*prov = 0;
	for (int depth = 0; !rc && id && depth < 32; depth++) {
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc != KW_ROW)
			break;
		rc = 0;
		if (depth == 0 && kind)
			snprintf(kind, 32, "%s", kw_stmt_column_text(s, 2, NULL));
		/* the topmost provincial-level unit: the department above the agency and the
		 * civil-service authority */
		if (strcmp(kw_stmt_column_text(s, 1, NULL), "provincial") == 0)
			*prov = id;
		else if (*prov)
			break;
		id = kw_stmt_column_int64(s, 0);
	}
	kw_stmt_finalize(s);
	return rc == KW_DONE ? 0 : rc;
}

/* SEAT-1: the exam area a candidate sits in — an exam-area agency of the exam's province. */
static int check_area(struct kw_conn *c, int64_t exam_unit, const char *code, int64_t *area,
                      json_t *fields, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, "SELECT id FROM units WHERE code = $1", &s, err);
	*area = 0;
	if (!rc) {
		kw_stmt_bind_textz(s, 1, code);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*area = kw_stmt_column_int64(s, 0);
		rc = rc == KW_ROW || rc == KW_DONE ? 0 : rc;
	}
	kw_stmt_finalize(s);
	int64_t p1 = 0, p2 = 0;
	char kind[32] = "";
	if (!rc && *area)
		rc = unit_province(c, *area, &p1, kind, err);
	if (!rc && *area)
		rc = unit_province(c, exam_unit, &p2, NULL, err);
	if (!rc && (!*area || strcmp(kind, "area_agency") != 0 || !p1 || p1 != p2)) {
		problem(fields, "area", "not_an_exam_area");
		*area = 0;
	}
	return rc;
}

/* Checks the subjects of a non-civil-service registration: known codes, no repeats. */
static int check_subjects(struct kw_conn *c, int64_t exam, const json_t *list, char *out, size_t n,
                          json_t *fields, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, "SELECT id FROM subjects WHERE exam_id = $1 AND code = $2", &s,
	                         err);
	size_t i, used = 0;
	json_t *v;
	out[0] = '\0';
	json_array_foreach(list, i, v)
	{
		if (rc)
			break;
		const char *code = json_string_value(v);
		if (!code || !*code || strlen(code) > 20 || strchr(code, ',')) {
			problem(fields, "subjects", "type");
			break;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(json_string_value(json_array_get(list, k)), code) == 0) {
				problem(fields, "subjects", "repeated");
				return 0;
			}
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_textz(s, 2, code);
		int r = step_row(s, err);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r == 0) {
			problem(fields, "subjects", "unknown_subject");
			break;
		}
		int w = snprintf(out + used, n - used, "%s%s", used ? "," : "", code);
		if (w < 0 || (size_t)w >= n - used) {
			problem(fields, "subjects", "too_many");
			break;
		}
		used += (size_t)w;
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_reg_submit_prepare(struct kw_app *app, const struct kw_session_info *s, int64_t candidate,
                          const json_t *body, const char *address, struct kw_reg_submit **out,
                          struct kw_err *err)
{
	*out = NULL;
	int rc = kw_json_check(body, submit_fields, sizeof submit_fields / sizeof submit_fields[0],
	                       err);
	if (rc)
		return rc;
	struct kw_reg_submit *r = kw_xcalloc(1, sizeof *r);
	struct reg_there there = {0};
	json_t *exam = NULL, *pos = NULL, *cand = NULL, *fields = json_array(), *result = NULL;
	r->exam_id = json_integer_value(json_object_get(body, "exam_id"));
	r->position_id = json_integer_value(json_object_get(body, "position_id"));
	const char *route = str(body, "route");
	snprintf(r->route, sizeof r->route, "%s", route);
	snprintf(r->address, sizeof r->address, "%s", address ? address : "?");
	int64_t now = kw_clock_now_us();
	char nowt[32], today[11];
	kw_clock_format(now, nowt);
	kw_clock_china_date(now, today);

	struct kw_conn *c = kw_pool_get(app->pool);
	/* Who: the candidate themself, or staff entering on site (REG-1). */
	if (s->candidate_id) {
		r->candidate_id = s->candidate_id;
		snprintf(r->channel, sizeof r->channel, "online");
		if (json_object_get(body, "candidate_id") &&
		    !json_is_null(json_object_get(body, "candidate_id")))
			problem(fields, "candidate_id", "unknown");
	} else {
		r->candidate_id = candidate;
		r->entered_by = s->user.id;
		snprintf(r->channel, sizeof r->channel, "onsite");
	}
	rc = cached(c, 0, r->exam_id, &exam, err);
	/* Unpublished exams are not there for candidates. */
	if (!rc && strcmp(str(exam, "status"), "published") != 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	if (!rc && !s->candidate_id) {
		/* On site only where the exam provides it, and only by its staff. */
		if (!json_is_true(json_object_get(exam, "onsite_registration")))
			rc = kw_err_set(err, KW_ERULE, "REG_ONSITE_NOT_PROVIDED", "REG-1",
			                "this exam takes no registrations on site");
		else
			rc = kw_authz_check(c, s, "registration.enter",
			                    json_integer_value(json_object_get(exam, "unit_id")),
			                    err);
	}
	if (!rc)
		rc = load_candidate_for(c, r->candidate_id, r->exam_id, &there, &cand, err);
	/* REG-1: inside the window, by the one clock. */
	if (!rc) {
		const char *o = str(exam, "reg_opens_at"), *cl = str(exam, "reg_closes_at");
		if (!o || !cl || strcmp(nowt, o) < 0) {
			rc = kw_err_set(err, KW_ERULE, "REG_WINDOW_NOT_OPEN", "REG-1",
			                "registration has not opened");
			if (o)
				kw_err_detail(err, "opens_at", json_string(o));
		} else if (strcmp(nowt, cl) >= 0) {
			rc = kw_err_set(err, KW_ERULE, "REG_WINDOW_CLOSED", "REG-1",
			                "registration closed at %s", cl);
			kw_err_detail(err, "closed_at", json_string(cl));
		}
	}
	int civil = exam && strcmp(str(exam, "kind"), "civil_service") == 0;
	/* What is applied for: one position (civil service), or subjects. */
	if (!rc && civil) {
		if (!r->position_id)
			problem(fields, "position_id", "required");
		else if (json_array_size(json_object_get(body, "subjects")))
			problem(fields, "subjects", "not_for_civil_service");
		else {
			rc = cached(c, 1, r->position_id, &pos, err);
			if (!rc &&
			    json_integer_value(json_object_get(pos, "exam_id")) != r->exam_id)
				rc = kw_err_set(err, KW_ENOTFOUND, "POSITION_NOT_FOUND", "EXAM-4",
				                "no such position in this exam");
		}
	} else if (!rc) {
		const json_t *subj = json_object_get(body, "subjects");
		if (r->position_id)
			problem(fields, "position_id", "only_civil_service");
		if (!json_array_size(subj))
			problem(fields, "subjects", "required");
		else
			rc = check_subjects(c, r->exam_id, subj, r->subjects, sizeof r->subjects,
			                    fields, err);
	}
	/* REG-2: the pledge, or proof; proof only for those in the qualification archive. */
	if (!rc) {
		const json_t *ps = pledge_set(str(exam, "ruleset"));
		if (strcmp(route, "pledge") == 0) {
			if (!json_is_true(json_object_get(body, "pledge_accepted")))
				problem(fields, "pledge_accepted", "required");
			const char *ver = str(body, "pledge_version");
			if (!ver || strcmp(ver, str(ps, "version")) != 0)
				problem(fields, "pledge_version", "not_current");
			else
				snprintf(r->pledge_version, sizeof r->pledge_version, "%s", ver);
		} else if (strcmp(route, "proof") != 0) {
			problem(fields, "route", "not_allowed");
		}
	}
	/* SEAT-1: where the candidate sits; what they need there. */
	if (!rc && str(body, "area"))
		rc = check_area(c, json_integer_value(json_object_get(exam, "unit_id")),
		                str(body, "area"), &r->area_id, fields, err);
	if (!rc && str(body, "accommodation"))
		snprintf(r->accommodation, sizeof r->accommodation, "%s",
		         str(body, "accommodation"));
	if (!rc && json_array_size(fields)) {
		rc = validation_failed(fields, err);
		fields = NULL;
	}
	/* REG-5: a VH ban in force refuses a civil-service application, never another kind; a
	 * qualification-archive record in term closes the pledge route (REG-2). */
	int ban = 0, qual = 0;
	if (!rc)
		rc = kw_archive_in_term(c, str(cand, "id_type"), str(cand, "id_number"), today,
		                        &ban, &qual, err);
	if (!rc && civil && ban)
		rc = kw_err_set(err, KW_ERULE, "REG_BANNED", "REG-5",
		                "a ban from civil-service recruitment exams is in force");
	if (!rc && qual && strcmp(route, "pledge") == 0)
		rc = kw_err_set(err, KW_ERULE, "PLEDGE_NOT_AVAILABLE", "REG-2",
		                "a record in the qualification-exam integrity archive is in term: "
		                "register with proof materials");
	/* Eligibility: every condition, each unmet one explained. */
	if (!rc) {
		json_t *cond = kw_reg_conditions(civil ? pos : exam);
		const char *ref = str(exam, "ref_date") ? str(exam, "ref_date") : today;
		const char *bad = NULL;
		if (kw_elig_evaluate(cond, cand, ref, &result, &bad) != 0)
			rc = kw_err_set(err, KW_EINTERNAL, "CONDITIONS_INVALID", NULL,
			                "the exam's conditions are malformed: %s", bad ? bad : "?");
		else if (!json_is_true(json_object_get(result, "eligible")))
			rc = ineligible(result, ref, err);
		json_decref(cond);
	}
	/* A repeat of what is there (a double click): answered without a write. */
	if (!rc && there.id) {
		r->known = strcmp(there.status, "rejected") != 0 ||
		           there.position_id == r->position_id;
		r->id = there.id;
	}
	/* REG-4, TKT-1: where the exam requires it, no submission without the candidate's photo
	 * — online or entered by staff on site (the candidate uploads it in their account; the
	 * ticket and the review show it). A repeat of what is there is answered as before. */
	if (!rc && !r->known && json_is_true(json_object_get(exam, "photo_required")) &&
	    !there.has_photo) {
		rc = kw_err_set(err, KW_ERULE, "PHOTO_REQUIRED", "REG-4",
		                "this exam requires the candidate's photo before submission");
		kw_err_detail(err, "upload", json_string("/api/v1/candidates/me/photo"));
	}
	kw_pool_put(app->pool, c);
	json_decref(exam);
	json_decref(pos);
	json_decref(cand);
	json_decref(fields);
	json_decref(result);
	if (rc) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* ---- reading registrations ---- */

static json_t *reg_row(struct kw_stmt *s, int off)
{
	static const char *const names[] = {"id",
	                                    "exam_id",
	                                    "candidate_id",
	                                    "position_id",
	                                    "subjects",
	                                    "channel",
	                                    "entered_by",
	                                    "route",
	                                    "pledge_version",
	                                    "pledged_at",
	                                    "pledge_address",
	                                    "pledge_withdrawn_at",
	                                    "pledge_withdraw_reason",
	                                    "status",
	                                    "review_reason",
	                                    "reviewed_by",
	                                    "reviewed_at",
	                                    "submitted_at",
	                                    "created_at",
	                                    "updated_at",
	                                    NULL};
	static const char *const ints[] = {
	        "id", "exam_id", "candidate_id", "position_id", "entered_by", "reviewed_by", NULL};
	json_t *o = json_object();
	for (int i = 0; names[i]; i++)
		json_object_set_new(o, names[i],
		                    in_list(names[i], ints) ? col_json_int(s, off + i)
		                                            : col_json_text(s, off + i));
	json_t *subj = split_list(str(o, "subjects"));
	json_object_set_new(o, "subjects", subj ? subj : json_array());
	return o;
}

/* A page of up to limit rows (id in column 0; one more row is read to know there is more):
 * {"items", "next_cursor"}. */
static int read_page(struct kw_stmt *st, int limit, json_t *(*row)(struct kw_stmt *), json_t **out,
                     struct kw_err *err)
{
	json_t *items = json_array();
	int64_t last = 0;
	int more = 0, rc;
	while ((rc = step_row(st, err)) == 1) {
		if ((int)json_array_size(items) == limit) {
			more = 1;
			break;
		}
		last = kw_stmt_column_int64(st, 0);
		json_array_append_new(items, row(st));
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = kw_json_page(items, more, last);
	return 0;
}

/* The unit a registration belongs to: its position's recruiting agency, else its exam's. */
static const char reg_unit_sql[] = "COALESCE((SELECT p.recruiter_id FROM positions p WHERE p.id = "
                                   "r.position_id), (SELECT e.unit_id FROM exams e WHERE e.id = "
                                   "r.exam_id))";

/* Candidate name, masked document and position/exam names for reviewers' lists. */
static const char reg_extra[] =
        ", c.name, c.id_type, c.id_number, e.name, (SELECT p.name FROM positions p WHERE "
        "p.id = r.position_id), (SELECT p.code FROM positions p WHERE p.id = r.position_id), "
        "(SELECT COUNT(*) FROM payments y WHERE y.registration_id = r.id AND y.status = "
        "'paid'), (SELECT u.code FROM units u WHERE u.id = r.area_id), r.accommodation, "
        "e.code";

static void add_extra(json_t *o, struct kw_stmt *s, int off)
{
	char m[64];
	kw_mask_id_number(kw_stmt_column_text(s, off + 2, NULL), m, sizeof m);
	json_object_set_new(o, "candidate_name", col_json_text(s, off));
	json_object_set_new(o, "id_type", col_json_text(s, off + 1));
	json_object_set_new(o, "id_number", json_string(m));
	json_object_set_new(o, "exam_name", col_json_text(s, off + 3));
	json_object_set_new(o, "position_name", col_json_text(s, off + 4));
	json_object_set_new(o, "position_code", col_json_text(s, off + 5));
	/* REG-7: paid while one of its orders is paid (no ticket without it). */
	json_object_set_new(o, "paid", json_boolean(kw_stmt_column_int64(s, off + 6) > 0));
	json_object_set_new(o, "area", col_json_text(s, off + 7));
	json_object_set_new(o, "accommodation", col_json_text(s, off + 8));
	json_object_set_new(o, "exam_code", col_json_text(s, off + 9));
}

static json_t *reg_row_full(struct kw_stmt *s)
{
	json_t *o = reg_row(s, 0);
	add_extra(o, s, 20);
	return o;
}

/* May s see registration id? Candidates their own; staff of its unit (registration.read). */
int kw_reg_reach(struct kw_conn *c, const struct kw_session_info *s, int64_t id, const char *action,
                 struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT r.candidate_id, %s FROM registrations r WHERE r.id = $1",
	         reg_unit_sql);
	int rc = kw_conn_prepare(c, sql, &st, err);
	int64_t cand = 0, unit = 0;
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = step_row(st, err);
		if (rc == 1) {
			cand = kw_stmt_column_int64(st, 0);
			unit = kw_stmt_column_int64(st, 1);
			rc = 0;
		} else if (rc == 0) {
			rc = KW_ENOTFOUND;
		}
	}
	kw_stmt_finalize(st);
	if (rc == KW_ENOTFOUND || (!rc && s->candidate_id && s->candidate_id != cand))
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such registration");
	if (rc || s->candidate_id)
		return rc;
	struct kw_err e2 = KW_ERR_INIT;
	rc = kw_authz_check(c, s, action, unit, &e2);
	kw_err_release(&e2);
	return rc ? kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such registration") : 0;
}

int kw_reg_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
               struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, id, "registration.read", err);
	struct kw_stmt *st = NULL;
	if (!rc) {
		char sql[1200];
		snprintf(sql, sizeof sql,
		         "SELECT %s%s FROM registrations r JOIN candidates c ON c.id = "
		         "r.candidate_id JOIN exams e ON e.id = r.exam_id WHERE r.id = $1",
		         reg_cols, reg_extra);
		rc = kw_conn_prepare(c, sql, &st, err);
	}
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = step_row(st, err);
		if (rc == 1) {
			*out = reg_row(st, 0);
			add_extra(*out, st, 20);
			rc = 0;
		} else if (rc == 0) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no such registration");
		}
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	return rc;
}

/* Adds "counts" {status: n} and "oldest_submitted_at" (of those awaiting review) to page. */
static int queue_counts(struct kw_conn *c, const struct kw_session_info *s,
                        const struct kw_reg_query *q, int all, json_t *page, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	int none = 0,
	    rc = all ? 0 : kw_rec_reach_sql(c, &b, s, "registration.read", &all, &none, err);
	if (rc || !page) {
		kw_buf_release(&b);
		return rc;
	}
	kw_buf_addf(&b, "SELECT r.status, COUNT(*), MIN(r.submitted_at) FROM registrations r WHERE "
	                "r.exam_id = $1");
	if (!all)
		kw_buf_addf(&b, " AND %s IN (SELECT id FROM reach)", reg_unit_sql);
	if (q->position_id)
		kw_buf_adds(&b, " AND r.position_id = $2");
	kw_buf_adds(&b, " GROUP BY r.status");
	struct kw_stmt *st = NULL;
	rc = kw_conn_prepare(c, b.buf, &st, err);
	kw_buf_release(&b);
	json_t *counts = json_pack("{s:i, s:i, s:i, s:i}", "submitted", 0, "approved", 0,
	                           "rejected", 0, "void", 0),
	       *oldest = json_null();
	if (!rc) {
		kw_stmt_bind_int64(st, 1, q->exam_id);
		if (q->position_id)
			kw_stmt_bind_int64(st, 2, q->position_id);
	}
	while (!rc && (rc = step_row(st, err)) == 1) {
		rc = 0;
		const char *status = kw_stmt_column_text(st, 0, NULL);
		json_object_set_new(counts, status, json_integer(kw_stmt_column_int64(st, 1)));
		if (strcmp(status, "submitted") == 0) {
			json_decref(oldest);
			oldest = col_json_text(st, 2);
		}
	}
	kw_stmt_finalize(st);
	json_object_set_new(page, "counts", counts);
	json_object_set_new(page, "oldest_submitted_at", oldest);
	return rc < 0 ? rc : 0;
}

int kw_reg_list(struct kw_app *app, const struct kw_session_info *s, const struct kw_reg_query *q,
                json_t **out, struct kw_err *err)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	struct kw_conn *c = kw_pool_get(app->pool);
	int all = 0, none = 0, rc = 0;
	if (!s->candidate_id)
		rc = kw_rec_reach_sql(c, &b, s, "registration.read", &all, &none, err);
	if (rc || none) {
		kw_pool_put(app->pool, c);
		kw_buf_release(&b);
		if (!rc)
			*out = kw_json_page(json_array(), 0, 0);
		return rc;
	}
	kw_buf_addf(&b,
	            "SELECT %s%s FROM registrations r JOIN candidates c ON c.id = r.candidate_id "
	            "JOIN exams e ON e.id = r.exam_id WHERE r.id > $1",
	            reg_cols, reg_extra);
	int p = 2;
	if (s->candidate_id)
		kw_buf_addf(&b, " AND r.candidate_id = $%d", p++);
	else if (!all)
		kw_buf_addf(&b, " AND %s IN (SELECT id FROM reach)", reg_unit_sql);
	if (q->exam_id)
		kw_buf_addf(&b, " AND r.exam_id = $%d", p++);
	if (q->position_id)
		kw_buf_addf(&b, " AND r.position_id = $%d", p++);
	if (q->status)
		kw_buf_addf(&b, " AND r.status = $%d", p++);
	kw_buf_addf(&b, " ORDER BY r.id LIMIT %d", q->limit + 1);
	struct kw_stmt *st = NULL;
	rc = kw_conn_prepare(c, b.buf, &st, err);
	if (!rc) {
		p = 1;
		kw_stmt_bind_int64(st, p++, q->after);
		if (s->candidate_id)
			kw_stmt_bind_int64(st, p++, s->candidate_id);
		if (q->exam_id)
			kw_stmt_bind_int64(st, p++, q->exam_id);
		if (q->position_id)
			kw_stmt_bind_int64(st, p++, q->position_id);
		if (q->status)
			kw_stmt_bind_textz(st, p++, q->status);
	}
	if (!rc)
		rc = read_page(st, q->limit, reg_row_full, out, err);
	kw_stmt_finalize(st);
	kw_buf_release(&b);
	/* A reviewer's queue of one exam: how many in each state, and the oldest waiting. */
	if (!rc && q->exam_id && !s->candidate_id)
		rc = queue_counts(c, s, q, all, json_object_get(*out, "items") ? *out : NULL, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- review (REG-6) and pledge withdrawal (REG-3) ---- */

struct review_job {
	int64_t id, reviewer;
	const char *status, *reason;
	const char *action;
	int withdraw; /* REG-3 rather than a review */
};

static int review_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct review_job *j = arg;
	char now[32], ret[1024];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("registrations", ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	if (j->withdraw)
		kw_buf_addf(
		        &b,
		        "UPDATE registrations SET route = 'proof', pledge_withdrawn_at = $1, "
		        "pledge_withdraw_reason = $2, updated_at = $1 WHERE id = $3 AND route = "
		        "'pledge' AND pledge_withdrawn_at IS NULL %s",
		        ret);
	else
		kw_buf_addf(
		        &b,
		        "UPDATE registrations SET status = $4, review_reason = $2, reviewed_by = "
		        "$5, reviewed_at = $1, updated_at = $1 WHERE id = $3 AND status = "
		        "'submitted' %s",
		        ret);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn, b.buf, &s, err);
	kw_buf_release(&b);
	if (rc)
		return rc;
	kw_stmt_bind_textz(s, 1, now);
	if (j->reason)
		kw_stmt_bind_textz(s, 2, j->reason);
	else
		kw_stmt_bind_null(s, 2);
	kw_stmt_bind_int64(s, 3, j->id);
	if (!j->withdraw) {
		kw_stmt_bind_textz(s, 4, j->status);
		kw_stmt_bind_int64(s, 5, j->reviewer);
	}
	rc = kw_stmt_step(s, err);
	if (rc == KW_ROW) {
		json_t *d = json_pack("{s:s?, s:s?}", "status", j->withdraw ? NULL : j->status,
		                      "reason", j->reason);
		rc = kw_audit_append_row(tx, j->action, "registrations", s, d, err);
		json_decref(d);
	} else if (rc == KW_DONE) {
		rc = j->withdraw ? kw_err_set(err, KW_ECONFLICT, "PLEDGE_NOT_GIVEN", "REG-3",
		                              "this registration carries no pledge to withdraw")
		                 : kw_err_set(err, KW_ECONFLICT, "REG_NOT_PENDING", "REG-6",
		                              "only a submitted registration is reviewed");
	}
	kw_stmt_finalize(s);
	return rc;
}

static int reason_ok(const char *reason)
{
	return reason && *reason && utf8_chars(reason) <= 500 && !has_control(reason);
}

int kw_reg_review(struct kw_app *app, const struct kw_actor *actor, const struct kw_session_info *s,
                  int64_t id, const char *decision, const char *reason, json_t **out,
                  struct kw_err *err)
{
	static const char *const decisions[] = {"approve", "reject", "void", NULL};
	static const char *const statuses[] = {"approved", "rejected", "void"};
	json_t *fields = json_array();
	int d = -1;
	for (int i = 0; decisions[i]; i++)
		if (decision && strcmp(decision, decisions[i]) == 0)
			d = i;
	if (d < 0)
		problem(fields, "decision", "not_allowed");
	/* REG-6: a rejection or voiding says why, in words the candidate will read. */
	if (d > 0 && !reason_ok(reason))
		problem(fields, "reason", "required");
	if (reason && *reason && !reason_ok(reason))
		problem(fields, "reason", "too_long");
	if (json_array_size(fields))
		return validation_failed(fields, err);
	json_decref(fields);
	if (s->candidate_id)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "not allowed");
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = kw_reg_reach(c, s, id, "registration.read", err);
	if (!rc) {
		/* Reaching it is not deciding it: the reviewing role at its unit is. */
		rc = kw_reg_reach(c, s, id, "registration.review", err);
		if (rc == KW_ENOTFOUND)
			rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
			                "not allowed: registration.review");
	}
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	struct review_job j = {id,
	                       s->user.id,
	                       statuses[d],
	                       reason && *reason ? reason : NULL,
	                       "registration.review",
	                       0};
	rc = kw_writer_run(app->writer, review_job, &j, actor, err);
	return rc ? rc : kw_reg_get(app, s, id, out, err);
}

int kw_reg_withdraw_pledge(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, const char *reason,
                           json_t **out, struct kw_err *err)
{
	if (!reason_ok(reason)) {
		json_t *fields = json_array();
		problem(fields, "reason", "required");
		return validation_failed(fields, err);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = s->candidate_id ? kw_reg_reach(c, s, id, "registration.read", err)
	                         : kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
	                                      "only the candidate withdraws their pledge");
	json_t *reg = NULL, *exam = NULL;
	if (!rc) {
		kw_pool_put(app->pool, c);
		c = NULL;
		rc = kw_reg_get(app, s, id, &reg, err);
	}
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = load_exam(c, json_integer_value(json_object_get(reg, "exam_id")), &exam, err);
	}
	if (c)
		kw_pool_put(app->pool, c);
	if (!rc) {
		char now[32];
		kw_clock_format(kw_clock_now_us(), now);
		const char *until = str(exam, "pledge_withdraw_until");
		if (!until || strcmp(now, until) >= 0) {
			rc = kw_err_set(err, KW_ERULE, "PLEDGE_WITHDRAWAL_CLOSED", "REG-3",
			                "the deadline for withdrawing a pledge has passed");
			if (until)
				kw_err_detail(err, "until", json_string(until));
		}
	}
	json_decref(reg);
	json_decref(exam);
	if (rc)
		return rc;
	struct review_job j = {id, 0, NULL, reason, "registration.withdraw_pledge", 1};
	rc = kw_writer_run(app->writer, review_job, &j, actor, err);
	return rc ? rc : kw_reg_get(app, s, id, out, err);
}

/* ---- public pages (AH 10, EXAM-1, EXAM-3) ---- */

int kw_reg_public_exams(struct kw_app *app, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT e.id, e.code, e.name, e.kind, e.year, e.reg_opens_at, "
	                        "e.reg_closes_at, e.exam_date, u.name, (SELECT MAX(p.published_at) "
	                        "FROM publications p WHERE p.exam_id = e.id AND p.status = "
	                        "'published') FROM exams e JOIN units u ON "
	                        "u.id = e.unit_id WHERE e.status = 'published' ORDER BY "
	                        "e.exam_date DESC, e.id DESC LIMIT 200",
	                        &s, err);
	json_t *items = json_array();
	while (!rc) {
		int r = step_row(s, err);
		if (r <= 0) {
			rc = r;
			break;
		}
		json_array_append_new(
		        items,
		        json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "id",
		                  (json_int_t)kw_stmt_column_int64(s, 0), "code",
		                  col_json_text(s, 1), "name", col_json_text(s, 2), "kind",
		                  col_json_text(s, 3), "year",
		                  (json_int_t)kw_stmt_column_int64(s, 4), "reg_opens_at",
		                  col_json_text(s, 5), "reg_closes_at", col_json_text(s, 6),
		                  "exam_date", col_json_text(s, 7), "organiser",
		                  col_json_text(s, 8), "scores_published_at", col_json_text(s, 9)));
	}
	kw_stmt_finalize(s);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* Days from a to b (YYYY-MM-DD), by the proleptic Gregorian calendar. */
static long days_between(const char *a, const char *b)
{
	int ya, ma, da, yb, mb, db;
	if (sscanf(a, "%4d-%2d-%2d", &ya, &ma, &da) != 3 ||
	    sscanf(b, "%4d-%2d-%2d", &yb, &mb, &db) != 3)
		return 0;
	struct tm ta = {.tm_year = ya - 1900, .tm_mon = ma - 1, .tm_mday = da};
	struct tm tb = {.tm_year = yb - 1900, .tm_mon = mb - 1, .tm_mday = db};
	return (long)((timegm(&tb) - timegm(&ta)) / 86400);
}

/* EXAM-3: the syllabus normally 6 months before the exam; later is a warning, not a block. */
static json_t *syllabus_warning(const json_t *exam)
{
	const char *syl = str(exam, "syllabus_published_on"), *day = str(exam, "exam_date");
	if (!syl || !day)
		return NULL;
	int y, m, d;
	if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return NULL;
	m -= 6;
	if (m < 1) {
		m += 12;
		y--;
	}
	char limit[16];
	snprintf(limit, sizeof limit, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	if (strcmp(syl, limit) <= 0)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:I}", "code", "SYLLABUS_LATE", "rule", "EXAM-3",
	                 "syllabus_published_on", syl, "exam_date", day, "days_before",
	                 (json_int_t)days_between(syl, day));
}

int kw_reg_public_exam(struct kw_app *app, int64_t id, const char *lang, json_t **out,
                       struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *exam = NULL;
	int rc = load_exam(c, id, &exam, err);
	if (!rc && strcmp(str(exam, "status"), "published") != 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	struct kw_stmt *s = NULL;
	json_t *subjects = json_array();
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT code, name, level, duration_minutes, mode, audio_video, "
		        "starts_at, fee_cents, exemptible FROM subjects WHERE exam_id = "
		        "$1 ORDER BY starts_at, code",
		        &s, err);
	if (!rc)
		kw_stmt_bind_int64(s, 1, id);
	while (!rc) {
		int r = step_row(s, err);
		if (r <= 0) {
			rc = r;
			break;
		}
		json_array_append_new(
		        subjects,
		        json_pack("{s:o, s:o, s:o, s:I, s:o, s:b, s:o, s:I, s:b}", "code",
		                  col_json_text(s, 0), "name", col_json_text(s, 1), "level",
		                  col_json_text(s, 2), "duration_minutes",
		                  (json_int_t)kw_stmt_column_int64(s, 3), "mode",
		                  col_json_text(s, 4), "audio_video",
		                  kw_stmt_column_int64(s, 5) != 0, "starts_at", col_json_text(s, 6),
		                  "fee_cents", (json_int_t)kw_stmt_column_int64(s, 7), "exemptible",
		                  kw_stmt_column_int64(s, 8) != 0));
	}
	kw_stmt_finalize(s);
	s = NULL;
	int64_t npos = 0, quota = 0;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT COUNT(*), COALESCE(SUM(quota), 0) FROM positions WHERE "
		        "exam_id = $1",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		if (step_row(s, err) == 1) {
			npos = kw_stmt_column_int64(s, 0);
			quota = kw_stmt_column_int64(s, 1);
		}
	}
	kw_stmt_finalize(s);
	s = NULL;
	/* GRD-8: when the scores in force were published (the look-up page links from here) */
	json_t *scores_at = json_null();
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT MAX(published_at) FROM publications WHERE exam_id = $1 "
		        "AND status = 'published'",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		int r = step_row(s, err);
		if (r < 0)
			rc = r;
		else if (r == 1 && !kw_stmt_column_is_null(s, 0)) {
			json_decref(scores_at);
			scores_at = col_json_text(s, 0);
		}
	}
	kw_stmt_finalize(s);
	json_t *notices = NULL; /* DAY-5 (PQ 32): incident outcomes approved, announced */
	if (!rc)
		rc = kw_incident_announcements(c, id, &notices, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(exam);
		json_decref(subjects);
		json_decref(scores_at);
		json_decref(notices);
		return rc;
	}
	json_object_set_new(exam, "scores_published_at", scores_at);
	json_object_set_new(exam, "announcements", notices);
	json_t *pledge = NULL;
	struct kw_err e2 = KW_ERR_INIT;
	if (kw_reg_pledge(str(exam, "ruleset"), lang, &pledge, &e2))
		pledge = json_null();
	kw_err_release(&e2);
	json_object_set_new(exam, "subjects", subjects);
	json_object_set_new(exam, "positions", json_integer(npos));
	json_object_set_new(exam, "quota", json_integer(quota));
	json_object_set_new(exam, "conditions", kw_reg_conditions(exam));
	json_object_set_new(exam, "pledge", pledge);
	json_t *warn = json_array(), *w = syllabus_warning(exam);
	if (w)
		json_array_append_new(warn, w);
	json_object_set_new(exam, "warnings", warn);
	*out = exam;
	return 0;
}

int kw_reg_public_positions(struct kw_app *app, int64_t exam_id, const struct kw_pos_query *q,
                            json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *exam = NULL;
	int rc = load_exam(c, exam_id, &exam, err);
	if (!rc && strcmp(str(exam, "status"), "published") != 0)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	json_decref(exam);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b,
	            "SELECT %s FROM positions p JOIN units u ON u.id = p.recruiter_id WHERE "
	            "p.exam_id = "
	            "$1 AND p.id > $2",
	            pos_cols);
	int p = 3;
	if (q->q)
		kw_buf_addf(
		        &b,
		        " AND (p.name LIKE $%d OR p.department_name LIKE $%d OR u.name LIKE $%d "
		        "OR p.code LIKE $%d)",
		        p, p, p, p),
		        p++;
	if (q->category)
		kw_buf_addf(&b, " AND p.category = $%d", p++);
	if (q->location)
		kw_buf_addf(&b, " AND p.work_location LIKE $%d", p++);
	/* The candidate's education: positions asking no more than it (or nothing). */
	int lvl = -1;
	for (int i = 0; q->education && kw_elig_education_levels[i]; i++)
		if (strcmp(q->education, kw_elig_education_levels[i]) == 0)
			lvl = i;
	if (q->education && lvl < 0) {
		rc = rc ? rc
		        : kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "unknown education");
	} else if (lvl >= 0) {
		kw_buf_adds(&b, " AND (p.education_min IS NULL");
		for (int i = 0; i <= lvl; i++)
			kw_buf_addf(&b, " OR p.education_min = '%s'", kw_elig_education_levels[i]);
		kw_buf_adds(&b, ")");
	}
	/* A major code: positions open to every major, or naming it or a prefix of it. */
	if (q->major && (strlen(q->major) < 2 || strlen(q->major) > 7 ||
	                 strspn(q->major, "0123456789KT") != strlen(q->major)))
		rc = rc ? rc : kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "bad major code");
	else if (q->major)
		kw_buf_addf(
		        &b,
		        " AND (p.majors IS NULL OR (',' || p.majors || ',') LIKE $%d OR "
		        "(',' || p.majors || ',') LIKE $%d OR (',' || p.majors || ',') LIKE $%d)",
		        p, p + 1, p + 2),
		        p += 3;
	kw_buf_addf(&b, " ORDER BY p.id LIMIT %d", q->limit + 1);
	struct kw_stmt *s = NULL;
	if (!rc)
		rc = kw_conn_prepare(c, b.buf, &s, err);
	kw_buf_release(&b);
	if (!rc) {
		char like[200];
		p = 1;
		kw_stmt_bind_int64(s, p++, exam_id);
		kw_stmt_bind_int64(s, p++, q->after);
		if (q->q) {
			snprintf(like, sizeof like, "%%%.150s%%", q->q);
			kw_stmt_bind_textz(s, p++, like);
		}
		if (q->category)
			kw_stmt_bind_textz(s, p++, q->category);
		if (q->location) {
			snprintf(like, sizeof like, "%%%.150s%%", q->location);
			kw_stmt_bind_textz(s, p++, like);
		}
		if (q->major) {
			/* The major itself, its class (4 digits) and its discipline (2 digits). */
			char m6[16], m4[16], m2[16];
			snprintf(m6, sizeof m6, "%%,%.6s%%", q->major);
			snprintf(m4, sizeof m4, "%%,%.4s,%%", q->major);
			snprintf(m2, sizeof m2, "%%,%.2s,%%", q->major);
			kw_stmt_bind_textz(s, p++, m6);
			kw_stmt_bind_textz(s, p++, m4);
			kw_stmt_bind_textz(s, p++, m2);
		}
	}
	if (!rc)
		rc = read_page(s, q->limit, pos_row, out, err);
	kw_stmt_finalize(s);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- the exam area after submission (SEAT-1) ---- */

struct area_job {
	int64_t id, area;
	const char *accommodation;
	int set_accommodation;
	const char *code;
};

static int area_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct area_job *j = arg;
	char now[32], ret[1024];
	kw_clock_format(tx->now_us, now);
	kw_audit_returning("registrations", ret, sizeof ret);
	/* re-checked in the write: a run seated meanwhile wins */
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT COUNT(*) FROM seats s JOIN seating_runs u ON u.id = "
	                         "s.run_id WHERE s.registration_id = $1 AND u.status IN "
	                         "('seated', 'published')",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->id);
		rc = step_row(s, err);
		int seated = rc == 1 && kw_stmt_column_int64(s, 0) > 0;
		rc = rc < 0 ? rc : 0;
		if (!rc && seated)
			rc = kw_err_set(err, KW_ECONFLICT, "AREA_SEATED", "SEAT-1",
			                "the registration is seated: only a seat change moves it");
	}
	kw_stmt_finalize(s);
	s = NULL;
	char sql[1400];
	snprintf(sql, sizeof sql,
	         "UPDATE registrations SET area_id = $1, accommodation = CASE WHEN $2 = 1 THEN $3 "
	         "ELSE accommodation END, updated_at = $4 WHERE id = $5 %s",
	         ret);
	if (!rc)
		rc = kw_conn_prepare(tx->conn, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->area);
		kw_stmt_bind_int64(s, 2, j->set_accommodation);
		kw_stmt_bind_textz(s, 3, j->accommodation);
		kw_stmt_bind_textz(s, 4, now);
		kw_stmt_bind_int64(s, 5, j->id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			json_t *d = json_pack("{s:s, s:b}", "area", j->code, "accommodation",
			                      j->accommodation != NULL);
			rc = kw_audit_append_row(tx, "registration.area", "registrations", s, d,
			                         err);
			json_decref(d);
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no such registration");
		}
	}
	kw_stmt_finalize(s);
	return rc;
}

int kw_reg_set_area(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                    struct kw_err *err)
{
	json_t *fields = json_array();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v)
	{
		if (strcmp(key, "area") != 0 && strcmp(key, "accommodation") != 0)
			problem(fields, key, "unknown");
	}
	const char *code = str(body, "area");
	json_t *acc = json_object_get(body, "accommodation");
	if (!code || !*code)
		problem(fields, "area", "required");
	if (acc && !json_is_null(acc) &&
	    (!json_is_string(acc) || !*json_string_value(acc) ||
	     strlen(json_string_value(acc)) > 400))
		problem(fields, "accommodation", "invalid");
	/* staff of the exam's own unit (or above): the registration's exam decides the areas */
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *exam = NULL;
	int64_t exam_id = 0;
	struct kw_stmt *st = NULL;
	int rc = json_array_size(fields)
	                 ? 0
	                 : kw_conn_prepare(c, "SELECT exam_id FROM registrations WHERE id = $1",
	                                   &st, err);
	if (!rc && st) {
		kw_stmt_bind_int64(st, 1, id);
		rc = step_row(st, err);
		if (rc == 1)
			exam_id = kw_stmt_column_int64(st, 0);
		rc = rc < 0 ? rc
		     : rc   ? 0
		            : kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                         "no such registration");
	}
	kw_stmt_finalize(st);
	if (!rc && exam_id)
		rc = load_exam(c, exam_id, &exam, err);
	if (!rc && exam) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_authz_check(c, s, "registration.area",
		                   json_integer_value(json_object_get(exam, "unit_id")), &e2))
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "no such registration");
		kw_err_release(&e2);
	}
	struct area_job j = {.id = id, .code = code};
	if (!rc && exam)
		rc = check_area(c, json_integer_value(json_object_get(exam, "unit_id")), code,
		                &j.area, fields, err);
	kw_pool_put(app->pool, c);
	json_decref(exam);
	if (!rc && json_array_size(fields))
		return validation_failed(fields, err);
	json_decref(fields);
	if (rc)
		return rc;
	if (acc) {
		j.set_accommodation = 1;
		j.accommodation = json_string_value(acc);
	}
	rc = kw_writer_run(app->writer, area_job, &j, actor, err);
	if (!rc)
		*out = json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id, "area", code,
		                 "accommodation", j.accommodation);
	return rc;
}
