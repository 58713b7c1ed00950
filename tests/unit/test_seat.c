/*
 * Seating (SEAT-1): the unified rule as a pure function of its inputs and seed, the inputs
 * file round trip, and the refusals (too few seats, a room with no seats, a ticket scheme
 * too narrow for the numbers).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draw.h"
#include "core/seat.h"

static void seed_of(uint8_t seed[32], uint8_t v)
{
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(v + i);
}

/*
 * Two areas (given out of order, to be sorted), groups "01+02" (paper, sittings 1 and 2),
 * "03" (paper, sitting 3) and "04" (CBT, sitting 1); area HF has two centres.
 */
static void build(struct kw_seat_inputs *in, size_t ncands, int nacc)
{
	memset(in, 0, sizeof *in);
	snprintf(in->exam, sizeof in->exam, "T-2027");
	kw_seat_rule_default(&in->rule, 30, 2027);
	in->nareas = 2;
	in->areas = calloc(2, sizeof *in->areas);
	in->areas[0] = strdup("WH");
	in->areas[1] = strdup("HF");
	in->ngroups = 3;
	in->groups = calloc(3, sizeof *in->groups);
	in->groups[0] = (struct kw_seat_group){strdup("04"), KW_SEAT_CBT, 1u};
	in->groups[1] = (struct kw_seat_group){strdup("01+02"), KW_SEAT_PAPER, 3u};
	in->groups[2] = (struct kw_seat_group){strdup("03"), KW_SEAT_PAPER, 4u};
	struct {
		uint32_t area;
		const char *centre, *code;
		int seats, mode, floor;
	} rooms[] = {
	        {1, "HF-02", "201", 40, KW_SEAT_PAPER, 2},
	        {1, "HF-01", "101", 30, KW_SEAT_PAPER, 1},
	        {1, "HF-01", "301", 30, KW_SEAT_PAPER, 3},
	        {1, "HF-02", "102", 25, KW_SEAT_PAPER, 1},
	        {1, "HF-02", "L1", 30, KW_SEAT_CBT, 1},
	        {0, "WH-01", "101", 30, KW_SEAT_PAPER, 1},
	        {0, "WH-01", "102", 30, KW_SEAT_PAPER, 1},
	};
	in->nrooms = sizeof rooms / sizeof rooms[0];
	in->rooms = calloc(in->nrooms, sizeof *in->rooms);
	for (size_t i = 0; i < in->nrooms; i++)
		in->rooms[i] = (struct kw_seat_room){
		        rooms[i].area,  strdup(rooms[i].centre), strdup(rooms[i].code),
		        rooms[i].seats, rooms[i].mode,           rooms[i].floor,
		        (int64_t)i};
	in->ncands = ncands;
	in->cands = calloc(ncands, sizeof *in->cands);
	for (size_t i = 0; i < ncands; i++) {
		size_t k = ncands - 1 - i; /* given in descending id order, to be sorted */
		in->cands[i] = (struct kw_seat_cand){
		        .reg_id = (int64_t)(1000 + 7 * k),
		        /* WH (0) has no CBT room: only HF (1) sits 04 (0) */
		        .area = k % 4 == 3 ? 0u : 1u,
		        .group = (k % 5 == 4 && k % 4 != 3) ? 0u : (k % 3 == 2 ? 2u : 1u),
		        .accommodation = (int)k < nacc ? 1 : 0,
		};
	}
}

static void assign_ok(struct kw_seat_inputs *in, uint8_t seedv, struct kw_seat_result *r,
                      char digest[65])
{
	uint8_t seed[32];
	seed_of(seed, seedv);
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_seat_assign(in, seed, r, &err);
	if (rc)
		fprintf(stderr, "assign: %s %s\n", err.code, err.msg);
	for (size_t i = 0; rc && i < r->nshorts; i++)
		fprintf(stderr, "  short: area %s group %s: %llu candidates, %llu seats\n",
		        in->areas[r->shorts[i].area], in->groups[r->shorts[i].group].key,
		        (unsigned long long)r->shorts[i].candidates,
		        (unsigned long long)r->shorts[i].seats);
	assert_int_equal(rc, 0);
	assert_int_equal(kw_seat_result_write(in, r, NULL, digest), 0);
	kw_err_release(&err);
}

