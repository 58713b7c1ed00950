#!/usr/bin/env bash
# kw-e2e: cost 50
# Item analysis and score pictures (issue 10 item 6): a seated exam (tests/e2e/seated.sh) with
# subject 01's keys of t0043 (master A, form B its permutation: items master 3, 1, 2, 6, 4, 5,
# options shuffled), 7 candidates (seated.sh registers up to 9), sheets on both forms made
# here (one candidate absent), scored; then GET /api/v1/score_runs/{id}/analysis — six master items, every value in its
# range, master item 1's difficulty and item 4's as this script counts them from the CSV
# (form B's sheets read at their permuted positions), the totals as the run's, the
# distribution's counts; the key only with key=1, for score.key.read after the exam (SEC-2),
# and that read audited; the histogram as SVG (it parses) and PNG (its signature and size),
# per centre and area, a centre the run has no candidate at (404), a bad `by` (400); the XLSX
# report (a workbook with its five sheets; English headers with Accept-Language: en); who
# may not read scores (a proctor: 403) and a run out of reach (404); and a short look at the
# expert page web/analysis.html in Chromium.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

NC=7
args=()
names=(张一 王二 李三 赵四 钱五 孙六 周七 吴八 郑九 冯十 陈一 褚二 卫三 蒋四 沈五 韩六 杨七 朱八 秦九 尤十 许一 何二 吕三 施四)
for n in $(seq 1 $NC); do args+=("$n" "${names[$((n - 1))]}" '["01"]'); done
SEATED_DAY=2026-12-10 seated_exam "${args[@]}"
staff witness agency_staff "$PTA"; W=$TOKEN
staff proc proctor "$PTA"; PROC=$TOKEN
staff auth authority_officer "$AH"; AUTH=$TOKEN

MASTER='{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"D","points":1},
 {"kind":"multiple","options":4,"key":"ACD","points":2,"partial":"per_option","partial_points":0.5},
 {"kind":"true_false","key":"A","points":1},
 {"kind":"indeterminate","options":4,"key":"BC","points":2,"partial":"fixed","partial_points":1},
 {"kind":"single","options":5,"key":"E","points":1.5}]}'
FORMB='{"form":"B","perm":{"items":[3,1,2,6,4,5],"options":["BADC","ABCD","DCBA","EABCD","AB","CBAD"]},"items":[
 {"kind":"multiple","options":4,"key":"BCD","points":2,"partial":"per_option","partial_points":0.5},
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"A","points":1},
 {"kind":"single","options":5,"key":"A","points":1.5},
 {"kind":"true_false","key":"A","points":1},
 {"kind":"indeterminate","options":4,"key":"AB","points":2,"partial":"fixed","partial_points":1}]}'
api "$AG" POST "/api/v1/exams/$QE/subjects/01/keys" "$MASTER"
expect_status 201
api "$AG" POST "/api/v1/exams/$QE/subjects/01/keys" "$FORMB"
expect_status 201

# ---- after the exam: sheets on both forms, candidate 24 absent ----
server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login proc proc-password-1; PROC=$TOKEN
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
# candidate n answers from a fixed pattern: odd n form A, even n form B; symbols A–E, sets as
# base-36 digits ('d' = ACD, '6' = BC), '-' blank, '3' a double mark (AB), '*' unreadable
pa=(BDdA6E BDdB6E ADdA6A BC5A2E CDdA6D BD-A6E 3DdB4E BD1A6B ADdA-E BDdA6E BAdB6C DDcA6E)
pb=(6B-ABA 6BAAB6 dDBABA 6BAAA3 -BAAB3 6*CABA 6BABB3 4BAABA 6CAAB3 6BDAB- 6BAEB3 2BAABA)
csv="ticket_no,subject,form,answers"
for n in $(seq 1 $((NC - 1))); do
	t=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
	i=$(((n - 1) / 2 % 12))
	if [ $((n % 2)) = 1 ]; then csv+=$'\n'"$t,01,A,${pa[$i]}"; else csv+=$'\n'"$t,01,B,${pb[$i]}"; fi
done
printf '%s\n' "$csv" >"$WORK/answers.csv"
api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness&filename=scan.csv" --data-binary "@$WORK/answers.csv" -H 'Content-Type: text/csv'
expect_status 201
api "$AG" POST "/api/v1/exams/$QE/subjects/01/score_runs"
expect_status 201
R=$(jq -r .id "$WORK/body")
expect_json .scored $((NC - 1))
expect_json .absent 1
C1=$(db_query "SELECT id FROM centres WHERE code = 'HF-01'")

