/*
 * Tests for server/router.c: the route table, path matching and query parsing.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "server/router.h"

/* Parameters are copied into each test's process: arrays, not pointers. */
struct path_case {
	char path[64];
	char route[48];     /* the pattern matched; "" when none */
	char param[32];     /* the first parameter, decoded */
	int result;
};

ParameterizedTestParameters(router, matches_each_path)
{
	static struct path_case cases[] = {
		{ "/api/v1", "/api/v1", "", ROUTER_FOUND },
		{ "/api/v1/deals", "/api/v1/deals", "", ROUTER_FOUND },
		{ "/api/v1/deals/asml-duv-plant", "/api/v1/deals/{id}", "asml-duv-plant", ROUTER_FOUND },
		{ "/api/v1/countries/ro", "/api/v1/countries/{code}", "ro", ROUTER_FOUND },
		{ "/api/v1/countries/RO/deals", "/api/v1/countries/{code}/deals", "RO", ROUTER_FOUND },
		{ "/api/v1/countries/RO/meetings", "/api/v1/countries/{code}/meetings", "RO", ROUTER_FOUND },
		{ "/api/v1/meetings/bilateral-nl/deals", "/api/v1/meetings/{id}/deals", "bilateral-nl", ROUTER_FOUND },
		{ "/api/v1/deals/a%20b", "/api/v1/deals/{id}", "a b", ROUTER_FOUND },
		{ "/api/v1/deals/caf%C3%A9", "/api/v1/deals/{id}", "caf\xc3\xa9", ROUTER_FOUND },
		{ "/api/v1/stats", "/api/v1/stats", "", ROUTER_FOUND },
		{ "/api/v1/openapi.json", "/api/v1/openapi.json", "", ROUTER_FOUND },
		{ "/healthz", "/healthz", "", ROUTER_FOUND },
		{ "/readyz", "/readyz", "", ROUTER_FOUND },
		{ "/metrics", "/metrics", "", ROUTER_FOUND },
		{ "/", "/", "", ROUTER_FOUND },
		{ "/app.js", "/{file}", "app.js", ROUTER_FOUND },
		{ "/%2e%2e", "/{file}", "..", ROUTER_FOUND },
		{ "/api/v1/", "", "", ROUTER_NOT_FOUND },
		{ "/api/v1/deals/", "", "", ROUTER_NOT_FOUND },
		{ "/api/v1/deals/x/y", "", "", ROUTER_NOT_FOUND },
		{ "/api/v1/countries//deals", "", "", ROUTER_NOT_FOUND },
		{ "/API/V1", "", "", ROUTER_NOT_FOUND },
		{ "//", "", "", ROUTER_NOT_FOUND },
		{ "/api/v1/deals/x%00y", "", "", ROUTER_BAD_PATH },
		{ "/api/v1/deals/x%2Fy", "", "", ROUTER_BAD_PATH },
		{ "/api/v1/deals/%zz", "", "", ROUTER_BAD_PATH },
		{ "/api/v1/deals/%4", "", "", ROUTER_BAD_PATH },
		{ "/api/v1/deals/%C0%AF", "", "", ROUTER_BAD_PATH },
		{ "api/v1", "", "", ROUTER_BAD_PATH },
	};

	return cr_make_param_array(struct path_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct path_case *c, router, matches_each_path)
{
	struct strbuf scratch = STRBUF_INIT;
	struct route_match m;
	const char *why = NULL;
	enum router_result r = router_match(c->path, &m, &scratch, &why);

	cr_assert_eq(r, c->result, "%s: %d (%s)", c->path, r, why ? why : "");
	if (r == ROUTER_FOUND) {
		cr_assert_str_eq(m.route->pattern, c->route, "%s", c->path);
		if (c->param[0])
			cr_assert_str_eq(m.params[0], c->param);
		else
			cr_assert_eq(m.nparams, 0);
	}
	if (r == ROUTER_BAD_PATH)
		cr_assert_not_null(why);
	strbuf_release(&scratch);
}

Test(router, gives_the_decoded_path_and_index)
{
	struct strbuf scratch = STRBUF_INIT;
	struct route_match m;
	const char *why;
	size_t n;
	const struct route *routes = router_routes(&n);

	cr_assert_eq(router_match("/api/v1/deals/a%41", &m, &scratch, &why), ROUTER_FOUND);
	cr_assert_str_eq(m.path, "/api/v1/deals/aA");
	cr_assert_eq(&routes[m.index], m.route);
	strbuf_release(&scratch);
}

Test(router, every_route_has_a_handler_a_media_type_and_an_operation)
{
	size_t n;
	const struct route *routes = router_routes(&n);

	for (size_t i = 0; i < n; i++) {
		cr_assert_not_null(routes[i].get, "%s", routes[i].pattern);
		cr_assert_not_null(routes[i].media, "%s", routes[i].pattern);
		cr_assert_not_null(routes[i].operation, "%s", routes[i].pattern);
		cr_assert_not_null(routes[i].summary, "%s", routes[i].pattern);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(routes[i].operation, routes[j].operation);
	}
}

Test(router, parses_query_pairs_in_order_decoding_each)
{
	struct strbuf sb = STRBUF_INIT;
	struct query_param p[ROUTER_MAX_QUERY];
	size_t n;

	cr_assert_null(router_parse_query("a=1&&b=x+y%2Bz&flag&c=&a=2&d=%C3%A9", &sb, p, &n));
	cr_assert_eq(n, 6);
	cr_assert_str_eq(p[0].key, "a");
	cr_assert_str_eq(p[0].value, "1");
	cr_assert_str_eq(p[1].key, "b");
	cr_assert_str_eq(p[1].value, "x y+z");
	cr_assert_str_eq(p[2].key, "flag");
	cr_assert_str_eq(p[2].value, "");
	cr_assert_str_eq(p[3].value, "");
	cr_assert_str_eq(p[4].value, "2");
	cr_assert_str_eq(p[5].value, "\xc3\xa9");
	strbuf_release(&sb);
}

Test(router, refuses_malformed_queries)
{
	struct strbuf sb = STRBUF_INIT;
	struct query_param p[ROUTER_MAX_QUERY];
	struct strbuf many = STRBUF_INIT;
	size_t n;

	cr_assert_str_eq(router_parse_query("a=%", &sb, p, &n), "a '%' that is not followed by two hex digits");
	cr_assert_str_eq(router_parse_query("a=%00", &sb, p, &n), "an encoded NUL (%00)");
	cr_assert_str_eq(router_parse_query("a=%ff", &sb, p, &n), "bytes that are not valid UTF-8");
	for (int i = 0; i < 65; i++)
		strbuf_addf(&many, "k%d=v&", i);
	cr_assert_str_eq(router_parse_query(many.buf, &sb, p, &n), "more than 64 parameters");
	strbuf_release(&sb);
	strbuf_release(&many);
}

Test(router, every_resource_route_names_its_resource_and_a_related_one_a_field_to_filter_on)
{
	size_t n;
	const struct route *routes = router_routes(&n);

	for (size_t i = 0; i < n; i++) {
		const struct route *r = &routes[i];

		if (r->kind == ROUTE_OTHER)
			continue;
		cr_assert_not_null(r->resource, "%s", r->pattern);
		cr_assert_eq(r->parent != NULL, r->kind == ROUTE_RELATED, "%s", r->pattern);
		if (r->kind == ROUTE_RELATED)
			cr_assert_not_null(resource_ref_field(r->resource, r->parent),
					   "%s: %s has no field holding %s keys", r->pattern,
					   r->resource->name, r->parent->name);
	}
}
