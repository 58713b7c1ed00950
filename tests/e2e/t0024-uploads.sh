#!/usr/bin/env bash
# Uploads (REG-4 photo, REG-2 proof materials): checked by content, size and pixels, never by
# name or declared type; images re-encoded so none of the uploaded bytes are served; each
# refusal changes nothing; proof files only on a proof-route registration awaiting review;
# the photo locked once a registration is approved; reviewers of the registration's unit see
# both, nobody else; bytes checked against their audited digest on every read.
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
staff rev qualification_reviewer "$AH"; REV=$TOKEN
staff jsrev qualification_reviewer "$JS"; JSREV=$TOKEN

window='"status":"published","reg_opens_at":"2026-11-01T00:00:00+08:00","reg_closes_at":"2026-12-01T00:00:00+08:00","exam_date":"2027-06-01","ref_date":"2027-06-01"'
api "$A" POST /api/v1/exams "{\"unit_id\":$AH,\"code\":\"ZC\",\"name\":\"经济专业技术资格\",\"kind\":\"qualification\",\"ruleset\":\"PQ\",\"year\":2027,\"photo_required\":false,$window}"
QE=$(jq -r .id "$WORK/body")
api "$A" POST /api/v1/subjects "{\"exam_id\":$QE,\"code\":\"01\",\"name\":\"经济基础知识\",\"duration_minutes\":150,\"mode\":\"cbt\",\"fee_cents\":5600}"
expect_status 201
pledge=$(jq -r .PQ.version "$KW_SRC/data/pledges/pledges.json")

candidate() { # candidate ID → TOKEN
	api "" POST /api/v1/candidates "$(jq -nc --arg i "$1" '{id_number:$i,name:"考生",phone:"13800000000",password:"cand-pass-1"}')"
	expect_status 201
	req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"id_number\":\"$1\",\"password\":\"cand-pass-1\"}"
	TOKEN=$(jq -r .token "$WORK/body")
}
candidate "$(idcard 340104 19900101 111)"; T1=$TOKEN
candidate "$(idcard 340104 19910101 222)"; T2=$TOKEN
files() { db_query "SELECT COUNT(*) FROM files"; }
upload() { # upload TOKEN METHOD PATH TYPE FILE [curl options…]
	api "$1" "$2" "$3" -H "Content-Type: $4" --data-binary "@$5" "${@:6}"
}

# ---- REG-4: the photo, bad input first — each refusal changes nothing ----
"$KAOWU" generate photo --pick 2 >"$WORK/photo.jpg"
head -c 9000 "$WORK/photo.jpg" >"$WORK/cut.jpg"
printf '<html><body><script>alert(1)</script></body></html>' >"$WORK/page.jpg"
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' >"$WORK/ok.pdf"
{ printf '\xff\xd8\xff\xe0'; head -c $((3 * 1024 * 1024)) /dev/zero; } >"$WORK/big.jpg"
{ printf '\xff\xd8\xff\xe0'; head -c $((9 * 1024 * 1024)) /dev/zero; } >"$WORK/huge.jpg"

api "$T1" PUT /api/v1/candidates/me/photo -H 'Content-Type: image/jpeg'
expect_error 400 FILE_EMPTY
upload "$T1" PUT /api/v1/candidates/me/photo text/plain "$WORK/photo.jpg"
expect_error 415 UNSUPPORTED_FILE_TYPE
upload "$T1" PUT /api/v1/candidates/me/photo application/pdf "$WORK/ok.pdf"
expect_error 415 UNSUPPORTED_FILE_TYPE
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$WORK/page.jpg"
expect_error 400 FILE_NOT_IMAGE
expect_json .error.details.problem not_image
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$WORK/ok.pdf"
expect_error 400 FILE_TYPE_MISMATCH
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$WORK/cut.jpg"
expect_error 400 FILE_TRUNCATED
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$DATA/landscape.jpg"
expect_error 400 IMAGE_ASPECT
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$DATA/small.jpg"
expect_error 400 IMAGE_TOO_SMALL
expect_json .error.details.min_width 240
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$WORK/big.jpg"
expect_error 413 FILE_TOO_LARGE
expect_json .error.details.max_bytes 2097152
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$WORK/huge.jpg"
expect_error 413 BODY_TOO_LARGE
# Chinese by default, English on request.
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$DATA/landscape.jpg" -H 'Accept-Language: en'
expect_json '.error.message | test("portrait")' true
[ "$(files)" = 0 ] || fail "a refused upload left a file"
api "$T1" GET /api/v1/candidates/me/photo
expect_error 404 PHOTO_NONE
# Staff have no photo of their own, and anonymous callers none at all.
api "$REV" PUT /api/v1/candidates/me/photo -H 'Content-Type: image/jpeg' --data-binary "@$WORK/photo.jpg"
expect_error 403 FORBIDDEN
api "" PUT /api/v1/candidates/me/photo -H 'Content-Type: image/jpeg' --data-binary "@$WORK/photo.jpg"
expect_status 401

# ---- a good photo: re-encoded, its digest audited, served back as stored ----
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$WORK/photo.jpg"
expect_status 200
expect_json .media_type image/jpeg
expect_json .width 360
expect_json .height 480
expect_json .purpose photo
sha=$(jq -r .sha256 "$WORK/body")
[ "$sha" != "$(sha256sum <"$WORK/photo.jpg" | cut -c1-64)" ] || fail "the upload was stored as sent, not re-encoded"
api "$T1" GET /api/v1/candidates/me/photo
expect_status 200
expect_header Content-Type image/jpeg
expect_header X-Content-Type-Options nosniff
expect_header Cache-Control no-store
[ "$(sha256sum <"$WORK/body" | cut -c1-64)" = "$sha" ] || fail "the photo served is not the one stored: $(wc -c <"$WORK/body") bytes, $(head -c 64 "$WORK/body" | od -c | head -3) $sha"
# A PNG with transparency becomes a JPEG too, and replaces the photo.
upload "$T1" PUT /api/v1/candidates/me/photo image/png "$DATA/portrait.png"
expect_status 200
expect_json .media_type image/jpeg
expect_json .width 300
sha=$(jq -r .sha256 "$WORK/body")
api "$T1" GET /api/v1/candidates/me
expect_status 200
expect_json .photo.sha256 "$sha"
[ "$(files)" = 2 ] || fail "expected 2 photo rows, got $(files)"
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE action = 'candidate.photo'")" = 2 ] || fail "photo uploads not audited"

