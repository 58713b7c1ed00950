#include "core/seat.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bigalloc.h"

#define MAX_CELLS (1u << 26) /* areas × groups: the buckets of the counting sort */

/* ---- the rule ---- */

void kw_seat_rule_default(struct kw_seat_rule *r, int capacity, int year)
{
	memset(r, 0, sizeof *r);
	r->capacity = capacity;
	r->accommodation_capacity = capacity;
	r->columns = 5;
	r->serpentine = 1;
	r->year = year;
	snprintf(r->ticket_scheme, sizeof r->ticket_scheme, "%s",
	         "{year:2}{area:2}{centre:2}{room:3}{seat:2}");
}

static int rule_bad(struct kw_err *err, const char *field, const char *why)
{
	kw_err_set(err, KW_EINVAL, "SEAT_RULE_INVALID", "SEAT-1", "seating rule: %s %s", field,
	           why);
	kw_err_detail(err, "field", json_string(field));
	return KW_EINVAL;
}

static int int_in(const json_t *v, int lo, int hi, int *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return -1;
	*out = (int)json_integer_value(v);
	return 0;
}

int kw_seat_rule_from_json(struct kw_seat_rule *r, const json_t *j, struct kw_err *err)
{
	if (!json_is_object(j))
		return rule_bad(err, "rule", "must be an object");
	struct kw_seat_rule t = *r;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)j, k, v)
	{
		if (strcmp(k, "capacity") == 0) {
			if (int_in(v, 1, 500, &t.capacity))
				return rule_bad(err, k, "must be an integer 1..500");
		} else if (strcmp(k, "accommodation_capacity") == 0) {
			if (int_in(v, 1, 500, &t.accommodation_capacity))
				return rule_bad(err, k, "must be an integer 1..500");
		} else if (strcmp(k, "columns") == 0) {
			if (int_in(v, 1, 40, &t.columns))
				return rule_bad(err, k, "must be an integer 1..40");
		} else if (strcmp(k, "year") == 0) {
			if (int_in(v, 2000, 2099, &t.year))
				return rule_bad(err, k, "must be a year 2000..2099");
		} else if (strcmp(k, "seat_order") == 0) {
			const char *s = json_string_value(v);
			if (s && strcmp(s, "serpentine") == 0)
				t.serpentine = 1;
			else if (s && strcmp(s, "rows") == 0)
				t.serpentine = 0;
			else
				return rule_bad(err, k, "must be \"serpentine\" or \"rows\"");
		} else if (strcmp(k, "ticket_scheme") == 0) {
			const char *s = json_string_value(v);
			if (!s || strlen(s) >= sizeof t.ticket_scheme ||
			    kw_seat_scheme_check(s, NULL))
				return rule_bad(
				        err, k,
				        "must be digits, letters and the fields "
				        "{area:W} {centre:W} {room:W} {seat:W} (and {year:W})");
			snprintf(t.ticket_scheme, sizeof t.ticket_scheme, "%s", s);
		} else {
			return rule_bad(err, k, "is not a rule setting");
		}
	}
	*r = t;
	return 0;
}

json_t *kw_seat_rule_json(const struct kw_seat_rule *r)
{
	return json_pack("{s:i, s:i, s:i, s:s, s:s, s:i}", "capacity", r->capacity,
	                 "accommodation_capacity", r->accommodation_capacity, "columns", r->columns,
	                 "seat_order", r->serpentine ? "serpentine" : "rows", "ticket_scheme",
	                 r->ticket_scheme, "year", r->year);
}

/* ---- ticket schemes ---- */

enum { F_YEAR, F_AREA, F_CENTRE, F_ROOM, F_SEAT, F_N };
static const char *const field_names[F_N] = {"year", "area", "centre", "room", "seat"};

/*
 * A scheme parsed once: the ticket number with every field as zeros (every field has a fixed
 * width, so all numbers of a scheme have one length) and each field's offset and width (0:
 * absent). -1 when malformed or when a number would not fit KW_SEAT_TICKET_MAX.
 */
struct scheme {
	size_t len;
	size_t off[F_N];
	int width[F_N];
	char tmpl[KW_SEAT_TICKET_MAX];
};

static int scheme_compile(const char *s, struct scheme *sc)
{
	memset(sc, 0, sizeof *sc);
	size_t o = 0;
	while (*s) {
		if (*s == '{') {
			const char *colon = strchr(s, ':');
			const char *close = strchr(s, '}');
			if (!colon || !close || colon > close || close - colon != 2 ||
			    colon[1] < '1' || colon[1] > '9')
				return -1;
			int f;
			for (f = 0; f < F_N; f++)
				if ((size_t)(colon - s - 1) == strlen(field_names[f]) &&
				    memcmp(s + 1, field_names[f], strlen(field_names[f])) == 0)
					break;
			if (f == F_N || sc->width[f])
				return -1;
			int w = colon[1] - '0';
			if (o + (size_t)w >= KW_SEAT_TICKET_MAX)
				return -1;
			sc->width[f] = w;
			sc->off[f] = o;
			memset(sc->tmpl + o, '0', (size_t)w);
			o += (size_t)w;
			s = close + 1;
			continue;
		}
		char ch = *s;
		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= 'a' && ch <= 'z') || ch == '-') ||
		    o + 1 >= KW_SEAT_TICKET_MAX)
			return -1;
		sc->tmpl[o++] = ch;
		s++;
	}
	sc->tmpl[o] = '\0';
	sc->len = o;
	return 0;
}

