#!/usr/bin/env bash
# Subjective marking, first slice (GRD-1, GRD-2, GRD-3, AH 57; issue 10 item 4): a subject's
# marking set up after its sitting with a witness (GRD-3: 2+ people), one anonymous script per
# seated candidate, identities kept apart (AH 57(1)); every script marked by two markers,
# double-blind (GRD-2): within the tolerance the mean is final; beyond it a third marker, the
# two closest of three within the tolerance give the final; still beyond, the chief marker's
# mark is final; a marker marks a script once and never sees another's mark, nor anything of
# the candidate; per-marker statistics for the marking lead (AH 57(3)); the total recorded only
# when every script is final and checked by another person before unblinding (GRD-3, AH 57(4)).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 王二 '["01","02"]' 3 李三 '["01","02"]' 4 赵四 '["01"]' 5 钱五 '["02"]'
staff witness agency_staff "$PTA"
staff checker agency_staff "$PTA"
staff mk1 marker "$PTA"
staff mk2 marker "$PTA"
staff mk3 marker "$PTA"
staff lead marking_lead "$PTA"
staff proc proctor "$PTA"
TK=()
for n in 1 2 3 4 5; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done
MK="/api/v1/exams/$QE/subjects/01/marking"
SETUP='{"max_points":30,"tolerance":3,"rule":"mean","items":[10,20],"witness":"witness"}'

# scripts exist once the sitting is over (01: 2026-12-10 09:00, 150 minutes)
api "$AG" POST "$MK" "$SETUP"
expect_error 409 MARKING_BEFORE_END

server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login checker checker-password-1; CK=$TOKEN
login mk1 mk1-password-1; M1=$TOKEN
login mk2 mk2-password-1; M2=$TOKEN
login mk3 mk3-password-1; M3=$TOKEN
login lead lead-password-1; LEAD=$TOKEN
login proc proc-password-1; PROC=$TOKEN

# ---- set-up (GRD-2, GRD-3): the scheme, a witness, one anonymous script per candidate ----
api "$M1" POST "$MK" "$SETUP"
expect_error 403 FORBIDDEN
api "$AG" POST "$MK" '{"max_points":0,"tolerance":40,"rule":"median","items":[10,10],"colour":1}'
expect_error 400 MARKING_INVALID
expect_json '[.error.details.fields[] | "\(.field):\(.problem)"] | sort | join(",")' "colour:unknown,max_points:points,rule:not_allowed,witness:required"
api "$AG" POST "$MK" "$(jq -c '.items = [10, 10]' <<<"$SETUP")"
expect_error 400 MARKING_INVALID
expect_json '.error.details.fields[0].problem' sum_not_max_points
# GRD-3: a second person present, not oneself
api "$AG" POST "$MK" "$(jq -c '.witness = "agency"' <<<"$SETUP")"
expect_error 422 MARKING_WITNESS
expect_json .error.rule GRD-3
[ "$(db_query "SELECT COUNT(*) FROM scripts")" = 0 ] || fail "a refused set-up wrote scripts"
api "$AG" POST "$MK" "$SETUP"
expect_status 201
expect_json .scripts 4
expect_json .stages.double 4
expect_json .witness witness
expect_json '.scheme.items | join(",")' 10,20
api "$AG" POST "$MK" "$SETUP"
expect_error 409 MARKING_EXISTS
# AH 57(1): the scripts carry nothing of the candidate; the link is kept in a table of its own
[ "$(db_query "SELECT COUNT(*) FROM script_identities")" = 4 ] || fail "identities not kept"
[ "$(db_query "SELECT COUNT(DISTINCT code) FROM scripts WHERE length(code) = 12")" = 4 ] || fail "script codes"

# every answer a marker gets is kept, to look for identities in it at the end
: >"$WORK/marker.log"
mapi() {
	api "$@"
	cat "$WORK/body" >>"$WORK/marker.log"
	echo >>"$WORK/marker.log"
}
# next TOKEN → CODE ROUND (the script handed out)
next() {
	mapi "$1" POST "$MK/next"
	expect_status 200
	jq -r 'if .script == null then "none" else "\(.script.code) \(.script.round)" end' "$WORK/body"
}
mark() {
	mapi "$1" POST "/api/v1/scripts/$2/marks" "$3"
	expect_status 200
	expect_json .mark.points "$4"
}

