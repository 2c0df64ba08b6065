/*
 * columns: deriving columns from the schema, and writing rows (see columns.h).
 */
#include "handlers/columns.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/jsonscan.h"
#include "lib/mem.h"
#include "lib/strbuf.h"

/* How deep a shape is followed; deeper (or self-referring) parts are one JSON column. */
#define COLUMNS_MAX_DEPTH 8

/*
 * A member's shape, as a tree: an object node has the members of the object
 * (or of the array's items) as children; a leaf holds one column. Arrays
 * are not nodes: a value's elements are read at the node the array is at.
 * The columns under a node are consecutive: [first, end).
 */
struct node {
	const char *name;
	struct node *children;
	size_t nchildren;
	uint32_t first, end;
	bool leaf;
};

struct csv_column {
	const char *name;          /* "value.amount" */
	bool joined;               /* under an array: a cell joins several values */
};

struct columns {
	struct arena arena;
	const struct resource *res;
	struct node *members;      /* one root per member, in the member table's order */
	struct csv_column *cols;
	size_t ncols, alloc;
};

/* ---- deriving ---- */

static const cJSON *item(const cJSON *s, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(s, key);
}

static bool has_type(const cJSON *s, const char *type)
{
	const cJSON *t = item(s, "type"), *e;

	if (cJSON_IsString(t))
		return !strcmp(t->valuestring, type);
	cJSON_ArrayForEach(e, t)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, type))
			return true;
	return false;
}

/* Follows $ref into defs, and oneOf/anyOf to their first alternative that is not null. */
static const cJSON *resolve(const cJSON *defs, const cJSON *s, int depth)
{
	const cJSON *ref, *alts, *alt, *r;

	if (!s || depth > COLUMNS_MAX_DEPTH)
		return NULL;
	ref = item(s, "$ref");
	if (cJSON_IsString(ref))
		return !strncmp(ref->valuestring, "#/$defs/", 8)
			? resolve(defs, item(defs, ref->valuestring + 8), depth + 1) : NULL;
	alts = item(s, "oneOf");
	if (!alts)
		alts = item(s, "anyOf");
	if (!cJSON_IsArray(alts))
		return s;
	cJSON_ArrayForEach(alt, alts) {
		r = resolve(defs, alt, depth + 1);
		if (r && !(has_type(r, "null") && !item(r, "properties") && !item(r, "items")))
			return r;
	}
	return NULL;
}

static void add_column(struct columns *t, const char *name, bool joined)
{
	if (t->ncols == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 32;
		t->cols = xreallocarray(t->cols, t->alloc, sizeof(*t->cols));
	}
	t->cols[t->ncols].name = arena_strdup(&t->arena, name);
	t->cols[t->ncols].joined = joined;
	t->ncols++;
}

/* Fills n, named path, from schema s (NULL: unknown), adding its columns. */
static void derive(struct columns *t, const cJSON *defs, struct node *n, struct strbuf *path,
		   const cJSON *s, bool joined, int depth)
{
	const cJSON *props, *p;
	size_t at = path->len, i = 0;

	s = resolve(defs, s, depth);
	/* An array is read at its own node: what matters is the shape of its items. */
	while (s && (has_type(s, "array") || item(s, "items")) && depth <= COLUMNS_MAX_DEPTH) {
		s = resolve(defs, item(s, "items"), depth + 1);
		joined = true;
		depth++;
	}
	props = s && depth < COLUMNS_MAX_DEPTH ? item(s, "properties") : NULL;
	n->first = (uint32_t)t->ncols;
	if (!cJSON_IsObject(props) || !cJSON_GetArraySize(props)) {
		n->leaf = true;
		add_column(t, path->buf, joined);
		n->end = (uint32_t)t->ncols;
		return;
	}
	n->nchildren = (size_t)cJSON_GetArraySize(props);
	n->children = arena_calloc(&t->arena, n->nchildren, sizeof(*n->children));
	cJSON_ArrayForEach(p, props) {
		struct node *c = &n->children[i++];

		c->name = arena_strdup(&t->arena, p->string);
		strbuf_addf(path, ".%s", p->string);
		derive(t, defs, c, path, p, joined, depth + 1);
		strbuf_setlen(path, at);
	}
	n->end = (uint32_t)t->ncols;
}

struct columns *columns_build(const struct resource *res, const cJSON *defs)
{
	struct columns *t = xcalloc(1, sizeof(*t));
	const cJSON *def = res->schema ? item(defs, res->schema) : NULL;
	const cJSON *props = def ? item(resolve(defs, def, 0), "properties") : NULL;
	struct strbuf path = STRBUF_INIT;

