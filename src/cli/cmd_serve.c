/* kaowu serve: the web pages and the API until SIGINT or SIGTERM. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/writer.h"
#include "cli/cli.h"
#include "http/server.h"
#include "util/clock.h"

static int parse_listen(const char *s, char *host, size_t n, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= n || colon == s)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	errno = 0;
	long p = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

static int parse_size(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	enum {
		O_DB = 1,
		O_LISTEN,
		O_WEB,
		O_THREADS,
		O_MAXBODY,
		O_PORTFILE,
		O_NOLOG,
		O_KEY,
		O_QUEUE,
		O_SECURE
	};
	static const struct option opts[] = {
	        {"db", required_argument, NULL, O_DB},
	        {"listen", required_argument, NULL, O_LISTEN},
	        {"web", required_argument, NULL, O_WEB},
	        {"threads", required_argument, NULL, O_THREADS},
	        {"max-body", required_argument, NULL, O_MAXBODY},
	        {"port-file", required_argument, NULL, O_PORTFILE},
	        {"no-access-log", no_argument, NULL, O_NOLOG},
	        {"audit-key", required_argument, NULL, O_KEY},
	        {"write-queue", required_argument, NULL, O_QUEUE},
	        {"secure-cookies", no_argument, NULL, O_SECURE},
	        {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *port_file = NULL, *key_file = NULL;
	size_t queue_max = 0;
	char host[64] = "127.0.0.1";
	struct kw_server_config cfg = {.host = host, .port = 8080, .access_log = 1};
	cfg.web_dir = getenv("KAOWU_WEB") ? getenv("KAOWU_WEB") : KW_WEB_DIR;
	int en = kw_cli_en();
	long v;
	int o;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case O_DB:
			db = optarg;
			break;
		case O_LISTEN:
			if (parse_listen(optarg, host, sizeof host, &cfg.port))
				return kw_cli_usage("serve",
				                    en ? "--listen wants HOST:PORT, not '%s'"
				                       : "--listen 应为 主机:端口，而不是“%s”",
				                    optarg);
			break;
		case O_WEB:
			cfg.web_dir = optarg;
			break;
		case O_THREADS:
			if (parse_size(optarg, 1, 256, &v))
				return kw_cli_usage("serve",
				                    en ? "--threads wants 1..256, not '%s'"
				                       : "--threads 应为 1 到 256，而不是“%s”",
				                    optarg);
			cfg.threads = (int)v;
			break;
		case O_MAXBODY:
			if (parse_size(optarg, 1024, 1L << 30, &v))
				return kw_cli_usage(
				        "serve",
				        en ? "--max-body wants 1024..1073741824 bytes, not '%s'"
				           : "--max-body 应为 1024 到 1073741824 字节，而不是“%s”",
				        optarg);
			cfg.max_body = (size_t)v;
			break;
		case O_PORTFILE:
			port_file = optarg;
			break;
		case O_NOLOG:
			cfg.access_log = 0;
			break;
		case O_KEY:
			key_file = optarg;
			break;
		case O_SECURE:
			cfg.secure_cookies = 1;
			break;
		case O_QUEUE:
			if (parse_size(optarg, 1, 1000000, &v))
				return kw_cli_usage(
				        "serve",
				        en ? "--write-queue wants 1..1000000, not '%s'"
				           : "--write-queue 应为 1 到 1000000，而不是“%s”",
				        optarg);
			queue_max = (size_t)v;
			break;
		default:
			return kw_cli_usage("serve", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kw_cli_usage("serve", en ? "unexpected argument '%s'" : "多余的参数“%s”",
		                    argv[optind]);
	db = kw_cli_db(db);
	if (!db)
		return kw_cli_usage("serve", en ? "--db is required" : "缺少 --db");

	/* Signals are taken synchronously by sigwait below; block them before any thread. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
#ifdef KW_TESTING
	/* Test builds only: a fixed clock, so tests can reach deadlines and expiries. */
	const char *now = getenv("KAOWU_TEST_NOW");
	int64_t now_us = 0;
	if (now && *now) {
		if (kw_clock_parse(now, &now_us))
			return kw_cli_usage("serve", "KAOWU_TEST_NOW is not an RFC 3339 time");
		kw_clock_set_us(now_us);
	}
#endif
	struct kw_server *srv = NULL;
	int threads = cfg.threads > 0 ? cfg.threads : 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct kw_app_config acfg = {.pool_size =
	                                     (threads ? threads : (int)(ncpu > 0 ? ncpu : 2)) + 1,
	                             .key_file = key_file,
	                             .queue_max = queue_max};
	int rc = kw_app_open(db, &acfg, &app, &err);
	if (!rc)
		rc = kw_server_start(&cfg, app, &srv, &err);
	if (rc) {
		kw_cli_fail("serve", &err);
		kw_err_release(&err);
		kw_app_close(app);
		return KW_EXIT_FAIL;
	}
	int port = kw_server_port(srv);
	if (port_file) {
		FILE *f = fopen(port_file, "w");
		if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0) {
			fprintf(stderr,
			        en ? "kaowu serve: cannot write %s\n"
			           : "kaowu serve：无法写入 %s\n",
			        port_file);
			kw_server_stop(srv);
			kw_app_close(app);
			return KW_EXIT_FAIL;
		}
	}
	fprintf(stderr,
	        en ? "kaowu %s serving http://%s:%d/ (database: %s)\n"
	           : "kaowu %s 正在 http://%s:%d/ 提供服务（数据库：%s）\n",
	        KW_VERSION, host, port, app->driver);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, en ? "kaowu serve: stopping (%s)\n" : "kaowu serve：正在停止（%s）\n",
	        sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Writes in flight finish and are answered before the server closes its connections. */
	kw_writer_drain(app->writer);
	kw_server_stop(srv);
	kw_app_close(app);
	return KW_EXIT_OK;
}
