/*
 * resource: how a record type is described to the store and the list engine.
 *
 * countries, meetings and deals differ in their members and fields, not in
 * how they are loaded, rendered, filtered, sorted and paged. Each record
 * module fills one struct resource: its top-level JSON members (one table,
 * models/member.h, from which the record is read, checked and rendered), its
 * fields (what a query may do with them and where a record holds them), and
 * how to read one record. The store, models/collection.c and models/query.c
 * work from these tables only.
 *
 * Everything here is static, read-only data.
 */
#ifndef ATTACHE_RESOURCE_H
#define ATTACHE_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "models/member.h"

enum field_type {
	FIELD_STRING,   /* text, compared ignoring ASCII case */
	FIELD_INTEGER,  /* int64 */
	FIELD_DATE,     /* YYYY-MM-DD text */
	FIELD_STRINGS,  /* an array of text; equality means "contains" */
	FIELD_BOOLEAN,  /* true or false */
};

/* What a query may do with a field beyond filtering, which every field allows. */
enum {
	FIELD_SORT = 1 << 0,    /* sort=field (scalars only) */
	FIELD_FACET = 1 << 1,   /* facet=field */
};

/*
 * Whether q= searches a field's text, and how much a match there counts in
 * the ranking (models/search.h). A vocabulary field is searched by its
 * values' labels, a reference field by the names of the records it names.
 */
enum search_weight {
	SEARCH_NONE = 0,
	SEARCH_TEXT = 1,        /* summaries and other running text */
	SEARCH_CONTEXT = 2,     /* labels, the names of the records it names, places */
	SEARCH_PARTY = 3,       /* companies, partners, organizations, people, aliases */
	SEARCH_NAME = 4,        /* the record's own name or title */
};

/* One field's value in one record; borrowed from the record. */
struct field_value {
	bool null;
	int64_t i;            /* FIELD_INTEGER; FIELD_BOOLEAN, as 0 or 1 */
	const char *s;        /* FIELD_STRING, FIELD_DATE */
	struct strs list;     /* FIELD_STRINGS */
};

struct resource;

struct field {
	const char *name;              /* "value.amount": dots name nested members */
	enum field_type type;
	unsigned flags;
	const char *description;       /* one line, for the OpenAPI document */
	size_t offset;                 /* where the record holds it, or the member it is inside */
	/* How to read it from the member at offset, when it is not that member itself. */
	void (*get)(const struct field *f, const void *record, struct field_value *out);
	const struct resource *ref;    /* whose keys it holds (deals' countries), or NULL */
	const char *vocab;             /* the dataset vocabulary its values come from, or NULL */
	enum search_weight search;     /* searched by q=, with this weight; or SEARCH_NONE */
};

struct resource {
	const char *name;              /* "deals", as in the URL */
	const char *singular;          /* "deal" */
	const char *schema;            /* its definition in data/schema.json: "Deal" */
	const char *key;               /* the identifying field: "id", "code" */
	const char *label;             /* the field that names a record for people: "name", "title" */
	bool key_casefold;             /* keys compare ignoring ASCII case */
	size_t record_size;            /* sizeof the record struct */
	const struct member *members;  /* top-level members, in the order rendered */
	size_t nmembers;
	const struct field *fields;
	size_t nfields;
	const char *(*get_key)(const void *record);
	/*
	 * The rules that tie a record's members together, checked once they are
	 * read (NULL: none); may also fill derived members. Returns 0, or -1
	 * after reporting through c.
	 */
	int (*check)(struct check *c, struct arena *a, void *record);
};

/* The member and field tables of a resource, given as two arrays. */
#define RESOURCE_TABLES(m, f) \
	.members = m, .nmembers = sizeof(m) / sizeof((m)[0]), \
	.fields = f, .nfields = sizeof(f) / sizeof((f)[0])

/*
 * Reads the object v into record (r->record_size zeroed bytes): its members
 * by the member table, then r's own rules, then its inferences (each must
 * name a member the record gives). Returns 0, or -1 after reporting.
 */
int resource_read(const struct resource *r, struct check *c, const cJSON *v, struct arena *a,
		  void *record);

/*
 * resource_read() straight from the record's text, the len bytes of valid
 * JSON at p, into record (zeroed): returns 0 when the record is read, or
 * -1 when it is anything resource_read() would refuse or that this reader
 * leaves to it (see member_scan_object()): then record is to be cleared
 * and read by resource_read(), which reports the fault. Reports nothing,
 * touches only record and a: safe on any thread.
 */
int resource_scan(const struct resource *r, const char *p, size_t len, struct arena *a,
		  void *record);

/* Reads field f of record into *out (zeroed by the caller). */
void field_get(const struct field *f, const void *record, struct field_value *out);

/* Returns the field called name (exact), or NULL. */
const struct field *resource_field(const struct resource *r, const char *name, size_t len);

/* Returns the index of top-level member name in r->members, or -1. */
int resource_member(const struct resource *r, const char *name, size_t len);

/* Returns the first field of r that holds keys of target (deals' "countries"), or NULL. */
const struct field *resource_ref_field(const struct resource *r, const struct resource *target);

/* Writes record as its JSON object: every member, in order. */
void resource_render(const struct resource *r, struct jsonw *w, const void *record);

/* The type's name as the API documents it: "string", "integer", "date", "array of strings",
 * "boolean". */
const char *field_type_name(enum field_type t);

#endif
