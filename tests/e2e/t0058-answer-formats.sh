#!/usr/bin/env bash
# Answer data as scanners and CBT systems hand it over (GRD-4, GRD-5; issue 10 item 1): a
# scanner layout kept per exam (positions, the scanner's symbols; versions, never edits), a
# fixed-width scanner file read under it and CBT responses (JSON Lines) — every problem listed
# with the line of the file as sent, nothing half-read —, and the sheets they give score the
# same as the same answers sent as CSV.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 王二 '["01","02"]' 3 李三 '["01","02"]'
staff witness agency_staff "$PTA"; W=$TOKEN
staff proc proctor "$PTA"; PROC=$TOKEN
TK=()
for n in 1 2 3; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done
# 4 items: single B, single D, multiple AC (2 points, 0.5 a correct option), single A
MASTER='{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"D","points":1},
 {"kind":"multiple","options":4,"key":"AC","points":2,"partial":"per_option","partial_points":0.5},
 {"kind":"single","options":4,"key":"A","points":1}]}'
for s in 01 02; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/$s/keys" "$MASTER"
	expect_status 201
done

# ---- the scanner's layout: columns 1-12 ticket, 13-14 subject, 15 form, 16-19 answers; the
# scanner writes 1-4 for A-D, 5 for A+C, a space for a blank, X for a mark it cannot read ----
LAY="/api/v1/exams/$QE/answer_layouts"
LAYOUT='{"fields":{"ticket_no":{"start":1,"length":12},"subject":{"start":13,"length":2},"form":{"start":15,"length":1},"answers":{"start":16,"length":4}},"symbols":{"1":"A","2":"B","3":"C","4":"D","5":"AC"," ":"","X":"?"}}'
api "$AG" POST "$LAY" "{\"name\":\"OMR-2026\",\"layout\":$(jq -c '.fields.form.start = 14' <<<"$LAYOUT")}"
expect_error 400 LAYOUT_INVALID
expect_json '.error.details.fields[0].problem' overlaps
api "$AG" POST "$LAY" "{\"name\":\"OMR-2026\",\"layout\":$(jq -c '.symbols["9"] = "CF"' <<<"$LAYOUT")}"
expect_error 400 LAYOUT_INVALID
expect_json '.error.details.fields[0].problem' set_without_symbol
api "$PROC" POST "$LAY" "{\"name\":\"OMR-2026\",\"layout\":$LAYOUT}"
expect_error 403 FORBIDDEN
api "$AG" POST "$LAY" "{\"name\":\"OMR-2026\",\"layout\":$LAYOUT}"
expect_status 201
expect_json .version 1
L1=$(jq -r .id "$WORK/body")
api "$AG" POST "$LAY" "{\"name\":\"OMR-2026\",\"layout\":$LAYOUT}"
expect_status 201
expect_json .version 2
api "$AG" GET "$LAY"
expect_status 200
expect_json '[.items[].version] | map(tostring) | join(",")' 2,1
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.answers.layout'")" = 2 ] || fail "the layouts were not audited"

server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
ANS="/api/v1/exams/$QE/answers"
pad() { printf '%-12s' "$1"; }
# 1: B D AC A = 5; 2: B blank A(⊂AC: 0.5) unreadable = 1.5; 3 (subject 02 only, below)
FIXED="$(pad "${TK[1]}")01A2451
$(pad "${TK[2]}")01A2 1X"
# every problem with the line of the file as sent: a short line (2), an unknown symbol (3)
BADFIXED="$(pad "${TK[1]}")01A2451
$(pad "${TK[2]}")01A2
$(pad "${TK[3]}")01A2#11"
api "$AG" POST "$ANS?witness=witness&format=fixed&layout=$L1" --data-binary "$BADFIXED" -H 'Content-Type: text/plain'
expect_error 422 ANSWERS_INVALID
jq -e '[.error.details.rows[] | "\(.line):\(.problem)"] == ["2:short_line", "3:unknown_symbol"]' "$WORK/body" >/dev/null || fail "fixed-width problems: $(jq -c .error.details.rows "$WORK/body")"
# what the import finds (a ticket not seated) is named by the file's line too
api "$AG" POST "$ANS?witness=witness&format=fixed&layout=$L1" --data-binary "$FIXED
$(pad 999999999999)01A2451" -H 'Content-Type: text/plain'
expect_error 422 IMPORT_INVALID
jq -e '[.error.details.rows[] | "\(.line):\(.problem)"] == ["3:unknown_ticket"]' "$WORK/body" >/dev/null || fail "import problems by the file's lines: $(jq -c .error.details.rows "$WORK/body")"
api "$AG" POST "$ANS?witness=witness&format=fixed" --data-binary "$FIXED" -H 'Content-Type: text/plain'
expect_error 400 LAYOUT_REQUIRED
api "$AG" POST "$ANS?witness=witness&format=fixed&layout=999999" --data-binary "$FIXED" -H 'Content-Type: text/plain'
expect_error 404 NOT_FOUND
api "$AG" POST "$ANS?witness=witness&format=xml" --data-binary "$FIXED" -H 'Content-Type: text/plain'
expect_error 400 IMPORT_FORMAT
[ "$(db_query "SELECT COUNT(*) FROM answer_imports")" = 0 ] || fail "a refused file was imported"
api "$AG" POST "$ANS?witness=witness&format=fixed&layout=$L1&filename=omr.dat" --data-binary "$FIXED" -H 'Content-Type: text/plain'
expect_status 201
expect_json .sheets 2
expect_json .format fixed
expect_json .layout.id "$L1"
expect_json .source_sha256 "$(printf '%s' "$FIXED" | sha256sum | cut -d' ' -f1)"

