/*
 * National pre-exam rule templates and provincial exams (SPEC EXAM-2, PQ 16(1)).
 *
 * An exam in status "template" carries what is national: the kind, the rule set, the exam
 * and reference dates, the syllabus date, levels, the rolling period, the conditions, and its
 * subjects with their durations, modes and timetable. A provincial exam that names it
 * (template_id) inherits all of that — given values that differ are refused with
 * fixed_by_template — and sets what is provincial: the registration window and places, the
 * procedure, ticket delivery, the fee approval and each subject's fee. Its subjects are
 * copied from the template when it is created (fees 0 until the province sets them); only a
 * subject's fee may change there, and no subject is added. What the template changes later
 * (an exam date moved, a subject added or renamed) reaches every provincial exam in the same
 * transaction, each change audited.
 *
 * records.c calls these for every kind; they do nothing for kinds other than exams and
 * subjects.
 */
#ifndef KW_APP_TEMPLATE_H
#define KW_APP_TEMPLATE_H

#include <jansson.h>
#include <stdint.h>

#include "app/records.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/err.h"

/*
 * Before a write: rec is the merged record (old NULL for a new one). Inherited values are
 * taken from the template into rec; problems ({field, problem}) are added to fields:
 * fixed_by_template, not_a_template (template_id names no template), template_nested.
 */
int kw_template_prepare(struct kw_conn *c, const struct kw_kind *k, const json_t *old, json_t *rec,
                        json_t *fields, struct kw_err *err);

/*
 * After a write of record id (changes NULL for a new one), in the same transaction: copies a
 * new provincial exam's subjects from its template; carries a template's changes (its
 * inherited fields, its subjects) to the exams made from it. Each row written is audited.
 */
int kw_template_after(struct kw_tx *tx, const struct kw_kind *k, int64_t id, const json_t *rec,
                      const json_t *changes, struct kw_err *err);

#endif
