#!/usr/bin/env bash
# Role grants through maker-checker (INF-4): a new user asks for a role, cannot approve it
# themselves, a second administrator approves; the walls between sibling units; the
# audit names maker and checker; audit verify passes and then catches a hand edit.
. "$(dirname "$0")/lib.sh"
server_start

api() { # api TOKEN METHOD PATH [JSON]
	local t=$1 m=$2 p=$3
	if [ $# -ge 4 ]; then
		req "$m" "$p" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' --data "$4"
	else
		req "$m" "$p" -H "Authorization: Bearer $t"
	fi
}

# A second administrator, added on the server host (an operator action).
KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >"$WORK/useradd.out" ||
	fail "kaowu user add failed"
[ "$(db_query "SELECT actor_kind FROM audit_log WHERE action = 'grant.create' ORDER BY seq DESC LIMIT 1")" = operator ] || fail "operator grant not audited as such"

login admin "$KAOWU_ADMIN_PASSWORD"; A1=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")

api "$A1" POST /api/v1/units "{\"code\":\"AH\",\"name\":\"安徽省人事考试院\",\"kind\":\"provincial_agency\",\"level\":\"provincial\",\"parent\":$root}"
expect_status 201; AH=$(jq -r .id "$WORK/body")
api "$A1" POST /api/v1/units "{\"code\":\"JS\",\"name\":\"江苏省人事考试院\",\"kind\":\"provincial_agency\",\"level\":\"provincial\",\"parent\":$root}"
expect_status 201; JS=$(jq -r .id "$WORK/body")
api "$A1" POST /api/v1/units "{\"code\":\"AH-HF\",\"name\":\"合肥考区\",\"kind\":\"area_agency\",\"level\":\"prefecture\",\"parent\":$AH}"
expect_status 201; HF=$(jq -r .id "$WORK/body")
api "$A1" POST /api/v1/units "{\"code\":\"AH\",\"name\":\"dup\",\"kind\":\"provincial_agency\",\"level\":\"provincial\",\"parent\":$root}"
expect_error 409 UNIT_CODE_TAKEN

mkuser() { # mkuser NAME → prints the id
	api "$A1" POST /api/v1/users "{\"username\":\"$1\",\"display_name\":\"$1\",\"password\":\"$1-password\"}"
	expect_status 201
	jq -r .id "$WORK/body"
}
U_AH=$(mkuser ah.officer); U_JS=$(mkuser js.officer); U_NEW=$(mkuser new.staff)

# The new user asks for a role for themselves: they may not (no grant.request power).
login new.staff new.staff-password; NEW=$TOKEN
api "$NEW" POST "/api/v1/users/$U_NEW/roles" "{\"roles\":[{\"role\":\"agency_staff\",\"unit\":$AH}]}"
expect_error 403 FORBIDDEN

# Admin 1 asks; admin 1 cannot approve their own request; admin 2 approves.
api "$A1" POST "/api/v1/users/$U_AH/roles" "{\"roles\":[{\"role\":\"authority_officer\",\"unit\":$AH}]}"
expect_status 202; expect_json .status pending; AP=$(jq -r .approval_id "$WORK/body")
[ "$(db_query "SELECT count(*) FROM grants WHERE user_id = $U_AH")" = 0 ] || fail "granted before approval"
api "$A1" POST "/api/v1/approvals/$AP/approve"
expect_error 403 SELF_APPROVAL
expect_json .error.rule INF-4
api "$A2" POST "/api/v1/approvals/$AP/approve"
expect_status 200; expect_json .status approved; expect_json .maker.username admin; expect_json .checker.username admin2
api "$A2" POST "/api/v1/approvals/$AP/approve"
expect_error 409 APPROVAL_DECIDED
[ "$(db_query "SELECT role FROM grants WHERE user_id = $U_AH")" = authority_officer ] || fail "grant not applied"
login ah.officer ah.officer-password; AHO=$TOKEN
api "$AHO" GET /api/v1/me
expect_json '.roles | join(",")' authority_officer

api "$A2" POST "/api/v1/users/$U_JS/roles" "{\"roles\":[{\"role\":\"authority_officer\",\"unit\":$JS}]}"
expect_status 202; AP2=$(jq -r .approval_id "$WORK/body")
api "$A1" POST "/api/v1/approvals/$AP2/approve"
expect_status 200
login js.officer js.officer-password; JSO=$TOKEN

# Each sees the units they reach: Anhui's officer Anhui and its area, not Jiangsu or the root.
api "$AHO" GET /api/v1/units
expect_status 200
expect_json '[.items[].code] | join(",")' 'AH,AH-HF'
api "$A1" GET /api/v1/units
expect_json '[.items[].code] | sort | join(",")' 'AH,AH-HF,JS,root'
api "$NEW" GET /api/v1/units
expect_json '.items | length' 0

# The wall between siblings: Anhui's officer cannot grant in Jiangsu…
api "$AHO" POST "/api/v1/users/$U_NEW/roles" "{\"roles\":[{\"role\":\"agency_staff\",\"unit\":$JS}]}"
expect_error 403 GRANT_OUTSIDE_UNIT
# …nor grant a role beyond their powers, even in Anhui…
api "$AHO" POST "/api/v1/users/$U_NEW/roles" "{\"roles\":[{\"role\":\"admin\",\"unit\":$AH}]}"
expect_error 403 GRANT_OUTSIDE_UNIT
# …but may ask within Anhui (its area included); Jiangsu's officer cannot even see it.
api "$AHO" POST "/api/v1/users/$U_NEW/roles" "{\"roles\":[{\"role\":\"agency_staff\",\"unit\":$HF}]}"
expect_status 202; AP3=$(jq -r .approval_id "$WORK/body")
api "$JSO" POST "/api/v1/approvals/$AP3/approve"
expect_error 404 NOT_FOUND
api "$JSO" GET "/api/v1/approvals?status=pending"
expect_status 200
expect_json "[.items[].id] | index($AP3)" null
api "$A1" GET "/api/v1/approvals?status=pending"
expect_json "[.items[].id] | index($AP3) != null" true
api "$AHO" POST "/api/v1/approvals/$AP3/approve"
expect_error 403 SELF_APPROVAL
# Rejected with a reason (a reason is required).
api "$A1" POST "/api/v1/approvals/$AP3/reject" '{}'
expect_error 400 VALIDATION_FAILED
api "$A1" POST "/api/v1/approvals/$AP3/reject" '{"reason":"不在本考区编制内"}'
expect_status 200; expect_json .status rejected; expect_json .reason '不在本考区编制内'
[ "$(db_query "SELECT count(*) FROM grants WHERE user_id = $U_NEW")" = 0 ] || fail "a rejected grant was applied"

# Bad requests change nothing.
api "$A1" POST "/api/v1/users/$U_NEW/roles" '{"roles":[{"role":"emperor","unit":1}]}'
expect_error 400 VALIDATION_FAILED
api "$A1" POST "/api/v1/users/$U_NEW/roles" "{\"roles\":[{\"role\":\"proctor\",\"unit\":$AH,\"valid_from\":\"2026-12-01T00:00:00+08:00\",\"valid_to\":\"2026-11-01T00:00:00+08:00\"}]}"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].problem' time_order
api "$A1" POST "/api/v1/users/999999/roles" "{\"roles\":[{\"role\":\"proctor\",\"unit\":$AH}]}"
expect_error 404 NOT_FOUND
api "$A1" POST "/api/v1/users/abc/roles" "{\"roles\":[{\"role\":\"proctor\",\"unit\":$AH}]}"
expect_error 404 NOT_FOUND

