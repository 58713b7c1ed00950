/* Identity-document numbers (REG-4): GB 11643 for citizen numbers, the foreigner
 * permanent-residence card's two formats, and nothing of either for other documents. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/idno.h"

#define TODAY "2026-11-24"

static int check(enum kw_idno_type t, const char *n)
{
	struct kw_idno id;
	return kw_idno_check(t, n, TODAY, &id);
}

/* REG-4: a valid citizen number tells its birth date, sex and region. */
static void reg4_valid_resident_ids(void **state)
{
	(void)state;
	struct kw_idno id;
	assert_int_equal(kw_idno_check(KW_IDNO_RESIDENT, "11010519491231002X", TODAY, &id), 0);
	assert_string_equal(id.birth, "1949-12-31");
	assert_int_equal(id.sex, 'F');
	assert_string_equal(id.region, "110105");
	/* Lower-case x and surrounding spaces are normalised. */
	assert_int_equal(kw_idno_check(KW_IDNO_RESIDENT, " 11010519491231002x ", TODAY, &id), 0);
	assert_string_equal(id.norm, "11010519491231002X");
	/* A computed one: its check digit is right by construction. */
	char n[19];
	assert_int_equal(kw_idno_make("340104", "19980512", 123, n), 0);
	assert_int_equal(kw_idno_check(KW_IDNO_RESIDENT, n, TODAY, &id), 0);
	assert_int_equal(id.sex, 'M');
	/* The social security card's number is the citizen number: the same rules. */
	assert_int_equal(check(KW_IDNO_SOCIAL_SECURITY, n), 0);
}

/* REG-4: the check digit (ISO 7064 MOD 11-2) catches a single wrong digit or a swap. */
static void reg4_wrong_check_digit(void **state)
{
	(void)state;
	assert_int_equal(check(KW_IDNO_RESIDENT, "110105194912310021"), KW_IDNO_ECHECK);
	assert_int_equal(check(KW_IDNO_RESIDENT, "11010519491231003X"), KW_IDNO_ECHECK);
	assert_int_equal(check(KW_IDNO_SOCIAL_SECURITY, "11010519491231003X"), KW_IDNO_ECHECK);
	assert_string_equal(kw_idno_problem(KW_IDNO_ECHECK), "check_digit");
	/* Every single-digit change of the first 17 is caught. */
	char n[19];
	kw_idno_make("320102", "20010101", 42, n);
	for (int i = 0; i < 17; i++) {
		char m[19];
		memcpy(m, n, sizeof m);
		m[i] = (char)('0' + (m[i] - '0' + 1) % 10);
		int rc = check(KW_IDNO_RESIDENT, m);
		assert_true(rc == KW_IDNO_ECHECK || rc == KW_IDNO_EBIRTH || rc == KW_IDNO_EREGION);
	}
}

/* REG-4: impossible and future birth dates. */
static void reg4_impossible_birth_dates(void **state)
{
	(void)state;
	char n[19];
	const char *bad[] = {"19850230", "19990229", "19851301", "19850000",
	                     "18991231", "20261125", "20300101"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* kw_idno_make computes a right check digit, so only the date can be wrong. */
		assert_int_equal(kw_idno_make("340104", bad[i], 1, n), 0);
		assert_int_equal(check(KW_IDNO_RESIDENT, n), KW_IDNO_EBIRTH);
	}
	assert_int_equal(kw_idno_make("340104", "20000229", 1, n), 0); /* a leap day */
	assert_int_equal(check(KW_IDNO_RESIDENT, n), 0);
	assert_int_equal(kw_idno_make("340104", "20261124", 1, n), 0); /* born today */
	assert_int_equal(check(KW_IDNO_RESIDENT, n), 0);
}

/* REG-4: region codes outside the 31 mainland provinces (71 Taiwan, 81/82 HK/Macau hold
 * other documents), and a prefecture "00" with a county part. */
static void reg4_unknown_regions(void **state)
{
	(void)state;
	char n[19];
	const char *bad[] = {"990101", "000101", "710101", "810101", "820101", "160101", "110001"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(kw_idno_make(bad[i], "19900101", 1, n), 0);
		assert_int_equal(check(KW_IDNO_RESIDENT, n), KW_IDNO_EREGION);
	}
	assert_int_equal(kw_idno_make("110000", "19900101", 1, n), 0); /* the province itself */
	assert_int_equal(check(KW_IDNO_RESIDENT, n), 0);
}

static void reg4_shape(void **state)
{
	(void)state;
	assert_int_equal(check(KW_IDNO_RESIDENT, ""), KW_IDNO_EEMPTY);
	assert_int_equal(check(KW_IDNO_RESIDENT, "   "), KW_IDNO_EEMPTY);
	assert_int_equal(check(KW_IDNO_RESIDENT, NULL), KW_IDNO_EEMPTY);
	/* First-generation 15-digit cards are no longer valid documents. */
	assert_int_equal(check(KW_IDNO_RESIDENT, "110105491231002"), KW_IDNO_ELENGTH);
	assert_int_equal(check(KW_IDNO_RESIDENT, "1101051949123100"), KW_IDNO_ELENGTH);
	assert_int_equal(check(KW_IDNO_RESIDENT, "11010519491231002X1234567890123456789"),
	                 KW_IDNO_ELENGTH);
	assert_int_equal(check(KW_IDNO_RESIDENT, "1101051949123100X2"), KW_IDNO_ECHARS);
	assert_int_equal(check(KW_IDNO_RESIDENT, "11010519491231002Y"), KW_IDNO_ECHARS);
	assert_int_equal(check(KW_IDNO_RESIDENT, "１１０１０５１９４９１２"), KW_IDNO_ELENGTH);
}

