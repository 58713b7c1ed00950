#!/usr/bin/env bash
# The command line: help, version, clear errors and exit codes (0 ok, 1 failed, 2 usage),
# bad database URLs, and backup/restore.
. "$(dirname "$0")/lib.sh"

# run EXPECTED_EXIT CMD…: runs kaowu, keeps stdout/stderr in $WORK/out, $WORK/err.
run() {
	local want=$1 rc=0
	shift
	"$KAOWU" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" = "$want" ] || fail "kaowu $* exited $rc, expected $want; stderr: $(cat "$WORK/err")"
}
err_has() { grep -q -- "$1" "$WORK/err" || fail "stderr lacks '$1': $(cat "$WORK/err")"; }
out_has() { grep -q -- "$1" "$WORK/out" || fail "stdout lacks '$1': $(cat "$WORK/out")"; }

run 0 version
out_has '^kaowu [0-9]'
run 0 --version
run 0 help
for c in help version init serve backup restore; do
	out_has "^  $c "
done
for c in help version init serve backup restore; do
	run 0 "$c" --help
	out_has "kaowu $c"
done
run 0 help serve
out_has -- '--listen'
run 2
err_has 'kaowu COMMAND'
run 2 frobnicate
err_has 'frobnicate'
run 2 help frobnicate
run 2 version extra
run 2 init --bogus
err_has -- '--bogus'
env -u KAOWU_DB "$KAOWU" init >/dev/null 2>"$WORK/err" && fail "init without --db succeeded"
err_has -- '--db'
run 2 serve --db sqlite:x.db --listen nonsense
run 2 serve --db sqlite:x.db --threads 0
run 2 serve --db sqlite:x.db --max-body 12abc
run 2 backup --db sqlite:x.db
LANG=en_US.UTF-8 run 2 init --bogus
err_has 'unknown option'

# Wrong or unreachable databases: a clear message, exit 1, nothing created.
run 1 init --db mysql://localhost/kaowu
err_has 'DB_URL_INVALID\|数据库地址\|database URL'
run 1 init --db "sqlite:$WORK/no/such/dir/kw.db"
[ ! -e "$WORK/no" ] || fail "init created directories"
run 1 serve --db "sqlite:$WORK/absent.db" --listen 127.0.0.1:0
[ ! -e "$WORK/absent.db" ] || fail "serve created a database file"
start=$(date +%s)
run 1 init --db 'postgresql://kaowu:s3cret-pw@127.0.0.1:1/kaowu'
[ $(( $(date +%s) - start )) -lt 15 ] || fail "an unreachable PostgreSQL took too long to report"
! grep -q 's3cret-pw' "$WORK/err" || fail "the password reached the message"
err_has '127.0.0.1'
run 1 serve --db 'postgresql://kaowu@127.0.0.1:1/kaowu' --listen 127.0.0.1:0

# init is idempotent.
db_create
run 0 init --db "$DB_URL"
run 0 init --db "$DB_URL"
out_has 'up to date\|已是最新'

# A missing audit key is refused by name (the key is what lets verify see a cut tail).
run 1 serve --db "$DB_URL" --listen 127.0.0.1:0 --audit-key "$WORK/no-such.key"
err_has 'no-such.key'
run 2 serve --db "$DB_URL" --write-queue 0

# A port already in use.
server_start
port=${BASE##*:}
run 1 serve --db "$DB_URL" --listen "127.0.0.1:$port"
expect_healthy

if [ "$KW_TEST_DB" = sqlite ]; then
	# Online backup while the server runs, then restore into a new file.
	run 0 backup --db "$DB_URL" "$WORK/backup.db"
	[ -s "$WORK/backup.db" ] || fail "no backup written"
	run 1 backup --db "$DB_URL" "$WORK/backup.db"
	v=$(sqlite3 "$WORK/backup.db" 'SELECT max(version) FROM kw_schema')
	[ "$v" -ge 1 ] || fail "backup lacks the schema"
	server_stop
	run 0 restore --db "sqlite:$WORK/restored.db" "$WORK/backup.db"
	[ "$(sqlite3 "$WORK/restored.db" 'PRAGMA integrity_check')" = ok ] || fail "restored database is damaged"
	echo 'not a database' >"$WORK/junk.db"
	run 1 restore --db "sqlite:$WORK/restored.db" "$WORK/junk.db"
	[ "$(sqlite3 "$WORK/restored.db" 'SELECT max(version) FROM kw_schema')" = "$v" ] || fail "a failed restore changed the database"
	run 1 restore --db "sqlite:$WORK/restored.db" "$WORK/missing.db"
else
	run 1 backup --db "$DB_URL" "$WORK/backup.db"
	err_has 'operations.md'
	[ ! -e "$WORK/backup.db" ] || fail "a PostgreSQL backup file was written"
	server_stop
fi
echo "ok"
