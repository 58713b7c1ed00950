#!/usr/bin/env bash
# Fees (REG-7): an order per registration at the approved rates, per subject; no fee without
# its approval; an Idempotency-Key makes a retried order the same order; the test provider
# pays through a signed callback; a callback with a bad signature, a replayed one, a stale
# one or one with the wrong amount is refused and changes nothing; a paid registration takes
# no second order; civil service pays only after approval; an offline transfer is confirmed
# by staff of the reviewing unit and refunded with a reason; audit verify passes.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
export KAOWU_PAYMENT_TEST_SECRET=test-provider-secret-for-e2e
server_start

# sign BODY: the HMAC-SHA256 a provider holding the test secret sends (key = SHA-256 of it).
sign() {
	local key
	key=$(printf %s "$KAOWU_PAYMENT_TEST_SECRET" | sha256sum | cut -c1-64)
	printf %s "$1" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" | awk '{print $NF}'
}
callback() { # callback BODY SIGNATURE
	req POST /api/v1/payments/callbacks/test -H 'Content-Type: application/json' -H "X-Signature: $2" --data "$1"
}
now_s=$(date -d "$KAOWU_TEST_NOW" +%s)

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_agency provincial "$root")
GWY=$(unit AH-GWY civil_service_authority provincial "$AH")
R1=$(unit 20001 recruiter provincial "$GWY")
JS=$(unit JS provincial_agency provincial "$root")
staff cashier agency_staff "$GWY"; CASH=$TOKEN
staff jscash agency_staff "$JS"; JSCASH=$TOKEN
staff rev qualification_reviewer "$R1"; REV=$TOKEN

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"ZC\",\"name\":\"经济专业技术资格\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,$window}"
QE=$(jq -r .id "$WORK/body")
for s in 01:经济基础知识:5600 02:专业知识和实务:5600 03:另一科:9900; do
	IFS=: read -r code name fee <<<"$s"
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"$code\",\"name\":\"$name\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":$fee}"
	expect_status 201
done
api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"GWY\",\"name\":\"公务员录用\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,\"fee_approval\":\"皖价费〔2026〕12号\",$window}"
CS=$(jq -r .id "$WORK/body")
for s in 1:行政职业能力测验:5000 2:申论:5000; do
	IFS=: read -r code name fee <<<"$s"
	api "$A" POST /api/v1/subjects "{\"exam_id\":$CS,\"code\":\"$code\",\"name\":\"$name\",\"duration_minutes\":120,\"mode\":\"paper\",\"fee_cents\":$fee}"
done
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY,20001,200011,科员,general,1\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
POS=$(db_query "SELECT id FROM positions WHERE code = '200011'")

candidate() { # candidate ID → TOKEN
	api "" POST /api/v1/candidates "$(jq -nc --arg i "$1" '{id_number:$i,name:"考生",phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$1\",\"password\":\"cand-pass-1\"}"
	TOKEN=$(jq -r .token "$WORK/body")
}
candidate "$(idcard 340104 19900101 111)"; T1=$TOKEN
candidate "$(idcard 340104 19910101 222)"; T2=$TOKEN
api "$T1" POST /api/v1/registrations "{\"exam_id\":$QE,\"subjects\":[\"01\",\"02\"],\"route\":\"proof\"}"
expect_status 201
RG1=$(jq -r .id "$WORK/body")
expect_json .paid false
api "$T2" POST /api/v1/registrations "{\"exam_id\":$QE,\"subjects\":[\"03\"],\"route\":\"proof\"}"
RG2=$(jq -r .id "$WORK/body")

# ---- REG-7: no fee without its approval; the order is idempotent ----
api "$T1" POST "/api/v1/registrations/$RG1/payments" '{"provider":"test"}' -H 'Idempotency-Key: k-1'
expect_error 422 FEES_NOT_APPROVED
expect_json .error.rule REG-7
api "$A" GET "/api/v1/exams/$QE"; etag=$(header ETag)
api "$A" PATCH "/api/v1/exams/$QE" '{"fee_approval":"皖发改收费〔2026〕8号"}' -H "If-Match: $etag"
expect_status 200
api "$T1" POST "/api/v1/registrations/$RG1/payments" '{"provider":"test"}'
expect_error 428 IDEMPOTENCY_KEY_REQUIRED
api "$T1" POST "/api/v1/registrations/$RG1/payments" '{"provider":"alipay"}' -H 'Idempotency-Key: k-1'
expect_error 400 VALIDATION_FAILED
api "$T1" POST "/api/v1/registrations/$RG1/payments" '{"provider":"test"}' -H 'Idempotency-Key: k-1'
expect_status 201
P1=$(jq -r .id "$WORK/body")
expect_json .amount_cents 11200
expect_json '[.items[].subject] | join(",")' 01,02
expect_json .status pending
api "$T1" POST "/api/v1/registrations/$RG1/payments" '{"provider":"test"}' -H 'Idempotency-Key: k-1'
expect_status 200
expect_json .id "$P1"
[ "$(db_query "SELECT COUNT(*) FROM payments")" = 1 ] || fail "a retried order made a second one"
# Another candidate's registration and payment are not theirs to touch.
api "$T2" POST "/api/v1/registrations/$RG1/payments" '{"provider":"test"}' -H 'Idempotency-Key: k-x'
expect_error 404 NOT_FOUND
api "$T2" POST "/api/v1/payments/$P1/test_pay"
expect_error 404 NOT_FOUND

