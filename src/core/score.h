/*
 * Objective scoring (SPEC GRD-5, GRD-7, CUS-8; issue 10 items 2 and 3): the answer string of
 * a scanned sheet or a CBT response decoded to one byte per item, a paper form's key derived
 * from and verified against the master key, and the sheet's total as a pure function of
 * (answers, key). Pure: no I/O, no clock, no randomness; integer arithmetic only, so the same
 * inputs give the same bytes on every machine and every code path — which is what lets a
 * score run be re-run and cross-checked (GRD-7) to the same totals.
 *
 * Points are counted in hundredths of a point everywhere (1.5 points = 150), as int32_t.
 *
 * An answer is one byte per item: the bitmask of the options marked (bit 0 = A … bit 6 = G),
 * 0 = blank, and KW_ANS_INVALID (bit 7) for a mark that cannot be read or is forbidden (a
 * multiple mark the scanner flagged, a smudge): a byte with that bit is never correct and
 * never earns partial credit. Marks on options an item does not have (E on a 4-option
 * item) are wrong options like any other.
 *
 * The scoring rule, per item, with M the byte marked and K the key:
 *   - M = 0 (blank): 0;
 *   - M = K: the item's points;
 *   - single choice and true/false: anything else is 0 (a multiple mark is wrong);
 *   - multiple and indeterminate choice, with partial credit configured, when M is a
 *     non-empty proper subset of K (no wrong option, no INVALID bit):
 *       KW_PARTIAL_PER_OPTION: popcount(M) × partial_points,
 *       KW_PARTIAL_FIXED:      partial_points once;
 *   - anything else: 0.
 * kw_score_key_check refuses keys where a partial answer could reach the full points, so a
 * partial answer always scores below full marks.
 *
 * What is not here: absence (缺考, marked, not 0) and violation outcomes (zeroed or
 * cancelled, INF-5(6): never an edited score) belong to the score run that calls this
 * module; the kernel has no input that adjusts a total, only (answers, key).
 *
 * Scoring is "compile once, score many": kw_score_compile lays the key out for the vector
 * paths; kw_score_sheets then scores an array of sheets without allocating. The paths
 * (AVX-512BW, AVX2, scalar) are chosen at run time from the CPU (the binary runs on any
 * x86-64) and give identical totals; kw_score_sheet and kw_score_items are the plain
 * reading of the rule above, the reference the fast paths are tested against.
 */
#ifndef KW_CORE_SCORE_H
#define KW_CORE_SCORE_H

#include <stddef.h>
#include <stdint.h>

#define KW_SCORE_MAX_ITEMS   1024
#define KW_SCORE_MAX_OPTIONS 7       /* options A..G = bits 0..6 of an answer byte */
#define KW_ANS_INVALID       0x80    /* unreadable / forbidden mark: never correct */
#define KW_SCORE_MAX_POINTS  1000000 /* an item's points at most (10,000 points) */

enum kw_item_kind { KW_ITEM_SINGLE, KW_ITEM_MULTIPLE, KW_ITEM_INDETERMINATE, KW_ITEM_TRUEFALSE };
enum kw_partial { KW_PARTIAL_NONE, KW_PARTIAL_PER_OPTION, KW_PARTIAL_FIXED };

struct kw_score_item {
	uint8_t kind;    /* enum kw_item_kind */
	uint8_t options; /* number of options, 2..7 (2 for true/false: A = 对/true, B = 错/false) */
	uint8_t key;     /* bitmask of correct options: exactly one bit for SINGLE/TRUEFALSE, >= 2
	                    for MULTIPLE, >= 1 for INDETERMINATE; only bits below `options` */
	uint8_t partial;        /* enum kw_partial: only for MULTIPLE/INDETERMINATE, else NONE */
	int32_t points;         /* full marks, in hundredths of a point, 0..KW_SCORE_MAX_POINTS */
	int32_t partial_points; /* PER_OPTION: per correct option marked; FIXED: once; earned when
	                           no wrong option is marked and the set is not exact. 0 with NONE
	                         */
};

struct kw_score_key {
	size_t n; /* items, 1..KW_SCORE_MAX_ITEMS */
	struct kw_score_item item[KW_SCORE_MAX_ITEMS];
};

