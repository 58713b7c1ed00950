/*
 * The proctor lottery (SEAT-2): the draw as a pure function of its inputs and seed, following
 * the documented streams (docs/proctors.md, docs/draws.md); an infeasible draw fails whole with
 * the shortfall per centre; the inputs file round trip (staff by number, no one named), its
 * refusals, and the digests that change with a tampered file or another seed.
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
#include "core/proctor.h"

static void seed_of(uint8_t seed[32], uint8_t v)
{
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(v * 7 + i);
}

static const char *const areas[] = {"AH-HF", "AH-WH"};
static const struct kw_proctor_centre centres[] = {{0, "HF-01"}, {0, "HF-02"}, {1, "WH-01"}};
/* HF-01: exam room 1 (floor 1, paper), 2 (floor 2, CBT), 3 (floor 2, paper); HF-02: 1 (floor
 * 1); WH-01: 1 (floor 3, CBT). */
static const struct kw_proctor_room rooms[] = {
        {.centre = 0, .number = 1, .floor = 1, .cbt = 0},
        {.centre = 0, .number = 2, .floor = 2, .cbt = 1},
        {.centre = 0, .number = 3, .floor = 2, .cbt = 0},
        {.centre = 1, .number = 1, .floor = 1, .cbt = 0},
        {.centre = 2, .number = 1, .floor = 3, .cbt = 1},
};

/* Staff ids 10, 20, …: HF has 2 chiefs, 9 proctors (ids 40 and 90 CBT-capable), 3 roving;
 * WH 1 chief, 2 proctors (one CBT-capable), 1 roving. */
static struct kw_proctor_staff staff[] = {
        {10, 0, KW_DUTY_CHIEF, 0},    {20, 0, KW_DUTY_CHIEF, 0},    {30, 0, KW_DUTY_PROCTOR, 0},
        {40, 0, KW_DUTY_PROCTOR, 1},  {50, 0, KW_DUTY_PROCTOR, 0},  {60, 0, KW_DUTY_PROCTOR, 0},
        {70, 0, KW_DUTY_PROCTOR, 0},  {80, 0, KW_DUTY_PROCTOR, 0},  {90, 0, KW_DUTY_PROCTOR, 1},
        {100, 0, KW_DUTY_PROCTOR, 0}, {110, 0, KW_DUTY_PROCTOR, 0}, {120, 0, KW_DUTY_ROVING, 0},
        {130, 0, KW_DUTY_ROVING, 0},  {140, 0, KW_DUTY_ROVING, 0},  {150, 1, KW_DUTY_CHIEF, 0},
        {160, 1, KW_DUTY_PROCTOR, 1}, {170, 1, KW_DUTY_PROCTOR, 0}, {180, 1, KW_DUTY_ROVING, 0},
};

static struct kw_proctor_inputs inputs(size_t nstaff)
{
	return (struct kw_proctor_inputs){
	        .exam = "JJ27",
	        .sitting = 0,
	        .per_room = 2,
	        .roving_per_floor = 1,
	        .areas = areas,
	        .nareas = 2,
	        .centres = centres,
	        .ncentres = 3,
	        .rooms = rooms,
	        .nrooms = 5,
	        .staff = staff,
	        .nstaff = nstaff,
	};
}

/* The shuffled pool of (area, duty) as docs/proctors.md says: staff of the area and duty in
 * staff order, shuffle(n) of the purpose's stream; out[k] = staff index. */
static size_t replay_pool(const struct kw_proctor_inputs *in, const uint8_t *seed, uint32_t area,
                          int duty, uint32_t *out)
{
	uint32_t ids[32], perm[32];
	size_t m = 0;
	for (size_t i = 0; i < in->nstaff; i++)
		if (in->staff[i].area == area && in->staff[i].duty == duty)
			ids[m++] = (uint32_t)i;
	char purpose[200];
	snprintf(purpose, sizeof purpose, "proctor:exam=%s:sitting=%d:area=%s:duty=%s", in->exam,
	         in->sitting, in->areas[area], kw_proctor_duty_name(duty));
	struct kw_draw_stream s;
	assert_int_equal(kw_draw_stream_init(&s, seed, purpose, NULL), 0);
	kw_draw_shuffle(&s, m, perm);
	kw_draw_stream_release(&s);
	for (size_t k = 0; k < m; k++)
		out[k] = ids[perm[k]];
	return m;
}

