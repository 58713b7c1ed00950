#!/usr/bin/env bash
# Logging in and out, the current user, creating accounts, CSRF, throttling, and the
# audit trail that records all of it and catches a hand edit.
. "$(dirname "$0")/lib.sh"
unset KAOWU_TEST_FAST_PWHASH # this test logs in with the limits production uses
server_start

# The stored password is argon2id at libsodium's interactive limits (2 passes, 64 MiB), for
# staff (kaowu init) and for candidates (sign-up).
case "$(db_query "SELECT password_hash FROM users WHERE username = 'admin'")" in
'$argon2id$v=19$m=65536,t=2,p=1$'*) ;;
*) fail "the administrator's password is not hashed at the interactive limits" ;;
esac
cidn=$(idcard 110101 19900307 123)
req POST /api/v1/candidates -H 'Content-Type: application/json' \
	--data "{\"id_number\":\"$cidn\",\"name\":\"哈希\",\"phone\":\"13800000000\",\"password\":\"cand-pass-1\"}"
expect_status 201
case "$(db_query "SELECT password_hash FROM candidates WHERE id_number = '$cidn'")" in
'$argon2id$v=19$m=65536,t=2,p=1$'*) ;;
*) fail "a candidate's password is not hashed at the interactive limits" ;;
esac

# Wrong password and unknown user: the same 401, each attempt audited.
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"username":"admin","password":"wrong-password"}'
expect_error 401 LOGIN_FAILED
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"username":"nobody","password":"wrong-password"}'
expect_error 401 LOGIN_FAILED
[ "$(db_query "SELECT count(*) FROM audit_log WHERE action = 'session.denied'")" = 2 ] || fail "refused logins not audited"

login admin "$KAOWU_ADMIN_PASSWORD"
[[ "$TOKEN" =~ ^[0-9a-f]{64}$ ]] || fail "token looks wrong: $TOKEN"
expect_json '.user.username' admin
expect_json '.user.roles | index("admin") != null' true
header Set-Cookie >/dev/null
grep -i '^Set-Cookie: kw_session=' "$WORK/headers" | grep -q 'HttpOnly' || fail "session cookie is not HttpOnly"
grep -i '^Set-Cookie: kw_session=' "$WORK/headers" | grep -q 'SameSite=Strict' || fail "session cookie is not SameSite=Strict"
# The token is stored only hashed.
[ "$(db_query "SELECT count(*) FROM sessions WHERE token_hash = '$TOKEN'")" = 0 ] || fail "token stored in clear"

req GET /api/v1/me
expect_error 401 AUTH_REQUIRED
req GET /api/v1/me -H "Authorization: Bearer $TOKEN"
expect_status 200
expect_json .username admin
req GET /api/v1/me -H "Authorization: Bearer $(printf 'f%.0s' $(seq 1 64))"
expect_error 401 SESSION_INVALID
req GET /api/v1/me -H "Cookie: kw_session=$TOKEN"
expect_status 200

new_user='{"username":"zhang.san","display_name":"张三𠮷","password":"zhang-san-pass-1"}'
# A cookie-authenticated write without the CSRF header is refused, and writes nothing.
req POST /api/v1/users -H "Cookie: kw_session=$TOKEN" -H 'Content-Type: application/json' --data "$new_user"
expect_error 403 CSRF_FAILED
req POST /api/v1/users -H "Cookie: kw_session=$TOKEN" -H "X-CSRF-Token: 0123456789abcdef0123456789abcdef" -H 'Content-Type: application/json' --data "$new_user"
expect_error 403 CSRF_FAILED
[ "$(db_query "SELECT count(*) FROM users WHERE username = 'zhang.san'")" = 0 ] || fail "a refused write wrote"
req POST /api/v1/users -H "Cookie: kw_session=$TOKEN" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data "$new_user"
expect_status 201
expect_json .display_name '张三𠮷'
[[ "$(header Location)" =~ ^/api/v1/users/[0-9]+$ ]] || fail "no Location"
req POST /api/v1/users -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data "$new_user"
expect_error 409 USERNAME_TAKEN
req POST /api/v1/users -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data '{"username":"Bad Name","display_name":"x","password":"short"}'
expect_error 400 VALIDATION_FAILED

# The new user logs in, but may not create accounts.
admin_token=$TOKEN
login zhang.san zhang-san-pass-1
expect_json '.user.roles | length' 0
req POST /api/v1/users -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data '{"username":"li.si","display_name":"李四","password":"li-si-pass-12"}'
expect_error 403 FORBIDDEN

# Logging out revokes the token at once.
req DELETE /api/v1/session -H "Authorization: Bearer $TOKEN"
expect_status 204
req GET /api/v1/me -H "Authorization: Bearer $TOKEN"
expect_error 401 SESSION_INVALID
req DELETE /api/v1/session -H "Authorization: Bearer $TOKEN"
expect_error 401 SESSION_INVALID

# Five failures lock the account (429 with Retry-After); the right password is refused too.
for i in 1 2 3 4 5; do
	req POST /api/v1/session -H 'Content-Type: application/json' --data '{"username":"zhang.san","password":"wrong-password"}'
	expect_error 401 LOGIN_FAILED
done
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"username":"zhang.san","password":"zhang-san-pass-1"}'
expect_error 429 LOGIN_THROTTLED
[ "$(header Retry-After)" -gt 0 ] || fail "no Retry-After on 429"
# Another account is not locked by it.
login admin "$KAOWU_ADMIN_PASSWORD"
admin_token=$TOKEN

# Thirty failures from one address lock the address, whatever the names tried.
so_far=$(db_query "SELECT failures FROM login_throttle WHERE key = 'a:127.0.0.1'")
for i in $(seq 1 $((30 - so_far))); do
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"username\":\"guess$i\",\"password\":\"wrong-password\"}"
	expect_error 401 LOGIN_FAILED
done
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"username":"nobody2","password":"wrong-password"}'
expect_error 429 LOGIN_THROTTLED
[ "$(db_query "SELECT count(*) FROM login_throttle WHERE key = 'a:127.0.0.1' AND locked_until_us > 0")" = 1 ] || fail "address not locked"

# Everything above is in the audit trail, and the trail verifies.
expect_healthy
audit_verify 0
grep -q 'intact\|完好' "$WORK/verify.out" || fail "verify said: $(cat "$WORK/verify.out")"
[ "$(db_query "SELECT actor_name FROM audit_log WHERE action = 'user.create' AND actor_kind = 'user'")" = admin ] || fail "the maker of the account is not in the audit"
db_query "SELECT request_id FROM audit_log WHERE action = 'user.create' AND actor_kind = 'user'" | grep -Eq '^[0-9a-f]{32}$' || fail "no request id in the audit"
server_stop

# A hand edit of an audited row is caught, naming the row.
db_query "UPDATE users SET display_name = '王五' WHERE username = 'zhang.san'" >/dev/null
audit_verify 1
grep -q 'users row' "$WORK/verify.err" || fail "verify did not name the row: $(cat "$WORK/verify.err")"
db_query "UPDATE users SET display_name = '张三𠮷' WHERE username = 'zhang.san'" >/dev/null
audit_verify 0
# An edited audit record, by its seq.
db_query "UPDATE audit_log SET actor_name = 'someone' WHERE seq = 2" >/dev/null
audit_verify 1
grep -q 'record 2 was edited' "$WORK/verify.err" || fail "verify: $(cat "$WORK/verify.err")"
echo "ok"
