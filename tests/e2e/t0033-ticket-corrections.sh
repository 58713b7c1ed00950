#!/usr/bin/env bash
# TKT-3 (AH 19): corrections of what an admission ticket prints. The candidate, or their unit
# through the agency's counter, applies before the exam with proof; the exam-area agency
# decides; the applicant sees the decision, and a refusal carries its reasons. An approval
# corrects the candidate's record and revokes the valid ticket: the next ticket prints the
# corrected name and the old QR no longer verifies. Bad input changes nothing: no ticket yet,
# no proof, a field that is not correctable (the seat: SEAT-1), an unchanged value, another
# candidate's registration or file, a second request while one is pending, a document held
# by another account, a refusal without reasons, the person who entered it deciding it
# (INF-4), an agency of another exam area, and a request after the exam has begun.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
seated_exam 1 王小明 '["01","02"]' 2 李华 '["01"]'
# an agency of another exam area of the same province, and a candidate paid after publication
WH=$(unit AH-WH area_agency prefecture "$PTA")
staff whag agency_staff "$WH"; WHAG=$TOKEN
staff counter agency_staff "$HF"; CTR=$TOKEN
register 3 赵敏 '["02"]'
"$KAOWU" generate photo --pick 3 >"$WORK/photo.jpg"
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' >"$WORK/proof.pdf"
upload() { # upload TOKEN REG KIND TYPE FILE [LABEL]
	api "$1" POST "/api/v1/registrations/$2/correction_files?kind=$3${6:+&label=$6}" -H "Content-Type: $4" --data-binary "@$5"
}
count() { db_query "SELECT COUNT(*) FROM ticket_corrections $1"; }

# ---- no published seat, no correction (TKT-3: it corrects a ticket) ----
api "${TOKS[3]}" GET "/api/v1/registrations/${REG[3]}/ticket_corrections"
expect_status 200
expect_json .askable false
expect_json .not_askable CORRECTION_NO_TICKET
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket_corrections"
expect_json .askable true
upload "${TOKS[3]}" "${REG[3]}" proof application/pdf "$WORK/proof.pdf" 户籍证明
expect_error 409 CORRECTION_NO_TICKET
api "${TOKS[3]}" POST "/api/v1/registrations/${REG[3]}/ticket_corrections" '{"changes":{"name":"赵敏敏"},"statement":"姓名有误","proof_files":[1]}'
expect_error 409 CORRECTION_NO_TICKET
[ "$(db_query "SELECT COUNT(*) FROM files WHERE purpose LIKE 'correction_%'")" = 0 ] || fail "a refused upload was stored"

# ---- the candidate's files: a proof and the new photo ----
upload "${TOKS[1]}" "${REG[1]}" proof application/pdf "$WORK/proof.pdf" 户口簿
expect_status 201
P1=$(jq -r .id "$WORK/body")
expect_json .purpose correction_proof
upload "${TOKS[1]}" "${REG[1]}" photo image/jpeg "$WORK/photo.jpg"
expect_status 201
PH1=$(jq -r .id "$WORK/body")
upload "${TOKS[1]}" "${REG[1]}" photo application/pdf "$WORK/proof.pdf"
expect_error 415 UNSUPPORTED_FILE_TYPE
upload "${TOKS[1]}" "${REG[1]}" seat application/pdf "$WORK/proof.pdf"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' kind
# another candidate cannot add files to this registration, nor anyone anonymous
upload "${TOKS[2]}" "${REG[1]}" proof application/pdf "$WORK/proof.pdf" x
expect_error 404 NOT_FOUND
upload "" "${REG[1]}" proof application/pdf "$WORK/proof.pdf" x
expect_status 401
upload "${TOKS[2]}" "${REG[2]}" proof application/pdf "$WORK/proof.pdf" 单位证明
expect_status 201
P2=$(jq -r .id "$WORK/body")

