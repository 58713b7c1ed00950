/*
 * The pure rules of a violation case (SPEC VIO-0 … VIO-9; VH 5-12, 18-21; Order No. 31
 * art. 6-12): who may decide a catalogue entry, the statement-and-defence and appeal
 * deadlines, what a penalty does, the archive entry it writes, the citation, and the filled
 * decision letter and notice. The catalogue and its entries come in as JSON checked by
 * kw_catalogue_validate (src/core/catalogue.h); days are calendar day numbers
 * (src/core/calendar.h). Pure: no I/O, no clock; the app layer (src/app/cases.c) stores,
 * authorises and audits.
 */
#ifndef KW_CORE_SANCTION_H
#define KW_CORE_SANCTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "util/err.h"

/* Unit level rank: "county" 1, "prefecture" 2, "provincial" 3, "national" 4; 0 when unknown. */
int kw_sanction_level_rank(const char *level);

/*
 * The deciding unit as cases.c sees it.
 *   kind: unit kind (src/app/kinds.c unit_kinds): ministry, national_centre,
 *         provincial_authority, provincial_agency, prefecture_authority, area_agency, centre,
 *         recruiter, civil_service_authority, marking_unit, physical_exam_unit
 *   level: national | provincial | prefecture | county
 *   organises_exam: the unit is the exam's organising unit or one of its ancestors
 *   recruits_position: the unit is the recruiter of the case's position, or an ancestor of it
 */
struct kw_decider_unit {
	const char *kind;
	const char *level;
	bool organises_exam;
	bool recruits_position;
};

/*
 * VIO-7: may this unit decide this catalogue entry? The entry's "deciders" (any one suffices)
 * map to units thus:
 *
 *   decider kind             unit kinds                        and also
 *   civil_service_authority  civil_service_authority           with a duty (qualification_review,
 *                                                              organises_stage): organises_exam
 *                                                              or recruits_position
 *   recruiter                recruiter                         recruits_position; but with the
 *                                                              duty organises_stage on an entry
 *                                                              of the exam or marking stage
 *                                                              (VH 6): organises_exam instead
 *   organising_agency        national_centre,                  organises_exam
 *                            provincial_agency, area_agency
 *   authority                ministry, provincial_authority,   organises_exam
 *                            prefecture_authority
 *   certificate_issuer       ministry, provincial_authority,   organises_exam
 *                            prefecture_authority
 *
 * and, for any decider with a min_level, the unit's level ranks at least min_level
 * (kw_sanction_level_rank; an unknown level ranks below every min_level). The duties ("the
 * recruiting agency or civil-service authority that does the qualification review", VH 5;
 * "… that organises the exam / the physical exam / the vetting", VH 6, 10, 11) are
 * approximated by the unit's tie to the exam or the position: the exam's organiser runs the
 * exam and its marking, the position's recruiter its review, physical exam and vetting.
 * 0 when one decider matches. Otherwise KW_ERULE, rule "VIO-7", code CASE_DECIDER_LEVEL
 * when some decider matched in everything but a level below its min_level (details {entry,
 * unit_level, min_level}: the first such decider's), else CASE_DECIDER_NOT_ALLOWED (details
 * {entry, unit_kind, deciders: a copy of the entry's deciders array}).
 */
int kw_sanction_may_decide(const json_t *entry, const struct kw_decider_unit *u,
                           struct kw_err *err);

/*
 * VIO-8, DL-1: the last day for the statement and defence: N working days after the day
 * the notice was received (that day not counted; kw_cal_add_workdays). N is working_days when
 * it is > 0, else the catalogue's procedure.defence_working_days, else 5 (SPEC §15's default).
 * Errors: those of kw_cal_add_workdays (CALENDAR_YEAR_UNKNOWN past the covered years).
 */
int kw_sanction_defence_due(const struct kw_calendar *cal, const json_t *cat,
                            int32_t notice_receipt, int working_days, int32_t *due,
                            struct kw_err *err);

/*
 * VIO-8, DL-1: the appeal deadlines counted from the day the decision letter was received:
 * administrative review procedure.review_days days (kw_cal_add_days), lawsuit
 * procedure.lawsuit_months months (kw_cal_add_months); each moved to the next working day
 * when it falls on a day off. Errors: KW_EINVAL, code CATALOGUE_INVALID (details {entry:
 * the catalogue's id, field "procedure.review_days" or "procedure.lawsuit_months", problem
 * "missing"}) when the catalogue lacks one; those of the calendar functions.
 */
