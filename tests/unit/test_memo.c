/* The memo of derived values (util/memo.h): what readers keep between requests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "util/memo.h"

static void keeps_a_value_under_its_generation(void **state)
{
	(void)state;
	struct kw_memo *m = kw_memo_new(16, 1000);
	int64_t v = 42, got = 0;
	assert_int_equal(kw_memo_get(m, "a", 1, 7, 100, &got, sizeof got), 0); /* empty */
	kw_memo_put(m, "a", 1, 7, 100, &v, sizeof v);
	assert_int_equal(kw_memo_get(m, "a", 1, 7, 150, &got, sizeof got), 1);
	assert_int_equal(got, 42);
	/* the generation moved (a write that may change it): a miss */
	assert_int_equal(kw_memo_get(m, "a", 1, 8, 150, &got, sizeof got), 0);
	/* too old, or a clock gone back: a miss */
	assert_int_equal(kw_memo_get(m, "a", 1, 7, 1100, &got, sizeof got), 0);
	assert_int_equal(kw_memo_get(m, "a", 1, 7, 99, &got, sizeof got), 0);
	/* another key, a prefix of it, another size: a miss */
	assert_int_equal(kw_memo_get(m, "b", 1, 7, 150, &got, sizeof got), 0);
	assert_int_equal(kw_memo_get(m, "ab", 2, 7, 150, &got, sizeof got), 0);
	assert_int_equal(kw_memo_get(m, "a", 1, 7, 150, &got, 4), 0);
	/* the newest put wins */
	v = 43;
	kw_memo_put(m, "a", 1, 8, 200, &v, sizeof v);
	assert_int_equal(kw_memo_get(m, "a", 1, 8, 250, &got, sizeof got), 1);
	assert_int_equal(got, 43);
	kw_memo_free(m);
}

static void keys_sharing_a_slot_never_mix(void **state)
{
	(void)state;
	struct kw_memo *m = kw_memo_new(1, 1000000); /* 16 slots: many keys share one */
	char key[32];
	for (int i = 0; i < 200; i++) {
		int n = snprintf(key, sizeof key, "ready:1:%d", i);
		kw_memo_put(m, key, (size_t)n, 1, 10, &i, sizeof i);
	}
	int hits = 0;
	for (int i = 0; i < 200; i++) {
		int n = snprintf(key, sizeof key, "ready:1:%d", i), got = -1;
		if (kw_memo_get(m, key, (size_t)n, 1, 20, &got, sizeof got)) {
			assert_int_equal(got, i); /* a hit is always the key's own value */
			hits++;
		}
	}
	assert_true(hits > 0 && hits <= 16);
	/* too long a key or value: never kept, never found; a NULL memo is always a miss */
	char big[KW_MEMO_VALUE_MAX + 1];
	memset(big, 1, sizeof big);
	kw_memo_put(m, "x", 1, 1, 10, big, sizeof big);
	assert_int_equal(kw_memo_get(m, "x", 1, 1, 20, big, sizeof big), 0);
	assert_int_equal(kw_memo_get(NULL, "x", 1, 1, 20, big, 1), 0);
	kw_memo_put(NULL, "x", 1, 1, 10, big, 1);
	kw_memo_free(m);
	kw_memo_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(keeps_a_value_under_its_generation),
	        cmocka_unit_test(keys_sharing_a_slot_never_mix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
