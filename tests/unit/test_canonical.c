/*
 * The audit's canonical row form is written directly (kw_json_append_string), not through
 * jansson; it must stay byte for byte what json_dumps writes, or every digest computed
 * before would stop matching. Random strings — quotes, backslashes, control characters,
 * multi-byte and astral characters, invalid sequences — are serialised both ways.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/json.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;
static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static void same_bytes_as_jansson(void **state)
{
	(void)state;
	static const char *const pieces[] = {
	        "a",  "Z",  "0",    "\"",       "\\",           "/",        "\b", "\f",
	        "\n", "\r", "\t",   "\x01",     "\x1f",         "\x7f",     "考", "𠀀",
	        "é",  " ",  "\xff", "\xc0\x80", "\xed\xa0\x80", "\xe4\xb8", "\0"};
	int compared = 0, invalid = 0;
	for (int round = 0; round < 20000; round++) {
		char s[128];
		size_t n = 0;
		int parts = (int)(next() % 12);
		for (int p = 0; p < parts; p++) {
			const char *x = pieces[next() % (sizeof pieces / sizeof pieces[0])];
			size_t len = x[0] ? strlen(x) : 1;
			if (n + len >= sizeof s)
				break;
			memcpy(s + n, x, len);
			n += len;
		}
		json_t *j = json_stringn(s, n);
		assert_int_equal(kw_utf8_valid(s, n) != 0, j != NULL);
		if (!j) {
			invalid++;
			continue;
		}
		char *want = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		kw_json_append_string(&b, s, n);
		assert_int_equal(b.len, strlen(want));
		assert_memory_equal(b.buf, want, b.len);
		kw_buf_release(&b);
		free(want);
		json_decref(j);
		compared++;
	}
	assert_true(compared > 5000);
	assert_true(invalid > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(same_bytes_as_jansson)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
