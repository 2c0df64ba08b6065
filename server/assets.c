/*
 * assets: lookups in the generated table of embedded files (see assets.h).
 */
#include "server/assets.h"

#include <string.h>

extern const struct asset attache_assets[];

const struct asset *assets_all(void)
{
	return attache_assets;
}

const struct asset *assets_find(const char *name)
{
	for (const struct asset *a = attache_assets; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}
