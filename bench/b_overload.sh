#!/usr/bin/env bash
# Overload (issue 5): writes offered at well over twice the measured write capacity, with
# reads running beside them. The bounded write queue answers the excess at once with 503
# and Retry-After; reads keep their p99; every acknowledged write is in the database.
#   1. capacity: durable audited writes/s, wrk -c64 (as b_identity.sh);
#   2. reads alone: GET /api/v1/centres?limit=20 (a database read), wrk -c16;
#   3. both at once: writes offered at OVER (default 2) times the capacity from CONNS
#      (default 2048) connections, each pacing itself (bench/units_count.lua's delay: a
#      connection sends, waits for its answer, waits CONNS/rate, so the answers' latency
#      lowers the rate actually offered — the figure printed is the one measured), and the
#      same reads;
#   4. the number of rows written ≥ the number of 201s counted by wrk; audit verify.
. "$(dirname "$0")/lib.sh"
url=$(bench_url)
"$KAOWU" init --db "$url" >/dev/null
"$KAOWU" demo --db "$url" --quiet >/dev/null
rm -f "$work/port"
"$KAOWU" serve --db "$url" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log \
	--write-queue "${QUEUE:-4096}" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$work/port")"
BENCH_TOKEN=$(curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' \
	--data "{\"username\":\"admin\",\"password\":\"$KAOWU_ADMIN_PASSWORD\"}" | jq -r .token)
export BENCH_TOKEN BENCH_PARENT=1
auth=(-H "Authorization: Bearer $BENCH_TOKEN")
reads="$BASE/api/v1/centres?limit=20"
wrk -t1 -c16 -d3s "${auth[@]}" "$reads" >/dev/null # warm-up

BENCH_RUN=cap wrk -t1 -c64 -d"$DURATION" --latency -s bench/units_count.lua "$BASE" >"$work/cap"
cap=$(awk '/^Requests\/sec/ {print $2}' "$work/cap")
echo "capacity: $cap durable audited writes/s ($(grep COUNTS "$work/cap"))"
wrk -t1 -c16 -d"$DURATION" --latency "${auth[@]}" "$reads" >"$work/idle"
echo "reads alone: $(awk '/^Requests\/sec/ {print $2}' "$work/idle") req/s, p99 $(awk '$1 == "99%" {print $2}' "$work/idle")"

rate=$(awk -v c="$cap" -v k="${OVER:-2}" 'BEGIN {printf "%d", c * k}')
conns=${CONNS:-2048}
BENCH_RUN=over BENCH_RATE=$rate BENCH_CONNS=$conns wrk -t1 -c"$conns" -d"$DURATION" --latency -s bench/units_count.lua "$BASE" >"$work/over" &
w=$!
sleep 1
wrk -t1 -c16 -d"$((${DURATION%s} - 2))s" --latency "${auth[@]}" "$reads" >"$work/busy"
wait "$w"
offered=$(awk '/^Requests\/sec/ {print $2}' "$work/over")
counts=$(grep COUNTS "$work/over")
okn=$(echo "$counts" | sed -E 's/.*ok=([0-9]+).*/\1/')
secs=${DURATION%s}
echo "overload: offered $offered writes/s ($(awk -v o="$offered" -v c="$cap" 'BEGIN {printf "%.1f", o / c}')× capacity), acknowledged $(awk -v n="$okn" -v s="$secs" 'BEGIN {printf "%.0f", n / s}')/s; $counts; write p99 $(awk '$1 == "99%" {print $2}' "$work/over")"
echo "reads under overload: $(awk '/^Requests\/sec/ {print $2}' "$work/busy") req/s, p99 $(awk '$1 == "99%" {print $2}' "$work/busy") (alone: $(awk '$1 == "99%" {print $2}' "$work/idle"))"
stop
if [ -n "${KW_TEST_PG_URL:-}" ]; then
	rows=$(psql "$url" -tAXc "SELECT COUNT(*) FROM units WHERE code LIKE 'over-%'")
else
	rows=$(sqlite3 "${url#sqlite:}" "SELECT COUNT(*) FROM units WHERE code LIKE 'over-%'")
fi
echo "acknowledged $okn, rows $rows: $([ "$rows" -ge "$okn" ] && echo "none lost" || echo "LOST $((okn - rows))")"
[ "$rows" -ge "$okn" ]
echo "  $("$KAOWU" audit verify --db "$url")"
