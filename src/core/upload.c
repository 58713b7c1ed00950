/* Uploaded files checked by content: images decoded and re-encoded, PDFs checked for shape. */
#include "core/upload.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* jpeglib.h needs stdio.h before it. */
#include <jerror.h>
#include <jpeglib.h>

const struct kw_image_limits kw_photo_limits = {
        .max_bytes = (size_t)2 << 20,
        .min_w = 240,
        .min_h = 320,
        .max_pixels = 16000000,
        .min_aspect = 1.15,
        .max_aspect = 1.6,
        .box_w = 480,
        .box_h = 640,
        .quality = 90,
};

const struct kw_image_limits kw_proof_image_limits = {
        .max_bytes = (size_t)5 << 20,
        .min_w = 200,
        .min_h = 200,
        .max_pixels = 16000000,
        .box_w = 2480,
        .box_h = 3508,
        .quality = 85,
};

/* libjpeg's working memory for one image; more is refused (there is no backing store). */
#define JPEG_MAX_MEMORY (256L << 20)

enum kw_file_type kw_file_sniff(const void *data, size_t n)
{
	const unsigned char *p = data;
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return KW_FILE_JPEG;
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return KW_FILE_PNG;
	if (n >= 8 && (memcmp(p, "%PDF-1.", 7) == 0 || memcmp(p, "%PDF-2.", 7) == 0))
		return KW_FILE_PDF;
	return KW_FILE_UNKNOWN;
}

const char *kw_file_media_type(enum kw_file_type t)
{
	switch (t) {
	case KW_FILE_JPEG:
		return "image/jpeg";
	case KW_FILE_PNG:
		return "image/png";
	case KW_FILE_PDF:
		return "application/pdf";
	default:
		return NULL;
	}
}

enum kw_file_type kw_file_type_of(const char *media_type)
{
	if (!media_type)
		return KW_FILE_UNKNOWN;
	size_t n = strcspn(media_type, "; \t");
	static const struct {
		const char *name;
		enum kw_file_type t;
	} names[] = {
	        {"image/jpeg", KW_FILE_JPEG},
	        {"image/jpg", KW_FILE_JPEG},
	        {"image/png", KW_FILE_PNG},
	        {"application/pdf", KW_FILE_PDF},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && strncasecmp(media_type, names[i].name, n) == 0)
			return names[i].t;
	return KW_FILE_UNKNOWN;
}

/* ---- the box ---- */

/* The size of (w, h) fitted into the box, never enlarged, at least 1 × 1. */
static void fit(int w, int h, int bw, int bh, int *tw, int *th)
{
	if (w <= bw && h <= bh) {
		*tw = w;
		*th = h;
		return;
	}
	/* Scale by the tighter side; compare w/bw with h/bh without division. */
	if ((long long)w * bh >= (long long)h * bw) {
		*tw = bw;
		*th = (int)(((long long)h * bw + w / 2) / w);
	} else {
		*th = bh;
		*tw = (int)(((long long)w * bh + h / 2) / h);
	}
	if (*tw < 1)
		*tw = 1;
	if (*th < 1)
		*th = 1;
}

/* Area-average resampling of an RGB image (sw × sh) down to (tw × th); tw ≤ sw, th ≤ sh. */
static unsigned char *shrink(const unsigned char *src, int sw, int sh, int tw, int th)
{
	unsigned char *dst = malloc((size_t)tw * th * 3);
	if (!dst)
		return NULL;
	for (int y = 0; y < th; y++) {
		int y0 = (int)((long long)y * sh / th), y1 = (int)((long long)(y + 1) * sh / th);
		if (y1 <= y0)
			y1 = y0 + 1;
		for (int x = 0; x < tw; x++) {
			int x0 = (int)((long long)x * sw / tw),
			    x1 = (int)((long long)(x + 1) * sw / tw);
			if (x1 <= x0)
				x1 = x0 + 1;
			unsigned long sum[3] = {0, 0, 0},
			              cnt = (unsigned long)(x1 - x0) * (y1 - y0);
			for (int yy = y0; yy < y1; yy++) {
				const unsigned char *p = src + ((size_t)yy * sw + x0) * 3;
				for (int xx = x0; xx < x1; xx++, p += 3) {
					sum[0] += p[0];
					sum[1] += p[1];
					sum[2] += p[2];
				}
			}
			unsigned char *q = dst + ((size_t)y * tw + x) * 3;
			for (int c = 0; c < 3; c++)
				q[c] = (unsigned char)((sum[c] + cnt / 2) / cnt);
		}
	}
	return dst;
}

/* ---- libjpeg plumbing: errors jump back, warnings are counted, nothing is printed ---- */

struct jerr {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	int warnings;
	int eof; /* the data ended early (libjpeg then pads it with an end marker) */
};

static void j_error_exit(j_common_ptr c)
{
	struct jerr *e = (struct jerr *)c->err;
	longjmp(e->jb, 1);
}

