/*
 * tokens: who may write, as a file of token names and SHA-256 hashes.
 *
 * The file (--tokens FILE) holds one token per line, "NAME HEX": a name
 * (letters, digits, '.', '_', '-'; it names the writer in the access log and
 * the changes feed) and the SHA-256 of the token, 64 hex digits. Blank lines
 * and lines starting with '#' are skipped. The tokens themselves are never
 * stored: a presented token is hashed (nettle's SHA-256) and compared with
 * every hash in constant time, so neither the time taken nor the order of
 * the file tells an attacker how close a guess came.
 *
 * Ownership: tokens_load() returns a new set; free with tokens_free().
 */
#ifndef ATTACHE_TOKENS_H
#define ATTACHE_TOKENS_H

#include <stddef.h>

#include "lib/strbuf.h"

#define TOKENS_HASH_SIZE 32
#define TOKENS_MAX_NAME 64

struct tokens;

/*
 * Reads the tokens file at path. Returns a new set, or NULL after appending
 * "PATH:LINE: what is wrong" (or why the file cannot be read) to err. A file
 * with no token is refused: it would turn writes on for nobody.
 */
struct tokens *tokens_load(const char *path, struct strbuf *err);

/* The same for len bytes in memory; name is used in messages. */
struct tokens *tokens_parse(const char *buf, size_t len, const char *name, struct strbuf *err);

void tokens_free(struct tokens *t);

/* How many tokens the set holds. */
size_t tokens_count(const struct tokens *t);

/*
 * The name of the token of len bytes at token (borrowed, valid until
 * tokens_free()), or NULL when no entry's hash is its hash. Takes the same
 * time whichever entry matches, or none.
 */
const char *tokens_verify(const struct tokens *t, const char *token, size_t len);

/* Appends the lower-case hex SHA-256 of the len bytes at token. */
void tokens_hash_hex(const char *token, size_t len, struct strbuf *out);

/*
 * A new token for name: 32 random bytes (getrandom), URL-safe base64
 * without padding, appended to token; and the line for the tokens file,
 * "NAME HEX", appended to line. Returns 0, or -1 with err saying why (a bad
 * name, no randomness).
 */
int tokens_new(const char *name, struct strbuf *token, struct strbuf *line, struct strbuf *err);

#endif
