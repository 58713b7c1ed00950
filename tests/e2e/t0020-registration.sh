#!/usr/bin/env bash
# kw-e2e: cost 50
# Exams, positions and registration end to end (EXAM-1..5, REG-1..6): an exam published only
# with what AH 10 asks for, a position table imported all-or-nothing, the public notice with
# its pledge and the EXAM-3 warning, position search; candidates sign up with a checked
# identity document (REG-4: check digit, birth date, region; one account per document), log
# in with it, keep a profile; registration inside the window (REG-1) with the versioned
# pledge (REG-2), every unmet condition explained, a VH ban refusing civil service only
# (REG-5), the proof route for a qualification-archive record in term, a repeated submission
# answered without a duplicate, review with reasons and the wall between recruiting
# agencies (REG-6), a change of position after a rejection, pledge withdrawal (REG-3);
# identity numbers never in the audit or the log; audit verify passes.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

count() { db_query "SELECT COUNT(*) FROM $1"; }

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AH-GWY civil_service_authority provincial "$AH")
R1=$(unit 10001 recruiter provincial "$GWY")
R2=$(unit 10002 recruiter provincial "$GWY")
staff rev1 qualification_reviewer "$R1"; REV1=$TOKEN
staff rev2 qualification_reviewer "$R2"; REV2=$TOKEN

# ---- EXAM-1: an exam is a draft until AH 10's facts are there ----
api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"GWY2027\",\"name\":\"2027年度安徽省考试录用公务员\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false}"
expect_status 201
CS=$(jq -r .id "$WORK/body")
expect_json .status draft
expect_json .ticket_delivery self_print
api "$A" GET "/api/v1/exams/$CS"; etag=$(header ETag)
api "$A" PATCH "/api/v1/exams/$CS" '{"status":"published"}' -H "If-Match: $etag"
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[].problem] | unique | .[0]' required_to_publish
api "$A" PATCH "/api/v1/exams/$CS" '{"reg_opens_at":"2026-11-30T08:00:00+08:00","reg_closes_at":"2026-11-20T08:00:00+08:00"}' -H "If-Match: $etag"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' reg_closes_at
api "$A" PATCH "/api/v1/exams/$CS" '{"reg_opens_at":"2026-11-20 08:00"}' -H "If-Match: $etag"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' time_format
api "$A" PATCH "/api/v1/exams/$CS" '{"status":"published","reg_opens_at":"2026-11-20T08:00:00+08:00","reg_closes_at":"2026-11-30T18:00:00+08:00","exam_date":"2027-01-10","ref_date":"2026-11-30","syllabus_published_on":"2026-07-01","registration_places":"安徽人事考试网"}' -H "If-Match: $etag"
expect_status 200
expect_json .reg_opens_at 2026-11-20T00:00:00Z
expect_json .reg_closes_at 2026-11-30T10:00:00Z

# ---- EXAM-4: the position table, imported all-or-nothing ----
cat >"$WORK/pos.csv" <<EOF
考试,部门代码,职位代码,部门名称,招考职位,考试类别,招考人数,专业,学历,学位,政治面貌,基层工作最低年限,面试人员比例,工作地点,最低年龄,最高年龄
GWY2027,10001,100011,省税务局,一级主任科员及以下,general,2,0202,bachelor,bachelor,,,3:1,合肥市,18,35
GWY2027,10001,100012,省税务局,执法岗,law_enforcement,1,,master,master,cpc_member,2,3:1,芜湖市,18,30
GWY2027,10002,100021,省统计局,统计员,general,1,0714,bachelor,,,,3:1,合肥市,18,35
GWY2027,10001,100013,省税务局,综合岗,general,1,,junior_college,,,,5:1,安庆市,18,40
EOF
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
expect_json .imported 4
cat >"$WORK/bad.csv" <<EOF
考试,部门代码,职位代码,部门名称,招考职位,考试类别,招考人数,学历,面试人员比例
GWY2027,10001,100099,省税务局,好岗位,general,1,bachelor,3:1
GWY2027,10001,100098,省税务局,坏学历,general,1,phd,3:1
GWY2027,99999,100097,不存在,孤儿,general,1,bachelor,3:1
GWY2027,10001,100096,省税务局,零人数,general,0,bachelor,three
EOF
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/bad.csv" -H 'Content-Type: text/csv'
expect_error 422 IMPORT_INVALID
expect_json '[.error.details.rows[].line] | unique | join(",")' 3,4,5
[ "$(count positions)" = 4 ] || fail "a broken import wrote rows: $(count positions)"
P1=$(db_query "SELECT id FROM positions WHERE code = '100011'")
P2=$(db_query "SELECT id FROM positions WHERE code = '100012'")
P3=$(db_query "SELECT id FROM positions WHERE code = '100021'")
P4=$(db_query "SELECT id FROM positions WHERE code = '100013'")

