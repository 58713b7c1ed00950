#include "render/ticket.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The page, in mm: margins, the details table, the sittings block beside the QR code. */
#define LEFT      15.0
#define WIDTH     180.0 /* 210 − 2 × 15 */
#define TABLE_TOP 36.0
#define LABEL_W   26.0 /* a label cell */
#define PHOTO_W   40.0 /* the photo's cell; the photo box in it is 35 × 45 */
#define QR_SIZE   32.0 /* the code with its quiet zone */
#define FOOTER_Y  281.0

/* The printed labels, in one language. */
struct words {
	const char *title, *ticket_no, *name, *sex, *id_number, *photo, *centre, *address, *room,
	        *seat, *subject, *date, *time, *scan, *notices, *reissued, *issued;
};

static const struct words zh = {
        "准考证",   "准考证号", "姓名",     "性别",   "证件号码",   "照片",
        "考点名称", "考点地址", "考场号",   "座位号", "考试科目",   "考试日期",
        "考试时间", "扫码核验", "考生须知", "补发",   "签发时间：",
};

static const struct words en = {
        "Admission Ticket",
        "Ticket No.",
        "Name",
        "Sex",
        "ID number",
        "Photo",
        "Test centre",
        "Address",
        "Room",
        "Seat",
        "Subject",
        "Date",
        "Time",
        "Scan to verify",
        "Notices to candidates",
        "REISSUED",
        "Issued: ",
};

/*
 * Two faces only, as official forms do: 黑体 (Noto Sans CJK SC Bold) for the title, the
 * labels and the numbers to find, 宋体 (Noto Serif CJK SC) for the rest. Every face costs
 * its embedded subset in each PDF (~5 ms and ~60 KB with cairo 1.16 and a CFF CJK font), so
 * a third face would cost a third more; the stamp of an on-site ticket adds Serif Bold.
 */
static const struct kw_pdf_font label_font = {
        .bold = 1, .size = 10, .min_size = 7, .align = KW_PDF_CENTER};
static const struct kw_pdf_font value_font = {.serif = 1, .size = 11, .min_size = 7};

/* The labels for t->lang, or NULL for a language we do not print. */
static const struct words *words_for(const char *lang)
{
	if (!lang || !strncmp(lang, "zh", 2))
		return &zh;
	if (!strncmp(lang, "en", 2))
		return &en;
	return NULL;
}

/* Refuses the ticket: KW_EINVAL, whatever kw_err_set makes of err. */
static int invalid(struct kw_err *err, const char *what)
{
	kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "ticket: %s", what);
	return KW_EINVAL;
}

/* What must hold before anything is drawn, so that a failure leaves no half page. */
static int check(const struct kw_ticket *t, const struct words **w, struct kw_err *err)
{
	if (!t || !t->ticket_no || !*t->ticket_no || !t->name || !*t->name)
		return invalid(err, "no ticket number or name");
	if (!(*w = words_for(t->lang)))
		return invalid(err, "unknown language");
	if (t->nsittings && !t->sittings)
		return invalid(err, "no sittings");
	if (t->qr_payload && strlen(t->qr_payload) > KW_PDF_QR_MAX)
		return invalid(err, "QR payload too long");
	int pw, ph;
	if (t->photo_jpeg)
		return kw_pdf_jpeg_size(t->photo_jpeg, t->photo_len, &pw, &ph, err);
	return 0;
}

/* A cell: its frame, an optional grey ground, and text padded 2 mm from the sides. */
static void cell(struct kw_pdf *d, double x, double y, double w, double h, const char *text,
                 const struct kw_pdf_font *f, int shade)
{
	if (shade) {
		cairo_set_source_rgb(d->cr, 0.93, 0.93, 0.93);
		cairo_rectangle(d->cr, x, y, w, h);
		cairo_fill(d->cr);
	}
	kw_pdf_box(d, x, y, w, h, 0.25);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, text, x + 2, y + 0.5, w - 4, h - 1, f);
}

