/*
 * format: which representation of records a request asks for.
 *
 * Lists and records are served as JSON (the default), CSV (RFC 4180, for
 * spreadsheets) or NDJSON (one JSON record a line, for pipelines). A client
 * chooses with format=json|csv|ndjson, which wins and also asks for a file
 * to save (Content-Disposition: attachment, named after the path and the
 * dataset), or with Accept, negotiated with q-values (lib/accept.h). Beside
 * the list grammar (models/query.h) the formats bring:
 *
 *   format=csv|ndjson|json   the representation; wins over Accept
 *   bom=true|false           CSV only: start with a UTF-8 byte order mark
 *   limit=all                CSV and NDJSON lists only: every match, streamed
 *
 * facet= stays a JSON feature (the counts live in a JSON list's meta).
 */
#ifndef ATTACHE_FORMAT_H
#define ATTACHE_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "handlers/handler.h"
#include "handlers/response.h"
#include "lib/strbuf.h"

#define MEDIA_CSV "text/csv; charset=utf-8; header=present"
#define MEDIA_NDJSON "application/x-ndjson"

enum format { FORMAT_JSON, FORMAT_CSV, FORMAT_NDJSON, FORMAT_COUNT };

struct format_desc {
	const char *name;          /* in format=: "csv" */
	const char *media;         /* the Content-Type */
	const char *ext;           /* of a file name */
	const char *description;   /* one line, for the OpenAPI document */
};

/* The description of format f. Static data. */
const struct format_desc *format_desc(enum format f);

/* What a request asks of the representation. */
struct output {
	enum format format;
	bool download;             /* format= named it: a file to save */
	bool bom;                  /* bom=true */
	bool all;                  /* limit=all */
};

/*
 * Reads format=, bom= and limit= of req's query and its Accept header into
 * out. list: a list route, where limit=all may be asked. Returns 0, or -1
 * after making res a 400 problem naming the parameter at fault, or a 406
 * when Accept excludes every format and format= does not choose one.
 */
int format_choose_or_problem(const struct request *req, struct response *res, bool list,
			     struct output *out);

/*
 * The query parameters for models/query.h: req's, without limit=all when
 * out->all. Returns a new array of *n pairs (borrowing req's strings); free
 * it with free().
 */
struct query_param *format_query_params(const struct request *req, const struct output *out,
					size_t *n);

/* The ETag value of the answer in out's format, from the value tag names for JSON. */
uint64_t format_tag(const struct output *out, uint64_t tag);

/*
 * Appends the file name of a download of req in out's format: the path
 * after /api/v1/ and the dataset's id (or, without one, its title) as
 * lower-case words joined by '-', then the extension:
 * "deals-vilnius-2023.csv", "countries-ro-deals-vilnius-2023.ndjson".
 */
void format_filename(const struct request *req, const struct output *out, struct strbuf *name);

#endif
