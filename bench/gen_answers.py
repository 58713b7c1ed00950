#!/usr/bin/env python3
"""Answer sheets for bench/b_score.sh (issue 10): scanner output as kaowu imports it (CSV:
ticket_no, subject, form, answers) for the tickets read from standard input (one a line),
and the keys of the subject as JSON for `kaowu score keys`. Python 3 standard library only;
the same arguments give the same files byte for byte.

The key: ITEMS items (default 150) — the first 2/3 single choice of 4 options (1 point),
then 1/5 multiple choice of 4 options (2 points; 0.5 a correct option when no wrong one is
marked), the rest true/false (1 point). Form A is the master; form B has the items in
reverse order and each single-choice item's options rotated by one. Each candidate has an
ability; an item is right with that probability, else a plausible wrong mark, a correct
subset (multiple choice) or a blank; half the sheets are form B.

Writes --out (the CSV), --key-a and --key-b (the keys' JSON).
"""
import argparse
import json
import random
import sys

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def master(items, rnd):
    key = []
    n_single = items * 2 // 3
    n_multi = items // 5
    for i in range(items):
        if i < n_single:
            key.append({"kind": "single", "options": 4, "key": "ABCD"[rnd.randrange(4)], "points": 1})
        elif i < n_single + n_multi:
            k = rnd.randrange(3, 16)
            while bin(k).count("1") < 2:
                k = rnd.randrange(3, 16)
            letters = "".join("ABCD"[b] for b in range(4) if k >> b & 1)
            key.append({"kind": "multiple", "options": 4, "key": letters, "points": 2,
                        "partial": "per_option", "partial_points": 0.5})
        else:
            key.append({"kind": "true_false", "key": "AB"[rnd.randrange(2)], "points": 1})
    return key


def mask(letters):
    return sum(1 << "ABCDEFG".index(c) for c in letters)


def form_b(key):
    """Items reversed; single-choice options rotated: form option j is master option (j+1)%4."""
    n = len(key)
    items, options, fkey = [], [], []
    for i in range(n):
        m = key[n - 1 - i]
        items.append(n - i)
        if m["kind"] == "single":
            perm = "BCDA"
            # the form letter whose master option is the key
            f = dict(m)
            f["key"] = "ABCD"[perm.index(m["key"])]
        else:
            perm = "ABCD" if m.get("options", 2) == 4 else "AB"
            f = dict(m)
        options.append(perm)
        fkey.append(f)
    return {"form": "B", "perm": {"items": items, "options": options}, "items": fkey}


def answer(item, skill, rnd):
    opts = item.get("options", 2)
    k = mask(item["key"])
    if rnd.random() < skill:
        m = k
    else:
        r = rnd.random()
        if r < 0.1:
            return "-"
        if item["kind"] == "multiple" and r < 0.55:
            bits = [b for b in range(4) if k >> b & 1]
            m = 0
            for b in rnd.sample(bits, rnd.randrange(1, len(bits))):
                m |= 1 << b
        else:
            m = 1 << rnd.randrange(opts)
            if item["kind"] == "multiple":
                m |= 1 << rnd.randrange(opts)
    if bin(m).count("1") == 1:
        return "ABCDEFG"[m.bit_length() - 1]
    return DIGITS[m]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=150)
    ap.add_argument("--subject", default="01")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--out", required=True)
    ap.add_argument("--key-a", required=True)
    ap.add_argument("--key-b", required=True)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    key = master(a.items, rnd)
    kb = form_b(key)
    with open(a.key_a, "w") as f:
        json.dump({"form": "A", "master": True, "items": key}, f, ensure_ascii=False)
    with open(a.key_b, "w") as f:
        json.dump(kb, f, ensure_ascii=False)
    forms = {"A": key, "B": kb["items"]}
    n = 0
    with open(a.out, "w") as out:
        out.write("ticket_no,subject,form,answers\n")
        for line in sys.stdin:
            t = line.strip()
            if not t:
                continue
            skill = 0.35 + 0.6 * rnd.random()
            form = "AB"[rnd.randrange(2)]
            out.write("%s,%s,%s,%s\n" % (t, a.subject, form,
                                         "".join(answer(it, skill, rnd) for it in forms[form])))
            n += 1
    print("%d sheets of %d items, seed %d" % (n, a.items, a.seed), file=sys.stderr)


if __name__ == "__main__":
    main()
