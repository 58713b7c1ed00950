/*
 * Phase timings of a long operation, for benchmarks: when the environment variable named at
 * the start is set (not "0"), one line on stderr at the end — "<what> (s): phase T phase T …;
 * total T" — with the wall time of each phase. Off, every call is a no-op.
 */
#ifndef KW_UTIL_PHASES_H
#define KW_UTIL_PHASES_H

#include <stddef.h>

struct kw_phases {
	int on;
	double t0, last;
	char line[512];
	size_t n;
};

/* Starts timing `what` (printf-style) when getenv(env) is set. */
void kw_phases_start(struct kw_phases *t, const char *env, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Adds "phase T": the time since the last mark, or secs when secs >= 0 (a part measured
 * elsewhere; the last mark does not move). */
void kw_phases_mark(struct kw_phases *t, const char *phase, double secs);
/* Prints the line with the total; rc != 0 adds " (failed)". */
void kw_phases_end(struct kw_phases *t, int rc);
/* The monotonic clock in seconds. */
double kw_phases_now(void);

#endif
