#!/usr/bin/env bash
# Outsiders' cases and their referral (VIO-11; VH 23), and the units' document-number prefix
# (VH annex: 皖公务员决〔2026〕N号). An outsider — neither candidate nor staff, here a stand-in
# who is not registered — gets a case from a room record with the 2-signature record (VH 18)
# and evidence; kaowu gives an outsider no notice, decision, ban or effect
# (CASE_OUTSIDER_NO_PENALTY, each step tried): the case is closed by its referral to the
# competent authority, tracked to the authority's reply, never an archive entry; it names the
# candidate's case it belongs with and both show the link. The prefix: validated, used by the
# notice and the letter of the unit that issues them, the code when it has none, and numbers
# already issued never change.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AHGWY civil_service_authority provincial "$AH")
R1=$(unit 10001 recruiter provincial "$GWY")
JS=$(unit JS provincial_authority provincial "$root")
staff agency agency_staff "$AH"; AGENCY=$TOKEN
staff proc1 proctor "$AH"; P1=$TOKEN
staff proc2 proctor "$AH"; P2=$TOKEN
staff auth civil_service_authority_officer "$GWY"; AUTH=$TOKEN
staff jsagency agency_staff "$JS"; JSAG=$TOKEN

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-31T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"GWY\",\"name\":\"2027年度安徽省考试录用公务员\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,$window}"
expect_status 201
CS=$(jq -r .id "$WORK/body")
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY,10001,100011,科员,general,5\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
POS=$(db_query "SELECT id FROM positions WHERE code = '100011'")
AHV=$(jq -r .AH.version "$KW_SRC/data/pledges/pledges.json")
declare -A TOK REG IDN
for i in 1 2; do
	IDN[$i]=$(idcard 340104 1990030$i 31$i)
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$i]}" --arg n "考生$i" '{id_number:$i,name:$n,phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$i]}\",\"password\":\"cand-pass-1\"}"
	TOK[$i]=$(jq -r .token "$WORK/body")
	api "${TOK[$i]}" POST /api/v1/registrations "$(jq -nc --argjson e "$CS" --argjson p "$POS" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true}')"
	expect_status 201
	REG[$i]=$(jq -r .id "$WORK/body")
done

# ---- the document-number prefix of a unit: validated, set by who may create units there ----
for bad in '"皖1"' '"皖〔"' '"皖人考皖人考皖人考皖人考皖"' '"a b"' '5'; do
	api "$A" PUT "/api/v1/units/$GWY/doc_prefix" "{\"doc_prefix\":$bad}"
	[ "$(jq -r .error.code "$WORK/body")" = UNIT_DOC_PREFIX_INVALID ] || [ "$(jq -r .error.code "$WORK/body")" = VALIDATION_FAILED ] || fail "prefix $bad: $(body)"
	expect_status 400
done
api "$P1" PUT "/api/v1/units/$GWY/doc_prefix" '{"doc_prefix":"皖公务员"}'
expect_error 403 FORBIDDEN
[ "$(db_query "SELECT COUNT(*) FROM units WHERE doc_prefix IS NOT NULL")" = 0 ] || fail "a refused prefix was written"
api "$A" PUT "/api/v1/units/$GWY/doc_prefix" '{"doc_prefix":"皖公务员"}'
expect_status 200
expect_json .number_prefix 皖公务员
api "$A" GET /api/v1/units
[ "$(jq -r --argjson u "$GWY" '.items[] | select(.id == $u) | .doc_prefix' "$WORK/body")" = 皖公务员 ] || fail "the units list does not show the prefix"

