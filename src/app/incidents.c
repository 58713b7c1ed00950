/* Exam-day incidents: see incidents.h. */
#include "app/incidents.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/authz.h"
#include "app/examday.h"
#include "app/live.h"
#include "app/records.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

/* PQ 46: reported at once, to the national centre (DAY-5). */
static const char *const urgent_categories[] = {"paper_or_key_leak",
                                                "organised_cheating",
                                                "insider_collusion",
                                                "public_opinion",
                                                "mass_disruption",
                                                "other_major_risk",
                                                NULL};
static const char *const ordinary_categories[] = {
        "candidate_illness", "equipment_failure", "power_or_network", "weather", "other", NULL};
/* The levels an incident goes up through, lowest first. */
static const char *const level_kinds[] = {"centre", "area_agency", "provincial_agency",
                                          "national_centre", NULL};
static const char *const update_kinds[] = {"finding", "measure", "note", NULL};

#define MAX_LEVELS   8
#define FILES_MAX    20
#define OUTCOME_KIND "incident.outcome"

static int one_of(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

/* ---- small SQL helpers ---- */

/* Binds $1.. from types: 'i' int64_t, 'n' int64_t (0: null), 't' const char * (NULL: null). */
static void bind_args(struct kw_stmt *s, const char *types, va_list ap)
{
	for (int i = 0; types && types[i]; i++) {
		if (types[i] == 't') {
			const char *v = va_arg(ap, const char *);
			if (v)
				kw_stmt_bind_textz(s, i + 1, v);
			else
				kw_stmt_bind_null(s, i + 1);
		} else {
			int64_t v = va_arg(ap, int64_t);
			if (types[i] == 'n' && !v)
				kw_stmt_bind_null(s, i + 1);
			else
				kw_stmt_bind_int64(s, i + 1, v);
		}
	}
}

/* The first column of the first row as an integer (*out 0 when no row or null). */
static int q_int(struct kw_conn *c, int64_t *out, struct kw_err *err, const char *sql,
                 const char *types, ...)
{
	struct kw_stmt *s = NULL;
	*out = 0;
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		va_list ap;
		va_start(ap, types);
		bind_args(s, types, ap);
		va_end(ap);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW && !kw_stmt_column_is_null(s, 0))
			*out = kw_stmt_column_int64(s, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static json_t *col_str(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_string(kw_stmt_column_text(s, i, NULL));
}

/* A stored UTC time as the API answers times: China time with +08:00 (null when absent). */
static json_t *col_time(struct kw_stmt *s, int i)
{
	int64_t us;
	const char *v = kw_stmt_column_is_null(s, i) ? NULL : kw_stmt_column_text(s, i, NULL);
	if (!v || !*v)
		return json_null();
	return kw_clock_parse(v, &us) == 0 ? kw_json_time_china(us) : json_string(v);
}

static json_t *col_id(struct kw_stmt *s, int i)
{
	return kw_stmt_column_is_null(s, i) ? json_null()
	                                    : json_integer(kw_stmt_column_int64(s, i));
}

/* ---- the incident ---- */

struct inc {
	int64_t id, exam, subject, centre, centre_unit, room, reported_by, awaiting, venue;
	int urgent, major, open;
	char category[40], police_at[40], occurred_at[40], exam_code[128], subject_code[64];
};

static int inc_load(struct kw_conn *c, int64_t id, struct inc *x, struct kw_err *err)
{
	memset(x, 0, sizeof *x);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT i.id, i.exam_id, i.subject_id, i.centre_id, c.unit_id, i.exam_room_id, "
	        "i.reported_by, i.awaiting_unit_id, i.venue_incident_id, i.urgent, i.major, "
	        "i.status, i.category, i.police_reported_at, i.occurred_at, e.code, s.code FROM "
	        "exam_incidents i JOIN centres c ON c.id = i.centre_id JOIN exams e ON e.id = "
	        "i.exam_id JOIN subjects s ON s.id = i.subject_id WHERE i.id = $1",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			x->id = kw_stmt_column_int64(s, 0);
			x->exam = kw_stmt_column_int64(s, 1);
			x->subject = kw_stmt_column_int64(s, 2);
			x->centre = kw_stmt_column_int64(s, 3);
			x->centre_unit = kw_stmt_column_int64(s, 4);
			x->room = kw_stmt_column_int64(s, 5);
			x->reported_by = kw_stmt_column_int64(s, 6);
			x->awaiting = kw_stmt_column_int64(s, 7);
			x->venue = kw_stmt_column_int64(s, 8);
			x->urgent = (int)kw_stmt_column_int64(s, 9);
			x->major = (int)kw_stmt_column_int64(s, 10);
			x->open = strcmp(kw_stmt_column_text(s, 11, NULL), "open") == 0;
			kw_stmt_column_copy(s, 12, x->category, sizeof x->category);
			kw_stmt_column_copy(s, 13, x->police_at, sizeof x->police_at);
			kw_stmt_column_copy(s, 14, x->occurred_at, sizeof x->occurred_at);
			kw_stmt_column_copy(s, 15, x->exam_code, sizeof x->exam_code);
			kw_stmt_column_copy(s, 16, x->subject_code, sizeof x->subject_code);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !x->id)
		rc = kw_err_not_found(err, "incident");
	return rc;
}

/* May s act on x with action (its grant reaching the centre)? Readers also: the reporter.
 * Anything else is NOT_FOUND, the wall. *staff (may be NULL): 1 when through a grant. */
static int inc_reach(struct kw_conn *c, const struct kw_session_info *s, const struct inc *x,
                     const char *action, int *staff, struct kw_err *err)
{
	if (staff)
		*staff = 0;
	int rc = kw_authz_check(c, s, action, x->centre_unit, err);
	if (!rc && staff)
		*staff = 1;
	if ((rc == KW_EFORBIDDEN || rc == KW_EAUTH) && strcmp(action, "incident.read") == 0 && s &&
	    !s->candidate_id && s->user.id && s->user.id == x->reported_by) {
		kw_err_release(err);
		rc = 0;
	}
	if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
		kw_err_release(err);
		/* Someone who reads it learns why they may not act; others learn nothing. */
		if (kw_authz_check(c, s, "incident.read", x->centre_unit, err) == 0 ||
		    (s && s->user.id && s->user.id == x->reported_by)) {
			kw_err_release(err);
			rc = kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL, "not allowed: %s",
			                action);
			kw_err_detail(err, "action", json_string(action));
		} else {
			kw_err_release(err);
			rc = kw_err_not_found(err, "incident");
		}
	}
	return rc;
}

static int closed_refusal(struct kw_err *err)
{
	return kw_err_set(err, KW_ECONFLICT, "INCIDENT_CLOSED", "DAY-5",
	                  "the incident is closed; nothing more is recorded on it");
}

/* The levels above (and at) unit: ids[0..*n), lowest first. */
static int levels_of(struct kw_conn *c, int64_t unit, int64_t ids[MAX_LEVELS], int *n,
                     struct kw_err *err)
{
	*n = 0;
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "WITH RECURSIVE up(id, parent_id, kind, depth) AS (SELECT id, parent_id, kind, 0 "
	        "FROM units WHERE id = $1 UNION ALL SELECT u.id, u.parent_id, u.kind, up.depth + 1 "
	        "FROM units u JOIN up ON u.id = up.parent_id WHERE up.depth < 32) SELECT id, kind "
	        "FROM up ORDER BY depth",
	        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, unit);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW)
			if (*n < MAX_LEVELS && one_of(kw_stmt_column_text(s, 1, NULL), level_kinds))
				ids[(*n)++] = kw_stmt_column_int64(s, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

/* Does s hold action through an active grant AT unit (its level, not above it)? */
static int holds_at(const struct kw_session_info *s, const char *action, int64_t unit)
{
	int64_t units[KW_MAX_GRANTS];
	int n = 0, any = 0;
	kw_authz_units(s, action, units, KW_MAX_GRANTS, &n, &any);
	for (int i = 0; i < n; i++)
		if (units[i] == unit)
			return 1;
	return 0;
}

static json_t *unit_json(struct kw_conn *c, int64_t id)
{
	if (!id)
		return json_null();
	struct kw_stmt *s = NULL;
	json_t *o = json_null();
	struct kw_err e = KW_ERR_INIT;
	if (kw_conn_prepare(c, "SELECT id, code, name, kind FROM units WHERE id = $1", &s, &e) ==
	    0) {
		kw_stmt_bind_int64(s, 1, id);
		if (kw_stmt_step(s, &e) == KW_ROW)
			o = json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)id, "code",
			              col_str(s, 1), "name", col_str(s, 2), "kind", col_str(s, 3));
	}
	kw_stmt_finalize(s);
	kw_err_release(&e);
	return o;
}

