/*
 * collection: rendering and indexing one resource's records (see collection.h).
 */
#include "models/collection.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/mem.h"
#include "lib/radix.h"
#include "lib/strbuf.h"
#include "lib/text.h"

uint64_t collection_key_hash(const char *s, size_t len, bool fold)
{
	uint64_t h = HASH_SEED;

	if (!fold)
		return hash_bytes(h, s, len);
	for (size_t i = 0; i < len; i++) {
		char ch = ascii_lower(s[i]);

		h = hash_bytes(h, &ch, 1);
	}
	return h;
}

bool collection_key_equal(const char *a, const char *b, size_t blen, bool fold)
{
	size_t alen = strlen(a);

	return fold ? ascii_caseeq(a, alen, b, blen) : alen == blen && memcmp(a, b, blen) == 0;
}

int64_t collection_find(const struct collection *c, const char *key, size_t len)
{
	const bool fold = c->res->key_casefold;
	size_t mask = c->nslots - 1;
	size_t i = collection_key_hash(key, len, fold) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t slot = c->slots[i];

		if (!slot)
			return -1;
		if (collection_key_equal(c->res->get_key(collection_record(c, slot - 1)), key, len, fold))
			return slot - 1;
	}
}

static int build_keys(struct collection *c, struct arena *a, uint32_t *first, uint32_t *second)
{
	const bool fold = c->res->key_casefold;
	size_t mask;

	c->nslots = 16;
	while (c->nslots < 2 * (size_t)c->n)
		c->nslots *= 2;
	c->slots = arena_calloc(a, c->nslots, sizeof(*c->slots));
	mask = c->nslots - 1;
	for (uint32_t r = 0; r < c->n; r++) {
		const char *key = c->res->get_key(collection_record(c, r));
		size_t len = strlen(key);
		size_t i = collection_key_hash(key, len, fold) & mask;

		for (; c->slots[i]; i = (i + 1) & mask) {
			const char *other = c->res->get_key(collection_record(c, c->slots[i] - 1));

			if (collection_key_equal(other, key, len, fold)) {
				*first = c->slots[i] - 1;
				*second = r;
				return -1;
			}
		}
		c->slots[i] = r + 1;
	}
	return 0;
}

int column_compare(enum field_type type, const struct field_value *a, const struct field_value *b)
{
	int cmp;

	if (a->null || b->null)
		return a->null == b->null ? 0 : a->null ? 1 : -1;
	switch (type) {
	case FIELD_INTEGER:
	case FIELD_BOOLEAN:
		return a->i < b->i ? -1 : a->i > b->i;
	case FIELD_DATE:
		return strcmp(a->s, b->s);
	case FIELD_STRING:
	case FIELD_STRINGS:
		cmp = ascii_casecmp(a->s, strlen(a->s), b->s, strlen(b->s));
		return cmp ? cmp : strcmp(a->s, b->s);
	}
	return 0;
}

static bool is_text(enum field_type t)
{
	return t == FIELD_STRING || t == FIELD_STRINGS || t == FIELD_DATE;
}

/* The dictionary's form of v (not null), of a field of type t. */
static union column_value value_of(enum field_type t, const struct field_value *v)
{
	if (is_text(t))
		return (union column_value){ .s = v->s };
	return (union column_value){ .i = v->i };
}

struct field_value column_value(const struct column *col, uint32_t k)
{
	if (is_text(col->field->type))
		return (struct field_value){ .s = col->values[k].s };
	return (struct field_value){ .i = col->values[k].i };
}

/* Equality in the API's sense, which is coarser than the dictionary's order. */
static int compare_loose(enum field_type type, const struct field_value *a,
			 const struct field_value *b)
{
	if (type == FIELD_STRING || type == FIELD_STRINGS)
		return ascii_casecmp(a->s, strlen(a->s), b->s, strlen(b->s));
	return column_compare(type, a, b);
}

