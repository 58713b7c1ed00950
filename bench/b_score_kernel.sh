#!/usr/bin/env bash
# The objective scoring kernel (core/score.h) over 3,000,000 sheets × 150 items (issue 10;
# goal: ≥ 20 M sheets/s on this 2-core machine, with the memory-bandwidth bound beside it).
#
# No database: kw_bench_score (bench/score_kernel.c) measures the machine's read bandwidth
# (a sum over a 1 GB buffer, one thread and two), makes the sheets reproducibly from the
# seed (100 single-choice, 30 multiple-choice with 0.5 a correct option, 20 true/false;
# 1 and 2 points), scores them with the reference for a digest, then with kw_score_sheets on
# every path this CPU has (scalar, avx2, avx512), one thread and two, and prints sheets/s,
# GB/s of answers read and the digest of each (a path whose digest differs from the
# reference's fails the run). Memory: the answer array (450 MB) and 256 KiB of totals a
# thread; the peak RSS is printed.
#   BENCH_SHEETS (3000000) BENCH_SEED (10) RUNS (5 timed passes; median and best) BENCH_BW_MB (1024)
# Timed runs on a shared machine: hold the lock, e.g.
#   flock /tmp/kw-bench.lock env KAOWU=build/kaowu bash bench/b_score_kernel.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_PG:-0}" = 1 ]; then
	echo "b_score_kernel: no database; nothing to run under BENCH_PG=1"
	exit 0
fi
KAOWU=${KAOWU:-build/kaowu}
SCORE=${SCORE:-$(dirname "$KAOWU")/kw_bench_score}
[ -x "$SCORE" ] || { echo "build kw_bench_score first (cmake --build … --target kw_bench_score)"; exit 1; }
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $(grep -o -w -E 'avx2|avx512bw' /proc/cpuinfo | sort -u | tr '\n' ' ')"
"$SCORE" --sheets "${BENCH_SHEETS:-3000000}" --seed "${BENCH_SEED:-10}" --reps "${RUNS:-5}" \
	--bw-mb "${BENCH_BW_MB:-1024}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
