#!/usr/bin/env bash
# The integrity archives (VIO-9, INF-5(5), REG-2, REG-5): a civil-service ban in term bars a
# civil-service registration and not a qualification exam (REG-5), a qualification record in
# term closes the pledge route (REG-2); the archive search by identity number for those who
# hold archive.read, 403 for those who do not, the wall between provinces; the sharing ledger
# (INF-5(5): shared credit information updated within 10 working days of the change, on the
# holiday calendar) — due days across National Day, a due day the calendar does not cover
# yet, the sweep of ended terms idempotent, the export to the credit platform (whole
# identity numbers, audited, officers only) marking changes shared, a change never shared
# withheld, overdue after the due day, an export sent again. Revocation is in
# tests/unit/test_db_archive.c (no API revokes an entry but a case's).
# Changes by hand (INF-5(5): new firm evidence or legal grounds; INF-4: a second person):
# a create, a correction or an import without grounds is 400 and asks for nothing; with them
# it is a pending approval (202) and nothing is in the archive — a registration's ban check
# does not see it — until another person who may write the archive there approves it; the
# maker approving their own is SELF_APPROVAL; a refusal writes nothing; a correction made on
# a reading that an approved one has overtaken is STALE_RECORD at approval; an approved
# correction of a shared entry is a change of the ledger in its turn; an import is one
# pending change for the whole file, checked row by row when asked for, all rows written
# when approved.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-09-28T10:00:00+08:00 # a Monday before National Day
server_start

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AH-GWY civil_service_authority provincial "$AH")
R1=$(unit 20001 recruiter provincial "$GWY")
JS=$(unit JS provincial_authority provincial "$root")
staff gwyo civil_service_authority_officer "$GWY"; GO=$TOKEN
staff aho authority_officer "$AH"; AO=$TOKEN
staff jso authority_officer "$JS"; JO=$TOKEN
staff insp inspector "$AH"; IN=$TOKEN
staff agst agency_staff "$AH"; AG=$TOKEN
staff proc proctor "$AH"; PR=$TOKEN

# ---- the exams: civil service (AH rules) and a qualification exam (PQ) ----
api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"GWY2027\",\"name\":\"2027年度考试录用公务员\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-09-01T08:00:00+08:00\",\"reg_closes_at\":\"2026-10-30T18:00:00+08:00\",\"exam_date\":\"2027-01-10\",\"ref_date\":\"2026-10-30\",\"syllabus_published_on\":\"2026-07-01\",\"registration_places\":\"人事考试网\"}"
expect_status 201
CS=$(jq -r .id "$WORK/body")
printf '考试,部门代码,职位代码,部门名称,招考职位,考试类别,招考人数,学历,面试人员比例\nGWY2027,20001,200011,省税务局,综合岗,general,2,junior_college,3:1\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
P1=$(db_query "SELECT id FROM positions WHERE code = '200011'")
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"ZC2027\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-09-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-10-30T00:00:00+08:00\",\"exam_date\":\"2027-06-01\",\"ref_date\":\"2027-06-01\",\"syllabus_published_on\":\"2026-09-01\",\"education_min\":\"junior_college\",\"levels\":\"初级,中级\"}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"cbt\"}"
expect_status 201

# ---- candidates ----
ID1=$(idcard 340104 19900101 456) # inside a VH ban
ID2=$(idcard 340104 19920303 222) # a qualification-archive record in term
ID3=$(idcard 340104 19880808 333) # a ban whose term ended before the ledger saw it
ID4=$(idcard 340104 19950505 444) # a ban ending after its first export
ID5=$(idcard 340104 19960606 555) # a record entered when 2027's holidays are not known
signup() { # signup ID NAME → candidate token in TOKEN
	api "" POST /api/v1/candidates "$(jq -nc --arg i "$1" --arg n "$2" '{id_type:"resident_id",id_number:$i,name:$n,phone:"13812345678",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "$(jq -nc --arg i "$1" '{id_type:"resident_id",id_number:$i,password:"cand-pass-1"}')"
	expect_status 201
	TOKEN=$(jq -r .token "$WORK/body")
	api "$TOKEN" PATCH /api/v1/candidates/me '{"education":[{"level":"bachelor","degree":"bachelor","major_code":"020101","graduated_on":"2012-07-01"}]}'
	expect_status 200
}
signup "$ID1" 钱七; T1=$TOKEN
signup "$ID2" 孙八; T2=$TOKEN

