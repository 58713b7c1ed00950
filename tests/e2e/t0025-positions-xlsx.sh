#!/usr/bin/env bash
# EXAM-4: the position table as civil-service authorities publish it — an Excel workbook with a
# caption row, Chinese headers, numbers stored as numbers and the tables' own wordings
# ("本科及以上", "学士学位", "中共党员（含预备党员）", "财政学（020202）", "3：1", "是") — imported
# into an exam named once in the query; a broken table reported row by row with its Excel
# row numbers and nothing written; the positions found by the candidates' search.
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
DATA="$KW_SRC/tests/data/positions"
XLSX=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet

login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
GWY=$(unit AH-GWY civil_service_authority provincial "$AH")
unit 20001 recruiter provincial "$GWY" >/dev/null
unit 20002 recruiter prefecture "$GWY" >/dev/null
api "$A" POST /api/v1/exams "{\"unit_id\":$GWY,\"code\":\"GWY2027\",\"name\":\"2027年度安徽省考试录用公务员\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"status\":\"published\",\"reg_opens_at\":\"2026-11-20T08:00:00+08:00\",\"reg_closes_at\":\"2026-11-30T18:00:00+08:00\",\"exam_date\":\"2027-01-10\",\"ref_date\":\"2026-11-30\",\"syllabus_published_on\":\"2026-07-01\",\"registration_places\":\"安徽人事考试网\"}"
expect_status 201
CS=$(jq -r .id "$WORK/body")
imp() { # imp FILE QUERY
	api "$A" POST "/api/v1/positions/import$2" --data-binary "@$1" -H "Content-Type: $XLSX"
}
pos() { # pos CODE FIELD → the field as the API shows it
	api "$A" GET "/api/v1/positions?code=$1"
	jq -r ".items[0].$2" "$WORK/body"
}

# ---- the exam is named once, in the query; a wrong name or a clash is refused ----
imp "$DATA/gwy-2027.xlsx" "?dry_run=1"
expect_error 400 IMPORT_COLUMNS
imp "$DATA/gwy-2027.xlsx" "?dry_run=1&no_such_field=1"
expect_error 400 IMPORT_FIXED_INVALID
expect_json .error.details.parameter no_such_field
imp "$DATA/gwy-2027.xlsx" "?dry_run=1&exam_id=GWY2027&%E8%81%8C%E4%BD%8D%E4%BB%A3%E7%A0%81=1" # 职位代码, a column the file has
expect_error 400 IMPORT_FIXED_INVALID
# The media type is checked, the content decides.
api "$A" POST "/api/v1/positions/import?exam_id=GWY2027" --data-binary "@$DATA/gwy-2027.xlsx" -H 'Content-Type: application/zip'
expect_error 415 UNSUPPORTED_MEDIA_TYPE

# ---- the broken table: every problem with its Excel row, nothing written ----
imp "$DATA/gwy-2027-broken.xlsx" "?exam_id=GWY2027"
expect_error 422 IMPORT_INVALID
expect_json .error.details.encoding xlsx
expect_json '[.error.details.rows[].line] | unique | join(",")' 5,6,7
expect_json '[.error.details.rows[] | select(.line == 6) | .field] | sort | join(",")' category,quota
expect_json '[.error.details.rows[] | select(.line == 7) | .problem] | sort | join(",")' duplicate_in_file,not_allowed,ratio_format
[ "$(db_query "SELECT COUNT(*) FROM positions")" = 0 ] || fail "a broken table wrote positions"

# ---- the good table: checked, then imported ----
imp "$DATA/gwy-2027.xlsx" "?exam_id=GWY2027&dry_run=1"
expect_status 200
expect_json .encoding xlsx
expect_json .rows 4
[ "$(db_query "SELECT COUNT(*) FROM positions")" = 0 ] || fail "a dry run wrote positions"
imp "$DATA/gwy-2027.xlsx" "?exam_id=GWY2027"
expect_status 201
expect_json .imported 4
[ "$(pos 200011 majors)" = 020202,020203 ] || fail "majors: $(pos 200011 majors)"
[ "$(pos 200011 political_status)" = cpc_member,cpc_probationary ] || fail "political status: $(pos 200011 political_status)"
[ "$(pos 200011 education_min)/$(pos 200011 degree_min)" = bachelor/bachelor ] || fail "education"
[ "$(pos 200011 interview_ratio)" = 3:1 ] || fail "ratio: $(pos 200011 interview_ratio)"
[ "$(pos 200011 quota)" = 2 ] || fail "quota: $(pos 200011 quota)"
[ "$(pos 200011 exam_id)" = "$CS" ] || fail "exam"
# A code the spreadsheet stored as a number is still "200012", not "200012.0".
[ "$(pos 200012 majors)" = 120203K,120207 ] || fail "majors with K: $(pos 200012 majors)"
[ "$(pos 200012 political_status)" = null ] || fail "不限 is no condition: $(pos 200012 political_status)"
[ "$(pos 200012 grassroots_years_min)" = 2 ] || fail "years: $(pos 200012 grassroots_years_min)"
[ "$(pos 200021 category)" = law_enforcement ] || fail "category: $(pos 200021 category)"
[ "$(pos 200021 professional_test)" = true ] || fail "professional test"
[ "$(pos 200021 political_status)" = cpc_member,cpc_probationary,cyl_member ] || fail "或: $(pos 200021 political_status)"
[ "$(pos 200022 majors)/$(pos 200022 education_min)/$(pos 200022 degree_min)" = null/junior_college/none ] || fail "不限 majors"
[ "$(pos 200022 grassroots_project)" = true ] || fail "grassroots project"
# The same table again: every row a duplicate, nothing written twice.
imp "$DATA/gwy-2027.xlsx" "?exam_id=GWY2027"
expect_error 422 IMPORT_INVALID
[ "$(db_query "SELECT COUNT(*) FROM positions")" = 4 ] || fail "a repeated import wrote rows"

# ---- the candidates' search finds them by major, education, category and place ----
api "" GET "/api/v1/public/exams/$CS/positions?major=020202"
expect_status 200
expect_json '[.items[].code] | join(",")' 200011,200022
api "" GET "/api/v1/public/exams/$CS/positions?category=law_enforcement"
expect_json '[.items[].code] | join(",")' 200021
api "" GET "/api/v1/public/exams/$CS/positions?education=junior_college"
expect_json '[.items[].code] | join(",")' 200022
audit_verify 0
server_stop
echo "ok"
