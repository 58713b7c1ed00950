#include "core/sanction.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalogue.h"
#include "util/buf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The longest filled line or title (facts are capped well below by the app layer). */
#define DOC_LINE_MAX (64 * 1024)

static bool in_list(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

static bool nonempty(const char *s)
{
	return s && *s;
}

int kw_sanction_level_rank(const char *level)
{
	static const char *const ranks[] = {"county", "prefecture", "provincial", "national"};
	for (size_t i = 0; level && i < N(ranks); i++)
		if (strcmp(level, ranks[i]) == 0)
			return (int)i + 1;
	return 0;
}

/* ---- VIO-7: who decides ---- */

static const char *const agency_kinds[] = {"national_centre", "provincial_agency", "area_agency"};
static const char *const authority_kinds[] = {"ministry", "provincial_authority",
                                              "prefecture_authority"};
static const char *const cs_authority_kinds[] = {"civil_service_authority"};
static const char *const recruiter_kinds[] = {"recruiter"};

enum tie { TIE_DUTY, TIE_POSITION, TIE_EXAM };

/* The header's table. */
static const struct {
	const char *decider;
	const char *const *kinds;
	size_t n;
	enum tie tie;
} decider_map[] = {
        {"civil_service_authority", cs_authority_kinds, N(cs_authority_kinds), TIE_DUTY},
        {"recruiter", recruiter_kinds, N(recruiter_kinds), TIE_POSITION},
        {"organising_agency", agency_kinds, N(agency_kinds), TIE_EXAM},
        {"authority", authority_kinds, N(authority_kinds), TIE_EXAM},
        {"certificate_issuer", authority_kinds, N(authority_kinds), TIE_EXAM},
};

/* Is every stage of the entry one the exam's organiser runs (the exam, its marking)? */
static bool exam_run_stages_only(const json_t *entry)
{
	static const char *const run[] = {"exam", "marking"};
	const json_t *s = json_object_get(entry, "stage");
	if (json_is_string(s))
		return in_list(json_string_value(s), run, N(run));
	size_t i;
	const json_t *v;
	json_array_foreach(s, i, v)
	{
		if (!in_list(json_string_value(v), run, N(run)))
			return false;
	}
	return json_array_size(s) > 0;
}

/* Does the unit have the kind and the tie this decider asks for (the level aside)? */
static bool decider_kind_matches(const json_t *entry, const json_t *d,
                                 const struct kw_decider_unit *u)
{
	const char *dk = json_string_value(json_object_get(d, "kind"));
	const char *duty = json_string_value(json_object_get(d, "duty"));
	for (size_t i = 0; dk && i < N(decider_map); i++) {
		if (strcmp(dk, decider_map[i].decider) != 0)
			continue;
		if (!in_list(u->kind, decider_map[i].kinds, decider_map[i].n))
			return false;
		switch (decider_map[i].tie) {
		case TIE_DUTY:
			return !duty || u->organises_exam || u->recruits_position;
		case TIE_POSITION:
			/* VH 6: the recruiter that organises the exam itself, if any */
			if (duty && strcmp(duty, "organises_stage") == 0 &&
			    exam_run_stages_only(entry))
				return u->organises_exam;
			return u->recruits_position;
		case TIE_EXAM:
			return u->organises_exam;
		}
	}
	return false;
}

int kw_sanction_may_decide(const json_t *entry, const struct kw_decider_unit *u, struct kw_err *err)
{
	const json_t *deciders = json_object_get(entry, "deciders");
	const char *low_min = NULL; /* the min_level of the first decider failed only by level */
	size_t i;
	const json_t *d;
	assert(u);
	json_array_foreach(deciders, i, d)
	{
		if (!decider_kind_matches(entry, d, u))
			continue;
		const char *min = json_string_value(json_object_get(d, "min_level"));
		if (min && kw_sanction_level_rank(u->level) < kw_sanction_level_rank(min)) {
			if (!low_min)
				low_min = min;
			continue;
		}
		return 0;
	}
	const char *id = json_string_value(json_object_get(entry, "id"));
	if (!id)
		id = "";
	if (low_min) {
		int rc = kw_err_set(err, KW_ERULE, "CASE_DECIDER_LEVEL", "VIO-7",
		                    "entry %s is decided at %s level or above, not %s", id, low_min,
		                    u->level ? u->level : "(none)");
		kw_err_detail(err, "entry", json_string(id));
		kw_err_detail(err, "unit_level", json_string(u->level ? u->level : ""));
		kw_err_detail(err, "min_level", json_string(low_min));
		return rc;
	}
	int rc = kw_err_set(err, KW_ERULE, "CASE_DECIDER_NOT_ALLOWED", "VIO-7",
	                    "a unit of kind %s may not decide entry %s",
	                    u->kind ? u->kind : "(none)", id);
	kw_err_detail(err, "entry", json_string(id));
	kw_err_detail(err, "unit_kind", json_string(u->kind ? u->kind : ""));
	kw_err_detail(err, "deciders",
	              json_is_array(deciders) ? json_deep_copy(deciders) : json_array());
	return rc;
}

/* ---- VIO-8: deadlines ---- */

int kw_sanction_defence_due(const struct kw_calendar *cal, const json_t *cat,
                            int32_t notice_receipt, int working_days, int32_t *due,
                            struct kw_err *err)
{
	int n = working_days;
	if (n <= 0) {
		const json_t *v =
		        json_object_get(json_object_get(cat, "procedure"), "defence_working_days");
		json_int_t c = json_is_integer(v) ? json_integer_value(v) : 0;
		n = c > 0 && c <= KW_CAL_PERIOD_MAX ? (int)c : 5;
	}
	return kw_cal_add_workdays(cal, notice_receipt, n, due, err);
}

/* A positive integer of the catalogue's procedure, or -1 and CATALOGUE_INVALID. */
static int procedure_int(const json_t *cat, const char *key, struct kw_err *err)
{
	const json_t *v = json_object_get(json_object_get(cat, "procedure"), key);
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) <= KW_CAL_PERIOD_MAX)
		return (int)json_integer_value(v);
	const char *cid = json_string_value(json_object_get(cat, "id"));
	char field[48];
	snprintf(field, sizeof field, "procedure.%s", key);
	kw_err_set(err, KW_EINVAL, "CATALOGUE_INVALID", NULL,
	           "violation catalogue: %s, field %s: missing", cid ? cid : "?", field);
	kw_err_detail(err, "entry", json_string(cid ? cid : ""));
	kw_err_detail(err, "field", json_string(field));
	kw_err_detail(err, "problem", json_string("missing"));
	return -1;
}