/* SEAT-1: everyone seated once, rooms within capacity and mode, sittings never double-booked,
 * accommodation rooms on the lowest free floor, ticket numbers unique. */
static void seat1_assignment_is_sound(void **state)
{
	(void)state;
	struct kw_seat_inputs in;
	build(&in, 150, 3);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_seat_inputs_normalise(&in, &err), 0);
	assert_string_equal(in.areas[0], "HF");
	assert_string_equal(in.groups[0].key, "01+02");
	assert_string_equal(in.rooms[0].centre, "HF-01");
	assert_true(in.cands[0].reg_id < in.cands[1].reg_id);
	struct kw_seat_result r;
	char digest[65];
	assign_ok(&in, 1, &r, digest);

	/* each candidate: one seat, in a room of its area serving its group */
	char(*tickets)[64] = calloc(in.ncands, 64);
	for (size_t i = 0; i < in.ncands; i++) {
		const struct kw_seat_examroom *e = &r.rooms[r.room_of[i]];
		assert_int_equal(in.rooms[e->room].area, in.cands[i].area);
		assert_int_equal(e->group, in.cands[i].group);
		assert_int_equal(in.rooms[e->room].mode, in.groups[e->group].mode);
		assert_true(r.seat_of[i] >= 1 && r.seat_of[i] <= e->count);
		assert_int_equal(r.order[e->first_cand + r.seat_of[i] - 1], i);
		assert_int_equal(e->accommodation, in.cands[i].accommodation);
		kw_seat_ticket_no(&in, &r, r.room_of[i], r.seat_of[i], tickets[i], 64);
		assert_int_equal(strlen(tickets[i]), 11);
		assert_memory_equal(tickets[i], "27", 2);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(tickets[i], tickets[j]);
	}
	free(tickets);
	/* capacity: min(seats, 30); sittings: a room serves groups whose sittings differ */
	for (size_t e = 0; e < r.nrooms; e++) {
		const struct kw_seat_room *room = &in.rooms[r.rooms[e].room];
		assert_true(r.rooms[e].count >= 1);
		assert_true((int)r.rooms[e].count <= (room->seats < 30 ? room->seats : 30));
		for (size_t f = 0; f < e; f++)
			if (r.rooms[f].room == r.rooms[e].room)
				assert_int_equal(in.groups[r.rooms[f].group].sittings &
				                         in.groups[r.rooms[e].group].sittings,
				                 0);
	}
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);
	kw_err_release(&err);
}

/* SEAT-1: the same inputs and seed give the same bytes; another seed another assignment. */
static void seat1_reproducible(void **state)
{
	(void)state;
	struct kw_seat_inputs a, b;
	build(&a, 150, 2);
	build(&b, 150, 2);
	/* b's rooms and areas given in another order: normalising makes the inputs identical */
	struct kw_seat_room t = b.rooms[0];
	b.rooms[0] = b.rooms[5];
	b.rooms[5] = t;
	assert_int_equal(kw_seat_inputs_normalise(&a, NULL), 0);
	assert_int_equal(kw_seat_inputs_normalise(&b, NULL), 0);
	struct kw_buf fa = KW_BUF_INIT, fb = KW_BUF_INIT;
	kw_buf_init(&fa, 0);
	kw_buf_init(&fb, 0);
	assert_int_equal(kw_seat_inputs_write(&a, &fa), 0);
	assert_int_equal(kw_seat_inputs_write(&b, &fb), 0);
	assert_string_equal(fa.buf, fb.buf);
	struct kw_seat_result ra, rb, rc;
	char da[65], db[65], dc[65];
	assign_ok(&a, 7, &ra, da);
	assign_ok(&b, 7, &rb, db);
	assign_ok(&a, 8, &rc, dc);
	assert_string_equal(da, db);
	assert_string_not_equal(da, dc);
	kw_seat_result_release(&ra);
	kw_seat_result_release(&rb);
	kw_seat_result_release(&rc);
	kw_buf_release(&fa);
	kw_buf_release(&fb);
	kw_seat_inputs_release(&a);
	kw_seat_inputs_release(&b);
}

