/*
 * The record kinds (records.h): each register's fields, once. The columns are those of the
 * migrations (0002 for units, 0005 for the rest); docs/import.md describes the CSV layouts
 * these make.
 */
#include <stdlib.h>
#include <string.h>

#include "app/archive.h"
#include "app/records.h"
#include "util/buf.h"
#include "core/eligibility.h"

#define N(a) ((int)(sizeof a / sizeof a[0]))
#define REQ  KW_FF_REQUIRED
#define FIX  KW_FF_FIXED
#define SRCH KW_FF_SEARCH

/* Text of at most n characters. */
#define TEXT(name, flags, n, zh, en)                                                               \
	{                                                                                          \
		name, KW_FT_TEXT, flags, 0, n, NULL, NULL, NULL, zh, en                            \
	}
#define ENUM(name, flags, vals, dflt, zh, en)                                                      \
	{                                                                                          \
		name, KW_FT_ENUM, flags, 0, 0, vals, NULL, dflt, zh, en                            \
	}
#define DATE(name, flags, zh, en)                                                                  \
	{                                                                                          \
		name, KW_FT_DATE, flags, 0, 0, NULL, NULL, NULL, zh, en                            \
	}
#define INT(name, flags, lo, hi, dflt, zh, en)                                                     \
	{                                                                                          \
		name, KW_FT_INT, flags, lo, hi, NULL, NULL, dflt, zh, en                           \
	}
#define BOOL(name, flags, dflt, zh, en)                                                            \
	{                                                                                          \
		name, KW_FT_BOOL, flags, 0, 1, NULL, NULL, dflt, zh, en                            \
	}
#define TIME(name, flags, zh, en)                                                                  \
	{                                                                                          \
		name, KW_FT_TIME, flags, 0, 0, NULL, NULL, NULL, zh, en                            \
	}
#define REF(name, flags, to, zh, en)                                                               \
	{                                                                                          \
		name, KW_FT_REF, flags, 0, 0, NULL, to, NULL, zh, en                               \
	}

/* ---- units (ORG-1; created here only by import, the API's POST /units is approvals.c) */
static const char *const unit_kinds[] = {"ministry",
                                         "national_centre",
                                         "provincial_authority",
                                         "provincial_agency",
                                         "prefecture_authority",
                                         "area_agency",
                                         "centre",
                                         "recruiter",
                                         "civil_service_authority",
                                         "marking_unit",
                                         "physical_exam_unit",
                                         NULL};
static const char *const levels[] = {"national", "provincial", "prefecture", "county", NULL};
static const struct kw_field unit_fields[] = {
        TEXT("code", REQ | FIX | SRCH, 40, "单位代码", "Unit code"),
        TEXT("name", REQ | SRCH, 100, "单位名称", "Unit name"),
        ENUM("kind", REQ | FIX, unit_kinds, NULL, "单位类别", "Kind"),
        ENUM("level", REQ | FIX, levels, NULL, "层级", "Level"),
        REF("parent_id", REQ | FIX, "units", "上级单位", "Parent unit"),
        /* set through PUT /units/{id}/doc_prefix (cases.c), which checks it */
        TEXT("doc_prefix", KW_FF_LATE | KW_FF_SYSTEM, 12, "文号前缀", "Document-number prefix"),
};
static const struct kw_kind unit_kind = {
        "unit",         "units",       unit_fields,    N(unit_fields), "parent_id",
        "unit.history", "unit.create", {"code", NULL}, "组织机构",     "Units",
        NULL,           NULL,          KW_KF_NO_UPDATE};

/* ---- responsible persons (ORG-5) */
static const char *const duties[] = {"first_responsible", "post_responsible", NULL};
static const struct kw_field responsible_fields[] = {
        REF("unit_id", REQ | FIX, "units", "单位", "Unit"),
        TEXT("person_name", REQ | SRCH, 50, "姓名", "Name"),
        TEXT("title", REQ, 50, "职务", "Title"),
        ENUM("duty", REQ, duties, NULL, "责任类别", "Duty"),
        TEXT("post", 0, 50, "岗位", "Post"),
        DATE("from_date", 0, "起始日期", "From"),
        DATE("to_date", 0, "截止日期", "To"),
};
static void responsible_check(json_t *r, json_t *fields);

/* ---- plans (ORG-6) */
static const char *const plan_kinds[] = {"implementation", "emergency", "security_coordination",
                                         NULL};
static const struct kw_field plan_fields[] = {
        REF("unit_id", REQ | FIX, "units", "单位", "Unit"),
        ENUM("kind", REQ, plan_kinds, NULL, "预案类别", "Kind"),
        TEXT("title", REQ | SRCH, 100, "标题", "Title"),
        TEXT("exam_name", SRCH, 100, "考试", "Exam"),
        DATE("recorded_on", REQ, "备案日期", "Recorded on"),
        TEXT("summary", 0, 2000, "摘要", "Summary"),
        TEXT("document_ref", 0, 100, "文号", "Document reference"),
};

/* ---- centres (VEN-1) */
static const char *const admin_levels[] = {"national", "provincial", "prefecture",
                                           "county",   "township",   NULL};
static const char *const centre_kinds[] = {"standard", "college", "entrance_exam_school", "other",
                                           NULL};
static const char *const active[] = {"active", "inactive", NULL};
static const struct kw_field centre_fields[] = {
        REF("unit_id", REQ | FIX, "units", "所属单位", "Unit"),
        TEXT("code", REQ | FIX | SRCH, 40, "考点代码", "Centre code"),
        TEXT("name", REQ | SRCH, 100, "考点名称", "Centre name"),
        TEXT("address", REQ | SRCH, 200, "地址", "Address"),
        ENUM("admin_level", REQ, admin_levels, NULL, "所在行政层级", "Administrative level"),
        ENUM("kind", REQ, centre_kinds, NULL, "考点类别", "Kind"),
        INT("cbt_seats", 0, 0, 100000, "0", "机考座位数", "CBT seats"),
        TEXT("provincial_approval", 0, 100, "省级批准文号", "Provincial approval"),
        TEXT("national_filing", 0, 100, "部考试中心备案号", "National filing"),
        ENUM("status", 0, active, "active", "状态", "Status"),
};

