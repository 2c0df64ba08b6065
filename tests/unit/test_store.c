/*
 * Tests for models/store.c: every validation rule has a fixture that breaks it
 * (tests/fixtures/store/, made by make-fixtures.py) and the exact message.
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "models/search.h"
#include "models/store.h"
#include "tests/support/support.h"

#define DIR FIXTURES "store/"

/* Parameters are copied into each test's own process, where pointers to
 * static data may not hold: hence arrays, not pointers. */
struct bad_file {
	char file[48];
	char message[600];   /* after DIR + file + ": " */
};

ParameterizedTestParameters(store, refuses_each_broken_file_with_one_exact_message)
{
	static struct bad_file cases[] = {
		/* the JSON text */
		{ "empty.json", "line 1, column 1: empty input: expected a JSON value" },
		{ "truncated.json", "line 96, column 1: unexpected end of input (is the file truncated?)" },
		{ "missing-comma.json", "line 5, column 5: expected ',' or '}' after an object member" },
		{ "trailing-comma.json", "line 69, column 7: trailing comma in an array" },
		{ "trailing-text.json", "line 185, column 1: unexpected text after the JSON value" },
		{ "bare-word.json", "line 171, column 16: expected a value (string, number, object, array, true, false or null)" },
		{ "control-char.json", "line 164, column 21: control character in a string (escape it, e.g. \\n)" },
		{ "nul-escape.json", "line 164, column 21: \\u0000 (NUL) is not allowed in a string" },
		{ "lone-surrogate.json", "line 164, column 22: unpaired high surrogate in a \\u escape" },
		{ "invalid-utf8.json", "line 164, column 22: invalid UTF-8 in a string" },
		{ "leading-zero.json", "line 140, column 20: a number may not have leading zeros" },
		{ "too-deep.json", "line 172, column 81: arrays and objects nest too deeply (the limit is 64)" },
		/* the shape */
		{ "top-array.json", "(top level): expected an object, got an array" },
		{ "unknown-top-key.json", "(top level): unknown field \"extra\" (allowed: dataset, sources, countries, meetings, deals)" },
		{ "missing-deals.json", "(top level): missing required field \"deals\"" },
		{ "countries-not-array.json", "countries: expected an array, got an object" },
		{ "dataset-missing-version.json", "dataset: missing required field \"version\"" },
		{ "vocab-duplicate.json", "dataset.vocabularies.status[1].id: duplicate id \"proposed\" (first at status[0])" },
		{ "dataset-id-not-slug.json", "dataset.id: \"Vilnius 2023\" is not a slug (lower-case letters and digits in words joined by '-')" },
		{ "sources-missing.json", "(top level): missing required field \"sources\"" },
		{ "sources-empty.json", "sources: expected at least one source, got an empty array: every record cites one" },
		{ "dataset-old-source.json", "dataset.source: no longer here: a dataset's sources are the top-level collection \"sources\", which records cite in their evidence" },
		/* fields */
		{ "missing-title.json", "deals[1]: missing required field \"title\"" },
		{ "unknown-field.json", "deals[0]: unknown field \"valeu\" (allowed: id, title, aliases, countries, organizations, sector, status, date, value, value_alt, companies, partners, meetings, location, response, incentives, items, completion_year, summary, evidence, inferences)" },
		{ "duplicate-key.json", "deals[1]: duplicate key \"id\"" },
		{ "amount-string.json", "deals[0].value.amount: expected an integer, got \"12\"" },
		{ "amount-fraction.json", "deals[0].value.amount: expected an integer, got 12.5" },
		{ "amount-negative.json", "deals[0].value.amount: expected an integer from 0 to 9007199254740991, got -5" },
		{ "amount-too-big.json", "deals[0].value.amount: expected an integer no larger than 2^53 - 1 (9007199254740991), got a number beyond it" },
		{ "currency-lowercase.json", "deals[0].value.currency: \"krw\" is not an ISO 4217 currency code (three capital letters, e.g. KRW)" },
		{ "currency-unknown.json", "deals[0].value.currency: \"XYZ\" is not an ISO 4217 currency code" },
		{ "value-alt-alone.json", "deals[1].value_alt: given without a value: value_alt is the value in a second currency" },
		{ "empty-title.json", "deals[0].title: expected a non-empty string, got \"\"" },
		{ "blank-title.json", "deals[0].title: expected a non-empty string, got \"   \"" },
		{ "title-number.json", "deals[0].title: expected a string, got 7" },
		{ "date-not-calendar.json", "meetings[0].date: \"2023-02-30\" is not a calendar date (February 2023 has 28 days)" },
		{ "date-leap.json", "meetings[0].date: \"2023-02-29\" is not a calendar date (February 2023 has 28 days)" },
		{ "date-format.json", "meetings[0].date: \"2023-7-11\" is not a date in the form YYYY-MM-DD" },
		{ "end-before-start.json", "meetings[0].end_date: \"2023-07-10\" is before the date \"2023-07-11\"" },
		{ "country-uk.json", "countries[1].code: \"UK\" is not an ISO 3166-1 alpha-2 country code (the United Kingdom is GB)" },
		{ "country-lowercase.json", "countries[1].code: \"ro\" is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. GB)" },
		{ "country-unassigned.json", "countries[1].code: \"XX\" is not an officially assigned ISO 3166-1 alpha-2 country code" },
		{ "duplicate-id.json", "deals[1].id: duplicate id \"tritium\" (first at deals[0])" },
		{ "duplicate-country.json", "countries[1].code: duplicate code \"KR\" (first at countries[0])" },
		{ "duplicate-in-array.json", "deals[0].countries[1]: duplicate value \"KR\" (also at index 0)" },
		{ "empty-countries.json", "deals[0].countries: expected at least one country code, got an empty array" },
		{ "id-with-slash.json", "deals[0].id: \"a/b\" is not an id (letters, digits, '-', '_', '.' and '~' only)" },
		{ "sector-not-slug.json", "deals[0].sector: \"Nuclear\" is not a slug (lower-case letters and digits in words joined by '-')" },
		{ "counterpart-missing.json", "meetings[0]: missing required field \"counterpart\"" },
		{ "completion-year-string.json", "deals[0].completion_year: expected an integer, got \"2027\"" },
		{ "delegation-too-small.json", "meetings[0].delegation: size 1 is smaller than the 2 members listed" },
		{ "source-url-javascript.json", "sources[0].url: \"javascript:alert(1)\" is not an absolute http:// or https:// URL" },
		{ "money-without-basis.json", "deals[0].value: missing required field \"basis\": what the figure measures, an id of the dataset's basis vocabulary (e.g. contract, project, market)" },
		{ "estimate-string.json", "deals[0].value.estimate: expected true or false, got \"no\"" },
		{ "value-alt-other-basis.json", "deals[0].value_alt.basis: \"project\" differs from value.basis \"contract\": value_alt is the same figure in a second currency" },
		{ "value-alt-other-estimate.json", "deals[0].value_alt.estimate: true differs from value.estimate false: value_alt is the same figure in a second currency" },
		{ "evidence-missing.json", "deals[1]: missing required field \"evidence\"" },
		{ "evidence-empty.json", "countries[1].evidence: expected at least one {source, quote}, got an empty array: every record cites its source" },
		{ "evidence-extra-key.json", "deals[1].evidence[0]: unknown field \"page\" (allowed: source, quote)" },
		{ "quote-blank.json", "deals[0].evidence[0].quote: expected a non-empty string, got \"  \"" },
		{ "quote-too-long.json", "deals[0].evidence[0].quote: \"word word word word word word word wo...\" is not a quote of at most 500 characters (cite, do not copy)" },
		{ "inference-unknown-field.json", "deals[0].inferences[0].field: \"valeu\" is not a member of a deal (allowed: id, title, countries, organizations, sector, status, date, value, value_alt, companies, partners, meetings, location, response, incentives, items, completion_year, summary, value.amount, value.currency, value.basis, value.estimate, value_alt.amount, value_alt.currency, value_alt.basis, value_alt.estimate)" },
		{ "inference-on-evidence.json", "deals[0].inferences[0].field: \"evidence\" is not a member of a deal (allowed: id, title, countries, organizations, sector, status, date, value, value_alt, companies, partners, meetings, location, response, incentives, items, completion_year, summary, value.amount, value.currency, value.basis, value.estimate, value_alt.amount, value_alt.currency, value_alt.basis, value_alt.estimate)" },
		{ "inference-without-value.json", "deals[0].inferences[0].field: \"date\" has no value in this deal: an inference is about a value the record gives" },
		/* references and vocabularies */
		{ "unknown-country-ref.json", "deals[1].countries[1]: unknown country \"PL\" (not among the dataset's countries)" },
		{ "unknown-meeting-ref.json", "deals[1].meetings[0]: unknown meeting \"bilateral-pl\" (not among the dataset's meetings)" },
		{ "unknown-participant-country.json", "meetings[0].participants[0].country: unknown country \"JP\" (not among the dataset's countries)" },
		{ "status-not-in-vocab.json", "deals[1].status: \"done\" is not in the dataset's status vocabulary (allowed: proposed, agreed)" },
		{ "kind-not-in-vocab.json", "meetings[0].kind: \"dinner\" is not in the dataset's kind vocabulary (allowed: bilateral)" },
		{ "topic-not-in-vocab.json", "meetings[0].topics[1]: \"hydrogen\" is not in the dataset's sector vocabulary (allowed: nuclear, ports)" },
		{ "role-not-in-vocab.json", "countries[0].roles[0]: \"host\" is not in the dataset's role vocabulary (allowed: home, bilateral-partner)" },
		{ "evidence-unknown-source.json", "meetings[0].evidence[1].source: unknown source \"another-article\" (not among the dataset's sources)" },
		{ "basis-not-in-vocab.json", "deals[0].value.basis: \"guess\" is not in the dataset's basis vocabulary (allowed: contract, project)" },
		{ "basis-vocab-missing.json", "deals[0].value.basis: \"contract\" needs the dataset's basis vocabulary, which the file does not give (dataset.vocabularies.basis: what each value means)" },
	};

	return cr_make_param_array(struct bad_file, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_file *c, store, refuses_each_broken_file_with_one_exact_message)
{
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT, summary = STRBUF_INIT;
	char path[256];
	struct store *s;

	snprintf(path, sizeof(path), DIR "%s", c->file);
	s = store_load_file(path, &err);
	cr_assert_null(s, "%s loaded, but it is broken", c->file);
	strbuf_addf(&want, "%s: %s", path, c->message);
	cr_assert_str_eq(err.buf, want.buf);
	/* --check builds less, but finds the same fault. */
	strbuf_reset(&err);
	cr_assert_eq(store_check_file(path, &err, &summary), -1, "%s checked, but it is broken",
		     c->file);
	cr_assert_str_eq(err.buf, want.buf);
	cr_assert_eq(summary.len, 0);
	strbuf_release(&err);
	strbuf_release(&want);
	strbuf_release(&summary);
}

Test(store, loads_the_valid_fixture)
{
	struct store *s = support_load(DIR "valid.json");

	cr_assert_eq(store_collection(s, STORE_SOURCES)->n, 1);
	cr_assert_eq(store_collection(s, STORE_COUNTRIES)->n, 2);
	cr_assert_eq(store_collection(s, STORE_MEETINGS)->n, 1);
	cr_assert_eq(store_collection(s, STORE_DEALS)->n, 2);
	cr_assert_str_eq(store_dataset(s)->title, "Test dataset");
	cr_assert_null(store_dataset(s)->id, "the id is optional");
	cr_assert_null(store_dataset(s)->licence, "a dataset may state no licence");
	store_free(s);
}

Test(store, checks_a_good_file_and_says_what_it_holds_as_a_load_does)
{
	struct strbuf err = STRBUF_INIT, summary = STRBUF_INIT, described = STRBUF_INIT;
	struct store *s = support_load(DIR "valid.json");

	cr_assert_eq(store_check_file(DIR "valid.json", &err, &summary), 0, "%s", err.buf);
	store_describe(s, &described);
	cr_assert_str_eq(summary.buf, described.buf);
	cr_assert_str_eq(summary.buf, "1 source, 2 countries, 1 meeting, 2 deals");
	store_free(s);
	strbuf_release(&err);
	strbuf_release(&summary);
	strbuf_release(&described);
}

Test(store, the_shipped_dataset_names_itself_with_an_id)
{
	struct store *s = support_load("data/vilnius-2023.json");

	cr_assert_str_eq(store_dataset(s)->id, "vilnius-2023");
	store_free(s);
}

Test(store, reads_evidence_inferences_and_money_with_its_basis)
{
	struct store *s = support_load(DIR "valid.json");
	const struct deal *d = store_find_deal(s, "tritium", 7);
	const struct source *src = store_find_source(s, "test-article", 12);

	cr_assert_not_null(src);
	cr_assert_str_eq(src->title, "A test article");
	cr_assert_null(src->publisher);
	cr_assert_null(store_find_source(s, "TEST-ARTICLE", 12), "source ids are exact");
	cr_assert_eq(d->evidence.n, 1);
	cr_assert_str_eq(d->evidence.v[0].source, "test-article");
	cr_assert_str_eq(d->evidence.sources.v[0], "test-article");
	cr_assert_eq(d->inferences.n, 1);
	cr_assert_str_eq(d->inferences.v[0].field, "countries");
	cr_assert_str_eq(d->value->basis, "contract");
	cr_assert(!d->value->estimate);
	store_free(s);
}

Test(store, an_inference_may_name_a_dotted_field_the_record_gives)
{
	struct store *s = support_load(DIR "inference-nested.json");

	cr_assert_str_eq(store_find_deal(s, "tritium", 7)->inferences.v[0].field, "value.estimate");
	store_free(s);
}

Test(store, describes_its_collections_in_the_singular_where_there_is_one)
{
	struct store *s = support_load(DIR "valid.json");
	struct strbuf sb = STRBUF_INIT;

	store_describe(s, &sb);
	cr_assert_str_eq(sb.buf, "1 source, 2 countries, 1 meeting, 2 deals");
	strbuf_release(&sb);
	store_free(s);
}

Test(store, reports_a_missing_file_by_name)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_null(store_load_file(DIR "no-such-file.json", &err));
	cr_assert_str_eq(err.buf, DIR "no-such-file.json: cannot open: No such file or directory");
	strbuf_release(&err);
}

