/*
 * openapi: the OpenAPI 3.1 document (see openapi.h).
 */
#include "handlers/openapi.h"

#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "handlers/response.h"
#include "handlers/site.h"
#include "lib/jsonw.h"
#include "models/query.h"

/* Copies a cJSON tree into w, pointing "#/$defs/X" references at "#/components/schemas/X". */
static void copy_json(struct jsonw *w, const cJSON *v)
{
	const cJSON *c;

	if (cJSON_IsObject(v)) {
		jsonw_object_begin(w);
		cJSON_ArrayForEach(c, v) {
			jsonw_key(w, c->string);
			if (!strcmp(c->string, "$ref") && cJSON_IsString(c) &&
			    !strncmp(c->valuestring, "#/$defs/", 8)) {
				struct strbuf ref = STRBUF_INIT;

				strbuf_addf(&ref, "#/components/schemas/%s", c->valuestring + 8);
				jsonw_string(w, ref.buf);
				strbuf_release(&ref);
			} else {
				copy_json(w, c);
			}
		}
		jsonw_object_end(w);
	} else if (cJSON_IsArray(v)) {
		jsonw_array_begin(w);
		cJSON_ArrayForEach(c, v)
			copy_json(w, c);
		jsonw_array_end(w);
	} else if (cJSON_IsString(v)) {
		jsonw_string(w, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		/* Integers exactly: cJSON would print 2^53 - 1 in exponent form. */
		if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9.1e15)
			jsonw_int(w, (int64_t)v->valuedouble);
		else
			jsonw_raw(w, "0", 1); /* the schema has no fractions; keep the output valid */
	} else if (cJSON_IsBool(v)) {
		jsonw_bool(w, cJSON_IsTrue(v));
	} else {
		jsonw_null(w);
	}
}

static void ref(struct jsonw *w, const char *key, const char *name)
{
	struct strbuf r = STRBUF_INIT;

	strbuf_addf(&r, "#/components/%s", name);
	jsonw_key(w, key);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "$ref", r.buf);
	jsonw_object_end(w);
	strbuf_release(&r);
}

static void content(struct jsonw *w, const char *media, const char *schema_ref)
{
	jsonw_key(w, "content");
	jsonw_object_begin(w);
	jsonw_key(w, media);
	jsonw_object_begin(w);
	if (schema_ref) {
		ref(w, "schema", schema_ref);
	} else {
		jsonw_key(w, "schema");
		jsonw_object_begin(w);
		jsonw_kv_string(w, "type", strncmp(media, "application/json", 16) ? "string" : "object");
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	jsonw_object_end(w);
}

static void field_parameters(struct jsonw *w, const struct resource *res)
{
	for (size_t i = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];
		struct strbuf d = STRBUF_INIT;
		bool first = true;

		strbuf_addf(&d, "%s (%s). Equality; a,b means either%s. Also %s:op=value with op one of",
			    f->description, field_type_name(f->type),
			    f->type == FIELD_STRINGS ? "; on this array it means contains" : "", f->name);
		for (int op = QUERY_NE; op < QUERY_NOPS; op++) {
			if (!query_op_allowed(f->type, (enum query_op)op))
				continue;
			strbuf_addf(&d, "%s %s", first ? "" : ",", query_op_name((enum query_op)op));
			first = false;
		}
		strbuf_addch(&d, '.');
		if (f->search)
			strbuf_addf(&d, " q searches %s, a match there weighing %d in the ranking.",
				    f->vocab ? "its values' labels" : f->ref ? "the names of the records it names"
				    : "it", f->search);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "name", f->name);
		jsonw_kv_string(w, "in", "query");
		jsonw_kv_bool(w, "required", false);
		jsonw_kv_string(w, "description", d.buf);
		if (f->search)
			jsonw_kv_int(w, "x-search-weight", f->search);
		jsonw_key(w, "schema");
		jsonw_object_begin(w);
		jsonw_kv_string(w, "type", "string");
		jsonw_object_end(w);
		jsonw_object_end(w);
		strbuf_release(&d);
	}
}

