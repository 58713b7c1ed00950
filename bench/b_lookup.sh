#!/usr/bin/env bash
# Score look-ups on publication day (issue 10, item 7 and the Figures: ≥ 20,000 look-ups/s on
# SQLite and ≥ 15,000/s on PostgreSQL with p99 < 10 ms, serving what publication froze).
#
# Preparation (SQLite, on a fresh copy of bench/b_seat_db.sh's seated database of
# BENCH_SEAT_N = 3,000,000 registrations, kept under BENCH_SCORE_CACHE by bench/b_score.sh,
# which is run first when it is missing), as agency staff would on the server host:
#   checker  a second person for maker-checker (INF-4): user `checker`, authority_officer at
#            the provincial authority above the exam's agency (holds approval.decide and
#            score.publish there), created through the API — admin requests the grant, admin2
#            approves it — as bench/b_seat_db.sh does for `seater`. Untimed.
#   scoring  `kaowu score keys|import|run` as bench/b_score.sh: subject 01 from b_score's
#            scanner file (2,760,053 sheets × 150 items); subject 02 — publication needs a
#            cross-checked run of every subject of the exam — from the same sheets relabelled
#            02 for the candidates registered for both (made once, cached beside them: their 02
#            score equals their 01 score; the 239,947 registered for 02 alone have no sheet and
#            are absent). Each step's time is printed; b_score.sh is the scoring benchmark.
#   publish  `kaowu score crosscheck` of both subjects (kept on record, GRD-7), then timed:
#            `kaowu score publish --as seater` (the maker: every candidate's record frozen in
#            audited blocks, a pending approval) and `kaowu score approve ID --as checker`.
# Then the triples every candidate would type (ticket number, identity number, name) are read
# from the database (seats of the published seating run ⋈ registrations ⋈ candidates), and the
# publication's rows are exported (for PostgreSQL, below) into BENCH_SCORE_CACHE/lookup-….
#
# Measured: POST /api/v1/public/exams/{id}/score_lookup (bench/lookup.lua: each request a
# random candidate of a random sample of BENCH_LOOKUP_SAMPLE published candidates, default
# 1,000,000 of the 3,000,000 — wrk's Lua takes 10-20 s a million to load them, untimed — all
# triples right, so every answer should be 200) against `kaowu serve` (release build, default
# threads) with KAOWU_LOOKUP_ADDRESS_RATE=0: THE PER-ADDRESS LIMIT IS OFF, because wrk is one
# address. The per-ticket limit (10 a minute) stays on: spread over 1,000,000 candidates, even
# 50,000 look-ups/s give each about three look-ups a minute, so it should refuse none (the
# figure for the busiest run is printed); any non-2xx answer beyond 0.01 % of all the runs
# fails the bench. The first look-up loads the publication into the server's memory: its time
# and the server's RSS before and after are printed. Then RUNS runs (default 3) of
# `wrk -t1 -c64 -dDURATION --latency` (DURATION default 15s: the environment contract's
# protocol), each with the load average, requests/s, p50, p99, non-2xx count and the server's
# CPU time (user + system, /proc) per look-up; the median run by requests/s is the figure.
# Then one more run while a newer publication comes into force (a copy of the publication and
# its blocks inserted by SQL): its max latency shows whether look-ups wait while the server
# loads the new records (they should not: the load runs on a thread of its own). Peak RSS
# (VmHWM) of the server afterwards. SQLite only: before the runs, 1,000 random
# look-ups are compared with the stored score lines of the published runs.
#
# BENCH_PG=1: the same look-ups on PostgreSQL (tests/pg/with-cluster.sh). The seated database
# exists only for SQLite, and the look-up path reads only publications, publication_blocks and
# exams: the preparation above runs on SQLite (skipped when its export is cached), then a fresh
# PostgreSQL database is made by `kaowu init` and exactly these rows are copied into it, by
# SQL behind the program's back (so `kaowu audit verify` would report them; nothing here
# verifies): the published publication, all its blocks, its exam, what their foreign keys
# need — the exam's unit and its parent (the root unit is init's own, the same in both), the
# maker and the checker (users) and the approval. Same ids, same bytes: the server loads the
# same frozen records, salt and head as on SQLite, so each look-up does the same work.
[ -n "${KAOWU:-}" ] || (cd "$(dirname "$0")/.." && make build >/dev/null)
. "$(dirname "$0")/lib.sh"
N=${BENCH_SEAT_N:-3000000}
M=${BENCH_SEAT_ROOMS:-100000}
ITEMS=${BENCH_SCORE_ITEMS:-150}
CACHE=${BENCH_SCORE_CACHE:-$HOME/.cache/kaowu-bench}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
seated="$CACHE/seated-$N-$M"
answers="$CACHE/answers-$N-$M-$ITEMS"
export_dir="$CACHE/lookup-$N-$M-$ITEMS"
published="$CACHE/published-$N-$M-$ITEMS"
ans02="$CACHE/lookup-answers02-$N-$M-$ITEMS"
SAMPLE=${BENCH_LOOKUP_SAMPLE:-1000000}
BENCH_EXAM_CODE=SEATDB

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
cputicks() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # the server's user + system time
# serve_on URL: kaowu serve on an existing database, the per-address limit off; sets BASE, pid.
serve_on() {
	rm -f "$work/port"
	KAOWU_LOOKUP_ADDRESS_RATE=0 "$KAOWU" serve --db "$1" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>>"$work/serve.log" &
	pid=$!
	for _ in $(seq 400); do [ -s "$work/port" ] && break; sleep 0.05; done
	[ -s "$work/port" ] || { echo "FAIL: the server did not start"; tail -5 "$work/serve.log"; exit 1; }
	BASE="http://127.0.0.1:$(cat "$work/port")"
}
# call TOKEN METHOD PATH [JSON]: the body in $work/body; STATUS set.
call() {
	local t=$1 m=$2 p=$3 opt=()
	shift 3
	[ -n "$t" ] && opt+=(-H "Authorization: Bearer $t")
	[ $# -ge 1 ] && opt+=(-H 'Content-Type: application/json' --data "$1")
	STATUS=$(curl -sS -o "$work/body" -w '%{http_code}' -X "$m" "${opt[@]}" "$BASE$p")
}
must() { [ "$STATUS" = "$1" ] || { echo "FAIL: HTTP $STATUS, expected $1: $(head -c 600 "$work/body")"; exit 1; }; }
login() {
	curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg u "$1" --arg p "$2" '{username:$u,password:$p}')" | jq -r .token
}
# timed NAME CMD…: CMD's stdout in $work/NAME.out; sets T_WALL (s) and T_MIB (peak RSS).
timed() {
	local name=$1
	shift
	/usr/bin/time -f '%M %e' "$@" >"$work/$name.out" 2>"$work/$name.time" ||
		{ echo "FAIL: $name: $(head -c 600 "$work/$name.out") $(tail -3 "$work/$name.time")"; exit 1; }
	read -r T_KB T_WALL < <(tail -1 "$work/$name.time")
	T_MIB=$((T_KB / 1024))
}
# ms 1.23ms|850.00us|1.02s → milliseconds
ms() { awk -v v="$1" 'BEGIN {u = v; sub(/[0-9.]+/, "", u); x = v + 0; printf "%.2f", u == "us" ? x / 1000 : u == "s" ? x * 1000 : u == "m" ? x * 60000 : x}'; }

