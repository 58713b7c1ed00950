#include "render/certificate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The page, A4 landscape, in mm. */
#define PAGE_W KW_PDF_A4_H /* 297 */
#define PAGE_H KW_PDF_A4_W /* 210 */

/* The border: an outer frame, a band of diamonds, an inner frame. */
#define OUTER 7.0  /* the outer frame's inset */
#define BAND  10.5 /* the band's centre line */
#define INNER 13.5 /* the inner frame's inset */

/* The content's right edge, inside the inner frame. */
#define RIGHT (PAGE_W - 20.0)

/* The holder: the photo, then the details beside it. */
#define BODY_TOP 64.0
#define PHOTO_X  27.0
#define PHOTO_W  35.0
#define PHOTO_H  45.0
#define FIELD_X  72.0
#define FIELD_W  84.0 /* to x = 156 */
#define LABEL_W  23.0 /* an English label; a Chinese one is four characters */

/* The subjects passed, in the right-hand column. */
#define SUBJ_X   166.0
#define SUBJ_W   (RIGHT - SUBJ_X) /* 111 */
#define SUBJ_BOT 140.0            /* the table ends here at most */

/* The foot: the QR code at the bottom left, the issuer and the stamp at the bottom right. */
#define QR_SIZE  40.0 /* the code with its quiet zone */
#define QR_X     (PHOTO_X + PHOTO_W / 2 - QR_SIZE / 2)
#define QR_Y     142.0
#define ISSUER_Y 149.0
#define STAMP_X  (SUBJ_X + SUBJ_W / 2)
#define STAMP_Y  159.0
#define STAMP_R  19.0

/* The printed words, in one language. */
struct words {
	const char *title, *number, *statement, *name, *sex, *id_number, *qualification, *major,
	        *exam, *photo, *subjects, *code, *subject, *score, *year, *issuer, *issued_on,
	        *verify, *revoked;
	int spread; /* 1: labels spread over four characters' width, as Chinese forms set them */
};

static const struct words zh = {
        .title = "专业技术人员职业资格证书",
        .number = "证书编号：",
        .statement = "兹证明持证人经考试合格，取得本证书所列资格。",
        .name = "姓名",
        .sex = "性别",
        .id_number = "证件号码",
        .qualification = "资格名称",
        .major = "专业",
        .exam = "考试名称",
        .photo = "照片",
        .subjects = "合格科目",
        .code = "科目代码",
        .subject = "科目名称",
        .score = "成绩",
        .year = "通过年度",
        .issuer = "发证机关：",
        .issued_on = "发证日期：",
        .verify = "验证：",
        .revoked = "已撤销",
        .spread = 1,
};

static const struct words en = {
        .title = "Professional Qualification Certificate",
        .number = "Certificate No. ",
        .statement = "This is to certify that the holder has passed the examination and "
                     "holds the qualification stated herein.",
        .name = "Name",
        .sex = "Sex",
        .id_number = "ID number",
        .qualification = "Qualification",
        .major = "Specialty",
        .exam = "Examination",
        .photo = "Photo",
        .subjects = "Subjects passed",
        .code = "Code",
        .subject = "Subject",
        .score = "Score",
        .year = "Year passed",
        .issuer = "Issued by: ",
        .issued_on = "Date of issue: ",
        .verify = "Verify: ",
        .revoked = "REVOKED",
        .spread = 0,
};

/* The border's colours: a deep red for the frames, a muted gold for the ornament. */
static void frame_colour(cairo_t *cr)
{
	cairo_set_source_rgb(cr, 0.55, 0.12, 0.10);
}

static void gold(cairo_t *cr)
{
	cairo_set_source_rgb(cr, 0.68, 0.52, 0.22);
}

/* The labels for lang, or NULL for a language we do not print. */
static const struct words *words_for(const char *lang)
{
	if (!lang || !strncmp(lang, "zh", 2))
		return &zh;
	if (!strncmp(lang, "en", 2))
		return &en;
	return NULL;
}

/* Refuses the certificate: KW_EINVAL, whatever kw_err_set makes of err. */
static int invalid(struct kw_err *err, const char *what)
{
	kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "certificate: %s", what);
	return KW_EINVAL;
}