/* The title centred at the top, and the reissue mark beside it. */
static void draw_head(struct kw_pdf *d, const struct kw_ticket *t, const struct words *w)
{
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, t->title && *t->title ? t->title : w->title, 40, 12, 130, 20,
	            &(struct kw_pdf_font){.bold = 1,
	                                  .size = 18,
	                                  .min_size = 11,
	                                  .wrap = 1,
	                                  .balance = 1,
	                                  .align = KW_PDF_CENTER});
	if (!t->reissue)
		return;
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.8, 0, 0);
	cairo_set_line_width(d->cr, 0.8);
	cairo_rectangle(d->cr, 172, 15, 23, 12);
	cairo_stroke(d->cr);
	kw_pdf_text(d, w->reissued, 173, 15.5, 21, 11,
	            &(struct kw_pdf_font){
	                    .bold = 1, .size = 20, .min_size = 7, .align = KW_PDF_CENTER});
	cairo_restore(d->cr);
}

/* The photo cell: the JPEG fitted into 35 × 45 mm, or a framed box saying where it goes. */
static int draw_photo(struct kw_pdf *d, const struct kw_ticket *t, const struct words *w, double y,
                      double h, struct kw_err *err)
{
	double x = LEFT + WIDTH - PHOTO_W;
	kw_pdf_box(d, x, y, PHOTO_W, h, 0.25);
	double px = x + (PHOTO_W - 35) / 2, py = y + (h - 45) / 2;
	if (t->photo_jpeg)
		return kw_pdf_jpeg(d, t->photo_jpeg, t->photo_len, px, py, 35, 45, err);
	kw_pdf_box(d, px, py, 35, 45, 0.25);
	cairo_set_source_rgb(d->cr, 0.45, 0.45, 0.45);
	kw_pdf_text(d, w->photo, px, py, 35, 45,
	            &(struct kw_pdf_font){.serif = 1, .size = 12, .align = KW_PDF_CENTER});
	return 0;
}

/* The details table with the photo on its right; returns its bottom (mm). */
static double draw_details(struct kw_pdf *d, const struct kw_ticket *t, const struct words *w,
                           struct kw_err *err, int *rc)
{
	const struct {
		const char *label, *value;
		double h;
	} rows[] = {
	        {w->ticket_no, t->ticket_no, 13},
	        {w->name, t->name, 9.5},
	        {w->sex, t->sex, 9.5},
	        {w->id_number, t->id_number, 9.5},
	        {w->centre, t->centre_name, 9.5},
	};
	double y = TABLE_TOP, vw = WIDTH - PHOTO_W - LABEL_W;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		cell(d, LEFT, y, LABEL_W, rows[i].h, rows[i].label, &label_font, 1);
		cell(d, LEFT + LABEL_W, y, vw, rows[i].h, rows[i].value,
		     i ? &value_font
		       : &(struct kw_pdf_font){.bold = 1,
		                               .size = 17,
		                               .min_size = 9,
		                               .letter_spacing = 1},
		     0);
		y += rows[i].h;
	}
	*rc = draw_photo(d, t, w, TABLE_TOP, y - TABLE_TOP, err);
	cell(d, LEFT, y, LABEL_W, 12, w->address, &label_font, 1);
	cell(d, LEFT + LABEL_W, y, WIDTH - LABEL_W, 12, t->centre_address,
	     &(struct kw_pdf_font){.serif = 1, .size = 11, .min_size = 7, .wrap = 1}, 0);
	y += 12;
	double half = WIDTH / 2;
	cell(d, LEFT, y, LABEL_W, 10, w->room, &label_font, 1);
	cell(d, LEFT + LABEL_W, y, half - LABEL_W, 10, t->room_no,
	     &(struct kw_pdf_font){.bold = 1, .size = 14, .min_size = 8}, 0);
	cell(d, LEFT + half, y, LABEL_W, 10, w->seat, &label_font, 1);
	cell(d, LEFT + half + LABEL_W, y, half - LABEL_W, 10, t->seat_no,
	     &(struct kw_pdf_font){.bold = 1, .size = 14, .min_size = 8}, 0);
	y += 10;
	kw_pdf_box(d, LEFT, TABLE_TOP, WIDTH, y - TABLE_TOP, 0.6);
	return y;
}

