#include "render/pdf.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <qrencode.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* jpeglib.h needs stdio.h before it. */
#include <jpeglib.h>
#include <math.h>
#include <pango/pangocairo.h>

#define MM_PER_PT       (25.4 / 72.0) /* a point, in mm */
#define JPEG_MAX_PIXELS 16000000      /* the size of the image surface that carries a JPEG */

#ifndef KW_FONT_DIR
#define KW_FONT_DIR "fonts"
#endif

/* ---- our faces ---- */

/* The files tools/mkfonts.py writes (.ttf, or .otf when built with CFF outlines). */
static const char *const font_files[] = {"KaowuSansSC-Regular", "KaowuSansSC-Bold",
                                         "KaowuSerifSC-Regular", "KaowuSerifSC-Bold"};

static pthread_mutex_t fonts_mu = PTHREAD_MUTEX_INITIALIZER;
static int fonts_tried; /* since the process started or kw_pdf_shutdown */
static int fonts_loaded;

int kw_pdf_fonts(void)
{
	pthread_mutex_lock(&fonts_mu);
	if (!fonts_tried) {
		fonts_tried = 1;
		fonts_loaded = 0;
		const char *dir = getenv("KAOWU_FONTS");
		if (!dir || !*dir)
			dir = KW_FONT_DIR;
		for (size_t i = 0; i < sizeof font_files / sizeof *font_files; i++) {
			static const char *const ext[] = {".ttf", ".otf"};
			for (size_t e = 0; e < 2; e++) {
				char path[4096];
				int n = snprintf(path, sizeof path, "%s/%s%s", dir, font_files[i],
				                 ext[e]);
				if (n <= 0 || (size_t)n >= sizeof path || access(path, R_OK))
					continue;
				/* NULL: the current configuration, created here if need be. */
				if (FcConfigAppFontAddFile(NULL, (const FcChar8 *)path)) {
					fonts_loaded++;
					break;
				}
			}
		}
	}
	int n = fonts_loaded;
	pthread_mutex_unlock(&fonts_mu);
	return n;
}

/* ---- the document ---- */

/* cairo's write callback: appends to out, and remembers the first refusal (out's cap). */
static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	struct kw_pdf *d = closure;
	if (d->wrc)
		return CAIRO_STATUS_WRITE_ERROR;
	int rc = kw_buf_add(d->out, data, len);
	if (rc) {
		d->wrc = rc;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Puts out back to the length it had when the document opened. */
static void truncate_out(struct kw_pdf *d)
{
	if (d->out && d->out->alloc && d->out->len > d->start) {
		d->out->len = d->start;
		d->out->buf[d->start] = '\0';
	}
}

/* A pango context for PDF output: zh-cn, unhinted metrics, unrounded glyph positions. */
static PangoContext *pdf_context(cairo_t *cr)
{
	PangoContext *pc = pango_cairo_create_context(cr);
	pango_context_set_language(pc, pango_language_from_string("zh-cn"));
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(pc, FALSE);
	return pc;
}

int kw_pdf_open(struct kw_pdf *d, struct kw_buf *out, const char *title, struct kw_err *err)
{
	kw_pdf_fonts();
	memset(d, 0, sizeof *d);
	d->out = out;
	d->start = out->len;
	d->w = KW_PDF_A4_W;
	d->h = KW_PDF_A4_H;
	d->surface = cairo_pdf_surface_create_for_stream(write_out, d, d->w / MM_PER_PT,
	                                                 d->h / MM_PER_PT);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		kw_pdf_abort(d);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                  "pdf: cannot create a surface");
	}
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "kaowu");
	if (title && *title)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	d->cr = cairo_create(d->surface);
	cairo_scale(d->cr, 1 / MM_PER_PT, 1 / MM_PER_PT);
	d->pc = pdf_context(d->cr);
	return 0;
}

int kw_pdf_page(struct kw_pdf *d, double w, double h, struct kw_err *err)
{
	if (w <= 0 || h <= 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "pdf: bad page size");
	if (d->pages)
		cairo_show_page(d->cr);
	cairo_pdf_surface_set_size(d->surface, w / MM_PER_PT, h / MM_PER_PT);
	d->w = w;
	d->h = h;
	d->pages++;
	return 0;
}

int kw_pdf_close(struct kw_pdf *d, struct kw_err *err)
{
	if (!d->surface)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "pdf: not open");
	if (d->pages)
		cairo_show_page(d->cr);
	cairo_status_t st = cairo_status(d->cr);
	g_clear_object(&d->pc);
	cairo_destroy(d->cr);
	d->cr = NULL;
	cairo_surface_finish(d->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	d->surface = NULL;
	int rc = 0;
	if (d->wrc)
		rc = kw_err_set(err, d->wrc, "EXPORT_TOO_BIG", NULL, "pdf: larger than allowed");
	else if (st != CAIRO_STATUS_SUCCESS)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "pdf: %s",
		                cairo_status_to_string(st));
	if (rc)
		truncate_out(d);
	return rc;
}

