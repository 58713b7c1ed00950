#!/usr/bin/env bash
# Violation cases on the web (issue 8, item 7; VIO-0, VIO-7, VIO-8, VIO-9, REG-5) in Debian's
# Chromium, driven by playwright-core (tests/browser/cases.mjs): a room-record violation
# through notice, defence, decision letter and ban, then a registration attempt refused.
# Agency staff open the case from the registration on web/cases.html, two proctors sign the
# on-the-spot record and the evidence is uploaded, the notice goes out (refused by the server
# before the signatures; its draft previewed first, and refused to a proctor); the candidate
# reads it in the portal and sends the statement and defence with a paper; the server's clock
# is moved past the defence period (5 working days: 2026-12-01) and the authority reviews the
# defence, previews the draft letter in the name of the unit chosen, is refused deciding in a
# county unit's name (VIO-7), decides in the provincial unit's, downloads the numbered letter,
# records that the employer was told (VH 13, the form of the other consequences) and the
# service; the archive search shows the ban, the ledger its change, a proctor the server's
# refusal; the candidate downloads the letter, reads the right to review or sue, and is
# refused registering for another civil-service exam with the server's REG_BANNED message.
# Then a revocation (INF-5(5), INF-4): asked by the agency with the review decision as its
# paper, approved by the authority (not the maker); every effect undone.
# Between the walks the database is checked: signatures, evidence, the defence, the decision's
# effects (registration cancelled, the archive ban from the decision date), the letter's
# text (pdftotext: the number, the citation, the penalty), the drafts' text (marked 草稿, cited,
# unnumbered, never stored) and the consequence's event.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AHGWY civil_service_authority provincial "$AH")
HF=$(unit HFGWY civil_service_authority prefecture "$GWY")
FX=$(unit FXGWY civil_service_authority county "$HF")
R1=$(unit 10001 recruiter provincial "$GWY")
staff agency agency_staff "$AH"
staff proc1 proctor "$AH"
staff proc2 proctor "$AH"
staff auth civil_service_authority_officer "$GWY"
staff rev qualification_reviewer "$R1"; REV=$TOKEN

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-31T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
for code in GWY GWY2; do
	api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"$code\",\"name\":\"2027年度安徽省考试录用公务员 $code\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,$window}"
	expect_status 201
done
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY,10001,100011,科员,general,5\nGWY2,10001,200011,综合管理,general,5\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
POS=$(db_query "SELECT id FROM positions WHERE code = '100011'")
AHV=$(jq -r .AH.version "$KW_SRC/data/pledges/pledges.json")
CS=$(db_query "SELECT id FROM exams WHERE code = 'GWY'")
IDN=$(idcard 340104 19900201 211)
api "" POST /api/v1/candidates "$(jq -nc --arg i "$IDN" '{id_number:$i,name:"王明",phone:"13800000000",password:"cand-pass-1"}')"
expect_status 201
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$IDN\",\"password\":\"cand-pass-1\"}"
TOK=$(jq -r .token "$WORK/body")
api "$TOK" POST /api/v1/registrations "$(jq -nc --argjson e "$CS" --argjson p "$POS" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true}')"
expect_status 201
REG=$(jq -r .id "$WORK/body")
api "$REV" POST "/api/v1/registrations/$REG/review" '{"decision":"approve"}'
expect_status 200

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots" "$WORK/files" "$WORK/out"
cp "$KW_SRC/tests/data/uploads/landscape.jpg" "$WORK/files/"
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' >"$WORK/files/情况说明.pdf"
cp "$WORK/files/情况说明.pdf" "$WORK/files/行政复议决定书.pdf"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_CAND="$IDN" KW_CAND_PASSWORD=cand-pass-1 KW_REG="$REG" KW_FILES="$WORK/files" KW_OUT="$WORK/out"
walk() { node "$KW_SRC/tests/browser/cases.mjs" "$1" "$BASE" "$shots" || fail "browser walk '$1' failed"; }

# ---- walk 1: the case opened, signed by two, the evidence, the notice (VIO-8) ----
walk record
C=$(db_query "SELECT id FROM cases")
[ "$(db_query "SELECT status || '/' || entry_id || '/' || catalogue || '/' || catalogue_version || '/' || source FROM cases")" = "notified/VH-7-1-3/VH/2021-09-18/room_record" ] ||
	fail "the case: $(db_query "SELECT status, entry_id, catalogue, source FROM cases")"
[ "$(db_query "SELECT COUNT(*) FROM case_signatures WHERE case_id = $C")" = 2 ] || fail "not two signatures"
[ "$(db_query "SELECT COUNT(*) FROM case_files WHERE case_id = $C AND kind = 'evidence'")" = 1 ] || fail "the evidence is not on file"
[ "$(db_query "SELECT defence_due FROM cases")" = 2026-12-01 ] || fail "the defence period: $(db_query "SELECT defence_due FROM cases")"
[ "$(db_query "SELECT occurred_at FROM cases")" != "" ] || fail "no time of the act"
# the draft notice downloaded before sending: marked, cited, unnumbered; only the issued one on file
pdftotext "$WORK/out/notice-draft.pdf" - | tr -d ' \n' >"$WORK/notice-draft.txt"
for s in 公务员录用违规违纪行为陈述申辩告知书 草稿 编号：（草稿，签发时编号） 第七条第一款第三项 2026年12月1日; do
	grep -q "$s" "$WORK/notice-draft.txt" || fail "the draft notice lacks $s"
