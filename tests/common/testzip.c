#include "testzip.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <zip.h>

char *kw_test_zip_member(const char *data, size_t n, const char *name)
{
	zip_error_t ze;
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
	assert_non_null(src);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_stat_t st;
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	char *buf = calloc(1, st.size + 1);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(z);
	return buf;
}