/*
 * The symbol map of a scanner's or CSV's answer string: one symbol (byte) per item.
 * map[c] is the answer byte symbol c stands for; valid[c] is 1 if c is a symbol at all.
 */
struct kw_answer_symbols {
	uint8_t map[256];
	uint8_t valid[256];
};

/*
 * The default symbols:
 *   'A'..'G'          the single option A..G (bit 0..6);
 *   '1'..'9','a'..'z' an option SET (for multiple-choice items, or a multiple mark on any
 *                     item): its bitmask value written as one base-36 digit, '1'..'9' =
 *                     1..9 and 'a'..'z' = 10..35; so AB = '3', ACD = 'd', ABCD = 'f'
 *                     (every set of up to 5 options A..E is one digit, '1'..'v');
 *                     lowercase letters are only sets: 'a' = 10 = {B, D}, not {A};
 *                     'A' and '1' both mean {A};
 *   ' ', '-', '0'     blank (0);
 *   '*', '?'          KW_ANS_INVALID (unreadable).
 * Every other byte is not a symbol. The caller may then override entries (a layout file
 * carries its scanner's overrides).
 */
void kw_answer_symbols_default(struct kw_answer_symbols *s);

/*
 * Decodes the answer string text[0..len) of a sheet of `items` items into out[0..items).
 * Returns 0, or -1 with a message in err[errn] (Simplified Chinese, item positions 1-based):
 * a string whose length is not `items` ("答案串有 149 个符号，应为 150 个（每题一个）"), or a
 * byte that is not a symbol ("第 17 题：无法识别的符号 '#'"; a byte outside printable ASCII
 * is written as \xHH). Never reads text beyond len; out is unspecified after an error.
 */
int kw_answers_decode(const struct kw_answer_symbols *s, const char *text, size_t len, size_t items,
                      uint8_t *out, char *err, size_t errn);

/*
 * A well-formed key: 1..KW_SCORE_MAX_ITEMS items; each a known kind with 2..7 options (2 for
 * true/false); a key with only bits below `options` and the right count of them (one for
 * single and true/false, two or more for multiple, one or more for indeterminate); points
 * 0..KW_SCORE_MAX_POINTS; partial credit only on multiple and indeterminate items, with
 * partial_points 0 under NONE, and otherwise 1 or more and below the full points — for
 * PER_OPTION, (correct options − 1) × partial_points below the points too, so that no
 * partial answer reaches full marks. Returns 0, or -1 with the first fault in err[errn]
 * ("第 N 题：…", Simplified Chinese).
 */
int kw_score_key_check(const struct kw_score_key *k, char *err, size_t errn);

/*
 * Paper forms (A/B 卷 …). A form is the master with its items and options permuted: form
 * item i is master item item_perm[i], and form option j of item i is master option
 * opt_perm[i][j] (all indices 0-based). n is the number of items, equal to the master's;
 * item_perm is a permutation of 0..n-1. Each opt_perm[i] is a permutation of 0..6 that
 * keeps the item's options among themselves: its first `options` entries are a permutation
 * of 0..options-1 and entries options..6 are themselves (j); a true/false item's options
 * are never permuted (A stays 对). kw_form_perm_identity fills the identity, the usual
 * start.
 */
struct kw_form_perm {
	size_t n;
	uint16_t item_perm[KW_SCORE_MAX_ITEMS];
	uint8_t opt_perm[KW_SCORE_MAX_ITEMS][KW_SCORE_MAX_OPTIONS];
};

/* The identity permutation of n items (n <= KW_SCORE_MAX_ITEMS): the master form itself. */
void kw_form_perm_identity(struct kw_form_perm *p, size_t n);

/*
 * The form's key from the master key and the form's permutation: out->item[i] is master
 * item item_perm[i] with its key's bits moved to the form's option positions. Returns 0,
 * or -1 with the fault in err[errn] (zh) when the master is not a well-formed key
 * (kw_score_key_check) or p is not a permutation as described above.
 */
int kw_form_key_from_master(const struct kw_score_key *master, const struct kw_form_perm *p,
                            struct kw_score_key *out, char *err, size_t errn);

