/* Papers as packages and their chain of custody (see custody.h). */
#include "app/custody.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/live.h"
#include "app/retention.h"
#include "core/custody.h"
#include "util/clock.h"
#include "util/json.h"

#define MINUTE_US    INT64_C(60000000)
#define PEOPLE_MAX   20
#define SIGNERS_NEED 2

static json_t *stored_time_json(const char *stored)
{
	int64_t us;
	return stored && *stored && kw_clock_parse(stored, &us) == 0 ? kw_json_time_china(us)
	                                                             : json_null();
}

/* The action at unit, or NOT_FOUND (the wall never says what is behind it). */
static int reach(struct kw_conn *c, const struct kw_session_info *s, const char *action,
                 int64_t unit, const char *what, struct kw_err *err)
{
	int rc = kw_authz_check(c, s, action, unit, err);
	if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
		kw_err_release(err);
		rc = kw_err_not_found(err, what);
	}
	return rc;
}

/* ---- the exam and the subject ---- */

struct subj {
	int64_t exam, exam_unit, run, id;
	int minutes;
	int64_t start, end;
	char exam_code[128], exam_name[256], ruleset[32], code[64], name[256];
};

static int subj_load(struct kw_conn *c, int64_t exam, int64_t subject_id, const char *code,
                     struct subj *x, struct kw_err *err)
{
	memset(x, 0, sizeof *x);
	if (!subject_id && (!code || !*code || strlen(code) > 60))
		return kw_err_not_found(err, "subject");
	struct kw_stmt *s = NULL;
	char starts[64] = "";
	int rc = kw_conn_prepare(
	        c,
	        "SELECT e.id, e.unit_id, e.code, e.name, e.ruleset, s.id, s.code, s.name, "
	        "s.duration_minutes, s.starts_at, (SELECT MAX(r.id) FROM seating_runs r WHERE "
	        "r.exam_id = e.id AND r.status = 'published') FROM exams e JOIN subjects s ON "
	        "s.exam_id = e.id WHERE e.id = $1 AND (s.id = $2 OR ($2 = 0 AND s.code = $3))",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_int64(s, 2, subject_id);
		kw_stmt_bind_textz(s, 3, code ? code : "");
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			x->exam = kw_stmt_column_int64(s, 0);
			x->exam_unit = kw_stmt_column_int64(s, 1);
			kw_stmt_column_copy(s, 2, x->exam_code, sizeof x->exam_code);
			kw_stmt_column_copy(s, 3, x->exam_name, sizeof x->exam_name);
			kw_stmt_column_copy(s, 4, x->ruleset, sizeof x->ruleset);
			x->id = kw_stmt_column_int64(s, 5);
			kw_stmt_column_copy(s, 6, x->code, sizeof x->code);
			kw_stmt_column_copy(s, 7, x->name, sizeof x->name);
			x->minutes = (int)kw_stmt_column_int64(s, 8);
			kw_stmt_column_copy(s, 9, starts, sizeof starts);
			x->run = kw_stmt_column_int64(s, 10);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && (!x->exam || !starts[0] || kw_clock_parse(starts, &x->start) != 0))
		rc = kw_err_not_found(err, "subject with a start time");
	x->end = x->start + x->minutes * MINUTE_US;
	return rc;
}

static int rule_param(const char *ruleset, const char *name, int dflt)
{
	json_t *p = NULL;
	int v = kw_app_rule_params(ruleset && *ruleset ? ruleset : "PQ", &p, NULL) == 0
	                ? kw_app_param_int(p, name, dflt)
	                : dflt;
	json_decref(p);
	return v;
}

/* ---- print sign-off (PAP-2) ---- */

static int signers_json(struct kw_conn *c, int64_t subject, json_t **out, int64_t *a, int64_t *b,
                        struct kw_err *err)
{
	*out = json_array();
	*a = *b = 0;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT p.user_id, u.display_name, p.role_note, p.signed_at FROM "
	                         "paper_signoffs p JOIN users u ON u.id = p.user_id WHERE "
	                         "p.subject_id = $1 ORDER BY p.id",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, subject);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t u = kw_stmt_column_int64(s, 0);
			if (!*a)
				*a = u;
			else if (!*b)
				*b = u;
			json_array_append_new(
			        *out,
			        json_pack("{s:I, s:s, s:s, s:o}", "user_id", (json_int_t)u, "name",
			                  kw_stmt_column_text(s, 1, NULL), "role_note",
			                  kw_stmt_column_text(s, 2, NULL), "signed_at",
			                  stored_time_json(kw_stmt_column_text(s, 3, NULL))));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

struct signoff_job {
	const struct subj *x;
	int64_t user;
	const char *note;
};

static int signoff_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct signoff_job *j = arg;
	struct kw_stmt *s = NULL;
	int dup = 0;
	int rc = kw_conn_prepare(
	        tx->conn, "SELECT 1 FROM paper_signoffs WHERE subject_id = $1 AND user_id = $2", &s,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->x->id);
		kw_stmt_bind_int64(s, 2, j->user);
		rc = kw_stmt_step(s, err);
		dup = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && dup)
		rc = kw_err_set(err, KW_ECONFLICT, "CUSTODY_ALREADY_SIGNED", "PAP-2",
		                "you have already signed this paper off");
	char now[32];
	kw_clock_format(tx->now_us, now);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "paper_signoffs", "custody.signoff",
		        json_pack("{s:s}", "subject", j->x->code), NULL,
		        "INSERT INTO paper_signoffs (exam_id, subject_id, user_id, role_note, "
		        "signed_at) VALUES ($1, $2, $3, $4, $5)",
		        "iiitt", j->x->exam, j->x->id, j->user, j->note, now);
	return rc;
}

