/*
 * libFuzzer target: a scanner's or CSV's answer string decoded (kw_answers_decode) and the
 * decoded sheet scored on every path against the reference (core/score.h).
 *
 * Input: byte 0 = flags (bit 0: the scanner overrides '.' = blank, 'X' = unreadable and
 * drops '-'; bit 1: claim one item fewer than the string has, a length error), byte 1 = the
 * seed of a random well-formed key, the rest = the answer string (one symbol per item).
 * A successfully decoded sheet must score the same on kw_score_sheet, the sum of
 * kw_score_items and kw_score_sheets on every path the CPU has, between 0 and the key's
 * full marks; as a form of a shuffled master it must score what its master-order answers
 * score on the master key (CUS-8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static void make_key(uint64_t seed, size_t n, struct kw_score_key *k, struct kw_form_perm *p)
{
	uint64_t s = seed;
	int32_t unit = (int32_t)(1 + next(&s) % 100);
	/* half the keys: the same credit for every PER_OPTION item (as real keys have) */
	int32_t same = next(&s) % 2 ? (int32_t)(1 + next(&s) % 3) : 0;
	/* one key in eight has items worth over 255 units (the scalar path only) */
	uint64_t most = next(&s) % 8 == 0 ? 400 : 255;
	k->n = n;
	kw_form_perm_identity(p, n);
	for (size_t i = 0; i < n; i++) {
		struct kw_score_item *it = &k->item[i];
		memset(it, 0, sizeof *it);
		it->kind = (uint8_t)(next(&s) % 4);
		it->options = it->kind == KW_ITEM_TRUEFALSE ? 2 : (uint8_t)(2 + next(&s) % 6);
		int32_t r = (int32_t)(1 + next(&s) % (next(&s) % 16 == 0 ? most : 8));
		it->points = r * unit;
		uint8_t all = (uint8_t)((1u << it->options) - 1);
		if (it->kind == KW_ITEM_SINGLE || it->kind == KW_ITEM_TRUEFALSE) {
			it->key = (uint8_t)(1u << (next(&s) % it->options));
		} else {
			int min = it->kind == KW_ITEM_MULTIPLE ? 2 : 1;
			do
				it->key = (uint8_t)(next(&s) & all);
			while (__builtin_popcount(it->key) < min);
			int bits = __builtin_popcount(it->key);
			int32_t q = bits > 1 ? (r - 1) / (bits - 1) : r - 1;
			if (q > 0 && next(&s) % 2) {
				it->partial =
				        next(&s) % 2 ? KW_PARTIAL_PER_OPTION : KW_PARTIAL_FIXED;
				it->partial_points = (int32_t)(1 + next(&s) % (uint64_t)q) * unit;
				if (it->partial == KW_PARTIAL_PER_OPTION && same)
					it->partial_points = same <= q ? same * unit : 0;
				if (it->partial_points == 0)
					it->partial = KW_PARTIAL_NONE;
			}
		}
		/* the form: items swapped pairwise, options rotated (not true/false) */
		if (i % 2 == 1 && next(&s) % 2) {
			p->item_perm[i] = (uint16_t)(i - 1);
			p->item_perm[i - 1] = (uint16_t)i;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct kw_score_item *it = &k->item[p->item_perm[i]];
		if (it->kind == KW_ITEM_TRUEFALSE)
			continue;
		unsigned rot = (unsigned)(next(&s) % it->options);
		for (unsigned j = 0; j < it->options; j++)
			p->opt_perm[i][j] = (uint8_t)((j + rot) % it->options);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 2 + 2 * KW_SCORE_MAX_ITEMS)
		return 0;
	struct kw_answer_symbols sym;
	kw_answer_symbols_default(&sym);
	if (data[0] & 1) {
		sym.valid['.'] = 1;
		sym.map['.'] = 0;
		sym.valid['X'] = 1;
		sym.map['X'] = KW_ANS_INVALID;
		sym.valid['-'] = 0;
	}
	size_t len = size - 2;
	size_t items = (data[0] & 2) && len > 0 ? len - 1 : len;
	/* an exact-size copy without a NUL: a read past len is a crash */
	char *text = malloc(len ? len : 1);
	memcpy(text, data + 2, len);
	uint8_t *ans = malloc(items ? items : 1);
	char err[256] = "";
	int rc = kw_answers_decode(&sym, text, len, items, ans, err, sizeof err);
	free(text);
	if (rc != 0) {
		if (err[0] == '\0' || (len == items && !strstr(err, "题：无法识别的符号")))
			abort();
		free(ans);
		return 0;
	}
	if (len != items)
		abort(); /* a wrong length was accepted */
	if (items == 0 || items > KW_SCORE_MAX_ITEMS) {
		free(ans);
		return 0;
	}

	static struct kw_score_key key, form;
	static struct kw_form_perm perm;
	make_key(data[1] * UINT64_C(7919) + items, items, &key, &perm);
	if (kw_score_key_check(&key, err, sizeof err))
		abort(); /* the generator makes only well-formed keys */
	struct kw_score_compiled *c = kw_score_compile(&key);
	int64_t full = 0;
	for (size_t i = 0; i < items; i++)
		full += key.item[i].points;
	int32_t want = kw_score_sheet(c, ans);
	if (want < 0 || want > full)
		abort();
	static int32_t credit[KW_SCORE_MAX_ITEMS];
	kw_score_items(c, ans, credit);
	int64_t sum = 0;
	for (size_t i = 0; i < items; i++) {
		if (credit[i] < 0 || credit[i] > key.item[i].points)
			abort();
		sum += credit[i];
	}
	if (sum != want)
		abort();
	static const char *const paths[] = {"scalar", "avx2", "avx512"};
	for (size_t p = 0; p < 3; p++) {
		if (kw_score_force_path(paths[p]))
			continue;
		int32_t got = -1;
		kw_score_sheets(c, ans, items, 1, &got);
		if (got != want)
			abort();
	}
	kw_score_force_path(NULL);

	/* the sheet as form answers of a shuffled master */
	if (kw_form_key_from_master(&key, &perm, &form, err, sizeof err) ||
	    kw_form_key_verify(&key, &perm, &form, err, sizeof err))
		abort();
	struct kw_score_compiled *cf = kw_score_compile(&form);
	uint8_t *mans = malloc(items);
	kw_form_answers_to_master(&perm, ans, mans);
	if (kw_score_sheet(cf, ans) != kw_score_sheet(c, mans))
		abort();
	free(mans);
	kw_score_compiled_free(cf);
	kw_score_compiled_free(c);
	free(ans);
	return 0;
}
