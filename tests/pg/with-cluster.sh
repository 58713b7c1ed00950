#!/usr/bin/env bash
# tests/pg/with-cluster.sh CMD ARGS…
# Runs CMD with KW_TEST_PG_URL=postgresql://postgres@127.0.0.1:PORT/postgres pointing at a
# throwaway PostgreSQL 15 cluster: created in a mktemp directory (data, socket and log
# inside), listening on a free loopback port, fsync on; stopped and removed on every way
# out (success, failure, Ctrl-C). Exits with CMD's status.
# As root, initdb and the server run as the `postgres` user (they refuse root).
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 CMD [ARGS…]" >&2
	exit 2
fi
PGBIN=${KW_PG_BIN:-/usr/lib/postgresql/15/bin}
for b in initdb pg_ctl pg_isready; do
	[ -x "$PGBIN/$b" ] || { echo "with-cluster: $PGBIN/$b is missing: install postgresql-15 (make deps)" >&2; exit 1; }
done

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || { echo "with-cluster: running as root needs the 'postgres' user (Debian's postgresql package creates it)" >&2; exit 1; }
	as_pg=(runuser -u postgres --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/kw-pg.XXXXXX")
started=0
cleanup() {
	if [ "$started" = 1 ]; then
		"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}
child=""
# A signal: pass it on to CMD (as TERM: a background job ignores INT), wait, clean up.
on_signal() {
	trap - HUP INT TERM
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	exit "$1"
}
trap cleanup EXIT
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

if [ ${#as_pg[@]} -gt 0 ]; then
	chown postgres: "$dir"
	chmod o+x "$dir" # the postgres user must be able to enter it
	"${as_pg[@]}" test -w "$dir" || { echo "with-cluster: the postgres user cannot write to $dir (is ${TMPDIR:-/tmp} closed to it?)" >&2; exit 1; }
fi

"${as_pg[@]}" "$PGBIN/initdb" -D "$dir/data" -E UTF8 --locale=C --auth=trust -U postgres \
	>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; echo "with-cluster: initdb failed" >&2; exit 1; }

# A free port: ask the kernel for one when python3 is there, else try random ones; a port
# taken between the check and the start makes pg_ctl fail, and we try another.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + RANDOM % 40000))
}
for _ in 1 2 3 4 5; do
	port=$(free_port)
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		continue # something listens there
	fi
	if "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
		"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null 2>&1; then
		started=1
		break
	fi
	if ! grep -q 'could not bind\|Address already in use' "$dir/server.log" 2>/dev/null; then
		cat "$dir/server.log" >&2 2>/dev/null || true
		echo "with-cluster: the server did not start" >&2
		exit 1
	fi
done
[ "$started" = 1 ] || { echo "with-cluster: found no free port in 5 attempts" >&2; exit 1; }

# pg_ctl -w waited for the socket; wait for TCP too.
for _ in $(seq 1 100); do
	"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && break
	sleep 0.1
done
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres ||
	{ cat "$dir/server.log" >&2; echo "with-cluster: the server does not answer on 127.0.0.1:$port" >&2; exit 1; }

export KW_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
# For tests that stop and start the cluster they run on (tests/e2e/t0019-dbloss.sh).
export KW_TEST_PG_DIR="$dir" KW_TEST_PG_PORT="$port"
echo "with-cluster: PostgreSQL 15 at 127.0.0.1:$port (data, socket and log in $dir)" >&2

# In the background so that a signal reaches us at once; stdin stays CMD's.
rc=0
"$@" <&0 &
child=$!
wait "$child" || rc=$?
child=""
exit "$rc"
