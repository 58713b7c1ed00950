/*
 * An uploaded Excel workbook (.xlsx) as a table: the first worksheet read into the same
 * struct kw_csvtab as a CSV file (util/csvtab.h), so that imports accept either. The ZIP
 * container is opened with libzip, its XML parts are streamed through expat.
 */
#ifndef KW_UTIL_XLSXREAD_H
#define KW_UTIL_XLSXREAD_H

#include <stddef.h>

#include "util/csvtab.h"
#include "util/err.h"

/* 1 when data starts like a ZIP file (the local-file signature "PK\3\4"), else 0. */
int kw_xlsx_sniff(const void *data, size_t n);

/*
 * Reads the first worksheet (the first <sheet> of xl/workbook.xml, through
 * xl/_rels/workbook.xml.rels; xl/worksheets/sheet1.xml without them) of the workbook in
 * data[0..n) into a table freed with kw_csvtab_free. The header is the first non-empty row,
 * except that a first row with a single non-empty cell followed by a wider row is a caption,
 * as published tables have ("2027年度…职位表"), and skipped (trailing empty header cells are
 * dropped); every later non-empty row becomes
 * a row whose `line` is its Excel row number, padded with "" to the header's width. Cells are
 * trimmed of surrounding spaces and tabs; rows whose cells are all empty are skipped. A cell
 * holds its text: a shared or inline string, else the value as written in the sheet (numbers
 * "3" or "0.5", booleans "1"/"0", dates as Excel serial numbers, formulas as their cached
 * value).
 * Refusals (KW_EINVAL): XLSX_MALFORMED (not a ZIP, a part missing, bad XML, a bad cell
 * reference or shared-string index; details.part names the ZIP entry, details.line the XML
 * line where there is one), XLSX_EMPTY (no non-empty row), XLSX_TOO_LARGE (details.max_bytes:
 * an entry over 64 MiB once unpacked, or cells taking over 256 MiB in memory),
 * XLSX_ROW_WIDTH (details.line, details.expected, details.got: a non-empty cell right of the
 * header), CSV_TOO_MANY_ROWS (details.max), CSV_HEADER_DUPLICATE (details.column),
 * CSV_HEADER_EMPTY (details.column: an unnamed column left of a named one).
 */
int kw_xlsx_read_table(const void *data, size_t n, size_t max_rows, struct kw_csvtab **out,
                       struct kw_err *err);

/*
 * Test builds only (KW_TESTING): lowers the limits on an entry's unpacked size and on the
 * table's memory (0 = back to the defaults, 64 MiB and 256 MiB). A no-op in release builds.
 */
void kw_xlsx_test_limits(size_t max_entry_bytes, size_t max_table_bytes);

#endif
