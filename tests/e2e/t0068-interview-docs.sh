#!/usr/bin/env bash
# The interview day's documents (INT-1, INT-2, INT-3, INT-4, SEC-1; issue 12 item 7), on
# t0062's exam (tests/e2e/interview.sh): the room plan (考场布置图, INT-1, AH 60-61) before and
# after the room draw — every seat of AH 61 drawn, the panel in its room only after the draw,
# the waiting rooms named; the score sheets (评分表) and the summary (成绩汇总表) refused before
# the panel starts (SEC-1: they name the examiners) and, after it, printed with order numbers
# and never a candidate's name or ticket (INT-3); a sheet per examiner with the day's
# dimensions, their own scores and a correction marked (INT-4); the summary with the dropped
# highest and lowest totals of the trimmed method, totals hidden while an examiner has yet to
# enter (INT-4), the sign-offs with names and server times, 未签 where not yet, and the ticket
# only after the chief's sign-off; each print audited as a read of the examiner list; a role
# without interview.manage refused (403), an unknown id and another province's agency 404, a
# panel with no day 409.
# KW_DOCS_OUT=DIR keeps the PDFs and their 60-dpi PNGs there (to look at the layout).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
iv_setup
iv_written
api "$AG" PUT "/api/v1/exams/$QE/interview_settings" '{"written_weight":60,"interview_weight":40,"method":"trimmed"}'
expect_status 200
api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
expect_status 201
SL=$(jq -r '.items[0].id' "$WORK/body")
api "$AG" POST "/api/v1/shortlists/$SL/declines" "{\"registration_id\":${REG[1]},\"reason\":\"本人书面放弃\"}"
expect_status 200
iv_pool
panel G2 K1 K2 K3 K4 K5 K6 K7
expect_status 201
G2=$(jq -r .id "$WORK/body")
panel G1 K1 K2 K3 K4 K5 K6 K7 # never scheduled
expect_status 201
G1=$(jq -r .id "$WORK/body")
DIMS='[{"name":"综合分析能力","max":"40"},{"name":"言语表达能力","max":"30"},{"name":"应变能力","max":"30"}]'
api "$AG" POST "/api/v1/exams/$QE/interview_days" "{\"day\":\"2027-01-10\",\"ends_at\":\"2027-01-10T18:00:00+08:00\",\"rooms\":[\"303\",\"301\",\"302\"],\"panels\":[$G2],\"dimensions\":$DIMS}"
expect_status 201
DAYID=$(jq -r .id "$WORK/body")

# fetch NAME PATH [TOKEN]: the PDF into $WORK/NAME.pdf and its text into $WORK/NAME.txt
fetch() {
	api "${3:-$AG}" GET "$2"
	expect_status 200
	expect_header Content-Type application/pdf
	expect_header Cache-Control no-store
	[ "$(head -c 5 "$WORK/body")" = "%PDF-" ] || fail "$1 is not a PDF"
	cp "$WORK/body" "$WORK/$1.pdf"
	pdftotext -layout "$WORK/$1.pdf" "$WORK/$1.txt" || fail "pdftotext cannot read $1"
	pdftoppm -r 60 -png "$WORK/$1.pdf" "$WORK/$1" || fail "pdftoppm cannot render $1"
	if [ -n "${KW_DOCS_OUT:-}" ]; then
		mkdir -p "$KW_DOCS_OUT"
		cp "$WORK/$1.pdf" "$WORK/$1"*.png "$KW_DOCS_OUT/"
	fi
}
has() { grep -q -- "$2" "$WORK/$1.txt" || fail "$1 lacks '$2'"; }
hasnt() { ! grep -q -- "$2" "$WORK/$1.txt" || fail "$1 shows '$2'"; }
pages() { [ "$(pdfinfo "$WORK/$1.pdf" | awk '/^Pages:/ {print $2}')" = "$2" ] || fail "$1: $(pdfinfo "$WORK/$1.pdf" | grep Pages) instead of $2"; }
no_candidates() { # INT-3: order numbers only
	for n in 1 2 3 4 5 6; do
		hasnt "$1" "${TK[$n]}"
		hasnt "$1" "${NAME[$n]}"
	done
}

