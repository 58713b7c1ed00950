#!/usr/bin/env bash
# Answer-data backups (SPEC GRD-4, AH 58: data backed up daily and kept apart by different
# people; issue 10): after an import the answer data is backed up to a file that kaowu verifies
# against its record and the live data (HTTP and `kaowu answers backup verify`); a byte changed
# in the file fails verification and names the sheet; the keeper must be neither the maker nor
# the import's operator (refused, nothing written); a day with imports and no backup in custody
# is overdue until one is kept; a role without scoring rights is refused (403).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start

seated_exam 1 考生甲 '["01"]' 2 考生乙 '["01"]'
declare -A TNO
for n in 1 2; do TNO[$n]=$(db_query "SELECT ticket_no FROM seats WHERE run_id = $RUN AND registration_id = ${REG[$n]}"); done
staff witness agency_staff "$PTA"
staff keeper agency_staff "$PTA"
staff outsider proctor "$HF"
logins() {
	login agency agency-password-1; AG=$TOKEN
	login witness witness-password-1; WT=$TOKEN
	login keeper keeper-password-1; KP=$TOKEN
	login outsider outsider-password-1; OUT=$TOKEN
}
logins

# ---- an import (agency, witness present) on 2026-11-24 ----
api "$AG" POST "/api/v1/exams/$QE/subjects/01/keys" "$SIMPLE_KEY"
expect_status 201
api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness" -H 'Content-Type: text/csv' \
	--data-binary "$(printf 'ticket_no,subject,form,answers\n%s,01,A,BDA\n%s,01,A,BDB\n' "${TNO[1]}" "${TNO[2]}")"
expect_status 201
IMP=$(jq -r .id "$WORK/body")
BK="/api/v1/exams/$QE/answer_backups"

# the same day: due, not yet overdue
api "$AG" GET "$BK"
expect_status 200
expect_json '"\(.items | length) \(.overdue | length) \(.due_today.date) \(.due_today.sheets) \(.due_today.imports[0])"' "0 0 2026-11-24 2 $IMP"

# a role without scoring rights: 403 on every route, nothing made
api "$OUT" GET "$BK"
expect_status 403
api "$OUT" POST "$BK"
expect_status 403
api "$OUT" POST "$BK/verification" --data-binary '{}'
expect_status 403

# ---- the next day: 2026-11-24 is overdue ----
server_restart_at 2026-11-25T09:00:00+08:00
logins
api "$AG" GET "$BK"
expect_status 200
expect_json '"\(.overdue | length) \(.overdue[0].date) \(.overdue[0].imports[0]) \(.overdue[0].sheets) \(.due_today)"' "1 2026-11-24 $IMP 2 null"

# ---- the backup: a self-describing file, recorded and audited ----
api "$AG" POST "$BK"
expect_status 201
cp "$WORK/body" "$WORK/bak.json"
B1=$(jq -r .backup_id "$WORK/bak.json")
expect_json '"\(.format) \(.manifest.counts.sheets) \(.manifest.counts.imports) \(.manifest.imports[0].id) \(.manifest.made_by) \(.manifest.created_at)"' \
	"kaowu-answer-backup-v1 2 1 $IMP agency 2026-11-25T09:00:00+08:00"
[ "$(db_query "SELECT digest FROM answer_backups WHERE id = $B1")" = "$(jq -r .digest "$WORK/bak.json")" ] || fail "the recorded digest is not the file's"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.answers.backup'")" = 1 ] || fail "the backup is not audited"
# not in custody yet: still overdue
api "$AG" GET "$BK"
expect_json '"\(.items[0].status) \(.items[0].import_ids[0]) \(.overdue | length)"' "awaiting_keeper $IMP 1"

# ---- verify: clean over HTTP and on the command line ----
api "$AG" POST "$BK/verification" --data-binary @"$WORK/bak.json"
expect_status 200
expect_json '"\(.status) \(.recorded) \(.sheets_compared) \(.problem_count) \(.difference_count)"' "ok true 2 0 0"
"$KAOWU" answers backup verify "$WORK/bak.json" --db "$DB_URL" >"$WORK/v.out" 2>&1 || fail "a clean backup fails to verify: $(cat "$WORK/v.out")"

