#!/usr/bin/env bash
# Losing the database under load (issue 5): no acknowledged write is lost, the errors are
# clean, and the server recovers by itself.
#   pg:     the PostgreSQL server is stopped in the middle of a write load (on a cluster of
#           this test's own): writes and database reads get 503 DB_UNAVAILABLE while it is
#           gone, the server reconnects once it is back, and every 201 is in the database.
#   sqlite: the disk fills up (the database on a small tmpfs): writes get 507 DB_FULL and
#           write nothing, reads go on, the database stays intact (integrity_check, audit
#           verify), and writes succeed again once there is room.
if [ "${KW_TEST_DB:-}" = pg ] && [ -z "${KW_OWN_CLUSTER:-}" ]; then
	# Stopping the shared cluster would fail the tests running beside this one.
	exec "$KW_SRC/tests/pg/with-cluster.sh" env KW_OWN_CLUSTER=1 bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

if [ "$KW_TEST_DB" = sqlite ]; then
	mnt="$WORK/small"
	mkdir -p "$mnt"
	mount -t tmpfs -o size=3m tmpfs "$mnt" || fail "cannot mount a tmpfs (the disk-full test needs root)"
	umount_small() { umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true; }
	trap 'server_stop_quiet; umount_small; cleanup' EXIT
	DB_URL="sqlite:$mnt/kw.db"
fi
server_stop_quiet() { [ -n "${SERVER_PID:-}" ] && kill -KILL "$SERVER_PID" 2>/dev/null; true; }

server_start --no-access-log
login admin "$KAOWU_ADMIN_PASSWORD"
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
export BASE TOKEN root WORK
write() { # write CODE → STATUS, body in $WORK/body
	req POST /api/v1/units -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data "{\"code\":\"$1\",\"name\":\"$1\",\"kind\":\"centre\",\"level\":\"county\",\"parent\":$root}"
}

if [ "$KW_TEST_DB" = pg ]; then
	as_pg=()
	[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
	PGBIN=${KW_PG_BIN:-/usr/lib/postgresql/15/bin}
	start_load L 100000 "$WORK/acks"
	wait_acks "$WORK/acks" 200 || fail "fewer than 200 writes acknowledged in 20 s: $(sort -k2 "$WORK/acks" | awk '{print $2}' | uniq -c | tr "\n" " ")"
	"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$KW_TEST_PG_DIR/data" -m fast -w stop >/dev/null || fail "cannot stop PostgreSQL"
	wait_acks "$WORK/acks" 20 503 || fail "no 503 within 20 s of losing PostgreSQL: $(awk '{print $2}' "$WORK/acks" | sort | uniq -c | tr "\n" " ")"
	# While it is gone: clean 503s for writes, database reads and the health check.
	write GONE
	expect_error 503 DB_UNAVAILABLE
	req GET /api/v1/centres -H "Authorization: Bearer $TOKEN"
	expect_error 503 DB_UNAVAILABLE
	req GET /api/v1/health
	expect_status 503
	"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$KW_TEST_PG_DIR/data" -l "$KW_TEST_PG_DIR/server.log" -w -t 60 \
		-o "-p $KW_TEST_PG_PORT -k '$KW_TEST_PG_DIR' -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null ||
		fail "cannot start PostgreSQL again"
	# Back: the server reconnects by itself (no restart).
	n=$(grep -c ' 201$' "$WORK/acks" || true)
	wait_acks "$WORK/acks" $((n + 100)) || fail "no write succeeded within 20 s of PostgreSQL's return"
	touch "$WORK/stop"
	wait "$load" 2>/dev/null || true
	bad=$(grep -vE ' (201|503)$' "$WORK/acks" | head -3) || true
	[ -z "$bad" ] || fail "answers other than 201 and 503 under database loss: $bad"
	echo "PostgreSQL lost and back: $(grep -c ' 201$' "$WORK/acks") acknowledged, $(grep -c ' 503$' "$WORK/acks") refused with 503"
	acked_present L "$WORK/acks"
	req GET /api/v1/health
	expect_status 200
else
	# Fill the disk but for a little room, then write until it is full.
	dd if=/dev/zero of="$mnt/filler" bs=64k count=100000 2>/dev/null || true
	rm -f "$mnt/filler"
	dd if=/dev/zero of="$mnt/filler" bs=4k count=$(($(df -k --output=avail "$mnt" | tail -1) / 4 - 40)) 2>/dev/null || true
	full=""
	for i in $(seq 1 2000); do
		write "F$i"
		case "$STATUS" in
		201) echo "F$i 201" >>"$WORK/acks" ;;
		507) full=$i; break ;;
		*) fail "write $i: HTTP $STATUS $(head -c 300 "$WORK/body")" ;;
		esac
	done
	[ -n "$full" ] || fail "the disk never filled up"
	expect_error 507 DB_FULL
	# Nothing half-written; reads go on; more writes are refused the same way.
	req GET /api/v1/units -H "Authorization: Bearer $TOKEN"
	expect_status 200
	write "F-again"
	expect_error 507 DB_FULL
	echo "disk full after $((full - 1)) writes"
	rm -f "$mnt/filler"
	write "F-after"
	expect_status 201
	acked_present F "$WORK/acks"
	[ "$(db_query "SELECT COUNT(*) FROM units WHERE code = 'F$full'")" = 0 ] || fail "the refused write is in the database"
	[ "$(db_query "PRAGMA integrity_check")" = ok ] || fail "integrity_check failed"
fi
server_stop
audit_verify 0
echo ok
