/*
 * Objective scoring (SPEC GRD-4, GRD-5, CUS-8, INF-5(6), SEC-1, SEC-2; issue 10): answer
 * keys per paper form, the answer database read from scanner output, and score runs.
 *
 * Keys. A subject has a master form and other forms (A卷, B卷…), each a version of
 * {items: [{kind, options, key, points, partial?, partial_points?}], perm?}: kind single |
 * multiple | indeterminate | true_false; key the correct option letters ("B", "ACD"; true/false
 * items: A = 对, B = 错); points and partial_points in points, to the hundredth (1.5); partial
 * none | per_option | fixed. A form other than the master carries perm = {items: [master item
 * number of form item 1, 2, …], options: ["BADC", …]: form option j of item i is master option
 * options[i][j]} and is refused unless its key is exactly the permuted master (CUS-8,
 * KEY_NOT_PERMUTED_MASTER naming the form item); every run checks each form again against the
 * master's latest version. Keys are 机密: listed without their content; read whole only with
 * score.key.read, after the exam's last subject has ended (SEC-2, KEY_SEALED before), each read
 * audited.
 *
 * Answers. A CSV of scanner output with the columns ticket_no, subject, form, answers (one
 * symbol per item, core/score.h's default symbols: A–G single options, a base-36 digit for a
 * set of options, '-' blank, '*' or '?' unreadable), read in the presence of a second person
 * (GRD-4: the witness, another staff member, named by username). Every row is checked against
 * the seating data and the subject's master key before anything is written: an unknown ticket,
 * a subject the candidate did not register for, a form without a key, answers of the wrong
 * length or with unknown symbols, two sheets for one candidate and subject (in the file or
 * already imported), a candidate absent per a closed room record (below: "absent_sheet");
 * one problem and nothing is written (IMPORT_INVALID, details.rows).
 *
 * Absentees of the room record (缺考; DAY-4 with GRD-4, GRD-5, GRD-7; issue 10). The closed
 * room record of the exam room a candidate sat in (app/examday.h) is the record of who did
 * not sit the subject. (1) The import refuses a sheet of a candidate that record lists
 * absent: the row's problem "absent_sheet" (field ticket_no). (2) A score run marks such a
 * candidate absent even with a sheet imported before the record closed, or a script mark:
 * neither part counts, the line reads as a no-sheet absentee's (no form, raw, final,
 * objective or subjective); a cancellation still wins (cancelled), a zero decision finds
 * nothing to zero (absent; the cross-check lists decision_on_absent) and the cross-check
 * lists the sheet or mark (recorded_absent_with_sheet, _with_mark). The absentees are an
 * input of the run: a line "reg TAB absent:room_record TAB code TAB 0" each in the
 * outcomes' digest (none without them, so a run without absentees keeps its digest). A
 * room whose record is still open changes nothing (state unknown): its sheets import and
 * score as before.
 *
 * Score runs. For one subject: every candidate seated for it in the exam's published seating
 * run, their sheet scored with their form's key, and the decisions in force applied — a
 * registration cancelled or void, a subject or sitting void: cancelled; a subject zeroed: zero
 * (the raw score kept beside it); no sheet, or absent per the closed room record: absent
 * (缺考), never zero. A pure function of
 * (answers, keys, rules, outcomes): each input's digest and the result's are kept, so the same
 * inputs give the same result digest; a revoked decision restores the score in the next run.
 *
 * Marks (GRD-3, GRD-5). A subject with a marking (app/marking.h) is scored only once the
 * marking is confirmed (SCORE_MARKING_NOT_CONFIRMED before); a candidate's raw is then the
 * sheet's points plus the script's final mark (a subject without keys: the mark alone). The
 * run keeps the marks' digest (marks_digest) and counts its anomalies: with both parts to a
 * subject, a candidate with only one of them (a sheet and no mark, a mark and no sheet) is
 * not scored ("anomaly": raw kept, no final) and the cross-check lists them; with neither,
 * absent. Such a run's lines carry two fields more after the seven of migration 0022 — "TAB
 * objective TAB subjective", each empty without its part —; a run without a marking writes
 * the lines it always did (marks_digest null).
 */
