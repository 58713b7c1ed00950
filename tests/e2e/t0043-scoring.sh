#!/usr/bin/env bash
# Objective scoring (GRD-4, GRD-5, CUS-8, INF-5(6), SEC-2; issue 10): answer keys per paper
# form — the master, then form B with its permutation, refused unless it is exactly the
# permuted master (CUS-8) —, sealed until the exam ends (SEC-2) and every read audited; scanner
# output imported with a witness (GRD-4), every problem listed and nothing half-imported; a
# score run per subject: single, multiple (partial credit per option), indeterminate (fixed
# partial credit), true/false items, absent (缺考) marked and never zero, a decided case's void
# applied as cancelled (never an edited score), and restored when the decision is revoked; the
# same inputs give the same result digest.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 王二 '["01","02"]' 3 李三 '["01","02"]' 4 赵四 '["01","02"]' 5 钱五 '["02"]'
staff proc proctor "$PTA"; PROC=$TOKEN
staff witness agency_staff "$PTA"; W=$TOKEN
staff auth authority_officer "$AH"; AUTH=$TOKEN
TK=()
for n in 1 2 3 4 5; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done

# ---- keys (CUS-8): the master, then form B as its permutation ----
# master A: 1 single B (1), 2 single D (1), 3 multiple ACD (2; 0.5 a correct option),
# 4 true/false A = 对 (1), 5 indeterminate BC (2; 1 for a correct subset), 6 single of 5 E (1.5)
MASTER='{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"D","points":1},
 {"kind":"multiple","options":4,"key":"ACD","points":2,"partial":"per_option","partial_points":0.5},
 {"kind":"true_false","key":"A","points":1},
 {"kind":"indeterminate","options":4,"key":"BC","points":2,"partial":"fixed","partial_points":1},
 {"kind":"single","options":5,"key":"E","points":1.5}]}'
# form B: its items are master 3, 1, 2, 6, 4, 5, with options shuffled
FORMB='{"form":"B","perm":{"items":[3,1,2,6,4,5],"options":["BADC","ABCD","DCBA","EABCD","AB","CBAD"]},"items":[
 {"kind":"multiple","options":4,"key":"BCD","points":2,"partial":"per_option","partial_points":0.5},
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"A","points":1},
 {"kind":"single","options":5,"key":"A","points":1.5},
 {"kind":"true_false","key":"A","points":1},
 {"kind":"indeterminate","options":4,"key":"AB","points":2,"partial":"fixed","partial_points":1}]}'
KEYS="/api/v1/exams/$QE/subjects/01/keys"
api "$AG" POST "$KEYS" "$FORMB"
expect_error 409 KEY_NO_MASTER
api "$PROC" POST "$KEYS" "$MASTER"
expect_error 403 FORBIDDEN
api "$AG" POST "$KEYS" "$(jq -c '.items[0].key = "Z" | .items[2].partial_points = "x"' <<<"$MASTER")"
expect_error 400 KEY_INVALID
jq -e '[.error.details.fields[].field] == ["items[1].key", "items[3].partial_points"]' "$WORK/body" >/dev/null || fail "key problems not named: $(body)"
api "$AG" POST "$KEYS" "$(jq -c '.items[0].kind = "multiple"' <<<"$MASTER")"
expect_error 400 KEY_INCONSISTENT
api "$AG" POST "$KEYS" "$MASTER"
expect_status 201
expect_json .version 1
expect_json .items 6
[ "$(jq 'has("spec") or has("key")' "$WORK/body")" = false ] || fail "the load answered with the key"
MK=$(jq -r .id "$WORK/body")
# CUS-8: a form key that is not the permuted master is refused, naming the item
api "$AG" POST "$KEYS" "$(jq -c '.items[2].key = "B"' <<<"$FORMB")"
expect_error 422 KEY_NOT_PERMUTED_MASTER
expect_json .error.rule CUS-8
grep -q '第 3 题' "$WORK/body" || fail "the refused form item is not named: $(body)"
api "$AG" POST "$KEYS" "$(jq -c '.items[3].points = 2' <<<"$FORMB")"
expect_error 422 KEY_NOT_PERMUTED_MASTER
api "$AG" POST "$KEYS" "$(jq -c '.perm.options[0] = "ABCD"' <<<"$FORMB")"
expect_error 422 KEY_NOT_PERMUTED_MASTER
[ "$(db_query "SELECT COUNT(*) FROM answer_keys")" = 1 ] || fail "a refused key was stored"
api "$AG" POST "$KEYS" "$FORMB"
expect_status 201
BK=$(jq -r .id "$WORK/body")
api "$AG" GET "$KEYS"
expect_status 200
expect_json '[.items[].form] | join(",")' A,B
# SEC-2: sealed until the exam ends; only the roles that may read keys
api "$AG" GET "/api/v1/answer_keys/$MK"
expect_error 403 KEY_SEALED
expect_json .error.details.until 2026-12-10T08:30:00.000000Z
api "$PROC" GET "/api/v1/answer_keys/$MK"
expect_error 403 FORBIDDEN
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.key.read'")" = 0 ] || fail "a refused read was recorded as a read"

