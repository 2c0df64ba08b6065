/*
 * meeting: reading, writing and describing meetings (see meeting.h).
 */
#include "models/meeting.h"

#include <string.h>

#include "lib/date.h"
#include "lib/iso.h"

static int delegation_from_json(struct check *c, const cJSON *obj, struct arena *a,
				const struct delegation **out)
{
	static const char *const fields[] = { "size", "members", NULL };
	const cJSON *v = check_member(obj, "delegation");
	struct delegation *d;
	bool present;
	size_t mark;
	int rc = -1;

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	mark = check_enter_key(c, "delegation");
	d = arena_calloc(a, 1, sizeof(*d));
	if (check_object(c, v, fields) ||
	    check_int(c, v, "size", CHECK_NULLABLE, 1, 100000, &d->size, &present) ||
	    person_list(c, v, "members", 0, a, &d->members, &d->nmembers))
		goto out;
	if (present && (size_t)d->size < d->nmembers) {
		check_fail(c, "size %lld is smaller than the %zu members listed",
			   (long long)d->size, d->nmembers);
		goto out;
	}
	*out = d;
	rc = 0;
out:
	check_leave(c, mark);
	return rc;
}

int meeting_from_json(struct check *c, const cJSON *v, struct arena *a, struct meeting *out)
{
	static const char *const fields[] = {
		"id", "title", "date", "end_date", "kind", "format", "countries",
		"organizations", "location", "counterpart", "participants", "delegation",
		"topics", "summary", NULL,
	};

	if (check_object(c, v, fields) ||
	    check_string(c, v, "id", CHECK_REQUIRED, check_rule_id, a, &out->id) ||
	    check_string(c, v, "title", CHECK_REQUIRED, NULL, a, &out->title) ||
	    check_string(c, v, "date", CHECK_REQUIRED, date_rule, a, &out->date) ||
	    check_string(c, v, "end_date", CHECK_NULLABLE, date_rule, a, &out->end_date) ||
	    check_string(c, v, "kind", CHECK_REQUIRED, check_rule_slug, a, &out->kind) ||
	    check_string(c, v, "format", CHECK_NULLABLE, NULL, a, &out->format) ||
	    check_strings(c, v, "countries", CHECK_REQUIRED, iso_country_code_rule, a, &out->countries) ||
	    check_strings(c, v, "organizations", 0, NULL, a, &out->organizations) ||
	    check_string(c, v, "location", CHECK_REQUIRED | CHECK_NULLABLE, NULL, a, &out->location) ||
	    person_member(c, v, "counterpart", CHECK_REQUIRED | CHECK_NULLABLE, a, &out->counterpart) ||
	    person_list(c, v, "participants", 0, a, &out->participants, &out->nparticipants) ||
	    delegation_from_json(c, v, a, &out->delegation) ||
	    check_strings(c, v, "topics", CHECK_REQUIRED, check_rule_slug, a, &out->topics) ||
	    check_string(c, v, "summary", CHECK_NULLABLE, NULL, a, &out->summary))
		return -1;
	if (!out->countries.n) {
		size_t mark = check_enter_key(c, "countries");

		check_fail(c, "expected at least one country code, got an empty array");
		check_leave(c, mark);
		return -1;
	}
	if (out->end_date && strcmp(out->end_date, out->date) < 0) {
		size_t mark = check_enter_key(c, "end_date");

		check_fail(c, "\"%s\" is before the date \"%s\"", out->end_date, out->date);
		check_leave(c, mark);
		return -1;
	}
	out->participant_names = person_names(out->participants, out->nparticipants, a);
	return 0;
}

void meeting_to_json(struct jsonw *w, const struct meeting *m)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "id", m->id);
	jsonw_kv_string(w, "title", m->title);
	jsonw_kv_string(w, "date", m->date);
	jsonw_kv_string(w, "end_date", m->end_date);
	jsonw_kv_string(w, "kind", m->kind);
	jsonw_kv_string(w, "format", m->format);
	jsonw_key(w, "countries");
	jsonw_strings(w, m->countries.v, m->countries.n);
	jsonw_key(w, "organizations");
	jsonw_strings(w, m->organizations.v, m->organizations.n);
	jsonw_kv_string(w, "location", m->location);
	jsonw_key(w, "counterpart");
	person_to_json(w, m->counterpart);
	jsonw_key(w, "participants");
	person_list_to_json(w, m->participants, m->nparticipants);
	jsonw_key(w, "delegation");
	if (m->delegation) {
		jsonw_object_begin(w);
		jsonw_key(w, "size");
		if (m->delegation->size)
			jsonw_int(w, m->delegation->size);
		else
			jsonw_null(w);
		jsonw_key(w, "members");
		person_list_to_json(w, m->delegation->members, m->delegation->nmembers);
		jsonw_object_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "topics");
	jsonw_strings(w, m->topics.v, m->topics.n);
	jsonw_kv_string(w, "summary", m->summary);
	jsonw_object_end(w);
}

