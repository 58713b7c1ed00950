#!/usr/bin/env bash
# GET /api/v1/health with wrk, the environment contract's protocol: release build,
# database on local disk, wrk on the same machine, -t1 -c64 -d15s --latency, median of
# three runs. SQLite always; PostgreSQL with BENCH_PG=1 (a throwaway local cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
# PostgreSQL too: BENCH_PG=1 runs this script again inside a throwaway cluster.
if [ "${BENCH_PG:-0}" = 1 ] && [ -z "${KW_TEST_PG_URL:-}" ]; then
	exec tests/pg/with-cluster.sh bash "$0" "$@"
fi
KAOWU=${KAOWU:-build/kaowu}
DURATION=${DURATION:-15s}
RUNS=${RUNS:-3}
[ -x "$KAOWU" ] || { echo "build first: make build"; exit 1; }
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

bench_db() {
	local url=$1 label=$2
	"$KAOWU" init --db "$url" >/dev/null
	"$KAOWU" serve --db "$url" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>"$work/serve.log" &
	pid=$!
	for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
	local base="http://127.0.0.1:$(cat "$work/port")"
	curl -fsS "$base/api/v1/health" >/dev/null
	wrk -t1 -c64 -d3s "$base/api/v1/health" >/dev/null # warm-up
	: >"$work/runs"
	for i in $(seq "$RUNS"); do
		wrk -t1 -c64 -d"$DURATION" --latency "$base/api/v1/health" >"$work/wrk.$i"
		rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")
		p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$i")
		err=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.$i" | tr '\n' ' ')
		echo "$rps $p99 $err" >>"$work/runs"
		echo "  run $i: $rps req/s, p99 $p99 ${err}"
	done
	local med
	med=$(sort -n "$work/runs" | sed -n "$(( (RUNS + 1) / 2 ))p")
	echo "RESULT health $label: median $(echo "$med" | awk '{print $1}') req/s, p99 $(echo "$med" | awk '{print $2}') (nproc $(nproc), wrk -t1 -c64 -d$DURATION --latency)"
	kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
	rm -f "$work/port"
}

bench_db "sqlite:$work/bench.db" sqlite
if [ -n "${KW_TEST_PG_URL:-}" ]; then
	psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS kwbench" -c "CREATE DATABASE kwbench" >/dev/null
	bench_db "${KW_TEST_PG_URL%/*}/kwbench" postgresql
fi
