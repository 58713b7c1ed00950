/*
 * The audit trail (SPEC INF-5(8); ARCHITECTURE.md "Audit"): one hash chain per database,
 * appended by the writer inside the transaction of the write it records.
 *
 * A record: seq (1, 2, …), at (RFC 3339 UTC), actor (kind, id, name), request id,
 * action ("user.create"), entity (a table) and entity id, the canonical digest of that
 * row after the write ("deleted" when it is gone), a detail JSON object (masked by the
 * caller: no identity numbers, phones or photos), prev_hash and hash.
 *
 * Canonical forms (identical on SQLite and PostgreSQL):
 *   row    = JSON of the row's columns with sorted keys, integers in decimal, text as
 *            strings, NULL as null, no spaces; digest = BLAKE2b-256 in lower-case hex.
 *   record = the same for the record's fields except `hash`; hash = BLAKE2b-256(record).
 *
 * Checkpoints: after each batch the writer signs (Ed25519) "kaowu-audit-v1 <seq> <hash>"
 * with a key kept outside the database (a 0600 file created by `kaowu init`), stores the
 * checkpoint in audit_checkpoints and writes it to KEYFILE.head. `kaowu audit verify`
 * catches: an edited, deleted or reordered record (the chain), an audited row changed,
 * added or deleted behind the program's back (row digests), and a cut tail (the head file
 * or a signed checkpoint is ahead of the chain).
 */
#ifndef KW_APP_AUDIT_H
#define KW_APP_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "app/writer.h"
#include "store/store.h"
#include "util/err.h"

#define KW_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * Appends a record to tx's chain. entity NULL: an event about no row (a refused login).
 * detail may be NULL (stored as {}); it is borrowed.
 */
int kw_audit_append(struct kw_tx *tx, const char *action, const char *entity, int64_t entity_id,
                    const json_t *detail, struct kw_err *err);

/*
 * The same, from the row as the write returned it (saves reading it back): the statement
 * must be positioned on the row, its columns those of kw_audit_returning(entity), the id
 * first.
 */
int kw_audit_append_row(struct kw_tx *tx, const char *action, const char *entity,
                        struct kw_stmt *row, const json_t *detail, struct kw_err *err);

/*
 * Steps s (an audited statement of one row: INSERT or UPDATE … RETURNING) and appends the
 * row's audit record with detail (taken: released here). 0; 1 when no row came back (nothing
 * matched, nothing audited); or an error.
 */
int kw_audit_step(struct kw_tx *tx, const char *action, const char *entity, struct kw_stmt *s,
                  json_t *detail, struct kw_err *err);

/*
 * Bulk work: one record for many rows of entity written by one job. rows[i] holds each
 * row's id and canonical digest (kw_audit_digest_row on the INSERT … RETURNING result).
 * The record's row_digest is "merkle:<root>" over the leaves
 *   leaf = BLAKE2b-256("kaowu-leaf-v1\0" ‖ entity ‖ "\0" ‖ decimal id ‖ "\0" ‖ digest)
 * in ascending id order, each parent = BLAKE2b-256("kaowu-node-v1\0" ‖ left ‖ right) (raw
 * 32-byte hashes), an odd last node carried up unchanged; the leaves' ids and digests go
 * in audit_batch_rows, so verify recomputes the root and checks every row as for single
 * records. detail gets "count".
 */
struct kw_batch_row {
	int64_t id;
	char digest[65];
};
int kw_audit_append_batch(struct kw_tx *tx, const char *action, const char *entity,
                          const struct kw_batch_row *rows, size_t n, const json_t *detail,
                          struct kw_err *err);

/* The canonical digest (and id) of the current row of a statement over
 * kw_audit_returning(entity)'s columns (columns after those are ignored). */
int kw_audit_digest_row(const char *entity, struct kw_stmt *row, int64_t *id, char digest[65]);

/* The Merkle root (hex) of rows, as kw_audit_append_batch computes it; rows are sorted. */
void kw_audit_merkle_root(const char *entity, struct kw_batch_row *rows, size_t n, char root[65]);

