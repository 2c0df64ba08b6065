/*
 * Integration tests of the API's routes: real HTTP to a server started in
 * the test process with the shipped dataset.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tests/support/client.h"
#include "tests/support/server.h"

TEST_SERVER_SUITE(api, NULL);

static cJSON *get_json(const char *path, long want)
{
	struct reply r;
	cJSON *j;

	http_get(test_url(&srv, path), NULL, &r);
	cr_assert_eq(r.status, want, "GET %s: %ld %.300s", path, r.status, r.body.buf);
	cr_assert_str_eq(reply_header(&r, "Content-Type"), "application/json; charset=utf-8", "%s", path);
	j = reply_json(&r);
	reply_release(&r);
	return j;
}

static double num(const cJSON *obj, const char *path)
{
	const cJSON *v = obj;
	char key[64];

	while (*path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		v = cJSON_GetObjectItemCaseSensitive(v, key);
		cr_assert_not_null(v, "no %s", key);
		path += n + (path[n] == '.');
	}
	return v->valuedouble;
}

Test(api, index_links_every_collection_and_counts_them)
{
	cJSON *j = get_json("/api/v1", 200);

	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "links"), "deals")->valuestring,
			 "/api/v1/deals");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "links"), "sources")->valuestring,
			 "/api/v1/sources");
	cr_assert_eq(num(j, "counts.sources"), 1);
	cr_assert_eq(num(j, "counts.countries"), 20);
	cr_assert_eq(num(j, "counts.meetings"), 17);
	cr_assert_eq(num(j, "counts.deals"), 27);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "dataset"), "version")->valuestring,
			 "2.0.0");
	cr_assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "dataset"), "source"),
		       "the sources are a collection now");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "dataset"), "licence"),
					     "id")->valuestring, "CC-BY-4.0");
	cJSON_Delete(j);
}

Test(api, every_collection_lists_its_records_in_an_envelope)
{
	static const char *const paths[] = {
		"/api/v1/sources", "/api/v1/countries", "/api/v1/meetings", "/api/v1/deals",
	};
	static const int totals[] = { 1, 20, 17, 27 };

	for (int i = 0; i < 4; i++) {
		cJSON *j = get_json(paths[i], 200);

		cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "data")), totals[i]);
		cr_assert_eq(num(j, "meta.total"), totals[i]);
		cr_assert_eq(num(j, "meta.limit"), 50);
		cr_assert_eq(num(j, "meta.offset"), 0);
		cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "links"), "next")));
		cJSON_Delete(j);
	}
}

Test(api, sources_are_a_collection_that_every_record_cites)
{
	static const char *const lists[] = {
		"/api/v1/countries?fields=evidence&limit=1000", "/api/v1/meetings?fields=evidence&limit=1000",
		"/api/v1/deals?fields=evidence&limit=1000",
	};
	cJSON *j = get_json("/api/v1/sources/businesskorea-sales-diplomacy", 200);
	struct reply r;

	cr_assert_str_eq(cJSON_GetObjectItem(j, "title")->valuestring, "International Sales Diplomacy");
	cr_assert_str_eq(cJSON_GetObjectItem(j, "publisher")->valuestring, "BusinessKorea");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "date")), "the article prints no date");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "url")));
	cJSON_Delete(j);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		const cJSON *rec;

		j = get_json(lists[i], 200);
		cJSON_ArrayForEach(rec, cJSON_GetObjectItem(j, "data")) {
			const cJSON *ev = cJSON_GetObjectItem(rec, "evidence");

			cr_assert(cJSON_GetArraySize(ev) >= 1, "%s: a record without evidence", lists[i]);
			cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 0), "source")->valuestring,
					 "businesskorea-sales-diplomacy");
		}
		cJSON_Delete(j);
	}
	j = get_json("/api/v1/sources/businesskorea-sales-diplomacy/deals?limit=0", 200);
	cr_assert_eq(num(j, "meta.total"), 27, "the related list: the deals citing the source");
	cJSON_Delete(j);
	j = get_json("/api/v1/deals?evidence.source=businesskorea-sales-diplomacy&facet=evidence.source&limit=0", 200);
	cr_assert_eq(num(j, "meta.total"), 27);
	cJSON_Delete(j);
	http_get(test_url(&srv, "/api/v1/sources/BUSINESSKOREA-SALES-DIPLOMACY"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 404), "no source with id \"BUSINESSKOREA-SALES-DIPLOMACY\"");
	reply_release(&r);
}

Test(api, one_country_ignores_the_case_of_its_code)
{
	cJSON *a = get_json("/api/v1/countries/ro", 200), *b = get_json("/api/v1/countries/RO", 200);
	char *sa = cJSON_PrintUnformatted(a), *sb = cJSON_PrintUnformatted(b);

	cr_assert_str_eq(sa, sb);
	cr_assert_str_eq(cJSON_GetObjectItem(a, "code")->valuestring, "RO");
	cr_assert_str_eq(cJSON_GetObjectItem(a, "name")->valuestring, "Romania");
	cJSON_free(sa);
	cJSON_free(sb);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

Test(api, one_record_is_a_bare_object_with_money_as_integers)
{
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals/cernavoda-tritium-removal"), NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body.buf, "\"value\":{\"amount\":260000000000,\"currency\":\"KRW\","
				     "\"basis\":\"contract\",\"estimate\":false}"),
		  "%s", r.body.buf);
	cr_assert_eq(r.body.buf[0], '{');
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals/ukraine-reconstruction"), NULL, &r);
	cr_assert(strstr(r.body.buf, "\"amount\":1200000000000000"), "no exponent form: %s", r.body.buf);
	reply_release(&r);
}

Test(api, unknown_records_are_404_problems_naming_the_key)
{
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals/no-such-deal"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 404), "no deal with id \"no-such-deal\"");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/countries/XX/deals"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 404), "no country with code \"XX\"");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/meetings/nope/deals"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 404), "no meeting with id \"nope\"");
	reply_release(&r);
}

Test(api, related_lists_take_the_whole_grammar)
{
	cJSON *j = get_json("/api/v1/countries/RO/deals?status=proposed&sort=-value.amount&fields=id,value", 200);
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "data"), 0);

	cr_assert_eq(num(j, "meta.total"), 10);
	cr_assert_str_eq(cJSON_GetObjectItem(first, "id")->valuestring, "ukraine-reconstruction");
	cr_assert_eq(cJSON_GetArraySize(first), 2, "fields=id,value keeps two members");
	cJSON_Delete(j);

	j = get_json("/api/v1/meetings/bilateral-ro/deals", 200);
	cr_assert_eq(num(j, "meta.total"), 10);
	cJSON_Delete(j);
	j = get_json("/api/v1/countries/fi/meetings?kind=bilateral", 200);
	cr_assert_eq(num(j, "meta.total"), 1);
	cJSON_Delete(j);
}

Test(api, a_single_record_takes_fields_and_formats_and_nothing_else)
{
	struct reply r;
	cJSON *j = get_json("/api/v1/countries/nl?fields=name,leader", 200);

	cr_assert_eq(cJSON_GetArraySize(j), 2);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "leader"), "name")->valuestring,
			 "Mark Rutte");
	cJSON_Delete(j);
	http_get(test_url(&srv, "/api/v1/countries/nl?limit=1"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 400), "unknown parameter \"limit\": a single country takes only fields, format and bom");
	reply_release(&r);
}

Test(api, facets_count_values_over_all_matches)
{
	cJSON *j = get_json("/api/v1/meetings?kind=bilateral&facet=date&limit=0", 200);
	const cJSON *dates = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "meta"), "facets"), "date");

	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "data")), 0);
	cr_assert_eq(num(j, "meta.total"), 13);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(dates, 0), "value")->valuestring, "2023-07-11");
	cr_assert_eq(num(cJSON_GetArrayItem(dates, 0), "count"), 7);
	cr_assert_eq(num(cJSON_GetArrayItem(dates, 1), "count"), 6);
	cJSON_Delete(j);
}

/* Ranking the best matches of a search picks a page's worth: the facets still count them all. */
Test(api, facets_of_a_search_do_not_depend_on_the_page)
{
	cJSON *one = get_json("/api/v1/deals?q=c*&facet=status&limit=1", 200);
	cJSON *all = get_json("/api/v1/deals?q=c*&facet=status&limit=100", 200);
	char *a = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetObjectItem(one, "meta"), "facets"));
	char *b = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetObjectItem(all, "meta"), "facets"));

	cr_assert_gt(num(all, "meta.total"), 16, "enough matches that one page is less than an eighth");
	cr_assert_str_eq(a, b);
	cJSON_free(a);
	cJSON_free(b);
	cJSON_Delete(one);
	cJSON_Delete(all);
}

