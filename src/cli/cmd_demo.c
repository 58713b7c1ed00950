/* kaowu demo: loads (or extends) the demo data and prints its accounts and where to look
 * (the pages, a candidate to log in as, one to look up the published scores of). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/demo.h"
#include "cli/cli.h"
#include "util/i18n.h"

int cmd_demo(int argc, char **argv)
{
	enum { O_DB = 1, O_KEY, O_QUIET };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
	                                     {"audit-key", required_argument, NULL, O_KEY},
	                                     {"quiet", no_argument, NULL, O_QUIET},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL, *key_opt = NULL;
	int quiet = 0, o, en = kw_cli_en();
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == O_DB)
			db = optarg;
		else if (o == O_KEY)
			key_opt = optarg;
		else if (o == O_QUIET)
			quiet = 1;
		else
			return kw_cli_usage("demo", en ? "unknown option '%s'" : "未知选项“%s”",
			                    argv[optind - 1]);
	}
	char key[4096];
	int urc = kw_cli_db_and_key("demo", argc, argv, &db, key_opt, key, sizeof key);
	if (urc)
		return urc;
	struct kw_err err = KW_ERR_INIT;
	struct kw_app *app = NULL;
	struct kw_app_config acfg = {.pool_size = 2, .key_file = key};
	struct kw_demo_report rep = {0};
	int rc = kw_app_open(db, &acfg, &app, &err);
	if (!rc) {
		struct kw_actor op;
		kw_cli_operator(&op);
		rc = kw_demo_load(app, &op, &rep, &err);
	}
	kw_app_close(app);
	if (rc) {
		kw_cli_fail("demo", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	printf(en ? "demo: %d items added, %d already there\n"
	          : "演示数据：新增 %d 项，已有 %d 项\n",
	       rep.added, rep.kept);
	if (!quiet) {
		printf(en ? "demo accounts (every password: %s)\n" : "演示账号（密码均为 %s）：\n",
		       rep.password);
		size_t i;
		json_t *a;
		int unlisted = 0;
		json_array_foreach(rep.accounts, i, a)
		{
			/* the proctors of the sitting held today: one line below */
			if (json_is_false(json_object_get(a, "listed"))) {
				unlisted++;
				continue;
			}
			char role[64];
			snprintf(role, sizeof role, "ROLE_%s",
			         json_string_value(json_object_get(a, "role")));
			struct kw_buf b = KW_BUF_INIT;
			kw_buf_init(&b, 256);
			if (kw_i18n_format(en ? KW_LANG_EN : KW_LANG_ZH, role, NULL, &b))
				kw_buf_adds(&b, role + 5);
			printf("  %-26s %-10s %s\n",
			       json_string_value(json_object_get(a, "username")),
			       json_string_value(json_object_get(a, "unit")), b.buf);
			kw_buf_release(&b);
		}
		if (unlisted)
			printf(en ? "  and %d proctors of the Anqing area (AH-AQ), aq_proctor01 … "
			            "aq_proctor%02d\n"
			          : "  以及安庆考区（AH-AQ）的 %d 名监考人员：aq_proctor01 … "
			            "aq_proctor%02d\n",
			       unlisted, unlisted);
		if (rep.candidate[0])
			printf(en ? "demo candidate (same password): document number %s, at "
			            "/register.html\n"
			          : "演示考生（密码相同）：证件号码 %s，在 /register.html 登录\n",
			       rep.candidate);
		printf(en ? "seating (agency staff): /seating.html?exam=AH-GWY-2027; public record "
		            "of the draw: /seating-public.html?exam=AH-GWY-2027\n"
		          : "考场编排（考务人员）：/seating.html?exam=AH-GWY-2027；编排公示："
		            "/seating-public.html?exam=AH-GWY-2027\n");
		printf(en ? "ticket corrections waiting for the exam-area agency (ah_agency): "
		            "/corrections.html\n"
		          : "待考区考试机构处理的准考证信息更正（ah_agency）：/corrections.html\n");
		printf(en ? "violation cases — one decided with its letter and ban, one in its "
		            "defence "
		            "period (ah_csa, ah_officer): /cases.html; the integrity archive: "
		            "/archive.html\n"
		          : "违纪违规案件——一件已作出处理决定（决定书、限制报考记入诚信档案库），一"
		            "件处于"
		            "陈述申辩期（ah_csa、ah_officer）：/cases.html；诚信档案查询：/"
		            "archive.html\n");
		printf(en ? "objective scoring of the exam already held (ah_agency: keys of forms "
		            "A "
		            "and B, the answer database, two score runs): "
		            "/scoring.html?exam=AH-JJ-2026\n"
		          : "已考考试的客观题评分（ah_agency：A、B "
		            "卷答案标准、答卷库、两个科目的评分"
		            "结果）：/scoring.html?exam=AH-JJ-2026\n");
		if (rep.lookup_exam) {
			printf(en ? "its scores, cross-checked and prepared by ah_agency, approved "
			            "by "
			            "ah_officer, are published: the public look-up at "
			            "/scores.html?exam=%lld — try ticket number %s, identity "
			            "number %s, "
			            "name %s (a synthetic candidate)\n"
			          : "该考试成绩已发布（ah_agency 复核并准备，ah_officer "
			            "审批）：公众成绩查询 "
			            "/scores.html?exam=%lld，可试查准考证号 %s、身份证件号码 "
			            "%s、姓名 "
			            "%s（虚构考生）\n",
			       (long long)rep.lookup_exam, rep.lookup_ticket, rep.lookup_id_number,
			       rep.lookup_name);
			printf(en ? "score reviews, pass standards, the qualified list and "
			            "certificates (ah_agency; ah_officer approves): "
			            "/reviews.html?exam=AH-JJ-2026 — one review is waiting to be "
			            "accepted\n"
			          : "成绩复核、合格标准、合格人员名单和证书（ah_agency "
			            "办理，ah_officer "
			            "审批）：/"
			            "reviews.html?exam=AH-JJ-2026——有一件复核申请待受理\n");
		}
		if (rep.cert_number[0])
			printf(en ? "public certificate check: /verify.html — try number %s, name "
			            "%s\n"
			          : "证书公开查验：/verify.html，可试查证书编号 %s、姓名 %s\n",
			       rep.cert_number, rep.cert_name);
		if (rep.cert_number[0])
			printf(en ? "item analysis of its runs (difficulty, discrimination, "
			            "histograms, "
			            "the XLSX report): /analysis.html?exam=AH-JJ-2026; its "
			            "similar-answer "
			            "screen (started by ah_agency, decided by the expert group, "
			            "e.g. "
			            "ah_expert): /screening.html?exam=AH-JJ-2026\n"
			          : "试题分析（难度、区分度、分数分布图、XLSX "
			            "报告）：/analysis.html?exam="
			            "AH-JJ-2026；雷同答卷筛查（ah_agency 发起，专家组成员如 "
			            "ah_expert "
			            "认定）：/screening.html?exam=AH-JJ-2026\n");
		if (rep.custody_seal[0])
			printf(en ? "papers of AH-JJ-2026 packed and signed off (ah_author, "
			            "ah_agency), "
			            "one centre package's chain of custody begun: /custody.html — "
			            "scan "
			            "or type the seal %s\n"
			          : "AH-JJ-2026 "
			            "的试卷已审签（ah_author、ah_agency）并按考场、考点装袋，"
			            "一个考点外包装袋的交接链已开始：/"
			            "custody.html，扫描或输入封条编号 %s\n",
			       rep.custody_seal);
		if (rep.iv_exam) {
			printf(en ? "the civil-service interview of AH-GWY-2026 is today (%s): "
			            "shortlists "
			            "published, panel %s formed, rooms and order numbers drawn, "
			            "every "
			            "candidate but the last scored and signed off (organised by "
			            "ah_agency): /interview.html?exam=%lld\n"
			          : "AH-GWY-2026 "
			            "公务员面试今天（%s）进行：进入面试人员名单已公布，考官小组 "
			            "%s "
			            "已组成，面试室和顺序号已抽签，除最后一名外均已评分并签字确认（"
			            "ah_agency 组织）：/interview.html?exam=%lld\n",
			       rep.iv_day, rep.iv_panel, (long long)rep.iv_exam);
			if (rep.iv_order)
				printf(en ? "the examiners' tablet: /examiner.html — log in as %s "
				            "to score No. %lld, the last candidate: the panel's "
				            "other "
				            "examiners (ah_iv_chief, ah_iv_deputy, ah_examiner2, "
				            "ah_examiner3) have scored, so yours shows everyone's; "
				            "then "
				            "ah_scorer, ah_interview_supervisor and the chief "
				            "ah_iv_chief sign off in turn\n"
				          : "考官评分平板页：/examiner.html，以 %s "
				            "登录为最后一名考生（%lld 号）评分：小组其他考官 "
				            "ah_iv_chief、ah_iv_deputy、ah_examiner2、ah_examiner3 "
				            "已评分，录入后即可看到全部评分；随后计分员 "
				            "ah_scorer、监督员 "
				            "ah_interview_supervisor、主考官 ah_iv_chief "
				            "依次签字\n",
				       rep.iv_tablet, (long long)rep.iv_order);
			if (rep.iv_shortlist)
				printf(en ? "recruitment after the interview (ah_agency): a "
				            "position "
				            "whose results are published, its composite list "
				            "built: "
				            "/recruitment.html?shortlist=%lld; every position: "
				            "/recruitment.html?exam=%lld\n"
				          : "面试后的招录环节（ah_"
				            "agency）：面试成绩已发布、综合成绩排名名单已"
				            "生成的职位 /recruitment.html?shortlist=%lld；全部职位 "
				            "/recruitment.html?exam=%lld\n",
				       (long long)rep.iv_shortlist, (long long)rep.iv_exam);
			printf(en ? "the public page of its interviews (shortlists, recruitment "
			            "notices; no login): /interview-public.html?exam=AH-GWY-2026\n"
			          : "面试名单与拟录用人员公示（公众，无需登录）："
			            "/interview-public.html?exam=AH-GWY-2026\n");
		}
	}
	if (!quiet && rep.live_exam) {
		printf(en ? "a sitting held today (AH-ZX-TODAY, subject %s from %s China time; "
		            "check-in opens "
		            "30 "
		            "minutes before and closes 5 minutes after the start): the live "
		            "command "
		            "view (ah_agency) /command.html?exam=%lld&subject=%s\n"
		          : "今日开考的考试（AH-ZX-TODAY，科目 %s 于北京时间 %s 开考，开考前 30 "
		            "分钟开始入场核"
		            "验，开考 5 "
		            "分钟后停止入场）：考务指挥实时视图（ah_agency）/command.html?"
		            "exam=%lld&subject=%s\n",
		       rep.live_subject, rep.live_start, (long long)rep.live_exam,
		       rep.live_subject);
		if (rep.live_proctor[0])
			printf(en ? "check in the candidates still absent as a proctor of "
			            "AH-AQ-01: "
			            "/proctor.html — log in as %s\n"
			          : "以安庆市第一中学（AH-AQ-"
			            "01）考场的监考人员身份为尚未入场的考生核验入场：/"
			            "proctor.html，以 %s 登录\n",
			       rep.live_proctor);
		printf(en ? "its centres' readiness and duty roster (one centre blocked by an "
		            "incident, one with a gap in its roster; aq_agency, aq_chief): "
		            "/readiness.html?exam=%lld&tab=duty\n"
		          : "其考点开考条件与值班安排（一个考点因突发事件暂停开考，一个考点值班有空"
		            "档；"
		            "aq_agency、aq_chief）：/readiness.html?exam=%lld&tab=duty\n",
		       (long long)rep.live_exam);
		printf(en ? "its exam-day incidents — one acknowledged by the area, one reported "
		            "at "
		            "once and awaiting the national centre (aq_agency): "
		            "/incidents.html?exam=%lld\n"
		          : "其考试突发事件——一件已由考区确认，一件已即时上报、等待部人事考试中心确"
		            "认"
		            "（aq_agency）：/incidents.html?exam=%lld\n",
		       (long long)rep.live_exam);
	}
	if (!quiet && rep.readiness_exam)
		printf(en ? "centres' readiness of AH-GWY-2027 (one centre still lacks its safety "
		            "letter; ah_agency): /readiness.html?exam=%lld\n"
		          : "AH-GWY-2027 各考点开考条件（一个考点尚缺安全责任书；ah_agency）："
		            "/readiness.html?exam=%lld\n",
		       (long long)rep.readiness_exam);
	if (!quiet && rep.retention_exam)
		printf(en ? "retention and destruction of AH-JJ-2026's materials (one held for a "
		            "major anomaly; ah_agency): /retention.html?exam=%lld\n"
		          : "AH-JJ-2026 考试材料的保管与销毁（一项因重大异常暂缓销毁；ah_agency）："
		            "/retention.html?exam=%lld\n",
		       (long long)rep.retention_exam);
	json_decref(rep.accounts);
	return KW_EXIT_OK;
}
