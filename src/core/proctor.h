/*
 * The proctor lottery (SPEC SEAT-2): a pure function of (the exam rooms in use, the eligible
 * staff of each exam area, the rule, a seed). Who is eligible — trained, not a volunteer,
 * not conflicted with a candidate of the exam (SEC-3) — is decided before, by the caller;
 * nobody is placed by hand: there is no input for it.
 *
 * Per exam area (in code order), with the draw streams of core/draw.h under the purposes
 * "proctor:exam=<exam>:sitting=<n>:area=<area>:duty=<chief|proctor|roving>":
 *   1. chief examiners: the area's chief-examiner staff, in staff order, shuffled; the
 *      k-th takes the area's k-th centre (centre code order);
 *   2. proctors: the area's proctors, in staff order, shuffled; each CBT room (room order)
 *      first takes the first CBT-capable one left; then every room, in room order, takes the
 *      next ones left until it has per_room;
 *   3. roving proctors: the area's roving proctors, shuffled; each (centre, floor) with rooms
 *      in use, in order, takes roving_per_floor of them.
 * If anything cannot be filled the draw fails whole, with the shortfall per centre and duty.
 *
 * The inputs as a file (docs/proctors.md) carry no personal data: staff appear by their
 * number in the file (1, 2, … in staff order), never by name, code or database id. Its
 * SHA-256 is the inputs digest a draw commits to; the assignment file's SHA-256 is the
 * result digest published with the revealed seed, and `kaowu proctor verify` recomputes both.
 */
#ifndef KW_CORE_PROCTOR_H
#define KW_CORE_PROCTOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/draw.h"
#include "util/buf.h"
#include "util/err.h"

enum kw_duty { KW_DUTY_CHIEF = 0, KW_DUTY_PROCTOR = 1, KW_DUTY_ROVING = 2 };

/* Limits of the inputs (the file's and the draw's). */
#define KW_PROCTOR_CODE_MAX     64 /* bytes of an exam, area or centre code */
#define KW_PROCTOR_SITTINGS_MAX 32
#define KW_PROCTOR_PER_ROOM_MAX 100
#define KW_PROCTOR_FLOOR_MIN    (-99)
#define KW_PROCTOR_FLOOR_MAX    999
#define KW_PROCTOR_NUMBER_MAX   1000000 /* an exam room's number */

struct kw_proctor_centre {
	uint32_t area; /* index into areas */
	const char *code;
};

struct kw_proctor_room {
	uint32_t centre; /* index into centres */
	uint32_t number; /* the exam room's number in its centre, ≥ 1 */
	int floor;
	int cbt;
};

struct kw_proctor_staff {
	int64_t id; /* the caller's (a database id); only its order matters to the draw */
	uint32_t area;
	int duty; /* enum kw_duty: what the staff member may be drawn for */
	int cbt;
};

/* Everything sorted: areas by code, centres by (area, code), rooms by (centre, number),
 * staff by id (kw_proctor_inputs_check says whether they are). */
struct kw_proctor_inputs {
	const char *exam;
	int sitting; /* 0: the whole exam day */
	int per_room, roving_per_floor;
	const char *const *areas;
	size_t nareas;
	const struct kw_proctor_centre *centres;
	size_t ncentres;
	const struct kw_proctor_room *rooms;
	size_t nrooms;
	const struct kw_proctor_staff *staff;
	size_t nstaff;
};

struct kw_proctor_assignment {
	uint32_t staff;  /* index into staff */
	int duty;        /* enum kw_duty */
	uint32_t centre; /* index into centres */
	int64_t room;    /* index into rooms, or -1 (chief, roving) */
	int floor;       /* roving: the floor */
};

/* A gap: a centre without its chief examiner, a room short of proctors (cbt: of a
 * CBT-capable one), a floor short of roving proctors. */
struct kw_proctor_short {
	uint32_t centre;
	int duty;
	int cbt;      /* 1: the CBT-capable proctor a CBT room needs */
	int64_t room; /* proctors: index into rooms; otherwise -1 */
	int floor;    /* roving: the floor */
	uint32_t needed, available;
};

struct kw_proctor_result {
	struct kw_proctor_assignment *v;
	size_t n;
	struct kw_proctor_short *shorts;
	size_t nshorts;
};

void kw_proctor_result_release(struct kw_proctor_result *r);

/* "chief", "proctor", "roving"; and back (-1 for anything else). */
const char *kw_proctor_duty_name(int duty);
int kw_proctor_duty_parse(const char *s);

/* 0, or KW_ERULE code PROCTORS_SHORT (rule SEAT-2) with r->shorts listing every gap (and no
 * assignments kept); KW_EINVAL (PROCTOR_INPUTS_INVALID) when an index is out of range. */
int kw_proctor_draw(const struct kw_proctor_inputs *in, const uint8_t seed[KW_DRAW_SEED_BYTES],
                    struct kw_proctor_result *r, struct kw_err *err);

/*
 * Are the inputs in the one form the file can say: codes of 1..KW_PROCTOR_CODE_MAX bytes
 * without control characters, areas strictly in byte order, centres strictly by (area, code),
 * rooms strictly by (centre, number), staff strictly by id, every area with a centre and every
 * centre with a room, numbers within the limits above? 0 or KW_EINVAL PROCTOR_INPUTS_INVALID.
 */
int kw_proctor_inputs_check(const struct kw_proctor_inputs *in, struct kw_err *err);

/* The inputs file (docs/proctors.md) of checked inputs; its SHA-256 is the inputs digest. */
int kw_proctor_inputs_write(const struct kw_proctor_inputs *in, struct kw_buf *out);

/* An inputs file read back: in points into the members, which it owns. Staff ids are their
 * numbers in the file. */
struct kw_proctor_parsed {
	struct kw_proctor_inputs in;
	char exam[KW_PROCTOR_CODE_MAX + 1];
	char **areas;
	char **centre_codes;
	struct kw_proctor_centre *centres;
	struct kw_proctor_room *rooms;
	struct kw_proctor_staff *staff;
};
void kw_proctor_parsed_release(struct kw_proctor_parsed *p);

/* Parses an inputs file, which must be in its one canonical form (so that writing it back
 * gives the same bytes); p must be zeroed. KW_EINVAL, code PROCTOR_INPUTS_INVALID with
 * details.line on failure, p released. */
int kw_proctor_inputs_parse(const char *text, size_t n, struct kw_proctor_parsed *p,
                            struct kw_err *err);

/*
 * The assignment file (docs/proctors.md): one line per drawn staff member in staff order,
 * "number TAB duty TAB area TAB centre TAB room TAB floor" (room: the exam room's number, "-"
 * for chief and roving; floor: the room's for a proctor, the floor for a roving proctor, "-"
 * for a chief). Its SHA-256 is the result digest; out may be NULL to have only the digest.
 * KW_EINVAL when r holds a staff member twice or an index out of range.
 */
int kw_proctor_result_write(const struct kw_proctor_inputs *in, const struct kw_proctor_result *r,
                            struct kw_buf *out, char digest[65]);

#endif
