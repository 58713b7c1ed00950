/* Uploaded Excel workbooks (imports): the first worksheet read as a table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "util/xlsxread.h"
#include "../common/testzip.h"

/* Reading a workbook. ------------------------------------------------------------------- */

static struct kw_csvtab *rd(const char *data, size_t n, size_t max, int *rc, struct kw_err *err)
{
	struct kw_csvtab *t = (struct kw_csvtab *)1;
	*rc = kw_xlsx_read_table(data, n, max, &t, err);
	if (*rc)
		assert_null(t);
	else
		assert_non_null(t);
	return t;
}

/* Row i has this line and exactly these cells (as many as the header has columns). */
static void row_is(const struct kw_csvtab *t, size_t i, int line, ...)
{
	assert_true(i < t->nrows);
	assert_int_equal(t->rows[i].line, line);
	va_list ap;
	va_start(ap, line);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *want = va_arg(ap, const char *);
		assert_non_null(want);
		assert_string_equal(t->rows[i].cells[c], want);
	}
	assert_null(va_arg(ap, const char *));
	va_end(ap);
}

static void header_is(const struct kw_csvtab *t, ...)
{
	va_list ap;
	va_start(ap, t);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *want = va_arg(ap, const char *);
		assert_non_null(want);
		assert_string_equal(t->header[c], want);
	}
	assert_null(va_arg(ap, const char *));
	va_end(ap);
}

