/*
 * store: loading, validating and indexing a dataset (see store.h).
 *
 * Loading runs in five passes, each complete before the next: the JSON text
 * (json_parse), the shape and types of every record (resource_read), the
 * collections with their keys (duplicates are found here), the references
 * between records and to the vocabularies, and the search indexes (which
 * take the labels and names references lead to). Everything a store holds
 * lives in its one arena.
 */
#include "models/store.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hash.h"
#include "lib/json.h"
#include "lib/mem.h"

struct store {
	struct arena arena;
	struct dataset dataset;
	struct collection coll[STORE_NCOLLECTIONS];
	uint64_t digest;
};

static const struct resource *const resources[STORE_NCOLLECTIONS] = {
	[STORE_SOURCES] = &source_resource,
	[STORE_COUNTRIES] = &country_resource,
	[STORE_MEETINGS] = &meeting_resource,
	[STORE_DEALS] = &deal_resource,
};

static int read_record(struct check *c, const cJSON *e, struct arena *a, void *base, size_t i,
		       const void *arg)
{
	const struct resource *res = arg;

	return resource_read(res, c, e, a, (char *)base + i * res->record_size);
}

/*
 * Reads the collection which from root, or, where json_parse_split() left
 * its array out of the tree, from split's elements in buf, one at a time.
 */
static int read_collection(struct store *s, struct check *c, const cJSON *root, const char *buf,
			   const struct json_split *split, enum store_collection which)
{
	const struct resource *res = resources[which];
	uint32_t first, second;
	void *records;
	size_t n, mark;
	int rc;

	if (split->found)
		rc = check_array_split(c, root, res->name, CHECK_REQUIRED, buf, split,
				       res->record_size, read_record, res, &s->arena, &records, &n);
	else
		rc = check_array_of(c, root, res->name, CHECK_REQUIRED, res->record_size, read_record,
				    res, &s->arena, &records, &n);
	if (rc)
		return -1;
	if (n >= UINT32_MAX)
		return check_fail_at(c, res->name, "too many records (%zu)", n);
	/* Records cite sources: a dataset without one has nothing to cite. */
	if (which == STORE_SOURCES && !n)
		return check_fail_at(c, res->name, "expected at least one source, got an empty array: "
				     "every record cites one");
	if (collection_build(&s->coll[which], res, records, (uint32_t)n, &s->dataset, &s->arena, &first,
			     &second)) {
		mark = check_enter_key(c, res->name);
		check_enter_index(c, second);
		check_enter_key(c, res->key);
		check_fail(c, "duplicate %s \"%s\" (first at %s[%u])", res->key,
			   res->get_key(collection_record(&s->coll[which], second)), res->name, first);
		check_leave(c, mark);
		return -1;
	}
	return 0;
}

/* ---- references ---- */

/* The store's collection of res, which is one of resources[]. */
static const struct collection *collection_of(const struct store *s, const struct resource *res)
{
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		if (resources[i] == res)
			return &s->coll[i];
	return NULL;
}

/*
 * Steps into the path of field f of a record, at element i of an array
 * field (SIZE_MAX for a scalar): "status", "value.basis", "topics[2]",
 * "evidence[1].source" (a dotted array field lists a member of each element).
 */
static size_t enter_field(struct check *c, const struct field *f, size_t i)
{
	const char *dot = strchr(f->name, '.');
	size_t mark;

	if (i == SIZE_MAX)
		return check_enter_key(c, f->name);
	mark = check_enter_key_len(c, f->name, dot ? (size_t)(dot - f->name) : strlen(f->name));
	check_enter_index(c, i);
	if (dot)
		check_enter_key(c, dot + 1);
	return mark;
}

/* One value of f: an id of its vocabulary, a key of the records it refers to. */
static int check_field_value(struct check *c, const struct store *s, const struct field *f,
			     const char *v)
{
	const struct collection *target;

	if (f->vocab && dataset_vocab_check(c, &s->dataset,
					    (enum vocab_kind)dataset_vocab_find(f->vocab), v))
		return -1;
	if (f->ref && (target = collection_of(s, f->ref)) && collection_find(target, v, strlen(v)) < 0)
		return check_fail(c, "unknown %s \"%s\" (not among the dataset's %s)", f->ref->singular,
				  v, f->ref->name);
	return 0;
}

