#!/usr/bin/env bash
# kw-e2e: cost 50
# The public page of an exam's interviews and recruitment (issue 12: the shortlist published
# with masked names, the recruitment notice for public notice), on t0067's exam
# (tests/e2e/recruit.sh: four candidates admitted, interviewed and their results published).
# GET /public/exams/{id}/recruit_notices: empty before any notice, NOT_FOUND for an unknown exam;
# a notice made but not approved is never listed (SEC-1: scores not yet published stay secret),
# once approved it is, exactly as GET /public/recruit_notices/{id} gives it, with masked
# identity numbers and no candidate, registration or staff data. A sustained objection takes
# 李三 off, 张一 replaces them (递补) and a second notice is made: listed only once approved,
# the newest first. Another exam's list stays empty. On SQLite, the page in Debian's Chromium
# (tests/browser/interview-public.mjs): come by the exam notice's link, the shortlist's masked
# names, ranks and cut, both notices with their period and PDF, the search, English on a phone,
# the empty states and an unknown exam.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seated.sh"
. "$(dirname "$0")/interview.sh"
. "$(dirname "$0")/recruit.sh"
rc_before_day

notices() { req GET "/api/v1/public/exams/$1/recruit_notices"; }
notices "$QE"
expect_status 200
expect_json .exam.id "$QE"
expect_json .exam.code GWY27
expect_json '.items | length' 0
notices 999999
expect_error 404 NOT_FOUND
notices abc
expect_error 404 NOT_FOUND

rc_results
api "$AG" POST "/api/v1/shortlists/$SL/recruitment" '{}'
expect_status 201
L=$(jq -r .id "$WORK/body")
cid() { jq -r ".candidates[] | select(.registration_id == ${REG[$1]}) | .id" "$WORK/body"; }
C3=$(cid 3) C1=$(cid 1)
passes() { # CANDIDATE: the physical exam and vetting passed
	local s
	for s in physical_exam vetting; do
		api "$AG" POST "/api/v1/recruit_candidates/$1/steps" "{\"step\":\"$s\",\"outcome\":\"pass\"}"
		expect_status 200
	done
}
passes "$C3"

# ---- SEC-1: a notice made and not yet approved is nowhere in public ----
api "$AG" POST "/api/v1/recruit_lists/$L/notices"
expect_status 201
N1=$(jq -r .notice_id "$WORK/body")
notices "$QE"
expect_status 200
expect_json '.items | length' 0
grep -q "${TK[3]}" "$WORK/body" && fail "the unapproved notice's candidate in public: $(body)"
api "$AUTH" POST "/api/v1/recruit_notices/$N1/approve"
expect_status 200

# ---- approved: listed as the single notice's endpoint gives it, nothing internal ----
req GET "/api/v1/public/recruit_notices/$N1"
expect_status 200
cp "$WORK/body" "$WORK/single.json"
notices "$QE"
expect_status 200
expect_json '.items | length' 1
expect_json '.items[0].id' "$N1"
jq -e --slurpfile one "$WORK/single.json" '.items[0] == $one[0]' "$WORK/body" >/dev/null ||
	fail "the listed notice differs from GET /public/recruit_notices/$N1: $(body)"
expect_json '.items[0].starts_on + "/" + .items[0].ends_on' 2026-12-14/2026-12-21
expect_json '.items[0].position_code' 100011
expect_json '[.items[0].entries[].name] | join(",")' 李三
expect_json '.items[0].entries[0].id_number' "${IDN[3]:0:6}********${IDN[3]:14:4}"
expect_json '.items[0].entries[0].ticket_no' "${TK[3]}"
expect_json '[.items[0].entries[0] | keys[]] | join(",")' composite,gender,id_number,interview,name,position_code,position_name,recruiter,ticket_no,written
expect_json '[.items[0] | keys[]] | join(",")' ends_on,entries,exam_code,exam_name,id,organiser,position_code,position_name,published_at,recruiter,starts_on
for n in 1 2 3 4 5 6; do grep -q "${IDN[$n]}" "$WORK/body" && fail "a whole identity number in public"; done
grep -Eq 'candidate_id|registration|made_by|approved_by|"status"|agency|"auth"|"isup"' "$WORK/body" &&
	fail "internal or staff data in public: $(body)"
