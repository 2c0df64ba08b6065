/*
 * openapi: the OpenAPI 3.1 document (see openapi.h).
 *
 * The document is generated, so that it says what the server does:
 *   - paths and operations from the route table: each path answers GET, HEAD
 *     and OPTIONS, and the other methods OpenAPI names are declared as what
 *     they get, a 405 with Allow;
 *   - the list grammar from the resources' field and member tables: one
 *     query parameter per field and per operator its type takes (models/
 *     query.c's own query_op_allowed), sort, facet and fields as arrays of
 *     the names the engine accepts, and a schema for projected records;
 *   - the record schemas from data/schema.json, with every member required,
 *     as the API renders every member; the problems' titles from the status
 *     table; the dashboard's media types from handlers/webroot.c;
 *   - the formats of lists and records (JSON, CSV, NDJSON; format=, bom=,
 *     limit=all) from handlers/format.c's table.
 * What is written out here is what the handlers and the server do on every
 * answer (the headers, the bodies of stats, health and readiness); the
 * conformance check (tests/conformance) holds all of it to the live server.
 */
#include "handlers/openapi.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "handlers/format.h"
#include "handlers/list.h"
#include "handlers/meta.h"
#include "handlers/response.h"
#include "handlers/site.h"
#include "handlers/webroot.h"
#include "handlers/write.h"
#include "lib/jsonw.h"
#include "lib/mem.h"
#include "models/query.h"
#include "models/search.h"

#define MAX_RESOURCES 16

/* What the document says of one route, worked out from its row. */
struct route_doc {
	const struct route *r;
	const char *tag;
	const char *schema;         /* components/schemas name of a JSON 200 that is not records */
	bool list;                  /* the list grammar applies */
	bool record;                /* one record: takes fields= only */
	bool keyed;                 /* a path parameter: 404 when nothing answers to it */
	bool files;                 /* the dashboard's files: any of its media types */
	bool html;                  /* its 200 is HTML: Content-Security-Policy */
	bool no_store;              /* its 200 is never stored */
	bool unavailable;           /* 503 while the server drains */
	bool busy;                  /* 503 with Retry-After: an expensive query past max-expensive-queries */
};

/* The routes whose 200 is not records, by handler. /metrics, the one text/plain route, is never stored. */
static const struct {
	handler_fn *get;
	const char *schema;
	bool no_store;
	bool unavailable;
} bodies[] = {
	{ handle_index, "Index", false, false },
	{ handle_stats, "Stats", false, false },
	{ handle_openapi, "OpenApi", false, false },
	{ handle_healthz, "Health", true, false },
	{ handle_readyz, "Ready", true, true },
};

/* The methods besides GET, HEAD and OPTIONS that OpenAPI names: each gets 405. */
static const char *const refused[] = { "put", "post", "delete", "patch", "trace" };

static const char *const tag_api = "api", *const tag_service = "service",
		  *const tag_dashboard = "dashboard", *const tag_refused = "methods not allowed";

static void describe(const struct route *r, struct route_doc *d)
{
	memset(d, 0, sizeof(*d));
	d->r = r;
	d->list = r->kind == ROUTE_LIST || r->kind == ROUTE_RELATED;
	/* Every list query is priced by the budget (handlers/list.c), exports too. */
	d->busy = d->list;
	d->record = r->kind == ROUTE_RECORD;
	d->keyed = strchr(r->pattern, '{') != NULL;
	d->files = r->get == handle_web && d->keyed;
	d->html = !strncmp(r->media, "text/html", 9);
	d->no_store = !strcmp(r->media, "text/plain");
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		if (bodies[i].get != r->get)
			continue;
		d->schema = bodies[i].schema;
		d->no_store = bodies[i].no_store;
		d->unavailable = bodies[i].unavailable;
	}
	if (r->resource)
		d->tag = r->resource->name;
	else if (!strncmp(r->pattern, "/api/", 5))
		d->tag = tag_api;
	else if (r->get == handle_web)
		d->tag = tag_dashboard;
	else
		d->tag = tag_service;
}

/* ---- writing helpers ---- */

static void vref(struct jsonw *w, const char *fmt, va_list ap)
{
	struct strbuf r = STRBUF_INIT;

	strbuf_addstr(&r, "#/components/");
	strbuf_vaddf(&r, fmt, ap);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "$ref", r.buf);
	jsonw_object_end(w);
	strbuf_release(&r);
}

