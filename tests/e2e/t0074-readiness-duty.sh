#!/usr/bin/env bash
# A centre's readiness before it opens (VEN-6, VEN-4; AH 28; PQ 20(3)-(4)) and the duty roster
# and duty log around each sitting (DAY-1; AH 45-46; PQ 27; issue 9 items 4 and 6). A centre
# whose safety-responsibility letter is missing is not ready and check-in there is refused
# CENTRE_NOT_READY, then admitted once the letter is recorded; a failed inspection not corrected,
# a CBT centre without its sealed-environment check and a centre blocked by an unrectified major
# incident are not ready; the list is scoped to the caller's units, filtered and paged. The
# roster shows the duty window (2 hours before the first sitting to 2 hours after the last) and
# its gaps until shifts cover it; staff who did not pass training are refused; a log entry
# outside the window or off-shift is refused, one on shift accepted; the audit chain verifies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

seated_exam 1 张一 '["01"]' 2 王二 '["01"]' # HF-01 (rooms 101, 102), ready (centres_ready)
R="/api/v1/exams/$QE/readiness"
member() { # CODE POST [USER_ID]: a trained staff member of the area; SID[CODE]
	api "$A" POST /api/v1/staff "{\"unit_id\":$HF,\"code\":\"$1\",\"name\":\"人员$1\",\"post\":\"$2\",\"employment\":\"full_time\"${3:+,\"user_id\":$3}}"
	expect_status 201
	SID[$1]=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/trainings "{\"staff_id\":${SID[$1]},\"course\":\"考务培训\",\"trained_on\":\"2026-11-01\",\"result\":\"passed\"}"
	expect_status 201
}
declare -A SID
member ch1 chief_examiner
member rv1 roving_proctor
for p in pr1 pr2; do
	staff "$p" proctor "$HF"
	member "$p" proctor "$(db_query "SELECT id FROM users WHERE username = '$p'")"
done
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_status 201
api "$AG" POST "/api/v1/proctor_draws/$(jq -r .id "$WORK/body")/draw"
expect_status 200
X1=$(db_query "SELECT exam_room_id FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN")
PA=$(db_query "SELECT f.code FROM proctor_assignments a JOIN staff f ON f.id = a.staff_id WHERE a.exam_room_id = $X1 AND a.duty = 'proctor' ORDER BY f.code LIMIT 1")
T1=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN")
[ -n "$PA" ] && [ -n "$T1" ] || fail "no proctor or ticket for candidate 1"

# ---- VEN-6: HF-01 is ready; its safety letter re-recorded as an agreement: not ready ----
api "$AG" GET "$R"
expect_status 200
expect_json '"\(.totals.centres) \(.totals.ready) \(.items[0].code) \(.items[0].ready) \(.first_day)"' "1 1 HF-01 true 2027-06-01"
SL=$(db_query "SELECT id FROM centre_agreements WHERE kind = 'safety_letter' AND centre_id = $C1")
api "$A" GET "/api/v1/centre_agreements/$SL"
api "$A" PATCH "/api/v1/centre_agreements/$SL" '{"kind":"agreement"}' -H "If-Match: $(header ETag)"
expect_status 200
api "$AG" GET "$R"
expect_json '"\(.totals.ready) \(.totals.not_ready) \(.items[0].ready) \([.items[0].missing[].code] | join(","))"' "0 1 false safety_letter_missing"
expect_json '.items[0].missing[0] | "\(.rule) \(.zh | length > 0) \(.en | length > 0)"' "VEN-6 true true"

# ---- a second exam over three more centres: a failed inspection, CBT, a blocked centre ----
for c in HF-02:201:paper:合肥二中 HF-03:301:cbt:合肥三中 HF-04:401:paper:合肥四中; do
	IFS=: read -r code room mode name <<<"$c"
	api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"$code\",\"name\":\"$name\",\"address\":\"合肥市\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\",\"cbt_seats\":30}"
	expect_status 201
	api "$A" POST /api/v1/rooms "{\"centre_id\":$(jq -r .id "$WORK/body"),\"code\":\"$room\",\"seats\":30,\"mode\":\"$mode\",\"floor\":1}"
	expect_status 201
