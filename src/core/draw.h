/*
 * Committed-then-revealed seeded draws (ARCHITECTURE "Seeded draws").
 *
 * Before a draw the 32-byte seed's commitment SHA-256(seed) is published; the draw's every
 * random choice is derived from the seed; afterwards the seed is revealed and anyone can
 * check it against the commitment and replay the draw. Everything here except
 * kw_draw_seed_new is a pure function of its inputs: the same seed, purpose and calls give
 * the same results on any machine. docs/draws.md restates the construction with test
 * vectors for auditors who re-implement it.
 *
 * The construction (all hashes and byte orders exactly as written):
 *
 *   commit   = SHA-256(seed), written as 64 lower-case hex digits.
 *   subkey   = BLAKE2b with a 32-byte output, keyed by the 32-byte seed, over the bytes of
 *              the purpose string (UTF-8, no terminating NUL)        [crypto_generichash]
 *   key_i    = BLAKE2b-256 keyed by subkey over the 8 bytes of i as an unsigned 64-bit
 *              little-endian integer, for blocks i = 0, 1, 2, …
 *   block_i  = randombytes_buf_deterministic(4096 bytes, key_i), i.e. the first 4096
 *              bytes of the ChaCha20 (IETF, RFC 8439) keystream under key_i with the
 *              12-byte nonce "LibsodiumDRG" (ASCII) and initial block counter 0.
 *   stream   = block_0 ‖ block_1 ‖ block_2 ‖ … , consumed from the start, byte by byte.
 *
 *   u64      = the next 8 stream bytes as an unsigned little-endian integer.
 *   uniform(n), n ≥ 1: t = 2^64 mod n; repeat x = u64 until x ≥ t; the result is x mod n.
 *              (Every call consumes at least one u64, even uniform(1).)
 *   shuffle(n): perm = [0, 1, …, n-1]; for i = n-1 down to 1: j = uniform(i+1),
 *              swap perm[i] and perm[j]. (n = 0 or 1 consumes nothing.)
 *
 * A draw over a set of items first sorts the items by a stable key (e.g. candidate number);
 * item perm[k] of the sorted list then takes place k. Each distinct use of one seed takes
 * its own purpose string (e.g. "seat:exam=42:sitting=3"), so draws never share bytes.
 */
#ifndef KW_CORE_DRAW_H
#define KW_CORE_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define KW_DRAW_SEED_BYTES 32
#define KW_DRAW_BLOCK      4096

/* A deterministic byte stream; set up with kw_draw_stream_init, wipe with _release. */
struct kw_draw_stream {
	uint8_t subkey[KW_DRAW_SEED_BYTES];
	uint64_t block;             /* index of the next block to generate */
	size_t pos;                 /* bytes of buf already consumed */
	uint8_t buf[KW_DRAW_BLOCK]; /* the current block */
};

/*
 * A fresh seed from the operating system's random source (randombytes_buf): the only
 * function here that is not pure. 0, or KW_EINTERNAL (code INTERNAL) if libsodium cannot
 * be initialised.
 */
int kw_draw_seed_new(uint8_t seed[KW_DRAW_SEED_BYTES], struct kw_err *err);

/* hex = SHA-256(seed) as 64 lower-case hex digits and a NUL. 0 or KW_EINTERNAL. */
int kw_draw_commit(const uint8_t seed[KW_DRAW_SEED_BYTES], char hex[65], struct kw_err *err);

/*
 * Does seed match the published commitment? commit_hex must be exactly 64 hex digits
 * (either case) and NUL-terminated; anything else is false.
 */
bool kw_draw_verify(const uint8_t seed[KW_DRAW_SEED_BYTES], const char *commit_hex);

/* out = BLAKE2b-256(key = seed, message = purpose). purpose: non-empty. 0 or KW_EINTERNAL. */
int kw_draw_subkey(const uint8_t seed[KW_DRAW_SEED_BYTES], const char *purpose,
                   uint8_t out[KW_DRAW_SEED_BYTES], struct kw_err *err);

/* Starts the stream of (seed, purpose) at its first byte. 0 or KW_EINTERNAL. */
int kw_draw_stream_init(struct kw_draw_stream *s, const uint8_t seed[KW_DRAW_SEED_BYTES],
                        const char *purpose, struct kw_err *err);

/* Wipes the stream's key material. */
void kw_draw_stream_release(struct kw_draw_stream *s);

/* Copies the next n bytes of the stream into out. */
void kw_draw_bytes(struct kw_draw_stream *s, void *out, size_t n);

/* The next 8 bytes as a little-endian unsigned integer. */
uint64_t kw_draw_u64(struct kw_draw_stream *s);

/* An unbiased integer in [0, n) by rejection sampling (see the top). Precondition: n ≥ 1. */
uint64_t kw_draw_uniform(struct kw_draw_stream *s, uint64_t n);

/*
 * Fills perm[0 … n-1] with a uniformly random permutation of 0 … n-1 (Fisher–Yates from the
 * top, as documented above). Precondition: n ≤ 2^32.
 */
void kw_draw_shuffle(struct kw_draw_stream *s, size_t n, uint32_t *perm);

/* hex = seed as 64 lower-case hex digits and a NUL (the revealed form). */
void kw_draw_seed_hex(const uint8_t seed[KW_DRAW_SEED_BYTES], char hex[65]);

/*
 * Parses exactly 64 hex digits (either case; len bytes, nothing else: no spaces, no 0x).
 * Fails with KW_EINVAL, code SEED_INVALID; seed is untouched then.
 */
int kw_draw_seed_parse(const char *hex, size_t len, uint8_t seed[KW_DRAW_SEED_BYTES],
                       struct kw_err *err);

#endif
