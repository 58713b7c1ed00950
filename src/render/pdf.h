/*
 * PDF documents drawn with cairo and pango: what the tickets and room labels share.
 *
 * A document writes into a struct kw_buf as cairo produces it. Lengths are millimetres (the
 * cairo context is scaled once, when the document opens); font sizes are points. Text is
 * always set with the language zh-cn on the pango context, so that fontconfig picks the
 * Simplified Chinese faces of Noto CJK (without it, pango falls back to Noto CJK JP and
 * Chinese text gets Japanese glyph shapes).
 *
 * Library-internal caches (fontconfig, pango, cairo) live for the process; kw_pdf_shutdown
 * releases them. cairo 1.16 also leaks ~768 bytes per embedded CJK font per document: render
 * large batches in worker processes that are recycled.
 */
#ifndef KW_RENDER_PDF_H
#define KW_RENDER_PDF_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define KW_PDF_A4_W 210.0 /* mm, portrait */
#define KW_PDF_A4_H 297.0
/*
 * The faces, first to last choice for each character. "Kaowu Sans SC" and "Kaowu Serif SC"
 * are Noto Sans and Noto Serif CJK SC reduced to GBK's characters (every ideograph of the
 * CJK Unified block) and those of our templates and messages, with TrueType outlines
 * (tools/mkfonts.py, run at build time into KW_FONT_DIR): the same glyphs, but cairo embeds
 * them at a fraction of the cost of Noto's CFF faces (~0.3 ms instead of ~5 ms a face and
 * document). A character they lack (CJK Extension A and beyond) falls back to the full Noto
 * CJK SC face, then to BabelStone Han.
 */
#define KW_PDF_SANS  "Kaowu Sans SC, Noto Sans CJK SC, BabelStone Han"
#define KW_PDF_SERIF "Kaowu Serif SC, Noto Serif CJK SC, BabelStone Han"

/* An open document. Fields are read-only for callers, except that they draw on cr. */
struct kw_pdf {
	struct kw_buf *out;       /* borrowed; the PDF is appended here */
	size_t start;             /* out->len when the document opened */
	int wrc;                  /* the first failure to append to out (KW_ETOOBIG) */
	int pages;                /* pages begun */
	double w, h;              /* the current page, mm */
	cairo_surface_t *surface; /* the PDF surface */
	cairo_t *cr;              /* user space in mm, origin at the top left */
	PangoContext *pc;         /* language zh-cn, no hinting */
};

/*
 * Opens a document that appends to out (an initialised kw_buf; its cap applies). No page is
 * begun yet: call kw_pdf_page. On failure d is left closed and out unchanged.
 */
int kw_pdf_open(struct kw_pdf *d, struct kw_buf *out, const char *title, struct kw_err *err);

/* Begins a new page of w × h mm (the previous page, if any, is finished). */
int kw_pdf_page(struct kw_pdf *d, double w, double h, struct kw_err *err);

/*
 * Finishes the document into out and releases d. On failure (KW_ETOOBIG past out's cap,
 * KW_EINTERNAL when cairo failed) out is put back to what it held before kw_pdf_open.
 */
int kw_pdf_close(struct kw_pdf *d, struct kw_err *err);

/* Releases d without a document: out is put back as before kw_pdf_open. Safe to repeat. */
void kw_pdf_abort(struct kw_pdf *d);

/* Alignment of text in its box. */
enum { KW_PDF_LEFT = 0, KW_PDF_CENTER = 1, KW_PDF_RIGHT = 2 };

/* How kw_pdf_text sets text. A zeroed struct is 10 pt sans, one line, left, centred
 * vertically. */
struct kw_pdf_font {
	int serif;   /* 1: KW_PDF_SERIF, 宋体 (body text); 0: KW_PDF_SANS, 黑体 (headings) */
	int bold;    /* 1: bold weight */
	double size; /* points; 0 is 10 */
	double min_size;     /* > 0: shrink from size towards min_size until the text fits */
	int align;           /* KW_PDF_LEFT, KW_PDF_CENTER, KW_PDF_RIGHT */
	int wrap;            /* 1: wrap into lines (and a '\n' starts a paragraph); 0: one line */
	int top;             /* 1: at the top of the box; 0: centred vertically */
	double line_spacing; /* wrapped lines: a factor of the font's line height; 0 for its own */
	double letter_spacing; /* points between characters; 0 for none */
	int balance;           /* wrapped lines: of even length, not a full line and a stub */
};