Test(api, stats_give_a_dashboard_its_figures_in_one_call)
{
	cJSON *j = get_json("/api/v1/stats", 200);
	const cJSON *deals = cJSON_GetObjectItem(j, "deals");
	const cJSON *totals = cJSON_GetObjectItem(deals, "totals");
	const cJSON *days = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "meetings"), "by_date");
	/* 260 billion won in a contract, 2.5 trillion for a whole project, an estimated
	 * 1,200 trillion for a market: three bases, three totals, never one sum. */
	static const struct { const char *basis; double amount; bool estimate; } want[] = {
		{ "contract", 260000000000.0, false },
		{ "project", 2500000000000.0, false },
		{ "market", 1200000000000000.0, true },
	};

	cr_assert_eq(num(j, "counts.deals"), 27);
	cr_assert_eq(cJSON_GetArraySize(totals), 3, "one total per basis; value_alt is not added");
	for (int i = 0; i < 3; i++) {
		const cJSON *t = cJSON_GetArrayItem(totals, i);

		cr_assert_str_eq(cJSON_GetObjectItem(t, "currency")->valuestring, "KRW");
		cr_assert_str_eq(cJSON_GetObjectItem(t, "basis")->valuestring, want[i].basis);
		cr_assert_eq(num(t, "amount"), want[i].amount);
		cr_assert_eq(num(t, "deals"), 1);
		cr_assert_eq(cJSON_IsTrue(cJSON_GetObjectItem(t, "estimate")), want[i].estimate);
	}
	cr_assert_eq(num(deals, "valued"), 3);
	cr_assert(cJSON_GetArraySize(cJSON_GetObjectItem(deals, "by_status")) > 3);
	cr_assert(cJSON_GetArraySize(cJSON_GetObjectItem(deals, "by_sector")) > 5);
	cr_assert(cJSON_GetArraySize(cJSON_GetObjectItem(deals, "by_country")) > 10);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(days, 0), "value")->valuestring, "2023-07-11");
	cJSON_Delete(j);
}

