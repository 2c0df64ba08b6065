/*
 * deal: reading, writing and describing deals (see deal.h).
 */
#include "models/deal.h"

#include "lib/date.h"
#include "lib/iso.h"

int deal_from_json(struct check *c, const cJSON *v, struct arena *a, struct deal *out)
{
	static const char *const fields[] = {
		"id", "title", "countries", "organizations", "sector", "status", "date",
		"value", "value_alt", "companies", "partners", "meetings", "location",
		"response", "incentives", "items", "completion_year", "summary", NULL,
	};
	bool present;

	if (check_object(c, v, fields) ||
	    check_string(c, v, "id", CHECK_REQUIRED, check_rule_id, a, &out->id) ||
	    check_string(c, v, "title", CHECK_REQUIRED, NULL, a, &out->title) ||
	    check_strings(c, v, "countries", CHECK_REQUIRED, iso_country_code_rule, a, &out->countries) ||
	    check_strings(c, v, "organizations", 0, NULL, a, &out->organizations) ||
	    check_string(c, v, "sector", CHECK_REQUIRED, check_rule_slug, a, &out->sector) ||
	    check_string(c, v, "status", CHECK_REQUIRED, check_rule_slug, a, &out->status) ||
	    check_string(c, v, "date", CHECK_NULLABLE, date_rule, a, &out->date) ||
	    money_from_json(c, v, "value", CHECK_REQUIRED, a, &out->value) ||
	    money_from_json(c, v, "value_alt", 0, a, &out->value_alt) ||
	    check_strings(c, v, "companies", CHECK_REQUIRED, NULL, a, &out->companies) ||
	    check_strings(c, v, "partners", 0, NULL, a, &out->partners) ||
	    check_strings(c, v, "meetings", CHECK_REQUIRED, check_rule_id, a, &out->meetings) ||
	    check_string(c, v, "location", CHECK_NULLABLE, NULL, a, &out->location) ||
	    check_string(c, v, "response", CHECK_NULLABLE, check_rule_slug, a, &out->response) ||
	    check_strings(c, v, "incentives", 0, NULL, a, &out->incentives) ||
	    check_strings(c, v, "items", 0, NULL, a, &out->items) ||
	    check_int(c, v, "completion_year", CHECK_NULLABLE, 1, 9999, &out->completion_year,
		      &present) ||
	    check_string(c, v, "summary", CHECK_NULLABLE, NULL, a, &out->summary))
		return -1;
	if (!out->countries.n) {
		size_t mark = check_enter_key(c, "countries");

		check_fail(c, "expected at least one country code, got an empty array");
		check_leave(c, mark);
		return -1;
	}
	if (out->value_alt && !out->value) {
		size_t mark = check_enter_key(c, "value_alt");

		check_fail(c, "given without a value: value_alt is the value in a second currency");
		check_leave(c, mark);
		return -1;
	}
	return 0;
}

void deal_to_json(struct jsonw *w, const struct deal *d)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "id", d->id);
	jsonw_kv_string(w, "title", d->title);
	jsonw_key(w, "countries");
	jsonw_strings(w, d->countries.v, d->countries.n);
	jsonw_key(w, "organizations");
	jsonw_strings(w, d->organizations.v, d->organizations.n);
	jsonw_kv_string(w, "sector", d->sector);
	jsonw_kv_string(w, "status", d->status);
	jsonw_kv_string(w, "date", d->date);
	jsonw_key(w, "value");
	money_to_json(w, d->value);
	jsonw_key(w, "value_alt");
	money_to_json(w, d->value_alt);
	jsonw_key(w, "companies");
	jsonw_strings(w, d->companies.v, d->companies.n);
	jsonw_key(w, "partners");
	jsonw_strings(w, d->partners.v, d->partners.n);
	jsonw_key(w, "meetings");
	jsonw_strings(w, d->meetings.v, d->meetings.n);
	jsonw_kv_string(w, "location", d->location);
	jsonw_kv_string(w, "response", d->response);
	jsonw_key(w, "incentives");
	jsonw_strings(w, d->incentives.v, d->incentives.n);
	jsonw_key(w, "items");
	jsonw_strings(w, d->items.v, d->items.n);
	jsonw_key(w, "completion_year");
	if (d->completion_year)
		jsonw_int(w, d->completion_year);
	else
		jsonw_null(w);
	jsonw_kv_string(w, "summary", d->summary);
	jsonw_object_end(w);
}

static const char *const members[] = {
	"id", "title", "countries", "organizations", "sector", "status", "date", "value",
	"value_alt", "companies", "partners", "meetings", "location", "response",
	"incentives", "items", "completion_year", "summary", NULL,
};

