# Shared by the e2e scripts: a fresh database of the run's kind (KW_TEST_DB=sqlite|pg),
# the real `kaowu serve` on a free loopback port, curl helpers and assertions.
# Sourced; every failure ends the test with a message and a non-zero exit.
set -euo pipefail

: "${KAOWU:?KAOWU must name the kaowu binary}"
KW_TEST_DB=${KW_TEST_DB:-sqlite}
KW_SRC=${KW_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kw-e2e.XXXXXX")
SERVER_PID=""
PG_DB=""
DB_URL=""
BASE=""
TEST_NAME=$(basename "$0" .sh)
export LANG=C.UTF-8
export KAOWU_AUDIT_KEY="$WORK/audit.key"  # PostgreSQL's default key path (SQLite's sits beside the file)
export KAOWU_ADMIN_PASSWORD=admin-pass-for-tests
# Test builds hash passwords with argon2id's minimum limits when asked (src/app/identity.h):
# hundreds of sign-ups and logins would otherwise spend minutes in the hash. t0008-session
# unsets it and checks that the real limits are used.
export KAOWU_TEST_FAST_PWHASH=1
# jq is gojq (Debian package gojq, installed by make deps): the same filter language, but jq 1.6
# compiles its builtins at every start — ~25 ms of CPU a call on the CI machine, and a suite
# makes over ten thousand calls. Differences that matter here: gojq prints an object's keys
# sorted, and its regular expressions are Go's (RE2: no look-around).
command -v gojq >/dev/null || { echo "gojq is missing (make deps installs it)" >&2; exit 1; }
jq() { gojq "$@"; }

fail() {
	echo "FAIL [$TEST_NAME/$KW_TEST_DB]: $*" >&2
	if [ -f "$WORK/server.log" ]; then
		echo "--- server log (last 30 lines) ---" >&2
		tail -n 30 "$WORK/server.log" >&2
	fi
	exit 1
}

cleanup() {
	local rc=$?
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [ -n "$PG_DB" ]; then
		psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
	fi
	[ -n "${KW_KEEP:-}" ] || rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT

# db_create: sets DB_URL to a new, empty database (not yet initialised).
db_create() {
	case "$KW_TEST_DB" in
	sqlite) DB_URL="sqlite:$WORK/kw.db" ;;
	pg)
		[ -n "${KW_TEST_PG_URL:-}" ] || fail "KW_TEST_PG_URL is not set: run under tests/pg/with-cluster.sh (PostgreSQL is never skipped)"
		PG_DB="kwe_$$_${RANDOM}${RANDOM}"
		psql "$KW_TEST_PG_URL" -qXc "CREATE DATABASE $PG_DB" >/dev/null || fail "cannot create database $PG_DB"
		DB_URL="${KW_TEST_PG_URL%/*}/$PG_DB"
		;;
	*) fail "KW_TEST_DB must be sqlite or pg" ;;
	esac
}

# server_start [extra serve options]: init + serve; sets BASE. Without a database chosen
# (DB_URL empty), the new one is a copy of what `kaowu init` left in a template database
# (db_from_template); a test that chose its own runs `kaowu init` on it.
server_start() {
	if [ -n "$DB_URL" ]; then
		"$KAOWU" init --db "$DB_URL" >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log" >&2; fail "kaowu init failed"; }
	else
		db_from_template
	fi
	: >"$WORK/server.log"
	serve_bg start "$@"
}

# db_from_template: sets DB_URL to a new database in the state `kaowu init` leaves — the
# administrator (KAOWU_ADMIN_PASSWORD), the root unit, the audit trail's first records and
# its key (with the signed head) in the test's directory. `kaowu init` runs once per binary,
# database kind and PostgreSQL cluster, under a lock, into a template (SQLite: a file copied;
# PostgreSQL: CREATE DATABASE … TEMPLATE): it runs every migration, some 4 s on PostgreSQL,
# which each of the hundred-odd e2e runs would otherwise spend.
# old_templates DIR: removes this kind's templates made more than two hours ago (by an
# earlier binary: the key changes with each build).
old_templates() {
	find "$1" -maxdepth 1 -name "$KW_TEST_DB-*" -mmin +120 -exec rm -rf {} + 2>/dev/null || true
}