# entry UNIT ID KIND EFFECT START END NAME → the new entry's id in ENTRY: asked for by $A with
# its grounds, approved by $A2 (INF-5(5), INF-4).
entry() {
	api "$A" POST /api/v1/archive_entries "{\"unit_id\":$1,\"id_type\":\"resident_id\",\"id_number\":\"$2\",\"person_name\":\"$7\",\"kind\":\"$3\",\"effect\":\"$4\",\"term_start\":\"$5\",\"term_end\":\"$6\",\"source_decision\":\"皖公考〔$(echo "$5" | cut -c1-4)〕$RANDOM号\",\"grounds\":\"处理决定书及送达回证\"}"
	expect_status 202
	api "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
	expect_status 200
	expect_json .status approved
	ENTRY=$(jq -r .result.id "$WORK/body")
}
entry "$GWY" "$ID1" civil_service ban 2024-03-01 2029-02-28 钱七; E1=$ENTRY
entry "$AH" "$ID2" qualification record 2025-01-01 2027-12-31 孙八; E2=$ENTRY
entry "$GWY" "$ID3" civil_service ban 2021-09-01 2026-09-20 赵九; E3=$ENTRY
entry "$GWY" "$ID4" civil_service ban 2021-10-21 2026-10-20 周十; E4=$ENTRY

# ---- REG-5: a VH ban in term bars civil service, never a qualification exam ----
pledge_cs='"route":"pledge","pledge_version":"AH-2026.1","pledge_accepted":true'
pledge_q='"route":"pledge","pledge_version":"PQ-2026.1","pledge_accepted":true'
api "$T1" POST /api/v1/registrations "{\"exam_id\":$CS,\"position_id\":$P1,$pledge_cs}"
expect_error 422 REG_BANNED
expect_json .error.rule REG-5
api "$T1" POST /api/v1/registrations "{\"exam_id\":$QE,\"subjects\":[\"01\"],$pledge_q}"
expect_status 201
# ---- REG-2: a qualification record in term closes the pledge route, not the exam ----
api "$T2" POST /api/v1/registrations "{\"exam_id\":$QE,\"subjects\":[\"01\"],$pledge_q}"
expect_error 422 PLEDGE_NOT_AVAILABLE
expect_json .error.rule REG-2
api "$T2" POST /api/v1/registrations "{\"exam_id\":$QE,\"subjects\":[\"01\"],\"route\":\"proof\"}"
expect_status 201

