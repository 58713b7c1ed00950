/*
 * Objective scoring: answer strings, form keys and the scoring kernel (core/score.h).
 *
 * Three implementations of one rule, tested against each other (tests/unit/test_score.c):
 *   - the reference, kw_score_item_credit: the rule read item by item from the key as given;
 *   - the scalar path of kw_score_sheets: branch-light, from a per-item table of credits;
 *   - the vector paths (AVX2, AVX-512BW): 32 or 64 items at a time, one byte of credit per
 *     item in units of the key's greatest common divisor of points, summed with SAD.
 * The vector code is compiled with __attribute__((target(...))) and picked at run time, so
 * the binary needs nothing beyond x86-64's baseline.
 */
#include "core/score.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bigalloc.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KW_SCORE_X86 1
#include <immintrin.h>
#endif

#define CHUNK      64 /* items per AVX-512 vector; an AVX2 vector takes half a chunk */
#define MAX_CHUNKS ((KW_SCORE_MAX_ITEMS + CHUNK - 1) / CHUNK)

/*
 * The byte-path layout of 64 items: per item, one byte of each. Credits are bytes in units
 * of the key's greatest common divisor of points, added modulo 256: every item's credit is
 * 0..255 units, so the sum of an item's terms is exact even where a term alone wraps.
 * An item's credit for the byte m it was marked with is
 *   (m == k ? base : 0)
 *   + PER_OPTION: (m ⊆ k ? popcount(m) × u : 0)       (0 for a blank: popcount 0)
 *   + FIXED:      (m ⊆ k and m != 0 ? pf : 0)
 * with base = full − popcount(k) × u (PER_OPTION), full − pf (FIXED) or full (else), so the
 * exact set earns full, a proper subset its partial credit, anything else 0.
 */
struct chunk {
	_Alignas(CHUNK) uint8_t k[CHUNK]; /* the key; 0 past the last item; each chunk aligned */
	uint8_t nk[CHUNK];   /* ~key: a marked bit here is a wrong option (or INVALID) */
	uint8_t base[CHUNK]; /* for the exact set, beside the partial terms (mod 256) */
	uint8_t po[CHUNK];   /* 0xff: the item has PER_OPTION credit */
	uint8_t fx[CHUNK];   /* 0xff: the item has FIXED credit */
	uint8_t pf[CHUNK];   /* FIXED: partial_points / unit */
	uint8_t pp1[CHUNK];  /* PER_OPTION: u, for bit 0 of the count of options marked */
	uint8_t pp2[CHUNK];  /* 2u mod 256, for bit 1 */
	uint8_t pp4[CHUNK];  /* 4u mod 256, for bit 2 */
	uint64_t pomask;     /* bit i: item i of the chunk has PER_OPTION credit */
	uint64_t fxmask;     /* bit i: … FIXED credit */
	/* uniform: every PER_OPTION item of the chunk has the same u (the usual key: 0.5 a
	 * correct option throughout), so one nibble table gives popcount × u at once:
	 * plut[x] = popcount(x) × u mod 256; otherwise pp1/pp2/pp4 by the bits of the count. */
	uint8_t plut[16];
	uint8_t uniform;
};

/* The scalar path's row of an item. */
struct srow {
	uint8_t key, nkey;
	int32_t full; /* points */
	int32_t pp;   /* PER_OPTION: per option marked, else 0 */
	int32_t pf;   /* FIXED: once, else 0 */
};

struct kw_score_compiled {
	struct chunk ch[MAX_CHUNKS]; /* first: 64-byte aligned with the allocation */
	struct kw_score_key key;     /* the reference's copy */
	size_t n;
	int bytes;    /* 1: the vector paths can score this key */
	int32_t unit; /* hundredths per byte unit */
	struct srow row[KW_SCORE_MAX_ITEMS];
};

/* ---- messages ------------------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errn, const char *fmt, ...)
{
	if (err && errn) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errn, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *kind_name(unsigned kind)
{
	switch (kind) {
	case KW_ITEM_SINGLE:
		return "单选题";
	case KW_ITEM_MULTIPLE:
		return "多选题";
	case KW_ITEM_INDETERMINATE:
		return "不定项选择题";
	case KW_ITEM_TRUEFALSE:
		return "判断题";
	}
	return "未知题型";
}

static const char *partial_name(unsigned p)
{
	switch (p) {
	case KW_PARTIAL_NONE:
		return "不设部分得分";
	case KW_PARTIAL_PER_OPTION:
		return "每选对一项得分";
	case KW_PARTIAL_FIXED:
		return "少选得固定分";
	}
	return "未知规则";
}

/* The options of a set as letters, "ACD"; "（空）" for none. */
static void letters(uint8_t set, char out[16])
{
	size_t k = 0;
	for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++)
		if (set & (1u << j))
			out[k++] = (char)('A' + j);
	if (set & KW_ANS_INVALID)
		out[k++] = '*';
	out[k] = '\0';
	if (k == 0)
		snprintf(out, 16, "（空）");
}