static json_int_t detail_int(const struct kw_err *err, const char *key)
{
	json_t *v = json_object_get(err->details, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static const char *detail_str(const struct kw_err *err, const char *key)
{
	json_t *v = json_object_get(err->details, key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

/* Building workbooks: libxlsxwriter through a temporary file. --------------------------- */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	char *buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static char tmp_path[64];

static lxw_workbook *wb_new(int constant_memory)
{
	strcpy(tmp_path, "/tmp/kw-xlsxread-XXXXXX");
	int fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	close(fd);
	lxw_workbook_options opt = {.constant_memory = (uint8_t)constant_memory};
	lxw_workbook *wb = workbook_new_opt(tmp_path, &opt);
	assert_non_null(wb);
	return wb;
}

static char *wb_bytes(lxw_workbook *wb, size_t *n)
{
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	char *data = slurp(tmp_path, n);
	unlink(tmp_path);
	return data;
}

/* Building workbooks by hand: libzip in memory. ----------------------------------------- */

/* A ZIP of the (name, content) pairs that follow n, up to a NULL name. */
static char *mkzip(size_t *n, ...)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	zip_source_keep(src);
	va_list ap;
	va_start(ap, n);
	const char *name;
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *content = va_arg(ap, const char *);
		zip_source_t *s = zip_source_buffer(z, content, strlen(content), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	va_end(ap);
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	zip_int64_t len = zip_source_tell(src);
	assert_true(len > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	char *buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)len), len);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*n = (size_t)len;
	return buf;
}

#define NS_MAIN "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define NS_R    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL     "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char workbook[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<workbook " NS_MAIN " " NS_R "><sheets>"
                               "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                               "</sheets></workbook>";
static const char rels[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
        "</Relationships>";

/* A worksheet part around the <row> elements given, which start on its line 4. */
static char *sheet(const char *rows)
{
	char *s = NULL;
	assert_true(asprintf(&s,
	                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                     "<worksheet " NS_MAIN ">\n<sheetData>\n%s\n</sheetData>\n</worksheet>",
	                     rows) > 0);
	return s;
}

/* A shared-strings part around the <si> elements given. */
static char *strings(const char *sis)
{
	char *s = NULL;
	assert_true(asprintf(&s, "<sst " NS_MAIN ">%s</sst>", sis) > 0);
	return s;
}

/* A workbook of one sheet with these rows and (unless sis is NULL) these shared strings. */
static char *book(size_t *n, const char *sis, const char *rows)
{
	char *ws = sheet(rows), *ss = sis ? strings(sis) : NULL;
	char *z = ss ? mkzip(n, "xl/workbook.xml", workbook, "xl/_rels/workbook.xml.rels", rels,
	                     "xl/worksheets/sheet1.xml", ws, "xl/sharedStrings.xml", ss, NULL)
	             : mkzip(n, "xl/workbook.xml", workbook, "xl/_rels/workbook.xml.rels", rels,
	                     "xl/worksheets/sheet1.xml", ws, NULL);
	free(ws);
	free(ss);
	return z;
}

/* Reads a hand-built one-sheet workbook expecting a refusal with this code. */
static void refused(const char *sis, const char *rows, size_t max, const char *code,
                    struct kw_err *err)
{
	size_t n;
	char *z = book(&n, sis, rows);
	int rc;
	assert_null(rd(z, n, max, &rc, err));
	assert_int_equal(rc, KW_EINVAL);
	assert_string_equal(err->code, code);
	free(z);
}

/* Tests. -------------------------------------------------------------------------------- */

static void sniffs_zip(void **state)
{
	(void)state;
	assert_int_equal(kw_xlsx_sniff("PK\x03\x04rest", 8), 1);
	assert_int_equal(kw_xlsx_sniff("PK\x03", 3), 0);
	assert_int_equal(kw_xlsx_sniff("PK\x05\x06", 4), 0);
	assert_int_equal(kw_xlsx_sniff("考点,地址\n", 14), 0);
}

static void written_by_libxlsxwriter(void **state)
{
	(void)state;
	lxw_workbook *wb = wb_new(0);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "考点");
	lxw_worksheet *other = workbook_add_worksheet(wb, "其他");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	/* Rows 1 and 2 are left out: the header is on row 3. */
	worksheet_write_string(ws, 2, 0, "考点代码", NULL);
	worksheet_write_string(ws, 2, 1, " 考点名称 ", NULL);
	worksheet_write_string(ws, 2, 2, "座位数", NULL);
	worksheet_write_string(ws, 2, 3, "备注", NULL);
	worksheet_write_blank(ws, 2, 4, bold); /* a trailing empty header cell: dropped */
	worksheet_write_string(ws, 3, 0, "C1", NULL);
	worksheet_write_string(ws, 3, 1, "合肥一中", NULL);
	worksheet_write_number(ws, 3, 2, 30, NULL);
	/* Row 5: only blanks and spaces, skipped. */
	worksheet_write_blank(ws, 4, 0, bold);
	worksheet_write_string(ws, 4, 1, "   ", NULL);
	worksheet_write_string(ws, 5, 0, "C2", NULL); /* B6 empty in the middle */
	worksheet_write_number(ws, 5, 2, 0.5, NULL);
	worksheet_write_string(ws, 5, 3, "\t说明 ", NULL);
	worksheet_write_blank(ws, 5, 5, bold); /* empty, right of the header: ignored */
	char a[] = "蜀山", b[] = "区";
	lxw_rich_string_tuple f1 = {.format = NULL, .string = a};
	lxw_rich_string_tuple f2 = {.format = bold, .string = b};
	lxw_rich_string_tuple *frags[] = {&f1, &f2, NULL};
	worksheet_write_rich_string(ws, 6, 0, frags, NULL);
	worksheet_write_boolean(ws, 6, 1, 1, NULL);
	worksheet_write_number(ws, 6, 2, -1234.25, NULL);
	worksheet_write_string(other, 0, 0, "not read", NULL);
	size_t n;
	char *x = wb_bytes(wb, &n);
	assert_int_equal(kw_xlsx_sniff(x, n), 1);

	struct kw_err err = KW_ERR_INIT;
	int rc;
	struct kw_csvtab *t = rd(x, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(t->ncols, 4);
	header_is(t, "考点代码", "考点名称", "座位数", "备注", NULL);
	assert_int_equal(kw_csvtab_col(t, "座位数"), 2);
	assert_int_equal(t->nrows, 3);
	row_is(t, 0, 4, "C1", "合肥一中", "30", "", NULL);
	row_is(t, 1, 6, "C2", "", "0.5", "说明", NULL);
	row_is(t, 2, 7, "蜀山区", "1", "-1234.25", "", NULL);
	kw_csvtab_free(t);
	free(x);
}

static void inline_strings(void **state)
{
	(void)state;
	/* In constant-memory mode libxlsxwriter writes strings inline (t="inlineStr"). */
	lxw_workbook *wb = wb_new(1);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "姓名", NULL);
	worksheet_write_string(ws, 0, 1, "身份证号", NULL);
	worksheet_write_string(ws, 1, 0, "张三", NULL);
	worksheet_write_string(ws, 1, 1, "34010419900101001X", NULL);
	worksheet_write_string(ws, 3, 1, "<&>\"'", NULL);
	size_t n;
	char *x = wb_bytes(wb, &n);
	char *xml = kw_test_zip_member(x, n, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "t=\"inlineStr\""));
	free(xml);

	struct kw_err err = KW_ERR_INIT;
	int rc;
	struct kw_csvtab *t = rd(x, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "姓名", "身份证号", NULL);
	assert_int_equal(t->nrows, 2);
	row_is(t, 0, 2, "张三", "34010419900101001X", NULL);
	row_is(t, 1, 4, "", "<&>\"'", NULL);
	kw_csvtab_free(t);
	free(x);
}

static void parts_found_through_the_relationships(void **state)
{
	(void)state;
	/* A prefixed namespace, the first sheet not sheet1.xml (an absolute target), shared
	 * strings elsewhere, rich-text runs and phonetic runs, cells without references. */
	const char *wb = "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/"
	                 "2006/main\" " NS_R "><x:sheets>"
	                 "<x:sheet name=\"B\" sheetId=\"2\" r:id=\"rId9\"/>"
	                 "<x:sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/>"
	                 "</x:sheets></x:workbook>";
	const char *rl =
	        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	        "relationships\">"
	        "<Relationship Id=\"rId1\" Type=\"" REL
	        "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	        "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" Target=\"/xl/s/str.xml\"/>"
	        "<Relationship Id=\"rId9\" Type=\"" REL "worksheet\" "
	        "Target=\"./sheets/../worksheets/data.xml\"/>"
	        "</Relationships>";
	const char *ss = "<x:sst xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
	                 "main\" count=\"4\" uniqueCount=\"4\">"
	                 "<x:si><x:t>考号</x:t></x:si>"
	                 "<x:si><x:r><x:rPr><x:b/></x:rPr><x:t xml:space=\"preserve\">准考 "
	                 "</x:t></x:r><x:r><x:t>证号</x:t></x:r></x:si>"
	                 "<x:si><x:t>東京</x:t><x:rPh sb=\"0\" eb=\"2\"><x:t>トウキョウ</x:t>"
	                 "</x:rPh><x:phoneticPr fontId=\"1\"/></x:si>"
	                 "<x:si><x:t/></x:si>"
	                 "</x:sst>";
	const char *data = "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/"
	                   "spreadsheetml/2006/main\"><x:sheetData>"
	                   "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c>"
	                   "<x:c t=\"s\"><x:v>1</x:v></x:c><x:c r=\"C2\" t=\"str\"><x:f>A1</x:f>"
	                   "<x:v>列</x:v></x:c></x:row>"
	                   "<x:row><x:c r=\"A3\" t=\"e\"><x:v>#N/A</x:v></x:c><x:c r=\"B3\" "
	                   "t=\"s\"><x:v> 2 </x:v></x:c><x:c t=\"s\"><x:v>3</x:v></x:c></x:row>"
	                   "<x:row r=\"4\"><x:c r=\"A4\" t=\"s\"><x:v>1</x:v></x:c></x:row>"
	                   "</x:sheetData></x:worksheet>";
	const char *decoy = "<worksheet " NS_MAIN "><sheetData><row r=\"1\"><c t=\"inlineStr\">"
	                    "<is><t>decoy</t></is></c></row></sheetData></worksheet>";
	size_t n;
	char *z = mkzip(&n, "xl/workbook.xml", wb, "xl/_rels/workbook.xml.rels", rl,
	                "xl/worksheets/sheet1.xml", decoy, "xl/worksheets/data.xml", data,
	                "xl/s/str.xml", ss, NULL);
	struct kw_err err = KW_ERR_INIT;
	int rc;
	struct kw_csvtab *t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "考号", "准考 证号", "列", NULL);
	assert_int_equal(t->nrows, 2);
	row_is(t, 0, 3, "#N/A", "東京", "", NULL);
	row_is(t, 1, 4, "准考 证号", "", "", NULL);
	kw_csvtab_free(t);
	free(z);
}

