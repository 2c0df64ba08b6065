/*
 * text: UTF-8 validation, ASCII case folding and comma lists (see text.h).
 */
#include "lib/text.h"

#include <string.h>

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;

		return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;

		return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
		       (s[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

size_t utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = p[i] < 0x80 ? 1 : utf8_seq_len(p + i, len - i);

		if (!n)
			return i;
		i += n;
	}
	return len;
}

int ascii_casecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)ascii_lower(a[i]);
		unsigned char y = (unsigned char)ascii_lower(b[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return alen < blen ? -1 : alen > blen;
}

bool ascii_caseeq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && ascii_casecmp(a, alen, b, blen) == 0;
}

bool ascii_casestarts(const char *hay, size_t hlen, const char *prefix, size_t plen)
{
	return plen <= hlen && ascii_casecmp(hay, plen, prefix, plen) == 0;
}

bool ascii_casecontains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (!nlen)
		return true;
	for (size_t i = 0; i + nlen <= hlen; i++)
		if (ascii_lower(hay[i]) == ascii_lower(needle[0]) &&
		    ascii_casecmp(hay + i, nlen, needle, nlen) == 0)
			return true;
	return false;
}

void ascii_lower_inplace(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		s[i] = ascii_lower(s[i]);
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

bool text_next_token(const char **list, const char **tok, size_t *len)
{
	const char *p = *list, *end;

	if (!p || !*p)
		return false;
	end = strchr(p, ',');
	if (!end)
		end = p + strlen(p);
	*list = *end ? end + 1 : end;
	while (p < end && is_ows(*p))
		p++;
	while (end > p && is_ows(end[-1]))
		end--;
	*tok = p;
	*len = (size_t)(end - p);
	return true;
}

void text_hex64(char *out, uint64_t v)
{
	/* A byte's two digits at once: every request writes two of these (its id, its ETag). */
	static const char pairs[513] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
		"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
		"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
		"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

	for (int i = 14; i >= 0; i -= 2, v >>= 8)
		memcpy(out + i, pairs + 2 * (v & 0xff), 2);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool text_parse_integer(const char *s, size_t len, int64_t *out)
{
	const char *p = s, *end = s + len, *digits, *frac = NULL;
	const uint64_t max = (uint64_t)INT64_MAX;
	size_t nint, nfrac = 0, n;
	bool neg = false;
	int64_t exp = 0, shift;
	uint64_t mag = 0, limit;

	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	digits = p;
	while (p < end && is_digit(*p))
		p++;
	nint = (size_t)(p - digits);
	if (!nint)
		return false;
	if (p < end && *p == '.') {
		frac = ++p;
		while (p < end && is_digit(*p))
			p++;
		nfrac = (size_t)(p - frac);
		if (!nfrac)
			return false;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		bool eneg = false;
		const char *e;

		if (++p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (e = p; p < end && is_digit(*p); p++)
			if (exp < 1000000)  /* far past any int64; saturate */
				exp = exp * 10 + (*p - '0');
		if (p == e)
			return false;
		if (eneg)
			exp = -exp;
	}
	if (p != end)
		return false;
	/* The digits (integer part, then fraction) times 10^shift. */
	limit = neg ? max + 1 : max;
	shift = exp - (int64_t)nfrac;
	n = nint + nfrac;
	for (size_t i = 0; i < n; i++) {
		int d = (i < nint ? digits[i] : frac[i - nint]) - '0';

		/* A digit below the units must be 0. */
		if ((int64_t)(n - 1 - i) + shift < 0) {
			if (d)
				return false;
			continue;
		}
		if (mag > (limit - (uint64_t)d) / 10)
			return false;
		mag = mag * 10 + (uint64_t)d;
	}
	for (int64_t k = 0; mag && k < shift; k++) {
		if (mag > limit / 10)
			return false;
		mag *= 10;
	}
	*out = neg ? (mag == max + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
	return true;
}
