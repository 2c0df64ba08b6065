/*
 * text: byte-level helpers for UTF-8, ASCII case folding and comma lists.
 *
 * attache compares names case-insensitively in ASCII only ("ro" finds "RO",
 * "Nuclear" finds "nuclear"); bytes outside ASCII compare as they are. All
 * functions here are pure and take <ptr, len> pairs; none allocates.
 */
#ifndef ATTACHE_TEXT_H
#define ATTACHE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns the length (1-4) of the valid UTF-8 sequence at s, reading at most n
 * bytes, or 0 when the bytes there are not valid UTF-8 (RFC 3629: overlong
 * forms, surrogates and values past U+10FFFF are invalid).
 */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* Returns the offset of the first invalid UTF-8 byte in s, or len when all is valid. */
size_t utf8_invalid_at(const char *s, size_t len);

static inline bool text_is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The value of a hex digit (either case), or -1. */
static inline int ascii_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Compares like memcmp after ASCII lower-casing; a shorter prefix sorts first. */
int ascii_casecmp(const char *a, size_t alen, const char *b, size_t blen);

/* Whether a and b are equal ignoring ASCII case. */
bool ascii_caseeq(const char *a, size_t alen, const char *b, size_t blen);

/* Whether needle occurs in hay, ignoring ASCII case. An empty needle occurs everywhere. */
bool ascii_casecontains(const char *hay, size_t hlen, const char *needle, size_t nlen);

/* Whether hay starts with prefix, ignoring ASCII case. */
bool ascii_casestarts(const char *hay, size_t hlen, const char *prefix, size_t plen);

/* Writes v as 16 lower-case hex digits at out, without a NUL. */
void text_hex64(char *out, uint64_t v);

/* Lower-cases len bytes of s in place (ASCII only). */
void ascii_lower_inplace(char *s, size_t len);

/*
 * Reads the len bytes at s as an integer the way JSON Schema counts integers:
 * a decimal number whose value has no fractional part. The number is an
 * optional sign, digits, an optional fraction and an optional exponent
 * ("42", "+42", "042", "42.0", "4.2e1", "4200e-2" are all 42). Returns true
 * with *out set, or false when s is not such a number ("4.2", "0x2a", " 42",
 * "", "1e") or its value does not fit in an int64_t.
 */
bool text_parse_integer(const char *s, size_t len, int64_t *out);

/*
 * Steps through a comma-separated list such as an HTTP header value
 * ("gzip, br;q=0.5"). Each call takes the next item from *list: returns true
 * with *tok and *len naming it without the spaces and tabs around it (an
 * empty item has len 0), and moves *list past it and its comma; returns
 * false once the list is used up (or when *list is NULL). Borrows the list.
 *
 *	for (const char *p = value, *tok; text_next_token(&p, &tok, &len);)
 */
bool text_next_token(const char **list, const char **tok, size_t *len);

#endif
