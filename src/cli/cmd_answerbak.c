/*
 * kaowu answers backup create | keep | verify | list: answer-data backups on the server host
 * (app/answerbak.h; SPEC GRD-4, AH 58): the answer database of an exam (or a subject) written
 * to a file with its manifest and recorded; taken into custody by another person; a backup
 * file checked on its own, against its record and against the live data (exit 1 on any
 * problem or difference); the backups and the overdue days. create and keep act in the name
 * of the staff account --as (its grants decide); verify without --as is the operator's check.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/answerbak.h"
#include "app/app.h"
#include "app/scoring.h"
#include "cli/cli.h"
#include "util/buf.h"

#define CMD "answers"

static int read_file(const char *path, struct kw_buf *b)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	char chunk[1 << 16];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof chunk)) > 0)
		if (kw_buf_add(b, chunk, (size_t)got))
			break;
	if (fd > 0)
		close(fd);
	return got < 0 ? -1 : 0;
}

/* Writes the file to fd (opened before the backup is made, never over an existing file,
 * 0600: answer data) and closes it. */
static int write_file(int fd, const json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	size_t n = s ? strlen(s) : 0, off = 0;
	int rc = s ? 0 : -1;
	while (!rc && off < n) {
		ssize_t w = write(fd, s + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = -1;
		else
			off += (size_t)w;
	}
	if (!rc && (write(fd, "\n", 1) != 1 || fsync(fd)))
		rc = -1;
	if (close(fd))
		rc = -1;
	free(s);
	return rc;
}

static long long jint(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "-";
}

/* A problem's kind in words (the file's own notes are English). */
static const char *kind_words(const char *k, int en)
{
	static const char *const w[][3] = {
	        {"unreadable", "the file is not JSON", "文件不是 JSON（被改动或截断）"},
	        {"format", "not a kaowu answer backup", "不是 kaowu 读卡数据备份文件"},
	        {"manifest_digest", "the manifest changed", "清单（manifest）被改动"},
	        {"batch_missing", "a batch of the manifest is missing", "清单所列批次缺失"},
	        {"batch_extra", "a batch the manifest does not list", "文件含清单未列的批次"},
	        {"batch_digest", "a batch's content changed", "批次内容被改动（摘要不符）"},
	        {"batch_sheets", "a batch's sheet count is wrong", "批次答卷数与清单不符"},
	        {"batch_line", "a malformed line", "批次中有格式错误的行"},
	        {"counts", "the counts do not add up", "清单中的数量不符"},
	        {"not_recorded", "no such backup is recorded", "系统中没有该备份的登记"},
	        {"record_digest", "the file is not the recorded backup", "文件与登记的备份不符"},
	        {"sheet_differs", "the sheet differs from the live data", "答卷与现有数据不一致"},
	        {"sheet_missing_live", "the sheet is not in the live data", "现有数据中没有该答卷"},
	        {"sheet_missing_backup", "the live sheet is not in the backup", "备份中缺少该答卷"},
	        {"block_missing_live", "the batch is not in the live data", "现有数据中没有该批次"},
	        {"block_other_import", "the batch belongs to another import", "批次所属导入不符"},
	};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (strcmp(w[i][0], k) == 0)
			return w[i][en ? 1 : 2];
	return k;
}

static void verify_print(const json_t *out, int en)
{
	int ok = strcmp(jstr(out, "status"), "ok") == 0;
	printf(en ? "backup %lld (exam %lld), digest %s: %s - %lld sheets, %lld compared with the "
	            "live data, %lld problems, %lld differences; %lld sheets imported since\n"
	          : "备份 %lld（考试 %lld），摘要 %s：%s——%lld 张答题卡，与现有数据比对 %lld "
	            "张，问题 %lld 处，差异 %lld 处；此后又导入 %lld 张\n",
	       jint(out, "backup_id"), jint(out, "exam_id"), jstr(out, "digest"),
	       ok ? (en ? "OK" : "一致") : (en ? "PROBLEMS" : "有问题"), jint(out, "sheets"),
	       jint(out, "sheets_compared"), jint(out, "problem_count"),
	       jint(out, "difference_count"), jint(out, "newer_sheets"));
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(out, "problems"), i, p)
	{
		printf(en ? "  * %s (%s)" : "  * %s（%s）", kind_words(jstr(p, "problem"), en),
		       jstr(p, "problem"));
		if (jint(p, "block_id"))
			printf(en ? ": batch %lld" : "：批次 %lld", jint(p, "block_id"));
		if (jint(p, "line"))
			printf(en ? ", line %lld" : "，第 %lld 行", jint(p, "line"));
		printf("\n");
	}
	json_array_foreach(json_object_get(out, "differences"), i, p)
	        printf(en ? "  * %s (%s): batch %lld, registration %lld, ticket %s\n"
	                  : "  * %s（%s）：批次 %lld，报名 %lld，准考证 %s\n",
	               kind_words(jstr(p, "problem"), en), jstr(p, "problem"), jint(p, "block_id"),
	               jint(p, "registration_id"), jstr(p, "ticket_no"));
}

