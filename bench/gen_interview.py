#!/usr/bin/env python3
"""The data of bench/b_interview.sh (issue 12, "Figures"): a national interview season.
Python 3 standard library only; the same arguments give the same files byte for byte.

  prep       the season's plan and the CSV files kaowu imports, into --outdir:
               units.csv      AREAS exam-area agencies under the exam's agency (--agency) and
                              RECRUITERS recruiting agencies under the authority (--authority)
               centres.csv, rooms.csv   the areas' centres and rooms of 30 seats (the seating
                              needs ⌈candidates / 30⌉ rooms an area; 8 % spare)
               positions.csv  POSITIONS positions, RECRUITERS' blocks of POSITIONS/RECRUITERS;
                              quota and interview ratio: 86 % 1 and 3:1, 4 % 2 and 3:1, 4 %
                              1 and 5:1, 3 % 1 and 4:1, 3 % 1 with no ratio (the default 3:1)
               regs.csv       the registrations (`kaowu import registrations`): the rows of
                              `kaowu generate candidates --exam EXAM` (run here, --kaowu) with
                              each row's position and exam area drawn here, approved
               truth.tsv      per candidate: id_number, position, area, correct answers in
                              subject 01 (of 100 × 1 point) and 02 (of 40 × 2.5 points), -1
                              for a missing sheet (3 % miss both, 0.5 % miss 02)
               expect.tsv     the shortlists as they must come out (computed here, alone):
                              id_number, position, written (hundredths), place, state
               key-01.json, key-02.json  the answer keys (form A, single choice, 4 options)
               staff.csv, trainings.csv  the examiner pool: PANELS panels of 7 examiners
                              (chief, deputy, 5 examiners; post examiner, trained and
                              assessed) + supervisor + scorer + timer, staff of the areas
               panels.tsv     panel code, day index, position codes, member codes by duty
             The applicants of a position: its target (⌈quota × a / b⌉) plus 0-8 more (mean
             about 3), except 8 % of the positions, which get 1-2 fewer than their target.
  accounts-sql   the panels' accounts (SQL, behind the program's back: see b_interview.sh)
  answers    the scanner CSV (ticket_no, subject, form, answers) from "ticket|id_number" lines
  check-shortlists   "id_number|position|written|place|state" lines against expect.tsv
  requests   curl config (-K) of a wave of staff requests (panels, days, draws, sign-offs…)
  scores     the examiners' score submissions (wrk: token TAB path TAB body a line)
  check-scores, check-composites   the stored scores and composites against the inputs
"""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys

SEATS = 30
DAY0 = (2027, 1, 4)
DIMS = [("综合分析", 4000), ("言语表达", 3000), ("应变能力", 3000)]  # hundredths; weight 100
EXAMINERS = 7


def ceil_div(a, b):
    return -(-a // b)


def plan_positions(rng, npos, nrec):
    """[(code, recruiter index, quota, ratio, target, applicants)]"""
    out = []
    per = ceil_div(npos, nrec)
    for p in range(npos):
        r = p // per
        u = rng.random()
        if u < 0.86:
            q, ratio = 1, "3:1"
        elif u < 0.90:
            q, ratio = 2, "3:1"
        elif u < 0.94:
            q, ratio = 1, "5:1"
        elif u < 0.97:
            q, ratio = 1, "4:1"
        else:
            q, ratio = 1, ""
        a, b = (int(x) for x in (ratio or "3:1").split(":"))
        target = ceil_div(q * a, b)
        if rng.random() < 0.08:
            n = max(1, target - rng.randint(1, 2))
        else:
            n = target + rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8])
        out.append(("%04d%02d" % (r + 1, p % per + 1), r, q, ratio, target, n))
    return out


def day_name(d):
    import datetime
    return (datetime.date(*DAY0) + datetime.timedelta(days=d)).isoformat()


