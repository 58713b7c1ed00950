#!/usr/bin/env bash
# The similar-answer kernels (core/collusion.h) on synthetic data (issue 11; goals on this
# 2-core machine: the ω prescreen ≥ 5 M ordered pairs/s per core at 150 items, the
# identical-wrong bitset count ≥ 1e8 pairs/s per core).
#
# No database: kw_bench_collusion (bench/collusion_kernel.c) makes 3000 rooms × 30 candidates
# × 150 four-option items from the seed (nominal response model, 2 % omits, a planted copier
# in every tenth room), checks the block ω against per-pair ω on 50 rooms, then times on one
# thread (per core): every ordered within-room pair through kw_collusion_omega_batch (the
# kernel alone, and with the blocks' probabilities made), 1000 sources × every sheet through
# the wrong-answer bitsets (tiled and untiled), and, for scale, the exact ω tail, GBT, M4 and
# the K family per pair. Median and best of RUNS passes; the load average is printed.
#   BENCH_ROOMS (3000) BENCH_ROOM_SIZE (30) BENCH_ITEMS (150) BENCH_SEED (11) RUNS (5)
#   BENCH_IW_SOURCES (1000) BENCH_PATH (best; or scalar, avx2, avx512)
# Timed runs on a shared machine: hold the lock, e.g.
#   flock /tmp/kw-bench.lock env KAOWU=build/kaowu bash bench/b_collusion_kernel.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_PG:-0}" = 1 ]; then
	echo "b_collusion_kernel: no database; nothing to run under BENCH_PG=1"
	exit 0
fi
KAOWU=${KAOWU:-build/kaowu}
BIN=${BIN:-$(dirname "$KAOWU")/kw_bench_collusion}
[ -x "$BIN" ] || { echo "build kw_bench_collusion first (cmake --build … --target kw_bench_collusion)"; exit 1; }
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $(grep -o -w -E 'avx2|avx512f|popcnt' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
args=(--rooms "${BENCH_ROOMS:-3000}" --room-size "${BENCH_ROOM_SIZE:-30}" --items "${BENCH_ITEMS:-150}"
	--seed "${BENCH_SEED:-11}" --reps "${RUNS:-5}" --iw-sources "${BENCH_IW_SOURCES:-1000}")
[ -n "${BENCH_PATH:-}" ] && args+=(--path "$BENCH_PATH")
"$BIN" "${args[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