db_from_template() {
	local dir=${KW_E2E_TEMPLATES:-$(dirname "$KAOWU")/e2e-templates} key t
	mkdir -p "$dir"
	key=$({
		stat -L -c '%s %Y %i' "$KAOWU"
		echo "$KW_TEST_DB ${KW_TEST_PG_URL:-} $KAOWU_ADMIN_PASSWORD ${KAOWU_TEST_FAST_PWHASH:-}"
	} | sha256sum)
	key=${key:0:16}
	t="$dir/$KW_TEST_DB-$key"
	case "$KW_TEST_DB" in
	sqlite)
		(
			flock 9
			if [ ! -d "$t" ]; then
				old_templates "$dir" && rm -rf "$t.new" && mkdir "$t.new" &&
					"$KAOWU" init --db "sqlite:$t.new/kw.db" >"$t.new/init.log" 2>&1 && mv "$t.new" "$t"
			fi
		) 9>"$dir/$KW_TEST_DB.lock" || fail "kaowu init of the template failed: $(cat "$t.new/init.log" 2>/dev/null)"
		cp -p "$t"/kw.db* "$WORK/"
		DB_URL="sqlite:$WORK/kw.db"
		;;
	pg)
		[ -n "${KW_TEST_PG_URL:-}" ] || fail "KW_TEST_PG_URL is not set: run under tests/pg/with-cluster.sh (PostgreSQL is never skipped)"
		local tdb="kwtpl_$key"
		(
			flock 9
			if [ ! -d "$t" ]; then
				old_templates "$dir" && rm -rf "$t.new" && mkdir "$t.new" &&
					psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS $tdb" -c "CREATE DATABASE $tdb" >/dev/null &&
					KAOWU_AUDIT_KEY="$t.new/audit.key" "$KAOWU" init --db "${KW_TEST_PG_URL%/*}/$tdb" >"$t.new/init.log" 2>&1 &&
					mv "$t.new" "$t"
			fi
		) 9>"$dir/$KW_TEST_DB.lock" || fail "kaowu init of the template failed: $(cat "$t.new/init.log" 2>/dev/null)"
		PG_DB="kwe_$$_${RANDOM}${RANDOM}"
		psql "$KW_TEST_PG_URL" -qXc "CREATE DATABASE $PG_DB TEMPLATE $tdb" >/dev/null || fail "cannot create database $PG_DB from $tdb"
		DB_URL="${KW_TEST_PG_URL%/*}/$PG_DB"
		cp -p "$t/audit.key" "$t/audit.key.head" "$WORK/"
		;;
	*) fail "KW_TEST_DB must be sqlite or pg" ;;
	esac
}