/* details.awaiting (the unit) and details.level (its name, for the message). */
static void level_detail(struct kw_conn *c, struct kw_err *err, int64_t unit)
{
	json_t *u = unit_json(c, unit);
	const char *name = json_string_value(json_object_get(u, "name"));
	kw_err_detail(err, "level", json_string(name ? name : ""));
	kw_err_detail(err, "awaiting", u);
}

#define INC_COLS                                                                                   \
	"i.id, i.exam_id, s.code, s.name, i.centre_id, c.code, c.name, i.exam_room_id, "           \
	"i.occurred_at, i.category, i.description, i.urgent, i.major, i.status, "                  \
	"i.awaiting_unit_id, i.venue_incident_id, i.police_reported_at, i.police_to, "             \
	"i.police_ref, i.conclusion, k.username, i.closed_at, r.username, i.created_at, "          \
	"i.updated_at "
#define INC_FROM                                                                                   \
	"FROM exam_incidents i JOIN subjects s ON s.id = i.subject_id JOIN centres c ON c.id = "   \
	"i.centre_id JOIN users r ON r.id = i.reported_by LEFT JOIN users k ON k.id = "            \
	"i.closed_by "

static json_t *inc_row(struct kw_conn *c, struct kw_stmt *s)
{
	json_t *police = json_null();
	if (!kw_stmt_column_is_null(s, 16))
		police = json_pack("{s:o, s:o, s:o}", "reported_at", col_time(s, 16), "to",
		                   col_str(s, 17), "reference", col_str(s, 18));
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(kw_stmt_column_int64(s, 0)));
	json_object_set_new(o, "exam_id", json_integer(kw_stmt_column_int64(s, 1)));
	json_object_set_new(o, "subject",
	                    json_pack("{s:o, s:o}", "code", col_str(s, 2), "name", col_str(s, 3)));
	json_object_set_new(o, "centre",
	                    json_pack("{s:I, s:o, s:o}", "id",
	                              (json_int_t)kw_stmt_column_int64(s, 4), "code", col_str(s, 5),
	                              "name", col_str(s, 6)));
	json_object_set_new(o, "room_id", col_id(s, 7));
	json_object_set_new(o, "occurred_at", col_time(s, 8));
	json_object_set_new(o, "category", col_str(s, 9));
	json_object_set_new(o, "description", col_str(s, 10));
	json_object_set_new(o, "urgent", json_boolean(kw_stmt_column_int64(s, 11)));
	json_object_set_new(o, "major", json_boolean(kw_stmt_column_int64(s, 12)));
	json_object_set_new(o, "status", col_str(s, 13));
	json_object_set_new(o, "awaiting", unit_json(c, kw_stmt_column_int64(s, 14)));
	json_object_set_new(o, "venue_incident_id", col_id(s, 15));
	json_object_set_new(o, "police_report", police);
	json_object_set_new(o, "conclusion", col_str(s, 19));
	json_object_set_new(o, "closed_by", col_str(s, 20));
	json_object_set_new(o, "closed_at", col_time(s, 21));
	json_object_set_new(o, "reported_by", col_str(s, 22));
	json_object_set_new(o, "created_at", col_time(s, 23));
	json_object_set_new(o, "updated_at", col_time(s, 24));
	return o;
}

/* Appends the rows of sql ($1 = id) to a new array, each made by fn. */
static int rows_of(struct kw_conn *c, const char *sql, int64_t id,
                   json_t *(*fn)(struct kw_conn *, struct kw_stmt *), json_t **out,
                   struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*out = json_array();
	int rc = kw_conn_prepare(c, sql, &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW)
			json_array_append_new(*out, fn(c, s));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static json_t *step_row(struct kw_conn *c, struct kw_stmt *s)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "seq",
	                 (json_int_t)kw_stmt_column_int64(s, 0), "unit",
	                 unit_json(c, kw_stmt_column_int64(s, 1)), "notified_at", col_time(s, 2),
	                 "escalated_by", col_str(s, 3), "note", col_str(s, 4), "acknowledged_by",
	                 col_str(s, 5), "acknowledged_at", col_time(s, 6));
}

static json_t *update_row(struct kw_conn *c, struct kw_stmt *s)
{
	(void)c;
	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)kw_stmt_column_int64(s, 0),
	                 "kind", col_str(s, 1), "text", col_str(s, 2), "created_by", col_str(s, 3),
	                 "created_at", col_time(s, 4));
}

static json_t *file_row(struct kw_conn *c, struct kw_stmt *s)
{
	(void)c;
	char url[96];
	snprintf(url, sizeof url, "/api/v1/exam_incidents/%lld/files/%lld",
	         (long long)kw_stmt_column_int64(s, 6), (long long)kw_stmt_column_int64(s, 0));
	return json_pack("{s:I, s:o, s:o, s:I, s:o, s:o, s:s}", "id",
	                 (json_int_t)kw_stmt_column_int64(s, 0), "label", col_str(s, 1),
	                 "media_type", col_str(s, 2), "size",
	                 (json_int_t)kw_stmt_column_int64(s, 3), "sha256", col_str(s, 4),
	                 "uploaded_at", col_time(s, 5), "url", url);
}

static json_t *outcome_row(struct kw_conn *c, struct kw_stmt *s)
{
	(void)c;
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	                 (json_int_t)kw_stmt_column_int64(s, 0), "kind", col_str(s, 1), "details",
	                 col_str(s, 2), "announcement", col_str(s, 3), "status", col_str(s, 4),
	                 "approval_id", col_id(s, 5), "requested_by", col_str(s, 6), "decided_by",
	                 col_str(s, 7), "decided_at", col_time(s, 8), "created_at", col_time(s, 9));
}

/* The incident as GET shows it (the caller checked the reach). */
static int inc_json(struct kw_conn *c, int64_t id, json_t **out, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	json_t *o = NULL;
	int rc = kw_conn_prepare(c, "SELECT " INC_COLS INC_FROM "WHERE i.id = $1", &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW)
			o = inc_row(c, s);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !o)
		rc = kw_err_not_found(err, "incident");
	json_t *a = NULL;
	if (!rc)
		rc = rows_of(
		        c,
		        "SELECT t.seq, t.unit_id, t.notified_at, e.username, t.note, a.username, "
		        "t.acknowledged_at FROM exam_incident_steps t LEFT JOIN users e ON e.id "
		        "= t.escalated_by LEFT JOIN users a ON a.id = t.acknowledged_by WHERE "
		        "t.incident_id = $1 ORDER BY t.seq",
		        id, step_row, &a, err);
	if (!rc) {
		json_object_set_new(o, "steps", a);
		rc = rows_of(c,
		             "SELECT u.id, u.kind, u.text, p.username, u.created_at FROM "
		             "exam_incident_updates u JOIN users p ON p.id = u.created_by WHERE "
		             "u.incident_id = $1 ORDER BY u.id",
		             id, update_row, &a, err);
	}
	if (!rc) {
		json_object_set_new(o, "updates", a);
		rc = rows_of(c,
		             "SELECT id, label, media_type, size, sha256, created_at, incident_id "
		             "FROM exam_incident_files WHERE incident_id = $1 ORDER BY id",
		             id, file_row, &a, err);
	}
	if (!rc) {
		json_object_set_new(o, "files", a);
		rc = rows_of(
		        c,
		        "SELECT o.id, o.kind, o.details, o.announcement, o.status, "
		        "o.approval_id, q.username, d.username, o.decided_at, o.created_at FROM "
		        "exam_incident_outcomes o JOIN users q ON q.id = o.requested_by LEFT "
		        "JOIN users d ON d.id = o.decided_by WHERE o.incident_id = $1 ORDER BY "
		        "o.id",
		        id, outcome_row, &a, err);
	}
	if (!rc) {
		json_object_set_new(o, "outcomes", a);
		a = NULL;
		*out = o;
		o = NULL;
	}
	json_decref(a);
	json_decref(o);
	return rc;
}