# ---- INF-5(5), INF-4: an entry by hand needs its grounds and a second person ----
ID6=$(idcard 340104 19970707 666) # a ban asked for and refused
signup "$ID6" 郑十二; T6=$TOKEN
body6="{\"unit_id\":$GWY,\"id_type\":\"resident_id\",\"id_number\":\"$ID6\",\"person_name\":\"郑十二\",\"kind\":\"civil_service\",\"effect\":\"ban\",\"term_start\":\"2026-09-01\",\"term_end\":\"2031-08-31\",\"source_decision\":\"皖公考〔2026〕12号\""
entries=$(db_query "SELECT COUNT(*) FROM archive_entries")
# Without grounds, or blank ones: 400, nothing asked for.
api "$GO" POST /api/v1/archive_entries "$body6}"
expect_error 400 GROUNDS_REQUIRED
expect_json .error.rule INF-5
expect_json '.error.details.fields[0] | .field + "/" + .problem' grounds/required
api "$GO" POST /api/v1/archive_entries "$body6,\"grounds\":\" 　\"}"
expect_error 400 GROUNDS_REQUIRED
# A record with problems of its own lists them, the grounds' last.
api "$GO" POST /api/v1/archive_entries "${body6/\"effect\":\"ban\"/\"effect\":\"exile\"}}"
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[] | .field + "/" + .problem] | join(",")' effect/not_allowed,grounds/required
[ "$(db_query "SELECT COUNT(*) FROM approvals WHERE kind LIKE 'archive_entry.%' AND maker_id = (SELECT id FROM users WHERE username = 'gwyo')")" = 0 ] || fail "a change without grounds was taken"
# With grounds: a pending approval (202), nothing in the archive yet.
api "$GO" POST /api/v1/archive_entries "$body6,\"grounds\":\"省公务员局皖公考〔2026〕12号处理决定书\"}"
expect_status 202
expect_json .status pending
AP6=$(jq -r .approval_id "$WORK/body")
[ "$(header Location)" = "/api/v1/approvals/$AP6" ] || fail "Location: $(header Location)"
[ "$(db_query "SELECT COUNT(*) FROM archive_entries")" = "$entries" ] || fail "a pending change reached the archive"
# REG-5 asks the archive only: a ban still waiting for its checker bars nobody.
api "$T6" POST /api/v1/registrations "{\"exam_id\":$CS,\"position_id\":$P1,$pledge_cs}"
expect_status 201
# The maker may not approve their own change (INF-4).
api "$GO" POST "/api/v1/approvals/$AP6/approve"
expect_error 403 SELF_APPROVAL
expect_json .error.rule INF-4
# The officers over the unit see what they would approve, in words, the number masked; the
# maker sees their own; Jiangsu's officer neither sees nor decides it; agency staff decide none.
api "$AO" GET "/api/v1/approvals?status=pending"
expect_status 200
expect_json ".items[] | select(.id == $AP6) | .subject.register.name + \"/\" + .subject.verb + \"/\" + .subject.units[0].code" archive_entry/create/AH-GWY
expect_json ".items[] | select(.id == $AP6) | .payload.record.id_number" "${ID6:0:6}********${ID6:14:4}"
expect_json ".items[] | select(.id == $AP6) | .payload.grounds" 省公务员局皖公考〔2026〕12号处理决定书
expect_json ".items[] | select(.id == $AP6) | .maker.username" gwyo
api "$GO" GET "/api/v1/approvals?status=pending"
expect_json "[.items[].id] | index($AP6) != null" true
! grep -q "$ID6" "$WORK/body" || fail "an approval shows the identity number whole"
api "$JO" GET "/api/v1/approvals?status=pending"
expect_json "[.items[].id] | index($AP6)" null
api "$JO" POST "/api/v1/approvals/$AP6/approve"
expect_error 404 NOT_FOUND
api "$AG" POST "/api/v1/approvals/$AP6/approve"
expect_error 403 FORBIDDEN
# Refused with a reason: nothing written, and it is not approved afterwards.
api "$AO" POST "/api/v1/approvals/$AP6/reject" '{"reason":"处理决定书尚未送达"}'
expect_status 200
expect_json .status rejected
api "$A2" POST "/api/v1/approvals/$AP6/approve"
expect_error 409 APPROVAL_DECIDED
[ "$(db_query "SELECT COUNT(*) FROM archive_entries")" = "$entries" ] || fail "a refused change reached the archive"

# ---- the archive search: by identity number, for archive.read only ----
api "$IN" GET "/api/v1/archive_entries?id_number=$ID1"
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].id' "$E1"
expect_json '.items[0].id_number' "${ID1:0:6}********${ID1:14:4}"
api "$AG" GET "/api/v1/archive_entries?id_number=$ID2&id_type=resident_id"
expect_json '[.items[].id] | join(",")' "$E2"
api "$IN" GET "/api/v1/archive_entries?id_number=110105194912310021"
expect_json '.items | length' 0
# Another province's officer finds nothing of Anhui's archive (the wall, not a 403).
api "$JO" GET "/api/v1/archive_entries?id_number=$ID1"
expect_status 200
expect_json '.items | length' 0
# Issue 8's bad input: a look-up by someone without the role.
api "$PR" GET "/api/v1/archive_entries?id_number=$ID1"
expect_error 403 FORBIDDEN
api "$T1" GET "/api/v1/archive_entries?id_number=$ID1"
expect_error 403 FORBIDDEN
api "$PR" GET /api/v1/archive_shares
expect_error 403 FORBIDDEN

