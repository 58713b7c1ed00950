#!/usr/bin/env bash
# Publication of scores and the look-up (GRD-7, GRD-8, INF-4; issue 10 items 5 and 7): a
# cross-check kept on record; publication refused without a score run, without a cross-check,
# with open differences (GRD-7) or with inputs changed since; prepared by one person, approved
# by another (INF-4); candidates look up their scores by ticket number, identity number and
# name — the same answer for an unknown ticket and a wrong name, masked name, absent marked,
# nothing visible before the approval; rate limits per ticket and per address (429 with
# Retry-After); a later publication supersedes the first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

SEATED_DAY=2026-12-10 seated_exam 1 张一 '["01","02"]' 2 欧阳娜娜 '["01","02"]' 3 李三 '["01","02"]' 4 赵四 '["01","02"]' 5 钱五 '["02"]'
staff proc proctor "$PTA"; PROC=$TOKEN
staff witness agency_staff "$PTA"; W=$TOKEN
staff auth authority_officer "$AH"; AUTH=$TOKEN
staff auth2 authority_officer "$AH"; AUTH2=$TOKEN
TK=()
for n in 1 2 3 4 5; do
	TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN")
done
KEY='{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"D","points":1.5},
 {"kind":"true_false","key":"A","points":2}]}'
for s in 01 02; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/$s/keys" "$KEY"
	expect_status 201
done

server_restart_at 2026-12-10T18:00:00+08:00
login agency agency-password-1; AG=$TOKEN
login witness witness-password-1; W=$TOKEN
login proc proc-password-1; PROC=$TOKEN
login auth auth-password-1; AUTH=$TOKEN
login auth2 auth2-password-1; AUTH2=$TOKEN
ANS="/api/v1/exams/$QE/answers?witness=witness"
api "$AG" POST "$ANS" -H 'Content-Type: text/csv' --data-binary "ticket_no,subject,form,answers
${TK[1]},01,A,BDA
${TK[2]},01,A,BD-
${TK[3]},01,A,A--
${TK[1]},02,A,BDB
${TK[5]},02,A,BDA"
expect_status 201
PUB="/api/v1/exams/$QE/publications"

# no score run yet
api "$AG" POST "$PUB"
expect_error 409 PUBLISH_NO_RUN
expect_json .error.details.subject 01
api "$AG" POST "/api/v1/exams/$QE/subjects/01/score_runs"
expect_status 201
R1=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/exams/$QE/subjects/02/score_runs"
expect_status 201
R2=$(jq -r .id "$WORK/body")
# GRD-7: no cross-check on record
api "$AG" POST "$PUB"
expect_error 409 PUBLISH_NOT_CROSSCHECKED
expect_json .error.rule GRD-7
# cross-checks kept: 01 clean; 02 altered behind the program's back → differences stay open
api "$PROC" POST "/api/v1/score_runs/$R1/crosschecks"
expect_error 403 FORBIDDEN
api "$AG" POST "/api/v1/score_runs/$R1/crosschecks"
expect_status 201
expect_json .status clean
X1=$(jq -r .id "$WORK/body")
db_query "UPDATE score_blocks SET body = replace(body, '450', '500') WHERE run_id = $R2" >/dev/null
api "$AG" POST "/api/v1/score_runs/$R2/crosschecks"
expect_status 201
expect_json .status differences
expect_json .differences 1
api "$AG" GET "/api/v1/score_runs/$R2/crosschecks"
expect_status 200
expect_json '.items[0].differences' 1
expect_json '.items[0].checked_by' agency
api "$AG" POST "$PUB"
expect_error 409 PUBLISH_DIFFERENCES
expect_json .error.details.subject 02
grep -q '差异' "$WORK/body" || fail "the refusal does not say why: $(body)"
[ "$(db_query "SELECT COUNT(*) FROM publications")" = 0 ] || fail "a refused publication was stored"
# putting the bytes back does not close the differences: a new run, cross-checked clean, does
db_query "UPDATE score_blocks SET body = replace(body, '500', '450') WHERE run_id = $R2" >/dev/null
api "$AG" POST "$PUB"
expect_error 409 PUBLISH_DIFFERENCES
api "$AG" POST "/api/v1/exams/$QE/subjects/02/score_runs"
expect_status 201
R2=$(jq -r .id "$WORK/body")
api "$AG" POST "/api/v1/score_runs/$R2/crosschecks"
expect_status 201
expect_json .status clean
# answers imported after the cross-check: the run is stale
api "$AG" POST "$ANS" -H 'Content-Type: text/csv' --data-binary "ticket_no,subject,form,answers
${TK[3]},02,A,BDA"
expect_status 201
api "$AG" POST "$PUB"
expect_error 409 PUBLISH_STALE
expect_json .error.details.subject 02
for s in 01 02; do
	api "$AG" POST "/api/v1/exams/$QE/subjects/$s/score_runs"
	expect_status 201
	api "$AG" POST "/api/v1/score_runs/$(jq -r .id "$WORK/body")/crosschecks"
	expect_status 201
	expect_json .status clean
