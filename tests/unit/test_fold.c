/*
 * Tests for lib/fold.c: Unicode folding for search, and words.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/fold.h"

/* Parameters are copied into each test's own process: arrays, not pointers. */
struct folding {
	char in[64];
	char out[64];
};

ParameterizedTestParameters(fold, folds_case_and_diacritics_by_unicode_rules)
{
	static struct folding cases[] = {
		{ "Cernavoda", "cernavoda" },
		{ "CERNAVODĂ", "cernavoda" },
		{ "cernavodă", "cernavoda" },
		/* Romanian: comma below and cedilla forms alike, and the breve and circumflex */
		{ "Constanța", "constanta" },
		{ "Constanţa", "constanta" },
		{ "ÎNVĂȚĂMÂNT", "invatamant" },
		/* German: the sharp s folds to ss, the umlaut loses its mark */
		{ "Straße", "strasse" },
		{ "STRASSE", "strasse" },
		{ "Müller", "muller" },
		/* Turkish, with no language rules: the dot of İ is a mark; dotless ı stays */
		{ "İstanbul", "istanbul" },
		{ "ISTANBUL", "istanbul" },
		{ "ılık", "ılık" },
		/* compatibility forms: ligatures, full-width letters, superscripts */
		{ "ﬁnance", "finance" },
		{ "ＡＳＭＬ", "asml" },
		{ "x²", "x2" },
		/* Korean Hangul passes through unchanged: it decomposes without marks */
		{ "대한민국", "대한민국" },
		{ "원자력 발전소", "원자력 발전소" },
		/* Greek final sigma folds to sigma; the tonos is a mark */
		{ "ΌΣΟΣ", "οσοσ" },
		{ "όσος", "οσοσ" },
		/* ASCII keeps its punctuation: folding does not split words */
		{ "Korea Hydro & Nuclear Power", "korea hydro & nuclear power" },
		{ "", "" },
	};

	return cr_make_param_array(struct folding, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct folding *c, fold, folds_case_and_diacritics_by_unicode_rules)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(fold_text(c->in, strlen(c->in), &sb), 0, "%s", c->in);
	cr_assert_str_eq(sb.buf, c->out, "%s", c->in);
	strbuf_release(&sb);
}

Test(fold, appends_to_what_the_buffer_holds)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "a ");
	cr_assert_eq(fold_text("Bă", 3, &sb), 0);
	cr_assert_str_eq(sb.buf, "a ba");
	strbuf_release(&sb);
}

Test(fold, refuses_invalid_utf8_and_leaves_the_buffer_alone)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "kept");
	cr_assert_eq(fold_text("ab\xff", 3, &sb), -1);
	cr_assert_eq(fold_text("\xc4", 1, &sb), -1);
	cr_assert_eq(fold_text("\xed\xa0\x80", 3, &sb), -1, "a surrogate is not UTF-8");
	cr_assert_str_eq(sb.buf, "kept");
	strbuf_release(&sb);
}

Test(fold, marks_alone_fold_to_nothing)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(fold_text("\xcc\x81\xcc\x86", 4, &sb), 0);
	cr_assert_eq(sb.len, 0);
	strbuf_release(&sb);
}

/* The words of s, folded first, joined by '|'. */
static void words(const char *s, char *out, size_t size)
{
	struct strbuf f = STRBUF_INIT;
	size_t pos = 0, at, n;

	cr_assert_eq(fold_text(s, strlen(s), &f), 0);
	out[0] = '\0';
	while (fold_next_word(f.buf, f.len, &pos, &at, &n)) {
		if (out[0])
			strncat(out, "|", size - strlen(out) - 1);
		strncat(out, f.buf + at, n < size - strlen(out) - 1 ? n : size - strlen(out) - 1);
	}
	strbuf_release(&f);
}

ParameterizedTestParameters(fold, splits_words_on_everything_but_letters_marks_and_digits)
{
	static struct folding cases[] = {
		{ "South Korea-Romania summit", "south|korea|romania|summit" },
		{ "the U.K. and Korea's SMRs", "the|u|k|and|korea|s|smrs" },
		{ "  Korea Hydro & Nuclear Power (KHNP), 2027!  ", "korea|hydro|nuclear|power|khnp|2027" },
		{ "“the second Marshall Plan”", "the|second|marshall|plan" },
		{ "Cernavodă—CONSTANȚA", "cernavoda|constanta" },
		{ "원자력 발전소", "원자력|발전소" },
		{ "", "" },
		{ " -- ... ", "" },
		/* Devanagari: the sign AA (U+093E) is spacing (Mc) and stays in its word;
		 * the sign E (U+0947) is non-spacing (Mn) and goes, as an accent does */
		{ "भारत देश", "भारत|दश" },
		/* Japanese: the voiced mark of が decomposes to U+3099, a non-spacing mark */
		{ "がっこう", "かっこう" },
	};

	return cr_make_param_array(struct folding, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct folding *c, fold, splits_words_on_everything_but_letters_marks_and_digits)
{
	char got[256];

	words(c->in, got, sizeof(got));
	cr_assert_str_eq(got, c->out, "%s", c->in);
}