int kw_sanction_appeal_deadlines(const struct kw_calendar *cal, const json_t *cat, int32_t receipt,
                                 int32_t *review_due, int32_t *lawsuit_due, struct kw_err *err)
{
	int days = procedure_int(cat, "review_days", err);
	if (days < 0)
		return KW_EINVAL;
	int months = procedure_int(cat, "lawsuit_months", err);
	if (months < 0)
		return KW_EINVAL;
	int32_t r, l;
	int rc = kw_cal_add_days(cal, receipt, days, &r, err);
	if (rc)
		return rc;
	if ((rc = kw_cal_add_months(cal, receipt, months, &l, err)))
		return rc;
	*review_due = r;
	*lawsuit_due = l;
	return 0;
}

/* ---- Effects and the archive term ---- */

static const struct {
	const char *penalty;
	unsigned effects;
} effects[] = {
        {"registration_void_process_ended", KW_SE_REGISTRATION_VOID | KW_SE_PROCESS_ENDED},
        {"zero_for_subject", KW_SE_ZERO_SUBJECT},
        {"zero_for_subject_process_ended", KW_SE_ZERO_SUBJECT | KW_SE_PROCESS_ENDED},
        {"process_ended", KW_SE_PROCESS_ENDED},
        {"cancel_plus_5_year_ban", KW_SE_CANCEL_REGISTRATION},
        {"cancel_plus_lifetime_ban", KW_SE_CANCEL_REGISTRATION},
        {"void_subject", KW_SE_VOID_SUBJECT},
        {"void_all_subjects_plus_5_year_record", KW_SE_VOID_SITTING},
        {"void_all_subjects_plus_long_term_record", KW_SE_VOID_SITTING},
        {"sitting_ended", KW_SE_END_SITTING},
        {"certificate_void_plus_5_year_record", KW_SE_CERTIFICATE_VOID | KW_SE_VOID_SITTING},
};

unsigned kw_sanction_effects(const char *penalty)
{
	for (size_t i = 0; penalty && i < N(effects); i++)
		if (strcmp(penalty, effects[i].penalty) == 0)
			return effects[i].effects;
	return 0;
}

/* The catalogues' archive names and the archive_entries table's kind and effect. */
static const struct {
	const char *archive, *kind, *effect;
} archives[] = {
        {"civil_service_recruitment", "civil_service", "ban"},
        {"qualification_exam", "qualification", "record"},
};

