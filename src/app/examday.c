/* Exam day: check-in, leaving under the room lock, the room record (see examday.h). */
#include "app/examday.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/cases.h"
#include "app/live.h"
#include "app/readiness.h"
#include "app/signed.h"
#include "core/mask.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/memo.h"

#define MINUTE_US       INT64_C(60000000)
#define ENTRY_FILES_MAX 10

/* Is code one of the "+"-joined codes of group? */
int kw_subject_group_has(const char *group, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = group; p && *p;) {
		const char *e = strchr(p, '+');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, code, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* ---- the rule set's times ---- */

static void rules_resolve(const char *ruleset, struct kw_examday_rules *out)
{
	json_t *p = NULL;
	if (kw_app_rule_params(ruleset, &p, NULL) != 0)
		p = NULL;
	out->opens_minutes = kw_app_param_int(p, "checkin_opens_minutes", 30);
	out->late_minutes = kw_app_param_int(p, "late_entry_minutes", 5);
	out->late_av_minutes = kw_app_param_int(p, "late_entry_audio_video_minutes", 0);
	out->lock_short_max_minutes = kw_app_param_int(p, "lock_short_subject_max_minutes", 120);
	out->lock_long_minutes = kw_app_param_int(p, "lock_long_subject_minutes", 120);
	out->cbt_early_open_minutes = kw_app_param_int(p, "cbt_early_open_minutes", 15);
	out->signatures_min = kw_app_param_int(p, "room_record_signatures_min", 2);
	json_decref(p);
}

/* The rule sets' parameters are compiled in and never change: resolved once per rule set
 * (a check-in asks on every scan). */
static struct {
	char name[32];
	struct kw_examday_rules r;
} rules_cache[8];
static size_t rules_cached;
static pthread_mutex_t rules_lock = PTHREAD_MUTEX_INITIALIZER;

void kw_examday_rules_of(const char *ruleset, struct kw_examday_rules *out)
{
	const char *name = ruleset && *ruleset ? ruleset : "PQ";
	pthread_mutex_lock(&rules_lock);
	for (size_t i = 0; i < rules_cached; i++)
		if (strcmp(rules_cache[i].name, name) == 0) {
			*out = rules_cache[i].r;
			pthread_mutex_unlock(&rules_lock);
			return;
		}
	rules_resolve(name, out);
	if (rules_cached < sizeof rules_cache / sizeof rules_cache[0] &&
	    strlen(name) < sizeof rules_cache[0].name) {
		snprintf(rules_cache[rules_cached].name, sizeof rules_cache[0].name, "%s", name);
		rules_cache[rules_cached++].r = *out;
	}
	pthread_mutex_unlock(&rules_lock);
}

void kw_examday_times(const struct kw_examday_rules *r, int64_t start, int minutes, int cbt,
                      int audio_video, struct kw_examday_times *out)
{
	out->start = start;
	out->end = start + minutes * MINUTE_US;
	out->opens = start - r->opens_minutes * MINUTE_US;
	out->cutoff = start + (audio_video ? r->late_av_minutes : r->late_minutes) * MINUTE_US;
	if (audio_video)
		out->lock_until = out->end; /* audio/video: until the end */
	else if (minutes <= r->lock_short_max_minutes)
		out->lock_until = cbt ? out->end - r->cbt_early_open_minutes * MINUTE_US : out->end;
	else
		out->lock_until = start + r->lock_long_minutes * MINUTE_US;
	if (out->lock_until > out->end)
		out->lock_until = out->end;
	if (out->lock_until < start)
		out->lock_until = start;
}

/* ---- the sitting and the room ---- */

struct sit {
	int64_t exam, exam_unit, subject, run;
	int sitting, minutes, cbt, av;
	char exam_code[128], exam_name[256], ruleset[32], code[64], name[256];
	struct kw_examday_rules rules;
	struct kw_examday_times t;
};

/* The exam's subject `code` with its times and the exam's published seating run. NOT_FOUND
 * for an unknown exam or subject, a subject without a start time or an exam not seated. */
static int sit_load(struct kw_memo *memo, struct kw_conn *c, int64_t exam, const char *code,
                    struct sit *x, struct kw_err *err)
{
	memset(x, 0, sizeof *x);
	if (!code || !*code || strlen(code) > 60)
		return kw_err_not_found(err, "sitting");
	/* kept (util/memo.h): every check-in of a sitting reads the same row */
	char key[KW_MEMO_KEY_MAX];
	int kn = snprintf(key, sizeof key, "sit:%lld:%s", (long long)exam, code);
	uint64_t gen = kw_facts_generation();
	int64_t at = kw_clock_now_us();
	if (kw_memo_get(memo, key, (size_t)kn, gen, at, x, sizeof *x))
		return 0;
	struct kw_stmt *s = NULL;
	char starts[64] = "";
	int rc = kw_conn_prepare(
	        c,
	        "SELECT e.id, e.unit_id, e.code, e.name, e.ruleset, s.id, s.code, s.name, "
	        "s.duration_minutes, s.mode, s.audio_video, s.starts_at, (SELECT COUNT(DISTINCT "
	        "o.starts_at) FROM subjects o WHERE o.exam_id = e.id AND o.starts_at <= "
	        "s.starts_at), (SELECT MAX(r.id) FROM seating_runs r WHERE r.exam_id = e.id AND "
	        "r.status = 'published') FROM exams e JOIN subjects s ON s.exam_id = e.id WHERE "
	        "e.id = $1 AND s.code = $2",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_textz(s, 2, code);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			x->exam = kw_stmt_column_int64(s, 0);
			x->exam_unit = kw_stmt_column_int64(s, 1);
			kw_stmt_column_copy(s, 2, x->exam_code, sizeof x->exam_code);
			kw_stmt_column_copy(s, 3, x->exam_name, sizeof x->exam_name);
			kw_stmt_column_copy(s, 4, x->ruleset, sizeof x->ruleset);
			x->subject = kw_stmt_column_int64(s, 5);
			kw_stmt_column_copy(s, 6, x->code, sizeof x->code);
			kw_stmt_column_copy(s, 7, x->name, sizeof x->name);
			x->minutes = (int)kw_stmt_column_int64(s, 8);
			x->cbt = !kw_stmt_column_is_null(s, 9) &&
			         strcmp(kw_stmt_column_text(s, 9, NULL), "cbt") == 0;
			x->av = (int)kw_stmt_column_int64(s, 10);
			kw_stmt_column_copy(s, 11, starts, sizeof starts);
			x->sitting = (int)kw_stmt_column_int64(s, 12);
			x->run = kw_stmt_column_int64(s, 13);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	int64_t start = 0;
	if (!rc && (!x->exam || !x->run || !starts[0] || kw_clock_parse(starts, &start) != 0))
		rc = kw_err_not_found(err, "sitting");
	if (!rc) {
		kw_examday_rules_of(x->ruleset, &x->rules);
		kw_examday_times(&x->rules, start, x->minutes, x->cbt, x->av, &x->t);
		kw_memo_put(memo, key, (size_t)kn, gen, at, x, sizeof *x);
	}
	return rc;
}

struct room {
	int64_t id, centre, centre_unit, number;
	int64_t staff; /* the caller's staff record drawn as a proctor of the room (0: none) */
	char centre_code[64], centre_name[256], room_code[64], subjects[400];
};

/* Exam room id of the sitting's run holding the sitting's subject, with the caller's place
 * among the proctors the lottery drew for it at the sitting (r->staff); NOT_FOUND otherwise. */
static int room_load(struct kw_conn *c, const struct kw_session_info *who, const struct sit *x,
                     int64_t id, struct room *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT x.id, x.centre_id, c.unit_id, x.number, c.code, c.name, m.code, "
	        "x.subjects, (SELECT MIN(f.id) FROM proctor_assignments a JOIN proctor_draws d ON "
	        "d.id = a.draw_id JOIN staff f ON f.id = a.staff_id WHERE a.exam_room_id = x.id "
	        "AND a.duty = 'proctor' AND d.status = 'drawn' AND d.run_id = $2 AND (d.sitting = "
	        "0 OR d.sitting = $3) AND f.user_id = $4) FROM exam_rooms x JOIN centres c ON c.id "
	        "= x.centre_id JOIN rooms m ON m.id = x.room_id WHERE x.id = $1 AND x.run_id = $2",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		kw_stmt_bind_int64(s, 2, x->run);
		kw_stmt_bind_int64(s, 3, x->sitting);
		/* a candidate's session is nobody's proctor */
		kw_stmt_bind_int64(s, 4, who && !who->candidate_id ? who->user.id : 0);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			r->id = kw_stmt_column_int64(s, 0);
			r->centre = kw_stmt_column_int64(s, 1);
			r->centre_unit = kw_stmt_column_int64(s, 2);
			r->number = kw_stmt_column_int64(s, 3);
			kw_stmt_column_copy(s, 4, r->centre_code, sizeof r->centre_code);
			kw_stmt_column_copy(s, 5, r->centre_name, sizeof r->centre_name);
			kw_stmt_column_copy(s, 6, r->room_code, sizeof r->room_code);
			kw_stmt_column_copy(s, 7, r->subjects, sizeof r->subjects);
			r->staff = kw_stmt_column_is_null(s, 8) ? 0 : kw_stmt_column_int64(s, 8);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && (!r->id || !kw_subject_group_has(r->subjects, x->code)))
		rc = kw_err_not_found(err, "exam room at this sitting");
	return rc;
}

/* Writes to a room: the action's grant must reach the centre (else NOT_FOUND: the wall), and
 * the caller must be one of the room's proctors (403 EXAMDAY_NOT_ASSIGNED). */
static int reach_write(struct kw_conn *c, const struct kw_session_info *s, const struct room *r,
                       const char *action, int64_t *staff, struct kw_err *err)
{
	int rc = kw_authz_check(c, s, action, r->centre_unit, err);
	if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
		kw_err_release(err);
		return kw_err_not_found(err, "exam room at this sitting");
	}
	if (!rc)
		*staff = r->staff;
	if (!rc && !*staff) {
		kw_err_set(err, KW_EFORBIDDEN, "EXAMDAY_NOT_ASSIGNED", "DAY-4",
		           "only the proctors the lottery assigned to this exam room may do this");
		kw_err_detail(err, "room_id", json_integer(r->id));
		rc = err->rc;
	}
	return rc;
}

/* Reading a room: its proctors, or staff whose examday.read reaches the centre. */
static int reach_read(struct kw_conn *c, const struct kw_session_info *s, const struct room *r,
                      struct kw_err *err)
{
	if (r->staff)
		return 0;
	int rc = kw_authz_check(c, s, "examday.read", r->centre_unit, err);
	if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
		kw_err_release(err);
		rc = kw_err_not_found(err, "exam room at this sitting");
	}
	return rc;
}