Test(api, openapi_describes_every_route)
{
	cJSON *j = get_json("/api/v1/openapi.json", 200);
	const cJSON *paths = cJSON_GetObjectItem(j, "paths");
	const cJSON *schemas = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "components"), "schemas");
	static const char *const want[] = {
		"/api/v1", "/api/v1/countries", "/api/v1/countries/{code}",
		"/api/v1/countries/{code}/meetings", "/api/v1/countries/{code}/deals",
		"/api/v1/meetings", "/api/v1/meetings/{id}", "/api/v1/meetings/{id}/deals",
		"/api/v1/deals", "/api/v1/deals/{id}", "/api/v1/sources", "/api/v1/sources/{id}",
		"/api/v1/sources/{id}/countries", "/api/v1/sources/{id}/meetings", "/api/v1/sources/{id}/deals",
		"/api/v1/stats", "/api/v1/openapi.json", "/healthz", "/readyz", "/metrics",
	};

	cr_assert_str_eq(cJSON_GetObjectItem(j, "openapi")->valuestring, "3.1.0");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_not_null(cJSON_GetObjectItem(paths, want[i]), "%s", want[i]);
	cr_assert_not_null(cJSON_GetObjectItem(schemas, "Deal"));
	cr_assert_not_null(cJSON_GetObjectItem(schemas, "DealList"));
	cr_assert_not_null(cJSON_GetObjectItem(schemas, "Source"));
	cr_assert_not_null(cJSON_GetObjectItem(schemas, "SourceList"));
	cr_assert_not_null(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(schemas, "DealListMeta"),
								   "properties"), "search"));
	cr_assert_not_null(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(schemas, "SourceListMeta"),
								   "properties"), "search"));
	cr_assert_not_null(cJSON_GetObjectItem(schemas, "Problem"));
	cJSON_Delete(j);
}

