#!/usr/bin/env bash
# Quality checks of subjective marking (GRD-2, AH 57(3); GRD-1, AH 56/59; issue 10 item 4):
# control scripts (样卷) seeded with an agreed expert mark at set-up and later, handed out to
# every marker once, mixed into the normal stream and indistinguishable from other scripts
# (same code format, same view, the round a real script would show); their marks count in no result and stay out of
# the totals; per-marker flags — too lenient / too strict against the other markers of the
# same scripts and against the expert marks, drift between a marker's first and last marks —
# with a configurable threshold, minimum and window; the marking lead suspends a marker (no
# more scripts, held ones released, audited) and lifts it; the arbitration queue (round 4)
# asked for on its own; the marker's list of markings; the lead closes, another confirms.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01"]' 2 王二 '["01"]' 3 李三 '["01"]' 4 赵四 '["01"]'
staff witness agency_staff "$PTA"
staff mk1 marker "$PTA"
staff mk2 marker "$PTA"
staff mk3 marker "$PTA"
staff lead marking_lead "$PTA"
server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login mk1 mk1-password-1; M1=$TOKEN
login mk2 mk2-password-1; M2=$TOKEN
login mk3 mk3-password-1; M3=$TOKEN
login lead lead-password-1; LEAD=$TOKEN
cand_login 1
MK="/api/v1/exams/$QE/subjects/01/marking"

# ---- set-up with control scripts and the flag parameters (GRD-2) ----
api "$AG" POST "$MK" '{"max_points":30,"tolerance":3,"items":[10,20],"witness":"witness","controls":[{"points":40},{"items":[11,1]},"x"],"flag_min":0,"flag_threshold":"x","control_every":1001}'
expect_error 400 MARKING_INVALID
expect_json '[.error.details.fields[] | "\(.field):\(.problem)"] | sort | join(",")' \
	"control_every:count,controls[1].points:points_range,controls[2].items[1]:points_range,controls[3]:type,flag_min:count,flag_threshold:points"
[ "$(db_query "SELECT COUNT(*) FROM markings")" = 0 ] || fail "a refused set-up wrote a marking"
api "$AG" POST "$MK" '{"max_points":30,"tolerance":3,"items":[10,20],"witness":"witness","controls":[{"points":20,"label":"样卷一"},{"items":[4,6]}],"flag_threshold":1,"flag_min":2,"drift_window":2,"control_every":1}'
expect_status 201
expect_json .scripts 4
expect_json .stages.double 4
expect_json '.controls | "\(.seeded) \(.handed_out)"' "2 0"
expect_json '.quality | "\(.flag_threshold) \(.flag_min) \(.drift_window) \(.control_every)"' "1 2 2 1"
# the expert marks are the lead's: not a marker's, not a proctor's
api "$M1" GET "$MK/controls"
expect_error 403 FORBIDDEN
api "$LEAD" GET "$MK/controls"
expect_status 200
expect_json '[.items[] | "\(.label) \(.points) \(.items | join("+"))"] | join(",")' "样卷一 20 ,null 10 4+6"

# ---- the marker's list of markings ----
api "${TOKS[1]}" GET /api/v1/markings
expect_error 403 FORBIDDEN
api "$M1" GET /api/v1/markings
expect_status 200
expect_json '[.items[] | "\(.exam_code) \(.subject) \(.status) \(.can.mark) \(.can.lead) \(.can.confirm) \(.suspended) \(.my_marks)"] | join(",")' "JJ27 01 open true false false false 0"
api "$LEAD" GET /api/v1/markings
expect_json '.items[0].can | "\(.mark) \(.chief) \(.lead) \(.confirm)"' "true true true false"
api "$AG" GET /api/v1/markings
expect_json '.items[0].can | "\(.mark) \(.lead) \(.confirm)"' "false true true"

