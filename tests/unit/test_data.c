/*
 * Tests for data/vilnius-2023.json, the shipped dataset: what the article
 * reports must be there, exactly; every correction of the edited edition
 * (issue 16) is asserted; and every quote must be the article's own words,
 * short, and together a small share of it.
 *
 * The article is copyrighted and not in the repository. It is found through
 * ATTACHE_SEED_ARTICLE, else at ../shared/seed/ beside the repository, else
 * at /work/shared/seed/. Where it is absent, the tests that need it say so
 * and are reported as skipped: they never pass without checking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "lib/fold.h"
#include "models/query.h"
#include "models/store.h"
#include "server/assets.h"
#include "tests/support/support.h"

#define DATA "data/vilnius-2023.json"
#define ARTICLE_NAME "sales-diplomacy-vilnius-2023.txt"
#define SOURCE_ID "businesskorea-sales-diplomacy"

/* The limits of the shipped data's quotes (the loader's own limit is wider). */
#define MAX_QUOTE_CHARS 150
#define MAX_QUOTES 3
#define MAX_COVERAGE_PERCENT 30.0
#define COPIED_RUN 9

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

/* Whether list holds exactly the n strings of want, in any order. */
static bool same_set(struct strs list, const char *const *want, size_t n)
{
	if (list.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!has(list, want[i]))
			return false;
	return true;
}

#define SAME_SET(list, ...) \
	same_set(list, (const char *const[]){ __VA_ARGS__ }, \
		 sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static const struct deal *deal(const char *id)
{
	const struct deal *d = store_find_deal(s, id, strlen(id));

	cr_assert_not_null(d, "no deal %s", id);
	return d;
}

static const struct meeting *meeting(const char *id)
{
	const struct meeting *m = store_find_meeting(s, id, strlen(id));

	cr_assert_not_null(m, "no meeting %s", id);
	return m;
}

static const struct country *country(const char *code)
{
	const struct country *c = store_find_country(s, code, strlen(code));

	cr_assert_not_null(c, "no country %s", code);
	return c;
}

/* A record's provenance, whatever its type. */
struct cited {
	const char *key;
	const char *name;              /* name or title */
	const char *summary;
	struct strs aliases;
	const struct evidences *evidence;
	const struct inferences *inferences;
};

/* Every country, meeting and deal, in the file's order; returns how many. */
static size_t all_cited(struct cited *out, size_t max)
{
	size_t n = 0;

	for (int w = STORE_COUNTRIES; w <= STORE_DEALS; w++) {
		const struct collection *c = store_collection(s, (enum store_collection)w);

		for (uint32_t i = 0; i < c->n && n < max; i++, n++) {
			const void *r = collection_record(c, i);

			if (w == STORE_COUNTRIES) {
				const struct country *x = r;

				out[n] = (struct cited){ x->code, x->name, x->summary, x->aliases, &x->evidence,
							 &x->inferences };
			} else if (w == STORE_MEETINGS) {
				const struct meeting *x = r;

				out[n] = (struct cited){ x->id, x->title, x->summary, x->aliases, &x->evidence,
							 &x->inferences };
			} else {
				const struct deal *x = r;

				out[n] = (struct cited){ x->id, x->title, x->summary, x->aliases, &x->evidence,
							 &x->inferences };
			}
		}
	}
	return n;
}

#define MAX_RECORDS 256

/* ---- the article ---- */

/*
 * Reads the article into *len bytes, or skips the calling test, saying why
 * and what was not checked.
 * ATTACHE_SEED_ARTICLE, when set, must name a readable file: a path given on
 * purpose that does not work is a failure, not a skip.
 */
static char *article(size_t *len, const char *what)
{
	static const char *const places[] = {
		"../shared/seed/" ARTICLE_NAME,
		"/work/shared/seed/" ARTICLE_NAME,
	};
	const char *env = getenv("ATTACHE_SEED_ARTICLE");
	FILE *f;

	if (env && *env) {
		f = fopen(env, "rb");
		cr_assert_not_null(f, "ATTACHE_SEED_ARTICLE=%s cannot be read", env);
		fclose(f);
		return support_read_file(env, len);
	}
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		f = fopen(places[i], "rb");
		if (f) {
			fclose(f);
			return support_read_file(places[i], len);
		}
	}
	/*
	 * Said on stderr too: a plain run of the tests does not list skipped
	 * ones. Not with cr_log_warn(), which makes Criterion exit non-zero
	 * though every test passed, and so failed the image's build, which has
	 * no article.
	 */
	fprintf(stderr, "[WARN] article absent: %s not checked; test skipped\n", what);
	cr_skip_test("article absent: %s not checked (no ATTACHE_SEED_ARTICLE, no ../shared/seed/"
		     ARTICLE_NAME ", no /work/shared/seed/" ARTICLE_NAME ")", what);
	return NULL;
}

