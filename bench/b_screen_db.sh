#!/usr/bin/env bash
# `kaowu screen` over the database at national scale (issue 11, "Done when": kaowu screen runs
# on the national-scale data within the figures): the published database of bench/b_lookup.sh
# (3,000,000 registrations seated in rooms of 30, subject 01 scored from 2,760,053 sheets × 150
# items of bench/gen_answers.py; made once with BENCH_KEEP_PUBLISHED=1 BENCH_PREPARE_ONLY=1
# when missing), copied fresh, then timed: `kaowu screen --exam SEATDB --subject 01 --as
# seater --seed 2026` on the server host — the sheets read from the answer database and mapped
# to the master form, the rooms and seats from the published seating, the model calibrated on
# a 100,000 sample, every ordered within-room pair, the exact tail for the survivors, the
# transmitted-key search, and the screen and its flags written (audited) — with its wall time
# and peak RSS (/usr/bin/time) beside the goals (1,000,000 candidates ≤ 60 s and ≤ 2 GB;
# 3,000,000 ≤ 3 minutes). The core alone is bench/b_screen.sh. SQLite only (the seated data
# exists only there).
. "$(dirname "$0")/lib.sh"
N=${BENCH_SEAT_N:-3000000}
M=${BENCH_SEAT_ROOMS:-100000}
ITEMS=${BENCH_SCORE_ITEMS:-150}
CACHE=${BENCH_SCORE_CACHE:-$HOME/.cache/kaowu-bench}
published="$CACHE/published-$N-$M-$ITEMS"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
if [ ! -f "$published/bench.db" ]; then
	echo "  preparing the published database (once; bench/b_lookup.sh's preparation) …"
	env -u KW_TEST_PG_URL BENCH_PG=0 BENCH_KEEP_PUBLISHED=1 BENCH_PREPARE_ONLY=1 BENCH_SCORE_CACHE="$CACHE" KAOWU="$KAOWU" \
		bash bench/b_lookup.sh | sed 's/^/  [lookup] /'
fi
cp "$published"/bench.db* "$work/"
sync
l0=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -f '%M %e' "$KAOWU" screen --db "sqlite:$work/bench.db" --exam SEATDB --subject 01 --as seater --seed 2026 --json \
	>"$work/screen.out" 2>"$work/screen.time" || { echo "FAIL: kaowu screen: $(head -c 800 "$work/screen.out") $(tail -5 "$work/screen.time")"; exit 1; }
read -r kb wall < <(tail -1 "$work/screen.time")
echo "  kaowu screen (load average $l0 before, $(cut -d' ' -f1-3 /proc/loadavg) after): $(head -c 1500 "$work/screen.out")"
echo "RESULT kaowu screen over the database, SQLite, subject 01 of the 3,000,000-registration exam: $wall s wall, peak RSS $((kb / 1024)) MiB (goal for 3,000,000: ≤ 180 s; nproc $(nproc))"
