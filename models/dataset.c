/*
 * dataset: the data file's own description and vocabularies (see dataset.h).
 */
#include "models/dataset.h"

#include <stddef.h>
#include <string.h>

/* NULL-terminated: also the keys "vocabularies" may have. */
static const char *const vocab_names[VOCAB_COUNT + 1] = {
	"kind", "sector", "status", "role", "basis", NULL,
};

/* Vocabularies a file must give when any value uses them. */
static const bool vocab_required[VOCAB_COUNT] = { [VOCAB_BASIS] = true };

const char *dataset_vocab_name(enum vocab_kind k)
{
	return vocab_names[k];
}

int dataset_vocab_find(const char *name)
{
	for (int k = 0; k < VOCAB_COUNT; k++)
		if (!strcmp(vocab_names[k], name))
			return k;
	return -1;
}

static const struct member entry_members[] = {
	MEMBER_STRING("id", offsetof(struct vocab_entry, id), CHECK_REQUIRED, check_rule_slug),
	MEMBER_STRING("label", offsetof(struct vocab_entry, label), CHECK_REQUIRED, NULL),
	MEMBER_STRING("description", offsetof(struct vocab_entry, description), CHECK_NULLABLE, NULL),
};
#define NENTRY (sizeof(entry_members) / sizeof(entry_members[0]))

/* Entry i of vocabulary arg (its name), which must not repeat an id before it. */
static int read_entry(struct check *c, const cJSON *e, struct arena *a, void *base, size_t i,
		      const void *arg)
{
	const struct vocab_entry *entries = base;

	if (member_read_object(c, e, entry_members, NENTRY, a, &((struct vocab_entry *)base)[i]))
		return -1;
	for (size_t j = 0; j < i; j++)
		if (strcmp(entries[j].id, entries[i].id) == 0)
			return check_fail_at(c, "id", "duplicate id \"%s\" (first at %s[%zu])",
					     entries[i].id, (const char *)arg, j);
	return 0;
}

static int vocab_from_json(struct check *c, const cJSON *obj, enum vocab_kind k,
			   struct arena *a, struct vocabulary *out)
{
	void *entries;

	if (!check_member(obj, vocab_names[k]))
		return 0;
	if (check_array_of(c, obj, vocab_names[k], 0, sizeof(struct vocab_entry), read_entry,
			   vocab_names[k], a, &entries, &out->n))
		return -1;
	out->given = true;
	out->entries = entries;
	return 0;
}

/* "vocabularies": an object of the known vocabularies, in the dataset's own struct. */
static int read_vocabularies(struct check *c, const cJSON *obj, const struct member *m,
			     struct arena *a, void *slot)
{
	struct vocabulary *vocab = slot;
	const cJSON *v;
	size_t mark;
	int rc;

	rc = check_lookup(c, obj, m->name, m->flags, &v);
	if (rc <= 0)
		return rc;
	mark = check_enter_key(c, m->name);
	rc = check_object(c, v, vocab_names);
	for (int k = 0; k < VOCAB_COUNT && !rc; k++)
		rc = vocab_from_json(c, v, (enum vocab_kind)k, a, &vocab[k]);
	check_leave(c, mark);
	return rc ? -1 : 0;
}

