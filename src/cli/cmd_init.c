/* kaowu init: create (SQLite) or upgrade a database. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL;
	int o;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'd')
			db = optarg;
		else
			return kw_cli_usage("init",
			                    kw_cli_en() ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	if (optind < argc)
		return kw_cli_usage("init",
		                    kw_cli_en() ? "unexpected argument '%s'" : "多余的参数“%s”",
		                    argv[optind]);
	db = kw_cli_db(db);
	if (!db)
		return kw_cli_usage("init", kw_cli_en() ? "--db is required" : "缺少 --db");

	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *c = NULL;
	int before = 0, after = 0;
	int rc = kw_conn_open(db, KW_OPEN_CREATE, &c, &err);
	if (!rc)
		rc = kw_store_schema_version(c, &before, &err);
	if (!rc)
		rc = kw_store_migrate(c, &err);
	if (!rc)
		rc = kw_store_schema_version(c, &after, &err);
	kw_conn_close(c);
	if (rc) {
		kw_cli_fail("init", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	if (before == after)
		printf(kw_cli_en() ? "database is up to date (schema version %d)\n"
		                   : "数据库已是最新（结构版本 %d）\n",
		       after);
	else
		printf(kw_cli_en() ? "database initialised (schema version %d → %d)\n"
		                   : "数据库已初始化（结构版本 %d → %d）\n",
		       before, after);
	return KW_EXIT_OK;
}
