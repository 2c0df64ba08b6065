/*
 * Tests for the store's writes (models/store.c, store_batch_*): the next
 * generation from the current one, checked by the loader's own rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "lib/json.h"
#include "models/store.h"
#include "tests/support/support.h"

#define DEAL "{\"id\": \"new-deal\", \"title\": \"A new deal\", \"countries\": [\"KR\", \"PL\"], " \
	"\"sector\": \"nuclear\", \"status\": \"proposed\", \"value\": null, \"companies\": [], " \
	"\"meetings\": [\"official-visit-pl\"], \"evidence\": [{\"source\": " \
	"\"businesskorea-sales-diplomacy\", \"quote\": \"a quote\"}]}"

static cJSON *parse(const char *json)
{
	struct strbuf err = STRBUF_INIT;
	cJSON *v = json_parse(json, strlen(json), "body", &err);

	cr_assert_not_null(v, "%s", err.buf);
	strbuf_release(&err);
	return v;
}

/* Puts json into a batch on s; the put must succeed. */
static void put_ok(struct store_batch *b, enum store_collection w, const char *json)
{
	struct store_record r;
	struct check c;
	cJSON *v = parse(json);

	check_init_collect(&c);
	cr_assert_eq(store_batch_put(b, w, v, &c, &r), 0, "%s: %s", c.nerrors ? c.errors[0].pointer : "",
		     c.nerrors ? c.errors[0].detail : "");
	check_release(&c);
	cJSON_Delete(v);
}

static struct store *vilnius(void)
{
	return support_load("data/vilnius-2023.json");
}

Test(write, the_data_file_written_back_loads_to_the_same_records)
{
	struct store *s = vilnius(), *again;
	struct strbuf file = STRBUF_INIT, err = STRBUF_INIT;

	store_render_file(s, &file);
	again = store_load_buffer(file.buf, file.len, "rendered", &err);
	cr_assert_not_null(again, "%s", err.buf);
	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		const struct collection *a = store_collection(s, w), *b = store_collection(again, w);

		cr_assert_eq(a->n, b->n);
		for (uint32_t i = 0; i < a->n; i++) {
			cr_assert_eq(a->json[i].len, b->json[i].len);
			cr_assert(!memcmp(a->json[i].json, b->json[i].json, a->json[i].len));
		}
	}
	store_free(again);
	store_free(s);
	strbuf_release(&file);
	strbuf_release(&err);
}

Test(write, a_new_generation_has_the_change_and_the_old_one_does_not)
{
	struct store *s = vilnius(), *next;
	struct store_batch *b = store_batch_new(s);
	const struct collection *c;
	uint32_t n = store_collection(s, STORE_DEALS)->n;

	put_ok(b, STORE_DEALS, DEAL);
	next = store_batch_commit(b);
	cr_assert_null(store_find_deal(s, "new-deal", 8));
	cr_assert_not_null(store_find_deal(next, "new-deal", 8));
	cr_assert_eq(store_collection(next, STORE_DEALS)->n, n + 1);
	cr_assert_neq(store_digest(s), store_digest(next));
	/* The generations are independent: the old one goes first, the new one still serves. */
	store_free(s);
	c = store_collection(next, STORE_DEALS);
	cr_assert_not_null(store_find_deal(next, "asml-duv-plant", 14));
	cr_assert(strstr(c->json[c->n - 1].json, "\"id\":\"new-deal\""));
	/* The indexes moved with it: the new deal is in the search index and the columns. */
	{
		char ids[4096];

		cr_assert_eq(support_deal_ids(next, "q=new+deal", ids, sizeof(ids)), 1);
		cr_assert_str_eq(ids, "new-deal");
		support_deal_ids(next, "countries=PL&sector=nuclear", ids, sizeof(ids));
		cr_assert(strstr(ids, "new-deal"), "%s", ids);
	}
	store_free(next);
}

