/*
 * country: reading, writing and describing countries (see country.h).
 */
#include "models/country.h"

#include "lib/iso.h"

int country_from_json(struct check *c, const cJSON *v, struct arena *a, struct country *out)
{
	static const char *const fields[] = {
		"code", "name", "leader", "roles", "plans", "resources", "summary", NULL,
	};

	if (check_object(c, v, fields) ||
	    check_string(c, v, "code", CHECK_REQUIRED, iso_country_code_rule, a, &out->code) ||
	    check_string(c, v, "name", CHECK_REQUIRED, NULL, a, &out->name) ||
	    person_member(c, v, "leader", CHECK_NULLABLE, a, &out->leader) ||
	    check_strings(c, v, "roles", 0, check_rule_slug, a, &out->roles) ||
	    check_strings(c, v, "plans", 0, check_rule_slug, a, &out->plans) ||
	    check_strings(c, v, "resources", 0, NULL, a, &out->resources) ||
	    check_string(c, v, "summary", CHECK_NULLABLE, NULL, a, &out->summary))
		return -1;
	return 0;
}

void country_to_json(struct jsonw *w, const struct country *co)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "code", co->code);
	jsonw_kv_string(w, "name", co->name);
	jsonw_key(w, "leader");
	person_to_json(w, co->leader);
	jsonw_key(w, "roles");
	jsonw_strings(w, co->roles.v, co->roles.n);
	jsonw_key(w, "plans");
	jsonw_strings(w, co->plans.v, co->plans.n);
	jsonw_key(w, "resources");
	jsonw_strings(w, co->resources.v, co->resources.n);
	jsonw_kv_string(w, "summary", co->summary);
	jsonw_object_end(w);
}

static const char *const members[] = {
	"code", "name", "leader", "roles", "plans", "resources", "summary", NULL,
};

#define C(r) ((const struct country *)(r))

static void get_code(const void *r, struct field_value *v) { v->s = C(r)->code; }
static void get_name(const void *r, struct field_value *v) { v->s = C(r)->name; }
static void get_summary(const void *r, struct field_value *v) { v->s = C(r)->summary; v->null = !v->s; }
static void get_roles(const void *r, struct field_value *v) { v->list = C(r)->roles; }
static void get_plans(const void *r, struct field_value *v) { v->list = C(r)->plans; }
static void get_resources(const void *r, struct field_value *v) { v->list = C(r)->resources; }

static void get_leader_name(const void *r, struct field_value *v)
{
	v->s = C(r)->leader ? C(r)->leader->name : NULL;
	v->null = !v->s;
}

static void get_leader_title(const void *r, struct field_value *v)
{
	v->s = C(r)->leader ? C(r)->leader->title : NULL;
	v->null = !v->s;
}

static const struct field fields[] = {
	{ "code", FIELD_STRING, FIELD_SORT | FIELD_SEARCH, get_code, "ISO 3166-1 alpha-2 code" },
	{ "name", FIELD_STRING, FIELD_SORT | FIELD_SEARCH, get_name, "Country name" },
	{ "leader.name", FIELD_STRING, FIELD_SORT | FIELD_SEARCH, get_leader_name,
	  "The leader the source names, if any" },
	{ "leader.title", FIELD_STRING, FIELD_SORT | FIELD_FACET, get_leader_title,
	  "The leader's title" },
	{ "roles", FIELD_STRINGS, FIELD_FACET, get_roles, "Roles in the dataset (role vocabulary)" },
	{ "plans", FIELD_STRINGS, FIELD_FACET, get_plans, "Plans the source reports" },
	{ "resources", FIELD_STRINGS, FIELD_FACET | FIELD_SEARCH, get_resources,
	  "Natural resources the source reports" },
	{ "summary", FIELD_STRING, FIELD_SEARCH, get_summary, "Summary in the dataset's words" },
};

static const char *key_of(const void *r) { return C(r)->code; }
static void render(struct jsonw *w, const void *r) { country_to_json(w, r); }

const struct resource country_resource = {
	.name = "countries",
	.singular = "country",
	.key = "code",
	.key_casefold = true,
	.record_size = sizeof(struct country),
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.members = members,
	.get_key = key_of,
	.render = render,
};