/* After a write: the incident on a fresh connection. */
/* After a write: the incident as it now reads; its centre's row of the command view is read
 * again (live.h: incidents open). */
static int inc_after(struct kw_app *app, int64_t id, json_t **out, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = inc_json(c, id, out, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		kw_live_touch(
		        app, json_integer_value(json_object_get(*out, "exam_id")),
		        json_integer_value(json_object_get(json_object_get(*out, "centre"), "id")));
	return rc;
}

int kw_incident_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, json_t **out,
                    struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct inc x;
	int rc = inc_load(c, id, &x, err);
	if (!rc)
		rc = inc_reach(c, s, &x, "incident.read", NULL, err);
	if (!rc)
		rc = inc_json(c, id, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- VEN-4: the centre's register ---- */

/* text cut to at most max characters (UTF-8), in place. */
static void cut_chars(char *text, size_t max)
{
	size_t n = 0;
	for (char *p = text; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && n++ == max) {
			*p = '\0';
			return;
		}
	}
}

/* Writes the major incident's entry in the centre's VEN-4 register, as the records engine's
 * create would (incident.create, kw_kind_written), and links it. */
static int venue_entry(struct kw_tx *tx, const struct inc *x, const char *description,
                       struct kw_err *err)
{
	char now[32], day[11];
	kw_clock_format(tx->now_us, now);
	int64_t at = tx->now_us;
	kw_clock_parse(x->occurred_at, &at);
	kw_clock_china_date(at, day);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_addf(&b, "%s %s 考场突发事件（%s）：%s", x->exam_code, x->subject_code, x->category,
	            description);
	cut_chars(b.buf, 2000);
	int64_t vid = 0;
	int rc = kw_audit_put(tx, err, "incidents", "incident.create",
	                      json_pack("{s:I, s:s, s:s, s:b, s:s}", "centre_id",
	                                (json_int_t)x->centre, "occurred_on", day, "description",
	                                b.buf, "major", 1, "source", "exam_incident"),
	                      &vid,
	                      "INSERT INTO incidents (centre_id, occurred_on, description, major, "
	                      "created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4)",
	                      "itt"
	                      "t",
	                      x->centre, day, b.buf, now);
	kw_buf_release(&b);
	if (!rc)
		rc = kw_kind_written(tx, kw_kind_by_name("incident"), vid, NULL, err);
	if (!rc)
		rc = kw_audit_put(tx, err, "exam_incidents", "exam_incident.major",
		                  json_pack("{s:I}", "venue_incident_id", (json_int_t)vid), NULL,
		                  "UPDATE exam_incidents SET major = 1, venue_incident_id = $1, "
		                  "updated_at = $2 WHERE id = $3",
		                  "iti", vid, now, x->id);
	return rc;
}

/* ---- raising ---- */

struct raise_job {
	struct inc x; /* the incident to write (id after) */
	const char *description;
	int64_t levels[MAX_LEVELS];
	int nlevels;
};

static int notify(struct kw_tx *tx, int64_t incident, int seq, int64_t unit, int64_t by,
                  const char *note, const char *now, struct kw_err *err)
{
	return kw_audit_put(tx, err, "exam_incident_steps", "exam_incident.notify",
	                    json_pack("{s:I, s:i, s:I, s:s?}", "incident_id", (json_int_t)incident,
	                              "seq", seq, "unit_id", (json_int_t)unit, "note", note),
	                    NULL,
	                    "INSERT INTO exam_incident_steps (incident_id, seq, unit_id, "
	                    "notified_at, escalated_by, note) VALUES ($1, $2, $3, $4, $5, $6)",
	                    "iiitnt", incident, (int64_t)seq, unit, now, by, note);
}

static int raise_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct raise_job *j = arg;
	struct inc *x = &j->x;
	char now[32];
	kw_clock_format(tx->now_us, now);
	/* Urgent (PQ 46): every level at once, the national centre's acknowledgement awaited. */
	int upto = x->urgent ? j->nlevels : (j->nlevels ? 1 : 0);
	int64_t awaiting = upto ? j->levels[upto - 1] : 0;
	int rc = kw_audit_put(
	        tx, err, "exam_incidents", "exam_incident.create",
	        json_pack("{s:I, s:I, s:I, s:s, s:b, s:b}", "exam_id", (json_int_t)x->exam,
	                  "subject_id", (json_int_t)x->subject, "centre_id", (json_int_t)x->centre,
	                  "category", x->category, "urgent", x->urgent, "major", x->major),
	        &x->id,
	        "INSERT INTO exam_incidents (exam_id, subject_id, centre_id, exam_room_id, "
	        "occurred_at, category, description, urgent, major, status, awaiting_unit_id, "
	        "reported_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, "
	        "'open', $9, $10, $11, $11)",
	        "iiinttti"
	        "nit",
	        x->exam, x->subject, x->centre, x->room, x->occurred_at, x->category,
	        j->description, (int64_t)x->urgent, awaiting, tx->actor->id, now);
	for (int i = 0; !rc && i < upto; i++)
		rc = notify(tx, x->id, i + 1, j->levels[i], 0, NULL, now, err);
	if (!rc && x->major)
		rc = venue_entry(tx, x, j->description, err);
	return rc;
}