Test(write, a_replaced_record_keeps_its_place_and_a_deleted_one_goes)
{
	struct store *s = vilnius(), *next;
	struct store_batch *b = store_batch_new(s);
	struct strbuf why = STRBUF_INIT;
	const struct collection *old = store_collection(s, STORE_DEALS), *c;
	char json[2048];
	struct store_record r;

	snprintf(json, sizeof(json), "%.*s", (int)old->json[0].len, old->json[0].json);
	/* The first deal, with another status. */
	{
		char *at = strstr(json, "\"status\":\"proposed\"");

		cr_assert_not_null(at);
		memcpy(at, "\"status\":\"agreed\",  ", 20);
	}
	put_ok(b, STORE_DEALS, json);
	cr_assert_eq(store_batch_delete(b, STORE_DEALS, old->json[1].json + 7,
					strcspn(old->json[1].json + 7, "\""), &why), 0, "%s", why.buf);
	cr_assert(store_batch_get(b, STORE_DEALS, "asml-duv-plant", 14, &r));
	cr_assert(strstr(r.json, "\"status\":\"agreed\""));
	next = store_batch_commit(b);
	c = store_collection(next, STORE_DEALS);
	cr_assert_eq(c->n, old->n - 1);
	cr_assert(strstr(c->json[0].json, "\"status\":\"agreed\""), "%s", c->json[0].json);
	cr_assert_neq(c->json[0].hash, old->json[0].hash, "a changed record has a new ETag");
	cr_assert_eq(c->json[1].hash, old->json[2].hash, "the others are the same bytes");
	store_free(next);
	store_free(s);
	strbuf_release(&why);
}

Test(write, a_bad_record_hears_every_violation_with_its_pointer)
{
	struct store *s = vilnius();
	struct store_batch *b = store_batch_new(s);
	struct store_record r;
	struct check c;
	cJSON *v = parse("{\"id\": \"x y\", \"title\": \"t\", \"countries\": [\"KR\", \"ZZ\"], "
			 "\"sector\": \"nuclear\", \"status\": \"proposed\", \"value\": {\"amount\": \"12\", "
			 "\"currency\": \"KRW\", \"basis\": \"contract\", \"estimate\": false}, "
			 "\"companies\": [], \"meetings\": [], \"bogus\": 1, \"evidence\": "
			 "[{\"source\": \"businesskorea-sales-diplomacy\", \"quote\": \"q\"}]}");

	check_init_collect(&c);
	cr_assert_eq(store_batch_put(b, STORE_DEALS, v, &c, &r), -1);
	cr_assert_eq(c.nerrors, 4, "%zu", c.nerrors);
	cr_assert_str_eq(c.errors[0].pointer, "", "shape first, then references, in one answer");
	cr_assert(strstr(c.errors[0].detail, "unknown field \"bogus\""), "%s", c.errors[0].detail);
	cr_assert_str_eq(c.errors[1].pointer, "/id");
	cr_assert_str_eq(c.errors[2].pointer, "/countries/1");
	cr_assert_str_eq(c.errors[3].pointer, "/value/amount");
	cr_assert_str_eq(c.errors[3].detail, "expected an integer, got \"12\"");
	check_release(&c);
	cJSON_Delete(v);
	cr_assert(store_batch_empty(b));

	/* Shape good, references bad: each unknown one is named. */
	v = parse("{\"id\": \"y\", \"title\": \"t\", \"countries\": [\"KR\", \"FR\"], "
		  "\"sector\": \"nuclear\", \"status\": \"nope\", \"value\": null, "
		  "\"companies\": [], \"meetings\": [\"no-such-meeting\"], \"evidence\": "
		  "[{\"source\": \"nowhere\", \"quote\": \"q\"}]}");
	check_init_collect(&c);
	cr_assert_eq(store_batch_put(b, STORE_DEALS, v, &c, &r), -1);
	cr_assert_eq(c.nerrors, 4, "%zu", c.nerrors);
	cr_assert_str_eq(c.errors[0].pointer, "/countries/1");
	cr_assert_str_eq(c.errors[0].detail, "unknown country \"FR\" (not among the dataset's countries)");
	cr_assert_str_eq(c.errors[1].pointer, "/status");
	cr_assert_str_eq(c.errors[2].pointer, "/meetings/0");
	cr_assert_str_eq(c.errors[3].pointer, "/evidence/0/source");
	check_release(&c);
	cJSON_Delete(v);
	store_batch_free(b);
	store_free(s);
}

Test(write, a_record_may_cite_what_the_batch_created_before_it)
{
	struct store *s = vilnius(), *next;
	struct store_batch *b = store_batch_new(s);

	put_ok(b, STORE_SOURCES, "{\"id\": \"src2\", \"title\": \"Another source\", "
	       "\"publisher\": \"P\", \"url\": \"https://example.com/a\", \"date\": \"2023-07-12\"}");
	put_ok(b, STORE_DEALS, "{\"id\": \"d2\", \"title\": \"t\", \"countries\": [\"KR\"], "
	       "\"sector\": \"nuclear\", \"status\": \"proposed\", \"value\": null, \"companies\": [], "
	       "\"meetings\": [], \"evidence\": [{\"source\": \"src2\", \"quote\": \"q\"}]}");
	next = store_batch_commit(b);
	cr_assert_not_null(store_find_source(next, "src2", 4));
	cr_assert_not_null(store_find_deal(next, "d2", 2));
	store_free(next);
	store_free(s);
}