static const struct kw_proctor_assignment *of_staff(const struct kw_proctor_result *r, uint32_t s)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].staff == s)
			return &r->v[i];
	return NULL;
}

/* SEAT-2: one chief per centre, 2 proctors a room with a CBT-capable one in each CBT room,
 * one roving proctor per (centre, floor); the draw is the documented one. */
static void seat2_draw_follows_the_documented_rule(void **state)
{
	(void)state;
	struct kw_proctor_inputs in = inputs(18);
	uint8_t seed[32];
	seed_of(seed, 3);
	struct kw_proctor_result r;
	assert_int_equal(kw_proctor_draw(&in, seed, &r, NULL), 0);
	/* HF: 2 chiefs, 8 proctors, 3 roving (floors 1, 2 of HF-01 and 1 of HF-02); WH: 1, 2, 1 */
	assert_int_equal(r.n, 2 + 8 + 3 + 1 + 2 + 1);
	uint32_t p[32];
	/* chiefs: the k-th of the shuffled pool takes the k-th centre */
	replay_pool(&in, seed, 0, KW_DUTY_CHIEF, p);
	assert_int_equal(of_staff(&r, p[0])->centre, 0);
	assert_int_equal(of_staff(&r, p[1])->centre, 1);
	/* proctors of HF: the CBT room (index 1) takes the first CBT-capable of the shuffled pool,
	 * then rooms 0, 1, 2, 3 fill up in order from what is left */
	size_t np = replay_pool(&in, seed, 0, KW_DUTY_PROCTOR, p);
	assert_int_equal(np, 9);
	char taken[9] = {0};
	size_t q = 0;
	while (!in.staff[p[q]].cbt)
		q++;
	taken[q] = 1;
	assert_int_equal(of_staff(&r, p[q])->room, 1);
	int have[4] = {0, 1, 0, 0};
	q = 0;
	for (int room = 0; room < 4; room++)
		while (have[room] < 2) {
			while (taken[q])
				q++;
			taken[q] = 1;
			have[room]++;
			const struct kw_proctor_assignment *a = of_staff(&r, p[q]);
			assert_non_null(a);
			assert_int_equal(a->room, room);
			assert_int_equal(a->duty, KW_DUTY_PROCTOR);
		}
	/* one of nine is left over, not drawn */
	while (taken[q])
		q++;
	assert_null(of_staff(&r, p[q]));
	/* roving: HF-01 floors 1 and 2, then HF-02 floor 1 */
	replay_pool(&in, seed, 0, KW_DUTY_ROVING, p);
	assert_int_equal(of_staff(&r, p[0])->floor, 1);
	assert_int_equal(of_staff(&r, p[0])->centre, 0);
	assert_int_equal(of_staff(&r, p[1])->floor, 2);
	assert_int_equal(of_staff(&r, p[2])->centre, 1);
	/* WH's CBT room has its CBT-capable proctor */
	assert_int_equal(of_staff(&r, 15)->room, 4);
	kw_proctor_result_release(&r);
}

