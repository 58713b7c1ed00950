/* The electronic certificate (GRD-10; render/certificate.h), read back as a person or a phone
 * would: poppler's pdftotext (and its word boxes), pdfinfo and pdffonts, and the QR code
 * decoded by zbarimg off the page rendered by pdftoppm.
 *
 * With KW_CERT_SAMPLES set to a directory, the certificates rendered here are also written
 * there (zh.pdf, en.pdf, revoked.pdf, long.pdf), to look at. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/testpdf.h"
#include "render/certificate.h"
#include "render/pdf.h"

/* A signed payload of the length the application makes (~300 ASCII characters). */
static const char payload[] =
        "KW1.C.ZS2027340100012.2027JJ.eyJuIjoiWlMyMDI3MzQwMTAwMDEyIiwibm0iOiLlvKDkuInkuLAiLCJx"
        "IjoiSkotMDEtMDEiLCJkIjoiMjAyNy0wMy0wMSJ9.MmNhZTRjYjE4ZWQ0ZjM1Y2E4ZjQwYjBiZTU1NGI3ODk0Yj"
        "Y5MzYxZWE4OTM0ZWY1YzcxZWE3ZjEwZDEwZTYwOGI2MzRkOTliNTQ0YjkxOWE1ZjkxNzM3ZDE0NWUyNWU5NTM3"
        "YTk3NmZlYjQ4ZTVkNzc5ZmE0Nzk1NWM0ZmE0Nzk1NWM0Zm";

/* Passed over the years of a rolling period, one subject exempt (no year) (EXAM-5). */
static const struct kw_certificate_subject subjects[] = {
        {"01", "经济基础知识", "78.5", "2025"},
        {"02", "人力资源管理专业知识和实务", "81", "2026"},
        {"03", "人力资源管理案例分析", "免试", NULL},
};

/* A complete certificate in Chinese; photo may be NULL. */
static struct kw_certificate cert(const unsigned char *photo, size_t photo_len)
{
	return (struct kw_certificate){
	        .number = "ZS2027340100012",
	        .name = "李𪚥",
	        .sex = "女",
	        .id_number = "3401**********1234",
	        .photo_jpeg = photo,
	        .photo_len = photo_len,
	        .qualification = "经济专业技术资格（初级）",
	        .major = "人力资源管理",
	        .exam = "2026年度经济专业技术资格考试",
	        .subjects = subjects,
	        .nsubjects = 3,
	        .issuer = "安徽省人力资源和社会保障厅",
	        .issued_on = "2027-03-01",
	        .verify_url = "https://zs.kaowu.example/verify.html",
	        .qr_payload = payload,
	        .stamp_text = "安徽省人力资源和社会保障厅",
	};
}

static struct kw_buf render(const struct kw_certificate *c)
{
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_certificate_pdf(c, &out, &err), 0);
	assert_memory_equal(out.buf, "%PDF-", 5);
	kw_err_release(&err);
	return out;
}

/* Writes pdf to $KW_CERT_SAMPLES/name when that is set. */
static void sample(const struct kw_buf *pdf, const char *name)
{
	const char *dir = getenv("KW_CERT_SAMPLES");
	if (!dir || !*dir)
		return;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf->buf, 1, pdf->len, f), pdf->len);
	fclose(f);
}

/* What a shell script prints, run in a fresh directory that holds the PDF as in.pdf; the
 * test fails when the script does. malloc'd. */
static char *shell_on(const struct kw_buf *pdf, const char *script)
{
	char dir[4096], path[4200], cmd[8600];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/kw-cert-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/in.pdf", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf->buf, 1, pdf->len, f), pdf->len);
	fclose(f);
	snprintf(cmd, sizeof cmd, "cd '%s' && { %s ; }", dir, script);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct kw_buf b;
	kw_buf_init(&b, 0);
	char chunk[4096];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, p)) > 0)
		kw_buf_add(&b, chunk, r);
	int st = pclose(p);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	if (st != 0)
		fail_msg("'%s' failed: %s", script, b.buf);
	return kw_buf_detach(&b, NULL);
}

