#!/usr/bin/env bash
# Score review and certificates on the web (GRD-9, GRD-10, INF-4, INF-5(7); issue 10 items
# 8-10) in Debian's Chromium, driven by playwright-core (tests/browser/review.mjs): the
# candidate portal web/portal.html, the staff page web/reviews.html?exam=JJ27, the public
# look-up web/scores.html and the public check web/verify.html.
# A seated exam (tests/e2e/seated.sh, on 2026-12-10), its scores published over the API as
# t0047 does (candidate 1's subject 01 misread by the scanner: 2.5 where the card says 4.5;
# candidate 4 absent); then:
#   request — candidate 1 on the portal (desktop): logs in, sees the deadline (GRD-9: 30 days,
#             2027-01-09), asks for a review of 01 with a reason; a second request for it is
#             not offered; candidate 4 on a 390-px phone asks for 01: REVIEW_NOT_REVIEWABLE in
#             the server's words (absent: nothing to re-check).
#   handle  — agency staff on the review page: the request with its deadlines; accept; forward
#             every accepted request (the confirmation names the deadline); record the
#             re-check as corrected (4.5, cause, reason, an anomaly) → 更正待审批, the approval
#             number, no approve button (agency staff decide no approvals).
#   approve — the authority's officer (auth), the second person (INF-4), approves the
#             correction on the console's approvals page, which names the exam, ticket,
#             subject and 2.5 → 4.5; the public look-up shows 4.5; agency answers the
#             applicant; the candidate's portal shows 已答复 and the outcome and the answer.
#   certs   — agency sets the pass standards (3 and 3) and draws the qualified list (1
#             qualified); auth confirms it on the review page; candidate 1 downloads the
#             certificate on the portal (a PDF, checked here with pdftotext and rendered with
#             pdftoppm); the public check on a phone: by number and name → valid, by the QR
#             text → valid and the signature checked in the browser, a forged code → invalid.
#   revoke  — agency asks to revoke (a reason), auth approves on the review page; the public
#             check → revoked, in English too.
# Between the walks the database is checked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
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
# 1: 01 = 2.5 (the scanner misread item 3), 02 = 4.5; 2: 01 = 4.5, 02 = 4.5; 3: 02 = 2.5; 4 absent
scores_published "ticket_no,subject,form,answers
${TK[1]},01,A,BDB
${TK[1]},02,A,BDA
${TK[2]},01,A,BDA
${TK[2]},02,A,BDA
${TK[3]},02,A,BDB"

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_EXAM=JJ27 KW_EXAM_ID="$QE" KW_NOW=2026-12-10T18:30:00+08:00 KW_WORK="$WORK"
for n in 1 2 3 4; do export "KW_TK$n=${TK[$n]}" "KW_ID$n=${IDN[$n]}"; done
walk() { node "$KW_SRC/tests/browser/review.mjs" "$1" "$BASE" "$shots" || fail "browser walk '$1' failed"; }

# ---- walk 1: the request on the portal (GRD-9) ----
walk request
[ "$(db_query "SELECT COUNT(*) || '/' || MIN(subject) || '/' || MIN(status) || '/' || MIN(reason) FROM score_reviews")" = "1/01/requested/第3题我确定涂的是A" ] ||
	fail "the reviews: $(db_query "SELECT id, subject, status, reason FROM score_reviews")"
R1=$(db_query "SELECT id FROM score_reviews")

# ---- walk 2: accepted, forwarded, corrected — pending the second person ----
walk handle
[ "$(db_query "SELECT status || '/' || rechecked_score || '/' || COUNT(approval_id) FROM score_reviews WHERE id = $R1 GROUP BY status, rechecked_score")" = "correction_pending/4.5/1" ] ||
	fail "after handling: $(db_query "SELECT status, rechecked_score, approval_id FROM score_reviews")"

# ---- walk 3: approved by the authority's officer (INF-4), the look-up, the answer ----
walk approve
[ "$(db_query "SELECT status FROM score_reviews WHERE id = $R1")" = answered ] || fail "the review is not answered"
[ "$(db_query "SELECT u.username FROM approvals a JOIN users u ON u.id = a.checker_id WHERE a.kind = 'score_review.correct'")" = auth ] ||
	fail "the correction's checker"

# ---- walk 4: pass standards, the qualified list, the certificate, public verification ----
walk certs
[ "$(db_query "SELECT COUNT(*) || '/' || MIN(status) || '/' || MAX(status) FROM certificates")" = "2/valid/valid" ] ||
	fail "the certificates: $(db_query "SELECT number, status FROM certificates")"
NUM=$(db_query "SELECT number FROM certificates WHERE registration_id = ${REG[1]}")
[ "$(cat "$WORK/number")" = "$NUM" ] || fail "the page showed candidate 1's certificate as $(cat "$WORK/number"), not $NUM"
[ "$(db_query "SELECT l.status || '/' || u.username FROM qualified_lists l JOIN users u ON u.id = l.confirmed_by")" = confirmed/auth ] ||
	fail "the qualified list: $(db_query "SELECT id, status, confirmed_by FROM qualified_lists")"
pdftotext "$WORK/cert.pdf" "$WORK/cert.txt" || fail "the downloaded certificate is not a PDF"
grep -q "$NUM" "$WORK/cert.txt" || fail "the PDF lacks the number"
grep -q 张一 "$WORK/cert.txt" || fail "the PDF lacks the name"
grep -q '4.5' "$WORK/cert.txt" || fail "the PDF lacks the corrected score"
pdftoppm -r 60 -png -f 1 -l 1 "$WORK/cert.pdf" "$shots/certificate" || fail "pdftoppm cannot render the certificate"

# ---- walk 5: revocation by a second person; the public check says so ----
walk revoke
[ "$(db_query "SELECT status FROM certificates WHERE number = '$NUM'")" = revoked ] || fail "the certificate is not revoked"
# the server stops cleanly: no leak under the sanitizers after the PDFs and the verifications
server_stop
audit_verify 0
for f in review-1-portal-request.png review-3-staff-pending.png review-6-portal-answered.png verify-2-phone-valid.png verify-4-phone-revoked-en.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
ls "$shots"/certificate*.png >/dev/null 2>&1 || fail "no rendering of the certificate"
echo ok