Test(write, deleting_a_referenced_record_names_who_refers_to_it)
{
	struct store *s = vilnius();
	struct store_batch *b = store_batch_new(s);
	struct strbuf why = STRBUF_INIT;

	cr_assert_eq(store_batch_delete(b, STORE_COUNTRIES, "nl", 2, &why), -1);
	cr_assert(strstr(why.buf, "country \"nl\" is referenced by"), "%s", why.buf);
	cr_assert(strstr(why.buf, "deals/asml-duv-plant"), "%s", why.buf);
	strbuf_reset(&why);
	cr_assert_eq(store_batch_delete(b, STORE_SOURCES, "businesskorea-sales-diplomacy", 29, &why), -1);
	cr_assert(strstr(why.buf, "records: "), "%s", why.buf);
	cr_assert(strstr(why.buf, ", ..."), "%s", why.buf);
	cr_assert(store_batch_empty(b));
	strbuf_release(&why);
	store_batch_free(b);
	store_free(s);
}

/* A change row for tests. */
static void log_row(struct store_batch *b, int64_t seq, const char *id)
{
	const struct change ch = { .seq = seq, .at = "2026-01-01T00:00:00Z", .writer = "t", .op = "patch",
				   .collection = "deals", .id = id, .etag = "\"x\"" };

	store_batch_log(b, &ch);
}

Test(write, the_changes_feed_outlives_the_generations_it_was_written_in)
{
	struct store *s = vilnius(), *g2, *g3;
	struct store_batch *b = store_batch_new(s);
	const struct collection *c;

	log_row(b, 1, "first");
	g2 = store_batch_commit(b);
	b = store_batch_new(g2);
	log_row(b, 2, "second");
	g3 = store_batch_commit(b);
	/* The generations the rows were rendered in go; the third still serves them (regression:
	 * the first row's bytes were in the second generation's own memory). */
	store_free(s);
	store_free(g2);
	c = store_changes(g3);
	cr_assert_eq(c->n, 2);
	cr_assert(strstr(c->json[0].json, "\"id\":\"first\""), "%.*s", (int)c->json[0].len, c->json[0].json);
	cr_assert(strstr(c->json[1].json, "\"id\":\"second\""));
	cr_assert_eq(collection_find(c, "1", 1), 0);
	store_free(g3);
}

Test(write, the_changes_feed_keeps_the_last_rows)
{
	struct store *s = vilnius(), *next;
	struct store_batch *b = store_batch_new(s);
	const struct collection *c;
	char id[32];

	for (int i = 1; i <= STORE_CHANGES_KEPT + 5; i++) {
		snprintf(id, sizeof(id), "d%d", i);
		log_row(b, i, id);
	}
	next = store_batch_commit(b);
	c = store_changes(next);
	cr_assert_eq(c->n, STORE_CHANGES_KEPT);
	cr_assert_eq(((const struct change *)collection_record(c, 0))->seq, 6);
	store_free(next);
	store_free(s);
}

/* Columns equal field by field: the dictionary, each record's ids, the postings, the nulls, the order. */
static void assert_same_columns(const struct collection *a, const struct collection *b)
{
	cr_assert_eq(a->n, b->n);
	for (size_t f = 0; f < a->res->nfields; f++) {
		const struct column *x = &a->columns[f], *y = &b->columns[f];
		const char *name = x->field->name;

		cr_assert_eq(x->ndistinct, y->ndistinct, "%s: %u values, want %u", name, x->ndistinct,
			     y->ndistinct);
		for (uint32_t v = 0; v < x->ndistinct; v++) {
			const struct field_value xv = column_value(x, v), yv = column_value(y, v);

			cr_assert_eq(column_compare(x->field->type, &xv, &yv), 0, "%s", name);
			cr_assert_eq(column_rank(x, v), column_rank(y, v), "%s: rank of %u", name, v);
			cr_assert_eq(x->pstart[v + 1] - x->pstart[v], y->pstart[v + 1] - y->pstart[v], "%s", name);
		}
		for (uint32_t r = 0; r < a->n; r++) {
			uint32_t kx, ky;
			const uint32_t *ix = column_record_ids(x, r, &kx), *iy = column_record_ids(y, r, &ky);

			cr_assert_eq(kx, ky, "%s: record %u", name, r);
			cr_assert(!memcmp(ix, iy, kx * sizeof(*ix)), "%s: record %u", name, r);
		}
		cr_assert_eq(x->nnulls, y->nnulls, "%s", name);
		cr_assert(!memcmp(x->postings, y->postings, x->pstart[x->ndistinct] * sizeof(uint32_t)), "%s",
			  name);
		cr_assert(!memcmp(x->nulls, y->nulls, x->nnulls * sizeof(uint32_t)), "%s", name);
	}
}

