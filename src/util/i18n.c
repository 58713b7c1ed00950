#include "util/i18n.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/embed.h"
#include "util/err.h"

static json_t *cat_zh, *cat_en;
static int load_rc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static json_t *load(const char *name)
{
	const struct kw_embedded *e = kw_embedded_find(name);
	if (!e)
		return NULL;
	json_t *j = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, NULL);
	if (j && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static void load_all(void)
{
	cat_zh = load("zh-CN.json");
	cat_en = load("en.json");
	load_rc = (cat_zh && cat_en) ? 0 : KW_EINTERNAL;
}

int kw_i18n_init(void)
{
	pthread_once(&once, load_all);
	return load_rc;
}

const json_t *kw_i18n_catalogue(const char *lang)
{
	if (kw_i18n_init())
		return NULL;
	return (lang && strcmp(lang, KW_LANG_EN) == 0) ? cat_en : cat_zh;
}

int kw_i18n_has(const char *code)
{
	if (kw_i18n_init())
		return 0;
	return json_is_string(json_object_get(cat_zh, code)) &&
	       json_is_string(json_object_get(cat_en, code));
}

static void put_value(struct kw_buf *out, const json_t *v)
{
	if (json_is_string(v))
		kw_buf_add(out, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v))
		kw_buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		kw_buf_addf(out, "%g", json_real_value(v));
}

int kw_i18n_format(const char *lang, const char *code, const json_t *details, struct kw_buf *out)
{
	const json_t *t = json_object_get(kw_i18n_catalogue(lang), code);
	if (!json_is_string(t))
		t = json_object_get(kw_i18n_catalogue(KW_LANG_ZH), code);
	if (!json_is_string(t))
		return KW_ENOTFOUND;
	const char *s = json_string_value(t);
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close) {
			kw_buf_adds(out, s);
			break;
		}
		kw_buf_add(out, s, (size_t)(open - s));
		char name[64];
		size_t n = (size_t)(close - open - 1);
		const json_t *v = NULL;
		if (n < sizeof name) {
			memcpy(name, open + 1, n);
			name[n] = '\0';
			v = json_object_get(details, name);
		}
		if (v && (json_is_string(v) || json_is_number(v)))
			put_value(out, v);
		else
			kw_buf_add(out, open, (size_t)(close - open + 1));
		s = close + 1;
	}
	return 0;
}

static const char *match(const char *tag, size_t n)
{
	if (n >= 2 && strncasecmp(tag, "zh", 2) == 0 && (n == 2 || tag[2] == '-' || tag[2] == '_'))
		return KW_LANG_ZH;
	if (n >= 2 && strncasecmp(tag, "en", 2) == 0 && (n == 2 || tag[2] == '-' || tag[2] == '_'))
		return KW_LANG_EN;
	return NULL;
}

const char *kw_i18n_negotiate(const char *cookie_lang, const char *accept)
{
	if (cookie_lang) {
		const char *m = match(cookie_lang, strlen(cookie_lang));
		if (m)
			return m;
	}
	if (!accept)
		return KW_LANG_ZH;
	const char *best = NULL;
	double best_q = 0.0;
	const char *p = accept;
	int items = 0;
	while (*p && items++ < 32) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		while (*p && *p != ';' && *p != ',' && *p != ' ')
			p++;
		size_t n = (size_t)(p - tag);
		double q = 1.0;
		while (*p && *p != ',') {
			if (*p == ';') {
				p++;
				while (*p == ' ')
					p++;
				if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
					char *end;
					q = strtod(p + 2, &end);
					if (end == p + 2 || q < 0 || q > 1)
						q = 0;
					p = end;
					continue;
				}
			}
			if (*p)
				p++;
		}
		const char *m = match(tag, n);
		if (m && q > best_q) {
			best = m;
			best_q = q;
		}
	}
	return best ? best : KW_LANG_ZH;
}

const char *kw_i18n_from_env(void)
{
	const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			if (strncmp(v, "en", 2) == 0)
				return KW_LANG_EN;
			return KW_LANG_ZH;
		}
	}
	return KW_LANG_ZH;
}
