#!/usr/bin/env bash
# Item analysis (core/itemstats.h) over 3,000,000 sheets × 150 items (issue 10 item 6): the
# statistics the expert page and the XLSX report show — difficulty, corrected point-biserial,
# every option's rate and point-biserial, alpha, the distribution — in one pass that keeps
# only accumulators (memory flat in the number of sheets).
#
# No database: kw_bench_analysis (bench/analysis.c) makes the sheets reproducibly from the
# seed (the key of b_score_kernel.sh: 100 single-choice, 30 multiple-choice with 0.5 a correct
# option, 20 true/false; half the sheets on a form B whose items and options are permuted),
# first streaming them a block of 4,096 at a time (peak RSS printed: flat in N), then from one
# array in memory, timed with one thread and with two (merged accumulators); every pass must
# give the same bits as the streaming one (exit 1 otherwise).
#   BENCH_SHEETS (3000000) BENCH_SEED (10) RUNS (3 timed passes a thread count; median and best)
# Timed runs on a shared machine take the lock themselves (flock /tmp/kw-bench.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_PG:-0}" = 1 ]; then
	echo "b_analysis: no database; nothing to run under BENCH_PG=1"
	exit 0
fi
KAOWU=${KAOWU:-build/kaowu}
BIN=${BIN:-$(dirname "$KAOWU")/kw_bench_analysis}
[ -x "$BIN" ] || { echo "build kw_bench_analysis first (cmake --build … --target kw_bench_analysis)"; exit 1; }
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
# memory flat in N: the streaming pass alone at a tenth and at the full size
echo "--- streaming only, $((${BENCH_SHEETS:-3000000} / 10)) sheets ---"
"$BIN" --sheets $((${BENCH_SHEETS:-3000000} / 10)) --seed "${BENCH_SEED:-10}" --stream-only | grep -E 'sheets|peak'
echo "--- ${BENCH_SHEETS:-3000000} sheets ---"
flock /tmp/kw-bench.lock "$BIN" --sheets "${BENCH_SHEETS:-3000000}" --seed "${BENCH_SEED:-10}" --reps "${RUNS:-3}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
