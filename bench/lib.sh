# Shared by the bench scripts (sourced). The environment contract's protocol: release
# build, database on local disk, wrk on the same machine, -t1 -c64 -d15s --latency,
# median of three runs. BENCH_PG=1 re-runs the calling script inside a throwaway
# PostgreSQL cluster (tests/pg/with-cluster.sh); otherwise the database is SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
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
export KAOWU_ADMIN_PASSWORD=bench-admin-pass KAOWU_AUDIT_KEY="$work/audit.key"

# bench_url: a fresh database of the run's kind.
bench_url() {
	if [ -n "${KW_TEST_PG_URL:-}" ]; then
		psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS kwbench" -c "CREATE DATABASE kwbench" >/dev/null
		echo "${KW_TEST_PG_URL%/*}/kwbench"
	else
		echo "sqlite:$work/bench.db"
	fi
}

# start URL: init + serve; sets BASE and pid.
start() {
	"$KAOWU" init --db "$1" >/dev/null
	rm -f "$work/port"
	"$KAOWU" serve --db "$1" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>"$work/serve.log" &
	pid=$!
	for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
	BASE="http://127.0.0.1:$(cat "$work/port")"
}

stop() {
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
}

# runs LABEL WRK-ARGS…: RUNS wrk runs; prints each and the median (by requests/s).
runs() {
	local label=$1
	shift
	: >"$work/runs"
	for i in $(seq "$RUNS"); do
		BENCH_RUN="r$i$RANDOM" wrk -t1 -c64 -d"$DURATION" --latency "$@" >"$work/wrk.$i"
		local rps p99 bad
		rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")
		p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$i")
		bad=$(awk '/Non-2xx|Socket errors/' "$work/wrk.$i" | tr '\n' ' ')
		echo "$rps $p99" >>"$work/runs"
		echo "  $label run $i: $rps req/s, p99 $p99 $bad"
	done
	local m
	m=$(sort -n "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
	echo "RESULT $label: median ${m% *} req/s, p99 ${m#* } (nproc $(nproc), wrk -t1 -c64 -d$DURATION --latency)"
}

db_label() { [ -n "${KW_TEST_PG_URL:-}" ] && echo postgresql || echo sqlite; }