/* The sittings table (subject, date, time) from y; returns its bottom (mm). */
static double draw_sittings(struct kw_pdf *d, const struct kw_ticket *t, const struct words *w,
                            double y)
{
	const double cw[3] = {67, 34, 34}; /* the table is 135 mm wide */
	double rh = 8;
	if ((double)(t->nsittings + 1) * rh > 64)
		rh = 64.0 / (double)(t->nsittings + 1);
	struct kw_pdf_font hf = label_font,
	                   vf = {.serif = 1, .size = 10.5, .min_size = 5, .align = KW_PDF_CENTER};
	hf.min_size = 5;
	const char *head[3] = {w->subject, w->date, w->time};
	for (size_t r = 0; r <= t->nsittings; r++, y += rh) {
		double x = LEFT;
		const struct kw_ticket_sitting *s = r ? &t->sittings[r - 1] : NULL;
		const char *v[3] = {s ? s->subject : NULL, s ? s->date : NULL, s ? s->time : NULL};
		for (int c = 0; c < 3; x += cw[c], c++)
			cell(d, x, y, cw[c], rh, r ? v[c] : head[c], r ? &vf : &hf, !r);
	}
	return y;
}

/* The QR code in the right-hand column from y, with its caption; returns the bottom (mm). */
static double draw_qr(struct kw_pdf *d, const struct kw_ticket *t, const struct words *w, double y,
                      struct kw_err *err, int *rc)
{
	if (!t->qr_payload || !*t->qr_payload)
		return y;
	double x = LEFT + WIDTH - PHOTO_W + (PHOTO_W - QR_SIZE) / 2;
	*rc = kw_pdf_qr(d, t->qr_payload, x, y, QR_SIZE, err);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, w->scan, LEFT + WIDTH - PHOTO_W, y + QR_SIZE, PHOTO_W, 5,
	            &(struct kw_pdf_font){
	                    .serif = 1, .size = 8, .min_size = 6, .align = KW_PDF_CENTER});
	return y + QR_SIZE + 5;
}

/* "Notices to candidates" and the notices, shrunk to fit between y and the footer. */
static void draw_notices(struct kw_pdf *d, const struct kw_ticket *t, const struct words *w,
                         double y)
{
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	cairo_set_line_width(d->cr, 0.4);
	cairo_move_to(d->cr, LEFT, y);
	cairo_line_to(d->cr, LEFT + WIDTH, y);
	cairo_stroke(d->cr);
	kw_pdf_text(d, w->notices, LEFT, y + 2, WIDTH, 8,
	            &(struct kw_pdf_font){.bold = 1, .size = 13, .align = KW_PDF_CENTER});
	kw_pdf_text(d, t->notices, LEFT, y + 11, WIDTH, FOOTER_Y - 2 - (y + 11),
	            &(struct kw_pdf_font){.serif = 1,
	                                  .size = 10.5,
	                                  .min_size = 5,
	                                  .wrap = 1,
	                                  .top = 1,
	                                  .line_spacing = 1.1});
}

/* The footer: when the ticket was issued, small, at the bottom right. */
static void draw_footer(struct kw_pdf *d, const struct kw_ticket *t, const struct words *w)
{
	if (!t->issued_at || !*t->issued_at)
		return;
	char line[160];
	snprintf(line, sizeof line, "%s%s", w->issued, t->issued_at);
	cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
	kw_pdf_text(
	        d, line, LEFT, FOOTER_Y, WIDTH, 5,
	        &(struct kw_pdf_font){.serif = 1, .size = 8, .min_size = 6, .align = KW_PDF_RIGHT});
}

int kw_ticket_page(struct kw_pdf *d, const struct kw_ticket *t, struct kw_err *err)
{
	const struct words *w = NULL;
	int rc = check(t, &w, err);
	if (rc || (rc = kw_pdf_page(d, KW_PDF_A4_W, KW_PDF_A4_H, err)))
		return rc;
	draw_head(d, t, w);
	double y = draw_details(d, t, w, err, &rc);
	if (rc)
		return rc;
	double ys = draw_sittings(d, t, w, y + 6);
	double yq = draw_qr(d, t, w, y + 6, err, &rc);
	if (rc)
		return rc;
	draw_notices(d, t, w, fmax(ys, yq) + 5);
	draw_footer(d, t, w);
	if (t->stamp_text && *t->stamp_text)
		kw_pdf_stamp(d, t->stamp_text, 150, 96, 19); /* last: over what it covers */
	return 0;
}

int kw_ticket_pdf(const struct kw_ticket *t, struct kw_buf *out, struct kw_err *err)
{
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, t && t->title ? t->title : NULL, err);
	if (rc)
		return rc;
	if ((rc = kw_ticket_page(&d, t, err))) {
		kw_pdf_abort(&d);
		return rc;
	}
	return kw_pdf_close(&d, err);
}

/* ---- a ticket as bytes ---- */

