/*
 * dataset: the data file's own description and vocabularies (see dataset.h).
 */
#include "models/dataset.h"

#include <stddef.h>
#include <string.h>

/* NULL-terminated: also the keys "vocabularies" may have. */
static const char *const vocab_names[VOCAB_COUNT + 1] = { "kind", "sector", "status", "role", NULL };

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

/* "source" is an object, held in the dataset's own struct. */
static const struct member source_members[] = {
	MEMBER_STRING("title", offsetof(struct dataset, source_title), CHECK_REQUIRED, NULL),
	MEMBER_STRING("publisher", offsetof(struct dataset, source_publisher), CHECK_NULLABLE, NULL),
	MEMBER_STRING("url", offsetof(struct dataset, source_url), CHECK_NULLABLE, NULL),
	MEMBER_STRING("note", offsetof(struct dataset, source_note), CHECK_NULLABLE, NULL),
};
#define NSOURCE (sizeof(source_members) / sizeof(source_members[0]))

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

int dataset_from_json(struct check *c, const cJSON *v, struct arena *a, struct dataset *out)
{
	static const char *const fields[] = {
		"title", "description", "source", "version", "vocabularies", NULL,
	};
	const cJSON *src, *voc;
	size_t mark;
	int rc;

	if (check_object(c, v, fields) ||
	    check_string(c, v, "title", CHECK_REQUIRED, NULL, a, &out->title) ||
	    check_string(c, v, "description", CHECK_NULLABLE, NULL, a, &out->description) ||
	    check_string(c, v, "version", CHECK_REQUIRED, NULL, a, &out->version))
		return -1;
	src = check_member(v, "source");
	if (!src)
		return check_fail(c, "missing required field \"source\"");
	mark = check_enter_key(c, "source");
	rc = member_read_object(c, src, source_members, NSOURCE, a, out);
	check_leave(c, mark);
	if (rc)
		return -1;
	voc = check_member(v, "vocabularies");
	if (!voc)
		return 0;
	mark = check_enter_key(c, "vocabularies");
	rc = check_object(c, voc, vocab_names);
	for (int k = 0; k < VOCAB_COUNT && !rc; k++)
		rc = vocab_from_json(c, voc, (enum vocab_kind)k, a, &out->vocab[k]);
	check_leave(c, mark);
	return rc ? -1 : 0;
}

void dataset_to_json(struct jsonw *w, const struct dataset *d)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "title", d->title);
	jsonw_kv_string(w, "description", d->description);
	jsonw_kv_string(w, "version", d->version);
	jsonw_key(w, "source");
	member_write_object(w, source_members, NSOURCE, d);
	jsonw_key(w, "vocabularies");
	jsonw_object_begin(w);
	for (int k = 0; k < VOCAB_COUNT; k++) {
		if (!d->vocab[k].given)
			continue;
		jsonw_key(w, vocab_names[k]);
		jsonw_array_begin(w);
		for (size_t i = 0; i < d->vocab[k].n; i++)
			member_write_object(w, entry_members, NENTRY, &d->vocab[k].entries[i]);
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
	jsonw_object_end(w);
}

bool dataset_vocab_allows(const struct dataset *d, enum vocab_kind k, const char *id)
{
	const struct vocabulary *v = &d->vocab[k];

	if (!v->given)
		return true;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->entries[i].id, id) == 0)
			return true;
	return false;
}

int dataset_vocab_check(struct check *c, const struct dataset *d, enum vocab_kind k,
			const char *id)
{
	const struct vocabulary *v = &d->vocab[k];
	struct strbuf ids = STRBUF_INIT;
	int rc;

	if (dataset_vocab_allows(d, k, id))
		return 0;
	for (size_t i = 0; i < v->n; i++)
		strbuf_addf(&ids, "%s%s", i ? ", " : "", v->entries[i].id);
	rc = check_fail(c, "\"%s\" is not in the dataset's %s vocabulary (allowed: %s)", id,
			vocab_names[k], ids.buf);
	strbuf_release(&ids);
	return rc;
}