/* ---- rooms (VEN-5) */
static const char *const modes[] = {"paper", "cbt", NULL};
static const struct kw_field room_fields[] = {
        REF("centre_id", REQ | FIX, "centres", "考点", "Centre"),
        TEXT("code", REQ | FIX | SRCH, 20, "考场号", "Room number"),
        TEXT("name", SRCH, 100, "考场名称", "Room name"),
        INT("seats", REQ, 1, 1000, NULL, "座位数", "Seats"),
        ENUM("mode", REQ, modes, NULL, "考试方式", "Mode"),
        BOOL("video", 0, "0", "视频监控", "Video surveillance"),
        BOOL("partitions", 0, "0", "隔板或防窥膜", "Partitions"),
        INT("floor", 0, -5, 200, NULL, "楼层", "Floor"),
        TEXT("storage", 0, 200, "物品存放处", "Storage place"),
        ENUM("status", 0, active, "active", "状态", "Status"),
};
static void room_check(json_t *r, json_t *fields);

/* ---- agreements and safety-responsibility letters (VEN-6) */
static const char *const agreement_kinds[] = {"agreement", "safety_letter", NULL};
static const struct kw_field agreement_fields[] = {
        REF("centre_id", REQ | FIX, "centres", "考点", "Centre"),
        ENUM("kind", REQ, agreement_kinds, NULL, "类别", "Kind"),
        DATE("signed_on", REQ, "签订日期", "Signed on"),
        DATE("valid_until", 0, "有效期至", "Valid until"),
        TEXT("reference", SRCH, 100, "编号", "Reference"),
};
static void agreement_check(json_t *r, json_t *fields);

/* ---- inspections and acceptance (VEN-6) */
static const char *const results[] = {"passed", "failed", "corrected", NULL};
static const struct kw_field inspection_fields[] = {
        REF("centre_id", REQ | FIX, "centres", "考点", "Centre"),
        REF("room_id", FIX, "rooms", "考场", "Room"),
        DATE("inspected_on", REQ, "检查日期", "Inspected on"),
        TEXT("inspector", REQ | SRCH, 100, "检查人", "Inspector"),
        ENUM("result", REQ, results, NULL, "结论", "Result"),
        BOOL("sealed_environment", 0, "0", "机考封闭环境检查", "Sealed-environment check"),
        TEXT("findings", SRCH, 2000, "问题及整改", "Findings"),
        DATE("corrected_on", 0, "整改完成日期", "Corrected on"),
};
static void inspection_check(json_t *r, json_t *fields);

/* ---- layout (VEN-7) */
static const char *const layout_kinds[] = {
        "exam_zone_cordon", "rest_room",    "exam_office", "security_zone",
        "storage",          "medical_room", "other",       NULL};
static const struct kw_field layout_fields[] = {
        REF("centre_id", REQ | FIX, "centres", "考点", "Centre"),
        ENUM("kind", REQ, layout_kinds, NULL, "类别", "Kind"),
        TEXT("location", REQ | SRCH, 200, "位置", "Location"),
        TEXT("notes", 0, 1000, "说明", "Notes"),
};

/* ---- incidents and rectification (VEN-4) */
static const struct kw_field incident_fields[] = {
        REF("centre_id", REQ | FIX, "centres", "考点", "Centre"),
        DATE("occurred_on", REQ, "发生日期", "Occurred on"),
        TEXT("description", REQ | SRCH, 2000, "事件经过", "Description"),
        BOOL("major", REQ, NULL, "重大事故", "Major"),
        TEXT("rectification", 0, 2000, "整改情况", "Rectification"),
        DATE("rectified_on", 0, "整改完成日期", "Rectified on"),
};
static void incident_check(json_t *r, json_t *fields);

/* ---- reports, complaints and accusations, tracked to a reply (VIO-11, AH 80) */
static const char *const report_kinds[] = {"report", "complaint", "accusation", NULL};
static const char *const report_channels[] = {"letter", "phone", "email", "online", "visit", NULL};
static const char *const report_statuses[] = {"open", "replied", "closed", NULL};
static const struct kw_field report_fields[] = {
        REF("unit_id", REQ | FIX, "units", "受理单位", "Receiving unit"),
        ENUM("kind", REQ, report_kinds, NULL, "类别", "Kind"),
        ENUM("channel", REQ, report_channels, NULL, "渠道", "Channel"),
        DATE("received_on", REQ, "受理日期", "Received on"),
        TEXT("reporter", 0, 50, "举报人（可匿名）", "From (may be anonymous)"),
        TEXT("contact", 0, 50, "联系方式", "Contact"),
        REF("exam_id", 0, "exams", "涉及考试", "Exam"),
        TEXT("subject", REQ | SRCH, 100, "事由", "Subject"),
        TEXT("content", REQ, 2000, "主要内容", "Content"),
        INT("case_id", 0, 1, INT64_MAX, NULL, "立案编号", "Case"),
        DATE("reply_due", 0, "答复期限", "Reply due"),
        DATE("replied_on", 0, "答复日期", "Replied on"),
        TEXT("reply", 0, 2000, "答复内容", "Reply"),
        ENUM("status", REQ, report_statuses, "open", "状态", "Status"),
};
static void report_check(json_t *r, json_t *fields);

/* ---- violations by staff (VIO-10; VH 16, 17, 22; AH 81): the act, who is held to account,
 * the handling, a referral, the re-check or appeal */