static void j_emit(j_common_ptr c, int level)
{
	struct jerr *e = (struct jerr *)c->err;
	if (level < 0) {
		e->warnings++;
		if (e->pub.msg_code == JWRN_JPEG_EOF)
			e->eof = 1;
	}
}

static void j_output(j_common_ptr c)
{
	(void)c;
}

static void j_errors(struct jerr *e)
{
	jpeg_std_error(&e->pub);
	e->pub.error_exit = j_error_exit;
	e->pub.emit_message = j_emit;
	e->pub.output_message = j_output;
	e->warnings = 0;
	e->eof = 0;
}

/* Shape checks shared by both decoders, from the header's size. */
static const char *shape(int w, int h, const struct kw_image_limits *lim)
{
	if (w <= 0 || h <= 0)
		return "corrupt";
	if ((long long)w * h > lim->max_pixels)
		return "too_many_pixels";
	if (w < lim->min_w || h < lim->min_h)
		return "too_small";
	double a = (double)h / w;
	if (lim->min_aspect > 0 && a < lim->min_aspect)
		return "aspect";
	if (lim->max_aspect > 0 && a > lim->max_aspect)
		return "aspect";
	return NULL;
}

/* The state of one JPEG decode, kept in memory across the longjmp. */
struct jdec {
	struct jpeg_decompress_struct c;
	struct jerr e;
	unsigned char *pix;
	const char *problem;
};

static const char *decode_jpeg(const void *data, size_t n, const struct kw_image_limits *lim,
                               unsigned char **pix, int *sw, int *sh, int *in_w, int *in_h, int *tw,
                               int *th)
{
	struct jdec *d = calloc(1, sizeof *d);
	if (!d)
		return "corrupt";
	d->c.err = &d->e.pub;
	j_errors(&d->e);
	if (setjmp(d->e.jb)) {
		const char *p = d->problem ? d->problem : d->e.eof ? "truncated" : "corrupt";
		jpeg_destroy_decompress(&d->c);
		free(d->pix);
		free(d);
		return p;
	}
	jpeg_create_decompress(&d->c);
	d->c.mem->max_memory_to_use = JPEG_MAX_MEMORY;
	jpeg_mem_src(&d->c, data, (unsigned long)n);
	if (jpeg_read_header(&d->c, TRUE) != JPEG_HEADER_OK) {
		d->problem = "truncated";
		longjmp(d->e.jb, 1);
	}
	*in_w = (int)d->c.image_width;
	*in_h = (int)d->c.image_height;
	if ((d->problem = shape(*in_w, *in_h, lim)))
		longjmp(d->e.jb, 1);
	if (d->c.jpeg_color_space == JCS_CMYK || d->c.jpeg_color_space == JCS_YCCK) {
		d->problem = "color_space";
		longjmp(d->e.jb, 1);
	}
	fit(*in_w, *in_h, lim->box_w, lim->box_h, tw, th);
	/* Let the decoder shrink by 1/2, 1/4 or 1/8 while it stays at least the target. */
	unsigned denom = 1;
	while (denom < 8 && (*in_w + (int)denom * 2 - 1) / ((int)denom * 2) >= *tw &&
	       (*in_h + (int)denom * 2 - 1) / ((int)denom * 2) >= *th)
		denom *= 2;
	d->c.scale_num = 1;
	d->c.scale_denom = denom;
	d->c.out_color_space = JCS_RGB;
	jpeg_start_decompress(&d->c);
	int w = (int)d->c.output_width, h = (int)d->c.output_height;
	if (d->c.output_components != 3 || w < *tw || h < *th) {
		d->problem = "corrupt";
		longjmp(d->e.jb, 1);
	}
	d->pix = malloc((size_t)w * h * 3);
	if (!d->pix)
		longjmp(d->e.jb, 1);
	while (d->c.output_scanline < d->c.output_height) {
		JSAMPROW row = d->pix + (size_t)d->c.output_scanline * w * 3;
		jpeg_read_scanlines(&d->c, &row, 1);
	}
	jpeg_finish_decompress(&d->c);
	/* libjpeg pads a short file with an end marker and warns: that is a truncated upload. */
	if (d->e.warnings) {
		d->problem = d->e.eof ? "truncated" : "corrupt";
		longjmp(d->e.jb, 1);
	}
	jpeg_destroy_decompress(&d->c);
	*pix = d->pix;
	*sw = w;
	*sh = h;
	free(d);
	return NULL;
}

