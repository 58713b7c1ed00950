/*
 * Violation catalogues as data (SPEC VIO-0 … VIO-8): which acts a catalogue lists, at which
 * stage, how grave, with what penalty and ban, decided by whom, and the catalogue's own
 * procedure and decision letter. The catalogues are data files compiled into the binary
 * (data/rules/catalogues/<name>.json: vh.json for the civil-service recruitment Measures,
 * order31.json for MOHRSS Order No. 31); this module checks them and looks things up in them.
 * Pure: the catalogue comes in as JSON, nothing is read or written.
 *
 * A catalogue:
 *   {"id": "VH", "version": "YYYY-MM-DD", "applies_to": [exam kind…], "never_for": [exam kind…],
 *    "penalties": {penalty: {"zh", "en"}}, "procedure": {"review_days", "lawsuit_months",
 *    "defence_working_days", …}, "letter": {"title_zh", "lines_zh": [line…],
 *    "citation_zh": {"with_item", "without_item"}, "placeholders": {name: description}, …},
 *    "notice": {"title_zh", "lines_zh", "placeholders", …}, "entries": [entry…], …}
 * The letter is the decision letter; the notice tells of the intended decision and the right
 * to state and defend (VIO-8); both are filled by src/core/sanction.c, each "{name}" in their
 * texts one of kw_catalogue_placeholders and described in their "placeholders".
 * An entry:
 *   {"id", "article", "clause", "item" (integer or null), "stage" (a stage, or an array of
 *    stages when the article covers several), "severity", "rule", "zh", "en", "penalty",
 *    "penalty_zh"?, "ban_years" (0, 5, or null when lifetime), "lifetime",
 *    "archive" (null or {"kind", "years", "long_term"}), "deciders": [{"kind", "min_level"?,
 *    "duty"?}…], "deciders_choice"?, "requires"?, "escalates_to"? (articles), "note_zh"?,
 *    "note_en"?}
 * The id is <catalogue id>-<article>-<clause>[-<item>], followed by -<severity> when several
 * entries share article, clause and item (VH 10-12 list their outcomes per severity):
 * "VH-7-1-3", "VH-9-1", "VH-12-1-3-serious".
 */
#ifndef KW_CORE_CATALOGUE_H
#define KW_CORE_CATALOGUE_H

#include <jansson.h>
#include <stdbool.h>

#include "util/err.h"

/* Catalogue ids kw_catalogue_for_exam_kind returns. */
#define KW_CATALOGUE_VH      "VH"
#define KW_CATALOGUE_ORDER31 "ORDER31"

/* One penalty of the vocabulary and what it implies for the entries that carry it. */
struct kw_penalty {
	const char *name;    /* "cancel_plus_5_year_ban" */
	int ban_years;       /* ban on civil-service exams: 0 or 5; 0 when lifetime */
	bool lifetime;       /* a lifetime ban (entry: ban_years null, lifetime true) */
	const char *archive; /* integrity archive it is recorded in, or NULL */
	int record_years;    /* the record's term in years; 0 when long_term or no record */
	bool long_term;      /* a long-term (lifetime) record */
};

/* The placeholders a letter or notice template may use ("number", "citation", …),
 * NULL-terminated; kw_sanction_letter (src/core/sanction.h) fills each. */
extern const char *const kw_catalogue_placeholders[];

/* The penalty called name, or NULL when the vocabulary has none. */
const struct kw_penalty *kw_catalogue_penalty(const char *name);

/*
 * Checks a catalogue: the top-level fields (the letter and the notice with their
 * placeholders: the letter citing the article and naming the penalty, the notice also giving
 * the facts, the act and the end of the defence period), every entry's fields (unknown ones
 * refused), a penalty from the vocabulary and described in "penalties", ban_years, lifetime and
 * archive as the penalty implies (cancel_plus_5_year_ban ⇔ ban_years 5, a lifetime ban ⇔ lifetime
 * true), at least one decider, unique ids that match article, clause, item (and severity),
 * escalation only to articles the catalogue has, and applies_to consistent with
 * kw_catalogue_for_exam_kind (VIO-0: VH never for a non-civil-service exam).
 * Refusal: KW_EINVAL, code CATALOGUE_INVALID, details {entry, field, problem}: entry is the
 * entry's id (or "#<index>" when it has none usable) or the catalogue's id for a top-level
 * field; problem is one of "missing", "type", "unknown", "undescribed" (a penalty the
 * catalogue's "penalties" does not describe), "duplicate", "mismatch", "inconsistent", "empty".
 */
int kw_catalogue_validate(const json_t *cat, struct kw_err *err);

/* The entry with that id (borrowed), or NULL. */
const json_t *kw_catalogue_entry(const json_t *cat, const char *id);

/*
 * Like kw_catalogue_entry, with an error: KW_EINVAL, code CATALOGUE_ENTRY_UNKNOWN, details
 * {catalogue, entry} when the catalogue has no such entry. *out is borrowed.
 */
int kw_catalogue_find(const json_t *cat, const char *id, const json_t **out, struct kw_err *err);

/* Does the entry apply at that stage ("stage" a string or an array of strings)? */
bool kw_catalogue_entry_has_stage(const json_t *entry, const char *stage);

/*
 * The catalogue an exam kind is handled under (VIO-0): "VH" for civil_service_recruitment
 * and civil_service_equivalent (recruitment into units managed by reference to the Civil
 * Service Law, except 工勤人员; VH 2, 24), "ORDER31" for professional_qualification, NULL for
 * any other kind (national and provincial rules loaded as data, AH 50). VH is never returned
 * for a non-civil-service exam.
 */
const char *kw_catalogue_for_exam_kind(const char *kind);

/*
 * May this catalogue be applied to an exam of that kind? 0 when the kind is in its
 * applies_to and kw_catalogue_for_exam_kind does not send the kind elsewhere; else
 * KW_ERULE, code CATALOGUE_NOT_FOR_EXAM, rule VIO-0, details {catalogue, exam_kind}.
 */
int kw_catalogue_check_exam_kind(const json_t *cat, const char *kind, struct kw_err *err);

/* The embedded data file of a catalogue id ("vh.json", "order31.json"), or NULL. */
const char *kw_catalogue_file(const char *id);

/*
 * The embedded catalogue id, parsed (duplicate keys refused), not yet validated: *out is
 * owned by the caller. KW_EINVAL, code CATALOGUE_INVALID, details {entry: id, field: "file",
 * problem: "missing" or "type"} when there is no such file or it is not JSON.
 */
int kw_catalogue_load(const char *id, json_t **out, struct kw_err *err);

#endif
