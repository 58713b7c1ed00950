#include "render/centre.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/pdf.h"

/* Pages, in mm: portrait A4 with 15 mm margins; landscape A4 the same. */
#define LEFT   15.0
#define WIDTH  180.0 /* 210 − 2 × 15 */
#define LWIDTH 267.0 /* 297 − 2 × 15 */

/* Sign-in sheet: the table's head, its rows, the photo box in a row. */
#define SI_TOP     47.0
#define SI_HEAD_H  9.0
#define SI_ROW_H   21.0
#define SI_PHOTO_W 15.0
#define SI_PHOTO_H 19.0

/* Seating chart: the front (讲台), the grid below it, the space between desks. */
#define CH_FRONT_Y 40.0
#define CH_GRID_Y  58.0
#define CH_GRID_B  192.0
#define CH_LABEL_W 13.0 /* "第 N 排" left of the grid */
#define CH_GAP     3.0  /* 2 in a grid of more than 6 rows or columns */

/* Allocation table: the table's head, its rows, how many a page. */
#define AL_TOP      68.0
#define AL_HEAD_H   12.0
#define AL_ROW_H    16.0
#define AL_PER_PAGE 12

struct column {
	const char *head;
	double w;
};

static const struct column si_cols[] = {
        {"座位号", 14}, {"照片", 22},     {"准考证号", 38},
        {"姓名", 30},   {"证件号码", 42}, {"考生签名", 34},
};

static const struct column al_cols[] = {
        {"考场号", 22}, {"教室", 22},         {"楼层", 18},
        {"科目", 48},   {"准考证号起止", 50}, {"人数", 20},
};

static const struct kw_pdf_font head_font = {
        .bold = 1, .size = 10.5, .min_size = 7, .align = KW_PDF_CENTER};

/* Refuses the document: KW_EINVAL, whatever kw_err_set makes of err. */
static int invalid(struct kw_err *err, const char *what)
{
	kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "centre: %s", what);
	return KW_EINVAL;
}

static int blank(const char *s)
{
	return !s || !*s;
}

static const char *str(const char *s)
{
	return s ? s : "";
}

/* "第 N 考场" for a room number (blank without one). */
static void room_line(const char *room_no, char *out, size_t n)
{
	snprintf(out, n, "第 %s 考场", str(room_no));
}

/* A cell: its frame, an optional grey ground, and text padded 2 mm from the sides. */
static void cell(struct kw_pdf *d, double x, double y, double w, double h, const char *text,
                 const struct kw_pdf_font *f, int shade)
{
	if (shade) {
		cairo_set_source_rgb(d->cr, 0.9, 0.9, 0.9);
		cairo_rectangle(d->cr, x, y, w, h);
		cairo_fill(d->cr);
	}
	kw_pdf_box(d, x, y, w, h, 0.25);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	if (text && *text)
		kw_pdf_text(d, text, x + 2, y + 0.5, w - 4, h - 1, f);
}

/* A table's head: a shaded cell per column from x, y. */
static void table_head(struct kw_pdf *d, const struct column *c, size_t n, double x, double y,
                       double h, const struct kw_pdf_font *f)
{
	for (size_t i = 0; i < n; x += c[i].w, i++)
		cell(d, x, y, c[i].w, h, c[i].head, f, 1);
}

