/* kaowu user add: an account created on the server host (an audited operator action). */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/identity.h"
#include "app/writer.h"
#include "cli/cli.h"

int cmd_user(int argc, char **argv)
{
	int en = kw_cli_en();
	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return kw_cli_usage("user",
		                    en ? "the only subcommand is 'add'" : "目前只有子命令 add");
	enum { O_DB = 1, O_NAME, O_DISPLAY, O_ROLE, O_KEY };
	static const struct option opts[] = {
	        {"db", required_argument, NULL, O_DB},
	        {"username", required_argument, NULL, O_NAME},
	        {"display-name", required_argument, NULL, O_DISPLAY},
	        {"role", required_argument, NULL, O_ROLE},
	        {"audit-key", required_argument, NULL, O_KEY},
	        {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *name = NULL, *display = NULL, *role = NULL, *key = NULL;
	int o;
	optind = 2;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case O_DB:
			db = optarg;
			break;
		case O_NAME:
			name = optarg;
			break;
		case O_DISPLAY:
			display = optarg;
			break;
		case O_ROLE:
			role = optarg;
			break;
		case O_KEY:
			key = optarg;
			break;
		default:
			return kw_cli_usage("user", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kw_cli_usage("user", en ? "unexpected argument '%s'" : "多余的参数“%s”",
		                    argv[optind]);
	db = kw_cli_db(db);
	if (!db || !name || !display)
		return kw_cli_usage("user", en ? "--db, --username and --display-name are required"
		                               : "需要 --db、--username 和 --display-name");
	if (role && strcmp(role, "admin") != 0)
		return kw_cli_usage("user",
		                    en ? "only --role admin is granted here"
		                       : "此处只能授予 --role admin，其他角色须在系统内审批");
	char password[40] = "";
	const char *pw = getenv("KAOWU_USER_PASSWORD");
	int generated = !pw || !*pw;
	if (generated) {
		kw_cli_new_password(password);
		pw = password;
	}
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	struct kw_app_config cfg = {.pool_size = 1, .key_file = key};
	int rc = kw_app_open(db, &cfg, &app, &err);
	struct kw_user u;
	if (!rc) {
		struct kw_actor op;
		kw_cli_operator(&op);
		struct kw_user_new nu = {name, display, pw};
		rc = kw_app_user_add(app, &op, &nu, role, &u, &err);
	}
	kw_app_close(app);
	if (rc) {
		sodium_memzero(password, sizeof password);
		kw_cli_fail("user", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	printf(en ? "account '%s' created (id %lld)%s\n" : "已创建账号“%s”（编号 %lld）%s\n", name,
	       (long long)u.id, role ? (en ? " with the admin role" : "，角色：管理员") : "");
	if (generated)
		printf(en ? "its password (shown once): %s\n" : "初始密码（仅显示这一次）：%s\n",
		       password);
	sodium_memzero(password, sizeof password);
	return KW_EXIT_OK;
}
