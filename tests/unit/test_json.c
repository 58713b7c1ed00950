/* Request bodies: every refusal of kw_json_parse_body and kw_json_check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/json.h"

static int parse(const char *s, size_t n, size_t max, const char **code)
{
	struct kw_err err = KW_ERR_INIT;
	json_t *j = NULL;
	int rc = kw_json_parse_body(s, n, max, &j, &err);
	*code = err.code;
	if (rc == 0)
		assert_non_null(j);
	else
		assert_null(j);
	json_decref(j);
	kw_err_release(&err);
	return rc;
}

#define PARSE(lit, max, code) parse(lit, sizeof(lit) - 1, max, code)

static void accepts_object(void **state)
{
	(void)state;
	const char *code = NULL;
	assert_int_equal(PARSE("{\"name\":\"张三𠮷\",\"n\":9007199254740993}", 1024, &code), 0);
	struct kw_err err = KW_ERR_INIT;
	json_t *j = NULL;
	const char big[] = "{\"n\":9007199254740993}";
	assert_int_equal(kw_json_parse_body(big, sizeof big - 1, 0, &j, &err), 0);
	/* 64-bit integers survive exactly (beyond a double's 53 bits). */
	assert_true(json_integer_value(json_object_get(j, "n")) == 9007199254740993LL);
	json_decref(j);
}

static void refuses_empty_and_too_big(void **state)
{
	(void)state;
	const char *code = NULL;
	assert_int_equal(parse("", 0, 1024, &code), KW_EINVAL);
	assert_string_equal(code, "BODY_EMPTY");
	assert_int_equal(PARSE("{\"a\":\"0123456789\"}", 10, &code), KW_ETOOBIG);
	assert_string_equal(code, "BODY_TOO_LARGE");
	assert_int_equal(kw_err_http_status(KW_ETOOBIG), 413);
}

static void refuses_nul_bytes(void **state)
{
	(void)state;
	const char *code = NULL;
	assert_int_equal(PARSE("{\"a\":\"x\0y\"}", 1024, &code), KW_EINVAL);
	assert_string_equal(code, "BODY_NUL_BYTE");
	/* An escaped NUL is refused by the parser (jansson without JSON_ALLOW_NUL). */
	assert_int_equal(PARSE("{\"a\":\"x\\u0000y\"}", 1024, &code), KW_EINVAL);
	assert_string_equal(code, "JSON_INVALID");
}

static void refuses_invalid_utf8(void **state)
{
	(void)state;
	const char *code = NULL;
	const char *bad[] = {
	        "{\"a\":\"\xc0\x80\"}",         /* overlong NUL */
	        "{\"a\":\"\xed\xa0\x80\"}",     /* UTF-16 surrogate */
	        "{\"a\":\"\xf4\x90\x80\x80\"}", /* past U+10FFFF */
	        "{\"a\":\"\xe4\xb8\"}",         /* truncated sequence */
	        "{\"a\":\"\xff\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(bad[i], strlen(bad[i]), 1024, &code), KW_EINVAL);
		assert_string_equal(code, "BODY_NOT_UTF8");
	}
	assert_true(kw_utf8_valid("张三𠮷", strlen("张三𠮷")));
}

static void refuses_malformed_and_non_objects(void **state)
{
	(void)state;
	const char *code = NULL;
	assert_int_equal(PARSE("{\"a\":", 1024, &code), KW_EINVAL);
	assert_string_equal(code, "JSON_INVALID");
	assert_int_equal(PARSE("{\"a\":1,\"a\":2}", 1024, &code), KW_EINVAL);
	assert_string_equal(code, "JSON_INVALID");
	assert_int_equal(PARSE("{\"a\":1} trailing", 1024, &code), KW_EINVAL);
	assert_string_equal(code, "JSON_INVALID");
	assert_int_equal(PARSE("[1,2]", 1024, &code), KW_EINVAL);
	assert_string_equal(code, "JSON_NOT_OBJECT");
	assert_int_equal(PARSE("\"str\"", 1024, &code), KW_EINVAL);
	assert_string_equal(code, "JSON_NOT_OBJECT");

	struct kw_err err = KW_ERR_INIT;
	json_t *j = NULL;
	const char s[] = "{\n  \"a\": tru }";
	assert_int_equal(kw_json_parse_body(s, sizeof s - 1, 0, &j, &err), KW_EINVAL);
	assert_int_equal(json_integer_value(json_object_get(err.details, "line")), 2);
	/* The message never quotes the input. */
	assert_null(strstr(err.msg, "tru"));
	kw_err_release(&err);
}

static const struct kw_jfield fields[] = {
        {"username", KW_JSTRING, KW_JREQUIRED, 3, 8},
        {"age", KW_JINTEGER, 0, 0, 0},
        {"active", KW_JBOOLEAN, KW_JNULLABLE, 0, 0},
        {"tags", KW_JARRAY, 0, 0, 2},
};

static const char *check(const char *body, const char **field)
{
	static char problem[32];
	static char fname[32];
	json_t *j = json_loads(body, 0, NULL);
	assert_non_null(j);
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_json_check(j, fields, sizeof fields / sizeof fields[0], &err);
	json_decref(j);
	if (rc == 0) {
		kw_err_release(&err);
		return NULL;
	}
	assert_int_equal(rc, KW_EINVAL);
	assert_string_equal(err.code, "VALIDATION_FAILED");
	json_t *first = json_array_get(json_object_get(err.details, "fields"), 0);
	snprintf(problem, sizeof problem, "%s",
	         json_string_value(json_object_get(first, "problem")));
	snprintf(fname, sizeof fname, "%s", json_string_value(json_object_get(first, "field")));
	*field = fname;
	kw_err_release(&err);
	return problem;
}

static void field_checks(void **state)
{
	(void)state;
	const char *f = NULL;
	assert_null(check("{\"username\":\"张三丰\",\"age\":30,\"active\":null,\"tags\":[1]}", &f));
	assert_string_equal(check("{}", &f), "required");
	assert_string_equal(f, "username");
	assert_string_equal(check("{\"username\":null}", &f), "required");
	assert_string_equal(check("{\"username\":42}", &f), "type");
	assert_string_equal(check("{\"username\":\"abc\",\"age\":\"30\"}", &f), "type");
	assert_string_equal(f, "age");
	assert_string_equal(check("{\"username\":\"abc\",\"age\":1.5}", &f), "type");
	assert_string_equal(check("{\"username\":\"abc\",\"active\":1}", &f), "type");
	/* Length counts characters, not bytes: 8 Chinese characters fit, 9 do not. */
	assert_null(check("{\"username\":\"一二三四五六七八\"}", &f));
	assert_string_equal(check("{\"username\":\"一二三四五六七八九\"}", &f), "too_long");
	assert_string_equal(check("{\"username\":\"ab\"}", &f), "too_short");
	assert_string_equal(check("{\"username\":\"ab\\u0007c\"}", &f), "control_char");
	assert_string_equal(check("{\"username\":\"abc\",\"tags\":[1,2,3]}", &f), "too_long");
	assert_string_equal(check("{\"username\":\"abc\",\"admin\":true}", &f), "unknown");
	assert_string_equal(f, "admin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accepts_object),
	        cmocka_unit_test(refuses_empty_and_too_big),
	        cmocka_unit_test(refuses_nul_bytes),
	        cmocka_unit_test(refuses_invalid_utf8),
	        cmocka_unit_test(refuses_malformed_and_non_objects),
	        cmocka_unit_test(field_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
