# Shared set-up of the interview tests (t0060, t0062): sourced after lib.sh and seated.sh.
# iv_setup: a civil-service exam GWY27 with one position (100011, 3:1) and six candidates
# registered, paid and seated over the API (QE, POS, REG[], TK[], NAME[], IDN[]; tokens A, A2,
# AG, AUTH, REV, ISUP). iv_written: after the exam, written totals 9, 8, 7, 7, 6, 5.5 published
# through the real scoring path. iv_pool: the examiner pool (K1-K9, J1-J3 of the recruiter,
# SUP, SCO, TIM; K9 not assessed; K8 declared 钱五 their spouse) in SID[], and panel CODE STAFF…
# (first chief, second deputy, the rest examiners, plus SUP/SCO/TIM) posting a panel.
iv_setup() {
	export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
	server_start

	KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
	login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
	login admin2 admin2-pass-123; A2=$TOKEN
	root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
	AH=$(unit AH provincial_authority provincial "$root")
	PTA=$(unit AH-PTA provincial_agency provincial "$AH")
	HF=$(unit AH-HF area_agency prefecture "$PTA")
	R1=$(unit 10001 recruiter provincial "$AH")
	staff agency agency_staff "$PTA"; AG=$TOKEN
	staff witness agency_staff "$PTA"
	staff auth authority_officer "$AH"; AUTH=$TOKEN
	staff rev qualification_reviewer "$AH"; REV=$TOKEN
	staff isup interview_supervisor "$AH"; ISUP=$TOKEN
	api "$A" POST /api/v1/centres "{\"unit_id\":$HF,\"code\":\"HF-01\",\"name\":\"合肥市第一中学\",\"address\":\"合肥市蜀山区长江西路1号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}"
	expect_status 201
	api "$A" POST /api/v1/rooms "{\"centre_id\":$(jq -r .id "$WORK/body"),\"code\":\"101\",\"seats\":30,\"mode\":\"paper\",\"floor\":1}"
	expect_status 201
	DAY=2026-12-10
	api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"GWY27\",\"name\":\"2027年度安徽省考试录用公务员\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"$DAY\",\"ref_date\":\"$DAY\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
	expect_status 201
	QE=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"行政职业能力测验\",\"duration_minutes\":120,\"mode\":\"paper\",\"fee_cents\":5000,\"starts_at\":\"${DAY}T09:00:00+08:00\"}"
	expect_status 201
	api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"02\",\"name\":\"申论\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5000,\"starts_at\":\"${DAY}T14:00:00+08:00\"}"
	expect_status 201
	printf '考试,部门代码,职位代码,招考职位,考试类别,招考人数,面试人员比例\nGWY27,10001,100011,科员,general,1,3:1\n' >"$WORK/pos.csv"
	api "$A" POST /api/v1/positions/import --data-binary "@$WORK/pos.csv" -H 'Content-Type: text/csv'
	expect_status 201
	POS=$(db_query "SELECT id FROM positions WHERE code = '100011'")
	AHV=$(jq -r .AH.version "$KW_SRC/data/pledges/pledges.json")
	NAMES=(x 张一 欧阳娜娜 李三 赵四 钱五 孙六)
	for n in 1 2 3 4 5 6; do
		NAME[$n]=${NAMES[$n]}
		IDN[$n]=$(idcard 340104 "199${n}0101" "$(printf %03d "$n")")
		api "" POST /api/v1/candidates "$(jq -nc --arg i "${IDN[$n]}" --arg m "${NAME[$n]}" '{id_number:$i,name:$m,phone:"13800000000",password:"cand-pass-1"}')"
		expect_status 201
		cand_login "$n"
		api "${TOKS[$n]}" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --argjson p "$POS" --arg v "$AHV" '{exam_id:$e,position_id:$p,route:"pledge",pledge_version:$v,pledge_accepted:true,area:"AH-HF"}')"
		expect_status 201
		REG[$n]=$(jq -r .id "$WORK/body")
		api "$REV" POST "/api/v1/registrations/${REG[$n]}/review" '{"decision":"approve"}'
		expect_status 200
		api "${TOKS[$n]}" POST "/api/v1/registrations/${REG[$n]}/payments" '{"provider":"test"}' -H "Idempotency-Key: pay-$n"
		expect_status 201
		api "${TOKS[$n]}" POST "/api/v1/payments/$(jq -r .id "$WORK/body")/test_pay"
		expect_status 200
	done
	api "$AG" POST "/api/v1/exams/$QE/seating_runs" '{"rule":{"capacity":30}}'
	expect_status 201
	RUN=$(jq -r .id "$WORK/body")
	api "$AG" POST "/api/v1/seating_runs/$RUN/seat"
	expect_status 200
	api "$AG" POST "/api/v1/seating_runs/$RUN/publish"
	expect_status 200
	for n in 1 2 3 4 5 6; do
		TK[$n]=$(db_query "SELECT ticket_no FROM seats WHERE registration_id = ${REG[$n]} AND run_id = $RUN LIMIT 1")
	done
}

