#include "core/proctor.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "kaowu-proctor-inputs/1"

static const char *const duty_names[] = {"chief", "proctor", "roving"};

const char *kw_proctor_duty_name(int duty)
{
	return duty >= KW_DUTY_CHIEF && duty <= KW_DUTY_ROVING ? duty_names[duty] : "?";
}

int kw_proctor_duty_parse(const char *s)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, duty_names[i]) == 0)
			return i;
	return -1;
}

void kw_proctor_result_release(struct kw_proctor_result *r)
{
	free(r->v);
	free(r->shorts);
	memset(r, 0, sizeof *r);
}

static int invalid(struct kw_err *err, const char *what)
{
	return kw_err_set(err, KW_EINVAL, "PROCTOR_INPUTS_INVALID", "SEAT-2",
	                  "proctor lottery inputs: %s", what);
}

/* ---- the draw ---- */

/* Items 0..n-1 grouped by key (< k), each group in item order: group g is
 * list[off[g] … off[g+1]-1]. */
struct buckets {
	size_t *off;
	uint32_t *list;
};

static void buckets_make(struct buckets *b, const uint32_t *keys, size_t n, size_t k)
{
	b->off = kw_xcalloc(k + 1, sizeof *b->off);
	for (size_t i = 0; i < n; i++)
		b->off[keys[i] + 1]++;
	for (size_t g = 0; g < k; g++)
		b->off[g + 1] += b->off[g];
	size_t *fill = kw_xcalloc(k ? k : 1, sizeof *fill);
	memcpy(fill, b->off, k * sizeof *fill);
	b->list = kw_xcalloc(n ? n : 1, sizeof *b->list);
	for (size_t i = 0; i < n; i++)
		b->list[fill[keys[i]]++] = (uint32_t)i;
	free(fill);
}

static void buckets_release(struct buckets *b)
{
	free(b->off);
	free(b->list);
}

