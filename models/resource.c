/*
 * resource: lookups in the static resource tables, and reading fields (see resource.h).
 */
#include "models/resource.h"

#include <string.h>

#include "lib/jsonscan.h"
#include "models/evidence.h"

const struct field *resource_field(const struct resource *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strlen(r->fields[i].name) == len && memcmp(r->fields[i].name, name, len) == 0)
			return &r->fields[i];
	return NULL;
}

int resource_member(const struct resource *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->nmembers; i++)
		if (strlen(r->members[i].name) == len && memcmp(r->members[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

const struct field *resource_ref_field(const struct resource *r, const struct resource *target)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (r->fields[i].ref == target)
			return &r->fields[i];
	return NULL;
}

void resource_render(const struct resource *r, struct jsonw *w, const void *record)
{
	member_write_object(w, r->members, r->nmembers, record);
}

void field_get(const struct field *f, const void *record, struct field_value *out)
{
	const void *slot = (const char *)record + f->offset;

	if (f->get) {
		f->get(f, record, out);
		return;
	}
	switch (f->type) {
	case FIELD_STRING:
	case FIELD_DATE:
		out->s = *(const char *const *)slot;
		out->null = !out->s;
		break;
	case FIELD_INTEGER:
		out->i = *(const int64_t *)slot;
		out->null = !out->i;   /* 0 is how a record holds an absent integer */
		break;
	case FIELD_BOOLEAN:
		out->i = *(const bool *)slot;
		break;
	case FIELD_STRINGS:
		out->list = *(const struct strs *)slot;
		break;
	}
}

const char *field_type_name(enum field_type t)
{
	switch (t) {
	case FIELD_STRING: return "string";
	case FIELD_INTEGER: return "integer";
	case FIELD_DATE: return "date";
	case FIELD_STRINGS: return "array of strings";
	case FIELD_BOOLEAN: return "boolean";
	}
	return "unknown";
}

int resource_read(const struct resource *r, struct check *c, const cJSON *v, struct arena *a,
		  void *record)
{
	if (member_read_object(c, v, r->members, r->nmembers, a, record))
		return -1;
	if (r->check && r->check(c, a, record))
		return -1;
	/* An inference names a member of this type that the record gives. */
	for (size_t i = 0; i < r->nmembers; i++)
		if (r->members[i].type == &member_inferences &&
		    inferences_check(r, c, v, (const void *)((const char *)record + r->members[i].offset)))
			return -1;
	return 0;
}

int resource_scan(const struct resource *r, const char *p, size_t len, struct arena *a,
		  void *record)
{
	const char *end = p + len;
	struct check quiet;
	int rc;

	/* The inferences scanned are none (member_inferences): inferences_check() has nothing to do. */
	p = member_scan_object(jsonscan_ws(p, end), end, r->members, r->nmembers, a, record);
	if (!p || jsonscan_ws(p, end) != end)
		return -1;
	if (!r->check)
		return 0;
	/* A record that breaks a rule is read again, for read()'s message. */
	check_init_quiet(&quiet);
	rc = r->check(&quiet, a, record);
	check_release(&quiet);
	return rc ? -1 : 0;
}