static int term_bad(struct kw_err *err, const char *entry, const char *field, const char *problem)
{
	int rc = kw_err_set(err, KW_EINVAL, "CATALOGUE_INVALID", NULL,
	                    "violation catalogue: %s, field %s: %s", entry, field, problem);
	kw_err_detail(err, "entry", json_string(entry));
	kw_err_detail(err, "field", json_string(field));
	kw_err_detail(err, "problem", json_string(problem));
	return rc;
}

int kw_sanction_term(const json_t *cat, const json_t *entry, int32_t decision_day,
                     struct kw_sanction_term *t, struct kw_err *err)
{
	memset(t, 0, sizeof *t);
	const char *id = json_string_value(json_object_get(entry, "id"));
	if (!id)
		id = "";
	const struct kw_penalty *p =
	        kw_catalogue_penalty(json_string_value(json_object_get(entry, "penalty")));
	if (!p)
		return term_bad(err, id, "penalty", "unknown");
	if (!p->archive)
		return 0;
	const char *cat_archive =
	        json_string_value(json_object_get(json_object_get(cat, "archive"), "kind"));
	if (cat_archive && strcmp(cat_archive, p->archive) != 0)
		return term_bad(err, id, "archive", "mismatch");
	size_t a = 0;
	while (a < N(archives) && strcmp(archives[a].archive, p->archive) != 0)
		a++;
	if (a == N(archives))
		return term_bad(err, id, "archive", "unknown");
	if (decision_day < KW_CAL_DAY_MIN || decision_day > KW_CAL_DAY_MAX)
		return kw_err_set(err, KW_EINVAL, "DATE_INVALID", NULL, "decision day %ld invalid",
		                  (long)decision_day);
	int32_t end = 0;
	bool lifetime = p->lifetime || p->long_term;
	if (!lifetime) {
		int years = p->record_years ? p->record_years : p->ban_years;
		struct kw_ymd s = kw_cal_ymd(decision_day);
		int y = s.year + years;
		if (y > 9999)
			return kw_err_set(err, KW_EINVAL, "DATE_INVALID", NULL,
			                  "a %d-year term from year %d ends past 9999", years,
			                  s.year);
		int last = kw_cal_month_days(y, s.month);
		int rc;
		if (s.day > last) /* 29 February into a common year: the anniversary is 1 March */
			rc = kw_cal_day_from_ymd(y, s.month, last, &end, err);
		else if (!(rc = kw_cal_day_from_ymd(y, s.month, s.day, &end, err)))
			end--;
		if (rc)
			return rc;
	}
	t->any = true;
	t->kind = archives[a].kind;
	t->effect = archives[a].effect;
	t->lifetime = lifetime;
	t->start = decision_day;
	t->end = end;
	return 0;
}

/* ---- Words: numerals, dates, citations, stages ---- */

int kw_sanction_numeral_zh(int n, char *out, size_t size)
{
	static const char *const digit[] = {"零", "一", "二", "三", "四",
	                                    "五", "六", "七", "八", "九"};
	const char *part[6];
	size_t np = 0;
	if (size)
		out[0] = '\0';
	if (n < 1 || n > 999)
		return -1;
	int r = n % 100;
	if (n >= 100) {
		part[np++] = digit[n / 100];
		part[np++] = "百";
		if (r > 0 && r < 10)
			part[np++] = "零";
	}
	if (r >= 10) {
		/* 十 alone before the units below 20 (十一); 一十 after 百 (一百一十) */
		if (r / 10 > 1 || n >= 100)
			part[np++] = digit[r / 10];
		part[np++] = "十";
	}
	if (r % 10)
		part[np++] = digit[r % 10];
	size_t len = 0;
	for (size_t i = 0; i < np; i++)
		len += strlen(part[i]);
	if (len + 1 > size)
		return -1;
	len = 0;
	for (size_t i = 0; i < np; i++) {
		size_t k = strlen(part[i]);
		memcpy(out + len, part[i], k);
		len += k;
	}
	out[len] = '\0';
	return 0;
}

void kw_sanction_date_zh(int32_t day, char out[KW_SANCTION_DATE_ZH_MAX])
{
	struct kw_ymd d = kw_cal_ymd(day);
	snprintf(out, KW_SANCTION_DATE_ZH_MAX, "%d年%d月%d日", d.year, d.month, d.day);
}

/* A value for a placeholder: its text, or NULL when it cannot be had. */
typedef const char *(*resolve_fn)(const char *name, void *data, char *tmp, size_t tmpsize);