/* Every value of the fields of a record that name a vocabulary or other records. */
static int check_fields(struct check *c, const struct store *s, const struct resource *res,
			const void *record)
{
	for (size_t i = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];
		struct field_value v = { 0 };
		size_t n, mark;
		int rc = 0;

		if (!f->vocab && !f->ref)
			continue;
		field_get(f, record, &v);
		n = f->type == FIELD_STRINGS ? v.list.n : !v.null;
		for (size_t j = 0; j < n && !rc; j++) {
			mark = enter_field(c, f, f->type == FIELD_STRINGS ? j : SIZE_MAX);
			rc = check_field_value(c, s, f, f->type == FIELD_STRINGS ? v.list.v[j] : v.s);
			check_leave(c, mark);
		}
		if (rc)
			return -1;
	}
	return 0;
}

static int check_country_ref(struct check *c, const struct store *s, const char *code)
{
	if (store_find_country(s, code, strlen(code)))
		return 0;
	return check_fail(c, "unknown country \"%s\" (not among the dataset's countries)", code);
}

/* A person's country, at path KEY (or KEY[i] when i is not SIZE_MAX) .country. */
static int check_person_ref(struct check *c, const struct store *s, const char *key, size_t i,
			    const struct person *p)
{
	size_t mark;
	int rc;

	if (!p || !p->country)
		return 0;
	mark = check_enter_key(c, key);
	if (i != SIZE_MAX)
		check_enter_index(c, i);
	check_enter_key(c, "country");
	rc = check_country_ref(c, s, p->country);
	check_leave(c, mark);
	return rc;
}

/* The persons a record names, whose countries are not fields. */
static int check_persons(struct check *c, const struct store *s, enum store_collection which,
			 const void *record)
{
	const struct meeting *m = record;
	int rc = 0;

	if (which == STORE_COUNTRIES)
		return check_person_ref(c, s, "leader", SIZE_MAX, ((const struct country *)record)->leader);
	if (which != STORE_MEETINGS)
		return 0;
	rc = check_person_ref(c, s, "counterpart", SIZE_MAX, m->counterpart);
	for (size_t j = 0; j < m->participants.n && !rc; j++)
		rc = check_person_ref(c, s, "participants", j, &m->participants.v[j]);
	for (size_t j = 0; m->delegation && j < m->delegation->members.n && !rc; j++)
		rc = check_person_ref(c, s, "delegation.members", j, &m->delegation->members.v[j]);
	return rc;
}

static const struct collection *collection_of_arg(const void *arg, const struct resource *res)
{
	return collection_of(arg, res);
}

/* The search index of every collection: the records they refer to are all read and checked. */
static void build_search(struct store *s)
{
	const struct search_context ctx = { &s->dataset, collection_of_arg, s };

	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		search_build(&s->coll[i].search, &s->coll[i], &ctx, &s->arena);
}

static int check_references(struct store *s, struct check *c)
{
	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		const struct collection *coll = &s->coll[w];

		for (uint32_t i = 0; i < coll->n; i++) {
			const void *record = collection_record(coll, i);
			size_t mark = check_enter_key(c, coll->res->name);
			int rc;

			check_enter_index(c, i);
			rc = check_fields(c, s, coll->res, record) ||
			     check_persons(c, s, (enum store_collection)w, record);
			check_leave(c, mark);
			if (rc)
				return -1;
		}
	}
	return 0;
}

struct store *store_load_buffer(const char *buf, size_t len, const char *name,
				struct strbuf *err)
{
	static const char *const top[] = { "dataset", "sources", "countries", "meetings", "deals", NULL };
	struct store *s = xcalloc(1, sizeof(*s));
	struct json_split split[STORE_NCOLLECTIONS];
	struct check c;
	const cJSON *ds;
	cJSON *root;
	size_t mark;
	int rc = -1;

