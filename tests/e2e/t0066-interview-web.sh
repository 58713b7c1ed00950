#!/usr/bin/env bash
# kw-e2e: cost 90
# The interview pages (issue 12 item 8; INT-2, INT-3, INT-4, INT-6, SEC-1, SEC-3) in Debian's
# Chromium, driven by playwright-core (tests/browser/interview.mjs), on t0060's exam
# (tests/e2e/interview.sh: written scores published through the real path, the examiner pool
# imported). Before the interview, in the browser: the agency's settings, shortlist (built,
# published, two declines, the replacement), panel G2 of 7 (PANEL_SIZE and PANEL_RECUSAL
# refusals in sentences), the day with its lotteries' commitments; the supervisor told why
# the examiner list is secret (SEC-1). On the day: the draws (seeds re-checked here with
# `kaowu draw verify` and `kaowu draw shuffle`), 7 examiners scoring 3 order numbers on the
# tablet page (INT-3: no candidate on it), one extreme score shown dropped by the trimmed
# method, sign-offs in order (an out-of-order one refused), the results published on time
# with composites equal to a hand computation (INT-6). The API's anonymous list of one's own
# panels and the trimmed marking are checked here too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
iv_setup
iv_written
iv_pool

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_EXAM=$QE
for n in 1 2 3 4 5 6; do export "KW_TK$n=${TK[$n]}"; done
node "$KW_SRC/tests/browser/interview.mjs" manage "$BASE" "$shots" || fail "browser walk 'manage' failed"

# ---- what the walk stored ----
SL=$(db_query "SELECT id FROM interview_shortlists WHERE exam_id = $QE")
[ "$(db_query "SELECT status FROM interview_shortlists WHERE id = $SL")" = published ] || fail "the shortlist is not published"
[ "$(db_query "SELECT COUNT(*) FROM interview_shortlist_entries WHERE shortlist_id = $SL AND state = 'declined'")" = 2 ] || fail "two declines not stored"
[ "$(db_query "SELECT state FROM interview_shortlist_entries WHERE shortlist_id = $SL AND ticket_no = '${TK[5]}'")" = admitted ] || fail "the replacement is not admitted"
[ "$(db_query "SELECT written_weight || '/' || interview_weight || '/' || method FROM interview_settings WHERE exam_id = $QE")" = 60/40/trimmed ] || fail "the settings"
[ "$(db_query "SELECT COUNT(*) FROM interview_panels")" = 1 ] || fail "a refused panel was stored"
G2=$(db_query "SELECT id FROM interview_panels WHERE code = 'G2'")
[ "$(db_query "SELECT COUNT(*) FROM interview_panel_members WHERE panel_id = $G2")" = 10 ] || fail "G2's members"
[ "$(db_query "SELECT COUNT(*) FROM interview_panel_members WHERE panel_id = $G2 AND staff_id = ${SID[K8]}")" = 0 ] || fail "K8 on G2"
[ "$(db_query "SELECT COUNT(*) FROM interview_draws WHERE status = 'committed'")" = 2 ] || fail "the commitments"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.examiners.read' AND actor_name = 'agency'")" = 1 ] || fail "the members' read is not audited"
WRITTEN=$(db_query "SELECT ticket_no || ':' || written FROM interview_shortlist_entries WHERE shortlist_id = $SL AND state = 'admitted' ORDER BY ticket_no" | paste -sd,)
export KW_WRITTEN=$WRITTEN

# ---- on the day: the panel's accounts (staff records linked to users), as t0062 ----
server_restart_at 2027-01-10T08:00:00+08:00
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
login agency agency-password-1; AG=$TOKEN
declare -A T
link() { # USER STAFF_CODE
	local uid
	uid=$(db_query "SELECT id FROM users WHERE username = '$1'")
	api "$A" GET "/api/v1/staff/${SID[$2]}"
	api "$A" PATCH "/api/v1/staff/${SID[$2]}" "{\"user_id\":$uid}" -H "If-Match: $(header ETag)"
	expect_status 200
}
for k in 1 2 3 4 5 6 7; do staff "kg$k" examiner "$PTA"; T[K$k]=$TOKEN; link "kg$k" "K$k"; done
staff sco scorer "$PTA"; T[SCO]=$TOKEN; link sco SCO
login isup isup-password-1; T[SUP]=$TOKEN; link isup SUP
# the API under the tablet page: my panels, by order number only (INT-3)
api "${T[K4]}" GET /api/v1/me/interview_panels
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].duty' examiner
expect_json '.items[0].orders | length' 0
expect_json '[.items[0].dimensions[].max] | join(",")' 40,30,30
api "$A" GET /api/v1/me/interview_panels
expect_json '.items | length' 0

