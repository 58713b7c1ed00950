/*
 * The answer-data backup file (SPEC GRD-4, AH 58; issue 10): its shape, its digests and the
 * checks a file must pass on its own, before anything is compared with the live answer
 * database (app/answerbak.h). Pure: bytes in, findings out.
 *
 * The file is one JSON object (UTF-8):
 *   {"format": "kaowu-answer-backup-v1", "backup_id": N,
 *    "manifest": {"exam": {id, code, name}, "subject": "01" or null,
 *                 "created_at": RFC 3339 in China time (+08:00), "made_by": username,
 *                 "imports": [{id, file_sha256, sheets, imported_by, witness, created_at}],
 *                 "batches": [{block_id, import_id, subject, sheets, first_registration,
 *                              last_registration, sha256}],
 *                 "counts": {imports, batches, sheets}},
 *    "digest": the manifest's digest,
 *    "batches": [{block_id, body}]}
 * body is an answer block exactly as stored (one sheet a line, "registration_id TAB ticket_no
 * TAB form TAB answers" and a LF); a batch's sha256 is the SHA-256 of its body; the manifest's
 * digest the SHA-256 of the manifest written with sorted keys, no spaces and UTF-8 as is
 * (jansson's JSON_COMPACT | JSON_SORT_KEYS); a sheet's digest the SHA-256 of its line without
 * the LF. All in lower-case hex. The digest is what the backup's record keeps.
 */
#ifndef KW_CORE_ANSWERBAK_H
#define KW_CORE_ANSWERBAK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define KW_ANSWERBAK_FORMAT       "kaowu-answer-backup-v1"
#define KW_ANSWERBAK_MAX_PROBLEMS 100 /* problems listed (all are counted by the caller) */

/* The SHA-256 of n bytes at d, in hex. */
void kw_answerbak_sha256(const void *d, size_t n, char out[65]);

/* The manifest's digest (above). 0, or -1 when it cannot be written. */
int kw_answerbak_manifest_digest(const json_t *manifest, char out[65]);

/* One line of a body (without its LF): its registration id in *reg when it has the four
 * fields and a positive decimal id first. 0, or -1. */
int kw_answerbak_line(const char *p, size_t n, int64_t *reg);

/*
 * Reads a backup file and checks it on its own: the shape above, the manifest's digest, each
 * batch's SHA-256, sheet count and lines, that every batch of the manifest has a body and
 * every body a batch, and the counts. Each finding is appended to problems (at most
 * KW_ANSWERBAK_MAX_PROBLEMS) as {problem, block_id?, line?, note}: unreadable, format,
 * manifest_digest, batch_missing, batch_extra, batch_digest, batch_sheets, batch_line, counts.
 * *doc = the file (the caller's; NULL when unreadable). 0 when the file has the shape of a
 * backup (problems may still be listed), -1 when it has not.
 */
int kw_answerbak_check(const char *data, size_t n, json_t **doc, json_t *problems);

#endif
