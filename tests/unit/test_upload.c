/* Uploaded files checked by content (REG-4 photo, REG-2 proof materials): images decoded,
 * refused for what is wrong with them, re-encoded with nothing of the upload kept; PDFs
 * checked for shape. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "core/synth.h"
#include "core/upload.h"

/* A w × h test card (gradients, so it compresses like a picture). */
static unsigned char *card(int w, int h)
{
	unsigned char *p = malloc((size_t)w * h * 3);
	assert_non_null(p);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char *q = p + ((size_t)y * w + x) * 3;
			q[0] = (unsigned char)(x * 255 / w);
			q[1] = (unsigned char)(y * 255 / h);
			q[2] = (unsigned char)((x + y) & 0xFF);
		}
	return p;
}

static unsigned char *jpeg_of(int w, int h, size_t *len)
{
	unsigned char *pix = card(w, h), *out = NULL;
	assert_int_equal(kw_jpeg_encode_rgb(pix, w, h, 85, &out, len), 0);
	free(pix);
	return out;
}

/* A JPEG with an EXIF-like APP1 segment carrying text, and CMYK when cmyk. */
static unsigned char *jpeg_special(int w, int h, int cmyk, const char *app1, size_t *len)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	unsigned char *out = NULL;
	unsigned long n = 0;
	jpeg_mem_dest(&c, &out, &n);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = cmyk ? 4 : 3;
	c.in_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_start_compress(&c, TRUE);
	if (app1)
		jpeg_write_marker(&c, JPEG_APP0 + 1, (const JOCTET *)app1, (unsigned)strlen(app1));
	unsigned char *row = calloc((size_t)w, 4);
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < w * (cmyk ? 4 : 3); x++)
			row[x] = (unsigned char)(x + c.next_scanline);
		JSAMPROW r = row;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*len = n;
	return out;
}

static unsigned char *png_of(int w, int h, int alpha, size_t *len)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
	int ch = alpha ? 4 : 3;
	unsigned char *pix = malloc((size_t)w * h * ch);
	for (size_t i = 0; i < (size_t)w * h * ch; i++)
		pix[i] = (unsigned char)(i * 7);
	png_alloc_size_t n = 0;
	assert_true(png_image_write_to_memory(&img, NULL, &n, 0, pix, 0, NULL));
	unsigned char *out = malloc(n);
	assert_true(png_image_write_to_memory(&img, out, &n, 0, pix, 0, NULL));
	free(pix);
	*len = n;
	return out;
}

/* REG-4: a portrait JPEG inside the box is accepted at its size and re-encoded. */
static void reg4_photo_jpeg_accepted(void **state)
{
	(void)state;
	size_t n;
	unsigned char *j = jpeg_of(300, 400, &n);
	struct kw_image img;
	assert_null(kw_image_check(j, n, &kw_photo_limits, &img));
	assert_int_equal(img.type, KW_FILE_JPEG);
	assert_int_equal(img.in_w, 300);
	assert_int_equal(img.w, 300);
	assert_int_equal(img.h, 400);
	assert_int_equal(kw_file_sniff(img.jpeg, img.jpeg_len), KW_FILE_JPEG);
	/* The re-encoding decodes again to the same size. */
	struct kw_image again;
	assert_null(kw_image_check(img.jpeg, img.jpeg_len, &kw_photo_limits, &again));
	assert_int_equal(again.w, 300);
	kw_image_release(&again);
	kw_image_release(&img);
	assert_null(img.jpeg);
	free(j);
}

/* REG-4: a big photo is fitted into the 480 × 640 box, keeping its shape. */
static void reg4_photo_big_fitted(void **state)
{
	(void)state;
	size_t n;
	unsigned char *j = jpeg_of(1500, 2000, &n);
	struct kw_image img;
	assert_null(kw_image_check(j, n, &kw_photo_limits, &img));
	assert_int_equal(img.in_w, 1500);
	assert_int_equal(img.in_h, 2000);
	assert_int_equal(img.w, 480);
	assert_int_equal(img.h, 640);
	kw_image_release(&img);
	free(j);
	/* A proof page keeps far more (A4 at 300 dpi), never enlarged. */
	j = jpeg_of(1000, 700, &n);
	assert_null(kw_image_check(j, n, &kw_proof_image_limits, &img));
	assert_int_equal(img.w, 1000);
	assert_int_equal(img.h, 700);
	kw_image_release(&img);
	free(j);
}

