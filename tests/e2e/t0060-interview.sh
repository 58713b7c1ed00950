#!/usr/bin/env bash
# Interviews, first slice (INT-2, INT-6, SEC-1, SEC-3; issue 12 items 1-2): a civil-service
# exam reaches a real publication of written scores over the API (registration with a
# position, review, payment, seating, keys, scanner answers, runs, cross-checks, prepared and
# approved — nothing inserted by hand); the position's shortlist by its 3:1 ratio admits both
# candidates tied at the cut (INT-2), leaves one under the exam's minimum out, is published
# with masked names only; a decline is replaced in order only when the list falls below its
# target; panels: 4 or 6 examiners refused (PANEL_SIZE, INT-2), an unqualified examiner and an
# agency majority refused, an examiner whose declared relative is on the shortlist refused
# (PANEL_RECUSAL, SEC-3, naming no relation), 7 accepted; before the start the examiner list
# is refused to the interview supervisor (SEC-1) and read, audited, by the agency.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
iv_setup

# ---- no publication yet: no shortlist ----
api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_error 409 SHORTLIST_NO_PUBLICATION

iv_written

# ---- settings: a minimum of 5.6 (INT-2 via the exam), weights 50/50 (INT-6, §15) ----
api "$AG" PUT "/api/v1/exams/$QE/interview_settings" '{"written_min":"5.6","written_weight":60,"interview_weight":50}'
expect_error 422 INTERVIEW_WEIGHTS
api "$AG" PUT "/api/v1/exams/$QE/interview_settings" '{"written_min":"abc","written_weight":50,"interview_weight":50}'
expect_error 400 VALIDATION_FAILED
api "$AG" PUT "/api/v1/exams/$QE/interview_settings" '{"written_min":"5.6","written_weight":50,"interview_weight":50,"method":"trimmed"}'
expect_status 200
expect_json .written_min 5.6
expect_json .panel_min 5

# ---- the shortlist: target ceil(1 × 3 / 1) = 3; 李三 and 赵四 tied at 7 both admitted ----
api "$ISUP" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_error 403 FORBIDDEN
api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_status 201
SL=$(jq -r '.items[0].id' "$WORK/body")
expect_json '.items[0].target' 3
expect_json '.items[0].admitted' 4
expect_json '.items[0].candidates' 6
expect_json '.items[0] | has("entries")' false # the answer to a season's build stays small
api "$AG" GET "/api/v1/shortlists/$SL"
expect_status 200
expect_json .admitted 4
state() { jq -r --arg t "${TK[$1]}" '.entries[] | select(.ticket_no == $t) | .state' "$WORK/body"; }
for n in 1 2 3 4; do [ "$(state $n)" = admitted ] || fail "candidate $n is $(state $n): $(body)"; done
[ "$(state 5)" = waiting ] || fail "candidate 5: $(state 5)"
[ "$(state 6)" = below_min ] || fail "candidate 6 (5.5 < 5.6): $(state 6)"
expect_json "[.entries[] | select(.ticket_no == \"${TK[3]}\") | .rank][0]" 3
expect_json "[.entries[] | select(.ticket_no == \"${TK[4]}\") | .rank][0]" 3
expect_json "[.entries[] | select(.ticket_no == \"${TK[1]}\") | .written][0]" 9
api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_error 409 SHORTLIST_EXISTS
# not public before it is published
req GET "/api/v1/public/exams/$QE/shortlists"
expect_status 200
expect_json '.positions | length' 0
api "$AG" POST "/api/v1/shortlists/$SL/publish"
expect_status 200
expect_json .status published
api "$AG" POST "/api/v1/shortlists/$SL/publish"
expect_error 409 SHORTLIST_PUBLISHED
req GET "/api/v1/public/exams/$QE/shortlists"
expect_status 200
expect_json '.positions[0].candidates | length' 4
expect_json '.positions[0].cut' 7
expect_json '[.positions[0].candidates[] | "\(.rank)\(.name)"] | sort | join(",")' '1张*,2欧**娜,3李*,3赵*'
for n in 1 2 3 4 5 6; do
	grep -q "${NAME[$n]}" "$WORK/body" && fail "a whole name on the public list: $(body)"
	grep -q "${IDN[$n]}" "$WORK/body" && fail "a document number on the public list"
done
grep -q "${TK[5]}" "$WORK/body" && fail "a waiting candidate on the public list"