static void list_print(const json_t *out, int en)
{
	size_t i;
	const json_t *b;
	json_array_foreach(json_object_get(out, "items"), i, b)
	{
		printf(en ? "backup %lld: %lld sheets, made by %s at %s; "
		          : "备份 %lld：%lld 张，%s 制作于 %s；",
		       jint(b, "id"), jint(b, "sheets"), jstr(b, "made_by"), jstr(b, "created_at"));
		if (json_is_string(json_object_get(b, "kept_by")))
			printf(en ? "kept by %s at %s\n" : "由 %s 保管于 %s\n", jstr(b, "kept_by"),
			       jstr(b, "location"));
		else
			printf(en ? "awaiting a keeper\n" : "待专人保管\n");
	}
	json_array_foreach(json_object_get(out, "overdue"), i, b)
	        printf(en ? "OVERDUE %s: %lld sheets imported, not in a backup in custody\n"
	                  : "逾期 %s：导入 %lld 张，未有专人保管的备份\n",
	               jstr(b, "date"), jint(b, "sheets"));
}

int cmd_answerbak(int argc, char **argv)
{
	enum { O_DB = 1, O_KEY, O_EXAM, O_SUBJECT, O_AS, O_OUT, O_LOCATION, O_JSON };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {"exam", required_argument, NULL, O_EXAM},
	                                     {"subject", required_argument, NULL, O_SUBJECT},
	                                     {"as", required_argument, NULL, O_AS},
	                                     {"out", required_argument, NULL, O_OUT},
	                                     {"location", required_argument, NULL, O_LOCATION},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o, json = 0;
	const char *sub = argc >= 3 && strcmp(argv[1], "backup") == 0 ? argv[2] : "";
	int create = strcmp(sub, "create") == 0, keep = strcmp(sub, "keep") == 0,
	    verify = strcmp(sub, "verify") == 0, list = strcmp(sub, "list") == 0;
	if (!create && !keep && !verify && !list)
		return kw_cli_usage(CMD,
		                    en ? "the subcommand is backup create, keep, verify or list"
		                       : "子命令为 backup create、keep、verify 或 list");
	const char *db = NULL, *key_opt = NULL, *exam = NULL, *subject = NULL, *as = NULL,
	           *outp = NULL, *location = NULL;
	optind = 3;
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
		else if (o == O_OUT)
			outp = optarg;
		else if (o == O_LOCATION)
			location = optarg;
		else if (o == O_JSON)
			json = 1;
		else
			return kw_cli_usage(CMD, en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	const char *arg = (keep || verify) && optind < argc ? argv[optind++] : NULL;
	int64_t id = 0;
	if (keep) {
		char *end = NULL;
		id = arg ? strtoll(arg, &end, 10) : 0;
		if (id <= 0 || *end)
			id = 0;
	}
	if ((create && (!exam || !as || !outp)) || (keep && (!id || !as || !location)) ||
	    (verify && !arg) || (list && (!exam || !as)))
		return kw_cli_usage(CMD, en ? "create: --exam --as --out FILE; keep ID: --as "
		                              "--location; verify FILE; list: --exam --as"
		                            : "create 须 --exam --as --out 文件；keep 编号须 --as "
		                              "--location；verify 须给出文件；list 须 --exam --as");
	char key[4096];
	int urc = kw_cli_db_and_key(CMD, argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;
	struct kw_buf in = KW_BUF_INIT;
	kw_buf_init(&in, 0);
	if (verify && read_file(arg, &in)) {
		fprintf(stderr,
		        en ? "kaowu answers: cannot read %s\n" : "kaowu answers：无法读取 %s\n",
		        arg);
		kw_buf_release(&in);
		return KW_EXIT_FAIL;
	}
	int ofd = create ? open(outp, O_WRONLY | O_CREAT | O_EXCL, 0600) : -1;
	if (create && ofd < 0) {
		fprintf(stderr,
		        en ? "kaowu answers: cannot create %s (it must not exist yet): %s\n"
		           : "kaowu answers：无法创建 %s（该文件不得已存在）：%s\n",
		        outp, strerror(errno));
		kw_buf_release(&in);
		return KW_EXIT_FAIL;
	}
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	struct kw_app_config acfg = {.pool_size = 2, .key_file = key};
	struct kw_session_info si;
	memset(&si, 0, sizeof si);
	struct kw_actor op;
	kw_cli_operator(&op);
	int64_t exam_id = 0;
	json_t *out = NULL;
	int rc = kw_app_open(db, &acfg, &app, &err);
	if (!rc && exam)
		rc = kw_scoring_exam_id(app, exam, &exam_id, &err);
	if (!rc && as) {
		struct kw_conn *c = kw_pool_get(app->pool);
		rc = kw_app_session_of(c, as, &si, &err);
		kw_pool_put(app->pool, c);
		/* maker and keeper act in their own names (GRD-4): recorded under their account */
		snprintf(op.kind, sizeof op.kind, "user");
		op.id = si.user.id;
		snprintf(op.name, sizeof op.name, "%s", si.user.username);
	}
	if (!rc && create)
		rc = kw_answerbak_create(app, &op, &si, exam_id, subject, &out, &err);
	else if (!rc && keep) {
		json_t *body = json_pack("{s:s}", "location", location);
		rc = kw_answerbak_keep(app, &op, &si, id, body, &out, &err);
		json_decref(body);
	} else if (!rc && verify)
		rc = kw_answerbak_verify(app, as ? &si : NULL, exam_id, in.buf, in.len, &out, &err);
	else if (!rc && list)
		rc = kw_answerbak_list(app, &si, exam_id, &out, &err);
	kw_app_close(app);
	kw_buf_release(&in);
	if (create && rc) {
		close(ofd);
		unlink(outp);
	} else if (create && write_file(ofd, out)) {
		fprintf(stderr,
		        en ? "kaowu answers: cannot write %s: %s; the backup %lld is recorded but "
		             "not written: make a new one\n"
		           : "kaowu answers：无法写入 %s：%s；备份 %lld "
		             "已登记但未写成，请重新制作\n",
		        outp, strerror(errno), jint(out, "backup_id"));
		unlink(outp);
		json_decref(out);
		return KW_EXIT_FAIL;
	}
	if (rc) {
		kw_cli_fail(CMD, &err);
		if (err.details) {
			char *d = json_dumps(err.details, JSON_COMPACT);
			fprintf(stderr, "%s\n", d);
			free(d);
		}
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	int fail = verify && strcmp(jstr(out, "status"), "ok") != 0;
	if (json && create) {
		const json_t *m = json_object_get(out, "manifest");
		printf("{\"backup_id\":%lld,\"digest\":\"%s\",\"sheets\":%lld,\"file\":\"%s\"}\n",
		       jint(out, "backup_id"), jstr(out, "digest"),
		       jint(json_object_get(m, "counts"), "sheets"), outp);
	} else if (json) {
		char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s\n", s);
		free(s);
	} else if (create) {
		const json_t *m = json_object_get(out, "manifest");
		printf(en ? "backup %lld: %lld sheets in %lld batches of %lld imports, digest %s, "
		            "written to %s; now another person takes it into custody: kaowu "
		            "answers "
		            "backup keep %lld\n"
		          : "备份 %lld：%lld 张答题卡，%lld 批，来自 %lld 次导入，摘要 %s，已写入 "
		            "%s；请由另一人登记保管：kaowu answers backup keep %lld\n",
		       jint(out, "backup_id"), jint(json_object_get(m, "counts"), "sheets"),
		       jint(json_object_get(m, "counts"), "batches"),
		       jint(json_object_get(m, "counts"), "imports"), jstr(out, "digest"), outp,
		       jint(out, "backup_id"));
	} else if (keep) {
		printf(en ? "backup %lld kept by %s at %s\n" : "备份 %lld 由 %s 保管于 %s\n",
		       jint(out, "id"), jstr(out, "kept_by"), jstr(out, "location"));
	} else if (verify) {
		verify_print(out, en);
	} else {
		list_print(out, en);
	}
	json_decref(out);
	return fail ? KW_EXIT_FAIL : KW_EXIT_OK;
}
