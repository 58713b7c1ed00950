/* kaowu: one binary, subcommands in the manner of git. */
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/i18n.h"

/* clang-format off */
const struct kw_cmd kw_cmds[] = {
	{ "help", cmd_help, "显示帮助", "show help", "kaowu help [COMMAND]\n" },
	{ "version", cmd_version, "显示版本", "show the version", "kaowu version\n" },
	{ "init", cmd_init, "创建或升级数据库", "create or upgrade a database",
	  "kaowu init --db URL [--audit-key FILE]\n"
	  "  --db URL          sqlite:PATH or postgresql://USER@HOST:PORT/DB (default: $KAOWU_DB)\n"
	  "  --audit-key FILE  the audit signing key (default: PATH.audit-key for SQLite,\n"
	  "                    else $KAOWU_AUDIT_KEY or ./kaowu-audit.key); created when absent\n"
	  "Creates the database when it is SQLite and absent, applies every migration, and on an\n"
	  "empty database creates the first administrator ($KAOWU_ADMIN_USER, default admin)\n"
	  "with the password in $KAOWU_ADMIN_PASSWORD, or a generated one printed once.\n" },
	{ "serve", cmd_serve, "启动网页和 API 服务", "serve the web pages and the API",
	  "kaowu serve --db URL [--listen HOST:PORT] [--web DIR] [--threads N]\n"
	  "            [--max-body BYTES] [--port-file FILE] [--no-access-log] [--audit-key FILE]\n"
	  "            [--write-queue N] [--secure-cookies]\n"
	  "  --db URL          the database (default: $KAOWU_DB); it must exist (kaowu init)\n"
	  "  --listen H:P      address to listen on (default 127.0.0.1:8080; port 0 = any free)\n"
	  "  --web DIR         static files (default: the web/ directory of the source tree)\n"
	  "  --threads N       worker threads (default: the number of CPUs)\n"
	  "  --max-body BYTES  request body cap (default 1048576)\n"
	  "  --port-file FILE  write the port actually listened on into FILE\n"
	  "  --no-access-log   do not log one line per request on stderr\n"
	  "  --audit-key FILE  the audit signing key (default as for init)\n"
	  "  --write-queue N   writes waiting for the writer before 503 (default 4096)\n"
	  "  --secure-cookies  mark the session cookies Secure (when served behind TLS)\n"
	  "Stops cleanly on SIGINT or SIGTERM.\n" },
	{ "backup", cmd_backup, "在线备份 SQLite 数据库", "back up a live SQLite database",
	  "kaowu backup --db sqlite:PATH FILE\n"
	  "Copies the database, while it is in use, into FILE (which must not exist).\n"
	  "PostgreSQL: use its own tools (docs/operations.md).\n" },
	{ "restore", cmd_restore, "从备份恢复 SQLite 数据库", "restore a SQLite database from a backup",
	  "kaowu restore --db sqlite:PATH FILE\n"
	  "Checks that FILE is an intact kaowu backup, then replaces the database with it.\n"
	  "Stop the server first.\n" },
	{ "user", cmd_user, "在服务器本机添加账号", "add an account on the server host",
	  "kaowu user add --db URL --username NAME --display-name TEXT [--role admin]\n"
	  "  The password comes from $KAOWU_USER_PASSWORD, or is generated and printed once.\n"
	  "  --role admin grants the administrator role at the root unit: an operator action on\n"
	  "  the server's own host, audited as such. Other roles are granted in the app, with a\n"
	  "  second person's approval.\n" },
	{ "audit", cmd_audit, "校验审计链", "verify the audit trail",
	  "kaowu audit verify --db URL [--audit-key FILE]\n"
	  "  Walks the hash chain, recomputes every audited row's digest and checks the signed\n"
	  "  checkpoints and the head file beside the key. Exit 0 when intact; 1 naming the\n"
	  "  first bad record or row.\n" },
	{ "calendar", cmd_calendar, "工作日历与期限计算", "the working-day calendar and deadlines",
	  "kaowu calendar day DATE\n"
	  "kaowu calendar add-days|add-months|add-workdays DATE N\n"
	  "  DATE is YYYY-MM-DD in China Standard Time. Periods follow SPEC DL-1: the start day\n"
	  "  is not counted; a period whose last day is not a working day ends on the next\n"
	  "  working day; N working days is the N-th working day after DATE. A year the official\n"
	  "  calendar does not cover is refused (exit 1).\n" },
	{ "params", cmd_params, "规则参数及其来源", "rule parameters and where they come from",
	  "kaowu params show --ruleset AH|PQ|PROVINCE [--exam-file FILE] [--province-file FILE] [--json]\n"
	  "kaowu params show --exam CODE [--db URL] [--audit-key FILE] [--json]\n"
	  "  Resolves every parameter through kaowu's defaults (SPEC's numbers), the process rule\n"
	  "  set, the exam's template (a JSON object of name: value) and the province's overrides\n"
	  "  (only what EXAM-2 lets a province set), and says which layer set each value. With\n"
	  "  --exam: the parameters the server applies to that exam of the database (its rule set).\n" },
	{ "draw", cmd_draw, "抽签种子的承诺与核验", "commit to and check the seeds of draws",
	  "kaowu draw new\n"
	  "kaowu draw commit SEED\n"
	  "kaowu draw verify SEED COMMITMENT\n"
	  "kaowu draw shuffle SEED PURPOSE N\n"
	  "  SEED is 64 hex digits, COMMITMENT its SHA-256 (published before the draw). shuffle\n"
	  "  prints the permutation of 0..N-1 the seed gives for PURPOSE (docs/draws.md), so\n"
	  "  anyone holding the revealed seed can reproduce a draw.\n" },
	{ "seat", cmd_seat, "核验考场编排结果", "verify a published seating run",
	  "kaowu seat verify --inputs FILE --seed SEED [--commitment HEX] [--inputs-digest HEX]\n"
	  "                  [--assignment-digest HEX] [--out FILE] [--timings]\n"
	  "  Re-runs the unified seating rule (docs/seating.md) from a run's public inputs file\n"
	  "  and its revealed seed, checks the seed against its commitment and the digests\n"
	  "  against those the public page shows, and writes the assignment (one line per\n"
	  "  registration) to FILE. Exit 0 when everything given matches, 1 when not.\n" },
	{ "proctor", cmd_proctor, "核验监考人员抽签结果", "verify a proctor lottery",
	  "kaowu proctor verify --inputs FILE --seed SEED [--commitment HEX] [--inputs-digest HEX]\n"
	  "                     [--result-digest HEX] [--out FILE]\n"
	  "  Re-runs the proctor lottery (docs/proctors.md) from a draw's public inputs file and\n"
	  "  its revealed seed, checks the seed against its commitment and the digests against\n"
	  "  those the public page shows, and writes the assignment (one line per drawn member\n"
	  "  of staff, by their number in the file) to FILE. Exit 0 when everything given\n"
	  "  matches, 1 when not.\n" },
	{ "demo", cmd_demo, "载入或补全演示数据", "load or extend the demo data",
	  "kaowu demo --db URL [--audit-key FILE] [--quiet]\n"
	  "  Loads what is missing of the demo (two provinces, Anhui and Jiangsu, with areas,\n"
	  "  centres, rooms, staff and one account per role) into a database made by kaowu init,\n"
	  "  and prints the demo accounts and their password. Safe to run again: what exists is\n"
	  "  kept. Never on a production database.\n" },
	{ "layouts", cmd_layouts, "导入文件（CSV）格式说明", "the CSV import layouts",
	  "kaowu layouts\n"
	  "  Prints the columns every register's CSV import takes (Markdown; docs/import.md).\n" },
	{ "generate", cmd_generate, "生成模拟考生数据（测试与基准）", "generate synthetic candidates (tests, benchmarks)",
	  "kaowu generate candidates --count N [--first I] [--seed S] [--year Y]\n"
	  "                          [--exam CODE (--positions P1,P2,… | --subjects 01;02)] [--states]\n"
	  "  Writes N synthetic candidates as CSV (the columns kaowu import registrations takes)\n"
	  "  to standard output: valid resident ID numbers over every province, Chinese names with\n"
	  "  some rare characters, education, work and political status. Row i depends only on\n"
	  "  (S, i); rows start at index I (default 0), so files with other ranges never share a\n"
	  "  person. With --exam each row registers for a position or the subjects; --states\n"
	  "  spreads them over submitted, approved and rejected.\n"
	  "kaowu generate photo [--pick K] > photo.jpg\n"
	  "  Writes photo K (0..15) of the synthetic pool as a JPEG: every generated candidate's\n"
	  "  photo is one of these, so millions of candidates share 16 stored files.\n" },
	{ "import", cmd_import, "批量导入报名数据", "import registrations in bulk",
	  "kaowu import registrations FILE --db URL [--audit-key FILE]\n"
	  "  Imports candidates and their registrations from a UTF-8 CSV (docs/bulk.md; FILE - is\n"
	  "  standard input), streaming, with a progress bar on a terminal. Every row is checked;\n"
	  "  one problem anywhere and nothing is imported: each problem is listed with its line.\n" },
	{ "export", cmd_export, "批量导出报名数据", "export registrations in bulk",
	  "kaowu export registrations --db URL [--exam CODE] [--format csv|xlsx] [--out FILE]\n"
	  "  Writes the registrations (of one exam, or all) as CSV in the import's columns, or as\n"
	  "  XLSX (--out required), streaming. Identity numbers are whole; the export is audited.\n" },
	{ "tickets", cmd_tickets, "批量生成准考证", "render admission tickets in bulk",
	  "kaowu tickets render --db URL --exam ID|CODE --out DIR [--centre CODE]\n"
	  "                     [--workers N] [--per-worker K] [--json] [--audit-key FILE]\n"
	  "  Writes the current valid ticket of every seated registration of the exam's\n"
	  "  published seating (of one centre) to DIR/<centre>/<ticket number>.pdf. A ticket not\n"
	  "  yet issued is issued as the candidate's download issues it (stored and audited);\n"
	  "  one already issued is written as stored. N worker processes (default: the CPUs)\n"
	  "  render, each K documents (default 500) before a fresh one replaces it. Exit 1 when\n"
	  "  any ticket failed (each is named); docs/cli.md.\n" },
	{ "labels", cmd_labels, "批量生成考场门贴、桌贴", "render door or desk labels in bulk",
	  "kaowu labels render --db URL --exam ID|CODE --out DIR [--kind door|desk]\n"
	  "                    [--centre CODE] [--workers N] [--per-worker K] [--json]\n"
	  "  Writes every centre's door labels (one page per exam room: subject, room number,\n"
	  "  first and last ticket number) or desk labels of the exam's published seating to\n"
	  "  DIR/<centre>/door-labels.pdf or desk-labels.pdf, rendered by worker processes.\n" },
	{ "letters", cmd_letters, "生成违纪违规案件文书（处理决定书、告知书）", "render case documents (decision letters, notices)",
	  "kaowu letters render FILE --out DIR [--workers N] [--per-worker K] [--json]\n"
	  "  Renders the case documents of FILE (a JSON document {title, lines, footer?} or an\n"
	  "  array of them; - is standard input; src/render/letter.h) as PDFs, DIR/000001.pdf on,\n"
	  "  one per document, by N worker processes (default: the CPUs), each K documents\n"
	  "  (default 500) before a fresh one replaces it. No database. Exit 1 when any failed.\n" },
	{ "score", cmd_score, "客观题评分：答案标准、读卡导入、评分、复核、发布", "objective scoring: answer keys, scanner output, score runs, cross-checks, publication",
	  "kaowu score keys   --db URL --exam CODE --subject CODE --as USER FILE.json [--json]\n"
	  "kaowu score import --db URL --exam CODE --as USER --witness USER FILE.csv [--json]\n"
	  "                   [--format fixed --layout NAME | --format cbt]\n"
	  "kaowu score run    --db URL --exam CODE --subject CODE --as USER [--json]\n"
	  "kaowu score crosscheck --db URL --exam CODE --subject CODE --as USER [--json]\n"
	  "kaowu score publish --db URL --exam CODE --as USER [--json]\n"
	  "kaowu score approve ID --db URL --as USER [--json]\n"
	  "  On behalf of the staff account USER (its grants decide what it may do), audited as\n"
	  "  the operator: keys loads a paper form's answer key (the JSON of POST\n"
	  "  /api/v1/exams/{id}/subjects/{code}/keys; CUS-8); import reads scanner output (CSV:\n"
	  "  ticket_no, subject, form, answers; or a scanner's fixed-width file read under the\n"
	  "  exam's layout NAME, or CBT responses in JSON Lines) into the answer database with a second person\n"
	  "  present (GRD-4), all or nothing, every problem listed; run scores a subject (GRD-5;\n"
	  "  with its marking's final marks once the marking is confirmed, GRD-3);\n"
	  "  crosscheck computes the subject's latest run again with the reference scorer (and\n"
	  "  every final mark from the markers' marks) and lists every difference (GRD-7; exit 1\n"
	  "  when there is one), then its findings (abnormal rooms and centres, absentees with a\n"
	  "  script mark…; they do not block publication), and keeps it all on record;\n"
	  "  publish prepares the publication of the exam's scores (GRD-8: every subject's latest\n"
	  "  run, cross-checked clean) for a second person; approve ID decides that approval as\n"
	  "  USER, who must not be the one who prepared it (INF-4). Score reviews, pass standards\n"
	  "  and certificates are on the web (/reviews.html) and the API (docs/api.md).\n" },
	{ "answers", cmd_answerbak, "读卡数据逐日备份、专人保管与核验", "answer-data backups: made daily, kept apart, verified",
	  "kaowu answers backup create --db URL --exam CODE [--subject CODE] --as USER --out FILE [--json]\n"
	  "kaowu answers backup keep ID --db URL --as USER --location TEXT [--json]\n"
	  "kaowu answers backup verify FILE --db URL [--as USER] [--json]\n"
	  "kaowu answers backup list --db URL --exam CODE --as USER [--json]\n"
	  "  GRD-4 (AH 58): create writes the answer data of an exam (or a subject) as stored, with a\n"
	  "  manifest (counts, each batch's SHA-256, the imports it holds, its time in China time),\n"
	  "  to FILE (never over an existing file) and records it as made by USER; keep ID records\n"
	  "  that USER, who must be neither the maker nor an operator of its imports, keeps it at\n"
	  "  LOCATION; verify checks a backup file on its own, against its record and against the\n"
	  "  live answer data, every sheet's digest, and lists each problem (exit 1 on any); list\n"
	  "  shows the backups and the days with imports not in a backup in custody (overdue).\n" },
	{ "screen", cmd_screen, "雷同答卷筛查（一个科目）", "screen a subject for similar answers",
	  "kaowu screen --db URL --exam CODE --subject CODE --as USER [--seed N]\n"
	  "             [--scope room|adjacent|centre] [--alpha X | --fdr Q] [--sample N] [--json]\n"
	  "  On behalf of the staff account USER (screen.run: agency staff, the marking lead\n"
	  "  group), audited as the operator: the subject's sheets (mapped to the master form)\n"
	  "  screened by every ordered pair in each exam room (adjacent: rooms r and r+1 of a\n"
	  "  centre too; centre: the whole centre) with omega on the nominal response model, the\n"
	  "  exact tail for the survivors, flagged at alpha = 1 / pairs (Bonferroni: at most one\n"
	  "  false flag expected per subject) unless --alpha or --fdr (Benjamini-Hochberg) says\n"
	  "  otherwise, and the transmitted-key search across all rooms (GRD-6). Refused before\n"
	  "  the subject's scoring is complete. Seeded (default: random), stored with its flags\n"
	  "  for the marking expert group (/screening.html). The national-scale run belongs here.\n" },
	{ "retention", cmd_retention, "考务资料保存期限与到期销毁清单", "retention of exam materials: what may be destroyed when",
	  "kaowu retention due --db URL --exam CODE [--on YYYY-MM-DD] [--only-due] [--json]\n"
	  "  The exam's materials (paper packages, answer sheets per exam room and subject, room\n"
	  "  records, and those registered: electronic copies, video, other) with the CUS-7 rule\n"
	  "  applied to each, its earliest destruction date, whether it is held (a serious\n"
	  "  violation or a major anomaly) and why, and its status on DATE (default today, China\n"
	  "  time): not_published, kept, due, held or destroyed. Nothing is due before the\n"
	  "  exam's scores are published. Destruction is recorded on the web or the API with two\n"
	  "  witnesses (/custody.html, docs/api.md).\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};
/* clang-format on */

void kw_cli_new_password(char out[21])
{
	static const char abc[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 20; i++)
		out[i] = abc[randombytes_uniform(sizeof abc - 1)];
	out[20] = '\0';
}

int kw_cli_en(void)
{
	return strcmp(kw_i18n_from_env(), KW_LANG_EN) == 0;
}

const char *kw_cli_db(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *env = getenv("KAOWU_DB");
	return env && *env ? env : NULL;
}

int kw_cli_db_and_key(const char *cmd, int argc, char **argv, const char **db, const char *key_opt,
                      char *key, size_t n)
{
	int en = kw_cli_en();
	if (optind < argc)
		return kw_cli_usage(cmd, en ? "unexpected argument '%s'" : "多余的参数“%s”",
		                    argv[optind]);
	*db = kw_cli_db(*db);
	if (!*db)
		return kw_cli_usage(cmd, en ? "--db is required" : "缺少 --db");
	if (key_opt)
		snprintf(key, n, "%s", key_opt);
	else
		kw_audit_key_path(*db, key, n);
	return 0;
}

int kw_cli_fail(const char *cmd, const struct kw_err *err)
{
	struct kw_buf msg = KW_BUF_INIT;
	kw_buf_init(&msg, 4096);
	const char *lang = kw_i18n_from_env();
	if (!err->code || kw_i18n_format(lang, err->code, err->details, &msg) != 0)
		kw_buf_adds(&msg, kw_cli_en() ? "failed" : "失败");
	fprintf(stderr, "kaowu %s: %s", cmd, msg.buf);
	if (err->msg[0])
		fprintf(stderr, " (%s)", err->msg);
	fputc('\n', stderr);
	/* Which fields, and what is wrong with each. */
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(err->details, "fields"), i, f)
	{
		fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(f, "field")),
		        json_string_value(json_object_get(f, "problem")));
	}
	kw_buf_release(&msg);
	return KW_EXIT_FAIL;
}