static const char *const members[] = {
	"id", "title", "date", "end_date", "kind", "format", "countries", "organizations",
	"location", "counterpart", "participants", "delegation", "topics", "summary", NULL,
};

#define M(r) ((const struct meeting *)(r))

static void get_id(const void *r, struct field_value *v) { v->s = M(r)->id; }
static void get_title(const void *r, struct field_value *v) { v->s = M(r)->title; }
static void get_date(const void *r, struct field_value *v) { v->s = M(r)->date; }
static void get_end_date(const void *r, struct field_value *v) { v->s = M(r)->end_date; v->null = !v->s; }
static void get_kind(const void *r, struct field_value *v) { v->s = M(r)->kind; }
static void get_format(const void *r, struct field_value *v) { v->s = M(r)->format; v->null = !v->s; }
static void get_location(const void *r, struct field_value *v) { v->s = M(r)->location; v->null = !v->s; }
static void get_summary(const void *r, struct field_value *v) { v->s = M(r)->summary; v->null = !v->s; }
static void get_countries(const void *r, struct field_value *v) { v->list = M(r)->countries; }
static void get_organizations(const void *r, struct field_value *v) { v->list = M(r)->organizations; }
static void get_topics(const void *r, struct field_value *v) { v->list = M(r)->topics; }
static void get_participants(const void *r, struct field_value *v) { v->list = M(r)->participant_names; }

static void get_counterpart_name(const void *r, struct field_value *v)
{
	v->s = M(r)->counterpart ? M(r)->counterpart->name : NULL;
	v->null = !v->s;
}

static void get_counterpart_title(const void *r, struct field_value *v)
{
	v->s = M(r)->counterpart ? M(r)->counterpart->title : NULL;
	v->null = !v->s;
}

static void get_delegation_size(const void *r, struct field_value *v)
{
	v->i = M(r)->delegation ? M(r)->delegation->size : 0;
	v->null = !v->i;
}

static const struct field fields[] = {
	{ "id", FIELD_STRING, FIELD_SORT, get_id, "Meeting id" },
	{ "title", FIELD_STRING, FIELD_SORT | FIELD_SEARCH, get_title, "Title" },
	{ "date", FIELD_DATE, FIELD_SORT | FIELD_FACET, get_date, "Date (first day)" },
	{ "end_date", FIELD_DATE, FIELD_SORT, get_end_date, "Last day of a multi-day event" },
	{ "kind", FIELD_STRING, FIELD_SORT | FIELD_FACET, get_kind, "Kind (kind vocabulary)" },
	{ "format", FIELD_STRING, FIELD_FACET, get_format, "Format, e.g. luncheon" },
	{ "countries", FIELD_STRINGS, FIELD_FACET, get_countries, "Country codes taking part" },
	{ "organizations", FIELD_STRINGS, FIELD_FACET, get_organizations, "Organizations taking part" },
	{ "location", FIELD_STRING, FIELD_SORT | FIELD_FACET | FIELD_SEARCH, get_location, "Place" },
	{ "counterpart.name", FIELD_STRING, FIELD_SORT | FIELD_SEARCH, get_counterpart_name,
	  "The leader met, where the source names one" },
	{ "counterpart.title", FIELD_STRING, FIELD_FACET, get_counterpart_title,
	  "The counterpart's title" },
	{ "participants", FIELD_STRINGS, FIELD_SEARCH, get_participants, "Names of participants" },
	{ "delegation.size", FIELD_INTEGER, FIELD_SORT, get_delegation_size,
	  "Size of the accompanying delegation" },
	{ "topics", FIELD_STRINGS, FIELD_FACET, get_topics, "Topics (sector vocabulary)" },
	{ "summary", FIELD_STRING, FIELD_SEARCH, get_summary, "Summary in the dataset's words" },
};

static const char *key_of(const void *r) { return M(r)->id; }
static void render(struct jsonw *w, const void *r) { meeting_to_json(w, r); }

const struct resource meeting_resource = {
	.name = "meetings",
	.singular = "meeting",
	.key = "id",
	.key_casefold = false,
	.record_size = sizeof(struct meeting),
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.members = members,
	.get_key = key_of,
	.render = render,
};
