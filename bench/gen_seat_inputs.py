#!/usr/bin/env python3
"""A canonical seating inputs file (docs/seating.md, "The inputs file") at national scale,
for bench/b_seat.sh (issue 7). Python 3 standard library only; the same arguments give the
same file byte for byte (random.Random(seed), nothing else random).

Shape:
- AREAS exam areas (default 300) in provinces of ten: codes A<province><digit> with the
  GB/T 2260 province codes, A110 … A119, A120 … (A649 at 300 areas); the first area of
  each province is its capital and draws 6–12 times the candidates of an ordinary one
  (lognormal weight).
- groups 01 (sitting 1), 01+02 (sittings 1,2), 02 (sitting 2), all paper; a candidate is
  01+02 with probability 0.84, 01 or 02 with 0.08 each; accommodation=1 with 0.001.
- registration ids from 100001, increasing by random gaps of 1–7.
- rooms of 30 seats (= the rule's capacity), all paper, in centres <area>-C01 … of 20–60
  rooms over 1–5 floors, codes <floor><nn> (101, 102, …, 201, …).
- rooms per area: exactly what the rule needs for that area's candidates (groups 01 and 02
  sit at different times, so 02 re-uses the rooms of 01: an area needs
  rooms(01+02) + max(rooms(01), rooms(02)), each group's accommodation candidates in rooms of
  their own), the ROOMS − Σ need spare rooms spread over the areas in proportion to their
  need. Too few ROOMS for the candidates is an error that says how many are needed.
- the rule: the default of docs/seating.md with capacity 30, except that the ticket
  scheme's area field is as wide as the number of areas needs ({area:3} for 100–999 areas;
  the default {area:2} holds at most 99 and the run would be refused with
  TICKET_SCHEME_TOO_NARROW).
"""
import argparse
import json
import math
import random
import sys

PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45,
             46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
GROUPS = [("01", "1"), ("01+02", "1,2"), ("02", "2")]  # key order; all paper
GROUP_WEIGHTS = [0.08, 0.84, 0.08]
CAPACITY = 30
SEATS = 30
ACC_P = 0.001


