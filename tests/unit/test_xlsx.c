/* Exports as XLSX: a real workbook (read back with libzip), text never turned into formulas. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "render/xlsx.h"
#include "../common/testzip.h"

static void a_table_as_a_workbook(void **state)
{
	(void)state;
	const char *headers[] = {"考点代码", "考点名称", "座位数", "视频监控"};
	json_t *rows = json_pack("[[s, s, i, b], [s, s, i, b], [s, n, i, b]]", "C1", "合肥一中", 30,
	                         1, "C2", "=HYPERLINK(\"x\")", 28, 0, "C3", 0, 0);
	char *x = NULL;
	size_t n = 0;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_xlsx_table("考点", headers, 4, rows, &x, &n, &err), 0);
	assert_true(n > 1000);
	assert_memory_equal(x, "PK", 2);
	char *strings = kw_test_zip_member(x, n, "xl/sharedStrings.xml");
	assert_non_null(strstr(strings, "合肥一中"));
	assert_non_null(strstr(strings, "考点名称"));
	assert_non_null(strstr(strings, "=HYPERLINK"));
	char *sheet = kw_test_zip_member(x, n, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(sheet, "<v>30</v>"));
	assert_null(strstr(sheet, "<f>")); /* no formula, ever */
	assert_non_null(strstr(sheet, "t=\"b\""));
	assert_non_null(strstr(sheet, "<pane")); /* the header row is frozen */
	char *wb = kw_test_zip_member(x, n, "xl/workbook.xml");
	assert_non_null(strstr(wb, "name=\"考点\""));
	free(strings);
	free(sheet);
	free(wb);
	free(x);
	json_decref(rows);
}

static void refuses_no_columns(void **state)
{
	(void)state;
	char *x = NULL;
	size_t n = 0;
	struct kw_err err = KW_ERR_INIT;
	json_t *rows = json_array();
	assert_int_equal(kw_xlsx_table("x", NULL, 0, rows, &x, &n, &err), KW_ETOOBIG);
	assert_null(x);
	json_decref(rows);
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_table_as_a_workbook),
	        cmocka_unit_test(refuses_no_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
