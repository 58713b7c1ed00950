#!/usr/bin/env bash
# DL-1 from the command line: kaowu calendar over the official 2024–2026 data, and a clear
# refusal for a year the calendar does not cover.
# kw-e2e: no-database
. "$(dirname "$0")/lib.sh"
cal() { "$KAOWU" calendar "$@"; }
# National Day 2026: 10-01..10-07 off, 09-20 and 10-10 make-up Saturdays/Sundays.
[ "$(cal add-workdays 2026-09-30 5 | cut -c1-10)" = 2026-10-13 ] || fail "DL-1 add-workdays across National Day"
[ "$(cal add-days 2026-09-21 10 | cut -c1-10)" = 2026-10-08 ] || fail "DL-1 add-days rolls off the holiday"
[ "$(cal add-months 2026-01-31 1 | cut -c1-10)" = 2026-02-28 ] || fail "DL-1 month end"
[ "$(cal add-months 2024-01-31 1 | cut -c1-10)" = 2024-02-29 ] || fail "DL-1 leap year"
cal day 2026-02-14 | grep -q '调休上班日' || fail "make-up working day"
LANG=en_US.UTF-8 cal day 2026-10-01 | grep -q 'public holiday' || fail "holiday in English"
rc=0; cal add-days 2026-12-20 15 >/dev/null 2>"$WORK/err" || rc=$?
[ $rc = 1 ] || fail "a period into 2027 exited $rc"
grep -q 2027 "$WORK/err" || fail "the refusal does not name 2027: $(cat "$WORK/err")"
rc=0; cal add-workdays 2026-02-30 1 >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "an impossible date exited $rc"
rc=0; cal add-workdays 2026-03-01 0 >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "N = 0 exited $rc"
rc=0; cal frobnicate >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "unknown subcommand exited $rc"
echo "ok"
