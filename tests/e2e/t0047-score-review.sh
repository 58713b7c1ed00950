#!/usr/bin/env bash
# Score review (GRD-9, PQ 37, INF-4; issue 10 item 8): a candidate asks within 30 days of
# publication (day 30 accepted, day 31 refused), only for a scored subject, once; the
# province accepts or refuses with a reason and forwards every accepted request (a forward
# after day 40 recorded as late); the marking unit's outcome — unchanged, or corrected with
# its cause and reason, which waits for a second person — and, approved, is final: the look-up
# shows it at once and a later publication carries it; the province answers the applicant;
# the applicant never sees the reviewers' notes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 王二 '["01","02"]' 3 李三 '["01","02"]' 4 赵四 '["01","02"]'
staff witness agency_staff "$PTA"
staff auth authority_officer "$AH"
staff mark marking_lead "$PTA"
TK=()
for n in 1 2 3 4; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done

server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login mark mark-password-1; MARK=$TOKEN
# 1: 01 = 2.5 (the scanner misread item 3), 02 = 4.5; 2: 01 = 4.5; 3: 02 = 2.5; 4 absent
scores_published "ticket_no,subject,form,answers
${TK[1]},01,A,BDB
${TK[1]},02,A,BDA
${TK[2]},01,A,BDA
${TK[3]},02,A,BDB"
P1=$PUBID
for n in 1 2 3 4; do cand_login "$n"; done
REV="/api/v1/exams/$QE/score_reviews"

# ---- the request (the candidate, within 30 days) ----
api "$AG" POST "$REV" '{"subject":"01"}'
expect_error 403 FORBIDDEN
api "${TOKS[1]}" POST "$REV" '{"subject":"01","reason":"我认为第3题应为正确"}'
expect_status 201
expect_json .status requested
expect_json .published_score 2.5
expect_json .request_by 2027-01-09
expect_json .forward_by 2027-01-19
R1=$(jq -r .id "$WORK/body")
api "${TOKS[1]}" POST "$REV" '{"subject":"01"}'
expect_error 409 REVIEW_DUPLICATE
expect_json .error.details.review_id "$R1"
# absent (缺考): nothing to re-check; a subject not sat either
api "${TOKS[4]}" POST "$REV" '{"subject":"01"}'
expect_error 422 REVIEW_NOT_REVIEWABLE
api "${TOKS[3]}" POST "$REV" '{"subject":"01"}'
expect_error 422 REVIEW_NOT_REVIEWABLE
api "${TOKS[2]}" POST "$REV" '{"subject":"01"}'
expect_status 201
R2=$(jq -r .id "$WORK/body")
# each candidate sees their own, staff see all
api "${TOKS[2]}" GET "$REV"
expect_json '.items | length' 1
api "${TOKS[2]}" GET "/api/v1/score_reviews/$R1"
expect_error 404 NOT_FOUND
api "$AG" GET "$REV"
expect_json '.items | length' 2

# ---- the province: accept, refuse (with a reason), forward ----
api "$MARK" POST "/api/v1/score_reviews/$R1/result" '{"outcome":"unchanged","cause":"x","reason":"y"}'
expect_error 409 REVIEW_STATE
api "$AG" POST "/api/v1/score_reviews/$R1/accept"
expect_status 200
expect_json .status accepted
api "$AG" POST "/api/v1/score_reviews/$R2/refuse" '{}'
expect_error 400 VALIDATION_FAILED
api "$AG" POST "/api/v1/score_reviews/$R2/refuse" '{"reason":"申请复核的科目成绩已核对无登分差错线索"}'
expect_status 200
expect_json .status refused
api "$AG" POST "/api/v1/score_reviews/$R2/accept"
expect_error 409 REVIEW_STATE
api "$AG" POST "$REV/forward"
expect_status 200
expect_json .forwarded 1
expect_json .late 0
api "$AG" GET "/api/v1/score_reviews/$R1"
expect_json .status forwarded
expect_json .return_by 2026-12-25

