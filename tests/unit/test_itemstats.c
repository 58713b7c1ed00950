/*
 * Item analysis (core/itemstats.h; issue 10 item 6). The expected numbers were computed by
 * hand-written textbook formulas (plain Python, no libraries: Pearson's r over the lists of
 * credits and rest scores, population variances, Cronbach's alpha, KR-20 on the number
 * right, quantiles linear between order statistics) from the sheets written here, not by
 * the code under test. Also: a paper form's sheets give the same statistics as the master's
 * (the permutation undone), the order of the sheets and a split over merged accumulators
 * change no bit, and the memory does not grow with the sheets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/itemstats.h"

#define A 0x01
#define B 0x02
#define C 0x04
#define D 0x08
#define E 0x10

#define NEAR(x, want) assert_true(fabs((x) - (want)) < 1e-9)

static struct kw_score_item one(uint8_t kind, uint8_t options, uint8_t key, int32_t points)
{
	return (struct kw_score_item){
	        .kind = kind, .options = options, .key = key, .points = points};
}

/* mixed: 1 single B (1), 2 single D (1), 3 true/false A (1), 4 single of 5 E (2),
 * 5 multiple ACD (2; 0.5 a correct option) */
static void key_mixed(struct kw_score_key *k)
{
	memset(k, 0, sizeof *k);
	k->n = 5;
	k->item[0] = one(KW_ITEM_SINGLE, 4, B, 100);
	k->item[1] = one(KW_ITEM_SINGLE, 4, D, 100);
	k->item[2] = one(KW_ITEM_TRUEFALSE, 2, A, 100);
	k->item[3] = one(KW_ITEM_SINGLE, 5, E, 200);
	k->item[4] = (struct kw_score_item){.kind = KW_ITEM_MULTIPLE,
	                                    .options = 4,
	                                    .key = A | C | D,
	                                    .partial = KW_PARTIAL_PER_OPTION,
	                                    .points = 200,
	                                    .partial_points = 50};
}

static const char *const sheets_mixed[] = {"BDAEd", "BDBE5", "ADAC1", "-CAEe", "3DA-d",
                                           "B*BA-", "CAAEc", "BDABd", "DBBD8", "BDAE9"};

/* four single/true-false items of 1 point each (or of 1, 3, 1.5 and 0.5 points) */
static void key_four(struct kw_score_key *k, int unequal)
{
	memset(k, 0, sizeof *k);
	k->n = 4;
	k->item[0] = one(KW_ITEM_SINGLE, 4, B, 100);
	k->item[1] = one(KW_ITEM_SINGLE, 4, D, unequal ? 300 : 100);
	k->item[2] = one(KW_ITEM_TRUEFALSE, 2, A, unequal ? 150 : 100);
	k->item[3] = one(KW_ITEM_SINGLE, 4, C, unequal ? 50 : 100);
}

static const char *const sheets_four[] = {"BDAC", "BDBC", "ADAC", "-CAA", "BDAC", "B*BA",
                                          "CAAC", "BDAB", "DBBD", "BDAC", "ABAC", "BDBD"};

static void decode(const char *s, size_t n, uint8_t *out)
{
	struct kw_answer_symbols sym;
	kw_answer_symbols_default(&sym);
	char msg[64];
	assert_int_equal(kw_answers_decode(&sym, s, strlen(s), n, out, msg, sizeof msg), 0);
}

static struct kw_itemstats *load(const struct kw_score_key *k, const char *const *sheets, size_t n)
{
	struct kw_itemstats *s = kw_itemstats_new(k);
	assert_non_null(s);
	uint8_t ans[8];
	for (size_t i = 0; i < n; i++) {
		decode(sheets[i], k->n, ans);
		kw_itemstats_add(s, ans);
	}
	return s;
}

/* One class's expected rate and point-biserial (NAN: undefined). */
static void expect_class(const struct kw_item_result *r, int cls, int64_t n, double pb)
{
	assert_int_equal(r->count[cls], n);
	NEAR(r->rate[cls], (double)n / (double)r->n);
	if (isnan(pb)) {
		assert_false(r->pb_ok[cls]);
	} else {
		assert_true(r->pb_ok[cls]);
		NEAR(r->pb[cls], pb);
	}
}