# serve_bg WHAT [serve options…]: kaowu serve on $DB_URL in the background, appending to
# $WORK/server.log; sets SERVER_PID and BASE once it listens (fails the test otherwise).
serve_bg() {
	local what=$1 i
	shift
	rm -f "$WORK/port"
	"$KAOWU" serve --db "$DB_URL" --listen 127.0.0.1:0 --port-file "$WORK/port" \
		--web "$KW_SRC/web" "$@" >>"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	for i in $(seq 1 200); do
		[ -s "$WORK/port" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || fail "kaowu serve exited at $what"
		sleep 0.05
	done
	[ -s "$WORK/port" ] || fail "kaowu serve did not $what in 10 s"
	BASE="http://127.0.0.1:$(cat "$WORK/port")"
}

# server_restart_at TIME: the same database served again with the test clock at TIME
# (RFC 3339, KAOWU_TEST_NOW); sessions may have expired by then, so log in again.
server_restart_at() {
	server_stop
	export KAOWU_TEST_NOW=$1
	serve_bg restart
}

# server_stop: SIGTERM and wait; fails if the server did not exit cleanly.
server_stop() {
	kill -TERM "$SERVER_PID"
	local rc=0
	wait "$SERVER_PID" || rc=$?
	SERVER_PID=""
	[ "$rc" -eq 0 ] || fail "kaowu serve exited with $rc after SIGTERM"
}

# req METHOD PATH [curl options…]: sets STATUS; the body is in $WORK/body, headers in $WORK/headers.
# $KW_HTTP (ctest sets it: the build's kwhttp, curl's options without curl's start-up cost)
# sends it when there is one, else curl.
req() {
	local method=$1 path=$2
	local how=(-X "$method")
	shift 2
	[ "$method" = HEAD ] && how=(-I)
	STATUS=$("${KW_HTTP:-curl}" -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "${how[@]}" "$@" "$BASE$path") ||
		fail "${KW_HTTP:-curl} $method $path failed"
}

body() { cat "$WORK/body"; }
# header NAME: the first value of that response header (bash alone: tests call this often).
header() {
	local want=${1,,} line name
	while IFS= read -r line; do
		line=${line%$'\r'}
		name=${line%%:*}
		if [ "$name" != "$line" ] && [ "${name,,}" = "$want" ]; then
			line=${line#*:}
			printf '%s\n' "${line#"${line%%[! ]*}"}"
			return 0
		fi
	done <"$WORK/headers"
	return 0
}

expect_status() {
	[ "$STATUS" = "$1" ] || fail "expected HTTP $1, got $STATUS: $(head -c 500 "$WORK/body")"
}

# expect_json JQ_FILTER EXPECTED: the filter's raw output must equal EXPECTED.
expect_json() {
	local got
	got=$(jq -r "$1" "$WORK/body" 2>/dev/null) || fail "body is not JSON: $(head -c 300 "$WORK/body")"
	[ "$got" = "$2" ] || fail "$1: expected '$2', got '$got'"
}

# expect_error STATUS CODE: the error shape of ARCHITECTURE.md with that code.
expect_error() {
	expect_status "$1"
	local got # one jq for the whole shape: this runs hundreds of times a suite
	got=$(jq -r '(.error // {}) | "\(.code) \(has("message") and has("rule") and has("details")) \((.message // "") | length > 0)"' \
		"$WORK/body" 2>/dev/null) || fail "body is not JSON: $(head -c 300 "$WORK/body")"
	[ "${got%% *}" = "$2" ] || fail ".error.code: expected '$2', got '${got%% *}'"
	[ "${got#* }" = "true true" ] || fail "the error lacks message, rule or details: $(head -c 300 "$WORK/body")"
	[ -n "$(header X-Request-Id)" ] || fail "no X-Request-Id on an error"
	case "$(header Content-Type)" in application/json*) ;; *) fail "error is not JSON: $(header Content-Type)" ;; esac
}

expect_header() {
	local got
	got=$(header "$1")
	[ "$got" = "$2" ] || fail "header $1: expected '$2', got '$got'"
}

# db_query SQL: runs SQL on the test database behind the program's back (tests of tampering).
db_query() {
	case "$KW_TEST_DB" in
	sqlite) sqlite3 -batch "${DB_URL#sqlite:}" "$1" ;;
	pg) psql "$DB_URL" -qtAX -c "$1" ;;
	esac
}

# login USER PASSWORD: sets TOKEN and CSRF (fails the test unless 201).
login() {
	req POST /api/v1/session -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg u "$1" --arg p "$2" '{username:$u,password:$p}')"
	expect_status 201
	read -r TOKEN CSRF < <(jq -r '"\(.token) \(.csrf_token)"' "$WORK/body")
}

# audit_verify EXPECTED_EXIT: runs kaowu audit verify; its stderr is in $WORK/verify.err.
audit_verify() {
	local rc=0
	"$KAOWU" audit verify --db "$DB_URL" >"$WORK/verify.out" 2>"$WORK/verify.err" || rc=$?
	[ "$rc" = "$1" ] || fail "audit verify exited $rc, expected $1: $(cat "$WORK/verify.out" "$WORK/verify.err")"
}

expect_healthy() {
	req GET /api/v1/health
	expect_status 200
	expect_json .status ok
}