/* REG-4: PNG, with transparency, comes out as JPEG. */
static void reg4_photo_png_reencoded(void **state)
{
	(void)state;
	size_t n;
	unsigned char *p = png_of(360, 480, 1, &n);
	struct kw_image img;
	assert_null(kw_image_check(p, n, &kw_photo_limits, &img));
	assert_int_equal(img.type, KW_FILE_PNG);
	assert_int_equal(kw_file_sniff(img.jpeg, img.jpeg_len), KW_FILE_JPEG);
	assert_int_equal(img.h, 480);
	kw_image_release(&img);
	free(p);
}

/* REG-4: nothing of the upload survives: metadata and trailing bytes are gone. */
static void reg4_photo_metadata_and_trailers_dropped(void **state)
{
	(void)state;
	size_t n;
	unsigned char *j = jpeg_special(300, 400, 0, "Exif\x01GPS-SECRET-31.86N", &n);
	assert_non_null(memmem(j, n, "GPS-SECRET", 10));
	struct kw_image img;
	assert_null(kw_image_check(j, n, &kw_photo_limits, &img));
	assert_null(memmem(img.jpeg, img.jpeg_len, "GPS-SECRET", 10));
	kw_image_release(&img);
	/* A polyglot: a JPEG with a script after its end. */
	unsigned char *poly = malloc(n + 32);
	memcpy(poly, j, n);
	memcpy(poly + n, "<script>alert(1)</script>", 25);
	assert_null(kw_image_check(poly, n + 25, &kw_photo_limits, &img));
	assert_null(memmem(img.jpeg, img.jpeg_len, "<script>", 8));
	kw_image_release(&img);
	free(poly);
	free(j);
}

/* Bad input: an oversize file. */
static void reg4_photo_oversize(void **state)
{
	(void)state;
	size_t n;
	unsigned char *j = jpeg_of(300, 400, &n);
	struct kw_image_limits lim = kw_photo_limits;
	lim.max_bytes = n - 1;
	struct kw_image img;
	assert_string_equal(kw_image_check(j, n, &lim, &img), "too_large");
	assert_null(img.jpeg);
	/* Too many pixels, judged from the header. */
	lim = kw_photo_limits;
	lim.max_pixels = 300 * 400 - 1;
	assert_string_equal(kw_image_check(j, n, &lim, &img), "too_many_pixels");
	free(j);
}

/* Bad input: truncated images. */
static void reg4_photo_truncated(void **state)
{
	(void)state;
	size_t n;
	unsigned char *j = jpeg_of(300, 400, &n);
	struct kw_image img;
	assert_string_equal(kw_image_check(j, n / 2, &kw_photo_limits, &img), "truncated");
	assert_null(img.jpeg);
	/* Cut inside the header. */
	const char *p = kw_image_check(j, 40, &kw_photo_limits, &img);
	assert_true(strcmp(p, "truncated") == 0 || strcmp(p, "corrupt") == 0);
	free(j);
	unsigned char *png = png_of(300, 400, 0, &n);
	assert_string_equal(kw_image_check(png, n - 20, &kw_photo_limits, &img), "truncated");
	/* IEND kept but image data cut out: corrupt. */
	unsigned char *cut = malloc(n);
	memcpy(cut, png, 100);
	memcpy(cut + 100, png + n - 12, 12);
	assert_string_equal(kw_image_check(cut, 112, &kw_photo_limits, &img), "corrupt");
	free(cut);
	free(png);
}

/* Bad input: disguised files — whatever their name or declared type. */
static void reg4_photo_disguised(void **state)
{
	(void)state;
	struct kw_image img;
	const char html[] = "<html><script>alert(1)</script></html>";
	assert_string_equal(kw_image_check(html, sizeof html, &kw_photo_limits, &img), "not_image");
	const char pdf[] = "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n";
	assert_string_equal(kw_image_check(pdf, sizeof pdf, &kw_photo_limits, &img), "not_image");
	/* A JPEG's signature in front of garbage. */
	unsigned char fake[600];
	memset(fake, 0x41, sizeof fake);
	fake[0] = 0xFF, fake[1] = 0xD8, fake[2] = 0xFF;
	assert_string_equal(kw_image_check(fake, sizeof fake, &kw_photo_limits, &img), "corrupt");
	assert_string_equal(kw_image_check("", 0, &kw_photo_limits, &img), "not_image");
	/* The declared type is never trusted, only read. */
	assert_int_equal(kw_file_type_of("image/png; charset=x"), KW_FILE_PNG);
	assert_int_equal(kw_file_type_of("IMAGE/JPEG"), KW_FILE_JPEG);
	assert_int_equal(kw_file_type_of("image/gif"), KW_FILE_UNKNOWN);
	assert_int_equal(kw_file_type_of(NULL), KW_FILE_UNKNOWN);
}

