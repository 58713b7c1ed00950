/* Scanner fixed-width files and CBT responses into the answer database's CSV (GRD-5;
 * core/answerfmt.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/answerfmt.h"
#include "core/score.h"

static json_t *js(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, 0, &e);
	assert_non_null(j);
	return j;
}

/* A scanner that writes 1-4 for A-D, '9' for a multiple mark it could not resolve, a space
 * for a blank; columns: ticket 1-8, form 9, answers 10-14; subject a constant. */
static const char *SCANNER = "{\"format\": \"fixed\", \"fields\": {"
                             "\"ticket_no\": {\"start\": 1, \"length\": 8},"
                             "\"subject\": {\"value\": \"01\"},"
                             "\"form\": {\"start\": 9, \"length\": 1},"
                             "\"answers\": {\"start\": 10, \"length\": 5}},"
                             "\"symbols\": {\"1\": \"A\", \"2\": \"B\", \"3\": \"C\", \"4\": "
                             "\"D\", \"5\": \"AC\", \"6\": \"BD\", \" \": \"\", \"9\": \"?\"}}";

static void reads_a_fixed_width_file(void **state)
{
	(void)state;
	struct kw_answer_layout l;
	struct kw_err err = KW_ERR_INIT;
	json_t *j = js(SCANNER);
	assert_int_equal(kw_answer_layout_parse(j, &l, &err), 0);
	json_decref(j);
	const char *in = "26010001A1234 \r\n"
	                 " 2601002B5 6 9\n"
	                 "26010003A44444";
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	assert_int_equal(kw_answerfmt_fixed(&l, in, strlen(in), &b, &err), 0);
	kw_buf_add(&b, "", 1);
	/* AC = 5 → '5'; BD = 10 → 'a'; blank → '-'; unreadable → '*'; the ticket trimmed */
	assert_string_equal(b.buf, "ticket_no,subject,form,answers\n"
	                           "26010001,01,A,ABCD-\n"
	                           "2601002,01,B,5-a-*\n"
	                           "26010003,01,A,DDDDD\n");
	kw_buf_release(&b);
	kw_err_release(&err);
}

/* Every problem listed with its input line, nothing returned (GRD-5: nothing half-read). */
static void lists_every_problem(void **state)
{
	(void)state;
	struct kw_answer_layout l;
	struct kw_err err = KW_ERR_INIT;
	json_t *j = js(SCANNER);
	assert_int_equal(kw_answer_layout_parse(j, &l, &err), 0);
	json_decref(j);
	const char *in = "26010001A1234 \n"
	                 "26010002A12\n"       /* short */
	                 "26010003A12#4 \n"    /* '#' is not a symbol of this scanner */
	                 "        A1234 \n"    /* no ticket */
	                 "2601000\xe4\xb8\x80" /* not ASCII */
	                 "A1234\n";
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	assert_int_equal(kw_answerfmt_fixed(&l, in, strlen(in), &b, &err), KW_ERULE);
	assert_string_equal(err.code, "ANSWERS_INVALID");
	json_t *rows = json_object_get(err.details, "rows");
	assert_int_equal(json_array_size(rows), 4);
	static const char *const want[][2] = {{"2", "short_line"},
	                                      {"3", "unknown_symbol"},
	                                      {"4", "required"},
	                                      {"5", "not_ascii"}};
	for (size_t i = 0; i < 4; i++) {
		json_t *r = json_array_get(rows, i);
		assert_int_equal(json_integer_value(json_object_get(r, "line")),
		                 want[i][0][0] - '0');
		assert_string_equal(json_string_value(json_object_get(r, "problem")), want[i][1]);
	}
	kw_buf_release(&b);
	kw_err_release(&err);
}

