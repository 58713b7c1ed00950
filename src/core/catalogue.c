#include "core/catalogue.h"

#include <stdio.h>
#include <string.h>

#include "util/embed.h"

/* The penalty vocabulary: VH's six outcomes, then Order No. 31's five. */
static const struct kw_penalty penalties[] = {
        /* VH 5: registration void, process ended */
        {"registration_void_process_ended", 0, false, NULL, 0, false},
        /* VH 9: zero for that subject (sitting), process ended */
        {"zero_for_subject_process_ended", 0, false, NULL, 0, false},
        /* VH 6: zero for the subject (sitting) */
        {"zero_for_subject", 0, false, NULL, 0, false},
        /* VH 10-12 lighter */
        {"process_ended", 0, false, NULL, 0, false},
        /* VH 5, 7, 10-12 serious; recorded in the archive (VH 15), the ban its term */
        {"cancel_plus_5_year_ban", 5, false, "civil_service_recruitment", 5, false},
        /* VH 8, 10-12 especially serious */
        {"cancel_plus_lifetime_ban", 0, true, "civil_service_recruitment", 0, true},
        /* Order No. 31 art. 6, 11 */
        {"void_subject", 0, false, NULL, 0, false},
        /* art. 7 */
        {"void_all_subjects_plus_5_year_record", 0, false, "qualification_exam", 5, false},
        /* art. 8 */
        {"void_all_subjects_plus_long_term_record", 0, false, "qualification_exam", 0, true},
        /* art. 9 */
        {"sitting_ended", 0, false, NULL, 0, false},
        /* art. 10: certificate void, and art. 7 applies */
        {"certificate_void_plus_5_year_record", 0, false, "qualification_exam", 5, false},
};

static const char *const stages[] = {"registration",  "exam",         "marking",
                                     "physical_exam", "vetting",      "fitness_psych_test",
                                     "order",         "certification"};
static const char *const severities[] = {"lighter", "serious", "especially_serious", "single"};
static const char *const decider_kinds[] = {"civil_service_authority", "recruiter",
                                            "organising_agency", "authority", "certificate_issuer"};
