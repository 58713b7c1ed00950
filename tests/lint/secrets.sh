#!/usr/bin/env bash
# No secret is committed (SEC-1/2): no audit key, no PEM private key, no key file of any
# kind among the files git tracks. (An audit key of a test run once was: the ticket signing
# key derives from it.) Outside a git checkout (a source tarball) it checks the files as
# they are.
set -euo pipefail
cd "${KW_SRC:?}"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files)
else
	files=$(find . -type f -not -path './build*' -not -path '*/node_modules/*' | sed 's|^\./||')
fi
bad=0
while IFS= read -r f; do
	[ -n "$f" ] || continue
	case "$f" in
	*.key | *.key.head | *.pem | *.p12 | *.pfx | *audit-key* | *id_rsa* | *id_ed25519*)
		echo "a key file is tracked: $f"
		bad=1
		;;
	esac
	[ -f "$f" ] || continue
	if grep -qE '^kaowu-audit-key-v1 [0-9a-f]{64}|-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$f" 2>/dev/null; then
		echo "a secret key is in $f"
		bad=1
	fi
done <<<"$files"
[ $bad -eq 0 ] && echo "secrets: $(echo "$files" | wc -l) files, no key among them"
exit $bad
