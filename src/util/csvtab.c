#include "util/csvtab.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

struct parse {
	struct kw_csvtab *t;
	struct kw_err *err;
	int rc;
	size_t max_rows;
	int line;      /* the line the current row started on */
	int next_line; /* the line after the last row end seen */
	char **cells;  /* the current row's cells */
	size_t ncells, alloc;
	size_t rows_alloc;
	size_t count; /* rows seen */
	/* kw_csvtab_each: each row to fn, then freed */
	int (*fn)(const struct kw_csvtab *t, const struct kw_csvrow *row, void *arg);
	void *arg;
};

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return kw_xstrndup(s, n);
}

static void free_cells(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

static void on_field(void *s, size_t len, void *data)
{
	struct parse *p = data;
	if (p->rc)
		return;
	if (p->ncells == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 16;
		p->cells = kw_xrealloc(p->cells, p->alloc * sizeof *p->cells);
	}
	p->cells[p->ncells++] = trimmed(s ? s : "", s ? len : 0);
}

static int all_empty(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cells[i][0])
			return 0;
	return 1;
}

static void row_error(struct parse *p, const char *code, const char *msg)
{
	p->rc = kw_err_set(p->err, KW_EINVAL, code, NULL, "CSV line %d: %s", p->line, msg);
	kw_err_detail(p->err, "line", json_integer(p->line));
}

static void on_row(int c, void *data)
{
	struct parse *p = data;
	(void)c;
	char **cells = p->cells;
	size_t n = p->ncells;
	p->cells = NULL;
	p->ncells = p->alloc = 0;
	if (p->rc || all_empty(cells, n)) {
		free_cells(cells, n);
		return;
	}
	struct kw_csvtab *t = p->t;
	if (!t->header) {
		for (size_t i = 0; i < n && !p->rc; i++) {
			if (!cells[i][0]) {
				row_error(p, "CSV_HEADER_EMPTY", "a column without a name");
				kw_err_detail(p->err, "column", json_integer((json_int_t)i + 1));
			}
			for (size_t j = 0; j < i && !p->rc; j++)
				if (strcmp(cells[i], cells[j]) == 0) {
					row_error(p, "CSV_HEADER_DUPLICATE",
					          "a column named twice");
					kw_err_detail(p->err, "column", json_string(cells[i]));
				}
		}
		if (p->rc) {
			free_cells(cells, n);
			return;
		}
		t->header = cells;
		t->ncols = n;
		return;
	}
	if (n != t->ncols) {
		row_error(p, "CSV_ROW_WIDTH", "the row's cells do not match the header");
		kw_err_detail(p->err, "expected", json_integer((json_int_t)t->ncols));
		kw_err_detail(p->err, "got", json_integer((json_int_t)n));
		free_cells(cells, n);
		return;
	}
	if (p->count == p->max_rows) {
		p->rc = kw_err_set(p->err, KW_EINVAL, "CSV_TOO_MANY_ROWS", NULL,
		                   "more than %zu rows", p->max_rows);
		kw_err_detail(p->err, "max", json_integer((json_int_t)p->max_rows));
		free_cells(cells, n);
		return;
	}
	p->count++;
	if (p->fn) {
		struct kw_csvrow row = {.line = p->line, .cells = cells};
		p->rc = p->fn(t, &row, p->arg);
		free_cells(cells, n);
		return;
	}
	if (t->nrows == p->rows_alloc) {
		p->rows_alloc = p->rows_alloc ? p->rows_alloc * 2 : 64;
		t->rows = kw_xrealloc(t->rows, p->rows_alloc * sizeof *t->rows);
	}
	t->rows[t->nrows].line = p->line;
	t->rows[t->nrows++].cells = cells;
}

void kw_csvtab_free(struct kw_csvtab *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		free_cells(t->rows[r].cells, t->ncols);
	free(t->rows);
	if (t->header)
		free_cells(t->header, t->ncols);
	free(t);
}

int kw_csvtab_col(const struct kw_csvtab *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}

/*
 * libcsv reports a row when it ends; to know the line each row started on, the text is fed
 * one line at a time (up to and including each LF) and the start line moves on only when the
 * parser is between rows (pstate 0, ROW_NOT_BEGUN), so a quoted field spanning lines keeps its
 * row's first line.
 */
static int parse(const char *utf8, size_t n, size_t max_rows,
                 int (*fn)(const struct kw_csvtab *t, const struct kw_csvrow *row, void *arg),
                 void *arg, struct kw_csvtab **out, struct kw_err *err)
{
	*out = NULL;
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "csv_init failed");
	struct parse p = {0};
	p.fn = fn;
	p.arg = arg;
	p.t = kw_xcalloc(1, sizeof *p.t);
	p.err = err;
	p.max_rows = max_rows;
	p.line = 1;
	size_t off = 0;
	int line = 1;
	while (off < n && !p.rc) {
		const char *nl = memchr(utf8 + off, '\n', n - off);
		size_t len = nl ? (size_t)(nl - (utf8 + off)) + 1 : n - off;
		if (csv_parse(&cp, utf8 + off, len, on_field, on_row, &p) != len && !p.rc) {
			p.line = line;
			row_error(&p, "CSV_MALFORMED", csv_strerror(csv_error(&cp)));
		}
		off += len;
		line++;
		/* Between rows (not inside a quoted field): the next row starts on the next line.
		 */
		if (cp.pstate == 0)
			p.line = line;
	}
	if (!p.rc && csv_fini(&cp, on_field, on_row, &p) != 0) {
		row_error(&p, "CSV_MALFORMED", "a quoted field is never closed");
	}
	csv_free(&cp);
	free_cells(p.cells, p.ncells);
	if (!p.rc && !p.t->header)
		p.rc = kw_err_set(err, KW_EINVAL, "CSV_EMPTY", NULL, "the file has no header row");
	if (p.rc) {
		kw_csvtab_free(p.t);
		return p.rc;
	}
	*out = p.t;
	return 0;
}

int kw_csvtab_parse(const char *utf8, size_t n, size_t max_rows, struct kw_csvtab **out,
                    struct kw_err *err)
{
	return parse(utf8, n, max_rows, NULL, NULL, out, err);
}

int kw_csvtab_each(const char *utf8, size_t n, size_t max_rows,
                   int (*fn)(const struct kw_csvtab *t, const struct kw_csvrow *row, void *arg),
                   void *arg, struct kw_err *err)
{
	struct kw_csvtab *t = NULL;
	int rc = parse(utf8, n, max_rows, fn, arg, &t, err);
	kw_csvtab_free(t);
	return rc;
}

void kw_csvtab_add_column(struct kw_csvtab *t, const char *name, const char *value)
{
	t->header = kw_xrealloc(t->header, (t->ncols + 1) * sizeof *t->header);
	t->header[t->ncols] = kw_xstrdup(name);
	for (size_t r = 0; r < t->nrows; r++) {
		t->rows[r].cells =
		        kw_xrealloc(t->rows[r].cells, (t->ncols + 1) * sizeof *t->rows[r].cells);
		t->rows[r].cells[t->ncols] = kw_xstrdup(value);
	}
	t->ncols++;
}
