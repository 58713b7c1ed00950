#include "testpdf.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned char *kw_test_data_file(const char *rel, size_t *n)
{
	char path[4096];
	const char *slash = strrchr(__FILE__, '/');
	snprintf(path, sizeof path, "%.*s/../data/%s", slash ? (int)(slash - __FILE__) : 1,
	         slash ? __FILE__ : ".", rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct kw_buf b;
	kw_buf_init(&b, 0);
	char chunk[4096];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		assert_int_equal(kw_buf_add(&b, chunk, r), 0);
	fclose(f);
	return (unsigned char *)kw_buf_detach(&b, n);
}

/* What a poppler tool (pdftotext -, pdfinfo, pdffonts) prints for the PDF in pdf. */

char *kw_test_poppler(const char *tool, const struct kw_buf *pdf)
{
	char path[4096], cmd[4200];
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/kw-render-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf->buf, pdf->len), (ssize_t)pdf->len);
	close(fd);
	snprintf(cmd, sizeof cmd, "%s '%s' %s 2>&1", tool, path,
	         strcmp(tool, "pdftotext") ? "" : "-");
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct kw_buf b;
	kw_buf_init(&b, 0);
	char chunk[4096];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, p)) > 0)
		kw_buf_add(&b, chunk, r);
	assert_int_equal(pclose(p), 0);
	unlink(path);
	return kw_buf_detach(&b, NULL);
}

int kw_test_pdf_pages(const struct kw_buf *pdf)
{
	char *info = kw_test_poppler("pdfinfo", pdf);
	const char *p = strstr(info, "Pages:");
	int n = p ? atoi(p + 6) : -1;
	free(info);
	return n;
}
