#!/usr/bin/env bash
# The proctor lottery pages (SEAT-2, SEC-3; issue 7 item 7) in Debian's Chromium, driven by
# playwright-core (tests/browser/proctors.mjs): agency staff on web/proctors.html see an
# exam whose area has too few proctors — the gap per centre, and the commitment refused with
# the server's table —, then another exam's pool with every exclusion explained in words
# (recusal of a spouse and of a member of staff who registered, a volunteer, the untrained),
# commit, run the draw and see the chief examiner of each centre, the proctors of each exam
# room and the roving proctor of each floor, in Chinese and in English; the console links to
# the page. The public page web/proctors-public.html, without a login, shows the commitment
# and the revealed seed, names nobody, and checks both in the browser; then
# `kaowu proctor verify`, given exactly what the public page showed and the file it offered,
# exits 0, and with a wrong seed it does not.
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
WH=$(unit AH-WH area_agency prefecture "$PTA")
staff agency agency_staff "$PTA"; AG=$TOKEN

centre() { # AREA-UNIT CODE NAME → id
	api "$A" POST /api/v1/centres "{\"unit_id\":$1,\"code\":\"$2\",\"name\":\"$3\",\"address\":\"$3 路1号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
	expect_status 201
	jq -r .id "$WORK/body"
}
room() { # CENTRE CODE FLOOR
	api "$A" POST /api/v1/rooms "{\"centre_id\":$1,\"code\":\"$2\",\"seats\":30,\"mode\":\"paper\",\"floor\":$3}"
	expect_status 201
}
C1=$(centre "$HF" HF-01 合肥一中)
room "$C1" 101 1
room "$C1" 201 2
C2=$(centre "$HF" HF-02 合肥二中)
room "$C2" 101 1
C3=$(centre "$WH" WH-01 芜湖一中)
room "$C3" 101 1

opens=$(date -d '-1 day' +%Y-%m-%dT08:00:00+08:00)
closes=$(date -d '+5 day' +%Y-%m-%dT18:00:00+08:00)
day=$(date -d '+40 day' +%Y-%m-%d)
year=$(date -d '+40 day' +%Y)
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
declare -A IDN
K=0
exam() { # CODE NAME AREA CANDIDATES CAPACITY → sets EXAM
	api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"$1\",\"name\":\"$2\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":$year,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"$opens\",\"reg_closes_at\":\"$closes\",\"exam_date\":\"$day\",\"ref_date\":\"$day\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
	expect_status 201
	EXAM=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/subjects "{\"exam_id\":$EXAM,\"code\":\"01\",\"name\":\"基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"${day}T09:00:00+08:00\"}"
	expect_status 201
	local n
	for n in $(seq 1 "$4"); do
		local idn
		K=$((K + 1))
		idn=$(idcard 340104 "1985030$n" "$(printf %03d "$K")")
		IDN[$1-$n]=$idn
		api "" POST /api/v1/candidates "$(jq -nc --arg i "$idn" '{id_number:$i,name:"考生丁",phone:"13800000000",password:"cand-pass-1"}')"
		expect_status 201
		req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$idn\",\"password\":\"cand-pass-1\"}"
		expect_status 201
		local t reg
		t=$(jq -r .token "$WORK/body")
		api "$t" POST /api/v1/registrations "$(jq -nc --argjson e "$EXAM" --arg v "$PQV" --arg a "$3" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true,area:$a}')"
		expect_status 201
		reg=$(jq -r .id "$WORK/body")
		api "$t" POST "/api/v1/registrations/$reg/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$1-$n"
		expect_status 201
		api "$t" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
		expect_status 200
	done
	api "$AG" POST "/api/v1/exams/$EXAM/seating_runs" "{\"rule\":{\"capacity\":$5}}"
	expect_status 201
	local run
	run=$(jq -r .id "$WORK/body")
	api "$AG" POST "/api/v1/seating_runs/$run/seat"
	expect_status 200
	api "$AG" POST "/api/v1/seating_runs/$run/publish"
	expect_status 200
}
# JJW: six candidates in Hefei, two to an exam room: three exam rooms on two centres.
exam JJW 经济专业技术资格考试 AH-HF 6 2
QE=$EXAM
# KSW: two candidates in Wuhu, one exam room.
exam KSW 审计专业技术资格考试 AH-WH 2 30
KE=$EXAM

