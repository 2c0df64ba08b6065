/*
 * dataset: the data file's own description and vocabularies (see dataset.h).
 */
#include "models/dataset.h"

#include <string.h>

static const char *const vocab_names[VOCAB_COUNT] = { "kind", "sector", "status", "role" };

const char *dataset_vocab_name(enum vocab_kind k)
{
	return vocab_names[k];
}

static int vocab_from_json(struct check *c, const cJSON *obj, enum vocab_kind k,
			   struct arena *a, struct vocabulary *out)
{
	static const char *const fields[] = { "id", "label", "description", NULL };
	const cJSON *v = check_member(obj, vocab_names[k]), *e;
	struct vocab_entry *entries;
	size_t mark, n, i = 0;
	int rc = -1;

	if (!v)
		return 0;
	mark = check_enter_key(c, vocab_names[k]);
	if (check_array(c, v, &n))
		goto out;
	entries = arena_calloc(a, n ? n : 1, sizeof(*entries));
	cJSON_ArrayForEach(e, v) {
		size_t emark = check_enter_index(c, i);

		if (check_object(c, e, fields) ||
		    check_string(c, e, "id", CHECK_REQUIRED, check_rule_slug, a, &entries[i].id) ||
		    check_string(c, e, "label", CHECK_REQUIRED, NULL, a, &entries[i].label) ||
		    check_string(c, e, "description", CHECK_NULLABLE, NULL, a, &entries[i].description))
			goto out;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(entries[j].id, entries[i].id) == 0) {
				size_t idmark = check_enter_key(c, "id");

				check_fail(c, "duplicate id \"%s\" (first at %s[%zu])", entries[i].id,
					   vocab_names[k], j);
				check_leave(c, idmark);
				goto out;
			}
		}
		check_leave(c, emark);
		i++;
	}
	out->given = true;
	out->entries = entries;
	out->n = n;
	rc = 0;
out:
	check_leave(c, mark);
	return rc;
}

int dataset_from_json(struct check *c, const cJSON *v, struct arena *a, struct dataset *out)
{
	static const char *const fields[] = {
		"title", "description", "source", "version", "vocabularies", NULL,
	};
	static const char *const source_fields[] = { "title", "publisher", "url", "note", NULL };
	static const char *const vocab_fields[] = { "kind", "sector", "status", "role", NULL };
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
	rc = check_object(c, src, source_fields) ||
	     check_string(c, src, "title", CHECK_REQUIRED, NULL, a, &out->source_title) ||
	     check_string(c, src, "publisher", CHECK_NULLABLE, NULL, a, &out->source_publisher) ||
	     check_string(c, src, "url", CHECK_NULLABLE, NULL, a, &out->source_url) ||
	     check_string(c, src, "note", CHECK_NULLABLE, NULL, a, &out->source_note);
	check_leave(c, mark);
	if (rc)
		return -1;
	voc = check_member(v, "vocabularies");
	if (!voc)
		return 0;
	mark = check_enter_key(c, "vocabularies");
	rc = check_object(c, voc, vocab_fields);
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
	jsonw_object_begin(w);
	jsonw_kv_string(w, "title", d->source_title);
	jsonw_kv_string(w, "publisher", d->source_publisher);
	jsonw_kv_string(w, "url", d->source_url);
	jsonw_kv_string(w, "note", d->source_note);
	jsonw_object_end(w);
	jsonw_key(w, "vocabularies");
	jsonw_object_begin(w);
	for (int k = 0; k < VOCAB_COUNT; k++) {
		if (!d->vocab[k].given)
			continue;
		jsonw_key(w, vocab_names[k]);
		jsonw_array_begin(w);
		for (size_t i = 0; i < d->vocab[k].n; i++) {
			const struct vocab_entry *e = &d->vocab[k].entries[i];

			jsonw_object_begin(w);
			jsonw_kv_string(w, "id", e->id);
			jsonw_kv_string(w, "label", e->label);
			jsonw_kv_string(w, "description", e->description);
			jsonw_object_end(w);
		}
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
