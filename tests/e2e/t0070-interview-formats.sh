#!/usr/bin/env bash
# Interview formats and observers (INT-5, INT-7; issue 12 items 4-5), on t0060's exam
# (tests/e2e/interview.sh). INT-5: a panel of a group format (leaderless group discussion)
# needs its group size within the format's bounds; without a sheet of its own it scores on the
# format's standard sheet (data/rules/interview_formats.json), copied into the panel; the day
# without a sheet gives its structured panels the structured standard sheet; the examiners see
# the panel's format, group size, sheet and the recruiting agency's brief, and a score is
# checked against the panel's sheet, not the day's. INT-7: observers register before the day
# begins (masked identity, one registration per person, never a candidate of the exam's
# shortlists), their attendance in a panel's room and their departure recorded on the day,
# each once; audited; the full identity number stored nowhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
iv_setup
iv_written
api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_status 201
iv_pool

# ---- INT-5: the format and its group ----
PANEL_EXTRA='{"format":"leaderless_group"}' panel G2 K1 K2 K3 K4 K5 K6 K7
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' group_size
PANEL_EXTRA='{"format":"leaderless_group","group_size":4}' panel G2 K1 K2 K3 K4 K5 K6 K7
expect_error 422 INTERVIEW_GROUP_SIZE
expect_json .error.rule INT-5
expect_json .error.details.min 5
PANEL_EXTRA='{"format":"structured","group_size":5}' panel G2 K1 K2 K3 K4 K5 K6 K7
expect_error 400 VALIDATION_FAILED
PANEL_EXTRA='{"format":"debate"}' panel G2 K1 K2 K3 K4 K5 K6 K7
expect_error 400 VALIDATION_FAILED
PANEL_EXTRA='{"format":"scenario","dimensions":[{"name":"试讲","max":"0"}]}' panel G2 K1 K2 K3 K4 K5 K6 K7
expect_error 400 VALIDATION_FAILED
[ "$(db_query "SELECT COUNT(*) FROM interview_panels")" = 0 ] || fail "a refused panel was stored"
BRIEF='综合管理岗：负责机关综合文字、政策研究与协调工作。'
PANEL_EXTRA="{\"format\":\"leaderless_group\",\"group_size\":5,\"brief\":\"$BRIEF\"}" panel G2 K1 K2 K3 K4 K5 K6 K7
expect_status 201
G2=$(jq -r .id "$WORK/body")
expect_json .format leaderless_group
expect_json .format_name.zh 无领导小组讨论
expect_json .group_size 5
expect_json '.dimensions | length' 6
expect_json '.dimensions[0].name' 发言主动性与影响力
expect_json '.dimensions[0].max' 20
expect_json .brief "$BRIEF"
# the standard sheet is copied into the panel (a later change of the data file leaves it)
db_query "SELECT dimensions FROM interview_panels WHERE id = $G2" | grep -q '"max":2000' || fail "the sheet is not stored in the panel"
# a day without a sheet: the structured standard sheet for its structured panels
api "$AG" POST "/api/v1/exams/$QE/interview_days" '{"day":"2027-01-10","ends_at":"2027-01-10T18:00:00+08:00","rooms":["301","302"],"panels":['"$G2"']}'
expect_status 201
DAYID=$(jq -r .id "$WORK/body")
expect_json '.dimensions | length' 7
expect_json '.dimensions[0].name' 综合分析能力
expect_json '[.dimensions[].max | tonumber] | add' 100