static const char *const staff_acts[] = {"VH-16-1", "VH-16-2", "VH-16-3", "VH-16-4",
                                         "VH-16-5", "VH-17-1", "VH-17-2", "VH-17-3",
                                         "VH-17-4", "VH-17-5", NULL};
static const char *const responsibilities[] = {"leader", "directly_responsible", "staff", NULL};
static const char *const staff_appeals[] = {"none", "recheck", "appeal", NULL};
static const char *const staff_case_statuses[] = {"open", "handled", "appealed", "closed", NULL};
static const struct kw_field staff_case_fields[] = {
        REF("unit_id", REQ | FIX, "units", "处理单位", "Handling unit"),
        REF("exam_id", 0, "exams", "涉及考试", "Exam"),
        REF("staff_id", 0, "staff", "工作人员记录", "Staff record"),
        TEXT("person_name", REQ | SRCH, 50, "姓名", "Name"),
        ENUM("responsibility", REQ, responsibilities, NULL, "责任类别", "Responsibility"),
        ENUM("act", REQ, staff_acts, NULL, "违规违纪行为", "Act"),
        DATE("found_on", REQ, "发现日期", "Found on"),
        TEXT("facts", REQ, 2000, "事实", "Facts"),
        TEXT("evidence", REQ, 1000, "证据", "Evidence"),
        TEXT("handling", 0, 1000, "处理结果", "Handling"),
        TEXT("handled_by", 0, 100, "处理单位（按职责权限）", "Handled by"),
        DATE("handled_on", 0, "处理日期", "Handled on"),
        TEXT("referred_to", 0, 100, "移送机关", "Referred to"),
        DATE("referred_on", 0, "移送日期", "Referred on"),
        ENUM("appeal", REQ, staff_appeals, "none", "复核或申诉", "Re-check or appeal"),
        DATE("appeal_filed_on", 0, "提出日期", "Filed on"),
        TEXT("appeal_outcome", 0, 1000, "复核申诉结果", "Outcome"),
        DATE("appeal_decided_on", 0, "结果日期", "Decided on"),
        ENUM("status", REQ, staff_case_statuses, "open", "状态", "Status"),
};
static void staff_case_check(json_t *r, json_t *fields);

/* ---- staff (ORG-3, ORG-4) and training */
static const char *const posts[] = {"chief_examiner",
                                    "deputy_chief_examiner",
                                    "proctor",
                                    "roving_proctor",
                                    "inspector",
                                    "supervisor",
                                    "cbt_admin",
                                    "custodian",
                                    "escort",
                                    "security",
                                    "logistics",
                                    "medical",
                                    "marker",
                                    "examiner",
                                    "agency_staff",
                                    "other",
                                    NULL};
/* PQ 20(2): volunteers and the socially recruited never proctor (recorded to be excluded). */
static const char *const employments[] = {"full_time", "part_time", "volunteer", "social_recruit",
                                          NULL};
static const struct kw_field staff_fields[] = {
        REF("unit_id", REQ | FIX, "units", "所属单位", "Unit"),
        TEXT("code", REQ | FIX | SRCH, 40, "人员编号", "Staff number"),
        TEXT("name", REQ | SRCH, 50, "姓名", "Name"),
        ENUM("post", REQ, posts, NULL, "岗位", "Post"),
        ENUM("employment", REQ, employments, NULL, "专兼职", "Employment"),
        REF("user_id", 0, "users", "账号", "Account"),
        REF("backup_of", 0, "staff", "B角（替补）对应", "Backup of"),
        ENUM("status", 0, active, "active", "状态", "Status"),
        /* SEAT-2: can proctor a CBT room; SEC-3: the person's own document, to find staff
         * who registered for an exam themselves (added by migration 0012) */
        BOOL("cbt_capable", KW_FF_LATE, "0", "具备机考监考能力", "CBT-capable"),
        TEXT("id_number", KW_FF_LATE | KW_FF_MASKED, 32, "证件号码", "Document number"),
};
static void staff_check(json_t *r, json_t *fields);

/* SEC-3: a staff member's declared relation to someone who may sit an exam. */
static const char *const relations[] = {"spouse", "lineal", "collateral", "in_law", "other", NULL};
static const struct kw_field relation_fields[] = {
        REF("staff_id", REQ | FIX, "staff", "人员", "Staff"),
        ENUM("relation", REQ, relations, NULL, "关系", "Relation"),
        TEXT("relative_name", REQ | SRCH, 50, "亲属姓名", "Relative's name"),
        TEXT("relative_id_number", REQ | KW_FF_MASKED, 32, "亲属证件号码",
             "Relative's document number"),
        DATE("declared_on", REQ, "申报日期", "Declared on"),
        TEXT("note", 0, 500, "说明", "Note"),
};

static const char *const assessments[] = {"none", "passed", "failed", NULL};
static const char *const pass_fail[] = {"passed", "failed", NULL};
static const struct kw_field training_fields[] = {
        REF("staff_id", REQ | FIX, "staff", "人员", "Staff"),
        TEXT("course", REQ | SRCH, 100, "培训内容", "Course"),
        DATE("trained_on", REQ, "培训日期", "Trained on"),
        ENUM("result", REQ, pass_fail, NULL, "培训结果", "Result"),
        ENUM("assessment", 0, assessments, "none", "考核结果", "Assessment"),
        TEXT("notes", 0, 1000, "备注", "Notes"),
};

/* ORG-4: a staff member may be assigned only after passing training (examiners also an
 * assessment); "qualified" says so. VEN-4: a centre with a major incident not yet rectified
 * is blocked. */