static size_t chars(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		n += ((unsigned char)*text & 0xC0) != 0x80;
	return n;
}

Test(data, every_quote_is_the_articles_own_words_byte_for_byte)
{
	static struct cited r[MAX_RECORDS];
	size_t len, n = all_cited(r, MAX_RECORDS), quotes = 0, missing = 0;
	char *text = article(&len, "the quotes' words");

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < r[i].evidence->n; j++) {
			const char *q = r[i].evidence->v[j].quote;

			quotes++;
			if (!memmem(text, len, q, strlen(q))) {
				missing++;
				cr_log_error("%s: evidence[%zu] is not in the article: \"%s\"", r[i].key, j, q);
			}
		}
	}
	cr_assert_eq(missing, 0, "%zu of %zu quotes are not the article's words", missing, quotes);
	cr_assert_gt(quotes, 100);
	free(text);
}

Test(data, the_distinct_quotes_cover_at_most_30_percent_of_the_article)
{
	static struct cited r[MAX_RECORDS];
	size_t len, n = all_cited(r, MAX_RECORDS), covered = 0;
	char *text = article(&len, "the share of the article quoted");
	unsigned char *used = calloc(len ? len : 1, 1);
	double percent;

	/* Each quote counts once, at its first occurrence: the captions are printed twice. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < r[i].evidence->n; j++) {
			const char *q = r[i].evidence->v[j].quote;
			const char *at = memmem(text, len, q, strlen(q));

			if (at)
				memset(used + (at - text), 1, strlen(q));
		}
	}
	for (size_t k = 0; k < len; k++)
		covered += used[k];
	percent = 100.0 * (double)covered / (double)len;
	cr_log_info("the quotes cover %zu of the article's %zu bytes (%.1f%%)", covered, len, percent);
	cr_assert_leq(percent, MAX_COVERAGE_PERCENT, "the quotes cover %.1f%% of the article", percent);
	free(used);
	free(text);
}

Test(data, quotes_are_short_citations_at_most_three_a_record)
{
	static struct cited r[MAX_RECORDS];
	size_t n = all_cited(r, MAX_RECORDS);

	cr_assert_eq(n, 20 + 17 + 27);
	for (size_t i = 0; i < n; i++) {
		const struct evidences *e = r[i].evidence;

		cr_assert(e->n >= 1 && e->n <= MAX_QUOTES, "%s has %zu quotes", r[i].key, e->n);
		for (size_t j = 0; j < e->n; j++) {
			const char *q = e->v[j].quote;
			size_t qlen = strlen(q);

			cr_assert_str_eq(e->v[j].source, SOURCE_ID, "%s", r[i].key);
			cr_assert_leq(chars(q), MAX_QUOTE_CHARS, "%s: a quote of %zu characters", r[i].key, chars(q));
			cr_assert_null(strstr(q, "..."), "%s: an ellipsis is not the article's words", r[i].key);
			cr_assert_null(strstr(q, "\xe2\x80\xa6"), "%s: an ellipsis is not the article's words", r[i].key);
			cr_assert(q[0] != ' ' && q[qlen - 1] != ' ', "%s: a quote with blanks around it", r[i].key);
			for (size_t k = 0; k < j; k++)
				cr_assert_str_neq(e->v[k].quote, q, "%s quotes the same words twice", r[i].key);
		}
	}
}

Test(data, every_alias_is_a_spelling_the_article_uses)
{
	static struct cited r[MAX_RECORDS];
	size_t len, n = all_cited(r, MAX_RECORDS), aliases = 0;
	char *text = article(&len, "the aliases' spellings");

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < r[i].aliases.n; j++) {
			const char *a = r[i].aliases.v[j];

			aliases++;
			cr_assert_not_null(memmem(text, len, a, strlen(a)), "%s: alias \"%s\" is not in the article",
					   r[i].key, a);
			cr_assert(strcasecmp(a, r[i].name), "%s: alias \"%s\" is its name but for case (search "
				  "ignores case)", r[i].key, a);
		}
	}
	cr_assert_eq(aliases, 8);
	free(text);
}

/* The folded words of text, in a new array of *n strings (each freed with the array's free_words). */
static char **words_of(const char *text, size_t len, size_t *n)
{
	struct strbuf f = STRBUF_INIT;
	char **out = NULL;
	size_t pos = 0, at, wlen, alloc = 0;

	*n = 0;
	cr_assert_eq(fold_text(text, len, &f), 0);
	while (fold_next_word(f.buf, f.len, &pos, &at, &wlen)) {
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			out = realloc(out, alloc * sizeof(*out));
		}
		out[(*n)++] = strndup(f.buf + at, wlen);
	}
	strbuf_release(&f);
	return out;
}

