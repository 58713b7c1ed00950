/*
 * libFuzzer target: an answer-data backup file as `kaowu answers backup verify` and POST
 * /api/v1/exams/{id}/answer_backups/verification read it (core/answerbak.h), before anything
 * is compared with the database. Whatever comes in: a verdict, at most
 * KW_ANSWERBAK_MAX_PROBLEMS problems each naming its kind, a refused file always with one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/answerbak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = NULL, *problems = json_array();
	int rc = kw_answerbak_check((const char *)data, size, &doc, problems);
	if (rc != 0 && rc != -1)
		abort();
	if (rc && json_array_size(problems) == 0)
		abort();
	if (!rc && !doc)
		abort();
	if (json_array_size(problems) > KW_ANSWERBAK_MAX_PROBLEMS)
		abort();
	size_t i;
	json_t *p;
	json_array_foreach(problems, i, p) if (!json_string_value(json_object_get(p, "problem")))
	        abort();
	int64_t reg;
	(void)kw_answerbak_line((const char *)data, size, &reg);
	json_decref(doc);
	json_decref(problems);
	return 0;
}
