#!/usr/bin/env bash
# `kaowu import registrations` writes its rows in multi-row INSERTs of 128 (issue 6): the
# guarantees stay those of a row at a time. One registration per candidate and exam (REG-1):
# a document twice in one batch, or again in a later batch of the same file, or already
# registered by an earlier import, is refused at its own line and nothing is written; the
# problems come back in line order though a duplicate is found only when its batch is
# written; candidates already there are reused, never changed (REG-4); rows without an exam
# create candidates only; every row written is audited (`kaowu audit verify`).
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
api "$A" POST /api/v1/exams "{\"unit_id\":$G,\"code\":\"GWY28\",\"name\":\"公务员录用二\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,$window}"
expect_status 201
printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数\nGWY27,30001,300011,科员一,general,2\nGWY27,30001,300012,科员二,general,3\nGWY28,30001,300011,科员一,general,2\n' >"$WORK/pos.csv"
api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
expect_status 201
count() { db_query "SELECT COUNT(*) FROM $1"; }
"$KAOWU" generate candidates --count 1000 --seed 7 --exam GWY27 --positions 300011,300012 >"$WORK/gen.csv"
refused() { # FILE LINE-PATTERN…: the import fails, lists each pattern, writes nothing
	local f=$1
	shift
	"$KAOWU" import registrations "$f" --db "$DB_URL" >"$WORK/imp.out" 2>"$WORK/imp.err" && fail "$f was imported"
	for p in "$@"; do grep -q "$p" "$WORK/imp.err" || fail "$f: no '$p' in: $(cat "$WORK/imp.err")"; done
	[ "$(count candidates)" = 0 ] && [ "$(count registrations)" = 0 ] || fail "$f: a refused import wrote rows"
}

# REG-1: the same document twice in one batch of 128 (lines 3 and 12): line 12 refused.
{ head -n 11 "$WORK/gen.csv"; sed -n 3p "$WORK/gen.csv"; } >"$WORK/dup1.csv"
refused "$WORK/dup1.csv" "第 12 行：id_number：duplicate"
grep -q "第 3 行" "$WORK/imp.err" && fail "the first of the two was refused: $(cat "$WORK/imp.err")"
# … in a later batch of the same file (line 2, then line 302): line 302 refused.
{ head -n 301 "$WORK/gen.csv"; sed -n 2p "$WORK/gen.csv"; } >"$WORK/dup2.csv"
refused "$WORK/dup2.csv" "第 302 行：id_number：duplicate"
# Problems in line order: the duplicate (line 5, found when its batch is written) before a
# bad date checked after it (line 8), though found later.
{
	head -n 4 "$WORK/gen.csv"
	sed -n 3p "$WORK/gen.csv"
	sed -n 6,7p "$WORK/gen.csv"
	sed -n 8p "$WORK/gen.csv" | awk -F, 'BEGIN {OFS=","} {$5 = "1990-02-30"; print}'
	sed -n 9,20p "$WORK/gen.csv"
} >"$WORK/dup3.csv"
refused "$WORK/dup3.csv" "第 5 行：id_number：duplicate" "第 8 行：birth_date：date_format"
[ "$(grep -n "第 5 行" "$WORK/imp.err" | cut -d: -f1)" -lt "$(grep -n "第 8 行" "$WORK/imp.err" | cut -d: -f1)" ] ||
	fail "problems out of line order: $(cat "$WORK/imp.err")"

# 1,000 rows (seven full batches and a short one); every tenth row has no exam: a candidate only.
awk -F, 'BEGIN {OFS=","} NR > 1 && NR % 10 == 0 {$16 = ""; $17 = ""} {print}' "$WORK/gen.csv" >"$WORK/mixed.csv"
"$KAOWU" import registrations "$WORK/mixed.csv" --db "$DB_URL" >"$WORK/imp.out" 2>"$WORK/imp.err" ||
	fail "import failed: $(cat "$WORK/imp.err")"
grep -q "已导入 1000 行（报名 900 条；考生新建 1000 人、已有 0 人）" "$WORK/imp.out" || fail "import said: $(cat "$WORK/imp.out")"
[ "$(count candidates)" = 1000 ] && [ "$(count registrations)" = 900 ] || fail "$(count candidates) candidates, $(count registrations) registrations"
# the rows in file order, each with its position (looked up once per exam)
[ "$(db_query "SELECT c.id_number FROM registrations r JOIN candidates c ON c.id = r.candidate_id ORDER BY r.id LIMIT 1")" = \
	"$(sed -n 2p "$WORK/gen.csv" | cut -d, -f2)" ] || fail "the first registration is not the first row"
[ "$(db_query "SELECT COUNT(*) FROM registrations r JOIN positions p ON p.id = r.position_id WHERE p.code IN ('300011', '300012') AND p.exam_id = r.exam_id")" = 900 ] ||
	fail "registrations without their position"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action IN ('candidate.import', 'registration.import')")" = 2 ] || fail "batch records"
audit_verify 0
# PostgreSQL: the import refreshes the tables' statistics at once (issue 6: a generic plan made
# from an empty table's statistics scanned registrations whole until autovacuum came by).
if [ "$KW_TEST_DB" = pg ]; then
	[ "$(db_query "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname IN ('candidates', 'registrations') AND last_analyze IS NOT NULL")" = 2 ] ||
		fail "no ANALYZE after the import"
	[ "$(db_query "SELECT reltuples::bigint FROM pg_class WHERE relname = 'registrations'")" = 900 ] ||
		fail "registrations' statistics: $(db_query "SELECT reltuples FROM pg_class WHERE relname = 'registrations'") rows"
fi

# Again: a document registered by the earlier import is a duplicate at its line (row 301).
{ head -n 1 "$WORK/gen.csv"; sed -n 301p "$WORK/gen.csv"; } >"$WORK/again.csv"
"$KAOWU" import registrations "$WORK/again.csv" --db "$DB_URL" 2>"$WORK/imp.err" && fail "a duplicate was imported"
grep -q "第 2 行：id_number：duplicate" "$WORK/imp.err" || fail "duplicate: $(cat "$WORK/imp.err")"
# The same people for another exam: all 1,000 reused (not copied, not changed), 300 of them
# beside one new person.
name=$(db_query "SELECT name FROM candidates ORDER BY id LIMIT 1")
{
	echo "id_number,name,phone,exam_code,position_code"
	tail -n +2 "$WORK/gen.csv" | awk -F, '{print $2 ",改名," $4 ",GWY28,300011"}'
	echo "11010519491231002X,新考生,13800000000,GWY28,300011"
} >"$WORK/other.csv"
"$KAOWU" import registrations "$WORK/other.csv" --db "$DB_URL" >"$WORK/imp.out" 2>"$WORK/imp.err" ||
	fail "second exam: $(cat "$WORK/imp.err")"
grep -q "已导入 1001 行（报名 1001 条；考生新建 1 人、已有 1000 人）" "$WORK/imp.out" || fail "import said: $(cat "$WORK/imp.out")"
[ "$(db_query "SELECT name FROM candidates ORDER BY id LIMIT 1")" = "$name" ] || fail "a reused candidate was changed"
[ "$(count registrations)" = 1901 ] || fail "registrations: $(count registrations)"
audit_verify 0
echo ok