/* Loads the sitting and the room and checks the caller (write: action; NULL: read). */
static int open_room(struct kw_memo *memo, struct kw_conn *c, const struct kw_session_info *s,
                     int64_t exam, const char *code, int64_t room, const char *action,
                     struct sit *x, struct room *r, int64_t *staff, struct kw_err *err)
{
	int64_t dummy = 0;
	int rc = sit_load(memo, c, exam, code, x, err);
	if (!rc)
		rc = room_load(c, s, x, room, r, err);
	if (!rc)
		rc = action ? reach_write(c, s, r, action, staff ? staff : &dummy, err)
		            : reach_read(c, s, r, err);
	return rc;
}

/* ---- check-in ---- */

/* Where a registration sits in the run; with seat_of_checkin also what check-in asks of it. */
struct seat {
	int64_t id, reg, room, centre, number, seat_no, cand;
	char ticket_no[64], centre_code[64], centre_name[256], subjects[400], name[256],
	        id_number[64], reg_status[32];
	/* seat_of_checkin: */
	int64_t checkin;    /* its check-in at the subject (0: none) */
	int photo;          /* a JPEG photo the ticket shows */
	char qr_status[16]; /* the QR's ticket version: "valid", "revoked", "" unknown */
	int64_t qr_current; /* the valid version (0: none) */
};

/* The seat of reg (ticket_no NULL) or of ticket_no in the sitting's run. With ask set (a
 * check-in: one statement instead of four on the request's thread) also its check-in at the
 * subject, the photo, and the state of the QR's ticket version (ask->version, ask->ticket_no;
 * version 0: typed, not asked). */
struct seat_ask {
	int64_t subject, version;
	const char *ticket_no;
};

static int seat_of(struct kw_conn *c, const struct sit *x, int64_t reg, const char *ticket_no,
                   const struct seat_ask *ask, struct seat *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct kw_stmt *s = NULL;
	char sql[1600];
	snprintf(
	        sql, sizeof sql,
	        "SELECT s.id, s.registration_id, s.exam_room_id, x.centre_id, x.number, s.seat_no, "
	        "s.ticket_no, c.code, c.name, x.subjects, d.name, d.id_number, r.status, d.id%s "
	        "FROM seats s JOIN exam_rooms x ON x.id = s.exam_room_id JOIN centres c ON c.id = "
	        "x.centre_id JOIN registrations r ON r.id = s.registration_id JOIN candidates d ON "
	        "d.id = r.candidate_id WHERE s.run_id = $1 AND %s",
	        ask ? ", (SELECT k.id FROM checkins k WHERE k.subject_id = $3 AND "
	              "k.registration_id = s.registration_id), EXISTS (SELECT 1 FROM files f WHERE "
	              "f.candidate_id = d.id AND f.purpose = 'photo' AND f.media_type = "
	              "'image/jpeg'), (SELECT t.status FROM tickets t WHERE t.registration_id = "
	              "s.registration_id AND t.version = $4 AND t.ticket_no = $5), (SELECT "
	              "MAX(t.version) FROM tickets t WHERE t.registration_id = s.registration_id "
	              "AND t.status = 'valid')"
	            : "",
	        ticket_no ? "s.ticket_no = $2" : "s.registration_id = $2");
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, x->run);
		if (ticket_no)
			kw_stmt_bind_textz(s, 2, ticket_no);
		else
			kw_stmt_bind_int64(s, 2, reg);
		if (ask) {
			kw_stmt_bind_int64(s, 3, ask->subject);
			kw_stmt_bind_int64(s, 4, ask->version);
			kw_stmt_bind_textz(s, 5, ask->ticket_no ? ask->ticket_no : "");
		}
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			t->id = kw_stmt_column_int64(s, 0);
			t->reg = kw_stmt_column_int64(s, 1);
			t->room = kw_stmt_column_int64(s, 2);
			t->centre = kw_stmt_column_int64(s, 3);
			t->number = kw_stmt_column_int64(s, 4);
			t->seat_no = kw_stmt_column_int64(s, 5);
			kw_stmt_column_copy(s, 6, t->ticket_no, sizeof t->ticket_no);
			kw_stmt_column_copy(s, 7, t->centre_code, sizeof t->centre_code);
			kw_stmt_column_copy(s, 8, t->centre_name, sizeof t->centre_name);
			kw_stmt_column_copy(s, 9, t->subjects, sizeof t->subjects);
			kw_stmt_column_copy(s, 10, t->name, sizeof t->name);
			kw_stmt_column_copy(s, 11, t->id_number, sizeof t->id_number);
			kw_stmt_column_copy(s, 12, t->reg_status, sizeof t->reg_status);
			t->cand = kw_stmt_column_int64(s, 13);
			if (ask) {
				t->checkin = kw_stmt_column_is_null(s, 14)
				                     ? 0
				                     : kw_stmt_column_int64(s, 14);
				t->photo = kw_stmt_column_int64(s, 15) != 0;
				if (!kw_stmt_column_is_null(s, 16))
					kw_stmt_column_copy(s, 16, t->qr_status,
					                    sizeof t->qr_status);
				t->qr_current = kw_stmt_column_is_null(s, 17)
				                        ? 0
				                        : kw_stmt_column_int64(s, 17);
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The ticket version (reg, version) of a QR: *status "valid", "revoked", or "" when unknown;
 * *current the valid version (0: none). */
static int ticket_state(struct kw_conn *c, int64_t reg, int64_t version, const char *ticket_no,
                        char status[16], int64_t *current, struct kw_err *err)
{
	status[0] = '\0';
	*current = 0;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT version, status, ticket_no FROM tickets WHERE "
	                         "registration_id = $1 ORDER BY version",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, reg);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			const char *st = kw_stmt_column_text(s, 1, NULL);
			if (strcmp(st, "valid") == 0)
				*current = kw_stmt_column_int64(s, 0);
			if (kw_stmt_column_int64(s, 0) == version &&
			    strcmp(kw_stmt_column_text(s, 2, NULL), ticket_no) == 0)
				snprintf(status, 16, "%s", st);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static const char checkin_cols[] =
        "k.id, k.exam_id, k.subject_id, k.exam_room_id, k.registration_id, k.seat_id, "
        "k.ticket_no, k.ticket_version, k.method, k.id_checked, k.photo_match, "
        "k.checked_in_by, k.checked_in_at, k.left_kind, k.left_reason, k.rest_room, "
        "k.left_by, k.left_at, s.seat_no, d.name, u.username";
static const char checkin_from[] =
        "FROM checkins k JOIN seats s ON s.id = k.seat_id JOIN registrations r ON r.id = "
        "k.registration_id JOIN candidates d ON d.id = r.candidate_id LEFT JOIN users u ON "
        "u.id = k.checked_in_by";

/* A check-in as the API shows it: checkin_cols' values in order, as JSON (NULL: null). */
static json_t *checkin_json(json_t *const v[21])
{
	static const char *const keys[21] = {"id",
	                                     "exam_id",
	                                     "subject_id",
	                                     "room_id",
	                                     "registration_id",
	                                     "seat_id",
	                                     "ticket_no",
	                                     "ticket_version",
	                                     "method",
	                                     "id_checked",
	                                     "photo_match",
	                                     "checked_in_by",
	                                     "checked_in_at",
	                                     "left_kind",
	                                     "left_reason",
	                                     "rest_room",
	                                     "left_by",
	                                     "left_at",
	                                     "seat_no",
	                                     "name",
	                                     "checked_in_by_name"};
	json_t *o = json_object();
	for (int i = 0; i < 21; i++)
		json_object_set_new(o, keys[i], v[i] ? v[i] : json_null());
	return o;
}

static json_t *checkin_row(struct kw_stmt *s)
{
	/* the booleans among checkin_cols */
	static const unsigned char boolean[21] = {[9] = 1, [10] = 1, [15] = 1};
	static const unsigned char text[21] = {
	        [6] = 1, [8] = 1, [12] = 1, [13] = 1, [14] = 1, [17] = 1, [19] = 1, [20] = 1};
	json_t *v[21];
	for (int i = 0; i < 21; i++)
		v[i] = kw_stmt_column_is_null(s, i) ? NULL
		       : text[i]                    ? json_string(kw_stmt_column_text(s, i, NULL))
		       : boolean[i]                 ? json_boolean(kw_stmt_column_int64(s, i))
		                                    : json_integer(kw_stmt_column_int64(s, i));
	return checkin_json(v);
}

/* Check-in id (or, id 0, of reg at the subject) as JSON; *out NULL when none. */
static int checkin_get(struct kw_conn *c, int64_t id, int64_t subject, int64_t reg, json_t **out,
                       struct kw_err *err)
{
	*out = NULL;
	char sql[1200];
	snprintf(sql, sizeof sql, "SELECT %s %s WHERE %s", checkin_cols, checkin_from,
	         id ? "k.id = $1" : "k.subject_id = $1 AND k.registration_id = $2");
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id ? id : subject);
		if (!id)
			kw_stmt_bind_int64(s, 2, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*out = checkin_row(s);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static void photo_url(json_t *o, const struct sit *x, int64_t room, int64_t reg, int photo)
{
	char url[200];
	snprintf(url, sizeof url, "/api/v1/exams/%lld/sittings/%s/rooms/%lld/photos/%lld",
	         (long long)x->exam, x->code, (long long)room, (long long)reg);
	json_object_set_new(o, "photo_url", photo ? json_string(url) : json_null());
}

/* What the proctor sees of the candidate. */
static json_t *candidate_json(const struct sit *x, const struct seat *t, int photo)
{
	char masked[64];
	kw_mask_id_number(t->id_number, masked, sizeof masked);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "registration_id",
	                      (json_int_t)t->reg, "name", t->name, "id_number", masked, "ticket_no",
	                      t->ticket_no, "room_number", (json_int_t)t->number, "seat_no",
	                      (json_int_t)t->seat_no, "centre", t->centre_code, "centre_name",
	                      t->centre_name);
	photo_url(o, x, t->room, t->reg, photo);
	return o;
}

/* A check-in to write (kw_examday_checkin_op): the sitting, the seat and what the answer
 * shows, owned; status (201, or 200 when another proctor's scan of the same candidate came
 * first) for the answer. */
struct checkin_job {
	struct sit x;
	struct seat t;
	int64_t room, centre, version, user;
	char username[64];
	const char *method;
	int photo_match; /* -1: not said */
	int64_t id;
	char at[32]; /* checked_in_at */
	int repeated, status;
	json_t *cand;
};

/* Another proctor's scan of the same candidate came first: j->id is that check-in. */
static int checkin_first(struct kw_tx *tx, struct checkin_job *j, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT id FROM checkins WHERE subject_id = $1 AND "
	                         "registration_id = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->x.subject);
		kw_stmt_bind_int64(s, 2, j->t.reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			j->id = kw_stmt_column_int64(s, 0);
			j->repeated = 1;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !j->repeated)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "the check-in was not written");
	/* the scan itself is on the record (every write job leaves a trace) */
	if (!rc) {
		json_t *d = json_pack("{s:s, s:I}", "method", j->method, "room_id",
		                      (json_int_t)j->room);
		rc = kw_audit_append(tx, "examday.checkin.repeat", "checkins", j->id, d, err);
		json_decref(d);
	}
	return rc;
}