# ---- bad requests change nothing ----
R1="/api/v1/registrations/${REG[1]}/ticket_corrections"
api "${TOKS[1]}" POST "$R1" '{"changes":{"name":"王晓明"},"statement":"姓名错一字"}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' proof_files
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"seat\":\"01\"},\"statement\":\"想换座位\",\"proof_files\":[$P1]}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' not_correctable
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"name\":\"王小明\"},\"statement\":\"x\",\"proof_files\":[$P1]}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' unchanged
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"name\":\"王晓明\"},\"statement\":\"x\",\"proof_files\":[$P2]}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' unknown_file
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"id_number\":\"340104199101010010\"},\"statement\":\"x\",\"proof_files\":[$P1]}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' changes.id_number
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"name\":\"王晓明\"},\"statement\":\"x\",\"proof_files\":[$P1],\"applicant\":\"unit\",\"applicant_unit\":\"某单位\"}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' applicant
# the document of another account (candidate 2's) is refused before anything is written
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"id_number\":\"${IDN[2]}\"},\"statement\":\"x\",\"proof_files\":[$P1]}"
expect_error 409 CORRECTION_ID_TAKEN
api "${TOKS[2]}" POST "$R1" "{\"changes\":{\"name\":\"王晓明\"},\"statement\":\"x\",\"proof_files\":[$P1]}"
expect_error 404 NOT_FOUND
[ "$(count "")" = 0 ] || fail "a refused request was stored"

# ---- the candidate applies: name and photo ----
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"name\":\"王晓明\",\"photo_file\":$PH1},\"statement\":\"姓名错一字，照片为旧照\",\"proof_files\":[$P1]}"
expect_status 201
expect_json .status pending
expect_json .applicant candidate
expect_json .previous.name 王小明
expect_json .changes.name 王晓明
C1=$(jq -r .id "$WORK/body")
api "${TOKS[1]}" POST "$R1" "{\"changes\":{\"name\":\"王晓明\"},\"statement\":\"再次申请\",\"proof_files\":[$P1]}"
expect_error 409 CORRECTION_PENDING

# ---- who sees and decides it: the exam-area agency (HF, and PTA above it), not WH ----
api "$AG" GET "/api/v1/exams/$QE/ticket_corrections?status=pending"
expect_status 200
expect_json '[.items[].id] == ['"$C1"']' true
api "$WHAG" GET "/api/v1/exams/$QE/ticket_corrections"
expect_status 200
expect_json '.items | length' 0
api "$WHAG" POST "/api/v1/ticket_corrections/$C1/approve" '{}'
expect_error 404 NOT_FOUND
api "${TOKS[1]}" POST "/api/v1/ticket_corrections/$C1/approve" '{}'
expect_status 403
api "$CTR" GET "/api/v1/ticket_corrections/$C1/files/$P1"
expect_status 200
expect_header Content-Type application/pdf
api "$CTR" GET "/api/v1/ticket_corrections/$C1/files/$P2"
expect_error 404 NOT_FOUND
api "$AG" GET "/api/v1/exams/$QE/ticket_corrections?status=maybe"
expect_error 400 VALIDATION_FAILED

# ---- the unit applies through the counter (staff enter it); they do not decide it ----
R2="/api/v1/registrations/${REG[2]}/ticket_corrections"
api "$CTR" POST "$R2" "{\"changes\":{\"name\":\"李桦\"},\"statement\":\"单位报名时录错姓名\",\"proof_files\":[$P2],\"applicant\":\"unit\"}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' applicant_unit
api "$CTR" POST "$R2" "{\"changes\":{\"name\":\"李桦\"},\"statement\":\"单位报名时录错姓名\",\"proof_files\":[$P2],\"applicant\":\"unit\",\"applicant_unit\":\"合肥市统计局\"}"
expect_status 201
expect_json .applicant unit
expect_json .applicant_unit 合肥市统计局
expect_json .entered_by_name counter
expect_json '.proofs[0].label' 单位证明
expect_json '.proofs[0].media_type' application/pdf
C2=$(jq -r .id "$WORK/body")
api "$CTR" POST "/api/v1/ticket_corrections/$C2/refuse" '{"reason":"材料不足"}'
expect_error 403 SELF_APPROVAL
# AH 19: a refusal gives its reasons
api "$AG" POST "/api/v1/ticket_corrections/$C2/refuse" '{}'
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' reason
api "$AG" POST "/api/v1/ticket_corrections/$C2/refuse" '{"reason":"单位证明未加盖公章，请补正后重新申请"}'
expect_status 200
expect_json .status refused
api "${TOKS[2]}" GET "$R2"
expect_status 200
expect_json '.items[0].status' refused
expect_json '.items[0].decision_reason' 单位证明未加盖公章，请补正后重新申请
[ "$(db_query "SELECT name FROM candidates WHERE id_number = '${IDN[2]}'")" = 李华 ] || fail "a refused correction changed the name"
api "$AG" POST "/api/v1/ticket_corrections/$C2/approve" '{}'
expect_error 409 APPROVAL_DECIDED

