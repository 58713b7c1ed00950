#!/usr/bin/env bash
# The proctor lottery in public (SEAT-2, SEC-3; SEC-1/SEC-2: no personal data): the pool
# before a draw (places, eligible staff, every exclusion with its reason, the shortfall per
# centre when too few — SEAT-2); the public page of an exam's draws, without a login: the
# commitment and inputs digest before the draw, the revealed seed and result digest after it,
# the inputs file whose SHA-256 is the inputs digest, exclusions only counted by reason — and
# no name, staff code or identity number anywhere in it; `kaowu proctor verify` from exactly
# what the public page gives reproduces the published result digest, while a tampered inputs
# file, a wrong seed or a malformed file does not verify; the staff view's assignments carry
# the numbers of the inputs file, line up with verify's assignment file, and stop verifying
# when a row is edited behind the program's back; under AH's rules (AH 48) a draw before each
# sitting, SEC-3 applied per exam.
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

# ---- two centres: HF-01 with a room on floors 1 and 2, HF-02 with one ----
centre() {
	api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"$1\",\"name\":\"$1 中学\",\"address\":\"合肥市\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
	expect_status 201
	jq -r .id "$WORK/body"
}
C1=$(centre HF-01)
C2=$(centre HF-02)
for r in "$C1":101:1 "$C1":201:2 "$C2":101:1; do
	IFS=: read -r c code floor <<<"$r"
	api "$A" POST /api/v1/rooms "{\"centre_id\":$c,\"code\":\"$code\",\"seats\":30,\"mode\":\"paper\",\"floor\":$floor}"
	expect_status 201
done
window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01","fee_approval":"皖发改收费〔2026〕8号"'
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ32\",\"name\":\"经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,$window}"
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T09:00:00+08:00\"}"
expect_status 201
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
declare -A IDN
for n in 1 2 3 4 5 6; do
	IDN[$n]=$(idcard 340104 "1991020$n" "01$n")
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$n]}" '{id_number:$i,name:"考生乙",phone:"13800000000",password:"cand-pass-1"}')"
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$n]}\",\"password\":\"cand-pass-1\"}"
	t=$(jq -r .token "$WORK/body")
	api "$t" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"}')"
	expect_status 201
	reg=$(jq -r .id "$WORK/body")
	api "$t" POST "/api/v1/registrations/$reg/payments" '{"provider":"test"}' -H "Idempotency-Key: p-$n"
	api "$t" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
done

# ---- the pool: names and documents that must never reach the public ----
declare -A SID
NAMES=()
member() { # CODE POST EMPLOYMENT TRAINED [EXTRA-JSON]
	local name="监考员$1"
	NAMES+=("$name")
	api "$A" POST /api/v1/staff "{\"unit_id\":$HF,\"code\":\"$1\",\"name\":\"$name\",\"post\":\"$2\",\"employment\":\"$3\"${5:+,$5}}"
	expect_status 201
	SID[$1]=$(jq -r .id "$WORK/body")
	[ "$4" = yes ] || return 0
	api "$A" POST /api/v1/trainings "{\"staff_id\":${SID[$1]},\"course\":\"监考培训\",\"trained_on\":\"2027-05-01\",\"result\":\"passed\"}"
	expect_status 201
}
STAFF_ID=$(idcard 340104 19800101 021)
REL_ID=${IDN[3]}
member ZQK01 chief_examiner full_time yes "\"id_number\":\"$STAFF_ID\""
member ZQK02 chief_examiner full_time yes
for p in ZQP01 ZQP02 ZQP03 ZQP04 ZQP05; do member "$p" proctor full_time yes; done
member ZQS01 proctor full_time yes
member ZQS02 proctor full_time yes "\"id_number\":\"${IDN[5]}\""
member ZQV01 proctor volunteer yes
member ZQW01 proctor social_recruit yes
member ZQU01 proctor full_time no
for p in ZQR01 ZQR02 ZQR03; do member "$p" roving_proctor full_time yes; done
api "$A" POST /api/v1/staff_relations "{\"staff_id\":${SID[ZQS01]},\"relation\":\"lineal\",\"relative_name\":\"亲属丙\",\"relative_id_number\":\"$REL_ID\",\"declared_on\":\"2027-04-01\"}"
expect_status 201

