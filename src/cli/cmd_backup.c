/* kaowu backup / restore: SQLite's online backup, both ways. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

/* Parses "--db URL FILE" for cmd; 0 or an exit code. */
static int parse(const char *cmd, int argc, char **argv, const char **db, const char **file)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {NULL, 0, NULL, 0}};
	int o;
	*db = NULL;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'd')
			*db = optarg;
		else
			return kw_cli_usage(cmd,
			                    kw_cli_en() ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	*db = kw_cli_db(*db);
	if (!*db)
		return kw_cli_usage(cmd, kw_cli_en() ? "--db is required" : "缺少 --db");
	if (optind != argc - 1)
		return kw_cli_usage(cmd, kw_cli_en() ? "exactly one FILE is needed"
		                                     : "需要且只需要一个备份文件 FILE");
	*file = argv[optind];
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *db, *file;
	int rc = parse("backup", argc, argv, &db, &file);
	if (rc)
		return rc;
	struct kw_err err = KW_ERR_INIT;
	if (kw_store_backup(db, file, &err)) {
		kw_cli_fail("backup", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	printf(kw_cli_en() ? "backed up to %s\n" : "已备份到 %s\n", file);
	return KW_EXIT_OK;
}

int cmd_restore(int argc, char **argv)
{
	const char *db, *file;
	int rc = parse("restore", argc, argv, &db, &file);
	if (rc)
		return rc;
	struct kw_err err = KW_ERR_INIT;
	if (kw_store_restore(db, file, &err)) {
		kw_cli_fail("restore", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	printf(kw_cli_en() ? "restored from %s\n" : "已从 %s 恢复\n", file);
	return KW_EXIT_OK;
}
