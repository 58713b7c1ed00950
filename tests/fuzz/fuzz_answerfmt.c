/*
 * libFuzzer target: scanner fixed-width files and CBT responses turned into the answer
 * database's CSV (core/answerfmt.h).
 *
 * Input: byte 0 = mode (0: CBT JSON Lines; 1: fixed width under a scanner layout with a symbol
 * map; 2: fixed width in kaowu's symbols; 3: the input is "layout JSON NUL data", both fuzzed).
 * Whatever is returned must be CSV the table reader takes, every row with 4 cells, every
 * answer cell decodable with kaowu's default symbols (the scorer's own decoder).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/answerfmt.h"
#include "core/score.h"
#include "util/csvtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const LAYOUTS[2] = {
        "{\"fields\": {\"ticket_no\": {\"start\": 1, \"length\": 8}, \"subject\": {\"value\": "
        "\"01\"}, \"form\": {\"start\": 9, \"length\": 1}, \"answers\": {\"start\": 10, "
        "\"length\": 20}}, \"symbols\": {\"1\": \"A\", \"2\": \"B\", \"3\": \"C\", \"4\": \"D\", "
        "\"5\": \"AC\", \"6\": \"BD\", \" \": \"\", \"9\": \"?\", \"x\": \"ABCDE\"}}",
        "{\"fields\": {\"ticket_no\": {\"start\": 1, \"length\": 4}, \"subject\": {\"start\": 5, "
        "\"length\": 2}, \"form\": {\"value\": \"A\"}, \"answers\": {\"start\": 7, \"length\": "
        "10}}}",
};

static int row_ok(const struct kw_csvtab *t, const struct kw_csvrow *row, void *arg)
{
	(void)arg;
	if (t->ncols != 4)
		abort();
	const char *a = row->cells[3];
	struct kw_answer_symbols s;
	kw_answer_symbols_default(&s);
	size_t n = strlen(a);
	uint8_t out[KW_ANSWERFMT_MAX_FIELD];
	char msg[128];
	if (n == 0 || n > sizeof out || kw_answers_decode(&s, a, n, n, out, msg, sizeof msg) != 0)
		abort(); /* what the converter wrote, the scorer must read */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int mode = data[0] % 4;
	const char *text = (const char *)data + 1;
	size_t n = size - 1;
	struct kw_buf csv = KW_BUF_INIT;
	kw_buf_init(&csv, 0);
	struct kw_err err = KW_ERR_INIT;
	int rc;
	if (mode == 0) {
		rc = kw_answerfmt_cbt(text, n, &csv, &err);
	} else {
		json_t *j = NULL;
		if (mode == 3) {
			const char *nul = memchr(text, 0, n);
			size_t ln = nul ? (size_t)(nul - text) : n;
			j = json_loadb(text, ln, 0, NULL);
			text += nul ? ln + 1 : n;
			n -= nul ? ln + 1 : n;
		} else {
			j = json_loads(LAYOUTS[mode - 1], 0, NULL);
		}
		struct kw_answer_layout l;
		rc = j ? kw_answer_layout_parse(j, &l, &err) : 1;
		if (!rc)
			rc = kw_answerfmt_fixed(&l, text, n, &csv, &err);
		json_decref(j);
	}
	if (rc == 0) {
		struct kw_err e2 = KW_ERR_INIT;
		if (kw_csvtab_each(csv.buf, csv.len, 1000000, row_ok, NULL, &e2) != 0)
			abort();
		kw_err_release(&e2);
	}
	kw_buf_release(&csv);
	kw_err_release(&err);
	return 0;
}
