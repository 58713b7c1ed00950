#include "util/xlsxread.h"

#include <expat.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "util/buf.h"

#define MAX_ENTRY_BYTES ((size_t)64 << 20)
#define MAX_TABLE_BYTES ((size_t)256 << 20)
#define MAX_COLS        16384   /* XFD */
#define MAX_ROW         1048576 /* Excel's last row */
#define CHUNK           65536
#define NS_SEP          '\x01' /* expat: "namespace-URI\x01local-name" */

#define WORKBOOK      "xl/workbook.xml"
#define WORKBOOK_RELS "xl/_rels/workbook.xml.rels"
#define SHEET1        "xl/worksheets/sheet1.xml"
#define SHARED        "xl/sharedStrings.xml"

#ifdef KW_TESTING
static atomic_size_t test_max_entry, test_max_table;
#endif

void kw_xlsx_test_limits(size_t max_entry_bytes, size_t max_table_bytes)
{
#ifdef KW_TESTING
	atomic_store(&test_max_entry, max_entry_bytes);
	atomic_store(&test_max_table, max_table_bytes);
#else
	(void)max_entry_bytes;
	(void)max_table_bytes;
#endif
}

static size_t max_entry(void)
{
#ifdef KW_TESTING
	size_t v = atomic_load(&test_max_entry);
	if (v)
		return v;
#endif
	return MAX_ENTRY_BYTES;
}

static size_t max_table(void)
{
#ifdef KW_TESTING
	size_t v = atomic_load(&test_max_table);
	if (v)
		return v;
#endif
	return MAX_TABLE_BYTES;
}

