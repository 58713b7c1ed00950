/* The interview day's documents: see interview_docs.h. */
#include "render/interview_docs.h"

#include <stdio.h>
#include <string.h>

#include "render/isolate.h"
#include "render/pdf.h"

static const char *s(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static int invalid(struct kw_err *err, const char *what)
{
	kw_err_set(err, KW_EINVAL, "DOCUMENT_INVALID", NULL, "interview document: %s", what);
	return KW_EINVAL;
}

static void grey(struct kw_pdf *d, double g)
{
	cairo_set_source_rgb(d->cr, g, g, g);
}

/* A filled box (grey g) with a black frame. */
static void shaded(struct kw_pdf *d, double x, double y, double w, double h, double g, double lw)
{
	grey(d, g);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
	kw_pdf_box(d, x, y, w, h, lw);
	grey(d, 0);
}

/* A cell: its frame and its text centred (wrapped, shrinking down to 5 pt). */
static void cell(struct kw_pdf *d, const char *text, double x, double y, double w, double h,
                 double size, int bold)
{
	kw_pdf_box(d, x, y, w, h, 0.25);
	kw_pdf_text(d, text, x + 0.6, y + 0.3, w - 1.2, h - 0.6,
	            &(struct kw_pdf_font){.serif = !bold,
	                                  .bold = bold,
	                                  .size = size,
	                                  .min_size = 5,
	                                  .align = KW_PDF_CENTER,
	                                  .wrap = 1});
}

static void page_number(struct kw_pdf *d, const char *what, int page, int pages)
{
	char pg[256];
	snprintf(pg, sizeof pg, "%s　第 %d 页 共 %d 页", what, page, pages);
	grey(d, 0.3);
	kw_pdf_text(d, pg, 15, d->h - 12, d->w - 30, 5,
	            &(struct kw_pdf_font){.size = 8.5, .align = KW_PDF_CENTER});
	grey(d, 0);
}

static void printed(struct kw_pdf *d, const json_t *doc)
{
	char line[128];
	snprintf(line, sizeof line, "打印时间：%s（北京时间）· kaowu", s(doc, "printed_at"));
	grey(d, 0.4);
	kw_pdf_text(d, line, 15, d->h - 7, d->w - 30, 4,
	            &(struct kw_pdf_font){.size = 7, .align = KW_PDF_RIGHT});
	grey(d, 0);
}

/* A label cell (shaded) and its value cell. */
static void field(struct kw_pdf *d, const char *label, const char *value, double x, double y,
                  double lw, double vw, double h)
{
	shaded(d, x, y, lw, h, 0.92, 0.25);
	kw_pdf_text(d, label, x + 0.5, y, lw - 1, h,
	            &(struct kw_pdf_font){.bold = 1, .size = 10, .align = KW_PDF_CENTER});
	kw_pdf_box(d, x + lw, y, vw, h, 0.25);
	kw_pdf_text(d, value, x + lw + 2, y, vw - 3, h,
	            &(struct kw_pdf_font){.serif = 1, .size = 10.5, .min_size = 6});
}

/* ==== score sheets (评分表) ==== */

#define SS_LEFT  20.0
#define SS_W     170.0
#define SS_ROWS  20 /* order numbers a page */
#define SS_ROW_H 8.0
#define SS_NO_W  16.0
#define SS_TOT_W 20.0
#define SS_REM_W 22.0

static void sheet_head(struct kw_pdf *d, const json_t *doc, const json_t *sh)
{
	grey(d, 0);
	kw_pdf_text(d, "面试评分表", SS_LEFT, 14, SS_W, 11,
	            &(struct kw_pdf_font){.bold = 1, .size = 20, .align = KW_PDF_CENTER});
	const char *room = json_is_string(json_object_get(doc, "room")) ? s(doc, "room") : "待抽签";
	char who[256];
	snprintf(who, sizeof who, "%s　%s", s(sh, "code"), s(sh, "name"));
	double y = 29, h = 7.5, lw = 22, half = SS_W / 2;
	field(d, "考试", s(doc, "exam"), SS_LEFT, y, lw, SS_W - lw, h);
	field(d, "职位", s(doc, "positions"), SS_LEFT, y + h, lw, SS_W - lw, h);
	field(d, "考官组", s(doc, "panel"), SS_LEFT, y + 2 * h, lw, half - lw, h);
	field(d, "考场", room, SS_LEFT + half, y + 2 * h, lw, half - lw, h);
	field(d, "面试日期", s(doc, "day"), SS_LEFT, y + 3 * h, lw, half - lw, h);
	field(d, "考官席位", s(sh, "seat"), SS_LEFT + half, y + 3 * h, lw, half - lw, h);
	field(d, "考官", who, SS_LEFT, y + 4 * h, lw, SS_W - lw, h);
}

/* The table's head at y: 顺序号, each dimension with its range, 总分, 备注. */
static double sheet_table_head(struct kw_pdf *d, const json_t *dims, double y, double dw)
{
	double h = 13, x = SS_LEFT;
	shaded(d, x, y, SS_NO_W, h, 0.92, 0.25);
	cell(d, "顺序号", x, y, SS_NO_W, h, 10, 1);
	x += SS_NO_W;
	size_t k;
	json_t *dim;
	json_array_foreach(dims, k, dim)
	{
		char t[256];
		json_int_t w = json_integer_value(json_object_get(dim, "weight"));
		if (w && w != 100)
			snprintf(t, sizeof t, "%s\n0–%s分 · 权重%lld%%", s(dim, "name"),
			         s(dim, "max"), (long long)w);
		else
			snprintf(t, sizeof t, "%s\n0–%s分", s(dim, "name"), s(dim, "max"));
		shaded(d, x, y, dw, h, 0.92, 0.25);
		cell(d, t, x, y, dw, h, 9.5, 1);
		x += dw;
	}
	shaded(d, x, y, SS_TOT_W, h, 0.92, 0.25);
	cell(d, "总分", x, y, SS_TOT_W, h, 10, 1);
	x += SS_TOT_W;
	shaded(d, x, y, SS_REM_W, h, 0.92, 0.25);
	cell(d, "备注", x, y, SS_REM_W, h, 10, 1);
	return h;
}

static void sheet_row(struct kw_pdf *d, const json_t *r, size_t nd, double y, double dw)
{
	char no[24], rem[64] = "";
	snprintf(no, sizeof no, "%lld",
	         (long long)json_integer_value(json_object_get(r, "order_no")));
	double x = SS_LEFT;
	cell(d, no, x, y, SS_NO_W, SS_ROW_H, 12, 1);
	x += SS_NO_W;
	const json_t *sc = json_object_get(r, "scores");
	for (size_t k = 0; k < nd; k++, x += dw)
		cell(d, json_string_value(json_array_get(sc, k)), x, y, dw, SS_ROW_H, 11, 0);
	cell(d, s(r, "total"), x, y, SS_TOT_W, SS_ROW_H, 11, 1);
	x += SS_TOT_W;
	json_int_t corr = json_integer_value(json_object_get(r, "corrections"));
	if (corr == 1)
		snprintf(rem, sizeof rem, "更正");
	else if (corr > 1)
		snprintf(rem, sizeof rem, "更正 %lld 次", (long long)corr);
	cell(d, rem, x, y, SS_REM_W, SS_ROW_H, 10, 0);
}

static int score_sheets(const json_t *doc, struct kw_pdf *d, struct kw_err *err)
{
	const json_t *dims = json_object_get(doc, "dimensions"),
	             *sheets = json_object_get(doc, "sheets");
	size_t nd = json_array_size(dims);
	double dw = (SS_W - SS_NO_W - SS_TOT_W - SS_REM_W) / (double)(nd ? nd : 1);
	int rc = 0;
	size_t i;
	const json_t *sh;
	json_array_foreach(sheets, i, sh)
	{
		const json_t *rows = json_object_get(sh, "rows");
		size_t n = json_array_size(rows), k = 0;
		int pages = n ? (int)((n + SS_ROWS - 1) / SS_ROWS) : 1;
		char what[256];
		snprintf(what, sizeof what, "%s 考官组 · %s %s 评分表", s(doc, "panel"),
		         s(sh, "code"), s(sh, "name"));
		for (int p = 1; p <= pages; p++) {
			if ((rc = kw_pdf_page(d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
				return rc;
			sheet_head(d, doc, sh);
			double y = 72;
			y += sheet_table_head(d, dims, y, dw);
			for (int r = 0; r < SS_ROWS && k < n; r++, k++, y += SS_ROW_H)
				sheet_row(d, json_array_get(rows, k), nd, y, dw);
			if (!n) {
				kw_pdf_box(d, SS_LEFT, y, SS_W, 12, 0.25);
				kw_pdf_text(d, "顺序号尚未抽签：抽签后再打印本表。", SS_LEFT, y,
				            SS_W, 12,
				            &(struct kw_pdf_font){.serif = 1,
				                                  .size = 11,
				                                  .align = KW_PDF_CENTER});
				y += 12;
			}
			if (p == pages) {
				y += 4;
				grey(d, 0.25);
				y += kw_pdf_text(
				        d,
				        "说明：应试人员只报抽签顺序号，本表不记姓名、准考证号（AH "
				        "65(2)）。"
				        "各测评要素由考官独立评分（AH "
				        "65(3)），总分为各要素得分按权重之和。"
				        "“更正”：录入后说明理由修改过的分数（计分员计算前）。",
				        SS_LEFT, y, SS_W, 16,
				        &(struct kw_pdf_font){.serif = 1,
				                              .size = 9,
				                              .wrap = 1,
				                              .top = 1,
				                              .line_spacing = 1.2});
				grey(d, 0);
				y += 10;
				kw_pdf_text(d,
				            "考官签名：＿＿＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿＿＿"
				            "＿＿",
				            SS_LEFT, y, SS_W, 8,
				            &(struct kw_pdf_font){
				                    .serif = 1, .size = 12, .align = KW_PDF_RIGHT});
			}
			page_number(d, what, p, pages);
			printed(d, doc);
		}
	}
	return rc;
}

/* ==== summary (成绩汇总表) ==== */

#define SU_LEFT  15.0
#define SU_W     267.0
#define SU_ROWS  8
#define SU_ROW_H 12.0
#define SU_NO_W  14.0
#define SU_SC_W  20.0
#define SU_SG_W  34.0 /* each sign-off */
#define SU_TK_W  32.0

static const char *const signoffs[3] = {"scorer", "supervisor", "chief"};
static const char *const signoff_head[3] = {"计分员计算签字", "监督员审核签字", "主考官确认签字"};

static void summary_head(struct kw_pdf *d, const json_t *doc)
{
	kw_pdf_text(d, "面试成绩汇总表", SU_LEFT, 10, SU_W, 10,
	            &(struct kw_pdf_font){.bold = 1, .size = 19, .align = KW_PDF_CENTER});
	const char *room = json_is_string(json_object_get(doc, "room")) ? s(doc, "room") : "待抽签";
	double y = 23, h = 7, lw = 20;
	field(d, "考试", s(doc, "exam"), SU_LEFT, y, lw, 130 - lw, h);
	field(d, "职位", s(doc, "positions"), SU_LEFT + 130, y, lw, SU_W - 130 - lw, h);
	field(d, "考官组", s(doc, "panel"), SU_LEFT, y + h, lw, 90 - lw, h);
	field(d, "考场", room, SU_LEFT + 90, y + h, lw, 40 - lw, h);
	field(d, "面试日期", s(doc, "day"), SU_LEFT + 130, y + h, lw, SU_W - 130 - lw, h);
	field(d, "计分方法", s(doc, "method"), SU_LEFT, y + 2 * h, lw, SU_W - lw, h);
}

static double summary_table_head(struct kw_pdf *d, const json_t *doc, double y, double ew)
{
	double h = 15, x = SU_LEFT;
	const json_t *ex = json_object_get(doc, "examiners"),
	             *signers = json_object_get(doc, "signers");
	shaded(d, x, y, SU_NO_W, h, 0.92, 0.25);
	cell(d, "顺序号", x, y, SU_NO_W, h, 9.5, 1);
	x += SU_NO_W;
	size_t k;
	json_t *e;
	json_array_foreach(ex, k, e)
	{
		char t[256];
		snprintf(t, sizeof t, "%s %s\n%s", s(e, "code"), s(e, "name"), s(e, "seat"));
		shaded(d, x, y, ew, h, 0.92, 0.25);
		cell(d, t, x, y, ew, h, 8.5, 1);
		x += ew;
	}
	shaded(d, x, y, SU_SC_W, h, 0.92, 0.25);
	cell(d, "面试成绩", x, y, SU_SC_W, h, 9.5, 1);
	x += SU_SC_W;
	for (int i = 0; i < 3; i++, x += SU_SG_W) {
		char t[256];
		snprintf(t, sizeof t, "%s\n（%s）", signoff_head[i], s(signers, signoffs[i]));
		shaded(d, x, y, SU_SG_W, h, 0.92, 0.25);
		cell(d, t, x, y, SU_SG_W, h, 8.5, 1);
	}
	shaded(d, x, y, SU_TK_W, h, 0.92, 0.25);
	cell(d, "准考证号\n（主考官确认后）", x, y, SU_TK_W, h, 8.5, 1);
	return h;
}

/* An examiner's total; a dropped one in grey, struck through and labelled. */
static void total_cell(struct kw_pdf *d, const char *t, const char *dropped, double x, double y,
                       double w, double h)
{
	kw_pdf_box(d, x, y, w, h, 0.25);
	if (!dropped) {
		kw_pdf_text(d, t, x + 0.5, y, w - 1, h,
		            &(struct kw_pdf_font){
		                    .serif = 1, .size = 11, .min_size = 5, .align = KW_PDF_CENTER});
		return;
	}
	char num[64];
	snprintf(num, sizeof num, "(%s)", t);
	grey(d, 0.35);
	kw_pdf_text(d, num, x + 0.5, y + 0.8, w - 1, h * 0.5,
	            &(struct kw_pdf_font){
	                    .serif = 1, .size = 10, .min_size = 5, .align = KW_PDF_CENTER});
	cairo_set_line_width(d->cr, 0.3);
	cairo_move_to(d->cr, x + w * 0.18, y + 0.8 + h * 0.25);
	cairo_line_to(d->cr, x + w * 0.82, y + 0.8 + h * 0.25);
	cairo_stroke(d->cr);
	grey(d, 0);
	kw_pdf_text(d, dropped, x + 0.5, y + h * 0.52, w - 1, h * 0.42,
	            &(struct kw_pdf_font){
	                    .bold = 1, .size = 7.5, .min_size = 5, .align = KW_PDF_CENTER});
}

static void summary_row(struct kw_pdf *d, const json_t *doc, const json_t *r, double y, double ew)
{
	const json_t *signers = json_object_get(doc, "signers");
	size_t ne = json_array_size(json_object_get(doc, "examiners"));
	char no[24];
	snprintf(no, sizeof no, "%lld",
	         (long long)json_integer_value(json_object_get(r, "order_no")));
	double x = SU_LEFT;
	cell(d, no, x, y, SU_NO_W, SU_ROW_H, 12, 1);
	x += SU_NO_W;
	int hidden = json_is_true(json_object_get(r, "hidden"));
	json_int_t hi = json_integer_value(json_object_get(r, "high")),
	           lo = json_integer_value(json_object_get(r, "low"));
	const json_t *tot = json_object_get(r, "totals");
	for (size_t k = 0; k < ne; k++, x += ew) {
		const char *t = json_string_value(json_array_get(tot, k));
		if (hidden)
			cell(d, t ? "已录入" : "未录入", x, y, ew, SU_ROW_H, 8.5, 0);
		else
			total_cell(d, t ? t : "—",
			           (json_int_t)k == hi   ? "去最高"
			           : (json_int_t)k == lo ? "去最低"
			                                 : NULL,
			           x, y, ew, SU_ROW_H);
	}
	const char *score = json_string_value(json_object_get(r, "score"));
	cell(d, score ? score : "未计算", x, y, SU_SC_W, SU_ROW_H, score ? 12 : 9, score != NULL);
	x += SU_SC_W;
	for (int i = 0; i < 3; i++, x += SU_SG_W) {
		const char *at = json_string_value(json_object_get(r, signoffs[i]));
		char t[256];
		if (at)
			snprintf(t, sizeof t, "%s\n%s", s(signers, signoffs[i]), at);
		else
			snprintf(t, sizeof t, "未签");
		cell(d, t, x, y, SU_SG_W, SU_ROW_H, at ? 8.5 : 9.5, 0);
	}
	const char *tk = json_string_value(json_object_get(r, "ticket_no"));
	cell(d, tk ? tk : "未公布", x, y, SU_TK_W, SU_ROW_H, tk ? 10 : 8.5, 0);
}

static int summary(const json_t *doc, struct kw_pdf *d, struct kw_err *err)
{
	const json_t *rows = json_object_get(doc, "rows");
	size_t n = json_array_size(rows), ne = json_array_size(json_object_get(doc, "examiners"));
	double ew = (SU_W - SU_NO_W - SU_SC_W - 3 * SU_SG_W - SU_TK_W) / (double)(ne ? ne : 1);
	if (ew > 24)
		ew = 24;
	int pages = n ? (int)((n + SU_ROWS - 1) / SU_ROWS) : 1, rc = 0;
	size_t k = 0;
	char what[128];
	snprintf(what, sizeof what, "%s 考官组 · 面试成绩汇总表", s(doc, "panel"));
	for (int p = 1; p <= pages; p++) {
		if ((rc = kw_pdf_page(d, KW_PDF_A4_H, KW_PDF_A4_W, err)))
			return rc;
		summary_head(d, doc);
		double y = 47;
		y += summary_table_head(d, doc, y, ew);
		for (int r = 0; r < SU_ROWS && k < n; r++, k++, y += SU_ROW_H)
			summary_row(d, doc, json_array_get(rows, k), y, ew);
		if (!n) {
			kw_pdf_text(d, "顺序号尚未抽签。", SU_LEFT, y + 2, SU_W, 8,
			            &(struct kw_pdf_font){.serif = 1, .size = 11});
			y += 10;
		}
		if (p == pages) {
			y += 3;
			grey(d, 0.25);
			y += kw_pdf_text(d,
			                 "说明：考官总分为各测评要素得分按权重之和；“(…) 去最高 / "
			                 "去最低”为计分方法去掉的"
			                 "最高分、最低分；“已录入 / "
			                 "未录入”：该顺序号尚有考官未录入，各考官分数暂不显示"
			                 "（INT-"
			                 "4）；“未签”：该环节尚未签字。面试成绩由计分员按计分方法计"
			                 "算并签字，经监督员"
			                 "审核签字、主考官确认签字后当场公布（AH "
			                 "65(4)）；准考证号于主考官确认后显示。"
			                 "签字时间为服务器记录的北京时间。",
			                 SU_LEFT, y, SU_W, 16,
			                 &(struct kw_pdf_font){.serif = 1,
			                                       .size = 8.5,
			                                       .wrap = 1,
			                                       .top = 1,
			                                       .line_spacing = 1.15});
			grey(d, 0);
			y += 6;
			if (y > d->h - 22)
				y = d->h - 22;
			kw_pdf_text(d,
			            "计分员：＿＿＿＿＿＿＿　　监督员：＿＿＿＿＿＿＿　　主考官：＿"
			            "＿＿＿＿＿＿",
			            SU_LEFT, y, SU_W, 8,
			            &(struct kw_pdf_font){
			                    .serif = 1, .size = 12, .align = KW_PDF_RIGHT});
		}
		page_number(d, what, p, pages);
		printed(d, doc);
	}
	return rc;
}

/* ==== room plan (考场布置图) ==== */

#define RP_LEFT 20.0
#define RP_W    170.0

/* A labelled seat (a box, shaded g). */
static void seat(struct kw_pdf *d, const char *label, double x, double y, double w, double h,
                 double g, double size)
{
	shaded(d, x, y, w, h, g, 0.4);
	kw_pdf_text(
	        d, label, x + 0.5, y + 0.3, w - 1, h - 0.6,
	        &(struct kw_pdf_font){
	                .bold = 1, .size = size, .min_size = 5, .align = KW_PDF_CENTER, .wrap = 1});
}

/* One room's diagram in the box x, y, RP_W × h. */
static void room_diagram(struct kw_pdf *d, const json_t *room, double x, double y, double h)
{
	char t[512];
	const char *panel = json_string_value(json_object_get(room, "panel"));
	if (panel)
		snprintf(t, sizeof t, "%s 考场　考官组 %s　%s", s(room, "name"), panel,
		         s(room, "positions"));
	else
		snprintf(t, sizeof t, "%s 考场　（考官组待抽签确定）", s(room, "name"));
	kw_pdf_text(d, t, x, y, RP_W, 7,
	            &(struct kw_pdf_font){.bold = 1, .size = 12, .min_size = 7});
	double ry = y + 9, rh = h - 20, rx = x + 5, rw = RP_W - 10;
	/* the walls, with a gap for the door at the bottom right */
	double dx = rx + rw - 30, dw = 16;
	cairo_set_line_width(d->cr, 0.8);
	cairo_move_to(d->cr, dx, ry + rh);
	cairo_line_to(d->cr, rx, ry + rh);
	cairo_line_to(d->cr, rx, ry);
	cairo_line_to(d->cr, rx + rw, ry);
	cairo_line_to(d->cr, rx + rw, ry + rh);
	cairo_line_to(d->cr, dx + dw, ry + rh);
	cairo_stroke(d->cr);
	cairo_set_line_width(d->cr, 0.3);
	cairo_arc(d->cr, dx + dw, ry + rh, dw, 3.14159265358979 * 1.0, 3.14159265358979 * 1.5);
	cairo_stroke(d->cr);
	cairo_set_line_width(d->cr, 0.6); /* the door leaf, open */
	cairo_move_to(d->cr, dx + dw, ry + rh);
	cairo_line_to(d->cr, dx + dw, ry + rh - dw);
	cairo_stroke(d->cr);
	kw_pdf_text(d, "入口（引导员在门外引导考生）", dx - 30, ry + rh + 0.5, 70, 5,
	            &(struct kw_pdf_font){.serif = 1, .size = 8, .align = KW_PDF_CENTER});
	/* the examiners' table along the top: the chief in the middle, the deputy beside, the
	 * other examiners out to both sides */
	json_int_t n = json_integer_value(json_object_get(room, "examiners"));
	if (n < 1)
		n = 1;
	if (n > 15)
		n = 15;
	double gap = 2, sw = (rw - 40 - gap * (double)(n - 1)) / (double)n;
	if (sw > 20)
		sw = 20;
	double total = sw * (double)n + gap * (double)(n - 1), sx = rx + (rw - total) / 2;
	double sy = ry + 6, sh = 11;
	json_int_t mid = (n - 1) / 2;
	for (json_int_t k = 0; k < n; k++) {
		json_int_t off = k - mid; /* seats to the right of the chief (negative: left) */
		const char *label = off == 0 ? "主考官" : off == 1 ? "副主考官" : "考官";
		seat(d, label, sx + (double)k * (sw + gap), sy, sw, sh, off == 0 ? 0.78 : 0.9,
		     off == 0 ? 9.5 : 8.5);
	}
	double ty = sy + sh + 1;
	shaded(d, sx - 4, ty, total + 8, 6, 0.97, 0.3);
	kw_pdf_text(d, "考官席（含主考、副主考）", sx - 4, ty, total + 8, 6,
	            &(struct kw_pdf_font){.serif = 1, .size = 8.5, .align = KW_PDF_CENTER});
	/* the candidate facing them */
	double cw = 26, cx = rx + (rw - cw) / 2, cy = ry + rh * 0.62;
	shaded(d, cx - 2, cy - 7, cw + 4, 5, 0.97, 0.3);
	kw_pdf_text(d, "应试人员桌", cx - 2, cy - 7, cw + 4, 5,
	            &(struct kw_pdf_font){.serif = 1, .size = 7.5, .align = KW_PDF_CENTER});
	seat(d, "应试人员席\n（只报顺序号）", cx, cy, cw, 12, 0.85, 8.5);
	/* the line of sight */
	cairo_set_line_width(d->cr, 0.3);
	double dash[] = {1.2, 1.2};
	cairo_set_dash(d->cr, dash, 2, 0);
	cairo_move_to(d->cr, rx + rw / 2, ty + 6.5);
	cairo_line_to(d->cr, rx + rw / 2, cy - 7.5);
	cairo_stroke(d->cr);
	cairo_set_dash(d->cr, NULL, 0, 0);
	/* the supervisor on the left, the timer and the scorer on the right */
	seat(d, "监督员席", rx + 4, ry + rh * 0.42, 24, 11, 0.9, 9);
	seat(d, "计时员席", rx + rw - 28, ry + rh * 0.34, 24, 10, 0.9, 9);
	seat(d, "计分员席", rx + rw - 28, ry + rh * 0.34 + 12, 24, 10, 0.9, 9);
	kw_pdf_text(d, "工作人员席", rx + rw - 30, ry + rh * 0.34 + 23, 28, 5,
	            &(struct kw_pdf_font){.serif = 1, .size = 7.5, .align = KW_PDF_CENTER});
}

static int room_plan(const json_t *doc, struct kw_pdf *d, struct kw_err *err)
{
	const json_t *rooms = json_object_get(doc, "rooms"),
	             *waiting = json_object_get(doc, "waiting_rooms");
	int rc = kw_pdf_page(d, KW_PDF_A4_W, KW_PDF_A4_H, err);
	if (rc)
		return rc;
	int drawn = json_is_true(json_object_get(doc, "drawn"));
	char t[1024];
	kw_pdf_text(d, "面试考场布置图", RP_LEFT, 16, RP_W, 11,
	            &(struct kw_pdf_font){.bold = 1, .size = 20, .align = KW_PDF_CENTER});
	snprintf(t, sizeof t, "%s　面试日期：%s", s(doc, "exam"), s(doc, "day"));
	kw_pdf_text(d, t, RP_LEFT, 28, RP_W, 7,
	            &(struct kw_pdf_font){
	                    .serif = 1, .size = 11.5, .min_size = 7, .align = KW_PDF_CENTER});
	double y = 40;
	kw_pdf_text(d, "一、面试考场", RP_LEFT, y, RP_W, 7,
	            &(struct kw_pdf_font){.bold = 1, .size = 12});
	y += 8;
	const double cw[4] = {30, 30, 86, 24};
	const char *head[4] = {"考场", "考官组", "职位", "考官人数"};
	double x = RP_LEFT;
	for (int i = 0; i < 4; x += cw[i], i++) {
		shaded(d, x, y, cw[i], 7, 0.92, 0.25);
		cell(d, head[i], x, y, cw[i], 7, 10, 1);
	}
	y += 7;
	size_t k;
	const json_t *r;
	json_array_foreach(rooms, k, r)
	{
		if (y + 7 > d->h - 25) { /* a long list goes on over the page */
			printed(d, doc);
			if ((rc = kw_pdf_page(d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
				return rc;
			y = 20;
		}
		char num[24];
		snprintf(num, sizeof num, "%lld",
		         (long long)json_integer_value(json_object_get(r, "examiners")));
		const char *panel = json_string_value(json_object_get(r, "panel"));
		int spare = json_is_true(json_object_get(r, "spare"));
		const char *v[4] = {s(r, "name"),
		                    panel            ? panel
		                    : drawn && spare ? "备用（未抽中）"
		                                     : "待抽签",
		                    panel ? s(r, "positions") : "", panel ? num : ""};
		x = RP_LEFT;
		for (int i = 0; i < 4; x += cw[i], i++)
			cell(d, v[i], x, y, cw[i], 7, 10, 0);
		y += 7;
	}
	y += 2;
	grey(d, 0.25);
	y += kw_pdf_text(
	        d,
	        drawn ? "考官组所在考场由现场抽签确定（AH 64），抽签结果保密，本图仅限考务"
	                "工作人员使用。"
	              : "考官组所在考场于面试当日现场抽签确定（AH 64），抽签后重新打印本图。",
	        RP_LEFT, y, RP_W, 10,
	        &(struct kw_pdf_font){.serif = 1, .size = 9, .wrap = 1, .top = 1});
	grey(d, 0);
	size_t nw = json_array_size(waiting);
	if (y + 5 + 8 + 7 * (double)((nw ? nw : 2) + 2) + 30 > d->h - 15) {
		printed(d, doc);
		if ((rc = kw_pdf_page(d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
			return rc;
		y = 15;
	}
	y += 5;
	kw_pdf_text(d, "二、候考室及其他场所", RP_LEFT, y, RP_W, 7,
	            &(struct kw_pdf_font){.bold = 1, .size = 12});
	y += 8;
	for (size_t i = 0; i < (nw ? nw : 2); i++, y += 7) {
		const char *w = json_string_value(json_array_get(waiting, i));
		field(d, "候考室", w ? w : "", RP_LEFT, y, 30, RP_W - 30, 7);
	}
	field(d, "考点办公室", "", RP_LEFT, y, 30, RP_W - 30, 7);
	y += 7;
	field(d, "已考人员休息室", "", RP_LEFT, y, 30, RP_W - 30, 7);
	y += 9;
	grey(d, 0.25);
	kw_pdf_text(
	        d,
	        "考点悬挂标志、设置本示意图，实行封闭式管理（AH 60）。应试人员报到后在候考室抽签"
	        "确定顺序号，由引导员按顺序引入考场；候考人员与在考人员、已考人员严格隔离，通讯"
	        "工具关闭并统一存放（AH 66）；与候考人员接触的工作人员及无关人员不得进入面试考场"
	        "或接触面试题本（AH 67）。",
	        RP_LEFT, y, RP_W, 30,
	        &(struct kw_pdf_font){
	                .serif = 1, .size = 9.5, .wrap = 1, .top = 1, .line_spacing = 1.2});
	grey(d, 0);
	printed(d, doc);
	/* the diagrams, two a page */
	int slot = 2;
	json_array_foreach(rooms, k, r)
	{
		if (drawn && json_is_true(json_object_get(r, "spare")))
			continue;
		if (slot == 2) {
			if ((rc = kw_pdf_page(d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
				return rc;
			kw_pdf_text(d, "面试考场座位示意图（AH 61）", RP_LEFT, 12, RP_W, 8,
			            &(struct kw_pdf_font){
			                    .bold = 1, .size = 13, .align = KW_PDF_CENTER});
			printed(d, doc);
			slot = 0;
		}
		room_diagram(d, r, RP_LEFT, 24 + slot * 133.0, 125);
		slot++;
	}
	return rc;
}

/* ==== entry points ==== */

typedef int (*draw_fn)(const json_t *doc, struct kw_pdf *d, struct kw_err *err);

static int render(const json_t *doc, const char *title, draw_fn fn, struct kw_buf *out,
                  struct kw_err *err)
{
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, title, err);
	if (rc)
		return rc;
	cairo_set_source_rgb(d.cr, 0, 0, 0);
	rc = fn(doc, &d, err);
	if (rc) {
		kw_pdf_abort(&d);
		return rc;
	}
	return kw_pdf_close(&d, err);
}

static int check(const json_t *doc, const char *const *arrays, struct kw_err *err)
{
	if (!json_is_object(doc))
		return invalid(err, "not a JSON object");
	for (; *arrays; arrays++)
		if (!json_is_array(json_object_get(doc, *arrays)))
			return invalid(err, *arrays);
	return 0;
}

static const char *const sheet_arrays[] = {"dimensions", "sheets", NULL};
static const char *const summary_arrays[] = {"examiners", "rows", NULL};
static const char *const plan_arrays[] = {"rooms", "waiting_rooms", NULL};

int kw_iv_score_sheets_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	int rc = check(doc, sheet_arrays, err);
	return rc ? rc : render(doc, "面试评分表", score_sheets, out, err);
}

int kw_iv_summary_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	int rc = check(doc, summary_arrays, err);
	return rc ? rc : render(doc, "面试成绩汇总表", summary, out, err);
}

int kw_iv_room_plan_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	int rc = check(doc, plan_arrays, err);
	return rc ? rc : render(doc, "面试考场布置图", room_plan, out, err);
}

struct isolated {
	const json_t *doc;
	int (*fn)(const json_t *doc, struct kw_buf *out, struct kw_err *err);
};

static int render_child(void *arg, struct kw_buf *out, struct kw_err *err)
{
	const struct isolated *a = arg;
	return a->fn(a->doc, out, err);
}

static int isolated(const json_t *doc, const char *const *arrays,
                    int (*fn)(const json_t *, struct kw_buf *, struct kw_err *), struct kw_buf *out,
                    struct kw_err *err)
{
	int rc = check(doc, arrays, err);
	struct isolated a = {doc, fn};
	return rc ? rc : kw_render_isolated(render_child, &a, out, err);
}

int kw_iv_score_sheets_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	return isolated(doc, sheet_arrays, kw_iv_score_sheets_pdf, out, err);
}

int kw_iv_summary_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	return isolated(doc, summary_arrays, kw_iv_summary_pdf, out, err);
}

int kw_iv_room_plan_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	return isolated(doc, plan_arrays, kw_iv_room_plan_pdf, out, err);
}
