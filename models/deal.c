/*
 * deal: the member and field tables of deals, and their own rules (see deal.h).
 */
#include "models/deal.h"

#include <stddef.h>
#include <string.h>

#include "lib/date.h"
#include "lib/iso.h"
#include "models/country.h"
#include "models/meeting.h"

#define AT(m) offsetof(struct deal, m)

static const struct member members[] = {
	MEMBER_STRING("id", AT(id), CHECK_REQUIRED, check_rule_id),
	MEMBER_STRING("title", AT(title), CHECK_REQUIRED, NULL),
	MEMBER_STRINGS("aliases", AT(aliases), 0, NULL),
	MEMBER_STRINGS("countries", AT(countries), CHECK_REQUIRED, iso_country_code_rule),
	MEMBER_STRINGS("organizations", AT(organizations), 0, NULL),
	MEMBER_STRING("sector", AT(sector), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("status", AT(status), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("date", AT(date), CHECK_NULLABLE, date_rule),
	MEMBER_OF("value", member_money, AT(value), CHECK_REQUIRED),
	MEMBER_OF("value_alt", member_money, AT(value_alt), 0),
	MEMBER_STRINGS("companies", AT(companies), CHECK_REQUIRED, NULL),
	MEMBER_STRINGS("partners", AT(partners), 0, NULL),
	MEMBER_STRINGS("meetings", AT(meetings), CHECK_REQUIRED, check_rule_id),
	MEMBER_STRING("location", AT(location), CHECK_NULLABLE, NULL),
	MEMBER_STRING("response", AT(response), CHECK_NULLABLE, check_rule_slug),
	MEMBER_STRINGS("incentives", AT(incentives), 0, NULL),
	MEMBER_STRINGS("items", AT(items), 0, NULL),
	MEMBER_INT("completion_year", AT(completion_year), CHECK_NULLABLE, 1, 9999),
	MEMBER_STRING("summary", AT(summary), CHECK_NULLABLE, NULL),
	EVIDENCE_MEMBERS(struct deal),
};

static const struct field fields[] = {
	{ "id", FIELD_STRING, FIELD_SORT, "Deal id", .offset = AT(id) },
	{ "title", FIELD_STRING, FIELD_SORT, "Title", .offset = AT(title), .search = SEARCH_NAME },
	{ "aliases", FIELD_STRINGS, 0, "Other spellings of the title the source uses",
	  .offset = AT(aliases), .search = SEARCH_PARTY },
	{ "countries", FIELD_STRINGS, FIELD_FACET, "Country codes involved",
	  .offset = AT(countries), .ref = &country_resource, .search = SEARCH_CONTEXT },
	{ "organizations", FIELD_STRINGS, FIELD_FACET,
	  "Organizations named in it, other than companies and partners",
	  .offset = AT(organizations), .search = SEARCH_PARTY },
	{ "sector", FIELD_STRING, FIELD_SORT | FIELD_FACET, "Sector (sector vocabulary)",
	  .offset = AT(sector), .vocab = "sector", .search = SEARCH_CONTEXT },
	{ "status", FIELD_STRING, FIELD_SORT | FIELD_FACET, "Status (status vocabulary)",
	  .offset = AT(status), .vocab = "status", .search = SEARCH_CONTEXT },
	{ "date", FIELD_DATE, FIELD_SORT | FIELD_FACET, "Date, where the source gives one",
	  .offset = AT(date) },
	{ "value.amount", FIELD_INTEGER, FIELD_SORT, "Value in the currency's main unit",
	  .offset = AT(value), .get = money_field_amount },
	{ "value.currency", FIELD_STRING, FIELD_SORT | FIELD_FACET, "ISO 4217 currency of the value",
	  .offset = AT(value), .get = money_field_currency },
	{ "value.basis", FIELD_STRING, FIELD_SORT | FIELD_FACET,
	  "What the value measures (basis vocabulary): a contract, a whole project, a market",
	  .offset = AT(value), .get = money_field_basis, .vocab = "basis", .search = SEARCH_CONTEXT },
	{ "value.estimate", FIELD_BOOLEAN, FIELD_SORT | FIELD_FACET,
	  "Whether the source calls the value estimated or approximate",
	  .offset = AT(value), .get = money_field_estimate },
	{ "value_alt.amount", FIELD_INTEGER, FIELD_SORT,
	  "The value as the source also gives it in a second currency",
	  .offset = AT(value_alt), .get = money_field_amount },
	{ "value_alt.currency", FIELD_STRING, FIELD_FACET, "ISO 4217 currency of value_alt",
	  .offset = AT(value_alt), .get = money_field_currency },
	{ "value_alt.basis", FIELD_STRING, FIELD_FACET, "What value_alt measures: the value's basis",
	  .offset = AT(value_alt), .get = money_field_basis, .vocab = "basis" },
	{ "value_alt.estimate", FIELD_BOOLEAN, FIELD_FACET, "Whether value_alt is an estimate",
	  .offset = AT(value_alt), .get = money_field_estimate },
	{ "companies", FIELD_STRINGS, FIELD_FACET, "Companies involved", .offset = AT(companies),
	  .search = SEARCH_PARTY },
	{ "partners", FIELD_STRINGS, FIELD_FACET, "Bodies Korea is to cooperate with",
	  .offset = AT(partners), .search = SEARCH_PARTY },
	{ "meetings", FIELD_STRINGS, FIELD_FACET, "Ids of the meetings it came up at",
	  .offset = AT(meetings), .ref = &meeting_resource },
	{ "location", FIELD_STRING, 0, "Site, where the source names one", .offset = AT(location),
	  .search = SEARCH_CONTEXT },
	{ "response", FIELD_STRING, FIELD_FACET, "The counterpart's response, if reported",
	  .offset = AT(response) },
	{ "incentives", FIELD_STRINGS, 0, "Incentives offered", .offset = AT(incentives),
	  .search = SEARCH_TEXT },
	{ "items", FIELD_STRINGS, 0, "Items supplied", .offset = AT(items), .search = SEARCH_TEXT },
	{ "completion_year", FIELD_INTEGER, FIELD_SORT | FIELD_FACET, "Year of planned completion",
	  .offset = AT(completion_year) },
	{ "summary", FIELD_STRING, 0, "Summary in the dataset's words", .offset = AT(summary),
	  .search = SEARCH_TEXT },
	EVIDENCE_FIELDS(struct deal),
};

static int check(struct check *c, struct arena *a, void *record)
{
	const struct deal *d = record;

	(void)a;
	if (!d->countries.n)
		return check_fail_at(c, "countries",
				     "expected at least one country code, got an empty array");
	if (d->value_alt && !d->value)
		return check_fail_at(c, "value_alt",
				     "given without a value: value_alt is the value in a second currency");
	if (d->value_alt && strcmp(d->value_alt->basis, d->value->basis))
		return check_fail_at(c, "value_alt.basis", "\"%s\" differs from value.basis \"%s\": "
				     "value_alt is the same figure in a second currency",
				     d->value_alt->basis, d->value->basis);
	if (d->value_alt && d->value_alt->estimate != d->value->estimate)
		return check_fail_at(c, "value_alt.estimate", "%s differs from value.estimate %s: "
				     "value_alt is the same figure in a second currency",
				     d->value_alt->estimate ? "true" : "false",
				     d->value->estimate ? "true" : "false");
	return 0;
}

static const char *key_of(const void *r) { return ((const struct deal *)r)->id; }

const struct resource deal_resource = {
	.name = "deals",
	.singular = "deal",
	.schema = "Deal",
	.label = "title",
	.key = "id",
	.key_casefold = false,
	.record_size = sizeof(struct deal),
	RESOURCE_TABLES(members, fields),
	.get_key = key_of,
	.check = check,
};