void kw_pdf_abort(struct kw_pdf *d)
{
	d->wrc = d->wrc ? d->wrc : KW_EINTERNAL; /* nothing more reaches out */
	g_clear_object(&d->pc);
	if (d->cr)
		cairo_destroy(d->cr);
	d->cr = NULL;
	if (d->surface)
		cairo_surface_destroy(d->surface);
	d->surface = NULL;
	truncate_out(d);
}

/* ---- text ---- */

/* A layout of text at size points, w mm wide (alignment, wrapping and spacing from f). */
static PangoLayout *layout_at(struct kw_pdf *d, const char *text, const struct kw_pdf_font *f,
                              double size, double w)
{
	pango_cairo_update_context(d->cr, d->pc);
	PangoLayout *l = pango_layout_new(d->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, f->serif ? KW_PDF_SERIF : KW_PDF_SANS);
	pango_font_description_set_weight(fd, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, size * MM_PER_PT * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (f->letter_spacing > 0) {
		PangoAttrList *al = pango_attr_list_new();
		pango_attr_list_insert(al,
		                       pango_attr_letter_spacing_new(
		                               (int)(f->letter_spacing * MM_PER_PT * PANGO_SCALE)));
		pango_layout_set_attributes(l, al);
		pango_attr_list_unref(al);
	}
	pango_layout_set_text(l, text, -1);
	if (w > 0)
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_alignment(l, f->align == KW_PDF_CENTER  ? PANGO_ALIGN_CENTER
	                              : f->align == KW_PDF_RIGHT ? PANGO_ALIGN_RIGHT
	                                                         : PANGO_ALIGN_LEFT);
	if (f->wrap) {
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		if (f->line_spacing > 0)
			pango_layout_set_line_spacing(l, (float)f->line_spacing);
	} else if (w > 0) {
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	return l;
}

/* Height of a layout (mm). */
static double layout_height(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return (double)r.height / PANGO_SCALE;
}

/* Whether the layout fits h mm: every line whole (one line: not ellipsized) and not taller. */
static int fits(PangoLayout *l, double h)
{
	return !pango_layout_is_ellipsized(l) && layout_height(l) <= h + 1e-6;
}

/* text as valid UTF-8: itself, or *tmp (to be g_free'd) with invalid bytes replaced. */
static const char *valid_utf8(const char *text, char **tmp)
{
	*tmp = NULL;
	if (!text)
		return "";
	if (g_utf8_validate(text, -1, NULL))
		return text;
	*tmp = g_utf8_make_valid(text, -1);
	return *tmp;
}

/* Narrows l from w mm while it keeps its number of lines, so that they come out of even
 * length; returns the new width (mm). */
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

/* The height of the lines of l that fit whole in h mm (h itself when not even one does). */
static double whole_lines(PangoLayout *l, double h)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double fit = 0;
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double bottom = (double)(r.y + r.height) / PANGO_SCALE;
		if (bottom > h + 1e-6)
			break;
		fit = bottom;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return fit > 0 ? fit : h;
}

double kw_pdf_text(struct kw_pdf *d, const char *text, double x, double y, double w, double h,
                   const struct kw_pdf_font *f)
{
	char *tmp;
	const char *s = valid_utf8(text, &tmp);
	double size = f->size > 0 ? f->size : 10;
	PangoLayout *l = layout_at(d, s, f, size, w);
	while (f->min_size > 0 && size - 0.25 >= f->min_size && !fits(l, h)) {
		g_object_unref(l);
		size -= 0.25;
		l = layout_at(d, s, f, size, w);
	}
	double lw = f->wrap && f->balance ? balance(l, w) : w;
	double dx = f->align == KW_PDF_CENTER  ? (w - lw) / 2
	            : f->align == KW_PDF_RIGHT ? w - lw
	                                       : 0;
	double lh = layout_height(l);
	cairo_save(d->cr);
	cairo_rectangle(d->cr, x, y, w, lh > h ? whole_lines(l, h) : h);
	cairo_clip(d->cr);
	cairo_move_to(d->cr, x + dx, f->top || lh >= h ? y : y + (h - lh) / 2);
	pango_cairo_show_layout(d->cr, l);
	cairo_restore(d->cr);
	g_object_unref(l);
	g_free(tmp);
	return lh < h ? lh : h;
}

PangoLayout *kw_pdf_layout(struct kw_pdf *d, const char *text, const struct kw_pdf_font *f)
{
	char *tmp;
	PangoLayout *l = layout_at(d, valid_utf8(text, &tmp), f, f->size > 0 ? f->size : 10, 0);
	g_free(tmp);
	return l;
}

void kw_pdf_box(struct kw_pdf *d, double x, double y, double w, double h, double lw)
{
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	cairo_set_line_width(d->cr, lw);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
}

/* ---- QR code ---- */

int kw_pdf_qr(struct kw_pdf *d, const char *payload, double x, double y, double size,
              struct kw_err *err)
{
	if (!payload || !*payload || strlen(payload) > KW_PDF_QR_MAX)
		return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
		                  "qr: payload empty or too long");
	errno = 0;
	QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return errno == ENOMEM ? kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL,
		                                    "qr: out of memory")
		                       : kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
		                                    "qr: payload cannot be encoded (%zu bytes)",
		                                    strlen(payload));
	/* One pixel a module, four modules each side for the quiet zone: a 1-bit image that
	 * the PDF carries as a stencil mask painted black, scaled without smoothing, so the
	 * modules print as sharp squares. (A vector square per run of modules cost ~3 ms a
	 * code in cairo's number formatting and compression; the stencil costs almost nothing
	 * and is ~0.5 KB.) */
	int n = q->width, side = n + 8;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A1, side, side);
	cairo_surface_flush(img);
	unsigned char *px = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	if (!px) {
		cairo_surface_destroy(img);
		QRcode_free(q);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "qr: out of memory");
	}
	for (int r = 0; r < n; r++) {
		/* A1 pixels are packed in 32-bit words, the first pixel in the word's lowest bit
		 * on a little-endian machine and its highest on a big-endian one. */
		uint32_t *row = (uint32_t *)(void *)(px + (size_t)(r + 4) * (size_t)stride);
		for (int c = 0; c < n; c++) {
			if (!(q->data[r * n + c] & 1))
				continue;
			unsigned x0 = (unsigned)c + 4;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			row[x0 / 32] |= 1u << (31 - x0 % 32);
#else
			row[x0 / 32] |= 1u << (x0 % 32);
#endif
		}
	}
	cairo_surface_mark_dirty(img);
	cairo_pattern_t *pat = cairo_pattern_create_for_surface(img);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
	cairo_save(d->cr);
	cairo_translate(d->cr, x, y);
	cairo_scale(d->cr, size / side, size / side);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	cairo_mask(d->cr, pat);
	cairo_restore(d->cr);
	cairo_pattern_destroy(pat);
	cairo_surface_destroy(img);
	QRcode_free(q);
	return 0;
}

