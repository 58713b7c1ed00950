#!/usr/bin/env bash
# Subjective marks in score runs and the cross-check's findings (GRD-5, GRD-7, GRD-3; issue 10
# items 3-5): a subject with keys and a marking is scored only once the marking is confirmed
# (SCORE_MARKING_NOT_CONFIRMED before, GRD-3), each candidate's total the sheet's points plus
# the script's final mark, both parts kept in the score line; a candidate with a script mark
# and no sheet is an anomaly, not scored; a subject marked only (no keys) is scored from its
# marks. The cross-check (GRD-7) works every final out again from the markers' marks through
# the final-score rule, and lists its findings beside the differences: a room whose sheets all
# copy one pattern (abnormally alike, too many identical totals), the absentee with a script
# mark; findings do not block publication but are on the record.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

# 1-5 sit 01 alone (room 101), 6-9 sit 01 and 02 (room 102: a room free in both sittings)
SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01"]' 2 王二 '["01"]' 3 李三 '["01"]' 4 赵四 '["01"]' 5 钱五 '["01"]' \
	6 孙六 '["01","02"]' 7 周七 '["01","02"]' 8 吴八 '["01","02"]' 9 郑九 '["01","02"]'
staff checker agency_staff "$PTA" # the second person: witness, checker
staff auth authority_officer "$AH" # approves the publication
staff mk1 marker "$PTA"
staff mk2 marker "$PTA"
declare -A TK ROOM
for n in 1 2 3 4 5 6 7 8 9; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
	ROOM[$n]=$(db_query "SELECT r.code FROM seats s JOIN exam_rooms e ON e.id = s.exam_room_id JOIN rooms r ON r.id = e.room_id WHERE s.registration_id = ${REG[$n]} AND s.run_id = $RUN")
done
[ "${ROOM[1]}${ROOM[5]}${ROOM[6]}${ROOM[9]}" = 101101102102 ] || fail "rooms: ${ROOM[*]}"

# subject 01: five single-choice items, 2 points each (objective part up to 10)
api "$AG" POST "/api/v1/exams/$QE/subjects/01/keys" '{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":2},{"kind":"single","options":4,"key":"D","points":2},
 {"kind":"single","options":4,"key":"A","points":2},{"kind":"single","options":4,"key":"C","points":2},
 {"kind":"single","options":4,"key":"B","points":2}]}'
expect_status 201

server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login checker checker-password-1; CK=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login mk1 mk1-password-1; M1=$TOKEN
login mk2 mk2-password-1; M2=$TOKEN

# the sheets: room 101 varied (10, 6, 2, 4 points), 5 absent (no sheet); room 102 all one
# pattern (8 points each)
{
	echo "ticket_no,subject,form,answers"
	echo "${TK[1]},01,A,BDACB"
	echo "${TK[2]},01,A,BDAAA"
	echo "${TK[3]},01,A,B----"
	echo "${TK[4]},01,A,BD---"
	for n in 6 7 8 9; do echo "${TK[$n]},01,A,BDAC-"; done
} >"$WORK/answers.csv"
api "$AG" POST "/api/v1/exams/$QE/answers?witness=checker" --data-binary "@$WORK/answers.csv" -H 'Content-Type: text/csv'
expect_status 201
expect_json .sheets 8

# ---- a marking set up: no run until it is confirmed (GRD-3) ----
MK="/api/v1/exams/$QE/subjects/01/marking"
api "$AG" POST "$MK" '{"max_points":20,"tolerance":3,"rule":"mean","witness":"checker"}'
expect_status 201
expect_json .scripts 9
RUNS="/api/v1/exams/$QE/subjects/01/score_runs"
api "$AG" POST "$RUNS"
expect_error 409 SCORE_MARKING_NOT_CONFIRMED
expect_json .error.rule GRD-3
expect_json .error.details.marking_status open
[ "$(db_query "SELECT COUNT(*) FROM score_runs")" = 0 ] || fail "a refused run was written"