# ---- callbacks: signed, fresh, the right amount, never twice ----
body=$(jq -nc --argjson p "$P1" --argjson t "$now_s" '{payment_id:$p,provider_ref:"BANK-0001",amount_cents:11200,status:"paid",nonce:"n-0000000000000001",timestamp:$t}')
callback "$body" "$(printf '%064d' 0)"
expect_error 401 PAYMENT_SIGNATURE_INVALID
callback "$body" ""
expect_error 401 PAYMENT_SIGNATURE_INVALID
forged=$(echo "$body" | sed 's/11200/1/')
callback "$forged" "$(sign "$body")"
expect_error 401 PAYMENT_SIGNATURE_INVALID
wrong=$(jq -nc --argjson p "$P1" --argjson t "$now_s" '{payment_id:$p,provider_ref:"BANK-0001",amount_cents:100,status:"paid",nonce:"n-0000000000000002",timestamp:$t}')
callback "$wrong" "$(sign "$wrong")"
expect_error 422 PAYMENT_AMOUNT_MISMATCH
stale=$(jq -nc --argjson p "$P1" --argjson t "$((now_s - 3600))" '{payment_id:$p,provider_ref:"BANK-0001",amount_cents:11200,status:"paid",nonce:"n-0000000000000003",timestamp:$t}')
callback "$stale" "$(sign "$stale")"
expect_error 422 CALLBACK_STALE
[ "$(db_query "SELECT status FROM payments WHERE id = $P1")" = pending ] || fail "a refused callback changed the order"
callback "$body" "$(sign "$body")"
expect_status 200
expect_json .status paid
expect_json .provider_ref BANK-0001
callback "$body" "$(sign "$body")"
expect_error 409 CALLBACK_REPLAYED
api "$T1" GET "/api/v1/registrations/$RG1"
expect_json .paid true
api "$T1" POST "/api/v1/registrations/$RG1/payments" '{"provider":"test"}' -H 'Idempotency-Key: k-2'
expect_error 409 ALREADY_PAID

# ---- the test provider calls back by itself ----
api "$T2" POST "/api/v1/registrations/$RG2/payments" '{"provider":"test"}' -H 'Idempotency-Key: k-1'
expect_status 201
P2=$(jq -r .id "$WORK/body")
expect_json .amount_cents 9900
api "$T2" POST "/api/v1/payments/$P2/test_pay"
expect_status 200
expect_json .status paid
api "$T2" GET "/api/v1/registrations/$RG2/payments"
expect_json '.items[0].provider_ref | startswith("TEST-")' true

# ---- civil service: paid after approval; offline transfers confirmed by staff ----
api "$T1" PATCH /api/v1/candidates/me '{"education":[{"level":"bachelor"}]}'
api "$T1" POST /api/v1/registrations "{\"exam_id\":$CS,\"position_id\":$POS,\"route\":\"pledge\",\"pledge_version\":\"AH-2026.1\",\"pledge_accepted\":true}"
expect_status 201
RC=$(jq -r .id "$WORK/body")
api "$T1" POST "/api/v1/registrations/$RC/payments" '{"provider":"offline"}' -H 'Idempotency-Key: cs-1'
expect_error 422 PAYMENT_NOT_DUE
api "$REV" POST "/api/v1/registrations/$RC/review" '{"decision":"approve"}'
expect_status 200
api "$T1" POST "/api/v1/registrations/$RC/payments" '{"provider":"offline"}' -H 'Idempotency-Key: cs-1'
expect_status 201
P3=$(jq -r .id "$WORK/body")
expect_json .amount_cents 10000
api "$T1" POST "/api/v1/payments/$P3/test_pay"
expect_error 404 NOT_FOUND
api "$JSCASH" POST "/api/v1/payments/$P3/confirm" '{"bank_ref":"95588-0001"}'
expect_error 404 NOT_FOUND
api "$CASH" POST "/api/v1/payments/$P3/confirm" '{}'
expect_error 400 VALIDATION_FAILED
api "$CASH" POST "/api/v1/payments/$P3/confirm" '{"bank_ref":"95588-0001"}'
expect_status 200
expect_json .status paid
api "$CASH" POST "/api/v1/payments/$P3/confirm" '{"bank_ref":"95588-0001"}'
expect_error 409 PAYMENT_STATE
api "$CASH" POST "/api/v1/payments/$P3/refund" '{"reason":""}'
expect_error 400 VALIDATION_FAILED
api "$CASH" POST "/api/v1/payments/$P3/refund" '{"reason":"考试取消，全额退费。"}'
expect_status 200
expect_json .status refunded
expect_json .refund_reason 考试取消，全额退费。
api "$T1" GET "/api/v1/registrations/$RC"
expect_json .paid false
api "$T1" POST "/api/v1/payments/$P3/refund" '{"reason":"x"}'
expect_error 403 FORBIDDEN
audit_verify 0
echo ok