# ---- INF-5(5): the ledger, with due days on the holiday calendar ----
api "$IN" GET /api/v1/archive_shares
expect_status 200
expect_json .today 2026-09-28
# Every entry has its "added" row, confirmed when written; E3's term ended on 09-20.
expect_json '[.items[] | "\(.entry_id):\(.change)"] | join(",")' "$E1:added,$E2:added,$E3:added,$E4:added,$E3:term_ended"
# Added on Monday 2026-09-28: the 10th working day after it, over Mid-Autumn/National Day
# (10-01..10-07 off, Saturday 10-10 a working day) is 10-16, not 10-12.
expect_json ".items[] | select(.entry_id == $E1) | .due_on" 2026-10-16
expect_json ".items[] | select(.entry_id == $E1) | .overdue" false
expect_json ".items[] | select(.entry_id == $E1) | .entry.id_number" "${ID1:0:6}********${ID1:14:4}"
# E3 left the archive at 00:00 CST on 09-21 (the day after its term): due 10 working days on.
expect_json ".items[] | select(.change == \"term_ended\") | [.confirmed_at, .due_on] | join(\" \")" "2026-09-20T16:00:00.000000Z 2026-10-12"
expect_json '.counts | [.pending, .overdue] | join(",")' 5,0
# The sweep again, on the same day and after a restart: nothing recorded twice.
api "$IN" GET /api/v1/archive_shares
expect_json '.items | length' 5
server_restart_at 2026-09-29T09:00:00+08:00
login insp insp-password-1; IN=$TOKEN
api "$IN" GET /api/v1/archive_shares
expect_json '.items | length' 5
[ "$(db_query "SELECT COUNT(*) FROM archive_shares WHERE change = 'term_ended'")" = 1 ] || fail "the sweep recorded an ended term twice"
# Who reaches what: the Jiangsu officer sees none of it.
login jso jso-password-1; JO=$TOKEN
api "$JO" GET /api/v1/archive_shares
expect_json '.items | length' 0
api "$IN" GET "/api/v1/archive_shares?status=stale"
expect_error 400 QUERY_INVALID
api "$IN" GET "/api/v1/archive_shares?kind=qualification"
expect_json '[.items[].entry_id] | join(",")' "$E2"

