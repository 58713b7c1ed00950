/* Histograms and the XLSX report of an item analysis: see analysis.h. */
#include "render/analysis.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "render/pdf.h"

/* ---- histograms ---- */

#define HEAD       56.0
#define ONE_W      800.0
#define ONE_H      404.0
#define MANY_W     400.0
#define MANY_H     280.0
#define PANEL_COLS 3

void kw_render_histogram_size(size_t n, int *w, int *h)
{
	if (n <= 1) {
		*w = (int)ONE_W;
		*h = (int)(HEAD + ONE_H);
		return;
	}
	size_t cols = n < PANEL_COLS ? n : PANEL_COLS, rows = (n + PANEL_COLS - 1) / PANEL_COLS;
	*w = (int)(cols * MANY_W);
	*h = (int)(HEAD + rows * MANY_H);
}

struct pic {
	cairo_t *cr;
	PangoContext *pc;
};

/* Text at x, y (its top-left; align 1 centres on x, 2 ends at x) in px. */
static void text(struct pic *p, const char *s, double x, double y, double size, int bold, int align,
                 double maxw)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, KW_PDF_SANS);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, s ? s : "", -1);
	if (maxw > 0) {
		pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	int w, h;
	pango_layout_get_pixel_size(l, &w, &h);
	if (align == 1)
		x -= w / 2.0;
	else if (align == 2)
		x -= w;
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

/* The smallest 1, 2 or 5 × 10^k at least v (v > 0). */
static double nice_step(double v)
{
	double p = pow(10, floor(log10(v)));
	for (int i = 0; i < 3; i++) {
		double s = (double[]){1, 2, 5}[i] * p;
		if (s >= v - 1e-9)
			return s;
	}
	return 10 * p;
}

static void fmt_num(double v, char *out, size_t n)
{
	snprintf(out, n, "%.2f", v);
	char *e = out + strlen(out) - 1; /* no trailing zeros: 12.50 → 12.5, 12.00 → 12 */
	while (e > out && *e == '0')
		*e-- = '\0';
	if (e > out && *e == '.')
		*e = '\0';
}

static void draw_panel(struct pic *p, const json_t *panel, double x0, double y0, double pw,
                       double ph, const char *xl, const char *yl, int en)
{
	cairo_t *cr = p->cr;
	const json_t *d = json_object_get(panel, "distribution");
	const json_t *bins = json_object_get(d, "bins");
	size_t nb = json_array_size(bins);
	cairo_set_source_rgb(cr, 0.8, 0.82, 0.86);
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, x0 + 4.5, y0 + 4.5, pw - 9, ph - 9);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.1, 0.12, 0.16);
	text(p, json_string_value(json_object_get(panel, "title")), x0 + 14, y0 + 10, 14, 1, 0,
	     pw - 28);
	char sub[200], m[32], s[32];
	json_int_t n = json_integer_value(json_object_get(d, "n"));
	if (n) {
		fmt_num(json_number_value(json_object_get(d, "mean")), m, sizeof m);
		fmt_num(json_number_value(json_object_get(d, "sd")), s, sizeof s);
		snprintf(sub, sizeof sub,
		         en ? "n = %lld · mean %s · sd %s" : "%lld 人 · 平均 %s · 标准差 %s",
		         (long long)n, m, s);
	} else {
		snprintf(sub, sizeof sub, "%s", en ? "no candidates" : "没有考生");
	}
	cairo_set_source_rgb(cr, 0.35, 0.38, 0.44);
	text(p, sub, x0 + 14, y0 + 30, 11, 0, 0, pw - 28);
	double left = x0 + 56, right = x0 + pw - 18, top = y0 + 76, bottom = y0 + ph - 42;
	double maxc = 0;
	for (size_t b = 0; b < nb; b++) {
		double c = (double)json_integer_value(
		        json_object_get(json_array_get(bins, b), "count"));
		maxc = c > maxc ? c : maxc;
	}
	double step = nice_step(maxc > 0 ? maxc / 5 : 1);
	if (step < 1)
		step = 1;
	double ymax = ceil((maxc > 0 ? maxc : 1) / step) * step;
	/* grid lines and count labels */
	for (double v = 0; v <= ymax + 1e-9; v += step) {
		double y = bottom - (bottom - top) * v / ymax;
		cairo_set_source_rgb(cr, 0.9, 0.91, 0.93);
		cairo_move_to(cr, left, floor(y) + 0.5);
		cairo_line_to(cr, right, floor(y) + 0.5);
		cairo_stroke(cr);
		char t[32];
		snprintf(t, sizeof t, "%.0f", v);
		cairo_set_source_rgb(cr, 0.35, 0.38, 0.44);
		text(p, t, left - 6, y - 7, 10, 0, 2, 0);
	}
	/* the bars */
	double bw = nb ? (right - left) / (double)nb : 0;
	cairo_set_source_rgb(cr, 0.20, 0.42, 0.70);
	for (size_t b = 0; b < nb; b++) {
		double c = (double)json_integer_value(
		        json_object_get(json_array_get(bins, b), "count"));
		if (c <= 0)
			continue;
		double h = (bottom - top) * c / ymax;
		cairo_rectangle(cr, left + b * bw + 0.5, bottom - h, bw > 2 ? bw - 1 : bw, h);
	}
	cairo_fill(cr);
	/* the axes and the bins' edges */
	cairo_set_source_rgb(cr, 0.35, 0.38, 0.44);
	cairo_move_to(cr, left, bottom + 0.5);
	cairo_line_to(cr, right, bottom + 0.5);
	cairo_move_to(cr, left - 0.5, top);
	cairo_line_to(cr, left - 0.5, bottom);
	cairo_stroke(cr);
	size_t every = 1;
	while (nb && (right - left) / ((double)nb / (double)every) < 34)
		every++;
	for (size_t b = 0; b <= nb; b += every) {
		const json_t *bin = json_array_get(bins, b < nb ? b : nb - 1);
		double v = json_number_value(json_object_get(bin, b < nb ? "from" : "to"));
		char t[32];
		fmt_num(v, t, sizeof t);
		double x = left + b * bw;
		cairo_move_to(cr, x, bottom);
		cairo_line_to(cr, x, bottom + 4);
		cairo_stroke(cr);
		text(p, t, x, bottom + 6, 10, 0, 1, 0);
		if (b + every > nb && b != nb) { /* the last edge: the full score */
			const json_t *last = json_array_get(bins, nb - 1);
			fmt_num(json_number_value(json_object_get(last, "to")), t, sizeof t);
			cairo_move_to(cr, right, bottom);
			cairo_line_to(cr, right, bottom + 4);
			cairo_stroke(cr);
			if (right - x > 26)
				text(p, t, right, bottom + 6, 10, 0, 1, 0);
		}
	}
	text(p, xl, (left + right) / 2, bottom + 22, 11, 0, 1, 0);
	text(p, yl, x0 + 14, top - 20, 11, 0, 0, 0);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return kw_buf_add(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int kw_render_histogram(const json_t *doc, int png, struct kw_buf *out, struct kw_err *err)
{
	const json_t *panels = json_object_get(doc, "panels");
	size_t n = json_array_size(panels);
	int W, H;
	kw_render_histogram_size(n, &W, &H);
	kw_pdf_fonts();
	cairo_surface_t *sf = png ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H)
	                          : cairo_svg_surface_create_for_stream(to_buf, out, W, H);
	if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(sf);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "cairo: cannot make a surface");
	}
	if (!png)
		cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PX);
	struct pic p = {.cr = cairo_create(sf)};
	p.pc = pango_cairo_create_context(p.cr);
	pango_context_set_language(p.pc, pango_language_from_string("zh-cn"));
	cairo_set_source_rgb(p.cr, 1, 1, 1);
	cairo_paint(p.cr);
	const char *lang = json_string_value(json_object_get(doc, "lang"));
	int en = lang && strcmp(lang, "en") == 0;
	cairo_set_source_rgb(p.cr, 0.1, 0.12, 0.16);
	text(&p, json_string_value(json_object_get(doc, "title")), 16, 16, 18, 1, 0, W - 32);
	const char *xl = json_string_value(json_object_get(doc, "x_label"));
	const char *yl = json_string_value(json_object_get(doc, "y_label"));
	if (n <= 1) {
		draw_panel(&p, json_array_get(panels, 0), 0, HEAD, ONE_W, ONE_H, xl, yl, en);
	} else {
		for (size_t i = 0; i < n; i++)
			draw_panel(&p, json_array_get(panels, i), (double)(i % PANEL_COLS) * MANY_W,
			           HEAD + (double)(i / PANEL_COLS) * MANY_H, MANY_W, MANY_H, xl, yl,
			           en);
	}
	g_object_unref(p.pc);
	cairo_destroy(p.cr);
	cairo_status_t st = CAIRO_STATUS_SUCCESS;
	if (png)
		st = cairo_surface_write_to_png_stream(sf, to_buf, out);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cairo: %s",
		                  cairo_status_to_string(st));
	return 0;
}

