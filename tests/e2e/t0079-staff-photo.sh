#!/usr/bin/env bash
# The photo of a candidate entered on site (REG-1, REG-4; issue 6): staff who may enter
# registrations for an exam (registration.enter at its unit, the exam taking on-site
# registrations) upload the photo they take at the desk — PUT /api/v1/candidates/{id}/photo
# ?exam_id=N — with the candidate's own upload's checks, re-encoding and storage, audited
# with who uploaded it for whom; an exam requiring the photo then takes the on-site entry.
# Refused: a non-image, an oversize image, staff without the action (403), staff of another
# province (403, as the on-site entry), a candidate with a registration outside the caller's
# reach (404), an exam without on-site entry (REG_ONSITE_NOT_PROVIDED); each refusal changes
# nothing. Approved, the photo is locked for staff too (PHOTO_LOCKED).
. "$(dirname "$0")/lib.sh"
export KAOWU_TEST_NOW=2026-11-24T10:00:00+08:00
server_start
DATA="$KW_SRC/tests/data/uploads"

KAOWU_USER_PASSWORD=admin2-pass-123 "$KAOWU" user add --db "$DB_URL" --username admin2 --display-name 第二管理员 --role admin >/dev/null
login admin "$KAOWU_ADMIN_PASSWORD"; A=$TOKEN
login admin2 admin2-pass-123; A2=$TOKEN
root=$(db_query "SELECT id FROM units WHERE parent_id IS NULL")
AH=$(unit AH provincial_agency provincial "$root")
JS=$(unit JS provincial_agency provincial "$root")
staff agency agency_staff "$AH"; AG=$TOKEN
staff jsag agency_staff "$JS"; JSAG=$TOKEN
staff rev qualification_reviewer "$AH"; REV=$TOKEN
AGID=$(db_query "SELECT id FROM users WHERE username = 'agency'")

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
exam() { # exam UNIT CODE EXTRA → id; a qualification exam with one subject
	api "$A" POST /api/v1/exams "{\"unit_id\":$1,\"code\":\"$2\",\"name\":\"经济专业技术资格 $2\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,$3$window}"
	expect_status 201
	local id
	id=$(jq -r .id "$WORK/body")
	api "$A" POST /api/v1/subjects "{\"exam_id\":$id,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":5600}"
	expect_status 201
	echo "$id"
}
QE=$(exam "$AH" ZC '"onsite_registration":true,')
api "$A" GET "/api/v1/exams/$QE"
expect_json .photo_required true
expect_json .onsite_registration true
QN=$(exam "$AH" ZN '"onsite_registration":false,')
QJ=$(exam "$JS" JZ '"onsite_registration":true,"photo_required":false,')
pledge=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")
body() { jq -nc --argjson e "$1" --arg v "$pledge" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true}'; }
onsite() { body "$1" | jq -c --argjson c "$2" '. + {candidate_id:$c}'; }

candidate() { # candidate ID → CID, TOKEN
	api "" POST /api/v1/candidates "$(jq -nc --arg i "$1" '{id_number:$i,name:"考生",phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	CID=$(jq -r .id "$WORK/body")
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$1\",\"password\":\"cand-pass-1\"}"
	TOKEN=$(jq -r .token "$WORK/body")
}
candidate "$(idcard 340104 19900101 111)"; C1=$CID; T1=$TOKEN
candidate "$(idcard 320102 19910101 222)"; C2=$CID; T2=$TOKEN
# C2 registered online in Jiangsu: outside the Anhui agency's reach.
api "$T2" POST /api/v1/registrations "$(body "$QJ")"
expect_status 201

"$KAOWU" generate photo --pick 2 >"$WORK/photo.jpg" || fail "generate photo failed"
printf '<html><body><script>alert(1)</script></body></html>' >"$WORK/page.jpg"
{ printf '\xff\xd8\xff\xe0'; head -c $((3 * 1024 * 1024)) /dev/zero; } >"$WORK/big.jpg"
P() { echo "/api/v1/candidates/$1/photo?exam_id=$2"; }
upload() { # upload TOKEN PATH TYPE FILE [curl options…]
	api "$1" PUT "$2" -H "Content-Type: $3" --data-binary "@$4" "${@:5}"
}
state() { db_query "SELECT (SELECT COUNT(*) FROM files) || '/' || (SELECT COUNT(*) FROM file_blobs) || '/' || (SELECT COUNT(*) FROM audit_log WHERE action = 'candidate.photo') || '/' || (SELECT COUNT(*) FROM registrations)"; }

# ---- REG-4: the exam requires the photo, and the candidate at the desk has none ----
api "$AG" POST /api/v1/registrations "$(onsite "$QE" "$C1")"
expect_error 422 PHOTO_REQUIRED
before=$(state)