static const struct kw_cmd *find(const char *name)
{
	for (const struct kw_cmd *c = kw_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int kw_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kaowu %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	const struct kw_cmd *c = find(cmd);
	fprintf(stderr, "\n%s%s", kw_cli_en() ? "usage: " : "用法：",
	        c ? c->usage : "kaowu help\n");
	return KW_EXIT_USAGE;
}

int kw_cli_help(const char *cmd)
{
	const struct kw_cmd *c = find(cmd);
	if (!c)
		return KW_EXIT_USAGE;
	printf("%s — %s\n\n%s%s", c->name, kw_cli_en() ? c->summary_en : c->summary_zh,
	       kw_cli_en() ? "usage: " : "用法：", c->usage);
	return KW_EXIT_OK;
}

static void overview(FILE *f)
{
	int en = kw_cli_en();
	fprintf(f, "%s\n\n",
	        en ? "kaowu — personnel-examination administration"
	           : "kaowu（考务）— 人事考试考务管理系统");
	fprintf(f, "%s kaowu COMMAND [OPTIONS]\n\n", en ? "usage:" : "用法：");
	for (const struct kw_cmd *c = kw_cmds; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, en ? c->summary_en : c->summary_zh);
	fprintf(f, "\n%s\n",
	        en ? "kaowu COMMAND --help shows a command's options."
	           : "kaowu COMMAND --help 显示某个命令的选项。");
}

int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		if (!find(argv[1]))
			return kw_cli_usage("help",
			                    kw_cli_en() ? "unknown command '%s'" : "未知命令“%s”",
			                    argv[1]);
		return kw_cli_help(argv[1]);
	}
	overview(stdout);
	return KW_EXIT_OK;
}

int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return kw_cli_usage("version", kw_cli_en() ? "takes no arguments" : "不接受参数");
	printf("kaowu %s\n", KW_VERSION);
	return KW_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		overview(stderr);
		return KW_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv + 1);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv + 1);
	const struct kw_cmd *c = find(argv[1]);
	if (!c) {
		fprintf(stderr,
		        kw_cli_en() ? "kaowu: unknown command '%s'\n\n" : "kaowu：未知命令“%s”\n\n",
		        argv[1]);
		overview(stderr);
		return KW_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return kw_cli_help(c->name);
	}
	return c->fn(argc - 1, argv + 1);
}
