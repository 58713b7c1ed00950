/*
 * Rate limits for public endpoints that must not touch the database per request (the score
 * look-up on publication day, issue 10 item 7): a token bucket per key (an address, a
 * ticket number), refilled at `rate` per second up to `burst`.
 *
 * Bounded memory: a fixed table of buckets, keys hashed with SipHash under a key drawn at
 * creation (so nobody can aim collisions). A key's bucket lives in one of two slots; a new key
 * takes the emptier-looking of the two, dropping its former owner's count — a lost count only
 * ever lets someone through sooner, never refuses a key that has not been busy.
 *
 * Per process: N servers behind a balancer allow N times the rate; the limits are stated that
 * way in docs/api.md. Thread-safe (striped locks).
 */
#ifndef KW_UTIL_RATELIMIT_H
#define KW_UTIL_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct kw_ratelimit;

/* slots: buckets in the table (rounded up to a power of two, at least 64); rate per second
 * and burst (at least 1). rate <= 0: never limits. */
struct kw_ratelimit *kw_ratelimit_new(size_t slots, double rate, double burst);
void kw_ratelimit_free(struct kw_ratelimit *rl); /* NULL-safe */

/* Takes one token for key at now_us: 0 when allowed; otherwise 1, with *retry_s (may be NULL)
 * the whole seconds until a token is back (at least 1). A NULL rl allows everything. */
int kw_ratelimit_take(struct kw_ratelimit *rl, const void *key, size_t n, int64_t now_us,
                      int *retry_s);

/* Tokens left for key now (the burst for a key not seen); for tests and headers. */
double kw_ratelimit_left(struct kw_ratelimit *rl, const void *key, size_t n, int64_t now_us);

#endif
