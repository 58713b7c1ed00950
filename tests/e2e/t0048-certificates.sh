#!/usr/bin/env bash
# Pass standards, qualified lists and certificates (GRD-10, INF-4, INF-5(7); issue 10 item 9):
# public cut scores; the qualified list drawn from the publication in force, a candidate under
# qualification verification withheld until it ends; the province confirms it (a second
# person), which issues certificates — a PDF with a QR code signed with Ed25519, checked
# offline with the published key; public verification by number and name (one answer for any
# mismatch) or by the code (a forged one: TAMPERED); certificates follow the scores (a decision
# voiding a subject revokes, INF-5(7)); revocation by a second person.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 王二 '["01","02"]' 3 李三 '["01","02"]' 4 赵四 '["01","02"]'
staff witness agency_staff "$PTA"
staff auth authority_officer "$AH"
TK=()
for n in 1 2 3 4; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done
server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login witness witness-password-1; W=$TOKEN
# 1 and 3 pass both (4.5 each); 2 passes 01 only (absent from 02); 4 absent
scores_published "ticket_no,subject,form,answers
${TK[1]},01,A,BDA
${TK[1]},02,A,BDA
${TK[2]},01,A,BDA
${TK[3]},01,A,BDA
${TK[3]},02,A,BDA"
# candidate 3 is still under qualification verification
api "$AG" POST "/api/v1/registrations/${REG[3]}/verifications" '{"kind":"targeted","reason":"学历证书待核"}'
V3=$(jq -r '.items[-1].id' "$WORK/body")

# ---- pass standards (public, PQ 38) ----
QL="/api/v1/exams/$QE/qualified_lists"
api "$AG" POST "$QL"
expect_error 409 QUALIFY_NO_STANDARD
expect_json .error.details.subject 01
api "$AG" POST "/api/v1/exams/$QE/pass_standards" '{"subjects":{"09":"3","01":"x"}}'
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[].field] | sort | join(",")' "subjects.01,subjects.09"
api "$AG" POST "/api/v1/exams/$QE/pass_standards" '{"subjects":{"01":"3","02":3}}'
expect_status 200
api "" GET "/api/v1/public/exams/$QE/pass_standards"
expect_status 200
expect_json '[.subjects[] | "\(.code):\(.cut_score)"] | join(",")' "01:3,02:3"

# ---- the qualified list, confirmed by the province (INF-4) ----
api "$AG" POST "$QL"
expect_status 202
expect_json .qualified 1
expect_json .withheld 1
L1=$(jq -r .id "$WORK/body")
AP=$(jq -r .approval_id "$WORK/body")
api "$AG" POST "/api/v1/approvals/$AP/approve"
expect_error 403 FORBIDDEN
api "$AUTH" POST "/api/v1/approvals/$AP/approve"
expect_status 200
expect_json .result.issued 1
for n in 1 2 3; do cand_login "$n"; done
api "${TOKS[1]}" GET "/api/v1/exams/$QE/certificates"
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].number' JJ27-000001
[ "$(jq -r '.items[0].id_number' "$WORK/body")" = "${IDN[1]:0:6}********${IDN[1]:14:4}" ] || fail "the identity number is not masked: $(body)"
C1=$(jq -r '.items[0].id' "$WORK/body")
PAY=$(jq -r '.items[0].qr_payload' "$WORK/body")
api "${TOKS[2]}" GET "/api/v1/exams/$QE/certificates"
expect_json '.items | length' 0
api "${TOKS[2]}" GET "/api/v1/certificates/$C1/pdf"
expect_error 404 NOT_FOUND
# the PDF: the number, the name, the subjects
api "${TOKS[1]}" GET "/api/v1/certificates/$C1/pdf"
expect_status 200
expect_header Content-Type application/pdf
pdftotext "$WORK/body" "$WORK/cert.txt" || fail "the certificate is not a PDF"
grep -q JJ27-000001 "$WORK/cert.txt" || fail "the PDF lacks the number: $(head -c 400 "$WORK/cert.txt")"
grep -q 张一 "$WORK/cert.txt" || fail "the PDF lacks the name"
grep -q 经济基础知识 "$WORK/cert.txt" || fail "the PDF lacks the subjects"