/* A horizontal line lw mm wide from x0 to x1 at y, in the current source colour. */
static void hline(struct kw_pdf *d, double x0, double x1, double y, double lw)
{
	cairo_set_line_width(d->cr, lw);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

/* "第 i 页 共 m 页", small and grey, centred across the page at y. */
static void page_number(struct kw_pdf *d, double y, size_t i, size_t m)
{
	char line[64];
	snprintf(line, sizeof line, "第 %zu 页 共 %zu 页", i, m);
	cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
	kw_pdf_text(d, line, LEFT, y, d->w - 2 * LEFT, 5,
	            &(struct kw_pdf_font){.size = 9, .align = KW_PDF_CENTER});
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

/* Closes d into out, or aborts it after a failure (out put back); returns rc or close's. */
static int finish(struct kw_pdf *d, int rc, struct kw_err *err)
{
	if (rc) {
		kw_pdf_abort(d);
		return rc;
	}
	return kw_pdf_close(d, err);
}

/* ---- sign-in sheet ---- */

/* The header of a sign-in page: the exam, the title, the centre, room, subjects, sitting. */
static void signin_head(struct kw_pdf *d, const struct kw_signin_sheet *s)
{
	char line[1024], room[256];
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, s->exam_title, LEFT, 10, WIDTH, 9,
	            &(struct kw_pdf_font){.bold = 1,
	                                  .size = 13,
	                                  .min_size = 8,
	                                  .wrap = 1,
	                                  .balance = 1,
	                                  .align = KW_PDF_CENTER});
	kw_pdf_text(d, "考生签到表", LEFT, 19, WIDTH, 12,
	            &(struct kw_pdf_font){.bold = 1, .size = 22, .align = KW_PDF_CENTER});
	const struct kw_pdf_font f = {.serif = 1, .size = 11, .min_size = 7};
	snprintf(line, sizeof line, "考点：%s", str(s->centre_name));
	kw_pdf_text(d, line, LEFT, 33, 108, 6, &f);
	room_line(s->room_no, room, sizeof room);
	snprintf(line, sizeof line, "考场：%s", room);
	kw_pdf_text(d, line, LEFT + 112, 33, WIDTH - 112, 6, &f);
	snprintf(line, sizeof line, "科目：%s", str(s->subjects));
	kw_pdf_text(d, line, LEFT, 39.5, 108, 6, &f);
	snprintf(line, sizeof line, "时间：%s", str(s->sitting));
	kw_pdf_text(d, line, LEFT + 112, 39.5, WIDTH - 112, 6, &f);
}

/* One candidate's row from y. */
static int signin_row(struct kw_pdf *d, const struct kw_signin_row *r, double y, struct kw_err *err)
{
	char seat[32];
	snprintf(seat, sizeof seat, "%02ld", r->seat_no);
	double x = LEFT, h = SI_ROW_H, w[6];
	for (int c = 0; c < 6; c++)
		w[c] = si_cols[c].w;
	cell(d, x, y, w[0], h, seat,
	     &(struct kw_pdf_font){.bold = 1, .size = 15, .min_size = 8, .align = KW_PDF_CENTER},
	     0);
	x += w[0];
	kw_pdf_box(d, x, y, w[1], h, 0.25);
	double px = x + (w[1] - SI_PHOTO_W) / 2, py = y + (h - SI_PHOTO_H) / 2;
	int rc = 0;
	if (r->photo_jpeg)
		rc = kw_pdf_jpeg(d, r->photo_jpeg, r->photo_len, px, py, SI_PHOTO_W, SI_PHOTO_H,
		                 err);
	else
		kw_pdf_box(d, px, py, SI_PHOTO_W, SI_PHOTO_H, 0.2);
	x += w[1];
	cell(d, x, y, w[2], h, r->ticket_no,
	     &(struct kw_pdf_font){.size = 11.5, .min_size = 7, .align = KW_PDF_CENTER}, 0);
	x += w[2];
	cell(d, x, y, w[3], h, r->name,
	     &(struct kw_pdf_font){.serif = 1,
	                           .bold = 1,
	                           .size = 13,
	                           .min_size = 7,
	                           .wrap = 1,
	                           .align = KW_PDF_CENTER},
	     0);
	x += w[3];
	cell(d, x, y, w[4], h, r->id_number_masked,
	     &(struct kw_pdf_font){.size = 10.5, .min_size = 6, .align = KW_PDF_CENTER}, 0);
	x += w[4];
	cell(d, x, y, w[5], h, NULL, NULL, 0); /* the candidate signs here */
	return rc;
}

/* The foot of a sign-in page: the proctors' signatures, on the last page the numbers. */
static void signin_foot(struct kw_pdf *d, const struct kw_signin_sheet *s, double y, int last)
{
	const struct kw_pdf_font f = {.serif = 1, .size = 11};
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, "监考员签名：", LEFT, y, 26, 7, &f);
	hline(d, LEFT + 26, LEFT + 60, y + 6, 0.3);
	hline(d, LEFT + 66, LEFT + 100, y + 6, 0.3);
	if (!last)
		return;
	char line[128];
	double r = LEFT + WIDTH;
	snprintf(line, sizeof line, "应到 %zu 人　实到", s->nrows);
	kw_pdf_text(d, line, LEFT + 106, y, r - 28 - (LEFT + 106), 7,
	            &(struct kw_pdf_font){.serif = 1, .size = 11, .align = KW_PDF_RIGHT});
	hline(d, r - 26, r - 8, y + 6, 0.3);
	kw_pdf_text(d, "人", r - 6, y, 6, 7, &f);
}