static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* The longest run of consecutive words of a that also occurs in b. */
static size_t longest_shared_run(char **a, size_t na, char **b, size_t nb)
{
	size_t best = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++) {
			size_t k = 0;

			while (i + k < na && j + k < nb && !strcmp(a[i + k], b[j + k]))
				k++;
			if (k > best)
				best = k;
		}
	return best;
}

Test(data, summaries_are_in_our_own_words)
{
	static struct cited r[MAX_RECORDS];
	size_t len, n = all_cited(r, MAX_RECORDS), nart;
	char *text = article(&len, "the summaries' own words");
	char **art = words_of(text, len, &nart);

	for (size_t i = 0; i < n; i++) {
		size_t nw, run;
		char **w;

		if (!r[i].summary)
			continue;
		w = words_of(r[i].summary, strlen(r[i].summary), &nw);
		run = longest_shared_run(w, nw, art, nart);
		cr_assert_lt(run, COPIED_RUN, "%s's summary copies %zu consecutive words of the article",
			     r[i].key, run);
		free_words(w, nw);
	}
	free_words(art, nart);
	free(text);
}

/* ---- sources ---- */

Test(data, has_one_source_the_article_which_every_record_cites)
{
	const struct collection *c = store_collection(s, STORE_SOURCES);
	const struct source *src;

	cr_assert_eq(c->n, 1);
	src = collection_record(c, 0);
	cr_assert_str_eq(src->id, SOURCE_ID);
	cr_assert_str_eq(src->title, "International Sales Diplomacy");
	cr_assert_str_eq(src->publisher, "BusinessKorea");
	cr_assert_null(src->date, "the article prints no date");
	cr_assert_null(src->url, "the article prints no URL");
}

Test(data, states_its_licence_and_that_the_quotes_are_not_under_it)
{
	const struct licence *l = store_dataset(s)->licence;

	cr_assert_not_null(l);
	cr_assert_str_eq(l->id, "CC-BY-4.0");
	cr_assert_str_eq(l->name, "Creative Commons Attribution 4.0 International");
	cr_assert_str_eq(l->url, "https://creativecommons.org/licenses/by/4.0/");
	cr_assert_not_null(strstr(l->note, "quotes"));
	cr_assert_not_null(strstr(l->note, "BusinessKorea"));
	cr_assert_str_eq(store_dataset(s)->version, "2.0.0");
}

/* ---- what the article reports ---- */

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

Test(data, names_only_the_counterparts_the_article_names_and_marks_the_captions)
{
	static const struct { const char *id, *name, *title; bool inferred; } named[] = {
		{ "bilateral-nl", "Mark Rutte", "Prime Minister", false },
		{ "bilateral-ro", "Klaus Werner Iohannis", "President", false },
		{ "bilateral-nz", "Chris Hipkins", "Prime Minister", true },
		{ "bilateral-jp", "Fumio Kishida", "Prime Minister", true },
	};
	const struct collection *c = store_collection(s, STORE_MEETINGS);
	size_t with = 0;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		const struct meeting *m = meeting(named[i].id);

		cr_assert_not_null(m->counterpart);
		cr_assert_str_eq(m->counterpart->name, named[i].name);
		cr_assert_str_eq(m->counterpart->title, named[i].title);
		/* Hipkins and Kishida are named only in the 12 July caption. */
		cr_assert_eq(has(m->inferences.fields, "counterpart"), named[i].inferred, "%s", named[i].id);
	}
	for (uint32_t i = 0; i < c->n; i++)
		with += ((const struct meeting *)collection_record(c, i))->counterpart != NULL;
	cr_assert_eq(with, 4, "only four counterparts are named in the article");
}

