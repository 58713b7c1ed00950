#!/usr/bin/env bash
# kaowu seat verify at national scale (issue 7): BENCH_SEAT_N candidates (default 3,000,000)
# into BENCH_SEAT_ROOMS rooms (default 100,000) of a canonical inputs file made once by
# bench/gen_seat_inputs.py (300 exam areas, groups 01 / 01+02 / 02, seed 7). Then RUNS
# times, in the same run: kaowu seat verify with a fixed seed (--timings: read, parse+hash,
# assign, digest), and shuf over the same file's cand lines (extracted once, untimed), each
# under /usr/bin/time. The seating computation = assign; the verification = parse+hash +
# assign + digest (what an auditor runs once the file is read). Medians of RUNS, peak RSS,
# the ratios to shuf, and the assignment digest (identical in every run, or the bench fails).
# No database: under BENCH_PG=1 (bench/run.sh's second pass) it only says so. Builds the
# release build first unless KAOWU is given.
[ "${BENCH_PG:-0}" = 1 ] && { echo "  (no database: the seating bench runs once, without BENCH_PG)"; exit 0; }
[ -n "${KAOWU:-}" ] || (cd "$(dirname "$0")/.." && make build >/dev/null)
. "$(dirname "$0")/lib.sh"
N=${BENCH_SEAT_N:-3000000}
M=${BENCH_SEAT_ROOMS:-100000}
SEED=6b616f77752d62656e63682d736561742d69737375652d372d736565642d3031
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (nproc $(nproc)); the figures are only as quiet as the machine"
in="$work/inputs.txt"
/usr/bin/time -f '%e s' python3 bench/gen_seat_inputs.py --candidates "$N" --rooms "$M" --seed 7 --out "$in" 2>"$work/gen.err"
echo "  $(head -1 "$work/gen.err"); generated in $(tail -1 "$work/gen.err")"
echo "  inputs file $(du -h "$in" | cut -f1), SHA-256 $(sha256sum "$in" | cut -c1-64)"
grep '^cand	' "$in" >"$work/cands.txt"
: >"$work/seat.runs"
: >"$work/shuf.runs"
for i in $(seq "$RUNS"); do
	/usr/bin/time -f '%M KB %e s %U %S' "$KAOWU" seat verify --inputs "$in" --seed "$SEED" --timings --out /dev/null >"$work/seat.out" 2>"$work/seat.err" ||
		{ cat "$work/seat.out" "$work/seat.err"; exit 1; }
	# "timings (s): read R, parse+hash P, assign A, digest D", then "KB KB WALL s USER SYS"
	read -r rd ps as dg < <(sed -n 's/^timings (s): read \([0-9.]*\), parse+hash \([0-9.]*\), assign \([0-9.]*\), digest \([0-9.]*\)$/\1 \2 \3 \4/p' "$work/seat.err")
	read -r kb _ wall _ us ss < <(tail -1 "$work/seat.err")
	cpu=$(awk -v u="$us" -v s="$ss" 'BEGIN {printf "%.2f", u + s}')
	digest=$(grep -oE '[0-9a-f]{64}' "$work/seat.out" | tail -1)
	vf=$(awk -v p="$ps" -v a="$as" -v d="$dg" 'BEGIN {printf "%.3f", p + a + d}')
	echo "$rd $ps $as $dg $vf $wall $kb $digest $cpu" >>"$work/seat.runs"
	echo "  seat verify run $i: read $rd s, parse+hash $ps s, assign $as s, digest $dg s; verification $vf s, wall $wall s (CPU $cpu s), max RSS $((kb / 1024)) MiB, assignment digest $digest"
	/usr/bin/time -f '%M KB %e s %U %S' shuf "$work/cands.txt" >/dev/null 2>"$work/shuf.err"
	read -r skb _ swall _ sus sss < <(tail -1 "$work/shuf.err")
	scpu=$(awk -v u="$sus" -v s="$sss" 'BEGIN {printf "%.2f", u + s}')
	echo "$swall $skb $scpu" >>"$work/shuf.runs"
	echo "  shuf run $i: $swall s (CPU $scpu s), max RSS $((skb / 1024)) MiB ($(wc -l <"$work/cands.txt") lines)"
done
# med FILE COLUMN: the median of that column over the runs
med() { awk -v c="$2" '{print $c}' "$1" | sort -g | sed -n "$(((RUNS + 1) / 2))p"; }
digests=$(awk '{print $8}' "$work/seat.runs" | sort -u)
[ "$(echo "$digests" | wc -l)" = 1 ] || { echo "FAIL: the assignment digest differs between runs: $digests"; exit 1; }
A=$(med "$work/seat.runs" 3)
V=$(med "$work/seat.runs" 5)
S=$(med "$work/shuf.runs" 1)
kbmax=$(awk '$7 > m {m = $7} END {print m}' "$work/seat.runs")
echo "RESULT seat $N candidates, $M rooms: assign (the computation) $A s, verification (parse+hash + assign + digest) $V s (read $(med "$work/seat.runs" 1) s, parse+hash $(med "$work/seat.runs" 2) s, digest $(med "$work/seat.runs" 4) s, wall $(med "$work/seat.runs" 6) s, CPU $(med "$work/seat.runs" 9) s), max RSS $((kbmax / 1024)) MiB; medians of $RUNS (nproc $(nproc))"
echo "RESULT shuf $N cand lines: $S s, CPU $(med "$work/shuf.runs" 3) s (medians of $RUNS); assign/shuf $(awk -v a="$A" -v s="$S" 'BEGIN {printf "%.2f", a / s}'), verification/shuf $(awk -v v="$V" -v s="$S" 'BEGIN {printf "%.2f", v / s}'); whole-process CPU seat verify/shuf $(awk -v a="$(med "$work/seat.runs" 9)" -v b="$(med "$work/shuf.runs" 3)" 'BEGIN {printf "%.2f", a / b}')"
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT assignment digest (identical in all $RUNS runs): $digests"