static const char *const levels[] = {"national", "provincial", "prefecture", "county"};
static const char *const duties[] = {"qualification_review", "organises_stage"};
static const char *const entry_keys[] = {
        "id",       "article",      "clause",     "item",
        "stage",    "severity",     "rule",       "zh",
        "en",       "penalty",      "penalty_zh", "ban_years",
        "lifetime", "archive",      "deciders",   "deciders_choice",
        "requires", "escalates_to", "note_zh",    "note_en"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool one_of(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

const struct kw_penalty *kw_catalogue_penalty(const char *name)
{
	for (size_t i = 0; name && i < N(penalties); i++)
		if (strcmp(name, penalties[i].name) == 0)
			return &penalties[i];
	return NULL;
}

const char *kw_catalogue_for_exam_kind(const char *kind)
{
	if (!kind)
		return NULL;
	if (strcmp(kind, "civil_service_recruitment") == 0 ||
	    strcmp(kind, "civil_service_equivalent") == 0)
		return KW_CATALOGUE_VH;
	if (strcmp(kind, "professional_qualification") == 0)
		return KW_CATALOGUE_ORDER31;
	return NULL;
}

const char *kw_catalogue_file(const char *id)
{
	if (!id)
		return NULL;
	if (strcmp(id, KW_CATALOGUE_VH) == 0)
		return "vh.json";
	if (strcmp(id, KW_CATALOGUE_ORDER31) == 0)
		return "order31.json";
	return NULL;
}

static int bad(struct kw_err *err, const char *entry, const char *field, const char *problem)
{
	int rc = kw_err_set(err, KW_EINVAL, "CATALOGUE_INVALID", NULL,
	                    "violation catalogue: %s, field %s: %s", entry, field, problem);
	kw_err_detail(err, "entry", json_string(entry));
	kw_err_detail(err, "field", json_string(field));
	kw_err_detail(err, "problem", json_string(problem));
	return rc;
}

int kw_catalogue_load(const char *id, json_t **out, struct kw_err *err)
{
	*out = NULL;
	const char *file = kw_catalogue_file(id);
	const struct kw_embedded *e = file ? kw_embedded_find(file) : NULL;
	if (!e)
		return bad(err, id ? id : "", "file", "missing");
	*out = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, NULL);
	return *out ? 0 : bad(err, id, "file", "type");
}

static bool nonempty_string(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0;
}

/* An integer in lo..hi. */
static bool int_in(const json_t *v, json_int_t lo, json_int_t hi)
{
	return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

static bool array_has_string(const json_t *a, const char *s)
{
	size_t i;
	const json_t *v;
	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

/* A required string field from a list (list NULL: any non-empty string). */
static int check_word(const json_t *o, const char *key, const char *const *list, size_t n,
                      const char *label, struct kw_err *err)
{
	const json_t *v = json_object_get(o, key);
	if (!v)
		return bad(err, label, key, "missing");
	if (!nonempty_string(v))
		return bad(err, label, key, "type");
	if (list && !one_of(json_string_value(v), list, n))
		return bad(err, label, key, "unknown");
	return 0;
}

static int check_stage(const json_t *e, const char *label, struct kw_err *err)
{
	const json_t *v = json_object_get(e, "stage");
	if (!v)
		return bad(err, label, "stage", "missing");
	if (json_is_string(v))
		return check_word(e, "stage", stages, N(stages), label, err);
	if (!json_is_array(v))
		return bad(err, label, "stage", "type");
	if (json_array_size(v) == 0)
		return bad(err, label, "stage", "empty");
	size_t i;
	const json_t *s;
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s))
			return bad(err, label, "stage", "type");
		if (!one_of(json_string_value(s), stages, N(stages)))
			return bad(err, label, "stage", "unknown");
	}
	return 0;
}

/* penalty, ban_years, lifetime and archive: the penalty decides the other three. */
static int check_penalty(const json_t *cat, const json_t *e, const char *label, struct kw_err *err)
{
	const json_t *v = json_object_get(e, "penalty");
	if (!v)
		return bad(err, label, "penalty", "missing");
	if (!json_is_string(v))
		return bad(err, label, "penalty", "type");
	const struct kw_penalty *p = kw_catalogue_penalty(json_string_value(v));
	if (!p)
		return bad(err, label, "penalty", "unknown");
	if (!json_object_get(json_object_get(cat, "penalties"), p->name))
		return bad(err, label, "penalty", "undescribed");
	const json_t *pz = json_object_get(e, "penalty_zh");
	if (pz && !nonempty_string(pz))
		return bad(err, label, "penalty_zh", "type");

	const json_t *ban = json_object_get(e, "ban_years");
	const json_t *life = json_object_get(e, "lifetime");
	if (!ban)
		return bad(err, label, "ban_years", "missing");
	if (!json_is_null(ban) && !json_is_integer(ban))
		return bad(err, label, "ban_years", "type");
	if (!life)
		return bad(err, label, "lifetime", "missing");
	if (!json_is_boolean(life))
		return bad(err, label, "lifetime", "type");
	if (json_is_true(life) != p->lifetime)
		return bad(err, label, "lifetime", "inconsistent");
	if (p->lifetime ? !json_is_null(ban)
	                : !json_is_integer(ban) || json_integer_value(ban) != p->ban_years)
		return bad(err, label, "ban_years", "inconsistent");

	const json_t *a = json_object_get(e, "archive");
	if (!a)
		return bad(err, label, "archive", "missing");
	if (!p->archive)
		return json_is_null(a) ? 0 : bad(err, label, "archive", "inconsistent");
	if (!json_is_object(a))
		return bad(err, label, "archive", json_is_null(a) ? "inconsistent" : "type");
	const json_t *kind = json_object_get(a, "kind"), *years = json_object_get(a, "years");
	const json_t *lt = json_object_get(a, "long_term");
	if (json_object_size(a) != 3 || !json_is_string(kind) || !years || !json_is_boolean(lt))
		return bad(err, label, "archive", "type");
	if (strcmp(json_string_value(kind), p->archive) != 0 || json_is_true(lt) != p->long_term ||
	    (p->long_term
	             ? !json_is_null(years)
	             : !json_is_integer(years) || json_integer_value(years) != p->record_years))
		return bad(err, label, "archive", "inconsistent");
	return 0;
}

