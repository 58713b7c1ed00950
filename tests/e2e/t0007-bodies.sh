#!/usr/bin/env bash
# Bad request bodies on a real JSON endpoint (POST /api/v1/session): each gets a clear
# 4xx with its code, nothing is written (the audit trail does not grow), and the server
# stays healthy.
. "$(dirname "$0")/lib.sh"
server_start --max-body 4096
before=$(db_query 'SELECT count(*) FROM audit_log')

post() { # post BODY_FILE [curl options]
	local f=$1
	shift
	req POST /api/v1/session -H 'Content-Type: application/json' --data-binary "@$f" "$@"
}
printf '%s' '{"username":"admin","password":' >"$WORK/b"; post "$WORK/b"
expect_error 400 JSON_INVALID
expect_json '.error.details.line' 1
printf '%s' '{"username":"admin","username":"x","password":"y"}' >"$WORK/b"; post "$WORK/b"
expect_error 400 JSON_INVALID
printf '%s' '["admin","pw"]' >"$WORK/b"; post "$WORK/b"
expect_error 400 JSON_NOT_OBJECT
printf '' >"$WORK/b"; post "$WORK/b"
expect_error 400 BODY_EMPTY
printf '{"username":"ad\xc0\xafmin","password":"x"}' >"$WORK/b"; post "$WORK/b"
expect_error 400 BODY_NOT_UTF8
printf '{"username":"ad\xed\xa0\x80min","password":"x"}' >"$WORK/b"; post "$WORK/b"
expect_error 400 BODY_NOT_UTF8
printf '{"username":"ad\0min","password":"x"}' >"$WORK/b"; post "$WORK/b"
expect_error 400 BODY_NUL_BYTE
printf '%s' '{"username":"admin","password":"a\u0000b"}' >"$WORK/b"; post "$WORK/b"
expect_error 400 JSON_INVALID
# Wrong types and unexpected fields: VALIDATION_FAILED naming each field.
printf '%s' '{"username":42,"password":["x"]}' >"$WORK/b"; post "$WORK/b"
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[] | .field + ":" + .problem] | join(",")' 'username:type,password:type'
printf '%s' '{"username":"admin","password":"x","role":"admin"}' >"$WORK/b"; post "$WORK/b"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' unknown
printf '%s' '{"password":"x"}' >"$WORK/b"; post "$WORK/b"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' username
# Over the cap (4096 bytes here): refused before it is read, whatever it holds.
head -c 5000 /dev/zero | tr '\0' 'x' >"$WORK/big"; post "$WORK/big"
expect_error 413 BODY_TOO_LARGE
expect_json '.error.details.max_bytes' 4096
head -c 3000000 /dev/zero >"$WORK/huge"; post "$WORK/huge"
expect_error 413 BODY_TOO_LARGE
# Without a Content-Length (chunked), the body is read, dropped, and refused the same way.
post "$WORK/big" -H 'Transfer-Encoding: chunked'
expect_error 413 BODY_TOO_LARGE
# The cap holds on any API path, before the route is known.
req POST /api/v1/no-such -H 'Content-Type: application/json' --data-binary "@$WORK/big"
expect_error 413 BODY_TOO_LARGE
# Not JSON at all.
req POST /api/v1/session -H 'Content-Type: text/plain' --data 'username=admin'
expect_error 415 UNSUPPORTED_MEDIA_TYPE
req POST /api/v1/session --data 'username=admin&password=x'
expect_error 415 UNSUPPORTED_MEDIA_TYPE
# English on request.
printf '%s' '{"username":' >"$WORK/b"; post "$WORK/b" -H 'Accept-Language: en'
body | jq -r .error.message | grep -q 'not valid JSON' || fail "English message: $(body)"

after=$(db_query 'SELECT count(*) FROM audit_log')
[ "$before" = "$after" ] || fail "bad bodies wrote $((after - before)) audit records"
[ "$(db_query 'SELECT count(*) FROM sessions')" = 0 ] || fail "a bad body created a session"
expect_healthy
audit_verify 0
server_stop
echo "ok"
