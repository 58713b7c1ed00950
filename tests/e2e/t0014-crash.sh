#!/usr/bin/env bash
# Crash safety: kaowu serve killed with SIGKILL in the middle of a concurrent write load.
# After a restart every acknowledged write (201) is present, nothing is half-written
# (every unit has its audit record and the chain verifies), and the server serves again.
. "$(dirname "$0")/lib.sh"
server_start --no-access-log
login admin "$KAOWU_ADMIN_PASSWORD"
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
export BASE TOKEN root WORK

# Let some writes be acknowledged, then kill the server without warning.
start_load K 5000 "$WORK/acks"
wait_acks "$WORK/acks" 200
kill -KILL "$SERVER_PID"
touch "$WORK/stop"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
wait "$load" 2>/dev/null || true
acked=$(grep -c ' 201$' "$WORK/acks" || true)
[ "$acked" -ge 200 ] || fail "only $acked writes acknowledged before the kill"

# Restart (pending migrations, if any, and the writer's chain head come from the database).
server_start --no-access-log
awk '$2 == 201 {print $1}' "$WORK/acks" | sort >"$WORK/acked"
db_query "SELECT code FROM units WHERE code LIKE 'K%'" | sort >"$WORK/present"
missing=$(comm -23 "$WORK/acked" "$WORK/present" | wc -l)
[ "$missing" = 0 ] || fail "$missing of $acked acknowledged writes are missing after the crash: $(comm -23 "$WORK/acked" "$WORK/present" | head -5 | tr '\n' ' ')"
units=$(db_query "SELECT count(*) FROM units WHERE code LIKE 'K%'")
records=$(db_query "SELECT count(*) FROM audit_log WHERE action = 'unit.create' AND entity = 'units'")
echo "acknowledged $acked, present $units (some committed before their answer was sent), audit records $records"
[ "$units" -ge "$acked" ] || fail "fewer rows than acknowledgements"
# The server works after the crash, and continues the same chain.
login admin "$KAOWU_ADMIN_PASSWORD"
req POST /api/v1/units -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	--data "{\"code\":\"AFTER\",\"name\":\"恢复后\",\"kind\":\"centre\",\"level\":\"county\",\"parent\":$root}"
expect_status 201

# SIGTERM in the middle of a load: the writes in flight finish and are answered, later ones
# get 503 or a closed connection, the server exits 0, and every acknowledged write is there.
start_load T 3000 "$WORK/acks2"
wait_acks "$WORK/acks2" 100
kill -TERM "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=""
touch "$WORK/stop"
wait "$load" 2>/dev/null || true
[ "$rc" = 0 ] || fail "kaowu serve exited $rc on SIGTERM under load"
grep -vE ' (201|503|000)$' "$WORK/acks2" | head -3 | grep -q . && fail "unexpected statuses: $(grep -vE ' (201|503|000)$' "$WORK/acks2" | head -3)"
awk '$2 == 201 {print $1}' "$WORK/acks2" | sort >"$WORK/acked2"
db_query "SELECT code FROM units WHERE code LIKE 'T%'" | sort >"$WORK/present2"
[ "$(comm -23 "$WORK/acked2" "$WORK/present2" | wc -l)" = 0 ] || fail "acknowledged writes missing after SIGTERM"
echo "SIGTERM under load: acknowledged $(wc -l <"$WORK/acked2"), present $(wc -l <"$WORK/present2")"
audit_verify 0
echo "ok"
