/*
 * Tests for models/query.c: the grammar, good and bad, as tables, run on
 * tests/fixtures/query.json (six deals made for these tests).
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "models/meeting.h"
#include "models/query.h"
#include "models/store.h"
#include "tests/support/support.h"

#define MAXP 16

struct parsed {
	char buf[512];
	struct query_param p[MAXP];
	size_t n;
};

/* Splits "a=1&b=2" into pairs (tests use no percent-encoding). */
static void split(const char *qs, struct parsed *out)
{
	snprintf(out->buf, sizeof(out->buf), "%s", qs);
	out->n = support_split_query(out->buf, out->p, MAXP);
}

/* Runs qs on the fixture's deals; writes the page's ids, comma-separated. */
static void run(const char *qs, char *ids, size_t size, uint32_t *total)
{
	struct store *s = support_load(FIXTURES "query.json");

	*total = support_deal_ids(s, qs, ids, size);
	store_free(s);
}

/* Parameters are copied into each test's own process, where pointers to
 * static data may not hold: hence arrays, not pointers. */
struct good {
	char query[80];
	char ids[40];
	uint32_t total;
};

ParameterizedTestParameters(query, answers_each_good_query)
{
	static struct good cases[] = {
		{ "", "d1,d2,d3,d4,d5,d6", 6 },
		{ "status=proposed", "d2,d3,d4,d5", 4 },
		{ "status=PROPOSED", "d2,d3,d4,d5", 4 },
		{ "status:eq=proposed", "d2,d3,d4,d5", 4 },
		{ "status=agreed,on-agenda", "d1,d6", 2 },
		{ "status:ne=proposed", "d1,d6", 2 },
		{ "status:ne=proposed,agreed", "d6", 1 },
		{ "countries=RO", "d1,d2", 2 },
		{ "countries=ro,nl", "d1,d2,d3", 3 },
		{ "countries=RO&countries=KR", "d1,d2", 2 },
		{ "countries=RO&countries=NL", "", 0 },
		{ "countries:ne=KR", "", 0 },
		{ "countries:ne=RO", "d3,d4,d5,d6", 4 },
		{ "countries:startswith=u", "d4", 1 },
		{ "companies:contains=nuclear", "d1", 1 },
		{ "companies:isnull=true", "d2,d4,d5,d6", 4 },
		{ "value.amount:gte=1000000000000", "d4,d5", 2 },
		{ "value.amount:gte=1e12", "d4,d5", 2 },
		{ "value.amount=2.6e11,5.0", "d1,d6", 2 },
		{ "value.amount:gt=2500000000000", "d4", 1 },
		{ "value.amount:lt=1000", "d6", 1 },
		{ "value.amount:lte=260000000000", "d1,d6", 2 },
		{ "value.amount=5", "d6", 1 },
		{ "value.amount:ne=5", "d1,d2,d3,d4,d5", 5 },
		{ "value.amount:isnull=true", "d2,d3", 2 },
		{ "value.amount:isnull=false", "d1,d4,d5,d6", 4 },
		{ "value.currency=usd", "d6", 1 },
		{ "value_alt.currency=USD", "d4", 1 },
		{ "value.basis=market", "d4", 1 },
		{ "value.basis=contract,PROJECT", "d1,d5,d6", 3 },
		{ "value_alt.basis=market", "d4", 1 },
		{ "value.estimate=true", "d4", 1 },
		{ "value.estimate=false", "d1,d5,d6", 3 },
		{ "value.estimate:ne=true", "d1,d2,d3,d5,d6", 5 },
		{ "value.estimate:isnull=true", "d2,d3", 2 },
		{ "sort=value.estimate,-id", "d6,d5,d1,d4,d3,d2", 6 },
		{ "evidence.source=second", "d1,d4", 2 },
		{ "evidence.source=made-up&value.amount:isnull=false", "d1,d5,d6", 3 },
		{ "date=2023-07-11", "d1", 1 },
		{ "date:gte=2023-07-12", "d5", 1 },
		{ "date:lt=2023-07-12", "d1", 1 },
		{ "date:startswith=2023-07", "d1,d5", 2 },
		{ "date:isnull=false", "d1,d5", 2 },
		{ "title:contains=PLANT", "d3", 1 },
		{ "title:contains=TION", "d4,d5", 2 },
		{ "title:startswith=port", "d2", 1 },
		{ "meetings=m-ro", "d1,d2", 2 },
		/* q: words, best first (title > company > country name or label), ties in order */
		{ "q=nuclear", "d5,d1,d6", 3 },
		{ "q=NUCLEAR", "d5,d1,d6", 3 },
		{ "q=nuclear&sort=id", "d1,d5,d6", 3 },
		{ "q=nuclear&limit=1&offset=1", "d1", 3 },
		{ "q=nuclear&countries=SE", "d5", 1 },
		{ "q=korea hydro", "d1", 1 },
		{ "q=hydro korea", "d1", 1 },
		{ "q=NUCLEAR POWER", "d1", 1 },
		{ "q=korea nuclear", "d1,d5,d6", 3 },
		{ "q=  lithography plant ", "d3", 1 },
		{ "q=", "d1,d2,d3,d4,d5,d6", 6 },
		{ "q=   ", "d1,d2,d3,d4,d5,d6", 6 },
		/* a word matches the words it begins; quoted, only itself */
		{ "q=wast", "d6", 1 },
		{ "q=\"wast\"", "", 0 },
		{ "q=\"waste\"", "d6", 1 },
		{ "q=ro", "d1,d2", 2 },
		{ "q=semicon", "d3", 1 },
		/* the labels and the names a record refers to are its text too */
		{ "q=ukraine", "d4", 1 },
		{ "q=sweden nuclear", "d5", 1 },
		/* phrases: words in a row within one value, never across two */
		{ "q=\"korea hydro\"", "d1", 1 },
		{ "q=\"hydro korea\"", "", 0 },
		{ "q=korea-hydro", "d1", 1 },
		{ "q=\"south korea nuclear\"", "", 0 },
		{ "q=\"south korea\" tritium", "d1", 1 },
		{ "q=nothing-like-this", "", 0 },
		{ "q=zzz", "", 0 },
		{ "sort=-value.amount", "d4,d5,d1,d6,d2,d3", 6 },
		{ "sort=value.amount", "d6,d1,d5,d4,d2,d3", 6 },
		{ "sort=+value.amount", "d6,d1,d5,d4,d2,d3", 6 },
		{ "sort=status,-date", "d1,d6,d5,d2,d3,d4", 6 },
		{ "sort=title", "d3,d5,d2,d4,d1,d6", 6 },
		{ "sort=-title", "d6,d1,d4,d2,d5,d3", 6 },
		{ "sort=sector", "d1,d5,d6,d2,d4,d3", 6 },
		{ "sort=-sector", "d3,d4,d2,d1,d5,d6", 6 },
		{ "limit=2&offset=2", "d3,d4", 6 },
		{ "limit=2.0&offset=+2", "d3,d4", 6 },
		{ "limit=1e0&offset=-0", "d1", 6 },
		{ "limit=0", "", 6 },
		{ "offset=10", "", 6 },
		{ "offset=5", "d6", 6 },
		{ "sort=-value.amount&limit=2&offset=3", "d6,d2", 6 },
		{ "countries=KR&sort=-value.amount&limit=2", "d4,d5", 6 },
		{ "status=proposed&sort=title&limit=2&offset=1", "d5,d2", 4 },
		{ "status=proposed&q=r&sort=-title", "d4,d2", 2 },
		{ "status=proposed&q=asml", "d3", 1 },
	};

	return cr_make_param_array(struct good, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct good *c, query, answers_each_good_query)
{
	char ids[256];
	uint32_t total;

	run(c->query, ids, sizeof(ids), &total);
	cr_assert_str_eq(ids, c->ids, "?%s", c->query);
	cr_assert_eq(total, c->total, "?%s: total %u", c->query, total);
}

struct bad {
	char query[64];
	char param[32];
	char detail[400];     /* the whole detail, or its start when prefix is set */
	bool prefix;
};

ParameterizedTestParameters(query, refuses_each_bad_query_naming_the_culprit)
{
	static struct bad cases[] = {
		{ "stauts=agreed", "stauts", "unknown parameter \"stauts\"; allowed: id, title, aliases, countries,", true },
		{ "stauts:ne=agreed", "stauts:ne", "unknown field \"stauts\" in \"stauts:ne\"; allowed: id,", true },
		{ "status:gt=a", "status:gt", "operator \"gt\" does not apply to string field \"status\"; operators for this field: eq, ne, contains, startswith, isnull", false },
		{ "status:like=a", "status:like", "unknown operator \"like\" in \"status:like\"; operators for this field: eq, ne, contains, startswith, isnull", false },
		{ "value.amount:contains=1", "value.amount:contains", "operator \"contains\" does not apply to integer field \"value.amount\"; operators for this field: eq, ne, gt, gte, lt, lte, isnull", false },
		{ "countries:gte=RO", "countries:gte", "operator \"gte\" does not apply to array of strings field \"countries\"; operators for this field: eq, ne, contains, startswith, isnull", false },
		{ "value.amount:gte=1.5e0", "value.amount:gte", "value.amount:gte expects an integer, got \"1.5e0\"", false },
		{ "value.amount=0x10", "value.amount", "value.amount expects an integer, got \"0x10\"", false },
		{ "value.amount=1,x", "value.amount", "value.amount expects an integer, got \"x\"", false },
		{ "date=2023-02-30", "date", "date expects a calendar date (February 2023 has 28 days), got \"2023-02-30\"", false },
		{ "date:gt=July", "date:gt", "date:gt expects a date in the form YYYY-MM-DD, got \"July\"", false },
		{ "value.estimate=yes", "value.estimate", "value.estimate expects true or false, got \"yes\"", false },
		{ "value.estimate:gt=false", "value.estimate:gt", "operator \"gt\" does not apply to boolean field \"value.estimate\"; operators for this field: eq, ne, isnull", false },
		{ "value.estimate:startswith=t", "value.estimate:startswith", "operator \"startswith\" does not apply to boolean field \"value.estimate\"; operators for this field: eq, ne, isnull", false },
		{ "value.amount:isnull=yes", "value.amount:isnull", "value.amount:isnull expects true or false, got \"yes\"", false },
		{ "status=", "status", "status expects a value, got an empty string", false },
		{ "status=a,,b", "status", "status has an empty item in \"a,,b\"", false },
		{ "sort=foo", "sort", "cannot sort by \"foo\"; sortable fields: id, title, sector, status, date, value.amount, value.currency, value.basis, value.estimate, value_alt.amount, completion_year", false },
		{ "sort=countries", "sort", "cannot sort by \"countries\"; sortable fields:", true },
		{ "sort=title,-title", "sort", "sort names \"title\" twice; sortable fields: id, sector, status, date, value.amount, value.currency, value.basis, value.estimate, value_alt.amount, completion_year", false },
		{ "sort=", "sort", "sort expects a comma-separated list, got an empty string; sortable fields: id,", true },
		{ "sort=title,", "sort", "sort has an empty item; sortable fields: id,", true },
		{ "fields=", "fields", "fields expects a comma-separated list, got an empty string; allowed: id,", true },
		{ "facet=status,", "facet", "facet has an empty item; facetable fields: countries,", true },
		{ "limit=5000", "limit", "limit must be an integer from 0 to 1000, got \"5000\"", false },
		{ "limit=-1", "limit", "limit must be an integer from 0 to 1000, got \"-1\"", false },
		{ "limit=ten", "limit", "limit must be an integer from 0 to 1000, got \"ten\"", false },
		{ "limit=", "limit", "limit must be an integer from 0 to 1000, got \"\"", false },
		{ "limit= 5", "limit", "limit must be an integer from 0 to 1000, got \" 5\"", false },
		{ "limit=1.5", "limit", "limit must be an integer from 0 to 1000, got \"1.5\"", false },
		{ "limit=1e4", "limit", "limit must be an integer from 0 to 1000, got \"1e4\"", false },
		{ "offset=4294967296", "offset", "offset must be an integer from 0 to 4294967295, got \"4294967296\"", false },
		{ "offset=-1", "offset", "offset must be an integer from 0 to 4294967295, got \"-1\"", false },
		{ "offset=99999999999", "offset", "offset must be an integer from 0 to 4294967295, got \"99999999999\"", false },
		{ "limit=1&limit=2", "limit", "parameter \"limit\" is given more than once", false },
		{ "q=a&q=b", "q", "parameter \"q\" is given more than once", false },
		{ "q=\"nuclear", "q", "q has an unterminated phrase: the '\"' at character 1 is not closed", false },
		{ "q=korea \"nuclear power", "q", "q has an unterminated phrase: the '\"' at character 7 is not closed", false },
		{ "q=a \"\"", "q", "q has an empty phrase at character 3: a phrase needs a word (letters or digits) between its quotes", false },
		{ "q=\" - \"", "q", "q has an empty phrase at character 1: a phrase needs a word (letters or digits) between its quotes", false },
		{ "q=!!! ...", "q", "q has no word to search for: a word is letters or digits", false },
		{ "q=a b c d e f g h i j k l m n o p q", "q", "q has 17 words: at most 16 are allowed", false },
		{ "q=a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q", "q", "q has 17 words: at most 16 are allowed", false },
		{ "q=ab\xff", "q", "q is not valid UTF-8 (at byte 3)", false },
		{ "fields=id,nope", "fields", "unknown field \"nope\" in fields; allowed: id, title, aliases, countries, organizations, sector, status, date, value, value_alt, companies, partners, meetings, location, response, incentives, items, completion_year, summary, evidence, inferences", false },
		{ "fields=value.amount", "fields", "unknown field \"value.amount\" in fields; allowed:", true },
		{ "facet=summary", "facet", "cannot facet on \"summary\"; facetable fields: countries, organizations, sector, status, date, value.currency, value.basis, value.estimate, value_alt.currency, value_alt.basis, value_alt.estimate, companies, partners, meetings, response, completion_year, evidence.source, inferences.field", false },
		{ "=x", "", "a query parameter has an empty name; allowed: id, title,", true },
	};

	return cr_make_param_array(struct bad, cases, sizeof(cases) / sizeof(cases[0]));
}

/* Parses qs for deals, which must refuse it; err says why (release q and err). */
static void refuse(const char *qs, struct query *q, struct query_error *err)
{
	struct parsed p;

	split(qs, &p);
	query_error_init(err);
	cr_assert_eq(query_parse(q, &deal_resource, p.p, p.n, err), -1, "?%s was accepted", qs);
}

ParameterizedTest(struct bad *c, query, refuses_each_bad_query_naming_the_culprit)
{
	struct query_error err;
	struct query q;

	refuse(c->query, &q, &err);
	cr_assert_str_eq(err.param, c->param, "?%s", c->query);
	if (c->prefix)
		cr_assert(strncmp(err.detail.buf, c->detail, strlen(c->detail)) == 0,
			  "?%s: %s", c->query, err.detail.buf);
	else
		cr_assert_str_eq(err.detail.buf, c->detail, "?%s", c->query);
	query_release(&q);
	query_error_release(&err);
}

Test(query, refuses_a_q_longer_than_256_bytes)
{
	char q[SEARCH_MAX_BYTES + 2];
	struct query_param p = { "q", q };
	struct query_error err;
	struct query qr;

	memset(q, 'a', sizeof(q) - 1);
	q[sizeof(q) - 1] = '\0';
	query_error_init(&err);
	cr_assert_eq(query_parse(&qr, &deal_resource, &p, 1, &err), -1);
	cr_assert_str_eq(err.param, "q");
	cr_assert_str_eq(err.detail.buf, "q is 257 bytes long: at most 256 are allowed");
	query_release(&qr);
	query_error_release(&err);
	q[SEARCH_MAX_BYTES] = '\0';
	query_error_init(&err);
	cr_assert_eq(query_parse(&qr, &deal_resource, &p, 1, &err), 0, "256 bytes is one long word");
	query_release(&qr);
	query_error_release(&err);
}

Test(query, lists_what_is_allowed_with_an_unknown_parameter)
{
	struct query_param p = { "colour", "red" };
	struct query_error err;
	struct query q;
	bool has_status = false, has_limit = false;

	query_error_init(&err);
	cr_assert_eq(query_parse(&q, &deal_resource, &p, 1, &err), -1);
	for (size_t i = 0; i < err.nallowed; i++) {
		has_status |= strcmp(err.allowed[i], "status") == 0;
		has_limit |= strcmp(err.allowed[i], "limit") == 0;
	}
	cr_assert(has_status && has_limit);
	query_release(&q);
	query_error_release(&err);
}

/* A meeting's field format shares its name with format=: the name is allowed once. */
Test(query, lists_each_allowed_parameter_once)
{
	struct query_param p = { "colour", "red" };
	struct query_error err;
	struct query q;

	query_error_init(&err);
	cr_assert_eq(query_parse(&q, &meeting_resource, &p, 1, &err), -1);
	for (size_t i = 0; i < err.nallowed; i++)
		for (size_t k = 0; k < i; k++)
			cr_assert_str_neq(err.allowed[k], err.allowed[i], "%s is allowed twice", err.allowed[i]);
	query_release(&q);
	query_error_release(&err);
}

/*
 * A refusal lists what would do wherever that is a finite set (names, and
 * isnull's two values); where the value is free-form but malformed, the
 * parameter's own rules (the OpenAPI document's schema) say what would do.
 */
struct allowed_case {
	char query[48];
	char first[24];       /* allowed[0], or "" when allowed must be absent */
};

ParameterizedTestParameters(query, lists_what_would_do_when_that_is_a_finite_set)
{
	static struct allowed_case cases[] = {
		{ "stauts=x", "id" }, { "stauts:ne=x", "id" }, { "=x", "id" },
		{ "status:gt=a", "eq" }, { "status:like=a", "eq" },
		{ "value.amount:isnull=yes", "true" },
		{ "sort=foo", "id" }, { "sort=", "id" }, { "sort=title,", "id" },
		{ "sort=id,-id", "title" }, { "fields=nope", "id" }, { "fields=", "id" },
		{ "facet=summary", "countries" }, { "facet=,", "countries" },
		{ "limit=5000", "" }, { "offset=x", "" }, { "value.amount=x", "" },
		{ "date=2023-02-30", "" }, { "status=", "" }, { "status=a,,b", "" },
		{ "limit=1&limit=2", "" },
	};

	return cr_make_param_array(struct allowed_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct allowed_case *c, query, lists_what_would_do_when_that_is_a_finite_set)
{
	struct query_error err;
	struct query q;

	refuse(c->query, &q, &err);
	if (!c->first[0])
		cr_assert_eq(err.nallowed, 0, "?%s lists %s", c->query, err.allowed[0]);
	else
		cr_assert(err.nallowed && !strcmp(err.allowed[0], c->first), "?%s: allowed starts with %s",
			  c->query, err.nallowed ? err.allowed[0] : "nothing");
	query_release(&q);
	query_error_release(&err);
}

Test(query, refuses_more_than_the_maximum_of_filters)
{
	struct query_param p[QUERY_MAX_FILTERS + 1];
	struct query_error err;
	struct query q;

	for (size_t i = 0; i < QUERY_MAX_FILTERS + 1; i++)
		p[i] = (struct query_param){ "status", "agreed" };
	query_error_init(&err);
	cr_assert_eq(query_parse(&q, &deal_resource, p, QUERY_MAX_FILTERS + 1, &err), -1);
	cr_assert_str_eq(err.detail.buf, "too many filters: at most 32 are allowed");
	query_release(&q);
	query_error_release(&err);
}

Test(query, counts_facets_over_the_matches_with_nulls_last)
{
	struct store *s = support_load(FIXTURES "query.json");
	const struct collection *c = store_collection(s, STORE_DEALS);
	struct query_param p[] = { { "countries", "KR" }, { "facet", "status,value.currency" },
				   { "limit", "1" } };
	const struct column *col;
	struct query_error err;
	struct query_result r;
	struct query q;

	query_error_init(&err);
	cr_assert_eq(query_parse(&q, c->res, p, 3, &err), 0);
	query_run(&q, c, &r);
	cr_assert_eq(r.total, 6);
	cr_assert_eq(r.npage, 1);
	cr_assert_eq(r.nfacets, 2);
	col = &c->columns[r.facets[0].field];
	cr_assert_eq(r.facets[0].n, 3);
	cr_assert_str_eq(col->values[r.facets[0].counts[0].id].s, "proposed");
	cr_assert_eq(r.facets[0].counts[0].count, 4);
	cr_assert_str_eq(col->values[r.facets[0].counts[1].id].s, "agreed");
	cr_assert_str_eq(col->values[r.facets[0].counts[2].id].s, "on-agenda");
	col = &c->columns[r.facets[1].field];
	cr_assert_eq(r.facets[1].n, 3);
	cr_assert_str_eq(col->values[r.facets[1].counts[0].id].s, "KRW");
	cr_assert_eq(r.facets[1].counts[0].count, 3);
	cr_assert_str_eq(col->values[r.facets[1].counts[1].id].s, "USD");
	cr_assert_eq(r.facets[1].counts[2].id, COLUMN_NULL);
	cr_assert_eq(r.facets[1].counts[2].count, 2);
	query_result_release(&r);
	query_release(&q);
	query_error_release(&err);
	store_free(s);
}

Test(query, facets_of_everything_equal_facets_of_a_filter_matching_everything)
{
	struct store *s = support_load(FIXTURES "query.json");
	const struct collection *c = store_collection(s, STORE_DEALS);
	struct query_param all[] = { { "facet", "countries" } };
	struct query_param some[] = { { "facet", "countries" }, { "countries", "KR" } };
	struct query_error err;
	struct query_result a, b;
	struct query qa, qb;

	query_error_init(&err);
	cr_assert_eq(query_parse(&qa, c->res, all, 1, &err), 0);
	cr_assert_eq(query_parse(&qb, c->res, some, 2, &err), 0);
	query_run(&qa, c, &a);
	query_run(&qb, c, &b);
	cr_assert_eq(a.facets[0].n, b.facets[0].n);
	for (uint32_t i = 0; i < a.facets[0].n; i++) {
		cr_assert_eq(a.facets[0].counts[i].id, b.facets[0].counts[i].id);
		cr_assert_eq(a.facets[0].counts[i].count, b.facets[0].counts[i].count);
	}
	query_result_release(&a);
	query_result_release(&b);
	query_release(&qa);
	query_release(&qb);
	query_error_release(&err);
	store_free(s);
}

Test(query, an_exact_related_filter_does_not_fold_case)
{
	struct store *s = support_load(FIXTURES "query.json");
	const struct collection *c = store_collection(s, STORE_DEALS);
	struct query_error err;
	struct query_result r;
	struct query q;

	query_error_init(&err);
	cr_assert_eq(query_parse(&q, c->res, NULL, 0, &err), 0);
	cr_assert_eq(query_add_filter(&q, "meetings", "M-RO", true, &err), 0);
	query_run(&q, c, &r);
	cr_assert_eq(r.total, 0, "meeting ids are keys: M-RO is not m-ro");
	query_result_release(&r);
	query_release(&q);
	cr_assert_eq(query_parse(&q, c->res, NULL, 0, &err), 0);
	cr_assert_eq(query_add_filter(&q, "meetings", "m-ro", true, &err), 0);
	query_run(&q, c, &r);
	cr_assert_eq(r.total, 2);
	query_result_release(&r);
	query_release(&q);
	query_error_release(&err);
	store_free(s);
}

Test(query, adds_a_related_filter_as_equality)
{
	struct store *s = support_load(FIXTURES "query.json");
	const struct collection *c = store_collection(s, STORE_DEALS);
	struct query_param p[] = { { "status", "proposed" } };
	struct query_error err;
	struct query_result r;
	struct query q;

	query_error_init(&err);
	cr_assert_eq(query_parse(&q, c->res, p, 1, &err), 0);
	cr_assert_eq(query_add_filter(&q, "countries", "RO", true, &err), 0);
	query_run(&q, c, &r);
	cr_assert_eq(r.total, 1);
	cr_assert_str_eq(((const struct deal *)collection_record(c, r.page[0]))->id, "d2");
	query_result_release(&r);
	query_release(&q);
	query_error_release(&err);
	store_free(s);
}

Test(query, a_vocabulary_field_sorts_in_the_vocabularys_order)
{
	/* The statuses in the order the file declares them, not the alphabet's. */
	static const char data[] =
		"{\"dataset\":{\"title\":\"t\",\"version\":\"1\",\"vocabularies\":{\"status\":["
		"{\"id\":\"planned\",\"label\":\"P\"},{\"id\":\"proposed\",\"label\":\"Q\"},"
		"{\"id\":\"agreed\",\"label\":\"A\"},{\"id\":\"done\",\"label\":\"D\"}]}},"
		"\"sources\":[{\"id\":\"s\",\"title\":\"S\",\"publisher\":null,\"date\":null,\"url\":null}],"
		"\"countries\":[{\"code\":\"KR\",\"name\":\"K\",\"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]}],"
		"\"meetings\":[],\"deals\":["
#define DEAL(id, status) "{\"id\":\"" id "\",\"title\":\"T\",\"countries\":[\"KR\"],\"sector\":\"x\"," \
	"\"status\":\"" status "\",\"value\":null,\"companies\":[],\"meetings\":[]," \
	"\"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]}"
		DEAL("a", "proposed") "," DEAL("b", "done") "," DEAL("c", "planned") "," DEAL("d", "agreed") ","
		DEAL("e", "proposed")
#undef DEAL
		"]}";
	struct strbuf err = STRBUF_INIT;
	struct store *st = store_load_buffer(data, sizeof(data) - 1, "vocab.json", &err);
	char ids[64];

	cr_assert_not_null(st, "%s", err.buf);
	/* One key and no filter: the page is read from the postings, in the vocabulary's order. */
	support_deal_ids(st, "sort=status", ids, sizeof(ids));
	cr_assert_str_eq(ids, "c,a,e,d,b");
	support_deal_ids(st, "sort=-status", ids, sizeof(ids));
	cr_assert_str_eq(ids, "b,d,a,e,c", "descending, ties still in the file's order");
	support_deal_ids(st, "sort=status&limit=2&offset=2", ids, sizeof(ids));
	cr_assert_str_eq(ids, "e,d");
	/* With a filter, the matches are sorted: the same order. */
	support_deal_ids(st, "status:ne=nothing&sort=status", ids, sizeof(ids));
	cr_assert_str_eq(ids, "c,a,e,d,b");
	support_deal_ids(st, "title=T&sort=-status,-id", ids, sizeof(ids));
	cr_assert_str_eq(ids, "b,d,e,a,c");
	/* Ranges and prefixes still read the dictionary, which is the alphabet's. */
	support_deal_ids(st, "status:startswith=p&sort=id", ids, sizeof(ids));
	cr_assert_str_eq(ids, "a,c,e");
	store_free(st);
	strbuf_release(&err);
}

struct scan_case {
	char qs[96];
	uint64_t scan;
};

ParameterizedTestParameters(query, says_what_a_query_would_examine)
{
	static struct scan_case cases[] = {
		{ "", 6 },                                /* the first page: its records */
		{ "limit=2", 2 },
		{ "sort=title&limit=3", 3 },              /* read in order from the title index */
		{ "sort=status,title", 6 },               /* two keys: every record, sorted */
		{ "status=proposed", 4 },                 /* the index's postings of "proposed" */
		{ "status=proposed&sector=nuclear", 3 },  /* the more selective index: nuclear */
		{ "status=agreed,on-agenda", 2 },
		{ "status:ne=proposed", 6 },              /* a negative filter lists nothing */
		/*
		 * q=: the postings of its cheapest term, listed, then each word's
		 * postings read again to score the candidates; the other terms'
		 * whole words merged with the candidates; a phrase checked on each
		 * candidate's words (90 words in 6 records: 15 each).
		 */
		{ "q=plant", 1 + 1 },
		{ "q=nuclear", 3 + 3 },
		{ "q=n", 4 + 1 + 3 },                     /* netherlands (1) and nuclear (3) */
		{ "q=zzz", 0 },                           /* no word: nothing read */
		{ "q=nuclear korea", 3 + 6 + 3 + 6 },     /* nuclear lists, korea narrows, both score */
		{ "q=\"nuclear power\"", 1 + 15 },        /* power (1) lists, the phrase is read */
		{ "q=\"south korea\" plant", 1 + 6 + 6 + 1 + 15 },
		{ "q=plant&sector=semiconductors", 1 + 1 },  /* a tie: the search lists */
		{ "q=korea&status=agreed", 1 + 6 + 6 },   /* agreed (1) lists, korea narrows and scores */
		{ "title:contains=o", 6 + 6 },            /* six titles read, then six records */
		{ "facet=status&limit=0", 6 },
	};

	return cr_make_param_array(struct scan_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct scan_case *c, query, says_what_a_query_would_examine)
{
	struct store *s = support_load(FIXTURES "query.json");
	const struct collection *col = store_collection(s, STORE_DEALS);
	struct query_error err;
	struct parsed p;
	struct query q;

	split(c->qs, &p);
	query_error_init(&err);
	cr_assert_eq(query_parse(&q, col->res, p.p, p.n, &err), 0, "%s", err.detail.buf);
	cr_assert_eq(query_scan(&q, col), c->scan, "%s: %llu", c->qs,
		     (unsigned long long)query_scan(&q, col));
	query_release(&q);
	query_error_release(&err);
	store_free(s);
}
