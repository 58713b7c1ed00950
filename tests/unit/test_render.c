/* PDFs of admission tickets and room labels: read back with poppler's pdftotext, pdfinfo and
 * pdffonts, as a person (or a scanner at the door) would see them. */
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
#include "render/labels.h"
#include "render/pdf.h"
#include "render/ticket.h"

static const struct kw_ticket_sitting sittings[] = {
        {"行政职业能力测验", "2027-03-28", "09:00–11:00"},
        {"申论", "2027-03-28", "14:00–16:30"},
};

static const char notices[] =
        "一、考生须凭本准考证和有效居民身份证原件参加考试，证件不全者不得入场。\n"
        "二、考生应于开考前30分钟入场，开考30分钟后不得入场，考试结束前不得离场。\n"
        "三、严禁携带手机、智能手表等通讯工具和电子设备进入考场，已携带的须关机后放在指定位置。\n"
        "四、考生应在答题卡指定位置用黑色字迹签字笔作答，在试卷上作答无效。\n"
        "五、考生应服从考务工作人员管理，违反考试纪律者按《公务员录用考试违纪违规行为处理办法》处理"
        "。";

/* A complete ticket in Chinese; photo may be NULL. */
static struct kw_ticket ticket(const unsigned char *photo, size_t photo_len)
{
	return (struct kw_ticket){
	        .title = "2027年度安徽省考试录用公务员笔试 准考证",
	        .ticket_no = "1034010203015",
	        .name = "李𪚥",
	        .sex = "女",
	        .id_number = "340104199001011234",
	        .photo_jpeg = photo,
	        .photo_len = photo_len,
	        .sittings = sittings,
	        .nsittings = 2,
	        .centre_name = "合肥市第一中学",
	        .centre_address = "安徽省合肥市蜀山区黄山路150号（南门进入）",
	        .room_no = "02",
	        .seat_no = "15",
	        .notices = notices,
	        .qr_payload = "KW1.T.1034010203015.2027AHGWY.0MmNhZTRjYjE4ZWQ0ZjM1Y2E4Zj"
	                      "QwYjBiZTU1NGI3ODk0YjY5MzYxZWE4OTM0ZWY1YzcxZWE3ZjEwZDEwZTYw"
	                      "OGI2MzRkOTliNTQ0YjkxOWE1ZjkxNzM3ZDE0NWUyNWU5NTM3YTk3NmZlYjQ4"
	                      "ZTVkNzc5ZmE0Nzk1NWM0",
	        .reissue = 1,
	        .stamp_text = "安徽省人事考试院",
	        .issued_at = "2027-03-20 10:00",
	};
}

static void a_ticket_in_chinese(void **state)
{
	(void)state;
	size_t n;
	unsigned char *jpg = kw_test_data_file("uploads/small.jpg", &n);
	struct kw_ticket t = ticket(jpg, n);
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_ticket_pdf(&t, &out, &err), 0);
	assert_memory_equal(out.buf, "%PDF-", 5);
	assert_non_null(memmem(out.buf, out.len, jpg, n)); /* the JPEG passed through */
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "李𪚥"));
	assert_non_null(strstr(text, "1034010203015"));
	assert_non_null(strstr(text, "补发"));
	assert_non_null(strstr(text, "申论"));
	assert_non_null(strstr(text, "考生须知"));
	free(text);
	/* Simplified Chinese faces, never the Japanese ones: kaowu's own, generated from Noto
	 * CJK SC at build time (tools/mkfonts.py), 黑体 and 宋体, and not the full Noto faces,
	 * which cost cairo ~5 ms each to embed; the rare character from BabelStone */
	char *fonts = kw_test_poppler("pdffonts", &out);
	assert_int_equal(kw_pdf_fonts(), 4);
	assert_non_null(strstr(fonts, "KaowuSansSC-Bold"));
	assert_non_null(strstr(fonts, "KaowuSerifSC-Regular"));
	assert_null(strstr(fonts, "Noto"));
	assert_null(strstr(fonts, "CJKjp"));
	assert_non_null(strstr(fonts, "BabelStone"));
	free(fonts);
	assert_int_equal(kw_test_pdf_pages(&out), 1);
	kw_buf_release(&out);
	free(jpg);
}

static void a_ticket_in_english_without_photo(void **state)
{
	(void)state;
	struct kw_ticket t = ticket(NULL, 0);
	t.lang = "en";
	t.title = NULL;
	t.reissue = 0;
	t.stamp_text = NULL;
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_ticket_pdf(&t, &out, NULL), 0);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "Admission Ticket"));
	assert_non_null(strstr(text, "Ticket No."));
	assert_non_null(strstr(text, "Photo"));
	assert_non_null(strstr(text, "1034010203015"));
	assert_null(strstr(text, "REISSUED"));
	free(text);
	kw_buf_release(&out);
}

/* A character outside kaowu's reduced faces (䶮, CJK Extension A: not in GB 2312 or GBK)
 * still prints, from the full Noto Serif CJK SC face after them in KW_PDF_SERIF. */
