#!/usr/bin/env bash
# Interview day (INT-2, INT-3, INT-4, INT-6; issue 12, second slice), on t0060's exam
# (tests/e2e/interview.sh): a day for panel G2 whose position cannot get a panel on a second
# day (INT-4); the room lottery and the order-number lottery each by a committed seed revealed
# after, replayed here with `kaowu draw shuffle`, the room result hidden from a reader without
# interview.rooms.read (INT-2); a panel of 7 scores 3 candidates by order number only (INT-3):
# a score out of range refused, a second entry refused, a correction before the scorer audited,
# another's scores refused until all are in (INT-4); the scorer's trimmed mean drops one
# examiner's extreme total (71.40, not the 75.00 of the plain mean); sign-offs out of order or
# by the wrong member refused; the chief's sign-off stores the composite (INT-6); results
# published 49 hours after the day's end are flagged late (INT-4), not refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
iv_setup
iv_written
api "$AG" PUT "/api/v1/exams/$QE/interview_settings" '{"written_weight":60,"interview_weight":40,"method":"trimmed"}'
expect_status 200
api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_status 201
SL=$(jq -r '.items[0].id' "$WORK/body")
# 张一 declines: 欧阳娜娜 (8), 李三 (7), 赵四 (7) remain
api "$AG" POST "/api/v1/shortlists/$SL/declines" "{\"registration_id\":${REG[1]},\"reason\":\"本人书面放弃\"}"
expect_status 200
expect_json .admitted 3
iv_pool
panel G1 K1 K2 K3 J1 J2 J3 K4 K5 K6
expect_status 201
G1=$(jq -r .id "$WORK/body")
panel G2 K1 K2 K3 K4 K5 K6 K7
expect_status 201
G2=$(jq -r .id "$WORK/body")