/* ---- the workbook ---- */

struct book {
	lxw_workbook *wb;
	lxw_format *bold, *pct, *dec;
	int en;
};

/* A header row; returns the sheet. */
static lxw_worksheet *sheet(struct book *b, const char *zh, const char *en, const char *const *hz,
                            const char *const *he, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, b->en ? en : zh);
	for (size_t c = 0; c < n; c++) {
		const char *h = b->en ? he[c] : hz[c];
		worksheet_write_string(ws, 0, (lxw_col_t)c, h, b->bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, strlen(h) > 10 ? 16 : 12,
		                     NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	return ws;
}

/* v into the cell: text, a number (with format f), or nothing for null. */
static void cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const json_t *v, lxw_format *f)
{
	if (json_is_string(v))
		worksheet_write_string(ws, r, c, json_string_value(v), NULL);
	else if (json_is_number(v))
		worksheet_write_number(ws, r, c, json_number_value(v), f);
	else if (json_is_boolean(v))
		worksheet_write_boolean(ws, r, c, json_is_true(v), NULL);
}

static const json_t *choice(const json_t *item, const char *option)
{
	size_t i;
	const json_t *ch;
	json_array_foreach(json_object_get(item, "choices"), i, ch)
	{
		if (strcmp(json_string_value(json_object_get(ch, "option")), option) == 0)
			return ch;
	}
	return NULL;
}

