/* The documents of a violation case (VIO-8: the notice of an intended decision and the
 * numbered decision letter; render/letter.h), read back with poppler's pdftotext, pdfinfo and
 * pdffonts as a person would see them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/testpdf.h"
#include "render/letter.h"
#include "render/pdf.h"

/* A decision letter in the form of the VH annex (VIO-8's template). */
static json_t *vh_letter(const char *name)
{
	char salutation[256];
	snprintf(salutation, sizeof salutation, "考生%s（身份证号340104199001011234）：", name);
	return json_pack(
	        "{s:s, s:[s, s, s, s, s, s], s:s}", "title", "公务员录用违规违纪行为处理决定书",
	        "lines", "编号：皖公考违决〔2026〕1号", salutation,
	        "你在参加2027年度安徽省考试录用公务员笔试中，在笔试环节有携带具有发送功能的手机"
	        "进入考场并在考试过程中使用的违规违纪情形。根据《公务员录用违规违纪行为处理办法》"
	        "第七条第一款第三项的规定，给予取消本次考试资格并五年内限制报考公务员处理。",
	        "如对处理决定不服，可自收到本处理决定书之日起60日内依法申请行政复议，或者自收到本处"
	        "理决定书之日起6个月内依法提起行政诉讼。",
	        "安徽省公务员局（盖章）", "2026年12月20日", "footer",
	        "本文书由 kaowu 生成 · 案件 123 · 核验码 7F3A-92C1");
}

/* A document whose body is n one-line paragraphs, 第1段 … 第n段. */
static json_t *paragraphs(int n)
{
	json_t *lines = json_pack("[s, s]", "编号：皖公考违告〔2026〕2号", "考生王五：");
	for (int i = 1; i <= n; i++) {
		char p[64];
		snprintf(p, sizeof p, "第%d段。", i);
		json_array_append_new(lines, json_string(p));
	}
	json_array_append_new(lines, json_string("安徽省公务员局（盖章）"));
	json_array_append_new(lines, json_string("2026年12月9日"));
	return json_pack("{s:s, s:o}", "title", "公务员录用违规违纪行为处理告知书", "lines", lines);
}

static struct kw_buf render(const json_t *doc)
{
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_case_document_pdf(doc, &out, &err), 0);
	assert_memory_equal(out.buf, "%PDF-", 5);
	return out;
}

/* What pdftotext reads in pdf, without its line ends and spaces (a sentence may wrap
 * anywhere), its pages still split by form feeds; malloc'd. */
static char *text_of(const struct kw_buf *pdf)
{
	char *text = kw_test_poppler("pdftotext", pdf), *q = text;
	for (const char *s = text; *s; s++)
		if (*s != '\n' && *s != ' ')
			*q++ = *s;
	*q = '\0';
	return text;
}

/* The text of page p (from 1) of pdftotext's output, its pages split at form feeds; a
 * pointer into text, NUL-terminated in place, or NULL. */
static char *page_text(char *text, int p)
{
	for (int i = 1; text && i < p; i++) {
		text = strchr(text, '\f');
		text = text ? text + 1 : NULL;
	}
	if (!text)
		return NULL;
	char *ff = strchr(text, '\f');
	if (ff)
		*ff = '\0';
	return text;
}

/* VIO-8: the numbered decision letter prints its title, number, the candidate's name and
 * identity number, the article, the appeal sentence, the issuer and the date, on one page
 * (no page number), in kaowu's own Simplified Chinese serif faces. */
static void a_decision_letter_on_one_page(void **state)
{
	(void)state;
	json_t *doc = vh_letter("张三");
	struct kw_buf out = render(doc);
	char *text = text_of(&out);
	assert_non_null(strstr(text, "公务员录用违规违纪行为处理决定书"));
	assert_non_null(strstr(text, "皖公考违决〔2026〕1号"));
	assert_non_null(strstr(text, "考生张三（身份证号340104199001011234）"));
	assert_non_null(strstr(text, "第七条第一款第三项"));
	assert_non_null(strstr(text, "6个月内依法提起行政诉讼"));
	assert_non_null(strstr(text, "安徽省公务员局（盖章）"));
	assert_non_null(strstr(text, "2026年12月20日"));
	assert_non_null(strstr(text, "核验码7F3A-92C1"));
	assert_null(strstr(text, "—1—"));
	free(text);
	assert_int_equal(kw_test_pdf_pages(&out), 1);
	char *fonts = kw_test_poppler("pdffonts", &out);
	assert_int_equal(kw_pdf_fonts(), 4);
	assert_non_null(strstr(fonts, "KaowuSerifSC-Bold"));    /* the title */
	assert_non_null(strstr(fonts, "KaowuSerifSC-Regular")); /* the rest */
	assert_null(strstr(fonts, "Noto"));
	assert_null(strstr(fonts, "CJKjp"));
	free(fonts);
	char *info = kw_test_poppler("pdfinfo", &out);
	assert_non_null(strstr(info, "公务员录用违规违纪行为处理决定书")); /* the PDF's title */
	assert_non_null(strstr(info, "A4"));
	free(info);
	kw_buf_release(&out);
	json_decref(doc);
}