api "$AG" GET "/api/v1/exams/$QE/proctor_pool"
expect_error 409 SEATING_NOT_PUBLISHED
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":2}}'
expect_status 201
RUN=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/seating_runs/$RUN/seat"
expect_json .exam_rooms 3
api "$AG" POST "/api/v1/seating_runs/$RUN/publish"
expect_status 200

# ---- SEAT-2: the pool, short by one proctor (3 rooms × 2 = 6; 5 eligible) ----
api "$AG" GET "/api/v1/exams/$QE/proctor_pool?sitting=1"
expect_error 422 PROCTOR_DRAW_ON_EXAM_DAY
api "$AG" GET "/api/v1/exams/$QE/proctor_pool?sitting=x"
expect_error 400 VALIDATION_FAILED
api "$JSAG" GET "/api/v1/exams/$QE/proctor_pool"
expect_error 404 NOT_FOUND
api "$AG" GET "/api/v1/exams/$QE/proctor_pool"
expect_status 200
expect_json .draw_when exam_day
expect_json .sitting 0
expect_json .feasible false
expect_json '.areas[0] | "\(.area) \(.centres) \(.rooms) \(.floors)"' "AH-HF 2 3 3"
expect_json '.areas[0].needed | "\(.chief) \(.proctor) \(.roving)"' "2 6 3"
expect_json '.areas[0].eligible | "\(.chief) \(.proctor) \(.roving)"' "2 5 3"
expect_json '[.excluded[] | .staff + ":" + .reason] | sort | join(",")' \
	ZQS01:conflict_lineal,ZQS02:conflict_self,ZQU01:not_trained,ZQV01:volunteer,ZQW01:social_recruit
expect_json '.shortfall_by_centre | length' 1
expect_json '.shortfall_by_centre[0] | "\(.centre) \(.duty) \(.short)"' "HF-02 proctor 1"
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_error 422 PROCTORS_SHORT
expect_json '.error.details.shortfall_by_centre[0] | "\(.centre) \(.duty) \(.short)"' "HF-02 proctor 1"
expect_json '.error.details.shortfalls[0] | "\(.centre) \(.room) \(.needed) \(.available) \(.short)"' "HF-02 1 2 1 1"

member ZQP06 proctor part_time yes
api "$AG" GET "/api/v1/exams/$QE/proctor_pool"
expect_json .feasible true
expect_json .eligible 11

# ---- the public page before any draw: the exam, no draws; no login needed ----
req GET /api/v1/public/exams/JJ32/proctor_draws
expect_status 200
expect_json '.draws | length' 0
expect_json .exam_name 经济专业技术资格考试
req GET /api/v1/public/exams/NO-SUCH/proctor_draws
expect_error 404 NOT_FOUND
req GET /api/v1/public/proctor_draws/999/inputs
expect_error 404 NOT_FOUND

# ---- commit: the commitment and the inputs are public, the seed is not ----
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_status 201
D=$(jq -r .id "$WORK/body")
req GET "/api/v1/public/exams/$QE/proctor_draws"
expect_status 200
cp "$WORK/body" "$WORK/public-committed.json"
expect_json '.draws | length' 1
expect_json '.draws[0].status' committed
expect_json '.draws[0].seed' null
expect_json '.draws[0].result_digest' null
expect_json '.draws[0].purpose' 'proctor:exam=JJ32:sitting=0:area=<area>:duty=<chief|proctor|roving>'
expect_json '.draws[0].inputs | "\(.areas) \(.centres) \(.rooms) \(.pool.chief) \(.pool.proctor) \(.pool.roving)"' "1 2 3 2 6 3"
expect_json '.draws[0].excluded | to_entries | map("\(.key)=\(.value)") | sort | join(",")' \
	conflict=2,not_trained=1,social_recruit=1,volunteer=1