# ---- the candidate's case: notice and letter numbered with the prefix ----
open='{"registration_id":'"${REG[1]}"',"source":"room_record","source_ref":"第012考场记录","stage":"exam","subject":"行政职业能力测验","entry_id":"VH-8-1-3","facts":"经核验，在第012考场代考生1参加考试的人员并非考生本人","occurred_at":"2026-11-22T09:40:00+08:00","place":"合肥一中 第012考场","actions_taken":"当场制止，核验身份，拍照固定证据"}'
api "$AGENCY" POST /api/v1/cases "$open"
expect_status 201
C=$(jq -r .id "$WORK/body")
api "$P1" POST "/api/v1/cases/$C/signatures" '{"role_note":"监考员"}'
expect_status 200
api "$P2" POST "/api/v1/cases/$C/signatures" '{"role_note":"监考员"}'
expect_status 200
api "$P1" POST "/api/v1/cases/$C/files?kind=evidence&label=photo" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
api "$AGENCY" POST "/api/v1/cases/$C/notice" '{"method":"portal"}'
expect_status 200
expect_json .notice_number "皖公务员告〔2026〕${C}号"
api "${TOK[1]}" POST "/api/v1/cases/$C/defence" '{"waived":true}'
expect_status 200
api "$AUTH" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$GWY,\"ban_start\":\"2026-11-24\"}"
expect_status 200
expect_json .decision_number "皖公务员决〔2026〕${C}号"
LETTER=$(jq -r '.files[] | select(.kind == "letter") | .url' "$WORK/body")
api "$AUTH" GET "$LETTER"
expect_status 200
pdftotext "$WORK/body" - | tr -d ' \n' | grep -q "皖公务员决〔2026〕${C}号" || fail "the letter PDF does not carry the prefixed number"
SHA=$(db_query "SELECT sha256 FROM case_files WHERE case_id = $C AND kind = 'letter'")
# a new prefix, then none: the numbers issued stay as they were; the next notice uses the code
api "$A" PUT "/api/v1/units/$GWY/doc_prefix" '{"doc_prefix":"皖公考"}'
expect_status 200
api "$A" PUT "/api/v1/units/$GWY/doc_prefix" '{"doc_prefix":null}'
expect_status 200
expect_json .number_prefix AHGWY
api "$AUTH" GET "/api/v1/cases/$C"
expect_json .decision_number "皖公务员决〔2026〕${C}号"
expect_json .notice_number "皖公务员告〔2026〕${C}号"
[ "$(db_query "SELECT sha256 FROM case_files WHERE case_id = $C AND kind = 'letter'")" = "$SHA" ] || fail "the issued letter changed"
api "$AGENCY" POST /api/v1/cases "$(jq -c --argjson r "${REG[2]}" '.registration_id = $r' <<<"$open")"
expect_status 201
C2=$(jq -r .id "$WORK/body")
api "$P1" POST "/api/v1/cases/$C2/signatures" '{}'
api "$P2" POST "/api/v1/cases/$C2/signatures" '{}'
api "$P1" POST "/api/v1/cases/$C2/files?kind=evidence&label=photo" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
api "$AGENCY" POST "/api/v1/cases/$C2/notice" '{"method":"portal"}'
expect_status 200
expect_json .notice_number "AHGWY告〔2026〕${C2}号"

