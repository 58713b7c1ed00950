/*
 * GET /api/v1/catalogues/{id}: a violation catalogue as kaowu applies it (core/catalogue.h;
 * VIO-0 … VIO-7): the embedded data file of "VH" or "ORDER31" (either case), whole — the
 * acts with their articles, stages, penalties and deciders, the procedure, the letter and
 * notice templates. Public law text, public like the exams; the case pages fill their
 * choice of the act from it. NOT_FOUND for another id.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalogue.h"
#include "http/http.h"
#include "util/embed.h"

int kw_h_catalogue_get(struct kw_req *req, struct kw_resp *resp, struct kw_err *err)
{
	const char *p = req->params[0];
	char id[16];
	size_t n = p ? strlen(p) : 0;
	if (n == 0 || n >= sizeof id)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such catalogue");
	for (size_t i = 0; i <= n; i++)
		id[i] = (char)toupper((unsigned char)p[i]);
	const char *file = kw_catalogue_file(id);
	const struct kw_embedded *e = file ? kw_embedded_find(file) : NULL;
	if (!e)
		return kw_err_set(err, KW_ENOTFOUND, "NOT_FOUND", NULL, "no such catalogue");
	resp->raw = kw_xmalloc(e->len);
	memcpy(resp->raw, e->data, e->len);
	resp->raw_len = e->len;
	resp->raw_type = "application/json; charset=utf-8";
	return 0;
}
