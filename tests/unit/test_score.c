/*
 * Objective scoring (core/score.h): the rule on hand-computed sheets (GRD-5), keys refused,
 * form keys as the permuted master (CUS-8), answer strings, and every vector path against
 * the reference on random keys and sheets (GRD-7: the same totals on every path).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/score.h"

#define A 0x01
#define B 0x02
#define C 0x04
#define D 0x08
#define E 0x10

static struct kw_score_item single(uint8_t key, int32_t points)
{
	return (struct kw_score_item){
	        .kind = KW_ITEM_SINGLE, .options = 4, .key = key, .points = points};
}

static struct kw_score_item multi(uint8_t kind, uint8_t options, uint8_t key, uint8_t partial,
                                  int32_t points, int32_t pp)
{
	return (struct kw_score_item){.kind = kind,
	                              .options = options,
	                              .key = key,
	                              .partial = partial,
	                              .points = points,
	                              .partial_points = pp};
}

static struct kw_score_item truefalse(uint8_t key, int32_t points)
{
	return (struct kw_score_item){
	        .kind = KW_ITEM_TRUEFALSE, .options = 2, .key = key, .points = points};
}

/* ---- the rule, by hand (GRD-5: objective scores computed from answers and keys) ---------- */

static void grd5_single_and_truefalse(void **state)
{
	(void)state;
	struct kw_score_item s = single(C, 150);
	assert_int_equal(kw_score_item_credit(&s, C), 150);
	assert_int_equal(kw_score_item_credit(&s, B), 0);
	assert_int_equal(kw_score_item_credit(&s, 0), 0);                  /* blank */
	assert_int_equal(kw_score_item_credit(&s, B | C), 0);              /* a multiple mark */
	assert_int_equal(kw_score_item_credit(&s, C | KW_ANS_INVALID), 0); /* flagged */
	assert_int_equal(kw_score_item_credit(&s, KW_ANS_INVALID), 0);
	assert_int_equal(kw_score_item_credit(&s, E), 0); /* an option the item lacks */
	struct kw_score_item t = truefalse(B, 100);       /* 错 */
	assert_int_equal(kw_score_item_credit(&t, B), 100);
	assert_int_equal(kw_score_item_credit(&t, A), 0);
	assert_int_equal(kw_score_item_credit(&t, A | B), 0);
	assert_int_equal(kw_score_item_credit(&t, 0), 0);
}

static void grd5_multiple_partial_modes(void **state)
{
	(void)state;
	/* 多选 ACD, 2 points, 0.5 per correct option marked when no wrong one is */
	struct kw_score_item m =
	        multi(KW_ITEM_MULTIPLE, 4, A | C | D, KW_PARTIAL_PER_OPTION, 200, 50);
	assert_int_equal(kw_score_item_credit(&m, A | C | D), 200);
	assert_int_equal(kw_score_item_credit(&m, A), 50);
	assert_int_equal(kw_score_item_credit(&m, A | D), 100);
	assert_int_equal(kw_score_item_credit(&m, C | D), 100);
	assert_int_equal(kw_score_item_credit(&m, A | B), 0);         /* B is wrong */
	assert_int_equal(kw_score_item_credit(&m, A | B | C | D), 0); /* all four: B wrong */
	assert_int_equal(kw_score_item_credit(&m, A | KW_ANS_INVALID), 0);
	assert_int_equal(kw_score_item_credit(&m, 0), 0);
	/* the same with no partial credit: only the exact set */
	m.partial = KW_PARTIAL_NONE;
	m.partial_points = 0;
	assert_int_equal(kw_score_item_credit(&m, A | C | D), 200);
	assert_int_equal(kw_score_item_credit(&m, A | C), 0);
	/* fixed: 1 point for any non-empty proper subset */
	m.partial = KW_PARTIAL_FIXED;
	m.partial_points = 100;
	assert_int_equal(kw_score_item_credit(&m, A | C | D), 200);
	assert_int_equal(kw_score_item_credit(&m, D), 100);
	assert_int_equal(kw_score_item_credit(&m, A | C), 100);
	assert_int_equal(kw_score_item_credit(&m, A | C | E), 0);
	/* 5 options, key ABCDE, 3 points, 0.5 each: four of five = 2 */
	struct kw_score_item f =
	        multi(KW_ITEM_MULTIPLE, 5, A | B | C | D | E, KW_PARTIAL_PER_OPTION, 300, 50);
	assert_int_equal(kw_score_item_credit(&f, A | B | C | D), 200);
	assert_int_equal(kw_score_item_credit(&f, A | B | C | D | E), 300);
}

