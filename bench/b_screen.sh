#!/usr/bin/env bash
# The whole similar-answer screen of one subject at national scale (issue 11 figures: on this
# 2-core machine, 1,000,000 candidates × 150 items in rooms of 30 — calibration on a 100,000
# sample, MAP abilities, every ordered within-room pair through the ω block and the proved
# bound, exact tails for the survivors, GBT and M4 for the flagged pairs, the transmitted-key
# search — in ≤ 60 s wall and ≤ 2 GB; 3,000,000 in ≤ 3 minutes).
#
# No database: kw_bench_screen (bench/screen.c) makes the answers (the reference generator's
# model, 1 % omits, 100 planted copiers at 40 %, a ring of 10 across rooms; not timed), runs
# kw_screen_run (core/screen.h) with 2 threads and prints its phases, what it flagged and
# found, and its peak RSS; /usr/bin/time gives the process's wall time and peak RSS (the
# answers included). One run per size in BENCH_SIZES (default "1000000 3000000").
#   BENCH_SIZES BENCH_ITEMS (150) BENCH_ROOM (30) BENCH_SAMPLE (100000) BENCH_SEED (11)
#   BENCH_THREADS (2) BENCH_SCOPE (room)
# Timed runs on a shared machine: hold the lock, e.g.
#   flock /tmp/kw-bench.lock env KAOWU=build/kaowu bash bench/b_screen.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_PG:-0}" = 1 ]; then
	echo "b_screen: no database; nothing to run under BENCH_PG=1"
	exit 0
fi
KAOWU=${KAOWU:-build/kaowu}
BIN=${BIN:-$(dirname "$KAOWU")/kw_bench_screen}
[ -x "$BIN" ] || { echo "build kw_bench_screen first (cmake --build … --target kw_bench_screen)"; exit 1; }
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
for n in ${BENCH_SIZES:-1000000 3000000}; do
	echo
	echo "=== $n sheets; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
	/usr/bin/time -f "process: %e s wall, %U s user, %S s system, peak RSS %M KiB" \
		"$BIN" --sheets "$n" --items "${BENCH_ITEMS:-150}" --room-size "${BENCH_ROOM:-30}" \
		--sample "${BENCH_SAMPLE:-100000}" --seed "${BENCH_SEED:-11}" \
		--threads "${BENCH_THREADS:-2}" --scope "${BENCH_SCOPE:-room}"
	echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
done
