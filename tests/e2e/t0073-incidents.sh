#!/usr/bin/env bash
# Exam-day incidents (DAY-5, VEN-4, DAY-1's command platform; PQ 32, 33, 46; AH 25; issue 9
# item 5): a proctor raises an incident for their exam room (not for a room or centre that is
# not theirs); an ordinary incident goes up level by level — a wrong level's acknowledgement
# refused, the right one's accepted, a second refused, then escalated with a note; a PQ 46
# category (organised cheating) reaches the national centre at once, every level notified,
# and does not close while the national centre's acknowledgement is awaited, without its
# findings and measures, without the police report or without evidence fixed (PQ 33). A major
# incident blocks its centre in the VEN-4 register until rectified. A postponement (PQ 32) is
# an approval only the national centre grants (a provincial account refused, a re-sitting
# the ministry's), announced on the exam's public page. Walls: another province sees nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

seated_exam 1 考生甲 '["01"]' 2 考生乙 '["01"]'
X1=$(db_query "SELECT id FROM exam_rooms WHERE run_id = $RUN ORDER BY id LIMIT 1")
[ -n "$X1" ] || fail "no exam room"

# ---- the area's staff, the lottery (SEAT-2), a proctor's account ----
declare -A SID
member() { # CODE POST: a trained staff member of the area
	api "$A" POST /api/v1/staff "{\"unit_id\":$HF,\"code\":\"$1\",\"name\":\"人员$1\",\"post\":\"$2\",\"employment\":\"full_time\"}"
	expect_status 201
	SID[$1]=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/trainings "{\"staff_id\":${SID[$1]},\"course\":\"监考培训\",\"trained_on\":\"2027-05-01\",\"result\":\"passed\"}"
	expect_status 201
}
member ch1 chief_examiner
member rv1 roving_proctor
for p in pr1 pr2 pr3; do member $p proctor; done
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_status 201
api "$AG" POST "/api/v1/proctor_draws/$(jq -r .id "$WORK/body")/draw"
expect_status 200
PA=$(db_query "SELECT f.code FROM proctor_assignments a JOIN staff f ON f.id = a.staff_id WHERE a.exam_room_id = $X1 AND a.duty = 'proctor' ORDER BY f.code LIMIT 1")
[ -n "$PA" ] || fail "the lottery assigned no proctor to room $X1"
staff "$PA" proctor "$HF"
uid=$(db_query "SELECT id FROM users WHERE username = '$PA'")
api "$A" GET "/api/v1/staff/${SID[$PA]}"
api "$A" PATCH "/api/v1/staff/${SID[$PA]}" "{\"user_id\":$uid}" -H "If-Match: $(header ETag)"
expect_status 200
# the levels: area HF (the centre's unit), province PTA ($AG), the national centre (root);
# the province's authority officer (AH) decides approvals but is not the national centre
staff area1 agency_staff "$HF"
staff ncentre authority_officer "$root"
staff provauth authority_officer "$AH"
JS=$(unit JS provincial_agency provincial "$root")
staff jsagency authority_officer "$JS"

# ---- exam day, 10:00 ----
server_restart_at 2027-06-01T10:00:00+08:00
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login agency agency-password-1; AG=$TOKEN
login area1 area1-password-1; AR=$TOKEN
login ncentre ncentre-password-1; NC=$TOKEN
login jsagency jsagency-password-1; JSX=$TOKEN
login provauth provauth-password-1; PV=$TOKEN
login "$PA" "$PA-password-1"; PR=$TOKEN
I="/api/v1/exams/$QE/exam_incidents"

# the command view (DAY-1) of the sitting, opened before anything is raised: no incidents
api "$AG" GET "/api/v1/exams/$QE/sittings/01/command"
expect_status 200
expect_json '.centres[0].incidents' 0