COMMIT=$(jq -r '.draws[0].commitment' "$WORK/body")
IDIG=$(jq -r '.draws[0].inputs_digest' "$WORK/body")
req GET "/api/v1/public/proctor_draws/$D/inputs"
expect_status 200
case "$(header Content-Type)" in text/plain*) ;; *) fail "inputs file type: $(header Content-Type)" ;; esac
header Content-Disposition | grep -q "proctors-$D-inputs.txt" || fail "inputs file name: $(header Content-Disposition)"
cp "$WORK/body" "$WORK/inputs.txt"
[ "$(sha256sum "$WORK/inputs.txt" | cut -c1-64)" = "$IDIG" ] || fail "the inputs file is not the committed digest"
[ "$(head -n 1 "$WORK/inputs.txt")" = kaowu-proctor-inputs/1 ] || fail "inputs header: $(head -n 1 "$WORK/inputs.txt")"
[ "$(grep -c '^staff	' "$WORK/inputs.txt")" = 11 ] || fail "the eligible staff are not all in the inputs file"
[ "$(grep '^staff	' "$WORK/inputs.txt" | cut -f2 | paste -sd,)" = 1,2,3,4,5,6,7,8,9,10,11 ] ||
	fail "staff are not numbered 1..11: $(grep '^staff	' "$WORK/inputs.txt" | cut -f2 | paste -sd,)"
[ "$(grep -c '^room	AH-HF	' "$WORK/inputs.txt")" = 3 ] || fail "rooms: $(grep '^room' "$WORK/inputs.txt")"

# ---- the draw: the seed and the result digest are revealed ----
api "$AG" POST "/api/v1/proctor_draws/$D/draw"
expect_status 200
expect_json .verified true
expect_json '.assignments | length' 11
expect_json '[.assignments[] | select(.no == null)] | length' 0
cp "$WORK/body" "$WORK/staff-view.json"
req GET /api/v1/public/exams/JJ32/proctor_draws
expect_status 200
cp "$WORK/body" "$WORK/public-drawn.json"
expect_json '.draws[0].status' drawn
expect_json '.draws[0].commitment' "$COMMIT"
expect_json '.draws[0].inputs_digest' "$IDIG"
SEED=$(jq -r '.draws[0].seed' "$WORK/body")
RDIG=$(jq -r '.draws[0].result_digest' "$WORK/body")
[[ $SEED =~ ^[0-9a-f]{64}$ && $RDIG =~ ^[0-9a-f]{64}$ ]] || fail "seed '$SEED', result digest '$RDIG'"

# ---- kaowu proctor verify from what the public page gave ----
"$KAOWU" proctor verify --inputs "$WORK/inputs.txt" --seed "$SEED" --commitment "$COMMIT" \
	--inputs-digest "$IDIG" --result-digest "$RDIG" --out "$WORK/assignment.tsv" >"$WORK/verify.txt" 2>&1 ||
	fail "proctor verify with the public values failed: $(cat "$WORK/verify.txt")"
grep -q '核验通过' "$WORK/verify.txt" || fail "no verdict: $(cat "$WORK/verify.txt")"
LANG=en_US.UTF-8 "$KAOWU" proctor verify --inputs "$WORK/inputs.txt" --seed "$SEED" >"$WORK/verify-en.txt" 2>&1 ||
	fail "verify without digests: $(cat "$WORK/verify-en.txt")"
grep -qx "result digest: $RDIG" "$WORK/verify-en.txt" || fail "verify printed: $(cat "$WORK/verify-en.txt")"
grep -qx "inputs digest: $IDIG" "$WORK/verify-en.txt" || fail "verify printed: $(cat "$WORK/verify-en.txt")"
[ "$(sha256sum "$WORK/assignment.tsv" | cut -c1-64)" = "$RDIG" ] || fail "the assignment file is not the result digest"
# …and the staff view says the same thing, number by number (SEAT-2: a chief per centre,
# two proctors a room, a roving proctor per floor).
jq -r '.assignments[] | [.no, .duty, "AH-HF", .centre, (if .duty == "proctor" then .room else "-" end), (.floor // "-")] | @tsv' \
	"$WORK/staff-view.json" | sort -n >"$WORK/staff.tsv"
diff "$WORK/staff.tsv" "$WORK/assignment.tsv" >/dev/null || fail "the staff view and verify differ: $(diff "$WORK/staff.tsv" "$WORK/assignment.tsv")"
[ "$(cut -f2,4 "$WORK/assignment.tsv" | grep -c '^chief')" = 2 ] || fail "a chief per centre"
[ "$(awk -F'\t' '$2 == "roving" {print $4 "@" $6}' "$WORK/assignment.tsv" | sort | paste -sd,)" = HF-01@1,HF-01@2,HF-02@1 ] ||
	fail "roving per floor: $(cat "$WORK/assignment.tsv")"
