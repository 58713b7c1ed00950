/*
 * Files that candidates upload (SPEC REG-4 photo, REG-2 proof materials), checked by their
 * content, never by their name or declared type.
 *
 * Images (JPEG, PNG) are decoded whole (libjpeg-turbo, libpng): a truncated or corrupt file,
 * a file that is not what it claims, too many pixels (checked from the header, before the
 * pixels are decoded), too few, or the wrong shape is refused with a problem code; an
 * accepted image is re-encoded as a fresh baseline JPEG, fitted into a box, so nothing of the
 * uploaded bytes (metadata, trailing data, a polyglot's second life) is ever stored or served.
 *
 * PDF files cannot be re-encoded with what Debian gives us as a library, so they are checked
 * for shape: the header at offset 0, the end-of-file marker near the end, no encryption, no
 * JavaScript or launch actions in the uncompressed structure. They are stored as uploaded and
 * only ever served as attachments with nosniff.
 */
#ifndef KW_CORE_UPLOAD_H
#define KW_CORE_UPLOAD_H

#include <stddef.h>

enum kw_file_type { KW_FILE_UNKNOWN = 0, KW_FILE_JPEG, KW_FILE_PNG, KW_FILE_PDF };

/* What the bytes are, by their signature (not by any name or header). */
enum kw_file_type kw_file_sniff(const void *data, size_t n);
/* "image/jpeg", "image/png", "application/pdf", or NULL. */
const char *kw_file_media_type(enum kw_file_type t);
/* The type a media type names (parameters after ';' ignored), KW_FILE_UNKNOWN otherwise. */
enum kw_file_type kw_file_type_of(const char *media_type);

struct kw_image_limits {
	size_t max_bytes;
	int min_w, min_h;              /* the uploaded image, in pixels */
	long long max_pixels;          /* width × height of the uploaded image */
	double min_aspect, max_aspect; /* height / width; 0 for any */
	int box_w, box_h;              /* the re-encoded image fits this box (never enlarged) */
	int quality;                   /* JPEG quality of the re-encoding */
};
/* A candidate's photo (REG-4): portrait, at least 240 × 320, at most 16 megapixels and
 * 2 MiB, re-encoded to fit 480 × 640. */
extern const struct kw_image_limits kw_photo_limits;
/* A scanned or photographed proof page (REG-2): at most 16 megapixels and 5 MiB,
 * re-encoded to fit an A4 page at 300 dpi. */
extern const struct kw_image_limits kw_proof_image_limits;
/* A proof PDF: at most 5 MiB. */
#define KW_PROOF_PDF_MAX_BYTES ((size_t)5 << 20)

struct kw_image {
	enum kw_file_type type; /* what was uploaded */
	int in_w, in_h;         /* its size */
	int w, h;               /* the re-encoded image's size */
	unsigned char *jpeg;    /* the re-encoded JPEG (malloc'd) */
	size_t jpeg_len;
};

/*
 * Checks an uploaded image and re-encodes it. NULL when accepted (*out filled; release it
 * with kw_image_release), else a problem code and *out empty:
 *   too_large        over lim->max_bytes
 *   not_image        neither JPEG nor PNG by content
 *   truncated        the data ends early
 *   corrupt          it does not decode
 *   color_space      a CMYK JPEG (printing presses, not cameras)
 *   too_small        under lim->min_w × lim->min_h
 *   too_many_pixels  over lim->max_pixels (judged from the header, before decoding)
 *   aspect           height / width outside [min_aspect, max_aspect]
 */
const char *kw_image_check(const void *data, size_t n, const struct kw_image_limits *lim,
                           struct kw_image *out);
void kw_image_release(struct kw_image *img);

/* Encodes an RGB image (w × h × 3 bytes, rows top down) as a baseline JPEG: 0, or -1;
 * *out is malloc'd. */
int kw_jpeg_encode_rgb(const unsigned char *pix, int w, int h, int quality, unsigned char **out,
                       size_t *len);

/*
 * Checks an uploaded PDF: NULL when accepted, else too_large, not_pdf (no "%PDF-1." or
 * "%PDF-2." at offset 0), truncated (no "%%EOF" in the last 1024 bytes), encrypted
 * (an /Encrypt dictionary), active_content (/JavaScript, /JS, /Launch, /EmbeddedFile or
 * /RichMedia in the file's uncompressed structure).
 */
const char *kw_pdf_check(const void *data, size_t n, size_t max_bytes);

#endif