done
[ "$(db_query "SELECT COUNT(*) FROM case_files WHERE case_id = $C AND kind = 'notice'")" = 1 ] || fail "a draft notice was stored"

# ---- walk 2: the candidate's statement and defence ----
export KW_CASE="$C"
walk defend
[ "$(db_query "SELECT defence_text FROM cases")" = 手机是关机状态，我只是想看时间。 ] || fail "the defence is not recorded"
[ "$(db_query "SELECT COUNT(*) FROM case_files WHERE case_id = $C AND kind = 'defence' AND label = '情况说明'")" = 1 ] || fail "the defence paper is not on file"
pdftotext "$WORK/out/notice.pdf" - | tr -d ' \n' | grep -q 2026年12月1日 || fail "the notice downloaded does not give the end of the defence period"

# ---- walk 3: past the defence period, the decision (VIO-7), the letter, service, the archive ----
server_restart_at 2026-12-02T10:00:00+08:00
export KW_UNIT_OK="$GWY" KW_UNIT_LOW="$FX"
walk decide
NUMBER=$(db_query "SELECT decision_number FROM cases")
[ "$(db_query "SELECT status || '/' || decider_unit_id || '/' || decision_date || '/' || penalty FROM cases")" = "served/$GWY/2026-12-02/cancel_plus_5_year_ban" ] ||
	fail "the decision: $(db_query "SELECT status, decider_unit_id, decision_date, penalty FROM cases")"
[ "$(db_query "SELECT status FROM registrations WHERE id = $REG")" = cancelled ] || fail "the registration was not cancelled"
[ "$(db_query "SELECT kind || '/' || effect || '/' || term_start || '/' || term_end || '/' || case_id || '/' || source_decision FROM archive_entries")" = "civil_service/ban/2026-12-02/2031-12-01/$C/$NUMBER" ] ||
	fail "the archive entry: $(db_query "SELECT * FROM archive_entries")"
pdftotext "$WORK/out/letter-staff.pdf" - | tr -d ' \n' >"$WORK/letter-staff.txt"
for s in 公务员录用违规违纪行为处理决定书 "$NUMBER" 王明 第七条第一款第三项 取消本次考试资格并五年内限制报考公务员; do
	grep -q "$s" "$WORK/letter-staff.txt" || fail "the letter downloaded by staff lacks $s"
done
# the draft letter previewed before deciding: in the chosen unit's name, marked, unnumbered
pdftotext "$WORK/out/letter-draft.pdf" - | tr -d ' \n' >"$WORK/letter-draft.txt"
for s in 公务员录用违规违纪行为处理决定书 草稿 编号：（草稿，签发时编号） 王明 第七条第一款第三项 取消本次考试资格并五年内限制报考公务员 AHGWY单位; do
	grep -q "$s" "$WORK/letter-draft.txt" || fail "the draft letter lacks $s"
done
! grep -q "$NUMBER" "$WORK/letter-draft.txt" || fail "the draft letter carries the number $NUMBER"
[ "$(db_query "SELECT COUNT(*) FROM case_files WHERE case_id = $C AND kind = 'letter'")" = 1 ] || fail "a draft letter was stored"
# VH 13: the employer told, one event of kind consequence (the refused attempts recorded nothing)
[ "$(db_query "SELECT COUNT(*) FROM case_events WHERE case_id = $C AND kind = 'consequence'")" = 1 ] ||
	fail "consequence events: $(db_query "SELECT details FROM case_events WHERE kind = 'consequence'")"
[ "$(db_query "SELECT details FROM case_events WHERE case_id = $C AND kind = 'consequence'" | jq -r '[.kind, .to, .on, .note] | join("/")')" = \
	"employer_notified/合肥市某局/2026-12-02/函告违规违纪事实及处理结果" ] ||
	fail "the consequence: $(db_query "SELECT details FROM case_events WHERE kind = 'consequence'")"

# ---- walk 4: the candidate sees the decision; another civil-service exam refused (REG-5) ----
export KW_EXAM2_NAME="2027年度安徽省考试录用公务员 GWY2" KW_POS2=200011
walk after
pdftotext "$WORK/out/letter.pdf" - | tr -d ' \n' | grep -q "$NUMBER" || fail "the letter the candidate downloaded lacks its number $NUMBER"
cmp -s "$WORK/out/letter.pdf" "$WORK/out/letter-staff.pdf" || fail "the candidate's letter is not the one staff downloaded"
[ "$(db_query "SELECT COUNT(*) FROM registrations WHERE exam_id <> $CS")" = 0 ] || fail "the banned candidate was registered for another exam"

# ---- walk 5: a revocation with new evidence, approved by a second person (INF-5(5), INF-4) ----
walk revoke
[ "$(db_query "SELECT status FROM cases")" = revoked ] || fail "the case is not revoked"
[ "$(db_query "SELECT status || '/' || CASE WHEN maker_id <> checker_id THEN 'two people' ELSE 'one' END FROM case_changes")" = "approved/two people" ] ||
	fail "the change: $(db_query "SELECT status, maker_id, checker_id FROM case_changes")"
[ "$(db_query "SELECT COUNT(*) FROM case_files WHERE kind = 'change'")" = 1 ] || fail "the revocation's paper is not on file"
[ "$(db_query "SELECT status FROM registrations WHERE id = $REG")" = approved ] || fail "the registration was not restored"
[ "$(db_query "SELECT COUNT(*) FROM archive_entries WHERE revoked_at IS NOT NULL")" = 1 ] || fail "the archive entry was not revoked"
server_stop
audit_verify 0
echo ok
