#!/usr/bin/env bash
# Levels, exempt subjects and rolling passes in qualified lists and certificates (EXAM-5,
# PQ 43(3)-(4); INF-5(6)/(7)): two exams of one series (2026年度 and 2027年度经济专业技术资格考试,
# the same agency), the 2027 one with levels 初级/中级 and a rolling period. Candidate 1 passes
# 01 in 2026 and 02 in 2027: qualified in 2027 with a 2-year period (the certificate shows
# each subject's year and the level), not with a 1-year one (then their certificate is
# revoked); candidate 2 passes 01 in 2026 but that score is cancelled (a decision, scores
# published again): not qualified; candidate 3 sits only 01 in 2027, 02 being exemptible:
# exempt, qualified; candidate 4 sits the 初级 subject 11 alone: qualified at 初级, the 中级
# subjects not required. A subject of a level the exam does not have, and a rolling period out
# of range, are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

# the units, the centre and the staff as seated_exam makes them
KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
PTA=$(unit AH-PTA provincial_agency provincial "$AH")
HF=$(unit AH-HF area_agency prefecture "$PTA")
staff agency agency_staff "$PTA"; AG=$TOKEN
staff witness agency_staff "$PTA"
staff auth authority_officer "$AH"
api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"HF-01\",\"name\":\"合肥市第一中学\",\"address\":\"合肥市蜀山区长江西路1号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
expect_status 201
CENTRE=$(jq -r .id "$WORK/body")
for r in 101 102 103; do # a room for each group of subjects sat together (SEAT-1)
	api "$A" POST /api/v1/rooms "{\"centre_id\":$CENTRE,\"code\":\"$r\",\"seats\":30,\"mode\":\"paper\",\"floor\":1}"
	expect_status 201
done
centres_ready HF-01
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")

# new_exam CODE YEAR DAY [EXTRA]: a published exam of the series ($QE, $DAY)
new_exam() {
	DAY=$3
	api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"$1\",\"name\":\"$2年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":$2,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"$3\",\"ref_date\":\"$3\",\"fee_approval\":\"皖发改收费〔2026〕8号\"${4:+,$4}}"
	expect_status 201
	QE=$(jq -r .id "$WORK/body")
}
# subject CODE NAME HOUR [EXTRA]: a subject of $QE
subject() {
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"$1\",\"name\":\"$2\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"${DAY}T$3:00:00+08:00\"${4:+,$4}}"
	expect_status 201
}
# enrol N NAME SUBJECTS: candidate N (their account made the first time) registers for $QE
# and pays; R[$QE.N] the registration
declare -A R
enrol() {
	local n=$1
	if [ -z "${IDN[$n]:-}" ]; then
		NAME[$n]=$2
		IDN[$n]=$(idcard 340104 "199${n}0101" "$(printf %03d "$n")")
		api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$n]}" --arg m "$2" '{id_number:$i,name:$m,phone:"13800000000",password:"cand-pass-1"}')"
		expect_status 201
	fi
	cand_login "$n"
	api "${TOKS[$n]}" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" --argjson s "$3" \
		'{exam_id:$e,subjects:$s,route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"}')"
	expect_status 201
	R[$QE.$n]=$(jq -r .id "$WORK/body")
	api "${TOKS[$n]}" POST "/api/v1/registrations/${R[$QE.$n]}/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$QE-$n"
	expect_status 201
	api "${TOKS[$n]}" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
}
# seat_all: $QE's seating run made, seated and published
seat_all() {
	local run
	api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
	expect_status 201
	run=$(jq -r .id "$WORK/body")
	api "$AG" POST "/api/v1/seating_runs/$run/seat"
	expect_status 200
	api "$AG" POST "/api/v1/seating_runs/$run/publish"
	expect_status 200
}
# ticket EXAM N: candidate N's ticket number in EXAM
ticket() {
	db_query "SELECT s.ticket_no FROM seats s JOIN seating_runs u ON u.id = s.run_id WHERE u.exam_id = $1 AND s.registration_id = ${R[$1.$2]}"
}

