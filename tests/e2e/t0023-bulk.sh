#!/usr/bin/env bash
# Registrations in bulk: `kaowu generate candidates` (valid identity numbers over every
# province, unique, reproducible by seed) feeds `kaowu import registrations`, which checks
# every row and writes all or nothing (REG-4 document checks, EXAM-4 position codes), reuses
# candidates already there, audits in batches that `kaowu audit verify` recomputes;
# `kaowu export registrations` writes CSV that imports again and XLSX, and is audited.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
api "$A" POST /api/v1/units "{\"code\":\"GWY\",\"name\":\"公务员局\",\"kind\":\"civil_service_authority\",\"level\":\"provincial\",\"parent\":$root}"
G=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/units "{\"code\":\"30001\",\"name\":\"招录机关\",\"kind\":\"recruiter\",\"level\":\"provincial\",\"parent\":$G}"
window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-01-10","ref_date":"2026-11-30"'
api "$A" POST /api/v1/exams "{\"unit_id\":$G,\"code\":\"GWY27\",\"name\":\"公务员录用\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,$window}"
expect_status 201
api "$A" POST /api/v1/exams "{\"unit_id\":$G,\"code\":\"ZG27\",\"name\":\"资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,$window}"
ZG=$(jq -r .id "$WORK/body")
for c in 01 02; do
	api "$A" POST /api/v1/subjects "{\"exam_id\":$ZG,\"code\":\"$c\",\"name\":\"科目$c\",\"duration_minutes\":120,\"mode\":\"cbt\"}"
done
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY27,30001,300011,科员一,general,2\nGWY27,30001,300012,科员二,general,3\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
count() { db_query "SELECT COUNT(*) FROM $1"; }

# ---- the generator: valid, unique, reproducible ----
"$KAOWU" generate candidates --count 3000 --seed 42 --exam GWY27 --positions 300011,300012 --states >"$WORK/gen.csv"
[ "$(wc -l <"$WORK/gen.csv")" = 3001 ] || fail "generated $(wc -l <"$WORK/gen.csv") lines"
[ "$(cut -d, -f2 "$WORK/gen.csv" | sort | uniq -d | wc -l)" = 0 ] || fail "duplicate identity numbers"
[ "$(cut -d, -f2 "$WORK/gen.csv" | tail -n +2 | cut -c1-2 | sort -u | wc -l)" = 31 ] || fail "not every province"
"$KAOWU" generate candidates --count 3000 --seed 42 --exam GWY27 --positions 300011,300012 --states | cmp -s - "$WORK/gen.csv" ||
	fail "the same seed gave other rows"
"$KAOWU" generate candidates --count 0 >/dev/null 2>&1 && fail "--count 0 was accepted"
"$KAOWU" generate candidates --count 5 --exam GWY27 >/dev/null 2>&1 && fail "--exam without positions or subjects was accepted"

# ---- import: every row checked, all or nothing ----
{
	head -n 3 "$WORK/gen.csv"
	echo "resident_id,110105194912310021,错校验位,13800000000,,,,,,,,,,0,0,GWY27,300011,,proof,submitted"
	echo "resident_id,11010519491231002X,无此职位,13800000000,,,,,,,,,,0,0,GWY27,399999,,proof,submitted"
	echo "resident_id,11010519491231002X,坏日期,13800000000,1949-02-30,,,,,,,,,0,0,GWY27,300011,,proof,submitted"
	# the generator writes no area column: a file with one names it in its header
} >"$WORK/bad.csv"
sed -i '1s/$/,area/; 2,6s/$/,/' "$WORK/bad.csv"
echo "resident_id,110105194912310021,非考区,13800000000,,,,,,,,,,0,0,GWY27,300011,,proof,submitted,GWY" >>"$WORK/bad.csv"
"$KAOWU" import registrations "$WORK/bad.csv" --db "$DB_URL" >"$WORK/imp.out" 2>"$WORK/imp.err" && fail "a broken file was imported"
grep -q "第 4 行：id_number：check_digit" "$WORK/imp.err" || fail "no line-4 error: $(cat "$WORK/imp.err")"
grep -q "第 5 行：position_code：orphan" "$WORK/imp.err" || fail "no line-5 error: $(cat "$WORK/imp.err")"
grep -q "第 6 行：birth_date：date_format" "$WORK/imp.err" || fail "no line-6 error: $(cat "$WORK/imp.err")"
grep -q "第 7 行：area：not_an_exam_area" "$WORK/imp.err" || fail "no line-7 error (SEAT-1): $(cat "$WORK/imp.err")"
[ "$(count candidates)" = 0 ] && [ "$(count registrations)" = 0 ] || fail "a refused import wrote rows"
"$KAOWU" import registrations "$WORK/nonexistent.csv" --db "$DB_URL" 2>/dev/null && fail "a missing file was accepted"