/* What pdftotext reads, without its line ends and spaces (a value may wrap); malloc'd. */
static char *text_of(const struct kw_buf *pdf)
{
	char *text = kw_test_poppler("pdftotext", pdf), *q = text;
	for (const char *s = text; *s; s++)
		if (*s != '\n' && *s != ' ')
			*q++ = *s;
	*q = '\0';
	return text;
}

/* What pdftotext -raw reads (in the order the page draws it, which keeps the characters
 * of the diagonal mark together), without line ends and spaces; malloc'd. */
static char *raw_text_of(const struct kw_buf *pdf)
{
	char *text = shell_on(pdf, "pdftotext -raw in.pdf -"), *q = text;
	for (const char *s = text; *s; s++)
		if (*s != '\n' && *s != ' ')
			*q++ = *s;
	*q = '\0';
	return text;
}

/* The payload of the page's QR code, read off the page rendered at 150 dpi (as a phone
 * would see a print); "" when none is found. malloc'd. */
static char *qr_of(const struct kw_buf *pdf)
{
	char *s = shell_on(pdf, "pdftoppm -r 150 -png in.pdf page && "
	                        "{ zbarimg -q --raw page*.png 2>/dev/null || true; }");
	s[strcspn(s, "\n")] = '\0';
	return s;
}

/* A word of pdftotext -bbox, in points from the page's top left. */
struct word {
	double x0, y0, x1, y1;
	char text[128];
};

/* The words of the (one-page) PDF and the page's size, points; returns how many (at most
 * max). */
static size_t words_of(const struct kw_buf *pdf, struct word *ws, size_t max, double *pw,
                       double *ph)
{
	char *html = shell_on(pdf, "pdftotext -bbox in.pdf -");
	const char *p = strstr(html, "<page ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "<page width=\"%lf\" height=\"%lf\"", pw, ph), 2);
	size_t n = 0;
	while ((p = strstr(p, "<word ")) && n < max) {
		struct word *w = &ws[n++];
		assert_int_equal(sscanf(p,
		                        "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" "
		                        "yMax=\"%lf\">%127[^<]",
		                        &w->x0, &w->y0, &w->x1, &w->y1, w->text),
		                 5);
		p++;
	}
	free(html);
	return n;
}

/* How many pixels of the page, rendered at 20 dpi, are clearly red. */
static long red_pixels(const struct kw_buf *pdf)
{
	char *ppm = shell_on(pdf, "pdftoppm -r 20 in.pdf page && od -An -v -tu1 -w3 page*.ppm");
	/* od prints the header's bytes too, three to a line: they are few and never red */
	long red = 0;
	const char *p = ppm;
	unsigned r, g, b;
	int used;
	while (sscanf(p, "%u %u %u%n", &r, &g, &b, &used) == 3) {
		if (r > 150 && r > g + 30 && r > b + 30)
			red++;
		p += used;
	}
	free(ppm);
	return red;
}

