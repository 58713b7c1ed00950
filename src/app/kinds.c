/*
 * The record kinds (records.h): each register's fields, once. The columns are those of the
 * migrations (0002 for units, 0005 for the rest); docs/import.md describes the CSV layouts
 * these make.
 */
#include <string.h>

#include "app/records.h"

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
static void responsible_check(const json_t *r, json_t *fields);

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
static void room_check(const json_t *r, json_t *fields);

/* ---- agreements and safety-responsibility letters (VEN-6) */
static const char *const agreement_kinds[] = {"agreement", "safety_letter", NULL};
static const struct kw_field agreement_fields[] = {
        REF("centre_id", REQ | FIX, "centres", "考点", "Centre"),
        ENUM("kind", REQ, agreement_kinds, NULL, "类别", "Kind"),
        DATE("signed_on", REQ, "签订日期", "Signed on"),
        DATE("valid_until", 0, "有效期至", "Valid until"),
        TEXT("reference", SRCH, 100, "编号", "Reference"),
};
static void agreement_check(const json_t *r, json_t *fields);

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
static void inspection_check(const json_t *r, json_t *fields);

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
static void incident_check(const json_t *r, json_t *fields);

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
static const char *const employments[] = {"full_time", "part_time", NULL};
static const struct kw_field staff_fields[] = {
        REF("unit_id", REQ | FIX, "units", "所属单位", "Unit"),
        TEXT("code", REQ | FIX | SRCH, 40, "人员编号", "Staff number"),
        TEXT("name", REQ | SRCH, 50, "姓名", "Name"),
        ENUM("post", REQ, posts, NULL, "岗位", "Post"),
        ENUM("employment", REQ, employments, NULL, "专兼职", "Employment"),
        REF("user_id", 0, "users", "账号", "Account"),
        REF("backup_of", 0, "staff", "B角（替补）对应", "Backup of"),
        ENUM("status", 0, active, "active", "状态", "Status"),
};
static void staff_check(const json_t *r, json_t *fields);

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

const struct kw_kind *const kw_kinds[] = {
        &unit_kind,     &responsible_kind, &plan_kind,       &centre_kind,
        &room_kind,     &agreement_kind,   &inspection_kind, &layout_kind,
        &incident_kind, &staff_kind,       &training_kind,   NULL,
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

static void responsible_check(const json_t *r, json_t *fields)
{
	date_order(r, "from_date", "to_date", fields);
}

static void agreement_check(const json_t *r, json_t *fields)
{
	date_order(r, "signed_on", "valid_until", fields);
}

/* A CBT room's seats are computers; partitions or privacy film only mean something there. */
static void room_check(const json_t *r, json_t *fields)
{
	const char *mode = str(r, "mode");
	if (mode && strcmp(mode, "paper") == 0 &&
	    json_integer_value(json_object_get(r, "partitions")))
		problem(fields, "partitions", "cbt_only");
}

/* VEN-6: a failed inspection is corrected before use; "corrected" needs the date. */
static void inspection_check(const json_t *r, json_t *fields)
{
	const char *res = str(r, "result");
	if (res && strcmp(res, "corrected") == 0 && !str(r, "corrected_on"))
		problem(fields, "corrected_on", "required");
	if (res && strcmp(res, "corrected") != 0 && str(r, "corrected_on"))
		problem(fields, "corrected_on", "only_when_corrected");
	date_order(r, "inspected_on", "corrected_on", fields);
}

/* VEN-4: rectification is recorded with its date and what was done. */
static void incident_check(const json_t *r, json_t *fields)
{
	if (str(r, "rectified_on") && !str(r, "rectification"))
		problem(fields, "rectification", "required");
	date_order(r, "occurred_on", "rectified_on", fields);
}

static void staff_check(const json_t *r, json_t *fields)
{
	json_t *id = json_object_get(r, "id"), *b = json_object_get(r, "backup_of");
	if (id && b && json_integer_value(id) == json_integer_value(b))
		problem(fields, "backup_of", "self");
}