void kw_score_fmt(int32_t h, char *out, size_t n)
{
	if (!out || n == 0)
		return;
	int64_t v = h;
	const char *sign = "";
	if (v < 0) {
		sign = "-";
		v = -v;
	}
	int64_t whole = v / 100, frac = v % 100;
	if (frac == 0)
		snprintf(out, n, "%s%" PRId64, sign, whole);
	else if (frac % 10 == 0)
		snprintf(out, n, "%s%" PRId64 ".%" PRId64, sign, whole, frac / 10);
	else
		snprintf(out, n, "%s%" PRId64 ".%02" PRId64, sign, whole, frac);
}

int64_t kw_score_parse(const char *s)
{
	if (!s || !*s)
		return -1;
	int64_t v = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 1000000)
			return -1;
	}
	if (p == s)
		return -1;
	v *= 100;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		v += (*p++ - '0') * 10;
		if (*p >= '0' && *p <= '9')
			v += *p++ - '0';
	}
	return *p ? -1 : v;
}

/* ---- answer strings ------------------------------------------------------------------- */

void kw_answer_symbols_default(struct kw_answer_symbols *s)
{
	memset(s, 0, sizeof *s);
	for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++) {
		s->map['A' + j] = (uint8_t)(1u << j);
		s->valid['A' + j] = 1;
	}
	for (int d = 1; d <= 9; d++) {
		s->map['0' + d] = (uint8_t)d;
		s->valid['0' + d] = 1;
	}
	for (int d = 0; d < 26; d++) {
		s->map['a' + d] = (uint8_t)(10 + d);
		s->valid['a' + d] = 1;
	}
	s->valid[' '] = s->valid['-'] = s->valid['0'] = 1; /* blank: map 0 */
	s->map['*'] = s->map['?'] = KW_ANS_INVALID;
	s->valid['*'] = s->valid['?'] = 1;
}

int kw_answers_decode(const struct kw_answer_symbols *s, const char *text, size_t len, size_t items,
                      uint8_t *out, char *err, size_t errn)
{
	if (len != items)
		return fail(err, errn, "答案串有 %zu 个符号，应为 %zu 个（每题一个）", len, items);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)text[i];
		if (!s->valid[c]) {
			if (c >= 0x20 && c < 0x7f)
				return fail(err, errn, "第 %zu 题：无法识别的符号 '%c'", i + 1,
				            (char)c);
			return fail(err, errn, "第 %zu 题：无法识别的符号 '\\x%02X'", i + 1, c);
		}
		out[i] = s->map[c];
	}
	return 0;
}

/* ---- keys ----------------------------------------------------------------------------- */

static int item_check(const struct kw_score_item *it, size_t pos, char *err, size_t errn)
{
	if (it->kind > KW_ITEM_TRUEFALSE)
		return fail(err, errn, "第 %zu 题：题型无效（%u）", pos, it->kind);
	if (it->kind == KW_ITEM_TRUEFALSE && it->options != 2)
		return fail(err, errn, "第 %zu 题：判断题应有 2 个选项（A 对、B 错），而不是 %u 个",
		            pos, it->options);
	if (it->options < 2 || it->options > KW_SCORE_MAX_OPTIONS)
		return fail(err, errn, "第 %zu 题：选项数应为 2–%d 个，而不是 %u 个", pos,
		            KW_SCORE_MAX_OPTIONS, it->options);
	if (it->key & ~((1u << it->options) - 1u))
		return fail(err, errn, "第 %zu 题：答案含本题没有的选项（本题 %u 个选项）", pos,
		            it->options);
	int bits = __builtin_popcount(it->key);
	switch (it->kind) {
	case KW_ITEM_SINGLE:
	case KW_ITEM_TRUEFALSE:
		if (bits != 1)
			return fail(err, errn, "第 %zu 题：%s的答案应恰好是一个选项", pos,
			            kind_name(it->kind));
		break;
	case KW_ITEM_MULTIPLE:
		if (bits < 2)
			return fail(err, errn, "第 %zu 题：多选题的答案应至少有两个选项", pos);
		break;
	default:
		if (bits < 1)
			return fail(err, errn, "第 %zu 题：不定项选择题的答案应至少有一个选项",
			            pos);
		break;
	}
	char a[24], b[24];
	if (it->points < 0 || it->points > KW_SCORE_MAX_POINTS) {
		kw_score_fmt(it->points, a, sizeof a);
		return fail(err, errn, "第 %zu 题：分值 %s 无效（应为 0–%d 分）", pos, a,
		            KW_SCORE_MAX_POINTS / 100);
	}
	if (it->partial > KW_PARTIAL_FIXED)
		return fail(err, errn, "第 %zu 题：部分得分规则无效（%u）", pos, it->partial);
	if (it->partial == KW_PARTIAL_NONE) {
		if (it->partial_points != 0)
			return fail(err, errn, "第 %zu 题：不设部分得分时部分得分值应为 0", pos);
		return 0;
	}
	if (it->kind == KW_ITEM_SINGLE || it->kind == KW_ITEM_TRUEFALSE)
		return fail(err, errn, "第 %zu 题：%s不设部分得分", pos, kind_name(it->kind));
	kw_score_fmt(it->partial_points, a, sizeof a);
	kw_score_fmt(it->points, b, sizeof b);
	if (it->partial_points <= 0 || it->partial_points >= it->points)
		return fail(err, errn, "第 %zu 题：部分得分 %s 应大于 0 且低于满分 %s", pos, a, b);
	if (it->partial == KW_PARTIAL_PER_OPTION &&
	    (int64_t)(bits - 1) * it->partial_points >= it->points)
		return fail(err, errn,
		            "第 %zu 题：每选对一项得 %s 分时，少选 %d 项即可达到满分 %s，"
		            "部分作答应低于满分",
		            pos, a, bits - 1, b);
	return 0;
}

