#!/usr/bin/env bash
# Retention and destruction of exam materials (CUS-7 — AH 44, PQ 25, PQ 29 — and PAP-2's
# destruction under watch of 2+ people; issue 9 item 3): an exam's materials derived (paper
# packages, answer sheets per exam room and subject) and registered (an electronic copy, a
# centre's and a room's video); nothing due before the scores are published; after it, each
# kind's earliest destruction date per CUS-7 (papers and answer sheets 6 months from
# publication, electronic copies 5 years, video 6 months from the exam's end); a serious
# violation decided for a candidate of room 1 in subject 01 holds that room's subject-01
# materials (and its video, as evidence) 2 years from publication, and destruction skips them;
# a hold for a major anomaly lifted only by another person; one witness, the same person twice,
# a recorder who is not a witness, a Jiangsu witness, a not-due and a held item refused with
# nothing written (all or nothing); a destruction recorded with two witnesses and shown at the
# end of the package's chain; the video use log (PQ 29), its read audited; the CLI's table;
# the unit wall; the audit trail verifies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 王二 '["01","02"]' 3 李三 '["01","02"]'
staff witness agency_staff "$PTA"; W=$TOKEN
staff auth authority_officer "$AH"
staff cu1 custodian "$PTA"
staff cu2 custodian "$PTA"
JS=$(unit JS provincial_authority provincial "$root")
staff jscu custodian "$JS"
relogin() {
	login agency agency-password-1; AG=$TOKEN
	login witness witness-password-1; W=$TOKEN
	login auth auth-password-1; AUTH=$TOKEN
	login cu1 cu1-password-1; CU1=$TOKEN
	login cu2 cu2-password-1; CU2=$TOKEN
	login jscu jscu-password-1; JSCU=$TOKEN
}
relogin
TK=()
for n in 1 2 3; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done
# the packages of both subjects (PAP-2 sign-offs, PAP-3)
for s in 01 02; do
	for tok in "$AG" "$W"; do
		api "$tok" POST "/api/v1/exams/$QE/subjects/$s/print_signoffs" '{"role_note":"审签"}'
		expect_status 201
	done
	api "$AG" POST "/api/v1/exams/$QE/paper_packages" "{\"subject\":\"$s\"}"
	expect_status 201
done
PKG_R1=$(db_query "SELECT p.id FROM paper_packages p JOIN subjects s ON s.id = p.subject_id WHERE s.code = '01' AND p.kind = 'room'")
PKG_R2=$(db_query "SELECT p.id FROM paper_packages p JOIN subjects s ON s.id = p.subject_id WHERE s.code = '02' AND p.kind = 'room'")
PKG_C2=$(db_query "SELECT p.id FROM paper_packages p JOIN subjects s ON s.id = p.subject_id WHERE s.code = '02' AND p.kind = 'centre'")
ROOM=$(db_query "SELECT number FROM exam_rooms WHERE run_id = $RUN")
RET="/api/v1/exams/$QE/retention"
mid() { jq -r --arg k "$1" --arg s "$2" '[.items[] | select(.kind == $k and (.subject.code // "") == $s)] | .[0].id' "$WORK/body"; }
pid() { jq -r --argjson p "$1" '.items[] | select(.package.id == $p) | .id' "$WORK/body"; }
st() { jq -r --argjson i "$1" '.items[] | select(.id == $i) | "\(.status) \(.earliest)"' "$WORK/body"; }
expect_st() { [ "$(st "$1")" = "$2" ] || fail "material $1: $(st "$1"), expected $2"; }

# ---- the unit wall; registering what kaowu cannot see ----
api "$JSCU" GET "$RET"
expect_error 404 NOT_FOUND
api "$CU1" POST "$RET/materials" "{\"kind\":\"video\",\"label\":\"考点视频\",\"centre\":\"HF-01\"}"
expect_error 400 VALIDATION_FAILED
api "$CU1" POST "$RET/materials" "{\"kind\":\"video\",\"label\":\"第${ROOM}考场视频\",\"centre\":\"HF-01\",\"room\":$ROOM,\"recorded_from\":\"2026-12-10\",\"recorded_to\":\"2026-12-10\"}"
expect_status 201
expect_json .source registered
expect_json .exam_room.number "$ROOM"
VR=$(jq -r .id "$WORK/body")
api "$CU1" POST "$RET/materials" '{"kind":"video","label":"考点视频（科目02）","centre":"HF-01","subject":"02","recorded_from":"2026-12-10","recorded_to":"2026-12-10"}'
expect_status 201
VC=$(jq -r .id "$WORK/body")
api "$CU1" POST "$RET/materials" '{"kind":"electronic_copy","label":"答题卡扫描件（全部科目）"}'
expect_status 201
EC=$(jq -r .id "$WORK/body")

