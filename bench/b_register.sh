#!/usr/bin/env bash
# Durable registration submissions through HTTP (issue 6): each request a new candidate,
# entered on site by agency staff — the window by the clock, the pledge in force,
# eligibility, the VH ban check, the registration and its hash-chained audit record,
# acknowledged after the group commit is on disk. Alone, then while a second client reads
# the public per-position figures at about 10,000 requests/s. Candidates come from
# `kaowu generate candidates | kaowu import registrations` (timed too). SQLite; BENCH_PG=1
# for PostgreSQL.
. "$(dirname "$0")/lib.sh"
url=$(bench_url)
export KAOWU_TEST_NOW= # the real clock: the window below is open now
start "$url"
# The second administrator of maker-checker.
KAOWU_USER_PASSWORD=bench-admin2-pass "$KAOWU" user add --db "$url" --username admin2 --display-name 二 --role admin >/dev/null
tok() { curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' --data "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .token; }
A=$(tok admin "$KAOWU_ADMIN_PASSWORD"); A2=$(tok admin2 bench-admin2-pass)
post() { curl -fsS "$BASE$1" -H "Authorization: Bearer $A" -H 'Content-Type: application/json' --data "$2"; }
root=1
G=$(post /api/v1/units "{\"code\":\"GWY\",\"name\":\"公务员局\",\"kind\":\"civil_service_authority\",\"level\":\"provincial\",\"parent\":$root}" | jq -r .id)
R=$(post /api/v1/units "{\"code\":\"40001\",\"name\":\"招录机关\",\"kind\":\"recruiter\",\"level\":\"provincial\",\"parent\":$G}" | jq -r .id)
opens=$(date -d '-1 day' +%Y-%m-%dT00:00:00+08:00); closes=$(date -d '+10 day' +%Y-%m-%dT00:00:00+08:00)
# No photo required: the imported candidates have none (the check itself still runs, inside
# the query that loads the candidate).
E=$(post /api/v1/exams "{\"unit_id\":$G,\"code\":\"BENCH\",\"name\":\"基准考试\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"status\":\"published\",\"onsite_registration\":true,\"photo_required\":false,\"reg_opens_at\":\"$opens\",\"reg_closes_at\":\"$closes\",\"exam_date\":\"2027-03-01\",\"ref_date\":\"2027-01-01\"}" | jq -r .id)
{
	echo "考试,部门代码,职位代码,招考职位,考试类别,招考人数,学历"
	for i in $(seq 1 200); do echo "BENCH,40001,4$(printf %05d "$i"),职位$i,general,2,junior_college"; done
} >"$work/pos.csv"
curl -fsS "$BASE/api/v1/positions/import" -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary "@$work/pos.csv" >/dev/null
P0=$(curl -fsS "$BASE/api/v1/positions?limit=1" -H "Authorization: Bearer $A" | jq -r '.items[0].id')
U=$(post /api/v1/users '{"username":"onsite","display_name":"现场报名","password":"onsite-password-1"}' | jq -r .id)
ap=$(post "/api/v1/users/$U/roles" "{\"roles\":[{\"role\":\"agency_staff\",\"unit\":$G}]}" | jq -r .approval_id)
curl -fsS -X POST "$BASE/api/v1/approvals/$ap/approve" -H "Authorization: Bearer $A2" >/dev/null
export BENCH_TOKEN=$(tok onsite onsite-password-1) BENCH_EXAM=$E BENCH_POSITIONS=200 BENCH_POS0=$P0
N=${BENCH_CANDIDATES:-1000000}
"$KAOWU" generate candidates --count "$N" --seed 6 >"$work/cand.csv"
stop # the import holds the database's write lock: the server waits
echo "  candidates: $("$KAOWU" import registrations "$work/cand.csv" --db "$url" | tail -1)"
# The import's aftermath is not part of the figure: its WAL is checkpointed and the tables'
# statistics taken before the clients start (else PostgreSQL's checkpoint of the import's
# writes, spread over minutes, slows every commit's fsync of the first runs several-fold).
case $url in
postgresql:* | postgres:*) psql "$url" -qtAXc 'VACUUM ANALYZE' -c 'CHECKPOINT' >/dev/null ;;
*) sqlite3 "${url#sqlite:}" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null ;;
esac
start_again() {
	rm -f "$work/port"
	"$KAOWU" serve --db "$url" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>"$work/serve.log" &
	pid=$!
	for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
	BASE="http://127.0.0.1:$(cat "$work/port")"
}
start_again
next=1
submissions() { # submissions LABEL: RUNS runs, each on fresh candidates
	local label=$1
	: >"$work/runs"
	for i in $(seq "$RUNS"); do
		BENCH_FIRST=$next wrk -t1 -c"${C:-64}" -d"$DURATION" --latency -s bench/register.lua "$BASE" >"$work/wrk.$i"
		local rps p99 n bad
		rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")
		p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$i")
		n=$(awk '/requests in/ {print $1}' "$work/wrk.$i")
		bad=$(awk '/Non-2xx|Socket errors/' "$work/wrk.$i" | tr '\n' ' ')
		next=$((next + n + 1000))
		echo "$rps $p99" >>"$work/runs"
		echo "  $label run $i: $rps req/s, p99 $p99 $bad"
		[ -z "$bad" ] || echo "  WARNING: refused or failed requests above: this run is not a figure of submissions"
	done
	local m
	m=$(sort -n "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
	echo "RESULT $label: median ${m% *} req/s, p99 ${m#* } (nproc $(nproc), wrk -t1 -c${C:-64} -d$DURATION --latency)"
}
BENCH_FIRST=$((N - 20000)) wrk -t1 -c64 -d3s -s bench/register.lua "$BASE" >/dev/null # warm-up
# PostgreSQL: the registrations table's statistics once it has rows. Its statements are
# prepared per connection and the generic plan PostgreSQL keeps for them was made while the
# table was empty (a sequential scan), until autovacuum's ANALYZE a minute later replans
# them (bench/RESULTS.md, issue 6).
case $url in postgresql:* | postgres:*) psql "$url" -qtAXc 'ANALYZE registrations' >/dev/null ;; esac
submissions "registrations $(db_label)"
# BENCH_CURVE="8 16 32": the same at other numbers of clients in flight (latency against
# throughput: with a single writer, the mean wait is clients / throughput).
for C in ${BENCH_CURVE:-}; do submissions "registrations $(db_label), $C clients"; done
unset C
# The same while the public figures are read at 10,000 requests/s (20 connections).
# wrk paces by a delay per connection, so the rate asked for is set above 10,000 to land
# near it with the responses' own time; the figure reported is the rate measured.
export BENCH_PATH="/api/v1/public/exams/$E/statistics" BENCH_RATE=${BENCH_READ_RATE:-13000} BENCH_CONNS=${BENCH_READ_CONNS:-40}
runs_with_reads() {
	local label=$1
	: >"$work/runs"
	for i in $(seq "$RUNS"); do
		wrk -t1 -c"$BENCH_CONNS" -d"$DURATION" --latency -s bench/stats.lua "$BASE" >"$work/stats.$i" &
		local rp=$!
		BENCH_FIRST=$next wrk -t1 -c64 -d"$DURATION" --latency -s bench/register.lua "$BASE" >"$work/wrk.$i"
		wait $rp
		local rps p99 n bad
		rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")
		p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$i")
		n=$(awk '/requests in/ {print $1}' "$work/wrk.$i")
		bad=$(awk '/Non-2xx|Socket errors/' "$work/wrk.$i" | tr '\n' ' ')
		next=$((next + n + 1000))
		echo "$rps $p99" >>"$work/runs"
		echo "  $label run $i: $rps req/s, p99 $p99 $bad; figures read meanwhile: $(awk '/^Requests\/sec/ {print $2}' "$work/stats.$i") req/s, p99 $(awk '$1 == "99%" {print $2}' "$work/stats.$i") $(awk '/Non-2xx|Socket errors/' "$work/stats.$i" | tr '\n' ' ')"
	done
	local m
	m=$(sort -n "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
	echo "RESULT $label: median ${m% *} req/s, p99 ${m#* } (nproc $(nproc))"
}
runs_with_reads "registrations with 10k/s figure reads $(db_label)"
stop
echo "  registrations written: $(sqlite3 "${url#sqlite:}" 'SELECT COUNT(*) FROM registrations' 2>/dev/null || psql "$url" -qtAXc 'SELECT COUNT(*) FROM registrations')"
echo "  after the runs: $("$KAOWU" audit verify --db "$url" | tail -1)"
