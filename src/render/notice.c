/* The public notice of those to be appointed: see notice.h. */
#include "render/notice.h"

#include <stdio.h>
#include <string.h>

#include "render/isolate.h"
#include "render/pdf.h"

#define LEFT        20.0
#define WIDTH       170.0
#define ROW_H       8.0
#define ROWS_A_PAGE 24

static const char *s(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* The columns of the table: heading, key in an entry, width (mm). */
static const struct {
	const char *head, *key;
	double w;
} cols[] = {
        {"序号", NULL, 12},
        {"姓名", "name", 20},
        {"性别", "gender", 12},
        {"身份证号", "id_number", 40},
        {"准考证号", "ticket_no", 30},
        {"笔试成绩", "written", 18},
        {"面试成绩", "interview", 18},
        {"综合成绩", "composite", 20},
};
#define NCOLS (sizeof cols / sizeof cols[0])

static void row(struct kw_pdf *d, double y, const char *const v[NCOLS], int bold)
{
	double x = LEFT;
	for (size_t i = 0; i < NCOLS; i++) {
		kw_pdf_box(d, x, y, cols[i].w, ROW_H, 0.25);
		kw_pdf_text(d, v[i], x + 0.5, y, cols[i].w - 1, ROW_H,
		            &(struct kw_pdf_font){.serif = !bold,
		                                  .bold = bold,
		                                  .size = 10,
		                                  .min_size = 6,
		                                  .align = KW_PDF_CENTER});
		x += cols[i].w;
	}
}

static void date_zh(const char *iso, char *out, size_t n)
{
	int y = 0, m = 0, dd = 0;
	if (sscanf(iso, "%d-%d-%d", &y, &m, &dd) == 3)
		snprintf(out, n, "%d年%d月%d日", y, m, dd);
	else
		snprintf(out, n, "%s", iso);
}

int kw_recruit_notice_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	const json_t *entries = json_object_get(doc, "entries");
	if (!json_is_object(doc) || !json_is_array(entries))
		return kw_err_set(err, KW_EINVAL, "DOCUMENT_INVALID", NULL, "not a notice");
	char title[512], para[2048], d1[32], d2[32];
	snprintf(title, sizeof title, "%s拟录用人员公示", s(doc, "exam_name"));
	date_zh(s(doc, "starts_on"), d1, sizeof d1);
	date_zh(s(doc, "ends_on"), d2, sizeof d2);
	snprintf(
	        para, sizeof para,
	        "根据公务员考试录用有关规定，经笔试、面试、体检和考察等程序，确定%s%s职位（职位代码"
	        "%s）拟录用人员，现予公示。",
	        s(doc, "recruiter"), s(doc, "position_name"), s(doc, "position_code"));
	char tail[1024];
	snprintf(tail, sizeof tail,
	         "公示期为%s至%s（工作日）。公示期间，对拟录用人员有异议的，可以书面形式向%s反映。"
	         "反映问题应实事求是，并提供必要的调查线索；以单位名义反映的应加盖公章，以个人名义"
	         "反映的应署真实姓名。",
	         d1, d2, s(doc, "organiser"));
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, title, err);
	if (rc)
		return rc;
	size_t n = json_array_size(entries);
	int pages = (int)((n + ROWS_A_PAGE - 1) / ROWS_A_PAGE);
	if (pages < 1)
		pages = 1;
	size_t k = 0;
	for (int p = 1; !rc && p <= pages; p++) {
		rc = kw_pdf_page(&d, KW_PDF_A4_W, KW_PDF_A4_H, err);
		if (rc)
			break;
		cairo_set_source_rgb(d.cr, 0, 0, 0);
		double y = 25;
		if (p == 1) {
			y += kw_pdf_text(&d, title, LEFT, y, WIDTH, 24,
			                 &(struct kw_pdf_font){.bold = 1,
			                                       .size = 18,
			                                       .align = KW_PDF_CENTER,
			                                       .wrap = 1,
			                                       .top = 1,
			                                       .balance = 1});
			y += 6;
			y += kw_pdf_text(&d, para, LEFT, y, WIDTH, 40,
			                 &(struct kw_pdf_font){.serif = 1,
			                                       .size = 12,
			                                       .wrap = 1,
			                                       .top = 1,
			                                       .line_spacing = 1.3});
			y += 5;
		}
		const char *head[NCOLS];
		for (size_t i = 0; i < NCOLS; i++)
			head[i] = cols[i].head;
		row(&d, y, head, 1);
		y += ROW_H;
		for (int r = 0; r < ROWS_A_PAGE && k < n; r++, k++) {
			const json_t *e = json_array_get(entries, k);
			char no[24];
			snprintf(no, sizeof no, "%zu", k + 1);
			const char *v[NCOLS];
			v[0] = no;
			for (size_t i = 1; i < NCOLS; i++)
				v[i] = s(e, cols[i].key);
			row(&d, y, v, 0);
			y += ROW_H;
		}
		if (p == pages) {
			y += 6;
			y += kw_pdf_text(&d, tail, LEFT, y, WIDTH, 40,
			                 &(struct kw_pdf_font){.serif = 1,
			                                       .size = 12,
			                                       .wrap = 1,
			                                       .top = 1,
			                                       .line_spacing = 1.3});
			y += 14;
			kw_pdf_text(&d, s(doc, "organiser"), LEFT, y, WIDTH - 10, 8,
			            &(struct kw_pdf_font){
			                    .serif = 1, .size = 12, .align = KW_PDF_RIGHT});
			kw_pdf_text(&d, d1, LEFT, y + 9, WIDTH - 10, 8,
			            &(struct kw_pdf_font){
			                    .serif = 1, .size = 12, .align = KW_PDF_RIGHT});
		}
		if (pages > 1) {
			char pg[32];
			snprintf(pg, sizeof pg, "— %d —", p);
			kw_pdf_text(&d, pg, LEFT, KW_PDF_A4_H - 15, WIDTH, 6,
			            &(struct kw_pdf_font){.size = 9, .align = KW_PDF_CENTER});
		}
	}
	if (rc) {
		kw_pdf_abort(&d);
		return rc;
	}
	return kw_pdf_close(&d, err);
}

struct isolated {
	const json_t *doc;
};

static int render_child(void *arg, struct kw_buf *out, struct kw_err *err)
{
	const struct isolated *a = arg;
	return kw_recruit_notice_pdf(a->doc, out, err);
}

int kw_recruit_notice_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	if (!json_is_object(doc) || !json_is_array(json_object_get(doc, "entries")))
		return kw_err_set(err, KW_EINVAL, "DOCUMENT_INVALID", NULL, "not a notice");
	struct isolated a = {.doc = doc};
	return kw_render_isolated(render_child, &a, out, err);
}