# ---- VIO-11: an outsider's case ----
OUT_ID=$(idcard 340102 19880808 555)
outsider=$(jq -nc --argjson e "$CS" --argjson c "$C" --arg i "$OUT_ID" '{party:"outsider",exam_id:$e,person_name:"张某某",id_type:"resident_id",id_number:$i,outsider_role:"stand_in",linked_case_id:$c,source:"room_record",source_ref:"第012考场记录",stage:"exam",facts:"张某某持考生1的准考证和伪造的身份证件进入第012考场代替考生1参加考试",occurred_at:"2026-11-22T09:40:00+08:00",place:"合肥一中 第012考场",actions_taken:"当场制止，移交考点公安值守人员"}')
api "$AGENCY" POST /api/v1/cases "$(jq -c '.outsider_role = "bystander"' <<<"$outsider")"
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST /api/v1/cases "$(jq -c '.id_number = "340102198808085550"' <<<"$outsider")"
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST /api/v1/cases "$(jq -c '.linked_case_id = 99999' <<<"$outsider")"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' unknown_case
api "$AGENCY" POST /api/v1/cases "$(jq -c '.party = "visitor"' <<<"$outsider")"
expect_error 400 VALIDATION_FAILED
api "$JSAG" POST /api/v1/cases "$outsider"
expect_error 404 NOT_FOUND
api "${TOK[1]}" POST /api/v1/cases "$outsider"
expect_error 403 FORBIDDEN
[ "$(db_query "SELECT COUNT(*) FROM cases WHERE party = 'outsider'")" = 0 ] || fail "a refused outsider case was written"
api "$AGENCY" POST /api/v1/cases "$outsider"
expect_status 201
expect_json .party outsider
expect_json .status open
expect_json .person_name 张某某
expect_json .registration_id null
expect_json .linked_case.id "$C"
O=$(jq -r .id "$WORK/body")
# the link shows from the candidate's case too
api "$AUTH" GET "/api/v1/cases/$C"
expect_json '.outsider_cases[0].id' "$O"
expect_json '.outsider_cases[0].outsider_role' stand_in
# a second outsider may be linked to a candidate's case only, of the same exam
api "$AGENCY" POST /api/v1/cases "$(jq -c --argjson o "$O" '.linked_case_id = $o | .person_name = "李某"' <<<"$outsider")"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' not_a_candidate_case

