#!/usr/bin/env bash
# Violation cases (VIO-0 … VIO-9, INF-5(5), INF-5(6); VH 7, 18-21): a room record signed by two
# staff with evidence, the notice of the intended decision (PDF and portal message), the
# candidate's statement and defence within the period on the holiday calendar, its review,
# the numbered decision letter decided by a unit the catalogue names, its effects applied by
# kaowu (registration cancelled, archive ban from the decision date that refuses the next
# civil-service registration), service and the appeal deadlines from receipt, and a revocation
# that needs new evidence and a second person and undoes every effect. Each refusal the issue
# names is checked: one signature, no evidence, no notice, the defence period, a decider below
# the catalogue's level or of the wrong kind, a ban not starting on the decision date, a
# revocation without evidence, self-approval; VH is never applied to a qualification exam.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AHGWY civil_service_authority provincial "$AH")
HF=$(unit HFGWY civil_service_authority prefecture "$GWY")
FX=$(unit FXGWY civil_service_authority county "$HF")
R1=$(unit 10001 recruiter provincial "$GWY")
JS=$(unit JS provincial_authority provincial "$root")
staff agency agency_staff "$AH"; AGENCY=$TOKEN
staff proc1 proctor "$AH"; P1=$TOKEN
staff proc2 proctor "$AH"; P2=$TOKEN
staff auth civil_service_authority_officer "$GWY"; AUTH=$TOKEN
staff auth2 civil_service_authority_officer "$GWY"; AUTH2=$TOKEN
staff recr recruiter_officer "$R1"; RECR=$TOKEN
staff jsagency agency_staff "$JS"; JSAG=$TOKEN
staff rev qualification_reviewer "$R1"; REV=$TOKEN

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-31T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
for code in GWY GWY2; do
	api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"$code\",\"name\":\"2027年度安徽省考试录用公务员 $code\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,$window}"
	expect_status 201
	[ "$code" = GWY ] && CS=$(jq -r .id "$WORK/body") || CS2=$(jq -r .id "$WORK/body")
done
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY,10001,100011,科员,general,5\nGWY2,10001,200011,科员,general,5\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
POS=$(db_query "SELECT id FROM positions WHERE code = '100011'")
POS2=$(db_query "SELECT id FROM positions WHERE code = '200011'")
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"ZC\",\"name\":\"经济专业技术资格\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,$window}"
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":5600}"
expect_status 201
AHV=$(jq -r .AH.version "$KW_SRC/data/pledges/pledges.json")
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")

declare -A TOK REG IDN
for i in 1 2 3; do
	IDN[$i]=$(idcard 340104 1990020$i 21$i)
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$i]}" --arg n "考生$i" '{id_number:$i,name:$n,phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$i]}\",\"password\":\"cand-pass-1\"}"
	TOK[$i]=$(jq -r .token "$WORK/body")
	if [ "$i" -le 2 ]; then
		body=$(jq -nc --argjson e "$CS" --argjson p "$POS" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true}')
	else
		body=$(jq -nc --argjson e "$QE" --arg v "$PQV" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true}')
	fi
	api "${TOK[$i]}" POST /api/v1/registrations "$body"
	expect_status 201
	REG[$i]=$(jq -r .id "$WORK/body")
done
api "$REV" POST "/api/v1/registrations/${REG[1]}/review" '{"decision":"approve"}'
expect_status 200