/* The documented construction: a bucket's candidates, in seat order, are the bucket (sorted
 * by registration id) permuted by shuffle(m) of the stream "seat:exam=…:area=…:group=…". */
static void seat1_follows_the_documented_draw(void **state)
{
	(void)state;
	struct kw_seat_inputs in;
	build(&in, 150, 0);
	assert_int_equal(kw_seat_inputs_normalise(&in, NULL), 0);
	struct kw_seat_result r;
	char d[65];
	assign_ok(&in, 3, &r, d);
	/* area HF (0), group 01+02 (0) */
	uint32_t bucket[200], m = 0;
	for (size_t i = 0; i < in.ncands; i++)
		if (in.cands[i].area == 0 && in.cands[i].group == 0)
			bucket[m++] = (uint32_t)i;
	assert_true(m > 30); /* more than one room */
	uint8_t seed[32];
	seed_of(seed, 3);
	struct kw_draw_stream s;
	assert_int_equal(
	        kw_draw_stream_init(&s, seed, "seat:exam=T-2027:area=HF:group=01+02", NULL), 0);
	uint32_t perm[200];
	kw_draw_shuffle(&s, m, perm);
	kw_draw_stream_release(&s);
	/* rooms in (centre, room) order: HF-01 101, HF-01 301, HF-02 102, … */
	uint32_t k = 0;
	for (size_t e = 0; e < r.nrooms; e++) {
		if (in.rooms[r.rooms[e].room].area != 0 || r.rooms[e].group != 0)
			continue;
		for (uint32_t seat = 1; seat <= r.rooms[e].count; seat++, k++)
			assert_int_equal(r.order[r.rooms[e].first_cand + seat - 1],
			                 bucket[perm[k]]);
	}
	assert_int_equal(k, m);
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);
}

/* The inputs file: write → parse → write gives the same bytes; a changed or reordered line
 * is refused with its line number. */
static void inputs_file_round_trip(void **state)
{
	(void)state;
	struct kw_seat_inputs in, back;
	build(&in, 40, 1);
	assert_int_equal(kw_seat_inputs_normalise(&in, NULL), 0);
	struct kw_buf f = KW_BUF_INIT, g = KW_BUF_INIT;
	kw_buf_init(&f, 0);
	kw_buf_init(&g, 0);
	assert_int_equal(kw_seat_inputs_write(&in, &f), 0);
	memset(&back, 0, sizeof back);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_seat_inputs_parse(f.buf, f.len, &back, &err), 0);
	assert_int_equal(kw_seat_inputs_write(&back, &g), 0);
	assert_string_equal(f.buf, g.buf);
	assert_non_null(strstr(f.buf, "\ngroup\t01+02\tpaper\t1,2\n"));
	assert_non_null(strstr(f.buf, "\nroom\tHF\tHF-01\t101\t30\tpaper\t1\n"));
	kw_seat_inputs_release(&back);

	const char *bad[] = {
	        "kaowu-seat-inputs/1\nexam\tX\n",           /* no rule */
	        "kaowu-seat-inputs/2\n",                    /* another version */
	        "kaowu-seat-inputs/1\nexam\tX\nrule\t{}\n", /* rule not canonical */
	        "kaowu-seat-inputs/1\nexam\tX\narea\tA\n",  /* rule missing */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&back, 0, sizeof back);
		assert_int_equal(kw_seat_inputs_parse(bad[i], strlen(bad[i]), &back, &err),
		                 KW_EINVAL);
		assert_string_equal(err.code, "SEAT_INPUTS_INVALID");
	}
	/* two candidate lines swapped: out of order at the second one */
	char *text = strdup(f.buf);
	char *c1 = strstr(text, "\ncand\t");
	char *c2 = strstr(c1 + 1, "\ncand\t");
	char *c3 = strstr(c2 + 1, "\n");
	size_t l1 = (size_t)(c2 - c1), l2 = (size_t)(c3 - c2);
	char *swapped = malloc(l1 + l2);
	memcpy(swapped, c2, l2);
	memcpy(swapped + l2, c1, l1);
	memcpy(c1, swapped, l1 + l2);
	free(swapped);
	size_t want_line = 1;
	for (char *p = text; p <= c1 + l2; p++)
		want_line += *p == '\n';
	memset(&back, 0, sizeof back);
	assert_int_equal(kw_seat_inputs_parse(text, strlen(text), &back, &err), KW_EINVAL);
	assert_int_equal(json_integer_value(json_object_get(err.details, "line")), want_line);
	/* a truncated file (no final newline) */
	memset(&back, 0, sizeof back);
	assert_int_equal(kw_seat_inputs_parse(f.buf, f.len - 1, &back, &err), KW_EINVAL);
	free(text);
	kw_buf_release(&f);
	kw_buf_release(&g);
	kw_seat_inputs_release(&in);
	kw_err_release(&err);
}

