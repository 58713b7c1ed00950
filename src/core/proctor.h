/*
 * The proctor lottery (SPEC SEAT-2): a pure function of (the exam rooms in use, the eligible
 * staff of each exam area, the rule, a seed). Who is eligible — trained, not a volunteer,
 * not conflicted with a candidate of the exam (SEC-3) — is decided before, by the caller;
 * nobody is placed by hand: there is no input for it.
 *
 * Per exam area (in code order), with the draw streams of core/draw.h under the purposes
 * "proctor:exam=<exam>:sitting=<n>:area=<area>:duty=<chief|proctor|roving>":
 *   1. chief examiners: the area's chief-examiner staff, in staff-id order, shuffled; the
 *      k-th takes the area's k-th centre (centre code order);
 *   2. proctors: the area's proctors, in staff-id order, shuffled; each CBT room (room order)
 *      first takes the first CBT-capable one left; then every room, in room order, takes the
 *      next ones left until it has per_room;
 *   3. roving proctors: the area's roving proctors, shuffled; each (centre, floor) with rooms
 *      in use, in order, takes roving_per_floor of them.
 * If anything cannot be filled the draw fails whole, with the shortfall per centre and duty.
 */
#ifndef KW_CORE_PROCTOR_H
#define KW_CORE_PROCTOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/draw.h"
#include "util/err.h"

enum kw_duty { KW_DUTY_CHIEF = 0, KW_DUTY_PROCTOR = 1, KW_DUTY_ROVING = 2 };

struct kw_proctor_centre {
	uint32_t area; /* index into areas */
	const char *code;
};

struct kw_proctor_room {
	uint32_t centre; /* index into centres */
	int floor;
	int cbt;
};

struct kw_proctor_staff {
	int64_t id;
	uint32_t area;
	int duty; /* enum kw_duty: what the staff member may be drawn for */
	int cbt;
};

/* Everything sorted: areas by code, centres by (area, code), rooms by (centre, number),
 * staff by id. */
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

struct kw_proctor_short {
	uint32_t centre;
	int duty;
	int cbt; /* 1: the CBT-capable proctors for CBT rooms */
	uint32_t needed, available;
};

struct kw_proctor_result {
	struct kw_proctor_assignment *v;
	size_t n;
	struct kw_proctor_short *shorts;
	size_t nshorts;
};

void kw_proctor_result_release(struct kw_proctor_result *r);

/* 0, or KW_ERULE code PROCTORS_SHORT (rule SEAT-2) with r->shorts listing every gap (and no
 * assignments kept). */
int kw_proctor_draw(const struct kw_proctor_inputs *in, const uint8_t seed[KW_DRAW_SEED_BYTES],
                    struct kw_proctor_result *r, struct kw_err *err);

#endif