iv_written() {
	# ---- after the exam: written totals 9, 8, 7, 7, 6, 5.5 (two subjects of 4.5 points) ----
	server_restart_at "${DAY}T18:00:00+08:00"
	login agency agency-password-1; AG=$TOKEN
	login auth auth-password-1; AUTH=$TOKEN
	login isup isup-password-1; ISUP=$TOKEN
	login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
	scores_published "ticket_no,subject,form,answers
	${TK[1]},01,A,BDA
	${TK[1]},02,A,BDA
	${TK[2]},01,A,BDA
	${TK[2]},02,A,-DA
	${TK[3]},01,A,BD-
	${TK[3]},02,A,BDA
	${TK[4]},01,A,BDA
	${TK[4]},02,A,BD-
	${TK[5]},01,A,B-A
	${TK[5]},02,A,B-A
	${TK[6]},01,A,B-A
	${TK[6]},02,A,BD-"
}

iv_pool() {
	# ---- the examiner pool: staff of post examiner, trained and assessed (INT-2, ORG-4) ----
	declare -gA SID
	{
		echo 所属单位,code,name,post,employment
		for i in 1 2 3 4 5 6 7 8 9; do echo "AH-PTA,K$i,考官$i,examiner,full_time"; done
		for i in 1 2 3; do echo "10001,J$i,招录机关考官$i,examiner,full_time"; done
		echo "AH-PTA,SUP,监督员,supervisor,full_time"
		echo "AH-PTA,SCO,计分员,other,full_time"
		echo "AH-PTA,TIM,计时员,other,full_time"
	} >"$WORK/staff.csv"
	api "$A" POST /api/v1/staff/import --data-binary "@$WORK/staff.csv" -H 'Content-Type: text/csv'
	expect_status 201
	for s in K1 K2 K3 K4 K5 K6 K7 K8 K9 J1 J2 J3 SUP SCO TIM; do
		SID[$s]=$(db_query "SELECT id FROM staff WHERE code = '$s'")
	done
	{ # K9 trained but not assessed: not qualified to examine
		echo 人员,course,trained_on,result,assessment
		for s in K1 K2 K3 K4 K5 K6 K7 K8 J1 J2 J3; do echo "$s,面试考官培训,2026-11-20,passed,passed"; done
		echo "K9,面试考官培训,2026-11-20,passed,none"
	} >"$WORK/train.csv"
	api "$A" POST /api/v1/trainings/import --data-binary "@$WORK/train.csv" -H 'Content-Type: text/csv'
	expect_status 201
	# K8 declared that 钱五, now on the list, is their spouse (SEC-3)
	api "$A" POST /api/v1/staff_relations "{\"staff_id\":${SID[K8]},\"relation\":\"spouse\",\"relative_name\":\"钱五\",\"relative_id_number\":\"${IDN[5]}\",\"declared_on\":\"2026-11-01\"}"
	expect_status 201
	panel() { # CODE STAFF_CODE… (the first chief, the second deputy, the rest examiners); PANEL_EXTRA: more fields
		local code=$1 m d=chief
		shift
		m=$(for s in "$@"; do printf '{"staff_id":%s,"duty":"%s"}\n' "${SID[$s]}" "$d"; [ $d = chief ] && d=deputy || d=examiner; done | jq -sc .)
		m=$(jq -c --argjson a "${SID[SUP]}" --argjson b "${SID[SCO]}" --argjson c "${SID[TIM]}" '. + [{staff_id:$a,duty:"supervisor"},{staff_id:$b,duty:"scorer"},{staff_id:$c,duty:"timer"}]' <<<"$m")
		api "$AG" POST "/api/v1/exams/$QE/interview_panels" "$(jq -nc --arg c "$code" --argjson p "$POS" --argjson m "$m" --argjson x "${PANEL_EXTRA:-"{}"}" '{code:$c,starts_at:"2027-01-10T08:30:00+08:00",positions:[$p],members:$m} + $x')"
	}
}
