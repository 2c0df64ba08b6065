/*
 * meeting: the member and field tables of meetings, and their own rules (see meeting.h).
 */
#include "models/meeting.h"

#include <stddef.h>
#include <string.h>

#include "lib/date.h"
#include "lib/iso.h"
#include "models/country.h"

static const struct member delegation_members[] = {
	MEMBER_INT("size", offsetof(struct delegation, size), CHECK_NULLABLE, 1, 100000),
	MEMBER_OF("members", member_persons, offsetof(struct delegation, members), 0),
};
#define NDELEGATION (sizeof(delegation_members) / sizeof(delegation_members[0]))

/* A const struct delegation *: null (or absent) for none. */
static int read_delegation(struct check *c, const cJSON *obj, const struct member *m,
			   struct arena *a, void *slot)
{
	const struct delegation *d;
	const void *p;

	if (member_read_nested(c, obj, m, delegation_members, NDELEGATION, sizeof(*d), a, &p))
		return -1;
	d = p;
	*(const struct delegation **)slot = d;
	if (d && d->size && (size_t)d->size < d->members.n)
		return check_fail_at(c, m->name, "size %lld is smaller than the %zu members listed",
				     (long long)d->size, d->members.n);
	return 0;
}

static void write_delegation(struct jsonw *w, const struct member *m, const void *slot)
{
	(void)m;
	member_write_nested(w, delegation_members, NDELEGATION, *(const struct delegation *const *)slot);
}

static const struct member_type member_delegation = { read_delegation, write_delegation,
						       NULL };

#define AT(m) offsetof(struct meeting, m)

static const struct member members[] = {
	MEMBER_STRING("id", AT(id), CHECK_REQUIRED, check_rule_id),
	MEMBER_STRING("title", AT(title), CHECK_REQUIRED, NULL),
	MEMBER_STRINGS("aliases", AT(aliases), 0, NULL),
	MEMBER_STRING("date", AT(date), CHECK_REQUIRED, date_rule),
	MEMBER_STRING("end_date", AT(end_date), CHECK_NULLABLE, date_rule),
	MEMBER_STRING("kind", AT(kind), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("format", AT(format), CHECK_NULLABLE, NULL),
	MEMBER_STRINGS("countries", AT(countries), CHECK_REQUIRED, iso_country_code_rule),
	MEMBER_STRINGS("organizations", AT(organizations), 0, NULL),
	MEMBER_STRING("location", AT(location), CHECK_REQUIRED | CHECK_NULLABLE, NULL),
	MEMBER_OF("counterpart", member_person, AT(counterpart), CHECK_REQUIRED | CHECK_NULLABLE),
	MEMBER_OF("participants", member_persons, AT(participants), 0),
	MEMBER_OF("delegation", member_delegation, AT(delegation), 0),
	MEMBER_STRINGS("topics", AT(topics), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("summary", AT(summary), CHECK_NULLABLE, NULL),
	EVIDENCE_MEMBERS(struct meeting),
};

static void get_delegation_size(const struct field *f, const void *r, struct field_value *v)
{
	const struct delegation *d = ((const struct meeting *)r)->delegation;

	(void)f;
	v->i = d ? d->size : 0;
	v->null = !v->i;
}

static const struct field fields[] = {
	{ "id", FIELD_STRING, FIELD_SORT, "Meeting id", .offset = AT(id) },
	{ "title", FIELD_STRING, FIELD_SORT, "Title", .offset = AT(title), .search = SEARCH_NAME },
	{ "aliases", FIELD_STRINGS, 0, "Other spellings of the title the source uses",
	  .offset = AT(aliases), .search = SEARCH_PARTY },
	{ "date", FIELD_DATE, FIELD_SORT | FIELD_FACET, "Date (first day)", .offset = AT(date) },
	{ "end_date", FIELD_DATE, FIELD_SORT, "Last day of a multi-day event",
	  .offset = AT(end_date) },
	{ "kind", FIELD_STRING, FIELD_SORT | FIELD_FACET, "Kind (kind vocabulary)",
	  .offset = AT(kind), .vocab = "kind", .search = SEARCH_CONTEXT },
	{ "format", FIELD_STRING, FIELD_FACET, "Format, in the source's words (\"relay meeting\")",
	  .offset = AT(format), .search = SEARCH_TEXT },
	{ "countries", FIELD_STRINGS, FIELD_FACET, "Country codes taking part",
	  .offset = AT(countries), .ref = &country_resource, .search = SEARCH_CONTEXT },
	{ "organizations", FIELD_STRINGS, FIELD_FACET, "Organizations taking part",
	  .offset = AT(organizations), .search = SEARCH_PARTY },
	{ "location", FIELD_STRING, FIELD_SORT | FIELD_FACET, "Place", .offset = AT(location),
	  .search = SEARCH_CONTEXT },
	{ "counterpart.name", FIELD_STRING, FIELD_SORT, "The leader met, where the source names one",
	  .offset = AT(counterpart), .get = person_field_name, .search = SEARCH_PARTY },
	{ "counterpart.title", FIELD_STRING, FIELD_FACET, "The counterpart's title",
	  .offset = AT(counterpart), .get = person_field_title },
	{ "participants", FIELD_STRINGS, 0, "Names of participants",
	  .offset = AT(participant_names), .search = SEARCH_PARTY },
	{ "delegation.size", FIELD_INTEGER, FIELD_SORT, "Size of the accompanying delegation",
	  .get = get_delegation_size },
	{ "delegation.members", FIELD_STRINGS, 0, "Names of the delegation's members",
	  .offset = AT(delegation_names), .search = SEARCH_PARTY },
	{ "topics", FIELD_STRINGS, FIELD_FACET, "Topics (sector vocabulary)",
	  .offset = AT(topics), .vocab = "sector", .search = SEARCH_CONTEXT },
	{ "summary", FIELD_STRING, 0, "Summary in the dataset's words", .offset = AT(summary),
	  .search = SEARCH_TEXT },
	EVIDENCE_FIELDS(struct meeting),
};

static int check(struct check *c, struct arena *a, void *record)
{
	struct meeting *m = record;

	if (!m->countries.n)
		return check_fail_at(c, "countries",
				     "expected at least one country code, got an empty array");
	if (m->end_date && strcmp(m->end_date, m->date) < 0)
		return check_fail_at(c, "end_date", "\"%s\" is before the date \"%s\"", m->end_date,
				     m->date);
	m->participant_names = person_names(m->participants, a);
	if (m->delegation)
		m->delegation_names = person_names(m->delegation->members, a);
	return 0;
}

static const char *key_of(const void *r) { return ((const struct meeting *)r)->id; }

const struct resource meeting_resource = {
	.name = "meetings",
	.singular = "meeting",
	.schema = "Meeting",
	.label = "title",
	.key = "id",
	.key_casefold = false,
	.record_size = sizeof(struct meeting),
	RESOURCE_TABLES(members, fields),
	.get_key = key_of,
	.check = check,
};