# A qualification exam (PQ) with subjects, a closed one and one not yet open.
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"ZC2027\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"pledge_withdraw_until\":\"2026-11-25T00:00:00+08:00\",\"exam_date\":\"2027-06-01\",\"ref_date\":\"2027-06-01\",\"syllabus_published_on\":\"2027-01-15\",\"education_min\":\"junior_college\",\"levels\":\"初级,中级\"}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
for s in 01:经济基础知识 02:专业知识和实务; do
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"${s%%:*}\",\"name\":\"${s#*:}\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":5600}"
	expect_status 201
done
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"OLD\",\"name\":\"已截止的考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2026,\"status\":\"published\",\"reg_opens_at\":\"2026-10-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-11-24T09:59:59+08:00\",\"exam_date\":\"2027-03-01\",\"ref_date\":\"2027-03-01\"}"
expect_status 201
OLD=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$OLD,\"code\":\"01\",\"name\":\"科目一\",\"duration_minutes\":120,\"mode\":\"paper\"}"
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"NEW\",\"name\":\"未开始的考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"status\":\"published\",\"reg_opens_at\":\"2026-12-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-10T00:00:00+08:00\",\"exam_date\":\"2027-05-01\",\"ref_date\":\"2027-05-01\"}"
NEW=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"DRAFT\",\"name\":\"草稿考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027}"
DRAFT=$(jq -r .id "$WORK/body")

# ---- the public notice (AH 10), no login ----
api "" GET /api/v1/public/exams
expect_status 200
expect_json '[.items[].code] | sort | join(",")' GWY2027,NEW,OLD,ZC2027
api "" GET "/api/v1/public/exams/$DRAFT"
expect_error 404 NOT_FOUND
api "" GET "/api/v1/public/exams/$CS"
expect_status 200
expect_json .positions 4
expect_json .quota 5
expect_json .pledge.version AH-2026.1
expect_json '.pledge.items | length' 6
expect_json '.warnings | length' 0
api "" GET "/api/v1/public/exams/$QE"
expect_json '.subjects | length' 2
# EXAM-3: a syllabus published less than 6 months before the exam is flagged, not blocked.
expect_json '.warnings[0].code' SYLLABUS_LATE
expect_json .pledge.version PQ-2026.1
api "" GET "/api/v1/public/exams/$CS/positions?education=bachelor"
expect_json '[.items[].code] | join(",")' 100011,100021,100013
api "" GET "/api/v1/public/exams/$CS/positions?major=020201&education=master"
expect_json '[.items[].code] | join(",")' 100011,100012,100013
api "" GET "/api/v1/public/exams/$CS/positions?category=law_enforcement"
expect_json '[.items[].code] | join(",")' 100012
api "" GET "/api/v1/public/exams/$CS/positions?q=统计"
expect_json '.items[0].recruiter_name' "10002 单位"
api "" GET "/api/v1/public/exams/$CS/positions?education=phd"
expect_error 400 QUERY_INVALID

