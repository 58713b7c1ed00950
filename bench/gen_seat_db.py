#!/usr/bin/env python3
"""The database side of bench/b_seat_db.sh (issue 7): one exam's venues and registrations at
national scale, as the CSV files kaowu imports. Python 3 standard library only; the same
arguments and the same candidate stream give the same files byte for byte.

The shape is gen_seat_inputs.py's (its functions and constants are reused): AREAS exam areas
(default 300) with codes A110 … A649, the first of each ten 6–12 times the candidates of an
ordinary one; groups 01 (8 %), 01+02 (84 %) and 02 (8 %), all paper; rooms of 30 seats in
centres of 20–60 rooms over 1–5 floors, exactly what the rule needs per area plus the
ROOMS − Σ need spare spread in proportion. One difference: every area here is an exam-area
agency of ONE province (kaowu seats an exam within its province), so the 300 areas hang
under one provincial agency, PARENT.

Writes into --outdir:
  units.csv    the areas (units import: code, name, kind, level, parent_code)
  centres.csv  the centres (centres import), each under its area
  rooms.csv    the rooms (rooms import), split into rooms-N.csv files of ≤ 100,000 rows
  regs.csv     the registrations (kaowu import registrations): the candidate rows of
               `kaowu generate candidates --exam EXAM --subjects 01` read from standard
               input, with each row's subjects replaced by its drawn group (01 / 01;02 / 02)
               and an `area` column added.
Candidates with accommodations are not in the import's columns: b_seat_db.sh sets them
afterwards (see there).
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_seat_inputs import (  # noqa: E402
    GROUP_WEIGHTS, GROUPS, PROVINCES, SEATS, exam_areas, largest_remainder, rooms_for)

ROOMS_PER_FILE = 100000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--candidates", type=int, required=True)
    ap.add_argument("--rooms", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--parent", required=True, help="the provincial agency's unit code")
    ap.add_argument("--areas", type=int, default=300)
    ap.add_argument("--acc-every", type=int, default=1000,
                    help="(only reported) one candidate in N has accommodations")
    a = ap.parse_args()
    if not 1 <= a.areas <= 10 * len(PROVINCES):
        ap.error("--areas must be 1..%d" % (10 * len(PROVINCES)))
    rng = random.Random(a.seed)

    areas, cum = exam_areas(a.areas, rng)
    ai = rng.choices(range(len(areas)), cum_weights=cum, k=a.candidates)
    gi = rng.choices(range(len(GROUPS)), weights=GROUP_WEIGHTS, k=a.candidates)
    n = [[0] * len(GROUPS) for _ in areas]
    for i in range(a.candidates):
        n[ai[i]][gi[i]] += 1
    # accommodation candidates (b_seat_db.sh: registration row k with k % acc_every == 7) fill
    # rooms of their own: count them per area and group as the rule will
    nacc = [[0] * len(GROUPS) for _ in areas]
    for i in range(7, a.candidates, a.acc_every):
        nacc[ai[i]][gi[i]] += 1
    need = []
    for x in range(len(areas)):
        r = [rooms_for(n[x][g], nacc[x][g]) for g in range(len(GROUPS))]
        need.append(r[1] + max(r[0], r[2]))
    spare = a.rooms - sum(need)
    if spare < 0:
        sys.exit("gen_seat_db: %d candidates need at least %d rooms of %d seats, not %d"
                 % (a.candidates, sum(need), SEATS, a.rooms))
    alloc = [need[x] + s for x, s in enumerate(largest_remainder(spare, need))]
    if sum(need) == 0:
        alloc = largest_remainder(a.rooms, [1] * len(areas))

    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "units.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("code,name,kind,level,parent_code\n")
        for code in areas:
            f.write("%s,%s考区,area_agency,prefecture,%s\n" % (code, code, a.parent))
    centres, rooms = [], []
    for x, code in enumerate(areas):
        left, c = alloc[x], 0
        lo = max(20, -(-alloc[x] // 99))
        while left > 0:
            c += 1
            size = min(left, rng.randint(lo, max(lo, 60)))
            if 0 < left - size < lo // 2:
                size = left
            left -= size
            floors = max(rng.randint(1, 5), -(-size // 99))
            per_floor = -(-size // floors)
            centre = "%s-C%02d" % (code, c)
            centres.append("%s,%s,%s考点,%s路%d号,prefecture,entrance_exam_school\n"
                           % (code, centre, centre, code, c))
            for k in range(size):
                fl, nn = divmod(k, per_floor)
                rooms.append("%s,%d%02d,%d,paper,%d\n" % (centre, fl + 1, nn + 1, SEATS, fl + 1))
    with open(os.path.join(a.outdir, "centres.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("unit_code,code,name,address,admin_level,kind\n")
        f.write("".join(centres))
    for part in range(0, len(rooms), ROOMS_PER_FILE):
        with open(os.path.join(a.outdir, "rooms-%d.csv" % (part // ROOMS_PER_FILE)), "w",
                  encoding="utf-8", newline="\n") as f:
            f.write("centre_code,code,seats,mode,floor\n")
            f.write("".join(rooms[part:part + ROOMS_PER_FILE]))

    subjects = ["01", "01;02", "02"]
    src = sys.stdin
    header = src.readline().rstrip("\n")
    if not header.endswith(",exam_code,position_code,subjects,route,status"):
        sys.exit("gen_seat_db: standard input is not `kaowu generate candidates --exam`")
    i = 0
    with open(os.path.join(a.outdir, "regs.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header + ",area\n")
        out = []
        for line in src:
            if i >= a.candidates:
                sys.exit("gen_seat_db: more candidate rows than --candidates")
            head, exam, pos, _subj, route, status = line.rstrip("\n").rsplit(",", 5)
            out.append("%s,%s,%s,%s,%s,%s,%s\n" % (head, exam, pos, subjects[gi[i]], route,
                                                   status, areas[ai[i]]))
            i += 1
            if len(out) == 100000:
                f.write("".join(out))
                out = []
        f.write("".join(out))
    if i != a.candidates:
        sys.exit("gen_seat_db: %d candidate rows, --candidates says %d" % (i, a.candidates))
    print("gen_seat_db: %d candidates (%d with accommodations), %d areas (largest %d, "
          "smallest %d), %d centres, %d rooms of %d seats (need %d, spare %d = %.1f%%)"
          % (a.candidates, sum(map(sum, nacc)), len(areas), max(map(sum, n)),
             min(map(sum, n)), len(centres), len(rooms), SEATS, sum(need), spare,
             100.0 * spare / max(1, sum(need))), file=sys.stderr)


if __name__ == "__main__":
    main()
