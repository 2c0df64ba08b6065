/*
 * url: percent-encoding, both ways (RFC 3986).
 *
 * percent_decode() reads what a client sent in a path segment or a query
 * component; url_encode_query() writes a query component back for links.
 * Both append to a caller's strbuf and allocate nothing else.
 */
#ifndef ATTACHE_URL_H
#define ATTACHE_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

/*
 * Decodes %XX escapes of the len bytes at s into out ('+' as space when
 * plus_is_space). Returns NULL, or what is wrong: a bad escape, an encoded
 * NUL, invalid UTF-8 (a static phrase); out then holds a part of the bytes.
 */
const char *percent_decode(const char *s, size_t len, bool plus_is_space, struct strbuf *out);

/*
 * Appends s percent-encoded for a query component: RFC 3986 unreserved
 * characters and the sub-delimiters the list grammar uses (",:!$'()*@/")
 * stay as they are, every other byte becomes %XX.
 */
void url_encode_query(struct strbuf *sb, const char *s);

#endif
