/* Sessions, the current user, and accounts. */
#include <stdio.h>
#include <string.h>

#include "app/identity.h"
#include "http/http.h"
#include "util/clock.h"
#include "util/i18n.h"
#include "util/json.h"

static json_t *user_json(const struct kw_user *u)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:[]}", "kind", "staff", "id",
	                 (json_int_t)u->id, "username", u->username, "display_name",
	                 u->display_name, "status", u->status, "roles");
}

/* A candidate's session: the masked document number stands for the username. */
static json_t *candidate_json(const struct kw_session_info *s)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:[s], s:[], s:[]}", "kind", "candidate", "id",
	                 (json_int_t)s->candidate_id, "username", s->user.username, "display_name",
	                 s->user.display_name, "status", s->user.status, "roles", "candidate",
	                 "role_names", "grants");
}

/* The role's name in lang (data/i18n: ROLE_<id>), or the id itself. */
static json_t *role_name(const char *lang, const char *role)
{
	char code[64];
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 256);
	snprintf(code, sizeof code, "ROLE_%s", role);
	json_t *v = json_string(kw_i18n_format(lang, code, NULL, &b) == 0 ? b.buf : role);
	kw_buf_release(&b);
	return v;
}

static json_t *with_roles(const struct kw_session_info *s, const char *lang)
{
	if (s->candidate_id) {
		json_t *c = candidate_json(s);
		json_array_append_new(json_object_get(c, "role_names"),
		                      role_name(lang, "candidate"));
		return c;
	}
	json_t *j = user_json(&s->user);
	json_t *roles = json_object_get(j, "roles");
	json_t *names = json_array();
	json_object_set_new(j, "role_names", names);
	json_t *grants = json_array();
	for (int i = 0; i < s->ngrants; i++) {
		const struct kw_grant *g = &s->grants[i];
		int seen = 0;
		for (int k = 0; k < i; k++)
			seen |= strcmp(s->grants[k].role, g->role) == 0;
		if (!seen) {
			json_array_append_new(roles, json_string(g->role));
			json_array_append_new(names, role_name(lang, g->role));
		}
		json_array_append_new(
		        grants, json_pack("{s:I, s:s, s:I, s:o}", "id", (json_int_t)g->id, "role",
		                          g->role, "unit", (json_int_t)g->unit_id, "exam",
		                          g->exam_id ? json_integer(g->exam_id) : json_null()));
	}
	json_object_set_new(j, "grants", grants);
	return j;
}

/* A document number as sign-up stored it: no surrounding spaces, letters upper-case. */
static void normalise_number(const char *in, char *out, size_t n)
{
	while (*in == ' ')
		in++;
	size_t i = 0;
	for (; *in && i + 1 < n; in++)
		out[i++] = (*in >= 'a' && *in <= 'z') ? (char)(*in - 'a' + 'A') : *in;
	while (i > 0 && out[i - 1] == ' ')
		i--;
	out[i] = '\0';
}

static const struct kw_jfield login_fields[] = {
        {"username", KW_JSTRING, KW_JREQUIRED, 1, 64},
        {"password", KW_JSTRING, KW_JREQUIRED, 1, 256},
};
/* Candidates log in with their identity document (REG-4). */
static const struct kw_jfield candidate_login_fields[] = {
        {"id_type", KW_JSTRING, 0, 1, 20},
        {"id_number", KW_JSTRING, KW_JREQUIRED, 1, 40},
        {"password", KW_JSTRING, KW_JREQUIRED, 1, 256},
};

int kw_h_session_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int cand = json_object_get(req->json, "id_number") != NULL;
	int rc = cand ? kw_json_check(req->json, candidate_login_fields, 3, err)
	              : kw_json_check(req->json, login_fields, 2, err);
	if (rc)
		return rc;
	char token[KW_TOKEN_HEX], csrf[KW_CSRF_HEX];
	struct kw_session_info info;
	const char *password = json_string_value(json_object_get(req->json, "password"));
	if (cand) {
		const char *type = json_string_value(json_object_get(req->json, "id_type"));
		char number[64];
		normalise_number(json_string_value(json_object_get(req->json, "id_number")), number,
		                 sizeof number);
		rc = kw_app_candidate_login(req->app, &req->actor, type ? type : "resident_id",
		                            number, password, req->address, token, csrf, &info,
		                            err);
	} else {
		rc = kw_app_login(req->app, &req->actor,
		                  json_string_value(json_object_get(req->json, "username")),
		                  password, req->address, token, csrf, &info, err);
	}
	if (rc)
		return rc;
	char exp[32];
	kw_clock_format(info.expires_us, exp);
	long max_age = (long)((info.expires_us - kw_clock_now_us()) / 1000000);
	resp->status = 201;
	resp->json = json_pack("{s:s, s:s, s:s, s:o}", "token", token, "csrf_token", csrf,
	                       "expires_at", exp, "user", with_roles(&info, req->lang));
	/* The browser's copy: HttpOnly (no script reads it), SameSite=Strict. */
	kw_resp_header(resp, "Set-Cookie", "kw_session=%s; Max-Age=%ld; HttpOnly%s", token, max_age,
	               kw_cookie_attrs(req));
	kw_resp_header(resp, "Set-Cookie", "kw_csrf=%s; Max-Age=%ld%s", csrf, max_age,
	               kw_cookie_attrs(req));
	memset(token, 0, sizeof token);
	return 0;
}

int kw_h_session_delete(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = kw_app_logout(req->app, &req->actor, req->token, req->session.candidate_id != 0,
	                       err);
	if (rc)
		return rc;
	resp->status = 204;
	kw_resp_header(resp, "Set-Cookie", "kw_session=; Max-Age=0; HttpOnly%s",
	               kw_cookie_attrs(req));
	kw_resp_header(resp, "Set-Cookie", "kw_csrf=; Max-Age=0%s", kw_cookie_attrs(req));
	return 0;
}

int kw_h_me(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)err;
	char exp[32];
	kw_clock_format(req->session.expires_us, exp);
	json_t *u = with_roles(&req->session, req->lang);
	json_object_set_new(u, "session_expires_at", json_string(exp));
	resp->json = u;
	return 0;
}

static const struct kw_jfield user_fields[] = {
        {"username", KW_JSTRING, KW_JREQUIRED, 3, 32},
        {"display_name", KW_JSTRING, KW_JREQUIRED, 1, 64},
        {"password", KW_JSTRING, KW_JREQUIRED, 10, 256},
};

int kw_h_users_create(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	/* Creating accounts belongs to administrators (the permissions file generalises this). */
	if (!req->session.user.is_admin)
		return kw_err_set(err, KW_EFORBIDDEN, "FORBIDDEN", NULL,
		                  "only administrators create accounts");
	int rc = kw_json_check(req->json, user_fields, 3, err);
	if (rc)
		return rc;
	struct kw_user_new nu = {
	        json_string_value(json_object_get(req->json, "username")),
	        json_string_value(json_object_get(req->json, "display_name")),
	        json_string_value(json_object_get(req->json, "password")),
	};
	struct kw_user u;
	rc = kw_app_user_add(req->app, &req->actor, &nu, NULL, &u, err);
	if (rc)
		return rc;
	resp->status = 201;
	resp->json = user_json(&u);
	kw_resp_header(resp, "Location", "/api/v1/users/%lld", (long long)u.id);
	return 0;
}