Test(store, refuses_a_directory)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_null(store_load_file(DIR, &err));
	cr_assert_str_eq(err.buf, DIR ": not a regular file (a directory)");
	strbuf_release(&err);
}

/* Opening a FIFO used to wait for a writer: for ever. */
Test(store, refuses_a_fifo_without_waiting_for_a_writer, .timeout = 5)
{
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	char path[64];

	snprintf(path, sizeof(path), "/tmp/attache-fifo-%d", (int)getpid());
	unlink(path);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_null(store_load_file(path, &err));
	strbuf_addf(&want, "%s: not a regular file (a FIFO)", path);
	cr_assert_str_eq(err.buf, want.buf);
	unlink(path);
	strbuf_release(&err);
	strbuf_release(&want);
}

Test(store, loads_from_a_buffer_under_the_given_name)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_null(store_load_buffer("{\"dataset\": 1}", 14, "inline", &err));
	cr_assert_str_eq(err.buf, "inline: dataset: expected an object, got 1");
	strbuf_release(&err);
}

Test(store, accepts_a_leading_byte_order_mark)
{
	size_t len;
	char *text = support_read_file(DIR "valid.json", &len);
	char *bom = malloc(len + 3);
	struct strbuf err = STRBUF_INIT;
	struct store *s;

	memcpy(bom, "\xEF\xBB\xBF", 3);
	memcpy(bom + 3, text, len);
	s = store_load_buffer(bom, len + 3, "bom.json", &err);
	cr_assert_not_null(s, "%s", err.buf);
	store_free(s);
	free(bom);
	free(text);
	strbuf_release(&err);
}

