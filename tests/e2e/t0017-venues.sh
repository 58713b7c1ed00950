#!/usr/bin/env bash
# Organisation and venues (ORG-1..6, VEN-1..7) through the registers API: centres and rooms
# created, listed, read with their ETag, changed only with If-Match, each change in the
# record's history; bad input refused with nothing written (a room with 0 seats, a duplicate
# code, an unknown field); the walls between provinces (404, not 403); CSV imports in UTF-8
# and GB18030, all-or-nothing, with row-level errors (wrong columns, bad encoding, a
# duplicate, an orphan); XLSX export; VEN-4 blocks and ORG-4 qualification as computed
# values; the demo loads and loads again without adding anything; audit verify passes.
. "$(dirname "$0")/lib.sh"
server_start

api() { # api TOKEN METHOD PATH [JSON] [extra curl args…]
	local t=$1 m=$2 p=$3
	shift 3
	if [ $# -ge 1 ] && [ "${1:0:1}" = "{" ]; then
		local b=$1
		shift
		req "$m" "$p" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' --data "$b" "$@"
	else
		req "$m" "$p" -H "Authorization: Bearer $t" "$@"
	fi
}
csv() { # csv TOKEN PATH FILE
	req POST "$2" -H "Authorization: Bearer $1" -H 'Content-Type: text/csv' --data-binary "@$3"
}
count() { db_query "SELECT COUNT(*) FROM $1"; }

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")

AH=$(unit AH provincial_agency provincial "$root")
HF=$(unit AH-HF area_agency prefecture "$AH")
JS=$(unit JS provincial_agency provincial "$root")

# ---- a centre: create, read, list (VEN-1 stores facts) ----
api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"C1\",\"name\":\"合肥一中\",\"address\":\"合肥市蜀山区\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
expect_status 201
C1=$(jq -r .id "$WORK/body")
expect_json .cbt_seats 0
expect_json .status active
expect_json .blocked false
[ "$(header Location)" = "/api/v1/centres/$C1" ] || fail "Location: $(header Location)"
api "$A" GET "/api/v1/centres/$C1"
expect_status 200
etag=$(header ETag)
[ ${#etag} -eq 66 ] || fail "ETag: $etag"
api "$A" GET "/api/v1/centres?q=合肥"
expect_json '.items | length' 1
api "$A" GET "/api/v1/centres?kind=college"
expect_json '.items | length' 0
api "$A" GET "/api/v1/centres?nosuchfield=1"
expect_error 400 QUERY_INVALID
api "$A" GET "/api/v1/centres?cbt_seats=many"
expect_error 400 QUERY_INVALID
expect_json .error.details.name cbt_seats
api "$A" GET "/api/v1/centres?limit=0"
expect_error 400 QUERY_INVALID

# ---- bad input changes nothing ----
before=$(count centres)
api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"C1\",\"name\":\"重复\",\"address\":\"x\",\"admin_level\":\"county\",\"kind\":\"other\"}"
expect_error 409 RECORD_DUPLICATE
api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"C2\",\"name\":\"x\",\"address\":\"x\",\"admin_level\":\"village\",\"kind\":\"other\",\"colour\":\"red\"}"
expect_error 400 VALIDATION_FAILED
expect_json '[.error.details.fields[] | .field + ":" + .problem] | sort | join(",")' "admin_level:not_allowed,colour:unknown"
api "$A" POST /api/v1/centres "{\"unit_id\":999999,\"code\":\"C3\",\"name\":\"x\",\"address\":\"x\",\"admin_level\":\"county\",\"kind\":\"other\"}"
expect_error 404 NOT_FOUND
[ "$(count centres)" = "$before" ] || fail "a refused centre was written"
# VEN-5: a room has at least one seat.
api "$A" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"101\",\"seats\":0,\"mode\":\"paper\"}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field + ":" + .error.details.fields[0].problem' "seats:range"
expect_json '.error.details.fields[0].message' 数值超出允许范围。
[ "$(count rooms)" = 0 ] || fail "a room with 0 seats was written"

# ---- rooms ----
api "$A" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"101\",\"seats\":30,\"mode\":\"paper\",\"video\":true,\"floor\":1}"
expect_status 201
R1=$(jq -r .id "$WORK/body")
expect_json .video true
api "$A" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"101\",\"seats\":30,\"mode\":\"paper\"}"
expect_error 409 RECORD_DUPLICATE
api "$A" GET "/api/v1/centres/$C1"
expect_json .rooms 1
expect_json .seats 30

# ---- changes need If-Match; each is in the history ----
api "$A" PATCH "/api/v1/centres/$C1" '{"name":"合肥市第一中学"}'
expect_error 428 PRECONDITION_REQUIRED
api "$A" PATCH "/api/v1/centres/$C1" '{"name":"合肥市第一中学"}' -H 'If-Match: "0000"'
expect_error 412 STALE_RECORD
api "$A" GET "/api/v1/centres/$C1"; etag=$(header ETag)
api "$A" PATCH "/api/v1/centres/$C1" '{"name":"合肥市第一中学"}' -H "If-Match: $etag"
expect_status 200
expect_json .name 合肥市第一中学
[ "$(header ETag)" != "$etag" ] || fail "the ETag did not change"
api "$A" PATCH "/api/v1/centres/$C1" '{"name":"again"}' -H "If-Match: $etag"
expect_error 412 STALE_RECORD
api "$A" GET "/api/v1/centres/$C1"; etag=$(header ETag)
api "$A" PATCH "/api/v1/centres/$C1" '{"code":"C9"}' -H "If-Match: $etag"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' fixed
api "$A" GET "/api/v1/centres/$C1/history"
expect_status 200
expect_json '[.items[].action] | join(",")' "centre.update,centre.create"
expect_json '.items[0].actor' admin
expect_json '.items[0].detail.changes.name.from' 合肥一中
expect_json '.items[0].detail.changes.name.to' 合肥市第一中学

# ---- VEN-1: whether a centre may serve an exam depends on the exam's rule set ----
api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"C-TOWN\",\"name\":\"某镇中学\",\"address\":\"某镇\",\"admin_level\":\"township\",\"kind\":\"other\"}"
expect_status 201; CT=$(jq -r .id "$WORK/body"); ctag=$(header ETag)
api "$A" GET "/api/v1/centres/$CT/suitability?ruleset=AH"
expect_json '.allowed' false
expect_json '.rule + " " + .reason' "VEN-1 BELOW_LEVEL_NO_APPROVAL"
api "$A" PATCH "/api/v1/centres/$CT" '{"admin_level":"county"}' -H "If-Match: $ctag"
expect_status 200; ctag=$(header ETag)
api "$A" GET "/api/v1/centres/$CT/suitability?ruleset=AH"
expect_json '.allowed' true
api "$A" GET "/api/v1/centres/$CT/suitability?ruleset=PQ"
expect_json '.allowed' false
api "$A" PATCH "/api/v1/centres/$CT" '{"provincial_approval":"皖人社函〔2026〕1号"}' -H "If-Match: $ctag"
expect_status 200; ctag=$(header ETag)
api "$A" GET "/api/v1/centres/$CT/suitability?ruleset=PQ"
expect_json '.reason' NO_NATIONAL_FILING
api "$A" GET "/api/v1/centres/$CT/suitability?ruleset=XX"
expect_error 400 RULESET_UNKNOWN
api "$A" GET "/api/v1/centres/$CT/suitability"
expect_error 400 QUERY_INVALID

# ---- VEN-4: a major incident blocks the centre until rectified ----
api "$A" POST /api/v1/incidents "{\"centre_id\":$C1,\"occurred_on\":\"2026-07-05\",\"description\":\"保密室监控中断\",\"major\":true}"
expect_status 201
I1=$(jq -r .id "$WORK/body"); ietag=$(header ETag)
api "$A" GET "/api/v1/centres/$C1"
expect_json .blocked true
api "$A" PATCH "/api/v1/incidents/$I1" '{"rectified_on":"2026-09-01"}' -H "If-Match: $ietag"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' rectification
api "$A" PATCH "/api/v1/incidents/$I1" '{"rectified_on":"2026-09-01","rectification":"更换监控，落实双人值守"}' -H "If-Match: $ietag"
expect_status 200
api "$A" GET "/api/v1/centres/$C1"
expect_json .blocked false

# ---- ORG-4: staff are qualified once trained ----
api "$A" POST /api/v1/staff "{\"unit_id\":$HF,\"code\":\"S1\",\"name\":\"张伟\",\"post\":\"proctor\",\"employment\":\"part_time\"}"
expect_status 201
S1=$(jq -r .id "$WORK/body")
expect_json .qualified false
api "$A" POST /api/v1/trainings "{\"staff_id\":$S1,\"course\":\"考务培训\",\"trained_on\":\"2026-10-28\",\"result\":\"failed\"}"
expect_status 201
api "$A" GET "/api/v1/staff/$S1"; expect_json .qualified false
api "$A" POST /api/v1/trainings "{\"staff_id\":$S1,\"course\":\"考务培训（补训）\",\"trained_on\":\"2026-11-02\",\"result\":\"passed\"}"
api "$A" GET "/api/v1/staff/$S1"; expect_json .qualified true

# ---- walls: Jiangsu's agency staff sees nothing of Anhui (404, never 403) ----
api "$A" POST /api/v1/users '{"username":"js.agency","display_name":"江苏考务","password":"js-agency-pass-1"}'
expect_status 201; UJ=$(jq -r .id "$WORK/body")
api "$A" POST "/api/v1/users/$UJ/roles" "{\"roles\":[{\"role\":\"agency_staff\",\"unit\":$JS}]}"
expect_status 202
ap=$(jq -r .approval_id "$WORK/body")
# The checker sees whom and what in words (INF-4: they must know what they approve).
api "$A2" GET "/api/v1/approvals?status=pending"
expect_json ".items[] | select(.id == $ap) | .subject.user.username" js.agency
expect_json ".items[] | select(.id == $ap) | .subject.roles[0].unit.code" JS
expect_json ".items[] | select(.id == $ap) | .subject.roles[0].role_name.zh" 考试机构工作人员
api "$A2" POST "/api/v1/approvals/$ap/approve"
expect_status 200
login js.agency js-agency-pass-1; J=$TOKEN
api "$J" GET "/api/v1/centres/$C1"
expect_error 404 NOT_FOUND
# The accounts a staff record may name: Jiangsu's own people only; never a password hash.
api "$J" GET /api/v1/users
expect_status 200
expect_json '[.items[].username] | join(",")' js.agency
grep -q password "$WORK/body" && fail "the users list shows password data"
api "$A" GET "/api/v1/users?q=JS.AG"
expect_json '[.items[].username] | join(",")' js.agency
api "$A" GET /api/v1/users
expect_json '[.items[].username] | index("admin2") != null' true
api "$J" GET "/api/v1/centres/$C1/history"
expect_error 404 NOT_FOUND
api "$J" GET "/api/v1/units/$AH/history"
expect_error 404 NOT_FOUND
api "$J" GET "/api/v1/units/$root/history"
expect_error 404 NOT_FOUND
api "$J" GET "/api/v1/units/$JS/history"
expect_status 200
expect_json '.items[0].action' unit.create
expect_json '.items[0].detail.code' JS
api "$J" GET /api/v1/centres
expect_json '.items | length' 0
api "$J" GET "/api/v1/rooms/$R1"
expect_error 404 NOT_FOUND
api "$J" PATCH "/api/v1/centres/$C1" '{"name":"x"}' -H "If-Match: $etag"
expect_error 404 NOT_FOUND
api "$J" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"999\",\"seats\":30,\"mode\":\"paper\"}"
expect_error 404 NOT_FOUND
api "$J" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"JX\",\"name\":\"x\",\"address\":\"x\",\"admin_level\":\"county\",\"kind\":\"other\"}"
expect_error 404 NOT_FOUND
api "$J" GET "/api/v1/centres?format=xlsx"
expect_status 200
# …and does their own work at home.
api "$J" POST /api/v1/centres "{\"unit_id\":$JS,\"code\":\"JS-C1\",\"name\":\"南京考点\",\"address\":\"南京\",\"admin_level\":\"prefecture\",\"kind\":\"standard\"}"
expect_status 201
api "$A" GET /api/v1/centres
expect_json '.items | length' 3

# ---- CSV import (docs/import.md) ----
printf '\xef\xbb\xbfcentre_code,code,seats,mode,video,floor\nC1,102,30,paper,是,1\nC1,103,28,paper,否,1\n' >"$WORK/rooms.csv"
csv "$A" "/api/v1/rooms/import?dry_run=1" "$WORK/rooms.csv"
expect_status 200
expect_json .encoding "UTF-8 (BOM)"
expect_json .dry_run true
expect_json .rows 2
[ "$(count rooms)" = 1 ] || fail "a dry run wrote rooms"
csv "$A" /api/v1/rooms/import "$WORK/rooms.csv"
expect_status 201
expect_json .imported 2
[ "$(count rooms)" = 3 ] || fail "rooms after import: $(count rooms)"
[ "$(db_query "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")" = room.import ] || fail "no batch audit record"
# GB18030, headed by the Chinese labels.
printf '考点,考场号,座位数,考试方式\nC1,201,30,纸笔考试\nC1,202,30,cbt\n' | iconv -f UTF-8 -t GB18030 >"$WORK/rooms-gb.csv"
csv "$A" /api/v1/rooms/import "$WORK/rooms-gb.csv"
expect_status 201
expect_json .encoding GB18030
[ "$(count rooms)" = 5 ] || fail "rooms after the GB18030 import"
api "$A" GET "/api/v1/rooms?code=202"
expect_json '.items[0].mode' cbt
# Wrong columns.
printf 'centre,room,chairs\nC1,301,30\n' >"$WORK/bad-cols.csv"
csv "$A" /api/v1/rooms/import "$WORK/bad-cols.csv"
expect_error 400 IMPORT_COLUMNS
expect_json '.error.details.unknown | length' 3
# A bad encoding (neither UTF-8 nor GB18030).
printf 'centre_code,code,seats,mode\nC1,\xff\xfe\xff,30,paper\n' >"$WORK/bad-enc.csv"
csv "$A" /api/v1/rooms/import "$WORK/bad-enc.csv"
expect_error 400 ENCODING_UNKNOWN
# A duplicate (in the file and against the database), an orphan, a 0-seat room: all listed,
# nothing imported.
printf 'centre_code,code,seats,mode\nC1,301,30,paper\nC1,301,30,paper\nC1,101,30,paper\nNOPE,302,30,paper\nC1,303,0,paper\n' >"$WORK/bad-rows.csv"
csv "$A" /api/v1/rooms/import "$WORK/bad-rows.csv"
expect_error 422 IMPORT_INVALID
expect_json '[.error.details.rows[] | "\(.line):\(.problem)"] | join(",")' "3:duplicate_in_file,4:duplicate,5:orphan,6:range"
expect_json '.error.details.rows[0].message' 与文件中前面的行重复。
[ "$(count rooms)" = 5 ] || fail "a refused import wrote rooms"
# Units and staff import too; a row may name a parent earlier in the file.
printf 'code,name,kind,level,parent_code\nAH-WH,芜湖考区,area_agency,prefecture,AH\nAH-WH-X,芜湖某单位,recruiter,county,AH-WH\n' >"$WORK/units.csv"
csv "$A" /api/v1/units/import "$WORK/units.csv"
expect_status 201
expect_json .imported 2
csv "$J" /api/v1/units/import "$WORK/units.csv"
expect_error 403 FORBIDDEN
# Anhui's centre does not exist for Jiangsu: their rows naming it are orphans.
printf 'centre_code,code,seats,mode\nC1,801,30,paper\nJS-C1,801,30,paper\n' >"$WORK/rooms-js.csv"
csv "$J" /api/v1/rooms/import "$WORK/rooms-js.csv"
expect_error 422 IMPORT_INVALID
expect_json '[.error.details.rows[] | "\(.line):\(.field):\(.problem)"] | join(",")' "2:centre_id:orphan"
[ "$(count rooms)" = 5 ] || fail "a refused import wrote rooms"

# ---- XLSX export ----
api "$A" GET "/api/v1/rooms?format=xlsx&centre_id=$C1"
expect_status 200
expect_header Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
[ "$(head -c 2 "$WORK/body")" = PK ] || fail "the export is not a ZIP"
api "$A" GET "/api/v1/units?format=xlsx"
expect_status 200
[ "$(head -c 2 "$WORK/body")" = PK ] || fail "the units export is not a ZIP"
api "$A" GET "/api/v1/units?format=pdf"
expect_error 400 QUERY_INVALID

# ---- the record's history for a batch ----
R102=$(db_query "SELECT id FROM rooms WHERE code = '102'")
api "$A" GET "/api/v1/rooms/$R102/history"
expect_json '.items[0].action' room.import

server_stop
audit_verify 0

# ---- the demo: idempotent, and audited ----
"$KAOWU" demo --db "$DB_URL" >"$WORK/demo1.out" 2>&1 || fail "demo failed: $(cat "$WORK/demo1.out")"
grep -q "kaowu-demo-2026" "$WORK/demo1.out" || fail "the demo did not print its password"
"$KAOWU" demo --db "$DB_URL" --quiet >"$WORK/demo2.out" || fail "second demo failed"
grep -Eq "(新增 0 项|0 items added)" "$WORK/demo2.out" || fail "the second demo added something: $(cat "$WORK/demo2.out")"
[ "$(db_query "SELECT COUNT(*) FROM centres WHERE code LIKE 'JS-%'")" -ge 4 ] || fail "Jiangsu's demo centres are missing"
# EXAM-2: the Anhui qualification exam is made from the national template, fees set by Anhui.
[ "$(db_query "SELECT e.code || ':' || t.code || ':' || t.status FROM exams e JOIN exams t ON t.id = e.template_id")" = AH-JJ-2027:JJ-2027:template ] || fail "the demo's template is missing"
[ "$(db_query "SELECT COUNT(*) || ':' || MIN(s.fee_cents) || ':' || MAX(s.fee_cents) FROM subjects s JOIN exams e ON e.id = s.exam_id WHERE e.code = 'AH-JJ-2027'")" = 2:5600:5600 ] || fail "the provincial fees are not set"
# REG-4: the demo candidate has a photo.
[ "$(db_query "SELECT COUNT(*) FROM files WHERE purpose = 'photo'")" = 1 ] || fail "the demo candidate has no photo"
audit_verify 0

# ---- the demo into a database of its own: the interview of the civil-service exam held ----
# Above, the test's own AH-HF and AH-WH (under its "AH") leave the demo's exams without seats
# (SEATS_SHORT: the demo goes on without seating, scores or an interview). In a database of its
# own, today in China time (INT-2 … INT-6): every position's shortlist published with more
# candidates than its target; panel G1 of 5 examiners (chief, deputy, three more) with a
# supervisor, scorer, timer and guide, each a staff record linked to the demo account it acts
# as; the day's room and order draws drawn; every examiner's scores and the three sign-offs of
# all but the last order number, which every examiner but ah_examiner (the visitor's tablet
# account) has scored — each in the actor's own name; the
# complete positions' results published. A second run adds nothing.
case "$KW_TEST_DB" in
sqlite) rm -f "$WORK"/kw.db* ;;
pg) psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE $PG_DB WITH (FORCE)" >/dev/null && PG_DB="" ;;
esac
db_from_template
T0=$(date +%s)
"$KAOWU" demo --db "$DB_URL" >"$WORK/demo3.out" 2>&1 || fail "demo into a new database failed: $(cat "$WORK/demo3.out")"
T1=$(date +%s)
IVX=$(db_query "SELECT id FROM exams WHERE code = 'AH-GWY-2026'")
[ -n "$IVX" ] || fail "the demo's interview exam is missing"
got=$(db_query "SELECT l.status || ':' || l.target || ':' || (SELECT COUNT(*) FROM interview_shortlist_entries x WHERE x.shortlist_id = l.id AND x.state = 'admitted') || ':' || (SELECT COUNT(*) FROM interview_shortlist_entries x WHERE x.shortlist_id = l.id) FROM interview_shortlists l WHERE l.exam_id = $IVX ORDER BY l.id")
[ "$(awk -F: '$1 == "published" && $3 >= $2 && $4 > $2 { n++ } END { print n + 0 }' <<<"$got")" = 3 ] || fail "the demo's shortlists are not all built and published (status:target:admitted:entries): $got"
[ "$(db_query "SELECT m.duty || ':' || u.username FROM interview_panel_members m JOIN interview_panels p ON p.id = m.panel_id JOIN staff f ON f.id = m.staff_id JOIN users u ON u.id = f.user_id WHERE p.exam_id = $IVX AND p.code = 'G1' ORDER BY m.id" | tr '\n' ' ')" = "chief:ah_iv_chief deputy:ah_iv_deputy examiner:ah_examiner examiner:ah_examiner2 examiner:ah_examiner3 supervisor:ah_interview_supervisor scorer:ah_scorer timer:ah_timer guide:ah_guide " ] || fail "the demo's panel is not as expected"
[ "$(db_query "SELECT d.day || ':' || (SELECT COUNT(*) FROM interview_draws w WHERE w.day_id = d.id AND w.status = 'drawn') || ':' || (SELECT COUNT(*) FROM interview_draws w WHERE w.day_id = d.id) FROM interview_days d WHERE d.exam_id = $IVX")" = "$(date -u -d '+8 hours' +%F):2:2" ] || fail "the demo's interview day is not today with its draws drawn"
db_query "SELECT c.order_no || '|' || c.stage || '|' || (SELECT COUNT(*) FROM interview_scores x WHERE x.candidate_id = c.id) || '|' || CASE WHEN c.composite IS NULL THEN 0 ELSE 1 END FROM interview_candidates c JOIN interview_panels p ON p.id = c.panel_id WHERE p.exam_id = $IVX ORDER BY c.order_no" >"$WORK/iv-orders"
IVN=$(wc -l <"$WORK/iv-orders")
[ "$IVN" -ge 12 ] || fail "the demo's panel has $IVN order numbers"
awk -F'|' -v n="$IVN" '$1 != NR || (NR < n && ($2 != "chief" || $3 != 5 || $4 != 1)) || (NR == n && ($2 != "scoring" || $3 != 4)) { bad = 1 } END { exit bad }' "$WORK/iv-orders" || fail "not every order number but the last is scored and signed off: $(cat "$WORK/iv-orders")"
[ "$(db_query "SELECT actor_name || ':' || COUNT(*) FROM audit_log WHERE action IN ('interview.score.enter', 'interview.signoff') GROUP BY actor_name ORDER BY actor_name" | tr '\n' ' ')" = "$(for u in ah_examiner ah_examiner2 ah_examiner3 ah_interview_supervisor ah_iv_chief ah_iv_deputy ah_scorer; do n=$((IVN - 1)); case $u in ah_examiner[23] | ah_iv_deputy) n=$IVN ;; ah_iv_chief) n=$((2 * IVN - 1)) ;; esac; printf '%s:%s ' $u $n; done)" ] || fail "the scores and sign-offs are not each in their actor's name"
[ "$(db_query "SELECT COUNT(*) FROM interview_result_publications r JOIN interview_shortlists l ON l.id = r.shortlist_id WHERE l.exam_id = $IVX")" = 2 ] || fail "the complete positions' results are not published"
grep -q "/interview.html?exam=$IVX" "$WORK/demo3.out" || fail "the demo does not print the interview page"
grep "/examiner.html" "$WORK/demo3.out" | grep "ah_examiner" | grep -Eq "（$IVN 号）|No\. $IVN," || fail "the demo does not print the examiner's tablet and the order number left: $(cat "$WORK/demo3.out")"
grep "/recruitment.html?shortlist=[0-9]" "$WORK/demo3.out" | grep -q "/recruitment.html?exam=$IVX" || fail "the demo does not print the recruitment page"

# ---- the demo's exam day (issue 9) ----
# A sitting held today (AH-ZX-TODAY) at the Anqing area's two centres, which no other exam of
# the demo uses: seated in 4-6 exam rooms, its subject 01 starting 20 minutes after the load
# rounded up to 5 minutes (check-in open, DAY-3); ~70% checked in by typed ticket numbers, the
# identity checked, each by a proctor the lottery put in that room (SEAT-2, DAY-2, DAY-4);
# AH-AQ-01's duty roster covering the window, AH-AQ-02's with a gap, two log entries by the
# chief examiner on duty (DAY-1); a candidate's illness acknowledged by the area and a group
# dispute reported at once, awaiting the national centre (DAY-5), which blocks AH-AQ-02 (VEN-4).
ZX=$(db_query "SELECT id FROM exams WHERE code = 'AH-ZX-TODAY'")
IFS=: read -r nc nr ns c1 c2 <<<"$(db_query "SELECT COUNT(DISTINCT x.centre_id) || ':' || COUNT(DISTINCT x.id) || ':' || COUNT(*) || ':' || MIN(c.code) || ':' || MAX(c.code) FROM seats s JOIN seating_runs r ON r.id = s.run_id JOIN exam_rooms x ON x.id = s.exam_room_id JOIN centres c ON c.id = x.centre_id WHERE r.exam_id = $ZX AND r.status = 'published'")"
[ "$nc:$c1:$c2" = 2:AH-AQ-01:AH-AQ-02 ] && [ "$nr" -ge 4 ] && [ "$nr" -le 6 ] && [ "$ns" -ge 40 ] && [ "$ns" -le 60 ] || fail "the sitting held today is not seated as expected: $nc:$nr:$ns:$c1:$c2"
[ "$(db_query "SELECT COUNT(*) FROM exam_rooms x JOIN seating_runs r ON r.id = x.run_id JOIN centres c ON c.id = x.centre_id WHERE c.code LIKE 'AH-AQ-%' AND r.exam_id <> $ZX")" = 0 ] || fail "another exam of the demo uses the Anqing centres"
st=$(date -d "$(db_query "SELECT starts_at FROM subjects WHERE exam_id = $ZX AND code = '01'")" +%s)
[ $((st % 300)) = 0 ] && [ $((st - T0)) -ge 1200 ] && [ $((st - T1)) -le 1500 ] || fail "subject 01 does not start 20 minutes after the load, rounded: $st ($T0..$T1)"
nk=$(db_query "SELECT COUNT(*) FROM checkins k WHERE k.exam_id = $ZX AND k.method = 'typed' AND k.id_checked = 1 AND EXISTS (SELECT 1 FROM proctor_assignments a JOIN proctor_draws w ON w.id = a.draw_id JOIN staff f ON f.id = a.staff_id WHERE a.exam_room_id = k.exam_room_id AND a.duty = 'proctor' AND w.status = 'drawn' AND f.user_id = k.checked_in_by)")
[ "$nk" = "$(db_query "SELECT COUNT(*) FROM checkins WHERE exam_id = $ZX")" ] && [ $((nk * 10)) -ge $((ns * 6)) ] && [ $((nk * 10)) -le $((ns * 8)) ] || fail "not ~70% checked in by their rooms' proctors: $nk of $ns"
[ "$(db_query "SELECT c.code || ':' || COUNT(*) FROM duty_shifts d JOIN centres c ON c.id = d.centre_id WHERE d.exam_id = $ZX GROUP BY c.code ORDER BY c.code" | tr '\n' ' ')" = "AH-AQ-01:2 AH-AQ-02:2 " ] || fail "the duty roster is not as expected"
[ "$(db_query "SELECT COUNT(*) FROM duty_log_entries l JOIN users u ON u.id = l.written_by WHERE l.exam_id = $ZX AND u.username = 'aq_chief'")" = 2 ] || fail "the duty log has not its two entries by the chief examiner"
[ "$(db_query "SELECT i.category || ':' || i.status || ':' || COALESCE(u.code, '-') || ':' || (SELECT COUNT(*) FROM exam_incident_steps t WHERE t.incident_id = i.id AND t.acknowledged_at IS NOT NULL) FROM exam_incidents i LEFT JOIN units u ON u.id = i.awaiting_unit_id WHERE i.exam_id = $ZX ORDER BY i.id" | tr '\n' ' ')" = "candidate_illness:open:-:1 mass_disruption:open:root:0 " ] || fail "the demo's exam-day incidents are not as expected"
# CUS-7: AH-JJ-2026's materials listed and one held for a major anomaly.
[ "$(db_query "SELECT COUNT(*) FROM retention_holds h JOIN retention_materials m ON m.id = h.material_id JOIN exams e ON e.id = m.exam_id WHERE e.code = 'AH-JJ-2026' AND h.lifted_at IS NULL")" = 1 ] || fail "no material of AH-JJ-2026 is held"
# GRD-4: AH-JJ-2026's answer data backed up by ah_agency and kept apart by ah_keeper.
[ "$(db_query "SELECT mu.username || '>' || ku.username FROM answer_backups b JOIN exams e ON e.id = b.exam_id JOIN users mu ON mu.id = b.made_by JOIN users ku ON ku.id = b.kept_by WHERE e.code = 'AH-JJ-2026'")" = "ah_agency>ah_keeper" ] || fail "AH-JJ-2026's answer data is not backed up and kept apart"
# VEN-6 as the pages read it: every centre ready but AH-WH-02 (no safety-responsibility letter)
# for AH-GWY-2027 and AH-AQ-02 (blocked) for the sitting today; the command view of the sitting.
serve_bg demo
login ah_agency kaowu-demo-2026
for x in AH-GWY-2027 AH-JJ-2026 AH-GWY-2026 AH-ZX-TODAY; do
	api "$TOKEN" GET "/api/v1/exams/$(db_query "SELECT id FROM exams WHERE code = '$x'")/readiness"
	expect_status 200
	jq -r --arg x "$x" '.items[] | select(.ready | not) | "\($x):\(.code):\([.missing[].code] | join(","))"' "$WORK/body"
done >"$WORK/not-ready"
[ "$(tr '\n' ' ' <"$WORK/not-ready")" = "AH-GWY-2027:AH-WH-02:safety_letter_missing AH-ZX-TODAY:AH-AQ-02:blocked " ] || fail "the demo's readiness is not as expected: $(cat "$WORK/not-ready")"
api "$TOKEN" GET "/api/v1/exams/$ZX/sittings/01/command"
expect_status 200
[ "$(jq -c '[.totals.centres, .totals.seated, .totals.present, .totals.incidents]' "$WORK/body")" = "[2,$ns,$nk,2]" ] || fail "the command view does not show the sitting: $(jq -c .totals "$WORK/body")"
P=$(sed -n 's|.*/proctor.html[^a-z]*\(aq_proctor[0-9]*\).*|\1|p' "$WORK/demo3.out")
[ "$(db_query "SELECT COUNT(*) FROM proctor_assignments a JOIN staff f ON f.id = a.staff_id JOIN users u ON u.id = f.user_id JOIN exam_rooms x ON x.id = a.exam_room_id JOIN centres c ON c.id = x.centre_id WHERE u.username = '$P' AND c.code = 'AH-AQ-01' AND (SELECT COUNT(*) FROM seats s WHERE s.exam_room_id = x.id) > (SELECT COUNT(*) FROM checkins k WHERE k.exam_room_id = x.id)")" -ge 1 ] || fail "the demo does not name a proctor of AH-AQ-01 with candidates to check in: '$P'"
for u in "/command.html?exam=$ZX&subject=01" "/readiness.html?exam=$ZX" "/incidents.html?exam=$ZX" "/readiness.html?exam=$(db_query "SELECT id FROM exams WHERE code = 'AH-GWY-2027'")" "/retention.html?exam=$(db_query "SELECT id FROM exams WHERE code = 'AH-JJ-2026'")"; do
	grep -qF "$u" "$WORK/demo3.out" || fail "the demo does not print $u"
done
"$KAOWU" demo --db "$DB_URL" --quiet >"$WORK/demo4.out" || fail "second demo into the new database failed"
grep -Eq "(新增 0 项|0 items added)" "$WORK/demo4.out" || fail "the second demo added something: $(cat "$WORK/demo4.out")"
[ "$(db_query "SELECT COUNT(*) FROM interview_scores")" = $((5 * IVN - 1)) ] || fail "the second demo changed the scores"
audit_verify 0
echo ok
