#include "render/letter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/isolate.h"
#include "render/pdf.h"

#define MM_PER_PT (25.4 / 72.0)

/* The text block (版心) of GB/T 9704 on A4 portrait, in mm, and its grid of lines. */
#define LEFT   28.0
#define TEXT_W 156.0
#define TOP    37.0
#define TEXT_H 225.0
#define BOTTOM (TOP + TEXT_H)
#define NLINES 22                   /* lines a page */
#define PITCH  (TEXT_H / NLINES)    /* ~10.23 mm, ~29 pt */
#define EM     (16.0 * MM_PER_PT)   /* a character of the body, ~5.64 mm */
#define SIGN_W (TEXT_W - 4 * EM)    /* issuer and date: four characters in */
#define PAGE_Y (BOTTOM + 7.0)       /* the page number's top, 7 mm under the block */
#define FOOT_Y (KW_PDF_A4_H - 13.0) /* the footer's box, 5 mm high */

/* Sizes, in points. */
#define TITLE_PT 22.0 /* 二号 */
#define BODY_PT  16.0 /* 三号 */
#define PAGE_PT  14.0 /* 四号 */
#define FOOT_PT  8.0

#define TITLE_PITCH (TITLE_PT * MM_PER_PT * 1.45)
#define TITLE_W     (TEXT_W - 2 * TITLE_PT * MM_PER_PT) /* a title character in each side */
#define SEAL_LINES  2 /* blank lines above the issuer, for the seal */
#define KEEP_LINES  2 /* body lines that go with the issuer and the date to their page */
#define TIGHT_LINES 3 /* lines a page more, at most, to keep a document to one page */

/* ---- checking ---- */

static int invalid(struct kw_err *err, const char *what)
{
	kw_err_set(err, KW_EINVAL, "DOCUMENT_INVALID", NULL, "case document: %s", what);
	return KW_EINVAL;
}

/* Nothing but spaces (ASCII or the ideographic space U+3000)? */
static int blank(const char *s)
{
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		else if (!strncmp(s, "\xe3\x80\x80", 3))
			s += 3;
		else
			return 0;
	}
	return 1;
}

int kw_case_document_check(const json_t *doc, struct kw_err *err)
{
	if (!json_is_object(doc))
		return invalid(err, "not a JSON object");
	const json_t *title = json_object_get(doc, "title");
	if (!json_is_string(title) || blank(json_string_value(title)))
		return invalid(err, "no title");
	const json_t *lines = json_object_get(doc, "lines");
	if (!json_is_array(lines))
		return invalid(err, "no lines");
	size_t n = json_array_size(lines);
	if (n < 5)
		return invalid(err, "fewer than 5 lines (number, salutation, body, issuer, date)");
	if (n > KW_LETTER_MAX_LINES)
		return invalid(err, "too many lines");
	size_t total = json_string_length(title);
	for (size_t i = 0; i < n; i++) {
		const json_t *l = json_array_get(lines, i);
		if (!json_is_string(l))
			return invalid(err, "a line that is not a string");
		if ((i < 2 || i >= n - 2) && blank(json_string_value(l)))
			return invalid(err, "a blank number, salutation, issuer or date");
		total += json_string_length(l);
	}
	const json_t *footer = json_object_get(doc, "footer");
	if (footer && !json_is_null(footer) && !json_is_string(footer))
		return invalid(err, "a footer that is not a string");
	total += json_is_string(footer) ? json_string_length(footer) : 0;
	if (total > KW_LETTER_MAX_TEXT)
		return invalid(err, "too much text");
	return 0;
}

/* ---- layout: every line of the document placed on its page before anything is drawn ---- */

/* One line of a layout, where it goes. */
struct place {
	PangoLayoutLine *line; /* borrowed from its layout */
	double x, baseline;    /* mm */
	int page;              /* from 1 */
};

struct flow {
	struct kw_pdf *d;
	PangoLayout **layouts; /* owned */
	size_t nlayouts, alayouts;
	struct place *places;
	size_t nplaces, aplaces;
	double title_w; /* the title's balanced width, mm */
	int page;       /* the page being filled */
	double y;       /* the top of the next line on it, mm */
};

/* A layout of serif text w mm wide, aligned, wrapped, with a first-line indent (mm). */
static PangoLayout *block(struct flow *f, const char *text, double size, int bold, int align,
                          double w, double indent, int justify)
{
	const struct kw_pdf_font font = {.serif = 1, .bold = bold, .size = size, .wrap = 1};
	PangoLayout *l = kw_pdf_layout(f->d, text, &font);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_alignment(l, align == KW_PDF_CENTER  ? PANGO_ALIGN_CENTER
	                              : align == KW_PDF_RIGHT ? PANGO_ALIGN_RIGHT
	                                                      : PANGO_ALIGN_LEFT);
	pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
	pango_layout_set_justify(l, justify);
	if (f->nlayouts == f->alayouts) {
		f->alayouts = f->alayouts ? 2 * f->alayouts : 16;
		f->layouts = kw_xrealloc(f->layouts, f->alayouts * sizeof *f->layouts);
	}
	f->layouts[f->nlayouts++] = l;
	return l;
}