Test(data, keeps_the_articles_figures_exactly_with_what_each_measures)
{
	const struct deal *d;

	d = deal("cernavoda-tritium-removal");
	cr_assert_eq(d->value->amount, 260000000000);
	cr_assert_str_eq(d->value->currency, "KRW");
	cr_assert_str_eq(d->value->basis, "contract");
	cr_assert(!d->value->estimate);
	cr_assert(has(d->companies, "Korea Hydro & Nuclear Power"));

	d = deal("romania-nuclear-facility-improvement");
	cr_assert_eq(d->value->amount, 2500000000000);
	cr_assert_str_eq(d->value->currency, "KRW");
	cr_assert_str_eq(d->value->basis, "project");
	cr_assert(!d->value->estimate);

	d = deal("ukraine-reconstruction");
	cr_assert_eq(d->value->amount, 1200000000000000);
	cr_assert_str_eq(d->value->currency, "KRW");
	cr_assert_str_eq(d->value->basis, "market");
	cr_assert(d->value->estimate, "\"estimated to be around\"");
	cr_assert_eq(d->value_alt->amount, 940000000000);
	cr_assert_str_eq(d->value_alt->currency, "USD");
	cr_assert_str_eq(d->value_alt->basis, "market");
	cr_assert(d->value_alt->estimate);

	cr_assert_eq(deal("international-cyber-training-center")->completion_year, 2027);
	cr_assert_eq(meeting("official-visit-pl")->delegation->size, 89);
}

Test(data, gives_a_value_only_where_the_article_gives_a_figure)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	size_t valued = 0;

	for (uint32_t i = 0; i < c->n; i++)
		valued += ((const struct deal *)collection_record(c, i))->value != NULL;
	cr_assert_eq(valued, 3, "the article gives three figures: 260bn, 2.5tn and 1,200tn won");
}

