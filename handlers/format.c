/*
 * format: choosing JSON, CSV or NDJSON, and naming downloads (see format.h).
 */
#include "handlers/format.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/route.h"
#include "handlers/site.h"
#include "lib/accept.h"
#include "lib/hash.h"
#include "lib/mem.h"
#include "models/query.h"

static const struct format_desc formats[FORMAT_COUNT] = {
	[FORMAT_JSON] = { "json", MEDIA_JSON, "json", "A JSON list (or record)" },
	[FORMAT_CSV] = { "csv", MEDIA_CSV, "csv",
			 "RFC 4180 CSV with a header row: nested members as dotted columns, "
			 "arrays joined with \"; \", null empty" },
	[FORMAT_NDJSON] = { "ndjson", MEDIA_NDJSON, "ndjson",
			    "One JSON record a line, each as in the JSON list" },
};

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* The longest parts of a download's name: the path's, then the dataset's. */
#define FILENAME_PATH_MAX 96
#define FILENAME_DATASET_MAX 48

const struct format_desc *format_desc(enum format f)
{
	return &formats[f];
}

/* Refuses param with a detail (one %s: value) and, when given, the values that would do. */
static int refuse(const struct request *req, struct response *res, const char *param,
		  const char *const *allowed, size_t nallowed, const char *detail, const char *value)
	__attribute__((format(printf, 6, 0)));

static int refuse(const struct request *req, struct response *res, const char *param,
		  const char *const *allowed, size_t nallowed, const char *detail, const char *value)
{
	struct query_error err;

	query_error_init(&err);
	err.param = param;
	for (size_t i = 0; i < nallowed; i++)
		err.allowed[err.nallowed++] = allowed[i];
	strbuf_addf(&err.detail, detail, value);
	response_query_problem(req, res, &err);
	query_error_release(&err);
	return -1;
}

/* The value of the one parameter key in req's query (NULL: absent); -1 when given twice. */
static int lookup_once(const struct request *req, struct response *res, const char *key,
		       const char **value)
{
	*value = NULL;
	for (size_t i = 0; i < req->nquery; i++) {
		if (strcmp(req->query[i].key, key))
			continue;
		if (*value)
			return refuse(req, res, key, NULL, 0, "parameter \"%s\" is given more than once",
				      key);
		*value = req->query[i].value;
	}
	return 0;
}

/* A value as a message shows it: cut when long. */
static const char *shown(const char *s, char *buf, size_t size)
{
	if (strlen(s) < size)
		return s;
	memcpy(buf, s, size - 4);
	memcpy(buf + size - 4, "...", 4);
	return buf;
}

static int read_format(const struct request *req, struct response *res, struct output *out)
{
	static const char *const names[] = { "json", "csv", "ndjson" };
	const char *offers[FORMAT_COUNT], *value;
	char tmp[64];
	int chosen;

	if (lookup_once(req, res, "format", &value))
		return -1;
	if (value) {
		for (int f = 0; f < FORMAT_COUNT; f++) {
			if (!strcmp(value, formats[f].name)) {
				out->format = (enum format)f;
				out->download = true;
				return 0;
			}
		}
		/* A resource may have a field called format (a meeting's): its filter is format:eq=. */
		if (req->route && req->route->resource &&
		    resource_field(req->route->resource, "format", 6))
			return refuse(req, res, "format", names, FORMAT_COUNT,
				      "format must be json, csv or ndjson, got \"%s\"; to filter by "
				      "the field format, write format:eq=", shown(value, tmp, sizeof(tmp)));
		return refuse(req, res, "format", names, FORMAT_COUNT,
			      "format must be json, csv or ndjson, got \"%s\"",
			      shown(value, tmp, sizeof(tmp)));
	}
	for (int f = 0; f < FORMAT_COUNT; f++)
		offers[f] = formats[f].media;
	chosen = accept_choose(req->accept, offers, FORMAT_COUNT);
	if (chosen < 0) {
		response_problem(req, res, HTTP_NOT_ACCEPTABLE,
				 "this resource is application/json, text/csv or application/x-ndjson, "
				 "and the Accept header excludes all three; format=json, csv or ndjson "
				 "chooses one whatever Accept says");
		return -1;
	}
	out->format = (enum format)chosen;
	return 0;
}

