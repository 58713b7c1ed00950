/*
 * Errors: functions return 0 or a negative KW_E*; the details of a failure go in an
 * optional struct kw_err. One table (err.c) maps each code to its HTTP status.
 */
#ifndef KW_UTIL_ERR_H
#define KW_UTIL_ERR_H

#include <jansson.h>

enum {
	KW_OK = 0,
	KW_EINVAL = -1,        /* 400/422: bad input */
	KW_ENOTFOUND = -2,     /* 404: not found, or not yours */
	KW_ECONFLICT = -3,     /* 409 */
	KW_ETOOBIG = -4,       /* 413 */
	KW_ESTORE = -5,        /* 500/503: the database failed */
	KW_EAUTH = -6,         /* 401 */
	KW_EFORBIDDEN = -7,    /* 403 */
	KW_ERULE = -8,         /* 422: a SPEC rule refused it */
	KW_ESTALE = -9,        /* 412 */
	KW_ETHROTTLED = -10,   /* 429 */
	KW_EBUSY = -11,        /* 503 */
	KW_EMETHOD = -12,      /* 405 */
	KW_EINTERNAL = -13,    /* 500: a bug or the system failed */
	KW_EUNAVAILABLE = -14, /* 503: a dependency (the database) is unreachable */
	KW_EMEDIA = -15,       /* 415: a body of the wrong Content-Type */
	KW_EPRECOND = -16,     /* 428: a precondition (If-Match) is required */
	KW_EFULL = -17,        /* 507: the database's disk is full */
};

/* step() results that are not errors */
enum { KW_DONE = 0, KW_ROW = 1 };

/*
 * code: stable upper-case identifier, the key of the message catalogues ("JSON_INVALID").
 * rule: the SPEC rule id when a rule refused it ("REG-1"), else NULL.
 * msg:  an English developer-facing message (logs, CLI fallback); never personal data.
 * details: optional JSON object, owned; also the substitutions for the catalogue message.
 */
struct kw_err {
	int rc;
	const char *code;
	const char *rule;
	char msg[256];
	json_t *details;
};
#define KW_ERR_INIT                                                                                \
	{                                                                                          \
		0, NULL, NULL, {0}, NULL                                                           \
	}

/*
 * Sets err (if not NULL) and returns rc. `code` and `rule` must be string literals.
 * The message is formatted printf-style. Any previous details are released.
 */
int kw_err_set(struct kw_err *err, int rc, const char *code, const char *rule, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* Adds details[key] = value (takes ownership of value); err may be NULL. */
void kw_err_detail(struct kw_err *err, const char *key, json_t *value);

/* VALIDATION_FAILED (KW_EINVAL) naming one field and its problem: details.fields =
 * [{"field": field, "problem": problem}]. Returns KW_EINVAL. */
int kw_err_invalid(struct kw_err *err, const char *field, const char *problem);

/* NOT_FOUND (KW_ENOTFOUND), "no such <what>". Returns KW_ENOTFOUND. */
int kw_err_not_found(struct kw_err *err, const char *what);

void kw_err_release(struct kw_err *err);

/* HTTP status for a KW_E* code. */
int kw_err_http_status(int rc);

/* Short name of a KW_E* code ("EINVAL"). */
const char *kw_err_name(int rc);

#endif
