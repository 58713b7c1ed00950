#!/usr/bin/env bash
# Verification of registrations (REG-5, REG-6; PQ 15, AH 14, AH 15, VH 5): an ex-post sample
# drawn with a recorded seed that anyone can replay; targeted checks with a reason; on-site
# review records with the originals returned; bans found after submission opened as tasks
# (civil service only) and the qualification cancelled only after the ban is verified; false
# information voiding a civil-service registration, a false pledge voiding a qualification
# one with an archive record and a referral — each a reviewer's recorded decision, never
# automatic; forgery left to the violations workflow; the wall between units; audit verify.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AH-GWY civil_service_authority provincial "$AH")
R1=$(unit 10001 recruiter provincial "$GWY")
JS=$(unit JS provincial_authority provincial "$root")
staff rev qualification_reviewer "$R1"; REV=$TOKEN
staff auth civil_service_authority_officer "$GWY"; AUTH=$TOKEN
staff qrev qualification_reviewer "$AH"; QREV=$TOKEN
staff agency agency_staff "$AH"; AGENCY=$TOKEN
staff jsrev qualification_reviewer "$JS"; JSREV=$TOKEN

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"GWY\",\"name\":\"公务员录用\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,$window}"
CS=$(jq -r .id "$WORK/body")
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY,10001,100011,科员,general,5\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
POS=$(db_query "SELECT id FROM positions WHERE code = '100011'")
for code in ZC ZC2; do
	api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"$code\",\"name\":\"经济专业技术资格 $code\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,$window}"
	expect_status 201
	id=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/subjects "{\"exam_id\":$id,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":5600}"
	expect_status 201
	[ "$code" = ZC ] && QE=$id || QE2=$id
done
AHV=$(jq -r .AH.version "$KW_SRC/data/pledges/pledges.json")
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")

declare -A TOK REG IDN
for i in 1 2 3 4 5 6 7; do
	IDN[$i]=$(idcard 340104 1990010$i 11$i)
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$i]}" '{id_number:$i,name:"考生",phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$i]}\",\"password\":\"cand-pass-1\"}"
	TOK[$i]=$(jq -r .token "$WORK/body")
	if [ "$i" -le 5 ]; then
		body=$(jq -nc --argjson e "$CS" --argjson p "$POS" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true}')
	else
		body=$(jq -nc --argjson e "$QE" --arg v "$PQV" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true}')
	fi
	api "${TOK[$i]}" POST /api/v1/registrations "$body"
	expect_status 201
	REG[$i]=$(jq -r .id "$WORK/body")
done
for i in 1 2 3 4; do
	api "$REV" POST "/api/v1/registrations/${REG[$i]}/review" '{"decision":"approve"}'
	expect_status 200
done

# ---- REG-6: an ex-post sample, drawn by the system with a seed anyone can replay ----
S="/api/v1/exams/$CS/verification_samples"
api "$REV" POST "$S" '{"size":2}'
expect_error 403 FORBIDDEN
api "$AUTH" POST "$S" '{"size":0}'
expect_error 400 VALIDATION_FAILED
api "$AUTH" POST "$S" '{"size":2,"statuses":["void"]}'
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST "/api/v1/exams/$QE/verification_samples" '{"size":1}'
expect_error 422 SAMPLE_EMPTY
api "$AUTH" POST "$S" '{"size":2}'
expect_status 201
expect_json .population 4
expect_json .size 2
expect_json '.verifications | length' 2
SAMPLE=$(jq -r .id "$WORK/body")
seed=$(jq -r .seed "$WORK/body"); commit=$(jq -r .commitment "$WORK/body"); purpose=$(jq -r .purpose "$WORK/body")
drawn=$(jq -r '[.verifications[].registration_id] | join(" ")' "$WORK/body")
"$KAOWU" draw verify "$seed" "$commit" >/dev/null || fail "the seed does not match its commitment"
# Replay: the approved registrations by id, shuffled under the purpose; places 0 and 1.
pop=$(db_query "SELECT id FROM registrations WHERE exam_id = $CS AND status = 'approved' ORDER BY id" | tr '\n' ' ')
read -ra ids <<<"$pop"
read -ra perm <<<"$(LANG=C "$KAOWU" draw shuffle "$seed" "$purpose" 4)"
[ "$drawn" = "${ids[${perm[0]}]} ${ids[${perm[1]}]}" ] || fail "the sample does not replay: $drawn vs ${ids[${perm[0]}]} ${ids[${perm[1]}]}"
[ "$(jq -r .population_digest "$WORK/body")" = "$(printf '%s\n' "${ids[@]}" | sha256sum | cut -c1-64)" ] || fail "population digest"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'verification.sample' AND detail LIKE '%$seed%'")" = 1 ] || fail "the seed is not in the audit"
api "$AUTH" GET "/api/v1/verification_samples/$SAMPLE"
expect_status 200
expect_json .seed "$seed"
V1=$(jq -r '.verifications[0].id' "$WORK/body")
api "$JSREV" GET "/api/v1/verification_samples/$SAMPLE"
expect_error 403 FORBIDDEN
# The recruiting agency's reviewer closes a drawn task; it cannot be decided twice.
api "$REV" POST "/api/v1/verifications/$V1/decision" '{"outcome":"confirmed"}'
expect_error 400 VALIDATION_FAILED
api "$REV" POST "/api/v1/verifications/$V1/decision" '{"outcome":"confirmed","finding":"学历经学信网核验属实"}'
expect_status 200
expect_json .status closed
expect_json .outcome confirmed
api "$REV" POST "/api/v1/verifications/$V1/decision" '{"outcome":"confirmed","finding":"again"}'
expect_error 409 VERIFICATION_CLOSED
api "$JSREV" POST "/api/v1/verifications/$V1/decision" '{"outcome":"confirmed","finding":"x"}'
expect_error 404 NOT_FOUND

