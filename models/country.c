/*
 * country: the member and field tables of countries (see country.h).
 */
#include "models/country.h"

#include <stddef.h>

#include "lib/iso.h"

#define AT(m) offsetof(struct country, m)

static const struct member members[] = {
	MEMBER_STRING("code", AT(code), CHECK_REQUIRED, iso_country_code_rule),
	MEMBER_STRING("name", AT(name), CHECK_REQUIRED, NULL),
	MEMBER_STRINGS("aliases", AT(aliases), 0, NULL),
	MEMBER_OF("leader", member_person, AT(leader), CHECK_NULLABLE),
	MEMBER_STRINGS("roles", AT(roles), 0, check_rule_slug),
	MEMBER_STRINGS("plans", AT(plans), 0, check_rule_slug),
	MEMBER_STRINGS("resources", AT(resources), 0, NULL),
	MEMBER_STRINGS("organizations", AT(organizations), 0, NULL),
	MEMBER_STRING("summary", AT(summary), CHECK_NULLABLE, NULL),
	EVIDENCE_MEMBERS(struct country),
};

static const struct field fields[] = {
	{ "code", FIELD_STRING, FIELD_SORT, "ISO 3166-1 alpha-2 code", .offset = AT(code),
	  .search = SEARCH_NAME },
	{ "name", FIELD_STRING, FIELD_SORT, "Country name", .offset = AT(name), .search = SEARCH_NAME },
	{ "aliases", FIELD_STRINGS, 0, "Other spellings of the name the source uses",
	  .offset = AT(aliases), .search = SEARCH_PARTY },
	{ "leader.name", FIELD_STRING, FIELD_SORT, "The leader the source names, if any",
	  .offset = AT(leader), .get = person_field_name, .search = SEARCH_PARTY },
	{ "leader.title", FIELD_STRING, FIELD_SORT | FIELD_FACET, "The leader's title",
	  .offset = AT(leader), .get = person_field_title },
	{ "roles", FIELD_STRINGS, FIELD_FACET, "Roles in the dataset (role vocabulary)",
	  .offset = AT(roles), .vocab = "role", .search = SEARCH_CONTEXT },
	{ "plans", FIELD_STRINGS, FIELD_FACET, "Plans the source reports", .offset = AT(plans),
	  .search = SEARCH_TEXT },
	{ "resources", FIELD_STRINGS, FIELD_FACET, "Natural resources the source reports",
	  .offset = AT(resources), .search = SEARCH_CONTEXT },
	{ "organizations", FIELD_STRINGS, FIELD_FACET,
	  "Organizations the source names with the country outside its meetings and deals",
	  .offset = AT(organizations), .search = SEARCH_PARTY },
	{ "summary", FIELD_STRING, 0, "Summary in the dataset's words", .offset = AT(summary),
	  .search = SEARCH_TEXT },
	EVIDENCE_FIELDS(struct country),
};

static const char *key_of(const void *r) { return ((const struct country *)r)->code; }

const struct resource country_resource = {
	.name = "countries",
	.singular = "country",
	.schema = "Country",
	.label = "name",
	.key = "code",
	.key_casefold = true,
	.record_size = sizeof(struct country),
	RESOURCE_TABLES(members, fields),
	.get_key = key_of,
};
