#!/usr/bin/env bash
# tests/pg/with-cluster.sh CMD ARGS…
# Creates a throwaway PostgreSQL 15 cluster in a temporary directory, listening on a free
# loopback port; runs CMD with KW_TEST_PG_URL=postgresql://postgres@127.0.0.1:PORT/postgres;
# stops and removes the cluster on every way out; exits with CMD's status.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "with-cluster: PostgreSQL 15 is not installed (make deps)" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/kw-pg.XXXXXX")
chmod 0755 "$dir"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	# initdb and postgres refuse to run as root: run them as the package's postgres user.
	chown postgres "$dir"
	as_pg=(runuser -u postgres --)
fi
started=0
cleanup() {
	local rc=$?
	if [ $started -eq 1 ]; then
		"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	exit $rc
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
	echo $((20000 + RANDOM % 20000)))
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -E UTF8 --locale=C.UTF-8 --auth=trust -U postgres >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
	-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null ||
	{ cat "$dir/server.log" >&2; exit 1; }
started=1
export KW_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at 127.0.0.1:$port in $dir"
set +e
"$@"
rc=$?
set -e
exit $rc
