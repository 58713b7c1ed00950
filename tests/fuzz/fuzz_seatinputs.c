/*
 * libFuzzer target: the seating inputs file (docs/seating.md), which `kaowu seat verify`
 * reads from whoever hands it over. What parses must write back to the same bytes (one
 * canonical form) and seat without crashing, whatever the shortfall.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/seat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	struct kw_seat_inputs in;
	memset(&in, 0, sizeof in);
	if (kw_seat_inputs_parse((const char *)data, size, &in, NULL) != 0)
		return 0;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	if (kw_seat_inputs_write(&in, &b) != 0 || b.len != size || memcmp(b.buf, data, size) != 0)
		abort();
	kw_buf_release(&b);
	uint8_t seed[KW_DRAW_SEED_BYTES] = {1, 2, 3};
	struct kw_seat_result r;
	char digest[65];
	if (kw_seat_assign(&in, seed, &r, NULL) == 0) {
		for (size_t i = 0; i < in.ncands; i++)
			if (r.seat_of[i] < 1 || r.room_of[i] >= r.nrooms)
				abort();
		kw_seat_result_write(&in, &r, NULL, digest);
	}
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);
	return 0;
}