/*
 * Copies text into b, each "{name}" replaced by resolve's value. Returns 0; -1 with the
 * failing name in bad (a placeholder resolve cannot fill, or "{" unclosed: "{").
 */
static int fill(const char *text, resolve_fn resolve, void *data, struct kw_buf *b, char *bad,
                size_t badsize)
{
	const char *p = text;
	for (const char *o = strchr(p, '{'); o; o = strchr(p, '{')) {
		const char *c = strchr(o + 1, '}');
		if (!c) {
			snprintf(bad, badsize, "{");
			return -1;
		}
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(c - o - 1), o + 1);
		char tmp[64];
		const char *v = (size_t)(c - o - 1) < sizeof name
		                        ? resolve(name, data, tmp, sizeof tmp)
		                        : NULL;
		if (!v) {
			snprintf(bad, badsize, "%s", name);
			return -1;
		}
		if (kw_buf_add(b, p, (size_t)(o - p)) || kw_buf_adds(b, v)) {
			snprintf(bad, badsize, "%s", name);
			return -1;
		}
		p = c + 1;
	}
	if (kw_buf_adds(b, p)) {
		snprintf(bad, badsize, "(length)");
		return -1;
	}
	return 0;
}

static const char *resolve_citation(const char *name, void *data, char *tmp, size_t tmpsize)
{
	const json_t *entry = data;
	const json_t *v = json_object_get(entry, name);
	if (strcmp(name, "article") != 0 && strcmp(name, "clause") != 0 &&
	    strcmp(name, "item") != 0)
		return NULL;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 999)
		return NULL;
	if (kw_sanction_numeral_zh((int)json_integer_value(v), tmp, tmpsize))
		return NULL;
	return tmp;
}

char *kw_sanction_citation_zh(const json_t *cat, const json_t *entry)
{
	const json_t *c = json_object_get(json_object_get(cat, "letter"), "citation_zh");
	const json_t *item = json_object_get(entry, "item");
	const char *tpl = json_string_value(
	        json_object_get(c, json_is_integer(item) ? "with_item" : "without_item"));
	if (!tpl || !json_is_integer(json_object_get(entry, "article")) ||
	    !json_is_integer(json_object_get(entry, "clause")))
		return NULL;
	struct kw_buf b;
	kw_buf_init(&b, 1024);
	char bad[64];
	if (fill(tpl, resolve_citation, (void *)entry, &b, bad, sizeof bad)) {
		kw_buf_release(&b);
		return NULL;
	}
	return kw_buf_detach(&b, NULL);
}

static const struct {
	const char *stage, *zh;
} stage_words[] = {
        {"registration", "报名"},      {"exam", "考试"},
        {"marking", "阅卷"},           {"physical_exam", "体检"},
        {"vetting", "考察"},           {"fitness_psych_test", "体能测评或心理测评"},
        {"order", "考试（录用）工作"}, {"certification", "证书申领"},
};

const char *kw_sanction_stage_zh(const char *stage)
{
	for (size_t i = 0; stage && i < N(stage_words); i++)
		if (strcmp(stage, stage_words[i].stage) == 0)
			return stage_words[i].zh;
	return NULL;
}

/* ---- The letter and the notice ---- */

/* Is s well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
static bool utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		size_t n;
		unsigned cp, min;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

struct doc {
	const json_t *cat, *entry;
	const struct kw_letter_fields *f;
	char *citation; /* made on first use */
};

static const char *text_field(const char *v)
{
	return nonempty(v) && utf8_ok(v) ? v : NULL;
}

static const char *day_field(int32_t day, char *tmp, size_t tmpsize)
{
	if (day <= 0 || day > KW_CAL_DAY_MAX || tmpsize < KW_SANCTION_DATE_ZH_MAX)
		return NULL;
	kw_sanction_date_zh(day, tmp);
	return tmp;
}

static const char *stage_field(const struct doc *d)
{
	const struct kw_letter_fields *f = d->f;
	if (f->stage_zh)
		return text_field(f->stage_zh);
	if (f->stage)
		return kw_catalogue_entry_has_stage(d->entry, f->stage)
		               ? kw_sanction_stage_zh(f->stage)
		               : NULL;
	const json_t *s = json_object_get(d->entry, "stage");
	if (json_is_array(s) && json_array_size(s) == 1)
		s = json_array_get(s, 0);
	return kw_sanction_stage_zh(json_string_value(s));
}