# marks per candidate, rounds 1 and 2 (within the tolerance: the mean is final): room 101
# 15/16, 9/10, 4/4, 12/13; the absentee 5's script 3/3; room 102 10/10 each
declare -A R1 R2
R1=([1]=15 [2]=9 [3]=4 [4]=12 [5]=3 [6]=10 [7]=10 [8]=10 [9]=10)
R2=([1]=16 [2]=10 [3]=4 [4]=13 [5]=3 [6]=10 [7]=10 [8]=10 [9]=10)
who() { # script code → candidate number
	local reg n
	reg=$(db_query "SELECT i.registration_id FROM script_identities i JOIN scripts s ON s.id = i.script_id WHERE s.code = '$1'")
	for n in 1 2 3 4 5 6 7 8 9; do
		if [ "${REG[$n]}" = "$reg" ]; then echo "$n"; fi
	done
}
mark_all() { # TOKEN MARKS-ARRAY-NAME
	local -n m=$2
	local code n
	while :; do
		api "$1" POST "$MK/next"
		expect_status 200
		code=$(jq -r '.script.code // empty' "$WORK/body")
		[ -n "$code" ] || break
		n=$(who "$code")
		api "$1" POST "/api/v1/scripts/$code/marks" "{\"points\":${m[$n]}}"
		expect_status 200
	done
}
mark_all "$M1" R1
mark_all "$M2" R2
api "$AG" POST "$MK/close"
expect_status 200
expect_json .total 84.5
api "$AG" POST "$RUNS"
expect_error 409 SCORE_MARKING_NOT_CONFIRMED
expect_json .error.details.marking_status closed
api "$CK" POST "$MK/confirm" '{"total":"84.5","scripts":9}'
expect_status 200

# ---- the run: objective + subjective (GRD-5) ----
api "$AG" POST "$RUNS"
expect_status 201
R=$(jq -r .id "$WORK/body")
expect_json .candidates 9
expect_json .scored 8
expect_json .absent 0
expect_json .anomalies 1
expect_json '.marks_digest | length' 64
api "$AG" GET "/api/v1/score_runs/$R/scores"
expect_status 200
line() { jq -r --argjson r "${REG[$1]}" '.items[] | select(.registration_id == $r) | "\(.status) \(.objective) \(.subjective) \(.raw) \(.final)"' "$WORK/body"; }
[ "$(line 1)" = "scored 10 15.5 25.5 25.5" ] || fail "candidate 1: $(line 1)"
[ "$(line 3)" = "scored 2 4 6 6" ] || fail "candidate 3: $(line 3)"
[ "$(line 6)" = "scored 8 10 18 18" ] || fail "candidate 6: $(line 6)"
# the absentee with a script mark: an anomaly, listed, not scored
[ "$(line 5)" = "anomaly null 3 3 null" ] || fail "candidate 5: $(line 5)"
# the stored line keeps the first seven fields where they were, the parts after them
[ "$(db_query "SELECT body FROM score_blocks WHERE run_id = $R" | grep "^${REG[1]}	" | cut -f4-)" = "scored	2550	2550	0	1000	1550" ] ||
	fail "stored line: $(db_query "SELECT body FROM score_blocks WHERE run_id = $R" | grep "^${REG[1]}	")"

# ---- the cross-check (GRD-7): clean, with its findings ----
api "$AG" GET "/api/v1/score_runs/$R/crosscheck"
expect_status 200
expect_json .status clean
expect_json .differences 0
expect_json .marks_digest.same true
jq -e --argjson r "${REG[5]}" '[.findings.items[] | select(.kind == "mark_without_sheet") | .registration_id] == [$r]' "$WORK/body" >/dev/null ||
	fail "the absentee with a script mark is not listed: $(jq -c .findings "$WORK/body")"
# room 102, every sheet one pattern: abnormally alike, four identical totals; room 101 not
[ "$(jq -r '[.findings.items[] | select(.kind == "distribution") | "\(.room):\(.test)"] | sort | join(",")' "$WORK/body")" = "102:identical,102:variance" ] ||
	fail "distribution findings: $(jq -c '[.findings.items[] | select(.kind == "distribution")]' "$WORK/body")"
expect_json '.findings.items[] | select(.test == "identical") | "\(.count) \(.total) \(.peers.scope)"' "4 18 centre"
expect_json .findings.count 3

# on the record: the CLI keeps it (publication needs it) and shows the findings
"$KAOWU" score crosscheck --db "$DB_URL" --exam JJ27 --subject 01 --as agency >"$WORK/cc.out" || fail "kaowu score crosscheck: $(cat "$WORK/cc.out")"
[ -z "${T0053_SHOW:-}" ] || cat "$WORK/cc.out" >&2
grep -q '发现 3 项' "$WORK/cc.out" || fail "the CLI shows no findings: $(cat "$WORK/cc.out")"
grep -q "考场 102.*4 人总分同为 18" "$WORK/cc.out" || fail "the CLI does not name room 102: $(cat "$WORK/cc.out")"
grep -q "准考证 ${TK[5]}：无答题卡" "$WORK/cc.out" || fail "the CLI does not name the absentee: $(cat "$WORK/cc.out")"
[ "$(db_query "SELECT differences || ' ' || findings FROM score_crosschecks WHERE run_id = $R")" = "0 3" ] || fail "the record's findings"
db_query "SELECT findings_report FROM score_crosschecks WHERE run_id = $R" | jq -e 'map(.kind) | sort == ["distribution", "distribution", "mark_without_sheet"]' >/dev/null ||
	fail "findings_report: $(db_query "SELECT findings_report FROM score_crosschecks WHERE run_id = $R")"