int kw_custody_signoff(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {KW_JSTR("role_note", 100, KW_JREQUIRED)};
	int rc = kw_json_check(body, shape, 1, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct subj x;
	rc = subj_load(c, exam, 0, subject, &x, err);
	if (!rc)
		rc = reach(c, s, "custody.signoff", x.exam_unit, "subject", err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	struct signoff_job j = {&x, s->user.id,
	                        json_string_value(json_object_get(body, "role_note"))};
	rc = kw_writer_run(app->writer, signoff_job, &j, actor, err);
	if (rc)
		return rc;
	json_t *signers = NULL;
	int64_t a, b;
	c = kw_pool_get(app->pool);
	rc = signers_json(c, x.id, &signers, &a, &b, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(signers);
		return rc;
	}
	*out = json_pack("{s:s, s:o, s:b}", "subject", x.code, "signers", signers, "complete",
	                 a && b);
	return 0;
}

/* ---- packages ---- */

static const char pkg_cols[] =
        "p.id, p.exam_id, p.subject_id, s.code, s.name, p.kind, p.centre_id, c.code, c.name, "
        "c.unit_id, p.exam_room_id, x.number, p.parent_id, p.seal_no, p.classification, "
        "p.seated, p.spare, p.count, p.print_signer_a, ua.display_name, p.print_signer_b, "
        "ub.display_name, p.place, p.events, s.starts_at, s.duration_minutes, e.code, e.name, "
        "(SELECT COUNT(*) FROM custody_incidents i WHERE i.package_id = p.id AND i.status = "
        "'open') ";
static const char pkg_from[] =
        "FROM paper_packages p JOIN subjects s ON s.id = p.subject_id JOIN exams e ON e.id = "
        "p.exam_id JOIN centres c ON c.id = p.centre_id LEFT JOIN exam_rooms x ON x.id = "
        "p.exam_room_id JOIN users ua ON ua.id = p.print_signer_a JOIN users ub ON ub.id = "
        "p.print_signer_b ";

static json_t *pkg_row(struct kw_stmt *s, int64_t now)
{
	int64_t start = 0;
	const char *st = kw_stmt_column_text(s, 24, NULL);
	if (kw_clock_parse(st ? st : "", &start) != 0)
		start = 0;
	int64_t end = start + kw_stmt_column_int64(s, 25) * MINUTE_US;
	int classified = now < end;
	json_t *room =
	        kw_stmt_column_is_null(s, 10)
	                ? json_null()
	                : json_pack("{s:I, s:I}", "id", (json_int_t)kw_stmt_column_int64(s, 10),
	                            "number", (json_int_t)kw_stmt_column_int64(s, 11));
	char label[700], when[40];
	kw_clock_format(start + INT64_C(8) * 3600 * 1000000, when);
	snprintf(label, sizeof label, "%s ｜ %s ｜ %s %s ｜ %.10s %.5s ｜ %lld 份",
	         classified ? "绝密" : "已启用", kw_stmt_column_text(s, 27, NULL),
	         kw_stmt_column_text(s, 3, NULL), kw_stmt_column_text(s, 4, NULL), when, when + 11,
	         (long long)kw_stmt_column_int64(s, 17));
	return json_pack(
	        "{s:I, s:I, s:{s:I, s:s, s:s, s:o, s:o}, s:s, s:{s:I, s:s, s:s}, s:o, s:o, s:s, "
	        "s:s, s:b, s:I, s:I, s:I, s:[{s:I, s:s}, {s:I, s:s}], s:s, s:I, s:I, s:s, s:s}",
	        "id", (json_int_t)kw_stmt_column_int64(s, 0), "exam_id",
	        (json_int_t)kw_stmt_column_int64(s, 1), "subject", "id",
	        (json_int_t)kw_stmt_column_int64(s, 2), "code", kw_stmt_column_text(s, 3, NULL),
	        "name", kw_stmt_column_text(s, 4, NULL), "starts_at", kw_json_time_china(start),
	        "ends_at", kw_json_time_china(end), "kind", kw_stmt_column_text(s, 5, NULL),
	        "centre", "id", (json_int_t)kw_stmt_column_int64(s, 6), "code",
	        kw_stmt_column_text(s, 7, NULL), "name", kw_stmt_column_text(s, 8, NULL),
	        "exam_room", room, "parent_id",
	        kw_stmt_column_is_null(s, 12) ? json_null()
	                                      : json_integer(kw_stmt_column_int64(s, 12)),
	        "seal_no", kw_stmt_column_text(s, 13, NULL), "classification",
	        kw_stmt_column_text(s, 14, NULL), "classified", classified, "seated",
	        (json_int_t)kw_stmt_column_int64(s, 15), "spare",
	        (json_int_t)kw_stmt_column_int64(s, 16), "count",
	        (json_int_t)kw_stmt_column_int64(s, 17), "print_signed_by", "user_id",
	        (json_int_t)kw_stmt_column_int64(s, 18), "name", kw_stmt_column_text(s, 19, NULL),
	        "user_id", (json_int_t)kw_stmt_column_int64(s, 20), "name",
	        kw_stmt_column_text(s, 21, NULL), "place", kw_stmt_column_text(s, 22, NULL),
	        "events", (json_int_t)kw_stmt_column_int64(s, 23), "incidents_open",
	        (json_int_t)kw_stmt_column_int64(s, 28), "exam_name",
	        kw_stmt_column_text(s, 27, NULL), "label", label);
}

struct room_row {
	int64_t room, centre, number, seated;
	char centre_code[64];
};

struct make_job {
	const struct subj *x;
	struct room_row *rooms;
	size_t n;
	int spare;
	int64_t user, signer_a, signer_b;
	json_t *ids;
};

static int make_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct make_job *j = arg;
	struct kw_stmt *s = NULL;
	int exists = 0;
	int rc = kw_conn_prepare(tx->conn, "SELECT 1 FROM paper_packages WHERE subject_id = $1", &s,
	                         err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->x->id);
		rc = kw_stmt_step(s, err);
		exists = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && exists)
		rc = kw_err_set(err, KW_ECONFLICT, "CUSTODY_PACKAGES_EXIST", "PAP-3",
		                "the packages of this subject are already made");
	char now[32];
	kw_clock_format(tx->now_us, now);
	json_array_clear(j->ids);
	for (size_t i = 0; !rc && i < j->n;) {
		/* one centre: its outer package, then its rooms' */
		size_t e = i;
		int64_t seated = 0, spare = 0;
		while (e < j->n && j->rooms[e].centre == j->rooms[i].centre) {
			seated += j->rooms[e].seated;
			spare += j->spare;
			e++;
		}
		char seal[300];
		snprintf(seal, sizeof seal, "%s-%s-%s-C", j->x->exam_code, j->x->code,
		         j->rooms[i].centre_code);
		int64_t parent = 0;
		rc = kw_audit_put(tx, err, "paper_packages", "custody.package",
		                  json_pack("{s:s, s:s, s:s}", "subject", j->x->code, "kind",
		                            "centre", "seal_no", seal),
		                  &parent,
		                  "INSERT INTO paper_packages (exam_id, run_id, subject_id, kind, "
		                  "centre_id, seal_no, classification, seated, spare, count, "
		                  "print_signer_a, print_signer_b, place, events, created_by, "
		                  "created_at, updated_at) VALUES ($1, $2, $3, 'centre', $4, $5, "
		                  "'top_secret', $6, $7, $8, $9, $10, 'printer', 0, $11, $12, $12)",
		                  "iiiitiiiiiit", j->x->exam, j->x->run, j->x->id,
		                  j->rooms[i].centre, seal, seated, spare, seated + spare,
		                  j->signer_a, j->signer_b, j->user, now);
		if (!rc)
			json_array_append_new(j->ids, json_integer(parent));
		for (size_t k = i; !rc && k < e; k++) {
			int64_t id = 0;
			snprintf(seal, sizeof seal, "%s-%s-%s-R%03lld", j->x->exam_code, j->x->code,
			         j->rooms[k].centre_code, (long long)j->rooms[k].number);
			rc = kw_audit_put(
			        tx, err, "paper_packages", "custody.package",
			        json_pack("{s:s, s:s, s:s}", "subject", j->x->code, "kind", "room",
			                  "seal_no", seal),
			        &id,
			        "INSERT INTO paper_packages (exam_id, run_id, subject_id, kind, "
			        "centre_id, exam_room_id, parent_id, seal_no, classification, "
			        "seated, "
			        "spare, count, print_signer_a, print_signer_b, place, events, "
			        "created_by, created_at, updated_at) VALUES ($1, $2, $3, 'room', "
			        "$4, "
			        "$5, $6, $7, 'top_secret', $8, $9, $10, $11, $12, 'printer', 0, "
			        "$13, "
			        "$14, $14)",
			        "iiiiiitiiiiiit", j->x->exam, j->x->run, j->x->id,
			        j->rooms[k].centre, j->rooms[k].room, parent, seal,
			        j->rooms[k].seated, (int64_t)j->spare,
			        j->rooms[k].seated + j->spare, j->signer_a, j->signer_b, j->user,
			        now);
			if (!rc)
				json_array_append_new(j->ids, json_integer(id));
		}
		i = e;
	}
	return rc;
}

