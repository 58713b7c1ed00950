/*
 * kaowu generate candidates | import registrations | export registrations: the bulk tools
 * (app/bulk.h, core/synth.h), with a progress line on a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "app/bulk.h"
#include "cli/cli.h"
#include "core/synth.h"
#include "util/clock.h"

/* ---- progress on a terminal ---- */

struct bar {
	uint64_t total_bytes;
	struct timespec t0;
	int en;
	const char *what;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void bar_show(void *arg, uint64_t rows, uint64_t bytes)
{
	struct bar *b = arg;
	double s = since(&b->t0);
	double rate = s > 0 ? (double)rows / s : 0;
	if (b->total_bytes && bytes) {
		int pct = (int)(100.0 * (double)bytes / (double)b->total_bytes);
		int fill = pct / 5;
		fprintf(stderr, "\r%s [%.*s%*s] %3d%% %llu %s, %.0f %s", b->what, fill,
		        "####################", 20 - fill, "", pct, (unsigned long long)rows,
		        b->en ? "rows" : "行", rate, b->en ? "rows/s" : "行/秒");
	} else {
		fprintf(stderr, "\r%s %llu %s, %.0f %s", b->what, (unsigned long long)rows,
		        b->en ? "rows" : "行", rate, b->en ? "rows/s" : "行/秒");
	}
	fflush(stderr);
}

/* ---- generate ---- */

/* kaowu generate photo [--pick K]: photo K of the synthetic pool, as JPEG, to stdout. */
static int generate_photo(int argc, char **argv)
{
	int en = kw_cli_en();
	long k = 0;
	if (argc == 4 && strcmp(argv[2], "--pick") == 0) {
		char *end = NULL;
		k = strtol(argv[3], &end, 10);
		if (!*argv[3] || *end || k < 0 || k >= KW_SYNTH_PHOTOS)
			return kw_cli_usage("generate",
			                    en ? "--pick is 0..%d" : "--pick 应为 0 到 %d",
			                    KW_SYNTH_PHOTOS - 1);
	} else if (argc != 2) {
		return kw_cli_usage("generate", en ? "kaowu generate photo [--pick K]"
		                                   : "用法：kaowu generate photo [--pick K]");
	}
	if (isatty(STDOUT_FILENO))
		return kw_cli_usage("generate", en ? "redirect the JPEG to a file"
		                                   : "请把输出的 JPEG 重定向到文件");
	unsigned char *jpeg = NULL;
	size_t len = 0;
	if (kw_synth_photo((int)k, &jpeg, &len) != 0) {
		fprintf(stderr,
		        en ? "kaowu: could not encode the photo\n" : "kaowu：照片编码失败\n");
		return 1;
	}
	int ok = fwrite(jpeg, 1, len, stdout) == len && fflush(stdout) == 0;
	free(jpeg);
	return ok ? 0 : 1;
}

int cmd_generate(int argc, char **argv)
{
	enum { O_COUNT = 1, O_SEED, O_EXAM, O_POSITIONS, O_SUBJECTS, O_STATES, O_YEAR, O_FIRST };
	static const struct option opts[] = {{"count", required_argument, NULL, O_COUNT},
	                                     {"seed", required_argument, NULL, O_SEED},
	                                     {"exam", required_argument, NULL, O_EXAM},
	                                     {"positions", required_argument, NULL, O_POSITIONS},
	                                     {"subjects", required_argument, NULL, O_SUBJECTS},
	                                     {"states", no_argument, NULL, O_STATES},
	                                     {"year", required_argument, NULL, O_YEAR},
	                                     {"first", required_argument, NULL, O_FIRST},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o, states = 0, year = 2026;
	unsigned long long count = 0, seed = 1, first = 0;
	const char *exam = NULL, *positions = NULL, *subjects = NULL;
	optind = 1;
	opterr = 0;
	if (argc >= 2 && strcmp(argv[1], "photo") == 0)
		return generate_photo(argc, argv);
	if (argc < 2 || strcmp(argv[1], "candidates") != 0)
		return kw_cli_usage("generate",
		                    en ? "say what: kaowu generate candidates | photo"
		                       : "请指明生成内容：kaowu generate candidates | photo");
	optind = 2;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		if (o == O_COUNT)
			count = strtoull(optarg, &end, 10);
		else if (o == O_SEED)
			seed = strtoull(optarg, &end, 10);
		else if (o == O_FIRST)
			first = strtoull(optarg, &end, 10);
		else if (o == O_YEAR)
			year = (int)strtol(optarg, &end, 10);
		else if (o == O_EXAM)
			exam = optarg;
		else if (o == O_POSITIONS)
			positions = optarg;
		else if (o == O_SUBJECTS)
			subjects = optarg;
		else if (o == O_STATES)
			states = 1;
		else
			return kw_cli_usage("generate", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
		if (end && *end)
			return kw_cli_usage("generate", en ? "not a number: %s" : "不是数字：%s",
			                    optarg);
	}
	if (optind < argc)
		return kw_cli_usage("generate", en ? "unexpected '%s'" : "多余的参数“%s”",
		                    argv[optind]);
	if (count == 0 || count > 1000000000ULL || first > 1000000000ULL - count || year < 2000 ||
	    year > 2100)
		return kw_cli_usage("generate", en ? "--count is 1..1000000000"
		                                   : "--count 应为 1 到 1000000000");
	if (exam && !positions == !subjects)
		return kw_cli_usage("generate",
		                    en ? "with --exam give --positions or --subjects"
		                       : "指定 --exam 时须给出 --positions 或 --subjects");
	/* The positions to spread registrations over. */
	char *plist = positions ? strdup(positions) : NULL;
	const char *pos[4096] = {0};
	size_t npos = 0;
	for (char *p = plist, *save = NULL; p && (p = strtok_r(p, ",", &save)) && npos < 4096;
	     p = NULL)
		pos[npos++] = p;
	static const char *const statuses[] = {"submitted", "approved", "approved", "rejected"};
	printf("id_type,id_number,name,phone,birth_date,education_level,degree,major_code,major,"
	       "school,graduated_on,political_status,household_region,work_years,"
	       "grassroots_years%s\n",
	       exam ? ",exam_code,position_code,subjects,route,status" : "");
	for (unsigned long long i = first; i < first + count; i++) {
		struct kw_synth c;
		kw_synth_candidate(seed, i, year, &c);
		printf("resident_id,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%d", c.id_number, c.name,
		       c.phone, c.birth_date, c.education_level, c.degree, c.major_code, c.major,
		       c.school, c.graduated_on, c.political_status, c.household_region,
		       c.work_years, c.grassroots_years);
		if (exam)
			printf(",%s,%s,%s,%s,%s\n", exam, npos ? pos[c.pick % npos] : "",
			       subjects ? subjects : "", (c.pick >> 8) % 10 ? "pledge" : "proof",
			       states ? statuses[(c.pick >> 16) % 4] : "submitted");
		else
			putchar('\n');
	}
	free(plist);
	return fflush(stdout) == 0 ? KW_EXIT_OK : KW_EXIT_FAIL;
}

/* ---- import / export ---- */

static int open_app(const char *cmd, int argc, char **argv, const char *db, const char *key_opt,
                    struct kw_app **app, struct kw_err *err)
{
	char key[4096];
	int urc = kw_cli_db_and_key(cmd, argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;
	struct kw_app_config acfg = {.pool_size = 2, .key_file = key};
	if (kw_app_open(db, &acfg, app, err)) {
		kw_cli_fail(cmd, err);
		return KW_EXIT_FAIL;
	}
	return 0;
}

int cmd_import(int argc, char **argv)
{
	enum { O_DB = 1, O_KEY };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o;
	const char *db = NULL, *key_opt = NULL, *file = NULL;
	if (argc < 3 || strcmp(argv[1], "registrations") != 0)
		return kw_cli_usage("import", en ? "usage: kaowu import registrations FILE"
		                                 : "用法：kaowu import registrations FILE");
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else
			return kw_cli_usage("import", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	if (optind < argc)
		file = argv[optind++];
	if (!file)
		return kw_cli_usage("import", en ? "name the file" : "请指明文件");
	FILE *in = NULL;
	if (strcmp(file, "-") == 0) {
		/* Standard input is spooled to a temporary file: the import may read it twice. */
		in = tmpfile();
		char buf[1 << 16];
		size_t n;
		while (in && (n = fread(buf, 1, sizeof buf, stdin)) > 0)
			if (fwrite(buf, 1, n, in) != n) {
				fclose(in);
				in = NULL;
			}
		if (in)
			rewind(in);
	} else {
		in = fopen(file, "rb");
	}
	if (!in) {
		fprintf(stderr,
		        en ? "kaowu import: cannot read %s\n" : "kaowu import：无法读取 %s\n",
		        file);
		return KW_EXIT_FAIL;
	}
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	int rc = open_app("import", argc, argv, db, key_opt, &app, &err);
	if (rc) {
		fclose(in);
		kw_err_release(&err);
		return rc;
	}
	struct stat st;
	struct bar b = {.en = en, .what = en ? "import" : "导入"};
	if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
		b.total_bytes = (uint64_t)st.st_size;
	clock_gettime(CLOCK_MONOTONIC, &b.t0);
	struct kw_bulk_progress prog = {isatty(2) ? bar_show : NULL, &b};
	struct kw_actor op;
	kw_cli_operator(&op);
	json_t *out = NULL;
	rc = kw_bulk_import_registrations(app, &op, in, &prog, &out, &err);
	fclose(in);
	double secs = since(&b.t0);
	if (prog.fn)
		fputc('\n', stderr);
	kw_app_close(app);
	if (rc) {
		kw_cli_fail("import", &err);
		json_t *rows = json_object_get(err.details, "rows");
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r)
		{
			fprintf(stderr, en ? "  line %lld: %s: %s\n" : "  第 %lld 行：%s：%s\n",
			        (long long)json_integer_value(json_object_get(r, "line")),
			        json_string_value(json_object_get(r, "field")),
			        json_string_value(json_object_get(r, "problem")));
		}
		if (json_integer_value(json_object_get(err.details, "count")) > (json_int_t)i)
			fprintf(stderr,
			        en ? "  … %lld problems in all; nothing was imported\n"
			           : "  …… 共 %lld 处问题；未导入任何数据\n",
			        (long long)json_integer_value(
			                json_object_get(err.details, "count")));
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	json_int_t n = json_integer_value(json_object_get(out, "rows"));
	printf(en ? "imported %lld rows (%lld registrations; candidates: %lld new, %lld already "
	            "there) in %.1f s, %.0f rows/s\n"
	          : "已导入 %lld 行（报名 %lld 条；考生新建 %lld 人、已有 %lld 人），用时 %.1f "
	            "秒，每秒 %.0f 行\n",
	       (long long)n, (long long)json_integer_value(json_object_get(out, "registrations")),
	       (long long)json_integer_value(json_object_get(out, "candidates_created")),
	       (long long)json_integer_value(json_object_get(out, "candidates_reused")), secs,
	       secs > 0 ? (double)n / secs : 0.0);
	if (json_is_false(json_object_get(out, "statistics_refreshed")))
		fprintf(stderr,
		        en ? "note: the table statistics were not refreshed; run ANALYZE "
		             "candidates, "
		             "registrations before the registration window opens\n"
		           : "提示：未能更新表统计信息；请在报名开始前执行 ANALYZE candidates, "
		             "registrations\n");
	json_decref(out);
	return KW_EXIT_OK;
}

int cmd_export(int argc, char **argv)
{
	enum { O_DB = 1, O_KEY, O_EXAM, O_FORMAT, O_OUT };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {"exam", required_argument, NULL, O_EXAM},
	                                     {"format", required_argument, NULL, O_FORMAT},
	                                     {"out", required_argument, NULL, O_OUT},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o;
	const char *db = NULL, *key_opt = NULL, *exam = NULL, *format = "csv", *path = NULL;
	if (argc < 2 || strcmp(argv[1], "registrations") != 0)
		return kw_cli_usage("export", en ? "usage: kaowu export registrations …"
		                                 : "用法：kaowu export registrations ……");
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else if (o == O_EXAM)
			exam = optarg;
		else if (o == O_FORMAT)
			format = optarg;
		else if (o == O_OUT)
			path = optarg;
		else
			return kw_cli_usage("export", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	int xlsx = strcmp(format, "xlsx") == 0;
	if (!xlsx && strcmp(format, "csv") != 0)
		return kw_cli_usage("export",
		                    en ? "--format is csv or xlsx" : "--format 应为 csv 或 xlsx");
	if (xlsx && !path)
		return kw_cli_usage("export",
		                    en ? "xlsx needs --out FILE" : "xlsx 须用 --out 指定文件");
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	int rc = open_app("export", argc, argv, db, key_opt, &app, &err);
	if (rc) {
		kw_err_release(&err);
		return rc;
	}
	FILE *out = stdout;
	if (!xlsx && path && !(out = fopen(path, "wb"))) {
		kw_app_close(app);
		fprintf(stderr,
		        en ? "kaowu export: cannot write %s\n" : "kaowu export：无法写入 %s\n",
		        path);
		return KW_EXIT_FAIL;
	}
	struct bar b = {.en = en, .what = en ? "export" : "导出"};
	clock_gettime(CLOCK_MONOTONIC, &b.t0);
	struct kw_bulk_progress prog = {isatty(2) ? bar_show : NULL, &b};
	struct kw_actor op;
	kw_cli_operator(&op);
	uint64_t rows = 0;
	rc = kw_bulk_export_registrations(app, &op, exam, format, out, path, &prog, &rows, &err);
	if (out != stdout)
		fclose(out);
	if (prog.fn)
		fputc('\n', stderr);
	kw_app_close(app);
	if (rc) {
		kw_cli_fail("export", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	fprintf(stderr, en ? "exported %llu registrations\n" : "已导出报名 %llu 条\n",
	        (unsigned long long)rows);
	return KW_EXIT_OK;
}
