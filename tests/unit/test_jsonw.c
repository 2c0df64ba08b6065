/*
 * Tests for lib/jsonw.c: the JSON writer.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/jsonw.h"

/* Parameters are copied into each test's own process, where pointers to
 * static data may not hold: hence arrays, not pointers. */
struct escape {
	char in[16];
	size_t len;
	char out[40];
};

ParameterizedTestParameters(jsonw, escapes_each_string)
{
	static struct escape cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "", 0, "\"\"" },
		{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
		{ "\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"" },
		{ "\x01\x1f", 2, "\"\\u0001\\u001f\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "Cernavod\xc4\x83", 10, "\"Cernavod\xc4\x83\"" },
		{ "\xe2\x82\xa9", 3, "\"\xe2\x82\xa9\"" },
		{ "bad\xff", 4, "\"bad\\ufffd\"" },
		{ "cut\xe2\x82", 5, "\"cut\\ufffd\\ufffd\"" },
		{ "</script>", 9, "\"</script>\"" },
	};

	return cr_make_param_array(struct escape, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct escape *c, jsonw, escapes_each_string)
{
	struct strbuf sb = STRBUF_INIT;

	json_escape(&sb, c->in, c->len);
	cr_assert_str_eq(sb.buf, c->out);
	strbuf_release(&sb);
}

Test(jsonw, places_commas_and_colons_itself)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;
	const char *const list[] = { "KR", "RO" };

	jsonw_init(&w, &sb, false);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "id", "d1");
	jsonw_key(&w, "countries");
	jsonw_strings(&w, list, 2);
	jsonw_key(&w, "empty");
	jsonw_array_begin(&w);
	jsonw_array_end(&w);
	jsonw_key(&w, "nested");
	jsonw_object_begin(&w);
	jsonw_kv_null(&w, "a");
	jsonw_kv_bool(&w, "b", true);
	jsonw_object_end(&w);
	jsonw_kv_string(&w, "none", NULL);
	jsonw_object_end(&w);
	cr_assert_str_eq(sb.buf, "{\"id\":\"d1\",\"countries\":[\"KR\",\"RO\"],\"empty\":[],"
				 "\"nested\":{\"a\":null,\"b\":true},\"none\":null}");
	jsonw_release(&w);
	strbuf_release(&sb);
}

Test(jsonw, prints_integers_exactly)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &sb, false);
	jsonw_array_begin(&w);
	jsonw_int(&w, 1200000000000000);
	jsonw_int(&w, 9007199254740991);
	jsonw_int(&w, INT64_MIN);
	jsonw_uint(&w, UINT64_MAX);
	jsonw_array_end(&w);
	cr_assert_str_eq(sb.buf, "[1200000000000000,9007199254740991,-9223372036854775808,"
				 "18446744073709551615]");
	jsonw_release(&w);
	strbuf_release(&sb);
}

Test(jsonw, records_the_byte_range_of_each_top_level_member)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &sb, true);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "a", "x");
	jsonw_key(&w, "b");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "c", 1);
	jsonw_object_end(&w);
	jsonw_key(&w, "d");
	jsonw_array_begin(&w);
	jsonw_int(&w, 2);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	cr_assert_eq(w.nfrags, 3);
	cr_assert(strncmp(sb.buf + w.frags[0].off, "\"a\":\"x\"", w.frags[0].len) == 0);
	cr_assert_eq(w.frags[0].len, 7);
	cr_assert(strncmp(sb.buf + w.frags[1].off, "\"b\":{\"c\":1}", w.frags[1].len) == 0);
	cr_assert_eq(w.frags[1].len, 11);
	cr_assert(strncmp(sb.buf + w.frags[2].off, "\"d\":[2]", w.frags[2].len) == 0);
	cr_assert_eq(w.frags[2].len, 7);
	jsonw_release(&w);
	strbuf_release(&sb);
}

Test(jsonw, keys_are_escaped_when_they_need_it_and_copied_when_not)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &sb, false);
	jsonw_object_begin(&w);
	jsonw_kv_uint(&w, "value.amount", 1);
	jsonw_kv_uint(&w, "a\"b\\c\n", 2);
	jsonw_kv_uint(&w, "", 3);
	jsonw_object_end(&w);
	cr_assert_str_eq(sb.buf, "{\"value.amount\":1,\"a\\\"b\\\\c\\n\":2,\"\":3}");
	jsonw_release(&w);
	strbuf_release(&sb);
}

Test(jsonw, restarts_with_its_fragments_buffer)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &sb, true);
	jsonw_object_begin(&w);
	jsonw_kv_uint(&w, "a", 1);
	jsonw_kv_uint(&w, "b", 22);
	jsonw_object_end(&w);
	cr_assert_eq(w.nfrags, 2);
	strbuf_reset(&sb);
	jsonw_restart(&w);
	jsonw_object_begin(&w);
	jsonw_kv_uint(&w, "c", 333);
	jsonw_object_end(&w);
	cr_assert_str_eq(sb.buf, "{\"c\":333}");
	cr_assert_eq(w.nfrags, 1);
	cr_assert_eq(w.frags[0].off, 1);
	cr_assert_eq(w.frags[0].len, 7);
	jsonw_release(&w);
	strbuf_release(&sb);
}
