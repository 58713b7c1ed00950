#!/usr/bin/env bash
# The bounded write queue: with room for one waiting write, a burst of concurrent writes
# gets 201 or a clean 503 OVERLOADED with Retry-After — never anything else — and exactly
# the acknowledged writes are in the database, the audit trail intact.
. "$(dirname "$0")/lib.sh"
server_start --write-queue 1 --no-access-log
login admin "$KAOWU_ADMIN_PASSWORD"
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
before=$(db_query "SELECT count(*) FROM units")
export BASE TOKEN root WORK
# Odd requests ask for English: each refusal is in its request's language (the server keeps
# one refusal body per language).
seq 1 300 | xargs -P 64 -I{} sh -c '
	lang=zh-CN; [ $(({} % 2)) = 1 ] && lang=en
	curl -sS -o "$WORK/o.{}" -D "$WORK/h.{}" -w "%{http_code}\n" -X POST "$BASE/api/v1/units" \
		-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -H "Accept-Language: $lang" \
		--data "{\"code\":\"L{}\",\"name\":\"压力考点{}\",\"kind\":\"centre\",\"level\":\"county\",\"parent\":$root}"' >"$WORK/codes"
created=$(grep -c '^201$' "$WORK/codes" || true)
busy=$(grep -c '^503$' "$WORK/codes" || true)
[ $((created + busy)) = 300 ] || fail "statuses other than 201/503: $(sort "$WORK/codes" | uniq -c | tr '\n' ' ')"
[ "$busy" -ge 1 ] || fail "no 503 with a write queue of 1 under 64 concurrent writes"
for f in "$WORK"/h.*; do
	if grep -q '^HTTP/1.1 503' "$f"; then
		grep -qi '^Retry-After: [0-9]' "$f" || fail "a 503 without Retry-After"
		n=${f##*.}
		want="OVERLOADED 服务器繁忙，请稍后重试。"
		[ $((n % 2)) = 1 ] && want="OVERLOADED The server is busy; please try again shortly."
		[ "$(jq -r '"\(.error.code) \(.error.message)"' "$WORK/o.$n")" = "$want" ] || fail "503 for request $n: $(cat "$WORK/o.$n")"
	fi
done
after=$(db_query "SELECT count(*) FROM units")
[ $((after - before)) = "$created" ] || fail "$created acknowledged but $((after - before)) written"
echo "201: $created, 503: $busy"
expect_healthy
server_stop
audit_verify 0
echo "ok"