static void operation(struct jsonw *w, const struct route *r)
{
	const char *p;

	jsonw_key(w, "get");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "operationId", r->operation);
	jsonw_kv_string(w, "summary", r->summary);
	jsonw_key(w, "parameters");
	jsonw_array_begin(w);
	for (p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');

		jsonw_object_begin(w);
		jsonw_key(w, "name");
		jsonw_string_len(w, p + 1, (size_t)(end - p - 1));
		jsonw_kv_string(w, "in", "path");
		jsonw_kv_bool(w, "required", true);
		jsonw_key(w, "schema");
		jsonw_object_begin(w);
		jsonw_kv_string(w, "type", "string");
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
	if (r->kind == ROUTE_LIST || r->kind == ROUTE_RELATED) {
		static const char *const common[] = { "limit", "offset", "sort", "fields", "facet", "q" };

		for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
			struct strbuf name = STRBUF_INIT;

			strbuf_addf(&name, "#/components/parameters/%s", common[i]);
			jsonw_object_begin(w);
			jsonw_kv_string(w, "$ref", name.buf);
			jsonw_object_end(w);
			strbuf_release(&name);
		}
		field_parameters(w, r->resource);
	} else if (r->kind == ROUTE_RECORD) {
		jsonw_object_begin(w);
		jsonw_kv_string(w, "$ref", "#/components/parameters/fields");
		jsonw_object_end(w);
	}
	jsonw_array_end(w);

	jsonw_key(w, "responses");
	jsonw_object_begin(w);
	jsonw_key(w, "200");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", r->summary);
	if (r->kind == ROUTE_LIST || r->kind == ROUTE_RELATED) {
		struct strbuf list = STRBUF_INIT;

		strbuf_addf(&list, "schemas/%sList", r->resource->schema);
		jsonw_key(w, "headers");
		jsonw_object_begin(w);
		ref(w, "X-Total-Count", "headers/X-Total-Count");
		ref(w, "Link", "headers/Link");
		ref(w, "ETag", "headers/ETag");
		jsonw_object_end(w);
		content(w, "application/json", list.buf);
		strbuf_release(&list);
	} else if (r->kind == ROUTE_RECORD) {
		struct strbuf rec = STRBUF_INIT;

		strbuf_addf(&rec, "schemas/%s", r->resource->schema);
		jsonw_key(w, "headers");
		jsonw_object_begin(w);
		ref(w, "ETag", "headers/ETag");
		jsonw_object_end(w);
		content(w, "application/json", rec.buf);
		strbuf_release(&rec);
	} else if (!strcmp(r->operation, "getIndex")) {
		content(w, "application/json", "schemas/Index");
	} else if (!strcmp(r->media, "application/json")) {
		content(w, "application/json", NULL);
	} else {
		content(w, !strcmp(r->media, "*/*") ? "application/octet-stream" :
			   !strcmp(r->media, "text/plain") ? "text/plain; version=0.0.4" : r->media, NULL);
	}
	jsonw_object_end(w);
	jsonw_key(w, "304");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", "Not Modified: the If-None-Match ETag is current");
	jsonw_object_end(w);
	/* The errors each kind of route gives besides the generic ones under default. */
	if (r->kind != ROUTE_OTHER)
		ref(w, "400", "responses/BadQuery");
	if (r->kind == ROUTE_RECORD || r->kind == ROUTE_RELATED || strchr(r->pattern, '{'))
		ref(w, "404", "responses/NotFound");
	ref(w, "406", "responses/NotAcceptable");
	if (!strcmp(r->operation, "getReady"))
		ref(w, "503", "responses/Draining");
	ref(w, "default", "responses/Problem");
	jsonw_object_end(w);
	jsonw_object_end(w);
}

/* A member whose value is a constant JSON text (checked by the tests, which parse the document). */
static void literal(struct jsonw *w, const char *key, const char *json)
{
	jsonw_key(w, key);
	jsonw_raw(w, json, strlen(json));
}

/*
 * The write methods of a collection (POST) or a record (PUT, PATCH, DELETE)
 * of the store (handlers/write.h). They are answered only when the server
 * runs with --data and --tokens; otherwise 405, as the document says.
 */