# every answer a marker gets is kept, to compare views and look for identities
: >"$WORK/marker.log"
mapi() {
	api "$@"
	cat "$WORK/body" >>"$WORK/marker.log"
	echo >>"$WORK/marker.log"
}
# next TOKEN → CODE ROUND (the script handed out), "none" when nothing
next() {
	mapi "$1" POST "$MK/next"
	expect_status 200
	jq -r 'if .script == null then "none" else "\(.script.code) \(.script.round)" end' "$WORK/body"
}
mark() {
	mapi "$1" POST "/api/v1/scripts/$2/marks" "$3"
	expect_status 200
}
is_control() { db_query "SELECT CASE WHEN control_id IS NULL THEN 'real' ELSE 'control:' || control_id END FROM scripts WHERE code = '$1'"; }
C1=$(db_query "SELECT MIN(id) FROM marking_controls")
C2=$(db_query "SELECT MAX(id) FROM marking_controls")

# ---- control scripts come in the stream (control_every 1: whenever one waits) ----
read -r K1 r <<<"$(next "$M1")"
[ "$(is_control "$K1")" = "control:$C1" ] || fail "mk1's first script should be control 1: $(is_control "$K1")"
# it shows the round a real script would show now: the first
[ "$r" = 1 ] || fail "the first control script shows round $r"
[ ${#K1} = 12 ] || fail "a control script's code has another format: $K1"
jq -c 'del(.script.code, .script.round, .script.taken_at) | .script | keys' "$WORK/body" >"$WORK/control.keys"
mark "$M1" "$K1" '{"points":23}'
read -r K2 _ <<<"$(next "$M1")"
[ "$(is_control "$K2")" = "control:$C2" ] || fail "mk1's second script should be control 2"
# the scheme holds for a control script as for any
mapi "$M1" POST "/api/v1/scripts/$K2/marks" '{"items":[11,2]}'
expect_error 400 MARKING_INVALID
mark "$M1" "$K2" '{"items":[5,8]}'
# then the real scripts: round 1, the same view
R=()
for i in 1 2 3 4; do
	read -r code r <<<"$(next "$M1")"
	[ "$(is_control "$code")" = real ] || fail "mk1 got a control script again: $code"
	[ "$r" = 1 ] || fail "mk1's real script $i is round $r"
	[ "$i" = 1 ] && jq -c 'del(.script.code, .script.round, .script.taken_at) | .script | keys' "$WORK/body" >"$WORK/real.keys"
	R[$i]=$code
	mark "$M1" "$code" '{"points":20}'
done
cmp -s "$WORK/control.keys" "$WORK/real.keys" || fail "a control script looks different: $(cat "$WORK/control.keys") / $(cat "$WORK/real.keys")"
[ "$(next "$M1")" = none ] || fail "mk1 was handed more"

# ---- suspension (GRD-1, AH 56/59): held scripts released, nothing more handed out ----
read -r K3 _ <<<"$(next "$M3")"
[ "$(is_control "$K3")" = "control:$C1" ] || fail "mk3's first script should be control 1"
api "$M1" POST "$MK/suspensions" '{"marker":"mk3","reason":"评分明显偏离"}'
expect_error 403 FORBIDDEN
api "$LEAD" POST "$MK/suspensions" '{"marker":"nobody","reason":"x","colour":1}'
expect_error 400 MARKING_INVALID
api "$LEAD" POST "$MK/suspensions" '{"marker":"lead","reason":"x"}'
expect_error 400 MARKING_INVALID
expect_json '.error.details.fields[0].problem' self
api "$LEAD" POST "$MK/suspensions" '{"marker":"mk3"}'
expect_error 400 MARKING_INVALID
expect_json '.error.details.fields[0].field' reason
api "$LEAD" POST "$MK/suspensions" '{"marker":"mk3","reason":"评分明显偏离"}'
expect_status 201
expect_json .released 1
expect_json '.items[] | select(.marker == "mk3") | .suspended' true
api "$LEAD" POST "$MK/suspensions" '{"marker":"mk3","reason":"again"}'
expect_error 409 MARKING_SUSPENDED_ALREADY
mapi "$M3" POST "$MK/next"
expect_error 422 MARKING_SUSPENDED
expect_json .error.rule GRD-1
mapi "$M3" GET "/api/v1/scripts/$K3"
expect_error 404 NOT_FOUND
api "$M3" GET /api/v1/markings
expect_json '.items[0].suspended' true
# lifted: mk3 marks again, a new copy of the control script
api "$LEAD" DELETE "$MK/suspensions/mk3"
expect_status 200
expect_json '[.items[] | select(.marker == "mk3" and .suspended)] | length' 0
api "$LEAD" DELETE "$MK/suspensions/mk3"
expect_error 409 MARKING_NOT_SUSPENDED
api "$LEAD" DELETE "$MK/suspensions/nobody"
expect_error 404 NOT_FOUND
read -r K3b _ <<<"$(next "$M3")"
[ "$(is_control "$K3b")" = "control:$C1" ] && [ "$K3b" != "$K3" ] || fail "mk3 should get a new copy of control 1: $K3b"
mark "$M3" "$K3b" '{"points":20}'
read -r K4 _ <<<"$(next "$M3")"
mark "$M3" "$K4" '{"points":10}'
# mk3 takes a real script (round 2), then is suspended again: it goes back to the others
read -r HELD r <<<"$(next "$M3")"
[ "$(is_control "$HELD") $r" = "real 2" ] || fail "mk3 should hold a real script in round 2: $(is_control "$HELD") $r"
api "$LEAD" POST "$MK/suspensions" '{"marker":"mk3","reason":"第二次暂停"}'
expect_status 201
expect_json .released 1
[ "$(db_query "SELECT COUNT(*) FROM script_marks k JOIN users u ON u.id = k.marker_id WHERE u.username = 'mk3' AND k.points IS NULL")" = 0 ] ||
	fail "mk3's held script was not released"

# ---- mk2: both controls first, then the four scripts in round 2 (the released one too) ----
read -r K5 r <<<"$(next "$M2")"
[ "$r" = 2 ] || fail "mk2's control script shows round $r, where every real script is in round 2"
mark "$M2" "$K5" '{"points":20}'
read -r K6 _ <<<"$(next "$M2")"
mark "$M2" "$K6" '{"points":10}'
seen=""
for i in 1 2 3 4; do
	read -r code r <<<"$(next "$M2")"
	[ "$(is_control "$code") $r" = "real 2" ] || fail "mk2's script $i: $(is_control "$code") $r"
	seen="$seen $code"
	mark "$M2" "$code" '{"points":17}'
done
case "$seen" in *"$HELD"*) ;; *) fail "the script mk3 held was not handed to mk2" ;; esac
# 20 and 17 are within 3: 18.5 each; the controls are neither final nor counted
[ "$(db_query "SELECT COUNT(*) || ' ' || SUM(final) FROM scripts WHERE stage = 'final' AND control_id IS NULL")" = "4 7400" ] ||
	fail "finals: $(db_query "SELECT code, stage, final FROM scripts")"