done

# ---- prepared by the agency, approved by another person: the authority (INF-4) ----
api "$PROC" POST "$PUB"
expect_error 403 FORBIDDEN
api "$AG" POST "$PUB"
expect_status 202
expect_json .status pending
expect_json .candidates 5
expect_json '[.runs[].subject] | join(",")' 01,02
P1=$(jq -r .id "$WORK/body")
AP=$(jq -r .approval_id "$WORK/body")
api "$AG" POST "$PUB"
expect_error 409 PUBLISH_PENDING
# the frozen records hold no identity number and no whole name
! db_query "SELECT body FROM publication_blocks" | grep -q -e "${IDN[1]}" -e 张一 -e 欧阳娜娜 || fail "a record holds an identity number or a whole name"
LOOK="/api/v1/public/exams/$QE/score_lookup"
lookup() { api "" POST "$LOOK" "$(jq -nc --arg t "$1" --arg i "$2" --arg m "$3" '{ticket_no:$t,id_number:$i,name:$m}')"; }
lookup "${TK[1]}" "${IDN[1]}" 张一
expect_error 404 SCORES_NOT_PUBLISHED
api "$PROC" POST "/api/v1/approvals/$AP/approve"
expect_error 403 FORBIDDEN
api "$AUTH" GET "/api/v1/approvals?status=pending"
expect_status 200
expect_json "[.items[] | select(.id == $AP) | .kind][0]" score_publication.publish
api "$AUTH" POST "/api/v1/approvals/$AP/approve"
expect_status 200
expect_json .result.status published
api "$AG" GET "$PUB"
expect_json '.items[0].status' published
expect_json '.items[0].approved_by' auth

# ---- the look-up (GRD-8) ----
lookup "${TK[1]}" "${IDN[1]}" 张一
expect_status 200
expect_header Cache-Control no-store
expect_json .candidate.name '张*'
expect_json .exam.code JJ27
expect_json '[.candidate.subjects[] | "\(.code):\(.status):\(.score)"] | join(" ")' "01:scored:4.5 02:scored:2.5"
expect_json .publication.id "$P1"
expect_json '.subjects[0].name' 经济基础知识
lookup "${TK[2]}" "${IDN[2]}" " 欧阳娜娜 "
expect_status 200
expect_json .candidate.name '欧**娜'
# absent (缺考) is marked, not zero; a candidate of one subject sees one
lookup "${TK[4]}" "${IDN[4]}" 赵四
expect_json '[.candidate.subjects[] | "\(.code):\(.status):\(.score)"] | join(" ")' "01:absent:null 02:absent:null"
lookup "${TK[5]}" "${IDN[5]}" 钱五
expect_json '[.candidate.subjects[].code] | join(",")' 02
# an identity number's check letter in lower case is the same number
low=$(tr X x <<<"${IDN[3]}")
lookup "${TK[3]}" "$low" 李三
expect_status 200
# a wrong name, a wrong number, an unknown ticket: one answer, which tells nothing
lookup "${TK[1]}" "${IDN[1]}" 张二
expect_error 404 SCORE_LOOKUP_NO_MATCH
m1=$(jq -r .error.message "$WORK/body")
lookup "${TK[1]}" "${IDN[2]}" 张一
expect_error 404 SCORE_LOOKUP_NO_MATCH
lookup 99999999999 "${IDN[1]}" 张一
expect_error 404 SCORE_LOOKUP_NO_MATCH
[ "$(jq -r .error.message "$WORK/body")" = "$m1" ] || fail "an unknown ticket answers differently"
api "" POST "$LOOK" '{"ticket_no":"1","name":"张一"}'
expect_error 400 VALIDATION_FAILED
api "" POST "/api/v1/public/exams/999999/score_lookup" "$(jq -nc --arg t "${TK[1]}" --arg i "${IDN[1]}" '{ticket_no:$t,id_number:$i,name:"张一"}')"
expect_error 404 SCORES_NOT_PUBLISHED
# per ticket: 10 a minute, then 429 with Retry-After
for i in 1 2 3 4 5 6 7 8 9; do lookup "${TK[5]}" "${IDN[5]}" 钱五; done
expect_status 200
lookup "${TK[5]}" "${IDN[5]}" 钱五
expect_error 429 RATE_LIMITED
[ "$(header Retry-After)" -ge 1 ] || fail "no Retry-After"
lookup "${TK[1]}" "${IDN[1]}" 张一
expect_status 200