static void write_operations(struct jsonw *w, const struct route *r)
{
	static const struct {
		const char *method, *prefix, *summary;
		bool record, body, if_match;
		const char *media, *ok;
	} ops[] = {
		{ "post", "create", "Creates a record from the body (its key is the body's); "
		  "Idempotency-Key makes a retry safe", false, true, false, "application/json", "201" },
		{ "put", "replace", "Replaces the whole record; the body's key is the URL's", true, true,
		  true, "application/json", "200" },
		{ "patch", "patch", "Changes the record by a JSON Merge Patch (RFC 7396); its key cannot "
		  "change", true, true, true, "application/merge-patch+json", "200" },
		{ "delete", "delete", "Deletes the record, unless other records refer to it", true, false,
		  true, NULL, "204" },
	};
	const struct resource *res = r->resource;
	struct strbuf id = STRBUF_INIT, rec = STRBUF_INIT;

	if (!res || store_which(res) >= STORE_NCOLLECTIONS ||
	    (r->kind != ROUTE_LIST && r->kind != ROUTE_RECORD))
		return;
	strbuf_addf(&rec, "schemas/%s", res->schema);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (ops[i].record != (r->kind == ROUTE_RECORD))
			continue;
		strbuf_reset(&id);
		strbuf_addf(&id, "%s%c%s", ops[i].prefix, res->singular[0] - 'a' + 'A', res->singular + 1);
		jsonw_key(w, ops[i].method);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "operationId", id.buf);
		jsonw_kv_string(w, "summary", ops[i].summary);
		jsonw_key(w, "security");
		jsonw_raw(w, "[{\"bearer\":[]}]", 15);
		jsonw_key(w, "parameters");
		jsonw_array_begin(w);
		if (ops[i].record) {
			const char *p = strchr(r->pattern, '{'), *end = strchr(p, '}');

			jsonw_object_begin(w);
			jsonw_key(w, "name");
			jsonw_string_len(w, p + 1, (size_t)(end - p - 1));
			jsonw_kv_string(w, "in", "path");
			jsonw_kv_bool(w, "required", true);
			literal(w, "schema", "{\"type\":\"string\"}");
			jsonw_object_end(w);
		}
		jsonw_object_begin(w);
		jsonw_kv_string(w, "$ref", ops[i].if_match ? "#/components/parameters/If-Match"
							 : "#/components/parameters/Idempotency-Key");
		jsonw_object_end(w);
		jsonw_array_end(w);
		if (ops[i].body) {
			jsonw_key(w, "requestBody");
			jsonw_object_begin(w);
			jsonw_kv_bool(w, "required", true);
			if (!strcmp(ops[i].method, "patch"))
				content(w, ops[i].media, NULL);
			else
				content(w, ops[i].media, rec.buf);
			jsonw_object_end(w);
		}
		jsonw_key(w, "responses");
		jsonw_object_begin(w);
		jsonw_key(w, ops[i].ok);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "description", !strcmp(ops[i].ok, "204") ? "Deleted, on disk"
				: "The record as it is now served, on disk");
		if (strcmp(ops[i].ok, "204")) {
			jsonw_key(w, "headers");
			jsonw_object_begin(w);
			ref(w, "ETag", "headers/ETag");
			if (!strcmp(ops[i].ok, "201"))
				ref(w, "Location", "headers/Location");
			jsonw_object_end(w);
			content(w, "application/json", rec.buf);
		}
		jsonw_object_end(w);
		ref(w, "400", "responses/BadBody");
		ref(w, "401", "responses/Unauthorized");
		if (ops[i].record)
			ref(w, "404", "responses/NotFound");
		ref(w, "405", "responses/WritesOff");
		ref(w, "409", "responses/Conflict");
		if (ops[i].if_match) {
			ref(w, "412", "responses/PreconditionFailed");
			ref(w, "428", "responses/PreconditionRequired");
		}
		if (ops[i].body) {
			ref(w, "413", "responses/TooLarge");
			ref(w, "415", "responses/UnsupportedMediaType");
			ref(w, "422", "responses/Invalid");
		}
		ref(w, "503", "responses/WriteFailed");
		ref(w, "507", "responses/DiskFull");
		ref(w, "default", "responses/Problem");
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
	strbuf_release(&id);
	strbuf_release(&rec);
}