# ---- the export: officers only, whole numbers, audited ----
login gwyo gwyo-password-1; GO=$TOKEN
login aho aho-password-1; AO=$TOKEN
login agst agst-password-1; AG=$TOKEN
api "$IN" POST /api/v1/archive_shares/export '{"kind":"civil_service"}'
expect_error 403 FORBIDDEN
api "$AG" POST /api/v1/archive_shares/export '{"kind":"civil_service"}'
expect_error 403 FORBIDDEN
api "$GO" POST /api/v1/archive_shares/export '{"kind":"gongwuyuan"}'
expect_error 400 VALIDATION_FAILED
api "$GO" POST /api/v1/archive_shares/export '{}'
expect_error 400 VALIDATION_FAILED
# The Jiangsu officer's export carries nothing of Anhui's.
api "$JO" POST /api/v1/archive_shares/export '{"kind":"civil_service"}'
expect_status 200
[ "$(header X-Export-Rows)" = 0 ] || fail "a Jiangsu export carried $(header X-Export-Rows) Anhui rows"
api "$GO" POST /api/v1/archive_shares/export '{"kind":"civil_service"}'
expect_status 200
case "$(header Content-Type)" in text/csv*) ;; *) fail "the export is $(header Content-Type)" ;; esac
X1=$(header X-Export-No)
# E1 and E4 are sent whole; E3 ended before it was ever shared: withheld, not published.
[ "$(header X-Export-Rows)" = 2 ] || fail "export rows: $(header X-Export-Rows)"
head -n1 "$WORK/body" | tr -d '\r' | grep -q '^export_no,change,confirmed_at,due_on,entry_id,archive,effect,id_type,id_number,person_name' || fail "CSV header: $(head -n1 "$WORK/body")"
grep -q ",added,.*,$E1,civil_service,ban,resident_id,$ID1,钱七,2024-03-01,2029-02-28,0," "$WORK/body" || fail "E1 not in the export: $(cat "$WORK/body")"
grep -q ",$ID4," "$WORK/body" || fail "E4 not in the export"
! grep -q "$ID3" "$WORK/body" || fail "an entry that left the archive before it was shared was exported"
! grep -q "$ID2" "$WORK/body" || fail "the qualification archive went out with the civil-service export"
cp "$WORK/body" "$WORK/export1.csv"
api "$IN" GET "/api/v1/archive_shares?status=shared"
expect_json '[.items[] | "\(.entry_id):\(.change):\(.withheld)"] | join(",")' "$E1:added:false,$E3:added:true,$E4:added:false,$E3:term_ended:true"
expect_json "[.items[].export_no] | unique | join(\",\")" "$X1"
api "$IN" GET /api/v1/archive_shares
expect_json '[.items[].entry_id] | join(",")' "$E2"
# Nothing pending: the next export is empty.
api "$GO" POST /api/v1/archive_shares/export '{"kind":"civil_service"}'
expect_status 200
[ "$(header X-Export-Rows)" = 0 ] || fail "a second export carried rows again"
[ "$(wc -l <"$WORK/body")" = 1 ] || fail "an empty export has more than its header"
# A response lost on the way: the same export again, byte for byte.
api "$GO" POST /api/v1/archive_shares/export "{\"kind\":\"civil_service\",\"export_no\":$X1}"
expect_status 200
cmp -s "$WORK/body" "$WORK/export1.csv" || fail "the export sent again differs"
api "$GO" POST /api/v1/archive_shares/export "{\"kind\":\"qualification\",\"export_no\":$X1}"
expect_error 404 NOT_FOUND

