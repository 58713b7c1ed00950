/*
 * Seating (SPEC SEAT-1): the one unified rule, as a pure function of
 *   (the sorted registration list, the rooms, the rule, a seed)
 * so that an auditor holding the published inputs and the revealed seed gets the identical
 * assignment (`kaowu seat verify`). No input names a person: a candidate is a registration
 * id, an exam area, a subject group and an accommodation flag. docs/seating.md states the
 * rule in words, the inputs file byte for byte and the order of every random choice.
 *
 * The rule, per exam area (areas in code order) and, inside it, per group (a candidate's
 * subjects joined by "+", groups in key order):
 *   1. the group's candidates, in registration-id order, are shuffled by the draw stream
 *      "seat:exam=<exam>:area=<area>:group=<group>" (core/draw.h); candidates who need
 *      accommodations are then moved, in that shuffled order, to the front;
 *   2. accommodation candidates fill rooms of their own, lowest floor first (ties in room
 *      order), accommodation_capacity to a room; the others fill the remaining rooms in
 *      room order (centre code, room code), capacity to a room; a room takes
 *      min(its seats, the capacity); a room serves the group's mode (paper or CBT) and must
 *      be free in every sitting of the group (a room may serve two groups whose sittings
 *      differ);
 *   3. in a room, candidates take seats 1, 2, … in their shuffled order.
 * Each room so used by a group is an exam room (考场); exam rooms are numbered 1, 2, … in
 * each centre in (room order, group order). A ticket number is the rule's scheme filled
 * with the year, the area's number (1-based in area code order), the centre's number in its
 * area (1-based in centre code order), the exam room number and the seat.
 */
#ifndef KW_CORE_SEAT_H
#define KW_CORE_SEAT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/draw.h"
#include "util/buf.h"
#include "util/err.h"

#define KW_SEAT_MAX_SITTINGS 32
#define KW_SEAT_TICKET_MAX   64 /* a ticket number's bytes and its NUL, at most */

enum kw_seat_mode { KW_SEAT_PAPER = 0, KW_SEAT_CBT = 1 };

struct kw_seat_rule {
	int capacity;               /* candidates per room at most (the rule set's room_capacity) */
	int accommodation_capacity; /* per accommodation room */
	int columns;                /* seats per row on the seating chart */
	int serpentine;         /* 1: the chart's rows alternate direction; 0: all left to right */
	int year;               /* for {year:N} */
	char ticket_scheme[96]; /* e.g. "{year:2}{area:2}{centre:2}{room:3}{seat:2}" */
};

struct kw_seat_group {
	char *key;         /* subject codes joined by "+", e.g. "01+02" */
	int mode;          /* enum kw_seat_mode */
	uint32_t sittings; /* bit s-1 set: the group sits in sitting s (1..32) */
};

struct kw_seat_room {
	uint32_t area; /* index into areas */
	char *centre;  /* centre code */
	char *code;    /* room code, unique in its centre */
	int seats;     /* physical seats, ≥ 1 */
	int mode;
	int floor;
	int64_t ref; /* the caller's (a database id); carried through sorting, never written */
};

struct kw_seat_cand {
	int64_t reg_id;
	uint32_t area;
	uint32_t group;
	uint8_t accommodation;
};

/* Everything the assignment depends on, in canonical order once normalised. */
struct kw_seat_inputs {
	char exam[64];
	struct kw_seat_rule rule;
	char **areas;
	size_t nareas;
	struct kw_seat_group *groups;
	size_t ngroups;
	struct kw_seat_room *rooms;
	size_t nrooms;
	struct kw_seat_cand *cands;
	size_t ncands;
};

/* One exam room: a room used by one group. */
struct kw_seat_examroom {
	uint32_t room;       /* index into rooms */
	uint32_t group;      /* index into groups */
	uint32_t centre_no;  /* the centre's number in its area, 1-based */
	uint32_t number;     /* the exam room's number in its centre, 1-based */
	uint32_t count;      /* seats taken: 1 … count */
	uint32_t first_cand; /* seat k is taken by order[first_cand + k - 1] */
	uint8_t accommodation;
};

/* Too few seats for an area's group. */
struct kw_seat_short {
	uint32_t area, group;
	uint64_t candidates, seats; /* seats free for the group; short = candidates - seats */
};

struct kw_seat_result {
	uint32_t *room_of; /* per candidate (index into cands): exam room index */
	uint32_t *seat_of; /* per candidate: seat number, 1-based */
	uint32_t *order;   /* candidates in seat order, exam room after exam room */
	struct kw_seat_examroom *rooms;
	size_t nrooms;
	struct kw_seat_short *shorts;
	size_t nshorts;
};