# ---- REG-2: proof materials, on a proof-route registration awaiting review ----
api "$T1" POST /api/v1/registrations "{\"exam_id\":$QE,\"subjects\":[\"01\"],\"route\":\"proof\"}"
expect_status 201
RG1=$(jq -r .id "$WORK/body")
api "$T2" POST /api/v1/registrations "$(jq -nc --argjson e "$QE" --arg v "$pledge" '{exam_id:$e,subjects:["01"],route:"pledge",pledge_version:$v,pledge_accepted:true}')"
expect_status 201
RG2=$(jq -r .id "$WORK/body")
P="/api/v1/registrations/$RG1/proofs"
upload "$T1" POST "$P" application/pdf "$WORK/ok.pdf"
expect_error 400 VALIDATION_FAILED
expect_json '.error.details.fields[0].field' label
printf '%%PDF-1.4\ntrailer<</Root 1 0 R/Encrypt 5 0 R>>\n%%%%EOF\n' >"$WORK/enc.pdf"
printf '%%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%%%EOF\n' >"$WORK/js.pdf"
head -c 30 "$WORK/ok.pdf" >"$WORK/cut.pdf"
label='label=%E5%AD%A6%E5%8E%86%E8%AF%81%E4%B9%A6' # 学历证书
upload "$T1" POST "$P?$label" application/pdf "$WORK/enc.pdf"
expect_error 400 PDF_ENCRYPTED
upload "$T1" POST "$P?$label" application/pdf "$WORK/js.pdf"
expect_error 400 PDF_ACTIVE_CONTENT
upload "$T1" POST "$P?$label" application/pdf "$WORK/cut.pdf"
expect_error 400 FILE_TRUNCATED
upload "$T1" POST "$P?$label" application/pdf "$WORK/photo.jpg"
expect_error 400 FILE_TYPE_MISMATCH
[ "$(files)" = 2 ] || fail "a refused proof left a file"
upload "$T1" POST "$P?$label" application/pdf "$WORK/ok.pdf"
expect_status 201
expect_json .label 学历证书
expect_json .media_type application/pdf
PDF=$(jq -r .id "$WORK/body")
# A landscape scan is a fine proof page (only photos must be portraits).
upload "$T1" POST "$P?label=work" image/jpeg "$DATA/landscape.jpg"
expect_status 201
expect_json .width 640
# Another candidate can neither see nor add to it; a pledge-route registration takes none.
api "$T2" GET "$P"
expect_error 404 NOT_FOUND
upload "$T2" POST "$P?label=x" application/pdf "$WORK/ok.pdf"
expect_error 404 NOT_FOUND
upload "$T2" POST "/api/v1/registrations/$RG2/proofs?label=x" application/pdf "$WORK/ok.pdf"
expect_error 409 PROOF_NOT_OPEN

# ---- REG-6: the reviewers of the registration's unit see photo and proofs; others do not ----
api "$REV" GET "/api/v1/registrations/$RG1/photo"
expect_status 200
[ "$(sha256sum <"$WORK/body" | cut -c1-64)" = "$sha" ] || fail "the reviewer saw another photo"
api "$REV" GET "$P"
expect_status 200
expect_json '.items | length' 2
expect_json '.items[0].label' 学历证书
api "$REV" GET "$P/$PDF"
expect_status 200
expect_header Content-Type application/pdf
case "$(header Content-Disposition)" in attachment*) ;; *) fail "a PDF is served inline: $(header Content-Disposition)" ;; esac
cmp -s "$WORK/body" "$WORK/ok.pdf" || fail "the PDF came back changed"
api "$JSREV" GET "/api/v1/registrations/$RG1/photo"
expect_error 404 NOT_FOUND
api "$JSREV" GET "$P/$PDF"
expect_error 404 NOT_FOUND
api "$T2" GET "$P/$PDF"
expect_error 404 NOT_FOUND

# ---- approved: the photo is locked (it goes on the ticket), and proofs are closed ----
api "$REV" POST "/api/v1/registrations/$RG1/review" '{"decision":"approve"}'
expect_status 200
upload "$T1" PUT /api/v1/candidates/me/photo image/jpeg "$WORK/photo.jpg"
expect_error 409 PHOTO_LOCKED
upload "$T1" POST "$P?$label" application/pdf "$WORK/ok.pdf"
expect_error 409 PROOF_NOT_OPEN
[ "$(files)" = 4 ] || fail "expected 4 files, got $(files)"
# The audit keeps digests, never the bytes.
[ "$(db_query "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%/9j/%' OR detail LIKE '%JFIF%'")" = 0 ] || fail "image bytes in the audit"
audit_verify 0

# ---- tampering with stored bytes is caught on read ----
db_query "UPDATE file_blobs SET data = (SELECT data FROM file_blobs WHERE sha256 <> '$sha' LIMIT 1) WHERE sha256 = '$sha'" >/dev/null
api "$REV" GET "/api/v1/registrations/$RG1/photo"
expect_error 500 FILE_INTEGRITY
server_stop
echo "ok"