/* Lists packages by a WHERE over pkg_from (binding $1.. from ids/texts), keeping those the
 * caller reaches with custody.read. */
static int pkg_query(struct kw_conn *c, const struct kw_session_info *s, const char *where,
                     const int64_t *ints, int nints, const char *const *texts, int ntexts,
                     json_t *items, struct kw_err *err)
{
	char sql[3000];
	snprintf(sql, sizeof sql,
	         "SELECT %s %s WHERE %s ORDER BY p.subject_id, c.code, p.kind, "
	         "x.number",
	         pkg_cols, pkg_from, where);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	int64_t ok_units[16], bad_units[16];
	int nok = 0, nbad = 0;
	int64_t now = kw_clock_now_us();
	if (!rc) {
		for (int i = 0; i < nints; i++)
			kw_stmt_bind_int64(st, i + 1, ints[i]);
		for (int i = 0; i < ntexts; i++)
			kw_stmt_bind_textz(st, nints + i + 1, texts[i]);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			int64_t unit = kw_stmt_column_int64(st, 9);
			int known = 0, ok = 0;
			for (int i = 0; i < nok && !known; i++)
				known = ok = ok_units[i] == unit;
			for (int i = 0; i < nbad && !known; i++)
				known = bad_units[i] == unit;
			if (!known) {
				struct kw_err e2 = KW_ERR_INIT;
				ok = kw_authz_check(c, s, "custody.read", unit, &e2) == 0;
				kw_err_release(&e2);
				if (ok && nok < 16)
					ok_units[nok++] = unit;
				else if (!ok && nbad < 16)
					bad_units[nbad++] = unit;
			}
			if (ok)
				json_array_append_new(items, pkg_row(st, now));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_custody_make(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const json_t *body, json_t **out,
                    struct kw_err *err)
{
	static const struct kw_jfield shape[] = {KW_JSTR("subject", 60, KW_JREQUIRED)};
	int rc = kw_json_check(body, shape, 1, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct subj x;
	rc = subj_load(c, exam, 0, json_string_value(json_object_get(body, "subject")), &x, err);
	if (!rc)
		rc = reach(c, s, "custody.make", x.exam_unit, "subject", err);
	if (!rc && !x.run)
		rc = kw_err_set(
		        err, KW_ERULE, "CUSTODY_NOT_SEATED", "PAP-4",
		        "the exam has no published seating: packages follow the exam rooms");
	json_t *signers = NULL;
	int64_t a = 0, b = 0;
	if (!rc)
		rc = signers_json(c, x.id, &signers, &a, &b, err);
	if (!rc && !(a && b)) {
		kw_err_set(err, KW_ERULE, "CUSTODY_NOT_SIGNED_OFF", "PAP-2",
		           "the paper must be signed off by two people before printing");
		kw_err_detail(err, "required", json_integer(SIGNERS_NEED));
		kw_err_detail(err, "signed", json_integer((json_int_t)json_array_size(signers)));
		rc = err->rc;
	}
	json_decref(signers);
	struct room_row *rooms = NULL;
	size_t n = 0, cap = 0;
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT x.id, x.centre_id, x.number, x.seats_taken, c.code, "
		        "x.subjects FROM exam_rooms x JOIN centres c ON c.id = "
		        "x.centre_id WHERE x.run_id = $1 ORDER BY c.code, x.centre_id, "
		        "x.number",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, x.run);
		char want[80];
		snprintf(want, sizeof want, "+%s+", x.code);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			char group[420];
			snprintf(group, sizeof group, "+%s+", kw_stmt_column_text(st, 5, NULL));
			if (!strstr(group, want))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct room_row *t = realloc(rooms, cap * sizeof *rooms);
				if (!t) {
					rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
					                "out of memory");
					break;
				}
				rooms = t;
			}
			struct room_row *r = &rooms[n++];
			r->room = kw_stmt_column_int64(st, 0);
			r->centre = kw_stmt_column_int64(st, 1);
			r->number = kw_stmt_column_int64(st, 2);
			r->seated = kw_stmt_column_int64(st, 3);
			kw_stmt_column_copy(st, 4, r->centre_code, sizeof r->centre_code);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (!rc && n == 0)
		rc = kw_err_set(err, KW_ERULE, "CUSTODY_NOT_SEATED", "PAP-4",
		                "no exam room of the published seating holds this subject");
	struct make_job j = {
	        &x,         rooms, n, rule_param(x.ruleset, "paper_spares_per_room", 2),
	        s->user.id, a,     b, json_array()};
	if (!rc)
		rc = kw_writer_run(app->writer, make_job, &j, actor, err);
	free(rooms);
	json_t *items = json_array();
	if (!rc) {
		c = kw_pool_get(app->pool);
		int64_t ints[1] = {x.id};
		rc = pkg_query(c, s, "p.subject_id = $1", ints, 1, NULL, 0, items, err);
		kw_pool_put(app->pool, c);
	}
	json_decref(j.ids);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int kw_custody_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                    const char *subject, const char *centre, const char *seal, json_t **out,
                    struct kw_err *err)
{
	if (!exam && !(seal && *seal))
		return kw_err_invalid(err, "seal", "required");
	char where[400] = "";
	const char *texts[3];
	int nt = 0;
	int64_t ints[1] = {exam};
	int ni = exam ? 1 : 0;
	snprintf(where, sizeof where, "%s", exam ? "p.exam_id = $1" : "1 = 1");
	const char *cols[3] = {"s.code", "c.code", "p.seal_no"};
	const char *vals[3] = {subject, centre, seal};
	for (int i = 0; i < 3; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		if (strlen(vals[i]) > 200)
			return kw_err_invalid(err,
			                      i == 0   ? "subject"
			                      : i == 1 ? "centre"
			                               : "seal",
			                      "too_long");
		size_t l = strlen(where);
		snprintf(where + l, sizeof where - l, " AND %s = $%d", cols[i], ni + nt + 1);
		texts[nt++] = vals[i];
	}
	json_t *items = json_array();
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = pkg_query(c, s, where, ints, ni, texts, nt, items, err);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* One package as the caller may see it with action (NOT_FOUND otherwise). */
static int pkg_load(struct kw_conn *c, const struct kw_session_info *s, int64_t id,
                    const char *action, json_t **out, int64_t *unit, struct kw_err *err)
{
	*out = NULL;
	char sql[3000];
	snprintf(sql, sizeof sql, "SELECT %s %s WHERE p.id = $1", pkg_cols, pkg_from);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			*unit = kw_stmt_column_int64(st, 9);
			*out = pkg_row(st, kw_clock_now_us());
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !*out)
		rc = kw_err_not_found(err, "package");
	if (!rc)
		rc = reach(c, s, action, *unit, "package", err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int events_json(struct kw_conn *c, int64_t pkg, json_t **out, struct kw_err *err)
{
	*out = json_array();
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT v.id, v.seq, v.kind, v.from_place, v.to_place, v.location, v.people, "
	        "v.vehicle, v.departed_at, v.count_checked, v.seal_checked, v.flags, v.note, "
	        "v.recorded_by, u.display_name, v.occurred_at, v.via_package_id, o.seal_no FROM "
	        "custody_events v JOIN users u ON u.id = v.recorded_by LEFT JOIN paper_packages o "
	        "ON o.id = v.via_package_id WHERE v.package_id = $1 ORDER BY v.seq",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pkg);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			json_t *people = json_loads(kw_stmt_column_text(st, 6, NULL), 0, NULL);
			json_t *flags = json_loads(kw_stmt_column_text(st, 11, NULL), 0, NULL);
			json_t *via =
			        kw_stmt_column_is_null(st, 16)
			                ? json_null()
			                : json_pack("{s:I, s:s}", "id",
			                            (json_int_t)kw_stmt_column_int64(st, 16),
			                            "seal_no", kw_stmt_column_text(st, 17, NULL));
			json_t *e = json_pack(
			        "{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
			        "s:o, s:o, s:{s:I, s:s}, s:o}",
			        "id", (json_int_t)kw_stmt_column_int64(st, 0), "seq",
			        (json_int_t)kw_stmt_column_int64(st, 1), "kind",
			        kw_stmt_column_text(st, 2, NULL), "from",
			        kw_stmt_column_text(st, 3, NULL), "to",
			        kw_stmt_column_text(st, 4, NULL), "location",
			        kw_stmt_column_is_null(st, 5)
			                ? json_null()
			                : json_string(kw_stmt_column_text(st, 5, NULL)),
			        "people", people ? people : json_object(), "vehicle",
			        kw_stmt_column_is_null(st, 7)
			                ? json_null()
			                : json_string(kw_stmt_column_text(st, 7, NULL)),
			        "departed_at",
			        stored_time_json(kw_stmt_column_is_null(st, 8)
			                                 ? NULL
			                                 : kw_stmt_column_text(st, 8, NULL)),
			        "count_checked",
			        kw_stmt_column_is_null(st, 9)
			                ? json_null()
			                : json_integer(kw_stmt_column_int64(st, 9)),
			        "seal_checked",
			        kw_stmt_column_is_null(st, 10)
			                ? json_null()
			                : json_string(kw_stmt_column_text(st, 10, NULL)),
			        "flags", flags ? flags : json_array(), "note",
			        kw_stmt_column_is_null(st, 12)
			                ? json_null()
			                : json_string(kw_stmt_column_text(st, 12, NULL)),
			        "recorded_by", "id", (json_int_t)kw_stmt_column_int64(st, 13),
			        "name", kw_stmt_column_text(st, 14, NULL), "occurred_at",
			        stored_time_json(kw_stmt_column_text(st, 15, NULL)));
			json_object_set_new(e, "via", via);
			json_array_append_new(*out, e);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

static int incidents_json(struct kw_conn *c, int64_t pkg, int64_t event, json_t **out,
                          struct kw_err *err)
{
	*out = json_array();
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT i.id, i.event_id, v.seq, i.code, i.details, "
	                         "i.report_upward, i.report_to_unit, u.code, i.status, "
	                         "i.created_at FROM custody_incidents i JOIN custody_events v ON "
	                         "v.id = i.event_id JOIN units u ON u.id = i.report_to_unit WHERE "
	                         "i.package_id = $1 AND ($2 = 0 OR i.event_id = $2) ORDER BY i.id",
	                         &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pkg);
		kw_stmt_bind_int64(st, 2, event);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			json_t *d = json_loads(kw_stmt_column_text(st, 4, NULL), 0, NULL);
			json_array_append_new(
			        *out,
			        json_pack("{s:I, s:I, s:I, s:s, s:o, s:b, s:{s:I, s:s}, s:s, s:o}",
			                  "id", (json_int_t)kw_stmt_column_int64(st, 0), "event_id",
			                  (json_int_t)kw_stmt_column_int64(st, 1), "event_seq",
			                  (json_int_t)kw_stmt_column_int64(st, 2), "code",
			                  kw_stmt_column_text(st, 3, NULL), "details",
			                  d ? d : json_object(), "report_upward",
			                  (int)kw_stmt_column_int64(st, 5), "report_to", "unit_id",
			                  (json_int_t)kw_stmt_column_int64(st, 6), "code",
			                  kw_stmt_column_text(st, 7, NULL), "status",
			                  kw_stmt_column_text(st, 8, NULL), "created_at",
			                  stored_time_json(kw_stmt_column_text(st, 9, NULL))));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

int kw_custody_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                   struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *pkg = NULL, *events = NULL, *incidents = NULL, *children = json_array();
	int64_t unit = 0;
	int rc = pkg_load(c, s, id, "custody.read", &pkg, &unit, err);
	if (!rc)
		rc = events_json(c, id, &events, err);
	if (!rc)
		rc = incidents_json(c, id, 0, &incidents, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT id, seal_no, count FROM paper_packages WHERE parent_id "
		        "= $1 ORDER BY id",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(children,
			                      json_pack("{s:I, s:s, s:I}", "id",
			                                (json_int_t)kw_stmt_column_int64(st, 0),
			                                "seal_no", kw_stmt_column_text(st, 1, NULL),
			                                "count",
			                                (json_int_t)kw_stmt_column_int64(st, 2)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc) /* the chain ends with the package's retention and destruction (CUS-7) */
		json_object_set_new(pkg, "retention", kw_retention_package(c, id));
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(pkg);
		json_decref(events);
		json_decref(incidents);
		json_decref(children);
		return rc;
	}
	json_object_set_new(pkg, "contains", children);
	*out = json_pack("{s:o, s:o, s:o}", "package", pkg, "events", events, "incidents",
	                 incidents);
	return 0;
}

int kw_custody_incidents(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                         json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	json_t *items = json_array();
	int rc = kw_conn_prepare(
	        c,
	        "SELECT i.id, i.package_id, p.seal_no, v.seq, v.kind, i.code, i.details, "
	        "i.report_to_unit, u.code, i.status, i.created_at, c.unit_id, c.code FROM "
	        "custody_incidents i JOIN paper_packages p ON p.id = i.package_id JOIN "
	        "custody_events v ON v.id = i.event_id JOIN units u ON u.id = i.report_to_unit "
	        "JOIN centres c ON c.id = p.centre_id WHERE p.exam_id = $1 ORDER BY i.id",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			/* seen by whoever the report went to, and by those who reach the centre */
			struct kw_err e2 = KW_ERR_INIT;
			int ok = kw_authz_check(c, s, "custody.read", kw_stmt_column_int64(st, 7),
			                        &e2) == 0;
			kw_err_release(&e2);
			if (!ok) {
				ok = kw_authz_check(c, s, "custody.read",
				                    kw_stmt_column_int64(st, 11), &e2) == 0;
				kw_err_release(&e2);
			}
			if (!ok)
				continue;
			json_t *d = json_loads(kw_stmt_column_text(st, 6, NULL), 0, NULL);
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:o, s:{s:I, s:s}, "
			                  "s:s, "
			                  "s:o}",
			                  "id", (json_int_t)kw_stmt_column_int64(st, 0),
			                  "package_id", (json_int_t)kw_stmt_column_int64(st, 1),
			                  "seal_no", kw_stmt_column_text(st, 2, NULL), "centre",
			                  kw_stmt_column_text(st, 12, NULL), "event_seq",
			                  (json_int_t)kw_stmt_column_int64(st, 3), "event_kind",
			                  kw_stmt_column_text(st, 4, NULL), "code",
			                  kw_stmt_column_text(st, 5, NULL), "details",
			                  d ? d : json_object(), "report_to", "unit_id",
			                  (json_int_t)kw_stmt_column_int64(st, 7), "code",
			                  kw_stmt_column_text(st, 8, NULL), "status",
			                  kw_stmt_column_text(st, 9, NULL), "created_at",
			                  stored_time_json(kw_stmt_column_text(st, 10, NULL))));
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- events ---- */

struct person {
	char key[160];
	json_t *j; /* {user_id, username, name} or {name, org} */
};

/* Resolves people of field (an array, may be absent): *n of them into p. */
static int people_of(struct kw_conn *c, const json_t *body, const char *field, struct person *p,
                     size_t *n, struct kw_err *err)
{
	*n = 0;
	const json_t *a = json_object_get(body, field);
	if (!a)
		return 0;
	if (!json_is_array(a))
		return kw_err_invalid(err, field, "type");
	if (json_array_size(a) > PEOPLE_MAX)
		return kw_err_invalid(err, field, "too_long");
	size_t i;
	const json_t *v;
	json_array_foreach(a, i, v)
	{
		static const struct kw_jfield shape[] = {
		        KW_JSTR("username", 64, 0),
		        KW_JSTR("name", 50, 0),
		        KW_JSTR("org", 100, 0),
		};
		if (!json_is_object(v) || kw_json_check(v, shape, 3, err) != 0) {
			kw_err_release(err);
			return kw_err_invalid(err, field, "person");
		}
		const char *u = json_string_value(json_object_get(v, "username"));
		const char *nm = json_string_value(json_object_get(v, "name"));
		const char *org = json_string_value(json_object_get(v, "org"));
		if (!u == !nm)
			return kw_err_invalid(err, field, "username_or_name");
		struct person *q = &p[*n];
		q->j = NULL;
		if (u) {
			struct kw_stmt *st = NULL;
			int64_t id = 0;
			char dn[200] = "";
			int rc = kw_conn_prepare(
			        c,
			        "SELECT id, display_name FROM users WHERE username = "
			        "$1 AND status = 'active'",
			        &st, err);
			if (!rc) {
				kw_stmt_bind_textz(st, 1, u);
				rc = kw_stmt_step(st, err);
				if (rc == KW_ROW) {
					id = kw_stmt_column_int64(st, 0);
					kw_stmt_column_copy(st, 1, dn, sizeof dn);
				}
				rc = kw_step_ok(rc);
			}
			kw_stmt_finalize(st);
			if (rc)
				return rc;
			if (!id)
				return kw_err_invalid(err, field, "unknown_account");
			snprintf(q->key, sizeof q->key, "u:%lld", (long long)id);
			q->j = json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)id, "username",
			                 u, "name", dn);
		} else {
			snprintf(q->key, sizeof q->key, "n:%s", nm);
			q->j = org ? json_pack("{s:s, s:s}", "name", nm, "org", org)
			           : json_pack("{s:s}", "name", nm);
		}
		(*n)++;
	}
	return 0;
}

