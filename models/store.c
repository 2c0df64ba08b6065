/*
 * store: loading, validating and indexing a dataset (see store.h).
 *
 * Loading runs in passes, each complete before the next: the JSON text
 * (json_parse_split), the shape and types of every record (resource_scan
 * straight from the text, resource_read from a cJSON tree for what the
 * scan leaves), the collections with their keys (duplicates are found
 * here), the references between records and to the vocabularies; then, the
 * text freed, the indexes, none of which can fail: renderings, columns and
 * the search indexes (which take the labels and names references lead to).
 * So the first fault is found before anything is built for serving, and
 * --check (store_check_*()) stops there. The passes use both cores where
 * they can (the validation beside the split, the records scanned a half on
 * each, the indexes on threads), each thread building what depends on its
 * input alone. Everything a store holds lives in its one arena. Each pass's
 * time is kept (store_phases()).
 */
#include "models/store.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hash.h"
#include "lib/json.h"
#include "lib/mem.h"
#include "lib/phase.h"
#include "lib/text.h"

/*
 * Memory a store points into, shared between generations. A loaded store
 * has one segment for everything. A write's generation adds a segment for
 * the records it read and rendered, chained to the previous generation's
 * (which the records it kept point into), and one for the arrays and
 * indexes it rebuilt; the collections it did not touch keep pointing into
 * the segments they were built in. Each pointer to a segment holds a
 * reference, so a generation is freed, and what only it used with it, when
 * its last reader leaves.
 */
struct seg {
	atomic_uint refs;
	struct arena arena;
	struct seg *prev;        /* the older records this segment's records sit beside */
};

struct store {
	struct seg *chain;                            /* the records: strings, renderings */
	struct seg *coll_seg[STORE_NCOLLECTIONS];     /* each collection's arrays and columns */
	struct seg *search_seg[STORE_NCOLLECTIONS];   /* each collection's search index */
	struct dataset dataset;
	struct collection coll[STORE_NCOLLECTIONS];
	struct collection changes;                    /* the changes feed */
	struct seg *changes_seg;                      /* where it lives */
	uint64_t digest;
	struct phases phases;                         /* how its load went */
};

/* What store_free() must have freed to give the heap's free pages back. */
#define STORE_TRIM_BYTES ((size_t)32 << 20)

/* A new segment with one reference, taking the caller's reference to prev. */
static struct seg *seg_new(struct seg *prev, size_t block)
{
	struct seg *g = xcalloc(1, sizeof(*g));

	atomic_init(&g->refs, 1);
	g->arena.block = block;
	g->prev = prev;
	return g;
}

static struct seg *seg_ref(struct seg *g)
{
	atomic_fetch_add(&g->refs, 1);
	return g;
}

/* Drops a reference; a chain is freed in a loop, however long. Returns the bytes freed. */
static size_t seg_release(struct seg *g)
{
	size_t freed = 0;

	while (g && atomic_fetch_sub(&g->refs, 1) == 1) {
		struct seg *prev = g->prev;

		freed += g->arena.used;
		arena_release(&g->arena);
		free(g);
		g = prev;
	}
	return freed;
}

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

