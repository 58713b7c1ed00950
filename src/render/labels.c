#include "render/labels.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/pdf.h"

/* Desk labels: 2 columns × 6 rows of 95 × 45 mm on a portrait A4 page, centred. */
#define DESK_COLS 2
#define DESK_ROWS 6
#define DESK_W    95.0
#define DESK_H    45.0

/* "第 N 考场" for a room number (blank without one). */
static void room_line(const char *room_no, char *out, size_t n)
{
	snprintf(out, n, "第 %s 考场", room_no ? room_no : "");
}

/* One line of text centred across the door label's width. */
static void door_line(struct kw_pdf *d, const char *text, double y, double h,
                      const struct kw_pdf_font *f)
{
	kw_pdf_text(d, text, 20, y, d->w - 40, h, f);
}

/* One door label on its own landscape page. */
static void door_page(struct kw_pdf *d, const struct kw_door_label *l)
{
	char line[512];
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_box(d, 10, 10, d->w - 20, d->h - 20, 1.2);
	door_line(d, l->exam_title, 16, 17,
	          &(struct kw_pdf_font){.bold = 1,
	                                .size = 20,
	                                .min_size = 11,
	                                .wrap = 1,
	                                .balance = 1,
	                                .align = KW_PDF_CENTER});
	door_line(d, l->centre_name, 34, 11,
	          &(struct kw_pdf_font){
	                  .serif = 1, .size = 17, .min_size = 10, .align = KW_PDF_CENTER});
	cairo_set_line_width(d->cr, 0.4);
	cairo_move_to(d->cr, 20, 48);
	cairo_line_to(d->cr, d->w - 20, 48);
	cairo_stroke(d->cr);
	room_line(l->room_no, line, sizeof line);
	door_line(d, line, 50, 62,
	          &(struct kw_pdf_font){
	                  .bold = 1, .size = 120, .min_size = 30, .align = KW_PDF_CENTER});
	door_line(d, l->subject, 114, 18,
	          &(struct kw_pdf_font){
	                  .bold = 1, .size = 32, .min_size = 14, .align = KW_PDF_CENTER});
	const struct kw_pdf_font body = {
	        .serif = 1, .size = 22, .min_size = 11, .align = KW_PDF_CENTER};
	snprintf(line, sizeof line, "考试时间：%s", l->sitting ? l->sitting : "");
	door_line(d, line, 136, 13, &body);
	snprintf(line, sizeof line, "准考证号：%s — %s", l->first_ticket ? l->first_ticket : "",
	         l->last_ticket ? l->last_ticket : "");
	door_line(d, line, 152, 13, &body);
	snprintf(line, sizeof line, "人数：%ld 人", l->count);
	door_line(d, line, 168, 13, &body);
}

int kw_door_labels_pdf(const struct kw_door_label *v, size_t n, struct kw_buf *out,
                       struct kw_err *err)
{
	if (!v || !n)
		return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "labels: none");
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, "考场门贴", err);
	for (size_t i = 0; !rc && i < n; i++)
		if (!(rc = kw_pdf_page(&d, KW_PDF_A4_H, KW_PDF_A4_W, err)))
			door_page(&d, &v[i]);
	if (rc) {
		kw_pdf_abort(&d);
		return rc;
	}
	return kw_pdf_close(&d, err);
}

/* The dashed lines to cut along, light grey, round the rows that `left` more labels fill. */
static void cut_lines(struct kw_pdf *d, double x0, double y0, size_t left)
{
	const double dash[2] = {2, 1.5};
	size_t rows = (left + DESK_COLS - 1) / DESK_COLS;
	rows = rows > DESK_ROWS ? DESK_ROWS : rows;
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(d->cr, 0.2);
	cairo_set_dash(d->cr, dash, 2, 0);
	for (size_t r = 0; r <= rows; r++) {
		cairo_move_to(d->cr, x0, y0 + (double)r * DESK_H);
		cairo_rel_line_to(d->cr, DESK_COLS * DESK_W, 0);
	}
	for (int c = 0; c <= DESK_COLS; c++) {
		cairo_move_to(d->cr, x0 + c * DESK_W, y0);
		cairo_rel_line_to(d->cr, 0, (double)rows * DESK_H);
	}
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
}