/* Inserts first; only a conflict on (subject, registration) looks for the one there. */
static int checkin_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct checkin_job *j = arg;
	j->repeated = 0;
	j->id = 0;
	kw_clock_format(tx->now_us, j->at);
	json_t *d = json_pack("{s:s, s:s, s:I, s:s}", "subject", j->x.code, "ticket_no",
	                      j->t.ticket_no, "room_id", (json_int_t)j->room, "method", j->method);
	struct kw_stmt *s = NULL;
	int rc = kw_audit_prepare(
	        tx->conn, "checkins", &s, err,
	        "INSERT INTO checkins (exam_id, subject_id, exam_room_id, "
	        "registration_id, seat_id, ticket_no, ticket_version, method, "
	        "id_checked, photo_match, checked_in_by, checked_in_at, created_at, "
	        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, "
	        "$11, $11) ON CONFLICT (subject_id, registration_id) DO NOTHING");
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->x.exam);
		kw_stmt_bind_int64(s, 2, j->x.subject);
		kw_stmt_bind_int64(s, 3, j->room);
		kw_stmt_bind_int64(s, 4, j->t.reg);
		kw_stmt_bind_int64(s, 5, j->t.id);
		kw_stmt_bind_textz(s, 6, j->t.ticket_no);
		if (j->version)
			kw_stmt_bind_int64(s, 7, j->version);
		else
			kw_stmt_bind_null(s, 7);
		kw_stmt_bind_textz(s, 8, j->method);
		if (j->photo_match >= 0)
			kw_stmt_bind_int64(s, 9, j->photo_match);
		else
			kw_stmt_bind_null(s, 9);
		kw_stmt_bind_int64(s, 10, j->user);
		kw_stmt_bind_textz(s, 11, j->at);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			j->id = kw_stmt_column_int64(s, 0);
			rc = kw_audit_append_row(tx, "examday.checkin", "checkins", s, d, err);
		} else if (rc == KW_DONE) {
			kw_stmt_finalize(s);
			s = NULL;
			rc = checkin_first(tx, j, err);
		}
	}
	json_decref(d);
	kw_stmt_finalize(s);
	return rc;
}

/* CHECKIN_WRONG_ROOM with where the candidate belongs. */
static int wrong_room(struct kw_err *err, const char *reason, const struct seat *t,
                      const struct room *here)
{
	kw_err_set(err, KW_ERULE, "CHECKIN_WRONG_ROOM", "DAY-2",
	           strcmp(reason, "sitting") == 0 ? "the candidate does not sit this subject"
	                                          : "the candidate is seated in another exam room");
	kw_err_detail(err, "reason", json_string(reason));
	kw_err_detail(err, "ticket_no", json_string(t->ticket_no));
	kw_err_detail(err, "centre", json_string(t->centre_code));
	kw_err_detail(err, "centre_name", json_string(t->centre_name));
	kw_err_detail(err, "room_number", json_integer(t->number));
	kw_err_detail(err, "room_id", json_integer(t->room));
	kw_err_detail(err, "seat_no", json_integer(t->seat_no));
	kw_err_detail(err, "subjects", json_string(t->subjects));
	kw_err_detail(err, "here_centre", json_string(here->centre_code));
	kw_err_detail(err, "here_room_number", json_integer(here->number));
	return err->rc;
}

static void checkin_free(void *p)
{
	struct checkin_job *j = p;
	if (j)
		json_decref(j->cand);
	free(j);
}

/* After the commit: the check-in as written (or the one that came first), who the candidate
 * is; the command view counts a new one. */
static int checkin_answer(struct kw_app *app, void *arg, json_t **out, struct kw_err *err)
{
	struct checkin_job *j = arg;
	json_t *got = NULL;
	if (j->repeated) {
		struct kw_conn *c = kw_pool_get(app->pool);
		int rc = checkin_get(c, j->id, 0, 0, &got, err);
		kw_pool_put(app->pool, c);
		if (rc)
			return rc;
	} else {
		/* what was written, without reading it back (checkin_cols' order) */
		json_t *v[21] = {json_integer(j->id),
		                 json_integer(j->x.exam),
		                 json_integer(j->x.subject),
		                 json_integer(j->room),
		                 json_integer(j->t.reg),
		                 json_integer(j->t.id),
		                 json_string(j->t.ticket_no),
		                 j->version ? json_integer(j->version) : NULL,
		                 json_string(j->method),
		                 json_true(),
		                 j->photo_match >= 0 ? json_boolean(j->photo_match) : NULL,
		                 json_integer(j->user),
		                 json_string(j->at),
		                 NULL,
		                 NULL,
		                 NULL,
		                 NULL,
		                 NULL,
		                 json_integer(j->t.seat_no),
		                 json_string(j->t.name),
		                 j->username[0] ? json_string(j->username) : NULL};
		got = checkin_json(v);
	}
	if (!j->repeated)
		kw_live_checkin(app, j->x.exam, j->x.subject, j->centre,
		                j->room); /* command view */
	j->status = j->repeated ? 200 : 201;
	*out = json_pack("{s:o, s:O, s:b, s:b}", "checkin", got ? got : json_null(), "candidate",
	                 j->cand, "repeated", j->repeated, "preview", 0);
	return 0;
}

