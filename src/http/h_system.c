/* System endpoints: health and the API description. */
#include <stdio.h>
#include <string.h>

#include "app/records.h"
#include "http/http.h"
#include "util/embed.h"

int kw_h_health(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = kw_app_health(req->app, &resp->json, err);
	return rc;
}

/* A field's JSON schema, from its description in kinds.c. */
static json_t *field_schema(const struct kw_field *f)
{
	json_t *o = json_pack("{s:s}", "description", f->en);
	switch (f->type) {
	case KW_FT_TEXT:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "maxLength", json_integer(f->max));
		break;
	case KW_FT_ENUM: {
		json_t *e = json_array();
		for (const char *const *v = f->values; *v; v++)
			json_array_append_new(e, json_string(*v));
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "enum", e);
		break;
	}
	case KW_FT_DATE:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "format", json_string("date"));
		break;
	case KW_FT_TIME:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "format", json_string("date-time"));
		break;
	case KW_FT_INT:
		json_object_set_new(o, "type", json_string("integer"));
		json_object_set_new(o, "minimum", json_integer(f->min));
		json_object_set_new(o, "maximum", json_integer(f->max));
		break;
	case KW_FT_BOOL:
		json_object_set_new(o, "type", json_string("boolean"));
		break;
	case KW_FT_REF:
		json_object_set_new(o, "type", json_string("integer"));
		break;
	}
	if (!(f->flags & KW_FF_REQUIRED))
		json_object_set_new(o, "nullable", json_true());
	return o;
}

static json_t *op(const char *id, const char *summary, const char *tag, json_t *body,
                  const char *status, json_t *schema)
{
	json_t *o = json_pack("{s:s, s:s, s:[s], s:{s:{s:s, s:{s:{s:o}}}, s:{s:s}, s:{s:s}}}",
	                      "operationId", id, "summary", summary, "tags", tag, "responses",
	                      status, "description", "OK.", "content", "application/json", "schema",
	                      schema, "401", "$ref", "#/components/responses/Unauthorized", "404",
	                      "$ref", "#/components/responses/NotFound");
	if (body)
		json_object_set_new(o, "requestBody", body);
	return o;
}

static json_t *ref(const char *schema)
{
	char r[128];
	snprintf(r, sizeof r, "#/components/schemas/%s", schema);
	return json_pack("{s:s}", "$ref", r);
}

static json_t *json_body(const char *schema)
{
	return json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content", "application/json",
	                 "schema", ref(schema));
}

static json_t *id_param(void)
{
	return json_pack("[{s:s, s:s, s:b, s:{s:s}}]", "name", "id", "in", "path", "required", 1,
	                 "schema", "type", "integer");
}

/* 202: a pending approval (maker-checker), what the change of a checked register answers. */
static json_t *pending_schema(void)
{
	return json_pack("{s:s, s:{s:{s:s}, s:{s:s, s:[s]}}}", "type", "object", "properties",
	                 "approval_id", "type", "integer", "status", "type", "string", "enum",
	                 "pending");
}

