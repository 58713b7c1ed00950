# Shared set-up of the recruitment tests (t0067, t0069): sourced after lib.sh, seated.sh and
# interview.sh. rc_before_day: t0060's exam (iv_setup, iv_written; the examiner pool of iv_pool)
# with weights 50/50, its shortlist SL of four (written 9, 8, 7, 7: the tie at the cut admitted)
# published, panel G1 of 5 (K1-K5) and the interview day IVDAY (DAYID) scheduled. rc_results:
# on IVDAY at 08:00 the draws, the panel scoring candidates 1-4 70, 71, 80 and 60, the scorer's,
# supervisor's and chief's sign-offs and the results published (composites 李三 43.5, 张一 39.5,
# 欧阳娜娜 39.5, 赵四 33.5); tokens A, A2, AG, AUTH fresh.
rc_before_day() {
	iv_setup
	iv_written
	api "$AG" PUT "/api/v1/exams/$QE/interview_settings" '{"written_weight":50,"interview_weight":50,"method":"trimmed"}'
	expect_status 200
	api "$AG" POST "/api/v1/exams/$QE/shortlists" '{}'
	expect_status 201
	SL=$(jq -r '.items[0].id' "$WORK/body")
	expect_json '.items[0].admitted' 4 # 9, 8, 7, 7: the tie at the cut admitted
	api "$AG" POST "/api/v1/shortlists/$SL/publish"
	expect_status 200
	iv_pool
	panel G1 K1 K2 K3 K4 K5
	expect_status 201
	G1=$(jq -r .id "$WORK/body")
	IVDAY=2026-12-14
	api "$AG" POST "/api/v1/exams/$QE/interview_days" "{\"day\":\"$IVDAY\",\"ends_at\":\"${IVDAY}T18:00:00+08:00\",\"rooms\":[\"301\"],\"panels\":[$G1],\"dimensions\":[{\"name\":\"综合\",\"max\":\"100\"}]}"
	expect_status 201
	DAYID=$(jq -r .id "$WORK/body")
}

rc_results() {
	server_restart_at "${IVDAY}T08:00:00+08:00"
	login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
	login admin2 admin2-pass-123; A2=$TOKEN
	login agency agency-password-1; AG=$TOKEN
	login auth auth-password-1; AUTH=$TOKEN
	declare -gA T
	link() { # USER STAFF_CODE
		local uid
		uid=$(db_query "SELECT id FROM users WHERE username = '$1'")
		api "$A" GET "/api/v1/staff/${SID[$2]}"
		api "$A" PATCH "/api/v1/staff/${SID[$2]}" "{\"user_id\":$uid}" -H "If-Match: $(header ETag)"
		expect_status 200
	}
	for k in 1 2 3 4 5; do staff "kg$k" examiner "$PTA"; T[K$k]=$TOKEN; link "kg$k" "K$k"; done
	staff sco scorer "$PTA"; T[SCO]=$TOKEN; link sco SCO
	login isup isup-password-1; T[SUP]=$TOKEN; link isup SUP
	api "$AG" POST "/api/v1/interview_days/$DAYID/room_draw"
	expect_status 200
	api "$AG" POST "/api/v1/interview_panels/$G1/order_draw"
	expect_status 200
	local -A IV=([1]=70 [2]=71 [3]=80 [4]=60) # interview scores of candidates 1-4
	local o n k d tk
	for o in 1 2 3 4; do
		tk=$(jq -r ".result[$((o - 1))].ticket_no" "$WORK/body")
		for n in 1 2 3 4; do [ "${TK[$n]}" = "$tk" ] && ORDER[$o]=$n; done
	done
	for o in 1 2 3 4; do
		for k in 1 2 3 4 5; do
			api "${T[K$k]}" POST "/api/v1/interview_panels/$G1/orders/$o/scores" "{\"scores\":[\"${IV[${ORDER[$o]}]}\"]}"
			expect_status 200
		done
		for d in SCO:scorer SUP:supervisor K1:chief; do
			api "${T[${d%%:*}]}" POST "/api/v1/interview_panels/$G1/orders/$o/signoffs" "{\"as\":\"${d#*:}\"}"
			expect_status 200
		done
	done
	api "$AG" POST "/api/v1/shortlists/$SL/interview_results"
	expect_status 200
}