static int check_deciders(const json_t *e, const char *label, struct kw_err *err)
{
	const json_t *d = json_object_get(e, "deciders");
	if (!d)
		return bad(err, label, "deciders", "missing");
	if (!json_is_array(d))
		return bad(err, label, "deciders", "type");
	if (json_array_size(d) == 0)
		return bad(err, label, "deciders", "empty");
	size_t i;
	const json_t *o;
	json_array_foreach(d, i, o)
	{
		if (!json_is_object(o))
			return bad(err, label, "deciders", "type");
		const char *k;
		const json_t *v;
		json_object_foreach((json_t *)o, k, v)
		{
			if (strcmp(k, "kind") != 0 && strcmp(k, "min_level") != 0 &&
			    strcmp(k, "duty") != 0)
				return bad(err, label, "deciders", "unknown");
		}
		static const struct {
			const char *key;
			const char *const *list;
			size_t n;
			bool required;
		} words[] = {
		        {"kind", decider_kinds, N(decider_kinds), true},
		        {"min_level", levels, N(levels), false},
		        {"duty", duties, N(duties), false},
		};
		for (size_t w = 0; w < N(words); w++) {
			const json_t *s = json_object_get(o, words[w].key);
			if (!s && words[w].required)
				return bad(err, label, "deciders", "missing");
			if (s && !json_is_string(s))
				return bad(err, label, "deciders", "type");
			if (s && !one_of(json_string_value(s), words[w].list, words[w].n))
				return bad(err, label, "deciders", "unknown");
		}
	}
	const json_t *c = json_object_get(e, "deciders_choice");
	if (c && !json_is_boolean(c))
		return bad(err, label, "deciders_choice", "type");
	return 0;
}

/* Optional: an array of non-empty strings. */
static int check_strings(const json_t *e, const char *key, const char *label, struct kw_err *err)
{
	const json_t *a = json_object_get(e, key);
	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(err, label, key, "type");
	if (json_array_size(a) == 0)
		return bad(err, label, key, "empty");
	size_t i;
	const json_t *v;
	json_array_foreach(a, i, v)
	{
		if (!nonempty_string(v))
			return bad(err, label, key, "type");
	}
	return 0;
}

/* The entry's label for messages: its id, or "#<index>". */
static const char *entry_label(const json_t *e, size_t i, char *buf, size_t n)
{
	const json_t *id = json_object_get(e, "id");
	if (nonempty_string(id) && json_string_length(id) < n) {
		snprintf(buf, n, "%s", json_string_value(id));
		return buf;
	}
	snprintf(buf, n, "#%zu", i);
	return buf;
}

