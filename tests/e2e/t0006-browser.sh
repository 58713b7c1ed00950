#!/usr/bin/env bash
# The start page in Debian's Chromium, driven by playwright-core (tests/browser/home.mjs).
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
server_start
shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK"
node "$KW_SRC/tests/browser/home.mjs" "$BASE" "$KW_TEST_DB" "$shots" || fail "browser test failed"
server_stop
echo "ok"