struct event_job {
	int64_t pkg, user, report_unit, count, expect_count;
	int has_count;
	const char *kind, *from, *to, *location, *vehicle, *seal_checked, *expect_seal, *note;
	char departed[32];
	json_t *people, *flags, *flag_details; /* flags: codes; flag_details: one object each */
	int64_t event_id, seq;
};

/* An outer package carries the inner packages that are where it is: each gets the same event
 * in its own chain (via_package_id the outer one; counts and seals were checked on the outer
 * package), and moves with it. An inner package taken out (elsewhere) stays where it is. */
static int carry_inner(struct kw_tx *tx, const struct event_job *j, const char *people,
                       const char *now, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int64_t ids[256], seqs[256];
	size_t n = 0;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id, events FROM paper_packages WHERE parent_id = $1 AND "
	                         "place = $2 ORDER BY id",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->pkg);
		kw_stmt_bind_textz(s, 2, j->from);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW && n < 256) {
			ids[n] = kw_stmt_column_int64(s, 0);
			seqs[n++] = kw_stmt_column_int64(s, 1) + 1;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	for (size_t i = 0; !rc && i < n; i++) {
		rc = kw_audit_put(
		        tx, err, "custody_events", "custody.event",
		        json_pack("{s:I, s:s, s:s, s:s, s:I}", "package_id", (json_int_t)ids[i],
		                  "kind", j->kind, "from", j->from, "to", j->to, "via",
		                  (json_int_t)j->pkg),
		        NULL,
		        "INSERT INTO custody_events (package_id, seq, kind, from_place, to_place, "
		        "location, people, vehicle, departed_at, flags, note, recorded_by, "
		        "occurred_at, via_package_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
		        "'[]', $10, $11, $12, $13)",
		        "iittttttttiti", ids[i], seqs[i], j->kind, j->from, j->to, j->location,
		        people ? people : "{}", j->vehicle, j->departed[0] ? j->departed : NULL,
		        j->note, j->user, now, j->pkg);
		if (!rc)
			rc = kw_audit_put(
			        tx, err, "paper_packages", "custody.move",
			        json_pack("{s:s, s:s, s:I, s:I}", "from", j->from, "to", j->to,
			                  "seq", (json_int_t)seqs[i], "via", (json_int_t)j->pkg),
			        NULL,
			        "UPDATE paper_packages SET place = $1, events = $2, updated_at "
			        "= $3 WHERE id = $4",
			        "titi", j->to, seqs[i], now, ids[i]);
	}
	return rc;
}

