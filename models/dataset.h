/*
 * dataset: what a data file says about itself.
 *
 * JSON: {"title", "description", "source": {"title", "publisher", "url",
 * "note"}, "version", "vocabularies": {"kind", "sector", "status", "role"}}.
 * A vocabulary is a list of {"id", "label", "description"}; when a data file
 * gives one, the store accepts no other value in the fields it governs
 * (meeting kind; deal sector and meeting topics; deal status; country roles),
 * so the words a dashboard filters on are documented with the data.
 * Strings live in the store's arena.
 */
#ifndef ATTACHE_DATASET_H
#define ATTACHE_DATASET_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"
#include "models/member.h"

enum vocab_kind { VOCAB_KIND, VOCAB_SECTOR, VOCAB_STATUS, VOCAB_ROLE, VOCAB_COUNT };

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

struct dataset {
	const char *title;
	const char *description;
	const char *version;
	const char *source_title;
	const char *source_publisher;
	const char *source_url;
	const char *source_note;
	struct vocabulary vocab[VOCAB_COUNT];
};

/* Reads the "dataset" object v. Returns 0, or -1 after reporting. */
int dataset_from_json(struct check *c, const cJSON *v, struct arena *a, struct dataset *out);

/* Writes the dataset object as read (vocabularies included). */
void dataset_to_json(struct jsonw *w, const struct dataset *d);

/* The vocabulary's name in the data file: "kind", "sector", "status", "role". */
const char *dataset_vocab_name(enum vocab_kind k);

/* The vocabulary called name, or -1. */
int dataset_vocab_find(const char *name);

/* Whether id is allowed by vocabulary k (always, when the file gives none). */
bool dataset_vocab_allows(const struct dataset *d, enum vocab_kind k, const char *id);

/* Fails through c with the value and the vocabulary's ids when id is not allowed. */
int dataset_vocab_check(struct check *c, const struct dataset *d, enum vocab_kind k,
			const char *id);

#endif
