#!/usr/bin/env bash
# Every C file is formatted by .clang-format (clang-format 14).
set -euo pipefail
cd "${KW_SRC:?}"
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find src tests -name '*.[ch]')
[ -n "$files" ] || { echo "no C files found"; exit 1; }
clang-format --dry-run --Werror $files
echo "format: $(echo "$files" | wc -w) files clean"