# ---- declines: 张一 declines — the tie already gave 4, the list keeps 3: nobody replaces ----
api "$AG" POST "/api/v1/shortlists/$SL/declines" "{\"registration_id\":${REG[1]},\"reason\":\"本人书面放弃\"}"
expect_status 200
expect_json '.admitted_now | length' 0
expect_json .admitted 3
[ "$(state 1)" = declined ] || fail "candidate 1: $(state 1)"
api "$AG" POST "/api/v1/shortlists/$SL/declines" "{\"registration_id\":${REG[1]},\"reason\":\"再次\"}"
expect_error 409 SHORTLIST_DECLINE_STATE
api "$AG" POST "/api/v1/shortlists/$SL/declines" "{\"registration_id\":${REG[6]},\"reason\":\"x\"}"
expect_error 409 SHORTLIST_DECLINE_STATE
# 欧阳娜娜 declines: 2 left under the target of 3 → the next in order, 钱五 (6), comes in
api "$AG" POST "/api/v1/shortlists/$SL/declines" "{\"registration_id\":${REG[2]},\"reason\":\"本人书面放弃\"}"
expect_status 200
expect_json '.admitted_now | join(",")' "${TK[5]}"
[ "$(state 5)" = admitted ] || fail "candidate 5 not admitted: $(state 5)"
[ "$(state 6)" = below_min ] || fail "candidate 6 admitted under the minimum"
req GET "/api/v1/public/exams/$QE/shortlists"
expect_json '[.positions[0].candidates[].ticket_no] | sort | join(",")' "$(printf '%s\n' "${TK[3]}" "${TK[4]}" "${TK[5]}" | sort | paste -sd,)"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.shortlist.replace'")" = 1 ] || fail "the replacement is not audited"

iv_pool
panel G1 K1 K2 K3 K4
expect_error 422 PANEL_SIZE
expect_json .error.rule INT-2
expect_json .error.details.examiners 4
panel G1 K1 K2 K3 K4 K5 K6
expect_error 422 PANEL_SIZE
panel G1 K1 K2 K3 K4 K5 K6 K9
expect_error 422 EXAMINER_NOT_QUALIFIED
panel G1 K1 K2 K3 J1 J2 J3 K4 K5 K6
expect_status 201 # 3 of 9 from the recruiting agency: a minority
panel G2 K1 J1 J2 J3 K5
expect_error 422 PANEL_AGENCY_MAJORITY
panel G2 K1 K2 K3 K4 K5 K6 K8
expect_error 422 PANEL_RECUSAL
expect_json .error.rule SEC-3
expect_json '.error.details.staff_ids | join(",")' "${SID[K8]}"
grep -q '钱五\|spouse\|配偶' "$WORK/body" && fail "the refusal names the relation: $(body)"
[ "$(db_query "SELECT COUNT(*) FROM interview_panels")" = 1 ] || fail "a refused panel was stored"
panel G2 K1 K2 K3 K4 K5 K6 K7
expect_status 201
expect_json .examiners 7
expect_json .agency_examiners 0
G2=$(jq -r .id "$WORK/body")
grep -q '考官' "$WORK/body" && fail "the panel's creation answer lists members"
api "$ISUP" GET "/api/v1/exams/$QE/interview_panels"
expect_status 200
expect_json '[.items[].code] | join(",")' G1,G2
grep -q '考官\|staff_id' "$WORK/body" && fail "the list of panels names members"
api "$ISUP" GET "/api/v1/exams/$QE/shortlists"
expect_status 200
expect_json '.items[0].admitted' 3

# ---- SEC-1: the examiner list before the start (2027-01-10 08:30) ----
before=$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.examiners.read'")
api "$ISUP" GET "/api/v1/interview_panels/$G2"
expect_error 403 INTERVIEW_EXAMINERS_SECRET
expect_json .error.rule SEC-1
api "$AG" GET "/api/v1/interview_panels/$G2"
expect_status 200
expect_json '.members | length' 10
expect_json '[.members[] | select(.duty == "chief") | .name][0]' 考官1
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.examiners.read' AND entity_id = $G2 AND actor_name = 'agency'")" = $((before + 1)) ] ||
	fail "the read of the examiner list is not audited"
# once the interview has started the supervisor may read it (audited too)
server_restart_at 2027-01-10T09:00:00+08:00
login isup isup-password-1; ISUP=$TOKEN
api "$ISUP" GET "/api/v1/interview_panels/$G2"
expect_status 200
expect_json '.members | length' 10
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.examiners.read' AND actor_name = 'isup'")" = 1 ] || fail "the supervisor's read is not audited"
audit_verify 0
server_stop
echo "ok"