static int check_entry(const json_t *cat, const json_t *e, const char *label, struct kw_err *err)
{
	if (!json_is_object(e))
		return bad(err, label, "(entry)", "type");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)e, k, v)
	{
		if (!one_of(k, entry_keys, N(entry_keys)))
			return bad(err, label, k, "unknown");
	}
	int rc = check_word(e, "id", NULL, 0, label, err);
	if (rc)
		return rc;
	if (!json_object_get(e, "article"))
		return bad(err, label, "article", "missing");
	if (!int_in(json_object_get(e, "article"), 1, 999))
		return bad(err, label, "article", "type");
	if (!json_object_get(e, "clause"))
		return bad(err, label, "clause", "missing");
	if (!int_in(json_object_get(e, "clause"), 1, 99))
		return bad(err, label, "clause", "type");
	const json_t *item = json_object_get(e, "item");
	if (!item)
		return bad(err, label, "item", "missing");
	if (!json_is_null(item) && !int_in(item, 1, 99))
		return bad(err, label, "item", "type");
	if ((rc = check_stage(e, label, err)) ||
	    (rc = check_word(e, "severity", severities, N(severities), label, err)) ||
	    (rc = check_word(e, "rule", NULL, 0, label, err)) ||
	    (rc = check_word(e, "zh", NULL, 0, label, err)) ||
	    (rc = check_word(e, "en", NULL, 0, label, err)) ||
	    (rc = check_penalty(cat, e, label, err)) || (rc = check_deciders(e, label, err)) ||
	    (rc = check_strings(e, "requires", label, err)))
		return rc;
	const json_t *esc = json_object_get(e, "escalates_to");
	if (esc) {
		if (!json_is_array(esc) || json_array_size(esc) == 0)
			return bad(err, label, "escalates_to",
			           json_is_array(esc) ? "empty" : "type");
		size_t i;
		json_array_foreach(esc, i, v)
		{
			if (!int_in(v, 1, 999))
				return bad(err, label, "escalates_to", "type");
		}
	}
	if (json_object_get(e, "note_zh") && !nonempty_string(json_object_get(e, "note_zh")))
		return bad(err, label, "note_zh", "type");
	if (json_object_get(e, "note_en") && !nonempty_string(json_object_get(e, "note_en")))
		return bad(err, label, "note_en", "type");
	return 0;
}

static bool same_place(const json_t *a, const json_t *b)
{
	return json_equal(json_object_get(a, "article"), json_object_get(b, "article")) &&
	       json_equal(json_object_get(a, "clause"), json_object_get(b, "clause")) &&
	       json_equal(json_object_get(a, "item"), json_object_get(b, "item"));
}

static bool has_article(const json_t *entries, json_int_t article)
{
	size_t i;
	const json_t *e;
	json_array_foreach(entries, i, e)
	{
		if (json_integer_value(json_object_get(e, "article")) == article)
			return true;
	}
	return false;
}

/* Ids: unique, then each as article, clause, item (and severity when shared) say. */
static int check_ids(const char *cid, const json_t *entries, struct kw_err *err)
{
	size_t n = json_array_size(entries);
	for (size_t i = 0; i < n; i++) {
		const json_t *a = json_array_get(entries, i);
		const char *id = json_string_value(json_object_get(a, "id"));
		for (size_t j = i + 1; j < n; j++) {
			const json_t *b = json_array_get(entries, j);
			if (strcmp(id, json_string_value(json_object_get(b, "id"))) == 0)
				return bad(err, id, "id", "duplicate");
		}
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(entries, i);
		const char *id = json_string_value(json_object_get(e, "id"));
		bool shared = false;
		for (size_t j = 0; j < n && !shared; j++)
			shared = j != i && same_place(e, json_array_get(entries, j));
		char want[128];
		int len = snprintf(want, sizeof want, "%s-%lld-%lld", cid,
		                   (long long)json_integer_value(json_object_get(e, "article")),
		                   (long long)json_integer_value(json_object_get(e, "clause")));
		const json_t *item = json_object_get(e, "item");
		if (json_is_integer(item))
			len += snprintf(want + len, sizeof want - (size_t)len, "-%lld",
			                (long long)json_integer_value(item));
		if (shared)
			snprintf(want + len, sizeof want - (size_t)len, "-%s",
			         json_string_value(json_object_get(e, "severity")));
		if (strcmp(id, want) != 0)
			return bad(err, id, "id", "mismatch");
		const json_t *esc = json_object_get(e, "escalates_to"), *v;
		size_t k;
		json_array_foreach(esc, k, v)
		{
			if (!has_article(entries, json_integer_value(v)))
				return bad(err, id, "escalates_to", "unknown");
		}
	}
	return 0;
}

