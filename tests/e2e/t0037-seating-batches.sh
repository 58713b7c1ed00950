#!/usr/bin/env bash
# kw-e2e: cost 50
# Seating written in batches (SEAT-1, VEN-5; issue 7): src/app/seating.c writes exam rooms 32
# and seats 128 to a statement, in an order of its own (blocks of registrations, each in seat
# order). Here 150 candidates of two areas sit in exam rooms of 2 (the run's capacity), so
# both full and partial statements are used for both tables. Every stored seat must be the
# assignment `kaowu seat verify` computes from nothing but the public inputs and the revealed
# seed; each exam room's count and first and last ticket numbers (its door label) must be
# those of its seats; ticket numbers unique; audit verify walks every row. Capacity takes the
# run's ticket scheme as a query parameter: a scheme too narrow for the room numbers makes the
# plan infeasible.
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
WH=$(unit AH-WH area_agency prefecture "$PTA")
staff agency agency_staff "$PTA"; AG=$TOKEN

# ---- venues: one centre an area, 60 rooms of 4 seats each on three floors (rooms import) ----
for c in HF:$HF WH:$WH; do
	api "$A" POST /api/v1/centres "{\"unit_id\":${c#*:},\"code\":\"${c%:*}-01\",\"name\":\"${c%:*} 第一中学\",\"address\":\"${c%:*} 路1号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
	expect_status 201
done
{
	echo "centre_code,code,seats,mode,floor"
	for c in HF-01 WH-01; do for i in $(seq 1 60); do echo "$c,$((i / 20 + 1))$(printf %02d $((i % 20))),4,paper,$((i / 20 + 1))"; done; done
} >"$WORK/rooms.csv"
api "$A" POST /api/v1/rooms/import --data-binary "@$WORK/rooms.csv" -H 'Content-Type: text/csv'
expect_status 201

# ---- the exam, and 150 candidates who register and pay ----
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ27\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"2027-06-01\",\"ref_date\":\"2027-06-01\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T09:00:00+08:00\"}"
expect_status 201
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"02\",\"name\":\"专业知识和实务\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T14:00:00+08:00\"}"
expect_status 201
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
N=150
for n in $(seq 1 $N); do
	idn=$(idcard 340104 19900101 "$(printf %03d "$n")")
	if [ $((n % 2)) = 1 ]; then s='["01","02"]'; else s='["01"]'; fi
	if [ $((n % 3)) = 0 ]; then area=AH-WH; else area=AH-HF; fi
	api "" POST /api/v1/candidates "{\"id_number\":\"$idn\",\"name\":\"考生$n\",\"phone\":\"13800000000\",\"password\":\"cand-pass-1\"}"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$idn\",\"password\":\"cand-pass-1\"}"
	expect_status 201
	t=$(jq -r .token "$WORK/body")
	api "$t" POST /api/v1/registrations "{\"exam_id\":$QE,\"subjects\":$s,\"route\":\"pledge\",\"pledge_version\":\"$PQV\",\"pledge_accepted\":true,\"area\":\"$area\"}"
	expect_status 201
	api "$t" POST "/api/v1/registrations/$(jq -r .id "$WORK/body")/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$n"
	expect_status 201
	api "$t" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
done

# ---- capacity (SEAT-1): the run's scheme as a parameter ----
api "$AG" GET "/api/v1/exams/$QE/capacity?capacity=2"
expect_status 200
expect_json .feasible true
expect_json .candidates $N
# 75 exam rooms: room numbers up to 50 in HF-01 do not fit one digit
api "$AG" GET "/api/v1/exams/$QE/capacity?capacity=2&ticket_scheme=%7Barea%3A1%7D%7Bcentre%3A1%7D%7Broom%3A1%7D%7Bseat%3A1%7D"
expect_status 200
expect_json .feasible false
expect_json .rule.ticket_scheme '{area:1}{centre:1}{room:1}{seat:1}'
api "$AG" GET "/api/v1/exams/$QE/capacity?capacity=2&ticket_scheme=%7Broom%3A3%7D"
expect_error 400 SEAT_RULE_INVALID

# ---- a run in exam rooms of 2 ----
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":2,"accommodation_capacity":2}}'
expect_status 201
RUN=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/seating_runs/$RUN/seat"
expect_status 200
expect_json .status seated
XR=$(jq -r .exam_rooms "$WORK/body")
[ "$XR" -gt 64 ] || fail "only $XR exam rooms: not more than two full statements of 32"
[ "$(db_query "SELECT COUNT(*) FROM seats WHERE run_id = $RUN")" = $N ] || fail "not $N seats"
api "$AG" POST "/api/v1/seating_runs/$RUN/publish"
expect_status 200

# The stored assignment is the one an auditor computes from the public page alone.
api "" GET "/api/v1/public/exams/JJ27/seating"
expect_status 200
SEED=$(jq -r '.runs[0].seed' "$WORK/body")
COMMIT=$(jq -r '.runs[0].commitment' "$WORK/body")
IND=$(jq -r '.runs[0].inputs_digest' "$WORK/body")
ASD=$(jq -r '.runs[0].assignment_digest' "$WORK/body")
api "" GET "/api/v1/public/seating_runs/$RUN/inputs"
expect_status 200
cp "$WORK/body" "$WORK/inputs.txt"
"$KAOWU" seat verify --inputs "$WORK/inputs.txt" --seed "$SEED" --commitment "$COMMIT" \
	--inputs-digest "$IND" --assignment-digest "$ASD" --out "$WORK/assignment.tsv" >"$WORK/verify.txt" ||
	fail "seat verify failed: $(cat "$WORK/verify.txt")"
db_query "SELECT s.registration_id, u.code, c.code, m.code, x.number, s.seat_no, s.ticket_no FROM seats s JOIN exam_rooms x ON x.id = s.exam_room_id JOIN units u ON u.id = x.area_id JOIN centres c ON c.id = x.centre_id JOIN rooms m ON m.id = x.room_id WHERE s.run_id = $RUN ORDER BY s.registration_id" | tr '|' '\t' >"$WORK/stored.tsv"
[ "$(wc -l <"$WORK/stored.tsv")" = $N ] || fail "stored: $(wc -l <"$WORK/stored.tsv") seats"
diff "$WORK/assignment.tsv" "$WORK/stored.tsv" || fail "the stored seats differ from the verified assignment"

# Each exam room: its count and door-label numbers are those of its seats (VEN-5).
[ "$(db_query "SELECT COUNT(*) FROM exam_rooms x WHERE x.run_id = $RUN AND (x.seats_taken <> (SELECT COUNT(*) FROM seats s WHERE s.exam_room_id = x.id) OR x.first_ticket <> (SELECT MIN(s.ticket_no) FROM seats s WHERE s.exam_room_id = x.id) OR x.last_ticket <> (SELECT MAX(s.ticket_no) FROM seats s WHERE s.exam_room_id = x.id))")" = 0 ] ||
	fail "an exam room's count or first/last ticket number is not that of its seats"
[ "$(db_query "SELECT COUNT(DISTINCT ticket_no) FROM seats WHERE run_id = $RUN")" = $N ] || fail "ticket numbers not unique"
[ "$(db_query "SELECT COUNT(*) FROM exam_rooms x JOIN rooms m ON m.id = x.room_id WHERE x.run_id = $RUN AND (x.centre_id <> m.centre_id OR x.seats_taken > 2)")" = 0 ] ||
	fail "an exam room in the wrong centre, or over the run's capacity"
api "$AG" GET "/api/v1/seating_runs/$RUN/rooms"
expect_status 200
expect_json '.items | length' "$XR"
audit_verify 0
echo "ok"
