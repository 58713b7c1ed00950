/* kaowu init: create (SQLite) or upgrade a database, its audit key and the first administrator. */
#include <getopt.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/identity.h"
#include "cli/cli.h"
#include "store/store.h"

/* Counts the rows of users; -1 on error. */
static long count_users(struct kw_app *app, struct kw_err *err)
{
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *s = NULL;
	long n = -1;
	if (kw_conn_prepare(c, "SELECT count(*) FROM users", &s, err) == 0 &&
	    kw_stmt_step(s, err) == KW_ROW)
		n = (long)kw_stmt_column_int64(s, 0);
	kw_stmt_finalize(s);
	kw_pool_put(app->pool, c);
	return n;
}

void kw_cli_operator(struct kw_actor *a)
{
	struct passwd *pw = getpwuid(getuid());
	char rid[32];
	snprintf(rid, sizeof rid, "cli:%d", (int)getpid());
	kw_actor_set(a, "operator", 0, pw ? pw->pw_name : "unknown", rid);
}

int cmd_init(int argc, char **argv)
{
	enum { O_DB = 1, O_KEY };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL, *key_opt = NULL;
	int o;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else
			return kw_cli_usage("init",
			                    kw_cli_en() ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	char key[4096];
	int urc = kw_cli_db_and_key("init", argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;
	int en = kw_cli_en();

	struct kw_err err = KW_ERR_INIT;
	struct kw_conn *c = NULL;
	struct kw_app *app = NULL;
	int before = 0, after = 0;

	int rc = kw_conn_open(db, KW_OPEN_CREATE, &c, &err);
	if (!rc)
		rc = kw_store_schema_version(c, &before, &err);
	if (!rc)
		rc = kw_store_migrate(c, &err);
	if (!rc)
		rc = kw_store_schema_version(c, &after, &err);
	kw_conn_close(c);
	struct stat sb;
	int new_key = 0;
	if (!rc && stat(key, &sb) != 0) {
		rc = kw_audit_key_create(key, &err);
		new_key = !rc;
	}
	struct kw_app_config acfg = {.pool_size = 1, .key_file = key};
	if (!rc)
		rc = kw_app_open(db, &acfg, &app, &err);
	long users = rc ? -1 : count_users(app, &err);
	if (!rc && users < 0)
		rc = err.rc ? err.rc : KW_ESTORE;
	char password[40] = "";
	const char *admin = getenv("KAOWU_ADMIN_USER");
	if (!admin || !*admin)
		admin = "admin";
	if (!rc && users == 0) {
		const char *pw = getenv("KAOWU_ADMIN_PASSWORD");
		int generated = !pw || !*pw;
		if (generated) {
			kw_cli_new_password(password);
			pw = password;
		}
		struct kw_actor op;
		kw_cli_operator(&op);
		struct kw_user_new nu = {admin, en ? "Administrator" : "系统管理员", pw};
		struct kw_user u;
		rc = kw_app_user_add(app, &op, &nu, "admin", &u, &err);
		if (!rc) {
			printf(en ? "administrator '%s' created\n" : "已创建管理员账号“%s”\n",
			       admin);
			if (generated)
				printf(en ? "its password (shown once; change it after the first "
				            "login): %s\n"
				          : "初始密码（仅显示这一次，请登录后修改）：%s\n",
				       password);
		}
		sodium_memzero(password, sizeof password);
	}
	kw_app_close(app);
	if (rc) {
		kw_cli_fail("init", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	if (new_key)
		printf(en ? "audit signing key created: %s (keep it outside the database's "
		            "backups)\n"
		          : "已创建审计签名密钥：%s（请与数据库备份分开保管）\n",
		       key);
	if (before == after)
		printf(en ? "database is up to date (schema version %d)\n"
		          : "数据库已是最新（结构版本 %d）\n",
		       after);
	else
		printf(en ? "database initialised (schema version %d → %d)\n"
		          : "数据库已初始化（结构版本 %d → %d）\n",
		       before, after);
	return KW_EXIT_OK;
}
