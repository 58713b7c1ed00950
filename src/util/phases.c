#include "util/phases.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double kw_phases_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void kw_phases_start(struct kw_phases *t, const char *env, const char *fmt, ...)
{
	memset(t, 0, sizeof *t);
	const char *e = getenv(env);
	t->on = e && *e && strcmp(e, "0") != 0;
	if (!t->on)
		return;
	t->t0 = t->last = kw_phases_now();
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(t->line, sizeof t->line - 8, fmt, ap);
	va_end(ap);
	t->n = w > 0 ? (size_t)w : 0;
	if (t->n > sizeof t->line - 8)
		t->n = sizeof t->line - 8;
	t->n += (size_t)snprintf(t->line + t->n, sizeof t->line - t->n, " (s):");
}

void kw_phases_mark(struct kw_phases *t, const char *phase, double secs)
{
	if (!t || !t->on || t->n >= sizeof t->line)
		return;
	double now = kw_phases_now();
	int w = snprintf(t->line + t->n, sizeof t->line - t->n, " %s %.3f", phase,
	                 secs >= 0 ? secs : now - t->last);
	if (w > 0)
		t->n += (size_t)w;
	if (secs < 0)
		t->last = now;
}

void kw_phases_end(struct kw_phases *t, int rc)
{
	if (!t->on)
		return;
	fprintf(stderr, "%s; total %.3f%s\n", t->line, kw_phases_now() - t->t0,
	        rc ? " (failed)" : "");
}
