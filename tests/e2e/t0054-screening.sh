#!/usr/bin/env bash
# Similar-answer screening (雷同答卷; SPEC GRD-6, GRD-1, VIO-5; issue 11 items 3-5): 240
# candidates (bulk import) seated in 9 rooms of up to 30; answer sheets drawn from a nominal
# response model with a fixed seed, in forms A (the master) and B (items reversed, options
# rotated), with a planted copier — form B — who copied 70 % of the answers of the neighbour
# beside them (form A, a weak candidate). The screen is refused before the subject is
# scored (GRD-6: screening follows scoring: no run yet, or answers read after the latest
# run) and for a role without screen.run; run by the marking lead it flags the planted pair
# (the sheets un-permuted to the master form: a wrong mapping would hide the copying); the
# same seed on the command line gives the same screen;
# a subject with 12 sheets is refused (too few to calibrate). The dossier PDF shows the ticket
# numbers and the exact ω p-value; the marking expert group (three members, GRD-1: a
# collective decision) confirms, which opens a violations case (source screening, stage
# marking, Order No. 31 art. 11) — never a zero (VIO-8); a second decision is refused; a
# member outside the expert group is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_authority provincial "$root")
PTA=$(unit AH-PTA provincial_agency provincial "$AH")
HF=$(unit AH-HF area_agency prefecture "$PTA")
staff agency agency_staff "$PTA"; AG=$TOKEN
api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"HF-01\",\"name\":\"合肥市第一中学\",\"address\":\"合肥市蜀山区长江西路1号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
expect_status 201
{
	echo "centre_code,code,seats,mode,floor"
	for r in 101 102 103 104 201 202 203 204 205; do echo "HF-01,$r,30,paper,${r:0:1}"; done
} >"$WORK/rooms.csv"
api "$A" POST /api/v1/rooms/import --data-binary "@$WORK/rooms.csv" -H 'Content-Type: text/csv'
expect_status 201
DAY=2026-12-10
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ27\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"$DAY\",\"ref_date\":\"$DAY\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
expect_status 201
QE=$(jq -r .id "$WORK/body")
for s in 01:09 02:14; do
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"${s%:*}\",\"name\":\"科目${s%:*}\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"${DAY}T${s#*:}:00:00+08:00\"}"
	expect_status 201
done

# ---- 240 registrations in bulk (12 also sit subject 02), paid by a bank reconciliation ----
"$KAOWU" generate candidates --count 240 --seed 54 --exam JJ27 --subjects 01 |
	awk -F, 'NR == 1 {print $0 ",area"; next} {if (NR <= 13) sub(/,01,pledge,/, ",01;02,pledge,"); print $0 ",AH-HF"}' >"$WORK/regs.csv"
"$KAOWU" import registrations "$WORK/regs.csv" --db "$DB_URL" >"$WORK/imp.out" 2>&1 || fail "import: $(cat "$WORK/imp.out")"
# The payments stand for the bank's reconciliation file, which kaowu has no import for: written
# directly (not audited — this test does not verify the audit chain).
db_query "INSERT INTO payments (registration_id, candidate_id, idempotency_key, amount_cents, items, provider, provider_ref, status, paid_at, created_at, updated_at) SELECT id, candidate_id, 'bank-' || id, 5600, '[]', 'offline', 'BANK-' || id, 'paid', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z' FROM registrations WHERE exam_id = $QE" >/dev/null
api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
expect_status 201
RUN=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/seating_runs/$RUN/seat"
expect_status 200
api "$AG" POST "/api/v1/seating_runs/$RUN/publish"
expect_status 200
[ "$(db_query "SELECT COUNT(*) FROM seats WHERE run_id = $RUN")" = 240 ] || fail "not 240 seats"

# ---- keys and sheets from the generator (fixed seed) ----
db_query "SELECT s.ticket_no, x.number, s.seat_no, CASE WHEN r.subjects LIKE '%02%' THEN 1 ELSE 0 END FROM seats s JOIN exam_rooms x ON x.id = s.exam_room_id JOIN registrations r ON r.id = s.registration_id WHERE s.run_id = $RUN ORDER BY s.ticket_no" | tr '|' ' ' >"$WORK/seats.txt"
python3 - "$WORK" <<'EOF'
import json, math, random, sys
w = sys.argv[1]
rng = random.Random(54)
N_ITEMS, OPT = 60, "ABCD"
items = []
for i in range(N_ITEMS):
    key = rng.randrange(4)
    a = [rng.gauss(-0.5, 0.3) for _ in range(4)]
    a[key] = rng.uniform(0.8, 1.6)
    c = [rng.gauss(0, 0.5) for _ in range(4)]
    c[key] += 0.5
    items.append((key, a, c))
def answer(theta, it):
    key, a, c = it
    e = [math.exp(a[k] * theta + c[k]) for k in range(4)]
    u, acc = rng.random() * sum(e), 0.0
    for k in range(4):
        acc += e[k]
        if u <= acc:
            return k
    return 3
# form B: form item i is master item N - i; form option j is master option (j + 1) % 4
perm_items = [N_ITEMS - i for i in range(N_ITEMS)]
perm_opts = ["BCDA"] * N_ITEMS
def to_b(master):  # master answers (option indexes) -> form B letters
    out = []
    for i in range(N_ITEMS):
        m = master[perm_items[i] - 1]
        out.append(OPT[(m - 1) % 4])
    return "".join(out)
def key_json(form):
    if form == "A":
        its = [{"kind": "single", "options": 4, "key": OPT[k], "points": 1} for k, _, _ in items]
        return {"form": "A", "master": True, "items": its}
    its = [{"kind": "single", "options": 4, "key": OPT[(items[perm_items[i] - 1][0] - 1) % 4], "points": 1} for i in range(N_ITEMS)]
    return {"form": "B", "items": its, "perm": {"items": perm_items, "options": perm_opts}}
for f in "AB":
    json.dump(key_json(f), open(f"{w}/key{f}.json", "w"))
seats = [l.split() for l in open(f"{w}/seats.txt")]
# the planted pair: seats 1 and 2 of exam room 3 (neighbours in a row); the source is weak
by = {(int(r), int(s)): t for t, r, s, _ in seats}
src, cop = by[(3, 1)], by[(3, 2)]
rows, rows02 = [], []
master = {}
for t, r, s, two in seats:
    theta = -1.2 if t == src else rng.gauss(0, 1)
    master[t] = [answer(theta, it) for it in items]
    if two == "1":
        rows02.append(f"{t},02,A,{''.join(rng.choice('AB') for _ in range(3))}")
for i in range(N_ITEMS):
    if rng.random() < 0.7:
        master[cop][i] = master[src][i]
for t, r, s, _ in seats:
    form = "B" if t == cop or (int(s) % 2 == 0 and t != src) else "A"
    ans = "".join(OPT[k] for k in master[t]) if form == "A" else to_b(master[t])
    rows.append(f"{t},01,{form},{ans}")
open(f"{w}/answers.csv", "w").write("ticket_no,subject,form,answers\n" + "\n".join(rows + rows02[1:]) + "\n")
open(f"{w}/late02.csv", "w").write("ticket_no,subject,form,answers\n" + rows02[0] + "\n")
open(f"{w}/planted", "w").write(f"{cop} {src}\n")
EOF
read -r COP SRC <"$WORK/planted"
for f in A B; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/01/keys" "$(cat "$WORK/key$f.json")"
	expect_status 201
done
api "$AG" POST "/api/v1/exams/$QE/subjects/02/keys" '{"form":"A","master":true,"items":[{"kind":"single","options":2,"key":"A","points":1},{"kind":"single","options":2,"key":"B","points":1},{"kind":"true_false","key":"A","points":1}]}'
expect_status 201

# ---- after the exam ----
server_restart_at ${DAY}T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
staff witness agency_staff "$PTA"
staff lead marking_lead "$PTA"; LEAD=$TOKEN
staff proc proctor "$HF"; PROC=$TOKEN
for e in 1 2 3; do staff "expert$e" expert_group_member "$PTA"; EX[$e]=$TOKEN; done
api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness" -H 'Content-Type: text/csv' --data-binary "@$WORK/answers.csv"
expect_status 201
SCR="/api/v1/exams/$QE/subjects/01/screens"

# GRD-6: screening follows scoring — refused before the score run
api "$LEAD" POST "$SCR" '{}'
expect_error 409 SCREEN_NOT_READY
expect_json .error.details.reason no_score_run
for s in 01 02; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/$s/score_runs"
	expect_status 201
done
# a role without screen.run
api "$PROC" POST "$SCR" '{}'
expect_error 403 FORBIDDEN
# bad options
api "$LEAD" POST "$SCR" '{"alpha":0.001,"fdr_q":0.05}'
expect_error 400 VALIDATION_FAILED
api "$LEAD" POST "$SCR" '{"scope":"nation"}'
expect_error 400 VALIDATION_FAILED
# a sheet read after the latest run: the answer database is not the run's — score again first
api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness" -H 'Content-Type: text/csv' --data-binary "@$WORK/late02.csv"
expect_status 201
api "$LEAD" POST "/api/v1/exams/$QE/subjects/02/screens" '{}'
expect_error 409 SCREEN_NOT_READY
expect_json .error.details.reason answers_changed
api "$AG" POST "/api/v1/exams/$QE/subjects/02/score_runs"
expect_status 201
# a subject too small to calibrate (12 sheets): a clear refusal, not a wild estimate
api "$LEAD" POST "/api/v1/exams/$QE/subjects/02/screens" '{}'
expect_error 422 SCREEN_TOO_FEW_CANDIDATES
expect_json .error.details.have 12
expect_json .error.details.need 200

# ---- the screen ----
api "$LEAD" POST "$SCR" '{"seed":"20261210"}'
expect_status 201
SID=$(jq -r .id "$WORK/body")
expect_json .sheets 240
expect_json .items 60
expect_json .mode bonferroni
expect_json .seed 20261210
PAIRS=$(db_query "SELECT SUM(n * (n - 1)) FROM (SELECT COUNT(*) AS n FROM seats WHERE run_id = $RUN GROUP BY exam_room_id) q")
expect_json .pairs "$PAIRS"
expect_json '.alpha * .pairs | . > 0.999 and . < 1.001' true
expect_json '.model.answered_n' 240
FLAGGED=$(jq -r .flagged "$WORK/body")
[ "$FLAGGED" -ge 1 ] || fail "nothing flagged"
api "${EX[1]}" GET "/api/v1/screens/$SID/flags"
expect_status 200
jq -e --arg c "$COP" --arg s "$SRC" '[.items[] | select(.kind == "pair" and .copier_ticket == $c and .source_ticket == $s)] | length == 1' "$WORK/body" >/dev/null ||
	fail "the planted pair $COP <- $SRC is not flagged: $(jq -c '[.items[] | {copier_ticket, source_ticket, p_exact}]' "$WORK/body")"
FLAG=$(jq -r --arg c "$COP" --arg s "$SRC" '.items[] | select(.copier_ticket == $c and .source_ticket == $s) | .id' "$WORK/body")
# anonymous to the expert group: no registration ids, no names
jq -e '[.items[] | has("registration_id") or has("name")] | any | not' "$WORK/body" >/dev/null || fail "the queue shows identities"
# the page's choice: the subjects the expert group may read, without the right to start one
api "${EX[1]}" GET /api/v1/screening/subjects
expect_status 200
expect_json '[.items[] | select(.exam_code == "JJ27" and .subject == "01") | .screens == 1 and .scored and (.can_run | not)] | first' true
api "$PROC" GET /api/v1/screening/subjects
expect_error 403 FORBIDDEN
api "${EX[1]}" GET "/api/v1/screen_flags/$FLAG"
expect_status 200
expect_json .evidence.adjacent true
expect_json '.evidence.ident_wrong > 0' true
expect_json '.evidence.p_exact < 1e-8' true
P=$(jq -r .evidence.p_exact "$WORK/body")
# the same seed on the server host: the same screen
"$KAOWU" screen --db "$DB_URL" --exam JJ27 --subject 01 --as lead --seed 20261210 --json >"$WORK/cli.json" 2>"$WORK/cli.err" || fail "kaowu screen: $(cat "$WORK/cli.err")"
[ "$(jq -r .flagged "$WORK/cli.json")" = "$FLAGGED" ] || fail "the CLI flagged $(jq -r .flagged "$WORK/cli.json"), the API $FLAGGED"
jq -e --argjson p "$P" --arg c "$COP" '[.flags[] | select(.copier_ticket == $c) | .p_exact == $p] | any' "$WORK/cli.json" >/dev/null || fail "the same seed gave another p-value"
"$KAOWU" screen --db "$DB_URL" --exam JJ27 --subject 01 --as proc >/dev/null 2>&1 && fail "a proctor screened from the command line"

# ---- the dossier ----
api "${EX[2]}" GET "/api/v1/screen_flags/$FLAG/dossier.pdf"
expect_status 200
expect_header Content-Type application/pdf
cp "$WORK/body" "$WORK/dossier.pdf"
pdftotext -layout "$WORK/dossier.pdf" "$WORK/dossier.txt"
for t in "$COP" "$SRC" "雷同答卷筛查证据材料" "精确"; do
	grep -qF "$t" "$WORK/dossier.txt" || fail "the dossier lacks '$t'"
done
PTXT=$(python3 -c "import sys; print('%.3e' % float(sys.argv[1]))" "$P")
grep -qF "$PTXT" "$WORK/dossier.txt" || fail "the dossier lacks the exact p-value $PTXT"
api "$PROC" GET "/api/v1/screen_flags/$FLAG/dossier.pdf"
expect_error 403 FORBIDDEN

# ---- the expert group's decision (GRD-1: collective, recorded with its members) ----
DEC="/api/v1/screen_flags/$FLAG/decision"
api "${EX[1]}" POST "$DEC" '{"decision":"confirm","members":["expert1","expert2"],"reasoning":"两人"}'
expect_error 400 VALIDATION_FAILED
api "${EX[1]}" POST "$DEC" '{"decision":"confirm","members":["expert1","expert2","witness"],"reasoning":"证人不是专家"}'
expect_error 422 SCREEN_MEMBER_NOT_EXPERT
expect_json .error.details.username witness
api "${EX[1]}" POST "$DEC" '{"decision":"confirm","members":["expert2","expert3","lead"],"reasoning":"记录人不在其中"}'
expect_error 400 VALIDATION_FAILED
api "$LEAD" POST "$DEC" '{"decision":"confirm","members":["expert1","expert2","expert3"],"reasoning":"组长不能代专家组确认"}'
expect_error 403 FORBIDDEN
# A confirmation is three steps (claim, cases, decision): the server dies between them (a
# test build's KAOWU_TEST_CRASH) and leaves the flag `deciding` with its case opened.
server_stop
KAOWU_TEST_CRASH=screen.confirm serve_bg "start (crashing)"
curl -sS -o "$WORK/crash.out" -X POST "$BASE$DEC" -H "Authorization: Bearer ${EX[1]}" -H 'Content-Type: application/json' \
	--data '{"decision":"confirm","members":["expert1","expert2","expert3"],"reasoning":"中断"}' 2>/dev/null && fail "the crashing server answered: $(cat "$WORK/crash.out")"
rc=0; wait "$SERVER_PID" || rc=$?
[ "$rc" = 70 ] || fail "the server did not die where the test asked (exit $rc)"
[ "$(db_query "SELECT status FROM screen_flags WHERE id = $FLAG")" = deciding ] || fail "the flag is not left deciding"
HALF=$(db_query "SELECT id FROM cases WHERE source = 'screening' AND source_ref LIKE '% flag $FLAG'")
[ -n "$HALF" ] || fail "the crashed confirmation opened no case"
# at once: another decision seems under way (SCREEN_FLAG_BUSY), nothing changes
serve_bg restart
api "${EX[2]}" POST "$DEC" '{"decision":"dismiss","members":["expert1","expert2","expert3"],"reasoning":"抢先"}'
expect_error 409 SCREEN_FLAG_BUSY
[ "$(db_query "SELECT status FROM screen_flags WHERE id = $FLAG")" = deciding ] || fail "a busy flag changed"
# ten minutes on, the claim is abandoned: decided again, the case opened before kept, not doubled
server_restart_at ${DAY}T18:11:00+08:00
api "${EX[1]}" POST "$DEC" '{"decision":"confirm","members":["expert1","expert2","expert3"],"reasoning":"相同错误作答集中且座位相邻，ω 精确 p 值远低于判定水平，经专家组集体审阅确认雷同。","lead_proposal":"阅卷领导小组建议按雷同答卷处理"}'
expect_status 201
expect_json '.decision.cases[0]' "$HALF"
[ "$(db_query "SELECT COUNT(*) FROM cases WHERE source = 'screening' AND source_ref LIKE '% flag $FLAG'")" = 1 ] || fail "the case was opened twice"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'screen.flag.release'")" = 1 ] || fail "the release is not in the trail"
expect_json .status confirmed
expect_json '.decision.members | join(",")' expert1,expert2,expert3
expect_json '.decision.cases | length' 1
CASE=$(jq -r '.decision.cases[0]' "$WORK/body")
# the case: about the copier's registration, from the screening, at marking, for subject 01
api "$AG" GET "/api/v1/cases/$CASE"
expect_status 200
expect_json .source screening
expect_json .stage marking
expect_json .subject 01
expect_json .entry_id ORDER31-11-1
expect_json .status open
REGC=$(db_query "SELECT registration_id FROM seats WHERE run_id = $RUN AND ticket_no = '$COP'")
expect_json .registration_id "$REGC"
# never a zero by itself (VIO-8): the scores stand until a decision
[ "$(db_query "SELECT COUNT(*) FROM case_effects WHERE case_id = $CASE")" = 0 ] || fail "the confirmation had effects"
# decided once
api "${EX[2]}" POST "$DEC" '{"decision":"dismiss","members":["expert1","expert2","expert3"],"reasoning":"再议"}'
expect_error 409 SCREEN_FLAG_DECIDED
api "${EX[3]}" GET "/api/v1/screens/$SID/flags?status=confirmed"
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].decision.decision' confirm
# a dismissal of another flag, if the screen made one
OTHER=$(db_query "SELECT id FROM screen_flags WHERE screen_id = $SID AND status = 'open' ORDER BY seq LIMIT 1")
if [ -n "$OTHER" ]; then
	api "${EX[2]}" POST "/api/v1/screen_flags/$OTHER/decision" '{"decision":"dismiss","members":["expert1","expert2","expert3"],"reasoning":"相同作答多为正确作答，无异常"}'
	expect_status 201
	expect_json .status dismissed
	expect_json '.decision.cases | length' 0
fi
echo ok
