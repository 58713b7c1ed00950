#include "core/params.h"

#include <stdio.h>
#include <string.h>

int kw_params_value_ok(const json_t *def, const json_t *v)
{
	const char *type = json_string_value(json_object_get(def, "type"));
	if (!type)
		return 0;
	if (strcmp(type, "int") == 0) {
		if (!json_is_integer(v))
			return 0;
		json_int_t n = json_integer_value(v);
		const json_t *mn = json_object_get(def, "min"), *mx = json_object_get(def, "max");
		return (!mn || n >= json_integer_value(mn)) && (!mx || n <= json_integer_value(mx));
	}
	if (strcmp(type, "bool") == 0)
		return json_is_boolean(v);
	if (strcmp(type, "text") == 0) {
		if (!json_is_string(v))
			return 0;
		const json_t *choices = json_object_get(def, "choices");
		if (!choices)
			return 1;
		size_t i;
		json_t *c;
		json_array_foreach(choices, i, c)
		{
			if (strcmp(json_string_value(c), json_string_value(v)) == 0)
				return 1;
		}
		return 0;
	}
	return 0;
}

static const char *expected(const json_t *def, char *buf, size_t n)
{
	const char *type = json_string_value(json_object_get(def, "type"));
	const json_t *mn = json_object_get(def, "min"), *mx = json_object_get(def, "max");
	if (type && strcmp(type, "int") == 0 && mn && mx)
		snprintf(buf, n, "integer %lld..%lld", (long long)json_integer_value(mn),
		         (long long)json_integer_value(mx));
	else if (json_object_get(def, "choices"))
		snprintf(buf, n, "one of the choices");
	else
		snprintf(buf, n, "%s", type ? type : "?");
	return buf;
}

/* Applies one layer onto out; layer names the source. */
static int apply(const json_t *defs, json_t *out, const json_t *values, const char *layer,
                 int province, struct kw_err *err)
{
	const char *name;
	json_t *v;
	json_object_foreach((json_t *)values, name, v)
	{
		const json_t *def = json_object_get(defs, name);
		if (!def) {
			int rc = kw_err_set(err, KW_EINVAL, "PARAM_UNKNOWN", NULL,
			                    "%s sets an unknown parameter %s", layer, name);
			kw_err_detail(err, "name", json_string(name));
			kw_err_detail(err, "layer", json_string(layer));
			return rc;
		}
		if (!kw_params_value_ok(def, v)) {
			char e[64];
			int rc = kw_err_set(err, KW_EINVAL, "PARAM_INVALID", NULL,
			                    "%s sets %s to a value that is not %s", layer, name,
			                    expected(def, e, sizeof e));
			kw_err_detail(err, "name", json_string(name));
			kw_err_detail(err, "layer", json_string(layer));
			kw_err_detail(err, "expected", json_string(e));
			return rc;
		}
		if (province && !json_is_true(json_object_get(def, "province_overridable"))) {
			int rc = kw_err_set(err, KW_ERULE, "PARAM_NOT_OVERRIDABLE", "EXAM-2",
			                    "a province may not override %s", name);
			kw_err_detail(err, "name", json_string(name));
			return rc;
		}
		json_t *slot = json_object_get(out, name);
		json_object_set(slot, "value", v);
		json_object_set_new(slot, "source", json_string(layer));
	}
	return 0;
}

static int apply_ruleset(const json_t *defs, const json_t *rulesets, const char *name, json_t *out,
                         int depth, struct kw_err *err)
{
	const json_t *rs = json_object_get(rulesets, name);
	if (!rs || depth > 4) {
		int rc = kw_err_set(err, KW_EINVAL, "RULESET_UNKNOWN", "ORG-0", "no rule set %s",
		                    name);
		kw_err_detail(err, "ruleset", json_string(name));
		return rc;
	}
	const char *base = json_string_value(json_object_get(rs, "base"));
	if (base) {
		int rc = apply_ruleset(defs, rulesets, base, out, depth + 1, err);
		if (rc)
			return rc;
	}
	char layer[64];
	snprintf(layer, sizeof layer, "ruleset %s", name);
	return apply(defs, out, json_object_get(rs, "values"), layer, 0, err);
}

int kw_params_resolve(const json_t *defs, const json_t *rulesets, const char *ruleset,
                      const json_t *exam, const json_t *province, json_t **out, struct kw_err *err)
{
	json_t *res = json_object();
	const char *name;
	json_t *def;
	json_object_foreach((json_t *)defs, name, def)
	{
		json_t *d = json_object_get(def, "default");
		json_object_set_new(
		        res, name,
		        json_pack("{s:O, s:s, s:O, s:O}", "value", d ? d : json_null(), "source",
		                  "default", "rule",
		                  json_object_get(def, "rule") ? json_object_get(def, "rule")
		                                               : json_null(),
		                  "unit",
		                  json_object_get(def, "unit") ? json_object_get(def, "unit")
		                                               : json_null()));
	}
	int rc = apply_ruleset(defs, rulesets, ruleset, res, 0, err);
	if (!rc && exam)
		rc = apply(defs, res, exam, "exam", 0, err);
	if (!rc && province)
		rc = apply(defs, res, province, "province", 1, err);
	if (rc) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}
