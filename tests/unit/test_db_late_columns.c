/*
 * Columns added to an audited table by a later migration (registrations.area_id and
 * .accommodation, migration 0010) enter a row's canonical form only when they hold a value:
 * a row written before them keeps the digest its audit record carries. Proven against the
 * canonical form as it was before the migration, built here with jansson.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../common/testdb.h"
#include "app/audit.h"
#include "store/store.h"

static void exec(struct kw_conn *c, const char *sql)
{
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_conn_exec(c, sql, &err);
	if (rc)
		fprintf(stderr, "%s: %s\n", sql, err.msg);
	assert_int_equal(rc, 0);
	kw_err_release(&err);
}

/* BLAKE2b-256 of o written with sorted keys, compactly: the canonical form. */
static void digest_of(json_t *o, char out[65])
{
	char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
	free(s);
}

static void late_columns_keep_old_digests(void **state)
{
	(void)state;
	char url[512];
	kw_test_db_create(url, sizeof url);
	struct kw_conn *c = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_conn_open(url, KW_OPEN_CREATE, &c, &err), 0);
	assert_int_equal(kw_store_migrate(c, &err), 0);
	exec(c, "INSERT INTO units (code, name, kind, level, created_at) VALUES ('LC-P', 'p', "
	        "'provincial_agency', 'provincial', '2026-01-01T00:00:00.000000Z')");
	exec(c, "INSERT INTO exams (unit_id, code, name, kind, ruleset, year, status, "
	        "onsite_registration, ticket_delivery, created_at, updated_at) SELECT id, 'LC-E', "
	        "'e', 'qualification', 'PQ', 2027, 'published', 0, 'self_print', 't', 't' FROM "
	        "units WHERE code = 'LC-P'");
	exec(c,
	     "INSERT INTO candidates (id_type, id_number, name, phone, password_hash, status, "
	     "work_years, grassroots_years, grassroots_project, education, created_at, "
	     "updated_at) VALUES ('resident_id', '340104199001011234', '甲', '13800000000', 'x', "
	     "'active', 0, 0, 0, 'bachelor', 't', 't')");
	exec(c, "INSERT INTO registrations (exam_id, candidate_id, subjects, channel, route, "
	        "status, submitted_at, created_at, updated_at) SELECT e.id, c.id, '01', 'online', "
	        "'proof', 'submitted', 't1', 't1', 't1' FROM exams e, candidates c");
	json_t *old = json_object();
	static const char *const nulls[] = {"position_id",
	                                    "entered_by",
	                                    "pledge_version",
	                                    "pledged_at",
	                                    "pledge_address",
	                                    "pledge_withdrawn_at",
	                                    "pledge_withdraw_reason",
	                                    "review_reason",
	                                    "reviewed_by",
	                                    "reviewed_at",
	                                    NULL};
	for (int i = 0; nulls[i]; i++)
		json_object_set_new(old, nulls[i], json_null());
	struct kw_stmt *s = NULL;
	assert_int_equal(kw_conn_prepare(c,
	                                 "SELECT r.id, r.exam_id, r.candidate_id, u.id FROM "
	                                 "registrations r, units u WHERE u.code = 'LC-P'",
	                                 &s, &err),
	                 0);
	assert_int_equal(kw_stmt_step(s, &err), KW_ROW);
	int64_t id = kw_stmt_column_int64(s, 0), unit = kw_stmt_column_int64(s, 3);
	json_object_set_new(old, "id", json_integer(id));
	json_object_set_new(old, "exam_id", json_integer(kw_stmt_column_int64(s, 1)));
	json_object_set_new(old, "candidate_id", json_integer(kw_stmt_column_int64(s, 2)));
	kw_stmt_finalize(s);
	json_object_set_new(old, "subjects", json_string("01"));
	json_object_set_new(old, "channel", json_string("online"));
	json_object_set_new(old, "route", json_string("proof"));
	json_object_set_new(old, "status", json_string("submitted"));
	json_object_set_new(old, "submitted_at", json_string("t1"));
	json_object_set_new(old, "created_at", json_string("t1"));
	json_object_set_new(old, "updated_at", json_string("t1"));

	char want[65], got[65];
	int exists = 0;
	digest_of(old, want);
	assert_int_equal(kw_audit_row_digest(c, "registrations", id, got, &exists, &err), 0);
	assert_true(exists);
	assert_string_equal(got, want); /* the pre-0010 digest, unchanged */

	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE registrations SET area_id = %lld, accommodation = '轮椅'",
	         (long long)unit);
	exec(c, sql);
	json_object_set_new(old, "area_id", json_integer(unit));
	json_object_set_new(old, "accommodation", json_string("轮椅"));
	digest_of(old, want);
	assert_int_equal(kw_audit_row_digest(c, "registrations", id, got, &exists, &err), 0);
	assert_string_equal(got, want); /* a value enters the form, so changing it is caught */

	kw_conn_close(c);
	kw_test_db_drop(url);
	json_decref(old);
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(late_columns_keep_old_digests)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