# ---- opening: the room record (VIO-8), the catalogue fixed by the exam's kind (VIO-0) ----
open='{"registration_id":'"${REG[1]}"',"source":"room_record","source_ref":"第012考场记录","stage":"exam","subject":"行政职业能力测验","entry_id":"VH-7-1-3","facts":"考试开始后40分钟，监考员发现该考生在桌下使用手机拍摄试题","occurred_at":"2026-11-22T09:40:00+08:00","place":"合肥一中 第012考场","actions_taken":"当场制止，暂扣手机，拍照固定证据"}'
api "${TOK[1]}" POST /api/v1/cases "$open"
expect_error 403 FORBIDDEN
api "$JSAG" POST /api/v1/cases "$open"
expect_error 404 NOT_FOUND
api "$AGENCY" POST /api/v1/cases "$(jq -c '.entry_id = "VH-10-1-serious"' <<<"$open")"
expect_error 422 CASE_STAGE_MISMATCH
api "$AGENCY" POST /api/v1/cases "$(jq -c '.entry_id = "ORDER31-7-1-1"' <<<"$open")"
expect_error 400 CATALOGUE_ENTRY_UNKNOWN
api "$AGENCY" POST /api/v1/cases "$(jq -c 'del(.facts) | .source = "rumour"' <<<"$open")"
expect_error 400 VALIDATION_FAILED
[ "$(db_query "SELECT COUNT(*) FROM cases")" = 0 ] || fail "a refused case was written"
api "$AGENCY" POST /api/v1/cases "$open"
expect_status 201
expect_json .status open
expect_json .catalogue VH
expect_json .entry.citation_zh 第七条第一款第三项
C=$(jq -r .id "$WORK/body")
# VIO-0: a qualification exam's case runs under Order No. 31, never VH.
api "$AGENCY" POST /api/v1/cases "{\"registration_id\":${REG[3]},\"source\":\"room_record\",\"stage\":\"exam\",\"entry_id\":\"VH-7-1-3\",\"facts\":\"使用手机\",\"occurred_at\":\"2026-11-22T09:40:00+08:00\"}"
expect_error 400 CATALOGUE_ENTRY_UNKNOWN
api "$AGENCY" POST /api/v1/cases "{\"registration_id\":${REG[3]},\"source\":\"room_record\",\"stage\":\"exam\",\"facts\":\"使用手机\",\"occurred_at\":\"2026-11-22T09:40:00+08:00\"}"
expect_status 201
expect_json .catalogue ORDER31
QC=$(jq -r .id "$WORK/body")

# ---- VIO-8: two signatures and evidence before the notice; no decision before it ----
api "$P1" POST "/api/v1/cases/$C/signatures" '{"role_note":"监考员"}'
expect_status 200
api "$P1" POST "/api/v1/cases/$C/signatures" '{}'
expect_error 409 CASE_ALREADY_SIGNED
api "$AGENCY" POST "/api/v1/cases/$C/notice" '{"method":"portal"}'
expect_error 422 CASE_SIGNATURES
expect_json .error.rule VIO-8
api "$P2" POST "/api/v1/cases/$C/signatures" '{"role_note":"监考员"}'
expect_status 200
expect_json '.signatures | length' 2
api "$AGENCY" POST "/api/v1/cases/$C/notice" '{"method":"portal"}'
expect_error 422 CASE_EVIDENCE_REQUIRED
api "$P1" POST "/api/v1/cases/$C/files?kind=evidence&label=%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
EV=$(jq -r .id "$WORK/body")
api "$P1" POST "/api/v1/cases/$C/files?kind=evidence&label=x" --data-binary 'not an image' -H 'Content-Type: image/jpeg'
expect_error 400 FILE_NOT_IMAGE
# drafts: the notice and the letter as they would read, before anything is issued
api "$AGENCY" GET "/api/v1/cases/$C/drafts/notice"
expect_status 200
expect_json '.lines[0]' 编号：（草稿，签发时编号）
grep -q 第七条第一款第三项 "$WORK/body" || fail "the notice draft does not cite the article"
api "$AUTH" GET "/api/v1/cases/$C/drafts/letter?unit_id=$GWY&format=pdf"
expect_status 200
pdftotext "$WORK/body" - | tr -d ' \n' | grep -q 草稿 || fail "the letter draft is not marked as a draft"
api "$AGENCY" GET "/api/v1/cases/$C/drafts/minutes"
expect_error 404 NOT_FOUND
api "$P1" GET "/api/v1/cases/$C/drafts/letter"
expect_error 403 FORBIDDEN
[ "$(db_query "SELECT COUNT(*) FROM case_files WHERE case_id = $C AND kind IN ('notice', 'letter')")" = 0 ] || fail "a draft was stored"
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$GWY}"
expect_error 422 CASE_NOTICE_NOT_SERVED
api "$AGENCY" POST "/api/v1/cases/$C/notice" '{"method":"portal","receipt_date":"2026-11-25"}'
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST "/api/v1/cases/$C/notice" '{"method":"portal"}'
expect_status 200
expect_json .status notified
expect_json .notice_receipt_date 2026-11-24
expect_json .defence_due 2026-12-01 # 5 working days on the holiday calendar
NOTICE=$(jq -r '.files[] | select(.kind == "notice") | .url' "$WORK/body")
[ -n "$NOTICE" ] || fail "no notice PDF"
# the candidate sees the notice in the portal and reads the PDF
api "${TOK[1]}" GET /api/v1/candidates/me/cases
expect_status 200
expect_json '.cases[0].id' "$C"
expect_json '.messages[0].kind' case_notice
expect_json '.cases[0].entry.citation_zh' 第七条第一款第三项
api "${TOK[1]}" GET "$NOTICE"
expect_status 200
cp "$WORK/body" "$WORK/notice.pdf"
pdftotext "$WORK/notice.pdf" - | tr -d ' \n' >"$WORK/notice.txt"
grep -q 陈述 "$WORK/notice.txt" || fail "the notice does not speak of the statement and defence"
grep -q 2026年12月1日 "$WORK/notice.txt" || fail "the notice does not give the defence period's end"
api "${TOK[1]}" GET "/api/v1/cases/$C/files/$EV"
expect_error 404 NOT_FOUND
api "${TOK[2]}" GET "/api/v1/cases/$C"
expect_error 404 NOT_FOUND
api "${TOK[1]}" GET "/api/v1/cases/$C"
expect_status 200
[ "$(jq 'has("signatures") or has("events")' "$WORK/body")" = false ] || fail "the candidate sees internal records"

