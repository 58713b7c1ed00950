/*
 * The route table and the OpenAPI document: every endpoint is described, nothing is
 * described that does not exist, and the matcher finds paths, parameters and methods.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/embed.h"

static json_t *openapi(void)
{
	const struct kw_embedded *e = kw_embedded_find("openapi.json");
	assert_non_null(e);
	json_error_t je;
	json_t *doc = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		fail_msg("openapi.json: %s at line %d", je.text, je.line);
	json_decref(doc);
	/* The document served: the file plus the registers' generated paths. */
	doc = kw_openapi_document();
	assert_non_null(doc);
	return doc;
}

static void lower(char *dst, const char *src, size_t n)
{
	size_t i = 0;
	for (; src[i] && i + 1 < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static void every_route_is_in_openapi(void **state)
{
	(void)state;
	json_t *doc = openapi();
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	json_t *paths = json_object_get(doc, "paths");
	int n = 0;
	for (const struct kw_route *r = kw_routes; r->method; r++, n++) {
		char m[16];
		lower(m, r->method, sizeof m);
		json_t *op = json_object_get(json_object_get(paths, r->pattern), m);
		if (!op)
			fail_msg("openapi.json does not describe %s %s", r->method, r->pattern);
		assert_true(json_is_string(json_object_get(op, "operationId")));
		assert_true(json_object_size(json_object_get(op, "responses")) > 0);
	}
	assert_true(n >= 2);
	json_decref(doc);
}

static void openapi_describes_only_real_routes(void **state)
{
	(void)state;
	json_t *doc = openapi();
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		const char *m;
		json_t *op;
		json_object_foreach(item, m, op)
		{
			int found = 0;
			for (const struct kw_route *r = kw_routes; r->method && !found; r++) {
				char lm[16];
				lower(lm, r->method, sizeof lm);
				found = strcmp(r->pattern, path) == 0 && strcmp(lm, m) == 0;
			}
			if (!found)
				fail_msg("openapi.json describes %s %s, which no route serves", m,
				         path);
		}
	}
	json_decref(doc);
}

static void matches_paths_and_methods(void **state)
{
	(void)state;
	const struct kw_route *r;
	const char *params[KW_MAX_PARAMS];
	char *mem = NULL;
	struct kw_buf allow = KW_BUF_INIT;
	kw_buf_init(&allow, 256);

	assert_int_equal(kw_route_match("GET", "/api/v1/health", &r, params, &mem, &allow), 0);
	assert_ptr_equal(r->fn, kw_h_health);
	free(mem);
	/* HEAD is served by the GET route. */
	assert_int_equal(kw_route_match("HEAD", "/api/v1/health", &r, params, &mem, &allow), 0);
	free(mem);
	assert_int_equal(kw_route_match("DELETE", "/api/v1/health", &r, params, &mem, &allow),
	                 KW_EMETHOD);
	assert_string_equal(allow.buf, "GET");
	assert_null(mem);
	assert_int_equal(kw_route_match("GET", "/api/v1/healthz", &r, params, &mem, &allow),
	                 KW_ENOTFOUND);
	assert_int_equal(kw_route_match("GET", "/api/v1/health/", &r, params, &mem, &allow),
	                 KW_ENOTFOUND);
	assert_int_equal(kw_route_match("GET", "/api/v1", &r, params, &mem, &allow), KW_ENOTFOUND);
	kw_buf_release(&allow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(every_route_is_in_openapi),
	        cmocka_unit_test(openapi_describes_only_real_routes),
	        cmocka_unit_test(matches_paths_and_methods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
