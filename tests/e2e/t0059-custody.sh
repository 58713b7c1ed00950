#!/usr/bin/env bash
# Papers as packages and their chain of custody (PAP-2, PAP-3, CUS-1..6; issue 9 items 1-2
# and its bad input): a subject's paper signed off by two people (PAP-2) before its packages
# are made from the published seating, one per exam room and one per centre, each of one
# subject (PAP-3); a room package followed from the printer through the province's secure
# room, a transport with two escorts, the centre (a count that does not match: recorded,
# flagged and an incident reported upward), the centre's secure room and the proctors, back
# after the chief examiner approved the sealing (CUS-6); a one-person handover, the same
# person twice, one escort, one key holder, a package "scanned" where it is not, a return
# before the sealing and a seal approval before the end refused with their codes; a late
# centre receipt flagged CUSTODY_LATE (CUS-5); the proctors' receipt signed only by proctors
# the lottery drew for that exam room at that sitting (CUS-5, DAY-4: a named person who was not
# drawn, an account not drawn, refused with CUSTODY_PROCTOR_NOT_DRAWN and nothing written; the
# drawn ones, by account and by name, accepted); a Jiangsu custodian never reaches an Anhui
# package; the chain read back in order; the audit trail verifies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
seated_exam 1 考生甲 '["01","02"]' 2 考生乙 '["01","02"]' 3 考生丙 '["01","02"]'

declare -A T
acct() { staff "$@"; T[$1]=$TOKEN; } # USER ROLE UNIT: an account holding ROLE at UNIT
acct author1 item_author "$PTA"
acct cu1 custodian "$PTA"
acct cs1 custodian "$HF"
acct ce1 chief_examiner "$HF"
JS=$(unit JS provincial_authority provincial "$root")
acct jscu custodian "$JS"
# the area's proctors and the lottery (SEAT-2): of the room's two drawn proctors, PA has an
# account linked to the staff record, PB goes by name; PO is a proctor the room did not draw
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
for p in pr1 pr2 pr3 pr4 pr5; do member $p proctor; done
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_status 201
api "$AG" POST "/api/v1/proctor_draws/$(jq -r .id "$WORK/body")/draw"
expect_status 200
X1=$(db_query "SELECT id FROM exam_rooms WHERE run_id = $RUN ORDER BY id LIMIT 1")
read -r PA PB <<<"$(db_query "SELECT f.code FROM proctor_assignments a JOIN staff f ON f.id = a.staff_id WHERE a.exam_room_id = $X1 AND a.duty = 'proctor' ORDER BY f.code" | paste -sd' ')"
[ -n "$PB" ] || fail "the lottery left room $X1 without two proctors"
PO=$(db_query "SELECT f.code FROM staff f WHERE f.unit_id = $HF AND f.code LIKE 'pr%' AND f.id NOT IN (SELECT a.staff_id FROM proctor_assignments a WHERE a.exam_room_id = $X1) ORDER BY f.code LIMIT 1")
[ -n "$PO" ] || fail "every proctor was drawn for room $X1"
for u in "$PA" "$PO"; do
	acct "$u" proctor "$HF"
	uid=$(db_query "SELECT id FROM users WHERE username = '$u'")
	api "$A" GET "/api/v1/staff/${SID[$u]}"
	api "$A" PATCH "/api/v1/staff/${SID[$u]}" "{\"user_id\":$uid}" -H "If-Match: $(header ETag)"
	expect_status 200
done
# after a restart months or hours later: new sessions (people without accounts go by name)
relogin() { local u; for u in cu1 cs1 "$PA" "$PO" ce1; do login "$u" "$u-password-1"; T[$u]=$TOKEN; done; }
U() { printf '{"username":"%s"}' "$1"; }
N() { printf '{"name":"%s"}' "$1"; }