#ifndef KW_APP_SCORING_H
#define KW_APP_SCORING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "core/score.h"
#include "store/store.h"

/* POST /api/v1/exams/{id}/subjects/{code}/keys: *out = the key's summary (no content). */
int kw_scoring_key_load(struct kw_app *app, const struct kw_actor *actor,
                        const struct kw_session_info *s, int64_t exam, const char *subject,
                        const json_t *body, json_t **out, struct kw_err *err);

/* GET /api/v1/exams/{id}/subjects/{code}/keys: every version, without content. */
int kw_scoring_keys(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                    const char *subject, json_t **out, struct kw_err *err);

/* GET /api/v1/answer_keys/{id}: the whole key, after the exam (SEC-2), the read audited. */
int kw_scoring_key_get(struct kw_app *app, const struct kw_actor *actor,
                       const struct kw_session_info *s, int64_t id, json_t **out,
                       struct kw_err *err);

/* POST /api/v1/exams/{id}/answers (text/csv): *out = {id, sheets, subjects: {code: n}}. */
int kw_scoring_answers_import(struct kw_app *app, const struct kw_actor *actor,
                              const struct kw_session_info *s, int64_t exam, const char *witness,
                              const char *filename, const char *data, size_t n, json_t **out,
                              struct kw_err *err);

/* GET /api/v1/exams/{id}/answers: the imports, and the sheets per subject. */
int kw_scoring_imports(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                       json_t **out, struct kw_err *err);

/* POST /api/v1/exams/{id}/subjects/{code}/score_runs: *out = the run (as kw_scoring_run_get). */
int kw_scoring_run(struct kw_app *app, const struct kw_actor *actor,
                   const struct kw_session_info *s, int64_t exam, const char *subject, json_t **out,
                   struct kw_err *err);

/* GET /api/v1/exams/{id}/subjects/{code}/score_runs */
int kw_scoring_runs(struct kw_app *app, const struct kw_session_info *s, int64_t exam,
                    const char *subject, json_t **out, struct kw_err *err);

/* GET /api/v1/score_runs/{id} */
int kw_scoring_run_get(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                       json_t **out, struct kw_err *err);

/* GET /api/v1/score_runs/{id}/scores?after=&limit=: a page of {registration_id, ticket_no,
 * form, status, raw, final, case_id, objective, subjective}, scores as "87.5". */
int kw_scoring_run_scores(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                          int64_t after, int limit, json_t **out, struct kw_err *err);

/* An item kind's name: single | multiple | indeterminate | true_false ("?" for no kind). */
const char *kw_scoring_kind_name(uint8_t kind);

/* A key's items in the API's form ({kind, options, key, points, partial?, partial_points?}). */
json_t *kw_scoring_items_json(const struct kw_score_key *k);

/*
 * GET /api/v1/score_runs/{id}/crosscheck (GRD-7): every candidate's line of run id computed
 * again from the answers, the run's keys and the decisions in force — with the reference
 * scorer, one sheet at a time, not the kernel the run used — and compared with the stored
 * result: *out = {run_id, subject, candidates, differences, items: [{stored, recomputed}] (the
 * first 100), answers_digest, outcomes_digest, result_digest, marks_digest: {run, now, same},
 * status: clean | differences, findings: {count, kinds, items}}. A decision revoked since the
 * run, or answers imported since, shows as differences: the run is no longer the inputs'
 * result. With a marking, every final mark is worked out again from the markers' marks
 * (script_marks) through the final-score rule (kw_marking_resolve), not read from the
 * marking's record.
 *
 * Findings (GRD-7), beside the differences and kept with them, never blocking publication:
 * abnormal distributions — each exam room's scored totals against the rest of its centre (or
 * of the exam), each centre's against the rest of the exam: mean, spread, identical totals
 * (core/crosscheck.h) —; absentees with a script mark and sheets without one; absentees per
 * the exam day's room records with a sheet or a mark; a zero decision for an absentee, a
 * decision on the subject for someone not seated for it; marks of registrations not seated,
 * marks that do not settle.
 */
