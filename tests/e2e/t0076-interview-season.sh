#!/usr/bin/env bash
# A season's schedule in one request (issue 12, "Figures"): POST …/interview_panels/import
# creates many panels all or nothing, each checked as POST …/interview_panels checks one
# (INT-2, SEC-3). Refused, with every problem listed by row and nothing written (panels,
# members and audit records counted after each): a member whose declared relative is on the
# shortlist (PANEL_RECUSAL, SEC-3), a panel of 6 examiners (PANEL_SIZE, INT-2), an unknown
# examiner (VALIDATION_FAILED unknown_staff), two rows of one code, a code the exam has; the
# interview supervisor (no interview.manage) refused; then a good import of two panels, one
# batch audit record for the panels and one for their members. A day of one panel: its panels
# and lotteries one batch record each, every seed its commitment's; refused (nothing written):
# an unknown panel, the position's other panel on another day (INT-4), a panel scheduled
# twice. The chain verified.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
iv_setup
iv_written
api "$AG" PUT "/api/v1/exams/$QE/interview_settings" '{"written_weight":50,"interview_weight":50,"method":"trimmed"}'
expect_status 200
api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_status 201
iv_pool

# row CODE STAFF_CODE… : one panel as the single route takes it (first chief, second deputy,
# the rest examiners; SUP, SCO, TIM); an unknown STAFF_CODE stands for staff id 999999
row() {
	local code=$1 m d=chief
	shift
	m=$(for s in "$@"; do printf '{"staff_id":%s,"duty":"%s"}\n' "${SID[$s]:-999999}" "$d"; [ $d = chief ] && d=deputy || d=examiner; done | jq -sc .)
	jq -nc --arg c "$code" --argjson p "$POS" --argjson m "$m" --argjson a "${SID[SUP]}" --argjson b "${SID[SCO]}" --argjson t "${SID[TIM]}" \
		'{code:$c,starts_at:"2027-01-10T08:30:00+08:00",positions:[$p],members:($m + [{staff_id:$a,duty:"supervisor"},{staff_id:$b,duty:"scorer"},{staff_id:$t,duty:"timer"}])}'
}
import() { api "${TOK:-$AG}" POST "/api/v1/exams/$QE/interview_panels/import" "$(printf '%s\n' "$@" | jq -sc '{panels:.}')"; }
counts() { db_query "SELECT (SELECT COUNT(*) FROM interview_panels) || ' ' || (SELECT COUNT(*) FROM interview_panel_members) || ' ' || (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'interview.panel.%')"; }
nothing_written() { [ "$(counts)" = "0 0 0" ] || fail "a refused import wrote something (panels, members, audit records: $(counts))"; }

G1=$(row G1 K1 K2 K3 K4 K5)
G2=$(row G2 K6 K7 K1 K2 K3)

# ---- refused: three bad rows among good ones, each listed; nothing written ----
import "$G1" "$(row R1 K1 K2 K3 K4 K8)" "$(row E1 K1 K2 K3 K4 K5 K6)" "$(row U1 K1 K2 K3 K4 NOBODY)" "$G2"
expect_error 422 PANEL_IMPORT_INVALID
expect_json .error.details.count 3
expect_json '[.error.details.rows[] | "\(.row):\(.panel_code):\(.code)"] | join(",")' '1:R1:PANEL_RECUSAL,2:E1:PANEL_SIZE,3:U1:VALIDATION_FAILED'
# SEC-3: the recused member named by staff id only, never the relation or the relative
expect_json '.error.details.rows[0].rule' SEC-3
expect_json '.error.details.rows[0].details.staff_ids | join(",")' "${SID[K8]}"
grep -q '钱五\|spouse\|配偶' "$WORK/body" && fail "the refusal names the relation: $(body)"
# INT-2: an even panel, with the figures of the single route's refusal
expect_json '.error.details.rows[1].rule' INT-2
expect_json '.error.details.rows[1].details.examiners' 6
expect_json '.error.details.rows[2].details.fields[0].problem' unknown_staff
expect_json '.error.details.rows[2].details.staff_id' 999999
# each row says what is wrong in the request's language
expect_json '.error.details.rows[0].message' "$(jq -r .PANEL_RECUSAL "$KW_SRC/data/i18n/zh-CN.json")"
expect_json '.error.details.rows[1].message | length > 0' true
expect_json '.error.details.rows[2].details.fields[0].message | length > 0' true
nothing_written

# two rows of one code
import "$G1" "$(row G1 K6 K7 K1 K2 K3)"
expect_error 422 PANEL_IMPORT_INVALID
expect_json '[.error.details.rows[] | "\(.row):\(.code):\(.details.row)"] | join(",")' '1:PANEL_EXISTS:0'
nothing_written

