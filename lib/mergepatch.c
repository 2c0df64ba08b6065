/*
 * mergepatch: RFC 7396 (see mergepatch.h), after the pseudo-code of its section 2.
 */
#include "lib/mergepatch.h"

#include <string.h>

#include "lib/mem.h"

static cJSON *dup(const cJSON *v)
{
	cJSON *d = cJSON_Duplicate(v, 1);

	if (!d)
		xmalloc((size_t)-1); /* out of memory: the one policy (lib/mem.h) */
	return d;
}

cJSON *mergepatch_apply(const cJSON *target, const cJSON *patch)
{
	const cJSON *p;
	cJSON *result;

	if (!cJSON_IsObject(patch))
		return dup(patch);
	result = cJSON_IsObject(target) ? dup(target) : cJSON_CreateObject();
	if (!result)
		xmalloc((size_t)-1);
	cJSON_ArrayForEach(p, patch) {
		cJSON *old = cJSON_GetObjectItemCaseSensitive(result, p->string);

		if (cJSON_IsNull(p)) {
			cJSON_DeleteItemFromObjectCaseSensitive(result, p->string);
			continue;
		}
		{
			cJSON *merged = mergepatch_apply(old, p);

			/* ReplaceItemInObject names the new item; ViaPointer would leave it unnamed. */
			if (old)
				cJSON_ReplaceItemInObjectCaseSensitive(result, p->string, merged);
			else
				cJSON_AddItemToObject(result, p->string, merged);
		}
	}
	return result;
}