static void problem_response(struct jsonw *w, const char *name, const char *description)
{
	jsonw_key(w, name);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", description);
	content(w, "application/problem+json", "schemas/Problem");
	jsonw_object_end(w);
}

static void param(struct jsonw *w, const char *name, const char *type, const char *desc)
{
	jsonw_key(w, name);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "name", name);
	jsonw_kv_string(w, "in", "query");
	jsonw_kv_bool(w, "required", false);
	jsonw_kv_string(w, "description", desc);
	jsonw_key(w, "schema");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", type);
	if (!strcmp(name, "limit")) {
		jsonw_kv_int(w, "minimum", 0);
		jsonw_kv_int(w, "maximum", QUERY_MAX_LIMIT);
		jsonw_kv_int(w, "default", QUERY_DEFAULT_LIMIT);
	} else if (!strcmp(name, "offset")) {
		jsonw_kv_int(w, "minimum", 0);
		jsonw_kv_int(w, "default", 0);
	}
	jsonw_object_end(w);
	jsonw_object_end(w);
}

static void list_schema(struct jsonw *w, const char *record)
{
	struct strbuf name = STRBUF_INIT, item = STRBUF_INIT;

	strbuf_addf(&name, "%sList", record);
	strbuf_addf(&item, "#/components/schemas/%s", record);
	jsonw_key(w, name.buf);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "object");
	jsonw_key(w, "required");
	jsonw_strings(w, (const char *const[]){ "data", "meta", "links" }, 3);
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	jsonw_key(w, "data");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "array");
	jsonw_key(w, "items");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "$ref", item.buf);
	jsonw_object_end(w);
	jsonw_object_end(w);
	ref(w, "meta", "schemas/ListMeta");
	ref(w, "links", "schemas/ListLinks");
	jsonw_object_end(w);
	jsonw_object_end(w);
	strbuf_release(&name);
	strbuf_release(&item);
}