# ---- the statement and defence, within the period; no decision before it ends ----
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$GWY}"
expect_error 422 CASE_DEFENCE_PERIOD
expect_json .error.details.defence_due 2026-12-01
api "${TOK[1]}" POST "/api/v1/cases/$C/defence" '{"text":"手机是关机状态，我只是想看时间。"}'
expect_status 200
expect_json .defence_text 手机是关机状态，我只是想看时间。

server_restart_at 2026-12-02T10:00:00+08:00
login agency agency-password-1; AGENCY=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login auth2 auth2-password-1; AUTH2=$TOKEN
login recr recr-password-1; RECR=$TOKEN
login proc1 proc1-password-1; P1=$TOKEN
login jsagency jsagency-password-1; JSAG=$TOKEN
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[1]}\",\"password\":\"cand-pass-1\"}"
TOK[1]=$(jq -r .token "$WORK/body")
api "${TOK[1]}" POST "/api/v1/cases/$C/defence" '{"text":"补充"}'
expect_error 422 CASE_DEFENCE_CLOSED
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$GWY}"
expect_error 422 CASE_DEFENCE_NOT_REVIEWED
api "$AGENCY" POST "/api/v1/cases/$C/defence_review" '{"review":"经调取监控，考生在考试中操作手机拍摄试卷，申辩理由不成立。"}'
expect_status 200