#define D(r) ((const struct deal *)(r))

static void get_id(const void *r, struct field_value *v) { v->s = D(r)->id; }
static void get_title(const void *r, struct field_value *v) { v->s = D(r)->title; }
static void get_sector(const void *r, struct field_value *v) { v->s = D(r)->sector; }
static void get_status(const void *r, struct field_value *v) { v->s = D(r)->status; }
static void get_date(const void *r, struct field_value *v) { v->s = D(r)->date; v->null = !v->s; }
static void get_location(const void *r, struct field_value *v) { v->s = D(r)->location; v->null = !v->s; }
static void get_response(const void *r, struct field_value *v) { v->s = D(r)->response; v->null = !v->s; }
static void get_summary(const void *r, struct field_value *v) { v->s = D(r)->summary; v->null = !v->s; }
static void get_countries(const void *r, struct field_value *v) { v->list = D(r)->countries; }
static void get_organizations(const void *r, struct field_value *v) { v->list = D(r)->organizations; }
static void get_companies(const void *r, struct field_value *v) { v->list = D(r)->companies; }
static void get_partners(const void *r, struct field_value *v) { v->list = D(r)->partners; }
static void get_meetings(const void *r, struct field_value *v) { v->list = D(r)->meetings; }
static void get_incentives(const void *r, struct field_value *v) { v->list = D(r)->incentives; }
static void get_items(const void *r, struct field_value *v) { v->list = D(r)->items; }

static void get_completion_year(const void *r, struct field_value *v)
{
	v->i = D(r)->completion_year;
	v->null = !v->i;
}

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
	{ "id", FIELD_STRING, FIELD_SORT, get_id, "Deal id" },
	{ "title", FIELD_STRING, FIELD_SORT | FIELD_SEARCH, get_title, "Title" },
	{ "countries", FIELD_STRINGS, FIELD_FACET, get_countries, "Country codes involved" },
	{ "organizations", FIELD_STRINGS, FIELD_FACET, get_organizations, "Organizations involved" },
	{ "sector", FIELD_STRING, FIELD_SORT | FIELD_FACET, get_sector, "Sector (sector vocabulary)" },
	{ "status", FIELD_STRING, FIELD_SORT | FIELD_FACET, get_status, "Status (status vocabulary)" },
	{ "date", FIELD_DATE, FIELD_SORT | FIELD_FACET, get_date, "Date, where the source gives one" },
	{ "value.amount", FIELD_INTEGER, FIELD_SORT, get_value_amount,
	  "Value in the currency's main unit" },
	{ "value.currency", FIELD_STRING, FIELD_SORT | FIELD_FACET, get_value_currency,
	  "ISO 4217 currency of the value" },
	{ "value_alt.amount", FIELD_INTEGER, FIELD_SORT, get_alt_amount,
	  "The value as the source also gives it in a second currency" },
	{ "value_alt.currency", FIELD_STRING, FIELD_FACET, get_alt_currency,
	  "ISO 4217 currency of value_alt" },
	{ "companies", FIELD_STRINGS, FIELD_FACET | FIELD_SEARCH, get_companies, "Companies involved" },
	{ "partners", FIELD_STRINGS, FIELD_FACET | FIELD_SEARCH, get_partners,
	  "Public bodies and partners involved" },
	{ "meetings", FIELD_STRINGS, FIELD_FACET, get_meetings, "Ids of the meetings it came up at" },
	{ "location", FIELD_STRING, FIELD_SEARCH, get_location, "Site, where the source names one" },
	{ "response", FIELD_STRING, FIELD_FACET, get_response, "The counterpart's response, if reported" },
	{ "incentives", FIELD_STRINGS, FIELD_SEARCH, get_incentives, "Incentives offered" },
	{ "items", FIELD_STRINGS, FIELD_SEARCH, get_items, "Items supplied" },
	{ "completion_year", FIELD_INTEGER, FIELD_SORT | FIELD_FACET, get_completion_year,
	  "Year of planned completion" },
	{ "summary", FIELD_STRING, FIELD_SEARCH, get_summary, "Summary in the dataset's words" },
};

static const char *key_of(const void *r) { return D(r)->id; }
static void render(struct jsonw *w, const void *r) { deal_to_json(w, r); }

const struct resource deal_resource = {
	.name = "deals",
	.singular = "deal",
	.key = "id",
	.key_casefold = false,
	.record_size = sizeof(struct deal),
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.members = members,
	.get_key = key_of,
	.render = render,
};