# ---- before the start: the room plan, with the draw still to come (INT-1) ----
fetch plan0 "/api/v1/interview_days/$DAYID/room_plan.pdf"
pages plan0 3 # the list, then two diagrams a page for three rooms
for w in 面试考场布置图 301 302 303 待抽签 候考室 考点办公室 主考官 副主考官 考官席 应试人员席 监督员席 计时员席 计分员席 入口; do has plan0 "$w"; done
hasnt plan0 G2
# SEC-1: the score sheets and the summary name the examiners — not before the start
api "$AG" GET "/api/v1/interview_panels/$G2/score_sheets.pdf"
expect_error 403 INTERVIEW_EXAMINERS_SECRET
expect_json .error.rule SEC-1
api "$AG" GET "/api/v1/interview_panels/$G2/summary.pdf"
expect_error 403 INTERVIEW_EXAMINERS_SECRET

# ---- the day, after the panel's start (08:30): accounts of the panel, the lotteries ----
server_restart_at 2027-01-10T09:00:00+08:00
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
login agency agency-password-1; AG=$TOKEN
login isup isup-password-1; ISUP=$TOKEN
# another province's agency: interview.manage, but not over this exam
JS=$(unit JS-PTA provincial_agency provincial "$root")
staff jsag agency_staff "$JS"; JSAG=$TOKEN
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
T[SUP]=$ISUP; link isup SUP
api "$AG" GET "/api/v1/interview_panels/$G1/summary.pdf"
expect_error 409 INTERVIEW_NOT_SCHEDULED
fetch sheets0 "/api/v1/interview_panels/$G2/score_sheets.pdf" # no order numbers yet
has sheets0 顺序号尚未抽签
has sheets0 待抽签
api "$AG" POST "/api/v1/interview_days/$DAYID/room_draw"
expect_status 200
ROOM=$(jq -r '.draws[] | select(.kind == "rooms") | .result[0].room' "$WORK/body")
api "$AG" POST "/api/v1/interview_panels/$G2/order_draw"
expect_status 200
for k in 0 1 2; do ORD[$((k + 1))]=$(jq -r ".result[$k].ticket_no" "$WORK/body"); done

# ---- scores (INT-4): order 1 with a correction and K7's extreme 100; order 2 all 78;
# order 3 entered by three examiners only ----
sc() { api "${T[$1]}" POST "/api/v1/interview_panels/$G2/orders/$2/scores" "$(jq -nc --arg a "$3" --arg b "$4" --arg c "$5" '{scores:[$a,$b,$c]}')"; expect_status 200; }
sc K1 1 30 20 20
sc K2 1 30.5 21.5 20
sc K3 1 28 20 19
sc K4 1 30 25 20
sc K5 1 30 21 20
sc K6 1 29 20 20
sc K7 1 40 30 30
api "${T[K3]}" POST "/api/v1/interview_panels/$G2/orders/1/scores" '{"scores":["28","20","20"],"correction_reason":"误填应变能力"}'
expect_status 200
for k in 1 2 3 4 5 6 7; do sc "K$k" 2 30 24 24; done
for k in 1 2 3; do sc "K$k" 3 20 20 20; done
so() { api "${T[$1]}" POST "/api/v1/interview_panels/$G2/orders/$2/signoffs" "{\"as\":\"$3\"}"; expect_status 200; }
so SCO 1 scorer
so SUP 1 supervisor
so K1 1 chief
so SCO 2 scorer

# ---- score sheets: one per examiner, order numbers × dimensions, never a candidate ----
before=$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.examiners.read'")
fetch sheets "/api/v1/interview_panels/$G2/score_sheets.pdf"
pages sheets 7
for w in 面试评分表 2027年度安徽省考试录用公务员 "100011 科员" G2 "$ROOM" 综合分析能力 0–40分 言语表达能力 应变能力 0–30分 "K1 *考官1" "K7 *考官7" 主考官 副主考官 考官签名; do has sheets "$w"; done
# K3's page: the corrected scores (28, 20, 20 → 68.00) marked 更正; K7's 100.00
pdftotext -f 3 -l 3 -layout "$WORK/sheets.pdf" "$WORK/k3.txt"
grep -q "K3" "$WORK/k3.txt" && grep -Eq "^ *1 +28 +20 +20 +68\.00 +更正" "$WORK/k3.txt" || fail "K3's sheet: $(grep -E '^ *[123] ' "$WORK/k3.txt")"
grep -Eq "^ *3 +20 +20 +20 +60\.00" "$WORK/k3.txt" || fail "K3's order 3 missing"
pdftotext -f 7 -l 7 -layout "$WORK/sheets.pdf" "$WORK/k7.txt"
grep -Eq "^ *1 +40 +30 +30 +100\.00" "$WORK/k7.txt" || fail "K7's sheet: $(grep -E '^ *[123] ' "$WORK/k7.txt")"
! grep -Eq "^ *3 +[0-9]" "$WORK/k7.txt" || fail "K7 has scores on order 3 they never entered"
[ "$(grep -Ec "^ *[0-9]+ .*更正" "$WORK/sheets.txt")" = 1 ] || fail "更正 on other rows than K3's order 1: $(grep -E "^ *[0-9]+ .*更正" "$WORK/sheets.txt")"
no_candidates sheets
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.examiners.read'")" = $((before + 1)) ] || fail "the score sheets' read of the examiners is not audited"