static int event_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct event_job *j = arg;
	struct kw_stmt *s = NULL;
	char place[64] = "";
	int64_t events = -1;
	int rc = kw_conn_prepare(tx->conn, "SELECT place, events FROM paper_packages WHERE id = $1",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->pkg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			kw_stmt_column_copy(s, 0, place, sizeof place);
			events = kw_stmt_column_int64(s, 1);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && events < 0)
		rc = kw_err_not_found(err, "package");
	if (!rc && strcmp(place, j->from) != 0) {
		kw_err_set(err, KW_ECONFLICT, "CUSTODY_WRONG_PLACE", "CUS-1",
		           "the package is not where this event says it comes from");
		kw_err_detail(err, "place", json_string(place));
		kw_err_detail(err, "from", json_string(j->from));
		rc = err->rc;
	}
	if (rc)
		return rc;
	j->seq = events + 1;
	char now[32];
	kw_clock_format(tx->now_us, now);
	char *people = json_dumps(j->people, JSON_COMPACT | JSON_SORT_KEYS);
	char *flags = json_dumps(j->flags, JSON_COMPACT);
	rc = kw_audit_put(
	        tx, err, "custody_events", "custody.event",
	        json_pack("{s:I, s:s, s:s, s:s, s:O}", "package_id", (json_int_t)j->pkg, "kind",
	                  j->kind, "from", j->from, "to", j->to, "flags", j->flags),
	        &j->event_id,
	        "INSERT INTO custody_events (package_id, seq, kind, from_place, to_place, "
	        "location, people, vehicle, departed_at, count_checked, seal_checked, "
	        "flags, note, recorded_by, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, "
	        "$7, $8, $9, $10, $11, $12, $13, $14, $15)",
	        j->has_count ? "iitttttttitttit" : "iitttttttntttit", j->pkg, j->seq, j->kind,
	        j->from, j->to, j->location, people ? people : "{}", j->vehicle,
	        j->departed[0] ? j->departed : NULL, j->has_count ? j->count : 0, j->seal_checked,
	        flags ? flags : "[]", j->note, j->user, now);
	free(flags);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "paper_packages", "custody.move",
		        json_pack("{s:s, s:s, s:I}", "from", j->from, "to", j->to, "seq",
		                  (json_int_t)j->seq),
		        NULL,
		        "UPDATE paper_packages SET place = $1, events = $2, updated_at = $3 "
		        "WHERE id = $4",
		        "titi", j->to, j->seq, now, j->pkg);
	size_t i;
	json_t *code;
	json_array_foreach(j->flags, i, code)
	{
		if (rc)
			break;
		char *d = json_dumps(json_array_get(j->flag_details, i),
		                     JSON_COMPACT | JSON_SORT_KEYS);
		rc = kw_audit_put(
		        tx, err, "custody_incidents", "custody.incident",
		        json_pack("{s:I, s:s, s:b}", "package_id", (json_int_t)j->pkg, "code",
		                  json_string_value(code), "report_upward", 1),
		        NULL,
		        "INSERT INTO custody_incidents (package_id, event_id, code, details, "
		        "report_upward, report_to_unit, status, created_at) VALUES ($1, $2, "
		        "$3, $4, 1, $5, 'open', $6)",
		        "iittit", j->pkg, j->event_id, json_string_value(code), d ? d : "{}",
		        j->report_unit, now);
		free(d);
	}
	if (!rc && strcmp(j->kind, "seal_approval") != 0)
		rc = carry_inner(tx, j, people, now, err);
	free(people);
	return rc;
}