int kw_examday_checkin_op(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                          const char *subject, const json_t *body, struct kw_op *op, json_t **out,
                          struct kw_err *err)
{
	memset(op, 0, sizeof *op);
	*out = NULL;
	static const struct kw_jfield shape[] = {
	        KW_JSTR("payload", 1024, 0),
	        KW_JSTR("ticket_no", 64, 0),
	        {"room_id", KW_JINTEGER, KW_JREQUIRED, 0, 0},
	        {"id_checked", KW_JBOOLEAN, 0, 0, 0},
	        {"photo_match", KW_JBOOLEAN, 0, 0, 0},
	        {"preview", KW_JBOOLEAN, 0, 0, 0},
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *payload = json_string_value(json_object_get(body, "payload"));
	const char *typed = json_string_value(json_object_get(body, "ticket_no"));
	int64_t room_id = json_integer_value(json_object_get(body, "room_id"));
	int preview = json_is_true(json_object_get(body, "preview"));
	const json_t *pm = json_object_get(body, "photo_match");
	if (!payload == !typed)
		return kw_err_invalid(err, payload ? "ticket_no" : "payload",
		                      "one_of_payload_ticket_no");
	if (room_id < 1)
		return kw_err_invalid(err, "room_id", "type");
	if (!preview && !json_is_true(json_object_get(body, "id_checked")))
		return kw_err_invalid(err, "id_checked", "must_be_true");
	if (!preview && json_is_false(pm))
		return kw_err_invalid(err, "photo_match", "must_be_true");

	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	int64_t staff = 0;
	rc = open_room(app->memo, c, s, exam, subject, room_id, "examday.checkin", &x, &r, &staff,
	               err);
	int64_t reg = 0, version = 0;
	char tno[64] = "";
	json_t *p = NULL;
	if (!rc && payload) {
		if (!app->ticket_key_ok ||
		    kw_signed_open("KW1.", payload, app->ticket_pk, &p) != 0) {
			rc = kw_err_set(err, KW_ERULE, "CHECKIN_FORGED", "DAY-2",
			                "the QR code is not a ticket kaowu signed");
		} else {
			reg = json_integer_value(json_object_get(p, "r"));
			version = json_integer_value(json_object_get(p, "v"));
			const char *t = json_string_value(json_object_get(p, "t"));
			const char *e = json_string_value(json_object_get(p, "e"));
			snprintf(tno, sizeof tno, "%s", t ? t : "");
			if (!e || strcmp(e, x.exam_code) != 0) {
				kw_err_set(err, KW_ERULE, "CHECKIN_WRONG_EXAM", "DAY-2",
				           "the ticket is of another exam");
				kw_err_detail(err, "exam", json_string(e ? e : ""));
				rc = err->rc;
			}
		}
	}
	/* the seat, with its check-in, photo and the QR's ticket version in one statement */
	struct seat t;
	memset(&t, 0, sizeof t);
	struct seat_ask ask = {x.subject, payload ? version : 0, payload ? tno : NULL};
	if (!rc)
		rc = seat_of(c, &x, reg, payload ? NULL : typed, &ask, &t, err);
	char status[16] = "";
	int64_t current = 0;
	if (!rc && payload) {
		if (t.id) {
			snprintf(status, sizeof status, "%s", t.qr_status);
			current = t.qr_current;
		} else { /* no seat: is the ticket unknown too? */
			rc = ticket_state(c, reg, version, tno, status, &current, err);
		}
	}
	if (!rc && payload && !status[0])
		rc = kw_err_set(err, KW_ENOTFOUND, "CHECKIN_TICKET_UNKNOWN", "DAY-2",
		                "no such ticket");
	if (!rc && payload && strcmp(status, "valid") != 0) {
		kw_err_set(err, KW_ERULE, "CHECKIN_TICKET_REVOKED", "TKT-4",
		           "this ticket was replaced by a later version");
		kw_err_detail(err, "version", json_integer(version));
		kw_err_detail(err, "valid_version", current ? json_integer(current) : json_null());
		rc = err->rc;
	}
	if (!rc && (!t.id || (payload && strcmp(t.ticket_no, tno) != 0)))
		rc = kw_err_set(err, KW_ENOTFOUND, "CHECKIN_TICKET_UNKNOWN", "DAY-2",
		                "no seat with this ticket in the exam's published seating");
	if (!rc && (strcmp(t.reg_status, "cancelled") == 0 || strcmp(t.reg_status, "void") == 0)) {
		kw_err_set(err, KW_ERULE, "CHECKIN_REGISTRATION_CANCELLED", "VIO-1",
		           "a decision cancelled this registration or made it void");
		kw_err_detail(err, "status", json_string(t.reg_status));
		rc = err->rc;
	}
	if (!rc && !kw_subject_group_has(t.subjects, x.code))
		rc = wrong_room(err, "sitting", &t, &r);
	if (!rc && t.room != r.id)
		rc = wrong_room(err, t.centre != r.centre ? "centre" : "room", &t, &r);
	json_t *existing = NULL;
	if (!rc && t.checkin)
		rc = checkin_get(c, t.checkin, 0, 0, &existing, err);
	int64_t now = kw_clock_now_us();
	if (!rc && !existing && now < x.t.opens) {
		kw_err_set(err, KW_ERULE, "CHECKIN_NOT_OPEN", "DAY-3",
		           "check-in opens %d minutes before the start", x.rules.opens_minutes);
		kw_err_detail(err, "opens_at", kw_json_time_china(x.t.opens));
		kw_err_detail(err, "minutes", json_integer(x.rules.opens_minutes));
		rc = err->rc;
	}
	if (!rc && !existing && now > x.t.cutoff) {
		kw_err_set(err, KW_ERULE, "CHECKIN_LATE", "DAY-2",
		           "no entry after the cut-off (%d minutes after the start)",
		           x.av ? x.rules.late_av_minutes : x.rules.late_minutes);
		kw_err_detail(err, "cutoff_at", kw_json_time_china(x.t.cutoff));
		kw_err_detail(err, "minutes",
		              json_integer(x.av ? x.rules.late_av_minutes : x.rules.late_minutes));
		rc = err->rc;
	}
	if (!rc && !existing)
		rc = kw_readiness_require(app->memo, c, x.exam, r.centre, err); /* VEN-6, VEN-4 */
	int photo = t.photo;
	kw_pool_put(app->pool, c);
	json_decref(p);
	if (rc) {
		json_decref(existing);
		return rc;
	}
	json_t *cand = candidate_json(&x, &t, photo);
	if (existing || preview) {
		*out = json_pack("{s:o, s:o, s:b, s:b}", "checkin",
		                 existing ? existing : json_null(), "candidate", cand, "repeated",
		                 existing != NULL, "preview", preview && !existing);
		return 0;
	}
	struct checkin_job *j = kw_xcalloc(1, sizeof *j);
	*j = (struct checkin_job){.x = x,
	                          .t = t,
	                          .room = r.id,
	                          .centre = r.centre,
	                          .version = payload ? version : 0,
	                          .user = s->user.id,
	                          .method = payload ? "qr" : "typed",
	                          .photo_match = json_is_boolean(pm) ? json_is_true(pm) : -1,
	                          .cand = cand};
	snprintf(j->username, sizeof j->username, "%s", s->user.username);
	*op = (struct kw_op){checkin_job, checkin_answer, checkin_free, j, 0, &j->status};
	return 0;
}

int kw_examday_checkin(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, const char *subject,
                       const json_t *body, json_t **out, int *created, struct kw_err *err)
{
	struct kw_op op;
	*created = 0;
	int rc = kw_examday_checkin_op(app, s, exam, subject, body, &op, out, err);
	if (rc || !op.job)
		return rc;
	struct checkin_job *j = op.arg; /* kw_op_run would release it before *created is known */
	rc = kw_writer_run(app->writer, op.job, j, actor, err);
	if (!rc)
		rc = op.answer(app, j, out, err);
	if (!rc)
		*created = !j->repeated;
	op.release(j);
	return rc;
}

int kw_examday_checkins(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const char *subject, int64_t room, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	int rc = room < 1
	                 ? kw_err_invalid(err, "room_id", "required")
	                 : open_room(app->memo, c, s, exam, subject, room, NULL, &x, &r, NULL, err);
	char sql[1200];
	snprintf(sql, sizeof sql,
	         "SELECT %s %s WHERE k.subject_id = $1 AND k.exam_room_id = $2 ORDER BY s.seat_no",
	         checkin_cols, checkin_from);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(c, sql, &st, err);
	if (!rc) {
		json_t *items = json_array();
		kw_stmt_bind_int64(st, 1, x.subject);
		kw_stmt_bind_int64(st, 2, r.id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items, checkin_row(st));
		rc = kw_step_ok(rc);
		if (!rc)
			*out = json_pack("{s:o}", "items", items);
		else
			json_decref(items);
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- leaving ---- */

struct leave_job {
	int64_t id, user, rest;
	const char *kind, *reason;
	int done;
};

static int leave_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct leave_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = 0;
	int rc = kw_audit_put(tx, err, "checkins", "examday.leave",
	                      json_pack("{s:s, s:b}", "kind", j->kind, "rest_room", (int)j->rest),
	                      &id,
	                      "UPDATE checkins SET left_kind = $1, left_reason = $2, rest_room = "
	                      "$3, left_by = $4, left_at = $5, updated_at = $5 WHERE id = $6 AND "
	                      "left_at IS NULL",
	                      "ttiiti", j->kind, j->reason, j->rest, j->user, now, j->id);
	if (!rc && !id)
		rc = kw_err_set(err, KW_ECONFLICT, "LEAVE_ALREADY", "DAY-2",
		                "the candidate has already left");
	return rc;
}

int kw_examday_leave(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject, int64_t id,
                     const json_t *body, json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("kind", 20, KW_JREQUIRED),
	        KW_JSTR("reason", 200, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *reason = json_string_value(json_object_get(body, "reason"));
	if (strcmp(kind, "hand_in") != 0 && strcmp(kind, "early_leave") != 0)
		return kw_err_invalid(err, "kind", "not_allowed");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	json_t *k = NULL;
	rc = sit_load(app->memo, c, exam, subject, &x, err);
	if (!rc)
		rc = checkin_get(c, id, 0, 0, &k, err);
	if (!rc && (!k || json_integer_value(json_object_get(k, "subject_id")) != x.subject))
		rc = kw_err_not_found(err, "check-in");
	if (!rc)
		rc = room_load(c, s, &x, json_integer_value(json_object_get(k, "room_id")), &r,
		               err);
	int64_t staff = 0;
	if (!rc)
		rc = reach_write(c, s, &r, "examday.checkin", &staff, err);
	kw_pool_put(app->pool, c);
	if (!rc && !json_is_null(json_object_get(k, "left_at")))
		rc = kw_err_set(err, KW_ECONFLICT, "LEAVE_ALREADY", "DAY-2",
		                "the candidate has already left");
	int64_t now = kw_clock_now_us();
	int rest = 0;
	if (!rc && now < x.t.lock_until) {
		if (strcmp(kind, "early_leave") == 0 && reason && *reason) {
			rest = 1; /* AH 24(5): a special reason, and the rest room */
		} else {
			kw_err_set(err, KW_ERULE, "LEAVE_LOCKED", "DAY-2",
			           "no hand-in or leaving before the room lock ends");
			kw_err_detail(err, "until", kw_json_time_china(x.t.lock_until));
			kw_err_detail(err, "early_leave_needs_reason", json_true());
			rc = err->rc;
		}
	}
	json_decref(k);
	k = NULL;
	struct leave_job j = {.id = id,
	                      .user = s->user.id,
	                      .rest = rest,
	                      .kind = kind,
	                      .reason = reason && *reason ? reason : NULL};
	if (!rc)
		rc = kw_writer_run(app->writer, leave_job, &j, actor, err);
	if (!rc) {
		c = kw_pool_get(app->pool);
		rc = checkin_get(c, id, 0, 0, &k, err);
		kw_pool_put(app->pool, c);
	}
	if (!rc)
		*out = k ? k : json_null();
	return rc;
}

int kw_examday_photo(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                     const char *subject, int64_t room, int64_t reg, struct kw_file *out,
                     struct kw_err *err)
{
	memset(out, 0, sizeof *out);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	struct seat t;
	int rc = open_room(app->memo, c, s, exam, subject, room, NULL, &x, &r, NULL, err);
	if (!rc)
		rc = seat_of(c, &x, reg, NULL, NULL, &t, err);
	if (!rc && (!t.id || t.room != r.id))
		rc = kw_err_not_found(err, "candidate in this room");
	struct kw_stmt *st = NULL;
	int64_t id = 0;
	if (!rc)
		rc = kw_conn_prepare(c,
		                     "SELECT id FROM files WHERE candidate_id = $1 AND purpose = "
		                     "'photo' AND media_type = 'image/jpeg' ORDER BY id DESC",
		                     &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, t.cand);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW)
			id = kw_stmt_column_int64(st, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !id)
		rc = kw_err_set(err, KW_ENOTFOUND, "PHOTO_NONE", "REG-4",
		                "no photo has been uploaded");
	if (!rc)
		rc = kw_files_of_candidate(c, t.cand, id, "photo", out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- the room record ---- */

struct rec {
	int64_t id, seated, present, absent, closed_by;
	char status[16], digest[65], closed_at[40];
};

static int rec_find(struct kw_conn *c, const struct sit *x, int64_t room, struct rec *r,
                    struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	snprintf(r->status, sizeof r->status, "open");
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(c,
	                         "SELECT id, status, seated, present, absent, content_digest, "
	                         "closed_by, closed_at FROM room_records WHERE subject_id = $1 AND "
	                         "exam_room_id = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, x->subject);
		kw_stmt_bind_int64(s, 2, room);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			r->id = kw_stmt_column_int64(s, 0);
			kw_stmt_column_copy(s, 1, r->status, sizeof r->status);
			r->seated = kw_stmt_column_int64(s, 2);
			r->present = kw_stmt_column_int64(s, 3);
			r->absent = kw_stmt_column_int64(s, 4);
			kw_stmt_column_copy(s, 5, r->digest, sizeof r->digest);
			r->closed_by = kw_stmt_column_int64(s, 6);
			kw_stmt_column_copy(s, 7, r->closed_at, sizeof r->closed_at);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The record of the room at the sitting, created when there is none (inside a job). */
static int rec_ensure(struct kw_tx *tx, const struct sit *x, int64_t room, struct rec *r,
                      struct kw_err *err)
{
	int rc = rec_find(tx->conn, x, room, r, err);
	if (rc || r->id)
		return rc;
	char now[32];
	kw_clock_format(tx->now_us, now);
	rc = kw_audit_put(tx, err, "room_records", "room_record.open",
	                  json_pack("{s:s, s:I}", "subject", x->code, "room_id", (json_int_t)room),
	                  &r->id,
	                  "INSERT INTO room_records (exam_id, subject_id, exam_room_id, status, "
	                  "created_at, updated_at) VALUES ($1, $2, $3, 'open', $4, $4)",
	                  "iiit", x->exam, x->subject, room, now);
	return rc;
}

static int closed_refusal(struct kw_err *err, const struct rec *r)
{
	kw_err_set(err, KW_ECONFLICT, "ROOM_RECORD_CLOSED", "DAY-4",
	           "the room record is closed and signed");
	kw_err_detail(err, "closed_at", json_string(r->closed_at));
	return err->rc;
}

/* The seated candidates of the room with whether they checked in for the subject. */
static int roster(struct kw_conn *c, const struct sit *x, int64_t room, json_t **present,
                  json_t **absent, struct kw_err *err)
{
	*present = json_array();
	*absent = json_array();
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT s.registration_id, s.ticket_no, s.seat_no, d.name, k.id "
	        "FROM seats s JOIN registrations r ON r.id = s.registration_id "
	        "JOIN candidates d ON d.id = r.candidate_id LEFT JOIN checkins k ON "
	        "k.registration_id = s.registration_id AND k.subject_id = $2 "
	        "WHERE s.exam_room_id = $1 ORDER BY s.seat_no",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, room);
		kw_stmt_bind_int64(s, 2, x->subject);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW)
			json_array_append_new(kw_stmt_column_is_null(s, 4) ? *absent : *present,
			                      json_pack("{s:I, s:s, s:I, s:s}", "registration_id",
			                                (json_int_t)kw_stmt_column_int64(s, 0),
			                                "ticket_no",
			                                kw_stmt_column_text(s, 1, NULL), "seat_no",
			                                (json_int_t)kw_stmt_column_int64(s, 2),
			                                "name", kw_stmt_column_text(s, 3, NULL)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The entries of record id with their files. */
static int entries_of(struct kw_conn *c, const struct sit *x, int64_t room, int64_t rec,
                      json_t **out, struct kw_err *err)
{
	*out = json_array();
	if (!rec)
		return 0;
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT e.id, e.kind, e.registration_id, e.description, "
	                        "e.occurred_at, e.created_by, u.username, e.case_id, e.created_at, "
	                        "(SELECT t.ticket_no FROM seats t WHERE t.registration_id = "
	                        "e.registration_id AND t.exam_room_id = $2) FROM "
	                        "room_record_entries e LEFT JOIN users u ON u.id = e.created_by "
	                        "WHERE e.record_id = $1 ORDER BY e.id",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, rec);
		kw_stmt_bind_int64(s, 2, room);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
#define T(i) (kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL))
#define I(i) (kw_stmt_column_is_null(s, i) ? json_null() : json_integer(kw_stmt_column_int64(s, i)))
			json_array_append_new(
			        *out,
			        json_pack("{s:o, s:s?, s:o, s:s?, s:s?, s:o, s:s?, s:o, s:s?, "
			                  "s:s?, s:o}",
			                  "id", I(0), "kind", T(1), "registration_id", I(2),
			                  "description", T(3), "occurred_at", T(4), "created_by",
			                  I(5), "created_by_name", T(6), "case_id", I(7),
			                  "created_at", T(8), "ticket_no", T(9), "files",
			                  json_array()));
#undef T
#undef I
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	s = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT f.id, f.entry_id, f.label, f.media_type, f.size, f.sha256 "
		        "FROM room_record_files f JOIN room_record_entries e ON e.id = "
		        "f.entry_id WHERE e.record_id = $1 ORDER BY f.id",
		        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, rec);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			int64_t entry = kw_stmt_column_int64(s, 1);
			size_t i;
			json_t *e;
			json_array_foreach(*out, i, e)
			{
				if (json_integer_value(json_object_get(e, "id")) != entry)
					continue;
				char url[200];
				snprintf(url, sizeof url,
				         "/api/v1/exams/%lld/sittings/%s/rooms/%lld/record/files/"
				         "%lld",
				         (long long)x->exam, x->code, (long long)room,
				         (long long)kw_stmt_column_int64(s, 0));
				json_array_append_new(
				        json_object_get(e, "files"),
				        json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "id",
				                  (json_int_t)kw_stmt_column_int64(s, 0), "label",
				                  kw_stmt_column_text(s, 2, NULL), "media_type",
				                  kw_stmt_column_text(s, 3, NULL), "size",
				                  (json_int_t)kw_stmt_column_int64(s, 4), "sha256",
				                  kw_stmt_column_text(s, 5, NULL), "url", url));
			}
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The digest of what the signatures cover: the room, the sitting, who is present and absent,
 * the entries with their evidence. */
static int content_digest(struct kw_conn *c, const struct sit *x, int64_t room, int64_t rec,
                          char out[65], struct kw_err *err)
{
	json_t *present = NULL, *absent = NULL, *entries = NULL;
	int rc = roster(c, x, room, &present, &absent, err);
	if (!rc)
		rc = entries_of(c, x, room, rec, &entries, err);
	if (!rc) {
		json_t *ids_p = json_array(), *ids_a = json_array(), *ents = json_array();
		size_t i;
		json_t *v;
		json_array_foreach(present, i, v)
		        json_array_append(ids_p, json_object_get(v, "registration_id"));
		json_array_foreach(absent, i, v)
		        json_array_append(ids_a, json_object_get(v, "registration_id"));
		json_array_foreach(entries, i, v)
		{
			json_t *files = json_array();
			size_t k;
			json_t *f;
			json_array_foreach(json_object_get(v, "files"), k, f)
			        json_array_append(files, json_object_get(f, "sha256"));
			json_array_append_new(
			        ents,
			        json_pack("{s:O, s:O, s:O, s:O, s:O, s:o}", "id",
			                  json_object_get(v, "id"), "kind",
			                  json_object_get(v, "kind"), "registration_id",
			                  json_object_get(v, "registration_id"), "description",
			                  json_object_get(v, "description"), "occurred_at",
			                  json_object_get(v, "occurred_at"), "files", files));
		}
		json_t *doc = json_pack("{s:s, s:I, s:s, s:I, s:o, s:o, s:o}", "format",
		                        "kaowu-room-record-v1", "exam_id", (json_int_t)x->exam,
		                        "subject", x->code, "room_id", (json_int_t)room, "present",
		                        ids_p, "absent", ids_a, "entries", ents);
		char *text = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
		unsigned char h[32];
		crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
		sodium_bin2hex(out, 65, h, sizeof h);
		free(text);
		json_decref(doc);
	}
	json_decref(present);
	json_decref(absent);
	json_decref(entries);
	return rc;
}

static int record_json(struct kw_conn *c, const struct sit *x, const struct room *r, json_t **out,
                       struct kw_err *err)
{
	struct rec k;
	int rc = rec_find(c, x, r->id, &k, err);
	json_t *present = NULL, *absent = NULL, *entries = NULL, *sigs = json_array();
	char digest[65] = "";
	if (!rc)
		rc = roster(c, x, r->id, &present, &absent, err);
	if (!rc && strcmp(k.status, "closed") == 0) {
		/* the absentees as the close fixed them */
		json_decref(absent);
		absent = json_array();
		struct kw_stmt *s = NULL;
		rc = kw_conn_prepare(
		        c,
		        "SELECT a.registration_id, a.ticket_no, d.name FROM room_absentees "
		        "a JOIN registrations g ON g.id = a.registration_id JOIN candidates "
		        "d ON d.id = g.candidate_id WHERE a.record_id = $1 ORDER BY "
		        "a.ticket_no",
		        &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, k.id);
			while ((rc = kw_stmt_step(s, err)) == KW_ROW)
				json_array_append_new(
				        absent,
				        json_pack("{s:I, s:s, s:s}", "registration_id",
				                  (json_int_t)kw_stmt_column_int64(s, 0),
				                  "ticket_no", kw_stmt_column_text(s, 1, NULL),
				                  "name", kw_stmt_column_text(s, 2, NULL)));
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(s);
	}
	if (!rc)
		rc = entries_of(c, x, r->id, k.id, &entries, err);
	if (!rc)
		rc = content_digest(c, x, r->id, k.id, digest, err);
	if (!rc && k.id) {
		struct kw_stmt *s = NULL;
		rc = kw_conn_prepare(
		        c,
		        "SELECT g.user_id, u.username, u.display_name, f.code, f.name, "
		        "g.content_digest, g.signed_at FROM room_record_signatures g JOIN "
		        "users u ON u.id = g.user_id JOIN staff f ON f.id = g.staff_id "
		        "WHERE g.record_id = $1 ORDER BY g.id",
		        &s, err);
		if (!rc) {
			kw_stmt_bind_int64(s, 1, k.id);
			while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
				const char *d = kw_stmt_column_text(s, 5, NULL);
				const char *cover =
				        strcmp(k.status, "closed") == 0 ? k.digest : digest;
				json_array_append_new(
				        sigs,
				        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
				                  "user_id", (json_int_t)kw_stmt_column_int64(s, 0),
				                  "username", kw_stmt_column_text(s, 1, NULL),
				                  "display_name", kw_stmt_column_text(s, 2, NULL),
				                  "staff", kw_stmt_column_text(s, 3, NULL),
				                  "staff_name", kw_stmt_column_text(s, 4, NULL),
				                  "content_digest", d, "signed_at",
				                  kw_stmt_column_text(s, 6, NULL), "current",
				                  strcmp(d, cover) == 0));
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(s);
	}
	if (rc) {
		json_decref(present);
		json_decref(absent);
		json_decref(entries);
		json_decref(sigs);
		return rc;
	}
	int closed = strcmp(k.status, "closed") == 0;
	size_t seated = json_array_size(present) + json_array_size(absent);
	json_t *o = json_pack(
	        "{s:o, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:{s:o, s:o, s:o, s:o, s:o}, "
	        "s:{s:I, s:I, s:I}, s:o, s:o, s:o, s:i, s:s, s:o, s:o}",
	        "id", k.id ? json_integer(k.id) : json_null(), "exam_id", (json_int_t)x->exam,
	        "subject", x->code, "subject_name", x->name, "room_id", (json_int_t)r->id, "centre",
	        r->centre_code, "centre_name", r->centre_name, "room_code", r->room_code,
	        "room_number", (json_int_t)r->number, "status", k.status, "times", "starts_at",
	        kw_json_time_china(x->t.start), "ends_at", kw_json_time_china(x->t.end), "opens_at",
	        kw_json_time_china(x->t.opens), "cutoff_at", kw_json_time_china(x->t.cutoff),
	        "lock_until", kw_json_time_china(x->t.lock_until), "counts", "seated",
	        (json_int_t)(closed ? k.seated : (int64_t)seated), "present",
	        (json_int_t)(closed ? k.present : (int64_t)json_array_size(present)), "absent",
	        (json_int_t)(closed ? k.absent : (int64_t)json_array_size(absent)), "absentees",
	        absent, "entries", entries, "signatures", sigs, "signatures_required",
	        x->rules.signatures_min, "content_digest", closed ? k.digest : digest, "closed_at",
	        closed ? json_string(k.closed_at) : json_null(), "closed_by",
	        closed ? json_integer(k.closed_by) : json_null());
	json_decref(present);
	json_object_set_new(o, "now", kw_json_time_china(kw_clock_now_us()));
	*out = o;
	return 0;
}

int kw_examday_record(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const char *subject, int64_t room, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	int rc = open_room(app->memo, c, s, exam, subject, room, NULL, &x, &r, NULL, err);
	if (!rc)
		rc = record_json(c, &x, &r, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* Answers with the record after a write. */
static int record_after(struct kw_app *app, const struct sit *x, const struct room *r, json_t **out,
                        struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = record_json(c, x, r, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- entries ---- */

struct entry_job {
	const struct sit *x;
	int64_t room, reg, user, id;
	const char *kind, *description;
	char occurred[32];
};

/* Is reg seated in room? */
static int seated_here(struct kw_conn *c, int64_t room, int64_t reg, int *yes, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*yes = 0;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT 1 FROM seats WHERE exam_room_id = $1 AND registration_id = "
	                        "$2",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, room);
		kw_stmt_bind_int64(s, 2, reg);
		rc = kw_stmt_step(s, err);
		*yes = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static int entry_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct entry_job *j = arg;
	struct rec r;
	int rc = rec_ensure(tx, j->x, j->room, &r, err);
	if (!rc && strcmp(r.status, "closed") == 0)
		rc = closed_refusal(err, &r);
	char now[32];
	kw_clock_format(tx->now_us, now);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "room_record_entries", "room_record.entry",
		        json_pack("{s:I, s:s}", "record_id", (json_int_t)r.id, "kind", j->kind),
		        &j->id,
		        "INSERT INTO room_record_entries (record_id, kind, registration_id, "
		        "description, occurred_at, created_by, created_at, updated_at) VALUES "
		        "($1, $2, $3, $4, $5, $6, $7, $7)",
		        "itnttit", r.id, j->kind, j->reg, j->description, j->occurred, j->user,
		        now);
	return rc;
}

int kw_examday_entry_add(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const char *subject,
                         int64_t room, const json_t *body, json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("kind", 32, KW_JREQUIRED),
	        KW_JSTR("description", 2000, KW_JREQUIRED),
	        KW_JSTR("occurred_at", 40, 0),
	        {"registration_id", KW_JINTEGER, 0, 0, 0},
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	static const char *const kinds[] = {"incident", "suspected_violation", "security", "note",
	                                    NULL};
	const char *kind = json_string_value(json_object_get(body, "kind"));
	int ok = 0;
	for (int i = 0; kinds[i]; i++)
		ok |= strcmp(kind, kinds[i]) == 0;
	if (!ok)
		return kw_err_invalid(err, "kind", "not_allowed");
	int64_t reg = json_integer_value(json_object_get(body, "registration_id"));
	if (json_object_get(body, "registration_id") && reg < 1)
		return kw_err_invalid(err, "registration_id", "type");
	if (strcmp(kind, "suspected_violation") == 0 && !reg)
		return kw_err_invalid(err, "registration_id", "required");
	const char *when = json_string_value(json_object_get(body, "occurred_at"));
	int64_t now = kw_clock_now_us(), at = now;
	if (when && kw_clock_parse(when, &at) != 0)
		return kw_err_invalid(err, "occurred_at", "time_format");
	if (at > now + 5 * MINUTE_US)
		return kw_err_invalid(err, "occurred_at", "future");
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	rc = open_room(app->memo, c, s, exam, subject, room, "examday.record", &x, &r, NULL, err);
	int yes = 1;
	if (!rc && reg)
		rc = seated_here(c, r.id, reg, &yes, err);
	kw_pool_put(app->pool, c);
	if (!rc && !yes) {
		kw_err_set(err, KW_ERULE, "ROOM_RECORD_NOT_SEATED_HERE", "DAY-4",
		           "the candidate is not seated in this exam room");
		kw_err_detail(err, "registration_id", json_integer(reg));
		rc = err->rc;
	}
	struct entry_job j = {.x = &x,
	                      .room = room,
	                      .reg = reg,
	                      .user = s->user.id,
	                      .kind = kind,
	                      .description =
	                              json_string_value(json_object_get(body, "description"))};
	kw_clock_format(at, j.occurred);
	if (!rc)
		rc = kw_writer_run(app->writer, entry_job, &j, actor, err);
	json_t *rec = NULL;
	if (!rc)
		rc = record_after(app, &x, &r, &rec, err);
	if (!rc) {
		size_t i;
		json_t *e;
		*out = NULL;
		json_array_foreach(json_object_get(rec, "entries"), i, e)
		{
			if (json_integer_value(json_object_get(e, "id")) == j.id)
				*out = json_incref(e);
		}
		if (!*out)
			*out = json_pack("{s:I}", "id", (json_int_t)j.id);
	}
	json_decref(rec);
	return rc;
}

/* An entry of the room's record at the sitting: its record's id and status, kind and
 * registration. */
struct entry {
	int64_t id, record, reg, case_id;
	char kind[32], status[16], occurred[40], description[2100];
};

static int entry_load(struct kw_conn *c, const struct sit *x, int64_t room, int64_t id,
                      struct entry *e, struct kw_err *err)
{
	memset(e, 0, sizeof *e);
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT e.id, e.record_id, e.registration_id, e.case_id, e.kind, "
	                        "r.status, e.occurred_at, e.description FROM room_record_entries e "
	                        "JOIN room_records r ON r.id = e.record_id WHERE e.id = $1 AND "
	                        "r.subject_id = $2 AND r.exam_room_id = $3",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		kw_stmt_bind_int64(s, 2, x->subject);
		kw_stmt_bind_int64(s, 3, room);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			e->id = kw_stmt_column_int64(s, 0);
			e->record = kw_stmt_column_int64(s, 1);
			e->reg = kw_stmt_column_int64(s, 2);
			e->case_id = kw_stmt_column_int64(s, 3);
			kw_stmt_column_copy(s, 4, e->kind, sizeof e->kind);
			kw_stmt_column_copy(s, 5, e->status, sizeof e->status);
			kw_stmt_column_copy(s, 6, e->occurred, sizeof e->occurred);
			kw_stmt_column_copy(s, 7, e->description, sizeof e->description);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !e->id)
		rc = kw_err_not_found(err, "entry of this room record");
	return rc;
}

struct efile_job {
	int64_t entry, record, user, id;
	const char *label;
	struct kw_checked_file f;
};

static int efile_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct efile_job *j = arg;
	struct kw_stmt *s = NULL;
	int64_t n = 0;
	char status[16] = "";
	int rc = kw_conn_prepare(tx->conn,
	                         "SELECT (SELECT COUNT(*) FROM room_record_files WHERE entry_id = "
	                         "$1), status FROM room_records WHERE id = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, j->entry);
		kw_stmt_bind_int64(s, 2, j->record);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			n = kw_stmt_column_int64(s, 0);
			kw_stmt_column_copy(s, 1, status, sizeof status);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && strcmp(status, "closed") == 0)
		rc = kw_err_set(err, KW_ECONFLICT, "ROOM_RECORD_CLOSED", "DAY-4",
		                "the room record is closed and signed");
	if (!rc && n >= ENTRY_FILES_MAX) {
		kw_err_set(err, KW_ERULE, "ROOM_RECORD_FILE_LIMIT", NULL,
		           "an entry holds at most %d files", ENTRY_FILES_MAX);
		kw_err_detail(err, "max", json_integer(ENTRY_FILES_MAX));
		rc = err->rc;
	}
	char now[32];
	kw_clock_format(tx->now_us, now);
	if (!rc)
		rc = kw_files_blob_put(tx->conn, j->f.sha256, j->f.data, j->f.len, now, err);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "room_record_files", "room_record.file",
		        json_pack("{s:I, s:s}", "entry_id", (json_int_t)j->entry, "label",
		                  j->label),
		        &j->id,
		        "INSERT INTO room_record_files (entry_id, label, media_type, size, "
		        "sha256, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		        "ittitit", j->entry, j->label, j->f.media_type, (int64_t)j->f.len,
		        j->f.sha256, j->user, now);
	return rc;
}

int kw_examday_entry_file_add(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const char *subject,
                              int64_t room, int64_t entry, const char *media_type,
                              const char *label, const void *data, size_t n, json_t **out,
                              struct kw_err *err)
{
	static const struct kw_jfield shape[] = {KW_JSTR("label", 60, KW_JREQUIRED)};
	json_t *q = json_object();
	if (label)
		json_object_set_new(q, "label", json_string(label));
	int rc = kw_json_check(q, shape, 1, err);
	json_decref(q);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	struct entry e;
	rc = open_room(app->memo, c, s, exam, subject, room, "examday.record", &x, &r, NULL, err);
	if (!rc)
		rc = entry_load(c, &x, r.id, entry, &e, err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(e.status, "closed") == 0)
		rc = kw_err_set(err, KW_ECONFLICT, "ROOM_RECORD_CLOSED", "DAY-4",
		                "the room record is closed and signed");
	struct efile_job j = {
	        .entry = entry, .record = e.record, .user = s->user.id, .label = label};
	if (!rc)
		rc = kw_files_check_document(media_type, data, n, &j.f, err);
	if (!rc)
		rc = kw_writer_run(app->writer, efile_job, &j, actor, err);
	free(j.f.buf);
	if (!rc) {
		char url[200];
		snprintf(url, sizeof url,
		         "/api/v1/exams/%lld/sittings/%s/rooms/%lld/record/files/%lld",
		         (long long)x.exam, x.code, (long long)r.id, (long long)j.id);
		*out = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)j.id,
		                 "entry_id", (json_int_t)entry, "label", label, "media_type",
		                 j.f.media_type, "size", (json_int_t)j.f.len, "sha256", j.f.sha256,
		                 "url", url);
	}
	return rc;
}

int kw_examday_entry_file(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                          const char *subject, int64_t room, int64_t file, struct kw_file *out,
                          struct kw_err *err)
{
	memset(out, 0, sizeof *out);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	int rc = open_room(app->memo, c, s, exam, subject, room, NULL, &x, &r, NULL, err);
	struct kw_stmt *st = NULL;
	char sha[65] = "";
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT f.media_type, f.sha256 FROM room_record_files f JOIN "
		        "room_record_entries e ON e.id = f.entry_id JOIN room_records r "
		        "ON r.id = e.record_id WHERE f.id = $1 AND r.subject_id = $2 AND "
		        "r.exam_room_id = $3",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, file);
		kw_stmt_bind_int64(st, 2, x.subject);
		kw_stmt_bind_int64(st, 3, r.id);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			kw_stmt_column_copy(st, 0, out->media_type, sizeof out->media_type);
			kw_stmt_column_copy(st, 1, sha, sizeof sha);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (!rc && !sha[0])
		rc = kw_err_not_found(err, "file");
	if (!rc)
		rc = kw_file_fill(c, sha, "evidence", file, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- signatures and the close ---- */

static int not_over(struct kw_err *err, const struct sit *x)
{
	kw_err_set(err, KW_ERULE, "ROOM_RECORD_NOT_OVER", "DAY-4",
	           "the room record is signed and closed after the sitting ends");
	kw_err_detail(err, "ends_at", kw_json_time_china(x->t.end));
	return err->rc;
}

struct sign_job {
	const struct sit *x;
	int64_t room, user, staff;
	int close;
};

/* Distinct signers of record rec over digest. */
static int signers(struct kw_conn *c, int64_t rec, const char *digest, int64_t *n, int64_t user,
                   int *mine, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*n = 0;
	*mine = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT DISTINCT user_id FROM room_record_signatures WHERE "
	                         "record_id = $1 AND content_digest = $2",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, rec);
		kw_stmt_bind_textz(s, 2, digest);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			(*n)++;
			*mine |= kw_stmt_column_int64(s, 0) == user;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static int write_absentees(struct kw_tx *tx, const struct sit *x, int64_t room, int64_t rec,
                           const char *now, int64_t *seated, int64_t *absent, struct kw_err *err)
{
	json_t *present = NULL, *abs = NULL;
	int rc = roster(tx->conn, x, room, &present, &abs, err);
	*seated = (int64_t)(json_array_size(present) + json_array_size(abs));
	*absent = (int64_t)json_array_size(abs);
	size_t i;
	json_t *v;
	json_array_foreach(abs, i, v)
	{
		if (rc)
			break;
		rc = kw_audit_put(
		        tx, err, "room_absentees", "room_record.absent",
		        json_pack("{s:I, s:s}", "record_id", (json_int_t)rec, "ticket_no",
		                  json_string_value(json_object_get(v, "ticket_no"))),
		        NULL,
		        "INSERT INTO room_absentees (record_id, exam_id, subject_id, "
		        "registration_id, ticket_no, created_at) VALUES ($1, $2, $3, $4, $5, "
		        "$6)",
		        "iiiitt", rec, x->exam, x->subject,
		        (int64_t)json_integer_value(json_object_get(v, "registration_id")),
		        json_string_value(json_object_get(v, "ticket_no")), now);
	}
	json_decref(present);
	json_decref(abs);
	return rc;
}

static int sign_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct sign_job *j = arg;
	struct rec r;
	int rc = rec_ensure(tx, j->x, j->room, &r, err);
	if (!rc && strcmp(r.status, "closed") == 0)
		rc = closed_refusal(err, &r);
	char digest[65] = "", now[32];
	kw_clock_format(tx->now_us, now);
	if (!rc)
		rc = content_digest(tx->conn, j->x, j->room, r.id, digest, err);
	int64_t n = 0;
	int mine = 0;
	if (!rc)
		rc = signers(tx->conn, r.id, digest, &n, j->user, &mine, err);
	if (!rc && !j->close && mine) {
		kw_err_set(err, KW_ECONFLICT, "ROOM_RECORD_ALREADY_SIGNED", "DAY-4",
		           "you have already signed the record as it reads");
		kw_err_detail(err, "content_digest", json_string(digest));
		rc = err->rc;
	}
	if (!rc && !j->close)
		return kw_audit_put(
		        tx, err, "room_record_signatures", "room_record.sign",
		        json_pack("{s:I, s:s}", "record_id", (json_int_t)r.id, "content_digest",
		                  digest),
		        NULL,
		        "INSERT INTO room_record_signatures (record_id, user_id, staff_id, "
		        "content_digest, signed_at) VALUES ($1, $2, $3, $4, $5)",
		        "iiitt", r.id, j->user, j->staff, digest, now);
	if (!rc && n < j->x->rules.signatures_min) {
		kw_err_set(
		        err, KW_ERULE, "ROOM_RECORD_SIGNATURES", "DAY-4",
		        "the room record needs the signatures of at least %d of the room's staff",
		        j->x->rules.signatures_min);
		kw_err_detail(err, "required", json_integer(j->x->rules.signatures_min));
		kw_err_detail(err, "signed", json_integer(n));
		rc = err->rc;
	}
	int64_t seated = 0, absent = 0;
	if (!rc)
		rc = write_absentees(tx, j->x, j->room, r.id, now, &seated, &absent, err);
	int64_t id = 0;
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "room_records", "room_record.close",
		        json_pack("{s:I, s:I, s:I}", "seated", (json_int_t)seated, "absent",
		                  (json_int_t)absent, "signatures", (json_int_t)n),
		        &id,
		        "UPDATE room_records SET status = 'closed', seated = $1, present = "
		        "$2, absent = $3, content_digest = $4, closed_by = $5, closed_at = "
		        "$6, updated_at = $6 WHERE id = $7 AND status = 'open'",
		        "iiititi", seated, seated - absent, absent, digest, j->user, now, r.id);
	if (!rc && !id)
		rc = closed_refusal(err, &r);
	return rc;
}

static int sign_or_close(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t exam, const char *subject,
                         int64_t room, int close, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	int64_t staff = 0;
	int rc = open_room(app->memo, c, s, exam, subject, room, "examday.record", &x, &r, &staff,
	                   err);
	kw_pool_put(app->pool, c);
	if (!rc && kw_clock_now_us() < x.t.end)
		rc = not_over(err, &x);
	struct sign_job j = {
	        .x = &x, .room = r.id, .user = s->user.id, .staff = staff, .close = close};
	if (!rc)
		rc = kw_writer_run(app->writer, sign_job, &j, actor, err);
	if (!rc && close)
		kw_live_touch(app, x.exam, r.centre); /* the command view: a room closed */
	if (!rc)
		rc = record_after(app, &x, &r, out, err);
	return rc;
}

int kw_examday_sign(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t exam, const char *subject,
                    int64_t room, json_t **out, struct kw_err *err)
{
	return sign_or_close(app, actor, s, exam, subject, room, 0, out, err);
}

int kw_examday_close(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, const char *subject,
                     int64_t room, json_t **out, struct kw_err *err)
{
	return sign_or_close(app, actor, s, exam, subject, room, 1, out, err);
}

/* ---- a case from a suspected violation ---- */

struct link_job {
	int64_t entry, case_id;
};

static int link_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct link_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = 0;
	int rc = kw_audit_put(
	        tx, err, "room_record_entries", "room_record.case",
	        json_pack("{s:I}", "case_id", (json_int_t)j->case_id), &id,
	        "UPDATE room_record_entries SET case_id = $1, updated_at = $2 WHERE id "
	        "= $3 AND case_id IS NULL",
	        "iti", j->case_id, now, j->entry);
	if (!rc && !id)
		rc = kw_err_set(err, KW_ECONFLICT, "ROOM_RECORD_CASE_EXISTS", "VIO-1",
		                "a case was already opened from this entry");
	return rc;
}

