/*
 * Parameters in layers (ARCHITECTURE.md "Rule sets"; SPEC ORG-0, EXAM-2): kaowu's defaults
 * (every number of SPEC, data/rules/params.json) → the process rule set (AH, PQ, a
 * province's own starting from PQ; data/rules/rulesets.json) → the exam (the national
 * template) → the province's overrides, which may touch only parameters marked
 * province_overridable. Pure: the layers come in as JSON, the result goes out as JSON.
 */
#ifndef KW_CORE_PARAMS_H
#define KW_CORE_PARAMS_H

#include <jansson.h>

#include "util/err.h"

/*
 * Resolves every parameter. defs = params.json's "params" object; rulesets = rulesets.json's
 * "rulesets" object; exam and province = {name: value} objects or NULL. On success *out =
 * {name: {"value", "source", "rule", "unit"}} where source says which layer set the value
 * ("default", "ruleset PQ", "ruleset PROVINCE", "exam", "province").
 * Refusals (nothing is returned): RULESET_UNKNOWN; PARAM_UNKNOWN (a layer names a parameter
 * kaowu does not have); PARAM_INVALID (wrong type, out of range, not one of the choices;
 * details name, layer, expected); PARAM_NOT_OVERRIDABLE (rule EXAM-2: the province set one
 * that only the national template may).
 */
int kw_params_resolve(const json_t *defs, const json_t *rulesets, const char *ruleset,
                      const json_t *exam, const json_t *province, json_t **out, struct kw_err *err);

/* Is v a valid value for the parameter described by def? */
int kw_params_value_ok(const json_t *def, const json_t *v);

#endif