/* text with the line starting at `at` (up to its newline) replaced by line; caller frees. */
static char *replace_line(const char *text, const char *at, const char *line)
{
	const char *end = strchr(at, '\n');
	size_t head = (size_t)(at - text), n = strlen(line), tail = strlen(end);
	char *out = malloc(head + n + tail + 1);
	memcpy(out, text, head);
	memcpy(out + head, line, n);
	memcpy(out + head + n, end, tail + 1);
	return out;
}

/* The inputs file's cand lines (read by a fast path): exactly the one form is taken; every
 * other spelling is refused at its own line, as the general line parser refuses it. */
static void inputs_cand_lines(void **state)
{
	(void)state;
	struct kw_seat_inputs in, back;
	build(&in, 40, 1);
	assert_int_equal(kw_seat_inputs_normalise(&in, NULL), 0);
	struct kw_buf f = KW_BUF_INIT;
	kw_buf_init(&f, 0);
	assert_int_equal(kw_seat_inputs_write(&in, &f), 0);
	const char *first = strstr(f.buf, "\ncand\t") + 1, *last = first, *q;
	while ((q = strstr(last, "\ncand\t")) != NULL)
		last = q + 1;
	size_t first_line = 1, last_line = 1;
	for (const char *p = f.buf; p < last; p++) {
		first_line += p < first && *p == '\n';
		last_line += *p == '\n';
	}
	/* ids are 1000, 1007, …, 1266, 1273 */
	struct {
		int last; /* replace the last cand line, else the first */
		const char *line;
		size_t bad_line; /* 0: parses; else the line refused, relative to the replaced one
		                  */
		int64_t id;
	} cases[] = {
	        {0, "cand\t1\tHF\t01+02\t0", 0, 1},
	        {0, "cand\t1006\tWH\t03\t1", 0, 1006},
	        {1, "cand\t9223372036854775807\tHF\t03\t1", 0, INT64_MAX},
	        {1, "cand\t9223372036854775808\tHF\t03\t1", 1, 0},
	        {1, "cand\t99999999999999999999\tHF\t03\t1", 1, 0},
	        {1, "cand\t1266\tHF\t03\t1", 1, 0},    /* the previous id again */
	        {0, "cand\t1007\tHF\t01+02\t0", 2, 0}, /* the next line's id: it is refused */
	        {0, "cand\t01\tHF\t01+02\t0", 1, 0},
	        {0, "cand\t+1\tHF\t01+02\t0", 1, 0},
	        {0, "cand\t-1\tHF\t01+02\t0", 1, 0},
	        {0, "cand\t0\tHF\t01+02\t0", 1, 0},
	        {0, "cand\t\tHF\t01+02\t0", 1, 0},
	        {0, "cand\t1 \tHF\t01+02\t0", 1, 0},
	        {0, "cand\t1\tHF \t01+02\t0", 1, 0},
	        {0, "cand\t1\tH\t01+02\t0", 1, 0},
	        {0, "cand\t1\t\t01+02\t0", 1, 0},
	        {0, "cand\t1\tHF\t01\t0", 1, 0},
	        {0, "cand\t1\tHF\t01+02\t2", 1, 0},
	        {0, "cand\t1\tHF\t01+02\t00", 1, 0},
	        {0, "cand\t1\tHF\t01+02\t0\t", 1, 0},
	        {0, "cand\t1\tHF\t01+02", 1, 0},
	        {0, "cand\t1\tHF\t01+02\t0\r", 1, 0},
	        {0, "cand 1\tHF\t01+02\t0", 1, 0},
	        {0, "area\tZZ", 1, 0}, /* an area after the candidates began */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = replace_line(f.buf, cases[i].last ? last : first, cases[i].line);
		struct kw_err err = KW_ERR_INIT;
		memset(&back, 0, sizeof back);
		int rc = kw_seat_inputs_parse(text, strlen(text), &back, &err);
		if (rc != (cases[i].bad_line ? KW_EINVAL : 0))
			fprintf(stderr, "case %zu: %s\n", i, cases[i].line);
		if (!cases[i].bad_line) {
			assert_int_equal(rc, 0);
			assert_int_equal(back.ncands, in.ncands);
			assert_true(back.cands[cases[i].last ? back.ncands - 1 : 0].reg_id ==
			            cases[i].id);
			kw_seat_inputs_release(&back);
		} else {
			size_t want =
			        (cases[i].last ? last_line : first_line) + cases[i].bad_line - 1;
			assert_int_equal(rc, KW_EINVAL);
			assert_int_equal(json_integer_value(json_object_get(err.details, "line")),
			                 want);
		}
		kw_err_release(&err);
		free(text);
	}
	kw_buf_release(&f);
	kw_seat_inputs_release(&in);
}