int kw_score_key_check(const struct kw_score_key *k, char *err, size_t errn)
{
	if (k->n < 1 || k->n > KW_SCORE_MAX_ITEMS)
		return fail(err, errn, "题数应为 1–%d，而不是 %zu", KW_SCORE_MAX_ITEMS, k->n);
	for (size_t i = 0; i < k->n; i++)
		if (item_check(&k->item[i], i + 1, err, errn))
			return -1;
	return 0;
}

/* ---- forms ---------------------------------------------------------------------------- */

void kw_form_perm_identity(struct kw_form_perm *p, size_t n)
{
	memset(p, 0, sizeof *p);
	p->n = n > KW_SCORE_MAX_ITEMS ? KW_SCORE_MAX_ITEMS : n;
	for (size_t i = 0; i < p->n; i++) {
		p->item_perm[i] = (uint16_t)i;
		for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++)
			p->opt_perm[i][j] = (uint8_t)j;
	}
}

static int perm_check(const struct kw_score_key *master, const struct kw_form_perm *p, char *err,
                      size_t errn)
{
	if (p->n != master->n)
		return fail(err, errn, "置换的题数（%zu）与母卷的题数（%zu）不一致", p->n,
		            master->n);
	uint8_t seen[KW_SCORE_MAX_ITEMS] = {0};
	for (size_t i = 0; i < p->n; i++) {
		unsigned mi = p->item_perm[i];
		if (mi >= p->n || seen[mi])
			return fail(err, errn, "第 %zu 题：对应的母卷题号 %u %s", i + 1, mi + 1,
			            mi >= p->n ? "超出母卷题数" : "与前面的题重复");
		seen[mi] = 1;
		const struct kw_score_item *it = &master->item[mi];
		unsigned used = 0;
		for (unsigned j = 0; j < KW_SCORE_MAX_OPTIONS; j++) {
			unsigned t = p->opt_perm[i][j];
			int ok = j < it->options ? t < it->options && !(used & (1u << t)) : t == j;
			if (ok && it->kind == KW_ITEM_TRUEFALSE)
				ok = t == j;
			if (!ok)
				return fail(
				        err, errn,
				        it->kind == KW_ITEM_TRUEFALSE
				                ? "第 %zu 题（母卷第 %u 题）：判断题的选项不能置换"
				                : "第 %zu 题（母卷第 %u "
				                  "题）：选项置换不是本题选项的一种"
				                  "排列",
				        i + 1, mi + 1);
			used |= 1u << t;
		}
	}
	return 0;
}

/* Master item it with its key moved to the form's option order of form item i. */
static struct kw_score_item form_item(const struct kw_score_item *it, const uint8_t opt[])
{
	struct kw_score_item f = *it;
	f.key = 0;
	for (int j = 0; j < it->options; j++)
		if (it->key & (1u << opt[j]))
			f.key |= (uint8_t)(1u << j);
	return f;
}