Test(data, declares_every_vocabulary_and_the_three_bases)
{
	const struct dataset *d = store_dataset(s);
	const struct vocabulary *b = &d->vocab[VOCAB_BASIS];

	for (int k = 0; k < VOCAB_COUNT; k++)
		cr_assert(d->vocab[k].given, "%s", dataset_vocab_name((enum vocab_kind)k));
	cr_assert_eq(b->n, 3);
	cr_assert_str_eq(b->entries[0].id, "contract");
	cr_assert_str_eq(b->entries[1].id, "project");
	cr_assert_str_eq(b->entries[2].id, "market");
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

Test(data, keeps_every_id_of_the_first_edition_and_adds_two_deals)
{
	static const char *const deals[] = {
		"asml-duv-plant", "ev-battery-supply-chains", "finland-ev-battery-supply-chain",
		"slovakia-ev-supply-chain", "lithuania-semiconductor-supply-chain",
		"battery-makers-poland-hungary", "nuclear-power-cooperation",
		"nuclear-power-cooperation-gb-sk", "smr-promotion", "cernavoda-tritium-removal",
		"romania-nuclear-facility-improvement", "constantza-port-development",
		"finland-waste-disposal-cooperation", "defense-sales", "infrastructure-sales",
		"ukraine-reconstruction", "norway-green-hydrogen", "equinor-carbon-capture",
		"eureka-cooperation", "core-minerals-supply-network", "nato-bices",
		"international-cyber-training-center", "korea-nato-itpp", "ukraine-humanitarian-support",
		"nato-ukraine-trust-fund",
		/* new in 2.0.0 */
		"ukraine-reconstruction-poland", "nato-military-information-sharing",
	};
	static const char *const meetings[] = {
		"nato-summit-vilnius", "bilateral-no", "bilateral-pt", "bilateral-nl", "bilateral-nz",
		"bilateral-hu", "bilateral-ro", "bilateral-se", "bilateral-gb", "bilateral-ee",
		"bilateral-sk", "bilateral-jp", "bilateral-fi", "bilateral-lt", "briefing-choi",
		"photo-asia-pacific", "official-visit-pl",
	};

	cr_assert_eq(store_collection(s, STORE_DEALS)->n, sizeof(deals) / sizeof(deals[0]));
	cr_assert_eq(store_collection(s, STORE_MEETINGS)->n, sizeof(meetings) / sizeof(meetings[0]));
	for (size_t i = 0; i < sizeof(deals) / sizeof(deals[0]); i++)
		deal(deals[i]);
	for (size_t i = 0; i < sizeof(meetings) / sizeof(meetings[0]); i++)
		meeting(meetings[i]);
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

/* ---- issue 16: every correction of the edited edition ---- */

Test(data, inferences_are_exactly_the_readings_the_readme_lists)
{
	static const struct { const char *key, *field; } want[] = {
		{ "KR", "roles" }, { "LT", "roles" },
		{ "PT", "resources" }, { "SE", "resources" }, { "FI", "resources" },
		{ "bilateral-no", "topics" }, { "bilateral-pt", "topics" }, { "bilateral-nl", "topics" },
		{ "bilateral-hu", "topics" }, { "bilateral-ro", "topics" }, { "bilateral-se", "topics" },
		{ "bilateral-sk", "topics" }, { "bilateral-fi", "topics" },
		{ "bilateral-nz", "counterpart" }, { "bilateral-jp", "counterpart" },
		{ "finland-ev-battery-supply-chain", "status" },
		{ "slovakia-ev-supply-chain", "sector" },
		{ "romania-nuclear-facility-improvement", "countries" },
		{ "romania-nuclear-facility-improvement", "meetings" },
		{ "defense-sales", "countries" }, { "defense-sales", "meetings" },
		{ "infrastructure-sales", "countries" }, { "infrastructure-sales", "meetings" },
		{ "ukraine-reconstruction", "countries" }, { "ukraine-reconstruction", "meetings" },
		{ "norway-green-hydrogen", "countries" }, { "norway-green-hydrogen", "meetings" },
		{ "equinor-carbon-capture", "countries" }, { "equinor-carbon-capture", "meetings" },
		{ "eureka-cooperation", "countries" }, { "eureka-cooperation", "meetings" },
		{ "nato-military-information-sharing", "date" },
		{ "nato-military-information-sharing", "meetings" },
		{ "korea-nato-itpp", "date" }, { "korea-nato-itpp", "meetings" },
		{ "nato-bices", "meetings" }, { "international-cyber-training-center", "meetings" },
		{ "ukraine-humanitarian-support", "meetings" }, { "nato-ukraine-trust-fund", "meetings" },
	};
	static struct cited r[MAX_RECORDS];
	size_t n = all_cited(r, MAX_RECORDS), total = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < r[i].inferences->n; j++) {
			const struct inference *inf = &r[i].inferences->v[j];
			bool listed = false;

			for (size_t k = 0; k < sizeof(want) / sizeof(want[0]) && !listed; k++)
				listed = !strcmp(want[k].key, r[i].key) && !strcmp(want[k].field, inf->field);
			cr_assert(listed, "%s: an inference on %s that the README does not list", r[i].key,
				  inf->field);
			cr_assert_gt(strlen(inf->reason), 20, "%s: a reason says why", r[i].key);
			total++;
		}
	}
	cr_assert_eq(total, sizeof(want) / sizeof(want[0]), "every listed inference is in the data");
}

Test(data, statuses_follow_the_articles_verbs)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	const struct vocabulary *status = &store_dataset(s)->vocab[VOCAB_STATUS];

	/* "Yesterday, Korea and NATO elevated ...": done. */
	cr_assert_str_eq(deal("korea-nato-itpp")->status, "done");
	cr_assert_str_eq(deal("korea-nato-itpp")->date, "2023-07-11");
	/* "we will also participate": an intention. */
	cr_assert_str_eq(deal("nato-ukraine-trust-fund")->status, "planned");
	/* The article says "decided" of BICES and the cyber training centre only. */
	for (uint32_t i = 0; i < c->n; i++) {
		const struct deal *d = collection_record(c, i);

		if (!strcmp(d->status, "decided"))
			cr_assert(!strcmp(d->id, "nato-bices") || !strcmp(d->id, "international-cyber-training-center"),
				  "%s is decided", d->id);
	}
	cr_assert_str_eq(deal("nato-bices")->status, "decided");
	cr_assert_str_eq(deal("international-cyber-training-center")->status, "decided");
	/* Every status of the vocabulary is used, "done" among them. */
	for (size_t k = 0; k < status->n; k++) {
		bool used = false;

		for (uint32_t i = 0; i < c->n && !used; i++)
			used = !strcmp(((const struct deal *)collection_record(c, i))->status, status->entries[k].id);
		cr_assert(used, "status %s is used by no deal", status->entries[k].id);
	}
	cr_assert_not_null(dataset_vocab_entry(store_dataset(s), VOCAB_STATUS, "done"));
}