static void summary_sheet(struct book *b, const json_t *doc)
{
	static const char *const hz[] = {"项目", "值"}, *const he[] = {"Item", "Value"};
	lxw_worksheet *ws = sheet(b, "概要", "Summary", hz, he, 2);
	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 1, 36, NULL);
	const json_t *rel = json_object_get(doc, "reliability");
	const json_t *sj = json_object_get(doc, "subject");
	char subject[400];
	snprintf(subject, sizeof subject, "%s %s", json_string_value(json_object_get(sj, "code")),
	         json_string_value(json_object_get(sj, "name")));
	json_t *subj = json_string(subject);
	struct {
		const char *zh, *en;
		const json_t *v;
	} rows[] = {
	        {"考试编号", "Exam id", json_object_get(doc, "exam_id")},
	        {"科目", "Subject", subj},
	        {"评分编号", "Score run", json_object_get(doc, "run_id")},
	        {"评分时间", "Run at", json_object_get(doc, "run_created_at")},
	        {"应考人数", "Candidates", json_object_get(doc, "candidates")},
	        {"已评分", "Scored", json_object_get(doc, "scored")},
	        {"缺考", "Absent", json_object_get(doc, "absent")},
	        {"零分（处理决定）", "Zeroed (decisions)", json_object_get(doc, "zeroed")},
	        {"成绩无效", "Cancelled", json_object_get(doc, "cancelled")},
	        {"分析答卷数", "Sheets analysed", json_object_get(doc, "sheets")},
	        {"满分", "Full marks", json_object_get(doc, "max_points")},
	        {"题数", "Items", json_object_get(rel, "items")},
	        {"Cronbach α 系数", "Cronbach's alpha", json_object_get(rel, "alpha")},
	        {"KR-20 系数", "KR-20", json_object_get(rel, "kr20")},
	        {"测量标准误", "Standard error of measurement", json_object_get(rel, "sem")},
	        {"答卷库与评分时一致", "Answers as at the run",
	         json_object_get(doc, "answers_current")},
	        {"总分与评分不一致", "Totals differing from the run",
	         json_object_get(doc, "totals_differ")},
	        {"含答案", "Key included", json_object_get(doc, "key_included")},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, b->en ? rows[i].en : rows[i].zh,
		                       NULL);
		cell(ws, (lxw_row_t)(i + 1), 1, rows[i].v, NULL);
	}
	json_decref(subj);
}

