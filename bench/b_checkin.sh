#!/usr/bin/env bash
# Exam-day check-ins and the command view at national scale (issue 9, "Figures"): check-ins/s
# through HTTP with the ticket's signature verified, and the command view of BENCH_CI_CENTRES
# centres (default 10,000) and 30 × as many rooms (300,000) reporting. Goals: ≥ 5,000
# check-ins/s; the command view's updates reaching a browser within 2 s of the event.
#
# Preparation (untimed; bench/gen_checkin.py makes the data, seed BENCH_CI_SEED, default 9),
# through kaowu's own paths except where said:
#   - the units (BENCH_CI_AREAS exam areas, default 300), centres, rooms (30 places each; 20-40
#     a centre, 300,000 in all), the centres' agreements, safety-responsibility letters and
#     passed inspections (VEN-6: a centre not ready refuses check-ins): the API's CSV imports;
#     the exam (PQ rules: check-in opens 30 min before the start, cut-off 5 min after) and its
#     subject 01; the viewer (agency_staff) and BENCH_CI_PROCTORS proctor accounts (default
#     16; grants by maker-checker): the API;
#   - candidates and registrations: `kaowu generate candidates` → `kaowu import registrations`
#     (BENCH_CI_PER_ROOM a room, default 3: 900,000; each with the exam area of its room);
#   - BYPASSED, one SQL transaction (gen_checkin.py seat-sql): the published seating run, its
#     300,000 exam rooms and 900,000 seats (registration i in room ⌈i / 3⌉), one valid ticket
#     version each (the PDF a 1-byte placeholder blob, payload_digest "bench-sql"), one
#     proctor's staff record per exam room and a drawn proctor lottery assigning it there. The
#     staff records are linked to the 16 proctor accounts in turn, so each account is drawn for
#     18,750 rooms (the lottery, the PDF rendering at ~270 tickets/s and the seating run would
#     each take longer than the bench; the rows are what they write, not audited);
#   - the QR payloads: bench/ticket_qr.c, compiled here against the build's libkwlib.a, signs
#     them with kaowu's own key derivation and kw_signed_make (see that file): the check-in
#     verifies each under the server's ticket key and against the tickets table.
#   - each run: the subject's start moved by SQL to BENCH_CI_START_MIN minutes (default 10)
#     from now, so the real clock of the release build is inside the check-in window.
# SQLite: the prepared database and the request files are kept in BENCH_CI_CACHE (default
# ~/.cache/kaowu-bench) and copied afresh for every run; PostgreSQL: a pg_dump of it (with its
# audit key and request files) is kept there, restored into the throwaway cluster, and each run
# gets `CREATE DATABASE … TEMPLATE` of it.
#
# Measured, RUNS times (default 3), on `kaowu serve` (release build):
#   1. the command view's first open at this scale: a client opens the stream
#      (GET …/sittings/01/command/stream) — the view loads from the database — and times the
#      whole "snapshot" event; the server's RSS before and after; then GET …/command once more
#      (the view in memory);
#   (BENCH_CI_SERVE_ARGS: extra options for kaowu serve, e.g. "--threads 8")
#   2. check-ins: wrk -t1 -c64 -dBENCH_CI_DURATION (default 25s; --timeout BENCH_CI_TIMEOUT,
#      default 60s, so that slow answers are counted, not dropped; bench/checkin.lua), each
#      request a different candidate (BENCH_CI_WRK shuffled over every centre but the
#      sentinel's), its payload and exam room, with the session of the room's proctor; 201
#      expected;
#   3. meanwhile the stream stays open and a sentinel checks in one candidate of one of
#      BENCH_CI_SENTINELS centres (default 5, outside wrk's set) every 200 ms: the time from
#      its 201 to the "centres" event carrying that centre's new present count; p50/p99/max.
# Checks after each run: the check-ins stored are the sentinel's and at least wrk's 201s, each a
# candidate wrk sent (those still in flight when wrk stopped may be stored too: their number is
# printed); the snapshot counted every centre, room and seat.
[ -n "${KAOWU:-}" ] || (cd "$(dirname "$0")/.." && make build >/dev/null)
export PYTHONDONTWRITEBYTECODE=1
. "$(dirname "$0")/lib.sh"
CENTRES=${BENCH_CI_CENTRES:-10000}
AREAS=${BENCH_CI_AREAS:-300}
PER_ROOM=${BENCH_CI_PER_ROOM:-3}
SEED=${BENCH_CI_SEED:-9}
NWRK=${BENCH_CI_WRK:-250000}
NSENT=${BENCH_CI_SENTINELS:-5}
NPROC=${BENCH_CI_PROCTORS:-16}
CDUR=${BENCH_CI_DURATION:-25s}
START_MIN=${BENCH_CI_START_MIN:-10}
TIMEOUT=${BENCH_CI_TIMEOUT:-60s}
CACHE=${BENCH_CI_CACHE:-$HOME/.cache/kaowu-bench}
PGBIN=${KW_PG_BIN:-/usr/lib/postgresql/15/bin}
EXAM=CI27
ROOT=$PWD
AGENCY=CI-PTA
key="$CACHE/checkin-$CENTRES-$AREAS-$PER_ROOM-s$SEED"
data="$key/data"
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
now() { date +%s.%N; }
is_pg() { [ -n "${KW_TEST_PG_URL:-}" ]; }
db_sql() {
	if is_pg; then psql "$url" -qtAX -v ON_ERROR_STOP=1 -c "$1"; else sqlite3 -batch "${url#sqlite:}" "$1"; fi
}
db_file() {
	if is_pg; then psql "$url" -qtAX -v ON_ERROR_STOP=1 -f "$1" >/dev/null; else sqlite3 -batch -bail "${url#sqlite:}" <"$1" >/dev/null; fi
}
# the CPU time (user + system, clock ticks) process $1 has used
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
serve() {
	rm -f "$work/port"
	"$KAOWU" serve "$@" --db "$url" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>>"$work/serve.log" &
	pid=$!
	for _ in $(seq 400); do [ -s "$work/port" ] && break; sleep 0.05; done
	[ -s "$work/port" ] || { echo "FAIL: the server did not start"; tail -5 "$work/serve.log"; exit 1; }
	BASE="http://127.0.0.1:$(cat "$work/port")"
}
call() {
	local t=$1 m=$2 p=$3 out opt=()
	shift 3
	[ -n "$t" ] && opt+=(-H "Authorization: Bearer $t")
	[ $# -ge 1 ] && opt+=(-H "Content-Type: ${2:-application/json}" --data-binary "$1")
	out=$(curl -sS -o "$work/body" -w '%{http_code} %{time_total}' -X "$m" "${opt[@]}" --max-time 3600 "$BASE$p")
	STATUS=${out% *}
	TIME=${out#* }
}
must() { [ "$STATUS" = "$1" ] || { echo "FAIL: HTTP $STATUS, expected $1: $(head -c 600 "$work/body")"; tail -5 "$work/serve.log"; exit 1; }; }
login() {
	curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg u "$1" --arg p "$2" '{username:$u,password:$p}')" | jq -r .token
}
# the QR signer, built against the library of the kaowu binary's build directory
qr_tool() {
	local b
	b=$(cd "$(dirname "$KAOWU")" && pwd)
	[ -f "$b/CMakeFiles/kw_bench_bans.dir/link.txt" ] || { echo "FAIL: $b is not a CMake build directory (ticket_qr links its libkwlib.a)"; exit 1; }
	(cd "$b" && eval "$(sed "s#CMakeFiles/kw_bench_bans.dir/bench/bans.c.o -o kw_bench_bans#-std=c11 -O2 -Wall -Wextra -Werror -I$ROOT/src $ROOT/bench/ticket_qr.c -o $work/ticket_qr#" CMakeFiles/kw_bench_bans.dir/link.txt)") ||
		{ echo "FAIL: cannot build bench/ticket_qr.c"; exit 1; }
}
china_day() { date -u -d "@$(($(date +%s) + 8 * 3600))" +%Y-%m-%d; }

# ---- preparation (once; cached) ----
prepare() {
	local t0 t1
	t0=$(now)
	start "$url"
	A=$(login admin "$KAOWU_ADMIN_PASSWORD")
	KAOWU_USER_PASSWORD=admin2-bench-pass "$KAOWU" user add --db "$url" --username admin2 --display-name 第二管理员 --role admin >/dev/null
	A2=$(login admin2 admin2-bench-pass)
	post() { call "$A" POST "$1" "$2"; must "${3:-201}"; jq -r .id "$work/body"; }
	AUTH=$(post /api/v1/units '{"code":"CI","name":"基准部考试中心","kind":"provincial_authority","level":"provincial","parent":1}')
	PTA=$(post /api/v1/units "{\"code\":\"$AGENCY\",\"name\":\"基准省人事考试院\",\"kind\":\"provincial_agency\",\"level\":\"provincial\",\"parent\":$AUTH}")
	user() { # USERNAME ROLE UNIT: through the API, the grant asked by admin, approved by admin2
		call "$A" POST /api/v1/users "{\"username\":\"$1\",\"display_name\":\"$1\",\"password\":\"$1-bench-pass\"}"
		must 201
		local uid
		uid=$(jq -r .id "$work/body")
		call "$A" POST "/api/v1/users/$uid/roles" "{\"roles\":[{\"role\":\"$2\",\"unit\":$3}]}"
		must 202
		call "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$work/body")/approve"
		must 200
	}
	user viewer agency_staff "$PTA"
	for k in $(seq -w 1 "$NPROC"); do user "proctor$k" proctor "$PTA"; done
	python3 bench/gen_checkin.py prep --seed "$SEED" --centres "$CENTRES" --areas "$AREAS" --per-room "$PER_ROOM" \
		--exam "$EXAM" --agency "$AGENCY" --kaowu "$KAOWU" --outdir "$data.tmp" >"$work/gen.out" || exit 1
	rm -rf "$data"
	mv "$data.tmp" "$data"
	echo "  $(cat "$work/gen.out")"
	imp() { # REGISTER FILE: in parts of at most 100,000 rows (the imports' limit)
		local part
		rm -f "$work"/part.*
		tail -n +2 "$2" | split -l 100000 -d -a 3 - "$work/part."
		for part in "$work"/part.*; do
			{ head -1 "$2"; cat "$part"; } >"$work/part.csv"
			call "$A" POST "/api/v1/$1/import" "@$work/part.csv" text/csv
			must 201
		done
		rm -f "$work"/part.*
	}
	imp units "$data/units.csv"
	imp centres "$data/centres.csv"
	imp rooms "$data/rooms.csv"
	imp centre_agreements "$data/agreements.csv"
	imp inspections "$data/inspections.csv"
	local day start
	day=$(china_day)
	start=$(date -u -d "+20 min" +%Y-%m-%dT%H:%M:00Z)
	E=$(post /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"$EXAM\",\"name\":\"2027年度专业技术资格考试（考务基准）\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-10-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-10-20T00:00:00+08:00\",\"exam_date\":\"$day\",\"ref_date\":\"$day\",\"fee_approval\":\"基准〔2026〕9号\"}")
	post /api/v1/subjects "{\"exam_id\":$E,\"code\":\"01\",\"name\":\"专业知识\",\"duration_minutes\":120,\"mode\":\"paper\",\"fee_cents\":5000,\"starts_at\":\"$start\"}" >/dev/null
	stop
	t1=$(now)
	echo "  set-up: units, centres, rooms, readiness, exam, accounts (API) $(secs "$t0" "$t1") s"
	/usr/bin/time -f '%e s' "$KAOWU" import registrations "$data/regs.csv" --db "$url" >"$work/imp.out" 2>"$work/imp.err" ||
		{ cat "$work/imp.out" "$work/imp.err"; exit 1; }
	t0=$(now)
	echo "  set-up: $(tail -1 "$work/imp.out") ($(tail -1 "$work/imp.err"))"
	local blob=0000000000000000000000000000000000000000000000000000000000be0c41 ts
	ts=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
	if is_pg; then
		db_sql "INSERT INTO file_blobs (sha256, size, data, created_at) VALUES ('$blob', 1, '\\x00'::bytea, '$ts')"
	else
		db_sql "INSERT INTO file_blobs (sha256, size, data, created_at) VALUES ('$blob', 1, X'00', '$ts')"
	fi
	local users
	users=$(db_sql "SELECT id FROM users WHERE username LIKE 'proctor%' ORDER BY username" | paste -sd,)
	python3 bench/gen_checkin.py seat-sql --exam "$E" --agency "$AGENCY" --per-room "$PER_ROOM" --users "$users" --blob "$blob" --now "$ts" \
		--run "$(($(db_sql "SELECT COALESCE(MAX(id), 0) FROM seating_runs") + 1))" \
		--draw "$(($(db_sql "SELECT COALESCE(MAX(id), 0) FROM proctor_draws") + 1))" \
		--staff0 "$(db_sql "SELECT COALESCE(MAX(id), 0) FROM staff")" --ticket0 270100000000 >"$work/seat.sql"
	db_file "$work/seat.sql"
	if is_pg; then
		for t in seating_runs exam_rooms seats tickets staff proctor_draws proctor_assignments; do
			db_sql "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT MAX(id) FROM $t))" >/dev/null
		done
	fi
	local bad
	bad=$(db_sql "SELECT COUNT(*) FROM seats s JOIN registrations r ON r.id = s.registration_id JOIN exam_rooms x ON x.id = s.exam_room_id WHERE r.area_id IS NULL OR r.area_id <> x.area_id")
	[ "$bad" = 0 ] || { echo "FAIL: $bad seats in another exam area than their registration's"; exit 1; }
	t1=$(now)
	echo "  set-up: seating run, $(db_sql "SELECT COUNT(*) FROM exam_rooms") exam rooms, $(db_sql "SELECT COUNT(*) FROM seats") seats and tickets, proctors' staff and lottery (SQL) $(secs "$t0" "$t1") s"
	# the requests: who, the payloads signed, the files wrk and the sentinel read
	db_sql "SELECT s.registration_id, s.ticket_no, d.name, d.id_number, s.exam_room_id, x.centre_id, c.code, f.user_id FROM seats s JOIN registrations r ON r.id = s.registration_id JOIN candidates d ON d.id = r.candidate_id JOIN exam_rooms x ON x.id = s.exam_room_id JOIN centres c ON c.id = x.centre_id JOIN proctor_assignments a ON a.exam_room_id = x.id JOIN staff f ON f.id = a.staff_id ORDER BY s.registration_id" |
		python3 bench/gen_checkin.py pick --seed "$SEED" --wrk "$NWRK" --sentinels "$NSENT" --out "$work/pick"
	qr_tool
	local keyf
	if is_pg; then keyf=$KAOWU_AUDIT_KEY; else keyf=${url#sqlite:}.audit-key; fi
	"$work/ticket_qr" "$keyf" "$EXAM" 1 <"$work/pick.sign" >"$work/pick.signed"
	python3 bench/gen_checkin.py requests --exam "$E" --signed "$work/pick.signed" --meta "$work/pick.meta" --out "$work/req"
	t0=$(now)
	echo "  set-up: $(wc -l <"$work/pick.signed") QR payloads signed (ticket_qr), request files $(secs "$t1" "$t0") s"
}

url=$(bench_url)
echo "  load average at start: $(loadavg) (nproc $(nproc)); $(db_label); $CENTRES centres, $AREAS areas, $PER_ROOM a room, seed $SEED"
if is_pg; then store="$key/pg"; else store="$key/sqlite"; fi
mkdir -p "$key"
if is_pg; then
	if [ -f "$store/prep.pgdump" ] && [ -f "$store/req.wrk" ]; then
		"$PGBIN/pg_restore" -d "$url" "$store/prep.pgdump"
		cp "$store/prep.audit-key" "$KAOWU_AUDIT_KEY"
		echo "  set-up: restored from $store/prep.pgdump"
	else
		prepare
		mkdir -p "$store"
		"$PGBIN/pg_dump" -Fc -f "$store/prep.pgdump.tmp" "$url"
		cp "$KAOWU_AUDIT_KEY" "$store/prep.audit-key"
		cp "$work"/req.wrk "$work"/req.sentinel "$work"/pick.meta "$store/"
		mv "$store/prep.pgdump.tmp" "$store/prep.pgdump"
	fi
	psql "$url" -qtAXc 'VACUUM ANALYZE' >/dev/null
	prep_url=$url
	url=${KW_TEST_PG_URL%/*}/kwrun
else
	if [ -f "$store/bench.db" ] && [ -f "$store/req.wrk" ]; then
		echo "  set-up: copied from $store"
	else
		prepare
		sqlite3 "${url#sqlite:}" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
		mkdir -p "$store"
		cp "$work"/bench.db* "$store/"
		cp "$work"/req.wrk "$work"/req.sentinel "$work"/pick.meta "$store/"
	fi
fi
[ "${BENCH_CI_PREP_ONLY:-0}" = 1 ] && { echo "  prepared (BENCH_CI_PREP_ONLY=1)"; exit 0; }
E=$(
	url=${prep_url:-sqlite:$store/bench.db}
	db_sql "SELECT id FROM exams WHERE code = '$EXAM'"
)
fresh() {
	if is_pg; then
		psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS kwrun" -c "CREATE DATABASE kwrun TEMPLATE kwbench" >/dev/null
	else
		rm -f "$work"/bench.db*
		cp "$store"/bench.db* "$work/"
	fi
}
fresh
echo "  database: $(db_sql "SELECT COUNT(*) FROM centres") centres, $(db_sql "SELECT COUNT(*) FROM rooms") rooms, $(db_sql "SELECT COUNT(*) FROM exam_rooms") exam rooms, $(db_sql "SELECT COUNT(*) FROM seats") seats, $(db_sql "SELECT COUNT(*) FROM registrations") registrations$(is_pg || echo ", $(du -ch "$work"/bench.db* | tail -1 | cut -f1) on disk"); wrk's file $(wc -l <"$store/req.wrk") check-ins, the sentinel's $(wc -l <"$store/req.sentinel")"
vmkb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
dsecs=${CDUR%s}

: >"$work/runs"
for i in $(seq "$RUNS"); do
	[ "$i" = 1 ] || fresh
	: >"$work/serve.log"
	start_at=$(date -u -d "+$START_MIN min" +%Y-%m-%dT%H:%M:%S.000000Z)
	db_sql "UPDATE subjects SET starts_at = '$start_at' WHERE exam_id = $E AND code = '01'"
	sync
	# shellcheck disable=SC2086 # BENCH_CI_SERVE_ARGS: extra options for kaowu serve, split
	serve ${BENCH_CI_SERVE_ARGS:-}
	: >"$work/tokens"
	db_sql "SELECT id, username FROM users WHERE username LIKE 'proctor%' ORDER BY username" | while IFS='|' read -r uid uname; do
		printf '%s\t%s\n' "$uid" "$(login "$uname" "$uname-bench-pass")" >>"$work/tokens"
	done
	V=$(login viewer viewer-bench-pass)
	rss0=$(vmkb "$pid" VmRSS)
	rm -f "$work/go"
	load0=$(loadavg)
	python3 bench/gen_checkin.py watch --base "$BASE" --exam "$E" --viewer "$V" --tokens "$work/tokens" \
		--sentinel "$store/req.sentinel" --go "$work/go" --seconds "$((dsecs - 3))" >"$work/watch.$i" 2>"$work/watch.err" &
	wpid=$!
	for _ in $(seq 6000); do [ -s "$work/watch.$i" ] && break; kill -0 $wpid 2>/dev/null || break; sleep 0.1; done
	[ -s "$work/watch.$i" ] || { echo "FAIL: the stream gave no snapshot: $(cat "$work/watch.err")"; tail -5 "$work/serve.log"; exit 1; }
	snap=$(head -1 "$work/watch.$i")
	rss1=$(vmkb "$pid" VmRSS)
	call "$V" GET "/api/v1/exams/$E/sittings/01/command"
	must 200
	tget=$TIME
	read -r sc sr ss < <(jq -r '"\(.centres) \(.rooms) \(.seated)"' <<<"$snap")
	[ "$sc $sr" = "$(db_sql "SELECT COUNT(DISTINCT centre_id) FROM exam_rooms") $(db_sql "SELECT COUNT(*) FROM exam_rooms")" ] && [ "$ss" = "$(db_sql "SELECT COUNT(*) FROM seats")" ] ||
		{ echo "FAIL: the snapshot counted $sc centres, $sr rooms, $ss seated"; exit 1; }
	BENCH_REQUESTS="$store/req.wrk" BENCH_TOKENS="$work/tokens" wrk -t1 -c64 -d"$CDUR" --timeout "$TIMEOUT" --latency -s bench/checkin.lua "$BASE" >"$work/wrk.$i" &
	kpid=$!
	cpu0=$(cputicks "$pid")
	sleep 1
	touch "$work/go"
	wait $kpid
	cpu1=$(cputicks "$pid")
	wait $wpid || { echo "FAIL: the sentinel: $(cat "$work/watch.err")"; exit 1; }
	rss2=$(vmkb "$pid" VmRSS)
	hwm=$(vmkb "$pid" VmHWM)
	rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")
	p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.$i")
	p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$i")
	n201=$(awk '$1 == "status" && $2 == 201 {print $3}' "$work/wrk.$i")
	n201=${n201:-0}
	nall=$(awk '/requests in/ {print $1}' "$work/wrk.$i")
	other=$(awk '$1 == "status" && $2 != 201 {printf "%s×%s ", $2, $3}' "$work/wrk.$i")
	sock=$(awk '/Socket errors/' "$work/wrk.$i")
	w=$(tail -1 "$work/watch.$i")
	nsen=$(jq -r .sentinel_sent <<<"$w")
	echo "  run $i (load average $load0 before, $(loadavg) after): first open of the view $(jq -r .snapshot_s <<<"$snap") s ($(jq -r .snapshot_bytes <<<"$snap") bytes, $sc centres, $sr rooms, $ss seated), RSS $((rss0 / 1024)) → $((rss1 / 1024)) MiB; GET …/command again $tget s"
	echo "  run $i check-ins: $nall answers, $rps/s, p50 $p50, p99 $p99; 201: $n201 ${other:+others: $other}$sock; RSS after $((rss2 / 1024)) MiB (peak $((hwm / 1024)) MiB); the server's CPU $(awk -v t=$((cpu1 - cpu0)) -v h="$(getconf CLK_TCK)" -v n="$nall" 'BEGIN {printf "%.1f s, %.0f µs a check-in", t / h, n ? t / h / n * 1e6 : 0}')"
	echo "  run $i command view: sentinel $nsen check-ins, stream events $(jq -r .events <<<"$w"); 201 → its centre's new count on the stream: p50 $(jq -r .lat_p50_ms <<<"$w") ms, p99 $(jq -r .lat_p99_ms <<<"$w") ms, max $(jq -r .lat_max_ms <<<"$w") ms, over 2 s $(jq -r .lat_over_2s <<<"$w"), never (10 s) $(jq -r .lost_after_10s <<<"$w"); the sentinel's own check-in p50 $(jq -r .req_p50_ms <<<"$w") ms, p99 $(jq -r .req_p99_ms <<<"$w") ms"
	sleep 1
	db_sql "SELECT registration_id FROM checkins" |
		python3 bench/gen_checkin.py check --meta "$store/pick.meta" --sent "$(awk '/^sent / {print $2}' "$work/wrk.$i")" --ok "$n201" --sentinel "$nsen" ||
		{ echo "FAIL: the check-ins stored"; exit 1; }
	[ -z "$other$sock" ] || { echo "FAIL: answers other than 201 above"; grep -v '^ *$' "$work/serve.log" | tail -5; exit 1; }
	stop
	echo "$rps $p50 $p99 $n201 $(jq -r .snapshot_s <<<"$snap") $((rss1 - rss0)) $(jq -r .lat_p50_ms <<<"$w") $(jq -r .lat_p99_ms <<<"$w") $(jq -r .lat_max_ms <<<"$w") $tget $hwm" >>"$work/runs"
done
read -r rps p50 p99 n201 _ < <(sort -g "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
read -r _ _ _ _ snap drss _ < <(sort -g -k5 "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
lmax=$(awk '$9 > m {m = $9} END {print m}' "$work/runs")
lp99=$(awk '$8 > m {m = $8} END {print m}' "$work/runs")
lp50=$(sort -g -k7 "$work/runs" | sed -n "$(((RUNS + 1) / 2))p" | awk '{print $7}')
hwm=$(awk '$11 > m {m = $11} END {print m}' "$work/runs")
echo "RESULT check-ins, $(db_label), $CENTRES centres: median $rps/s, p50 $p50, p99 $p99 ($(awk '{print $1}' "$work/runs" | paste -sd/ | sed 's#/# / #g')/s; goal ≥ 5,000/s: $(awk -v t="$rps" 'BEGIN {print (t >= 5000 ? "met" : "NOT met")}'); wrk -t1 -c64 -d$CDUR --timeout $TIMEOUT, every answer 201 and stored)"
echo "RESULT command view, $(db_label): the event → the stream p50 $lp50 ms (median run), p99 ≤ $lp99 ms, max $lmax ms over $RUNS runs (goal ≤ 2 s: $(awk -v t="$lmax" 'BEGIN {print (t != "null" && t <= 2000 ? "met" : "NOT met")}')); first open (load + snapshot) median $snap s, +$((drss / 1024)) MiB RSS; server peak RSS $((hwm / 1024)) MiB"
echo "  load average at the end: $(loadavg)"
