#!/usr/bin/env bash
# The seating pages (SEAT-1, VEN-4) in Debian's Chromium, driven by playwright-core
# (tests/browser/seating.mjs): agency staff see the capacity plan (a blocked centre left out
# with its reason, a shortfall highlighted and refused with the server's table), commit,
# discard with a reason, commit again, run the draw, publish and see the exam rooms on
# web/seating.html; the public page
# web/seating-public.html, without a login, shows the commitment and the revealed seed and
# checks both in the browser (seed against commitment, inputs file against its digest);
# then `kaowu seat verify`, given exactly what the public page showed and the file it
# offered, exits 0.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
# The browser's own clock is the real one; the server's registration window is open around it.
server_start
KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
PTA=$(unit AH-PTA provincial_agency provincial "$AH")
HF=$(unit AH-HF area_agency prefecture "$PTA")
staff agency agency_staff "$PTA"

# ---- venues: a centre with three rooms (one upstairs), a centre blocked by an incident ----
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
room "$C1" 101 30 1
room "$C1" 102 30 1
room "$C1" 201 30 2
C2=$(centre "$HF" HF-02)
room "$C2" 101 30 1
api "$A" POST /api/v1/incidents "{\"centre_id\":$C2,\"occurred_on\":\"2026-07-05\",\"description\":\"考试期间发生重大泄密事件\",\"major\":true}"
expect_status 201

# ---- a published qualification exam with two sittings ----
opens=$(date -d '-1 day' +%Y-%m-%dT08:00:00+08:00)
closes=$(date -d '+5 day' +%Y-%m-%dT18:00:00+08:00)
day=$(date -d '+40 day' +%Y-%m-%d)
year=$(date -d '+40 day' +%Y)
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJW\",\"name\":\"经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":$year,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"$opens\",\"reg_closes_at\":\"$closes\",\"exam_date\":\"$day\",\"ref_date\":\"$day\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"${day}T09:00:00+08:00\"}"
expect_status 201
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"02\",\"name\":\"专业知识和实务\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"${day}T14:00:00+08:00\"}"
expect_status 201
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")

# ---- six candidates choose the area, register and pay (one needs an accessible room) ----
for n in 1 2 3 4 5 6; do
	idn=$(idcard 340104 "199${n}0101" "$(printf %03d "$n")")
	api "" POST /api/v1/candidates "$(jq -nc --arg i "$idn" '{id_number:$i,name:"考生甲",phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$idn\",\"password\":\"cand-pass-1\"}"
	expect_status 201
	t=$(jq -r .token "$WORK/body")
	if [ $((n % 2)) = 1 ]; then s='["01","02"]'; else s='["01"]'; fi
	acc=""
	[ "$n" = 3 ] && acc=轮椅通道
	api "$t" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" --argjson s "$s" --arg acc "$acc" \
		'{exam_id:$e,subjects:$s,route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"} + (if $acc == "" then {} else {accommodation:$acc} end)')"
	expect_status 201
	reg=$(jq -r .id "$WORK/body")
	api "$t" POST "/api/v1/registrations/$reg/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$n"
	expect_status 201
	api "$t" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
done
# Two to a room: the group "01+02" finds too few rooms free in both its sittings.
api "$TOKEN" GET "/api/v1/exams/$QE/capacity?capacity=2"
expect_status 200
expect_json .feasible false
expect_json '.shortfalls[0].subjects' 01+02

shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
KW_STAFF=agency KW_STAFF_PASSWORD=agency-password-1 KW_EXAM_ID=$QE KW_EXAM_CODE=JJW KW_OUT="$WORK/page" \
	node "$KW_SRC/tests/browser/seating.mjs" "$BASE" "$shots" || fail "browser test failed"

# ---- what the public page showed verifies with kaowu seat verify ----
[ -s "$WORK/page/inputs.txt" ] || fail "the public page offered no inputs file"
# shellcheck disable=SC1091
. "$WORK/page/values.sh"
for v in SEED COMMITMENT INPUTS_DIGEST ASSIGNMENT_DIGEST; do
	[[ ${!v} =~ ^[0-9a-f]{64}$ ]] || fail "the page showed $v='${!v}'"
done
# …and it is what the public API says.
api "" GET "/api/v1/public/exams/JJW/seating"
expect_status 200
expect_json '.runs | length' 2
expect_json '.runs[0].status' discarded
expect_json '.runs[0].reason' 演练：承诺后核对考场，重新承诺。
expect_json '.runs[1].status' published
expect_json '.runs[1].seed' "$SEED"
expect_json '.runs[1].commitment' "$COMMITMENT"
expect_json '.runs[1].inputs_digest' "$INPUTS_DIGEST"
expect_json '.runs[1].assignment_digest' "$ASSIGNMENT_DIGEST"
"$KAOWU" seat verify --inputs "$WORK/page/inputs.txt" --seed "$SEED" --commitment "$COMMITMENT" \
	--inputs-digest "$INPUTS_DIGEST" --assignment-digest "$ASSIGNMENT_DIGEST" >"$WORK/verify.txt" 2>&1 ||
	fail "seat verify with the public page's values failed: $(cat "$WORK/verify.txt")"
# A wrong seed does not verify.
! "$KAOWU" seat verify --inputs "$WORK/page/inputs.txt" --seed "$(printf '%064d' 0)" --commitment "$COMMITMENT" \
	--assignment-digest "$ASSIGNMENT_DIGEST" >/dev/null 2>&1 || fail "a wrong seed verified"
[ "$(db_query "SELECT COUNT(*) FROM seats s JOIN seating_runs r ON r.id = s.run_id WHERE r.status = 'published'")" = 6 ] ||
	fail "six seats expected in the published run"
server_stop
audit_verify 0
echo ok