# ---- CBT responses, JSON Lines ----
cbt() { jq -nc --arg t "$1" --arg s "$2" --argjson r "$3" '{ticket_no:$t,subject:$s,form:"A",responses:$r}'; }
api "$AG" POST "$ANS?witness=witness&format=cbt" --data-binary "$(cbt "${TK[3]}" 02 '["B","D","AC","A"]')
not json
$(cbt "${TK[1]}" 02 '["B","D","CF","A"]')" -H 'Content-Type: application/x-ndjson'
expect_error 422 ANSWERS_INVALID
jq -e '[.error.details.rows[] | "\(.line):\(.problem)"] == ["2:bad_json", "3:bad_set"]' "$WORK/body" >/dev/null || fail "CBT problems: $(jq -c .error.details.rows "$WORK/body")"
api "$AG" POST "$ANS?witness=witness&format=cbt" --data-binary "$(cbt "${TK[3]}" 02 '["B","D","AC","A"]')
$(cbt "${TK[1]}" 02 '["B",null,"C","?"]')" -H 'Content-Type: application/x-ndjson'
expect_status 201
expect_json .sheets 2
expect_json .format cbt

# ---- the scores: what the scanner and the CBT system said ----
score_of() { jq -r --argjson r "$1" '.items[] | select(.registration_id == $r) | "\(.status) \(.final)"' "$WORK/body"; }
for s in 01 02; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/$s/score_runs"
	expect_status 201
	api "$AG" GET "/api/v1/score_runs/$(jq -r .id "$WORK/body")/scores"
	expect_status 200
	cp "$WORK/body" "$WORK/scores-$s"
done
cp "$WORK/scores-01" "$WORK/body"
[ "$(score_of "${REG[1]}")" = "scored 5" ] || fail "01, candidate 1 (fixed width): $(score_of "${REG[1]}")"
[ "$(score_of "${REG[2]}")" = "scored 1.5" ] || fail "01, candidate 2 (a blank, a partial set, an unreadable mark): $(score_of "${REG[2]}")"
[ "$(score_of "${REG[3]}")" = "absent null" ] || fail "01, candidate 3 had no sheet: $(score_of "${REG[3]}")"
cp "$WORK/scores-02" "$WORK/body"
[ "$(score_of "${REG[3]}")" = "scored 5" ] || fail "02, candidate 3 (CBT): $(score_of "${REG[3]}")"
[ "$(score_of "${REG[1]}")" = "scored 1.5" ] || fail "02, candidate 1 (CBT: none, a partial set, unreadable): $(score_of "${REG[1]}")"
# ---- the same from the server host: kaowu score import --format fixed --layout NAME ----
printf '%s\n' "$(pad "${TK[3]}")01A2451" >"$WORK/omr-3.dat"
if "$KAOWU" score import --db "$DB_URL" --exam JJ27 --as agency --witness witness --format fixed --layout NOPE "$WORK/omr-3.dat" 2>"$WORK/cli.err"; then fail "an unknown layout was taken"; fi
grep -q NOPE "$WORK/cli.err" || fail "the unknown layout is not named: $(cat "$WORK/cli.err")"
printf '%s\n' "$(pad "${TK[3]}")01A2#51" >"$WORK/omr-bad.dat"
if "$KAOWU" score import --db "$DB_URL" --exam JJ27 --as agency --witness witness --format fixed --layout OMR-2026 "$WORK/omr-bad.dat" >"$WORK/cli.out" 2>&1; then fail "a bad scanner file was taken"; fi
"$KAOWU" score import --db "$DB_URL" --exam JJ27 --as agency --witness witness --format fixed --layout OMR-2026 --json "$WORK/omr-3.dat" >"$WORK/cli.out" || fail "kaowu score import --format fixed: $(cat "$WORK/cli.out")"
jq -e '.sheets == 1 and .format == "fixed" and .layout.version == 2' "$WORK/cli.out" >/dev/null || fail "CLI import: $(cat "$WORK/cli.out")"
api "$AG" POST "/api/v1/exams/$QE/subjects/01/score_runs"
expect_status 201
api "$AG" GET "/api/v1/score_runs/$(jq -r .id "$WORK/body")/scores"
[ "$(score_of "${REG[3]}")" = "scored 5" ] || fail "01, candidate 3 (read on the server host): $(score_of "${REG[3]}")"
echo ok