# ---- after the exam, before publication: nothing is due (CUS-7) ----
server_restart_at 2026-12-10T18:00:00+08:00
relogin
api "$CU1" GET "$RET?due_on=2040-01-01"
expect_status 200
expect_json .published_at null
expect_json .exam_ends_at 2026-12-10T16:30:00+08:00
expect_json '[.items[] | select(.due)] | length' 0
expect_json '[.items[].status] | unique | join(",")' not_published
# derived: 3 packages of each subject (room + centre), an answer sheet per room and subject
expect_json '[.items[] | select(.kind == "paper")] | length' 4
expect_json '[.items[] | select(.kind == "answer_sheet")] | length' 2
expect_json '.items | length' 9
# the video's date runs from the exam's end, known already; the others' are not
expect_st "$VC" "not_published 2027-06-10"
AS1=$(mid answer_sheet 01)
AS2=$(mid answer_sheet 02)
expect_st "$AS2" "not_published null"
P_R1=$(pid "$PKG_R1"); P_R2=$(pid "$PKG_R2"); P_C2=$(pid "$PKG_C2")
# looking again adds nothing (one row per derived material)
api "$CU1" GET "$RET"
expect_json '.items | length' 9
[ "$(db_query "SELECT COUNT(*) FROM retention_materials WHERE exam_id = $QE")" = 9 ] || fail "derived materials twice"
# the first read's derived materials: one batch audit record (its rows in audit_batch_rows),
# never one record per material; the registered ones keep their own
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.materials.derived'")" = 1 ] || fail "not one batch record for the derived materials"
[ "$(db_query "SELECT COUNT(*) FROM audit_batch_rows b JOIN audit_log l ON l.seq = b.seq JOIN retention_materials m ON m.id = b.entity_id WHERE l.action = 'retention.materials.derived' AND m.source_key IS NOT NULL")" = 6 ] || fail "the batch record does not hold the 6 derived materials"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.material'")" = 3 ] || fail "a derived material audited on its own"
api "$CU1" POST "$RET/destructions" "{\"materials\":[$VC],\"method\":\"粉碎\",\"place\":\"省考试院\",\"witnesses\":[\"cu1\",\"cu2\"]}"
expect_error 422 RETENTION_NOT_DUE
expect_json .error.rule CUS-7
expect_json .error.details.status not_published

# the scores: answers in, published on 2026-12-20 (maker-checker)
api "$AG" POST "/api/v1/exams/$QE/subjects/01/keys" "$SIMPLE_KEY"
expect_status 201
api "$AG" POST "/api/v1/exams/$QE/subjects/02/keys" "$SIMPLE_KEY"
expect_status 201
api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness" -H 'Content-Type: text/csv' --data-binary "ticket_no,subject,form,answers
${TK[1]},01,A,BDA
${TK[1]},02,A,BDA
${TK[2]},01,A,BDA
${TK[2]},02,A,BDB
${TK[3]},01,A,BDB
${TK[3]},02,A,BDA"
expect_status 201

server_restart_at 2026-12-20T10:00:00+08:00
relogin
publish_scores
# a serious violation (Order No. 31 art. 7: copying) of candidate 1, subject 01, decided
api "$AG" POST /api/v1/cases "{\"registration_id\":${REG[1]},\"source\":\"report\",\"stage\":\"exam\",\"subject\":\"01\",\"entry_id\":\"ORDER31-7-1-1\",\"facts\":\"考场视频显示该考生抄袭他人答案\",\"occurred_at\":\"2026-12-10T10:00:00+08:00\"}"
expect_status 201
CASE=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/cases/$CASE/signatures" '{"role_note":"监考员"}'
expect_status 200
api "$W" POST "/api/v1/cases/$CASE/signatures" '{"role_note":"主考"}'
expect_status 200
api "$AG" POST "/api/v1/cases/$CASE/files?kind=evidence&label=%E8%A7%86%E9%A2%91%E6%88%AA%E5%9B%BE" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
api "$AG" POST "/api/v1/cases/$CASE/notice" '{"method":"portal"}'
expect_status 200
cand_login 1
api "${TOKS[1]}" POST "/api/v1/cases/$CASE/defence" '{"waived":true}'
expect_status 200
api "$AG" POST "/api/v1/cases/$CASE/decision" "{\"unit_id\":$PTA}"
expect_status 200
expect_json .status decided