static void grd5_indeterminate(void **state)
{
	(void)state;
	/* 不定项 with a single correct option B: only B scores; nothing is a proper subset */
	struct kw_score_item i1 =
	        multi(KW_ITEM_INDETERMINATE, 4, B, KW_PARTIAL_PER_OPTION, 200, 50);
	assert_int_equal(kw_score_item_credit(&i1, B), 200);
	assert_int_equal(kw_score_item_credit(&i1, A | B), 0);
	assert_int_equal(kw_score_item_credit(&i1, A), 0);
	struct kw_score_item i2 = multi(KW_ITEM_INDETERMINATE, 4, B | D, KW_PARTIAL_FIXED, 200, 80);
	assert_int_equal(kw_score_item_credit(&i2, B | D), 200);
	assert_int_equal(kw_score_item_credit(&i2, D), 80);
	assert_int_equal(kw_score_item_credit(&i2, B | C), 0);
}

/* A 6-item key and three sheets whose totals were added by hand. */
static void hand_key(struct kw_score_key *k)
{
	memset(k, 0, sizeof *k);
	k->n = 6;
	k->item[0] = single(A, 100);
	k->item[1] = single(D, 100);
	k->item[2] = multi(KW_ITEM_MULTIPLE, 4, B | C, KW_PARTIAL_PER_OPTION, 200, 50);
	k->item[3] = multi(KW_ITEM_MULTIPLE, 5, A | C | E, KW_PARTIAL_FIXED, 300, 100);
	k->item[4] = multi(KW_ITEM_INDETERMINATE, 4, A | B | D, KW_PARTIAL_PER_OPTION, 150, 25);
	k->item[5] = truefalse(A, 100);
}

static void grd5_sheets_by_hand(void **state)
{
	(void)state;
	static struct kw_score_key k;
	hand_key(&k);
	struct kw_score_compiled *c = kw_score_compile(&k);
	assert_non_null(c);
	assert_int_equal(kw_score_items_count(c), 6);
	const uint8_t s1[6] = {A, D, B | C, A | C | E, A | B | D, A}; /* all right: 9.5 */
	const uint8_t s2[6] = {A, C, B, A | E, A | D, B}; /* 1 + 0 + 0.5 + 1 + 0.5 + 0 = 3 */
	const uint8_t s3[6] = {0, KW_ANS_INVALID, A | B | C,
	                       C, A | B | C | D,  0}; /* 0 + 0 + 0 + 1 */
	assert_int_equal(kw_score_sheet(c, s1), 950);
	assert_int_equal(kw_score_sheet(c, s2), 300);
	assert_int_equal(kw_score_sheet(c, s3), 100);
	int32_t cr[6];
	kw_score_items(c, s2, cr);
	const int32_t want[6] = {100, 0, 50, 100, 50, 0};
	assert_memory_equal(cr, want, sizeof want);
	/* the same three on the array path, every path this CPU has */
	uint8_t arr[3 * 8];
	memset(arr, 0xEE, sizeof arr); /* the gap between sheets is ignored */
	memcpy(arr, s1, 6);
	memcpy(arr + 8, s2, 6);
	memcpy(arr + 16, s3, 6);
	const char *paths[] = {"scalar", "avx2", "avx512"};
	for (size_t p = 0; p < 3; p++) {
		if (kw_score_force_path(paths[p]))
			continue;
		int32_t tot[3] = {-1, -1, -1};
		kw_score_sheets(c, arr, 8, 3, tot);
		assert_int_equal(tot[0], 950);
		assert_int_equal(tot[1], 300);
		assert_int_equal(tot[2], 100);
	}
	kw_score_force_path(NULL);
	kw_score_compiled_free(c);
}

/* ---- keys refused ------------------------------------------------------------------------ */

static void expect_refused(const struct kw_score_item *it, size_t at, const char *words)
{
	static struct kw_score_key k;
	hand_key(&k);
	k.item[at] = *it;
	char err[256] = "";
	assert_int_equal(kw_score_key_check(&k, err, sizeof err), -1);
	char pos[32];
	snprintf(pos, sizeof pos, "第 %zu 题", at + 1);
	if (!strstr(err, pos) || !strstr(err, words))
		fail_msg("want \"%s\" and \"%s\" in \"%s\"", pos, words, err);
	assert_null(kw_score_compile(&k));
}