/* GRD-10: the certificate data as printed, in Chinese. */
static void a_certificate_in_chinese(void **state)
{
	(void)state;
	size_t n;
	unsigned char *jpg = kw_test_data_file("uploads/small.jpg", &n);
	struct kw_certificate c = cert(jpg, n);
	struct kw_buf out = render(&c);
	sample(&out, "zh.pdf");
	assert_non_null(memmem(out.buf, out.len, jpg, n)); /* the photo passed through */
	char *text = text_of(&out);
	assert_non_null(strstr(text, "专业技术人员职业资格证书")); /* the default title */
	assert_non_null(strstr(text, "证书编号：ZS2027340100012"));
	assert_non_null(strstr(text, "李𪚥"));
	assert_non_null(strstr(text, "3401**********1234"));
	assert_non_null(strstr(text, "经济专业技术资格（初级）"));
	assert_non_null(strstr(text, "人力资源管理"));
	assert_non_null(strstr(text, "2026年度经济专业技术资格考试"));
	assert_non_null(strstr(text, "经济基础知识"));
	assert_non_null(strstr(text, "人力资源管理专业知识和实务"));
	assert_non_null(strstr(text, "78.5"));
	assert_non_null(strstr(text, "2025")); /* the year of each pass (EXAM-5) */
	assert_non_null(strstr(text, "人力资源管理案例分析"));
	assert_non_null(strstr(text, "免试")); /* an exempt subject */
	assert_non_null(strstr(text, "发证机关：安徽省人力资源和社会保障厅"));
	assert_non_null(strstr(text, "发证日期：2027年3月1日"));
	assert_non_null(strstr(text, "验证：https://zs.kaowu.example/verify.html"));
	assert_null(strstr(text, "已撤销"));
	assert_null(strstr(text, "…")); /* nothing cut */
	free(text);
	/* one A4 landscape page */
	char *info = kw_test_poppler("pdfinfo", &out);
	assert_non_null(strstr(info, "Pages:           1"));
	assert_non_null(strstr(info, "841.89 x 595.2")); /* 297 × 210 mm */
	assert_non_null(strstr(info, "(A4)"));
	free(info);
	/* Simplified Chinese faces, kaowu's own, never Noto's Japanese ones; the Extension B
	 * character of the name from BabelStone Han, which has no bold: cairo embeds the
	 * emboldened glyph as a font of its own (CairoFont-…) */
	char *fonts = kw_test_poppler("pdffonts", &out);
	assert_non_null(strstr(fonts, "KaowuSerifSC-Bold"));
	assert_non_null(strstr(fonts, "KaowuSerifSC-Regular"));
	assert_null(strstr(fonts, "Noto"));
	assert_null(strstr(fonts, "CJKjp"));
	assert_non_null(strstr(fonts, "CairoFont"));
	free(fonts);
	kw_buf_release(&out);
	free(jpg);
}

/* The same in English, without a photo, a stamp or a title of its own. */
static void a_certificate_in_english(void **state)
{
	(void)state;
	struct kw_certificate c = cert(NULL, 0);
	c.lang = "en";
	c.name = "ZHANG San";
	c.qualification = "Economics, Junior Level";
	c.stamp_text = NULL;
	struct kw_buf out = render(&c);
	sample(&out, "en.pdf");
	char *text = kw_test_poppler("pdftotext", &out);
	assert_non_null(strstr(text, "Professional Qualification Certificate"));
	assert_non_null(strstr(text, "Certificate No. ZS2027340100012"));
	assert_non_null(strstr(text, "ZHANG San"));
	assert_non_null(strstr(text, "Photo"));
	assert_non_null(strstr(text, "Economics, Junior Level"));
	assert_non_null(strstr(text, "Subjects passed"));
	assert_non_null(strstr(text, "Year passed"));
	assert_non_null(strstr(text, "经济基础知识"));
	assert_non_null(strstr(text, "Issued by: 安徽省人力资源和社会保障厅"));
	assert_non_null(strstr(text, "Date of issue: 2027-03-01"));
	assert_non_null(strstr(text, "Verify: https://zs.kaowu.example/verify.html"));
	assert_null(strstr(text, "REVOKED"));
	assert_null(strstr(text, "证书编号"));
	free(text);
	kw_buf_release(&out);
}