# ---- PAP-2: two sign-offs before the packages; PAP-3: made per room and centre ----
api "$AG" POST "/api/v1/exams/$QE/paper_packages" '{"subject":"01"}'
expect_error 422 CUSTODY_NOT_SIGNED_OFF
expect_json .error.details.signed 0
api "${T[author1]}" POST "/api/v1/exams/$QE/subjects/01/print_signoffs" '{"role_note":"命题人"}'
expect_status 201
expect_json .complete false
api "${T[author1]}" POST "/api/v1/exams/$QE/subjects/01/print_signoffs" '{"role_note":"命题人"}'
expect_error 409 CUSTODY_ALREADY_SIGNED
api "$AG" POST "/api/v1/exams/$QE/paper_packages" '{"subject":"01"}'
expect_error 422 CUSTODY_NOT_SIGNED_OFF
api "$AG" POST "/api/v1/exams/$QE/subjects/01/print_signoffs" '{"role_note":"审定负责人"}'
expect_status 201
expect_json .complete true
api "$AG" POST "/api/v1/exams/$QE/paper_packages" '{"subject":"01"}'
expect_status 201
expect_json '.items | length' 2
# the room package: the 3 seated + paper_spares_per_room (PQ: 2); the centre's holds it
expect_json '[.items[] | select(.kind == "room")][0].count' 5
expect_json '[.items[] | select(.kind == "room")][0].seated' 3
expect_json '[.items[] | select(.kind == "centre")][0].count' 5
expect_json '[.items[] | select(.kind == "room")][0].classification' top_secret
expect_json '[.items[] | select(.kind == "room")][0].print_signed_by | map(.name) | join(",")' author1,agency
expect_json '[.items[] | .place] | unique | join(",")' printer
R=$(jq -r '[.items[] | select(.kind == "room")][0].id' "$WORK/body")
SEAL=$(jq -r '[.items[] | select(.kind == "room")][0].seal_no' "$WORK/body")
[ "$SEAL" = JJ27-01-HF-01-R001 ] || fail "unexpected seal number $SEAL"
api "$AG" POST "/api/v1/exams/$QE/paper_packages" '{"subject":"01"}'
expect_error 409 CUSTODY_PACKAGES_EXIST
for tok in "${T[author1]}" "$AG"; do
	api "$tok" POST "/api/v1/exams/$QE/subjects/02/print_signoffs" '{"role_note":"审签"}'
	expect_status 201
done
api "$AG" POST "/api/v1/exams/$QE/paper_packages" '{"subject":"02"}'
expect_status 201
R2=$(jq -r '[.items[] | select(.kind == "room")][0].id' "$WORK/body")
SEAL2=$(jq -r '[.items[] | select(.kind == "room")][0].seal_no' "$WORK/body")
C2=$(jq -r '[.items[] | select(.kind == "centre")][0].id' "$WORK/body")
CSEAL2=$(jq -r '[.items[] | select(.kind == "centre")][0].seal_no' "$WORK/body")
# PAP-3: a package never mixes subjects — each has one, its parent the same
[ "$(db_query "SELECT COUNT(*) FROM paper_packages p JOIN paper_packages q ON q.id = p.parent_id WHERE q.subject_id <> p.subject_id")" = 0 ] || fail "PAP-3: a package inside another subject's"
[ "$(db_query "SELECT COUNT(*) FROM paper_packages WHERE subject_id IS NULL OR (kind = 'room') <> (parent_id IS NOT NULL)")" = 0 ] || fail "PAP-3: a package without its subject or parent"

# ---- the unit wall: Jiangsu's custodian sees nothing of Anhui's ----
api "${T[jscu]}" GET "/api/v1/paper_packages/$R"
expect_error 404 NOT_FOUND
api "${T[jscu]}" GET "/api/v1/paper_packages?seal=$SEAL"
expect_status 200
expect_json '.items | length' 0
api "${T[jscu]}" POST "/api/v1/paper_packages/$R/events" "{\"kind\":\"handover\",\"from\":\"printer\",\"giving\":[$(N 甲),$(N 乙)],\"receiving\":[$(U jscu),$(N 丙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 404 NOT_FOUND

