#!/usr/bin/env bash
# Absentees of the room record in scoring (DAY-4 with GRD-4, GRD-5, GRD-7; issue 10): once the
# room record of an exam room is closed, the answer import refuses a sheet of a candidate it
# lists absent (缺考) — the row's problem "absent_sheet", nothing imported — and a score run marks
# such a candidate absent even with a sheet imported before the close: no form, raw or final,
# never scored; the run before the close no longer cross-checks clean, the one after does and
# lists the sheet. A room whose record is still open changes nothing (its state is unknown).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

# 1, 2, 4 sit 01 in one exam room (X1, its record closed below); 3 sits 01+02 in another (X2,
# its record left open)
seated_exam 1 考生甲 '["01"]' 2 考生乙 '["01"]' 3 考生丙 '["01","02"]' 4 考生丁 '["01"]'
X1=$(db_query "SELECT id FROM exam_rooms WHERE run_id = $RUN AND subjects = '01'")
X2=$(db_query "SELECT id FROM exam_rooms WHERE run_id = $RUN AND subjects = '01+02'")
[ -n "$X1" ] && [ -n "$X2" ] || fail "unexpected exam rooms: $(db_query "SELECT id, subjects FROM exam_rooms")"
declare -A TNO
for n in 1 2 3 4; do TNO[$n]=$(db_query "SELECT ticket_no FROM seats WHERE run_id = $RUN AND registration_id = ${REG[$n]}"); done
staff witness agency_staff "$PTA"

# ---- the proctors the lottery assigns (SEAT-2), two of X1's with accounts ----
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
for p in pr1 pr2 pr3 pr4; do member $p proctor; done
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_status 201
api "$AG" POST "/api/v1/proctor_draws/$(jq -r .id "$WORK/body")/draw"
expect_status 200
read -r PA PB <<<"$(db_query "SELECT f.code FROM proctor_assignments a JOIN staff f ON f.id = a.staff_id WHERE a.exam_room_id = $X1 AND a.duty = 'proctor' ORDER BY f.code" | paste -sd' ')"
[ -n "$PB" ] || fail "the lottery left X1 without two proctors"
declare -A TK
for u in "$PA" "$PB"; do
	staff "$u" proctor "$HF"
	uid=$(db_query "SELECT id FROM users WHERE username = '$u'")
	api "$A" GET "/api/v1/staff/${SID[$u]}"
	api "$A" PATCH "/api/v1/staff/${SID[$u]}" "{\"user_id\":$uid}" -H "If-Match: $(header ETag)"
	expect_status 200
done
logins() {
	local u
	login agency agency-password-1; AG=$TOKEN
	for u in "$PA" "$PB"; do login "$u" "$u-password-1"; TK[$u]=$TOKEN; done
}

# ---- the key; the scanner's sheets of 1 and 2 read before the record closes ----
api "$AG" POST "/api/v1/exams/$QE/subjects/01/keys" "$SIMPLE_KEY"
expect_status 201
ANS="/api/v1/exams/$QE/answers?witness=witness"
api "$AG" POST "$ANS" -H 'Content-Type: text/csv' --data-binary "$(printf 'ticket_no,subject,form,answers\n%s,01,A,BDA\n%s,01,A,BDB\n' "${TNO[1]}" "${TNO[2]}")"
expect_status 201
expect_json .sheets 2

# ---- exam day: 1 checks in at X1; 2 and 4 never come ----
server_restart_at 2027-06-01T08:40:00+08:00
logins
S1="/api/v1/exams/$QE/sittings/01"
api "${TK[$PA]}" POST "$S1/checkins" "{\"room_id\":$X1,\"id_checked\":true,\"ticket_no\":\"${TNO[1]}\"}"
expect_status 201

# before the close nothing is known: X1's record is open, a run scores 2's sheet
RUNS="/api/v1/exams/$QE/subjects/01/score_runs"
api "$AG" POST "$RUNS"
expect_status 201
R0=$(jq -r .id "$WORK/body")
expect_json '"\(.scored) \(.absent)"' "2 2"