/* One desk label with its top left at x, y: the seat on the left, the rest on the right. */
static void desk_label(struct kw_pdf *d, const struct kw_desk_label *l, double x, double y)
{
	char line[256];
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, "座位号", x + 4, y + 4, 36, 6,
	            &(struct kw_pdf_font){.size = 10, .align = KW_PDF_CENTER});
	snprintf(line, sizeof line, "%02ld", l->seat_no);
	kw_pdf_text(d, line, x + 4, y + 10, 36, 31,
	            &(struct kw_pdf_font){
	                    .bold = 1, .size = 64, .min_size = 16, .align = KW_PDF_CENTER});
	cairo_set_line_width(d->cr, 0.3);
	cairo_move_to(d->cr, x + 44, y + 5);
	cairo_line_to(d->cr, x + 44, y + DESK_H - 5);
	cairo_stroke(d->cr);
	double rx = x + 47, rw = DESK_W - 47 - 4;
	room_line(l->room_no, line, sizeof line);
	kw_pdf_text(d, line, rx, y + 4, rw, 9,
	            &(struct kw_pdf_font){.bold = 1, .size = 15, .min_size = 8});
	cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
	kw_pdf_text(d, "准考证号", rx, y + 15, rw, 5, &(struct kw_pdf_font){.size = 8.5});
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, l->ticket_no, rx, y + 20, rw, 7,
	            &(struct kw_pdf_font){.bold = 1, .size = 13, .min_size = 7});
	snprintf(line, sizeof line, "姓名：%s", l->name ? l->name : "");
	kw_pdf_text(d, line, rx, y + 30, rw, 11,
	            &(struct kw_pdf_font){.serif = 1, .size = 14, .min_size = 6, .wrap = 1});
}