static const char *decode_png(const void *data, size_t n, const struct kw_image_limits *lim,
                              unsigned char **pix, int *in_w, int *in_h)
{
	/* A PNG ends with its IEND chunk; without one anywhere, the upload was cut short. */
	if (!memmem(data, n, "IEND", 4))
		return "truncated";
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, data, n)) {
		png_image_free(&img);
		return "corrupt";
	}
	*in_w = (int)img.width;
	*in_h = (int)img.height;
	const char *p = shape(*in_w, *in_h, lim);
	if (p) {
		png_image_free(&img);
		return p;
	}
	img.format = PNG_FORMAT_RGB; /* transparency composited on white */
	unsigned char *buf = malloc(PNG_IMAGE_SIZE(img));
	png_color white = {255, 255, 255};
	if (!buf || !png_image_finish_read(&img, &white, buf, 0, NULL)) {
		png_image_free(&img);
		free(buf);
		return "corrupt";
	}
	*pix = buf;
	return NULL;
}

struct jenc {
	struct jpeg_compress_struct c;
	struct jerr e;
	unsigned char *out;
	unsigned long len;
};

int kw_jpeg_encode_rgb(const unsigned char *pix, int w, int h, int quality, unsigned char **out,
                       size_t *len)
{
	struct jenc *e = calloc(1, sizeof *e);
	if (!e)
		return -1;
	e->c.err = &e->e.pub;
	j_errors(&e->e);
	if (setjmp(e->e.jb)) {
		jpeg_destroy_compress(&e->c);
		free(e->out);
		free(e);
		return -1;
	}
	jpeg_create_compress(&e->c);
	jpeg_mem_dest(&e->c, &e->out, &e->len);
	e->c.image_width = (JDIMENSION)w;
	e->c.image_height = (JDIMENSION)h;
	e->c.input_components = 3;
	e->c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&e->c);
	jpeg_set_quality(&e->c, quality, TRUE);
	jpeg_start_compress(&e->c, TRUE);
	while (e->c.next_scanline < e->c.image_height) {
		JSAMPROW row = (JSAMPROW)(pix + (size_t)e->c.next_scanline * w * 3);
		jpeg_write_scanlines(&e->c, &row, 1);
	}
	jpeg_finish_compress(&e->c);
	jpeg_destroy_compress(&e->c);
	*out = e->out;
	*len = e->len;
	free(e);
	return 0;
}

const char *kw_image_check(const void *data, size_t n, const struct kw_image_limits *lim,
                           struct kw_image *out)
{
	memset(out, 0, sizeof *out);
	if (n > lim->max_bytes)
		return "too_large";
	enum kw_file_type t = kw_file_sniff(data, n);
	unsigned char *pix = NULL;
	int sw = 0, sh = 0, in_w = 0, in_h = 0, tw = 0, th = 0;
	const char *p;
	if (t == KW_FILE_JPEG) {
		p = decode_jpeg(data, n, lim, &pix, &sw, &sh, &in_w, &in_h, &tw, &th);
	} else if (t == KW_FILE_PNG) {
		p = decode_png(data, n, lim, &pix, &in_w, &in_h);
		sw = in_w;
		sh = in_h;
		if (!p)
			fit(in_w, in_h, lim->box_w, lim->box_h, &tw, &th);
	} else {
		return "not_image";
	}
	if (p)
		return p;
	if (sw != tw || sh != th) {
		unsigned char *small = shrink(pix, sw, sh, tw, th);
		free(pix);
		pix = small;
		if (!pix)
			return "corrupt";
	}
	unsigned char *jpeg = NULL;
	size_t len = 0;
	int rc = kw_jpeg_encode_rgb(pix, tw, th, lim->quality, &jpeg, &len);
	free(pix);
	if (rc)
		return "corrupt";
	out->type = t;
	out->in_w = in_w;
	out->in_h = in_h;
	out->w = tw;
	out->h = th;
	out->jpeg = jpeg;
	out->jpeg_len = len;
	return NULL;
}

void kw_image_release(struct kw_image *img)
{
	free(img->jpeg);
	memset(img, 0, sizeof *img);
}

/* Is the PDF name `name` (with its slash) in data as a whole name, not a longer one's prefix? */
static int has_name(const char *data, size_t n, const char *name)
{
	size_t k = strlen(name);
	const char *p = data, *end = data + n;
	while (p < end && (p = memmem(p, (size_t)(end - p), name, k))) {
		const char *after = p + k;
		if (after >= end ||
		    !((*after >= 'A' && *after <= 'Z') || (*after >= 'a' && *after <= 'z') ||
		      (*after >= '0' && *after <= '9')))
			return 1;
		p = after;
	}
	return 0;
}

const char *kw_pdf_check(const void *data, size_t n, size_t max_bytes)
{
	if (n > max_bytes)
		return "too_large";
	if (kw_file_sniff(data, n) != KW_FILE_PDF)
		return "not_pdf";
	size_t tail = n < 1024 ? n : 1024;
	if (!memmem((const char *)data + n - tail, tail, "%%EOF", 5))
		return "truncated";
	if (has_name(data, n, "/Encrypt"))
		return "encrypted";
	static const char *const active[] = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile",
	                                     "/RichMedia"};
	for (size_t i = 0; i < sizeof active / sizeof active[0]; i++)
		if (has_name(data, n, active[i]))
			return "active_content";
	return NULL;
}
