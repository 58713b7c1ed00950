#!/usr/bin/env bash
# Admission tickets and door labels in bulk (issue 7): `kaowu tickets render` and `kaowu
# labels render` over a reproducible generated exam.
#   The exam: BENCH_TICKETS_N candidates (default 3,000; `kaowu generate candidates --seed 7`,
#   imported with `kaowu import registrations`) of a qualification exam with sittings 01 and
#   02, in BENCH_TICKETS_CENTRES centres (default 10) of rooms of 30, set up through the API
#   as agency staff would (t0028's way). Three shortcuts by SQL, because the import does not
#   take them and a few thousand candidates paying and uploading one by one through the API
#   would take longer than the bench: the exam area of every registration, a paid test
#   payment each, and each candidate's photo — one of the 16 synthetic JPEGs of `kaowu
#   generate photo` (360 × 480, ~23 KB; stored once each, as `kaowu generate` documents). So
#   the audit chain does not explain those rows; nothing here verifies it. Then seated and
#   published through the API.
#   The measure: from a copy of that database each time (no ticket issued yet), RUNS times
#   (default 3) with 1 and with 2 workers (BENCH_TICKETS_PER_WORKER documents each before a
#   worker is replaced, default 500): every ticket rendered, issued (stored and audited
#   through the writer) and written to a file; PDFs/s from the command's own clock, the
#   largest peak RSS of a worker, the peak RSS of the whole process tree (/usr/bin/time).
#   Then the door labels of every centre, RUNS times with 2 workers: pages/s.
# Each timed command holds /tmp/kw-bench.lock (machines shared with other sessions); the load
# average is printed with the figures. BENCH_TICKETS_CACHE=DIR keeps the seated exam's
# database in DIR (keyed by N and CENTRES; SQLite only) and starts from it when it is there,
# so that runs of different builds start from the same database. BENCH_KEEP=DIR keeps one
# ticket and one door label, as PDF and as PNG (pdftoppm -r 80), in DIR. SQLite; BENCH_PG=1
# for PostgreSQL. Builds the release build first unless KAOWU is given.
[ -n "${KAOWU:-}" ] || (cd "$(dirname "$0")/.." && make build >/dev/null)
. "$(dirname "$0")/lib.sh"
N=${BENCH_TICKETS_N:-3000}
CENTRES=${BENCH_TICKETS_CENTRES:-10}
K=${BENCH_TICKETS_PER_WORKER:-500}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "  load average at start: $(load) (nproc $(nproc)); the figures are only as quiet as the machine"
url=$(bench_url)
sql() {
	if [ -n "${KW_TEST_PG_URL:-}" ]; then psql "$url" -qtAX -v ON_ERROR_STOP=1 -c "$1"; else sqlite3 -batch "${url#sqlite:}" "$1"; fi
}
key="${BENCH_TICKETS_CACHE:-}/tickets-$N-$CENTRES"
if [ -n "${BENCH_TICKETS_CACHE:-}" ] && [ -z "${KW_TEST_PG_URL:-}" ] && [ -f "$key/bench.db" ]; then
	cp "$key"/bench.db* "$work/"
	echo "  set-up: the seated exam copied from $key"
