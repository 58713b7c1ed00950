/*
 * The integrity archive (GLOSSARY 诚信档案库; SPEC REG-2, REG-5, VIO-9, INF-5(5)): what it
 * holds on a day, and the ledger of its changes to be shared with the credit platform.
 *
 * The archive is the table archive_entries (a record kind of app/kinds.c: created, imported
 * and corrected through /api/v1/archive_entries — by hand, so each such change carries its
 * grounds and is written only when a second person approves it, INF-4, INF-5(5), records.h
 * "Maker-checker"; entries written by a violation case come from app/cases.c). Two archives
 * in one table, told apart by `kind`:
 *   civil_service  the civil-service recruitment archive; an entry with effect "ban" bars
 *                  civil-service (and 参公) exams while in term (REG-5, VH 15), nothing else
 *   qualification  the qualification-exam archive (PQ 15, Order No. 31 art. 12); any entry in
 *                  term closes the pledge route of a registration (REG-2)
 *
 * In the archive on day D (a CST date, "YYYY-MM-DD") means, and means only:
 *   term_start <= D, and term_end >= D or lifetime, and not revoked.
 * Terms count from the decision date (term_start) and end on term_end inclusive; a revoked
 * entry (revoked_at set) leaves the archive at once and stays in the table, marked
 * (INF-5(5)). Every statement that asks the question uses KW_ARCHIVE_IN_TERM, or
 * kw_archive_in_term, so there is one answer.
 *
 * Sharing (INF-5(5); VH 15; Order No. 31 art. 12): every change of the archive — an entry
 * added, its term ended, its decision revoked, an entry corrected by hand — is a row of the
 * ledger archive_shares with
 * the time the change was confirmed and the day by which the shared credit information must
 * be updated: the parameter archive_update_working_days (10) working days later on the
 * holiday calendar (core/calendar.h). An export carries the pending changes of one archive
 * to the credit platform and marks them shared; a change still pending after its due day is
 * overdue.
 */
#ifndef KW_APP_ARCHIVE_H
#define KW_APP_ARCHIVE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/err.h"

/*
 * The one SQL condition "entry A is in the archive on day DAY", for use inside any statement:
 * A is the alias of archive_entries as a string literal ("a"), DAY the day's placeholder or
 * expression as a string literal ("$3"). Parenthesised; use it after AND.
 *   "… FROM archive_entries a WHERE a.id_type = $1 AND a.id_number = $2 AND "
 *   KW_ARCHIVE_IN_TERM("a", "$3")
 * The look-up by person uses the index archive_entries_number (id_number, id_type).
 */
#define KW_ARCHIVE_IN_TERM(A, DAY)                                                                 \
	"(" A ".term_start <= " DAY " AND (" A ".lifetime = 1 OR " A ".term_end >= " DAY           \
	") AND " A ".revoked_at IS NULL)"

/* A civil-service ban (REG-5): the entries that bar civil-service exams while in term. */
#define KW_ARCHIVE_BAN(A) "(" A ".kind = 'civil_service' AND " A ".effect = 'ban')"

/*
 * What the archive holds in term on `day` for one identity document: *ban = a civil-service
 * ban (REG-5), *qual = any qualification-exam entry (REG-2). One indexed query on c (a read
 * connection or a job's). 0, or a store error.
 */
int kw_archive_in_term(struct kw_conn *c, const char *id_type, const char *id_number,
                       const char *day, int *ban, int *qual, struct kw_err *err);

/*
 * Records a change of entry_id in the sharing ledger, inside the caller's write (app/cases.c
 * calls it in the transaction that writes or revokes an entry; app/kinds.c when an approved
 * correction by hand is written). change is "added", "term_ended", "revoked" or
 * "corrected"; the entry's "added" row is recorded first when it has none.
 * Confirmed at: the entry's created_at for "added", its revoked_at (else now) for
 * "revoked", now for "term_ended" and "corrected". "corrected": nothing more while the
 * entry's first sharing ("added") is pending — that sharing carries the corrected entry —
 * else a "corrected" row (a shared one is made pending again, confirmed now: one row per
 * entry and change); and when the corrected term has already ended (term_end before today,
 * CST, not lifetime, not revoked) its "term_ended", confirmed now. At export a "corrected"
 * is neither an "added" nor a leaving. Due: archive_update_working_days working days after the
 * confirmation's CST date; null while the holiday calendar does not cover that period
 * (filled in by a later sweep once it does). A change already recorded is not recorded
 * again (0). A few indexed statements and one audit record, whatever the archive holds:
 * entries written by other paths (the register's create or import, a verification's record)
 * get their rows from the sweep. KW_ENOTFOUND (NOT_FOUND) for no such entry; KW_EINVAL
 * (ARCHIVE_CHANGE_UNKNOWN) for another change.
 */
