#!/usr/bin/env bash
# Every error code the code can produce has a message in every catalogue
# (data/i18n/*.json): a code without one would reach people as a bare identifier.
set -euo pipefail
cd "${KW_SRC:?}"
codes=$(grep -rhoE 'KW_E[A-Z]+,[[:space:]]*"[A-Z][A-Z0-9_]+"' src | sed -E 's/.*"([A-Z0-9_]+)"/\1/' | sort -u)
n=$(echo "$codes" | wc -l)
[ "$n" -ge 10 ] || { echo "found only $n codes: is the pattern still right?"; exit 1; }
bad=0
for cat in data/i18n/*.json; do
	for c in $codes; do
		if ! jq -e --arg c "$c" 'has($c)' "$cat" >/dev/null; then
			echo "$cat: no message for $c"
			bad=1
		fi
	done
done
[ $bad -eq 0 ] && echo "codes: $n codes, each in $(ls data/i18n/*.json | wc -l) catalogues"
exit $bad
