/*
 * kaowu letters render: case documents (decision letters, notices of an intended decision;
 * render/letter.h) from a JSON file into PDFs, rendered by a pool of recycled worker
 * processes (render/pool.h). No database: the wording comes in the file. For printing a
 * batch by hand, for looking at a layout, and for bench/b_letters.sh.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "render/letter.h"
#include "render/pdf.h"
#include "render/pool.h"

#define PROBLEMS_SHOWN 20

struct run {
	const json_t *docs; /* an array */
	const char *dir;
	size_t next;
	uint64_t written, failed, pages;
	json_t *problems; /* the first PROBLEMS_SHOWN: {document, code, message} */
};

/* A count from an option: 1..max, else -1. */
static int count(const char *s, int max)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1 && v <= max ? (int)v : -1;
}

/* Pages of a PDF cairo wrote: its page objects ("/Type /Page", not "/Type /Pages"). */
static uint64_t pdf_pages(const char *p, size_t n)
{
	static const char key[] = "/Type /Page";
	uint64_t pages = 0;
	const char *end = p + n;
	while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1))) {
		p += sizeof key - 1;
		if (p == end || *p != 's')
			pages++;
	}
	return pages;
}

static int next_job(void *data, uint64_t *id, struct kw_buf *job, struct kw_err *err)
{
	struct run *r = data;
	if (r->next >= json_array_size(r->docs))
		return 0;
	*id = r->next;
	char *s = json_dumps(json_array_get(r->docs, r->next), JSON_COMPACT);
	r->next++;
	int rc = s ? kw_buf_adds(job, s) : KW_EINTERNAL;
	free(s);
	if (rc)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "cannot encode document %zu",
		                  r->next);
	return 1;
}

/* In a worker: the job is one document as JSON. */
static int render_job(void *data, const void *job, size_t n, struct kw_buf *out, struct kw_err *err)
{
	(void)data;
	json_error_t je;
	json_t *doc = json_loadb(job, n, 0, &je);
	if (!doc)
		return kw_err_set(err, KW_EINVAL, "DOCUMENT_INVALID", NULL, "not JSON: %s",
		                  je.text);
	int rc = kw_case_document_pdf(doc, out, err);
	json_decref(doc);
	return rc;
}

static int job_done(void *data, uint64_t id, int rc, const char *doc, size_t n,
                    const struct kw_err *failure, struct kw_err *err)
{
	struct run *r = data;
	if (rc) {
		r->failed++;
		if (json_array_size(r->problems) < PROBLEMS_SHOWN)
			json_array_append_new(r->problems,
			                      json_pack("{s:I, s:s, s:s}", "document",
			                                (json_int_t)id + 1, "code",
			                                failure->code ? failure->code : "",
			                                "message", failure->msg));
		return 0;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%06llu.pdf", r->dir, (unsigned long long)id + 1);
	FILE *fp = fopen(path, "wb");
	int bad = !fp || fwrite(doc, 1, n, fp) != n;
	if (fp && fclose(fp) != 0)
		bad = 1;
	if (bad)
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL, "cannot write %s: %s",
		                  path, strerror(errno));
	r->written++;
	r->pages += pdf_pages(doc, n);
	return 0;
}

/* In the zygote, before the first worker: the fonts, loaded once for all of them. */
static int warm(void *data, struct kw_err *err)
{
	(void)data;
	(void)err;
	kw_pdf_warm();
	return 0;
}

/* The documents of the file (an object is one document) as an array, owned; NULL with err
 * set when the file is not JSON, or with err unset when it cannot be read. */
static json_t *load_docs(const char *file, struct kw_err *err)
{
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (!f)
		return NULL;
	json_error_t je;
	json_t *j = json_loadf(f, 0, &je);
	if (f != stdin)
		fclose(f);
	if (!j) {
		kw_err_set(err, KW_EINVAL, "JSON_INVALID", NULL, "%s: %s", file, je.text);
		kw_err_detail(err, "line", json_integer(je.line));
		kw_err_detail(err, "column", json_integer(je.column));
		return NULL;
	}
	if (json_is_array(j))
		return j;
	json_t *a = json_array();
	json_array_append_new(a, j);
	return a;
}

static int make_dir(const char *dir, struct kw_err *err)
{
	struct stat st;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL, "mkdir %s: %s", dir,
		                  strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0)
		return kw_err_set(err, KW_EINVAL, "OUT_DIR_INVALID", NULL,
		                  "%s: not a writable directory", dir);
	return 0;
}

