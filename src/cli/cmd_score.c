/*
 * kaowu score keys | import | run: objective scoring on the server host (app/scoring.h), on
 * behalf of a named staff account whose grants allow it (--as), audited as the operator:
 * load a paper form's answer key from a JSON file, import scanner output (CSV) with a
 * witness (GRD-4), run a subject's scoring. The same checks as the API's; one JSON line on
 * stdout with --json (benchmarks read it), else a sentence.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "app/approvals.h"
#include "app/publish.h"
#include "app/answerin.h"
#include "app/scoring.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/clock.h"

static const char *fstr(const json_t *f, const char *k)
{
	const char *v = json_string_value(json_object_get(f, k));
	return v ? v : "";
}

static long long fint(const json_t *f, const char *k)
{
	return (long long)json_integer_value(json_object_get(f, k));
}

static double freal(const json_t *f, const char *k)
{
	return json_number_value(json_object_get(f, k));
}

/* One finding of a cross-check (GRD-7) as a sentence. */
static void finding_print(const json_t *f, int en)
{
	const char *kind = fstr(f, "kind");
	printf("  * ");
	if (strcmp(kind, "distribution") == 0) {
		const json_t *p = json_object_get(f, "peers");
		const char *test = fstr(f, "test");
		int room = json_object_get(f, "room") != NULL;
		const char *scope = fstr(p, "scope");
		if (room)
			printf(en ? "centre %s room %s (exam room %lld, %lld candidates): "
			          : "考点 %s 考场 %s（第 %lld 考场，%lld 人）：",
			       fstr(f, "centre"), fstr(f, "room"), fint(f, "exam_room"),
			       fint(f, "n"));
		else
			printf(en ? "centre %s (%lld candidates): " : "考点 %s（%lld 人）：",
			       fstr(f, "centre"), fint(f, "n"));
		const char *peers =
		        en ? (strcmp(scope, "centre") == 0 ? "the rest of the centre"
		                                           : "the rest of the exam")
		           : (strcmp(scope, "centre") == 0 ? "本考点其他考场" : "全部其他考生");
		if (strcmp(test, "mean") == 0 && en)
			printf("mean %.2f against %.2f of %s, %.2f standard errors away\n",
			       freal(f, "mean"), freal(p, "mean"), peers, freal(f, "z"));
		else if (strcmp(test, "mean") == 0)
			printf("平均分 %.2f，%s为 %.2f，相差 %.2f 个标准误\n", freal(f, "mean"),
			       peers, freal(p, "mean"), freal(f, "z"));
		else if (strcmp(test, "variance") == 0 && en)
			printf("totals abnormally alike: sd %.2f against %.2f of %s (p = %.2g)\n",
			       freal(f, "sd"), freal(p, "sd"), peers, freal(f, "p"));
		else if (strcmp(test, "variance") == 0)
			printf("分数异常集中：标准差 %.2f，%s为 %.2f（p = %.2g）\n", freal(f, "sd"),
			       peers, freal(p, "sd"), freal(f, "p"));
		else
			printf(en ? "%lld candidates share the total %s (p = %.2g)\n"
			          : "%lld 人总分同为 %s（p = %.2g）\n",
			       fint(f, "count"), fstr(f, "total"), freal(f, "p"));
	} else if (strcmp(kind, "mark_without_sheet") == 0) {
		printf(en ? "ticket %s: no answer sheet (absent) but a script mark of %s\n"
		          : "准考证 %s：无答题卡（缺考）却有主观题评分 %s\n",
		       fstr(f, "ticket_no"), fstr(f, "subjective"));
	} else if (strcmp(kind, "sheet_without_mark") == 0) {
		printf(en ? "ticket %s: an answer sheet but no script mark\n"
		          : "准考证 %s：有答题卡却无主观题评分\n",
		       fstr(f, "ticket_no"));
	} else if (strcmp(kind, "recorded_absent_with_sheet") == 0 ||
	           strcmp(kind, "recorded_absent_with_mark") == 0) {
		printf(en ? "ticket %s: absent per the room record but has %s\n"
		          : "准考证 %s：考场记录为缺考，却有%s\n",
		       fstr(f, "ticket_no"),
		       kind[21] == 's' ? (en ? "an answer sheet" : "答题卡")
		                       : (en ? "a script mark" : "主观题评分"));
	} else if (strcmp(kind, "decision_on_absent") == 0) {
		printf(en ? "ticket %s: a zero decision (case %lld) for a candidate who was "
		            "absent\n"
		          : "准考证 %s：案件 %lld 决定记零分，但考生缺考\n",
		       fstr(f, "ticket_no"), fint(f, "case_id"));
	} else if (strcmp(kind, "decision_not_seated") == 0) {
		printf(en ? "registration %lld: case %lld decides on this subject, which the "
		            "candidate is not seated for\n"
		          : "报名 %lld：案件 %lld 的决定涉及本科目，但考生未安排本科目座位\n",
		       fint(f, "registration_id"), fint(f, "case_id"));
	} else if (strcmp(kind, "mark_not_seated") == 0) {
		printf(en ? "registration %lld: a script mark, but not seated for the subject\n"
		          : "报名 %lld：有主观题评分，但未安排本科目座位\n",
		       fint(f, "registration_id"));
	} else {
		printf(en ? "registration %lld: %s\n" : "报名 %lld：%s\n",
		       fint(f, "registration_id"),
		       strcmp(kind, "mark_unsettled") == 0
		               ? (en ? "its marks do not settle a final under the rule"
		                     : "评分未能按规则得出最终分")
		               : kind);
	}
}