static void key_check_refusals(void **state)
{
	(void)state;
	static struct kw_score_key k;
	hand_key(&k);
	char err[256];
	assert_int_equal(kw_score_key_check(&k, err, sizeof err), 0);
	struct kw_score_item it;
	it = single(A, 100);
	it.kind = 9;
	expect_refused(&it, 1, "题型无效");
	it = single(A | B, 100);
	expect_refused(&it, 2, "恰好是一个选项");
	it = single(0, 100);
	expect_refused(&it, 0, "恰好是一个选项");
	it = single(E, 100); /* E on a 4-option item */
	expect_refused(&it, 3, "没有的选项");
	it = single(A, 100);
	it.options = 1;
	expect_refused(&it, 4, "选项数");
	it.options = 8;
	expect_refused(&it, 4, "选项数");
	it = truefalse(A, 100);
	it.options = 3;
	expect_refused(&it, 5, "判断题应有 2 个选项");
	it = truefalse(A | B, 100);
	expect_refused(&it, 5, "恰好是一个选项");
	it = multi(KW_ITEM_MULTIPLE, 4, C, KW_PARTIAL_NONE, 200, 0);
	expect_refused(&it, 2, "至少有两个选项");
	it = multi(KW_ITEM_INDETERMINATE, 4, 0, KW_PARTIAL_NONE, 200, 0);
	expect_refused(&it, 2, "至少有一个选项");
	it = single(A, -1);
	expect_refused(&it, 0, "分值 -0.01 无效");
	it = single(A, KW_SCORE_MAX_POINTS + 1);
	expect_refused(&it, 0, "无效");
	it = single(A, 100);
	it.partial = KW_PARTIAL_FIXED;
	it.partial_points = 50;
	expect_refused(&it, 0, "单选题不设部分得分");
	it = truefalse(A, 100);
	it.partial = KW_PARTIAL_PER_OPTION;
	it.partial_points = 50;
	expect_refused(&it, 5, "判断题不设部分得分");
	it = multi(KW_ITEM_MULTIPLE, 4, A | B, 7, 200, 50);
	expect_refused(&it, 2, "部分得分规则无效");
	it = multi(KW_ITEM_MULTIPLE, 4, A | B, KW_PARTIAL_NONE, 200, 50);
	expect_refused(&it, 2, "部分得分值应为 0");
	it = multi(KW_ITEM_MULTIPLE, 4, A | B, KW_PARTIAL_FIXED, 200, 0);
	expect_refused(&it, 2, "应大于 0 且低于满分");
	it = multi(KW_ITEM_MULTIPLE, 4, A | B, KW_PARTIAL_FIXED, 200, 200); /* = full marks */
	expect_refused(&it, 2, "应大于 0 且低于满分");
	/* ABCD at 2 points, 1 point each: three of four would reach (pass) the full 2 */
	it = multi(KW_ITEM_MULTIPLE, 4, A | B | C | D, KW_PARTIAL_PER_OPTION, 200, 100);
	expect_refused(&it, 3, "少选 3 项即可达到满分");
	/* 0.5 each is fine: three of four = 1.5 */
	it.partial_points = 50;
	k.item[3] = it;
	assert_int_equal(kw_score_key_check(&k, err, sizeof err), 0);
	/* item counts */
	k.n = 0;
	assert_int_equal(kw_score_key_check(&k, err, sizeof err), -1);
	assert_non_null(strstr(err, "题数"));
	k.n = KW_SCORE_MAX_ITEMS + 1;
	assert_int_equal(kw_score_key_check(&k, err, sizeof err), -1);
	assert_int_equal(kw_score_key_check(&k, NULL, 0), -1); /* no buffer: still refused */
}

/* ---- forms (CUS-8: each shuffled form against its key) ----------------------------------- */

/* A form of the hand key: items reversed, options rotated where the item allows. */
static void hand_perm(struct kw_form_perm *p)
{
	kw_form_perm_identity(p, 6);
	for (size_t i = 0; i < 6; i++)
		p->item_perm[i] = (uint16_t)(5 - i);
	/* form item 0 = master 5 (true/false): identity. form 1 = master 4 (4 options) */
	const uint8_t r4[4] = {1, 2, 3, 0}; /* form A = master B, …, form D = master A */
	memcpy(p->opt_perm[1], r4, 4);
	const uint8_t r5[5] = {4, 3, 2, 1, 0}; /* form 2 = master 3 (5 options), reversed */
	memcpy(p->opt_perm[2], r5, 5);
	const uint8_t s4[4] = {2, 0, 3, 1}; /* form 4 = master 1 (single, key D) */
	memcpy(p->opt_perm[4], s4, 4);
}