/* Bad input: more candidates than seats — the shortfall per area and subject group. */
static void seat1_shortfall_named(void **state)
{
	(void)state;
	struct kw_seat_inputs in;
	build(&in, 600, 0);
	assert_int_equal(kw_seat_inputs_normalise(&in, NULL), 0);
	uint8_t seed[32];
	seed_of(seed, 1);
	struct kw_seat_result r;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_seat_assign(&in, seed, &r, &err), KW_ERULE);
	assert_string_equal(err.code, "SEATS_SHORT");
	assert_true(r.nshorts >= 1);
	int seen_wh = 0;
	for (size_t i = 0; i < r.nshorts; i++) {
		assert_true(r.shorts[i].candidates > r.shorts[i].seats);
		if (r.shorts[i].area == 1 && r.shorts[i].group == 0) {
			seen_wh = 1; /* WH's 01+02: 60 seats in two rooms */
			assert_int_equal(r.shorts[i].seats, 60);
		}
	}
	assert_true(seen_wh);
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);
	kw_err_release(&err);
}

/* Bad input: a room with zero capacity; a ticket scheme too narrow or malformed. */
static void bad_rooms_and_schemes(void **state)
{
	(void)state;
	struct kw_seat_inputs in;
	struct kw_err err = KW_ERR_INIT;
	build(&in, 10, 0);
	in.rooms[2].seats = 0;
	assert_int_equal(kw_seat_inputs_normalise(&in, &err), KW_EINVAL);
	assert_string_equal(err.code, "ROOM_NO_SEATS");
	kw_seat_inputs_release(&in);

	build(&in, 150, 0);
	snprintf(in.rule.ticket_scheme, sizeof in.rule.ticket_scheme,
	         "{area:1}{centre:1}{room:1}{seat:1}");
	assert_int_equal(kw_seat_inputs_normalise(&in, NULL), 0);
	uint8_t seed[32];
	seed_of(seed, 1);
	struct kw_seat_result r;
	assert_int_equal(kw_seat_assign(&in, seed, &r, &err), KW_ERULE);
	assert_string_equal(err.code, "TICKET_SCHEME_TOO_NARROW");
	assert_string_equal(json_string_value(json_object_get(err.details, "field")), "seat");
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);

	const char *schemes[] = {"{area:2}{room:3}{seat:2}", "{area:2}{centre:2}{room:3}{seat:0}",
	                         "{area:2}{centre:2}{room:3}{seat:2}{seat:2}", "X {area:2}",
	                         "{area:2}{centre:2}{room:3}{seat:2}{name:2}"};
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		assert_int_equal(kw_seat_scheme_check(schemes[i], NULL), KW_EINVAL);
	assert_int_equal(kw_seat_scheme_check("K{year:2}-{area:2}{centre:2}{room:3}{seat:2}", NULL),
	                 0);
	/* a ticket number fits KW_SEAT_TICKET_MAX - 1 = 63 characters: 47 literal + 16 digits is
	 * the longest (numbers used to be cut at 63, silently, which could merge two seats) */
	assert_int_equal(kw_seat_scheme_check("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	                                      "{area:4}{centre:4}{room:4}{seat:4}",
	                                      NULL),
	                 0);
	assert_int_equal(kw_seat_scheme_check("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
	                                      "{area:4}{centre:4}{room:4}{seat:4}",
	                                      NULL),
	                 KW_EINVAL);

	struct kw_seat_rule rule;
	kw_seat_rule_default(&rule, 30, 2027);
	json_t *j = json_pack("{s:i}", "capacity", 0);
	assert_int_equal(kw_seat_rule_from_json(&rule, j, &err), KW_EINVAL);
	assert_string_equal(err.code, "SEAT_RULE_INVALID");
	json_decref(j);
	j = json_pack("{s:s}", "who_sits_where", "me");
	assert_int_equal(kw_seat_rule_from_json(&rule, j, &err), KW_EINVAL);
	json_decref(j);
	assert_int_equal(rule.capacity, 30); /* untouched by the refusals */
	kw_err_release(&err);
}