/* What must hold before anything is drawn, so that a refusal leaves no half page. */
static int check(const struct kw_certificate *c, const struct words **w, struct kw_err *err)
{
	if (!c || !c->number || !*c->number || !c->name || !*c->name)
		return invalid(err, "no certificate number or name");
	if (!(*w = words_for(c->lang)))
		return invalid(err, "unknown language");
	if (c->nsubjects && !c->subjects)
		return invalid(err, "no subjects");
	if (c->nsubjects > KW_CERTIFICATE_MAX_SUBJECTS)
		return invalid(err, "too many subjects");
	if (c->qr_payload && strlen(c->qr_payload) > KW_CERTIFICATE_QR_MAX)
		return invalid(err, "QR payload too long");
	int pw, ph;
	if (c->photo_jpeg)
		return kw_pdf_jpeg_size(c->photo_jpeg, c->photo_len, &pw, &ph, err);
	return 0;
}

/* "2027-03-01" as 2027年3月1日 in Chinese; anything else (and English) as given. g_free it. */
static char *date_text(const char *s, const struct words *w)
{
	unsigned y, m, d;
	int end = 0;
	if (s && w == &zh && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	    sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &end) == 3 && end == 10 && m >= 1 && m <= 12 &&
	    d >= 1 && d <= 31)
		return g_strdup_printf("%u年%u月%u日", y, m, d);
	return g_strdup(s ? s : "");
}

/* ---- the border ---- */

/* A diamond (a square on its point) of half-diagonal r at cx, cy: a path. */
static void diamond(cairo_t *cr, double cx, double cy, double r)
{
	cairo_move_to(cr, cx, cy - r);
	cairo_line_to(cr, cx + r, cy);
	cairo_line_to(cr, cx, cy + r);
	cairo_line_to(cr, cx - r, cy);
	cairo_close_path(cr);
}

/* A chain of diamonds along the band from x0, y0 to x1, y1 (one side, corners excluded). */
static void chain(cairo_t *cr, double x0, double y0, double x1, double y1)
{
	double len = hypot(x1 - x0, y1 - y0);
	int n = (int)floor(len / 4.0);
	if (n < 1)
		return;
	double dx = (x1 - x0) / n, dy = (y1 - y0) / n;
	for (int i = 0; i < n; i++) {
		double cx = x0 + dx * (i + 0.5), cy = y0 + dy * (i + 0.5);
		diamond(cr, cx, cy, 1.7);
		cairo_stroke(cr);
		diamond(cr, cx, cy, 0.45);
		cairo_fill(cr);
	}
}

/* The decorative border: a heavy outer frame, a band of linked diamonds between rules, corner
 * blocks where the bands meet, and a double inner frame. */
static void draw_border(struct kw_pdf *d)
{
	cairo_t *cr = d->cr;
	cairo_save(cr);
	frame_colour(cr);
	cairo_set_line_width(cr, 1.1);
	cairo_rectangle(cr, OUTER, OUTER, PAGE_W - 2 * OUTER, PAGE_H - 2 * OUTER);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.5);
	cairo_rectangle(cr, INNER - 0.5, INNER - 0.5, PAGE_W - 2 * (INNER - 0.5),
	                PAGE_H - 2 * (INNER - 0.5));
	cairo_stroke(cr);

	gold(cr);
	cairo_set_line_width(cr, 0.25);
	cairo_rectangle(cr, INNER + 0.6, INNER + 0.6, PAGE_W - 2 * (INNER + 0.6),
	                PAGE_H - 2 * (INNER + 0.6));
	cairo_stroke(cr);
	const double c0 = BAND + 2.5, c1x = PAGE_W - BAND - 2.5, c1y = PAGE_H - BAND - 2.5;
	chain(cr, c0, BAND, c1x, BAND);                   /* top */
	chain(cr, c0, PAGE_H - BAND, c1x, PAGE_H - BAND); /* bottom */
	chain(cr, BAND, c0, BAND, c1y);                   /* left */
	chain(cr, PAGE_W - BAND, c0, PAGE_W - BAND, c1y); /* right */

	/* a block at each corner: a red square with a gold diamond in it */
	const double cx[2] = {BAND, PAGE_W - BAND}, cy[2] = {BAND, PAGE_H - BAND};
	for (int i = 0; i < 4; i++) {
		double x = cx[i & 1], y = cy[i >> 1];
		frame_colour(cr);
		cairo_rectangle(cr, x - 2.4, y - 2.4, 4.8, 4.8);
		cairo_fill(cr);
		gold(cr);
		diamond(cr, x, y, 1.9);
		cairo_fill(cr);
		frame_colour(cr);
		diamond(cr, x, y, 0.7);
		cairo_fill(cr);
	}
	cairo_restore(cr);
}

/* ---- the text ---- */

