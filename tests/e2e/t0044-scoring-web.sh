#!/usr/bin/env bash
# The staff scoring page (issue 10, item 10; GRD-4, GRD-5, CUS-8, INF-5(6), SEC-2) in Debian's
# Chromium, driven by playwright-core (tests/browser/scoring.mjs), on web/scoring.html?exam=JJ27.
# A seated exam (tests/e2e/seated.sh, on 2026-12-10) whose keys are loaded before it:
#   keys   — agency staff load subject 01's master key from a .json file; a key with field
#            problems is refused with each problem next to the JSON box; form B, one answer
#            changed, is refused in the server's words (CUS-8: KEY_NOT_PERMUTED_MASTER and the
#            item it names); the true form B is taken; the keys are listed (母卷, the permuted
#            form, items, the digest shortened) and never their content.
# The server restarted after the exam (18:00); candidate 3's subject 01 voided by a decided
# case (Order No. 31 art. 11) over the API, as t0043 does; then:
#   score  — a scanner CSV with problems refused with its rows in a table (行号, 栏目, 问题 in
#            words, the note) and nothing imported; the good file imported with a witness
#            (the count per subject shown); subject 01 scored: 1 and 2 scored (8.5, 4.5; form B
#            with partial credit), 3 成绩无效（处理决定） linked to its case, 4 缺考 (never zero);
#            the scores paged; scored again: "与第 1 次评分结果一致"; screenshots on a desktop
#            and a phone, in Chinese and English; a proctor sees the server's refusal.
# Between the walks the database is checked: refused keys and files wrote nothing, the
# import names its witness, the two runs' result digests are one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 王二 '["01","02"]' 3 李三 '["01","02"]' 4 赵四 '["01","02"]' 5 钱五 '["02"]'
staff witness agency_staff "$PTA"; W=$TOKEN
staff proc proctor "$PTA"
TK=()
for n in 1 2 3 4 5; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done

shots=${KW_SHOTS:-$WORK/shots}
mkdir -p "$shots" "$WORK/files"
# The keys of t0043: master A (6 items: single, single, multiple with per-option credit,
# true/false, indeterminate with fixed partial credit, single of 5) and form B, its items
# master 3, 1, 2, 6, 4, 5 with options shuffled.
cat >"$WORK/files/master-01.json" <<'EOF'
{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"D","points":1},
 {"kind":"multiple","options":4,"key":"ACD","points":2,"partial":"per_option","partial_points":0.5},
 {"kind":"true_false","key":"A","points":1},
 {"kind":"indeterminate","options":4,"key":"BC","points":2,"partial":"fixed","partial_points":1},
 {"kind":"single","options":5,"key":"E","points":1.5}]}
EOF
cat >"$WORK/files/form-b.json" <<'EOF'
{"form":"B","perm":{"items":[3,1,2,6,4,5],"options":["BADC","ABCD","DCBA","EABCD","AB","CBAD"]},"items":[
 {"kind":"multiple","options":4,"key":"BCD","points":2,"partial":"per_option","partial_points":0.5},
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"A","points":1},
 {"kind":"single","options":5,"key":"A","points":1.5},
 {"kind":"true_false","key":"A","points":1},
 {"kind":"indeterminate","options":4,"key":"AB","points":2,"partial":"fixed","partial_points":1}]}
EOF
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
export KW_FILES="$WORK/files" KW_EXAM=JJ27
walk() { node "$KW_SRC/tests/browser/scoring.mjs" "$1" "$BASE" "$shots" || fail "browser walk '$1' failed"; }

# ---- walk 1: the keys, before the exam (CUS-8, SEC-2) ----
walk keys
[ "$(db_query "SELECT COUNT(*) FROM answer_keys")" = 2 ] || fail "keys stored: $(db_query "SELECT form, version, master FROM answer_keys")"
[ "$(db_query "SELECT COUNT(*) FROM answer_keys WHERE form = 'A' AND master <> 0")" = 1 ] || fail "the master is not form A"
[ "$(db_query "SELECT COUNT(*) FROM answer_keys WHERE form = 'B' AND master = 0")" = 1 ] || fail "form B is not stored once, as a permuted form"
# subject 02's master over the API (the page is walked on 01)
api "$AG" POST "/api/v1/exams/$QE/subjects/02/keys" "$(cat "$WORK/files/master-01.json")"
expect_status 201

