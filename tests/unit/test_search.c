/*
 * Tests for models/search.c: parsing q, the index a store builds, and the
 * ranking, on a small dataset made for these tests (the list grammar's own
 * q= cases are in test_query.c).
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "models/query.h"
#include "models/store.h"
#include "tests/support/support.h"

/* A deal of the fixture below, with its own members. */
#define D(id, countries, sector, companies, members) \
	"{\"id\":\"" id "\",\"countries\":" countries ",\"sector\":\"" sector "\",\"status\":\"s\"," \
	"\"value\":null,\"companies\":" companies ",\"meetings\":[],\"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]," \
	members "},"

/* Each deal has "cobalt" in one place, so the ranking shows in the order of the ids. */
static const char data[] =
	"{\"dataset\":{\"title\":\"search\",\"version\":\"1\",\"vocabularies\":{"
	" \"sector\":[{\"id\":\"mining\",\"label\":\"Cobalt mining\"},{\"id\":\"other\",\"label\":\"Other\"}]}},"
	"\"sources\":[{\"id\":\"s\",\"title\":\"S\",\"publisher\":null,\"date\":null,\"url\":null}],"
	"\"countries\":["
	" {\"code\":\"KR\",\"name\":\"South Korea\",\"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]},"
	" {\"code\":\"CD\",\"name\":\"Cobalt Republic\",\"aliases\":[\"Zaire\"],"
	"  \"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]}],"
	"\"meetings\":[],"
	"\"deals\":["
	D("summary", "[\"KR\"]", "other", "[]", "\"title\":\"Plain\",\"summary\":\"Cobalt here, and a plant.\"")
	D("company", "[\"KR\"]", "other", "[\"Cobalt Ltd\"]", "\"title\":\"Plain\"")
	D("title-too", "[\"KR\"]", "other", "[]", "\"title\":\"Cobalt too\",\"summary\":\"cobalt\"")
	D("country", "[\"KR\",\"CD\"]", "other", "[]", "\"title\":\"Plain\"")
	D("title", "[\"KR\"]", "other", "[]", "\"title\":\"Cobalt mine\"")
	D("prefix", "[\"KR\"]", "other", "[]", "\"title\":\"Cobalts\"")
	D("label", "[\"KR\"]", "mining", "[]", "\"title\":\"Plain\"")
	D("korean", "[\"KR\"]", "other", "[]", "\"title\":\"원자력 발전소\"")
	"{\"id\":\"last\",\"title\":\"Nothing\",\"countries\":[\"KR\"],\"sector\":\"other\",\"status\":\"s\","
	" \"value\":null,\"companies\":[],\"meetings\":[],\"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]}"
	"]}";

static struct store *s;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	s = store_load_buffer(data, sizeof(data) - 1, "search.json", &err);
	cr_assert_not_null(s, "%s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	store_free(s);
}

TestSuite(search, .init = setup, .fini = teardown);

/* The ids q finds among the deals, in order, comma-separated. */
static void found(const char *q, char *ids, size_t size)
{
	char qs[128];

	snprintf(qs, sizeof(qs), "q=%s&limit=1000", q);
	support_deal_ids(s, qs, ids, size);
}

/* Parameters are copied into each test's own process: arrays, not pointers. */
struct finding {
	char q[64];
	char ids[128];
};