static int scan_record(const char *p, size_t len, struct arena *a, void *base, size_t i,
		       const void *arg)
{
	const struct resource *res = arg;

	return resource_scan(res, p, len, a, (char *)base + i * res->record_size);
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
				       res->record_size, read_record, scan_record, res, &s->chain->arena,
				       &records, &n);
	else
		rc = check_array_of(c, root, res->name, CHECK_REQUIRED, res->record_size, read_record,
				    res, &s->chain->arena, &records, &n);
	if (rc)
		return -1;
	if (n >= UINT32_MAX)
		return check_fail_at(c, res->name, "too many records (%zu)", n);
	/* Records cite sources: a dataset without one has nothing to cite. */
	if (which == STORE_SOURCES && !n)
		return check_fail_at(c, res->name, "expected at least one source, got an empty array: "
				     "every record cites one");
	if (collection_build_keys(&s->coll[which], res, records, (uint32_t)n, &s->chain->arena, &first,
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

struct store_batch;
static bool batch_has(const struct store_batch *b, enum store_collection which, const char *key,
		      size_t len);

/*
 * What references are checked against: a store, and the changes of a batch
 * of writes on top of it (NULL for a store being loaded).
 */
struct view {
	const struct store *s;
	const struct store_batch *b;
};

static enum store_collection which_of(const struct resource *res)
{
	int i;

	for (i = 0; i < STORE_NCOLLECTIONS; i++)
		if (resources[i] == res)
			break;
	return (enum store_collection)i;
}

static const void *find(const struct store *s, enum store_collection which, const char *key,
			size_t len);

static bool view_has(const struct view *v, enum store_collection which, const char *key)
{
	if (v->b)
		return batch_has(v->b, which, key, strlen(key));
	return find(v->s, which, key, strlen(key)) != NULL;
}

enum store_collection store_which(const struct resource *res)
{
	return which_of(res);
}

const struct resource *store_resource(enum store_collection which)
{
	return resources[which];
}

/* The store's collection of res, which is one of resources[]. */
static const struct collection *collection_of(const struct store *s, const struct resource *res)
{
	enum store_collection w = which_of(res);

	return w < STORE_NCOLLECTIONS ? &s->coll[w] : NULL;
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
static int check_field_value(struct check *c, const struct view *vw, const struct field *f,
			     const char *v)
{
	enum store_collection target;

	if (f->vocab && dataset_vocab_check(c, &vw->s->dataset,
					    (enum vocab_kind)dataset_vocab_find(f->vocab), v))
		return -1;
	if (f->ref && (target = which_of(f->ref)) < STORE_NCOLLECTIONS && !view_has(vw, target, v))
		return check_fail(c, "unknown %s \"%s\" (not among the dataset's %s)", f->ref->singular,
				  v, f->ref->name);
	return 0;
}

/*
 * Whether check_field_value() takes v, without a word: most values are
 * good, and a million records' paths were built for nothing. kind is f's
 * vocabulary's (when it has one).
 */
static bool field_value_ok(const struct view *vw, const struct field *f, enum vocab_kind kind,
			   const char *v)
{
	enum store_collection target;

	if (f->vocab && !dataset_vocab_allows(&vw->s->dataset, kind, v))
		return false;
	return !f->ref || (target = which_of(f->ref)) >= STORE_NCOLLECTIONS ||
	       view_has(vw, target, v);
}

/* Every value of the fields of a record that name a vocabulary or other records. */
static int check_fields(struct check *c, const struct view *vw, const struct resource *res,
			const void *record)
{
	bool failed = false;

	for (size_t i = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];
		struct field_value v = { 0 };
		enum vocab_kind kind;
		size_t n, mark;
		int rc = 0;

		if (!f->vocab && !f->ref)
			continue;
		kind = f->vocab ? (enum vocab_kind)dataset_vocab_find(f->vocab) : 0;
		field_get(f, record, &v);
		n = f->type == FIELD_STRINGS ? v.list.n : !v.null;
		for (size_t j = 0; j < n && (!rc || !check_stops(c)); j++) {
			const char *value = f->type == FIELD_STRINGS ? v.list.v[j] : v.s;

			/* A bad value is told by check_field_value(), at its path. */
			if (field_value_ok(vw, f, kind, value))
				continue;
			mark = enter_field(c, f, f->type == FIELD_STRINGS ? j : SIZE_MAX);
			if (check_field_value(c, vw, f, value))
				rc = -1;
			check_leave(c, mark);
		}
		if (rc) {
			failed = true;
			if (check_stops(c))
				return -1;
		}
	}
	return failed ? -1 : 0;
}

static int check_country_ref(struct check *c, const struct view *vw, const char *code)
{
	if (view_has(vw, STORE_COUNTRIES, code))
		return 0;
	return check_fail(c, "unknown country \"%s\" (not among the dataset's countries)", code);
}

/* A person's country, at path KEY (or KEY[i] when i is not SIZE_MAX) .country. */
static int check_person_ref(struct check *c, const struct view *vw, const char *key, size_t i,
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
	rc = check_country_ref(c, vw, p->country);
	check_leave(c, mark);
	return rc;
}

/* The persons a record names, whose countries are not fields. */
static int check_persons(struct check *c, const struct view *vw, enum store_collection which,
			 const void *record)
{
	const struct meeting *m = record;
	int rc = 0;

	if (which == STORE_COUNTRIES)
		return check_person_ref(c, vw, "leader", SIZE_MAX,
					((const struct country *)record)->leader);
	if (which != STORE_MEETINGS)
		return 0;
	rc |= check_person_ref(c, vw, "counterpart", SIZE_MAX, m->counterpart);
	for (size_t j = 0; j < m->participants.n && (!rc || !check_stops(c)); j++)
		rc |= check_person_ref(c, vw, "participants", j, &m->participants.v[j]);
	for (size_t j = 0; m->delegation && j < m->delegation->members.n && (!rc || !check_stops(c)); j++)
		rc |= check_person_ref(c, vw, "delegation.members", j, &m->delegation->members.v[j]);
	return rc ? -1 : 0;
}

static const struct collection *collection_of_arg(const void *arg, const struct resource *res)
{
	return collection_of(arg, res);
}

/* The search index of collection w: the records it refers to are all read and checked. */
static void build_search_of(struct store *s, int w, struct arena *a)
{
	const struct search_context ctx = { &s->dataset, collection_of_arg, s };

	search_build(&s->coll[w].search, &s->coll[w], &ctx, a);
}

/*
 * A big collection's search index, built on a thread of its own while the
 * collections are rendered and indexed. It reads records and keys, all
 * built before it starts and not changed after, and writes only its own
 * index and arena.
 */
struct search_job {
	struct store *s;
	enum store_collection which;
	struct search_index ix;
	struct arena arena;     /* the thread's: the store's adopts it */
	pthread_t thread;
	bool running;
};

/* Collections of this many records have their search index built beside their other indexes. */
#define SEARCH_THREAD_MIN 1024

static void *search_job_run(void *arg)
{
	struct search_job *j = arg;
	const struct search_context ctx = { &j->s->dataset, collection_of_arg, j->s };

	search_build(&j->ix, &j->s->coll[j->which], &ctx, &j->arena);
	return NULL;
}

/* Starts building the search index of collection which on a thread, if it is big. */
static void search_job_start(struct search_job *j, struct store *s, enum store_collection which)
{
	*j = (struct search_job){ .s = s, .which = which };
	if (s->coll[which].n >= SEARCH_THREAD_MIN)
		j->running = !pthread_create(&j->thread, NULL, search_job_run, j);
}

/* Waits for the job's index and takes it into its collection, its memory into a. */
static void search_job_finish(struct search_job *j, struct arena *a)
{
	pthread_join(j->thread, NULL);
	j->running = false;
	j->s->coll[j->which].search = j->ix;
	arena_adopt(a, &j->arena);
}


/*
 * The changes feed of s: the rows of old (n, their renderings json) and
 * then nrows new ones, the last STORE_CHANGES_KEPT of them. The arrays go
 * in a, the new rows' renderings in the chain, beside their strings: the
 * next generation keeps them.
 */
static void build_changes(struct store *s, const struct change *old, uint32_t n,
			  const struct record_json *json, uint32_t nrows, struct arena *a)
{
	const uint32_t total = n + nrows, keep = total > STORE_CHANGES_KEPT ? STORE_CHANGES_KEPT : total;
	const uint32_t skip = total - keep;
	struct arena *chain = &s->chain->arena;
	struct change *rows = arena_calloc(a, keep ? keep : 1, sizeof(*rows));
	struct record_json *j = xcalloc(keep ? keep : 1, sizeof(*j));
	const struct search_context ctx = { &s->dataset, collection_of_arg, s };
	uint32_t dup1, dup2, k = 0;

	for (uint32_t i = skip; i < total; i++, k++) {
		if (i < n) {
			rows[k] = old[i];
			j[k] = json[i];
		} else {
			rows[k] = old[i];   /* the caller passes old and new rows in one array */
			collection_render(&change_resource, &rows[k], &j[k], chain);
		}
	}
	collection_build_rendered(&s->changes, &change_resource, rows, j, keep, NULL, a, &dup1, &dup2);
	search_build(&s->changes.search, &s->changes, &ctx, a);
	free(j);
}

static int check_references(struct store *s, struct check *c)
{
	const struct view vw = { s, NULL };

	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		const struct collection *coll = &s->coll[w];

		for (uint32_t i = 0; i < coll->n; i++) {
			const void *record = collection_record(coll, i);
			size_t mark = check_enter_key(c, coll->res->name);
			int rc;

			check_enter_index(c, i);
			rc = check_fields(c, &vw, coll->res, record) ||
			     check_persons(c, &vw, (enum store_collection)w, record);
			check_leave(c, mark);
			if (rc)
				return -1;
		}
	}
	return 0;
}

/*
 * Renders and indexes every collection, all read, keyed and cross-checked:
 * nothing here can fail. The big collections' search indexes are being
 * built meanwhile by jobs[] (search_job_start()).
 */
static void build_indexes(struct store *s, struct search_job *jobs)
{
	struct arena *a = &s->chain->arena;

	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		collection_build_indexes(&s->coll[i], &s->dataset, a);
	phases_mark(&s->phases, "render and columns");
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		if (jobs[i].running)
			search_job_finish(&jobs[i], a);
		else
			build_search_of(s, i, a);
	}
	phases_mark(&s->phases, "search index (rest)");
	build_changes(s, NULL, 0, NULL, 0, a);
	s->changes_seg = seg_ref(s->chain);
}