/* Every page of one room's sheet. */
static int signin_sheet(struct kw_pdf *d, const struct kw_signin_sheet *s, struct kw_err *err)
{
	size_t per = KW_SIGNIN_ROWS_PER_PAGE, m = (s->nrows + per - 1) / per;
	int rc = 0;
	for (size_t p = 0; !rc && p < m; p++) {
		if ((rc = kw_pdf_page(d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
			break;
		signin_head(d, s);
		table_head(d, si_cols, sizeof si_cols / sizeof si_cols[0], LEFT, SI_TOP, SI_HEAD_H,
		           &head_font);
		double y = SI_TOP + SI_HEAD_H;
		for (size_t i = p * per; !rc && i < s->nrows && i < (p + 1) * per;
		     i++, y += SI_ROW_H)
			rc = signin_row(d, &s->rows[i], y, err);
		kw_pdf_box(d, LEFT, SI_TOP, WIDTH, y - SI_TOP, 0.6);
		signin_foot(d, s, SI_TOP + SI_HEAD_H + (double)per * SI_ROW_H + 5, p + 1 == m);
		page_number(d, 283, p + 1, m);
	}
	return rc;
}

int kw_signin_sheets_pdf(const struct kw_signin_sheet *v, size_t n, struct kw_buf *out,
                         struct kw_err *err)
{
	if (!v || !n)
		return invalid(err, "no sign-in sheets");
	for (size_t i = 0; i < n; i++) {
		if (blank(v[i].exam_title))
			return invalid(err, "sign-in sheet without an exam title");
		if (!v[i].rows || !v[i].nrows)
			return invalid(err, "sign-in sheet without candidates");
	}
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, "考生签到表", err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++)
		rc = signin_sheet(&d, &v[i], err);
	return finish(&d, rc, err);
}

/* ---- seating chart ---- */

/* The chart's desks by cell (row-major, NULL for an empty desk), or NULL and err set when
 * the chart cannot be drawn. The caller frees it. */
static const struct kw_chart_seat **chart_grid(const struct kw_seating_chart *c, struct kw_err *err)
{
	if (blank(c->exam_title)) {
		invalid(err, "seating chart without an exam title");
		return NULL;
	}
	if (!c->seats || !c->nseats) {
		invalid(err, "seating chart without seats");
		return NULL;
	}
	if (c->rows < 1 || c->cols < 1 || c->rows > KW_CHART_MAX_DIM ||
	    c->cols > KW_CHART_MAX_DIM) {
		invalid(err, "seating chart grid out of range");
		return NULL;
	}
	const struct kw_chart_seat **g = kw_xcalloc((size_t)(c->rows * c->cols), sizeof *g);
	for (size_t i = 0; i < c->nseats; i++) {
		const struct kw_chart_seat *s = &c->seats[i];
		const char *bad = s->row < 1 || s->row > c->rows || s->col < 1 || s->col > c->cols
		                          ? "seat outside the grid"
		                  : g[(s->row - 1) * c->cols + s->col - 1] ? "two seats in one cell"
		                                                           : NULL;
		if (bad) {
			free(g);
			invalid(err, bad);
			return NULL;
		}
		g[(s->row - 1) * c->cols + s->col - 1] = s;
	}
	return g;
}

/* The chart's header: the exam, the title, one line of centre, room, subjects, sitting. */
static void chart_head(struct kw_pdf *d, const struct kw_seating_chart *c)
{
	char line[2048], room[256];
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, c->exam_title, LEFT, 9, LWIDTH, 8,
	            &(struct kw_pdf_font){
	                    .bold = 1, .size = 13, .min_size = 8, .align = KW_PDF_CENTER});
	kw_pdf_text(d, "考场座次表", LEFT, 17, LWIDTH, 12,
	            &(struct kw_pdf_font){.bold = 1, .size = 22, .align = KW_PDF_CENTER});
	room_line(c->room_no, room, sizeof room);
	snprintf(line, sizeof line, "考点：%s　　%s　　科目：%s　　时间：%s", str(c->centre_name),
	         room, str(c->subjects), str(c->sitting));
	kw_pdf_text(d, line, LEFT, 30, LWIDTH, 6.5,
	            &(struct kw_pdf_font){
	                    .serif = 1, .size = 11.5, .min_size = 7, .align = KW_PDF_CENTER});
}

/* The front of the room: a shaded 讲台 centred above the grid. */
static void chart_front(struct kw_pdf *d)
{
	double w = 80, x = (d->w - w) / 2, y = CH_FRONT_Y, h = 11;
	cairo_set_source_rgb(d->cr, 0.88, 0.88, 0.88);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
	kw_pdf_box(d, x, y, w, h, 0.6);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, "讲台", x, y, w, h,
	            &(struct kw_pdf_font){.bold = 1, .size = 16, .align = KW_PDF_CENTER});
}

