#!/usr/bin/env bash
# Two pieces of registration (issue 6):
# 1. REG-4, TKT-1: an exam may require the candidate's photo at submission (new exams do,
#    unless the agency turns it off): without one a submission is refused with PHOTO_REQUIRED
#    — online and on site by staff (REG-1) — and nothing is written; with one, or for an exam
#    that does not require it, it goes through. An exam made before the setting existed
#    (photo_required null) keeps taking registrations as it did.
# 2. REG-6: an exam's verification tasks in one list (GET /api/v1/exams/{id}/verification_tasks)
#    with the candidate, masked number, position, kind, who opened it and when, due date and
#    status; counts; filters and a cursor; bad query values refused (QUERY_INVALID); the wall
#    between units: a reviewer lists only the tasks of registrations of their own unit, and an
#    exam none of whose units they reach is 404.
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
R2=$(unit 20001 recruiter provincial "$GWY")
JS=$(unit JS provincial_authority provincial "$root")
staff rev1 qualification_reviewer "$R1"; REV1=$TOKEN
staff rev2 qualification_reviewer "$R2"; REV2=$TOKEN
staff auth civil_service_authority_officer "$GWY"; AUTH=$TOKEN
staff agency agency_staff "$AH"; AGENCY=$TOKEN
staff jsrev qualification_reviewer "$JS"; JSREV=$TOKEN

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
# ---- REG-4: a new exam requires the photo unless the agency says otherwise ----
api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"GWY\",\"name\":\"公务员录用\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"onsite_registration\":true,$window}"
expect_status 201
expect_json .photo_required true
CS=$(jq -r .id "$WORK/body")
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY,10001,100011,科员,general,5\nGWY,20001,200011,科员,general,5\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
P1=$(db_query "SELECT id FROM positions WHERE code = '100011'")
P2=$(db_query "SELECT id FROM positions WHERE code = '200011'")
# A qualification exam that does not ask for it, and one whose agency turns it off later.
for code in ZC ZT; do
	extra=""
	[ "$code" = ZC ] && extra='"photo_required":false,'
	api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"$code\",\"name\":\"经济专业技术资格 $code\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,$extra$window}"
	expect_status 201
	id=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/subjects "{\"exam_id\":$id,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":5600}"
	expect_status 201
	[ "$code" = ZC ] && QN=$id || QT=$id
done
api "$A" GET "/api/v1/exams/$QN"
expect_json .photo_required false
api "" GET "/api/v1/public/exams/$CS"
expect_status 200
expect_json .photo_required true
api "" GET "/api/v1/public/exams/$QN"
expect_json .photo_required false
# The agency turns it off for ZT (as the exam admin page does: PATCH with If-Match).
api "$A" GET "/api/v1/exams/$QT"
expect_json .photo_required true
etag=$(header ETag)
api "$A" PATCH "/api/v1/exams/$QT" '{"photo_required":false}' -H "If-Match: $etag"
expect_status 200
expect_json .photo_required false
api "$A" PATCH "/api/v1/exams/$QT" '{"photo_required":"no"}' -H "If-Match: $(header ETag)"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' photo_required

AHV=$(jq -r .AH.version "$KW_SRC/data/pledges/pledges.json")
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
cs_body() { jq -nc --argjson e "$CS" --argjson p "$1" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true}'; }
qe_body() { jq -nc --argjson e "$1" --arg v "$PQV" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true}'; }
declare -A TOK IDN CID
for i in 1 2 3 4; do
	IDN[$i]=$(idcard 340104 1990020$i 21$i)
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$i]}" --arg n "考生$i" '{id_number:$i,name:$n,phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	CID[$i]=$(jq -r .id "$WORK/body")
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$i]}\",\"password\":\"cand-pass-1\"}"
	TOK[$i]=$(jq -r .token "$WORK/body")
done
"$KAOWU" generate photo --pick 3 >"$WORK/photo.jpg" || fail "generate photo failed"
photo() {
	api "$1" PUT /api/v1/candidates/me/photo -H 'Content-Type: image/jpeg' --data-binary "@$WORK/photo.jpg"
	expect_status 200
}

# Online, without a photo: refused, in the candidate's language, nothing written.
api "${TOK[1]}" POST /api/v1/registrations "$(cs_body "$P1")"
expect_error 422 PHOTO_REQUIRED
expect_json .error.rule REG-4
expect_json '.error.message | test("照片")' true
api "${TOK[1]}" POST /api/v1/registrations "$(cs_body "$P1")" -H 'Accept-Language: en'
expect_error 422 PHOTO_REQUIRED
expect_json '.error.message | test("photo")' true
[ "$(db_query "SELECT COUNT(*) FROM registrations")" = 0 ] || fail "a refused submission was written"
# An exam that does not require it: accepted without a photo.
api "${TOK[1]}" POST /api/v1/registrations "$(qe_body "$QN")"
expect_status 201
api "${TOK[1]}" POST /api/v1/registrations "$(qe_body "$QT")"
expect_status 201
# With a photo: accepted.
photo "${TOK[1]}"
api "${TOK[1]}" POST /api/v1/registrations "$(cs_body "$P1")"
expect_status 201
REG1=$(jq -r .id "$WORK/body")
# A repeat of the same application answers with what is there, as before.
api "${TOK[1]}" POST /api/v1/registrations "$(cs_body "$P1")"
expect_status 200
expect_json .id "$REG1"

