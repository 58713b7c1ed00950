#!/usr/bin/env bash
# EXAM-2 (PQ 16(1)): a national pre-exam rule template fixes the kind, rule set, exam dates,
# conditions and subjects; a provincial exam made from it inherits them (a different value is
# refused), gets the subjects copied with fees to set, and sets what is provincial (window,
# fees, procedure, ticket delivery); what the template changes later reaches every provincial
# exam in the same transaction, audited; a provincial exam is published and registered for.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_agency provincial "$root")
JS=$(unit JS provincial_agency provincial "$root")
get() { # get PATH FIELD
	api "$A" GET "$1"
	jq -r ".$2" "$WORK/body"
}
patch() { # patch PATH JSON
	api "$A" GET "$1"
	local etag
	etag=$(header ETag)
	api "$A" PATCH "$1" "$2" -H "If-Match: $etag"
}

# ---- the national template ----
api "$A" POST /api/v1/exams "{\"unit_id\":$root,\"code\":\"ZC-2027\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"status\":\"template\",\"exam_date\":\"2027-11-07\",\"ref_date\":\"2027-11-07\",\"syllabus_published_on\":\"2027-03-01\",\"levels\":\"初级,中级\",\"education_min\":\"junior_college\"}"
expect_status 201
T=$(jq -r .id "$WORK/body")
for s in 01:经济基础知识 02:专业知识和实务; do
	api "$A" POST /api/v1/subjects "{\"exam_id\":$T,\"code\":\"${s%%:*}\",\"name\":\"${s#*:}\",\"duration_minutes\":150,\"mode\":\"cbt\",\"starts_at\":\"2027-11-07T09:00:00+08:00\"}"
	expect_status 201
done

# ---- a provincial exam from it: inherits, copies the subjects ----
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"ZC-AH-2027\",\"name\":\"2027年度经济专业技术资格考试（安徽考区）\",\"year\":2027,\"template_id\":$T,\"photo_required\":false}"
expect_status 201
P=$(jq -r .id "$WORK/body")
expect_json .kind qualification
expect_json .ruleset PQ
expect_json .exam_date 2027-11-07
expect_json .education_min junior_college
api "$A" GET "/api/v1/subjects?exam_id=$P"
expect_json '[.items[] | "\(.code):\(.duration_minutes):\(.fee_cents)"] | join(",")' 01:150:0,02:150:0
S1=$(jq -r '.items[] | select(.code == "01") | .id' "$WORK/body")
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'subject.from_template'")" = 2 ] || fail "copied subjects not audited"
# What the template fixes cannot be set otherwise by a province.
api "$A" POST /api/v1/exams "{\"unit_id\":$JS,\"code\":\"ZC-JS-2027\",\"name\":\"江苏考区\",\"year\":2027,\"template_id\":$T,\"exam_date\":\"2027-11-14\"}"
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[] | "\(.field):\(.problem)"] | join(",")' exam_date:fixed_by_template
api "$A" POST /api/v1/exams "{\"unit_id\":$JS,\"code\":\"ZC-JS-2027\",\"name\":\"江苏考区\",\"year\":2027,\"template_id\":$T,\"exam_date\":\"2027-11-07\",\"kind\":\"qualification\"}"
expect_status 201 # the same values are no change
J=$(jq -r .id "$WORK/body")
patch "/api/v1/exams/$P" '{"ref_date":"2027-12-31"}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' fixed_by_template
# Only a template is a template; a template names none.
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"X1\",\"name\":\"x\",\"year\":2027,\"template_id\":$P}"
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[] | select(.field == "template_id") | .problem] | join(",")' not_a_template
api "$A" POST /api/v1/exams "{\"unit_id\":$root,\"code\":\"X2\",\"name\":\"x\",\"year\":2027,\"status\":\"template\",\"template_id\":$T}"
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[] | select(.field == "template_id") | .problem] | join(",")' template_nested
patch "/api/v1/exams/$T" '{"status":"published"}'
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[] | select(.field == "status") | .problem] | join(",")' template_stays_template

# ---- the province sets its own: window, fees, procedure; subjects only by fee ----
patch "/api/v1/subjects/$S1" '{"fee_cents":5600}'
expect_status 200
patch "/api/v1/subjects/$S1" '{"duration_minutes":120}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' fixed_by_template
api "$A" POST /api/v1/subjects "{\"exam_id\":$P,\"code\":\"09\",\"name\":\"自设科目\",\"duration_minutes\":60,\"mode\":\"paper\"}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' subjects_from_template
S2=$(db_query "SELECT id FROM subjects WHERE exam_id = $P AND code = '02'")
patch "/api/v1/subjects/$S2" '{"fee_cents":5600}'
expect_status 200
patch "/api/v1/exams/$P" '{"status":"published","reg_opens_at":"2026-11-20T08:00:00+08:00","reg_closes_at":"2026-11-30T18:00:00+08:00","registration_places":"安徽人事考试网","fee_approval":"皖价费〔2026〕12号","ticket_delivery":"self_print"}'
expect_status 200
expect_json .exam_date 2027-11-07

# ---- the template changes later: every province follows, audited ----
patch "/api/v1/exams/$T" '{"exam_date":"2027-11-14","ref_date":"2027-11-14"}'
expect_status 200
[ "$(get "/api/v1/exams/$P" exam_date)" = 2027-11-14 ] || fail "Anhui did not follow the template's date"
[ "$(get "/api/v1/exams/$J" exam_date)" = 2027-11-14 ] || fail "Jiangsu did not follow the template's date"
[ "$(get "/api/v1/exams/$P" reg_opens_at)" = 2026-11-20T00:00:00Z ] || fail "the province's window moved"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'exam.from_template'")" = 2 ] || fail "followed changes not audited"
TS1=$(db_query "SELECT id FROM subjects WHERE exam_id = $T AND code = '01'")
patch "/api/v1/subjects/$TS1" '{"name":"经济基础知识（2027版）"}'
expect_status 200
[ "$(get "/api/v1/subjects/$S1" name)" = "经济基础知识（2027版）" ] || fail "the subject's new name did not follow"
[ "$(get "/api/v1/subjects/$S1" fee_cents)" = 5600 ] || fail "the province's fee was overwritten"
api "$A" POST /api/v1/subjects "{\"exam_id\":$T,\"code\":\"03\",\"name\":\"新增科目\",\"duration_minutes\":90,\"mode\":\"cbt\"}"
expect_status 201
[ "$(db_query "SELECT COUNT(*) FROM subjects WHERE code = '03'")" = 3 ] || fail "the new subject did not reach both provinces"

# ---- the provincial exam is what candidates see and register for ----
api "" GET "/api/v1/public/exams/$P"
expect_status 200
expect_json .exam_date 2027-11-14
ID=$(idcard 340104 19900101 111)
api "" POST /api/v1/candidates "$(jq -nc --arg i "$ID" '{id_number:$i,name:"考生",phone:"13800000000",password:"cand-pass-1"}')"
expect_status 201
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$ID\",\"password\":\"cand-pass-1\"}"
C=$(jq -r .token "$WORK/body")
api "$C" PATCH /api/v1/candidates/me '{"education":[{"level":"bachelor","degree":"bachelor","major_code":"020101","major":"经济学","school":"安徽大学","graduated_on":"2012-07-01"}]}'
expect_status 200
api "$C" POST /api/v1/registrations "$(jq -nc --argjson e "$P" --arg v "$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")" '{exam_id:$e,subjects:["01","02"],route:"pledge",pledge_version:$v,pledge_accepted:true}')"
expect_status 201
audit_verify 0
server_stop
echo "ok"
