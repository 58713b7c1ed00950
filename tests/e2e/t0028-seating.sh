#!/usr/bin/env bash
# kw-e2e: cost 50
# Seating (SEAT-1, VEN-4, VEN-5): the exam area a candidate chooses; capacity with the
# shortfall per area and subject group and the blocked centre left out; a run committed
# (inputs digest and seed commitment public, the inputs file free of personal data), refused
# when the inputs change before the draw, discarded with its seed revealed, committed again,
# seated, verified by `kaowu seat verify` from nothing but the public page, and published;
# no second run after publication; the wall between provinces; audit verify.
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
JS=$(unit JS provincial_authority provincial "$root")
JSA=$(unit JS-NJ area_agency prefecture "$JS")
staff agency agency_staff "$PTA"; AG=$TOKEN
staff rev qualification_reviewer "$PTA"; REV=$TOKEN
staff jsag agency_staff "$JS"; JSAG=$TOKEN
staff agency2 agency_staff "$PTA"; AG2=$TOKEN

# ---- venues: a centre with rooms on two floors, a blocked centre (VEN-4), another area ----
centre() { # AREA CODE → id
	api "$A" POST /api/v1/centres "{\"unit_id\":$1,\"code\":\"$2\",\"name\":\"$2 中学\",\"address\":\"$2 路1号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
	expect_status 201
	jq -r .id "$WORK/body"
}
room() { # CENTRE CODE SEATS FLOOR
	api "$A" POST /api/v1/rooms "{\"centre_id\":$1,\"code\":\"$2\",\"seats\":$3,\"mode\":\"paper\",\"floor\":$4}"
	expect_status 201
}
C1=$(centre "$HF" HF-01)
room "$C1" 101 8 1
room "$C1" 102 8 1
room "$C1" 103 30 1
room "$C1" 201 40 2
# Bad input: a room with no seats is refused where rooms are made (VEN-5).
api "$A" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"000\",\"seats\":0,\"mode\":\"paper\"}"
expect_error 400 VALIDATION_FAILED
C2=$(centre "$HF" HF-02)
room "$C2" 101 30 1
api "$A" POST /api/v1/incidents "{\"centre_id\":$C2,\"occurred_on\":\"2026-07-05\",\"description\":\"考试期间发生重大泄密事件\",\"major\":true}"
expect_status 201
W1=$(centre "$WH" WH-01)
room "$W1" 101 30 1
room "$W1" 102 30 1

# ---- the exam: two sittings ----
window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01","fee_approval":"皖发改收费〔2026〕8号"'
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ27\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,$window}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T09:00:00+08:00\"}"
expect_status 201
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"02\",\"name\":\"专业知识和实务\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T14:00:00+08:00\"}"
expect_status 201
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")

# register N AREA SUBJECTS [ACCOMMODATION] [nopay]: a candidate who registers (and pays).
declare -A REG IDN TOKS
register() {
	local n=$1 area=$2 subj=$3 acc=${4:-} pay=${5:-pay}
	IDN[$n]=$(idcard 340104 "199$((n % 10))0101" "$(printf %03d "$n")")
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$n]}" '{id_number:$i,name:"考生甲",phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$n]}\",\"password\":\"cand-pass-1\"}"
	local t
	t=$(jq -r .token "$WORK/body")
	TOKS[$n]=$t
	local b
	b=$(jq -nc --argjson e "$QE" --arg v "$PQV" --argjson s "$subj" --arg a "$area" --arg acc "$acc" \
		'{exam_id:$e,subjects:$s,route:"pledge",pledge_version:$v,pledge_accepted:true} + (if $a == "" then {} else {area:$a} end) + (if $acc == "" then {} else {accommodation:$acc} end)')
	api "$t" POST /api/v1/registrations "$b"
	expect_status 201
	REG[$n]=$(jq -r .id "$WORK/body")
	[ -z "$area" ] || expect_json .area "$area"
	[ "$pay" = pay ] || return 0
	api "$t" POST "/api/v1/registrations/${REG[$n]}/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$n"
	expect_status 201
	api "$t" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
}
for n in $(seq 1 18); do
	if [ $((n % 2)) = 1 ]; then s='["01","02"]'; else s='["01"]'; fi
	if [ "$n" = 3 ]; then register "$n" AH-HF "$s" 轮椅通道; else register "$n" AH-HF "$s"; fi