done
req POST /api/v1/centre_agreements/import -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary "$(printf '%s\n' centre_code,kind,signed_on,valid_until \
	"HF-02,agreement,2026-10-01," "HF-02,safety_letter,2026-10-01," "HF-03,agreement,2026-10-01," "HF-03,safety_letter,2026-10-01," "HF-04,agreement,2026-10-01," "HF-04,safety_letter,2026-10-01,")"
expect_status 201
# HF-02 failed and not corrected; HF-03 passed, but no sealed-environment check; HF-04 passed
req POST /api/v1/inspections/import -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary "$(printf '%s\n' centre_code,inspected_on,inspector,result,sealed_environment,findings \
	"HF-02,2026-10-15,检查组,failed,0,消防通道堵塞" "HF-03,2026-10-15,检查组,passed,0," "HF-04,2026-10-15,检查组,passed,0,")"
expect_status 201
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ27B\",\"name\":\"2027年度初级经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"2027-06-01\",\"ref_date\":\"2027-06-01\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
expect_status 201
E2=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$E2,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":120,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T09:00:00+08:00\"}"
expect_status 201
api "$A" POST /api/v1/subjects "{\"exam_id\":$E2,\"code\":\"02\",\"name\":\"专业知识和实务\",\"duration_minutes\":120,\"mode\":\"cbt\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T14:00:00+08:00\"}"
expect_status 201
Q1=$QE
QE=$E2 # register() registers for $QE: four paper candidates fill the four paper rooms, one CBT
for n in 3 4 5 6; do register "$n" "考生$n" '["01"]'; done
register 7 考生七 '["02"]'
QE=$Q1
api "$AG" POST "/api/v1/exams/$E2/seating_runs" '{"rule":{"capacity":1}}'
expect_status 201
RUN2=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/seating_runs/$RUN2/seat"
expect_status 200
api "$AG" POST "/api/v1/seating_runs/$RUN2/publish"
expect_status 200
# VEN-4: a major incident at HF-04 after the seating, not rectified
api "$A" POST /api/v1/incidents "{\"centre_id\":$(db_query "SELECT id FROM centres WHERE code = 'HF-04'"),\"occurred_on\":\"2026-11-20\",\"description\":\"考点发生安全事故\",\"major\":true}"
expect_status 201
R2="/api/v1/exams/$E2/readiness"
api "$AG" GET "$R2"
expect_status 200
expect_json '"\(.totals.centres) \(.totals.ready) \(.totals.not_ready)"' "4 0 4"
expect_json '[.items[] | "\(.code):\([.missing[].code] | join("+"))"] | join(" ")' \
	"HF-01:safety_letter_missing HF-02:inspection_failed HF-03:sealed_check_missing HF-04:blocked"
expect_json '[.items[] | select(.code == "HF-04") | .missing[0].rule] | join("")' VEN-4
expect_json '.items[] | select(.code == "HF-03") | .cbt' true
api "$AG" GET "$R2?reason=blocked"
expect_json '"\(.matching) \(.items[0].code)"' "1 HF-04"
api "$AG" GET "$R2?not_ready_only=1&limit=3"
expect_json '"\(.items | length) \(.next_cursor)"' "3 3"
api "$AG" GET "$R2?not_ready_only=1&limit=3&cursor=3"
expect_json '"\(.items | length) \(.items[0].code) \(.next_cursor)"' "1 HF-04 null"
# corrected after the first day: still not ready; corrected in time: ready
C2=$(db_query "SELECT id FROM centres WHERE code = 'HF-02'")
api "$A" POST /api/v1/inspections "{\"centre_id\":$C2,\"inspected_on\":\"2026-11-20\",\"inspector\":\"复查组\",\"result\":\"corrected\",\"corrected_on\":\"2027-06-02\"}"
expect_status 201
api "$AG" GET "$R2?centre_id=$C2"
expect_json '"\(.items[0].ready) \(.items[0].missing[0].code)"' "false inspection_not_corrected"
api "$A" POST /api/v1/inspections "{\"centre_id\":$C2,\"inspected_on\":\"2026-11-21\",\"inspector\":\"复查组\",\"result\":\"corrected\",\"corrected_on\":\"2026-11-22\"}"
expect_status 201
api "$AG" GET "$R2?centre_id=$C2"
expect_json '.items[0].ready' true
# walls: an agency of another province sees none of these centres
JS=$(unit JS provincial_agency provincial "$root")
staff jsag agency_staff "$JS"
api "$TOKEN" GET "$R2"
expect_status 200
expect_json '"\(.totals.centres) \(.items | length)"' "0 0"
api "$TOKEN" GET /api/v1/exams/999999/readiness
expect_status 404