/* {"$ref": "#/components/..."} */
static void ref(struct jsonw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ref(struct jsonw *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vref(w, fmt, ap);
	va_end(ap);
}

/* "key": {"$ref": "#/components/..."} */
static void kv_ref(struct jsonw *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void kv_ref(struct jsonw *w, const char *key, const char *fmt, ...)
{
	va_list ap;

	jsonw_key(w, key);
	va_start(ap, fmt);
	vref(w, fmt, ap);
	va_end(ap);
}

/* A key (NULL: an array's item) whose value is a constant JSON text (the tests parse it all). */
static void literal(struct jsonw *w, const char *key, const char *json)
{
	if (key)
		jsonw_key(w, key);
	jsonw_raw(w, json, strlen(json));
}

static void kv_printf(struct jsonw *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void kv_printf(struct jsonw *w, const char *key, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	jsonw_kv_string(w, key, sb.buf);
	strbuf_release(&sb);
}

/* Ends a schema object that allows no members besides its properties. */
static void closed_end(struct jsonw *w)
{
	jsonw_kv_bool(w, "additionalProperties", false);
	jsonw_object_end(w);
}

/* "listDeals" -> "headListDeals" */
static void operation_id(struct jsonw *w, const char *prefix, const char *op)
{
	struct strbuf id = STRBUF_INIT;

	strbuf_addstr(&id, prefix);
	strbuf_addch(&id, (char)(op[0] >= 'a' && op[0] <= 'z' ? op[0] - 'a' + 'A' : op[0]));
	strbuf_addstr(&id, op + 1);
	jsonw_kv_string(w, "operationId", id.buf);
	strbuf_release(&id);
}

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
				struct strbuf r = STRBUF_INIT;

				strbuf_addf(&r, "#/components/schemas/%s", c->valuestring + 8);
				jsonw_string(w, r.buf);
				strbuf_release(&r);
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

/* ---- the list grammar as parameters ---- */

/* What a filter means, per operator, for scalars and for arrays. */
static const char *const op_meaning[][2] = {
	[QUERY_EQ] = { "equal to one of the values (a,b: either)",
		       "holds one of the values (a,b: either)" },
	[QUERY_NE] = { "equal to none of the values (records without one match)",
		       "holds none of the values" },
	[QUERY_GT] = { "greater than the value (records without one never match)", NULL },
	[QUERY_GTE] = { "at least the value (records without one never match)", NULL },
	[QUERY_LT] = { "less than the value (records without one never match)", NULL },
	[QUERY_LTE] = { "at most the value (records without one never match)", NULL },
	[QUERY_CONTAINS] = { "contains the text", "has an item that contains the text" },
	[QUERY_STARTSWITH] = { "starts with the text", "has an item that starts with the text" },
	[QUERY_ISNULL] = { "true: has no value; false: has one", "true: is empty; false: is not" },
};

/* The JSON Schema type of one value of field type t. */
static const char *value_type(enum field_type t)
{
	return t == FIELD_INTEGER ? "integer" : t == FIELD_BOOLEAN ? "boolean" : "string";
}

/* The schema of one value of field type t ("null" too when nullable). */
static void value_schema(struct jsonw *w, enum field_type t, bool nullable)
{
	jsonw_object_begin(w);
	jsonw_key(w, "type");
	if (nullable) {
		jsonw_array_begin(w);
		jsonw_string(w, value_type(t));
		jsonw_string(w, "null");
		jsonw_array_end(w);
	} else {
		jsonw_string(w, value_type(t));
	}
	if (t == FIELD_BOOLEAN) {
		/* true or false, nothing to add */
	} else if (t == FIELD_INTEGER) {
		jsonw_kv_string(w, "format", "int64");
	} else if (t == FIELD_DATE) {
		jsonw_kv_string(w, "format", "date");
		if (!nullable)
			jsonw_kv_string(w, "pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
	} else if (!nullable) {
		jsonw_kv_int(w, "minLength", 1);
	}
	jsonw_object_end(w);
}

/* A query parameter that is a comma list: style form, not exploded. */
static void comma_list(struct jsonw *w)
{
	jsonw_kv_string(w, "style", "form");
	jsonw_kv_bool(w, "explode", false);
}

/*
 * Starts components.parameters["<res>.<key>"] (key NULL: name; res NULL: a
 * parameter every resource shares, keyed by its name alone), a query
 * parameter called name with its description; the caller writes its schema
 * and ends the object. (A component's name cannot hold the ':' of
 * "date:gte": its key is "date-gte".)
 */
static void param_begin(struct jsonw *w, const struct resource *res, const char *key,
			const char *name, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void param_begin(struct jsonw *w, const struct resource *res, const char *key,
			const char *name, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (res)
		strbuf_addf(&sb, "%s.", res->name);
	strbuf_addstr(&sb, key ? key : name);
	jsonw_key(w, sb.buf);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "name", name);
	jsonw_kv_string(w, "in", "query");
	strbuf_reset(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	jsonw_kv_string(w, "description", sb.buf);
	strbuf_release(&sb);
}

/*
 * One filter parameter: "field" (op < 0) or "field:op". A field named as a
 * parameter that is not a field (a meeting's format) has no bare form: its
 * equality is "field:eq" alone.
 */
static void filter_parameter(struct jsonw *w, const struct resource *res, const struct field *f,
			     int op)
{
	const enum query_op o = op < 0 ? QUERY_EQ : (enum query_op)op;
	const bool array = f->type == FIELD_STRINGS, text = f->type == FIELD_STRING || array;
	const bool only_eq = o == QUERY_EQ && query_reserved(f->name);
	struct strbuf key = STRBUF_INIT, name = STRBUF_INIT, end = STRBUF_INIT;

	strbuf_addstr(&key, f->name);
	strbuf_addstr(&name, f->name);
	if (op >= 0) {
		strbuf_addf(&key, "-%s", query_op_name(o));
		strbuf_addf(&name, ":%s", query_op_name(o));
	}
	strbuf_addch(&end, '.');
	if (only_eq)
		strbuf_addf(&end, " %s= itself is the parameter of that name, so equality on this "
			    "field is written %s:eq=.", f->name, f->name);
	if (op < 0 || only_eq)
		strbuf_addstr(&end, " Repeat the parameter to require each.");
	if (o == QUERY_EQ && f->search)
		strbuf_addf(&end, " q searches %s, a match there weighing %d in the ranking.",
			    f->vocab ? "its values' labels" : f->ref ? "the names and aliases of the "
			    "records it names" : "it", f->search);
	param_begin(w, res, key.buf, name.buf, "%s (%s): %s%s%s%s", f->description, field_type_name(f->type),
		    op_meaning[o][array && op_meaning[o][1] ? 1 : 0],
		    text && o != QUERY_ISNULL ? ", ignoring ASCII case" : "",
		    f->type == FIELD_DATE && o == QUERY_STARTSWITH ? " of the date (2023-07)" : "",
		    end.buf);
	/* What an equality parameter says of its field: its searching, its vocabulary, what it names. */
	if (o == QUERY_EQ && f->search)
		jsonw_kv_int(w, "x-search-weight", f->search);
	if (o == QUERY_EQ && f->vocab)
		jsonw_kv_string(w, "x-vocabulary", f->vocab);
	if (o == QUERY_EQ && f->ref)
		jsonw_kv_string(w, "x-references", f->ref->name);
	jsonw_key(w, "schema");
	switch (o) {
	case QUERY_EQ:
	case QUERY_NE:
		jsonw_object_begin(w);
		jsonw_kv_string(w, "type", "array");
		jsonw_kv_int(w, "minItems", 1);
		jsonw_kv_int(w, "maxItems", QUERY_MAX_VALUES);
		jsonw_key(w, "items");
		value_schema(w, f->type, false);
		jsonw_object_end(w);
		comma_list(w);
		break;
	case QUERY_ISNULL:
		jsonw_raw(w, "{\"type\":\"boolean\"}", 18);
		break;
	case QUERY_CONTAINS:
	case QUERY_STARTSWITH:
		value_schema(w, FIELD_STRING, false);
		break;
	default:
		value_schema(w, f->type, false);
		break;
	}
	jsonw_object_end(w);
	strbuf_release(&key);
	strbuf_release(&name);
	strbuf_release(&end);
}

/* The names of the fields of res with flag (0: its top-level members), also as "-name" and "+name" when signed. */
static void field_names(struct jsonw *w, const struct resource *res, unsigned flag, bool signed_)
{
	static const char *const signs[] = { "", "-", "+" };
	struct strbuf sb = STRBUF_INIT;

	jsonw_array_begin(w);
	for (size_t i = 0; !flag && i < res->nmembers; i++)
		jsonw_string(w, res->members[i].name);
	for (size_t s = 0; flag && s < (signed_ ? 3u : 1u); s++) {
		for (size_t i = 0; i < res->nfields; i++) {
			if (!(res->fields[i].flags & flag))
				continue;
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s%s", signs[s], res->fields[i].name);
			jsonw_string(w, sb.buf);
		}
	}
	jsonw_array_end(w);
	strbuf_release(&sb);
}

/*
 * Starts "schema": a comma list of the names field_names() gives, at most
 * max_items (0: no bound); the caller may add keywords, then ends it.
 */
static void names_schema_begin(struct jsonw *w, const struct resource *res, unsigned flag,
			       bool signed_, int max_items)
{
	jsonw_key(w, "schema");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "array");
	jsonw_kv_int(w, "minItems", 1);
	if (max_items)
		jsonw_kv_int(w, "maxItems", max_items);
	jsonw_key(w, "items");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "string");
	jsonw_key(w, "enum");
	field_names(w, res, flag, signed_);
	jsonw_object_end(w);
}

/* Each sortable field at most once in sort=, whatever its sign: one "contains" bound per field. */
static void sort_once(struct jsonw *w, const struct resource *res)
{
	struct strbuf sb = STRBUF_INIT;

	jsonw_key(w, "allOf");
	jsonw_array_begin(w);
	for (size_t i = 0; i < res->nfields; i++) {
		const char *n = res->fields[i].name;

		if (!(res->fields[i].flags & FIELD_SORT))
			continue;
		jsonw_object_begin(w);
		jsonw_key(w, "contains");
		jsonw_object_begin(w);
		jsonw_key(w, "enum");
		jsonw_array_begin(w);
		for (const char *sign = ""; sign; sign = *sign ? (*sign == '-' ? "+" : NULL) : "-") {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s%s", sign, n);
			jsonw_string(w, sb.buf);
		}
		jsonw_array_end(w);
		jsonw_object_end(w);
		jsonw_kv_int(w, "minContains", 0);
		jsonw_kv_int(w, "maxContains", 1);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	strbuf_release(&sb);
}

/* The parameters of res's lists (list) and of one record (fields= only). */
static void resource_parameters(struct jsonw *w, const struct resource *res, bool list)
{
	struct strbuf searched = STRBUF_INIT;

	param_begin(w, res, NULL, "fields", "Only these top-level members in each %s, in this order (one "
		    "asked twice is shown once). The answer is then a %sFields, whose members are "
		    "not required.", res->singular, res->schema);
	names_schema_begin(w, res, 0, false, 0);
	jsonw_object_end(w);
	comma_list(w);
	jsonw_object_end(w);
	if (!list)
		return;

	param_begin(w, res, NULL, "sort", "Sort keys, most significant first: a field for ascending, "
		    "-field for descending (+field is ascending too; send + as %%2B). Stable: ties keep "
		    "the data file's order. Records without a value come last either way. A field "
		    "whose values come from a dataset vocabulary (x-vocabulary) sorts in the "
		    "vocabulary's declared order, values it lacks after, in their own order. A field "
		    "may be named once; at most %d keys.", QUERY_MAX_SORT);
	names_schema_begin(w, res, FIELD_SORT, true, QUERY_MAX_SORT);
	sort_once(w, res);
	jsonw_object_end(w);
	comma_list(w);
	jsonw_object_end(w);

	param_begin(w, res, NULL, "facet", "Adds meta.facets: for each of these fields, its values over "
		    "all the matches with their counts, most common first, records without a value "
		    "last as null. At most %d different fields.", QUERY_MAX_FACETS);
	names_schema_begin(w, res, FIELD_FACET, false, 0);
	jsonw_object_end(w);
	comma_list(w);
	jsonw_object_end(w);

	for (size_t i = 0; i < res->nfields; i++)
		if (res->fields[i].search)
			strbuf_addf(&searched, "%s%s", searched.len ? ", " : "", res->fields[i].name);
	param_begin(w, res, NULL, "q", "A word search over the %s's searched fields (%s; each "
		    "equality parameter gives its field's x-search-weight): words and \"quoted "
		    "phrases\", at most %d words and %d bytes; blank: no search. Text and query are "
		    "folded alike by Unicode rules (full case folding with compatibility "
		    "decomposition, non-spacing marks dropped, then recomposed), and a word is a run "
		    "of letters, marks and digits. Every term must match, in any field, in any order: "
		    "a word matches the words it begins; a quoted word only itself; a phrase, or a "
		    "chunk with punctuation inside (U.K.), its words in a row within one value. A "
		    "vocabulary field is searched by its values' labels, a field naming records by "
		    "their names and aliases. With no sort, the best matches come first: each term "
		    "scores twice the weight of the best field it matches in, plus one for a whole "
		    "word; a record's score is the sum, ties in the data file's order. meta.search "
		    "says how the query was understood. An unterminated or empty phrase, no word, too "
		    "many words or bytes, or invalid UTF-8 is a 400.",
		    res->singular, searched.buf, SEARCH_MAX_WORDS, SEARCH_MAX_BYTES);
	literal(w, "schema", "{\"type\":\"string\"}");
	jsonw_key(w, "x-searched-fields");
	jsonw_array_begin(w);
	for (size_t i = 0; i < res->nfields; i++)
		if (res->fields[i].search)
			jsonw_string(w, res->fields[i].name);
	jsonw_array_end(w);
	jsonw_object_end(w);
	strbuf_release(&searched);

	for (size_t i = 0; i < res->nfields; i++) {
		if (!query_reserved(res->fields[i].name))
			filter_parameter(w, res, &res->fields[i], -1);
		for (int op = 0; op < QUERY_NOPS; op++)
			if (query_op_allowed(res->fields[i].type, (enum query_op)op))
				filter_parameter(w, res, &res->fields[i], op);
	}
}

/* The references to them, in an operation's parameters: records take fields, format and bom. */
static void parameter_refs(struct jsonw *w, const struct route_doc *d)
{
	const struct resource *res = d->r->resource;

	if (!d->list && !d->record)
		return;
	jsonw_key(w, "parameters");
	jsonw_array_begin(w);
	ref(w, "parameters/%s.fields", res->name);
	ref(w, "parameters/format");
	ref(w, "parameters/bom");
	if (d->list) {
		static const char *const common[] = { "sort", "facet", "q" };

		ref(w, "parameters/limit");
		ref(w, "parameters/offset");
		for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
			ref(w, "parameters/%s.%s", res->name, common[i]);
		for (size_t i = 0; i < res->nfields; i++) {
			const struct field *f = &res->fields[i];

			if (!query_reserved(f->name))
				ref(w, "parameters/%s.%s", res->name, f->name);
			for (int op = 0; op < QUERY_NOPS; op++)
				if (query_op_allowed(f->type, (enum query_op)op))
					ref(w, "parameters/%s.%s-%s", res->name, f->name,
					    query_op_name((enum query_op)op));
		}
	}
	jsonw_array_end(w);
}

/* ---- operations ---- */

/* The headers of every answer; Content-Encoding too when it has a body. */
static void common_headers(struct jsonw *w, bool no_store, bool body)
{
	kv_ref(w, "Cache-Control", "headers/%s", no_store ? "CacheNoStore" : "CachePublic");
	kv_ref(w, "Vary", "headers/Vary");
	kv_ref(w, "X-Request-Id", "headers/X-Request-Id");
	kv_ref(w, "X-Content-Type-Options", "headers/X-Content-Type-Options");
	if (body)
		kv_ref(w, "Content-Encoding", "headers/Content-Encoding");
	kv_ref(w, "Access-Control-Allow-Origin", "headers/Access-Control-Allow-Origin");
	kv_ref(w, "Access-Control-Expose-Headers", "headers/Access-Control-Expose-Headers");
}

/* "key": one record of res, whole or as fields= projects it; what: "A whole", "The whole". */
static void record_or_projection(struct jsonw *w, const char *key, const struct resource *res,
			  const char *what)
{
	jsonw_key(w, key);
	jsonw_object_begin(w);
	kv_printf(w, "description", "%s %s; with fields=, only the members asked", what,
		  res->singular);
	jsonw_key(w, "oneOf");
	jsonw_array_begin(w);
	ref(w, "schemas/%s", res->schema);
	ref(w, "schemas/%sFields", res->schema);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/*
 * The content of a list's or a record's 200, one media type per format
 * (handlers/format.c): JSON as its schema says, CSV and NDJSON as text, an
 * NDJSON line being one record (x-item-schema, as OpenAPI 3.2's itemSchema).
 */
static void formats_content(struct jsonw *w, const struct route_doc *d)
{
	const struct resource *res = d->r->resource;

	for (int f = 0; f < FORMAT_COUNT; f++) {
		const struct format_desc *fd = format_desc((enum format)f);
		struct strbuf essence = STRBUF_INIT;

		/* Keyed by the bare type, as the document's other content is. */
		strbuf_add(&essence, fd->media, strcspn(fd->media, ";"));
		jsonw_key(w, essence.buf);
		jsonw_object_begin(w);
		if (f == FORMAT_JSON && d->list) {
			kv_ref(w, "schema", "schemas/%sList", res->schema);
		} else if (f == FORMAT_JSON) {
			record_or_projection(w, "schema", res, "The whole");
		} else {
			jsonw_key(w, "schema");
			jsonw_object_begin(w);
			jsonw_kv_string(w, "type", "string");
			kv_printf(w, "description", "%s (%s)%s", fd->description, fd->media,
				  f == FORMAT_CSV ? (d->list ? "; a row a record" :
						     "; a header row and one row") : "");
			jsonw_object_end(w);
			if (f == FORMAT_NDJSON)
				record_or_projection(w, "x-item-schema", res, "Each line: a whole");
		}
		jsonw_object_end(w);
		strbuf_release(&essence);
	}
}

/* The 200's content: records, a JSON body, text, or a file of the dashboard. */
static void content_200(struct jsonw *w, const struct route_doc *d)
{
	const struct route *r = d->r;

	jsonw_key(w, "content");
	jsonw_object_begin(w);
	if (d->list || d->record) {
		formats_content(w, d);
	} else if (d->schema) {
		jsonw_key(w, "application/json");
		jsonw_object_begin(w);
		kv_ref(w, "schema", "schemas/%s", d->schema);
		jsonw_object_end(w);
	} else if (d->files) {
		const char *type;

		for (size_t i = 0; (type = webroot_media_types(i)); i++) {
			struct strbuf essence = STRBUF_INIT;
			const bool text = !strncmp(type, "text/", 5) || strstr(type, "+xml") ||
					  strstr(type, "json");

			strbuf_add(&essence, type, strcspn(type, ";"));
			jsonw_key(w, essence.buf);
			jsonw_object_begin(w);
			if (text)
				literal(w, "schema", "{\"type\":\"string\"}");
			jsonw_object_end(w);
			strbuf_release(&essence);
		}
	} else {
		/* text/plain is Prometheus's text format, whose version is part of its type. */
		jsonw_key(w, !strcmp(r->media, "text/plain") ? "text/plain; version=0.0.4" : r->media);
		jsonw_object_begin(w);
		literal(w, "schema", "{\"type\":\"string\"}");
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
}

/* The problems a GET or HEAD of d can give besides 405, by status. */
static void get_problems(struct jsonw *w, const struct route_doc *d, bool head)
{
	const char *h = head ? "Head" : "";

	kv_ref(w, "400", "responses/%s%s", d->list || d->record ? "BadQuery" : "BadRequest", h);
	if (d->keyed)
		kv_ref(w, "404", "responses/NotFound%s", h);
	kv_ref(w, "406", "responses/NotAcceptable%s", h);
	kv_ref(w, "413", "responses/ContentTooLarge%s", h);
	kv_ref(w, "414", "responses/UriTooLong%s", h);
	kv_ref(w, "431", "responses/HeadersTooLarge%s", h);
	kv_ref(w, "501", "responses/NotImplemented%s", h);
	if (d->unavailable)
		kv_ref(w, "503", "responses/Unavailable%s", h);
	else if (d->busy)
		kv_ref(w, "503", "responses/Busy%s", h);
}

/* The problems every method can get before it is served, by status. */
static void early_problems(struct jsonw *w, const struct route_doc *d)
{
	kv_ref(w, "400", "responses/BadRequest");
	if (d->files)
		kv_ref(w, "404", "responses/NotFound");
	kv_ref(w, "413", "responses/ContentTooLarge");
	kv_ref(w, "414", "responses/UriTooLong");
	kv_ref(w, "431", "responses/HeadersTooLarge");
	kv_ref(w, "501", "responses/NotImplemented");
}

static void html_header(struct jsonw *w, const struct route_doc *d)
{
	if (d->html)
		kv_ref(w, "Content-Security-Policy", "headers/Content-Security-Policy");
	else if (d->files)
		kv_ref(w, "Content-Security-Policy", "headers/Content-Security-Policy-If-Html");
}

static void get_operation(struct jsonw *w, const struct route_doc *d, bool head)
{
	const struct route *r = d->r;

	jsonw_key(w, head ? "head" : "get");
	jsonw_object_begin(w);
	if (head)
		operation_id(w, "head", r->operation);
	else
		jsonw_kv_string(w, "operationId", r->operation);
	if (head)
		kv_printf(w, "summary", "%s: headers only", r->summary);
	else
		jsonw_kv_string(w, "summary", r->summary);
	if (head)
		jsonw_kv_string(w, "description", "As GET: the same status and headers "
				"(Content-Type and Content-Encoding included), without a body.");
	jsonw_key(w, "tags");
	jsonw_strings(w, &d->tag, 1);
	parameter_refs(w, d);

	jsonw_key(w, "responses");
	jsonw_object_begin(w);
	jsonw_key(w, "200");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", r->summary);
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	kv_ref(w, "ETag", "headers/ETag");
	common_headers(w, d->no_store, true);
	if (d->list) {
		kv_ref(w, "X-Total-Count", "headers/X-Total-Count");
		kv_ref(w, "Link", "headers/Link");
	}
	if (d->list || d->record)
		kv_ref(w, "Content-Disposition", "headers/Content-Disposition");
	html_header(w, d);
	jsonw_object_end(w);
	if (!head)
		content_200(w, d);
	jsonw_object_end(w);

	jsonw_key(w, "304");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", "Not Modified: the If-None-Match names the current ETag");
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	kv_ref(w, "ETag", "headers/ETag");
	common_headers(w, d->no_store, false);
	html_header(w, d);
	jsonw_object_end(w);
	jsonw_object_end(w);
	get_problems(w, d, head);
	jsonw_object_end(w);
	jsonw_object_end(w);
}

/* Whether method is a write the route takes when writes are on (handlers/write.h). */
static bool writes_here(const struct route *r, const char *method)
{
	if (!r->resource || store_which(r->resource) >= STORE_NCOLLECTIONS)
		return false;
	if (r->kind == ROUTE_LIST)
		return !strcmp(method, "post");
	return r->kind == ROUTE_RECORD &&
	       (!strcmp(method, "put") || !strcmp(method, "patch") || !strcmp(method, "delete"));
}

/*
 * The suffix of the Allow header and 405 components of a route: a collection
 * and its records name their write methods too when writes are on.
 */
static const char *allow_kind(const struct route *r)
{
	return writes_here(r, "post") ? "WritableList" : writes_here(r, "put") ? "WritableRecord" : "";
}

static void options_operation(struct jsonw *w, const struct route_doc *d)
{
	jsonw_key(w, "options");
	jsonw_object_begin(w);
	operation_id(w, "options", d->r->operation);
	kv_printf(w, "summary", "The methods %s answers", d->r->pattern);
	jsonw_key(w, "tags");
	jsonw_strings(w, &d->tag, 1);
	jsonw_key(w, "responses");
	jsonw_object_begin(w);
	jsonw_key(w, "204");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", "Allow names the methods; a CORS preflight from an "
			"allowed origin, whose requested headers are all allowed, also gets the "
			"Access-Control-Allow-* headers");
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	kv_ref(w, "Allow", "headers/Allow%s", allow_kind(d->r));
	common_headers(w, true, false);
	kv_ref(w, "Access-Control-Allow-Methods", "headers/Access-Control-Allow-Methods%s",
	       allow_kind(d->r));
	kv_ref(w, "Access-Control-Allow-Headers", "headers/Access-Control-Allow-Headers");
	kv_ref(w, "Access-Control-Max-Age", "headers/Access-Control-Max-Age");
	jsonw_object_end(w);
	jsonw_object_end(w);
	early_problems(w, d);
	jsonw_object_end(w);
	jsonw_object_end(w);
}

static void refused_operation(struct jsonw *w, const struct route_doc *d, const char *method)
{
	struct strbuf upper = STRBUF_INIT;

	for (const char *p = method; *p; p++)
		strbuf_addch(&upper, (char)(*p - 'a' + 'A'));
	jsonw_key(w, method);
	jsonw_object_begin(w);
	operation_id(w, method, d->r->operation);
	kv_printf(w, "summary", "%s is not allowed: 405", upper.buf);
	jsonw_key(w, "tags");
	jsonw_strings(w, &tag_refused, 1);
	jsonw_key(w, "responses");
	jsonw_object_begin(w);
	kv_ref(w, "405", "responses/MethodNotAllowed%s", allow_kind(d->r));
	early_problems(w, d);
	jsonw_object_end(w);
	jsonw_object_end(w);
	strbuf_release(&upper);
}

/* The path parameters, for every operation of the path. */
static void path_parameters(struct jsonw *w, const struct route *r)
{
	const struct resource *owner = r->kind == ROUTE_RELATED ? r->parent : r->resource;

	if (!strchr(r->pattern, '{'))
		return;
	jsonw_key(w, "parameters");
	jsonw_array_begin(w);
	for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');

		jsonw_object_begin(w);
		jsonw_key(w, "name");
		jsonw_string_len(w, p + 1, (size_t)(end - p - 1));
		jsonw_kv_string(w, "in", "path");
		jsonw_kv_bool(w, "required", true);
		if (owner)
			kv_printf(w, "description", "The %s's %s%s; none with it: 404", owner->singular,
				  owner->key, owner->key_casefold ? ", in any case" : "");
		else
			jsonw_kv_string(w, "description", "A file of the dashboard, one path segment; "
					"none by that name (or one starting with '.'): 404");
		literal(w, "schema", "{\"type\":\"string\",\"minLength\":1}");
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/*
 * An inline problem response of one status, with its description, the
 * headers of every problem, and header (a component, when not NULL), which
 * every such answer has; schema: Problem or Violations.
 */
static void problem_inline(struct jsonw *w, const char *status, const char *description,
			   const char *header, const char *schema)
{
	jsonw_key(w, status);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", description);
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	common_headers(w, true, true);
	if (header)
		kv_ref(w, header, "headers/%s", header);
	jsonw_object_end(w);
	jsonw_key(w, "content");
	jsonw_object_begin(w);
	jsonw_key(w, "application/problem+json");
	jsonw_object_begin(w);
	kv_ref(w, "schema", "schemas/%s", schema);
	jsonw_object_end(w);
	jsonw_object_end(w);
	jsonw_object_end(w);
}

_Static_assert(WRITE_MAX_IDEMPOTENCY_KEY == 255, "the Idempotency-Key parameter says 255");

/*
 * A write method of a collection (POST) or a record (PUT, PATCH, DELETE):
 * answered when the server runs with --data and --tokens, else 405.
 */
static void write_operation(struct jsonw *w, const struct route_doc *d, const char *method)
{
	const struct resource *res = d->r->resource;
	const bool post = !strcmp(method, "post"), del = !strcmp(method, "delete"),
		   patch = !strcmp(method, "patch");
	struct strbuf id = STRBUF_INIT;

	strbuf_addf(&id, "%s%c%s", post ? "create" : del ? "delete" : patch ? "patch" : "replace",
		    res->singular[0] - 'a' + 'A', res->singular + 1);
	jsonw_key(w, method);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "operationId", id.buf);
	jsonw_kv_string(w, "summary", post ? "Creates a record from the body (its key is the body's); "
			"Idempotency-Key makes a retry safe" : del ? "Deletes the record, unless other "
			"records refer to it" : patch ? "Changes the record by a JSON Merge Patch (RFC 7396); "
			"its key cannot change" : "Replaces the whole record; the body's key is the URL's");
	jsonw_key(w, "tags");
	jsonw_strings(w, &d->tag, 1);
	literal(w, "security", "[{\"bearer\":[]}]");
	jsonw_key(w, "parameters");
	jsonw_array_begin(w);
	literal(w, NULL, post ? "{\"name\":\"Idempotency-Key\",\"in\":\"header\",\"required\":false,"
		"\"description\":\"1 to 255 visible ASCII characters (else 400). A retry with the same "
		"key and body gets the first answer again, and "
		"creates nothing; the same key with another body is 422\",\"schema\":{\"type\":\"string\","
		"\"pattern\":\"^[\\\\x21-\\\\x7e]{1,255}$\"}}" : "{\"name\":\"If-Match\",\"in\":\"header\","
		"\"required\":true,\"description\":\"The record's ETag as last read (or *): the change is "
		"refused with 412 if the record changed since\",\"schema\":{\"type\":\"string\"}}");
	jsonw_array_end(w);
	if (!del) {
		jsonw_key(w, "requestBody");
		jsonw_object_begin(w);
		jsonw_kv_bool(w, "required", true);
		jsonw_key(w, "content");
		jsonw_object_begin(w);
		jsonw_key(w, patch ? "application/merge-patch+json" : "application/json");
		jsonw_object_begin(w);
		if (patch)
			literal(w, "schema", "{\"type\":\"object\",\"description\":\"Members to set; "
				"null removes one (a required member cannot go); an object merges into the "
				"member's, member by member\"}");
		else
			kv_ref(w, "schema", "schemas/%sInput", res->schema);
		jsonw_object_end(w);
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
	jsonw_key(w, "responses");
	jsonw_object_begin(w);
	jsonw_key(w, post ? "201" : del ? "204" : "200");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", del ? "Deleted, on disk" : "The record as now served, on disk");
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	if (!del)
		kv_ref(w, "ETag", "headers/ETag");
	if (post)
		kv_ref(w, "Location", "headers/Location");
	common_headers(w, true, !del);
	jsonw_object_end(w);
	if (!del) {
		jsonw_key(w, "content");
		jsonw_object_begin(w);
		jsonw_key(w, "application/json");
		jsonw_object_begin(w);
		kv_ref(w, "schema", "schemas/%s", res->schema);
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	kv_ref(w, "405", "responses/MethodNotAllowed%s", allow_kind(d->r));
	early_problems(w, d);
	problem_inline(w, "401", "No token, or one that is not the server's", "WWW-Authenticate",
		       "Problem");
	if (!post && !d->files)
		kv_ref(w, "404", "responses/NotFound");
	if (post || del)
		problem_inline(w, "409", post ? "The key exists already" : "Other records refer to "
			       "the record (the detail names them)", NULL, "Problem");
	if (!post) {
		problem_inline(w, "412", "If-Match is not the record's current ETag, which the ETag "
			       "header gives", "ETag", "Problem");
		problem_inline(w, "428", "PUT, PATCH and DELETE need If-Match", NULL, "Problem");
	}
	if (!del) {
		problem_inline(w, "415", patch ? "The body is not application/merge-patch+json "
			       "(Accept-Patch says so)" : "The body is not application/json",
			       patch ? "Accept-Patch" : NULL, "Problem");
		problem_inline(w, "422", post ? "The record breaks rules of the data: errors lists "
			       "every violation; or the Idempotency-Key was sent first with another "
			       "body (errors is empty)" : "The record breaks rules of the data: errors "
			       "lists every violation", NULL, "Violations");
	}
	problem_inline(w, "503", "The write could not be made durable (an I/O error), or the server is "
		       "stopping; nothing of it was applied", NULL, "Problem");
	problem_inline(w, "507", "The disk is full; nothing of the write was applied", NULL, "Problem");
	jsonw_object_end(w);
	jsonw_object_end(w);
	strbuf_release(&id);
}

static void path_item(struct jsonw *w, const struct route_doc *d)
{
	jsonw_key(w, d->r->pattern);
	jsonw_object_begin(w);
	path_parameters(w, d->r);
	get_operation(w, d, false);
	get_operation(w, d, true);
	options_operation(w, d);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (writes_here(d->r, refused[i]))
			write_operation(w, d, refused[i]);
		else
			refused_operation(w, d, refused[i]);
	}
	jsonw_object_end(w);
}

/* ---- components ---- */

/* What the routes need of each resource: lists, records. */
struct resource_use {
	const struct resource *res;
	bool list;
};

static size_t resources_used(const struct route *routes, size_t n, struct resource_use *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct resource *res = routes[i].resource;
		size_t j;

		if (!res)
			continue;
		for (j = 0; j < k && out[j].res != res; j++)
			;
		if (j == k && k < MAX_RESOURCES)
			out[k++] = (struct resource_use){ res, false };
		if (j < k)
			out[j].list |= routes[i].kind == ROUTE_LIST || routes[i].kind == ROUTE_RELATED;
	}
	return k;
}

static const struct resource *resource_by_schema(const struct resource_use *u, size_t n,
						 const char *schema)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(u[i].res->schema, schema))
			return u[i].res;
	return NULL;
}

/*
 * A record's schema as data/schema.json has it, every member required (the
 * API renders them all, absent ones as null or []), then its projection
 * (fields=): the same members, none required, not all of them at once.
 */
static void record_schemas(struct jsonw *w, const struct resource *res, const cJSON *def)
{
	struct strbuf name = STRBUF_INIT;
	const cJSON *c;

	jsonw_key(w, res->schema);
	jsonw_object_begin(w);
	cJSON_ArrayForEach(c, def) {
		if (!strcmp(c->string, "required"))
			continue;
		jsonw_key(w, c->string);
		copy_json(w, c);
	}
	jsonw_key(w, "required");
	jsonw_array_begin(w);
	for (size_t i = 0; i < res->nmembers; i++)
		jsonw_string(w, res->members[i].name);
	jsonw_array_end(w);
	jsonw_object_end(w);

	/* What a write sends, to a collection that takes writes: the data file's rules. */
	if (store_which(res) < STORE_NCOLLECTIONS) {
		strbuf_addf(&name, "%sInput", res->schema);
		jsonw_key(w, name.buf);
		jsonw_object_begin(w);
		kv_printf(w, "description", "A %s as a write sends it (POST, PUT): a member not "
			  "required may be left out, and is then served as null, or [] for a list",
			  res->singular);
		cJSON_ArrayForEach(c, def) {
			if (!strcmp(c->string, "description"))
				continue;
			jsonw_key(w, c->string);
			copy_json(w, c);
		}
		jsonw_object_end(w);
		strbuf_reset(&name);
	}

	strbuf_addf(&name, "%sFields", res->schema);
	jsonw_key(w, name.buf);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "object");
	kv_printf(w, "description", "A %s as fields= projects it: only the members asked, in "
		  "the order asked", res->singular);
	jsonw_kv_int(w, "minProperties", 1);
	jsonw_key(w, "properties");
	copy_json(w, cJSON_GetObjectItemCaseSensitive(def, "properties"));
	/* Fewer than all: a projection of every member is the whole record, which oneOf tells apart. */
	jsonw_kv_uint(w, "maxProperties", res->nmembers - 1);
	closed_end(w);
	strbuf_release(&name);
}

/* "key" (NULL: an array's item): a count of paging, 0 to max, with its default (dflt < 0: none). */
static void count_schema(struct jsonw *w, const char *key, uint64_t max, int64_t dflt)
{
	if (key)
		jsonw_key(w, key);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "integer");
	jsonw_kv_int(w, "minimum", 0);
	jsonw_kv_uint(w, "maximum", max);
	if (dflt >= 0)
		jsonw_kv_int(w, "default", dflt);
	jsonw_object_end(w);
}

/* A resource's list and its meta (with a schema for each facetable field). */
static void list_schemas(struct jsonw *w, const struct resource *res)
{
	struct strbuf name = STRBUF_INIT;

	strbuf_addf(&name, "%sList", res->schema);
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
	record_or_projection(w, "items", res, "A whole");
	jsonw_object_end(w);
	kv_ref(w, "meta", "schemas/%sListMeta", res->schema);
	kv_ref(w, "links", "schemas/ListLinks");
	jsonw_object_end(w);
	closed_end(w);

	strbuf_reset(&name);
	strbuf_addf(&name, "%sListMeta", res->schema);
	jsonw_key(w, name.buf);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "object");
	jsonw_key(w, "required");
	jsonw_strings(w, (const char *const[]){ "total", "limit", "offset" }, 3);
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	literal(w, "total", "{\"type\":\"integer\",\"minimum\":0,\"description\":"
		"\"Records matching, before paging\"}");
	count_schema(w, "limit", QUERY_MAX_LIMIT, -1);
	count_schema(w, "offset", UINT32_MAX, -1);
	literal(w, "search", "{\"type\":\"object\",\"description\":\"With q: the query as "
		"understood. q: as sent; words: its folded words, in order; terms: its single "
		"words, prefix when a word matches the words it begins (not quoted); phrases: the "
		"words that must come in a row\",\"required\":[\"q\",\"words\",\"terms\","
		"\"phrases\"],\"properties\":{\"q\":{\"type\":\"string\"},\"words\":{\"type\":"
		"\"array\",\"minItems\":1,\"items\":{\"type\":\"string\",\"minLength\":1}},"
		"\"terms\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":"
		"[\"word\",\"prefix\"],\"properties\":{\"word\":{\"type\":\"string\","
		"\"minLength\":1},\"prefix\":{\"type\":\"boolean\"}},\"additionalProperties\":"
		"false}},\"phrases\":{\"type\":\"array\",\"items\":{\"type\":\"array\","
		"\"minItems\":2,\"items\":{\"type\":\"string\",\"minLength\":1}}}},"
		"\"additionalProperties\":false}");
	jsonw_key(w, "facets");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "object");
	jsonw_kv_string(w, "description", "With facet=: for each field, its values over all "
			"the matches, most common first, records without a value last as null");
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	for (size_t i = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];

		if (!(f->flags & FIELD_FACET))
			continue;
		jsonw_key(w, f->name);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "type", "array");
		jsonw_key(w, "items");
		jsonw_object_begin(w);
		jsonw_kv_string(w, "type", "object");
		jsonw_key(w, "required");
		jsonw_strings(w, (const char *const[]){ "value", "count" }, 2);
		jsonw_key(w, "properties");
		jsonw_object_begin(w);
		jsonw_key(w, "value");
		value_schema(w, f->type, true);
		literal(w, "count", "{\"type\":\"integer\",\"minimum\":1}");
		jsonw_object_end(w);
		closed_end(w);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	closed_end(w);
	jsonw_object_end(w);
	closed_end(w);
	strbuf_release(&name);
}