Test(api, health_and_readiness_answer_while_serving)
{
	cJSON *h = get_json("/healthz", 200), *r = get_json("/readyz", 200);

	cr_assert_str_eq(cJSON_GetObjectItem(h, "status")->valuestring, "ok");
	cr_assert_str_eq(cJSON_GetObjectItem(r, "status")->valuestring, "ready");
	cr_assert_eq(num(r, "generation"), 1);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(r, "last_reload_error")));
	cJSON_Delete(h);
	cJSON_Delete(r);
}

/* Walks rel="next" from the first page to the last; the pages joined equal the unpaged list. */
static void walk_pages(const char *first, const char *all)
{
	struct client c;
	struct reply r;
	struct strbuf joined = STRBUF_INIT, want = STRBUF_INIT;
	char next[2048];
	cJSON *j;
	int pages = 0;

	client_init(&c);
	snprintf(next, sizeof(next), "%s", first);
	while (*next) {
		const cJSON *d, *n;

		client_do(&c, "GET", test_url(&srv, next), NULL, false, &r);
		cr_assert_eq(r.status, 200);
		j = reply_json(&r);
		cJSON_ArrayForEach(d, cJSON_GetObjectItem(j, "data")) {
			strbuf_addstr(&joined, cJSON_GetObjectItem(d, "id") ? cJSON_GetObjectItem(d, "id")->valuestring
									  : cJSON_GetObjectItem(d, "code")->valuestring);
			strbuf_addch(&joined, ',');
		}
		n = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "links"), "next");
		/* The Link header says the same as links.next. */
		if (cJSON_IsString(n)) {
			char rel[2100];

			snprintf(rel, sizeof(rel), "<%s>; rel=\"next\"", n->valuestring);
			cr_assert_not_null(strstr(reply_header(&r, "Link"), rel), "%s", reply_header(&r, "Link"));
		} else {
			cr_assert_null(strstr(reply_header(&r, "Link"), "rel=\"next\""));
		}
		snprintf(next, sizeof(next), "%s", cJSON_IsString(n) ? n->valuestring : "");
		cJSON_Delete(j);
		reply_release(&r);
		cr_assert_lt(++pages, 100);
	}
	client_do(&c, "GET", test_url(&srv, all), NULL, false, &r);
	j = reply_json(&r);
	{
		const cJSON *d;

		cJSON_ArrayForEach(d, cJSON_GetObjectItem(j, "data")) {
			strbuf_addstr(&want, cJSON_GetObjectItem(d, "id") ? cJSON_GetObjectItem(d, "id")->valuestring
									: cJSON_GetObjectItem(d, "code")->valuestring);
			strbuf_addch(&want, ',');
		}
	}
	cr_assert_str_eq(joined.buf, want.buf);
	cJSON_Delete(j);
	reply_release(&r);
	client_release(&c);
	strbuf_release(&joined);
	strbuf_release(&want);
}