int kw_xlsx_sniff(const void *data, size_t n)
{
	return data && n >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

enum cell_type { T_RAW, T_SHARED, T_INLINE };

/* The reader: one per kw_xlsx_read_table call, across the parts it reads. */
struct rd {
	zip_t *z;
	struct kw_err *err;
	int rc;
	const char *part; /* the entry being read */
	XML_Parser xp;    /* while an entry is parsed */
	void (*start)(struct rd *r, const char *name, const char **atts);
	void (*end)(struct rd *r, const char *name);
	int depth;   /* of the current element */
	int collect; /* character data goes to text */
	struct kw_buf text;

	/* xl/workbook.xml */
	int have_sheet;
	char *sheet_rid;
	/* xl/_rels/workbook.xml.rels */
	char *sheet_target, *shared_target;
	/* xl/sharedStrings.xml: the strings, each NUL-terminated, one after the other */
	struct kw_buf sst;
	uint32_t *sst_off;
	size_t sst_n, sst_alloc;
	int si_depth, rph_depth, t_depth;

	/* the worksheet */
	struct kw_csvtab *t;
	size_t max_rows, rows_alloc;
	size_t table_bytes; /* roughly what the table takes in memory */
	int sd_depth, row_depth, cell_depth, v_depth, is_depth;
	int sheet_done;
	long row;      /* the current row's number */
	long prev_row; /* the last row's number (0 before the first) */
	size_t col;    /* the current cell's column, from 0 */
	size_t next_col;
	enum cell_type type;
	char **cur; /* the current row's cells by column (NULL: empty) */
	size_t cur_n, cur_alloc;
	/* A first row with a single non-empty cell: a caption if a wider row follows, else the
	 * header of a one-column table. */
	char *pend;
	size_t pend_col;
	long pend_row;
};

/* Refusals. ---------------------------------------------------------------------------- */

static void malformed(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void malformed(struct rd *r, const char *fmt, ...)
{
	if (r->rc)
		return;
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (r->xp) {
		unsigned long line = (unsigned long)XML_GetCurrentLineNumber(r->xp);
		r->rc = kw_err_set(r->err, KW_EINVAL, "XLSX_MALFORMED", NULL,
		                   "XLSX %s line %lu: %s", r->part, line, what);
		kw_err_detail(r->err, "part", json_string(r->part));
		kw_err_detail(r->err, "line", json_integer((json_int_t)line));
	} else if (r->part) {
		r->rc = kw_err_set(r->err, KW_EINVAL, "XLSX_MALFORMED", NULL, "XLSX %s: %s",
		                   r->part, what);
		kw_err_detail(r->err, "part", json_string(r->part));
	} else {
		r->rc = kw_err_set(r->err, KW_EINVAL, "XLSX_MALFORMED", NULL, "XLSX: %s", what);
	}
}

static void too_large(struct rd *r, size_t max, const char *what)
{
	if (r->rc)
		return;
	r->rc = kw_err_set(r->err, KW_EINVAL, "XLSX_TOO_LARGE", NULL, "XLSX %s: %s over %zu bytes",
	                   r->part, what, max);
	kw_err_detail(r->err, "part", json_string(r->part));
	kw_err_detail(r->err, "max_bytes", json_integer((json_int_t)max));
	kw_err_detail(r->err, "max_mib", json_integer((json_int_t)(max >> 20)));
}

static void row_error(struct rd *r, const char *code, const char *msg)
{
	r->rc = kw_err_set(r->err, KW_EINVAL, code, NULL, "XLSX row %ld: %s", r->row, msg);
	kw_err_detail(r->err, "line", json_integer((json_int_t)r->row));
}

/* Streaming one entry through expat. ---------------------------------------------------- */

static const char *local(const char *name)
{
	const char *s = strrchr(name, NS_SEP);
	return s ? s + 1 : name;
}

/* The value of the attribute without a namespace called name, or NULL. */
static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

/* The value of an attribute in some namespace whose local name is name (r:id), or NULL. */
static const char *attr_ns(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strchr(atts[i], NS_SEP) && strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rd *r = ud;
	if (r->rc)
		return;
	r->depth++;
	r->start(r, local(name), atts);
	if (r->rc)
		XML_StopParser(r->xp, XML_FALSE);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct rd *r = ud;
	if (r->rc)
		return;
	r->end(r, local(name));
	r->depth--;
	if (r->rc)
		XML_StopParser(r->xp, XML_FALSE);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct rd *r = ud;
	if (!r->rc && r->collect && len > 0)
		kw_buf_add(&r->text, s, (size_t)len);
}

/* No part of a workbook has a DTD; refusing them refuses entity expansion with them. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
	struct rd *r = ud;
	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	malformed(r, "a document type declaration");
	XML_StopParser(r->xp, XML_FALSE);
}

static void parse_entry(struct rd *r, zip_int64_t idx, const char *name)
{
	r->part = name;
	r->depth = 0;
	r->collect = 0;
	kw_buf_reset(&r->text);
	size_t max = max_entry();
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(r->z, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    st.size > max) {
		too_large(r, max, "unpacked");
		return;
	}
	zip_file_t *f = zip_fopen_index(r->z, (zip_uint64_t)idx, 0);
	if (!f) {
		malformed(r, "%s", zip_strerror(r->z));
		return;
	}
	XML_Parser xp = XML_ParserCreateNS(NULL, NS_SEP);
	if (!xp)
		abort();
	XML_SetUserData(xp, r);
	XML_SetElementHandler(xp, on_start, on_end);
	XML_SetCharacterDataHandler(xp, on_text);
	XML_SetStartDoctypeDeclHandler(xp, on_doctype);
	char *buf = kw_xmalloc(CHUNK);
	size_t total = 0;
	for (;;) {
		zip_int64_t got = zip_fread(f, buf, CHUNK);
		if (got < 0) {
			malformed(r, "%s", zip_file_strerror(f));
			break;
		}
		/* Counted as read: the sizes in the ZIP's directories may lie. */
		total += (size_t)got;
		if (total > max) {
			too_large(r, max, "unpacked");
			break;
		}
		r->xp = xp;
		enum XML_Status s = XML_Parse(xp, buf, (int)got, got == 0);
		if (s != XML_STATUS_OK && !r->rc)
			malformed(r, "%s", XML_ErrorString(XML_GetErrorCode(xp)));
		r->xp = NULL;
		if (r->rc || got == 0)
			break;
	}
	free(buf);
	XML_ParserFree(xp);
	zip_fclose(f);
}

