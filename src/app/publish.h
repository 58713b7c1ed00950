/*
 * Cross-checks on record and the publication of scores (SPEC GRD-7, GRD-8, INF-4; issue 10
 * items 5 and 7).
 *
 * Cross-check on record. kw_scoring_crosscheck computes; kw_publish_crosscheck_record keeps
 * the outcome (score_crosschecks), with the first differences. A subject is publishable only
 * when its latest score run has a clean cross-check on record, made after the last change to
 * the run's inputs (answers imported, a decision applied or reversed; a key loaded after the
 * run): otherwise PUBLISH_DIFFERENCES, PUBLISH_NOT_CROSSCHECKED or PUBLISH_STALE.
 *
 * Publication. A maker prepares the publication of an exam's scores: one run per subject —
 * the latest, cross-checked clean — frozen into look-up records (the candidate's ticket
 * number, a keyed check of identity number and name, and the record served: masked name,
 * each subject's status and score), in ticket order, in audited blocks; a pending approval
 * (kind score_publication.publish) waits for a second person (INF-4), who approves it through
 * POST /api/v1/approvals/{id}/approve; the previous publication of the exam, if any, is then
 * superseded. Nothing is visible to candidates before the approval.
 *
 * Look-up. POST /api/v1/public/exams/{id}/score_lookup {ticket_no, id_number, name}: the
 * frozen record of the exam's publication in force, served from this process's memory (loaded
 * once per publication; the publication in force is checked again every few seconds, and at
 * once in the process that approved one). Only a process's first look-up of an exam waits for
 * its records: later, a newer publication or correction is looked for and loaded on a thread
 * of its own (or by the request that approved it) while look-ups are served from the records
 * held until then. The same answer for an unknown ticket and for a
 * wrong identity number or name (SCORE_LOOKUP_NO_MATCH): the look-up never tells whether a
 * ticket exists. Rate limits per process: per client address (KAOWU_LOOKUP_ADDRESS_RATE per
 * minute, default 60; 0 = off, for benchmarks that say so) and per ticket number (10 per
 * minute), 429 with Retry-After.
 */
#ifndef KW_APP_PUBLISH_H
#define KW_APP_PUBLISH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/approvals.h"
#include "app/identity.h"
#include "app/writer.h"

/* POST /api/v1/score_runs/{id}/crosschecks: the cross-check done and kept; *out = the
 * cross-check's result (kw_scoring_crosscheck) with its "id". */
int kw_publish_crosscheck_record(struct kw_app *app, const struct kw_actor *actor,
                                 const struct kw_session_info *s, int64_t run, json_t **out,
                                 struct kw_err *err);

/* GET /api/v1/score_runs/{id}/crosschecks: those kept, newest first (without the report). */
int kw_publish_crosschecks(struct kw_app *app, const struct kw_session_info *s, int64_t run,
                           json_t **out, struct kw_err *err);

/* POST /api/v1/exams/{id}/publications: prepares a publication; *out = the publication with
 * its approval_id (pending). */
int kw_publish_prepare(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t exam, json_t **out,
                       struct kw_err *err);

/* GET /api/v1/exams/{id}/publications: every publication of the exam, newest first. */
int kw_publish_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam, json_t **out,
                    struct kw_err *err);

/*
 * POST /api/v1/public/exams/{id}/score_lookup: *body (malloc'd, n bytes) = {"exam": {id,
 * code, name}, "publication": {id, published_at}, "subjects": [{code, name}], "candidate":
 * the frozen record}. address: the client's, for the rate limit. SCORES_NOT_PUBLISHED,
 * SCORE_LOOKUP_NO_MATCH, RATE_LIMITED (KW_ETHROTTLED; *retry_s set).
 */
int kw_publish_lookup(struct kw_app *app, int64_t exam, const json_t *req, const char *address,
                      char **body, size_t *n, int *retry_s, struct kw_err *err);

/* ---- for app/review.c (score review, GRD-9) ---- */

/* The exam's publication in force: *pub (0 without one) and its published_at. */
int kw__pub_current(struct kw_conn *c, int64_t exam, int64_t *pub, char published_at[32],
                    struct kw_err *err);
/* The record publication pub serves for ticket (its latest patch, else its block line):
 * *record malloc'd, NULL when the ticket is not in it. */
int kw__pub_record(struct kw_conn *c, int64_t pub, const char *ticket, char **record,
                   struct kw_err *err);
/* Every record of publication pub in ticket order, each with its latest correction applied:
 * fn(arg, ticket, record) (nonzero stops it, returned). The blocks are read a few at a time,
 * never the whole publication at once: the way for work over every published candidate (a
 * qualified list of millions), where kw__pub_record is the way for one. */
int kw__pub_each(struct kw_conn *c, int64_t pub,
                 int (*fn)(void *arg, const char *ticket, const char *record), void *arg,
                 struct kw_err *err);
/* Replaces ticket's record in publication pub (a corrected review), in tx. */
int kw__pub_patch(struct kw_tx *tx, int64_t pub, const char *ticket, const char *record,
                  int64_t review, struct kw_err *err);
/* The per-address rate limit of public look-ups (certificate verification shares it): 0, or
 * 1 with *retry_s. */
int kw__pub_rate_address(struct kw_app *app, const char *address, int *retry_s);
/* After an approval or a correction: when this process holds the exam's records, it loads
 * the publication in force now (look-ups meanwhile served from the records held). */
void kw__pub_invalidate(struct kw_app *app, int64_t exam);

/* The approvals module's hook for kind score_publication.publish. */
extern const struct kw_approval_kind kw_publication_approval;

/* The per-process memory of published look-up records (app.c owns it). */
struct kw_pub_cache;
struct kw_pub_cache *kw_pub_cache_new(void);
void kw_pub_cache_free(struct kw_pub_cache *c); /* NULL-safe */

#endif
