#!/usr/bin/env bash
# Static files from web/: types, caching, revalidation, 404s, read-only.
. "$(dirname "$0")/lib.sh"
server_start

req GET /
expect_status 200
expect_header Content-Type 'text/html; charset=utf-8'
expect_header Cache-Control no-cache
grep -q '<html lang="zh-CN">' "$WORK/body" || fail "the page is not marked zh-CN"
etag=$(header ETag)
[[ "$etag" =~ ^\"[0-9a-f]{32}\"$ ]] || fail "ETag looks wrong: $etag"
header Content-Security-Policy | grep -q "script-src 'self'" || fail "page CSP missing"
expect_header X-Frame-Options DENY
[ -n "$(header X-Request-Id)" ] || fail "no X-Request-Id on a page"

req GET / -H "If-None-Match: $etag"
expect_status 304
req GET /index.html
expect_status 200
[ "$(header ETag)" = "$etag" ] || fail "/ and /index.html differ"

req GET /app.css
expect_status 200
expect_header Content-Type 'text/css; charset=utf-8'
# Assets revalidate every time (no stale console.js after an upgrade); a 304 is cheap.
expect_header Cache-Control 'no-cache'
css_etag=$(header ETag)
req GET /app.css -H "If-None-Match: $css_etag"
expect_status 304
req GET /app.js
expect_header Content-Type 'text/javascript; charset=utf-8'
req GET /favicon.svg
expect_header Content-Type 'image/svg+xml'

req GET /no-such-page.html
expect_status 404
expect_header Content-Type 'text/html; charset=utf-8'
# Traversal finds nothing outside web/ (curl --path-as-is sends the dots as they are).
req GET '/../../../../etc/passwd' --path-as-is
[ "$STATUS" = 404 ] || fail "traversal gave $STATUS"
! grep -q 'root:' "$WORK/body" || fail "traversal leaked a file"
req GET '/%2e%2e/%2e%2e/etc/passwd' --path-as-is
[ "$STATUS" = 404 ] || fail "encoded traversal gave $STATUS"

req POST / --data 'x=1'
expect_error 405 METHOD_NOT_ALLOWED

expect_healthy
server_stop
echo "ok"
