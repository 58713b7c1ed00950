/*
 * kaowu screen: the similar-answer screen of one subject (app/screening.h; SPEC GRD-6,
 * issue 11 item 3) on the server host, on behalf of a named staff account whose grants
 * allow it (--as), audited as the operator. The same checks and the same stored screen as
 * POST /api/v1/exams/{id}/subjects/{code}/screens; a national subject belongs here (the
 * server runs small screens synchronously). One JSON line with --json, else a summary and
 * the flags.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/scoring.h"
#include "app/screening.h"
#include "cli/cli.h"
#include "util/clock.h"

static int number_arg(const char *s, double *out)
{
	char *end = NULL;
	double v = s ? strtod(s, &end) : 0;
	if (!s || !*s || *end || !(v > 0 && v < 1))
		return -1;
	*out = v;
	return 0;
}

int cmd_screen(int argc, char **argv)
{
	enum {
		O_DB = 1,
		O_KEY,
		O_EXAM,
		O_SUBJECT,
		O_AS,
		O_SEED,
		O_SCOPE,
		O_ALPHA,
		O_FDR,
		O_SAMPLE,
		O_JSON
	};
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {"exam", required_argument, NULL, O_EXAM},
	                                     {"subject", required_argument, NULL, O_SUBJECT},
	                                     {"as", required_argument, NULL, O_AS},
	                                     {"seed", required_argument, NULL, O_SEED},
	                                     {"scope", required_argument, NULL, O_SCOPE},
	                                     {"alpha", required_argument, NULL, O_ALPHA},
	                                     {"fdr", required_argument, NULL, O_FDR},
	                                     {"sample", required_argument, NULL, O_SAMPLE},
	                                     {"json", no_argument, NULL, O_JSON},
	                                     {NULL, 0, NULL, 0}};
	int en = kw_cli_en(), o, json = 0;
	const char *db = NULL, *key_opt = NULL, *exam = NULL, *subject = NULL, *as = NULL;
	json_t *body = json_object();
	optind = 1;
	opterr = 0;
	int bad = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		double v = 0;
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else if (o == O_EXAM)
			exam = optarg;
		else if (o == O_SUBJECT)
			subject = optarg;
		else if (o == O_AS)
			as = optarg;
		else if (o == O_SEED)
			json_object_set_new(body, "seed", json_string(optarg));
		else if (o == O_SCOPE)
			json_object_set_new(body, "scope", json_string(optarg));
		else if (o == O_ALPHA || o == O_FDR) {
			if (number_arg(optarg, &v))
				bad = 1;
			json_object_set_new(body, o == O_ALPHA ? "alpha" : "fdr_q", json_real(v));
		} else if (o == O_SAMPLE) {
			char *end = NULL;
			long long n = strtoll(optarg, &end, 10);
			if (*end || n < 0)
				bad = 1;
			json_object_set_new(body, "sample", json_integer(n));
		} else if (o == O_JSON)
			json = 1;
		else {
			json_decref(body);
			return kw_cli_usage("screen", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
		}
	}
	if (bad || !exam || !subject || !as) {
		json_decref(body);
		return kw_cli_usage(
		        "screen", en ? "needs --exam, --subject and --as; --alpha and --fdr take a "
		                       "number in (0, 1)"
		                     : "须给出 --exam、--subject 和 --as；--alpha、--fdr 取 0 与 1 "
		                       "之间的数");
	}
	char key[4096];
	int urc = kw_cli_db_and_key("screen", argc, argv, &db, key_opt, key, sizeof key);
	if (urc) {
		json_decref(body);
		return urc;
	}
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	struct kw_app_config acfg = {.pool_size = 2, .key_file = key};
	struct kw_session_info si;
	struct kw_actor op;
	kw_cli_operator(&op);
	int64_t exam_id = 0;
	json_t *out = NULL, *flags = NULL;
	double t0 = (double)kw_clock_mono_us() / 1e6;
	int rc = kw_app_open(db, &acfg, &app, &err);
	if (!rc)
		rc = kw_scoring_exam_id(app, exam, &exam_id, &err);
	if (!rc) {
		struct kw_conn *c = kw_pool_get(app->pool);
		rc = kw_app_session_of(c, as, &si, &err);
		kw_pool_put(app->pool, c);
	}
	if (!rc)
		rc = kw_screening_run(app, &op, &si, exam_id, subject, body, &out, &err);
	if (!rc)
		rc = kw_screening_flags(app, &si, json_integer_value(json_object_get(out, "id")),
		                        NULL, 0, 50, &flags, &err);
	double secs = (double)kw_clock_mono_us() / 1e6 - t0;
	kw_app_close(app);
	json_decref(body);
	if (rc) {
		kw_cli_fail("screen", &err);
		if (err.details) {
			char *d = json_dumps(err.details, JSON_COMPACT);
			fprintf(stderr, "%s\n", d);
			free(d);
		}
		kw_err_release(&err);
		json_decref(out);
		return KW_EXIT_FAIL;
	}
	json_object_set_new(out, "seconds", json_real(secs));
	if (json) {
		json_object_set(out, "flags", json_object_get(flags, "items"));
		char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s\n", s);
		free(s);
	} else {
		printf(en ? "screen %lld of subject %s: %lld sheets, %lld items, %lld ordered "
		            "pairs, "
		            "level %.3g per pair (%s), seed %s; %lld pairs flagged, %lld clusters "
		            "(%.2f s)\n"
		          : "第 %lld 次雷同答卷筛查（科目 %s）：答卷 %lld 份，比对 %lld 题，有序对 "
		            "%lld "
		            "个，逐对水平 %.3g（%s），种子 %s；标记 %lld 对，聚集 %lld 组（用时 "
		            "%.2f "
		            "秒）\n",
		       (long long)json_integer_value(json_object_get(out, "id")), subject,
		       (long long)json_integer_value(json_object_get(out, "sheets")),
		       (long long)json_integer_value(json_object_get(out, "items")),
		       (long long)json_integer_value(json_object_get(out, "pairs")),
		       json_number_value(json_object_get(out, "alpha")),
		       json_string_value(json_object_get(out, "mode")),
		       json_string_value(json_object_get(out, "seed")),
		       (long long)json_integer_value(json_object_get(out, "flagged")),
		       (long long)json_integer_value(json_object_get(out, "clusters")), secs);
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(flags, "items"), i, f)
		{
			if (strcmp(json_string_value(json_object_get(f, "kind")), "pair") == 0)
				printf("  #%lld %s <- %s  p = %.3e\n",
				       (long long)json_integer_value(json_object_get(f, "id")),
				       json_string_value(json_object_get(f, "copier_ticket")),
				       json_string_value(json_object_get(f, "source_ticket")),
				       json_number_value(json_object_get(f, "p_exact")));
			else
				printf(en ? "  #%lld cluster of %lld sheets in %lld rooms\n"
				          : "  #%lld 聚集：%lld 份答卷，分布于 %lld 个考场\n",
				       (long long)json_integer_value(json_object_get(f, "id")),
				       (long long)json_integer_value(json_object_get(f, "members")),
				       (long long)json_integer_value(json_object_get(f, "rooms")));
		}
	}
	json_decref(out);
	json_decref(flags);
	return KW_EXIT_OK;
}