# ---- 11:31: the record of X1 is signed by its two proctors and closed: 2 and 4 absent ----
server_restart_at 2027-06-01T11:31:00+08:00
logins
api "${TK[$PA]}" POST "$S1/rooms/$X1/record/sign"
expect_status 200
api "${TK[$PB]}" POST "$S1/rooms/$X1/record/sign"
expect_status 200
api "${TK[$PB]}" POST "$S1/rooms/$X1/record/close"
expect_status 200
expect_json .status closed
expect_json '[.absentees[] | .ticket_no] | sort | join(",")' "$(printf '%s\n' "${TNO[2]}" "${TNO[4]}" | sort | paste -sd,)"

# ---- the import refuses 4's sheet, row by row, and writes nothing (3's room is open: fine) ----
sheets_before=$(db_query "SELECT COUNT(*) FROM answer_blocks")
api "$AG" POST "$ANS" -H 'Content-Type: text/csv' --data-binary "$(printf 'ticket_no,subject,form,answers\n%s,01,A,BDA\n%s,01,A,ADA\n' "${TNO[4]}" "${TNO[3]}")"
expect_error 422 IMPORT_INVALID
expect_json '[.error.details.rows[] | "\(.line):\(.field):\(.problem)"] | join(",")' "2:ticket_no:absent_sheet"
expect_json .error.details.rows[0].note "${TNO[4]}"
[ "$(db_query "SELECT COUNT(*) FROM answer_blocks")" = "$sheets_before" ] || fail "a refused import wrote sheets"
# the same in every shape of scanner output (app/answerin.c: CBT responses, line 2 of the file)
api "$AG" POST "$ANS&format=cbt" -H 'Content-Type: application/x-ndjson' --data-binary "$(jq -nc --arg t "${TNO[3]}" '{ticket_no:$t,subject:"01",form:"A",responses:["A","D","A"]}')
$(jq -nc --arg t "${TNO[4]}" '{ticket_no:$t,subject:"01",form:"A",responses:["B","D","A"]}')"
expect_error 422 IMPORT_INVALID
expect_json '[.error.details.rows[] | "\(.line):\(.problem)"] | join(",")' "2:absent_sheet"
[ "$(db_query "SELECT COUNT(*) FROM answer_blocks")" = "$sheets_before" ] || fail "a refused CBT import wrote sheets"
# the open room's sheet still imports
api "$AG" POST "$ANS" -H 'Content-Type: text/csv' --data-binary "$(printf 'ticket_no,subject,form,answers\n%s,01,A,ADA\n' "${TNO[3]}")"
expect_status 201
expect_json .sheets 1

# ---- the run after the close: 2 absent despite the sheet, 4 absent, 1 and 3 scored ----
api "$AG" POST "$RUNS"
expect_status 201
R1=$(jq -r .id "$WORK/body")
expect_json '"\(.candidates) \(.scored) \(.absent)"' "4 2 2"
api "$AG" GET "/api/v1/score_runs/$R1/scores"
expect_status 200
line() { jq -r --argjson r "${REG[$1]}" '.items[] | select(.registration_id == $r) | "\(.status) \(.form) \(.raw) \(.final)"' "$WORK/body"; }
[ "$(line 1)" = "scored A 4.5 4.5" ] || fail "candidate 1: $(line 1)"
[ "$(line 2)" = "absent null null null" ] || fail "candidate 2, absent per the closed record with a sheet: $(line 2)"
[ "$(line 4)" = "absent null null null" ] || fail "candidate 4: $(line 4)"
[ "$(line 3)" = "scored A 3.5 3.5" ] || fail "candidate 3, of the open room: $(line 3)"
# the absentees are an input: the run after the close is the inputs' result (GRD-7), listing
# the sheet of the absentee; the run before it is not any longer
api "$AG" GET "/api/v1/score_runs/$R1/crosscheck"
expect_status 200
expect_json .status clean
expect_json '[.findings.items[] | select(.kind == "recorded_absent_with_sheet") | .registration_id] | join(",")' "${REG[2]}"
api "$AG" GET "/api/v1/score_runs/$R0/crosscheck"
expect_status 200
expect_json .status differences
expect_json '.outcomes_digest.same' false
audit_verify 0
echo "ok"
