/* Masking identity and phone numbers (UX.md: 110105********002X). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/mask.h"

/* GRD-8: names on public lists and look-ups are masked. */
static void masks_names(void **state)
{
	(void)state;
	char out[64];
	kw_mask_name("张三", out, sizeof out);
	assert_string_equal(out, "张*");
	kw_mask_name("王小明", out, sizeof out);
	assert_string_equal(out, "王*明");
	kw_mask_name("欧阳娜娜", out, sizeof out);
	assert_string_equal(out, "欧**娜");
	kw_mask_name("李", out, sizeof out);
	assert_string_equal(out, "*");
	kw_mask_name("", out, sizeof out);
	assert_string_equal(out, "");
	kw_mask_name("Ann Lee", out, sizeof out);
	assert_string_equal(out, "A*****e");
	char small[4];
	kw_mask_name("欧阳娜娜", small, sizeof small);
	assert_true(strlen(small) < sizeof small);
}

static void masks_identity_numbers(void **state)
{
	(void)state;
	char out[64];
	kw_mask_id_number("11010519491231002X", out, sizeof out);
	assert_string_equal(out, "110105********002X");
	kw_mask_id_number("E12345678", out, sizeof out); /* a passport: short */
	assert_string_equal(out, "*******78");
	kw_mask_id_number("", out, sizeof out);
	assert_string_equal(out, "");
	kw_mask_id_number("12", out, sizeof out);
	assert_string_equal(out, "*2");
	/* Characters, not bytes: a document number with CJK stays whole characters. */
	kw_mask_id_number("港澳居民来往内地通行证H12345678", out, sizeof out);
	assert_string_equal(out, "港澳居民来往**********5678");
	/* A small buffer truncates, never overflows. */
	char small[8];
	kw_mask_id_number("11010519491231002X", small, sizeof small);
	assert_true(strlen(small) < sizeof small);
}

static void masks_phones(void **state)
{
	(void)state;
	char out[32];
	kw_mask_phone("13812345678", out, sizeof out);
	assert_string_equal(out, "138****5678");
	kw_mask_phone("5678", out, sizeof out);
	assert_string_equal(out, "**78");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(masks_identity_numbers),
	        cmocka_unit_test(masks_names),
	        cmocka_unit_test(masks_phones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