Test(api, pagination_links_walked_to_the_end_give_the_unpaged_list)
{
	walk_pages("/api/v1/deals?limit=4", "/api/v1/deals?limit=1000");
	walk_pages("/api/v1/deals?sort=-value.amount,title&limit=3", "/api/v1/deals?sort=-value.amount,title&limit=1000");
	walk_pages("/api/v1/countries?limit=7&sort=name", "/api/v1/countries?sort=name&limit=1000");
	walk_pages("/api/v1/countries/KR/meetings?limit=5", "/api/v1/countries/KR/meetings");
}

Test(api, link_header_has_first_prev_next_and_last)
{
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals?limit=10&offset=10"), NULL, &r);
	cr_assert_str_eq(reply_header(&r, "X-Total-Count"), "27");
	cr_assert_str_eq(reply_header(&r, "Link"),
			 "</api/v1/deals?limit=10&offset=0>; rel=\"first\", "
			 "</api/v1/deals?limit=10&offset=0>; rel=\"prev\", "
			 "</api/v1/deals?limit=10&offset=20>; rel=\"next\", "
			 "</api/v1/deals?limit=10&offset=20>; rel=\"last\"");
	reply_release(&r);
}

Test(api, links_keep_the_query_and_encode_it)
{
	cJSON *j = get_json("/api/v1/deals?q=nuclear%20power&limit=1", 200);
	const char *next = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "links"), "next")->valuestring;

	cr_assert_str_eq(next, "/api/v1/deals?q=nuclear%20power&limit=1&offset=1");
	cJSON_Delete(j);
}

Test(api, search_finds_words_anywhere_ignoring_case)
{
	cJSON *j = get_json("/api/v1/deals?q=EQUINOR&fields=id", 200);

	cr_assert_eq(num(j, "meta.total"), 1);
	cJSON_Delete(j);
	j = get_json("/api/v1/meetings?q=rutte&fields=id", 200);
	cr_assert_eq(num(j, "meta.total"), 1);
	cJSON_Delete(j);
}

/* The ids of a list's page, comma-separated, and its total. */
static double ids_of(const char *path, char *ids, size_t size)
{
	cJSON *j = get_json(path, 200);
	const cJSON *rec;
	double total = num(j, "meta.total");

	ids[0] = '\0';
	cJSON_ArrayForEach(rec, cJSON_GetObjectItem(j, "data")) {
		const cJSON *id = cJSON_GetObjectItem(rec, "id");

		if (!id)
			id = cJSON_GetObjectItem(rec, "code");
		strncat(ids, ids[0] ? "," : "", size - strlen(ids) - 1);
		strncat(ids, id->valuestring, size - strlen(ids) - 1);
	}
	cJSON_Delete(j);
	return total;
}

Test(api, search_folds_case_and_diacritics_as_a_person_types)
{
	static const char *const spellings[] = {
		"cernavoda", "Cernavoda", "CERNAVODA", "cernavod%C4%83", "CERNAVOD%C4%82", "Cernavod%C4%83",
	};
	char ids[512], path[128];

	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/deals?q=%s&fields=id", spellings[i]);
		cr_assert_eq(ids_of(path, ids, sizeof(ids)), 1, "%s", spellings[i]);
		cr_assert_str_eq(ids, "cernavoda-tritium-removal", "%s", spellings[i]);
	}
	/* The port: the article's "CONSTANTZA" in the title, "Port of Constanta" an alias. */
	cr_assert_eq(ids_of("/api/v1/deals?q=Constanta&fields=id", ids, sizeof(ids)), 1);
	cr_assert_str_eq(ids, "constantza-port-development");
	cr_assert_eq(ids_of("/api/v1/deals?q=Constantza&fields=id", ids, sizeof(ids)), 1);
	cr_assert_str_eq(ids, "constantza-port-development");
	cr_assert_eq(ids_of("/api/v1/deals?q=CONSTAN%C8%9AA&fields=id", ids, sizeof(ids)), 1);
}