/* The published seating run of exam and its subject code: *subject, *run (0: none). */
static int sitting_of(struct kw_conn *c, int64_t exam, const char *code, int64_t *subject,
                      int64_t *run, char exam_code[128], struct kw_err *err)
{
	*subject = *run = 0;
	struct kw_stmt *s = NULL;
	int rc =
	        kw_conn_prepare(c,
	                        "SELECT s.id, (SELECT MAX(r.id) FROM seating_runs r WHERE "
	                        "r.exam_id = e.id AND r.status = 'published'), e.code FROM exams e "
	                        "JOIN subjects s ON s.exam_id = e.id WHERE e.id = $1 AND s.code = "
	                        "$2",
	                        &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		kw_stmt_bind_textz(s, 2, code);
		rc = kw_stmt_step(s, err);
		if (rc == KW_ROW) {
			*subject = kw_stmt_column_int64(s, 0);
			*run = kw_stmt_column_is_null(s, 1) ? 0 : kw_stmt_column_int64(s, 1);
			kw_stmt_column_copy(s, 2, exam_code, 128);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	if (!rc && !*subject)
		rc = kw_err_not_found(err, "sitting");
	return rc;
}

static int invalid(struct kw_err *err, const char *field, const char *problem)
{
	int rc = kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "%s: %s", field, problem);
	kw_err_detail(err, "fields", json_pack("[{s:s, s:s}]", "field", field, "problem", problem));
	return rc;
}

int kw_incident_raise(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t exam, const json_t *body,
                      json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {
	        KW_JSTR("subject", 60, KW_JREQUIRED),
	        {"centre_id", KW_JINTEGER, KW_JNULLABLE, 0, 0},
	        {"room_id", KW_JINTEGER, KW_JNULLABLE, 0, 0},
	        KW_JSTR("occurred_at", 40, KW_JREQUIRED),
	        KW_JSTR("category", 40, KW_JREQUIRED),
	        KW_JSTR("description", 2000, KW_JREQUIRED),
	        {"major", KW_JBOOLEAN, 0, 0, 0},
	};
	int rc = kw_json_check(body, shape, sizeof shape / sizeof *shape, err);
	if (rc)
		return rc;
	struct raise_job j;
	memset(&j, 0, sizeof j);
	struct inc *x = &j.x;
	const char *cat = json_string_value(json_object_get(body, "category"));
	const char *occ = json_string_value(json_object_get(body, "occurred_at"));
	int64_t occ_us = 0;
	if (!one_of(cat, urgent_categories) && !one_of(cat, ordinary_categories))
		return invalid(err, "category", "one_of");
	if (kw_clock_parse(occ, &occ_us) != 0)
		return invalid(err, "occurred_at", "format");
	if (occ_us > kw_clock_now_us() + 5 * 60 * INT64_C(1000000))
		return invalid(err, "occurred_at", "future");
	snprintf(x->category, sizeof x->category, "%s", cat);
	kw_clock_format(occ_us, x->occurred_at);
	x->urgent = one_of(cat, urgent_categories);
	x->major = x->urgent || json_is_true(json_object_get(body, "major"));
	x->exam = exam;
	j.description = json_string_value(json_object_get(body, "description"));
	snprintf(x->subject_code, sizeof x->subject_code, "%s",
	         json_string_value(json_object_get(body, "subject")));
	int64_t centre = json_integer_value(json_object_get(body, "centre_id"));
	x->room = json_integer_value(json_object_get(body, "room_id"));

	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t run = 0;
	rc = sitting_of(c, exam, x->subject_code, &x->subject, &run, x->exam_code, err);
	struct kw_stmt *st = NULL;
	if (!rc && x->room) {
		/* The room's centre, the room of the exam's published run at this sitting. */
		char subjects[400] = "";
		rc = kw_conn_prepare(c,
		                     "SELECT x.centre_id, c.unit_id, x.subjects FROM exam_rooms x "
		                     "JOIN centres c ON c.id = x.centre_id WHERE x.id = $1 AND "
		                     "x.run_id = $2",
		                     &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, x->room);
			kw_stmt_bind_int64(st, 2, run);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW) {
				x->centre = kw_stmt_column_int64(st, 0);
				x->centre_unit = kw_stmt_column_int64(st, 1);
				kw_stmt_column_copy(st, 2, subjects, sizeof subjects);
			}
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		if (!rc && (!x->centre || !kw_subject_group_has(subjects, x->subject_code)))
			rc = kw_err_not_found(err, "exam room at this sitting");
		if (!rc && centre && centre != x->centre)
			rc = invalid(err, "centre_id", "not_the_room_centre");
	} else if (!rc) {
		if (!centre)
			rc = invalid(err, "centre_id", "required");
		int64_t hosts = 0;
		if (!rc)
			rc = q_int(c, &x->centre_unit, err,
			           "SELECT unit_id FROM centres WHERE id = $1", "i", centre);
		if (!rc)
			rc = q_int(c, &hosts, err,
			           "SELECT COUNT(*) FROM exam_rooms WHERE run_id = $1 AND "
			           "centre_id = $2",
			           "ii", run, centre);
		/* A centre the exam does not use is no centre of this exam. */
		if (!rc && (!x->centre_unit || !hosts))
			rc = kw_err_not_found(err, "centre of this exam");
		x->centre = centre;
	}
	/* Staff whose reading and raising reach the centre; else a proctor of the room. */
	int staff = 0;
	if (!rc) {
		rc = kw_authz_check(c, s, "incident.raise", x->centre_unit, err);
		if (rc == KW_EFORBIDDEN || rc == KW_EAUTH) {
			kw_err_release(err);
			rc = kw_err_not_found(err,
			                      x->room ? "exam room at this sitting" : "centre");
		}
	}
	if (!rc) {
		staff = kw_authz_check(c, s, "incident.read", x->centre_unit, err) == 0;
		kw_err_release(err);
	}
	if (!rc && !staff) {
		int64_t assigned = 0;
		if (x->room)
			rc = q_int(
			        c, &assigned, err,
			        "SELECT COUNT(*) FROM proctor_assignments a JOIN proctor_draws d "
			        "ON "
			        "d.id = a.draw_id JOIN staff f ON f.id = a.staff_id WHERE "
			        "a.exam_room_id = $1 AND a.duty = 'proctor' AND d.status = 'drawn' "
			        "AND d.run_id = $2 AND f.user_id = $3",
			        "iii", x->room, run, s->user.id);
		if (!rc && !assigned) {
			kw_err_set(
			        err, KW_EFORBIDDEN, "INCIDENT_NOT_PARTY", "DAY-5",
			        "a proctor raises an incident for an exam room assigned to them");
			kw_err_detail(err, "room_id",
			              x->room ? json_integer(x->room) : json_null());
			rc = err->rc;
		}
		if (!rc && json_is_true(json_object_get(body, "major"))) {
			kw_err_set(err, KW_EFORBIDDEN, "INCIDENT_NOT_PARTY", "VEN-4",
			           "only staff of the centre's agencies mark an incident major");
			kw_err_detail(err, "field", json_string("major"));
			rc = err->rc;
		}
	}
	if (!rc)
		rc = levels_of(c, x->centre_unit, j.levels, &j.nlevels, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, raise_job, &j, actor, err);
	if (!rc)
		rc = inc_after(app, x->id, out, err);
	return rc;
}

/* ---- the list ---- */

