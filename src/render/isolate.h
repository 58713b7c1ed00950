/*
 * Rendering in a child process (STACK.md: cairo keeps ~768 bytes per embedded CJK font per
 * PDF, and fontconfig/pango caches grow): the child renders into memory, writes the bytes
 * back through a pipe and exits, so the calling process — a long-running server — never
 * loads pango or cairo state at all and leaks nothing.
 */
#ifndef KW_RENDER_ISOLATE_H
#define KW_RENDER_ISOLATE_H

#include "util/buf.h"
#include "util/err.h"

/* fn runs in a forked child with arg and appends the document to out; its return value
 * (0 or a negative KW_E*) and err's code come back. *out receives the bytes. */
typedef int (*kw_render_fn)(void *arg, struct kw_buf *out, struct kw_err *err);
int kw_render_isolated(kw_render_fn fn, void *arg, struct kw_buf *out, struct kw_err *err);

/* Writes all n bytes to fd (retrying on EINTR): 0, or -1. */
int kw_fd_write_all(int fd, const void *p, size_t n);
/* Reads exactly n bytes: 0; 1 at the end of the file before any byte; -1 otherwise. */
int kw_fd_read_full(int fd, void *p, size_t n);

#endif