/* A date that is not YYYY-MM-DD prints as given, a title of the caller's in place of ours. */
static void a_title_and_date_as_given(void **state)
{
	(void)state;
	struct kw_certificate c = cert(NULL, 0);
	c.title = "中华人民共和国会计专业技术资格证书";
	c.issued_on = "2027年03月";
	struct kw_buf out = render(&c);
	char *text = text_of(&out);
	assert_non_null(strstr(text, "发证日期：2027年03月"));
	assert_null(strstr(text, "专业技术人员职业资格证书"));
	free(text);
	char *info = kw_test_poppler("pdfinfo", &out);
	assert_non_null(strstr(info, "中华人民共和国会计专业技术资格证书"));
	free(info);
	kw_buf_release(&out);
}

/* GRD-10: the QR code carries the signed payload, byte for byte, readable off the page. */
static void the_qr_code_reads_back_the_payload(void **state)
{
	(void)state;
	struct kw_certificate c = cert(NULL, 0);
	struct kw_buf out = render(&c);
	char *got = qr_of(&out);
	assert_string_equal(got, payload);
	free(got);
	kw_buf_release(&out);
	/* the longest payload allowed, too */
	char big[KW_CERTIFICATE_QR_MAX + 1];
	for (size_t i = 0; i < KW_CERTIFICATE_QR_MAX; i++)
		big[i] = payload[i % (sizeof payload - 1)];
	big[KW_CERTIFICATE_QR_MAX] = '\0';
	c.qr_payload = big;
	out = render(&c);
	got = qr_of(&out);
	assert_string_equal(got, big);
	free(got);
	kw_buf_release(&out);
	/* no payload, no code */
	c.qr_payload = NULL;
	out = render(&c);
	got = qr_of(&out);
	assert_string_equal(got, "");
	free(got);
	char *text = text_of(&out);
	assert_non_null(strstr(text, "验证：https://zs.kaowu.example/verify.html"));
	free(text);
	kw_buf_release(&out);
}

/* A copy of a revoked certificate printed for the record carries the mark, clearly (a good
 * part of the page turns red), and its QR code still reads. */
static void a_revoked_copy_is_marked(void **state)
{
	(void)state;
	struct kw_certificate c = cert(NULL, 0);
	c.stamp_text = NULL;
	struct kw_buf plain = render(&c);
	c.revoked = 1;
	struct kw_buf out = render(&c);
	sample(&out, "revoked.pdf");
	char *text = raw_text_of(&out);
	assert_non_null(strstr(text, "已撤销REVOKED")); /* the page's language, then the other */
	free(text);
	text = raw_text_of(&plain);
	assert_null(strstr(text, "已撤销"));
	free(text);
	long before = red_pixels(&plain), after = red_pixels(&out);
	/* the page at 20 dpi is 234 × 165 pixels: the mark reddens well over 2% of them */
	assert_true(after - before > 800);
	char *got = qr_of(&out);
	assert_string_equal(got, payload);
	free(got);
	kw_buf_release(&out);
	kw_buf_release(&plain);
	c.lang = "en";
	out = render(&c);
	text = raw_text_of(&out);
	assert_non_null(strstr(text, "REVOKED已撤销"));
	free(text);
	kw_buf_release(&out);
}