uint32_t column_lower_bound(const struct column *col, const struct field_value *v, bool strict)
{
	uint32_t lo = 0, hi = col->ndistinct;
	const enum field_type t = col->field->type;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct field_value m = column_value(col, mid);
		int cmp = compare_loose(t, &m, v);

		if (cmp < 0 || (strict && cmp == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void column_equal_range(const struct column *col, const struct field_value *v,
			uint32_t *lo, uint32_t *hi)
{
	*lo = column_lower_bound(col, v, false);
	*hi = column_lower_bound(col, v, true);
}

const uint32_t *column_record_ids(const struct column *col, uint32_t r, uint32_t *n)
{
	if (col->offsets) {
		*n = col->offsets[r + 1] - col->offsets[r];
		return col->ids + col->offsets[r];
	}
	*n = col->ids[r] == COLUMN_NULL ? 0 : 1;
	return col->ids + r;
}

/*
 * A column's dictionary while it is built: its distinct values, found by
 * hashing each record's value, in the order first met. Only they are sorted
 * then, not every record's value: a million records holding nine statuses
 * sort nine strings.
 */
struct distinct {
	struct field_value v;
	size_t len;          /* of v.s, for strings and dates */
	uint64_t hash;
};

struct dict_build {
	enum field_type type;
	struct distinct *d;
	uint32_t n, alloc;
	uint32_t *slots;     /* index into d + 1; 0: empty */
	size_t nslots;
};

static void dict_grow_slots(struct dict_build *b)
{
	size_t mask;

	free(b->slots);
	b->nslots = b->nslots ? 2 * b->nslots : 64;
	b->slots = xcalloc(b->nslots, sizeof(*b->slots));
	mask = b->nslots - 1;
	for (uint32_t k = 0; k < b->n; k++) {
		size_t i = b->d[k].hash & mask;

		while (b->slots[i])
			i = (i + 1) & mask;
		b->slots[i] = k + 1;
	}
}

/* The provisional id of v (non-null): its place among the distinct values met so far. */
static uint32_t dict_add(struct dict_build *b, const struct field_value *v)
{
	const bool text = is_text(b->type);
	const size_t len = text ? strlen(v->s) : 0;
	uint64_t h;
	size_t i, mask;

	if (text) {
		h = hash_bytes(HASH_SEED, v->s, len);
	} else {
		h = (uint64_t)v->i * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	if (2 * ((size_t)b->n + 1) > b->nslots)
		dict_grow_slots(b);
	mask = b->nslots - 1;
	for (i = h & mask; b->slots[i]; i = (i + 1) & mask) {
		const struct distinct *d = &b->d[b->slots[i] - 1];

		if (d->hash == h && (text ? d->len == len && !memcmp(d->v.s, v->s, len) : d->v.i == v->i))
			return b->slots[i] - 1;
	}
	if (b->n == b->alloc) {
		b->alloc = b->alloc ? 2 * b->alloc : 16;
		b->d = xreallocarray(b->d, b->alloc, sizeof(*b->d));
	}
	b->d[b->n] = (struct distinct){ .v = *v, .len = len, .hash = h };
	b->d[b->n].v.list = (struct strs){ 0 };
	b->slots[i] = b->n + 1;
	return b->n++;
}

/* column_compare() on two distinct values, with their lengths known. */
static int distinct_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct dict_build *b = ctx;
	const struct distinct *x = &b->d[*(const uint32_t *)pa], *y = &b->d[*(const uint32_t *)pb];
	size_t n = x->len < y->len ? x->len : y->len;
	int cmp;

	switch (b->type) {
	case FIELD_INTEGER:
	case FIELD_BOOLEAN:
		return x->v.i < y->v.i ? -1 : x->v.i > y->v.i;
	case FIELD_DATE:
		break;
	case FIELD_STRING:
	case FIELD_STRINGS:
		cmp = ascii_casecmp(x->v.s, x->len, y->v.s, y->len);
		if (cmp)
			return cmp;
		break;
	}
	/* Byte order, as strcmp() gives it (no NUL inside a value). */
	cmp = memcmp(x->v.s, y->v.s, n);
	return cmp ? cmp : x->len < y->len ? -1 : x->len > y->len;
}

static int item_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct radix_item *x = pa, *y = pb;

	return distinct_cmp(&x->value, &y->value, ctx);
}

/*
 * Sorts the n text values of items, whose keys are equal up to byte from:
 * by their next 8 bytes, then each run that ties there by the 8 after, as
 * long as a value in the run goes on; a run of values equal but for case
 * (or short enough not to pay) by distinct_cmp().
 */
static void sort_text(const struct dict_build *b, struct radix_item *items,
		      struct radix_item *tmp, size_t n, size_t from)
{
	const bool fold = b->type != FIELD_DATE;
	size_t start = 0;

	if (n <= 16) {
		qsort_r(items, n, sizeof(*items), item_cmp, (void *)b);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct distinct *d = &b->d[items[i].value];

		items[i].key = radix_key(d->v.s, d->len, from, fold);
	}
	radix_sort(items, tmp, n);
	for (size_t i = 1; i <= n; i++) {
		bool longer = false;

		if (i < n && items[i].key == items[start].key)
			continue;
		for (size_t k = start; i - start > 1 && k < i && !longer; k++)
			longer = b->d[items[k].value].len > from + 8;
		if (longer)
			sort_text(b, items + start, tmp, i - start, from + 8);
		else if (i - start > 1)
			qsort_r(items + start, i - start, sizeof(*items), item_cmp, (void *)b);
		start = i;
	}
}

/*
 * The distinct values of b in column_compare() order, as indexes into b->d:
 * a radix sort on integer keys, or on text 8 bytes at a time; each distinct
 * value's key is worked out once, not once per comparison.
 */
static void sort_distinct(const struct dict_build *b, uint32_t *order)
{
	struct radix_item *items = xmalloc((b->n ? b->n : 1) * sizeof(*items));
	struct radix_item *tmp = xmalloc((b->n ? b->n : 1) * sizeof(*tmp));

	for (uint32_t k = 0; k < b->n; k++)
		items[k] = (struct radix_item){ .key = (uint64_t)b->d[k].v.i ^ (1ULL << 63), .value = k };
	if (is_text(b->type))
		sort_text(b, items, tmp, b->n, 0);
	else
		radix_sort(items, tmp, b->n);
	for (uint32_t k = 0; k < b->n; k++)
		order[k] = items[k].value;
	free(items);
	free(tmp);
}

static int cmp_id(const void *pa, const void *pb)
{
	uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;

	return x < y ? -1 : x > y;
}

/* Sorts each record's value ids and drops repeats, compacting ids and offsets in place. */
static void dedupe_record_ids(struct column *col, uint32_t n)
{
	uint32_t w = 0;

	for (uint32_t r = 0; r < n; r++) {
		uint32_t start = col->offsets[r], end = col->offsets[r + 1], first = w;

		/* A record holds a few values: an insertion sort, not qsort() a call each. */
		if (end - start <= 8) {
			for (uint32_t i = start + 1; i < end; i++) {
				uint32_t v = col->ids[i], j = i;

				for (; j > start && col->ids[j - 1] > v; j--)
					col->ids[j] = col->ids[j - 1];
				col->ids[j] = v;
			}
		} else {
			qsort(col->ids + start, end - start, sizeof(uint32_t), cmp_id);
		}
		col->offsets[r] = w;
		for (uint32_t i = start; i < end; i++)
			if (w == first || col->ids[w - 1] != col->ids[i])
				col->ids[w++] = col->ids[i];
	}
	col->offsets[n] = w;
}

/* Ranks col's values in the order of vocabulary k; values it lacks come after, in their own order. */
static void rank_by_vocabulary(struct column *col, const struct vocabulary *vocab, struct arena *a)
{
	const uint32_t nd = col->ndistinct;
	uint32_t place = 0;

	col->rank = arena_alloc(a, (nd ? nd : 1) * sizeof(*col->rank));
	col->by_rank = arena_alloc(a, (nd ? nd : 1) * sizeof(*col->by_rank));
	memset(col->rank, 0xff, (nd ? nd : 1) * sizeof(*col->rank));
	for (size_t e = 0; e < vocab->n; e++) {
		struct field_value v = { .s = vocab->entries[e].id };
		uint32_t lo, hi;

		/* Values equal ignoring case, then the one equal byte for byte. */
		for (column_equal_range(col, &v, &lo, &hi); lo < hi; lo++) {
			if (!strcmp(col->values[lo].s, v.s) && col->rank[lo] == UINT32_MAX) {
				col->rank[lo] = place;
				col->by_rank[place++] = lo;
			}
		}
	}
	for (uint32_t v = 0; v < nd; v++) {
		if (col->rank[v] == UINT32_MAX) {
			col->rank[v] = place;
			col->by_rank[place++] = v;
		}
	}
}

static void finish_column(struct column *col, const struct field *f, uint32_t n,
			  const struct dataset *dataset, struct arena *a);

static void build_column(const struct collection *c, const struct field *f, struct column *col,
			 const struct dataset *dataset, struct arena *a)
{
	const bool array = f->type == FIELD_STRINGS;
	struct dict_build b = { .type = f->type };
	uint32_t *order = NULL, *final = NULL;
	size_t ne = 0;

	col->field = f;
	/* Each record's values by provisional id: the order they were first met. */
	if (array) {
		col->offsets = arena_calloc(a, (size_t)c->n + 1, sizeof(uint32_t));
		for (uint32_t r = 0; r < c->n; r++) {
			struct field_value v = { 0 };

			field_get(f, collection_record(c, r), &v);
			ne += v.list.n;
		}
	}
	col->ids = arena_calloc(a, array ? (ne ? ne : 1) : c->n ? c->n : 1, sizeof(uint32_t));
	ne = 0;
	for (uint32_t r = 0; r < c->n; r++) {
		struct field_value v = { 0 };

		field_get(f, collection_record(c, r), &v);
		if (array) {
			col->offsets[r] = (uint32_t)ne;
			for (size_t j = 0; j < v.list.n; j++) {
				struct field_value e = { .s = v.list.v[j] };

				col->ids[ne++] = dict_add(&b, &e);
			}
		} else if (v.null) {
			col->ids[r] = COLUMN_NULL;
		} else {
			col->ids[r] = dict_add(&b, &v);
			ne++;
		}
	}
	if (array)
		col->offsets[c->n] = (uint32_t)ne;

	/* The dictionary: the distinct values sorted; then each id becomes its place there. */
	order = xmalloc((b.n ? b.n : 1) * sizeof(*order));
	final = xmalloc((b.n ? b.n : 1) * sizeof(*final));
	sort_distinct(&b, order);
	col->ndistinct = b.n;
	col->values = arena_calloc(a, b.n ? b.n : 1, sizeof(*col->values));
	for (uint32_t k = 0; k < b.n; k++) {
		col->values[k] = value_of(b.type, &b.d[order[k]].v);
		final[order[k]] = k;
	}
	for (size_t i = 0; i < (array ? ne : c->n); i++)
		if (col->ids[i] != COLUMN_NULL)
			col->ids[i] = final[col->ids[i]];
	free(order);
	free(final);
	free(b.d);
	free(b.slots);

	finish_column(col, f, c->n, dataset, a);
}

/*
 * The rest of a column once its dictionary and each record's value ids are
 * set: each record's ids sorted and unique, the vocabulary's order, the
 * postings and the nulls.
 */
static void finish_column(struct column *col, const struct field *f, uint32_t n,
			  const struct dataset *dataset, struct arena *a)
{
	const bool array = f->type == FIELD_STRINGS;
	uint32_t nnull = 0, ne = 0;

	/* A record lists a value once: "KR" twice in one array is one match, one count. */
	if (array)
		dedupe_record_ids(col, n);
	if (f->vocab && dataset && !array) {
		int k = dataset_vocab_find(f->vocab);

		if (k >= 0 && dataset->vocab[k].given)
			rank_by_vocabulary(col, &dataset->vocab[k], a);
	}
	for (uint32_t r = 0; r < n; r++) {
		uint32_t k;

		column_record_ids(col, r, &k);
		ne += k;
		nnull += !k;
	}

	/* Postings: records per value id, ascending, by a counting pass and a fill pass. */
	col->pstart = arena_calloc(a, (size_t)col->ndistinct + 1, sizeof(uint32_t));
	col->postings = arena_calloc(a, ne ? ne : 1, sizeof(uint32_t));
	col->nulls = arena_calloc(a, nnull ? nnull : 1, sizeof(uint32_t));
	col->nnulls = 0;
	for (uint32_t r = 0; r < n; r++) {
		uint32_t k;
		const uint32_t *ids = column_record_ids(col, r, &k);

		for (uint32_t j = 0; j < k; j++)
			col->pstart[ids[j] + 1]++;
	}
	for (uint32_t v = 0; v < col->ndistinct; v++)
		col->pstart[v + 1] += col->pstart[v];
	{
		uint32_t *fill = xcalloc((size_t)col->ndistinct + 1, sizeof(uint32_t));

		memcpy(fill, col->pstart, ((size_t)col->ndistinct + 1) * sizeof(uint32_t));
		for (uint32_t r = 0; r < n; r++) {
			uint32_t k;
			const uint32_t *ids = column_record_ids(col, r, &k);

			if (!k)
				col->nulls[col->nnulls++] = r;
			for (uint32_t j = 0; j < k; j++)
				col->postings[fill[ids[j]]++] = r;
		}
		free(fill);
	}
}

/* Renders record (of res) with w, whose strbuf and fragments are reused from record to record. */
static void render_with(const struct resource *res, const void *record, struct record_json *out,
			struct jsonw *w, struct arena *a)
{
	struct strbuf *sb = w->sb;
	const size_t nmembers = res->nmembers;

	/* One range per member, in the member table's order: fields= copies them by index. */
	strbuf_reset(sb);
	jsonw_restart(w);
	resource_render(res, w, record);
	if (sb->len > RECORD_JSON_NARROW) {
		struct jsonw_frag *frags = arena_alloc(a, nmembers * sizeof(*frags));

		memcpy(frags, w->frags, nmembers * sizeof(*frags));
		out->members = frags;
	} else {
		/* Each range lies inside the record, so its offset and length fit too. */
		uint16_t *m = arena_alloc_aligned(a, 2 * nmembers * sizeof(*m), alignof(uint16_t));

		for (size_t i = 0; i < nmembers; i++) {
			m[2 * i] = (uint16_t)w->frags[i].off;
			m[2 * i + 1] = (uint16_t)w->frags[i].len;
		}
		out->members = m;
	}
	out->json = arena_memdup0(a, sb->buf, sb->len);
	out->len = (uint32_t)sb->len;
	out->hash = hash_wide(sb->buf, sb->len);
}

void collection_render(const struct resource *res, const void *record, struct record_json *out,
		       struct arena *a)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &sb, true);
	render_with(res, record, out, &w, a);
	jsonw_release(&w);
	strbuf_release(&sb);
}