int kw_incidents_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      const struct kw_incident_query *q, json_t **out, struct kw_err *err)
{
	if (q->status && strcmp(q->status, "open") != 0 && strcmp(q->status, "closed") != 0) {
		int rc =
		        kw_err_set(err, KW_EINVAL, "QUERY_INVALID", NULL, "status: open or closed");
		kw_err_detail(err, "name", json_string("status"));
		return rc;
	}
	int limit = q->limit < 1 ? 50 : q->limit > 500 ? 500 : q->limit;
	struct kw_conn *c = kw_pool_get(app->pool);
	int64_t found = 0;
	int rc = q_int(c, &found, err, "SELECT id FROM exams WHERE id = $1", "i", exam);
	if (!rc && !found)
		rc = kw_err_not_found(err, "exam");
	struct kw_buf b = KW_BUF_INIT, w = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_init(&w, 0);
	int all = 0, none = 0;
	if (!rc)
		rc = kw_rec_reach_sql(c, &b, s, "incident.read", &all, &none, err);
	/* The filters other than status and the cursor, shared by the page and the counts. */
	kw_buf_addf(&w, "WHERE i.exam_id = %lld", (long long)exam);
	kw_buf_adds(&w, " AND ($2 = '' OR i.category = $2)");
	if (q->centre)
		kw_buf_addf(&w, " AND i.centre_id = %lld", (long long)q->centre);
	if (q->awaiting)
		kw_buf_addf(&w, " AND i.awaiting_unit_id = %lld", (long long)q->awaiting);
	if (!all) {
		kw_buf_addf(&w, " AND (i.reported_by = %lld", (long long)s->user.id);
		if (!none)
			kw_buf_adds(&w, " OR c.unit_id IN (SELECT id FROM reach)");
		kw_buf_adds(&w, ")");
	}
	size_t prefix = b.len;
	json_t *items = json_array(), *counts = json_array();
	int64_t last = 0;
	int more = 0;
	struct kw_stmt *st = NULL;
	if (!rc) {
		kw_buf_addf(&b, "SELECT " INC_COLS INC_FROM "%s AND i.id > $1", w.buf);
		kw_buf_adds(&b, " AND ($3 = '' OR i.status = $3)");
		kw_buf_addf(&b, " ORDER BY i.id LIMIT %d", limit + 1);
		rc = kw_conn_prepare(c, b.buf, &st, err);
	}
	if (!rc) {
		kw_stmt_bind_int64(st, 1, q->after);
		kw_stmt_bind_textz(st, 2, q->category ? q->category : "");
		kw_stmt_bind_textz(st, 3, q->status ? q->status : "");
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if ((int)json_array_size(items) == limit) {
				more = 1;
				break;
			}
			json_t *o = inc_row(c, st);
			last = json_integer_value(json_object_get(o, "id"));
			json_array_append_new(items, o);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc) {
		/* DAY-1's command view: open incidents per centre (exam_incidents_open). */
		b.len = prefix;
		b.buf[prefix] = '\0';
		kw_buf_addf(
		        &b,
		        "SELECT i.centre_id, c.code, COUNT(*) FROM exam_incidents i JOIN centres c "
		        "ON c.id = i.centre_id %s AND i.status = 'open' AND $1 >= 0 GROUP BY "
		        "i.centre_id, c.code ORDER BY i.centre_id",
		        w.buf);
		rc = kw_conn_prepare(c, b.buf, &st, err);
	}
	if (!rc) {
		kw_stmt_bind_int64(st, 1, 0);
		kw_stmt_bind_textz(st, 2, q->category ? q->category : "");
		while ((rc = kw_stmt_step(st, err)) == KW_ROW)
			json_array_append_new(counts,
			                      json_pack("{s:I, s:o, s:I}", "centre_id",
			                                (json_int_t)kw_stmt_column_int64(st, 0),
			                                "code", col_str(st, 1), "open",
			                                (json_int_t)kw_stmt_column_int64(st, 2)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	kw_buf_release(&b);
	kw_buf_release(&w);
	kw_pool_put(app->pool, c);
	if (rc) {
		json_decref(items);
		json_decref(counts);
		return rc;
	}
	*out = kw_json_page(items, more, last);
	json_object_set_new(*out, "open_by_centre", counts);
	return 0;
}

/* ---- acknowledgement and escalation ---- */

struct step_job {
	struct inc x;
	int64_t unit, next;
	const char *note;
	int kind; /* 0 acknowledge, 1 escalate */
};

/* The highest step's unit if it awaits an acknowledgement, else 0, in exam_incidents. */
static int set_awaiting(struct kw_tx *tx, int64_t id, const char *now, struct kw_err *err)
{
	int64_t awaiting = 0;
	int rc = q_int(tx->conn, &awaiting, err,
	               "SELECT unit_id FROM exam_incident_steps WHERE incident_id = $1 AND "
	               "acknowledged_at IS NULL AND seq = (SELECT MAX(seq) FROM "
	               "exam_incident_steps WHERE incident_id = $1)",
	               "i", id);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "exam_incidents", "exam_incident.awaiting",
		        json_pack("{s:o}", "awaiting_unit_id",
		                  awaiting ? json_integer(awaiting) : json_null()),
		        NULL,
		        "UPDATE exam_incidents SET awaiting_unit_id = $1, updated_at = $2 "
		        "WHERE id = $3",
		        "nti", awaiting, now, id);
	return rc;
}

static int step_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct step_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t status_open = 0;
	int rc = q_int(tx->conn, &status_open, err,
	               "SELECT COUNT(*) FROM exam_incidents WHERE id = $1 AND status = 'open'", "i",
	               j->x.id);
	if (!rc && !status_open)
		return closed_refusal(err);
	if (!rc && j->kind == 0) {
		int64_t changed = 0;
		rc = kw_audit_put(
		        tx, err, "exam_incident_steps", "exam_incident.acknowledge",
		        json_pack("{s:I, s:I, s:s?}", "incident_id", (json_int_t)j->x.id, "unit_id",
		                  (json_int_t)j->unit, "note", j->note),
		        &changed,
		        "UPDATE exam_incident_steps SET acknowledged_by = $1, "
		        "acknowledged_at = $2 WHERE incident_id = $3 AND unit_id = $4 AND "
		        "acknowledged_at IS NULL",
		        "itii", tx->actor->id, now, j->x.id, j->unit);
		if (!rc && !changed)
			return kw_err_set(err, KW_ECONFLICT, "INCIDENT_ALREADY_ACKNOWLEDGED",
			                  "DAY-5", "this level has acknowledged the incident");
		if (!rc && j->note)
			rc = kw_audit_put(
			        tx, err, "exam_incident_updates", "exam_incident.update",
			        json_pack("{s:I, s:s}", "incident_id", (json_int_t)j->x.id, "kind",
			                  "note"),
			        NULL,
			        "INSERT INTO exam_incident_updates (incident_id, kind, text, "
			        "created_by, created_at) VALUES ($1, 'note', $2, $3, $4)",
			        "itit", j->x.id, j->note, tx->actor->id, now);
	} else if (!rc) {
		int64_t seq = 0, exists = 0;
		rc = q_int(tx->conn, &seq, err,
		           "SELECT MAX(seq) FROM exam_incident_steps WHERE incident_id = $1", "i",
		           j->x.id);
		if (!rc)
			rc = q_int(tx->conn, &exists, err,
			           "SELECT COUNT(*) FROM exam_incident_steps WHERE incident_id = "
			           "$1 AND "
			           "unit_id = $2",
			           "ii", j->x.id, j->next);
		if (!rc && exists)
			return kw_err_set(err, KW_ECONFLICT, "INCIDENT_ALREADY_ESCALATED", "DAY-5",
			                  "the incident is already at the next level");
		if (!rc)
			rc = notify(tx, j->x.id, (int)seq + 1, j->next, tx->actor->id, j->note, now,
			            err);
	}
	if (!rc)
		rc = set_awaiting(tx, j->x.id, now, err);
	return rc;
}

struct step_state {
	int64_t unit;
	int acked;
};

/* The steps of incident id, in seq order (at most MAX_LEVELS). */
static int steps_of(struct kw_conn *c, int64_t id, struct step_state st[MAX_LEVELS], int *n,
                    struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*n = 0;
	int rc = kw_conn_prepare(c,
	                         "SELECT unit_id, acknowledged_at IS NOT NULL FROM "
	                         "exam_incident_steps WHERE incident_id = $1 ORDER BY seq",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, id);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW)
			if (*n < MAX_LEVELS) {
				st[*n].unit = kw_stmt_column_int64(s, 0);
				st[*n].acked = kw_stmt_column_int64(s, 1) != 0;
				(*n)++;
			}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}

static int not_your_level(struct kw_conn *c, struct kw_err *err, int64_t awaiting)
{
	int rc = kw_err_set(err, KW_EFORBIDDEN, "INCIDENT_NOT_YOUR_LEVEL", "DAY-5",
	                    "only an account of the level concerned acknowledges or escalates it");
	level_detail(c, err, awaiting);
	return rc;
}