# ---- summary: totals, the dropped marks, sign-offs, the ticket after the chief (INT-4) ----
fetch summary "/api/v1/interview_panels/$G2/summary.pdf"
pages summary 1
for w in 面试成绩汇总表 "去掉一个最高分和一个最低分后取平均" 四舍五入 "K1 考官1" 去最高 去最低 "(100.00)" "(68.00)" 71.40 78.00 已录入 未录入 "2027-01-10 09:00:00" "${ORD[1]}" 计分员 监督员 未签 未计算 "$ROOM"; do has summary "$w"; done
# the rows in drawing order (pdftotext -raw): order 1 — 70 72 68 75 71 69 100, 68 and 100
# dropped, 71.40, signed by all three, its ticket; order 2 — all 78 (the first two of equals
# dropped), the scorer's only, no ticket; order 3 — three of seven in, nothing shown
pdftotext -raw "$WORK/summary.pdf" - | tr -s ' \n' ' ' >"$WORK/summary.raw"
T0="2027-01-10 09:00:00"
for row in "1 70.00 72.00 (68.00) 去最低 75.00 71.00 69.00 (100.00) 去最高 71.40 计分员 $T0 监督员 $T0 考官1 $T0 ${ORD[1]} 2" \
	"2 (78.00) 去最高 (78.00) 去最低 78.00 78.00 78.00 78.00 78.00 78.00 计分员 $T0 未签 未签 未公布 3" \
	"3 已录入 已录入 已录入 未录入 未录入 未录入 未录入 未计算 未签 未签 未签 未公布 说明"; do
	grep -qF "$row" "$WORK/summary.raw" || fail "summary row '$row' not in: $(cat "$WORK/summary.raw")"
done
for n in 2 3; do hasnt summary "${ORD[$n]}"; done
for n in 1 2 3 4 5 6; do hasnt summary "${NAME[$n]}"; done
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'interview.examiners.read'")" = $((before + 2)) ] || fail "the summary's read of the examiners is not audited"

# ---- the room plan after the draw: the panel in its room, the others spare ----
fetch plan "/api/v1/interview_days/$DAYID/room_plan.pdf?waiting_rooms=%E5%80%99%E8%80%83%E5%AE%A4%E7%94%B2%E3%80%81%E5%80%99%E8%80%83%E5%AE%A4%E4%B9%99" # 候考室甲、候考室乙
pages plan 2
for w in "$ROOM 考场" "G2" "100011 科员" 备用 候考室甲 候考室乙 主考官 副主考官 应试人员席 监督员席 计时员席 计分员席; do has plan "$w"; done
hasnt plan 待抽签
api "$AG" GET "/api/v1/interview_days/$DAYID/room_plan.pdf?waiting_rooms=$(printf 'x%.0s' $(seq 41))"
expect_error 400 QUERY_INVALID

# ---- refusals: no interview.manage (403), out of reach or unknown (404) ----
for t in "$A" "$ISUP" "${T[K1]}"; do
	for p in "interview_panels/$G2/score_sheets.pdf" "interview_panels/$G2/summary.pdf" "interview_days/$DAYID/room_plan.pdf"; do
		api "$t" GET "/api/v1/$p"
		expect_error 403 FORBIDDEN
	done
done
for p in "interview_panels/$G2/score_sheets.pdf" "interview_panels/$G2/summary.pdf" "interview_days/$DAYID/room_plan.pdf" \
	"interview_panels/999999/score_sheets.pdf" "interview_panels/999999/summary.pdf" "interview_days/999999/room_plan.pdf"; do
	api "$JSAG" GET "/api/v1/$p"
	expect_error 404 NOT_FOUND
done
api "$AG" GET /api/v1/interview_panels/999999/summary.pdf
expect_error 404 NOT_FOUND
api "$AG" GET /api/v1/interview_days/999999/room_plan.pdf
expect_error 404 NOT_FOUND
audit_verify 0
server_stop
echo "ok"