static void refuses_bad_layouts(void **state)
{
	(void)state;
	static const char *const bad[] = {
	        "[]",
	        "{\"format\": \"csv\", \"fields\": {}}",
	        "{\"fields\": {\"ticket_no\": {\"start\": 1, \"length\": 8}}}", /* fields missing */
	        /* overlapping */
	        "{\"fields\": {\"ticket_no\": {\"start\": 1, \"length\": 8}, \"subject\": "
	        "{\"value\": "
	        "\"01\"}, \"form\": {\"start\": 8, \"length\": 1}, \"answers\": {\"start\": 10, "
	        "\"length\": 5}}}",
	        /* a set no symbol stands for ({C, F} = 36) */
	        "{\"fields\": {\"ticket_no\": {\"start\": 1, \"length\": 8}, \"subject\": "
	        "{\"value\": "
	        "\"01\"}, \"form\": {\"value\": \"A\"}, \"answers\": {\"start\": 10, \"length\": "
	        "5}}, "
	        "\"symbols\": {\"x\": \"CF\"}}",
	        /* a meaning that is not option letters */
	        "{\"fields\": {\"ticket_no\": {\"start\": 1, \"length\": 8}, \"subject\": "
	        "{\"value\": "
	        "\"01\"}, \"form\": {\"value\": \"A\"}, \"answers\": {\"start\": 10, \"length\": "
	        "5}}, "
	        "\"symbols\": {\"x\": \"Z\"}}",
	        /* a ticket that is a constant */
	        "{\"fields\": {\"ticket_no\": {\"value\": \"1\"}, \"subject\": {\"value\": "
	        "\"01\"}, \"form\": {\"value\": \"A\"}, \"answers\": {\"start\": 10, \"length\": "
	        "5}}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct kw_answer_layout l;
		struct kw_err err = KW_ERR_INIT;
		json_t *j = js(bad[i]);
		assert_int_equal(kw_answer_layout_parse(j, &l, &err), KW_EINVAL);
		assert_string_equal(err.code, "LAYOUT_INVALID");
		assert_true(json_array_size(json_object_get(err.details, "fields")) > 0);
		json_decref(j);
		kw_err_release(&err);
	}
}

/* Without "symbols" the answer field is in kaowu's symbols already; a comma in a ticket is
 * quoted, not a column. */
static void default_symbols_and_quoting(void **state)
{
	(void)state;
	struct kw_answer_layout l;
	struct kw_err err = KW_ERR_INIT;
	json_t *j = js("{\"fields\": {\"ticket_no\": {\"start\": 1, \"length\": 4}, \"subject\": "
	               "{\"start\": 5, \"length\": 2}, \"form\": {\"value\": \"A\"}, \"answers\": "
	               "{\"start\": 7, \"length\": 3}}}");
	assert_int_equal(kw_answer_layout_parse(j, &l, &err), 0);
	json_decref(j);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	const char *in = "1,\"202A 3\n";
	assert_int_equal(kw_answerfmt_fixed(&l, in, strlen(in), &b, &err), 0);
	kw_buf_add(&b, "", 1);
	/* a space is a blank in kaowu's symbols too, written '-' (CSV cells are trimmed) */
	assert_string_equal(b.buf, "ticket_no,subject,form,answers\n\"1,\"\"2\",02,A,A-3\n");
	kw_buf_release(&b);
	/* kaowu's symbols are checked here too, with the line that has the wrong one */
	kw_buf_init(&b, 0);
	in = "000102ABC\n000202A#C\n";
	assert_int_equal(kw_answerfmt_fixed(&l, in, strlen(in), &b, &err), KW_ERULE);
	json_t *r = json_array_get(json_object_get(err.details, "rows"), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "line")), 2);
	assert_string_equal(json_string_value(json_object_get(r, "problem")), "unknown_symbol");
	kw_err_release(&err);
	kw_buf_release(&b);
	kw_buf_init(&b, 0);
	assert_int_equal(kw_answerfmt_fixed(&l, "", 0, &b, &err), KW_EINVAL);
	assert_string_equal(err.code, "CSV_EMPTY");
	kw_buf_release(&b);
	kw_err_release(&err);
}