static const struct kw_computed staff_computed[] = {
        {"qualified", 'b',
         "CASE WHEN EXISTS (SELECT 1 FROM trainings t WHERE t.staff_id = r.id AND "
         "t.result = 'passed' AND (r.post <> 'examiner' OR t.assessment = 'passed')) "
         "THEN 1 ELSE 0 END"},
        {NULL, 0, NULL},
};
static const struct kw_computed centre_computed[] = {
        {"blocked", 'b',
         "CASE WHEN EXISTS (SELECT 1 FROM incidents i WHERE i.centre_id = r.id AND i.major = 1 "
         "AND i.rectified_on IS NULL) THEN 1 ELSE 0 END"},
        {"rooms", 'i',
         "(SELECT COUNT(*) FROM rooms m WHERE m.centre_id = r.id AND m.status = 'active')"},
        {"seats", 'i',
         "(SELECT COALESCE(SUM(m.seats), 0) FROM rooms m WHERE m.centre_id = r.id AND "
         "m.status = 'active')"},
        {NULL, 0, NULL},
};

/* ---- exams (EXAM-1, EXAM-2, EXAM-3, EXAM-5, EXAM-6) */
static const char *const exam_kinds[] = {"civil_service", "public_institution", "qualification",
                                         NULL};
static const char *const rulesets[] = {"AH", "PQ", "PROVINCE", NULL};
static const char *const exam_statuses[] = {"draft", "published", "cancelled", "template", NULL};
static const char *const deliveries[] = {"self_print", "on_site", NULL};
static const char *const edu_levels[] = {"secondary", "junior_college", "bachelor",
                                         "master",    "doctorate",      NULL};
static const char *const degrees[] = {"none", "bachelor", "master", "doctorate", NULL};
static const struct kw_field exam_fields[] = {
        REF("unit_id", REQ | FIX, "units", "主办单位", "Organising unit"),
        TEXT("code", REQ | FIX | SRCH, 40, "考试代码", "Exam code"),
        TEXT("name", REQ | SRCH, 100, "考试名称", "Exam name"),
        ENUM("kind", REQ | FIX, exam_kinds, NULL, "考试类别", "Kind"),
        ENUM("ruleset", REQ, rulesets, NULL, "规则集", "Rule set"),
        INT("year", REQ, 2000, 2100, NULL, "年度", "Year"),
        REF("template_id", FIX, "exams", "全国考前规则模板", "National template"),
        ENUM("status", 0, exam_statuses, "draft", "状态", "Status"),
        TIME("reg_opens_at", 0, "报名开始时间", "Registration opens"),
        TIME("reg_closes_at", 0, "报名截止时间", "Registration closes"),
        TIME("pledge_withdraw_until", 0, "撤回承诺截止时间", "Pledge withdrawal until"),
        TEXT("registration_places", 0, 500, "报名地点", "Registration places"),
        BOOL("onsite_registration", 0, "0", "现场报名", "On-site registration"),
        TEXT("procedure", 0, 2000, "报名程序", "Procedure"),
        DATE("exam_date", 0, "考试日期", "Exam date"),
        DATE("ref_date", 0, "年龄计算基准日", "Reference date for age"),
        DATE("syllabus_published_on", 0, "考试大纲发布日期", "Syllabus published on"),
        ENUM("ticket_delivery", 0, deliveries, "self_print", "准考证发放方式", "Ticket delivery"),
        TEXT("fee_approval", 0, 200, "收费批准文件", "Fee approval"),
        TEXT("levels", 0, 200, "级别（逗号分隔）", "Levels (comma-separated)"),
        INT("rolling_years", 0, 1, 10, NULL, "滚动管理周期（年）", "Rolling period (years)"),
        INT("age_min", 0, 0, 120, NULL, "最低年龄", "Minimum age"),
        INT("age_max", 0, 0, 120, NULL, "最高年龄", "Maximum age"),
        ENUM("education_min", 0, edu_levels, NULL, "最低学历", "Minimum education"),
        ENUM("degree_min", 0, degrees, NULL, "最低学位", "Minimum degree"),
        TEXT("majors", 0, 1000, "专业代码（逗号分隔）", "Major codes (comma-separated)"),
        INT("work_years_min", 0, 0, 50, NULL, "最少工作年限", "Minimum years of work"),
        TEXT("notice", 0, 4000, "其他事项", "Other matters"),
        /* REG-4, TKT-1: a submission needs the candidate's photo (the ticket shows it);
         * added by migration 0017: an exam made before it holds null, "not required" */
        BOOL("photo_required", KW_FF_LATE, "1", "报名须已上传照片", "Photo required to submit"),
};
static void exam_check(json_t *r, json_t *fields);

/* ---- subjects (EXAM-1; fees per subject, REG-7) */
static const struct kw_field subject_fields[] = {
        REF("exam_id", REQ | FIX, "exams", "考试", "Exam"),
        TEXT("code", REQ | FIX | SRCH, 20, "科目代码", "Subject code"),
        TEXT("name", REQ | SRCH, 100, "科目名称", "Subject name"),
        TEXT("level", 0, 50, "级别", "Level"),
        INT("duration_minutes", REQ, 10, 600, NULL, "考试时长（分钟）", "Duration (minutes)"),
        ENUM("mode", REQ, modes, NULL, "考试方式", "Mode"),
        BOOL("audio_video", 0, "0", "含音视频", "Audio/video"),
        TIME("starts_at", 0, "开考时间", "Starts at"),
        INT("fee_cents", 0, 0, 10000000, "0", "考试费（分）", "Fee (fen)"),
        BOOL("exemptible", 0, "0", "可免考", "Exemptible"),
};

/* ---- positions (EXAM-4): the columns of the published position table */
static const char *const categories[] = {"general",
                                         "law_enforcement",
                                         "township_agency",
                                         "retired_soldier",
                                         "village_cadre",
                                         "grassroots_project",
                                         NULL};
