/*
 * Public figures during the registration window (issue: "as national platforms publish
 * them"): per position the registrations submitted, approved and pending review, and the
 * competition ratio (approved per place). The page is hammered at the deadline, so the
 * figures are computed at most once per refresh interval per exam — one GROUP BY on a read
 * connection, while other requests keep getting the previous rendering — and served as
 * rendered bytes with an ETag (If-None-Match: 304).
 */
#ifndef KW_APP_STATS_H
#define KW_APP_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

#define KW_STATS_REFRESH_US (INT64_C(30) * 1000000)

struct kw_stats_cache;
struct kw_stats_cache *kw_stats_cache_new(void);
void kw_stats_cache_free(struct kw_stats_cache *c);

/*
 * The figures of published exam id: *body (caller frees, *n bytes) and etag ("\"…\"").
 * NOT_FOUND for an unpublished or unknown exam.
 */
int kw_stats_exam(struct kw_app *app, int64_t id, char **body, size_t *n, char etag[72],
                  struct kw_err *err);

#endif
