#!/usr/bin/env bash
# The custodian's page (issue 9 items 2 and 8; CUS-3, CUS-5) in Debian's Chromium, driven by
# playwright-core (tests/browser/custody.mjs) at a tablet's 768 px: a seated exam
# (tests/e2e/seated.sh), subject 01's paper signed off and packed, its room package received
# from the printer at the area over the API; then on the page a centre custodian scans the
# seal and records the centre's receipt — one person receiving refused, two recorded — and
# sees the chain, in Chinese and English and in print. The database is checked after the walk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

seated_exam 1 张一 '["01"]' 2 王二 '["01"]'
staff cu1 custodian "$PTA"; CU=$TOKEN
staff cs1 custodian "$HF"
for tok in "$A" "$AG"; do
	api "$tok" POST "/api/v1/exams/$QE/subjects/01/print_signoffs" '{"role_note":"审签"}'
	expect_status 201
done
api "$AG" POST "/api/v1/exams/$QE/paper_packages" '{"subject":"01"}'
expect_status 201
R=$(jq -r '[.items[] | select(.kind == "room")][0].id' "$WORK/body")
SEAL=$(jq -r '[.items[] | select(.kind == "room")][0].seal_no' "$WORK/body")
COUNT=$(jq -r '[.items[] | select(.kind == "room")][0].count' "$WORK/body")
api "$CU" POST "/api/v1/paper_packages/$R/events" "{\"kind\":\"print_receipt\",\"from\":\"printer\",\"to\":\"area\",\"giving\":[{\"name\":\"印刷厂甲\"},{\"name\":\"印刷厂乙\"}],\"receiving\":[{\"username\":\"cu1\"},{\"name\":\"保管员乙\"}],\"count_checked\":$COUNT,\"seal_checked\":\"$SEAL\"}"
expect_status 201

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_USER=cs1 KW_SEAL=$SEAL KW_COUNT=$COUNT
node "$KW_SRC/tests/browser/custody.mjs" handover "$BASE" "$shots" || fail "browser walk 'handover' failed"
[ "$(db_query "SELECT kind || '/' || to_place FROM custody_events WHERE package_id = $R AND seq = 2")" = centre_receipt/centre ] || fail "the receipt was not stored: $(db_query "SELECT seq, kind FROM custody_events")"
[ "$(db_query "SELECT COUNT(*) FROM custody_events")" = 2 ] || fail "a refused event was stored"
[ "$(db_query "SELECT place FROM paper_packages WHERE id = $R")" = centre ] || fail "the package did not move"
server_stop
audit_verify 0
for f in custody-1-handover-tablet-zh.png custody-2-chain-tablet-en.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo ok