# an import of more than 256 panels is checked on two threads: 300 rows, the last even
jq -nc --argjson t "$G1" --argjson k6 "${SID[K6]}" \
	'{panels: [range(1; 301) | $t + {code: "S\(.)"}]} | .panels[299].members += [{staff_id: $k6, duty: "examiner"}]' >"$WORK/many.json"
api "$AG" POST "/api/v1/exams/$QE/interview_panels/import" --data-binary "@$WORK/many.json" -H 'Content-Type: application/json'
expect_error 422 PANEL_IMPORT_INVALID
expect_json '[.error.details.rows[] | "\(.row):\(.panel_code):\(.code)"] | join(",")' '299:S300:PANEL_SIZE'
nothing_written

# a role without interview.manage
TOK=$ISUP import "$G1"
expect_error 403 FORBIDDEN
nothing_written

# ---- the good import: both panels, one batch record each for panels and members ----
import "$G1" "$G2"
expect_status 201
expect_json .created 2
expect_json '[.items[].code] | join(",")' G1,G2
ID1=$(jq -r '.items[0].id' "$WORK/body")
ID2=$(jq -r '.items[1].id' "$WORK/body")
[ "$(counts)" = "2 16 2" ] || fail "panels, members, audit records after the import: $(counts), want 2 16 2"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.panel.import'")" = 1 ] || fail "the panels are not one batch record"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.panel.member'")" = 1 ] || fail "the members are not one batch record"
api "$AG" GET "/api/v1/interview_panels/$ID1"
expect_status 200
expect_json .examiners 5
expect_json '.members | length' 8
expect_json '[.members[] | select(.duty == "chief") | .name][0]' 考官1

# ---- a code the exam has already: refused by row, nothing more written ----
import "$(row G3 K1 K2 K3 K4 K5)" "$G2"
expect_error 422 PANEL_IMPORT_INVALID
expect_json '[.error.details.rows[] | "\(.row):\(.panel_code):\(.code)"] | join(",")' '1:G2:PANEL_EXISTS'
[ "$(counts)" = "2 16 2" ] || fail "a refused import wrote something: $(counts), want 2 16 2"
# ---- a day of the schedule (POST …/interview_days): its panels and its lotteries written as
# one statement and one batch audit record each; refusals write nothing ----
day() { api "$AG" POST "/api/v1/exams/$QE/interview_days" "{\"day\":\"$1\",\"ends_at\":\"$1T18:00:00+08:00\",\"rooms\":[\"401\",\"402\"],\"panels\":[$2]}"; }
dcounts() { db_query "SELECT (SELECT COUNT(*) FROM interview_days) || ' ' || (SELECT COUNT(*) FROM interview_day_panels) || ' ' || (SELECT COUNT(*) FROM interview_draws) || ' ' || (SELECT COUNT(*) FROM interview_draw_seeds) || ' ' || (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'interview.day.%' OR action LIKE 'interview.draw.%')"; }
day 2027-01-10 "$ID1, 999999"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' not_in_exam
[ "$(dcounts)" = "0 0 0 0 0" ] || fail "a refused day wrote something (days, panels, draws, seeds, audit records: $(dcounts))"
day 2027-01-10 "$ID1"
expect_status 201
expect_json '[.panels[].code] | join(",")' G1
expect_json '[.draws[] | "\(.kind):\(.panel_id)"] | sort | join(",")' "order:$ID1,rooms:null"
[ "$(dcounts)" = "1 1 2 2 3" ] || fail "days, panels, draws, seeds, audit records after a day: $(dcounts), want 1 1 2 2 3"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.draw.commit' AND row_digest LIKE 'merkle:%'")" = 1 ] || fail "the day's lotteries are not one batch record"
# each lottery's sealed seed is the one its published commitment (SHA-256) names
good=$(db_query "SELECT d.commitment, s.seed FROM interview_draws d JOIN interview_draw_seeds s ON s.draw_id = d.id" | while IFS='|' read -r c sd; do
	if [ "$(printf '%s' "$sd" | xxd -r -p | sha256sum | cut -c1-64)" = "$c" ]; then echo ok; fi
done | wc -l)
[ "$good" = 2 ] || fail "$good of the day's 2 lotteries have the seed their commitment names"
# INT-4: the position's other panel on another day; a panel on a second day; nothing written
day 2027-01-11 "$ID2"
expect_error 409 INTERVIEW_POSITION_DAYS
expect_json .error.rule INT-4
day 2027-01-12 "$ID1"
expect_error 409 INTERVIEW_PANEL_SCHEDULED
[ "$(dcounts)" = "1 1 2 2 3" ] || fail "a refused day wrote something: $(dcounts), want 1 1 2 2 3"
audit_verify 0
server_stop
echo "ok"