/*
 * Draws UTF-8 text (NULL is "", invalid bytes are replaced) in the current source colour in
 * the box x, y, w, h (mm). What does not fit even at min_size is cut: one line ends in an
 * ellipsis, wrapped text after the last line that fits whole. Returns the height of the text as
 * drawn (mm), at most h.
 */
double kw_pdf_text(struct kw_pdf *d, const char *text, double x, double y, double w, double h,
                   const struct kw_pdf_font *f);

/*
 * A pango layout of text at font f with no width set (one line per paragraph), for drawing
 * that kw_pdf_text does not do (text turned round a circle). Draw it with
 * pango_cairo_show_layout after pango_cairo_update_layout if the transformation changed;
 * the caller unrefs it.
 */
PangoLayout *kw_pdf_layout(struct kw_pdf *d, const char *text, const struct kw_pdf_font *f);

/* Strokes the rectangle x, y, w, h with a black line lw mm wide. */
void kw_pdf_box(struct kw_pdf *d, double x, double y, double w, double h, double lw);

/*
 * Draws payload (any bytes up to its NUL; 8-bit mode, error correction level M) as a QR code
 * filling the square x, y, size × size mm, a quiet zone of four modules included: a 1-bit
 * image of one pixel a module, painted black as a stencil mask without smoothing (sharp
 * squares at any resolution). KW_EINVAL when payload is empty or longer than KW_PDF_QR_MAX.
 */
int kw_pdf_qr(struct kw_pdf *d, const char *payload, double x, double y, double size,
              struct kw_err *err);

/* The issuer's round red stamp of radius r (mm) at cx, cy: a ring, the text round the top
 * arc, a star in the middle; drawn multiplied, so the text under it stays legible (tickets
 * issued on site, certificates). */
void kw_pdf_stamp(struct kw_pdf *d, const char *text, double cx, double cy, double r);

/* The most bytes a QR code carries at level M in 8-bit mode (version 40). */
#define KW_PDF_QR_MAX 2331

/*
 * The pixel size of a JPEG from its header. KW_EINVAL (FILE_CORRUPT) when the header cannot
 * be read cleanly, KW_ETOOBIG (IMAGE_TOO_MANY_PIXELS) over 16 megapixels.
 */
int kw_pdf_jpeg_size(const unsigned char *jpeg, size_t n, int *w, int *h, struct kw_err *err);

/*
 * Places a JPEG, fitted into the box x, y, w, h (mm) with its aspect kept and centred. The
 * JPEG's own bytes go into the PDF (passed through, not re-encoded); only its header is read,
 * for the size. Fails as kw_pdf_jpeg_size does.
 */
int kw_pdf_jpeg(struct kw_pdf *d, const unsigned char *jpeg, size_t n, double x, double y, double w,
                double h, struct kw_err *err);

/* Loads what every document needs — fontconfig's configuration and the faces of
 * KW_PDF_SANS and KW_PDF_SERIF, regular and bold — without making a document (so nothing
 * of cairo's per-document leak), for a process about to fork workers that then inherit it. */
void kw_pdf_warm(void);

/*
 * Loads kaowu's own faces (Kaowu Sans SC and Kaowu Serif SC, regular and bold) into
 * fontconfig as application fonts, once per process (again after kw_pdf_shutdown), from the
 * directory named by the environment variable KAOWU_FONTS, else KW_FONT_DIR (the build's
 * fonts/ directory). kw_pdf_open and kw_pdf_warm call it; it is safe from any thread.
 * Returns how many of the four faces were loaded: without them documents still render,
 * with the full Noto CJK faces, only slower.
 */
int kw_pdf_fonts(void);

/* Releases the fontconfig, pango and cairo caches (for tests under LeakSanitizer and for
 * short-lived processes). Call only when no document is open in any thread. */
void kw_pdf_shutdown(void);

#endif
