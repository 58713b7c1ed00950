#!/usr/bin/env bash
# The public query of the qualification-exam integrity archive (Order No. 31 art. 12: queryable
# by employers and the public; INF-5(5)): POST /api/v1/public/integrity_lookup, no login, by
# identity number and name. It answers the qualification entries in term today — one written
# by a decision (exam, act and article cited, deciding unit, number) and one entered by hand —
# never an ended or revoked one (they leave at once), never a civil-service VH entry (VH 15
# shares that archive as credit information, it does not publish it: docs/cases.md), and one
# answer INTEGRITY_NO_MATCH for an unknown number, a wrong name or nothing in term. Rate
# limits per client address (KAOWU_INTEGRITY_ADDRESS_RATE) and per number: 429 with
# Retry-After; Cache-Control: no-store.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AHGWY civil_service_authority provincial "$AH")
staff agency agency_staff "$AH"; AGENCY=$TOKEN
staff proc1 proctor "$AH"; P1=$TOKEN
staff proc2 proctor "$AH"; P2=$TOKEN
staff auth authority_officer "$AH"; AUTH=$TOKEN
staff auth2 authority_officer "$AH"; AUTH2=$TOKEN

api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"ZC\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-31T00:00:00+08:00\",\"exam_date\":\"2027-06-01\",\"ref_date\":\"2027-06-01\"}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":5600}"
expect_status 201
PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
ID1=$(idcard 340104 19900101 111) # decided by a case, then revoked
ID2=$(idcard 340104 19900202 222) # by hand: one entry in term, one ended
ID3=$(idcard 340104 19900303 333) # a civil-service ban only
ID4=$(idcard 340104 19900404 444) # ends today
api "" POST /api/v1/candidates "$(jq -nc --arg i "$ID1" '{id_number:$i,name:"钱七",phone:"13800000000",password:"cand-pass-1"}')"
expect_status 201
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$ID1\",\"password\":\"cand-pass-1\"}"
T1=$(jq -r .token "$WORK/body")
api "$T1" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true}')"
expect_status 201
REG1=$(jq -r .id "$WORK/body")

# entry UNIT ID KIND EFFECT START END NAME: asked for by $A with grounds, approved by $A2.
entry() {
	api "$A" POST /api/v1/archive_entries "{\"unit_id\":$1,\"id_type\":\"resident_id\",\"id_number\":\"$2\",\"person_name\":\"$7\",\"kind\":\"$3\",\"effect\":\"$4\",\"term_start\":\"$5\",\"term_end\":\"$6\",\"source_decision\":\"皖人考决〔$(echo "$5" | cut -c1-4)〕7号\",\"grounds\":\"处理决定书及送达回证\"}"
	expect_status 202
	api "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
	expect_status 200
}
entry "$AH" "$ID2" qualification record 2025-01-01 2029-12-31 孙八
entry "$AH" "$ID2" qualification record 2019-01-01 2023-12-31 孙八
entry "$GWY" "$ID3" civil_service ban 2025-01-01 2029-12-31 赵九
entry "$AH" "$ID4" qualification record 2022-01-01 2026-11-24 周十

# lookup ID NAME: the public query, without a session
lookup() {
	req POST /api/v1/public/integrity_lookup -H 'Content-Type: application/json' --data "$(jq -nc --arg i "$1" --arg n "$2" '{id_number:$i,name:$n}')"
}

# ---- a decision writes a 5-year record (Order No. 31 art. 7) ----
api "$AGENCY" POST /api/v1/cases "{\"registration_id\":$REG1,\"source\":\"room_record\",\"stage\":\"exam\",\"entry_id\":\"ORDER31-7-1-5\",\"facts\":\"考试中使用手机查询答案\",\"occurred_at\":\"2026-11-22T09:40:00+08:00\"}"
expect_status 201
C=$(jq -r .id "$WORK/body")
api "$P1" POST "/api/v1/cases/$C/signatures" '{}'
expect_status 200
api "$P2" POST "/api/v1/cases/$C/signatures" '{}'
expect_status 200
api "$P1" POST "/api/v1/cases/$C/files?kind=evidence&label=photo" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
api "$AGENCY" POST "/api/v1/cases/$C/notice" '{"method":"portal"}'
expect_status 200
api "$T1" POST "/api/v1/cases/$C/defence" '{"waived":true}'
expect_status 200
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$AH}"
expect_status 200
NUMBER=$(jq -r .decision_number "$WORK/body")

