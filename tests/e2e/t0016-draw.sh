#!/usr/bin/env bash
# kaowu draw: what an auditor runs — commitments, their check, and reproducing a shuffle
# from a revealed seed — against the published test vectors of docs/draws.md.
# kw-e2e: no-database
. "$(dirname "$0")/lib.sh"
seed=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
[ "$("$KAOWU" draw commit $seed)" = 630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd ] || fail "commitment vector"
"$KAOWU" draw verify $seed 630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd >/dev/null || fail "verify of the vector"
rc=0; "$KAOWU" draw verify $seed 630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710de >/dev/null 2>&1 || rc=$?
[ $rc = 1 ] || fail "a wrong commitment exited $rc"
[ "$("$KAOWU" draw shuffle $seed test:vector 10)" = "6 8 9 4 3 5 2 7 1 0" ] || fail "shuffle vector"
[ "$("$KAOWU" draw shuffle $seed seat:exam=42:sitting=3 10)" = "3 4 2 5 1 6 0 7 8 9" ] || fail "purpose vector"
# A new seed verifies against its own commitment, and two new seeds differ.
out=$("$KAOWU" draw new | awk -F'：|: ' '{print $2}')
s1=$(echo "$out" | sed -n 1p); c1=$(echo "$out" | sed -n 2p)
[[ "$s1" =~ ^[0-9a-f]{64}$ ]] || fail "new seed: $out"
"$KAOWU" draw verify "$s1" "$c1" >/dev/null || fail "a new seed does not match its commitment"
s2=$("$KAOWU" draw new | sed -n 1p)
[ "$s1" != "${s2##*[：:] }" ] || fail "two new seeds are equal"
rc=0; "$KAOWU" draw commit 1234 >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "a short seed exited $rc"
rc=0; "$KAOWU" draw shuffle $seed "" 10 >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "an empty purpose exited $rc"
echo "ok"