/* The file, mapped when it is a regular file (a national answer file is half a gigabyte:
 * no copy), else read into b (standard input). data and n point at it. */
struct input {
	struct kw_buf b;
	void *map;
	size_t maplen;
};

static int input_open(const char *path, struct input *in, const char **data, size_t *n)
{
	memset(in, 0, sizeof *in);
	kw_buf_init(&in->b, 0);
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fd > 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		in->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (in->map == MAP_FAILED) {
			in->map = NULL;
			return -1;
		}
		in->maplen = (size_t)st.st_size;
		madvise(in->map, in->maplen, MADV_SEQUENTIAL);
		*data = in->map;
		*n = in->maplen;
		return 0;
	}
	char chunk[1 << 16];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof chunk)) > 0)
		kw_buf_add(&in->b, chunk, (size_t)got);
	if (fd > 0)
		close(fd);
	*data = in->b.buf;
	*n = in->b.len;
	return got < 0 ? -1 : 0;
}

static void input_close(struct input *in)
{
	if (in->map)
		munmap(in->map, in->maplen);
	kw_buf_release(&in->b);
}

static double now_s(void)
{
	return (double)kw_clock_mono_us() / 1e6;
}

int cmd_score(int argc, char **argv)
{
	enum { O_DB = 1, O_KEY, O_EXAM, O_SUBJECT, O_AS, O_WITNESS, O_FORMAT, O_LAYOUT, O_JSON };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {"exam", required_argument, NULL, O_EXAM},
	                                     {"subject", required_argument, NULL, O_SUBJECT},
	                                     {"as", required_argument, NULL, O_AS},
	                                     {"witness", required_argument, NULL, O_WITNESS},
	                                     {"format", required_argument, NULL, O_FORMAT},
	                                     {"layout", required_argument, NULL, O_LAYOUT},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o, json = 0;
	const char *db = NULL, *key_opt = NULL, *exam = NULL, *subject = NULL, *as = NULL,
	           *witness = NULL, *format = NULL, *layout = NULL;
	const char *sub = argc >= 2 ? argv[1] : "";
	int keys = strcmp(sub, "keys") == 0, import = strcmp(sub, "import") == 0,
	    run = strcmp(sub, "run") == 0, check = strcmp(sub, "crosscheck") == 0,
	    publish = strcmp(sub, "publish") == 0, approve = strcmp(sub, "approve") == 0;
	if (!keys && !import && !run && !check && !publish && !approve)
		return kw_cli_usage("score",
		                    en ? "the subcommand is keys, import, run, crosscheck, publish "
		                         "or approve"
		                       : "子命令为 keys、import、run、crosscheck、publish 或 "
		                         "approve");
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else if (o == O_EXAM)
			exam = optarg;
		else if (o == O_SUBJECT)
			subject = optarg;
		else if (o == O_AS)
			as = optarg;
		else if (o == O_WITNESS)
			witness = optarg;
		else if (o == O_FORMAT)
			format = optarg;
		else if (o == O_LAYOUT)
			layout = optarg;
		else if (o == O_JSON)
			json = 1;
		else
			return kw_cli_usage("score", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	const char *file = NULL;
	if ((keys || import || approve) && optind < argc)
		file = argv[optind++];
	int64_t approval = 0;
	if (approve) {
		char *end = NULL;
		approval = file ? strtoll(file, &end, 10) : 0;
		if (approval <= 0 || *end)
			return kw_cli_usage("score", en ? "approve needs the approval's id"
			                                : "approve 须给出审核编号");
		file = NULL;
		exam = exam ? exam : "";
	}
	if (!exam || !as || ((keys || run || check) && !subject) || ((keys || import) && !file) ||
	    (import && !witness))
		return kw_cli_usage(
		        "score", en ? "needs --exam and --as; keys: --subject FILE; import: "
		                      "--witness FILE; run: --subject"
		                    : "须给出 --exam 和 --as；keys 另需 --subject 与文件；import "
		                      "另需 --witness 与文件；run 另需 --subject");
	char key[4096];
	int urc = kw_cli_db_and_key("score", argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;
	struct input in;
	const char *data = "";
	size_t len = 0;
	if (file && input_open(file, &in, &data, &len)) {
		fprintf(stderr, en ? "kaowu score: cannot read %s\n" : "kaowu score：无法读取 %s\n",
		        file);
		input_close(&in);
		return KW_EXIT_FAIL;
	} else if (!file) {
		memset(&in, 0, sizeof in);
	}
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	struct kw_app_config acfg = {.pool_size = 2, .key_file = key};
	struct kw_session_info si;
	struct kw_actor op;
	kw_cli_operator(&op);
	int64_t exam_id = 0;
	json_t *out = NULL;
	double t0 = now_s();
	int rc = kw_app_open(db, &acfg, &app, &err);
	if (!rc && !approve)
		rc = kw_scoring_exam_id(app, exam, &exam_id, &err);
	if (!rc) {
		struct kw_conn *c = kw_pool_get(app->pool);
		rc = kw_app_session_of(c, as, &si, &err);
		kw_pool_put(app->pool, c);
	}
	if (!rc && keys) {
		json_error_t je;
		json_t *body = json_loadb(data, len, 0, &je);
		if (!body)
			rc = kw_err_set(&err, KW_EINVAL, "JSON_INVALID", NULL, "%s (line %d)",
			                je.text, je.line);
		else
			rc = kw_scoring_key_load(app, &op, &si, exam_id, subject, body, &out, &err);
		json_decref(body);
	} else if (!rc && import) {
		const char *base = strrchr(file, '/');
		/* a fixed-width file: under the exam's latest version of the named layout */
		int64_t lid = 0;
		char lbuf[24] = "";
		if (layout)
			rc = kw_answer_layout_find(app, exam_id, layout, &lid, &err);
		if (!rc && layout && !lid)
			rc = kw_err_set(&err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "the exam has no layout called %s", layout);
		if (lid)
			snprintf(lbuf, sizeof lbuf, "%lld", (long long)lid);
		if (!rc)
			rc = kw_answers_import_any(app, &op, &si, exam_id, witness,
			                           base ? base + 1 : file, format,
			                           lid ? lbuf : NULL, data, len, &out, &err);
	} else if (!rc && check) {
		/* the subject's latest run */
		json_t *runs = NULL;
		rc = kw_scoring_runs(app, &si, exam_id, subject, &runs, &err);
		json_t *items = json_object_get(runs, "items");
		int64_t last = json_integer_value(
		        json_object_get(json_array_get(items, json_array_size(items) - 1), "id"));
		if (!rc && !last)
			rc = kw_err_set(&err, KW_ENOTFOUND, "NOT_FOUND", NULL,
			                "the subject has no run");
		json_decref(runs);
		if (!rc) /* kept on record (GRD-7): publication needs it */
			rc = kw_publish_crosscheck_record(app, &op, &si, last, &out, &err);
	} else if (!rc && (publish || approve)) {
		/* maker and checker act in their own names (INF-4): recorded under their account */
		snprintf(op.kind, sizeof op.kind, "user");
		op.id = si.user.id;
		snprintf(op.name, sizeof op.name, "%s", si.user.username);
	}
	if (!rc && publish) {
		rc = kw_publish_prepare(app, &op, &si, exam_id, &out, &err);
	} else if (!rc && approve) {
		rc = kw_app_approval_decide(app, &si, &op, approval, 1, NULL, &out, &err);
	} else if (!rc && run) {
		rc = kw_scoring_run(app, &op, &si, exam_id, subject, &out, &err);
	}
	double secs = now_s() - t0;
	kw_app_close(app);
	input_close(&in);
	if (rc) {
		kw_cli_fail("score", &err);
		if (err.details) {
			char *d = json_dumps(err.details, JSON_COMPACT);
			fprintf(stderr, "%s\n", d);
			free(d);
		}
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	json_object_set_new(out, "seconds", json_real(secs));
	if (json) {
		char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s\n", s);
		free(s);
	} else if (run) {
		printf(en ? "score run %lld of subject %s: %lld candidates, %lld scored, %lld "
		            "absent, "
		            "%lld zero, %lld cancelled; result digest %s (%.2f s)\n"
		          : "第 %lld 次评分（科目 %s）：应考 %lld 人，已评分 %lld，缺考 %lld，零分 "
		            "%lld，成绩无效 %lld；结果摘要 %s（用时 %.2f 秒）\n",
		       (long long)json_integer_value(json_object_get(out, "id")), subject,
		       (long long)json_integer_value(json_object_get(out, "candidates")),
		       (long long)json_integer_value(json_object_get(out, "scored")),
		       (long long)json_integer_value(json_object_get(out, "absent")),
		       (long long)json_integer_value(json_object_get(out, "zeroed")),
		       (long long)json_integer_value(json_object_get(out, "cancelled")),
		       json_string_value(json_object_get(out, "result_digest")), secs);
		if (json_string_value(json_object_get(out, "marks_digest")))
			printf(en ? "  with the confirmed marking's marks (digest %s); %lld "
			            "anomalies "
			            "(a sheet without a mark or a mark without a sheet: not "
			            "scored, "
			            "see kaowu score crosscheck)\n"
			          : "  已计入主观题评分（摘要 %s）；异常 %lld "
			            "人（有答题卡无评分或有评分无"
			            "答题卡：未计分，见 kaowu score crosscheck）\n",
			       json_string_value(json_object_get(out, "marks_digest")),
			       fint(out, "anomalies"));
	} else if (check) {
		int64_t n = json_integer_value(json_object_get(out, "differences"));
		printf(en ? "cross-check of score run %lld (subject %s): %lld candidates, %lld "
		            "differences (%.2f s)\n"
		          : "第 %lld 次评分（科目 %s）复核：%lld 人，差异 %lld 处（用时 %.2f "
		            "秒）\n",
		       (long long)json_integer_value(json_object_get(out, "run_id")), subject,
		       (long long)json_integer_value(json_object_get(out, "candidates")),
		       (long long)n, secs);
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(out, "items"), i, it)
		{
			printf("  - %s\n  + %s\n", json_string_value(json_object_get(it, "stored")),
			       json_string_value(json_object_get(it, "recomputed")));
		}
		/* GRD-7's findings: on the record, not differences (publication goes on) */
		const json_t *fs = json_object_get(out, "findings");
		long long nf = fint(fs, "count");
		if (nf)
			printf(en ? "%lld findings (on the record; they do not block "
			            "publication):\n"
			          : "发现 %lld 项（已记录，不影响发布）：\n",
			       nf);
		json_array_foreach(json_object_get(fs, "items"), i, it) finding_print(it, en);
		if ((size_t)nf > json_array_size(json_object_get(fs, "items")))
			printf(en ? "  … the first %zu listed\n" : "  ……仅列出前 %zu 项\n",
			       json_array_size(json_object_get(fs, "items")));
	} else if (publish) {
		printf(en ? "publication %lld of %lld candidates prepared, digest %s: approval "
		            "%lld "
		            "waits for a second person (kaowu score approve %lld)\n"
		          : "已生成第 %lld 次成绩发布（%lld 人），摘要 %s；待另一人审核（审核编号 "
		            "%lld：kaowu score approve %lld）\n",
		       (long long)json_integer_value(json_object_get(out, "id")),
		       (long long)json_integer_value(json_object_get(out, "candidates")),
		       json_string_value(json_object_get(out, "digest")),
		       (long long)json_integer_value(json_object_get(out, "approval_id")),
		       (long long)json_integer_value(json_object_get(out, "approval_id")));
	} else if (approve) {
		printf(en ? "approval %lld approved (%s)\n" : "审核 %lld 已通过（%s）\n",
		       (long long)approval, json_string_value(json_object_get(out, "kind")));
	} else if (import) {
		printf(en ? "imported %lld sheets in %lld blocks (%.2f s)\n"
		          : "已导入答卷 %lld 份，共 %lld 块（用时 %.2f 秒）\n",
		       (long long)json_integer_value(json_object_get(out, "sheets")),
		       (long long)json_integer_value(json_object_get(out, "blocks")), secs);
	} else {
		printf(en ? "key of form %s, version %lld, %lld items loaded\n"
		          : "已载入卷型 %s 的答案标准（第 %lld 版，%lld 题）\n",
		       json_string_value(json_object_get(out, "form")),
		       (long long)json_integer_value(json_object_get(out, "version")),
		       (long long)json_integer_value(json_object_get(out, "items")));
	}
	int differ = check && json_integer_value(json_object_get(out, "differences")) != 0;
	json_decref(out);
	return differ ? KW_EXIT_FAIL : KW_EXIT_OK;
}