# ---- AH 14: an on-site review record, the originals returned ----
V="/api/v1/registrations/${REG[1]}/verifications"
api "$REV" POST "$V" '{"kind":"on_site","checks":{"identity":"ok","education":"ok"}}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' originals_returned
api "$REV" POST "$V" '{"kind":"on_site","checks":{"identity":"maybe"},"originals_returned":true}'
expect_error 400 VALIDATION_FAILED
api "$REV" POST "$V" '{"kind":"on_site","checks":{"identity":"ok","education":"ok","work_years":"ok"},"originals_returned":true,"finding":"原件已当场退还"}'
expect_status 201
expect_json '.items[-1].status' closed
expect_json '.items[-1].outcome' confirmed
expect_json '.items[-1].originals_returned' true
expect_json '.items[-1].checks.work_years' ok
api "${TOK[1]}" GET "$V"
expect_error 403 FORBIDDEN
api "$JSREV" GET "$V"
expect_error 404 NOT_FOUND

# ---- VH 5: false information voids a civil-service registration; forgery is not ours ----
V="/api/v1/registrations/${REG[2]}/verifications"
api "$REV" POST "$V" '{"kind":"targeted"}'
expect_error 400 VALIDATION_FAILED
api "$REV" POST "$V" '{"kind":"targeted","reason":"举报：基层工作经历不实"}'
expect_status 201
VT=$(jq -r '.items[-1].id' "$WORK/body")
api "$REV" POST "/api/v1/verifications/$VT/decision" '{"outcome":"forgery","finding":"伪造证明"}'
expect_error 422 FORGERY_NEEDS_CASE
api "$REV" POST "/api/v1/verifications/$VT/decision" '{"outcome":"false_pledge","finding":"x"}'
expect_error 422 OUTCOME_NOT_FOR_KIND
api "$REV" POST "/api/v1/verifications/$VT/decision" '{"outcome":"false_information","finding":"所填基层工作经历与单位证明不符","archive_until":"2030-01-01"}'
expect_error 400 VALIDATION_FAILED
[ "$(db_query "SELECT status FROM registrations WHERE id = ${REG[2]}")" = approved ] || fail "a refused decision changed the registration"
api "$REV" POST "/api/v1/verifications/$VT/decision" '{"outcome":"false_information","finding":"所填基层工作经历与单位证明不符"}'
expect_status 200
api "${TOK[2]}" GET "/api/v1/registrations/${REG[2]}"
expect_json .status void
expect_json .review_reason 所填基层工作经历与单位证明不符

