/*
 * openapi: the OpenAPI 3.1 description of the API, generated from the route
 * table, the resources' field tables and the data file's JSON Schema, so it
 * cannot drift from what the server does.
 */
#ifndef ATTACHE_OPENAPI_H
#define ATTACHE_OPENAPI_H

#include <stddef.h>

#include "handlers/handler.h"
#include "handlers/route.h"
#include "lib/strbuf.h"
#include "models/store.h"

/*
 * Renders the document into out. schema is data/schema.json (its $defs become
 * the record schemas); routes is the server's table.
 */
void openapi_render(const struct store *s, const char *schema, size_t schema_len,
		    const struct route *routes, size_t nroutes, struct strbuf *out);

/* GET /api/v1/openapi.json: the document rendered when the data was loaded. */
void handle_openapi(const struct request *req, struct response *res);

#endif