int kw_desk_labels_pdf(const struct kw_desk_label *v, size_t n, struct kw_buf *out,
                       struct kw_err *err)
{
	if (!v || !n)
		return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "labels: none");
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, "考场桌贴", err);
	const double x0 = (KW_PDF_A4_W - DESK_COLS * DESK_W) / 2;
	const double y0 = (KW_PDF_A4_H - DESK_ROWS * DESK_H) / 2;
	for (size_t i = 0; !rc && i < n; i++) {
		size_t k = i % (DESK_COLS * DESK_ROWS);
		if (!k && !(rc = kw_pdf_page(&d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
			cut_lines(&d, x0, y0, n - i);
		if (!rc)
			desk_label(&d, &v[i], x0 + (double)(k % DESK_COLS) * DESK_W,
			           y0 + (double)(k / DESK_COLS) * DESK_H);
	}
	if (rc) {
		kw_pdf_abort(&d);
		return rc;
	}
	return kw_pdf_close(&d, err);
}

/* ---- labels as bytes ---- */

/* A u32 count, then per label its strings (a u32 length, UINT32_MAX for NULL, and the bytes
 * with their NUL, so a decoded string points into the data) and its number as an i64. */
#define DOOR_MAGIC "KWD1"
#define DESK_MAGIC "KWK1"
#define NUL_STR    UINT32_MAX

static void put_u32(struct kw_buf *out, uint32_t v)
{
	kw_buf_add(out, &v, sizeof v);
}

static void put_i64(struct kw_buf *out, int64_t v)
{
	kw_buf_add(out, &v, sizeof v);
}

static void put_str(struct kw_buf *out, const char *s)
{
	if (!s) {
		put_u32(out, NUL_STR);
		return;
	}
	size_t n = strlen(s);
	put_u32(out, (uint32_t)n);
	kw_buf_add(out, s, n + 1);
}

struct rd {
	const unsigned char *p;
	size_t left;
	int bad;
};

static const unsigned char *get_bytes(struct rd *r, size_t n)
{
	if (r->bad || r->left < n) {
		r->bad = 1;
		return NULL;
	}
	const unsigned char *p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

static uint32_t get_u32(struct rd *r)
{
	uint32_t v = 0;
	const unsigned char *p = get_bytes(r, sizeof v);
	if (p)
		memcpy(&v, p, sizeof v);
	return v;
}

static int64_t get_i64(struct rd *r)
{
	int64_t v = 0;
	const unsigned char *p = get_bytes(r, sizeof v);
	if (p)
		memcpy(&v, p, sizeof v);
	return v;
}

static const char *get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	if (r->bad || n == NUL_STR)
		return NULL;
	const char *s = (const char *)get_bytes(r, (size_t)n + 1);
	if (s && s[n] != '\0')
		r->bad = 1;
	return r->bad ? NULL : s;
}

/* Reads the magic and the count; the count is bounded by the bytes left (each label takes
 * at least min_bytes). */
static size_t get_head(struct rd *r, const char *magic, size_t min_bytes)
{
	const unsigned char *m = get_bytes(r, 4);
	if (!m || memcmp(m, magic, 4) != 0) {
		r->bad = 1;
		return 0;
	}
	uint32_t n = get_u32(r);
	if (r->bad || (size_t)n > r->left / min_bytes)
		r->bad = 1;
	return r->bad ? 0 : n;
}

static int bad_labels(struct kw_err *err)
{
	return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "labels: damaged bytes");
}

void kw_door_labels_encode(const struct kw_door_label *v, size_t n, struct kw_buf *out)
{
	kw_buf_add(out, DOOR_MAGIC, 4);
	put_u32(out, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const char *strs[] = {v[i].exam_title, v[i].centre_name, v[i].room_no,
		                      v[i].subject,    v[i].sitting,     v[i].first_ticket,
		                      v[i].last_ticket};
		for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
			put_str(out, strs[k]);
		put_i64(out, v[i].count);
	}
}

int kw_door_labels_decode(const void *data, size_t len, struct kw_door_label **v, size_t *n,
                          struct kw_err *err)
{
	struct rd r = {data, len, 0};
	*v = NULL;
	*n = get_head(&r, DOOR_MAGIC, 7 * 4 + 8);
	if (r.bad)
		return bad_labels(err);
	struct kw_door_label *a = kw_xcalloc(*n ? *n : 1, sizeof *a);
	for (size_t i = 0; i < *n && !r.bad; i++) {
		const char **strs[] = {&a[i].exam_title, &a[i].centre_name, &a[i].room_no,
		                       &a[i].subject,    &a[i].sitting,     &a[i].first_ticket,
		                       &a[i].last_ticket};
		for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
			*strs[k] = get_str(&r);
		a[i].count = (long)get_i64(&r);
	}
	if (r.bad || r.left) {
		free(a);
		*n = 0;
		return bad_labels(err);
	}
	*v = a;
	return 0;
}

void kw_desk_labels_encode(const struct kw_desk_label *v, size_t n, struct kw_buf *out)
{
	kw_buf_add(out, DESK_MAGIC, 4);
	put_u32(out, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		put_str(out, v[i].room_no);
		put_i64(out, v[i].seat_no);
		put_str(out, v[i].ticket_no);
		put_str(out, v[i].name);
	}
}

int kw_desk_labels_decode(const void *data, size_t len, struct kw_desk_label **v, size_t *n,
                          struct kw_err *err)
{
	struct rd r = {data, len, 0};
	*v = NULL;
	*n = get_head(&r, DESK_MAGIC, 3 * 4 + 8);
	if (r.bad)
		return bad_labels(err);
	struct kw_desk_label *a = kw_xcalloc(*n ? *n : 1, sizeof *a);
	for (size_t i = 0; i < *n && !r.bad; i++) {
		a[i].room_no = get_str(&r);
		a[i].seat_no = (long)get_i64(&r);
		a[i].ticket_no = get_str(&r);
		a[i].name = get_str(&r);
	}
	if (r.bad || r.left) {
		free(a);
		*n = 0;
		return bad_labels(err);
	}
	*v = a;
	return 0;
}
