#!/usr/bin/env bash
# Ban look-ups against an integrity archive of 1,000,000 entries, alone and during
# registration load (issue 8; goal: look-up p99 < 1 ms inside the registration path).
#
# The archive is written by `kw_bench_bans gen` (bench/bans.c: reproducible from --seed,
# audited like any bulk write): civil-service bans and qualification records of people who
# are not among the registering candidates. The look-up measured is kw_archive_in_term —
# the function app/reg.c calls at every submission (REG-2, REG-5) — called by
# `kw_bench_bans lookup` in a loop on a connection of its own (SQLite: prepared per call as the
# server's pool does; PostgreSQL: the per-connection statement cache), 10% for people in the
# archive and 90% for registering candidates, each call timed with CLOCK_MONOTONIC. During
# load, bench/register.lua's on-site submissions (each one running the same look-up inside
# the server, then the durable audited write) run against the same database meanwhile.
# The figure is the call as registration makes it, not an HTTP round trip: the submission's
# own latency is wrk's (printed beside it). SQLite; BENCH_PG=1 for PostgreSQL.
#   BENCH_ENTRIES (1000000) BENCH_CANDIDATES (300000) BENCH_SEED (8) DURATION (15s) RUNS (3)
. "$(dirname "$0")/lib.sh"
BANS=${BANS:-$(dirname "$KAOWU")/kw_bench_bans}
[ -x "$BANS" ] || { echo "build kw_bench_bans first (cmake --build … --target kw_bench_bans)"; exit 1; }
ENTRIES=${BENCH_ENTRIES:-1000000}
N=${BENCH_CANDIDATES:-300000}
SEED=${BENCH_SEED:-8}
SECS=${DURATION%s}
url=$(bench_url)
export KAOWU_TEST_NOW= # the real clock: the window below is open now
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); nproc $(nproc)"
start "$url"
KAOWU_USER_PASSWORD=bench-admin2-pass "$KAOWU" user add --db "$url" --username admin2 --display-name 二 --role admin >/dev/null
tok() { curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' --data "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .token; }
A=$(tok admin "$KAOWU_ADMIN_PASSWORD"); A2=$(tok admin2 bench-admin2-pass)
post() { curl -fsS "$BASE$1" -H "Authorization: Bearer $A" -H 'Content-Type: application/json' --data "$2"; }
root=1
Q=$(post /api/v1/units "{\"code\":\"AH\",\"name\":\"省人社厅\",\"kind\":\"provincial_authority\",\"level\":\"provincial\",\"parent\":$root}" | jq -r .id)
G=$(post /api/v1/units "{\"code\":\"GWY\",\"name\":\"公务员局\",\"kind\":\"civil_service_authority\",\"level\":\"provincial\",\"parent\":$Q}" | jq -r .id)
post /api/v1/units "{\"code\":\"40001\",\"name\":\"招录机关\",\"kind\":\"recruiter\",\"level\":\"provincial\",\"parent\":$G}" >/dev/null
opens=$(date -d '-1 day' +%Y-%m-%dT00:00:00+08:00); closes=$(date -d '+10 day' +%Y-%m-%dT00:00:00+08:00)
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
"$KAOWU" generate candidates --count "$N" --seed 6 >"$work/cand.csv"
stop # the import and the archive's generation hold the write lock: the server waits
echo "  candidates: $("$KAOWU" import registrations "$work/cand.csv" --db "$url" | tail -1)"
echo "  archive: $("$BANS" gen --db "$url" --count "$ENTRIES" --seed "$SEED" --cs-unit "$G" --q-unit "$Q")"
case $url in
postgresql:* | postgres:*) psql "$url" -qtAXc 'VACUUM ANALYZE' -c 'CHECKPOINT' >/dev/null ;;
*) sqlite3 "${url#sqlite:}" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null ;;
esac
# The look-up's plan on this database (the statement of app/archive.c with one person's number).
one=$(case $url in postgresql:* | postgres:*) psql "$url" -qtAXc 'SELECT id_number FROM archive_entries LIMIT 1' ;; *) sqlite3 "${url#sqlite:}" 'SELECT id_number FROM archive_entries LIMIT 1' ;; esac)
q="SELECT COALESCE(SUM(CASE WHEN (a.kind = 'civil_service' AND a.effect = 'ban') THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN a.kind = 'qualification' THEN 1 ELSE 0 END), 0) FROM archive_entries a WHERE a.id_number = '$one' AND a.id_type = 'resident_id' AND (a.term_start <= '$(date +%F)' AND (a.lifetime = 1 OR a.term_end >= '$(date +%F)') AND a.revoked_at IS NULL)"
echo "  plan of the look-up:"
case $url in
postgresql:* | postgres:*) psql "$url" -qtAXc "EXPLAIN $q" | sed 's/^/    /' ;;
*) sqlite3 "${url#sqlite:}" "EXPLAIN QUERY PLAN $q" | sed 's/^/    /' ;;
esac
rm -f "$work/port"
"$KAOWU" serve --db "$url" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$work/port")"
BENCH_FIRST=$((N - 20000)) wrk -t1 -c64 -d3s -s bench/register.lua "$BASE" >/dev/null # warm-up
case $url in postgresql:* | postgres:*) psql "$url" -qtAXc 'ANALYZE registrations' >/dev/null ;; esac

