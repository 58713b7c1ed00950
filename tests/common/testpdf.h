/* PDFs in tests: read back with poppler's tools, as a person would see them; test data. */
#ifndef KW_TESTS_TESTPDF_H
#define KW_TESTS_TESTPDF_H

#include <stddef.h>

#include "util/buf.h"

/* A file of tests/data (found beside this source file), malloc'd; the test fails without it. */
unsigned char *kw_test_data_file(const char *rel, size_t *n);

/* What a poppler tool (pdftotext, which writes to -, pdfinfo, pdffonts) prints for the PDF in
 * pdf; malloc'd. The test fails when the tool does. */
char *kw_test_poppler(const char *tool, const struct kw_buf *pdf);

/* The page count pdfinfo gives, or -1. */
int kw_test_pdf_pages(const struct kw_buf *pdf);

#endif
