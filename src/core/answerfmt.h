/*
 * Answer data in the shapes scanners and CBT systems hand over (SPEC GRD-5; issue 10 item 1),
 * turned into the one shape the answer database reads: CSV with the columns ticket_no,
 * subject, form, answers, the answers in kaowu's own symbols (core/score.h's default table).
 * Pure: text in, text out; nothing is read from or written to anything else.
 *
 * Fixed-width scanner output, described by a layout (JSON):
 *   {"format": "fixed",
 *    "fields": {"ticket_no": {"start": 1, "length": 12},
 *               "subject":   {"start": 13, "length": 2}   or {"value": "01"},
 *               "form":      {"start": 15, "length": 1}   or {"value": "A"},
 *               "answers":   {"start": 16, "length": 150}},
 *    "symbols": {"1": "A", "2": "B", " ": "", "*": "?", …}}
 * Positions count bytes from 1, as scanner manuals number columns; a line is one sheet
 * (LF or CRLF), every byte ASCII (a multi-byte character would shift every column after it).
 * ticket_no, subject and form are trimmed of spaces; the answer field is not (a space may be
 * a blank). "symbols" maps each scanner byte to what it means: "" a blank, "?" unreadable, or
 * the option letters marked ("A", "BD"); without "symbols" the answers are in kaowu's symbols
 * already. A byte the map does not name is a problem of its line.
 *
 * CBT responses, JSON Lines: one sheet a line,
 *   {"ticket_no": "…", "subject": "01", "form": "A", "responses": ["A", "BD", "", null, …]}
 * each response the option letters chosen ("" or null: none; "?": not readable).
 *
 * A set of options is written as one base-36 digit of its bitmask (core/score.h), which
 * reaches only sets up to 35 ({A..F} partly): a set beyond it ({C, F}, anything with G and
 * another option) is refused as a problem of its line, never written wrongly.
 *
 * Every problem is listed — {line, field, problem, note?}, line numbers of the input, at most
 * KW_ANSWERFMT_MAX_PROBLEMS listed, all counted — and then nothing is returned: a file is
 * turned whole or not at all. Problems: short_line, not_ascii, unknown_symbol, bad_set,
 * required (an empty ticket, subject, form or answer field), bad_json, bad_response.
 */
#ifndef KW_CORE_ANSWERFMT_H
#define KW_CORE_ANSWERFMT_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define KW_ANSWERFMT_MAX_PROBLEMS 1000
#define KW_ANSWERFMT_MAX_FIELD    4096 /* a field's length at most */

struct kw_answer_layout {
	size_t start[4], len[4]; /* ticket_no, subject, form, answers; len 0: a constant */
	char value[3][64];       /* the constants of ticket_no (never), subject, form */
	int has_symbols;         /* "symbols" given (else kaowu's own, checked) */
	unsigned char sym[256];  /* scanner byte → kaowu symbol; 0: not a symbol */
	size_t min_line;         /* the shortest line every field fits in */
};

/* Reads a layout; LAYOUT_INVALID with details.fields [{field, problem}] when it cannot be
 * used (a field missing, overlapping or out of range, a symbol that is not one byte, a
 * meaning that is not "", "?" or option letters A–G, a set beyond one base-36 digit). */
int kw_answer_layout_parse(const json_t *j, struct kw_answer_layout *out, struct kw_err *err);

/*
 * Fixed-width text (n bytes) → CSV in *csv (header and one row per input line, in order:
 * CSV line k + 1 is input line k). 0; or ANSWERS_INVALID with details {count, rows}.
 */
int kw_answerfmt_fixed(const struct kw_answer_layout *l, const char *text, size_t n,
                       struct kw_buf *csv, struct kw_err *err);

/* CBT JSON Lines → CSV in *csv, as kw_answerfmt_fixed. */
int kw_answerfmt_cbt(const char *text, size_t n, struct kw_buf *csv, struct kw_err *err);

#endif
