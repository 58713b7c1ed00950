/*
 * libFuzzer target: identity-document numbers as candidates type them (sign-up, login,
 * claims). The first byte picks the document type; the rest is the number.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/idno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 256)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	struct kw_idno id;
	int rc = kw_idno_check((enum kw_idno_type)(data[0] % 5), s, "2026-11-24", &id);
	if (rc == 0 && strlen(id.norm) > 32)
		abort();
	if (strlen(s) >= 17 && strspn(s, "0123456789") >= 17) {
		char c = kw_idno_check_char(s);
		if (!((c >= '0' && c <= '9') || c == 'X'))
			abort();
	}
	free(s);
	return 0;
}