Test(store, finds_countries_ignoring_case_and_ids_exactly)
{
	struct store *s = support_load(DIR "valid.json");

	cr_assert_not_null(store_find_country(s, "ro", 2));
	cr_assert_not_null(store_find_country(s, "RO", 2));
	cr_assert_null(store_find_country(s, "RX", 2));
	cr_assert_not_null(store_find_deal(s, "port", 4));
	cr_assert_null(store_find_deal(s, "PORT", 4));
	cr_assert_not_null(store_find_meeting(s, "bilateral-ro", 12));
	cr_assert_null(store_find_meeting(s, "bilateral", 9));
	store_free(s);
}

Test(store, digest_changes_with_the_bytes)
{
	size_t len;
	char *text = support_read_file(DIR "valid.json", &len);
	struct strbuf err = STRBUF_INIT;
	struct store *a = store_load_buffer(text, len, "a", &err);
	struct store *b;

	text[len - 1] = ' '; /* the final newline, now a space: same data, other bytes */
	b = store_load_buffer(text, len, "b", &err);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_neq(store_digest(a), store_digest(b));
	store_free(a);
	store_free(b);
	free(text);
	strbuf_release(&err);
}

/*
 * valid.json with its deals replaced by n copies of its first, each with its
 * own id. The last one also names last_country, if any; with plain, none
 * has the first's inferences (so the loader reads each straight from the
 * text); the title of deal at[k] is the JSON text title[k], for k < nat.
 */