/* The index of the entry called name (ASCII case ignored), or -1. */
static zip_int64_t locate(struct rd *r, const char *name)
{
	return zip_name_locate(r->z, name, ZIP_FL_NOCASE);
}

/* xl/workbook.xml: the first sheet's relationship id. ----------------------------------- */

static void wb_start(struct rd *r, const char *name, const char **atts)
{
	if (r->have_sheet || strcmp(name, "sheet") != 0)
		return;
	r->have_sheet = 1;
	const char *id = attr_ns(atts, "id");
	if (id)
		r->sheet_rid = kw_xstrdup(id);
}

static void no_end(struct rd *r, const char *name)
{
	(void)r, (void)name;
}

/* xl/_rels/workbook.xml.rels: where the sheet and the shared strings are. ---------------- */

/* Removes empty and "." segments and resolves ".." in a '/'-separated path, in place. */
static void normalize(char *s)
{
	size_t o = 0, i = 0, n = strlen(s);
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '/')
			j++;
		size_t len = j - i;
		if (len == 0 || (len == 1 && s[i] == '.')) {
			/* nothing */
		} else if (len == 2 && s[i] == '.' && s[i + 1] == '.') {
			while (o > 0 && s[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o > 0)
				s[o++] = '/';
			memmove(s + o, s + i, len);
			o += len;
		}
		i = j + 1;
	}
	s[o] = '\0';
}

/* A relationship target as an entry name: relative to xl/, or from the root with "/". */
static char *resolve(const char *target)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	if (target[0] == '/')
		kw_buf_adds(&b, target + 1);
	else
		kw_buf_addf(&b, "xl/%s", target);
	char *s = kw_buf_detach(&b, NULL);
	normalize(s);
	return s;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