# ---- a proctor raises an incident for their room (DAY-5) ----
api "$PR" POST "$I" "{\"subject\":\"01\",\"centre_id\":$C1,\"occurred_at\":\"2027-06-01T09:40:00+08:00\",\"category\":\"candidate_illness\",\"description\":\"考生晕倒\"}"
expect_error 403 INCIDENT_NOT_PARTY
api "$PR" POST "$I" "{\"subject\":\"01\",\"room_id\":$X1,\"occurred_at\":\"2027-06-01T09:40:00+08:00\",\"category\":\"candidate_illness\",\"description\":\"考生晕倒\",\"major\":true}"
expect_error 403 INCIDENT_NOT_PARTY
api "$PR" POST "$I" "{\"subject\":\"01\",\"room_id\":$X1,\"occurred_at\":\"2027-06-01T09:40:00+08:00\",\"category\":\"no_such\",\"description\":\"考生晕倒\"}"
expect_error 400 VALIDATION_FAILED
api "$JSX" POST "$I" "{\"subject\":\"01\",\"centre_id\":$C1,\"occurred_at\":\"2027-06-01T09:40:00+08:00\",\"category\":\"weather\",\"description\":\"暴雨\"}"
expect_error 404 NOT_FOUND
api "$PR" POST "$I" "{\"subject\":\"01\",\"room_id\":$X1,\"occurred_at\":\"2027-06-01T09:40:00+08:00\",\"category\":\"candidate_illness\",\"description\":\"考生晕倒，已送医务室\"}"
expect_status 201
N1=$(jq -r .id "$WORK/body")
cp "$WORK/body" "$WORK/n1.json"
# the command view counts it open at its centre within a tick (the ticker re-reads it)
for _ in $(seq 1 40); do
	api "$AG" GET "/api/v1/exams/$QE/sittings/01/command"
	[ "$(jq -r '.centres[0].incidents' "$WORK/body")" = 1 ] && break
	sleep 0.05
done
expect_json '.centres[0] | "\(.incidents) \(.state)"' "1 incident"
cp "$WORK/n1.json" "$WORK/body"
expect_json .urgent false
# times as the rest of the API gives them: China time with +08:00 (issue 9 item F2)
expect_json .occurred_at 2027-06-01T09:40:00+08:00
expect_json .created_at 2027-06-01T10:00:00+08:00
expect_json '.steps[0].notified_at' 2027-06-01T10:00:00+08:00
expect_json .major false
expect_json .centre.id "$C1"
expect_json .awaiting.id "$HF"
expect_json '.steps | length' 1
expect_json .reported_by "$PA"
api "$PR" GET "/api/v1/exam_incidents/$N1"
expect_status 200
api "$JSX" GET "/api/v1/exam_incidents/$N1"
expect_error 404 NOT_FOUND

# ---- acknowledgement level by level (DAY-5) ----
api "$AG" POST "/api/v1/exam_incidents/$N1/acknowledge" '{}'
expect_error 403 INCIDENT_NOT_YOUR_LEVEL
expect_json .error.details.awaiting.id "$HF"
api "$NC" POST "/api/v1/exam_incidents/$N1/acknowledge" '{}'
expect_error 403 INCIDENT_NOT_YOUR_LEVEL
api "$AR" POST "/api/v1/exam_incidents/$N1/acknowledge" '{"note":"已派医务人员到场"}'
expect_status 200
expect_json .steps[0].acknowledged_by area1
expect_json .awaiting null
api "$AR" POST "/api/v1/exam_incidents/$N1/acknowledge" '{}'
expect_error 409 INCIDENT_ALREADY_ACKNOWLEDGED
api "$AG" POST "/api/v1/exam_incidents/$N1/escalate" '{"note":"上报"}'
expect_error 403 INCIDENT_NOT_YOUR_LEVEL
api "$AR" POST "/api/v1/exam_incidents/$N1/escalate" '{}'
expect_error 400 VALIDATION_FAILED
api "$AR" POST "/api/v1/exam_incidents/$N1/escalate" '{"note":"考生病情较重，报省考试机构"}'
expect_status 200
expect_json .awaiting.id "$PTA"
expect_json .steps[1].escalated_by area1
api "$AG" POST "/api/v1/exam_incidents/$N1/acknowledge" '{}'
expect_status 200
expect_json .steps[1].acknowledged_by agency
api "$AG" GET "$I?awaiting_unit_id=$PTA"
expect_json '.items | length' 0