/* The counts of the index and the stats, and the index: from the store and meta's links. */
static void index_schemas(struct jsonw *w, const struct store *s)
{
	size_t nlinks;
	const struct meta_link *links = meta_index_links(&nlinks);
	struct strbuf path = STRBUF_INIT;

	jsonw_key(w, "Counts");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "object");
	jsonw_kv_string(w, "description", "Records in each collection");
	jsonw_key(w, "required");
	jsonw_array_begin(w);
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		jsonw_string(w, store_collection(s, (enum store_collection)i)->res->name);
	jsonw_array_end(w);
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		literal(w, store_collection(s, (enum store_collection)i)->res->name,
			"{\"type\":\"integer\",\"minimum\":0}");
	jsonw_object_end(w);
	closed_end(w);

	jsonw_key(w, "Index");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "object");
	jsonw_key(w, "required");
	jsonw_strings(w, (const char *const[]){ "dataset", "counts", "links" }, 3);
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	kv_ref(w, "dataset", "schemas/Dataset");
	kv_ref(w, "counts", "schemas/Counts");
	jsonw_key(w, "links");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "object");
	jsonw_key(w, "required");
	jsonw_array_begin(w);
	jsonw_string(w, "self");
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		jsonw_string(w, store_collection(s, (enum store_collection)i)->res->name);
	for (size_t i = 0; i < nlinks; i++)
		jsonw_string(w, links[i].rel);
	jsonw_array_end(w);
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	literal(w, "self", "{\"const\":\"/api/v1\"}");
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		const char *name = store_collection(s, (enum store_collection)i)->res->name;

		strbuf_reset(&path);
		strbuf_addf(&path, "/api/v1/%s", name);
		jsonw_key(w, name);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "const", path.buf);
		jsonw_object_end(w);
	}
	for (size_t i = 0; i < nlinks; i++) {
		jsonw_key(w, links[i].rel);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "const", links[i].href);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	closed_end(w);
	jsonw_object_end(w);
	closed_end(w);
	strbuf_release(&path);
}