[ "$(db_query "SELECT COUNT(*) FROM scripts WHERE control_id IS NOT NULL AND (stage <> 'control' OR final IS NOT NULL)")" = 0 ] ||
	fail "a control script was resolved"

# ---- a control script added later (by the lead), handed out to whoever has not had it ----
api "$M1" POST "$MK/controls" '{"points":15}'
expect_error 403 FORBIDDEN
api "$LEAD" POST "$MK/controls" '{"points":31,"label":1}'
expect_error 400 MARKING_INVALID
expect_json '[.error.details.fields[] | "\(.field):\(.problem)"] | sort | join(",")' "label:type,points:points_range"
api "$LEAD" POST "$MK/controls" '{"points":15,"items":[5,9]}'
expect_error 400 MARKING_INVALID
expect_json '.error.details.fields[0].problem' not_items_sum
api "$LEAD" POST "$MK/controls" '{"points":15,"items":[5,10],"label":"样卷三"}'
expect_status 201
expect_json '.items | length' 3
C3=$(db_query "SELECT MAX(id) FROM marking_controls")
read -r K7 _ <<<"$(next "$M1")"
[ "$(is_control "$K7")" = "control:$C3" ] || fail "mk1 should get the new control script"
mark "$M1" "$K7" '{"points":18}'

# ---- the arbitration queue on its own (round 4): the chief marker only ----
api "$M1" POST "$MK/next?round=4"
expect_error 403 FORBIDDEN
api "$LEAD" POST "$MK/next?round=5"
expect_error 400 MARKING_INVALID
api "$LEAD" POST "$MK/next?round=4"
expect_status 200
expect_json .script null
api "$LEAD" GET "$MK"
expect_json '.arbitration | length' 0
expect_json '.controls | "\(.seeded) \(.marked)"' "3 7"