# nothing of the candidate's procedure, nothing that penalises (VH 23)
api "$AGENCY" POST "/api/v1/cases/$O/notice" '{"method":"portal"}'
expect_error 422 CASE_OUTSIDER_NO_PENALTY
expect_json .error.rule VIO-11
api "$AUTH" POST "/api/v1/cases/$O/decision" "{\"unit_id\":$GWY,\"ban_start\":\"2026-11-24\"}"
expect_error 422 CASE_OUTSIDER_NO_PENALTY
api "$AGENCY" POST "/api/v1/cases/$O/defence" '{"waived":true}'
expect_error 422 CASE_OUTSIDER_NO_PENALTY
api "$AGENCY" POST "/api/v1/cases/$O/service" '{"method":"direct","receipt_date":"2026-11-24"}'
expect_error 422 CASE_OUTSIDER_NO_PENALTY
api "$AGENCY" POST "/api/v1/cases/$O/changes" '{"kind":"revoke","grounds":"x"}'
expect_error 422 CASE_OUTSIDER_NO_PENALTY
api "$AGENCY" POST "/api/v1/cases/$O/appeals" '{"kind":"review","filed_on":"2026-11-24"}'
expect_error 422 CASE_OUTSIDER_NO_PENALTY
api "$AUTH" GET "/api/v1/cases/$O/drafts/letter?unit_id=$GWY"
expect_error 422 CASE_OUTSIDER_NO_PENALTY
api "$AUTH" POST "/api/v1/cases/$O/consequences" '{"kind":"employer_notified","to":"某公司","on":"2026-11-24"}'
expect_error 422 CASE_OUTSIDER_NO_PENALTY
# the referral closes it, after the 2-signature record (VH 18) and the evidence
ref='{"kind":"referred_authority","to":"合肥市公安局蜀山分局","on":"2026-11-24","reply_due":"2026-12-24","note":"涉嫌代替他人参加法律规定的国家考试"}'
api "$AUTH" POST "/api/v1/cases/$O/consequences" "$ref"
expect_error 422 CASE_SIGNATURES
api "$P1" POST "/api/v1/cases/$O/signatures" '{"role_note":"监考员"}'
expect_status 200
api "$P2" POST "/api/v1/cases/$O/signatures" '{"role_note":"监考员"}'
expect_status 200
api "$AUTH" POST "/api/v1/cases/$O/consequences" "$ref"
expect_error 422 CASE_EVIDENCE_REQUIRED
api "$P1" POST "/api/v1/cases/$O/files?kind=evidence&label=%E4%BC%AA%E9%80%A0%E8%AF%81%E4%BB%B6" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
api "$AUTH" POST "/api/v1/cases/$O/consequences" "$(jq -c '.reply_due = "2026-11-01"' <<<"$ref")"
expect_error 400 VALIDATION_FAILED
api "$AUTH" POST "/api/v1/cases/$O/consequences" "$ref"
expect_status 200
expect_json .status referred
expect_json '.referrals[0].authority' 合肥市公安局蜀山分局
expect_json '.referrals[0].reply_due' 2026-12-24
expect_json '.referrals[0].replied_on' null
R1=$(jq -r '.referrals[0].id' "$WORK/body")
api "$AUTH" POST "/api/v1/cases/$O/consequences" '{"kind":"referred_authority","to":"张某某所在单位","on":"2026-11-24"}'
expect_status 200
expect_json '.referrals | length' 2
api "$P1" POST "/api/v1/cases/$O/signatures" '{}'
expect_error 409 CASE_STATE
api "$P1" POST "/api/v1/cases/$O/files?kind=evidence&label=%E7%A7%BB%E9%80%81%E5%87%BD" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
# tracked to the authority's reply
api "$AGENCY" POST "/api/v1/cases/$O/referral_replies" "{\"referral_id\":$R1,\"replied_on\":\"2026-11-25\",\"reply\":\"已立案\"}"
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST "/api/v1/cases/$O/referral_replies" "{\"referral_id\":99999,\"replied_on\":\"2026-11-24\",\"reply\":\"已立案\"}"
expect_error 400 VALIDATION_FAILED
api "$AGENCY" POST "/api/v1/cases/$O/referral_replies" "{\"referral_id\":$R1,\"replied_on\":\"2026-11-24\",\"reply\":\"已对张某某立案侦查\"}"
expect_status 200
expect_json '.referrals[0].replied_on' 2026-11-24
expect_json '.referrals[0].reply' 已对张某某立案侦查
expect_json '.referrals[1].replied_on' null
api "$AGENCY" POST "/api/v1/cases/$O/referral_replies" "{\"referral_id\":$R1,\"replied_on\":\"2026-11-24\",\"reply\":\"again\"}"
expect_error 409 CASE_REFERRAL_REPLIED
api "$AGENCY" GET "/api/v1/cases/$O"
[ "$(jq -r '[.events[].kind] | join(",")' "$WORK/body")" = "open,consequence,consequence,referral_reply" ] || fail "timeline: $(jq -c '[.events[].kind]' "$WORK/body")"
api "$AGENCY" GET "/api/v1/cases?status=referred"
expect_json '[.items[].id] | map(tostring) | join(",")' "$O"
# never an archive entry for the outsider; the candidate's ban is there
[ "$(db_query "SELECT COUNT(*) FROM archive_entries WHERE id_number = '$OUT_ID'")" = 0 ] || fail "an outsider got an archive entry"
[ "$(db_query "SELECT COUNT(*) FROM archive_entries WHERE id_number = '${IDN[1]}'")" = 1 ] || fail "the candidate's ban is missing"

# ---- the web: the outsider's case page, its reply form, a new outsider's case ----
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
KW_CASE=$O KW_LINKED=$C KW_EXAM_NAME=2027年度安徽省考试录用公务员 node "$KW_SRC/tests/browser/outsiders.mjs" outsider "$BASE" "$shots" || fail "browser walk 'outsider' failed"
[ "$(db_query "SELECT COUNT(*) FROM case_referrals WHERE case_id = $O AND replied_on IS NOT NULL")" = 2 ] || fail "the reply entered on the page was not recorded"
[ "$(db_query "SELECT COUNT(*) FROM cases WHERE party = 'outsider' AND person_name = '王某' AND outsider_role = 'outside_help'")" = 1 ] || fail "the outsider's case opened on the page is missing"
audit_verify 0
echo "ok"