/* The digest of the text, on a thread of its own while the text is read (hash_wide():
 * FNV-1a, a multiply a byte, took half a second of CPU for a million deals). */
struct digest_job {
	const char *buf;
	size_t len;
	uint64_t digest;
	pthread_t thread;
	bool running;
};

static void *digest_job_run(void *arg)
{
	struct digest_job *j = arg;

	j->digest = hash_wide(j->buf, j->len);
	return NULL;
}

/* The digest, once the thread is done (or computed here if it could not start). */
static uint64_t digest_job_finish(struct digest_job *j)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	else
		digest_job_run(j);
	j->running = false;
	return j->digest;
}

/*
 * Loads the store from buf; with check_only, only what can find a fault:
 * the records, their keys and references, not their renderings, columns
 * and search indexes (a store good for store_describe() and store_free()).
 * The text is freed as soon as the records are read, before the indexes
 * are built, when the caller hands it over as owned (== buf; else NULL):
 * so a reload holds the old store, the new one, and not the text as well.
 */
static struct store *load(const char *buf, size_t len, char *owned, const char *name,
			  struct strbuf *err, bool check_only, const struct phases *ph)
{
	static const char *const top[] = { "dataset", "sources", "countries", "meetings", "deals", NULL };
	struct store *s = xcalloc(1, sizeof(*s));
	struct json_split split[STORE_NCOLLECTIONS];
	struct digest_job digest = { .buf = buf, .len = len };
	struct search_job jobs[STORE_NCOLLECTIONS] = { 0 };
	struct check c;
	const cJSON *ds;
	cJSON *root;
	size_t mark;
	int rc = -1;

