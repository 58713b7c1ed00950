/* Lists as Excel workbooks (libxlsxwriter): what staff take away from every table. */
#ifndef KW_RENDER_XLSX_H
#define KW_RENDER_XLSX_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

/*
 * One worksheet called sheet_name: a bold header row frozen at the top, then rows (a JSON
 * array of arrays of ncols values: strings are always text — never formulas —, integers and
 * reals numbers, true/false booleans, null an empty cell); columns as wide as their content
 * (CJK characters count double). *out = the .xlsx bytes (caller frees), *out_n their length.
 */
int kw_xlsx_table(const char *sheet_name, const char *const *headers, size_t ncols,
                  const json_t *rows, char **out, size_t *out_n, struct kw_err *err);

#endif