static bool is_date(const char *s)
{
	if (strlen(s) != 10)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool is_catalogue_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16 || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* applies_to and never_for (VIO-0). */
static int check_kinds(const json_t *cat, const char *cid, struct kw_err *err)
{
	const json_t *ap = json_object_get(cat, "applies_to"),
	             *nf = json_object_get(cat, "never_for");
	if (!ap)
		return bad(err, cid, "applies_to", "missing");
	int rc = check_strings(cat, "applies_to", cid, err);
	if (rc)
		return rc;
	size_t i;
	const json_t *v;
	json_array_foreach(ap, i, v)
	{
		const char *m = kw_catalogue_for_exam_kind(json_string_value(v));
		if (m && strcmp(m, cid) != 0)
			return bad(err, cid, "applies_to", "mismatch");
	}
	if (!nf)
		return bad(err, cid, "never_for", "missing");
	if (!json_is_array(nf))
		return bad(err, cid, "never_for", "type");
	json_array_foreach(nf, i, v)
	{
		if (!nonempty_string(v))
			return bad(err, cid, "never_for", "type");
		const char *m = kw_catalogue_for_exam_kind(json_string_value(v));
		if (array_has_string(ap, json_string_value(v)) || (m && strcmp(m, cid) == 0))
			return bad(err, cid, "never_for", "inconsistent");
	}
	return 0;
}

static int check_penalties(const json_t *cat, const char *cid, struct kw_err *err)
{
	const json_t *p = json_object_get(cat, "penalties");
	if (!p)
		return bad(err, cid, "penalties", "missing");
	if (!json_is_object(p))
		return bad(err, cid, "penalties", "type");
	if (json_object_size(p) == 0)
		return bad(err, cid, "penalties", "empty");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)p, k, v)
	{
		if (!kw_catalogue_penalty(k))
			return bad(err, cid, "penalties", "unknown");
		if (!json_is_object(v) || !nonempty_string(json_object_get(v, "zh")) ||
		    !nonempty_string(json_object_get(v, "en")))
			return bad(err, cid, "penalties", "type");
	}
	return 0;
}

static int check_procedure(const json_t *cat, const char *cid, struct kw_err *err)
{
	const json_t *p = json_object_get(cat, "procedure");
	if (!p)
		return bad(err, cid, "procedure", "missing");
	if (!json_is_object(p))
		return bad(err, cid, "procedure", "type");
	static const struct {
		const char *key, *field;
	} nums[] = {
	        {"review_days", "procedure.review_days"},
	        {"lawsuit_months", "procedure.lawsuit_months"},
	        {"defence_working_days", "procedure.defence_working_days"},
	};
	for (size_t i = 0; i < N(nums); i++) {
		const json_t *v = json_object_get(p, nums[i].key);
		if (!v)
			return bad(err, cid, nums[i].field, "missing");
		if (!int_in(v, 1, 3650))
			return bad(err, cid, nums[i].field, "type");
	}
	return 0;
}

static bool lines_have(const json_t *lines, const char *needle)
{
	size_t i;
	const json_t *v;
	json_array_foreach(lines, i, v)
	{
		if (strstr(json_string_value(v), needle))
			return true;
	}
	return false;
}

const char *const kw_catalogue_placeholders[] = {
        "number",         "name",     "id_number", "exam",        "stage",
        "facts",          "citation", "act",       "penalty",     "review_days",
        "lawsuit_months", "issuer",   "date",      "defence_due", NULL};

/*
 * The placeholders of one template text: every "{" closed by a "}" ("type"), the name
 * between one of kw_catalogue_placeholders ("unknown") described in placeholders
 * ("undescribed").
 */