for x in ZQS01 ZQS02 ZQU01 ZQV01 ZQW01; do
	[ "$(jq -r --arg x "$x" '[.assignments[] | select(.staff == $x)] | length' "$WORK/staff-view.json")" = 0 ] || fail "$x was drawn"
done

# ---- a tampered inputs file, a wrong seed, a malformed file: not verified ----
# HF-01's exam room 2 claimed to be on floor 3
awk -F'\t' 'BEGIN{OFS="\t"} $1 == "room" && $3 == "HF-01" && $4 == 2 {$5 = 3} {print}' \
	"$WORK/inputs.txt" >"$WORK/tampered.txt"
! cmp -s "$WORK/inputs.txt" "$WORK/tampered.txt" || fail "the tampering changed nothing"
rc=0
"$KAOWU" proctor verify --inputs "$WORK/tampered.txt" --seed "$SEED" --commitment "$COMMIT" \
	--inputs-digest "$IDIG" --result-digest "$RDIG" >"$WORK/v2.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a tampered inputs file verified (exit $rc): $(cat "$WORK/v2.txt")"
grep -q '✘ 输入文件摘要' "$WORK/v2.txt" || fail "the inputs digest mismatch is not named: $(cat "$WORK/v2.txt")"
# without the published digests it still draws, but to another result digest
"$KAOWU" proctor verify --inputs "$WORK/tampered.txt" --seed "$SEED" >"$WORK/v3.txt" 2>&1 || true
got=$(sed -n 's/^抽签结果摘要: //p' "$WORK/v3.txt")
[ -n "$got" ] && [ "$got" != "$RDIG" ] || fail "the tampered file gave the published result digest: $(cat "$WORK/v3.txt")"
rc=0
"$KAOWU" proctor verify --inputs "$WORK/inputs.txt" --seed "$(printf '%064d' 0)" --commitment "$COMMIT" \
	--result-digest "$RDIG" >"$WORK/v4.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a wrong seed verified (exit $rc)"
grep -q '✘ 种子承诺值' "$WORK/v4.txt" && grep -q '✘ 抽签结果摘要' "$WORK/v4.txt" || fail "wrong seed: $(cat "$WORK/v4.txt")"
sed '3s/.*/sitting\tzero/' "$WORK/inputs.txt" >"$WORK/broken.txt"
rc=0
LANG=en_US.UTF-8 "$KAOWU" proctor verify --inputs "$WORK/broken.txt" --seed "$SEED" >"$WORK/v5.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a malformed file: exit $rc"
grep -q 'not in its form (line 3)' "$WORK/v5.txt" || fail "a malformed file: $(cat "$WORK/v5.txt")"
rc=0
"$KAOWU" proctor verify --inputs "$WORK/inputs.txt" --seed 1234 >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a malformed seed: exit $rc"

# ---- SEC-1/SEC-2: nothing personal in anything public ----
req GET "/api/v1/public/proctor_draws/$D/inputs"
cat "$WORK/public-committed.json" "$WORK/public-drawn.json" "$WORK/body" >"$WORK/public-all.txt"
req GET /api/v1/public/exams/JJ32/proctor_draws
cat "$WORK/body" >>"$WORK/public-all.txt"
for x in "${NAMES[@]}" 亲属丙 考生乙 "$STAFF_ID" "$REL_ID" "${IDN[5]}" "${STAFF_ID:0:6}" ZQK0 ZQP0 ZQS0 ZQU0 ZQV0 ZQW0 ZQR0 lineal spouse self; do
	! grep -q -- "$x" "$WORK/public-all.txt" || fail "the public record holds '$x'"
done
# the staff view is not public
req GET "/api/v1/proctor_draws/$D"
expect_status 401
req GET "/api/v1/exams/$QE/proctor_draws"
expect_status 401

# ---- the staff list; a wall between provinces ----
api "$AG" GET "/api/v1/exams/$QE/proctor_draws"
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0] | "\(.status) \(.assignments) \(.seed)"' "drawn 11 $SEED"
expect_json .published_run "$RUN"
api "$JSAG" GET "/api/v1/exams/$QE/proctor_draws"
expect_error 404 NOT_FOUND