/* The number at the top right, inside the inner frame. */
static void draw_number(struct kw_pdf *d, const struct kw_certificate *c, const struct words *w)
{
	char *line = g_strdup_printf("%s%s", w->number, c->number);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, line, 150, 17, RIGHT - 150, 6,
	            &(struct kw_pdf_font){
	                    .bold = 1, .size = 10.5, .min_size = 7, .align = KW_PDF_RIGHT});
	g_free(line);
}

/* The title block where a paper certificate has its emblem: the title, an ornamental rule
 * under it and the statement of what the certificate attests. */
static void draw_title(struct kw_pdf *d, const struct kw_certificate *c, const struct words *w)
{
	cairo_t *cr = d->cr;
	const char *title = c->title && *c->title ? c->title : w->title;
	/* a Chinese title of one line set wide, as certificates do; a longer one closer */
	double spacing = !w->spread                          ? 0.5
	                 : !g_utf8_validate(title, -1, NULL) ? 2
	                 : g_utf8_strlen(title, -1) <= 16    ? 6
	                                                     : 2;
	frame_colour(cr);
	kw_pdf_text(d, title, 45, 24, PAGE_W - 90, 21,
	            &(struct kw_pdf_font){.serif = 1,
	                                  .bold = 1,
	                                  .size = 28,
	                                  .min_size = 14,
	                                  .wrap = 1,
	                                  .balance = 1,
	                                  .align = KW_PDF_CENTER,
	                                  .letter_spacing = spacing});
	/* the rule: two lines with a diamond between them */
	double mid = PAGE_W / 2, y = 48;
	cairo_save(cr);
	gold(cr);
	cairo_set_line_width(cr, 0.4);
	cairo_move_to(cr, mid - 55, y);
	cairo_line_to(cr, mid - 4, y);
	cairo_move_to(cr, mid + 4, y);
	cairo_line_to(cr, mid + 55, y);
	cairo_stroke(cr);
	diamond(cr, mid, y, 1.6);
	cairo_fill(cr);
	cairo_restore(cr);
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	kw_pdf_text(d, w->statement, 40, 51, PAGE_W - 80, 7,
	            &(struct kw_pdf_font){
	                    .serif = 1, .size = 11, .min_size = 8, .align = KW_PDF_CENTER});
}

/* A label in the box x, y, w, h: in Chinese its characters spread evenly over the width
 * (姓　　名 over 证件号码), in English as it is, both centred vertically. */
static void label(struct kw_pdf *d, const char *text, const struct words *w, double x, double y,
                  double bw, double h)
{
	const struct kw_pdf_font f = {.bold = 1, .size = 10.5, .min_size = 7};
	cairo_set_source_rgb(d->cr, 0.2, 0.2, 0.2);
	long n = g_utf8_strlen(text, -1);
	if (!w->spread || n < 2) {
		kw_pdf_text(d, text, x, y, bw, h, &f);
		return;
	}
	/* one layout a character, each at its place: the first at x, the last ending at x + bw */
	double cw = 0, lh = 0;
	const char *p = text;
	PangoLayout *ls[8];
	n = n > 8 ? 8 : n;
	for (long i = 0; i < n; i++, p = g_utf8_next_char(p)) {
		char ch[8] = {0};
		memcpy(ch, p, (size_t)(g_utf8_next_char(p) - p));
		ls[i] = kw_pdf_layout(d, ch, &f);
		PangoRectangle r;
		pango_layout_get_extents(ls[i], NULL, &r);
		cw = fmax(cw, (double)r.width / PANGO_SCALE);
		lh = fmax(lh, (double)r.height / PANGO_SCALE);
	}
	double step = (bw - cw) / (double)(n - 1);
	for (long i = 0; i < n; i++) {
		cairo_move_to(d->cr, x + step * (double)i, y + (h - lh) / 2);
		pango_cairo_show_layout(d->cr, ls[i]);
		g_object_unref(ls[i]);
	}
}

/* A copy of text with a line break after the name-part separator (· U+00B7, • U+2022 or
 * ・ U+30FB) nearest its middle, to be g_free'd; NULL when it has none. */
static char *break_at_dot(const char *text)
{
	if (!g_utf8_validate(text, -1, NULL))
		return NULL;
	long n = g_utf8_strlen(text, -1), i = 0, best = -1;
	const char *at = NULL;
	for (const char *p = text; *p; p = g_utf8_next_char(p), i++) {
		gunichar u = g_utf8_get_char(p);
		if ((u == 0xB7 || u == 0x2022 || u == 0x30FB) && i > 0 && i < n - 1 &&
		    (best < 0 || labs(2 * i - n) < labs(2 * best - n))) {
			best = i;
			at = g_utf8_next_char(p);
		}
	}
	if (!at)
		return NULL;
	return g_strdup_printf("%.*s\n%s", (int)(at - text), text, at);
}