int kw_sanction_appeal_deadlines(const struct kw_calendar *cal, const json_t *cat, int32_t receipt,
                                 int32_t *review_due, int32_t *lawsuit_due, struct kw_err *err);

/* What an entry's penalty does, besides any archive entry (flags). */
enum kw_sanction_effect {
	KW_SE_ZERO_SUBJECT = 1,        /* zero for the subject (sitting) concerned (VH 6, VH 9) */
	KW_SE_VOID_SUBJECT = 2,        /* that subject's score void for this sitting (Order 31
	                                  lighter, art. 11) */
	KW_SE_VOID_SITTING = 4,        /* all subjects of the sitting void (Order 31 art. 7, 8, and
	                                  art. 10 through art. 7) */
	KW_SE_CANCEL_REGISTRATION = 8, /* eligibility for this exam cancelled (VH 5 serious, 7, 8,
	                                  10-12): the registration's process ends with it, so
	                                  KW_SE_PROCESS_ENDED is not set as well */
	KW_SE_REGISTRATION_VOID = 16,  /* registration void (VH 5 false information) */
	KW_SE_PROCESS_ENDED = 32,      /* the recruitment process ended (VH 5, 9, 10-12 lighter) */
	KW_SE_CERTIFICATE_VOID = 64,   /* a certificate obtained with false material is void
	                                  (Order 31 art. 10) */
	KW_SE_END_SITTING = 128,       /* Order 31 art. 9: the sitting ended for them */
};

/*
 * The effects of a penalty name of the vocabulary (kw_catalogue_penalty); 0 when unknown:
 *   registration_void_process_ended          REGISTRATION_VOID | PROCESS_ENDED  (VH 5)
 *   zero_for_subject                         ZERO_SUBJECT                       (VH 6)
 *   zero_for_subject_process_ended           ZERO_SUBJECT | PROCESS_ENDED       (VH 9)
 *   process_ended                            PROCESS_ENDED                      (VH 10-12)
 *   cancel_plus_5_year_ban                   CANCEL_REGISTRATION (+ the ban)    (VH 5, 7, 10-12)
 *   cancel_plus_lifetime_ban                 CANCEL_REGISTRATION (+ the ban)    (VH 8, 10-12)
 *   void_subject                             VOID_SUBJECT                       (O31 6, 11)
 *   void_all_subjects_plus_5_year_record     VOID_SITTING (+ the record)        (O31 7)
 *   void_all_subjects_plus_long_term_record  VOID_SITTING (+ the record)        (O31 8)
 *   sitting_ended                            END_SITTING                        (O31 9)
 *   certificate_void_plus_5_year_record      CERTIFICATE_VOID | VOID_SITTING    (O31 10)
 */
unsigned kw_sanction_effects(const char *penalty);

/*
 * The archive entry a decision on this entry writes, from the decision day (VH 20: a ban
 * runs from the decision date). any=false when the penalty writes none. kind: "civil_service"
 * for the VH archive (effect "ban") or "qualification" for Order 31's (effect "record") —
 * the values of the archive_entries table (src/app/kinds.c). Terms: start = decision day; a
 * 5-year term ends on the day before the fifth anniversary (2024-03-01 → 2029-02-28; a
 * 29 February start → 28 February); lifetime/long-term: lifetime=true, end unset (0).
 * kind and effect are static strings.
 * Errors: KW_EINVAL, code CATALOGUE_INVALID (details {entry, field "penalty", problem
 * "unknown"}) for a penalty outside the vocabulary, or (field "archive", problem
 * "mismatch") when the penalty's archive is not the catalogue's ("archive.kind"); KW_EINVAL,
 * code DATE_INVALID, when the term would end past 9999.
 */
struct kw_sanction_term {
	bool any;
	const char *kind, *effect;
	bool lifetime;
	int32_t start, end;
};
int kw_sanction_term(const json_t *cat, const json_t *entry, int32_t decision_day,
                     struct kw_sanction_term *t, struct kw_err *err);