# ---- after the exam: the answer database (GRD-4, GRD-5) ----
server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login proc proc-password-1; PROC=$TOKEN
login witness witness-password-1; W=$TOKEN
api "$AG" GET "/api/v1/answer_keys/$BK"
expect_status 200
expect_json '.items[0].key' BCD
expect_json '.perm.options[3]' EABCD
expect_json '.items[3].points' 1.5
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.key.read' AND entity_id = $BK")" = 1 ] || fail "the key read was not audited"
api "$PROC" GET "/api/v1/answer_keys/$BK"
expect_error 403 FORBIDDEN

ANS="/api/v1/exams/$QE/answers"
# 1: form A all right (8.5); 2: form B — 1 BC ⊂ BCD (2 × 0.5), 2 B, 3 blank, 4 A, 5 错 (wrong),
# 6 A ⊂ AB (fixed 1) = 4.5; 3: form A all right (then voided by a decision); 4: no sheet (absent)
good="ticket_no,subject,form,answers
${TK[1]},01,A,BDdA6E
${TK[2]},01,B,6B-ABA
${TK[3]},01,A,BDdA6E
${TK[1]},02,A,BD-A6E"
# every problem listed, nothing written: an unknown ticket, a subject not registered for, two
# sheets for one candidate, a wrong length, an unknown symbol, a form without a key, a subject
# without keys
bad="ticket_no,subject,form,answers
${TK[1]},01,A,BDdA6E
99999999,01,A,BDdA6E
${TK[5]},01,A,BDdA6E
${TK[1]},01,B,6B-ABA
${TK[2]},01,B,6B-AB
${TK[3]},01,A,BD#A6E
${TK[4]},01,C,BDdA6E
${TK[4]},03,A,BDdA6E
${TK[4]},02,A,BDdA6E"
api "$AG" POST "$ANS?witness=witness" --data-binary "$bad" -H 'Content-Type: text/csv'
expect_error 422 IMPORT_INVALID
expect_json .error.rule GRD-5
jq -e '[.error.details.rows[] | "\(.line):\(.problem)"] == ["3:unknown_ticket", "4:not_registered_for_subject", "5:duplicate_in_file", "6:answers_invalid", "7:answers_invalid", "8:form_without_key", "9:unknown_subject", "10:no_key"]' "$WORK/body" >/dev/null ||
	fail "import problems: $(jq -c '.error.details.rows' "$WORK/body")"
