/* The evidence dossier of a similar-answer flag: see dossier.h. */
#include "render/dossier.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/pdf.h"

#define PAGE_W KW_PDF_A4_W
#define PAGE_H KW_PDF_A4_H
#define LEFT   18.0
#define RIGHT  (PAGE_W - 18.0)
#define BOTTOM (PAGE_H - 20.0)
#define ROW_H  6.2
#define LINE_H 6.0
#define CELL   3.4 /* the strip's cell, mm */
#define PER    50  /* items on a strip line */

struct doc {
	struct kw_pdf pdf;
	double y;
	int page;
	const struct kw_dossier *d;
};

static int new_page(struct doc *x, struct kw_err *err)
{
	int rc = kw_pdf_page(&x->pdf, PAGE_W, PAGE_H, err);
	if (rc)
		return rc;
	x->page++;
	x->y = 18;
	cairo_t *cr = x->pdf.cr;
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	const struct kw_pdf_font small = {.size = 8, .align = KW_PDF_RIGHT};
	char foot[64];
	snprintf(foot, sizeof foot, "第 %d 页", x->page);
	kw_pdf_text(&x->pdf, foot, LEFT, PAGE_H - 14, RIGHT - LEFT, 5, &small);
	const struct kw_pdf_font mark = {.size = 8};
	kw_pdf_text(&x->pdf, "机密 · 仅供阅卷专家组", LEFT, PAGE_H - 14, 80, 5, &mark);
	cairo_set_source_rgb(cr, 0, 0, 0);
	return 0;
}

/* Room for h more mm on this page, else a new one. */
static int need(struct doc *x, double h, struct kw_err *err)
{
	return x->y + h > BOTTOM ? new_page(x, err) : 0;
}

static void rule_line(struct doc *x)
{
	cairo_t *cr = x->pdf.cr;
	cairo_set_line_width(cr, 0.3);
	cairo_move_to(cr, LEFT, x->y);
	cairo_line_to(cr, RIGHT, x->y);
	cairo_stroke(cr);
}

static void section(struct doc *x, const char *title)
{
	const struct kw_pdf_font f = {.bold = 1, .size = 11.5};
	kw_pdf_text(&x->pdf, title, LEFT, x->y, RIGHT - LEFT, 7, &f);
	x->y += 7.5;
}

static int draw_rows(struct doc *x, struct kw_err *err)
{
	const struct kw_dossier *d = x->d;
	const struct kw_pdf_font lf = {.size = 9.5, .min_size = 7};
	const struct kw_pdf_font vf = {.serif = 1, .size = 10, .min_size = 7};
	for (size_t i = 0; i < d->nrows; i++) {
		const char *v = d->values[i] ? d->values[i] : "";
		if (strlen(v) > 90) { /* a long value wraps under its label, unshaded */
			int rc = need(x, 4 * ROW_H, err);
			if (rc)
				return rc;
			const struct kw_pdf_font wf = {.serif = 1, .size = 9, .wrap = 1, .top = 1};
			kw_pdf_text(&x->pdf, d->labels[i], LEFT + 2, x->y, 70, ROW_H, &lf);
			double used = kw_pdf_text(&x->pdf, v, LEFT + 74, x->y + 1,
			                          RIGHT - LEFT - 76, BOTTOM - x->y - 1, &wf);
			x->y += (used + 2 > ROW_H ? used + 2 : ROW_H);
			continue;
		}
		int rc = need(x, ROW_H, err);
		if (rc)
			return rc;
		if (i % 2 == 0) {
			cairo_set_source_rgb(x->pdf.cr, 0.95, 0.95, 0.95);
			cairo_rectangle(x->pdf.cr, LEFT, x->y, RIGHT - LEFT, ROW_H);
			cairo_fill(x->pdf.cr);
			cairo_set_source_rgb(x->pdf.cr, 0, 0, 0);
		}
		kw_pdf_text(&x->pdf, d->labels[i], LEFT + 2, x->y, 70, ROW_H, &lf);
		kw_pdf_text(&x->pdf, d->values[i], LEFT + 74, x->y, RIGHT - LEFT - 76, ROW_H, &vf);
		x->y += ROW_H;
	}
	x->y += 4;
	return 0;
}

