/* Uploaded files (photo and proof materials): the image checks (decode, re-encode) and the PDF
 * shape check, on any bytes. Small limits keep each run quick; the code paths are the same. */
#include <stddef.h>
#include <stdint.h>

#include "core/upload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kw_image_limits lim = {
	        .max_bytes = 1 << 20,
	        .min_w = 8,
	        .min_h = 8,
	        .max_pixels = 1 << 20,
	        .box_w = 64,
	        .box_h = 64,
	        .quality = 80,
	};
	struct kw_image img;
	if (!kw_image_check(data, size, &lim, &img))
		kw_image_release(&img);
	(void)kw_pdf_check(data, size, 1 << 20);
	(void)kw_file_sniff(data, size);
	return 0;
}