# ---- the exam day, 07:00: the chain before the sitting ----
server_restart_at 2027-06-01T07:00:00+08:00
relogin
ev() { api "$1" POST "/api/v1/paper_packages/$2/events" "$3"; }
PR="$(N 印刷厂甲),$(N 印刷厂乙)"
# CUS-3: one person on a side; the same person twice (one side; both sides)
ev "${T[cu1]}" "$R" "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"province\",\"giving\":[$PR],\"receiving\":[$(U cu1)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 422 CUSTODY_ONE_SIDED
expect_json .error.details.side receiving
ev "${T[cu1]}" "$R" "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"province\",\"giving\":[$PR],\"receiving\":[$(U cu1),$(U cu1)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 422 CUSTODY_SAME_PERSON
expect_json .error.details.person cu1
expect_json .error.details.side receiving
ev "${T[cu1]}" "$R" "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"province\",\"giving\":[$(N 保管员乙),$(N 印刷厂甲)],\"receiving\":[$(U cu1),$(N 保管员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 422 CUSTODY_SAME_PERSON
# recorded by someone who is not on it
ev "${T[cs1]}" "$R" "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"province\",\"giving\":[$PR],\"receiving\":[$(U cu1),$(N 保管员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 403 CUSTODY_NOT_PARTY
ev "${T[cu1]}" "$R" "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"province\",\"location\":\"省考试院\",\"giving\":[$PR],\"receiving\":[$(U cu1),$(N 保管员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_status 201
expect_json '.flags | length' 0
expect_json .event.seq 1
expect_json .package.place province
# CUS-4: two different key holders and two guards
GUARDS="$(N 值守甲),$(N 值守乙)"
ev "${T[cu1]}" "$R" "{\"kind\":\"secure_in\",\"from\":\"province\",\"to\":\"province_secure_room\",\"key_holders\":[$(U cu1),$(U cu1)],\"guards\":[$GUARDS]}"
expect_error 422 CUSTODY_SAME_PERSON
ev "${T[cu1]}" "$R" "{\"kind\":\"secure_in\",\"from\":\"province\",\"to\":\"province_secure_room\",\"key_holders\":[$(U cu1)],\"guards\":[$GUARDS]}"
expect_error 422 CUSTODY_KEY_HOLDERS
ev "${T[cu1]}" "$R" "{\"kind\":\"secure_in\",\"from\":\"province\",\"to\":\"province_secure_room\",\"key_holders\":[$(U cu1),$(N 保管员乙)],\"guards\":[$(N 值守甲)]}"
expect_error 422 CUSTODY_GUARDS
ev "${T[cu1]}" "$R" "{\"kind\":\"secure_in\",\"from\":\"province\",\"to\":\"province_secure_room\",\"key_holders\":[$(U cu1),$(N 保管员乙)],\"guards\":[$GUARDS]}"
expect_status 201
ev "${T[cu1]}" "$R" "{\"kind\":\"secure_out\",\"from\":\"province_secure_room\",\"to\":\"province\",\"key_holders\":[$(U cu1),$(N 保管员乙)],\"guards\":[$GUARDS]}"
expect_status 201
# CUS-2: a dedicated vehicle with at least two escorts
ev "${T[cu1]}" "$R" "{\"kind\":\"transport\",\"from\":\"province\",\"to\":\"area\",\"vehicle\":\"皖A·12345\",\"escorts\":[$(N 押运员甲)],\"departed_at\":\"2027-06-01T05:30:00+08:00\"}"
expect_error 422 CUSTODY_ESCORTS
ev "${T[cu1]}" "$R" "{\"kind\":\"transport\",\"from\":\"province\",\"to\":\"area\",\"vehicle\":\"皖A·12345\",\"escorts\":[$(N 押运员甲),$(N 押运员乙)],\"departed_at\":\"2027-06-01T05:30:00+08:00\"}"
expect_status 201
expect_json '.flags | length' 0
expect_json .package.place area
# a package is never in two places: an event from where it is not
ev "${T[cu1]}" "$R" "{\"kind\":\"handover\",\"from\":\"province\",\"to\":\"area\",\"giving\":[$(U cu1),$(N 保管员乙)],\"receiving\":[$(U cs1),$(N 考点人员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 409 CUSTODY_WRONG_PLACE
expect_json .error.details.place area
# CUS-3, CUS-5: the centre's receipt, 1 hour before, 2 staff — a count short by one is
# recorded, flagged and reported upward, never silently accepted
ev "${T[cs1]}" "$R" "{\"kind\":\"centre_receipt\",\"from\":\"area\",\"to\":\"centre\",\"giving\":[$(N 押运员甲),$(N 押运员乙)],\"receiving\":[$(U cs1),$(N 考点人员乙)],\"count_checked\":4,\"seal_checked\":\"$SEAL\"}"
expect_status 201
expect_json '.flags | join(",")' CUSTODY_COUNT_MISMATCH
expect_json '.incidents | length' 1
expect_json '.incidents[0].code' CUSTODY_COUNT_MISMATCH
expect_json '.incidents[0].report_upward' true
expect_json '.incidents[0].report_to.code' AH-PTA
expect_json '.incidents[0].details.expected' 5
expect_json '.incidents[0].details.counted' 4
[ "$(db_query "SELECT COUNT(*) FROM custody_incidents WHERE package_id = $R AND code = 'CUSTODY_COUNT_MISMATCH' AND report_upward = 1 AND status = 'open'")" = 1 ] || fail "no incident row for the mismatch"
ev "${T[cs1]}" "$R" "{\"kind\":\"secure_in\",\"from\":\"centre\",\"to\":\"centre_secure_room\",\"key_holders\":[$(U cs1),$(N 考点人员乙)],\"guards\":[$GUARDS]}"
expect_status 201
ev "${T[cs1]}" "$R" "{\"kind\":\"secure_out\",\"from\":\"centre_secure_room\",\"to\":\"exam_office\",\"key_holders\":[$(U cs1),$(N 考点人员乙)],\"guards\":[$GUARDS]}"
expect_status 201
# CUS-6: nothing is sealed or returned before the sitting ends
ev "${T[ce1]}" "$R" '{"kind":"seal_approval","from":"exam_office"}'
expect_error 422 CUSTODY_NOT_OVER
# CUS-5, DAY-4: only proctors the lottery drew for this room at this sitting receive its papers
PGIVE="$(U cs1),$(N 考点人员乙)"
ev "${T[$PA]}" "$R" "{\"kind\":\"proctor_receipt\",\"from\":\"exam_office\",\"to\":\"exam_room\",\"giving\":[$PGIVE],\"receiving\":[$(U "$PA"),$(N 监考员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 422 CUSTODY_PROCTOR_NOT_DRAWN
expect_json .error.details.person 监考员乙
expect_json .error.details.side receiving
expect_json .error.details.exam_room_id "$X1"
ev "${T[$PO]}" "$R" "{\"kind\":\"proctor_receipt\",\"from\":\"exam_office\",\"to\":\"exam_room\",\"giving\":[$PGIVE],\"receiving\":[$(U "$PO"),$(N "人员$PB")],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 422 CUSTODY_PROCTOR_NOT_DRAWN
expect_json .error.details.person "$PO"
[ "$(db_query "SELECT events || ' ' || place FROM paper_packages WHERE id = $R")" = "7 exam_office" ] || fail "a refused proctors' receipt was written"
[ "$(db_query "SELECT COUNT(*) FROM custody_events WHERE package_id = $R AND kind = 'proctor_receipt'")" = 0 ] || fail "a refused proctors' receipt left an event"
ev "${T[$PA]}" "$R" "{\"kind\":\"proctor_receipt\",\"from\":\"exam_office\",\"to\":\"exam_room\",\"giving\":[$PGIVE],\"receiving\":[$(U "$PA"),$(N "人员$PB")],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_status 201
expect_json '.flags | length' 0
# subject 02's outer centre package leaves the printer for the area, carrying its room package
ev "${T[cu1]}" "$C2" "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"area\",\"giving\":[$PR],\"receiving\":[$(U cu1),$(N 保管员乙)],\"count_checked\":5,\"seal_checked\":\"$CSEAL2\"}"
expect_status 201
expect_json '.flags | length' 0
api "${T[cu1]}" GET "/api/v1/paper_packages/$R2"
expect_json .package.place area
expect_json '[.events[] | "\(.seq):\(.kind):\(.via.seal_no)"] | join(",")' "1:print_receipt:$CSEAL2"