/* The members of every problem, as JSON Schema properties without the closing brace. */
#define PROBLEM_PROPERTIES \
	"\"properties\":{\"type\":{\"const\":\"about:blank\"}," \
	"\"title\":{\"type\":\"string\",\"description\":\"The status's reason phrase\"}," \
	"\"status\":{\"type\":\"integer\",\"minimum\":400,\"maximum\":599}," \
	"\"detail\":{\"type\":\"string\"}," \
	"\"instance\":{\"type\":\"string\",\"description\":\"The request target (cut at " \
	"512 bytes)\"},\"request_id\":{\"type\":\"string\"}," \
	"\"parameter\":{\"type\":\"string\",\"description\":\"A refused query: the query " \
	"parameter at fault\"}," \
	"\"allowed\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"string\"}," \
	"\"description\":\"What would do in its place, when that is a finite set: the " \
	"parameters (for an unknown parameter or an empty name), the fields (for an " \
	"unknown field), the operators of the field, the names sort, facet or fields " \
	"take (for an unknown, empty or repeated item), true and false (isnull, bom), or " \
	"json, csv and ndjson (format). A malformed or out-of-range value of an integer, " \
	"a date, limit or offset, an empty value, a repeated parameter, too many items, " \
	"or a parameter the format refuses (bom=true but CSV, limit=all on JSON, facet " \
	"but JSON) have none: the parameter's schema says what would do.\"}"

