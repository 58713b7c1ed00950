/*
 * The admission ticket (准考证): one A4 page with the title, a table of the candidate's and
 * the centre's details beside the photo, the sittings, a QR code to verify it, and the
 * notices to candidates. Self-printed tickets carry no stamp; tickets issued on site (AH 18)
 * carry the issuer's round red stamp; a reissued ticket is marked 补发 (REISSUED).
 */
#ifndef KW_RENDER_TICKET_H
#define KW_RENDER_TICKET_H

#include <stddef.h>

#include "render/pdf.h"
#include "util/buf.h"
#include "util/err.h"

struct kw_ticket_sitting {
	const char *subject;
	const char *date;
	const char *time; /* "09:00–11:00" */
};

/* Every string is UTF-8 and borrowed; a NULL string other than those required prints blank. */
struct kw_ticket {
	const char *lang; /* "zh-CN" (default when NULL) or "en": the printed labels */
	const char *title; /* e.g. "2027年度安徽省考试录用公务员笔试 准考证"; NULL: 准考证 */
	const char *ticket_no; /* required */
	const char *name;      /* required */
	const char *sex, *id_number;
	const unsigned char *photo_jpeg; /* NULL: a framed "照片" box instead */
	size_t photo_len;
	const struct kw_ticket_sitting *sittings;
	size_t nsittings;
	const char *centre_name, *centre_address, *room_no, *seat_no;
	const char *notices;    /* paragraphs separated by '\n'; shrunk to fit the page */
	const char *qr_payload; /* ASCII text the QR code carries (~200 chars); NULL: no code */
	int reissue;            /* 1: a clear "补发" (en: "REISSUED") mark */
	const char *stamp_text; /* NULL for self-printed tickets; else the issuer's round stamp */
	const char *issued_at;  /* printed small at the bottom, e.g. "2027-03-20 10:00" */
};

/*
 * Appends one A4 page for t to the open document d, so a batch can put many tickets in one
 * PDF or one per file. KW_EINVAL (VALIDATION_FAILED) without a ticket number or name, with
 * an unknown lang or too long a QR payload; KW_EINVAL (FILE_CORRUPT) when the photo's JPEG
 * header cannot be read. After a failure the page may be half drawn: abort the document.
 */
int kw_ticket_page(struct kw_pdf *d, const struct kw_ticket *t, struct kw_err *err);

/* Convenience: a one-page PDF appended to out (an initialised kw_buf); out unchanged on
 * failure. */
int kw_ticket_pdf(const struct kw_ticket *t, struct kw_buf *out, struct kw_err *err);

/*
 * A ticket as bytes, to hand it to another process (render/pool.h): every string, the
 * photo and the sittings, appended to out. kw_ticket_decode points t's strings, photo and
 * sittings into data[0..n), which must outlive t; sits receives the sittings (at most
 * nsits). KW_EINVAL (VALIDATION_FAILED) when data is not one whole encoded ticket or has
 * more sittings than nsits.
 */
void kw_ticket_encode(const struct kw_ticket *t, struct kw_buf *out);
int kw_ticket_decode(const void *data, size_t n, struct kw_ticket *t,
                     struct kw_ticket_sitting *sits, size_t nsits, struct kw_err *err);

#endif