static void cus8_form_key_round_trip(void **state)
{
	(void)state;
	static struct kw_score_key master, form;
	static struct kw_form_perm p;
	hand_key(&master);
	hand_perm(&p);
	char err[256] = "";
	assert_int_equal(kw_form_key_from_master(&master, &p, &form, err, sizeof err), 0);
	/* by hand: master 4 is ABD (indeterminate); form A=B, B=C, C=D, D=A → form ACD */
	assert_int_equal(form.item[1].key, A | C | D);
	assert_int_equal(form.item[1].points, 150);
	/* master 3 is ACE over 5 options reversed: form A=E, C=C, E=A → form ACE again */
	assert_int_equal(form.item[2].key, A | C | E);
	/* master 1 is single D; form B = master A… form C = master D → C */
	assert_int_equal(form.item[4].key, C);
	assert_int_equal(form.item[0].kind, KW_ITEM_TRUEFALSE);
	assert_int_equal(form.item[0].key, A);
	assert_int_equal(kw_form_key_verify(&master, &p, &form, err, sizeof err), 0);

	/* A form sheet scores on the form key exactly as its master-order answers on the
	 * master key, item for item. */
	struct kw_score_compiled *cm = kw_score_compile(&master), *cf = kw_score_compile(&form);
	assert_non_null(cm);
	assert_non_null(cf);
	uint64_t x = 99;
	for (int round = 0; round < 2000; round++) {
		uint8_t fa[6], ma[6];
		for (int i = 0; i < 6; i++) {
			x = x * 6364136223846793005u + 1442695040888963407u;
			uint8_t b = (uint8_t)(x >> 56);
			fa[i] = (x >> 20) % 3 == 0 ? form.item[i].key : (b & 0x1f) | (b & 0x80);
		}
		kw_form_answers_to_master(&p, fa, ma);
		int32_t cf_[6], cm_[6];
		kw_score_items(cf, fa, cf_);
		kw_score_items(cm, ma, cm_);
		for (int i = 0; i < 6; i++)
			assert_int_equal(cf_[i], cm_[p.item_perm[i]]);
		assert_int_equal(kw_score_sheet(cf, fa), kw_score_sheet(cm, ma));
	}
	/* answers move with the options: form item 1 marked A (= master B) lands on master 4 */
	const uint8_t fa[6] = {A, A, E, 0, C, KW_ANS_INVALID | A};
	uint8_t ma[6];
	kw_form_answers_to_master(&p, fa, ma);
	const uint8_t want[6] = {KW_ANS_INVALID | A, D, 0, A, B, A};
	assert_memory_equal(ma, want, 6);
	kw_score_compiled_free(cm);
	kw_score_compiled_free(cf);
}

static void expect_verify_fails(const struct kw_score_key *master, const struct kw_form_perm *p,
                                const struct kw_score_key *form, const char *words)
{
	char err[256] = "";
	assert_int_equal(kw_form_key_verify(master, p, form, err, sizeof err), -1);
	if (!strstr(err, words))
		fail_msg("want \"%s\" in \"%s\"", words, err);
}

static void cus8_form_key_refused(void **state)
{
	(void)state;
	static struct kw_score_key master, good, bad;
	static struct kw_form_perm p, q;
	hand_key(&master);
	hand_perm(&p);
	assert_int_equal(kw_form_key_from_master(&master, &p, &good, NULL, 0), 0);

	/* one wrong key: form item 4 (master item 2) says B instead of C */
	bad = good;
	bad.item[4].key = B;
	expect_verify_fails(&master, &p, &bad,
	                    "第 5 题（母卷第 2 题）：答案不一致（按置换应为 C，本卷为 B）");
	/* options swapped: the form's key was written with the master's option order */
	bad = good;
	bad.item[1].key = master.item[4].key; /* ABD, as in the master */
	expect_verify_fails(&master, &p, &bad,
	                    "第 2 题（母卷第 5 题）：答案不一致（按置换应为 ACD，本卷为 ABD）");
	/* different points */
	bad = good;
	bad.item[3].points = 250;
	expect_verify_fails(&master, &p, &bad,
	                    "第 4 题（母卷第 3 题）：分值不一致（应为 2 分，本卷为 2.5 分）");
	/* different partial credit */
	bad = good;
	bad.item[2].partial_points = 50;
	expect_verify_fails(&master, &p, &bad,
	                    "第 3 题（母卷第 4 题）：部分得分不一致（应为 1 分，本卷为 0.5 分）");
	bad = good;
	bad.item[2].partial = KW_PARTIAL_PER_OPTION;
	expect_verify_fails(&master, &p, &bad, "第 3 题（母卷第 4 题）：部分得分规则不一致");
	/* different kind, options, item count */
	bad = good;
	bad.item[5].kind = KW_ITEM_MULTIPLE;
	expect_verify_fails(&master, &p, &bad,
	                    "第 6 题（母卷第 1 题）：题型不一致（应为单选题，本卷为多选题）");
	bad = good;
	bad.item[5].options = 5;
	expect_verify_fails(&master, &p, &bad, "第 6 题（母卷第 1 题）：选项数不一致");
	bad = good;
	bad.n = 5;
	expect_verify_fails(&master, &p, &bad, "题数（5）与母卷的题数（6）不一致");
	/* two items swapped in the form key but not in the permutation: the first is named */
	bad = good;
	bad.item[0] = good.item[5];
	bad.item[5] = good.item[0];
	expect_verify_fails(&master, &p, &bad, "第 1 题（母卷第 6 题）");
	/* the correct form key under the identity permutation is not this form */
	kw_form_perm_identity(&q, 6);
	expect_verify_fails(&master, &q, &good, "第 1 题（母卷第 1 题）：题型不一致");

	/* permutations refused */
	char err[256];
	q = p;
	q.item_perm[3] = q.item_perm[0]; /* master 6 twice */
	assert_int_equal(kw_form_key_from_master(&master, &q, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "第 4 题：对应的母卷题号 6 与前面的题重复"));
	q = p;
	q.item_perm[2] = 6;
	assert_int_equal(kw_form_key_verify(&master, &q, &good, err, sizeof err), -1);
	assert_non_null(strstr(err, "超出母卷题数"));
	q = p;
	q.opt_perm[0][0] = 1; /* true/false A ↔ B */
	q.opt_perm[0][1] = 0;
	assert_int_equal(kw_form_key_from_master(&master, &q, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "第 1 题（母卷第 6 题）：判断题的选项不能置换"));
	q = p;
	q.opt_perm[1][2] = 1; /* B twice */
	assert_int_equal(kw_form_key_from_master(&master, &q, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "第 2 题（母卷第 5 题）：选项置换"));
	q = p;
	q.opt_perm[1][4] = 0; /* an option the item lacks must stay put */
	assert_int_equal(kw_form_key_from_master(&master, &q, &bad, err, sizeof err), -1);
	q = p;
	q.opt_perm[5][1] = 4; /* points outside a 4-option item */
	q.opt_perm[5][4] = 1;
	assert_int_equal(kw_form_key_from_master(&master, &q, &bad, err, sizeof err), -1);
	q = p;
	q.n = 5;
	assert_int_equal(kw_form_key_from_master(&master, &q, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "置换的题数"));
	/* a broken master is refused before anything else */
	bad = master;
	bad.item[0].key = 0;
	assert_int_equal(kw_form_key_verify(&bad, &p, &good, err, sizeof err), -1);
	assert_non_null(strstr(err, "母卷答案：第 1 题"));
}