Test(api, every_word_must_match_in_any_field_in_any_order)
{
	char a[512], b[512];

	/* "nuclear" from the titles, summaries and the sector's label, "romania" from the
	 * country's name: both, in any order. */
	cr_assert_eq(ids_of("/api/v1/deals?q=nuclear%20romania&fields=id&limit=100", a, sizeof(a)), 7);
	cr_assert_eq(ids_of("/api/v1/deals?q=romania%20nuclear&fields=id&limit=100&sort=id", b, sizeof(b)), 7);
	cr_assert_not_null(strstr(a, "cernavoda-tritium-removal"));
	cr_assert_not_null(strstr(a, "smr-promotion"), "its sector is Nuclear power; its country Romania");
	cr_assert_null(strstr(a, "constantza-port-development"), "a port: Romanian, not nuclear");
	/* A word matches the words it begins. */
	cr_assert_eq(ids_of("/api/v1/deals?q=semicon&fields=id", a, sizeof(a)), 2);
	cr_assert_str_eq(a, "lithuania-semiconductor-supply-chain,asml-duv-plant");
}

Test(api, the_searched_text_includes_labels_and_the_names_of_countries)
{
	char ids[1024];

	/* The SMR and waste-disposal deals never say "nuclear": their sector's label does. */
	cr_assert_eq(ids_of("/api/v1/deals?q=nuclear&fields=id&limit=100", ids, sizeof(ids)), 10);
	cr_assert_not_null(strstr(ids, "smr-promotion"));
	cr_assert_not_null(strstr(ids, "finland-waste-disposal-cooperation"));
	/* The hydrogen proposal does not say Romania; its countries do. */
	cr_assert_eq(ids_of("/api/v1/deals?q=romania&fields=id&limit=100", ids, sizeof(ids)), 11);
	cr_assert_not_null(strstr(ids, "norway-green-hydrogen"));
	/* The Republic of Korea is an alias of South Korea: every deal names it. */
	cr_assert_eq(ids_of("/api/v1/deals?q=%22republic%20of%20korea%22&fields=id&limit=0", ids, sizeof(ids)), 27);
}

Test(api, a_phrase_is_words_in_a_row_within_one_field)
{
	char ids[1024];

	/* Two titles say "nuclear power plant"; summaries say "plants", another word. */
	cr_assert_eq(ids_of("/api/v1/deals?q=%22nuclear%20power%20plant%22&fields=id&limit=100", ids, sizeof(ids)), 2);
	cr_assert_str_eq(ids, "nuclear-power-cooperation,cernavoda-tritium-removal");
	cr_assert_eq(ids_of("/api/v1/deals?q=%22power%20nuclear%22&fields=id", ids, sizeof(ids)), 0);
	/* "U.K." is one chunk of two words: a phrase. */
	cr_assert_eq(ids_of("/api/v1/countries?q=U.K.", ids, sizeof(ids)), 1);
	cr_assert_str_eq(ids, "GB");
}

Test(api, ranks_best_first_unless_sorted)
{
	char ids[1024];

	/* Three deals say "Romania" in their title, the others in a summary or by a country. */
	ids_of("/api/v1/deals?q=romania&fields=id&limit=3", ids, sizeof(ids));
	cr_assert_str_eq(ids, "nuclear-power-cooperation,romania-nuclear-facility-improvement,defense-sales");
	ids_of("/api/v1/deals?q=romania&fields=id&limit=3&sort=id", ids, sizeof(ids));
	cr_assert_str_eq(ids, "cernavoda-tritium-removal,constantza-port-development,defense-sales");
}

