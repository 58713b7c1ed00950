/* Record bodies (POST/PATCH of every register): JSON → the field checks of each kind. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	for (int i = 0; kw_kinds[i]; i++) {
		json_t *rec = NULL, *problems = NULL;
		kw_rec_check_body(kw_kinds[i], NULL, body, &rec, &problems);
		/* …and the same body as a change of the record it made. */
		json_t *rec2 = NULL, *problems2 = NULL;
		kw_rec_check_body(kw_kinds[i], rec, body, &rec2, &problems2);
		json_decref(rec);
		json_decref(problems);
		json_decref(rec2);
		json_decref(problems2);
	}
	json_decref(body);
	return 0;
}