/*
 * A problem's schema: the members of every problem, and those a kind adds
 * (required: ",\"name\"..."; properties: ",\"name\":{...}...").
 */
static void problem_schema(struct jsonw *w, const char *name, const char *description,
			   const char *required, const char *properties)
{
	struct strbuf schema = STRBUF_INIT;

	strbuf_addstr(&schema, "{\"type\":\"object\",\"description\":");
	json_escape(&schema, description, strlen(description));
	strbuf_addf(&schema, ",\"required\":[\"type\",\"title\",\"status\",\"detail\","
		    "\"instance\",\"request_id\"%s],", required);
	strbuf_addstr(&schema, PROBLEM_PROPERTIES);
	strbuf_addf(&schema, "%s},\"dependentRequired\":{\"allowed\":[\"parameter\"]},"
		    "\"additionalProperties\":false}", properties);
	literal(w, name, schema.buf);
	strbuf_release(&schema);
}

/* The bodies meta.c renders, as it renders them. */
static void meta_schemas(struct jsonw *w)
{
	literal(w, "Breakdown",
		"{\"type\":\"array\",\"description\":\"Each value with its count (and its "
		"vocabulary label where it has one), most common first; dates in date order\","
		"\"items\":{\"type\":\"object\",\"required\":[\"value\",\"count\"],"
		"\"properties\":{\"value\":{\"type\":[\"string\",\"null\"]},"
		"\"label\":{\"type\":\"string\"},\"count\":{\"type\":\"integer\",\"minimum\":1}},"
		"\"additionalProperties\":false}}");
	literal(w, "Stats",
		"{\"type\":\"object\",\"required\":[\"counts\",\"deals\",\"meetings\"],"
		"\"properties\":{\"counts\":{\"$ref\":\"#/components/schemas/Counts\"},"
		"\"deals\":{\"type\":\"object\",\"required\":[\"by_status\",\"by_sector\","
		"\"by_country\",\"by_basis\",\"totals\",\"valued\",\"unvalued\"],\"properties\":{"
		"\"by_status\":{\"$ref\":\"#/components/schemas/Breakdown\"},"
		"\"by_sector\":{\"$ref\":\"#/components/schemas/Breakdown\"},"
		"\"by_country\":{\"$ref\":\"#/components/schemas/Breakdown\"},"
		"\"by_basis\":{\"$ref\":\"#/components/schemas/Breakdown\"},"
		"\"totals\":{\"type\":\"array\",\"description\":\"The sum of the deals' values "
		"(value, not value_alt) per currency and basis, in order of first appearance; never "
		"converted, nor added across currencies or bases; estimate when any figure summed "
		"is one\",\"items\":{\"type\":\"object\",\"required\":[\"currency\",\"basis\","
		"\"amount\",\"deals\",\"estimate\"],\"properties\":{\"currency\":{\"type\":"
		"\"string\",\"pattern\":\"^[A-Z]{3}$\"},\"basis\":{\"type\":\"string\","
		"\"minLength\":1},\"amount\":{\"type\":\"integer\",\"minimum\":0},\"deals\":"
		"{\"type\":\"integer\",\"minimum\":1},\"estimate\":{\"type\":\"boolean\"}},"
		"\"additionalProperties\":false}},"
		"\"valued\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Deals with a value\"},"
		"\"unvalued\":{\"type\":\"integer\",\"minimum\":0}},\"additionalProperties\":false},"
		"\"meetings\":{\"type\":\"object\",\"required\":[\"by_date\",\"by_kind\","
		"\"by_country\",\"by_topic\"],\"properties\":{"
		"\"by_date\":{\"$ref\":\"#/components/schemas/Breakdown\"},"
		"\"by_kind\":{\"$ref\":\"#/components/schemas/Breakdown\"},"
		"\"by_country\":{\"$ref\":\"#/components/schemas/Breakdown\"},"
		"\"by_topic\":{\"$ref\":\"#/components/schemas/Breakdown\"}},"
		"\"additionalProperties\":false}},\"additionalProperties\":false}");
	literal(w, "Health",
		"{\"type\":\"object\",\"required\":[\"status\"],\"properties\":{\"status\":"
		"{\"const\":\"ok\"}},\"additionalProperties\":false}");
	literal(w, "Ready",
		"{\"type\":\"object\",\"required\":[\"status\",\"generation\",\"loaded_at\","
		"\"dataset\",\"last_reload_error\"],\"properties\":{"
		"\"status\":{\"const\":\"ready\"},"
		"\"generation\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"1 for the "
		"first load, one more for each successful reload\"},"
		"\"loaded_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
		"\"dataset\":{\"type\":\"object\",\"required\":[\"title\",\"version\"],"
		"\"properties\":{\"title\":{\"type\":\"string\"},\"version\":{\"type\":\"string\"}},"
		"\"additionalProperties\":false},"
		"\"last_reload_error\":{\"description\":\"The last reload that failed after this "
		"data was loaded: the data served is still the old one\",\"oneOf\":[{\"type\":"
		"\"null\"},{\"type\":\"object\",\"required\":[\"at\",\"message\"],\"properties\":{"
		"\"at\":{\"type\":\"string\",\"format\":\"date-time\"},\"message\":{\"type\":"
		"\"string\"}},\"additionalProperties\":false}]}},\"additionalProperties\":false}");
	literal(w, "OpenApi",
		"{\"type\":\"object\",\"description\":\"An OpenAPI 3.1 document\",\"required\":"
		"[\"openapi\",\"info\",\"paths\",\"components\"],\"properties\":{\"openapi\":"
		"{\"const\":\"3.1.0\"},\"info\":{\"type\":\"object\"},\"paths\":{\"type\":"
		"\"object\"},\"components\":{\"type\":\"object\"}}}");
	literal(w, "ListLinks",
		"{\"type\":\"object\",\"required\":[\"self\",\"next\",\"prev\"],\"properties\":{"
		"\"self\":{\"type\":\"string\",\"format\":\"uri-reference\"},"
		"\"next\":{\"type\":[\"string\",\"null\"],\"format\":\"uri-reference\"},"
		"\"prev\":{\"type\":[\"string\",\"null\"],\"format\":\"uri-reference\"}},"
		"\"additionalProperties\":false}");
	problem_schema(w, "Problem", "RFC 9457 problem details", "", "");
	problem_schema(w, "Violations", "RFC 9457 problem details of a write that breaks rules of "
		       "the data", ",\"errors\"", ",\"errors\":{\"type\":\"array\",\"description\":"
		       "\"Every violation, in the loader's words\",\"items\":{\"type\":\"object\","
		       "\"required\":[\"pointer\",\"detail\"],\"properties\":{\"pointer\":{\"type\":"
		       "\"string\",\"pattern\":\"^(/[^/]*)*$\",\"description\":\"An RFC 6901 JSON "
		       "pointer into the body sent: the value at fault, or the object that misses a "
		       "member\"},\"detail\":{\"type\":\"string\",\"minLength\":1}},"
		       "\"additionalProperties\":false}}");
}