# ---- a second publication supersedes the first; the look-up serves it at once ----
# nobody approves their own (INF-4)
api "$AUTH" POST "$PUB"
expect_status 202
P2=$(jq -r .id "$WORK/body")
AP=$(jq -r .approval_id "$WORK/body")
api "$AUTH" POST "/api/v1/approvals/$AP/approve"
expect_error 403 SELF_APPROVAL
api "$AUTH2" POST "/api/v1/approvals/$AP/approve"
expect_status 200
expect_json .result.superseded "$P1"
lookup "${TK[1]}" "${IDN[1]}" 张一
expect_json .publication.id "$P2"
[ "$(db_query "SELECT status FROM publications WHERE id = $P1")" = superseded ] || fail "the first publication is not superseded"
# a rejected one changes nothing
api "$AG" POST "$PUB"
expect_status 202
api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/reject" '{"reason":"核对后再发布"}'
expect_status 200
lookup "${TK[2]}" "${IDN[2]}" 欧阳娜娜
expect_json .publication.id "$P2"

# ---- the same on the server host (kaowu score, docs/cli.md): the cross-check kept, a
# publication prepared by one and approved by another ----
n0=$(db_query "SELECT COUNT(*) FROM score_crosschecks")
"$KAOWU" score crosscheck --db "$DB_URL" --exam JJ27 --subject 01 --as agency >"$WORK/cc.out" || fail "kaowu score crosscheck: $(cat "$WORK/cc.out")"
[ "$(db_query "SELECT COUNT(*) FROM score_crosschecks")" = $((n0 + 1)) ] || fail "the CLI cross-check was not kept"
out=$("$KAOWU" score publish --db "$DB_URL" --exam JJ27 --as agency --json) || fail "kaowu score publish failed"
P3=$(jq -r .id <<<"$out")
if "$KAOWU" score approve "$(jq -r .approval_id <<<"$out")" --db "$DB_URL" --as agency 2>"$WORK/cli.err"; then fail "the maker approved their own publication"; fi
grep -q "另一人" "$WORK/cli.err" || fail "no SELF_APPROVAL: $(cat "$WORK/cli.err")"
"$KAOWU" score approve "$(jq -r .approval_id <<<"$out")" --db "$DB_URL" --as auth >/dev/null || fail "kaowu score approve failed"
[ "$(db_query "SELECT status FROM publications WHERE id = $P3")" = published ] || fail "the CLI publication is not published"
# the server learns of it by itself (another process approved it): within a few seconds it
# loads P3 on a thread of its own, the look-ups meanwhile answered from P2, never refused
# (two candidates in turn, a second apart: the per-ticket limit of 10 a minute stays clear)
for i in $(seq 12); do
	if ((i % 2)); then lookup "${TK[4]}" "${IDN[4]}" 赵四; else lookup "${TK[2]}" "${IDN[2]}" 欧阳娜娜; fi
	expect_status 200
	[ "$(jq -r .publication.id "$WORK/body")" = "$P3" ] && break
	jq -e ".publication.id == $P2" "$WORK/body" >/dev/null || fail "a look-up answered from neither P2 nor P3: $(cat "$WORK/body")"
	sleep 1
done
expect_json .publication.id "$P3"

# ---- per address: a server limited to 3 look-ups a minute from one address ----
server_stop
KAOWU_LOOKUP_ADDRESS_RATE=3 serve_bg restart
for i in 1 2 3; do lookup "${TK[3]}" "${IDN[3]}" 李三; done
expect_status 200
lookup "${TK[4]}" "${IDN[4]}" 赵四
expect_error 429 RATE_LIMITED

audit_verify 0
echo ok