# ---- after publication: the dates per kind (CUS-7) ----
api "$CU1" GET "$RET?due_on=2027-06-19"
expect_status 200
expect_json .published_at 2026-12-20T10:00:00+08:00
expect_st "$P_R2" "kept 2027-06-20"
expect_st "$P_C2" "kept 2027-06-20"
expect_st "$AS2" "kept 2027-06-20"
expect_st "$VC" "due 2027-06-10"
expect_st "$EC" "kept 2031-12-20"
expect_json "[.items[] | select(.id == $P_R2) | .rules[0].param] | .[0]" papers_destroy_after_months
expect_json "[.items[] | select(.id == $AS2) | .rules[0].param] | .[0]" answer_sheets_keep_months
# tied to the serious violation: room 1's subject-01 materials, and the room's video as
# evidence (the later of exam end and decision + 2 years), held and skipped
expect_st "$P_R1" "held 2028-12-20"
expect_st "$AS1" "held 2028-12-20"
expect_st "$VR" "held 2028-12-20"
expect_json "[.items[] | select(.id == $AS1) | .holds[0].kind] | .[0]" violation
expect_json "[.items[] | select(.id == $AS1) | .holds[0].severity] | .[0]" serious
expect_json "[.items[] | select(.id == $AS1) | .holds[0].case_id] | .[0]" "$CASE"
expect_json "[.items[] | select(.id == $VR) | .rules[] | .name] | .[0] | tostring" keep
api "$CU1" GET "$RET?due_on=2027-06-20&only=due"
expect_json "[.items[].id] | sort | map(tostring) | join(\",\")" "$(printf '%s\n' "$P_R2" "$P_C2" "$AS2" "$VC" | sort -n | paste -sd,)"
api "$CU1" GET "$RET?due_on=2028-12-20"
expect_st "$AS1" "due 2028-12-20"
api "$CU1" GET "$RET?due_on=20x7-01-01"
expect_error 400 VALIDATION_FAILED
# a hold for a major anomaly: with its reason, audited; lifted only by someone else
api "$CU1" POST "/api/v1/retention_materials/$P_C2/holds" '{"reason":"外袋封条编号与登记不符，待查"}'
expect_status 201
expect_json .status held
expect_json .held_until 2028-12-20
expect_json '.holds[0].reason' 外袋封条编号与登记不符，待查
HOLD=$(jq -r '.holds[0].hold_id' "$WORK/body")
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.hold' AND entity_id = $HOLD")" = 1 ] || fail "the hold was not audited"
api "$CU1" POST "/api/v1/retention_holds/$HOLD/lift" '{"reason":"已查明"}'
expect_error 403 RETENTION_HOLD_SAME_PERSON

# ---- six months on: destruction ----
server_restart_at 2027-06-21T09:00:00+08:00
relogin
D="$RET/destructions"
body_d() { printf '{"materials":[%s],"method":"碎纸机粉碎","place":"省考试院保密室","witnesses":[%s]}' "$1" "$2"; }
nothing_written() {
	[ "$(db_query "SELECT COUNT(*) FROM retention_destructions")" = 0 ] || fail "a refused destruction was written"
	[ "$(db_query "SELECT COUNT(*) FROM retention_materials WHERE destruction_id IS NOT NULL")" = 0 ] || fail "a refused destruction marked a material"
}
api "$CU1" POST "$D" "$(body_d "$P_R2" '"cu1"')"
expect_error 422 RETENTION_WITNESSES
expect_json .error.details.problem too_few
expect_json .error.details.required 2
api "$CU1" POST "$D" "$(body_d "$P_R2" '"cu1","cu1"')"
expect_error 422 RETENTION_WITNESSES
expect_json .error.details.problem same_person
expect_json .error.details.distinct 1
api "$CU1" POST "$D" "$(body_d "$P_R2" '"cu2","witness"')"
expect_error 422 RETENTION_WITNESSES
expect_json .error.details.problem recorder_not_witness
api "$CU1" POST "$D" "$(body_d "$P_R2" '"cu1","jscu"')"
expect_error 422 RETENTION_WITNESSES
expect_json .error.details.problem not_staff
# the hold on the centre package is still there: one held item refuses the whole batch
api "$CU1" POST "$D" "$(body_d "$P_R2,$P_C2" '"cu1","cu2"')"
expect_error 422 RETENTION_HELD
expect_json .error.details.material_id "$P_C2"
expect_json .error.details.held_until 2028-12-20
api "$CU1" POST "$D" "$(body_d "$P_R2,$AS1" '"cu1","cu2"')"
expect_error 422 RETENTION_HELD
expect_json '.error.details.holds[0].kind' violation
api "$CU1" POST "$D" "$(body_d "$P_R2,$EC" '"cu1","cu2"')"
expect_error 422 RETENTION_NOT_DUE
expect_json .error.details.earliest 2031-12-20
nothing_written
# the hold lifted by another person: the centre package is due again
api "$CU2" POST "/api/v1/retention_holds/$HOLD/lift" '{"reason":"经核查为登记笔误，非重大异常"}'
expect_status 200
expect_json .status due
api "$CU2" POST "/api/v1/retention_holds/$HOLD/lift" '{"reason":"再次"}'
expect_error 409 RETENTION_HOLD_LIFTED
api "$CU1" POST "$D" "$(body_d "$P_R2,$P_C2,$AS2,$VC" '"cu1","cu2"')"
expect_status 201
expect_json '.items | length' 4
expect_json '[.items[].status] | unique | join(",")' destroyed
expect_json '.destruction.witnesses | map(.username) | join(",")' cu1,cu2
expect_json .destruction.place 省考试院保密室
[ "$(db_query "SELECT COUNT(*) FROM retention_materials WHERE destruction_id IS NOT NULL")" = 4 ] || fail "not 4 destroyed"
api "$CU1" POST "$D" "$(body_d "$P_R2" '"cu1","cu2"')"
expect_error 409 RETENTION_ALREADY_DESTROYED
expect_json .error.details.destroyed_at 2027-06-21T09:00:00+08:00
api "$CU1" GET "$D"
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].materials' 4