/* Rare characters in a name print: 𪚥 (CJK Extension B) from BabelStone Han, 䶮 (Extension
 * A) from the full Noto Serif CJK SC face; neither is in kaowu's reduced faces. */
static void rare_characters_in_a_name_print(void **state)
{
	(void)state;
	json_t *doc = vh_letter("李𪚥");
	struct kw_buf out = render(doc);
	char *text = text_of(&out);
	assert_non_null(strstr(text, "考生李𪚥（身份证号"));
	free(text);
	char *fonts = kw_test_poppler("pdffonts", &out);
	assert_non_null(strstr(fonts, "BabelStone"));
	free(fonts);
	kw_buf_release(&out);
	json_decref(doc);

	doc = vh_letter("刘䶮");
	out = render(doc);
	text = text_of(&out);
	assert_non_null(strstr(text, "考生刘䶮（身份证号"));
	free(text);
	fonts = kw_test_poppler("pdffonts", &out);
	assert_non_null(strstr(fonts, "NotoSerifCJKsc-Regular"));
	free(fonts);
	kw_buf_release(&out);
	json_decref(doc);
}

/* A long body flows onto further pages, nothing cut: every paragraph is there, the pages
 * are numbered "— i —", and the issuer and the date stand on the last page with the last two
 * lines of the body above them. */
static void a_long_body_flows_onto_numbered_pages(void **state)
{
	(void)state;
	json_t *doc = paragraphs(60);
	struct kw_buf out = render(doc);
	int pages = kw_test_pdf_pages(&out);
	assert_true(pages >= 3);
	char *text = text_of(&out);
	for (int i = 1; i <= 60; i++) {
		char p[64];
		snprintf(p, sizeof p, "第%d段。", i);
		assert_non_null(strstr(text, p));
	}
	assert_non_null(strstr(text, "—1—"));
	assert_non_null(strstr(text, "—2—"));
	char *last = page_text(text, pages);
	assert_non_null(last);
	assert_non_null(strstr(last, "第59段。"));
	assert_non_null(strstr(last, "第60段。"));
	assert_non_null(strstr(last, "安徽省公务员局（盖章）"));
	assert_non_null(strstr(last, "2026年12月9日"));
	free(text);
	kw_buf_release(&out);
	json_decref(doc);

	/* one long paragraph, too: it breaks between lines, across pages */
	json_t *lines = json_pack("[s, s]", "编号：皖公考违告〔2026〕3号", "考生王五：");
	struct kw_buf para;
	kw_buf_init(&para, 0);
	for (int i = 1; i <= 400; i++)
		kw_buf_addf(&para, "事实%d，", i);
	kw_buf_adds(&para, "完。");
	json_array_append_new(lines, json_string(para.buf));
	json_array_append_new(lines, json_string("安徽省公务员局（盖章）"));
	json_array_append_new(lines, json_string("2026年12月9日"));
	doc = json_pack("{s:s, s:o}", "title", "告知书", "lines", lines);
	out = render(doc);
	assert_true(kw_test_pdf_pages(&out) >= 2);
	text = text_of(&out);
	char *q = text; /* without the pages' form feeds and numbers too */
	for (const char *s = text; *s; s++) {
		if (!strncmp(s, "—", strlen("—")) && strchr(s + 1, '\f')) {
			s = strchr(s + 1, '\f'); /* "—1—\f" */
			continue;
		}
		*q++ = *s;
	}
	*q = '\0';
	assert_non_null(strstr(text, para.buf));
	free(text);
	kw_buf_release(&para);
	kw_buf_release(&out);
	json_decref(doc);
}

/* A document that would run a few lines onto a second page is set a little closer to stay
 * on one; one that cannot is not squeezed. */
