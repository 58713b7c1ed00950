/*
 * Messages for people: catalogues are data files (data/i18n/<lang>.json, compiled in),
 * one object mapping an error or message code to a template with {name} placeholders
 * filled from the error's details. Simplified Chinese is the default; English available.
 */
#ifndef KW_UTIL_I18N_H
#define KW_UTIL_I18N_H

#include <jansson.h>

#include "util/buf.h"

#define KW_LANG_ZH "zh-CN"
#define KW_LANG_EN "en"

/* Loads the catalogues (idempotent, thread-safe); 0 or KW_EINTERNAL if one is broken. */
int kw_i18n_init(void);

/*
 * The message for code in lang (falls back to zh-CN, then to NULL when the code has no
 * entry). Placeholders {name} take details[name] (string or integer).
 * Appends to out; returns 0, or KW_ENOTFOUND when no catalogue has the code.
 */
int kw_i18n_format(const char *lang, const char *code, const json_t *details, struct kw_buf *out);

/* Is there a message for code in every catalogue? */
int kw_i18n_has(const char *code);

/* The catalogue for lang as a borrowed JSON object (tests compare their key sets). */
const json_t *kw_i18n_catalogue(const char *lang);

/*
 * The language of a request: the `lang` cookie value if it names a supported language,
 * else the best supported entry of Accept-Language (q-values honoured), else zh-CN.
 * Either argument may be NULL. Returns KW_LANG_ZH or KW_LANG_EN.
 */
const char *kw_i18n_negotiate(const char *cookie_lang, const char *accept_language);

/* The CLI's language from LANG/LC_ALL/LC_MESSAGES: en for "en*", else zh-CN. */
const char *kw_i18n_from_env(void);

#endif