ParameterizedTestParameters(search, finds_and_ranks_what_a_person_expects)
{
	static struct finding cases[] = {
		/* title whole (9: two of them, in natural order), title prefix (8), company
		 * (7), a country's name and a label (5, in order), the summary (3) */
		{ "cobalt", "title-too,title,prefix,company,country,label,summary" },
		/* terms add up; every deal is in South Korea, so the cobalt decides */
		{ "plant cobalt", "summary" },
		{ "south cobalt", "title-too,title,prefix,company,country,label,summary" },
		/* the aliases of a record it names */
		{ "zaire", "country" },
		{ "\"cobalt republic\"", "country" },
		/* Korean words, whole and by their beginning; quoted, whole only */
		{ "원자력", "korean" },
		{ "원자", "korean" },
		{ "\"원자\"", "" },
	};

	return cr_make_param_array(struct finding, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct finding *c, search, finds_and_ranks_what_a_person_expects)
{
	char ids[256];

	found(c->q, ids, sizeof(ids));
	cr_assert_str_eq(ids, c->ids, "q=%s", c->q);
}

Test(search, the_index_sorts_its_words_and_lists_each_record_once)
{
	const struct search_index *ix = &store_collection(s, STORE_DEALS)->search;
	uint32_t cobalt = UINT32_MAX;

	for (uint32_t w = 1; w < ix->nwords; w++)
		cr_assert_lt(strcmp(ix->chars + ix->word_at[w - 1], ix->chars + ix->word_at[w]), 0);
	for (uint32_t w = 0; w < ix->nwords; w++)
		if (!strcmp(ix->chars + ix->word_at[w], "cobalt"))
			cobalt = w;
	cr_assert_neq(cobalt, UINT32_MAX);
	/* "title-too" has cobalt twice, in two fields: one posting. Ascending, 6 deals. */
	cr_assert_eq(ix->pstart[cobalt + 1] - ix->pstart[cobalt], 6);
	for (uint32_t p = ix->pstart[cobalt] + 1; p < ix->pstart[cobalt + 1]; p++)
		cr_assert_lt(ix->postings[p - 1], ix->postings[p]);
}

Test(search, reads_the_postings_of_its_rarest_term_only)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	struct search_query sq;
	struct strbuf why = STRBUF_INIT;
	struct search_run run;
	size_t term, n;
	uint32_t *cand;

	cr_assert_eq(search_parse(&sq, "cobalt zaire", &why), 1);
	search_resolve(&run, &sq, &c->search);
	cr_assert_eq(search_cost(&run, &term), 1, "zaire: one posting");
	cr_assert_eq(term, 1);
	cand = search_candidates(&run, term, c->n, &n);
	cr_assert_eq(n, 1);
	cr_assert_gt(search_score(&run, cand[0]), 0);
	free(cand);
	search_query_release(&sq);
	strbuf_release(&why);
}

Test(search, parses_words_quoted_words_and_phrases)
{
	struct search_query sq;
	struct strbuf why = STRBUF_INIT;

	cr_assert_eq(search_parse(&sq, "Cernavodă \"nuclear power\" U.K. \"plant\"", &why), 1, "%s", why.buf);
	cr_assert_eq(sq.nwords, 6);
	cr_assert_str_eq(sq.words[0], "cernavoda");
	cr_assert_str_eq(sq.words[1], "nuclear");
	cr_assert_str_eq(sq.words[2], "power");
	cr_assert_str_eq(sq.words[3], "u");
	cr_assert_str_eq(sq.words[4], "k");
	cr_assert_str_eq(sq.words[5], "plant");
	cr_assert_eq(sq.nterms, 4);
	cr_assert(sq.terms[0].n == 1 && sq.terms[0].prefix, "a word matches the words it begins");
	cr_assert(sq.terms[1].n == 2 && sq.terms[1].first == 1, "a quoted phrase");
	cr_assert(sq.terms[2].n == 2 && sq.terms[2].first == 3, "one chunk, two words: a phrase");
	cr_assert(sq.terms[3].n == 1 && !sq.terms[3].prefix, "a quoted word matches itself only");
	cr_assert_str_eq(sq.q, "Cernavodă \"nuclear power\" U.K. \"plant\"");
	search_query_release(&sq);
	cr_assert_eq(search_parse(&sq, " \t ", &why), 0, "blank: no search");
	cr_assert_eq(sq.nterms, 0);
	search_query_release(&sq);
	strbuf_release(&why);
}

