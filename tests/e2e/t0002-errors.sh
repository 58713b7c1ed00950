#!/usr/bin/env bash
# The error model: unknown paths and methods, languages, bodies where none is taken;
# after every bad request the server is still healthy.
. "$(dirname "$0")/lib.sh"
server_start

req GET /api/v1/no-such-thing
expect_error 404 NOT_FOUND
expect_json .error.rule null
expect_json .error.details null
expect_header Content-Language zh-CN
body | jq -r .error.message | grep -q '不存在' || fail "default message is not Chinese: $(body)"

# English from the lang cookie, else Accept-Language (q-values), else Chinese.
req GET /api/v1/no-such-thing -H 'Cookie: lang=en'
expect_error 404 NOT_FOUND
expect_header Content-Language en
body | jq -r .error.message | grep -q 'does not exist' || fail "cookie lang=en ignored: $(body)"
req GET /api/v1/no-such-thing -H 'Accept-Language: en-US,en;q=0.9,zh;q=0.5'
expect_header Content-Language en
req GET /api/v1/no-such-thing -H 'Accept-Language: en;q=0.3,zh-CN;q=0.9'
expect_header Content-Language zh-CN
req GET /api/v1/no-such-thing -H 'Cookie: lang=zh-CN' -H 'Accept-Language: en'
expect_header Content-Language zh-CN

# A known path with the wrong method: 405 and Allow.
req DELETE /api/v1/health
expect_error 405 METHOD_NOT_ALLOWED
expect_header Allow GET
expect_json .error.details.allow GET
req POST /api/v1/health -H 'Content-Type: application/json' --data '{}'
expect_error 405 METHOD_NOT_ALLOWED
req BREW /api/v1/health
expect_error 405 METHOD_NOT_ALLOWED

# A body sent to an endpoint that takes none.
req GET /api/v1/health -H 'Content-Type: application/json' --data-binary '{"a":1}' -X GET
expect_error 400 BODY_NOT_EXPECTED

# Odd paths stay 404 and never crash the server.
for p in '/api/' '/api' '/api/v1/' '/api/v1//health' '/api/v1/health/../health' "/api/v1/$(printf 'x%.0s' $(seq 1 3000))"; do
	req GET "$p"
	[ "$STATUS" = 404 ] || [ "$STATUS" = 200 ] || fail "GET $p gave $STATUS"
done

expect_healthy
server_stop
echo "ok"