/* ---- JPEG, passed through ---- */

/* libjpeg's error handling for a header read: errors jump back, warnings count, no output. */
struct jhead {
	struct jpeg_decompress_struct c;
	struct jpeg_error_mgr e;
	jmp_buf jb;
	int warnings;
	int ok;
};

static void jh_error_exit(j_common_ptr c)
{
	struct jhead *j = (struct jhead *)c; /* c is the first member */
	longjmp(j->jb, 1);
}

static void jh_emit(j_common_ptr c, int level)
{
	if (level < 0)
		((struct jhead *)c)->warnings++;
}

static void jh_output(j_common_ptr c)
{
	(void)c;
}

/* The pixel size from a JPEG's header; -1 when the header cannot be read cleanly. */
static int jpeg_size(const unsigned char *p, size_t n, int *w, int *h)
{
	struct jhead *j = kw_xcalloc(1, sizeof *j);
	j->c.err = jpeg_std_error(&j->e);
	j->e.error_exit = jh_error_exit;
	j->e.emit_message = jh_emit;
	j->e.output_message = jh_output;
	if (!setjmp(j->jb)) {
		jpeg_create_decompress(&j->c);
		jpeg_mem_src(&j->c, p, (unsigned long)n);
		if (jpeg_read_header(&j->c, TRUE) == JPEG_HEADER_OK && !j->warnings) {
			*w = (int)j->c.image_width;
			*h = (int)j->c.image_height;
			j->ok = *w > 0 && *h > 0;
		}
	}
	jpeg_destroy_decompress(&j->c);
	int ok = j->ok;
	free(j);
	return ok ? 0 : -1;
}

int kw_pdf_jpeg_size(const unsigned char *jpeg, size_t n, int *w, int *h, struct kw_err *err)
{
	if (!jpeg || n < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg_size(jpeg, n, w, h))
		return kw_err_set(err, KW_EINVAL, "FILE_CORRUPT", NULL, "jpeg: unreadable header");
	if ((long long)*w * *h > JPEG_MAX_PIXELS)
		return kw_err_set(err, KW_ETOOBIG, "IMAGE_TOO_MANY_PIXELS", NULL,
		                  "jpeg: %d x %d pixels", *w, *h);
	return 0;
}