int kw_form_key_from_master(const struct kw_score_key *master, const struct kw_form_perm *p,
                            struct kw_score_key *out, char *err, size_t errn)
{
	char e[200];
	if (kw_score_key_check(master, e, sizeof e))
		return fail(err, errn, "母卷答案：%s", e);
	if (perm_check(master, p, err, errn))
		return -1;
	out->n = master->n;
	for (size_t i = 0; i < p->n; i++)
		out->item[i] = form_item(&master->item[p->item_perm[i]], p->opt_perm[i]);
	return 0;
}

int kw_form_key_verify(const struct kw_score_key *master, const struct kw_form_perm *p,
                       const struct kw_score_key *form, char *err, size_t errn)
{
	char e[200];
	if (kw_score_key_check(master, e, sizeof e))
		return fail(err, errn, "母卷答案：%s", e);
	if (perm_check(master, p, err, errn))
		return -1;
	if (form->n != master->n)
		return fail(err, errn, "本卷的题数（%zu）与母卷的题数（%zu）不一致", form->n,
		            master->n);
	for (size_t i = 0; i < form->n; i++) {
		unsigned mi = p->item_perm[i];
		struct kw_score_item x = form_item(&master->item[mi], p->opt_perm[i]);
		const struct kw_score_item *y = &form->item[i];
		char a[24], b[24];
		if (x.kind != y->kind)
			return fail(err, errn,
			            "第 %zu 题（母卷第 %u 题）：题型不一致（应为%s，本卷为%s）",
			            i + 1, mi + 1, kind_name(x.kind), kind_name(y->kind));
		if (x.options != y->options)
			return fail(err, errn,
			            "第 %zu 题（母卷第 %u 题）：选项数不一致（应为 %u 个，本卷为 "
			            "%u 个）",
			            i + 1, mi + 1, x.options, y->options);
		if (x.key != y->key) {
			letters(x.key, a);
			letters(y->key, b);
			return fail(
			        err, errn,
			        "第 %zu 题（母卷第 %u 题）：答案不一致（按置换应为 %s，本卷为 %s）",
			        i + 1, mi + 1, a, b);
		}
		if (x.points != y->points) {
			kw_score_fmt(x.points, a, sizeof a);
			kw_score_fmt(y->points, b, sizeof b);
			return fail(
			        err, errn,
			        "第 %zu 题（母卷第 %u 题）：分值不一致（应为 %s 分，本卷为 %s 分）",
			        i + 1, mi + 1, a, b);
		}
		if (x.partial != y->partial)
			return fail(
			        err, errn,
			        "第 %zu 题（母卷第 %u 题）：部分得分规则不一致（应为%s，本卷为%s）",
			        i + 1, mi + 1, partial_name(x.partial), partial_name(y->partial));
		if (x.partial_points != y->partial_points) {
			kw_score_fmt(x.partial_points, a, sizeof a);
			kw_score_fmt(y->partial_points, b, sizeof b);
			return fail(err, errn,
			            "第 %zu 题（母卷第 %u 题）：部分得分不一致（应为 %s 分，本卷为 "
			            "%s 分）",
			            i + 1, mi + 1, a, b);
		}
	}
	return 0;
}

void kw_form_answers_to_master(const struct kw_form_perm *p, const uint8_t *form_ans,
                               uint8_t *master_ans)
{
	size_t n = p->n > KW_SCORE_MAX_ITEMS ? KW_SCORE_MAX_ITEMS : p->n;
	memset(master_ans, 0, n);
	for (size_t i = 0; i < n; i++) {
		unsigned mi = p->item_perm[i];
		if (mi >= n)
			continue;
		uint8_t a = form_ans[i], b = a & KW_ANS_INVALID;
		for (int j = 0; j < KW_SCORE_MAX_OPTIONS; j++) {
			if (!(a & (1u << j)))
				continue;
			unsigned t = p->opt_perm[i][j];
			b |= t < KW_SCORE_MAX_OPTIONS ? (uint8_t)(1u << t) : KW_ANS_INVALID;
		}
		master_ans[mi] = b;
	}
}

/* ---- the reference -------------------------------------------------------------------- */

int32_t kw_score_item_credit(const struct kw_score_item *it, uint8_t ans)
{
	if (ans == 0 || (ans & KW_ANS_INVALID))
		return 0;
	if (ans == it->key)
		return it->points;
	if (it->kind != KW_ITEM_MULTIPLE && it->kind != KW_ITEM_INDETERMINATE)
		return 0; /* single choice, true/false: only the exact option */
	if (ans & ~it->key)
		return 0; /* a wrong option marked */
	int64_t credit;
	switch (it->partial) {
	case KW_PARTIAL_PER_OPTION:
		credit = (int64_t)__builtin_popcount(ans) * it->partial_points;
		break;
	case KW_PARTIAL_FIXED:
		credit = it->partial_points;
		break;
	default:
		return 0;
	}
	return credit > it->points ? it->points : (int32_t)credit;
}

