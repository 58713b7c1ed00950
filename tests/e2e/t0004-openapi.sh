#!/usr/bin/env bash
# GET /api/v1/openapi.json: an OpenAPI 3 document describing the running server.
. "$(dirname "$0")/lib.sh"
server_start

req GET /api/v1/openapi.json
expect_status 200
expect_json '.openapi | startswith("3.")' true
expect_json '.info.version' "$("$KAOWU" version | awk '{print $2}')"
expect_json '.paths["/api/v1/health"].get.operationId' getHealth
expect_json '.components.schemas.Error.properties.error.required | sort | join(",")' 'code,details,message,rule'
# Every $ref points at something that exists.
jq -r '[.. | objects | .["$ref"]? // empty] | unique[]' "$WORK/body" | while read -r ref; do
	path=$(echo "$ref" | sed 's|^#/||; s|/|"]["|g')
	jq -e ".[\"$path\"]" "$WORK/body" >/dev/null || fail "dangling \$ref $ref"
done
server_stop
echo "ok"
