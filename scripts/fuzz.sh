#!/usr/bin/env bash
# Runs every libFuzzer target of build-fuzz/ for N seconds, starting from (and adding to)
# a scratch copy of its checked-in corpus. Exits non-zero on the first crash.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
for bin in build-fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin"); corpus=${name#fuzz_}
	work=build-fuzz/corpus-$corpus
	mkdir -p "$work"
	cp -n tests/fuzz/corpus/"$corpus"/* "$work"/ 2>/dev/null || true
	echo "fuzz: $name for ${secs}s"
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=build-fuzz/"$name"- "$work" 2>&1 | tail -n 12
done