# ---- INF-5(5): a correction by hand — its grounds, a second person, then shared in turn ----
api "$GO" GET "/api/v1/archive_entries/$E1"
etag=$(header ETag)
api "$GO" PATCH "/api/v1/archive_entries/$E1" '{"person_name":"钱七七"}' -H "If-Match: $etag"
expect_error 400 GROUNDS_REQUIRED
# Nothing changed: nothing to ask for, nothing written.
approvals=$(db_query "SELECT COUNT(*) FROM approvals")
api "$GO" PATCH "/api/v1/archive_entries/$E1" '{"person_name":"钱七"}' -H "If-Match: $etag"
expect_status 200
[ "$(header ETag)" = "$etag" ] || fail "a change of nothing changed the entry"
[ "$(db_query "SELECT COUNT(*) FROM approvals")" = "$approvals" ] || fail "a change of nothing was asked for"
api "$GO" PATCH "/api/v1/archive_entries/$E1" '{"person_name":"钱七七","grounds":"公安机关户籍证明：姓名登记有误"}' -H "If-Match: $etag"
expect_status 202
APC=$(jq -r .approval_id "$WORK/body")
[ "$(db_query "SELECT person_name FROM archive_entries WHERE id = $E1")" = 钱七 ] || fail "a pending correction changed the entry"
# Another correction asked for on the same reading…
api "$GO" PATCH "/api/v1/archive_entries/$E1" '{"source_decision":"皖公考〔2024〕3号（更正）","grounds":"原决定书文号更正通知"}' -H "If-Match: $etag"
expect_status 202
APS=$(jq -r .approval_id "$WORK/body")
api "$AO" POST "/api/v1/approvals/$APC/approve"
expect_status 200
expect_json .result.id "$E1"
[ "$(db_query "SELECT person_name FROM archive_entries WHERE id = $E1")" = 钱七七 ] || fail "the approved correction was not written"
# …is overtaken by the approved one: refused at approval (412), still pending, then refused.
api "$AO" POST "/api/v1/approvals/$APS/approve"
expect_error 412 STALE_RECORD
api "$AO" POST "/api/v1/approvals/$APS/reject" '{"reason":"依据的是更正前的记录，请重新提交"}'
expect_status 200
# The entry's history names the maker, the checker and the grounds.
api "$IN" GET "/api/v1/archive_entries/$E1/history"
expect_json '[.items[] | select(.action == "archive_entry.update")][0].detail | .maker + "/" + .checker + "/" + .grounds' gwyo/aho/公安机关户籍证明：姓名登记有误
expect_json '[.items[] | select(.action == "archive_entry.create")][0].detail | .maker + "/" + .checker' admin/admin2
# E1 was shared: its correction is a change of the ledger, confirmed today (09-29), due 10
# working days on across National Day (10-19), and the next export carries it.
api "$IN" GET /api/v1/archive_shares
expect_json "[.items[] | select(.entry_id == $E1) | .change + \" \" + .due_on] | join(\",\")" "corrected 2026-10-19"
api "$GO" POST /api/v1/archive_shares/export '{"kind":"civil_service"}'
expect_status 200
[ "$(header X-Export-Rows)" = 1 ] || fail "the correction was not exported: $(cat "$WORK/body")"
grep -q ",corrected,.*,$E1,civil_service,ban,resident_id,$ID1,钱七七," "$WORK/body" || fail "corrected row: $(cat "$WORK/body")"
# Audited, and never with an identity number in the record.
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'archive_share.export'")" = 4 ] || fail "exports not audited"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'archive_share.reexport'")" = 1 ] || fail "the export sent again is not audited"
for id in "$ID1" "$ID2" "$ID3" "$ID4" "$ID6"; do
	[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%$id%'")" = 0 ] || fail "an identity number is in the audit"
	! grep -q "$id" "$WORK/server.log" || fail "an identity number is in the server log"
done

# ---- overdue after the due day; a term that ends after its entry was shared ----
server_restart_at 2026-10-22T09:00:00+08:00
login insp insp-password-1; IN=$TOKEN
login gwyo gwyo-password-1; GO=$TOKEN
login aho aho-password-1; AO=$TOKEN
api "$IN" GET "/api/v1/archive_shares?status=overdue"
expect_json '[.items[].entry_id] | join(",")' "$E2"
expect_json '.items[0].overdue' true
expect_json '.items[0].due_on' 2026-10-16
# E4's term ended on 10-20 (in the archive through that day): confirmed 10-21, due 11-04.
api "$IN" GET /api/v1/archive_shares
expect_json '.counts | [.pending, .overdue] | join(",")' 2,1
expect_json ".items[] | select(.entry_id == $E4) | [.change, .due_on, .overdue] | join(\" \")" "term_ended 2026-11-04 false"
api "$GO" POST /api/v1/archive_shares/export '{"kind":"civil_service"}'
expect_status 200
[ "$(header X-Export-Rows)" = 1 ] || fail "the ended term was not exported"
grep -q ",term_ended,2026-10-20T16:00:00.000000Z,2026-11-04,$E4,civil_service,ban,resident_id,$ID4," "$WORK/body" || fail "term_ended row: $(cat "$WORK/body")"
api "$AO" POST /api/v1/archive_shares/export '{"kind":"qualification"}'
expect_status 200
[ "$(header X-Export-Rows)" = 1 ] || fail "the qualification export"
grep -q ",added,.*,$E2,qualification,record,resident_id,$ID2,孙八," "$WORK/body" || fail "E2 not exported"
api "$IN" GET "/api/v1/archive_shares?status=overdue"
expect_json '.items | length' 0

# ---- a due day the calendar does not cover yet (2027's holidays are not published) ----
server_restart_at 2026-12-28T09:00:00+08:00
login insp insp-password-1; IN=$TOKEN
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
login gwyo gwyo-password-1; GO=$TOKEN
entry "$AH" "$ID5" qualification record 2026-12-28 2031-12-27 吴十一; E5=$ENTRY
api "$IN" GET /api/v1/archive_shares
expect_status 200
expect_json ".items[] | select(.entry_id == $E5) | [.change, (.due_on | tostring), .overdue] | join(\" \")" "added null false"

# ---- an import by hand: one pending change for the whole file (INF-5(5), INF-4) ----
ID7=$(idcard 340104 19980808 777)
ID8=$(idcard 340104 19990909 888)
printf '记录单位,证件类型,证件号码,姓名,档案类别,效力,起始日期,截止日期,处理决定\nAH-GWY,resident_id,%s,王十三,civil_service,ban,2026-12-01,2031-11-30,皖公考〔2026〕20号\nAH-GWY,居民身份证,%s,冯十四,civil_service,ban,2026-12-02,2031-12-01,皖公考〔2026〕21号\n' "$ID7" "$ID8" >"$WORK/arch.csv"
G=$(jq -rn '"省公务员局2026年第4季度处理决定汇总（皖公考〔2026〕20-21号）" | @uri')
entries=$(db_query "SELECT COUNT(*) FROM archive_entries")
api "$A" POST /api/v1/archive_entries/import --data-binary "@$WORK/arch.csv" -H 'Content-Type: text/csv'
expect_error 400 GROUNDS_REQUIRED
# A check (dry run) writes nothing and needs no grounds.
api "$A" POST "/api/v1/archive_entries/import?dry_run=1" --data-binary "@$WORK/arch.csv" -H 'Content-Type: text/csv'
expect_status 200
expect_json .rows 2
# Every row is checked when it is asked for, with the import's own problems: nothing asked for.
sed 's/,ban,2026-12-02,2031-12-01,/,ban,2026-12-02,,/' "$WORK/arch.csv" >"$WORK/arch-bad.csv"
api "$A" POST "/api/v1/archive_entries/import?grounds=$G" --data-binary "@$WORK/arch-bad.csv" -H 'Content-Type: text/csv'
expect_error 422 IMPORT_INVALID
expect_json '.error.details.rows[0] | "\(.line) \(.field) \(.problem)"' "3 term_end required"
api "$A" POST "/api/v1/archive_entries/import?grounds=$G" --data-binary "@$WORK/arch.csv" -H 'Content-Type: text/csv'
expect_status 202
expect_json '[.imported, .rows, .status] | join(" ")' "0 2 pending"
API=$(jq -r .approval_id "$WORK/body")
[ "$(db_query "SELECT COUNT(*) FROM archive_entries")" = "$entries" ] || fail "a pending import reached the archive"
api "$A" POST "/api/v1/approvals/$API/approve"
expect_error 403 SELF_APPROVAL
# The next day, the civil-service authority's officer checks it: the whole file, in words,
# numbers masked.
server_restart_at 2026-12-29T09:00:00+08:00
login gwyo gwyo-password-1; GO=$TOKEN
login insp insp-password-1; IN=$TOKEN
api "$GO" GET "/api/v1/approvals?status=pending"
expect_json ".items[] | select(.id == $API) | [.subject.verb, .payload.count, (.payload.rows | length), .payload.rows[1].id_number] | join(\" \")" "import 2 2 ${ID8:0:6}********${ID8:14:4}"
api "$GO" POST "/api/v1/approvals/$API/approve"
expect_status 200
expect_json .result.imported 2
[ "$(db_query "SELECT COUNT(*) FROM archive_entries WHERE id_number IN ('$ID7', '$ID8') AND kind = 'civil_service' AND effect = 'ban'")" = 2 ] || fail "the approved import was not written whole"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'archive_entry.import' AND detail LIKE '%\"checker\":\"gwyo\"%'")" = 1 ] || fail "the import's audit record does not name its checker"
# Written when the checker approved it: the ledger's "added", confirmed that day (12-29), not
# when it was asked for.
api "$IN" GET /api/v1/archive_shares
expect_json "[.items[] | select(.entry.person_name == \"王十三\" or .entry.person_name == \"冯十四\") | .change + \" \" + .confirmed_at[0:10]] | join(\",\")" "added 2026-12-29,added 2026-12-29"
# Each day the ledger was brought up to left its mark (the next sweep starts from it).
[ "$(db_query "SELECT COUNT(*) FROM archive_sweeps")" -ge 4 ] || fail "the sweeps left no marks"
audit_verify 0
echo ok