# ---- an assignment edited behind the program's back no longer gives the result digest ----
row=$(db_query "SELECT id FROM proctor_assignments WHERE draw_id = $D AND duty = 'roving' ORDER BY id LIMIT 1")
floor=$(db_query "SELECT floor FROM proctor_assignments WHERE id = $row")
db_query "UPDATE proctor_assignments SET floor = 9 WHERE id = $row" >/dev/null
api "$AG" GET "/api/v1/proctor_draws/$D"
expect_json .verified false
db_query "UPDATE proctor_assignments SET floor = $floor WHERE id = $row" >/dev/null
api "$AG" GET "/api/v1/proctor_draws/$D"
expect_json .verified true

# ---- AH 48: a draw before each sitting, one per sitting; SEC-3 is per exam ----
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"AH32\",\"name\":\"会计专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,$window}"
expect_status 201
AE=$(jq -r .id "$WORK/body")
for x in 01:09 02:14; do
	api "$A" POST /api/v1/subjects "{\"exam_id\":$AE,\"code\":\"${x%:*}\",\"name\":\"科目${x%:*}\",\"duration_minutes\":120,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-02T${x#*:}:00:00+08:00\"}"
	expect_status 201
done
AHV=$(jq -r .AH.version "$KW_SRC/data/pledges/pledges.json")
for n in 1 2; do
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$n]}\",\"password\":\"cand-pass-1\"}"
	t=$(jq -r .token "$WORK/body")
	api "$t" POST /api/v1/registrations "$(jq -nc --argjson e "$AE" --arg v "$AHV" '{exam_id:$e,subjects:["01","02"],route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"}')"
	expect_status 201
	reg=$(jq -r .id "$WORK/body")
	api "$t" POST "/api/v1/registrations/$reg/payments" '{"provider":"test"}' -H "Idempotency-Key: ah-$n"
	api "$t" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
done
api "$AG" POST "/api/v1/exams/$AE/seating_runs" '{}'
expect_status 201
RUN2=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/seating_runs/$RUN2/seat"
expect_status 200
api "$AG" POST "/api/v1/seating_runs/$RUN2/publish"
expect_status 200
api "$AG" GET "/api/v1/exams/$AE/proctor_pool"
expect_status 200
expect_json '"\(.draw_when) \(.sitting) \(.sittings | join(","))"' "before_each_sitting 1 1,2"
# ZQS02 registered for JJ32, not for this exam; ZQS01's relative neither: both are drawn here
expect_json '[.excluded[] | .staff] | sort | join(",")' ZQU01,ZQV01,ZQW01
api "$AG" POST "/api/v1/exams/$AE/proctor_draws" '{}'
expect_error 422 PROCTOR_SITTING_REQUIRED
for n in 1 2; do
	api "$AG" POST "/api/v1/exams/$AE/proctor_draws" "{\"sitting\":$n}"
	expect_status 201
	expect_json .sitting "$n"
	api "$AG" POST "/api/v1/proctor_draws/$(jq -r .id "$WORK/body")/draw"
	expect_status 200
	expect_json .verified true
	expect_json '.assignments | length' 4
done
api "$AG" POST "/api/v1/exams/$AE/proctor_draws" '{"sitting":2}'
expect_error 409 PROCTOR_DRAW_EXISTS
req GET /api/v1/public/exams/AH32/proctor_draws
expect_status 200
expect_json '[.draws[] | "\(.sitting):\(.status)"] | join(",")' 1:drawn,2:drawn
expect_json '.draws[1].purpose' 'proctor:exam=AH32:sitting=2:area=<area>:duty=<chief|proctor|roving>'
for i in 0 1; do
	req GET /api/v1/public/exams/AH32/proctor_draws
	d=$(jq -r ".draws[$i].id" "$WORK/body")
	seed=$(jq -r ".draws[$i].seed" "$WORK/body")
	rd=$(jq -r ".draws[$i].result_digest" "$WORK/body")
	req GET "/api/v1/public/proctor_draws/$d/inputs"
	expect_status 200
	cp "$WORK/body" "$WORK/ah-$i.txt"
	grep -qx "sitting	$((i + 1))" "$WORK/ah-$i.txt" || fail "the inputs file of sitting $((i + 1)): $(head -n 3 "$WORK/ah-$i.txt")"
	"$KAOWU" proctor verify --inputs "$WORK/ah-$i.txt" --seed "$seed" --result-digest "$rd" >"$WORK/ah-v.txt" 2>&1 ||
		fail "sitting $((i + 1)) does not verify: $(cat "$WORK/ah-v.txt")"
done

audit_verify 0
echo "ok"