static void write_vocabularies(struct jsonw *w, const struct member *m, const void *slot)
{
	const struct vocabulary *vocab = slot;

	(void)m;
	jsonw_object_begin(w);
	for (int k = 0; k < VOCAB_COUNT; k++) {
		if (!vocab[k].given)
			continue;
		jsonw_key(w, vocab_names[k]);
		jsonw_array_begin(w);
		for (size_t i = 0; i < vocab[k].n; i++)
			member_write_object(w, entry_members, NENTRY, &vocab[k].entries[i]);
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
}

static const struct member_type member_vocabularies = { read_vocabularies, write_vocabularies, NULL };

static const struct member licence_members[] = {
	MEMBER_STRING("id", offsetof(struct licence, id), CHECK_REQUIRED, NULL),
	MEMBER_STRING("name", offsetof(struct licence, name), CHECK_REQUIRED, NULL),
	MEMBER_STRING("url", offsetof(struct licence, url), CHECK_NULLABLE, NULL),
	MEMBER_STRING("note", offsetof(struct licence, note), CHECK_NULLABLE, NULL),
};
#define NLICENCE (sizeof(licence_members) / sizeof(licence_members[0]))

/* "licence": an object, or null or absent for none. */
static int read_licence(struct check *c, const cJSON *obj, const struct member *m,
			struct arena *a, void *slot)
{
	const void *l;
	int rc = member_read_nested(c, obj, m, licence_members, NLICENCE, sizeof(struct licence), a, &l);

	*(const struct licence **)slot = l;
	return rc;
}

static void write_licence(struct jsonw *w, const struct member *m, const void *slot)
{
	(void)m;
	member_write_nested(w, licence_members, NLICENCE, *(const struct licence *const *)slot);
}

static const struct member_type member_licence = { read_licence, write_licence, NULL };

#define AT(m) offsetof(struct dataset, m)

static const struct member members[] = {
	MEMBER_STRING("id", AT(id), CHECK_NULLABLE, check_rule_slug),
	MEMBER_STRING("title", AT(title), CHECK_REQUIRED, NULL),
	MEMBER_STRING("description", AT(description), CHECK_NULLABLE, NULL),
	MEMBER_STRING("note", AT(note), CHECK_NULLABLE, NULL),
	MEMBER_STRING("version", AT(version), CHECK_REQUIRED, NULL),
	MEMBER_OF("licence", member_licence, AT(licence), 0),
	MEMBER_OF("vocabularies", member_vocabularies, AT(vocab), 0),
};
#define NMEMBERS (sizeof(members) / sizeof(members[0]))

int dataset_from_json(struct check *c, const cJSON *v, struct arena *a, struct dataset *out)
{
	/* A file of the first format: say where its source went. */
	if (cJSON_IsObject(v) && check_member(v, "source"))
		return check_fail_at(c, "source", "no longer here: a dataset's sources are the "
				     "top-level collection \"sources\", which records cite in their "
				     "evidence");
	return member_read_object(c, v, members, NMEMBERS, a, out);
}

void dataset_to_json(struct jsonw *w, const struct dataset *d)
{
	member_write_object(w, members, NMEMBERS, d);
}

const struct vocab_entry *dataset_vocab_entry(const struct dataset *d, enum vocab_kind k,
					      const char *id)
{
	const struct vocabulary *v = &d->vocab[k];

	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->entries[i].id, id) == 0)
			return &v->entries[i];
	return NULL;
}

bool dataset_vocab_allows(const struct dataset *d, enum vocab_kind k, const char *id)
{
	if (!d->vocab[k].given)
		return !vocab_required[k];
	return dataset_vocab_entry(d, k, id) != NULL;
}

int dataset_vocab_check(struct check *c, const struct dataset *d, enum vocab_kind k,
			const char *id)
{
	const struct vocabulary *v = &d->vocab[k];
	struct strbuf ids = STRBUF_INIT;
	int rc;

	if (dataset_vocab_allows(d, k, id))
		return 0;
	if (!v->given)
		return check_fail(c, "\"%s\" needs the dataset's %s vocabulary, which the file does not "
				  "give (dataset.vocabularies.%s: what each value means)", id,
				  vocab_names[k], vocab_names[k]);
	for (size_t i = 0; i < v->n; i++)
		strbuf_addf(&ids, "%s%s", i ? ", " : "", v->entries[i].id);
	rc = check_fail(c, "\"%s\" is not in the dataset's %s vocabulary (allowed: %s)", id,
			vocab_names[k], ids.buf);
	strbuf_release(&ids);
	return rc;
}