static int step_common(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, const json_t *body, int kind,
                       json_t **out, struct kw_err *err)
{
	static const struct kw_jfield ack_shape[] = {KW_JSTR("note", 2000, 0)};
	static const struct kw_jfield esc_shape[] = {KW_JSTR("note", 2000, KW_JREQUIRED)};
	json_t *empty = json_object();
	int rc = kw_json_check(body ? body : empty, kind ? esc_shape : ack_shape, 1, err);
	json_decref(empty);
	if (rc)
		return rc;
	struct step_job j;
	memset(&j, 0, sizeof j);
	j.kind = kind;
	j.note = body ? json_string_value(json_object_get(body, "note")) : NULL;
	struct kw_conn *c = kw_pool_get(app->pool);
	rc = inc_load(c, id, &j.x, err);
	if (!rc)
		rc = inc_reach(c, s, &j.x, "incident.acknowledge", NULL, err);
	if (!rc && !j.x.open)
		rc = closed_refusal(err);
	struct step_state st[MAX_LEVELS];
	int n = 0;
	if (!rc)
		rc = steps_of(c, id, st, &n, err);
	if (!rc && kind == 0) {
		/* The caller's level among the notified ones. */
		int mine = -1;
		for (int i = n - 1; i >= 0 && mine < 0; i--)
			if (holds_at(s, "incident.acknowledge", st[i].unit))
				mine = i;
		if (mine < 0)
			rc = not_your_level(c, err,
			                    j.x.awaiting ? j.x.awaiting
			                    : n > 0      ? st[n - 1].unit
			                                 : 0);
		else if (st[mine].acked)
			rc = kw_err_set(err, KW_ECONFLICT, "INCIDENT_ALREADY_ACKNOWLEDGED", "DAY-5",
			                "this level has acknowledged the incident");
		else
			j.unit = st[mine].unit;
	} else if (!rc) {
		int64_t levels[MAX_LEVELS];
		int nl = 0;
		rc = levels_of(c, j.x.centre_unit, levels, &nl, err);
		if (!rc && (n == 0 || !holds_at(s, "incident.acknowledge", st[n - 1].unit)))
			rc = not_your_level(c, err, n ? st[n - 1].unit : 0);
		if (!rc && !st[n - 1].acked)
			rc = kw_err_set(
			        err, KW_ECONFLICT, "INCIDENT_NOT_ACKNOWLEDGED", "DAY-5",
			        "acknowledge the incident at this level before sending it up");
		int at = -1;
		for (int i = 0; !rc && i < nl; i++)
			if (levels[i] == st[n - 1].unit)
				at = i;
		if (!rc && (at < 0 || at + 1 >= nl))
			rc = kw_err_set(err, KW_ERULE, "INCIDENT_TOP_LEVEL", "DAY-5",
			                "the incident is at the highest level");
		if (!rc)
			j.next = levels[at + 1];
	}
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, step_job, &j, actor, err);
	if (!rc)
		rc = inc_after(app, id, out, err);
	return rc;
}

int kw_incident_acknowledge(struct kw_app *app, const struct kw_actor *actor,
                            const struct kw_session_info *s, int64_t id, const json_t *body,
                            json_t **out, struct kw_err *err)
{
	return step_common(app, actor, s, id, body, 0, out, err);
}

int kw_incident_escalate(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, const json_t *body,
                         json_t **out, struct kw_err *err)
{
	return step_common(app, actor, s, id, body, 1, out, err);
}

/* ---- updates, police report, major, close ---- */

enum { W_UPDATE, W_POLICE, W_MAJOR, W_CLOSE };

struct write_job {
	int what;
	struct inc x;
	const json_t *body;
	const char *description;
};

/* Counts of what the close needs. */
static int close_checks(struct kw_conn *c, const struct inc *x, struct kw_err *err)
{
	int64_t awaiting = 0, findings = 0, measures = 0, files = 0, police = 0;
	int rc = q_int(c, &awaiting, err,
	               "SELECT awaiting_unit_id FROM exam_incidents WHERE id = $1", "i", x->id);
	if (!rc)
		rc = q_int(
		        c, &police, err,
		        "SELECT COUNT(*) FROM exam_incidents WHERE id = $1 AND police_reported_at "
		        "IS NOT NULL",
		        "i", x->id);
	if (!rc)
		rc = q_int(c, &findings, err,
		           "SELECT COUNT(*) FROM exam_incident_updates WHERE incident_id = $1 AND "
		           "kind = 'finding'",
		           "i", x->id);
	if (!rc)
		rc = q_int(c, &measures, err,
		           "SELECT COUNT(*) FROM exam_incident_updates WHERE incident_id = $1 AND "
		           "kind = 'measure'",
		           "i", x->id);
	if (!rc)
		rc = q_int(c, &files, err,
		           "SELECT COUNT(*) FROM exam_incident_files WHERE incident_id = $1", "i",
		           x->id);
	if (rc)
		return rc;
	if (awaiting) {
		kw_err_set(err, KW_ECONFLICT, "INCIDENT_ACK_PENDING", "DAY-5",
		           "a level's acknowledgement is still awaited");
		level_detail(c, err, awaiting);
		return err->rc;
	}
	if (x->urgent && (!findings || !measures)) {
		kw_err_set(err, KW_ERULE, "INCIDENT_FINDINGS_REQUIRED", "DAY-5",
		           "record the findings and the measures taken before closing");
		kw_err_detail(err, "findings", json_integer(findings));
		kw_err_detail(err, "measures", json_integer(measures));
		return err->rc;
	}
	if (strcmp(x->category, "organised_cheating") == 0 && !police)
		return kw_err_set(err, KW_ERULE, "INCIDENT_POLICE_REPORT_REQUIRED", "DAY-5",
		                  "suspected organised cheating is reported to the police first "
		                  "(PQ 33)");
	if (strcmp(x->category, "organised_cheating") == 0 && !files)
		return kw_err_set(err, KW_ERULE, "INCIDENT_EVIDENCE_REQUIRED", "DAY-5",
		                  "fix the evidence (files) before closing (PQ 33)");
	return 0;
}

static int write_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct write_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	struct inc cur;
	int rc = inc_load(tx->conn, j->x.id, &cur, err);
	if (!rc && !cur.open)
		rc = closed_refusal(err);
	if (rc)
		return rc;
	const json_t *b = j->body;
	const char *t1 = json_string_value(json_object_get(b, "kind"));
	const char *t2 = json_string_value(json_object_get(b, "text"));
	int64_t changed = 0;
	switch (j->what) {
	case W_UPDATE:
		return kw_audit_put(
		        tx, err, "exam_incident_updates", "exam_incident.update",
		        json_pack("{s:I, s:s}", "incident_id", (json_int_t)cur.id, "kind", t1),
		        NULL,
		        "INSERT INTO exam_incident_updates (incident_id, kind, text, "
		        "created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
		        "ittit", cur.id, t1, t2, tx->actor->id, now);
	case W_POLICE: {
		char at[32];
		int64_t us = 0;
		kw_clock_parse(json_string_value(json_object_get(b, "reported_at")), &us);
		kw_clock_format(us, at);
		const char *to = json_string_value(json_object_get(b, "to"));
		const char *ref = json_string_value(json_object_get(b, "reference"));
		rc = kw_audit_put(
		        tx, err, "exam_incidents", "exam_incident.police_report",
		        json_pack("{s:s, s:s, s:s}", "reported_at", at, "to", to, "reference", ref),
		        &changed,
		        "UPDATE exam_incidents SET police_reported_at = $1, police_to = $2, "
		        "police_ref = $3, updated_at = $4 WHERE id = $5 AND "
		        "police_reported_at IS NULL",
		        "tttti", at, to, ref, now, cur.id);
		if (!rc && !changed)
			rc = kw_err_set(err, KW_ECONFLICT, "INCIDENT_POLICE_REPORTED", "DAY-5",
			                "the police report is already recorded");
		return rc;
	}
	case W_MAJOR:
		if (cur.major)
			return kw_err_set(err, KW_ECONFLICT, "INCIDENT_ALREADY_MAJOR", "VEN-4",
			                  "the incident is already marked major");
		return venue_entry(tx, &cur, j->description, err);
	default:
		rc = close_checks(tx->conn, &cur, err);
		if (!rc)
			rc = kw_audit_put(
			        tx, err, "exam_incidents", "exam_incident.close",
			        json_pack("{s:s}", "conclusion",
			                  json_string_value(json_object_get(b, "conclusion"))),
			        NULL,
			        "UPDATE exam_incidents SET status = 'closed', conclusion = $1, "
			        "closed_by = $2, closed_at = $3, updated_at = $3 WHERE id = $4",
			        "titi", json_string_value(json_object_get(b, "conclusion")),
			        tx->actor->id, now, cur.id);
		return rc;
	}
}