def rooms_for(n, acc):
    """Rooms one group of an area fills: accommodation rooms, then the others."""
    return -(-acc // CAPACITY) + -(-(n - acc) // CAPACITY)


def largest_remainder(total, weights):
    s = sum(weights)
    if s == 0:
        return [0] * len(weights)
    exact = [total * w / s for w in weights]
    out = [int(e) for e in exact]
    rest = total - sum(out)
    for i in sorted(range(len(weights)), key=lambda i: (out[i] - exact[i], i))[:rest]:
        out[i] += 1
    return out


def exam_areas(count, rng):
    """The exam areas, provinces of ten in code order (same width, so byte order = this
    order), and the cumulative weights candidates are drawn by (a provincial capital's area
    the largest). Draws from rng in a fixed order: the same seed, the same areas."""
    nprov = -(-count // 10)
    per = largest_remainder(count, [1] * nprov)
    areas, weights = [], []
    for p in range(nprov):
        for k in range(per[p]):
            areas.append("A%d%d" % (PROVINCES[p], k))
            weights.append(rng.uniform(6, 12) if k == 0 else rng.lognormvariate(0, 0.5))
    assert areas == sorted(areas)
    cum, t = [], 0.0
    for w in weights:
        t += w
        cum.append(t)
    return areas, cum


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--candidates", type=int, required=True)
    ap.add_argument("--rooms", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--areas", type=int, default=300, help="exam areas, 1..%d (default 300)"
                    % (10 * len(PROVINCES)))
    ap.add_argument("--exam", default="NATIONAL")
    ap.add_argument("--year", type=int, default=2027)
    a = ap.parse_args()
    if not 1 <= a.areas <= 10 * len(PROVINCES):
        ap.error("--areas must be 1..%d" % (10 * len(PROVINCES)))
    if a.candidates < 0 or a.rooms < 1:
        ap.error("--candidates ≥ 0 and --rooms ≥ 1")
    rng = random.Random(a.seed)

    areas, cum = exam_areas(a.areas, rng)

    # candidates in registration-id order
    ai = rng.choices(range(len(areas)), cum_weights=cum, k=a.candidates)
    gi = rng.choices(range(len(GROUPS)), weights=GROUP_WEIGHTS, k=a.candidates)
    gaps = rng.choices(range(1, 8), k=a.candidates)
    acc = [1 if rng.random() < ACC_P else 0 for _ in range(a.candidates)]
    n = [[0] * len(GROUPS) for _ in areas]
    nacc = [[0] * len(GROUPS) for _ in areas]
    for i in range(a.candidates):
        n[ai[i]][gi[i]] += 1
        nacc[ai[i]][gi[i]] += acc[i]

    # rooms per area: the need, plus the spare in proportion to it
    need = []
    for x in range(len(areas)):
        r = [rooms_for(n[x][g], nacc[x][g]) for g in range(len(GROUPS))]
        need.append(r[1] + max(r[0], r[2]))
    spare = a.rooms - sum(need)
    if spare < 0:
        sys.exit("gen_seat_inputs: %d candidates need at least %d rooms of %d seats, not %d"
                 % (a.candidates, sum(need), SEATS, a.rooms))
    alloc = [need[x] + s for x, s in enumerate(largest_remainder(spare, need))]
    if sum(need) == 0:  # no candidates: spread the rooms evenly
        alloc = largest_remainder(a.rooms, [1] * len(areas))

    rule = {"accommodation_capacity": CAPACITY, "capacity": CAPACITY, "columns": 5,
            "seat_order": "serpentine",
            "ticket_scheme": "{year:2}{area:%d}{centre:2}{room:3}{seat:2}"
            % max(2, len(str(len(areas)))),
            "year": a.year}
    out = open(a.out, "w", encoding="utf-8", newline="\n")
    w = out.write
    w("kaowu-seat-inputs/1\n")
    w("exam\t%s\n" % a.exam)
    w("rule\t%s\n" % json.dumps(rule, sort_keys=True, separators=(",", ":"),
                                ensure_ascii=False))
    for code in areas:
        w("area\t%s\n" % code)
    for key, sittings in GROUPS:
        w("group\t%s\tpaper\t%s\n" % (key, sittings))
    max_centres = max_rooms = 0
    for x, code in enumerate(areas):
        left, c = alloc[x], 0
        # centres of 20–60 rooms (larger only if an area would need more than 99 centres)
        lo = max(20, -(-alloc[x] // 99))
        lines = []
        while left > 0:
            c += 1
            size = min(left, rng.randint(lo, max(lo, 60)))
            if 0 < left - size < lo // 2:  # no tiny last centre
                size = left
            left -= size
            floors = max(rng.randint(1, 5), -(-size // 99))
            per_floor = -(-size // floors)
            centre = "%s-C%02d" % (code, c)
            assert c <= 99 and floors <= 9 and per_floor <= 99
            for k in range(size):
                fl, nn = divmod(k, per_floor)
                lines.append("room\t%s\t%s\t%d%02d\t%d\tpaper\t%d\n"
                             % (code, centre, fl + 1, nn + 1, SEATS, fl + 1))
            max_rooms = max(max_rooms, size)
        max_centres = max(max_centres, c)
        w("".join(lines))
    reg = 100000
    groups = [g[0] for g in GROUPS]
    chunk = []
    for i in range(a.candidates):
        reg += gaps[i]
        chunk.append("cand\t%d\t%s\t%s\t%d\n" % (reg, areas[ai[i]], groups[gi[i]], acc[i]))
        if len(chunk) == 100000:
            w("".join(chunk))
            chunk = []
    w("".join(chunk))
    out.close()
    print("gen_seat_inputs: %d candidates (%d with accommodations), %d areas "
          "(largest %d candidates, smallest %d), %d rooms of %d seats (need %d, spare %d = "
          "%.1f%%), up to %d centres an area, up to %d rooms a centre"
          % (a.candidates, sum(acc), len(areas), max(map(sum, n)), min(map(sum, n)),
             a.rooms, SEATS, sum(need), spare, 100.0 * spare / max(1, sum(need)),
             max_centres, max_rooms), file=sys.stderr)


if __name__ == "__main__":
    main()