/* Narrows a wrapped layout from w mm while it keeps its number of lines, so that they come
 * out of even length (a title of two lines, not a full line and a stub); the new width. */
static double balance(PangoLayout *l, double w)
{
	int n = pango_layout_get_line_count(l);
	double lo = w / (n + 1), hi = w;
	for (int i = 0; n > 1 && i < 12; i++) {
		double mid = (lo + hi) / 2;
		pango_layout_set_width(l, (int)(mid * PANGO_SCALE));
		if (pango_layout_get_line_count(l) > n)
			lo = mid;
		else
			hi = mid;
	}
	pango_layout_set_width(l, (int)(hi * PANGO_SCALE));
	return hi;
}

/* Begins a new page when fewer than need lines of pitch mm fit under y on this one. */
static void room_for(struct flow *f, double need)
{
	if (f->y > TOP + 1e-6 && f->y + need > BOTTOM + 1e-6) {
		f->page++;
		f->y = TOP;
	}
}

/* Places the iterator's line (of a layout set from x mm) in the next line of pitch mm, the
 * ideographs' em box centred in it, on a new page when it does not fit on this one. */
static void place(struct flow *f, PangoLayoutIter *it, double x, double size, double pitch)
{
	room_for(f, pitch);
	PangoRectangle r;
	pango_layout_iter_get_line_extents(it, NULL, &r);
	if (f->nplaces == f->aplaces) {
		f->aplaces = f->aplaces ? 2 * f->aplaces : 64;
		f->places = kw_xrealloc(f->places, f->aplaces * sizeof *f->places);
	}
	/* an ideograph's em box runs from 0.12 em under the baseline to 0.88 em over it */
	double em = size * MM_PER_PT;
	f->places[f->nplaces++] = (struct place){
	        .line = pango_layout_iter_get_line_readonly(it),
	        .x = x + (double)r.x / PANGO_SCALE,
	        .baseline = f->y + pitch / 2 + 0.38 * em,
	        .page = f->page,
	};
	f->y += pitch;
}

/* Places every line of l, laid out from x mm, at pitch mm. */
static void place_all(struct flow *f, PangoLayout *l, double x, double size, double pitch)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do
		place(f, it, x, size, pitch);
	while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* The layouts of a document in f->layouts, in this order; the body's paragraphs last. */
enum { L_TITLE, L_NUMBER, L_SALUTATION, L_ISSUER, L_DATE, L_BODY };

/* Lays out every block of the document (the places come with flow_at). */
static void build(struct flow *f, const json_t *doc)
{
	const json_t *lines = json_object_get(doc, "lines");
	size_t n = json_array_size(lines);
	/* the title, centred, in lines of even length */
	PangoLayout *title = block(f, json_string_value(json_object_get(doc, "title")), TITLE_PT, 1,
	                           KW_PDF_CENTER, TITLE_W, 0, 0);
	f->title_w = balance(title, TITLE_W);
	/* the number, right-aligned; the salutation, flush left */
	block(f, json_string_value(json_array_get(lines, 0)), BODY_PT, 0, KW_PDF_RIGHT, TEXT_W, 0,
	      0);
	block(f, json_string_value(json_array_get(lines, 1)), BODY_PT, 0, KW_PDF_LEFT, TEXT_W, 0,
	      0);
	/* the issuer and the date, right-aligned four characters from the right margin */
	block(f, json_string_value(json_array_get(lines, n - 2)), BODY_PT, 0, KW_PDF_RIGHT, SIGN_W,
	      0, 0);
	block(f, json_string_value(json_array_get(lines, n - 1)), BODY_PT, 0, KW_PDF_RIGHT, SIGN_W,
	      0, 0);
	/* the body: justified paragraphs, each with a first-line indent of two characters */
	for (size_t i = 2; i < n - 2; i++)
		block(f, json_string_value(json_array_get(lines, i)), BODY_PT, 0, KW_PDF_LEFT,
		      TEXT_W, 2 * EM, 1);
}

/* Places the lines of the layouts on pages, pitch mm apart (the title's apart), into
 * f->places; f->page ends as the number of pages. */
