/*
 * resource: lookups in the static resource tables (see resource.h).
 */
#include "models/resource.h"

#include <string.h>

const struct field *resource_field(const struct resource *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strlen(r->fields[i].name) == len && memcmp(r->fields[i].name, name, len) == 0)
			return &r->fields[i];
	return NULL;
}

int resource_member(const struct resource *r, const char *name, size_t len)
{
	for (int i = 0; r->members[i]; i++)
		if (strlen(r->members[i]) == len && memcmp(r->members[i], name, len) == 0)
			return i;
	return -1;
}

const char *field_type_name(enum field_type t)
{
	switch (t) {
	case FIELD_STRING: return "string";
	case FIELD_INTEGER: return "integer";
	case FIELD_DATE: return "date";
	case FIELD_STRINGS: return "array of strings";
	}
	return "unknown";
}
