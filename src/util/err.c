#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
	int rc;
	int http;
	const char *name;
} table[] = {
        {KW_OK, 200, "OK"},
        {KW_EINVAL, 400, "EINVAL"},
        {KW_ENOTFOUND, 404, "ENOTFOUND"},
        {KW_ECONFLICT, 409, "ECONFLICT"},
        {KW_ETOOBIG, 413, "ETOOBIG"},
        {KW_ESTORE, 500, "ESTORE"},
        {KW_EAUTH, 401, "EAUTH"},
        {KW_EFORBIDDEN, 403, "EFORBIDDEN"},
        {KW_ERULE, 422, "ERULE"},
        {KW_ESTALE, 412, "ESTALE"},
        {KW_ETHROTTLED, 429, "ETHROTTLED"},
        {KW_EBUSY, 503, "EBUSY"},
        {KW_EMETHOD, 405, "EMETHOD"},
        {KW_EINTERNAL, 500, "EINTERNAL"},
        {KW_EUNAVAILABLE, 503, "EUNAVAILABLE"},
        {KW_EMEDIA, 415, "EMEDIA"},
        {KW_EPRECOND, 428, "EPRECOND"},
        {KW_EFULL, 507, "EFULL"},
};

int kw_err_http_status(int rc)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].rc == rc)
			return table[i].http;
	return 500;
}

const char *kw_err_name(int rc)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].rc == rc)
			return table[i].name;
	return "EUNKNOWN";
}

int kw_err_set(struct kw_err *err, int rc, const char *code, const char *rule, const char *fmt, ...)
{
	if (!err)
		return rc;
	err->rc = rc;
	err->code = code;
	err->rule = rule;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (err->details) {
		json_decref(err->details);
		err->details = NULL;
	}
	return rc;
}

void kw_err_detail(struct kw_err *err, const char *key, json_t *value)
{
	if (!err || !value) {
		json_decref(value);
		return;
	}
	if (!err->details)
		err->details = json_object();
	json_object_set_new(err->details, key, value);
}

int kw_err_invalid(struct kw_err *err, const char *field, const char *problem)
{
	kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "the data is not valid");
	kw_err_detail(err, "fields", json_pack("[{s:s, s:s}]", "field", field, "problem", problem));
	return KW_EINVAL;
}

int kw_err_not_found(struct kw_err *err, const char *what)
{
	return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such %s", what);
}

void kw_err_release(struct kw_err *err)
{
	if (!err)
		return;
	json_decref(err->details);
	err->details = NULL;
	err->rc = 0;
	err->code = NULL;
	err->rule = NULL;
	err->msg[0] = '\0';
}
