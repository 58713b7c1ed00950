/* The evidence dossier of a similar-answer flag (render/dossier.h; SPEC GRD-6, issue 11 item
 * 4), read back with poppler's pdftotext and pdfinfo as the expert group would see it: the
 * parties by ticket number, the figures, the strip's item numbers, more pages for a long
 * cluster; refused without a title or past its limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/testpdf.h"
#include "render/dossier.h"
#include "render/pdf.h"

static const char *const labels[] = {"实际相同作答数 h", "ω p 值（精确，泊松二项分布）",
                                     "共同错误作答"};
static const char *const heads[] = {"", "准考证号", "考场"};

static char *text_of(const struct kw_dossier *d, int *pages)
{
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_dossier_pdf(d, &out, &err), 0);
	assert_memory_equal(out.buf, "%PDF-", 5);
	*pages = kw_test_pdf_pages(&out);
	char *t = kw_test_poppler("pdftotext", &out);
	kw_buf_release(&out);
	return t;
}

static void pair_dossier(void **state)
{
	(void)state;
	static char strip[61];
	static int numbers[60];
	for (int i = 0; i < 60; i++) {
		strip[i] = i % 3 == 0 ? 'W' : i % 3 == 1 ? 'C' : i % 7 == 0 ? '-' : '.';
		numbers[i] = 60 - i;
	}
	char shared[1024] = "";
	for (int i = 1; i <= 40; i++) /* long: wraps under its label */
		snprintf(shared + strlen(shared), sizeof shared - strlen(shared), "第%d题 B，", i);
	const char *values[] = {"50", "1.197e-15", shared};
	const char *cells[] = {"被检验答卷（甲）", "27010100302", "HF-01 考点 第 3 考场",
	                       "比对来源（乙）",   "27010100301", "HF-01 考点 第 3 考场"};
	struct kw_dossier d = {.title = "雷同答卷筛查证据材料（标记第 2 号）",
	                       .subtitle = "2027年度经济专业技术资格考试 · 科目 01",
	                       .heading = "第 1 次筛查",
	                       .nrows = 3,
	                       .labels = labels,
	                       .values = values,
	                       .ncols = 3,
	                       .heads = heads,
	                       .nlines = 2,
	                       .cells = cells,
	                       .nstrip = 60,
	                       .strip = strip,
	                       .strip_numbers = numbers,
	                       .legend = "每格一题",
	                       .note = "统计标记本身不是处理决定"};
	int pages = 0;
	char *t = text_of(&d, &pages);
	assert_int_equal(pages, 1);
	assert_non_null(strstr(t, "27010100302"));
	assert_non_null(strstr(t, "27010100301"));
	assert_non_null(strstr(t, "1.197e-15"));
	assert_non_null(strstr(t, "第40")); /* the long value whole, wrapped */
	assert_non_null(strstr(t, "60"));   /* the strip's first number (master order) */
	assert_non_null(strstr(t, "统计标记本身不是处理决定"));
	free(t);
}

static void long_cluster_pages(void **state)
{
	(void)state;
	enum { N = 120 };
	static const char *cells[N * 3];
	static char tickets[N][16];
	for (int i = 0; i < N; i++) {
		snprintf(tickets[i], sizeof tickets[i], "2701%07d", i + 1);
		cells[i * 3] = "成员";
		cells[i * 3 + 1] = tickets[i];
		cells[i * 3 + 2] = "HF-01";
	}
	struct kw_dossier d = {.title = "雷同答卷筛查证据材料（标记第 9 号）",
	                       .ncols = 3,
	                       .heads = heads,
	                       .nlines = N,
	                       .cells = cells};
	int pages = 0;
	char *t = text_of(&d, &pages);
	assert_true(pages >= 2);
	assert_non_null(strstr(t, "27010000120")); /* the last member, on a later page */
	free(t);
}

static void refusals(void **state)
{
	(void)state;
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	struct kw_dossier d = {.title = ""};
	assert_int_equal(kw_dossier_pdf(&d, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	kw_err_release(&err);
	d.title = "x";
	d.nstrip = KW_DOSSIER_MAX_STRIP + 1;
	d.strip = "W";
	assert_int_equal(kw_dossier_pdf(&d, &out, &err), KW_EINVAL);
	kw_err_release(&err);
	assert_int_equal(out.len, 0);
	kw_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(pair_dossier),
	        cmocka_unit_test(long_cluster_pages),
	        cmocka_unit_test(refusals),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	kw_pdf_shutdown();
	return rc;
}
