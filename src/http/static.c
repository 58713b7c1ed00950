/*
 * Static files of web/: read once at start into memory (the whole UI is small), each
 * with its type and a content ETag; served with revalidation for pages and a short
 * public cache for assets.
 */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/http.h"

#define MAX_TOTAL ((size_t)64 << 20)
#define MAX_FILES 4096

struct file {
	char *path; /* URL path, "/index.html" */
	char *data;
	size_t len;
	const char *type;
	char etag[40];
};

struct kw_static {
	struct file *files;
	size_t n, alloc, total;
};

static const struct {
	const char *ext, *type;
} types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".pdf", "application/pdf"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static int add_file(struct kw_static *st, const char *fs, const char *url, struct kw_err *err)
{
	FILE *f = fopen(fs, "rb");
	if (!f)
		return kw_err_set(err, KW_EINVAL, "WEB_DIR_INVALID", NULL, "cannot read %s", fs);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, MAX_TOTAL - st->total);
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = kw_buf_add(&b, chunk, n)) != 0)
			break;
	fclose(f);
	if (rc || st->n >= MAX_FILES) {
		kw_buf_release(&b);
		return kw_err_set(err, KW_ETOOBIG, "WEB_DIR_INVALID", NULL,
		                  "the web directory is larger than %zu MiB or %d files",
		                  MAX_TOTAL >> 20, MAX_FILES);
	}
	if (st->n == st->alloc) {
		st->alloc = st->alloc ? st->alloc * 2 : 32;
		st->files = kw_xrealloc(st->files, st->alloc * sizeof *st->files);
	}
	struct file *e = &st->files[st->n++];
	e->path = kw_xstrdup(url);
	e->data = kw_buf_detach(&b, &e->len);
	e->type = type_of(url);
	st->total += e->len;
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)e->data, e->len, NULL, 0);
	e->etag[0] = '"';
	sodium_bin2hex(e->etag + 1, sizeof e->etag - 2, h, sizeof h);
	strcat(e->etag, "\"");
	return 0;
}

static int walk(struct kw_static *st, const char *dir, const char *url, int depth,
                struct kw_err *err)
{
	if (depth > 8)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return kw_err_set(err, KW_EINVAL, "WEB_DIR_INVALID", NULL,
		                  "cannot open the web directory %s", dir);
	int rc = 0;
	struct dirent *de;
	while (!rc && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char fs[4096], u[4096];
		if ((size_t)snprintf(fs, sizeof fs, "%s/%s", dir, de->d_name) >= sizeof fs ||
		    (size_t)snprintf(u, sizeof u, "%s/%s", url, de->d_name) >= sizeof u)
			continue;
		struct stat sb;
		if (stat(fs, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			rc = walk(st, fs, u, depth + 1, err);
		else if (S_ISREG(sb.st_mode))
			rc = add_file(st, fs, u, err);
	}
	closedir(d);
	return rc;
}

int kw_static_load(const char *dir, struct kw_static **out, struct kw_err *err)
{
	struct kw_static *st = kw_xcalloc(1, sizeof *st);
	int rc = walk(st, dir, "", 0, err);
	if (rc) {
		kw_static_free(st);
		return rc;
	}
	*out = st;
	return 0;
}

void kw_static_free(struct kw_static *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++) {
		free(st->files[i].path);
		free(st->files[i].data);
	}
	free(st->files);
	free(st);
}

static const struct file *find(const struct kw_static *st, const char *path)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->files[i].path, path) == 0)
			return &st->files[i];
	return NULL;
}

static const struct file *lookup(const struct kw_static *st, const char *path)
{
	char p[1024];
	size_t n = strlen(path);
	if (n == 0 || n > 900 || path[0] != '/')
		return NULL;
	if (path[n - 1] == '/') {
		snprintf(p, sizeof p, "%sindex.html", path);
		return find(st, p);
	}
	const struct file *f = find(st, path);
	if (f)
		return f;
	snprintf(p, sizeof p, "%s/index.html", path);
	return find(st, p);
}

static enum MHD_Result queue(struct kw_req *req, int status, const struct file *f, const char *body,
                             size_t len, const char *type)
{
	struct MHD_Response *r =
	        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	kw_http_common_headers(req, r, 0);
	if (f) {
		MHD_add_response_header(r, "ETag", f->etag);
		/* Revalidated every time (a 304 by ETag is cheap): after an upgrade no browser
		 * keeps an old console.js beside a new page. */
		MHD_add_response_header(r, "Cache-Control", "no-cache");
	} else {
		MHD_add_response_header(r, "Cache-Control", "no-store");
	}
	enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	req->responded = 1;
	kw_http_log(req, status);
	return ret;
}

static const char not_found[] =
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>未找到 Not "
        "found</title>"
        "<p>页面不存在。Page not found. <a href=\"/\">首页 Home</a></p></html>\n";

enum MHD_Result kw_static_serve(struct kw_static *st, struct kw_req *req)
{
	const struct file *f = lookup(st, req->path);
	if (!f) {
		const struct file *nf = find(st, "/404.html");
		if (nf)
			return queue(req, 404, NULL, nf->data, nf->len, nf->type);
		return queue(req, 404, NULL, not_found, sizeof not_found - 1,
		             "text/html; charset=utf-8");
	}
	const char *inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && strstr(inm, f->etag))
		return queue(req, 304, f, "", 0, f->type);
	return queue(req, 200, f, f->data, f->len, f->type);
}