# ---- the re-check: corrected, through a second person (INF-4) ----
api "$MARK" POST "/api/v1/score_reviews/$R1/result" '{"outcome":"corrected","cause":"登分错误","reason":"第3题读卡有误，原卡为A"}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' score
api "$MARK" POST "/api/v1/score_reviews/$R1/result" '{"outcome":"unchanged","score":"4","cause":"x","reason":"y"}'
expect_error 400 VALIDATION_FAILED
api "$MARK" POST "/api/v1/score_reviews/$R1/result" '{"outcome":"corrected","score":"4.5","cause":"登分错误","reason":"第3题读卡有误，原卡为A","anomaly":"同批次另有1张答题卡第3题读卡异常，已报告"}'
expect_status 202
expect_json .status correction_pending
AP=$(jq -r .approval_id "$WORK/body")
# not final yet: the look-up still shows the published score
LOOK="/api/v1/public/exams/$QE/score_lookup"
lookup() { api "" POST "$LOOK" "$(jq -nc --arg t "${TK[$1]}" --arg i "${IDN[$1]}" --arg m "${NAME[$1]}" '{ticket_no:$t,id_number:$i,name:$m}')"; }
lookup 1
expect_json '.candidate.subjects[0].score' 2.5
api "$MARK" POST "/api/v1/approvals/$AP/approve"
expect_error 403 FORBIDDEN
api "$AUTH" POST "/api/v1/approvals/$AP/approve"
expect_status 200
expect_json .result.status corrected
lookup 1
expect_json '.candidate.subjects[0] | "\(.score) \(.review)"' "4.5 corrected"
# the applicant sees the outcome once answered, never the reviewers' notes or the approval
api "${TOKS[1]}" GET "/api/v1/score_reviews/$R1"
expect_json .rechecked_score null
expect_json 'has("anomaly") or has("approval_id")' false
api "$AG" GET "/api/v1/score_reviews/$R1"
expect_json .anomaly '同批次另有1张答题卡第3题读卡异常，已报告'
# the province answers the applicant (a portal message)
api "$AG" POST "/api/v1/score_reviews/$R1/answer"
expect_status 200
expect_json .status answered
api "${TOKS[1]}" GET "/api/v1/score_reviews/$R1"
expect_json '"\(.rechecked_score) \(.outcome)"' "4.5 corrected"
[ "$(db_query "SELECT COUNT(*) FROM candidate_messages WHERE candidate_id = (SELECT candidate_id FROM registrations WHERE id = ${REG[1]}) AND kind = 'score_review' AND body LIKE '%4.5%'")" = 1 ] || fail "no answer to the applicant"
# a later publication carries the correction (GRD-9: the corrected score is final)
publish_scores
lookup 1
expect_json .publication.id "$PUBID"
expect_json '.candidate.subjects[0] | "\(.score) \(.review)"' "4.5 corrected"
[ "$PUBID" != "$P1" ] || fail "no new publication"

# ---- day 30 accepted, day 31 refused (GRD-9); a forward after day 40 is late ----
server_restart_at 2027-01-09T23:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login mark mark-password-1; MARK=$TOKEN
cand_login 3
api "${TOKS[3]}" POST "$REV" '{"subject":"02"}'
expect_status 201
R3=$(jq -r .id "$WORK/body")
server_restart_at 2027-01-10T00:30:00+08:00
cand_login 2
api "${TOKS[2]}" POST "$REV" '{"subject":"01"}'
expect_error 422 REVIEW_WINDOW_CLOSED
expect_json .error.rule GRD-9
expect_json .error.details.deadline 2027-01-09
server_restart_at 2027-01-20T10:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login mark mark-password-1; MARK=$TOKEN
api "$AG" POST "/api/v1/score_reviews/$R3/accept"
expect_status 200
api "$AG" POST "$REV/forward"
expect_json .forwarded 1
expect_json .late 1
api "$MARK" POST "/api/v1/score_reviews/$R3/result" '{"outcome":"unchanged","cause":"总分及登分核对无误","reason":"逐项核对"}'
expect_status 200
expect_json .status rechecked
api "$AG" POST "/api/v1/score_reviews/$R3/answer"
expect_status 200
api "$AG" GET "$REV?status=answered"
expect_json '.items | length' 2
expect_json '[.items[] | select(.id == '"$R3"') | .forwarded_late][0]' true

audit_verify 0
echo ok
