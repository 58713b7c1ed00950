/*
 * A centre's posted and printed documents (VEN-3, VEN-5): the sign-in sheet with photos for
 * each exam room, the seating chart of each room, the room allocation table posted at the
 * gate and the gate sign.
 *
 * Every string is UTF-8 and borrowed; a NULL string other than those required prints blank.
 * Each function appends one PDF to out (an initialised kw_buf; its cap applies) and leaves
 * out unchanged on failure: KW_EINVAL (VALIDATION_FAILED) when required data is missing,
 * KW_ETOOBIG (EXPORT_TOO_BIG) past out's cap.
 */
#ifndef KW_RENDER_CENTRE_H
#define KW_RENDER_CENTRE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* ---- sign-in sheet (考生签到表) ---- */

struct kw_signin_row {
	long seat_no;
	const char *ticket_no, *name;
	const char *id_number_masked;    /* printed as given: "3401**********1234" */
	const unsigned char *photo_jpeg; /* may be NULL: an empty framed box instead */
	size_t photo_len;
};

struct kw_signin_sheet {
	const char *exam_title; /* required */
	const char *centre_name;
	const char *room_no;              /* "03": printed 第 03 考场 */
	const char *subjects;             /* "行政职业能力测验" */
	const char *sitting;              /* "2027-03-28 09:00–11:00" */
	const struct kw_signin_row *rows; /* in seat order; at least one */
	size_t nrows;
};

/* Rows of candidates on a page of the sign-in sheet. */
#define KW_SIGNIN_ROWS_PER_PAGE 10

/*
 * A4 portrait pages for each room, KW_SIGNIN_ROWS_PER_PAGE candidates a page: the header
 * (the exam, the centre, 第 N 考场, the subjects, the sitting) and the table's head on every
 * page; a row per candidate with 座位号, the photo (its JPEG passed through), 准考证号, 姓名,
 * 证件号码 and an empty box for the candidate's signature (考生签名); at the foot the two
 * proctors' signature lines, on the room's last page the number expected, and
 * "第 i 页 共 m 页" counted within the room. KW_EINVAL (VALIDATION_FAILED) for no sheets, a
 * sheet without an exam title or rows; KW_EINVAL (FILE_CORRUPT) or KW_ETOOBIG
 * (IMAGE_TOO_MANY_PIXELS) for a photo that kw_pdf_jpeg refuses.
 */
int kw_signin_sheets_pdf(const struct kw_signin_sheet *v, size_t n, struct kw_buf *out,
                         struct kw_err *err);

/* ---- seating chart (考场座次表) ---- */

struct kw_chart_seat {
	long seat_no;
	long row, col; /* 1-based; row 1 nearest the front, column 1 on the left of the chart */
	const char *ticket_no, *name;
};

/* The most rows or columns a seating chart draws (a cell stays readable on A4). */
#define KW_CHART_MAX_DIM 20

struct kw_seating_chart {
	const char *exam_title; /* required */
	const char *centre_name, *room_no, *subjects, *sitting;
	long rows, cols;                   /* the room's grid, 1..KW_CHART_MAX_DIM each */
	const struct kw_chart_seat *seats; /* at least one; at most one a cell */
	size_t nseats;
};

/*
 * One A4 landscape page per room: the header, 讲台 (the front) at the top, and the grid of
 * rows × cols desks with row 1 nearest the front; an occupied desk shows its seat number large
 * and the ticket number and name small, an empty one is a blank box. KW_EINVAL
 * (VALIDATION_FAILED) for no charts, a chart without an exam title or seats, a grid out of
 * range, a seat outside the grid or two seats in one cell.
 */
int kw_seating_charts_pdf(const struct kw_seating_chart *v, size_t n, struct kw_buf *out,
                          struct kw_err *err);

/* ---- room allocation table (考场分配表) ---- */

struct kw_alloc_row {
	const char *room_no;   /* "03" */
	const char *room_name; /* the classroom, "101" */
	const char *floor;     /* "1楼" */
	const char *subjects;
	const char *first_ticket, *last_ticket;
	long count;
};

struct kw_alloc_table {
	const char *exam_title; /* required */
	const char *centre_name, *centre_address;
	const struct kw_alloc_row *rows; /* at least one */
	size_t nrows;
};

/*
 * A4 portrait pages in large type to post at the gate: the exam, the centre and its address,
 * then 考场号 | 教室 | 楼层 | 科目 | 准考证号起止 | 人数, the table's head repeated on every page
 * and "第 i 页 共 m 页". KW_EINVAL (VALIDATION_FAILED) without an exam title or rows.
 */
int kw_alloc_table_pdf(const struct kw_alloc_table *t, struct kw_buf *out, struct kw_err *err);

/* ---- gate sign (考点门牌) ---- */

struct kw_gate_sign {
	const char *year_and_kind; /* required: "2027年度经济专业技术资格考试" */
	const char *area;          /* "合肥考区" */
	const char *centre_name; /* required: "合肥市第一中学"; 考点 is added unless it ends so */
};

/*
 * One A4 landscape page of very large centred text: the exam, the area and "… 考点".
 * KW_EINVAL (VALIDATION_FAILED) without the exam or the centre.
 */
int kw_gate_sign_pdf(const struct kw_gate_sign *g, struct kw_buf *out, struct kw_err *err);

#endif