# 2026 (JJ26 on 2026-12-09): 1 and 2 register for 01 and 02
new_exam JJ26 2026 2026-12-09
E1=$QE
subject 01 经济基础知识 09
subject 02 专业知识和实务 14
enrol 1 张一 '["01","02"]'
enrol 2 王二 '["01","02"]'
seat_all
# 2027 (JJ27 on 2026-12-10), levels 初级 and 中级, 02 exemptible: 1 and 2 sit 02, 3 sits 01,
# 4 sits 11 (初级)
new_exam JJ27 2027 2026-12-10 '"levels":"初级,中级","rolling_years":2'
E2=$QE
subject 01 经济基础知识 09 '"level":"中级"'
subject 02 专业知识和实务 14 '"level":"中级","exemptible":true'
subject 11 初级经济基础知识 09 '"level":"初级"'
enrol 1 张一 '["02"]'
enrol 2 王二 '["02"]'
enrol 3 李三 '["01"]'
enrol 4 赵四 '["11"]'
seat_all

server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login witness witness-password-1; W=$TOKEN
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
# publish_again SUBJECTS…: $QE's subjects run and cross-checked, the publication prepared by
# $AG and approved by $AUTH
publish_again() {
	local s
	for s in "$@"; do
		api "$AG" POST "/api/v1/exams/$QE/subjects/$s/score_runs"
		expect_status 201
		api "$AG" POST "/api/v1/score_runs/$(jq -r .id "$WORK/body")/crosschecks"
		expect_status 201
	done
	api "$AG" POST "/api/v1/exams/$QE/publications"
	expect_status 202
	api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
	expect_status 200
}
# publish CSV SUBJECTS…: SIMPLE_KEY for each subject, the scanner CSV, publish_again
publish() {
	local csv=$1 s
	shift
	for s in "$@"; do
		api "$AG" POST "/api/v1/exams/$QE/subjects/$s/keys" "$SIMPLE_KEY"
		expect_status 201
	done
	api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness" -H 'Content-Type: text/csv' --data-binary "$csv"
	expect_status 201
	publish_again "$@"
}
# 2026: 1 and 2 pass 01 (4.5 of 4.5), both fail 02 (1 of 4.5)
QE=$E1
publish "ticket_no,subject,form,answers
$(ticket "$E1" 1),01,A,BDA
$(ticket "$E1" 1),02,A,BCC
$(ticket "$E1" 2),01,A,BDA
$(ticket "$E1" 2),02,A,BCC" 01 02
# 2027: 1 and 2 pass 02, 3 passes 01, 4 passes 11
QE=$E2
publish "ticket_no,subject,form,answers
$(ticket "$E2" 1),02,A,BDA
$(ticket "$E2" 2),02,A,BDA
$(ticket "$E2" 3),01,A,BDA
$(ticket "$E2" 4),11,A,BDA" 01 02 11
api "$AG" POST "/api/v1/exams/$E1/pass_standards" '{"subjects":{"01":"3","02":"3"}}'
expect_status 200
api "$AG" POST "/api/v1/exams/$E2/pass_standards" '{"subjects":{"01":"3","02":"3","11":"3"}}'
expect_status 200

# ---- refusals: a rolling period out of range; a subject of a level the exam lacks ----
# patch PATH JSON: a record changed as the admin pages do (PATCH with If-Match)
patch() {
	api "$A" GET "$1"
	expect_status 200
	api "$A" PATCH "$1" "$2" -H "If-Match: $(header ETag)"
}
SUB1=$(db_query "SELECT id FROM subjects WHERE exam_id = $E2 AND code = '01'")
patch "/api/v1/exams/$E2" '{"rolling_years":0}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' rolling_years
patch "/api/v1/subjects/$SUB1" '{"level":"高级"}'
expect_status 200
QL="/api/v1/exams/$E2/qualified_lists"
api "$AG" POST "$QL"
expect_error 409 QUALIFY_LEVEL_UNKNOWN
expect_json .error.details.subject 01
expect_json .error.details.level 高级
patch "/api/v1/subjects/$SUB1" '{"level":"中级"}'
expect_status 200

# INF-5(6): candidate 2's 2026 score of 01 is cancelled (a decision), published again
QE=$E1
REG[2]=${R[$E1.2]}
similar_answers_case 2 01
api "$AG" POST "/api/v1/cases/$CASE/decision" "{\"unit_id\":$PTA}"
expect_status 200
publish_again 01 02
api "" POST "/api/v1/public/exams/$E1/score_lookup" "$(jq -nc --arg t "$(ticket "$E1" 2)" --arg i "${IDN[2]}" '{ticket_no:$t,id_number:$i,name:"王二"}')"
expect_status 200
expect_json '.candidate.subjects[] | select(.code == "01") | .status' cancelled