/* Each string is a u32 length (UINT32_MAX for NULL) and its bytes with their NUL, so that a
 * decoded string points into the data as it is; the photo a u32 length and its bytes. */
#define ENC_MAGIC "KWT1"
#define ENC_NULL  UINT32_MAX

static void enc_u32(struct kw_buf *out, uint32_t v)
{
	kw_buf_add(out, &v, sizeof v);
}

static void enc_str(struct kw_buf *out, const char *s)
{
	if (!s) {
		enc_u32(out, ENC_NULL);
		return;
	}
	size_t n = strlen(s);
	enc_u32(out, (uint32_t)n);
	kw_buf_add(out, s, n + 1);
}

void kw_ticket_encode(const struct kw_ticket *t, struct kw_buf *out)
{
	kw_buf_add(out, ENC_MAGIC, 4);
	const char *strs[] = {t->lang,       t->title,     t->ticket_no,   t->name,
	                      t->sex,        t->id_number, t->centre_name, t->centre_address,
	                      t->room_no,    t->seat_no,   t->notices,     t->qr_payload,
	                      t->stamp_text, t->issued_at};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		enc_str(out, strs[i]);
	enc_u32(out, t->photo_jpeg ? (uint32_t)t->photo_len : ENC_NULL);
	if (t->photo_jpeg)
		kw_buf_add(out, t->photo_jpeg, t->photo_len);
	enc_u32(out, (uint32_t)t->reissue);
	size_t ns = t->sittings ? t->nsittings : 0;
	enc_u32(out, (uint32_t)ns);
	for (size_t i = 0; i < ns; i++) {
		enc_str(out, t->sittings[i].subject);
		enc_str(out, t->sittings[i].date);
		enc_str(out, t->sittings[i].time);
	}
}

struct dec {
	const unsigned char *p;
	size_t left;
	int bad;
};

static uint32_t dec_u32(struct dec *d)
{
	uint32_t v = 0;
	if (d->left < sizeof v) {
		d->bad = 1;
		return 0;
	}
	memcpy(&v, d->p, sizeof v);
	d->p += sizeof v;
	d->left -= sizeof v;
	return v;
}

/* n bytes from the data, or NULL (bad) when fewer are left. */
static const unsigned char *dec_bytes(struct dec *d, size_t n)
{
	if (d->bad || d->left < n) {
		d->bad = 1;
		return NULL;
	}
	const unsigned char *p = d->p;
	d->p += n;
	d->left -= n;
	return p;
}

static const char *dec_str(struct dec *d)
{
	uint32_t n = dec_u32(d);
	if (d->bad || n == ENC_NULL)
		return NULL;
	const char *s = (const char *)dec_bytes(d, (size_t)n + 1);
	if (s && s[n] != '\0')
		d->bad = 1;
	return d->bad ? NULL : s;
}

int kw_ticket_decode(const void *data, size_t n, struct kw_ticket *t,
                     struct kw_ticket_sitting *sits, size_t nsits, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	struct dec d = {data, n, 0};
	const unsigned char *magic = dec_bytes(&d, 4);
	if (!magic || memcmp(magic, ENC_MAGIC, 4) != 0)
		return invalid(err, "not an encoded ticket");
	const char **strs[] = {&t->lang,       &t->title,     &t->ticket_no,   &t->name,
	                       &t->sex,        &t->id_number, &t->centre_name, &t->centre_address,
	                       &t->room_no,    &t->seat_no,   &t->notices,     &t->qr_payload,
	                       &t->stamp_text, &t->issued_at};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		*strs[i] = dec_str(&d);
	uint32_t pl = dec_u32(&d);
	if (!d.bad && pl != ENC_NULL) {
		t->photo_jpeg = dec_bytes(&d, pl);
		t->photo_len = pl;
	}
	t->reissue = (int)dec_u32(&d);
	uint32_t ns = dec_u32(&d);
	if (!d.bad && ns > nsits)
		return invalid(err, "too many sittings");
	for (uint32_t i = 0; !d.bad && i < ns; i++) {
		sits[i].subject = dec_str(&d);
		sits[i].date = dec_str(&d);
		sits[i].time = dec_str(&d);
	}
	if (d.bad || d.left)
		return invalid(err, "a damaged encoded ticket");
	t->sittings = ns ? sits : NULL;
	t->nsittings = ns;
	return 0;
}
