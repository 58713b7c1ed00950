/*
 * Seeded draws. The vectors below were computed once, outside kaowu, with Python's
 * hashlib (sha256, blake2b(key=…, digest_size=32)) and OpenSSL's ChaCha20 (the
 * `cryptography` package, nonce "LibsodiumDRG", counter 0) following the construction
 * written in src/core/draw.h; docs/draws.md lists them for auditors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/draw.h"

/* 00 01 02 … 1f */
static void seed_0_31(uint8_t seed[32])
{
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
}

static void assert_hex(const uint8_t *b, size_t n, const char *want)
{
	char hex[2 * 64 + 1];
	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	hex[2 * n] = '\0';
	assert_string_equal(hex, want);
}

static void stream(struct kw_draw_stream *s, const uint8_t seed[32], const char *purpose)
{
	assert_int_equal(kw_draw_stream_init(s, seed, purpose, NULL), 0);
}

/* ---- Test vectors ---- */

static void commit_vector(void **state)
{
	(void)state;
	uint8_t seed[32];
	char hex[65];
	seed_0_31(seed);
	assert_int_equal(kw_draw_commit(seed, hex, NULL), 0);
	assert_string_equal(hex,
	                    "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
	kw_draw_seed_hex(seed, hex);
	assert_string_equal(hex,
	                    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
}

static void subkey_vectors(void **state)
{
	(void)state;
	uint8_t seed[32], k[32];
	seed_0_31(seed);
	assert_int_equal(kw_draw_subkey(seed, "test:vector", k, NULL), 0);
	assert_hex(k, 32, "e61fb07ea2de01d597d0b1a289c7fd0c7c716eee02f400bc62785246c47e592b");
	assert_int_equal(kw_draw_subkey(seed, "seat:exam=42:sitting=3", k, NULL), 0);
	assert_hex(k, 32, "2f9655cdc1b274d54832bd76b4957ac1247ad4534d6f5d97002acc167e72cf82");
}

static void stream_vectors(void **state)
{
	(void)state;
	uint8_t seed[32], b[32];
	struct kw_draw_stream s;
	seed_0_31(seed);

	stream(&s, seed, "test:vector");
	kw_draw_bytes(&s, b, 32);
	assert_hex(b, 32, "4acce509938a4f0a7bc7e25b4710279d4f069a6249ff04ad987b39e74a25cc07");
	/* across the boundary of block 0 and block 1 */
	for (int i = 0; i < KW_DRAW_BLOCK - 8 - 32; i++)
		kw_draw_bytes(&s, b, 1);
	kw_draw_bytes(&s, b, 16);
	assert_hex(b, 16, "62889e3a0c51da8874a0611510cc52d3");
	kw_draw_stream_release(&s);

	stream(&s, seed, "seat:exam=42:sitting=3");
	kw_draw_bytes(&s, b, 32);
	assert_hex(b, 32, "99bc45370b95b4130b53f9534c4ee9476fcc7edb64c376bba4734865ab4f4143");
	kw_draw_stream_release(&s);

	stream(&s, seed, "test:vector");
	assert_true(kw_draw_u64(&s) == UINT64_C(742964827670301770));
	assert_true(kw_draw_u64(&s) == UINT64_C(11324037686716712827));
	assert_true(kw_draw_u64(&s) == UINT64_C(12467370359120332367));
	kw_draw_stream_release(&s);
}

/* The stream is randombytes_buf_deterministic of the per-block keys, block after block. */
static void stream_is_libsodium_blocks(void **state)
{
	(void)state;
	uint8_t seed[32], subkey[32], key[32], idx[8] = {0};
	static uint8_t want[2 * KW_DRAW_BLOCK], got[2 * KW_DRAW_BLOCK];
	struct kw_draw_stream s;
	seed_0_31(seed);
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(
	        crypto_generichash(subkey, 32, (const unsigned char *)"test:vector", 11, seed, 32),
	        0);
	for (int i = 0; i < 2; i++) {
		idx[0] = (uint8_t)i;
		assert_int_equal(crypto_generichash(key, 32, idx, 8, subkey, 32), 0);
		randombytes_buf_deterministic(want + (size_t)i * KW_DRAW_BLOCK, KW_DRAW_BLOCK, key);
	}
	/* the last key derived is the pinned key_1 of docs/draws.md */
	assert_hex(key, 32, "7d2fa96339ce9f17824de4ee81f9f992074e31162d013a0d564eec9e0eb90c0b");
	stream(&s, seed, "test:vector");
	kw_draw_bytes(&s, got, 100);
	kw_draw_bytes(&s, got + 100, sizeof got - 100);
	assert_memory_equal(got, want, sizeof want);
	kw_draw_stream_release(&s);
}

static void uniform_and_shuffle_vectors(void **state)
{
	(void)state;
	uint8_t seed[32];
	struct kw_draw_stream s;
	seed_0_31(seed);

	static const uint64_t six[10] = {2, 1, 5, 0, 5, 4, 3, 3, 5, 3};
	stream(&s, seed, "test:vector");
	for (int i = 0; i < 10; i++)
		assert_true(kw_draw_uniform(&s, 6) == six[i]);
	kw_draw_stream_release(&s);

	/* n = 2^63 + 1 rejects about half of all values: the first u64 above is rejected */
	static const uint64_t big[3] = {UINT64_C(2100665649861937018),
	                                UINT64_C(3243998322265556558),
	                                UINT64_C(1581153260561981659)};
	stream(&s, seed, "test:vector");
	for (int i = 0; i < 3; i++)
		assert_true(kw_draw_uniform(&s, (UINT64_C(1) << 63) + 1) == big[i]);
	kw_draw_stream_release(&s);

	static const uint32_t p10[10] = {6, 8, 9, 4, 3, 5, 2, 7, 1, 0};
	uint32_t perm[20];
	stream(&s, seed, "test:vector");
	kw_draw_shuffle(&s, 10, perm);
	assert_memory_equal(perm, p10, sizeof p10);
	kw_draw_stream_release(&s);

	static const uint32_t q10[10] = {3, 4, 2, 5, 1, 6, 0, 7, 8, 9};
	stream(&s, seed, "seat:exam=42:sitting=3");
	kw_draw_shuffle(&s, 10, perm);
	assert_memory_equal(perm, q10, sizeof q10);
	kw_draw_stream_release(&s);

	/* seed = SHA-256("kaowu"), revealed as hex */
	uint8_t seed2[32];
	char commit[65];
	static const uint32_t p20[20] = {7,  17, 6,  2, 19, 3, 1, 16, 4,  14,
	                                 18, 15, 13, 0, 5,  8, 9, 12, 11, 10};
	assert_int_equal(kw_draw_seed_parse("2cfa06b4f5d561efeead34621cd1b17b6eef4bb67a068475a88f21"
	                                    "0ff24cb829",
	                                    64, seed2, NULL),
	                 0);
	assert_int_equal(kw_draw_commit(seed2, commit, NULL), 0);
	assert_string_equal(commit,
	                    "6804fc2bcb9dcc8273ccdc1a680acab21a9196461d35960d88ce191658ae5087");
	stream(&s, seed2, "test:vector");
	kw_draw_shuffle(&s, 20, perm);
	assert_memory_equal(perm, p20, sizeof p20);
	kw_draw_stream_release(&s);
}

/* ---- Properties ---- */

static void same_seed_same_shuffle(void **state)
{
	(void)state;
	uint8_t seed[32];
	uint32_t a[200], b[200], c[200];
	struct kw_draw_stream s;
	assert_int_equal(kw_draw_seed_new(seed, NULL), 0);

	stream(&s, seed, "seat:exam=1");
	kw_draw_shuffle(&s, 200, a);
	kw_draw_stream_release(&s);
	stream(&s, seed, "seat:exam=1");
	kw_draw_shuffle(&s, 200, b);
	kw_draw_stream_release(&s);
	assert_memory_equal(a, b, sizeof a);

	/* a different purpose gives a different shuffle (the chance of equality is 1/200!) */
	stream(&s, seed, "seat:exam=2");
	kw_draw_shuffle(&s, 200, c);
	kw_draw_stream_release(&s);
	assert_memory_not_equal(a, c, sizeof a);

	/* a different seed too */
	seed[0] ^= 1;
	stream(&s, seed, "seat:exam=1");
	kw_draw_shuffle(&s, 200, c);
	kw_draw_stream_release(&s);
	assert_memory_not_equal(a, c, sizeof a);

	/* every output is a permutation */
	uint8_t seen[200] = {0};
	for (int i = 0; i < 200; i++) {
		assert_true(a[i] < 200);
		assert_int_equal(seen[a[i]]++, 0);
	}

	/* n = 0 and n = 1 consume nothing */
	uint32_t one = 99;
	stream(&s, seed, "x");
	kw_draw_shuffle(&s, 0, NULL);
	kw_draw_shuffle(&s, 1, &one);
	assert_int_equal(one, 0);
	uint64_t first = kw_draw_u64(&s);
	kw_draw_stream_release(&s);
	stream(&s, seed, "x");
	assert_true(kw_draw_u64(&s) == first);
	kw_draw_stream_release(&s);
}

static void fresh_seeds_differ(void **state)
{
	(void)state;
	uint8_t a[32], b[32];
	assert_int_equal(kw_draw_seed_new(a, NULL), 0);
	assert_int_equal(kw_draw_seed_new(b, NULL), 0);
	assert_memory_not_equal(a, b, 32);
}

static void uniform_in_range(void **state)
{
	(void)state;
	uint8_t seed[32];
	struct kw_draw_stream s;
	seed_0_31(seed);
	stream(&s, seed, "uniform");
	static const uint64_t ns[] = {
	        1, 2, 3, 7, 1000, (UINT64_C(1) << 32) + 1, (UINT64_C(1) << 63) + 1, UINT64_MAX};
	for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
		for (int i = 0; i < 2000; i++)
			assert_true(kw_draw_uniform(&s, ns[k]) < ns[k]);
	/* every value of a small range shows up, none far off 1/7 */
	unsigned count[7] = {0};
	for (int i = 0; i < 7000; i++)
		count[kw_draw_uniform(&s, 7)]++;
	for (int v = 0; v < 7; v++)
		assert_true(count[v] > 800 && count[v] < 1200);
	kw_draw_stream_release(&s);
}

/* Rank of a permutation of 0 … 4 in 0 … 119 (Lehmer code). */
static int rank5(const uint32_t p[5])
{
	int r = 0;
	for (int i = 0; i < 5; i++) {
		int smaller = 0;
		for (int j = i + 1; j < 5; j++)
			smaller += p[j] < p[i];
		r = r * (5 - i) + smaller;
	}
	return r;
}

/* "Swap with any index": a classic biased shuffle, for the test to prove it has teeth. */
static void naive_shuffle(struct kw_draw_stream *s, uint32_t p[5])
{
	for (uint32_t k = 0; k < 5; k++)
		p[k] = k;
	for (int i = 0; i < 5; i++) {
		uint64_t j = kw_draw_uniform(s, 5);
		uint32_t t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
}

enum { RUNS = 6000 };

/* Pearson's statistic of RUNS shuffles of 5 over the 120 permutations (119 d.f.). */
static double chi_square(const uint8_t seed[32], bool naive)
{
	unsigned count[120] = {0};
	struct kw_draw_stream s;
	stream(&s, seed, "chi-square");
	for (int r = 0; r < RUNS; r++) {
		uint32_t p[5];
		if (naive)
			naive_shuffle(&s, p);
		else
			kw_draw_shuffle(&s, 5, p);
		count[rank5(p)]++;
	}
	kw_draw_stream_release(&s);
	double e = RUNS / 120.0, chi = 0;
	for (int i = 0; i < 120; i++)
		chi += (count[i] - e) * (count[i] - e) / e;
	return chi;
}

static void shuffle_is_uniform(void **state)
{
	(void)state;
	/*
	 * For a fair shuffle the statistic has mean 119 and s.d. 15.4: a bound of 230 is over
	 * 7 s.d. away (and the seeds are fixed, so the test cannot flake). The naive shuffle's
	 * expected statistic at 6000 runs is about 417.
	 */
	uint8_t seed[32];
	for (int k = 0; k < 3; k++) {
		memset(seed, 0x5a + k, sizeof seed);
		double fair = chi_square(seed, false);
		double naive = chi_square(seed, true);
		print_message("chi-square (119 d.f.): fair %.1f, naive %.1f\n", fair, naive);
		assert_true(fair < 230);
		assert_true(naive > 230);
	}
}

/* ---- Commitments and hex ---- */

static void commit_verifies(void **state)
{
	(void)state;
	uint8_t seed[32];
	char hex[65], upper[65];
	assert_int_equal(kw_draw_seed_new(seed, NULL), 0);
	assert_int_equal(kw_draw_commit(seed, hex, NULL), 0);
	assert_int_equal(strlen(hex), 64);
	assert_true(kw_draw_verify(seed, hex));
	for (int i = 0; i < 65; i++)
		upper[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 32 : hex[i]);
	assert_true(kw_draw_verify(seed, upper));

	/* another seed, a changed digit, a wrong length, junk */
	uint8_t other[32];
	memcpy(other, seed, 32);
	other[31] ^= 0x80;
	assert_false(kw_draw_verify(other, hex));
	char c10 = hex[10];
	hex[10] = c10 == '0' ? '1' : '0';
	assert_false(kw_draw_verify(seed, hex));
	hex[10] = c10;
	assert_true(kw_draw_verify(seed, hex));
	char longer[67];
	snprintf(longer, sizeof longer, "%s00", hex);
	assert_false(kw_draw_verify(seed, longer));
	hex[63] = '\0';
	assert_false(kw_draw_verify(seed, hex));
	assert_false(kw_draw_verify(seed, ""));
	assert_false(kw_draw_verify(seed, NULL));
}

static void bad_hex_refused(void **state)
{
	(void)state;
	static const char good[] =
	        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static const char *const bad[] = {
	        "",
	        "00",
	        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1",   /* 63 */
	        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0", /* 65 */
	        "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
	        " 00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1 ",
	        "00010203040506070809-a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	};
	uint8_t seed[32], want[32];
	seed_0_31(want);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kw_err err = KW_ERR_INIT;
		memset(seed, 0xee, sizeof seed);
		assert_int_equal(kw_draw_seed_parse(bad[i], strlen(bad[i]), seed, &err), KW_EINVAL);
		assert_string_equal(err.code, "SEED_INVALID");
		assert_null(err.rule);
		for (int k = 0; k < 32; k++)
			assert_int_equal(seed[k], 0xee); /* untouched */
		kw_err_release(&err);
	}
	/* a NUL inside the length */
	char withnul[65];
	memcpy(withnul, good, 65);
	withnul[20] = '\0';
	assert_int_equal(kw_draw_seed_parse(withnul, 64, seed, NULL), KW_EINVAL);
	assert_int_equal(kw_draw_seed_parse(NULL, 0, seed, NULL), KW_EINVAL);

	assert_int_equal(kw_draw_seed_parse(good, 64, seed, NULL), 0);
	assert_memory_equal(seed, want, 32);
	assert_int_equal(
	        kw_draw_seed_parse("000102030405060708090A0B0C0D0E0F101112131415161718191A1B"
	                           "1C1D1E1F",
	                           64, seed, NULL),
	        0);
	assert_memory_equal(seed, want, 32);
	/* round trip */
	char hex[65];
	kw_draw_seed_hex(seed, hex);
	assert_string_equal(hex, good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(commit_vector),
	        cmocka_unit_test(subkey_vectors),
	        cmocka_unit_test(stream_vectors),
	        cmocka_unit_test(stream_is_libsodium_blocks),
	        cmocka_unit_test(uniform_and_shuffle_vectors),
	        cmocka_unit_test(same_seed_same_shuffle),
	        cmocka_unit_test(fresh_seeds_differ),
	        cmocka_unit_test(uniform_in_range),
	        cmocka_unit_test(shuffle_is_uniform),
	        cmocka_unit_test(commit_verifies),
	        cmocka_unit_test(bad_hex_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