static void mixed_items(void **state)
{
	(void)state;
	struct kw_score_key k;
	key_mixed(&k);
	struct kw_itemstats *s = load(&k, sheets_mixed, 10);
	assert_int_equal(kw_itemstats_sheets(s), 10);
	assert_int_equal(kw_itemstats_unit(s), 50);
	assert_int_equal(kw_itemstats_max_total(s), 700);
	struct kw_item_result r;
	/* item 1: B right; A, C, D, blank and a multiple mark (AB) once each */
	kw_itemstats_item(s, 0, &r);
	NEAR(r.p, 0.5);
	NEAR(r.mean, 50);
	assert_true(r.disc_ok);
	NEAR(r.disc, 0.281271975231506);
	assert_int_equal(r.full, 5);
	expect_class(&r, 0, 1, -0.15001172012347);
	expect_class(&r, 1, 5, 0.281271975231506);
	expect_class(&r, 2, 1, 0.131260255108036);
	expect_class(&r, 3, 1, -0.525041020432144);
	expect_class(&r, KW_IS_BLANK, 1, -0.0562543950463012);
	expect_class(&r, KW_IS_MULTIPLE, 1, 0.131260255108036);
	expect_class(&r, KW_IS_INVALID, 0, NAN);
	/* item 2: an unreadable mark */
	kw_itemstats_item(s, 1, &r);
	NEAR(r.p, 0.6);
	NEAR(r.disc, 0.523612100954244);
	expect_class(&r, 1, 1, -0.536894987644704);
	expect_class(&r, KW_IS_INVALID, 1, -0.437469989932722);
	/* item 3: true/false */
	kw_itemstats_item(s, 2, &r);
	NEAR(r.p, 0.7);
	NEAR(r.disc, 0.344812943535657);
	expect_class(&r, 0, 7, 0.344812943535657);
	expect_class(&r, 1, 3, -0.344812943535657);
	/* item 4: 2 points, 5 options */
	kw_itemstats_item(s, 3, &r);
	NEAR(r.p, 0.5);
	NEAR(r.mean, 100);
	NEAR(r.disc, 0.126238880619561);
	expect_class(&r, 4, 5, 0.126238880619561);
	expect_class(&r, 1, 1, 0.462875895605056);
	expect_class(&r, KW_IS_BLANK, 1, 0.252477761239121);
	/* item 5: multiple choice with partial credit; each marked option counts */
	kw_itemstats_item(s, 4, &r);
	NEAR(r.p, 0.5);
	NEAR(r.mean, 100);
	NEAR(r.disc, 0.438866729387554);
	assert_int_equal(r.full, 3);
	expect_class(&r, 0, 6, 0.558068703625371);
	expect_class(&r, 1, 1, 0.0433963036602746);
	expect_class(&r, 2, 6, 0.425195202762187);
	expect_class(&r, 3, 7, 0.198866846404498);
	expect_class(&r, KW_IS_BLANK, 1, -0.390566732942472);
	expect_class(&r, KW_IS_MULTIPLE, 0, NAN);
	struct kw_reliability rel;
	kw_itemstats_reliability(s, &rel);
	assert_int_equal(rel.k, 5);
	assert_false(rel.dichotomous);
	assert_true(rel.alpha_ok);
	NEAR(rel.alpha, 0.530690537084399);
	assert_false(rel.kr20_ok); /* partial credit: KR-20 does not apply */
	assert_true(rel.sem_ok);
	NEAR(rel.sem, 135.462171841441);
	kw_itemstats_free(s);
}

static void mixed_distribution(void **state)
{
	(void)state;
	struct kw_score_key k;
	key_mixed(&k);
	struct kw_itemstats *s = load(&k, sheets_mixed, 10);
	struct kw_dist_summary d;
	kw_dist_summary(kw_itemstats_dist(s), &d);
	assert_int_equal(d.n, 10);
	NEAR(d.mean, 380);
	NEAR(d.sd, 197.737199332852);
	assert_int_equal(d.min, 50);
	assert_int_equal(d.max, 700);
	const double q[KW_DIST_QUANTILES] = {72.5, 95, 262.5, 400, 500, 610, 655};
	for (int i = 0; i < KW_DIST_QUANTILES; i++)
		NEAR(d.q[i], q[i]);
	/* 10 bins over 7 points: 1-point bins, the full score in the last */
	int32_t w = kw_dist_bin_width(700, 50, 10);
	assert_int_equal(w, 100);
	int64_t h[16];
	assert_int_equal(kw_dist_histogram(kw_itemstats_dist(s), w, h, 16), 7);
	const int64_t want[7] = {1, 1, 1, 1, 2, 2, 2};
	for (int i = 0; i < 7; i++)
		assert_int_equal(h[i], want[i]);
	kw_itemstats_free(s);
}