struct many {
	uint32_t n;
	const char *last_country;
	bool plain;
	const uint32_t *at;
	const char *const *title;
	size_t nat;
};

static char *many_deals(const struct many *m, size_t *len)
{
	char *text = support_read_file(DIR "valid.json", len);
	cJSON *root = cJSON_ParseWithLength(text, *len);
	cJSON *deals = cJSON_GetObjectItem(root, "deals");
	cJSON *first = cJSON_DetachItemFromArray(deals, 0), *copy;
	char *out;

	if (m->plain)
		cJSON_DeleteItemFromObject(first, "inferences");
	cJSON_DeleteItemFromObject(root, "deals");
	deals = cJSON_AddArrayToObject(root, "deals");
	for (uint32_t i = 0; i < m->n; i++) {
		char id[32];

		snprintf(id, sizeof(id), "deal-%u", i);
		copy = cJSON_Duplicate(first, true);
		cJSON_ReplaceItemInObject(copy, "id", cJSON_CreateString(id));
		if (i == m->n - 1 && m->last_country)
			cJSON_AddItemToArray(cJSON_GetObjectItem(copy, "countries"),
					     cJSON_CreateString(m->last_country));
		for (size_t k = 0; k < m->nat; k++)
			if (m->at[k] == i)
				cJSON_ReplaceItemInObject(copy, "title", cJSON_Parse(m->title[k]));
		cJSON_AddItemToArray(deals, copy);
	}
	out = cJSON_PrintUnformatted(root);
	*len = strlen(out);
	cJSON_Delete(first);
	cJSON_Delete(root);
	free(text);
	return out;
}

