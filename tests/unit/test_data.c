/*
 * Tests for data/vilnius-2023.json, the shipped dataset: what the article
 * reports must be there, exactly, and the file must hold to its own rules.
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include <criterion/criterion.h>

#include "models/query.h"
#include "models/store.h"
#include "server/assets.h"
#include "tests/support/support.h"

#define DATA "data/vilnius-2023.json"

static struct store *s;

static void setup(void)
{
	s = support_load(DATA);
}

static void teardown(void)
{
	store_free(s);
}

TestSuite(data, .init = setup, .fini = teardown);

static bool has(struct strs list, const char *v)
{
	for (size_t i = 0; i < list.n; i++)
		if (strcmp(list.v[i], v) == 0)
			return true;
	return false;
}

Test(data, the_binary_embeds_the_same_file)
{
	size_t len;
	char *text = support_read_file(DATA, &len);
	const struct asset *a = assets_find(ASSETS_DATASET);

	cr_assert_not_null(a);
	cr_assert_eq(a->size, len);
	cr_assert(memcmp(a->data, text, len) == 0);
	free(text);
}

Test(data, has_13_bilateral_meetings_7_on_11_july_and_6_on_12_july)
{
	static const char *const day1[] = { "NO", "PT", "NL", "NZ", "HU", "RO", "SE" };
	static const char *const day2[] = { "GB", "EE", "SK", "JP", "FI", "LT" };
	const struct collection *c = store_collection(s, STORE_MEETINGS);
	size_t n11 = 0, n12 = 0;

	for (uint32_t i = 0; i < c->n; i++) {
		const struct meeting *m = collection_record(c, i);
		const char *const *want;
		size_t nwant, found = 0;

		if (strcmp(m->kind, "bilateral"))
			continue;
		cr_assert_eq(m->countries.n, 2, "%s", m->id);
		cr_assert(has(m->countries, "KR"), "%s", m->id);
		cr_assert_str_eq(m->location, "Vilnius, Lithuania");
		if (strcmp(m->date, "2023-07-11") == 0) {
			n11++;
			want = day1;
			nwant = 7;
		} else {
			cr_assert_str_eq(m->date, "2023-07-12", "%s", m->id);
			n12++;
			want = day2;
			nwant = 6;
		}
		for (size_t j = 0; j < nwant; j++)
			found += has(m->countries, want[j]);
		cr_assert_eq(found, 1, "%s is not with one of that day's countries", m->id);
	}
	cr_assert_eq(n11, 7);
	cr_assert_eq(n12, 6);
}

Test(data, names_only_the_counterparts_the_article_names)
{
	static const struct { const char *id, *name, *title; } named[] = {
		{ "bilateral-nl", "Mark Rutte", "Prime Minister" },
		{ "bilateral-ro", "Klaus Werner Iohannis", "President" },
		{ "bilateral-nz", "Chris Hipkins", "Prime Minister" },
		{ "bilateral-jp", "Fumio Kishida", "Prime Minister" },
	};
	const struct collection *c = store_collection(s, STORE_MEETINGS);
	size_t with = 0;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		const struct meeting *m = store_find_meeting(s, named[i].id, strlen(named[i].id));

		cr_assert_not_null(m);
		cr_assert_not_null(m->counterpart);
		cr_assert_str_eq(m->counterpart->name, named[i].name);
		cr_assert_str_eq(m->counterpart->title, named[i].title);
	}
	for (uint32_t i = 0; i < c->n; i++)
		with += ((const struct meeting *)collection_record(c, i))->counterpart != NULL;
	cr_assert_eq(with, 4, "only four counterparts are named in the article");
}

Test(data, keeps_the_articles_figures_exactly)
{
	const struct deal *d;

	d = store_find_deal(s, "cernavoda-tritium-removal", 25);
	cr_assert_not_null(d);
	cr_assert_eq(d->value->amount, 260000000000);
	cr_assert_str_eq(d->value->currency, "KRW");
	cr_assert(has(d->companies, "Korea Hydro & Nuclear Power"));

	d = store_find_deal(s, "romania-nuclear-facility-improvement", 36);
	cr_assert_not_null(d);
	cr_assert_eq(d->value->amount, 2500000000000);
	cr_assert_str_eq(d->value->currency, "KRW");

	d = store_find_deal(s, "ukraine-reconstruction", 22);
	cr_assert_not_null(d);
	cr_assert_eq(d->value->amount, 1200000000000000);
	cr_assert_str_eq(d->value->currency, "KRW");
	cr_assert_eq(d->value_alt->amount, 940000000000);
	cr_assert_str_eq(d->value_alt->currency, "USD");

	d = store_find_deal(s, "international-cyber-training-center", 35);
	cr_assert_not_null(d);
	cr_assert_eq(d->completion_year, 2027);

	cr_assert_eq(store_find_meeting(s, "official-visit-pl", 17)->delegation->size, 89);
}

Test(data, gives_a_value_only_where_the_article_gives_a_figure)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	size_t valued = 0;

	for (uint32_t i = 0; i < c->n; i++)
		valued += ((const struct deal *)collection_record(c, i))->value != NULL;
	cr_assert_eq(valued, 3, "the article gives three figures: 260bn, 2.5tn and 1,200tn won");
}

Test(data, has_every_country_the_article_names)
{
	static const char *const codes[] = {
		"KR", "LT", "NO", "PT", "NL", "NZ", "HU", "RO", "SE", "GB", "EE", "SK", "JP",
		"FI", "PL", "UA", "AU", "US", "RU", "KP",
	};

	cr_assert_eq(store_collection(s, STORE_COUNTRIES)->n, sizeof(codes) / sizeof(codes[0]));
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		cr_assert_not_null(store_find_country(s, codes[i], 2), "%s", codes[i]);
}

Test(data, declares_all_four_vocabularies)
{
	const struct dataset *d = store_dataset(s);

	for (int k = 0; k < VOCAB_COUNT; k++)
		cr_assert(d->vocab[k].given, "%s", dataset_vocab_name((enum vocab_kind)k));
}

Test(data, links_every_deal_to_a_country_other_than_korea_or_to_an_event)
{
	const struct collection *c = store_collection(s, STORE_DEALS);

	for (uint32_t i = 0; i < c->n; i++) {
		const struct deal *d = collection_record(c, i);

		cr_assert(d->countries.n > 1 || d->meetings.n > 0 || d->organizations.n > 0,
			  "%s is tied to nothing", d->id);
		cr_assert_not_null(d->summary, "%s has no summary", d->id);
	}
}
