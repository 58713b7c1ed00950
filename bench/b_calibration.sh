#!/usr/bin/env bash
# The calibration and power study of the similar-answer screen (issue 11 item 6; SPEC GRD-6):
#  - null calibration: the empirical false-positive rate of ω (exact Poisson-binomial tail and
#    normal tail) over every ordered within-room pair of BENCH_ROOMS fresh rooms of 30 at
#    α = 1e-3 .. 1e-7, with one-sided 95 % Clopper–Pearson upper bounds, plain and with the
#    rooms' design effect (goal: the exact tail's bound ≤ 1.2 α at 1e-3, 1e-4, 1e-5); the
#    model fitted on a 100,000-sheet sample (kw_nrm_fit) and θ by MAP (prior N(0, 10)), as the
#    screen does, and again with the generating parameters and true θ (the oracle); the ω
#    prescreen (kw_collusion_omega_batch) with the exact tail only for z ≥ the cut, its
#    safety checked on every pair of every 64th room;
#  - power: planted copiers (random items and one run; 10–50 % copied) at α = 1e-4, 1e-6,
#    1e-8 with 95 % intervals (goals at 150 items: ≥ .75 / .85 at 30 / 40 % for 1e-4, ≥ .25 /
#    .70 for 1e-8);
#  - transmitted-key rings across rooms: what pairwise ω says of the members' pairs.
# The generator and every choice are documented at the top of bench/calibration.c. No
# database. The default (115,000 rooms = 100,050,000 ordered pairs) runs some minutes on
# two cores; first a --check run (100,920 pairs, exits non-zero on a failed self-check).
#   BENCH_MODE (all; or null, power, rings) BENCH_ROOMS (115000) BENCH_ROOM_SIZE (30)
#   BENCH_ITEMS (150) BENCH_SAMPLE (100000) BENCH_SEED (20261207) BENCH_THREADS (2)
#   BENCH_ZCUT (2.0) BENCH_AUDIT (64) BENCH_COPIERS (10000) BENCH_RINGS (300)
#   BENCH_RING_SIZE (6) BENCH_RING_THETA (1.5,0) BENCH_ORACLE (1) BENCH_CHECK (1)
# Timed runs on a shared machine: hold the lock, e.g.
#   flock /tmp/kw-bench.lock env BIN=build/kw_bench_calib bash bench/b_calibration.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_PG:-0}" = 1 ]; then
	echo "b_calibration: no database; nothing to run under BENCH_PG=1"
	exit 0
fi
KAOWU=${KAOWU:-build/kaowu}
BIN=${BIN:-$(dirname "$KAOWU")/kw_bench_calib}
[ -x "$BIN" ] || { echo "build kw_bench_calib first (cmake --build … --target kw_bench_calib)"; exit 1; }
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
threads=${BENCH_THREADS:-2}
if [ "${BENCH_CHECK:-1}" = 1 ]; then
	echo "== self-check"
	"$BIN" --mode check --threads "$threads" --seed "${BENCH_SEED:-20261207}"
fi
args=(--mode "${BENCH_MODE:-all}" --rooms "${BENCH_ROOMS:-115000}" --room-size "${BENCH_ROOM_SIZE:-30}"
	--items "${BENCH_ITEMS:-150}" --sample "${BENCH_SAMPLE:-100000}" --seed "${BENCH_SEED:-20261207}"
	--threads "$threads" --zcut "${BENCH_ZCUT:-2.0}" --audit-every "${BENCH_AUDIT:-64}"
	--copiers "${BENCH_COPIERS:-10000}" --rings "${BENCH_RINGS:-300}" --ring-size "${BENCH_RING_SIZE:-6}"
	--ring-theta "${BENCH_RING_THETA:-1.5,0}")
[ "${BENCH_ORACLE:-1}" = 0 ] && args+=(--no-oracle)
echo "== study: ${args[*]}"
"$BIN" "${args[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