static int draw_table(struct doc *x, struct kw_err *err)
{
	const struct kw_dossier *d = x->d;
	if (!d->ncols)
		return 0;
	double cw = (RIGHT - LEFT) / (double)d->ncols;
	const struct kw_pdf_font hf = {.bold = 1, .size = 9, .min_size = 6, .align = KW_PDF_CENTER};
	const struct kw_pdf_font cf = {
	        .serif = 1, .size = 9.5, .min_size = 6, .align = KW_PDF_CENTER};
	for (size_t r = 0; r <= d->nlines; r++) {
		int rc = need(x, LINE_H, err);
		if (rc)
			return rc;
		for (size_t k = 0; k < d->ncols; k++) {
			double cx = LEFT + cw * (double)k;
			if (r == 0) {
				cairo_set_source_rgb(x->pdf.cr, 0.88, 0.88, 0.88);
				cairo_rectangle(x->pdf.cr, cx, x->y, cw, LINE_H);
				cairo_fill(x->pdf.cr);
				cairo_set_source_rgb(x->pdf.cr, 0, 0, 0);
			}
			kw_pdf_box(&x->pdf, cx, x->y, cw, LINE_H, 0.2);
			const char *t = r == 0 ? d->heads[k] : d->cells[(r - 1) * d->ncols + k];
			kw_pdf_text(&x->pdf, t, cx + 1, x->y, cw - 2, LINE_H, r == 0 ? &hf : &cf);
		}
		x->y += LINE_H;
	}
	x->y += 5;
	return 0;
}

/* The item strip: PER cells a line, a tick with the item's number every ten. */
static int draw_strip(struct doc *x, struct kw_err *err)
{
	const struct kw_dossier *d = x->d;
	if (!d->nstrip)
		return 0;
	cairo_t *cr = x->pdf.cr;
	const struct kw_pdf_font nf = {.size = 6, .align = KW_PDF_CENTER};
	for (size_t at = 0; at < d->nstrip; at += PER) {
		int rc = need(x, CELL + 6, err);
		if (rc)
			return rc;
		for (size_t i = at; i < d->nstrip && i < at + PER; i++) {
			double cx = LEFT + CELL * (double)(i - at);
			char c = d->strip[i];
			if (c == 'W')
				cairo_set_source_rgb(cr, 0.80, 0.10, 0.10);
			else if (c == 'C')
				cairo_set_source_rgb(cr, 0.62, 0.62, 0.62);
			else
				cairo_set_source_rgb(cr, 1, 1, 1);
			cairo_rectangle(cr, cx, x->y, CELL, CELL);
			cairo_fill(cr);
			if (c == '-') { /* an omit: hatched */
				cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
				cairo_set_line_width(cr, 0.15);
				cairo_move_to(cr, cx, x->y + CELL);
				cairo_line_to(cr, cx + CELL, x->y);
				cairo_stroke(cr);
			}
			cairo_set_source_rgb(cr, 0, 0, 0);
			kw_pdf_box(&x->pdf, cx, x->y, CELL, CELL, 0.12);
			if (i == at || (i + 1) % 10 == 0) {
				char num[16];
				snprintf(num, sizeof num, "%d",
				         d->strip_numbers ? d->strip_numbers[i] : (int)i + 1);
				kw_pdf_text(&x->pdf, num, cx - 2, x->y + CELL + 0.3, CELL + 4, 3,
				            &nf);
			}
		}
		x->y += CELL + 5;
	}
	/* the legend's swatches */
	int rc = need(x, 12, err);
	if (rc)
		return rc;
	static const struct {
		double r, g, b;
		const char *what;
	} sw[] = {{0.80, 0.10, 0.10, "相同错误作答"},
	          {0.62, 0.62, 0.62, "相同正确作答"},
	          {1, 1, 1, "作答不同"}};
	const struct kw_pdf_font lf = {.size = 8.5};
	double lx = LEFT;
	for (size_t k = 0; k < sizeof sw / sizeof sw[0]; k++) {
		cairo_set_source_rgb(cr, sw[k].r, sw[k].g, sw[k].b);
		cairo_rectangle(cr, lx, x->y + 1, CELL, CELL);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		kw_pdf_box(&x->pdf, lx, x->y + 1, CELL, CELL, 0.12);
		kw_pdf_text(&x->pdf, sw[k].what, lx + CELL + 1.5, x->y, 30, 5.4, &lf);
		lx += 36;
	}
	kw_pdf_box(&x->pdf, lx, x->y + 1, CELL, CELL, 0.12);
	cairo_set_line_width(cr, 0.15);
	cairo_move_to(cr, lx, x->y + 1 + CELL);
	cairo_line_to(cr, lx + CELL, x->y + 1);
	cairo_stroke(cr);
	kw_pdf_text(&x->pdf, "未作答", lx + CELL + 1.5, x->y, 30, 5.4, &lf);
	x->y += 7;
	if (d->legend) {
		const struct kw_pdf_font tf = {.size = 8.5, .wrap = 1, .top = 1};
		x->y += kw_pdf_text(&x->pdf, d->legend, LEFT, x->y, RIGHT - LEFT, 20, &tf) + 3;
	}
	return 0;
}

