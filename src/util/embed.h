/* Data files compiled into the binary (cmake/embed.cmake). */
#ifndef KW_UTIL_EMBED_H
#define KW_UTIL_EMBED_H
#include <stddef.h>

struct kw_embedded {
	const char *name; /* basename, e.g. "0001_base.sql" */
	const char *data; /* NUL-terminated */
	size_t len;       /* without the NUL */
};

/* The table ends with a {NULL, NULL, 0} entry. */
extern const struct kw_embedded kw_embedded[];

/* The file called `name`, or NULL. */
const struct kw_embedded *kw_embedded_find(const char *name);

#endif