/*
 * Sets a value in the box x, y, w, h: on one line, shrunk from f's size down to one_min
 * points, when it fits so; else in two balanced lines, shrunk as far as f's min_size. A name of
 * parts joined by a middle dot (阿卜杜热合曼·买买提艾力) breaks after a dot rather than inside
 * a part. Returns the height of the text as drawn (mm).
 */
static double value(struct kw_pdf *d, const char *text, double x, double y, double w, double h,
                    const struct kw_pdf_font *f, double one_min)
{
	if (!text || !*text)
		return 0;
	struct kw_pdf_font one = *f;
	one.wrap = 0;
	one.size = one_min;
	PangoLayout *l = kw_pdf_layout(d, text, &one);
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	g_object_unref(l);
	if ((double)r.width / PANGO_SCALE <= w) {
		one.size = f->size;
		one.min_size = one_min;
		return kw_pdf_text(d, text, x, y, w, h, &one);
	}
	struct kw_pdf_font two = *f;
	two.wrap = 1;
	two.balance = 1;
	two.line_spacing = 1.0;
	char *split = break_at_dot(text);
	double drawn = kw_pdf_text(d, split ? split : text, x, y, w, h, &two);
	g_free(split);
	return drawn;
}

/* The holder's details beside the photo: a label, the value and a dotted line under it. */
static void draw_fields(struct kw_pdf *d, const struct kw_certificate *c, const struct words *w)
{
	const struct kw_pdf_font plain = {.serif = 1, .size = 12, .min_size = 7};
	const struct kw_pdf_font strong = {.serif = 1, .bold = 1, .size = 13, .min_size = 7};
	const struct {
		const char *label, *value;
		double h;             /* the row, mm */
		struct kw_pdf_font f; /* the value's */
		double one_min;       /* the least size on one line, before two lines */
	} rows[] = {
	        {w->name, c->name, 12, {.serif = 1, .bold = 1, .size = 17, .min_size = 8}, 12},
	        {w->sex, c->sex, 9, plain, 7},
	        {w->id_number, c->id_number, 9, plain, 7},
	        {w->qualification, c->qualification, 14, strong, 10.5},
	        {w->major, c->major, 9, plain, 10},
	        {w->exam, c->exam, 14, plain, 10},
	};
	/* a Chinese label is four characters wide; an English one as wide as the longest */
	double lw = w->spread ? 4 * 10.5 * 25.4 / 72 : LABEL_W, vx = FIELD_X + lw + 3;
	double y = BODY_TOP, vw = FIELD_X + FIELD_W - vx;
	cairo_t *cr = d->cr;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		double h = rows[i].h;
		label(d, rows[i].label, w, FIELD_X, y + 0.5, lw, h - 1.5);
		cairo_set_source_rgb(cr, 0, 0, 0);
		value(d, rows[i].value, vx + 1, y + 0.3, vw - 1, h - 1.3, &rows[i].f,
		      rows[i].one_min);
		cairo_save(cr);
		gold(cr);
		cairo_set_line_width(cr, 0.3);
		cairo_set_dash(cr, (const double[]){0.6, 0.9}, 2, 0);
		cairo_move_to(cr, vx, y + h - 0.6);
		cairo_line_to(cr, vx + vw, y + h - 0.6);
		cairo_stroke(cr);
		cairo_restore(cr);
		y += h + 1.5;
	}
}

/* The photo: the JPEG fitted into its box in a thin frame, or the framed box saying where it
 * goes. */
static int draw_photo(struct kw_pdf *d, const struct kw_certificate *c, const struct words *w,
                      struct kw_err *err)
{
	kw_pdf_box(d, PHOTO_X - 1, BODY_TOP - 1, PHOTO_W + 2, PHOTO_H + 2, 0.25);
	if (c->photo_jpeg)
		return kw_pdf_jpeg(d, c->photo_jpeg, c->photo_len, PHOTO_X, BODY_TOP, PHOTO_W,
		                   PHOTO_H, err);
	cairo_set_source_rgb(d->cr, 0.45, 0.45, 0.45);
	kw_pdf_text(d, w->photo, PHOTO_X, BODY_TOP, PHOTO_W, PHOTO_H,
	            &(struct kw_pdf_font){.serif = 1, .size = 12, .align = KW_PDF_CENTER});
	return 0;
}

