/*
 * A small memo of values readers derive from the database and ask for again and again (a
 * sitting's times, a centre's readiness at exam-day check-in), kept per process.
 *
 * An entry is valid while the generation it was read under is still current (the caller
 * passes the generation it read BEFORE it read the database: app/writer.h,
 * kw_facts_generation) and for at most ttl_us — the bound for changes the generation does not
 * see (another process writing the same database). Values are copied in and out (up to
 * KW_MEMO_VALUE_MAX bytes each); keys are compared in full. Bounded memory: a fixed table of
 * slots, a key in one slot (its hash's), the newest write wins. Thread-safe (striped locks).
 */
#ifndef KW_UTIL_MEMO_H
#define KW_UTIL_MEMO_H

#include <stddef.h>
#include <stdint.h>

#define KW_MEMO_KEY_MAX   96
#define KW_MEMO_VALUE_MAX 2048

struct kw_memo;

/* slots rounded up to a power of two (at least 16). */
struct kw_memo *kw_memo_new(size_t slots, int64_t ttl_us);
void kw_memo_free(struct kw_memo *m); /* NULL-safe */

/* Copies the value of key into val (n bytes, which must be the size it was put with) when an
 * entry for key was put under generation gen less than ttl_us before now_us: 1; else 0. A NULL
 * m, or a key or value too long, is a miss. */
int kw_memo_get(struct kw_memo *m, const void *key, size_t klen, uint64_t gen, int64_t now_us,
                void *val, size_t n);
/* Keeps a copy of val for key, read under generation gen at now_us (too long: not kept). */
void kw_memo_put(struct kw_memo *m, const void *key, size_t klen, uint64_t gen, int64_t now_us,
                 const void *val, size_t n);

#endif
