/* ZIP containers in tests (XLSX workbooks written or read by kaowu). */
#ifndef KW_TESTS_TESTZIP_H
#define KW_TESTS_TESTZIP_H

#include <stddef.h>

/* The content of member `name` of the ZIP data[0..n), NUL-terminated (malloc'd); the test
 * fails when there is no such member. */
char *kw_test_zip_member(const char *data, size_t n, const char *name);

#endif
