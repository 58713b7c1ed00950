/*
 * The documents of a violation case (issue 8, SPEC VIO-8): the decision letter (处理决定书)
 * and the notice of an intended decision (陈述申辩告知书), printed as a Chinese
 * administrative document — GB/T 9704 in spirit: A4 portrait, a text block of 156 × 225 mm
 * (28 mm from the left edge, 37 mm from the top), 22 lines of 16 pt serif a page at a fixed
 * pitch of 225 / 22 mm.
 *
 * The wording is made elsewhere (from the case's catalogue template); this only sets it. A
 * document is a JSON object
 *
 *   {"title": "公务员录用违规违纪行为处理决定书",
 *    "lines": ["编号：皖公考违决〔2026〕1号", "考生张三（身份证号…）：",
 *              "你在参加……", …, "安徽省公务员局（盖章）", "2026年12月6日"],
 *    "footer": "本文书由 kaowu 生成 · 案件 123 · 核验码 …"}
 *
 * whose lines are read by position: lines[0] the number line, right-aligned under the title;
 * lines[1] the salutation, flush left; the last two the issuer and the date, right-aligned
 * four characters in from the right margin, with two blank lines above them for the seal;
 * every line between a body paragraph, justified, its first line indented two characters.
 * The title is centred in 22 pt bold serif (a long title wraps into lines of even length).
 * A long body flows onto further pages (the issuer and the date never stand on a page
 * without the last two lines of the body above them; a document that would run a few lines
 * onto a second page is set closer, up to 25 lines a page, to stay on one), and a document
 * of more than one page numbers its pages "— 1 —" at the bottom centre. "footer", when given, is
 * printed small at the foot of every page. Unknown keys are ignored. Characters outside kaowu's own
 * faces (CJK Extension A and beyond, 䶮 𪚥 in names) print from the fallback faces of KW_PDF_SERIF.
 */
#ifndef KW_RENDER_LETTER_H
#define KW_RENDER_LETTER_H

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

/* The most lines, and bytes of text all told, a case document may have. */
#define KW_LETTER_MAX_LINES 1000
#define KW_LETTER_MAX_TEXT  (256 * 1024)

/*
 * Checks a case document without rendering it (no pango, no cairo): KW_EINVAL with code
 * DOCUMENT_INVALID for anything but an object with a non-empty string "title" and an array
 * "lines" of 5 to KW_LETTER_MAX_LINES strings (the number, salutation, issuer and date not
 * blank), "footer" absent, null or a string, and at most KW_LETTER_MAX_TEXT bytes of text.
 */
int kw_case_document_check(const json_t *doc, struct kw_err *err);

/*
 * A case document (decision letter or notice) as JSON {title, lines[], footer?} → a PDF
 * appended to out (an initialised kw_buf; its cap applies). Refuses what
 * kw_case_document_check refuses (KW_EINVAL, DOCUMENT_INVALID); KW_ETOOBIG (EXPORT_TOO_BIG)
 * past out's cap. On failure out is left as it was. Loads pango and cairo into the calling
 * process: a server renders through kw_case_document_pdf_isolated instead.
 */
int kw_case_document_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err);

/*
 * The same, rendered in a forked child (render/isolate.h) so that the calling process never
 * loads pango or cairo: for the server. The document is checked here first, so that bad
 * input is refused with DOCUMENT_INVALID without a fork; a child that fails otherwise comes
 * back as RENDER_FAILED.
 */
int kw_case_document_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err);

#endif
