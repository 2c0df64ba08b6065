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

#endif