static int check_placeholders(const char *text, const json_t *described, const char *cid,
                              const char *field, struct kw_err *err)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p, '{')) {
		const char *q = strchr(p + 1, '}');
		if (!q || q == p + 1 || (size_t)(q - p - 1) >= 32)
			return bad(err, cid, field, "type");
		char name[32];
		memcpy(name, p + 1, (size_t)(q - p - 1));
		name[q - p - 1] = '\0';
		size_t i = 0;
		while (kw_catalogue_placeholders[i] && strcmp(kw_catalogue_placeholders[i], name))
			i++;
		if (!kw_catalogue_placeholders[i])
			return bad(err, cid, field, "unknown");
		if (!json_object_get(described, name))
			return bad(err, cid, field, "undescribed");
		p = q + 1;
	}
	return 0;
}

/*
 * A document template ("letter" or "notice"): title_zh, lines_zh, placeholders (each used
 * "{name}" described, each described one a known placeholder with a non-empty description),
 * and the placeholders the document cannot go without (need, NULL-terminated).
 */
static int check_template(const json_t *cat, const char *cid, const char *key,
                          const char *const *need, struct kw_err *err)
{
	char field[48];
	const json_t *l = json_object_get(cat, key);
	if (!l)
		return bad(err, cid, key, "missing");
	if (!json_is_object(l))
		return bad(err, cid, key, "type");
	snprintf(field, sizeof field, "%s.title_zh", key);
	const json_t *title = json_object_get(l, "title_zh");
	if (!nonempty_string(title))
		return bad(err, cid, field, "missing");
	snprintf(field, sizeof field, "%s.placeholders", key);
	const json_t *ph = json_object_get(l, "placeholders");
	if (!ph)
		return bad(err, cid, field, "missing");
	if (!json_is_object(ph))
		return bad(err, cid, field, "type");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)ph, k, v)
	{
		if (!one_of(k, kw_catalogue_placeholders, N(kw_catalogue_placeholders) - 1))
			return bad(err, cid, field, "unknown");
		if (!nonempty_string(v))
			return bad(err, cid, field, "type");
	}
	snprintf(field, sizeof field, "%s.title_zh", key);
	int rc = check_placeholders(json_string_value(title), ph, cid, field, err);
	if (rc)
		return rc;
	snprintf(field, sizeof field, "%s.lines_zh", key);
	const json_t *lines = json_object_get(l, "lines_zh");
	if (!lines)
		return bad(err, cid, field, "missing");
	if (check_strings(l, "lines_zh", cid, NULL))
		return bad(err, cid, field, "type");
	size_t i;
	json_array_foreach(lines, i, v)
	{
		if ((rc = check_placeholders(json_string_value(v), ph, cid, field, err)))
			return rc;
	}
	for (; *need; need++) {
		char want[40];
		snprintf(want, sizeof want, "{%s}", *need);
		if (!lines_have(lines, want))
			return bad(err, cid, field, "missing");
	}
	return 0;
}

/* The decision letter: its lines cite the article and name the penalty; the notice of the
 * intended decision (VIO-8) also gives the facts, the act's wording and the defence's end. */
static int check_letter(const json_t *cat, const char *cid, struct kw_err *err)
{
	static const char *const letter_needs[] = {"citation", "penalty", NULL};
	static const char *const notice_needs[] = {"citation", "penalty",     "facts",
	                                           "act",      "defence_due", NULL};
	int rc = check_template(cat, cid, "letter", letter_needs, err);
	if (rc)
		return rc;
	const json_t *l = json_object_get(cat, "letter");
	const json_t *c = json_object_get(l, "citation_zh");
	const json_t *with = json_object_get(c, "with_item"),
	             *without = json_object_get(c, "without_item");
	if (!nonempty_string(with) || !nonempty_string(without) ||
	    !strstr(json_string_value(with), "{item}") ||
	    strstr(json_string_value(without), "{item}"))
		return bad(err, cid, "letter.citation_zh", "type");
	return check_template(cat, cid, "notice", notice_needs, err);
}

