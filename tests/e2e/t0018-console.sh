#!/usr/bin/env bash
# The staff console (web/console.html) and the candidate portal (web/portal.html) in Debian's
# Chromium, driven by playwright-core (tests/browser/console.mjs): registers built from
# /api/v1/registers, forms with field errors, history, CSV import, XLSX export, approvals,
# the walls between units, English, and a 360-px phone.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (make deps installs it)"
[ -d "$KW_SRC/tests/browser/node_modules/playwright-core" ] || fail "playwright-core is missing (make deps runs npm ci)"
server_start
# The second person of maker-checker.
export KW_ADMIN2_PASSWORD=admin2-pass-123
KAOWU_USER_PASSWORD=$KW_ADMIN2_PASSWORD "$KAOWU" user add --db "$DB_URL" --username admin2 \
	--display-name 第二管理员 --role admin >"$WORK/useradd.out" 2>&1 || fail "kaowu user add failed: $(cat "$WORK/useradd.out")"
shots=${KW_SHOTS:-$WORK}
mkdir -p "$shots"
export XDG_CONFIG_HOME="$WORK/xdg-config" XDG_CACHE_HOME="$WORK/xdg-cache" HOME="$WORK" TMPDIR="$WORK"
node "$KW_SRC/tests/browser/console.mjs" "$BASE" "$shots" || fail "browser test failed"
server_stop
# Everything the browser did is on the audit chain.
audit_verify 0
echo "ok"
