#include "render/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/buf.h"

/* Display width of UTF-8 text: wide (CJK, full-width) characters count 2. */
static double text_width(const char *s)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE0 ? 2 : 1; /* 3- and 4-byte sequences: CJK and beyond */
	}
	return w;
}

/* A sheet name Excel takes: at most 31 characters, none of []:*?/\ . */
static void sheet_title(const char *name, char *out, size_t n)
{
	size_t o = 0;
	int chars = 0;
	for (const char *p = name; *p && chars < 31 && o + 5 < n;) {
		size_t len = 1;
		unsigned char c = (unsigned char)*p;
		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		if (len == 1 && strchr("[]:*?/\\", c))
			out[o++] = '_';
		else
			for (size_t k = 0; k < len && p[k]; k++)
				out[o++] = p[k];
		p += len;
		chars++;
	}
	out[o] = '\0';
	if (!o)
		snprintf(out, n, "Sheet1");
}

static int read_file(const char *path, char **out, size_t *out_n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	char chunk[65536];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		kw_buf_add(&b, chunk, r);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		kw_buf_release(&b);
		return -1;
	}
	*out = kw_buf_detach(&b, out_n);
	return 0;
}

int kw_xlsx_table(const char *sheet_name, const char *const *headers, size_t ncols,
                  const json_t *rows, char **out, size_t *out_n, struct kw_err *err)
{
	*out = NULL;
	*out_n = 0;
	if (ncols == 0 || ncols > 16384 || json_array_size(rows) > 1048575)
		return kw_err_set(err, KW_ETOOBIG, "EXPORT_TOO_BIG", NULL,
		                  "more rows or columns than a worksheet holds");
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/kaowu-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "cannot create a temporary file");
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	int rc = 0;
	if (!wb) {
		unlink(path);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot start a workbook");
	}
	char title[160];
	sheet_title(sheet_name ? sheet_name : "", title, sizeof title);
	lxw_worksheet *ws = workbook_add_worksheet(wb, title);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	double *width = kw_xcalloc(ncols, sizeof *width);
	for (size_t c = 0; c < ncols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c] ? headers[c] : "", bold);
		width[c] = text_width(headers[c] ? headers[c] : "");
	}
	size_t r;
	json_t *row;
	json_array_foreach(rows, r, row)
	{
		lxw_row_t y = (lxw_row_t)(r + 1);
		for (size_t c = 0; c < ncols; c++) {
			json_t *v = json_array_get(row, c);
			lxw_col_t x = (lxw_col_t)c;
			char num[32];
			if (json_is_string(v)) {
				worksheet_write_string(ws, y, x, json_string_value(v), NULL);
				double w = text_width(json_string_value(v));
				width[c] = w > width[c] ? w : width[c];
			} else if (json_is_integer(v) || json_is_real(v)) {
				worksheet_write_number(ws, y, x, json_number_value(v), NULL);
				snprintf(num, sizeof num, "%g", json_number_value(v));
				double w = (double)strlen(num);
				width[c] = w > width[c] ? w : width[c];
			} else if (json_is_boolean(v)) {
				worksheet_write_boolean(ws, y, x, json_is_true(v), NULL);
				width[c] = width[c] < 5 ? 5 : width[c];
			}
		}
	}
	for (size_t c = 0; c < ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
		                     width[c] + 2 > 60 ? 60 : width[c] + 2, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	free(width);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "xlsx: %s", lxw_strerror(e));
	if (!rc && read_file(path, out, out_n) != 0)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "cannot read the workbook back");
	unlink(path);
	return rc;
}