/* One desk of w × h mm at x, y: a blank box, or the seat number large, ticket and name. A
 * wide desk has the number on the left and the rest beside it (as the desk labels do), a
 * narrower one the number above the rest. */
static void chart_desk(struct kw_pdf *d, const struct kw_chart_seat *s, double x, double y,
                       double w, double h)
{
	if (!s) {
		cairo_save(d->cr);
		cairo_set_source_rgb(d->cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(d->cr, 0.25);
		cairo_rectangle(d->cr, x, y, w, h);
		cairo_stroke(d->cr);
		cairo_restore(d->cr);
		return;
	}
	kw_pdf_box(d, x, y, w, h, 0.45);
	char seat[32];
	snprintf(seat, sizeof seat, "%02ld", s->seat_no);
	const struct kw_pdf_font nf = {
	        .bold = 1, .size = 30, .min_size = 6, .align = KW_PDF_CENTER};
	const struct kw_pdf_font tf = {.size = 11, .min_size = 4, .align = KW_PDF_CENTER};
	const struct kw_pdf_font sf = {
	        .serif = 1, .size = 13, .min_size = 4, .align = KW_PDF_CENTER};
	double nx = x + 1, ny = y + h * 0.03, nw = w - 2, nh = h * 0.37; /* the seat number */
	double rx = x + 1, ry = y + h * 0.4, rw = w - 2, rh = h * 0.58;  /* ticket and name */
	if (w >= 2.2 * h) {
		nx = x + 2;
		nw = w * 0.34 - 4;
		ny = y + h * 0.12;
		nh = h * 0.76;
		rx = x + w * 0.34 + 2;
		ry = y + h * 0.1;
		rw = w * 0.66 - 4;
		rh = h * 0.8;
		cairo_set_source_rgb(d->cr, 0.5, 0.5, 0.5); /* between number and the rest */
		cairo_set_line_width(d->cr, 0.2);
		cairo_move_to(d->cr, x + w * 0.34, y + h * 0.15);
		cairo_line_to(d->cr, x + w * 0.34, y + h * 0.85);
		cairo_stroke(d->cr);
	}
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, seat, nx, ny, nw, nh, &nf);
	cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
	kw_pdf_text(d, s->ticket_no, rx, ry, rw, rh * 0.46, &tf);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, s->name, rx, ry + rh * 0.47, rw, rh * 0.53, &sf);
}