/* ---- answer strings ---------------------------------------------------------------------- */

static void decodes_default_symbols(void **state)
{
	(void)state;
	struct kw_answer_symbols s;
	kw_answer_symbols_default(&s);
	const char *text = "ABCDEFG1239adfv -0*?";
	uint8_t out[32];
	char err[128];
	assert_int_equal(
	        kw_answers_decode(&s, text, strlen(text), strlen(text), out, err, sizeof err), 0);
	const uint8_t want[] = {
	        A,  B,  C, D, E, 0x20,           0x40,          A, B, A | B, 9, 10, 13,
	        15, 31, 0, 0, 0, KW_ANS_INVALID, KW_ANS_INVALID};
	assert_memory_equal(out, want, sizeof want);
	/* the header's examples: AB = '3', ACD = 'd', ABCD = 'f'; 'z' = 35 = {A, B, F} */
	assert_int_equal(s.map['3'], A | B);
	assert_int_equal(s.map['d'], A | C | D);
	assert_int_equal(s.map['f'], A | B | C | D);
	assert_int_equal(s.map['z'], A | B | 0x20);
	assert_int_equal(s.map['a'], B | D); /* lowercase is a set, not an option */
	/* every set of options A..E is exactly one symbol */
	int seen[32] = {0};
	for (int c = 0; c < 256; c++)
		if (s.valid[c] && s.map[c] < 32 && !(c >= 'A' && c <= 'G'))
			seen[s.map[c]]++;
	for (int v = 1; v < 32; v++)
		assert_int_equal(seen[v], 1);
}

