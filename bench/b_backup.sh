#!/usr/bin/env bash
# Backing up a live SQLite database under a write load (issue 5), and the CSV import that
# fills it (the national scale of rooms: ROOMS, default 200,000, in files of 100,000 rows).
#   1. import ROOMS rooms through POST /api/v1/rooms/import (all-or-nothing, one audit batch
#      record a file): rows/s;
#   2. durable audited writes/s alone (wrk -c64, bench/units.lua);
#   3. the same writes while `kaowu backup` copies the live database three times: each
#      copy's time and size, the writes/s meanwhile;
#   4. each copy: PRAGMA integrity_check, and `kaowu restore` accepts it.
# PostgreSQL is backed up with its own tools (docs/operations.md): nothing to measure here.
. "$(dirname "$0")/lib.sh"
if [ -n "${KW_TEST_PG_URL:-}" ]; then
	echo "RESULT backup: PostgreSQL is backed up with pg_dump / pg_basebackup (docs/operations.md)"
	exit 0
fi
ROOMS=${ROOMS:-200000}
url=$(bench_url)
db=${url#sqlite:}
"$KAOWU" init --db "$url" >/dev/null
start "$url"
TOKEN=$(curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' \
	--data "{\"username\":\"admin\",\"password\":\"$KAOWU_ADMIN_PASSWORD\"}" | jq -r .token)
auth=(-H "Authorization: Bearer $TOKEN")
curl -fsS "${auth[@]}" -H 'Content-Type: application/json' "$BASE/api/v1/centres" \
	--data '{"unit_id":1,"code":"BIG","name":"基准考点","address":"x","admin_level":"prefecture","kind":"standard"}' >/dev/null
t0=$(date +%s.%N)
for ((part = 0; part * 100000 < ROOMS; part++)); do
	n=$((ROOMS - part * 100000 < 100000 ? ROOMS - part * 100000 : 100000))
	awk -v p="$part" -v n="$n" 'BEGIN {print "centre_code,code,seats,mode,video,floor";
		for (i = 1; i <= n; i++) printf "BIG,%d-%06d,30,paper,1,%d\n", p, i, 1 + i % 20}' >"$work/rooms.csv"
	curl -fsS "${auth[@]}" -H 'Content-Type: text/csv' --data-binary "@$work/rooms.csv" \
		"$BASE/api/v1/rooms/import" >"$work/import.json" || { cat "$work/import.json"; exit 1; }
done
t1=$(date +%s.%N)
echo "RESULT import: $ROOMS rooms in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s = $(awk -v a="$t0" -v b="$t1" -v n="$ROOMS" 'BEGIN {printf "%.0f", n / (b - a)}') rows/s (files of 100,000 rows, each one transaction and one audit record)"
echo "  database: $(du -ch "$db"* | tail -1 | cut -f1) with its WAL"

export BENCH_TOKEN=$TOKEN BENCH_PARENT=1
BENCH_RUN=alone wrk -t1 -c64 -d"$DURATION" --latency -s bench/units.lua "$BASE" >"$work/alone"
echo "RESULT writes alone: $(awk '/^Requests\/sec/ {print $2}' "$work/alone")/s, p99 $(awk '$1 == "99%" {print $2}' "$work/alone")"
BENCH_RUN=during wrk -t1 -c64 -d"$DURATION" --latency -s bench/units.lua "$BASE" >"$work/during" &
w=$!
sleep 1
for i in 1 2 3; do
	b0=$(date +%s.%N)
	"$KAOWU" backup --db "$url" "$work/copy$i.db" >/dev/null
	b1=$(date +%s.%N)
	echo "  backup $i under load: $(awk -v a="$b0" -v b="$b1" 'BEGIN {printf "%.2f", b - a}') s, $(du -h "$work/copy$i.db" | cut -f1)"
done
wait "$w"
echo "RESULT writes during the backups: $(awk '/^Requests\/sec/ {print $2}' "$work/during")/s, p99 $(awk '$1 == "99%" {print $2}' "$work/during")"
stop
for i in 1 2 3; do
	ok=$(sqlite3 "$work/copy$i.db" 'PRAGMA integrity_check')
	"$KAOWU" restore --db "sqlite:$work/restored$i.db" "$work/copy$i.db" >/dev/null 2>&1 && r=accepted || r=REFUSED
	echo "  copy $i: integrity_check $ok, $(sqlite3 "$work/copy$i.db" "SELECT COUNT(*) FROM units WHERE code LIKE 'during-%'") units written during the run, restore $r"
	[ "$ok" = ok ] && [ "$r" = accepted ]
done
echo "  $("$KAOWU" audit verify --db "$url")"
