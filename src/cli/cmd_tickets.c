/*
 * kaowu tickets render | labels render: every admission ticket, or every door or desk label,
 * of an exam's published seating rendered by a pool of recycled worker processes into files
 * (app/bulkprint.h; docs/cli.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/bulkprint.h"
#include "cli/cli.h"
#include "render/pdf.h"

static void progress(void *data, uint64_t done, uint64_t total)
{
	const char *what = data;
	fprintf(stderr, "\r%s %llu / %llu", what, (unsigned long long)done,
	        (unsigned long long)total);
	fflush(stderr);
}

/* A count from an option: 1..max, else -1. */
static int count(const char *s, int max)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1 && v <= max ? (int)v : -1;
}

static void print_json(const char *what, const struct kw_bulkprint_report *r)
{
	json_t *probs = json_array();
	for (size_t i = 0; i < r->nproblems; i++)
		json_array_append_new(
		        probs, json_pack("{s:s, s:s, s:s}", "what", r->problems[i].what, "code",
		                         r->problems[i].code, "message", r->problems[i].msg));
	json_t *o = json_pack(
	        "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:I, s:f, s:f, s:f, s:o}",
	        "documents", what, "total", (json_int_t)r->total, "written", (json_int_t)r->written,
	        "rendered", (json_int_t)r->rendered, "reused", (json_int_t)r->reused, "pages",
	        (json_int_t)r->pages, "skipped", (json_int_t)r->skipped, "failed",
	        (json_int_t)r->failed, "workers", r->workers, "workers_started", r->workers_started,
	        "workers_crashed", r->workers_crashed, "worker_max_rss_kb",
	        (json_int_t)r->worker_max_rss_kb, "seconds", r->seconds, "render_seconds",
	        r->render_seconds, "rendered_per_second",
	        r->seconds > 0 ? (double)r->rendered / r->seconds : 0.0, "problems", probs);
	char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	printf("%s\n", s);
	free(s);
	json_decref(o);
}

static void print_report(const char *cmd, int labels, const struct kw_bulkprint_report *r)
{
	int en = kw_cli_en();
	double rate = r->seconds > 0 ? (double)r->rendered / r->seconds : 0;
	if (labels)
		printf(en ? "%s: %llu PDFs written (%llu pages) in %.2f s, %.1f PDFs/s, %.1f "
		            "pages/s; %llu failed\n"
		          : "%s：已写出 PDF %llu 个（共 %llu 页），用时 %.2f 秒，每秒 %.1f "
		            "个、%.1f "
		            "页；失败 %llu 个\n",
		       cmd, (unsigned long long)r->written, (unsigned long long)r->pages,
		       r->seconds, rate, r->seconds > 0 ? (double)r->pages / r->seconds : 0.0,
		       (unsigned long long)r->failed);
	else
		printf(en ? "%s: %llu of %llu written (%llu rendered and issued now, %llu issued "
		            "before, as stored), %llu not issuable now, %llu failed; %.2f s, %.1f "
		            "rendered/s\n"
		          : "%s：写出 %llu / %llu 份（本次生成并签发 %llu 份，此前已签发按存档写出 "
		            "%llu 份），暂不能签发 %llu 份，失败 %llu 份；用时 %.2f 秒，每秒生成 "
		            "%.1f 份\n",
		       cmd, (unsigned long long)r->written, (unsigned long long)r->total,
		       (unsigned long long)r->rendered, (unsigned long long)r->reused,
		       (unsigned long long)r->skipped, (unsigned long long)r->failed, r->seconds,
		       rate);
	printf(en ? "  workers: %d at once, %d started, %d died; largest peak RSS of a worker "
	            "%ld MiB\n"
	          : "  工作进程：同时 %d 个，共启动 %d 个，异常退出 %d 个；单个进程峰值内存 %ld "
	            "MiB\n",
	       r->workers, r->workers_started, r->workers_crashed, r->worker_max_rss_kb / 1024);
	for (size_t i = 0; i < r->nproblems; i++)
		fprintf(stderr, "  %s: %s (%s)\n", r->problems[i].what, r->problems[i].code,
		        r->problems[i].msg);
	uint64_t shown = r->nproblems, all = r->skipped + r->failed;
	if (all > shown)
		fprintf(stderr, en ? "  … and %llu more\n" : "  …… 另有 %llu 项\n",
		        (unsigned long long)(all - shown));
}