api "$AG" GET "/api/v1/score_runs/$R/crosschecks"
expect_json '.items[0].findings' 3

# ---- the cross-check works the finals out from the marks themselves ----
# a final changed behind the program's back, and a run that takes it: the cross-check of
# that run recomputes the final from the two markers' marks and shows the difference
db_query "UPDATE scripts SET final = final + 100 WHERE id = (SELECT script_id FROM script_identities WHERE registration_id = ${REG[2]})" >/dev/null
api "$AG" POST "$RUNS"
expect_status 201
R2RUN=$(jq -r .id "$WORK/body")
api "$AG" GET "/api/v1/score_runs/$R2RUN/crosscheck"
expect_status 200
expect_json .status differences
expect_json .differences 1
expect_json .marks_digest.same false
jq -e --arg t "${TK[2]}" '.items[0].recomputed | contains($t) and contains("1550\t0\t600\t950")' "$WORK/body" >/dev/null || fail "recomputed: $(jq -c .items "$WORK/body")"
db_query "UPDATE scripts SET final = final - 100 WHERE id = (SELECT script_id FROM script_identities WHERE registration_id = ${REG[2]})" >/dev/null

# ---- a subject marked only (no keys, no sheets): scored from its marks ----
M02="/api/v1/exams/$QE/subjects/02/marking"
api "$AG" POST "$M02" '{"max_points":50,"tolerance":5,"rule":"mean","witness":"checker"}'
expect_status 201
declare -A S1 S2
S1=([6]=40 [7]=30 [8]=20 [9]=44)
S2=([6]=42 [7]=30 [8]=21 [9]=44)
MK=$M02
mark_all "$M1" S1
mark_all "$M2" S2
api "$AG" POST "$M02/close"
expect_status 200
api "$CK" POST "$M02/confirm" '{"total":"135.5","scripts":4}'
expect_status 200
api "$AG" POST "/api/v1/exams/$QE/subjects/02/score_runs"
expect_status 201
R02=$(jq -r .id "$WORK/body")
expect_json .scored 4
expect_json .anomalies 0
api "$AG" GET "/api/v1/score_runs/$R02/scores"
[ "$(line 6)" = "scored null 41 41 41" ] || fail "subject 02, candidate 6: $(line 6)"
expect_json '.items[0].form' null
api "$AG" GET "/api/v1/score_runs/$R02/crosscheck"
expect_json .status clean
expect_json .findings.count 0

# ---- publication takes runs with their marks; a run without its subject's marking is stale ----
api "$AG" POST "$RUNS"
expect_status 201
R3=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/score_runs/$R3/crosschecks"
expect_status 201
expect_json .status clean
api "$AG" POST "/api/v1/score_runs/$R02/crosschecks"
expect_status 201
# as if 02 had been run before its marking: the run holds no marks
db_query "UPDATE score_runs SET marking_id = NULL WHERE id = $R02" >/dev/null
api "$AG" POST "/api/v1/exams/$QE/publications"
expect_error 409 PUBLISH_STALE
expect_json .error.details.subject 02
db_query "UPDATE score_runs SET marking_id = (SELECT id FROM markings WHERE subject_id = (SELECT id FROM subjects WHERE exam_id = $QE AND code = '02')) WHERE id = $R02" >/dev/null
api "$AG" POST "/api/v1/exams/$QE/publications"
expect_status 202
expect_json .candidates 9
# approved by the authority (INF-4): the absentee with a script mark (an anomaly of run R3) is
# published neither scored nor absent, but under verification (GRD-7), with no score
api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_status 200
api "" POST "/api/v1/public/exams/$QE/score_lookup" "$(jq -nc --arg t "${TK[5]}" --arg i "${IDN[5]}" --arg m "${NAME[5]}" '{ticket_no:$t,id_number:$i,name:$m}')"
expect_status 200
expect_json '.candidate.subjects[0] | "\(.code) \(.status) \(.score)"' "01 verifying null"
api "" POST "/api/v1/public/exams/$QE/score_lookup" "$(jq -nc --arg t "${TK[6]}" --arg i "${IDN[6]}" --arg m "${NAME[6]}" '{ticket_no:$t,id_number:$i,name:$m}')"
expect_status 200
expect_json '[.candidate.subjects[].status] | join(",")' "scored,scored"

audit_verify 0
echo ok