	check_init(&c, name, err);
	/* The records are parsed one at a time: a tree of them all was larger than the store. */
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		split[i].key = resources[i]->name;
	root = json_parse_split(buf, len, name, err, split, STORE_NCOLLECTIONS);
	if (!root)
		goto out;
	if (check_object(&c, root, top))
		goto out;
	ds = check_member(root, "dataset");
	if (!ds) {
		check_fail(&c, "missing required field \"dataset\"");
		goto out;
	}
	mark = check_enter_key(&c, "dataset");
	rc = dataset_from_json(&c, ds, &s->arena, &s->dataset);
	check_leave(&c, mark);
	if (rc)
		goto out;
	rc = -1;
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		if (read_collection(s, &c, root, buf, &split[i], (enum store_collection)i))
			goto out;
	if (check_references(s, &c))
		goto out;
	build_search(s);
	s->digest = hash_bytes(HASH_SEED, buf, len);
	rc = 0;
out:
	cJSON_Delete(root);
	json_split_release(split, STORE_NCOLLECTIONS);
	check_release(&c);
	/* The parse tree was larger than the store: give its pages back, or they
	 * stay in the process (glibc keeps freed memory for reuse). */
	malloc_trim(0);
	if (rc) {
		store_free(s);
		return NULL;
	}
	return s;
}

/* What a file that is not a regular file is, for messages. */
static const char *file_kind(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISDIR(mode) ? "a directory" : S_ISSOCK(mode) ? "a socket"
	       : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device" : "not a file";
}

struct store *store_load_file(const char *path, struct strbuf *err)
{
	struct store *s = NULL;
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (a regular file ignores it). */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;

	if (!f) {
		strbuf_addf(err, "%s: cannot open: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if (fstat(fileno(f), &st)) {
		strbuf_addf(err, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		strbuf_addf(err, "%s: not a regular file (%s)", path, file_kind(st.st_mode));
		goto out;
	}
	if ((size_t)st.st_size > STORE_MAX_FILE_BYTES) {
		strbuf_addf(err, "%s: the file is larger than %zu MiB", path,
			    STORE_MAX_FILE_BYTES >> 20);
		goto out;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	got = fread(buf, 1, (size_t)st.st_size + 1, f);
	if (ferror(f)) {
		strbuf_addf(err, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	/* The file changed under us (grew): refuse rather than load part of it. */
	if (got != (size_t)st.st_size) {
		strbuf_addf(err, "%s: the file changed while it was read; try again", path);
		goto out;
	}
	s = store_load_buffer(buf, got, path, err);
out:
	if (f)
		fclose(f);
	free(buf);
	return s;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	arena_release(&s->arena);
	free(s);
	/* A reload's old store: its pages go back too. */
	malloc_trim(0);
}

const struct dataset *store_dataset(const struct store *s)
{
	return &s->dataset;
}

const struct collection *store_collection(const struct store *s, enum store_collection which)
{
	return &s->coll[which];
}

static const void *find(const struct store *s, enum store_collection which, const char *key,
			size_t len)
{
	const struct collection *c = &s->coll[which];
	int64_t i;

	if (!c->slots)
		return NULL;
	i = collection_find(c, key, len);
	return i < 0 ? NULL : collection_record(c, (uint32_t)i);
}

const struct source *store_find_source(const struct store *s, const char *id, size_t len)
{
	return find(s, STORE_SOURCES, id, len);
}

const struct country *store_find_country(const struct store *s, const char *code, size_t len)
{
	return find(s, STORE_COUNTRIES, code, len);
}

const struct meeting *store_find_meeting(const struct store *s, const char *id, size_t len)
{
	return find(s, STORE_MEETINGS, id, len);
}

const struct deal *store_find_deal(const struct store *s, const char *id, size_t len)
{
	return find(s, STORE_DEALS, id, len);
}

uint64_t store_digest(const struct store *s)
{
	return s->digest;
}

void store_describe(const struct store *s, struct strbuf *out)
{
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		strbuf_addf(out, "%s%u %s", i ? ", " : "", s->coll[i].n,
			    s->coll[i].n == 1 ? s->coll[i].res->singular : s->coll[i].res->name);
}

size_t store_memory(const struct store *s)
{
	return s->arena.used + sizeof(*s);
}