# ---- DAY-1: the roster of HF-01 (sitting 01 only there: 09:00-11:30 → window 07:00-13:30) ----
D="/api/v1/exams/$QE/duty"
api "$AG" GET "$D"
expect_status 200
expect_json '"\(.hours_before) \(.hours_after) \(.totals.with_gaps)"' "2 2 1"
expect_json '.items[0].windows[0] | "\(.day) \(.from) \(.to) \(.covered) \(.gaps | length)"' \
	"2027-06-01 2027-06-01T07:00:00+08:00 2027-06-01T13:30:00+08:00 false 1"
staff duty1 chief_examiner "$HF"
member duty1 other "$(db_query "SELECT id FROM users WHERE username = 'duty1'")"
api "$A" POST /api/v1/staff "{\"unit_id\":$HF,\"code\":\"un1\",\"name\":\"未培训人员\",\"post\":\"security\",\"employment\":\"full_time\"}"
expect_status 201
UN=$(jq -r .id "$WORK/body")
shift_add() { # STAFF_ID POST FROM TO
	api "$AG" POST "$D/shifts" "{\"centre_id\":$C1,\"staff_id\":$1,\"post\":\"$2\",\"phone\":\"0551-6280000\",\"starts_at\":\"2027-06-01T$3:00+08:00\",\"ends_at\":\"2027-06-01T$4:00+08:00\"}"
}
shift_add "$UN" security 07:00 13:30
expect_error 422 DUTY_NOT_QUALIFIED
expect_json .error.rule ORG-4
shift_add "${SID[duty1]}" duty_officer 07:00 08:35
expect_status 201
expect_json '"\(.post) \(.staff_code) \(.phone)"' "duty_officer duty1 0551-6280000"
api "$AG" GET "$D?gaps_only=1"
expect_json '.items[0].windows[0].gaps | map("\(.from)-\(.to)") | join(",")' "2027-06-01T08:35:00+08:00-2027-06-01T13:30:00+08:00"
shift_add "${SID[ch1]}" chief_examiner 08:30 13:30
expect_status 201
api "$AG" GET "$D"
expect_json '"\(.totals.with_gaps) \(.items[0].windows[0].covered) \(.items[0].shifts | length)"' "0 true 2"
api "$AG" GET "$D?gaps_only=1"
expect_json '.items | length' 0
[ "$(db_query "SELECT COUNT(*) FROM duty_shifts")" = 2 ] || fail "a refused shift was written"