static void components(struct jsonw *w, const struct store *s, const cJSON *defs)
{
	const cJSON *d;

	jsonw_key(w, "components");
	jsonw_object_begin(w);

	jsonw_key(w, "schemas");
	jsonw_object_begin(w);
	cJSON_ArrayForEach(d, defs) {
		jsonw_key(w, d->string);
		copy_json(w, d);
	}
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		list_schema(w, store_collection(s, (enum store_collection)i)->res->schema);
	list_schema(w, change_resource.schema);
	literal(w, "Change",
		"{\"type\":\"object\",\"description\":\"One write made through the API\","
		"\"required\":[\"seq\",\"at\",\"writer\",\"op\",\"collection\",\"id\",\"etag\"],"
		"\"additionalProperties\":false,\"properties\":{"
		"\"seq\":{\"type\":\"integer\",\"minimum\":1},\"at\":{\"type\":\"string\"},"
		"\"writer\":{\"type\":\"string\"},"
		"\"op\":{\"enum\":[\"create\",\"replace\",\"patch\",\"delete\"]},"
		"\"collection\":{\"type\":\"string\"},\"id\":{\"type\":\"string\"},"
		"\"etag\":{\"type\":[\"string\",\"null\"]}}}");
	literal(w, "ListMeta",
		"{\"type\":\"object\",\"required\":[\"total\",\"limit\",\"offset\"],\"properties\":"
		"{\"total\":{\"type\":\"integer\"},\"limit\":{\"type\":\"integer\"},"
		"\"offset\":{\"type\":\"integer\"},\"search\":{\"type\":\"object\","
		"\"description\":\"With q: the query as understood. words: its folded words in order; terms: "
		"its single words, prefix when a word matches the words it begins; phrases: the words that "
		"must come in a row\",\"required\":[\"q\",\"words\",\"terms\",\"phrases\"],\"properties\":{"
		"\"q\":{\"type\":\"string\"},\"words\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
		"\"terms\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
		"\"word\":{\"type\":\"string\"},\"prefix\":{\"type\":\"boolean\"}}}},"
		"\"phrases\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}},"
		"\"facets\":{\"type\":\"object\","
		"\"description\":\"For each field in facet=, its values over all matches, most "
		"common first, records without a value last as null\",\"additionalProperties\":"
		"{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"value\":{},"
		"\"count\":{\"type\":\"integer\"}}}}}}}");
	literal(w, "Index",
		"{\"type\":\"object\",\"required\":[\"dataset\",\"counts\",\"links\"],\"properties\":{"
		"\"dataset\":{\"$ref\":\"#/components/schemas/Dataset\"},"
		"\"counts\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
		"\"links\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}}");
	literal(w, "ListLinks",
		"{\"type\":\"object\",\"properties\":{\"self\":{\"type\":\"string\"},"
		"\"next\":{\"type\":[\"string\",\"null\"]},\"prev\":{\"type\":[\"string\",\"null\"]}}}");
	literal(w, "Problem",
		"{\"type\":\"object\",\"description\":\"RFC 9457 problem details\","
		"\"required\":[\"type\",\"title\",\"status\",\"detail\"],\"properties\":{"
		"\"type\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},"
		"\"status\":{\"type\":\"integer\"},\"detail\":{\"type\":\"string\"},"
		"\"instance\":{\"type\":\"string\"},\"request_id\":{\"type\":\"string\"},"
		"\"parameter\":{\"type\":\"string\",\"description\":\"The query parameter at fault\"},"
		"\"allowed\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
		"\"description\":\"What the parameter could have been\"}}}");
	jsonw_object_end(w);

	jsonw_key(w, "parameters");
	jsonw_object_begin(w);
	param(w, "limit", "integer", "Records per page, 0 to 1000 (default 50)");
	param(w, "offset", "integer", "Records to skip (default 0)");
	param(w, "sort", "string", "Sort keys, comma-separated, '-' for descending; stable; nulls last. "
	      "A field whose values come from a vocabulary sorts in the vocabulary's declared order");
	param(w, "fields", "string", "Only these top-level members in each record, comma-separated");
	param(w, "facet", "string", "Add meta.facets with the count of each value of these fields");
	literal(w, "If-Match", "{\"name\":\"If-Match\",\"in\":\"header\",\"required\":true,"
		"\"description\":\"The record's ETag as last read (or *): the change is refused with 412 if "
		"the record changed since\",\"schema\":{\"type\":\"string\"}}");
	literal(w, "Idempotency-Key", "{\"name\":\"Idempotency-Key\",\"in\":\"header\","
		"\"required\":false,\"description\":\"A retry with the same key and body gets the first "
		"answer again, and creates nothing; the same key with another body is 422\","
		"\"schema\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255}}");
	param(w, "q", "string", "Words and \"quoted phrases\", at most 16 words and 256 bytes. Case, "
	      "diacritics and compatibility forms are folded by Unicode rules. Every term must match, in "
	      "any field, in any order: a word matches the words it begins, a quoted word only itself, a "
	      "phrase its words in a row within one field. The searched fields are those with "
	      "x-search-weight; with q and no sort the best matches come first, and meta.search says how "
	      "the query was understood");
	jsonw_object_end(w);

	literal(w, "securitySchemes", "{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\","
		"\"description\":\"A token made by attache --new-token NAME; the server keeps its SHA-256 "
		"(--tokens FILE)\"}}");

	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	literal(w, "X-Total-Count", "{\"description\":\"Records matching, before paging\","
		"\"schema\":{\"type\":\"integer\"}}");
	literal(w, "Link", "{\"description\":\"RFC 8288 links: first, prev, next, last\","
		"\"schema\":{\"type\":\"string\"}}");
	literal(w, "ETag", "{\"description\":\"Strong validator; send it back in If-None-Match, or in "
		"If-Match to change the record it tags\",\"schema\":{\"type\":\"string\"}}");
	literal(w, "Location", "{\"description\":\"The URL of the record created\","
		"\"schema\":{\"type\":\"string\"}}");
	literal(w, "WWW-Authenticate", "{\"description\":\"Bearer realm=\\\"attache\\\", with "
		"error=\\\"invalid_token\\\" for a token that is not one of the server's (RFC 6750)\","
		"\"schema\":{\"type\":\"string\"}}");
	jsonw_object_end(w);

	jsonw_key(w, "responses");
	jsonw_object_begin(w);
	problem_response(w, "Problem", "An error: 400 bad query or framing, 404 unknown path or record, "
			 "405 wrong method, 406 Accept excludes the media type, 413/414/431 too large, "
			 "501 unknown method or transfer coding, 503 not ready");
	problem_response(w, "BadQuery", "A parameter, field, operator or value the resource does not "
			 "have; the problem names it (parameter) and lists what would do (allowed)");
	problem_response(w, "NotFound", "No record with that key");
	problem_response(w, "NotAcceptable", "The Accept header excludes this resource's media type");
	problem_response(w, "Draining", "The server is shutting down");
	problem_response(w, "BadBody", "The body is not JSON, has a key twice in an object, is not "
			 "UTF-8, or has text after its value; or Idempotency-Key is malformed");
	jsonw_key(w, "Unauthorized");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", "No token, or one that is not the server's");
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	ref(w, "WWW-Authenticate", "headers/WWW-Authenticate");
	jsonw_object_end(w);
	content(w, "application/problem+json", "schemas/Problem");
	jsonw_object_end(w);
	problem_response(w, "WritesOff", "Writes are off: the server runs without --data and --tokens "
			 "(Allow: GET, HEAD, OPTIONS)");
	problem_response(w, "Conflict", "The key exists already (POST), or other records refer to the "
			 "record (DELETE; the detail names them)");
	problem_response(w, "PreconditionFailed", "If-Match is not the record's current ETag, which "
			 "the answer's ETag header gives");
	problem_response(w, "PreconditionRequired", "PUT, PATCH and DELETE need If-Match");
	problem_response(w, "TooLarge", "The body is over max-body-size");
	problem_response(w, "UnsupportedMediaType", "The body is not application/json (PATCH: "
			 "application/merge-patch+json)");
	problem_response(w, "Invalid", "The record breaks rules of the data: errors lists every "
			 "violation, {pointer (RFC 6901, into the body), detail}");
	problem_response(w, "WriteFailed", "The write could not be made durable (an I/O error); "
			 "nothing of it was applied");
	problem_response(w, "DiskFull", "The disk is full; nothing of the write was applied");
	jsonw_object_end(w);

	jsonw_object_end(w);
}

