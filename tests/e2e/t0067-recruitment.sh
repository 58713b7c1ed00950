#!/usr/bin/env bash
# kw-e2e: cost 50
# Recruitment after the interview (INT-6, VIO-6, VIO-9; VH 10-14; issue 12 item 6), on t0060's
# exam (tests/e2e/interview.sh): four candidates interviewed by a panel of 5 and their results
# published; the composite list with a tie on the composite broken by the written score; the
# steps in order (a vetting before the physical exam refused); a physical exam failed, a
# replacement (递补) from the list in order, a second one refused by the one-round rule, a
# re-examination whose result stands (and no second one); a referral at vetting opens a case
# with the stage vetting (VH 11) and the candidate waits on it; the public notice made by one
# person and published by another (INF-4), its period of 5 working days counted on the holiday
# calendar, masked identity numbers in public, its PDF; an objection during the period and
# one after it; no appointment before the period ends or with an objection open; probation
# not passed before its end, cancelled through a decided case (VH 14, the case's consequence
# recruitment_cancelled); the candidate's own view in the portal API.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
. "$(dirname "$0")/recruit.sh"
rc_before_day

# the list is built from published interview results only
api "$AG" POST "/api/v1/shortlists/$SL/recruitment" '{}'
expect_error 409 RECRUIT_RESULTS_UNPUBLISHED

# ---- the interview day: a panel of 5 scores the four; results published ----
rc_results

# ---- INT-6: the composite list; 欧阳娜娜 and 张一 tie at 39.5, the higher written first ----
# composites (50/50): 李三 7 + 80 → 43.5; 张一 9 + 70 → 39.5; 欧阳娜娜 8 + 71 → 39.5; 赵四 7 + 60 → 33.5
api "$AG" POST "/api/v1/shortlists/$SL/recruitment" '{"interview_min":"65"}'
expect_status 201
L=$(jq -r .id "$WORK/body")
expect_json '[.candidates[].registration_id] | map(tostring) | join(",")' "${REG[3]},${REG[1]},${REG[2]},${REG[4]}"
expect_json '[.candidates[].composite] | join(",")' "43.5,39.5,39.5,33.5"
expect_json '[.candidates[].rank] | map(tostring) | join(",")' "1,2,2,4"
expect_json '[.candidates[].state] | join(",")' "selected,reserve,reserve,below_min"
expect_json .rounds 1
cid() { jq -r ".candidates[] | select(.registration_id == ${REG[$1]}) | .id" "$WORK/body"; }
C3=$(cid 3); C1=$(cid 1); C2=$(cid 2)
api "$AG" POST "/api/v1/shortlists/$SL/recruitment" '{}'
expect_error 409 RECRUIT_LIST_EXISTS

# ---- the steps in order; the physical exam failed; a replacement (递补) in list order ----
step() { api "$AG" POST "/api/v1/recruit_candidates/$1/steps" "$2"; }
step "$C3" '{"step":"vetting","outcome":"pass"}'
expect_error 409 RECRUIT_STEP_ORDER
expect_json .error.details.expected physical_exam
step "$C3" '{"step":"physical_exam","outcome":"fail"}'
expect_error 400 VALIDATION_FAILED # a failure gives its reason
step "$C3" '{"step":"physical_exam","outcome":"excellent"}'
expect_error 400 VALIDATION_FAILED
step "$C2" '{"step":"physical_exam","outcome":"pass"}'
expect_error 409 RECRUIT_NOT_SELECTED
step "$C3" '{"step":"physical_exam","outcome":"fail","reason":"血压不合格（《公务员录用体检通用标准》第十八条）"}'
expect_status 200
expect_json ".candidates[] | select(.id == $C3) | .out_reason" physical_exam
step "$C3" '{"step":"vetting","outcome":"pass"}'
expect_error 409 RECRUIT_CANDIDATE_OUT
api "$AG" POST "/api/v1/recruit_lists/$L/replacements" "{\"candidate_id\":$C2}"
expect_error 409 RECRUIT_NOT_OUT
api "$AG" POST "/api/v1/recruit_lists/$L/replacements" "{\"candidate_id\":$C3}"
expect_status 200
expect_json .replacement_id "$C1" # the tie's winner, not 欧阳娜娜
expect_json ".candidates[] | select(.id == $C1) | .replaces" "$C3"
expect_json .rounds_used 1
step "$C3" '{"step":"physical_exam","outcome":"pass","reexam":true}'
expect_error 409 RECRUIT_REPLACED
# 张一 fails too: the one round of replacements is used up; asked, the re-examination passes
step "$C1" '{"step":"physical_exam","outcome":"fail","reason":"视力不合格"}'
expect_status 200
api "$AG" POST "/api/v1/recruit_lists/$L/replacements" "{\"candidate_id\":$C1}"
expect_error 409 RECRUIT_REPLACEMENT_LIMIT
expect_json .error.rule INT-6
step "$C1" '{"step":"vetting","outcome":"pass","reexam":true}'
expect_error 400 VALIDATION_FAILED
step "$C1" '{"step":"physical_exam","outcome":"pass","reexam":true}'
expect_status 200
expect_json ".candidates[] | select(.id == $C1) | .state" selected
step "$C1" '{"step":"physical_exam","outcome":"pass","reexam":true}'
expect_error 409 RECRUIT_REEXAM_NOT_ALLOWED
[ "$(db_query "SELECT COUNT(*) FROM recruit_steps WHERE candidate_id = $C1 AND step = 'physical_exam'")" = 2 ] || fail "the re-examination is not recorded"