static void flag(struct event_job *j, const char *code, json_t *details)
{
	json_array_append_new(j->flags, json_string(code));
	json_array_append_new(j->flag_details, details);
}

/* Has the package an event of kind since its last proctors' receipt? */
static int has_sealing(struct kw_conn *c, int64_t pkg, int *yes, struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	*yes = 0;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT 1 FROM custody_events a WHERE a.package_id = $1 AND a.kind "
	                        "= 'seal_approval' AND a.seq > COALESCE((SELECT MAX(b.seq) FROM "
	                        "custody_events b WHERE b.package_id = $1 AND b.kind = "
	                        "'proctor_receipt'), 0)",
	                        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pkg);
		rc = kw_stmt_step(st, err);
		*yes = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	return rc;
}

/*
 * CUS-5, DAY-4: the proctors who receive a room's package are proctors the lottery drew for
 * that exam room at that sitting (a drawn draw of the package's seating run, for all sittings
 * or the subject's). Each receiving person is matched by account (the staff record's user)
 * or, for a person without an account, by the drawn staff member's name. Refused with
 * CUSTODY_PROCTOR_NOT_DRAWN naming the first person who is not one (nothing written).
 */
static int check_drawn_proctors(struct kw_conn *c, int64_t pkg, const struct person *p, size_t n,
                                struct kw_err *err)
{
	int64_t room = 0;
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(c, "SELECT exam_room_id FROM paper_packages WHERE id = $1", &st,
	                         err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, pkg);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW && !kw_stmt_column_is_null(st, 0))
			room = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc && !room) {
		kw_err_set(err, KW_ERULE, "CUSTODY_PROCTOR_NOT_DRAWN", "CUS-5",
		           "proctors receive an exam room's package, not a centre's");
		kw_err_detail(err, "problem", json_string("not_a_room_package"));
		kw_err_detail(err, "side", json_string("receiving"));
		const json_t *u = n ? json_object_get(p[0].j, "username") : NULL;
		kw_err_detail(err, "person",
		              u   ? json_copy((json_t *)u)
		              : n ? json_copy(json_object_get(p[0].j, "name"))
		                  : json_string(""));
		return err->rc;
	}
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT COUNT(*) FROM paper_packages p JOIN subjects s ON s.id = "
		        "p.subject_id JOIN proctor_assignments a ON a.exam_room_id = "
		        "p.exam_room_id JOIN proctor_draws d ON d.id = a.draw_id JOIN staff f "
		        "ON f.id = a.staff_id WHERE p.id = $1 AND a.duty = 'proctor' AND "
		        "d.status = 'drawn' AND d.run_id = p.run_id AND (d.sitting = 0 OR "
		        "d.sitting = (SELECT COUNT(DISTINCT o.starts_at) FROM subjects o WHERE "
		        "o.exam_id = s.exam_id AND o.starts_at <= s.starts_at)) AND (($2 <> 0 "
		        "AND f.user_id = $2) OR ($2 = 0 AND f.name = $3))",
		        &st, err);
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t user = 0;
		const char *name = "";
		if (strncmp(p[i].key, "u:", 2) == 0)
			user = strtoll(p[i].key + 2, NULL, 10);
		else
			name = json_string_value(json_object_get(p[i].j, "name"));
		int64_t hits = 0;
		kw_stmt_reset(st);
		kw_stmt_bind_int64(st, 1, pkg);
		kw_stmt_bind_int64(st, 2, user);
		kw_stmt_bind_textz(st, 3, name ? name : "");
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			hits = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
		if (!rc && !hits) {
			kw_err_set(err, KW_ERULE, "CUSTODY_PROCTOR_NOT_DRAWN", "CUS-5",
			           "the papers are received by proctors the lottery drew for this "
			           "exam room at this sitting");
			kw_err_detail(err, "side", json_string("receiving"));
			const json_t *u = json_object_get(p[i].j, "username");
			kw_err_detail(err, "person",
			              json_copy(u ? (json_t *)u : json_object_get(p[i].j, "name")));
			kw_err_detail(err, "exam_room_id", json_integer(room));
			rc = err->rc;
		}
	}
	kw_stmt_finalize(st);
	return rc;
}