static void columns_and_rows_numbered(void **state)
{
	(void)state;
	size_t n;
	const char *rows =
	        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c>"
	        "<c t=\"inlineStr\"><is><t>b</t></is></c>"
	        "<c r=\"C1\" t=\"inlineStr\"><is><r><t>c</t></r><r><t>1</t></r>"
	        "<rPh><t>x</t></rPh></is></c></row>"
	        "<row r=\"5\"><c r=\"C5\"><v>3</v></c><c><v>  </v></c></row>"
	        "<row><c r=\"B6\" t=\"b\"><v>0</v></c></row>"
	        "<row r=\"7\" spans=\"1:3\"><c r=\"A7\" t=\"inlineStr\"><v>ignored</v></c></row>"
	        "<row r=\"8\"><c r=\"A8\" t=\"n\"><v>1</v></c><c r=\"A8\"><v>2</v></c></row>";
	char *z = book(&n, NULL, rows); /* no shared strings, none needed */
	struct kw_err err = KW_ERR_INIT;
	int rc;
	struct kw_csvtab *t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "a", "b", "c1", NULL);
	assert_int_equal(t->nrows, 3);
	row_is(t, 0, 5, "", "", "3", NULL);
	row_is(t, 1, 6, "", "0", "", NULL);
	row_is(t, 2, 8, "2", "", "", NULL); /* a column given twice: the last wins */
	kw_csvtab_free(t);
	free(z);
}

