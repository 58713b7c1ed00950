/*
 * Answer-data backups (SPEC GRD-4, AH 58: "有关数据应逐日备份，并由专人分别保管"; issue 10):
 * the answer database of an exam backed up daily into files kept apart by different people.
 * Not `kaowu backup` (the whole SQLite database): this is the answer data alone, in a file
 * that says what it holds (core/answerbak.h).
 *
 * Create: the exam's (or one subject's) answer blocks as stored, every import they come
 * from, the counts and each batch's SHA-256 in a manifest whose digest is recorded with the
 * maker and time (answer_backups, answer_backup_batches; audited score.answers.backup); the
 * file is the answer. ANSWER_BACKUP_EMPTY (409) when there is nothing to back up.
 *
 * Keep: a second step — the backup taken into custody by a keeper, the caller, who is neither
 * its maker (ANSWER_BACKUP_KEEPER_IS_MAKER) nor the operator of an import it covers
 * (ANSWER_BACKUP_KEEPER_IS_OPERATOR; both 422, rule GRD-4, nothing written), with where it is
 * kept (location, free text); once (ANSWER_BACKUP_ALREADY_KEPT, 409). Audited
 * score.answers.backup.keep.
 *
 * List: the backups of an exam, newest first, and the overdue days: a China-time day before
 * today with an import some of whose batches no backup in custody holds (a backup taken into
 * custody later clears it); due_today the same for today.
 *
 * Verify: a backup file checked on its own (core/answerbak.h), against its record (the digest
 * recorded for its backup_id) and against the live answer database: every sheet's digest
 * (the SHA-256 of its line) equal, each difference listed.
 *
 * Create and keep need score.answers.write at the exam's unit, as the import does; list and
 * verify score.read.
 */
#ifndef KW_APP_ANSWERBAK_H
#define KW_APP_ANSWERBAK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"

#define KW_ANSWERBAK_LOCATION_MAX 200 /* characters of a keeping place */
#define KW_ANSWERBAK_MAX_DIFFS    100 /* differences listed (all counted) */

/* POST /api/v1/exams/{id}/answer_backups[?subject=CODE]: *out = the backup file. */
int kw_answerbak_create(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t exam, const char *subject,
                        json_t **out, struct kw_err *err);

/* POST /api/v1/answer_backups/{id}/custody {location}: *out = the backup's record. */
int kw_answerbak_keep(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, int64_t id, const json_t *body, json_t **out,
                      struct kw_err *err);

/* GET /api/v1/exams/{id}/answer_backups: *out = {exam_id, items, overdue, due_today}. */
int kw_answerbak_list(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                      json_t **out, struct kw_err *err);

/*
 * POST /api/v1/exams/{id}/answer_backups/verification (the file as the body); exam 0: the
 * file's own (the CLI), s NULL: the server host's operator (no grant check). *out = {status:
 * ok | problems, backup_id, exam_id, digest, recorded, kept, sheets, sheets_compared,
 * newer_sheets, problems: [{problem, block_id?, line?, note}], problem_count, differences:
 * [{problem, block_id, registration_id?, ticket_no?, backup_sha256?, live_sha256?}],
 * difference_count}. ANSWER_BACKUP_FILE_INVALID (422, details.problems) for a file that is
 * not a backup; ANSWER_BACKUP_OTHER_EXAM (422) for one of another exam than exam.
 */
int kw_answerbak_verify(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                        const char *data, size_t n, json_t **out, struct kw_err *err);

#endif
