/*
 * assets: files compiled into the binary — the default dataset and the dashboard.
 *
 * scripts/gen-assets.sh turns data/vilnius-2023.json and every file in web/
 * into a table at build time, so build/attache runs with no files beside it.
 * Names are the paths in the repository ("data/vilnius-2023.json",
 * "web/index.html"). All bytes are static and read-only, and each asset is
 * followed by a NUL byte not counted in its size.
 */
#ifndef ATTACHE_ASSETS_H
#define ATTACHE_ASSETS_H

#include <stddef.h>
#include <stdint.h>

/* Laid out as the generated table: three 8-byte words per entry. */
struct asset {
	const char *name;
	const unsigned char *data;
	uint64_t size;
};

/* The path of the dataset built in as the default. */
#define ASSETS_DATASET "data/vilnius-2023.json"

/* The JSON Schema of data files, for the OpenAPI document. */
#define ASSETS_SCHEMA "data/schema.json"

/* Returns the asset called name, or NULL. */
const struct asset *assets_find(const char *name);

/* Returns the table of all assets, ended by an entry whose name is NULL. */
const struct asset *assets_all(void);

#endif