# ---- the package followed from the printer to its destruction ----
api "$CU1" GET "/api/v1/paper_packages/$PKG_R2"
expect_status 200
expect_json .package.retention.status destroyed
expect_json .package.retention.destruction.method 碎纸机粉碎
expect_json '.package.retention.destruction.witnesses | map(.name) | join(",")' cu1,cu2
api "$CU1" GET "/api/v1/paper_packages/$PKG_R1"
expect_json .package.retention.status held
expect_json .package.retention.earliest 2028-12-20

# ---- the video use log (PQ 29) ----
VL="/api/v1/retention_materials/$VR/video_log"
api "$CU1" POST "$VL" '{"action":"collection","purpose":"考后采集第1考场视频","occurred_at":"2026-12-10T17:00:00+08:00"}'
expect_status 201
api "$CU1" POST "$VL" '{"action":"extraction","purpose":"提取 10:00-10:30 片段作为案件证据","done_by":"cu2"}'
expect_status 201
api "$CU1" POST "$VL" '{"action":"use","purpose":"案件审理"}'
expect_status 201
api "$CU1" POST "$VL" '{"action":"delete","purpose":"x"}'
expect_error 400 VALIDATION_FAILED
api "$CU1" POST "/api/v1/retention_materials/$EC/video_log" '{"action":"use","purpose":"x"}'
expect_error 404 NOT_FOUND
api "$CU1" POST "/api/v1/retention_materials/$VC/video_log" '{"action":"use","purpose":"x"}'
expect_error 409 RETENTION_ALREADY_DESTROYED
api "$CU1" GET "$VL"
expect_status 200
expect_json '[.items[].action] | join(",")' collection,extraction,use
expect_json '.items[1].done_by.username' cu2
expect_json '.items[0].occurred_at' 2026-12-10T17:00:00+08:00
expect_json '.items[2].occurred_at' 2027-06-21T09:00:00+08:00
expect_json .material.status held
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.video_log.read' AND entity_id = $VR")" = 1 ] || fail "the video log's read was not audited"
api "$JSCU" GET "$VL"
expect_error 404 NOT_FOUND

# ---- the CLI's due list ----
server_stop
"$KAOWU" retention due --db "$DB_URL" --exam JJ27 --on 2027-06-21 >"$WORK/due.txt" 2>&1 || fail "kaowu retention due failed: $(cat "$WORK/due.txt")"
grep -q "destroyed" "$WORK/due.txt" || fail "no destroyed row: $(cat "$WORK/due.txt")"
grep -q "涉及严重违纪违规行为" "$WORK/due.txt" || fail "the hold's reason is not shown: $(cat "$WORK/due.txt")"
[ "$(grep -c "^$EC " "$WORK/due.txt")" = 1 ] || fail "the electronic copy is not listed: $(cat "$WORK/due.txt")"
"$KAOWU" retention due --db "$DB_URL" --exam JJ27 --on 2027-06-21 --json | jq -e '.counts.destroyed == 4 and .counts.held == 4' >/dev/null || fail "the CLI's JSON counts"
rc=0
"$KAOWU" retention due --db "$DB_URL" --exam NOPE >"$WORK/bad.txt" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "an unknown exam exited 0"
[ -s "$WORK/bad.txt" ] || fail "an unknown exam said nothing"

audit_verify 0
echo "t0072: ok"
