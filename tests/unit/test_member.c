/*
 * Tests for models/member.c: one table reads, checks and writes an object.
 */
#include <stddef.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/change.h"
#include "models/country.h"
#include "models/deal.h"
#include "models/meeting.h"
#include "models/member.h"
#include "models/source.h"

struct thing {
	const char *name;
	struct strs tags;
	int64_t year;
};

#define AT(m) offsetof(struct thing, m)

static const struct member members[] = {
	MEMBER_STRING("name", AT(name), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRINGS("tags", AT(tags), 0, NULL),
	MEMBER_INT("year", AT(year), CHECK_NULLABLE, 1, 9999),
};
#define N (sizeof(members) / sizeof(members[0]))

/* Reads json by the table: 0, or -1 with the message in err. */
static int read(const char *json, struct thing *t, struct arena *a, struct strbuf *err)
{
	cJSON *v = cJSON_Parse(json);
	struct check c;
	int rc;

	memset(t, 0, sizeof(*t));
	check_init(&c, "t.json", err);
	rc = member_read_object(&c, v, members, N, a, t);
	check_release(&c);
	cJSON_Delete(v);
	return rc;
}

Test(member, reads_each_member_into_its_place_and_writes_them_in_table_order)
{
	struct arena a = ARENA_INIT;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct thing t;
	struct jsonw w;

	cr_assert_eq(read("{\"year\":2023,\"tags\":[\"a\",\"b\"],\"name\":\"x-1\"}", &t, &a, &err), 0,
		     "%s", err.buf);
	cr_assert_str_eq(t.name, "x-1");
	cr_assert_eq(t.tags.n, 2);
	cr_assert_eq(t.year, 2023);
	jsonw_init(&w, &out, true);
	member_write_object(&w, members, N, &t);
	cr_assert_str_eq(out.buf, "{\"name\":\"x-1\",\"tags\":[\"a\",\"b\"],\"year\":2023}");
	cr_assert_eq(w.nfrags, N, "one fragment per member, for fields=");
	jsonw_release(&w);
	strbuf_reset(&out);
	cr_assert_eq(read("{\"name\":\"y\",\"year\":null}", &t, &a, &err), 0);
	jsonw_init(&w, &out, false);
	member_write_object(&w, members, N, &t);
	cr_assert_str_eq(out.buf, "{\"name\":\"y\",\"tags\":[],\"year\":null}", "absent integers write null");
	jsonw_release(&w);
	strbuf_release(&out);
	strbuf_release(&err);
	arena_release(&a);
}

Test(member, an_unknown_key_is_refused_with_the_members_the_table_allows)
{
	struct arena a = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	struct thing t;

	cr_assert_eq(read("{\"name\":\"x\",\"colour\":1}", &t, &a, &err), -1);
	cr_assert_str_eq(err.buf, "t.json: (top level): unknown field \"colour\" (allowed: name, tags, year)");
	arena_release(&a);
	strbuf_release(&err);
}

Test(member, members_are_checked_in_table_order_and_the_first_fault_is_told)
{
	struct arena a = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	struct thing t;

	cr_assert_eq(read("{\"year\":0,\"name\":\"Not A Slug\"}", &t, &a, &err), -1);
	cr_assert(strstr(err.buf, "t.json: name: \"Not A Slug\" is not a slug"), "%s", err.buf);
	strbuf_reset(&err);
	cr_assert_eq(read("{\"year\":0}", &t, &a, &err), -1);
	cr_assert_str_eq(err.buf, "t.json: (top level): missing required field \"name\"");
	strbuf_reset(&err);
	cr_assert_eq(read("{\"name\":\"x\",\"year\":0}", &t, &a, &err), -1);
	cr_assert_str_eq(err.buf, "t.json: year: expected an integer from 1 to 9999, got 0");
	strbuf_reset(&err);
	cr_assert_eq(read("[]", &t, &a, &err), -1);
	cr_assert_str_eq(err.buf, "t.json: (top level): expected an object, got an array");
	arena_release(&a);
	strbuf_release(&err);
}

Test(member, every_table_knows_its_names_lengths_and_their_names_need_no_escape)
{
	const struct resource *const all[] = {
		&source_resource, &country_resource, &meeting_resource, &deal_resource, &change_resource,
	};

	for (size_t r = 0; r < sizeof(all) / sizeof(all[0]); r++) {
		for (size_t i = 0; i < all[r]->nmembers; i++) {
			const struct member *m = &all[r]->members[i];

			cr_assert_eq(m->name_len, strlen(m->name), "%s.%s", all[r]->name, m->name);
			for (const char *p = m->name; *p; p++)
				cr_assert(*p > 0x20 && *p < 0x7f && *p != '"' && *p != '\\', "%s.%s",
					  all[r]->name, m->name);
		}
	}
}
