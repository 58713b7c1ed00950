#!/usr/bin/env bash
# The one clock: a test build's server runs at KAOWU_TEST_NOW, and times come out in RFC
# 3339 UTC — a session issued at 2026-06-07T08:00+08:00 ends 12 hours later, and the audit
# record of the login carries that instant.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-06-07T08:00:00+08:00
server_start
login admin "$KAOWU_ADMIN_PASSWORD"
expect_json .expires_at 2026-06-07T12:00:00.000000Z
req GET /api/v1/me -H "Authorization: Bearer $TOKEN"
expect_json .session_expires_at 2026-06-07T12:00:00.000000Z
[ "$(db_query "SELECT at FROM audit_log WHERE action = 'session.create'")" = 2026-06-07T00:00:00.000000Z ] ||
	fail "audit time: $(db_query "SELECT at FROM audit_log WHERE action = 'session.create'")"
server_stop
# Thirteen hours later the same token is refused: expired.
KAOWU_TEST_NOW=2026-06-07T21:00:00+08:00 server_start
req GET /api/v1/me -H "Authorization: Bearer $TOKEN"
expect_error 401 SESSION_INVALID
server_stop
KAOWU_TEST_NOW=yesterday "$KAOWU" serve --db "$DB_URL" --listen 127.0.0.1:0 >/dev/null 2>&1 && fail "a bad KAOWU_TEST_NOW was accepted"
echo "ok"