static void sheet1_without_relationships(void **state)
{
	(void)state;
	char *ws = sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>k</t></is></c></row>"
	                 "<row r=\"2\"><c r=\"A2\"><v>7</v></c></row>");
	size_t n;
	char *z = mkzip(&n, "xl/workbook.xml", workbook, "xl/worksheets/sheet1.xml", ws, NULL);
	struct kw_err err = KW_ERR_INIT;
	int rc;
	struct kw_csvtab *t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "k", NULL);
	row_is(t, 0, 2, "7", NULL);
	kw_csvtab_free(t);
	free(z);
	free(ws);
}

static void shared_strings_missing_or_out_of_range(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	/* The part is missing but a cell refers to it. */
	refused(NULL, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", 100, "XLSX_MALFORMED",
	        &err);
	assert_string_equal(detail_str(&err, "part"), "xl/worksheets/sheet1.xml");
	assert_string_equal(detail_str(&err, "cell"), "A1");
	assert_int_equal(detail_int(&err, "line"), 4);
	/* Two strings, index 2. */
	refused("<si><t>a</t></si><si><t>b</t></si>",
	        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	        "</row>\n<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c>"
	        "<c r=\"AB2\" t=\"s\"><v>2</v></c></row>",
	        100, "XLSX_MALFORMED", &err);
	assert_string_equal(detail_str(&err, "cell"), "AB2");
	assert_int_equal(detail_int(&err, "line"), 5);
	refused("<si><t>a</t></si>", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>", 100,
	        "XLSX_MALFORMED", &err);
	refused("<si><t>a</t></si>",
	        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>99999999999999999999</v></c></row>", 100,
	        "XLSX_MALFORMED", &err);
	kw_err_release(&err);
}

