/*
 * libFuzzer target: the eligibility engine over any JSON {"c": conditions, "p": profile,
 * "d": reference date} — conditions staff typed, profiles candidates filled in.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/eligibility.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	if (!j)
		return 0;
	json_t *out = NULL;
	const char *problem = NULL;
	const char *d = json_string_value(json_object_get(j, "d"));
	int rc = kw_elig_evaluate(json_object_get(j, "c"), json_object_get(j, "p"),
	                          d ? d : "2026-11-30", &out, &problem);
	if (rc == 0 && !json_is_boolean(json_object_get(out, "eligible")))
		abort();
	if (rc != 0 && !problem)
		abort();
	json_decref(out);
	json_decref(j);
	return 0;
}
