/*
 * The live command view (live.h): views of (exam, subject) in memory, kept by events.
 *
 * One mutex guards every view. A view is loaded without it (the queries may take seconds at
 * national scale); while it loads, events for it are kept as centre ids and those centres are
 * read again once it is ready. A row read again (a touch) while check-ins arrive may miss one
 * that committed after its query began: a check-in during a re-read marks the row again, so
 * the next tick reads it once more — rows converge on the database within a tick or two.
 */
#include "app/examday.h"
#include "app/live.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/authz.h"
#include "util/buf.h"

struct lcentre {
	int64_t id, unit, area;
	char code[48], name[128], area_name[128];
	int64_t rooms, rooms_open, rooms_closed, seated, present, packages, received, in_rooms,
	        incidents;
	uint64_t version;
	int dirty, refreshing;
};

struct lroom {
	int64_t id, present;
	int32_t centre; /* index into the view's centres */
	int32_t closed;
};

struct lunit {
	int64_t id, parent;
};

struct lview {
	int64_t exam, subject, run, exam_unit, duration;
	char exam_code[64], exam_name[256], subject_code[64], subject_name[256], starts_at[40];
	struct lcentre *c; /* by id */
	size_t nc;
	size_t *by_code; /* indexes into c, by centre code */
	struct lroom *r; /* by id */
	size_t nr;
	struct lunit *u; /* every unit, by id: the scope walks up in memory */
	size_t nu;
	size_t ac, ar, au; /* capacities while loading */
	int state;         /* 0 loading, 1 ready, -1 failed (removed) */
	int ndirty;
	int64_t *pending; /* centres with events while loading (0: all) */
	size_t npending, apending;
};

struct kw_live {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct lview **v;
	size_t nv, av;
	uint64_t version;
};

struct kw_live_sub {
	struct kw_live *l;
	struct lview *v;
	unsigned char *allowed; /* per centre index, when !all */
	int all;
	uint64_t version;
};

struct kw_live *kw_live_new(void)
{
	struct kw_live *l = kw_xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	return l;
}

static void view_free(struct lview *v)
{
	if (!v)
		return;
	free(v->c);
	free(v->by_code);
	free(v->r);
	free(v->u);
	free(v->pending);
	free(v);
}

void kw_live_free(struct kw_live *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nv; i++)
		view_free(l->v[i]);
	free(l->v);
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

