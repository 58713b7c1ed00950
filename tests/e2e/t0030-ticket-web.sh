#!/usr/bin/env bash
# The candidate downloads the admission ticket (TKT-2, issue 7 item 7) in Debian's Chromium,
# driven by playwright-core (tests/browser/ticket.mjs), on web/register.html's status view.
# The scenario is built over the API as t0028 does (a centre with rooms, a qualification exam
# on 2027-06-01 with two sittings, candidates who choose the area and pay, a seating run
# committed, seated and published by agency staff). Walk 1, on 2026-11-24 (the server's clock,
# KAOWU_TEST_NOW): the candidate logs in, presses 下载准考证 and is told the printing period in
# China time (2027-05-22 00:00 至 2027-06-01 24:00), in English too; a candidate who paid after
# the seats were published is told the seats are not published yet. Walk 2, the server
# restarted on 2027-05-25: the candidate logs in again and the download is the PDF
# 准考证-JJ27.pdf with their ticket number and name; another candidate's session is refused
# that registration's ticket (403 TICKET_NOT_YOURS).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
seated_exam 1 王小明 '["01","02"]' 2 李华 '["01"]'
# A third candidate pays after the seats were published: no seat, no ticket yet.
register 3 赵敏 '["02"]'
T1=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN")
[ -n "$T1" ] || fail "the first candidate has no seat"
[ -z "$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[3]}")" ] || fail "the late candidate has a seat"
# What the page will be told, over the API: outside the window, no seat.
api "${TOKS[1]}" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_error 403 TICKET_WINDOW_CLOSED
expect_json .error.details.opens_at 2027-05-21T16:00:00.000000Z
expect_json .error.details.closes_at 2027-06-01T16:00:00.000000Z
api "${TOKS[3]}" GET "/api/v1/registrations/${REG[3]}/ticket"
expect_error 409 TICKET_NOT_AVAILABLE

shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots" "$WORK/dl"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_CAND1="${IDN[1]}" KW_CAND3="${IDN[3]}" KW_CAND_PASSWORD=cand-pass-1 KW_EXAM_NAME=2027年度经济专业技术资格考试 KW_OUT="$WORK/dl"

# ---- walk 1: outside the printing period ----
node "$KW_SRC/tests/browser/ticket.mjs" closed "$BASE" "$shots" || fail "browser walk 1 (outside the window) failed"
[ "$(db_query "SELECT COUNT(*) FROM tickets")" = 0 ] || fail "a ticket was issued outside the window"

# ---- the server's clock moves into the window (restart, as t0028's restart_at) ----
server_restart_at 2027-05-25T10:00:00+08:00

# Another candidate's session cannot take the first one's ticket.
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[2]}\",\"password\":\"cand-pass-1\"}"
expect_status 201
T2TOK=$(jq -r .token "$WORK/body")
api "$T2TOK" GET "/api/v1/registrations/${REG[1]}/ticket"
expect_error 403 TICKET_NOT_YOURS
! grep -q '%PDF' "$WORK/body" || fail "a refused ticket carried a PDF"

# ---- walk 2: inside the printing period, the download ----
node "$KW_SRC/tests/browser/ticket.mjs" open "$BASE" "$shots" || fail "browser walk 2 (inside the window) failed"
pdf="$WORK/dl/准考证-JJ27.pdf"
[ -s "$pdf" ] || fail "the browser saved no 准考证-JJ27.pdf: $(ls "$WORK/dl")"
[ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "the download is not a PDF"
pdftotext "$pdf" "$WORK/t1.txt" || fail "pdftotext could not read the download"
for w in "$T1" "${NAME[1]}" 准考证 经济基础知识 专业知识和实务 合肥市第一中学; do
	grep -q "$w" "$WORK/t1.txt" || fail "the downloaded ticket lacks $w"
done
! grep -q "${NAME[2]}" "$WORK/t1.txt" || fail "the ticket names another candidate"
[ "$(db_query "SELECT COUNT(*) FROM tickets WHERE registration_id = ${REG[1]} AND status = 'valid'")" = 1 ] || fail "no valid ticket version after the download"
[ "$(db_query "SELECT COUNT(*) FROM tickets WHERE registration_id <> ${REG[1]}")" = 0 ] || fail "another registration got a ticket"
server_stop
audit_verify 0
echo ok