static const char *procedure_field(const json_t *cat, const char *key, char *tmp, size_t tmpsize)
{
	const json_t *v = json_object_get(json_object_get(cat, "procedure"), key);
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return NULL;
	snprintf(tmp, tmpsize, "%lld", (long long)json_integer_value(v));
	return tmp;
}

static const char *resolve_doc(const char *name, void *data, char *tmp, size_t tmpsize)
{
	struct doc *d = data;
	const struct kw_letter_fields *f = d->f;
	if (strcmp(name, "number") == 0)
		return text_field(f->number);
	if (strcmp(name, "name") == 0)
		return text_field(f->name);
	if (strcmp(name, "id_number") == 0)
		return text_field(f->id_number);
	if (strcmp(name, "exam") == 0)
		return text_field(f->exam);
	if (strcmp(name, "facts") == 0)
		return text_field(f->facts);
	if (strcmp(name, "issuer") == 0)
		return text_field(f->issuer);
	if (strcmp(name, "stage") == 0)
		return stage_field(d);
	if (strcmp(name, "date") == 0)
		return day_field(f->date, tmp, tmpsize);
	if (strcmp(name, "defence_due") == 0)
		return day_field(f->defence_due, tmp, tmpsize);
	if (strcmp(name, "review_days") == 0 || strcmp(name, "lawsuit_months") == 0)
		return procedure_field(d->cat, name, tmp, tmpsize);
	if (strcmp(name, "act") == 0)
		return text_field(json_string_value(json_object_get(d->entry, "zh")));
	if (strcmp(name, "penalty") == 0) {
		const char *pz = json_string_value(json_object_get(d->entry, "penalty_zh"));
		if (nonempty(pz))
			return pz;
		const char *p = json_string_value(json_object_get(d->entry, "penalty"));
		return p ? text_field(json_string_value(json_object_get(
		                   json_object_get(json_object_get(d->cat, "penalties"), p), "zh")))
		         : NULL;
	}
	if (strcmp(name, "citation") == 0) {
		if (!d->citation)
			d->citation = kw_sanction_citation_zh(d->cat, d->entry);
		return d->citation;
	}
	return NULL;
}

static int field_refused(struct kw_err *err, const char *field)
{
	int rc = kw_err_set(err, KW_EINVAL, "CASE_LETTER_FIELD", NULL,
	                    "document field %s is missing, empty or unknown", field);
	kw_err_detail(err, "field", json_string(field));
	return rc;
}

/* Fills the catalogue's template `which` ("letter", "notice"). */
static int make_doc(const char *which, const json_t *cat, const json_t *entry,
                    const struct kw_letter_fields *f, json_t **out, struct kw_err *err)
{
	assert(f && out);
	*out = NULL;
	const json_t *tpl = json_object_get(cat, which);
	const char *title = json_string_value(json_object_get(tpl, "title_zh"));
	const json_t *lines = json_object_get(tpl, "lines_zh");
	if (!title || !json_is_array(lines))
		return field_refused(err, which);
	struct doc d = {cat, entry, f, NULL};
	struct kw_buf b;
	kw_buf_init(&b, DOC_LINE_MAX);
	json_t *doc = json_object(), *arr = json_array();
	json_object_set_new(doc, "lines", arr);
	char bad[64];
	int rc = 0;
	if (fill(title, resolve_doc, &d, &b, bad, sizeof bad)) {
		rc = field_refused(err, bad);
		goto out;
	}
	json_object_set_new(doc, "title", json_stringn(b.buf, b.len));
	size_t i;
	const json_t *line;
	json_array_foreach(lines, i, line)
	{
		kw_buf_reset(&b);
		if (!json_is_string(line)) {
			rc = field_refused(err, which);
			goto out;
		}
		if (fill(json_string_value(line), resolve_doc, &d, &b, bad, sizeof bad)) {
			rc = field_refused(err, bad);
			goto out;
		}
		json_array_append_new(arr, json_stringn(b.buf, b.len));
	}
	*out = doc;
	doc = NULL;
out:
	json_decref(doc);
	kw_buf_release(&b);
	free(d.citation);
	return rc;
}

int kw_sanction_letter(const json_t *cat, const json_t *entry, const struct kw_letter_fields *f,
                       json_t **out, struct kw_err *err)
{
	return make_doc("letter", cat, entry, f, out, err);
}

int kw_sanction_notice(const json_t *cat, const json_t *entry, const struct kw_letter_fields *f,
                       json_t **out, struct kw_err *err)
{
	return make_doc("notice", cat, entry, f, out, err);
}
