/*
 * Pass standards, qualified lists and electronic certificates (SPEC GRD-10, EXAM-5, INF-4,
 * INF-5(7); issue 10 item 9).
 *
 * Pass standards: a cut score per subject, versioned and public (PQ 38).
 *
 * Qualified list: drawn by agency staff from the publication in force — a candidate qualifies
 * when every subject required of them is scored at or above its cut (a corrected review
 * counts: the publication carries it; a cancelled, absent or zeroed subject never does,
 * INF-5(6)) — leaving out, until it ends, anyone still under qualification verification (an
 * open verification task: GRD-10). The province confirms it through a second person (an
 * approval of kind qualified_list.confirm; approval.decide and score.qualify at the exam's
 * unit); the confirmation issues the certificates in the checker's transaction, and makes
 * certificates follow the scores (INF-5(7)): a holder no longer on the confirmed list loses
 * their certificate (revoked, reason not_qualified), someone qualified again gets a new one.
 *
 * Levels, exempt subjects and rolling passes (EXAM-5, PQ 43(3)-(4)). Drawn for the candidates
 * seated in this exam, from what the exam records hold:
 * - Required subjects. Without levels (exams.levels empty), every subject of the exam. With
 *   levels, the candidate's level is the level of the subjects they registered for (subjects
 *   with no level belong to every level; a registration naming subjects of two levels, or of
 *   none, has no level and does not qualify) and the subjects of that level are required; a
 *   subject whose level is not one of the exam's refuses the draw (409 QUALIFY_LEVEL_UNKNOWN).
 *   The certificate names the level.
 * - Exempt subjects. A registration keeps only the subjects applied for (registrations.subjects);
 *   there is no exemption record of its own: an exemptible subject (subjects.exemptible)
 *   the candidate did not apply for is taken as exempt (免试) — not required, shown as such on
 *   the certificate. Whether they may be exempt is the registration review's check (REG-5/6).
 *   A subject that is not exemptible and not applied for must have been passed earlier.
 * - Rolling passes. An exam's series: the exams of the same organising unit and kind whose
 *   names are the same once each one's own year is taken out ("2026年度经济专业技术资格考试"
 *   and "2027年度经济专业技术资格考试"; a cancelled exam or a template is in none). With
 *   rolling_years R ≥ 2, a required subject not passed in this exam counts when the same
 *   person (candidate account) passed the subject of that code in an exam of the series held
 *   in the R − 1 years before this one — at or above that exam's own cut, in that exam's
 *   publication in force (so a score cancelled or corrected later counts as it stands now),
 *   the newest pass first. A pass older than the window no longer counts; without
 *   rolling_years (or R = 1) this exam alone counts.
 * A list entry keeps, besides the registration and ticket, how each required subject was
 * met (score and year, or exempt) and the level, unless every subject of a level-less exam was
 * passed in it; the certificate is issued from that, and shows each subject's year.
 *
 * Certificates: number "<exam code>-<6 digits>", the holder's name, masked identity number,
 * the exam (and level) and each subject's score and year passed, the issue day (CST), and a
 * QR payload signed with Ed25519 ("KWC1." — app/signed.h; the public key at GET
 * /api/v1/public/certificate_key), so a code is checked offline. Revocation by a second person
 * (approval kind certificate.revoke). Public verification by number and name (the same answer for
 * an unknown number and a wrong name, CERT_NO_MATCH) or by the QR payload (TAMPERED, REVOKED,
 * UNKNOWN), rate-limited per address like the score look-up.
 */
#ifndef KW_APP_CERTS_H
#define KW_APP_CERTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/approvals.h"
#include "app/identity.h"
#include "app/writer.h"
#include "util/buf.h"

/* POST /api/v1/exams/{id}/pass_standards {subjects: {code: cut score}}: *out = the standards. */
int kw_certs_standards_set(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, int64_t exam, const json_t *body,
                           json_t **out, struct kw_err *err);

/* GET /api/v1/public/exams/{id}/pass_standards: {exam_id, subjects: [{code, name, cut_score,
 * version}]}. */
int kw_certs_standards(struct kw_app *app, int64_t exam, json_t **out, struct kw_err *err);

/* POST /api/v1/exams/{id}/qualified_lists: drawn, pending its confirmation (*out with
 * approval_id). */
int kw_certs_list_prepare(struct kw_app *app, const struct kw_actor *actor,
                          const struct kw_session_info *s, int64_t exam, json_t **out,
                          struct kw_err *err);

/* GET /api/v1/exams/{id}/qualified_lists */
int kw_certs_lists(struct kw_app *app, const struct kw_session_info *s, int64_t exam, json_t **out,
                   struct kw_err *err);

/* GET /api/v1/exams/{id}/certificates: staff, the exam's certificates (?status=); a candidate,
 * theirs. */
int kw_certs_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                  const char *status, json_t **out, struct kw_err *err);

/* GET /api/v1/certificates/{id}/pdf: the holder or staff; *pdf the document. */
int kw_certs_pdf(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                 struct kw_buf *pdf, char *number, size_t nlen, struct kw_err *err);

/* POST /api/v1/certificates/{id}/revoke {reason}: a pending approval (*out with approval_id). */
int kw_certs_revoke(struct kw_app *app, const struct kw_actor *actor,
                    const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                    struct kw_err *err);

/* POST /api/v1/public/certificates/verify {number, name} or {payload}. */
int kw_certs_verify(struct kw_app *app, const json_t *body, const char *address, json_t **out,
                    int *retry_s, struct kw_err *err);

/* GET /api/v1/public/certificate_key */
json_t *kw_certs_key_json(const struct kw_app *app);

/* The approvals module's hooks. */
extern const struct kw_approval_kind kw_qualified_list_approval;
extern const struct kw_approval_kind kw_certificate_revoke_approval;

#endif