static int write_common(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t id, const json_t *body, int what,
                        json_t **out, struct kw_err *err)
{
	static const struct kw_jfield update_shape[] = {KW_JSTR("kind", 20, KW_JREQUIRED),
	                                                KW_JSTR("text", 2000, KW_JREQUIRED)};
	static const struct kw_jfield police_shape[] = {KW_JSTR("reported_at", 40, KW_JREQUIRED),
	                                                KW_JSTR("to", 200, KW_JREQUIRED),
	                                                KW_JSTR("reference", 100, KW_JREQUIRED)};
	static const struct kw_jfield close_shape[] = {KW_JSTR("conclusion", 2000, KW_JREQUIRED)};
	int rc = 0;
	const char *action = "incident.close";
	if (what == W_UPDATE) {
		action = "incident.acknowledge";
		rc = kw_json_check(body, update_shape, 2, err);
		if (!rc && !one_of(json_string_value(json_object_get(body, "kind")), update_kinds))
			rc = invalid(err, "kind", "one_of");
	} else if (what == W_POLICE) {
		int64_t us;
		rc = kw_json_check(body, police_shape, 3, err);
		if (!rc && kw_clock_parse(json_string_value(json_object_get(body, "reported_at")),
		                          &us) != 0)
			rc = invalid(err, "reported_at", "format");
	} else if (what == W_CLOSE) {
		rc = kw_json_check(body, close_shape, 1, err);
	}
	if (rc)
		return rc;
	struct write_job j;
	memset(&j, 0, sizeof j);
	j.what = what;
	j.body = body;
	struct kw_conn *c = kw_pool_get(app->pool);
	char *desc = NULL;
	rc = inc_load(c, id, &j.x, err);
	if (!rc)
		rc = inc_reach(c, s, &j.x, action, NULL, err);
	if (!rc && !j.x.open)
		rc = closed_refusal(err);
	if (!rc && what == W_MAJOR && j.x.major)
		rc = kw_err_set(err, KW_ECONFLICT, "INCIDENT_ALREADY_MAJOR", "VEN-4",
		                "the incident is already marked major");
	if (!rc && what == W_MAJOR) {
		struct kw_stmt *st = NULL;
		rc = kw_conn_prepare(c, "SELECT description FROM exam_incidents WHERE id = $1", &st,
		                     err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, id);
			if ((rc = kw_stmt_step(st, err)) == KW_ROW)
				desc = kw_xstrdup(kw_stmt_column_text(st, 0, NULL));
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		j.description = desc ? desc : "";
	}
	if (!rc && what == W_CLOSE)
		rc = close_checks(c, &j.x, err); /* the refusal before the queue; again inside */
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, write_job, &j, actor, err);
	free(desc);
	if (!rc)
		rc = inc_after(app, id, out, err);
	return rc;
}

int kw_incident_update_add(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, const json_t *body,
                           json_t **out, struct kw_err *err)
{
	return write_common(app, actor, s, id, body, W_UPDATE, out, err);
}

int kw_incident_police_report(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t id, const json_t *body,
                              json_t **out, struct kw_err *err)
{
	return write_common(app, actor, s, id, body, W_POLICE, out, err);
}

int kw_incident_mark_major(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t id, json_t **out,
                           struct kw_err *err)
{
	return write_common(app, actor, s, id, NULL, W_MAJOR, out, err);
}

int kw_incident_close(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                      struct kw_err *err)
{
	return write_common(app, actor, s, id, body, W_CLOSE, out, err);
}

/* ---- evidence files (PQ 33) ---- */

struct file_job {
	int64_t incident, id;
	const char *label;
	struct kw_checked_file f;
};

static int file_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct file_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t open = 0, n = 0;
	int rc = q_int(tx->conn, &open, err,
	               "SELECT COUNT(*) FROM exam_incidents WHERE id = $1 AND status = 'open'", "i",
	               j->incident);
	if (!rc && !open)
		return closed_refusal(err);
	if (!rc)
		rc = q_int(tx->conn, &n, err,
		           "SELECT COUNT(*) FROM exam_incident_files WHERE incident_id = $1", "i",
		           j->incident);
	if (!rc && n >= FILES_MAX) {
		kw_err_set(err, KW_ERULE, "INCIDENT_FILE_LIMIT", NULL,
		           "an incident holds at most %d files", FILES_MAX);
		kw_err_detail(err, "max", json_integer(FILES_MAX));
		return err->rc;
	}
	if (!rc)
		rc = kw_files_blob_put(tx->conn, j->f.sha256, j->f.data, j->f.len, now, err);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "exam_incident_files", "exam_incident.file",
		        json_pack("{s:I, s:s, s:s}", "incident_id", (json_int_t)j->incident,
		                  "label", j->label, "sha256", j->f.sha256),
		        &j->id,
		        "INSERT INTO exam_incident_files (incident_id, label, media_type, "
		        "size, sha256, uploaded_by, created_at) VALUES ($1, $2, $3, $4, "
		        "$5, $6, $7)",
		        "ittitit", j->incident, j->label, j->f.media_type, (int64_t)j->f.len,
		        j->f.sha256, tx->actor->id, now);
	return rc;
}

int kw_incident_file_add(struct kw_app *app, const struct kw_actor *actor,
                         const struct kw_session_info *s, int64_t id, const char *media_type,
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
	struct inc x;
	rc = inc_load(c, id, &x, err);
	if (!rc)
		rc = inc_reach(c, s, &x, "incident.acknowledge", NULL, err);
	if (!rc && !x.open)
		rc = closed_refusal(err);
	kw_pool_put(app->pool, c);
	struct file_job j = {.incident = id, .label = label};
	if (!rc)
		rc = kw_files_check_document(media_type, data, n, &j.f, err);
	if (!rc)
		rc = kw_writer_run(app->writer, file_job, &j, actor, err);
	free(j.f.buf);
	if (!rc) {
		char url[96];
		snprintf(url, sizeof url, "/api/v1/exam_incidents/%lld/files/%lld", (long long)id,
		         (long long)j.id);
		*out = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)j.id,
		                 "incident_id", (json_int_t)id, "label", label, "media_type",
		                 j.f.media_type, "size", (json_int_t)j.f.len, "sha256", j.f.sha256,
		                 "url", url);
	}
	return rc;
}

int kw_incident_file(struct kw_app *app, const struct kw_session_info *s, int64_t id, int64_t file,
                     struct kw_file *out, struct kw_err *err)
{
	memset(out, 0, sizeof *out);
	struct kw_conn *c = kw_pool_get(app->pool);
	struct inc x;
	int rc = inc_load(c, id, &x, err);
	if (!rc)
		rc = inc_reach(c, s, &x, "incident.read", NULL, err);
	struct kw_stmt *st = NULL;
	char sha[65] = "";
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT media_type, sha256 FROM exam_incident_files WHERE id = $1 "
		        "AND incident_id = $2",
		        &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, file);
		kw_stmt_bind_int64(st, 2, id);
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
		rc = kw_file_fill(c, sha, "incident-evidence", file, out, err);
	kw_pool_put(app->pool, c);
	return rc;
}

/* ---- outcomes (PQ 32) through maker-checker ---- */

/* Who consents to an outcome kind: the unit kind. */
static const char *decider_of(const char *kind)
{
	if (kind && strcmp(kind, "postpone") == 0)
		return "national_centre";
	if (kind && (strcmp(kind, "resit") == 0 || strcmp(kind, "cancel") == 0))
		return "ministry";
	return NULL;
}

struct outcome_job {
	struct inc x;
	const char *kind, *details, *announcement;
	int64_t id, approval;
};