/*
 * n (1 … 999) in Chinese numerals as legal texts number articles: 一 … 十, 十一 … 十九, 二十,
 * 二十一 …, 一百, 一百零一, 一百一十 …; written NUL-terminated into out (size >= 32 always
 * suffices). 0, or -1 when n is out of range or out too small (out then holds "").
 */
int kw_sanction_numeral_zh(int n, char *out, size_t size);

/* A day as the letters write it, "2025年10月14日" (no leading zeros); out is NUL-terminated. */
#define KW_SANCTION_DATE_ZH_MAX 32
void kw_sanction_date_zh(int32_t day, char out[KW_SANCTION_DATE_ZH_MAX]);

/*
 * "第七条第一款第三项" / "第九条第一款" from the entry's article, clause, item (Chinese
 * numerals, kw_sanction_numeral_zh), per the catalogue's letter.citation_zh (with_item or
 * without_item); malloc'd (the caller frees). NULL when the template or the numbers are
 * missing or out of range.
 */
char *kw_sanction_citation_zh(const json_t *cat, const json_t *entry);

/*
 * The stage in Chinese as the letter says it: registration 报名, exam 考试, marking 阅卷,
 * physical_exam 体检, vetting 考察, fitness_psych_test 体能测评或心理测评, order
 * 考试（录用）工作, certification 证书申领 — every stage kw_catalogue_validate accepts.
 * NULL when unknown.
 */
const char *kw_sanction_stage_zh(const char *stage);

/* The filled letter and notice. */
struct kw_letter_fields {
	const char *number; /* the document's number */
	const char *name, *id_number, *exam;
	const char *stage_zh; /* NULL: the stage below, or the entry's stage, in Chinese */
	const char *facts, *issuer;
	int32_t date;        /* decision (letter) or notice date; 0 (1970-01-01) counts as unset */
	int32_t defence_due; /* notice only; 0 counts as unset */
	/* Added: the case's stage code ("vetting"), used when stage_zh is NULL; needed for an
	 * entry that covers several stages (VH 11: vetting, fitness_psych_test), which is
	 * refused (field "stage") without it. Must be one of the entry's stages. */
	const char *stage;
};

/*
 * The decision letter from the catalogue's "letter" template (title_zh, lines_zh):
 * *out = {"title": "...", "lines": ["编号：…", "考生…：", body…, issuer line, date line]}
 * (a new object, the caller's). The placeholders (the template's "placeholders" describes
 * them):
 *   {number} {name} {id_number} {exam} {facts} {issuer}  the fields of the same names
 *   {stage}           stage_zh, else kw_sanction_stage_zh(stage or the entry's one stage)
 *   {citation}        kw_sanction_citation_zh
 *   {act}             the entry's "zh" (the act as the article words it)
 *   {penalty}         the entry's penalty_zh, else the catalogue's penalties[penalty].zh
 *   {review_days} {lawsuit_months}  the catalogue's procedure, Arabic numerals
 *   {date} {defence_due}  kw_sanction_date_zh of the field
 * Refused with KW_EINVAL, code CASE_LETTER_FIELD, details {field}: a field the template uses
 * that is NULL, empty or not UTF-8 (a date <= 0 or past 9999), a stage that cannot be told
 * (several stages and no stage field, or a stage field not among the entry's), a citation
 * that cannot be made (field "citation"), a placeholder the filler
 * does not know ("{foo}" → field "foo") or an unclosed "{", a template missing (field
 * "letter" or "notice").
 */
int kw_sanction_letter(const json_t *cat, const json_t *entry, const struct kw_letter_fields *f,
                       json_t **out, struct kw_err *err);

/*
 * The notice of an intended decision (陈述申辩告知书, VH 19 / Order 31 procedure), from the
 * catalogue's "notice" template; same shape, placeholders and refusals as kw_sanction_letter
 * (date is the notice's date, defence_due required). It tells the person the intended
 * penalty, the facts, the reasons and basis (the citation and the article's wording), and the
 * right to state and defend in writing or through the candidate portal until {defence_due}
 * 24:00, silence by then being taken as waiving it.
 */
int kw_sanction_notice(const json_t *cat, const json_t *entry, const struct kw_letter_fields *f,
                       json_t **out, struct kw_err *err);

#endif