/* The foreigner permanent-residence card: the 2023 card (18, check digit) and the older one (15).
 */
static void reg4_foreigner_cards(void **state)
{
	(void)state;
	struct kw_idno id;
	char n[19] = "93184019850615012";
	n[17] = kw_idno_check_char(n);
	n[18] = '\0';
	assert_int_equal(kw_idno_check(KW_IDNO_FOREIGNER_PR, n, TODAY, &id), 0);
	assert_string_equal(id.birth, "1985-06-15");
	n[17] = n[17] == '0' ? '1' : '0';
	assert_int_equal(check(KW_IDNO_FOREIGNER_PR, n), KW_IDNO_ECHECK);
	assert_int_equal(kw_idno_check(KW_IDNO_FOREIGNER_PR, "USA310085061501", TODAY, &id), 0);
	assert_string_equal(id.birth, ""); /* the century is not written */
	assert_int_equal(check(KW_IDNO_FOREIGNER_PR, "usa310085061501"), 0);
	assert_int_equal(check(KW_IDNO_FOREIGNER_PR, "US1310085061501"), KW_IDNO_ECHARS);
	assert_int_equal(check(KW_IDNO_FOREIGNER_PR, "USA990085061501"), KW_IDNO_EREGION);
	assert_int_equal(check(KW_IDNO_FOREIGNER_PR, "USA310085136101"), KW_IDNO_EBIRTH);
	/* A citizen number is no foreigner card. */
	assert_int_equal(check(KW_IDNO_FOREIGNER_PR, "11010519491231002X"), KW_IDNO_EREGION);
}

/* REG-4: resident-ID validation must never reject the other document types. */
static void reg4_other_documents_never_checked_as_resident(void **state)
{
	(void)state;
	struct kw_idno id;
	assert_int_equal(kw_idno_check(KW_IDNO_OTHER, "e12345678", TODAY, &id), 0);
	assert_string_equal(id.norm, "E12345678");
	assert_string_equal(id.birth, "");
	/* An 18-digit number with a wrong check digit is a fine passport number. */
	assert_int_equal(check(KW_IDNO_OTHER, "110105194912310021"), 0);
	assert_int_equal(check(KW_IDNO_OTHER, "H1234567-8"), 0);
	assert_int_equal(check(KW_IDNO_OTHER, "AB1"), KW_IDNO_ELENGTH);
	assert_int_equal(check(KW_IDNO_OTHER, "AB 12345"), KW_IDNO_ECHARS);
	assert_int_equal(check(KW_IDNO_OTHER, "护照12345"), KW_IDNO_ECHARS);
}

static void type_names(void **state)
{
	(void)state;
	assert_int_equal(kw_idno_type_of("resident_id"), KW_IDNO_RESIDENT);
	assert_int_equal(kw_idno_type_of("foreigner_pr"), KW_IDNO_FOREIGNER_PR);
	assert_int_equal(kw_idno_type_of("passport"), 0);
	assert_int_equal(kw_idno_type_of(NULL), 0);
	assert_string_equal(kw_idno_type_name(KW_IDNO_SOCIAL_SECURITY), "social_security");
	assert_null(kw_idno_type_name(0));
}

/* The generator's numbers: every sample region, every sequence, valid. */
static void generated_numbers_round_trip(void **state)
{
	(void)state;
	int regions = 0;
	for (const char *const *r = kw_idno_sample_regions; *r; r++, regions++)
		for (int seq = 0; seq < 1000; seq += 37) {
			char n[19];
			struct kw_idno id;
			assert_int_equal(kw_idno_make(*r, "19870704", seq, n), 0);
			assert_int_equal(kw_idno_check(KW_IDNO_RESIDENT, n, TODAY, &id), 0);
			assert_int_equal(id.sex, seq % 2 ? 'M' : 'F');
		}
	assert_int_equal(regions, 93);
	char n[19];
	assert_int_not_equal(kw_idno_make("34010", "19870704", 1, n), 0);
	assert_int_not_equal(kw_idno_make("340104", "1987070", 1, n), 0);
	assert_int_not_equal(kw_idno_make("340104", "19870704", 1000, n), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reg4_valid_resident_ids),
	        cmocka_unit_test(reg4_wrong_check_digit),
	        cmocka_unit_test(reg4_impossible_birth_dates),
	        cmocka_unit_test(reg4_unknown_regions),
	        cmocka_unit_test(reg4_shape),
	        cmocka_unit_test(reg4_foreigner_cards),
	        cmocka_unit_test(reg4_other_documents_never_checked_as_resident),
	        cmocka_unit_test(type_names),
	        cmocka_unit_test(generated_numbers_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