# ---- a PQ 46 category: the national centre at once (DAY-5, PQ 33) ----
api "$AR" POST "$I" "{\"subject\":\"01\",\"centre_id\":$C1,\"occurred_at\":\"2027-06-01T09:50:00+08:00\",\"category\":\"organised_cheating\",\"description\":\"发现多名考生使用同型号无线接收设备\"}"
expect_status 201
N2=$(jq -r .id "$WORK/body")
expect_json .urgent true
expect_json .major true
expect_json '[.steps[] | .unit.id] | map(tostring) | join(",")' "$HF,$PTA,$root"
expect_json '[.steps[] | select(.notified_at != null)] | length' 3
expect_json .awaiting.id "$root"
expect_json .awaiting.kind national_centre
api "$NC" GET "$I?status=open&awaiting_unit_id=$root"
expect_status 200
expect_json '[.items[] | .id] | map(tostring) | join(",")' "$N2"
expect_json ".open_by_centre[] | select(.centre_id == $C1) | .open" 1
api "$NC" GET "$I"
expect_json ".open_by_centre[] | select(.centre_id == $C1) | .open" 2
api "$AR" POST "/api/v1/exam_incidents/$N2/acknowledge" '{}'
expect_status 200
expect_json .awaiting.id "$root"
api "$AR" POST "/api/v1/exam_incidents/$N2/close" '{"conclusion":"结案"}'
expect_error 409 INCIDENT_ACK_PENDING
api "$NC" POST "/api/v1/exam_incidents/$N2/acknowledge" '{}'
expect_status 200
expect_json .awaiting null
api "$NC" POST "/api/v1/exam_incidents/$N2/escalate" '{"note":"再上报"}'
expect_error 422 INCIDENT_TOP_LEVEL
api "$AR" POST "/api/v1/exam_incidents/$N2/close" '{"conclusion":"结案"}'
expect_error 422 INCIDENT_FINDINGS_REQUIRED
api "$AR" POST "/api/v1/exam_incidents/$N2/updates" '{"kind":"finding","text":"经查，系校外团伙组织"}'
expect_status 201
api "$AR" POST "/api/v1/exam_incidents/$N2/updates" '{"kind":"measure","text":"收缴设备，相关考生停考"}'
expect_status 201
expect_json '[.updates[] | .kind] | join(",")' finding,measure
api "$AR" POST "/api/v1/exam_incidents/$N2/close" '{"conclusion":"结案"}'
expect_error 422 INCIDENT_POLICE_REPORT_REQUIRED
api "$AR" POST "/api/v1/exam_incidents/$N2/police_report" '{"reported_at":"2027-06-01T10:05:00+08:00","to":"合肥市公安局蜀山分局","reference":"蜀公（刑）受案字〔2027〕101号"}'
expect_status 200
expect_json .police_report.reported_at 2027-06-01T10:05:00+08:00
api "$AR" POST "/api/v1/exam_incidents/$N2/police_report" '{"reported_at":"2027-06-01T10:05:00+08:00","to":"x","reference":"y"}'
expect_error 409 INCIDENT_POLICE_REPORTED
api "$AR" POST "/api/v1/exam_incidents/$N2/close" '{"conclusion":"结案"}'
expect_error 422 INCIDENT_EVIDENCE_REQUIRED
api "$AR" POST "/api/v1/exam_incidents/$N2/files?label=%E8%AE%BE%E5%A4%87%E7%85%A7%E7%89%87" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
FURL=$(jq -r .url "$WORK/body")
api "$NC" GET "$FURL"
expect_status 200
api "$JSX" GET "$FURL"
expect_error 404 NOT_FOUND
api "$AR" POST "/api/v1/exam_incidents/$N2/close" '{"conclusion":"已移交公安机关，证据已固定"}'
expect_status 200
expect_json .status closed
expect_json .closed_by area1
expect_json .closed_at 2027-06-01T10:00:00+08:00
expect_json '[.updates[] | .created_at | endswith("+08:00")] | all' true
api "$AR" POST "/api/v1/exam_incidents/$N2/updates" '{"kind":"note","text":"补充"}'
expect_error 409 INCIDENT_CLOSED