# ---- round 1 (GRD-2): marker 1 takes every script in turn ----
read -r SA r <<<"$(next "$M1")"
[ "$r" = 1 ] || fail "the first marking is round 1, got $r"
mapi "$M1" GET "/api/v1/scripts/$SA"
expect_status 200
expect_json .mark null
expect_json '.scheme.max_points' 30
# a mark outside the scheme, per-question points that do not add up
mapi "$M1" POST "/api/v1/scripts/$SA/marks" '{"points":31}'
expect_error 400 MARKING_INVALID
mapi "$M1" POST "/api/v1/scripts/$SA/marks" '{"points":20,"items":[11,9]}'
expect_error 400 MARKING_INVALID
expect_json '.error.details.fields[0].field' 'items[1]'
mapi "$M1" POST "/api/v1/scripts/$SA/marks" '{"points":20,"items":[8,10]}'
expect_error 400 MARKING_INVALID
expect_json '.error.details.fields[0].problem' not_items_sum
mark "$M1" "$SA" '{"points":20,"items":[8,12]}' 20
expect_json '.mark.items | join(",")' 8,12
# a marker marks a script once
mapi "$M1" POST "/api/v1/scripts/$SA/marks" '{"points":25}'
expect_error 409 MARKING_ALREADY_MARKED
read -r SB _ <<<"$(next "$M1")"
mark "$M1" "$SB" '{"points":10}' 10
read -r SC _ <<<"$(next "$M1")"
mark "$M1" "$SC" '{"points":"5"}' 5
read -r SD _ <<<"$(next "$M1")"
mark "$M1" "$SD" '{"items":[8,10]}' 18
[ "$(next "$M1")" = none ] || fail "marker 1 was handed a script they marked"
[ "$(printf '%s\n' "$SA" "$SB" "$SC" "$SD" | sort -u | wc -l)" = 4 ] || fail "a script was handed out twice in round 1"

# ---- round 2: double-blind ----
[ "$(next "$M2")" = "$SA 2" ] || fail "marker 2 should get $SA's second marking"
mapi "$M2" GET "/api/v1/scripts/$SA"
expect_json .round 2
expect_json .mark null
# nobody sees a script they do not hold, nor another's mark
mapi "$M2" GET "/api/v1/scripts/$SB"
expect_error 404 NOT_FOUND
mapi "$M2" POST "/api/v1/scripts/$SB/marks" '{"points":1}'
expect_error 404 NOT_FOUND
api "$PROC" GET "/api/v1/scripts/$SA"
expect_error 403 FORBIDDEN
mark "$M2" "$SA" '{"points":22}' 22
jq -e '[.. | objects | select(has("points")) | .points] == ["22"]' "$WORK/body" >/dev/null || fail "marker 2 saw another mark: $(body)"
mapi "$M1" GET "/api/v1/scripts/$SA"
jq -e '[.. | objects | select(has("points")) | .points] == ["20"]' "$WORK/body" >/dev/null || fail "marker 1 saw another mark: $(body)"
# 20 and 22 are within 3: the mean, 21, is final
[ "$(db_query "SELECT stage || ' ' || final || ' ' || resolved FROM scripts WHERE code = '$SA'")" = "final 2100 double" ] || fail "script A: $(db_query "SELECT stage, final FROM scripts WHERE code = '$SA'")"
[ "$(next "$M2")" = "$SB 2" ] || fail "marker 2 should get $SB next"
mark "$M2" "$SB" '{"points":20}' 20
[ "$(next "$M2")" = "$SC 2" ] || fail "marker 2 should get $SC next"
mark "$M2" "$SC" '{"points":15}' 15
[ "$(next "$M2")" = "$SD 2" ] || fail "marker 2 should get $SD next"
mark "$M2" "$SD" '{"points":18.5}' 18.5
# 18 and 18.5: the mean to the hundredth
[ "$(db_query "SELECT final FROM scripts WHERE code = '$SD'")" = 1825 ] || fail "script D's mean"

# GRD-3: the total is not recorded while scripts are open (B and C differ by 10)
api "$AG" POST "$MK/close"
expect_error 409 MARKING_OPEN
expect_json .error.details.unfinished 2
expect_json .error.rule GRD-3
api "$AG" GET "$MK"
expect_json .stages.third 2
expect_json .stages.final 2

# ---- round 3: a third marker for the scripts beyond the tolerance ----
[ "$(next "$M1")" = none ] || fail "marker 1 was handed a script they marked (third marking)"
[ "$(next "$M3")" = "$SB 3" ] || fail "marker 3 should get $SB's third marking"
mark "$M3" "$SB" '{"points":19}' 19
# 10, 20, 19: 20 and 19 are the closest, within 3: 19.5
[ "$(db_query "SELECT final || ' ' || resolved FROM scripts WHERE code = '$SB'")" = "1950 third" ] || fail "script B after the third marking"
[ "$(next "$M3")" = "$SC 3" ] || fail "marker 3 should get $SC's third marking"
mark "$M3" "$SC" '{"points":25}' 25
# 5, 15, 25: no two within 3 — the chief marker's
[ "$(db_query "SELECT stage FROM scripts WHERE code = '$SC'")" = chief ] || fail "script C should go to the chief marker"
[ "$(next "$M3")" = none ] || fail "a marker was handed a chief marking"
api "$AG" POST "$MK/close"
expect_error 409 MARKING_OPEN
expect_json .error.details.unfinished 1

