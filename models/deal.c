/*
 * deal: the member and field tables of deals, and their own rules (see deal.h).
 */
#include "models/deal.h"

#include <stddef.h>

#include "lib/date.h"
#include "lib/iso.h"
#include "models/country.h"
#include "models/meeting.h"

#define AT(m) offsetof(struct deal, m)

static const struct member members[] = {
	MEMBER_STRING("id", AT(id), CHECK_REQUIRED, check_rule_id),
	MEMBER_STRING("title", AT(title), CHECK_REQUIRED, NULL),
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
};

#define D(r) ((const struct deal *)(r))

static void get_money(const struct money *m, bool amount, struct field_value *v)
{
	v->null = !m;
	if (m && amount)
		v->i = m->amount;
	else if (m)
		v->s = m->currency;
}

static void get_value_amount(const void *r, struct field_value *v) { get_money(D(r)->value, true, v); }
static void get_value_currency(const void *r, struct field_value *v) { get_money(D(r)->value, false, v); }
static void get_alt_amount(const void *r, struct field_value *v) { get_money(D(r)->value_alt, true, v); }
static void get_alt_currency(const void *r, struct field_value *v) { get_money(D(r)->value_alt, false, v); }

static const struct field fields[] = {
	{ "id", FIELD_STRING, FIELD_SORT, "Deal id", .offset = AT(id) },
	{ "title", FIELD_STRING, FIELD_SORT | FIELD_SEARCH, "Title", .offset = AT(title) },
	{ "countries", FIELD_STRINGS, FIELD_FACET, "Country codes involved",
	  .offset = AT(countries),
	  .ref = &country_resource },
	{ "organizations", FIELD_STRINGS, FIELD_FACET, "Organizations involved",
	  .offset = AT(organizations) },
	{ "sector", FIELD_STRING, FIELD_SORT | FIELD_FACET, "Sector (sector vocabulary)",
	  .offset = AT(sector) },
	{ "status", FIELD_STRING, FIELD_SORT | FIELD_FACET, "Status (status vocabulary)",
	  .offset = AT(status) },
	{ "date", FIELD_DATE, FIELD_SORT | FIELD_FACET, "Date, where the source gives one",
	  .offset = AT(date) },
	{ "value.amount", FIELD_INTEGER, FIELD_SORT, "Value in the currency's main unit",
	  .get = get_value_amount },
	{ "value.currency", FIELD_STRING, FIELD_SORT | FIELD_FACET, "ISO 4217 currency of the value",
	  .get = get_value_currency },
	{ "value_alt.amount", FIELD_INTEGER, FIELD_SORT,
	  "The value as the source also gives it in a second currency", .get = get_alt_amount },
	{ "value_alt.currency", FIELD_STRING, FIELD_FACET, "ISO 4217 currency of value_alt",
	  .get = get_alt_currency },
	{ "companies", FIELD_STRINGS, FIELD_FACET | FIELD_SEARCH, "Companies involved",
	  .offset = AT(companies) },
	{ "partners", FIELD_STRINGS, FIELD_FACET | FIELD_SEARCH, "Public bodies and partners involved",
	  .offset = AT(partners) },
	{ "meetings", FIELD_STRINGS, FIELD_FACET, "Ids of the meetings it came up at",
	  .offset = AT(meetings),
	  .ref = &meeting_resource },
	{ "location", FIELD_STRING, FIELD_SEARCH, "Site, where the source names one",
	  .offset = AT(location) },
	{ "response", FIELD_STRING, FIELD_FACET, "The counterpart's response, if reported",
	  .offset = AT(response) },
	{ "incentives", FIELD_STRINGS, FIELD_SEARCH, "Incentives offered",
	  .offset = AT(incentives) },
	{ "items", FIELD_STRINGS, FIELD_SEARCH, "Items supplied", .offset = AT(items) },
	{ "completion_year", FIELD_INTEGER, FIELD_SORT | FIELD_FACET, "Year of planned completion",
	  .offset = AT(completion_year) },
	{ "summary", FIELD_STRING, FIELD_SEARCH, "Summary in the dataset's words",
	  .offset = AT(summary) },
};

static int read(struct check *c, const cJSON *v, struct arena *a, void *record)
{
	const struct deal *d = record;

	if (member_read_object(c, v, members, sizeof(members) / sizeof(members[0]), a, record))
		return -1;
	if (!d->countries.n)
		return check_fail_at(c, "countries",
				     "expected at least one country code, got an empty array");
	if (d->value_alt && !d->value)
		return check_fail_at(c, "value_alt",
				     "given without a value: value_alt is the value in a second currency");
	return 0;
}

static const char *key_of(const void *r) { return D(r)->id; }

const struct resource deal_resource = {
	.name = "deals",
	.singular = "deal",
	.schema = "Deal",
	.key = "id",
	.key_casefold = false,
	.record_size = sizeof(struct deal),
	.members = members,
	.nmembers = sizeof(members) / sizeof(members[0]),
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.get_key = key_of,
	.read = read,
};
