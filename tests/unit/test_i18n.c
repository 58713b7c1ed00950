/* Message catalogues and language negotiation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/embed.h"
#include "util/i18n.h"

#include <stdio.h>

static void catalogues_have_the_same_codes(void **state)
{
	(void)state;
	assert_int_equal(kw_i18n_init(), 0);
	const json_t *zh = kw_i18n_catalogue(KW_LANG_ZH);
	const json_t *en = kw_i18n_catalogue(KW_LANG_EN);
	assert_non_null(zh);
	assert_non_null(en);
	assert_true(json_object_size(zh) > 10);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)zh, k, v)
	{
		assert_true(json_is_string(v));
		if (!json_is_string(json_object_get(en, k)))
			fail_msg("en.json lacks %s", k);
	}
	json_object_foreach((json_t *)en, k, v)
	{
		if (!json_is_string(json_object_get(zh, k)))
			fail_msg("zh-CN.json lacks %s", k);
	}
}

/* Every role of the permissions file has a name in both languages. */
static void every_role_has_a_name(void **state)
{
	(void)state;
	const struct kw_embedded *e = kw_embedded_find("permissions.json");
	assert_non_null(e);
	json_t *p = json_loadb(e->data, e->len, 0, NULL);
	assert_non_null(p);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(p, "roles"), i, r)
	{
		char code[80];
		snprintf(code, sizeof code, "ROLE_%s", json_string_value(r));
		if (!kw_i18n_has(code))
			fail_msg("no name for role %s", json_string_value(r));
	}
	assert_true(i >= 25);
	json_decref(p);
}

static void formats_with_details(void **state)
{
	(void)state;
	json_t *d = json_pack("{s:i, s:i}", "line", 3, "column", 14);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	assert_int_equal(kw_i18n_format(KW_LANG_ZH, "JSON_INVALID", d, &b), 0);
	assert_non_null(strstr(b.buf, "第 3 行第 14 列"));
	kw_buf_reset(&b);
	assert_int_equal(kw_i18n_format(KW_LANG_EN, "JSON_INVALID", d, &b), 0);
	assert_non_null(strstr(b.buf, "line 3, column 14"));
	kw_buf_reset(&b);
	/* A placeholder without a value stays visible rather than vanishing. */
	assert_int_equal(kw_i18n_format(KW_LANG_EN, "JSON_INVALID", NULL, &b), 0);
	assert_non_null(strstr(b.buf, "{line}"));
	kw_buf_reset(&b);
	assert_int_equal(kw_i18n_format(KW_LANG_EN, "NO_SUCH_CODE", NULL, &b), KW_ENOTFOUND);
	kw_buf_release(&b);
	json_decref(d);
}

static void negotiates_language(void **state)
{
	(void)state;
	assert_string_equal(kw_i18n_negotiate(NULL, NULL), KW_LANG_ZH);
	assert_string_equal(kw_i18n_negotiate("en", "zh-CN"), KW_LANG_EN);
	assert_string_equal(kw_i18n_negotiate("zh-CN", "en"), KW_LANG_ZH);
	assert_string_equal(kw_i18n_negotiate("fr", "en-US,en;q=0.9"), KW_LANG_EN);
	assert_string_equal(kw_i18n_negotiate(NULL, "en;q=0.5, zh;q=0.8"), KW_LANG_ZH);
	assert_string_equal(kw_i18n_negotiate(NULL, "zh;q=0.1, en;q=0.2"), KW_LANG_EN);
	assert_string_equal(kw_i18n_negotiate(NULL, "fr, de"), KW_LANG_ZH);
	assert_string_equal(kw_i18n_negotiate(NULL, "english"), KW_LANG_ZH);
	assert_string_equal(kw_i18n_negotiate(NULL, ";;,, ;q=x"), KW_LANG_ZH);
}

static void cli_language_from_env(void **state)
{
	(void)state;
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "en_US.UTF-8", 1);
	assert_string_equal(kw_i18n_from_env(), KW_LANG_EN);
	setenv("LANG", "zh_CN.UTF-8", 1);
	assert_string_equal(kw_i18n_from_env(), KW_LANG_ZH);
	setenv("LC_ALL", "en_GB.UTF-8", 1);
	assert_string_equal(kw_i18n_from_env(), KW_LANG_EN);
	unsetenv("LC_ALL");
	unsetenv("LANG");
	assert_string_equal(kw_i18n_from_env(), KW_LANG_ZH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(catalogues_have_the_same_codes),
	        cmocka_unit_test(every_role_has_a_name),
	        cmocka_unit_test(formats_with_details),
	        cmocka_unit_test(negotiates_language),
	        cmocka_unit_test(cli_language_from_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