# ---- round 4: the chief marker (marking lead) ----
[ "$(next "$LEAD")" = "$SC 4" ] || fail "the marking lead should get $SC"
mark "$LEAD" "$SC" '{"points":12}' 12
[ "$(db_query "SELECT final || ' ' || resolved FROM scripts WHERE code = '$SC'")" = "1200 chief" ] || fail "script C after the chief marker"

# ---- quality (GRD-2, AH 57(3)): per-marker statistics for the marking lead ----
api "$M1" GET "$MK/markers"
expect_error 403 FORBIDDEN
api "$LEAD" GET "$MK/markers"
expect_status 200
st() { jq -r --arg m "$1" '.items[] | select(.marker == $m) | "\(.marks) \(.mean) \(.sd) \(.compared) \(.mean_difference)"' "$WORK/body"; }
# marker 1: 20, 10, 5, 18 — against 22, mean(20, 19), mean(15, 25), 18.5: -2, -9.5, -15, -0.5
[ "$(st mk1)" = "4 13.25 6.06 4 -6.75" ] || fail "marker 1's statistics: $(st mk1)"
# marker 2: 22, 20, 15, 18.5
[ "$(st mk2)" = "4 18.88 2.56 4 2" ] || fail "marker 2's statistics: $(st mk2)"
[ "$(st lead)" = "1 12 0 0 null" ] || fail "the chief marker's statistics: $(st lead)"
expect_json .group.marks 11

# ---- totals before unblinding (GRD-3, AH 57(4)) ----
api "$AG" GET "$MK/results"
expect_error 409 MARKING_NOT_CONFIRMED
api "$M1" POST "$MK/close"
expect_error 403 FORBIDDEN
api "$AG" POST "$MK/close"
expect_status 200
expect_json .status closed
expect_json .total 70.75
expect_json .finished 4
expect_json .closed_by agency
# closed: no more scripts handed out
mapi "$M3" POST "$MK/next"
expect_error 409 MARKING_CLOSED
api "$AG" GET "$MK/results"
expect_error 409 MARKING_NOT_CONFIRMED
# entry and checking by different people
api "$AG" POST "$MK/confirm" '{"total":"70.75","scripts":4}'
expect_error 422 MARKING_SAME_PERSON
expect_json .error.rule GRD-3
api "$CK" POST "$MK/confirm" '{"total":"70.5","scripts":4}'
expect_error 422 MARKING_TOTAL_MISMATCH
# a final changed behind the program's back after the total was recorded is caught
db_query "UPDATE scripts SET final = final + 100 WHERE code = '$SA'" >/dev/null
api "$CK" POST "$MK/confirm" '{"total":"70.75","scripts":4}'
expect_error 422 MARKING_TOTAL_MISMATCH
db_query "UPDATE scripts SET final = final - 100 WHERE code = '$SA'" >/dev/null
api "$CK" POST "$MK/confirm" '{"total":"70.75","scripts":4}'
expect_status 200
expect_json .status confirmed
expect_json .confirmed_by checker
expect_json '.result_digest | length' 64
api "$CK" POST "$MK/confirm" '{"total":"70.75","scripts":4}'
expect_error 409 MARKING_CONFIRMED

# ---- unblinded: the finals join the registrations ----
api "$M1" GET "$MK/results"
expect_error 403 FORBIDDEN
api "$AG" GET "$MK/results"
expect_status 200
expect_json '.items | length' 4
expect_json .total 70.75
expect_json '[.items[].registration_id] | map(tostring) | join(",")' "${REG[1]},${REG[2]},${REG[3]},${REG[4]}"
expect_json '[.items[].ticket_no] | join(",")' "${TK[1]},${TK[2]},${TK[3]},${TK[4]}"
fin() { jq -r --arg c "$1" '.items[] | select(.script == $c) | "\(.final) \(.resolved)"' "$WORK/body"; }
[ "$(fin "$SA") $(fin "$SB") $(fin "$SC") $(fin "$SD")" = "21 double 19.5 third 12 chief 18.25 double" ] ||
	fail "finals: $(fin "$SA") / $(fin "$SB") / $(fin "$SC") / $(fin "$SD")"

# ---- nothing a marker was shown identifies a candidate (AH 57(1)) ----
[ -s "$WORK/marker.log" ] || fail "no marker answers were kept"
for n in 1 2 3 4 5; do
	! grep -qF -e "${TK[$n]}" -e "${NAME[$n]}" -e "${IDN[$n]}" "$WORK/marker.log" || fail "candidate $n's identity reached a marker"
done
jq -s -e '[.[] | .. | objects | keys[]] | unique | map(select(test("registration|ticket|name|candidate|id_number|seat|room"))) == []' "$WORK/marker.log" >/dev/null ||
	fail "a marker's answer has identity fields: $(jq -s -c '[.[] | .. | objects | keys[]] | unique' "$WORK/marker.log")"

audit_verify 0
echo ok
