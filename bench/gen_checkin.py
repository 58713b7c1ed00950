#!/usr/bin/env python3
"""The data of bench/b_checkin.sh (issue 9, "Figures"): exam-day check-ins at national scale
and the command view. Python 3 standard library only; the same arguments give the same files.

  prep       into --outdir, the CSV files kaowu imports:
               units.csv        AREAS exam-area agencies under the exam's agency (--agency)
               centres.csv      CENTRES centres spread over the areas in turn
               rooms.csv        ROOMS rooms of 30 places: every centre 30 ± d rooms (pairs of
                                centres +d/-d, d drawn 0-10), so exactly 30 × CENTRES
               agreements.csv   every centre's agreement and safety-responsibility letter
               inspections.csv  every centre's inspection, passed (VEN-6)
               regs.csv         PER_ROOM × ROOMS registrations for subject 01, approved, each
                                with the exam area of the room it will sit in: the rows of
                                `kaowu generate candidates` (run here, --kaowu)
  seat-sql   the published seating run, its exam rooms and seats, one valid ticket version
             each, the proctors' staff records and the drawn proctor lottery — SQL for SQLite
             and PostgreSQL alike (see b_checkin.sh for why)
  pick       stdin: the seats ("reg|ticket|name|id_number|room|centre|centre code|user",
             ordered by registration): the wrk set (WRK candidates outside the sentinel
             centres, shuffled) and the sentinel set (every candidate of SENTINELS centres) as
             ticket_qr input, with their rooms and proctors
  requests   the check-in requests of wrk (user TAB path TAB body) and of the sentinel (user
             TAB path TAB body TAB centre TAB the centre's present count after it)
  watch      the command view's stream and the sentinel (see b_checkin.sh), JSON on stdout
  check      the check-ins stored against those wrk and the sentinel sent
"""
import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time

ROOM_SEATS = 30


def plan(seed, centres, areas):
    """[(area index, rooms)] a centre."""
    rng = random.Random(seed)
    out = []
    for i in range(0, centres, 2):
        d = rng.randint(0, 10)
        out.append((i % areas, ROOM_SEATS + d))
        if i + 1 < centres:
            out.append(((i + 1) % areas, ROOM_SEATS - d))
    return out


def area_code(agency, a):
    return "%s-A%03d" % (agency, a + 1)


def centre_code(agency, c):
    return "%s-C%05d" % (agency, c + 1)


