#!/usr/bin/env bash
# The candidate downloads the admission ticket (TKT-2, issue 7 item 7) in Debian's Chromium,
# driven by playwright-core (tests/browser/ticket.mjs), on web/register.html's status view.
# The scenario is built over the API as t0028 does (a centre with rooms, a qualification exam
# on 2027-06-01 with two sittings, candidates who choose the area and pay, a seating run
# committed, seated and published by agency staff). Walk 1, on 2026-11-24 (the server's clock,
# KAOWU_TEST_NOW): the candidate logs in, presses 下载准考证 and is told the printing period in
# China time (2027-05-22 00:00 至 2027-06-01 24:00), in English too; a candidate who paid after
# the seats were published is told the seats are not published yet. Walk 2, the server
# restarted on 2027-05-25: the candidate logs in again and the download is the PDF
# 准考证-JJ27.pdf with their ticket number and name; another candidate's session is refused
# that registration's ticket (403 TICKET_NOT_YOURS).
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
PTA=$(unit AH-PTA provincial_agency provincial "$AH")
HF=$(unit AH-HF area_agency prefecture "$PTA")
staff agency agency_staff "$PTA"; AG=$TOKEN

# ---- a centre with two rooms ----
api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"HF-01\",\"name\":\"合肥市第一中学\",\"address\":\"合肥市蜀山区长江西路1号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
expect_status 201
C1=$(jq -r .id "$WORK/body")
for r in 101 102; do
	api "$A" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"$r\",\"seats\":30,\"mode\":\"paper\",\"floor\":1}"
	expect_status 201
done

# ---- a published qualification exam on 2027-06-01, two sittings ----
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ27\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"2027-06-01\",\"ref_date\":\"2027-06-01\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T09:00:00+08:00\"}"
expect_status 201
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"02\",\"name\":\"专业知识和实务\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T14:00:00+08:00\"}"
expect_status 201
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")

# register N NAME SUBJECTS: a candidate who chooses the area AH-HF, registers and pays.
declare -A REG IDN NAME TOKS
register() {
	local n=$1 subj=$3
	NAME[$n]=$2
	IDN[$n]=$(idcard 340104 "199${n}0101" "$(printf %03d "$n")")
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$n]}" --arg m "$2" '{id_number:$i,name:$m,phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$n]}\",\"password\":\"cand-pass-1\"}"
	expect_status 201
	TOKS[$n]=$(jq -r .token "$WORK/body")
	api "${TOKS[$n]}" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" --argjson s "$subj" \
		'{exam_id:$e,subjects:$s,route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"}')"
	expect_status 201
	REG[$n]=$(jq -r .id "$WORK/body")
	api "${TOKS[$n]}" POST "/api/v1/registrations/${REG[$n]}/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$n"
	expect_status 201
	api "${TOKS[$n]}" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
}
register 1 王小明 '["01","02"]'
register 2 李华 '["01"]'

# ---- seating: committed, seated, published by agency staff ----
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
expect_status 201
RUN=$(jq -r .id "$WORK/body")
expect_json .candidates 2
api "$AG" POST "/api/v1/seating_runs/$RUN/seat"
expect_status 200
api "$AG" POST "/api/v1/seating_runs/$RUN/publish"
expect_status 200
expect_json .status published
# A third candidate pays after the seats were published: no seat, no ticket yet.
register 3 赵敏 '["02"]'
T1=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN")
[ -n "$T1" ] || fail "the first candidate has no seat"
[ -z "$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[3]}")" ] || fail "the late candidate has a seat"
# What the page will be told, over the API: outside the window, no seat.
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_error 403 TICKET_WINDOW_CLOSED
expect_json .error.details.opens_at 2027-05-21T16:00:00.000000Z
expect_json .error.details.closes_at 2027-06-01T16:00:00.000000Z
api "${TOKS[3]}" GET "/api/v1/registrations/${REG[3]}/ticket"
expect_error 409 TICKET_NOT_AVAILABLE

shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots" "$WORK/dl"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_CAND1="${IDN[1]}" KW_CAND3="${IDN[3]}" KW_CAND_PASSWORD=cand-pass-1 KW_EXAM_NAME=2027年度经济专业技术资格考试 KW_OUT="$WORK/dl"

# ---- walk 1: outside the printing period ----
node "$KW_SRC/tests/browser/ticket.mjs" closed "$BASE" "$shots" || fail "browser walk 1 (outside the window) failed"
[ "$(db_query "SELECT COUNT(*) FROM tickets")" = 0 ] || fail "a ticket was issued outside the window"

# ---- the server's clock moves into the window (restart, as t0028's restart_at) ----
server_stop
export KAOWU_TEST_NOW=2027-05-25T10:00:00+08:00
"$KAOWU" serve --db "$DB_URL" --listen 127.0.0.1:0 --port-file "$WORK/port2" \
	--web "$KW_SRC/web" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do [ -s "$WORK/port2" ] && break; sleep 0.05; done
[ -s "$WORK/port2" ] || fail "kaowu serve did not restart in 10 s"
BASE="http://127.0.0.1:$(cat "$WORK/port2")"
rm -f "$WORK/port2"

# Another candidate's session cannot take the first one's ticket.
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[2]}\",\"password\":\"cand-pass-1\"}"
expect_status 201
T2TOK=$(jq -r .token "$WORK/body")
api "$T2TOK" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_error 403 TICKET_NOT_YOURS
! grep -q '%PDF' "$WORK/body" || fail "a refused ticket carried a PDF"

# ---- walk 2: inside the printing period, the download ----
node "$KW_SRC/tests/browser/ticket.mjs" open "$BASE" "$shots" || fail "browser walk 2 (inside the window) failed"
pdf="$WORK/dl/准考证-JJ27.pdf"
[ -s "$pdf" ] || fail "the browser saved no 准考证-JJ27.pdf: $(ls "$WORK/dl")"
[ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "the download is not a PDF"
pdftotext "$pdf" "$WORK/t1.txt" || fail "pdftotext could not read the download"
for w in "$T1" "${NAME[1]}" 准考证 经济基础知识 专业知识和实务 合肥市第一中学; do
	grep -q "$w" "$WORK/t1.txt" || fail "the downloaded ticket lacks $w"
done
! grep -q "${NAME[2]}" "$WORK/t1.txt" || fail "the ticket names another candidate"
[ "$(db_query "SELECT COUNT(*) FROM tickets WHERE registration_id = ${REG[1]} AND status = 'valid'")" = 1 ] || fail "no valid ticket version after the download"
[ "$(db_query "SELECT COUNT(*) FROM tickets WHERE registration_id <> ${REG[1]}")" = 0 ] || fail "another registration got a ticket"
server_stop
audit_verify 0
echo ok
