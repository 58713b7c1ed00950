/* libFuzzer target: the JSON request-body parser and the field checker. */
#include <stdint.h>
#include <stdlib.h>

#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct kw_jfield fields[] = {
        {"username", KW_JSTRING, KW_JREQUIRED, 3, 64},
        {"count", KW_JINTEGER, 0, 0, 0},
        {"flag", KW_JBOOLEAN, KW_JNULLABLE, 0, 0},
        {"items", KW_JARRAY, 0, 0, 8},
        {"meta", KW_JOBJECT, 0, 0, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kw_err err = KW_ERR_INIT;
	json_t *j = NULL;
	if (kw_json_parse_body((const char *)data, size, 65536, &j, &err) == 0) {
		kw_json_check(j, fields, sizeof fields / sizeof fields[0], &err);
		json_decref(j);
	}
	kw_err_release(&err);
	return 0;
}