static struct lcentre *centre_at(struct lview *v, int64_t id)
{
	size_t lo = 0, hi = v->nc;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v->c[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->nc && v->c[lo].id == id ? &v->c[lo] : NULL;
}

static struct lroom *room_at(struct lview *v, int64_t id)
{
	size_t lo = 0, hi = v->nr;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v->r[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->nr && v->r[lo].id == id ? &v->r[lo] : NULL;
}

static int64_t unit_parent(const struct lview *v, int64_t id)
{
	size_t lo = 0, hi = v->nu;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v->u[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->nu && v->u[lo].id == id ? v->u[lo].parent : 0;
}

/* Is unit under (or at) one of the units? */
static int under(const struct lview *v, int64_t unit, const int64_t *units, int n)
{
	for (int depth = 0; unit && depth < 32; depth++) {
		for (int i = 0; i < n; i++)
			if (units[i] == unit)
				return 1;
		unit = unit_parent(v, unit);
	}
	return 0;
}

static void mark(struct lview *v, struct lcentre *c)
{
	if (!c->dirty) {
		c->dirty = 1;
		v->ndirty++;
	}
}

static void pend(struct lview *v, int64_t centre)
{
	if (v->npending == v->apending) {
		v->apending = v->apending ? v->apending * 2 : 16;
		v->pending = kw_xrealloc(v->pending, v->apending * sizeof *v->pending);
	}
	v->pending[v->npending++] = centre;
}

void kw_live_checkin(struct kw_app *app, int64_t exam, int64_t subject, int64_t centre,
                     int64_t room)
{
	struct kw_live *l = app->live;
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	for (size_t i = 0; i < l->nv; i++) {
		struct lview *v = l->v[i];
		if (v->exam != exam || v->subject != subject)
			continue;
		if (v->state == 0) {
			pend(v, centre);
			continue;
		}
		struct lroom *r = room_at(v, room);
		struct lcentre *c = r ? &v->c[r->centre] : centre_at(v, centre);
		if (!c)
			continue;
		if (r) {
			if (r->present++ == 0)
				c->rooms_open++;
			c->present++;
		}
		if (!r || c->refreshing)
			mark(v,
			     c); /* read it again: the re-read under way may not count this one */
		c->version = ++l->version;
	}
	pthread_mutex_unlock(&l->mu);
	pthread_cond_broadcast(&l->cv);
}

void kw_live_touch(struct kw_app *app, int64_t exam, int64_t centre)
{
	struct kw_live *l = app->live;
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	for (size_t i = 0; i < l->nv; i++) {
		struct lview *v = l->v[i];
		if (v->exam != exam)
			continue;
		if (v->state == 0) {
			pend(v, centre);
		} else if (!centre) {
			for (size_t k = 0; k < v->nc; k++)
				mark(v, &v->c[k]);
		} else {
			struct lcentre *c = centre_at(v, centre);
			if (c)
				mark(v, c);
		}
	}
	pthread_mutex_unlock(&l->mu);
}

uint64_t kw_live_version(struct kw_app *app)
{
	struct kw_live *l = app->live;
	if (!l)
		return 0;
	pthread_mutex_lock(&l->mu);
	uint64_t n = l->version;
	pthread_mutex_unlock(&l->mu);
	return n;
}

/* ---- reading from the database ---- */

/* What a re-read of one centre finds. */
struct fresh {
	int64_t packages, received, in_rooms, incidents;
	size_t nroom;
	int64_t *room, *present, *closed; /* the centre's exam rooms of the run */
};

/* The packages: all of the subject's room packages at the centre, those that reached the
 * centre (an event into it), those now in an exam room. */
static const char PKG_COLS[] =
        "COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM custody_events e WHERE "
        "e.package_id = p.id AND e.to_place IN ('centre', 'centre_secure_room')) THEN 1 ELSE "
        "0 END), 0), COALESCE(SUM(CASE WHEN p.place = 'exam_room' THEN 1 ELSE 0 END), 0)";

static int fresh_read(struct kw_conn *c, const struct lview *v, int64_t centre, struct fresh *f,
                      struct kw_err *err)
{
	memset(f, 0, sizeof *f);
	struct kw_stmt *q = NULL;
	size_t cap = 0;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT x.id, (SELECT COUNT(*) FROM checkins k WHERE k.exam_room_id = x.id AND "
	        "k.subject_id = $3), (SELECT COUNT(*) FROM room_records d WHERE d.exam_room_id = "
	        "x.id AND d.subject_id = $3 AND d.status = 'closed') FROM exam_rooms x WHERE "
	        "x.run_id = $1 AND x.centre_id = $2",
	        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, v->run);
		kw_stmt_bind_int64(q, 2, centre);
		kw_stmt_bind_int64(q, 3, v->subject);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			if (f->nroom == cap) {
				cap = cap ? cap * 2 : 32;
				f->room = kw_xrealloc(f->room, cap * sizeof *f->room);
				f->present = kw_xrealloc(f->present, cap * sizeof *f->present);
				f->closed = kw_xrealloc(f->closed, cap * sizeof *f->closed);
			}
			f->room[f->nroom] = kw_stmt_column_int64(q, 0);
			f->present[f->nroom] = kw_stmt_column_int64(q, 1);
			f->closed[f->nroom++] = kw_stmt_column_int64(q, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	q = NULL;
	char sql[600];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM paper_packages p WHERE p.run_id = $1 AND p.subject_id = $2 AND "
	         "p.centre_id = $3 AND p.kind = 'room'",
	         PKG_COLS);
	if (!rc)
		rc = kw_conn_prepare(c, sql, &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, v->run);
		kw_stmt_bind_int64(q, 2, v->subject);
		kw_stmt_bind_int64(q, 3, centre);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW) {
			f->packages = kw_stmt_column_int64(q, 0);
			f->received = kw_stmt_column_int64(q, 1);
			f->in_rooms = kw_stmt_column_int64(q, 2);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	q = NULL;
	if (!rc)
		rc = kw_conn_prepare(
		        c,
		        "SELECT (SELECT COUNT(*) FROM custody_incidents i JOIN "
		        "paper_packages p ON p.id = i.package_id WHERE p.run_id = $1 AND "
		        "p.subject_id = $2 AND p.centre_id = $3 AND i.status = 'open') + "
		        "(SELECT COUNT(*) FROM exam_incidents i WHERE i.exam_id = $4 AND "
		        "i.status = 'open' AND i.centre_id = $3 AND i.subject_id = $2)",
		        &q, err);
	if (!rc) {
		kw_stmt_bind_int64(q, 1, v->run);
		kw_stmt_bind_int64(q, 2, v->subject);
		kw_stmt_bind_int64(q, 3, centre);
		kw_stmt_bind_int64(q, 4, v->exam);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW)
			f->incidents = kw_stmt_column_int64(q, 0);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

static void fresh_release(struct fresh *f)
{
	free(f->room);
	free(f->present);
	free(f->closed);
}

/* Applies f to c (the mutex held): the rooms' counts and the centre's sums. */
static void fresh_apply(struct kw_live *l, struct lview *v, struct lcentre *c,
                        const struct fresh *f)
{
	c->present = c->rooms_open = c->rooms_closed = 0;
	for (size_t k = 0; k < f->nroom; k++) {
		struct lroom *r = room_at(v, f->room[k]);
		if (!r)
			continue; /* a room of the run without this subject */
		r->present = f->present[k];
		r->closed = f->closed[k] > 0;
	}
	size_t ci = (size_t)(c - v->c);
	for (size_t k = 0; k < v->nr; k++) /* the centre's rooms, including any not re-read */
		if ((size_t)v->r[k].centre == ci) {
			c->present += v->r[k].present;
			c->rooms_open += v->r[k].present > 0;
			c->rooms_closed += v->r[k].closed;
		}
	c->packages = f->packages;
	c->received = f->received;
	c->in_rooms = f->in_rooms;
	c->incidents = f->incidents;
	c->version = ++l->version;
}

int kw_live_tick(struct kw_app *app)
{
	struct kw_live *l = app->live;
	if (!l)
		return 0;
	int done = 0;
	pthread_mutex_lock(&l->mu);
	for (size_t i = 0; i < l->nv; i++) {
		struct lview *v = l->v[i];
		if (v->state != 1 || !v->ndirty)
			continue;
		size_t n = 0;
		int64_t *ids = kw_xmalloc((size_t)v->ndirty * sizeof *ids);
		for (size_t k = 0; k < v->nc && n < (size_t)v->ndirty; k++)
			if (v->c[k].dirty) {
				v->c[k].dirty = 0;
				v->c[k].refreshing = 1;
				ids[n++] = v->c[k].id;
			}
		v->ndirty = 0;
		pthread_mutex_unlock(&l->mu);
		struct kw_conn *c = kw_pool_get(app->pool);
		for (size_t k = 0; k < n; k++) {
			struct fresh f;
			struct kw_err err = KW_ERR_INIT;
			int rc = fresh_read(c, v, ids[k], &f, &err);
			kw_err_release(&err);
			pthread_mutex_lock(&l->mu);
			struct lcentre *ce = centre_at(v, ids[k]);
			if (ce) {
				ce->refreshing = 0;
				if (rc)
					mark(v, ce); /* the database was away: next tick */
				else
					fresh_apply(l, v, ce, &f);
			}
			pthread_mutex_unlock(&l->mu);
			fresh_release(&f);
			done++;
		}
		kw_pool_put(app->pool, c);
		free(ids);
		pthread_mutex_lock(&l->mu);
	}
	pthread_mutex_unlock(&l->mu);
	if (done)
		pthread_cond_broadcast(&l->cv);
	return done;
}

static int cmp_centre_id(const void *a, const void *b)
{
	const struct lcentre *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_unit(const void *a, const void *b)
{
	const struct lunit *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp((*(const struct lcentre *const *)a)->code,
	              (*(const struct lcentre *const *)b)->code);
}

/* Runs sql (binding $1 = a, $2 = b when given) and calls row for each row. */
static int each_row(struct kw_conn *c, const char *sql, int nb, int64_t a, int64_t b,
                    void (*row)(struct lview *, struct kw_stmt *), struct lview *v,
                    struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(c, sql, &q, err);
	if (!rc) {
		if (nb > 0)
			kw_stmt_bind_int64(q, 1, a);
		if (nb > 1)
			kw_stmt_bind_int64(q, 2, b);
		while ((rc = kw_stmt_step(q, err)) == KW_ROW)
			row(v, q);
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	return rc;
}

static void row_centre(struct lview *v, struct kw_stmt *q)
{
	if (v->nc == v->ac) {
		v->ac = v->ac ? v->ac * 2 : 256;
		v->c = kw_xrealloc(v->c, v->ac * sizeof *v->c);
	}
	struct lcentre *c = &v->c[v->nc++];
	memset(c, 0, sizeof *c);
	c->id = kw_stmt_column_int64(q, 0);
	c->unit = kw_stmt_column_int64(q, 1);
	kw_stmt_column_copy(q, 2, c->code, sizeof c->code);
	kw_stmt_column_copy(q, 3, c->name, sizeof c->name);
	c->area = kw_stmt_column_int64(q, 4);
	kw_stmt_column_copy(q, 5, c->area_name, sizeof c->area_name);
}

static void row_room(struct lview *v, struct kw_stmt *q)
{
	if (!kw_subject_group_has(kw_stmt_column_text(q, 2, NULL), v->subject_code))
		return;
	struct lcentre *c = centre_at(v, kw_stmt_column_int64(q, 1));
	if (!c)
		return;
	if (v->nr == v->ar) {
		v->ar = v->ar ? v->ar * 2 : 1024;
		v->r = kw_xrealloc(v->r, v->ar * sizeof *v->r);
	}
	struct lroom *r = &v->r[v->nr++];
	r->id = kw_stmt_column_int64(q, 0);
	r->centre = (int32_t)(c - v->c);
	r->present = 0;
	r->closed = 0;
	c->rooms++;
	c->seated += kw_stmt_column_int64(q, 3);
}

static void row_present(struct lview *v, struct kw_stmt *q)
{
	struct lroom *r = room_at(v, kw_stmt_column_int64(q, 0));
	if (r) {
		r->present = kw_stmt_column_int64(q, 1);
		v->c[r->centre].present += r->present;
		v->c[r->centre].rooms_open += r->present > 0;
	}
}

static void row_closed(struct lview *v, struct kw_stmt *q)
{
	struct lroom *r = room_at(v, kw_stmt_column_int64(q, 0));
	if (r && !r->closed) {
		r->closed = 1;
		v->c[r->centre].rooms_closed++;
	}
}

static void row_packages(struct lview *v, struct kw_stmt *q)
{
	struct lcentre *c = centre_at(v, kw_stmt_column_int64(q, 0));
	if (c) {
		c->packages = kw_stmt_column_int64(q, 1);
		c->received = kw_stmt_column_int64(q, 2);
		c->in_rooms = kw_stmt_column_int64(q, 3);
	}
}

static void row_incidents(struct lview *v, struct kw_stmt *q)
{
	struct lcentre *c = centre_at(v, kw_stmt_column_int64(q, 0));
	if (c)
		c->incidents += kw_stmt_column_int64(q, 1);
}

static void row_unit(struct lview *v, struct kw_stmt *q)
{
	if (v->nu == v->au) {
		v->au = v->au ? v->au * 2 : 1024;
		v->u = kw_xrealloc(v->u, v->au * sizeof *v->u);
	}
	v->u[v->nu].id = kw_stmt_column_int64(q, 0);
	v->u[v->nu++].parent = kw_stmt_column_is_null(q, 1) ? 0 : kw_stmt_column_int64(q, 1);
}

/* Reads the whole view (v's exam, subject and run set). Rows arrive ordered by id where the
 * look-ups need it (centres, rooms, units are sorted after reading anyway). */
static int view_load(struct kw_conn *c, struct lview *v, struct kw_err *err)
{
	int rc = each_row(c,
	                  "SELECT c.id, c.unit_id, c.code, c.name, x.area_id, u.name FROM centres "
	                  "c JOIN (SELECT centre_id, MIN(area_id) AS area_id FROM exam_rooms "
	                  "WHERE run_id = $1 GROUP BY centre_id) x ON x.centre_id = c.id JOIN "
	                  "units u ON u.id = x.area_id ORDER BY c.id",
	                  1, v->run, 0, row_centre, v, err);
	if (!rc)
		qsort(v->c, v->nc, sizeof *v->c, cmp_centre_id);
	if (!rc)
		rc = each_row(c,
		              "SELECT id, centre_id, subjects, seats_taken FROM exam_rooms WHERE "
		              "run_id = $1 ORDER BY id",
		              1, v->run, 0, row_room, v, err);
	if (!rc)
		rc = each_row(c,
		              "SELECT exam_room_id, COUNT(*) FROM checkins WHERE subject_id = $1 "
		              "GROUP BY exam_room_id",
		              1, v->subject, 0, row_present, v, err);
	if (!rc)
		rc = each_row(c,
		              "SELECT exam_room_id FROM room_records WHERE subject_id = $1 AND "
		              "status = 'closed'",
		              1, v->subject, 0, row_closed, v, err);
	char sql[700];
	snprintf(sql, sizeof sql,
	         "SELECT p.centre_id, %s FROM paper_packages p WHERE p.run_id = $1 AND "
	         "p.subject_id = $2 AND p.kind = 'room' GROUP BY p.centre_id",
	         PKG_COLS);
	if (!rc)
		rc = each_row(c, sql, 2, v->run, v->subject, row_packages, v, err);
	if (!rc)
		rc = each_row(c,
		              "SELECT p.centre_id, COUNT(*) FROM custody_incidents i JOIN "
		              "paper_packages p ON p.id = i.package_id WHERE p.run_id = $1 AND "
		              "p.subject_id = $2 AND i.status = 'open' GROUP BY p.centre_id",
		              2, v->run, v->subject, row_incidents, v, err);
	if (!rc)
		rc = each_row(
		        c,
		        "SELECT centre_id, COUNT(*) FROM exam_incidents WHERE exam_id = $1 AND "
		        "status = 'open' AND subject_id = $2 GROUP BY centre_id",
		        2, v->exam, v->subject, row_incidents, v, err);
	if (!rc)
		rc = each_row(c, "SELECT id, parent_id FROM units", 0, 0, 0, row_unit, v, err);
	if (!rc) {
		qsort(v->u, v->nu, sizeof *v->u, cmp_unit);
		const struct lcentre **p = kw_xmalloc((v->nc ? v->nc : 1) * sizeof *p);
		for (size_t i = 0; i < v->nc; i++)
			p[i] = &v->c[i];
		qsort(p, v->nc, sizeof *p, cmp_code);
		v->by_code = kw_xmalloc((v->nc ? v->nc : 1) * sizeof *v->by_code);
		for (size_t i = 0; i < v->nc; i++)
			v->by_code[i] = (size_t)(p[i] - v->c);
		free(p);
	}
	return rc;
}

/* The exam, subject and published run of a view to be; NOT_FOUND when any is missing. */
static int view_head(struct kw_conn *c, int64_t exam, const char *subject, struct lview *v,
                     struct kw_err *err)
{
	struct kw_stmt *q = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT e.unit_id, e.code, e.name, s.id, s.code, s.name, s.starts_at, "
	        "s.duration_minutes, (SELECT MAX(r.id) FROM seating_runs r WHERE r.exam_id = e.id "
	        "AND r.status = 'published') FROM exams e JOIN subjects s ON s.exam_id = e.id AND "
	        "s.code = $2 WHERE e.id = $1",
	        &q, err);
	int found = 0;
	if (!rc) {
		kw_stmt_bind_int64(q, 1, exam);
		kw_stmt_bind_textz(q, 2, subject);
		if ((rc = kw_stmt_step(q, err)) == KW_ROW && !kw_stmt_column_is_null(q, 8)) {
			found = 1;
			v->exam = exam;
			v->exam_unit = kw_stmt_column_int64(q, 0);
			kw_stmt_column_copy(q, 1, v->exam_code, sizeof v->exam_code);
			kw_stmt_column_copy(q, 2, v->exam_name, sizeof v->exam_name);
			v->subject = kw_stmt_column_int64(q, 3);
			kw_stmt_column_copy(q, 4, v->subject_code, sizeof v->subject_code);
			kw_stmt_column_copy(q, 5, v->subject_name, sizeof v->subject_name);
			kw_stmt_column_copy(q, 6, v->starts_at, sizeof v->starts_at);
			v->duration = kw_stmt_column_int64(q, 7);
			v->run = kw_stmt_column_int64(q, 8);
		}
		rc = kw_step_ok(rc);
	}
	kw_stmt_finalize(q);
	if (!rc && !found)
		rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL,
		                "no such exam or subject, or the exam is not seated");
	return rc;
}

/* The view of (exam, subject), loading it when this process has none; ready on return. */
static int view_get(struct kw_app *app, int64_t exam, const char *subject, struct lview **out,
                    struct kw_err *err)
{
	struct kw_live *l = app->live;
	struct lview head;
	memset(&head, 0, sizeof head);
	struct kw_conn *c = kw_pool_get(app->pool);
	int rc = view_head(c, exam, subject, &head, err);
	kw_pool_put(app->pool, c);
	if (rc)
		return rc;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		struct lview *v = NULL;
		for (size_t i = 0; i < l->nv && !v; i++)
			if (l->v[i]->exam == exam && l->v[i]->subject == head.subject &&
			    l->v[i]->run == head.run)
				v = l->v[i];
		if (v && v->state == 1) {
			pthread_mutex_unlock(&l->mu);
			*out = v;
			return 0;
		}
		if (!v)
			break;
		pthread_cond_wait(&l->cv, &l->mu); /* another request loads it */
	}
	/* this request loads it; events meanwhile are kept in pending */
	struct lview *v = kw_xcalloc(1, sizeof *v);
	*v = head;
	if (l->nv == l->av) {
		l->av = l->av ? l->av * 2 : 8;
		l->v = kw_xrealloc(l->v, l->av * sizeof *l->v);
	}
	l->v[l->nv++] = v;
	pthread_mutex_unlock(&l->mu);
	c = kw_pool_get(app->pool);
	rc = view_load(c, v, err);
	kw_pool_put(app->pool, c);
	pthread_mutex_lock(&l->mu);
	if (rc) {
		for (size_t i = 0; i < l->nv; i++)
			if (l->v[i] == v)
				l->v[i] = l->v[--l->nv];
		view_free(v);
		v = NULL;
	} else {
		v->state = 1;
		uint64_t ver = ++l->version;
		for (size_t k = 0; k < v->nc; k++)
			v->c[k].version = ver;
		for (size_t k = 0; k < v->npending; k++) {
			if (!v->pending[k]) {
				for (size_t j = 0; j < v->nc; j++)
					mark(v, &v->c[j]);
			} else {
				struct lcentre *ce = centre_at(v, v->pending[k]);
				if (ce)
					mark(v, ce);
			}
		}
		v->npending = 0;
	}
	pthread_mutex_unlock(&l->mu);
	pthread_cond_broadcast(&l->cv);
	*out = v;
	return rc;
}

int kw_live_open(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                 const char *subject, struct kw_live_sub **out, struct kw_err *err)
{
	*out = NULL;
	if (!app->live || !s || s->candidate_id)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	int64_t units[64];
	int n = 0, any = 0;
	kw_authz_units(s, "command.read", units, 64, &n, &any);
	if (!any && !n)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	struct lview *v = NULL;
	int rc = view_get(app, exam, subject, &v, err);
	if (rc)
		return rc;
	struct kw_live_sub *sub = kw_xcalloc(1, sizeof *sub);
	sub->l = app->live;
	sub->v = v;
	/* the view's centres and units are fixed once loaded: read without the mutex */
	sub->all = any || under(v, v->exam_unit, units, n);
	size_t seen = 0;
	if (!sub->all) {
		sub->allowed = kw_xcalloc(v->nc ? v->nc : 1, 1);
		for (size_t k = 0; k < v->nc; k++)
			if (under(v, v->c[k].unit, units, n) || under(v, v->c[k].area, units, n))
				seen += sub->allowed[k] = 1;
	}
	if (!sub->all && !seen) {
		kw_live_close(sub);
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such exam");
	}
	*out = sub;
	return 0;
}

void kw_live_close(struct kw_live_sub *sub)
{
	if (!sub)
		return;
	free(sub->allowed);
	free(sub);
}

/* ---- rows ---- */

static const char *state_of(const struct lcentre *c)
{
	if (c->incidents > 0)
		return "incident";
	if (c->rooms > 0 && c->rooms_closed == c->rooms)
		return "closed";
	if (c->rooms_open > 0)
		return "open";
	if (c->packages > 0 && c->received == c->packages)
		return "papers";
	return "waiting";
}

static json_t *row_json(const struct lcentre *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, "
	                 "s:I}",
	                 "id", (json_int_t)c->id, "code", c->code, "name", c->name, "area",
	                 c->area_name, "rooms", (json_int_t)c->rooms, "rooms_open",
	                 (json_int_t)c->rooms_open, "rooms_closed", (json_int_t)c->rooms_closed,
	                 "seated", (json_int_t)c->seated, "present", (json_int_t)c->present,
	                 "packages", (json_int_t)c->packages, "received", (json_int_t)c->received,
	                 "in_rooms", (json_int_t)c->in_rooms, "incidents", (json_int_t)c->incidents,
	                 "state", state_of(c), "version", (json_int_t)c->version);
}

struct totals {
	int64_t centres, rooms, rooms_open, rooms_closed, seated, present, packages, received,
	        in_rooms, incidents, by_state[5];
};

static const char *const STATES[5] = {"incident", "closed", "open", "papers", "waiting"};

static void totals_add(struct totals *t, const struct lcentre *c)
{
	t->centres++;
	t->rooms += c->rooms;
	t->rooms_open += c->rooms_open;
	t->rooms_closed += c->rooms_closed;
	t->seated += c->seated;
	t->present += c->present;
	t->packages += c->packages;
	t->received += c->received;
	t->in_rooms += c->in_rooms;
	t->incidents += c->incidents;
	const char *st = state_of(c);
	for (int k = 0; k < 5; k++)
		if (st == STATES[k])
			t->by_state[k]++;
}

static json_t *totals_json(const struct totals *t)
{
	json_t *bs = json_object();
	for (int k = 0; k < 5; k++)
		json_object_set_new(bs, STATES[k], json_integer((json_int_t)t->by_state[k]));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "centres",
	                 (json_int_t)t->centres, "rooms", (json_int_t)t->rooms, "rooms_open",
	                 (json_int_t)t->rooms_open, "rooms_closed", (json_int_t)t->rooms_closed,
	                 "seated", (json_int_t)t->seated, "present", (json_int_t)t->present,
	                 "packages", (json_int_t)t->packages, "received", (json_int_t)t->received,
	                 "in_rooms", (json_int_t)t->in_rooms, "incidents", (json_int_t)t->incidents,
	                 "by_state", bs);
}

static int contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

json_t *kw_live_snapshot(struct kw_app *app, struct kw_live_sub *sub, const char *state,
                         const char *q, int64_t offset, int64_t limit)
{
	(void)app;
	struct kw_live *l = sub->l;
	struct lview *v = sub->v;
	json_t *rows = json_array();
	struct totals t;
	memset(&t, 0, sizeof t);
	int64_t matched = 0;
	pthread_mutex_lock(&l->mu);
	for (size_t i = 0; i < v->nc; i++) {
		size_t k = v->by_code[i];
		const struct lcentre *c = &v->c[k];
		if (!sub->all && !sub->allowed[k])
			continue;
		totals_add(&t, c);
		if (state && *state && strcmp(state, state_of(c)) != 0)
			continue;
		if (q && *q && !contains(c->code, q) && !contains(c->name, q) &&
		    !contains(c->area_name, q))
			continue;
		if (matched++ >= offset && (int64_t)json_array_size(rows) < limit)
			json_array_append_new(rows, row_json(c));
	}
	sub->version = l->version;
	json_t *out = json_pack(
	        "{s:{s:I, s:s, s:s}, s:{s:I, s:s, s:s, s:s, s:I}, s:I, s:o, s:I, s:o}", "exam",
	        "id", (json_int_t)v->exam, "code", v->exam_code, "name", v->exam_name, "subject",
	        "id", (json_int_t)v->subject, "code", v->subject_code, "name", v->subject_name,
	        "starts_at", v->starts_at, "duration_minutes", (json_int_t)v->duration, "version",
	        (json_int_t)sub->version, "totals", totals_json(&t), "matched", (json_int_t)matched,
	        "centres", rows);
	pthread_mutex_unlock(&l->mu);
	return out;
}

json_t *kw_live_changes(struct kw_app *app, struct kw_live_sub *sub)
{
	(void)app;
	struct kw_live *l = sub->l;
	struct lview *v = sub->v;
	pthread_mutex_lock(&l->mu);
	if (l->version == sub->version) {
		pthread_mutex_unlock(&l->mu);
		return NULL;
	}
	json_t *rows = json_array();
	struct totals t;
	memset(&t, 0, sizeof t);
	for (size_t k = 0; k < v->nc; k++) {
		const struct lcentre *c = &v->c[k];
		if (!sub->all && !sub->allowed[k])
			continue;
		totals_add(&t, c);
		if (c->version > sub->version)
			json_array_append_new(rows, row_json(c));
	}
	sub->version = l->version;
	json_t *out = NULL;
	if (json_array_size(rows))
		out = json_pack("{s:I, s:o, s:o}", "version", (json_int_t)sub->version, "totals",
		                totals_json(&t), "centres", rows);
	else
		json_decref(rows);
	pthread_mutex_unlock(&l->mu);
	return out;
}