static const struct kw_field position_fields[] = {
        REF("exam_id", REQ | FIX, "exams", "考试", "Exam"),
        REF("recruiter_id", REQ | FIX, "units", "部门代码", "Department code"),
        TEXT("code", REQ | FIX | SRCH, 40, "职位代码", "Position code"),
        TEXT("department_name", SRCH, 100, "部门名称", "Department name"),
        TEXT("bureau", SRCH, 100, "用人司局", "Recruiting bureau"),
        TEXT("name", REQ | SRCH, 100, "招考职位", "Position name"),
        TEXT("attribute", 0, 50, "职位属性", "Attribute"),
        TEXT("distribution", 0, 50, "职位分布", "Distribution"),
        TEXT("description", 0, 1000, "职位简介", "Description"),
        TEXT("agency_level", 0, 50, "机构层级", "Agency level"),
        ENUM("category", REQ, categories, NULL, "考试类别", "Exam category"),
        INT("quota", REQ, 1, 10000, NULL, "招考人数", "Number to recruit"),
        TEXT("majors", SRCH, 1000, "专业", "Majors"),
        ENUM("education_min", 0, edu_levels, NULL, "学历", "Education"),
        ENUM("degree_min", 0, degrees, NULL, "学位", "Degree"),
        TEXT("political_status", 0, 200, "政治面貌", "Political status"),
        INT("grassroots_years_min", 0, 0, 50, NULL, "基层工作最低年限", "Minimum grassroots years"),
        BOOL("grassroots_project", 0, "0", "服务基层项目工作经历", "Grassroots-project experience"),
        BOOL("professional_test", 0, "0", "是否在面试阶段组织专业能力测试",
             "Professional test at interview"),
        TEXT("interview_ratio", 0, 10, "面试人员比例", "Interview ratio"),
        TEXT("work_location", SRCH, 100, "工作地点", "Work location"),
        TEXT("settlement_location", 0, 100, "落户地点", "Settlement location"),
        INT("age_min", 0, 0, 120, NULL, "最低年龄", "Minimum age"),
        INT("age_max", 0, 0, 120, NULL, "最高年龄", "Maximum age"),
        TEXT("household", 0, 200, "户籍要求（地区代码）", "Household registration (region codes)"),
        TEXT("remarks", 0, 1000, "备注", "Remarks"),
};
static void position_check(json_t *r, json_t *fields);

/* ---- the integrity archive (REG-2, REG-5; VH 5, 7, 8, 10-12, 20; PQ 15) */
static const char *const archive_kinds[] = {"civil_service", "qualification", NULL};
static const char *const archive_effects[] = {"ban", "record", NULL};
static const char *const id_types[] = {"resident_id", "social_security", "foreigner_pr", "other",
                                       NULL};
static const struct kw_field archive_fields[] = {
        REF("unit_id", REQ | FIX, "units", "记录单位", "Recording unit"),
        ENUM("id_type", REQ | FIX, id_types, NULL, "证件类型", "Document type"),
        TEXT("id_number", REQ | FIX | KW_FF_MASKED, 32, "证件号码", "Document number"),
        TEXT("person_name", REQ | SRCH, 50, "姓名", "Name"),
        ENUM("kind", REQ | FIX, archive_kinds, NULL, "档案类别", "Archive"),
        ENUM("effect", REQ, archive_effects, NULL, "效力", "Effect"),
        DATE("term_start", REQ, "起始日期", "Term start"),
        DATE("term_end", 0, "截止日期", "Term end"),
        BOOL("lifetime", 0, "0", "终身", "Lifetime"),
        TEXT("source_decision", REQ | SRCH, 200, "处理决定", "Source decision"),
        /* Migration 0018: the case whose decision wrote the entry, and when it was revoked
         * (a revoked entry leaves the archive at once, INF-5(5)); set by app/cases.c only. */
        INT("case_id", KW_FF_LATE | KW_FF_SYSTEM, 1, INT64_MAX, NULL, "处理案件", "Case"),
        TIME("revoked_at", KW_FF_LATE | KW_FF_SYSTEM, "撤销时间", "Revoked at"),
};
static void archive_check(json_t *r, json_t *fields);

static const struct kw_kind responsible_kind = {"responsible",
                                                "unit_responsibles",
                                                responsible_fields,
                                                N(responsible_fields),
                                                "unit_id",
                                                "org.read",
                                                "org.write",
                                                {NULL},
                                                "责任人",
                                                "Responsible persons",
                                                responsible_check,
                                                NULL,
                                                0};
static const struct kw_kind plan_kind = {
        "plan", "plans",    plan_fields, N(plan_fields), "unit_id", "org.read", "org.write",
        {NULL}, "考务预案", "Plans",     NULL,           NULL,      0};
static const struct kw_kind centre_kind = {"centre",  "centres",    centre_fields, N(centre_fields),
                                           "unit_id", "venue.read", "venue.write", {"code", NULL},
                                           "考点",    "Centres",    NULL,          centre_computed,
                                           0};
static const struct kw_kind room_kind = {"room",
                                         "rooms",
                                         room_fields,
                                         N(room_fields),
                                         "centre_id",
                                         "venue.read",
                                         "venue.write",
                                         {"centre_id", "code", NULL},
                                         "考场",
                                         "Rooms",
                                         room_check,
                                         NULL,
                                         0};
static const struct kw_kind agreement_kind = {"agreement",
                                              "centre_agreements",
                                              agreement_fields,
                                              N(agreement_fields),
                                              "centre_id",
                                              "venue.read",
                                              "venue.write",
                                              {NULL},
                                              "考点协议与安全责任书",
                                              "Centre agreements",
                                              agreement_check,
                                              NULL,
                                              0};
static const struct kw_kind inspection_kind = {"inspection",
                                               "inspections",
                                               inspection_fields,
                                               N(inspection_fields),
                                               "centre_id",
                                               "venue.read",
                                               "venue.write",
                                               {NULL},
                                               "检查验收",
                                               "Inspections",
                                               inspection_check,
                                               NULL,
                                               0};