static void schemas(struct jsonw *w, const struct store *s, const cJSON *defs,
		    const struct resource_use *used, size_t nused)
{
	const cJSON *d;

	jsonw_key(w, "schemas");
	jsonw_object_begin(w);
	cJSON_ArrayForEach(d, defs) {
		const struct resource *res = resource_by_schema(used, nused, d->string);

		if (res) {
			record_schemas(w, res, d);
		} else {
			jsonw_key(w, d->string);
			copy_json(w, d);
		}
	}
	for (size_t i = 0; i < nused; i++)
		if (used[i].list)
			list_schemas(w, used[i].res);
	index_schemas(w, s);
	meta_schemas(w);
	jsonw_object_end(w);
}

/* format= and bom=, which lists and records take alike. */
static void format_parameters(struct jsonw *w)
{
	param_begin(w, NULL, NULL, "format", "The representation, whatever Accept says, as a "
		    "file to save (Content-Disposition: attachment): json, csv (RFC 4180 with a "
		    "header row: nested members as dotted columns, arrays joined with \"; \", "
		    "null an empty cell) or ndjson (one record a line). Without it, Accept "
		    "chooses among application/json, text/csv and application/x-ndjson (the "
		    "highest q, then the most specific range, then in that order); none of them "
		    "acceptable is a 406. facet= is JSON's: with csv or ndjson it is a 400.");
	jsonw_key(w, "schema");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "string");
	jsonw_key(w, "enum");
	jsonw_array_begin(w);
	for (int f = 0; f < FORMAT_COUNT; f++)
		jsonw_string(w, format_desc((enum format)f)->name);
	jsonw_array_end(w);
	jsonw_object_end(w);
	jsonw_object_end(w);

	param_begin(w, NULL, NULL, "bom", "CSV only: true starts the body with a UTF-8 byte "
		    "order mark, for Excel on Windows; bom=true on JSON or NDJSON is a 400.");
	literal(w, "schema", "{\"type\":\"boolean\",\"default\":false}");
	jsonw_object_end(w);
}

static void parameters(struct jsonw *w, const struct resource_use *used, size_t nused)
{
	jsonw_key(w, "parameters");
	jsonw_object_begin(w);
	param_begin(w, NULL, NULL, "limit", "Records per page, 0 to %d (default %d). Integers are "
		    "read as JSON Schema counts them: 5, 5.0 and 5e0 are 5. Or all: every match from "
		    "offset on, streamed (chunked, X-Total-Count and no Link), in CSV and NDJSON "
		    "only; limit=all on JSON is a 400.", QUERY_MAX_LIMIT, QUERY_DEFAULT_LIMIT);
	/* A count, or "all" for a whole export. */
	jsonw_key(w, "schema");
	jsonw_object_begin(w);
	jsonw_key(w, "oneOf");
	jsonw_array_begin(w);
	count_schema(w, NULL, QUERY_MAX_LIMIT, -1);
	literal(w, NULL, "{\"type\":\"string\",\"const\":\"all\"}");
	jsonw_array_end(w);
	jsonw_kv_int(w, "default", QUERY_DEFAULT_LIMIT);
	jsonw_object_end(w);
	jsonw_object_end(w);
	param_begin(w, NULL, NULL, "offset", "Records to skip (default 0); past the end, the page "
		    "is empty");
	count_schema(w, "schema", UINT32_MAX, 0);
	jsonw_object_end(w);
	format_parameters(w);
	for (size_t i = 0; i < nused; i++)
		resource_parameters(w, used[i].res, used[i].list);
	jsonw_object_end(w);
}