# ---- INT-7: observers register before the day ----
OBS1=$(idcard 340104 19800305 051)
obs() { api "${2:-$AG}" POST "/api/v1/interview_days/$DAYID/observers" "$1"; }
obs "{\"name\":\"周记者\",\"id_number\":\"$OBS1\",\"organisation\":\"安徽日报\",\"kind\":\"media\"}"
expect_status 201
O1=$(jq -r .id "$WORK/body")
expect_json .kind media
expect_json .panel null
jq -e --arg n "$OBS1" '.id_number != $n and (.id_number | test("\\*"))' "$WORK/body" >/dev/null || fail "the identity number is not masked: $(body)"
obs "{\"name\":\"周记者\",\"id_number\":\"$OBS1\",\"organisation\":\"安徽日报\",\"kind\":\"media\"}"
expect_error 409 OBSERVER_EXISTS
obs "{\"name\":\"李三\",\"id_number\":\"${IDN[3]}\",\"organisation\":\"群众\",\"kind\":\"public\"}"
expect_error 422 OBSERVER_IS_CANDIDATE
expect_json .error.rule INT-7
obs "{\"name\":\"某人\",\"id_number\":\"340104198003050512\",\"organisation\":\"群众\",\"kind\":\"public\"}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' id_number
obs "{\"name\":\"某人\",\"id_number\":\"$(idcard 340104 19750101 033)\",\"organisation\":\"群众\",\"kind\":\"neighbour\"}"
expect_error 400 VALIDATION_FAILED
OBS2=$(idcard 340104 19750101 033)
obs "{\"name\":\"王代表\",\"id_number\":\"$OBS2\",\"organisation\":\"合肥市人大\",\"kind\":\"deputy\"}"
expect_status 201
O2=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/interview_observers/$O1/attendance" "{\"panel_id\":$G2}"
expect_error 422 OBSERVER_NOT_TODAY
api "$ISUP" POST "/api/v1/interview_days/$DAYID/observers" "{\"name\":\"赵\",\"id_number\":\"$(idcard 340104 19700101 011)\",\"organisation\":\"x\",\"kind\":\"public\"}"
expect_status 403
[ "$(db_query "SELECT COUNT(*) FROM interview_observers")" = 2 ] || fail "a refused observer was stored"

# ---- on the day ----
server_restart_at 2027-01-10T08:00:00+08:00
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
login agency agency-password-1; AG=$TOKEN
obs "{\"name\":\"迟到者\",\"id_number\":\"$(idcard 340104 19700101 011)\",\"organisation\":\"群众\",\"kind\":\"public\"}"
expect_error 422 OBSERVER_REGISTRATION_CLOSED
api "$AG" POST "/api/v1/interview_observers/$O1/attendance" '{"panel_id":999999}'
expect_error 400 VALIDATION_FAILED
api "$AG" POST "/api/v1/interview_observers/$O1/departure"
expect_error 409 OBSERVER_NOT_PRESENT
api "$AG" POST "/api/v1/interview_observers/$O1/attendance" "{\"panel_id\":$G2}"
expect_status 200
expect_json .panel.code G2
[ "$(jq -r .attended_at "$WORK/body")" = 2027-01-10T08:00:00+08:00 ] || fail "attended at: $(body)"
api "$AG" POST "/api/v1/interview_observers/$O1/attendance" "{\"panel_id\":$G2}"
expect_error 409 OBSERVER_ATTENDED
api "$AG" POST "/api/v1/interview_observers/$O1/departure"
expect_status 200
[ "$(jq -r .left_at "$WORK/body")" != null ] || fail "no departure: $(body)"
api "$AG" POST "/api/v1/interview_observers/$O1/departure"
expect_error 409 OBSERVER_NOT_PRESENT
api "$AG" GET "/api/v1/interview_days/$DAYID/observers"
expect_status 200
expect_json '.items | length' 2
expect_json '[.items[] | select(.id == '"$O1"') | .panel.code][0]' G2
expect_json '[.items[] | select(.id == '"$O2"') | .attended_at][0]' null
api "$AG" GET "/api/v1/interview_days/999999/observers"
expect_error 404 NOT_FOUND
[ "$(db_query "SELECT COUNT(*) FROM interview_observers WHERE id_masked LIKE '%$OBS1%' OR name LIKE '%$OBS1%'")" = 0 ] || fail "the full identity number is stored"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%$OBS1%'")" = 0 ] || fail "the full identity number is in the trail"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'interview.observer.%'")" = 4 ] || fail "observers' records not audited"

# ---- the examiners see the format, the group, the sheet and the brief; scores on it ----
declare -A T
link() { # USER STAFF_CODE
	local uid
	uid=$(db_query "SELECT id FROM users WHERE username = '$1'")
	api "$A" GET "/api/v1/staff/${SID[$2]}"
	api "$A" PATCH "/api/v1/staff/${SID[$2]}" "{\"user_id\":$uid}" -H "If-Match: $(header ETag)"
	expect_status 200
}
staff kg1 examiner "$PTA"; T[K1]=$TOKEN; link kg1 K1
api "${T[K1]}" GET /api/v1/me/interview_panels
expect_status 200
expect_json '.items[0].format' leaderless_group
expect_json '.items[0].group_size' 5
expect_json '.items[0].brief' "$BRIEF"
expect_json '.items[0].dimensions | length' 6
api "$AG" POST "/api/v1/interview_panels/$G2/order_draw"
expect_status 200
api "${T[K1]}" POST "/api/v1/interview_panels/$G2/orders/1/scores" '{"scores":["18","20","15","12","8","9"]}'
expect_status 200
expect_json .total 82
api "${T[K1]}" POST "/api/v1/interview_panels/$G2/orders/2/scores" '{"scores":["18","20","15"]}'
expect_error 400 VALIDATION_FAILED
api "${T[K1]}" POST "/api/v1/interview_panels/$G2/orders/2/scores" '{"scores":["21","20","15","12","8","9"]}'
expect_error 422 INTERVIEW_SCORE_RANGE
expect_json .error.details.dimension 发言主动性与影响力
audit_verify 0
server_stop
echo "ok"