/* A cell of the subjects table: its frame, an optional tinted ground, the text centred. */
static void cell(struct kw_pdf *d, double x, double y, double w, double h, const char *text,
                 const struct kw_pdf_font *f, int shade)
{
	if (shade) {
		cairo_set_source_rgb(d->cr, 0.97, 0.94, 0.86);
		cairo_rectangle(d->cr, x, y, w, h);
		cairo_fill(d->cr);
	}
	kw_pdf_box(d, x, y, w, h, 0.25);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, text, x + 1.5, y + 0.3, w - 3, h - 0.6, f);
}

/* The subjects passed, a row each with the year of its pass, in the right-hand column. */
static void draw_subjects(struct kw_pdf *d, const struct kw_certificate *c, const struct words *w)
{
	if (!c->nsubjects)
		return;
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	kw_pdf_text(d, w->subjects, SUBJ_X, BODY_TOP - 1, SUBJ_W, 7,
	            &(struct kw_pdf_font){.bold = 1, .size = 11.5, .align = KW_PDF_CENTER});
	double top = BODY_TOP + 7, rh = 8;
	if ((double)(c->nsubjects + 1) * rh > SUBJ_BOT - top)
		rh = (SUBJ_BOT - top) / (double)(c->nsubjects + 1);
	const double cw[4] = {17, SUBJ_W - 17 - 16 - 24, 16, 24};
	double fs = fmin(11, rh / 0.62); /* a row's text, pt: the line is ~1.45 em */
	const struct kw_pdf_font hf = {
	        .bold = 1, .size = fs - 1, .min_size = 5, .align = KW_PDF_CENTER};
	const struct kw_pdf_font vf = {
	        .serif = 1, .size = fs, .min_size = 5, .align = KW_PDF_CENTER};
	const struct kw_pdf_font nf = {.serif = 1, .size = fs, .min_size = 5};
	const char *head[4] = {w->code, w->subject, w->score, w->year};
	double y = top;
	for (size_t r = 0; r <= c->nsubjects; r++, y += rh) {
		const struct kw_certificate_subject *s = r ? &c->subjects[r - 1] : NULL;
		const char *v[4] = {s ? s->code : NULL, s ? s->name : NULL, s ? s->score : NULL,
		                    s ? s->year : NULL};
		double x = SUBJ_X;
		for (int k = 0; k < 4; x += cw[k], k++)
			cell(d, x, y, cw[k], rh, r ? v[k] : head[k],
			     !r       ? &hf
			     : k == 1 ? &nf
			              : &vf,
			     !r);
	}
	kw_pdf_box(d, SUBJ_X, top, SUBJ_W, y - top, 0.5);
}

/* The issuer (one line, or two when long) and the date of issue under it, at the bottom
 * right, where the stamp goes over them. */
static void draw_issuer(struct kw_pdf *d, const struct kw_certificate *c, const struct words *w)
{
	const struct kw_pdf_font f = {
	        .serif = 1, .size = 12.5, .min_size = 7, .align = KW_PDF_CENTER, .top = 1};
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	char *line = g_strdup_printf("%s%s", w->issuer, c->issuer ? c->issuer : "");
	double h = value(d, line, SUBJ_X, ISSUER_Y, SUBJ_W, 12, &f, 10);
	g_free(line);
	char *date = date_text(c->issued_on, w);
	line = g_strdup_printf("%s%s", w->issued_on, date);
	kw_pdf_text(d, line, SUBJ_X, ISSUER_Y + fmax(h, 5) + 3, SUBJ_W, 6, &f);
	g_free(line);
	g_free(date);
}

/* The QR code at the bottom left, and the verification address under it. */
static int draw_qr(struct kw_pdf *d, const struct kw_certificate *c, const struct words *w,
                   struct kw_err *err)
{
	if (c->qr_payload && *c->qr_payload) {
		int rc = kw_pdf_qr(d, c->qr_payload, QR_X, QR_Y, QR_SIZE, err);
		if (rc)
			return rc;
	}
	if (!c->verify_url || !*c->verify_url)
		return 0;
	char *line = g_strdup_printf("%s%s", w->verify, c->verify_url);
	cairo_set_source_rgb(d->cr, 0.2, 0.2, 0.2);
	kw_pdf_text(d, line, QR_X + 2.5, QR_Y + QR_SIZE, SUBJ_X - 6 - (QR_X + 2.5), 5,
	            &(struct kw_pdf_font){.serif = 1, .size = 8.5, .min_size = 5.5});
	g_free(line);
	return 0;
}

