/* The answer-data backup file checked on its own (GRD-4; core/answerbak.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/answerbak.h"

static const char *BODY = "11\t2701\tA\tBDA\n12\t2702\tB\t-C?\n";

/* A well-formed backup of one batch holding BODY, as text (caller frees). */
static char *backup(const char *body, int64_t sheets)
{
	char sha[65], dg[65];
	kw_answerbak_sha256(body, strlen(body), sha);
	json_t *m = json_pack(
	        "{s:{s:i, s:s, s:s}, s:s, s:s, s:s, s:[{s:i, s:s, s:i, s:s, s:s, "
	        "s:s}], s:[{s:i, s:i, s:s, s:I, s:i, s:i, s:s}], s:{s:i, s:i, s:I}}",
	        "exam", "id", 1, "code", "JJ27", "name", "考试", "subject", "01", "created_at",
	        "2026-11-25T09:00:00+08:00", "made_by", "agency", "imports", "id", 3, "file_sha256",
	        sha, "sheets", 2, "imported_by", "agency", "witness", "witness", "created_at", "x",
	        "batches", "block_id", 5, "import_id", 3, "subject", "01", "sheets",
	        (json_int_t)sheets, "first_registration", 11, "last_registration", 12, "sha256",
	        sha, "counts", "imports", 1, "batches", 1, "sheets", (json_int_t)sheets);
	assert_non_null(m);
	assert_int_equal(kw_answerbak_manifest_digest(m, dg), 0);
	json_t *f = json_pack("{s:s, s:i, s:o, s:s, s:[{s:i, s:s}]}", "format", KW_ANSWERBAK_FORMAT,
	                      "backup_id", 9, "manifest", m, "digest", dg, "batches", "block_id", 5,
	                      "body", body);
	char *s = json_dumps(f, JSON_INDENT(2));
	json_decref(f);
	return s;
}

/* The problems of text, as "kind kind …" (the verdict in *rc). */
static char *kinds(const char *text, int *rc)
{
	json_t *doc = NULL, *p = json_array(), *x;
	*rc = kw_answerbak_check(text, strlen(text), &doc, p);
	static char out[512];
	out[0] = 0;
	size_t i;
	json_array_foreach(p, i, x)
	{
		if (i)
			strcat(out, " ");
		strncat(out, json_string_value(json_object_get(x, "problem")), 40);
	}
	json_decref(doc);
	json_decref(p);
	return out;
}

static void a_whole_file_passes(void **state)
{
	(void)state;
	char *s = backup(BODY, 2);
	int rc;
	assert_string_equal(kinds(s, &rc), "");
	assert_int_equal(rc, 0);
	free(s);
}

static void a_changed_answer_fails(void **state)
{
	(void)state;
	char *s = backup(BODY, 2), *at = strstr(s, "BDA");
	assert_non_null(at);
	at[2] = 'C'; /* one byte of the first sheet */
	int rc;
	assert_string_equal(kinds(s, &rc), "batch_digest");
	assert_int_equal(rc, 0);
	free(s);
}

static void a_changed_manifest_fails(void **state)
{
	(void)state;
	char *s = backup(BODY, 2), *at = strstr(s, "agency");
	at[0] = 'A';
	int rc;
	assert_string_equal(kinds(s, &rc), "manifest_digest");
	free(s);
}

static void counts_lines_and_ranges(void **state)
{
	(void)state;
	int rc;
	char *s = backup(BODY, 3); /* the manifest claims three sheets, the body holds two */
	assert_string_equal(kinds(s, &rc), "batch_sheets");
	free(s);
	s = backup("11\t2701\tA\tBDA\n13\t2703\tA\tBDA\nx\n", 3); /* 13 outside 11..12 */
	assert_string_equal(kinds(s, &rc), "batch_line batch_line");
	free(s);
	s = backup("11\t2701\tA\tBDA", 1); /* no LF */
	assert_string_equal(kinds(s, &rc), "batch_line");
	free(s);
}

static void missing_and_extra_batches(void **state)
{
	(void)state;
	int rc;
	char *s = backup(BODY, 2), *at = strstr(s, "\"block_id\": 5,\n      \"body\"");
	assert_non_null(at);
	at[12] = '6'; /* the body now names block 6 */
	assert_string_equal(kinds(s, &rc), "batch_missing batch_extra");
	free(s);
}

static void not_a_backup(void **state)
{
	(void)state;
	int rc;
	assert_string_equal(kinds("ticket_no,subject\n", &rc), "unreadable");
	assert_int_equal(rc, -1);
	assert_string_equal(kinds("{\"format\": \"kaowu-answer-backup-v1\"}", &rc), "format");
	assert_int_equal(rc, -1);
	assert_string_equal(kinds("[]", &rc), "format");
	char *s = backup(BODY, 2), *at = strstr(s, "\"block_id\": 5");
	at[12] = '0'; /* a batch with block 0 in the manifest */
	assert_string_equal(kinds(s, &rc), "format");
	assert_int_equal(rc, -1);
	free(s);
}

static void lines(void **state)
{
	(void)state;
	int64_t reg = 0;
	assert_int_equal(kw_answerbak_line("42\tT\tA\tBD", strlen("42\tT\tA\tBD"), &reg), 0);
	assert_int_equal(reg, 42);
	assert_int_equal(kw_answerbak_line("042\tT\tA\tBD", strlen("042\tT\tA\tBD"), &reg), -1);
	assert_int_equal(kw_answerbak_line("42\tT\tA", strlen("42\tT\tA"), &reg), -1);
	assert_int_equal(kw_answerbak_line("4x\tT\tA\tB", strlen("4x\tT\tA\tB"), &reg), -1);
	assert_int_equal(kw_answerbak_line("99999999999999999999\tT\tA\tB",
	                                   strlen("99999999999999999999\tT\tA\tB"), &reg),
	                 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_whole_file_passes),
	        cmocka_unit_test(a_changed_answer_fails),
	        cmocka_unit_test(a_changed_manifest_fails),
	        cmocka_unit_test(counts_lines_and_ranges),
	        cmocka_unit_test(missing_and_extra_batches),
	        cmocka_unit_test(not_a_backup),
	        cmocka_unit_test(lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
