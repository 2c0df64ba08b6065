/*
 * jsonscan: stepping through JSON text without building a tree.
 *
 * For reading back JSON that attache rendered itself (the store's records),
 * one value at a time and in place: where a tree would cost an allocation
 * per value, these functions only move a pointer. Each takes the text as
 * [p, end) and returns where the item it read ends, or NULL when the text
 * there is not what it expects; nothing reads past end. Validation is not
 * their job (lib/json.h does that): they assume JSON and stay in bounds
 * when it is not.
 */
#ifndef ATTACHE_JSONSCAN_H
#define ATTACHE_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

/* Skips white space; returns the first other byte (or end). */
const char *jsonscan_ws(const char *p, const char *end);

/*
 * At a '"': appends the string's text, unescaped, to out (\uXXXX as UTF-8,
 * surrogate pairs joined, a lone surrogate as U+FFFD); returns the byte
 * after the closing quote.
 */
const char *jsonscan_string(const char *p, const char *end, struct strbuf *out);

/* At a number or a literal (true, false, null): returns where it ends. */
const char *jsonscan_atom(const char *p, const char *end);

/* Skips one value of any kind, nested ones included. */
const char *jsonscan_skip(const char *p, const char *end);

/*
 * For readers that take the common case straight from the text and leave
 * anything else to a full parser (a record's member readers): each
 * returns NULL where the text is not the simple thing it reads.
 */

/*
 * At a '"' of a string without escapes: sets *s and *len to its bytes
 * between the quotes and returns the byte after the closing one. NULL for
 * a string with an escape (whose bytes are not its value).
 */
const char *jsonscan_plain(const char *p, const char *end, const char **s, size_t *len);

/*
 * At a number: its value as strtod() reads the same bytes (as cJSON does;
 * the text must be valid JSON, which ends a number before end).
 */
const char *jsonscan_number(const char *p, const char *end, double *out);

/* At the literal word (true, false, null): returns the byte after it. */
const char *jsonscan_word(const char *p, const char *end, const char *word);

/*
 * After a value in an object or array closed by close ('}' or ']'): at a
 * comma, sets *more and returns the next value's or key's first byte; at
 * close, clears *more and returns the byte after it.
 */
const char *jsonscan_next(const char *p, const char *end, char close, bool *more);

/*
 * At the '{' or '[' that opens a container: returns its first key's or
 * element's first byte and sets *more, or returns the byte after an empty
 * container's close with *more clear.
 */
const char *jsonscan_open(const char *p, const char *end, char open, bool *more);

/*
 * At a key without escapes: sets *key and *len to it and returns its
 * value's first byte (after the colon).
 */
const char *jsonscan_key(const char *p, const char *end, const char **key, size_t *len);

#endif