"$KAOWU" import registrations "$WORK/gen.csv" --db "$DB_URL" >"$WORK/imp.out" 2>"$WORK/imp.err" ||
	fail "import failed: $(cat "$WORK/imp.err")"
grep -q "已导入 3000 行（报名 3000 条；考生新建 3000 人" "$WORK/imp.out" || fail "import said: $(cat "$WORK/imp.out")"
[ "$(count registrations)" = 3000 ] || fail "registrations: $(count registrations)"
[ "$(db_query "SELECT COUNT(DISTINCT status) FROM registrations")" = 3 ] || fail "--states made no spread"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.import'")" = 1 ] || fail "batch records"
# A second file: one person already there registers for another exam (reused, not copied);
# from standard input.
id=$(sed -n 2p "$WORK/gen.csv" | cut -d, -f2)
printf 'id_number,name,phone,exam_code,subjects,route\n%s,已有考生,13900000000,ZG27,01;02,pledge\n' "$id" |
	LANG=en_US.UTF-8 "$KAOWU" import registrations - --db "$DB_URL" >"$WORK/imp.out" 2>&1 || fail "stdin import: $(cat "$WORK/imp.out")"
grep -q "candidates: 0 new, 1 already there" "$WORK/imp.out" || fail "reuse: $(cat "$WORK/imp.out")"
[ "$(db_query "SELECT pledge_version FROM registrations WHERE subjects = '01,02'")" = PQ-2026.1 ] || fail "the pledge version"
# The same registration again: a duplicate, and nothing written.
printf 'id_number,name,phone,exam_code,subjects\n%s,已有考生,13900000000,ZG27,01\n' "$id" >"$WORK/dup.csv"
"$KAOWU" import registrations "$WORK/dup.csv" --db "$DB_URL" 2>"$WORK/imp.err" && fail "a duplicate was imported"
grep -q "duplicate" "$WORK/imp.err" || fail "duplicate: $(cat "$WORK/imp.err")"
[ "$(count registrations)" = 3001 ] || fail "registrations after the duplicate: $(count registrations)"
audit_verify 0

# ---- export: CSV that imports again, XLSX; audited ----
"$KAOWU" export registrations --db "$DB_URL" --exam GWY27 --out "$WORK/out.csv" 2>"$WORK/exp.err" || fail "export: $(cat "$WORK/exp.err")"
[ "$(wc -l <"$WORK/out.csv")" = 3001 ] || fail "exported $(wc -l <"$WORK/out.csv") lines"
grep -q "$id" "$WORK/out.csv" || fail "the export lacks a registration"
"$KAOWU" export registrations --db "$DB_URL" --format xlsx --out "$WORK/out.xlsx" 2>"$WORK/exp.err" || fail "xlsx export: $(cat "$WORK/exp.err")"
[ "$(head -c 2 "$WORK/out.xlsx")" = PK ] || fail "the XLSX is no zip"
"$KAOWU" export registrations --db "$DB_URL" --format pdf >/dev/null 2>&1 && fail "--format pdf was accepted"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.export'")" = 2 ] || fail "exports not audited"
# Into a second database with the same exams, the export imports as it was.
server_stop
DB1=$DB_URL PG1=$PG_DB
PG_DB="" DB_URL=""
db_create
[ "$KW_TEST_DB" = sqlite ] && DB_URL="sqlite:$WORK/kw2.db"
"$KAOWU" init --db "$DB_URL" >/dev/null
KAOWU_TEST_NOW=$KAOWU_TEST_NOW "$KAOWU" serve --db "$DB_URL" --listen 127.0.0.1:0 --port-file "$WORK/port2" >"$WORK/server2.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port2" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$WORK/port2")"
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
api "$A" POST /api/v1/units "{\"code\":\"GWY\",\"name\":\"公务员局\",\"kind\":\"civil_service_authority\",\"level\":\"provincial\",\"parent\":$root}"
G=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/units "{\"code\":\"30001\",\"name\":\"招录机关\",\"kind\":\"recruiter\",\"level\":\"provincial\",\"parent\":$G}"
api "$A" POST /api/v1/exams "{\"unit_id\":$G,\"code\":\"GWY27\",\"name\":\"公务员录用\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,$window}"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
"$KAOWU" import registrations "$WORK/out.csv" --db "$DB_URL" >"$WORK/imp.out" 2>&1 || fail "re-import: $(cat "$WORK/imp.out")"
"$KAOWU" export registrations --db "$DB_URL" --exam GWY27 --out "$WORK/out2.csv" 2>/dev/null
cmp -s "$WORK/out.csv" "$WORK/out2.csv" || fail "export → import → export changed the data: $(diff "$WORK/out.csv" "$WORK/out2.csv" | head -5)"
audit_verify 0
if [ -n "$PG1" ]; then psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS $PG1 WITH (FORCE)" >/dev/null 2>&1 || true; fi
echo ok
