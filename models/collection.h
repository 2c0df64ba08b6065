/*
 * collection: one resource's records, rendered and indexed, as the store holds them.
 *
 * Built once when a store is loaded, read-only afterwards, so any number of
 * threads read it without locks. It holds:
 *   - the records (an array of the resource's struct) and each record's JSON,
 *     rendered once, with the byte range of each top-level member so that a
 *     projection (fields=a,b) is a copy of slices, not a re-render;
 *   - a hash of keys (id or code) to positions, for O(1) lookups;
 *   - one column per field of the resource: the field's distinct values in
 *     sorted order (a dictionary), each record's value ids, and for each
 *     value the ascending list of records that hold it (postings). Equality
 *     filters read postings; ranges are id ranges of the sorted dictionary;
 *     sorting compares value ids (or, for a field whose values come from a
 *     vocabulary, their ranks in the vocabulary's declared order); facets
 *     count them;
 *   - the inverted index of its searched text (q=, models/search.h), which
 *     the store builds once every collection is read, since a record's
 *     searched text includes the names of the records it refers to.
 * Positions are a record's index in the data file's order: the natural order.
 * All memory belongs to the arena given to collection_build().
 */
#ifndef ATTACHE_COLLECTION_H
#define ATTACHE_COLLECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/jsonw.h"
#include "models/dataset.h"
#include "models/resource.h"
#include "models/search.h"

/* The value id of a null scalar. */
#define COLUMN_NULL UINT32_MAX

/*
 * A distinct value of a column: its text (strings, dates, an array's
 * elements) or its integer (integers, booleans), as the field's type says.
 * 8 bytes, where a struct field_value takes 40: a column of a million
 * distinct ids keeps 32 MB less.
 */
union column_value {
	int64_t i;
	const char *s;
};

struct column {
	const struct field *field;
	uint32_t ndistinct;
	union column_value *values;  /* ndistinct values, sorted; for arrays, element values */
	uint32_t *ids;               /* scalar: ids[r]; array: ids[offsets[r] .. offsets[r+1]) */
	uint32_t *offsets;           /* arrays only: n + 1 entries */
	uint32_t *pstart;            /* ndistinct + 1 entries into postings */
	uint32_t *postings;          /* records holding value v: postings[pstart[v] .. pstart[v+1]) */
	uint32_t *nulls;             /* records whose value is null (an empty array) */
	uint32_t nnulls;
	/* The order sort= follows, when not the dictionary's: a vocabulary field's
	 * values in the vocabulary's order. rank[v] is value v's place, by_rank[k]
	 * the value in place k; both NULL for the dictionary's own order. */
	uint32_t *rank;
	uint32_t *by_rank;
};

/*
 * A record's rendered bytes, and where each member's "name":value lies in
 * them, one range per resource member in order (fields= copies them by
 * index). A record of at most RECORD_JSON_NARROW bytes, nearly every one,
 * keeps its ranges as 16-bit offset and length pairs, half the memory of
 * struct jsonw_frag; a larger one keeps struct jsonw_frag. Read a range
 * with record_json_member().
 */
struct record_json {
	const char *json;
	uint32_t len;
	const void *members;                /* uint16_t pairs, or struct jsonw_frag */
	uint64_t hash;                      /* of the bytes: the record's ETag */
};

#define RECORD_JSON_NARROW UINT16_MAX

/* Where member i (its place in the resource's member table) lies in j->json. */
static inline struct jsonw_frag record_json_member(const struct record_json *j, size_t i)
{
	const uint16_t *m = (const uint16_t *)j->members + 2 * i;

	if (j->len > RECORD_JSON_NARROW)
		return ((const struct jsonw_frag *)j->members)[i];
	return (struct jsonw_frag){ .off = m[0], .len = m[1] };
}

struct collection {
	const struct resource *res;
	uint32_t n;
	const char *records;             /* n records of res->record_size bytes */
	const struct record_json *json;
	const struct column *columns;    /* parallel to res->fields */
	struct search_index search;      /* q=; built by the store after collection_build() */
	uint32_t *slots;                 /* key hash table: position + 1, 0 = empty */
	size_t nslots;
};