void handle_openapi(const struct request *req, struct response *res)
{
	response_blob(res, &req->serving->site->openapi);
}

void openapi_render(const struct store *s, const char *schema, size_t schema_len,
		    const struct route *routes, size_t nroutes, struct strbuf *out)
{
	const struct dataset *d = store_dataset(s);
	cJSON *root = cJSON_ParseWithLength(schema, schema_len);
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(root, "$defs");
	struct strbuf desc = STRBUF_INIT;
	struct jsonw w;

	strbuf_addf(&desc, "attache serves the dataset \"%s\" (version %s). Lists take the query "
		    "grammar: field=a,b, field:op=value, q, sort, limit, offset, fields, facet. "
		    "Errors are RFC 9457 problem details.", d->title, d->version);
	jsonw_init(&w, out, false);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "openapi", "3.1.0");
	jsonw_key(&w, "info");
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "title", "attache");
	jsonw_kv_string(&w, "version", ATTACHE_VERSION);
	jsonw_kv_string(&w, "description", desc.buf);
	jsonw_object_end(&w);
	jsonw_key(&w, "servers");
	jsonw_raw(&w, "[{\"url\":\"/\"}]", 13);
	/* Reads are public; the write operations ask for a bearer token each. */
	jsonw_key(&w, "security");
	jsonw_raw(&w, "[]", 2);
	jsonw_key(&w, "paths");
	jsonw_object_begin(&w);
	for (size_t i = 0; i < nroutes; i++) {
		jsonw_key(&w, routes[i].pattern);
		jsonw_object_begin(&w);
		operation(&w, &routes[i]);
		write_operations(&w, &routes[i]);
		jsonw_object_end(&w);
	}
	jsonw_object_end(&w);
	components(&w, s, defs);
	jsonw_object_end(&w);
	jsonw_release(&w);
	cJSON_Delete(root);
	strbuf_release(&desc);
}
