#!/usr/bin/env bash
# The proctor's page (issue 9 items 4 and 8; DAY-2, DAY-4) in Debian's Chromium, driven by
# playwright-core (tests/browser/proctor.mjs) at a tablet's 768 px: a seated exam
# (tests/e2e/seated.sh) with one exam room whose two proctors the lottery drew; on the exam
# day at 08:45 a check-in round — a refused number, candidate 1 previewed and admitted after
# the identity check, the counts and the absentee, an incident recorded, in Chinese and
# English —; after the sitting the record signed by one (closing refused), by the other, and
# closed. The database is checked between the walks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

seated_exam 1 张一 '["01"]' 2 王二 '["01"]'
member() { # CODE POST [USER_ID]
	api "$A" POST /api/v1/staff "{\"unit_id\":$HF,\"code\":\"$1\",\"name\":\"人员$1\",\"post\":\"$2\",\"employment\":\"full_time\"${3:+,\"user_id\":$3}}"
	expect_status 201
	api "$A" POST /api/v1/trainings "{\"staff_id\":$(jq -r .id "$WORK/body"),\"course\":\"监考培训\",\"trained_on\":\"2027-05-01\",\"result\":\"passed\"}"
	expect_status 201
}
member ch1 chief_examiner
member rv1 roving_proctor
for p in pr1 pr2; do
	staff "$p" proctor "$HF"
	member "$p" proctor "$(db_query "SELECT id FROM users WHERE username = '$p'")"
done
api "$AG" POST "/api/v1/exams/$QE/proctor_draws" '{}'
expect_status 201
api "$AG" POST "/api/v1/proctor_draws/$(jq -r .id "$WORK/body")/draw"
expect_status 200
[ "$(db_query "SELECT COUNT(*) FROM proctor_assignments WHERE duty = 'proctor'")" = 2 ] || fail "the lottery did not draw the two proctors"

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_P1=pr1 KW_P2=pr2 KW_N1=张一 KW_N2=王二
KW_T1=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN")
export KW_T1
walk() { node "$KW_SRC/tests/browser/proctor.mjs" "$1" "$BASE" "$shots" || fail "browser walk '$1' failed"; }

server_restart_at 2027-06-01T08:45:00+08:00
walk checkin
[ "$(db_query "SELECT COUNT(*) FROM checkins WHERE registration_id = ${REG[1]} AND id_checked = 1")" = 1 ] || fail "the check-in was not stored"
[ "$(db_query "SELECT COUNT(*) FROM checkins")" = 1 ] || fail "a refused or previewed check-in was stored"
[ "$(db_query "SELECT COUNT(*) FROM room_record_entries WHERE kind = 'incident'")" = 1 ] || fail "the incident was not recorded"

server_restart_at 2027-06-01T11:31:00+08:00
walk sign
[ "$(db_query "SELECT status || '/' || present || '/' || absent FROM room_records")" = closed/1/1 ] || fail "record: $(db_query "SELECT status, present, absent FROM room_records")"
[ "$(db_query "SELECT COUNT(DISTINCT user_id) FROM room_record_signatures")" = 2 ] || fail "signatures"
[ "$(db_query "SELECT registration_id FROM room_absentees")" = "${REG[2]}" ] || fail "absentees"
server_stop
audit_verify 0
for f in proctor-1-checkin-tablet-zh.png proctor-2-checkin-tablet-en.png proctor-3-closed-tablet-zh.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo ok