# ---- REG-5, AH 15: a ban found after submission — opened as a task, cancelled after verification ----
ban() { # ban ID_NUMBER: asked for by $A with its grounds, approved by $A2 (INF-5(5), INF-4)
	api "$A" POST /api/v1/archive_entries "{\"unit_id\":$GWY,\"id_type\":\"resident_id\",\"id_number\":\"$1\",\"person_name\":\"考生\",\"kind\":\"civil_service\",\"effect\":\"ban\",\"term_start\":\"2025-03-01\",\"term_end\":\"2030-02-28\",\"source_decision\":\"皖公考〔2025〕3号\",\"grounds\":\"皖公考〔2025〕3号处理决定书\"}"
	expect_status 202
	api "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
	expect_status 200
}
ban "${IDN[3]}"
ban "${IDN[6]}" # a qualification-exam registrant: VH bans never touch that exam
api "$REV" POST "/api/v1/exams/$CS/ban_checks"
expect_error 403 FORBIDDEN
api "$AUTH" POST "/api/v1/exams/$CS/ban_checks"
expect_status 200
expect_json .checked 4
expect_json .opened 1
VB=$(jq -r '.verification_ids[0]' "$WORK/body")
api "$AUTH" POST "/api/v1/exams/$CS/ban_checks"
expect_json .opened 0
api "$AGENCY" POST "/api/v1/exams/$QE/ban_checks"
expect_status 200
expect_json .civil_service false
expect_json .opened 0
[ "$(db_query "SELECT status FROM registrations WHERE id = ${REG[3]}")" = approved ] || fail "a found ban cancelled without verification"
[ "$(db_query "SELECT registration_id FROM verifications WHERE id = $VB")" = "${REG[3]}" ] || fail "the ban task is on the wrong registration"
# A ban outcome needs a ban in force.
api "$REV" POST "/api/v1/registrations/${REG[4]}/verifications" '{"kind":"targeted","reason":"疑似在禁考期内"}'
V4=$(jq -r '.items[-1].id' "$WORK/body")
api "$REV" POST "/api/v1/verifications/$V4/decision" '{"outcome":"banned","finding":"x"}'
expect_error 422 BAN_NOT_IN_FORCE
api "$REV" POST "/api/v1/verifications/$VB/decision" '{"outcome":"banned","finding":"经核实，该考生在皖公考〔2025〕3号决定的禁考期内"}'
expect_status 200
[ "$(db_query "SELECT status FROM registrations WHERE id = ${REG[3]}")" = cancelled ] || fail "the verified ban did not cancel"
api "$REV" POST "/api/v1/verifications/$V4/decision" '{"outcome":"confirmed","finding":"不在禁考期内"}'
expect_status 200

# ---- PQ 15: a false pledge on a qualification exam — void, archived, referred ----
V="/api/v1/registrations/${REG[7]}/verifications"
api "$REV" POST "$V" '{"kind":"targeted","reason":"x"}'
expect_error 404 NOT_FOUND
api "$QREV" POST "$V" '{"kind":"targeted","reason":"承诺的工作年限待核实"}'
expect_status 201
VQ=$(jq -r '.items[-1].id' "$WORK/body")
api "$QREV" POST "/api/v1/verifications/$VQ/decision" '{"outcome":"false_information","finding":"x"}'
expect_error 422 OUTCOME_NOT_FOR_KIND
api "$QREV" POST "/api/v1/verifications/$VQ/decision" '{"outcome":"false_pledge","finding":"承诺的工作年限与社保记录不符","referral":"涉嫌伪造证件，移送公安机关","archive_until":"2029-11-23"}'
expect_status 200
expect_json .referral 涉嫌伪造证件，移送公安机关
arch=$(jq -r .archive_entry_id "$WORK/body")
[ "$(db_query "SELECT kind || '/' || effect || '/' || term_end FROM archive_entries WHERE id = $arch")" = qualification/record/2029-11-23 ] || fail "no archive record"
[ "$(db_query "SELECT status FROM registrations WHERE id = ${REG[7]}")" = void ] || fail "a false pledge did not void"
# REG-2: with a record in term, the next qualification exam takes proof, not a pledge.
api "${TOK[7]}" POST /api/v1/registrations "$(jq -nc --argjson e "$QE2" --arg v "$PQV" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true}')"
expect_error 422 PLEDGE_NOT_AVAILABLE
# A decided registration cannot be voided again.
api "$QREV" POST "$V" '{"kind":"targeted","reason":"再次核查"}'
VQ2=$(jq -r '.items[-1].id' "$WORK/body")
api "$QREV" POST "/api/v1/verifications/$VQ2/decision" '{"outcome":"false_pledge","finding":"x"}'
expect_error 409 REG_NOT_ACTIVE
# The identity number never reaches the audit.
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%${IDN[7]}%'")" = 0 ] || fail "an identity number in the audit"
audit_verify 0
server_stop
echo "ok"
