#!/usr/bin/env bash
# The command view's page (issue 9 items 7 and 8; DAY-1) in Debian's Chromium, driven by
# playwright-core (tests/browser/command.mjs): a seated exam (tests/e2e/seated.sh) of three
# candidates whose proctors the lottery drew; on the exam day at 08:45 agency staff watch the
# sitting while a proctor checks a candidate in — the row and the totals change by themselves
# within 2 s —, filter and search, in Chinese and English; a proctor is refused the view. The
# stream and the snapshot themselves are checked on both databases by t0055; the walk runs on
# SQLite.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
if [ "$KW_TEST_DB" != sqlite ]; then
	echo "ok (the browser walk runs on SQLite; t0055 checks the view on both databases)"
	exit 0
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

seated_exam 1 张一 '["01"]' 2 王二 '["01"]' 3 李三 '["01"]'
member() { # CODE POST [USER_ID]: a trained staff member of the area
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
KW_TICKET=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN")
KW_ROOM=$(db_query "SELECT exam_room_id FROM seats WHERE registration_id = ${REG[1]} AND run_id = $RUN")
export KW_AGENCY=agency KW_PROCTOR=pr1 KW_EXAM=$QE KW_TICKET KW_ROOM
server_restart_at 2027-06-01T08:45:00+08:00
node "$KW_SRC/tests/browser/command.mjs" live "$BASE" "$shots" || fail "browser walk 'live' failed"
[ "$(db_query "SELECT COUNT(*) FROM checkins")" = 1 ] || fail "the check-in was not stored"
server_stop
for f in command-1-live-zh.png command-2-live-en.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo ok