	s->phases = *ph;
	s->chain = seg_new(NULL, 0);
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		s->coll_seg[i] = seg_ref(s->chain);
		s->search_seg[i] = seg_ref(s->chain);
	}
	if (!check_only)
		digest.running = !pthread_create(&digest.thread, NULL, digest_job_run, &digest);
	check_init(&c, name, err);
	/* The records are parsed one at a time: a tree of them all was larger than the store. */
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		split[i].key = resources[i]->name;
	root = json_parse_split(buf, len, name, err, split, STORE_NCOLLECTIONS);
	if (!root)
		goto out;
	phases_mark(&s->phases, "validate and split");
	if (check_object(&c, root, top))
		goto out;
	ds = check_member(root, "dataset");
	if (!ds) {
		check_fail(&c, "missing required field \"dataset\"");
		goto out;
	}
	mark = check_enter_key(&c, "dataset");
	rc = dataset_from_json(&c, ds, &s->chain->arena, &s->dataset);
	check_leave(&c, mark);
	if (rc)
		goto out;
	rc = -1;
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		if (read_collection(s, &c, root, buf, &split[i], (enum store_collection)i))
			goto out;
	phases_mark(&s->phases, "read records");
	if (!check_only) {
		/* Every record is read: the text goes before the indexes come. */
		s->digest = digest_job_finish(&digest);
		phases_mark(&s->phases, "digest (rest)");
		cJSON_Delete(root);
		root = NULL;
		json_split_release(split, STORE_NCOLLECTIONS);
		free(owned);
		owned = NULL;
		phases_mark(&s->phases, "free the text");
		/* The search indexes need records and keys only: they start beside
		 * the check of the references, and are thrown away if it fails. */
		for (int i = 0; i < STORE_NCOLLECTIONS; i++)
			search_job_start(&jobs[i], s, (enum store_collection)i);
	}
	if (check_references(s, &c))
		goto out;
	phases_mark(&s->phases, "references");
	rc = 0;
	if (!check_only)
		build_indexes(s, jobs);
out:
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		if (jobs[i].running)
			search_job_finish(&jobs[i], &s->chain->arena);
	if (digest.running)
		digest_job_finish(&digest);
	cJSON_Delete(root);
	json_split_release(split, STORE_NCOLLECTIONS);
	free(owned);
	check_release(&c);
	/* The parse tree was larger than the store: give its pages back, or they
	 * stay in the process (glibc keeps freed memory for reuse). */
	malloc_trim(0);
	if (rc) {
		store_free(s);
		return NULL;
	}
	phases_mark(&s->phases, "trim");
	return s;
}

struct store *store_load_buffer(const char *buf, size_t len, const char *name,
				struct strbuf *err)
{
	struct phases ph;

	phases_start(&ph);
	return load(buf, len, NULL, name, err, false, &ph);
}

int store_check_buffer(const char *buf, size_t len, const char *name, struct strbuf *err,
		       struct strbuf *summary)
{
	struct phases ph;
	struct store *s;

	phases_start(&ph);
	s = load(buf, len, NULL, name, err, true, &ph);

	if (!s)
		return -1;
	store_describe(s, summary);
	store_free(s);
	return 0;
}

/* What a file that is not a regular file is, for messages. */
static const char *file_kind(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISDIR(mode) ? "a directory" : S_ISSOCK(mode) ? "a socket"
	       : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device" : "not a file";
}