/*
 * A reference for the assignment file, written the plain way from docs/seating.md and
 * independently of src/core/seat.c: the ticket number by walking the scheme's text with one
 * snprintf a field, each line by one snprintf. The fast writer must give the same bytes.
 */
static void ref_ticket(const struct kw_seat_inputs *in, const struct kw_seat_result *r, uint32_t e,
                       uint32_t seat, char out[128])
{
	static const char *const names[] = {"year", "area", "centre", "room", "seat"};
	const struct kw_seat_examroom *x = &r->rooms[e];
	unsigned long long vals[] = {0, in->rooms[x->room].area + 1ull, x->centre_no, x->number,
	                             seat};
	size_t o = 0;
	for (const char *s = in->rule.ticket_scheme; *s;) {
		if (*s != '{') {
			out[o++] = *s++;
			continue;
		}
		const char *colon = strchr(s, ':');
		int w = colon[1] - '0', f = 0;
		while (strlen(names[f]) != (size_t)(colon - s - 1) ||
		       memcmp(names[f], s + 1, strlen(names[f])) != 0)
			f++;
		unsigned long long v = vals[f];
		if (f == 0) {
			unsigned long long m = 1;
			for (int i = 0; i < w; i++)
				m *= 10;
			v = (unsigned long long)in->rule.year % m;
		}
		o += (size_t)snprintf(out + o, 128 - o, "%0*llu", w, v);
		s = strchr(s, '}') + 1;
	}
	out[o] = '\0';
}