def panels_plan(positions, npanels, per_day):
    """Each recruiter's positions split over its panels (consecutive): [(code, day, [pos])]."""
    byrec = {}
    for p in positions:
        byrec.setdefault(p[1], []).append(p[0])
    recs = sorted(byrec)
    if npanels % len(recs):
        sys.exit("gen_interview: --panels must be a multiple of --recruiters")
    k = npanels // len(recs)
    out = []
    for r in recs:
        codes = byrec[r]
        for j in range(k):
            part = codes[len(codes) * j // k:len(codes) * (j + 1) // k]
            n = len(out)
            out.append(("P%04d" % (n + 1), n // per_day, part))
    return out


def members(panel_code):
    n = panel_code[1:]
    m = [("K%s%d" % (n, j), "chief" if j == 1 else "deputy" if j == 2 else "examiner")
         for j in range(1, EXAMINERS + 1)]
    return m + [("S" + n, "supervisor"), ("C" + n, "scorer"), ("T" + n, "timer")]


def token_of(seed, username):
    return hashlib.blake2b(("kw-bench-iv:%d:%s" % (seed, username)).encode(),
                           digest_size=32).hexdigest()


def shortlist(cands, target, minimum):
    """cands [(key, written)] → {key: (place, state)}: core/interview.c's rule, again."""
    order = sorted(range(len(cands)), key=lambda i: (-cands[i][1], i))
    out, admitted, cut, prev = {}, 0, None, None
    for k, i in enumerate(order):
        w = cands[i][1]
        place = prev[0] if prev is not None and prev[1] == w else k + 1
        prev = (place, w)
        if minimum >= 0 and w < minimum:
            st = "below_min"
        elif admitted < target or (admitted and w == cut):
            st, cut = "admitted", w
            admitted += 1
        else:
            st = "waiting"
        out[cands[i][0]] = (place, st)
    return out


def cmd_prep(a):
    rng = random.Random(a.seed)
    pos = plan_positions(rng, a.positions, a.recruiters)
    ncand = sum(p[5] for p in pos)
    slots = [i for i, p in enumerate(pos) for _ in range(p[5])]
    rng.shuffle(slots)
    areas = ["%s-A%02d" % (a.agency, x + 1) for x in range(a.areas)]
    area_of = [rng.randrange(a.areas) for _ in range(ncand)]
    os.makedirs(a.outdir, exist_ok=True)
    w = lambda name: open(os.path.join(a.outdir, name), "w", encoding="utf-8", newline="\n")
    with w("units.csv") as f:
        f.write("code,name,kind,level,parent_code\n")
        for x, code in enumerate(areas):
            f.write("%s,第%d考区,area_agency,prefecture,%s\n" % (code, x + 1, a.agency))
        for r in range(a.recruiters):
            f.write("%04d,招录机关%04d,recruiter,provincial,%s\n" % (r + 1, r + 1, a.authority))
    per_area = [0] * a.areas
    for x in area_of:
        per_area[x] += 1
    nrooms = 0
    with w("centres.csv") as fc, w("rooms.csv") as fr:
        fc.write("unit_code,code,name,address,admin_level,kind\n")
        fr.write("centre_code,code,seats,mode,floor\n")
        for x, code in enumerate(areas):
            need = ceil_div(ceil_div(per_area[x], SEATS) * 108, 100)
            for c in range(ceil_div(need, 40)):
                centre = "%s-C%02d" % (code, c + 1)
                fc.write("%s,%s,%s考点,%s路%d号,prefecture,entrance_exam_school\n"
                         % (code, centre, centre, code, c + 1))
                for k in range(min(40, need - 40 * c)):
                    fl, nn = divmod(k, 10)
                    fr.write("%s,%d%02d,%d,paper,%d\n" % (centre, fl + 1, nn + 1, SEATS, fl + 1))
                    nrooms += 1
    with w("positions.csv") as f:
        f.write("exam_code,recruiter_code,code,name,category,quota,interview_ratio\n")
        for code, r, q, ratio, _t, _n in pos:
            f.write("%s,%04d,%s,职位%s,general,%d,%s\n" % (a.exam, r + 1, code, code, q, ratio))
    for n, ch in (("01", 100), ("02", 40)):
        items = [{"kind": "single", "options": 4, "key": "ABCD"[rng.randrange(4)],
                  "points": 1 if n == "01" else 2.5} for _ in range(ch)]
        with w("key-%s.json" % n) as f:
            json.dump({"form": "A", "master": True, "items": items}, f, ensure_ascii=False)
    # the candidates: kaowu's own generator, each row's position, area and status set here
    gen = subprocess.Popen([a.kaowu, "generate", "candidates", "--count", str(ncand), "--seed",
                            str(a.seed), "--exam", a.exam, "--positions", "000000"],
                           stdout=subprocess.PIPE, encoding="utf-8")
    header = gen.stdout.readline().rstrip("\n")
    if not header.endswith(",exam_code,position_code,subjects,route,status"):
        sys.exit("gen_interview: kaowu generate candidates gave another header")
    truth, bypos = [], {}
    with w("regs.csv") as f:
        f.write(header + ",area\n")
        out = []
        for i, line in enumerate(gen.stdout):
            head, exam, _pos, subj, route, _st = line.rstrip("\n").rsplit(",", 5)
            p = pos[slots[i]]
            u = rng.random()
            k1 = max(0, min(100, round(rng.gauss(62, 12))))
            k2 = max(0, min(40, round(rng.gauss(24, 6))))
            if u < 0.03:
                k1 = k2 = -1
            elif u < 0.035:
                k2 = -1
            idn = head.split(",")[1]
            truth.append("%s\t%s\t%s\t%d\t%d\n" % (idn, p[0], areas[area_of[i]], k1, k2))
            if k1 >= 0 and k2 >= 0:
                bypos.setdefault(slots[i], []).append((idn, k1 * 100 + k2 * 250))
            out.append("%s,%s,%s,%s,%s,approved,%s\n" % (head, exam, p[0], subj, route,
                                                         areas[area_of[i]]))
            if len(out) == 50000:
                f.write("".join(out))
                out = []
        f.write("".join(out))
    if gen.wait() != 0 or len(truth) != ncand:
        sys.exit("gen_interview: kaowu generate candidates failed")
    with w("truth.tsv") as f:
        f.write("".join(truth))
    admitted = entries = below = 0
    with w("expect.tsv") as f:
        for i in sorted(bypos):
            p = pos[i]
            res = shortlist(bypos[i], p[4], a.written_min)
            for idn, wr in bypos[i]:
                place, st = res[idn]
                f.write("%s\t%s\t%d\t%d\t%s\n" % (idn, p[0], wr, place, st))
                entries += 1
                admitted += st == "admitted"
                below += st == "below_min"
    pl = panels_plan(pos, a.panels, a.per_day)
    with w("panels.tsv") as f:
        for code, day, codes in pl:
            f.write("%s\t%d\t%s\t%s\n" % (code, day, ",".join(codes),
                                          ",".join("%s:%s" % m for m in members(code))))
    with w("staff.csv") as fs, w("trainings.csv") as ft:
        fs.write("unit_code,code,name,post,employment,username\n")
        ft.write("staff_code,course,trained_on,result,assessment\n")
        for n, (code, _d, _c) in enumerate(pl):
            unit = areas[n % a.areas]
            for s, duty in members(code):
                post = ("examiner" if duty in ("chief", "deputy", "examiner") else
                        "supervisor" if duty == "supervisor" else "other")
                user = s.lower() if duty != "timer" else ""
                fs.write("%s,%s,%s%s,%s,part_time,%s\n" % (unit, s, "考官" if post == "examiner"
                                                            else "工作人员", s, post, user))
                if post == "examiner":
                    ft.write("%s,面试考官培训,2026-12-01,passed,passed\n" % s)
    print("gen_interview: %d positions (targets %d), %d registrations (%d with both sheets), "
          "%d exam areas, %d rooms; shortlists: %d entries, %d admitted, %d below the "
          "minimum; %d panels over %d days, %d staff"
          % (len(pos), sum(p[4] for p in pos), ncand, sum(len(v) for v in bypos.values()),
             a.areas, nrooms, entries, admitted, below, len(pl), pl[-1][1] + 1,
             10 * len(pl)))


def cmd_accounts_sql(a):
    """The panels' user accounts, grants and sessions (timers have none)."""
    out = ["BEGIN;\n"]
    rows = []
    with open(os.path.join(a.dir, "panels.tsv"), encoding="utf-8") as f:
        for line in f:
            code, _d, _p, mem = line.rstrip("\n").split("\t")
            for m in mem.split(","):
                s, duty = m.split(":")
                if duty != "timer":
                    rows.append((s.lower(), duty))
    role = {"chief": "examiner", "deputy": "examiner", "examiner": "examiner",
            "supervisor": "interview_supervisor", "scorer": "scorer"}
    for i in range(0, len(rows), 1000):
        out.append("INSERT INTO users (username, display_name, password_hash, status, created_at,"
                   " updated_at) VALUES\n" + ",\n".join(
                       "('%s', '%s', '%s', 'active', '%s', '%s')" % (u, u.upper(), a.hash, a.now,
                                                                    a.now)
                       for u, _ in rows[i:i + 1000]) + ";\n")
    for r in sorted(set(role.values())):
        names = [u for u, d in rows if role[d] == r]
        for i in range(0, len(names), 1000):
            out.append("INSERT INTO grants (user_id, role, unit_id, created_at) SELECT id, '%s', "
                       "%d, '%s' FROM users WHERE username IN (%s);\n"
                       % (r, a.unit, a.now, ",".join("'%s'" % u for u in names[i:i + 1000])))
    for i in range(0, len(rows), 1000):
        part = rows[i:i + 1000]
        out.append("WITH v (n, h) AS (VALUES %s) INSERT INTO sessions (token_hash, user_id, "
                   "created_at, expires_at) SELECT v.h, u.id, '%s', '2099-12-31T00:00:00.000000Z'"
                   " FROM v JOIN users u ON u.username = v.n;\n"
                   % (",".join("('%s', '%s')" % (u, hashlib.blake2b(
                       token_of(a.seed, u).encode(), digest_size=32).hexdigest())
                       for u, _ in part), a.now))
    out.append("COMMIT;\n")
    sys.stdout.write("".join(out))


def sheet(rng, key, k):
    """An answer string with exactly k right answers (the others wrong, a few blank)."""
    n = len(key)
    right = set(rng.sample(range(n), k))
    s = []
    for i, it in enumerate(key):
        if i in right:
            s.append(it["key"])
        elif rng.random() < 0.1:
            s.append("-")
        else:
            s.append(rng.choice([c for c in "ABCD" if c != it["key"]]))
    return "".join(s)


def cmd_answers(a):
    keys = {}
    for n in ("01", "02"):
        with open(os.path.join(a.dir, "key-%s.json" % n), encoding="utf-8") as f:
            keys[n] = json.load(f)["items"]
    truth = {}
    with open(os.path.join(a.dir, "truth.tsv"), encoding="utf-8") as f:
        for line in f:
            idn, _p, _a, k1, k2 = line.rstrip("\n").split("\t")
            truth[idn] = (int(k1), int(k2))
    rng = random.Random(a.seed * 7 + 1)
    out = ["ticket_no,subject,form,answers\n"]
    seen = 0
    for line in sys.stdin:
        ticket, idn = line.rstrip("\n").split("|")
        k1, k2 = truth[idn]
        seen += 1
        for n, k in (("01", k1), ("02", k2)):
            if k >= 0:
                out.append("%s,%s,A,%s\n" % (ticket, n, sheet(rng, keys[n], k)))
    if seen != len(truth):
        sys.exit("gen_interview: %d seats, %d candidates" % (seen, len(truth)))
    sys.stdout.write("".join(out))


def cmd_check_shortlists(a):
    want = {}
    with open(os.path.join(a.dir, "expect.tsv"), encoding="utf-8") as f:
        for line in f:
            idn, p, wr, place, st = line.rstrip("\n").split("\t")
            want[idn] = (p, int(wr), int(place), st)
    got = {}
    for line in sys.stdin:
        idn, p, wr, place, st = line.rstrip("\n").split("|")
        if idn in got:
            sys.exit("FAIL: %s on two shortlists" % idn)
        got[idn] = (p, int(wr), int(place), st)
    bad = [k for k in set(want) | set(got) if want.get(k) != got.get(k)]
    adm = sum(1 for v in got.values() if v[3] == "admitted")
    print("  check: %d shortlist entries (%d admitted, %d waiting, %d below the minimum) stored;"
          " the generator's own computation: %d entries, %d admitted; %d differ"
          % (len(got), adm, sum(1 for v in got.values() if v[3] == "waiting"),
             sum(1 for v in got.values() if v[3] == "below_min"), len(want),
             sum(1 for v in want.values() if v[3] == "admitted"), len(bad)))
    for k in sorted(bad)[:5]:
        print("    %s: want %s, got %s" % (k, want.get(k), got.get(k)))
    sys.exit(1 if bad else 0)


def cfg_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cmd_requests(a):
    """stdin: "path TAB token TAB body" lines → curl -K entries (POST each, the status and
    time of each written out, the answer into OUT/N)."""
    out = []
    for n, line in enumerate(sys.stdin):
        path, tok, body = line.rstrip("\n").split("\t")
        out.append("%surl = %s\nrequest = \"POST\"\nsilent\nshow-error\nheader = %s\n" % (
            "next\n" if n else "", 
            cfg_str(a.base + path), cfg_str("Authorization: Bearer " + tok)))
        if body:
            out.append("header = \"Content-Type: application/json\"\ndata-binary = %s\n"
                       % cfg_str(body))
        out.append("output = %s\nwrite-out = \"%%{http_code} %%{time_total} %d\\n\"\n"
                   % (cfg_str("%s/%d" % (a.out, n)), n))
    sys.stdout.write("".join(out))


def panel_requests(a):
    """The panels' creations: "path TAB token TAB body" (stdin: "kind|code|id" maps)."""
    ids = {"p": {}, "s": {}}
    for line in sys.stdin:
        k, code, i = line.rstrip("\n").split("|")
        ids[k][code] = int(i)
    with open(os.path.join(a.dir, "panels.tsv"), encoding="utf-8") as f:
        for line in f:
            code, day, codes, mem = line.rstrip("\n").split("\t")
            body = {"code": code, "starts_at": "%sT08:30:00+08:00" % day_name(int(day)),
                    "positions": [ids["p"][c] for c in codes.split(",")],
                    "members": [{"staff_id": ids["s"][s], "duty": d}
                                for s, d in (m.split(":") for m in mem.split(","))]}
            print("/api/v1/exams/%d/interview_panels\t%s\t%s"
                  % (a.exam, a.token, json.dumps(body, ensure_ascii=False,
                                                 separators=(",", ":"))))


def day_requests(a):
    """The days (stdin: "panel code|panel id"): one a day, its panels' ids."""
    ids = dict((c, int(i)) for c, i in (l.rstrip("\n").split("|") for l in sys.stdin))
    days = {}
    with open(os.path.join(a.dir, "panels.tsv"), encoding="utf-8") as f:
        for line in f:
            code, day = line.split("\t")[:2]
            days.setdefault(int(day), []).append(ids[code])
    dims = [{"name": n, "max": "%g" % (m / 100)} for n, m in DIMS]
    for d in sorted(days):
        body = {"day": day_name(d), "ends_at": "%sT18:00:00+08:00" % day_name(d),
                "rooms": ["第%03d面试室" % (k + 1) for k in range(len(days[d]))],
                "panels": days[d], "dimensions": dims}
        print("/api/v1/exams/%d/interview_days\t%s\t%s"
              % (a.exam, a.token, json.dumps(body, ensure_ascii=False, separators=(",", ":"))))


def score_value(seed, panel, order, j):
    """Examiner j's scores (hundredths per dimension) for order number `order` of `panel`."""
    r = random.Random("%d:%s:%d" % (seed, panel, order))
    q = r.uniform(0.55, 0.92)
    r = random.Random("%d:%s:%d:%d" % (seed, panel, order, j))
    return [max(0, min(m, int(round((q * m + r.gauss(0, m * 0.05)) / 50.0)) * 50))
            for _n, m in DIMS]


def cmd_scores(a):
    """stdin: "panel id|panel code|day|orders" in day, code order → the submissions, a day's
    panels together: order 1 of each panel by each examiner, then order 2, …"""
    rows = [l.rstrip("\n").split("|") for l in sys.stdin]
    byday = {}
    for pid, code, day, n in rows:
        byday.setdefault(day, []).append((int(pid), code, int(n)))
    out, count = [], 0
    for day in sorted(byday):
        ps = byday[day]
        for order in range(1, max(p[2] for p in ps) + 1):
            for pid, code, n in ps:
                if order > n:
                    continue
                for j in range(1, EXAMINERS + 1):
                    v = score_value(a.seed, code, order, j)
                    out.append("%s\t/api/v1/interview_panels/%d/orders/%d/scores\t"
                               "{\"scores\":[%s]}\t%s:%d:%d\n" % (
                                   token_of(a.seed, "k%s%d" % (code[1:], j)), pid, order,
                                   ",".join('"%g"' % (x / 100) for x in v), code, order, j))
                    count += 1
                    if count >= a.max:
                        sys.stdout.write("".join(out))
                        return
    sys.stdout.write("".join(out))


def cmd_check_scores(a):
    """stdin: "panel code|order|staff code|scores JSON" of every stored score. wrk sends the
    submissions in file order from line `first`: `completed` were answered (all 2xx), `sent`
    handed out (those in flight when wrk stopped may be stored too); every stored one must be
    among those sent and its value the one sent."""
    index = {}
    with open(a.requests, encoding="utf-8") as f:
        for i, line in enumerate(f):
            index[line.rstrip("\n").split("\t")[3]] = i
    stored = wrong = beyond = 0
    last = -1
    for line in sys.stdin:
        code, order, staff, scores = line.rstrip("\n").split("|")
        j = int(staff[-1])
        if json.loads(scores) != score_value(a.seed, code, int(order), j):
            wrong += 1
        i = index.get("%s:%s:%d" % (code, order, j), 1 << 60)
        if i < a.first:
            continue
        beyond += i >= a.first + a.sent
        last = max(last, i)
        stored += 1
    print("  check: %d scores stored (wrk counted %d answers, all 2xx, and handed out %d "
          "submissions): %d not the value submitted, %d not among the submissions sent"
          % (stored, a.completed, a.sent, wrong, beyond))
    if a.next_file:
        with open(a.next_file, "w") as f:
            f.write("%d\n" % (last + 1))
    ok = not wrong and not beyond and a.completed <= stored <= a.sent
    sys.exit(0 if ok else 1)


def cmd_check_composites(a):
    """stdin: "panel code|order|written|score|composite" of every candidate signed by the
    chief: the panel score (trimmed mean of the 7 examiners' weighted totals) and the
    composite computed again from the submitted values."""
    n = bad = 0
    for line in sys.stdin:
        code, order, written, score, comp = line.rstrip("\n").split("|")
        tot = sorted(sum(x * 100 for x in score_value(a.seed, code, int(order), j))
                     for j in range(1, EXAMINERS + 1))
        mid = tot[1:-1]
        s = (2 * sum(mid) + len(mid) * 100) // (2 * len(mid) * 100)
        c = (2 * (int(written) * a.ww + s * (100 - a.ww)) + 100) // 200
        n += 1
        if s != int(score) or c != int(comp):
            bad += 1
            if bad <= 5:
                print("    %s order %s: want %d / %d, stored %s / %s" % (code, order, s, c,
                                                                        score, comp))
    print("  check: %d composites recomputed from the submitted scores (trimmed mean, %d/%d "
          "weights): %d differ" % (n, a.ww, 100 - a.ww, bad))
    sys.exit(1 if bad or n != a.expect else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--positions", type=int, default=40000)
    p.add_argument("--recruiters", type=int, default=2000)
    p.add_argument("--panels", type=int, default=6000)
    p.add_argument("--per-day", type=int, default=100)
    p.add_argument("--areas", type=int, default=16)
    p.add_argument("--written-min", type=int, default=8000)
    p.add_argument("--exam", required=True)
    p.add_argument("--agency", required=True)
    p.add_argument("--authority", required=True)
    p.add_argument("--kaowu", required=True)
    p.add_argument("--outdir", required=True)
    p = sub.add_parser("accounts-sql")
    p.add_argument("--dir", required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--unit", type=int, required=True)
    p.add_argument("--hash", required=True)
    p.add_argument("--now", required=True)
    p = sub.add_parser("answers")
    p.add_argument("--dir", required=True)
    p.add_argument("--seed", type=int, required=True)
    p = sub.add_parser("check-shortlists")
    p.add_argument("--dir", required=True)
    p = sub.add_parser("requests")
    p.add_argument("--base", required=True)
    p.add_argument("--out", required=True)
    for name in ("panel-requests", "day-requests"):
        p = sub.add_parser(name)
        p.add_argument("--dir", required=True)
        p.add_argument("--exam", type=int, required=True)
        p.add_argument("--token", required=True)
    p = sub.add_parser("scores")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--max", type=int, required=True)
    p = sub.add_parser("check-scores")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--requests", required=True)
    p.add_argument("--completed", type=int, required=True)
    p.add_argument("--sent", type=int, required=True, help="how many wrk handed out")
    p.add_argument("--first", type=int, default=0, help="the first line wrk sent")
    p.add_argument("--next-file", help="where to write the line to send next")
    p = sub.add_parser("check-composites")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--ww", type=int, required=True, help="the written weight, per cent")
    p.add_argument("--expect", type=int, required=True, help="how many were signed")
    a = ap.parse_args()
    {"prep": cmd_prep, "accounts-sql": cmd_accounts_sql, "answers": cmd_answers,
     "check-shortlists": cmd_check_shortlists, "requests": cmd_requests,
     "panel-requests": panel_requests, "day-requests": day_requests, "scores": cmd_scores,
     "check-scores": cmd_check_scores, "check-composites": cmd_check_composites}[a.cmd](a)


if __name__ == "__main__":
    main()