static void rels_start(struct rd *r, const char *name, const char **atts)
{
	if (strcmp(name, "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	const char *type = attr(atts, "Type"), *mode = attr(atts, "TargetMode");
	if (!target || !target[0] || (mode && strcmp(mode, "External") == 0))
		return;
	if (!r->sheet_target && r->sheet_rid && id && strcmp(id, r->sheet_rid) == 0)
		r->sheet_target = resolve(target);
	if (!r->shared_target && type && ends_with(type, "/sharedStrings"))
		r->shared_target = resolve(target);
}

/* xl/sharedStrings.xml: each <si>, its <t> texts (rich-text runs too, not phonetic ones). */

static void sst_start(struct rd *r, const char *name, const char **atts)
{
	(void)atts;
	if (!r->si_depth) {
		if (strcmp(name, "si") == 0) {
			r->si_depth = r->depth;
			kw_buf_reset(&r->text);
		}
	} else if (!r->rph_depth && strcmp(name, "rPh") == 0) {
		r->rph_depth = r->depth;
	} else if (!r->rph_depth && !r->t_depth && strcmp(name, "t") == 0) {
		r->t_depth = r->depth;
		r->collect = 1;
	}
}

static void sst_end(struct rd *r, const char *name)
{
	(void)name;
	if (r->depth == r->t_depth) {
		r->t_depth = 0;
		r->collect = 0;
	} else if (r->depth == r->rph_depth) {
		r->rph_depth = 0;
	} else if (r->depth == r->si_depth) {
		r->si_depth = 0;
		if (r->sst.len > UINT32_MAX - r->text.len - 1) {
			too_large(r, UINT32_MAX, "shared strings");
			return;
		}
		if (r->sst_n == r->sst_alloc) {
			r->sst_alloc = r->sst_alloc ? r->sst_alloc * 2 : 256;
			r->sst_off = kw_xrealloc(r->sst_off, r->sst_alloc * sizeof *r->sst_off);
		}
		r->sst_off[r->sst_n++] = (uint32_t)r->sst.len;
		kw_buf_add(&r->sst, r->text.buf, r->text.len);
		kw_buf_add(&r->sst, "", 1);
	}
}

/* The worksheet. ------------------------------------------------------------------------ */

/* Counts bytes of the table being built against its memory budget; -1 (refused) past it. */
static int charge(struct rd *r, size_t bytes)
{
	size_t max = max_table();
	r->table_bytes += bytes;
	if (r->table_bytes > max) {
		too_large(r, max, "the cells take");
		return -1;
	}
	return 0;
}

/* What a cell of len bytes takes: its pointer, the string, malloc's overhead (roughly). */
static size_t cell_cost(size_t len)
{
	size_t n = (len + 1 + 15) & ~(size_t)15;
	return sizeof(char *) + 16 + n;
}

/* "A" → 0, "XFD" → 16383; column letters of a reference like "B3", then digits. */
static int parse_ref(const char *s, size_t *col)
{
	size_t c = 0;
	const char *p = s;
	while (*p >= 'A' && *p <= 'Z') {
		c = c * 26 + (size_t)(*p - 'A' + 1);
		if (c > MAX_COLS)
			return -1;
		p++;
	}
	if (p == s || !*p)
		return -1;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	*col = c - 1;
	return 0;
}

/* The column's letters ("A", "XFD") into out (≥ 4 bytes). */
static void col_name(size_t col, char *out)
{
	char tmp[8];
	size_t n = 0;
	for (size_t c = col + 1; c && n < sizeof tmp; c = (c - 1) / 26)
		tmp[n++] = (char)('A' + (c - 1) % 26);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static int parse_uint(const char *s, size_t len, unsigned long max, unsigned long *v)
{
	*v = 0;
	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned long)(s[i] - '0');
		if (*v > max)
			return -1;
	}
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static void clear_row(struct rd *r)
{
	for (size_t i = 0; i < r->cur_n; i++) {
		free(r->cur[i]);
		r->cur[i] = NULL;
	}
	r->cur_n = 0;
}

struct named {
	const char *s;
	size_t i;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The header: as csvtab, the first column (left to right) that is unnamed or named twice. */
static void take_header(struct rd *r, size_t width)
{
	size_t first_empty = width, first_dup = width;
	for (size_t i = 0; i < width && first_empty == width; i++)
		if (!r->cur[i])
			first_empty = i;
	struct named *v = kw_xcalloc(width, sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < width; i++)
		if (r->cur[i])
			v[m++] = (struct named){r->cur[i], i};
	qsort(v, m, sizeof *v, cmp_named);
	for (size_t k = 1; k < m; k++)
		if (strcmp(v[k].s, v[k - 1].s) == 0 && (k < 2 || strcmp(v[k].s, v[k - 2].s) != 0) &&
		    v[k].i < first_dup)
			first_dup = v[k].i;
	free(v);
	if (first_empty < first_dup) {
		row_error(r, "CSV_HEADER_EMPTY", "a column without a name");
		kw_err_detail(r->err, "column", json_integer((json_int_t)first_empty + 1));
		return;
	}
	if (first_dup < width) {
		row_error(r, "CSV_HEADER_DUPLICATE", "a column named twice");
		kw_err_detail(r->err, "column", json_string(r->cur[first_dup]));
		return;
	}
	if (charge(r, width * sizeof(char *)))
		return;
	struct kw_csvtab *t = r->t;
	t->header = kw_xcalloc(width, sizeof *t->header);
	memcpy(t->header, r->cur, width * sizeof *t->header);
	memset(r->cur, 0, width * sizeof *r->cur);
	t->ncols = width;
}

/* The pending single-cell row becomes the header; the current row is kept. */
static void header_from_pending(struct rd *r)
{
	size_t w = r->pend_col + 1, n = r->cur_n;
	char **keep = kw_xcalloc(n ? n : 1, sizeof *keep);
	memcpy(keep, r->cur, n * sizeof *keep);
	memset(r->cur, 0, n * sizeof *r->cur);
	if (r->cur_alloc < w) {
		r->cur = kw_xrealloc(r->cur, w * sizeof *r->cur);
		memset(r->cur + r->cur_alloc, 0, (w - r->cur_alloc) * sizeof *r->cur);
		r->cur_alloc = w;
	}
	r->cur[w - 1] = r->pend;
	r->pend = NULL;
	r->cur_n = w;
	long row = r->row;
	r->row = r->pend_row;
	take_header(r, w);
	r->row = row;
	clear_row(r);
	if (r->cur_alloc < n) {
		r->cur = kw_xrealloc(r->cur, n * sizeof *r->cur);
		memset(r->cur + r->cur_alloc, 0, (n - r->cur_alloc) * sizeof *r->cur);
		r->cur_alloc = n;
	}
	memcpy(r->cur, keep, n * sizeof *keep);
	r->cur_n = n;
	free(keep);
}

static void commit_row(struct rd *r)
{
	size_t width = r->cur_n;
	while (width && !r->cur[width - 1])
		width--;
	if (!width) { /* all empty: skipped */
		clear_row(r);
		return;
	}
	struct kw_csvtab *t = r->t;
	if (!t->header) {
		/* Published tables carry a caption above the header ("2027年度…职位表"), often in
		 * merged cells: rows with one non-empty cell followed by a wider row are captions.
		 */
		size_t filled = 0;
		for (size_t i = 0; i < width; i++)
			filled += r->cur[i] != NULL;
		if (filled == 1 && !r->pend) {
			r->pend_col = width - 1;
			r->pend = r->cur[width - 1];
			r->pend_row = r->row;
			r->cur[width - 1] = NULL;
			clear_row(r);
			return;
		}
		if (filled > 1) {
			free(r->pend);
			r->pend = NULL;
			take_header(r, width);
			clear_row(r);
			return;
		}
		/* Two single-cell rows: the first was the header of a one-column table. */
		header_from_pending(r);
		if (r->rc)
			return;
	}
	if (width > t->ncols) {
		row_error(r, "XLSX_ROW_WIDTH", "a cell right of the header");
		kw_err_detail(r->err, "expected", json_integer((json_int_t)t->ncols));
		kw_err_detail(r->err, "got", json_integer((json_int_t)width));
		return;
	}
	if (t->nrows == r->max_rows) {
		r->rc = kw_err_set(r->err, KW_EINVAL, "CSV_TOO_MANY_ROWS", NULL,
		                   "more than %zu rows", r->max_rows);
		kw_err_detail(r->err, "max", json_integer((json_int_t)r->max_rows));
		return;
	}
	size_t empty = 0;
	for (size_t i = 0; i < t->ncols; i++)
		empty += i >= width || !r->cur[i];
	if (charge(r, sizeof(struct kw_csvrow) + t->ncols * sizeof(char *) +
	                      empty * (cell_cost(0) - sizeof(char *))))
		return;
	char **cells = kw_xcalloc(t->ncols, sizeof *cells);
	for (size_t i = 0; i < t->ncols; i++) {
		cells[i] = i < width ? r->cur[i] : NULL;
		if (i < width)
			r->cur[i] = NULL;
		if (!cells[i])
			cells[i] = kw_xstrdup("");
	}
	clear_row(r);
	if (t->nrows == r->rows_alloc) {
		r->rows_alloc = r->rows_alloc ? r->rows_alloc * 2 : 64;
		t->rows = kw_xrealloc(t->rows, r->rows_alloc * sizeof *t->rows);
	}
	t->rows[t->nrows].line = (int)r->row;
	t->rows[t->nrows++].cells = cells;
}

static void cell_start(struct rd *r, const char **atts)
{
	const char *ref = attr(atts, "r"), *type = attr(atts, "t");
	if (ref) {
		if (parse_ref(ref, &r->col)) {
			malformed(r, "a bad cell reference");
			kw_err_detail(r->err, "cell", json_string(ref));
			return;
		}
	} else {
		r->col = r->next_col;
	}
	if (r->col >= MAX_COLS) {
		malformed(r, "a cell right of column XFD");
		return;
	}
	r->next_col = r->col + 1;
	r->type = T_RAW;
	if (type && strcmp(type, "s") == 0)
		r->type = T_SHARED;
	else if (type && strcmp(type, "inlineStr") == 0)
		r->type = T_INLINE;
	kw_buf_reset(&r->text);
}

static void cell_end(struct rd *r)
{
	const char *s = r->text.buf;
	size_t n = r->text.len;
	if (r->type == T_SHARED) {
		while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		             s[n - 1] == '\n'))
			n--;
		if (!n)
			return; /* no value: an empty cell */
		unsigned long idx;
		if (parse_uint(s, n, UINT32_MAX, &idx) || idx >= r->sst_n) {
			char ref[24];
			col_name(r->col, ref);
			snprintf(ref + strlen(ref), sizeof ref - strlen(ref), "%ld", r->row);
			malformed(r, "cell %s: no shared string %.*s", ref, n > 20 ? 20 : (int)n,
			          s);
			kw_err_detail(r->err, "cell", json_string(ref));
			return;
		}
		s = r->sst.buf + r->sst_off[idx];
		n = strlen(s);
	}
	trim(&s, &n);
	if (r->col >= r->cur_alloc) {
		size_t a = r->cur_alloc ? r->cur_alloc : 16;
		while (a <= r->col)
			a *= 2;
		r->cur = kw_xrealloc(r->cur, a * sizeof *r->cur);
		memset(r->cur + r->cur_alloc, 0, (a - r->cur_alloc) * sizeof *r->cur);
		r->cur_alloc = a;
	}
	free(r->cur[r->col]); /* a column given twice: the last wins */
	r->cur[r->col] = NULL;
	if (!n || charge(r, cell_cost(n)))
		return;
	r->cur[r->col] = kw_xstrndup(s, n);
	if (r->col + 1 > r->cur_n)
		r->cur_n = r->col + 1;
}

static void ws_start(struct rd *r, const char *name, const char **atts)
{
	int d = r->depth;
	if (r->cell_depth) {
		if (d == r->cell_depth + 1 && r->type != T_INLINE && strcmp(name, "v") == 0) {
			r->v_depth = d;
			r->collect = 1;
		} else if (d == r->cell_depth + 1 && r->type == T_INLINE &&
		           strcmp(name, "is") == 0) {
			r->is_depth = d;
		} else if (r->is_depth && !r->rph_depth && strcmp(name, "rPh") == 0) {
			r->rph_depth = d;
		} else if (r->is_depth && !r->rph_depth && !r->t_depth && strcmp(name, "t") == 0) {
			r->t_depth = d;
			r->collect = 1;
		}
	} else if (r->row_depth) {
		if (d == r->row_depth + 1 && strcmp(name, "c") == 0) {
			r->cell_depth = d;
			cell_start(r, atts);
		}
	} else if (r->sd_depth) {
		if (d == r->sd_depth + 1 && strcmp(name, "row") == 0) {
			r->row_depth = d;
			const char *num = attr(atts, "r");
			unsigned long v = (unsigned long)r->prev_row + 1;
			if (num && parse_uint(num, strlen(num), MAX_ROW, &v))
				v = 0;
			if (v < 1 || v > MAX_ROW) {
				malformed(r, "a bad row number");
				return;
			}
			r->row = (long)v;
			r->prev_row = r->row;
			r->next_col = 0;
		}
	} else if (!r->sheet_done && strcmp(name, "sheetData") == 0) {
		r->sd_depth = d;
	}
}

static void ws_end(struct rd *r, const char *name)
{
	(void)name;
	int d = r->depth;
	if (d == r->t_depth) {
		r->t_depth = 0;
		r->collect = 0;
	} else if (d == r->rph_depth) {
		r->rph_depth = 0;
	} else if (d == r->is_depth) {
		r->is_depth = 0;
	} else if (d == r->v_depth) {
		r->v_depth = 0;
		r->collect = 0;
	} else if (d == r->cell_depth) {
		r->cell_depth = 0;
		cell_end(r);
	} else if (d == r->row_depth) {
		r->row_depth = 0;
		commit_row(r);
	} else if (d == r->sd_depth) {
		r->sd_depth = 0;
		r->sheet_done = 1;
	}
}

/* The whole. ---------------------------------------------------------------------------- */

static void read_parts(struct rd *r)
{
	zip_int64_t idx = locate(r, WORKBOOK);
	r->part = WORKBOOK;
	if (idx < 0) {
		malformed(r, "missing");
		return;
	}
	r->start = wb_start;
	r->end = no_end;
	parse_entry(r, idx, WORKBOOK);
	if (r->rc)
		return;
	if (!r->have_sheet) {
		malformed(r, "no sheet");
		return;
	}
	idx = locate(r, WORKBOOK_RELS);
	if (idx >= 0) {
		r->start = rels_start;
		parse_entry(r, idx, WORKBOOK_RELS);
		if (r->rc)
			return;
	}
	const char *shared = r->shared_target ? r->shared_target : SHARED;
	idx = locate(r, shared);
	if (idx >= 0) {
		r->start = sst_start;
		r->end = sst_end;
		parse_entry(r, idx, shared);
		if (r->rc)
			return;
	}
	const char *sheet = r->sheet_target ? r->sheet_target : SHEET1;
	idx = locate(r, sheet);
	if (idx < 0) {
		r->part = sheet;
		malformed(r, "missing");
		return;
	}
	r->start = ws_start;
	r->end = ws_end;
	parse_entry(r, idx, sheet);
	if (!r->rc && !r->t->header && r->pend) {
		clear_row(r);
		header_from_pending(r);
		clear_row(r);
	}
	free(r->pend);
	r->pend = NULL;
	if (!r->rc && !r->t->header) {
		r->rc = kw_err_set(r->err, KW_EINVAL, "XLSX_EMPTY", NULL,
		                   "XLSX %s: no non-empty row", sheet);
		kw_err_detail(r->err, "part", json_string(sheet));
	}
}

int kw_xlsx_read_table(const void *data, size_t n, size_t max_rows, struct kw_csvtab **out,
                       struct kw_err *err)
{
	*out = NULL;
	struct rd r = {0};
	r.err = err;
	if (!kw_xlsx_sniff(data, n)) {
		malformed(&r, "not a ZIP file");
		return r.rc;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "zip_source_buffer_create");
	}
	r.z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!r.z) {
		malformed(&r, "%s", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return r.rc;
	}
	zip_error_fini(&ze);
	kw_buf_init(&r.text, 0);
	kw_buf_init(&r.sst, 0);
	r.t = kw_xcalloc(1, sizeof *r.t);
	r.max_rows = max_rows;
	read_parts(&r);
	zip_discard(r.z);
	clear_row(&r);
	free(r.cur);
	free(r.sheet_rid);
	free(r.sheet_target);
	free(r.shared_target);
	free(r.sst_off);
	kw_buf_release(&r.sst);
	kw_buf_release(&r.text);
	if (r.rc) {
		kw_csvtab_free(r.t);
		return r.rc;
	}
	*out = r.t;
	return 0;
}