	t->res = res;
	t->members = arena_calloc(&t->arena, res->nmembers ? res->nmembers : 1, sizeof(*t->members));
	for (size_t i = 0; i < res->nmembers; i++) {
		const char *name = res->members[i].name;

		strbuf_reset(&path);
		strbuf_addstr(&path, name);
		t->members[i].name = name;
		derive(t, defs, &t->members[i], &path, props ? item(props, name) : NULL, false, 0);
	}
	strbuf_release(&path);
	return t;
}

void columns_free(struct columns *t)
{
	if (!t)
		return;
	arena_release(&t->arena);
	free(t->cols);
	free(t);
}

size_t columns_count(const struct columns *t)
{
	return t->ncols;
}

const char *columns_name(const struct columns *t, size_t i)
{
	return t->cols[i].name;
}

void columns_of_member(const struct columns *t, int m, size_t *first, size_t *end)
{
	*first = t->members[m].first;
	*end = t->members[m].end;
}

/* ---- rows ---- */

/* What a row has gathered for one column. */
struct cell {
	struct strbuf text;        /* the values so far, joined with "; " */
	uint32_t slots;            /* values and empty places */
	uint32_t filled;           /* values that are not null */
	bool number;               /* the last value was a number */
};

struct columns_row {
	struct cell *cells;
	size_t ncells;
	struct strbuf key;
	uint32_t *marks;           /* slot counts when an array element began, stacked */
	size_t nmarks, marks_alloc;
};

struct columns_row *columns_row_new(const struct columns *t)
{
	struct columns_row *r = xcalloc(1, sizeof(*r));

	r->ncells = t->ncols;
	r->cells = xcalloc(t->ncols ? t->ncols : 1, sizeof(*r->cells));
	for (size_t i = 0; i < t->ncols; i++)
		strbuf_init(&r->cells[i].text, 0);
	strbuf_init(&r->key, 0);
	return r;
}

void columns_row_free(struct columns_row *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncells; i++)
		strbuf_release(&r->cells[i].text);
	free(r->cells);
	free(r->marks);
	strbuf_release(&r->key);
	free(r);
}

static void begin_slot(struct cell *c)
{
	if (c->slots++)
		strbuf_add(&c->text, "; ", 2);
	c->number = false;
}

static const struct node *child_named(const struct node *n, const char *name, size_t len)
{
	for (size_t i = 0; i < n->nchildren; i++)
		if (strlen(n->children[i].name) == len && !memcmp(n->children[i].name, name, len))
			return &n->children[i];
	return NULL;
}

/* Before an element of an array of objects: remembers each column's slots. */
static size_t push_marks(struct columns_row *r, const struct node *n)
{
	size_t at = r->nmarks, k = n->end - n->first;

	if (r->nmarks + k > r->marks_alloc) {
		r->marks_alloc = 2 * (r->nmarks + k);
		r->marks = xreallocarray(r->marks, r->marks_alloc, sizeof(*r->marks));
	}
	for (size_t i = 0; i < k; i++)
		r->marks[at + i] = r->cells[n->first + i].slots;
	r->nmarks += k;
	return at;
}

/* After it: a column the element gave no value keeps its place, empty. */
static void pop_marks(struct columns_row *r, const struct node *n, size_t at)
{
	for (uint32_t c = n->first; c < n->end; c++)
		if (r->cells[c].slots == r->marks[at + (c - n->first)])
			begin_slot(&r->cells[c]);
	r->nmarks = at;
}

static const char *walk(struct columns_row *r, const struct node *n, const char *p,
			const char *end);

/*
 * After an item of an object or array that close ends: returns where the
 * next item starts (*more) or where the container ends (!*more), or NULL
 * when neither a comma nor close follows.
 */
static const char *after_item(const char *p, const char *end, char close, bool *more)
{
	if (!p || (p = jsonscan_ws(p, end)) >= end || (*p != ',' && *p != close))
		return NULL;
	*more = *p == ',';
	return *more ? jsonscan_ws(p + 1, end) : p + 1;
}