static void a_character_beyond_our_faces_falls_back_to_noto(void **state)
{
	(void)state;
	struct kw_ticket t = ticket(NULL, 0);
	t.name = "刘䶮";
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_ticket_pdf(&t, &out, NULL), 0);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "刘䶮"));
	free(text);
	char *fonts = kw_test_poppler("pdffonts", &out);
	assert_non_null(strstr(fonts, "KaowuSerifSC-Regular"));
	assert_non_null(strstr(fonts, "NotoSerifCJKsc-Regular"));
	assert_null(strstr(fonts, "BabelStone"));
	free(fonts);
	kw_buf_release(&out);
}

static void refuses_bad_tickets(void **state)
{
	(void)state;
	size_t n;
	unsigned char *jpg = kw_test_data_file("uploads/small.jpg", &n);
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	struct kw_ticket t = ticket(jpg, n);
	t.ticket_no = NULL;
	assert_int_equal(kw_ticket_pdf(&t, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	assert_int_equal(kw_ticket_pdf(NULL, &out, &err), KW_EINVAL);
	t = ticket(jpg, n);
	t.lang = "fr";
	assert_int_equal(kw_ticket_pdf(&t, &out, &err), KW_EINVAL);
	/* a JPEG cut inside its header, and one whose header is garbage */
	t = ticket(jpg, 40);
	assert_int_equal(kw_ticket_pdf(&t, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "FILE_CORRUPT");
	memset(jpg + 2, 0x5A, 64);
	t = ticket(jpg, n);
	assert_int_equal(kw_ticket_pdf(&t, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "FILE_CORRUPT");
	assert_int_equal(out.len, 0); /* nothing was appended */
	kw_err_release(&err);
	free(jpg);
}

static void a_capped_buffer_is_left_as_it_was(void **state)
{
	(void)state;
	struct kw_ticket t = ticket(NULL, 0);
	struct kw_buf out;
	kw_buf_init(&out, 4000);
	kw_buf_adds(&out, "kept");
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_ticket_pdf(&t, &out, &err), KW_ETOOBIG);
	assert_string_equal(out.buf, "kept");
	kw_err_release(&err);
	kw_buf_release(&out);
}

static void a_batch_of_tickets_in_one_document(void **state)
{
	(void)state;
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_pdf d;
	assert_int_equal(kw_pdf_open(&d, &out, "准考证", NULL), 0);
	struct kw_ticket t = ticket(NULL, 0);
	assert_int_equal(kw_ticket_page(&d, &t, NULL), 0);
	t.ticket_no = "1034010203016";
	t.name = "王小明";
	assert_int_equal(kw_ticket_page(&d, &t, NULL), 0);
	assert_int_equal(kw_pdf_close(&d, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 2);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "王小明"));
	free(text);
	kw_buf_release(&out);
}

static void door_labels_one_page_each(void **state)
{
	(void)state;
	struct kw_door_label v[3];
	const char *rooms[3] = {"01", "02", "03"};
	for (int i = 0; i < 3; i++)
		v[i] = (struct kw_door_label){"2027年度安徽省考试录用公务员笔试",
		                              "合肥市第一中学",
		                              rooms[i],
		                              "行政职业能力测验",
		                              "2027-03-28 09:00–11:00",
		                              "1034010201001",
		                              "1034010201030",
		                              30};
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_door_labels_pdf(v, 3, &out, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 3);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "第 03 考场"));
	assert_non_null(strstr(text, "1034010201030"));
	free(text);
	kw_buf_release(&out);
	assert_int_equal(kw_door_labels_pdf(v, 0, &out, NULL), KW_EINVAL);
}

static void desk_labels_twelve_a_page(void **state)
{
	(void)state;
	struct kw_desk_label v[14];
	char tickets[14][24];
	for (int i = 0; i < 14; i++) {
		snprintf(tickets[i], sizeof tickets[i], "10340102020%02d", i + 1);
		v[i] = (struct kw_desk_label){"02", i + 1, tickets[i], i % 2 ? "欧阳娜娜" : "李𪚥"};
	}
	struct kw_buf out;
	kw_buf_init(&out, 0);
	assert_int_equal(kw_desk_labels_pdf(v, 14, &out, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 2);
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "1034010202014"));
	assert_non_null(strstr(text, "欧阳娜娜"));
	free(text);
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
	        cmocka_unit_test(a_ticket_in_chinese),
	        cmocka_unit_test(a_ticket_in_english_without_photo),
	        cmocka_unit_test(a_character_beyond_our_faces_falls_back_to_noto),
	        cmocka_unit_test(refuses_bad_tickets),
	        cmocka_unit_test(a_capped_buffer_is_left_as_it_was),
	        cmocka_unit_test(a_batch_of_tickets_in_one_document),
	        cmocka_unit_test(door_labels_one_page_each),
	        cmocka_unit_test(desk_labels_twelve_a_page),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