# ---- VH 11: false material found at vetting → a case with the stage vetting; the step waits ----
api "$AG" POST "/api/v1/recruit_lists/$L/notices"
expect_error 409 RECRUIT_STEPS_PENDING
step "$C1" '{"step":"vetting","outcome":"referred","case":{"facts":"考察中发现其提交的基层工作经历证明系伪造","occurred_at":"2026-12-14T07:30:00+08:00"}}'
expect_status 200
CASE1=$(jq -r ".candidates[] | select(.id == $C1) | .case_id" "$WORK/body")
expect_json ".candidates[] | select(.id == $C1) | .state" referred
[ "$(db_query "SELECT stage || ',' || registration_id || ',' || status FROM cases WHERE id = $CASE1")" = "vetting,${REG[1]},open" ] ||
	fail "the referral did not open the case: $(db_query "SELECT stage, registration_id, status FROM cases WHERE id = $CASE1")"
step "$C1" '{"step":"vetting","outcome":"pass"}'
expect_error 409 RECRUIT_CASE_PENDING
expect_json .error.details.case_id "$CASE1"
api "$AUTH" POST "/api/v1/cases/$CASE1/drop" '{"reason":"经核实，证明材料真实，系笔误"}'
expect_status 200
step "$C1" '{"step":"vetting","outcome":"pass"}'
expect_status 200
expect_json ".candidates[] | select(.id == $C1) | .state" passed

# ---- the public notice: made by one, published by another; 5 working days on the calendar ----
api "$AG" POST "/api/v1/recruit_lists/$L/notices"
expect_status 201
N=$(jq -r .notice_id "$WORK/body")
api "$AG" POST "/api/v1/recruit_notices/$N/approve"
expect_error 403 SELF_APPROVAL
expect_json .error.rule INF-4
api "" GET "/api/v1/public/recruit_notices/$N"
expect_error 404 NOT_FOUND # not public before it is published
api "$AUTH" POST "/api/v1/recruit_notices/$N/approve"
expect_status 200
# published Monday 14 December: 15-18, then 21 December (the weekend skipped)
expect_json ".notices[] | select(.id == $N) | .ends_on" 2026-12-21
api "" GET "/api/v1/public/recruit_notices/$N"
expect_status 200
expect_json '.entries | length' 1
expect_json '.entries[0].name' 张一
expect_json '.entries[0].id_number' "${IDN[1]:0:6}********${IDN[1]:14:4}"
grep -q "${IDN[1]}" "$WORK/body" && fail "a whole identity number in public"
grep -q 'candidate_id\|registration' "$WORK/body" && fail "internal ids in public: $(body)"
api "" GET "/api/v1/public/recruit_notices/$N/pdf"
expect_status 200
[ "$(head -c 4 "$WORK/body")" = "%PDF" ] || fail "no PDF"
pdftotext "$WORK/body" - | tr -d ' \n' >"$WORK/notice.txt"
grep -q 拟录用人员公示 "$WORK/notice.txt" || fail "the PDF is not the notice: $(cat "$WORK/notice.txt")"
grep -q 2026年12月21日 "$WORK/notice.txt" || fail "the PDF does not give the period's end"
if [ -n "${KW_NOTICE_PDF:-}" ]; then cp "$WORK/body" "$KW_NOTICE_PDF"; fi

# ---- during the period: an objection; no appointment before the end ----
server_restart_at 2026-12-16T10:00:00+08:00
login agency agency-password-1; AG=$TOKEN
api "$AG" POST "/api/v1/recruit_notices/$N/objections" "{\"candidate_id\":$C1,\"objector\":\"匿名\",\"text\":\"反映该考生存在违规兼职情况\"}"
expect_status 201
OBJ=$(jq -r .objection_id "$WORK/body")
api "$AG" POST "/api/v1/recruit_notices/$N/objections" "{\"candidate_id\":$C3,\"text\":\"x\"}"
expect_error 400 VALIDATION_FAILED
api "$AG" POST "/api/v1/recruit_candidates/$C1/appointment" '{"appointed_on":"2026-12-17"}'
expect_error 409 RECRUIT_NOTICE_RUNNING
expect_json .error.details.ends_on 2026-12-21
server_restart_at 2026-12-22T10:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
api "$AG" POST "/api/v1/recruit_notices/$N/objections" "{\"candidate_id\":$C1,\"text\":\"逾期反映\"}"
expect_error 409 RECRUIT_NOTICE_CLOSED
api "$AG" POST "/api/v1/recruit_candidates/$C1/appointment" '{"appointed_on":"2026-12-22"}'
expect_error 409 RECRUIT_OBJECTION_OPEN
api "$AG" POST "/api/v1/recruit_objections/$OBJ/reply" '{"reply":"经核查，反映问题不属实","sustained":false}'
expect_status 200
expect_json ".objections[] | select(.id == $OBJ) | .status" replied
api "$AG" POST "/api/v1/recruit_objections/$OBJ/reply" '{"reply":"again","sustained":false}'
expect_error 409 RECRUIT_OBJECTION_REPLIED

