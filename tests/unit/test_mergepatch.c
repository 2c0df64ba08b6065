/*
 * Tests for lib/mergepatch.c: the examples of RFC 7396, appendix A.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/mergepatch.h"

struct example {
	char target[96], patch[96], result[96];
};

ParameterizedTestParameters(mergepatch, follows_rfc_7396_appendix_a)
{
	static struct example cases[] = {
		{ "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
		{ "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}" },
		{ "{\"a\":\"b\"}", "{\"a\":null}", "{}" },
		{ "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}" },
		{ "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
		{ "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}" },
		{ "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}" },
		{ "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}" },
		{ "[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]" },
		{ "{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]" },
		{ "{\"a\":\"foo\"}", "null", "null" },
		{ "{\"a\":\"foo\"}", "\"bar\"", "\"bar\"" },
		{ "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}" },
		{ "[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}" },
		{ "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}" },
		/* Found by the fuzzer: an object merged into a member that was not one keeps its name. */
		{ "{\"a\":null,\"b\":1}", "{\"a\":{\"x\":1}}", "{\"a\":{\"x\":1},\"b\":1}" },
		{ "{\"a\":\"s\"}", "{\"a\":{\"x\":{\"y\":2}}}", "{\"a\":{\"x\":{\"y\":2}}}" },
	};

	return cr_make_param_array(struct example, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct example *e, mergepatch, follows_rfc_7396_appendix_a)
{
	cJSON *t = cJSON_Parse(e->target), *p = cJSON_Parse(e->patch), *r = mergepatch_apply(t, p);
	char *got = cJSON_PrintUnformatted(r);

	cr_assert_str_eq(got, e->result, "%s + %s", e->target, e->patch);
	free(got);
	cJSON_Delete(t);
	cJSON_Delete(p);
	cJSON_Delete(r);
}