# ---- refusals, each changing nothing ----
upload "$AG" "$(P "$C1" "$QE")" image/jpeg "$WORK/page.jpg"
expect_error 400 FILE_NOT_IMAGE
expect_json .error.details.problem not_image
upload "$AG" "$(P "$C1" "$QE")" image/jpeg "$WORK/big.jpg"
expect_error 413 FILE_TOO_LARGE
expect_json .error.details.max_bytes 2097152
upload "$AG" "$(P "$C1" "$QE")" image/jpeg "$DATA/landscape.jpg"
expect_error 400 IMAGE_ASPECT
upload "$AG" "$(P "$C1" "$QE")" application/pdf "$WORK/photo.jpg"
expect_error 415 UNSUPPORTED_FILE_TYPE
# Without the action (a reviewer), as a candidate, and not logged in.
upload "$REV" "$(P "$C1" "$QE")" image/jpeg "$WORK/photo.jpg"
expect_error 403 FORBIDDEN
upload "$T1" "$(P "$C1" "$QE")" image/jpeg "$WORK/photo.jpg"
expect_error 403 FORBIDDEN
upload "" "$(P "$C1" "$QE")" image/jpeg "$WORK/photo.jpg"
expect_status 401
# Staff of another province: the exam is not theirs to enter (403, as the on-site entry).
upload "$JSAG" "$(P "$C1" "$QE")" image/jpeg "$WORK/photo.jpg"
expect_error 403 FORBIDDEN
api "$JSAG" POST /api/v1/registrations "$(onsite "$QE" "$C1")"
expect_error 403 FORBIDDEN
# A candidate registered with another province's exam is out of reach; no such candidate.
upload "$AG" "$(P "$C2" "$QE")" image/jpeg "$WORK/photo.jpg"
expect_error 404 NOT_FOUND
upload "$AG" "$(P 999999 "$QE")" image/jpeg "$WORK/photo.jpg"
expect_error 404 NOT_FOUND
# An exam without on-site entry, an unknown exam, no exam named.
upload "$AG" "$(P "$C1" "$QN")" image/jpeg "$WORK/photo.jpg"
expect_error 422 REG_ONSITE_NOT_PROVIDED
expect_json .error.rule REG-1
upload "$AG" "$(P "$C1" 999999)" image/jpeg "$WORK/photo.jpg"
expect_error 404 NOT_FOUND
upload "$AG" "/api/v1/candidates/$C1/photo" image/jpeg "$WORK/photo.jpg"
expect_error 400 QUERY_INVALID
expect_json .error.details.name exam_id
[ "$(state)" = "$before" ] || fail "a refused upload changed something: $before -> $(state)"
api "$T1" GET /api/v1/candidates/me/photo
expect_error 404 PHOTO_NONE

# ---- the staff upload: re-encoded, stored as the candidate's photo, audited ----
upload "$AG" "$(P "$C1" "$QE")" image/jpeg "$WORK/photo.jpg"
expect_status 200
expect_json .media_type image/jpeg
expect_json .purpose photo
expect_json .width 360
expect_json .height 480
expect_json .candidate_id "$C1"
expect_json .uploaded_by "$AGID"
sha=$(jq -r .sha256 "$WORK/body")
fid=$(jq -r .id "$WORK/body")
[ "$sha" != "$(sha256sum <"$WORK/photo.jpg" | cut -c1-64)" ] || fail "the upload was stored as sent, not re-encoded"
[ "$(db_query "SELECT candidate_id || '/' || uploaded_by || '/' || purpose FROM files WHERE id = $fid")" = "$C1/$AGID/photo" ] ||
	fail "the row does not say whose photo and who uploaded it"
# The candidate sees it as their own photo, byte for byte what was stored.
api "$T1" GET /api/v1/candidates/me
expect_json .photo.sha256 "$sha"
api "$T1" GET /api/v1/candidates/me/photo
expect_status 200
expect_header Content-Type image/jpeg
[ "$(sha256sum <"$WORK/body" | cut -c1-64)" = "$sha" ] || fail "the photo served is not the one stored"
# The audit names who uploaded it (the actor) and on whose behalf, for which exam.
aud=$(db_query "SELECT actor_id || '|' || actor_name || '|' || entity || '|' || entity_id || '|' || detail FROM audit_log WHERE action = 'candidate.photo'")
IFS='|' read -r aid aname aent aeid adet <<<"$aud"
[ "$aid|$aname|$aent|$aeid" = "$AGID|agency|files|$fid" ] || fail "audit record: $aud"
[ "$(jq -c '[.candidate_id, .uploaded_by, .exam_id, .on_behalf]' <<<"$adet")" = "[$C1,$AGID,$QE,true]" ] || fail "audit detail: $adet"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%/9j/%' OR detail LIKE '%JFIF%'")" = 0 ] || fail "image bytes in the audit"
# A PNG becomes a JPEG too and replaces it.
upload "$AG" "$(P "$C1" "$QE")" image/png "$DATA/portrait.png"
expect_status 200
expect_json .media_type image/jpeg
sha=$(jq -r .sha256 "$WORK/body")
api "$T1" GET /api/v1/candidates/me
expect_json .photo.sha256 "$sha"

# ---- REG-4: the exam's photo requirement is now met; the on-site entry goes through ----
api "$AG" POST /api/v1/registrations "$(onsite "$QE" "$C1")"
expect_status 201
expect_json .channel onsite
REG=$(jq -r .id "$WORK/body")
# Now registered in Anhui, C1 is out of the Jiangsu agency's reach even for its own exam.
upload "$JSAG" "$(P "$C1" "$QJ")" image/jpeg "$WORK/photo.jpg"
expect_error 404 NOT_FOUND
# Approved, the photo is locked for staff as for the candidate.
api "$REV" POST "/api/v1/registrations/$REG/review" '{"decision":"approve"}'
expect_status 200
before=$(state)
upload "$AG" "$(P "$C1" "$QE")" image/jpeg "$WORK/photo.jpg"
expect_error 409 PHOTO_LOCKED
[ "$(state)" = "$before" ] || fail "a locked photo changed: $before -> $(state)"
api "$REV" GET "/api/v1/registrations/$REG/photo"
expect_status 200
[ "$(sha256sum <"$WORK/body" | cut -c1-64)" = "$sha" ] || fail "the reviewer saw another photo"
audit_verify 0
server_stop
echo "ok"