# ---- in the printing period: the ticket before, the approval, the ticket after ----
server_restart_at 2027-05-25T10:00:00+08:00
cand_login 1
login agency agency-password-1; AG=$TOKEN
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_status 200
cp "$WORK/body" "$WORK/v1.pdf"
pdftotext "$WORK/v1.pdf" "$WORK/v1.txt"
grep -q 王小明 "$WORK/v1.txt" || fail "the first ticket lacks the name as registered"
pdftoppm -r 150 -png -f 1 -l 1 "$WORK/v1.pdf" "$WORK/qr"
Q1=$(zbarimg -q --raw "$WORK"/qr*.png 2>/dev/null | head -n1)
[ -n "$Q1" ] || fail "no QR code read from the first ticket"
api "" POST /api/v1/tickets/verify "{\"payload\":\"$Q1\"}"
expect_status 200
expect_json .valid true
api "$AG" POST "/api/v1/ticket_corrections/$C1/approve" '{"reason":"经核对户口簿，同意更正"}'
expect_status 200
expect_json .status approved
[ "$(db_query "SELECT name FROM candidates WHERE id_number = '${IDN[1]}'")" = 王晓明 ] || fail "the approved name is not on the record"
[ "$(db_query "SELECT status FROM tickets WHERE registration_id = ${REG[1]}")" = revoked ] || fail "the ticket printed before the correction is still valid"
api "" POST /api/v1/tickets/verify "{\"payload\":\"$Q1\"}"
expect_status 200
expect_json .valid false
expect_json .reason REVOKED
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_status 200
cp "$WORK/body" "$WORK/v2.pdf"
pdftotext "$WORK/v2.pdf" "$WORK/v2.txt"
grep -q 王晓明 "$WORK/v2.txt" || fail "the ticket after the correction lacks the corrected name"
! grep -q 王小明 "$WORK/v2.txt" || fail "the ticket after the correction still prints the old name"
[ "$(db_query "SELECT MAX(version) FROM tickets WHERE registration_id = ${REG[1]}")" = 2 ] || fail "no second ticket version"
# the corrected photo is the candidate's photo now
[ "$(db_query "SELECT sha256 FROM files WHERE purpose = 'photo' AND candidate_id = (SELECT candidate_id FROM registrations WHERE id = ${REG[1]}) ORDER BY id DESC LIMIT 1")" = \
	"$(db_query "SELECT sha256 FROM files WHERE id = $PH1")" ] || fail "the corrected photo is not the candidate's photo"
api "${TOKS[1]}" GET "/api/v1/ticket_corrections/$C1"
expect_status 200
expect_json .decision_reason 经核对户口簿，同意更正
expect_json .decided_by_name agency

# ---- after the exam has begun: too late ----
server_restart_at 2027-06-01T08:00:00+08:00
cand_login 2
api "${TOKS[2]}" POST "$R2" "{\"changes\":{\"name\":\"李桦\"},\"statement\":\"补正后重新申请\",\"proof_files\":[$P2]}"
expect_error 409 CORRECTION_TOO_LATE
expect_json .error.details.exam_date 2027-06-01
[ "$(count "")" = 2 ] || fail "a late request was stored"
server_stop
audit_verify 0
echo ok