void kw_score_items(const struct kw_score_compiled *c, const uint8_t *ans, int32_t *credit)
{
	for (size_t i = 0; i < c->n; i++)
		credit[i] = kw_score_item_credit(&c->key.item[i], ans[i]);
}

int32_t kw_score_sheet(const struct kw_score_compiled *c, const uint8_t *ans)
{
	int32_t total = 0;
	for (size_t i = 0; i < c->n; i++)
		total += kw_score_item_credit(&c->key.item[i], ans[i]);
	return total;
}

size_t kw_score_items_count(const struct kw_score_compiled *c)
{
	return c->n;
}

/* ---- compiling ------------------------------------------------------------------------ */

static int32_t gcd32(int32_t a, int32_t b)
{
	while (b) {
		int32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

struct kw_score_compiled *kw_score_compile(const struct kw_score_key *k)
{
	if (kw_score_key_check(k, NULL, 0))
		return NULL;
	struct kw_score_compiled *c = kw_xmalloc_big(sizeof *c);
	memset(c, 0, sizeof *c);
	c->key.n = k->n;
	memcpy(c->key.item, k->item, k->n * sizeof k->item[0]);
	c->n = k->n;

	int32_t unit = 0;
	for (size_t i = 0; i < k->n; i++) {
		const struct kw_score_item *it = &k->item[i];
		struct srow *r = &c->row[i];
		r->key = it->key;
		r->nkey = (uint8_t)~it->key;
		r->full = it->points;
		if (it->partial == KW_PARTIAL_PER_OPTION)
			r->pp = it->partial_points;
		else if (it->partial == KW_PARTIAL_FIXED)
			r->pf = it->partial_points;
		unit = gcd32(unit, it->points);
		if (it->partial != KW_PARTIAL_NONE)
			unit = gcd32(unit, it->partial_points);
	}
	if (unit == 0)
		unit = 1; /* every item worth 0 */
	c->unit = unit;
	c->bytes = 1;
	for (size_t i = 0; i < k->n; i++)
		if (k->item[i].points / unit > 255)
			c->bytes = 0;
	/* key_check guarantees a partial credit below the points, so below 256 units too. */
	for (size_t i = 0; i < k->n; i++) {
		const struct kw_score_item *it = &k->item[i];
		struct chunk *ch = &c->ch[i / CHUNK];
		size_t l = i % CHUNK;
		unsigned full = (unsigned)(it->points / unit),
		         bits = (unsigned)__builtin_popcount(it->key);
		ch->k[l] = it->key;
		ch->base[l] = (uint8_t)full;
		if (it->partial == KW_PARTIAL_PER_OPTION) {
			unsigned u = (unsigned)(it->partial_points / unit);
			ch->po[l] = 0xff;
			ch->pomask |= UINT64_C(1) << l;
			ch->pp1[l] = (uint8_t)u;
			ch->pp2[l] = (uint8_t)(2 * u);
			ch->pp4[l] = (uint8_t)(4 * u);
			ch->base[l] = (uint8_t)(full - bits * u);
		} else if (it->partial == KW_PARTIAL_FIXED) {
			unsigned f = (unsigned)(it->partial_points / unit);
			ch->fx[l] = 0xff;
			ch->fxmask |= UINT64_C(1) << l;
			ch->pf[l] = (uint8_t)f;
			ch->base[l] = (uint8_t)(full - f);
		}
	}
	for (size_t j = 0; j < MAX_CHUNKS; j++) {
		struct chunk *ch = &c->ch[j];
		uint8_t u = 0;
		ch->uniform = 1;
		for (size_t l = 0; l < CHUNK; l++)
			if (ch->pomask & (UINT64_C(1) << l)) {
				if (u && ch->pp1[l] != u)
					ch->uniform = 0;
				u = ch->pp1[l];
			}
		for (unsigned x = 0; x < 16; x++)
			ch->plut[x] = (uint8_t)((unsigned)__builtin_popcount(x) * u);
	}
	/* Past the last item: k 0, base 0 and no partial credit, so whatever byte is read
	 * there earns 0. */
	for (size_t i = 0; i < MAX_CHUNKS * CHUNK; i++)
		c->ch[i / CHUNK].nk[i % CHUNK] = (uint8_t)~c->ch[i / CHUNK].k[i % CHUNK];
	return c;
}

void kw_score_compiled_free(struct kw_score_compiled *c)
{
	free(c);
}

/* ---- the scalar path ------------------------------------------------------------------ */

static void sheets_scalar(const struct kw_score_compiled *c, const uint8_t *answers, size_t stride,
                          size_t n, int32_t *totals)
{
	static const uint8_t pop8[256] = {
#define P2(x) x, x + 1, x + 1, x + 2
#define P4(x) P2(x), P2(x + 1), P2(x + 1), P2(x + 2)
#define P6(x) P4(x), P4(x + 1), P4(x + 1), P4(x + 2)
	        P6(0), P6(1), P6(1), P6(2)
#undef P6
#undef P4
#undef P2
	};
	const struct srow *row = c->row;
	size_t items = c->n;
	for (size_t s = 0; s < n; s++) {
		const uint8_t *a = answers + s * stride;
		int32_t t = 0;
		/* No branch on the answer: random answers would mispredict half the time. */
		for (size_t i = 0; i < items; i++) {
			unsigned m = a[i];
			const struct srow *r = &row[i];
			int32_t eq = m == r->key;
			int32_t sub = (m != 0) & ((m & r->nkey) == 0) & !eq; /* a proper subset */
			t += eq * r->full + sub * (r->pf + pop8[m] * r->pp);
		}
		totals[s] = t;
	}
}

/* ---- the vector paths ----------------------------------------------------------------- */

#ifdef KW_SCORE_X86

#define NIBBLE_POPCOUNT 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4

/* Half h (0, 1) of chunk ch against the 32 answer bytes m: the credits' SAD sums. */
__attribute__((target("avx2"))) static inline __m256i half_avx2(const struct chunk *ch, int h,
                                                                __m256i m)
{
	const __m256i zero = _mm256_setzero_si256();
	size_t o = (size_t)h * 32;
#define LD(f) _mm256_load_si256((const __m256i *)(ch->f + o))
	__m256i cr = _mm256_and_si256(_mm256_cmpeq_epi8(m, LD(k)), LD(base));
	uint32_t po = (uint32_t)(ch->pomask >> o), fx = (uint32_t)(ch->fxmask >> o);
	if (po | fx) {
		__m256i subset = _mm256_cmpeq_epi8(_mm256_and_si256(m, LD(nk)), zero);
		if (fx) {
			__m256i on = _mm256_andnot_si256(_mm256_cmpeq_epi8(m, zero),
			                                 _mm256_and_si256(subset, LD(fx)));
			cr = _mm256_add_epi8(cr, _mm256_and_si256(on, LD(pf)));
		}
		if (po) {
			const __m256i low4 = _mm256_set1_epi8(0x0f);
			__m256i on = _mm256_and_si256(subset, LD(po));
			__m256i lo = _mm256_and_si256(m, low4);
			__m256i hi = _mm256_and_si256(_mm256_srli_epi16(m, 4), low4);
			__m256i part;
			if (ch->uniform) {
				__m256i lut = _mm256_broadcastsi128_si256(
				        _mm_loadu_si128((const __m128i *)ch->plut));
				part = _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo),
				                       _mm256_shuffle_epi8(lut, hi));
			} else {
				const __m256i lut =
				        _mm256_setr_epi8(NIBBLE_POPCOUNT, NIBBLE_POPCOUNT);
				const __m256i one = _mm256_set1_epi8(1), two = _mm256_set1_epi8(2),
				              four = _mm256_set1_epi8(4);
				__m256i pc = _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo),
				                             _mm256_shuffle_epi8(lut, hi));
				part = _mm256_and_si256(
				        _mm256_cmpeq_epi8(_mm256_and_si256(pc, one), one), LD(pp1));
				part = _mm256_add_epi8(
				        part,
				        _mm256_and_si256(
				                _mm256_cmpeq_epi8(_mm256_and_si256(pc, two), two),
				                LD(pp2)));
				part = _mm256_add_epi8(
				        part,
				        _mm256_and_si256(
				                _mm256_cmpeq_epi8(_mm256_and_si256(pc, four), four),
				                LD(pp4)));
			}
			cr = _mm256_add_epi8(cr, _mm256_and_si256(on, part));
		}
	}
