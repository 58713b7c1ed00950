#!/usr/bin/env bash
# The proctor lottery with recusal (SEAT-2, SEAT-3, SEC-3; PQ 19-20, AH 48): over the
# published seating, at least 2 proctors per room, a roving proctor per floor and a chief
# examiner per centre, drawn from the area's trained staff by a committed-then-revealed seed
# anyone can replay with `kaowu draw shuffle`; volunteers, the untrained, a member of staff
# whose spouse sits the exam and one who registered for it herself are never drawn, each
# exclusion explained; too few eligible staff fails whole with the gap per centre; the wall
# between provinces; audit verify.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
PTA=$(unit AH-PTA provincial_agency provincial "$AH")
HF=$(unit AH-HF area_agency prefecture "$PTA")
JS=$(unit JS provincial_authority provincial "$root")
staff agency agency_staff "$PTA"; AG=$TOKEN
staff jsag agency_staff "$JS"; JSAG=$TOKEN

api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"HF-01\",\"name\":\"合肥一中\",\"address\":\"合肥市\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
C1=$(jq -r .id "$WORK/body")
for r in 101:1 102:1 201:2; do
	api "$A" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"${r%:*}\",\"seats\":30,\"mode\":\"paper\",\"floor\":${r#*:}}"
	expect_status 201
done
window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01","fee_approval":"皖发改收费〔2026〕8号"'
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ27\",\"name\":\"经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,$window}"
QE=$(jq -r .id "$WORK/body")
for s in 01:09 02:14; do
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"${s%:*}\",\"name\":\"科目${s%:*}\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T${s#*:}:00:00+08:00\"}"
	expect_status 201
done
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
declare -A IDN
for n in 1 2 3 4 5 6; do
	IDN[$n]=$(idcard 340104 "1990010$n" "00$n")
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$n]}" '{id_number:$i,name:"考生",phone:"13800000000",password:"cand-pass-1"}')"
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$n]}\",\"password\":\"cand-pass-1\"}"
	t=$(jq -r .token "$WORK/body")
	if [ "$n" -le 3 ]; then s='["01"]'; else s='["01","02"]'; fi
	api "$t" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" --argjson s "$s" '{exam_id:$e,subjects:$s,route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"}')"
	expect_status 201
	reg=$(jq -r .id "$WORK/body")
	api "$t" POST "/api/v1/registrations/$reg/payments" '{"provider":"test"}' -H "Idempotency-Key: p-$n"
	api "$t" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
done

# ---- the staff pool (ORG-3/4) and the declarations (SEC-3) ----
declare -A SID
member() { # CODE POST EMPLOYMENT TRAINED [EXTRA-JSON]
	api "$A" POST /api/v1/staff "{\"unit_id\":$HF,\"code\":\"$1\",\"name\":\"人员$1\",\"post\":\"$2\",\"employment\":\"$3\"${5:+,$5}}"
	expect_status 201
	SID[$1]=$(jq -r .id "$WORK/body")
	[ "$4" = yes ] || return 0
	api "$A" POST /api/v1/trainings "{\"staff_id\":${SID[$1]},\"course\":\"监考培训\",\"trained_on\":\"2027-05-01\",\"result\":\"passed\"}"
	expect_status 201
}
member K1 chief_examiner full_time yes
member P1 proctor full_time yes
member P2 proctor part_time yes
member P3 proctor full_time yes
member V1 proctor volunteer yes
member U1 proctor full_time no
member S1 proctor full_time yes
member S2 proctor full_time yes "\"id_number\":\"${IDN[2]}\""
member R1 roving_proctor full_time yes
api "$A" POST /api/v1/staff_relations "{\"staff_id\":${SID[S1]},\"relation\":\"spouse\",\"relative_name\":\"考生\",\"relative_id_number\":\"${IDN[1]}\",\"declared_on\":\"2027-04-01\"}"
expect_status 201
expect_json .relative_id_number "${IDN[1]:0:6}********${IDN[1]:14:4}"