# ---- REG-4: sign-up with a checked identity document ----
ID1=$(idcard 340104 19980512 123)
ID2=$(idcard 340104 19900101 456)
ID3=$(idcard 110105 19850230 001) # 30 February
good=${ID1:0:17}
bad_check=$good$([ "${ID1:17:1}" = 0 ] && echo 1 || echo 0)
signup() { # signup ID NAME [TYPE]
	api "" POST /api/v1/candidates "$(jq -nc --arg i "$1" --arg n "$2" --arg t "${3:-resident_id}" '{id_type:$t,id_number:$i,name:$n,phone:"13812345678",password:"cand-pass-1"}')"
}
signup "$bad_check" 张三
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' check_digit
expect_json '.error.details.fields[0].message | length > 0' true
signup "$ID3" 李四
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' birth_date
signup "$(idcard 990104 19900101 456)" 王五
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' region
signup "12345" 赵六
expect_json '.error.details.fields[0].problem' length
[ "$(count candidates)" = 0 ] || fail "a refused sign-up wrote a candidate"
signup "$(echo "$ID1" | tr X x)" 张𠀀三
expect_status 201
C1=$(jq -r .id "$WORK/body")
expect_json .id_number "${ID1:0:6}********${ID1:14:4}"
expect_json .phone "138****5678"
expect_json .birth_date 1998-05-12
expect_json .name 张𠀀三
# One account per document: the second sign-up is refused, pointing at the claim path.
signup "$ID1" 冒名者
expect_error 409 IDENTITY_TAKEN
expect_json .error.rule REG-4
expect_json .error.details.claim /api/v1/identity_claims
signup "$ID2" 钱七
C2=$(jq -r .id "$WORK/body")
# REG-4: the other document types are never put through the resident-ID rules.
signup "P12345678" "John Smith" other
expect_status 201
C3=$(jq -r .id "$WORK/body")

clogin() { # clogin ID [TYPE] → TOKEN
	req POST /api/v1/session -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg i "$1" --arg t "${2:-resident_id}" '{id_type:$t,id_number:$i,password:"cand-pass-1"}')"
	expect_status 201
	TOKEN=$(jq -r .token "$WORK/body")
}
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$ID1\",\"password\":\"wrong-password\"}"
expect_error 401 LOGIN_FAILED
clogin "$ID1"; T1=$TOKEN
expect_json .user.kind candidate
clogin "$ID2"; T2=$TOKEN
clogin P12345678 other; T3=$TOKEN
api "$T1" GET /api/v1/me
expect_json .roles[0] candidate
expect_json .id "$C1"
# A candidate is no staff member: the staff registers are closed to them.
api "$T1" GET /api/v1/centres
expect_error 403 FORBIDDEN
api "$T1" GET /api/v1/exams
expect_error 403 FORBIDDEN
api "$A" GET /api/v1/candidates/me
expect_error 403 FORBIDDEN

# The profile the eligibility engine reads.
api "$T1" PATCH /api/v1/candidates/me '{"education":[{"level":"bachelor","degree":"bachelor","major_code":"020201K","major":"财政学","school":"安徽大学","graduated_on":"2020-07-01"}],"political_status":"cyl_member","household_region":"340104","work_years":3}'
expect_status 200
expect_json .education[0].major 财政学
api "$T1" PATCH /api/v1/candidates/me '{"education":[{"level":"phd"}],"work_years":-1,"shoe_size":42}'
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[].field] | join(",")' "education[0].level,work_years,shoe_size"
api "$T2" PATCH /api/v1/candidates/me '{"education":[{"level":"master","degree":"master","major_code":"071401","school":"中国科学技术大学","graduated_on":"2015-07-01"}],"political_status":"cpc_member","work_years":8,"grassroots_years":3}'
expect_status 200
# A document that carries no birth date: the candidate states it (checked at review).
api "$T3" PATCH /api/v1/candidates/me '{"birth_date":"1988-03-03","education":[{"level":"bachelor","degree":"bachelor","major_code":"020101","graduated_on":"2010-07-01"}]}'
expect_status 200
expect_json .birth_date 1988-03-03
# A resident ID card's birth date is the card's: it cannot be changed by hand.
api "$T1" PATCH /api/v1/candidates/me '{"birth_date":"1990-01-01"}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' fixed

