/* Uploaded Excel workbooks (imports): the ZIP container, its XML parts and the table. */
#include <stddef.h>
#include <stdint.h>

#include "util/xlsxread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kw_err err = KW_ERR_INIT;
	struct kw_csvtab *t = NULL;
	if (kw_xlsx_read_table(data, size, 1000, &t, &err) == 0) {
		/* Every row is as wide as the header, every cell a string. */
		for (size_t r = 0; r < t->nrows; r++)
			for (size_t c = 0; c < t->ncols; c++)
				if (!t->rows[r].cells[c])
					__builtin_trap();
		kw_csvtab_free(t);
	}
	kw_err_release(&err);
	return 0;
}