int kw_scoring_crosscheck(struct kw_app *app, const struct kw_session_info *s, int64_t id,
                          json_t **out, struct kw_err *err);

/* Points as the API takes them — a number or a decimal string, ≥ 0, at most two decimals,
 * at most 1,000 — in hundredths: 0, or -1 when v is not such a value. */
int kw_scoring_points(const json_t *v, int32_t *h);

/* When the exam's last subject ends (µs UTC; 0 while a subject is unscheduled): keys are
 * sealed before it (SEC-2). */
int kw_scoring_exam_end(struct kw_conn *c, int64_t exam, int64_t *end_us, struct kw_err *err);

/* The id of the exam whose code is code (NOT_FOUND without one). */
int kw_scoring_exam_id(struct kw_app *app, const char *code, int64_t *id, struct kw_err *err);

/* ---- the stored keys and sheets, for scoring, item analysis and screening ---- */

#define KW_SCORING_MAX_FORMS 16 /* forms a run scores (and analysis, screening read) */

/* A stored key: one version of one form. perm is the identity for the master. */
struct kw_scoring_key {
	int64_t id, version;
	char form[8], digest[65];
	int master;
	struct kw_score_key key;
	struct kw_form_perm perm;
};

enum {
	KW_SCORING_KEYS_MASTER = 1, /* the latest master only (run_keys NULL) */
	KW_SCORING_KEYS_VERIFY = 2, /* every form checked against the master (CUS-8) */
};

/*
 * The keys of subject (subjects.id), the master first (*out[0..*n), the caller frees *out):
 * with run_keys NULL the latest version of every form (KW_SCORING_KEYS_MASTER: of the master
 * only; 409 SCORE_NO_MASTER_KEY when there are form keys and no master); else the versions a
 * score run used — its keys JSON {form: {id, …}}, the first KW_SCORING_MAX_FORMS, an empty
 * object giving *n 0 (a subject scored from its marking alone) — each a key of subject, else
 * INTERNAL (damaged). With KW_SCORING_KEYS_VERIFY each form is its permuted master: 422
 * KEY_NOT_PERMUTED_MASTER (details.form) otherwise. On c (a pool connection or tx->conn).
 */
int kw_scoring_keys_load(struct kw_conn *c, int64_t subject, const json_t *run_keys, int flags,
                         struct kw_scoring_key **out, size_t *n, struct kw_err *err);

/* One stored answer sheet as the import packed it: form and answers point into the block. */
struct kw_scoring_sheet {
	int64_t reg;
	const char *form, *answers;
	size_t form_len, answers_len;
	const struct kw_answer_symbols *sym; /* the default symbols */
};

/*
 * Every stored sheet of subject, in import order (answer blocks by id; memory holds one
 * block), each handed to fn (a non-zero return stops the walk and is returned); digest
 * (NULL-able) the answers' digest over the blocks' bodies — the answers_digest of a run.
 */
int kw_scoring_sheets_each(struct kw_conn *c, int64_t subject,
                           int (*fn)(void *arg, const struct kw_scoring_sheet *sh,
                                     struct kw_err *err),
                           void *arg, char digest[65], struct kw_err *err);

/* sh's answers decoded (core/score.h's default symbols) into ans (keys[*form].key.n bytes,
 * in the form's item order) with the key of its form: 409 SCORE_FORM_WITHOUT_KEY (details.form)
 * or SCORE_SHEET_INVALID (details.registration_id) when it does not fit. */
int kw_scoring_sheet_decode(const struct kw_scoring_sheet *sh, const struct kw_scoring_key *keys,
                            size_t nkeys, uint8_t *ans, size_t *form, struct kw_err *err);

#endif