static int refuse_people(struct kw_err *err, const char *code, const char *msg, const char *side,
                         size_t n, int min)
{
	kw_err_set(err, KW_ERULE, code, "CUS-3", "%s", msg);
	kw_err_detail(err, "side", json_string(side));
	kw_err_detail(err, "given", json_integer((json_int_t)n));
	kw_err_detail(err, "required", json_integer(min));
	return err->rc;
}

int kw_custody_event(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                     struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("kind", 32, KW_JREQUIRED),
	        KW_JSTR("from", 32, KW_JREQUIRED),
	        KW_JSTR("to", 32, 0),
	        KW_JSTR("location", 200, 0),
	        {"giving", KW_JARRAY, 0, 0, PEOPLE_MAX},
	        {"receiving", KW_JARRAY, 0, 0, PEOPLE_MAX},
	        {"escorts", KW_JARRAY, 0, 0, PEOPLE_MAX},
	        {"key_holders", KW_JARRAY, 0, 0, PEOPLE_MAX},
	        {"guards", KW_JARRAY, 0, 0, PEOPLE_MAX},
	        KW_JSTR("vehicle", 60, 0),
	        KW_JSTR("departed_at", 40, 0),
	        {"count_checked", KW_JINTEGER, 0, 0, 0},
	        KW_JSTR("seal_checked", 100, 0),
	        KW_JSTR("note", 1000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *kname = json_string_value(json_object_get(body, "kind"));
	enum kw_cus_kind kind = kw_cus_kind_of(kname);
	if (!kind)
		return kw_err_invalid(err, "kind", "not_allowed");
	const char *from = json_string_value(json_object_get(body, "from"));
	const char *to = json_string_value(json_object_get(body, "to"));
	if (!to)
		to = from;
	if (!kw_cus_place_known(from))
		return kw_err_invalid(err, "from", "not_allowed");
	if (!kw_cus_place_known(to))
		return kw_err_invalid(err, "to", "not_allowed");
	const json_t *cnt = json_object_get(body, "count_checked");
	const char *seal = json_string_value(json_object_get(body, "seal_checked"));
	const char *vehicle = json_string_value(json_object_get(body, "vehicle"));
	const char *departed = json_string_value(json_object_get(body, "departed_at"));
	int handover = kw_cus_is_handover(kind);
	if (handover && !cnt)
		return kw_err_invalid(err, "count_checked", "required");
	if (cnt && json_integer_value(cnt) < 0)
		return kw_err_invalid(err, "count_checked", "type");
	if (handover && !seal)
		return kw_err_invalid(err, "seal_checked", "required");
	int64_t now = kw_clock_now_us(), dep = 0;
	if (kind == KW_CUS_TRANSPORT) {
		if (!vehicle)
			return kw_err_invalid(err, "vehicle", "required");
		if (!departed)
			return kw_err_invalid(err, "departed_at", "required");
		if (kw_clock_parse(departed, &dep) != 0)
			return kw_err_invalid(err, "departed_at", "format");
		if (dep > now)
			return kw_err_invalid(err, "departed_at", "in_future");
	}

	struct kw_conn *c = kw_pool_get(app->pool);
	json_t *pkg = NULL;
	int64_t unit = 0;
	rc = pkg_load(c, s, id, "custody.record", &pkg, &unit, err);
	struct subj x;
	memset(&x, 0, sizeof x);
	if (!rc)
		rc = subj_load(
		        c, json_integer_value(json_object_get(pkg, "exam_id")),
		        json_integer_value(json_object_get(json_object_get(pkg, "subject"), "id")),
		        NULL, &x, err);
	if (!rc && kind == KW_CUS_SEAL_APPROVAL)
		rc = kw_authz_check(c, s, "custody.approve_sealing", unit, err);
	/* where the package is: checked here for a clear answer, and again in the job */
	const char *place = pkg ? json_string_value(json_object_get(pkg, "place")) : "";
	if (!rc && strcmp(place, from) != 0) {
		kw_err_set(err, KW_ECONFLICT, "CUSTODY_WRONG_PLACE", "CUS-1",
		           "the package is not where this event says it comes from");
		kw_err_detail(err, "place", json_string(place));
		kw_err_detail(err, "from", json_string(from));
		rc = err->rc;
	}
	const char *problem = rc ? NULL : kw_cus_route_problem(kind, from, to);
	if (problem) {
		kw_err_set(err, KW_ERULE, "CUSTODY_BAD_ROUTE", "CUS-2",
		           "this kind of event cannot go from %s to %s", from, to);
		kw_err_detail(err, "problem", json_string(problem));
		rc = err->rc;
	}
	struct person giving[PEOPLE_MAX], receiving[PEOPLE_MAX], escorts[PEOPLE_MAX],
	        keys[PEOPLE_MAX], guards[PEOPLE_MAX];
	size_t ng = 0, nr = 0, ne = 0, nk = 0, nd = 0;
	if (!rc)
		rc = people_of(c, body, "giving", giving, &ng, err);
	if (!rc)
		rc = people_of(c, body, "receiving", receiving, &nr, err);
	if (!rc)
		rc = people_of(c, body, "escorts", escorts, &ne, err);
	if (!rc)
		rc = people_of(c, body, "key_holders", keys, &nk, err);
	if (!rc)
		rc = people_of(c, body, "guards", guards, &nd, err);
	kw_pool_put(app->pool, c);
	int side_min = rule_param(x.ruleset, "custody_side_min", 2);
	if (!rc && handover) {
		if (kw_cus_side_short(ng, (size_t)side_min))
			rc = refuse_people(err, "CUSTODY_ONE_SIDED",
			                   "a handover needs at least two people on each side",
			                   "giving", ng, side_min);
		else if (kw_cus_side_short(nr, (size_t)side_min))
			rc = refuse_people(err, "CUSTODY_ONE_SIDED",
			                   "a handover needs at least two people on each side",
			                   "receiving", nr, side_min);
	}
	if (!rc && kind == KW_CUS_TRANSPORT && kw_cus_side_short(ne, 2))
		rc = refuse_people(err, "CUSTODY_ESCORTS",
		                   "papers travel with at least two escorts (CUS-2)", "escorts", ne,
		                   2);
	if (!rc && (kind == KW_CUS_SECURE_IN || kind == KW_CUS_SECURE_OUT)) {
		if (kw_cus_side_short(nk, 2))
			rc = refuse_people(err, "CUSTODY_KEY_HOLDERS",
			                   "the secure room opens with two keys held by two people",
			                   "key_holders", nk, 2);
		else if (kw_cus_side_short(nd, 2))
			rc = refuse_people(err, "CUSTODY_GUARDS",
			                   "at least two guards must be on duty at the secure room",
			                   "guards", nd, 2);
	}
	/* everyone different: over the sides, the escorts, the key holders */
	const char *all[5 * PEOPLE_MAX];
	size_t na = 0;
	struct {
		const char *name;
		struct person *p;
		size_t n;
	} groups[] = {{"giving", giving, ng},
	              {"receiving", receiving, nr},
	              {"escorts", escorts, ne},
	              {"key_holders", keys, nk},
	              {"guards", guards, nd}};
	const char *where[5 * PEOPLE_MAX];
	const json_t *who[5 * PEOPLE_MAX];
	for (size_t g = 0; g < 5; g++)
		for (size_t i = 0; i < groups[g].n; i++) {
			where[na] = groups[g].name;
			who[na] = groups[g].p[i].j;
			all[na++] = groups[g].p[i].key;
		}
	size_t dup = 0;
	if (!rc && kw_cus_first_duplicate(all, na, &dup)) {
		kw_err_set(err, KW_ERULE, "CUSTODY_SAME_PERSON", "CUS-3",
		           "one person appears twice: each role needs a different person");
		kw_err_detail(err, "side", json_string(where[dup]));
		/* the person as people know them: the account's username, or the name */
		const json_t *u = json_object_get(who[dup], "username");
		kw_err_detail(err, "person",
		              json_copy(u ? (json_t *)u : json_object_get(who[dup], "name")));
		rc = err->rc;
	}
	if (!rc && handover) {
		char me[40];
		snprintf(me, sizeof me, "u:%lld", (long long)s->user.id);
		int party = 0;
		for (size_t i = 0; i < na; i++)
			party |= strcmp(all[i], me) == 0;
		if (!party)
			rc = kw_err_set(err, KW_EFORBIDDEN, "CUSTODY_NOT_PARTY", "CUS-1",
			                "a handover is recorded by one of the people on it");
	}
	if (!rc && kind == KW_CUS_PROCTOR_RECEIPT) {
		c = kw_pool_get(app->pool);
		rc = check_drawn_proctors(c, id, receiving, nr, err);
		kw_pool_put(app->pool, c);
	}
	int over = now >= x.end;
	if (!rc && (kind == KW_CUS_SEAL_APPROVAL || kind == KW_CUS_RETURN) && !over) {
		kw_err_set(err, KW_ERULE, "CUSTODY_NOT_OVER", "CUS-6",
		           "papers are sealed and returned after the sitting ends");
		kw_err_detail(err, "ends_at", kw_json_time_china(x.end));
		rc = err->rc;
	}
	if (!rc && kind == KW_CUS_RETURN) {
		int yes = 0;
		c = kw_pool_get(app->pool);
		rc = has_sealing(c, id, &yes, err);
		kw_pool_put(app->pool, c);
		if (!rc && !yes)
			rc = kw_err_set(err, KW_ERULE, "CUSTODY_NOT_SEALED", "CUS-6",
			                "the chief examiner has not approved the sealing yet");
	}
	struct event_job j = {.pkg = id,
	                      .user = s->user.id,
	                      .report_unit = x.exam_unit,
	                      .kind = kname,
	                      .from = from,
	                      .to = to,
	                      .location = json_string_value(json_object_get(body, "location")),
	                      .vehicle = vehicle,
	                      .seal_checked = seal,
	                      .note = json_string_value(json_object_get(body, "note")),
	                      .people = json_object(),
	                      .flags = json_array(),
	                      .flag_details = json_array()};
	if (cnt) {
		j.has_count = 1;
		j.count = json_integer_value(cnt);
	}
	if (departed)
		kw_clock_format(dep, j.departed);
	for (size_t g = 0; g < 5; g++) {
		if (!groups[g].n)
			continue;
		json_t *a = json_array();
		for (size_t i = 0; i < groups[g].n; i++)
			json_array_append(a, groups[g].p[i].j);
		json_object_set_new(j.people, groups[g].name, a);
	}
	if (!rc) {
		int64_t count = json_integer_value(json_object_get(pkg, "count"));
		const char *pseal = json_string_value(json_object_get(pkg, "seal_no"));
		if (handover && j.count != count)
			flag(&j, "CUSTODY_COUNT_MISMATCH",
			     json_pack("{s:I, s:I}", "expected", (json_int_t)count, "counted",
			               (json_int_t)j.count));
		if (handover && strcmp(seal, pseal) != 0)
			flag(&j, "CUSTODY_SEAL_MISMATCH",
			     json_pack("{s:s, s:s}", "expected", pseal, "read", seal));
		int mins = kind == KW_CUS_CENTRE_RECEIPT
		                   ? rule_param(x.ruleset, "custody_centre_minutes", 60)
		                   : rule_param(x.ruleset, "custody_proctor_minutes", 30);
		if ((kind == KW_CUS_CENTRE_RECEIPT || kind == KW_CUS_PROCTOR_RECEIPT) &&
		    kw_cus_late(now, x.start, mins))
			flag(&j, "CUSTODY_LATE",
			     json_pack("{s:s, s:o, s:o, s:i}", "kind", kname, "due_by",
			               kw_json_time_china(x.start - mins * MINUTE_US), "at",
			               kw_json_time_china(now), "minutes", mins));
		if (kind == KW_CUS_TRANSPORT && !kw_cus_same_day(dep, now))
			flag(&j, "CUSTODY_NOT_SAME_DAY",
			     json_pack("{s:o, s:o}", "departed_at", kw_json_time_china(dep),
			               "arrived_at", kw_json_time_china(now)));
	}
	for (size_t g = 0; g < 5; g++)
		for (size_t i = 0; i < groups[g].n; i++)
			json_decref(groups[g].p[i].j);
	json_decref(pkg);
	if (!rc)
		rc = kw_writer_run(app->writer, event_job, &j, actor, err);
	json_t *chain = NULL, *incidents = NULL;
	if (!rc)
		rc = kw_custody_get(app, s, id, &chain, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = incidents_json(c, id, j.event_id, &incidents, err);
		kw_pool_put(app->pool, c);
	}
	json_t *flags = j.flags;
	json_decref(j.people);
	json_decref(j.flag_details);
	if (rc) {
		json_decref(flags);
		json_decref(chain);
		json_decref(incidents);
		return rc;
	}
	json_t *pj = json_object_get(chain, "package");
	kw_live_touch(app, json_integer_value(json_object_get(pj, "exam_id")), /* command view */
	              json_integer_value(json_object_get(json_object_get(pj, "centre"), "id")));
	json_t *events = json_object_get(chain, "events");
	json_t *ev = json_array_get(events, json_array_size(events) - 1);
	*out = json_pack("{s:O, s:o, s:o, s:O}", "event", ev ? ev : json_null(), "flags", flags,
	                 "incidents", incidents, "package", json_object_get(chain, "package"));
	json_decref(chain);
	return 0;
}
