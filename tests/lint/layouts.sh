#!/usr/bin/env bash
# docs/import.md is what `kaowu layouts` prints: the documented CSV layouts are the ones the
# program takes (regenerate with: build/kaowu layouts > docs/import.md).
set -euo pipefail
cd "${KW_SRC:?}"
if ! diff -u docs/import.md <("${KAOWU:?}" layouts); then
	echo "docs/import.md is out of date: run build/kaowu layouts > docs/import.md"
	exit 1
fi
echo "layouts: docs/import.md matches kaowu layouts"