done
for n in $(seq 19 24); do register "$n" AH-WH '["02","01"]'; done
register 25 "" '["01"]'
register 26 AH-WH '["01"]' "" nopay
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[26]}\",\"password\":\"cand-pass-1\"}"
T26=$(jq -r .token "$WORK/body")
api "$T26" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true,area:"JS-NJ"}')"
expect_error 400 VALIDATION_FAILED
[ "$(db_query "SELECT area_id FROM registrations WHERE id = ${REG[26]}")" = "$WH" ] || fail "a repeat changed the area"
# Bad input: an exam area of another province, or a unit that is no exam area.
IDX=$(idcard 340104 19870101 777)
api "" POST /api/v1/candidates "$(jq -nc --arg i "$IDX" '{id_number:$i,name:"考生丙",phone:"13800000000",password:"cand-pass-1"}')"
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$IDX\",\"password\":\"cand-pass-1\"}"
TX=$(jq -r .token "$WORK/body")
for a in JS-NJ AH-PTA NOPE; do
	api "$TX" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" --arg a "$a" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true,area:$a}')"
	expect_error 400 VALIDATION_FAILED
	expect_json '.error.details.fields[0].field' area
	expect_json '.error.details.fields[0].problem' not_an_exam_area
done

# ---- capacity (SEAT-1, VEN-4): shortfalls named per area and subject group ----
api "$AG" GET "/api/v1/exams/$QE/capacity?capacity=4"
expect_status 200
expect_json .feasible false
expect_json .without_area 1
expect_json '.centres_left_out[0].centre' HF-02
expect_json '.centres_left_out[0].reason' BLOCKED_BY_INCIDENT
expect_json '.shortfalls[0].area' AH-HF
expect_json '.shortfalls[0].subjects' 01+02
expect_json '.shortfalls[0].candidates' 9
expect_json '.shortfalls[0].short' 5
expect_json '[.areas[] | select(.area == "AH-WH") | .groups[0].subjects] | .[0]' 01+02
api "$AG" GET "/api/v1/exams/$QE/capacity?capacity=abc"
expect_error 400 SEAT_RULE_INVALID
# a ticket scheme that is not UTF-8 text: refused like any bad rule, not a crash
api "$AG" GET "/api/v1/exams/$QE/capacity?capacity=4&ticket_scheme=%7Bseat%3A4%7D%FF"
expect_error 400 SEAT_RULE_INVALID
api "$JSAG" GET "/api/v1/exams/$QE/capacity"
expect_error 404 NOT_FOUND
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":4}}'
expect_error 422 SEAT_AREA_MISSING
# SEAT-1: staff of the exam's unit set the area a registration lacks; bad input changes nothing
api "$AG" PUT "/api/v1/registrations/${REG[25]}/area" '{"area":"JS-NJ"}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' not_an_exam_area
api "$AG" PUT "/api/v1/registrations/${REG[25]}/area" '{"area":"AH-WH","seat":"01"}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' seat
api "$JSAG" PUT "/api/v1/registrations/${REG[25]}/area" '{"area":"AH-WH"}'
expect_error 404 NOT_FOUND
api "${TOKS[25]}" PUT "/api/v1/registrations/${REG[25]}/area" '{"area":"AH-WH"}'
expect_status 403
[ "$(db_query "SELECT COALESCE(area_id, 0) FROM registrations WHERE id = ${REG[25]}")" = 0 ] || fail "a refused area change was written"
# The candidate without an area is not seated once their registration is rejected.
api "$REV" POST "/api/v1/registrations/${REG[25]}/review" '{"decision":"reject","reason":"未选择考区，且逾期未补正。"}'
expect_status 200
api "$AG" PUT "/api/v1/registrations/${REG[25]}/area" '{"area":"AH-WH","accommodation":null}'
expect_status 200
expect_json .area AH-WH
[ "$(db_query "SELECT area_id FROM registrations WHERE id = ${REG[25]}")" = "$WH" ] || fail "the area set by staff is not stored"
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":4}}'
expect_error 422 SEATS_SHORT
expect_json '.error.details.shortfalls[0].short' 5
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30,"ticket_scheme":"{area:2}{room:3}{seat:2}"}}'
expect_error 400 SEAT_RULE_INVALID
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30},"place":{"reg":1,"seat":1}}'
expect_error 400 VALIDATION_FAILED

