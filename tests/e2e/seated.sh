# Sourced by e2e tests after lib.sh: a small seated exam built over the API, as agency staff
# would (issue 7). With the server started on a date inside the registration window
# (KAOWU_TEST_NOW before 2026-12-01), seated_exam makes: admins A and A2, the units AH (the
# provincial authority), PTA (its agency, where staff "agency" holds agency_staff: $AG) and
# the exam area HF under it; the centre HF-01 合肥市第一中学 with rooms 101 and 102, ready to open
# (centres_ready: agreements and inspection, VEN-6); the
# published qualification exam JJ27 ($QE) on $SEATED_DAY (default 2027-06-01) with sittings 01
# (09:00) and 02 (14:00, 150 minutes each), asking no photo at submission (REG-4: the tests that need photos upload them);
# then `register N NAME SUBJECTS` for each following pair, and a seating run ($RUN)
# committed, seated and published by $AG. `register` stays available for later candidates.
# Per candidate N: REG[N], IDN[N], NAME[N], TOKS[N] (their session).
declare -A REG IDN NAME TOKS

# register N NAME SUBJECTS_JSON: a candidate who chooses the area AH-HF, registers and pays.
register() {
	local n=$1 subj=$3
	NAME[$n]=$2
	IDN[$n]=$(idcard 340104 "199${n}0101" "$(printf %03d "$n")")
	api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$n]}" --arg m "$2" '{id_number:$i,name:$m,phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	cand_login "$n"
	api "${TOKS[$n]}" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$PQV" --argjson s "$subj" \
		'{exam_id:$e,subjects:$s,route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"}')"
	expect_status 201
	REG[$n]=$(jq -r .id "$WORK/body")
	api "${TOKS[$n]}" POST "/api/v1/registrations/${REG[$n]}/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$n"
	expect_status 201
	api "${TOKS[$n]}" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
	expect_status 200
}

# cand_login N: candidate N's session into TOKS[N].
cand_login() {
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"${IDN[$1]}\",\"password\":\"cand-pass-1\"}"
	expect_status 201
	TOKS[$1]=$(jq -r .token "$WORK/body")
}

# centres_ready CODE…: each centre's agreement and safety-responsibility letter signed and its
# inspection passed (with the sealed-environment check, for CBT rooms) — VEN-6 — so that its
# exam rooms may open for check-in (src/app/readiness.h): one CSV import per register, by $A.
centres_ready() {
	local c ag="centre_code,kind,signed_on,valid_until" in="centre_code,inspected_on,inspector,result,sealed_environment"
	for c in "$@"; do
		ag+=$'\n'"$c,agreement,2026-10-01,2030-12-31"$'\n'"$c,safety_letter,2026-10-01,2030-12-31"
		in+=$'\n'"$c,2026-10-15,考点检查组,passed,1"
	done
	req POST /api/v1/centre_agreements/import -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary "$ag"
	expect_status 201
	req POST /api/v1/inspections/import -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary "$in"
	expect_status 201
}

# seated_exam N1 NAME1 SUBJECTS1 [N2 NAME2 SUBJECTS2 …]
seated_exam() {
	local day=${SEATED_DAY:-2027-06-01}
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
	C1=$(jq -r .id "$WORK/body")
	local r
	for r in 101 102; do
		api "$A" POST /api/v1/rooms "{\"centre_id\":$C1,\"code\":\"$r\",\"seats\":30,\"mode\":\"paper\",\"floor\":1}"
		expect_status 201
	done
	centres_ready HF-01
	api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"JJ27\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"$day\",\"ref_date\":\"$day\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
	expect_status 201
	QE=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"${day}T09:00:00+08:00\"}"
	expect_status 201
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"02\",\"name\":\"专业知识和实务\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"${day}T14:00:00+08:00\"}"
	expect_status 201
	PQV=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
	while [ $# -ge 3 ]; do
		register "$1" "$2" "$3"
		shift 3
	done
	api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
	expect_status 201
	RUN=$(jq -r .id "$WORK/body")
	api "$AG" POST "/api/v1/seating_runs/$RUN/seat"
	expect_status 200
	api "$AG" POST "/api/v1/seating_runs/$RUN/publish"
	expect_status 200
	expect_json .status published
}

# similar_answers_case N [SUBJECT]: agency staff $AG open an Order No. 31 art. 11 case (similar
# answers found at marking, VIO-8) against candidate N, naming SUBJECT (a code or name) when
# given; $AG and $W sign, a photo is the evidence, the notice goes to the portal and the
# candidate waives the defence. Sets CASE; the decision is the caller's.
similar_answers_case() {
	local n=$1 subj=""
	[ $# -ge 2 ] && subj=",\"subject\":\"$2\""
	api "$AG" POST /api/v1/cases "{\"registration_id\":${REG[$n]},\"source\":\"marking_anomaly\",\"stage\":\"marking\"$subj,\"entry_id\":\"ORDER31-11-1\",\"facts\":\"评卷中发现该考生答卷与他人雷同，经专家组认定\",\"occurred_at\":\"2026-12-10T16:00:00+08:00\"}"
	expect_status 201
	CASE=$(jq -r .id "$WORK/body")
	api "$AG" POST "/api/v1/cases/$CASE/signatures" '{"role_note":"评卷组长"}'
	expect_status 200
	api "$W" POST "/api/v1/cases/$CASE/signatures" '{"role_note":"评卷专家"}'
	expect_status 200
	api "$AG" POST "/api/v1/cases/$CASE/files?kind=evidence&label=%E9%9B%B7%E5%90%8C%E6%AF%94%E5%AF%B9" --data-binary "@$KW_SRC/tests/data/uploads/landscape.jpg" -H 'Content-Type: image/jpeg'
	expect_status 201
	api "$AG" POST "/api/v1/cases/$CASE/notice" '{"method":"portal"}'
	expect_status 200
	cand_login "$n"
	api "${TOKS[$n]}" POST "/api/v1/cases/$CASE/defence" '{"waived":true}'
	expect_status 200
}

# A three-item key (1 + 1.5 + 2 points) for scores_published.
SIMPLE_KEY='{"form":"A","master":true,"items":[
 {"kind":"single","options":4,"key":"B","points":1},
 {"kind":"single","options":4,"key":"D","points":1.5},
 {"kind":"true_false","key":"A","points":2}]}'

# scores_published CSV: after the exam, agency staff $AG load SIMPLE_KEY for subjects 01 and
# 02, import the scanner CSV (the witness: the user "witness") and publish_scores.
scores_published() {
	local s
	for s in 01 02; do
		api "$AG" POST "/api/v1/exams/$QE/subjects/$s/keys" "$SIMPLE_KEY"
		expect_status 201
	done
	api "$AG" POST "/api/v1/exams/$QE/answers?witness=witness" -H 'Content-Type: text/csv' --data-binary "$1"
	expect_status 201
	publish_scores
}

# publish_scores: both subjects run and cross-checked (kept), the publication prepared by $AG
# and approved by $AUTH (an authority officer); sets PUBID.
publish_scores() {
	local s
	for s in 01 02; do
		api "$AG" POST "/api/v1/exams/$QE/subjects/$s/score_runs"
		expect_status 201
		api "$AG" POST "/api/v1/score_runs/$(jq -r .id "$WORK/body")/crosschecks"
		expect_status 201
	done
	api "$AG" POST "/api/v1/exams/$QE/publications"
	expect_status 202
	PUBID=$(jq -r .id "$WORK/body")
	api "$AUTH" POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve"
	expect_status 200
}
