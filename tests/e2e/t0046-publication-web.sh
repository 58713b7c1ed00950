#!/usr/bin/env bash
# The publication of scores on the web (GRD-7, GRD-8, INF-4; issue 10 items 7 and 10) in
# Debian's Chromium, driven by playwright-core (tests/browser/publication.mjs): the staff
# scoring page web/scoring.html?exam=JJ27 and the public look-up web/scores.html?exam=ID.
# A seated exam (tests/e2e/seated.sh, on 2026-12-10) whose keys are loaded before it; after
# the exam (18:00) the answers imported, candidate 3's subject 01 voided by a decided case
# (Order No. 31 art. 11) and both subjects scored over the API, as t0045 does; then:
#   prepare  — agency staff on the page: publication refused in words until each subject's
#              latest run has a clean cross-check on record (GRD-7: PUBLISH_NOT_CROSSCHECKED,
#              naming 01 then 02); each run cross-checked and kept from its scores; the
#              readiness marks turn ✔; the confirmation names the runs it freezes (cancelled
#              once: nothing sent); prepared → 待审批, who must approve and the way to the
#              console's approvals (no button: agency staff decide no approvals); a second
#              one refused while the first waits (PUBLISH_PENDING); the public page says the
#              scores are not published and offers no form.
#   approve  — the authority's officer (auth) approves on the page → 已发布 with the link to
#              the look-up; prepares a second publication and tries to approve it: the
#              server's SELF_APPROVAL message (INF-4); a second officer (auth2) approves it on
#              a 390-px phone → the first 已被替代; English.
#   lookup   — the public: the exam notice links to the look-up once published (GRD-8); the
#              portal's step 9 leads to the list of exams with published scores; the page
#              refuses an empty form field by field; candidate 1's scores with the masked
#              name; a wrong name → the one message that tells nothing; candidate 3's 成绩无效
#              and 缺考 explained, no score; candidate 2's name with spaces; candidate 5's
#              ticket, looked up 10 times this minute by the script, → 429 with the countdown
#              and the button waiting; nothing in localStorage, sessionStorage, the address or
#              a cookie but the language; desktop and 390-px phone, zh-CN and en.
# Between the walks the database is checked: the cross-checks kept, who prepared and who
# approved, the first publication superseded.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 欧阳娜娜 '["01","02"]' 3 李三 '["01","02"]' 4 赵四 '["01","02"]' 5 钱五 '["02"]'
staff witness agency_staff "$PTA"; W=$TOKEN
staff auth authority_officer "$AH"
staff auth2 authority_officer "$AH"
TK=()
for n in 1 2 3 4 5; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done
KEY='{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"D","points":1.5},
 {"kind":"true_false","key":"A","points":2}]}'
for s in 01 02; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/$s/keys" "$KEY"
	expect_status 201
done

# ---- after the exam: the answers, candidate 3's subject 01 voided, both subjects scored ----
server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login witness witness-password-1; W=$TOKEN
similar_answers_case 3 经济基础知识
api "$AG" POST "/api/v1/cases/$CASE/decision" "{\"unit_id\":$PTA}"
expect_status 200
expect_json .status decided
# 1: 4.5 and 2.5; 2: 2.5, absent in 02; 3: 01 voided, absent in 02; 4: absent; 5: 02 only, 4.5
api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness" -H 'Content-Type: text/csv' --data-binary "ticket_no,subject,form,answers
${TK[1]},01,A,BDA
${TK[2]},01,A,BD-
${TK[3]},01,A,BDA
${TK[1]},02,A,BDB
${TK[5]},02,A,BDA"
expect_status 201
for s in 01 02; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/$s/score_runs"
	expect_status 201
done

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_EXAM=JJ27 KW_EXAM_ID="$QE"
for n in 1 2 3 4 5; do export "KW_TK$n=${TK[$n]}" "KW_ID$n=${IDN[$n]}"; done
walk() { node "$KW_SRC/tests/browser/publication.mjs" "$1" "$BASE" "$shots" || fail "browser walk '$1' failed"; }

# ---- walk 1: cross-checks kept, the publication prepared by the agency (GRD-7, GRD-8) ----
walk prepare
[ "$(db_query "SELECT COUNT(*) || '/' || MIN(status) || '/' || MAX(status) FROM score_crosschecks")" = 2/clean/clean ] ||
	fail "the cross-checks kept: $(db_query "SELECT run_id, status, differences FROM score_crosschecks")"
[ "$(db_query "SELECT COUNT(*) FROM score_crosschecks x JOIN users u ON u.id = x.checked_by WHERE u.username = 'agency'")" = 2 ] ||
	fail "the cross-checks are not agency's"
[ "$(db_query "SELECT p.status || '/' || p.candidates || '/' || u.username FROM publications p JOIN users u ON u.id = p.prepared_by")" = pending/5/agency ] ||
	fail "the publication: $(db_query "SELECT id, status, candidates, prepared_by FROM publications")"
P1=$(db_query "SELECT id FROM publications")

# ---- walk 2: approved by another person; the maker cannot approve their own (INF-4) ----
walk approve
[ "$(db_query "SELECT p.status || '/' || u.username FROM publications p JOIN users u ON u.id = p.approved_by WHERE p.id = $P1")" = superseded/auth ] ||
	fail "the first publication: $(db_query "SELECT status, approved_by FROM publications WHERE id = $P1")"
[ "$(db_query "SELECT p.status || '/' || m.username || '/' || u.username FROM publications p JOIN users m ON m.id = p.prepared_by JOIN users u ON u.id = p.approved_by WHERE p.id <> $P1")" = published/auth/auth2 ] ||
	fail "the second publication: $(db_query "SELECT id, status, prepared_by, approved_by FROM publications")"

# ---- walk 3: the public look-up (GRD-8); candidate 5's ticket used up for this minute ----
LOOK="/api/v1/public/exams/$QE/score_lookup"
for i in $(seq 1 10); do
	api "" POST "$LOOK" "$(jq -nc --arg t "${TK[5]}" --arg i "${IDN[5]}" '{ticket_no:$t,id_number:$i,name:"钱五"}')"
done
expect_status 200
walk lookup
server_stop
audit_verify 0
for f in publication-2-pending.png publication-6-phone-zh.png scores-1-desktop-zh.png scores-5-phone-en.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo ok
