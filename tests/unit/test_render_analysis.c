/*
 * The pictures and the workbook of an item analysis (render/analysis.h; issue 10 item 6):
 * the histogram's sizes (one panel, a grid of small multiples), a PNG that is one (its
 * signature and IHDR size) and whose bars are drawn where the counts are, an SVG that is
 * XML of the stated size, and the workbook's sheets (with and without the key column).
 *
 * With KW_ANALYSIS_SAMPLES set to a directory, the pictures are also written there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/testzip.h"
#include "render/analysis.h"
#include "render/pdf.h"

/* A distribution of 0..10 points in 5 bins with these counts. */
static json_t *dist(const int *counts)
{
	json_t *bins = json_array();
	int n = 0;
	for (int b = 0; b < 5; b++) {
		json_array_append_new(bins, json_pack("{s:i, s:i, s:i}", "from", 2 * b, "to",
		                                      2 * b + 2, "count", counts[b]));
		n += counts[b];
	}
	return json_pack("{s:i, s:f, s:f, s:o}", "n", n, "mean", 5.5, "sd", 2.25, "bins", bins);
}

static json_t *doc(size_t panels)
{
	static const int c[5] = {1, 4, 9, 3, 0};
	json_t *p = json_array();
	for (size_t i = 0; i < panels; i++) {
		char t[64];
		snprintf(t, sizeof t, "HF-%02zu 合肥市第%zu考点", i + 1, i + 1);
		json_array_append_new(p,
		                      json_pack("{s:s, s:o}", "title", t, "distribution", dist(c)));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "title", "科目 01 经济基础知识 · 第 1 号评分",
	                 "lang", "zh-CN", "x_label", "分数", "y_label", "人数", "panels", p);
}

static void save(const char *name, const struct kw_buf *b)
{
	const char *dir = getenv("KW_ANALYSIS_SAMPLES");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(b->buf, 1, b->len, f);
		fclose(f);
	}
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void png_size(const struct kw_buf *b, uint32_t *w, uint32_t *h)
{
	assert_true(b->len > 24);
	assert_memory_equal(b->buf, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(b->buf + 12, "IHDR", 4);
	*w = be32((const unsigned char *)b->buf + 16);
	*h = be32((const unsigned char *)b->buf + 20);
}

static void sizes(void **state)
{
	(void)state;
	int w, h;
	kw_render_histogram_size(1, &w, &h);
	assert_int_equal(w, 800);
	assert_int_equal(h, 460);
	kw_render_histogram_size(2, &w, &h);
	assert_int_equal(w, 800);
	assert_int_equal(h, 56 + 280);
	kw_render_histogram_size(7, &w, &h);
	assert_int_equal(w, 1200);
	assert_int_equal(h, 56 + 3 * 280);
}

static void png_one_and_many(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 5; n += 4) {
		json_t *d = doc(n);
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		struct kw_err err = KW_ERR_INIT;
		assert_int_equal(kw_render_histogram(d, 1, &b, &err), 0);
		uint32_t w, h;
		png_size(&b, &w, &h);
		int ew, eh;
		kw_render_histogram_size(n, &ew, &eh);
		assert_int_equal(w, (uint32_t)ew);
		assert_int_equal(h, (uint32_t)eh);
		save(n == 1 ? "one.png" : "five.png", &b);
		kw_buf_release(&b);
		json_decref(d);
	}
}

static void svg(void **state)
{
	(void)state;
	json_t *d = doc(1);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_render_histogram(d, 0, &b, &err), 0);
	kw_buf_add(&b, "", 1);
	assert_non_null(strstr(b.buf, "<svg"));
	assert_non_null(strstr(b.buf, "width=\"800px\""));
	assert_non_null(strstr(b.buf, "height=\"460px\""));
	assert_non_null(strstr(b.buf, "</svg>"));
	b.len--;
	save("one.svg", &b);
	kw_buf_release(&b);
	json_decref(d);
}

/* An analysis document of two items, as the API has it. */
static json_t *analysis(int key)
{
	static const int c[5] = {0, 1, 1, 0, 0};
	json_t *items = json_array();
	for (int i = 0; i < 2; i++) {
		json_t *ch = json_pack(
		        "[{s:s, s:i, s:f, s:n}, {s:s, s:i, s:f, s:f}, {s:s, s:i, s:f, s:n}]",
		        "option", "A", "count", 0, "rate", 0.0, "pb", "option", "B", "count", 2,
		        "rate", 1.0, "pb", 0.5, "option", "blank", "count", 0, "rate", 0.0, "pb");
		json_t *it =
		        json_pack("{s:i, s:s, s:i, s:s, s:i, s:f, s:f, s:f, s:n, s:i, s:[s], s:o}",
		                  "item", i + 1, "kind", "single", "options", 2, "points", "1", "n",
		                  2, "p", 1.0, "mean", 1.0, "sd", 0.0, "discrimination", "full", 2,
		                  "flags", "easy", "choices", ch);
		if (key)
			json_object_set_new(it, "key", json_string("B"));
		json_array_append_new(items, it);
	}
	return json_pack("{s:i, s:i, s:{s:s, s:s}, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, "
	                 "s:s, s:b, s:{s:i, s:n, s:n}, s:o, s:o, s:[], s:[{s:i, s:s, s:s, s:o}]}",
	                 "run_id", 1, "exam_id", 1, "subject", "code", "01", "name", "经济基础知识",
	                 "run_created_at", "2026-12-10T10:00:00Z", "candidates", 2, "scored", 2,
	                 "absent", 0, "zeroed", 0, "cancelled", 0, "sheets", 2, "totals_differ", 0,
	                 "answers_current", 1, "max_points", "2", "key_included", key,
	                 "reliability", "items", 2, "alpha", "kr20", "distribution", dist(c),
	                 "items", items, "areas", "centres", "id", 3, "code", "HF-01", "name",
	                 "合肥市第一中学", "distribution", dist(c));
}

static void workbook(void **state)
{
	(void)state;
	for (int key = 0; key <= 1; key++) {
		json_t *d = analysis(key);
		assert_non_null(d);
		char *x = NULL;
		size_t n = 0;
		struct kw_err err = KW_ERR_INIT;
		assert_int_equal(kw_render_analysis_xlsx(d, key, &x, &n, &err), 0);
		char *wb = kw_test_zip_member(x, n, "xl/workbook.xml");
		const char *want = key ? "Histogram bins" : "分数段";
		assert_non_null(strstr(wb, want));
		char *ss = kw_test_zip_member(x, n, "xl/sharedStrings.xml");
		/* the key column only with the key */
		if (key)
			assert_non_null(strstr(ss, ">Key<"));
		else
			assert_null(strstr(ss, ">答案<"));
		assert_non_null(strstr(ss, key ? "easy" : "偏易"));
		free(wb);
		free(ss);
		free(x);
		json_decref(d);
	}
}

static int teardown(void **state)
{
	(void)state;
	kw_pdf_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(sizes),
	        cmocka_unit_test(png_one_and_many),
	        cmocka_unit_test(svg),
	        cmocka_unit_test(workbook),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