# ---- public verification ----
VER=/api/v1/public/certificates/verify
api "" POST "$VER" '{"number":"JJ27-000001","name":"张一"}'
expect_status 200
expect_json .valid true
expect_json .name '张*'
api "" POST "$VER" '{"number":"JJ27-000001","name":"张二"}'
expect_error 404 CERT_NO_MATCH
m1=$(jq -r .error.message "$WORK/body")
api "" POST "$VER" '{"number":"JJ27-999999","name":"张一"}'
expect_error 404 CERT_NO_MATCH
[ "$(jq -r .error.message "$WORK/body")" = "$m1" ] || fail "an unknown number answers differently"
api "" POST "$VER" '{"name":"张一"}'
expect_error 400 VALIDATION_FAILED
api "" POST "$VER" "$(jq -nc --arg p "$PAY" '{payload:$p}')"
expect_json .valid true
expect_json .number JJ27-000001
# a forged code: the name changed inside the signed part
body_b64=${PAY#KWC1.}; sig=${body_b64#*.}; body_b64=${body_b64%%.*}
forged_json=$(python3 -c 'import base64,sys; s=sys.argv[1]; s+="="*(-len(s)%4); print(base64.urlsafe_b64decode(s).decode().replace("JJ27-000001","JJ27-000002"))' "$body_b64")
grep -q 'JJ27-000002' <<<"$forged_json" || fail "the forgery did not change the payload"
grep -q '"张\*"' <<<"$forged_json" || fail "the code should carry the masked name: $forged_json"
forged="KWC1.$(python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).decode().rstrip("="))' "$forged_json").$sig"
api "" POST "$VER" "$(jq -nc --arg p "$forged" '{payload:$p}')"
expect_json .valid false
expect_json .reason TAMPERED
# offline: the code checks against the published key with openssl, without kaowu
api "" GET /api/v1/public/certificate_key
expect_json .alg Ed25519
KEY=$(jq -r .public_key "$WORK/body")
python3 - "$PAY" "$KEY" "$WORK" <<'PY'
import base64, sys
pay, key, work = sys.argv[1], sys.argv[2], sys.argv[3]
b, s = pay[len("KWC1."):].split(".")
d = lambda x: base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
open(work + "/msg", "wb").write(d(b))
open(work + "/sig", "wb").write(d(s))
open(work + "/pub.der", "wb").write(bytes.fromhex("302a300506032b6570032100" + key))
PY
openssl pkeyutl -verify -pubin -inkey "$WORK/pub.der" -keyform DER -rawin -in "$WORK/msg" -sigfile "$WORK/sig" >/dev/null || fail "the QR signature does not verify offline"

# ---- verification ends: candidate 3 qualifies on the next list ----
api "$AG" POST "/api/v1/verifications/$V3/decision" '{"outcome":"confirmed","finding":"学历证书核验无误"}'
expect_status 200
api "$AG" POST "$QL"
expect_json .qualified 2
expect_json .withheld 0
api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_json .result.issued 1
expect_json .result.revoked 0
[ "$(db_query "SELECT status FROM qualified_lists WHERE id = $L1")" = superseded ] || fail "the first list is not superseded"

# ---- INF-5(7): a decision voids candidate 1's subject 01; the certificate follows ----
similar_answers_case 1 01
api "$AG" POST "/api/v1/cases/$CASE/decision" "{\"unit_id\":$PTA}"
expect_status 200
publish_scores
api "$AG" POST "$QL"
expect_json .qualified 1
api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_json .result.revoked 1
api "" POST "$VER" "$(jq -nc --arg p "$PAY" '{payload:$p}')"
expect_json .valid false
expect_json .reason REVOKED

# ---- revocation by hand, by a second person ----
C3=$(db_query "SELECT id FROM certificates WHERE registration_id = ${REG[3]} AND status = 'valid'")
api "$AG" POST "/api/v1/certificates/$C3/revoke" '{}'
expect_error 400 VALIDATION_FAILED
api "$AG" POST "/api/v1/certificates/$C3/revoke" '{"reason":"以欺骗手段取得证书，依法撤销"}'
expect_status 202
AP=$(jq -r .approval_id "$WORK/body")
api "" POST "$VER" '{"number":"JJ27-000002","name":"李三"}'
expect_json .valid true
api "$AUTH" POST "/api/v1/approvals/$AP/approve"
expect_status 200
api "" POST "$VER" '{"number":"JJ27-000002","name":"李三"}'
expect_json .valid false
expect_json .reason REVOKED
api "$AG" POST "/api/v1/certificates/$C3/revoke" '{"reason":"x"}'
expect_error 409 CERT_REVOKED

api "" POST "$VER" '{"number":"JJ27-000002","name":"李三"}'
expect_json .exam.code JJ27
# the server stops cleanly (no leak under the sanitizers after PDFs and verifications)
server_stop
audit_verify 0
echo ok
