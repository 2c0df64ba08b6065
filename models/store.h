/*
 * store: the whole dataset in memory, validated, rendered and indexed.
 *
 * A store is loaded from a JSON file or a buffer in one call, and either it is
 * complete and valid or there is no store: validation is total (types,
 * required fields, ids, references, vocabularies, dates, money, every
 * record's evidence and the sources it cites) and the first
 * fault is reported as "FILE: PATH: problem". Once built, a store is never
 * changed, so any number of threads read it without locks; a reload builds a
 * new store beside the old one and the server swaps the pointer.
 *
 * Ownership: store_load_*() return a new store; free it with store_free().
 * Every pointer a store hands out is borrowed and valid until store_free().
 */
#ifndef ATTACHE_STORE_H
#define ATTACHE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"
#include "models/collection.h"
#include "models/country.h"
#include "models/dataset.h"
#include "models/deal.h"
#include "models/meeting.h"
#include "models/source.h"

/*
 * The largest data file store_load_file() reads: a million deals, each with
 * its evidence and a summary, take about 400 MiB.
 */
#define STORE_MAX_FILE_BYTES ((size_t)1 << 30)

/* In the data file's order: what records cite comes first. */
enum store_collection {
	STORE_SOURCES, STORE_COUNTRIES, STORE_MEETINGS, STORE_DEALS, STORE_NCOLLECTIONS
};

struct store;

/*
 * Reads and validates the JSON data file at path. Returns a new store, or
 * NULL after appending one message naming the file, the JSON path and the
 * problem to err.
 */
struct store *store_load_file(const char *path, struct strbuf *err);

/* The same for len bytes in memory; name is used in messages. */
struct store *store_load_buffer(const char *buf, size_t len, const char *name,
				struct strbuf *err);

void store_free(struct store *s);

const struct dataset *store_dataset(const struct store *s);
const struct collection *store_collection(const struct store *s, enum store_collection which);

/* Lookups by key; NULL when absent. Country codes ignore case ("ro" is RO). */
const struct source *store_find_source(const struct store *s, const char *id, size_t len);
const struct country *store_find_country(const struct store *s, const char *code, size_t len);
const struct meeting *store_find_meeting(const struct store *s, const char *id, size_t len);
const struct deal *store_find_deal(const struct store *s, const char *id, size_t len);

/* A 64-bit FNV-1a digest of the source bytes: equal files, equal digests. */
uint64_t store_digest(const struct store *s);

/*
 * Appends how many records each collection holds: "1 source, 20 countries,
 * 17 meetings, 27 deals".
 */
void store_describe(const struct store *s, struct strbuf *out);

/* Bytes of memory the store's records, renderings and indexes take. */
size_t store_memory(const struct store *s);

#endif
