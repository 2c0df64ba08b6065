/*
 * mergepatch: JSON Merge Patch (RFC 7396) over cJSON trees.
 *
 * A patch that is an object changes the target member by member: null
 * removes a member, an object merges into the member recursively, anything
 * else replaces it; a patch that is not an object replaces the target whole.
 *
 * Ownership: mergepatch_apply() returns a new tree; free with cJSON_Delete().
 */
#ifndef ATTACHE_MERGEPATCH_H
#define ATTACHE_MERGEPATCH_H

#include <cjson/cJSON.h>

/* The result of applying patch to target (either may be NULL: absent). Never NULL but out of memory. */
cJSON *mergepatch_apply(const cJSON *target, const cJSON *patch);

#endif