# ---- the analysis ----
api "$AG" GET "/api/v1/score_runs/$R/analysis"
expect_status 200
cp "$WORK/body" "$WORK/analysis.json"
expect_json '.items | length' 6
expect_json .sheets $((NC - 1))
expect_json .totals_differ 0
expect_json .sheets_missing 0
expect_json .answers_current true
expect_json .max_points 8.5
expect_json .key_included false
expect_json '.subject.code' 01
expect_json '[.items[].item] | map(tostring) | join(",")' 1,2,3,4,5,6
expect_json '[.items[] | .p >= 0 and .p <= 1] | all' true
expect_json '[.items[] | .discrimination == null or (.discrimination >= -1 and .discrimination <= 1)] | all' true
expect_json '[.items[].choices[] | .rate >= 0 and .rate <= 1 and (.pb == null or (.pb >= -1 and .pb <= 1))] | all' true
expect_json '[.items[] | .n] | unique | map(tostring) | join(",")' $((NC - 1))
# single-choice items: every sheet in exactly one class
expect_json '[.items[] | select(.kind == "single") | ([.choices[].count] | add)] | unique | map(tostring) | join(",")' $((NC - 1))
# no key without key=1: options by letter only
expect_json '[.items[] | has("key")] | any' false
expect_json '[.items[].choices[] | has("correct")] | any' false
expect_json '.reliability.items' 6
expect_json '.reliability.dichotomous' false
expect_json '.reliability.kr20' null
expect_json '.reliability.alpha | type == "number" and . <= 1' true
expect_json '.distribution.n' $((NC - 1))
expect_json '[.distribution.bins[].count] | add' $((NC - 1))
expect_json '.distribution.max <= 8.5 and .distribution.min >= 0' true
expect_json '.distribution.quantiles.p25 <= .distribution.quantiles.p50 and .distribution.quantiles.p50 <= .distribution.quantiles.p75' true
expect_json '.thresholds.hard' 0.2
expect_json '[.areas[].code] | join(",")' AH-HF
expect_json '[.centres[].code] | join(",")' HF-01
expect_json '.centres[0].distribution.n' $((NC - 1))
expect_json '.centres[0].area_id' "$HF"
# master item 1 (single, key B): form A's 1st symbol, form B's 2nd (options not shuffled);
# master item 4 (true/false, key A): form A's 4th, form B's 5th
p1=$(awk -F, 'NR > 1 { s = ($3 == "A") ? substr($4, 1, 1) : substr($4, 2, 1); n++; if (s == "B") k++ } END { printf "%.4f", k / n }' "$WORK/answers.csv")
p4=$(awk -F, 'NR > 1 { s = ($3 == "A") ? substr($4, 4, 1) : substr($4, 5, 1); n++; if (s == "A") k++ } END { printf "%.4f", k / n }' "$WORK/answers.csv")
blank1=$(awk -F, 'NR > 1 { s = ($3 == "A") ? substr($4, 1, 1) : substr($4, 2, 1); if (s == "-") k++ } END { print k + 0 }' "$WORK/answers.csv")
multi1=$(awk -F, 'NR > 1 { s = ($3 == "A") ? substr($4, 1, 1) : substr($4, 2, 1); if (s == "3") k++ } END { print k + 0 }' "$WORK/answers.csv")
[ "$(jq -r '.items[0].p | . * 10000 | round / 10000 | tostring' "$WORK/body")" = "$(awk -v p="$p1" 'BEGIN { print p + 0 }')" ] || fail "item 1 difficulty $(jq .items[0].p "$WORK/body"), counted $p1"
[ "$(jq -r '.items[3].p | tostring' "$WORK/body")" = "$(awk -v p="$p4" 'BEGIN { print p + 0 }')" ] || fail "item 4 difficulty $(jq .items[3].p "$WORK/body"), counted $p4"
expect_json '.items[0].choices[] | select(.option == "blank") | .count' "$blank1"
expect_json '.items[0].choices[] | select(.option == "multiple") | .count' "$multi1"
expect_json '.items[0].choices[] | select(.option == "B") | .count' "$(jq -r '.items[0].full' "$WORK/body")"
# the totals are the run's: the distribution's mean is the mean of the run's scored raw scores
api "$AG" GET "/api/v1/score_runs/$R/scores?limit=1000"
mean=$(jq -r '[.items[] | select(.status == "scored") | .raw | tonumber] | add / length * 10000 | round / 10000' "$WORK/body")
[ "$(jq -r '.distribution.mean' "$WORK/analysis.json")" = "$mean" ] || fail "distribution mean $(jq .distribution.mean "$WORK/analysis.json"), the run's $mean"

# ---- the key: score.key.read after the exam (SEC-2), audited ----
api "$AUTH" GET "/api/v1/score_runs/$R/analysis"
expect_status 200
api "$AUTH" GET "/api/v1/score_runs/$R/analysis?key=1"
expect_error 403 FORBIDDEN
api "$AG" GET "/api/v1/score_runs/$R/analysis?key=2"
expect_error 400 QUERY_INVALID
before=$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.key.read' AND entity = 'score_runs'")
api "$AG" GET "/api/v1/score_runs/$R/analysis?key=1"
expect_status 200
expect_json .key_included true
expect_json '[.items[].key] | join(",")' B,D,ACD,A,BC,E
expect_json '[.items[0].choices[] | select(.correct) | .option] | join(",")' B
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.key.read' AND entity = 'score_runs' AND entity_id = $R")" = $((before + 1)) ] || fail "the key read through the analysis was not audited"

