/*
 * source: the member and field tables of sources (see source.h).
 */
#include "models/source.h"

#include <stddef.h>
#include <string.h>

#include "lib/date.h"

#define AT(m) offsetof(struct source, m)

const char *source_url_rule(const char *s, size_t len)
{
	size_t scheme = len > 8 && !strncmp(s, "https://", 8) ? 8 :
			len > 7 && !strncmp(s, "http://", 7) ? 7 : 0;

	if (!scheme)
		return "an absolute http:// or https:// URL";
	for (size_t i = scheme; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return "a URL (spaces and control characters must be percent-encoded)";
	return NULL;
}

static const struct member members[] = {
	MEMBER_STRING("id", AT(id), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("title", AT(title), CHECK_REQUIRED, NULL),
	MEMBER_STRING("publisher", AT(publisher), CHECK_REQUIRED | CHECK_NULLABLE, NULL),
	MEMBER_STRING("date", AT(date), CHECK_REQUIRED | CHECK_NULLABLE, date_rule),
	MEMBER_STRING("url", AT(url), CHECK_REQUIRED | CHECK_NULLABLE, source_url_rule),
	MEMBER_STRING("note", AT(note), CHECK_NULLABLE, NULL),
};

static const struct field fields[] = {
	{ "id", FIELD_STRING, FIELD_SORT, "Source id", .offset = AT(id) },
	{ "title", FIELD_STRING, FIELD_SORT, "Title", .offset = AT(title), .search = SEARCH_NAME },
	{ "publisher", FIELD_STRING, FIELD_SORT | FIELD_FACET, "Publisher, where known",
	  .offset = AT(publisher), .search = SEARCH_PARTY },
	{ "date", FIELD_DATE, FIELD_SORT | FIELD_FACET, "Publication date, where the source prints one",
	  .offset = AT(date) },
	{ "url", FIELD_STRING, 0, "Where to read it, where known", .offset = AT(url) },
	{ "note", FIELD_STRING, 0, "What is known of the source", .offset = AT(note),
	  .search = SEARCH_TEXT },
};

static const char *key_of(const void *r) { return ((const struct source *)r)->id; }

const struct resource source_resource = {
	.name = "sources",
	.singular = "source",
	.schema = "Source",
	.label = "title",
	.key = "id",
	.key_casefold = false,
	.record_size = sizeof(struct source),
	RESOURCE_TABLES(members, fields),
	.get_key = key_of,
};
