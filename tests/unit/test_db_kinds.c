/*
 * The registers' descriptions (src/app/kinds.c) agree with their tables (the migrations), on
 * SQLite and PostgreSQL: every described column exists, the table has no column the
 * description forgets (it would escape the audit's row digests), each table is audited, each
 * ref names a table, each scope leads to units, and every enum value and computed value has
 * a label in both catalogues (the console and the exports show them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../common/testdb.h"
#include "app/audit.h"
#include "app/records.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/i18n.h"

static void descriptions_match_tables(void **state)
{
	(void)state;
	char url[512];
	kw_test_db_create(url, sizeof url);
	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *c = NULL;
	assert_int_equal(kw_conn_open(url, KW_OPEN_CREATE, &c, &err), 0);
	assert_int_equal(kw_store_migrate(c, &err), 0);
	int n = 0;
	for (int i = 0; kw_kinds[i]; i++, n++) {
		const struct kw_kind *k = kw_kinds[i];
		assert_true(kw_audit_is_table(k->table));
		assert_non_null(kw_kind_field(k, k->scope));
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, 0);
		kw_buf_adds(&b, "SELECT id");
		for (int f = 0; f < k->nfields; f++)
			kw_buf_addf(&b, ", %s", k->fields[f].name);
		kw_buf_adds(&b, ", created_at");
		int cols = k->nfields + 2;
		if (!(k->flags & KW_KF_NO_UPDATE)) {
			kw_buf_adds(&b, ", updated_at");
			cols++;
		}
		kw_buf_addf(&b, " FROM %s", k->table);
		struct kw_stmt *s = NULL;
		if (kw_conn_prepare(c, b.buf, &s, &err))
			fail_msg("%s: %s", k->table, err.msg);
		kw_stmt_finalize(s);
		kw_buf_release(&b);
		/* SELECT * has exactly those columns. */
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT * FROM %s", k->table);
		assert_int_equal(kw_conn_prepare(c, sql, &s, &err), 0);
		kw_stmt_step(s, &err);
		if (kw_stmt_column_count(s) != cols)
			fail_msg("%s has %d columns, its description %d", k->table,
			         kw_stmt_column_count(s), cols);
		kw_stmt_finalize(s);
		for (int f = 0; f < k->nfields; f++) {
			const struct kw_field *fd = &k->fields[f];
			if (fd->type == KW_FT_REF)
				assert_true(strcmp(fd->ref, "units") == 0 ||
				            strcmp(fd->ref, "users") == 0 ||
				            kw_kind_by_table(fd->ref) != NULL);
			for (const char *const *v = fd->values; v && *v; v++) {
				char key[96];
				snprintf(key, sizeof key, "V_%s", *v);
				if (!kw_i18n_has(key))
					fail_msg("%s.%s: no label for value %s", k->table, fd->name,
					         *v);
			}
		}
		for (const struct kw_computed *x = k->computed; x && x->name; x++) {
			char key[96];
			snprintf(key, sizeof key, "C_%s", x->name);
			if (!kw_i18n_has(key))
				fail_msg("%s: no label for computed %s", k->table, x->name);
		}
	}
	assert_true(n >= 10);
	kw_conn_close(c);
	kw_test_db_drop(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(descriptions_match_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
