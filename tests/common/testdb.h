/* Test databases: a fresh, empty database per call, on the database the run is for. */
#ifndef KW_TESTS_TESTDB_H
#define KW_TESTS_TESTDB_H

#include <stddef.h>

/*
 * KW_TEST_DB=sqlite (default): a new file in a new temporary directory.
 * KW_TEST_DB=pg: a new database on the cluster of KW_TEST_PG_URL (a missing or
 * unreachable cluster aborts the test: PostgreSQL runs are never skipped).
 * Writes the URL into url[n].
 */
void kw_test_db_create(char *url, size_t n);
/* Removes what kw_test_db_create made. */
void kw_test_db_drop(const char *url);
/* "sqlite" or "pg" */
const char *kw_test_db_kind(void);

#endif