# ---- the day: G2 on 2027-01-10; G1 (same position) refused on another day (INT-4) ----
DIMS='[{"name":"综合分析","max":"40"},{"name":"言语表达","max":"30","weight":100},{"name":"应变能力","max":"30"}]'
day() { api "$AG" POST "/api/v1/exams/$QE/interview_days" "{\"day\":\"$1\",\"ends_at\":\"$1T18:00:00+08:00\",\"rooms\":$2,\"panels\":[$3],\"dimensions\":$DIMS}"; }
day 2027-01-10 '["303"]' "$G2,$G1"
expect_error 422 INTERVIEW_ROOMS_FEW
day 2027-01-10 '["303","301","302"]' "$G2"
expect_status 201
DAYID=$(jq -r .id "$WORK/body")
RC=$(jq -r '.draws[] | select(.kind == "rooms") | .commitment' "$WORK/body")
OC=$(jq -r ".draws[] | select(.panel_id == $G2) | .commitment" "$WORK/body")
[ ${#RC} = 64 ] && [ ${#OC} = 64 ] && [ "$RC" != "$OC" ] || fail "commitments not published: $(body)"
jq -e '[.draws[] | has("seed")] | any | not' "$WORK/body" >/dev/null || fail "a seed before the draw: $(body)"
day 2027-01-11 '["401"]' "$G1"
expect_error 409 INTERVIEW_POSITION_DAYS
expect_json .error.rule INT-4
expect_json .error.details.position_id "$POS"
day 2027-01-10 '["401"]' "$G1"
expect_error 409 INTERVIEW_DAY_EXISTS
day 2027-01-12 '["401"]' "$G2"
expect_error 409 INTERVIEW_PANEL_SCHEDULED

# ---- on the day: accounts of the panel (staff records linked to users) ----
server_restart_at 2027-01-10T08:00:00+08:00
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
login agency agency-password-1; AG=$TOKEN
declare -A T
link() { # USER STAFF_CODE
	local uid
	uid=$(db_query "SELECT id FROM users WHERE username = '$1'")
	api "$A" GET "/api/v1/staff/${SID[$2]}"
	api "$A" PATCH "/api/v1/staff/${SID[$2]}" "{\"user_id\":$uid}" -H "If-Match: $(header ETag)"
	expect_status 200
}
for k in 1 2 3 4 5 6 7; do staff "kg$k" examiner "$PTA"; T[K$k]=$TOKEN; link "kg$k" "K$k"; done
staff sco scorer "$PTA"; T[SCO]=$TOKEN; link sco SCO
login isup isup-password-1; T[SUP]=$TOKEN; link isup SUP

# ---- the room lottery (INT-2): revealed, replayable, confidential ----
api "$AG" POST "/api/v1/interview_days/$DAYID/room_draw"
expect_status 200
SEED=$(jq -r '.draws[] | select(.kind == "rooms") | .seed' "$WORK/body")
PURPOSE=$(jq -r '.draws[] | select(.kind == "rooms") | .purpose' "$WORK/body")
GOT=$(jq -r '.draws[] | select(.kind == "rooms") | .result[0].room' "$WORK/body")
"$KAOWU" draw verify "$SEED" "$RC" >/dev/null || fail "the room seed is not the committed one"
ROOMS=(301 302 303)
perm=($("$KAOWU" draw shuffle "$SEED" "$PURPOSE" 3))
[ "$GOT" = "${ROOMS[${perm[0]}]}" ] || fail "replay gives room ${ROOMS[${perm[0]}]}, the draw $GOT"
[ "$PURPOSE" = "interview-rooms:exam=GWY27:day=2027-01-10" ] || fail "purpose $PURPOSE"
api "$AG" POST "/api/v1/interview_days/$DAYID/room_draw"
expect_error 409 INTERVIEW_DRAW_DONE
api "$A" GET "/api/v1/interview_days/$DAYID"
expect_status 200
jq -e '.draws[] | select(.kind == "rooms") | (has("seed") or has("result")) | not' "$WORK/body" >/dev/null ||
	fail "the room draw shown without interview.rooms.read: $(body)"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.draw.reveal'")" = 1 ] || fail "the room draw is not audited"
# INT-2: the confidential room result is not replayable from the trail (no seed in the detail)
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.draw.reveal' AND detail LIKE '%$SEED%'")" = 0 ] || fail "the room seed is in the audit trail"

# ---- the order lottery (INT-3): admitted candidates in ticket order, k+1 ← perm[k] ----
api "${T[K1]}" POST "/api/v1/interview_panels/$G2/order_draw"
expect_error 403 FORBIDDEN
api "$AG" POST "/api/v1/interview_panels/$G2/order_draw"
expect_status 200
[ "$(jq -r .commitment "$WORK/body")" = "$OC" ] || fail "the order draw is not the committed one"
"$KAOWU" draw verify "$(jq -r .seed "$WORK/body")" "$OC" >/dev/null || fail "the order seed does not match"
mapfile -t SORTED < <(printf '%s\n' "${TK[2]}" "${TK[3]}" "${TK[4]}" | sort)
perm=($("$KAOWU" draw shuffle "$(jq -r .seed "$WORK/body")" "interview-order:exam=GWY27:panel=G2" 3))
for k in 0 1 2; do
	ORD[$k]=$(jq -r ".result[$k].ticket_no" "$WORK/body")
	[ "${ORD[$k]}" = "${SORTED[${perm[$k]}]}" ] || fail "order $((k + 1)): replay ${SORTED[${perm[$k]}]}, drawn ${ORD[$k]}"
done
api "$AG" POST "/api/v1/interview_panels/$G2/order_draw"
expect_error 409 INTERVIEW_DRAW_DONE

# ---- anonymous scores (INT-3, INT-4) ----
anon() { # the answer names no candidate
	for n in 1 2 3 4 5 6; do
		grep -q "${TK[$n]}\|${NAME[$n]}" "$WORK/body" && fail "an examiner sees a candidate: $(body)"
	done
	grep -q registration "$WORK/body" && fail "an examiner sees a registration: $(body)"
	return 0
}
sc() { api "${T[$1]}" POST "/api/v1/interview_panels/$G2/orders/$2/scores" "$(jq -nc --arg a "$3" --arg b "$4" --arg c "$5" '{scores:[$a,$b,$c]}')"; }
sc K1 1 40.5 20 20
expect_error 422 INTERVIEW_SCORE_RANGE
expect_json .error.details.dimension 综合分析
sc SCO 1 30 20 20
expect_error 403 INTERVIEW_NOT_EXAMINER
sc K1 9 30 20 20 # no order number 9 on the panel
expect_error 404 NOT_FOUND
api "${T[K1]}" POST "/api/v1/interview_panels/999999/orders/1/scores" '{"scores":["30","20","20"]}'
expect_error 404 NOT_FOUND
api "${T[K7]}" GET "/api/v1/interview_panels/$G1/orders/1/scores" # K7 sits on G2 only
expect_error 403 INTERVIEW_NOT_MEMBER
sc K1 1 30 20 20
expect_status 200
expect_json .total 70
anon
sc K1 1 30 20 21
expect_error 409 INTERVIEW_SCORE_ENTERED
api "${T[K2]}" GET "/api/v1/interview_panels/$G2/orders/1/scores"
expect_error 403 INTERVIEW_SCORES_HIDDEN
expect_json .error.details.entered 1
api "${T[K1]}" GET "/api/v1/interview_panels/$G2/orders/1/scores"
expect_error 403 INTERVIEW_SCORES_HIDDEN
api "${T[SCO]}" POST "/api/v1/interview_panels/$G2/orders/1/signoffs" '{"as":"scorer"}'
expect_error 409 INTERVIEW_SCORES_MISSING
# totals 70, 72, 67→68 (corrected), 75, 71, 69 and K7's extreme 100
sc K2 1 30.5 21.5 20
sc K3 1 28 20 19
sc K4 1 30 25 20
sc K5 1 30 21 20
sc K6 1 29 20 20
api "${T[K3]}" POST "/api/v1/interview_panels/$G2/orders/1/scores" '{"scores":["28","20","20"],"correction_reason":"误填应变能力"}'
expect_status 200
expect_json .corrected true
expect_json .total 68
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.score.correct'")" = 1 ] || fail "the correction is not audited"
sc K7 1 40 30 30
expect_status 200
expect_json .entered 7
anon
api "${T[K2]}" GET "/api/v1/interview_panels/$G2/orders/1/scores"
expect_status 200
expect_json '.items | length' 7
expect_json '[.items[].total] | sort | join(",")' '100,68,69,70,71,72,75'
anon
# order 2: every examiner 78; order 3: 60, 60, 60, 61, 61, 62, 60 → (60+60+60+61+61)/5 = 60.40
for k in 1 2 3 4 5 6 7; do sc "K$k" 2 30 24 24; expect_status 200; done
for k in 1 2 3 7; do sc "K$k" 3 20 20 20; expect_status 200; done
sc K4 3 20 21 20; sc K5 3 21 20 20; sc K6 3 22 20 20

# ---- sign-offs: scorer → supervisor → chief (INT-4) ----
so() { api "${T[$1]}" POST "/api/v1/interview_panels/$G2/orders/$2/signoffs" "{\"as\":\"$3\"}"; }
so K1 1 chief
expect_error 409 INTERVIEW_SIGNOFF_ORDER
expect_json .error.details.expected scorer
so K3 1 scorer
expect_error 403 INTERVIEW_SIGNOFF_ROLE
so SCO 1 scorer
expect_status 200
expect_json .score 71.4 # trimmed: 100 and 68 dropped (the plain mean is 75)
anon
api "${T[K3]}" POST "/api/v1/interview_panels/$G2/orders/1/scores" '{"scores":["30","20","20"],"correction_reason":"late"}'
expect_error 409 INTERVIEW_SCORES_CLOSED
so K3 1 supervisor
expect_error 403 INTERVIEW_SIGNOFF_ROLE
so K1 1 chief
expect_error 409 INTERVIEW_SIGNOFF_ORDER
so SUP 1 supervisor
expect_status 200
so K1 1 chief
expect_status 200
anon
for o in 2 3; do so SCO $o scorer; expect_status 200; done
expect_json .score 60.4
so SUP 2 supervisor
so K1 2 chief
expect_status 200
expect_json .score 78

# ---- publication: pending refused; 49 hours after the end: published, flagged late ----
api "$AG" POST "/api/v1/shortlists/$SL/interview_results"
expect_error 409 INTERVIEW_RESULTS_PENDING
expect_json .error.details.pending 1
so SUP 3 supervisor
so K1 3 chief
expect_status 200
server_restart_at 2027-01-12T19:00:00+08:00
login agency agency-password-1; AG=$TOKEN
api "$AG" POST "/api/v1/shortlists/$SL/interview_results"
expect_status 200
expect_json .late true
expect_json .deadline 2027-01-12T10:00:00.000000Z
expect_json '.results | length' 3
# composite = written × 60% + interview × 40% (INT-6): the candidate of order 1 took 71.40
W1=$(jq -r --arg t "${ORD[0]}" '.results[] | select(.ticket_no == $t) | .written' "$WORK/body")
want=$(awk -v w="$W1" 'BEGIN { printf "%.2f", w * 0.6 + 71.4 * 0.4 }' | sed 's/\.\?0*$//')
expect_json "[.results[] | select(.ticket_no == \"${ORD[0]}\") | .composite][0]" "$want"
expect_json "[.results[] | select(.order_no == 3) | .interview][0]" 60.4
api "$AG" POST "/api/v1/shortlists/$SL/interview_results"
expect_error 409 INTERVIEW_RESULTS_PUBLISHED
[ "$(db_query "SELECT late FROM interview_result_publications WHERE shortlist_id = $SL")" = 1 ] || fail "late not kept"
audit_verify 0
server_stop
echo "ok"