int collection_build_keys(struct collection *c, const struct resource *res, const void *records,
			  uint32_t n, struct arena *a, uint32_t *dup_first, uint32_t *dup_second)
{
	memset(c, 0, sizeof(*c));
	c->res = res;
	c->n = n;
	c->records = records;
	return build_keys(c, a, dup_first, dup_second);
}

int collection_build(struct collection *c, const struct resource *res, const void *records,
		     uint32_t n, const struct dataset *dataset, struct arena *a, uint32_t *dup_first,
		     uint32_t *dup_second)
{
	return collection_build_rendered(c, res, records, NULL, n, dataset, a, dup_first, dup_second);
}

/* A new or changed record's value, while column_from() merges it in. */
struct entry {
	struct field_value v;
	uint32_t record;
	uint32_t slot;       /* its id in the merged dictionary */
};

static int entry_cmp(const void *pa, const void *pb, void *type)
{
	const struct entry *a = pa, *b = pb;
	int cmp = column_compare(*(const enum field_type *)type, &a->v, &b->v);

	if (cmp)
		return cmp;
	return a->record < b->record ? -1 : a->record > b->record;
}

/*
 * The column of field f over the n records at records (size bytes each),
 * from old, the same field's column in the previous generation: from[i] is
 * the position in old of record i when it is unchanged, UINT32_MAX when it
 * is new or changed. Only the new records' values are sorted; they are
 * merged into the old dictionary, whose values no record uses any more are
 * dropped, and the kept records' value ids are renumbered, which keeps their
 * order. Linear in the records and values, but for the new ones.
 */