node "$KW_SRC/tests/browser/interview.mjs" day "$BASE" "$shots" >"$WORK/day.out" || fail "browser walk 'day' failed: $(cat "$WORK/day.out")"

# ---- the seeds shown on the page re-check with the CLI ----
ROOMS=(301 302 303)
while read -r _ kind purpose seed commitment; do
	"$KAOWU" draw verify "$seed" "$commitment" >/dev/null || fail "the $kind seed on the page is not the committed one"
	if [ "$kind" = rooms ]; then
		perm=($("$KAOWU" draw shuffle "$seed" "$purpose" 3))
		[ "$(db_query "SELECT result FROM interview_draws WHERE kind = 'rooms'" | jq -r '.[0].room')" = "${ROOMS[${perm[0]}]}" ] || fail "the room draw does not replay"
	else
		mapfile -t SORTED < <(db_query "SELECT ticket_no FROM interview_shortlist_entries WHERE shortlist_id = $SL AND state = 'admitted' ORDER BY ticket_no")
		perm=($("$KAOWU" draw shuffle "$seed" "$purpose" 3))
		for k in 0 1 2; do
			grep -q "^ORDER $((k + 1)) ${SORTED[${perm[$k]}]}\$" "$WORK/day.out" || fail "order $((k + 1)) on the page is not the replay's ${SORTED[${perm[$k]}]}: $(cat "$WORK/day.out")"
		done
	fi
done < <(grep '^DRAW ' "$WORK/day.out")
[ "$(grep -c '^DRAW ' "$WORK/day.out")" = 2 ] || fail "the draws: $(cat "$WORK/day.out")"

# ---- what the day stored: the numbers by hand (written × 60% + interview × 40%) ----
[ "$(db_query "SELECT COUNT(*) FROM interview_scores")" = 21 ] || fail "21 score entries"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.score.correct'")" = 1 ] || fail "the correction is not audited"
[ "$(db_query "SELECT score FROM interview_candidates WHERE order_no = 1")" = 7140 ] || fail "order 1: trimmed 71.40"
[ "$(db_query "SELECT COUNT(*) FROM interview_candidates WHERE stage = 'chief'")" = 3 ] || fail "the chief's sign-offs"
for t in ${WRITTEN//,/ }; do
	tk=${t%%:*} w=${t#*:}
	o=$(db_query "SELECT c.order_no FROM interview_candidates c JOIN seats s ON s.registration_id = c.registration_id WHERE s.ticket_no = '$tk' LIMIT 1")
	iv=$(case $o in 1) echo 7140 ;; 2) echo 7800 ;; 3) echo 6040 ;; esac)
	want=$(((w * 60 + iv * 40 + 50) / 100))
	[ "$(db_query "SELECT c.composite FROM interview_candidates c JOIN seats s ON s.registration_id = c.registration_id WHERE s.ticket_no = '$tk' LIMIT 1")" = "$want" ] || fail "composite of $tk"
	grep -q "^COMPOSITE $tk " "$WORK/day.out" || fail "the page did not show $tk's composite"
done
[ "$(db_query "SELECT late FROM interview_result_publications WHERE shortlist_id = $SL")" = 0 ] || fail "published on time is flagged late"
# my panels after the day: three order numbers, my own entries, no candidate (INT-3)
api "${T[K4]}" GET /api/v1/me/interview_panels
expect_status 200
expect_json '[.items[0].orders[] | "\(.order_no):\(.stage):\(.entered):\(.mine.total)"] | join(",")' 1:chief:7:75,2:chief:7:78,3:chief:7:61
for n in 1 2 3 4 5 6; do
	grep -q "${TK[$n]}\|${NAME[$n]}" "$WORK/body" && fail "an examiner's panels name a candidate: $(body)"
done
grep -q registration "$WORK/body" && fail "an examiner's panels name a registration"
# the trimmed marking and the read of the results over the API
api "${T[K2]}" GET "/api/v1/interview_panels/$G2/orders/1/scores"
expect_status 200
expect_json '[.items[] | select(.dropped != null) | "\(.examiner):\(.dropped)"] | sort | join(",")' K3:lowest,K7:highest
expect_json .method trimmed
api "$AG" GET "/api/v1/shortlists/$SL/interview_results"
expect_status 200
expect_json .publication.late false
expect_json .deadline 2027-01-12T10:00:00.000000Z
expect_json '.results | length' 3
api "${T[SUP]}" GET "/api/v1/exams/$QE/interview_days"
expect_status 200
expect_json '[.items[0].draws[] | select(.kind == "order") | has("result")][0]' false
audit_verify 0
server_stop
for f in interview-1-shortlist-desktop-zh.png interview-4-secret-phone-en.png interview-7-examiner-hidden-phone-en.png interview-10-signoff-trimmed-desktop-zh.png interview-14-results-phone-en.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo ok
