#!/usr/bin/env bash
# GET /api/v1/health: the baseline. SQLite; BENCH_PG=1 for PostgreSQL.
. "$(dirname "$0")/lib.sh"
start "$(bench_url)"
curl -fsS "$BASE/api/v1/health" >/dev/null
wrk -t1 -c64 -d3s "$BASE/api/v1/health" >/dev/null # warm-up
runs "health $(db_label)" "$BASE/api/v1/health"
stop