# ---- the flags (GRD-2, AH 57(3)): threshold 1 point, 2 scripts at least, window 2 ----
api "$M1" GET "$MK/markers"
expect_error 403 FORBIDDEN
api "$LEAD" GET "$MK/markers"
expect_status 200
st() { jq -r --arg m "$1" '.items[] | select(.marker == $m) | "\(.marks) \(.mean) \(.compared) \(.mean_difference) \(.control.marks) \(.control.mean_difference) \(.drift) \(.suspended)"' "$WORK/body"; }
fl() { jq -r --arg m "$1" '[.items[] | select(.marker == $m) | .flags[] | "\(.flag)/\(.basis)/\(.value)"] | join(",")' "$WORK/body"; }
# mk1: 20 on scripts the other marked 17 (+3); 23, 13, 18 on controls of 20, 10, 15 (+3 each)
[ "$(st mk1)" = "4 20 4 3 3 3 0 false" ] || fail "mk1's statistics: $(st mk1)"
[ "$(fl mk1)" = "lenient/peers/3,lenient/control/3" ] || fail "mk1's flags: $(fl mk1)"
# mk2: in line with the expert on the controls (0), then 3 below mk1: strict against the
# other marker, and a drift of -3 from their first two marks to their last two
[ "$(st mk2)" = "4 17 4 -3 2 0 -3 false" ] || fail "mk2's statistics: $(st mk2)"
[ "$(fl mk2)" = "strict/peers/-3,drift/marks/-3" ] || fail "mk2's flags: $(fl mk2)"
# mk3: two controls on the expert mark, no real script, suspended
[ "$(st mk3)" = "0 null 0 null 2 0 null true" ] || fail "mk3's statistics: $(st mk3)"
[ "$(fl mk3)" = "" ] || fail "mk3's flags: $(fl mk3)"
expect_json .group.marks 8
api "$LEAD" GET "$MK/controls"
expect_json '[.items[] | "\(.handed_out) \(.marked) \(.mean_difference)"] | join(",")' "3 3 1,3 3 1,1 1 3"

# ---- the lead adds up, agency staff check (GRD-3): the controls are outside the totals ----
api "$LEAD" POST "$MK/close"
expect_status 200
expect_json .status closed
expect_json .total 74
expect_json .finished 4
expect_json .closed_by lead
api "$LEAD" POST "$MK/confirm" '{"total":"74","scripts":4}'
expect_error 403 FORBIDDEN
api "$LEAD" POST "$MK/controls" '{"points":15}'
expect_error 409 MARKING_CLOSED
api "$LEAD" POST "$MK/suspensions" '{"marker":"mk1","reason":"x"}'
expect_error 409 MARKING_CLOSED
api "$AG" POST "$MK/confirm" '{"total":"74","scripts":4}'
expect_status 200
expect_json .status confirmed
api "$AG" GET "$MK/results"
expect_status 200
expect_json '.items | length' 4
expect_json '[.items[].final] | unique | join(",")' 18.5
for k in "$K1" "$K2" "$K3b" "$K4" "$K5" "$K6" "$K7"; do
	grep -qF "$k" "$WORK/body" && fail "control script $k is among the results"
done

# ---- nothing a marker was shown identifies a candidate, nor shows an expert mark ----
jq -s -e '[.[] | .. | objects | keys[]] | unique | map(select(test("registration|ticket|name|candidate|control|expert|label"))) == []' "$WORK/marker.log" >/dev/null ||
	fail "a marker's answer has such fields: $(jq -s -c '[.[] | .. | objects | keys[]] | unique' "$WORK/marker.log")"
! grep -qF '样卷' "$WORK/marker.log" || fail "a marker saw a control script's label"
for a in score.marking.control score.marking.control.copy score.marking.suspend score.marking.release score.marking.reinstate; do
	[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = '$a'")" != 0 ] || fail "no audit record $a"
done
audit_verify 0
echo ok