# ---- the answers ----
lookup "$ID1" 钱七
expect_status 200
expect_header Cache-Control no-store
expect_json '.items | length' 1
expect_json '.items[0].archive' qualification
expect_json '.items[0].exam_name' 2027年度经济专业技术资格考试
expect_json '.items[0].decision_number' "$NUMBER"
expect_json '.items[0].term_start' 2026-11-24
expect_json '.items[0].term_end' 2031-11-23
expect_json '.items[0].deciding_unit' "AH 单位"
expect_json '.items[0].act.citation_zh' 第七条第一款第五项
expect_json '.items[0].act.regulation_zh' 专业技术人员资格考试违纪违规行为处理规定
[ "$(jq -r .id_number "$WORK/body")" != "$ID1" ] || fail "the answer shows the whole identity number"
lookup "$(echo "$ID1" | tr X x)" " 钱七 "
expect_status 200
# by hand: the entry in term, not the ended one
lookup "$ID2" 孙八
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].term_end' 2029-12-31
expect_json '.items[0].exam_name' null
expect_json '.items[0].decision_number' 皖人考决〔2025〕7号
# one answer for a wrong name, an unknown number, and a civil-service ban (VH 15: not public)
lookup "$ID2" 孙九
expect_error 404 INTEGRITY_NO_MATCH
expect_header Cache-Control no-store
NOMATCH=$(jq -c '.error | del(.details)' "$WORK/body")
lookup "$(idcard 110105 19491231 002)" 孙八
expect_error 404 INTEGRITY_NO_MATCH
[ "$(jq -c '.error | del(.details)' "$WORK/body")" = "$NOMATCH" ] || fail "an unknown number answers otherwise than a wrong name"
lookup "$ID3" 赵九
expect_error 404 INTEGRITY_NO_MATCH
[ "$(jq -c '.error | del(.details)' "$WORK/body")" = "$NOMATCH" ] || fail "a civil-service entry answers otherwise"
lookup "$ID4" 周十
expect_status 200
req POST /api/v1/public/integrity_lookup -H 'Content-Type: application/json' --data '{"id_number":"x"}'
expect_error 400 VALIDATION_FAILED

# ---- the public page, phone first, linked from the notices' footer ----
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
KW_IDN=$ID1 KW_NAME=钱七 KW_EXAM=2027年度经济专业技术资格考试 node "$KW_SRC/tests/browser/outsiders.mjs" integrity "$BASE" "$shots" || fail "browser walk 'integrity' failed"

# ---- revoked: gone at once (INF-5(5)) ----
api "$AUTH" POST "/api/v1/cases/$C/files?kind=change&label=review" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
CF=$(jq -r .id "$WORK/body")
api "$AUTH" POST "/api/v1/cases/$C/changes" "{\"kind\":\"revoke\",\"grounds\":\"行政复议决定撤销原处理决定\",\"evidence_files\":[$CF]}"
expect_status 200
CH=$(jq -r '.changes[-1].id' "$WORK/body")
api "$AUTH2" POST "/api/v1/cases/$C/changes/$CH/approve" '{"reason":"复议决定书已核对"}'
expect_status 200
lookup "$ID1" 钱七
expect_error 404 INTEGRITY_NO_MATCH

# ---- ended: gone the next day ----
server_restart_at 2026-11-25T09:00:00+08:00
lookup "$ID4" 周十
expect_error 404 INTEGRITY_NO_MATCH
lookup "$ID2" 孙八
expect_status 200

# ---- rate limits: per address, then per identity number; 429 with Retry-After ----
server_stop
KAOWU_INTEGRITY_ADDRESS_RATE=3 serve_bg restart
for i in 1 2 3; do lookup "$ID2" 孙八; done
expect_status 200
lookup "$ID2" 孙八
expect_error 429 RATE_LIMITED
[ "$(header Retry-After)" -ge 1 ] || fail "no Retry-After"
server_stop
KAOWU_INTEGRITY_ADDRESS_RATE=1000 serve_bg restart
for i in $(seq 1 10); do lookup "$ID2" "孙$i"; done
expect_error 404 INTEGRITY_NO_MATCH
lookup "$ID2" 孙八
expect_error 429 RATE_LIMITED
lookup "$ID4" 周十
expect_error 404 INTEGRITY_NO_MATCH

audit_verify 0
echo ok