static const struct collection *collection_of(const void *arg, const struct resource *res)
{
	enum store_collection w = store_which(res);

	return w < STORE_NCOLLECTIONS ? store_collection(arg, w) : NULL;
}

Test(store, a_big_collection_indexed_on_threads_is_what_one_thread_indexes)
{
	size_t len;
	char *text = many_deals(&(struct many){ .n = 3000 }, &len);
	struct strbuf err = STRBUF_INIT;
	struct store *s = store_load_buffer(text, len, "many.json", &err);
	const struct collection *deals;
	struct search_index one;
	struct arena a = ARENA_INIT;

	cr_assert_not_null(s, "%s", err.buf);
	deals = store_collection(s, STORE_DEALS);
	cr_assert_eq(deals->n, 3000);
	/* The search index was built on a thread: build it again here. */
	search_build(&one, deals, &(struct search_context){ store_dataset(s), collection_of, s }, &a);
	cr_assert_eq(deals->search.nwords, one.nwords);
	cr_assert_gt(one.nwords, 0);
	cr_assert_eq(memcmp(deals->search.seq_start, one.seq_start, 3001 * sizeof(uint32_t)), 0);
	cr_assert_eq(memcmp(deals->search.pstart, one.pstart, (one.nwords + 1) * sizeof(uint32_t)), 0);
	arena_release(&a);
	store_free(s);
	free(text);
	strbuf_release(&err);
}