# ---- VIO-7: who decides; VH 20: the ban runs from the decision date ----
api "$RECR" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$R1}"
expect_error 422 CASE_DECIDER_NOT_ALLOWED
expect_json .error.rule VIO-7
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$FX}"
expect_error 422 CASE_DECIDER_LEVEL
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$GWY,\"ban_start\":\"2026-12-01\"}"
expect_error 422 CASE_BAN_START
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$GWY,\"entry_id\":\"VH-8-1-3\"}"
expect_error 422 CASE_ENTRY_CHANGED
[ "$(db_query "SELECT status FROM cases WHERE id = $C")" = notified ] || fail "a refused decision changed the case"
[ "$(db_query "SELECT COUNT(*) FROM archive_entries")" = 0 ] || fail "a refused decision wrote the archive"
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$GWY,\"ban_start\":\"2026-12-02\"}"
expect_status 200
expect_json .status decided
expect_json .decision_date 2026-12-02
expect_json .penalty cancel_plus_5_year_ban
NUMBER=$(jq -r .decision_number "$WORK/body")
LETTER=$(jq -r '.files[] | select(.kind == "letter") | .url' "$WORK/body")
[ "$(jq -r '[.effects[].kind] | sort | join(",")' "$WORK/body")" = archive,registration_cancelled ] || fail "effects: $(jq -c .effects "$WORK/body")"
[ "$(db_query "SELECT status FROM registrations WHERE id = ${REG[1]}")" = cancelled ] || fail "the registration was not cancelled"
[ "$(db_query "SELECT kind || '/' || effect || '/' || term_start || '/' || term_end || '/' || case_id || '/' || source_decision FROM archive_entries")" = "civil_service/ban/2026-12-02/2031-12-01/$C/$NUMBER" ] || fail "archive entry: $(db_query "SELECT * FROM archive_entries")"
api "${TOK[1]}" GET "$LETTER"
expect_status 200
cp "$WORK/body" "$WORK/letter.pdf"
pdftotext "$WORK/letter.pdf" - | tr -d ' \n' >"$WORK/letter.txt"
for s in 公务员录用违规违纪行为处理决定书 "$NUMBER" 考生1 第七条第一款第三项 取消本次考试资格并五年内限制报考公务员 60日内 6个月内 2026年12月2日; do
	grep -q "$s" "$WORK/letter.txt" || fail "the letter lacks $s"
done
# the entry a decision wrote is not edited by hand, grounds or not (INF-5(5)): only through
# its case
AE=$(db_query "SELECT id FROM archive_entries WHERE case_id = $C")
api "$A" GET "/api/v1/archive_entries/$AE"; etag=$(header ETag)
api "$A" PATCH "/api/v1/archive_entries/$AE" '{"term_end":"2027-12-01","grounds":"复核意见"}' -H "If-Match: $etag"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' from_case
[ "$(db_query "SELECT COUNT(*) FROM approvals WHERE kind LIKE 'archive_entry.%'")" = 0 ] || fail "a change of a case's entry was asked for"
# the archive holds the ban and a further civil-service registration is refused (REG-5)
api "${TOK[1]}" POST /api/v1/registrations "$(jq -nc --argjson e "$CS2" --argjson p "$POS2" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true}')"
expect_error 422 REG_BANNED
# an archive look-up by someone without the role
api "$P1" GET "/api/v1/archive_entries"
expect_error 403 FORBIDDEN

# ---- service: the deadlines count from receipt (VIO-8) ----
api "$AGENCY" POST "/api/v1/cases/$C/service" '{"method":"direct","receipt_date":"2026-12-01"}'
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST "/api/v1/cases/$C/service" '{"method":"direct","receipt_date":"2026-12-02"}'
expect_status 200
expect_json .status served
expect_json .review_due 2027-01-31
expect_json .lawsuit_due 2027-06-02
expect_json .deadlines_provisional true # the 2027 holiday calendar is not loaded yet
api "$AGENCY" POST "/api/v1/cases/$C/appeals" '{"kind":"review","filed_on":"2026-12-02","body":"安徽省人民政府","outcome":"pending"}'
expect_status 200
expect_json '.appeals | length' 1

# ---- VH 13, 14: the other consequences, each a recorded step ----
api "$AUTH" POST "/api/v1/cases/$C/consequences" '{"kind":"employer_notified","to":"合肥市某局","on":"2026-12-03"}'
expect_error 400 VALIDATION_FAILED
api "$AUTH" POST "/api/v1/cases/$C/consequences" '{"kind":"tell_everyone","to":"x","on":"2026-12-02"}'
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST "/api/v1/cases/$QC/consequences" '{"kind":"employer_notified","to":"x","on":"2026-12-02"}'
expect_error 409 CASE_STATE
api "$AUTH" POST "/api/v1/cases/$C/consequences" '{"kind":"employer_notified","to":"合肥市某局（考生现工作单位）","on":"2026-12-02","note":"函告违规违纪事实及处理结果"}'
expect_status 200
expect_json '[.events[] | select(.kind == "consequence")][0].details.kind' employer_notified