Test(api, search_works_on_every_collection_and_related_list_with_the_grammar)
{
	char ids[1024];

	cr_assert_eq(ids_of("/api/v1/countries?q=iohannis", ids, sizeof(ids)), 1);
	cr_assert_str_eq(ids, "RO");
	cr_assert_eq(ids_of("/api/v1/meetings?q=relay&kind=bilateral&fields=id&limit=0", ids, sizeof(ids)), 6);
	cr_assert_eq(ids_of("/api/v1/meetings?q=koo%20kwang", ids, sizeof(ids)), 1, "a delegation member");
	cr_assert_str_eq(ids, "official-visit-pl");
	cr_assert_eq(ids_of("/api/v1/sources?q=businesskorea", ids, sizeof(ids)), 1);
	cr_assert_eq(ids_of("/api/v1/countries/RO/deals?q=nuclear&status=proposed&fields=id&limit=100",
			    ids, sizeof(ids)), 6);
	/* "port" begins "Portugal", a country of the three proposals to each European leader;
	 * the port's own title ranks it first. Quoted, it is the word alone. */
	cr_assert_eq(ids_of("/api/v1/meetings/bilateral-ro/deals?q=port&fields=id", ids, sizeof(ids)), 4);
	cr_assert(!strncmp(ids, "constantza-port-development,", 28), "%s", ids);
	cr_assert_eq(ids_of("/api/v1/meetings/bilateral-ro/deals?q=%22port%22&fields=id", ids, sizeof(ids)), 1);
	cr_assert_str_eq(ids, "constantza-port-development");
}

/*
 * A sorted page of one is the record in that place of the whole sorted
 * list: the first places are chosen through a heap, the others by a full
 * sort, and both keep ties in natural order and nulls last.
 */
Test(api, a_page_of_one_is_its_place_in_the_sorted_list)
{
	static const char *const sorts[] = { "-value.amount", "value.amount", "date", "-date",
					     "status", "-status" };
	char all[4096], one[256], path[256];

	for (size_t s = 0; s < sizeof(sorts) / sizeof(sorts[0]); s++) {
		const char *next = all;
		double total;

		snprintf(path, sizeof(path), "/api/v1/deals?status:ne=none&sort=%s&limit=100&fields=id",
			 sorts[s]);
		total = ids_of(path, all, sizeof(all));
		cr_assert_gt(total, 16);
		for (int k = 0; k < (int)total; k++) {
			const char *comma = strchr(next, ',');
			size_t len = comma ? (size_t)(comma - next) : strlen(next);

			snprintf(path, sizeof(path),
				 "/api/v1/deals?status:ne=none&sort=%s&limit=1&offset=%d&fields=id", sorts[s], k);
			cr_assert_eq(ids_of(path, one, sizeof(one)), total);
			cr_assert(strlen(one) == len && !strncmp(one, next, len), "sort=%s offset=%d: %s, not %.*s",
				  sorts[s], k, one, (int)len, next);
			next = comma ? comma + 1 : next + len;
		}
	}
}

Test(api, meta_search_says_how_the_query_was_understood)
{
	cJSON *j = get_json("/api/v1/deals?q=Cernavod%C4%83%20%22nuclear%20power%22&facet=status&limit=1", 200);
	const cJSON *search = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "meta"), "search");
	char *shown = cJSON_PrintUnformatted(search);

	cr_assert_str_eq(shown, "{\"q\":\"Cernavod\xc4\x83 \\\"nuclear power\\\"\",\"words\":[\"cernavoda\","
			 "\"nuclear\",\"power\"],\"terms\":[{\"word\":\"cernavoda\",\"prefix\":true}],"
			 "\"phrases\":[[\"nuclear\",\"power\"]]}");
	cr_assert_eq(num(j, "meta.total"), 1);
	cr_assert_not_null(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "meta"), "facets"));
	cJSON_free(shown);
	cJSON_Delete(j);
	j = get_json("/api/v1/deals?limit=1", 200);
	cr_assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "meta"), "search"), "no q, no meta.search");
	cJSON_Delete(j);
}

Test(api, a_malformed_search_is_a_400_naming_q)
{
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals?q=%22nuclear%20power"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 400), "q has an unterminated phrase: the '\"' at character 1 is not closed");
	reply_release(&r);
}