/* Fills a layout in translucent red and outlines it in a firmer red, from the current point. */
static void mark_layout(cairo_t *cr, PangoLayout *l, double x, double y, double lw)
{
	cairo_move_to(cr, x, y);
	pango_cairo_update_layout(cr, l);
	cairo_set_source_rgba(cr, 0.85, 0.05, 0.05, 0.22);
	pango_cairo_show_layout(cr, l);
	cairo_move_to(cr, x, y);
	pango_cairo_layout_path(cr, l);
	cairo_set_source_rgba(cr, 0.8, 0.05, 0.05, 0.75);
	cairo_set_line_width(cr, lw);
	cairo_stroke(cr);
}

/*
 * The revocation mark: the word of the page's language large along its rising diagonal, the
 * other language's word under it, translucent red with a firmer outline, so that it cannot be
 * missed nor cut off a copy, yet what it crosses stays legible. It is text (a reader of the
 * PDF finds it), and it stops short of the QR code, which still reads.
 */
static void draw_revoked(struct kw_pdf *d, const struct words *w)
{
	cairo_t *cr = d->cr;
	const struct words *o = w == &zh ? &en : &zh;
	PangoLayout *big = kw_pdf_layout(
	        d, w->revoked,
	        &(struct kw_pdf_font){.bold = 1, .size = 100, .letter_spacing = w->spread ? 0 : 6});
	PangoLayout *sub = kw_pdf_layout(
	        d, o->revoked,
	        &(struct kw_pdf_font){.bold = 1, .size = 30, .letter_spacing = o->spread ? 0 : 4});
	PangoRectangle b, u;
	pango_layout_get_extents(big, NULL, &b);
	pango_layout_get_extents(sub, NULL, &u);
	double bw = (double)b.width / PANGO_SCALE, bh = (double)b.height / PANGO_SCALE;
	double uw = (double)u.width / PANGO_SCALE, uh = (double)u.height / PANGO_SCALE;
	double s = fmin(170 / bw, 50 / bh); /* the word at most 170 mm long and 50 mm high */
	double top = -(bh + uh * 0.8) / 2;  /* the two centred as a block */
	cairo_save(cr);
	cairo_translate(cr, PAGE_W / 2, PAGE_H / 2);
	cairo_rotate(cr, -atan2(PAGE_H, PAGE_W));
	cairo_scale(cr, s, s);
	mark_layout(cr, big, -bw / 2, top, 0.5 / s);
	mark_layout(cr, sub, -uw / 2, top + bh * 0.92, 0.3 / s);
	cairo_restore(cr);
	g_object_unref(big);
	g_object_unref(sub);
}

int kw_certificate_page(struct kw_pdf *d, const struct kw_certificate *c, struct kw_err *err)
{
	const struct words *w = NULL;
	int rc = check(c, &w, err);
	if (rc || (rc = kw_pdf_page(d, PAGE_W, PAGE_H, err)))
		return rc;
	draw_border(d);
	draw_number(d, c, w);
	draw_title(d, c, w);
	if ((rc = draw_photo(d, c, w, err)))
		return rc;
	draw_fields(d, c, w);
	draw_subjects(d, c, w);
	draw_issuer(d, c, w);
	if ((rc = draw_qr(d, c, w, err)))
		return rc;
	if (c->stamp_text && *c->stamp_text)
		kw_pdf_stamp(d, c->stamp_text, STAMP_X, STAMP_Y, STAMP_R); /* over the issuer */
	if (c->revoked)
		draw_revoked(d, w); /* last: over everything */
	return 0;
}

int kw_certificate_pdf(const struct kw_certificate *c, struct kw_buf *out, struct kw_err *err)
{
	const struct words *w = c ? words_for(c->lang) : NULL;
	const char *title = c && c->title && *c->title ? c->title : w ? w->title : NULL;
	/* the document's title as metadata: cairo fails the whole document on invalid UTF-8 */
	char *meta = title ? g_utf8_make_valid(title, -1) : NULL;
	struct kw_pdf d;
	int rc = kw_pdf_open(&d, out, meta, err);
	g_free(meta);
	if (rc)
		return rc;
	if ((rc = kw_certificate_page(&d, c, err))) {
		kw_pdf_abort(&d);
		return rc;
	}
	return kw_pdf_close(&d, err);
}