# ---- VEN-4: the centre blocked until rectified (AH 25) ----
V=$(db_query "SELECT venue_incident_id FROM exam_incidents WHERE id = $N2")
[ -n "$V" ] || fail "no VEN-4 register entry for the major incident"
api "$A" GET "/api/v1/centres/$C1"
expect_json .blocked true
api "$A" GET "/api/v1/incidents/$V"
expect_status 200
expect_json .major true
expect_json .rectified_on null
api "$A" PATCH "/api/v1/incidents/$V" '{"rectification":"更换考点负责人，加装信号屏蔽","rectified_on":"2027-06-20"}' -H "If-Match: $(header ETag)"
expect_status 200
api "$A" GET "/api/v1/centres/$C1"
expect_json .blocked false
# staff mark an ordinary incident major: blocked again
api "$PR" POST "/api/v1/exam_incidents/$N1/major"
expect_error 403 FORBIDDEN
api "$AG" POST "/api/v1/exam_incidents/$N1/major"
expect_status 200
expect_json .major true
api "$AG" POST "/api/v1/exam_incidents/$N1/major"
expect_error 409 INCIDENT_ALREADY_MAJOR
api "$A" GET "/api/v1/centres/$C1"
expect_json .blocked true

# ---- outcomes as approvals: postponement by the national centre (DAY-5, PQ 32) ----
api "$AR" POST "/api/v1/exam_incidents/$N1/outcomes" '{"kind":"postpone","details":"01 科目本考场延后 30 分钟","announcement":"因突发情况，合肥市第一中学考点经济基础知识科目延期举行，具体时间另行通知。"}'
expect_status 202
AP=$(jq -r .approval_id "$WORK/body")
expect_json .decider national_centre
api "$AR" POST "/api/v1/exam_incidents/$N1/outcomes" '{"kind":"postpone","details":"x","announcement":"y"}'
expect_error 409 INCIDENT_OUTCOME_PENDING
api "$AG" POST "/api/v1/approvals/$AP/approve"
expect_error 403 FORBIDDEN
api "$PV" POST "/api/v1/approvals/$AP/approve"
expect_error 422 INCIDENT_OUTCOME_WRONG_LEVEL
api "$JSX" POST "/api/v1/approvals/$AP/approve"
expect_error 404 NOT_FOUND
req GET "/api/v1/public/exams/$QE"
expect_json '.announcements | length' 0
api "$NC" POST "/api/v1/approvals/$AP/approve"
expect_status 200
expect_json .result.status approved
req GET "/api/v1/public/exams/$QE"
expect_status 200
expect_json '.announcements[0].kind' postpone
expect_json '.announcements[0].announcement' "因突发情况，合肥市第一中学考点经济基础知识科目延期举行，具体时间另行通知。"
# a re-sitting is the ministry's: the national centre cannot grant it
api "$AR" POST "/api/v1/exam_incidents/$N1/outcomes" '{"kind":"resit","details":"本考场 01 科目重考","announcement":"重考通知"}'
expect_status 202
expect_json .decider ministry
api "$NC" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_error 422 INCIDENT_OUTCOME_WRONG_LEVEL
api "$NC" GET "/api/v1/exam_incidents/$N1"
expect_json '[.outcomes[] | "\(.kind):\(.status)"] | join(",")' postpone:approved,resit:pending

# ---- the proctor's view: only what they reported ----
api "$PR" GET "$I"
expect_status 200
expect_json '[.items[] | .id] | map(tostring) | join(",")' "$N1"
api "$PR" GET "/api/v1/exam_incidents/$N2"
expect_error 404 NOT_FOUND
api "$JSX" GET "$I"
expect_json '.items | length' 0

audit_verify 0
echo "ok"