# ---- REG-1, REG-2: registration inside the window with the pledge in force ----
submit() { # submit TOKEN JSON
	api "$1" POST /api/v1/registrations "$2"
}
pledge='"route":"pledge","pledge_version":"AH-2026.1","pledge_accepted":true'
submit "$T1" "{\"exam_id\":$CS,\"position_id\":$P2,$pledge}"
# Every unmet condition, each explained: a master's degree is asked, and party membership.
expect_error 422 ELIGIBILITY_UNMET
expect_json '[.error.details.unmet[].code] | join(",")' ELIG_EDUCATION,ELIG_DEGREE,ELIG_GRASSROOTS_YEARS,ELIG_POLITICAL_STATUS
expect_json '.error.details.unmet | map(.message | length > 0) | all' true
submit "$T1" "{\"exam_id\":$CS,\"position_id\":$P1,\"route\":\"pledge\",\"pledge_version\":\"AH-2025.9\",\"pledge_accepted\":true}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' not_current
submit "$T1" "{\"exam_id\":$CS,\"position_id\":$P1,\"route\":\"pledge\",\"pledge_version\":\"AH-2026.1\"}"
expect_json '.error.details.fields[0].field' pledge_accepted
submit "$T1" "{\"exam_id\":$CS,\"subjects\":[\"01\"],$pledge}"
expect_json '.error.details.fields[0].field' position_id
[ "$(count registrations)" = 0 ] || fail "a refused registration was written"
submit "$T1" "{\"exam_id\":$CS,\"position_id\":$P1,$pledge}"
expect_status 201
R1ID=$(jq -r .id "$WORK/body")
expect_json .status submitted
expect_json .pledge_version AH-2026.1
expect_json .channel online
[ "$(header Location)" = "/api/v1/registrations/$R1ID" ] || fail "Location: $(header Location)"
# A double submission: the same registration, no duplicate.
submit "$T1" "{\"exam_id\":$CS,\"position_id\":$P1,$pledge}"
expect_status 200
expect_json .id "$R1ID"
[ "$(count registrations)" = 1 ] || fail "a repeated submission wrote a second registration"
[ "$(db_query "SELECT pledge_address FROM registrations WHERE id = $R1ID")" = 127.0.0.1 ] || fail "the pledge's client address was not kept"
# REG-1: outside the window, by the clock.
submit "$T1" "{\"exam_id\":$OLD,\"subjects\":[\"01\"],\"route\":\"pledge\",\"pledge_version\":\"PQ-2026.1\",\"pledge_accepted\":true}"
expect_error 422 REG_WINDOW_CLOSED
expect_json .error.rule REG-1
submit "$T1" "{\"exam_id\":$NEW,\"subjects\":[\"01\"],\"route\":\"pledge\",\"pledge_version\":\"PQ-2026.1\",\"pledge_accepted\":true}"
expect_error 422 REG_WINDOW_NOT_OPEN
submit "$T1" "{\"exam_id\":$DRAFT,\"subjects\":[\"01\"],\"route\":\"proof\"}"
expect_error 404 NOT_FOUND

# ---- REG-5: a VH ban refuses civil service, and nothing else ----
# archive JSON: an archive entry by hand, asked for by $A with its grounds and approved by $A2
# (INF-5(5), INF-4); the entry as the register shows it in $WORK/body.
archive() {
	api "$A" POST /api/v1/archive_entries "${1%\}},\"grounds\":\"处理决定书及送达回证\"}"
	expect_status 202
	api "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
	expect_status 200
	api "$A" GET "/api/v1/archive_entries/$(jq -r .result.id "$WORK/body")"
	expect_status 200
}
archive "{\"unit_id\":$GWY,\"id_type\":\"resident_id\",\"id_number\":\"$ID2\",\"person_name\":\"钱七\",\"kind\":\"civil_service\",\"effect\":\"ban\",\"term_start\":\"2024-03-01\",\"term_end\":\"2029-02-28\",\"source_decision\":\"皖公考〔2024〕3号\"}"
expect_json .id_number "${ID2:0:6}********${ID2:14:4}"
submit "$T2" "{\"exam_id\":$CS,\"position_id\":$P3,$pledge}"
expect_error 422 REG_BANNED
expect_json .error.rule REG-5
submit "$T2" "{\"exam_id\":$QE,\"subjects\":[\"01\",\"02\"],\"route\":\"pledge\",\"pledge_version\":\"PQ-2026.1\",\"pledge_accepted\":true}"
expect_status 201
RQ2=$(jq -r .id "$WORK/body")
expect_json '.subjects | join(",")' 01,02
# A ban that ended yesterday no longer refuses.
archive "{\"unit_id\":$GWY,\"id_type\":\"other\",\"id_number\":\"P12345678\",\"person_name\":\"John Smith\",\"kind\":\"civil_service\",\"effect\":\"ban\",\"term_start\":\"2021-11-23\",\"term_end\":\"2026-11-23\",\"source_decision\":\"皖公考〔2021〕9号\"}"
api "$A" POST /api/v1/archive_entries "{\"unit_id\":$GWY,\"id_type\":\"other\",\"id_number\":\"P12345678\",\"person_name\":\"John Smith\",\"kind\":\"civil_service\",\"effect\":\"ban\",\"term_start\":\"2021-11-23\",\"lifetime\":true,\"term_end\":\"2026-11-23\",\"source_decision\":\"x\",\"grounds\":\"x\"}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' lifetime_has_no_end
submit "$T3" "{\"exam_id\":$CS,\"position_id\":$P4,$pledge}"
expect_status 201
R3ID=$(jq -r .id "$WORK/body")

