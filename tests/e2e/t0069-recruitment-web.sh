#!/usr/bin/env bash
# kw-e2e: cost 80
# The recruitment page (issue 12 item 6; INT-6, INF-4, VH 10-14) in Debian's Chromium, driven by
# playwright-core (tests/browser/recruitment.mjs), on t0067's exam (tests/e2e/recruit.sh: four
# candidates interviewed, their results published through the real path). First the read the
# page opens with, GET /shortlists/{id}/recruitment: no list and no publication before the
# interview day, whether the caller may act (can_manage), out of reach as absent. Then in the
# browser on the day, come by the interview page's link: the list built (the tie on the
# composite ranked 2, 2, the higher written score first), a physical exam passed, a vetting
# failed — refused without its reason, then with it —, the next in order replacing (递补), the
# notice made by one person and approved by another (the maker's own approval refused, INF-4),
# its PDF, an objection and its reply. After the period, on a phone in English: the appointment
# (passing probation at once refused in words); a reader (interview.read only) sees all and is
# offered no action. One browser for both walks. The database is checked afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
. "$(dirname "$0")/recruit.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
rc_before_day

# ---- the page's read before the results: no list, why, and who may act ----
api "$AG" GET "/api/v1/shortlists/$SL/recruitment"
expect_status 200
expect_json .shortlist_id "$SL"
expect_json .position_code 100011
expect_json .quota 1
expect_json .shortlist_status published
expect_json .results_published_at null
expect_json .list_id null
expect_json .list null
expect_json .can_manage true
api "$ISUP" GET "/api/v1/shortlists/$SL/recruitment"
expect_status 200
expect_json .can_manage false # interview.read only
login admin2 admin2-pass-123; A2=$TOKEN # the maker-checker of the next account
staff faraway agency_staff "$HF"
api "$TOKEN" GET "/api/v1/shortlists/$SL/recruitment"
expect_error 404 NOT_FOUND # another agency's exam reads as absent
api "$AG" GET /api/v1/shortlists/999999/recruitment
expect_error 404 NOT_FOUND
api "" GET "/api/v1/shortlists/$SL/recruitment"
expect_status 401

rc_results
login isup isup-password-1; ISUP=$TOKEN
api "$AG" GET "/api/v1/shortlists/$SL/recruitment"
expect_status 200
expect_json '.results_published_at | startswith("2026-12-14")' true
expect_json .list null

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_SL=$SL KW_EXAM=$QE
for n in 1 2 3 4; do export "KW_TK$n=${TK[$n]}"; done
# one browser for both walks: "notice" now, "appoint" once the server runs after the period
mkfifo "$WORK/go"
w0=$(date +%s%N)
node "$KW_SRC/tests/browser/recruitment.mjs" both "$BASE" "$shots" <"$WORK/go" >"$WORK/walk.out" 2>&1 &
WALK=$!
exec 8>"$WORK/go"
for _ in $(seq 1 1200); do
	grep -q '^READY$' "$WORK/walk.out" && break
	kill -0 "$WALK" 2>/dev/null || break
	sleep 0.1
done
grep -q '^READY$' "$WORK/walk.out" || fail "browser walk 'notice' failed: $(cat "$WORK/walk.out")"
w1=$(date +%s%N)

# ---- what the first walk stored, as the read shows it to the reader and to the agency ----
L=$(db_query "SELECT id FROM recruit_lists WHERE position_id = $POS")
[ -n "$L" ] || fail "no list built"
api "$ISUP" GET "/api/v1/shortlists/$SL/recruitment"
expect_status 200
expect_json .list_id "$L"
expect_json .list.id "$L"
expect_json .can_manage false
expect_json '.list.notices[0].made_by_name' agency
expect_json '.list.notices[0].approved_by_name' auth
api "$ISUP" GET "/api/v1/recruit_lists/$L"
expect_status 200
expect_json .can_manage false
api "$AG" GET "/api/v1/recruit_lists/$L"
expect_status 200
expect_json .can_manage true