static int outcome_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct outcome_job *j = arg;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t pending = 0;
	int rc =
	        q_int(tx->conn, &pending, err,
	              "SELECT COUNT(*) FROM exam_incident_outcomes WHERE incident_id = $1 AND kind "
	              "= $2 AND status = 'pending'",
	              "it", j->x.id, j->kind);
	if (!rc && pending)
		return kw_err_set(err, KW_ECONFLICT, "INCIDENT_OUTCOME_PENDING", "DAY-5",
		                  "an outcome of this kind already awaits its decision");
	if (!rc)
		rc = kw_audit_put(tx, err, "exam_incident_outcomes", "exam_incident.outcome",
		                  json_pack("{s:I, s:s}", "incident_id", (json_int_t)j->x.id,
		                            "kind", j->kind),
		                  &j->id,
		                  "INSERT INTO exam_incident_outcomes (incident_id, exam_id, kind, "
		                  "details, announcement, status, requested_by, created_at, "
		                  "updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $7)",
		                  "iitttit", j->x.id, j->x.exam, j->kind, j->details,
		                  j->announcement, tx->actor->id, now);
	json_t *payload = NULL;
	if (!rc) {
		payload = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:[I]}", "outcome_id",
		                    (json_int_t)j->id, "incident_id", (json_int_t)j->x.id,
		                    "exam_id", (json_int_t)j->x.exam, "exam_code", j->x.exam_code,
		                    "subject", j->x.subject_code, "kind", j->kind, "decider",
		                    decider_of(j->kind), "units", (json_int_t)j->x.centre_unit);
		rc = kw_approval_create(tx, OUTCOME_KIND, payload, payload, &j->approval, err);
	}
	json_decref(payload);
	if (!rc)
		rc = kw_audit_put(
		        tx, err, "exam_incident_outcomes", "exam_incident.outcome.submit",
		        json_pack("{s:I}", "approval_id", (json_int_t)j->approval), NULL,
		        "UPDATE exam_incident_outcomes SET approval_id = $1 WHERE id = $2", "ii",
		        j->approval, j->id);
	return rc;
}

int kw_incident_outcome_request(struct kw_app *app, const struct kw_actor *actor,
                                const struct kw_session_info *s, int64_t id, const json_t *body,
                                json_t **out, struct kw_err *err)
{
	static const struct kw_jfield shape[] = {KW_JSTR("kind", 20, KW_JREQUIRED),
	                                         KW_JSTR("details", 2000, KW_JREQUIRED),
	                                         KW_JSTR("announcement", 2000, KW_JREQUIRED)};
	int rc = kw_json_check(body, shape, 3, err);
	struct outcome_job j;
	memset(&j, 0, sizeof j);
	if (!rc) {
		j.kind = json_string_value(json_object_get(body, "kind"));
		j.details = json_string_value(json_object_get(body, "details"));
		j.announcement = json_string_value(json_object_get(body, "announcement"));
		if (!decider_of(j.kind))
			rc = invalid(err, "kind", "one_of");
	}
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	rc = inc_load(c, id, &j.x, err);
	if (!rc)
		rc = inc_reach(c, s, &j.x, "incident.outcome", NULL, err);
	if (!rc && !j.x.open)
		rc = closed_refusal(err);
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_writer_run(app->writer, outcome_job, &j, actor, err);
	if (!rc)
		*out = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)j.id,
		                 "incident_id", (json_int_t)id, "kind", j.kind, "decider",
		                 decider_of(j.kind), "status", "pending", "approval_id",
		                 (json_int_t)j.approval, "announcement", j.announcement);
	return rc;
}

static int outcome_allowed(struct kw_conn *c, const struct kw_session_info *s,
                           const json_t *payload, struct kw_err *err)
{
	const char *decider = json_string_value(json_object_get(payload, "decider"));
	int64_t unit = json_integer_value(json_array_get(json_object_get(payload, "units"), 0));
	int64_t units[KW_MAX_GRANTS];
	int n = 0, any = 0;
	kw_authz_units(s, "incident.outcome", units, KW_MAX_GRANTS, &n, &any);
	for (int i = 0; decider && i < n; i++) {
		struct kw_stmt *st = NULL;
		char kind[40] = "";
		int rc = kw_conn_prepare(c, "SELECT kind FROM units WHERE id = $1", &st, err);
		if (!rc) {
			kw_stmt_bind_int64(st, 1, units[i]);
			rc = kw_stmt_step(st, err);
			if (rc == KW_ROW)
				kw_stmt_column_copy(st, 0, kind, sizeof kind);
			rc = kw_step_ok(rc);
		}
		kw_stmt_finalize(st);
		if (rc)
			return rc;
		if (strcmp(kind, decider) != 0)
			continue;
		/* The ministry consents nationally; the national centre over its own tree. */
		int yes = strcmp(decider, "ministry") == 0;
		if (!yes && (rc = kw_unit_within(c, unit, units[i], &yes, err)) != 0)
			return rc;
		if (yes)
			return 0;
	}
	int rc = kw_authz_check(c, s, "incident.outcome", unit, err);
	if (rc == 0) {
		rc = kw_err_set(err, KW_ERULE, "INCIDENT_OUTCOME_WRONG_LEVEL", "DAY-5",
		                "this outcome needs the consent of the %s",
		                decider ? decider : "national centre");
		kw_err_detail(err, "decider", json_string(decider ? decider : ""));
	}
	return rc;
}

static int outcome_decide(struct kw_app *app, struct kw_tx *tx, const json_t *payload,
                          int64_t approval_id, int approve, json_t **result, struct kw_err *err)
{
	(void)app;
	char now[32];
	kw_clock_format(tx->now_us, now);
	int64_t id = json_integer_value(json_object_get(payload, "outcome_id"));
	int64_t changed = 0;
	const char *status = approve ? "approved" : "rejected";
	int rc = kw_audit_put(tx, err, "exam_incident_outcomes",
	                      approve ? "exam_incident.outcome.approve"
	                              : "exam_incident.outcome.reject",
	                      json_pack("{s:I}", "approval_id", (json_int_t)approval_id), &changed,
	                      "UPDATE exam_incident_outcomes SET status = $1, decided_by = $2, "
	                      "decided_at = $3, updated_at = $3 WHERE id = $4 AND status = "
	                      "'pending'",
	                      "titi", status, tx->actor->id, now, id);
	if (!rc && !changed)
		rc = kw_err_set(err, KW_ECONFLICT, "APPROVAL_DECIDED", NULL,
		                "the outcome is no longer pending");
	if (!rc)
		*result = json_pack("{s:I, s:s}", "outcome_id", (json_int_t)id, "status", status);
	return rc;
}

const struct kw_approval_kind kw_incident_outcome_approval = {OUTCOME_KIND, outcome_allowed,
                                                              outcome_decide, NULL};

int kw_incident_announcements(struct kw_conn *c, int64_t exam, json_t **out, struct kw_err *err)
{
	struct kw_stmt *s = NULL;
	*out = json_array();
	int rc = kw_conn_prepare(c,
	                         "SELECT o.kind, j.code, o.announcement, o.decided_at FROM "
	                         "exam_incident_outcomes o JOIN exam_incidents i ON i.id = "
	                         "o.incident_id JOIN subjects j ON j.id = i.subject_id WHERE "
	                         "o.exam_id = $1 AND o.status = 'approved' ORDER BY o.decided_at, "
	                         "o.id",
	                         &s, err);
	if (!rc) {
		kw_stmt_bind_int64(s, 1, exam);
		while ((rc = kw_stmt_step(s, err)) == KW_ROW)
			json_array_append_new(
			        *out, json_pack("{s:o, s:o, s:o, s:o}", "kind", col_str(s, 0),
			                        "subject", col_str(s, 1), "announcement",
			                        col_str(s, 2), "approved_at", col_time(s, 3)));
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(s);
	return rc;
}
