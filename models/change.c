/*
 * change: the member and field tables of the changes feed (see change.h).
 */
#include "models/change.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define AT(m) offsetof(struct change, m)

static const char *op_rule(const char *s, size_t len)
{
	static const char *const ops[] = { "create", "replace", "patch", "delete" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strlen(ops[i]) == len && !memcmp(ops[i], s, len))
			return NULL;
	return "one of create, replace, patch, delete";
}

static const struct member members[] = {
	MEMBER_INT("seq", AT(seq), CHECK_REQUIRED, 1, CHECK_MAX_SAFE_INT),
	MEMBER_STRING("at", AT(at), CHECK_REQUIRED, NULL),
	MEMBER_STRING("writer", AT(writer), CHECK_REQUIRED, NULL),
	MEMBER_STRING("op", AT(op), CHECK_REQUIRED, op_rule),
	MEMBER_STRING("collection", AT(collection), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("id", AT(id), CHECK_REQUIRED, NULL),
	MEMBER_STRING("etag", AT(etag), CHECK_REQUIRED | CHECK_NULLABLE, NULL),
};

static const struct field fields[] = {
	{ "seq", FIELD_INTEGER, FIELD_SORT, "Sequence number of the write: ascending, never reused "
	  "(since=N is seq:gt=N)", .offset = AT(seq) },
	{ "at", FIELD_STRING, FIELD_SORT, "When it was made, UTC (YYYY-MM-DDTHH:MM:SSZ)", .offset = AT(at) },
	{ "writer", FIELD_STRING, FIELD_SORT | FIELD_FACET, "The name of the token that made it",
	  .offset = AT(writer) },
	{ "op", FIELD_STRING, FIELD_SORT | FIELD_FACET, "create, replace, patch or delete",
	  .offset = AT(op) },
	{ "collection", FIELD_STRING, FIELD_SORT | FIELD_FACET,
	  "The collection of the record written (resource=X is collection=X)", .offset = AT(collection) },
	{ "id", FIELD_STRING, FIELD_SORT, "The key of the record written", .offset = AT(id) },
	{ "etag", FIELD_STRING, 0, "The record's ETag after the write; null after a delete",
	  .offset = AT(etag) },
};

/* The key is the sequence number, as text. */
static int derive_key(struct check *c, struct arena *a, void *record)
{
	struct change *ch = record;
	char buf[24];

	(void)c;
	snprintf(buf, sizeof(buf), "%" PRId64, ch->seq);
	ch->seq_key = arena_strdup(a, buf);
	return 0;
}

static const char *key_of(const void *r) { return ((const struct change *)r)->seq_key; }

const struct resource change_resource = {
	.name = "changes",
	.singular = "change",
	.schema = "Change",
	.label = "id",
	.key = "seq",
	.key_casefold = false,
	.record_size = sizeof(struct change),
	RESOURCE_TABLES(members, fields),
	.get_key = key_of,
	.check = derive_key,
};
