/*
 * fold: Unicode case and diacritic folding, and words (see fold.h).
 */
#include "lib/fold.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "lib/mem.h"
#include "lib/text.h"

/* libunistring returns NULL only for invalid input (checked before) or memory. */
static uint8_t *checked(uint8_t *p, size_t n)
{
	if (!p)
		mem_exhausted(errno == ENOMEM ? n : 0);
	return p;
}

int fold_text(const char *s, size_t len, struct strbuf *out)
{
	const uint8_t *u = (const uint8_t *)s;
	uint8_t *folded, *composed;
	size_t flen, clen, w = 0, i = 0;

	if (utf8_invalid_at(s, len) != len)
		return -1;
	while (i < len && u[i] < 0x80)
		i++;
	/* ASCII folds to its lower case: the common case costs one pass. */
	if (i == len) {
		size_t at = out->len;

		strbuf_add(out, s, len);
		ascii_lower_inplace(out->buf + at, len);
		return 0;
	}
	folded = checked(u8_casefold(u, len, NULL, UNINORM_NFKD, NULL, &flen), len);
	for (i = 0; i < flen;) {
		ucs4_t uc;
		int n = u8_mbtouc(&uc, folded + i, flen - i);

		if (!uc_is_general_category_withtable(uc, UC_CATEGORY_MASK_Mn)) {
			for (int k = 0; k < n; k++)
				folded[w++] = folded[i + k];
		}
		i += (size_t)n;
	}
	/* Nothing but marks folds to nothing. */
	if (w) {
		composed = checked(u8_normalize(UNINORM_NFC, folded, w, NULL, &clen), w);
		strbuf_add(out, composed, clen);
		free(composed);
	}
	free(folded);
	return 0;
}

/* Whether the character at s (n bytes left) is part of a word; its length in *step. */
static bool word_char(const uint8_t *s, size_t n, size_t *step)
{
	ucs4_t uc;

	if (s[0] < 0x80) {
		*step = 1;
		return (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
		       (s[0] >= '0' && s[0] <= '9');
	}
	*step = (size_t)u8_mbtouc(&uc, s, n);
	return uc_is_general_category_withtable(uc, UC_CATEGORY_MASK_L | UC_CATEGORY_MASK_M |
							    UC_CATEGORY_MASK_N);
}

bool fold_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *wlen)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = *pos, step;

	while (i < len && !word_char(u + i, len - i, &step))
		i += step;
	if (i == len) {
		*pos = len;
		return false;
	}
	*start = i;
	while (i < len && word_char(u + i, len - i, &step))
		i += step;
	*wlen = i - *start;
	*pos = i;
	return true;
}