/* Reads the data file at path into a new *buf (free with free()). Returns 0, or -1 after reporting. */
static int read_file(const char *path, struct strbuf *err, char **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int rc = -1;
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
	*buf = xmalloc((size_t)st.st_size + 1);
	got = fread(*buf, 1, (size_t)st.st_size + 1, f);
	if (ferror(f)) {
		strbuf_addf(err, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	/* The file changed under us (grew): refuse rather than load part of it. */
	if (got != (size_t)st.st_size) {
		strbuf_addf(err, "%s: the file changed while it was read; try again", path);
		goto out;
	}
	*len = got;
	rc = 0;
out:
	if (f)
		fclose(f);
	if (rc) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

struct store *store_load_file(const char *path, struct strbuf *err)
{
	char *buf = NULL;
	struct phases ph;
	size_t len;

	phases_start(&ph);
	if (read_file(path, err, &buf, &len))
		return NULL;
	phases_mark(&ph, "read the file");
	return load(buf, len, buf, path, err, false, &ph);
}

int store_check_file(const char *path, struct strbuf *err, struct strbuf *summary)
{
	char *buf = NULL;
	size_t len;
	int rc = -1;

	if (!read_file(path, err, &buf, &len))
		rc = store_check_buffer(buf, len, path, err, summary);
	free(buf);
	return rc;
}

void store_free(struct store *s)
{
	size_t freed = 0;

	if (!s)
		return;
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		freed += seg_release(s->coll_seg[i]);
		freed += seg_release(s->search_seg[i]);
	}
	freed += seg_release(s->changes_seg);
	freed += seg_release(s->chain);
	free(s);
	/* A reload's old store: its pages go back too. Not after each write's
	 * generation, whose few segments are small: a trim walks the whole heap. */
	if (freed >= STORE_TRIM_BYTES)
		malloc_trim(0);
}

const struct collection *store_changes(const struct store *s)
{
	return &s->changes;
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

const struct phases *store_phases(const struct store *s)
{
	return &s->phases;
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
	/* Each segment once: the chain, then the index segments not in it. */
	size_t n = sizeof(*s);
	const struct seg *seen[2 * STORE_NCOLLECTIONS];
	size_t nseen = 0;

	for (const struct seg *g = s->chain; g; g = g->prev)
		n += g->arena.used;
	for (int i = 0; i < 2 * STORE_NCOLLECTIONS; i++) {
		const struct seg *g = i < STORE_NCOLLECTIONS ? s->coll_seg[i]
							    : s->search_seg[i - STORE_NCOLLECTIONS];
		bool dup = false;

		for (const struct seg *c = s->chain; c && !dup; c = c->prev)
			dup = c == g;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = seen[k] == g;
		if (!dup) {
			seen[nseen++] = g;
			n += g->arena.used;
		}
	}
	return n;
}

/* ---- writes: the next generation from the current one ---- */

/* A record a batch puts (record set) or deletes (record NULL). */
struct pending {
	const char *key;              /* in the batch's arena */
	void *record;
	struct record_json json;
	bool placed;                  /* store_batch_commit(): taken into the new array */
};

/* A batch's changes to one collection, by key. */
struct overlay {
	struct pending *v;
	size_t n, alloc;
	uint32_t *slots;              /* index in v + 1; 0 empty */
	size_t nslots;
	int64_t count;                /* the collection's records once the batch is applied */
};

struct store_batch {
	const struct store *base;
	struct seg *data;             /* what the batch reads and renders; the next chain head */
	struct overlay ov[STORE_NCOLLECTIONS];
	uint64_t digest;
	bool defer_refs;              /* replaying: references are checked once, at the end */
	struct change *log;           /* rows for the changes feed */
	size_t nlog, log_alloc;
};

/* The pending change to key in collection w, or NULL. */
static struct pending *overlay_find(const struct store_batch *b, enum store_collection w,
				    const char *key, size_t len)
{
	const struct overlay *o = &b->ov[w];
	const bool fold = resources[w]->key_casefold;
	size_t mask, i;

	if (!o->nslots)
		return NULL;
	mask = o->nslots - 1;
	for (i = collection_key_hash(key, len, fold) & mask; o->slots[i]; i = (i + 1) & mask)
		if (collection_key_equal(o->v[o->slots[i] - 1].key, key, len, fold))
			return &o->v[o->slots[i] - 1];
	return NULL;
}

static void overlay_grow(struct overlay *o, bool fold)
{
	size_t nslots = o->nslots ? 2 * o->nslots : 16, mask = nslots - 1;

	free(o->slots);
	o->slots = xcalloc(nslots, sizeof(*o->slots));
	o->nslots = nslots;
	for (size_t k = 0; k < o->n; k++) {
		size_t i = collection_key_hash(o->v[k].key, strlen(o->v[k].key), fold) & mask;

		while (o->slots[i])
			i = (i + 1) & mask;
		o->slots[i] = (uint32_t)k + 1;
	}
}

/* Records the change to key (record NULL: deleted), replacing an earlier one of the batch. */
static void overlay_set(struct store_batch *b, enum store_collection w, const char *key,
			void *record, const struct record_json *json)
{
	struct overlay *o = &b->ov[w];
	const bool fold = resources[w]->key_casefold;
	struct pending *p = overlay_find(b, w, key, strlen(key));
	bool existed = p ? p->record != NULL
			 : find(b->base, w, key, strlen(key)) != NULL;

	if (!p) {
		size_t mask, i;

		if (2 * (o->n + 1) > o->nslots)
			overlay_grow(o, fold);
		if (o->n == o->alloc) {
			o->alloc = o->alloc ? 2 * o->alloc : 8;
			o->v = xreallocarray(o->v, o->alloc, sizeof(*o->v));
		}
		p = &o->v[o->n];
		memset(p, 0, sizeof(*p));
		p->key = arena_strdup(&b->data->arena, key);
		mask = o->nslots - 1;
		for (i = collection_key_hash(key, strlen(key), fold) & mask; o->slots[i]; i = (i + 1) & mask)
			;
		o->slots[i] = (uint32_t)++o->n;
	}
	p->record = record;
	if (json)
		p->json = *json;
	o->count += (record != NULL) - existed;
	/* The digest names the generation: lists' ETags change with it. */
	b->digest = hash_bytes(b->digest, key, strlen(key));
	b->digest = hash_bytes(b->digest, json ? json->json : "-", json ? json->len : 1);
}

static bool batch_has(const struct store_batch *b, enum store_collection which, const char *key,
		      size_t len)
{
	const struct pending *p = overlay_find(b, which, key, len);

	if (p)
		return p->record != NULL;
	return find(b->base, which, key, len) != NULL;
}

struct store_batch *store_batch_new(const struct store *s)
{
	struct store_batch *b = xcalloc(1, sizeof(*b));

	b->base = s;
	/* Small blocks: a batch often reads one record. */
	b->data = seg_new(seg_ref(s->chain), 4096);
	for (int w = 0; w < STORE_NCOLLECTIONS; w++)
		b->ov[w].count = s->coll[w].n;
	b->digest = s->digest;
	return b;
}

void store_batch_free(struct store_batch *b)
{
	if (!b)
		return;
	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		free(b->ov[w].v);
		free(b->ov[w].slots);
	}
	free(b->log);
	seg_release(b->data);
	free(b);
}

bool store_batch_get(const struct store_batch *b, enum store_collection which, const char *key,
		     size_t len, struct store_record *out)
{
	const struct pending *p = overlay_find(b, which, key, len);
	const struct collection *c = &b->base->coll[which];
	int64_t i;

	if (p) {
		if (!p->record)
			return false;
		out->record = p->record;
		out->json = p->json.json;
		out->len = p->json.len;
		out->etag = p->json.hash;
		out->key = p->key;
		return true;
	}
	if (!c->slots || (i = collection_find(c, key, len)) < 0)
		return false;
	out->record = collection_record(c, (uint32_t)i);
	out->json = c->json[i].json;
	out->len = c->json[i].len;
	out->etag = c->json[i].hash;
	out->key = c->res->get_key(out->record);
	return true;
}

int store_batch_put(struct store_batch *b, enum store_collection which, const cJSON *v,
		    struct check *c, struct store_record *out)
{
	const struct resource *res = resources[which];
	const struct view vw = { b->base, b };
	struct arena *a = &b->data->arena;
	void *record = arena_calloc(a, 1, res->record_size);
	struct record_json json;
	const char *key;

	int bad = resource_read(res, c, v, a, record);

	/*
	 * References resolve against the store with the batch's earlier changes.
	 * A collecting check looks at them even when the shape is bad: what was
	 * read of the record has its references checked, the rest is absent.
	 */
	if (!b->defer_refs && (!bad || !check_stops(c)))
		bad |= check_fields(c, &vw, res, record) | check_persons(c, &vw, which, record);
	if (bad)
		return -1;
	collection_render(res, record, &json, a);
	key = res->get_key(record);
	overlay_set(b, which, key, record, &json);
	return store_batch_get(b, which, key, strlen(key), out) ? 0 : -1;
}

/* Whether record (of collection w) names key of collection target, through a field or a person. */
static bool refers_to(enum store_collection w, const void *record, enum store_collection target,
		      const char *key)
{
	const struct resource *res = resources[w];
	const bool fold = resources[target]->key_casefold;

	for (size_t i = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];
		struct field_value v = { 0 };

		if (f->ref != resources[target])
			continue;
		field_get(f, record, &v);
		if (f->type == FIELD_STRINGS) {
			for (size_t j = 0; j < v.list.n; j++)
				if (collection_key_equal(v.list.v[j], key, strlen(key), fold))
					return true;
		} else if (!v.null && collection_key_equal(v.s, key, strlen(key), fold)) {
			return true;
		}
	}
	if (target == STORE_COUNTRIES && w == STORE_COUNTRIES) {
		const struct person *p = ((const struct country *)record)->leader;

		return p && p->country && collection_key_equal(p->country, key, strlen(key), true);
	}
	if (target == STORE_COUNTRIES && w == STORE_MEETINGS) {
		const struct meeting *m = record;
		const struct person *p = m->counterpart;

		if (p && p->country && collection_key_equal(p->country, key, strlen(key), true))
			return true;
		for (size_t j = 0; j < m->participants.n; j++)
			if (m->participants.v[j].country &&
			    collection_key_equal(m->participants.v[j].country, key, strlen(key), true))
				return true;
		for (size_t j = 0; m->delegation && j < m->delegation->members.n; j++)
			if (m->delegation->members.v[j].country &&
			    collection_key_equal(m->delegation->members.v[j].country, key, strlen(key), true))
				return true;
	}
	return false;
}

/* Whether any field of collection w refers to target. */
static bool has_ref_field(enum store_collection w, enum store_collection target)
{
	for (size_t i = 0; i < resources[w]->nfields; i++)
		if (resources[w]->fields[i].ref == resources[target])
			return true;
	return false;
}

#define REFERRERS_NAMED 10

static void name_referrer(struct strbuf *out, size_t *n, enum store_collection w, const char *key)
{
	if (*n < REFERRERS_NAMED)
		strbuf_addf(out, "%s%s/%s", *n ? ", " : "", resources[w]->name, key);
	(*n)++;
}

/* Names (in names, counted in *n) the records of the store as the batch sees it that name k. */
static void referrers(const struct store_batch *b, enum store_collection which, const char *k,
		      struct strbuf *names, size_t *n)
{
	const struct store *s = b->base;

	/* The store's records (those the batch changes are looked at as changed), then the batch's. */
	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		const struct collection *c = &s->coll[w];
		const struct overlay *o = &b->ov[w];
		const bool persons = which == STORE_COUNTRIES &&
				     (w == STORE_COUNTRIES || w == STORE_MEETINGS);

		if (!has_ref_field((enum store_collection)w, which) && !persons)
			continue;
		for (uint32_t r = 0; r < c->n; r++) {
			const void *rec = collection_record(c, r);
			const char *rk = c->res->get_key(rec);

			if (!overlay_find(b, (enum store_collection)w, rk, strlen(rk)) &&
			    refers_to((enum store_collection)w, rec, which, k))
				name_referrer(names, n, (enum store_collection)w, rk);
		}
		for (size_t i = 0; i < o->n; i++)
			if (o->v[i].record && refers_to((enum store_collection)w, o->v[i].record, which, k))
				name_referrer(names, n, (enum store_collection)w, o->v[i].key);
	}
}

