/*
 * tokens: a tokens file, hashed with nettle, compared in constant time (see tokens.h).
 */
#include "lib/tokens.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/base64.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>

#include "lib/mem.h"
#include "lib/text.h"

struct token_entry {
	char name[TOKENS_MAX_NAME + 1];
	uint8_t hash[TOKENS_HASH_SIZE];
};

struct tokens {
	struct token_entry *v;
	size_t n;
};

static void sha256(const char *s, size_t len, uint8_t out[TOKENS_HASH_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, TOKENS_HASH_SIZE, out);
}

void tokens_hash_hex(const char *token, size_t len, struct strbuf *out)
{
	uint8_t h[TOKENS_HASH_SIZE];

	sha256(token, len, h);
	for (size_t i = 0; i < sizeof(h); i++)
		strbuf_addf(out, "%02x", h[i]);
}

/* NULL for a good name, else what is wrong with it. */
static const char *name_problem(const char *s, size_t len)
{
	if (!len)
		return "an empty name";
	if (len > TOKENS_MAX_NAME)
		return "a name longer than 64 characters";
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return "a name with a character other than letters, digits, '.', '_' and '-'";
	}
	return NULL;
}

static int parse_line(struct tokens *t, const char *p, size_t len, const char *name, size_t lineno,
		      struct strbuf *err)
{
	size_t nlen, hstart, hlen;
	const char *why;
	struct token_entry e = { 0 };

	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
		len--;
	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	if (!len || *p == '#')
		return 0;
	nlen = strcspn(p, " \t");
	if (nlen > len)
		nlen = len;
	if ((why = name_problem(p, nlen))) {
		strbuf_addf(err, "%s:%zu: %s (expected \"NAME SHA256-HEX\")", name, lineno, why);
		return -1;
	}
	for (hstart = nlen; hstart < len && (p[hstart] == ' ' || p[hstart] == '\t'); hstart++)
		;
	hlen = len - hstart;
	if (hlen != 2 * TOKENS_HASH_SIZE) {
		strbuf_addf(err, "%s:%zu: expected \"NAME SHA256-HEX\" with 64 hex digits after the name, "
			    "got %zu characters (attache --new-token NAME makes a line)", name, lineno, hlen);
		return -1;
	}
	for (size_t i = 0; i < TOKENS_HASH_SIZE; i++) {
		int hi = ascii_hex_value(p[hstart + 2 * i]), lo = ascii_hex_value(p[hstart + 2 * i + 1]);

		if (hi < 0 || lo < 0) {
			strbuf_addf(err, "%s:%zu: the hash is not hex (0-9, a-f)", name, lineno);
			return -1;
		}
		e.hash[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(e.name, p, nlen);
	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].name, e.name)) {
			strbuf_addf(err, "%s:%zu: the name \"%s\" is given twice", name, lineno, e.name);
			return -1;
		}
	}
	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	t->v[t->n++] = e;
	return 0;
}

struct tokens *tokens_parse(const char *buf, size_t len, const char *name, struct strbuf *err)
{
	struct tokens *t = xcalloc(1, sizeof(*t));
	size_t lineno = 0, at = 0;

	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;

		lineno++;
		if (memchr(buf + at, '\0', n)) {
			strbuf_addf(err, "%s:%zu: a NUL byte", name, lineno);
			goto fail;
		}
		if (parse_line(t, buf + at, n, name, lineno, err))
			goto fail;
		at += n + 1;
	}
	if (!t->n) {
		strbuf_addf(err, "%s: no tokens (each line is \"NAME SHA256-HEX\"; attache --new-token NAME "
			    "makes one)", name);
		goto fail;
	}
	return t;
fail:
	tokens_free(t);
	return NULL;
}

struct tokens *tokens_load(const char *path, struct strbuf *err)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	struct tokens *t = NULL;
	char buf[4096];
	size_t n;

	if (!f) {
		strbuf_addf(err, "%s: cannot open the tokens file: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len < (1u << 20))
		strbuf_add(&sb, buf, n);
	if (ferror(f))
		strbuf_addf(err, "%s: cannot read the tokens file: %s", path, strerror(errno));
	else if (sb.len >= (1u << 20))
		strbuf_addf(err, "%s: the tokens file is larger than 1 MiB", path);
	else
		t = tokens_parse(sb.buf ? sb.buf : "", sb.len, path, err);
	fclose(f);
	strbuf_release(&sb);
	return t;
}

void tokens_free(struct tokens *t)
{
	if (!t)
		return;
	/* The hashes are not secrets, but there is no reason to leave them about. */
	if (t->v)
		memset(t->v, 0, t->n * sizeof(*t->v));
	free(t->v);
	free(t);
}

size_t tokens_count(const struct tokens *t)
{
	return t->n;
}

const char *tokens_verify(const struct tokens *t, const char *token, size_t len)
{
	uint8_t h[TOKENS_HASH_SIZE];
	size_t found = 0;   /* index + 1 of the match; computed without a branch on the data */

	sha256(token, len, h);
	for (size_t i = 0; i < t->n; i++) {
		size_t eq = (size_t)memeql_sec(h, t->v[i].hash, TOKENS_HASH_SIZE);

		found |= ((size_t)0 - eq) & (i + 1);
	}
	return found ? t->v[found - 1].name : NULL;
}

int tokens_new(const char *name, struct strbuf *token, struct strbuf *line, struct strbuf *err)
{
	uint8_t raw[32];
	char enc[BASE64_ENCODE_RAW_LENGTH(32) + 1];
	struct base64_encode_ctx ctx;
	const char *why;
	size_t n;

	if ((why = name_problem(name, strlen(name)))) {
		strbuf_addf(err, "--new-token: %s", why);
		return -1;
	}
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		strbuf_addf(err, "--new-token: no random bytes: %s", strerror(errno));
		return -1;
	}
	base64url_encode_init(&ctx);
	n = base64_encode_update(&ctx, (char *)enc, sizeof(raw), raw);
	n += base64_encode_final(&ctx, enc + n);
	/* No padding: the token goes in a header as it is. */
	while (n && enc[n - 1] == '=')
		n--;
	strbuf_add(token, enc, n);
	strbuf_addf(line, "%s ", name);
	tokens_hash_hex(enc, n, line);
	memset(raw, 0, sizeof(raw));
	return 0;
}