#undef LD
	return _mm256_sad_epu8(cr, zero);
}

__attribute__((target("avx2"))) static void sheets_avx2(const struct kw_score_compiled *c,
                                                        const uint8_t *answers, size_t stride,
                                                        size_t n, int32_t *totals)
{
	size_t items = c->n, whole = items / 32, tail = items % 32;
	/* Bytes that may be read: up to the end of the last sheet's items. A tail vector may
	 * over-read into the gap or the next sheet (its lanes earn 0) only inside that. */
	size_t end = (n - 1) * stride + items;
	for (size_t s = 0; s < n; s++) {
		const uint8_t *a = answers + s * stride;
		__m256i acc = _mm256_setzero_si256();
		for (size_t v = 0; v < whole; v++)
			acc = _mm256_add_epi64(
			        acc, half_avx2(&c->ch[v / 2], (int)(v % 2),
			                       _mm256_loadu_si256((const __m256i *)(a + 32 * v))));
		if (tail) {
			__m256i m;
			if (s * stride + 32 * (whole + 1) <= end) {
				m = _mm256_loadu_si256((const __m256i *)(a + 32 * whole));
			} else {
				uint8_t buf[32] = {0};
				memcpy(buf, a + 32 * whole, tail);
				m = _mm256_loadu_si256((const __m256i *)buf);
			}
			acc = _mm256_add_epi64(acc,
			                       half_avx2(&c->ch[whole / 2], (int)(whole % 2), m));
		}
		__m128i x = _mm_add_epi64(_mm256_castsi256_si128(acc),
		                          _mm256_extracti128_si256(acc, 1));
		x = _mm_add_epi64(x, _mm_unpackhi_epi64(x, x));
		totals[s] = (int32_t)((int64_t)_mm_cvtsi128_si64(x) * c->unit);
	}
}

