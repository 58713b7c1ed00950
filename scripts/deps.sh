#!/usr/bin/env bash
# Installs what kaowu needs on a fresh Debian 12 machine: the packages of
# deps/debian-packages.txt (apt) and the browser-test driver (npm, pinned by the lock
# file). Quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' deps/debian-packages.txt)
missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# --no-install-recommends keeps Chromium's extras out; libclang-rt-14-dev is listed by name.
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f tests/browser/package-lock.json ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
	echo "deps: npm ci in tests/browser"
	(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
