/* kaowu params show: every parameter, its value and which layer set it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	enum { O_RS = 1, O_EXAM, O_PROV, O_JSON };
	static const struct option opts[] = {{"ruleset", required_argument, NULL, O_RS},
	                                     {"exam-file", required_argument, NULL, O_EXAM},
	                                     {"province-file", required_argument, NULL, O_PROV},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {NULL, 0, NULL, 0}};
	const char *rs = NULL, *exam_file = NULL, *prov_file = NULL;
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
		else
			return kw_cli_usage("params", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	if (!rs || optind < argc)
		return kw_cli_usage("params", en ? "--ruleset is required" : "缺少 --ruleset");
	json_t *defs = load_embedded("params.json", "params");
	json_t *sets = load_embedded("rulesets.json", "rulesets");
	json_t *exam = exam_file ? load_layer(exam_file, en) : NULL;
	json_t *prov = prov_file ? load_layer(prov_file, en) : NULL;
	json_t *res = NULL;
	struct kw_err err = KW_ERR_INIT;
	int rc = KW_EXIT_OK;
	if ((exam_file && !exam) || (prov_file && !prov)) {
		rc = KW_EXIT_FAIL;
	} else if (!defs || !sets) {
		kw_err_set(&err, KW_EINTERNAL, "INTERNAL", NULL, "the embedded rules are broken");
		rc = kw_cli_fail("params", &err);
	} else if (kw_params_resolve(defs, sets, rs, exam, prov, &res, &err)) {
		rc = kw_cli_fail("params", &err);
	} else if (as_json) {
		json_dumpf(res, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		putchar('\n');
	} else {
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
