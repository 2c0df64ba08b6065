/*
 * etag: strong entity-tags made from a 64-bit hash, and If-None-Match lists.
 *
 * A tag names bytes: "0123456789abcdef" is the hash of a body, and the gzip
 * of that body, another representation, is "0123456789abcdef-gz". Pure
 * functions; nothing here allocates.
 */
#ifndef ATTACHE_ETAG_H
#define ATTACHE_ETAG_H

#include <stdbool.h>
#include <stdint.h>

/* A quoted 16-hex-digit tag plus "-gz" and the NUL: "\"0123456789abcdef-gz\"". */
#define ETAG_SIZE 24

/* Writes the quoted ETag for tag into out (ETAG_SIZE bytes), with "-gz" when gzipped. */
void etag_format(char *out, uint64_t tag, bool gzipped);

/*
 * Whether the If-None-Match header value (a list of entity-tags, or "*")
 * matches etag, by the weak comparison of RFC 9110 13.1.2. A value that is
 * not an entity-tag list matches nothing.
 */
bool etag_list_matches(const char *header, const char *etag);

/*
 * Whether the If-Match header value matches the current representation of a
 * resource whose tag is tag (exists says whether there is one), by RFC 9110
 * 13.1.1: "*" matches any current representation; otherwise an entity-tag
 * of the list must equal the tag by the strong comparison (a weak one never
 * does). The gzip representation's tag ("...-gz") names the same state and
 * matches too.
 */
bool etag_if_match(const char *header, bool exists, uint64_t tag);

#endif
