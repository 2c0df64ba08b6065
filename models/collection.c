/*
 * collection: rendering and indexing one resource's records (see collection.h).
 */
#include "models/collection.h"

#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/mem.h"
#include "lib/strbuf.h"
#include "lib/text.h"

uint64_t collection_key_hash(const char *s, size_t len, bool fold)
{
	uint64_t h = HASH_SEED;

	for (size_t i = 0; i < len; i++) {
		char ch = fold ? ascii_lower(s[i]) : s[i];

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
		int cmp = compare_loose(t, &col->values[mid], v);

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

/* A value of one record, while the dictionary is built. */
struct entry {
	struct field_value v;
	uint32_t record;
	uint32_t slot;       /* where its id goes in column->ids */
};

static int entry_cmp(const void *pa, const void *pb, void *type)
{
	const struct entry *a = pa, *b = pb;
	int cmp = column_compare(*(const enum field_type *)type, &a->v, &b->v);

	if (cmp)
		return cmp;
	return a->record < b->record ? -1 : a->record > b->record;
}

static int cmp_id(const void *pa, const void *pb)
{
	uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;

	return x < y ? -1 : x > y;
}

static bool strictly_ascending(const uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		if (v[i - 1] >= v[i])
			return false;
	return true;
}

/* Sorts each record's value ids and drops repeats, compacting ids and offsets in place. */
static void dedupe_record_ids(struct column *col, uint32_t n)
{
	uint32_t w = 0;

	for (uint32_t r = 0; r < n; r++) {
		uint32_t start = col->offsets[r], end = col->offsets[r + 1], first = w;

		/* Most records' ids are in order already (all a write's generation kept). */
		if (end - start > 1 && !strictly_ascending(col->ids + start, end - start))
			qsort(col->ids + start, end - start, sizeof(uint32_t), cmp_id);
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

static void build_column(struct collection *c, const struct field *f, struct column *col,
			 const struct dataset *dataset, struct arena *a)
{
	const bool array = f->type == FIELD_STRINGS;
	struct entry *e = NULL;
	size_t ne = 0, alloc = 0;

	col->field = f;
	if (array)
		col->offsets = arena_calloc(a, (size_t)c->n + 1, sizeof(uint32_t));
	for (uint32_t r = 0; r < c->n; r++) {
		struct field_value v = { 0 };
		size_t k;

		field_get(f, collection_record(c, r), &v);
		k = array ? v.list.n : 1;
		if (array)
			col->offsets[r] = (uint32_t)ne;
		if (array && !k)
			continue;
		if (ne + k > alloc) {
			alloc = (ne + k) * 2;
			e = xreallocarray(e, alloc, sizeof(*e));
		}
		for (size_t j = 0; j < k; j++) {
			e[ne].v = v;
			if (array) {
				e[ne].v.s = v.list.v[j];
				e[ne].v.list = (struct strs){ 0 };
			}
			e[ne].record = r;
			e[ne].slot = array ? (uint32_t)ne : r;
			ne++;
		}
	}
	if (array)
		col->offsets[c->n] = (uint32_t)ne;
	col->ids = arena_calloc(a, array ? (ne ? ne : 1) : c->n ? c->n : 1, sizeof(uint32_t));

	/* Nulls sort last, so the dictionary is the non-null prefix of the sorted entries. */
	if (ne)
		qsort_r(e, ne, sizeof(*e), entry_cmp, (void *)&f->type);
	col->values = arena_calloc(a, ne ? ne : 1, sizeof(*col->values));
	col->ndistinct = 0;
	for (size_t i = 0; i < ne; i++) {
		if (e[i].v.null) {
			col->ids[e[i].slot] = COLUMN_NULL;
			continue;
		}
		if (!col->ndistinct || column_compare(f->type, &col->values[col->ndistinct - 1], &e[i].v))
			col->values[col->ndistinct++] = e[i].v;
		col->ids[e[i].slot] = col->ndistinct - 1;
	}

	finish_column(col, f, c->n, dataset, a);
	free(e);
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

void collection_render(const struct resource *res, const void *record, struct record_json *out,
		       struct arena *a)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;
	struct jsonw_frag *frags;
	const size_t nmembers = res->nmembers;

	/* One fragment per member, in the member table's order: fields= copies them by index. */
	jsonw_init(&w, &sb, true);
	resource_render(res, &w, record);
	frags = arena_alloc(a, nmembers * sizeof(*frags));
	memcpy(frags, w.frags, nmembers * sizeof(*frags));
	out->json = arena_memdup0(a, sb.buf, sb.len);
	out->len = (uint32_t)sb.len;
	out->hash = hash_bytes(HASH_SEED, sb.buf, sb.len);
	out->members = frags;
	jsonw_release(&w);
	strbuf_release(&sb);
}

int collection_build(struct collection *c, const struct resource *res, const void *records,
		     uint32_t n, const struct dataset *dataset, struct arena *a, uint32_t *dup_first,
		     uint32_t *dup_second)
{
	return collection_build_rendered(c, res, records, NULL, n, dataset, a, dup_first, dup_second);
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

				if (column_compare(f->type, &old->values[mid], &e[x].v) <= 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			lim = lo;
		}
		last_new = nd && x > 0 && !column_compare(f->type, &col->values[nd - 1], &e[x - 1].v);
		for (; v < lim; v++) {
			if (!used[v])
				continue;
			if (!nd || !last_new || column_compare(f->type, &col->values[nd - 1], &old->values[v]))
				col->values[nd++] = old->values[v];
			remap[v] = nd - 1;
			last_new = false;
		}
		if (x < ne) {
			if (!nd || column_compare(f->type, &col->values[nd - 1], &e[x].v))
				col->values[nd++] = e[x].v;
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

/* collection_build_rendered() and collection_build_from(): old and from NULL for the former. */
static int build(struct collection *c, const struct resource *res, const void *records,
		 const struct record_json *given, uint32_t n, const struct collection *old,
		 const uint32_t *from, const struct dataset *dataset, struct arena *a,
		 uint32_t *dup_first, uint32_t *dup_second)
{
	struct record_json *json;
	struct column *cols;

	memset(c, 0, sizeof(*c));
	c->res = res;
	c->n = n;
	c->records = records;
	if (build_keys(c, a, dup_first, dup_second))
		return -1;
	json = arena_calloc(a, n ? n : 1, sizeof(*json));
	if (given)
		memcpy(json, given, (size_t)n * sizeof(*json));
	else
		for (uint32_t r = 0; r < n; r++)
			collection_render(res, collection_record(c, r), &json[r], a);
	cols = arena_calloc(a, res->nfields, sizeof(*cols));
	for (size_t i = 0; i < res->nfields; i++) {
		if (old)
			column_from(&cols[i], &res->fields[i], &old->columns[i], records, res->record_size,
				    n, from, dataset, a);
		else
			build_column(c, &res->fields[i], &cols[i], dataset, a);
	}
	c->json = json;
	c->columns = cols;
	return 0;
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
