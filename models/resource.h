/*
 * resource: how a record type is described to the generic list engine.
 *
 * countries, meetings and deals differ in their fields, not in how a list of
 * them is filtered, sorted, paged and rendered. Each record module fills one
 * struct resource: its fields (name, type, what a query may do with them, how
 * to read them from a record) and its top-level JSON members in the order it
 * renders them. The store and models/query.c work from these tables only.
 *
 * Everything here is static, read-only data.
 */
#ifndef ATTACHE_RESOURCE_H
#define ATTACHE_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/check.h"
#include "lib/jsonw.h"

enum field_type {
	FIELD_STRING,   /* text, compared ignoring ASCII case */
	FIELD_INTEGER,  /* int64 */
	FIELD_DATE,     /* YYYY-MM-DD text */
	FIELD_STRINGS,  /* an array of text; equality means "contains" */
};

/* What a query may do with a field beyond filtering, which every field allows. */
enum {
	FIELD_SORT = 1 << 0,    /* sort=field (scalars only) */
	FIELD_FACET = 1 << 1,   /* facet=field */
	FIELD_SEARCH = 1 << 2,  /* searched by q= */
};

/* One field's value in one record; borrowed from the record. */
struct field_value {
	bool null;
	int64_t i;            /* FIELD_INTEGER */
	const char *s;        /* FIELD_STRING, FIELD_DATE */
	struct strs list;     /* FIELD_STRINGS */
};

struct field {
	const char *name;              /* "value.amount": dots name nested members */
	enum field_type type;
	unsigned flags;
	void (*get)(const void *record, struct field_value *out);
	const char *description;       /* one line, for the OpenAPI document */
};

struct resource {
	const char *name;              /* "deals", as in the URL */
	const char *singular;          /* "deal" */
	const char *key;               /* the identifying field: "id", "code" */
	bool key_casefold;             /* keys compare ignoring ASCII case */
	size_t record_size;            /* sizeof the record struct */
	const struct field *fields;
	size_t nfields;
	const char *const *members;    /* rendered top-level members, in order, NULL-terminated */
	const char *(*get_key)(const void *record);
	void (*render)(struct jsonw *w, const void *record);
};

/* Returns the field called name (exact), or NULL. */
const struct field *resource_field(const struct resource *r, const char *name, size_t len);

/* Returns the index of top-level member name in r->members, or -1. */
int resource_member(const struct resource *r, const char *name, size_t len);

/* The type's name as the API documents it: "string", "integer", "date", "array of strings". */
const char *field_type_name(enum field_type t);

#endif