/* Writes the last w decimal digits of v, zero-padded, at p. */
static void put_digits(char *p, uint64_t v, int w)
{
	while (w-- > 0) {
		p[w] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Field f of the ticket number t (a copy of sc->tmpl) := v, when the scheme has it. */
static void scheme_put(const struct scheme *sc, char *t, int f, uint64_t v)
{
	if (sc->width[f])
		put_digits(t + sc->off[f], v, sc->width[f]);
}

int kw_seat_scheme_check(const char *scheme, struct kw_err *err)
{
	struct scheme sc;
	if (scheme_compile(scheme, &sc) || !sc.width[F_AREA] || !sc.width[F_CENTRE] ||
	    !sc.width[F_ROOM] || !sc.width[F_SEAT])
		return kw_err_set(err, KW_EINVAL, "SEAT_RULE_INVALID", "SEAT-1",
		                  "a ticket scheme needs {area:W}{centre:W}{room:W}{seat:W}, and "
		                  "numbers of at most %d characters",
		                  KW_SEAT_TICKET_MAX - 1);
	return 0;
}

/* ---- inputs ---- */

void kw_seat_inputs_release(struct kw_seat_inputs *in)
{
	for (size_t i = 0; i < in->nareas; i++)
		free(in->areas[i]);
	for (size_t i = 0; i < in->ngroups; i++)
		free(in->groups[i].key);
	for (size_t i = 0; i < in->nrooms; i++) {
		free(in->rooms[i].centre);
		free(in->rooms[i].code);
	}
	free(in->areas);
	free(in->groups);
	free(in->rooms);
	free(in->cands);
	memset(in, 0, sizeof *in);
}

void kw_seat_result_release(struct kw_seat_result *r)
{
	free(r->room_of);
	free(r->seat_of);
	free(r->order);
	free(r->rooms);
	free(r->shorts);
	memset(r, 0, sizeof *r);
}

/* A code in the inputs file: 1..63 bytes, no control characters (so no TAB or newline). */
static int token_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int bad_inputs(struct kw_err *err, const char *what)
{
	return kw_err_set(err, KW_EINVAL, "SEAT_INPUTS_INVALID", "SEAT-1", "seating inputs: %s",
	                  what);
}

static int cmp_area_idx(const void *a, const void *b, void *arg)
{
	char *const *v = ((const struct kw_seat_inputs *)arg)->areas;
	return strcmp(v[*(const uint32_t *)a], v[*(const uint32_t *)b]);
}
static int cmp_group_idx(const void *a, const void *b, void *arg)
{
	const struct kw_seat_group *g = ((const struct kw_seat_inputs *)arg)->groups;
	return strcmp(g[*(const uint32_t *)a].key, g[*(const uint32_t *)b].key);
}
static int cmp_room(const void *a, const void *b)
{
	const struct kw_seat_room *x = a, *y = b;
	if (x->area != y->area)
		return x->area < y->area ? -1 : 1;
	int c = strcmp(x->centre, y->centre);
	return c ? c : strcmp(x->code, y->code);
}
static int cmp_cand(const void *a, const void *b)
{
	const struct kw_seat_cand *x = a, *y = b;
	return (x->reg_id > y->reg_id) - (x->reg_id < y->reg_id);
}

/* Sorts names (areas or group keys) and returns old index → new index (caller frees). */
static uint32_t *sort_names(struct kw_seat_inputs *in, size_t n, int groups)
{
	uint32_t *idx = kw_xcalloc(n ? n : 1, sizeof *idx);
	uint32_t *map = kw_xcalloc(n ? n : 1, sizeof *map);
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)i;
	if (n)
		qsort_r(idx, n, sizeof *idx, groups ? cmp_group_idx : cmp_area_idx, in);
	if (groups) {
		struct kw_seat_group *g = kw_xcalloc(n ? n : 1, sizeof *g);
		for (size_t i = 0; i < n; i++) {
			g[i] = in->groups[idx[i]];
			map[idx[i]] = (uint32_t)i;
		}
		free(in->groups);
		in->groups = g;
	} else {
		char **a = kw_xcalloc(n ? n : 1, sizeof *a);
		for (size_t i = 0; i < n; i++) {
			a[i] = in->areas[idx[i]];
			map[idx[i]] = (uint32_t)i;
		}
		free(in->areas);
		in->areas = a;
	}
	free(idx);
	return map;
}

int kw_seat_inputs_normalise(struct kw_seat_inputs *in, struct kw_err *err)
{
	if (kw_seat_scheme_check(in->rule.ticket_scheme, err))
		return KW_EINVAL;
	if (in->rule.capacity < 1 || in->rule.accommodation_capacity < 1 || in->rule.columns < 1)
		return bad_inputs(err, "the rule's capacities and columns must be at least 1");
	if (!token_ok(in->exam))
		return bad_inputs(err, "the exam code");
	for (size_t i = 0; i < in->nareas; i++)
		if (!token_ok(in->areas[i]))
			return bad_inputs(err, "an area code");
	for (size_t i = 0; i < in->ngroups; i++)
		if (!token_ok(in->groups[i].key) || !in->groups[i].sittings ||
		    (in->groups[i].mode != KW_SEAT_PAPER && in->groups[i].mode != KW_SEAT_CBT))
			return bad_inputs(err, "a subject group (key, mode or sittings)");
	for (size_t i = 0; i < in->nrooms; i++) {
		const struct kw_seat_room *r = &in->rooms[i];
		if (r->area >= in->nareas || !token_ok(r->centre) || !token_ok(r->code) ||
		    (r->mode != KW_SEAT_PAPER && r->mode != KW_SEAT_CBT))
			return bad_inputs(err, "a room (area, centre, code or mode)");
		if (r->seats < 1) {
			bad_inputs(err, "a room with no seats");
			kw_err_set(err, KW_EINVAL, "ROOM_NO_SEATS", "VEN-5",
			           "room %s of centre %s has no seats", r->code, r->centre);
			return KW_EINVAL;
		}
	}
	for (size_t i = 0; i < in->ncands; i++)
		if (in->cands[i].area >= in->nareas || in->cands[i].group >= in->ngroups)
			return bad_inputs(err, "a candidate's area or group");

	uint32_t *amap = sort_names(in, in->nareas, 0);
	uint32_t *gmap = sort_names(in, in->ngroups, 1);
	for (size_t i = 0; i < in->nrooms; i++)
		in->rooms[i].area = amap[in->rooms[i].area];
	int sorted = 1;
	for (size_t i = 0; i < in->ncands; i++) {
		in->cands[i].area = amap[in->cands[i].area];
		in->cands[i].group = gmap[in->cands[i].group];
		if (i && in->cands[i].reg_id <= in->cands[i - 1].reg_id)
			sorted = 0;
	}
	free(amap);
	free(gmap);
	if (in->nrooms)
		qsort(in->rooms, in->nrooms, sizeof *in->rooms, cmp_room);
	if (!sorted && in->ncands)
		qsort(in->cands, in->ncands, sizeof *in->cands, cmp_cand);
	for (size_t i = 1; i < in->nareas; i++)
		if (strcmp(in->areas[i - 1], in->areas[i]) == 0)
			return bad_inputs(err, "an area twice");
	for (size_t i = 1; i < in->ngroups; i++)
		if (strcmp(in->groups[i - 1].key, in->groups[i].key) == 0)
			return bad_inputs(err, "a subject group twice");
	for (size_t i = 1; i < in->nrooms; i++)
		if (cmp_room(&in->rooms[i - 1], &in->rooms[i]) == 0)
			return bad_inputs(err, "a room twice");
	for (size_t i = 1; i < in->ncands; i++)
		if (in->cands[i - 1].reg_id == in->cands[i].reg_id)
			return bad_inputs(err, "a registration twice");
	return 0;
}

/* ---- the inputs file ---- */

#define HEADER "kaowu-seat-inputs/1"

static void sittings_text(uint32_t m, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (int s = 0; s < KW_SEAT_MAX_SITTINGS; s++)
		if (m & (1u << s))
			o += (size_t)snprintf(out + o, n - o, "%s%d", o ? "," : "", s + 1);
}

static const char *mode_name(int m)
{
	return m == KW_SEAT_CBT ? "cbt" : "paper";
}

int kw_seat_inputs_write(const struct kw_seat_inputs *in, struct kw_buf *out)
{
	json_t *rule = kw_seat_rule_json(&in->rule);
	char *rj = json_dumps(rule, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(rule);
	int rc = kw_buf_addf(out, HEADER "\nexam\t%s\nrule\t%s\n", in->exam, rj ? rj : "{}");
	free(rj);
	for (size_t i = 0; !rc && i < in->nareas; i++)
		rc = kw_buf_addf(out, "area\t%s\n", in->areas[i]);
	for (size_t i = 0; !rc && i < in->ngroups; i++) {
		char st[128];
		sittings_text(in->groups[i].sittings, st, sizeof st);
		rc = kw_buf_addf(out, "group\t%s\t%s\t%s\n", in->groups[i].key,
		                 mode_name(in->groups[i].mode), st);
	}
	for (size_t i = 0; !rc && i < in->nrooms; i++) {
		const struct kw_seat_room *r = &in->rooms[i];
		rc = kw_buf_addf(out, "room\t%s\t%s\t%s\t%d\t%s\t%d\n", in->areas[r->area],
		                 r->centre, r->code, r->seats, mode_name(r->mode), r->floor);
	}
	for (size_t i = 0; !rc && i < in->ncands; i++) {
		const struct kw_seat_cand *c = &in->cands[i];
		rc = kw_buf_addf(out, "cand\t%lld\t%s\t%s\t%d\n", (long long)c->reg_id,
		                 in->areas[c->area], in->groups[c->group].key, c->accommodation);
	}
	return rc;
}

/* Splits line (NUL-terminated, modified) at TABs into at most max fields; the count. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p; p++)
		if (*p == '\t') {
			if (n == max)
				return max + 1;
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static int parse_int(const char *s, long long lo, long long hi, long long *out)
{
	/* one spelling per number: digits with an optional '-', no leading zeros, no "-0",
	 * no '+' or spaces (strtoll would take them) */
	const char *d = s[0] == '-' ? s + 1 : s;
	if (!*d || (d[0] == '0' && (d[1] || d != s)) || strspn(d, "0123456789") != strlen(d))
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_mode(const char *s)
{
	return strcmp(s, "paper") == 0 ? KW_SEAT_PAPER : strcmp(s, "cbt") == 0 ? KW_SEAT_CBT : -1;
}

static int parse_sittings(const char *s, uint32_t *m)
{
	*m = 0;
	int last = 0;
	while (*s) {
		char num[4];
		size_t k = strcspn(s, ",");
		long long v;
		if (k == 0 || k >= sizeof num)
			return -1;
		memcpy(num, s, k);
		num[k] = '\0';
		if (parse_int(num, 1, KW_SEAT_MAX_SITTINGS, &v) || v <= last)
			return -1;
		last = (int)v;
		*m |= 1u << (v - 1);
		s += k;
		if (*s == ',' && !*++s)
			return -1;
	}
	return *m ? 0 : -1;
}

/* The index of name in the sorted array, or -1. */
static long find_area(const struct kw_seat_inputs *in, const char *name)
{
	size_t lo = 0, hi = in->nareas;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(in->areas[mid], name);
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
static long find_group(const struct kw_seat_inputs *in, const char *key)
{
	size_t lo = 0, hi = in->ngroups;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(in->groups[mid].key, key);
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

#define GROW(arr, n, cap)                                                                          \
	do {                                                                                       \
		if ((n) == (cap)) {                                                                \
			(cap) = (cap) ? (cap)*2 : 64;                                              \
			(arr) = kw_xrealloc((arr), (cap) * sizeof *(arr));                         \
		}                                                                                  \
	} while (0)

/* One line of the file, by its kind; stage enforces the order of kinds. */
static int parse_line(struct kw_seat_inputs *in, char *line, int *stage, size_t caps[4])
{
	char *f[8];
	int nf = split_tabs(line, f, 7);
	long long v;
	static const char *const kinds[] = {"exam", "rule", "area", "group", "room", "cand"};
	int k;
	for (k = 0; k < 6; k++)
		if (strcmp(f[0], kinds[k]) == 0)
			break;
	if (k == 6 || k < *stage || (k <= 1 && k != *stage))
		return -1;
	*stage = k <= 1 ? k + 1 : k;
	switch (k) {
	case 0:
		if (nf != 2 || !token_ok(f[1]) || strlen(f[1]) >= sizeof in->exam)
			return -1;
		snprintf(in->exam, sizeof in->exam, "%s", f[1]);
		return 0;
	case 1: {
		if (nf != 2)
			return -1;
		json_t *j = json_loads(f[1], JSON_REJECT_DUPLICATES, NULL);
		struct kw_seat_rule r;
		kw_seat_rule_default(&r, 30, 2000);
		int rc = j ? kw_seat_rule_from_json(&r, j, NULL) : -1;
		/* the canonical form only: every key, written as kw_seat_inputs_write writes it */
		char *again = NULL;
		if (!rc) {
			json_t *back = kw_seat_rule_json(&r);
			again = json_dumps(back, JSON_SORT_KEYS | JSON_COMPACT);
			json_decref(back);
		}
		rc = rc || !again || strcmp(again, f[1]) != 0 ? -1 : 0;
		free(again);
		json_decref(j);
		if (!rc)
			in->rule = r;
		return rc;
	}
	case 2:
		if (nf != 2 || !token_ok(f[1]) ||
		    (in->nareas && strcmp(in->areas[in->nareas - 1], f[1]) >= 0))
			return -1;
		GROW(in->areas, in->nareas, caps[0]);
		in->areas[in->nareas++] = kw_xstrdup(f[1]);
		return 0;
	case 3: {
		uint32_t m;
		int mode;
		if (nf != 4 || !token_ok(f[1]) || (mode = parse_mode(f[2])) < 0 ||
		    parse_sittings(f[3], &m) ||
		    (in->ngroups && strcmp(in->groups[in->ngroups - 1].key, f[1]) >= 0))
			return -1;
		GROW(in->groups, in->ngroups, caps[1]);
		in->groups[in->ngroups++] = (struct kw_seat_group){
		        .key = kw_xstrdup(f[1]), .mode = mode, .sittings = m};
		return 0;
	}
	case 4: {
		long a = nf == 7 ? find_area(in, f[1]) : -1;
		long long seats, floor;
		int mode;
		if (a < 0 || !token_ok(f[2]) || !token_ok(f[3]) ||
		    parse_int(f[4], 1, 100000, &seats) || (mode = parse_mode(f[5])) < 0 ||
		    parse_int(f[6], -100, 1000, &floor))
			return -1;
		struct kw_seat_room r = {.area = (uint32_t)a, .centre = f[2], .code = f[3]};
		if (in->nrooms && cmp_room(&in->rooms[in->nrooms - 1], &r) >= 0)
			return -1;
		GROW(in->rooms, in->nrooms, caps[2]);
		in->rooms[in->nrooms++] = (struct kw_seat_room){.area = (uint32_t)a,
		                                                .centre = kw_xstrdup(f[2]),
		                                                .code = kw_xstrdup(f[3]),
		                                                .seats = (int)seats,
		                                                .mode = mode,
		                                                .floor = (int)floor};
		return 0;
	}
	default: {
		long a = nf == 5 ? find_area(in, f[2]) : -1;
		long g = a >= 0 ? find_group(in, f[3]) : -1;
		if (g < 0 || parse_int(f[1], 1, INT64_MAX, &v) ||
		    (strcmp(f[4], "0") != 0 && strcmp(f[4], "1") != 0) ||
		    (in->ncands && in->cands[in->ncands - 1].reg_id >= v))
			return -1;
		GROW(in->cands, in->ncands, caps[3]);
		in->cands[in->ncands++] = (struct kw_seat_cand){.reg_id = v,
		                                                .area = (uint32_t)a,
		                                                .group = (uint32_t)g,
		                                                .accommodation = f[4][0] == '1'};
		return 0;
	}
	}
}

/* Names (areas or group keys) looked up by their bytes: open addressing on FNV-1a. */
struct name_slot {
	const char *s; /* NULL: empty */
	size_t len;
	uint32_t idx;
};
struct names {
	size_t mask;
	struct name_slot *slot;
};

static size_t name_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 32));
}

static void names_init(struct names *t, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	t->mask = cap - 1;
	t->slot = kw_xcalloc(cap, sizeof *t->slot);
}

static void names_add(struct names *t, const char *s, uint32_t idx)
{
	size_t len = strlen(s), h = name_hash(s, len) & t->mask;
	while (t->slot[h].s)
		h = (h + 1) & t->mask;
	t->slot[h] = (struct name_slot){.s = s, .len = len, .idx = idx};
}

static long names_find(const struct names *t, const char *s, size_t len)
{
	for (size_t h = name_hash(s, len) & t->mask; t->slot[h].s; h = (h + 1) & t->mask)
		if (t->slot[h].len == len && memcmp(t->slot[h].s, s, len) == 0)
			return (long)t->slot[h].idx;
	return -1;
}

/* The next TAB-ended token from p (at most 63 bytes): its index in t, or -1; *p past the TAB. */
static long fast_token(const struct names *t, const char **p, const char *end)
{
	const char *s = *p, *q = s;
	while (q < end && *q != '\t' && q - s < 64)
		q++;
	if (q == end || *q != '\t')
		return -1;
	*p = q + 1;
	return names_find(t, s, (size_t)(q - s));
}

/*
 * A "cand" line read straight from the text, in the one form parse_line accepts (ids with
 * no sign or leading zero, known area and group, 0 or 1, ids rising): 1 when taken, with
 * *next past its newline; 0 leaves the line to parse_line, which accepts or refuses it as
 * it always has. Neither the areas nor the groups can change once a cand line has come.
 */
static int fast_cand(struct kw_seat_inputs *in, const struct names *areas,
                     const struct names *groups, size_t cap, const char *p, const char *end,
                     const char **next)
{
	if (end - p < 6 || memcmp(p, "cand\t", 5) != 0 || p[5] < '1' || p[5] > '9')
		return 0;
	p += 5;
	const char *d = p;
	uint64_t v = 0;
	while (p < end && *p >= '0' && *p <= '9' && p - d < 20)
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (p - d > 19 || v > INT64_MAX || p == end || *p != '\t')
		return 0;
	p++;
	long a = fast_token(areas, &p, end);
	long g = a >= 0 ? fast_token(groups, &p, end) : -1;
	if (g < 0 || end - p < 2 || (p[0] != '0' && p[0] != '1') || p[1] != '\n' ||
	    in->ncands == cap || (in->ncands && in->cands[in->ncands - 1].reg_id >= (int64_t)v))
		return 0;
	in->cands[in->ncands++] = (struct kw_seat_cand){.reg_id = (int64_t)v,
	                                                .area = (uint32_t)a,
	                                                .group = (uint32_t)g,
	                                                .accommodation = p[0] == '1'};
	*next = p + 2;
	return 1;
}

/* The newlines in s[0 … n), in blocks that the compiler vectorises. */
static size_t count_newlines(const char *s, size_t n)
{
	size_t c = 0;
	while (n) {
		size_t k = n < 4096 ? n : 4096;
		uint32_t b = 0;
		for (size_t i = 0; i < k; i++)
			b += s[i] == '\n';
		c += b;
		s += k;
		n -= k;
	}
	return c;
}

int kw_seat_inputs_parse(const char *text, size_t n, struct kw_seat_inputs *in, struct kw_err *err)
{
	size_t caps[4] = {0, 0, 0, 0};
	int stage = 0;
	size_t lineno = 0, pos = 0;
	char *line = NULL;
	size_t linecap = 0;
	int rc = 0;
	struct names areas = {0, NULL}, groups = {0, NULL};
	while (pos < n) {
		if (lineno && n - pos > 5 && memcmp(text + pos, "cand\t", 5) == 0) {
			if (!areas.slot) {
				/* the first cand line: the areas and groups are final (a later
				 * area or group line is refused); room for every line left */
				names_init(&areas, in->nareas);
				for (size_t i = 0; i < in->nareas; i++)
					names_add(&areas, in->areas[i], (uint32_t)i);
				names_init(&groups, in->ngroups);
				for (size_t i = 0; i < in->ngroups; i++)
					names_add(&groups, in->groups[i].key, (uint32_t)i);
				size_t left = count_newlines(text + pos, n - pos);
				if (!in->cands) {
					in->cands = kw_xmalloc_big(left * sizeof *in->cands);
					caps[3] = left;
				}
			}
			const char *next;
			if (fast_cand(in, &areas, &groups, caps[3], text + pos, text + n, &next)) {
				lineno++;
				stage = 5;
				pos = (size_t)(next - text);
				continue;
			}
		}
		const char *nl = memchr(text + pos, '\n', n - pos);
		if (!nl) {
			rc = -1; /* every line ends with a newline */
			break;
		}
		size_t len = (size_t)(nl - (text + pos));
		lineno++;
		if (len + 1 > linecap) {
			linecap = len + 1;
			line = kw_xrealloc(line, linecap);
		}
		memcpy(line, text + pos, len);
		line[len] = '\0';
		pos += len + 1;
		if (memchr(line, '\0', len) || memchr(line, '\r', len)) {
			rc = -1;
			break;
		}
		if (lineno == 1) {
			if (strcmp(line, HEADER) != 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if ((rc = parse_line(in, line, &stage, caps)) != 0)
			break;
	}
	free(line);
	free(areas.slot);
	free(groups.slot);
	if (!rc && stage < 2) {
		rc = -1;
		lineno++;
	}
	if (!rc && kw_seat_scheme_check(in->rule.ticket_scheme, NULL))
		rc = -1;
	if (rc) {
		kw_err_set(err, KW_EINVAL, "SEAT_INPUTS_INVALID", "SEAT-1",
		           "seating inputs: line %zu is not in the inputs file's form", lineno);
		kw_err_detail(err, "line", json_integer((json_int_t)lineno));
		kw_seat_inputs_release(in);
		return KW_EINVAL;
	}
	return 0;
}

/* ---- the assignment ---- */

static int room_cap(const struct kw_seat_room *r, int cap)
{
	return r->seats < cap ? r->seats : cap;
}

struct plan {
	const struct kw_seat_inputs *in;
	struct kw_seat_result *r;
	uint32_t *busy;      /* per room: sittings taken */
	size_t *area_first;  /* rooms of area a: area_first[a] … area_first[a+1]-1 */
	uint32_t *centre_no; /* per room: its centre's number in its area */
	size_t examroom_cap;
};

static uint32_t new_examroom(struct plan *p, uint32_t room, uint32_t group, uint32_t first,
                             uint32_t count, int acc)
{
	struct kw_seat_result *r = p->r;
	GROW(r->rooms, r->nrooms, p->examroom_cap);
	r->rooms[r->nrooms] = (struct kw_seat_examroom){.room = room,
	                                                .group = group,
	                                                .centre_no = p->centre_no[room],
	                                                .count = count,
	                                                .first_cand = first,
	                                                .accommodation = (uint8_t)acc};
	p->busy[room] |= p->in->groups[group].sittings;
	return (uint32_t)r->nrooms++;
}

/* Places the m candidates order[first … first+m-1] (accommodation ones first, acc of them)
 * of area a's group g; returns the number placed. */
static uint64_t place_group(struct plan *p, uint32_t a, uint32_t g, uint32_t first, uint32_t m,
                            uint32_t acc, uint64_t *free_seats)
{
	const struct kw_seat_inputs *in = p->in;
	const struct kw_seat_group *grp = &in->groups[g];
	size_t lo = p->area_first[a], hi = p->area_first[a + 1];
	uint64_t placed = 0, avail = 0;
	for (size_t i = lo; i < hi; i++)
		if (in->rooms[i].mode == grp->mode && !(p->busy[i] & grp->sittings))
			avail += (uint64_t)room_cap(&in->rooms[i], in->rule.capacity);
	*free_seats = avail;
	/* accommodation rooms: the lowest free floor first */
	while (placed < acc) {
		size_t best = hi;
		for (size_t i = lo; i < hi; i++)
			if (in->rooms[i].mode == grp->mode && !(p->busy[i] & grp->sittings) &&
			    (best == hi || in->rooms[i].floor < in->rooms[best].floor))
				best = i;
		if (best == hi)
			return placed;
		uint32_t c = (uint32_t)room_cap(&in->rooms[best], in->rule.accommodation_capacity);
		if (c > acc - placed)
			c = (uint32_t)(acc - placed);
		new_examroom(p, (uint32_t)best, g, first + (uint32_t)placed, c, 1);
		placed += c;
	}
	for (size_t i = lo; i < hi && placed < m; i++) {
		if (in->rooms[i].mode != grp->mode || (p->busy[i] & grp->sittings))
			continue;
		uint32_t c = (uint32_t)room_cap(&in->rooms[i], in->rule.capacity);
		if (c > m - placed)
			c = (uint32_t)(m - placed);
		new_examroom(p, (uint32_t)i, g, first + (uint32_t)placed, c, 0);
		placed += c;
	}
	return placed;
}

static void add_short(struct kw_seat_result *r, size_t *cap, uint32_t a, uint32_t g, uint64_t cands,
                      uint64_t seats)
{
	GROW(r->shorts, r->nshorts, *cap);
	r->shorts[r->nshorts++] =
	        (struct kw_seat_short){.area = a, .group = g, .candidates = cands, .seats = seats};
}

/* Numbers the exam rooms 1, 2, … per centre in (room, group) order. Exam rooms are made
 * bucket after bucket, (area, group) ascending, and a room serves a group at most once, so a
 * stable counting sort by room gives (room, group) order; a centre is (area, centre_no). */
static void number_rooms(struct plan *p)
{
	struct kw_seat_result *r = p->r;
	const struct kw_seat_inputs *in = p->in;
	uint32_t *first = kw_xcalloc(in->nrooms + 1, sizeof *first);
	uint32_t *idx = kw_xcalloc(r->nrooms ? r->nrooms : 1, sizeof *idx);
	for (size_t i = 0; i < r->nrooms; i++)
		first[r->rooms[i].room + 1]++;
	for (size_t i = 0; i < in->nrooms; i++)
		first[i + 1] += first[i];
	for (size_t i = 0; i < r->nrooms; i++)
		idx[first[r->rooms[i].room]++] = (uint32_t)i;
	uint32_t n = 0;
	const struct kw_seat_examroom *prev = NULL;
	for (size_t i = 0; i < r->nrooms; i++) {
		struct kw_seat_examroom *e = &r->rooms[idx[i]];
		if (!prev || in->rooms[prev->room].area != in->rooms[e->room].area ||
		    prev->centre_no != e->centre_no)
			n = 0;
		e->number = ++n;
		prev = e;
	}
	free(idx);
	free(first);
}

static uint64_t pow10u(int w)
{
	uint64_t v = 1;
	while (w-- > 0)
		v *= 10;
	return v;
}

/* The year as its field holds it. */
static uint64_t year_value(const struct kw_seat_rule *rule, const struct scheme *sc)
{
	return (uint64_t)rule->year % (sc->width[F_YEAR] ? pow10u(sc->width[F_YEAR]) : 1);
}

/* Every number fits its field of the ticket scheme. */
static int check_widths(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                        struct kw_err *err)
{
	struct scheme sc;
	if (scheme_compile(in->rule.ticket_scheme, &sc))
		return kw_err_set(err, KW_EINVAL, "SEAT_RULE_INVALID", "SEAT-1", "ticket scheme");
	uint64_t max[F_N] = {year_value(&in->rule, &sc), in->nareas, 0, 0, 0};
	for (size_t i = 0; i < r->nrooms; i++) {
		if (r->rooms[i].centre_no > max[F_CENTRE])
			max[F_CENTRE] = r->rooms[i].centre_no;
		if (r->rooms[i].number > max[F_ROOM])
			max[F_ROOM] = r->rooms[i].number;
		if (r->rooms[i].count > max[F_SEAT])
			max[F_SEAT] = r->rooms[i].count;
	}
	for (int f = F_AREA; f < F_N; f++)
		if (max[f] >= pow10u(sc.width[f])) {
			kw_err_set(err, KW_ERULE, "TICKET_SCHEME_TOO_NARROW", "SEAT-1",
			           "ticket numbers: {%s:%d} cannot hold %llu", field_names[f],
			           sc.width[f], (unsigned long long)max[f]);
			kw_err_detail(err, "field", json_string(field_names[f]));
			kw_err_detail(err, "largest", json_integer((json_int_t)max[f]));
			return KW_ERULE;
		}
	return 0;
}

int kw_seat_assign(const struct kw_seat_inputs *in, const uint8_t seed[KW_DRAW_SEED_BYTES],
                   struct kw_seat_result *r, struct kw_err *err)
{
	memset(r, 0, sizeof *r);
	size_t cells = in->nareas * (in->ngroups ? in->ngroups : 1);
	if (in->nareas && cells / in->nareas != (in->ngroups ? in->ngroups : 1))
		cells = MAX_CELLS + 1;
	if (cells > MAX_CELLS || in->ncands > UINT32_MAX / 2)
		return bad_inputs(err, "too many areas × subject groups or candidates");
	int rc = 0;
	struct plan p = {.in = in, .r = r};
	size_t nc = in->ncands;
	p.busy = kw_xcalloc(in->nrooms ? in->nrooms : 1, sizeof *p.busy);
	p.centre_no = kw_xcalloc(in->nrooms ? in->nrooms : 1, sizeof *p.centre_no);
	p.area_first = kw_xcalloc(in->nareas + 1, sizeof *p.area_first);
	size_t *start = kw_xcalloc(cells + 1, sizeof *start);
	uint32_t *nacc = kw_xcalloc(cells ? cells : 1, sizeof *nacc);
	uint8_t *accf = kw_xmalloc_big(nc);
	uint32_t *perm = NULL, *tmp = NULL;
	size_t short_cap = 0, biggest = 1;
	int seated = 0;
	/* filled below (every entry, when every candidate is seated); zeroed on a refusal */
	r->room_of = kw_xmalloc_big(nc * sizeof *r->room_of);
	r->seat_of = kw_xmalloc_big(nc * sizeof *r->seat_of);
	r->order = kw_xmalloc_big(nc * sizeof *r->order);

	/* rooms: each area's range, each centre's number in its area */
	for (size_t i = 0, a = 0; i <= in->nrooms; i++) {
		uint32_t ra = i < in->nrooms ? in->rooms[i].area : (uint32_t)in->nareas;
		while (a < ra)
			p.area_first[++a] = i;
		if (i == in->nrooms)
			break;
		int same = i > 0 && in->rooms[i - 1].area == ra &&
		           strcmp(in->rooms[i - 1].centre, in->rooms[i].centre) == 0;
		p.centre_no[i] = same                                     ? p.centre_no[i - 1]
		                 : (i > 0 && in->rooms[i - 1].area == ra) ? p.centre_no[i - 1] + 1
		                                                          : 1;
	}

	/* candidates bucketed by (area, group), registration-id order kept (counting sort); the
	 * accommodation flags go alongside (accf[k] is order[k]'s), so that the shuffle below
	 * reads them inside the bucket instead of from the candidates at random */
	for (size_t i = 0; i < nc; i++)
		start[(size_t)in->cands[i].area * in->ngroups + in->cands[i].group + 1]++;
	for (size_t c = 0; c < cells; c++) {
		if (start[c + 1] > biggest)
			biggest = start[c + 1];
		start[c + 1] += start[c];
	}
	perm = kw_xmalloc_big(biggest * sizeof *perm);
	tmp = kw_xmalloc_big(biggest * sizeof *tmp);
	{
		size_t *fill = kw_xmalloc((cells ? cells : 1) * sizeof *fill);
		memcpy(fill, start, (cells ? cells : 1) * sizeof *fill);
		for (size_t i = 0; i < nc; i++) {
			const struct kw_seat_cand *cd = &in->cands[i];
			size_t c = (size_t)cd->area * in->ngroups + cd->group;
			size_t k = fill[c]++;
			r->order[k] = (uint32_t)i;
			accf[k] = cd->accommodation != 0;
			nacc[c] += accf[k];
		}
		free(fill);
	}

	for (size_t c = 0; c < cells; c++) {
		uint32_t first = (uint32_t)start[c], m = (uint32_t)(start[c + 1] - start[c]);
		if (!m)
			continue;
		uint32_t a = (uint32_t)(c / in->ngroups), g = (uint32_t)(c % in->ngroups);
		char purpose[200];
		snprintf(purpose, sizeof purpose, "seat:exam=%s:area=%s:group=%s", in->exam,
		         in->areas[a], in->groups[g].key);
		struct kw_draw_stream s;
		if ((rc = kw_draw_stream_init(&s, seed, purpose, err)) != 0)
			goto out;
		kw_draw_shuffle(&s, m, perm);
		kw_draw_stream_release(&s);
		/* shuffled, then accommodation candidates moved to the front in that order */
		uint32_t acc = nacc[c], *bucket = r->order + first;
		const uint8_t *flag = accf + first;
		if (!acc) {
			for (uint32_t i = 0; i < m; i++)
				tmp[i] = bucket[perm[i]];
		} else {
			uint32_t ai = 0, oi = acc;
			for (uint32_t i = 0; i < m; i++)
				tmp[flag[perm[i]] ? ai++ : oi++] = bucket[perm[i]];
		}
		memcpy(bucket, tmp, (size_t)m * sizeof *tmp);
		uint64_t free_seats;
		uint64_t placed = place_group(&p, a, g, first, m, acc, &free_seats);
		if (placed < m)
			add_short(r, &short_cap, a, g, m, free_seats);
	}
	if (r->nshorts) {
		kw_err_set(err, KW_ERULE, "SEATS_SHORT", "SEAT-1",
		           "too few seats: %zu area and subject groups short", r->nshorts);
		rc = KW_ERULE;
		goto out;
	}
	number_rooms(&p);
	for (size_t e = 0; e < r->nrooms; e++) {
		const uint32_t *in_seats = r->order + r->rooms[e].first_cand;
		for (uint32_t k = 0; k < r->rooms[e].count; k++) {
			r->room_of[in_seats[k]] = (uint32_t)e;
			r->seat_of[in_seats[k]] = k + 1;
		}
	}
	seated = 1;
	rc = check_widths(in, r, err);
out:
	if (!seated) {
		memset(r->room_of, 0, nc * sizeof *r->room_of);
		memset(r->seat_of, 0, nc * sizeof *r->seat_of);
	}
	free(perm);
	free(tmp);
	free(start);
	free(nacc);
	free(accf);
	free(p.busy);
	free(p.centre_no);
	free(p.area_first);
	return rc;
}

/* The fields of exam room e's ticket numbers other than the seat, into t (a copy of the
 * template). */
static void examroom_fields(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                            const struct scheme *sc, uint32_t e, char *t)
{
	const struct kw_seat_examroom *x = &r->rooms[e];
	scheme_put(sc, t, F_YEAR, year_value(&in->rule, sc));
	scheme_put(sc, t, F_AREA, (uint64_t)in->rooms[x->room].area + 1);
	scheme_put(sc, t, F_CENTRE, x->centre_no);
	scheme_put(sc, t, F_ROOM, x->number);
}

void kw_seat_ticket_no(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                       uint32_t examroom, uint32_t seat, char *out, size_t n)
{
	struct scheme sc;
	if (!n)
		return;
	if (scheme_compile(in->rule.ticket_scheme, &sc)) {
		out[0] = '\0';
		return;
	}
	examroom_fields(in, r, &sc, examroom, sc.tmpl);
	scheme_put(&sc, sc.tmpl, F_SEAT, seat);
	size_t len = sc.len < n ? sc.len : n - 1;
	memcpy(out, sc.tmpl, len);
	out[len] = '\0';
}

int kw_seat_ticket_reseat(const struct kw_seat_rule *rule, const char *ticket, uint32_t seat,
                          char *out, size_t n, struct kw_err *err)
{
	struct scheme sc;
	if (scheme_compile(rule->ticket_scheme, &sc) || !sc.width[F_SEAT])
		return kw_err_set(err, KW_EINVAL, "SEAT_RULE_INVALID", "SEAT-1", "ticket scheme");
	if (seat >= pow10u(sc.width[F_SEAT]))
		return kw_err_set(err, KW_ERULE, "TICKET_SCHEME_TOO_NARROW", "SEAT-1",
		                  "ticket numbers: {seat:%d} cannot hold %u", sc.width[F_SEAT],
		                  seat);
	size_t len = strlen(ticket);
	if (sc.off[F_SEAT] + (size_t)sc.width[F_SEAT] > len || len + 1 > n)
		return kw_err_set(err, KW_EINVAL, "SEAT_RULE_INVALID", "SEAT-1",
		                  "the ticket number does not follow the scheme");
	memcpy(out, ticket, len + 1);
	put_digits(out + sc.off[F_SEAT], seat, sc.width[F_SEAT]);
	return 0;
}

/* ---- the assignment file ---- */

/*
 * A line of the assignment file is
 *     reg_id  head  seat  tail
 * where, per exam room, head = "\tAREA\tCENTRE\tROOM\tNUMBER\t" and tail = "\t", the ticket
 * number, "\n"; the ticket number's seat field (zeros in tail) is at tail + hole. The exam
 * rooms' texts are prepared once, each in a slot of `stride` bytes (a multiple of 64, so
 * that the usual exam room takes one cache line), so that a candidate costs one read of its
 * exam room's slot (prefetched PREFETCH candidates ahead: the rooms come in random order),
 * two integers and two copies. The lines are hashed CHUNK bytes at a time.
 */
struct slot_hdr {
	uint16_t head, tail, hole, seatw;
};

#define CHUNK    (64 * 1024)
#define PREFETCH 16

static char *put_u64(char *p, uint64_t v)
{
	char b[20];
	int n = 0;
	do {
		b[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = b[--n];
	return p;
}

static char *put_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, 0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

static char *put_u32(char *p, uint32_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v < 100) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
		return p + 2;
	}
	return put_u64(p, v);
}

/* The exam rooms' slots (caller frees), or NULL when the scheme is bad. */
static unsigned char *prepare_slots(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                                    size_t *stride)
{
	struct scheme sc;
	if (scheme_compile(in->rule.ticket_scheme, &sc) || !sc.width[F_SEAT])
		return NULL;
	size_t seat_at = sc.off[F_SEAT], seatw = (size_t)sc.width[F_SEAT];
	size_t longest = 0;
	for (size_t e = 0; e < r->nrooms; e++) {
		const struct kw_seat_room *room = &in->rooms[r->rooms[e].room];
		size_t n =
		        strlen(in->areas[room->area]) + strlen(room->centre) + strlen(room->code);
		if (n > longest)
			longest = n;
	}
	/* header, head (the codes, 5 TABs, up to 10 digits), tail ("\t", ticket, "\n") */
	size_t need = sizeof(struct slot_hdr) + longest + 5 + 10 + 1 + sc.len + 1;
	if (longest > UINT16_MAX / 2)
		return NULL;
	*stride = (need + 63) / 64 * 64;
	unsigned char *slots = kw_xmalloc_big(r->nrooms * *stride); /* 64-byte aligned */
	for (size_t e = 0; e < r->nrooms; e++) {
		const struct kw_seat_examroom *x = &r->rooms[e];
		const struct kw_seat_room *room = &in->rooms[x->room];
		unsigned char *s = slots + e * *stride;
		char *t = (char *)s + sizeof(struct slot_hdr), *p = t;
		const char *parts[3] = {in->areas[room->area], room->centre, room->code};
		for (int i = 0; i < 3; i++) {
			size_t n = strlen(parts[i]);
			*p++ = '\t';
			memcpy(p, parts[i], n);
			p += n;
		}
		*p++ = '\t';
		p = put_u32(p, x->number);
		*p++ = '\t';
		struct slot_hdr h = {.head = (uint16_t)(p - t)};
		char *tail = p;
		*p++ = '\t';
		memcpy(p, sc.tmpl, sc.len);
		examroom_fields(in, r, &sc, (uint32_t)e, p);
		memset(p + seat_at, '0', seatw);
		p += sc.len;
		*p++ = '\n';
		h.tail = (uint16_t)(p - tail);
		h.hole = (uint16_t)(1 + seat_at);
		h.seatw = (uint16_t)seatw;
		memcpy(s, &h, sizeof h);
	}
	return slots;
}

int kw_seat_result_stream(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                          kw_seat_sink_fn sink, void *data, char digest[65])
{
	size_t stride = 0;
	unsigned char *slots = prepare_slots(in, r, &stride);
	if (!slots)
		return KW_EINTERNAL; /* kw_seat_assign has refused such a scheme */
	/* a chunk, then room for one more line: reg_id, seat and a slot's text */
	char *buf = kw_xmalloc(CHUNK + 64 + stride);
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	int rc = 0;
	char *p = buf;
	const uint32_t *room_of = r->room_of, *seat_of = r->seat_of;
	size_t nc = in->ncands;
	for (size_t i = 0; i < nc; i++) {
#if defined(__GNUC__)
		if (i + PREFETCH < nc)
			__builtin_prefetch(slots + (size_t)room_of[i + PREFETCH] * stride);
#endif
		const unsigned char *s = slots + (size_t)room_of[i] * stride;
		struct slot_hdr h;
		memcpy(&h, s, sizeof h);
		const char *text = (const char *)s + sizeof h;
		uint32_t seat = seat_of[i];
		p = put_i64(p, in->cands[i].reg_id);
		memcpy(p, text, h.head);
		p = put_u32(p + h.head, seat);
		memcpy(p, text + h.head, h.tail);
		put_digits(p + h.hole, seat, h.seatw);
		p += h.tail;
		if (p - buf >= CHUNK) {
			crypto_hash_sha256_update(&st, (const unsigned char *)buf,
			                          (unsigned long long)(p - buf));
			if (sink && (rc = sink(data, buf, (size_t)(p - buf))) != 0)
				goto out;
			p = buf;
		}
	}
	if (p > buf) {
		crypto_hash_sha256_update(&st, (const unsigned char *)buf,
		                          (unsigned long long)(p - buf));
		if (sink && (rc = sink(data, buf, (size_t)(p - buf))) != 0)
			goto out;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, hash);
	sodium_bin2hex(digest, 65, hash, sizeof hash);
out:
	free(buf);
	free(slots);
	return rc;
}

static int buf_sink(void *data, const char *bytes, size_t n)
{
	return kw_buf_add(data, bytes, n);
}

int kw_seat_result_write(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                         struct kw_buf *out, char digest[65])
{
	return kw_seat_result_stream(in, r, out ? buf_sink : NULL, out, digest);
}

void kw_seat_chart_pos(const struct kw_seat_rule *rule, uint32_t seat, uint32_t *row, uint32_t *col)
{
	uint32_t cols = rule->columns > 0 ? (uint32_t)rule->columns : 1;
	uint32_t k = seat ? seat - 1 : 0;
	*row = k / cols + 1;
	uint32_t c = k % cols;
	*col = rule->serpentine && (*row % 2 == 0) ? cols - c : c + 1;
}
