#!/usr/bin/env bash
# Objective scoring at national scale (issue 10): BENCH_SEAT_N candidates (default
# 3,000,000) seated and published by bench/b_seat_db.sh (run once with RUNS=1; its seated
# database kept under BENCH_SCORE_CACHE, default ~/.cache/kaowu-bench, and copied afresh for
# every run), then, on the server host as agency staff would (`kaowu score`, release build):
#   keys    the master key (form A) and form B of subject 01 — BENCH_SCORE_ITEMS items
#           (default 150: 100 single choice, 30 multiple choice with partial credit, 20
#           true/false) — loaded and B verified as the permuted master (CUS-8), untimed;
#   import  the scanner output of every candidate registered for 01 (bench/gen_answers.py:
#           half form A, half form B; made once, untimed) read into the answer database:
#           every row checked against the seats and the key, written in audited blocks;
#   run     the subject scored: the roster, the decisions in force, every sheet scored,
#           the result written in audited blocks.
# RUNS times (default 3) on a fresh copy; each step's wall time and peak RSS (/usr/bin/time),
# the median of import + run against the goal (≤ 30 s on SQLite). Checks: every run's result
# digest is the same; the run done again on the same data gives it again; an independent
# scorer (python, bench/gen_answers.py's key) agrees with the stored scores of 20,000
# candidates; `kaowu audit verify` passes (the payments the seating bench inserts by SQL
# excepted: it reports them, see bench/b_seat_db.sh, so its verdict is printed, not required).
[ "${BENCH_PG:-0}" = 1 ] && [ -z "${KW_TEST_PG_URL:-}" ] && { echo "  (SQLite only for now: the seated database is prepared on SQLite)"; exit 0; }
[ -n "${KAOWU:-}" ] || (cd "$(dirname "$0")/.." && make build >/dev/null)
. "$(dirname "$0")/lib.sh"
N=${BENCH_SEAT_N:-3000000}
M=${BENCH_SEAT_ROOMS:-100000}
ITEMS=${BENCH_SCORE_ITEMS:-150}
CACHE=${BENCH_SCORE_CACHE:-$HOME/.cache/kaowu-bench}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
seated="$CACHE/seated-$N-$M"
if [ ! -f "$seated/bench.db" ]; then
	echo "  preparing the seated database (once; bench/b_seat_db.sh with RUNS=1) …"
	RUNS=1 BENCH_SEAT_CACHE="$CACHE" BENCH_SEAT_KEEP="$seated" KAOWU="$KAOWU" bash bench/b_seat_db.sh | sed 's/^/  [seat] /'
fi
url="sqlite:$work/bench.db"
db="$work/bench.db"
answers="$CACHE/answers-$N-$M-$ITEMS"
if [ ! -f "$answers/answers.csv" ]; then
	mkdir -p "$answers"
	sqlite3 -batch "$seated/bench.db" "SELECT s.ticket_no FROM seats s JOIN seating_runs u ON u.id = s.run_id JOIN registrations r ON r.id = s.registration_id WHERE u.status = 'published' AND (r.subjects IS NULL OR r.subjects = '' OR ',' || r.subjects || ',' LIKE '%,01,%') ORDER BY s.ticket_no" |
		/usr/bin/time -f '%e s' python3 bench/gen_answers.py --items "$ITEMS" --subject 01 --seed 10 --out "$answers/answers.csv" --key-a "$answers/key-a.json" --key-b "$answers/key-b.json" 2>"$answers/gen.err" ||
		{ cat "$answers/gen.err"; exit 1; }
