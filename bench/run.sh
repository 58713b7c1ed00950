#!/usr/bin/env bash
# Every benchmark on both databases (release build); prints the figures for RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/b_*.sh; do
	echo "== $b (SQLite)"
	bash "$b"
	echo "== $b (PostgreSQL)"
	BENCH_PG=1 bash "$b"
done