static void decode_errors(void **state)
{
	(void)state;
	struct kw_answer_symbols s;
	kw_answer_symbols_default(&s);
	uint8_t out[8];
	char err[128];
	assert_int_equal(kw_answers_decode(&s, "ABCD", 4, 5, out, err, sizeof err), -1);
	assert_string_equal(err, "答案串有 4 个符号，应为 5 个（每题一个）");
	assert_int_equal(kw_answers_decode(&s, "AB#D", 4, 4, out, err, sizeof err), -1);
	assert_string_equal(err, "第 3 题：无法识别的符号 '#'");
	assert_int_equal(kw_answers_decode(&s, "AB\xe4", 3, 3, out, err, sizeof err), -1);
	assert_string_equal(err, "第 3 题：无法识别的符号 '\\xE4'");
	assert_int_equal(kw_answers_decode(&s, "H", 1, 1, out, err, sizeof err), -1);
	assert_string_equal(err, "第 1 题：无法识别的符号 'H'");
	assert_int_equal(kw_answers_decode(&s, "A\0", 2, 2, out, err, sizeof err), -1);
	assert_string_equal(err, "第 2 题：无法识别的符号 '\\x00'");
	assert_int_equal(kw_answers_decode(&s, "", 0, 0, out, NULL, 0), 0);
	/* an override: this scanner writes '.' for blank and 'X' for a multiple mark */
	s.valid['.'] = 1;
	s.map['.'] = 0;
	s.valid['X'] = 1;
	s.map['X'] = KW_ANS_INVALID;
	s.valid['-'] = 0;
	assert_int_equal(kw_answers_decode(&s, ".XA", 3, 3, out, err, sizeof err), 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], KW_ANS_INVALID);
	assert_int_equal(kw_answers_decode(&s, "A-", 2, 2, out, err, sizeof err), -1);
	assert_string_equal(err, "第 2 题：无法识别的符号 '-'");
	/* never past len: an exact-size buffer with no NUL (ASan would see a read past it) */
	char *exact = malloc(3);
	memcpy(exact, "ABC", 3);
	assert_int_equal(kw_answers_decode(&s, exact, 3, 3, out, err, sizeof err), 0);
	free(exact);
	/* a tiny error buffer truncates */
	char small[8];
	assert_int_equal(kw_answers_decode(&s, "#", 1, 1, out, small, sizeof small), -1);
	assert_true(strlen(small) < sizeof small);
}

