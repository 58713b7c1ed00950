/*
 * The rules of a package's chain of custody as pure checks (SPEC CUS-2..6; app/custody.h
 * applies them as events arrive). No database, no clock: the caller passes the times.
 */
#ifndef KW_CORE_CUSTODY_H
#define KW_CORE_CUSTODY_H

#include <stddef.h>
#include <stdint.h>

/* The kinds of event. */
enum kw_cus_kind {
	KW_CUS_NONE = 0,
	KW_CUS_PRINT_RECEIPT,   /* the printer hands the packages over (PAP-5, CUS-3) */
	KW_CUS_TRANSPORT,       /* a move by dedicated vehicle with 2+ escorts (CUS-2) */
	KW_CUS_HANDOVER,        /* 2+ people on each side, counts and seals checked (CUS-3) */
	KW_CUS_SECURE_IN,       /* into a secure room: two key holders, guards (CUS-4) */
	KW_CUS_SECURE_OUT,      /* out of a secure room, the same */
	KW_CUS_CENTRE_RECEIPT,  /* the centre receives 1 hour before the start, 2+ staff (CUS-5) */
	KW_CUS_PROCTOR_RECEIPT, /* the room's proctors receive 30 minutes before (CUS-5) */
	KW_CUS_SEAL_APPROVAL,   /* after the exam the chief examiner approves the sealing (CUS-6) */
	KW_CUS_RETURN,          /* handed back after the exam, sealed (CUS-6) */
};

enum kw_cus_kind kw_cus_kind_of(const char *name);
const char *kw_cus_kind_name(enum kw_cus_kind k);

/* Does the kind take two sides of people (giving, receiving) with count and seal checks? */
int kw_cus_is_handover(enum kw_cus_kind k);

/* Is place one of the places (printer, province, province_secure_room, area,
 * area_secure_room, centre, centre_secure_room, exam_office, exam_room, grading_site)? */
int kw_cus_place_known(const char *place);

/*
 * May an event of kind go from → to? NULL when it may, else the problem (a word for
 * details): "to_secure_room" (secure_in goes into a secure room: from X to X_secure_room),
 * "from_secure_room", "same_place" (a transport moves), "to_centre", "to_exam_room",
 * "from_exam_room", "from_printer", "place_changes" (approvals stay where they are).
 */
const char *kw_cus_route_problem(enum kw_cus_kind k, const char *from, const char *to);

/*
 * People checks. Each person is a key: "u:<user id>" for an account, "n:<name>" for a named
 * person. side_min: at least min people on the side (else 1); distinct: no key twice over
 * all of keys (else 2, *dup the repeated key's index).
 */
int kw_cus_side_short(size_t n, size_t min);
int kw_cus_first_duplicate(const char *const *keys, size_t n, size_t *dup);

/* Timing (microseconds UTC). A receipt is late when now is after start − minutes. */
int kw_cus_late(int64_t now, int64_t start, int minutes);
/* Do two instants fall on the same calendar day in China time (UTC+8)? */
int kw_cus_same_day(int64_t a, int64_t b);

#endif
