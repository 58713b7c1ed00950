#!/usr/bin/env bash
# kaowu seat verify at national scale (issue 7): BENCH_SEAT_N candidates (default 3,000,000)
# into BENCH_SEAT_ROOMS rooms (default 100,000) of a canonical inputs file made once by
# bench/gen_seat_inputs.py (300 exam areas, groups 01 / 01+02 / 02, seed 7). Then RUNS
# times, in the same run: kaowu seat verify with a fixed seed (--timings), and shuf over the
# same file's cand lines (extracted once, untimed), each under /usr/bin/time. The seating
# computation = --timings' assign; the verification = --timings' verification: everything
# after the file is read (parse, assign, the inputs digest — hashed on a second thread
# alongside parse and assign, so only its wait counts —, the assignment digest), wall clock,
# with its CPU time over both threads beside it. Medians of RUNS, peak RSS, the ratios to
# shuf, and the assignment digest (identical in every run, or the bench fails; at the
# default sizes it must also be the digest published before the fast writer, bd675cd5…).
# No database: under BENCH_PG=1 (bench/run.sh's second pass) it only says so. Builds the
# release build first unless KAOWU is given.
[ "${BENCH_PG:-0}" = 1 ] && { echo "  (no database: the seating bench runs once, without BENCH_PG)"; exit 0; }
[ -n "${KAOWU:-}" ] || (cd "$(dirname "$0")/.." && make build >/dev/null)
. "$(dirname "$0")/lib.sh"
N=${BENCH_SEAT_N:-3000000}
M=${BENCH_SEAT_ROOMS:-100000}
SEED=6b616f77752d62656e63682d736561742d69737375652d372d736565642d3031
# the digests of the default run (inputs file and seed above), from the writer before the fast one
WANT_INPUTS=21246870ea068b4b0c45a32ff0fe040d3cbd95ef298d6668d706f50ecfc030b7
WANT_ASSIGNMENT=bd675cd5bdb808fa3d3ae94e629c1d1149ca9d322acab75f94366730c7d7e2f5
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
	# "timings (s): read R, verification V = parse P + assign A + inputs digest wait W +
	#  assignment digest D (CPU C, all threads); inputs digest H …", then "KB KB WALL s USER SYS"
	read -r rd vf ps as wt dg vc ih < <(sed -n 's/^timings (s): read \([0-9.]*\), verification \([0-9.]*\) = parse \([0-9.]*\) + assign \([0-9.]*\) + inputs digest wait \([0-9.]*\) + assignment digest \([0-9.]*\) (CPU \([0-9.]*\), all threads); inputs digest \([0-9.]*\) .*$/\1 \2 \3 \4 \5 \6 \7 \8/p' "$work/seat.err")
	[ -n "$ih" ] || { echo "FAIL: no timings line in: $(cat "$work/seat.err")"; exit 1; }
	read -r kb _ wall _ us ss < <(tail -1 "$work/seat.err")
	cpu=$(awk -v u="$us" -v s="$ss" 'BEGIN {printf "%.2f", u + s}')
	digest=$(grep -oE '[0-9a-f]{64}' "$work/seat.out" | tail -1)
	echo "$rd $ps $as $dg $vf $wall $kb $digest $cpu $vc $wt $ih" >>"$work/seat.runs"
	echo "  seat verify run $i: read $rd s; verification $vf s (CPU $vc s) = parse $ps + assign $as + inputs digest wait $wt + assignment digest $dg, inputs digest $ih s on the second thread; process wall $wall s (CPU $cpu s), max RSS $((kb / 1024)) MiB, assignment digest $digest"
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
if [ "$N" = 3000000 ] && [ "$M" = 100000 ]; then
	[ "$(sha256sum "$in" | cut -c1-64)" = "$WANT_INPUTS" ] || { echo "FAIL: the generator no longer gives the inputs file of bench/RESULTS.md"; exit 1; }
	[ "$digests" = "$WANT_ASSIGNMENT" ] || { echo "FAIL: the assignment digest is $digests, not $WANT_ASSIGNMENT: the published bytes changed"; exit 1; }
fi
A=$(med "$work/seat.runs" 3)
V=$(med "$work/seat.runs" 5)
S=$(med "$work/shuf.runs" 1)
kbmax=$(awk '$7 > m {m = $7} END {print m}' "$work/seat.runs")
echo "RESULT seat $N candidates, $M rooms: assign (the computation) $A s, verification (everything after the read) $V s, CPU $(med "$work/seat.runs" 10) s (parse $(med "$work/seat.runs" 2) s, inputs digest wait $(med "$work/seat.runs" 11) s, assignment digest $(med "$work/seat.runs" 4) s; inputs digest $(med "$work/seat.runs" 12) s on the second thread; read $(med "$work/seat.runs" 1) s, process wall $(med "$work/seat.runs" 6) s, CPU $(med "$work/seat.runs" 9) s), max RSS $((kbmax / 1024)) MiB; medians of $RUNS (nproc $(nproc))"
echo "RESULT shuf $N cand lines: $S s, CPU $(med "$work/shuf.runs" 3) s (medians of $RUNS); assign/shuf $(awk -v a="$A" -v s="$S" 'BEGIN {printf "%.2f", a / s}'), verification/shuf $(awk -v v="$V" -v s="$S" 'BEGIN {printf "%.2f", v / s}'), verification CPU/shuf CPU $(awk -v v="$(med "$work/seat.runs" 10)" -v s="$(med "$work/shuf.runs" 3)" 'BEGIN {printf "%.2f", v / s}'); whole-process CPU seat verify/shuf $(awk -v a="$(med "$work/seat.runs" 9)" -v b="$(med "$work/shuf.runs" 3)" 'BEGIN {printf "%.2f", a / b}')"
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT assignment digest (identical in all $RUNS runs): $digests"
