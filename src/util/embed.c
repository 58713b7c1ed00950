#include "util/embed.h"

#include <string.h>

const struct kw_embedded *kw_embedded_find(const char *name)
{
	for (const struct kw_embedded *e = kw_embedded; e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}
