/*
 * kaowu retention due: the retention list of an exam's materials (app/retention.h; SPEC
 * CUS-7) on the server host, as the operator: each material's kind, where it is, the rule
 * applied, its earliest destruction date, whether it is held and why, and its status on DATE
 * (default today, China time). Materialises the exam's derived materials first (audited as
 * the operator), as the API's list does. --json prints the API's answer.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/retention.h"
#include "app/scoring.h"
#include "cli/cli.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "-";
}

static void print_table(const json_t *out, int en, int only_due)
{
	const json_t *exam = json_object_get(out, "exam");
	printf(en ? "exam %s %s; scores published %s; due on %s\n"
	          : "考试 %s %s；成绩公布 %s；核对日期 %s\n",
	       str(exam, "code"), str(exam, "name"),
	       json_is_string(json_object_get(out, "published_at")) ? str(out, "published_at")
	                                                            : (en ? "not yet" : "尚未公布"),
	       str(out, "due_on"));
	printf("%-6s %-16s %-48s %-34s %-11s %-13s %s\n", "id", en ? "kind" : "类别",
	       en ? "material" : "材料", en ? "rule" : "依据", en ? "earliest" : "最早销毁",
	       en ? "status" : "状态", en ? "held because" : "保存原因");
	size_t i, n = 0;
	json_t *it;
	json_array_foreach(json_object_get(out, "items"), i, it)
	{
		char rules[200] = "";
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(it, "rules"), k, r)
		{
			size_t l = strlen(rules);
			snprintf(rules + l, sizeof rules - l, "%s%s+%lld%s", l ? "," : "",
			         str(r, "from"),
			         (long long)json_integer_value(json_object_get(r, "value")),
			         strcmp(str(r, "unit"), "years") == 0 ? "y" : "m");
		}
		char why[400] = "";
		json_array_foreach(json_object_get(it, "holds"), k, r)
		{
			size_t l = strlen(why);
			snprintf(why + l, sizeof why - l, "%s%s", l ? "; " : "", str(r, "reason"));
		}
		printf("%-6lld %-16s %-48s %-34s %-11s %-13s %s\n",
		       (long long)json_integer_value(json_object_get(it, "id")), str(it, "kind"),
		       str(it, "label"), rules,
		       json_is_string(json_object_get(it, "earliest")) ? str(it, "earliest") : "-",
		       str(it, "status"), why[0] ? why : "-");
		n++;
	}
	printf(en ? "%zu materials%s\n" : "共 %zu 件%s\n", n,
	       only_due ? (en ? " due" : "（到期可销毁）") : "");
}

int cmd_retention(int argc, char **argv)
{
	enum { O_DB = 1, O_KEY, O_EXAM, O_ON, O_DUE_ONLY, O_JSON };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {"exam", required_argument, NULL, O_EXAM},
	                                     {"on", required_argument, NULL, O_ON},
	                                     {"only-due", no_argument, NULL, O_DUE_ONLY},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o, json = 0, only_due = 0;
	const char *db = NULL, *key_opt = NULL, *exam = NULL, *on = NULL;
	if (argc < 2 || strcmp(argv[1], "due") != 0)
		return kw_cli_usage("retention", en ? "the subcommand is 'due'" : "子命令为 due");
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else if (o == O_EXAM)
			exam = optarg;
		else if (o == O_ON)
			on = optarg;
		else if (o == O_DUE_ONLY)
			only_due = 1;
		else if (o == O_JSON)
			json = 1;
		else
			return kw_cli_usage("retention",
			                    en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	if (!exam)
		return kw_cli_usage("retention", en ? "needs --exam" : "须给出 --exam");
	char key[4096];
	int urc = kw_cli_db_and_key("retention", argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	struct kw_app_config acfg = {.pool_size = 2, .key_file = key};
	struct kw_actor op;
	kw_cli_operator(&op);
	int64_t exam_id = 0;
	json_t *out = NULL;
	int rc = kw_app_open(db, &acfg, &app, &err);
	if (!rc)
		rc = kw_scoring_exam_id(app, exam, &exam_id, &err);
	if (!rc)
		rc = kw_retention_list(app, &op, NULL, exam_id, on, only_due, &out, &err);
	kw_app_close(app);
	if (rc) {
		kw_cli_fail("retention", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	if (json) {
		char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s\n", s);
		free(s);
	} else
		print_table(out, en, only_due);
	json_decref(out);
	return KW_EXIT_OK;
}
