/*
 * libFuzzer target: any bytes as a data file. store_load_buffer() must either
 * build a store or write one message, never crash, leak or read out of bounds.
 * A store it builds must also render: a site over it is built, as the server
 * builds one, and freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "models/store.h"
#include "server/app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct store *s = store_load_buffer((const char *)data, size, "fuzz.json", &err);

	if (s)
		site_free(app_build_site(s, 1024));
	else if (!err.len)
		abort(); /* a refusal always says why */
	strbuf_release(&err);
	return 0;
}
