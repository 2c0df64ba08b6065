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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "lib/check.h"
#include "lib/phase.h"
#include "lib/strbuf.h"
#include "models/change.h"
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

/*
 * Checks the data file at path (or len bytes in memory) as store_load_*()
 * would load it, and finds every fault they would, the same first one; but
 * builds nothing that cannot fail (renderings, columns, search indexes),
 * for a faster --check in less memory. Returns 0 after appending what it
 * holds to summary, as store_describe() does; or -1 after appending the
 * fault to err.
 */
int store_check_file(const char *path, struct strbuf *err, struct strbuf *summary);
int store_check_buffer(const char *buf, size_t len, const char *name, struct strbuf *err,
		       struct strbuf *summary);

void store_free(struct store *s);

/* The collection whose records res describes, or STORE_NCOLLECTIONS for none. */
enum store_collection store_which(const struct resource *res);

/* The resource of a collection. */
const struct resource *store_resource(enum store_collection which);

const struct dataset *store_dataset(const struct store *s);
const struct collection *store_collection(const struct store *s, enum store_collection which);

/* The changes feed: the last STORE_CHANGES_KEPT writes, oldest first (models/change.h). */
#define STORE_CHANGES_KEPT 2000
const struct collection *store_changes(const struct store *s);

/* Lookups by key; NULL when absent. Country codes ignore case ("ro" is RO). */
const struct source *store_find_source(const struct store *s, const char *id, size_t len);
const struct country *store_find_country(const struct store *s, const char *code, size_t len);
const struct meeting *store_find_meeting(const struct store *s, const char *id, size_t len);
const struct deal *store_find_deal(const struct store *s, const char *id, size_t len);

/*
 * How the load of s went, step by step: wall clock, CPU time and page
 * faults (lib/phase.h). Borrowed; valid until store_free(). A write's
 * generation, which is not loaded, has none (n is 0).
 */
const struct phases *store_phases(const struct store *s);

/* A 64-bit digest of the source bytes (hash_wide()): equal files, equal digests. */
uint64_t store_digest(const struct store *s);

/*
 * Appends how many records each collection holds: "1 source, 20 countries,
 * 17 meetings, 27 deals".
 */
void store_describe(const struct store *s, struct strbuf *out);

/* Bytes of memory the store's records, renderings and indexes take. */
size_t store_memory(const struct store *s);

/*
 * Appends the store as a data file that store_load_*() reads back to the
 * same records, rendered the same: one record per line.
 */
void store_render_file(const struct store *s, struct strbuf *out);

/*
 * Writes: a batch of changes to a store, checked one by one by the loader's
 * rules against the store with the batch's earlier changes, then turned into
 * the next generation at once. The next generation is built from the
 * current one: the records the batch did not touch are copied as they are
 * (structs and rendered bytes), only the changed ones are read and
 * rendered, and the indexes of the collections they are in are rebuilt
 * (the search index also of collections whose searched text names them).
 * The store a batch starts from is not changed and must outlive the batch;
 * the new store shares memory with it by reference, so either may be freed
 * first.
 */
struct store_batch;

/* A record as the store (or a batch) holds it; borrowed. */
struct store_record {
	const void *record;
	const char *key;
	const char *json;              /* as served */
	size_t len;
	uint64_t etag;                 /* the hash of json: the record's strong ETag */
};

/* Starts a batch of changes to s. Free with store_batch_free() or store_batch_commit(). */
struct store_batch *store_batch_new(const struct store *s);
void store_batch_free(struct store_batch *b);

/* The record with this key as the batch sees it; false when there is none. */
bool store_batch_get(const struct store_batch *b, enum store_collection which, const char *key,
		     size_t len, struct store_record *out);

/*
 * Reads the object v as a record of which, checks it by every rule of the
 * loader (types, required members, vocabularies, references to the records
 * of the store and the batch), and adds it to the batch, replacing the
 * record with its key if there is one. Returns 0 with the record as it
 * will be served in *out (valid until the batch or the store it commits to
 * is freed); or -1 after reporting through c, a collecting check to hear
 * every fault (the batch is unchanged).
 */
int store_batch_put(struct store_batch *b, enum store_collection which, const cJSON *v,
		    struct check *c, struct store_record *out);

/*
 * Deletes the record with this key, which must exist. Returns 0; or -1
 * with why saying which records still refer to it (or that it is the last
 * source), the batch unchanged.
 */
int store_batch_delete(struct store_batch *b, enum store_collection which, const char *key,
		       size_t len, struct strbuf *why);

/*
 * For replaying a journal over a data file that may already hold some of
 * its changes (or hand edits): puts skip the reference checks, deletes of
 * records that are gone are done, and store_batch_check_refs() checks the
 * references of the end state once.
 */
void store_batch_defer_refs(struct store_batch *b);

/*
 * Checks that the records the batch puts name only records that exist once
 * it is applied, and that no record names one it deletes. Returns 0, or -1
 * after appending "deals/KEY.PATH: problem" to err.
 */
int store_batch_check_refs(const struct store_batch *b, struct strbuf *err);

/*
 * Adds a row to the changes feed of the next generation (its strings are
 * copied); the feed keeps the last STORE_CHANGES_KEPT, dropping the oldest.
 */
void store_batch_log(struct store_batch *b, const struct change *c);

/* Whether the batch changes nothing. */
bool store_batch_empty(const struct store_batch *b);

/* The next generation: returns a new store (free with store_free()), and frees the batch. */
struct store *store_batch_commit(struct store_batch *b);

#endif
