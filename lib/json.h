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

#include <stddef.h>

#include <cjson/cJSON.h>

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

#endif