def cmd_prep(a):
    cs = plan(a.seed, a.centres, a.areas)
    os.makedirs(a.outdir, exist_ok=True)
    w = lambda name: open(os.path.join(a.outdir, name), "w", encoding="utf-8", newline="\n")
    with w("units.csv") as f:
        f.write("code,name,kind,level,parent_code\n")
        for x in range(a.areas):
            f.write("%s,第%d考区,area_agency,prefecture,%s\n" % (area_code(a.agency, x), x + 1,
                                                            a.agency))
    room_area = []
    with w("centres.csv") as fc, w("rooms.csv") as fr, w("agreements.csv") as fa, \
            w("inspections.csv") as fi:
        fc.write("unit_code,code,name,address,admin_level,kind\n")
        fr.write("centre_code,code,seats,mode,floor\n")
        fa.write("centre_code,kind,signed_on,valid_until\n")
        fi.write("centre_code,inspected_on,inspector,result,sealed_environment\n")
        for c, (ar, nrooms) in enumerate(cs):
            code = centre_code(a.agency, c)
            fc.write("%s,%s,%s考点,%s路%d号,prefecture,entrance_exam_school\n"
                     % (area_code(a.agency, ar), code, code, area_code(a.agency, ar), c + 1))
            for k in range(nrooms):
                fl, nn = divmod(k, 10)
                fr.write("%s,%d%02d,%d,paper,%d\n" % (code, fl + 1, nn + 1, ROOM_SEATS, fl + 1))
                room_area.append(ar)
            fa.write("%s,agreement,2026-10-01,2030-12-31\n%s,safety_letter,2026-10-01,2030-12-31\n"
                     % (code, code))
            fi.write("%s,2026-10-15,考点检查组,passed,0\n" % code)
    n = len(room_area) * a.per_room
    gen = subprocess.Popen([a.kaowu, "generate", "candidates", "--count", str(n), "--seed",
                            str(a.seed), "--exam", a.exam, "--subjects", "01"],
                           stdout=subprocess.PIPE, encoding="utf-8")
    header = gen.stdout.readline().rstrip("\n")
    if not header.endswith(",exam_code,position_code,subjects,route,status"):
        sys.exit("gen_checkin: kaowu generate candidates gave another header")
    got = 0
    with w("regs.csv") as f:
        f.write(header + ",area\n")
        out = []
        for i, line in enumerate(gen.stdout):
            head = line.rstrip("\n").rsplit(",", 1)[0]
            out.append("%s,approved,%s\n" % (head, area_code(a.agency, room_area[i // a.per_room])))
            got += 1
            if len(out) == 50000:
                f.write("".join(out))
                out = []
        f.write("".join(out))
    if gen.wait() != 0 or got != n:
        sys.exit("gen_checkin: kaowu generate candidates failed")
    print("gen_checkin: %d exam areas, %d centres, %d rooms (%d-%d a centre), %d registrations"
          " (%d a room)" % (a.areas, len(cs), len(room_area), min(r for _, r in cs),
                            max(r for _, r in cs), n, a.per_room))


def cmd_seat_sql(a):
    """Everything below in one transaction. Rooms in the order of rooms.csv (centre code, room
    code), registrations in the order of regs.csv (id): registration i (from 1) sits in room
    (i - 1) / PER_ROOM + 1, seat (i - 1) % PER_ROOM + 1 — the area written in regs.csv is that
    room's (checked afterwards by b_checkin.sh)."""
    k = a.per_room
    now = a.now
    users = [int(u) for u in a.users.split(",")]
    q = []
    q.append("BEGIN;")
    q.append("CREATE TEMP TABLE xr AS SELECT ROW_NUMBER() OVER (ORDER BY c.code, m.code) AS idx,"
             " m.id AS room_id, m.centre_id AS centre_id, c.unit_id AS area_id,"
             " ROW_NUMBER() OVER (PARTITION BY m.centre_id ORDER BY m.code) AS number"
             " FROM rooms m JOIN centres c ON c.id = m.centre_id WHERE c.code LIKE '%s-C%%';"
             % a.agency)
    q.append("CREATE TEMP TABLE xg AS SELECT ROW_NUMBER() OVER (ORDER BY r.id) AS i, r.id AS"
             " reg_id FROM registrations r WHERE r.exam_id = %d;" % a.exam)
    q.append("INSERT INTO seating_runs (id, exam_id, status, rule, inputs_digest, candidates,"
             " rooms, commitment, seed, assignment_digest, exam_rooms, committed_at, seated_at,"
             " published_at, updated_at) SELECT %d, %d, 'published', '{\"capacity\":%d}', '%s',"
             " (SELECT COUNT(*) FROM xg), (SELECT COUNT(*) FROM xr), 'bench-sql', NULL, NULL,"
             " (SELECT COUNT(*) FROM xr), '%s', '%s', '%s', '%s';"
             % (a.run, a.exam, ROOM_SEATS, a.blob, now, now, now, now))
    q.append("INSERT INTO exam_rooms (id, run_id, exam_id, area_id, centre_id, room_id, number,"
             " subjects, sittings, seats_taken, accommodation, first_ticket, last_ticket,"
             " created_at) SELECT room_id, %d, %d, area_id, centre_id, room_id, number, '01', '1',"
             " %d, 0, '' || (%d + (idx - 1) * %d + 1), '' || (%d + idx * %d), '%s' FROM xr;"
             % (a.run, a.exam, k, a.ticket0, k, a.ticket0, k, now))
    q.append("INSERT INTO seats (id, run_id, registration_id, exam_room_id, seat_no, ticket_no,"
             " created_at, updated_at) SELECT g.reg_id, %d, g.reg_id, x.room_id,"
             " (g.i - 1) %% %d + 1, '' || (%d + g.i), '%s', '%s' FROM xg g JOIN xr x ON"
             " x.idx = (g.i - 1) / %d + 1;" % (a.run, k, a.ticket0, now, now, k))
    q.append("INSERT INTO tickets (id, registration_id, seat_id, ticket_no, version, kind, status,"
             " payload_digest, pdf_sha256, issued_at, updated_at) SELECT s.id, s.registration_id,"
             " s.id, s.ticket_no, 1, 'self_print', 'valid', 'bench-sql', '%s', '%s', '%s' FROM"
             " seats s WHERE s.run_id = %d;" % (a.blob, now, now, a.run))
    cases = " ".join("WHEN %d THEN %d" % (j, u) for j, u in enumerate(users))
    q.append("INSERT INTO staff (id, unit_id, code, name, post, employment, user_id, status,"
             " created_at, updated_at) SELECT %d + idx, area_id, 'CIP' || idx, '监考员' || idx,"
             " 'proctor', 'part_time', CASE (idx - 1) %% %d %s END, 'active', '%s', '%s' FROM xr;"
             % (a.staff0, len(users), cases, now, now))
    q.append("INSERT INTO proctor_draws (id, exam_id, run_id, sitting, status, rule,"
             " inputs_digest, commitment, seed, result_digest, excluded, committed_at, drawn_at,"
             " updated_at) VALUES (%d, %d, %d, 0, 'drawn', '{}', 'bench-sql', 'bench-sql', NULL,"
             " NULL, '[]', '%s', '%s', '%s');" % (a.draw, a.exam, a.run, now, now, now))
    q.append("INSERT INTO proctor_assignments (id, draw_id, staff_id, centre_id, exam_room_id,"
             " floor, duty, created_at) SELECT idx, %d, %d + idx, centre_id, room_id, NULL,"
             " 'proctor', '%s' FROM xr;" % (a.draw, a.staff0, now))
    q.append("DROP TABLE xr;")
    q.append("DROP TABLE xg;")
    q.append("COMMIT;")
    print("\n".join(q))


def cmd_pick(a):
    rng = random.Random(a.seed * 31 + 9)
    rows = [l.rstrip("\n").split("|") for l in sys.stdin]
    centres = sorted(set(r[5] for r in rows), key=int)
    sent = set(rng.sample(centres, a.sentinels))
    wrk = [r for r in rows if r[5] not in sent]
    rng.shuffle(wrk)
    wrk = wrk[:a.wrk]
    sen = [r for r in rows if r[5] in sent]
    # the sentinel takes its centres in turn, one candidate at a time
    by = {}
    for r in sen:
        by.setdefault(r[5], []).append(r)
    order = []
    keys = sorted(by, key=int)
    for j in range(max(len(v) for v in by.values())):
        for c in keys:
            if j < len(by[c]):
                order.append(by[c][j])
    with open(a.out + ".sign", "w", encoding="utf-8") as f:
        for r in wrk + order:
            f.write("%s\t%s\t%s\t%s\n" % (r[0], r[1], r[2], r[3]))
    with open(a.out + ".meta", "w", encoding="utf-8") as f:
        for tag, rs in (("w", wrk), ("s", order)):
            for r in rs:
                f.write("%s\t%s\t%s\t%s\t%s\t%s\n" % (tag, r[0], r[4], r[5], r[6], r[7]))
    print("gen_checkin: %d candidates for wrk (of %d seated), %d for the sentinel in %d centres"
          % (len(wrk), len(rows), len(order), len(keys)))


def cmd_requests(a):
    pay = {}
    with open(a.signed, encoding="utf-8") as f:
        for line in f:
            reg, p, _d = line.rstrip("\n").split("\t")
            pay[reg] = p
    path = "/api/v1/exams/%d/sittings/01/checkins" % a.exam
    present = {}
    with open(a.meta, encoding="utf-8") as f, open(a.out + ".wrk", "w", encoding="utf-8") as fw, \
            open(a.out + ".sentinel", "w", encoding="utf-8") as fs:
        for line in f:
            tag, reg, room, centre, _code, user = line.rstrip("\n").split("\t")
            body = json.dumps({"payload": pay[reg], "room_id": int(room), "id_checked": True},
                              separators=(",", ":"))
            if tag == "w":
                fw.write("%s\t%s\t%s\n" % (user, path, body))
            else:
                present[centre] = present.get(centre, 0) + 1
                fs.write("%s\t%s\t%s\t%s\t%d\n" % (user, path, body, centre, present[centre]))


# ---- watch: the stream and the sentinel ----

def pct(v, p):
    if not v:
        return None
    s = sorted(v)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


class Stream(threading.Thread):
    """GET …/command/stream held open: the time its snapshot event is whole, then for every
    "centres" event the arrival time of each row's present count."""

    def __init__(self, host, port, path, token):
        super().__init__(daemon=True)
        self.sock = socket.create_connection((host, port))
        self.t0 = time.monotonic()
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                           "Accept: text/event-stream\r\n\r\n" % (path, host, port, token))
                          .encode())
        self.snapshot_s = None
        self.snapshot_bytes = 0
        self.snapshot = None
        self.events = 0
        self.seen = {}  # (centre id, present) → first arrival (monotonic)
        self.last = {}  # centre id → the highest present count seen
        self.cv = threading.Condition()
        self.error = None

    def run(self):
        buf = b""
        headers_done = False
        chunked = False
        raw = b""
        try:
            while True:
                d = self.sock.recv(1 << 20)
                if not d:
                    break
                now = time.monotonic()
                raw += d
                if not headers_done:
                    i = raw.find(b"\r\n\r\n")
                    if i < 0:
                        continue
                    head = raw[:i].decode("latin-1")
                    if " 200 " not in head.split("\r\n")[0]:
                        self.error = head.split("\r\n")[0]
                        break
                    chunked = "chunked" in head.lower()
                    raw = raw[i + 4:]
                    headers_done = True
                if chunked:
                    while True:
                        j = raw.find(b"\r\n")
                        if j < 0:
                            break
                        size = int(raw[:j].split(b";")[0], 16)
                        if len(raw) < j + 2 + size + 2:
                            break
                        buf += raw[j + 2:j + 2 + size]
                        raw = raw[j + 2 + size + 2:]
                else:
                    buf += raw
                    raw = b""
                while True:
                    k = buf.find(b"\n\n")
                    if k < 0:
                        break
                    ev, buf = buf[:k], buf[k + 2:]
                    self.event(ev, now)
        except OSError as e:
            self.error = str(e)

    def event(self, ev, now):
        name, data = None, None
        for line in ev.split(b"\n"):
            if line.startswith(b"event: "):
                name = line[7:].decode()
            elif line.startswith(b"data: "):
                data = line[6:]
        if name is None or data is None:
            return
        doc = json.loads(data)
        with self.cv:
            if name == "snapshot":
                self.snapshot_s = now - self.t0
                self.snapshot_bytes = len(data)
                self.snapshot = doc
            else:
                self.events += 1
            # a row carries the centre's count now: every count up to it has arrived (two
            # check-ins between ticks come as one row)
            for c in doc.get("centres", []):
                last = self.last.get(c["id"], 0 if name != "snapshot" else c["present"])
                for p in range(last + 1, c["present"] + 1):
                    self.seen.setdefault((c["id"], p), now)
                self.last[c["id"]] = max(last, c["present"])
            self.cv.notify_all()


def cmd_watch(a):
    host, port = a.base.split("//")[1].split(":")
    port = int(port)
    st = Stream(host, port, "/api/v1/exams/%d/sittings/01/command/stream" % a.exam, a.viewer)
    st.start()
    with st.cv:
        st.cv.wait_for(lambda: st.snapshot is not None or st.error, timeout=600)
    if st.error or st.snapshot is None:
        sys.exit("gen_checkin watch: the stream: %s" % (st.error or "no snapshot in 600 s"))
    snap = st.snapshot
    tokens = dict(l.rstrip("\n").split("\t") for l in open(a.tokens, encoding="utf-8"))
    sen = [l.rstrip("\n").split("\t") for l in open(a.sentinel, encoding="utf-8")]
    out = {"snapshot_s": round(st.snapshot_s, 3), "snapshot_bytes": st.snapshot_bytes,
           "centres": len(snap["centres"]), "rooms": sum(c["rooms"] for c in snap["centres"]),
           "seated": sum(c["seated"] for c in snap["centres"]),
           "present_at_open": sum(c["present"] for c in snap["centres"])}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    # wait for the go (b_checkin.sh starts wrk, then touches the file)
    give_up = time.monotonic() + 300
    while not os.path.exists(a.go):
        if time.monotonic() > give_up:
            sys.exit("gen_checkin watch: no go in 300 s")
        time.sleep(0.01)
    t_end = time.monotonic() + a.seconds
    lat, req, lost, sent = [], [], 0, 0
    pending = []
    i = 0
    nxt = time.monotonic()
    while time.monotonic() < t_end and i < len(sen):
        user, path, body, centre, present = sen[i]
        i += 1
        s = socket.create_connection((host, port))
        t0 = time.monotonic()
        s.sendall(("POST %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close"
                   "\r\n\r\n%s" % (path, host, port, tokens[user], len(body.encode()), body))
                  .encode())
        resp = b""
        while True:  # the whole answer: the server closes after it
            d = s.recv(65536)
            if not d:
                break
            resp += d
        t1 = time.monotonic()
        s.close()
        code = resp.split(b" ", 2)[1].decode() if resp else "none"
        if code != "201":
            sys.exit("gen_checkin watch: the sentinel's check-in got %s: %s"
                     % (code, resp[-600:].decode("utf-8", "replace")))
        sent += 1
        req.append(t1 - t0)
        pending.append((int(centre), int(present), t1))
        # collect what has arrived; keep the rest for later
        still = []
        with st.cv:
            for c, p, t in pending:
                if (c, p) in st.seen:
                    lat.append(max(0.0, st.seen[(c, p)] - t))
                else:
                    still.append((c, p, t))
        pending = still
        nxt += a.every
        d = nxt - time.monotonic()
        if d > 0:
            time.sleep(d)
    deadline = time.monotonic() + 10
    while pending and time.monotonic() < deadline:
        still = []
        with st.cv:
            for c, p, t in pending:
                if (c, p) in st.seen:
                    lat.append(max(0.0, st.seen[(c, p)] - t))
                else:
                    still.append((c, p, t))
        pending = still
        time.sleep(0.01)
    lost = len(pending)
    out = {"sentinel_sent": sent, "events": st.events, "seen": len(lat), "lost_after_10s": lost,
           "lat_p50_ms": round(1000 * pct(lat, 50), 1) if lat else None,
           "lat_p99_ms": round(1000 * pct(lat, 99), 1) if lat else None,
           "lat_max_ms": round(1000 * max(lat), 1) if lat else None,
           "lat_over_2s": sum(1 for x in lat if x > 2.0),
           "req_p50_ms": round(1000 * pct(req, 50), 1) if req else None,
           "req_p99_ms": round(1000 * pct(req, 99), 1) if req else None}
    sys.stdout.write(json.dumps(out) + "\n")


def cmd_check(a):
    """stdin: "registration id" of every check-in stored; --sent how many lines of wrk's file
    were handed out, --ok how many got 201; --sentinel how many of the sentinel's got 201."""
    stored = set(l.strip() for l in sys.stdin if l.strip())
    want = []
    with open(a.meta, encoding="utf-8") as f:
        for line in f:
            t = line.split("\t")
            want.append((t[0], t[1]))
    w = [r for t, r in want if t == "w"][:a.sent]
    s = [r for t, r in want if t == "s"][:a.sentinel]
    inw = sum(1 for r in w if r in stored)
    ins = sum(1 for r in s if r in stored)
    other = len(stored) - inw - ins
    ok = a.ok <= inw <= len(w) and ins == a.sentinel and other == 0
    print("  check: %d check-ins stored: the sentinel's %d (%d answered 201) and %d of wrk's — %d"
          " answered 201, %d more still in flight when wrk stopped — of the %d wrk handed out;"
          " %d of no request: %s" % (len(stored), ins, a.sentinel, inw, a.ok, inw - a.ok, len(w),
                                     other, "yes" if ok else "NO"))
    sys.exit(0 if ok else 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--centres", type=int, default=10000)
    p.add_argument("--areas", type=int, default=300)
    p.add_argument("--per-room", type=int, default=3)
    p.add_argument("--exam", required=True)
    p.add_argument("--agency", required=True)
    p.add_argument("--kaowu", required=True)
    p.add_argument("--outdir", required=True)
    p = sub.add_parser("seat-sql")
    for n in ("exam", "run", "draw", "staff0", "ticket0", "per-room"):
        p.add_argument("--" + n, type=int, required=True)
    for n in ("agency", "users", "blob", "now"):
        p.add_argument("--" + n, required=True)
    p = sub.add_parser("pick")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--wrk", type=int, required=True)
    p.add_argument("--sentinels", type=int, required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("requests")
    p.add_argument("--exam", type=int, required=True)
    p.add_argument("--signed", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("watch")
    p.add_argument("--base", required=True)
    p.add_argument("--exam", type=int, required=True)
    p.add_argument("--viewer", required=True)
    p.add_argument("--tokens", required=True)
    p.add_argument("--sentinel", required=True)
    p.add_argument("--go", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--every", type=float, default=0.2)
    p = sub.add_parser("check")
    p.add_argument("--meta", required=True)
    p.add_argument("--sent", type=int, required=True)
    p.add_argument("--ok", type=int, required=True)
    p.add_argument("--sentinel", type=int, required=True)
    a = ap.parse_args()
    {"prep": cmd_prep, "seat-sql": cmd_seat_sql, "pick": cmd_pick, "requests": cmd_requests,
     "watch": cmd_watch, "check": cmd_check}[a.cmd](a)


if __name__ == "__main__":
    main()