static void header_and_width_refusals(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	const char *sis = "<si><t>a</t></si><si><t>b</t></si><si><t> a </t></si>";
	refused(sis,
	        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" "
	        "t=\"s\"><v>1</v></c></row>"
	        "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"C3\"><v>3</v></c></row>",
	        100, "XLSX_ROW_WIDTH", &err);
	assert_int_equal(detail_int(&err, "line"), 3);
	assert_int_equal(detail_int(&err, "expected"), 2);
	assert_int_equal(detail_int(&err, "got"), 3);
	/* "a" and " a " are the same name once trimmed. */
	refused(sis,
	        "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>0</v></c><c r=\"B4\" t=\"s\"><v>1</v></c>"
	        "<c r=\"C4\" t=\"s\"><v>2</v></c></row>",
	        100, "CSV_HEADER_DUPLICATE", &err);
	assert_string_equal(detail_str(&err, "column"), "a");
	assert_int_equal(detail_int(&err, "line"), 4);
	refused(sis,
	        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" "
	        "t=\"s\"><v>1</v></c></row>",
	        100, "CSV_HEADER_EMPTY", &err);
	assert_int_equal(detail_int(&err, "column"), 2);
	/* An unnamed column left of a duplicate: the leftmost fault is told, as csvtab does. */
	refused(sis,
	        "<row r=\"1\"><c r=\"B1\" t=\"s\"><v>0</v></c><c r=\"C1\" "
	        "t=\"s\"><v>2</v></c></row>",
	        100, "CSV_HEADER_EMPTY", &err);
	assert_int_equal(detail_int(&err, "column"), 1);
	refused(sis,
	        "<row r=\"1\"><c r=\"A1\"><v>x</v></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></c>"
	        "</row><row r=\"3\"><c r=\"A3\"><v>2</v></c></row>",
	        1, "CSV_TOO_MANY_ROWS", &err);
	assert_int_equal(detail_int(&err, "max"), 1);
	refused(NULL, "<row r=\"1\"><c r=\"A1\"><v> </v></c></row><row r=\"2\"/>", 100,
	        "XLSX_EMPTY", &err);
	refused(NULL, "", 100, "XLSX_EMPTY", &err);
	kw_err_release(&err);
}