/* An object at n: its members go to n's children. */
static const char *walk_object(struct columns_row *r, const struct node *n, const char *p,
			       const char *end)
{
	p = jsonscan_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (bool more = true; p && more;) {
		const struct node *child;

		strbuf_reset(&r->key);
		p = jsonscan_string(p, end, &r->key);
		if (!p || (p = jsonscan_ws(p, end)) >= end || *p != ':')
			return NULL;
		p = jsonscan_ws(p + 1, end);
		child = child_named(n, r->key.buf, r->key.len);
		p = after_item(child ? walk(r, child, p, end) : jsonscan_skip(p, end), end, '}', &more);
	}
	return p;
}

/* An array at n: each element is read at n. */
static const char *walk_array(struct columns_row *r, const struct node *n, const char *p,
			      const char *end)
{
	p = jsonscan_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (bool more = true; p && more;) {
		size_t mark = n->leaf ? 0 : push_marks(r, n);

		p = walk(r, n, p, end);
		if (p && !n->leaf)
			pop_marks(r, n, mark);
		p = after_item(p, end, ']', &more);
	}
	return p;
}

/* Reads the value at p into the cells of node n; returns where it ends, or NULL. */
static const char *walk(struct columns_row *r, const struct node *n, const char *p,
			const char *end)
{
	struct cell *c = &r->cells[n->first];
	const char *q;

	if (p >= end)
		return NULL;
	if (*p == '[')
		return walk_array(r, n, p, end);
	if (*p == '{' && !n->leaf)
		return walk_object(r, n, p, end);
	if (*p == '{') {
		/* An object where the shape has none: its JSON, as text. */
		q = jsonscan_skip(p, end);
		if (q) {
			begin_slot(c);
			strbuf_add(&c->text, p, (size_t)(q - p));
			c->filled++;
		}
		return q;
	}
	if (!n->leaf)
		return jsonscan_skip(p, end);   /* null (no object), or a shape the schema lacks */
	if (*p == '"') {
		begin_slot(c);
		c->filled++;
		return jsonscan_string(p, end, &c->text);
	}
	q = jsonscan_atom(p, end);
	if (!q)
		return NULL;
	begin_slot(c);
	if (!(q - p == 4 && !memcmp(p, "null", 4))) {
		strbuf_add(&c->text, p, (size_t)(q - p));
		c->filled++;
		c->number = *p != 't' && *p != 'f';
	}
	return q;
}

/* How many members a row shows: the n chosen, or all when n is 0. */
static size_t shown_count(const struct columns *t, size_t n)
{
	return n ? n : t->res->nmembers;
}

/* The index of the i-th member a row shows. */
static size_t shown_member(const int *members, size_t n, size_t i)
{
	return n ? (size_t)members[i] : i;
}

void columns_write_header(const struct columns *t, const int *members, size_t n,
			  struct csvw *w)
{
	for (size_t i = 0; i < shown_count(t, n); i++) {
		const struct node *m = &t->members[shown_member(members, n, i)];

		for (uint32_t c = m->first; c < m->end; c++)
			csvw_text(w, t->cols[c].name, strlen(t->cols[c].name));
	}
	csvw_end_row(w);
}

/* Writes the cells of member node m after reading its "name":value bytes. */
static void member_cells(const struct columns *t, struct columns_row *r, const struct node *m,
			 const char *frag, size_t len, struct csvw *w)
{
	const char *p = frag, *end = frag + len;

	for (uint32_t c = m->first; c < m->end; c++) {
		strbuf_reset(&r->cells[c].text);
		r->cells[c].slots = r->cells[c].filled = 0;
		r->cells[c].number = false;
	}
	strbuf_reset(&r->key);
	p = jsonscan_string(p, end, &r->key);
	if (p && (p = jsonscan_ws(p, end)) < end && *p == ':')
		walk(r, m, jsonscan_ws(p + 1, end), end);
	r->nmarks = 0;
	for (uint32_t c = m->first; c < m->end; c++) {
		const struct cell *cell = &r->cells[c];

		if (!cell->filled)
			csvw_empty(w);
		else if (cell->number && cell->slots == 1 && !t->cols[c].joined)
			csvw_number(w, cell->text.buf, cell->text.len);
		else
			csvw_text(w, cell->text.buf, cell->text.len);
	}
}

void columns_write_row(const struct columns *t, struct columns_row *r,
		       const struct record_json *j, const int *members, size_t n, struct csvw *w)
{
	for (size_t i = 0; i < shown_count(t, n); i++) {
		const size_t m = shown_member(members, n, i);
		const struct jsonw_frag f = record_json_member(j, m);

		member_cells(t, r, &t->members[m], j->json + f.off, f.len, w);
	}
	csvw_end_row(w);
}