static void flow_at(struct flow *f, double pitch)
{
	PangoLayout **l = f->layouts;
	f->nplaces = 0;
	f->page = 1;
	f->y = TOP;
	place_all(f, l[L_TITLE], LEFT + (TEXT_W - f->title_w) / 2, TITLE_PT, TITLE_PITCH);
	f->y += pitch / 2;
	place_all(f, l[L_NUMBER], LEFT, BODY_PT, pitch);
	f->y += pitch / 2;
	place_all(f, l[L_SALUTATION], LEFT, BODY_PT, pitch);

	/* the last KEEP_LINES lines of the body go to the page of the issuer and the date */
	int tail = SEAL_LINES + pango_layout_get_line_count(l[L_ISSUER]) +
	           pango_layout_get_line_count(l[L_DATE]);
	long total = 0, k = 0;
	for (size_t i = L_BODY; i < f->nlayouts; i++)
		total += pango_layout_get_line_count(l[i]);
	long keep = total < KEEP_LINES ? total : KEEP_LINES;
	for (size_t i = L_BODY; i < f->nlayouts; i++) {
		PangoLayoutIter *it = pango_layout_get_iter(l[i]);
		do {
			if (total - k == keep && (keep + tail) * pitch <= TEXT_H)
				room_for(f, (double)(keep + tail) * pitch);
			place(f, it, LEFT, BODY_PT, pitch);
			k++;
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
	}

	/* room for the seal (past the bottom: the issuer begins the next page) */
	f->y += SEAL_LINES * pitch;
	place_all(f, l[L_ISSUER], LEFT, BODY_PT, pitch);
	place_all(f, l[L_DATE], LEFT, BODY_PT, pitch);
}

/*
 * Lays the document out. One that runs onto a second page is set closer, up to TIGHT_LINES
 * more lines a page, when that brings it onto one (GB/T 9704 adjusts the spacing rather than
 * leave the seal and the date, or a stub of the body, on a page of their own).
 */
static void lay_out(struct flow *f, const json_t *doc)
{
	build(f, doc);
	flow_at(f, PITCH);
	if (f->page != 2)
		return;
	for (int extra = 1; extra <= TIGHT_LINES; extra++) {
		flow_at(f, TEXT_H / (NLINES + extra));
		if (f->page == 1)
			return;
	}
	flow_at(f, PITCH);
}

static void flow_release(struct flow *f)
{
	for (size_t i = 0; i < f->nlayouts; i++)
		g_object_unref(f->layouts[i]);
	free(f->layouts);
	free(f->places);
}

/* ---- drawing ---- */

/* "— i —" at the bottom centre, and the footer, small and grey, under it. */
static void page_foot(struct kw_pdf *d, int page, int pages, const char *footer)
{
	if (pages > 1) {
		char num[32];
		snprintf(num, sizeof num, "— %d —", page);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		kw_pdf_text(d, num, LEFT, PAGE_Y, TEXT_W, 7,
		            &(struct kw_pdf_font){
		                    .serif = 1, .size = PAGE_PT, .align = KW_PDF_CENTER, .top = 1});
	}
	if (footer && !blank(footer)) {
		cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
		kw_pdf_text(d, footer, LEFT, FOOT_Y, TEXT_W, 5,
		            &(struct kw_pdf_font){.serif = 1,
		                                  .size = FOOT_PT,
		                                  .min_size = 6,
		                                  .align = KW_PDF_CENTER});
	}
}

int kw_case_document_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	int rc = kw_case_document_check(doc, err);
	if (rc)
		return rc;
	struct kw_pdf d;
	rc = kw_pdf_open(&d, out, json_string_value(json_object_get(doc, "title")), err);
	if (rc)
		return rc;
	struct flow f = {.d = &d};
	lay_out(&f, doc);
	const char *footer = json_string_value(json_object_get(doc, "footer"));
	size_t i = 0;
	for (int p = 1; !rc && p <= f.page; p++) {
		rc = kw_pdf_page(&d, KW_PDF_A4_W, KW_PDF_A4_H, err);
		cairo_set_source_rgb(d.cr, 0, 0, 0);
		for (; !rc && i < f.nplaces && f.places[i].page == p; i++) {
			cairo_move_to(d.cr, f.places[i].x, f.places[i].baseline);
			pango_cairo_show_layout_line(d.cr, f.places[i].line);
		}
		if (!rc)
			page_foot(&d, p, f.page, footer);
	}
	flow_release(&f);
	if (rc) {
		kw_pdf_abort(&d);
		return rc;
	}
	return kw_pdf_close(&d, err);
}

/* ---- in a child process ---- */

struct isolated {
	const json_t *doc;
};

static int render_child(void *arg, struct kw_buf *out, struct kw_err *err)
{
	const struct isolated *a = arg;
	return kw_case_document_pdf(a->doc, out, err);
}

int kw_case_document_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err)
{
	int rc = kw_case_document_check(doc, err);
	if (rc)
		return rc;
	struct isolated a = {.doc = doc};
	return kw_render_isolated(render_child, &a, out, err);
}