# ---- EXAM-5, a 2-year period: 1 (01 in 2026, 02 in 2027), 3 (01, 02 exempt) and 4 (初级)
# qualify; 2 (01 cancelled) does not ----
api "$AG" POST "$QL"
expect_status 202
expect_json .candidates 4
expect_json .qualified 3
api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_status 200
expect_json .result.issued 3
for n in 1 2 3 4; do cand_login "$n"; done
api "${TOKS[2]}" GET "/api/v1/exams/$E2/certificates"
expect_json '.items | length' 0
api "${TOKS[1]}" GET "/api/v1/exams/$E2/certificates"
expect_json '.items | length' 1
expect_json .items[0].level 中级
expect_json '[.items[0].subjects[] | "\(.code):\(.score):\(.year)"] | join(",")' "01:4.5:2026,02:4.5:2027"
C1=$(jq -r '.items[0].id' "$WORK/body")
PAY1=$(jq -r '.items[0].qr_payload' "$WORK/body")
api "${TOKS[3]}" GET "/api/v1/exams/$E2/certificates"
expect_json '.items | length' 1
expect_json .items[0].level 中级
expect_json '[.items[0].subjects[] | "\(.code):\(.score):\(.year):\(.exempt // false)"] | join(",")' "01:4.5:2027:false,02:null:null:true"
C3=$(jq -r '.items[0].id' "$WORK/body")
api "${TOKS[4]}" GET "/api/v1/exams/$E2/certificates"
expect_json '.items | length' 1
expect_json .items[0].level 初级
expect_json '[.items[0].subjects[] | "\(.code):\(.year)"] | join(",")' "11:2027"
# the signed code carries the years and the level
python3 - "$PAY1" <<'PY' || fail "the code lacks the years or the level"
import base64, json, sys
b = sys.argv[1][len("KWC1."):].split(".")[0]
p = json.loads(base64.urlsafe_b64decode(b + "=" * (-len(b) % 4)))
assert p["s"] == [["01", "4.5", 2026], ["02", "4.5", 2027]], p
assert p["l"] == "中级", p
PY
api "" POST /api/v1/public/certificates/verify "$(jq -nc --arg p "$PAY1" '{payload:$p}')"
expect_json .valid true
expect_json .level 中级
expect_json '[.subjects[] | .year] | join(",")' "2026,2027"
# the PDFs: the years of the passes, the level, 免试
api "${TOKS[1]}" GET "/api/v1/certificates/$C1/pdf"
expect_status 200
pdftotext -layout "$WORK/body" "$WORK/c1.txt" || fail "the certificate is not a PDF"
grep -q "（中级）" "$WORK/c1.txt" || fail "the certificate lacks the level: $(cat "$WORK/c1.txt")"
grep 经济基础知识 "$WORK/c1.txt" | grep -q 2026 || fail "01 passed in 2026: $(cat "$WORK/c1.txt")"
grep 专业知识和实务 "$WORK/c1.txt" | grep -q 2027 || fail "02 passed in 2027: $(cat "$WORK/c1.txt")"
api "${TOKS[3]}" GET "/api/v1/certificates/$C3/pdf"
expect_status 200
pdftotext -layout "$WORK/body" "$WORK/c3.txt" || fail "the certificate is not a PDF"
grep 经济基础知识 "$WORK/c3.txt" | grep -q 2027 || fail "01 passed in 2027: $(cat "$WORK/c3.txt")"
grep 专业知识和实务 "$WORK/c3.txt" | grep -q 免试 || fail "02 exempt: $(cat "$WORK/c3.txt")"
grep 专业知识和实务 "$WORK/c3.txt" | grep -q 202 && fail "an exempt subject has no year: $(cat "$WORK/c3.txt")"

# ---- a 1-year period: the 2026 pass no longer counts; candidate 1 loses the certificate ----
patch "/api/v1/exams/$E2" '{"rolling_years":1}'
expect_status 200
api "$AG" POST "$QL"
expect_status 202
expect_json .qualified 2
api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_json .result.issued 0
expect_json .result.revoked 1
api "" POST /api/v1/public/certificates/verify "$(jq -nc --arg p "$PAY1" '{payload:$p}')"
expect_json .valid false
expect_json .reason REVOKED
[ "$(db_query "SELECT status FROM certificates WHERE id = $C3")" = valid ] || fail "candidate 3's certificate should stay valid"

server_stop
audit_verify 0
echo ok