# ---- preparation on SQLite (see the header) ----
prepare() {
	if [ ! -f "$seated/bench.db" ] || [ ! -f "$answers/answers.csv" ]; then
		echo "  preparing the seated database and the answers (once; bench/b_score.sh with RUNS=1) …"
		RUNS=1 BENCH_SCORE_CACHE="$CACHE" KAOWU="$KAOWU" bash bench/b_score.sh | sed 's/^/  [score] /'
	fi
	local url="sqlite:$work/bench.db" db="$work/bench.db"
	local from="FROM seats s JOIN seating_runs u ON u.id = s.run_id JOIN registrations r ON r.id = s.registration_id"
	if [ ! -f "$ans02/answers-02.csv" ]; then
		mkdir -p "$ans02"
		sqlite3 -batch "$seated/bench.db" "SELECT s.ticket_no $from WHERE u.status = 'published' AND (r.subjects IS NULL OR r.subjects = '' OR ',' || r.subjects || ',' LIKE '%,02,%')" >"$work/t02"
		awk 'NR == FNR {want[$1] = 1; next} FNR == 1 {print; next} {split($0, f, ","); if (f[1] in want) {sub(/,01,/, ",02,"); print}}' \
			"$work/t02" "$answers/answers.csv" >"$ans02/answers-02.tmp"
		mv "$ans02/answers-02.tmp" "$ans02/answers-02.csv"
		rm -f "$work/t02"
	fi
	rm -f "$work"/bench.db*
	cp "$seated"/bench.db* "$work/"
	sync
	echo "  preparation on SQLite (a fresh copy of $seated), load average $(loadavg):"
	# the checker, through the API (admin requests the grant, admin2 approves it)
	: >"$work/serve.log"
	serve_on "$url"
	local A A2 uid bp
	A=$(login admin "$KAOWU_ADMIN_PASSWORD")
	A2=$(login admin2 admin2-bench-pass)
	bp=$(sqlite3 -batch "$db" "SELECT parent_id FROM units WHERE id = (SELECT unit_id FROM exams WHERE code = '$BENCH_EXAM_CODE')")
	call "$A" POST /api/v1/users '{"username":"checker","display_name":"发布审核人","password":"checker-bench-pass"}'
	must 201
	uid=$(jq -r .id "$work/body")
	call "$A" POST "/api/v1/users/$uid/roles" "{\"roles\":[{\"role\":\"authority_officer\",\"unit\":$bp}]}"
	must 202
	call "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$work/body")/approve"
	must 200
	stop
	sc() { "$KAOWU" score "$@" --db "$url" --json; }
	tsc() { timed "$1" "$KAOWU" score "${@:2}" --db "$url" --json; } # sc, timed
	for s in 01 02; do
		sc keys --exam "$BENCH_EXAM_CODE" --subject "$s" --as seater "$answers/key-a.json" >/dev/null
		sc keys --exam "$BENCH_EXAM_CODE" --subject "$s" --as seater "$answers/key-b.json" >/dev/null
	done
	tsc import01 import --exam "$BENCH_EXAM_CODE" --witness admin2 --as seater "$answers/answers.csv"
	local line
	line="    scoring: import 01 $(jq -r .sheets "$work/import01.out") sheets $T_WALL s"
	tsc import02 import --exam "$BENCH_EXAM_CODE" --witness admin2 --as seater "$ans02/answers-02.csv"
	line+=", import 02 $(jq -r .sheets "$work/import02.out") sheets $T_WALL s"
	for s in 01 02; do
		tsc "run$s" run --exam "$BENCH_EXAM_CODE" --subject "$s" --as seater
		line+=", run $s $T_WALL s ($(jq -r '"\(.scored) scored, \(.absent) absent"' "$work/run$s.out"))"
	done
	echo "$line"
	line="    cross-checks (kept on record):"
	for s in 01 02; do
		tsc "xc$s" crosscheck --exam "$BENCH_EXAM_CODE" --subject "$s" --as seater
		[ "$(jq -r .differences "$work/xc$s.out")" = 0 ] || { echo "FAIL: the cross-check of $s found differences"; exit 1; }
		line+=" $s $T_WALL s ($(jq -r .candidates "$work/xc$s.out") candidates, 0 differences);"
	done
	echo "$line"
	sync
	local l0
	l0=$(loadavg)
	tsc publish publish --exam "$BENCH_EXAM_CODE" --as seater
	P_WALL=$T_WALL P_MIB=$T_MIB
	PUB=$(jq -r .id "$work/publish.out")
	local ap cands
	ap=$(jq -r .approval_id "$work/publish.out")
	cands=$(jq -r .candidates "$work/publish.out")
	timed approve "$KAOWU" score approve "$ap" --db "$url" --as checker --json
	A_WALL=$T_WALL A_MIB=$T_MIB
	[ "$(sqlite3 -batch "$db" "SELECT status FROM publications WHERE id = $PUB")" = published ] || { echo "FAIL: publication $PUB is not published"; exit 1; }
	echo "    publication $PUB of $cands candidates in $(sqlite3 -batch "$db" "SELECT COUNT(*) FROM publication_blocks WHERE publication_id = $PUB") blocks ($(sqlite3 -batch "$db" "SELECT SUM(LENGTH(body)) FROM publication_blocks WHERE publication_id = $PUB") bytes; load average $l0 before, $(loadavg) after): prepare (kaowu score publish --as seater) $P_WALL s, peak RSS $P_MIB MiB; approve (kaowu score approve --as checker) $A_WALL s, peak RSS $A_MIB MiB"
	echo "RESULT publication, SQLite, $cands candidates × 2 subjects: prepare $P_WALL s (peak RSS $P_MIB MiB), approve $A_WALL s (peak RSS $A_MIB MiB) (nproc $(nproc))"
	if [ -n "${BENCH_KEEP_PUBLISHED:-}" ]; then # bench/b_certs.sh starts from here
		rm -rf "$published.tmp"
		mkdir -p "$published.tmp"
		sqlite3 -batch "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
		cp "$db" "$db".audit-key* "$published.tmp/"
		rm -rf "$published"
		mv "$published.tmp" "$published"
		echo "    the published database kept in $published"
	fi
	# the export: triples and the publication's rows (column names in each CSV's header)
	rm -rf "$export_dir.tmp"
	mkdir -p "$export_dir.tmp"
	sqlite3 -batch -separator $'\t' "$db" "SELECT s.ticket_no, c.id_number, c.name $from JOIN candidates c ON c.id = r.candidate_id WHERE u.status = 'published'" >"$export_dir.tmp/triples.tsv"
	[ "$(wc -l <"$export_dir.tmp/triples.tsv")" = "$cands" ] || { echo "FAIL: $(wc -l <"$export_dir.tmp/triples.tsv") seated candidates, $cands published"; exit 1; }
	local exam unit
	exam=$(sqlite3 -batch "$db" "SELECT exam_id FROM publications WHERE id = $PUB")
	unit=$(sqlite3 -batch "$db" "SELECT unit_id FROM exams WHERE id = $exam")
	xp() { sqlite3 -batch -csv -header "$db" "SELECT * FROM $1 WHERE $2 ORDER BY id" >"$export_dir.tmp/$1.csv"; }
	xp units "parent_id IS NOT NULL AND (id = $unit OR id IN (WITH RECURSIVE up(id) AS (SELECT parent_id FROM units WHERE id = $unit UNION SELECT u.parent_id FROM units u JOIN up ON u.id = up.id) SELECT id FROM up))"
	xp users "id IN (SELECT prepared_by FROM publications WHERE id = $PUB UNION SELECT approved_by FROM publications WHERE id = $PUB UNION SELECT maker_id FROM approvals WHERE id = $ap UNION SELECT checker_id FROM approvals WHERE id = $ap)"
	xp approvals "id = $ap"
	xp exams "id = $exam"
	xp publications "id = $PUB"
	xp publication_blocks "publication_id = $PUB"
	echo "$exam $PUB" >"$export_dir.tmp/ids"
	rm -rf "$export_dir"
	mv "$export_dir.tmp" "$export_dir"
}