int kw_catalogue_validate(const json_t *cat, struct kw_err *err)
{
	if (!json_is_object(cat))
		return bad(err, "(catalogue)", "(catalogue)", "type");
	const json_t *idv = json_object_get(cat, "id");
	if (!idv)
		return bad(err, "(catalogue)", "id", "missing");
	if (!json_is_string(idv) || !is_catalogue_id(json_string_value(idv)))
		return bad(err, "(catalogue)", "id", "type");
	const char *cid = json_string_value(idv);
	const json_t *ver = json_object_get(cat, "version");
	if (!ver)
		return bad(err, cid, "version", "missing");
	if (!json_is_string(ver) || !is_date(json_string_value(ver)))
		return bad(err, cid, "version", "type");
	int rc;
	if ((rc = check_kinds(cat, cid, err)) || (rc = check_penalties(cat, cid, err)) ||
	    (rc = check_procedure(cat, cid, err)) || (rc = check_letter(cat, cid, err)))
		return rc;
	const json_t *entries = json_object_get(cat, "entries");
	if (!entries)
		return bad(err, cid, "entries", "missing");
	if (!json_is_array(entries))
		return bad(err, cid, "entries", "type");
	if (json_array_size(entries) == 0)
		return bad(err, cid, "entries", "empty");
	size_t i;
	const json_t *e;
	json_array_foreach(entries, i, e)
	{
		char label[72];
		rc = check_entry(cat, e, entry_label(e, i, label, sizeof label), err);
		if (rc)
			return rc;
	}
	return check_ids(cid, entries, err);
}

const json_t *kw_catalogue_entry(const json_t *cat, const char *id)
{
	size_t i;
	const json_t *e;
	if (!id)
		return NULL;
	json_array_foreach(json_object_get(cat, "entries"), i, e)
	{
		const char *eid = json_string_value(json_object_get(e, "id"));
		if (eid && strcmp(eid, id) == 0)
			return e;
	}
	return NULL;
}

int kw_catalogue_find(const json_t *cat, const char *id, const json_t **out, struct kw_err *err)
{
	const json_t *e = kw_catalogue_entry(cat, id);
	*out = e;
	if (e)
		return 0;
	const char *cid = json_string_value(json_object_get(cat, "id"));
	int rc = kw_err_set(err, KW_EINVAL, "CATALOGUE_ENTRY_UNKNOWN", NULL,
	                    "violation catalogue %s has no entry %s", cid ? cid : "?",
	                    id ? id : "(none)");
	kw_err_detail(err, "catalogue", json_string(cid ? cid : ""));
	kw_err_detail(err, "entry", json_string(id ? id : ""));
	return rc;
}

bool kw_catalogue_entry_has_stage(const json_t *entry, const char *stage)
{
	const json_t *s = json_object_get(entry, "stage");
	if (!stage)
		return false;
	if (json_is_string(s))
		return strcmp(json_string_value(s), stage) == 0;
	return array_has_string(s, stage);
}

int kw_catalogue_check_exam_kind(const json_t *cat, const char *kind, struct kw_err *err)
{
	const char *cid = json_string_value(json_object_get(cat, "id"));
	const char *m = kw_catalogue_for_exam_kind(kind);
	if (cid && kind && array_has_string(json_object_get(cat, "applies_to"), kind) &&
	    !array_has_string(json_object_get(cat, "never_for"), kind) &&
	    (!m || strcmp(m, cid) == 0))
		return 0;
	int rc = kw_err_set(err, KW_ERULE, "CATALOGUE_NOT_FOR_EXAM", "VIO-0",
	                    "violation catalogue %s does not apply to a %s exam", cid ? cid : "?",
	                    kind ? kind : "(none)");
	kw_err_detail(err, "catalogue", json_string(cid ? cid : ""));
	kw_err_detail(err, "exam_kind", json_string(kind ? kind : ""));
	return rc;
}