static const struct kw_kind layout_kind = {"layout_item",
                                           "layout_items",
                                           layout_fields,
                                           N(layout_fields),
                                           "centre_id",
                                           "venue.read",
                                           "venue.write",
                                           {NULL},
                                           "考点布置",
                                           "Centre layout",
                                           NULL,
                                           NULL,
                                           0};
static const struct kw_kind incident_kind = {"incident",
                                             "incidents",
                                             incident_fields,
                                             N(incident_fields),
                                             "centre_id",
                                             "venue.read",
                                             "venue.write",
                                             {NULL},
                                             "安全事故与整改",
                                             "Incidents",
                                             incident_check,
                                             NULL,
                                             0};
static const struct kw_kind staff_kind = {"staff",    "staff",      staff_fields,  N(staff_fields),
                                          "unit_id",  "staff.read", "staff.write", {"code", NULL},
                                          "考务人员", "Staff",      staff_check,   staff_computed,
                                          0};
static const struct kw_kind training_kind = {"training",
                                             "trainings",
                                             training_fields,
                                             N(training_fields),
                                             "staff_id",
                                             "staff.read",
                                             "staff.write",
                                             {NULL},
                                             "培训考核",
                                             "Training",
                                             NULL,
                                             NULL,
                                             0};

static const struct kw_kind relation_kind = {"relation",
                                             "staff_relations",
                                             relation_fields,
                                             N(relation_fields),
                                             "staff_id",
                                             "staff.read",
                                             "staff.write",
                                             {NULL},
                                             "回避申报",
                                             "Relations (recusal)",
                                             NULL,
                                             NULL,
                                             0};

static const struct kw_kind exam_kind = {"exam",    "exams",     exam_fields,  N(exam_fields),
                                         "unit_id", "exam.read", "exam.write", {"code", NULL},
                                         "考试",    "Exams",     exam_check,   NULL,
                                         0};
static const struct kw_kind subject_kind = {
        "subject",  "subjects",  subject_fields, N(subject_fields),
        "exam_id",  "exam.read", "exam.write",   {"exam_id", "code", NULL},
        "考试科目", "Subjects",  NULL,           NULL,
        0};
static const struct kw_kind position_kind = {"position",
                                             "positions",
                                             position_fields,
                                             N(position_fields),
                                             "recruiter_id",
                                             "position.read",
                                             "position.write",
                                             {"exam_id", "code", NULL},
                                             "招考职位",
                                             "Positions",
                                             position_check,
                                             NULL,
                                             0};
static const struct kw_kind staff_case_kind = {"staff_case",
                                               "staff_cases",
                                               staff_case_fields,
                                               N(staff_case_fields),
                                               "unit_id",
                                               "staff_case.read",
                                               "staff_case.write",
                                               {NULL},
                                               "工作人员违规违纪",
                                               "Staff violations",
                                               staff_case_check,
                                               NULL,
                                               0};
static const struct kw_kind report_kind = {"report",
                                           "reports",
                                           report_fields,
                                           N(report_fields),
                                           "unit_id",
                                           "report.read",
                                           "report.write",
                                           {NULL},
                                           "举报投诉",
                                           "Reports and complaints",
                                           report_check,
                                           NULL,
                                           0};
static const struct kw_kind archive_kind = {"archive_entry",
                                            "archive_entries",
                                            archive_fields,
                                            N(archive_fields),
                                            "unit_id",
                                            "archive.read",
                                            "archive.write",
                                            {NULL},
                                            "诚信档案",
                                            "Integrity archive",
                                            archive_check,
                                            NULL,
                                            /* a change by hand needs grounds and a second
                                             * person (INF-4, INF-5(5)) */
                                            KW_KF_CHECKED};

const struct kw_kind *const kw_kinds[] = {
        &unit_kind,      &responsible_kind, &plan_kind,       &centre_kind,   &room_kind,
        &agreement_kind, &inspection_kind,  &layout_kind,     &incident_kind, &staff_kind,
        &training_kind,  &exam_kind,        &subject_kind,    &position_kind, &archive_kind,
        &relation_kind,  &report_kind,      &staff_case_kind, NULL,
};

const struct kw_kind *kw_kind_by_table(const char *table)
{
	for (int i = 0; table && kw_kinds[i]; i++)
		if (strcmp(kw_kinds[i]->table, table) == 0)
			return kw_kinds[i];
	return NULL;
}

const struct kw_kind *kw_kind_by_name(const char *name)
{
	for (int i = 0; name && kw_kinds[i]; i++)
		if (strcmp(kw_kinds[i]->name, name) == 0)
			return kw_kinds[i];
	return NULL;
}

const struct kw_field *kw_kind_field(const struct kw_kind *k, const char *name)
{
	for (int i = 0; name && i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return &k->fields[i];
	return NULL;
}

int kw_kind_written(struct kw_tx *tx, const struct kw_kind *k, int64_t id, const json_t *changes,
                    struct kw_err *err)
{
	/* Facts readers keep in memory may have changed (a centre's agreement or inspection, a
	 * venue incident, an exam's or subject's times: app/writer.h). */
	kw_tx_facts_changed(tx);
	/* An archive entry added reaches the sharing ledger through its sweep ("added",
	 * confirmed when the entry was written: the checker's approval); a correction of one is
	 * a change of the shared credit information of its own (INF-5(5)). */
	if (k == &archive_kind && json_object_size(changes))
		return kw_archive_changed(tx, id, "corrected", err);
	return 0;
}

/* ---- checks across fields ---- */

static const char *str(const json_t *r, const char *key)
{
	return json_string_value(json_object_get(r, key));
}

static void problem(json_t *fields, const char *field, const char *what)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "problem", what));
}