void kw_seat_inputs_release(struct kw_seat_inputs *in);
void kw_seat_result_release(struct kw_seat_result *r);

/* The rule's defaults for a room capacity (other fields as documented in docs/seating.md). */
void kw_seat_rule_default(struct kw_seat_rule *r, int capacity, int year);

/*
 * Reads a rule from JSON over the defaults already in r: keys capacity, accommodation_capacity,
 * columns, seat_order ("serpentine" | "rows"), year, ticket_scheme; any other key or a value
 * out of range fails with KW_EINVAL, code SEAT_RULE_INVALID (details.field).
 */
int kw_seat_rule_from_json(struct kw_seat_rule *r, const json_t *j, struct kw_err *err);
/* The rule as JSON with the keys above (new reference). */
json_t *kw_seat_rule_json(const struct kw_seat_rule *r);

/*
 * Sorts everything into canonical order (areas and groups by code, rooms by area, centre,
 * room; candidates by registration id) and re-indexes, then checks: no duplicates, rooms
 * with ≥ 1 seat, a valid ticket scheme. KW_EINVAL with code SEAT_INPUTS_INVALID.
 */
int kw_seat_inputs_normalise(struct kw_seat_inputs *in, struct kw_err *err);

/* The inputs file (docs/seating.md), from normalised inputs. Its SHA-256 is the inputs digest. */
int kw_seat_inputs_write(const struct kw_seat_inputs *in, struct kw_buf *out);

/* Parses an inputs file (which must be in canonical order); in must be zeroed. On failure
 * KW_EINVAL, code SEAT_INPUTS_INVALID with details.line, and in is released. */
int kw_seat_inputs_parse(const char *text, size_t n, struct kw_seat_inputs *in, struct kw_err *err);

/*
 * The assignment. 0, or KW_ERULE with code SEATS_SHORT (rule SEAT-1) when some area's
 * group has too few seats — r->shorts lists every one and nothing else of r is meaningful —,
 * or KW_ERULE code TICKET_SCHEME_TOO_NARROW when a number does not fit its field.
 */
int kw_seat_assign(const struct kw_seat_inputs *in, const uint8_t seed[KW_DRAW_SEED_BYTES],
                   struct kw_seat_result *r, struct kw_err *err);

/* The ticket number of a seat; out holds KW_SEAT_TICKET_MAX bytes (a shorter out gets the
 * number cut). Each field takes its value's last W digits: kw_seat_assign has refused a run
 * where a number does not fit. */
void kw_seat_ticket_no(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                       uint32_t examroom, uint32_t seat, char *out, size_t n);

/* ticket with its seat field replaced by seat (every field has a fixed width, so the seat's
 * place in the number is known from the scheme); 0, or KW_ERULE TICKET_SCHEME_TOO_NARROW. */
int kw_seat_ticket_reseat(const struct kw_seat_rule *rule, const char *ticket, uint32_t seat,
                          char *out, size_t n, struct kw_err *err);

/* Checks a scheme: only digits, letters, '-' and the fields {year|area|centre|room|seat:W}
 * (W 1..9), each of area, centre, room and seat present once, and the number (literal bytes
 * plus the widths) at most KW_SEAT_TICKET_MAX - 1 = 63 characters. 0 or KW_EINVAL. */
int kw_seat_scheme_check(const char *scheme, struct kw_err *err);

/*
 * The assignment file (docs/seating.md): one line per candidate in registration-id order,
 * "reg_id TAB area TAB centre TAB room TAB exam-room-no TAB seat TAB ticket-no". Its
 * SHA-256 is the assignment digest (64 hex digits and a NUL); out may be NULL to have only
 * the digest. r must come from a successful kw_seat_assign of in. 0, or KW_ETOOBIG past
 * out's cap (KW_EINTERNAL for a rule whose ticket scheme is not valid).
 */
int kw_seat_result_write(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                         struct kw_buf *out, char digest[65]);

/* Receives the assignment file in pieces (about 64 KB each, whole lines), in order: 0, or a
 * negative KW_E* that stops the writing and is returned. */
typedef int (*kw_seat_sink_fn)(void *data, const char *bytes, size_t n);

/* kw_seat_result_write handing the file to sink (NULL: only the digest) instead of a buffer,
 * so that it need not be held in memory whole. */
int kw_seat_result_stream(const struct kw_seat_inputs *in, const struct kw_seat_result *r,
                          kw_seat_sink_fn sink, void *data, char digest[65]);

/* The seating chart position (row and column from the front left, 1-based) of a seat. */
void kw_seat_chart_pos(const struct kw_seat_rule *rule, uint32_t seat, uint32_t *row,
                       uint32_t *col);

#endif