# ---- one byte changed (the first candidate's third answer): verification fails, naming it ----
sed "s/\\\\tA\\\\tBDA\\\\n/\\\\tA\\\\tBDC\\\\n/" "$WORK/bak.json" >"$WORK/bad.json"
cmp -s "$WORK/bak.json" "$WORK/bad.json" && fail "the test did not change the file"
api "$AG" POST "$BK/verification" --data-binary @"$WORK/bad.json"
expect_status 200
expect_json '"\(.status) \([.problems[].problem] | join(","))"' "problems batch_digest"
expect_json '"\(.difference_count) \(.differences[0].problem) \(.differences[0].ticket_no)"' "1 sheet_differs ${TNO[1]}"
rc=0
"$KAOWU" answers backup verify "$WORK/bad.json" --db "$DB_URL" >"$WORK/v.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "verify of a changed file exited $rc: $(cat "$WORK/v.out")"
grep -q "sheet_differs" "$WORK/v.out" || fail "the CLI does not list the difference: $(cat "$WORK/v.out")"
# the manifest changed: its digest, and the record, disagree
sed 's/"made_by": *"agency"/"made_by":"agencx"/' "$WORK/bak.json" >"$WORK/bad2.json"
cmp -s "$WORK/bak.json" "$WORK/bad2.json" && fail "the test did not change the manifest"
api "$AG" POST "$BK/verification" --data-binary @"$WORK/bad2.json"
expect_json '"\(.status) \([.problems[].problem] | join(","))"' "problems manifest_digest,record_digest"
# not a backup at all
api "$AG" POST "$BK/verification" --data-binary 'ticket_no,subject'
expect_error 422 ANSWER_BACKUP_FILE_INVALID

# ---- custody: never the maker; nothing written when refused ----
api "$AG" POST "/api/v1/answer_backups/$B1/custody" '{"location":"省考试院保密室 A 柜"}'
expect_error 422 ANSWER_BACKUP_KEEPER_IS_MAKER
expect_json .error.rule GRD-4
[ "$(db_query "SELECT COUNT(*) FROM answer_backups WHERE kept_by IS NOT NULL OR location IS NOT NULL")" = 0 ] || fail "a refused keeper was written"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'score.answers.backup.keep'")" = 0 ] || fail "a refused keeper was audited"
req POST "/api/v1/answer_backups/$B1/custody" -H "Authorization: Bearer $AG" -H 'Accept-Language: en' -H 'Content-Type: application/json' --data '{"location":"x"}'
expect_json '.error.message | test("keeper cannot be the person who made")' true
api "$KP" POST "/api/v1/answer_backups/$B1/custody" '{"location":"   "}'
expect_error 400 VALIDATION_FAILED
api "$KP" POST "/api/v1/answer_backups/$B1/custody" '{"location":"省考试院保密室 A 柜"}'
expect_status 200
expect_json '"\(.status) \(.kept_by) \(.location) \(.made_by)"' "kept keeper 省考试院保密室 A 柜 agency"
api "$WT" POST "/api/v1/answer_backups/$B1/custody" '{"location":"another place"}'
expect_error 409 ANSWER_BACKUP_ALREADY_KEPT
# the overdue day is cleared by the backup in custody
api "$AG" GET "$BK"
expect_json '"\(.overdue | length) \(.due_today) \(.items[0].kept_by)"' "0 null keeper"

# a backup made by another person: the import's operator may not keep it either
api "$KP" POST "$BK?subject=01"
expect_status 201
B2=$(jq -r .backup_id "$WORK/body")
expect_json '"\(.manifest.subject) \(.manifest.made_by)"' "01 keeper"
api "$AG" POST "/api/v1/answer_backups/$B2/custody" '{"location":"市考试中心档案室"}'
expect_error 422 ANSWER_BACKUP_KEEPER_IS_OPERATOR
api "$WT" POST "/api/v1/answer_backups/$B2/custody" '{"location":"市考试中心档案室"}'
expect_status 200

# the staff scoring page reads the list (with its zh and en text)
req GET /scoring.js
expect_status 200
grep -q "/answer_backups'" "$WORK/body" && grep -q "'bk-overdue': '逾期未备份" "$WORK/body" && grep -q "'bk-overdue': 'Overdue" "$WORK/body" ||
	fail "the scoring page does not show the answer backups"

audit_verify 0
echo "ok $TEST_NAME ($KW_TEST_DB)"
