/* Uploaded CSV files: encodings (UTF-8 with or without BOM, GB18030) and the table reader. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/csvtab.h"
#include "util/textin.h"

static const char *decode(const char *data, size_t n, char **out, int *rc, struct kw_err *err)
{
	size_t on;
	const char *enc = NULL;
	*rc = kw_text_decode(data, n, out, &on, &enc, err);
	return enc;
}

static void utf8_with_and_without_bom(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	char *out;
	int rc;
	const char *enc = decode("考点,地址\n", strlen("考点,地址\n"), &out, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(enc, "UTF-8");
	assert_string_equal(out, "考点,地址\n");
	free(out);
	const char bom[] = "\xEF\xBB\xBF考点\n";
	enc = decode(bom, strlen(bom), &out, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(enc, "UTF-8 (BOM)");
	assert_string_equal(out, "考点\n");
	free(out);
}

static void gb18030_detected(void **state)
{
	(void)state;
	const char *u = "考点名称,地址\n合肥一中,合肥市蜀山区\n";
	char gb[256], *in = (char *)u, *o = gb;
	size_t il = strlen(u), ol = sizeof gb;
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
	iconv_close(cd);
	size_t gn = (size_t)(o - gb);
	assert_true(gn < strlen(u)); /* two bytes a character, not three */
	struct kw_err err = KW_ERR_INIT;
	char *out;
	int rc;
	const char *enc = decode(gb, gn, &out, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(enc, "GB18030");
	assert_string_equal(out, u);
	free(out);
}

static void other_encodings_refused(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	char *out = NULL;
	int rc;
	decode("\xFF\xFE"
	       "a\0b\0",
	       6, &out, &rc, &err);
	assert_int_equal(rc, KW_EINVAL);
	assert_string_equal(err.code, "ENCODING_UNSUPPORTED");
	assert_null(out);
	decode("abc,\xFF\xFF\n", 7, &out, &rc, &err);
	assert_int_equal(rc, KW_EINVAL);
	assert_string_equal(err.code, "ENCODING_UNKNOWN");
	assert_int_equal(json_integer_value(json_object_get(err.details, "offset")), 4);
	decode("a\0b", 3, &out, &rc, &err);
	assert_string_equal(err.code, "TEXT_NUL");
	/* Overlong and surrogate forms are not UTF-8. */
	assert_int_equal(kw_utf8_valid_prefix("a\xC0\xAF", 3), 1);
	assert_int_equal(kw_utf8_valid_prefix("\xED\xA0\x80", 3), 0);
	assert_int_equal(kw_utf8_valid_prefix("考", 3), 3);
	kw_err_release(&err);
}

static struct kw_csvtab *parse(const char *s, size_t max, int *rc, struct kw_err *err)
{
	struct kw_csvtab *t = NULL;
	*rc = kw_csvtab_parse(s, strlen(s), max, &t, err);
	return t;
}

static void quoted_fields_and_lines(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	int rc;
	struct kw_csvtab *t = parse("code, name ,address\r\n"
	                            "C1,\"合肥一中\",\"蜀山区, 潜山路\"\r\n"
	                            "\r\n"
	                            "C2,\"说\"\"明\",\"第一行\n第二行\"\n"
	                            "C3,x,y\n",
	                            100, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(t->ncols, 3);
	assert_string_equal(t->header[1], "name");
	assert_int_equal(kw_csvtab_col(t, "address"), 2);
	assert_int_equal(kw_csvtab_col(t, "nope"), -1);
	assert_int_equal(t->nrows, 3);
	assert_int_equal(t->rows[0].line, 2);
	assert_string_equal(t->rows[0].cells[2], "蜀山区, 潜山路");
	assert_int_equal(t->rows[1].line, 4); /* the blank line 3 is skipped */
	assert_string_equal(t->rows[1].cells[1], "说\"明");
	assert_string_equal(t->rows[1].cells[2], "第一行\n第二行");
	assert_int_equal(t->rows[2].line, 6); /* after a field spanning lines 4-5 */
	kw_csvtab_free(t);
}

static void bad_tables_refused(void **state)
{
	(void)state;
	struct kw_err err = KW_ERR_INIT;
	int rc;
	assert_null(parse("a,b\n1,2\n3\n", 100, &rc, &err));
	assert_string_equal(err.code, "CSV_ROW_WIDTH");
	assert_int_equal(json_integer_value(json_object_get(err.details, "line")), 3);
	assert_int_equal(json_integer_value(json_object_get(err.details, "got")), 1);
	assert_null(parse("a,b\n1,\"2\n", 100, &rc, &err));
	assert_string_equal(err.code, "CSV_MALFORMED");
	assert_null(parse("a,a\n1,2\n", 100, &rc, &err));
	assert_string_equal(err.code, "CSV_HEADER_DUPLICATE");
	assert_null(parse("a,,c\n", 100, &rc, &err));
	assert_string_equal(err.code, "CSV_HEADER_EMPTY");
	assert_null(parse("\n\n", 100, &rc, &err));
	assert_string_equal(err.code, "CSV_EMPTY");
	assert_null(parse("a\n1\n2\n3\n", 2, &rc, &err));
	assert_string_equal(err.code, "CSV_TOO_MANY_ROWS");
	struct kw_csvtab *t = parse("a\n1\n2\n", 2, &rc, &err);
	assert_non_null(t);
	kw_csvtab_free(t);
	kw_err_release(&err);
}

/* kw_csvtab_each: row by row with its line, nothing kept; the callback can stop the parse. */
struct seen {
	int rows, lines[4], stop_at;
	char last[32];
};

static int each_row(const struct kw_csvtab *t, const struct kw_csvrow *row, void *arg)
{
	struct seen *s = arg;
	assert_int_equal(t->nrows, 0);
	assert_int_equal(t->ncols, 2);
	if (s->rows < 4)
		s->lines[s->rows] = row->line;
	s->rows++;
	snprintf(s->last, sizeof s->last, "%s", row->cells[kw_csvtab_col(t, "b")]);
	return s->rows == s->stop_at ? KW_ERULE : 0;
}

static void rows_one_at_a_time(void **state)
{
	(void)state;
	const char *text = "a,b\n1,x\n\n2,\"y\nz\"\n3,w\n";
	struct kw_err err = KW_ERR_INIT;
	struct seen s = {0};
	assert_int_equal(kw_csvtab_each(text, strlen(text), 10, each_row, &s, &err), 0);
	assert_int_equal(s.rows, 3);
	assert_int_equal(s.lines[0], 2);
	assert_int_equal(s.lines[1], 4); /* the blank line is skipped; a quoted field spans 4-5 */
	assert_int_equal(s.lines[2], 6);
	assert_string_equal(s.last, "w");
	struct seen stop = {.stop_at = 2};
	assert_int_equal(kw_csvtab_each(text, strlen(text), 10, each_row, &stop, &err), KW_ERULE);
	assert_int_equal(stop.rows, 2);
	struct seen few = {0};
	assert_int_equal(kw_csvtab_each(text, strlen(text), 2, each_row, &few, &err), KW_EINVAL);
	assert_string_equal(err.code, "CSV_TOO_MANY_ROWS");
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(utf8_with_and_without_bom),
	        cmocka_unit_test(gb18030_detected),
	        cmocka_unit_test(other_encodings_refused),
	        cmocka_unit_test(quoted_fields_and_lines),
	        cmocka_unit_test(bad_tables_refused),
	        cmocka_unit_test(rows_one_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
