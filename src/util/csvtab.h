/*
 * A CSV file as a table (libcsv, RFC 4180: quoted fields, commas and line breaks inside
 * quotes, doubled quotes, CRLF or LF): a header row naming the columns, then rows of cells,
 * each remembering the line it started on so that errors can name it.
 */
#ifndef KW_UTIL_CSVTAB_H
#define KW_UTIL_CSVTAB_H

#include <stddef.h>

#include "util/err.h"

struct kw_csvrow {
	int line;     /* the file line the row starts on (the header is line 1) */
	char **cells; /* ncols NUL-terminated cells, surrounding spaces trimmed */
};

struct kw_csvtab {
	size_t ncols;
	char **header; /* trimmed */
	size_t nrows;
	struct kw_csvrow *rows;
};

/*
 * Parses UTF-8 text (kw_text_decode's output). Rows whose cells are all empty are skipped.
 * Refusals (KW_EINVAL, details.line where there is one): CSV_EMPTY (no header), CSV_MALFORMED
 * (e.g. a quote never closed), CSV_ROW_WIDTH (details.expected, details.got),
 * CSV_TOO_MANY_ROWS (details.max), CSV_HEADER_DUPLICATE (details.column),
 * CSV_HEADER_EMPTY (a column without a name).
 */
int kw_csvtab_parse(const char *utf8, size_t n, size_t max_rows, struct kw_csvtab **out,
                    struct kw_err *err);
void kw_csvtab_free(struct kw_csvtab *t);

/*
 * The same, a row at a time, for files too large to hold as a table: fn gets each row (t
 * holds the header, no rows) and the row is freed after it; fn returns 0 to go on, or an
 * error code (with err set) that stops the parse and is returned. The refusals are those of
 * kw_csvtab_parse.
 */
int kw_csvtab_each(const char *utf8, size_t n, size_t max_rows,
                   int (*fn)(const struct kw_csvtab *t, const struct kw_csvrow *row, void *arg),
                   void *arg, struct kw_err *err);

/* Appends a column called name holding value in every row (a value the whole file shares). */
void kw_csvtab_add_column(struct kw_csvtab *t, const char *name, const char *value);

/* The index of the column called name, or -1. */
int kw_csvtab_col(const struct kw_csvtab *t, const char *name);

#endif
