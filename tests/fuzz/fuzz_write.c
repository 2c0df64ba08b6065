/*
 * libFuzzer target: any bytes as a write and as a merge patch.
 *
 * The first byte picks the collection and the method (create, replace,
 * patch, delete), the rest is the body. A body the strict reader takes runs
 * through write_apply() on a batch over the shipped dataset, as the writer
 * would run it. Checked: a write is either refused with a status and a
 * reason (and, for 422, at least one violation), or applied; and the store
 * it makes, written back as a data file, loads again to the same records
 * (no write can leave data the loader refuses). The body also runs as a
 * merge patch over the first deal: RFC 7396 patches are idempotent, so
 * applying one twice must give what applying it once gave.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/response.h"
#include "handlers/write.h"
#include "lib/json.h"
#include "lib/mem.h"
#include "lib/mergepatch.h"
#include "server/assets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *base;

static void setup(void)
{
	const struct asset *a = assets_find(ASSETS_DATASET);
	struct strbuf err = STRBUF_INIT;

	base = store_load_buffer((const char *)a->data, a->size, "built-in", &err);
	if (!base)
		abort();
	strbuf_release(&err);
}

static void check_patch_idempotent(const cJSON *patch)
{
	const struct collection *deals = store_collection(base, STORE_DEALS);
	cJSON *target = cJSON_ParseWithLength(deals->json[0].json, deals->json[0].len);
	cJSON *once = mergepatch_apply(target, patch), *twice = mergepatch_apply(once, patch);
	char *a = cJSON_PrintUnformatted(once), *b = cJSON_PrintUnformatted(twice);

	if (strcmp(a, b))
		abort();
	free(a);
	free(b);
	cJSON_Delete(target);
	cJSON_Delete(once);
	cJSON_Delete(twice);
}

/* The store a write made loads again from its own data file, to the same records. */
static void check_reloads(struct store *s)
{
	struct strbuf file = STRBUF_INIT, err = STRBUF_INIT;
	struct store *again;

	store_render_file(s, &file);
	again = store_load_buffer(file.buf, file.len, "rendered", &err);
	if (!again)
		abort();
	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		const struct collection *a = store_collection(s, w), *b = store_collection(again, w);

		if (a->n != b->n)
			abort();
		for (uint32_t i = 0; i < a->n; i++)
			if (a->json[i].len != b->json[i].len || memcmp(a->json[i].json, b->json[i].json, a->json[i].len))
				abort();
	}
	store_free(again);
	strbuf_release(&file);
	strbuf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const first_key[STORE_NCOLLECTIONS] = {
		"businesskorea-sales-diplomacy", "KR", "bilateral-nl", "asml-duv-plant",
	};
	struct strbuf err = STRBUF_INIT;
	struct store_batch *b;
	struct write_job j;
	cJSON *body = NULL;

	if (!base)
		setup();
	if (!size)
		return 0;
	write_job_init(&j);
	j.which = (enum store_collection)(data[0] % STORE_NCOLLECTIONS);
	j.kind = (enum write_kind)((data[0] / STORE_NCOLLECTIONS) % 4);
	j.writer = "fuzz";
	j.if_match = (data[0] & 0x80) ? "*" : "\"0000000000000000\"";
	j.id = j.kind == WRITE_CREATE ? NULL : first_key[j.which];
	if (j.kind != WRITE_DELETE) {
		body = json_parse((const char *)data + 1, size - 1, "body", &err);
		if (!body)
			goto out;
		check_patch_idempotent(body);
	}
	j.body = body;
	b = store_batch_new(base);
	if (write_apply(b, &j)) {
		if (j.status < 400 || !j.detail.len && !j.check.nerrors)
			abort();
		if (j.status == HTTP_UNPROCESSABLE_CONTENT && !j.check.nerrors)
			abort();
		store_batch_free(b);
	} else {
		struct store *next = store_batch_commit(b);

		if (j.status != HTTP_CREATED && j.status != HTTP_OK && j.status != HTTP_NO_CONTENT)
			abort();
		check_reloads(next);
		store_free(next);
	}
out:
	write_job_release(&j);
	cJSON_Delete(body);
	strbuf_release(&err);
	return 0;
}