Test(store, a_fault_in_the_references_of_a_big_collection_stops_its_indexing_threads)
{
	size_t len;
	char *text = many_deals(&(struct many){ .n = 3000, .last_country = "PL" }, &len);
	struct strbuf err = STRBUF_INIT;

	cr_assert_null(store_load_buffer(text, len, "many.json", &err));
	cr_assert_str_eq(err.buf, "many.json: deals[2999].countries[2]: unknown country \"PL\" "
			 "(not among the dataset's countries)");
	free(text);
	strbuf_release(&err);
}

/* Loads 6000 plain deals, the titles at[] replaced: NULL and the message, or the store. */
static struct store *load_plain(const uint32_t *at, const char *const *title, size_t nat,
				struct strbuf *err)
{
	size_t len;
	char *text = many_deals(&(struct many){ 6000, NULL, true, at, title, nat }, &len);
	struct store *s = store_load_buffer(text, len, "many.json", err);

	free(text);
	return s;
}

Test(store, a_big_collection_read_on_two_threads_reports_its_first_fault)
{
	struct strbuf err = STRBUF_INIT;

	/* Deals from 3000 on are read by the second thread: a fault there waits for the first half's. */
	cr_assert_null(load_plain((const uint32_t[]){ 1000, 4500 }, (const char *const[]){ "5", "\"\"" },
				  2, &err));
	cr_assert_str_eq(err.buf, "many.json: deals[1000].title: expected a string, got 5");
	strbuf_reset(&err);
	cr_assert_null(load_plain((const uint32_t[]){ 5500, 4500 }, (const char *const[]){ "5", "\"\"" },
				  2, &err));
	cr_assert_str_eq(err.buf, "many.json: deals[4500].title: expected a non-empty string, got \"\"");
	strbuf_reset(&err);
	cr_assert_null(load_plain((const uint32_t[]){ 2999 }, (const char *const[]){ "null" }, 1,
				  &err));
	cr_assert_str_eq(err.buf, "many.json: deals[2999].title: expected a string, got null");
	strbuf_release(&err);
}

Test(store, a_big_collection_read_on_two_threads_takes_what_the_scan_leaves_to_the_tree)
{
	struct strbuf err = STRBUF_INIT;
	struct store *s = load_plain((const uint32_t[]){ 10, 5000 },
				     (const char *const[]){ "\"A \\\"quoted\\\" \\u00e9\"",
							    "\"Tab\\tbed\"" }, 2, &err);
	const struct deal *d;

	cr_assert_not_null(s, "%s", err.buf);
	cr_assert_eq(store_collection(s, STORE_DEALS)->n, 6000);
	d = store_find_deal(s, "deal-10", 7);
	cr_assert_str_eq(d->title, "A \"quoted\" \xc3\xa9");
	d = store_find_deal(s, "deal-5000", 9);
	cr_assert_str_eq(d->title, "Tab\tbed");
	d = store_find_deal(s, "deal-5999", 9);
	cr_assert_str_eq(d->title, "Tritium removal facility");
	cr_assert_str_eq(d->value->currency, "KRW");
	cr_assert_eq(d->value->amount, 260000000000);
	store_free(s);
	strbuf_release(&err);
}
