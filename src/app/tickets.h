/*
 * Admission tickets (SPEC TKT-1, TKT-2, TKT-4): a ticket exists once the registration's seat
 * is in a published seating run. Each issue is a version: self-printed by the candidate
 * inside the print window (no stamp), issued on site with the issuer's stamp (AH 18), or
 * reissued within the days before the exam and marked 补发 (AH 20); a new version revokes
 * the one before, whose QR then fails. The QR carries
 *     "KW1." base64url(payload JSON) "." base64url(Ed25519 signature of those JSON bytes)
 * with payload {"e": exam code, "t": ticket number, "v": version, "r": registration id,
 * "n": name, "i": masked identity number}, signed with the ticket key (derived from the
 * audit key, public at /api/v1/public/ticket_key) so check-in verifies it offline; online,
 * /api/v1/tickets/verify also says whether that version is still the valid one. The PDF is
 * rendered once per version (in a child process: render/isolate.h) and served as stored.
 * Every ticket of an exam in bulk, by recycled worker processes: app/bulkprint.h.
 */
#ifndef KW_APP_TICKETS_H
#define KW_APP_TICKETS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

/* The candidate's own ticket as a PDF (issuing version 1 on the first download). Refusals:
 * 403 TICKET_NOT_YOURS (staff, or another candidate's registration), 403
 * TICKET_WINDOW_CLOSED (details opens_at, closes_at), 409 TICKET_NOT_AVAILABLE (no
 * published seat, or the registration is not seatable), 409 TICKET_HELD (a ban found after
 * registration is being verified, REG-5), 503 TICKET_KEY_MISSING. */
int kw_ticket_download(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t reg, char **pdf, size_t *n,
                       struct kw_err *err);

/* Staff: {"kind": "onsite" | "reissue", "reason"?} → a new version (201, JSON); reissue only
 * within ticket_reissue_days_before days before the exam (TICKET_REISSUE_NOT_DUE). */
int kw_ticket_issue(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t reg, const json_t *body, json_t **out,
                    struct kw_err *err);

/* Staff: a version's PDF. */
int kw_ticket_pdf_get(struct kw_app *app, const struct kw_session_info *s, int64_t id, char **pdf,
                      size_t *n, struct kw_err *err);

/* Anyone holding a QR payload: {"valid", "reason"?: "TAMPERED" | "REVOKED" | "UNKNOWN",
 * "ticket_no", "exam", "version", "name", "id_number"}. */
int kw_ticket_verify(struct kw_app *app, const char *payload, json_t **out, struct kw_err *err);

/* Revokes the registration's valid ticket version, if any (audited "ticket.revoke", detail
 * {"by"}): its QR then fails. Inside a writer job. */
int kw_tickets_revoke(struct kw_tx *tx, int64_t reg, const char *by, struct kw_err *err);

/* {"alg": "Ed25519", "public_key": hex, "format": …}. */
json_t *kw_ticket_key_json(const struct kw_app *app);

#endif
