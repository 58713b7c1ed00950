#!/usr/bin/env bash
# kaowu import registrations at national scale (issue 6): ROWS synthetic candidates
# (default 3,000,000; kaowu generate candidates), each registering for one of 500 positions
# of a civil-service exam, imported in one all-or-nothing transaction with batch audits;
# wall time, rows/s and peak memory (at 1/10 of the rows too, to show it is flat); then
# kaowu export registrations (CSV) of the same, and kaowu audit verify. SQLite; BENCH_PG=1
# for PostgreSQL.
. "$(dirname "$0")/lib.sh"
url=$(bench_url)
ROWS=${ROWS:-3000000}
start "$url"
A=$(curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' --data "{\"username\":\"admin\",\"password\":\"$KAOWU_ADMIN_PASSWORD\"}" | jq -r .token)
post() { curl -fsS "$BASE$1" -H "Authorization: Bearer $A" -H 'Content-Type: application/json' --data "$2"; }
G=$(post /api/v1/units '{"code":"GWY","name":"公务员局","kind":"civil_service_authority","level":"provincial","parent":1}' | jq -r .id)
post /api/v1/units "{\"code\":\"50001\",\"name\":\"招录机关\",\"kind\":\"recruiter\",\"level\":\"provincial\",\"parent\":$G}" >/dev/null
post /api/v1/exams "{\"unit_id\":$G,\"code\":\"NATIONAL\",\"name\":\"全国规模导入\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027}" >/dev/null
{
	echo "考试,部门代码,职位代码,招考职位,考试类别,招考人数"
	for i in $(seq 1 500); do echo "NATIONAL,50001,5$(printf %05d "$i"),职位$i,general,3"; done
} >"$work/pos.csv"
curl -fsS "$BASE/api/v1/positions/import" -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary "@$work/pos.csv" >/dev/null
stop
positions=$(seq -f '5%05g' 1 500 | paste -sd,)
measure() { # measure ROWS FIRST: generate, import (timed, peak memory)
	/usr/bin/time -f '%e s' "$KAOWU" generate candidates --count "$1" --first "$2" --seed 11 --exam NATIONAL --positions "$positions" --states >"$work/rows.csv" 2>"$work/gen.time"
	echo "  generated $1 rows ($(du -h "$work/rows.csv" | cut -f1)) in $(cat "$work/gen.time")"
	/usr/bin/time -f '%e %M' "$KAOWU" import registrations "$work/rows.csv" --db "$url" >"$work/imp.out" 2>"$work/imp.time"
	read -r secs kb < <(tail -1 "$work/imp.time")
	echo "RESULT import $1 rows $(db_label): $(awk -v n="$1" -v s="$secs" 'BEGIN {printf "%.0f rows/s (%.1f s)", n / s, s}'), peak RSS $((kb / 1024)) MiB (nproc $(nproc))"
}
echo "  load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (nproc $(nproc))"
measure $((ROWS / 10)) 0
measure "$ROWS" $((ROWS / 10))
/usr/bin/time -f '%e' "$KAOWU" export registrations --db "$url" --exam NATIONAL --out "$work/out.csv" 2>"$work/exp.time" >/dev/null
echo "RESULT export $(($(wc -l <"$work/out.csv") - 1)) rows $(db_label) (CSV): $(tail -1 "$work/exp.time") s"
/usr/bin/time -f '%e' "$KAOWU" audit verify --db "$url" >"$work/verify.out" 2>"$work/verify.time"
echo "  audit verify: $(tail -1 "$work/verify.out") in $(tail -1 "$work/verify.time") s"
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