/* SEAT-2: too few eligible staff fails whole, every gap named per centre (and room or floor). */
static void seat2_shortfall_per_centre(void **state)
{
	(void)state;
	/* Only HF's first chief and its first five proctors (one CBT-capable): HF-02 has no
	 * chief, the rooms need 8 proctors, no roving proctor at all; WH has nobody. */
	struct kw_proctor_staff few[] = {
	        {10, 0, KW_DUTY_CHIEF, 0},   {30, 0, KW_DUTY_PROCTOR, 0},
	        {40, 0, KW_DUTY_PROCTOR, 1}, {50, 0, KW_DUTY_PROCTOR, 0},
	        {60, 0, KW_DUTY_PROCTOR, 0}, {70, 0, KW_DUTY_PROCTOR, 0},
	};
	struct kw_proctor_inputs in = inputs(0);
	in.staff = few;
	in.nstaff = 6;
	in.roving_per_floor = 2;
	uint8_t seed[32];
	seed_of(seed, 5);
	struct kw_proctor_result r;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_proctor_draw(&in, seed, &r, &err), KW_ERULE);
	assert_string_equal(err.code, "PROCTORS_SHORT");
	assert_string_equal(err.rule, "SEAT-2");
	assert_int_equal(r.n, 0);
	assert_null(r.v);
	/* per centre and duty, the missing heads */
	int chief[3] = {0}, proctor[3] = {0}, cbt[3] = {0}, roving[3] = {0};
	for (size_t i = 0; i < r.nshorts; i++) {
		const struct kw_proctor_short *x = &r.shorts[i];
		int gap = (int)(x->needed - x->available);
		if (x->duty == KW_DUTY_CHIEF)
			chief[x->centre] += gap;
		else if (x->duty == KW_DUTY_ROVING) {
			roving[x->centre] += gap;
			assert_int_equal(x->needed, 2); /* one entry per floor */
			assert_int_equal(x->room, -1);
		} else if (x->cbt)
			cbt[x->centre] += gap;
		else
			proctor[x->centre] += gap;
		if (x->duty == KW_DUTY_PROCTOR)
			assert_true(x->room >= 0 && rooms[x->room].centre == x->centre);
	}
	assert_int_equal(chief[0], 0);
	assert_int_equal(chief[1], 1);
	assert_int_equal(chief[2], 1);
	/* HF: 4 rooms × 2 = 8 needed, 5 there: 3 short (the CBT one is filled first) */
	assert_int_equal(proctor[0] + proctor[1], 3);
	assert_int_equal(cbt[0], 0);
	assert_int_equal(cbt[2], 1);
	assert_int_equal(proctor[2], 2);
	/* floors 1 and 2 of HF-01, floor 1 of HF-02, floor 3 of WH-01: two each */
	assert_int_equal(roving[0], 4);
	assert_int_equal(roving[1], 2);
	assert_int_equal(roving[2], 2);
	kw_err_release(&err);
	kw_proctor_result_release(&r);
}

static char *file_of(const struct kw_proctor_inputs *in, size_t *n)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	assert_int_equal(kw_proctor_inputs_check(in, NULL), 0);
	assert_int_equal(kw_proctor_inputs_write(in, &b), 0);
	return kw_buf_detach(&b, n);
}

/* The file names staff by number only; what parses writes back to the same bytes and draws
 * the same result digest. */
static void inputs_file_round_trip(void **state)
{
	(void)state;
	struct kw_proctor_inputs in = inputs(18);
	size_t n;
	char *text = file_of(&in, &n);
	assert_non_null(strstr(text, "kaowu-proctor-inputs/1\nexam\tJJ27\nsitting\t0\n"
	                             "rule\tper_room=2\troving_per_floor=1\n"
	                             "room\tAH-HF\tHF-01\t1\t1\t0\n"));
	assert_non_null(strstr(text, "\nstaff\t1\tAH-HF\tchief\t0\nstaff\t2\tAH-HF\tchief\t0\n"));
	assert_non_null(strstr(text, "\nstaff\t18\tAH-WH\troving\t0\n"));
	assert_null(strstr(text, "\t180\t")); /* no database id */
	struct kw_proctor_parsed p;
	memset(&p, 0, sizeof p);
	assert_int_equal(kw_proctor_inputs_parse(text, n, &p, NULL), 0);
	assert_int_equal(p.in.nstaff, 18);
	assert_int_equal(p.in.staff[17].id, 18);
	size_t n2;
	char *again = file_of(&p.in, &n2);
	assert_int_equal(n2, n);
	assert_memory_equal(again, text, n);
	uint8_t seed[32];
	seed_of(seed, 9);
	struct kw_proctor_result r1, r2;
	char d1[65], d2[65];
	struct kw_buf out = KW_BUF_INIT;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_proctor_draw(&in, seed, &r1, NULL), 0);
	assert_int_equal(kw_proctor_draw(&p.in, seed, &r2, NULL), 0);
	assert_int_equal(kw_proctor_result_write(&in, &r1, &out, d1), 0);
	assert_int_equal(kw_proctor_result_write(&p.in, &r2, NULL, d2), 0);
	assert_string_equal(d1, d2);
	/* the assignment file: staff in number order, a chief with no room or floor */
	assert_true(strncmp(out.buf, "1\tchief\tAH-HF\tHF-0", 18) == 0 ||
	            strncmp(out.buf, "2\tchief\tAH-HF\tHF-0", 18) == 0);
	assert_non_null(strstr(out.buf, "\t-\t-\n"));
	assert_non_null(strstr(out.buf, "\tWH-01\t1\t3\n"));
	kw_buf_release(&out);
	kw_proctor_result_release(&r1);
	kw_proctor_result_release(&r2);
	kw_proctor_parsed_release(&p);
	free(again);
	free(text);
}

