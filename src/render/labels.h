/* A centre's room labels: a sign for each room's door, and cut-out labels for the desks. */
#ifndef KW_RENDER_LABELS_H
#define KW_RENDER_LABELS_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* Every string is UTF-8 and borrowed; NULL prints blank. */
struct kw_door_label {
	const char *exam_title, *centre_name, *room_no, *subject;
	const char *sitting; /* "2027-03-28 09:00–11:00" */
	const char *first_ticket, *last_ticket;
	long count;
};

/*
 * One A4 landscape page per label: the exam and the centre, 第 N 考场 huge, the subject, the
 * sitting, the ticket numbers first–last and the number of candidates. The PDF is appended
 * to out (an initialised kw_buf; out unchanged on failure). KW_EINVAL (VALIDATION_FAILED)
 * for no labels.
 */
int kw_door_labels_pdf(const struct kw_door_label *v, size_t n, struct kw_buf *out,
                       struct kw_err *err);

struct kw_desk_label {
	const char *room_no;
	long seat_no;
	const char *ticket_no, *name;
};

/*
 * A4 portrait pages of 2 × 6 cut-out labels with dashed cutting lines, each with the room,
 * the seat number huge, the ticket number and the name. Appended to out as above;
 * KW_EINVAL (VALIDATION_FAILED) for no labels.
 */
int kw_desk_labels_pdf(const struct kw_desk_label *v, size_t n, struct kw_buf *out,
                       struct kw_err *err);

/*
 * Labels as bytes, to hand them to another process (render/pool.h). The decoders set *v to
 * a new array (the caller frees it) whose strings point into data[0..len), which must
 * outlive it. KW_EINVAL (VALIDATION_FAILED) when data is not whole encoded labels.
 */
void kw_door_labels_encode(const struct kw_door_label *v, size_t n, struct kw_buf *out);
int kw_door_labels_decode(const void *data, size_t len, struct kw_door_label **v, size_t *n,
                          struct kw_err *err);
void kw_desk_labels_encode(const struct kw_desk_label *v, size_t n, struct kw_buf *out);
int kw_desk_labels_decode(const void *data, size_t len, struct kw_desk_label **v, size_t *n,
                          struct kw_err *err);

#endif