struct ctx {
	const struct kw_proctor_inputs *in;
	struct kw_proctor_result *r;
	size_t cap, scap;
	struct buckets area_centres; /* centres of each area */
	struct buckets area_rooms;   /* rooms of each area */
	struct buckets centre_rooms; /* rooms of each centre */
	struct buckets pools;        /* staff of each (area, duty): key area * 3 + duty */
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

static void short_of(struct ctx *c, uint32_t centre, int duty, int cbt, int64_t room, int floor,
                     uint32_t needed, uint32_t available)
{
	if (c->r->nshorts == c->scap) {
		c->scap = c->scap ? c->scap * 2 : 16;
		c->r->shorts = kw_xrealloc(c->r->shorts, c->scap * sizeof *c->r->shorts);
	}
	c->r->shorts[c->r->nshorts++] =
	        (struct kw_proctor_short){centre, duty, cbt, room, floor, needed, available};
}

/* The area's staff of one duty, in staff order, shuffled by the duty's stream; *n of them. */
static int pool(struct ctx *c, const uint8_t *seed, uint32_t area, int duty, uint32_t **out,
                size_t *n, struct kw_err *err)
{
	const struct kw_proctor_inputs *in = c->in;
	size_t key = (size_t)area * 3 + (size_t)duty;
	size_t lo = c->pools.off[key], m = c->pools.off[key + 1] - lo;
	char purpose[2 * KW_PROCTOR_CODE_MAX + 96];
	snprintf(purpose, sizeof purpose, "proctor:exam=%s:sitting=%d:area=%s:duty=%s", in->exam,
	         in->sitting, in->areas[area], duty_names[duty]);
	struct kw_draw_stream s;
	int rc = kw_draw_stream_init(&s, seed, purpose, err);
	if (rc)
		return rc;
	uint32_t *perm = kw_xcalloc(m ? m : 1, sizeof *perm);
	kw_draw_shuffle(&s, m, perm);
	kw_draw_stream_release(&s);
	*out = kw_xcalloc(m ? m : 1, sizeof **out);
	for (size_t k = 0; k < m; k++)
		(*out)[k] = c->pools.list[lo + perm[k]];
	*n = m;
	free(perm);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static int area_draw(struct ctx *c, const uint8_t *seed, uint32_t a, struct kw_err *err)
{
	const struct kw_proctor_inputs *in = c->in;
	const uint32_t *ac = c->area_centres.list + c->area_centres.off[a];
	size_t nac = c->area_centres.off[a + 1] - c->area_centres.off[a];
	const uint32_t *ar = c->area_rooms.list + c->area_rooms.off[a];
	size_t nar = c->area_rooms.off[a + 1] - c->area_rooms.off[a];
	uint32_t *p = NULL;
	size_t np = 0;
	/* 1. one chief examiner per centre that has rooms */
	int rc = pool(c, seed, a, KW_DUTY_CHIEF, &p, &np, err);
	if (rc)
		return rc;
	size_t k = 0;
	for (size_t i = 0; i < nac; i++) {
		uint32_t ce = ac[i];
		if (c->centre_rooms.off[ce + 1] == c->centre_rooms.off[ce])
			continue;
		if (k < np)
			assign(c, p[k++], KW_DUTY_CHIEF, ce, -1, 0);
		else
			short_of(c, ce, KW_DUTY_CHIEF, 0, -1, 0, 1, 0);
	}
	free(p);
	/* 2. proctors: a CBT-capable one for each CBT room first, then fill every room */
	rc = pool(c, seed, a, KW_DUTY_PROCTOR, &p, &np, err);
	if (rc)
		return rc;
	char *taken = kw_xcalloc(np ? np : 1, 1);
	uint32_t *have = kw_xcalloc(nar ? nar : 1, sizeof *have);
	/* the first CBT-capable one left: everything before cq is taken or not CBT-capable */
	size_t cq = 0;
	for (size_t j = 0; j < nar; j++) {
		uint32_t r = ar[j];
		if (!in->rooms[r].cbt)
			continue;
		while (cq < np && (taken[cq] || !in->staff[p[cq]].cbt))
			cq++;
		if (cq < np) {
			taken[cq] = 1;
			have[j]++;
			assign(c, p[cq], KW_DUTY_PROCTOR, in->rooms[r].centre, (int64_t)r, 0);
		} else {
			short_of(c, in->rooms[r].centre, KW_DUTY_PROCTOR, 1, (int64_t)r, 0, 1, 0);
		}
	}
	size_t q = 0;
	for (size_t j = 0; j < nar; j++) {
		uint32_t r = ar[j];
		while (have[j] < (uint32_t)in->per_room) {
			while (q < np && taken[q])
				q++;
			if (q >= np)
				break;
			taken[q] = 1;
			have[j]++;
			assign(c, p[q], KW_DUTY_PROCTOR, in->rooms[r].centre, (int64_t)r, 0);
		}
		if (have[j] < (uint32_t)in->per_room)
			short_of(c, in->rooms[r].centre, KW_DUTY_PROCTOR, 0, (int64_t)r, 0,
			         (uint32_t)in->per_room, have[j]);
	}
	free(taken);
	free(have);
	free(p);
	/* 3. roving proctors per (centre, floor) in use, floors in ascending order */
	rc = pool(c, seed, a, KW_DUTY_ROVING, &p, &np, err);
	if (rc)
		return rc;
	k = 0;
	for (size_t i = 0; i < nac; i++) {
		uint32_t ce = ac[i];
		size_t lo = c->centre_rooms.off[ce], nr = c->centre_rooms.off[ce + 1] - lo;
		int *floors = kw_xcalloc(nr ? nr : 1, sizeof *floors);
		for (size_t j = 0; j < nr; j++)
			floors[j] = in->rooms[c->centre_rooms.list[lo + j]].floor;
		qsort(floors, nr, sizeof *floors, cmp_int);
		for (size_t f = 0; f < nr; f++) {
			if (f && floors[f] == floors[f - 1])
				continue;
			uint32_t got = 0;
			for (int w = 0; w < in->roving_per_floor && k < np; w++, got++)
				assign(c, p[k++], KW_DUTY_ROVING, ce, -1, floors[f]);
			if (got < (uint32_t)in->roving_per_floor)
				short_of(c, ce, KW_DUTY_ROVING, 0, -1, floors[f],
				         (uint32_t)in->roving_per_floor, got);
		}
		free(floors);
	}
	free(p);
	return 0;
}

/* The indexes and numbers the draw relies on; the order is kw_proctor_inputs_check's. */
static int draw_inputs_ok(const struct kw_proctor_inputs *in, struct kw_err *err)
{
	if (!in->exam || strlen(in->exam) > KW_PROCTOR_CODE_MAX || in->per_room < 0 ||
	    in->per_room > KW_PROCTOR_PER_ROOM_MAX || in->roving_per_floor < 0 ||
	    in->roving_per_floor > KW_PROCTOR_PER_ROOM_MAX || in->nstaff > UINT32_MAX ||
	    in->nrooms > UINT32_MAX || in->ncentres > UINT32_MAX || in->nareas > UINT32_MAX / 4)
		return invalid(err, "a number out of range");
	for (size_t i = 0; i < in->nareas; i++)
		if (!in->areas[i] || strlen(in->areas[i]) > KW_PROCTOR_CODE_MAX)
			return invalid(err, "an area code");
	for (size_t i = 0; i < in->ncentres; i++)
		if (in->centres[i].area >= in->nareas)
			return invalid(err, "a centre's area");
	for (size_t i = 0; i < in->nrooms; i++)
		if (in->rooms[i].centre >= in->ncentres)
			return invalid(err, "a room's centre");
	for (size_t i = 0; i < in->nstaff; i++)
		if (in->staff[i].area >= in->nareas || in->staff[i].duty < KW_DUTY_CHIEF ||
		    in->staff[i].duty > KW_DUTY_ROVING)
			return invalid(err, "a staff member's area or duty");
	return 0;
}

int kw_proctor_draw(const struct kw_proctor_inputs *in, const uint8_t seed[KW_DRAW_SEED_BYTES],
                    struct kw_proctor_result *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	int rc = draw_inputs_ok(in, err);
	if (rc)
		return rc;
	struct ctx c = {.in = in, .r = r};
	size_t nkeys = in->ncentres > in->nrooms ? in->ncentres : in->nrooms;
	if (in->nstaff > nkeys)
		nkeys = in->nstaff;
	uint32_t *keys = kw_xcalloc(nkeys ? nkeys : 1, sizeof *keys);
	for (size_t i = 0; i < in->ncentres; i++)
		keys[i] = in->centres[i].area;
	buckets_make(&c.area_centres, keys, in->ncentres, in->nareas);
	for (size_t i = 0; i < in->nrooms; i++)
		keys[i] = in->centres[in->rooms[i].centre].area;
	buckets_make(&c.area_rooms, keys, in->nrooms, in->nareas);
	for (size_t i = 0; i < in->nrooms; i++)
		keys[i] = in->rooms[i].centre;
	buckets_make(&c.centre_rooms, keys, in->nrooms, in->ncentres);
	for (size_t i = 0; i < in->nstaff; i++)
		keys[i] = in->staff[i].area * 3 + (uint32_t)in->staff[i].duty;
	buckets_make(&c.pools, keys, in->nstaff, in->nareas * 3);
	free(keys);
	for (uint32_t a = 0; !rc && a < in->nareas; a++)
		rc = area_draw(&c, seed, a, err);
	buckets_release(&c.area_centres);
	buckets_release(&c.area_rooms);
	buckets_release(&c.centre_rooms);
	buckets_release(&c.pools);
	if (rc) {
		kw_proctor_result_release(r);
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

/* ---- the inputs file ---- */

/* 1..KW_PROCTOR_CODE_MAX bytes, no control characters (so no TAB or line end). */
static int code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > KW_PROCTOR_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int kw_proctor_inputs_check(const struct kw_proctor_inputs *in, struct kw_err *err)
{
	if (!code_ok(in->exam))
		return invalid(err, "the exam code");
	if (in->sitting < 0 || in->sitting > KW_PROCTOR_SITTINGS_MAX || in->per_room < 1 ||
	    in->per_room > KW_PROCTOR_PER_ROOM_MAX || in->roving_per_floor < 0 ||
	    in->roving_per_floor > KW_PROCTOR_PER_ROOM_MAX)
		return invalid(err, "the sitting or the rule");
	int rc = draw_inputs_ok(in, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < in->nareas; i++)
		if (!code_ok(in->areas[i]) || (i && strcmp(in->areas[i - 1], in->areas[i]) >= 0))
			return invalid(err, "areas not in code order");
	char *has = kw_xcalloc(in->nareas + in->ncentres + 1, 1);
	for (size_t i = 0; !rc && i < in->ncentres; i++) {
		const struct kw_proctor_centre *x = &in->centres[i], *w = i ? x - 1 : NULL;
		if (!code_ok(x->code) ||
		    (w &&
		     (w->area > x->area || (w->area == x->area && strcmp(w->code, x->code) >= 0))))
			rc = invalid(err, "centres not in (area, code) order");
		has[x->area] = 1;
	}
	for (size_t i = 0; !rc && i < in->nrooms; i++) {
		const struct kw_proctor_room *x = &in->rooms[i], *w = i ? x - 1 : NULL;
		if (x->number < 1 || x->number > KW_PROCTOR_NUMBER_MAX ||
		    x->floor < KW_PROCTOR_FLOOR_MIN || x->floor > KW_PROCTOR_FLOOR_MAX ||
		    (x->cbt != 0 && x->cbt != 1) ||
		    (w &&
		     (w->centre > x->centre || (w->centre == x->centre && w->number >= x->number))))
			rc = invalid(err, "rooms not in (centre, number) order");
		has[in->nareas + x->centre] = 1;
	}
	for (size_t i = 0; !rc && i < in->nareas + in->ncentres; i++)
		if (!has[i])
			rc = invalid(err, "an area without a centre or a centre without a room");
	free(has);
	for (size_t i = 0; !rc && i < in->nstaff; i++)
		if ((in->staff[i].cbt != 0 && in->staff[i].cbt != 1) ||
		    (i && in->staff[i - 1].id >= in->staff[i].id))
			rc = invalid(err, "staff not in order");
	return rc;
}

int kw_proctor_inputs_write(const struct kw_proctor_inputs *in, struct kw_buf *out)
{
	int rc = kw_buf_addf(
	        out, HEADER "\nexam\t%s\nsitting\t%d\nrule\tper_room=%d\troving_per_floor=%d\n",
	        in->exam, in->sitting, in->per_room, in->roving_per_floor);
	for (size_t i = 0; !rc && i < in->nrooms; i++) {
		const struct kw_proctor_room *x = &in->rooms[i];
		const struct kw_proctor_centre *ce = &in->centres[x->centre];
		rc = kw_buf_addf(out, "room\t%s\t%s\t%u\t%d\t%d\n", in->areas[ce->area], ce->code,
		                 x->number, x->floor, x->cbt);
	}
	for (size_t i = 0; !rc && i < in->nstaff; i++)
		rc = kw_buf_addf(out, "staff\t%zu\t%s\t%s\t%d\n", i + 1,
		                 in->areas[in->staff[i].area], duty_names[in->staff[i].duty],
		                 in->staff[i].cbt);
	return rc;
}

void kw_proctor_parsed_release(struct kw_proctor_parsed *p)
{
	for (size_t i = 0; i < p->in.nareas; i++)
		free(p->areas[i]);
	for (size_t i = 0; i < p->in.ncentres; i++)
		free(p->centre_codes[i]);
	free(p->areas);
	free(p->centre_codes);
	free(p->centres);
	free(p->rooms);
	free(p->staff);
	memset(p, 0, sizeof *p);
}

/* A canonical decimal ("0" or no leading zero), optionally negative (never "-0"), in
 * [lo, hi]. */
static int num(const char *s, long lo, long hi, long *out)
{
	int neg = *s == '-';
	const char *d = s + neg;
	if (!*d || (d[0] == '0' && (d[1] || neg)))
		return -1;
	long v = 0;
	for (; *d; d++) {
		if (*d < '0' || *d > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*d - '0');
	}
	v = neg ? -v : v;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Splits line at TABs into f[0..max-1]; the number of fields, or -1 past max. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	for (char *p = line;;) {
		if (n == max)
			return -1;
		f[n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			return n;
		*tab = '\0';
		p = tab + 1;
	}
}

struct parse {
	struct kw_proctor_parsed *p;
	size_t acap, ccap, rcap, scap;
	int stage; /* the next line expected: 1 exam, 2 sitting, 3 rule, 4 room or staff, 5 staff */
};

static int cmp_area(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

static int parse_line(struct parse *ps, char *line)
{
	struct kw_proctor_parsed *p = ps->p;
	struct kw_proctor_inputs *in = &p->in;
	char *f[8] = {0}; /* all set by split before use; gcc -O2 cannot tell */
	int nf = split(line, f, 8);
	long v, w;
	if (nf < 2)
		return -1;
	if (ps->stage == 1 && nf == 2 && strcmp(f[0], "exam") == 0 && code_ok(f[1])) {
		snprintf(p->exam, sizeof p->exam, "%s", f[1]);
		ps->stage = 2;
		return 0;
	}
	if (ps->stage == 2 && nf == 2 && strcmp(f[0], "sitting") == 0 &&
	    num(f[1], 0, KW_PROCTOR_SITTINGS_MAX, &v) == 0) {
		in->sitting = (int)v;
		ps->stage = 3;
		return 0;
	}
	if (ps->stage == 3 && nf == 3 && strcmp(f[0], "rule") == 0 &&
	    strncmp(f[1], "per_room=", 9) == 0 && strncmp(f[2], "roving_per_floor=", 17) == 0 &&
	    num(f[1] + 9, 1, KW_PROCTOR_PER_ROOM_MAX, &v) == 0 &&
	    num(f[2] + 17, 0, KW_PROCTOR_PER_ROOM_MAX, &w) == 0) {
		in->per_room = (int)v;
		in->roving_per_floor = (int)w;
		ps->stage = 4;
		return 0;
	}
	if (ps->stage == 4 && nf == 6 && strcmp(f[0], "room") == 0) {
		long floor, cbt;
		if (!code_ok(f[1]) || !code_ok(f[2]) || num(f[3], 1, KW_PROCTOR_NUMBER_MAX, &v) ||
		    num(f[4], KW_PROCTOR_FLOOR_MIN, KW_PROCTOR_FLOOR_MAX, &floor) ||
		    num(f[5], 0, 1, &cbt))
			return -1;
		size_t na = in->nareas, nc = in->ncentres;
		int cmp_a = na ? strcmp(f[1], p->areas[na - 1]) : 1;
		if (cmp_a < 0)
			return -1; /* areas in code order */
		if (cmp_a > 0) {
			if (na == ps->acap) {
				ps->acap = ps->acap ? ps->acap * 2 : 16;
				p->areas = kw_xrealloc(p->areas, ps->acap * sizeof *p->areas);
			}
			p->areas[in->nareas++] = kw_xstrdup(f[1]);
		}
		int cmp_c = cmp_a == 0 ? strcmp(f[2], p->centre_codes[nc - 1]) : 1;
		if (cmp_c < 0)
			return -1; /* centres in code order within their area */
		if (cmp_c > 0) {
			if (nc == ps->ccap) {
				ps->ccap = ps->ccap ? ps->ccap * 2 : 16;
				p->centre_codes = kw_xrealloc(p->centre_codes,
				                              ps->ccap * sizeof *p->centre_codes);
				p->centres = kw_xrealloc(p->centres, ps->ccap * sizeof *p->centres);
			}
			p->centre_codes[nc] = kw_xstrdup(f[2]);
			p->centres[nc] =
			        (struct kw_proctor_centre){(uint32_t)(in->nareas - 1), NULL};
			in->ncentres++;
		} else if (p->rooms[in->nrooms - 1].number >= (uint32_t)v) {
			return -1; /* rooms in number order within their centre */
		}
		if (in->nrooms == ps->rcap) {
			ps->rcap = ps->rcap ? ps->rcap * 2 : 64;
			p->rooms = kw_xrealloc(p->rooms, ps->rcap * sizeof *p->rooms);
		}
		p->rooms[in->nrooms++] = (struct kw_proctor_room){
		        .centre = (uint32_t)(in->ncentres - 1),
		        .number = (uint32_t)v,
		        .floor = (int)floor,
		        .cbt = (int)cbt,
		};
		return 0;
	}
	if ((ps->stage == 4 || ps->stage == 5) && nf == 5 && strcmp(f[0], "staff") == 0) {
		long cbt;
		int duty = kw_proctor_duty_parse(f[3]);
		char **area =
		        in->nareas ? bsearch(f[2], p->areas, in->nareas, sizeof *p->areas, cmp_area)
		                   : NULL;
		if (num(f[1], 1, (long)in->nstaff + 1, &v) || (size_t)v != in->nstaff + 1 ||
		    !area || duty < 0 || num(f[4], 0, 1, &cbt))
			return -1;
		if (in->nstaff == ps->scap) {
			ps->scap = ps->scap ? ps->scap * 2 : 64;
			p->staff = kw_xrealloc(p->staff, ps->scap * sizeof *p->staff);
		}
		p->staff[in->nstaff++] = (struct kw_proctor_staff){
		        .id = v,
		        .area = (uint32_t)(area - p->areas),
		        .duty = duty,
		        .cbt = (int)cbt,
		};
		ps->stage = 5;
		return 0;
	}
	return -1;
}

int kw_proctor_inputs_parse(const char *text, size_t n, struct kw_proctor_parsed *p,
                            struct kw_err *err)
{
	struct parse ps = {.p = p, .stage = 0};
	size_t lineno = 0, pos = 0, linecap = 0;
	char *line = NULL;
	int rc = 0;
	while (pos < n) {
		const char *nl = memchr(text + pos, '\n', n - pos);
		lineno++;
		if (!nl) {
			rc = -1; /* every line ends with a newline */
			break;
		}
		size_t len = (size_t)(nl - (text + pos));
		if (len + 1 > linecap) {
			linecap = len + 1;
			line = kw_xrealloc(line, linecap);
		}
		memcpy(line, text + pos, len);
		line[len] = '\0';
		pos += len + 1;
		if (memchr(line, '\0', len)) {
			rc = -1;
			break;
		}
		if (ps.stage == 0) {
			rc = strcmp(line, HEADER) == 0 ? 0 : -1;
			ps.stage = 1;
		} else {
			rc = parse_line(&ps, line);
		}
		if (rc)
			break;
	}
	free(line);
	if (!rc && ps.stage < 4) {
		rc = -1; /* the header lines are all there */
		lineno++;
	}
	for (size_t i = 0; i < p->in.ncentres; i++)
		p->centres[i].code = p->centre_codes[i];
	p->in.exam = p->exam;
	p->in.areas = (const char *const *)p->areas;
	p->in.centres = p->centres;
	p->in.rooms = p->rooms;
	p->in.staff = p->staff;
	if (!rc && kw_proctor_inputs_check(&p->in, NULL))
		rc = -1; /* cannot happen: what parses is in order */
	if (rc) {
		kw_err_set(err, KW_EINVAL, "PROCTOR_INPUTS_INVALID", "SEAT-2",
		           "proctor lottery inputs: line %zu is not in the inputs file's form",
		           lineno);
		kw_err_detail(err, "line", json_integer((json_int_t)lineno));
		kw_proctor_parsed_release(p);
		return KW_EINVAL;
	}
	return 0;
}

/* ---- the assignment file ---- */

int kw_proctor_result_write(const struct kw_proctor_inputs *in, const struct kw_proctor_result *r,
                            struct kw_buf *out, char digest[65])
{
	size_t *at = kw_xcalloc(in->nstaff ? in->nstaff : 1, sizeof *at);
	int rc = 0;
	for (size_t i = 0; !rc && i < r->n; i++) {
		const struct kw_proctor_assignment *a = &r->v[i];
		if (a->staff >= in->nstaff || at[a->staff] || a->centre >= in->ncentres ||
		    a->duty < KW_DUTY_CHIEF || a->duty > KW_DUTY_ROVING ||
		    (a->duty == KW_DUTY_PROCTOR) != (a->room >= 0) ||
		    (a->room >= 0 && (size_t)a->room >= in->nrooms))
			rc = KW_EINVAL;
		else
			at[a->staff] = i + 1;
	}
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	for (size_t s = 0; !rc && s < in->nstaff; s++) {
		if (!at[s])
			continue;
		const struct kw_proctor_assignment *a = &r->v[at[s] - 1];
		const struct kw_proctor_centre *ce = &in->centres[a->centre];
		char room[16] = "-", floor[16] = "-", line[2 * KW_PROCTOR_CODE_MAX + 96];
		if (a->room >= 0) {
			snprintf(room, sizeof room, "%u", in->rooms[a->room].number);
			snprintf(floor, sizeof floor, "%d", in->rooms[a->room].floor);
		} else if (a->duty == KW_DUTY_ROVING) {
			snprintf(floor, sizeof floor, "%d", a->floor);
		}
		int len = snprintf(line, sizeof line, "%zu\t%s\t%s\t%s\t%s\t%s\n", s + 1,
		                   duty_names[a->duty], in->areas[ce->area], ce->code, room, floor);
		if (len < 0 || (size_t)len >= sizeof line) {
			rc = KW_EINVAL;
			break;
		}
		crypto_hash_sha256_update(&st, (const unsigned char *)line,
		                          (unsigned long long)len);
		if (out && kw_buf_add(out, line, (size_t)len))
			rc = KW_ETOOBIG;
	}
	free(at);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	if (!rc)
		sodium_bin2hex(digest, 65, h, sizeof h);
	return rc;
}