Test(data, what_the_12_july_meetings_were_to_discuss_is_on_the_agenda)
{
	const struct collection *c = store_collection(s, STORE_DEALS);

	for (uint32_t i = 0; i < c->n; i++) {
		const struct deal *d = collection_record(c, i);

		for (size_t j = 0; j < d->meetings.n; j++) {
			const struct meeting *m = meeting(d->meetings.v[j]);

			if (!strcmp(m->kind, "bilateral") && !strcmp(m->date, "2023-07-12"))
				cr_assert_str_eq(d->status, "on-agenda", "%s is linked to %s", d->id, m->id);
		}
	}
}

Test(data, ukraine_reconstruction_is_the_pitch_and_the_talks_in_poland)
{
	const struct deal *pitch = deal("ukraine-reconstruction");
	const struct deal *poland = deal("ukraine-reconstruction-poland");

	cr_assert_str_eq(pitch->status, "proposed");
	cr_assert(SAME_SET(pitch->countries, "KR", "UA", "NL", "HU", "RO", "SE"));
	cr_assert(SAME_SET(pitch->meetings, "bilateral-nl", "bilateral-hu", "bilateral-ro", "bilateral-se"));
	cr_assert_eq(pitch->companies.n, 0);
	cr_assert_str_eq(poland->status, "on-agenda");
	cr_assert(SAME_SET(poland->countries, "KR", "UA", "PL"));
	cr_assert(SAME_SET(poland->meetings, "official-visit-pl"));
	cr_assert(has(poland->companies, "Export-Import Bank"));
	cr_assert_null(poland->value, "the figure is stated once, with the pitch");
}

Test(data, the_proposals_to_each_european_leader_tell_one_story)
{
	static const char *const deals[] = {
		"norway-green-hydrogen", "equinor-carbon-capture", "eureka-cooperation",
	};

	for (size_t i = 0; i < sizeof(deals) / sizeof(deals[0]); i++) {
		const struct deal *d = deal(deals[i]);

		cr_assert(SAME_SET(d->countries, "KR", "NO", "PT", "NL", "HU", "RO", "SE"), "%s", d->id);
		cr_assert(SAME_SET(d->meetings, "bilateral-no", "bilateral-pt", "bilateral-nl", "bilateral-hu",
				   "bilateral-ro", "bilateral-se"), "%s", d->id);
		for (size_t j = 0; j < d->meetings.n; j++)
			cr_assert_str_eq(meeting(d->meetings.v[j])->date, "2023-07-11", "%s", d->id);
	}
}

Test(data, a_deals_countries_include_every_bilateral_partner_it_links)
{
	const struct collection *c = store_collection(s, STORE_DEALS);

	for (uint32_t i = 0; i < c->n; i++) {
		const struct deal *d = collection_record(c, i);

		for (size_t j = 0; j < d->meetings.n; j++) {
			const struct meeting *m = meeting(d->meetings.v[j]);

			if (strcmp(m->kind, "bilateral"))
				continue;
			for (size_t k = 0; k < m->countries.n; k++)
				cr_assert(has(d->countries, m->countries.v[k]), "%s links %s but does not list %s",
					  d->id, m->id, m->countries.v[k]);
		}
	}
}

Test(data, the_12_july_european_meetings_have_no_topic_from_the_proposals)
{
	static const char *const later[] = {
		"bilateral-gb", "bilateral-ee", "bilateral-sk", "bilateral-fi", "bilateral-lt",
	};

	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		const struct meeting *m = meeting(later[i]);

		cr_assert(!has(m->topics, "research") && !has(m->topics, "hydrogen") &&
			  !has(m->topics, "carbon-capture"), "%s", m->id);
	}
	cr_assert_eq(meeting("bilateral-ee")->topics.n, 0, "the article reports no agenda for Estonia");
	cr_assert_eq(meeting("bilateral-jp")->topics.n, 0);
	cr_assert_eq(meeting("bilateral-nz")->topics.n, 0);
}