# ---- exam day, 08:40: check-in refused at the unready HF-01, admitted once the letter is in ----
server_restart_at 2027-06-01T08:40:00+08:00
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login agency agency-password-1; AG=$TOKEN
login "$PA" "$PA-password-1"; TP=$TOKEN
login duty1 duty1-password-1; TD=$TOKEN
S1="/api/v1/exams/$QE/sittings/01"
api "$TP" POST "$S1/checkins" "{\"room_id\":$X1,\"id_checked\":true,\"ticket_no\":\"$T1\"}"
expect_error 422 CENTRE_NOT_READY
expect_json '"\(.error.rule) \(.error.details.centre) \([.error.details.missing[].code] | join(","))"' "VEN-6 HF-01 safety_letter_missing"
[ "$(db_query "SELECT COUNT(*) FROM checkins")" = 0 ] || fail "a refused check-in was written"
api "$A" POST /api/v1/centre_agreements "{\"centre_id\":$C1,\"kind\":\"safety_letter\",\"signed_on\":\"2026-10-01\",\"reference\":\"皖考安〔2026〕1号\"}"
expect_status 201
api "$AG" GET "$R"
expect_json '.items[0].ready' true
api "$TP" POST "$S1/checkins" "{\"room_id\":$X1,\"id_checked\":true,\"ticket_no\":\"$T1\"}"
expect_status 201
# VEN-4: the server keeps a centre found ready (app/readiness.c); a major incident recorded there
# a moment later must refuse the very next check-in, not one after the memo expires
api "$A" POST /api/v1/incidents "{\"centre_id\":$C1,\"occurred_on\":\"2027-06-01\",\"description\":\"考点突发停电\",\"major\":true}"
expect_status 201
X2=$(db_query "SELECT exam_room_id FROM seats WHERE registration_id = ${REG[2]} AND run_id = $RUN")
T2=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[2]} AND run_id = $RUN")
PB=$(db_query "SELECT f.code FROM proctor_assignments a JOIN staff f ON f.id = a.staff_id WHERE a.exam_room_id = $X2 AND a.duty = 'proctor' ORDER BY f.code LIMIT 1")
login "$PB" "$PB-password-1"
api "$TOKEN" POST "$S1/checkins" "{\"room_id\":$X2,\"id_checked\":true,\"ticket_no\":\"$T2\"}"
expect_error 422 CENTRE_NOT_READY
expect_json '"\(.error.rule) \([.error.details.missing[].code] | join(","))"' "VEN-4 blocked"
[ "$(db_query "SELECT COUNT(*) FROM checkins")" = 1 ] || fail "a check-in at a blocked centre was written"

# ---- the duty log: outside the window, off-shift refused; on shift accepted ----
L="/api/v1/exams/$QE/duty/log"
api "$TD" POST "$L" "{\"centre_id\":$C1,\"occurred_at\":\"2027-06-01T06:30:00+08:00\",\"kind\":\"note\",\"content\":\"提前到岗\"}"
expect_error 422 DUTY_OUTSIDE_WINDOW
expect_json '.error.details.windows[0].from' 2027-06-01T07:00:00+08:00
api "$TD" POST "$L" "{\"centre_id\":$C1,\"kind\":\"call\",\"content\":\"接考区来电\"}" # 08:40: duty1's shift ended 08:35
expect_error 403 DUTY_NOT_ON_SHIFT
api "$AG" POST "$L" "{\"centre_id\":$C1,\"occurred_at\":\"2027-06-01T08:00:00+08:00\",\"kind\":\"note\",\"content\":\"巡查\"}"
expect_error 403 DUTY_NOT_ON_SHIFT
api "$TD" POST "$L" "{\"centre_id\":$C1,\"occurred_at\":\"2027-06-01T09:30:00+08:00\",\"kind\":\"note\",\"content\":\"未来\"}"
expect_error 400 VALIDATION_FAILED
api "$TD" POST "$L" "{\"centre_id\":$C1,\"occurred_at\":\"2027-06-01T08:20:00+08:00\",\"kind\":\"call\",\"content\":\"接考区来电，询问试卷交接情况\",\"caller\":\"考区值班室\",\"action_taken\":\"已报告主考\"}"
expect_status 201
expect_json '"\(.staff_name) \(.post) \(.kind) \(.occurred_at)"' "人员duty1 duty_officer call 2027-06-01T08:20:00+08:00"
[ "$(db_query "SELECT COUNT(*) FROM duty_log_entries")" = 1 ] || fail "refused log entries were written"
api "$AG" GET "$L?centre_id=$C1&day=2027-06-01"
expect_status 200
expect_json '"\(.items | length) \(.items[0].caller)"' "1 考区值班室"
api "$AG" GET "$L?centre_id=$C1&day=2027-06-02"
expect_json '.items | length' 0
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'duty.log'")" = 1 ] || fail "the log entry is not audited"

server_stop
audit_verify 0
echo ok