/* A tampered file or another seed gives other digests. */
static void tampering_shows(void **state)
{
	(void)state;
	struct kw_proctor_inputs in = inputs(18);
	size_t n;
	char *text = file_of(&in, &n);
	unsigned char h[32];
	char d0[65], d1[65], r0[65], r1[65], r2[65];
	crypto_hash_sha256(h, (unsigned char *)text, n);
	sodium_bin2hex(d0, sizeof d0, h, sizeof h);
	/* staff 3 (a proctor who is not CBT-capable) made CBT-capable */
	char *at = strstr(text, "staff\t3\tAH-HF\tproctor\t0\n");
	assert_non_null(at);
	at[strlen("staff\t3\tAH-HF\tproctor\t")] = '1';
	crypto_hash_sha256(h, (unsigned char *)text, n);
	sodium_bin2hex(d1, sizeof d1, h, sizeof h);
	assert_string_not_equal(d0, d1);
	struct kw_proctor_parsed p;
	memset(&p, 0, sizeof p);
	assert_int_equal(kw_proctor_inputs_parse(text, n, &p, NULL), 0);
	uint8_t seed[32], other[32];
	seed_of(seed, 1);
	seed_of(other, 2);
	struct kw_proctor_result r;
	assert_int_equal(kw_proctor_draw(&in, seed, &r, NULL), 0);
	kw_proctor_result_write(&in, &r, NULL, r0);
	kw_proctor_result_release(&r);
	assert_int_equal(kw_proctor_draw(&in, other, &r, NULL), 0);
	kw_proctor_result_write(&in, &r, NULL, r1);
	kw_proctor_result_release(&r);
	assert_string_not_equal(r0, r1);
	/* the same seed again: the same digest (reproducible) */
	assert_int_equal(kw_proctor_draw(&in, seed, &r, NULL), 0);
	kw_proctor_result_write(&in, &r, NULL, r2);
	kw_proctor_result_release(&r);
	assert_string_equal(r0, r2);
	kw_proctor_parsed_release(&p);
	free(text);
}