# the interview's public shortlist beside it: masked names only
req GET "/api/v1/public/exams/$QE/shortlists"
expect_json '[.positions[0].candidates[] | "\(.rank)\(.name)"] | sort | join(",")' '1张*,2欧**娜,3李*,3赵*'

# ---- a sustained objection, a replacement (递补) and a second notice: listed once approved ----
api "$AG" POST "/api/v1/recruit_notices/$N1/objections" "{\"candidate_id\":$C3,\"objector\":\"群众来信\",\"text\":\"反映该考生不符合职位要求的基层工作经历\"}"
expect_status 201
api "$AG" POST "/api/v1/recruit_objections/$(jq -r .objection_id "$WORK/body")/reply" '{"reply":"经核查，反映属实，取消其拟录用资格","sustained":true}'
expect_status 200
api "$AG" POST "/api/v1/recruit_lists/$L/replacements" "{\"candidate_id\":$C3}"
expect_status 200
expect_json .replacement_id "$C1"
passes "$C1"
api "$AG" POST "/api/v1/recruit_lists/$L/notices"
expect_status 201
N2=$(jq -r .notice_id "$WORK/body")
notices "$QE"
expect_json '[.items[].id] | map(tostring) | join(",")' "$N1"
api "$AUTH" POST "/api/v1/recruit_notices/$N2/approve"
expect_status 200
notices "$QE"
expect_json '[.items[].id] | map(tostring) | join(",")' "$N2,$N1" # the newest first
expect_json '[.items[0].entries[].name] | join(",")' 张一
expect_json '.items[0].entries[0].id_number' "${IDN[1]:0:6}********${IDN[1]:14:4}"
for n in 1 2 3 4 5 6; do grep -q "${IDN[$n]}" "$WORK/body" && fail "a whole identity number in public"; done

# ---- another exam: nothing of this one's ----
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"GWY27B\",\"name\":\"2027年度安徽省选调生考试\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-11-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-12-01T00:00:00+08:00\",\"exam_date\":\"2026-12-20\",\"ref_date\":\"2026-12-20\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}"
expect_status 201
QE2=$(jq -r .id "$WORK/body")
notices "$QE2"
expect_status 200
expect_json .exam.code GWY27B
expect_json '.items | length' 0
# a draft exam is not public: its name is not answered (as the public exam pages do)
api "$A" POST /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"GWY27D\",\"name\":\"尚未发布的考试\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false}"
expect_status 201
QD=$(jq -r .id "$WORK/body")
[ "$(jq -r .status "$WORK/body")" != published ] || fail "a new exam is published: $(body)"
notices "$QD"
expect_error 404 NOT_FOUND
grep -q 尚未发布的考试 "$WORK/body" && fail "a draft exam's name in public"
req GET "/api/v1/public/exams/$QD/shortlists"
expect_error 404 NOT_FOUND

# ---- the page, once, in Chromium ----
if [ "$KW_TEST_DB" = sqlite ]; then
	[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
	[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
	shots=${KW_SHOTS:-$WORK/shots}
	mkdir -p "$shots"
	export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
	export KW_EXAM=$QE KW_N1=$N1 KW_N2=$N2 KW_NOW=2026-12-14T10:00:00+08:00
	for n in 1 2 3 4 5 6; do export "KW_TK$n=${TK[$n]}" "KW_IDN$n=${IDN[$n]}"; done
	w0=$(date +%s%N)
	node "$KW_SRC/tests/browser/interview-public.mjs" "$BASE" "$shots" >"$WORK/walk.out" 2>&1 ||
		fail "browser walk failed: $(cat "$WORK/walk.out")"
	w1=$(date +%s%N)
	for f in interview-public-1-desktop-zh.png interview-public-2-phone-en.png; do
		[ -s "$shots/$f" ] || fail "no screenshot $f"
	done
	echo "browser: $(((w1 - w0) / 1000000)) ms"
fi
server_stop
echo ok