/* REG-4: shape — too small, not portrait, CMYK. */
static void reg4_photo_shape(void **state)
{
	(void)state;
	size_t n;
	struct kw_image img;
	unsigned char *j = jpeg_of(120, 160, &n);
	assert_string_equal(kw_image_check(j, n, &kw_photo_limits, &img), "too_small");
	free(j);
	j = jpeg_of(400, 400, &n);
	assert_string_equal(kw_image_check(j, n, &kw_photo_limits, &img), "aspect");
	/* A square scan is a fine proof page. */
	assert_null(kw_image_check(j, n, &kw_proof_image_limits, &img));
	kw_image_release(&img);
	free(j);
	j = jpeg_special(300, 400, 1, NULL, &n);
	assert_string_equal(kw_image_check(j, n, &kw_photo_limits, &img), "color_space");
	free(j);
}

/* The synthetic pool: portrait photos the checks accept, each always the same bytes. */
static void synth_photos_pass_the_checks(void **state)
{
	(void)state;
	unsigned char *a = NULL, *b = NULL;
	size_t an = 0, bn = 0;
	for (int k = 0; k < KW_SYNTH_PHOTOS; k++) {
		assert_int_equal(kw_synth_photo(k, &a, &an), 0);
		struct kw_image img;
		assert_null(kw_image_check(a, an, &kw_photo_limits, &img));
		assert_int_equal(img.w, 360);
		assert_int_equal(img.h, 480);
		kw_image_release(&img);
		assert_int_equal(kw_synth_photo(k, &b, &bn), 0);
		assert_int_equal(an, bn);
		assert_memory_equal(a, b, an);
		free(a);
		free(b);
	}
	assert_int_equal(kw_synth_photo(0, &a, &an), 0);
	assert_int_equal(kw_synth_photo(1, &b, &bn), 0);
	assert_true(an != bn || memcmp(a, b, an) != 0);
	free(a);
	free(b);
}

/* REG-2: proof PDFs checked for shape. */
static void reg2_proof_pdf(void **state)
{
	(void)state;
	const char ok[] = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	                  "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n"
	                  "%%EOF\n";
	assert_null(kw_pdf_check(ok, sizeof ok - 1, KW_PROOF_PDF_MAX_BYTES));
	assert_string_equal(kw_pdf_check(ok, sizeof ok - 1, 10), "too_large");
	assert_string_equal(kw_pdf_check(ok + 1, sizeof ok - 2, KW_PROOF_PDF_MAX_BYTES), "not_pdf");
	assert_string_equal(kw_pdf_check(ok, 40, KW_PROOF_PDF_MAX_BYTES), "truncated");
	const char enc[] = "%PDF-1.4\ntrailer<</Root 1 0 R/Encrypt 5 0 R>>\n%%EOF\n";
	assert_string_equal(kw_pdf_check(enc, sizeof enc - 1, KW_PROOF_PDF_MAX_BYTES), "encrypted");
	const char js[] =
	        "%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>\n%%EOF";
	assert_string_equal(kw_pdf_check(js, sizeof js - 1, KW_PROOF_PDF_MAX_BYTES),
	                    "active_content");
	const char launch[] = "%PDF-1.4\n1 0 obj<</A<</S/Launch/F(cmd.exe)>>>>\n%%EOF";
	assert_string_equal(kw_pdf_check(launch, sizeof launch - 1, KW_PROOF_PDF_MAX_BYTES),
	                    "active_content");
	/* A longer name that merely starts like one is not it. */
	const char jsonname[] = "%PDF-1.4\n1 0 obj<</JSON 1/Encrypted2 3>>\n%%EOF";
	assert_null(kw_pdf_check(jsonname, sizeof jsonname - 1, KW_PROOF_PDF_MAX_BYTES));
	/* An image is not a PDF. */
	size_t n;
	unsigned char *j = jpeg_of(300, 400, &n);
	assert_string_equal(kw_pdf_check(j, n, KW_PROOF_PDF_MAX_BYTES), "not_pdf");
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reg4_photo_jpeg_accepted),
	        cmocka_unit_test(reg4_photo_big_fitted),
	        cmocka_unit_test(reg4_photo_png_reencoded),
	        cmocka_unit_test(reg4_photo_metadata_and_trailers_dropped),
	        cmocka_unit_test(reg4_photo_oversize),
	        cmocka_unit_test(reg4_photo_truncated),
	        cmocka_unit_test(reg4_photo_disguised),
	        cmocka_unit_test(reg4_photo_shape),
	        cmocka_unit_test(synth_photos_pass_the_checks),
	        cmocka_unit_test(reg2_proof_pdf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
