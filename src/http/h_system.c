/* System endpoints: health and the API description. */
#include <string.h>

#include "http/http.h"
#include "util/embed.h"

int kw_h_health(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	int rc = kw_app_health(req->app, &resp->json, err);
	return rc;
}

int kw_h_openapi(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	(void)req;
	const struct kw_embedded *e = kw_embedded_find("openapi.json");
	json_t *doc = e ? json_loadb(e->data, e->len, 0, NULL) : NULL;
	if (!doc)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "openapi.json is missing");
	json_object_set_new(json_object_get(doc, "info"), "version", json_string(KW_VERSION));
	resp->json = doc;
	return 0;
}