# ---- after the exam: candidate 3's subject 01 voided by a decision (Order No. 31 art. 11) ----
server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login witness witness-password-1; W=$TOKEN
similar_answers_case 3 经济基础知识
C=$CASE
api "$AG" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$PTA}"
expect_status 200
expect_json .status decided

# The scanner's files. Good: 1 form A all right (8.5), 2 form B (4.5 with partial credit),
# 3 form A all right (voided by the decision), 4 no sheet (absent); 1's subject 02.
# Bad: an unknown ticket, a subject 5 did not register for, a wrong length, a form without a key.
printf 'ticket_no,subject,form,answers\n%s,01,A,BDdA6E\n%s,01,B,6B-ABA\n%s,01,A,BDdA6E\n%s,02,A,BD-A6E\n' \
	"${TK[1]}" "${TK[2]}" "${TK[3]}" "${TK[1]}" >"$WORK/files/scan-01.csv"
printf 'ticket_no,subject,form,answers\n%s,01,A,BDdA6E\n99999999,01,A,BDdA6E\n%s,01,A,BDdA6E\n%s,01,B,6B-AB\n%s,01,C,BDdA6E\n' \
	"${TK[1]}" "${TK[5]}" "${TK[2]}" "${TK[4]}" >"$WORK/files/scan-bad.csv"
export KW_CASE="$C" KW_TK1="${TK[1]}" KW_TK2="${TK[2]}" KW_TK3="${TK[3]}" KW_TK4="${TK[4]}"

# ---- walk 2: the answer database (GRD-4, GRD-5) and the score runs (INF-5(6)) ----
walk score
[ "$(db_query "SELECT COUNT(*) FROM answer_imports")" = 1 ] || fail "imports: $(db_query "SELECT filename, sheets FROM answer_imports")"
[ "$(db_query "SELECT a.filename || '/' || a.sheets || '/' || u.username || '/' || w.username FROM answer_imports a JOIN users u ON u.id = a.imported_by JOIN users w ON w.id = a.witness_id")" = \
	"scan-01.csv/4/agency/witness" ] || fail "the import: $(db_query "SELECT filename, sheets, imported_by, witness_id FROM answer_imports")"
api "$AG" GET "/api/v1/exams/$QE/answers"
expect_status 200
expect_json '[.subjects[] | "\(.code):\(.sheets)"] | join(",")' 01:3,02:1
S01=$(db_query "SELECT id FROM subjects WHERE exam_id = $QE AND code = '01'")
[ "$(db_query "SELECT COUNT(*) FROM score_runs WHERE subject_id = $S01")" = 2 ] || fail "runs of 01: $(db_query "SELECT COUNT(*) FROM score_runs WHERE subject_id = $S01")"
[ "$(db_query "SELECT COUNT(DISTINCT result_digest) || '/' || MIN(cancelled) || '/' || MIN(absent) FROM score_runs WHERE subject_id = $S01")" = 1/1/1 ] ||
	fail "the two runs: $(db_query "SELECT result_digest, cancelled, absent FROM score_runs WHERE subject_id = $S01")"
R1=$(db_query "SELECT MIN(id) FROM score_runs WHERE subject_id = $S01")
api "$AG" GET "/api/v1/score_runs/$R1/scores"
expect_status 200
expect_json "[.items[] | select(.registration_id == ${REG[3]}) | \"\\(.status)/\\(.case_id)\"][0]" "cancelled/$C"
server_stop
audit_verify 0
for f in scoring-5-scores-desktop-zh.png scoring-8-scores-phone-en.png; do
	[ -s "$shots/$f" ] || fail "no screenshot $f"
done
echo ok