/* Files that are not in the one form are refused with the line at fault. */
static void inputs_file_refusals(void **state)
{
	(void)state;
	static const char head[] = "kaowu-proctor-inputs/1\nexam\tE\nsitting\t0\n"
	                           "rule\tper_room=2\troving_per_floor=1\n";
	static const struct {
		const char *body;
		int line;
	} bad[] = {
	        {"room\tA\tC1\t1\t1\t0", 5},                              /* no final newline */
	        {"room\tA\tC1\t1\t1\t0\r\n", 5},                          /* CR */
	        {"room\tA\tC1\t2\t1\t0\nroom\tA\tC1\t1\t1\t0\n", 6},      /* rooms out of order */
	        {"room\tA\tC1\t1\t1\t0\nroom\tA\tC1\t1\t1\t0\n", 6},      /* a room twice */
	        {"room\tB\tC1\t1\t1\t0\nroom\tA\tC2\t1\t1\t0\n", 6},      /* areas out of order */
	        {"room\tA\tC2\t1\t1\t0\nroom\tA\tC1\t1\t1\t0\n", 6},      /* centres out of order */
	        {"room\tA\tC1\t01\t1\t0\n", 5},                           /* a leading zero */
	        {"room\tA\tC1\t1\t-0\t0\n", 5},                           /* minus zero */
	        {"room\tA\tC1\t1\t1\t2\n", 5},                            /* cbt is 0 or 1 */
	        {"room\tA\tC1\t1\t1\t0\t\n", 5},                          /* an extra field */
	        {"room\tA\tC1\t1\t1\t0\nstaff\t2\tA\tproctor\t0\n", 6},   /* numbers from 1 */
	        {"room\tA\tC1\t1\t1\t0\nstaff\t1\tB\tproctor\t0\n", 6},   /* an area with no room */
	        {"room\tA\tC1\t1\t1\t0\nstaff\t1\tA\tinspector\t0\n", 6}, /* not a duty */
	        {"room\tA\tC1\t1\t1\t0\nstaff\t1\tA\tproctor\t0\nroom\tA\tC1\t2\t1\t0\n", 7},
	        {"staff\t1\tA\tproctor\t0\n", 5},                             /* staff of no area */
	        {"room\tA\tC1\t1\t1\t0\nstaff\t1\tA\tproctor\t0\tname\n", 6}, /* more fields */
	        {"room\t\tC1\t1\t1\t0\n", 5},                                 /* an empty code */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[512];
		int n = snprintf(text, sizeof text, "%s%s", head, bad[i].body);
		struct kw_proctor_parsed p;
		memset(&p, 0, sizeof p);
		struct kw_err err = KW_ERR_INIT;
		if (kw_proctor_inputs_parse(text, (size_t)n, &p, &err) != KW_EINVAL)
			fail_msg("case %zu parsed", i);
		assert_string_equal(err.code, "PROCTOR_INPUTS_INVALID");
		if (json_integer_value(json_object_get(err.details, "line")) != bad[i].line)
			fail_msg(
			        "case %zu: line %lld, not %d", i,
			        (long long)json_integer_value(json_object_get(err.details, "line")),
			        bad[i].line);
		kw_err_release(&err);
	}
	/* the header lines in order, each once */
	static const char *const heads[] = {
	        "",
	        "kaowu-proctor-inputs/2\n",
	        "kaowu-proctor-inputs/1\nsitting\t0\n",
	        "kaowu-proctor-inputs/1\nexam\tE\nsitting\t33\n",
	        "kaowu-proctor-inputs/"
	        "1\nexam\tE\nsitting\t0\nrule\tper_room=0\troving_per_floor=1\n",
	        "kaowu-proctor-inputs/1\nexam\tE\nsitting\t0\n",
	};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		struct kw_proctor_parsed p;
		memset(&p, 0, sizeof p);
		if (kw_proctor_inputs_parse(heads[i], strlen(heads[i]), &p, NULL) != KW_EINVAL)
			fail_msg("header case %zu parsed", i);
	}
	/* no rooms and no staff: an empty draw, but a file */
	struct kw_proctor_parsed p;
	memset(&p, 0, sizeof p);
	assert_int_equal(kw_proctor_inputs_parse(head, strlen(head), &p, NULL), 0);
	kw_proctor_parsed_release(&p);
}

/* Inputs the file cannot say are refused before anything is written. */
static void check_and_result_refusals(void **state)
{
	(void)state;
	struct kw_proctor_inputs in = inputs(18);
	const char *const unsorted[] = {"AH-WH", "AH-HF"};
	in.areas = unsorted;
	assert_int_equal(kw_proctor_inputs_check(&in, NULL), KW_EINVAL);
	in = inputs(18);
	in.exam = "JJ\t27";
	assert_int_equal(kw_proctor_inputs_check(&in, NULL), KW_EINVAL);
	in = inputs(18);
	struct kw_proctor_staff swapped[2] = {staff[1], staff[0]};
	in.staff = swapped;
	in.nstaff = 2;
	assert_int_equal(kw_proctor_inputs_check(&in, NULL), KW_EINVAL);
	/* a staff member twice in a result */
	in = inputs(18);
	struct kw_proctor_assignment twice[2] = {{0, KW_DUTY_CHIEF, 0, -1, 0},
	                                         {0, KW_DUTY_CHIEF, 1, -1, 0}};
	struct kw_proctor_result r = {.v = twice, .n = 2};
	char d[65];
	assert_int_equal(kw_proctor_result_write(&in, &r, NULL, d), KW_EINVAL);
	/* a room out of range in the draw */
	struct kw_proctor_room far = {.centre = 7, .number = 1};
	in.rooms = &far;
	in.nrooms = 1;
	struct kw_proctor_result r2;
	uint8_t seed[32] = {0};
	assert_int_equal(kw_proctor_draw(&in, seed, &r2, NULL), KW_EINVAL);
	kw_proctor_result_release(&r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(seat2_draw_follows_the_documented_rule),
	        cmocka_unit_test(seat2_shortfall_per_centre),
	        cmocka_unit_test(inputs_file_round_trip),
	        cmocka_unit_test(tampering_shows),
	        cmocka_unit_test(inputs_file_refusals),
	        cmocka_unit_test(check_and_result_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