static void ref_write(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                      struct kw_buf *b, char digest[65])
{
	for (size_t i = 0; i < in->ncands; i++) {
		const struct kw_seat_examroom *e = &r->rooms[r->room_of[i]];
		const struct kw_seat_room *room = &in->rooms[e->room];
		char t[128];
		ref_ticket(in, r, r->room_of[i], r->seat_of[i], t);
		assert_int_equal(kw_buf_addf(b, "%lld\t%s\t%s\t%s\t%u\t%u\t%s\n",
		                             (long long)in->cands[i].reg_id, in->areas[room->area],
		                             room->centre, room->code, e->number, r->seat_of[i], t),
		                 0);
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)b->buf, b->len);
	sodium_bin2hex(digest, 65, h, sizeof h);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A code of 1..63 bytes: prefix, number, then a random tail (some codes long, to make an
 * exam room's text longer than one cache line). */
static char *rnd_code(uint64_t *s, const char *prefix, size_t i)
{
	char b[64];
	int n = snprintf(b, sizeof b, "%s%zu", prefix, i);
	size_t extra = rnd(s) % 4 == 0 ? rnd(s) % (63 - (size_t)n + 1) : rnd(s) % 3;
	for (size_t k = 0; k < extra; k++)
		b[n + (int)k] = (char)('a' + rnd(s) % 26);
	b[(size_t)n + extra] = '\0';
	return strdup(b);
}

/* Random inputs: 4 areas, groups 01 (paper, sitting 1), 02+03 (paper, 2 and 3), 09 (CBT, 1);
 * per area 5 centres of 8 paper rooms and 3 CBT rooms of 5..40 seats on floors 1..5; ncands
 * candidates (given unsorted) with rising ids up to INT64_MAX and one INT64_MIN, 2 % with
 * accommodations. */
static void build_random(struct kw_seat_inputs *in, uint64_t seedv, size_t ncands)
{
	uint64_t s = seedv * 0x9e3779b97f4a7c15ull + 1;
	memset(in, 0, sizeof *in);
	snprintf(in->exam, sizeof in->exam, "R-%llu", (unsigned long long)seedv);
	kw_seat_rule_default(&in->rule, 30, 2027);
	in->rule.accommodation_capacity = 10;
	in->nareas = 4;
	in->areas = calloc(in->nareas, sizeof *in->areas);
	for (size_t a = 0; a < in->nareas; a++)
		in->areas[a] = rnd_code(&s, "AR", a);
	in->ngroups = 3;
	in->groups = calloc(3, sizeof *in->groups);
	in->groups[0] = (struct kw_seat_group){strdup("01"), KW_SEAT_PAPER, 1u};
	in->groups[1] = (struct kw_seat_group){strdup("02+03"), KW_SEAT_PAPER, 6u};
	in->groups[2] = (struct kw_seat_group){strdup("09"), KW_SEAT_CBT, 1u};
	in->nrooms = in->nareas * 5 * 11;
	in->rooms = calloc(in->nrooms, sizeof *in->rooms);
	size_t k = 0;
	for (uint32_t a = 0; a < in->nareas; a++)
		for (size_t c = 0; c < 5; c++) {
			char *centre = rnd_code(&s, in->areas[a], c);
			centre[1] = 'C'; /* AR… → AC…: still unique, another text */
			for (size_t m = 0; m < 11; m++, k++)
				in->rooms[k] =
				        (struct kw_seat_room){a,
				                              strdup(centre),
				                              rnd_code(&s, "R", m),
				                              5 + (int)(rnd(&s) % 36),
				                              m < 8 ? KW_SEAT_PAPER : KW_SEAT_CBT,
				                              1 + (int)(rnd(&s) % 5),
				                              (int64_t)k};
			free(centre);
		}
	in->ncands = ncands;
	in->cands = calloc(ncands, sizeof *in->cands);
	int64_t id = 1;
	for (size_t i = 0; i < ncands; i++) {
		uint64_t g = rnd(&s) % 100;
		in->cands[ncands - 1 - i] = (struct kw_seat_cand){
		        .reg_id = i == ncands - 1   ? INT64_MAX
		                  : i == ncands - 2 ? INT64_MIN
		                                    : id,
		        .area = (uint32_t)(rnd(&s) % in->nareas),
		        .group = g < 5    ? 2u
		                 : g < 55 ? 0u
		                          : 1u,
		        .accommodation = rnd(&s) % 50 == 0,
		};
		id += 1 + (int64_t)(rnd(&s) % (i < ncands / 2 ? 10 : 1000000000000000ull));
	}
}

/* SEAT-1, the published format (docs/seating.md): the assignment file and digest, the
 * ticket numbers and a reseated ticket number are byte for byte those of the plain reference
 * above, on random inputs (codes up to 63 bytes, ids up to INT64_MAX, output over many 64 KB
 * chunks) under several ticket schemes (seat field first, in the middle, last). */
static void seat1_writer_matches_reference(void **state)
{
	(void)state;
	static const char *const schemes[] = {
	        "{year:2}{area:2}{centre:2}{room:3}{seat:2}",
	        "{seat:3}{room:3}{centre:2}{area:1}",
	        "KW-{year:4}-{area:2}-{centre:3}-{room:4}-{seat:3}-Z",
	        "{area:9}{centre:9}{room:9}{year:9}{seat:9}",
	        "{year:1}A{centre:2}{seat:2}b{area:2}{room:3}",
	};
	for (uint64_t round = 1; round <= 3; round++) {
		struct kw_seat_inputs in;
		build_random(&in, round, round == 1 ? 200 : 4000);
		assert_int_equal(kw_seat_inputs_normalise(&in, NULL), 0);
		for (size_t sc = 0; sc < sizeof schemes / sizeof schemes[0]; sc++) {
			snprintf(in.rule.ticket_scheme, sizeof in.rule.ticket_scheme, "%s",
			         schemes[sc]);
			struct kw_seat_result r;
			char got[65], want[65], bare[65];
			assign_ok(&in, (uint8_t)(round + sc), &r, bare);
			struct kw_buf b = KW_BUF_INIT, ref = KW_BUF_INIT;
			kw_buf_init(&b, 0);
			kw_buf_init(&ref, 0);
			assert_int_equal(kw_seat_result_write(&in, &r, &b, got), 0);
			ref_write(&in, &r, &ref, want);
			assert_int_equal(b.len, ref.len);
			assert_memory_equal(b.buf, ref.buf, ref.len);
			assert_string_equal(got, want);
			assert_string_equal(bare, want); /* without out: the same digest */
			for (size_t i = 0; i < in.ncands; i++) {
				char t[64], rt[128], moved[64];
				ref_ticket(&in, &r, r.room_of[i], r.seat_of[i], rt);
				kw_seat_ticket_no(&in, &r, r.room_of[i], r.seat_of[i], t, sizeof t);
				assert_string_equal(t, rt);
				if (i % 7)
					continue;
				/* the reseat path (a seat change): another seat of the same room */
				uint32_t e = r.room_of[i], to = r.rooms[e].count + 1;
				ref_ticket(&in, &r, e, to, rt);
				assert_int_equal(kw_seat_ticket_reseat(&in.rule, t, to, moved,
				                                       sizeof moved, NULL),
				                 0);
				assert_string_equal(moved, rt);
			}
			kw_buf_release(&b);
			kw_buf_release(&ref);
			kw_seat_result_release(&r);
		}
		kw_seat_inputs_release(&in);
	}
}

/* SEAT-1: the assignment digest of a fixed input is pinned, so that any change of the
 * published bytes (docs/seating.md) fails here even if the reference above changed with it.
 * The value is that of the writer before the fast one (commit 81640e8). */
static void seat1_assignment_digest_pinned(void **state)
{
	(void)state;
	struct kw_seat_inputs in;
	build(&in, 150, 3);
	assert_int_equal(kw_seat_inputs_normalise(&in, NULL), 0);
	struct kw_seat_result r;
	char d[65];
	assign_ok(&in, 1, &r, d);
	assert_string_equal(d, "22a52c7f0e66fb79a21062e1c6257d86ce1a0637da0c06e456de9d6d9bc70dc9");
	kw_seat_result_release(&r);
	snprintf(in.rule.ticket_scheme, sizeof in.rule.ticket_scheme, "%s",
	         "KW-{year:4}-{seat:3}{area:2}-{centre:3}-{room:4}Z");
	assign_ok(&in, 2, &r, d);
	assert_string_equal(d, "8cfd046ab3daae94927a93a293e87b9c9b6ca6ee97272e1d259c164525c02cec");
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);
}

