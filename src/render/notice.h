/*
 * The public notice of those to be appointed (拟录用人员公示, SPEC INT-6; app/recruit.c): A4
 * portrait, in Simplified Chinese. The document is the JSON of the public notice:
 *   {"exam_name", "position_code", "position_name", "recruiter", "organiser", "starts_on",
 *    "ends_on", "entries": [{"name", "gender", "id_number" (masked), "ticket_no",
 *    "position_code", "position_name", "written", "interview", "composite"}]}
 * set as a title, an opening paragraph, a table of the entries (as many pages as they
 * need, pages numbered), the period and where objections go, the organiser and the date.
 */
#ifndef KW_RENDER_NOTICE_H
#define KW_RENDER_NOTICE_H

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

/* Renders the notice into out (loads pango and cairo: tools and tests). */
int kw_recruit_notice_pdf(const json_t *doc, struct kw_buf *out, struct kw_err *err);

/* The same in a forked child (render/isolate.h): for the server. */
int kw_recruit_notice_pdf_isolated(const json_t *doc, struct kw_buf *out, struct kw_err *err);

#endif
