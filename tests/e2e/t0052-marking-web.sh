#!/usr/bin/env bash
# The marker's page (issue 10, items 4 and 10; GRD-1, GRD-2, GRD-3, AH 57) in Debian's
# Chromium, driven by playwright-core (tests/browser/marking.mjs) on web/marking.html: a
# subject's marking set up over the API after its sitting (3 scripts; the scheme 10 + 20,
# tolerance 3, flags over 2 scripts); two markers mark every script on the page (one script at
# a time, Enter submits, the next comes by itself); the two scripts whose marks differ beyond
# the tolerance go to a third marker on the page (a phone, in English), one of them on to the
# chief marker — the marking lead arbitrates it on the lead's tab, sees the flags, suspends and
# reinstates a marker and closes the marking; another person checks the total (a wrong one
# refused) and the results appear. No candidate name, identity number or ticket reaches a
# marker's page at any time (AH 57(1)). The database is checked after the walk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01"]' 2 王二 '["01"]' 3 李三 '["01","02"]'
staff witness agency_staff "$PTA"
staff mk1 marker "$PTA"
staff mk2 marker "$PTA"
staff mk3 marker "$PTA"
staff lead marking_lead "$PTA"
secrets=()
for n in 1 2 3; do
	secrets+=("${NAME[$n]}" "${IDN[$n]}" "$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")")
done
server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
api "$AG" POST "/api/v1/exams/$QE/subjects/01/marking" '{"max_points":30,"tolerance":3,"items":[10,20],"witness":"witness","flag_min":2}'
expect_status 201
expect_json .scripts 3

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
KW_SECRETS=$(IFS=,; echo "${secrets[*]}") node "$KW_SRC/tests/browser/marking.mjs" "$BASE" "$shots" || fail "the browser walk failed"

# what the walk left: three finals (double, third, chief), added up by the lead, checked by
# agency staff, the marks by the right people
[ "$(db_query "SELECT resolved || ':' || final FROM scripts WHERE control_id IS NULL ORDER BY resolved")" = "$(printf 'chief:1600\ndouble:2050\nthird:950')" ] ||
	fail "finals: $(db_query "SELECT code, stage, final, resolved FROM scripts")"
[ "$(db_query "SELECT m.status || ' ' || m.total || ' ' || m.finished || ' ' || c.username || ' ' || f.username FROM markings m JOIN users c ON c.id = m.closed_by JOIN users f ON f.id = m.confirmed_by")" = "confirmed 4600 3 lead agency" ] ||
	fail "the marking: $(db_query "SELECT status, total, finished, closed_by, confirmed_by FROM markings")"
[ "$(db_query "SELECT u.username || ':' || COUNT(*) FROM script_marks k JOIN users u ON u.id = k.marker_id WHERE k.points IS NOT NULL GROUP BY u.username ORDER BY u.username" | tr '\n' ' ')" = "lead:1 mk1:3 mk2:3 mk3:2 " ] ||
	fail "marks per marker: $(db_query "SELECT marker_id, COUNT(*) FROM script_marks GROUP BY marker_id")"
[ "$(db_query "SELECT COUNT(*) FROM marking_suspensions WHERE lifted_at IS NOT NULL AND reason = '三评偏差较大，暂停复训'")" = 1 ] ||
	fail "the suspension: $(db_query "SELECT reason, lifted_at FROM marking_suspensions")"
server_stop
audit_verify 0
for f in marking-1-script-desktop-zh.png marking-3-script-phone-en.png marking-4-lead-desktop-zh.png marking-5-results-desktop-zh.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo ok