# ---- who may read: score.read at the exam's unit ----
api "$PROC" GET "/api/v1/score_runs/$R/analysis"
expect_error 403 FORBIDDEN
api "$PROC" GET "/api/v1/score_runs/$R/histogram.svg"
expect_error 403 FORBIDDEN
api "$PROC" GET "/api/v1/score_runs/$R/report.xlsx"
expect_error 403 FORBIDDEN
api "" GET "/api/v1/score_runs/$R/analysis"
expect_error 401 AUTH_REQUIRED
api "$AG" GET "/api/v1/score_runs/999999/analysis"
expect_error 404 NOT_FOUND
# agency staff of another province reach nothing of Anhui's (out of reach reads as absent)
JS=$(unit JS provincial_authority provincial "$root")
JSA=$(unit JS-PTA provincial_agency provincial "$JS")
staff js_agency agency_staff "$JSA"; JSAG=$TOKEN
api "$JSAG" GET "/api/v1/score_runs/$R/analysis"
expect_error 404 NOT_FOUND
api "$JSAG" GET "/api/v1/score_runs/$R/histogram.png"
expect_error 404 NOT_FOUND

# ---- pictures ----
png_size() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); assert d[:8]==b"\x89PNG\r\n\x1a\n", "not a PNG"; print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }
api "$AG" GET "/api/v1/score_runs/$R/histogram.svg"
expect_status 200
expect_header Content-Type image/svg+xml
cp "$WORK/body" "$WORK/h.svg"
xmllint --noout "$WORK/h.svg" || fail "the SVG does not parse"
[ "$(xmllint --xpath 'string(/*[local-name()="svg"]/@width)' "$WORK/h.svg")" = 800px ] || fail "SVG width: $(xmllint --xpath 'string(/*[local-name()="svg"]/@width)' "$WORK/h.svg")"
[ "$(xmllint --xpath 'string(/*[local-name()="svg"]/@height)' "$WORK/h.svg")" = 460px ] || fail "SVG height"
# one bar per non-empty bin, drawn as filled paths: at least one
grep -q '<path' "$WORK/h.svg" || fail "the SVG draws nothing"
api "$AG" GET "/api/v1/score_runs/$R/histogram.png"
expect_status 200
expect_header Content-Type image/png
cp "$WORK/body" "$WORK/h.png"
[ "$(png_size "$WORK/h.png")" = 800x460 ] || fail "PNG size $(png_size "$WORK/h.png")"
api "$AG" GET "/api/v1/score_runs/$R/histogram.png?by=centre"
expect_status 200
[ "$(png_size "$WORK/body")" = 800x460 ] || fail "one centre: one panel"
api "$AG" GET "/api/v1/score_runs/$R/histogram.svg?centre=$C1" -H 'Accept-Language: en'
expect_status 200
xmllint --noout "$WORK/body" || fail "the centre's SVG does not parse"
api "$AG" GET "/api/v1/score_runs/$R/histogram.png?area=$HF"
expect_status 200
api "$AG" GET "/api/v1/score_runs/$R/histogram.png?centre=999999"
expect_error 404 NOT_FOUND
api "$AG" GET "/api/v1/score_runs/$R/histogram.svg?by=room"
expect_error 400 QUERY_INVALID
api "$AG" GET "/api/v1/score_runs/$R/histogram.svg?centre=x"
expect_error 400 QUERY_INVALID

# ---- the XLSX report ----
api "$AG" GET "/api/v1/score_runs/$R/report.xlsx"
expect_status 200
expect_header Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
cp "$WORK/body" "$WORK/r.xlsx"
python3 - "$WORK/r.xlsx" 6 0 <<'EOF' || fail "the workbook is not what it should be"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet name="([^"]+)"', wb)
assert names == ["概要", "题目分析", "选项分析", "分数分布", "分数段"], names
strings = z.read("xl/sharedStrings.xml").decode()
items = z.read("xl/worksheets/sheet2.xml").decode()
rows = re.findall(r'<row r="(\d+)"', items)
assert len(rows) == 1 + int(sys.argv[2]), rows  # the header and one row an item
assert ("<t>答案</t>" in strings) == (sys.argv[3] == "1"), "the key column"
EOF
api "$AG" GET "/api/v1/score_runs/$R/report.xlsx?key=1" -H 'Accept-Language: en'
expect_status 200
cp "$WORK/body" "$WORK/r-en.xlsx"
python3 - "$WORK/r-en.xlsx" <<'EOF' || fail "the English workbook with the key is not what it should be"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
assert names == ["Summary", "Items", "Options", "Distributions", "Histogram bins"], names
assert ">Key<" in z.read("xl/sharedStrings.xml").decode()
EOF
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.key.read' AND entity = 'score_runs' AND entity_id = $R")" = $((before + 2)) ] || fail "the report's key was not audited"

# ---- the expert page in Chromium ----
if [ -z "${KW_NO_BROWSER:-}" ]; then
	[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
	[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
	export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
	shots=${KW_SHOTS:-$WORK/shots}
	mkdir -p "$shots"
	KW_RUN=$R KW_EXAM=JJ27 node "$KW_SRC/tests/browser/analysis.mjs" "$BASE" "$shots" || fail "browser walk failed"
fi

audit_verify 0
echo ok
