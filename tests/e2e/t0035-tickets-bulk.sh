#!/usr/bin/env bash
# kw-e2e: cost 50
# Admission tickets and door labels in bulk (issue 7; TKT-1, TKT-2, VEN-5): `kaowu tickets
# render` and `kaowu labels render` over a published seating, through recycled worker
# processes (2 workers, 2 documents each: 9 tickets need at least 5 workers, so workers are
# recycled at least 3 times). A worker killed on one ticket (a test-build hook) fails that
# ticket alone, named, exit 1; the next run issues it and writes the others as stored. Every
# ticket is then checked as a person at the door would: one page, the candidate's name
# (a rare character among them) and ticket number in its text, the photo's JPEG bytes
# embedded as they are, the QR read back from the rendered page and verified online (TKT-1),
# the file being the issued, stored version. Door labels: one page per exam room with its
# first ticket number and subject (VEN-5); desk labels. Bad input — an unknown exam, an exam
# whose seating is not published, an unknown kind — exits non-zero and writes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
# bounded: a hang fails here, named, not at the test runner's time-out
render() { timeout 120 "$KAOWU" tickets render --db "$DB_URL" "$@"; }
labels() { timeout 120 "$KAOWU" labels render --db "$DB_URL" "$@"; }

# ---- bad input: nothing written ----
rc=0; render --exam NOPE --out "$WORK/none" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || fail "an unknown exam: exit $rc"
grep -q 'no exam NOPE' "$WORK/err" || fail "an unknown exam: $(cat "$WORK/err")"
[ ! -e "$WORK/none" ] || fail "an unknown exam wrote $WORK/none"

seated_exam 1 王小明 '["01","02"]' 2 李𪚥 '["01"]' 3 赵敏 '["02"]' 4 钱多多 '["01","02"]' \
	5 孙悟空 '["01"]' 6 周芷若 '["01","02"]' 7 吴用 '["02"]' 8 郑爽 '["01"]' 9 王五 '["01","02"]'
# photos for all but candidate 9 (its ticket shows the framed 照片 box)
"$KAOWU" generate photo --pick 3 >"$WORK/photo.jpg"
for n in 1 2 3 4 5 6 7 8; do
	api "${TOKS[$n]}" PUT /api/v1/candidates/me/photo -H 'Content-Type: image/jpeg' --data-binary "@$WORK/photo.jpg"
	expect_status 200
done
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ28\",\"name\":\"2028年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2028,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"2028-06-01\",\"ref_date\":\"2028-06-01\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
expect_status 201
rc=0; render --exam JJ28 --out "$WORK/none" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || fail "an exam not seated: exit $rc"
grep -q 'JJ28 has no published seating' "$WORK/err" || fail "an exam not seated: $(cat "$WORK/err")"
rc=0; labels --exam JJ28 --out "$WORK/none" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || fail "labels of an exam not seated: exit $rc"
rc=0; labels --exam JJ27 --kind window --out "$WORK/none" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] || fail "an unknown kind of label: exit $rc"
rc=0; render --exam JJ27 --out "$WORK/none" --workers 0 >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] || fail "--workers 0: exit $rc"
[ ! -e "$WORK/none" ] || fail "bad input wrote $WORK/none"
[ "$(db_query "SELECT COUNT(*) FROM tickets")" = 0 ] || fail "bad input issued tickets"

ticket() { db_query "SELECT ticket_no FROM seats WHERE run_id = $RUN AND registration_id = ${REG[$1]}"; }
for n in $(seq 1 9); do T[$n]=$(ticket "$n"); done
[ "$(db_query "SELECT COUNT(DISTINCT ticket_no) FROM seats WHERE run_id = $RUN")" = 9 ] || fail "9 seated"

# ---- a worker dies on candidate 5's ticket: that ticket alone fails ----
rc=0
KW_TEST_TICKET_CRASH=${T[5]} render --exam JJ27 --out "$WORK/t1" --workers 2 --per-worker 2 --json >"$WORK/r1.json" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || fail "a crashed ticket: exit $rc ($(cat "$WORK/err"))"
cp "$WORK/r1.json" "$WORK/body"
expect_json .total 9
expect_json .written 8
expect_json .rendered 8
expect_json .failed 1
expect_json .workers_crashed 1
expect_json '.problems[0].what' "${T[5]}"
expect_json '.problems[0].code' RENDER_CRASHED
expect_json '.workers_started >= 5' true # 9 tickets, 2 a worker, one worker lost: recycled
[ ! -e "$WORK/t1/HF-01/${T[5]}.pdf" ] || fail "a file for the ticket whose worker died"
[ "$(ls "$WORK/t1/HF-01" | wc -l)" = 8 ] || fail "t1: $(ls "$WORK/t1/HF-01")"
[ "$(db_query "SELECT COUNT(*) FROM tickets WHERE status = 'valid'")" = 8 ] || fail "8 tickets issued"

# ---- again: the missing ticket is issued, the others written as stored (same bytes) ----
render --exam JJ27 --out "$WORK/t2" --workers 2 --per-worker 2 --json >"$WORK/r2.json" 2>"$WORK/err" ||
	fail "the second run: $(cat "$WORK/err")"