static void refuses_bad_certificates(void **state)
{
	(void)state;
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_err err = KW_ERR_INIT;
	struct kw_certificate c = cert(NULL, 0);
	c.number = NULL;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	c = cert(NULL, 0);
	c.number = "";
	err.code = NULL;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	c = cert(NULL, 0);
	c.name = NULL;
	err.code = NULL;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	assert_int_equal(kw_certificate_pdf(NULL, &out, &err), KW_EINVAL);
	c = cert(NULL, 0);
	c.lang = "fr";
	err.code = NULL;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	/* one byte over the payload's cap */
	char big[KW_CERTIFICATE_QR_MAX + 2];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	c = cert(NULL, 0);
	c.qr_payload = big;
	err.code = NULL;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	/* more subjects than a certificate lists, and subjects counted but not given */
	struct kw_certificate_subject many[KW_CERTIFICATE_MAX_SUBJECTS + 1] = {{0}};
	c = cert(NULL, 0);
	c.subjects = many;
	c.nsubjects = KW_CERTIFICATE_MAX_SUBJECTS + 1;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	c.nsubjects = KW_CERTIFICATE_MAX_SUBJECTS;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), 0);
	kw_buf_release(&out);
	kw_buf_init(&out, 0);
	c.subjects = NULL;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	/* a photo whose JPEG header is cut */
	size_t n;
	unsigned char *jpg = kw_test_data_file("uploads/small.jpg", &n);
	c = cert(jpg, 40);
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_EINVAL);
	assert_string_equal(err.code, "FILE_CORRUPT");
	assert_int_equal(out.len, 0); /* nothing was appended */
	free(jpg);
	/* a refused page leaves an open document as it was: nothing drawn, no page begun */
	struct kw_pdf d;
	assert_int_equal(kw_pdf_open(&d, &out, "x", NULL), 0);
	c = cert(NULL, 0);
	c.name = "";
	assert_int_equal(kw_certificate_page(&d, &c, &err), KW_EINVAL);
	assert_int_equal(d.pages, 0);
	kw_pdf_abort(&d);
	kw_err_release(&err);
	kw_buf_release(&out);
}

/* Twelve subjects, a long name and long values still fit the page: every word whole (no
 * ellipsis), inside the inner frame, none over another. */
static void long_names_and_twelve_subjects_fit(void **state)
{
	(void)state;
	static const char *const names[12] = {
	        "经济基础知识",           "人力资源管理专业知识和实务",
	        "金融专业知识和实务",     "财政税收专业知识和实务",
	        "工商管理专业知识和实务", "农业经济专业知识和实务",
	        "商业经济专业知识和实务", "保险专业知识和实务",
	        "运输经济专业知识和实务", "旅游经济专业知识和实务",
	        "知识产权专业知识和实务", "建筑与房地产经济专业知识和实务",
	};
	struct kw_certificate_subject ss[12];
	char codes[12][16];
	for (int i = 0; i < 12; i++) {
		snprintf(codes[i], sizeof codes[i], "%02d", i + 1);
		ss[i] = (struct kw_certificate_subject){codes[i], names[i], "100", "2027"};
	}
	const char *langs[2] = {NULL, "en"};
	const char *long_names[2] = {"阿卜杜热合曼·买买提艾力·库尔班江·艾尼瓦尔",
	                             "Maximilian Alexander Konstantin Fitzgerald-Worthington"};
	for (int k = 0; k < 2; k++) {
		struct kw_certificate c = cert(NULL, 0);
		c.lang = langs[k];
		c.name = long_names[k];
		c.subjects = ss;
		c.nsubjects = 12;
		c.stamp_text = NULL; /* the stamp goes over the issuer on purpose */
		c.title = "2027年度全国经济专业技术资格考试（中级）人力资源管理专业合格证书";
		c.qualification =
		        "经济专业技术资格（中级）人力资源管理专业（含人力资源开发与管理方向）";
		c.exam = "2027年度全国经济专业技术资格考试（含中级、高级经济师评审衔接考试）";
		c.issuer = "中华人民共和国人力资源和社会保障部人事考试中心（受委托签发）";
		c.verify_url = "https://zhengshu.kaowu.example/public/certificates/verify.html";
		struct kw_buf out = render(&c);
		if (k == 0)
			sample(&out, "long.pdf");
		char *text = text_of(&out);
		assert_null(strstr(text, "…"));
		for (int i = 0; i < 12; i++)
			assert_non_null(strstr(text, names[i]));
		char name[128];
		snprintf(name, sizeof name, "%s", long_names[k]);
		char *q = name;
		for (const char *s = name; *s; s++)
			if (*s != ' ')
				*q++ = *s;
		*q = '\0';
		assert_non_null(strstr(text, name));
		assert_non_null(
		        strstr(text, "zhengshu.kaowu.example/public/certificates/verify.html"));
		free(text);

		static struct word ws[1000];
		double pw, ph;
		size_t n = words_of(&out, ws, 1000, &pw, &ph);
		assert_true(n > 40 && n < 1000);
		assert_true(pw > ph);                  /* landscape */
		const double inner = 14.0 / 25.4 * 72; /* the inner frame's inset, points */
		for (size_t i = 0; i < n; i++) {
			if (ws[i].x0 < inner || ws[i].y0 < inner || ws[i].x1 > pw - inner ||
			    ws[i].y1 > ph - inner)
				fail_msg("'%s' outside the frame: %.1f %.1f %.1f %.1f", ws[i].text,
				         ws[i].x0, ws[i].y0, ws[i].x1, ws[i].y1);
			for (size_t j = 0; j < i; j++) {
				double ox = fmin(ws[i].x1, ws[j].x1) - fmax(ws[i].x0, ws[j].x0);
				double oy = fmin(ws[i].y1, ws[j].y1) - fmax(ws[i].y0, ws[j].y0);
				if (ox > 0.5 && oy > 0.5)
					fail_msg("'%s' over '%s'", ws[i].text, ws[j].text);
			}
		}
		kw_buf_release(&out);
	}
}