# ---- REG-2: a qualification-archive record in term closes the pledge route ----
archive "{\"unit_id\":$AH,\"id_type\":\"other\",\"id_number\":\"P12345678\",\"person_name\":\"John Smith\",\"kind\":\"qualification\",\"effect\":\"record\",\"term_start\":\"2025-01-01\",\"term_end\":\"2027-12-31\",\"source_decision\":\"人社考〔2025〕1号\"}"
submit "$T3" "{\"exam_id\":$QE,\"subjects\":[\"01\"],\"route\":\"pledge\",\"pledge_version\":\"PQ-2026.1\",\"pledge_accepted\":true}"
expect_error 422 PLEDGE_NOT_AVAILABLE
expect_json .error.rule REG-2
submit "$T3" "{\"exam_id\":$QE,\"subjects\":[\"01\"],\"route\":\"proof\"}"
expect_status 201
expect_json .route proof
expect_json .pledge_version null

# ---- REG-6: review by the recruiting agency, behind its wall ----
api "$REV1" GET "/api/v1/registrations?exam_id=$CS"
expect_status 200
expect_json '[.items[].id] | sort | join(",")' "$(printf '%s\n' "$R1ID" "$R3ID" | sort -n | paste -sd,)"
expect_json '.items[0].id_number | test("\\*{8}")' true
# The queue: how many in each state, and since when the oldest waits.
expect_json '.counts | [.submitted, .approved, .rejected, .void] | join(",")' 2,0,0,0
expect_json '.oldest_submitted_at | length > 0' true
api "$REV2" GET "/api/v1/registrations?exam_id=$CS"
expect_json '.items | length' 0
api "$REV2" GET "/api/v1/registrations/$R1ID"
expect_error 404 NOT_FOUND
api "$REV2" POST "/api/v1/registrations/$R1ID/review" '{"decision":"approve"}'
expect_error 404 NOT_FOUND
api "$REV1" POST "/api/v1/registrations/$R1ID/review" '{"decision":"reject"}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' reason
api "$REV1" POST "/api/v1/registrations/$R1ID/review" '{"decision":"reject","reason":"所学专业与职位要求不符：职位要求财政学类，学历证书显示为金融学。"}'
expect_status 200
expect_json .status rejected
# The candidate sees the reason; another candidate sees nothing of it.
api "$T1" GET "/api/v1/registrations/$R1ID"
expect_json .review_reason "所学专业与职位要求不符：职位要求财政学类，学历证书显示为金融学。"
api "$T2" GET "/api/v1/registrations/$R1ID"
expect_error 404 NOT_FOUND
api "$T2" GET /api/v1/registrations
expect_json '[.items[].id] | join(",")' "$RQ2"
# After a rejection, while the window is open, another position — reviewed anew.
submit "$T1" "{\"exam_id\":$CS,\"position_id\":$P4,$pledge}"
expect_status 201
expect_json .id "$R1ID"
expect_json .status submitted
expect_json .position_id "$P4"
expect_json .review_reason null
api "$REV1" POST "/api/v1/registrations/$R1ID/review" '{"decision":"approve"}'
expect_status 200
expect_json .status approved
api "$REV1" POST "/api/v1/registrations/$R1ID/review" '{"decision":"reject","reason":"再审"}'
expect_error 409 REG_NOT_PENDING
# Reviewing belongs to reviewers: a candidate cannot review even their own.
api "$T1" POST "/api/v1/registrations/$R1ID/review" '{"decision":"approve"}'
expect_error 403 FORBIDDEN