static void items_sheet(struct book *b, const json_t *doc, int key)
{
	static const char *const hz[] = {"题号",   "题型",     "选项数",     "分值",   "人数",
	                                 "难度",   "平均得分", "标准差",     "区分度", "满分人数",
	                                 "空白率", "多涂率",   "无法识别率", "标记",   "答案"},
	                         *const he[] = {"Item",
	                                        "Kind",
	                                        "Options",
	                                        "Points",
	                                        "N",
	                                        "Difficulty",
	                                        "Mean",
	                                        "SD",
	                                        "Discrimination",
	                                        "Full marks",
	                                        "Blank rate",
	                                        "Multiple-mark rate",
	                                        "Unreadable rate",
	                                        "Flags",
	                                        "Key"};
	lxw_worksheet *ws = sheet(b, "题目分析", "Items", hz, he, key ? 15 : 14);
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(doc, "items"), i, it)
	{
		lxw_row_t r = (lxw_row_t)(i + 1);
		cell(ws, r, 0, json_object_get(it, "item"), NULL);
		cell(ws, r, 1, json_object_get(it, "kind"), NULL);
		cell(ws, r, 2, json_object_get(it, "options"), NULL);
		cell(ws, r, 3, json_object_get(it, "points"), NULL);
		cell(ws, r, 4, json_object_get(it, "n"), NULL);
		cell(ws, r, 5, json_object_get(it, "p"), b->dec);
		cell(ws, r, 6, json_object_get(it, "mean"), b->dec);
		cell(ws, r, 7, json_object_get(it, "sd"), b->dec);
		cell(ws, r, 8, json_object_get(it, "discrimination"), b->dec);
		cell(ws, r, 9, json_object_get(it, "full"), NULL);
		static const char *const cls[] = {"blank", "multiple", "invalid"};
		for (int c = 0; c < 3; c++) {
			const json_t *ch = choice(it, cls[c]);
			if (ch)
				cell(ws, r, (lxw_col_t)(10 + c), json_object_get(ch, "rate"),
				     b->pct);
		}
		char flags[128] = "";
		size_t q;
		const json_t *f;
		json_array_foreach(json_object_get(it, "flags"), q, f)
		{
			const char *v = json_string_value(f);
			const char *zh = strcmp(v, "hard") == 0   ? "偏难"
			                 : strcmp(v, "easy") == 0 ? "偏易"
			                                          : "区分度低";
			snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%s%s",
			         q ? (b->en ? ", " : "、") : "", b->en ? v : zh);
		}
		worksheet_write_string(ws, r, 13, flags, NULL);
		if (key)
			cell(ws, r, 14, json_object_get(it, "key"), NULL);
	}
}

static void options_sheet(struct book *b, const json_t *doc, int key)
{
	static const char *const hz[] = {"题号",   "选项",       "人数",
	                                 "选择率", "点二列相关", "正确选项"},
	                         *const he[] = {"Item", "Option",         "N",
	                                        "Rate", "Point-biserial", "Correct"};
	lxw_worksheet *ws = sheet(b, "选项分析", "Options", hz, he, key ? 6 : 5);
	lxw_row_t r = 1;
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(doc, "items"), i, it)
	{
		size_t q;
		const json_t *ch;
		json_array_foreach(json_object_get(it, "choices"), q, ch)
		{
			const char *o = json_string_value(json_object_get(ch, "option"));
			const char *label = o;
			if (!b->en && strcmp(o, "blank") == 0)
				label = "未作答";
			else if (!b->en && strcmp(o, "multiple") == 0)
				label = "多涂";
			else if (!b->en && strcmp(o, "invalid") == 0)
				label = "无法识别";
			cell(ws, r, 0, json_object_get(it, "item"), NULL);
			worksheet_write_string(ws, r, 1, label, NULL);
			cell(ws, r, 2, json_object_get(ch, "count"), NULL);
			cell(ws, r, 3, json_object_get(ch, "rate"), b->pct);
			cell(ws, r, 4, json_object_get(ch, "pb"), b->dec);
			if (key)
				cell(ws, r, 5, json_object_get(ch, "correct"), NULL);
			r++;
		}
	}
}

