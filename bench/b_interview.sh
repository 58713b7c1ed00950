#!/usr/bin/env bash
# A national interview season (issue 12, "Figures"): BENCH_IV_POSITIONS positions (default
# 40,000) of one civil-service exam, their shortlists (~120,000 interviewees), BENCH_IV_PANELS
# panels (default 6,000) of 7 examiners + supervisor, scorer and timer. Goals: the whole
# season's shortlists and schedules in ≤ 5 s; ≥ 2,000 examiner score submissions/s.
#
# Preparation (untimed; bench/gen_interview.py makes the data, seed BENCH_IV_SEED, default 12),
# through kaowu's own paths except where said:
#   - the units (exam areas, recruiters), centres, rooms, positions, staff (the examiner pool)
#     and their trainings: the API's CSV imports (audited); the exam, its subjects, the
#     interview settings (written minimum 80, weights 50/50, trimmed mean): the API;
#   - candidates and registrations: `kaowu generate candidates` (positions and areas drawn by
#     gen_interview.py, approved) → `kaowu import registrations`;
#   - BYPASSED: the fees (one SQL statement inserts a paid payment per registration, as
#     bench/b_seat_db.sh does), and the panels' accounts: one user per examiner, supervisor and
#     scorer, its grant (examiner, interview_supervisor or scorer at the exam's agency) and a
#     session whose token gen_interview.py derives from the seed, inserted by SQL (54,000
#     accounts through the API would each cost an Argon2 hash to create and another to log
#     in; `kaowu audit verify` of this database reports these rows);
#   - seating: the API (commit, seat, publish); the written scores: `kaowu score keys,
#     import, run, crosscheck, publish, approve` from a scanner file gen_interview.py writes
#     so that each candidate gets the number of right answers it drew (3 % sit neither paper,
#     0.5 % miss the second: they have no shortlist entry).
# SQLite: the prepared database is kept in BENCH_IV_CACHE (default ~/.cache/kaowu-bench) and
# copied afresh for every run; PostgreSQL: a pg_dump of it is kept there, restored into the
# throwaway cluster, and each run gets `CREATE DATABASE … TEMPLATE` of it.
#
# Measured, RUNS times (default 3), on `kaowu serve` (release build) as the agency's staff
# and the examiners would, every request over HTTP (curl --parallel with BENCH_IV_PAR
# requests in flight, default 16, for the staff; wrk for the examiners):
#   a   shortlists: POST /api/v1/exams/{id}/shortlists {} — every position's list built from
#       the publication in force (one request: the staff's button);
#   a2  (beside the goal) each shortlist published: POST /api/v1/shortlists/{id}/publish;
#   b   schedules: the panels, all in one request (POST …/exams/{id}/interview_panels/import,
#       each panel with the single route's duties, qualification, agency-minority and recusal
#       checks, all or nothing; BENCH_IV_PANELS_ONE_BY_ONE=1: one POST …/interview_panels a
#       panel instead, curl --parallel), the interview days (POST …/exams/{id}/interview_days:
#       ≤ 100 panels and rooms a day, so 60 days);
#   b'  the lotteries: the room draw of each day and the order draw of each panel. They are
#       drawn on their day (INT-2, INT-3), so they are reported apart, as a day's lotteries
#       (all days' time over the number of days), not in the season's schedules;
#   c   score submissions: wrk -t1 -c64 -dDURATION (bench/iv_scores.lua), each request a new
#       (examiner, order number) pair, a day's 100 panels at once;
#   c'  the same on a server started with --threads BENCH_IV_ALT_THREADS (default 64), the
#       next submissions of the file (see the results: the default server is the figure);
#   d   results of the panels scored in full in c and c': the scorer's, supervisor's and chief's
#       sign-offs of each candidate (POST …/orders/{no}/signoffs, three waves: each needs the
#       one before), then the results of their positions published.
# The goal's figure, "shortlists and schedules", is a + b (the panels and the days).
# Checks after each run: every shortlist entry (place, state, written score) equals
# gen_interview.py's own computation; counts of panels, members, days, draws and drawn
# candidates; 20 order draws and 5 room draws replayed with `kaowu draw verify|shuffle`; every
# score stored is the value sent and their number what wrk counted; every composite
# recomputed from the submitted values (trimmed mean, weights).
[ -n "${KAOWU:-}" ] || (cd "$(dirname "$0")/.." && make build >/dev/null)
export PYTHONDONTWRITEBYTECODE=1
. "$(dirname "$0")/lib.sh"
NPOS=${BENCH_IV_POSITIONS:-40000}
NPANELS=${BENCH_IV_PANELS:-6000}
NREC=${BENCH_IV_RECRUITERS:-2000}
SEED=${BENCH_IV_SEED:-12}
PAR=${BENCH_IV_PAR:-16}
ALT=${BENCH_IV_ALT_THREADS:-64}
ALT_DURATION=${BENCH_IV_ALT_DURATION:-$DURATION}
SCORE_MAX=${BENCH_IV_SCORE_MAX:-200000}
CACHE=${BENCH_IV_CACHE:-$HOME/.cache/kaowu-bench}
PGBIN=${KW_PG_BIN:-/usr/lib/postgresql/15/bin}
EXAM=IV27
key="$CACHE/interview-$NPOS-$NPANELS-$NREC-s$SEED"
data="$key/data"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
now() { date +%s.%N; }
is_pg() { [ -n "${KW_TEST_PG_URL:-}" ]; }
db_sql() { # SQL on the bench database ($url)
	if is_pg; then psql "$url" -qtAX -v ON_ERROR_STOP=1 -c "$1"; else sqlite3 -batch "${url#sqlite:}" "$1"; fi
}
db_file() { # an SQL file on the bench database
	if is_pg; then psql "$url" -qtAX -v ON_ERROR_STOP=1 -f "$1" >/dev/null; else sqlite3 -batch "${url#sqlite:}" <"$1" >/dev/null; fi
}
serve() { # kaowu serve on $url (no init), with ARGS; BASE, pid
	rm -f "$work/port"
	"$KAOWU" serve "$@" --db "$url" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>>"$work/serve.log" &
	pid=$!
	for _ in $(seq 400); do [ -s "$work/port" ] && break; sleep 0.05; done
	[ -s "$work/port" ] || { echo "FAIL: the server did not start"; tail -5 "$work/serve.log"; exit 1; }
	BASE="http://127.0.0.1:$(cat "$work/port")"
}
# call TOKEN METHOD PATH [BODY [CONTENT-TYPE]]: the answer in $work/body; STATUS, TIME set.
call() {
	local t=$1 m=$2 p=$3 out opt=()
	shift 3
	[ -n "$t" ] && opt+=(-H "Authorization: Bearer $t")
	[ $# -ge 1 ] && opt+=(-H "Content-Type: ${2:-application/json}" --data-binary "$1")
	out=$(curl -sS -o "$work/body" -w '%{http_code} %{time_total}' -X "$m" "${opt[@]}" --max-time 3600 "$BASE$p")
	STATUS=${out% *}
	TIME=${out#* }
}
must() { [ "$STATUS" = "$1" ] || { echo "FAIL: HTTP $STATUS, expected $1: $(head -c 600 "$work/body")"; tail -5 "$work/serve.log"; exit 1; }; }
login() {
	curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg u "$1" --arg p "$2" '{username:$u,password:$p}')" | jq -r .token
}
# wave NAME: the requests of $work/NAME.req ("path TAB token TAB body" lines) posted with curl
# --parallel, PAR in flight; WALL (s) and the answers' statuses (NAME.out) set; every answer
# must be 2xx.
wave() {
	local name=$1 t0 t1
	rm -rf "$work/ans-$name"
	mkdir -p "$work/ans-$name"
	python3 bench/gen_interview.py requests --base "$BASE" --out "$work/ans-$name" <"$work/$name.req" >"$work/$name.cfg"
	t0=$(now)
	curl -sS --no-progress-meter --parallel --parallel-immediate --parallel-max "$PAR" -K "$work/$name.cfg" >"$work/$name.out" || true
	t1=$(now)
	WALL=$(secs "$t0" "$t1")
	local n bad
	n=$(wc -l <"$work/$name.req")
	bad=$(awk '$1 !~ /^2/' "$work/$name.out" | wc -l)
	if [ "$(wc -l <"$work/$name.out")" != "$n" ] || [ "$bad" != 0 ]; then
		echo "FAIL: $name: $(wc -l <"$work/$name.out") answers to $n requests, $bad not 2xx: $(awk '$1 !~ /^2/ {print $1}' "$work/$name.out" | sort | uniq -c | tr '\n' ' ')"
		awk '$1 !~ /^2/ {print $3; exit}' "$work/$name.out" | while read -r k; do head -c 600 "$work/ans-$name/$k"; echo; done
		exit 1
	fi
	WAVE_N=$n
}

# ---- preparation (once; cached) ----
prepare() {
	local t0 t1
	t0=$(now)
	start "$url"
	A=$(login admin "$KAOWU_ADMIN_PASSWORD")
	KAOWU_USER_PASSWORD=admin2-bench-pass "$KAOWU" user add --db "$url" --username admin2 --display-name 第二管理员 --role admin >/dev/null
	A2=$(login admin2 admin2-bench-pass)
	post() { call "$A" POST "$1" "$2"; must "${3:-201}"; jq -r .id "$work/body"; }
	AUTH=$(post /api/v1/units '{"code":"IV","name":"基准省人社厅","kind":"provincial_authority","level":"provincial","parent":1}')
	PTA=$(post /api/v1/units "{\"code\":\"IV-PTA\",\"name\":\"基准省人事考试院\",\"kind\":\"provincial_agency\",\"level\":\"provincial\",\"parent\":$AUTH}")
	user() { # USERNAME ROLE UNIT: through the API, the grant asked by admin, approved by admin2
		call "$A" POST /api/v1/users "{\"username\":\"$1\",\"display_name\":\"$1\",\"password\":\"$1-bench-pass\"}"
		must 201
		local uid
		uid=$(jq -r .id "$work/body")
		call "$A" POST "/api/v1/users/$uid/roles" "{\"roles\":[{\"role\":\"$2\",\"unit\":$3}]}"
		must 202
		call "$A2" POST "/api/v1/approvals/$(jq -r .approval_id "$work/body")/approve"
		must 200
	}
	user seater agency_staff "$PTA"
	user checker authority_officer "$AUTH"
	python3 bench/gen_interview.py prep --seed "$SEED" --positions "$NPOS" --recruiters "$NREC" --panels "$NPANELS" \
		--exam "$EXAM" --agency IV-PTA --authority IV --kaowu "$KAOWU" --outdir "$data.tmp" >"$work/gen.out" || exit 1
	rm -rf "$data"
	mv "$data.tmp" "$data"
	echo "  $(cat "$work/gen.out")"
	imp() { # REGISTER FILE
		call "$A" POST "/api/v1/$1/import" "@$2" text/csv
		must 201
	}
	imp units "$data/units.csv"
	imp centres "$data/centres.csv"
	imp rooms "$data/rooms.csv"
	E=$(post /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"$EXAM\",\"name\":\"2027年度公务员录用考试（面试基准）\",\"kind\":\"civil_service\",\"ruleset\":\"AH\",\"year\":2027,\"photo_required\":false,\"status\":\"published\",\"reg_opens_at\":\"2026-10-01T00:00:00+08:00\",\"reg_closes_at\":\"2026-10-20T00:00:00+08:00\",\"exam_date\":\"2026-11-29\",\"ref_date\":\"2026-11-29\",\"fee_approval\":\"基准〔2026〕12号\"}")
	post /api/v1/subjects "{\"exam_id\":$E,\"code\":\"01\",\"name\":\"行政职业能力测验\",\"duration_minutes\":120,\"mode\":\"paper\",\"fee_cents\":5000,\"starts_at\":\"2026-11-29T09:00:00+08:00\"}" >/dev/null
	post /api/v1/subjects "{\"exam_id\":$E,\"code\":\"02\",\"name\":\"申论\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5000,\"starts_at\":\"2026-11-29T14:00:00+08:00\"}" >/dev/null
	imp positions "$data/positions.csv"
	stop
	t1=$(now)
	/usr/bin/time -f '%e s' "$KAOWU" import registrations "$data/regs.csv" --db "$url" >"$work/imp.out" 2>"$work/imp.err" ||
		{ cat "$work/imp.out" "$work/imp.err"; exit 1; }
	echo "  set-up: units, venues, exam, positions $(secs "$t0" "$t1") s; $(tail -1 "$work/imp.out") ($(tail -1 "$work/imp.err"))"
	local ts=2026-10-15T00:00:00.000000Z
	db_sql "INSERT INTO payments (registration_id, candidate_id, idempotency_key, amount_cents, items, provider, provider_ref, status, paid_at, created_at, updated_at) SELECT id, candidate_id, 'bench-' || id, 10000, '[]', 'offline', 'bench', 'paid', '$ts', '$ts', '$ts' FROM registrations WHERE exam_id = $E"
	serve
	S=$(login seater seater-bench-pass)
	call "$S" POST "/api/v1/exams/$E/seating_runs" '{"rule":{"capacity":30}}'
	must 201
	local run
	run=$(jq -r .id "$work/body")
	call "$S" POST "/api/v1/seating_runs/$run/seat"
	must 200
	call "$S" POST "/api/v1/seating_runs/$run/publish"
	must 200
	stop
	t0=$(now)
	echo "  set-up: payments (SQL) and seating $(secs "$t1" "$t0") s"
	db_sql "SELECT s.ticket_no, c.id_number FROM seats s JOIN registrations r ON r.id = s.registration_id JOIN candidates c ON c.id = r.candidate_id WHERE s.run_id = $run ORDER BY s.ticket_no" |
		python3 bench/gen_interview.py answers --dir "$data" --seed "$SEED" >"$work/answers.csv" || exit 1
	sc() { "$KAOWU" score "$@" --db "$url" --json >"$work/sc.out" 2>&1 || { echo "FAIL: kaowu score $*: $(head -c 600 "$work/sc.out")"; exit 1; }; }
	sc keys --exam "$EXAM" --subject 01 --as seater "$data/key-01.json"
	sc keys --exam "$EXAM" --subject 02 --as seater "$data/key-02.json"
	sc import --exam "$EXAM" --as seater --witness admin2 "$work/answers.csv"
	for s in 01 02; do
		sc run --exam "$EXAM" --subject $s --as seater
		sc crosscheck --exam "$EXAM" --subject $s --as seater
	done
	sc publish --exam "$EXAM" --as seater
	sc approve "$(jq -r .approval_id "$work/sc.out")" --as checker
	t1=$(now)
	echo "  set-up: written scores (keys, $(($(wc -l <"$work/answers.csv") - 1)) sheets, runs, cross-checks, publication) $(secs "$t0" "$t1") s"
	python3 bench/gen_interview.py accounts-sql --dir "$data" --seed "$SEED" --unit "$PTA" --now "$ts" \
		--hash "$(db_sql "SELECT password_hash FROM users WHERE username = 'seater'")" >"$work/accounts.sql"
	db_file "$work/accounts.sql"
	serve
	A=$(login admin "$KAOWU_ADMIN_PASSWORD")
	imp staff "$data/staff.csv"
	imp trainings "$data/trainings.csv"
	S=$(login seater seater-bench-pass)
	call "$S" PUT "/api/v1/exams/$E/interview_settings" '{"written_min":"80","written_weight":50,"interview_weight":50,"method":"trimmed","panel_min":7,"agency_minority":true}'
	must 200
	stop
	t0=$(now)
	echo "  set-up: accounts (SQL), staff and trainings, interview settings $(secs "$t1" "$t0") s"
}

url=$(bench_url)
echo "  load average at start: $(loadavg) (nproc $(nproc)); $(db_label); $NPOS positions, $NPANELS panels, seed $SEED"
mkdir -p "$key"
if is_pg; then
	if [ -f "$key/prep.pgdump" ] && [ -d "$data" ]; then
		"$PGBIN/pg_restore" -d "$url" "$key/prep.pgdump"
		# the audit chain's signing key, kept beside the dump (or a new one: the runs sign
		# their checkpoints with it; nothing here verifies the chain)
		if [ -f "$key/prep.audit-key" ]; then cp "$key/prep.audit-key" "$KAOWU_AUDIT_KEY"; else "$KAOWU" init --db "$url" >/dev/null; fi
		echo "  set-up: restored from $key/prep.pgdump"
	else
		prepare
		"$PGBIN/pg_dump" -Fc -f "$key/prep.pgdump.tmp" "$url"
		cp "$KAOWU_AUDIT_KEY" "$key/prep.audit-key"
		mv "$key/prep.pgdump.tmp" "$key/prep.pgdump"
	fi
	psql "$url" -qtAXc 'VACUUM ANALYZE' >/dev/null
	prep_url=$url
	url=${KW_TEST_PG_URL%/*}/kwrun
else
	if [ -f "$key/sqlite/bench.db" ] && [ -d "$data" ]; then
		echo "  set-up: copied from $key/sqlite"
	else
		prepare
		sqlite3 "${url#sqlite:}" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
		mkdir -p "$key/sqlite"
		cp "$work"/bench.db* "$key/sqlite/"
	fi
fi
[ "${BENCH_IV_PREP_ONLY:-0}" = 1 ] && { echo "  prepared (BENCH_IV_PREP_ONLY=1)"; exit 0; }
E=$(
	url=${prep_url:-sqlite:$key/sqlite/bench.db}
	db_sql "SELECT id FROM exams WHERE code = '$EXAM'"
)
fresh() { # a fresh copy of the prepared database at $url
	if is_pg; then
		psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS kwrun" -c "CREATE DATABASE kwrun TEMPLATE kwbench" >/dev/null
	else
		rm -f "$work"/bench.db*
		cp "$key"/sqlite/bench.db* "$work/"
	fi
}
fresh
echo "  database: $(db_sql "SELECT COUNT(*) FROM registrations") registrations, $(db_sql "SELECT COUNT(*) FROM positions WHERE exam_id = $E") positions, $(db_sql "SELECT COUNT(*) FROM staff") staff, $(db_sql "SELECT COUNT(*) FROM sessions") sessions$(is_pg || echo ", $(du -ch "$work"/bench.db* | tail -1 | cut -f1) on disk")"
DIMS_WEIGHT=50

: >"$work/runs"
for i in $(seq "$RUNS"); do
	[ "$i" = 1 ] || fresh
	: >"$work/serve.log"
	sync
	serve
	S=$(login seater seater-bench-pass)
	# the staff's requests that need only what exists before: the panels (positions' and
	# staff ids known in advance)
	{
		db_sql "SELECT 'p', code, id FROM positions WHERE exam_id = $E"
		db_sql "SELECT 's', code, id FROM staff"
	} | python3 bench/gen_interview.py panel-requests --dir "$data" --exam "$E" --token "$S" >"$work/panels.req"
	cut -f3 "$work/panels.req" | jq -sc '{panels: .}' >"$work/panels.json"
	load0=$(loadavg)
	# ---- a: the shortlists ----
	call "$S" POST "/api/v1/exams/$E/shortlists" '{}'
	must 201
	ta=$TIME
	nlists=$(jq '.items | length' "$work/body")
	db_sql "SELECT c.id_number, p.code, e.written, e.place, e.state FROM interview_shortlist_entries e JOIN interview_shortlists l ON l.id = e.shortlist_id JOIN positions p ON p.id = l.position_id JOIN registrations r ON r.id = e.registration_id JOIN candidates c ON c.id = r.candidate_id WHERE l.exam_id = $E" |
		python3 bench/gen_interview.py check-shortlists --dir "$data" || { echo "FAIL: the shortlists differ from the generator's"; exit 1; }
	# ---- a2: each published ----
	db_sql "SELECT id FROM interview_shortlists WHERE exam_id = $E ORDER BY id" | awk -v t="$S" '{printf "/api/v1/shortlists/%s/publish\t%s\t\n", $1, t}' >"$work/publish.req"
	wave publish
	ta2=$WALL
	# ---- b: panels (one import, or BENCH_IV_PANELS_ONE_BY_ONE=1 one request a panel), days ----
	if [ "${BENCH_IV_PANELS_ONE_BY_ONE:-0}" = 1 ]; then
		wave panels
		tp=$WALL
		how="$(wc -l <"$work/panels.req") requests"
	else
		call "$S" POST "/api/v1/exams/$E/interview_panels/import" "@$work/panels.json"
		must 201
		tp=$TIME
		how="one import of $(jq .created "$work/body")"
	fi
	db_sql "SELECT code, id FROM interview_panels WHERE exam_id = $E" |
		python3 bench/gen_interview.py day-requests --dir "$data" --exam "$E" --token "$S" >"$work/days.req"
	wave days
	td=$WALL
	{
		db_sql "SELECT id FROM interview_days WHERE exam_id = $E ORDER BY day" | awk -v t="$S" '{printf "/api/v1/interview_days/%s/room_draw\t%s\t\n", $1, t}'
		db_sql "SELECT id FROM interview_panels WHERE exam_id = $E ORDER BY code" | awk -v t="$S" '{printf "/api/v1/interview_panels/%s/order_draw\t%s\t\n", $1, t}'
	} >"$work/draws.req"
	wave draws
	tl=$WALL
	ndays=$(wc -l <"$work/days.req")
	tlday=$(awk -v a="$tl" -v n="$ndays" 'BEGIN {printf "%.2f", a / n}')
	tb=$(awk -v a="$tp" -v b="$td" 'BEGIN {printf "%.2f", a + b}')
	tab=$(awk -v a="$ta" -v b="$tb" 'BEGIN {printf "%.2f", a + b}')
	echo "  run $i (load average $load0 before): a shortlists $ta s ($nlists lists); a2 published one by one $ta2 s; b panels $tp s ($how) + days $td s = $tb s; shortlists and schedules a + b = $tab s; b' lotteries $tl s ($ndays days: a day's $tlday s)"
	# checks of a and b
	want_cands=$(db_sql "SELECT COUNT(*) FROM interview_shortlist_entries e JOIN interview_shortlists l ON l.id = e.shortlist_id WHERE l.exam_id = $E AND e.state = 'admitted'")
	got=$(db_sql "SELECT (SELECT COUNT(*) FROM interview_panels WHERE exam_id = $E) || ' ' || (SELECT COUNT(*) FROM interview_panel_members) || ' ' || (SELECT COUNT(*) FROM interview_days WHERE exam_id = $E) || ' ' || (SELECT COUNT(*) FROM interview_draws WHERE status = 'drawn') || ' ' || (SELECT COUNT(*) FROM interview_candidates) || ' ' || (SELECT COUNT(*) FROM interview_shortlists WHERE status = 'published')")
	want="$NPANELS $((NPANELS * 10)) $ndays $((NPANELS + ndays)) $want_cands $NPOS"
	[ "$got" = "$want" ] || { echo "FAIL: panels, members, days, drawn lotteries, candidates drawn, lists published: $got, want $want"; exit 1; }
	echo "  check: $NPANELS panels, $((NPANELS * 10)) members, $ndays days, $((NPANELS + ndays)) lotteries drawn, $want_cands candidates given order numbers (the admitted), $NPOS lists published"
	# 20 order draws and 5 room draws replayed (kaowu draw verify / shuffle)
	db_sql "SELECT d.panel_id, d.purpose, d.commitment, d.seed FROM interview_draws d WHERE d.kind = 'order' ORDER BY d.panel_id" | awk 'NR % 300 == 17' >"$work/replay"
	nrep=0
	while IFS='|' read -r p purpose commit sd; do
		"$KAOWU" draw verify "$sd" "$commit" >/dev/null || { echo "FAIL: panel $p's order seed is not the committed one"; exit 1; }
		mapfile -t sorted < <(db_sql "SELECT e.ticket_no FROM interview_candidates c JOIN interview_shortlist_entries e ON e.registration_id = c.registration_id WHERE c.panel_id = $p ORDER BY e.ticket_no")
		perm=($("$KAOWU" draw shuffle "$sd" "$purpose" "${#sorted[@]}"))
		drawn=$(db_sql "SELECT e.ticket_no FROM interview_candidates c JOIN interview_shortlist_entries e ON e.registration_id = c.registration_id WHERE c.panel_id = $p ORDER BY c.order_no" | paste -sd,)
		replay=$(for k in "${perm[@]}"; do echo "${sorted[$k]}"; done | paste -sd,)
		[ "$drawn" = "$replay" ] || { echo "FAIL: panel $p's order draw does not replay: $drawn vs $replay"; exit 1; }
		nrep=$((nrep + 1))
	done <"$work/replay"
	db_sql "SELECT d.id, d.purpose, d.commitment, d.seed, d.result, y.rooms FROM interview_draws d JOIN interview_days y ON y.id = d.day_id WHERE d.kind = 'rooms' ORDER BY d.id" | awk 'NR % 12 == 5' >"$work/replay"
	while IFS='|' read -r d purpose commit sd res rooms; do
		"$KAOWU" draw verify "$sd" "$commit" >/dev/null || { echo "FAIL: day $d's room seed is not the committed one"; exit 1; }
		mapfile -t sorted < <(jq -r '.[]' <<<"$rooms" | LC_ALL=C sort)
		perm=($("$KAOWU" draw shuffle "$sd" "$purpose" "${#sorted[@]}"))
		drawn=$(jq -r '.[].room' <<<"$res" | paste -sd,)
		n=$(jq length <<<"$res")
		replay=$(for k in "${perm[@]:0:$n}"; do echo "${sorted[$k]}"; done | paste -sd,)
		[ "$drawn" = "$replay" ] || { echo "FAIL: day $d's room draw does not replay"; exit 1; }
		nrep=$((nrep + 1))
	done <"$work/replay"
	echo "  check: $nrep lotteries replayed from their revealed seeds (kaowu draw verify + shuffle): the stored order numbers and rooms"
	# BENCH_IV_ONLY_AB=1: a and b only (to work on them), no score submissions or results
	if [ "${BENCH_IV_ONLY_AB:-0}" = 1 ]; then
		stop
		continue
	fi
	# ---- c: examiners' score submissions ----
	db_sql "SELECT p.id, p.code, y.day, COUNT(c.id) FROM interview_panels p JOIN interview_day_panels x ON x.panel_id = p.id JOIN interview_days y ON y.id = x.day_id JOIN interview_candidates c ON c.panel_id = p.id WHERE p.exam_id = $E GROUP BY p.id, p.code, y.day ORDER BY y.day, p.code" |
		python3 bench/gen_interview.py scores --seed "$SEED" --max "$SCORE_MAX" >"$work/scores.req"
	load0=$(loadavg)
	BENCH_REQUESTS="$work/scores.req" wrk -t1 -c64 -d"$DURATION" --latency -s bench/iv_scores.lua "$BASE" >"$work/wrk.$i"
	rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.$i")
	p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.$i")
	p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$i")
	nsub=$(awk '/requests in/ {print $1}' "$work/wrk.$i")
	bad=$(awk '/Non-2xx|Socket errors/' "$work/wrk.$i" | tr '\n' ' ')
	echo "  run $i c (load average $load0 before, $(loadavg) after): $nsub submissions, $rps/s, p50 $p50, p99 $p99 $bad"
	[ -z "$bad" ] || { echo "FAIL: refused or failed submissions above"; cat "$work/wrk.$i"; exit 1; }
	sleep 1
	stored() { db_sql "SELECT p.code, c.order_no, f.code, x.scores FROM interview_scores x JOIN interview_candidates c ON c.id = x.candidate_id JOIN interview_panels p ON p.id = c.panel_id JOIN staff f ON f.id = x.staff_id"; }
	stored | python3 bench/gen_interview.py check-scores --seed "$SEED" --requests "$work/scores.req" --completed "$nsub" --sent "$(awk '/^sent / {print $2}' "$work/wrk.$i")" --next-file "$work/next" || { echo "FAIL: the stored scores"; exit 1; }
	hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
	stop
	# ---- c': the same submissions (the next ones of the file) on a server with ALT threads ----
	serve --threads "$ALT"
	first=$(cat "$work/next")
	BENCH_FIRST=$first BENCH_REQUESTS="$work/scores.req" wrk -t1 -c64 -d"$ALT_DURATION" --latency -s bench/iv_scores.lua "$BASE" >"$work/wrk2.$i"
	rps2=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk2.$i")
	p502=$(awk '$1 == "50%" {print $2}' "$work/wrk2.$i")
	p992=$(awk '$1 == "99%" {print $2}' "$work/wrk2.$i")
	nsub2=$(awk '/requests in/ {print $1}' "$work/wrk2.$i")
	bad=$(awk '/Non-2xx|Socket errors/' "$work/wrk2.$i" | tr '\n' ' ')
	echo "  run $i c' (kaowu serve --threads $ALT): $nsub2 submissions, $rps2/s, p50 $p502, p99 $p992 $bad"
	[ -z "$bad" ] || { echo "FAIL: refused or failed submissions above"; cat "$work/wrk2.$i"; exit 1; }
	sleep 1
	stored | python3 bench/gen_interview.py check-scores --seed "$SEED" --requests "$work/scores.req" --completed "$nsub2" --sent "$(awk '/^sent / {print $2}' "$work/wrk2.$i")" --first "$first" || { echo "FAIL: the stored scores"; exit 1; }
	stop
	serve
	S=$(login seater seater-bench-pass)
	# ---- d: sign-offs of the panels scored in full, their positions' results published ----
	db_sql "SELECT p.id, p.code, c.order_no FROM interview_panels p JOIN interview_candidates c ON c.panel_id = p.id WHERE p.id IN (SELECT c2.panel_id FROM interview_candidates c2 LEFT JOIN (SELECT candidate_id, COUNT(*) AS n FROM interview_scores GROUP BY candidate_id) s ON s.candidate_id = c2.id GROUP BY c2.panel_id HAVING MIN(COALESCE(s.n, 0)) = 7) ORDER BY p.code, c.order_no" >"$work/full"
	npfull=$(cut -d'|' -f1 "$work/full" | sort -u | wc -l)
	python3 - "$SEED" "$work/full" >"$work/sign.req" <<'PY'
import sys
sys.path.insert(0, "bench")
import gen_interview as g
seed = int(sys.argv[1])
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[2])]
for who, duty in (("c", "scorer"), ("s", "supervisor"), ("k", "chief")):
    for pid, code, order in rows:
        user = "%s%s%s" % (who, code[1:], "1" if who == "k" else "")
        print("%s\t/api/v1/interview_panels/%s/orders/%s/signoffs\t%s\t{\"as\":\"%s\"}" % (duty, pid, order, g.token_of(seed, user), duty))
PY
	tsign=0
	for duty in scorer supervisor chief; do
		awk -F'\t' -v d=$duty '$1 == d {print $2 "\t" $3 "\t" $4}' "$work/sign.req" >"$work/sign-$duty.req"
		if [ -s "$work/sign-$duty.req" ]; then
			wave "sign-$duty"
			tsign=$(awk -v a="$tsign" -v b="$WALL" 'BEGIN {printf "%.2f", a + b}')
		fi
	done
	db_sql "SELECT l.id FROM interview_shortlists l JOIN interview_shortlist_entries e ON e.shortlist_id = l.id AND e.state = 'admitted' JOIN interview_candidates c ON c.registration_id = e.registration_id WHERE l.exam_id = $E GROUP BY l.id HAVING MIN(CASE WHEN c.stage = 'chief' THEN 1 ELSE 0 END) = 1 ORDER BY l.id" |
		awk -v t="$S" '{printf "/api/v1/shortlists/%s/interview_results\t%s\t\n", $1, t}' >"$work/results.req"
	tres=0
	nres=$(wc -l <"$work/results.req")
	if [ "$nres" -gt 0 ]; then
		wave results
		tres=$WALL
	fi
	nsigned=$(wc -l <"$work/full")
	td_=$(awk -v a="$tsign" -v b="$tres" 'BEGIN {printf "%.2f", a + b}')
	echo "  run $i d: $npfull panels scored in full: $nsigned candidates × 3 sign-offs $tsign s, $nres positions' results published $tres s; together $td_ s"
	db_sql "SELECT p.code, c.order_no, c.written, c.score, c.composite FROM interview_candidates c JOIN interview_panels p ON p.id = c.panel_id WHERE c.stage = 'chief'" |
		python3 bench/gen_interview.py check-composites --seed "$SEED" --ww "$DIMS_WEIGHT" --expect "$nsigned" || { echo "FAIL: the composites"; exit 1; }
	[ "$(db_sql "SELECT COUNT(*) FROM interview_result_publications")" = "$nres" ] || { echo "FAIL: result publications"; exit 1; }
	stop
	echo "$tab $ta $tb $ta2 $rps $p50 $p99 $nsub $td_ $nsigned $nres $tp $td $tl $hwm $rps2 $p502 $p992 $tlday" >>"$work/runs"
done
[ "${BENCH_IV_ONLY_AB:-0}" = 1 ] && exit 0
read -r tab ta tb ta2 _ _ _ _ td_ nsigned nres tp td tl _ _ _ _ tlday < <(sort -g "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
read -r _ _ _ _ rps p50 p99 nsub _ < <(sort -g -k5 "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
hwm=$(awk '$15 > m {m = $15} END {print m}' "$work/runs")
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ rps2 p502 p992 < <(sort -g -k16 "$work/runs" | sed -n "$(((RUNS + 1) / 2))p")
echo "RESULT interview season, $(db_label), $NPOS positions, $want_cands interviewees, $NPANELS panels: shortlists and schedules $tab s (median of $RUNS: $(awk '{print $1}' "$work/runs" | paste -sd/ | sed 's#/# / #g') s; goal ≤ 5 s: $(awk -v t="$tab" 'BEGIN {print (t <= 5 ? "met" : "NOT met")}')) = shortlists $ta s + panels $tp s ($how) + days $td s; a day's lotteries $tlday s (drawn on the day; all $ndays days' $tl s); each list published one by one $ta2 s more"
echo "RESULT score submissions, $(db_label): median $rps/s, p50 $p50, p99 $p99 ($(awk '{print $5}' "$work/runs" | paste -sd/ | sed 's#/# / #g')/s; goal ≥ 2,000/s: $(awk -v t="$rps" 'BEGIN {print (t >= 2000 ? "met" : "NOT met")}'); wrk -t1 -c64 -d$DURATION, every answer 2xx)"
echo "RESULT score submissions, $(db_label), kaowu serve --threads $ALT: median $rps2/s, p50 $p502, p99 $p992 ($(awk '{print $16}' "$work/runs" | paste -sd/ | sed 's#/# / #g')/s)"
echo "RESULT results of the panels scored in full, $(db_label): $nsigned candidates signed off three times and $nres positions' results published in $td_ s (the median run's); server peak RSS $((hwm / 1024)) MiB (nproc $(nproc))"
echo "  load average at the end: $(loadavg)"