/* Chunk ch against the 64 answer bytes m: the credits' SAD sums. */
__attribute__((target("avx512f,avx512bw"))) static inline __m512i
chunk_avx512(const struct chunk *ch, __m512i m)
{
	__mmask64 eq = _mm512_cmpeq_epi8_mask(m, _mm512_load_si512(ch->k));
	__m512i cr = _mm512_maskz_mov_epi8(eq, _mm512_load_si512(ch->base));
	if (ch->pomask | ch->fxmask) {
		__mmask64 subset = _mm512_testn_epi8_mask(m, _mm512_load_si512(ch->nk));
		if (ch->fxmask)
			cr = _mm512_mask_add_epi8(cr,
			                          subset & _mm512_test_epi8_mask(m, m) & ch->fxmask,
			                          cr, _mm512_load_si512(ch->pf));
		if (ch->pomask) {
			const __m512i low4 = _mm512_set1_epi8(0x0f);
			__mmask64 on = subset & ch->pomask;
			__m512i lo = _mm512_and_si512(m, low4);
			__m512i hi = _mm512_and_si512(_mm512_srli_epi16(m, 4), low4);
			if (ch->uniform) {
				__m512i lut = _mm512_broadcast_i32x4(
				        _mm_loadu_si128((const __m128i *)ch->plut));
				cr = _mm512_mask_add_epi8(
				        cr, on, cr,
				        _mm512_add_epi8(_mm512_shuffle_epi8(lut, lo),
				                        _mm512_shuffle_epi8(lut, hi)));
			} else {
				const __m512i lut =
				        _mm512_broadcast_i32x4(_mm_setr_epi8(NIBBLE_POPCOUNT));
				__m512i pc = _mm512_add_epi8(_mm512_shuffle_epi8(lut, lo),
				                             _mm512_shuffle_epi8(lut, hi));
				cr = _mm512_mask_add_epi8(
				        cr, on & _mm512_test_epi8_mask(pc, _mm512_set1_epi8(1)), cr,
				        _mm512_load_si512(ch->pp1));
				cr = _mm512_mask_add_epi8(
				        cr, on & _mm512_test_epi8_mask(pc, _mm512_set1_epi8(2)), cr,
				        _mm512_load_si512(ch->pp2));
				cr = _mm512_mask_add_epi8(
				        cr, on & _mm512_test_epi8_mask(pc, _mm512_set1_epi8(4)), cr,
				        _mm512_load_si512(ch->pp4));
			}
		}
	}
	return _mm512_sad_epu8(cr, _mm512_setzero_si512());
}

/* One sheet's credits as 8 partial sums (qwords). */
__attribute__((target("avx512f,avx512bw"))) static inline __m512i
sheet_avx512(const struct kw_score_compiled *c, const uint8_t *a, size_t whole, __mmask64 tmask)
{
	__m512i acc = _mm512_setzero_si512();
	for (size_t v = 0; v < whole; v++)
		acc = _mm512_add_epi64(acc,
		                       chunk_avx512(&c->ch[v], _mm512_loadu_si512(a + CHUNK * v)));
	if (tmask) /* a masked load reads (and faults on) nothing past the items */
		acc = _mm512_add_epi64(
		        acc, chunk_avx512(&c->ch[whole],
		                          _mm512_maskz_loadu_epi8(tmask, a + CHUNK * whole)));
	return acc;
}