/* One room's chart on its own landscape page. */
static void chart_page(struct kw_pdf *d, const struct kw_seating_chart *c,
                       const struct kw_chart_seat **g)
{
	chart_head(d, c);
	chart_front(d);
	double x0 = LEFT + CH_LABEL_W, gw = LWIDTH - CH_LABEL_W, gh = CH_GRID_B - CH_GRID_Y;
	double gap = c->rows > 6 || c->cols > 6 ? CH_GAP * 2 / 3 : CH_GAP; /* aisles */
	double w = (gw - (double)(c->cols - 1) * gap) / (double)c->cols;
	double h = (gh - (double)(c->rows - 1) * gap) / (double)c->rows;
	if (h > w * 0.75)
		h = w * 0.75; /* a desk is wider than deep */
	char label[32];
	for (long r = 0; r < c->rows; r++) {
		double y = CH_GRID_Y + (double)r * (h + gap);
		snprintf(label, sizeof label, "第%ld排", r + 1);
		cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
		kw_pdf_text(d, label, LEFT, y, CH_LABEL_W - 2, h,
		            &(struct kw_pdf_font){.size = 9, .min_size = 5});
		for (long k = 0; k < c->cols; k++)
			chart_desk(d, g[r * c->cols + k], x0 + (double)k * (w + gap), y, w, h);
	}
	cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
	char line[128];
	snprintf(line, sizeof line,
	         "本考场 %zu 人。每格：座位号 / 准考证号 / 姓名；第 1 排靠近讲台。", c->nseats);
	kw_pdf_text(d, line, LEFT, 196, LWIDTH, 6,
	            &(struct kw_pdf_font){.serif = 1, .size = 9.5, .min_size = 7});
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

int kw_seating_charts_pdf(const struct kw_seating_chart *v, size_t n, struct kw_buf *out,
                          struct kw_err *err)
{
	if (!v || !n)
		return invalid(err, "no seating charts");
	for (size_t i = 0; i < n; i++) {
		const struct kw_chart_seat **g = chart_grid(&v[i], err);
		if (!g)
			return KW_EINVAL;
		free(g);
	}
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, "考场座次表", err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		if ((rc = kw_pdf_page(&d, KW_PDF_A4_H, KW_PDF_A4_W, err)))
			break;
		const struct kw_chart_seat **g = chart_grid(&v[i], NULL);
		chart_page(&d, &v[i], g);
		free(g);
	}
	return finish(&d, rc, err);
}

/* ---- room allocation table ---- */

/* The header of an allocation page: the exam, the title, the centre and its address. */
static void alloc_head(struct kw_pdf *d, const struct kw_alloc_table *t)
{
	char line[1024];
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, t->exam_title, LEFT, 12, WIDTH, 17,
	            &(struct kw_pdf_font){.bold = 1,
	                                  .size = 17,
	                                  .min_size = 11,
	                                  .wrap = 1,
	                                  .balance = 1,
	                                  .align = KW_PDF_CENTER});
	kw_pdf_text(d, "考场分配表", LEFT, 30, WIDTH, 15,
	            &(struct kw_pdf_font){.bold = 1, .size = 30, .align = KW_PDF_CENTER});
	snprintf(line, sizeof line, "考点：%s", str(t->centre_name));
	kw_pdf_text(d, line, LEFT, 47, WIDTH, 8,
	            &(struct kw_pdf_font){
	                    .serif = 1, .size = 15, .min_size = 9, .align = KW_PDF_CENTER});
	if (blank(t->centre_address))
		return;
	snprintf(line, sizeof line, "地址：%s", t->centre_address);
	kw_pdf_text(d, line, LEFT, 56, WIDTH, 7,
	            &(struct kw_pdf_font){
	                    .serif = 1, .size = 12.5, .min_size = 8, .align = KW_PDF_CENTER});
}

/* The first and last ticket numbers on two lines, flush with each other, the pair centred in
 * the cell x, y, w, h. */
static void range_cell(struct kw_pdf *d, double x, double y, double w, double h,
                       const struct kw_alloc_row *r)
{
	char text[512];
	snprintf(text, sizeof text, "%s—\n%s", str(r->first_ticket), str(r->last_ticket));
	const struct kw_pdf_font f = {.size = 12.5, .min_size = 7, .wrap = 1};
	PangoLayout *l = kw_pdf_layout(d, text, &f);
	PangoRectangle e;
	pango_layout_get_extents(l, NULL, &e);
	g_object_unref(l);
	double tw = (double)e.width / PANGO_SCALE + 0.5; /* a little slack against rounding */
	double pad = tw < w - 4 ? (w - tw) / 2 : 2;
	kw_pdf_box(d, x, y, w, h, 0.25);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, text, x + pad, y + 0.5, w - 2 * pad, h - 1, &f);
}

/* One room's row from y. */
static void alloc_row(struct kw_pdf *d, const struct kw_alloc_row *r, double y)
{
	char count[32];
	snprintf(count, sizeof count, "%ld", r->count);
	const struct kw_pdf_font big = {
	        .bold = 1, .size = 18, .min_size = 9, .align = KW_PDF_CENTER};
	const struct kw_pdf_font body = {
	        .size = 15, .min_size = 8, .wrap = 1, .align = KW_PDF_CENTER};
	const struct kw_pdf_font subjects = {
	        .size = 13.5, .min_size = 8, .wrap = 1, .balance = 1, .align = KW_PDF_CENTER};
	const char *v[6] = {r->room_no, r->room_name, r->floor, r->subjects, NULL, count};
	const struct kw_pdf_font *f[6] = {&big, &body, &body, &subjects, NULL, &big};
	double x = LEFT;
	for (int c = 0; c < 6; x += al_cols[c].w, c++)
		if (c == 4)
			range_cell(d, x, y, al_cols[c].w, AL_ROW_H, r);
		else
			cell(d, x, y, al_cols[c].w, AL_ROW_H, v[c], f[c], 0);
}

