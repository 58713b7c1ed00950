/*
 * kwhttp: the end-to-end scripts' HTTP client (tests/e2e/lib.sh's req), for the options they
 * use, with curl's meaning: -s -S -o FILE -D FILE -w '%{http_code}' -X METHOD -I -H 'N: v'
 * --data STR|@FILE --data-binary STR|@FILE --path-as-is --max-time SECONDS, one http:// URL.
 * A suite run makes some 17,000 requests; curl spends ~20 ms of CPU starting each (its TLS
 * and protocol libraries), this ~1 ms. Anything else on the command line — another option,
 * an https:// URL, a header to remove — runs curl itself with the same arguments, so a script
 * never gets a different answer than curl's.
 *
 * One request per process, Connection: close, the answer read to the end; a chunked body is
 * decoded. Exit 0 with an answer, 7 when the connection fails, 28 on a timeout (curl's codes);
 * -w then prints 000, as curl does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

struct buf {
	char *p;
	size_t n, cap;
};

static void add(struct buf *b, const void *d, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			perror("kwhttp");
			exit(2);
		}
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void adds(struct buf *b, const char *s)
{
	add(b, s, strlen(s));
}

static void run_curl(char **argv)
{
	static char curl[] = "curl";
	argv[0] = curl;
	execvp(curl, argv);
	perror("kwhttp: curl");
	exit(2);
}

/* The bytes of arg: itself, or the file after '@' (for --data without its CR and LF). */
static void data_of(const char *arg, int binary, struct buf *out)
{
	if (arg[0] != '@') {
		adds(out, arg);
		return;
	}
	FILE *f = fopen(arg + 1, "rb");
	if (!f) {
		fprintf(stderr, "kwhttp: cannot read %s\n", arg + 1);
		exit(26);
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		for (size_t i = 0; i < n; i++)
			if (binary || (chunk[i] != '\r' && chunk[i] != '\n'))
				add(out, &chunk[i], 1);
	fclose(f);
}

static void write_file(const char *path, const char *d, size_t n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (!f || (n && fwrite(d, 1, n, f) != n)) {
		fprintf(stderr, "kwhttp: cannot write %s\n", path);
		exit(23);
	}
	if (f != stdout)
		fclose(f);
}

static void write_out(const char *fmt, int code)
{
	if (!fmt)
		return;
	for (const char *p = fmt; *p; p++) {
		if (strncmp(p, "%{http_code}", 12) == 0) {
			printf("%03d", code);
			p += 11;
		} else if (p[0] == '\\' && p[1] == 'n') {
			putchar('\n');
			p++;
		} else {
			putchar(*p);
		}
	}
	fflush(stdout);
}

/* Decodes a chunked body in place; its new length. */
static size_t unchunk(char *p, size_t n)
{
	size_t in = 0, out = 0;
	while (in < n) {
		char *end = NULL;
		unsigned long len = strtoul(p + in, &end, 16);
		char *eol = memmem(p + in, n - in, "\r\n", 2);
		if (!eol || !end)
			break;
		in = (size_t)(eol - p) + 2;
		if (len == 0 || in + len > n)
			break;
		memmove(p + out, p + in, len);
		out += len;
		in += len + 2;
	}
	return out;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *dump = NULL, *wfmt = NULL, *method = NULL, *url = NULL;
	int head = 0, has_data = 0, has_type = 0;
	double max_time = 0;
	struct buf hdrs = {0}, data = {0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-s") || !strcmp(a, "-S") || !strcmp(a, "-sS") ||
		    !strcmp(a, "--path-as-is")) {
			continue;
		} else if (!strcmp(a, "-I")) {
			head = 1;
		} else if (v && !strcmp(a, "-o")) {
			out = v, i++;
		} else if (v && !strcmp(a, "-D")) {
			dump = v, i++;
		} else if (v && !strcmp(a, "-w")) {
			wfmt = v, i++;
		} else if (v && !strcmp(a, "-X")) {
			method = v, i++;
		} else if (v && !strcmp(a, "--max-time")) {
			max_time = atof(v), i++;
		} else if (v && !strcmp(a, "-H")) {
			const char *colon = strchr(v, ':');
			if (!colon || !colon[1]) /* "Name:" removes a header: curl's business */
				run_curl(argv);
			if ((size_t)(colon - v) == 12 && !strncasecmp(v, "Content-Type", 12))
				has_type = 1;
			adds(&hdrs, v);
			adds(&hdrs, "\r\n");
			i++;
		} else if (v && (!strcmp(a, "--data") || !strcmp(a, "--data-binary"))) {
			if (has_data)
				adds(&data, "&");
			has_data = 1;
			data_of(v, !strcmp(a, "--data-binary"), &data);
			i++;
		} else if (a[0] != '-' && !url && !strncmp(a, "http://", 7)) {
			url = a;
		} else {
			run_curl(argv);
		}
	}
	if (!url)
		run_curl(argv);
	/* http://HOST:PORT/PATH */
	const char *hp = url + 7, *slash = strchr(hp, '/');
	char host[256], port[16] = "80";
	size_t hl = slash ? (size_t)(slash - hp) : strlen(hp);
	if (hl >= sizeof host)
		run_curl(argv);
	memcpy(host, hp, hl);
	host[hl] = 0;
	char *pc = strrchr(host, ':');
	if (pc) {
		snprintf(port, sizeof port, "%s", pc + 1);
		*pc = 0;
	}
	const char *path = slash ? slash : "/";
	if (!method)
		method = head ? "HEAD" : has_data ? "POST" : "GET";

	struct buf req = {0};
	char line[512];
	adds(&req, method); /* the path may be long: no fixed buffer */
	adds(&req, " ");
	adds(&req, path);
	snprintf(line, sizeof line, " HTTP/1.1\r\nHost: %s:%s\r\n", host, port);
	adds(&req, line);
	adds(&req, "User-Agent: kwhttp\r\nAccept: */*\r\nConnection: close\r\n");
	if (hdrs.n)
		add(&req, hdrs.p, hdrs.n);
	if (has_data) {
		if (!has_type)
			adds(&req, "Content-Type: application/x-www-form-urlencoded\r\n");
		snprintf(line, sizeof line, "Content-Length: %zu\r\n", data.n);
		adds(&req, line);
	}
	adds(&req, "\r\n");
	if (has_data)
		add(&req, data.p, data.n);

	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
	int fd = -1;
	if (getaddrinfo(host, port, &hints, &ai) == 0) {
		for (struct addrinfo *p = ai; p && fd < 0; p = p->ai_next) {
			fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
			if (fd >= 0 && max_time > 0) {
				struct timeval tv = {
				        (time_t)max_time,
				        (suseconds_t)((max_time - (time_t)max_time) * 1e6)};
				setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
				setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
			}
			if (fd >= 0 && connect(fd, p->ai_addr, p->ai_addrlen) != 0) {
				close(fd);
				fd = -1;
			}
		}
		freeaddrinfo(ai);
	}
	if (fd < 0) {
		fprintf(stderr, "kwhttp: failed to connect to %s port %s\n", host, port);
		write_out(wfmt, 0);
		return 7;
	}
	for (size_t off = 0; off < req.n;) {
		ssize_t w = send(fd, req.p + off, req.n - off, MSG_NOSIGNAL);
		if (w <= 0) {
			if (errno == EINTR)
				continue;
			break; /* the server may answer (413) before reading it all */
		}
		off += (size_t)w;
	}
	struct buf resp = {0};
	char chunk[65536];
	for (;;) {
		ssize_t r = recv(fd, chunk, sizeof chunk, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			fprintf(stderr, "kwhttp: operation timed out\n");
			write_out(wfmt, 0);
			return 28;
		}
		if (r <= 0)
			break;
		add(&resp, chunk, (size_t)r);
	}
	close(fd);
	char *end = resp.p ? strstr(resp.p, "\r\n\r\n") : NULL;
	int code = 0;
	if (!end || sscanf(resp.p, "HTTP/%*s %d", &code) != 1) {
		fprintf(stderr, "kwhttp: empty or malformed answer\n");
		write_out(wfmt, 0);
		return 52;
	}
	size_t hlen = (size_t)(end - resp.p) + 4;
	char *body = resp.p + hlen;
	size_t blen = resp.n - hlen;
	/* the headers, as curl's -D writes them; Transfer-Encoding: chunked undone */
	int chunked = 0;
	for (char *l = resp.p; l < end; l = strstr(l, "\r\n") + 2)
		if (!strncasecmp(l, "Transfer-Encoding:", 18) && strstr(l, "chunked") &&
		    strstr(l, "chunked") < strstr(l, "\r\n"))
			chunked = 1;
	if (head)
		blen = 0;
	else if (chunked)
		blen = unchunk(body, blen);
	if (dump)
		write_file(dump, resp.p, hlen);
	write_file(out ? out : "-", head ? resp.p : body, head ? hlen : blen); /* -I: the headers */
	write_out(wfmt, code);
	free(resp.p);
	free(req.p);
	free(hdrs.p);
	free(data.p);
	return 0;
}