Test(data, links_and_parties_the_article_supports)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	const struct deal *port = deal("constantza-port-development");
	const struct deal *sk = deal("slovakia-ev-supply-chain");

	cr_assert(SAME_SET(deal("romania-nuclear-facility-improvement")->meetings, "bilateral-ro", "briefing-choi"));
	cr_assert_str_eq(sk->sector, "ev-batteries");
	cr_assert_eq(sk->companies.n, 0, "Kia Motors is background, not a party");
	cr_assert_eq(port->partners.n, 0);
	cr_assert(has(port->organizations, "Ministry of Oceans and Fisheries"),
		  "Korea's own ministry manages the project; it is no partner");
	cr_assert_str_eq(port->date, "2023-07-11");
	cr_assert_str_eq(port->response, "positive");
	cr_assert(has(port->aliases, "Port of Constanta"));
	for (uint32_t i = 0; i < c->n; i++) {
		const struct deal *d = collection_record(c, i);

		cr_assert(!has(d->companies, "Kia Motors"), "%s", d->id);
		cr_assert(!has(d->partners, "Ministry of Oceans and Fisheries"), "%s", d->id);
	}
}

Test(data, meeting_formats_are_the_articles_words)
{
	const struct collection *c = store_collection(s, STORE_MEETINGS);

	for (uint32_t i = 0; i < c->n; i++) {
		const struct meeting *m = collection_record(c, i);

		if (strcmp(m->kind, "bilateral"))
			continue;
		if (!strcmp(m->id, "bilateral-nl"))
			cr_assert_str_eq(m->format, "luncheon meeting");
		else if (!strcmp(m->date, "2023-07-12"))
			cr_assert_str_eq(m->format, "relay meeting", "%s", m->id);
		else
			cr_assert_null(m->format, "%s", m->id);
	}
}

Test(data, facts_the_article_states_are_there)
{
	const struct deal *asml = deal("asml-duv-plant");
	const struct deal *info = deal("nato-military-information-sharing");

	cr_assert_str_eq(asml->date, "2023-07-11");
	cr_assert_str_eq(asml->location, "South Korea");
	cr_assert_str_eq(deal("ev-battery-supply-chains")->date, "2023-07-11");
	cr_assert(SAME_SET(meeting("official-visit-pl")->organizations, "construction companies",
			   "IT companies leading smart city construction", "Export-Import Bank"));
	cr_assert_str_eq(info->status, "planned");
	cr_assert_str_eq(info->sector, "defense");
	cr_assert(SAME_SET(info->organizations, "NATO"));
	cr_assert(SAME_SET(info->meetings, "nato-summit-vilnius"));
	cr_assert_str_eq(info->date, "2023-07-12");
	cr_assert(has(deal("nato-bices")->organizations, "Nuclear Consultative Group"));
	cr_assert(has(country("US")->organizations, "Nuclear Consultative Group"));
	cr_assert(has(country("KP")->organizations, "UN Security Council"));
}

Test(data, summaries_say_no_more_than_the_article)
{
	cr_assert_null(strstr(country("HU")->summary, "hosts"), "the battery makers \"have entered\" Hungary");
	cr_assert_null(strstr(country("RU")->summary, "made"), "the article joins the two facts with \"and\"");
	cr_assert_null(strstr(deal("constantza-port-development")->summary, "made"));
	cr_assert_null(strstr(country("KP")->summary, "12 July"), "the ICBM launch was \"on the day\"");
	cr_assert_null(strstr(country("KP")->summary, "2023-07-12"));
	cr_assert_null(strstr(meeting("briefing-choi")->summary, "results of the bilateral meetings"));
	cr_assert_not_null(strstr(meeting("briefing-choi")->summary, "Team Korea"),
			   "the pledge covers every agenda of the summit");
	cr_assert_null(strstr(deal("core-minerals-supply-network")->summary, "Team Korea"));
	cr_assert_null(strstr(deal("ukraine-reconstruction-poland")->summary, "offering"),
		       "the bank \"can support\" financing");
	cr_assert_null(strstr(meeting("official-visit-pl")->summary, "offering"));
}