static void reads_cbt_responses(void **state)
{
	(void)state;
	const char *in = "{\"ticket_no\":\"26010001\",\"subject\":\"01\",\"form\":\"A\","
	                 "\"responses\":[\"A\","
	                 "\"BD\",\"\",null,\"?\",\"ABCDE\"]}\n"
	                 "{\"ticket_no\":\"26010002\",\"subject\":\"02\",\"form\":\"B\","
	                 "\"responses\":[\"G\","
	                 "\"CE\",\"B\",\"B\",\"B\",\"B\"]}\n";
	struct kw_buf b = KW_BUF_INIT;
	struct kw_err err = KW_ERR_INIT;
	kw_buf_init(&b, 0);
	assert_int_equal(kw_answerfmt_cbt(in, strlen(in), &b, &err), 0);
	kw_buf_add(&b, "", 1);
	/* BD = 10 → 'a', ABCDE = 31 → 'v', CE = 20 → 'k' */
	assert_string_equal(b.buf, "ticket_no,subject,form,answers\n"
	                           "26010001,01,A,Aa--*v\n"
	                           "26010002,02,B,GkBBBB\n");
	/* what the CSV says is what the responses said, through the scorer's own decoder */
	struct kw_answer_symbols sy;
	kw_answer_symbols_default(&sy);
	uint8_t out[6];
	char msg[128];
	assert_int_equal(kw_answers_decode(&sy, "Aa--*v", 6, 6, out, msg, sizeof msg), 0);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2 | 8);
	assert_int_equal(out[2], 0);
	assert_int_equal(out[4], KW_ANS_INVALID);
	assert_int_equal(out[5], 31);
	kw_buf_release(&b);
	kw_err_release(&err);
}

static void lists_cbt_problems(void **state)
{
	(void)state;
	const char *in =
	        "{\"ticket_no\":\"1\",\"subject\":\"01\",\"form\":\"A\",\"responses\":[\"A\"]}\n"
	        "not json\n"
	        "{\"ticket_no\":\"\",\"subject\":\"01\",\"form\":\"A\",\"responses\":[\"A\"]}\n"
	        "{\"ticket_no\":\"4\",\"subject\":\"01\",\"form\":\"A\",\"responses\":[\"CF\"]}\n"
	        "{\"ticket_no\":\"5\",\"subject\":\"01\",\"form\":\"A\",\"responses\":[\"AA\"]}\n"
	        "{\"ticket_no\":\"6\",\"subject\":\"01\",\"form\":\"A\",\"responses\":[1]}\n";
	struct kw_buf b = KW_BUF_INIT;
	struct kw_err err = KW_ERR_INIT;
	kw_buf_init(&b, 0);
	assert_int_equal(kw_answerfmt_cbt(in, strlen(in), &b, &err), KW_ERULE);
	assert_string_equal(err.code, "ANSWERS_INVALID");
	json_t *rows = json_object_get(err.details, "rows");
	static const char *const want[] = {"bad_json", "required", "bad_set", "bad_response",
	                                   "bad_response"};
	assert_int_equal(json_array_size(rows), 5);
	for (size_t i = 0; i < 5; i++) {
		json_t *r = json_array_get(rows, i);
		assert_int_equal(json_integer_value(json_object_get(r, "line")), (int)i + 2);
		assert_string_equal(json_string_value(json_object_get(r, "problem")), want[i]);
	}
	kw_buf_release(&b);
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reads_a_fixed_width_file),
	        cmocka_unit_test(lists_every_problem),
	        cmocka_unit_test(refuses_bad_layouts),
	        cmocka_unit_test(default_symbols_and_quoting),
	        cmocka_unit_test(reads_cbt_responses),
	        cmocka_unit_test(lists_cbt_problems),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
