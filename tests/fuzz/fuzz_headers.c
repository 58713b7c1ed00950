/*
 * libFuzzer target: the request headers kaowu parses itself — the language negotiation
 * of the `lang` cookie and Accept-Language. The input is split at its first NUL into
 * the cookie value and the header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	const char *cookie = s;
	size_t n = strlen(s);
	const char *accept = n < size ? s + n + 1 : NULL;
	const char *lang = kw_i18n_negotiate(cookie, accept);
	if (strcmp(lang, KW_LANG_ZH) != 0 && strcmp(lang, KW_LANG_EN) != 0)
		abort();
	free(s);
	return 0;
}