/* The paths and schemas of every register, generated from kinds.c. */
static void add_kinds(json_t *doc)
{
	json_t *paths = json_object_get(doc, "paths");
	json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	json_t *history = json_pack("{s:{s:{s:s}}}", "type", "object", "items", "type", "array");
	for (int i = 0; kw_kinds[i]; i++) {
		const struct kw_kind *k = kw_kinds[i];
		char name[64], base[96], p[128], id[96];
		snprintf(name, sizeof name, "%c%s", k->name[0] - 32, k->name + 1);
		json_t *props = json_object(), *req = json_array();
		for (int f = 0; f < k->nfields; f++) {
			json_object_set_new(props, k->fields[f].name, field_schema(&k->fields[f]));
			if (k->fields[f].flags & KW_FF_REQUIRED)
				json_array_append_new(req, json_string(k->fields[f].name));
		}
		json_t *rec = json_deep_copy(props);
		json_object_del(rec, "grounds");
		json_object_set_new(rec, "id", json_pack("{s:s}", "type", "integer"));
		json_object_set_new(
		        rec, "created_at",
		        json_pack("{s:s, s:s}", "type", "string", "format", "date-time"));
		for (const struct kw_computed *c = k->computed; c && c->name; c++)
			json_object_set_new(rec, c->name,
			                    json_pack("{s:s, s:b}", "type",
			                              c->type == 'b' ? "boolean" : "integer",
			                              "readOnly", 1));
		/* Maker-checker (records.h): a change by hand carries its grounds and waits. */
		int checked = (k->flags & KW_KF_CHECKED) != 0;
		if (checked) {
			json_object_set_new(
			        props, "grounds",
			        json_pack("{s:s, s:s, s:I}", "description",
			                  "New firm evidence or legal grounds for the change "
			                  "(INF-5(5)); the change waits for a second person.",
			                  "type", "string", "maxLength",
			                  (json_int_t)KW_GROUNDS_MAX));
			json_array_append_new(req, json_string("grounds"));
		}
		char newname[80];
		snprintf(newname, sizeof newname, "New%s", name);
		json_object_set_new(schemas, newname,
		                    json_pack("{s:s, s:o, s:o, s:b}", "type", "object",
		                              "properties", props, "required", req,
		                              "additionalProperties", 0));
		json_object_set_new(schemas, name,
		                    json_pack("{s:s, s:o}", "type", "object", "properties", rec));
		snprintf(base, sizeof base, "/api/v1/%s", k->table);
		json_t *csv = json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
		                        "text/csv", "schema", "type", "string");
		snprintf(p, sizeof p, "%s/import", base);
		snprintf(id, sizeof id, "import_%s", k->table);
		json_object_set_new(
		        paths, p,
		        json_pack("{s:o}", "post",
		                  checked ? op(id,
		                               "Import a CSV file, all rows or none "
		                               "(docs/import.md): "
		                               "with the query parameter grounds=, checked row by "
		                               "row "
		                               "now, written when a second person approves the "
		                               "pending approval (202).",
		                               k->en, csv, "202", pending_schema())
		                          : op(id,
		                               "Import a CSV file, all rows or none "
		                               "(docs/import.md).",
		                               k->en, csv, "201",
		                               json_pack("{s:s}", "type", "object"))));
		snprintf(p, sizeof p, "%s/{id}/history", base);
		snprintf(id, sizeof id, "history_%s", k->table);
		json_t *h = op(id, "The record's audit trail, newest first.", k->en, NULL, "200",
		               json_deep_copy(history));
		json_object_set_new(h, "parameters", id_param());
		json_object_set_new(paths, p, json_pack("{s:o}", "get", h));
		if (k->flags & KW_KF_NO_UPDATE)
			continue;
		snprintf(id, sizeof id, "list_%s", k->table);
		json_t *list =
		        op(id,
		           "The records the caller reaches; filters by field, q, limit, cursor; "
		           "format=xlsx exports.",
		           k->en, NULL, "200",
		           json_pack("{s:s, s:{s:{s:s, s:o}, s:{s:s, s:b}}}", "type", "object",
		                     "properties", "items", "type", "array", "items", ref(name),
		                     "next_cursor", "type", "string", "nullable", 1));
		snprintf(id, sizeof id, "create_%s", k->table);
		json_object_set_new(
		        paths, base,
		        json_pack("{s:o, s:o}", "get", list, "post",
		                  checked ? op(id,
		                               "Ask for a record with its grounds: a pending "
		                               "approval "
		                               "(202); written when a second person approves it "
		                               "(INF-4).",
		                               k->en, json_body(newname), "202", pending_schema())
		                          : op(id, "Create a record.", k->en, json_body(newname),
		                               "201", ref(name))));
		snprintf(p, sizeof p, "%s/{id}", base);
		snprintf(id, sizeof id, "get_%s", k->table);
		json_t *g = op(id, "One record, with its ETag.", k->en, NULL, "200", ref(name));
		json_object_set_new(g, "parameters", id_param());
		snprintf(id, sizeof id, "update_%s", k->table);
		json_t *u =
		        checked ? op(id,
		                     "Ask to change fields, with the grounds (\"grounds\"); "
		                     "If-Match "
		                     "with the ETag is required. A pending approval (202), written "
		                     "when a second person approves it (INF-4).",
		                     k->en,
		                     json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
		                               "application/json", "schema", "type", "object"),
		                     "202", pending_schema())
		                : op(id, "Change fields; If-Match with the ETag is required.",
		                     k->en,
		                     json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
		                               "application/json", "schema", "type", "object"),
		                     "200", ref(name));
		json_object_set_new(u, "parameters", id_param());
		json_object_set_new(paths, p, json_pack("{s:o, s:o}", "get", g, "patch", u));
	}
	json_decref(history);
}

json_t *kw_openapi_document(void)
{
	const struct kw_embedded *e = kw_embedded_find("openapi.json");
	json_t *doc = e ? json_loadb(e->data, e->len, 0, NULL) : NULL;
	if (doc)
		add_kinds(doc);
	return doc;
}

int kw_h_openapi(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)req;
	json_t *doc = kw_openapi_document();
	if (!doc)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "openapi.json is missing");
	json_object_set_new(json_object_get(doc, "info"), "version", json_string(KW_VERSION));
	resp->json = doc;
	return 0;
}