else
	start "$url"
	KAOWU_USER_PASSWORD=bench-admin2-pass "$KAOWU" user add --db "$url" --username admin2 --display-name 第二管理员 --role admin >/dev/null
	tok() { curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' --data "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .token; }
	A=$(tok admin "$KAOWU_ADMIN_PASSWORD")
	A2=$(tok admin2 bench-admin2-pass)
	post() { curl -fsS "$BASE$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data "$3"; }
	root=$(sql "SELECT id FROM units WHERE parent_id IS NULL")
	unit() { post "$A" /api/v1/units "{\"code\":\"$1\",\"name\":\"$1 单位\",\"kind\":\"$2\",\"level\":\"$3\",\"parent\":$4}" | jq -r .id; }
	AH=$(unit AH provincial_authority provincial "$root")
	PTA=$(unit AH-PTA provincial_agency provincial "$AH")
	HF=$(unit AH-HF area_agency prefecture "$PTA")
	uid=$(post "$A" /api/v1/users '{"username":"agency","display_name":"考务人员","password":"agency-password-1"}' | jq -r .id)
	appr=$(post "$A" "/api/v1/users/$uid/roles" "{\"roles\":[{\"role\":\"agency_staff\",\"unit\":$PTA}]}" | jq -r .approval_id)
	post "$A2" "/api/v1/approvals/$appr/approve" '' >/dev/null
	AG=$(tok agency agency-password-1)
	rooms=$(((N + 29) / 30 / CENTRES + 1))
	{
		echo "centre_code,code,seats,mode,video,floor"
		for c in $(seq 1 "$CENTRES"); do
			code=$(printf 'HF-%02d' "$c")
			post "$A" /api/v1/centres "{\"unit_id\":$HF,\"code\":\"$code\",\"name\":\"合肥市第${c}中学\",\"address\":\"安徽省合肥市蜀山区长江西路${c}号\",\"admin_level\":\"prefecture\",\"kind\":\"entrance_exam_school\"}" >/dev/null
			for r in $(seq 1 "$rooms"); do echo "$code,$((100 * (1 + r / 10) + r % 10)),30,paper,1,$((1 + r / 10))"; done
		done
	} >"$work/rooms.csv"
	curl -fsS "$BASE/api/v1/rooms/import" -H "Authorization: Bearer $A" -H 'Content-Type: text/csv' --data-binary "@$work/rooms.csv" >/dev/null
	E=$(post "$A" /api/v1/exams "{\"unit_id\":$PTA,\"code\":\"BENCH27\",\"name\":\"2027年度经济专业技术资格考试\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"status\":\"published\",\"reg_opens_at\":\"2026-01-01T00:00:00+08:00\",\"reg_closes_at\":\"2027-05-01T00:00:00+08:00\",\"exam_date\":\"2027-06-01\",\"ref_date\":\"2027-06-01\",\"fee_approval\":\"皖发改收费〔2026〕8号\"}" | jq -r .id)
	post "$A" /api/v1/subjects "{\"exam_id\":$E,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T09:00:00+08:00\"}" >/dev/null
	post "$A" /api/v1/subjects "{\"exam_id\":$E,\"code\":\"02\",\"name\":\"专业知识和实务\",\"duration_minutes\":150,\"mode\":\"paper\",\"fee_cents\":5600,\"starts_at\":\"2027-06-01T14:00:00+08:00\"}" >/dev/null
	stop
	"$KAOWU" generate candidates --count "$N" --seed 7 --exam BENCH27 --subjects '01;02' >"$work/cands.csv"
	"$KAOWU" import registrations "$work/cands.csv" --db "$url" >/dev/null
	# the shortcuts: area, payment, photo (see the top)
	now=2026-11-20T00:00:00.000000Z
	sql "UPDATE registrations SET area_id = $HF WHERE exam_id = $E"
	sql "INSERT INTO payments (registration_id, candidate_id, idempotency_key, amount_cents, items, provider, status, paid_at, created_at, updated_at) SELECT id, candidate_id, 'bench-' || id, 11200, '[\"01\",\"02\"]', 'test', 'paid', '$now', '$now', '$now' FROM registrations WHERE exam_id = $E"
	for k in $(seq 0 15); do
		"$KAOWU" generate photo --pick "$k" >"$work/p$k.jpg"
		sha=$(sha256sum "$work/p$k.jpg" | cut -c1-64)
		hex=$(od -An -v -tx1 "$work/p$k.jpg" | tr -d ' \n')
		if [ -n "${KW_TEST_PG_URL:-}" ]; then blob="decode('$hex', 'hex')"; else blob="X'$hex'"; fi
		echo "INSERT INTO file_blobs (sha256, size, data, created_at) VALUES ('$sha', $(stat -c %s "$work/p$k.jpg"), $blob, '$now');" >"$work/blob.sql"
		if [ -n "${KW_TEST_PG_URL:-}" ]; then psql "$url" -qX -v ON_ERROR_STOP=1 -f "$work/blob.sql"; else sqlite3 "${url#sqlite:}" <"$work/blob.sql"; fi
		sql "INSERT INTO files (candidate_id, purpose, media_type, size, width, height, sha256, created_at) SELECT id, 'photo', 'image/jpeg', $(stat -c %s "$work/p$k.jpg"), 360, 480, '$sha', '$now' FROM candidates WHERE id % 16 = $k"
	done
	start "$url"
	AG=$(tok agency agency-password-1)
	run=$(post "$AG" "/api/v1/exams/$E/seating_runs" '{"rule":{"capacity":30}}' | jq -r .id)
	post "$AG" "/api/v1/seating_runs/$run/seat" '' | jq -r '"  seated: \(.status), \(.exam_rooms) exam rooms"'
	post "$AG" "/api/v1/seating_runs/$run/publish" '' >/dev/null
	stop
	if [ -n "${BENCH_TICKETS_CACHE:-}" ] && [ -z "${KW_TEST_PG_URL:-}" ]; then
		mkdir -p "$key"
		sqlite3 "${url#sqlite:}" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
		cp "$work"/bench.db* "$key/"
	fi
fi
run=$(sql "SELECT MAX(x.run_id) FROM exam_rooms x JOIN exams e ON e.id = x.exam_id WHERE e.code = 'BENCH27'")
seated=$(sql "SELECT COUNT(*) FROM seats WHERE run_id = $run")
xrooms=$(sql "SELECT COUNT(*) FROM exam_rooms WHERE run_id = $run")
echo "  exam BENCH27: $seated candidates seated in $xrooms exam rooms of $CENTRES centres; $(sql "SELECT COUNT(*) FROM files WHERE purpose = 'photo'") photos"

# fresh: a copy of the seated database, no ticket issued yet, as $copy
if [ -n "${KW_TEST_PG_URL:-}" ]; then
	fresh() {
		psql "$KW_TEST_PG_URL" -qXc "DROP DATABASE IF EXISTS kwbench_run" -c "CREATE DATABASE kwbench_run TEMPLATE kwbench" >/dev/null
		copy="${KW_TEST_PG_URL%/*}/kwbench_run"
	}
else
	fresh() {
		local db=${url#sqlite:}
		rm -f "$work/run.db"*
		cp "$db" "$work/run.db"
		for x in -wal .audit-key .audit-key.head; do [ ! -e "$db$x" ] || cp "$db$x" "$work/run.db$x"; done
		copy="sqlite:$work/run.db"
	}
fi
# med FILE COLUMN: the median over the runs
med() { awk -v c="$2" '{print $c}' "$1" | sort -g | sed -n "$(((RUNS + 1) / 2))p"; }
for w in 1 2; do
	: >"$work/t$w.runs"
	for i in $(seq "$RUNS"); do
		fresh
		rm -rf "$work/out"
		flock /tmp/kw-bench.lock /usr/bin/time -f '%M %e %U %S' "$KAOWU" tickets render --db "$copy" --exam BENCH27 --out "$work/out" \
			--workers "$w" --per-worker "$K" --json >"$work/r.json" 2>"$work/r.err" || { cat "$work/r.json" "$work/r.err"; exit 1; }
		read -r kb wall us ss < <(tail -1 "$work/r.err")
		# CPU of the whole process tree (parent, writer, zygote, workers) per ticket, ms
		cpu=$(jq -r --arg u "$us" --arg s "$ss" '(($u | tonumber) + ($s | tonumber)) * 1000 / .rendered' "$work/r.json")
		jq -r --arg kb "$kb" --arg cpu "$cpu" '"\(.rendered_per_second) \(.rendered) \(.written) \(.failed) \(.seconds) \(.worker_max_rss_kb) \(.workers_started) \($kb) \($cpu)"' "$work/r.json" >>"$work/t$w.runs"
		read -r rate rendered written failed secs wkb started _ _ < <(tail -1 "$work/t$w.runs")
		[ "$rendered" = "$seated" ] && [ "$failed" = 0 ] || { echo "FAIL: $rendered of $seated rendered, $failed failed"; cat "$work/r.json"; exit 1; }
		echo "  tickets, $w worker(s), run $i: $rendered rendered, issued and written in $secs s = $(printf %.1f "$rate") PDFs/s, CPU $(printf %.1f "$cpu") ms a ticket (process tree, user + sys); $started workers started; peak RSS a worker $((wkb / 1024)) MiB, process tree $((kb / 1024)) MiB; load $(load)"
		if [ -n "${BENCH_KEEP:-}" ] && [ "$w" = 2 ] && [ "$i" = 1 ]; then
			mkdir -p "$BENCH_KEEP"
			pdfs=("$work/out/HF-01/"*.pdf)
			f=${pdfs[0]}
			cp "$f" "$BENCH_KEEP/ticket.pdf"
			pdftoppm -r 80 -png -singlefile "$f" "$BENCH_KEEP/ticket"
		fi
	done
	echo "RESULT tickets $(db_label) $w worker(s): median $(printf %.1f "$(med "$work/t$w.runs" 1)") PDFs/s (runs $(awk '{printf "%s%.1f", (NR > 1 ? " / " : ""), $1}' "$work/t$w.runs")), $seated tickets rendered + issued + written each run, K=$K; median CPU $(printf %.1f "$(med "$work/t$w.runs" 9)") ms a ticket; largest peak RSS of a worker $(($(awk '$6 > m {m = $6} END {print m}' "$work/t$w.runs") / 1024)) MiB, process tree $(($(awk '$8 > m {m = $8} END {print m}' "$work/t$w.runs") / 1024)) MiB (nproc $(nproc))"
done
echo "  average PDF size: $(($(du -sb "$work/out" | cut -f1) / seated / 1024)) KiB"
: >"$work/d.runs"
for i in $(seq "$RUNS"); do
	rm -rf "$work/labels"
	flock /tmp/kw-bench.lock "$KAOWU" labels render --db "$url" --exam BENCH27 --out "$work/labels" --workers 2 --json >"$work/l.json" || { cat "$work/l.json"; exit 1; }
	jq -r '"\(.pages / .seconds) \(.pages) \(.written) \(.seconds) \(.worker_max_rss_kb)"' "$work/l.json" >>"$work/d.runs"
	read -r prate pages files secs wkb < <(tail -1 "$work/d.runs")
	echo "  door labels run $i: $pages pages in $files PDFs (one a centre) in $secs s = $(printf %.1f "$prate") pages/s; peak RSS a worker $((wkb / 1024)) MiB; load $(load)"
done
echo "RESULT door labels $(db_label) 2 workers: median $(printf %.1f "$(med "$work/d.runs" 1)") pages/s (runs $(awk '{printf "%s%.1f", (NR > 1 ? " / " : ""), $1}' "$work/d.runs")), $xrooms exam rooms in $CENTRES PDFs"
if [ -n "${BENCH_KEEP:-}" ]; then
	cp "$work/labels/HF-01/door-labels.pdf" "$BENCH_KEEP/door-labels.pdf"
	pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$work/labels/HF-01/door-labels.pdf" "$BENCH_KEEP/door-label"
	echo "  kept: $BENCH_KEEP/ticket.pdf, ticket.png, door-labels.pdf, door-label.png"
fi
echo "  load average at the end: $(load)"