static void a_near_miss_is_kept_to_one_page(void **state)
{
	(void)state;
	json_t *doc = paragraphs(15); /* 22 lines a page leave room for 13 */
	struct kw_buf out = render(doc);
	assert_int_equal(kw_test_pdf_pages(&out), 1);
	char *text = text_of(&out);
	assert_null(strstr(text, "—1—"));
	free(text);
	kw_buf_release(&out);
	json_decref(doc);

	doc = paragraphs(19);
	out = render(doc);
	assert_int_equal(kw_test_pdf_pages(&out), 2);
	kw_buf_release(&out);
	json_decref(doc);
}

static void refused(const json_t *doc)
{
	struct kw_buf out;
	kw_buf_init(&out, 0);
	kw_buf_adds(&out, "kept");
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_case_document_pdf(doc, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "DOCUMENT_INVALID");
	assert_string_equal(out.buf, "kept");
	kw_err_release(&err);
	assert_int_equal(kw_case_document_check(doc, &err), KW_EINVAL);
	assert_string_equal(err.code, "DOCUMENT_INVALID");
	kw_err_release(&err);
	assert_int_equal(kw_case_document_pdf_isolated(doc, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "DOCUMENT_INVALID");
	assert_string_equal(out.buf, "kept");
	kw_err_release(&err);
	kw_buf_release(&out);
}

/* Bad documents are refused with DOCUMENT_INVALID before anything is drawn. */
static void refuses_bad_documents(void **state)
{
	(void)state;
	refused(NULL);
	json_t *doc = json_string("公务员录用违规违纪行为处理决定书");
	refused(doc);
	json_decref(doc);

	doc = vh_letter("张三");
	json_object_del(doc, "title");
	refused(doc);
	json_object_set_new(doc, "title", json_string(" \u3000 "));
	refused(doc);
	json_object_set_new(doc, "title", json_integer(1));
	refused(doc);
	json_decref(doc);

	doc = vh_letter("张三");
	json_array_remove(json_object_get(doc, "lines"), 3);
	json_array_remove(json_object_get(doc, "lines"), 2); /* four lines */
	refused(doc);
	json_decref(doc);

	doc = vh_letter("张三");
	json_array_set_new(json_object_get(doc, "lines"), 2, json_integer(7));
	refused(doc);
	json_decref(doc);

	doc = vh_letter("张三"); /* no date */
	json_array_set_new(json_object_get(doc, "lines"), 5, json_string(""));
	refused(doc);
	json_decref(doc);

	doc = vh_letter("张三");
	json_object_set_new(doc, "footer", json_true());
	refused(doc);
	json_object_set_new(doc, "footer", json_null()); /* null is no footer */
	struct kw_buf out = render(doc);
	kw_buf_release(&out);
	json_object_del(doc, "lines");
	refused(doc);
	json_decref(doc);

	doc = paragraphs(KW_LETTER_MAX_LINES);
	refused(doc);
	json_decref(doc);
}

/* The server's way: rendered in a child process, the same document comes back. */
static void rendered_in_a_child_process(void **state)
{
	(void)state;
	json_t *doc = vh_letter("张三");
	struct kw_buf out;
	kw_buf_init(&out, 4 << 20);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_case_document_pdf_isolated(doc, &out, &err), 0);
	assert_memory_equal(out.buf, "%PDF-", 5);
	char *text = text_of(&out);
	assert_non_null(strstr(text, "皖公考违决〔2026〕1号"));
	assert_non_null(strstr(text, "考生张三"));
	free(text);
	kw_buf_release(&out);
	json_decref(doc);
}

/* Past out's cap: EXPORT_TOO_BIG, and out is left as it was. */
static void a_capped_buffer_is_left_as_it_was(void **state)
{
	(void)state;
	json_t *doc = vh_letter("张三");
	struct kw_buf out;
	kw_buf_init(&out, 2000);
	kw_buf_adds(&out, "kept");
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_case_document_pdf(doc, &out, &err), KW_ETOOBIG);
	assert_string_equal(err.code, "EXPORT_TOO_BIG");
	assert_string_equal(out.buf, "kept");
	kw_err_release(&err);
	kw_buf_release(&out);
	json_decref(doc);
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
	        cmocka_unit_test(a_decision_letter_on_one_page),
	        cmocka_unit_test(rare_characters_in_a_name_print),
	        cmocka_unit_test(a_long_body_flows_onto_numbered_pages),
	        cmocka_unit_test(a_near_miss_is_kept_to_one_page),
	        cmocka_unit_test(refuses_bad_documents),
	        cmocka_unit_test(rendered_in_a_child_process),
	        cmocka_unit_test(a_capped_buffer_is_left_as_it_was),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
