/*
 * The one clock. Everything that needs "now" asks here, so tests can set it.
 * Times are UTC; microseconds since the epoch.
 */
#ifndef KW_UTIL_CLOCK_H
#define KW_UTIL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Now, in microseconds since 1970-01-01T00:00:00Z: the real clock, or the test clock. */
int64_t kw_clock_now_us(void);

/*
 * Test builds only (KW_TESTING): fixes the clock at us (0 = back to the real clock).
 * `kaowu serve` in a test build also honours KAOWU_TEST_NOW (RFC 3339) at start.
 * Release builds have neither, so production time cannot be moved.
 */
void kw_clock_set_us(int64_t us);

/* A monotonic clock for measuring durations (never set by tests), in microseconds. */
int64_t kw_clock_mono_us(void);

/* RFC 3339 in UTC with microseconds: "2026-11-23T12:00:00.000000Z" (out ≥ 28 bytes). */
void kw_clock_format(int64_t us, char out[32]);

/* The China Standard Time (UTC+8) date of an instant: "YYYY-MM-DD" — the day every legal
 * date and deadline is counted in (ARCHITECTURE.md). */
void kw_clock_china_date(int64_t us, char out[11]);

/*
 * Parses RFC 3339 ("2026-11-23T20:00:00+08:00", "…Z", optional fraction up to 6 digits)
 * into microseconds UTC. 0 on success, KW_EINVAL otherwise.
 */
int kw_clock_parse(const char *s, int64_t *us);

/*
 * Midnight China time (UTC+8) starting the day `days` after date ("YYYY-MM-DD", the first
 * ten characters are read), in microseconds UTC. 0, or KW_EINVAL for a missing or bad date.
 */
int kw_clock_china_day(const char *date, int days, int64_t *us);

#endif