/* Dates are YYYY-MM-DD: their order is the strings' order. */
static void date_order(const json_t *r, const char *from, const char *to, json_t *fields)
{
	const char *a = str(r, from), *b = str(r, to);
	if (a && b && strcmp(a, b) > 0)
		problem(fields, to, "before_start");
}

static void responsible_check(json_t *r, json_t *fields)
{
	date_order(r, "from_date", "to_date", fields);
}

static void agreement_check(json_t *r, json_t *fields)
{
	date_order(r, "signed_on", "valid_until", fields);
}

/* A CBT room's seats are computers; partitions or privacy film only mean something there. */
static void room_check(json_t *r, json_t *fields)
{
	const char *mode = str(r, "mode");
	if (mode && strcmp(mode, "paper") == 0 &&
	    json_integer_value(json_object_get(r, "partitions")))
		problem(fields, "partitions", "cbt_only");
}

/* VEN-6: a failed inspection is corrected before use; "corrected" needs the date. */
static void inspection_check(json_t *r, json_t *fields)
{
	const char *res = str(r, "result");
	if (res && strcmp(res, "corrected") == 0 && !str(r, "corrected_on"))
		problem(fields, "corrected_on", "required");
	if (res && strcmp(res, "corrected") != 0 && str(r, "corrected_on"))
		problem(fields, "corrected_on", "only_when_corrected");
	date_order(r, "inspected_on", "corrected_on", fields);
}

/* VEN-4: rectification is recorded with its date and what was done. */
static void incident_check(json_t *r, json_t *fields)
{
	if (str(r, "rectified_on") && !str(r, "rectification"))
		problem(fields, "rectification", "required");
	date_order(r, "occurred_on", "rectified_on", fields);
}

/* A handling has its words and date; an appeal follows the handling; a referral names its
 * organ; the status follows what is on the record (VIO-10, VH 22). */
static void staff_case_check(json_t *r, json_t *fields)
{
	if (str(r, "handled_on") && !str(r, "handling"))
		problem(fields, "handling", "required");
	if (str(r, "referred_on") && !str(r, "referred_to"))
		problem(fields, "referred_to", "required");
	const char *appeal = str(r, "appeal"), *status = str(r, "status");
	int appealed = appeal && strcmp(appeal, "none") != 0;
	if (appealed && !str(r, "appeal_filed_on"))
		problem(fields, "appeal_filed_on", "required");
	if (appealed && !str(r, "handled_on"))
		problem(fields, "handled_on", "required");
	if (!appealed && str(r, "appeal_filed_on"))
		problem(fields, "appeal", "required");
	if (str(r, "appeal_decided_on") && !str(r, "appeal_outcome"))
		problem(fields, "appeal_outcome", "required");
	if (status && strcmp(status, "open") != 0 && !str(r, "handled_on"))
		problem(fields, "handled_on", "required");
	date_order(r, "found_on", "handled_on", fields);
	date_order(r, "found_on", "referred_on", fields);
	date_order(r, "handled_on", "appeal_filed_on", fields);
	date_order(r, "appeal_filed_on", "appeal_decided_on", fields);
}

/* A reply has its date and words; a report is "replied" once it has them (AH 80). */
static void report_check(json_t *r, json_t *fields)
{
	if (str(r, "replied_on") && !str(r, "reply"))
		problem(fields, "reply", "required");
	if (str(r, "status") && strcmp(str(r, "status"), "replied") == 0 && !str(r, "replied_on"))
		problem(fields, "replied_on", "required");
	date_order(r, "received_on", "replied_on", fields);
	date_order(r, "received_on", "reply_due", fields);
}

static void staff_check(json_t *r, json_t *fields)
{
	json_t *id = json_object_get(r, "id"), *b = json_object_get(r, "backup_of");
	if (id && b && json_integer_value(id) == json_integer_value(b))
		problem(fields, "backup_of", "self");
}