# ---- commit: inputs digest and seed commitment published, the seed kept ----
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
expect_status 201
RUN1=$(jq -r .id "$WORK/body")
expect_json .status committed
expect_json .seed null
expect_json .candidates 24
COMMIT1=$(jq -r .commitment "$WORK/body")
[ ${#COMMIT1} = 64 ] || fail "no commitment"
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
expect_error 409 SEATING_OPEN
api "" GET "/api/v1/public/exams/JJ27/seating"
expect_status 200
expect_json '.runs[0].commitment' "$COMMIT1"
expect_json '.runs[0].seed' null
# The inputs file is public, matches its digest and names nobody.
api "" GET "/api/v1/public/seating_runs/$RUN1/inputs"
expect_status 200
cp "$WORK/body" "$WORK/inputs1.txt"
[ "$(sha256sum <"$WORK/inputs1.txt" | cut -c1-64)" = "$(db_query "SELECT inputs_digest FROM seating_runs WHERE id = $RUN1")" ] || fail "inputs file does not match its digest"
grep -q "^cand	${REG[3]}	AH-HF	01+02	1$" "$WORK/inputs1.txt" || fail "the accommodation candidate's line: $(grep "^cand	${REG[3]}	" "$WORK/inputs1.txt")"
for n in 1 3 19; do ! grep -q "${IDN[$n]}" "$WORK/inputs1.txt" || fail "an identity number in the public inputs"; done
! grep -q '考生' "$WORK/inputs1.txt" || fail "a name in the public inputs"
! grep -q 'HF-02' "$WORK/inputs1.txt" || fail "the blocked centre's rooms are in the inputs"

# ---- the inputs change before the draw: refused; the run is discarded, its seed revealed ----
api "$T26" POST "/api/v1/registrations/${REG[26]}/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-26"
expect_status 201
api "$T26" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
expect_status 200
api "$AG" POST "/api/v1/seating_runs/$RUN1/seat"
expect_error 409 SEAT_INPUTS_CHANGED
api "$AG" POST "/api/v1/seating_runs/$RUN1/discard" '{}'
expect_error 400 VALIDATION_FAILED
api "$AG" POST "/api/v1/seating_runs/$RUN1/discard" '{"reason":"承诺后又有考生完成缴费，重新承诺。"}'
expect_status 200
expect_json .status discarded
SEED1=$(jq -r .seed "$WORK/body")
"$KAOWU" draw verify "$SEED1" "$COMMIT1" >/dev/null || fail "the revealed seed does not match its commitment"
api "$AG" POST "/api/v1/seating_runs/$RUN1/seat"
expect_error 409 SEATING_NOT_COMMITTED

# ---- commit again, seat, verify from the public page alone ----
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
expect_status 201
RUN2=$(jq -r .id "$WORK/body")
expect_json .candidates 25
api "$JSAG" POST "/api/v1/seating_runs/$RUN2/seat"
expect_error 404 NOT_FOUND
api "$REV" POST "/api/v1/seating_runs/$RUN2/seat"
expect_error 403 FORBIDDEN
api "$AG" POST "/api/v1/seating_runs/$RUN2/seat"
expect_status 200
expect_json .status seated
expect_json .exam_rooms 6
[ "$(db_query "SELECT COUNT(*) FROM seating_seeds")" = 0 ] || fail "a revealed seed is still kept"
api "" GET "/api/v1/public/exams/$QE/seating"
expect_json '.runs | length' 2
expect_json '.runs[0].status' discarded
expect_json '.runs[0].reason' 承诺后又有考生完成缴费，重新承诺。
SEED2=$(jq -r '.runs[1].seed' "$WORK/body")
COMMIT2=$(jq -r '.runs[1].commitment' "$WORK/body")
IND2=$(jq -r '.runs[1].inputs_digest' "$WORK/body")
ASD2=$(jq -r '.runs[1].assignment_digest' "$WORK/body")
api "" GET "/api/v1/public/seating_runs/$RUN2/inputs"
cp "$WORK/body" "$WORK/inputs2.txt"
"$KAOWU" seat verify --inputs "$WORK/inputs2.txt" --seed "$SEED2" --commitment "$COMMIT2" \
	--inputs-digest "$IND2" --assignment-digest "$ASD2" --out "$WORK/assignment.tsv" >"$WORK/verify.txt" ||
	fail "seat verify failed: $(cat "$WORK/verify.txt")"
grep -q 'verified\|核验通过' "$WORK/verify.txt" || fail "seat verify said: $(cat "$WORK/verify.txt")"
# The assignment an auditor computes is the one stored, seat for seat.
db_query "SELECT s.registration_id, u.code, c.code, m.code, x.number, s.seat_no, s.ticket_no FROM seats s JOIN exam_rooms x ON x.id = s.exam_room_id JOIN units u ON u.id = x.area_id JOIN centres c ON c.id = x.centre_id JOIN rooms m ON m.id = x.room_id WHERE s.run_id = $RUN2 ORDER BY s.registration_id" | tr '|' '\t' >"$WORK/stored.tsv"
diff "$WORK/assignment.tsv" "$WORK/stored.tsv" || fail "the stored seats differ from the verified assignment"
# A wrong seed, or inputs changed by one line, do not verify.
! "$KAOWU" seat verify --inputs "$WORK/inputs2.txt" --seed "$SEED1" --commitment "$COMMIT2" --assignment-digest "$ASD2" >/dev/null || fail "a wrong seed verified"
sed "s/^cand	${REG[2]}	AH-HF	01	0$/cand	${REG[2]}	AH-HF	01	1/" "$WORK/inputs2.txt" >"$WORK/tampered.txt"
! cmp -s "$WORK/inputs2.txt" "$WORK/tampered.txt" || fail "the tampering did not change the file"
! "$KAOWU" seat verify --inputs "$WORK/tampered.txt" --seed "$SEED2" --inputs-digest "$IND2" >/dev/null || fail "tampered inputs verified"
printf 'kaowu-seat-inputs/1\nexam\tX\n' >"$WORK/broken.txt"
rc=0; "$KAOWU" seat verify --inputs "$WORK/broken.txt" --seed "$SEED2" >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a broken inputs file: exit $rc"
rc=0; "$KAOWU" seat verify --inputs "$WORK/inputs2.txt" --seed xyz >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a malformed seed: exit $rc"

# ---- the rule's results: capacity, accommodation room, sittings, unique ticket numbers ----
[ "$(db_query "SELECT COUNT(DISTINCT ticket_no) FROM seats WHERE run_id = $RUN2")" = 25 ] || fail "ticket numbers not unique"
[ "$(db_query "SELECT MAX(seats_taken) FROM exam_rooms x JOIN rooms m ON m.id = x.room_id WHERE x.run_id = $RUN2 AND x.seats_taken > m.seats")" = "" ] || fail "a room over its seats"
[ "$(db_query "SELECT x.accommodation || m.code FROM seats s JOIN exam_rooms x ON x.id = s.exam_room_id JOIN rooms m ON m.id = x.room_id WHERE s.registration_id = ${REG[3]} AND s.run_id = $RUN2")" = 1103 ] || fail "the accommodation candidate is not alone on the lowest floor"
api "$AG" GET "/api/v1/seating_runs/$RUN2/rooms"
expect_status 200
expect_json '.items | length' 6
expect_json '[.items[] | select(.centre == "HF-02")] | length' 0
first=$(jq -r '.items[0].first_ticket' "$WORK/body")
[ "${first:0:2}" = 27 ] && [ ${#first} = 11 ] || fail "ticket number $first is not in the default scheme"
api "$JSAG" GET "/api/v1/seating_runs/$RUN2/rooms"
expect_error 404 NOT_FOUND

# ---- publish; then no new run (changes only through maker-checker) ----
api "$AG" POST "/api/v1/seating_runs/$RUN2/publish"
expect_status 200
expect_json .status published
api "$AG" POST "/api/v1/seating_runs/$RUN2/publish"
expect_error 409 SEATING_STATE
api "$AG" PUT "/api/v1/registrations/${REG[1]}/area" '{"area":"AH-WH"}'
expect_error 409 AREA_SEATED
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
expect_error 409 SEATING_PUBLISHED
api "$AG" POST "/api/v1/seating_runs/$RUN2/discard" '{"reason":"想重新抽一次"}'
expect_error 409 SEATING_STATE

# ---- the centre's documents (VEN-5, PAP-4) ----
api "$AG" GET "/api/v1/seating_runs/$RUN2/door_labels"
expect_status 200
expect_header Content-Type application/pdf
cp "$WORK/body" "$WORK/doors.pdf"
[ "$(pdfinfo "$WORK/doors.pdf" | awk '/^Pages:/ {print $2}')" = 6 ] || fail "door labels: not one page per exam room"
pdftotext "$WORK/doors.pdf" - | grep -q "$first" || fail "a door label lacks its first ticket number"
pdftotext "$WORK/doors.pdf" - | grep -q 经济基础知识 || fail "a door label lacks its subject"
api "$AG" GET "/api/v1/seating_runs/$RUN2/door_labels?centre=WH-01"
cp "$WORK/body" "$WORK/doors-wh.pdf"
[ "$(pdfinfo "$WORK/doors-wh.pdf" | awk '/^Pages:/ {print $2}')" = 2 ] || fail "door labels of one centre"
api "$AG" GET "/api/v1/seating_runs/$RUN2/desk_labels"
expect_error 400 VALIDATION_FAILED
api "$AG" GET "/api/v1/seating_runs/$RUN2/desk_labels?centre=HF-01"
expect_status 200
cp "$WORK/body" "$WORK/desks.pdf"
[ "$(pdfinfo "$WORK/desks.pdf" | awk '/^Pages:/ {print $2}')" = 2 ] || fail "desk labels: 18 seats are 2 pages of 12"
pdftotext "$WORK/desks.pdf" - | grep -q 考生甲 || fail "a desk label lacks the name"
api "$JSAG" GET "/api/v1/seating_runs/$RUN2/desk_labels?centre=HF-01"
expect_error 404 NOT_FOUND
# VEN-3, VEN-5: sign-in sheets with photos, seating charts, the allocation table, the gate sign
pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }
D="/api/v1/seating_runs/$RUN2/documents"
for doc in signin:4:考生签到表 chart:4:讲台 allocation:1:考场分配表 gate:1:HF-01; do
	IFS=: read -r name want word <<<"$doc"
	api "$AG" GET "$D/$name?centre=HF-01"
	expect_status 200
	cp "$WORK/body" "$WORK/$name.pdf"
	[ "$(pages "$WORK/$name.pdf")" = "$want" ] || fail "$name: $(pages "$WORK/$name.pdf") pages, want $want"
	pdftotext "$WORK/$name.pdf" - | grep -q "$word" || fail "$name lacks $word"
done
pdftotext "$WORK/signin.pdf" - | grep -q 考生甲 || fail "the sign-in sheet lacks the names"
api "$AG" GET "$D/signin"
expect_error 400 VALIDATION_FAILED
api "$AG" GET "$D/menu?centre=HF-01"
expect_error 404 NOT_FOUND
api "$JSAG" GET "$D/gate?centre=HF-01"
expect_error 404 NOT_FOUND
api "$AG" GET "/api/v1/seating_runs/$RUN2/paper_order"
expect_status 200
cp "$WORK/body" "$WORK/order.xlsx"
unzip -p "$WORK/order.xlsx" xl/sharedStrings.xml | grep -q 订卷数 || fail "the paper order lacks its header"
# 25 candidates over 31 subject sittings; 2 spares per exam room and subject
rows=$(unzip -p "$WORK/order.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l)
[ "$rows" = 10 ] || fail "paper order: $rows rows, want 1 header + 9 (exam room, subject)"

# ---- admission tickets (TKT-1, TKT-2, TKT-4) ----
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_error 403 TICKET_WINDOW_CLOSED
expect_json .error.details.opens_at 2027-05-21T16:00:00.000000Z
# The print window (10 days before the exam, PQ 16(5)): the server's clock moves there.
restart_at() {
	server_restart_at "$1"
	login agency agency-password-1; AG=$TOKEN
	login jsag jsag-password-1; JSAG=$TOKEN
	login agency2 agency2-password-1; AG2=$TOKEN
	local n
	for n in 1 2; do
		req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$n]}\",\"password\":\"cand-pass-1\"}"
		TOKS[$n]=$(jq -r .token "$WORK/body")
	done
}
# qr PDF: the payload the printed QR code carries, read back from the page's image.
qr() {
	pdftoppm -r 150 -png "$1" "$WORK/qr" && zbarimg -q --raw "$WORK"/qr*.png 2>/dev/null | head -n1
	rm -f "$WORK"/qr*.png
}
restart_at 2027-05-25T10:00:00+08:00
api "${TOKS[2]}" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_error 403 TICKET_NOT_YOURS
api "$AG" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_error 403 FORBIDDEN
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_status 200
expect_header Content-Type application/pdf
cp "$WORK/body" "$WORK/t1.pdf"
T1=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN2")
pdftotext "$WORK/t1.pdf" "$WORK/t1.txt"
for w in "$T1" 考生甲 准考证 "${IDN[1]}" "HF-01 中学" 经济基础知识 专业知识和实务 考生须知; do
	grep -q "$w" "$WORK/t1.txt" || fail "the ticket lacks $w"
done
! grep -q 补发 "$WORK/t1.txt" || fail "a first ticket marked 补发"
P1=$(qr "$WORK/t1.pdf")
[ "${P1:0:4}" = KW1. ] || fail "the QR code does not carry a ticket payload: $P1"
api "" POST /api/v1/tickets/verify "{\"payload\":\"$P1\"}"
expect_status 200
expect_json .valid true
expect_json .ticket_no "$T1"
expect_json .version 1
# The same bytes on a second download (rendered once, served as stored).
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
cmp -s "$WORK/body" "$WORK/t1.pdf" || fail "a second download differs"
# A tampered payload is refused: a changed signature, a changed ticket number.
sig=${P1##*.}; c=${sig:10:1}; [ "$c" = A ] && c=B || c=A
api "" POST /api/v1/tickets/verify "{\"payload\":\"${P1%.*}.${sig:0:10}$c${sig:11}\"}"
expect_json .valid false
expect_json .reason TAMPERED
body=$(echo "${P1#KW1.}" | cut -d. -f1 | tr '_-' '/+'); pad=$(( (4 - ${#body} % 4) % 4 )); body="$body$(printf '%*s' $pad '' | tr ' ' '=')"
forged=$(echo "$body" | base64 -d | sed "s/$T1/${T1%?}9/" | base64 -w0 | tr '/+' '_-' | tr -d '=')
api "" POST /api/v1/tickets/verify "{\"payload\":\"KW1.$forged.$(echo "$P1" | cut -d. -f3)\"}"
expect_json .reason TAMPERED
api "" GET /api/v1/public/ticket_key
expect_json .alg Ed25519
# TKT-4: a reissue only within the 2 days before the exam; an on-site ticket, stamped, any time.
api "$AG" POST "/api/v1/registrations/${REG[1]}/tickets" '{"kind":"reissue","reason":"考生遗失准考证"}'
expect_error 409 TICKET_REISSUE_NOT_DUE
api "$AG" POST "/api/v1/registrations/${REG[1]}/tickets" '{"kind":"print"}'
expect_error 400 VALIDATION_FAILED
api "$JSAG" POST "/api/v1/registrations/${REG[1]}/tickets" '{"kind":"onsite"}'
expect_error 404 NOT_FOUND
api "$AG" POST "/api/v1/registrations/${REG[1]}/tickets" '{"kind":"onsite","reason":"现场领取"}'
expect_status 201
expect_json .version 2
api "$AG" GET "$(jq -r .pdf "$WORK/body")"
expect_status 200
cp "$WORK/body" "$WORK/t2.pdf"
P2=$(qr "$WORK/t2.pdf")
api "" POST /api/v1/tickets/verify "{\"payload\":\"$P1\"}"
expect_json .valid false
expect_json .reason REVOKED
api "" POST /api/v1/tickets/verify "{\"payload\":\"$P2\"}"
expect_json .valid true
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
cmp -s "$WORK/body" "$WORK/t2.pdf" || fail "the candidate does not get the current version"
restart_at 2027-05-31T09:00:00+08:00
api "$AG" POST "/api/v1/registrations/${REG[1]}/tickets" '{"kind":"reissue","reason":"考生遗失准考证，持身份证本人办理"}'
expect_status 201
expect_json .version 3
api "$AG" GET "$(jq -r .pdf "$WORK/body")"
cp "$WORK/body" "$WORK/t3.pdf"
pdftotext "$WORK/t3.pdf" - | grep -q 补发 || fail "a reissued ticket is not marked 补发"
pdftotext "$WORK/t3.pdf" - | grep -q "$T1" || fail "a reissued ticket changed its number"
api "" POST /api/v1/tickets/verify "{\"payload\":\"$P2\"}"
expect_json .reason REVOKED
[ "$(db_query "SELECT COUNT(*) FROM tickets WHERE registration_id = ${REG[1]} AND status = 'valid'")" = 1 ] || fail "more than one valid version"
restart_at 2027-06-02T09:00:00+08:00
api "${TOKS[2]}" GET "/api/v1/registrations/${REG[2]}/ticket"
expect_error 403 TICKET_WINDOW_CLOSED
api "$AG" POST "/api/v1/registrations/${REG[2]}/tickets" '{"kind":"onsite"}'
expect_error 409 TICKET_EXAM_OVER

# ---- a change after publication: maker-checker, the seat chosen by the rule (SEAT-1, INF-4) ----
C="/api/v1/seating_runs/$RUN2/changes"
# a candidate of HF's group 01 in room 101 (8 seats, full); room 102 of the group has room
MOV=$(db_query "SELECT s.registration_id FROM seats s JOIN exam_rooms x ON x.id = s.exam_room_id JOIN rooms m ON m.id = x.room_id WHERE s.run_id = $RUN2 AND m.code = '101' AND x.area_id = $HF AND x.subjects = '01' AND s.registration_id <> ${REG[1]} ORDER BY s.seat_no LIMIT 1")
REG[2]=$MOV
api "$AG" POST "$C" "{\"registration_id\":${REG[2]}}"
expect_error 400 VALIDATION_FAILED
api "$AG" POST "$C" "{\"registration_id\":${REG[25]},\"reason\":\"x\"}"
expect_error 409 SEAT_CHANGE_NO_SEAT
api "$AG" POST "$C" "{\"registration_id\":${REG[2]},\"reason\":\"考生腿部受伤，需调至一楼靠门考场\",\"seat\":1}"
expect_error 400 VALIDATION_FAILED
api "$AG" POST "$C" "{\"registration_id\":${REG[2]},\"reason\":\"考生腿部受伤，需调至一楼靠门考场\"}"
expect_status 201
CH=$(jq -r .id "$WORK/body")
FROM=$(jq -r .from_ticket "$WORK/body")
api "$AG" POST "$C" "{\"registration_id\":${REG[2]},\"reason\":\"again\"}"
expect_error 409 SEAT_CHANGE_PENDING
# without a checker nothing moves: the maker cannot approve their own request
api "$AG" POST "/api/v1/seat_changes/$CH/approve" '{}'
expect_error 403 SELF_APPROVAL
[ "$(db_query "SELECT ticket_no FROM seats WHERE run_id = $RUN2 AND registration_id = ${REG[2]}")" = "$FROM" ] || fail "a seat moved without a checker"
api "$JSAG" POST "/api/v1/seat_changes/$CH/approve" '{}'
expect_error 404 NOT_FOUND
api "$AG2" POST "/api/v1/seat_changes/$CH/reject" '{}'
expect_error 400 VALIDATION_FAILED
api "$AG2" POST "/api/v1/seat_changes/$CH/approve" '{"reason":"情况属实，同意调整"}'
expect_status 200
expect_json .status approved
TO=$(jq -r .to_ticket "$WORK/body")
[ "$TO" != "$FROM" ] && [ "${TO:0:8}" = "${FROM:0:8}" ] || fail "moved from $FROM to $TO: not another room of the same centre"
[ "$(db_query "SELECT s.ticket_no || ':' || m.code || ':' || s.seat_no || ':' || s.reason FROM seats s JOIN exam_rooms x ON x.id = s.exam_room_id JOIN rooms m ON m.id = x.room_id WHERE s.run_id = $RUN2 AND s.registration_id = ${REG[2]}")" = "$TO:102:2:考生腿部受伤，需调至一楼靠门考场" ] || fail "the seat after the change"
[ "$(db_query "SELECT seats_taken || ':' || last_ticket FROM exam_rooms x JOIN rooms m ON m.id = x.room_id WHERE x.run_id = $RUN2 AND m.code = '102' AND x.area_id = $HF")" = "2:$TO" ] || fail "the room's count and last ticket"
api "$AG2" POST "/api/v1/seat_changes/$CH/approve" '{}'
expect_error 409 APPROVAL_DECIDED

audit_verify 0
echo "ok"