int store_batch_delete(struct store_batch *b, enum store_collection which, const char *key,
		       size_t len, struct strbuf *why)
{
	struct strbuf names = STRBUF_INIT;
	char *k = xmalloc(len + 1);
	size_t n = 0;
	int rc = -1;

	memcpy(k, key, len);
	k[len] = '\0';
	if (b->defer_refs) {
		/* A replay: deleting what is gone already is done. */
		if (batch_has(b, which, k, len))
			overlay_set(b, which, k, NULL, NULL);
		free(k);
		return 0;
	}
	referrers(b, which, k, &names, &n);
	if (n) {
		strbuf_addf(why, "%s \"%s\" is referenced by %zu record%s: %s%s; change or delete %s first",
			    resources[which]->singular, k, n, n == 1 ? "" : "s", names.buf,
			    n > REFERRERS_NAMED ? ", ..." : "", n == 1 ? "it" : "them");
		goto out;
	}
	if (which == STORE_SOURCES && b->ov[which].count <= 1) {
		strbuf_addf(why, "source \"%s\" is the dataset's last source; a dataset keeps at least one",
			    k);
		goto out;
	}
	overlay_set(b, which, k, NULL, NULL);
	rc = 0;
out:
	strbuf_release(&names);
	free(k);
	return rc;
}