static void dichotomous_reliability(void **state)
{
	(void)state;
	struct kw_score_key k;
	key_four(&k, 0);
	struct kw_itemstats *s = load(&k, sheets_four, 12);
	struct kw_reliability rel;
	kw_itemstats_reliability(s, &rel);
	assert_true(rel.dichotomous);
	assert_true(rel.kr20_ok && rel.alpha_ok);
	NEAR(rel.alpha, 0.52863436123348);
	NEAR(rel.kr20, 0.52863436123348); /* equal points: KR-20 = alpha */
	NEAR(rel.sem, 86.2006702732383);
	struct kw_item_result r;
	kw_itemstats_item(s, 3, &r);
	NEAR(r.disc, 0.371428571428571);
	expect_class(&r, 0, 2, -0.377964473009227);
	struct kw_dist_summary d;
	kw_dist_summary(kw_itemstats_dist(s), &d);
	const double q[KW_DIST_QUANTILES] = {55, 100, 175, 250, 325, 400, 400};
	for (int i = 0; i < KW_DIST_QUANTILES; i++)
		NEAR(d.q[i], q[i]);
	kw_itemstats_free(s);
	/* unequal points: alpha on the points, KR-20 on the number right (the same as above) */
	key_four(&k, 1);
	s = load(&k, sheets_four, 12);
	kw_itemstats_reliability(s, &rel);
	NEAR(rel.alpha, 0.431357152205209);
	NEAR(rel.kr20, 0.52863436123348);
	kw_itemstats_item(s, 1, &r);
	NEAR(r.mean, 175);
	NEAR(r.disc, 0.544388228580824);
	kw_itemstats_item(s, 2, &r);
	NEAR(r.disc, 0.0922531208028885);
	kw_dist_summary(kw_itemstats_dist(s), &d);
	NEAR(d.sd, 210.282548015759);
	NEAR(d.q[3], 425);
	NEAR(d.q[2], 187.5);
	kw_itemstats_free(s);
}

static void same_results(const struct kw_itemstats *a, const struct kw_itemstats *b)
{
	assert_int_equal(kw_itemstats_sheets(a), kw_itemstats_sheets(b));
	for (size_t i = 0; i < kw_itemstats_items(a); i++) {
		struct kw_item_result x, y;
		kw_itemstats_item(a, i, &x);
		kw_itemstats_item(b, i, &y);
		assert_memory_equal(&x, &y, sizeof x);
	}
	struct kw_reliability x, y;
	kw_itemstats_reliability(a, &x);
	kw_itemstats_reliability(b, &y);
	assert_memory_equal(&x, &y, sizeof x);
	struct kw_dist_summary p, q;
	kw_dist_summary(kw_itemstats_dist(a), &p);
	kw_dist_summary(kw_itemstats_dist(b), &q);
	assert_memory_equal(&p, &q, sizeof p);
}

/* A form B sheet, in master order, is the master's sheet: statistics per MASTER item. */
static void forms_map_to_master(void **state)
{
	(void)state;
	struct kw_score_key k;
	key_mixed(&k);
	struct kw_form_perm p;
	kw_form_perm_identity(&p, 5);
	const uint16_t items[5] = {2, 4, 0, 3, 1};
	const char *opts[5] = {"AB", "BADC", "DCBA", "EABCD", "ABCD"};
	for (size_t i = 0; i < 5; i++) {
		p.item_perm[i] = items[i];
		for (size_t j = 0; opts[i][j]; j++)
			p.opt_perm[i][j] = (uint8_t)(opts[i][j] - 'A');
	}
	struct kw_score_key fk;
	char msg[128];
	assert_int_equal(kw_form_key_from_master(&k, &p, &fk, msg, sizeof msg), 0);
	struct kw_itemstats *master = load(&k, sheets_mixed, 10);
	struct kw_itemstats *form = kw_itemstats_new(&k);
	struct kw_score_compiled *fc = kw_score_compile(&fk);
	struct kw_itemstats_form *ff = kw_itemstats_form_new(&p);
	assert_non_null(ff);
	for (size_t s = 0; s < 10; s++) {
		uint8_t m[5], f[5];
		decode(sheets_mixed[s], 5, m);
		for (size_t i = 0; i < 5; i++) {
			uint8_t x = m[items[i]];
			f[i] = x & KW_ANS_INVALID;
			for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++)
				if (x & (1u << p.opt_perm[i][j]))
					f[i] |= (uint8_t)(1u << j);
		}
		/* the total is the form's score, the run's raw */
		assert_int_equal(kw_itemstats_add_form(form, ff, f), kw_score_sheet(fc, f));
		/* the form's table is kw_form_answers_to_master's mapping */
		uint8_t back[5];
		kw_form_answers_to_master(&p, f, back);
		assert_memory_equal(back, m, 5);
	}
	same_results(master, form);
	struct kw_item_result r;
	kw_itemstats_item(form, 4, &r);
	NEAR(r.disc, 0.438866729387554);
	kw_score_compiled_free(fc);
	kw_itemstats_form_free(ff);
	kw_itemstats_free(master);
	kw_itemstats_free(form);
}

