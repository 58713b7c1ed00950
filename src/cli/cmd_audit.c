/* kaowu audit verify: is the trail intact? */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "cli/cli.h"
#include "store/store.h"

int cmd_audit(int argc, char **argv)
{
	int en = kw_cli_en();
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return kw_cli_usage("audit", en ? "the only subcommand is 'verify'"
		                                : "目前只有子命令 verify");
	enum { O_DB = 1, O_KEY };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL, *key_opt = NULL;
	int o;
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else
			return kw_cli_usage("audit", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	char key[4096];
	int urc = kw_cli_db_and_key("audit", argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;

	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *c = NULL;
	struct kw_audit_key *k = NULL;
	struct kw_audit_report rep;
	int rc = kw_conn_open(db, 0, &c, &err);
	if (!rc)
		rc = kw_audit_key_load(key, &k, &err);
	if (!rc)
		rc = kw_audit_verify(c, k, &rep, &err);
	kw_audit_key_free(k);
	kw_conn_close(c);
	if (rc) {
		if (err.code && strcmp(err.code, "AUDIT_BROKEN") == 0) {
			fprintf(stderr,
			        en ? "kaowu audit: BROKEN: %s\n"
			           : "kaowu audit：审计链被破坏：%s\n",
			        rep.problem);
		} else {
			kw_cli_fail("audit", &err);
		}
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	printf(en ? "audit trail intact: %lld records, %lld rows, %lld signed checkpoints\n"
	          : "审计链完好：%lld 条记录，%lld 行数据，%lld 个签名检查点\n",
	       (long long)rep.records, (long long)rep.rows, (long long)rep.checkpoints);
	return KW_EXIT_OK;
}
