/*
 * support: shared test helpers (see support.h).
 */
#include "tests/support/support.h"

#include <stdio.h>
#include <stdlib.h>

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