/* The distributions: the subject's, then each area's and centre's. */
static void dist_sheets(struct book *b, const json_t *doc)
{
	static const char *const hz[] = {"范围",   "代码",       "名称",   "人数", "平均分",
	                                 "标准差", "最低分",     "最高分", "P5",   "P10",
	                                 "P25",    "P50 中位数", "P75",    "P90",  "P95"},
	                         *const he[] = {"Scope", "Code",       "Name", "N",   "Mean",
	                                        "SD",    "Min",        "Max",  "P5",  "P10",
	                                        "P25",   "P50 median", "P75",  "P90", "P95"};
	static const char *const bz[] = {"范围", "代码", "名称", "分数下限", "分数上限", "人数"},
	                         *const be[] = {"Scope", "Code", "Name", "From", "To", "N"};
	lxw_worksheet *ws = sheet(b, "分数分布", "Distributions", hz, he, 15);
	lxw_worksheet *wb = sheet(b, "分数段", "Histogram bins", bz, be, 6);
	worksheet_set_column(ws, 2, 2, 28, NULL);
	worksheet_set_column(wb, 2, 2, 28, NULL);
	static const char *const qn[] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};
	lxw_row_t r = 1, rb = 1;
	const json_t *sj = json_object_get(doc, "subject");
	for (int scope = 0; scope < 3; scope++) {
		const json_t *list = scope == 1 ? json_object_get(doc, "areas")
		                                : json_object_get(doc, "centres");
		size_t count = scope == 0 ? 1 : json_array_size(list);
		const char *sname = scope == 0   ? (b->en ? "subject" : "科目")
		                    : scope == 1 ? (b->en ? "area" : "考区")
		                                 : (b->en ? "centre" : "考点");
		for (size_t g = 0; g < count; g++) {
			const json_t *grp = scope == 0 ? sj : json_array_get(list, g);
			const json_t *d = scope == 0 ? json_object_get(doc, "distribution")
			                             : json_object_get(grp, "distribution");
			worksheet_write_string(ws, r, 0, sname, NULL);
			cell(ws, r, 1, json_object_get(grp, "code"), NULL);
			cell(ws, r, 2, json_object_get(grp, "name"), NULL);
			cell(ws, r, 3, json_object_get(d, "n"), NULL);
			cell(ws, r, 4, json_object_get(d, "mean"), b->dec);
			cell(ws, r, 5, json_object_get(d, "sd"), b->dec);
			cell(ws, r, 6, json_object_get(d, "min"), NULL);
			cell(ws, r, 7, json_object_get(d, "max"), NULL);
			for (int q = 0; q < 7; q++)
				cell(ws, r, (lxw_col_t)(8 + q),
				     json_object_get(json_object_get(d, "quantiles"), qn[q]), NULL);
			r++;
			size_t k;
			const json_t *bin;
			json_array_foreach(json_object_get(d, "bins"), k, bin)
			{
				worksheet_write_string(wb, rb, 0, sname, NULL);
				cell(wb, rb, 1, json_object_get(grp, "code"), NULL);
				cell(wb, rb, 2, json_object_get(grp, "name"), NULL);
				cell(wb, rb, 3, json_object_get(bin, "from"), NULL);
				cell(wb, rb, 4, json_object_get(bin, "to"), NULL);
				cell(wb, rb, 5, json_object_get(bin, "count"), NULL);
				rb++;
			}
		}
	}
}

static int read_back(const char *path, char **out, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	char chunk[65536];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		kw_buf_add(&b, chunk, r);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		kw_buf_release(&b);
		return -1;
	}
	*out = kw_buf_detach(&b, n);
	return 0;
}

int kw_render_analysis_xlsx(const json_t *doc, int en, char **out, size_t *n, struct kw_err *err)
{
	*out = NULL;
	*n = 0;
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/kaowu-analysis-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "cannot create a temporary file");
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	struct book b = {.wb = workbook_new_opt(path, &opt), .en = en};
	if (!b.wb) {
		unlink(path);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot start a workbook");
	}
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	b.pct = workbook_add_format(b.wb);
	format_set_num_format(b.pct, "0.0%");
	b.dec = workbook_add_format(b.wb);
	format_set_num_format(b.dec, "0.000");
	int key = json_is_true(json_object_get(doc, "key_included"));
	summary_sheet(&b, doc);
	items_sheet(&b, doc, key);
	options_sheet(&b, doc, key);
	dist_sheets(&b, doc);
	lxw_error e = workbook_close(b.wb);
	int rc = 0;
	if (e != LXW_NO_ERROR)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "xlsx: %s", lxw_strerror(e));
	if (!rc && read_back(path, out, n) != 0)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                "cannot read the workbook back");
	unlink(path);
	return rc;
}