static int check(const struct kw_dossier *d, struct kw_err *err)
{
	if (!d || !d->title || !*d->title || d->nrows > KW_DOSSIER_MAX_ROWS ||
	    d->ncols > KW_DOSSIER_MAX_COLS || d->nlines * d->ncols > KW_DOSSIER_MAX_CELLS ||
	    d->nstrip > KW_DOSSIER_MAX_STRIP || (d->nstrip && !d->strip) ||
	    (d->nrows && (!d->labels || !d->values)) ||
	    (d->ncols && (!d->heads || (d->nlines && !d->cells))))
		return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
		                  "a dossier needs a title and fits its limits");
	return 0;
}

int kw_dossier_pdf(const struct kw_dossier *d, struct kw_buf *out, struct kw_err *err)
{
	int rc = check(d, err);
	if (rc)
		return rc;
	struct doc x = {.d = d};
	rc = kw_pdf_open(&x.pdf, out, d->title, err);
	if (rc)
		return rc;
	rc = new_page(&x, err);
	if (!rc) {
		const struct kw_pdf_font tf = {
		        .bold = 1, .size = 16, .align = KW_PDF_CENTER, .min_size = 10};
		kw_pdf_text(&x.pdf, d->title, LEFT, x.y, RIGHT - LEFT, 10, &tf);
		x.y += 11;
		const struct kw_pdf_font sf = {
		        .serif = 1, .size = 10.5, .align = KW_PDF_CENTER, .min_size = 7};
		if (d->subtitle) {
			kw_pdf_text(&x.pdf, d->subtitle, LEFT, x.y, RIGHT - LEFT, 6, &sf);
			x.y += 6.5;
		}
		if (d->heading) {
			const struct kw_pdf_font hf = {
			        .size = 8.5, .align = KW_PDF_CENTER, .min_size = 6};
			kw_pdf_text(&x.pdf, d->heading, LEFT, x.y, RIGHT - LEFT, 5, &hf);
			x.y += 6;
		}
		rule_line(&x);
		x.y += 4;
	}
	if (!rc && d->ncols) {
		section(&x, "一、当事答卷（仅列准考证号）");
		rc = draw_table(&x, err);
	}
	if (!rc && d->nrows) {
		rc = need(&x, 20, err);
		if (!rc) {
			section(&x, d->ncols ? "二、统计指标" : "一、统计指标");
			rc = draw_rows(&x, err);
		}
	}
	if (!rc && d->nstrip) {
		rc = need(&x, 24, err);
		if (!rc) {
			section(&x, d->strip_title ? d->strip_title : "逐题比对");
			rc = draw_strip(&x, err);
		}
	}
	if (!rc && d->note) {
		rc = need(&x, 24, err);
		if (!rc) {
			x.y += 2;
			rule_line(&x);
			x.y += 2;
			const struct kw_pdf_font nf = {.serif = 1, .size = 9, .wrap = 1, .top = 1};
			x.y += kw_pdf_text(&x.pdf, d->note, LEFT, x.y, RIGHT - LEFT, 40, &nf);
		}
	}
	if (rc) {
		kw_pdf_abort(&x.pdf);
		return rc;
	}
	return kw_pdf_close(&x.pdf, err);
}