fi
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (nproc $(nproc)); answers: $(head -1 "$answers/gen.err"), $(du -h "$answers/answers.csv" | cut -f1), SHA-256 $(sha256sum "$answers/answers.csv" | cut -c1-16)…"
sc() { "$KAOWU" score "$@" --db "$url" --as seater --json; }
: >"$work/runs"
for i in $(seq "$RUNS"); do
	rm -f "$work"/bench.db*
	cp "$seated"/bench.db* "$work/"
	sc keys --exam SEATDB --subject 01 "$answers/key-a.json" >/dev/null
	sc keys --exam SEATDB --subject 01 "$answers/key-b.json" >/dev/null
	sync
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	/usr/bin/time -f '%M %e' "$KAOWU" score import --exam SEATDB --witness admin2 "$answers/answers.csv" --db "$url" --as seater --json >"$work/import.json" 2>"$work/import.time" ||
		{ cat "$work/import.json" "$work/import.time"; exit 1; }
	read -r ikb iwall < <(tail -1 "$work/import.time")
	/usr/bin/time -f '%M %e' "$KAOWU" score run --exam SEATDB --subject 01 --db "$url" --as seater --json >"$work/run.json" 2>"$work/run.time" ||
		{ cat "$work/run.json" "$work/run.time"; exit 1; }
	read -r rkb rwall < <(tail -1 "$work/run.time")
	digest=$(jq -r .result_digest "$work/run.json")
	total=$(awk -v a="$iwall" -v b="$rwall" 'BEGIN {printf "%.2f", a + b}')
	echo "  run $i (load average $load0 before, $(cut -d' ' -f1-3 /proc/loadavg) after): import $(jq -r .sheets "$work/import.json") sheets in $(jq -r .blocks "$work/import.json") blocks $iwall s (peak RSS $((ikb / 1024)) MiB), score run $rwall s (peak RSS $((rkb / 1024)) MiB; $(jq -r '"\(.candidates) candidates, \(.scored) scored, \(.absent) absent"' "$work/run.json")); together $total s; result digest ${digest:0:16}…"
	echo "$total $iwall $rwall $ikb $rkb $digest" >>"$work/runs"
done
[ "$(awk '{print $6}' "$work/runs" | sort -u | wc -l)" = 1 ] || { echo "FAIL: the result digest differs between runs"; exit 1; }
# the same inputs again, on the last run's database: the same bytes
"$KAOWU" score run --exam SEATDB --subject 01 --db "$url" --as seater --json >"$work/again.json"
[ "$(jq -r .result_digest "$work/again.json")" = "$digest" ] || { echo "FAIL: scoring again gave another result digest"; exit 1; }
# an independent scorer over 20,000 candidates (the first by ticket number)
python3 - "$answers" "$db" <<'PY' || exit 1
import csv, json, sqlite3, sys
d, db = sys.argv[1], sys.argv[2]
keys = {f: json.load(open("%s/key-%s.json" % (d, f.lower())))["items"] for f in "AB"}
def m(s):
    if s in "-0 ": return 0
    if s in "*?": return 128
    if "A" <= s <= "G": return 1 << (ord(s) - 65)
    return int(s, 36)
def score(items, ans):
    t = 0
    for it, a in zip(items, ans):
        k = sum(1 << "ABCDEFG".index(c) for c in it["key"]); v = m(a); p = round(it["points"] * 100)
        if v == k: t += p
        elif v and it["kind"] in ("multiple", "indeterminate") and it.get("partial") and not v & ~k & 0xff and not v & 128:
            t += bin(v).count("1") * round(it["partial_points"] * 100) if it["partial"] == "per_option" else round(it["partial_points"] * 100)
    return t
want = {}
with open("%s/answers.csv" % d) as f:
    r = csv.reader(f); next(r)
    for row in r:
        want[row[0]] = score(keys[row[2]], row[3])
        if len(want) == 20000: break
c = sqlite3.connect(db)
run = c.execute("SELECT MAX(id) FROM score_runs").fetchone()[0]
got = {}
for (body,) in c.execute("SELECT body FROM score_blocks WHERE run_id = ? ORDER BY seq", (run,)):
    for line in body.splitlines():
        f = line.split("\t")
        if f[1] in want: got[f[1]] = int(f[4]) if f[4] else None
bad = [t for t in want if got.get(t) != want[t]]
print("  check: an independent scorer agrees with the stored raw scores of %d of %d candidates" % (len(want) - len(bad), len(want)))
sys.exit(1 if bad else 0)
PY
"$KAOWU" audit verify --db "$url" >"$work/verify.out" 2>&1 && echo "  audit verify: passes" || echo "  audit verify: $(tail -1 "$work/verify.out") (expected: the seating bench's payments are inserted by SQL)"
read -r total iwall rwall _ _ _ < <(sort -g "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
ikb=$(awk '$4 > m {m = $4} END {print m}' "$work/runs")
rkb=$(awk '$5 > m {m = $5} END {print m}' "$work/runs")
echo "RESULT import + score + write results, SQLite, $(jq -r .sheets "$work/import.json") sheets x $ITEMS items: $total s (median of $RUNS: $(awk '{print $1}' "$work/runs" | paste -sd/ | sed 's#/# / #g') s; goal ≤ 30 s: $(awk -v t="$total" 'BEGIN {print (t <= 30 ? "met" : "NOT met")}')) = import $iwall s + score run $rwall s; peak RSS import $((ikb / 1024)) MiB, run $((rkb / 1024)) MiB; result digest ${digest:0:16}… in every run and again (nproc $(nproc))"
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
