/*
 * method: method names from the method table (see method.h).
 */
#include "handlers/method.h"

#include <stddef.h>
#include <string.h>

static const char *const names[] = {
#define X(name) [HTTP_##name] = #name,
	HTTP_METHODS(X)
#undef X
};

enum http_method http_method_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (enum http_method)i;
	return HTTP_UNKNOWN;
}

const char *http_method_name(enum http_method m)
{
	return m < HTTP_UNKNOWN ? names[m] : NULL;
}