[ "$(db_query "SELECT COUNT(*) FROM answer_blocks") $(db_query "SELECT COUNT(*) FROM answer_imports")" = "0 0" ] || fail "a refused file wrote sheets"
# GRD-4: read with a second person present
api "$AG" POST "$ANS" --data-binary "$good" -H 'Content-Type: text/csv'
expect_error 422 ANSWERS_WITNESS
api "$AG" POST "$ANS?witness=agency" --data-binary "$good" -H 'Content-Type: text/csv'
expect_error 422 ANSWERS_WITNESS
api "$PROC" POST "$ANS?witness=witness" --data-binary "$good" -H 'Content-Type: text/csv'
expect_error 403 FORBIDDEN
# subject 02 has no key yet
api "$AG" POST "$ANS?witness=witness&filename=scan-01.csv" --data-binary "$good" -H 'Content-Type: text/csv'
expect_error 422 IMPORT_INVALID
expect_json '.error.details.rows[0].problem' no_key
api "$AG" POST "/api/v1/exams/$QE/subjects/02/keys" "$MASTER"
expect_status 201
api "$AG" POST "$ANS?witness=witness&filename=scan-01.csv" --data-binary "$good" -H 'Content-Type: text/csv'
expect_status 201
expect_json .sheets 4
expect_json '.subjects["01"]' 3
# a sheet already in the database is refused the second time
api "$AG" POST "$ANS?witness=witness" --data-binary "$(printf 'ticket_no,subject,form,answers\n%s,01,A,BDdA6E\n' "${TK[1]}")" -H 'Content-Type: text/csv'
expect_error 422 IMPORT_INVALID
expect_json '.error.details.rows[0].problem' duplicate
api "$AG" GET "$ANS"
expect_status 200
expect_json '.items[0].witness' witness
expect_json '.subjects[0].sheets' 3

# ---- a score run: every item kind, the forms, absent never zero ----
RUNS="/api/v1/exams/$QE/subjects/01/score_runs"
api "$PROC" POST "$RUNS"
expect_error 403 FORBIDDEN
api "$AG" POST "$RUNS"
expect_status 201
expect_json .candidates 4
expect_json .scored 3
expect_json .absent 1
expect_json .keys.B.id "$BK"
R1=$(jq -r .id "$WORK/body")
D1=$(jq -r .result_digest "$WORK/body")
api "$AG" GET "/api/v1/score_runs/$R1/scores"
expect_status 200
score() { jq -r --argjson r "$1" '.items[] | select(.registration_id == $r) | "\(.status) \(.raw) \(.final) \(.form)"' "$WORK/body"; }
[ "$(score "${REG[1]}")" = "scored 8.5 8.5 A" ] || fail "candidate 1: $(score "${REG[1]}")"
[ "$(score "${REG[2]}")" = "scored 4.5 4.5 B" ] || fail "candidate 2 (form B, partial credit): $(score "${REG[2]}")"
[ "$(score "${REG[4]}")" = "absent null null null" ] || fail "candidate 4 is absent, not zero: $(score "${REG[4]}")"
[ -z "$(score "${REG[5]}")" ] || fail "candidate 5 did not register for 01"
# pages of a run's scores, in registration order
api "$AG" GET "/api/v1/score_runs/$R1/scores?limit=2"
expect_json '[.items[].registration_id] | map(tostring) | join(",")' "${REG[1]},${REG[2]}"
expect_json .next_cursor "${REG[2]}"
api "$AG" GET "/api/v1/score_runs/$R1/scores?limit=2&after=${REG[2]}"
expect_json '[.items[].registration_id] | map(tostring) | join(",")' "${REG[3]},${REG[4]}"
expect_json .next_cursor null
# the same inputs, the same bytes
api "$AG" POST "$RUNS"
expect_status 201
expect_json .result_digest "$D1"
# GRD-7: the run computed again with the reference scorer agrees; scores altered behind the
# program's back are found, line by line
api "$AG" GET "/api/v1/score_runs/$R1/crosscheck"
expect_status 200
expect_json .status clean
expect_json .differences 0
expect_json .result_digest.same true
api "$PROC" GET "/api/v1/score_runs/$R1/crosscheck"
expect_error 403 FORBIDDEN
db_query "UPDATE score_blocks SET body = replace(body, '850', '900') WHERE run_id = $R1" >/dev/null
api "$AG" GET "/api/v1/score_runs/$R1/crosscheck"
expect_json .status differences
expect_json .differences 2
expect_json '.items[0].recomputed | split("\t")[4]' 850
expect_json '.items[0].stored | split("\t")[4]' 900
db_query "UPDATE score_blocks SET body = replace(body, '900', '850') WHERE run_id = $R1" >/dev/null
api "$AG" GET "/api/v1/score_runs/$R1/crosscheck"
expect_json .status clean
# INF-5(6): there is no way to edit a score
api "$AG" PATCH "/api/v1/score_runs/$R1/scores" '{"registration_id":1,"final":"100"}'
expect_error 405 METHOD_NOT_ALLOWED