/* Search indexes equal: the dictionary, the postings and their weights, each record's words. */
static void assert_same_search(const struct collection *a, const struct collection *b)
{
	const struct search_index *x = &a->search, *y = &b->search;

	cr_assert_eq(x->nwords, y->nwords, "%s: %u words, want %u", a->res->name, x->nwords, y->nwords);
	for (uint32_t w = 0; w < x->nwords; w++)
		cr_assert_str_eq(x->chars + x->word_at[w], y->chars + y->word_at[w]);
	cr_assert(!memcmp(x->pstart, y->pstart, ((size_t)x->nwords + 1) * sizeof(uint32_t)));
	cr_assert(!memcmp(x->postings, y->postings, x->pstart[x->nwords] * sizeof(uint32_t)));
	cr_assert(!memcmp(x->pweight, y->pweight, x->pstart[x->nwords]));
	cr_assert(!memcmp(x->seq_start, y->seq_start, ((size_t)a->n + 1) * sizeof(uint32_t)));
	cr_assert(!memcmp(x->seq, y->seq, x->seq_start[a->n] * sizeof(uint32_t)));
}

Test(write, indexes_built_from_the_previous_generation_are_those_a_load_builds)
{
	static const char *const statuses[] = { "agreed", "proposed", "done", "planned" };
	static const char *const sectors[] = { "nuclear", "ports", "hydrogen", "defense" };
	static const char *const countries[] = { "\"KR\"", "\"KR\", \"PL\"", "\"RO\", \"KR\", \"NL\"", "\"UA\"" };
	struct store *s = vilnius();
	unsigned seed = 12345;

	for (int round = 0; round < 20; round++) {
		struct store_batch *b = store_batch_new(s);
		struct strbuf file = STRBUF_INIT, err = STRBUF_INIT;
		struct store *next, *loaded;

		for (int k = 0; k < 1 + round % 4; k++) {
			char json[1024];
			int pick = (int)(rand_r(&seed) % 30);

			snprintf(json, sizeof(json), "{\"id\": \"r%d\", \"title\": \"Deal %d\", \"countries\": [%s], "
				 "\"sector\": \"%s\", \"status\": \"%s\", \"value\": %s, \"companies\": [\"C%d\"], "
				 "\"meetings\": [], \"evidence\": [{\"source\": \"businesskorea-sales-diplomacy\", "
				 "\"quote\": \"q\"}]}", pick, pick, countries[rand_r(&seed) % 4],
				 sectors[rand_r(&seed) % 4], statuses[rand_r(&seed) % 4],
				 rand_r(&seed) % 2 ? "null" : "{\"amount\": 7, \"currency\": \"EUR\", \"basis\": "
				 "\"project\", \"estimate\": true}", pick % 3);
			if (rand_r(&seed) % 5 == 0) {
				char id[16];
				struct store_record r;

				snprintf(id, sizeof(id), "r%d", pick);
				if (store_batch_get(b, STORE_DEALS, id, strlen(id), &r))
					cr_assert_eq(store_batch_delete(b, STORE_DEALS, id, strlen(id), &err), 0);
			} else {
				put_ok(b, STORE_DEALS, json);
			}
		}
		/* A shipped deal deleted now and then: the old records' positions shift. */
		if (round == 7)
			cr_assert_eq(store_batch_delete(b, STORE_DEALS, "asml-duv-plant", 14, &err), 0, "%s", err.buf);
		next = store_batch_commit(b);
		store_free(s);
		s = next;
		store_render_file(s, &file);
		loaded = store_load_buffer(file.buf, file.len, "rendered", &err);
		cr_assert_not_null(loaded, "%s", err.buf);
		for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
			assert_same_columns(store_collection(s, w), store_collection(loaded, w));
			assert_same_search(store_collection(s, w), store_collection(loaded, w));
		}
		store_free(loaded);
		strbuf_release(&file);
		strbuf_release(&err);
	}
	store_free(s);
}