cp "$WORK/r2.json" "$WORK/body"
expect_json .written 9
expect_json .rendered 1
expect_json .reused 8
expect_json .failed 0
for n in 1 2 3 4 6 7 8 9; do
	cmp -s "$WORK/t1/HF-01/${T[$n]}.pdf" "$WORK/t2/HF-01/${T[$n]}.pdf" || fail "ticket $n changed between runs"
done
[ "$(db_query "SELECT COUNT(*) FROM tickets WHERE status = 'valid' AND version = 1 AND kind = 'self_print'")" = 9 ] || fail "9 self-printed version-1 tickets"

# ---- every ticket, as a person and a scanner see it ----
for n in $(seq 1 9); do
	f="$WORK/t2/HF-01/${T[$n]}.pdf"
	[ -s "$f" ] || fail "no ticket for candidate $n"
	[ "$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')" = 1 ] || fail "ticket $n: not one page"
	pdftotext "$f" "$WORK/t.txt"
	grep -q "${NAME[$n]}" "$WORK/t.txt" || fail "ticket $n lacks the name ${NAME[$n]}"
	grep -q "${T[$n]}" "$WORK/t.txt" || fail "ticket $n lacks its number"
	# the sex, from the identity number's 17th digit (odd: 男)
	sex=女; [ $(( ${IDN[$n]:16:1} % 2 )) = 1 ] && sex=男
	pdftotext -layout "$f" - | grep -q "性别 *$sex" || fail "ticket $n does not say 性别 $sex"
	! grep -q 补发 "$WORK/t.txt" || fail "ticket $n marked 补发"
	sha=$(sha256sum "$f" | cut -c1-64)
	[ "$(db_query "SELECT pdf_sha256 FROM tickets WHERE registration_id = ${REG[$n]} AND status = 'valid'")" = "$sha" ] ||
		fail "ticket $n is not the stored, issued version"
	pdftoppm -r 150 -png "$f" "$WORK/qr"
	P=$(zbarimg -q --raw "$WORK"/qr*.png 2>/dev/null | head -n1)
	rm -f "$WORK"/qr*.png
	[ "${P:0:4}" = KW1. ] || fail "ticket $n: the QR code reads '$P'"
	api "" POST /api/v1/tickets/verify "{\"payload\":\"$P\"}"
	expect_status 200
	expect_json .valid true
	expect_json .ticket_no "${T[$n]}"
	expect_json .name "${NAME[$n]}"
	if [ "$n" != 9 ]; then
		# the stored photo (as the upload kept it), byte for byte inside the PDF
		api "${TOKS[$n]}" GET /api/v1/candidates/me/photo
		expect_status 200
		cp "$WORK/body" "$WORK/stored.jpg"
		pdfimages -list "$f" | grep -q ' jpeg ' || fail "ticket $n: no JPEG image"
		python3 -c 'import sys; sys.exit(open(sys.argv[1], "rb").read() not in open(sys.argv[2], "rb").read())' \
			"$WORK/stored.jpg" "$f" || fail "ticket $n: the photo's JPEG bytes are not passed through"
	else
		grep -q 照片 "$WORK/t.txt" || fail "ticket 9 lacks the empty photo box"
	fi
done
pdffonts "$WORK/t2/HF-01/${T[2]}.pdf" | grep -q BabelStone || fail "the rare character's font is not embedded"

# ---- door labels of the whole exam, desk labels ----
labels --exam JJ27 --out "$WORK/labels" --workers 2 --per-worker 1 --json >"$WORK/body" 2>"$WORK/err" ||
	fail "door labels: $(cat "$WORK/err")"
rooms=$(db_query "SELECT COUNT(*) FROM exam_rooms WHERE run_id = $RUN")
expect_json .written 1
expect_json .pages "$rooms"
d="$WORK/labels/HF-01/door-labels.pdf"
[ "$(pdfinfo "$d" | awk '/^Pages:/ {print $2}')" = "$rooms" ] || fail "door labels: not one page per exam room"
first=$(db_query "SELECT first_ticket FROM exam_rooms WHERE run_id = $RUN ORDER BY number LIMIT 1")
pdftotext "$d" - | grep -q "$first" || fail "a door label lacks its first ticket number"
pdftotext "$d" - | grep -q 经济基础知识 || fail "a door label lacks its subject"
labels --exam "$QE" --kind desk --centre HF-01 --out "$WORK/labels" >"$WORK/out" 2>"$WORK/err" ||
	fail "desk labels: $(cat "$WORK/err")"
k="$WORK/labels/HF-01/desk-labels.pdf"
[ "$(pdfinfo "$k" | awk '/^Pages:/ {print $2}')" = 1 ] || fail "desk labels: 9 seats are one page of 12"
pdftotext "$k" - | grep -q 周芷若 || fail "a desk label lacks the name"
rc=0; labels --exam JJ27 --centre NOPE --out "$WORK/labels2" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && [ ! -e "$WORK/labels2" ] || fail "labels of an unknown centre: exit $rc"

audit_verify 0
echo "ok"
