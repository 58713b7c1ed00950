#!/usr/bin/env bash
# Runs every benchmark (release build) and prints the figures for bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/b_*.sh; do
	echo "== $b"
	bash "$b"
done
