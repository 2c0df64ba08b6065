/*
 * json: strict reading of JSON text into a cJSON tree.
 *
 * cJSON alone accepts too much for a data file (trailing text, raw control
 * characters and invalid UTF-8 in strings, strings cut at \u0000) and reports
 * errors through a process-wide pointer. json_parse() first checks the text
 * against RFC 8259 itself — grammar, UTF-8, escapes, surrogate pairs, nesting —
 * so that every fault is reported once, with its line and column, and only then
 * lets cJSON (cJSON_ParseWithLengthOpts and its end pointer) build the tree.
 */
#ifndef ATTACHE_JSON_H
#define ATTACHE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/strbuf.h"

/* How deep arrays and objects may nest in a data file. */
#define JSON_MAX_DEPTH 64

/*
 * Checks that the len bytes at buf are exactly one JSON text (a leading UTF-8
 * byte order mark is allowed). Returns 0, or -1 after appending to msg
 * "line L, column C: what is wrong" (columns count characters, from 1).
 */
int json_validate(const char *buf, size_t len, struct strbuf *msg);

/*
 * Validates and parses. Returns a new tree (free with cJSON_Delete()), or NULL
 * after appending "NAME: line L, column C: what is wrong" to err.
 */
cJSON *json_parse(const char *buf, size_t len, const char *name, struct strbuf *err);

/* A top-level array member whose elements are parsed one at a time (json_parse_split()). */
struct json_split {
	const char *key;        /* the member's name (given) */
	bool found;             /* it is there, an array (its first occurrence) */
	size_t n;               /* its elements */
	size_t *start, *len;    /* the byte range of each in the text */
};

/*
 * Validates like json_parse(), then parses all of the text but the elements
 * of the top-level members split[] names whose values are arrays: in the
 * tree returned those arrays are empty, and split[i] says where their
 * elements are, for json_parse_element(). So a file of a million records
 * is never a tree of them all at once. Returns the tree (free with
 * cJSON_Delete(), and split with json_split_release()), or NULL after
 * appending the fault to err as json_parse() does.
 */
cJSON *json_parse_split(const char *buf, size_t len, const char *name, struct strbuf *err,
			struct json_split *split, size_t nsplit);

/* Parses element i of s in buf, the text given to json_parse_split(). Free with cJSON_Delete(). */
cJSON *json_parse_element(const char *buf, const struct json_split *s, size_t i);

/*
 * The same, with the tree's memory taken from the arena a: a chunk of
 * elements is parsed without a malloc() or free() each node, and freed at
 * once by arena_reset(). Never cJSON_Delete() such a tree.
 */
cJSON *json_parse_element_in(const char *buf, const struct json_split *s, size_t i,
			     struct arena *a);

void json_split_release(struct json_split *split, size_t nsplit);

#endif
