/* kaowu params show: every parameter, its value and which layer set it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"
#include "core/params.h"
#include "util/embed.h"

static json_t *load_embedded(const char *name, const char *key)
{
	const struct kw_embedded *e = kw_embedded_find(name);
	json_t *j = e ? json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	json_t *v = json_incref(json_object_get(j, key));
	json_decref(j);
	return v;
}

/*
 * The exam of that code in the database: its name, rule set and template's code (written
 * into the buffers). The server resolves an exam's parameters from its rule set alone
 * (kw_app_rule_params): exams and their templates keep national values as fields, not as
 * parameter layers.
 */
static int exam_ruleset(const char *db, const char *key, const char *code, char *name, size_t nn,
                        char *rs, size_t rn, char *tpl, size_t tn, struct kw_err *err)
{
	struct kw_app *app = NULL;
	struct kw_app_config acfg = {.pool_size = 1, .key_file = key};
	int rc = kw_app_open(db, &acfg, &app, err);
	if (rc)
		return rc;
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *st = NULL;
	rc = kw_conn_prepare(c,
	                     "SELECT e.name, e.ruleset, t.code FROM exams e "
	                     "LEFT JOIN exams t ON t.id = e.template_id WHERE e.code = $1",
	                     &st, err);
	if (!rc) {
		kw_stmt_bind_textz(st, 1, code);
		rc = kw_stmt_step(st, err);
		if (rc == KW_ROW) {
			snprintf(name, nn, "%s", kw_stmt_column_text(st, 0, NULL));
			snprintf(rs, rn, "%s", kw_stmt_column_text(st, 1, NULL));
			const char *t = kw_stmt_column_text(st, 2, NULL);
			snprintf(tpl, tn, "%s", t ? t : "");
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no exam %s", code);
		}
	}
	kw_stmt_finalize(st);
	kw_pool_put(app->pool, c);
	kw_app_close(app);
	return rc;
}

/* A layer file: a JSON object {name: value}; NULL and a message when unusable. */
static json_t *load_layer(const char *path, int en)
{
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		fprintf(stderr,
		        en ? "kaowu params: %s is not a JSON object of parameters (line %d)\n"
		           : "kaowu params：%s 不是参数的 JSON 对象（第 %d 行）\n",
		        path, je.line);
		json_decref(j);
		return NULL;
	}
	return j;
}

int cmd_params(int argc, char **argv)
{
	int en = kw_cli_en();
	if (argc < 2 || strcmp(argv[1], "show") != 0)
		return kw_cli_usage("params",
		                    en ? "the only subcommand is 'show'" : "目前只有子命令 show");
	enum { O_RS = 1, O_EXAM, O_PROV, O_JSON, O_CODE, O_DB, O_KEY };
	static const struct option opts[] = {{"ruleset", required_argument, NULL, O_RS},
	                                     {"exam-file", required_argument, NULL, O_EXAM},
	                                     {"province-file", required_argument, NULL, O_PROV},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {"exam", required_argument, NULL, O_CODE},
	                                     {"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {NULL, 0, NULL, 0}};
	const char *rs = NULL, *exam_file = NULL, *prov_file = NULL, *code = NULL, *db = NULL,
	           *key_opt = NULL;
	int as_json = 0, o;
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_RS)
			rs = optarg;
		else if (o == O_EXAM)
			exam_file = optarg;
		else if (o == O_PROV)
			prov_file = optarg;
		else if (o == O_JSON)
			as_json = 1;
		else if (o == O_CODE)
			code = optarg;
		else if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else
			return kw_cli_usage("params", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	char ename[256] = "", ers[32] = "", etpl[64] = "";
	struct kw_err err = KW_ERR_INIT;
	if (code) {
		/* an exam in the database: exactly what the server applies to it */
		if (rs || exam_file || prov_file)
			return kw_cli_usage("params",
			                    en ? "--exam takes the exam's own rule set; it does "
			                         "not combine with --ruleset or layer files"
			                       : "--exam 按考试自身的规则集解析，不能与 "
			                         "--ruleset 或参数层文件同用");
		char key[4096];
		int urc = kw_cli_db_and_key("params", argc, argv, &db, key_opt, key, sizeof key);
		if (urc)
			return urc;
		if (exam_ruleset(db, key, code, ename, sizeof ename, ers, sizeof ers, etpl,
		                 sizeof etpl, &err)) {
			int frc = kw_cli_fail("params", &err);
			kw_err_release(&err);
			return frc;
		}
		rs = ers;
	} else if (db || key_opt) {
		return kw_cli_usage("params", en ? "--db and --audit-key go with --exam"
		                                 : "--db 与 --audit-key 须与 --exam 同用");
	}
	if (!rs || optind < argc)
		return kw_cli_usage("params", en ? "--ruleset or --exam is required"
		                                 : "须给出 --ruleset 或 --exam");
	json_t *defs = load_embedded("params.json", "params");
	json_t *sets = load_embedded("rulesets.json", "rulesets");
	json_t *exam = exam_file ? load_layer(exam_file, en) : NULL;
	json_t *prov = prov_file ? load_layer(prov_file, en) : NULL;
	json_t *res = NULL;
	int rc = KW_EXIT_OK;
	if ((exam_file && !exam) || (prov_file && !prov)) {
		rc = KW_EXIT_FAIL;
	} else if (!defs || !sets) {
		kw_err_set(&err, KW_EINTERNAL, "INTERNAL", NULL, "the embedded rules are broken");
		rc = kw_cli_fail("params", &err);
	} else if (kw_params_resolve(defs, sets, rs, exam, prov, &res, &err)) {
		rc = kw_cli_fail("params", &err);
	} else if (as_json) {
		json_t *top = res;
		if (code)
			top = json_pack("{s:{s:s, s:s, s:s, s:s?}, s:O}", "exam", "code", code,
			                "name", ename, "ruleset", ers, "template",
			                *etpl ? etpl : NULL, "params", res);
		json_dumpf(top, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		putchar('\n');
		if (top != res)
			json_decref(top);
	} else {
		if (code) {
			if (*etpl)
				printf(en ? "Exam %s (%s), from the national template %s, is run "
				            "under rule "
				            "set %s; the parameters below are that rule set's.\n"
				          : "考试 %s（%s）依全国模板 %s 设立，适用规则集 "
				            "%s；以下参数即该规则集"
				            "的取值。\n",
				       code, ename, etpl, ers);
			else
				printf(en ? "Exam %s (%s) is run under rule set %s; the parameters "
				            "below are "
				            "that rule set's.\n"
				          : "考试 %s（%s）适用规则集 "
				            "%s；以下参数即该规则集的取值。\n",
				       code, ename, ers);
		}
		printf(en ? "%-34s %-16s %-18s %s\n" : "%-34s %-16s %-18s %s\n",
		       en ? "parameter" : "参数", en ? "value" : "取值", en ? "from" : "来源",
		       en ? "rule" : "规则");
		const char *name;
		json_t *v;
		json_object_foreach(res, name, v)
		{
			char *val = json_dumps(json_object_get(v, "value"), JSON_ENCODE_ANY);
			printf("%-34s %-16s %-18s %s\n", name, val ? val : "?",
			       json_string_value(json_object_get(v, "source")),
			       json_string_value(json_object_get(v, "rule")));
			free(val);
		}
	}
	kw_err_release(&err);
	json_decref(res);
	json_decref(exam);
	json_decref(prov);
	json_decref(defs);
	json_decref(sets);
	return rc;
}