/* Reversed order, and two halves merged: the same bits. */
static void order_and_merge(void **state)
{
	(void)state;
	struct kw_score_key k;
	key_mixed(&k);
	struct kw_itemstats *all = load(&k, sheets_mixed, 10);
	const char *rev[10];
	for (int i = 0; i < 10; i++)
		rev[i] = sheets_mixed[9 - i];
	struct kw_itemstats *back = load(&k, rev, 10);
	same_results(all, back);
	struct kw_itemstats *h1 = load(&k, sheets_mixed, 4);
	struct kw_itemstats *h2 = load(&k, sheets_mixed + 4, 6);
	assert_int_equal(kw_itemstats_merge(h1, h2), 0);
	same_results(all, h1);
	struct kw_score_key other;
	key_four(&other, 0);
	struct kw_itemstats *o = kw_itemstats_new(&other);
	assert_int_equal(kw_itemstats_merge(h1, o), -1);
	kw_itemstats_free(o);
	kw_itemstats_free(all);
	kw_itemstats_free(back);
	kw_itemstats_free(h1);
	kw_itemstats_free(h2);
}

/* Nobody, one sheet, everybody the same: nothing undefined is reported as a number. */
static void degenerate(void **state)
{
	(void)state;
	struct kw_score_key k;
	key_four(&k, 0);
	struct kw_itemstats *s = kw_itemstats_new(&k);
	struct kw_reliability rel;
	kw_itemstats_reliability(s, &rel);
	assert_false(rel.alpha_ok || rel.kr20_ok || rel.sem_ok);
	struct kw_item_result r;
	kw_itemstats_item(s, 0, &r);
	assert_int_equal(r.n, 0);
	assert_false(r.disc_ok);
	struct kw_dist_summary d;
	kw_dist_summary(kw_itemstats_dist(s), &d);
	assert_int_equal(d.n, 0);
	uint8_t ans[4];
	decode("BDAC", 4, ans);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kw_itemstats_add(s, ans), 400);
	kw_itemstats_reliability(s, &rel);
	assert_false(rel.alpha_ok);
	kw_itemstats_item(s, 0, &r);
	NEAR(r.p, 1);
	assert_false(r.disc_ok);
	assert_false(r.pb_ok[1]); /* everybody chose B */
	kw_dist_summary(kw_itemstats_dist(s), &d);
	NEAR(d.sd, 0);
	NEAR(d.q[0], 400);
	kw_itemstats_free(s);
	/* a key that is not well formed */
	k.item[0].key = A | B;
	assert_null(kw_itemstats_new(&k));
}

/* Many sheets: exact integer sums, cells widened past KW_DIST_MAX_CELLS. */
static void many_sheets_and_wide_range(void **state)
{
	(void)state;
	struct kw_score_key k;
	memset(&k, 0, sizeof k);
	k.n = 150;
	for (size_t i = 0; i < k.n; i++)
		k.item[i] = one(KW_ITEM_SINGLE, 4, (uint8_t)(1u << (i % 4)), 100);
	struct kw_itemstats *s = kw_itemstats_new(&k);
	uint8_t ans[150];
	uint64_t x = 88172645463325252ULL;
	for (int n = 0; n < 200000; n++) {
		for (size_t i = 0; i < 150; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			ans[i] = (uint8_t)(1u << (x % 4));
		}
		kw_itemstats_add(s, ans);
	}
	struct kw_item_result r;
	kw_itemstats_item(s, 7, &r);
	assert_int_equal(r.n, 200000);
	assert_true(r.p > 0.24 && r.p < 0.26);
	assert_true(fabs(r.disc) < 0.02); /* random answers: no discrimination */
	struct kw_reliability rel;
	kw_itemstats_reliability(s, &rel);
	assert_true(fabs(rel.alpha) < 0.05);
	kw_itemstats_free(s);
	/* totals up to 5,000,000 hundredths in steps of 1: cells of 5 hundredths */
	struct kw_dist *d = kw_dist_new(5000000, 1);
	assert_int_equal(kw_dist_cell(d), 5);
	kw_dist_add(d, 1234567);
	kw_dist_add(d, 7);
	struct kw_dist_summary sm;
	kw_dist_summary(d, &sm);
	assert_int_equal(sm.max, 1234567); /* extremes stay exact */
	assert_int_equal(sm.min, 7);
	kw_dist_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(mixed_items),
	        cmocka_unit_test(mixed_distribution),
	        cmocka_unit_test(dichotomous_reliability),
	        cmocka_unit_test(forms_map_to_master),
	        cmocka_unit_test(order_and_merge),
	        cmocka_unit_test(degenerate),
	        cmocka_unit_test(many_sheets_and_wide_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