int kw_pdf_jpeg(struct kw_pdf *d, const unsigned char *jpeg, size_t n, double x, double y, double w,
                double h, struct kw_err *err)
{
	int pw = 0, ph = 0;
	int rc = kw_pdf_jpeg_size(jpeg, n, &pw, &ph, err);
	if (rc)
		return rc;
	/*
	 * A 1 × 1 image surface carrying the JPEG as its mime data: the PDF surface writes the
	 * JPEG bytes as the image (its size from the JPEG's header) and maps it onto the
	 * surface's extent, the unit square, which the matrix below scales to the photo's box.
	 * A surface of the photo's own pixel size would do the same, but cairo allocates,
	 * clears and copies its pixels (~3 ms a photo) only to never use them.
	 */
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	unsigned char *copy = kw_xmalloc(n);
	memcpy(copy, jpeg, n);
	cairo_status_t st =
	        cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, copy, n, free, copy);
	if (st != CAIRO_STATUS_SUCCESS) {
		free(copy);
		cairo_surface_destroy(img);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "jpeg: %s",
		                  cairo_status_to_string(st));
	}
	double s = w / pw < h / ph ? w / pw : h / ph;
	cairo_save(d->cr);
	cairo_translate(d->cr, x + (w - pw * s) / 2, y + (h - ph * s) / 2);
	cairo_scale(d->cr, pw * s, ph * s);
	cairo_set_source_surface(d->cr, img, 0, 0);
	cairo_rectangle(d->cr, 0, 0, 1, 1);
	cairo_fill(d->cr);
	cairo_restore(d->cr);
	cairo_surface_destroy(img);
	return 0;
}

void kw_pdf_warm(void)
{
	kw_pdf_fonts();
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	cairo_t *cr = cairo_create(img);
	PangoContext *pc = pdf_context(cr);
	for (int k = 0; k < 4; k++) {
		PangoLayout *l = pango_layout_new(pc);
		PangoFontDescription *fd = pango_font_description_new();
		pango_font_description_set_family(fd, k & 1 ? KW_PDF_SERIF : KW_PDF_SANS);
		pango_font_description_set_weight(fd,
		                                  k & 2 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
		pango_font_description_set_absolute_size(fd, 10 * PANGO_SCALE);
		pango_layout_set_font_description(l, fd);
		pango_font_description_free(fd);
		pango_layout_set_text(l, "准考证号 0123456789 考生须知 Ticket", -1);
		PangoRectangle r;
		pango_layout_get_extents(l, NULL, &r);
		g_object_unref(l);
	}
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
}

void kw_pdf_shutdown(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	pthread_mutex_lock(&fonts_mu);
	FcFini();
	fonts_tried = 0; /* FcFini dropped the application fonts with the configuration */
	pthread_mutex_unlock(&fonts_mu);
}

/* A five-pointed star of outer radius r centred at cx, cy (a path, not filled). */
static void star(cairo_t *cr, double cx, double cy, double r)
{
	for (int i = 0; i < 10; i++) {
		double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? r * 0.382 : r;
		if (i)
			cairo_line_to(cr, cx + rr * cos(a), cy + rr * sin(a));
		else
			cairo_move_to(cr, cx + rr * cos(a), cy + rr * sin(a));
	}
	cairo_close_path(cr);
}

void kw_pdf_stamp(struct kw_pdf *d, const char *text, double cx, double cy, double r)
{
	cairo_t *cr = d->cr;
	cairo_save(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
	cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
	cairo_set_line_width(cr, 1.0);
	cairo_new_sub_path(cr);
	cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
	cairo_stroke(cr);
	star(cr, cx, cy, r * 0.3);
	cairo_fill(cr);
	long n = g_utf8_validate(text, -1, NULL) ? g_utf8_strlen(text, -1) : 0;
	double span = 4.4; /* radians of the arc the name may take, at most */
	double gh = fmin(r * 0.28, span * (r - 1.5) / (n * 1.05 + span * 0.6)); /* glyph, mm */
	double rt = r - 1.5 - gh * 0.6, step = gh * 1.05 / rt;
	const char *p = text;
	for (long i = 0; i < n; i++, p = g_utf8_next_char(p)) {
		char ch[8] = {0};
		memcpy(ch, p, (size_t)(g_utf8_next_char(p) - p));
		double a = -M_PI / 2 + (i - (n - 1) / 2.0) * step;
		cairo_save(cr);
		cairo_translate(cr, cx + rt * cos(a), cy + rt * sin(a));
		cairo_rotate(cr, a + M_PI / 2);
		PangoLayout *l = kw_pdf_layout(
		        d, ch, &(struct kw_pdf_font){.serif = 1, .bold = 1, .size = gh / 0.3528});
		PangoRectangle lg;
		pango_layout_get_extents(l, NULL, &lg);
		cairo_move_to(cr, -lg.width / 2.0 / PANGO_SCALE, -lg.height / 2.0 / PANGO_SCALE);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
		cairo_restore(cr);
	}
	cairo_restore(cr);
}
