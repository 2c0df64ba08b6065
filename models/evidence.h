/*
 * evidence: what every record says of where its facts come from.
 *
 * Each country, meeting and deal carries:
 *   - evidence: at least one {"source", "quote"}, the source's own words
 *     (a sentence or less) that state the record's facts; source is the id
 *     of a record of the dataset's sources (the store checks it resolves).
 *     This is the product's promise: a record without a source is not
 *     served. A quote is non-blank and at most EVIDENCE_MAX_QUOTE characters,
 *     a citation, not a copy;
 *   - inferences (optional): {"field", "reason"} for each member whose value
 *     goes beyond the source's words. field names a member of the record
 *     type, or one of its dotted fields (value.basis, counterpart.name),
 *     that the record gives a value; reason is non-blank;
 *   - aliases (optional): other spellings of the record's name, searched
 *     like the name (an ordinary strings member, not defined here).
 *
 * Strings live in the store's arena; everything here is read-only once loaded.
 */
#ifndef ATTACHE_EVIDENCE_H
#define ATTACHE_EVIDENCE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "lib/check.h"
#include "models/member.h"
#include "models/resource.h"
#include "models/source.h"

/* The longest quote the loader accepts, in characters. */
#define EVIDENCE_MAX_QUOTE 500

struct evidence {
	const char *source;            /* a source id */
	const char *quote;
};

struct evidences {
	const struct evidence *v;
	size_t n;
	struct strs sources;           /* v[i].source for each i: the field evidence.source */
};

struct inference {
	const char *field;             /* a member or dotted field of the record */
	const char *reason;
};

struct inferences {
	const struct inference *v;
	size_t n;
	struct strs fields;            /* v[i].field for each i: the field inferences.field */
};

/* Member types (models/member.h) of a struct evidences (at least one) and a struct inferences. */
extern const struct member_type member_evidence;
extern const struct member_type member_inferences;

/* Field getters (models/resource.h) for evidence.source and inferences.field. */
void evidence_field_sources(const struct field *f, const void *record, struct field_value *out);
void inference_field_fields(const struct field *f, const void *record, struct field_value *out);

/*
 * The rows every record type that cites sources has, in its member table
 * and in its field table; type is its struct, with the members evidence
 * (a struct evidences) and inferences (a struct inferences).
 */
#define EVIDENCE_MEMBERS(type) \
	MEMBER_OF("evidence", member_evidence, offsetof(type, evidence), CHECK_REQUIRED), \
	MEMBER_OF("inferences", member_inferences, offsetof(type, inferences), 0)
#define EVIDENCE_FIELDS(type) \
	{ "evidence.source", FIELD_STRINGS, FIELD_FACET, "Ids of the sources its evidence cites", \
	  .offset = offsetof(type, evidence), .get = evidence_field_sources, .ref = &source_resource }, \
	{ "inferences.field", FIELD_STRINGS, FIELD_FACET, \
	  "Members whose value goes beyond the source's words", \
	  .offset = offsetof(type, inferences), .get = inference_field_fields }

/*
 * Checks that each inference of the record r read from obj names a member
 * or dotted field of r that obj gives a value. Returns 0, or -1 after
 * reporting through c (at inferences[i].field).
 */
int inferences_check(const struct resource *r, struct check *c, const cJSON *obj,
		     const struct inferences *inf);

#endif
