/*
 * libFuzzer target: parameter layer files (kaowu params show --exam-file/--province-file):
 * the bytes as a JSON layer, applied as the exam's and as the province's layer over PQ.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/params.h"
#include "util/embed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *defs, *sets;

static json_t *embedded(const char *name, const char *key)
{
	const struct kw_embedded *e = kw_embedded_find(name);
	json_t *j = e ? json_loadb(e->data, e->len, 0, NULL) : NULL;
	json_t *v = json_incref(json_object_get(j, key));
	json_decref(j);
	if (!v)
		abort();
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!defs) {
		defs = embedded("params.json", "params");
		sets = embedded("rulesets.json", "rulesets");
	}
	json_t *layer = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(layer)) {
		json_decref(layer);
		return 0;
	}
	const char *rs[] = {"AH", "PQ", "PROVINCE"};
	for (int i = 0; i < 3; i++) {
		struct kw_err err = KW_ERR_INIT;
		json_t *out = NULL;
		if (kw_params_resolve(defs, sets, rs[i], layer, NULL, &out, &err) == 0)
			json_decref(out);
		kw_err_release(&err);
		if (kw_params_resolve(defs, sets, rs[i], NULL, layer, &out, &err) == 0)
			json_decref(out);
		kw_err_release(&err);
	}
	json_decref(layer);
	return 0;
}