/* A header: its description, whether every answer that declares it has it, its schema. */
static void header(struct jsonw *w, const char *name, bool required, const char *description,
		   const char *schema)
{
	jsonw_key(w, name);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", description);
	jsonw_kv_bool(w, "required", required);
	literal(w, "schema", schema);
	jsonw_object_end(w);
}

/* Content-Disposition: a download's name is made of [a-z0-9-] and the format's extension. */
static void disposition_header(struct jsonw *w)
{
	struct strbuf schema = STRBUF_INIT;

	strbuf_addstr(&schema, "{\"type\":\"string\",\"pattern\":\"^attachment; "
		      "filename=\\\"[a-z0-9]+(-[a-z0-9]+)*\\\\.(");
	for (int f = 0; f < FORMAT_COUNT; f++)
		strbuf_addf(&schema, "%s%s", f ? "|" : "", format_desc((enum format)f)->ext);
	strbuf_addstr(&schema, ")\\\"$\"}");
	header(w, "Content-Disposition", false, "When format= names the format: a file to save, "
	       "named after the path after /api/v1/ and the dataset's id (or title), as "
	       "lower-case words joined by '-' (deals-vilnius-2023.csv, "
	       "countries-ro-deals-vilnius-2023.ndjson)", schema.buf);
	strbuf_release(&schema);
}

/* {"const": value} for a header whose value never changes. */
static void header_const(struct jsonw *w, const char *name, bool required, const char *description,
			 const char *value)
{
	struct strbuf schema = STRBUF_INIT;

	strbuf_addstr(&schema, "{\"type\":\"string\",\"const\":");
	json_escape(&schema, value, strlen(value));
	strbuf_addch(&schema, '}');
	header(w, name, required, description, schema.buf);
	strbuf_release(&schema);
}

/*
 * name with suffix WritableList and WritableRecord: a collection's methods
 * and its records', without writes and with them.
 */
static void allow_headers(struct jsonw *w, const char *name, bool required,
			  const char *description)
{
	static const char *const kinds[][2] = { { "WritableList", WRITE_ALLOW_LIST },
						{ "WritableRecord", WRITE_ALLOW_RECORD } };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct strbuf key = STRBUF_INIT, schema = STRBUF_INIT;

		strbuf_addf(&key, "%s%s", name, kinds[i][0]);
		strbuf_addstr(&schema, "{\"type\":\"string\",\"enum\":[");
		json_escape(&schema, RESPONSE_ALLOW, strlen(RESPONSE_ALLOW));
		strbuf_addch(&schema, ',');
		json_escape(&schema, kinds[i][1], strlen(kinds[i][1]));
		strbuf_addstr(&schema, "]}");
		header(w, key.buf, required, description, schema.buf);
		strbuf_release(&key);
		strbuf_release(&schema);
	}
}

static void headers(struct jsonw *w)
{
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	header(w, "ETag", true, "Strong validator of the body's bytes (a gzipped body has its own, "
	       "ending in -gz); send it back in If-None-Match",
	       "{\"type\":\"string\",\"pattern\":\"^\\\"[\\\\x21\\\\x23-\\\\x7e]+\\\"$\"}");
	header(w, "CachePublic", true, "public, with the configured max-age (cache-max-age)",
	       "{\"type\":\"string\",\"pattern\":\"^public, max-age=[0-9]+$\"}");
	header_const(w, "CacheNoStore", true, "Never stored: errors, health, readiness, metrics",
		     "no-store");
	header_const(w, "Vary", true, "The answer depends on these request headers", RESPONSE_VARY);
	header(w, "X-Request-Id", true, "The request's X-Request-Id when it is 1 to 128 of "
	       "A-Z a-z 0-9 - _ . :, else one made up; also in the problem and the access log",
	       "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._:-]{1,128}$\"}");
	header_const(w, "X-Content-Type-Options", true, "Browsers must not sniff the type", "nosniff");
	header_const(w, "Content-Encoding", false, "When the request accepts gzip and the body is "
		     "at least gzip-min-size bytes and shrinks", "gzip");
	header(w, "X-Total-Count", true, "Records matching, before paging (meta.total)",
	       "{\"type\":\"integer\",\"minimum\":0}");
	header(w, "Link", false, "RFC 8288 links to the first, previous, next and last pages "
	       "(prev and next when there are such pages), keeping every other parameter; on "
	       "every page, and not on a whole export (limit=all), which is not paged",
	       "{\"type\":\"string\"}");
	disposition_header(w);
	header_const(w, "Allow", true, "The methods every path answers", RESPONSE_ALLOW);
	allow_headers(w, "Allow", true, "The methods the path answers: with writes on (--data "
		      "and --tokens) its write methods too");
	header(w, "Retry-After", true, "Seconds to wait before trying again",
	       "{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"}");
	header_const(w, "Content-Security-Policy", true, "On HTML", RESPONSE_CSP);
	header_const(w, "Content-Security-Policy-If-Html", false, "On HTML files", RESPONSE_CSP);
	header(w, "Access-Control-Allow-Origin", false, "When cors-origin allows the request's "
	       "Origin: that origin, or * when cors-origin is *", "{\"type\":\"string\"}");
	header_const(w, "Access-Control-Expose-Headers", false, "With Access-Control-Allow-Origin: "
		     "the headers a cross-origin script may read", RESPONSE_CORS_EXPOSE);
	header_const(w, "Access-Control-Allow-Methods", false, "A preflight from an allowed "
		     "origin whose requested headers are all allowed", RESPONSE_ALLOW);
	allow_headers(w, "Access-Control-Allow-Methods", false, "A preflight from an allowed "
		      "origin whose requested headers are all allowed: the methods, with writes "
		      "on its write methods too");
	header(w, "Access-Control-Allow-Headers", false, "Such a preflight that named "
	       "Access-Control-Request-Headers (each of Accept, Accept-Language, Cache-Control, "
	       "Content-Type, If-None-Match, X-Request-Id; with writes on also Authorization, "
	       "If-Match and Idempotency-Key): those headers", "{\"type\":\"string\"}");
	header(w, "Location", true, "The URL of the record created", "{\"type\":\"string\","
	       "\"pattern\":\"^/api/v1/[a-z]+/[^/?#]+$\"}");
	header(w, "WWW-Authenticate", true, "Bearer realm=\"attache\", with error=\"invalid_token\" "
	       "for a token that is not one of the server's (RFC 6750)", "{\"type\":\"string\",\"enum\":[\"Bearer "
	       "realm=\\\"attache\\\"\",\"Bearer realm=\\\"attache\\\", error=\\\"invalid_token\\\"\"]}");
	header_const(w, "Accept-Patch", true, "The media type PATCH takes (RFC 5789)",
		     "application/merge-patch+json");
	header(w, "Access-Control-Max-Age", false, "Such a preflight: seconds it may be kept",
	       "{\"type\":\"integer\",\"const\":" RESPONSE_CORS_MAX_AGE "}");
	jsonw_object_end(w);
}

/* The problems, each with its status; a HEAD's without a body. */
static const struct {
	const char *name;
	int status;
	const char *description;
} problems[] = {
	{ "BadQuery", 400, "A refused query (parameter names it; allowed lists what would do "
	  "where that is a finite set), a list query that would examine more records and "
	  "values than max-scan (no parameter: the detail says how many, and how to narrow "
	  "it), or a malformed request (bad percent-encoding or framing: no parameter). Of the formats: format not json, csv or ndjson, or bom not "
	  "true or false (allowed lists them); bom=true on JSON or NDJSON, limit=all on JSON, "
	  "facet= on CSV or NDJSON (no allowed)" },
	{ "BadRequest", 400, "Bad percent-encoding in the path or query, more than 64 query "
	  "parameters, or bad framing (Content-Length with Transfer-Encoding, either twice, a "
	  "Content-Length that is not plain digits, two Hosts, no Host in HTTP/1.1, a Host that "
	  "is not a host and port, a space, control character or raw byte in the target, a "
	  "target that is not a path, a header name that is not a token, a NUL byte in the "
	  "head, a folded header line, a line ending in a bare LF); framing errors also close "
	  "the connection. A write's body that is not JSON (malformed, a member twice in an "
	  "object, invalid UTF-8, text after the value), or an Idempotency-Key on PUT, PATCH or "
	  "DELETE" },
	{ "NotFound", 404, "Nothing by that key or name" },
	{ "MethodNotAllowed", 405, "This method is not allowed here; Allow names those that are" },
	{ "NotAcceptable", 406, "The Accept header excludes this resource's media types: for "
	  "lists and records, all three of application/json, text/csv and "
	  "application/x-ndjson (format= chooses one whatever Accept says); for the "
	  "dashboard's files, the file's" },
	{ "ContentTooLarge", 413, "A request body over max-body-size (only writes take a body)" },
	{ "UriTooLong", 414, "A request target over max-uri-size" },
	{ "HeadersTooLarge", 431, "A request head over max-header-size, or with more header "
	  "fields than the server's memory pool for a request holds" },
	{ "NotImplemented", 501, "A transfer coding other than chunked, or chunked with "
	  "whitespace after it (and CONNECT, or any method OpenAPI does not name, such as "
	  "PROPFIND)" },
	{ "Unavailable", 503, "The server is shutting down and takes no new work" },
	{ "Busy", 503, "A list query that would examine more than 10,000 records and values "
	  "(an expensive query; a whole export of that many too) while max-expensive-queries "
	  "others run: try again after Retry-After, or narrow it" },
};

