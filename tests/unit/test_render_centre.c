/* PDFs a centre posts and prints (sign-in sheets, seating charts, the room allocation table,
 * the gate sign): read back with poppler's pdftotext, pdfinfo and pdffonts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/testpdf.h"
#include "render/centre.h"
#include "render/pdf.h"

/* Whether text holds needle, spaces aside (pdftotext drops the narrow spaces between Chinese
 * characters and digits, as in "第 1 页 共 3 页"). */
static int has_unspaced(const char *text, const char *needle)
{
	char *t = kw_xmalloc(strlen(text) + 1), *n = kw_xmalloc(strlen(needle) + 1);
	size_t k = 0;
	for (const char *p = text; *p; p++)
		if (*p != ' ')
			t[k++] = *p;
	t[k] = '\0';
	k = 0;
	for (const char *p = needle; *p; p++)
		if (*p != ' ')
			n[k++] = *p;
	n[k] = '\0';
	int found = strstr(t, n) != NULL;
	free(t);
	free(n);
	return found;
}

/* Simplified Chinese faces only, never the Japanese ones: kaowu's own SC faces (src/render/pdf.h,
 * generated from Noto CJK SC), with at most Noto CJK SC as their fallback. */
static void chinese_faces(const struct kw_buf *pdf)
{
	char *fonts = kw_test_poppler("pdffonts", pdf);
	assert_true(strstr(fonts, "KaowuSansSC") || strstr(fonts, "KaowuSerifSC"));
	assert_null(strstr(fonts, "CJKjp"));
	free(fonts);
}

#define SEATS 25

static const char *const names[] = {"李𪚥", "欧阳娜娜", "王小明", "张伟", "陈静"};

/* Ticket numbers and masked identity numbers for SEATS candidates. */
static char tickets[SEATS][32], ids[SEATS][32];

static void fill_numbers(void)
{
	for (int i = 0; i < SEATS; i++) {
		snprintf(tickets[i], sizeof tickets[i], "10340103030%02d", i + 1);
		snprintf(ids[i], sizeof ids[i], "3401**********%04d", 1000 + i);
	}
}

/* A sign-in sheet of SEATS candidates in rows; the first has the photo jpg (may be NULL). */
static struct kw_signin_sheet sheet(struct kw_signin_row *rows, const unsigned char *jpg, size_t n)
{
	fill_numbers();
	for (int i = 0; i < SEATS; i++)
		rows[i] = (struct kw_signin_row){i + 1,  tickets[i],         names[i % 5],
		                                 ids[i], i % 3 ? NULL : jpg, i % 3 ? 0 : n};
	return (struct kw_signin_sheet){
	        .exam_title = "2027年度安徽省考试录用公务员笔试",
	        .centre_name = "合肥市第一中学",
	        .room_no = "03",
	        .subjects = "行政职业能力测验",
	        .sitting = "2027-03-28 09:00–11:00",
	        .rows = rows,
	        .nrows = SEATS,
	};
}

static void a_sign_in_sheet_of_three_pages(void **state)
{
	(void)state;
	size_t n;
	unsigned char *jpg = kw_test_data_file("uploads/small.jpg", &n);
	struct kw_signin_row rows[SEATS];
	struct kw_signin_sheet s = sheet(rows, jpg, n);
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_signin_sheets_pdf(&s, 1, &out, &err), 0);
	assert_memory_equal(out.buf, "%PDF-", 5);
	assert_int_equal(kw_test_pdf_pages(&out), 3);
	assert_non_null(memmem(out.buf, out.len, jpg, n)); /* the JPEG passed through */
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "考生签到表"));
	assert_non_null(strstr(text, "考生签名"));
	assert_non_null(strstr(text, "第 03 考场"));
	assert_non_null(strstr(text, "监考员签名"));
	assert_true(has_unspaced(text, "第 1 页 共 3 页"));
	assert_true(has_unspaced(text, "第 3 页 共 3 页"));
	assert_non_null(strstr(text, "应到 25 人"));
	for (int i = 0; i < SEATS; i++) {
		assert_non_null(strstr(text, tickets[i]));
		assert_non_null(strstr(text, ids[i]));
	}
	for (int i = 0; i < 5; i++)
		assert_non_null(strstr(text, names[i]));
	free(text);
	chinese_faces(&out);
	kw_buf_release(&out);
	free(jpg);
}

static void sign_in_sheets_for_two_rooms(void **state)
{
	(void)state;
	struct kw_signin_row rows[SEATS];
	struct kw_signin_sheet v[2];
	v[0] = sheet(rows, NULL, 0);
	v[1] = v[0];
	v[1].room_no = "04";
	v[1].nrows = 4; /* one page */
	v[1].subjects = NULL;
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_signin_sheets_pdf(v, 2, &out, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 4);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "第 04 考场"));
	assert_true(has_unspaced(text, "第 1 页 共 1 页")); /* counted within the room */
	free(text);
	kw_buf_release(&out);
}

