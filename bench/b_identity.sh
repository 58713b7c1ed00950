#!/usr/bin/env bash
# Authenticated reads (GET /api/v1/me with a Bearer token) and durable audited writes
# (POST /api/v1/units: a row and its hash-chained audit record, acknowledged after the
# group commit is on disk). SQLite; BENCH_PG=1 for PostgreSQL (synchronous_commit on).
. "$(dirname "$0")/lib.sh"
url=$(bench_url)
start "$url"
BENCH_TOKEN=$(curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' \
	--data "{\"username\":\"admin\",\"password\":\"$KAOWU_ADMIN_PASSWORD\"}" | jq -r .token)
export BENCH_TOKEN BENCH_PARENT=1
wrk -t1 -c64 -d3s -H "Authorization: Bearer $BENCH_TOKEN" "$BASE/api/v1/me" >/dev/null # warm-up
runs "me $(db_label)" -H "Authorization: Bearer $BENCH_TOKEN" "$BASE/api/v1/me"
runs "writes $(db_label)" -s bench/units.lua "$BASE"
stop
echo "  after the runs: $("$KAOWU" audit verify --db "$url")"