/* "RETURNING <every audited column of entity>" into out[n]; for INSERT/UPDATE … RETURNING. */
int kw_audit_returning(const char *entity, char *out, size_t n);

/* Prepares the INSERT/UPDATE of fmt (printf-style) followed by kw_audit_returning(entity):
 * a statement whose rows kw_audit_append_row takes. */
int kw_audit_prepare(struct kw_conn *c, const char *entity, struct kw_stmt **out,
                     struct kw_err *err, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/*
 * An audited write of one row of entity (an INSERT, or an UPDATE of one row; RETURNING is
 * added): $1, $2, … bound from the arguments as types says — 'i' an int64_t, 'n' an int64_t
 * bound as null when 0, 't' a const char * (NULL: null). Takes detail. *id (may be NULL) gets
 * the row's id; 0 also when an UPDATE matched nothing (nothing written, nothing audited).
 */
int kw_audit_put(struct kw_tx *tx, struct kw_err *err, const char *entity, const char *action,
                 json_t *detail, int64_t *id, const char *sql, const char *types, ...);

/* The chain head: its seq (0 when empty) and hash (KW_AUDIT_GENESIS when empty). */
int kw_audit_head(struct kw_conn *c, int64_t *seq, char hash[65], struct kw_err *err);

/* Is `entity` an audited table? */
int kw_audit_is_table(const char *entity);

/* The i-th audited table's name (i = 0, 1, …), NULL after the last. */
const char *kw_audit_table(size_t i);

/* The i-th audited column of entity (0: the id) and its type in *type ('i' integer, 't'
 * text), or NULL after the last one or for a table that is not audited. */
const char *kw_audit_column(const char *entity, int i, char *type);

/* The canonical digest of row id of an audited table; *exists 0 when there is none. */
int kw_audit_row_digest(struct kw_conn *c, const char *entity, int64_t id, char out[65],
                        int *exists, struct kw_err *err);

/* ---- the signing key ---- */
struct kw_audit_key;
/* Creates a new key file (mode 0600); refuses to overwrite one. */
int kw_audit_key_create(const char *path, struct kw_err *err);
int kw_audit_key_load(const char *path, struct kw_audit_key **out, struct kw_err *err);
void kw_audit_key_free(struct kw_audit_key *k);
/* An Ed25519 key pair for another use (e.g. "kaowu-ticket-v1"), derived from the audit key:
 * seed = BLAKE2b-256(key = the audit key's seed, message = purpose). Kept outside the
 * database like the audit key itself. */
void kw_audit_key_derive(const struct kw_audit_key *k, const char *purpose, unsigned char pk[32],
                         unsigned char sk[64]);
/* Signs the head, stores the checkpoint row in c's transaction. */
int kw_audit_checkpoint(struct kw_conn *c, const struct kw_audit_key *k, int64_t seq,
                        const char hash[65], int64_t now_us, struct kw_err *err);
/* After the commit: records the latest checkpoint in KEYFILE.head (atomic rename). */
int kw_audit_head_file_write(const struct kw_audit_key *k, int64_t seq, const char hash[65]);

/* ---- verification ---- */
struct kw_audit_report {
	int64_t records;     /* chain records checked */
	int64_t rows;        /* audited rows checked */
	int64_t checkpoints; /* signed checkpoints checked */
	int64_t bad_seq;     /* the first bad record (0 when the problem is not one record) */
	char problem[300];   /* what is wrong, in English, naming the record or row */
};

/*
 * Verifies the chain, the rows and (with a key) the checkpoints and the head file.
 * 0 when intact; KW_ECONFLICT with code AUDIT_BROKEN and rep->problem otherwise.
 */
int kw_audit_verify(struct kw_conn *c, const struct kw_audit_key *k, struct kw_audit_report *rep,
                    struct kw_err *err);

/* The default key file for a database URL: PATH.audit-key for SQLite, else
 * $KAOWU_AUDIT_KEY or ./kaowu-audit.key. Writes into out[n]. */
void kw_audit_key_path(const char *url, char *out, size_t n);

#endif