/* a's and b's 128-bit lanes (0, 2 | 0, 2) + (1, 3 | 1, 3): the pairs of lanes added. */
__attribute__((target("avx512f"))) static inline __m512i fold_lanes(__m512i a, __m512i b)
{
	return _mm512_add_epi64(_mm512_shuffle_i64x2(a, b, 0x88), _mm512_shuffle_i64x2(a, b, 0xdd));
}

__attribute__((target("avx512f,avx512bw"))) static void
sheets_avx512(const struct kw_score_compiled *c, const uint8_t *answers, size_t stride, size_t n,
              int32_t *totals)
{
	size_t items = c->n, whole = items / CHUNK, tail = items % CHUNK;
	__mmask64 tmask = tail ? (UINT64_C(1) << tail) - 1 : 0;
	const __m256i unit = _mm256_set1_epi32(c->unit);
	size_t s = 0;
	/* Eight sheets at a time: their partial sums reduced together, 8 × 8 qwords to the 8
	 * totals in 21 operations instead of 8 separate horizontal sums. */
	for (; s + 8 <= n; s += 8) {
		__m512i x[8];
		for (int q = 0; q < 8; q++)
			x[q] = sheet_avx512(c, answers + (s + (size_t)q) * stride, whole, tmask);
		__m512i p[4];
		for (int q = 0; q < 4; q++) /* lane j: (sheet 2q, sheet 2q+1) pairs of lane j */
			p[q] = _mm512_add_epi64(_mm512_unpacklo_epi64(x[2 * q], x[2 * q + 1]),
			                        _mm512_unpackhi_epi64(x[2 * q], x[2 * q + 1]));
		__m512i t = fold_lanes(fold_lanes(p[0], p[1]), fold_lanes(p[2], p[3]));
		/* totals in units are below 2^18: 32 bits hold them, and × unit the points */
		__m256i t32 = _mm256_mullo_epi32(_mm512_cvtepi64_epi32(t), unit);
		_mm256_storeu_si256((__m256i *)(totals + s), t32);
	}
	for (; s < n; s++)
		totals[s] = (int32_t)(_mm512_reduce_add_epi64(
		                              sheet_avx512(c, answers + s * stride, whole, tmask)) *
		                      c->unit);
}

#endif /* KW_SCORE_X86 */

/* ---- dispatch ------------------------------------------------------------------------- */

enum { PATH_SCALAR, PATH_AVX2, PATH_AVX512, PATH_N };
static const char *const path_names[PATH_N] = {"scalar", "avx2", "avx512"};

/* -1: not chosen yet. Set once from the CPU (every thread computes the same value) or by
 * kw_score_force_path. */
static atomic_int chosen_path = -1;

static int cpu_has(int path)
{
#ifdef KW_SCORE_X86
	__builtin_cpu_init();
	switch (path) {
	case PATH_AVX512:
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
	case PATH_AVX2:
		return __builtin_cpu_supports("avx2");
	}
#endif
	return path == PATH_SCALAR;
}

static int current_path(void)
{
	int p = atomic_load_explicit(&chosen_path, memory_order_relaxed);
	if (p < 0) {
		p = cpu_has(PATH_AVX512) ? PATH_AVX512
		    : cpu_has(PATH_AVX2) ? PATH_AVX2
		                         : PATH_SCALAR;
		atomic_store_explicit(&chosen_path, p, memory_order_relaxed);
	}
	return p;
}

int kw_score_force_path(const char *name)
{
	if (!name || strcmp(name, "auto") == 0) {
		atomic_store(&chosen_path, -1);
		return 0;
	}
	for (int p = 0; p < PATH_N; p++)
		if (strcmp(name, path_names[p]) == 0) {
			if (!cpu_has(p))
				return -1;
			atomic_store(&chosen_path, p);
			return 0;
		}
	return -1;
}

const char *kw_score_path(void)
{
	return path_names[current_path()];
}

const char *kw_score_sheets_path(const struct kw_score_compiled *c)
{
	return c->bytes ? kw_score_path() : path_names[PATH_SCALAR];
}

void kw_score_sheets(const struct kw_score_compiled *c, const uint8_t *answers, size_t stride,
                     size_t n, int32_t *totals)
{
	if (n == 0)
		return;
	assert(stride >= c->n || n == 1);
	int p = c->bytes ? current_path() : PATH_SCALAR;
#ifdef KW_SCORE_X86
	if (p == PATH_AVX512) {
		sheets_avx512(c, answers, stride, n, totals);
		return;
	}
	if (p == PATH_AVX2) {
		sheets_avx2(c, answers, stride, n, totals);
		return;
	}
#endif
	(void)p;
	sheets_scalar(c, answers, stride, n, totals);
}