/*
 * Builds c over the n records at records (an array of res's struct, which must
 * stay valid as long as the arena); the vocabularies of dataset (which may be
 * NULL) order their fields for sort=. Fails only on a duplicate key: returns
 * -1 with the two positions in *dup_first and *dup_second. A big collection
 * is rendered and indexed on two threads, with the result one thread gives.
 */
int collection_build(struct collection *c, const struct resource *res, const void *records,
		     uint32_t n, const struct dataset *dataset, struct arena *a, uint32_t *dup_first,
		     uint32_t *dup_second);

/*
 * Only what finds a fault: c's records and its key table (lookups by key
 * work), no renderings, columns or search index; for checking a data file
 * without serving it. Fails as collection_build() does.
 */
int collection_build_keys(struct collection *c, const struct resource *res, const void *records,
			  uint32_t n, struct arena *a, uint32_t *dup_first, uint32_t *dup_second);

/*
 * The rest of collection_build() for c, whose keys collection_build_keys()
 * built: renders each record and builds the columns. Only c->json and
 * c->columns are written, so other threads may read the rest of c (its
 * records, its keys) meanwhile. Never fails.
 */
void collection_build_indexes(struct collection *c, const struct dataset *dataset,
			      struct arena *a);

/*
 * The same over records already rendered: json[i] is record i's rendering
 * (copied, not re-rendered), so a write re-renders only what it changed.
 */
int collection_build_rendered(struct collection *c, const struct resource *res,
			      const void *records, const struct record_json *json, uint32_t n,
			      const struct dataset *dataset, struct arena *a, uint32_t *dup_first,
			      uint32_t *dup_second);

/*
 * The same, reusing the columns of old, the same resource's collection in
 * the previous generation: from[i] is the position in old of record i when
 * it is unchanged, UINT32_MAX when it is new or changed. The columns are
 * what collection_build_rendered() would build, but only the changed
 * records' values are sorted: the rest is merged, in time linear in the
 * records. (A write's next generation; models/store.c.)
 */
int collection_build_from(struct collection *c, const struct resource *res, const void *records,
			  const struct record_json *json, uint32_t n, const struct collection *old,
			  const uint32_t *from, const struct dataset *dataset, struct arena *a,
			  uint32_t *dup_first, uint32_t *dup_second);

/*
 * Renders record (of res) into *out, its bytes and member ranges in the arena:
 * what collection_build() does for each record.
 */
void collection_render(const struct resource *res, const void *record, struct record_json *out,
		       struct arena *a);

/* Value v's place in the order sort= follows. */
static inline uint32_t column_rank(const struct column *col, uint32_t v)
{
	return col->rank ? col->rank[v] : v;
}

/* The value in place k of the order sort= follows. */
static inline uint32_t column_by_rank(const struct column *col, uint32_t k)
{
	return col->by_rank ? col->by_rank[k] : k;
}

/* Returns record i (borrowed), i < c->n. */
static inline const void *collection_record(const struct collection *c, uint32_t i)
{
	return c->records + (size_t)i * c->res->record_size;
}

/* A key's hash, case-folded when fold (the resource's keys are: key_casefold). */
uint64_t collection_key_hash(const char *key, size_t len, bool fold);

/* Whether the key a (NUL-terminated) is the len bytes at b, ignoring ASCII case when fold. */
bool collection_key_equal(const char *a, const char *b, size_t blen, bool fold);

/* Returns the position of the record with this key, or -1. Case-folds when the resource does. */
int64_t collection_find(const struct collection *c, const char *key, size_t len);

/* Compares a and b in a column's order: strings ignore ASCII case first, nulls sort last. */
int column_compare(enum field_type type, const struct field_value *a, const struct field_value *b);

/* Value k (< col->ndistinct) of col's dictionary, as a field_value to compare. */
struct field_value column_value(const struct column *col, uint32_t k);

/*
 * The range [*lo, *hi) of value ids equal to v in the sense of the API:
 * strings ignoring ASCII case, integers and dates exactly.
 */
void column_equal_range(const struct column *col, const struct field_value *v,
			uint32_t *lo, uint32_t *hi);

/* The first value id whose value is >= v (strict: > v). */
uint32_t column_lower_bound(const struct column *col, const struct field_value *v, bool strict);

/* Value ids of record r: *n ids at the returned pointer (0 or 1 for scalars; nulls give 0). */
const uint32_t *column_record_ids(const struct column *col, uint32_t r, uint32_t *n);

#endif