# ---- the public figures per position, rendered once and served with an ETag ----
api "" GET "/api/v1/public/exams/$CS/statistics"
expect_status 200
expect_json '.positions | length' 4
expect_json ".positions[] | select(.id == $P4) | [.submitted, .approved, .pending, .ratio] | join(\",\")" 2,1,1,1
expect_json ".positions[] | select(.id == $P1) | .submitted" 0
expect_json '.totals | [.quota, .submitted, .approved, .pending] | join(",")' 5,2,1,1
etag=$(header ETag)
api "" GET "/api/v1/public/exams/$CS/statistics" -H "If-None-Match: $etag"
expect_status 304
api "" GET "/api/v1/public/exams/$DRAFT/statistics"
expect_error 404 NOT_FOUND

# ---- REG-3: withdrawing a pledge, with a reason, before the deadline ----
api "$T2" POST "/api/v1/registrations/$RQ2/pledge_withdrawal" '{"reason":""}'
expect_error 400 VALIDATION_FAILED
api "$T2" POST "/api/v1/registrations/$RQ2/pledge_withdrawal" '{"reason":"工作年限证明需单位盖章，改为提供证明材料。"}'
expect_status 200
expect_json .route proof
expect_json '.pledge_withdrawn_at | length > 0' true
api "$T2" POST "/api/v1/registrations/$RQ2/pledge_withdrawal" '{"reason":"again"}'
expect_error 409 PLEDGE_NOT_GIVEN

# ---- REG-4: the claim path for a document someone else registered ----
ID4=$(idcard 340104 19950101 777)
api "" POST /api/v1/identity_claims "$(jq -nc --arg i "$ID4" '{id_number:$i,name:"孙八",phone:"13900001111",statement:"本人从未注册",password:"claim-pass-1"}')"
expect_error 422 CLAIM_NOT_NEEDED
signup "$ID4" 冒用者
C4=$(jq -r .id "$WORK/body")
clogin "$ID4"; T4=$TOKEN
api "$T4" PATCH /api/v1/candidates/me '{"education":[{"level":"junior_college"}]}'
expect_status 200
submit "$T4" "{\"exam_id\":$QE,\"subjects\":[\"01\"],\"route\":\"proof\"}"
expect_status 201
R4ID=$(jq -r .id "$WORK/body")
api "" POST /api/v1/identity_claims "$(jq -nc --arg i "$ID4" '{id_number:$i,name:"孙八",phone:"13900001111",statement:"本人从未在此注册，发现证件号码已被占用。",password:"claim-pass-1"}')"
expect_status 201
CL=$(jq -r .id "$WORK/body")
api "$REV1" GET /api/v1/identity_claims
expect_error 403 FORBIDDEN
api "$A" GET "/api/v1/identity_claims?status=open"
expect_json '.items | length' 1
expect_json '.items[0].id_number | test("\\*{8}")' true
api "$A" POST "/api/v1/identity_claims/$CL/decision" '{"decision":"uphold"}'
expect_error 400 VALIDATION_FAILED
api "$A" POST "/api/v1/identity_claims/$CL/decision" '{"decision":"uphold","reason":"已现场核验身份证原件，确认为本人。"}'
expect_status 200
expect_json .registrations_voided 1
# The squatter's session is over; the owner logs in with the claim's password.
api "$T4" GET /api/v1/me
expect_error 401 SESSION_INVALID
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$ID4\",\"password\":\"claim-pass-1\"}"
expect_status 201
expect_json .user.display_name 孙八
[ "$(db_query "SELECT status FROM registrations WHERE id = $R4ID")" = void ] || fail "the squatter's registration stands"
api "$A" POST "/api/v1/identity_claims/$CL/decision" '{"decision":"dismiss","reason":"again"}'
expect_error 409 CLAIM_DECIDED

# ---- secrets: identity numbers never in the audit or the server's log ----
for id in "$ID1" "$ID2" "$ID4" P12345678; do
	n=$(db_query "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%$id%'")
	[ "$n" = 0 ] || fail "an identity number is in $n audit details"
	! grep -q "$id" "$WORK/server.log" || fail "an identity number is in the server log"
done
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.submit'")" = 5 ] || fail "registration audit records"
audit_verify 0
echo ok