static int64_t int_of(const json_t *r, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(r, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static void age_order(const json_t *r, json_t *fields)
{
	if (int_of(r, "age_min", 0) > int_of(r, "age_max", 200))
		problem(fields, "age_max", "below_minimum");
}

/* A list of catalogue codes: digits (2, 4 or 6, a major code may end in K or T), commas. */
static void code_list(const json_t *r, const char *key, int region, json_t *fields)
{
	const char *s = str(r, key);
	while (s && *s) {
		size_t n = strcspn(s, ",");
		size_t d = 0;
		while (d < n && s[d] >= '0' && s[d] <= '9')
			d++;
		int ok = (d == 2 || d == 4 || d == 6) &&
		         (d == n || (!region && d == 6 && n == 7 && (s[6] == 'K' || s[6] == 'T')));
		if (!ok) {
			problem(fields, key, region ? "region_codes" : "major_codes");
			return;
		}
		s += n;
		if (*s == ',')
			s++;
	}
}

/* EXAM-1: the window opens before it closes; the withdrawal deadline lies inside it (REG-3). */
static void exam_check(json_t *r, json_t *fields)
{
	const char *o = str(r, "reg_opens_at"), *c = str(r, "reg_closes_at");
	if (o && c && strcmp(o, c) >= 0)
		problem(fields, "reg_closes_at", "before_start");
	date_order(r, "reg_opens_at", "pledge_withdraw_until", fields);
	age_order(r, fields);
	code_list(r, "majors", 0, fields);
	const char *st = str(r, "status");
	if (st && strcmp(st, "published") == 0) {
		/* AH 10: what the notice must state before registration opens. */
		static const char *const needed[] = {"reg_opens_at", "reg_closes_at", "exam_date",
		                                     "ref_date", NULL};
		for (const char *const *n = needed; *n; n++)
			if (!str(r, *n))
				problem(fields, *n, "required_to_publish");
	}
}

/* "不限", "无要求", "无" and the like: no condition. */
static int no_condition(const char *v)
{
	static const char *const any[] = {"不限", "无要求", "无", "不要求", "any", "none", NULL};
	for (int i = 0; any[i]; i++)
		if (strcmp(v, any[i]) == 0)
			return 1;
	return 0;
}

/* A published table's majors ("财政学（020202）、税收学（020203）", "经济学类0201") as
 * the codes they name ("020202,020203"); a list of codes is left as it is. */
static void normalise_majors(json_t *r)
{
	const char *v = str(r, "majors");
	if (!v)
		return;
	if (no_condition(v)) {
		json_object_set_new(r, "majors", json_null());
		return;
	}
	if (strspn(v, "0123456789KT,") == strlen(v))
		return;
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	for (const char *p = v; *p;) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		size_t d = strspn(p, "0123456789");
		size_t n = d + (d == 6 && (p[6] == 'K' || p[6] == 'T'));
		if (d == 2 || d == 4 || d == 6)
			kw_buf_addf(&b, "%s%.*s", b.len ? "," : "", (int)n, p);
		p += n;
	}
	if (b.len)
		json_object_set_new(r, "majors", json_string(b.buf));
	kw_buf_release(&b);
}

/* A published table's political status ("中共党员（含预备党员）", "中共党员或共青团员") as
 * the values the eligibility engine takes; values already given are left as they are. */
static void normalise_political(json_t *r)
{
	const char *v = str(r, "political_status");
	if (!v)
		return;
	if (no_condition(v)) {
		json_object_set_new(r, "political_status", json_null());
		return;
	}
	static const struct {
		const char *phrase, *values;
	} map[] = {
	        {"中共党员（含预备党员）", "cpc_member,cpc_probationary"},
	        {"中共党员(含预备党员)", "cpc_member,cpc_probationary"},
	        {"中共预备党员", "cpc_probationary"},
	        {"中共党员", "cpc_member,cpc_probationary"},
	        {"党员", "cpc_member,cpc_probationary"},
	        {"共青团员", "cyl_member"},
	        {"团员", "cyl_member"},
	        {"民主党派", "democratic_party"},
	        {"群众", "masses"},
	};
	static const char *const seps[] = {"或", "、", "，", ",", "/", "；", ";", " ", NULL};
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	int bad = 0;
	for (const char *p = v; *p && !bad;) {
		int moved = 0;
		for (int i = 0; seps[i] && !moved; i++)
			if (strncmp(p, seps[i], strlen(seps[i])) == 0) {
				p += strlen(seps[i]);
				moved = 1;
			}
		for (size_t i = 0; i < sizeof map / sizeof map[0] && !moved; i++)
			if (strncmp(p, map[i].phrase, strlen(map[i].phrase)) == 0) {
				if (!strstr(b.buf ? b.buf : "", map[i].values))
					kw_buf_addf(&b, "%s%s", b.len ? "," : "", map[i].values);
				p += strlen(map[i].phrase);
				moved = 1;
			}
		bad = !moved;
	}
	if (!bad && b.len)
		json_object_set_new(r, "political_status", json_string(b.buf));
	kw_buf_release(&b);
}

/* "3：1", "3 : 1" → "3:1". */
static void normalise_ratio(json_t *r)
{
	const char *v = str(r, "interview_ratio");
	if (!v)
		return;
	char out[16];
	size_t n = 0;
	for (const char *p = v; *p && n + 1 < sizeof out; p++) {
		if (*p == ' ')
			continue;
		if (strncmp(p, "：", strlen("：")) == 0) {
			out[n++] = ':';
			p += strlen("：") - 1;
			continue;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
	json_object_set_new(r, "interview_ratio", json_string(out));
}

static void position_check(json_t *r, json_t *fields)
{
	normalise_majors(r);
	normalise_political(r);
	normalise_ratio(r);
	age_order(r, fields);
	code_list(r, "majors", 0, fields);
	code_list(r, "household", 1, fields);
	const char *ratio = str(r, "interview_ratio");
	if (ratio) {
		unsigned a, b;
		char tail;
		if (sscanf(ratio, "%u:%u%c", &a, &b, &tail) != 2 || a < 1 || b < 1 || a > 100 ||
		    b > 100)
			problem(fields, "interview_ratio", "ratio_format");
	}
	const char *ps = str(r, "political_status");
	while (ps && *ps) {
		size_t n = strcspn(ps, ",");
		int ok = 0;
		for (const char *const *v = kw_elig_political_statuses; *v && !ok; v++)
			ok = strlen(*v) == n && strncmp(*v, ps, n) == 0;
		if (!ok) {
			problem(fields, "political_status", "not_allowed");
			break;
		}
		ps += n;
		if (*ps == ',')
			ps++;
	}
}

/* A ban runs for a term or for life (VH: 5 years or lifetime), never both. */
static void archive_check(json_t *r, json_t *fields)
{
	/* a resident ID's check character is stored as candidates' are: X, never x, or the
	 * entry would never match the person it is about (REG-5) */
	const char *n = str(r, "id_number"), *t = str(r, "id_type");
	size_t len = n ? strlen(n) : 0;
	if (t && strcmp(t, "resident_id") == 0 && len && n[len - 1] == 'x') {
		char *up = strdup(n);
		up[len - 1] = 'X';
		json_object_set_new(r, "id_number", json_string(up));
		free(up);
	}
	/* an entry a decision wrote changes only through its case: a revocation with new
	 * evidence and a second person (INF-5(5), INF-4), never by editing the register */
	if (json_is_integer(json_object_get(r, "case_id")))
		problem(fields, "case_id", "from_case");
	int life = json_is_true(json_object_get(r, "lifetime"));
	if (life && str(r, "term_end"))
		problem(fields, "term_end", "lifetime_has_no_end");
	if (!life && !str(r, "term_end"))
		problem(fields, "term_end", "required");
	date_order(r, "term_start", "term_end", fields);
}
