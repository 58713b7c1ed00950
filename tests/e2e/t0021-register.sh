#!/usr/bin/env bash
# The candidate's registration wizard (web/register.html) and the reviewer's queue
# (web/queue.html) in Debian's Chromium, driven by playwright-core (tests/browser/
# register.mjs): sign up (REG-4), profile, exam, eligibility explained, pledge (REG-2),
# submission (REG-1), review with a reason (REG-6), payment (REG-7), a 360-px phone; the
# photo (REG-4: a landscape one refused, a portrait shown, the reviewer's thumbnail) and proof
# materials (REG-2: uploaded by a proof-route candidate, listed for the reviewer).
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
# The browser's own clock is the real one; the server's window is open around it.
server_start
KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
api "$A" POST /api/v1/units "{\"code\":\"AH-GWY\",\"name\":\"安徽省公务员局\",\"kind\":\"civil_service_authority\",\"level\":\"provincial\",\"parent\":$root}"
G=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/units "{\"code\":\"10001\",\"name\":\"安徽省税务局\",\"kind\":\"recruiter\",\"level\":\"provincial\",\"parent\":$G}"
R=$(jq -r .id "$WORK/body")
opens=$(date -d '-1 day' +%Y-%m-%dT08:00:00+08:00)
closes=$(date -d '+5 day' +%Y-%m-%dT18:00:00+08:00)
api "$A" POST /api/v1/exams "{\"unit_id\":$G,\"code\":\"GWY\",\"name\":\"安徽省考试录用公务员\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"status\":\"published\",\"reg_opens_at\":\"$opens\",\"reg_closes_at\":\"$closes\",\"exam_date\":\"2027-03-01\",\"ref_date\":\"2027-01-01\",\"fee_approval\":\"皖价费〔2026〕12号\"}"
expect_status 201
E=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$E,\"code\":\"1\",\"name\":\"行政职业能力测验\",\"duration_minutes\":120,\"mode\":\"paper\",\"fee_cents\":5000}"
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数,学历,学位,专业\nGWY,10001,100011,一级主任科员及以下,general,2,bachelor,bachelor,0202\nGWY,10001,100012,法制审核,general,1,master,master,\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
api "$A" POST /api/v1/users '{"username":"reviewer","display_name":"审查员","password":"reviewer-pass-1"}'
U=$(jq -r .id "$WORK/body")
api "$A" POST "/api/v1/users/$U/roles" "{\"roles\":[{\"role\":\"qualification_reviewer\",\"unit\":$R}]}"
api "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
expect_status 200
shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
# The photo (REG-4): a good portrait, and a landscape one the server refuses; a proof file (REG-2).
"$KAOWU" generate photo --pick 1 >"$WORK/photo.jpg" || fail "generate photo failed"
KW_REVIEWER=reviewer KW_REVIEWER_PASSWORD=reviewer-pass-1 KW_EXAM_ID=$E KW_POS_OK=100011 KW_POS_MASTER=100012 \
	KW_PHOTO="$WORK/photo.jpg" KW_PHOTO_LANDSCAPE="$KW_SRC/tests/data/uploads/landscape.jpg" \
	node "$KW_SRC/tests/browser/register.mjs" "$BASE" "$shots" || fail "browser test failed"
[ "$(db_query "SELECT status FROM payments")" = paid ] || fail "no paid order"
[ "$(db_query "SELECT COUNT(*) FROM files WHERE purpose = 'photo'")" = 2 ] || fail "expected two stored photos (REG-4: the exam requires them)"
[ "$(db_query "SELECT COUNT(*) FROM files WHERE purpose = 'proof'")" = 1 ] || fail "expected one stored proof file"
server_stop
audit_verify 0
echo ok