lookup() { "$BANS" lookup --db "$url" --seconds "$1" --seed "$SEED" --count "$ENTRIES" --candidates "$N" --hits 10; }
# median LABEL FILE: the median of the runs' rates and of their p99s (each sorted alone).
median() {
	local rate p99
	rate=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /\/s;$/) {sub(/\/s;/, "", $i); print $i}}' "$2" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
	p99=$(awk '{for (i = 1; i <= NF; i++) if ($i == "p99") print $(i + 1)}' "$2" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
	echo "RESULT $1: median $rate look-ups/s, p99 $p99 µs (nproc $(nproc), $RUNS runs of $DURATION, $ENTRIES entries, 10% in the archive)"
}
: >"$work/alone"
for i in $(seq "$RUNS"); do
	lookup "$SECS" | tee -a "$work/alone" | sed "s/^/  alone run $i (load $(cut -d' ' -f1 /proc/loadavg)): /"
done
median "ban look-ups alone $(db_label)" "$work/alone"
next=1
: >"$work/loaded"
for i in $(seq "$RUNS"); do
	BENCH_FIRST=$next wrk -t1 -c64 -d"$DURATION" --latency -s bench/register.lua "$BASE" >"$work/wrk.$i" &
	w=$!
	sleep 0.5 # the submissions under way first, and still under way at the end
	lookup "$((SECS - 1))" >>"$work/loaded"
	wait $w
	n=$(awk '/requests in/ {print $1}' "$work/wrk.$i")
	next=$((next + n + 1000))
	echo "  during load run $i (load $(cut -d' ' -f1 /proc/loadavg)): $(tail -1 "$work/loaded"); submissions meanwhile: $(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")/s, p99 $(awk '$1 == "99%" {print $2}' "$work/wrk.$i") $(awk '/Non-2xx|Socket errors/' "$work/wrk.$i" | tr '\n' ' ')"
done
median "ban look-ups during registration load $(db_label)" "$work/loaded"
stop
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
# The sharing ledger at this scale (INF-5(5)), after the figures above since it writes: the
# first sweep (an "added" row for each of the entries, a "term_ended" row for each ended
# term), the next one (nothing new: the cost a list or an export pays each time), and
# kw_archive_changed as a violation case calls it inside its own write.
"$BANS" sweep --db "$url" --day "$(TZ=Asia/Shanghai date +%F)" --count "$ENTRIES" --seed "$SEED" | sed 's/^/  /'
echo "  after the runs: $("$KAOWU" audit verify --db "$url" | tail -1)"