# start_load PREFIX N FILE: N unit writes under the root unit, 16 at a time, in the
# background (pid in $load); each writes "CODE STATUS" to FILE; they stop starting once
# $WORK/stop exists. Needs BASE, TOKEN and root exported.
start_load() {
	rm -f "$WORK/stop"
	# 16 workers, worker w writing items w+1, w+17, …; each stops within one request of
	# $WORK/stop appearing (no queue of items left to drain).
	(
		for w in $(seq 0 15); do
			(
				i=$((w + 1))
				while [ "$i" -le "$2" ] && [ ! -e "$WORK/stop" ]; do
					s=$(curl -s -o /dev/null -w "%{http_code}" --max-time 10 -X POST "$BASE/api/v1/units" \
						-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
						--data "{\"code\":\"$1$i\",\"name\":\"负载$1$i\",\"kind\":\"centre\",\"level\":\"county\",\"parent\":$root}")
					echo "$1$i $s"
					i=$((i + 16))
				done
			) &
		done
		wait
	) >"$3" 2>/dev/null &
	load=$!
}

# wait_acks FILE N [STATUS]: until FILE holds N answers with STATUS (201; at most 20 s).
wait_acks() {
	local st=${3:-201}
	local n
	for _ in $(seq 1 400); do
		n=$(grep -c " $st\$" "$1" 2>/dev/null) || true
		[ "${n:-0}" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# acked_present PREFIX FILE: every write FILE says was acknowledged (201) is in the database.
acked_present() {
	awk '$2 == 201 {print $1}' "$2" | sort >"$WORK/acked.$1"
	db_query "SELECT code FROM units WHERE code LIKE '$1%'" | sort >"$WORK/present.$1"
	local missing
	missing=$(comm -23 "$WORK/acked.$1" "$WORK/present.$1" | wc -l)
	[ "$missing" = 0 ] || fail "$missing of $(wc -l <"$WORK/acked.$1") acknowledged writes are missing: $(comm -23 "$WORK/acked.$1" "$WORK/present.$1" | head -5 | tr '\n' ' ')"
}

# api TOKEN METHOD PATH [JSON] [curl options…]: req with a bearer token (none when TOKEN is
# empty) and, when the fourth argument is a JSON object, that body.
api() {
	local t=$1 m=$2 p=$3
	shift 3
	local auth=()
	[ -n "$t" ] && auth=(-H "Authorization: Bearer $t")
	if [ $# -ge 1 ] && [ "${1:0:1}" = "{" ]; then
		local b=$1
		shift
		req "$m" "$p" "${auth[@]}" -H 'Content-Type: application/json' --data "$b" "$@"
	else
		req "$m" "$p" "${auth[@]}" "$@"
	fi
}

# idcard REGION6 BIRTH8 SEQ3: a resident ID number with its GB 11643 check character.
idcard() {
	local b="$1$2$3" w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) s=0 i m="10X98765432"
	for ((i = 0; i < 17; i++)); do s=$((s + ${b:$i:1} * ${w[$i]})); done
	echo "$b${m:$((s % 11)):1}"
}

# unit CODE KIND LEVEL PARENT → the new unit's id (created with the admin token $A; its name
# is "<CODE> 单位").
unit() {
	api "$A" POST /api/v1/units "{\"code\":\"$1\",\"name\":\"$1 单位\",\"kind\":\"$2\",\"level\":\"$3\",\"parent\":$4}"
	expect_status 201
	jq -r .id "$WORK/body"
}

# staff USERNAME ROLE UNIT: a staff account (password USERNAME-password-1) holding ROLE at UNIT,
# asked for by $A and approved by $A2 (maker-checker); sets TOKEN to its session.
staff() {
	api "$A" POST /api/v1/users "{\"username\":\"$1\",\"display_name\":\"$1\",\"password\":\"$1-password-1\"}"
	expect_status 201
	local id
	id=$(jq -r .id "$WORK/body")
	api "$A" POST "/api/v1/users/$id/roles" "{\"roles\":[{\"role\":\"$2\",\"unit\":$3}]}"
	expect_status 202
	api "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
	expect_status 200
	login "$1" "$1-password-1"
}
