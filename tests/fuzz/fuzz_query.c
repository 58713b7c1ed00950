/* List query strings (GET /api/v1/<register>?…): split as the server's library splits them
 * (& and =, percent-decoded), then kaowu's own parsing of limit, cursor, q and the filters. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '+') {
			*o++ = ' ';
		} else if (*p == '%' && p[1] && p[2]) {
			char hex[3] = {p[1], p[2], 0};
			*o++ = (char)strtol(hex, NULL, 16);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	const char *keys[32], *vals[32];
	int n = 0;
	for (char *save = NULL, *pair = strtok_r(buf, "&", &save); pair && n < 32;
	     pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (eq)
			*eq++ = '\0';
		unescape(pair);
		if (eq)
			unescape(eq);
		keys[n] = pair;
		vals[n++] = eq;
	}
	for (int i = 0; kw_kinds[i]; i++) {
		struct kw_rec_query q;
		const char *names[16], *values[16];
		struct kw_err err = KW_ERR_INIT;
		kw_rec_query_parse(kw_kinds[i], keys, vals, n, 1000, &q, names, values, 16, &err);
		kw_err_release(&err);
	}
	free(buf);
	return 0;
}