# ---- the look-ups ----
# lookups URL LABEL GOAL
lookups() {
	local url=$1 label=$2 goal=$3 exam pub
	read -r exam pub <"$export_dir/ids"
	local ncand
	ncand=$(wc -l <"$export_dir/triples.tsv")
	sync # the preparation's writes on disk before the server starts
	: >"$work/serve.log"
	serve_on "$url"
	local rss0 t1 first
	rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
	IFS=$'\t' read -r t1 i1 n1 < <(shuf -n1 "$export_dir/triples.tsv")
	first=$(curl -sS -o "$work/body" -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg t "$t1" --arg i "$i1" --arg m "$n1" '{ticket_no:$t,id_number:$i,name:$m}')" "$BASE/api/v1/public/exams/$exam/score_lookup")
	[ "${first% *}" = 200 ] && [ "$(jq -r .candidate.ticket_no "$work/body")" = "$t1" ] && [ "$(jq -r .publication.id "$work/body")" = "$pub" ] ||
		{ echo "FAIL: the first look-up: HTTP ${first% *} $(head -c 600 "$work/body")"; exit 1; }
	echo "  $label: server on $(db_label), KAOWU_LOOKUP_ADDRESS_RATE=0 (the per-address limit OFF: wrk is one address; the per-ticket limit of 10/min on); the first look-up (loads publication $pub, $ncand records, into memory) took $(awk -v s="${first#* }" 'BEGIN {printf "%.3f", s}') s; server RSS $((rss0 / 1024)) MiB before it, $(($(awk '/^VmRSS/ {print $2}' "/proc/$pid/status") / 1024)) MiB after; e.g. $(jq -c .candidate "$work/body")"
	if [ -z "${KW_TEST_PG_URL:-}" ]; then
		# 1,000 random look-ups against the stored score lines of the published runs
		python3 - "$export_dir/triples.tsv" "${url#sqlite:}" "$BASE" "$exam" "$pub" <<'PY' || exit 1
import json, random, sqlite3, sys, urllib.request, urllib.error
triples, db, base, exam, pub = sys.argv[1:]
lines = open(triples, encoding="utf-8").read().splitlines()
pick = [l.split("\t") for l in random.sample(lines, 1000)]
want = {t for t, _, _ in pick}
c = sqlite3.connect(db)
runs = json.loads(c.execute("SELECT runs FROM publications WHERE id = ?", (pub,)).fetchone()[0])
stored = {}  # (ticket, subject) -> (status, final)
for r in runs:
    for (body,) in c.execute("SELECT body FROM score_blocks WHERE run_id = ? ORDER BY seq", (r["run_id"],)):
        for line in body.splitlines():
            f = line.split("\t")
            if f[1] in want:
                stored[(f[1], r["subject"])] = (f[3], f[5])
bad = 0
for t, i, m in pick:
    req = urllib.request.Request("%s/api/v1/public/exams/%s/score_lookup" % (base, exam),
                                 data=json.dumps({"ticket_no": t, "id_number": i, "name": m}).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        got = json.load(urllib.request.urlopen(req))["candidate"]["subjects"]
    except urllib.error.HTTPError as e:
        bad += 1
        continue
    exp = {s: v for (tt, s), v in stored.items() if tt == t}
    ok = len(got) == len(exp)
    for g in got:
        st, fin = exp.get(g["code"], ("?", ""))
        if st.startswith("s") or st.startswith("z"):
            ok = ok and "score" in g and round(float(g["score"]) * 100) == int(fin)
        else:
            ok = ok and "score" not in g
    bad += not ok
print("  check: %d of 1000 random look-ups answer the stored score lines of the published runs" % (1000 - bad))
sys.exit(1 if bad else 0)
PY
	fi
	# the sample, as JSON bodies
	shuf -n "$SAMPLE" "$export_dir/triples.tsv" | python3 -c '
import json, sys
for l in sys.stdin:
    t, i, m = l.rstrip("\n").split("\t")
    print(json.dumps({"ticket_no": t, "id_number": i, "name": m}, ensure_ascii=False, separators=(",", ":")))' >"$work/bodies.jsonl"
	local nsample
	nsample=$(wc -l <"$work/bodies.jsonl")
	export BENCH_EXAM=$exam BENCH_BODIES="$work/bodies.jsonl"
	: >"$work/runs"
	local i
	for i in $(seq "$RUNS"); do
		local l0 c0 c1 rps p50 p99 reqs took bad sock
		l0=$(loadavg)
		c0=$(cputicks)
		wrk -t1 -c64 -d"$DURATION" --latency -s bench/lookup.lua "$BASE" >"$work/wrk.$i"
		c1=$(cputicks)
		rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")
		p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.$i")
		p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$i")
		reqs=$(awk '/requests in/ {print $1}' "$work/wrk.$i")
		took=$(ms "$(awk '/requests in/ {sub(/,$/, "", $4); print $4}' "$work/wrk.$i")")
		bad=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.$i")
		sock=$(awk '/Socket errors/ {sub(/.*Socket errors: /, ""); print}' "$work/wrk.$i")
		echo "  $label run $i (load average $l0 before, $(loadavg) after): $rps req/s, p50 $p50, p99 $p99; $reqs requests, non-2xx ${bad:-0}${sock:+; socket errors $sock}; server CPU $(awk -v c=$((c1 - c0)) -v r="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", c / hz * 1e6 / r}') µs a look-up"
		echo "$rps $p50 $p99 $reqs ${bad:-0} $took" >>"$work/runs"
	done
	# a newer publication comes into force while look-ups run (issue 10: the read path holds
	# up on publication day): a copy of the publication, its blocks too, inserted by SQL as a
	# new publication of the exam; the server sees it within 5 s and loads it on a thread of
	# its own while the look-ups are served from the records it holds. wrk's max latency shows
	# whether any look-up waited for the load (before: every look-up of the process did).
	local pcols bcols npub sq
	pcols=$(head -1 "$export_dir/publications.csv" | tr ',' '\n' | grep -vx id | paste -sd,)
	bcols=$(head -1 "$export_dir/publication_blocks.csv" | tr ',' '\n' | grep -vx id | paste -sd,)
	if [ -n "${KW_TEST_PG_URL:-}" ]; then sq() { psql "$url" -qtAX -v ON_ERROR_STOP=1 -c "$1"; }; else sq() { sqlite3 -batch "${url#sqlite:}" "$1"; }; fi
	sq "INSERT INTO publications ($pcols) SELECT $pcols FROM publications WHERE id = $pub" >/dev/null
	npub=$(sq "SELECT MAX(id) FROM publications")
	sq "INSERT INTO publication_blocks ($bcols) SELECT ${bcols/publication_id/$npub} FROM publication_blocks WHERE publication_id = $pub ORDER BY id" >/dev/null
	local l0 lat
	l0=$(loadavg)
	wrk -t1 -c64 -d"$DURATION" --latency -s bench/lookup.lua "$BASE" >"$work/wrk.sup"
	lat=$(awk '$1 == "Latency" {print $4; exit}' "$work/wrk.sup")
	IFS=$'\t' read -r t1 i1 n1 < <(shuf -n1 "$export_dir/triples.tsv")
	curl -sS -o "$work/body" -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg t "$t1" --arg i "$i1" --arg m "$n1" '{ticket_no:$t,id_number:$i,name:$m}')" "$BASE/api/v1/public/exams/$exam/score_lookup"
	[ "$(jq -r .publication.id "$work/body")" = "$npub" ] || { echo "FAIL: after the run the look-ups still answer from publication $(jq -r .publication.id "$work/body"), not $npub"; exit 1; }
	echo "  $label while publication $npub (a copy of $pub, inserted by SQL) comes into force and is loaded (load average $l0 before, $(loadavg) after): $(awk '/^Requests\/sec/ {print $2}' "$work/wrk.sup") req/s, p50 $(awk '$1 == "50%" {print $2}' "$work/wrk.sup"), p99 $(awk '$1 == "99%" {print $2}' "$work/wrk.sup"), max $lat; non-2xx $(awk '/Non-2xx/ {print $NF}' "$work/wrk.sup" | grep . || echo 0); afterwards look-ups answer from publication $npub"
	echo "RESULT score look-ups during a new publication's load, $(db_label): max latency $lat, p99 $(awk '$1 == "99%" {print $2}' "$work/wrk.sup")"
	local hwm
	hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
	stop
	local rps p50 p99 reqs bad total totbad
	read -r rps p50 p99 reqs bad < <(sort -g "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
	total=$(awk '{s += $4} END {print s}' "$work/runs")
	totbad=$(awk '{s += $5} END {print s}' "$work/runs")
	echo "  per-ticket limit (10 a minute): the busiest run gave each of the $nsample candidates of the sample $(awk -v n="$nsample" '$4 / $6 > m {m = $4 / $6} END {printf "%.2f", m * 1000 / n * 60}' "$work/runs") look-ups a minute on average; non-2xx in all $RUNS runs: $totbad of $total"
	local ok
	ok=$(awk -v r="$rps" -v g="$goal" -v p="$(ms "$p99")" 'BEGIN {print (r >= g && p < 10 ? "met" : "NOT met")}')
	echo "RESULT score look-ups, $(db_label): median $rps req/s, p50 $p50, p99 $p99 (runs $(awk '{print $1}' "$work/runs" | paste -sd/ | sed 's#/# / #g') req/s; goal ≥ $goal/s with p99 < 10 ms: $ok); server peak RSS $((hwm / 1024)) MiB; $nsample of $ncand published candidates sampled, per-address limit off (nproc $(nproc), wrk -t1 -c64 -d$DURATION --latency)"
	if awk -v b="$totbad" -v t="$total" 'BEGIN {exit !(b > t * 0.0001)}'; then
		echo "FAIL: $totbad non-2xx answers of $total look-ups (more than 0.01 %)"
		exit 1
	fi
}

echo "  load average at start: $(loadavg) (nproc $(nproc)); $(db_label)"
if [ -n "${BENCH_PREPARE_ONLY:-}" ]; then # BENCH_KEEP_PUBLISHED=1 BENCH_PREPARE_ONLY=1: b_certs.sh
	prepare
	exit 0
fi
if [ -z "${KW_TEST_PG_URL:-}" ]; then
	prepare
	lookups "sqlite:$work/bench.db" "look-ups SQLite" 20000
else
	if [ -f "$export_dir/ids" ]; then
		echo "  the publication's rows from the cached export $export_dir (made by the SQLite run)"
	else
		prepare
		rm -f "$work"/bench.db*
	fi
	pg=$(bench_url)
	"$KAOWU" init --db "$pg" >/dev/null
	# the rows behind the program's back, in foreign-key order, then the identity sequences
	for t in units users approvals exams publications publication_blocks; do
		psql "$pg" -qX -v ON_ERROR_STOP=1 -c "\\copy $t ($(head -1 "$export_dir/$t.csv")) FROM '$export_dir/$t.csv' WITH (FORMAT csv, HEADER true)"
		psql "$pg" -qtAX -v ON_ERROR_STOP=1 -c "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT MAX(id) FROM $t))" >/dev/null
	done
	# what the copy left to do (autovacuum's analyze of 733 rows with 558 MB of TOAST, the
	# checkpoint of their pages) is done now rather than during the runs; the disk synced
	psql "$pg" -qX -v ON_ERROR_STOP=1 -c "VACUUM ANALYZE" -c "CHECKPOINT"
	echo "  copied into PostgreSQL: $(for t in units users approvals exams publications publication_blocks; do printf '%s %s, ' "$t" "$(psql "$pg" -qtAX -c "SELECT COUNT(*) FROM $t")"; done)($(psql "$pg" -qtAX -c "SELECT pg_size_pretty(pg_total_relation_size('publication_blocks'))") of blocks; units and users include init's own root and admin)"
	lookups "$pg" "look-ups PostgreSQL" 15000
fi
echo "  load average at the end: $(loadavg)"
