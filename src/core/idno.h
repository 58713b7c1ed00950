/*
 * Identity-document numbers (SPEC REG-4): a configurable list of document types — resident
 * ID card, social security card, foreigner permanent-residence card, others — each checked
 * by its own rules. Resident-ID check-digit validation (GB 11643) never applies to the other
 * types. Pure: no I/O, no clock (callers pass today's date), no globals but const tables.
 */
#ifndef KW_CORE_IDNO_H
#define KW_CORE_IDNO_H

enum kw_idno_type {
	KW_IDNO_RESIDENT = 1,    /* 居民身份证 (GB 11643-1999, 18 characters) */
	KW_IDNO_SOCIAL_SECURITY, /* 社会保障卡: its number is the holder's citizen number */
	KW_IDNO_FOREIGNER_PR, /* 外国人永久居留身份证: the 2023 card (18) or the older one (15) */
	KW_IDNO_OTHER, /* passports and other documents: 4..32 letters, digits, '-' */
};

/* Problems (negative): see kw_idno_problem for their stable names. */
#define KW_IDNO_EEMPTY  (-1)
#define KW_IDNO_ELENGTH (-2)
#define KW_IDNO_ECHARS  (-3)
#define KW_IDNO_EREGION (-4)
#define KW_IDNO_EBIRTH  (-5)
#define KW_IDNO_ECHECK  (-6)

/* "resident_id", "social_security", "foreigner_pr", "other" ↔ the enum; 0 when unknown. */
enum kw_idno_type kw_idno_type_of(const char *name);
const char *kw_idno_type_name(enum kw_idno_type t);

/* What a valid number tells. */
struct kw_idno {
	char norm[33];  /* the number as stored: no surrounding spaces, letters upper-case */
	char birth[11]; /* YYYY-MM-DD, or "" when the document carries none */
	char sex;       /* 'M', 'F', or 0 when the document does not say */
	char region[7]; /* the 6-digit region code of a citizen number, or "" */
};

/*
 * Checks number as a document of type t: 0 and *out, or a KW_IDNO_E* problem. today
 * ("YYYY-MM-DD") bounds birth dates. Safe on any input.
 */
int kw_idno_check(enum kw_idno_type t, const char *number, const char *today, struct kw_idno *out);

/* The problem's stable name: "empty", "length", "chars", "region", "birth_date",
 * "check_digit" ("invalid" for anything else). */
const char *kw_idno_problem(int rc);

/* The GB 11643 (ISO 7064 MOD 11-2) check character of 17 digits: '0'..'9' or 'X'. */
char kw_idno_check_char(const char *first17);

/*
 * A valid 18-character citizen number from a 6-digit region, an 8-digit birth date and a
 * sequence 0..999 (odd: male), into out[19]; for generators of synthetic candidates.
 */
int kw_idno_make(const char *region6, const char *birth8, int seq, char out[19]);

/* Real region codes of every mainland province, NULL-terminated, for generators. */
extern const char *const kw_idno_sample_regions[];

#endif
