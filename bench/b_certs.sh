#!/usr/bin/env bash
# Certificate verifications (issue 10, Figures: "certificate verifications"; GRD-10): the
# public verification of an electronic certificate by its number and the holder's name, and
# offline-style by the QR's signed payload, at national scale.
#
# Preparation (SQLite, timed where staff would wait): the published database of
# bench/b_lookup.sh (3,000,000 registrations, both subjects scored, cross-checked and
# published; made once with BENCH_KEEP_PUBLISHED=1 BENCH_PREPARE_ONLY=1 when missing, kept in
# BENCH_SCORE_CACHE) copied fresh; then as agency staff would through the API: pass
# standards (BENCH_CERT_CUT, default 100 points, for both subjects), a qualified list drawn by
# `seater` (agency staff) and confirmed by `checker` (the authority officer: maker-checker,
# INF-4) — the confirmation issues every qualified candidate's certificate, signed (Ed25519),
# in one transaction: its time and the server's peak RSS are printed.
#
# Measured: POST /api/v1/public/certificates/verify against `kaowu serve` (release build) with
# KAOWU_LOOKUP_ADDRESS_RATE=0 — THE PER-ADDRESS LIMIT IS OFF (wrk is one address) — each
# request a random one of BENCH_CERT_SAMPLE (default 1,000,000) issued certificates: first
# {number, name} (a database read by the unique number), then {payload} (the signature checked,
# then the same read: revocation must be seen). Every answer should be 200 {valid: true}
# (bench/lookup.lua with BENCH_PATH; 1,000 answers checked for valid = true before the runs).
# RUNS runs (default 3) of wrk -t1 -c64 -dDURATION --latency each; the median by requests/s.
#
# BENCH_PG=1: the same on PostgreSQL. The verification reads only certificates and exams, so
# a fresh `kaowu init` database gets exactly those rows copied from the SQLite run, by SQL
# behind the program's back, with the certificates' foreign keys to registrations,
# candidates, qualified lists and approvals DROPPED first (those tables are not copied: 3 M
# registrations for nothing the verification reads) — said here, and printed.
. "$(dirname "$0")/lib.sh"
N=${BENCH_SEAT_N:-3000000}
M=${BENCH_SEAT_ROOMS:-100000}
ITEMS=${BENCH_SCORE_ITEMS:-150}
CACHE=${BENCH_SCORE_CACHE:-$HOME/.cache/kaowu-bench}
CUT=${BENCH_CERT_CUT:-100}
SAMPLE=${BENCH_CERT_SAMPLE:-1000000}
published="$CACHE/published-$N-$M-$ITEMS"
certs="$CACHE/certs-$N-$M-$ITEMS-$CUT"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
serve_on() {
	rm -f "$work/port"
	KAOWU_LOOKUP_ADDRESS_RATE=0 "$KAOWU" serve --db "$1" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log 2>>"$work/serve.log" &
	pid=$!
	for _ in $(seq 400); do [ -s "$work/port" ] && break; sleep 0.05; done
	[ -s "$work/port" ] || { echo "FAIL: the server did not start"; tail -5 "$work/serve.log"; exit 1; }
	BASE="http://127.0.0.1:$(cat "$work/port")"
}
call() {
	local t=$1 m=$2 p=$3 opt=()
	shift 3
	[ -n "$t" ] && opt+=(-H "Authorization: Bearer $t")
	[ $# -ge 1 ] && opt+=(-H 'Content-Type: application/json' --data "$1")
	read -r STATUS T_CALL < <(curl -sS -o "$work/body" -w '%{http_code} %{time_total}\n' -X "$m" "${opt[@]}" "$BASE$p")
}
must() { [ "$STATUS" = "$1" ] || { echo "FAIL: HTTP $STATUS, expected $1: $(head -c 600 "$work/body")"; exit 1; }; }
login() {
	curl -fsS "$BASE/api/v1/session" -H 'Content-Type: application/json' \
		--data "$(jq -nc --arg u "$1" --arg p "$2" '{username:$u,password:$p}')" | jq -r .token
}

# ---- issuing, on SQLite (cached with the certificates' rows for PostgreSQL) ----
issue() {
	if [ ! -f "$published/bench.db" ]; then
		echo "  preparing the published database (once; bench/b_lookup.sh's preparation) …"
		env -u KW_TEST_PG_URL BENCH_PG=0 BENCH_KEEP_PUBLISHED=1 BENCH_PREPARE_ONLY=1 BENCH_SCORE_CACHE="$CACHE" KAOWU="$KAOWU" \
			bash bench/b_lookup.sh | sed 's/^/  [lookup] /'
	fi
	local db="$work/bench.db" url="sqlite:$work/bench.db"
	rm -f "$work"/bench.db*
	cp "$published"/bench.db* "$work/"
	sync
	: >"$work/serve.log"
	serve_on "$url"
	local S C exam l0 rss
	S=$(login seater seater-bench-pass)
	C=$(login checker checker-bench-pass)
	exam=$(sqlite3 -batch "$db" "SELECT id FROM exams WHERE code = 'SEATDB'")
	call "$S" POST "/api/v1/exams/$exam/pass_standards" "{\"subjects\":{\"01\":$CUT,\"02\":$CUT}}"
	must 200
	l0=$(loadavg)
	call "$S" POST "/api/v1/exams/$exam/qualified_lists"
	must 202
	local draw=$T_CALL qualified withheld ap
	qualified=$(jq -r .qualified "$work/body")
	withheld=$(jq -r .withheld "$work/body")
	ap=$(jq -r .approval_id "$work/body")
	call "$C" POST "/api/v1/approvals/$ap/approve"
	must 200
	local confirm=$T_CALL issued
	rss=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
	stop
	issued=$(sqlite3 -batch "$db" "SELECT COUNT(*) FROM certificates WHERE status = 'valid'")
	[ "$issued" -gt 0 ] || { echo "FAIL: no certificate issued"; exit 1; }
	echo "  issuing (load average $l0 before, $(loadavg) after): pass standards $CUT/$CUT; the qualified list drawn by seater in $draw s ($qualified qualified, $withheld withheld); confirmed by checker in $confirm s, issuing $issued signed certificates in one transaction; server peak RSS $((rss / 1024)) MiB"
	echo "RESULT certificates issued, SQLite: $issued in $confirm s (the confirmation, one transaction; peak RSS $((rss / 1024)) MiB) (nproc $(nproc))"
	rm -rf "$certs.tmp"
	mkdir -p "$certs.tmp"
	sqlite3 -batch -separator $'\t' "$db" "SELECT number, name, payload FROM certificates WHERE status = 'valid'" >"$certs.tmp/triples.tsv"
	local unit
	unit=$(sqlite3 -batch "$db" "SELECT unit_id FROM exams WHERE id = $exam")
	xp() { sqlite3 -batch -csv -header "$db" "SELECT * FROM $1 WHERE $2 ORDER BY id" >"$certs.tmp/$1.csv"; }
	xp units "parent_id IS NOT NULL AND (id = $unit OR id IN (WITH RECURSIVE up(id) AS (SELECT parent_id FROM units WHERE id = $unit UNION SELECT u.parent_id FROM units u JOIN up ON u.id = up.id) SELECT id FROM up))"
	xp exams "id = $exam"
	xp certificates "exam_id = $exam"
	rm -rf "$certs"
	mv "$certs.tmp" "$certs"
	URL=$url
}

# ---- the verifications ----
verifications() {
	local url=$1 label=$2
	: >"$work/serve.log"
	serve_on "$url"
	shuf -n "$SAMPLE" "$certs/triples.tsv" >"$work/sample.tsv"
	python3 - "$work/sample.tsv" "$work/by-number.jsonl" "$work/by-payload.jsonl" <<'PY'
import json, sys
src, a, b = sys.argv[1:]
with open(src, encoding="utf-8") as f, open(a, "w", encoding="utf-8") as fa, open(b, "w", encoding="utf-8") as fb:
    for l in f:
        num, name, payload = l.rstrip("\n").split("\t")
        fa.write(json.dumps({"number": num, "name": name}, ensure_ascii=False, separators=(",", ":")) + "\n")
        fb.write(json.dumps({"payload": payload}, separators=(",", ":")) + "\n")
PY
	# 1,000 answers checked first (valid, the right number), by each way
	local kind
	for kind in by-number by-payload; do
		python3 - "$BASE" "$work/$kind.jsonl" <<'PY' || exit 1
import json, random, sys, urllib.request
base, bodies = sys.argv[1:]
lines = open(bodies, encoding="utf-8").read().splitlines()
bad = 0
for l in random.sample(lines, min(1000, len(lines))):
    req = urllib.request.Request(base + "/api/v1/public/certificates/verify", data=l.encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        got = json.load(urllib.request.urlopen(req))
    except Exception:
        bad += 1
        continue
    want = json.loads(l).get("number")
    bad += not (got.get("valid") is True and (want is None or got.get("number") == want))
if bad:
    print("FAIL: %d of 1000 verifications not valid" % bad)
sys.exit(1 if bad else 0)
PY
	done
	echo "  $label: 1,000 random verifications by number and name, and 1,000 by payload, answered valid with the right number"
	export BENCH_PATH=/api/v1/public/certificates/verify BENCH_EXAM=0
	for kind in by-number by-payload; do
		BENCH_BODIES="$work/$kind.jsonl" runs "certificate verifications $kind, $(db_label)" -s bench/lookup.lua "$BASE"
		if grep -q "Non-2xx\|Socket errors" "$work"/wrk.*; then echo "FAIL: non-2xx answers or socket errors"; grep -h "Non-2xx\|Socket" "$work"/wrk.*; exit 1; fi
	done
	echo "  server peak RSS $(($(awk '/^VmHWM/ {print $2}' "/proc/$pid/status") / 1024)) MiB; load average $(loadavg)"
	stop
}

echo "  load average at start: $(loadavg) (nproc $(nproc)); $(db_label)"
if [ -z "${KW_TEST_PG_URL:-}" ]; then
	issue
	verifications "$URL" "SQLite"
else
	if [ -f "$certs/triples.tsv" ]; then
		echo "  the certificates from the cached export $certs (made by the SQLite run)"
	else
		issue
		rm -f "$work"/bench.db*
	fi
	pg=$(bench_url)
	"$KAOWU" init --db "$pg" >/dev/null
	for fk in $(psql "$pg" -qtAX -c "SELECT conname FROM pg_constraint WHERE conrelid = 'certificates'::regclass AND contype = 'f' AND confrelid <> 'exams'::regclass"); do
		psql "$pg" -qX -v ON_ERROR_STOP=1 -c "ALTER TABLE certificates DROP CONSTRAINT $fk"
	done
	for t in units exams certificates; do
		psql "$pg" -qX -v ON_ERROR_STOP=1 -c "\\copy $t ($(head -1 "$certs/$t.csv")) FROM '$certs/$t.csv' WITH (FORMAT csv, HEADER true)"
		psql "$pg" -qtAX -v ON_ERROR_STOP=1 -c "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT MAX(id) FROM $t))" >/dev/null
	done
	psql "$pg" -qX -v ON_ERROR_STOP=1 -c "VACUUM ANALYZE" -c "CHECKPOINT"
	echo "  copied into PostgreSQL (the certificates' foreign keys other than to exams dropped): $(for t in units exams certificates; do printf '%s %s, ' "$t" "$(psql "$pg" -qtAX -c "SELECT COUNT(*) FROM $t")"; done)"
	verifications "$pg" "PostgreSQL"
fi
echo "  load average at the end: $(loadavg)"