static const char *dup_or_null(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

void store_batch_log(struct store_batch *b, const struct change *c)
{
	struct arena *a = &b->data->arena;
	struct change *r;
	char key[24];

	if (b->nlog == b->log_alloc) {
		b->log_alloc = b->log_alloc ? 2 * b->log_alloc : 8;
		b->log = xreallocarray(b->log, b->log_alloc, sizeof(*b->log));
	}
	r = &b->log[b->nlog++];
	r->seq = c->seq;
	r->at = dup_or_null(a, c->at);
	r->writer = dup_or_null(a, c->writer);
	r->op = dup_or_null(a, c->op);
	r->collection = dup_or_null(a, c->collection);
	r->id = dup_or_null(a, c->id);
	r->etag = dup_or_null(a, c->etag);
	snprintf(key, sizeof(key), "%lld", (long long)c->seq);
	r->seq_key = arena_strdup(a, key);
	b->digest = hash_bytes(b->digest, key, strlen(key));
}

void store_batch_defer_refs(struct store_batch *b)
{
	b->defer_refs = true;
}

int store_batch_check_refs(const struct store_batch *b, struct strbuf *err)
{
	const struct view vw = { b->base, b };

	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		const struct overlay *o = &b->ov[w];

		for (size_t i = 0; i < o->n; i++) {
			const struct pending *p = &o->v[i];
			struct strbuf names = STRBUF_INIT;
			size_t n = 0;
			struct check c;
			int rc;

			if (p->record) {
				check_init(&c, resources[w]->name, err);
				check_enter_key(&c, p->key);
				rc = check_fields(&c, &vw, resources[w], p->record) ||
				     check_persons(&c, &vw, (enum store_collection)w, p->record);
				check_release(&c);
				if (rc)
					return -1;
				continue;
			}
			referrers(b, (enum store_collection)w, p->key, &names, &n);
			if (n)
				strbuf_addf(err, "%s/%s: deleted, yet %s refer%s to it", resources[w]->name,
					    p->key, names.buf, n == 1 ? "s" : "");
			strbuf_release(&names);
			if (n)
				return -1;
		}
	}
	return 0;
}

bool store_batch_empty(const struct store_batch *b)
{
	for (int w = 0; w < STORE_NCOLLECTIONS; w++)
		if (b->ov[w].n)
			return false;
	return !b->nlog;
}

/*
 * Builds collection w of ns: the base's records in order, changed in place,
 * the new ones after. Returns where each record was in the base (UINT32_MAX:
 * new or changed); free it.
 */
