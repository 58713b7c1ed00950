#!/usr/bin/env bash
# Session cookies: HttpOnly and SameSite=Strict always; Secure with --secure-cookies (behind
# TLS), on login and on logout alike.
. "$(dirname "$0")/lib.sh"
server_start --secure-cookies
login admin "$KAOWU_ADMIN_PASSWORD"
grep -i '^Set-Cookie: kw_session=' "$WORK/headers" | grep -q 'HttpOnly.*SameSite=Strict; Secure' || fail "session cookie: $(grep -i '^Set-Cookie' "$WORK/headers")"
grep -i '^Set-Cookie: kw_csrf=' "$WORK/headers" | grep -q 'Secure' || fail "csrf cookie not Secure"
req DELETE /api/v1/session -H "Authorization: Bearer $TOKEN"
expect_status 204
grep -i '^Set-Cookie: kw_session=;' "$WORK/headers" | grep -q 'Max-Age=0.*Secure' || fail "logout cookie: $(grep -i '^Set-Cookie' "$WORK/headers")"
server_stop
server_start
login admin "$KAOWU_ADMIN_PASSWORD"
! grep -i '^Set-Cookie:' "$WORK/headers" | grep -q 'Secure' || fail "Secure without --secure-cookies"
server_stop
echo "ok"