int kw_archive_changed(struct kw_tx *tx, int64_t entry_id, const char *change, struct kw_err *err);

/*
 * Brings the ledger up to `day` (a CST date): an "added" row for every entry written since
 * the previous sweep without one, and a "term_ended" row, once, for every entry whose term ended
 * before `day` while it was in the archive (term_end < day, not lifetime, not revoked before the
 * end); confirmed at 00:00 CST of the day after term_end, so the due day does not depend on when
 * the sweep ran; due days the calendar now covers are filled in. Idempotent, and cheap when nothing
 * changed: it looks only at entries and days after the previous sweep (table archive_sweeps).
 * *added and *ended (may be NULL) get the rows recorded.
 */
int kw_archive_sweep_expired(struct kw_tx *tx, const char *day, int64_t *added, int64_t *ended,
                             struct kw_err *err);

/*
 * GET /api/v1/archive_shares: the ledger for the archive of the units s reaches with
 * archive.read, after a sweep up to today (run by the writer only when there is something to
 * record). status "pending" (default: not yet shared), "overdue" (pending past its due day)
 * or "shared"; kind "civil_service" | "qualification" (both when NULL); a page in id order
 * (after: the cursor; limit 1..1000). Items carry the entry (document number masked), the
 * change, confirmed_at, due_on, overdue, shared_at, export_no; counts {pending, overdue} over
 * what s reaches. QUERY_INVALID for a bad status or kind.
 */
struct kw_archive_share_query {
	const char *status;
	const char *kind;
	int64_t after;
	int limit;
};
int kw_archive_shares_list(struct kw_app *app, const struct kw_actor *actor,
                           const struct kw_session_info *s, const struct kw_archive_share_query *q,
                           json_t **out, struct kw_err *err);

/*
 * POST /api/v1/archive_shares/export {kind, export_no?}: after a sweep, the pending changes of
 * that archive among the entries of the units s reaches with archive.share, marked shared now
 * under a new export number, as CSV for the credit platform (UTF-8, a header row; the
 * document number whole). A pending "added" whose entry has since left the archive (a
 * pending "term_ended" or "revoked") was never shared: both rows are closed withheld, and
 * neither is sent — nothing was published that needs updating. With export_no: that earlier
 * export's rows again (a response lost on the way), marked as they were. Audited either way
 * (archive_share.export / archive_share.reexport, with the rows and the export number; no
 * identity numbers in the record). *csv is malloc'd; *rows the data rows; *export_no the
 * number. VALIDATION_FAILED for a bad body; NOT_FOUND for an export_no of another kind or
 * none the caller reaches.
 */
int kw_archive_export(struct kw_app *app, const struct kw_actor *actor,
                      const struct kw_session_info *s, const json_t *body, char **csv, size_t *len,
                      int64_t *rows, int64_t *export_no, struct kw_err *err);

/*
 * POST /api/v1/public/integrity_lookup {id_number, name} (no login; Order No. 31 art. 12,
 * INF-5(5)): the entries of the qualification-exam archive in term today (CST) for that
 * identity number whose name is the one given — {id_number (masked), name, as_of, items:
 * [{archive, effect, term_start, term_end, long_term, exam_name, act {regulation_zh,
 * citation_zh, act_zh, penalty_zh, …} | null, deciding_unit, decision_number,
 * decision_date}]}. Never the civil-service archive (VH 15 shares it as credit information,
 * it does not publish it). No entry in term, an unknown number and a wrong name are one
 * answer: INTEGRITY_NO_MATCH (404). Revoked and ended entries are gone at once (the one
 * in-term condition). Rate-limited per process, per client address
 * (KAOWU_INTEGRITY_ADDRESS_RATE a minute, default 20) and per identity number (10 a minute):
 * RATE_LIMITED (429) with *retry_s.
 */
int kw_archive_public_lookup(struct kw_app *app, const json_t *body, const char *address,
                             json_t **out, int *retry_s, struct kw_err *err);

#endif