static void column_from(struct column *col, const struct field *f, const struct column *old,
			const char *records, size_t size, uint32_t n, const uint32_t *from,
			const struct dataset *dataset, struct arena *a)
{
	const bool array = f->type == FIELD_STRINGS;
	const uint32_t ond = old->ndistinct;
	uint32_t *used = xcalloc((size_t)ond + 1, sizeof(*used));
	uint32_t *remap = xcalloc((size_t)ond + 1, sizeof(*remap));
	uint32_t *fill = NULL, nd = 0, v = 0;
	struct entry *e = NULL;
	size_t ne = 0, alloc = 0, x = 0, nids = 0;

	col->field = f;
	for (uint32_t i = 0; i < n; i++) {
		struct field_value fv = { 0 };
		uint32_t k;

		if (from[i] != UINT32_MAX) {
			const uint32_t *ids = column_record_ids(old, from[i], &k);

			for (uint32_t j = 0; j < k; j++)
				used[ids[j]]++;
			nids += k;
			continue;
		}
		field_get(f, records + (size_t)i * size, &fv);
		k = array ? (uint32_t)fv.list.n : !fv.null;
		if (ne + k > alloc) {
			alloc = (ne + k) * 2;
			e = xreallocarray(e, alloc, sizeof(*e));
		}
		for (uint32_t j = 0; j < k; j++) {
			e[ne].v = fv;
			if (array) {
				e[ne].v.s = fv.list.v[j];
				e[ne].v.list = (struct strs){ 0 };
			}
			e[ne++].record = i;
		}
		nids += k;
	}
	if (ne)
		qsort_r(e, ne, sizeof(*e), entry_cmp, (void *)&f->type);

	/*
	 * The dictionary: the old values still used and the new ones, merged;
	 * slot is a new value's id. Old values are distinct and in order, so a
	 * run of them before the next new value is found by binary search and
	 * copied without comparing; only a value next to a new one is compared.
	 */
	col->values = arena_calloc(a, (size_t)ond + ne + 1, sizeof(*col->values));
	while (v < ond || x < ne) {
		uint32_t lim = ond;
		bool last_new = false;

		if (x < ne) {
			uint32_t lo = v, hi = ond;

			while (lo < hi) {
				uint32_t mid = lo + (hi - lo) / 2;

				const struct field_value m = column_value(old, mid);

				if (column_compare(f->type, &m, &e[x].v) <= 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			lim = lo;
		}
		if (nd && x > 0) {
			const struct field_value last = column_value(col, nd - 1);

			last_new = !column_compare(f->type, &last, &e[x - 1].v);
		}
		for (; v < lim; v++) {
			const struct field_value ov = column_value(old, v), last =
				nd ? column_value(col, nd - 1) : (struct field_value){ 0 };

			if (!used[v])
				continue;
			if (!nd || !last_new || column_compare(f->type, &last, &ov))
				col->values[nd++] = old->values[v];
			remap[v] = nd - 1;
			last_new = false;
		}
		if (x < ne) {
			const struct field_value last = nd ? column_value(col, nd - 1) : (struct field_value){ 0 };

			if (!nd || column_compare(f->type, &last, &e[x].v))
				col->values[nd++] = value_of(f->type, &e[x].v);
			e[x++].slot = nd - 1;
		}
	}
	col->ndistinct = nd;

	/* Each record's ids: the kept ones renumbered, the new ones from the merge. */
	if (!array) {
		col->ids = arena_calloc(a, n ? n : 1, sizeof(uint32_t));
		for (uint32_t i = 0; i < n; i++) {
			uint32_t id = from[i] != UINT32_MAX ? old->ids[from[i]] : COLUMN_NULL;

			col->ids[i] = id == COLUMN_NULL ? COLUMN_NULL : remap[id];
		}
		for (size_t k = 0; k < ne; k++)
			col->ids[e[k].record] = e[k].slot;
	} else {
		col->offsets = arena_calloc(a, (size_t)n + 1, sizeof(uint32_t));
		col->ids = arena_calloc(a, nids ? nids : 1, sizeof(uint32_t));
		fill = xcalloc((size_t)n + 1, sizeof(*fill));
		for (size_t k = 0; k < ne; k++)
			fill[e[k].record]++;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t k = fill[i];

			if (from[i] != UINT32_MAX)
				column_record_ids(old, from[i], &k);
			col->offsets[i + 1] = col->offsets[i] + k;
			fill[i] = col->offsets[i];
		}
		for (uint32_t i = 0; i < n; i++) {
			uint32_t k;
			const uint32_t *ids;

			if (from[i] == UINT32_MAX)
				continue;
			ids = column_record_ids(old, from[i], &k);
			for (uint32_t j = 0; j < k; j++)
				col->ids[fill[i]++] = remap[ids[j]];
		}
		for (size_t k = 0; k < ne; k++)
			col->ids[fill[e[k].record]++] = e[k].slot;
	}
	finish_column(col, f, n, dataset, a);
	free(fill);
	free(e);
	free(used);
	free(remap);
}

/* Renders records [from, to) of c into json, in the arena a. */
static void render_range(const struct collection *c, struct record_json *json, uint32_t from,
			 uint32_t to, struct arena *a)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &sb, true);
	for (uint32_t r = from; r < to; r++)
		render_with(c->res, collection_record(c, r), &json[r], &w, a);
	jsonw_release(&w);
	strbuf_release(&sb);
}