/* kaowu tickets render | kaowu labels render. */
static int render_cmd(const char *cmd, int labels, int argc, char **argv)
{
	enum { O_DB = 1, O_KEY, O_EXAM, O_CENTRE, O_OUT, O_WORKERS, O_PER, O_KIND, O_JSON };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {"exam", required_argument, NULL, O_EXAM},
	                                     {"centre", required_argument, NULL, O_CENTRE},
	                                     {"out", required_argument, NULL, O_OUT},
	                                     {"workers", required_argument, NULL, O_WORKERS},
	                                     {"per-worker", required_argument, NULL, O_PER},
	                                     {"kind", required_argument, NULL, O_KIND},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o, json = 0;
	const char *db = NULL, *key_opt = NULL;
	struct kw_bulkprint_opts opt = {0};
	if (argc < 2 || strcmp(argv[1], "render") != 0)
		return kw_cli_usage(cmd, en ? "the subcommand is render" : "子命令为 render");
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else if (o == O_EXAM)
			opt.exam = optarg;
		else if (o == O_CENTRE)
			opt.centre = optarg;
		else if (o == O_OUT)
			opt.out_dir = optarg;
		else if (o == O_KIND && labels)
			opt.kind = optarg;
		else if (o == O_JSON)
			json = 1;
		else if (o == O_WORKERS || o == O_PER) {
			int v = count(optarg, o == O_WORKERS ? 256 : 1000000);
			if (v < 0)
				return kw_cli_usage(
				        cmd, en ? "not a count: %s" : "不是有效的数量：%s", optarg);
			*(o == O_WORKERS ? &opt.workers : &opt.per_worker) = v;
		} else
			return kw_cli_usage(cmd, en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	if (!opt.exam || !opt.out_dir)
		return kw_cli_usage(cmd, en ? "--exam and --out are required"
		                            : "必须给出 --exam 和 --out");
	if (opt.kind && strcmp(opt.kind, "door") != 0 && strcmp(opt.kind, "desk") != 0)
		return kw_cli_usage(cmd,
		                    en ? "--kind is door or desk" : "--kind 应为 door 或 desk");
	char key[4096];
	int urc = kw_cli_db_and_key(cmd, argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;
	const char *what = labels ? (en ? "labels" : "标签") : (en ? "tickets" : "准考证");
	if (!json && isatty(STDERR_FILENO)) {
		opt.progress = progress;
		opt.progress_data = (void *)what;
	}
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	struct kw_app_config acfg = {.pool_size = 2, .key_file = key};
	struct kw_bulkprint_report rep;
	memset(&rep, 0, sizeof rep);
	int rc = kw_app_open(db, &acfg, &app, &err);
	if (!rc) {
		struct kw_actor op;
		kw_cli_operator(&op);
		rc = labels ? kw_labels_render_all(app, &opt, &rep, &err)
		            : kw_tickets_render_all(app, &op, &opt, &rep, &err);
	}
	if (opt.progress)
		fputc('\n', stderr);
	kw_app_close(app);
	kw_pdf_shutdown(); /* the fonts the workers inherited: nothing left for LeakSanitizer */
	if (rc) {
		kw_cli_fail(cmd, &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	if (json)
		print_json(labels ? (opt.kind ? opt.kind : "door") : "tickets", &rep);
	else
		print_report(cmd, labels, &rep);
	return rep.failed ? KW_EXIT_FAIL : KW_EXIT_OK;
}

int cmd_tickets(int argc, char **argv)
{
	return render_cmd("tickets", 0, argc, argv);
}

int cmd_labels(int argc, char **argv)
{
	return render_cmd("labels", 1, argc, argv);
}