int kw_alloc_table_pdf(const struct kw_alloc_table *t, struct kw_buf *out, struct kw_err *err)
{
	if (!t || blank(t->exam_title))
		return invalid(err, "allocation table without an exam title");
	if (!t->rows || !t->nrows)
		return invalid(err, "allocation table without rooms");
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, "考场分配表", err);
	if (rc)
		return rc;
	size_t m = (t->nrows + AL_PER_PAGE - 1) / AL_PER_PAGE;
	long total = 0;
	for (size_t i = 0; i < t->nrows; i++)
		total += t->rows[i].count;
	for (size_t p = 0; !rc && p < m; p++) {
		if ((rc = kw_pdf_page(&d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
			break;
		alloc_head(&d, t);
		table_head(&d, al_cols, sizeof al_cols / sizeof al_cols[0], LEFT, AL_TOP, AL_HEAD_H,
		           &(struct kw_pdf_font){
		                   .bold = 1, .size = 14, .min_size = 8, .align = KW_PDF_CENTER});
		double y = AL_TOP + AL_HEAD_H;
		for (size_t i = p * AL_PER_PAGE; i < t->nrows && i < (p + 1) * AL_PER_PAGE;
		     i++, y += AL_ROW_H)
			alloc_row(&d, &t->rows[i], y);
		kw_pdf_box(&d, LEFT, AL_TOP, WIDTH, y - AL_TOP, 0.7);
		if (p + 1 == m) {
			char line[128];
			snprintf(line, sizeof line, "共 %zu 个考场，考生 %ld 人", t->nrows, total);
			kw_pdf_text(&d, line, LEFT, y + 3, WIDTH, 8,
			            &(struct kw_pdf_font){
			                    .size = 13, .min_size = 8, .align = KW_PDF_RIGHT});
		}
		page_number(&d, 283, p + 1, m);
	}
	return finish(&d, rc, err);
}

/* ---- gate sign ---- */

int kw_gate_sign_pdf(const struct kw_gate_sign *g, struct kw_buf *out, struct kw_err *err)
{
	if (!g || blank(g->year_and_kind) || blank(g->centre_name))
		return invalid(err, "gate sign without the exam or the centre");
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, "考点门牌", err);
	if (rc || (rc = kw_pdf_page(&d, KW_PDF_A4_H, KW_PDF_A4_W, err)))
		return finish(&d, rc, err);
	kw_pdf_box(&d, 10, 10, d.w - 20, d.h - 20, 2.0);
	kw_pdf_box(&d, 14, 14, d.w - 28, d.h - 28, 0.5);
	cairo_set_source_rgb(d.cr, 0, 0, 0);
	kw_pdf_text(&d, g->year_and_kind, 28, 28, d.w - 56, 36,
	            &(struct kw_pdf_font){.bold = 1,
	                                  .size = 40,
	                                  .min_size = 18,
	                                  .wrap = 1,
	                                  .balance = 1,
	                                  .align = KW_PDF_CENTER});
	kw_pdf_text(
	        &d, g->area, 28, 72, d.w - 56, 24,
	        &(struct kw_pdf_font){
	                .serif = 1, .bold = 1, .size = 46, .min_size = 20, .align = KW_PDF_CENTER});
	hline(&d, 60, d.w - 60, 104, 0.6);
	char line[1024];
	size_t n = strlen(g->centre_name), k = strlen("考点");
	snprintf(line, sizeof line, "%s%s", g->centre_name,
	         n >= k && !strcmp(g->centre_name + n - k, "考点") ? "" : "考点");
	kw_pdf_text(&d, line, 24, 110, d.w - 48, 72,
	            &(struct kw_pdf_font){.bold = 1,
	                                  .size = 84,
	                                  .min_size = 28,
	                                  .wrap = 1,
	                                  .balance = 1,
	                                  .align = KW_PDF_CENTER});
	return finish(&d, rc, err);
}
