/*
 * Seeded draws: see draw.h for the construction, docs/draws.md for the test vectors.
 */
#include "core/draw.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static int sodium_ready(struct kw_err *err)
{
	if (sodium_init() < 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "libsodium cannot start");
	return 0;
}

static int sodium_failed(struct kw_err *err, const char *what)
{
	return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "libsodium %s failed", what);
}

int kw_draw_seed_new(uint8_t seed[KW_DRAW_SEED_BYTES], struct kw_err *err)
{
	int rc = sodium_ready(err);
	if (rc == 0)
		randombytes_buf(seed, KW_DRAW_SEED_BYTES);
	return rc;
}

static void to_hex(const uint8_t *b, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[b[i] >> 4];
		hex[2 * i + 1] = digits[b[i] & 15];
	}
	hex[2 * n] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly 2 × KW_DRAW_SEED_BYTES hex digits → out; false (out untouched) otherwise. */
static bool from_hex(const char *hex, size_t len, uint8_t out[KW_DRAW_SEED_BYTES])
{
	uint8_t b[KW_DRAW_SEED_BYTES];
	if (!hex || len != (size_t)2 * KW_DRAW_SEED_BYTES)
		return false;
	for (size_t i = 0; i < KW_DRAW_SEED_BYTES; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(out, b, sizeof b);
	return true;
}

void kw_draw_seed_hex(const uint8_t seed[KW_DRAW_SEED_BYTES], char hex[65])
{
	to_hex(seed, KW_DRAW_SEED_BYTES, hex);
}

int kw_draw_seed_parse(const char *hex, size_t len, uint8_t seed[KW_DRAW_SEED_BYTES],
                       struct kw_err *err)
{
	if (!from_hex(hex, len, seed))
		return kw_err_set(err, KW_EINVAL, "SEED_INVALID", NULL,
		                  "a seed is exactly 64 hexadecimal digits");
	return 0;
}

int kw_draw_commit(const uint8_t seed[KW_DRAW_SEED_BYTES], char hex[65], struct kw_err *err)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	int rc = sodium_ready(err);
	if (rc)
		goto out;
	if (crypto_hash_sha256(h, seed, KW_DRAW_SEED_BYTES) != 0) {
		rc = sodium_failed(err, "SHA-256");
		goto out;
	}
	to_hex(h, sizeof h, hex);
out:
	return rc;
}

bool kw_draw_verify(const uint8_t seed[KW_DRAW_SEED_BYTES], const char *commit_hex)
{
	uint8_t want[crypto_hash_sha256_BYTES], got[crypto_hash_sha256_BYTES];
	if (!commit_hex || !from_hex(commit_hex, strlen(commit_hex), want))
		return false;
	if (sodium_init() < 0 || crypto_hash_sha256(got, seed, KW_DRAW_SEED_BYTES) != 0)
		return false;
	return sodium_memcmp(want, got, sizeof got) == 0;
}

int kw_draw_subkey(const uint8_t seed[KW_DRAW_SEED_BYTES], const char *purpose,
                   uint8_t out[KW_DRAW_SEED_BYTES], struct kw_err *err)
{
	assert(purpose && *purpose);
	int rc = sodium_ready(err);
	if (rc)
		goto out;
	if (crypto_generichash(out, KW_DRAW_SEED_BYTES, (const unsigned char *)purpose,
	                       strlen(purpose), seed, KW_DRAW_SEED_BYTES) != 0)
		rc = sodium_failed(err, "BLAKE2b");
out:
	return rc;
}

int kw_draw_stream_init(struct kw_draw_stream *s, const uint8_t seed[KW_DRAW_SEED_BYTES],
                        const char *purpose, struct kw_err *err)
{
	memset(s, 0, sizeof *s);
	s->pos = KW_DRAW_BLOCK; /* empty: the first read generates block 0 */
	return kw_draw_subkey(seed, purpose, s->subkey, err);
}

void kw_draw_stream_release(struct kw_draw_stream *s)
{
	sodium_memzero(s, sizeof *s);
}

/* Generates block s->block into s->buf. */
static void refill(struct kw_draw_stream *s)
{
	uint8_t idx[8], key[randombytes_SEEDBYTES];
	for (int i = 0; i < 8; i++)
		idx[i] = (uint8_t)(s->block >> (8 * i));
	/* Cannot fail: the output and key lengths are fixed and valid for BLAKE2b. */
	if (crypto_generichash(key, sizeof key, idx, sizeof idx, s->subkey, sizeof s->subkey) != 0)
		abort();
	randombytes_buf_deterministic(s->buf, sizeof s->buf, key);
	sodium_memzero(key, sizeof key);
	s->block++;
	s->pos = 0;
}

void kw_draw_bytes(struct kw_draw_stream *s, void *out, size_t n)
{
	uint8_t *o = out;
	while (n) {
		if (s->pos == sizeof s->buf)
			refill(s);
		size_t k = sizeof s->buf - s->pos;
		if (k > n)
			k = n;
		memcpy(o, s->buf + s->pos, k);
		s->pos += k;
		o += k;
		n -= k;
	}
}

uint64_t kw_draw_u64(struct kw_draw_stream *s)
{
	uint8_t b[8];
	uint64_t v = 0;
	kw_draw_bytes(s, b, sizeof b);
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

uint64_t kw_draw_uniform(struct kw_draw_stream *s, uint64_t n)
{
	assert(n >= 1);
	if (n == 0)
		return 0;
	uint64_t t = (UINT64_C(0) - n) % n; /* = 2^64 mod n */
	uint64_t x;
	do
		x = kw_draw_u64(s);
	while (x < t);
	return x % n;
}

void kw_draw_shuffle(struct kw_draw_stream *s, size_t n, uint32_t *perm)
{
	assert((uint64_t)n <= (uint64_t)UINT32_MAX + 1);
	for (size_t k = 0; k < n; k++)
		perm[k] = (uint32_t)k;
	for (size_t i = n; i-- > 1;) {
		size_t j = (size_t)kw_draw_uniform(s, (uint64_t)i + 1);
		uint32_t tmp = perm[i];
		perm[i] = perm[j];
		perm[j] = tmp;
	}
}
