#include "core/proctor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static const char *const duty_names[] = {"chief", "proctor", "roving"};

void kw_proctor_result_release(struct kw_proctor_result *r)
{
	free(r->v);
	free(r->shorts);
	memset(r, 0, sizeof *r);
}

struct ctx {
	const struct kw_proctor_inputs *in;
	struct kw_proctor_result *r;
	size_t cap, scap;
};

static void assign(struct ctx *c, uint32_t staff, int duty, uint32_t centre, int64_t room,
                   int floor)
{
	if (c->r->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->r->v = kw_xrealloc(c->r->v, c->cap * sizeof *c->r->v);
	}
	c->r->v[c->r->n++] = (struct kw_proctor_assignment){staff, duty, centre, room, floor};
}

static void short_of(struct ctx *c, uint32_t centre, int duty, int cbt, uint32_t needed,
                     uint32_t available)
{
	if (c->r->nshorts == c->scap) {
		c->scap = c->scap ? c->scap * 2 : 16;
		c->r->shorts = kw_xrealloc(c->r->shorts, c->scap * sizeof *c->r->shorts);
	}
	c->r->shorts[c->r->nshorts++] =
	        (struct kw_proctor_short){centre, duty, cbt, needed, available};
}

/* The area's staff of one duty, in id order, shuffled by the duty's stream; *n of them. */
static int pool(const struct kw_proctor_inputs *in, const uint8_t *seed, uint32_t area, int duty,
                uint32_t **out, size_t *n, struct kw_err *err)
{
	uint32_t *ids = kw_xcalloc(in->nstaff ? in->nstaff : 1, sizeof *ids);
	size_t m = 0;
	for (size_t i = 0; i < in->nstaff; i++)
		if (in->staff[i].area == area && in->staff[i].duty == duty)
			ids[m++] = (uint32_t)i;
	char purpose[200];
	snprintf(purpose, sizeof purpose, "proctor:exam=%s:sitting=%d:area=%s:duty=%s", in->exam,
	         in->sitting, in->areas[area], duty_names[duty]);
	struct kw_draw_stream s;
	int rc = kw_draw_stream_init(&s, seed, purpose, err);
	if (rc) {
		free(ids);
		return rc;
	}
	uint32_t *perm = kw_xcalloc(m ? m : 1, sizeof *perm);
	kw_draw_shuffle(&s, m, perm);
	kw_draw_stream_release(&s);
	*out = kw_xcalloc(m ? m : 1, sizeof **out);
	for (size_t k = 0; k < m; k++)
		(*out)[k] = ids[perm[k]];
	*n = m;
	free(perm);
	free(ids);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static int area_draw(struct ctx *c, const uint8_t *seed, uint32_t a, struct kw_err *err)
{
	const struct kw_proctor_inputs *in = c->in;
	uint32_t *p = NULL;
	size_t np = 0;
	/* 1. one chief examiner per centre that has rooms */
	int rc = pool(in, seed, a, KW_DUTY_CHIEF, &p, &np, err);
	if (rc)
		return rc;
	size_t k = 0;
	for (size_t ce = 0; ce < in->ncentres; ce++) {
		if (in->centres[ce].area != a)
			continue;
		int used = 0;
		for (size_t r = 0; r < in->nrooms && !used; r++)
			used = in->rooms[r].centre == ce;
		if (!used)
			continue;
		if (k < np)
			assign(c, p[k++], KW_DUTY_CHIEF, (uint32_t)ce, -1, 0);
		else
			short_of(c, (uint32_t)ce, KW_DUTY_CHIEF, 0, 1, 0);
	}
	free(p);
	/* 2. proctors: a CBT-capable one for each CBT room first, then fill every room */
	rc = pool(in, seed, a, KW_DUTY_PROCTOR, &p, &np, err);
	if (rc)
		return rc;
	char *taken = kw_xcalloc(np ? np : 1, 1);
	uint32_t *have = kw_xcalloc(in->nrooms ? in->nrooms : 1, sizeof *have);
	for (size_t r = 0; r < in->nrooms; r++) {
		if (in->centres[in->rooms[r].centre].area != a || !in->rooms[r].cbt)
			continue;
		size_t q;
		for (q = 0; q < np && (taken[q] || !in->staff[p[q]].cbt); q++)
			;
		if (q < np) {
			taken[q] = 1;
			have[r]++;
			assign(c, p[q], KW_DUTY_PROCTOR, in->rooms[r].centre, (int64_t)r, 0);
		} else {
			short_of(c, in->rooms[r].centre, KW_DUTY_PROCTOR, 1, 1, 0);
		}
	}
	size_t q = 0;
	for (size_t r = 0; r < in->nrooms; r++) {
		if (in->centres[in->rooms[r].centre].area != a)
			continue;
		while (have[r] < (uint32_t)in->per_room) {
			while (q < np && taken[q])
				q++;
			if (q >= np)
				break;
			taken[q] = 1;
			have[r]++;
			assign(c, p[q], KW_DUTY_PROCTOR, in->rooms[r].centre, (int64_t)r, 0);
		}
		if (have[r] < (uint32_t)in->per_room)
			short_of(c, in->rooms[r].centre, KW_DUTY_PROCTOR, 0, (uint32_t)in->per_room,
			         have[r]);
	}
	free(taken);
	free(have);
	free(p);
	/* 3. roving proctors per (centre, floor) in use */
	rc = pool(in, seed, a, KW_DUTY_ROVING, &p, &np, err);
	if (rc)
		return rc;
	k = 0;
	for (size_t ce = 0; ce < in->ncentres; ce++) {
		if (in->centres[ce].area != a)
			continue;
		int floors[256];
		size_t nf = 0;
		for (size_t r = 0; r < in->nrooms && nf < 256; r++) {
			if (in->rooms[r].centre != ce)
				continue;
			size_t f;
			for (f = 0; f < nf && floors[f] != in->rooms[r].floor; f++)
				;
			if (f == nf)
				floors[nf++] = in->rooms[r].floor;
		}
		qsort(floors, nf, sizeof floors[0], cmp_int);
		for (size_t f = 0; f < nf; f++)
			for (int w = 0; w < in->roving_per_floor; w++) {
				if (k < np)
					assign(c, p[k++], KW_DUTY_ROVING, (uint32_t)ce, -1,
					       floors[f]);
				else
					short_of(c, (uint32_t)ce, KW_DUTY_ROVING, 0,
					         (uint32_t)in->roving_per_floor, (uint32_t)w);
			}
	}
	free(p);
	return 0;
}

int kw_proctor_draw(const struct kw_proctor_inputs *in, const uint8_t seed[KW_DRAW_SEED_BYTES],
                    struct kw_proctor_result *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	struct ctx c = {.in = in, .r = r};
	for (uint32_t a = 0; a < in->nareas; a++) {
		int rc = area_draw(&c, seed, a, err);
		if (rc)
			return rc;
	}
	if (r->nshorts) {
		free(r->v);
		r->v = NULL;
		r->n = 0;
		return kw_err_set(err, KW_ERULE, "PROCTORS_SHORT", "SEAT-2",
		                  "too few eligible staff: %zu gaps", r->nshorts);
	}
	return 0;
}