/*
 * A collection built on both cores: a second thread renders every record,
 * then helps with the columns, which this thread starts on at once; each
 * takes the next column to build from next. Each record's bytes depend on
 * the record alone and each column on its field alone, so which thread
 * does what changes nothing in what is built.
 */
struct build_job {
	const struct collection *c;
	struct record_json *json;
	struct column *cols;
	const struct dataset *dataset;
	atomic_size_t next;     /* the next column to build */
	struct arena arena;     /* the second thread's: the collection's arena adopts it */
};

static void build_columns(struct build_job *j, struct arena *a)
{
	const struct resource *res = j->c->res;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < res->nfields)
		build_column(j->c, &res->fields[i], &j->cols[i], j->dataset, a);
}

static void *build_job_run(void *arg)
{
	struct build_job *j = arg;

	render_range(j->c, j->json, 0, j->c->n, &j->arena);
	build_columns(j, &j->arena);
	return NULL;
}

/*
 * Below this many records a collection is built on one thread: a thread's
 * start costs more than rendering a few hundred records.
 */
#define BUILD_SPLIT_MIN 1024

/* collection_build_rendered() and collection_build_from(): old and from NULL for the former. */
/* Renders (or copies given) and builds the columns of c, whose keys are built. */
static void build_indexes(struct collection *c, const struct record_json *given,
			  const struct collection *old, const uint32_t *from,
			  const struct dataset *dataset, struct arena *a)
{
	const struct resource *res = c->res;
	const void *records = c->records;
	const uint32_t n = c->n;
	struct record_json *json;
	struct column *cols;
	struct build_job job;
	pthread_t helper;
	bool threaded = false;

	json = arena_calloc(a, n ? n : 1, sizeof(*json));
	cols = arena_calloc(a, res->nfields, sizeof(*cols));
	job = (struct build_job){ .c = c, .json = json, .cols = cols, .dataset = dataset };
	atomic_init(&job.next, 0);
	if (given)
		memcpy(json, given, (size_t)n * sizeof(*json));
	else if (!old && n >= BUILD_SPLIT_MIN)
		threaded = !pthread_create(&helper, NULL, build_job_run, &job);
	if (!given && !threaded)
		render_range(c, json, 0, n, a);
	if (old) {
		for (size_t i = 0; i < res->nfields; i++)
			column_from(&cols[i], &res->fields[i], &old->columns[i], records, res->record_size,
				    n, from, dataset, a);
	} else {
		build_columns(&job, a);
	}
	if (threaded) {
		pthread_join(helper, NULL);
		arena_adopt(a, &job.arena);
	}
	c->json = json;
	c->columns = cols;
}

