#!/usr/bin/env bash
# kw-e2e: cost 50
# The permissions matrix, read from the same files the server uses
# (data/permissions/permissions.json and the route table in src/http/router.c): for every
# endpoint and every role — anonymous and a user with no role included — an allowed call
# gets past authorisation and a denied one gets 401 or 403.
. "$(dirname "$0")/lib.sh"
server_start
perms="$KW_SRC/data/permissions/permissions.json"
mapfile -t routes < <(grep -oE '\{ "(GET|POST|PUT|PATCH|DELETE)", "[^"]+", [a-z_]+, [^,]+, "[a-z_.]+" \}' "$KW_SRC/src/http/router.c" |
	sed -E 's/\{ "([A-Z]+)", "([^"]+)", [a-z_]+, [^,]+, "([a-z_.]+)" \}/\1 \2 \3/')
[ ${#routes[@]} -ge 12 ] || fail "found only ${#routes[@]} routes in router.c"
mapfile -t roles < <(jq -r '.roles[]' "$perms")
[ ${#roles[@]} -ge 25 ] || fail "found only ${#roles[@]} roles"

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 管理员二 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A1=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")

# One user per role, granted at the root unit through maker-checker; and one with none.
declare -A user_of
i=0
for r in "${roles[@]}" none; do
	i=$((i + 1))
	u=$(printf 'p%02d' $i)
	req POST /api/v1/users -H "Authorization: Bearer $A1" -H 'Content-Type: application/json' \
		--data "{\"username\":\"$u\",\"display_name\":\"$r\",\"password\":\"$u-password-1\"}"
	expect_status 201
	id=$(jq -r .id "$WORK/body")
	if [ "$r" != none ]; then
		req POST "/api/v1/users/$id/roles" -H "Authorization: Bearer $A1" -H 'Content-Type: application/json' \
			--data "{\"roles\":[{\"role\":\"$r\",\"unit\":$root}]}"
		expect_status 202
		req POST "/api/v1/approvals/$(jq -r .approval_id "$WORK/body")/approve" -H "Authorization: Bearer $A2"
		expect_status 200
	fi
	user_of[$r]=$u
done


# A candidate (REG-4), who logs in with an identity document.
cand_id=11010519491231002X
req POST /api/v1/candidates -H 'Content-Type: application/json' \
	--data "{\"id_number\":\"$cand_id\",\"name\":\"考生\",\"phone\":\"13800000000\",\"password\":\"cand-password-1\"}"
expect_status 201

# Which (action, subject) pairs the file allows, computed once: "action subject" lines.
declare -A ok
while read -r a r; do ok["$a $r"]=1; done < <(jq -r --argjson roles "$(printf '%s\n' anonymous none candidate "${roles[@]}" | jq -R . | jq -s .)" '
	.actions | to_entries[] | .key as $a | .value as $x | $roles[] as $r |
	select(($x.public != null) or ($r == "candidate" and $x.candidate != null) or
		($r != "anonymous" and $r != "candidate" and ($x.user != null or $x[$r] != null))) | "\($a) \($r)"' "$perms")
allowed() { [ -n "${ok["$1 $2"]:-}" ]; }

checked=0
mkdir -p "$WORK/out"
for subject in anonymous none candidate "${roles[@]}"; do
	token=""
	if [ "$subject" = candidate ]; then
		req POST /api/v1/session -H 'Content-Type: application/json' \
			--data "{\"id_number\":\"$cand_id\",\"password\":\"cand-password-1\"}"
		expect_status 201
		token=$(jq -r .token "$WORK/body")
	elif [ "$subject" != anonymous ]; then
		login "${user_of[$subject]}" "${user_of[$subject]}-password-1"
		token=$TOKEN
	fi
	# Every endpoint in one curl process (a config of transfers separated by "next"), each
	# answer's status on a line of its own and its body in out/N. DELETE /api/v1/session
	# last: it ends the subject's session.
	: >"$WORK/curl.cfg"
	n=0
	for r in "${routes[@]}"; do
		read -r method path action <<<"$r"
		[ "$method $path" = "DELETE /api/v1/session" ] && continue
		p=${path//\{id\}/999999}
		{
			[ $n -gt 0 ] && echo next
			echo "url = \"$BASE$p\""
			echo "request = \"$method\""
			echo "silent"
			echo "show-error"
			echo "output = \"$WORK/out/$n\""
			echo 'write-out = "%{http_code}\\n"'
			[ -n "$token" ] && echo "header = \"Authorization: Bearer $token\""
			if [ "$method" = POST ]; then
				echo 'header = "Content-Type: application/json"'
				echo 'data = "{}"'
			fi
		} >>"$WORK/curl.cfg"
		n=$((n + 1))
	done
	rm -f "$WORK/out/"*
	mapfile -t statuses < <(curl -K "$WORK/curl.cfg")
	[ ${#statuses[@]} -eq $n ] || fail "$subject: $n requests, ${#statuses[@]} answers"
	n=0
	for r in "${routes[@]}"; do
		read -r method path action <<<"$r"
		[ "$method $path" = "DELETE /api/v1/session" ] && continue
		STATUS=${statuses[$n]}
		code="" head=""
		[ -f "$WORK/out/$n" ] && { read -r -N 300 head <"$WORK/out/$n" || true; }
		[[ "$head" =~ \"code\":\"([A-Z_]+)\" ]] && code=${BASH_REMATCH[1]}
		n=$((n + 1))
		if allowed "$action" "$subject"; then
			[ "$STATUS" != 401 ] && ! { [ "$STATUS" = 403 ] && [ "$code" = FORBIDDEN ]; } ||
				fail "$subject: $method $path ($action) should be allowed, got $STATUS $code"
		elif [ "$subject" = anonymous ]; then
			[ "$STATUS" = 401 ] || fail "anonymous: $method $path should be 401, got $STATUS $code"
		else
			[ "$STATUS" = 403 ] && [ "$code" = FORBIDDEN ] || fail "$subject: $method $path ($action) should be 403, got $STATUS $code"
		fi
		checked=$((checked + 1))
	done
	auth=()
	[ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
	req DELETE /api/v1/session "${auth[@]}"
	if allowed session.delete "$subject"; then expect_status 204; else expect_status 401; fi
	checked=$((checked + 1))
done
echo "checked $checked (endpoint, role) pairs"
audit_verify 0
server_stop
echo "ok"