# ---- after the period: the appointment on a phone, a reader's view ----
server_restart_at 2026-12-22T10:00:00+08:00
w2=$(date +%s%N)
echo "$BASE $L" >&8
exec 8>&-
wait "$WALK" || fail "browser walk 'appoint' failed: $(cat "$WORK/walk.out")"
w3=$(date +%s%N)
[ -z "${KW_PROFILE:-}" ] || cat "$WORK/walk.out"

# ---- the database afterwards ----
cid() { db_query "SELECT id FROM recruit_candidates WHERE registration_id = ${REG[$1]}"; }
C1=$(cid 1) C3=$(cid 3)
got=$(db_query "SELECT ticket_no || ':' || state || ':' || COALESCE(out_reason, '') FROM recruit_candidates WHERE list_id = $L ORDER BY place" | paste -sd,)
[ "$got" = "${TK[3]}:out:vetting,${TK[1]}:appointed:,${TK[2]}:reserve:,${TK[4]}:reserve:" ] || fail "the candidates: $got"
[ "$(db_query "SELECT replaces FROM recruit_candidates WHERE id = $C1")" = "$C3" ] || fail "张一 does not replace 李三"
[ "$(db_query "SELECT rounds || '/' || rounds_used || '/' || notice_workdays || '/' || probation_months FROM recruit_lists WHERE id = $L")" = 1/1/5/12 ] ||
	fail "the list's parameters"
got=$(db_query "SELECT candidate_id || ':' || step || ':' || outcome || ':' || COALESCE(reason, '') FROM recruit_steps ORDER BY id" | paste -sd,)
[ "$got" = "$C3:physical_exam:pass:,$C3:vetting:fail:考察发现其不具备职位要求的两年基层工作经历,$C1:physical_exam:pass:,$C1:vetting:pass:" ] ||
	fail "the steps (the refused one must not be stored): $got"
AGID=$(db_query "SELECT id FROM users WHERE username = 'agency'")
AUID=$(db_query "SELECT id FROM users WHERE username = 'auth'")
[ "$(db_query "SELECT COUNT(*) FROM recruit_notices")" = 1 ] || fail "one notice"
[ "$(db_query "SELECT status || ':' || made_by || ':' || approved_by || ':' || starts_on || ':' || ends_on FROM recruit_notices")" = "published:$AGID:$AUID:2026-12-14:2026-12-21" ] ||
	fail "the notice: $(db_query "SELECT status, made_by, approved_by, starts_on, ends_on FROM recruit_notices")"
[ "$(db_query "SELECT candidate_id || ':' || status || ':' || sustained || ':' || objector || ':' || received_on FROM recruit_objections")" = "$C1:replied:0:群众来信:2026-12-14" ] ||
	fail "the objection: $(db_query "SELECT candidate_id, status, sustained, objector, received_on FROM recruit_objections")"
[ "$(db_query "SELECT reply FROM recruit_objections")" = 经核查，该考生兼职情况已于报考前终止，反映问题不影响录用 ] || fail "the reply"
[ "$(db_query "SELECT appointed_on || ':' || probation_ends FROM recruit_candidates WHERE id = $C1")" = 2026-12-22:2027-12-21 ] || fail "the appointment"
for a in recruit.list.build recruit.step recruit.replace recruit.notice.make recruit.objection recruit.objection.reply recruit.appoint; do
	[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = '$a' AND actor_name IN ('agency', 'auth')")" -ge 1 ] || fail "$a is not audited"
done
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'recruit.notice.publish' AND actor_name = 'auth'")" = 1 ] || fail "the publication is not the second person's"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'recruit.confirm'")" = 0 ] || fail "probation passed before its end"
audit_verify 0
server_stop
for f in recruitment-1-notice-desktop-zh.png recruitment-2-appointed-phone-en.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo "browser: $(((w1 - w0 + w3 - w2) / 1000000)) ms (notice $(((w1 - w0) / 1000000)), appoint $(((w3 - w2) / 1000000)))"
echo ok
