/* The HTTP server: libmicrohttpd with a thread pool, serving /api/v1 and web/. */
#ifndef KW_HTTP_SERVER_H
#define KW_HTTP_SERVER_H

#include <stddef.h>

#include "app/app.h"
#include "util/err.h"

struct kw_server_config {
	const char *host;    /* listen address, "127.0.0.1" */
	int port;            /* 0 = any free port (see kw_server_port) */
	const char *web_dir; /* static files */
	int threads;         /* worker threads; 0 = number of CPUs */
	size_t max_body;     /* request body cap in bytes; 0 = 1 MiB */
	int access_log;      /* one line per request on stderr */
	int secure_cookies;  /* mark cookies Secure (behind TLS) */
};

struct kw_server;

int kw_server_start(const struct kw_server_config *cfg, struct kw_app *app, struct kw_server **out,
                    struct kw_err *err);
int kw_server_port(const struct kw_server *srv);
/* Stops accepting, finishes the requests in flight, frees the server. NULL-safe. */
void kw_server_stop(struct kw_server *srv);

#endif