/* A case opened from the entry before (by its source_ref), 0 when none. */
static int case_of_entry(struct kw_conn *c, const char *ref, int64_t *id, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*id = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT id FROM cases WHERE source = 'room_record' AND source_ref = "
	        "$1 ORDER BY id",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_textz(s, 1, ref);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*id = kw_stmt_column_int64(s, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Copies the entry's evidence files into case id (as evidence); problems are listed. */
static void copy_evidence(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t entry, int64_t id,
                          json_t *problems)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	struct kw_err e = KW_ERR_INIT;
	json_t *files = json_array();
	int rc = kw_conn_prepare(c,
	                         "SELECT label, media_type, sha256 FROM room_record_files WHERE "
	                         "entry_id = $1 ORDER BY id",
	                         &st, &e);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, entry);
		while ((rc = kw_stmt_step(st, &e)) == KW_ROW)
			json_array_append_new(
			        files, json_pack("{s:s, s:s, s:s}", "label",
			                         kw_stmt_column_text(st, 0, NULL), "media_type",
			                         kw_stmt_column_text(st, 1, NULL), "sha256",
			                         kw_stmt_column_text(st, 2, NULL)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
	{
		char *data = NULL;
		size_t n = 0;
		json_t *o = NULL;
		if (!rc)
			rc = kw_files_blob_get(c, json_string_value(json_object_get(f, "sha256")),
			                       &data, &n, &e);
		if (!rc) {
			kw_pool_put(app->pool, c);
			c = NULL;
			rc = kw_case_file_add(app, actor, s, id, "evidence",
			                      json_string_value(json_object_get(f, "media_type")),
			                      json_string_value(json_object_get(f, "label")), data,
			                      n, &o, &e);
			c = kw_pool_get(app->pool);
		}
		free(data);
		json_decref(o);
		if (rc) {
			json_array_append_new(problems,
			                      json_pack("{s:O, s:s}", "label",
			                                json_object_get(f, "label"), "code",
			                                e.code ? e.code : "INTERNAL"));
			kw_err_release(&e);
			rc = 0;
		}
	}
	json_decref(files);
	kw_err_release(&e);
	if (c)
		kw_pool_put(app->pool, c);
}

int kw_examday_entry_case(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, const char *subject,
                          int64_t room, int64_t entry, const json_t *body, json_t **out,
                          struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("entry_id", 48, 0),
	        KW_JSTR("facts", 2000, 0),
	        KW_JSTR("actions_taken", 2000, 0),
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof shape[0], err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	struct room r;
	struct entry e;
	rc = open_room(app->memo, c, s, exam, subject, room, NULL, &x, &r, NULL, err);
	if (!rc)
		rc = entry_load(c, &x, r.id, entry, &e, err);
	char ref[64];
	snprintf(ref, sizeof ref, "room_record_entry:%lld", (long long)entry);
	int64_t existing = e.case_id;
	if (!rc && !existing)
		rc = case_of_entry(c, ref, &existing, err);
	kw_pool_put(app->pool, c);
	if (!rc && strcmp(e.status, "closed") != 0)
		rc = kw_err_set(err, KW_ECONFLICT, "ROOM_RECORD_OPEN", "DAY-4",
		                "a case is opened from a closed, signed room record");
	if (!rc && strcmp(e.kind, "suspected_violation") != 0) {
		kw_err_set(err, KW_ERULE, "ROOM_RECORD_NOT_VIOLATION", "VIO-1",
		           "only a suspected violation opens a case");
		kw_err_detail(err, "kind", json_string(e.kind));
		rc = err->rc;
	}
	if (!rc && existing) {
		kw_err_set(err, KW_ECONFLICT, "ROOM_RECORD_CASE_EXISTS", "VIO-1",
		           "a case was already opened from this entry");
		kw_err_detail(err, "case_id", json_integer(existing));
		rc = err->rc;
	}
	if (rc)
		return rc;
	char place[400];
	snprintf(place, sizeof place, "%s %s 第%lld考场", r.centre_code, r.centre_name,
	         (long long)r.number);
	const char *facts = json_string_value(json_object_get(body, "facts"));
	json_t *cb = json_pack(
	        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "registration_id", (json_int_t)e.reg,
	        "source", "room_record", "source_ref", ref, "stage", "exam", "subject", x.code,
	        "facts", facts ? facts : e.description, "occurred_at", e.occurred, "place", place);
	json_t *v;
	if ((v = json_object_get(body, "entry_id")))
		json_object_set(cb, "entry_id", v);
	if ((v = json_object_get(body, "actions_taken")))
		json_object_set(cb, "actions_taken", v);
	json_t *kase = NULL;
	rc = kw_case_open(app, actor, s, cb, &kase, err);
	json_decref(cb);
	if (rc)
		return rc;
	int64_t id = json_integer_value(json_object_get(kase, "id"));
	json_decref(kase);
	struct link_job lj = {.entry = entry, .case_id = id};
	rc = kw_writer_run(app->writer, link_job, &lj, actor, err);
	json_t *problems = json_array();
	if (!rc)
		copy_evidence(app, actor, s, entry, id, problems);
	if (!rc)
		rc = kw_case_get(app, s, id, &kase, err);
	if (!rc) {
		json_object_set_new(kase, "room_record_entry_id", json_integer(entry));
		json_object_set_new(kase, "evidence_not_copied", problems);
		problems = NULL;
		*out = kase;
	}
	json_decref(problems);
	return rc;
}

/* ---- absentees ---- */

int kw_examday_absent(struct kw_conn *c, int64_t exam, int64_t subject, int64_t reg, int *state,
                      struct kw_err *err)
{
	*state = KW_ABSENT_UNKNOWN;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT (SELECT COUNT(*) FROM room_absentees a WHERE a.exam_id = $1 AND "
	        "a.subject_id = $2 AND a.registration_id = $3), (SELECT COUNT(*) FROM seats t JOIN "
	        "room_records r ON r.exam_room_id = t.exam_room_id AND r.subject_id = $2 AND "
	        "r.status = 'closed' WHERE t.registration_id = $3 AND t.run_id = (SELECT MAX(u.id) "
	        "FROM seating_runs u WHERE u.exam_id = $1 AND u.status = 'published'))",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_int64(s, 2, subject);
		kw_stmt_bind_int64(s, 3, reg);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			*state = kw_stmt_column_int64(s, 0)   ? KW_ABSENT_YES
			         : kw_stmt_column_int64(s, 1) ? KW_ABSENT_NO
			                                      : KW_ABSENT_UNKNOWN;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* The sitting's exam rooms: how many hold the subject, and how many of those are closed. */
static int rooms_state(struct kw_conn *c, int64_t exam, int64_t subject, int64_t *closed,
                       int64_t *open, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	int64_t all = 0, shut = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT x.subjects, j.code, (SELECT COUNT(*) FROM room_records r WHERE "
	        "r.exam_room_id = x.id AND r.subject_id = j.id AND r.status = 'closed') FROM "
	        "exam_rooms x JOIN subjects j ON j.id = $2 WHERE x.run_id = (SELECT MAX(u.id) FROM "
	        "seating_runs u WHERE u.exam_id = $1 AND u.status = 'published')",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_int64(s, 2, subject);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (!kw_subject_group_has(kw_stmt_column_text(s, 0, NULL),
			                          kw_stmt_column_text(s, 1, NULL)))
				continue;
			all++;
			shut += kw_stmt_column_int64(s, 2) > 0;
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (closed)
		*closed = shut;
	if (open)
		*open = all - shut;
	return rc;
}

int kw_examday_absentees(struct kw_conn *c, int64_t exam, int64_t subject, int64_t **regs,
                         size_t *n, int64_t *rooms_closed, int64_t *rooms_open, struct kw_err *err)
{
	*regs = NULL;
	*n = 0;
	size_t cap = 0;
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT registration_id FROM room_absentees WHERE exam_id = $1 AND "
	                        "subject_id = $2 ORDER BY registration_id",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_int64(s, 2, subject);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				*regs = kw_xrealloc(*regs, cap * sizeof **regs);
			}
			(*regs)[(*n)++] = kw_stmt_column_int64(s, 0);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc)
		rc = rooms_state(c, exam, subject, rooms_closed, rooms_open, err);
	if (rc) {
		free(*regs);
		*regs = NULL;
		*n = 0;
	}
	return rc;
}

int kw_examday_absentees_json(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                              const char *subject, int64_t reg, json_t **out, struct kw_err *err)
{
	*out = NULL;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct sit x;
	int rc = sit_load(app->memo, c, exam, subject, &x, err);
	if (!rc) {
		rc = kw_authz_check(c, s, "examday.read", x.exam_unit, err);
		if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
			kw_err_release(err);
			rc = kw_err_not_found(err, "sitting");
		}
	}
	int64_t *regs = NULL, closed = 0, open = 0;
	size_t n = 0;
	if (!rc)
		rc = kw_examday_absentees(c, x.exam, x.subject, &regs, &n, &closed, &open, err);
	struct kw_stmt *st = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT a.registration_id, a.ticket_no, r.exam_room_id FROM "
		        "room_absentees a JOIN room_records r ON r.id = a.record_id WHERE "
		        "a.exam_id = $1 AND a.subject_id = $2 ORDER BY a.ticket_no",
		        &st, err);
	if (!rc) {
		json_t *items = json_array();
		kw_stmt_bind_int64(st, 1, x.exam);
		kw_stmt_bind_int64(st, 2, x.subject);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(items,
			                      json_pack("{s:I, s:s, s:I}", "registration_id",
			                                (json_int_t)kw_stmt_column_int64(st, 0),
			                                "ticket_no",
			                                kw_stmt_column_text(st, 1, NULL), "room_id",
			                                (json_int_t)kw_stmt_column_int64(st, 2)));
		rc = kw_step_ok(rc);
		if (!rc)
			*out = json_pack("{s:s, s:I, s:I, s:I, s:o}", "subject", x.code, "absent",
			                 (json_int_t)n, "rooms_closed", (json_int_t)closed,
			                 "rooms_open", (json_int_t)open, "items", items);
		else
			json_decref(items);
	}
	kw_stmt_finalize(st);
	int state = KW_ABSENT_UNKNOWN;
	if (!rc && reg > 0)
		rc = kw_examday_absent(c, x.exam, x.subject, reg, &state, err);
	if (!rc && reg > 0)
		json_object_set_new(*out, "registration",
		                    json_pack("{s:I, s:s}", "id", (json_int_t)reg, "state",
		                              state == KW_ABSENT_YES  ? "absent"
		                              : state == KW_ABSENT_NO ? "present"
		                                                      : "unknown"));
	if (rc && *out) {
		json_decref(*out);
		*out = NULL;
	}
	free(regs);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- my rooms ---- */

int kw_examday_my_rooms(struct kw_app *app, const struct kw_session_info *s, json_t **out,
                        struct kw_err *err)
{
	json_t *items = json_array();
	if (s->candidate_id || !s->user.id) {
		*out = json_pack("{s:o}", "items", items);
		return 0;
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT DISTINCT x.id, d.sitting, x.number, x.subjects, c.code, c.name, m.code, "
	        "e.id, e.code, e.name FROM proctor_assignments a JOIN proctor_draws d ON d.id = "
	        "a.draw_id JOIN staff f ON f.id = a.staff_id JOIN exam_rooms x ON x.id = "
	        "a.exam_room_id JOIN centres c ON c.id = x.centre_id JOIN rooms m ON m.id = "
	        "x.room_id JOIN exams e ON e.id = d.exam_id WHERE f.user_id = $1 AND a.duty = "
	        "'proctor' AND d.status = 'drawn' AND d.run_id = (SELECT MAX(u.id) FROM "
	        "seating_runs u WHERE u.exam_id = d.exam_id AND u.status = 'published') ORDER BY "
	        "e.id, x.id, d.sitting",
	        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, s->user.id);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(
			        items,
			        json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
			                  "room_id", (json_int_t)kw_stmt_column_int64(st, 0),
			                  "sitting", (json_int_t)kw_stmt_column_int64(st, 1),
			                  "room_number", (json_int_t)kw_stmt_column_int64(st, 2),
			                  "group", kw_stmt_column_text(st, 3, NULL), "centre",
			                  kw_stmt_column_text(st, 4, NULL), "centre_name",
			                  kw_stmt_column_text(st, 5, NULL), "room_code",
			                  kw_stmt_column_text(st, 6, NULL), "exam_id",
			                  (json_int_t)kw_stmt_column_int64(st, 7), "exam_code",
			                  kw_stmt_column_text(st, 8, NULL), "exam_name",
			                  kw_stmt_column_text(st, 9, NULL)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	/* each room's sittings: the subjects of its group (of the draw's sitting, or all) */
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v)
	{
		if (rc)
			break;
		json_t *subs = json_array();
		json_object_set_new(v, "subjects", subs);
		char group[400];
		snprintf(group, sizeof group, "%s", json_string_value(json_object_get(v, "group")));
		int64_t sitting = json_integer_value(json_object_get(v, "sitting"));
		int64_t exam = json_integer_value(json_object_get(v, "exam_id"));
		char *save = NULL;
		for (char *p = strtok_r(group, "+", &save); p && !rc;
		     p = strtok_r(NULL, "+", &save)) {
			struct sit x;
			struct kw_err e = KW_ERR_INIT;
			if (sit_load(app->memo, c, exam, p, &x, &e) != 0) {
				kw_err_release(&e);
				continue;
			}
			if (sitting && x.sitting != sitting)
				continue;
			json_array_append_new(
			        subs,
			        json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:b, s:b}",
			                  "code", x.code, "name", x.name, "sitting", x.sitting,
			                  "starts_at", kw_json_time_china(x.t.start), "ends_at",
			                  kw_json_time_china(x.t.end), "opens_at",
			                  kw_json_time_china(x.t.opens), "cutoff_at",
			                  kw_json_time_china(x.t.cutoff), "lock_until",
			                  kw_json_time_china(x.t.lock_until), "cbt", x.cbt,
			                  "audio_video", x.av));
		}
	}
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "items", items, "now",
	                 kw_json_time_china(kw_clock_now_us()));
	return 0;
}
