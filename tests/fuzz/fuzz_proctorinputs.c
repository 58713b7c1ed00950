/*
 * libFuzzer target: the proctor lottery's inputs file (docs/proctors.md), which `kaowu
 * proctor verify` reads from whoever hands it over. What parses must write back to the same
 * bytes (one canonical form), draw without crashing whatever the shortfall, and give an
 * assignment in which nobody is drawn twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/proctor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	struct kw_proctor_parsed p;
	memset(&p, 0, sizeof p);
	if (kw_proctor_inputs_parse((const char *)data, size, &p, NULL) != 0)
		return 0;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	if (kw_proctor_inputs_write(&p.in, &b) != 0 || b.len != size ||
	    memcmp(b.buf, data, size) != 0)
		abort();
	kw_buf_release(&b);
	uint8_t seed[KW_DRAW_SEED_BYTES] = {1, 2, 3};
	struct kw_proctor_result r;
	char digest[65];
	if (kw_proctor_draw(&p.in, seed, &r, NULL) == 0) {
		if (kw_proctor_result_write(&p.in, &r, NULL, digest) != 0)
			abort(); /* a staff member twice, or an index out of range */
		for (size_t i = 0; i < r.n; i++)
			if (r.v[i].staff >= p.in.nstaff ||
			    p.in.staff[r.v[i].staff].duty != r.v[i].duty)
				abort();
	} else if (r.n != 0) {
		abort(); /* a failed draw keeps no assignment */
	}
	kw_proctor_result_release(&r);
	kw_proctor_parsed_release(&p);
	return 0;
}