# ---- 13:30: after subject 01 (ends 11:30), before 02 (starts 14:00) ----
server_restart_at 2027-06-01T13:30:00+08:00
relogin
ev "${T[$PA]}" "$R" "{\"kind\":\"return\",\"from\":\"exam_room\",\"to\":\"exam_office\",\"giving\":[$(U "$PA"),$(N "人员$PB")],\"receiving\":[$(U cs1),$(N 考点人员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_error 422 CUSTODY_NOT_SEALED
ev "${T[$PA]}" "$R" '{"kind":"seal_approval","from":"exam_room"}'
expect_error 403 FORBIDDEN
ev "${T[ce1]}" "$R" '{"kind":"seal_approval","from":"exam_room","note":"已清点试卷、答题卡和考场记录，同意封装"}'
expect_status 201
ev "${T[$PA]}" "$R" "{\"kind\":\"return\",\"from\":\"exam_room\",\"to\":\"exam_office\",\"giving\":[$(U "$PA"),$(N "人员$PB")],\"receiving\":[$(U cs1),$(N 考点人员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL\"}"
expect_status 201
expect_json .package.place exam_office
# CUS-5: the centre receives subject 02's papers 30 minutes before its start, not 60: recorded,
# flagged late, reported upward
ev "${T[cs1]}" "$R2" "{\"kind\":\"centre_receipt\",\"from\":\"area\",\"to\":\"centre\",\"giving\":[$(N 押运员甲),$(N 押运员乙)],\"receiving\":[$(U cs1),$(N 考点人员乙)],\"count_checked\":5,\"seal_checked\":\"$SEAL2\"}"
expect_status 201
expect_json '.flags | join(",")' CUSTODY_LATE
expect_json '.incidents[0].code' CUSTODY_LATE
expect_json '.incidents[0].details.due_by' 2027-06-01T13:00:00+08:00
# reported upward: the agency (the exam's unit) sees both incidents of the exam; Jiangsu none
login agency agency-password-1
api "$TOKEN" GET "/api/v1/exams/$QE/custody_incidents"
expect_status 200
expect_json '[.items[] | .code] | join(",")' CUSTODY_COUNT_MISMATCH,CUSTODY_LATE
expect_json '[.items[] | .report_to.code] | unique | join(",")' AH-PTA
login jscu jscu-password-1
api "$TOKEN" GET "/api/v1/exams/$QE/custody_incidents"
expect_status 200
expect_json '.items | length' 0

