/*
 * dataset: what a data file says about itself.
 *
 * JSON: {"id", "title", "description", "note", "version", "licence": {"id",
 * "name", "url", "note"}, "vocabularies": {"kind", "sector", "status", "role",
 * "basis"}}. title and version are required; the rest may be absent or null.
 * id is an optional slug naming the dataset in file names
 * ("deals-vilnius-2023.csv").
 * The sources a dataset's facts come from are not here but a collection of
 * their own (models/source.h).
 *
 * A vocabulary is a list of {"id", "label", "description"}; when a data file
 * gives one, the store accepts no other value in the fields it governs
 * (meeting kind; deal sector and meeting topics; deal status; country roles;
 * the basis of money), so the words a dashboard filters on are documented
 * with the data. "basis" must be given wherever a figure is: what a figure
 * measures is never left undocumented. Strings live in the store's arena.
 */
#ifndef ATTACHE_DATASET_H
#define ATTACHE_DATASET_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"
#include "models/member.h"

enum vocab_kind { VOCAB_KIND, VOCAB_SECTOR, VOCAB_STATUS, VOCAB_ROLE, VOCAB_BASIS, VOCAB_COUNT };

struct vocab_entry {
	const char *id;
	const char *label;
	const char *description;
};

struct vocabulary {
	bool given;
	const struct vocab_entry *entries;
	size_t n;
};

/* The licence the dataset is published under; its url and note may be NULL. */
struct licence {
	const char *id;                /* e.g. an SPDX identifier: "CC-BY-4.0" */
	const char *name;
	const char *url;
	const char *note;
};

struct dataset {
	const char *id;               /* NULL when not given */
	const char *title;
	const char *description;
	const char *note;
	const char *version;
	const struct licence *licence; /* NULL when the file states none */
	struct vocabulary vocab[VOCAB_COUNT];
};

/* Reads the "dataset" object v. Returns 0, or -1 after reporting. */
int dataset_from_json(struct check *c, const cJSON *v, struct arena *a, struct dataset *out);

/* Writes the dataset object as read (licence and vocabularies included). */
void dataset_to_json(struct jsonw *w, const struct dataset *d);

/* The vocabulary's name in the data file: "kind", "sector", "status", "role", "basis". */
const char *dataset_vocab_name(enum vocab_kind k);

/* The vocabulary called name, or -1. */
int dataset_vocab_find(const char *name);

/* Whether id is allowed by vocabulary k (always, when the file gives none that it may omit). */
bool dataset_vocab_allows(const struct dataset *d, enum vocab_kind k, const char *id);

/* The entry of vocabulary k with this id, or NULL. */
const struct vocab_entry *dataset_vocab_entry(const struct dataset *d, enum vocab_kind k,
					      const char *id);

/* Fails through c with the value and the vocabulary's ids when id is not allowed. */
int dataset_vocab_check(struct check *c, const struct dataset *d, enum vocab_kind k,
			const char *id);

#endif
