/*
 * fold: text as search compares it, folded by Unicode rules, and its words.
 *
 * Search must find "Cernavodă" when a person types "cernavoda" or
 * "CERNAVODĂ", and "Straße" for "strasse". Folding does, with GNU
 * libunistring rather than a hand-made table:
 *
 *   1. full case folding (u8_casefold, no language rules) with compatibility
 *      decomposition (NFKD): "Ă" is "a" + U+0306, "ß" is "ss", "ﬁ" is "fi",
 *      the full-width "Ｃ" is "c";
 *   2. every non-spacing mark (general category Mn) is dropped: "a" + U+0306
 *      is "a";
 *   3. what is left is recomposed (NFC), so that scripts whose letters
 *      decompose without marks come back as they were: Korean Hangul
 *      syllables fold to themselves.
 *
 * Marks are dropped in every script, so search also ignores Japanese dakuten
 * or Devanagari signs that are non-spacing; query and text fold alike, so a
 * word still finds itself. Turkish has no special case: "İ" folds to "i" (its
 * dot is a mark), and the dotless "ı" stays "ı".
 *
 * A word is a longest run of letters, marks and digits (general categories
 * L, M, N) of folded text; everything else separates words: "South
 * Korea-Romania" is "south", "korea", "romania"; "U.K." is "u", "k".
 *
 * Functions are pure and thread-safe; fold_text() appends to a strbuf, which
 * aborts on out of memory (lib/mem.h) like every allocation here.
 */
#ifndef ATTACHE_FOLD_H
#define ATTACHE_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

/*
 * Appends the folded form of the len bytes of UTF-8 at s to out. Returns 0,
 * or -1 with out unchanged when s is not valid UTF-8.
 */
int fold_text(const char *s, size_t len, struct strbuf *out);

/*
 * Steps through the words of folded text s (len bytes): returns true with
 * the next word at s + *start, *wlen bytes long, and *pos moved past it;
 * false once there is none. Start with *pos = 0.
 *
 *	for (size_t pos = 0, at, n; fold_next_word(s, len, &pos, &at, &n);)
 */
bool fold_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *wlen);

#endif