static void report(const struct run *r, const struct kw_render_pool_stats *s, int workers, int json)
{
	double rate = s->seconds > 0 ? (double)r->written / s->seconds : 0;
	if (json) {
		json_t *o =
		        json_pack("{s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:I, s:f, s:f, s:O}",
		                  "total", (json_int_t)json_array_size(r->docs), "written",
		                  (json_int_t)r->written, "failed", (json_int_t)r->failed, "pages",
		                  (json_int_t)r->pages, "workers", workers, "workers_started",
		                  s->workers_started, "workers_crashed", s->workers_crashed,
		                  "worker_max_rss_kb", (json_int_t)s->worker_max_rss_kb, "seconds",
		                  s->seconds, "rendered_per_second", rate, "problems", r->problems);
		char *t = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		printf("%s\n", t);
		free(t);
		json_decref(o);
		return;
	}
	int en = kw_cli_en();
	printf(en ? "letters: %llu of %zu written (%llu pages), %llu failed; %.2f s, %.1f "
	            "documents/s; %d workers at once, %d started; largest peak RSS of a worker "
	            "%ld MiB\n"
	          : "letters：写出 %llu / %zu 份（共 %llu 页），失败 %llu 份；用时 %.2f 秒，每秒 "
	            "%.1f 份；工作进程同时 %d 个，共启动 %d 个；单个进程峰值内存 %ld MiB\n",
	       (unsigned long long)r->written, json_array_size(r->docs),
	       (unsigned long long)r->pages, (unsigned long long)r->failed, s->seconds, rate,
	       workers, s->workers_started, s->worker_max_rss_kb / 1024);
	size_t i;
	json_t *p;
	json_array_foreach(r->problems, i, p)
	{
		fprintf(stderr, "  %lld: %s (%s)\n",
		        (long long)json_integer_value(json_object_get(p, "document")),
		        json_string_value(json_object_get(p, "code")),
		        json_string_value(json_object_get(p, "message")));
	}
}

int cmd_letters(int argc, char **argv)
{
	enum { O_OUT = 1, O_WORKERS, O_PER, O_JSON };
	static const struct option opts[] = {{"out", required_argument, NULL, O_OUT},
	                                     {"workers", required_argument, NULL, O_WORKERS},
	                                     {"per-worker", required_argument, NULL, O_PER},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {NULL, 0, NULL, 0}};
	const char *cmd = "letters";
	int en = kw_cli_en(), o, json = 0, workers = 0, per = 0;
	const char *dir = NULL;
	if (argc < 2 || strcmp(argv[1], "render") != 0)
		return kw_cli_usage(cmd, en ? "the subcommand is render" : "子命令为 render");
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_OUT)
			dir = optarg;
		else if (o == O_JSON)
			json = 1;
		else if (o == O_WORKERS || o == O_PER) {
			int v = count(optarg, o == O_WORKERS ? 256 : 1000000);
			if (v < 0)
				return kw_cli_usage(
				        cmd, en ? "not a count: %s" : "不是有效的数量：%s", optarg);
			*(o == O_WORKERS ? &workers : &per) = v;
		} else
			return kw_cli_usage(cmd, en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	if (optind != argc - 1)
		return kw_cli_usage(cmd, en ? "one FILE is required" : "须给出一个 FILE");
	if (!dir)
		return kw_cli_usage(cmd, en ? "--out is required" : "必须给出 --out");
	if (!workers) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		workers = c > 0 ? (int)c : 1;
	}
	struct kw_err err = KW_ERR_INIT;
	struct run r = {.dir = dir, .problems = json_array()};
	json_t *docs = load_docs(argv[optind], &err);
	if (!docs && !err.code) {
		fprintf(stderr,
		        en ? "kaowu letters: cannot read %s\n" : "kaowu letters：无法读取 %s\n",
		        argv[optind]);
		json_decref(r.problems);
		return KW_EXIT_FAIL;
	}
	r.docs = docs;
	int rc = docs ? make_dir(dir, &err) : KW_EINVAL;
	struct kw_render_pool *pool = NULL;
	struct kw_render_pool_stats st;
	memset(&st, 0, sizeof st);
	if (!rc) {
		struct kw_render_pool_config cfg = {.workers = workers,
		                                    .jobs_per_worker = per,
		                                    .render = render_job,
		                                    .next = next_job,
		                                    .done = job_done,
		                                    .warm = warm,
		                                    .data = &r};
		rc = kw_render_pool_create(&cfg, &pool, &err);
	}
	if (!rc)
		rc = kw_render_pool_run(pool, &err);
	if (pool)
		kw_render_pool_stats(pool, &st);
	kw_render_pool_free(pool);
	kw_pdf_shutdown();
	if (rc) {
		kw_cli_fail(cmd, &err);
		kw_err_release(&err);
	} else {
		report(&r, &st, workers, json);
	}
	json_decref(r.problems);
	json_decref(docs);
	return rc ? KW_EXIT_FAIL : r.failed ? KW_EXIT_FAIL : KW_EXIT_OK;
}
