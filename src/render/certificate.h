/*
 * The electronic qualification certificate (电子证书, SPEC GRD-10): one A4 landscape page
 * with a decorative border, the title block at the top (plain type where a paper certificate
 * has its emblem: no emblem or seal imagery is drawn), the certificate number at the top
 * right, the holder's details beside the photo, the subjects passed (with the year of each
 * pass: subjects of a rolling period are passed in different years, EXAM-5), the issuer and
 * the date of issue at the bottom right under the issuer's round red stamp, and at the bottom
 * left a QR code carrying the signed payload the application gives, with the address of the
 * public verification page under it. A copy printed for the record of a revoked certificate
 * carries a large diagonal 已撤销 (en: REVOKED) across the page.
 */
#ifndef KW_RENDER_CERTIFICATE_H
#define KW_RENDER_CERTIFICATE_H

#include <stddef.h>

#include "render/pdf.h"
#include "util/buf.h"
#include "util/err.h"

/* One subject passed, as printed; NULL prints blank. */
struct kw_certificate_subject {
	const char *code;  /* e.g. "01" */
	const char *name;  /* e.g. "经济基础知识" */
	const char *score; /* as the caller formats it: "72.5", "合格", "免试" */
	const char *year;  /* the year it was passed, e.g. "2026" */
};

/* The most subjects a certificate lists (qualification exams have at most a handful; past
 * this the rows would be too small to read). */
#define KW_CERTIFICATE_MAX_SUBJECTS 16

/*
 * The most bytes of QR payload: version 18 at level M, 89 modules, each ≥ 0.4 mm in the
 * code's 40 mm, which a phone camera still reads off paper. (A signed payload is ~300.)
 */
#define KW_CERTIFICATE_QR_MAX 512

/* Every string is UTF-8 and borrowed; a NULL string other than those required prints blank. */
struct kw_certificate {
	const char *lang; /* "zh-CN" (default when NULL) or "en": the printed labels */
	const char *title; /* NULL: 专业技术人员职业资格证书 (en: Professional Qualification
	                      Certificate) */
	const char *number; /* 证书编号, required */
	const char *name;   /* required */
	const char *sex;
	const char *id_number;           /* masked by the caller */
	const unsigned char *photo_jpeg; /* NULL: a framed "照片" box instead */
	size_t photo_len;
	const char *qualification; /* with its level: "经济专业技术资格（初级）" */
	const char *major;         /* the specialty: "人力资源管理" */
	const char *exam;          /* "2026年度经济专业技术资格考试" */
	const struct kw_certificate_subject *subjects;
	size_t nsubjects; /* at most KW_CERTIFICATE_MAX_SUBJECTS */
	const char *issuer; /* the issuing authority, e.g. "安徽省人力资源和社会保障厅" */
	const char *issued_on;  /* "2027-03-01" (printed 2027年3月1日 in Chinese) */
	const char *verify_url; /* printed under the QR code: "验证：https://…/verify.html" */
	const char *qr_payload; /* ASCII, at most KW_CERTIFICATE_QR_MAX bytes; NULL: no code */
	int revoked;            /* 1: the diagonal 已撤销 / REVOKED mark */
	const char *stamp_text; /* NULL: no stamp; else the issuer's round stamp with this text */
};

/*
 * Appends one A4 landscape page for c to the open document d, so a batch can put many
 * certificates in one PDF or one per file. KW_EINVAL (VALIDATION_FAILED) without a number or
 * name, with an unknown lang, too long a QR payload or too many subjects; KW_EINVAL
 * (FILE_CORRUPT) when the photo's JPEG header cannot be read. These are checked before
 * anything is drawn; after any other failure the page may be half drawn: abort the document.
 */
int kw_certificate_page(struct kw_pdf *d, const struct kw_certificate *c, struct kw_err *err);

/* Convenience: a one-page PDF appended to out (an initialised kw_buf); out unchanged on
 * failure (KW_ETOOBIG, EXPORT_TOO_BIG, past out's cap). */
int kw_certificate_pdf(const struct kw_certificate *c, struct kw_buf *out, struct kw_err *err);

#endif