# The audit: both names on the approval; the whole trail read by admins at the root.
api "$A1" GET "/api/v1/audit?entity=approvals&entity_id=$AP"
expect_status 200
expect_json '[.items[] | select(.action == "approval.approve")][0].detail | .maker + "/" + .checker' 'admin/admin2'
expect_json '[.items[] | select(.action == "approval.approve")][0].actor.name' admin2
api "$A1" GET "/api/v1/audit?limit=2"
expect_json '.items | length' 2
cursor=$(jq -r .next_cursor "$WORK/body")
api "$A1" GET "/api/v1/audit?limit=2&cursor=$cursor"
expect_json ".items[0].seq < $cursor" true
api "$A1" GET "/api/v1/audit?limit=0"
expect_error 400 QUERY_INVALID
# Below the root (INF-5(8), ORG-4): Anhui's officer reads the records of Anhui's units, its
# grants and its staff's accounts — never Jiangsu's, the root's, or events about no row.
api "$AHO" GET "/api/v1/audit?limit=500"
expect_status 200
expect_json "[.items[] | select(.entity == \"units\") | .entity_id] | unique | map(tostring) | join(\",\")" "$AH,$HF"
expect_json "[.items[] | select(.entity == \"users\") | .entity_id] | unique | map(tostring) | join(\",\")" "$U_AH"
expect_json '[.items[] | select(.entity == "grants")] | length > 0' true
expect_json "[.items[] | select((.entity == \"units\" and (.entity_id == $JS or .entity_id == $root)) or (.entity == \"users\" and .entity_id == $U_JS))] | length" 0
expect_json '[.items[] | select(.entity == null)] | length' 0
api "$JSO" GET "/api/v1/audit?entity=units&limit=500"
expect_json "[.items[].entity_id] | unique | map(tostring) | join(\",\")" "$JS"
api "$JSO" GET "/api/v1/audit?entity=units&entity_id=$AH"
expect_json '.items | length' 0
api "$NEW" GET /api/v1/audit
expect_error 403 FORBIDDEN
req GET /api/v1/audit
expect_error 401 AUTH_REQUIRED

audit_verify 0
server_stop
db_query "UPDATE grants SET role = 'admin' WHERE user_id = $U_AH" >/dev/null
audit_verify 1
grep -q 'grants row' "$WORK/verify.err" || fail "verify: $(cat "$WORK/verify.err")"
echo "ok"