# ---- INF-5(5), INF-4: a revocation needs new evidence and a second person ----
api "$AGENCY" POST "/api/v1/cases/$C/changes" '{"kind":"revoke","grounds":"行政复议决定撤销原处理决定"}'
expect_error 422 CASE_CHANGE_EVIDENCE
api "$AGENCY" POST "/api/v1/cases/$C/files?kind=change&label=%E5%A4%8D%E8%AE%AE%E5%86%B3%E5%AE%9A%E4%B9%A6" --data-binary "@$KW_SRC/tests/data/uploads/portrait.png" -H 'Content-Type: image/png'
expect_status 201
CF=$(jq -r .id "$WORK/body")
api "$AGENCY" POST "/api/v1/cases/$C/changes" "{\"kind\":\"revoke\",\"grounds\":\"行政复议决定撤销原处理决定\",\"evidence_files\":[$EV]}"
expect_error 400 VALIDATION_FAILED
api "$AUTH" POST "/api/v1/cases/$C/changes" "{\"kind\":\"revoke\",\"grounds\":\"行政复议决定撤销原处理决定\",\"evidence_files\":[$CF]}"
expect_status 200
CH=$(jq -r '.changes[-1].id' "$WORK/body")
[ "$(db_query "SELECT revoked_at IS NULL FROM archive_entries")" = "$(db_query "SELECT 1 = 1")" ] || fail "a request alone changed the archive"
api "$AUTH" POST "/api/v1/cases/$C/changes/$CH/approve" '{}'
expect_error 403 SELF_APPROVAL
api "$AUTH2" POST "/api/v1/cases/$C/changes/$CH/approve" '{"reason":"复议决定书已核对"}'
expect_status 200
expect_json .status revoked
[ "$(db_query "SELECT status FROM registrations WHERE id = ${REG[1]}")" = approved ] || fail "the registration was not restored"
[ "$(db_query "SELECT COUNT(*) FROM archive_entries WHERE revoked_at IS NOT NULL")" = 1 ] || fail "the archive entry was not revoked"
[ "$(db_query "SELECT COUNT(*) FROM case_effects WHERE reversed_at IS NULL")" = 0 ] || fail "an effect was not reversed"
api "${TOK[1]}" POST /api/v1/registrations "$(jq -nc --argjson e "$CS2" --argjson p "$POS2" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true}')"
expect_status 201
api "${TOK[1]}" GET /api/v1/candidates/me/cases
expect_json '.messages[0].kind' case_revoked

# ---- VIO-11, AH 80: a report taken in and tracked to its reply ----
api "$AGENCY" POST /api/v1/reports "{\"unit_id\":$AH,\"kind\":\"report\",\"channel\":\"phone\",\"received_on\":\"2026-12-02\",\"exam_id\":$QE,\"subject\":\"考场内使用电子设备\",\"content\":\"举报某考场有考生使用手机\",\"reply_due\":\"2026-12-16\"}"
expect_status 201
RP=$(jq -r .id "$WORK/body")
expect_json .status open
etag=$(header ETag)
api "$AGENCY" PATCH "/api/v1/reports/$RP" '{"replied_on":"2026-12-02"}' -H "If-Match: $etag"
expect_error 400 VALIDATION_FAILED
api "$AGENCY" PATCH "/api/v1/reports/$RP" "{\"case_id\":$QC,\"status\":\"replied\",\"replied_on\":\"2026-12-02\",\"reply\":\"已立案核查，经核实为计时器\"}" -H "If-Match: $etag"
expect_status 200
expect_json .status replied
api "$P1" GET /api/v1/reports
expect_error 403 FORBIDDEN