# ---- a decision voids candidate 3's subject 01 (Order No. 31 art. 11): cancelled, restored on revocation ----
api "$AG" POST /api/v1/cases "{\"registration_id\":${REG[3]},\"source\":\"marking_anomaly\",\"stage\":\"marking\",\"subject\":\"高等数学\",\"entry_id\":\"ORDER31-11-1\",\"facts\":\"x\",\"occurred_at\":\"2026-12-10T16:00:00+08:00\"}"
expect_error 400 VALIDATION_FAILED
similar_answers_case 3 经济基础知识
C=$CASE
[ "$(db_query "SELECT subject FROM cases WHERE id = $C")" = 01 ] || fail "the case does not name the subject by its code"
api "$AG" POST "/api/v1/cases/$C/decision" "{\"unit_id\":$PTA}"
expect_status 200
expect_json .status decided
# a penalty on a subject is refused when the case names none (it could not be applied)
similar_answers_case 2
api "$AG" POST "/api/v1/cases/$CASE/decision" "{\"unit_id\":$PTA}"
expect_error 422 CASE_SUBJECT_REQUIRED
api "$AG" POST "$RUNS"
expect_status 201
expect_json .cancelled 1
expect_json .scored 2
[ "$(jq -r .result_digest "$WORK/body")" != "$D1" ] || fail "the decision did not change the result"
R2=$(jq -r .id "$WORK/body")
api "$AG" GET "/api/v1/score_runs/$R2/scores"
[ "$(score "${REG[3]}")" = "cancelled 8.5 null A" ] || fail "candidate 3 under the decision: $(score "${REG[3]}")"
expect_json "[.items[] | select(.registration_id == ${REG[3]}) | .case_id][0]" "$C"
# the other subject is untouched
api "$AG" POST "/api/v1/exams/$QE/subjects/02/score_runs"
expect_status 201
expect_json .scored 1
# the decision revoked with new evidence and a second person (INF-5(5)): the score comes back
api "$AG" POST "/api/v1/cases/$C/files?kind=change&label=%E5%A4%8D%E6%A0%B8%E7%BB%93%E8%AE%BA" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
expect_status 201
CF=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/cases/$C/changes" "{\"kind\":\"revoke\",\"grounds\":\"专家组复核认定不构成雷同\",\"evidence_files\":[$CF]}"
expect_status 200
CH=$(jq -r '.changes[-1].id' "$WORK/body")
api "$AUTH" POST "/api/v1/cases/$C/changes/$CH/approve" '{"reason":"复核意见已核对"}'
expect_status 200
expect_json .status revoked
api "$AG" POST "$RUNS"
expect_status 201
expect_json .result_digest "$D1"
expect_json .scored 3

# the latest run cross-checks clean from the server host too (exit 0); the first run, scored
# before the decision, no longer matches the decisions in force
"$KAOWU" score crosscheck --db "$DB_URL" --exam JJ27 --subject 01 --as agency >"$WORK/cc.out" || fail "crosscheck of the latest run: $(cat "$WORK/cc.out")"
api "$AG" GET "/api/v1/score_runs/$R2/crosscheck"
expect_json .outcomes_digest.same false
# the same on the server host (kaowu score, docs/cli.md): the same digest; a bad file exits 1
# listing its problems; a proctor's account may not run it
out=$("$KAOWU" score run --db "$DB_URL" --exam JJ27 --subject 01 --as agency --json) || fail "kaowu score run failed"
[ "$(jq -r .result_digest <<<"$out")" = "$D1" ] || fail "kaowu score run gave another digest: $out"
printf 'ticket_no,subject,form,answers\n99999999,01,A,BDdA6E\n' >"$WORK/bad.csv"
if "$KAOWU" score import --db "$DB_URL" --exam JJ27 --as agency --witness witness "$WORK/bad.csv" 2>"$WORK/cli.err"; then fail "the CLI imported a bad file"; fi
grep -q unknown_ticket "$WORK/cli.err" || fail "the CLI did not list the problem: $(cat "$WORK/cli.err")"
if "$KAOWU" score run --db "$DB_URL" --exam JJ27 --subject 01 --as proc 2>"$WORK/cli.err"; then fail "a proctor ran scoring from the CLI"; fi

audit_verify 0
echo ok