static void malformed_refused(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	int rc;
	const char *csv = "考点代码,考点名称\nC1,合肥一中\n";
	assert_null(rd(csv, strlen(csv), 100, &rc, &err));
	assert_int_equal(rc, KW_EINVAL);
	assert_string_equal(err.code, "XLSX_MALFORMED");
	assert_null(rd("", 0, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_MALFORMED");

	size_t n;
	char *z = book(&n, "<si><t>a</t></si>", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
	/* Truncated: the central directory is gone. */
	assert_null(rd(z, n / 2, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_MALFORMED");
	assert_null(rd(z, n - 1, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_MALFORMED");
	struct kw_csvtab *t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	kw_csvtab_free(t);
	free(z);

	/* No workbook part. */
	char *ws = sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
	z = mkzip(&n, "xl/worksheets/sheet1.xml", ws, NULL);
	assert_null(rd(z, n, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_MALFORMED");
	assert_string_equal(detail_str(&err, "part"), "xl/workbook.xml");
	free(z);
	/* A workbook without a sheet. */
	z = mkzip(&n, "xl/workbook.xml", "<workbook " NS_MAIN "><sheets/></workbook>",
	          "xl/worksheets/sheet1.xml", ws, NULL);
	assert_null(rd(z, n, 100, &rc, &err));
	assert_string_equal(detail_str(&err, "part"), "xl/workbook.xml");
	free(z);
	free(ws);
	/* The relationships name a sheet that is not there. */
	z = mkzip(&n, "xl/workbook.xml", workbook, "xl/_rels/workbook.xml.rels", rels, NULL);
	assert_null(rd(z, n, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_MALFORMED");
	assert_string_equal(detail_str(&err, "part"), "xl/worksheets/sheet1.xml");
	free(z);

	/* Bad XML: the line is told. */
	refused(NULL, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row></c>", 100,
	        "XLSX_MALFORMED", &err);
	assert_string_equal(detail_str(&err, "part"), "xl/worksheets/sheet1.xml");
	assert_int_equal(detail_int(&err, "line"), 5);
	refused("<si><t>a</si>", "", 100, "XLSX_MALFORMED", &err);
	assert_string_equal(detail_str(&err, "part"), "xl/sharedStrings.xml");
	/* Bad references and row numbers. */
	refused(NULL, "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", 100, "XLSX_MALFORMED", &err);
	assert_string_equal(detail_str(&err, "cell"), "1A");
	refused(NULL, "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", 100, "XLSX_MALFORMED", &err);
	refused(NULL, "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>", 100,
	        "XLSX_MALFORMED", &err);
	refused(NULL, "<row r=\"0\"><c r=\"A1\"><v>1</v></c></row>", 100, "XLSX_MALFORMED", &err);
	refused(NULL, "<row r=\"1048577\"><c><v>1</v></c></row>", 100, "XLSX_MALFORMED", &err);

	/* A DTD (entity expansion) is refused. */
	const char *bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
	                   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
	                   "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is>"
	                   "</c></row></sheetData></worksheet>";
	z = mkzip(&n, "xl/workbook.xml", workbook, "xl/worksheets/sheet1.xml", bomb, NULL);
	assert_null(rd(z, n, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_MALFORMED");
	assert_int_equal(detail_int(&err, "line"), 2);
	free(z);
	kw_err_release(&err);
}

/* Sets the 32-bit little-endian field at p. */
static void put32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i) & 0xFF);
}

/* Makes the ZIP directories say that the entry called name unpacks to size bytes. */
static void lie_about_size(char *z, size_t n, const char *name, uint32_t size)
{
	size_t len = strlen(name);
	int local = 0, central = 0;
	for (size_t i = 0; i + 46 + len <= n; i++) {
		if (memcmp(z + i, "PK\x03\x04", 4) == 0 && memcmp(z + i + 30, name, len) == 0) {
			put32(z + i + 22, size);
			local++;
		} else if (memcmp(z + i, "PK\x01\x02", 4) == 0 &&
		           memcmp(z + i + 46, name, len) == 0) {
			put32(z + i + 24, size);
			central++;
		}
	}
	assert_int_equal(local, 1);
	assert_int_equal(central, 1);
}

static void zip_bombs_refused(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	int rc;
	/* A worksheet of 64 MiB and one byte once unpacked (spaces compress well). */
	size_t big = ((size_t)64 << 20) + 1;
	char *ws = malloc(big + 1);
	assert_non_null(ws);
	const char *head = "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData>";
	memset(ws, ' ', big);
	memcpy(ws, head, strlen(head));
	memcpy(ws + big - strlen("</worksheet>"), "</worksheet>", strlen("</worksheet>"));
	ws[big] = '\0';
	size_t n;
	char *z = mkzip(&n, "xl/workbook.xml", workbook, "xl/worksheets/sheet1.xml", ws, NULL);
	assert_true(n < big / 100);
	assert_null(rd(z, n, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_TOO_LARGE");
	assert_int_equal(detail_int(&err, "max_bytes"), 64 << 20);
	assert_string_equal(detail_str(&err, "part"), "xl/worksheets/sheet1.xml");
	/* The same when the directories claim it is small: the bytes read are counted. */
	lie_about_size(z, n, "xl/worksheets/sheet1.xml", 1000);
	assert_null(rd(z, n, 100, &rc, &err));
	assert_string_equal(err.code, "XLSX_TOO_LARGE");
	assert_int_equal(detail_int(&err, "max_bytes"), 64 << 20);
	free(z);
	/* One byte less is read. */
	memcpy(ws + big - 1 - strlen("</worksheet>"), "</worksheet>", strlen("</worksheet>"));
	ws[big - 1] = '\0';
	z = mkzip(&n, "xl/workbook.xml", workbook, "xl/worksheets/sheet1.xml", ws, NULL);
	struct kw_csvtab *t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "1", NULL);
	kw_csvtab_free(t);
	free(z);
	free(ws);

	/* With a lower limit (test builds), a lie is caught in the middle of the entry. */
	kw_xlsx_test_limits(4096, 0);
	ws = sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
	char *pad = NULL;
	assert_true(asprintf(&pad, "%s%4000s", ws, "") > 0);
	z = mkzip(&n, "xl/workbook.xml", workbook, "xl/worksheets/sheet1.xml", pad, NULL);
	t = rd(z, n, 100, &rc, &err);
	assert_string_equal(err.code, "XLSX_TOO_LARGE");
	assert_int_equal(detail_int(&err, "max_bytes"), 4096);
	lie_about_size(z, n, "xl/worksheets/sheet1.xml", 100);
	t = rd(z, n, 100, &rc, &err);
	assert_string_equal(err.code, "XLSX_TOO_LARGE");
	kw_xlsx_test_limits(0, 0);
	/* libzip hands over every byte, whatever the directories said: hence the counting. */
	t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "1", NULL);
	kw_csvtab_free(t);
	free(z);
	free(pad);
	free(ws);

	/* One shared string of 1000 bytes in many cells: the table's memory is bounded too. */
	char *s1000 = NULL, *sis = NULL;
	assert_true(asprintf(&s1000, "%01000d", 7) > 0);
	assert_true(asprintf(&sis, "<si><t>h</t></si><si><t>%s</t></si>", s1000) > 0);
	char *rows = strdup("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>");
	for (int i = 2; i <= 40; i++) {
		char *more = NULL;
		assert_true(asprintf(&more,
		                     "%s<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>1</v></c></row>",
		                     rows, i, i) > 0);
		free(rows);
		rows = more;
	}
	kw_xlsx_test_limits(0, 20000);
	z = book(&n, sis, rows);
	t = rd(z, n, 100, &rc, &err);
	assert_string_equal(err.code, "XLSX_TOO_LARGE");
	assert_int_equal(detail_int(&err, "max_bytes"), 20000);
	kw_xlsx_test_limits(0, 0);
	t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(t->nrows, 39);
	assert_string_equal(t->rows[38].cells[0], s1000);
	assert_int_equal(t->rows[38].line, 40);
	kw_csvtab_free(t);
	free(z);
	free(rows);
	free(sis);
	free(s1000);
	kw_err_release(&err);
}

/* EXAM-4: a published table's caption row above its header is skipped; a one-column table's
 * header is still its first row. */
static void captions_skipped(void **state)
{
	(void)state;
	size_t n;
	char *z = book(&n,
	               "<si><t>2027年度考试录用公务员职位表</t></si><si><t>职位代码</t></si>"
	               "<si><t>招考人数</t></si>",
	               "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
	               "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" "
	               "t=\"s\"><v>2</v></c></row>"
	               "<row r=\"4\"><c r=\"A4\"><v>200011</v></c><c r=\"B4\"><v>2</v></c></row>");
	struct kw_err err = KW_ERR_INIT;
	int rc;
	struct kw_csvtab *t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "职位代码", "招考人数", NULL);
	assert_int_equal(t->nrows, 1);
	row_is(t, 0, 4, "200011", "2", NULL);
	kw_csvtab_free(t);
	free(z);
	/* One column: its header, then its values. */
	z = book(&n, NULL,
	         "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>code</t></is></c></row>"
	         "<row r=\"3\"><c r=\"A3\"><v>7</v></c></row>"
	         "<row r=\"4\"><c r=\"A4\"><v>8</v></c></row>");
	t = rd(z, n, 100, &rc, &err);
	assert_int_equal(rc, 0);
	header_is(t, "code", NULL);
	assert_int_equal(t->nrows, 2);
	row_is(t, 0, 3, "7", NULL);
	row_is(t, 1, 4, "8", NULL);
	kw_csvtab_free(t);
	free(z);
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(sniffs_zip),
	        cmocka_unit_test(captions_skipped),
	        cmocka_unit_test(written_by_libxlsxwriter),
	        cmocka_unit_test(inline_strings),
	        cmocka_unit_test(parts_found_through_the_relationships),
	        cmocka_unit_test(columns_and_rows_numbered),
	        cmocka_unit_test(sheet1_without_relationships),
	        cmocka_unit_test(shared_strings_missing_or_out_of_range),
	        cmocka_unit_test(header_and_width_refusals),
	        cmocka_unit_test(malformed_refused),
	        cmocka_unit_test(zip_bombs_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
