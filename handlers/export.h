/*
 * export: records as CSV or NDJSON, produced a chunk at a time.
 *
 * An export is a body_stream (handlers/stream.h) over a list of record
 * positions: each pull renders rows from the bytes the store rendered at
 * load until about EXPORT_CHUNK bytes are ready, and hands them out. A page
 * of a list is the same stream read to its end into memory; a whole
 * collection (limit=all) is sent as it is produced, so the memory an export
 * holds is its positions (4 bytes a record) and one chunk, whatever the
 * number of records.
 *
 *   CSV     a header row naming the columns (handlers/columns.h), then a row
 *           a record, CRLF line ends; with bom, a UTF-8 byte order mark first
 *   NDJSON  a record a line, each the record's JSON as a JSON list has it,
 *           ended by "\n"
 */
#ifndef ATTACHE_EXPORT_H
#define ATTACHE_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "handlers/columns.h"
#include "handlers/format.h"
#include "handlers/stream.h"
#include "models/collection.h"
#include "models/query.h"

/* About how many bytes each pull renders before handing them out. */
#define EXPORT_CHUNK (64 * 1024)

/*
 * Makes *out the stream of the records of c at the n positions pos, in
 * format (FORMAT_CSV or FORMAT_NDJSON), with the members q chose (fields=).
 * Takes pos (from malloc). cols are c's columns, for CSV; bom: CSV starts
 * with a byte order mark. The stream borrows c and cols: they must outlive
 * it.
 */
void export_stream(struct body_stream *out, const struct collection *c,
		   const struct columns *cols, const struct query *q, uint32_t *pos, uint32_t n,
		   enum format format, bool bom);

#endif
