/*
 * support: shared test helpers (see support.h).
 */
#include "tests/support/support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "lib/mem.h"

struct store *support_load(const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct store *s = store_load_file(path, &err);

	if (!s)
		cr_assert_fail("cannot load %s: %s", path, err.buf);
	strbuf_release(&err);
	return s;
}

char *support_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		cr_assert_fail("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		cr_assert_fail("cannot read %s", path);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

size_t support_split_query(char *buf, struct query_param *p, size_t max)
{
	char *save = NULL, *pair;
	size_t n = 0;

	for (pair = strtok_r(buf, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');

		cr_assert_lt(n, max, "more than %zu parameters", max);
		if (eq)
			*eq = '\0';
		p[n].key = pair;
		p[n].value = eq ? eq + 1 : "";
		n++;
	}
	return n;
}

uint32_t support_deal_ids(const struct store *s, const char *qs, char *ids, size_t size)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	struct query_param p[32];
	char *buf = xstrdup(qs);
	size_t n = support_split_query(buf, p, 32);
	struct query_error err;
	struct query_result r;
	struct query q;
	uint32_t total;

	query_error_init(&err);
	if (query_parse(&q, c->res, p, n, &err))
		cr_assert_fail("?%s: refused: %s", qs, err.detail.buf);
	query_run(&q, c, &r);
	ids[0] = '\0';
	for (uint32_t i = 0; i < r.npage; i++) {
		strncat(ids, i ? "," : "", size - strlen(ids) - 1);
		strncat(ids, ((const struct deal *)collection_record(c, r.page[i]))->id, size - strlen(ids) - 1);
	}
	total = r.total;
	query_result_release(&r);
	query_release(&q);
	query_error_release(&err);
	free(buf);
	return total;
}

void support_deals_file(char *path, size_t size, int n)
{
	static unsigned serial;
	FILE *f;

	snprintf(path, size, "/tmp/attache-deals-%d-%u.json", (int)getpid(), serial++);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs("{\"dataset\":{\"title\":\"generated\",\"version\":\"1\",\"vocabularies\":"
	      "{\"basis\":[{\"id\":\"contract\",\"label\":\"Contract\"}]}},"
	      "\"sources\":[{\"id\":\"g\",\"title\":\"generated\",\"publisher\":null,"
	      "\"date\":null,\"url\":null}],"
	      "\"countries\":[{\"code\":\"KR\",\"name\":\"South Korea\","
	      "\"evidence\":[{\"source\":\"g\",\"quote\":\"Korea\"}]}],\"meetings\":[],\"deals\":[", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s{\"id\":\"d%d\",\"title\":\"Deal number %d with a title long enough to weigh "
			   "something in a page of a thousand records\",\"countries\":[\"KR\"],"
			   "\"sector\":\"s\",\"status\":\"%s\",\"value\":{\"amount\":%d,\"currency\":\"KRW\","
			   "\"basis\":\"contract\",\"estimate\":false},"
			   "\"companies\":[],\"meetings\":[],\"summary\":\"A summary that takes some room too, "
			   "so that the page is large.\",\"evidence\":[{\"source\":\"g\",\"quote\":\"Deal %d\"}]}",
			i ? "," : "", i, i, i % 10 ? "proposed" : "agreed", i, i);
	fputs("]}", f);
	cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}
