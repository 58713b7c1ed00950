/*
 * The evidence dossier of a similar-answer flag (雷同答卷证据材料; SPEC GRD-6, issue 11 item
 * 4), for the marking expert group: A4 portrait pages with a title block, the figures as
 * label–value rows, a table of the parties (ticket numbers, rooms, seats — no names: the
 * group confirms on the evidence alone), and the item-by-item strip — one cell per screened
 * item, filled by what the two sheets did there (identical wrong answers in red, identical
 * correct answers in grey, different answers blank, an omit hatched), ten items a numbered
 * tick — with its legend and a closing note. Generic over pairs and clusters: the caller
 * (app/screening.c) says what the rows and the table hold.
 */
#ifndef KW_RENDER_DOSSIER_H
#define KW_RENDER_DOSSIER_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define KW_DOSSIER_MAX_ROWS  40
#define KW_DOSSIER_MAX_COLS  8
#define KW_DOSSIER_MAX_CELLS 4096 /* the table's cells (rows × columns) */
#define KW_DOSSIER_MAX_STRIP 1000

/* Every string is UTF-8 and borrowed; NULL prints blank. */
struct kw_dossier {
	const char *title;    /* required */
	const char *subtitle; /* the exam and subject */
	const char *heading;  /* the screen: its number, time, mode and level */
	size_t nrows;         /* label–value rows, at most KW_DOSSIER_MAX_ROWS */
	const char *const *labels;
	const char *const *values;
	size_t ncols; /* the parties' table: ncols headings, then nlines × ncols cells */
	const char *const *heads;
	size_t nlines;
	const char *const *cells;
	const char *strip_title;
	size_t nstrip;     /* items in the strip, at most KW_DOSSIER_MAX_STRIP */
	const char *strip; /* per item: 'W' identical wrong, 'C' identical correct, '-' an omit,
	                      anything else different */
	const int *strip_numbers; /* per item: its number on the master form */
	const char *legend;       /* under the strip */
	const char *note;         /* at the end */
};

/* A PDF of d appended to out. KW_EINVAL (VALIDATION_FAILED) without a title or past the
 * limits; out unchanged on failure. */
int kw_dossier_pdf(const struct kw_dossier *d, struct kw_buf *out, struct kw_err *err);

#endif