/* Bytes that are not UTF-8 print as replacement characters; nothing reads past them. */
static void bytes_that_are_not_utf8(void **state)
{
	(void)state;
	struct kw_certificate c = cert(NULL, 0);
	c.title = "\xe8\xaf\x81\xff\xfe\xf8";
	c.name = "\xf8\x88\x80\x80\x80·张三";
	c.issuer = "\xc2";
	c.stamp_text = "\xe5\xae";
	struct kw_buf out = render(&c);
	char *text = text_of(&out);
	assert_non_null(strstr(text, "张三"));
	assert_non_null(strstr(text, "\xef\xbf\xbd")); /* U+FFFD */
	free(text);
	kw_buf_release(&out);
}

static void a_batch_of_certificates_in_one_document(void **state)
{
	(void)state;
	struct kw_buf out;
	kw_buf_init(&out, 0);
	struct kw_pdf d;
	assert_int_equal(kw_pdf_open(&d, &out, "证书", NULL), 0);
	struct kw_certificate c = cert(NULL, 0);
	assert_int_equal(kw_certificate_page(&d, &c, NULL), 0);
	c.number = "ZS2027340100013";
	c.name = "王小明";
	assert_int_equal(kw_certificate_page(&d, &c, NULL), 0);
	assert_int_equal(kw_pdf_close(&d, NULL), 0);
	assert_int_equal(kw_test_pdf_pages(&out), 2);
	char *text = text_of(&out);
	assert_non_null(strstr(text, "王小明"));
	assert_non_null(strstr(text, "ZS2027340100013"));
	free(text);
	kw_buf_release(&out);
}

static void a_capped_buffer_is_left_as_it_was(void **state)
{
	(void)state;
	struct kw_certificate c = cert(NULL, 0);
	struct kw_buf out;
	kw_buf_init(&out, 4000);
	kw_buf_adds(&out, "kept");
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_certificate_pdf(&c, &out, &err), KW_ETOOBIG);
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
	        cmocka_unit_test(a_certificate_in_chinese),
	        cmocka_unit_test(a_certificate_in_english),
	        cmocka_unit_test(a_title_and_date_as_given),
	        cmocka_unit_test(the_qr_code_reads_back_the_payload),
	        cmocka_unit_test(a_revoked_copy_is_marked),
	        cmocka_unit_test(refuses_bad_certificates),
	        cmocka_unit_test(long_names_and_twelve_subjects_fit),
	        cmocka_unit_test(bytes_that_are_not_utf8),
	        cmocka_unit_test(a_batch_of_certificates_in_one_document),
	        cmocka_unit_test(a_capped_buffer_is_left_as_it_was),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
