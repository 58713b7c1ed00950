#!/usr/bin/env bash
# GET /api/v1/health, request ids and the security headers of every response.
. "$(dirname "$0")/lib.sh"
server_start

req GET /api/v1/health
expect_status 200
expect_json .status ok
expect_json .database "$([ "$KW_TEST_DB" = pg ] && echo postgresql || echo sqlite)"
expect_json '.schema_version >= 1' true
expect_json '.version | test("^[0-9]+\\.[0-9]+\\.[0-9]+$")' true
expect_header Content-Type 'application/json; charset=utf-8'
expect_header Cache-Control no-store
expect_header X-Content-Type-Options nosniff
expect_header X-Frame-Options DENY
expect_header Referrer-Policy no-referrer
header Content-Security-Policy | grep -q "frame-ancestors 'none'" || fail "CSP lacks frame-ancestors"
header Content-Security-Policy | grep -q "default-src 'self'" || fail "CSP lacks default-src"

# A request id is generated when none is sent…
rid=$(header X-Request-Id)
[[ "$rid" =~ ^[0-9a-f]{32}$ ]] || fail "generated request id looks wrong: $rid"
req GET /api/v1/health
[ "$(header X-Request-Id)" != "$rid" ] || fail "request ids repeat"
# …echoed when a sane one is sent, replaced when it is not.
req GET /api/v1/health -H 'X-Request-Id: lb-7f3a.42:x_y'
expect_header X-Request-Id 'lb-7f3a.42:x_y'
req GET /api/v1/health -H 'X-Request-Id: bad id with spaces'
[[ "$(header X-Request-Id)" =~ ^[0-9a-f]{32}$ ]] || fail "an invalid request id was echoed"
req GET /api/v1/health -H "X-Request-Id: $(printf 'a%.0s' $(seq 1 65))"
[[ "$(header X-Request-Id)" =~ ^[0-9a-f]{32}$ ]] || fail "a 65-character request id was echoed"

# HEAD gives the headers of GET and no body.
req HEAD /api/v1/health
expect_status 200
expect_header Content-Type 'application/json; charset=utf-8'
[ "$(header Content-Length)" -gt 0 ] || fail "HEAD lacks the GET body's Content-Length"
# On the wire: the response ends with the blank line after the headers.
exec 3<>"/dev/tcp/127.0.0.1/${BASE##*:}"
printf 'HEAD /api/v1/health HTTP/1.0\r\nHost: x\r\n\r\n' >&3
timeout 5 cat <&3 >"$WORK/raw"
exec 3<&-
[ "$(tail -c 4 "$WORK/raw" | od -An -c | tr -d ' ')" = '\r\n\r\n' ] || fail "HEAD sent a body: $(tail -c 80 "$WORK/raw")"

# The access log names the request id and never the query string.
req GET '/api/v1/health?id=110105199001011234'
grep -q "$(header X-Request-Id) GET /api/v1/health 200" "$WORK/server.log" || fail "access log line missing"
! grep -q 110105199001011234 "$WORK/server.log" || fail "the query string reached the log"

# Keep-alive works: two requests on one connection (the 2nd-call rule of STACK.md).
curl -sS -o /dev/null -o /dev/null -w '%{num_connects}\n' "$BASE/api/v1/health" "$BASE/api/v1/health" >"$WORK/conns"
[ "$(awk '{s+=$1} END {print s}' "$WORK/conns")" = 1 ] || fail "keep-alive lost: $(tr '\n' ' ' <"$WORK/conns") connects"

server_stop
echo "ok"