# ---- VIO-10 (VH 17, 22): a staff violation, its handling, a referral and an appeal ----
SC='{"unit_id":'"$GWY"',"exam_id":'"$CS"',"person_name":"某监考员","responsibility":"directly_responsible","act":"VH-17-3","found_on":"2026-11-22","facts":"考试中向考生提示答案","evidence":"监控录像、考场记录、2名考生证言"}'
api "$AGENCY" POST /api/v1/staff_cases "$SC"
expect_error 403 FORBIDDEN
api "$AUTH" POST /api/v1/staff_cases "$(jq -c '.act = "VH-18-1"' <<<"$SC")"
expect_error 400 VALIDATION_FAILED
api "$AUTH" POST /api/v1/staff_cases "$(jq -c '.status = "handled"' <<<"$SC")"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' handled_on
api "$AUTH" POST /api/v1/staff_cases "$SC"
expect_status 201
SCID=$(jq -r .id "$WORK/body")
expect_json .status open
expect_json .appeal none
etag=$(header ETag)
api "$AUTH" PATCH "/api/v1/staff_cases/$SCID" '{"appeal":"appeal","appeal_filed_on":"2026-12-01"}' -H "If-Match: $etag"
expect_error 400 VALIDATION_FAILED
api "$AUTH" PATCH "/api/v1/staff_cases/$SCID" '{"status":"handled","handling":"给予记过处分","handled_by":"安徽省人事考试院","handled_on":"2026-11-30","referred_to":"合肥市公安局","referred_on":"2026-11-30"}' -H "If-Match: $etag"
expect_status 200
etag=$(header ETag)
api "$AUTH" PATCH "/api/v1/staff_cases/$SCID" '{"status":"appealed","appeal":"appeal","appeal_filed_on":"2026-12-01"}' -H "If-Match: $etag"
expect_status 200
expect_json .appeal appeal
api "$AUTH" GET "/api/v1/staff_cases/$SCID/history"
expect_status 200
expect_json '.items | length' 3
api "$JSAG" GET "/api/v1/staff_cases/$SCID"
expect_error 403 FORBIDDEN

# ---- a case with no violation is dropped; lists stay within the walls ----
api "$AGENCY" POST "/api/v1/cases/$QC/drop" '{"reason":"经核查，考生所持为计时器，不属于违规物品"}'
expect_status 200
expect_json .status dropped
api "$AGENCY" GET "/api/v1/cases?exam_id=$CS"
expect_status 200
expect_json '.items | length' 1
[ "$(jq -r '.items[0].id_number' "$WORK/body")" != "${IDN[1]}" ] || fail "a list shows the identity number whole"
# the status filter and the cursor (read in SQL: one page however many cases there are)
api "$AGENCY" GET "/api/v1/cases?status=dropped"
expect_status 200
expect_json '[.items[].id] | map(tostring) | join(",")' "$QC"
api "$AGENCY" GET /api/v1/cases
total=$(jq '.items | length' "$WORK/body")
[ "$total" -ge 2 ] || fail "the agency should see at least two cases, sees $total"
api "$AGENCY" GET "/api/v1/cases?limit=1"
expect_json '.items | length' 1
first=$(jq -r '.items[0].id' "$WORK/body")
cur=$(jq -r .next_cursor "$WORK/body")
[ "$cur" = "$first" ] || fail "next_cursor $cur is not the page's last id $first"
api "$AGENCY" GET "/api/v1/cases?limit=1&cursor=$cur"
expect_json ".items[0].id > $first" true
api "$AGENCY" GET "/api/v1/cases?status=closed"
expect_error 400 QUERY_INVALID
api "$JSAG" GET /api/v1/cases
expect_json '.items | length' 0
api "$JSAG" GET "/api/v1/cases?status=dropped"
expect_json '.items | length' 0
api "$JSAG" GET "/api/v1/cases/$C"
expect_error 404 NOT_FOUND
# ---- REG-5: an archive entry keyed with a lower-case x is stored as candidates' numbers are ----
for q in $(seq 100 199); do XID=$(idcard 340104 19850101 "$q"); [ "${XID: -1}" = X ] && break; done
api "$A" POST /api/v1/archive_entries "{\"unit_id\":$GWY,\"id_type\":\"resident_id\",\"id_number\":\"${XID%X}x\",\"person_name\":\"某某\",\"kind\":\"civil_service\",\"effect\":\"ban\",\"term_start\":\"2025-03-01\",\"term_end\":\"2030-02-28\",\"source_decision\":\"皖公考〔2025〕9号\",\"grounds\":\"皖公考〔2025〕9号处理决定书\"}"
expect_status 202
# by hand, so approved by a second person: the civil-service authority's officer (INF-4)
api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_status 200
[ "$(db_query "SELECT COUNT(*) FROM archive_entries WHERE id_number = '$XID'")" = 1 ] || fail "the x was not stored as X"
audit_verify 0
echo "t0040-cases: ok"