/* The chart: serpentine rows alternate direction; "rows" all go left to right. */
static void chart_positions(void **state)
{
	(void)state;
	struct kw_seat_rule rule;
	kw_seat_rule_default(&rule, 30, 2027);
	uint32_t row, col;
	kw_seat_chart_pos(&rule, 5, &row, &col);
	assert_int_equal(row, 1);
	assert_int_equal(col, 5);
	kw_seat_chart_pos(&rule, 6, &row, &col);
	assert_int_equal(row, 2);
	assert_int_equal(col, 5);
	kw_seat_chart_pos(&rule, 10, &row, &col);
	assert_int_equal(col, 1);
	rule.serpentine = 0;
	kw_seat_chart_pos(&rule, 6, &row, &col);
	assert_int_equal(col, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(seat1_assignment_is_sound),
	        cmocka_unit_test(seat1_reproducible),
	        cmocka_unit_test(seat1_follows_the_documented_draw),
	        cmocka_unit_test(inputs_file_round_trip),
	        cmocka_unit_test(inputs_cand_lines),
	        cmocka_unit_test(seat1_shortfall_named),
	        cmocka_unit_test(bad_rooms_and_schemes),
	        cmocka_unit_test(chart_positions),
	        cmocka_unit_test(seat1_writer_matches_reference),
	        cmocka_unit_test(seat1_assignment_digest_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