/*
 * CUS-8: verifies that `form` is exactly the permuted master — the same kinds, options,
 * correct options (moved), points and partial credit, item for item. Returns 0, or -1 with
 * the first differing form item named in err[errn] (zh: "第 N 题（母卷第 M 题）：…"), or
 * the fault of the master or the permutation as kw_form_key_from_master does.
 */
int kw_form_key_verify(const struct kw_score_key *master, const struct kw_form_perm *p,
                       const struct kw_score_key *form, char *err, size_t errn);

/*
 * A form sheet's answers in master order (for item analysis): master_ans[item_perm[i]] is
 * form_ans[i] with each marked form option j moved to master option opt_perm[i][j]; the
 * INVALID bit stays. p must be a permutation kw_form_key_from_master accepts (an entry out
 * of range turns a mark into KW_ANS_INVALID and a master item no form item maps to reads
 * blank, but the result is then meaningless).
 */
void kw_form_answers_to_master(const struct kw_form_perm *p, const uint8_t *form_ans,
                               uint8_t *master_ans);

/* A key laid out for scoring. Opaque; from kw_score_compile, freed by kw_score_compiled_free. */
struct kw_score_compiled;

/* The compiled form of key k (copied: k may go), or NULL if k fails kw_score_key_check. */
struct kw_score_compiled *kw_score_compile(const struct kw_score_key *k);
void kw_score_compiled_free(struct kw_score_compiled *c); /* NULL-safe */

/* The total of one sheet ans[0..n), in hundredths: the reference reading of the rule, item
 * by item — about 1 M sheets/s a core, for explanations and cross-checks (GRD-7); a score
 * run over many sheets wants kw_score_sheets (about 100 M sheets/s a core). */
int32_t kw_score_sheet(const struct kw_score_compiled *c, const uint8_t *ans);

/*
 * Scores n sheets, sheet i at answers + i * stride (stride >= the key's items; bytes past
 * the items, up to the stride, are ignored), writing totals[i] in hundredths — the same as
 * kw_score_sheet for each. Reads no byte outside the n sheets' items and the gaps between
 * them; allocates nothing; safe to call from several threads at once on parts of an array.
 * Uses the fastest path this CPU has (AVX-512BW, then AVX2, then scalar), unless forced;
 * the vector paths add credits as bytes in units of the key's greatest common divisor of
 * points, so a key whose item points exceed 255 such units (kw_score_sheets_path says
 * "scalar") is scored by the scalar path whatever the CPU.
 */
void kw_score_sheets(const struct kw_score_compiled *c, const uint8_t *answers, size_t stride,
                     size_t n, int32_t *totals);

/*
 * For tests and benches: forces the path of kw_score_sheets for the whole process
 * ("scalar", "avx2", "avx512"; NULL or "auto" = the CPU's best). Returns 0, or -1 if the
 * name is unknown or the CPU lacks the path (the choice is then unchanged). Call it before
 * scoring starts in other threads.
 */
int kw_score_force_path(const char *name);
const char *kw_score_path(void); /* "scalar", "avx2" or "avx512": the process's path */
/* The path kw_score_sheets takes for this key: kw_score_path(), or "scalar" if the key's
 * points do not fit the byte paths. */
const char *kw_score_sheets_path(const struct kw_score_compiled *c);

/* The number of items of a compiled key. */
size_t kw_score_items_count(const struct kw_score_compiled *c);

/* Per-item credit of one sheet (the score's explanation, item analysis): credit[i] in
 * hundredths for i < items; their sum is kw_score_sheet's total. */
void kw_score_items(const struct kw_score_compiled *c, const uint8_t *ans, int32_t *credit);

/* The credit of one answer byte on one item, by the rule above (the item need not be checked;
 * a partial credit is capped at the points). */
int32_t kw_score_item_credit(const struct kw_score_item *it, uint8_t ans);

/* Hundredths as text with no trailing zeros: 8750 → "87.5", 8700 → "87", 8725 → "87.25",
 * 5 → "0.05", -150 → "-1.5". Writes into out[n] (truncated, always NUL-terminated). */
void kw_score_fmt(int32_t h, char *out, size_t n);

/* The other way, for scores given as text: "87", "87.5", "87.25" → 8700, 8750, 8725; -1 for
 * anything else (a sign, a third decimal, a space, an empty string, more than 1,000,000). */
int64_t kw_score_parse(const char *s);

#endif