static int build(struct collection *c, const struct resource *res, const void *records,
		 const struct record_json *given, uint32_t n, const struct collection *old,
		 const uint32_t *from, const struct dataset *dataset, struct arena *a,
		 uint32_t *dup_first, uint32_t *dup_second)
{
	if (collection_build_keys(c, res, records, n, a, dup_first, dup_second))
		return -1;
	build_indexes(c, given, old, from, dataset, a);
	return 0;
}

void collection_build_indexes(struct collection *c, const struct dataset *dataset, struct arena *a)
{
	build_indexes(c, NULL, NULL, NULL, dataset, a);
}

int collection_build_rendered(struct collection *c, const struct resource *res,
			      const void *records, const struct record_json *given, uint32_t n,
			      const struct dataset *dataset, struct arena *a, uint32_t *dup_first,
			      uint32_t *dup_second)
{
	return build(c, res, records, given, n, NULL, NULL, dataset, a, dup_first, dup_second);
}

int collection_build_from(struct collection *c, const struct resource *res, const void *records,
			  const struct record_json *json, uint32_t n, const struct collection *old,
			  const uint32_t *from, const struct dataset *dataset, struct arena *a,
			  uint32_t *dup_first, uint32_t *dup_second)
{
	return build(c, res, records, json, n, old, from, dataset, a, dup_first, dup_second);
}