# ---- before the seating is published: no lottery ----
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_error 409 SEATING_NOT_PUBLISHED
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{}'
expect_status 201
RUN=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/seating_runs/$RUN/seat"
expect_json .exam_rooms 2
api "$AG" POST "/api/v1/seating_runs/$RUN/publish"
expect_status 200

# ---- SEAT-2: too few eligible proctors (2 rooms need 4; 3 are eligible) ----
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{"sitting":1}'
expect_error 422 PROCTOR_DRAW_ON_EXAM_DAY
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_error 422 PROCTORS_SHORT
expect_json '.error.details.shortfalls | length' 1
expect_json '.error.details.shortfalls[0].centre' HF-01
expect_json '.error.details.shortfalls[0].duty' proctor
expect_json '.error.details.shortfalls[0].needed' 2
expect_json '.error.details.shortfalls[0].available' 1
# every exclusion explained (SEC-3: the spouse and the self-registered; PQ 20(2); ORG-4)
expect_json '[.error.details.excluded[] | .staff + ":" + .reason] | sort | join(",")' \
	S1:conflict_spouse,S2:conflict_self,U1:not_trained,V1:volunteer
[ "$(db_query "SELECT COUNT(*) FROM proctor_draws")" = 0 ] || fail "an infeasible lottery left a draw"

member P4 proctor full_time yes
member P5 proctor full_time yes "\"cbt_capable\":true"
api "$JSAG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_error 404 NOT_FOUND
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_status 201
D=$(jq -r .id "$WORK/body")
expect_json .status committed
expect_json .seed null
COMMIT=$(jq -r .commitment "$WORK/body")
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_error 409 PROCTOR_DRAW_EXISTS
api "$AG" POST "/api/v1/proctor_draws/$D/draw"
expect_status 200
expect_json .status drawn
SEED=$(jq -r .seed "$WORK/body")
"$KAOWU" draw verify "$SEED" "$COMMIT" >/dev/null || fail "the revealed seed is not the committed one"
expect_json '.assignments | length' 6
expect_json '[.assignments[] | select(.duty == "chief") | .staff] | join(",")' K1
expect_json '[.assignments[] | select(.duty == "roving") | "\(.staff)@\(.floor)"] | join(",")' R1@1
expect_json '[.assignments[] | select(.duty == "proctor") | .room] | group_by(.) | map(length) | join(",")' 2,2
for x in S1 S2 U1 V1; do
	[ "$(jq -r --arg x "$x" '[.assignments[] | select(.staff == $x)] | length' "$WORK/body")" = 0 ] || fail "$x was drawn"
done
# Anyone replays it: the eligible proctors in staff-id order, shuffled for the published purpose.
elig=(); for x in P1 P2 P3 P4 P5; do elig+=("$x"); done
perm=($("$KAOWU" draw shuffle "$SEED" "proctor:exam=JJ27:sitting=0:area=AH-HF:duty=proctor" 5))
want="${elig[${perm[0]}]},${elig[${perm[1]}]}|${elig[${perm[2]}]},${elig[${perm[3]}]}"
got=$(jq -r '[.assignments[] | select(.duty == "proctor")] | group_by(.room) | map(map(.staff) | sort | join(",")) | join("|")' "$WORK/body")
wsorted=$(echo "$want" | tr '|' '\n' | while read -r l; do echo "$l" | tr ',' '\n' | sort | paste -sd,; done | paste -sd'|')
[ "$got" = "$wsorted" ] || fail "the replay gives $wsorted, the draw $got"
api "$AG" POST "/api/v1/proctor_draws/$D/draw"
expect_error 409 PROCTOR_DRAW_DONE
api "$JSAG" GET "/api/v1/proctor_draws/$D"
expect_error 404 NOT_FOUND

audit_verify 0
echo "ok"