_Static_assert(LIST_EXPENSIVE_SCAN == 10000, "the Busy problem's description says 10,000");

/* suffix: of the Allow header a 405 names (allow_kind()). */
static void problem_response(struct jsonw *w, size_t i, bool head, const char *suffix)
{
	struct strbuf name = STRBUF_INIT;

	strbuf_addf(&name, "%s%s%s", problems[i].name, suffix, head ? "Head" : "");
	jsonw_key(w, name.buf);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "description", problems[i].description);
	jsonw_key(w, "headers");
	jsonw_object_begin(w);
	/* A HEAD's problem has the GET's headers, Content-Encoding included. */
	common_headers(w, true, true);
	if (problems[i].status == HTTP_METHOD_NOT_ALLOWED)
		kv_ref(w, "Allow", "headers/Allow%s", suffix);
	if (!strcmp(problems[i].name, "Busy"))
		kv_ref(w, "Retry-After", "headers/Retry-After");
	jsonw_object_end(w);
	if (!head) {
		jsonw_key(w, "content");
		jsonw_object_begin(w);
		jsonw_key(w, "application/problem+json");
		jsonw_object_begin(w);
		jsonw_key(w, "schema");
		jsonw_object_begin(w);
		jsonw_key(w, "allOf");
		jsonw_array_begin(w);
		ref(w, "schemas/Problem");
		jsonw_object_begin(w);
		jsonw_kv_string(w, "type", "object");
		jsonw_key(w, "properties");
		jsonw_object_begin(w);
		jsonw_key(w, "status");
		jsonw_object_begin(w);
		jsonw_kv_int(w, "const", problems[i].status);
		jsonw_object_end(w);
		jsonw_key(w, "title");
		jsonw_object_begin(w);
		jsonw_kv_string(w, "const", http_status_reason(problems[i].status));
		jsonw_object_end(w);
		jsonw_object_end(w);
		jsonw_object_end(w);
		jsonw_array_end(w);
		jsonw_object_end(w);
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	strbuf_release(&name);
}

static void responses(struct jsonw *w)
{
	jsonw_key(w, "responses");
	jsonw_object_begin(w);
	for (size_t i = 0; i < sizeof(problems) / sizeof(problems[0]); i++) {
		problem_response(w, i, false, "");
		if (problems[i].status != HTTP_METHOD_NOT_ALLOWED) {
			problem_response(w, i, true, "");
		} else {
			problem_response(w, i, false, "WritableList");
			problem_response(w, i, false, "WritableRecord");
		}
	}
	jsonw_object_end(w);
}

/* ---- the document ---- */

static void tags(struct jsonw *w, const struct route_doc *docs, size_t n)
{
	const char *seen[MAX_RESOURCES + 8];
	size_t nseen = 0;

	jsonw_key(w, "tags");
	jsonw_array_begin(w);
	for (size_t i = 0; i <= n; i++) {
		const char *tag = i < n ? docs[i].tag : tag_refused;
		const struct resource *res = i < n ? docs[i].r->resource : NULL;
		size_t k;

		for (k = 0; k < nseen && strcmp(seen[k], tag); k++)
			;
		if (k < nseen || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = tag;
		jsonw_object_begin(w);
		jsonw_kv_string(w, "name", tag);
		if (res)
			kv_printf(w, "description", "The %s: lists that take the query grammar, "
				  "and one %s by its %s; in JSON, CSV or NDJSON", res->name,
				  res->singular, res->key);
		else
			jsonw_kv_string(w, "description",
					tag == tag_api ? "The index, the statistics and this document" :
					tag == tag_service ? "Liveness, readiness and metrics, for operators" :
					tag == tag_dashboard ? "The dashboard's page and files" :
					"The methods OpenAPI names that no path here allows: each is a 405 "
					"with Allow. A method OpenAPI does not name is a 501.");
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

static void info(struct jsonw *w, const struct store *s)
{
	const struct dataset *d = store_dataset(s);
	struct strbuf desc = STRBUF_INIT;

	strbuf_addf(&desc,
		"attache serves the dataset \"%s\" (version %s): read-only, unless it runs with a "
		"data file and a tokens file (--data and --tokens), when POST on a collection and "
		"PUT, PATCH (a JSON Merge Patch) and DELETE on its records change it, each with a "
		"bearer token (security: bearer), and GET /api/v1/changes lists every change.\n\n"
		"**Lists** take a query grammar, declared here parameter by parameter: "
		"`field=a,b` (equal to either; on an array, holds either), `field:op=value` "
		"(one parameter per operator the field's type takes), `q` (a word search, best "
		"matches first, explained in `meta.search`), `sort`, "
		"`limit`, `offset`, `fields` (a projection: records then hold only the members "
		"asked, as the *Fields schemas say) and `facet`. Filters combine with AND, a "
		"repeated filter too. Strings compare ignoring ASCII case. At most %d filters, "
		"%d values in one filter and 64 parameters. Integers are read as JSON Schema counts "
		"them: 5, 5.0 and 5e0 are all 5 (+5 too, sent as %%2B5).\n\n"
		"**Formats**: lists and records answer JSON, CSV (RFC 4180, a header row, "
		"nested members as dotted columns, arrays joined with \"; \") or NDJSON (one "
		"record a line). `format=json|csv|ndjson` chooses whatever Accept says and asks "
		"for a download (Content-Disposition); without it, Accept chooses. `bom=true` "
		"(CSV only) starts with a byte order mark. `limit=all` (CSV and NDJSON only) "
		"streams every match from `offset` on. `facet` is JSON's. A field named as one of "
		"these parameters (a meeting's `format`) is filtered as `format:eq=`.\n\n"
		"**Budget**: a list query, a whole export included, is planned before it runs and "
		"priced by what it would examine; past max-scan it is a 400, and past %d while "
		"max-expensive-queries others that costly run, a 503 with Retry-After.\n\n"
		"**Errors** are RFC 9457 problem details. A refused query names its `parameter`, "
		"and `allowed` lists what would do when that is a finite set.\n\n"
		"**Every path** answers GET, HEAD (the same headers, no body) and OPTIONS (204 "
		"with Allow). The other methods OpenAPI names are 405 with Allow, but for the writes "
		"when writes are on; any other method "
		"is 501. On every path, a target over max-uri-size is 414, a head over "
		"max-header-size 431, a body over max-body-size 413, bad framing 400 and a "
		"transfer coding other than chunked 501, before routing. A path not declared here "
		"is 404; the target * answers OPTIONS only.\n\n"
		"**Caching**: every 200 has a strong ETag (each format its own), and "
		"If-None-Match with it gets a 304. "
		"**gzip** when the request accepts it. **CORS** for the origins configured "
		"(cors-origin): answers to an allowed Origin carry Access-Control-Allow-Origin and "
		"Access-Control-Expose-Headers, and preflights the Access-Control-Allow-* headers.",
		d->title, d->version, QUERY_MAX_FILTERS, QUERY_MAX_VALUES, LIST_EXPENSIVE_SCAN);
	jsonw_key(w, "info");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "title", "attache");
	jsonw_kv_string(w, "version", ATTACHE_VERSION);
	jsonw_kv_string(w, "description", desc.buf);
	/* The code's licence (LICENSE); the data's own is in the index, GET /api/v1. */
	literal(w, "license", "{\"name\":\"MIT\",\"identifier\":\"MIT\"}");
	jsonw_object_end(w);
	strbuf_release(&desc);
}

void handle_openapi(const struct request *req, struct response *res)
{
	response_blob(res, &req->serving->site->openapi);
}

void openapi_render(const struct store *s, const char *schema, size_t schema_len,
		    const struct route *routes, size_t nroutes, struct strbuf *out)
{
	cJSON *root = cJSON_ParseWithLength(schema, schema_len);
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(root, "$defs");
	struct resource_use used[MAX_RESOURCES];
	const size_t nused = resources_used(routes, nroutes, used);
	struct route_doc *docs = xcalloc(nroutes ? nroutes : 1, sizeof(*docs));
	struct jsonw w;

	for (size_t i = 0; i < nroutes; i++)
		describe(&routes[i], &docs[i]);
	jsonw_init(&w, out, false);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "openapi", "3.1.0");
	info(&w, s);
	literal(&w, "servers", "[{\"url\":\"/\"}]");
	/* Reads are public: only the write operations ask for credentials (their own security). */
	literal(&w, "security", "[]");
	tags(&w, docs, nroutes);
	jsonw_key(&w, "paths");
	jsonw_object_begin(&w);
	for (size_t i = 0; i < nroutes; i++)
		path_item(&w, &docs[i]);
	jsonw_object_end(&w);
	jsonw_key(&w, "components");
	jsonw_object_begin(&w);
	schemas(&w, s, defs, used, nused);
	parameters(&w, used, nused);
	headers(&w);
	responses(&w);
	/* Reads are public; each write operation asks for a bearer token. */
	literal(&w, "securitySchemes", "{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\","
		"\"description\":\"A token made by attache --new-token NAME; the server keeps its SHA-256 "
		"(--tokens FILE)\"}}");
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	jsonw_release(&w);
	cJSON_Delete(root);
	free(docs);
}