# REG-1: on site, entered by staff for a candidate without a photo: refused the same way.
onsite() { cs_body "$2" | jq -c --argjson c "$1" '. + {candidate_id:$c}'; }
api "$AGENCY" POST /api/v1/registrations "$(onsite "${CID[2]}" "$P2")"
expect_error 422 PHOTO_REQUIRED
photo "${TOK[2]}"
api "$AGENCY" POST /api/v1/registrations "$(onsite "${CID[2]}" "$P2")"
expect_status 201
expect_json .channel onsite
REG2=$(jq -r .id "$WORK/body")
photo "${TOK[3]}"
api "${TOK[3]}" POST /api/v1/registrations "$(cs_body "$P1")"
expect_status 201
REG3=$(jq -r .id "$WORK/body")

# ---- REG-6: the exam's verification tasks ----
T="/api/v1/exams/$CS/verification_tasks"
api "$AUTH" GET "$T"
expect_status 200
expect_json '.items | length' 0
expect_json .counts.open 0
api "$AUTH" POST "/api/v1/exams/$CS/verification_samples" '{"size":3,"statuses":["submitted"]}'
expect_status 201
api "$REV1" POST "/api/v1/registrations/$REG1/verifications" '{"kind":"targeted","reason":"举报：学历存疑"}'
expect_status 201
TV=$(jq -r '.items[] | select(.kind == "targeted") | .id' "$WORK/body")
# The exam's authority sees every task, each with who, what and when.
api "$AUTH" GET "$T"
expect_status 200
expect_json '.items | length' 4
expect_json .counts.open 4
expect_json .counts.closed 0
expect_json .counts.open_by_kind.sample 3
expect_json .counts.open_by_kind.targeted 1
expect_json '[.items[].id] == ([.items[].id] | sort)' true
expect_json '.items[] | select(.id == '"$TV"') | [.kind, .candidate_name, .position_code, .created_by_name, .status, .due, .overdue, .reason] | join("|")' "targeted|考生1|100011|rev1|open|2027-06-01|false|举报：学历存疑"
expect_json '[.items[] | .id_number | test("^[0-9]{6}\\*+[0-9X]{4}$")] | all' true
expect_json "[.items[] | select(.kind == \"sample\") | .created_by_name] | unique | join(\",\")" auth
expect_json "[.items[] | select(.kind == \"sample\") | .registration_id] | sort | join(\",\")" "$(printf '%s\n' "$REG1" "$REG2" "$REG3" | sort -n | paste -sd,)"
expect_json '[.items[] | .created_at | length > 0] | all' true
expect_json .next_cursor null
[ "$(header Cache-Control)" = no-store ] || fail "the task list may be cached: $(header Cache-Control)"
# Filters and pages.
api "$AUTH" GET "$T?kind=targeted"
expect_json '[.items[].kind] | join(",")' targeted
expect_json .counts.open 4
api "$AUTH" GET "$T?kind=sample&limit=2"
expect_json '.items | length' 2
cur=$(jq -r .next_cursor "$WORK/body")
[ "$cur" != null ] || fail "no next cursor after a full page"
api "$AUTH" GET "$T?kind=sample&limit=2&cursor=$cur"
expect_json '.items | length' 1
expect_json .next_cursor null
# The wall between units: each recruiting agency's reviewer sees its own registrations' tasks.
api "$REV1" GET "$T"
expect_status 200
expect_json '.items | length' 3
expect_json '[.items[].position_code] | unique | join(",")' 100011
expect_json .counts.open 3
api "$REV2" GET "$T"
expect_json '.items | length' 1
expect_json '.items[0].registration_id' "$REG2"
expect_json .counts.open 1
api "$JSREV" GET "$T"
expect_error 404 NOT_FOUND
api "$REV1" GET "/api/v1/exams/$QN/verification_tasks"
expect_error 404 NOT_FOUND
api "$AUTH" GET /api/v1/exams/999999/verification_tasks
expect_error 404 NOT_FOUND
api "${TOK[1]}" GET "$T"
expect_status 403
api "" GET "$T"
expect_status 401
# Bad query values: 400 with the code, and which argument.
for q in status=decided status= kind=forgery cursor=abc cursor=-1 limit=0 limit=1001; do
	api "$AUTH" GET "$T?$q"
	expect_error 400 QUERY_INVALID
	expect_json .error.details.name "${q%%=*}"
done
# Deciding a task moves it from open to closed.
api "$REV1" POST "/api/v1/verifications/$TV/decision" '{"outcome":"confirmed","finding":"学信网核验属实"}'
expect_status 200
api "$REV1" GET "$T"
expect_json '.items | length' 2
expect_json .counts.open 2
expect_json .counts.closed 1
api "$REV1" GET "$T?status=closed"
expect_json '.items | length' 1
expect_json '.items[0] | [.id, .status, .outcome, (.decided_at != null), .overdue] | map(tostring) | join("|")' "$TV|closed|confirmed|true|false"
api "$REV2" GET "$T?status=closed"
expect_json '.items | length' 0
# Past the due date an open task is overdue.
server_restart_at 2027-06-02T10:00:00+08:00
login auth auth-password-1; AUTH=$TOKEN
api "$AUTH" GET "$T"
expect_json '[.items[].overdue] | all' true

audit_verify 0

# ---- an exam made before migration 0017 (photo_required null): not required, as before ----
db_query "UPDATE exams SET photo_required = NULL WHERE id = $QT" >/dev/null
server_restart_at 2026-11-24T10:00:00+08:00
api "" GET "/api/v1/public/exams/$QT"
expect_json .photo_required false
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[4]}\",\"password\":\"cand-pass-1\"}"
api "$(jq -r .token "$WORK/body")" POST /api/v1/registrations "$(qe_body "$QT")"
expect_status 201
server_stop
echo "ok"