Test(search, a_short_page_of_many_matches_is_the_same_slice_of_the_ranking)
{
	struct strbuf json = STRBUF_INIT, err = STRBUF_INIT;
	char all[8192], page[256], qs[64];
	struct store *st;

	/* 300 deals with "cobalt" in one of four fields, in a scattered order. */
	strbuf_addstr(&json, "{\"dataset\":{\"title\":\"t\",\"version\":\"1\"},"
			     "\"sources\":[{\"id\":\"s\",\"title\":\"S\",\"publisher\":null,\"date\":null,\"url\":null}],"
			     "\"countries\":[{\"code\":\"KR\",\"name\":\"K\",\"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]}],"
			     "\"meetings\":[],\"deals\":[");
	for (int i = 0; i < 300; i++) {
		int where = (i * 7) % 4;

		strbuf_addf(&json, "%s{\"id\":\"d%d\",\"title\":\"%s\",\"countries\":[\"KR\"],\"sector\":\"x\","
			    "\"status\":\"s\",\"value\":null,\"companies\":[%s],\"meetings\":[],\"summary\":\"%s\","
			    "\"evidence\":[{\"source\":\"s\",\"quote\":\"q\"}]}", i ? "," : "", i,
			    where == 0 ? "Cobalt" : where == 1 ? "Cobalts" : "Deal",
			    where == 2 ? "\"Cobalt Co\"" : "", where == 3 ? "cobalt" : "none");
	}
	strbuf_addstr(&json, "]}");
	st = store_load_buffer(json.buf, json.len, "many", &err);
	cr_assert_not_null(st, "%s", err.buf);
	support_deal_ids(st, "q=cobalt&limit=1000", all, sizeof(all));
	for (int offset = 0; offset < 300; offset += 37) {
		char want[256] = "";
		const char *p = all;

		/* the slice [offset, offset + 5) of the whole ranking */
		for (int k = 0; k < offset; k++)
			p = strchr(p, ',') + 1;
		for (int k = 0; k < 5 && *p; k++) {
			size_t len = strcspn(p, ",");

			strncat(want, k ? "," : "", sizeof(want) - strlen(want) - 1);
			strncat(want, p, len);
			p += len + (p[len] == ',');
		}
		snprintf(qs, sizeof(qs), "q=cobalt&limit=5&offset=%d", offset);
		support_deal_ids(st, qs, page, sizeof(page));
		cr_assert_str_eq(page, want, "offset %d", offset);
	}
	cr_assert(!strncmp(all, "d0,d4,d8,", 9), "titles first, in order: %.40s", all);
	store_free(st);
	strbuf_release(&json);
	strbuf_release(&err);
}

Test(search, scores_from_postings_are_the_scores_from_each_records_words)
{
	static const char *const queries[] = {
		"nuclear", "nuclear romania", "semicon", "\"nuclear power\"", "korea", "k", "a", "U.K.",
		"port cooperation", "\"nuclear power\" romania", "sweden \"south korea\" nuc", "zzz",
	};
	struct store *shipped = support_load("data/vilnius-2023.json");

	for (int w = STORE_SOURCES; w < STORE_NCOLLECTIONS; w++) {
		const struct collection *c = store_collection(shipped, (enum store_collection)w);
		uint32_t *all = malloc((c->n + 1) * sizeof(*all)), *scores = malloc((c->n + 1) * sizeof(*scores));

		for (uint32_t r = 0; r < c->n; r++)
			all[r] = r;
		for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
			struct strbuf why = STRBUF_INIT;
			struct search_query sq;
			struct search_run run;

			cr_assert_eq(search_parse(&sq, queries[i], &why), 1, "%s", why.buf);
			search_resolve(&run, &sq, &c->search);
			search_score_all(&run, all, c->n, scores);
			for (uint32_t r = 0; r < c->n; r++)
				cr_assert_eq(scores[r], search_score(&run, r), "%s, %s record %u", queries[i],
					     c->res->name, r);
			search_query_release(&sq);
			strbuf_release(&why);
		}
		free(all);
		free(scores);
	}
	store_free(shipped);
}
