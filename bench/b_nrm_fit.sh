#!/usr/bin/env bash
# The nominal response model at national scale (issue 11 item 1): fit by MML-EM on a 100,000
# sample of 1,000,000 sheets × 150 items (4 options), then MAP and EAP abilities for all
# 1,000,000 (aims on this 2-core machine: the fit ≤ 15 s, MAP for everyone ≤ 10 s; the whole
# screen's budget is 60 s).
#
# No database: kw_bench_nrm (bench/nrm_fit.c) draws item parameters as the reference generator
# (gen_collusion.py) does, abilities N(0, 1), answers with 1 % omits (not timed), then times
# kw_nrm_fit (core/nrm_fit.h) and kw_nrm_abilities — MAP alone, EAP + SD alone, all three in
# one pass, RUNS passes each (median and best) — and prints EM cycles, convergence, the
# log-likelihood, the recovery of the generating parameters, the abilities' correlation with
# the true θ, and the peak RSS. BENCH_TIGHT refits to that tolerance (not part of the
# figures) and prints how far the default stopping point is from it.
#   BENCH_SHEETS (1000000) BENCH_ITEMS (150) BENCH_SAMPLE (100000) BENCH_SEED (11)
#   BENCH_THREADS (2) BENCH_OMIT (0.01) RUNS (3) BENCH_TIGHT (unset)
# Timed runs on a shared machine: hold the lock, e.g.
#   flock /tmp/kw-bench.lock env KAOWU=build/kaowu bash bench/b_nrm_fit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_PG:-0}" = 1 ]; then
	echo "b_nrm_fit: no database; nothing to run under BENCH_PG=1"
	exit 0
fi
KAOWU=${KAOWU:-build/kaowu}
NRM=${NRM:-$(dirname "$KAOWU")/kw_bench_nrm}
[ -x "$NRM" ] || { echo "build kw_bench_nrm first (cmake --build … --target kw_bench_nrm)"; exit 1; }
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
args=(--sheets "${BENCH_SHEETS:-1000000}" --items "${BENCH_ITEMS:-150}" --sample "${BENCH_SAMPLE:-100000}"
	--seed "${BENCH_SEED:-11}" --threads "${BENCH_THREADS:-2}" --omit "${BENCH_OMIT:-0.01}"
	--reps "${RUNS:-3}")
[ -n "${BENCH_TIGHT:-}" ] && args+=(--tight "$BENCH_TIGHT")
"$NRM" "${args[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
