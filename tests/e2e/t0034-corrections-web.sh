#!/usr/bin/env bash
# TKT-3 (AH 19) in Debian's Chromium, driven by playwright-core (tests/browser/corrections.mjs):
# corrections of the admission ticket on the candidate's status view (web/register.html) and
# on the exam-area agency's page (web/corrections.html). The scenario is seated_exam's
# (tests/e2e/seated.sh: three candidates seated and published in JJ27, the server's clock on
# 2026-11-24, before the exam; a fourth paid after publication and has no seat). The walk:
# candidate 4 is told by the server that there is no ticket to correct yet; candidate 1 asks for a new name and a new photo
# with a proof PDF (the form's own refusals first, then the server's "unchanged" beside the
# name field) and sees the request pending; counter staff of the exam area enter the unit's
# request for candidate 2 and may not decide it; agency staff see the queue (oldest first,
# what the ticket says beside what it should say, the current photo beside the new one, the
# proof), cannot refuse without reasons (the form blocks it), refuse candidate 2's with
# reasons, are told in the server's words that candidate 3's was decided meanwhile, approve
# candidate 1's with a note and find the decided ones under the filter; candidate 1 sees the
# approval, candidate 2 the refusal with its reasons (in English too, on a 390-px phone).
# Then the database: the approved name and photo are the candidate's, the refused name is not.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
seated_exam 1 王小明 '["01","02"]' 2 李华 '["01"]' 3 张伟 '["02"]'
register 4 赵敏 '["02"]'                  # paid after the seats were published: no seat, no ticket
staff counter agency_staff "$HF"        # the exam area's counter: enters, does not decide
staff agency2 agency_staff "$PTA"; AG2=$TOKEN

shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots" "$WORK/files"
"$KAOWU" generate photo --pick 2 >"$WORK/files/current.jpg"
"$KAOWU" generate photo --pick 3 >"$WORK/files/new-photo.jpg"
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' >"$WORK/files/户口簿.pdf"
cp "$WORK/files/户口簿.pdf" "$WORK/files/单位证明.pdf"

# Candidate 1 has a photo on record (the one the staff see as the current one).
api "${TOKS[1]}" PUT /api/v1/candidates/me/photo -H 'Content-Type: image/jpeg' --data-binary "@$WORK/files/current.jpg"
expect_status 200
CUR_SHA=$(db_query "SELECT sha256 FROM files WHERE purpose = 'photo' AND candidate_id = (SELECT candidate_id FROM registrations WHERE id = ${REG[1]})")
# Candidate 3's request, over the API: agency2 decides it behind the page's back.
api "${TOKS[3]}" POST "/api/v1/registrations/${REG[3]}/correction_files?kind=proof&label=身份证" -H 'Content-Type: application/pdf' --data-binary "@$WORK/files/户口簿.pdf"
expect_status 201
api "${TOKS[3]}" POST "/api/v1/registrations/${REG[3]}/ticket_corrections" "{\"changes\":{\"name\":\"张玮\"},\"statement\":\"姓名用字有误\",\"proof_files\":[$(jq .id "$WORK/body")]}"
expect_status 201
C3=$(jq -r .id "$WORK/body")

export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_CAND1="${IDN[1]}" KW_CAND2="${IDN[2]}" KW_CAND4="${IDN[4]}" KW_CAND_PASSWORD=cand-pass-1 KW_EXAM_ID="$QE" \
	KW_EXAM_NAME=2027年度经济专业技术资格考试 KW_REG2="${REG[2]}" KW_C3="$C3" KW_FILES="$WORK/files" \
	KW_STATE="$WORK/state"

# ---- walk 1: the candidate applies; the counter enters the unit's request ----
node "$KW_SRC/tests/browser/corrections.mjs" apply "$BASE" "$shots" || fail "browser walk 1 (applying) failed"
[ "$(db_query "SELECT COUNT(*) FROM ticket_corrections WHERE status = 'pending'")" = 3 ] || fail "not three pending requests"
[ "$(db_query "SELECT COUNT(*) FROM files WHERE registration_id = ${REG[4]}")" = 0 ] || fail "a file was stored for a registration without a seat"
# the request corrected and resent did not upload its files again
[ "$(db_query "SELECT COUNT(*) FROM files WHERE registration_id = ${REG[1]} AND purpose LIKE 'correction_%'")" = 2 ] ||
	fail "candidate 1's files were uploaded more than once: $(db_query "SELECT COUNT(*) FROM files WHERE registration_id = ${REG[1]} AND purpose LIKE 'correction_%'")"
# a proof without a name given is named after its file
[ "$(db_query "SELECT label FROM files WHERE registration_id = ${REG[1]} AND purpose = 'correction_proof'")" = 户口簿 ] || fail "the proof is not named after its file"
C1=$(db_query "SELECT id FROM ticket_corrections WHERE registration_id = ${REG[1]}")
C2=$(db_query "SELECT id FROM ticket_corrections WHERE registration_id = ${REG[2]}")
[ "$(db_query "SELECT applicant || '/' || applicant_unit FROM ticket_corrections WHERE id = $C2")" = unit/合肥市统计局 ] || fail "the unit's request is not the unit's"
[ "$(db_query "SELECT entered_by FROM ticket_corrections WHERE id = $C2")" = "$(db_query "SELECT id FROM users WHERE username = 'counter'")" ] ||
	fail "the unit's request does not record who entered it"

# ---- walk 2: the agency decides (candidate 3's decided meanwhile by agency2, over the API) ----
export KW_AG2="$AG2" KW_C1="$C1" KW_C2="$C2"
node "$KW_SRC/tests/browser/corrections.mjs" decide "$BASE" "$shots" || fail "browser walk 2 (deciding) failed"
[ "$(db_query "SELECT status FROM ticket_corrections WHERE id = $C1")" = approved ] || fail "candidate 1's request is not approved"
[ "$(db_query "SELECT status || '/' || decision_reason FROM ticket_corrections WHERE id = $C2")" = "refused/单位证明未加盖公章，请补正后重新申请" ] ||
	fail "candidate 2's request is not refused with the reasons typed"
[ "$(db_query "SELECT decided_by FROM ticket_corrections WHERE id = $C3")" = "$(db_query "SELECT id FROM users WHERE username = 'agency2'")" ] ||
	fail "candidate 3's request was decided twice"
[ "$(db_query "SELECT name FROM candidates WHERE id_number = '${IDN[1]}'")" = 王晓明 ] || fail "the approved name is not on the record"
[ "$(db_query "SELECT name FROM candidates WHERE id_number = '${IDN[2]}'")" = 李华 ] || fail "the refused name reached the record"
NEW_SHA=$(db_query "SELECT sha256 FROM files WHERE purpose = 'photo' AND candidate_id = (SELECT candidate_id FROM registrations WHERE id = ${REG[1]}) ORDER BY id DESC LIMIT 1")
[ "$NEW_SHA" != "$CUR_SHA" ] || fail "the approved photo is not the candidate's photo"
[ "$NEW_SHA" = "$(db_query "SELECT sha256 FROM files WHERE registration_id = ${REG[1]} AND purpose = 'correction_photo'")" ] ||
	fail "the candidate's photo is not the one uploaded with the request"

# ---- walk 3: the applicants read the decisions ----
node "$KW_SRC/tests/browser/corrections.mjs" outcome "$BASE" "$shots" || fail "browser walk 3 (the decisions) failed"
server_stop
audit_verify 0
echo ok
