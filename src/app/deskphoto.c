/* The photo of a candidate entered at the desk (REG-1, REG-4); see deskphoto.h. */
#include "app/deskphoto.h"

#include <string.h>

#include "app/authz.h"
#include "app/files.h"

/* The exam must take on-site registrations from s, as the on-site entry checks. */
static int exam_open_to(struct kw_conn *c, const struct kw_session_info *s, int64_t exam,
                        struct kw_err *err)
{
	struct kw_stmt *st = NULL;
	int64_t unit = 0, onsite = 0;
	int published = 0;
	int rc = kw_conn_prepare(
	        c, "SELECT unit_id, status, onsite_registration FROM exams WHERE id = $1", &st,
	        err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, exam);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			unit = kw_stmt_column_int64(st, 0);
			published = strcmp(kw_stmt_column_text(st, 1, NULL), "published") == 0;
			onsite = kw_stmt_column_int64(st, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc)
		return rc;
	if (!published)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	if (!onsite)
		return kw_err_set(err, KW_ERULE, "REG_ONSITE_NOT_PROVIDED", "REG-1",
		                  "this exam takes no registrations on site");
	return kw_authz_check(c, s, "registration.enter", unit, err);
}

#define MAX_UNITS 64

struct reach {
	const struct kw_session_info *s;
	int64_t candidate;
};

/* Is the candidate there, with no live registration outside s's reach? NOT_FOUND if not. */
static int candidate_within(struct kw_conn *c, const void *arg, struct kw_err *err)
{
	const struct reach *r = arg;
	struct kw_stmt *st = NULL;
	int64_t units[MAX_UNITS];
	int n = 0, found = 0, more = 0;
	int rc = kw_conn_prepare(c, "SELECT 1 FROM candidates WHERE id = $1", &st, err);
	if (!rc) {
		kw_stmt_bind_int64(st, 1, r->candidate);
		rc = kw_stmt_step(st, err);
		found = rc == KW_ROW;
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	st = NULL;
	if (!rc && found)
		rc = kw_conn_prepare(
		        c,
		        "SELECT DISTINCT e.unit_id FROM registrations g JOIN exams e ON e.id = "
		        "g.exam_id WHERE g.candidate_id = $1 AND g.status NOT IN ('cancelled', "
		        "'void') ORDER BY e.unit_id",
		        &st, err);
	if (!rc && found) {
		kw_stmt_bind_int64(st, 1, r->candidate);
		while ((rc = kw_stmt_step(st, err)) == KW_ROW) {
			if (n == MAX_UNITS) {
				more = 1;
				break;
			}
			units[n++] = kw_stmt_column_int64(st, 0);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(st);
	if (rc)
		return rc;
	int within = found && !more;
	for (int i = 0; within && i < n; i++) {
		int arc = kw_authz_check(c, r->s, "registration.enter", units[i], err);
		if (arc && arc != KW_EFORBIDDEN)
			return arc;
		within = !arc;
	}
	return within ? 0 : kw_err_not_found(err, "candidate");
}

int kw_deskphoto_put(struct kw_app *app, const struct kw_actor *actor,
                     const struct kw_session_info *s, int64_t exam, int64_t candidate,
                     const char *media_type, const void *data, size_t n, json_t **out,
                     struct kw_err *err)
{
	*out = NULL;
	if (s->candidate_id || !s->user.id)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
		                  "for staff entering registrations on site");
	struct reach r = {s, candidate};
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = exam_open_to(c, s, exam, err);
	if (!rc)
		rc = candidate_within(c, &r, err);
	kw_pool_put(app->pool, c);
	if (!rc)
		rc = kw_files_put_photo_by(app, actor, candidate, s->user.id, exam,
		                           candidate_within, &r, media_type, data, n, out, err);
	if (!rc) {
		json_object_set_new(*out, "candidate_id", json_integer(candidate));
		json_object_set_new(*out, "uploaded_by", json_integer(s->user.id));
	}
	return rc;
}
