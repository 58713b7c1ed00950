/* Uploaded CSV files (imports): decoding and the table reader. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/csvtab.h"
#include "util/textin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t n = 0;
	const char *enc = NULL;
	struct kw_err err = KW_ERR_INIT;
	if (kw_text_decode((const char *)data, size, &text, &n, &enc, &err) == 0) {
		struct kw_csvtab *t = NULL;
		if (kw_csvtab_parse(text, n, 1000, &t, &err) == 0)
			kw_csvtab_free(t);
	}
	free(text);
	kw_err_release(&err);
	return 0;
}