int format_choose_or_problem(const struct request *req, struct response *res, bool list,
			     struct output *out)
{
	static const char *const booleans[] = { "true", "false" };
	const char *bom, *limit, *facet;
	char tmp[64];

	memset(out, 0, sizeof(*out));
	if (read_format(req, res, out) || lookup_once(req, res, "bom", &bom))
		return -1;
	if (bom && strcmp(bom, "true") && strcmp(bom, "false"))
		return refuse(req, res, "bom", booleans, 2, "bom expects true or false, got \"%s\"",
			      shown(bom, tmp, sizeof(tmp)));
	out->bom = bom && !strcmp(bom, "true");
	if (out->bom && out->format != FORMAT_CSV)
		return refuse(req, res, "bom", NULL, 0,
			      "bom=true is for CSV, which Excel reads as UTF-8 only after a byte "
			      "order mark; this answer is %s, which never carries one",
			      out->format == FORMAT_JSON ? "JSON" : "NDJSON");
	if (!list)
		return 0;
	if (lookup_once(req, res, "limit", &limit) || lookup_once(req, res, "facet", &facet))
		return -1;
	out->all = limit && !strcmp(limit, "all");
	if (out->all && out->format == FORMAT_JSON)
		return refuse(req, res, "limit", NULL, 0,
			      "limit=all streams every match, in CSV or NDJSON only (format=csv or "
			      "format=ndjson); a JSON page holds at most %s records",
			      STRINGIFY(QUERY_MAX_LIMIT));
	if (facet && out->format != FORMAT_JSON)
		return refuse(req, res, "facet", NULL, 0,
			      "facet counts values into the meta of a JSON list; %s answers carry "
			      "records only (ask for JSON, with limit=0 for the counts alone)",
			      out->format == FORMAT_CSV ? "CSV" : "NDJSON");
	return 0;
}

struct query_param *format_query_params(const struct request *req, const struct output *out,
					size_t *n)
{
	struct query_param *p = xmalloc((req->nquery ? req->nquery : 1) * sizeof(*p));

	*n = 0;
	for (size_t i = 0; i < req->nquery; i++)
		if (!(out->all && !strcmp(req->query[i].key, "limit")))
			p[(*n)++] = req->query[i];
	return p;
}

uint64_t format_tag(const struct output *out, uint64_t tag)
{
	const char *name = formats[out->format].name;

	return out->format == FORMAT_JSON ? tag : hash_bytes(tag, name, strlen(name));
}

/* Appends s as lower-case ASCII words joined by '-', at most max bytes of them. */
static void add_slug(struct strbuf *sb, const char *s, size_t max)
{
	const size_t start = sb->len;
	bool dash = false;

	for (; *s && sb->len - start < max; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && sb->len > start)
				strbuf_addch(sb, '-');
			strbuf_addch(sb, c);
			dash = false;
		} else {
			dash = true;
		}
	}
}

void format_filename(const struct request *req, const struct output *out, struct strbuf *name)
{
	static const char api[] = "/api/v1/";
	const struct dataset *d = store_dataset(req->serving->site->store);
	const char *path = req->path;
	size_t before;

	if (!strncmp(path, api, sizeof(api) - 1))
		path += sizeof(api) - 1;
	add_slug(name, path, FILENAME_PATH_MAX);
	before = name->len;
	if (before)
		strbuf_addch(name, '-');
	add_slug(name, d->id ? d->id : d->title, FILENAME_DATASET_MAX);
	if (name->len == before + 1)
		strbuf_setlen(name, before);
	if (!name->len)
		strbuf_addstr(name, "export");
	strbuf_addf(name, ".%s", formats[out->format].ext);
}