static void refuses_bad_sign_in_sheets(void **state)
{
	(void)state;
	size_t n;
	unsigned char *jpg = kw_test_data_file("uploads/small.jpg", &n);
	struct kw_signin_row rows[SEATS];
	struct kw_buf out;
	kw_buf_init(&out, 0);
	kw_buf_adds(&out, "kept");
	struct kw_err err = KW_ERR_INIT;
	struct kw_signin_sheet s = sheet(rows, jpg, n);
	assert_int_equal(kw_signin_sheets_pdf(&s, 0, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	assert_int_equal(kw_signin_sheets_pdf(NULL, 1, &out, &err), KW_EINVAL);
	s.exam_title = NULL;
	assert_int_equal(kw_signin_sheets_pdf(&s, 1, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	s = sheet(rows, jpg, n);
	s.nrows = 0;
	assert_int_equal(kw_signin_sheets_pdf(&s, 1, &out, &err), KW_EINVAL);
	s = sheet(rows, jpg, n);
	s.rows = NULL;
	assert_int_equal(kw_signin_sheets_pdf(&s, 1, &out, &err), KW_EINVAL);
	/* a photo whose header is garbage, on the second page: nothing is kept */
	memset(jpg + 2, 0x5A, 64);
	s = sheet(rows, NULL, 0);
	rows[12].photo_jpeg = jpg;
	rows[12].photo_len = n;
	assert_int_equal(kw_signin_sheets_pdf(&s, 1, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "FILE_CORRUPT");
	assert_string_equal(out.buf, "kept");
	kw_err_release(&err);
	kw_buf_release(&out);
	free(jpg);
}

/* Room 03's 25 seats in a 6 × 5 grid, serpentine: row 1 left to right, row 2 back. */
static struct kw_seating_chart chart(struct kw_chart_seat *seats)
{
	fill_numbers();
	for (int i = 0; i < SEATS; i++) {
		long r = i / 5, c = i % 5;
		seats[i] = (struct kw_chart_seat){i + 1, r + 1, r % 2 ? 5 - c : c + 1, tickets[i],
		                                  names[i % 5]};
	}
	return (struct kw_seating_chart){
	        .exam_title = "2027年度安徽省考试录用公务员笔试",
	        .centre_name = "合肥市第一中学",
	        .room_no = "03",
	        .subjects = "行政职业能力测验",
	        .sitting = "2027-03-28 09:00–11:00",
	        .rows = 6,
	        .cols = 5,
	        .seats = seats,
	        .nseats = SEATS,
	};
}

static void a_seating_chart_per_room(void **state)
{
	(void)state;
	struct kw_chart_seat seats[SEATS];
	struct kw_seating_chart v[2] = {chart(seats), chart(seats)};
	v[1].room_no = "04";
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_seating_charts_pdf(v, 2, &out, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 2);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "讲台"));
	assert_non_null(strstr(text, "考场座次表"));
	assert_non_null(strstr(text, "第 04 考场"));
	assert_non_null(strstr(text, "\n01\n")); /* seat numbers, each on its own */
	assert_non_null(strstr(text, "\n25\n"));
	assert_non_null(strstr(text, tickets[24]));
	assert_non_null(strstr(text, "欧阳娜娜"));
	free(text);
	chinese_faces(&out);
	char *info = kw_test_poppler("pdfinfo", &out);
	assert_non_null(strstr(info, "841.89 x 595.276")); /* A4 landscape, in points */
	free(info);
	kw_buf_release(&out);
}

static void refuses_bad_seating_charts(void **state)
{
	(void)state;
	struct kw_chart_seat seats[SEATS];
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	struct kw_seating_chart c = chart(seats);
	assert_int_equal(kw_seating_charts_pdf(&c, 0, &out, &err), KW_EINVAL);
	c.exam_title = NULL;
	assert_int_equal(kw_seating_charts_pdf(&c, 1, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	c = chart(seats);
	c.nseats = 0;
	assert_int_equal(kw_seating_charts_pdf(&c, 1, &out, &err), KW_EINVAL);
	c = chart(seats);
	c.cols = 0;
	assert_int_equal(kw_seating_charts_pdf(&c, 1, &out, &err), KW_EINVAL);
	c = chart(seats);
	c.rows = KW_CHART_MAX_DIM + 1;
	assert_int_equal(kw_seating_charts_pdf(&c, 1, &out, &err), KW_EINVAL);
	c = chart(seats);
	seats[7].row = 7; /* below the grid */
	assert_int_equal(kw_seating_charts_pdf(&c, 1, &out, &err), KW_EINVAL);
	c = chart(seats);
	seats[7].row = seats[3].row;
	seats[7].col = seats[3].col;
	assert_int_equal(kw_seating_charts_pdf(&c, 1, &out, &err), KW_EINVAL);
	assert_int_equal(out.len, 0);
	kw_err_release(&err);
}

static void an_allocation_table_over_two_pages(void **state)
{
	(void)state;
	enum { ROOMS = 14 };
	struct kw_alloc_row rows[ROOMS];
	char rooms[ROOMS][16], classrooms[ROOMS][32], floors[ROOMS][16], first[ROOMS][24],
	        last[ROOMS][24];
	for (int i = 0; i < ROOMS; i++) {
		snprintf(rooms[i], sizeof rooms[i], "%02d", i + 1);
		snprintf(classrooms[i], sizeof classrooms[i], "%d%02d", i / 5 + 1, i % 5 + 1);
		snprintf(floors[i], sizeof floors[i], "%d楼", i / 5 + 1);
		snprintf(first[i], sizeof first[i], "10340101%02d001", i + 1);
		snprintf(last[i], sizeof last[i], "10340101%02d030", i + 1);
		rows[i] = (struct kw_alloc_row){
		        rooms[i], classrooms[i], floors[i], i < 10 ? "行政职业能力测验" : "申论",
		        first[i], last[i],       30};
	}
	struct kw_alloc_table t = {"2027年度安徽省考试录用公务员笔试", "合肥市第一中学",
	                           "安徽省合肥市蜀山区黄山路150号", rows, ROOMS};
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_alloc_table_pdf(&t, &out, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 2);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "考场分配表"));
	assert_non_null(strstr(text, "准考证号起止"));
	assert_non_null(strstr(text, "黄山路150号"));
	assert_non_null(strstr(text, "1034010114030"));
	assert_non_null(strstr(text, "3楼"));
	assert_non_null(strstr(text, "申论"));
	assert_non_null(strstr(text, "共 14 个考场，考生 420 人"));
	assert_true(has_unspaced(text, "第 2 页 共 2 页"));
	free(text);
	chinese_faces(&out);
	kw_buf_release(&out);
	struct kw_err err = KW_ERR_INIT;
	t.nrows = 0;
	assert_int_equal(kw_alloc_table_pdf(&t, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	t.nrows = ROOMS;
	t.exam_title = NULL;
	assert_int_equal(kw_alloc_table_pdf(&t, &out, &err), KW_EINVAL);
	assert_int_equal(kw_alloc_table_pdf(NULL, &out, &err), KW_EINVAL);
	assert_int_equal(out.len, 0);
	kw_err_release(&err);
}

static void a_gate_sign(void **state)
{
	(void)state;
	struct kw_gate_sign g = {"2027年度经济专业技术资格考试", "合肥考区", "合肥市第一中学"};
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_gate_sign_pdf(&g, &out, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 1);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "2027年度经济专业技术资格考试"));
	assert_non_null(strstr(text, "合肥考区"));
	assert_non_null(strstr(text, "合肥市第一中学考点"));
	free(text);
	chinese_faces(&out);
	kw_buf_release(&out);
	/* a name that already ends in 考点 gets no second one */
	g.centre_name = "合肥一中考点";
	kw_buf_init(&out, 0);
	assert_int_equal(kw_gate_sign_pdf(&g, &out, NULL), 0);
	text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "合肥一中考点"));
	assert_null(strstr(text, "考点考点"));
	free(text);
	kw_buf_release(&out);
	struct kw_err err = KW_ERR_INIT;
	g.centre_name = NULL;
	assert_int_equal(kw_gate_sign_pdf(&g, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	g.centre_name = "合肥市第一中学";
	g.year_and_kind = "";
	assert_int_equal(kw_gate_sign_pdf(&g, &out, &err), KW_EINVAL);
	assert_int_equal(kw_gate_sign_pdf(NULL, &out, &err), KW_EINVAL);
	assert_int_equal(out.len, 0);
	kw_err_release(&err);
}

static void a_capped_buffer_is_left_as_it_was(void **state)
{
	(void)state;
	struct kw_chart_seat seats[SEATS];
	struct kw_seating_chart c = chart(seats);
	struct kw_buf out;
	kw_buf_init(&out, 4000);
	kw_buf_adds(&out, "kept");
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_seating_charts_pdf(&c, 1, &out, &err), KW_ETOOBIG);
	assert_string_equal(out.buf, "kept");
	kw_err_release(&err);
	kw_buf_release(&out);
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
	        cmocka_unit_test(a_sign_in_sheet_of_three_pages),
	        cmocka_unit_test(sign_in_sheets_for_two_rooms),
	        cmocka_unit_test(refuses_bad_sign_in_sheets),
	        cmocka_unit_test(a_seating_chart_per_room),
	        cmocka_unit_test(refuses_bad_seating_charts),
	        cmocka_unit_test(an_allocation_table_over_two_pages),
	        cmocka_unit_test(a_gate_sign),
	        cmocka_unit_test(a_capped_buffer_is_left_as_it_was),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