# ---- appointment and probation ----
api "$AG" POST "/api/v1/recruit_candidates/$C1/appointment" '{"appointed_on":"2026-12-22"}'
expect_status 200
expect_json ".candidates[] | select(.id == $C1) | .state" appointed
expect_json ".candidates[] | select(.id == $C1) | .probation_ends" 2027-12-21
api "$AG" POST "/api/v1/recruit_candidates/$C1/probation" '{"outcome":"passed"}'
expect_error 409 RECRUIT_PROBATION_RUNNING

# ---- the candidate's own view: their steps in plain data, nobody else's ----
cand_login 1
api "${TOKS[1]}" GET /api/v1/candidates/me/recruitment
expect_status 200
expect_json '.items[0].state' appointed
expect_json '.items[0].interview_day' "$IVDAY"
expect_json '.items[0].composite' 39.5
expect_json '[.items[0].steps[] | "\(.step):\(.outcome)"] | join(",")' "physical_exam:fail,physical_exam:pass,vetting:referred,vetting:pass"
expect_json '.items[0].notice_ends_on' 2026-12-21
for n in 2 3 4 5 6; do grep -q "${NAME[$n]}\|${TK[$n]}" "$WORK/body" && fail "candidate 1 sees candidate $n"; done
grep -q '伪造\|case_id\|recorded_by' "$WORK/body" && fail "the candidate sees internal records: $(body)"
api "$AG" GET /api/v1/candidates/me/recruitment
expect_error 403 FORBIDDEN

# ---- VH 14: a violation found in probation; the recruitment cancelled through the case ----
# (VH 11 at vetting: an entry of two stages, so the notice and the letter name the case's one)
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
GWY=$(unit AHGWY civil_service_authority provincial "$AH")
login witness witness-password-1; P1=$TOKEN
api "$AG" POST /api/v1/cases "{\"registration_id\":${REG[1]},\"source\":\"report\",\"stage\":\"vetting\",\"entry_id\":\"VH-11-1-serious\",\"facts\":\"试用期内查实其考察时提交的工作经历证明系伪造\",\"occurred_at\":\"2026-12-14T10:00:00+08:00\"}"
expect_status 201
CASE2=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/recruit_candidates/$C1/probation" "{\"outcome\":\"cancelled\",\"case_id\":$CASE2}"
expect_error 409 RECRUIT_CASE_NOT_DECIDED
api "$AG" POST "/api/v1/cases/$CASE2/signatures" '{}'
expect_status 200
api "$P1" POST "/api/v1/cases/$CASE2/signatures" '{}'
expect_status 200
api "$AG" POST "/api/v1/cases/$CASE2/files?kind=evidence&label=x" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
api "$AG" POST "/api/v1/cases/$CASE2/notice" '{"method":"portal"}'
expect_status 200
api "${TOKS[1]}" POST "/api/v1/cases/$CASE2/defence" '{"waived":true}'
expect_status 200
api "$AUTH" POST "/api/v1/cases/$CASE2/decision" "{\"unit_id\":$GWY}"
expect_status 200
api "$AG" POST "/api/v1/recruit_candidates/$C1/probation" "{\"outcome\":\"cancelled\",\"case_id\":$CASE1}"
expect_error 409 RECRUIT_CASE_NOT_DECIDED # the dropped one
[ "$(db_query "SELECT state FROM recruit_candidates WHERE id = $C1")" = appointed ] || fail "a refused cancellation changed the state"
api "$AG" POST "/api/v1/recruit_candidates/$C1/probation" "{\"outcome\":\"cancelled\",\"case_id\":$CASE2}"
expect_status 200
expect_json ".candidates[] | select(.id == $C1) | .state" cancelled
expect_json ".candidates[] | select(.id == $C1) | .case_id" "$CASE2"
expect_json .case_link "/api/v1/cases/$CASE2"
[ "$(db_query "SELECT COUNT(*) FROM case_events WHERE case_id = $CASE2 AND kind = 'consequence' AND details LIKE '%recruitment_cancelled%'")" = 1 ] ||
	fail "the case does not record the cancellation"
api "$AG" POST "/api/v1/recruit_candidates/$C1/probation" '{"outcome":"passed"}'
expect_error 409 RECRUIT_NOT_APPOINTED
for a in recruit.list.build recruit.step recruit.replace recruit.notice.make recruit.notice.publish recruit.objection recruit.appoint recruit.cancel; do
	[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = '$a'")" -ge 1 ] || fail "$a is not audited"
done
audit_verify 0
server_stop
echo "ok"