# ---- the staff: Hefei has enough, with four left out for their reasons; Wuhu one proctor ----
NAMES=()
member() { # UNIT CODE NAME POST EMPLOYMENT TRAINED [EXTRA-JSON]
	NAMES+=("$3")
	api "$A" POST /api/v1/staff "{\"unit_id\":$1,\"code\":\"$2\",\"name\":\"$3\",\"post\":\"$4\",\"employment\":\"$5\"${7:+,$7}}"
	expect_status 201
	local id
	id=$(jq -r .id "$WORK/body")
	[ "$2" != WQS01 ] || SPOUSE_OF=$id
	[ "$6" = yes ] || return 0
	api "$A" POST /api/v1/trainings "{\"staff_id\":$id,\"course\":\"监考培训\",\"trained_on\":\"2026-05-01\",\"result\":\"passed\"}"
	expect_status 201
}
member "$HF" WQK01 王主考 chief_examiner full_time yes
member "$HF" WQK02 李主考 chief_examiner full_time yes
member "$HF" WQP01 赵监考 proctor full_time yes
member "$HF" WQP02 钱监考 proctor full_time yes
member "$HF" WQP03 孙监考 proctor full_time yes
member "$HF" WQP04 周监考 proctor part_time yes
member "$HF" WQP05 吴监考 proctor full_time yes
member "$HF" WQP06 郑监考 proctor full_time yes
member "$HF" WQS01 冯回避 proctor full_time yes
member "$HF" WQS02 陈报考 proctor full_time yes "\"id_number\":\"${IDN[JJW-4]}\""
member "$HF" WQV01 褚志愿 proctor volunteer yes
member "$HF" WQU01 卫未训 proctor full_time no
member "$HF" WQR01 蒋流动 roving_proctor full_time yes
member "$HF" WQR02 沈流动 roving_proctor full_time yes
member "$HF" WQR03 韩流动 roving_proctor full_time yes
member "$WH" WQK11 杨主考 chief_examiner full_time yes
member "$WH" WQP11 朱监考 proctor full_time yes
member "$WH" WQR11 秦流动 roving_proctor full_time yes
api "$A" POST /api/v1/staff_relations "{\"staff_id\":$SPOUSE_OF,\"relation\":\"spouse\",\"relative_name\":\"配偶某\",\"relative_id_number\":\"${IDN[JJW-2]}\",\"declared_on\":\"2026-04-01\"}"
expect_status 201
NAMES+=(配偶某)

api "$AG" GET "/api/v1/exams/$KE/proctor_pool"
expect_json .feasible false
api "$AG" GET "/api/v1/exams/$QE/proctor_pool"
expect_json .feasible true
expect_json '.excluded | length' 4

shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
KW_STAFF=agency KW_STAFF_PASSWORD=agency-password-1 KW_EXAM_ID=$QE KW_EXAM_CODE=JJW KW_SHORT_EXAM_ID=$KE \
	KW_NAMES="$(printf '%s\n' "${NAMES[@]}")" KW_ID_NUMBERS="$(printf '%s\n' "${IDN[@]}")" KW_OUT="$WORK/page" \
	node "$KW_SRC/tests/browser/proctors.mjs" "$BASE" "$shots" || fail "browser test failed"

# ---- what the public page showed verifies with kaowu proctor verify ----
[ -s "$WORK/page/inputs.txt" ] || fail "the public page offered no inputs file"
# shellcheck disable=SC1091
. "$WORK/page/values.sh"
for v in SEED COMMITMENT INPUTS_DIGEST RESULT_DIGEST; do
	[[ ${!v} =~ ^[0-9a-f]{64}$ ]] || fail "the page showed $v='${!v}'"
done
# …and it is what the public API says.
req GET /api/v1/public/exams/JJW/proctor_draws
expect_status 200
expect_json '.draws | length' 1
expect_json '.draws[0].status' drawn
expect_json '.draws[0].seed' "$SEED"
expect_json '.draws[0].commitment' "$COMMITMENT"
expect_json '.draws[0].inputs_digest' "$INPUTS_DIGEST"
expect_json '.draws[0].result_digest' "$RESULT_DIGEST"
"$KAOWU" proctor verify --inputs "$WORK/page/inputs.txt" --seed "$SEED" --commitment "$COMMITMENT" \
	--inputs-digest "$INPUTS_DIGEST" --result-digest "$RESULT_DIGEST" >"$WORK/verify.txt" 2>&1 ||
	fail "proctor verify with the public page's values failed: $(cat "$WORK/verify.txt")"
! "$KAOWU" proctor verify --inputs "$WORK/page/inputs.txt" --seed "$(printf '%064d' 0)" --commitment "$COMMITMENT" \
	--result-digest "$RESULT_DIGEST" >/dev/null 2>&1 || fail "a wrong seed verified"
# Nothing was drawn for the exam that is short (SEAT-2: no partial draw).
[ "$(db_query "SELECT COUNT(*) FROM proctor_draws WHERE exam_id = $KE")" = 0 ] || fail "the short exam has a draw"
[ "$(db_query "SELECT COUNT(*) FROM proctor_assignments")" = 11 ] || fail "assignments: $(db_query "SELECT COUNT(*) FROM proctor_assignments")"
server_stop
audit_verify 0
echo ok