static void formats_hundredths(void **state)
{
	(void)state;
	char b[32];
	const struct {
		int32_t h;
		const char *s;
	} cases[] = {{8750, "87.5"},  {8700, "87"},
	             {8725, "87.25"}, {5, "0.05"},
	             {0, "0"},        {-150, "-1.5"},
	             {10, "0.1"},     {100000, "1000"},
	             {1, "0.01"},     {INT32_MIN, "-21474836.48"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kw_score_fmt(cases[i].h, b, sizeof b);
		assert_string_equal(b, cases[i].s);
	}
	char t[3];
	kw_score_fmt(8725, t, sizeof t);
	assert_string_equal(t, "87");
}

/* Scores given as text (interview marks, lines, composites' inputs). */
static void parses_hundredths(void **state)
{
	(void)state;
	const struct {
		const char *s;
		int64_t h;
	} cases[] = {{"87", 8700},    {"87.5", 8750}, {"87.25", 8725},
	             {"0", 0},        {"0.05", 5},    {"1000000", 100000000},
	             {"1000001", -1}, {"87.255", -1}, {"-1", -1},
	             {"+1", -1},      {" 1", -1},     {"1 ", -1},
	             {"", -1},        {".5", -1},     {"5.", -1},
	             {"1e2", -1},     {"0x10", -1}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(kw_score_parse(cases[i].s), cases[i].h);
	assert_int_equal(kw_score_parse(NULL), -1);
	/* what the formatter writes, read back */
	char b[32];
	for (int32_t h = 0; h < 20000; h += 7) {
		kw_score_fmt(h, b, sizeof b);
		assert_int_equal(kw_score_parse(b), h);
	}
}

/* ---- every path against the reference (GRD-7: recomputed independently, same totals) ---- */

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint8_t random_set(uint64_t *s, int options, int min_bits)
{
	for (;;) {
		uint8_t k = (uint8_t)(rng(s) & ((1u << options) - 1));
		if (__builtin_popcount(k) >= min_bits)
			return k;
	}
}

/* A random well-formed key. big: some items worth more than 255 units (no byte path). */
static void random_key(uint64_t *s, size_t n, int big, struct kw_score_key *k)
{
	static const int32_t units[] = {1, 5, 10, 25, 50, 100};
	int32_t u = units[rng(s) % 6];
	/* half the keys give every PER_OPTION item the same credit (as real keys do: 0.5 a
	 * correct option), which the vector paths score with one table per 64 items */
	int32_t same = rng(s) % 2 ? (int32_t)(1 + rng(s) % 3) : 0;
	k->n = n;
	for (size_t i = 0; i < n; i++) {
		struct kw_score_item *it = &k->item[i];
		memset(it, 0, sizeof *it);
		it->kind = (uint8_t)(rng(s) % 4);
		it->options = it->kind == KW_ITEM_TRUEFALSE ? 2 : (uint8_t)(2 + rng(s) % 6);
		int32_t r = rng(s) % 8 == 0 ? (int32_t)(rng(s) % 256) : (int32_t)(1 + rng(s) % 6);
		if (big && rng(s) % 4 == 0)
			r = 256 + (int32_t)(rng(s) % 5000);
		it->points = r * u;
		switch (it->kind) {
		case KW_ITEM_SINGLE:
		case KW_ITEM_TRUEFALSE:
			it->key = (uint8_t)(1u << (rng(s) % it->options));
			continue;
		case KW_ITEM_MULTIPLE:
			it->key = random_set(s, it->options, 2);
			break;
		default:
			it->key = random_set(s, it->options, 1);
			break;
		}
		int bits = __builtin_popcount(it->key);
		it->partial = (uint8_t)(rng(s) % 3);
		if (it->partial == KW_PARTIAL_PER_OPTION) {
			int32_t q = bits > 1 ? (r - 1) / (bits - 1) : r - 1;
			if (q > 0 && same) {
				if (same > q)
					goto none;
				it->partial_points = same * u;
				continue;
			}
			if (q > 0) {
				it->partial_points = (1 + (int32_t)(rng(s) % (uint64_t)q)) * u;
				continue;
			}
		} else if (it->partial == KW_PARTIAL_FIXED && r > 1) {
			it->partial_points = (1 + (int32_t)(rng(s) % (uint64_t)(r - 1))) * u;
			continue;
		}
	none:
		it->partial = KW_PARTIAL_NONE;
	}
}

static uint8_t random_answer(uint64_t *s, const struct kw_score_item *it)
{
	switch (rng(s) % 8) {
	case 0:
		return 0;
	case 1:
	case 2:
		return it->key;
	case 3:
	case 4: /* a subset of the key, maybe empty or whole */
		return (uint8_t)(it->key & rng(s));
	case 5:
		return (uint8_t)((it->key & rng(s)) | KW_ANS_INVALID);
	case 6:
		return (uint8_t)(rng(s) & ((1u << it->options) - 1));
	default:
		return (uint8_t)rng(s);
	}
}

static void cross_check(uint64_t *s, size_t items, size_t sheets, int big, int *fast_seen)
{
	static struct kw_score_key k;
	random_key(s, items, big, &k);
	char err[256];
	if (kw_score_key_check(&k, err, sizeof err))
		fail_msg("random key refused: %s", err);
	struct kw_score_compiled *c = kw_score_compile(&k);
	assert_non_null(c);
	size_t stride = items + (rng(s) % 3 == 0 ? rng(s) % 40 : 0);
	/* exactly the bytes the caller owns: the last sheet ends the allocation */
	size_t bytes = (sheets - 1) * stride + items;
	uint8_t *ans = malloc(bytes);
	int32_t *want = malloc(sheets * sizeof *want), *got = malloc(sheets * sizeof *got);
	for (size_t i = 0; i < bytes; i++)
		ans[i] = (uint8_t)rng(s); /* gaps hold noise */
	for (size_t j = 0; j < sheets; j++) {
		for (size_t i = 0; i < items; i++)
			ans[j * stride + i] = random_answer(s, &k.item[i]);
		want[j] = kw_score_sheet(c, ans + j * stride);
		int32_t cr[KW_SCORE_MAX_ITEMS], sum = 0;
		kw_score_items(c, ans + j * stride, cr);
		for (size_t i = 0; i < items; i++)
			sum += cr[i];
		assert_int_equal(sum, want[j]);
	}
	const char *paths[] = {"scalar", "avx2", "avx512"};
	for (size_t p = 0; p < 3; p++) {
		if (kw_score_force_path(paths[p]))
			continue;
		if (strcmp(kw_score_sheets_path(c), paths[p]) == 0)
			fast_seen[p]++;
		memset(got, 0xA5, sheets * sizeof *got);
		kw_score_sheets(c, ans, stride, sheets, got);
		for (size_t j = 0; j < sheets; j++)
			if (got[j] != want[j])
				fail_msg("path %s (%s), %zu items, sheet %zu of %zu: %d, reference "
				         "%d",
				         paths[p], kw_score_sheets_path(c), items, j, sheets,
				         got[j], want[j]);
	}
	kw_score_force_path(NULL);
	free(ans);
	free(want);
	free(got);
	kw_score_compiled_free(c);
}

static void grd7_every_path_equals_reference(void **state)
{
	(void)state;
	uint64_t s = 20261207;
	int seen[3] = {0};
	/* the edges of 16-, 32- and 64-byte vectors, one item, the most items */
	static const size_t edges[] = {1,  2,   15,  16,  17,  31,  32,  33,  63,   64,  65,
	                               95, 127, 128, 129, 150, 191, 255, 257, 1023, 1024};
	for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++)
		for (int r = 0; r < 6; r++)
			cross_check(&s, edges[e], 1 + rng(&s) % 40, r == 5, seen);
	/* thousands of random keys and sheets */
	for (int r = 0; r < 3000; r++) {
		size_t items =
		        rng(&s) % 4 == 0 ? 1 + rng(&s) % KW_SCORE_MAX_ITEMS : 1 + rng(&s) % 200;
		cross_check(&s, items, 1 + rng(&s) % 24, rng(&s) % 10 == 0, seen);
	}
	/* each vector path the CPU has was really taken (not always the fallback) */
	if (kw_score_force_path("avx2") == 0)
		assert_true(seen[1] > 1000);
	if (kw_score_force_path("avx512") == 0)
		assert_true(seen[2] > 1000);
	kw_score_force_path(NULL);
	print_message("paths taken: scalar %d, avx2 %d, avx512 %d keys; this CPU: %s\n", seen[0],
	              seen[1], seen[2], kw_score_path());
}

/* Points at the byte paths' edge: 255 units fit, 256 fall back, both exact. */
static void large_points_fall_back_exactly(void **state)
{
	(void)state;
	static struct kw_score_key k;
	memset(&k, 0, sizeof k);
	k.n = 70;
	for (size_t i = 0; i < k.n; i++)
		k.item[i] = single(A, 255); /* unit 255: 1 unit each */
	k.item[69] = multi(KW_ITEM_MULTIPLE, 4, A | B, KW_PARTIAL_FIXED, 255 * 255, 255);
	struct kw_score_compiled *c = kw_score_compile(&k);
	uint8_t ans[70];
	memset(ans, A, sizeof ans);
	ans[69] = A | B;
	int32_t want = 69 * 255 + 255 * 255, t = 0;
	assert_int_equal(kw_score_sheet(c, ans), want);
	kw_score_sheets(c, ans, 70, 1, &t);
	assert_int_equal(t, want);
	assert_string_equal(kw_score_sheets_path(c), kw_score_path()); /* still a byte path */
	kw_score_compiled_free(c);

	k.item[69].points = 256 * 255;
	c = kw_score_compile(&k);
	assert_string_equal(kw_score_sheets_path(c), "scalar");
	want = 69 * 255 + 256 * 255;
	assert_int_equal(kw_score_sheet(c, ans), want);
	for (const char *const *p = (const char *const[]){"avx512", "avx2", "scalar", NULL}; *p;
	     p++) {
		if (kw_score_force_path(*p))
			continue;
		t = 0;
		kw_score_sheets(c, ans, 70, 1, &t);
		assert_int_equal(t, want);
		ans[69] = A; /* fixed partial */
		kw_score_sheets(c, ans, 70, 1, &t);
		assert_int_equal(t, 69 * 255 + 255);
		ans[69] = A | B;
	}
	kw_score_force_path(NULL);
	kw_score_compiled_free(c);

	/* the most a key can be worth: 1,024 items at the maximum */
	for (size_t i = 0; i < KW_SCORE_MAX_ITEMS; i++)
		k.item[i] = single(B, KW_SCORE_MAX_POINTS);
	k.n = KW_SCORE_MAX_ITEMS;
	c = kw_score_compile(&k);
	uint8_t all[KW_SCORE_MAX_ITEMS];
	memset(all, B, sizeof all);
	kw_score_sheets(c, all, sizeof all, 1, &t);
	assert_int_equal(t, KW_SCORE_MAX_ITEMS * KW_SCORE_MAX_POINTS);
	assert_int_equal(kw_score_sheet(c, all), KW_SCORE_MAX_ITEMS * KW_SCORE_MAX_POINTS);
	kw_score_compiled_free(c);
}

static void force_path_names(void **state)
{
	(void)state;
	assert_int_equal(kw_score_force_path("scalar"), 0);
	assert_string_equal(kw_score_path(), "scalar");
	assert_int_equal(kw_score_force_path("sse9"), -1);
	assert_string_equal(kw_score_path(), "scalar"); /* unchanged */
	assert_int_equal(kw_score_force_path("auto"), 0);
	const char *best = kw_score_path();
	assert_true(strcmp(best, "scalar") == 0 || strcmp(best, "avx2") == 0 ||
	            strcmp(best, "avx512") == 0);
	kw_score_compiled_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(grd5_single_and_truefalse),
	        cmocka_unit_test(grd5_multiple_partial_modes),
	        cmocka_unit_test(grd5_indeterminate),
	        cmocka_unit_test(grd5_sheets_by_hand),
	        cmocka_unit_test(key_check_refusals),
	        cmocka_unit_test(cus8_form_key_round_trip),
	        cmocka_unit_test(cus8_form_key_refused),
	        cmocka_unit_test(decodes_default_symbols),
	        cmocka_unit_test(decode_errors),
	        cmocka_unit_test(formats_hundredths),
	        cmocka_unit_test(parses_hundredths),
	        cmocka_unit_test(grd7_every_path_equals_reference),
	        cmocka_unit_test(large_points_fall_back_exactly),
	        cmocka_unit_test(force_path_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
