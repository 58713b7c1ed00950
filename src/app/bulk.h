/*
 * Registrations in bulk (issue: migrations and national-scale tests): `kaowu import
 * registrations FILE` and `kaowu export registrations`. Both stream — memory does not grow
 * with the number of rows — and report progress.
 *
 * Import: a UTF-8 CSV with a header naming its columns (any order): id_type, id_number,
 * name, phone (required), birth_date, education_level, degree, major_code, major, school,
 * graduated_on, political_status, household_region, work_years, grassroots_years; and, for a
 * registration, exam_code with position_code (civil service) or subjects ("01;02"), route
 * (pledge | proof, default proof), status (submitted | approved | rejected | void,
 * default submitted) and area (the unit code of the exam-area agency where the candidate
 * sits, SEAT-1). A candidate already there (same document) is reused, never changed;
 * new ones get no usable password (they set one through the identity-claim path or staff).
 * Every row is checked (the document by core/idno.c, codes against the exam); one problem
 * anywhere and nothing is written (one transaction): IMPORT_INVALID with details.rows =
 * [{line, field, problem}] (the first 200, in line order) and details.count. Audit: one batch
 * record (Merkle root) per 10,000 candidates and per 10,000 registrations. Rows are written
 * 128 to a statement (candidates, then their registrations, each audited from the rows
 * RETURNING gives), positions read once per exam; on SQLite the job runs with statement
 * journals in memory (kw_writer_run_bulk) and a 256 MiB page cache.
 */
#ifndef KW_APP_BULK_H
#define KW_APP_BULK_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "app/writer.h"

struct kw_bulk_progress {
	void (*fn)(void *arg, uint64_t rows, uint64_t bytes); /* called every 10,000 rows */
	void *arg;
};

/* in must be seekable (the writer may run the job twice; each run reads from where in
 * stood). *out = {"rows", "candidates_created", "candidates_reused", "registrations"}. */
int kw_bulk_import_registrations(struct kw_app *app, const struct kw_actor *actor, FILE *in,
                                 const struct kw_bulk_progress *progress, json_t **out,
                                 struct kw_err *err);

/*
 * The registrations of exam code (every exam when NULL) as CSV in the import's columns (so
 * an export imports again) or XLSX (labels in Chinese), to out. Identity numbers whole:
 * this is the operator's migration tool on the server host, and the export is audited.
 * *rows = how many.
 */
int kw_bulk_export_registrations(struct kw_app *app, const struct kw_actor *actor,
                                 const char *exam_code, const char *format, FILE *out,
                                 const char *xlsx_path, const struct kw_bulk_progress *progress,
                                 uint64_t *rows, struct kw_err *err);

#endif