# ---- the whole chain, in order, found by its seal ----
api "${T[cs1]}" GET "/api/v1/paper_packages?seal=$SEAL"
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].id' "$R"
expect_json '.items[0].incidents_open' 1
api "${T[cs1]}" GET "/api/v1/paper_packages/$R"
expect_status 200
expect_json '[.events[].kind] | join(",")' print_receipt,secure_in,secure_out,transport,centre_receipt,secure_in,secure_out,proctor_receipt,seal_approval,return
expect_json '[.events[].seq] | join(",")' 1,2,3,4,5,6,7,8,9,10
expect_json '.events[3].vehicle' 皖A·12345
expect_json '.events[3].people.escorts | map(.name) | join(",")' 押运员甲,押运员乙
expect_json '.events[4].people.receiving | map(.username // .name) | join(",")' cs1,考点人员乙
expect_json '.events[4].count_checked' 4
expect_json '.events[0].occurred_at' 2027-06-01T07:00:00+08:00
expect_json '.events[8].recorded_by.name' ce1
expect_json '.incidents | length' 1
expect_json '.package.classified' false
api "${T[cs1]}" GET "/api/v1/exams/$QE/paper_packages?subject=02&centre=HF-01"
expect_status 200
expect_json '.items | length' 2
expect_json '[.items[] | .subject.code] | unique | join(",")' 02

server_stop
audit_verify 0
echo "t0059: ok"