static uint32_t *commit_collection(struct store_batch *b, struct store *ns, int w, struct arena *a)
{
	const struct collection *old = &b->base->coll[w];
	struct overlay *o = &b->ov[w];
	const struct resource *res = resources[w];
	const size_t size = res->record_size;
	const uint32_t n = (uint32_t)o->count;
	char *records = arena_calloc(a, n ? n : 1, size);
	struct record_json *json = xcalloc(n ? n : 1, sizeof(*json));
	uint32_t *from = xcalloc(n ? n : 1, sizeof(*from));
	uint32_t k = 0, dup1, dup2;

	for (uint32_t r = 0; r < old->n; r++) {
		const void *rec = collection_record(old, r);
		const char *rk = res->get_key(rec);
		struct pending *p = overlay_find(b, (enum store_collection)w, rk, strlen(rk));

		if (p && !p->record)
			continue;
		if (p) {
			memcpy(records + (size_t)k * size, p->record, size);
			json[k] = p->json;
			from[k] = UINT32_MAX;
			p->placed = true;
		} else {
			memcpy(records + (size_t)k * size, rec, size);
			json[k] = old->json[r];
			from[k] = r;
		}
		k++;
	}
	for (size_t i = 0; i < o->n; i++) {
		if (o->v[i].record && !o->v[i].placed) {
			memcpy(records + (size_t)k * size, o->v[i].record, size);
			from[k] = UINT32_MAX;
			json[k++] = o->v[i].json;
		}
	}
	/* Keys are unique: the overlay holds one change per key. The columns grow from the old ones. */
	collection_build_from(&ns->coll[w], res, records, json, k, old, from, &ns->dataset, a, &dup1,
			      &dup2);
	free(json);
	return from;
}

/* Whether collection w's search index reads names from another collection the batch changed. */
static bool search_names_changed(const struct store_batch *b, int w)
{
	for (size_t i = 0; i < resources[w]->nfields; i++) {
		const struct field *f = &resources[w]->fields[i];

		if (f->ref && f->search != SEARCH_NONE && b->ov[which_of(f->ref)].n)
			return true;
	}
	return false;
}

struct store *store_batch_commit(struct store_batch *b)
{
	const struct store *base = b->base;
	struct store *ns = xcalloc(1, sizeof(*ns));
	struct seg *own = seg_new(NULL, 0);
	uint32_t *from[STORE_NCOLLECTIONS] = { NULL };

	ns->chain = b->data;
	b->data = NULL;
	ns->dataset = base->dataset;
	ns->digest = b->digest;
	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		if (b->ov[w].n) {
			from[w] = commit_collection(b, ns, w, &own->arena);
			ns->coll_seg[w] = seg_ref(own);
		} else {
			ns->coll[w] = base->coll[w];
			ns->coll_seg[w] = seg_ref(base->coll_seg[w]);
		}
	}
	/* Search last: a record's searched text takes names from the new generation. */
	for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
		if (search_names_changed(b, w)) {
			build_search_of(ns, w, &own->arena);
			ns->search_seg[w] = seg_ref(own);
		} else if (from[w]) {
			/* Only the changed records' text is folded again. */
			const struct search_context ctx = { &ns->dataset, collection_of_arg, ns };

			search_build_from(&ns->coll[w].search, &ns->coll[w], &base->coll[w].search, from[w],
					  &ctx, &own->arena);
			ns->search_seg[w] = seg_ref(own);
		} else {
			ns->coll[w].search = base->coll[w].search;
			ns->search_seg[w] = seg_ref(base->search_seg[w]);
		}
	}
	if (b->nlog) {
		const struct collection *old = &base->changes;
		struct change *rows = xcalloc((size_t)old->n + b->nlog, sizeof(*rows));

		memcpy(rows, old->records, (size_t)old->n * sizeof(*rows));
		memcpy(rows + old->n, b->log, b->nlog * sizeof(*rows));
		/* The new rows' strings are in the batch's segment, now the chain's head. */
		build_changes(ns, rows, old->n, old->json, (uint32_t)b->nlog, &own->arena);
		ns->changes_seg = seg_ref(own);
		free(rows);
	} else {
		ns->changes = base->changes;
		ns->changes_seg = seg_ref(base->changes_seg);
	}
	for (int w = 0; w < STORE_NCOLLECTIONS; w++)
		free(from[w]);
	seg_release(own);
	store_batch_free(b);
	return ns;
}

/* ---- the data file, written back ---- */

void store_render_file(const struct store *s, struct strbuf *out)
{
	struct jsonw w;

	strbuf_addstr(out, "{\"dataset\":");
	jsonw_init(&w, out, false);
	dataset_to_json(&w, &s->dataset);
	jsonw_release(&w);
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		const struct collection *c = &s->coll[i];

		strbuf_addf(out, ",\n\"%s\":[", c->res->name);
		for (uint32_t r = 0; r < c->n; r++) {
			strbuf_addstr(out, r ? ",\n" : "\n");
			strbuf_add(out, c->json[r].json, c->json[r].len);
		}
		strbuf_addstr(out, c->n ? "\n]" : "]");
	}
	strbuf_addstr(out, "}\n");
}
